"""SLA clocks in business time, with pauses (a ticket "en espera" stops its clock).

The one SLA computation of the product: the help desk (``mapro.helpdesk.sla``) takes its due
times and pauses from here; it only decides which target a ticket has.

A pause is ``(paused_at, resumed_at)``; ``resumed_at=None`` means the clock is still stopped.
Pauses may overlap or lie partly before the start; only the business time inside
``[start, now]`` and outside every pause counts.

    elapsed = sla_elapsed_minutes(ticket.created_at, timezone.now(), pauses)
    due = sla_due_at(ticket.created_at, target_minutes, pauses)  # None while paused

Invariant (tested): when ``sla_due_at`` returns a time ``due``,
``sla_elapsed_minutes(start, due, pauses) == target_minutes``.

A record that keeps only its current due time and the start of its open pause (a ticket) moves
the due time one pause at a time with ``due_after_pause``; folded over the pauses in order it
gives ``sla_due_at`` (tested), so both ways of holding a clock agree.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from .calendar import US_PER_MINUTE, _add_business_us, _business_us_between, _to_minutes

Pause = tuple[datetime.datetime, datetime.datetime | None]

__all__ = ["Pause", "due_after_pause", "sla_due_at", "sla_elapsed_minutes"]


def _merged(
    pauses: Iterable[Pause], after: datetime.datetime
) -> list[tuple[datetime.datetime, datetime.datetime | None]]:
    """Pauses sorted and merged, those that ended by ``after`` dropped, starts clipped to it.

    ``None`` as an end means "not resumed" and absorbs every pause after it.
    """
    merged: list[tuple[datetime.datetime, datetime.datetime | None]] = []
    for paused_at, resumed_at in sorted(pauses, key=lambda p: p[0]):
        if resumed_at is not None and resumed_at < paused_at:
            raise ValueError("una pausa termina antes de empezar")
        if resumed_at is not None and resumed_at <= after:
            continue
        paused_at = max(paused_at, after)
        if merged:
            last_start, last_end = merged[-1]
            if last_end is None:
                break
            if paused_at <= last_end:
                end = None if resumed_at is None else max(last_end, resumed_at)
                merged[-1] = (last_start, end)
                continue
        merged.append((paused_at, resumed_at))
    return merged


def sla_elapsed_minutes(
    start: datetime.datetime, now: datetime.datetime, pauses: Iterable[Pause] = ()
) -> int:
    """Whole business minutes from ``start`` to ``now``, excluding paused intervals.

    0 when ``now`` is not after ``start``. An unresumed pause counts as paused up to ``now``.
    """
    if now <= start:
        return 0
    total = _business_us_between(start, now)
    for paused_at, resumed_at in _merged(pauses, start):
        if paused_at >= now:
            break
        end = now if resumed_at is None else min(resumed_at, now)
        total -= _business_us_between(paused_at, end)
    return _to_minutes(total)


def sla_due_at(
    start: datetime.datetime, target_minutes: int, pauses: Iterable[Pause] = ()
) -> datetime.datetime | None:
    """When ``target_minutes`` business minutes will have run since ``start``, given the pauses.

    None while the clock is stopped (a pause without an end) before the target is reached: the
    due time is unknown until the pause ends. When the target was already reached before that
    pause began, that (past) moment is returned, so an overdue ticket stays overdue.
    """
    if target_minutes < 0:
        raise ValueError("la meta no puede ser negativa")
    remaining = target_minutes * US_PER_MINUTE
    cursor = start
    for paused_at, resumed_at in _merged(pauses, start):
        available = _business_us_between(cursor, paused_at)
        if available >= remaining:
            return _add_business_us(cursor, remaining)
        remaining -= available
        if resumed_at is None:
            return None
        cursor = resumed_at
    return _add_business_us(cursor, remaining)


def due_after_pause(
    due: datetime.datetime, paused_at: datetime.datetime, resumed_at: datetime.datetime
) -> datetime.datetime:
    """The due time of a clock that was due at ``due`` and stood still from ``paused_at`` to
    ``resumed_at``.

    The business time left when the pause began runs again from ``resumed_at``. A clock whose
    target was already reached when it was paused keeps its (past) due time: an overdue ticket
    stays overdue, as ``sla_due_at`` says.
    """
    if resumed_at < paused_at:
        raise ValueError("una pausa termina antes de empezar")
    if due <= paused_at:
        return due
    left = _business_us_between(paused_at, due)
    if left <= 0:
        return due
    return _add_business_us(resumed_at, left)
