"""The twice-a-year reconciliation: upload the DGRRHH list, contrast it with the accounts
register, list and attend the differences, export; and the informe de eliminación."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from openpyxl import Workbook
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden, InvalidInput, InvalidTransition
from mapro.core.testing import make_user
from mapro.core.xlsx import read_xlsx
from mapro.hr.actions import do_attend_difference, do_upload_reconciliation
from mapro.hr.importing import ImportRejected
from mapro.hr.models import Reconciliation, ReconciliationDifference, ReconciliationRow
from mapro.hr.testing import csv_file
from mapro.iam.actions import do_remove_account
from mapro.iam.testing import make_account, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db: Any) -> dict[str, Any]:
    """Four people: a baja still holding accounts, a baja already removed, an alta with an
    account, and someone with an account the list does not name."""
    baja = make_person("Ana", "Torres Vega", dni="41236587")
    make_account(baja, kind="red", account_name="atorres")
    make_account(baja, kind="correo", account_name="atorres@mindef.gob.pe")
    done = make_person("Luis", "Soto Díaz", dni="42000001")
    old = make_account(done, kind="red", account_name="lsoto")
    do_remove_account(old, actor=None, reason="Cese anterior.")
    alta = make_person("Carla", "Ríos Paz", dni="43000002")
    make_account(alta, kind="red", account_name="crios")
    ghost = make_person("Pedro", "Vela Ruiz", dni="44000003")
    make_account(ghost, kind="vpn", account_name="vpn.pvela")
    return {"baja": baja, "done": done, "alta": alta, "ghost": ghost}


ROWS = (
    "41236587;Ana;Torres Vega;DIGEP;baja;2026-06-30",
    "42000001;Luis;Soto Díaz;OGTIE;Baja;30/05/2026",
    "43000002;Carla;Ríos Paz;OGTIE;alta;2026-01-02",
    "45000004;Rosa;Quispe Mamani;DIGEP;ALTA;2026-07-01",
)


def _upload(user: Any = None, *rows: str, period: str = "2026-II") -> Reconciliation:
    actor = user or make_user("coord-infraestructura")
    return do_upload_reconciliation(csv_file(*(rows or ROWS)), actor=actor, period=period)


def test_the_contrast_lists_every_kind_of_difference(register):
    reconciliation = _upload()
    assert reconciliation.rows_count == 4
    assert ReconciliationRow.objects.filter(reconciliation=reconciliation).count() == 4
    found = {
        (d.kind, d.dni): d
        for d in ReconciliationDifference.objects.filter(reconciliation=reconciliation)
    }
    assert set(found) == {
        ("baja_con_cuentas", "41236587"),  # still has red and correo
        ("alta_sin_cuenta", "45000004"),  # not even registered in mapro
        ("cuenta_sin_persona", "44000003"),  # the list does not name him
    }
    baja = found[("baja_con_cuentas", "41236587")]
    assert baja.person == register["baja"]
    assert baja.line == 2
    assert baja.movement_date == datetime.date(2026, 6, 30)
    assert "atorres (Cuenta de red (AD))" in baja.accounts
    assert "atorres@mindef.gob.pe" in baja.accounts
    assert found[("alta_sin_cuenta", "45000004")].person is None
    assert found[("alta_sin_cuenta", "45000004")].person_name == "Rosa Quispe Mamani"
    assert "vpn.pvela" in found[("cuenta_sin_persona", "44000003")].accounts
    assert all(d.status == "pendiente" for d in found.values())
    event = AuditEvent.objects.get(action="reconciliation.upload")
    assert event.after["diferencias"] == {
        "baja_con_cuentas": 1,
        "alta_sin_cuenta": 1,
        "cuenta_sin_persona": 1,
    }


def test_an_xlsx_list_is_read_the_same(register):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DNI", "Nombres", "Apellidos", "Unidad", "Alta/Baja", "Fecha"])
    sheet.append([41236587, "Ana", "Torres Vega", "DIGEP", "baja", datetime.datetime(2026, 6, 30)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "altas-bajas.xlsx"
    reconciliation = do_upload_reconciliation(
        buffer, actor=make_user("jefe-ogtie"), period="2026-ii"
    )
    assert reconciliation.period == "2026-II"
    kinds = sorted(reconciliation.differences.values_list("kind", "dni"))
    # Carla is not in this list: her account counts as one of somebody the list does not name.
    assert ("baja_con_cuentas", "41236587") in kinds
    assert ("cuenta_sin_persona", "43000002") in kinds


def test_a_bad_file_is_rejected_whole_with_each_row_named(register):
    bad = csv_file(
        "41236587;Ana;Torres Vega;DIGEP;baja;2026-06-30",
        "4123;Luis;;OGTIE;cese;2026-13-01",
        "41236587;Ana;Torres Vega;DIGEP;baja;2026-06-30",
    )
    with pytest.raises(ImportRejected) as excinfo:
        do_upload_reconciliation(bad, actor=make_user("coord-infraestructura"), period="2026-II")
    messages = excinfo.value.errors["archivo"]
    assert "Línea 3, columna «apellidos»: Indique los apellidos." in messages
    assert any(m.startswith("Línea 3, columna «dni»") for m in messages)
    assert any(m.startswith("Línea 3, columna «movimiento»") for m in messages)
    assert any(m.startswith("Línea 3, columna «fecha»") for m in messages)
    assert any(m.startswith("Línea 4, columna «dni»: DNI repetido") for m in messages)
    assert not Reconciliation.objects.exists()
    assert not ReconciliationRow.objects.exists()


def test_a_missing_column_and_a_bad_period_are_named(register):
    with pytest.raises(ImportRejected) as excinfo:
        do_upload_reconciliation(
            csv_file("41236587;Ana;Torres", header="dni;nombres;apellidos"),
            actor=make_user("coord-infraestructura"),
            period="2026-II",
        )
    assert (
        "Línea 1, columna «movimiento»: Falta esta columna obligatoria."
        in (excinfo.value.errors["archivo"])
    )
    with pytest.raises(InvalidInput) as excinfo:
        _upload(None, *ROWS, period="segundo semestre")
    assert "period" in excinfo.value.errors
    assert not Reconciliation.objects.exists()


@pytest.mark.parametrize("role", ["profesional-ogtie", "esp-seguridad-info", "personal"])
def test_only_the_coordinator_and_the_chief_upload(register, role):
    with pytest.raises(Forbidden):
        _upload(make_user(role))
    assert not Reconciliation.objects.exists()


def test_a_difference_is_attended_once_with_a_note(register):
    difference = _upload().differences.get(kind="baja_con_cuentas")
    profesional = make_user("profesional-ogtie")
    with pytest.raises(InvalidInput) as excinfo:
        do_attend_difference(difference, actor=profesional, note="  ")
    assert "note" in excinfo.value.errors
    with pytest.raises(Forbidden):
        do_attend_difference(difference, actor=make_user("jefe-ogtie"), note="Visto.")
    difference.refresh_from_db()
    assert difference.status == "pendiente"
    done = do_attend_difference(difference, actor=profesional, note="Cuentas eliminadas (act. 15).")
    assert (done.status, done.attended_by, done.note) == (
        "atendida",
        profesional,
        "Cuentas eliminadas (act. 15).",
    )
    with pytest.raises(InvalidTransition):
        do_attend_difference(done, actor=profesional, note="Otra vez.")
    assert AuditEvent.objects.filter(action="reconciliation_difference.attend").count() == 1


def test_pages_upload_list_attend_and_export(register, client):
    coord = make_user("coord-infraestructura")
    client.force_login(coord)
    page = client.get("/recursos-humanos/conciliaciones/")
    assert page.status_code == 200
    assert "Cargar el listado" in page.content.decode()
    bad = client.post(
        "/recursos-humanos/conciliaciones/",
        {"period": "2026-II", "file": csv_file("123;Ana;Torres;DIGEP;baja;2026-06-30")},
    )
    assert bad.status_code == 400
    assert "Línea 2, columna «dni»" in bad.content.decode()
    assert not Reconciliation.objects.exists()
    done = client.post(
        "/recursos-humanos/conciliaciones/", {"period": "2026-II", "file": csv_file(*ROWS)}
    )
    reconciliation = Reconciliation.objects.get()
    assert done.status_code == 302
    assert done["Location"] == f"/recursos-humanos/conciliaciones/{reconciliation.pk}/"
    detail = client.get(done["Location"])
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "Baja con cuentas activas" in body and "Historial de cambios" in body
    difference = reconciliation.differences.get(kind="alta_sin_cuenta")
    attended = client.post(
        f"/recursos-humanos/diferencias/{difference.pk}/atender/",
        {"note": "Derivado a S04.03.01.01."},
    )
    assert attended.status_code == 302
    difference.refresh_from_db()
    assert difference.status == "atendida"
    export = client.get(f"/recursos-humanos/conciliaciones/{reconciliation.pk}/exportar/")
    headers, rows = read_xlsx(export.content)
    assert headers[0] == "Diferencia"
    expected = [
        [d.get_kind_display(), d.dni, d.person_name, d.line, d.status]
        for d in reconciliation.differences.all()
    ]
    assert [[r[0], r[1], r[2], r[3], r[6]] for r in rows] == [
        [k, dni, name, line, "Atendida" if s == "atendida" else "Pendiente"]
        for k, dni, name, line, s in expected
    ]
    pending = client.get(
        f"/recursos-humanos/conciliaciones/{reconciliation.pk}/exportar/?status=pendiente"
    )
    assert len(read_xlsx(pending.content)[1]) == 2
    # The chief reads but may not attend; others may not even read.
    client.force_login(make_user("jefe-ogtie"))
    assert "Marcar atendida" not in client.get(done["Location"]).content.decode()
    client.force_login(make_user("operador-mesa"))
    assert client.get(done["Location"]).status_code == 403
    assert client.get("/recursos-humanos/conciliaciones/").status_code == 403


def test_api_upload_detail_and_attend(register):
    client = APIClient()
    client.force_authenticate(make_user("jefe-ogtie"))
    missing = client.post("/api/v1/hr/reconciliations/", {}, format="multipart")
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"file", "period"}
    created = client.post(
        "/api/v1/hr/reconciliations/",
        {"period": "2026-II", "file": csv_file(*ROWS)},
        format="multipart",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["differences_total"] == 3 and body["differences_pending"] == 3
    assert {d["kind"] for d in body["differences"]} == {
        "baja_con_cuentas",
        "alta_sin_cuenta",
        "cuenta_sin_persona",
    }
    pk = body["differences"][0]["id"]
    wrong = client.post(f"/api/v1/hr/reconciliation-differences/{pk}/attend/", {"note": "x"})
    assert wrong.status_code == 403  # the chief reads, the coordinator and profesional attend
    coord = APIClient()
    coord.force_authenticate(make_user("coord-infraestructura"))
    ok = coord.post(
        f"/api/v1/hr/reconciliation-differences/{pk}/attend/", {"note": "Hecho."}, format="json"
    )
    assert ok.status_code == 200 and ok.json()["status"] == "atendida"
    again = coord.post(
        f"/api/v1/hr/reconciliation-differences/{pk}/attend/", {"note": "Hecho."}, format="json"
    )
    assert again.status_code == 409
    assert coord.get("/api/v1/hr/reconciliations/999999/").status_code == 404


def test_the_informe_lists_what_was_removed_in_the_period(register, client):
    removed = do_remove_account(
        register["baja"].accounts.get(account_name="atorres"),
        actor=None,
        reason="Validación de altas y bajas.",
    )
    client.force_login(make_user("coord-infraestructura"))
    today = removed.removed_on.isoformat()
    page = client.get(f"/recursos-humanos/informe-eliminacion/?desde={today}&hasta={today}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "atorres" in text and "lsoto" in text
    assert "<strong>2</strong> cuentas" in text
    export = client.get(
        f"/recursos-humanos/informe-eliminacion/exportar/?desde={today}&hasta={today}"
    )
    headers, rows = read_xlsx(export.content)
    assert headers[:4] == ["DNI", "Personal", "Unidad", "Cuenta, acceso o privilegio"]
    assert sorted((r[0], r[3]) for r in rows) == [("41236587", "atorres"), ("42000001", "lsoto")]
    earlier = client.get("/recursos-humanos/informe-eliminacion/?desde=2020-01-01&hasta=2020-06-30")
    assert "<strong>0</strong> cuentas" in earlier.content.decode()
    inverted = client.get(
        "/recursos-humanos/informe-eliminacion/?desde=2026-12-01&hasta=2026-01-01"
    )
    assert inverted.status_code == 400
    api = APIClient()
    api.force_authenticate(make_user("esp-seguridad-info"))
    data = api.get(f"/api/v1/hr/removal-report/?desde={today}&hasta={today}").json()
    assert sorted(r["account"] for r in data["cuentas"]) == ["atorres", "lsoto"]
    assert api.get("/api/v1/hr/removal-report/?desde=ayer").status_code == 400
    client.force_login(make_user("operador-mesa"))
    assert client.get("/recursos-humanos/informe-eliminacion/").status_code == 403


def test_a_reader_may_not_upload_through_the_page(register, client):
    client.force_login(make_user("profesional-ogtie"))
    page = client.get("/recursos-humanos/conciliaciones/")
    assert page.status_code == 200
    assert "Cargar el listado" not in page.content.decode()
    response = client.post(
        "/recursos-humanos/conciliaciones/", {"period": "2026-II", "file": csv_file(*ROWS)}
    )
    assert response.status_code == 403
    assert not Reconciliation.objects.exists()
