"""Read queries of the annual cronogramas: the register, planned against executed with overdue
dates flagged, and the occurrences a calendar shows (the page's FullCalendar and the iCalendar
feed read the same function, ``calendar_occurrences``, so they cannot disagree)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mapro.core.exceptions import NotFound
from mapro.organization.permissions import has_role, role_codes

from .choices import PlanOccurrenceStatus, PlanStatus
from .models import Plan, PlanOccurrence
from .selectors import FEED_ALL_ROLES, can_read_schedules


def plans_visible_to(user: Any) -> QuerySet[Plan]:
    if not can_read_schedules(user):
        return Plan.objects.none()
    return Plan.objects.select_related("procedure").order_by("-year", "-id")


def get_plan_for_user(user: Any, pk: int) -> Plan:
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is None:
        raise NotFound("No existe el cronograma o no lo puede ver.")
    return plan


@dataclass(frozen=True)
class OccurrenceRow:
    """One planned date, with its state for people: executed, pending, overdue or cancelled."""

    occurrence: PlanOccurrence
    state: str
    label: str


_LABELS = {
    "done": "Ejecutado",
    "pending": "Programado",
    "overdue": "Vencido sin ejecutar",
    "cancelled": "Anulado (versión reemplazada)",
}


def occurrence_state(occ: PlanOccurrence, today: datetime.date) -> str:
    if occ.status == PlanOccurrenceStatus.PENDING and occ.due_on < today:
        return "overdue"
    return str(occ.status)


def plan_rows(plan: Plan, today: datetime.date | None = None) -> list[OccurrenceRow]:
    today = today or timezone.localdate()
    rows = []
    for occ in plan.occurrences.select_related("item", "item__responsible").order_by(
        "due_on", "item__key"
    ):
        state = occurrence_state(occ, today)
        rows.append(OccurrenceRow(occ, state, _LABELS[state]))
    return rows


def plan_totals(rows: list[OccurrenceRow]) -> dict[str, int]:
    return {
        "planned": sum(1 for r in rows if r.state != "cancelled"),
        "executed": sum(1 for r in rows if r.state == "done"),
        "pending": sum(1 for r in rows if r.state == "pending"),
        "overdue": sum(1 for r in rows if r.state == "overdue"),
    }


def overdue_occurrences(today: datetime.date | None = None) -> QuerySet[PlanOccurrence]:
    today = today or timezone.localdate()
    return PlanOccurrence.objects.filter(
        plan__status=PlanStatus.APPROVED, status=PlanOccurrenceStatus.PENDING, due_on__lt=today
    ).select_related("item", "plan", "plan__procedure")


def calendar_occurrences(
    user: Any, start: datetime.date, end: datetime.date
) -> list[PlanOccurrence]:
    """The dates of the cronogramas in force in ``[start, end)`` that the user's team sees:
    lines whose responsible role the user holds, or whose plan they sign (the Jefe(a) de la
    OGTIE and superusers: all). Cancelled dates of replaced versions are left out."""
    qs = (
        PlanOccurrence.objects.filter(
            plan__status=PlanStatus.APPROVED, due_on__gte=start, due_on__lt=end
        )
        .exclude(status=PlanOccurrenceStatus.CANCELLED)
        .select_related("item", "plan", "plan__procedure")
        .order_by("due_on", "plan_id", "item__key")
    )
    if not (user.is_superuser or has_role(user, FEED_ALL_ROLES)):
        codes = sorted(role_codes(user))
        from django.db.models import Q

        qs = qs.filter(Q(item__responsible_role__in=codes) | Q(plan__approver_role__in=codes))
    return list(qs)


def calendar_event(occ: PlanOccurrence, today: datetime.date) -> dict[str, Any]:
    """One date as the calendar page's event (FullCalendar's event object)."""
    state = occurrence_state(occ, today)
    return {
        "id": f"plan-occurrence-{occ.pk}",
        "title": f"{occ.item.activity} — {occ.item.target}",
        "start": occ.due_on.isoformat(),
        "allDay": True,
        "url": f"/cronogramas/anuales/{occ.plan_id}/",
        "classNames": [f"plan-{state}"],
        "extendedProps": {
            "procedure": occ.plan.procedure.code,
            "state": state,
            "state_label": _LABELS[state],
            "role": occ.item.responsible_role,
        },
    }
