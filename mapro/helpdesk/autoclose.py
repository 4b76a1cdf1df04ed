"""Closing resolved tickets the requester neither confirms nor reopens (issue 4).

GLPI closes solved tickets after a configurable delay; ServiceNow auto-closes resolved incidents
after a number of days. Here: ``HELPDESK_AUTOCLOSE_DAYS`` **business** days (default 3; 0 turns
it off) after ``resolved_at``, on the business calendar (``mapro.schedules.calendar``: Peru's
public holidays and the office's non-working days do not count). The deadline is the same clock
time on the N-th business day after the day of the solution (resolved Wednesday 10:00 before
Holy Thursday → closed the next Wednesday 10:00, with N = 3).

``close_unconfirmed_tickets(now=…)`` is what the periodic Huey task
(``tasks.autoclose_resolved_tickets``) and the management command ``mapro helpdesk_autoclose``
run: it picks the candidates with one indexed query (status resuelto, resolved at least N
calendar days ago — N business days are never fewer), and closes each due one through
``actions.do_autoclose_ticket`` as the system, in its own transaction. That action re-checks
the locked row, so running twice, or on two workers at once, closes each ticket once: it is
idempotent. Tickets whose procedure is still running are left to their procedure.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from mapro.core.exceptions import MaproError
from mapro.schedules import calendar

from .choices import Status
from .models import Ticket

logger = logging.getLogger(__name__)


def autoclose_days() -> int:
    return int(getattr(settings, "HELPDESK_AUTOCLOSE_DAYS", 3))


def autoclose_deadline(
    resolved_at: datetime.datetime, days: int | None = None
) -> datetime.datetime:
    """When a ticket resolved at ``resolved_at`` is closed if nobody confirms or reopens it."""
    days = autoclose_days() if days is None else days
    local = timezone.localtime(resolved_at)
    day = calendar.add_business_days(local.date(), days)
    return local.replace(year=day.year, month=day.month, day=day.day)


@dataclass
class AutocloseReport:
    """What one run did: the numbers closed and those skipped (with the reason)."""

    closed: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


def due_candidates(now: datetime.datetime, days: int) -> list[Ticket]:
    """Resolved tickets old enough to possibly be due (one query on the status index)."""
    return list(
        Ticket.objects.filter(
            status=Status.RESUELTO,
            resolved_at__lte=now - datetime.timedelta(days=days),
        )
        .filter(Q(instance__isnull=True) | ~Q(instance__status="running"))
        .order_by("resolved_at", "id")
    )


def close_unconfirmed_tickets(
    now: datetime.datetime | None = None, *, dry_run: bool = False
) -> AutocloseReport:
    """Close every resolved ticket whose confirmation window has passed at ``now``."""
    from .actions import do_autoclose_ticket

    now = now or timezone.now()
    days = autoclose_days()
    report = AutocloseReport()
    if days <= 0:
        return report
    for ticket in due_candidates(now, days):
        assert ticket.resolved_at is not None
        if autoclose_deadline(ticket.resolved_at, days) > now:
            continue
        if dry_run:
            report.closed.append(ticket.number)
            continue
        try:
            closed = do_autoclose_ticket(ticket, now=now, days=days)
        except MaproError as exc:  # e.g. a procedure that closes the ticket itself
            report.skipped[ticket.number] = exc.message
            logger.warning("Auto-close of %s skipped: %s", ticket.number, exc.message)
            continue
        if closed is not None:
            report.closed.append(ticket.number)
    return report
