"""Run records: field errors that save nothing, scoped and revocable tokens never stored in
clear, corrections, filters, the XLSX export read back, history, pages and plan fulfilment."""

from __future__ import annotations

import base64
import datetime
import hashlib

import pytest
import time_machine
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.testing import ensure_role, ensure_unit, make_user
from mapro.core.xlsx import read_xlsx
from mapro.inventory.testing import new_equipment
from mapro.operations.models import RunRecord, RunToken
from mapro.schedules.testing_plans import make_plan

NOW = datetime.datetime(2026, 5, 20, 17, 0, tzinfo=datetime.UTC)
RUNS = "/api/v1/operations/runs/"


def api(user=None, token: str | None = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(get_user_model().objects.get(pk=user.pk))
    if token is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def people(db):
    ogtie = ensure_unit("OGTIE")
    for code in ("profesional-ogtie", "prof-redes"):
        ensure_role(code)
    return {
        "prof": make_user("profesional-ogtie", unit=ogtie),
        "redes": make_user("prof-redes", unit=ogtie),
        "coord": make_user("coord-infraestructura", unit=ogtie),
        "jefe": make_user("jefe-ogtie", unit=ogtie),
        "mesa": make_user("operador-mesa", unit=ogtie),
        "server": new_equipment("servidor", code="SRV-APP-01", name="Aplicaciones"),
        "switch": new_equipment("switch", code="SW-CORE-01", name="Switch core"),
    }


def _body(**overrides):
    body = {
        "kind": "log",
        "equipment": "SRV-APP-01",
        "ran_at": "2026-05-20T08:00:00-05:00",
        "outcome": "ok",
        "items": 1200,
        "size_bytes": 2048,
    }
    body.update(overrides)
    return body


@time_machine.travel(NOW, tick=False)
def test_bad_input_names_each_field_and_saves_nothing(people):
    response = api(people["prof"]).post(
        RUNS,
        _body(equipment="NO-EXISTE", ran_at="2026-06-01T00:00:00-05:00", items=-1),
        format="json",
    )
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert errors["equipment"] == ["El equipo 'NO-EXISTE' no está en el inventario."]
    assert "ran_at" in errors and "items" in errors
    assert not RunRecord.objects.exists()
    ok_with_action = api(people["prof"]).post(RUNS, _body(corrective_action="nada"), format="json")
    assert ok_with_action.status_code == 400
    assert "corrective_action" in ok_with_action.json()["errors"]


@time_machine.travel(NOW, tick=False)
def test_a_person_records_a_run_with_evidence_and_a_wrong_role_cannot(people):
    content = b"Security: 0 accesos no permitidos"
    body = _body(
        evidence={"name": "revision.txt", "content_base64": base64.b64encode(content).decode()}
    )
    assert api(people["mesa"]).post(RUNS, body, format="json").status_code == 403
    created = api(people["prof"]).post(RUNS, body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["source"] == "manual" and data["correction_state"] == "none"
    assert data["evidence"]["sha256"] == hashlib.sha256(content).hexdigest()
    download = api(people["jefe"]).get(data["evidence"]["url"])
    assert download.status_code == 200 and download.content == content
    bad = api(people["prof"]).post(
        RUNS,
        _body(evidence={"name": "x.bin", "content_base64": base64.b64encode(b"\x00\x01").decode()}),
        format="json",
    )
    assert bad.status_code == 400 and "evidence" in bad.json()["errors"]


@time_machine.travel(NOW, tick=False)
def test_tokens_are_hashed_scoped_and_revocable(people):
    coord = api(people["coord"])
    assert (
        api(people["prof"])
        .post("/api/v1/operations/tokens/", {"name": "x", "kinds": ["log"]}, format="json")
        .status_code
        == 403
    )
    issued = coord.post(
        "/api/v1/operations/tokens/",
        {"name": "Script de logs", "kinds": ["log"], "equipment_codes": ["SRV-APP-01"]},
        format="json",
    )
    assert issued.status_code == 201, issued.content
    secret = issued.json()["token"]
    row = RunToken.objects.get()
    assert row.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(RunToken.objects.values()))
    assert "token" not in coord.get("/api/v1/operations/tokens/").json()[0]
    # Scope: its kinds and its equipment only.
    assert api(token=secret).post(RUNS, _body(), format="json").status_code == 201
    assert api(token=secret).post(RUNS, _body(kind="config"), format="json").status_code == 403
    other = _body(equipment="SW-CORE-01")
    assert api(token=secret).post(RUNS, other, format="json").status_code == 403
    # A token only posts runs: it reads nothing.
    assert api(token=secret).get(RUNS).status_code in (401, 403)
    assert api(token=secret).get("/api/v1/tasks/").status_code in (401, 403)
    assert api(token=secret).get("/api/v1/plans/").status_code in (401, 403)
    run = RunRecord.objects.get()
    assert run.token_id == row.pk and run.recorded_by is None
    assert run.recorded_by_name.startswith("token «Script de logs»")
    revoked = coord.post(f"/api/v1/operations/tokens/{row.pk}/revoke/")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert api(token=secret).post(RUNS, _body(), format="json").status_code == 401
    assert coord.post(f"/api/v1/operations/tokens/{row.pk}/revoke/").status_code == 409
    assert api(token="mro_unknown").post(RUNS, _body(), format="json").status_code == 401


@time_machine.travel(NOW, tick=False)
def test_correction_once_and_its_history(people, client):
    failed = api(people["redes"]).post(
        RUNS, _body(kind="config", equipment="SW-CORE-01", outcome="failed"), format="json"
    )
    assert failed.status_code == 201
    pk = failed.json()["id"]
    assert failed.json()["correction_state"] == "pending"
    # A failed configuration backup opens no instance (only backups have a correction path).
    assert failed.json()["instance"] is None
    url = f"/api/v1/operations/runs/{pk}/correction/"
    assert (
        api(people["jefe"]).post(url, {"corrective_action": "x"}, format="json").status_code == 403
    )
    blank = api(people["redes"]).post(url, {"corrective_action": " "}, format="json")
    assert blank.status_code == 400
    done = api(people["redes"]).post(
        url, {"corrective_action": "Se reintentó por TFTP."}, format="json"
    )
    assert done.status_code == 200 and done.json()["correction_state"] == "done"
    assert (
        api(people["redes"]).post(url, {"corrective_action": "otra"}, format="json").status_code
        == 409
    )
    assert list(
        AuditEvent.objects.filter(object_type="operations.runrecord", object_id=str(pk))
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["run_record.create", "run_record.correct"]
    client.force_login(people["jefe"])
    page = client.get(f"/ejecuciones/{pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Se reintentó por TFTP." in text and "Acción correctiva registrada" in text


@time_machine.travel(NOW, tick=False)
def test_filters_and_xlsx_export_read_back(people, client):
    client_api = api(people["prof"])
    for outcome, kind, day in (("ok", "log", 18), ("failed", "log", 19), ("partial", "log", 20)):
        assert (
            client_api.post(
                RUNS,
                _body(outcome=outcome, kind=kind, ran_at=f"2026-05-{day}T08:00:00-05:00"),
                format="json",
            ).status_code
            == 201
        )
    jefe = api(people["jefe"])
    assert [r["outcome"] for r in jefe.get(RUNS).json()] == ["partial", "failed", "ok"]
    assert [r["outcome"] for r in jefe.get(f"{RUNS}?resultado=failed").json()] == ["failed"]
    assert len(jefe.get(f"{RUNS}?desde=2026-05-19&hasta=2026-05-19").json()) == 1
    assert jefe.get(f"{RUNS}?desde=2026-05-20&hasta=2026-05-19").status_code == 400
    assert jefe.get(f"{RUNS}?tipo=otro").status_code == 400
    client.force_login(people["jefe"])
    page = client.get("/ejecuciones/?correccion=pending")
    assert page.status_code == 200 and "2 ejecuciones" in page.content.decode()
    export = client.get("/ejecuciones/exportar/?resultado=failed")
    assert export.status_code == 200
    headers, rows = read_xlsx(export.content)
    assert headers[:3] == ["N°", "Tipo", "Equipo"]
    assert len(rows) == 1
    row = dict(zip(headers, rows[0], strict=True))
    assert row["Equipo"] == "SRV-APP-01" and row["Resultado"] == "Fallido"
    assert row["Elementos"] == 1200 and row["Corrección"] == "Corrección pendiente"
    assert row["Fecha y hora"] == datetime.datetime(2026, 5, 19, 8, 0)


@time_machine.travel(NOW, tick=False)
def test_a_run_fulfils_its_cronograma_date(people, monkeypatch):
    plan = make_plan(
        items=[
            {
                "activity": "Revisión de logs",
                "target": "SRV-APP-01",
                "equipment_code": "SRV-APP-01",
                "starts_on": "2026-05-18",
                "responsible_role": "profesional-ogtie",
            }
        ],
        signer=people["coord"],
    )
    from mapro.operations import choices

    # The engine's test procedure stands for S04.03.01.04 here (its own walk covers the rest).
    monkeypatch.setitem(choices.PROCEDURE_OF_KIND, choices.RunKind.LOG, plan.procedure.code)
    run = api(people["prof"]).post(RUNS, _body(), format="json").json()
    occurrence = plan.occurrences.get()
    assert run["plan_occurrence"] == occurrence.pk
    assert occurrence.status == "done" and occurrence.executed_on == datetime.date(2026, 5, 20)
