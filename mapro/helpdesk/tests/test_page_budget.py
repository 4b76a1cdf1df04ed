"""The SQL statements of the console queue, the console's ticket page, "Mis solicitudes" and
the help-desk dashboard (issue #15).

Pinned numbers, counted with the session and user look-ups of a signed-in request: a change
that adds a statement to one of these pages fails here and must say why (docs/benchmarks.md,
section 8). None of them grows with the rows shown.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mapro.core.testing import session_read_statements
from mapro.helpdesk import request_forms
from mapro.helpdesk.testing import ticket_in_status
from mapro.procedures.testing import publish_ficha

from .helpers import category, requester_user, staff_user

pytestmark = pytest.mark.django_db

#: session, user, grants, the page of tickets, categories, teams, staff, unread notices
QUEUE_SQL = 8
#: session, user, grants, the ticket (with the published version of its category's procedure,
#: whose request activity's titles the answers are shown with: helpdesk.request_forms), its
#: files, its log, teams, staff, the categories of the "Reclasificar" form (while OGTIE owes
#: the ticket), unread notices
TICKET_SQL = 10
#: session, user, the person, grants, the page of tickets, the cases started, unread notices
MINE_SQL = 7
#: A ticket whose procedure runs (S04.03.04.02), waiting at its requirements check: TICKET_SQL
#: with the case read with the ticket (its instance, its version and whether the viewer sees
#: it: no statement of their own), plus its open items, read once for every part of the page
#: (the routed forms, the step forms, "Tarea pendiente", the status; 20 statements before, the
#: items read four times), and its history. The role rows of the open items only when a step
#: form is offered (not the check: it is the console's own "Validar" form). Over the budget of
#: 10: see docs/benchmarks.md, section 8.
LINKED_TICKET_SQL = TICKET_SQL + 2
#: The requester's page of a ticket without a case: session, user, the person, grants, the
#: ticket (with its survey), its files, its log, the tickets reopening it, unread notices.
PORTAL_TICKET_SQL = 9
#: The requester's page of that ticket: session, user, the person, grants, the ticket (with
#: its case and survey), its files, its log, the case's open items and history, the tickets
#: reopening it, unread notices.
PORTAL_LINKED_SQL = 11
#: session, user, grants, the counters, the trend per day, the period per category, the SLA
#: aggregate, the oldest open tickets, unread notices; a team's scope (the units under its
#: person's unit) is a subquery of each, not a read of its own
DASHBOARD_SQL = 9


def _count(client, url: str, data: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    # Counted as with database sessions (with Redis the session is read from the cache).
    return len(ctx.captured_queries) + 1 - session_read_statements()


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
    # Every view, a search and a jump by date: one statement for the page of tickets.
    assert _count(client, mine, {"ver": "todas", "q": "Otro"}) == MINE_SQL
    assert _count(client, mine, {"fecha": "2025-03-12"}) == MINE_SQL
    first = _support(ana.person, "resuelto", subject="Resuelto")
    assert _count(client, reverse("helpdesk:portal_ticket", args=[first.number])) == (
        PORTAL_TICKET_SQL
    )


def test_the_ticket_page_reads_a_published_request_form_once_per_process(org, client):
    """With the category's procedure published (S04.03.04.02, soporte técnico: its activity 1
    is the portal's form), the ticket's answers carry that activity's titles. The version's
    hash comes with the ticket; its ficha is read by the first page of the process only."""
    ana = requester_user("DIGEP")
    ticket = _support(ana.person, subject="Antes de publicar")
    publish_ficha("S04.03.04.02")
    client.force_login(staff_user("operador-mesa", "OGTIE"))
    url = reverse("helpdesk:console_ticket", args=[ticket.number])
    request_forms._request_activity_of.cache_clear()
    assert _count(client, url) == TICKET_SQL + 1  # the version's ficha, once
    assert _count(client, url) == TICKET_SQL
    page = client.get(url).content.decode()
    activity_1 = request_forms.request_activity(category("soporte-tecnico"))
    assert activity_1 is not None and activity_1.procedure_code == "S04.03.04.02"
    assert activity_1.schema["properties"]["ubicacion"]["title"] in page
    assert "Piso 2" in page


@pytest.fixture
def _no_calendar_recheck(settings):
    # The business calendar checks its exceptions table every 30 s (one statement then, not per
    # request): a slow run must not meet that check between the two counted requests.
    settings.MAPRO_CALENDAR_RECHECK_SECONDS = 3600


@pytest.mark.usefixtures("_no_calendar_recheck")
def test_the_dashboard_statements_are_pinned_for_the_desk_and_a_team(org):
    """The desk's dashboard and a team's (coord-infraestructura: OGTIE-INFRAESTRUCTURA and the
    units under it) cost the same statements, before and after more tickets."""
    desk, coord = Client(), Client()
    desk.force_login(staff_user("operador-mesa", "OGTIE"))
    coord.force_login(staff_user("coord-infraestructura", "OGTIE-INFRAESTRUCTURA"))
    url = reverse("helpdesk:dashboard")
    desk.get(url), coord.get(url)  # the calendar's year, once per process
    assert _count(desk, url) == _count(coord, url) == DASHBOARD_SQL
    ana = requester_user("DIGEP")
    for i, status in enumerate(("registrado", "asignado", "en_atencion", "en_espera")):
        _support(ana.person, status, subject=f"Ticket {i}")
    assert _count(desk, url) == _count(coord, url) == DASHBOARD_SQL
    team_page = coord.get(url).content.decode()
    assert "Ticket 0" in team_page or "Ticket 1" in team_page  # the oldest open, in scope


def test_a_linked_tickets_page_reads_its_case_once(org, client):
    """The console page of a ticket whose procedure runs costs the same before and after the
    procedure moves on, and shows the pending task and the procedure's status."""
    publish_ficha("S04.03.04.02")
    ana = requester_user("DIGEP")
    ticket = _support(ana.person, subject="Con procedimiento")
    assert ticket.instance_id is not None
    client.force_login(staff_user("operador-mesa", "OGTIE"))
    url = reverse("helpdesk:console_ticket", args=[ticket.number])
    client.get(url)  # the published request form, once per process
    assert _count(client, url) == LINKED_TICKET_SQL
    page = client.get(url).content.decode()
    item = ticket.instance.work_items.get(state="open")
    assert f"{item.n}. {item.name}" in page
    other = _support(ana.person, subject="Otro con procedimiento")
    assert _count(client, reverse("helpdesk:console_ticket", args=[other.number])) == (
        LINKED_TICKET_SQL
    )
    mine = Client()
    mine.force_login(ana)
    portal = reverse("helpdesk:portal_ticket", args=[ticket.number])
    assert _count(mine, portal) == PORTAL_LINKED_SQL
    assert item.name in mine.get(portal).content.decode()
