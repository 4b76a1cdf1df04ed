"""The help-desk dashboard (page and API): its numbers equal a recount of the tickets, ticket by
ticket, for the desk and for a team; SLA states by the clock; who may open it. SQLite and
PostgreSQL (``DATABASE_URL``)."""

from __future__ import annotations

import datetime
import zoneinfo
from collections import Counter
from typing import Any

import pytest
import time_machine
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mapro.helpdesk import counters
from mapro.helpdesk.actions import (
    do_assign_ticket,
    do_put_ticket_on_hold,
    do_reclassify_ticket,
    do_resolve_ticket,
    do_return_ticket,
    do_start_ticket,
)
from mapro.helpdesk.choices import OPEN_STATUSES, PAUSED_STATUSES, Status
from mapro.helpdesk.dashboard import DAYS, build_dashboard
from mapro.helpdesk.models import Ticket
from mapro.organization.models import Unit

from .helpers import category, new_ticket, requester_user, staff_user, unit
from .test_dashboard_counters import people, run_mix  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
LIMA = zoneinfo.ZoneInfo("America/Lima")


def lima(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=LIMA)


def recount(tickets: list[Ticket], now: datetime.datetime) -> dict[str, Any]:
    """What the dashboard must say about ``tickets``, counted one ticket at a time."""
    open_ = [t for t in tickets if t.status in OPEN_STATUSES]
    first = now.astimezone(LIMA).date() - datetime.timedelta(days=DAYS - 1)
    created: Counter[datetime.date] = Counter(t.created_at.astimezone(LIMA).date() for t in tickets)
    closed: Counter[datetime.date] = Counter(
        t.closed_at.astimezone(LIMA).date() for t in tickets if t.closed_at
    )
    return {
        "open_total": len(open_),
        "by_status": Counter(t.status for t in tickets if t.status != Status.CERRADO),
        "by_team": Counter(t.team.code for t in open_),
        "by_priority": Counter(t.priority for t in open_),
        "by_category": {
            code: (
                sum(1 for t in open_ if t.category.code == code),
                sum(1 for t in tickets if t.category.code == code),
            )
            for code in {t.category.code for t in tickets}
        },
        "overdue": sum(
            1
            for t in open_
            if t.resolution_due_at < (t.paused_since if t.status in PAUSED_STATUSES else now)
        ),
        "oldest": [t.number for t in sorted(open_, key=lambda t: (t.created_at, t.pk))][:10],
        "created": {d: n for d, n in created.items() if d >= first},
        "closed": {d: n for d, n in closed.items() if d >= first},
    }


def shown(board: Any) -> dict[str, Any]:
    return {
        "open_total": board.open_total,
        "by_status": Counter({x.code: x.count for x in board.by_status if x.count}),
        "by_team": Counter({x.code: x.count for x in board.by_team}),
        "by_priority": Counter({x.code: x.count for x in board.by_priority if x.count}),
        "by_category": {x.code: (x.count, x.extra["total"]) for x in board.by_category},
        "overdue": board.sla["vencido"],
        "oldest": [t.number for t in board.oldest],
        "created": {d.day: d.created for d in board.days if d.created},
        "closed": {d.day: d.closed for d in board.days if d.closed},
    }


def test_the_desk_dashboard_equals_a_recount_after_a_mix_of_actions(
    people: dict[str, Any],  # noqa: F811
) -> None:
    run_mix(people)
    with time_machine.travel(lima("2026-03-12T15:00"), tick=False):
        # Some more open tickets in every state, so that every figure is exercised.
        requester, desk = people["requester"], people["desk"]
        infra = unit("OGTIE-INFRAESTRUCTURA")
        registered = new_ticket(requester, code="equipos-telefonicos", data={}, impact="alto")
        held = do_start_ticket(
            do_assign_ticket(
                new_ticket(requester, code="capacitacion", data={}),
                actor=desk,
                team=infra,
                assignee=people["tech"],
            ),
            actor=people["tech"],
        )
        do_put_ticket_on_hold(held, actor=people["tech"], reason="Falta la lista.")
        do_return_ticket(
            new_ticket(requester, code="publicacion-servicio-web", data={}),
            actor=desk,
            observations="Indique la URL.",
        )
        do_resolve_ticket(
            do_assign_ticket(registered, actor=desk, team=infra),
            actor=desk,
            solution="Hecho.",
        )
        now = lima("2026-03-12T15:00")
        board = build_dashboard(desk, now)
    tickets = list(Ticket.objects.select_related("team", "category"))
    assert shown(board) == recount(tickets, now)
    assert board.whole_desk
    assert sum(board.sla.values()) == board.open_total
    assert board.by_status[0].code == Status.REGISTRADO  # every status but cerrado, in order
    assert [x.code for x in board.by_status][-1] == Status.DEVUELTO
    assert counters.ledger() == counters.recounted()


def test_a_team_sees_its_own_tickets_only(people: dict[str, Any]) -> None:  # noqa: F811
    run_mix(people)
    now = lima("2026-03-12T15:00")
    innov_user = people["innov"]
    with time_machine.travel(now, tick=False):
        board = build_dashboard(innov_user, now)
    team_ids = set(
        Unit.objects.filter(path__startswith=unit("OGTIE-INNOVACION").path).values_list(
            "id", flat=True
        )
    )
    mine = list(Ticket.objects.filter(team_id__in=team_ids).select_related("team", "category"))
    assert mine and len(mine) < Ticket.objects.count()
    assert shown(board) == recount(mine, now)
    assert not board.whole_desk
    assert {x.code for x in board.by_team} <= {"OGTIE-INNOVACION"}


def test_sla_states_follow_the_clock(org: Any) -> None:
    desk = staff_user("operador-mesa", "OGTIE")
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    requester = requester_user("DIGEP")
    infra = unit("OGTIE-INFRAESTRUCTURA")
    # Monday 09:00: a critical ticket (4 business hours), a low one (5 business days) and a
    # medium one that goes en espera at once.
    with time_machine.travel(lima("2026-03-02T09:00"), tick=False):
        critical = new_ticket(
            requester, code="capacitacion", data={}, impact="alto", urgency="alta"
        )
        low = new_ticket(requester, code="capacitacion", data={}, impact="bajo", urgency="baja")
        paused = new_ticket(requester, code="capacitacion", data={})
        paused = do_assign_ticket(paused, actor=desk, team=infra, assignee=tech)
        paused = do_start_ticket(paused, actor=tech)
        do_put_ticket_on_hold(paused, actor=tech, reason="Falta el anexo.")
    assert critical.resolution_due_at == lima("2026-03-02T13:00")

    def states(moment: str) -> dict[str, int]:
        when = lima(moment)
        with time_machine.travel(when, tick=False):
            return build_dashboard(desk, when).sla

    # 09:30: the critical one is due within half a business day: at risk.
    assert states("2026-03-02T09:30") == {
        "a_tiempo": 1,
        "en_riesgo": 1,
        "vencido": 0,
        "en_pausa": 1,
    }
    # 14:00: past its due time: breached; the paused one keeps waiting, not overdue.
    assert states("2026-03-02T14:00") == {
        "a_tiempo": 1,
        "en_riesgo": 0,
        "vencido": 1,
        "en_pausa": 1,
    }
    # A week later the low one is breached too; the paused one still is not (clock stopped).
    assert states("2026-03-10T10:00") == {
        "a_tiempo": 0,
        "en_riesgo": 0,
        "vencido": 2,
        "en_pausa": 1,
    }
    with time_machine.travel(lima("2026-03-10T10:00"), tick=False):
        board = build_dashboard(desk)
    assert [t.number for t in board.oldest] == [critical.number, low.number, paused.number]
    assert [t.overdue for t in board.oldest] == [True, True, False]


def test_page_and_api_for_the_right_roles_only(client: Any, people: dict[str, Any]) -> None:  # noqa: F811
    run_mix(people)
    page, api = reverse("helpdesk:dashboard"), reverse("helpdesk-api:ticket-dashboard")
    client.force_login(people["desk"])
    with time_machine.travel(lima("2026-03-12T15:00"), tick=False):
        response = client.get(page)
        data = client.get(api).json()
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tablero de la mesa de ayuda" in html
    assert "Registrados y cerrados por día (últimos 90 días)" in html
    assert '<div class="fs-3 fw-semibold" id="total-abiertos">2</div>' in html
    assert data["open_total"] == 2
    assert data["whole_desk"] is True
    assert len(data["days"]) == DAYS and data["days"][-1]["day"] == "2026-03-12"
    assert sum(d["closed"] for d in data["days"]) == 3
    assert {x["code"]: x["count"] for x in data["by_status"]}["asignado"] == 2
    assert set(data["sla"]) == {"a_tiempo", "en_riesgo", "vencido", "en_pausa"}
    # A requester and a unit director do not attend tickets: 403 on both.
    for role_user in (people["requester"], staff_user("director-uo", "DIGEP")):
        client.force_login(role_user)
        assert client.get(page).status_code == 403
        response = client.get(api)
        assert response.status_code == 403
        assert "detail" in response.json()
    # An unknown parameter is a 400 naming it.
    client.force_login(people["desk"])
    response = client.get(api, {"equipo": "X"})
    assert response.status_code == 400
    assert "equipo" in response.json()["errors"]


def test_the_dashboard_costs_the_same_queries_whatever_the_tickets(
    client: Any,
    people: dict[str, Any],  # noqa: F811
) -> None:
    from django.db import connection

    client.force_login(people["desk"])
    url = reverse("helpdesk:dashboard")
    client.get(url)  # warm caches (calendar, session)
    with CaptureQueriesContext(connection) as empty:
        assert client.get(url).status_code == 200
    run_mix(people)
    with CaptureQueriesContext(connection) as full:
        assert client.get(url).status_code == 200
    assert len(full) == len(empty)
    assert len(full) <= 10, [q["sql"][:120] for q in full.captured_queries]


def test_two_teams_in_one_process_each_see_their_own(people: dict[str, Any]) -> None:  # noqa: F811
    """The dashboard's queries are compiled once per process with the scope as a parameter
    (``dashboard._Compiled``): a second team's viewer gets their own team's figures, not the
    first viewer's, and the desk still sees everything."""
    run_mix(people)
    now = lima("2026-03-12T15:00")
    with time_machine.travel(now, tick=False):
        boards = {name: build_dashboard(people[name], now) for name in ("innov", "tech", "desk")}
    for name, code in (("innov", "OGTIE-INNOVACION"), ("tech", "OGTIE-INFRAESTRUCTURA")):
        team_ids = set(
            Unit.objects.filter(path__startswith=unit(code).path).values_list("id", flat=True)
        )
        mine = list(Ticket.objects.filter(team_id__in=team_ids).select_related("team", "category"))
        assert mine, code
        # A team that handed a ticket over lists no all-zero category: exactly the recount.
        assert shown(boards[name]) == recount(mine, now), code
    everything = list(Ticket.objects.select_related("team", "category"))
    assert shown(boards["desk"]) == recount(everything, now)
    assert shown(boards["innov"]) != shown(boards["tech"])


def test_a_category_handed_to_another_team_leaves_the_first_teams_dashboard(
    people: dict[str, Any],  # noqa: F811
) -> None:
    """Innovación hands its two capacitación tickets to Infraestructura: Innovación's
    dashboard no longer lists capacitación (no all-zero row: a recount grouped by category
    would not produce one), Infraestructura's does, and the desk's moves a category that no
    ticket keeps after a reclassification out of its list too."""
    requester, desk = people["requester"], people["desk"]
    innov, tech = people["innov"], people["tech"]
    now = lima("2026-03-02T15:00")

    def categories(user: Any) -> dict[str, tuple[int, int, int, int]]:
        board = build_dashboard(user, now)
        return {
            x.code: (x.count, x.extra["total"], x.extra["created"], x.extra["closed"])
            for x in board.by_category
        }

    with time_machine.travel(now, tick=False):
        tickets = [new_ticket(requester, code="capacitacion", data={}) for _ in range(2)]
        assert {t.team.code for t in tickets} == {"OGTIE-INNOVACION"}
        assert categories(innov) == {"capacitacion": (2, 2, 2, 0)}
        assert categories(tech) == {}
        tickets = [
            do_assign_ticket(t, actor=desk, team=unit("OGTIE-INFRAESTRUCTURA")) for t in tickets
        ]
        assert categories(innov) == {}
        assert categories(tech) == {"capacitacion": (2, 2, 2, 0)}
        assert categories(desk) == {"capacitacion": (2, 2, 2, 0)}
        for name, code in (("innov", "OGTIE-INNOVACION"), ("tech", "OGTIE-INFRAESTRUCTURA")):
            mine = list(
                Ticket.objects.filter(team__path__startswith=unit(code).path).select_related(
                    "team", "category"
                )
            )
            assert shown(build_dashboard(people[name], now)) == recount(mine, now), name
        # The desk moves both to another category: capacitación leaves every dashboard.
        for ticket in tickets:
            do_reclassify_ticket(ticket, actor=desk, category=category("control-calidad"))
        assert categories(desk) == {"control-calidad": (2, 2, 2, 0)}
        assert categories(tech) == {"control-calidad": (2, 2, 2, 0)}
        everything = list(Ticket.objects.select_related("team", "category"))
        assert shown(build_dashboard(desk, now)) == recount(everything, now)
    assert counters.ledger() == counters.recounted()
