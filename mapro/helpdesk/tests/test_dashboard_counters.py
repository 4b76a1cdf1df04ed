"""The dashboard's counters are kept by the actions, in their transaction, and always equal a
full recount of the tickets (``mapro.helpdesk.counters``); compaction and the repair command
keep them so. Runs on SQLite and on PostgreSQL (``DATABASE_URL``)."""

from __future__ import annotations

import datetime
import io
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from mapro.helpdesk import counters
from mapro.helpdesk.actions import (
    do_add_ticket_information,
    do_assign_ticket,
    do_close_ticket,
    do_comment_ticket,
    do_confirm_ticket_solution,
    do_put_ticket_on_hold,
    do_reclassify_ticket,
    do_reject_solution,
    do_reopen_ticket,
    do_resolve_ticket,
    do_return_ticket,
    do_start_ticket,
)
from mapro.helpdesk.autoclose import close_unconfirmed_tickets
from mapro.helpdesk.choices import Status
from mapro.helpdesk.models import Ticket, TicketCount, TicketDayCount

from .helpers import category, new_ticket, requester_user, staff_user, unit

pytestmark = pytest.mark.django_db
LIMA = zoneinfo.ZoneInfo("America/Lima")


def at(text: str) -> Any:
    return time_machine.travel(
        datetime.datetime.fromisoformat(text).replace(tzinfo=LIMA), tick=False
    )


def assert_counters_match() -> None:
    """The counters' sums equal a recount, and a recount is what the tickets say."""
    assert counters.ledger() == counters.recounted()
    assert not counters.counter_differences()


@pytest.fixture
def people(org: Any) -> dict[str, Any]:
    return {
        "desk": staff_user("operador-mesa", "OGTIE"),
        "tech": staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA"),
        "innov": staff_user("analista-programador", "OGTIE-INNOVACION"),
        "requester": requester_user("DIGEP"),
    }


def run_mix(p: dict[str, Any]) -> dict[str, Ticket]:
    """Create, assign, reassign team, change priority and category, hold, return, resolve,
    reject, close, confirm, reopen and autoclose tickets over several days (and across
    midnight in Lima, which is 05:00 UTC)."""
    desk, tech, innov, requester = p["desk"], p["tech"], p["innov"], p["requester"]
    infra, innovacion = unit("OGTIE-INFRAESTRUCTURA"), unit("OGTIE-INNOVACION")
    with at("2026-03-02T09:00"):
        a = new_ticket(requester, code="capacitacion", data={}, impact="alto", urgency="alta")
        b = new_ticket(requester, code="capacitacion", data={})
        c = new_ticket(requester, code="equipos-telefonicos", data={}, impact="bajo")
        d = new_ticket(requester, code="publicacion-servicio-web", data={})
    assert_counters_match()
    with at("2026-03-02T23:30"):  # Monday in Lima, Tuesday in UTC
        e = new_ticket(requester, code="capacitacion", data={}, urgency="baja")
        a = do_assign_ticket(a, actor=desk, team=infra, assignee=tech)
        a = do_assign_ticket(a, actor=desk, team=innovacion)  # reassigned to another team
        b = do_assign_ticket(b, actor=desk, team=innovacion, assignee=innov)
        c = do_return_ticket(c, actor=desk, observations="Indique el anexo.")
    assert_counters_match()
    with at("2026-03-03T10:00"):
        # Change priority (and category, while it has no procedure case).
        c = do_reclassify_ticket(c, actor=desk, impact="alto", urgency="alta")
        a = do_reclassify_ticket(
            a, actor=desk, urgency="baja", category=category("control-calidad")
        )
        b = do_start_ticket(b, actor=innov)
        b = do_put_ticket_on_hold(b, actor=innov, reason="Falta la lista de asistentes.")
        b = do_add_ticket_information(b, actor=requester, body="Adjunto la lista.")
        do_comment_ticket(b, actor=innov, body="Recibido.")
        b = do_resolve_ticket(b, actor=innov, solution="Se dictó la capacitación.")
        b = do_reject_solution(b, actor=requester, reason="Faltó un módulo.")
        b = do_resolve_ticket(b, actor=innov, solution="Se dictó el módulo faltante.")
        c = do_close_ticket(c, actor=desk, comment="Sin respuesta del solicitante.")
        d = do_assign_ticket(d, actor=desk, team=infra, assignee=tech)
        d = do_resolve_ticket(d, actor=tech, solution="Publicado.")
    assert_counters_match()
    with at("2026-03-04T11:00"):
        b = do_confirm_ticket_solution(b, actor=requester)
        d = do_close_ticket(d, actor=desk)
    assert_counters_match()
    with at("2026-03-05T08:00"):
        b = do_reopen_ticket(b, actor=requester, reason="Volvió a fallar el proyector.")
        d = do_reopen_ticket(d, actor=tech, reason="La publicación se cayó.")
        d = do_resolve_ticket(d, actor=tech, solution="Republicado.")
        e = do_assign_ticket(e, actor=desk, team=innovacion, assignee=innov)
        e = do_resolve_ticket(e, actor=innov, solution="Hecho.")
    assert_counters_match()
    with at("2026-03-12T12:00"):  # three business days later: d and e are closed by the system
        report = close_unconfirmed_tickets()
    assert sorted(report.closed) == sorted([d.number, e.number])
    return {t.number: t for t in (a, b, c, d, e)}


def test_counters_equal_a_recount_after_a_mix_of_actions(people: dict[str, Any]) -> None:
    run_mix(people)
    assert_counters_match()
    counts, days = counters.ledger()
    # What the mix left, checked by hand (not only against the recount).
    status_totals: dict[str, int] = {}
    for (status, *_rest), n in counts.items():
        status_totals[status] = status_totals.get(status, 0) + n
    assert status_totals == {"asignado": 2, "cerrado": 3}
    innovacion = unit("OGTIE-INNOVACION").pk
    # a: registered crítica in capacitación, reassigned to Innovación, reclassified to media in
    # control de calidad; c: reclassified from baja to crítica, then closed.
    quality, phones = category("control-calidad"), category("equipos-telefonicos")
    assert counts[("asignado", innovacion, "media", quality.pk)] == 1
    assert not any(k[3] == category("capacitacion").pk and k[2] == "critica" for k in counts)
    assert counts[("cerrado", phones.team_id, "critica", phones.pk)] == 1
    created_by_day: dict[datetime.date, int] = {}
    closed_by_day: dict[datetime.date, int] = {}
    for (day, _team, _category), (created, closed) in days.items():
        created_by_day[day] = created_by_day.get(day, 0) + created
        closed_by_day[day] = closed_by_day.get(day, 0) + closed
    # The ticket registered at 23:30 on Monday counts on Monday (Lima), not Tuesday (UTC).
    assert {k: v for k, v in created_by_day.items() if v} == {datetime.date(2026, 3, 2): 5}
    # c closed on the 3rd; d closed on the 4th, then reopened (no longer counted there) and
    # closed again by the system on the 12th with e; b was closed on the 4th, then reopened.
    assert {k: v for k, v in closed_by_day.items() if v} == {
        datetime.date(2026, 3, 3): 1,
        datetime.date(2026, 3, 12): 2,
    }


def test_counters_roll_back_with_the_ticket_change(people: dict[str, Any]) -> None:
    """The delta rows are written in the action's transaction: when it rolls back (here, an
    outer transaction that fails after the assignment), so do they."""
    from django.db import transaction

    with at("2026-03-02T09:00"):
        ticket = new_ticket(people["requester"], code="capacitacion", data={})
        before = counters.ledger()
        with pytest.raises(RuntimeError), transaction.atomic():
            do_assign_ticket(ticket, actor=people["desk"], team=unit("OGTIE-INFRAESTRUCTURA"))
            assert counters.ledger() != before
            raise RuntimeError("rollback")
    assert counters.ledger() == before
    ticket.refresh_from_db()
    assert ticket.status == Status.REGISTRADO
    assert_counters_match()


def test_compaction_folds_the_deltas_and_keeps_the_sums(people: dict[str, Any]) -> None:
    run_mix(people)
    before = counters.ledger()
    rows = TicketCount.objects.count() + TicketDayCount.objects.count()
    folded = counters.compact_counters()
    assert folded == rows
    assert counters.ledger() == before
    # One row per key with a nonzero total, none left over.
    assert TicketCount.objects.count() == len(before[0])
    assert TicketDayCount.objects.count() == len(before[1])
    assert counters.compact_counters() == len(before[0]) + len(before[1])
    assert_counters_match()
    # The worker's periodic task runs the same compaction.
    from mapro.helpdesk.tasks import compact_dashboard_counters

    with at("2026-03-13T09:00"):
        ticket = new_ticket(people["requester"], code="capacitacion", data={})
        do_assign_ticket(ticket, actor=people["desk"], team=ticket.team)
    assert TicketCount.objects.count() > len(counters.ledger()[0])
    compact_dashboard_counters.call_local()
    assert TicketCount.objects.count() == len(counters.ledger()[0])
    assert_counters_match()


def test_recount_command_repairs_counters_and_check_reports(people: dict[str, Any]) -> None:
    run_mix(people)
    # Tickets loaded behind the actions' back (as the bench's COPY does) are not counted.
    ticket = Ticket.objects.order_by("id").first()
    assert ticket is not None
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.EN_ESPERA)
    TicketDayCount.objects.all().delete()
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="no coinciden"):
        call_command("helpdesk_counters", "--check", stdout=out, stderr=err)
    assert "en_espera" in out.getvalue()
    assert counters.counter_differences()
    out = io.StringIO()
    call_command("helpdesk_counters", "--recount", stdout=out)
    assert "corregidas" in out.getvalue()
    assert_counters_match()
    out = io.StringIO()
    call_command("helpdesk_counters", "--check", stdout=out)
    assert "coinciden" in out.getvalue()
    out = io.StringIO()
    call_command("helpdesk_counters", "--compact", stdout=out)
    assert "compactad" in out.getvalue()
    assert_counters_match()


def test_saving_a_ticket_an_action_did_not_lock_is_refused(people: dict[str, Any]) -> None:
    from mapro.helpdesk.actions._common import save_ticket

    with at("2026-03-02T09:00"):
        new_ticket(people["requester"], code="capacitacion", data={})
    stray = Ticket.objects.get()
    stray.status = Status.ASIGNADO
    with pytest.raises(RuntimeError, match="lock"):
        save_ticket(stray)
