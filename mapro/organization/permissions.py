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

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from mapro.core.exceptions import Forbidden

from .models import RoleAssignment, Unit


@dataclass(frozen=True)
class Grant:
    """A current assignment: role ``role``, across MINDEF (``unit_id`` None) or over a unit
    and its subtree. ``inside_ogtie`` is the role's ``Role.inside_ogtie`` as read with the
    grant (same query, same request): the office's roles see every procedure."""

    role: str
    unit_id: int | None
    unit_path: str | None
    inside_ogtie: bool = False

    def covers(self, unit: Unit | None) -> bool:
        if self.unit_id is None:
            return True
        if unit is None:
            return False
        return bool(unit.path) and unit.path.startswith(self.unit_path or "\0")


_CACHE_ATTR = "_mapro_grants"


# Stand-ins for the two parameters while the query is compiled; never real values (a negative
# user id, a day before MINDEF existed).
_USER_SLOT = -73_019_001
_DAY_SLOT = datetime.date(1901, 2, 3)


@cache
def _grants_sql() -> tuple[str, tuple[str, ...]]:
    """The current assignments of the user, as (role, unit, unit path, role inside the OGTIE):
    SQL and parameter slots.

    Compiled once per process from ``RoleAssignment.objects.current()`` (the one definition of
    a current assignment, ``models.roles.current_assignment_q``) and then run as plain SQL,
    because every request reads it and building the query through the ORM each time cost
    several times more than running it (docs/benchmarks.md, section 1).
    """
    rows = (
        RoleAssignment.objects.current(_DAY_SLOT)
        .filter(person__user_id=_USER_SLOT)
        .values_list("role__code", "unit_id", "unit__path", "role__inside_ogtie")
        .order_by()
    )
    sql, params = rows.query.sql_with_params()
    day = connection.ops.adapt_datefield_value(_DAY_SLOT)
    slots = []
    for param in params:
        if param == _USER_SLOT:
            slots.append("user")
        elif param == day:
            slots.append("day")
        else:  # pragma: no cover - only if current_assignment_q gains a parameter
            raise ImproperlyConfigured(
                f"Parámetro inesperado en la consulta de permisos: {param!r}"
            )
    return sql, tuple(slots)


def _known_grants(user: Any, day: datetime.date) -> frozenset[Grant] | None:
    """The grants known without a query: none for no user or an inactive one, those already
    read today on this user object; ``None`` when they must be read."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    return cached[1] if cached is not None and cached[0] == day else None


def _grants_query(user: Any, day: datetime.date) -> tuple[str, list[Any]]:
    """The grants' SQL (``_grants_sql``) and its parameters for ``user`` on ``day``."""
    sql, slots = _grants_sql()
    values = {"user": user.pk, "day": connection.ops.adapt_datefield_value(day)}
    return sql, [values[slot] for slot in slots]


def grants_for(user: Any, on: datetime.date | None = None) -> frozenset[Grant]:
    """The user's current grants, read once per user object (i.e. once per request)."""
    day = on or timezone.localdate()
    known = _known_grants(user, day)
    if known is not None:
        return known
    sql, params = _grants_query(user, day)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return remember_grants(user, day, rows)


def remember_grants(user: Any, day: datetime.date, rows: Iterable[Any]) -> frozenset[Grant]:
    """Keep ``rows`` (role, unit, unit path, inside the OGTIE) as the user's grants of ``day``."""
    grants = frozenset(
        Grant(role, unit_id, path, bool(ogtie)) for role, unit_id, path, ogtie in rows
    )
    setattr(user, _CACHE_ATTR, (day, grants))
    return grants


def grants_subquery(user: Any) -> tuple[str, list[Any], datetime.date] | None:
    """The user's grants of today as a scalar subquery (PostgreSQL: a ``json`` array of
    ``[role, unit, unit path, inside the OGTIE]``), its parameters and the day, for a statement
    that reads them along with its own columns (the task completion's item load); hand the
    array to ``remember_grants``. ``None`` when ``grants_for`` would send no query (no user,
    inactive, already read today) or off PostgreSQL: call ``grants_for`` as usual then."""
    if connection.vendor != "postgresql":
        return None
    day = timezone.localdate()
    if _known_grants(user, day) is not None:
        return None
    sql, params = _grants_query(user, day)
    # The grants' SQL is compiled from the ORM (_grants_sql), never from input.
    rows = "json_build_array(g.role, g.unit, g.path, g.ogtie)"
    subquery = (
        f"(SELECT COALESCE(json_agg({rows}), '[]') FROM ({sql}) AS g (role, unit, path, ogtie))"  # noqa: S608
    )
    return subquery, params, day


def forget_grants(user: Any) -> None:
    """Drop the cached grants (after an assignment changes within the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def role_codes(user: Any) -> set[str]:
    return {g.role for g in grants_for(user)}


def holds_ogtie_role(user: Any) -> bool:
    """True when the user holds a role of the OGTIE today (``Role.inside_ogtie``), in any
    scope. No query beyond the grants (read once per request)."""
    return any(grant.inside_ogtie for grant in grants_for(user))


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
