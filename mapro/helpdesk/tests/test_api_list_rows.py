"""The API list renders its rows by hand (``api.serializers.ticket_list_rows`` over
``selectors.page_of_ticket_rows``): the same JSON as the documented ``TicketListSerializer``,
valid against the published schema, and the same number of queries whatever the page size."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from mapro.core.api.schema import SchemaGenerator
from mapro.helpdesk.actions import do_assign_ticket
from mapro.helpdesk.api.serializers import TicketListSerializer
from mapro.helpdesk.models import Ticket
from mapro.helpdesk.selectors import page_of_ticket_rows, page_of_tickets, queue_queryset
from mapro.helpdesk.testing import ticket_in_status

from .helpers import requester_user, staff_user
from .test_api import API, check, client

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _queue(org: Any) -> dict[str, Any]:
    """Tickets of every kind a row can show: no assignee, a named assignee, an assignee
    without a name (the username is shown), paused, closed, overdue."""
    person = requester_user().person
    named = staff_user("tecnico-especialista")
    nameless = staff_user("tecnico-especialista")
    nameless.first_name = nameless.last_name = ""
    nameless.save(update_fields=["first_name", "last_name"])
    tickets = {status: ticket_in_status(person, status) for status in ["registrado", "cerrado"]}
    tickets["en_espera"] = ticket_in_status(person, "en_espera")
    tickets["named"] = do_assign_ticket(ticket_in_status(person), actor=None, assignee=named)
    tickets["nameless"] = do_assign_ticket(
        ticket_in_status(person, "en_atencion"), actor=None, assignee=nameless
    )
    overdue = ticket_in_status(person, "asignado", subject="Vencido")
    # Only time makes a ticket overdue: its resolution due time is moved into the past.
    Ticket.objects.filter(pk=overdue.pk).update(
        resolution_due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    tickets["overdue"] = overdue
    return tickets


def test_rows_are_the_documented_serializer_json(org, openapi):
    tickets = _queue(org)
    desk = staff_user("operador-mesa")
    r = client(desk).get(f"{API}/tickets/")
    assert r.status_code == 200
    check(openapi, "/api/v1/tickets/", "get", r)
    rows = r.json()
    documented = TicketListSerializer(page_of_tickets(queue_queryset(desk)).tickets, many=True).data
    assert rows == json.loads(JSONRenderer().render(documented))
    by_number = {row["number"]: row for row in rows}
    assert len(by_number) == len(tickets)
    named = by_number[tickets["named"].number]
    assert named["assignee"]["name"] == tickets["named"].assignee.get_full_name() != ""
    nameless = by_number[tickets["nameless"].number]
    assert nameless["assignee"]["name"] == nameless["assignee"]["username"]
    assert by_number[tickets["registrado"].number]["assignee"] is None
    assert [n for n, row in by_number.items() if row["overdue"]] == [tickets["overdue"].number]
    assert [n for n, row in by_number.items() if row["paused"]] == [tickets["en_espera"].number]
    assert by_number[tickets["cerrado"].number]["status_label"] == "Cerrado"
    # Times are written as DRF writes them: ISO 8601 in the project's time zone (Lima).
    created = datetime.datetime.fromisoformat(named["created_at"])
    assert created.utcoffset() == datetime.timedelta(hours=-5)
    assert created == tickets["named"].created_at


def test_row_pages_follow_the_same_keyset_as_ticket_pages(org):
    _queue(org)
    desk = staff_user("operador-mesa")
    seen, cursor = [], None
    for _ in range(10):
        page = page_of_ticket_rows(queue_queryset(desk), cursor=cursor, size=2)
        objects = page_of_tickets(queue_queryset(desk), cursor=cursor, size=2)
        assert [row["number"] for row in page.rows] == [t.number for t in objects.tickets]
        assert page.next_cursor == objects.next_cursor
        seen += [row["number"] for row in page.rows]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == list(
        Ticket.objects.order_by("-created_at", "-id").values_list("number", flat=True)
    )


def _queries(user: Any, size: int) -> int:
    api = client(user)
    api.get(f"{API}/tickets/", {"limit": size})  # the session and grants, once
    with CaptureQueriesContext(connection) as ctx:
        r = api.get(f"{API}/tickets/", {"limit": size, "status": ["registrado", "asignado"]})
    assert r.status_code == 200 and len(r.json()) == min(size, 4)
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_rows_of_a_page(org):
    person = requester_user().person
    for status in ["registrado", "registrado", "asignado", "asignado"]:
        ticket_in_status(person, status)
    desk = staff_user("operador-mesa")
    assert _queries(desk, 1) == _queries(desk, 50)
