"""The console's select lists (teams, staff, categories), each one statement sent as SQL
compiled once per process (``core.compiled.CompiledQuery``; issue #15).

The queue and the ticket page read the three lists on every request; building each query
through the ORM (joins over the role assignments, people and users; the unit tree) cost more
CPU than running it. The querysets below stay the one definition of each list; the rows are
plain tuples with the attributes the templates read.
"""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple

from django.db.models import Q
from django.utils import timezone

from mapro.core.compiled import CompiledQuery
from mapro.organization.models import RoleAssignment, Unit

from .. import access
from ..models import Category

#: The code of the office whose units are the teams tickets are assigned to.
OGTIE = "OGTIE"

#: Stand-ins no real query uses (``CompiledQuery``).
_NO_DAY = datetime.date(1901, 2, 3)
_NO_CATEGORY = -987_654_321


class TeamChoice(NamedTuple):
    pk: int
    code: str
    name: str


class CategoryChoice(NamedTuple):
    pk: int
    code: str
    name: str
    path: str

    @property
    def depth(self) -> int:  # as Category.depth
        return max(self.path.count("/") - 2, 0)


_TEAMS = CompiledQuery(
    lambda: (
        Unit.objects.filter(
            Q(code=OGTIE) | Q(parent__code=OGTIE) | Q(parent__parent__code=OGTIE),
            is_active=True,
        )
        .order_by("path")
        .values_list("pk", "code", "name")
    )
)

_STAFF = CompiledQuery(
    lambda day: (
        RoleAssignment.objects.current(on=day)
        .filter(
            role__code__in=access.STAFF_ROLES,
            person__user__isnull=False,
            person__user__is_active=True,
        )
        .values_list(
            "person__user__username",
            "person__first_name",
            "person__last_name",
            "person__unit__code",
        )
        .distinct()
        .order_by("person__last_name", "person__first_name", "person__user__username")
    ),
    day=_NO_DAY,
)

_CATEGORIES = CompiledQuery(
    lambda also: (
        Category.objects.filter(Q(is_active=True) | Q(pk=also))
        .order_by("path")
        .values_list("pk", "code", "name", "path")
    ),
    also=_NO_CATEGORY,
)


def team_choices() -> list[TeamChoice]:
    """OGTIE and its teams (two levels down), the units tickets are assigned to."""
    return [TeamChoice(*row) for row in _TEAMS.rows()]


def staff_choices() -> list[dict[str, Any]]:
    """Active users holding an OGTIE role that attends tickets today, by name."""
    seen: set[str] = set()
    people = []
    for username, first, last, unit in _STAFF.rows(day=timezone.localdate()):
        if username in seen:
            continue
        seen.add(username)
        people.append({"username": username, "name": f"{first} {last}".strip(), "unit": unit})
    return people


def category_choices(also: int | None = None) -> list[CategoryChoice]:
    """The active categories in tree order, and category ``also`` (a ticket's own, even if
    it was retired since)."""
    return [CategoryChoice(*row) for row in _CATEGORIES.rows(also=also or _NO_CATEGORY)]
