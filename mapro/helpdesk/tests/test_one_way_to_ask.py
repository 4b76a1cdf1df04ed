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
