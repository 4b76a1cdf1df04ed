"""Seam: activity time limits (a ficha's ``deadline``, docs/ficha-format.md).

The engine knows that an activity may carry a limit, not how time is counted: that is the
business calendar's (``mapro.schedules``, above procedures), which registers its policy at
start-up (``SchedulesConfig.ready``). The engine asks it for a new work item's due date
(``due_at_for``) and the validator asks it to check a ficha's ``deadline`` (``check_deadline``).
Without a registered policy a ficha with a ``deadline`` is refused (never silently undated).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

Problems = list[tuple[tuple[Any, ...], str]]


@dataclass(frozen=True)
class DeadlinePolicy:
    due_at_for: Callable[[dict[str, Any], datetime.datetime], datetime.datetime | None]
    check: Callable[[Any, Iterable[str]], Problems]


_policy: DeadlinePolicy | None = None


def register_deadline_policy(policy: DeadlinePolicy) -> None:
    """Install how limits are counted (one policy; a later registration replaces it)."""
    global _policy
    _policy = policy


def due_at_for(activity: dict[str, Any], opened_at: datetime.datetime) -> datetime.datetime | None:
    """The due date of a task of ``activity`` opened at ``opened_at`` (None: no limit)."""
    if "deadline" not in activity:
        return None
    if _policy is None:
        raise RuntimeError("No deadline policy registered (is mapro.schedules installed?)")
    return _policy.due_at_for(activity, opened_at)


def check_deadline(deadline: Any, role_names: Iterable[str]) -> Problems:
    """Problems of an activity's ``deadline`` as ``(path inside it, Spanish message)``."""
    if _policy is None:
        return [((), "Este sistema no admite plazos ('deadline'): falta el calendario laboral.")]
    return _policy.check(deadline, role_names)
