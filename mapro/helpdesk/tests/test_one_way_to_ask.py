"""One way to ask (issue 14, item 1): a procedure that starts with a request is asked for in
the portal, and everything a person started — ticket or case — is in "Mis solicitudes"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mapro.procedures.models import Instance
from mapro.procedures.testing import client_for, publish_ficha

from .helpers import category, requester_user, staff_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(org: Any) -> None:
    for code in ("S04.03.01.01", "S04.02.00.03"):
        publish_ficha(code)


def test_the_procedure_page_leads_a_request_to_the_portal_form(published: None) -> None:
    personal = requester_user("DIGEP")
    web = Client()
    web.force_login(personal)
    form_url = reverse("helpdesk:ticket_new_form", args=[category("cuentas-creacion").code])
    page = web.get("/procedimientos/S04.03.01.01/").content.decode()
    assert "Ir al formulario de solicitud" in page
    assert form_url in page
    assert 'action="/procedimientos/S04.03.01.01/iniciar/"' not in page

    # A start posted anyway goes to the form too: no case without its ticket.
    response = web.post("/procedimientos/S04.03.01.01/iniciar/", {"start": "solicitud"})
    assert response.status_code == 302 and response["Location"] == form_url
    assert not Instance.objects.exists()


def test_a_procedure_that_starts_otherwise_keeps_its_start_button(published: None) -> None:
    coord = staff_user("coord-innovacion", "OGTIE")
    web = Client()
    web.force_login(coord)
    page = web.get("/procedimientos/S04.02.00.03/").content.decode()
    assert "Ir al formulario de solicitud" not in page
    assert 'action="/procedimientos/S04.02.00.03/iniciar/"' in page


def test_my_requests_lists_the_cases_a_person_started_without_a_ticket(published: None) -> None:
    coord = staff_user("coord-innovacion", "OGTIE")
    other = staff_user("coord-innovacion", "OGTIE")
    started = client_for(coord).post(
        "/api/v1/procedures/S04.02.00.03/instances/", {"start": "baja", "data": {}}, format="json"
    )
    assert started.status_code == 201
    client_for(other).post(
        "/api/v1/procedures/S04.02.00.03/instances/", {"start": "baja", "data": {}}, format="json"
    )
    mine = started.json()["id"]
    web = Client()
    web.force_login(coord)
    page = web.get(reverse("helpdesk:my_tickets") + "?ver=todas").content.decode()
    assert "Expedientes que inició" in page
    assert f'href="/procedimientos/instancias/{mine}/"' in page
    others = Instance.objects.exclude(pk=mine).get()
    assert f'href="/procedimientos/instancias/{others.pk}/"' not in page


# --- the requester's report is a request too (entries.is_request, the portal forms' rule) ----


@pytest.fixture
def reports(org: Any) -> None:
    for code in ("S04.04.00.02", "S04.04.00.03", "S04.03.04.01"):
        publish_ficha(code)


@pytest.mark.parametrize(
    ("code", "start", "category_code"),
    [
        ("S04.04.00.02", "reporte", "spam-phishing"),
        ("S04.04.00.03", "uo", "incidente-seguridad"),
    ],
)
def test_a_report_is_asked_for_in_the_portal_not_started_on_the_page(
    reports: None, code: str, start: str, category_code: str
) -> None:
    """S04.04.00.02 and S04.04.00.03 (start ``uo``) begin with the requester's report
    ("Reportar …", ``personal``): the page leads to the portal form of the category, and a
    start posted anyway goes there too and starts nothing."""
    personal = requester_user("DIGEP")
    web = Client()
    web.force_login(personal)
    form_url = reverse("helpdesk:ticket_new_form", args=[category(category_code).code])
    page = web.get(f"/procedimientos/{code}/").content.decode()
    assert "Ir al formulario de solicitud" in page and form_url in page
    assert f'name="start" value="{start}"' not in page
    response = web.post(f"/procedimientos/{code}/iniciar/", {"start": start})
    assert response.status_code == 302 and response["Location"] == form_url
    assert not Instance.objects.exists()


def test_the_other_start_of_a_report_procedure_keeps_its_button(reports: None) -> None:
    """S04.04.00.03's start ``ogtie`` (activity 3, the specialist's prevention) is no request:
    its holder starts it on the page; someone without its role neither sees nor starts it."""
    specialist = staff_user("tecnico-especialista", "OGTIE")
    web = Client()
    web.force_login(specialist)
    page = web.get("/procedimientos/S04.04.00.03/").content.decode()
    assert 'action="/procedimientos/S04.04.00.03/iniciar/"' in page
    assert 'value="ogtie"' in page
    response = web.post("/procedimientos/S04.04.00.03/iniciar/", {"start": "ogtie"})
    instance = Instance.objects.get()
    assert response["Location"] == f"/procedimientos/instancias/{instance.pk}/"
    assert instance.start_key == "ogtie"

    personal = requester_user("DIGEP")
    web.force_login(personal)
    page = web.get("/procedimientos/S04.04.00.03/").content.decode()
    assert 'value="ogtie"' not in page
    refused = web.post("/procedimientos/S04.04.00.03/iniciar/", {"start": "ogtie"})
    assert refused.status_code in (302, 403)
    assert Instance.objects.count() == 1


def test_a_requesters_act_that_is_not_the_request_starts_on_the_page(reports: None) -> None:
    """S04.03.04.01 ``devolucion`` begins with the holder's act ("Entregar dispositivos
    asignados", ``personal``) but the portal form takes the start ``requerimiento``: the page
    keeps the return's button, while ``requerimiento`` goes to the form."""
    personal = requester_user("DIGEP")
    web = Client()
    web.force_login(personal)
    page = web.get("/procedimientos/S04.03.04.01/").content.decode()
    assert "Ir al formulario de solicitud" in page
    assert 'value="devolucion"' in page and 'value="requerimiento"' not in page
    response = web.post("/procedimientos/S04.03.04.01/iniciar/", {"start": "devolucion"})
    instance = Instance.objects.get()
    assert response["Location"] == f"/procedimientos/instancias/{instance.pk}/"
    web.post("/procedimientos/S04.03.04.01/iniciar/", {"start": "requerimiento"})
    assert Instance.objects.count() == 1


def test_the_api_still_starts_a_report_directly_for_integrations(reports: None) -> None:
    """API v1's contract (design.md): an integration starts any procedure; the ticket is
    created by the desk's activity 2 (``{ticket: create}``), as the manual says."""
    personal = requester_user("DIGEP")
    started = client_for(personal).post(
        "/api/v1/procedures/S04.04.00.02/instances/", {"data": {}}, format="json"
    )
    assert started.status_code == 201
    assert [t["n"] for t in started.json()["tasks"]] == [1]


def _whole_cases(user: Any, *, running_only: bool) -> list[Any]:
    """``selectors.cases_started_by`` as it was: every column of each case and its version."""
    from django.db.models import Exists, OuterRef

    from mapro.helpdesk.models import Ticket
    from mapro.procedures.models import InstanceStatus

    qs = Instance.objects.filter(started_by=user).filter(
        ~Exists(Ticket.objects.filter(instance_id=OuterRef("pk")))
    )
    if running_only:
        qs = qs.filter(status=InstanceStatus.RUNNING)
    return list(
        qs.select_related("procedure_version__procedure").order_by("-started_at", "-id")[:20]
    )


def test_my_requests_reads_of_each_case_only_what_it_shows(
    published: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cases' workflow state, BPMN and ficha (tens of kB a row) are not read, and the
    page is the same byte for byte as with the whole rows."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mapro.helpdesk.views import portal

    coord = staff_user("coord-innovacion", "OGTIE")
    for _ in range(2):
        started = client_for(coord).post(
            "/api/v1/procedures/S04.02.00.03/instances/",
            {"start": "baja", "data": {}},
            format="json",
        )
        assert started.status_code == 201
    Instance.objects.filter(pk=started.json()["id"]).update(status="cancelled")
    web = Client()
    web.force_login(coord)
    url = reverse("helpdesk:my_tickets")
    csrf = re.compile(r"\b[A-Za-z0-9]{64}\b")  # the masked CSRF tokens differ on each page
    for view in ("abiertas", "todas"):
        with CaptureQueriesContext(connection) as ctx:
            lean = web.get(url, {"ver": view}).content.decode()
        case_sql = [q["sql"] for q in ctx.captured_queries if "procedures_instance" in q["sql"]]
        assert len(case_sql) == 1
        for column in ('"state"', '"bpmn_xml"', '"ficha"', '"failure"', '"cancel_reason"'):
            assert column not in case_sql[0]
        assert '"procedures_procedure"."name"' in case_sql[0]
        with monkeypatch.context() as patched:
            patched.setattr(portal, "cases_started_by", _whole_cases)
            whole = web.get(url, {"ver": view}).content.decode()
        assert "Expedientes que inició" in lean
        assert lean.count("Expediente N°") == (1 if view == "abiertas" else 2)
        assert csrf.sub("", lean) == csrf.sub("", whole)
