"""The registers through API v1 and their pages: the risk matrix (scale, levels, heat map,
XLSX read back equal), CGD sessions (quorum, votes), plans and projects by hand."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from mapro.core.testing import make_user
from mapro.core.xlsx import read_xlsx
from mapro.govdigital.models import Agreement, Plan, Risk, Session
from mapro.govdigital.selectors import RISK_HEADERS
from mapro.govdigital.testing import RISK, make_plan, make_risk, make_session
from mapro.procedures.testing import client_for

API = "/api/v1"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock() -> Any:
    with time_machine.travel("2026-03-02 10:00 -05:00", tick=False):
        yield


def test_a_risk_outside_the_scale_is_a_field_error_and_nothing_is_saved() -> None:
    user = make_user("esp-seguridad-info")
    for field, value in (
        ("likelihood", 6),
        ("impact", 0),
        ("likelihood", "alta"),
        ("residual_impact", 9),
    ):
        body = {**RISK, field: value}
        if field == "residual_impact":
            body["residual_likelihood"] = 2
        response = client_for(user).post(f"{API}/risks/", body, format="json")
        assert response.status_code == 400, (field, response.content)
        assert field in response.json()["errors"], response.json()
    response = client_for(user).post(
        f"{API}/risks/", {**RISK, "treatment": "ignorar", "owner": ""}, format="json"
    )
    assert set(response.json()["errors"]) == {"treatment", "owner"}
    assert not Risk.objects.exists()


def test_a_risk_gets_its_levels_and_only_the_isms_roles_record_it() -> None:
    assert (
        client_for(make_user("coord-estadistica"))
        .post(f"{API}/risks/", RISK, format="json")
        .status_code
        == 403
    )
    assert (
        client_for(make_user("resp-infraestructura"))
        .post(f"{API}/risks/", RISK, format="json")
        .status_code
        == 403
    )
    user = make_user("oficial-seguridad-digital")
    response = client_for(user).post(
        f"{API}/risks/", {**RISK, "residual_likelihood": 1, "residual_impact": 3}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["inherent"], body["inherent_level"]) == ("RIE-2026-0001", 12, "alto")
    assert (body["residual"], body["residual_level"]) == (3, "bajo")
    # Update: the treatment goes on; a new likelihood moves the inherent level.
    response = client_for(user).post(
        f"{API}/risks/{body['code']}/update/",
        {"likelihood": 5, "impact": 5, "status": "en_tratamiento"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (
        response.json()["inherent"],
        response.json()["inherent_level"],
        response.json()["status"],
    ) == (
        25,
        "extremo",
        "en_tratamiento",
    )
    bad = client_for(user).post(f"{API}/risks/{body['code']}/update/", {"impact": 7}, format="json")
    assert bad.status_code == 400 and "impact" in bad.json()["errors"]
    assert Risk.objects.get().impact == 5


def test_the_heat_map_counts_risks_per_cell() -> None:
    make_risk(likelihood=4, impact=3)
    make_risk(likelihood=4, impact=3, residual_likelihood=2, residual_impact=2)
    make_risk(likelihood=1, impact=5)
    client = client_for(make_user("coord-infraestructura"))
    rows = client.get(f"{API}/risks/heat-map/").json()["rows"]
    assert [r["likelihood"] for r in rows] == [5, 4, 3, 2, 1]
    cell = {(r["likelihood"], c["impact"]): c for r in rows for c in r["cells"]}
    assert cell[(4, 3)]["count"] == 2 and cell[(4, 3)]["level"] == "alto"
    assert cell[(1, 5)]["count"] == 1 and cell[(1, 5)]["level"] == "medio"
    assert sum(c["count"] for c in cell.values()) == 3
    residual = client.get(f"{API}/risks/heat-map/?residual=true").json()["rows"]
    assert sum(c["count"] for r in residual for c in r["cells"]) == 1
    assert client.get(f"{API}/risks/heat-map/?nivel=alto").status_code == 400
    # The page draws it.
    browser = Client()
    browser.force_login(make_user("esp-seguridad-info"))
    html = browser.get("/gobierno-digital/riesgos/").content.decode()
    assert 'id="mapa-de-calor"' in html and "<strong>2</strong>" in html


def test_the_risk_matrix_exports_to_xlsx_and_reads_back_equal() -> None:
    make_risk(
        threat='=HYPERLINK("http://x")',
        due_date="2026-06-30",
        residual_likelihood=2,
        residual_impact=2,
    )
    make_risk(likelihood=5, impact=5, context="Formulación del PGD")
    browser = Client()
    browser.force_login(make_user("jefe-ogtie"))
    response = browser.get("/gobierno-digital/riesgos/exportar/?level=extremo")
    assert response.status_code == 200
    headers, rows = read_xlsx(response.content)
    assert headers == RISK_HEADERS
    assert [r[0] for r in rows] == [r.code for r in Risk.objects.filter(inherent__gte=15)]
    response = browser.get("/gobierno-digital/riesgos/exportar/")
    headers, rows = read_xlsx(response.content)
    api = client_for(make_user("jefe-ogtie")).get(f"{API}/risks/").json()
    by_code = {r["code"]: r for r in api}
    assert len(rows) == 2
    for row in rows:
        record = dict(zip(headers, row, strict=True))
        risk = by_code[record["Código"]]
        assert record["Amenaza"] == risk["threat"]  # the formula-looking text, unchanged
        assert (record["Probabilidad"], record["Impacto"], record["Nivel inherente"]) == (
            risk["likelihood"],
            risk["impact"],
            risk["inherent"],
        )
        assert record["Nivel residual"] == risk["residual"]
        due = record["Fecha límite"]
        assert (due.date().isoformat() if isinstance(due, datetime.datetime) else due) == risk[
            "due_date"
        ]


def test_an_agreement_without_quorum_is_a_field_error_and_saves_nothing() -> None:
    members = [make_user("cgd") for _ in range(4)]
    secretary = make_user("jefe-ogtie")
    client = client_for(secretary)
    # A session naming someone who is not a member is refused.
    response = client.post(
        f"{API}/cgd/sessions/",
        {
            "date": "2026-03-02",
            "agenda": "Aprobación del cronograma",
            "present": [secretary.username],
        },
        format="json",
    )
    assert response.status_code == 400 and "present" in response.json()["errors"]
    # Two of four present: recorded, without quorum (three needed).
    response = client.post(
        f"{API}/cgd/sessions/",
        {
            "date": "2026-03-02",
            "agenda": "Aprobación del cronograma",
            "present": [m.username for m in members[:2]],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    session = response.json()
    assert (session["members_in_office"], session["present"], session["quorum"]) == (4, 2, False)
    url = f"{API}/cgd/sessions/{session['code']}/agreements/"
    response = client.post(
        url, {"text": "Se aprueba el cronograma.", "votes_for": "2"}, format="json"
    )
    assert response.status_code == 400
    assert "quórum" in response.json()["errors"]["present"][0]
    assert not Agreement.objects.exists()
    # With quorum: more votes than members present is refused; a majority approves.
    quorate = make_session(*members[:3], day="2026-03-03")
    url = f"{API}/cgd/sessions/{quorate.code}/agreements/"
    response = client.post(
        url, {"text": "Se aprueba.", "votes_for": "3", "votes_against": "1"}, format="json"
    )
    assert response.status_code == 400 and "votes_for" in response.json()["errors"]
    assert (
        client_for(make_user("resp-mejora-gd"))
        .post(url, {"text": "x", "votes_for": "3"}, format="json")
        .status_code
        == 403
    )
    response = client_for(members[0]).post(
        url, {"text": "Se aprueba.", "votes_for": "2", "abstentions": "1"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["agreements"][0]["result"] == "aprobado"
    response = client.post(
        url, {"text": "Se rechaza.", "votes_for": "1", "votes_against": "2"}, format="json"
    )
    assert response.json()["agreements"][1]["result"] == "rechazado"
    # The page and the XLSX show the agreements.
    browser = Client()
    browser.force_login(members[1])
    assert "sin quórum" in browser.get(f"/gobierno-digital/cgd/{session['code']}/").content.decode()
    headers, rows = read_xlsx(browser.get("/gobierno-digital/cgd/exportar/").content)
    assert [r[headers.index("Acuerdo")] for r in rows if r[0] == quorate.code] == [
        f"{quorate.code}/A1",
        f"{quorate.code}/A2",
    ]
    assert Session.objects.count() == 2


def test_a_plan_registered_by_hand_with_its_rm_becomes_the_current_one() -> None:
    old = make_plan(vigente=True)
    client = client_for(make_user("resp-mejora-gd"))
    response = client.post(
        f"{API}/pgd/plans/", {"start_year": "2027", "end_year": "2028"}, format="json"
    )
    assert response.status_code == 400 and "end_year" in response.json()["errors"]
    assert (
        client_for(make_user("coord-innovacion"))
        .post(f"{API}/pgd/plans/", {"start_year": "2027", "end_year": "2029"}, format="json")
        .status_code
        == 403
    )
    response = client.post(
        f"{API}/pgd/plans/",
        {
            "start_year": "2027",
            "end_year": "2029",
            "rm_number": "RM N° 0200-2027-DE",
            "rm_date": "2027-01-10",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "vigente"
    old.refresh_from_db()
    assert old.status == "concluido"
    response = client.post(
        f"{API}/pgd/plans/PGD-2027-2029/projects/",
        {
            "name": "Gestión documental",
            "team": "infraestructura",
            "budget": "-5",
            "start_date": "2027-06-01",
            "end_date": "2027-01-01",
            "indicators": [{"name": "Expedientes digitales"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert {"budget", "end_date", "indicators"} <= set(response.json()["errors"])
    assert not Plan.objects.get(code="PGD-2027-2029").projects.exists()
    response = client.post(
        f"{API}/pgd/plans/PGD-2027-2029/projects/",
        {
            "name": "Gestión documental",
            "team": "infraestructura",
            "indicators": [{"name": "Expedientes", "target": 90}],
        },
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["code"] == "PGD-2027-2029-P01"
    listing = client.get(f"{API}/pgd/projects/?plan=PGD-2027-2029&team=infraestructura").json()
    assert [p["code"] for p in listing] == ["PGD-2027-2029-P01"]
    assert client.get(f"{API}/pgd/projects/?team=nada").status_code == 400


def test_the_pages_render_for_their_roles(db: Any) -> None:
    plan = make_plan(vigente=True)
    browser = Client()
    browser.force_login(make_user("cgd"))
    assert plan.code in browser.get("/gobierno-digital/").content.decode()
    detail = browser.get(f"/gobierno-digital/pgd/{plan.code}/").content.decode()
    assert plan.projects.get().code in detail and "Historial de cambios" in detail
    headers, rows = read_xlsx(browser.get("/gobierno-digital/proyectos/exportar/").content)
    assert rows[0][headers.index("Código")] == plan.projects.get().code
    other = Client()
    other.force_login(make_user("operador-mesa"))
    assert other.get("/gobierno-digital/").status_code == 403
    assert other.get("/gobierno-digital/riesgos/").status_code == 403


def test_the_demo_seed_leaves_a_current_plan_once() -> None:
    from mapro.govdigital.seeding import seed_demo_plan

    assert seed_demo_plan().startswith("1 nuevo (PGD-2025-2027")
    assert seed_demo_plan() == "0 nuevos"
    plan = Plan.objects.get()
    assert plan.status == "vigente" and plan.projects.count() == 4
    assert {p.status for p in plan.projects.all()} == {"en_ejecucion"}


def test_the_risk_form_shows_out_of_scale_errors_beside_the_fields_and_saves_nothing() -> None:
    browser = Client()
    browser.force_login(make_user("esp-seguridad-info"))
    assert "Registrar riesgo" in browser.get("/gobierno-digital/riesgos/").content.decode()
    response = browser.post("/gobierno-digital/riesgos/nuevo/", {**RISK, "likelihood": "9"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="r-likelihood-error"' in html and "escala del SGSI (1 a 5)" in html
    assert not Risk.objects.exists()
    response = browser.post("/gobierno-digital/riesgos/nuevo/", RISK)
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert response["Location"] == f"/gobierno-digital/riesgos/{risk.code}/"
    assert (risk.inherent, risk.created_by.username.startswith("esp-seguridad-info")) == (12, True)
    viewer = Client()
    viewer.force_login(make_user("resp-infraestructura"))
    assert viewer.get("/gobierno-digital/riesgos/nuevo/").status_code == 403
