"""The one permission layer: "user holds role R, in scope of unit U, today".

Views, API views, actions and querysets all ask these functions; nothing else reads
RoleAssignment to decide access. A grant without a unit acts across MINDEF; a grant with a unit
covers that unit and every unit under it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from mapro.core.exceptions import Forbidden

from .models import Person, Role, RoleAssignment, Unit


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int | None
    unit_path: str | None

    def covers(self, unit: Unit | None) -> bool:
        if self.unit_id is None:
            return True
        if unit is None:
            return False
        return bool(unit.path) and unit.path.startswith(self.unit_path or "\0")


_CACHE_ATTR = "_mapro_grants"


@cache
def _grants_sql() -> str:
    """The current assignments of a person still in office, as (role, unit, unit path).

    The same rows as ``RoleAssignment.objects.current(day).filter(person__user=user)`` with the
    person's own ``valid_until``; plain SQL because every request reads it and building it
    through the ORM cost several times more than running it (docs/benchmarks.md, section 1).
    """
    quote = connection.ops.quote_name
    assignment, person = RoleAssignment._meta, Person._meta
    return (
        f"SELECT r.{quote('code')}, a.{quote('unit_id')}, u.{quote('path')} "  # noqa: S608
        f"FROM {quote(assignment.db_table)} a "
        f"JOIN {quote(person.db_table)} p ON p.id = a.{quote('person_id')} "
        f"JOIN {quote(Role._meta.db_table)} r ON r.id = a.{quote('role_id')} "
        f"LEFT JOIN {quote(Unit._meta.db_table)} u ON u.id = a.{quote('unit_id')} "
        f"WHERE p.{quote('user_id')} = %s "
        f"AND (a.{quote('valid_from')} IS NULL OR a.{quote('valid_from')} <= %s) "
        f"AND (a.{quote('valid_until')} IS NULL OR a.{quote('valid_until')} >= %s) "
        f"AND (p.{quote('valid_until')} IS NULL OR p.{quote('valid_until')} >= %s)"
    )


def grants_for(user: Any, on: datetime.date | None = None) -> frozenset[Grant]:
    """The user's current grants, read once per user object (i.e. once per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    day = on or timezone.localdate()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None and cached[0] == day:
        return cached[1]
    on_day = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        cursor.execute(_grants_sql(), [user.pk, on_day, on_day, on_day])
        rows = cursor.fetchall()
    grants = frozenset(Grant(role, unit_id, path) for role, unit_id, path in rows)
    setattr(user, _CACHE_ATTR, (day, grants))
    return grants


def forget_grants(user: Any) -> None:
    """Drop the cached grants (after an assignment changes within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def role_codes(user: Any) -> set[str]:
    return {g.role for g in grants_for(user)}


def has_role(user: Any, roles: str | Iterable[str], unit: Unit | None = None) -> bool:
    """True when the user holds any of ``roles`` today, in scope of ``unit`` when given.

    With ``unit=None`` a unit-scoped grant still counts (the user holds the role somewhere);
    pass the unit of the object at hand to check scope.
    """
    wanted = {roles} if isinstance(roles, str) else set(roles)
    for grant in grants_for(user):
        if grant.role in wanted and (unit is None or grant.covers(unit)):
            return True
    return False


def check_role(user: Any, roles: str | Iterable[str], unit: Unit | None = None) -> None:
    """Raise Forbidden (403) unless ``has_role``."""
    if not has_role(user, roles, unit):
        raise Forbidden()


def unit_scope_q(user: Any, roles: str | Iterable[str], field: str = "unit") -> Q | None:
    """A Q limiting ``<field>`` to the units where the user holds ``roles``.

    None means no limit (a global grant); an empty match (``Q(pk__in=[])``) means nothing.
    """
    wanted = {roles} if isinstance(roles, str) else set(roles)
    paths = []
    for grant in grants_for(user):
        if grant.role not in wanted:
            continue
        if grant.unit_id is None:
            return None
        paths.append(grant.unit_path)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    for path in paths:
        q |= Q(**{f"{field}__path__startswith": path})
    return q
