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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from mapro.core.exceptions import InvalidInput
from mapro.core.links import url_maker
from mapro.organization.models import Unit
from mapro.organization.permissions import Grant, grants_for

from .cases import CaseTicket, case_tickets
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
    """One page of a user's inbox, in the asked order, and the cursor of the next page (or
    None)."""

    items: list[WorkItem]
    next_cursor: str | None


#: Inbox orders (``?ordering=`` in the API): oldest first (the default), newest first, and by
#: due date (soonest first, the tasks without a limit last).
INBOX_ORDERINGS = ("created_at", "-created_at", "due_at")
#: Due-date windows (``?due=``): past due; due from now to the end of today; due from now to
#: the end of this week (Sunday), both in the office's time zone. The windows after "overdue"
#: start now, so a task is in one bucket only.
INBOX_DUE_WINDOWS = ("overdue", "today", "week")
#: The sort key of a task without a due date when ordering by due date: after every real one.
_NO_DUE = datetime.datetime(9000, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class InboxFilter:
    """What an inbox page shows: one procedure's tasks (its id), a due window, an order."""

    procedure_id: int | None = None
    due: str | None = None
    ordering: str = "created_at"


def inbox_procedure_id(code: str) -> int:
    """The id of the procedure of code ``code`` (the inbox's procedure filter); InvalidInput
    naming ``procedure`` when there is none."""
    pk = Procedure.objects.filter(code=code).values_list("pk", flat=True).first()
    if pk is None:
        raise InvalidInput(errors={"procedure": [f"No existe el procedimiento «{code}»."]})
    return int(pk)


def inbox_filter(
    *, procedure: str | None = None, due: str | None = None, ordering: str | None = None
) -> InboxFilter:
    """Check the inbox's filter values (the API's and the screen's): InvalidInput (400) naming
    each bad one (``procedure``, ``due``, ``ordering``). One query when a procedure is given."""
    errors: dict[str, list[str]] = {}
    if due not in (None, "", *INBOX_DUE_WINDOWS):
        errors["due"] = [f"Valor no válido; use uno de: {', '.join(INBOX_DUE_WINDOWS)}."]
    if ordering not in (None, "", *INBOX_ORDERINGS):
        errors["ordering"] = [f"Valor no válido; use uno de: {', '.join(INBOX_ORDERINGS)}."]
    procedure_id = None
    if procedure:
        try:
            procedure_id = inbox_procedure_id(procedure)
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors=errors)
    return InboxFilter(procedure_id, due or None, ordering or "created_at")


def due_window(
    due: str | None, now: datetime.datetime
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """``[from, until)`` of a due window at ``now`` (None: open end); ``(None, None)`` for all."""
    if due is None:
        return None, None
    if due == "overdue":
        return None, now
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    days = 1 if due == "today" else 7 - today.weekday()  # the week ends on Sunday night
    # Midnight of the day after, in local time (a date sum, then localised: no DST drift).
    end = timezone.make_aware(
        datetime.datetime.combine(today.date() + datetime.timedelta(days=days), datetime.time()),
        timezone.get_current_timezone(),
    )
    return now, end


def _sort_key(item: WorkItem, ordering: str) -> datetime.datetime:
    if ordering == "due_at":
        return item.due_at or _NO_DUE
    return item.created_at


def encode_inbox_cursor(item: WorkItem, ordering: str = "created_at") -> str:
    """The opaque cursor "after this item" in ``ordering``: its ``(sort key, id)``, the order
    named unless it is the default."""
    stamp = f"{_sort_key(item, ordering).isoformat()}|{item.pk}"
    raw = (stamp if ordering == "created_at" else f"{ordering}|{stamp}").encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_inbox_cursor(cursor: str, ordering: str = "created_at") -> tuple[datetime.datetime, int]:
    """``(sort key, id)`` of a cursor of ``ordering``; InvalidInput (400) when it is not one
    of ours or belongs to another order."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        parts = base64.urlsafe_b64decode(padded.encode()).decode().split("|")
        order = parts.pop(0) if len(parts) == 3 else "created_at"
        stamp, pk = parts
        when = datetime.datetime.fromisoformat(stamp)
        if when.tzinfo is None or order != ordering:
            raise ValueError("naive or another order")
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
    only: InboxFilter | None = None,
    due_from: datetime.datetime | None = None,
) -> tuple[str, list[Any]]:
    """SQL selecting the ids of one inbox page: each branch ordered and limited on its own
    (on its partial index in the default order), combined with UNION ALL, then ordered and
    limited again.

    ``overdue_at``: only items due before that moment, ``due_from`` only those due from then
    on; ``only``: the procedure and the order. Each branch then also reads its items' due
    dates (and instances), still in the page's order."""
    only = only or InboxFilter()
    descending = only.ordering == "-created_at"
    key = "inbox_key" if only.ordering == "due_at" else "created_at"
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
        if due_from is not None:
            rows = rows.filter(work_item__due_at__gte=due_from)
        if only.procedure_id is not None:
            rows = rows.filter(
                work_item__instance__procedure_version__procedure_id=only.procedure_id
            )
        if key == "inbox_key":
            rows = rows.annotate(inbox_key=Coalesce("work_item__due_at", Value(_NO_DUE)))
        if after is not None:
            when, pk = after
            if descending:
                rows = rows.filter(**{f"{key}__lte": when}).filter(
                    Q(**{f"{key}__lt": when}) | Q(work_item_id__lt=pk)
                )
            else:
                rows = rows.filter(**{f"{key}__gte": when}).filter(
                    Q(**{f"{key}__gt": when}) | Q(work_item_id__gt=pk)
                )
        order = (f"-{key}", "-work_item_id") if descending else (key, "work_item_id")
        branch = rows.order_by(*order).values_list("work_item_id", key)[:size]
        sql, branch_params = branch.query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) b{number}")  # noqa: S608 - ORM-compiled SQL
        params += list(branch_params)
    union = " UNION ALL ".join(parts)
    direction = "DESC" if descending else "ASC"
    sql = (
        "SELECT page.work_item_id FROM ("  # noqa: S608 - ORM-compiled SQL, values are params
        f"SELECT DISTINCT u.work_item_id, u.{key} FROM ({union}) u "
        f"ORDER BY u.{key} {direction}, u.work_item_id {direction} LIMIT {int(size)}"
        ") page"
    )
    return sql, params


def _page_order(ordering: str) -> tuple[Any, ...]:
    if ordering == "-created_at":
        return ("-created_at", "-id")
    if ordering == "due_at":
        return (F("due_at").asc(nulls_last=True), "id")
    return ("created_at", "id")


def inbox_page_queryset(
    user: Any,
    after: tuple[datetime.datetime, int] | None,
    size: int,
    overdue_at: datetime.datetime | None = None,
    only: InboxFilter | None = None,
    due_from: datetime.datetime | None = None,
) -> QuerySet[WorkItem]:
    """The query behind ``inbox_page``: at most ``size`` open items after ``after`` (the
    ``(sort key, id)`` of a cursor) in ``only``'s order and of its procedure, only those due
    in ``[due_from, overdue_at)`` when given. Reads the grants (and the units of the
    unit-scoped ones) to build it; evaluating it is one query."""
    only = only or InboxFilter()
    grants = grants_for(user)
    branches = _inbox_branches(grants) if grants else []
    mine = personal_role(user)
    if grants and mine is not None:  # tasks assigned to this holder alone (multi-instance)
        branches.append((mine, None))
    if not branches:
        return WorkItem.objects.none()
    sql, params = _inbox_page_ids_sql(branches, after, size, overdue_at, only, due_from)
    return (
        WorkItem.objects.filter(
            state=WorkItemState.OPEN,
            pk__in=RawSQL(sql, params),  # noqa: S611 - SQL compiled by the ORM, values are params
        )
        .select_related(
            "instance__procedure_version__procedure",
            "instance__unit",
            "instance__started_by",
            "unit",
        )
        .defer(*_HEAVY)
        .order_by(*_page_order(only.ordering))
    )


def inbox_page(
    user: Any,
    *,
    cursor: str | None = None,
    limit: int | None = None,
    overdue: bool = False,
    now: datetime.datetime | None = None,
    only: InboxFilter | None = None,
) -> InboxPage:
    """One page of the user's inbox, ``limit`` items (default ``INBOX_PAGE_SIZE``, at most
    ``INBOX_MAX_PAGE_SIZE``) after ``cursor``, in ``only``'s order (oldest first by
    default), of its procedure and due window (``overdue``: the same as ``due="overdue"``),
    at ``now`` (default the current time).

    Its cost does not grow with the table: one branch per global role and per unit of a
    unit-scoped grant reads at most ``limit + 1`` entries of the open ``WorkItemRole`` rows
    in the page's order (straight off a partial index in the default order); the branches are
    merged in the same query, which then loads those items with their instance, its unit and
    procedure (the ficha deferred). Queries: the grants, the units of unit-scoped grants (only
    if any), the page.
    """
    only = only or InboxFilter()
    size = max(1, min(INBOX_PAGE_SIZE if limit is None else int(limit), INBOX_MAX_PAGE_SIZE))
    after = decode_inbox_cursor(cursor, only.ordering) if cursor else None
    due_from, due_until = due_window("overdue" if overdue else only.due, now or timezone.now())
    rows = list(inbox_page_queryset(user, after, size + 1, due_until, only, due_from))
    more = len(rows) > size
    rows = rows[:size]
    return InboxPage(rows, encode_inbox_cursor(rows[-1], only.ordering) if more and rows else None)


@dataclass(frozen=True)
class InboxRow:
    """What an inbox says of a task: its case (the ticket's number and subject, or the
    procedure and instance number), who asked and from which unit, when it is due."""

    item: WorkItem
    procedure: Procedure
    title: str
    ticket: CaseTicket | None
    requester: str
    unit_code: str
    unit_name: str
    overdue: bool


def inbox_rows(items: list[WorkItem], now: datetime.datetime | None = None) -> list[InboxRow]:
    """The rows of an inbox page: one batched query for the cases' tickets (none for an
    empty page), whatever the number of items."""
    now = now or timezone.now()
    tickets = case_tickets({item.instance_id for item in items})
    rows: list[InboxRow] = []
    for item in items:
        instance = item.instance
        procedure = instance.procedure_version.procedure
        ticket = tickets.get(item.instance_id)
        if ticket is not None:
            title = f"Ticket {ticket.number}: {ticket.subject}"
            requester, unit_code, unit_name = ticket.requester, ticket.unit_code, ticket.unit_name
        else:
            title = f"{procedure.name} N° {item.instance_id}"
            # The starter's name as people know it; the history's "user (name)" copy only
            # when the account is gone (or the system started the case).
            starter = instance.started_by
            requester = (starter.get_full_name() if starter else "") or instance.started_by_name
            unit = instance.unit
            unit_code, unit_name = (unit.code, unit.name) if unit is not None else ("", "")
        rows.append(
            InboxRow(
                item=item,
                procedure=procedure,
                title=title,
                ticket=ticket,
                requester=requester,
                unit_code=unit_code,
                unit_name=unit_name,
                overdue=item.due_at is not None and item.due_at < now,
            )
        )
    return rows


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


def sees_every_instance(user: Any) -> bool:
    """True when the user holds a global OGTIE role today: the office runs every procedure,
    so they see every instance (decided from the grants, no query of its own)."""
    return any(g.inside_ogtie and g.unit_id is None for g in grants_for(user))


def instances_visible_to(user: Any) -> QuerySet[Instance]:
    """The instances the user may see (one query; see the module docstring for the rule)."""
    grants = grants_for(user)
    if user is None or not getattr(user, "is_authenticated", False):
        return Instance.objects.none()
    if sees_every_instance(user):  # no condition to build or to run
        return Instance.objects.all()
    q = Q(started_by=user)
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
    if sees_every_instance(user):
        return WorkItem.objects.all()
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


#: What the API's instance answer does not read: the workflow state (JSON decoded on load) and
#: the version's BPMN text.
_NOT_IN_ANSWER = ("state", "procedure_version__bpmn_xml")


def instance_answer(user: Any, instance_id: int, *, seen: bool = False) -> Instance:
    """The instance as API v1 answers it (``InstanceSerializer``): with its version, procedure
    and unit, without the columns the answer does not read. ``InstanceNotFound`` (404) unless
    the user may see it.

    ``seen=True``: the caller has just proved that the user sees it — an action they performed
    on it made them one of those the visibility rule names (e.g. they completed one of its
    tasks) — so the rule is not run again.
    """
    from .exceptions import InstanceNotFound

    rows = Instance.objects.all() if seen else instances_visible_to(user)
    instance = (
        rows.select_related("procedure_version__procedure", "unit")
        .defer(*_NOT_IN_ANSWER)
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
        .select_related("instance__procedure_version__procedure", "instance__unit", "unit")
        # The role rows with their units in one query (not one for the rows, one for units).
        .prefetch_related(
            Prefetch("role_rows", queryset=WorkItemRole.objects.select_related("unit"))
        )
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


def procedure_choices() -> QuerySet[Procedure]:
    """Code and name of the published procedures, for a filter's choices (one query)."""
    published = Procedure.objects.filter(current_version__isnull=False)
    return published.only("code", "name").order_by("code")


def recent_instances_of(user: Any, procedure: Procedure, limit: int = 10) -> QuerySet[Instance]:
    """The newest instances of ``procedure`` (any version) the user may see (one query)."""
    return (
        instances_visible_to(user)
        .filter(procedure_version__procedure=procedure)
        .select_related("unit")
        .defer("state")
        .order_by("-started_at", "-id")[:limit]
    )


# --- Links to an instance from another app's page ----------------------------------------------


def instance_urls(user: Any, ids: Iterable[int | None]) -> dict[int, str]:
    """The page of each of these instances that ``user`` may see: ``{instance id: URL}``.

    Another app's page names the expediente of its rows by a foreign key; it links to it only
    when the viewer may open it (least privilege: a link to an instance outside the viewer's
    scope leads to a 404; the page shows the bare number instead). No statement for a viewer
    who sees every instance (``sees_every_instance``) or for no ids; one for all the ids of a
    page otherwise."""
    wanted = {int(pk) for pk in ids if pk}
    if not wanted:
        return {}
    if sees_every_instance(user):
        visible = wanted
    else:
        visible = set(instances_visible_to(user).filter(pk__in=wanted).values_list("pk", flat=True))
    page = url_maker("procedures:instance_detail", 987654321)
    return {pk: page(pk) for pk in visible}


def link_instances(
    user: Any,
    rows: Iterable[Any],
    id_of: Callable[[Any], int | None] | None = None,
    attr: str = "instance_url",
) -> None:
    """Set ``attr`` (default ``instance_url``) on each of ``rows``: the URL of the row's
    instance (``id_of(row)``, default ``row.instance_id``) when ``user`` may see it, else None
    (the template shows the bare number). ``instance_urls``: at most one statement."""
    rows = list(rows)
    read = id_of or (lambda row: row.instance_id)
    urls = instance_urls(user, (read(row) for row in rows))
    for row in rows:
        setattr(row, attr, urls.get(read(row) or 0))
