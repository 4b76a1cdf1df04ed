"""The SQL statements of the console queue, the console's ticket page and "Mis solicitudes"
(issue #15).

Pinned numbers, counted with the session and user look-ups of a signed-in request: a change
that adds a statement to one of these pages fails here and must say why (docs/benchmarks.md,
section 8). None of them grows with the rows shown.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mapro.helpdesk.testing import ticket_in_status

from .helpers import category, requester_user, staff_user

pytestmark = pytest.mark.django_db

#: session, user, grants, the page of tickets, categories, teams, staff, unread notices
QUEUE_SQL = 8
#: session, user, grants, the ticket, its files, its log, teams, staff, the categories of the
#: "Reclasificar" form (while OGTIE owes the ticket), unread notices, and the form of a
#: category linked to a procedure (its published version: the answers are shown with the
#: request activity's titles, helpdesk.request_forms)
TICKET_SQL = 11
#: session, user, the person, grants, the page of tickets, the cases started, unread notices
MINE_SQL = 7


def _count(client, url: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _support(person, status: str = "registrado", **kwargs):
    kwargs.setdefault("data", {"ubicacion": "Piso 2"})
    return ticket_in_status(person, status, category=category("soporte-tecnico"), **kwargs)


def test_console_pages_statements_are_pinned_and_do_not_grow(org, client):
    client.force_login(staff_user("operador-mesa", "OGTIE"))
    ana = requester_user("DIGEP")
    first = _support(ana.person, subject="Primero")
    queue = reverse("helpdesk:console_queue")
    assert _count(client, queue) == QUEUE_SQL
    for i in range(4):
        _support(ana.person, "en_atencion" if i % 2 else "asignado", subject=f"Otro {i}")
    assert _count(client, queue) == QUEUE_SQL
    assert _count(client, queue, {"status": "asignado", "size": 2}) == QUEUE_SQL
    # A category filter reads the category and its subtree first: one more.
    assert _count(client, queue, {"category": "soporte-tecnico"}) == QUEUE_SQL + 1
    assert _count(client, reverse("helpdesk:console_ticket", args=[first.number])) == TICKET_SQL


def test_my_tickets_statements_are_pinned_and_do_not_grow(org, client):
    ana = requester_user("DIGEP")
    client.force_login(ana)
    _support(ana.person, subject="Primero")
    mine = reverse("helpdesk:my_tickets")
    assert _count(client, mine) == MINE_SQL
    for i in range(4):
        _support(ana.person, "asignado", subject=f"Otro {i}")
    assert _count(client, mine) == MINE_SQL
