"""Resolved tickets nobody confirms or reopens are closed after HELPDESK_AUTOCLOSE_DAYS business
days, by the system, once (``autoclose``, ``do_autoclose_ticket``, ``mapro helpdesk_autoclose``)."""

from __future__ import annotations

import datetime
import io
import zoneinfo
from typing import Any

import pytest
from django.core.management import call_command

from mapro.audit.models import AuditEvent
from mapro.helpdesk.actions import do_assign_ticket, do_resolve_ticket
from mapro.helpdesk.autoclose import autoclose_deadline, close_unconfirmed_tickets
from mapro.helpdesk.choices import Status
from mapro.helpdesk.models import Ticket, TicketAction
from mapro.helpdesk.tasks import autoclose_resolved_tickets
from mapro.notifications.models import OutboxMessage

from .helpers import new_ticket, requester_user, staff_user, unit

pytestmark = pytest.mark.django_db
LIMA = zoneinfo.ZoneInfo("America/Lima")


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text).replace(tzinfo=LIMA)


@pytest.fixture
def resolved(org: Any) -> Any:
    """Make a resolved ticket (no procedure published) with ``resolved_at`` at the given time."""
    desk = staff_user("operador-mesa", "OGTIE")
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    requester = requester_user("DIGEP")
    requester.email = "solicitante@mindef.gob.pe"
    requester.save(update_fields=["email"])

    def make(when: str) -> Ticket:
        ticket = new_ticket(requester, code="capacitacion", data={})
        do_assign_ticket(ticket, actor=desk, team=unit("OGTIE-INFRAESTRUCTURA"), assignee=tech)
        ticket = do_resolve_ticket(ticket, actor=tech, solution="Se dictó la capacitación.")
        Ticket.objects.filter(pk=ticket.pk).update(resolved_at=at(when))
        ticket.refresh_from_db()
        return ticket

    return make


def test_deadline_counts_business_days_skipping_weekends_and_holidays(org: Any) -> None:
    # Monday → Thursday, same time.
    assert autoclose_deadline(at("2026-03-02T10:00"), 3) == at("2026-03-05T10:00")
    # Friday → Wednesday (the weekend does not count).
    assert autoclose_deadline(at("2026-03-06T10:00"), 3) == at("2026-03-11T10:00")
    # Wednesday before Holy Thursday and Good Friday (public holidays) → next Wednesday.
    assert autoclose_deadline(at("2026-04-01T10:00"), 3) == at("2026-04-08T10:00")


def test_closed_at_the_deadline_not_before(resolved: Any) -> None:
    ticket = resolved("2026-03-02T10:00")
    assert close_unconfirmed_tickets(at("2026-03-05T09:59")).closed == []
    ticket.refresh_from_db()
    assert ticket.status == Status.RESUELTO
    report = close_unconfirmed_tickets(at("2026-03-05T10:00"))
    assert report.closed == [ticket.number]
    ticket.refresh_from_db()
    assert ticket.status == Status.CERRADO and ticket.closed_at is not None
    line = TicketAction.objects.filter(ticket=ticket).latest("id")
    assert (line.from_status, line.to_status, line.author_name) == (
        Status.RESUELTO,
        Status.CERRADO,
        "sistema",
    )
    assert line.body.startswith("Cerrado automáticamente") and "3 día(s) hábil(es)" in line.body
    assert line.visible_to_requester
    event = AuditEvent.objects.filter(action="ticket.close", object_id=str(ticket.pk)).get()
    assert event.actor_id is None
    mail = OutboxMessage.objects.get(subject=f"Ticket {ticket.number} cerrado")
    assert "solicitante@mindef.gob.pe" in mail.recipients
    assert "automáticamente" in mail.body_text


def test_running_again_closes_nothing_more(resolved: Any) -> None:
    ticket = resolved("2026-03-02T10:00")
    assert close_unconfirmed_tickets(at("2026-03-06T10:00")).closed == [ticket.number]
    lines, mails = TicketAction.objects.count(), OutboxMessage.objects.count()
    assert close_unconfirmed_tickets(at("2026-03-06T10:00")).closed == []
    assert (TicketAction.objects.count(), OutboxMessage.objects.count()) == (lines, mails)


def test_holidays_and_weekends_extend_the_window(resolved: Any) -> None:
    ticket = resolved("2026-04-01T10:00")
    assert close_unconfirmed_tickets(at("2026-04-07T18:00")).closed == []
    assert close_unconfirmed_tickets(at("2026-04-08T10:00")).closed == [ticket.number]


def test_confirmed_or_reopened_tickets_are_left_alone(resolved: Any) -> None:
    confirmed = resolved("2026-03-02T10:00")
    Ticket.objects.filter(pk=confirmed.pk).update(status=Status.CERRADO)
    reopened = resolved("2026-03-02T10:00")
    Ticket.objects.filter(pk=reopened.pk).update(status=Status.ASIGNADO, resolved_at=None)
    assert close_unconfirmed_tickets(at("2026-03-20T10:00")).closed == []


def test_zero_days_turns_it_off(resolved: Any, settings: Any) -> None:
    settings.HELPDESK_AUTOCLOSE_DAYS = 0
    ticket = resolved("2026-03-02T10:00")
    assert close_unconfirmed_tickets(at("2026-04-30T10:00")).closed == []
    ticket.refresh_from_db()
    assert ticket.status == Status.RESUELTO


def test_setting_changes_the_window(resolved: Any, settings: Any) -> None:
    settings.HELPDESK_AUTOCLOSE_DAYS = 5
    ticket = resolved("2026-03-02T10:00")
    assert close_unconfirmed_tickets(at("2026-03-06T10:00")).closed == []
    assert close_unconfirmed_tickets(at("2026-03-09T10:00")).closed == [ticket.number]


def test_management_command_with_now_and_dry_run(resolved: Any) -> None:
    ticket = resolved("2026-03-02T10:00")
    out = io.StringIO()
    call_command("helpdesk_autoclose", "--now", "2026-03-05T10:00-05:00", "--dry-run", stdout=out)
    assert ticket.number in out.getvalue() and "Se cerrarían 1" in out.getvalue()
    ticket.refresh_from_db()
    assert ticket.status == Status.RESUELTO
    out = io.StringIO()
    call_command("helpdesk_autoclose", "--now", "2026-03-05T10:00-05:00", stdout=out)
    assert "Cerrados 1 ticket(s)" in out.getvalue() and ticket.number in out.getvalue()
    ticket.refresh_from_db()
    assert ticket.status == Status.CERRADO


def test_periodic_task_closes_due_tickets(resolved: Any) -> None:
    # Resolved long ago (real "now"): the hourly task closes it.
    ticket = resolved("2026-01-05T10:00")
    autoclose_resolved_tickets.call_local()
    ticket.refresh_from_db()
    assert ticket.status == Status.CERRADO


def test_tickets_of_a_running_procedure_are_left_to_it(resolved: Any) -> None:
    from mapro.procedures.testing import publish_ficha

    publish_ficha("S04.03.04.02")
    linked = new_ticket(requester_user("DIGEP"))
    assert linked.instance_id is not None
    # Moved apart by hand (the actions would refuse it): resolved while activity 2 is open.
    Ticket.objects.filter(pk=linked.pk).update(
        status=Status.RESUELTO, resolved_at=at("2026-03-02T10:00")
    )
    plain = resolved("2026-03-02T10:00")
    assert close_unconfirmed_tickets(at("2026-03-20T10:00")).closed == [plain.number]
    linked.refresh_from_db()
    assert linked.status == Status.RESUELTO
