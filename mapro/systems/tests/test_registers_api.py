"""The catalogue, releases, matrix and quality reports through API v1: right and wrong roles,
bad input named by field and nothing saved, scope for a unit's director, the XLSX matrix."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.testing import ensure_unit, make_user
from mapro.core.xlsx import read_xlsx
from mapro.systems import actions
from mapro.systems.models import ChangeRecord, InformationSystem, QualityReport, Release
from mapro.systems.selectors import MATRIX_HEADERS
from mapro.systems.testing import make_change, make_report, make_system, sample

pytestmark = pytest.mark.django_db
API = "/api/v1"


def client(user) -> APIClient:  # type: ignore[no-untyped-def]
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_register_a_system_right_and_wrong_role() -> None:
    ensure_unit("DIGEP")
    body = {
        "code": "sigedoc",
        "name": "Sistema de gestión documental",
        "owner_unit": "DIGEP",
        "criticality": "alta",
        "servers": ["srv-app-01", "srv-bd-02"],
        "environments": {"produccion": "https://sigedoc.mindef.gob.pe"},
    }
    assert (
        client(make_user("analista-programador"))
        .post(f"{API}/systems/", body, format="json")
        .status_code
        == 403
    )
    response = client(make_user("coord-innovacion")).post(f"{API}/systems/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["code"] == "SIGEDOC" and data["state"] == "en-desarrollo"
    assert data["environments"] == [{"kind": "produccion", "url": "https://sigedoc.mindef.gob.pe"}]
    assert data["servers"] == ["srv-app-01", "srv-bd-02"]
    again = client(make_user("coord-innovacion")).post(f"{API}/systems/", body, format="json")
    assert again.status_code == 400 and "code" in again.json()["errors"]
    assert InformationSystem.objects.count() == 1


def test_director_reads_only_their_units_systems() -> None:
    digep = ensure_unit("DIGEP")
    dga = ensure_unit("DGA")
    mine, other = make_system("MIO", unit=digep), make_system("AJENO", unit=dga)
    director = make_user("director-uo", unit=digep)
    listed = client(director).get(f"{API}/systems/").json()
    assert [s["code"] for s in listed] == ["MIO"]
    assert client(director).get(f"{API}/systems/{mine.pk}/").status_code == 200
    assert client(director).get(f"{API}/systems/{other.pk}/").status_code == 404
    assert client(director).get(f"{API}/change-records/").status_code == 403
    assert client(make_user("operador-mesa")).get(f"{API}/systems/").status_code == 403


def test_release_without_version_or_with_a_used_one_is_refused() -> None:
    system = make_system()
    analyst = make_user("analista-programador")
    empty = client(analyst).post(
        f"{API}/releases/", {"system": "SIGEDOC", "version": " "}, format="json"
    )
    assert empty.status_code == 400 and list(empty.json()["errors"]) == ["version"]
    change = make_change(system)
    ok = client(analyst).post(
        f"{API}/releases/",
        {
            "system": "SIGEDOC",
            "version": "2.1.0",
            "commit_ref": "v2.1.0",
            "closes": [change.number],
        },
        format="json",
    )
    assert ok.status_code == 201, ok.content
    used = client(analyst).post(
        f"{API}/releases/", {"system": "SIGEDOC", "version": "2.1.0"}, format="json"
    )
    assert used.status_code == 400 and "ya existe" in used.json()["errors"]["version"][0]
    assert Release.objects.count() == 1
    assert (
        client(make_user("resp-calidad"))
        .post(f"{API}/releases/", {"system": "SIGEDOC", "version": "3"}, format="json")
        .status_code
        == 403
    )


def test_deploying_a_release_puts_the_system_in_production_and_closes_its_changes() -> None:
    system = make_system()
    change = make_change(system)
    release = actions.do_register_release(
        system, version="1.0", closes=[change], actor=None, check=False
    )
    user = make_user("coord-innovacion")
    response = client(user).post(
        f"{API}/releases/{release.pk}/deploy/", {"released_on": "2026-12-01"}, format="json"
    )
    assert response.status_code == 200, response.content
    system.refresh_from_db()
    change.refresh_from_db()
    assert system.state == "en-produccion"
    assert (change.status, change.closed_on, change.system_version) == (
        "implementado",
        dt.date(2026, 12, 1),
        "1.0",
    )
    assert (
        client(user).post(f"{API}/releases/{release.pk}/deploy/", {}, format="json").status_code
        == 409
    )


def _upload(user, system: str, tool: str, name: str, raw: bytes | None = None):  # type: ignore[no-untyped-def]
    f = SimpleUploadedFile(name, raw if raw is not None else sample(name), "application/json")
    return client(user).post(
        f"{API}/quality-reports/", {"system": system, "tool": tool, "file": f}, format="multipart"
    )


def test_upload_reports_reads_counts_and_proposes_from_the_gate() -> None:
    make_system()
    analyst = make_user("analista-programador")
    sonar = _upload(analyst, "SIGEDOC", "sonarqube", "sonarqube-issues.json")
    assert sonar.status_code == 201, sonar.content
    assert sonar.json()["counts"] == {
        "BLOCKER": 1,
        "CRITICAL": 1,
        "MAJOR": 1,
        "MINOR": 1,
        "INFO": 1,
    }
    assert sonar.json()["proposed"] == "no"
    zap = _upload(analyst, "SIGEDOC", "zap", "zap-clean.json")
    assert zap.json()["counts"]["LOW"] == 1 and zap.json()["proposed"] == "si"
    # the coordinator tightens the team's ZAP gate: the same report is now over it
    coord = make_user("coord-innovacion")
    gate = client(coord).post(
        f"{API}/quality-gates/", {"tool": "zap", "thresholds": {"HIGH": 0, "LOW": 0}}, format="json"
    )
    assert gate.status_code == 200, gate.content
    again = _upload(analyst, "SIGEDOC", "zap", "zap-clean.json")
    assert again.json()["proposed"] == "no" and again.json()["gate"] == {"HIGH": 0, "LOW": 0}
    assert (
        client(analyst)
        .post(f"{API}/quality-gates/", {"tool": "zap", "thresholds": {}}, format="json")
        .status_code
        == 403
    )


def test_a_report_of_another_tool_or_format_is_refused_and_nothing_is_saved() -> None:
    make_system()
    analyst = make_user("analista-programador")
    events = AuditEvent.objects.count()
    wrong_tool = _upload(analyst, "SIGEDOC", "sonarqube", "zap-report.json")
    assert wrong_tool.status_code == 400
    assert "OWASP ZAP" in wrong_tool.json()["errors"]["file"][0]
    not_json = _upload(analyst, "SIGEDOC", "zap", "reporte.pdf", b"%PDF-1.4 ...")
    assert not_json.status_code == 400 and list(not_json.json()["errors"]) == ["file"]
    unknown = _upload(analyst, "NOEXISTE", "zap", "zap-report.json")
    assert unknown.status_code == 400 and list(unknown.json()["errors"]) == ["system"]
    assert QualityReport.objects.count() == 0 and AuditEvent.objects.count() == events
    assert _upload(make_user("director-uo"), "SIGEDOC", "zap", "zap-report.json").status_code == 403


def test_retired_system_takes_no_change_of_data() -> None:
    system = make_system()
    actions.do_retire_system(
        system,
        decommissioned_on=dt.date(2026, 6, 1),
        data_location="NAS",
        backup_location="Git",
        actor=None,
        check=False,
    )
    response = client(make_user("coord-innovacion")).patch(
        f"{API}/systems/{system.pk}/", {"criticality": "alta"}, format="json"
    )
    assert response.status_code == 409


@time_machine.travel(dt.datetime(2026, 12, 7, 15, 0, tzinfo=dt.UTC), tick=False)
def test_matrix_exports_to_xlsx_in_the_manuals_columns_and_reads_back_equal() -> None:
    system = make_system()
    make_change(system)
    actions.do_open_change(
        system=None,
        system_name="Intranet antigua",
        system_version="1.0",
        kind="baja",
        description="=Baja del sistema (obsolescencia)",
        status="implementado",
        closed_on=dt.date(2026, 12, 5),
        backup_location="NAS-01:/archivo/intranet",
        actor=None,
    )
    user = make_user("jefe-ogtie")
    c = APIClient()
    c.force_login(user)
    response = c.get("/sistemas/matriz-de-cambios/exportar/")
    assert response.status_code == 200
    headers, rows = read_xlsx(response.content)
    assert headers == MATRIX_HEADERS
    expected = [
        [
            2,
            dt.datetime(2026, 12, 7),
            "Intranet antigua",
            "1.0",
            "Baja del sistema",
            "=Baja del sistema (obsolescencia)",
            None,
            None,
            None,
            "sistema",
            "Implementado",
            dt.datetime(2026, 12, 5),
            "NAS-01:/archivo/intranet",
            None,
        ],
        [
            1,
            dt.datetime(2026, 12, 7),
            "Sistema SIGEDOC",
            None,
            "Mantenimiento correctivo",
            "Corrige el reporte mensual",
            None,
            None,
            None,
            "sistema",
            "En curso",
            None,
            None,
            None,
        ],
    ]
    assert rows == expected
    api = client(user).get(f"{API}/change-records/?kind=baja").json()
    assert [r["number"] for r in api] == [2]
    assert ChangeRecord.objects.count() == 2
    _ = io  # the export is read from memory


def test_quality_report_pages_and_upload_page() -> None:
    system = make_system()
    report = make_report(system)
    analyst = make_user("analista-programador")
    c = APIClient()
    c.force_login(analyst)
    page = c.get(f"/sistemas/evidencias-de-calidad/{report.pk}/")
    assert page.status_code == 200 and "No cumple" in page.content.decode()
    bad = c.post(
        "/sistemas/evidencias-de-calidad/subir/",
        {"system": "SIGEDOC", "tool": "sonarqube", "file": SimpleUploadedFile("x.json", b"{}")},
    )
    assert bad.status_code == 400 and "no es una exportación" in bad.content.decode()
    good = c.post(
        "/sistemas/evidencias-de-calidad/subir/",
        {
            "system": "SIGEDOC",
            "tool": "zap",
            "file": SimpleUploadedFile("zap.json", sample("zap-report.json")),
        },
    )
    assert good.status_code == 302
    detail = c.get(f"/sistemas/{system.pk}/")
    assert detail.status_code == 200 and "Línea de tiempo" in detail.content.decode()


def test_servers_known_to_the_equipment_inventory_are_linked() -> None:
    from mapro.inventory.testing import new_equipment

    app = new_equipment("servidor", name="srv-app-01")
    db = new_equipment("servidor")
    ensure_unit("DIGEP")
    coord = make_user("coord-innovacion")
    response = client(coord).post(
        f"{API}/systems/",
        {
            "code": "SIGA",
            "name": "SIGA",
            "owner_unit": "DIGEP",
            "servers": ["SRV-APP-01", "vm-externa"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["hosts"] == [app.code]  # by hostname, case aside; the VM stays a name
    assert response.json()["servers"] == ["SRV-APP-01", "vm-externa"]
    pk = response.json()["id"]
    changed = client(coord).patch(f"{API}/systems/{pk}/", {"servers": [db.code]}, format="json")
    assert changed.json()["hosts"] == [db.code]
    assert list(db.information_systems.values_list("code", flat=True)) == ["SIGA"]


def test_demo_seed_is_idempotent_and_visible_to_the_demo_owner() -> None:
    from mapro.organization.data import DEMO_UNIT_SCOPED_UNIT
    from mapro.systems.seeding import seed_demo_systems

    unit = ensure_unit(DEMO_UNIT_SCOPED_UNIT)
    assert seed_demo_systems() == 3 and seed_demo_systems() == 0
    states = dict(InformationSystem.objects.values_list("code", "state"))
    assert states == {
        "SIGEDOC": "en-produccion",
        "SIGA-PAT": "en-mantenimiento",
        "INTRANET-V1": "dado-de-baja",
    }
    owner = make_user("director-uo", unit=unit)
    assert len(client(owner).get(f"{API}/systems/").json()) == 3


def test_release_and_report_have_their_history() -> None:
    system = make_system()
    report = make_report(system)
    release = actions.do_register_release(system, version="3.0", actor=None, check=False)
    reader = make_user("resp-calidad")
    history = client(reader).get(f"{API}/releases/{release.pk}/").json()["history"]
    assert [e["action"] for e in history] == ["release.register"]
    history = client(reader).get(f"{API}/quality-reports/{report.pk}/").json()["history"]
    assert [e["action"] for e in history] == ["quality_report.upload"]
    page = APIClient()
    page.force_login(reader)
    assert "Versión registrada" in page.get(f"/sistemas/versiones/{release.pk}/").content.decode()
