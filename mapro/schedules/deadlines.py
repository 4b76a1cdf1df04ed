"""Deadlines of procedure activities: the due date, the reminder and the escalation.

An activity of a ficha may carry a time limit (docs/ficha-format.md, "Deadlines")::

    deadline:
      business_days: 3            # or business_hours: 8
      escalate_after: {business_days: 2}   # the second limit, counted from the due date
      escalate_to: jefe-ogtie     # the role told when the second limit passes

``due_at_for`` gives a new work item's due date on the Peru business calendar (``calendar``):
N business days means the end of office hours of the N-th business day after the day the
task opened; N business hours are counted in office hours from the moment it opened.

``do_send_deadline_notices`` is the worker's job (every minute): each open task past its due
date gets one reminder to the holders of its roles in scope, and — if the ficha names
``escalate_to`` — one escalation to the holders of that role once the second limit passes.
Each notice is a ``DeadlineNotice`` row with a unique ``(work_item, kind)``, inserted with
``INSERT … ON CONFLICT DO NOTHING`` in the transaction that writes its mails: once each,
whatever the number of workers and restarts.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.procedures.ficha.compiler import find_activity
from mapro.procedures.ficha.roles import ROLE_NAMES

from .choices import NoticeKind
from .limits import add_limit
from .models import DeadlineNotice
from .notices import notify_users

logger = logging.getLogger(__name__)

#: How many tasks one tick handles per kind of notice; the next tick takes the rest.
NOTICE_BATCH = 200


# --- who is told ---------------------------------------------------------------------------


def holders(roles: list[str], scope_paths: dict[str, str | None]) -> list[Any]:
    """Active users holding any of ``roles`` today in scope: a global grant always; a
    unit-scoped grant when the role's scope unit (``scope_paths[role]``, a unit path) lies in
    the grant's subtree — the same rule as the inbox (``procedures.selectors``)."""
    from mapro.organization.models import RoleAssignment

    rows = (
        RoleAssignment.objects.current()
        .filter(role__code__in=roles, person__user__is_active=True)
        .select_related("role", "unit", "person__user")
    )
    users: dict[int, Any] = {}
    for row in rows:
        scope = scope_paths.get(row.role.code)
        if row.unit_id is not None and not (
            scope and row.unit and row.unit.path and scope.startswith(row.unit.path)
        ):
            continue
        user: Any = row.person.user
        if user is not None:
            user.person_email = row.person.email  # the institutional address comes first
            users[user.pk] = user
    return sorted(users.values(), key=lambda u: u.username)


def assigned_users(user_ids: list[int]) -> list[Any]:
    """The active users a task is assigned to, with their institutional address."""
    from django.contrib.auth import get_user_model

    users = []
    for user in (
        get_user_model()
        .objects.filter(pk__in=user_ids, is_active=True)
        .select_related("person")
        .order_by("username")
    ):
        person = getattr(user, "person", None)
        user.person_email = person.email if person is not None else ""  # type: ignore[attr-defined]
        users.append(user)
    return users


# --- the worker's job ----------------------------------------------------------------------


@dataclass
class NoticeResult:
    reminders: int = 0
    escalations: int = 0


def _claim(work_item_id: int, kind: str, now: datetime.datetime) -> int | None:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING id``: the notice's id, or None when it was
    sent already (by another worker or an earlier run)."""
    table = connection.ops.quote_name(DeadlineNotice._meta.db_table)
    when = DeadlineNotice._meta.get_field("sent_at").get_db_prep_save(now, connection)
    empty = "'[]'::jsonb" if connection.vendor == "postgresql" else "'[]'"
    sql = (
        f"INSERT INTO {table} (work_item_id, kind, roles, recipients, sent_at) "  # noqa: S608
        f"VALUES (%s, %s, {empty}, {empty}, %s) "
        "ON CONFLICT (work_item_id, kind) DO NOTHING RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [work_item_id, kind, when])
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _send(item: Any, kind: str, now: datetime.datetime) -> bool:
    """One notice for ``item``, in its own transaction; False when it was sent already."""
    with transaction.atomic():
        notice_id = _claim(item.pk, kind, now)
        if notice_id is None:
            return False
        act = find_activity(item.instance.procedure_version.ficha, item.n)
        deadline = act.get("deadline") or {}
        role_rows = list(item.role_rows.select_related("unit"))
        assigned: list[int] = []
        if kind == NoticeKind.REMINDER:
            # A per-holder task of a multi-instance activity has one row "@<user id>": only
            # that person holds it (procedures.storage.NewItem.assignee_id).
            assigned = [int(r.role[1:]) for r in role_rows if r.role.startswith("@")]
            rows = [r for r in role_rows if not r.role.startswith("@")]
            roles = [row.role for row in rows] or list(item.roles)
            scopes = {row.role: (row.unit.path if row.unit else None) for row in rows}
        else:
            roles = [str(deadline.get("escalate_to"))]
            unit = item.unit or item.instance.unit
            scopes = {roles[0]: unit.path if unit is not None else None}
        people = assigned_users(assigned) if assigned else holders(roles, scopes)
        code = item.instance.procedure_version.procedure.code
        overdue = kind == NoticeKind.REMINDER
        subject = (
            f"Tarea vencida: {item.n}. {item.name} (expediente N° {item.instance_id})"
            if overdue
            else f"Escalamiento: tarea vencida sin atender, {item.n}. {item.name} "
            f"(expediente N° {item.instance_id})"
        )
        due = timezone.localtime(item.due_at).strftime("%d/%m/%Y %H:%M")
        where = f"«{item.n}. {item.name}» del expediente N° {item.instance_id} ({code})"
        names = ", ".join(ROLE_NAMES.get(role, role) for role in roles)
        body = (
            f"La tarea {where} venció el {due} y sigue pendiente. La tienen a su cargo los "
            f"roles: {names}."
            if overdue
            else f"La tarea {where} venció el {due} y, pasado el segundo plazo, sigue sin "
            f"atender. Se le informa como responsable superior ({names})."
        )
        recipients = notify_users(
            people,
            subject=subject,
            body=body,
            key=f"deadline:{item.pk}:{kind}",
            instance=item.instance,
            url=reverse("procedures:task_detail", args=[item.pk]),
        )
        escalate_at = None
        after = deadline.get("escalate_after")
        if overdue and deadline.get("escalate_to") and isinstance(after, dict) and item.due_at:
            escalate_at = add_limit(item.due_at, after)
        DeadlineNotice.objects.filter(pk=notice_id).update(
            roles=roles, recipients=recipients, escalate_at=escalate_at
        )
        if not overdue:  # the reminder's pending escalation is done
            DeadlineNotice.objects.filter(work_item_id=item.pk, kind=NoticeKind.REMINDER).update(
                escalate_at=None
            )
        record_event(
            actor=None,
            action=f"task.deadline_{kind}",
            obj=item.instance,
            after={"task": item.pk, "n": item.n, "roles": roles, "recipients": recipients},
        )
        if not recipients:
            logger.warning("Deadline %s of task %s reached nobody (%s)", kind, item.pk, roles)
    return True


def _overdue_without_reminder(now: datetime.datetime) -> Any:
    """Open tasks past their due date that have had no reminder, earliest first."""
    from mapro.procedures.models import WorkItem, WorkItemState

    sent = DeadlineNotice.objects.filter(work_item=OuterRef("pk"), kind=NoticeKind.REMINDER)
    return _with_instance(
        WorkItem.objects.filter(state=WorkItemState.OPEN, due_at__lte=now).filter(~Q(Exists(sent)))
    )


def _due_escalations(now: datetime.datetime) -> Any:
    """Open tasks whose reminder's escalation time has come (``escalate_at`` is cleared once
    escalated, so this reads only what is left to do)."""
    from mapro.procedures.models import WorkItem, WorkItemState

    pending = DeadlineNotice.objects.filter(
        work_item=OuterRef("pk"), kind=NoticeKind.REMINDER, escalate_at__lte=now
    )
    return _with_instance(WorkItem.objects.filter(state=WorkItemState.OPEN).filter(Exists(pending)))


def _with_instance(query: Any) -> Any:
    return (
        query.select_related("instance__procedure_version__procedure", "instance__unit", "unit")
        .defer("instance__state", "instance__procedure_version__bpmn_xml")
        .order_by("due_at", "id")[:NOTICE_BATCH]
    )


def do_send_deadline_notices(now: datetime.datetime | None = None) -> NoticeResult:
    """The worker tick: reminders for tasks past their due date, then escalations for those
    past the second limit (each once; see the module docstring). The system acts."""
    now = now or timezone.now()
    result = NoticeResult()
    for item in _overdue_without_reminder(now):
        result.reminders += _send(item, NoticeKind.REMINDER, now)
    for item in _due_escalations(now):
        result.escalations += _send(item, NoticeKind.ESCALATION, now)
    return result
