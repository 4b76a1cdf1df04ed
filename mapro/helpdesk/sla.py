"""Service levels: response and resolution targets, due times, and pauses while en espera.

Targets are business minutes (office hours on working days, Peru's public holidays excluded),
looked up per category and priority (``SlaTarget``, nearest ancestor first) with
``DEFAULT_TARGETS`` as the fallback. Time arithmetic goes through ``mapro.schedules.calendar``
(the business calendar); while that module is not installed, plain clock minutes are used.
"""

from __future__ import annotations

import datetime
import importlib
from dataclasses import dataclass
from typing import Any

from django.apps import apps

from .choices import Priority
from .models import Category, SlaTarget


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


def _calendar() -> Any:
    """``mapro.schedules.calendar`` when the schedules app is installed, else None."""
    if not apps.is_installed("mapro.schedules"):
        return None
    return importlib.import_module("mapro.schedules.calendar")


def add_business_minutes(start: datetime.datetime, minutes: int) -> datetime.datetime:
    """``start`` plus ``minutes`` of office time on the business calendar."""
    calendar = _calendar()
    if calendar is not None:
        result: datetime.datetime = calendar.add_business_minutes(start, minutes)
        return result
    # TODO(issue 4): mapro.schedules.calendar not installed yet: clock minutes meanwhile.
    return start + datetime.timedelta(minutes=minutes)


def business_minutes_between(a: datetime.datetime, b: datetime.datetime) -> int:
    """Office minutes between ``a`` and ``b`` on the business calendar (0 if ``b`` <= ``a``)."""
    if b <= a:
        return 0
    calendar = _calendar()
    if calendar is not None:
        return int(calendar.business_minutes_between(a, b))
    # TODO(issue 4): mapro.schedules.calendar not installed yet: clock minutes meanwhile.
    return int((b - a).total_seconds() // 60)


def due_times(
    category: Category, priority: str, start: datetime.datetime
) -> tuple[datetime.datetime, datetime.datetime]:
    """(response due, resolution due) for a ticket of ``category`` registered at ``start``."""
    target = target_for(category, priority)
    return (
        add_business_minutes(start, target.response_minutes),
        add_business_minutes(start, target.resolution_minutes),
    )
