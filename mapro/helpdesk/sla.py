"""Service levels of the help desk: which targets a ticket has, and its clock on the ticket.

Targets are business minutes (office hours on working days, Peru's public holidays excluded),
looked up per category and priority (``SlaTarget``, nearest ancestor first) with
``DEFAULT_TARGETS`` as the fallback. The clock itself is ``mapro.schedules.sla`` (the one SLA
computation, on the business calendar): a ticket keeps its two due times and, while en espera
or devuelto, the start of its pause; ``resume`` moves the due times by that pause with
``due_after_pause``, which lands where ``sla_due_at`` over the whole history would.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from mapro.schedules import calendar
from mapro.schedules.sla import due_after_pause

from .choices import Priority
from .models import Category, SlaTarget, Ticket


@dataclass(frozen=True)
class Target:
    response_minutes: int
    resolution_minutes: int


# Business minutes (a business day is 8 h = 480 min at OGTIE's office hours).
DEFAULT_TARGETS: dict[str, Target] = {
    Priority.CRITICA: Target(30, 4 * 60),
    Priority.ALTA: Target(60, 8 * 60),
    Priority.MEDIA: Target(2 * 60, 3 * 480),
    Priority.BAJA: Target(4 * 60, 5 * 480),
}


def target_for(category: Category, priority: str) -> Target:
    """The SLA target of ``category`` (or its nearest ancestor with one) for ``priority``."""
    ids = category.ancestors_and_self()
    rows = {
        row.category_id: row
        for row in SlaTarget.objects.filter(category_id__in=ids, priority=priority)
    }
    for category_id in ids:
        if category_id in rows:
            row = rows[category_id]
            return Target(row.response_minutes, row.resolution_minutes)
    return DEFAULT_TARGETS[Priority(priority)]


def due_times(
    category: Category, priority: str, start: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    """(response due, resolution due) for a ticket of ``category`` registered at ``start``."""
    target = target_for(category, priority)
    return (
        calendar.add_business_minutes(start, target.response_minutes),
        calendar.add_business_minutes(start, target.resolution_minutes),
    )


def pause(ticket: Ticket, now: datetime.datetime) -> None:
    """Stop the SLA clock (entering en espera or devuelto)."""
    if ticket.paused_since is None:
        ticket.paused_since = now


def resume(ticket: Ticket, now: datetime.datetime) -> None:
    """Restart the SLA clock: the business time left when the pause began runs from ``now``.

    ``paused_minutes`` adds up the business minutes spent paused; the response due time moves
    only while the ticket has had no response. A ticket already overdue when it was paused
    stays overdue.
    """
    if ticket.paused_since is None:
        return
    since = ticket.paused_since
    ticket.paused_minutes += max(0, calendar.business_minutes_between(since, now))
    ticket.resolution_due_at = due_after_pause(ticket.resolution_due_at, since, now)
    if ticket.first_response_at is None:
        ticket.response_due_at = due_after_pause(ticket.response_due_at, since, now)
    ticket.paused_since = None
