"""Read queries of the procedure runtime, each filtered by what the user may see.

Every list, detail and API endpoint goes through these, so an object outside the user's scope
is simply absent (404), never shown and then refused.

- The inbox works on the indexed ``WorkItemRole`` rows: a global grant of role R matches every
  open item of R; a unit-scoped grant matches the items of R whose scope unit lies in the
  grant's unit subtree. ``inbox_page`` (the screens and the API) reads one keyset page of it at
  a cost that does not grow with the table; ``open_work_items_for`` is the whole, unbounded list.
- An instance is visible to whoever started it, has taken or may take one of its tasks, holds
  a global OGTIE role (the office runs every procedure), or is ``director-uo`` of the unit it
  concerns (or a unit above it).
"""

from __future__ import annotations

import base64
import binascii
import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from mapro.core.exceptions import InvalidInput
from mapro.organization.models import Role, Unit
from mapro.organization.permissions import Grant, grants_for

from .models import Instance, Procedure, TaskRecord, WorkItem, WorkItemRole, WorkItemState

#: Fields never needed by lists: the workflow state and the BPMN text are large, and the
#: version's ficha (14 kB of JSON for S04.01.00.03) would be decoded once per row.
_HEAVY = (
    "instance__state",
    "instance__procedure_version__bpmn_xml",
    "instance__procedure_version__ficha",
)
#: Inbox page sizes (``GET /api/v1/tasks/?limit=``).
INBOX_PAGE_SIZE = 50
INBOX_MAX_PAGE_SIZE = 200
#: A unit-scoped grant whose subtree has more units than this reads its role's rows in one
#: ordered branch filtered by unit instead of one branch per unit.
_MAX_UNIT_BRANCHES = 20


def personal_role(user: Any) -> str | None:
    """The role of the rows of tasks assigned to ``user`` alone (``@<id>``; see WorkItem)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return f"@{user.pk}"


def _role_rows_q(grants: frozenset[Grant], user: Any = None) -> Q:
    """The ``WorkItemRole`` rows the grants cover, and those assigned to ``user`` alone
    (``Q(pk__in=[])`` for none)."""
    global_roles = sorted({g.role for g in grants if g.unit_id is None})
    mine = personal_role(user)
    if mine is not None:
        global_roles.append(mine)
    q = Q(role__in=global_roles) if global_roles else Q(pk__in=[])
    for grant in grants:
        if grant.unit_id is not None and grant.role not in global_roles:
            q |= Q(role=grant.role, unit__path__startswith=grant.unit_path)
    return q


def open_work_items_for(user: Any) -> QuerySet[WorkItem]:
    """The user's whole inbox: open work items of their roles, in scope, oldest first.

    One query, but unbounded: its cost grows with the items the user can see. Screens and the
    API show ``inbox_page`` instead.
    """
    grants = grants_for(user)
    if not grants:  # a task assigned to one person went to a holder of one of its roles
        return WorkItem.objects.none()
    rows = WorkItemRole.objects.filter(_role_rows_q(grants, user), is_open=True)
    return (
        WorkItem.objects.filter(state=WorkItemState.OPEN, id__in=rows.values("work_item_id"))
        .select_related("instance__procedure_version__procedure", "unit")
        .defer(*_HEAVY)
        .order_by("created_at", "id")
    )


@dataclass(frozen=True)
class InboxPage:
    """One page of a user's inbox, oldest first, and the cursor of the next page (or None)."""

    items: list[WorkItem]
    next_cursor: str | None


def encode_inbox_cursor(item: WorkItem) -> str:
    """The opaque cursor "after this item": its ``(created_at, id)``."""
    raw = f"{item.created_at.isoformat()}|{item.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_inbox_cursor(cursor: str) -> tuple[datetime.datetime, int]:
    """``(created_at, id)`` of a cursor; InvalidInput (400) when it is not one of ours."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        stamp, pk = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
        when = datetime.datetime.fromisoformat(stamp)
        if when.tzinfo is None:
            raise ValueError("naive")
        return when, int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput(errors={"cursor": ["El cursor de página no es válido."]}) from None


def _inbox_branches(grants: frozenset[Grant]) -> list[tuple[str, list[int] | None]]:
    """The index ranges an inbox reads: ``(role, None)`` per global role, ``(role, [unit])``
    per unit of a unit-scoped grant's subtree (``(role, [units…])`` for a wide subtree).

    The same rows as ``_role_rows_q``; the subtrees cost one small query on ``Unit``, and only
    when a unit-scoped grant is not covered by a global grant of the same role.
    """
    global_roles = sorted({g.role for g in grants if g.unit_id is None})
    # A grant's unit path is never empty once saved; an empty one covers nothing (Grant.covers).
    scoped = sorted(
        {
            (g.role, g.unit_path)
            for g in grants
            if g.unit_id is not None and g.unit_path and g.role not in global_roles
        }
    )
    branches: list[tuple[str, list[int] | None]] = [(role, None) for role in global_roles]
    if scoped:
        paths_q = Q(pk__in=[])
        for path in sorted({path for _, path in scoped}):
            paths_q |= Q(path__startswith=path)
        units = list(Unit.objects.filter(paths_q).values_list("pk", "path"))
        by_role: dict[str, set[int]] = {}
        for role, path in scoped:
            by_role.setdefault(role, set()).update(
                pk for pk, unit_path in units if unit_path.startswith(path)
            )
        for role, unit_ids in sorted(by_role.items()):
            if len(unit_ids) > _MAX_UNIT_BRANCHES:
                branches.append((role, sorted(unit_ids)))
            else:
                branches += [(role, [pk]) for pk in sorted(unit_ids)]
    return branches


def _inbox_page_ids_sql(
    branches: list[tuple[str, list[int] | None]],
    after: tuple[datetime.datetime, int] | None,
    size: int,
    overdue_at: datetime.datetime | None = None,
) -> tuple[str, list[Any]]:
    """SQL selecting the ids of one inbox page: each branch ordered and limited on its own
    partial index, combined with UNION ALL, then ordered and limited again.

    ``overdue_at``: only items due before that moment (the overdue filter); each branch
    then also reads its items' due dates, still in inbox order."""
    parts: list[str] = []
    params: list[Any] = []
    for number, (role, unit_ids) in enumerate(branches):
        rows = WorkItemRole.objects.filter(is_open=True, role=role)
        if unit_ids is not None:
            rows = (
                rows.filter(unit_id=unit_ids[0])
                if len(unit_ids) == 1
                else rows.filter(unit_id__in=unit_ids)
            )
        if overdue_at is not None:
            rows = rows.filter(work_item__due_at__lt=overdue_at)
        if after is not None:
            when, pk = after
            rows = rows.filter(created_at__gte=when).filter(
                Q(created_at__gt=when) | Q(work_item_id__gt=pk)
            )
        branch = rows.order_by("created_at", "work_item_id").values_list(
            "work_item_id", "created_at"
        )[:size]
        sql, branch_params = branch.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) b{number}")  # noqa: S608 - ORM-compiled SQL
        params += list(branch_params)
    union = " UNION ALL ".join(parts)
    sql = (
        "SELECT page.work_item_id FROM ("  # noqa: S608 - ORM-compiled SQL, values are params
        f"SELECT DISTINCT u.work_item_id, u.created_at FROM ({union}) u "
        f"ORDER BY u.created_at, u.work_item_id LIMIT {int(size)}"
        ") page"
    )
    return sql, params


def inbox_page_queryset(
    user: Any,
    after: tuple[datetime.datetime, int] | None,
    size: int,
    overdue_at: datetime.datetime | None = None,
) -> QuerySet[WorkItem]:
    """The query behind ``inbox_page``: at most ``size`` open items after ``after`` (the
    ``(created_at, id)`` of a cursor), oldest first, only those due before ``overdue_at`` when
    given. Reads the grants (and the units of the unit-scoped ones) to build it; evaluating it
    is one query."""
    grants = grants_for(user)
    branches = _inbox_branches(grants) if grants else []
    mine = personal_role(user)
    if grants and mine is not None:  # tasks assigned to this holder alone (multi-instance)
        branches.append((mine, None))
    if not branches:
        return WorkItem.objects.none()
    sql, params = _inbox_page_ids_sql(branches, after, size, overdue_at)
    return (
        WorkItem.objects.filter(
            state=WorkItemState.OPEN,
            pk__in=RawSQL(sql, params),  # noqa: S611 - SQL compiled by the ORM, values are params
        )
        .select_related("instance__procedure_version__procedure", "unit")
        .defer(*_HEAVY)
        .order_by("created_at", "id")
    )


def inbox_page(
    user: Any,
    *,
    cursor: str | None = None,
    limit: int | None = None,
    overdue: bool = False,
    now: datetime.datetime | None = None,
) -> InboxPage:
    """One page of the user's inbox (oldest first), ``limit`` items (default
    ``INBOX_PAGE_SIZE``, at most ``INBOX_MAX_PAGE_SIZE``) after ``cursor``; with ``overdue``
    only the items past their due date (at ``now``, default the current time).

    Its cost does not grow with the table: one branch per global role and per unit of a
    unit-scoped grant reads at most ``limit + 1`` entries of a partial index of open
    ``WorkItemRole`` rows in inbox order; the branches are merged in the same query, which
    then loads those items with their instance and procedure (the ficha deferred). Queries:
    the grants, the units of unit-scoped grants (only if any), the page.
    """
    size = max(1, min(INBOX_PAGE_SIZE if limit is None else int(limit), INBOX_MAX_PAGE_SIZE))
    after = decode_inbox_cursor(cursor) if cursor else None
    overdue_at = (now or timezone.now()) if overdue else None
    rows = list(inbox_page_queryset(user, after, size + 1, overdue_at))
    more = len(rows) > size
    rows = rows[:size]
    return InboxPage(rows, encode_inbox_cursor(rows[-1]) if more and rows else None)


def can_take(user: Any, item: WorkItem, role_rows: list[WorkItemRole] | None = None) -> bool:
    """True when the user holds one of the item's roles in the scope of that role's unit.

    ``role_rows`` are the item's ``WorkItemRole`` rows (with their units) when the caller has
    read them already; otherwise ``item.role_rows`` (prefetch them).
    """
    grants = grants_for(user)
    mine = personal_role(user)
    for row in item.role_rows.all() if role_rows is None else role_rows:
        if row.role == mine:
            return True
        for grant in grants:
            if grant.role != row.role:
                continue
            if grant.unit_id is None:
                return True
            if row.unit is not None and grant.covers(row.unit):
                return True
    return False


def instances_visible_to(user: Any) -> QuerySet[Instance]:
    """The instances the user may see (one query; see the module docstring for the rule)."""
    grants = grants_for(user)
    if user is None or not getattr(user, "is_authenticated", False):
        return Instance.objects.none()
    global_roles = sorted({g.role for g in grants if g.unit_id is None})
    q = Q(started_by=user)
    q |= Q(Exists(Role.objects.filter(code__in=global_roles, inside_ogtie=True)))
    q |= Q(Exists(WorkItem.objects.filter(instance=OuterRef("pk"), completed_by=user)))
    q |= Q(
        Exists(
            WorkItemRole.objects.filter(
                _role_rows_q(grants, user), work_item__instance=OuterRef("pk")
            )
        )
    )
    for grant in grants:
        if grant.role == "director-uo" and grant.unit_id is not None:
            q |= Q(unit__path__startswith=grant.unit_path)
    return Instance.objects.filter(q)


def work_items_visible_to(user: Any) -> QuerySet[WorkItem]:
    """Work items of the instances the user may see."""
    return WorkItem.objects.filter(instance__in=instances_visible_to(user).values("pk"))


def get_instance_for_user(user: Any, instance_id: int) -> Instance:
    """The instance if the user may see it; ``InstanceNotFound`` (404) otherwise."""
    from .exceptions import InstanceNotFound

    instance = (
        instances_visible_to(user)
        .select_related("procedure_version__procedure", "unit")
        .filter(pk=instance_id)
        .first()
    )
    if instance is None:
        raise InstanceNotFound()
    return instance


def get_work_item_for_user(user: Any, item_id: int) -> WorkItem:
    """The work item if the user may see its instance; ``WorkItemNotFound`` (404) otherwise."""
    from .exceptions import WorkItemNotFound

    item = (
        work_items_visible_to(user)
        .select_related("instance__procedure_version__procedure", "unit")
        .prefetch_related("role_rows__unit")
        .defer("instance__state")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise WorkItemNotFound()
    return item


def instance_history(instance: Instance) -> QuerySet[TaskRecord]:
    return instance.history.order_by("completed_at", "id")


def instance_open_items(instance: Instance) -> QuerySet[WorkItem]:
    return instance.work_items.filter(state=WorkItemState.OPEN).order_by("created_at", "id")


def published_procedures() -> QuerySet[Procedure]:
    """Procedures with a current version, with that version loaded (one query)."""
    return (
        Procedure.objects.filter(current_version__isnull=False)
        .select_related("current_version")
        .defer("current_version__bpmn_xml")
        .order_by("code")
    )


# --- HTML screens (procedures/views.py) ------------------------------------------------------


def recent_instances_of(user: Any, procedure: Procedure, limit: int = 10) -> QuerySet[Instance]:
    """The newest instances of ``procedure`` (any version) the user may see (one query)."""
    return (
        instances_visible_to(user)
        .filter(procedure_version__procedure=procedure)
        .select_related("unit")
        .defer("state")
        .order_by("-started_at", "-id")[:limit]
    )
