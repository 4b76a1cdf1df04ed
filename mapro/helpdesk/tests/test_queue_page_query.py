"""The page query that bench_helpdesk_queue.py shaped: ids chosen in a subquery (with the
search and the cursor inside it), category subtrees filtered by literal ids."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mapro.helpdesk.filtersets import TicketFilterSet
from mapro.helpdesk.selectors import page_of_tickets, queue_queryset
from mapro.helpdesk.testing import ticket_in_status

from .helpers import category, requester_user, staff_user

pytestmark = pytest.mark.django_db


def _pages(user, size, **params):
    """Every page of the filtered queue, following the cursor; the numbers in order."""
    seen, cursor = [], None
    for _ in range(20):
        form = TicketFilterSet(params, queryset=queue_queryset(user), user=user)
        assert form.is_valid(), form.errors
        page = page_of_tickets(form.qs, cursor=cursor, size=size)
        seen += [t.number for t in page.tickets]
        cursor = page.next_cursor
        if cursor is None:
            return seen
    raise AssertionError("the cursor chain does not end")


def _make(person, subject, code="soporte-tecnico", **kwargs):
    data = {"ubicacion": "Piso 2"} if code == "soporte-tecnico" else kwargs.pop("data", {})
    return ticket_in_status(person, category=category(code), subject=subject, data=data, **kwargs)


def test_search_pages_follow_the_cursor_inside_the_subquery(org):
    person = requester_user().person
    made = []
    for n in range(7):
        made.append(_make(person, f"Impresora {n} sin tóner"))
        _make(person, f"Monitor {n} sin señal")
    desk = staff_user("operador-mesa")
    expected = [t.number for t in reversed(made)]
    assert _pages(desk, 3, q="impresora") == expected
    assert _pages(desk, 50, q="impresora") == expected


def test_search_page_never_widens_visibility(org):
    mine, other = requester_user("DIGEP"), requester_user("OGAJ")
    own = [_make(mine.person, f"Impresora {n}") for n in range(3)]
    _make(other.person, "Impresora ajena")
    assert _pages(mine, 2, q="impresora") == [t.number for t in reversed(own)]


def test_category_filter_includes_the_subtree_in_one_query(org):
    person = requester_user().person
    removal = {"cuenta": "x", "motivo": "baja"}
    child = _make(person, "Eliminar cuenta", "cuentas-eliminacion", data=removal)
    _make(person, "Impresora")
    desk = staff_user("operador-mesa")
    assert _pages(desk, 10, category="cuentas") == [child.number]
    assert _pages(desk, 10, category="cuentas-eliminacion") == [child.number]
    form = TicketFilterSet({"category": "cuentas"}, queryset=queue_queryset(desk), user=desk)
    with CaptureQueriesContext(connection) as ctx:
        assert form.is_valid()
    assert len(ctx.captured_queries) == 1
    assert not TicketFilterSet(
        {"category": "no-existe"}, queryset=queue_queryset(desk), user=desk
    ).is_valid()
