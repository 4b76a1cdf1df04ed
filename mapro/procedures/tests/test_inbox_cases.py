"""'Mis tareas' and ``GET /api/v1/tasks/`` say what each case is (issue 14, item 6): the
ticket's number and subject or the case's title, the requester and their unit, the due date
and whether it is overdue; sorted and filtered by procedure and due window, in the URL."""

# The fixtures come from views_helpers: using them as arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import datetime
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from mapro.core.testing import make_user
from mapro.helpdesk.models import Ticket
from mapro.helpdesk.testing import ticket_in_status
from mapro.procedures.actions import do_start_instance
from mapro.procedures.models import Instance, WorkItem

from .test_api_runtime import check_response, openapi  # noqa: F401
from .views_helpers import CODE, cast, fresh, open_item, published, start  # noqa: F401

pytestmark = pytest.mark.django_db

LIMA = ZoneInfo("America/Lima")
#: Wednesday 11 March 2026, 10:00 in Lima: "today" ends at Thursday 00:00, "this week" at
#: Monday 16 March 00:00.
NOW = datetime.datetime(2026, 3, 11, 10, 0, tzinfo=LIMA)
INBOX = reverse("procedures:inbox")
API = "/api/v1/tasks/"


@pytest.fixture
def clock() -> Any:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def html_of(user: Any, query: str = "") -> str:
    client = Client()
    client.force_login(user)
    response = client.get(f"{INBOX}{query}")
    assert response.status_code == 200, response
    return response.content.decode()


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def link_ticket(instance: Instance, requester: Any, subject: str) -> Ticket:
    """A help-desk ticket of ``requester`` linked to ``instance`` (as the portal links it)."""
    ticket = ticket_in_status(requester.person, subject=subject)
    Ticket.objects.filter(pk=ticket.pk).update(instance=instance)
    return ticket


def task_order(html: str, items: list[WorkItem]) -> list[int]:
    """The ids of ``items`` in the order the page lists them (absent ones left out)."""
    found = [(html.find(reverse("procedures:task_detail", args=[i.pk]) + '"'), i.pk) for i in items]
    return [pk for at, pk in sorted(found) if at >= 0]


def set_item(item: WorkItem, *, due: datetime.datetime | None, created: datetime.datetime) -> None:
    WorkItem.objects.filter(pk=item.pk).update(due_at=due, created_at=created)
    item.role_rows.update(created_at=created)


# --- what each case is ------------------------------------------------------------------------


def test_inbox_shows_the_ticket_or_the_case_title_requester_unit_and_due(published, cast, clock):
    with_ticket = start(cast.operador)
    ticket = link_ticket(with_ticket, cast.outsider, "Correo con premio sospechoso")
    without = start(cast.operador)
    set_item(open_item(with_ticket), due=NOW + datetime.timedelta(hours=7), created=NOW)
    set_item(open_item(without), due=None, created=NOW)

    html = html_of(cast.operador2)
    first, second = html.split('<li class="list-group-item', 2)[1:]
    # the ticket's number and subject, its requester and the requester's unit
    assert ticket.number in first and "Correo con premio sospechoso" in first
    assert f"Solicitante: {cast.outsider.person.full_name}" in first
    assert '<abbr title="Otra unidad">OTRA</abbr>' in first
    assert 'Vence el <time datetime="2026-03-11T17:00:00-05:00">11/03/2026 17:00</time>' in first
    # no ticket: the procedure and the instance number, who started it and the instance's unit
    assert f"Contención de ataques SPAM y/o PHISHING N° {without.pk}" in second
    assert f"Solicitante: {cast.operador.get_full_name()} · <abbr" in second
    assert '<abbr title="Oficina General de TI y Estadística">OGTIE</abbr>' in second
    assert "Sin plazo" in second and "Recibida el" in second
    assert "hace " not in html


def test_a_case_whose_starter_is_gone_shows_the_recorded_name(published, cast, clock):
    instance = start(cast.operador)
    Instance.objects.filter(pk=instance.pk).update(started_by=None, started_by_name="sistema")
    assert "Solicitante: sistema · <abbr" in html_of(cast.operador)


def test_inbox_marks_an_overdue_task(published, cast, clock):
    item = open_item(start(cast.operador))
    set_item(item, due=NOW - datetime.timedelta(hours=3), created=NOW - datetime.timedelta(days=1))
    html = html_of(cast.operador)
    assert "task-overdue" in html and "1 vencida" in html
    assert '<strong class="text-danger">Vencida</strong> desde el' in html
    assert "11/03/2026 07:00" in html


def test_a_multi_instance_task_shows_its_item_label(published, cast, clock):
    item = open_item(start(cast.operador))
    WorkItem.objects.filter(pk=item.pk).update(item={"label": "DIGEPE", "value": "DIGEPE"})
    assert '<span class="badge text-bg-secondary fw-normal">DIGEPE</span>' in html_of(cast.operador)


def test_api_adds_the_case_fields(published, cast, clock, openapi):
    with_ticket = start(cast.operador)
    ticket = link_ticket(with_ticket, cast.outsider, "Correo con premio sospechoso")
    without = start(cast.operador)
    set_item(open_item(with_ticket), due=NOW - datetime.timedelta(minutes=1), created=NOW)
    response = api(cast.operador).get(API)
    assert response.status_code == 200
    check_response(openapi, "/api/v1/tasks/", "get", response)
    body = response.json()
    assert isinstance(body, list)  # the contract: a bare list
    by_instance = {t["instance"]: t for t in body}
    fields = ("ticket_number", "ticket_subject", "title", "requester", "requester_unit",
              "requester_unit_name", "overdue", "due_at")  # fmt: skip
    assert {k: by_instance[with_ticket.pk][k] for k in fields} == {
        "ticket_number": ticket.number,
        "ticket_subject": "Correo con premio sospechoso",
        "title": f"Ticket {ticket.number}: Correo con premio sospechoso",
        "requester": cast.outsider.person.full_name,
        "requester_unit": "OTRA",
        "requester_unit_name": "Otra unidad",
        "overdue": True,
        "due_at": "2026-03-11T09:59:00-05:00",
    }
    plain = by_instance[without.pk]
    assert (plain["ticket_number"], plain["ticket_subject"], plain["title"]) == (
        None,
        None,
        f"Contención de ataques SPAM y/o PHISHING N° {without.pk}",
    )
    assert (plain["requester"], plain["requester_unit"], plain["overdue"]) == (
        cast.operador.get_full_name(),
        "OGTIE",
        False,
    )


# --- order -----------------------------------------------------------------------------------


@pytest.fixture
def three(published, cast, clock) -> list[WorkItem]:
    """Three tasks: the oldest due last, the middle one due first, the newest without a limit."""
    items = [open_item(start(cast.operador)) for _ in range(3)]
    hour = datetime.timedelta(hours=1)
    set_item(items[0], due=NOW + 30 * hour, created=NOW - 3 * hour)
    set_item(items[1], due=NOW + 2 * hour, created=NOW - 2 * hour)
    set_item(items[2], due=None, created=NOW - hour)
    return items


def test_inbox_sorts_oldest_newest_and_by_due_date(three, cast):
    a, b, c = (i.pk for i in three)
    assert task_order(html_of(cast.operador), three) == [a, b, c]
    assert task_order(html_of(cast.operador, "?orden=antiguas"), three) == [a, b, c]
    assert task_order(html_of(cast.operador, "?orden=recientes"), three) == [c, b, a]
    html = html_of(cast.operador, "?orden=vencimiento")
    assert task_order(html, three) == [b, a, c]
    assert '<option value="vencimiento" selected>' in html


def test_api_orders_and_pages_in_that_order(three, cast, openapi):
    a, b, c = (i.pk for i in three)
    client = api(cast.operador)
    for ordering, expected in (("created_at", [a, b, c]), ("-created_at", [c, b, a]),
                               ("due_at", [b, a, c])):  # fmt: skip
        whole = client.get(f"{API}?ordering={ordering}").json()
        assert [t["id"] for t in whole] == expected, ordering
        # page by page (a cursor of this order), the same sequence
        seen: list[int] = []
        url: str | None = f"{API}?ordering={ordering}&limit=1"
        while url:
            response = client.get(url)
            check_response(openapi, "/api/v1/tasks/", "get", response)
            seen += [t["id"] for t in response.json()]
            link = response.headers.get("Link")
            url = link[1 : link.index(">")] if link else None
        assert seen == expected, ordering
    # a cursor of one order is refused in another
    cursor = client.get(f"{API}?ordering=due_at&limit=1").headers["X-Next-Cursor"]
    response = client.get(f"{API}?cursor={cursor}")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["cursor"]


def test_inbox_next_page_keeps_the_filters(three, cast, monkeypatch):
    from mapro.procedures import selectors

    monkeypatch.setattr(selectors, "INBOX_PAGE_SIZE", 1)
    html = html_of(cast.operador, "?orden=vencimiento&vence=semana")
    assert task_order(html, three) == [three[1].pk]
    next_href = re.search(r'rel="next" href="([^"]+)"', html)
    assert next_href is not None
    href = next_href.group(1).replace("&amp;", "&")
    assert "orden=vencimiento" in href and "vence=semana" in href
    second = html_of(cast.operador, href[len(INBOX) :])
    assert task_order(second, three) == [three[0].pk]
    assert 'rel="next"' not in second  # the task without a limit is not due this week


# --- filters ---------------------------------------------------------------------------------


@pytest.fixture
def windows(published, cast, clock) -> dict[str, WorkItem]:
    """One task per due window at NOW (Wednesday 10:00): overdue, today, this week, next
    week, no limit."""
    names = ["overdue", "today", "week", "next_week", "none"]
    items = {name: open_item(start(cast.operador)) for name in names}
    dues = {
        "overdue": NOW - datetime.timedelta(hours=1),
        "today": NOW.replace(hour=23, minute=59),
        "week": datetime.datetime(2026, 3, 15, 23, 0, tzinfo=LIMA),  # Sunday night
        "next_week": datetime.datetime(2026, 3, 16, 0, 0, tzinfo=LIMA),  # Monday 00:00
        "none": None,
    }
    for n, name in enumerate(names):
        set_item(items[name], due=dues[name], created=NOW - datetime.timedelta(hours=10 - n))
    return items


def test_inbox_filters_by_due_window(windows, cast):
    every = list(windows.values())
    pk = {name: item.pk for name, item in windows.items()}
    assert task_order(html_of(cast.operador, "?vence=vencidas"), every) == [pk["overdue"]]
    assert task_order(html_of(cast.operador, "?vencidas=1"), every) == [pk["overdue"]]  # old URL
    assert task_order(html_of(cast.operador, "?vence=hoy"), every) == [pk["today"]]
    html = html_of(cast.operador, "?vence=semana")
    assert task_order(html, every) == [pk["today"], pk["week"]]
    assert '<option value="semana" selected>' in html
    assert len(task_order(html_of(cast.operador), every)) == 5


def test_api_filters_by_due_window(windows, cast):
    pk = {name: item.pk for name, item in windows.items()}
    client = api(cast.operador)

    def ids(query: str) -> list[int]:
        response = client.get(f"{API}?{query}")
        assert response.status_code == 200, response.json()
        return [t["id"] for t in response.json()]

    assert ids("due=overdue") == ids("overdue=true") == [pk["overdue"]]
    assert ids("due=today") == [pk["today"]]
    assert ids("due=week") == [pk["today"], pk["week"]]
    assert ids("due=week&ordering=-created_at") == [pk["week"], pk["today"]]


@pytest.fixture
def two_procedures(published, cast, clock) -> tuple[Any, WorkItem, WorkItem]:
    """A holder of operador-mesa and coord-innovacion with a task of each procedure."""
    both = make_user("operador-mesa", unit=cast.ogtie, roles=("coord-innovacion",))
    spam = open_item(start(both))
    baja = open_item(do_start_instance("S04.02.00.03", actor=fresh(both)))
    return both, spam, baja


def test_inbox_filters_by_procedure(two_procedures):
    both, spam, baja = two_procedures
    assert task_order(html_of(both), [spam, baja]) == [spam.pk, baja.pk]
    html = html_of(both, f"?procedimiento={CODE}")
    assert task_order(html, [spam, baja]) == [spam.pk]
    assert f'<option value="{CODE}" selected>' in html
    assert task_order(html_of(both, "?procedimiento=S04.02.00.03"), [spam, baja]) == [baja.pk]
    empty = html_of(both, f"?procedimiento={CODE}&vence=vencidas")
    assert "No tiene tareas vencidas de este procedimiento." in empty


def test_api_filters_by_procedure(two_procedures):
    both, _spam, baja = two_procedures
    body = api(both).get(f"{API}?procedure=S04.02.00.03").json()
    assert [(t["id"], t["procedure"]) for t in body] == [(baja.pk, "S04.02.00.03")]


def test_bad_filter_values_are_refused(published, cast, clock, openapi):
    open_item(start(cast.operador))
    client = api(cast.operador)
    for query, fields in (
        ("due=manana", ["due"]),
        ("ordering=name", ["ordering"]),
        ("procedure=S99.99", ["procedure"]),
        ("due=ayer&ordering=x", ["due", "ordering"]),
        ("overdue=true&due=week", ["due"]),
    ):
        response = client.get(f"{API}?{query}")
        assert response.status_code == 400, query
        check_response(openapi, "/api/v1/tasks/", "get", response)
        body = response.json()
        assert sorted(body["errors"]) == fields and body["detail"], query
    # the screen goes back to the whole inbox and says which filter was wrong, in Spanish
    browser = Client()
    browser.force_login(cast.operador)
    response = browser.get(f"{INBOX}?vence=manana", follow=True)
    assert response.redirect_chain == [(INBOX, 302)]
    html = response.content.decode()
    assert "El filtro «vence» no es válido; se muestran todas sus tareas." in html
    assert "Traceback" not in html


# --- cost and scope --------------------------------------------------------------------------


def test_query_count_is_the_same_for_one_task_or_many(published, cast, clock):
    def tasks_with_tickets(n: int) -> None:
        for _ in range(n):
            link_ticket(start(cast.operador), cast.outsider, "Correo sospechoso")

    tasks_with_tickets(1)
    start(cast.operador)  # and one without a ticket
    browser = Client()
    browser.force_login(cast.operador)
    client = api(cast.operador)
    urls = [(browser, f"{INBOX}?orden=vencimiento&procedimiento={CODE}"), (browser, INBOX),
            (client, f"{API}?ordering=due_at&procedure={CODE}"), (client, API)]  # fmt: skip
    for who, url in urls:
        who.get(url)  # warm up (session, content types)
    counts = []
    for who, url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert who.get(url).status_code == 200
        counts.append(len(queries))
    tasks_with_tickets(6)
    for (who, url), expected in zip(urls, counts, strict=True):
        with CaptureQueriesContext(connection) as queries:
            response = who.get(url)
        assert len(queries) == expected, url
        marker = '"ticket_subject":"Correo sospechoso"' if url.startswith(API) else "Correo sos"
        assert response.content.decode().count(marker) == 7, url


def test_another_role_does_not_see_the_tasks(published, cast, clock):
    item = open_item(start(cast.operador))
    link_ticket(item.instance, cast.outsider, "Correo con premio sospechoso")
    for user in (cast.soporte, cast.outsider):
        for query in ("", f"?procedimiento={CODE}", "?orden=recientes", "?vence=semana"):
            html = html_of(user, query)
            assert reverse("procedures:task_detail", args=[item.pk]) not in html, query
            assert "Correo con premio sospechoso" not in html, query
        assert api(user).get(f"{API}?procedure={CODE}").json() == []
