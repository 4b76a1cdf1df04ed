"""Read queries of cronogramas, each filtered by what the user may see.

Who reads the register: OGTIE staff (every role of the office, ``READ_ROLES``) and superusers.
The iCalendar feed of a user lists the approved schedules of their team: those whose
responsible role they hold (the Jefe(a) de la OGTIE: all of them).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mapro.core.exceptions import NotFound
from mapro.organization.data import ROLES
from mapro.organization.permissions import has_role, role_codes

from .choices import OccurrenceStatus, PlanState, ScheduleStatus
from .models import Schedule, ScheduleOccurrence
from .recurrence import zone

READ_ROLES = frozenset(role.code for role in ROLES if role.inside_ogtie)
#: Sees every approved schedule in its feed, not only its team's.
FEED_ALL_ROLES = frozenset({"jefe-ogtie"})


def can_read_schedules(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or has_role(user, READ_ROLES))


def schedules_visible_to(user: Any) -> QuerySet[Schedule]:
    if not can_read_schedules(user):
        return Schedule.objects.none()
    return Schedule.objects.select_related("procedure", "unit").order_by("name", "id")


def get_schedule_for_user(user: Any, pk: int) -> Schedule:
    schedule = schedules_visible_to(user).filter(pk=pk).first()
    if schedule is None:
        raise NotFound("No existe el cronograma o no lo puede ver.")
    return schedule


def feed_schedules_for(user: Any) -> QuerySet[Schedule]:
    """The approved schedules of the user's team (see the module docstring)."""
    approved = Schedule.objects.filter(status=ScheduleStatus.APPROVED).select_related(
        "procedure", "unit"
    )
    if user.is_superuser or has_role(user, FEED_ALL_ROLES):
        return approved.order_by("name", "id")
    return approved.filter(role__in=sorted(role_codes(user))).order_by("name", "id")


# --- planned against executed ----------------------------------------------------------------


@dataclass(frozen=True)
class PlanRow:
    """One planned (or handled) occurrence and what became of it."""

    planned_at: datetime.datetime
    state: str  # executed / failed / scheduled / due / missed
    label: str
    occurrence: ScheduleOccurrence | None

    @property
    def instance(self) -> Any:
        return self.occurrence.instance if self.occurrence is not None else None


STATE_LABELS = dict(PlanState.choices)


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = zone()
    return (
        datetime.datetime(year, 1, 1, tzinfo=tz),
        datetime.datetime(year, 12, 31, 23, 59, 59, tzinfo=tz),
    )


def planned_vs_executed(
    schedule: Schedule, start: datetime.datetime, end: datetime.datetime
) -> list[PlanRow]:
    """The occurrences planned in ``[start, end]`` beside the ones the worker handled (an
    occurrence handled under an earlier rule shows too). Two queries: the rows and their
    instances come together."""
    now = timezone.now()
    handled = {
        row.occurs_at: row
        for row in ScheduleOccurrence.objects.filter(
            schedule=schedule, occurs_at__gte=start, occurs_at__lte=end
        ).select_related("instance")
    }
    planned = set(schedule.recurrence().between(start, end))
    rows = []
    for when in sorted(planned | set(handled)):
        occurrence = handled.get(when)
        if occurrence is not None:
            state = "executed" if occurrence.status == OccurrenceStatus.STARTED else "failed"
        elif when > now:
            state = "scheduled" if schedule.status != ScheduleStatus.RETIRED else "missed"
        elif (
            schedule.status == ScheduleStatus.APPROVED
            and schedule.approved_at is not None
            and when >= schedule.approved_at
        ):
            state = "due"  # the worker starts it at its next tick
        else:
            state = "missed"  # before the approval, or while in draft or retired
        rows.append(PlanRow(when.astimezone(zone()), state, STATE_LABELS[state], occurrence))
    return rows


def plan_summary(rows: list[PlanRow]) -> dict[str, int]:
    return {
        "planned": len(rows),
        "executed": sum(1 for r in rows if r.state == "executed"),
        "failed": sum(1 for r in rows if r.state == "failed"),
        "missed": sum(1 for r in rows if r.state == "missed"),
    }
