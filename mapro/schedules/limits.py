"""Time limits of procedure activities, as a ficha writes them (docs/ficha-format.md).

``check_deadline`` validates an activity's ``deadline`` (the ficha validator calls it);
``due_at_for`` gives a new work item's due date on the Peru business calendar: N business days
means the end of office hours of the N-th business day after the day the task opened; N
business hours are counted in office hours from the moment it opened. No model is imported
here, so the validator and the engine can use it anywhere.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from . import calendar

LIMIT_KEYS = ("business_days", "business_hours")
DEADLINE_KEYS = {*LIMIT_KEYS, "escalate_after", "escalate_to"}


def check_deadline(deadline: Any, role_names: Any) -> list[tuple[tuple[Any, ...], str]]:
    """Problems of an activity's ``deadline`` as ``(path inside it, Spanish message)``."""
    if not isinstance(deadline, dict):
        return [((), "'deadline' debe ser un mapeo (business_days o business_hours).")]
    problems: list[tuple[tuple[Any, ...], str]] = []
    for key in deadline:
        if key not in DEADLINE_KEYS:
            problems.append(((key,), f"Clave desconocida '{key}' en 'deadline'."))
    problems += [((), m) for m in _limit_problems(deadline, "deadline")]
    after, to = deadline.get("escalate_after"), deadline.get("escalate_to")
    if (after is None) != (to is None):
        problems.append(((), "'escalate_after' y 'escalate_to' van juntos en 'deadline'."))
    if after is not None:
        if not isinstance(after, dict) or set(after) - set(LIMIT_KEYS):
            problems.append(
                (
                    ("escalate_after",),
                    "'escalate_after' es {business_days: N} o {business_hours: N}.",
                )
            )
        else:
            problems += [(("escalate_after",), m) for m in _limit_problems(after, "escalate_after")]
    if to is not None and to not in role_names:
        problems.append((("escalate_to",), f"Rol desconocido '{to}' en 'escalate_to' (roles.md)."))
    return problems


def _limit_problems(limit: dict[str, Any], where: str) -> list[str]:
    given = [key for key in LIMIT_KEYS if key in limit]
    if len(given) != 1:
        return [f"'{where}' necesita exactamente uno de business_days o business_hours."]
    value = limit[given[0]]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return [f"'{where}.{given[0]}' debe ser un número entero mayor que cero."]
    return []


def add_limit(start: datetime.datetime, limit: dict[str, Any]) -> datetime.datetime:
    """``start`` plus a ficha limit, on the business calendar (see the module docstring)."""
    if "business_hours" in limit:
        return calendar.add_business_minutes(start, int(limit["business_hours"]) * 60)
    day = calendar.add_business_days(timezone.localdate(start), int(limit["business_days"]))
    intervals = calendar.office_intervals(day)
    return intervals[-1][1] if intervals else calendar.next_opening(start)


def due_at_for(activity: dict[str, Any], opened_at: datetime.datetime) -> datetime.datetime | None:
    """The due date of a task of ``activity`` opened at ``opened_at`` (None: no limit)."""
    deadline = activity.get("deadline")
    if not isinstance(deadline, dict):
        return None
    return add_limit(opened_at, deadline)
