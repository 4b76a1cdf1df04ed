"""Reclassifying a ticket (``do_reclassify_ticket``, ``POST /api/v1/tickets/{n}/reclassify/``):
impact and urgency set the priority by the matrix, the due times follow, the category may
change while no procedure case runs; the desk anywhere, a coordinator within the team; bad
input changes nothing."""

from __future__ import annotations

import datetime
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden, InvalidInput, InvalidTransition
from mapro.helpdesk import counters
from mapro.helpdesk.actions import do_assign_ticket, do_reclassify_ticket
from mapro.helpdesk.choices import ActionKind
from mapro.helpdesk.models import Ticket, TicketAction
from mapro.helpdesk.testing import ticket_in_status

from .helpers import category, new_ticket, requester_user, staff_user, unit

pytestmark = pytest.mark.django_db
LIMA = zoneinfo.ZoneInfo("America/Lima")
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=LIMA)


@pytest.fixture
def ticket(org: Any) -> Ticket:
    with time_machine.travel(MONDAY, tick=False):
        return new_ticket(requester_user("DIGEP"), code="capacitacion", data={})


def test_the_desk_raises_the_priority_and_the_due_times_follow(ticket: Ticket) -> None:
    desk = staff_user("operador-mesa", "OGTIE")
    assert (ticket.priority, ticket.resolution_due_at) == (
        "media",
        datetime.datetime(2026, 3, 4, 15, 0, tzinfo=LIMA),  # 3 business days (office hours)
    )
    events = AuditEvent.objects.count()
    with time_machine.travel(MONDAY + datetime.timedelta(hours=1), tick=False):
        done = do_reclassify_ticket(
            ticket, actor=desk, impact="alto", urgency="alta", reason="Afecta a todo el piso."
        )
    assert (done.impact, done.urgency, done.priority) == ("alto", "alta", "critica")
    # Crítica: 4 business hours from the registration.
    assert done.resolution_due_at == datetime.datetime(2026, 3, 2, 13, 0, tzinfo=LIMA)
    assert done.status == "registrado"
    line = TicketAction.objects.filter(ticket=done).order_by("-id").first()
    assert line is not None and line.kind == ActionKind.RECLASSIFIED
    assert "prioridad media → crítica" in line.body and "Afecta a todo el piso." in line.body
    assert AuditEvent.objects.count() == events + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert event is not None and event.action == "ticket.reclassify"
    assert event.before["priority"] == "media" and event.after["priority"] == "critica"
    assert counters.ledger() == counters.recounted()


def test_category_changes_but_not_under_a_running_case(ticket: Ticket) -> None:
    from mapro.procedures.testing import publish_ficha

    desk = staff_user("operador-mesa", "OGTIE")
    done = do_reclassify_ticket(ticket, actor=desk, category=category("control-calidad"))
    assert done.category.code == "control-calidad"
    assert done.team == ticket.team  # moving the ticket is an assignment
    # A ticket whose procedure case runs keeps its category; its priority may change.
    publish_ficha("S04.03.04.02")
    linked = new_ticket(requester_user("DIGEP"))
    assert linked.instance_id is not None
    with pytest.raises(InvalidInput) as caught:
        do_reclassify_ticket(linked, actor=desk, category=category("capacitacion"))
    assert "category" in caught.value.errors
    assert do_reclassify_ticket(linked, actor=desk, impact="alto").priority == "alta"


def test_who_may_reclassify_and_bad_input_changes_nothing(ticket: Ticket) -> None:
    before = Ticket.objects.values().get(pk=ticket.pk)
    lines = TicketAction.objects.count()
    requester = Ticket.objects.get(pk=ticket.pk).requester.user
    with pytest.raises(Forbidden):
        do_reclassify_ticket(ticket, actor=requester, impact="alto")
    # A coordinator of another team may not; of the ticket's team, may.
    with pytest.raises(Forbidden):
        do_reclassify_ticket(
            ticket, actor=staff_user("coord-ciberseguridad", "OGTIE-CIBERSEGURIDAD"), impact="alto"
        )
    desk = staff_user("operador-mesa", "OGTIE")
    with pytest.raises(InvalidInput) as caught:
        do_reclassify_ticket(ticket, actor=desk, impact="enorme", urgency="ya")
    assert set(caught.value.errors) == {"impact", "urgency"}
    with pytest.raises(InvalidInput) as caught:
        do_reclassify_ticket(ticket, actor=desk, impact="medio", urgency="media")
    assert caught.value.errors == {"impact": ["La clasificación no cambió."]}
    assert Ticket.objects.values().get(pk=ticket.pk) == before
    assert TicketAction.objects.count() == lines
    coordinator = staff_user("coord-innovacion", "OGTIE-INNOVACION")
    do_assign_ticket(ticket, actor=desk, team=unit("OGTIE-INNOVACION"))
    assert do_reclassify_ticket(ticket, actor=coordinator, urgency="alta").priority == "alta"


def test_a_resolved_ticket_is_not_reclassified(org: Any) -> None:
    ticket = ticket_in_status(requester_user().person, "resuelto")
    with pytest.raises(InvalidTransition, match="reclasificar"):
        do_reclassify_ticket(ticket, actor=None, impact="alto")


def test_api_reclassify(ticket: Ticket) -> None:
    api = APIClient()
    url = reverse("helpdesk-api:ticket-reclassify", args=[ticket.number])
    api.force_authenticate(staff_user("operador-mesa", "OGTIE"))
    response = api.post(url, {"impact": "alto", "category": "control-calidad"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["priority"] == "alta"
    response = api.post(url, {"urgency": "pronto", "category": "no-existe"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"urgency", "category"}
    api.force_authenticate(requester_user("DIGEP"))
    assert api.post(url, {"impact": "bajo"}, format="json").status_code == 404


def test_console_form(client: Any, ticket: Ticket) -> None:
    desk = staff_user("operador-mesa", "OGTIE")
    page = reverse("helpdesk:console_ticket", args=[ticket.number])
    url = reverse("helpdesk:console_reclassify", args=[ticket.number])
    client.force_login(desk)
    html = client.get(page).content.decode()
    assert 'id="reclasificar-titulo"' in html
    assert '<option value="capacitacion" selected>' in html
    response = client.post(url, {"impact": "alto", "urgency": "alta", "category": "capacitacion"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.priority == "critica"
    response = client.post(url, {"impact": "alto", "urgency": "alta", "category": "no-existe"})
    assert response.status_code == 200  # the page again, the error beside the field
    html = response.content.decode()
    assert 'id="reclasificar-categoria-error">Elija una categoría de la lista.' in html
    # A technician (not a coordinator) attends but does not reclassify.
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    do_assign_ticket(ticket, actor=desk, team=unit("OGTIE-INFRAESTRUCTURA"), assignee=tech)
    client.force_login(tech)
    assert 'id="reclasificar-titulo"' not in client.get(page).content.decode()
    assert client.post(url, {"impact": "bajo"}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.priority == "critica"
