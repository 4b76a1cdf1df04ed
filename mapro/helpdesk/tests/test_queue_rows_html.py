"""The console queue's rows drawn in Python (``ticket_display.queue_rows``, issue #15).

The rows are read as dicts (``paging.page_both_ways`` with ``fields``) and each row's HTML is
built with ``str.format`` over values escaped with ``html.escape``. These tests hold it to what
Django's own escaping (``format_html``) gives for the same row, in every branch (overdue,
paused, finished, assigned or not), with markup and quotes in every text a user can type, and
check the page itself shows them escaped.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from mapro.helpdesk import actions
from mapro.helpdesk.testing import ticket_in_status
from mapro.helpdesk.views import ticket_display
from mapro.helpdesk.views.ticket_display import _DUE, _ROW, queue_rows

from .helpers import category, requester_user, staff_user

pytestmark = pytest.mark.django_db

NASTY = "<b>Ñandú</b> & \"comillas\" 'simples'"


def support(person, status="registrado", **kwargs):
    kwargs.setdefault("data", {"ubicacion": "Piso 2"})
    return ticket_in_status(person, status, category=category("soporte-tecnico"), **kwargs)


def _reference_html(row: dict) -> str:
    """A row as ``format_html`` draws it (Django's escaping of every value)."""
    if row["paused"]:
        due = mark_safe('<span class="text-body-secondary">Detenido</span>')
    elif row["finished"]:
        due = mark_safe('<span class="text-body-secondary">—</span>')
    else:
        overdue = '<br><span class="badge text-bg-danger">Vencido</span>' if row["overdue"] else ""
        due = format_html(
            _DUE,
            due_iso=row["due_iso"],
            due_day=row["due_day"],
            due_time=row["due_time"],
            overdue=mark_safe(overdue),
        )
    return format_html(
        _ROW,
        tr_class=mark_safe(' class="table-danger hd-overdue"' if row["overdue"] else ""),
        number=row["number"],
        url=row["url"],
        subject=row["subject"],
        category=row["category"],
        unit=row["unit"],
        status_badge=row["status_badge"],
        status_label=row["status_label"],
        priority_badge=row["priority_badge"],
        priority_label=row["priority_label"],
        requester=row["requester"],
        team=row["team"],
        assignee=row["assignee"] or "Sin asignar",
        due=due,
    )


def _dict_row(**changes) -> dict:
    base = {
        "id": 7,
        "number": "MA-2026-000007",
        "subject": NASTY,
        "status": "asignado",
        "priority": "alta",
        "channel": "portal",
        "created_at": timezone.now(),
        "response_due_at": timezone.now(),
        "resolution_due_at": timezone.now() + datetime.timedelta(hours=3),
        "paused_since": None,
        "category__code": "x",
        "category__name": f"Cat {NASTY}",
        "team__code": "T&<1>",
        "team__name": "Equipo",
        "requester_id": 1,
        "requester__first_name": "Ana <i>",
        "requester__last_name": "O'Neil",
        "requester_unit__code": 'U"1',
        "assignee__username": "jperez",
        "assignee__first_name": "Juan",
        "assignee__last_name": "<Pérez>",
    }
    return {**base, **changes}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"resolution_due_at": timezone.now() - datetime.timedelta(hours=1)},  # overdue
        {"status": "en_espera"},  # paused
        {"status": "resuelto"},  # finished
        {"assignee__username": None, "assignee__first_name": None, "assignee__last_name": None},
        {"assignee__first_name": "", "assignee__last_name": ""},  # only the username
        {"priority": "otra", "status": "otro"},  # unknown codes show as they are
    ],
)
def test_row_html_is_what_format_html_gives(changes):
    [row] = queue_rows([_dict_row(**changes)], lambda n: f"/consola/{n}/?a=1&b=<2>")
    assert row["html"] == _reference_html(row)
    assert NASTY not in row["html"]  # escaped, never raw


def test_row_values_match_the_ticket(org):
    ana = requester_user("DIGEP")
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    ticket = support(ana.person, subject=NASTY)
    actions.do_assign_ticket(ticket, actor=None, assignee=tech)
    ticket.refresh_from_db()
    [row] = queue_rows(_page_rows(ticket.number), lambda n: n)
    assert row["number"] == ticket.number
    assert row["subject"] == ticket.subject
    assert row["category"] == ticket.category.name
    assert row["requester"] == ticket.requester.full_name
    assert row["unit"] == ticket.requester_unit.code
    assert row["team"] == ticket.team.code
    assert row["assignee"] == (tech.get_full_name() or tech.username)
    assert row["status_label"] == ticket.get_status_display()
    assert row["priority_label"] == ticket.get_priority_display()
    due = timezone.localtime(ticket.resolution_due_at)
    assert (row["due_iso"], row["due_day"], row["due_time"]) == (
        due.isoformat(),
        due.strftime("%d/%m"),
        due.strftime("%H:%M"),
    )
    assert row["overdue"] == ticket_display.is_overdue(ticket)


def _page_rows(number: str) -> list[dict]:
    from mapro.helpdesk.models import Ticket
    from mapro.helpdesk.paging import page_both_ways
    from mapro.helpdesk.selectors import QUEUE_ROW_FIELDS

    return page_both_ways(Ticket.objects.filter(number=number), fields=QUEUE_ROW_FIELDS).tickets


def test_console_page_shows_typed_text_escaped(org, client):
    client.force_login(staff_user("operador-mesa", "OGTIE"))
    ana = requester_user("DIGEP")
    ticket = support(ana.person, subject=NASTY)
    html = client.get(reverse("helpdesk:console_queue")).content.decode()
    assert "&lt;b&gt;Ñandú&lt;/b&gt; &amp; &quot;comillas&quot; &#x27;simples&#x27;" in html
    assert NASTY not in html
    assert f'href="{reverse("helpdesk:console_ticket", args=[ticket.number])}"' in html
    assert category("soporte-tecnico").name in html
