""" "Mis solicitudes" reads the requester's own tickets with a plain keyset query on the
requester's indexes (``views.portal.my_tickets_pager``, ``selectors.own_tickets``; issue #15),
no longer through the staff queue's query: the same rows and the same page links as the queue's
query gave, on tickets with ties in their registration time, open and closed, other people's
tickets registered at the same instants and a ticket the requester registered for someone
else (``created_by`` is theirs, the ticket is not); the pages walked both ways over HTTP skip
and repeat nothing; on PostgreSQL, each view is read from its index, in a prepared
statement's generic plan too."""

from __future__ import annotations

import datetime
import html as htmlmod
import re

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from mapro.helpdesk import access
from mapro.helpdesk.choices import Status
from mapro.helpdesk.filtersets import TicketFilterSet
from mapro.helpdesk.models import Ticket
from mapro.helpdesk.paging import Pager, page_both_ways
from mapro.helpdesk.selectors import QUEUE_ROW_FIELDS, queue_queryset
from mapro.helpdesk.testing import ticket_in_status
from mapro.helpdesk.views import portal
from mapro.helpdesk.views.ticket_display import PORTAL_ROW_FIELDS

from .helpers import category, generic_plan, new_ticket, requester_user, staff_user

pytestmark = pytest.mark.django_db

SIZE = 3
START = datetime.datetime(2026, 3, 2, 15, 0, tzinfo=datetime.UTC)
STATUSES = ("registrado", "cerrado", "asignado", "resuelto", "cerrado", "en_espera", "devuelto")


def _old_pager(user, view: str, q: str, cursor=None, before=None) -> Pager:
    """The query "Mis solicitudes" ran before (the staff queue's, filtered by requester),
    kept here as the reference."""
    person = access.person_of(user)
    qs = queue_queryset(user).filter(requester_id=person.pk)
    params = {"q": q}
    if view != "todas":
        params["status"] = [s for s in Status.values if s != Status.CERRADO]
    filters = TicketFilterSet(params, queryset=qs, user=user)
    return page_both_ways(
        filters.qs,
        cursor=cursor,
        before=before,
        size=SIZE,
        fields=(*QUEUE_ROW_FIELDS, "closed_at"),
    )


def _new_pager(user, view: str, q: str, cursor=None, before=None) -> Pager:
    person = access.person_of(user)
    return portal.my_tickets_pager(person, view=view, q=q, cursor=cursor, before=before, size=SIZE)


def _shown(pager: Pager) -> list[dict]:
    return [{f: row[f] for f in PORTAL_ROW_FIELDS} for row in pager.tickets]


@pytest.fixture
def world(org):
    """Ana (a desk operator: she sees every ticket in the console) requests tickets for
    herself, several at each instant, in every status; Beto's tickets are registered at the
    same instants; Ana registers one for Beto."""
    ana = staff_user("operador-mesa", "OGTIE")
    beto = requester_user("DIGEP")
    support = category("soporte-tecnico")
    data = {"data": {"ubicacion": "Piso 2"}}
    mine, others = [], []
    for i in range(5):
        with time_machine.travel(START + datetime.timedelta(days=i), tick=False):
            for j, status in enumerate(STATUSES[i : i + 3]):
                subject = f"Impresora {i}-{j}" if j % 2 else f"Correo {i}-{j}"
                mine.append(
                    ticket_in_status(ana.person, status, category=support, subject=subject, **data)
                )
                others.append(
                    ticket_in_status(beto.person, status, category=support, subject=subject, **data)
                )
            if i == 2:
                others.append(
                    new_ticket(ana, requester=beto.person, channel="telefono", subject="Para Beto")
                )
    assert len({t.created_at for t in mine}) == 5  # three tickets at each instant
    assert Ticket.objects.filter(created_by=ana, requester=beto.person).exists()
    return ana, mine, others


def _walk(pager_of, user, view: str, q: str) -> list[Pager]:
    """Every page from the first, following the next cursor."""
    pages = [pager_of(user, view, q)]
    while pages[-1].next_cursor:
        pages.append(pager_of(user, view, q, cursor=pages[-1].next_cursor))
        assert len(pages) < 20
    return pages


@pytest.mark.parametrize(
    "view, q",
    [("abiertas", ""), ("todas", ""), ("todas", "impresora"), ("abiertas", "correo")],
)
def test_the_same_rows_and_links_as_the_queue_query(world, view, q):
    ana, _mine, others = world
    old, new = _walk(_old_pager, ana, view, q), _walk(_new_pager, ana, view, q)
    assert [_shown(p) for p in new] == [_shown(p) for p in old]
    assert [(p.next_cursor, p.previous_cursor) for p in new] == [
        (p.next_cursor, p.previous_cursor) for p in old
    ]
    # And back up: each "Más recientes" page, from the last one.
    for k in range(len(new) - 1, 0, -1):
        back_old = _old_pager(ana, view, q, before=old[k].previous_cursor)
        back_new = _new_pager(ana, view, q, before=new[k].previous_cursor)
        assert _shown(back_new) == _shown(back_old) == _shown(new[k - 1])
        assert (back_new.next_cursor, back_new.previous_cursor) == (
            back_old.next_cursor,
            back_old.previous_cursor,
        )
    shown = [row["number"] for p in new for row in p.tickets]
    assert len(new) > 1 and shown
    assert not {t.number for t in others} & set(shown)


def test_a_number_and_a_refused_search(world):
    ana, mine, others = world
    closed = next(t for t in mine if t.status == Status.CERRADO)
    for view, expected in (("todas", [closed.number]), ("abiertas", [])):
        pager = _new_pager(ana, view, closed.number.lower())
        assert [r["number"] for r in pager.tickets] == expected
        assert _shown(pager) == _shown(_old_pager(ana, view, closed.number.lower()))
    # Beto's number is not found in Ana's list.
    assert _new_pager(ana, "todas", others[0].number).tickets == []
    # Longer than the search field takes: nothing, as the filter set's empty list.
    assert _new_pager(ana, "todas", "x" * 201).tickets == []
    assert _old_pager(ana, "todas", "x" * 201).tickets == []


def _numbers(html: str) -> list[str]:
    return re.findall(r'<span class="font-monospace">(MA-[0-9-]+)</span>', html)


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'href="([^"]*)" rel="{rel}"', html)
    return htmlmod.unescape(found.group(1)) if found else None


@pytest.mark.parametrize("view", ["abiertas", "todas"])
def test_pages_walked_both_ways_skip_and_repeat_nothing(world, client, monkeypatch, view):
    ana, mine, _others = world
    monkeypatch.setattr(portal, "PORTAL_SIZE", SIZE)
    client.force_login(ana)
    expected = [
        t.number
        for t in sorted(mine, key=lambda t: (t.created_at, t.pk), reverse=True)
        if view == "todas" or t.status != Status.CERRADO
    ]
    url = f"{reverse('helpdesk:my_tickets')}?ver={view}"
    pages = []
    while url:
        html = client.get(url).content.decode()
        pages.append(_numbers(html))
        url = _link(html, "next")
    assert [n for page in pages for n in page] == expected
    assert all(len(page) == SIZE for page in pages[:-1])
    # Back up with "Más recientes" from the last page: the same pages, in reverse.
    back = []
    url = _link(client.get(f"{reverse('helpdesk:my_tickets')}?ver={view}").content.decode(), "next")
    html = ""
    while url:  # to the last page again
        html = client.get(url).content.decode()
        url = _link(html, "next")
    url = _link(html, "prev")
    while url:
        html = client.get(url).content.decode()
        back.append(_numbers(html))
        url = _link(html, "prev")
    assert back == pages[-2::-1]


def test_a_date_jump_starts_at_that_day(world, client):
    ana, mine, _others = world
    client.force_login(ana)
    day = (START + datetime.timedelta(days=2)).date()
    html = client.get(reverse("helpdesk:my_tickets"), {"ver": "todas", "fecha": day}).content
    numbers = _numbers(html.decode())
    that_day_and_before = sorted(
        (t for t in mine if t.created_at.date() <= day),
        key=lambda t: (t.created_at, t.pk),
        reverse=True,
    )
    assert numbers == [t.number for t in that_day_and_before]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="plans of PostgreSQL")
@pytest.mark.parametrize(
    "view, index", [("abiertas", "hd_ticket_requester_open"), ("todas", "hd_ticket_requester")]
)
def test_postgresql_reads_each_view_from_its_index(world, view, index):
    """The page's statement, prepared and planned for any requester (a generic plan, what a
    connection uses once it has run the statement a few times), is read from the view's index.

    A few test rows make any plan cheap, so the table keeps only that index (and those of its
    constraints; dropped inside the test's transaction, rolled back with it) and sorts and
    other scans are priced out: the plan uses the index if, and only if, the index's condition
    is provable from the statement as sent (a value sent as a parameter would not be)."""

    ana, _mine, _others = world
    sent = []

    def keep(execute, sql, params, many, context):
        sent.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        _new_pager(ana, view, "")
    ((sql, params),) = sent
    assert "DISTINCT" not in sql
    plan = generic_plan(sql, params, index)
    assert f"using {index} on" in plan, plan
    assert "$1" in plan  # generic
