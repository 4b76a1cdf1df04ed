"""The queue: the shared filterset, keyset pages, search (both databases), constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mapro.core.testing import session_read_statements
from mapro.helpdesk import actions
from mapro.helpdesk.filtersets import TicketFilterSet
from mapro.helpdesk.models import Ticket
from mapro.helpdesk.selectors import page_of_tickets, queue_queryset, search_tickets
from mapro.helpdesk.testing import ticket_in_status

from .helpers import category, requester_user, requires_postgres, staff_user

pytestmark = pytest.mark.django_db


def _ticket(person, code="soporte-tecnico", status="registrado", **kwargs):
    if code == "soporte-tecnico":
        kwargs.setdefault("data", {"ubicacion": "Piso 1"})
    return ticket_in_status(person, status, category=category(code), **kwargs)


def _filter(user, **params):
    form = TicketFilterSet(params, queryset=queue_queryset(user), user=user)
    assert form.is_valid(), form.errors
    return set(form.qs.values_list("number", flat=True))


@pytest.fixture
def queue(org):
    ana, luis = requester_user("DIGEP"), requester_user("OGAJ")
    tech = staff_user("resp-soporte")
    t = {
        "printer": _ticket(ana.person, subject="Impresora atascada", impact="alto", urgency="alta"),
        "vpn": _ticket(luis.person, "cuentas-eliminacion", data={"cuenta": "x", "motivo": "baja"}),
        "phish": _ticket(luis.person, "spam-phishing", subject="Correo sospechoso de phishing"),
        "held": _ticket(ana.person, status="en_espera", subject="Monitor sin señal"),
    }
    actions.do_assign_ticket(t["printer"], actor=None, assignee=tech)
    return {"desk": staff_user("operador-mesa"), "tech": tech, **t}


def test_filters(queue):
    desk = queue["desk"]
    n = {k: v.number for k, v in queue.items() if isinstance(v, Ticket)}
    assert _filter(desk, status=["en_espera"]) == {n["held"]}
    assert _filter(desk, category="cuentas") == {n["vpn"]}  # a parent includes its children
    assert _filter(desk, priority=["critica"]) == {n["printer"]}
    assert _filter(desk, team="OGTIE-CIBERSEGURIDAD") == {n["phish"]}
    assert _filter(desk, team="OGTIE") == set(n.values())  # OGTIE includes its teams
    assert _filter(desk, assignee=queue["tech"].username) == {n["printer"]}
    assert _filter(queue["tech"], assignee="yo") == {n["printer"]}
    assert n["printer"] not in _filter(desk, assignee="ninguno")
    assert _filter(desk, unit="OGAJ") == {n["vpn"], n["phish"]}
    assert _filter(desk, unit="DGA") == {n["printer"], n["held"]}  # DIGEP is under DGA


def test_bad_filter_values_are_field_errors(queue):
    form = TicketFilterSet(
        {"category": "nope", "team": "XYZ", "status": ["abierto"]},
        queryset=queue_queryset(queue["desk"]),
    )
    assert not form.is_valid()
    assert set(form.errors) == {"category", "team", "status"}
    assert list(form.qs) == []


def test_overdue_excludes_paused_and_done(queue):
    past = timezone.now() - datetime.timedelta(hours=1)
    Ticket.objects.update(resolution_due_at=past)
    overdue = _filter(queue["desk"], overdue="on")
    assert overdue == {queue[k].number for k in ("printer", "vpn", "phish")}  # not "held"


def test_keyset_pages_are_stable_while_tickets_arrive(org):
    person = requester_user().person
    made = [ticket_in_status(person) for _ in range(7)]
    base = Ticket.objects.all()
    first = page_of_tickets(base, size=3)
    assert [t.number for t in first.tickets] == [t.number for t in made[::-1][:3]]
    ticket_in_status(person)  # a new ticket between two page loads
    second = page_of_tickets(base, cursor=first.next_cursor, size=3)
    third = page_of_tickets(base, cursor=second.next_cursor, size=3)
    seen = [t.number for p in (first, second, third) for t in p.tickets]
    assert seen == [t.number for t in made[::-1]]
    assert third.next_cursor is None


def test_same_created_at_is_ordered_by_id(org):
    person = requester_user().person
    made = [ticket_in_status(person) for _ in range(4)]
    Ticket.objects.update(created_at=timezone.now())
    first = page_of_tickets(Ticket.objects.all(), size=2)
    second = page_of_tickets(Ticket.objects.all(), cursor=first.next_cursor, size=2)
    assert [t.pk for t in first.tickets + second.tickets] == [t.pk for t in made[::-1]]


def test_a_forged_cursor_is_a_400(org):
    client = APIClient()
    client.force_authenticate(staff_user("operador-mesa"))
    response = client.get("/api/v1/tickets/", {"cursor": "no-es-un-cursor"})
    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


def test_search_words_and_numbers(queue):
    desk = queue["desk"]
    assert _filter(desk, q="impresora") == {queue["printer"].number}
    assert _filter(desk, q="phishing correo") == {queue["phish"].number}
    assert _filter(desk, q=queue["vpn"].number.lower()) == {queue["vpn"].number}
    assert _filter(desk, q="inexistente") == set()
    assert _filter(queue["tech"], q="phishing") == set()  # search never widens visibility


@requires_postgres
@pytest.mark.postgres
def test_postgres_full_text_stems_spanish_and_uses_websearch_syntax(queue):
    qs = Ticket.objects.all()
    hits = set(search_tickets(qs, "impresoras atascadas").values_list("number", flat=True))
    assert hits == {queue["printer"].number}
    assert not search_tickets(qs, '"correo impresora"').exists()
    minus = set(search_tickets(qs, "correo -phishing").values_list("number", flat=True))
    assert queue["phish"].number not in minus


def _list(client):
    response = client.get("/api/v1/tickets/", {"status": ["registrado", "asignado"], "q": ""})
    assert response.status_code == 200
    return response.json()


def test_queue_query_count_does_not_grow(org, django_assert_num_queries):
    desk = staff_user("operador-mesa")
    client = APIClient()
    client.force_login(desk)  # a session: the user, grants and person are read per request
    person = requester_user().person
    for _ in range(3):
        ticket_in_status(person, "asignado")
    # session (none with REDIS_URL: cached_db), user, grants, the page (one query with its joins)
    with django_assert_num_queries(session_read_statements() + 3) as small:
        assert len(_list(client)) == 3
    for _ in range(12):
        ticket_in_status(person, "asignado")
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(_list(client)) == 15


def test_team_queue_query_count_does_not_grow(org, django_assert_num_queries):
    tech = staff_user("resp-soporte")
    client = APIClient()
    client.force_login(tech)
    person = requester_user().person
    _ticket(person)
    # session (none with REDIS_URL: cached_db), user, grants, person (the team), the page
    with django_assert_num_queries(session_read_statements() + 4) as small:
        _list(client)
    for _ in range(10):
        _ticket(person)
    with django_assert_num_queries(len(small.captured_queries)):
        assert len(_list(client)) == 11
