"""State changes of running procedures: start an instance, complete a task, cancel.

Each action is one transaction that checks permission, validates, advances the workflow, and
audits. Storing a step always ends in ``UPDATE instance SET state=…, version=version+1 WHERE
id=? AND version=?``: zero rows means another request stored a step first, and the whole
transaction rolls back with ``ConcurrentUpdate`` (409). This holds on SQLite and PostgreSQL
alike, without row locks.

When the engine cannot go on (``EngineError``: no ready task, loop limit, a bad condition), the
action stores the instance as failed — in its own transaction, with an audit event, so the
failure is recorded and visible — and then re-raises the error, which is also logged: no
instance ever hangs silently.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.organization.models import Role, Unit
from mapro.organization.permissions import check_role

from .effects import dispatch_effects
from .engine import runner
from .engine.specs import get_spec
from .exceptions import (
    ConcurrentUpdate,
    EngineError,
    InstanceNotFound,
    InstanceNotRunning,
    ProcedureNotFound,
    ProcedureNotPublished,
    TaskAlreadyCompleted,
    UnknownStart,
    WorkItemNotFound,
)
from .forms import check_form_data
from .models import (
    Instance,
    InstanceStatus,
    Procedure,
    ProcedureVersion,
    TaskRecord,
    WorkItem,
    WorkItemRole,
    WorkItemState,
)
from .selectors import can_take, instances_visible_to

logger = logging.getLogger(__name__)

#: Roles that act within a unit even if the Role table has not been seeded with flags.
UNIT_SCOPED_ROLES = {"director-uo", "personal"}
#: An activity ``unit`` meaning "the requesting unit of the instance".
REQUESTING_UNIT = {"U.O.", "UO", ""}
CANCEL_ROLE = "jefe-ogtie"


# --- ficha helpers ---------------------------------------------------------------------------


def activity(ficha: dict[str, Any], n: int) -> dict[str, Any]:
    for act in ficha.get("activities", []):
        if act.get("n") == n:
            return dict(act)
    raise EngineError(f"La ficha {ficha.get('code')} no tiene la actividad {n}.")


def form_schema_for(ficha: dict[str, Any], n: int) -> dict[str, Any]:
    """The effective form of activity ``n`` (the definitions' compiler adds the decision)."""
    from .ficha.compiler import form_schema

    return form_schema(ficha, n)


def _resolve_start(ficha: dict[str, Any], start: str | None) -> dict[str, Any]:
    starts = ficha.get("starts") or []
    keys = [s["key"] for s in starts]
    if start is None or start == "":
        if len(starts) == 1:
            return dict(starts[0])
        raise UnknownStart(errors={"start": [f"Indique la forma de inicio: {', '.join(keys)}."]})
    for entry in starts:
        if entry["key"] == start:
            return dict(entry)
    raise UnknownStart(
        errors={"start": [f"Forma de inicio desconocida; las válidas son: {', '.join(keys)}."]}
    )


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "sistema"
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return (f"{actor.get_username()} ({full})" if full else actor.get_username())[:200]


def _person_unit(actor: Any) -> Unit | None:
    person = getattr(actor, "person", None) if actor is not None else None
    try:
        return person.unit if person is not None else None
    except Unit.DoesNotExist:  # pragma: no cover - unit is required on Person
        return None


# --- work items ------------------------------------------------------------------------------


def _units_and_scoped_roles(
    unit_codes: set[str], roles: set[str]
) -> tuple[dict[str, int], set[str]]:
    """Unit ids by code, and which of ``roles`` are unit-scoped: one query for both.

    Read per step (not cached in the process), so a change to a unit or a role applies to the
    next step at once. Plain SQL: it runs on every step, and building it through the ORM cost
    more than running it.
    """
    quote = connection.ops.quote_name
    parts: list[str] = []
    params: list[Any] = []
    # Only table names and placeholders are formatted in; every value is a parameter.
    if unit_codes:
        marks = ", ".join(["%s"] * len(unit_codes))
        table = quote(Unit._meta.db_table)
        parts.append(f"SELECT 'unit', code, id FROM {table} WHERE code IN ({marks})")  # noqa: S608
        params += sorted(unit_codes)
    if roles:
        marks = ", ".join(["%s"] * len(roles))
        table = quote(Role._meta.db_table)
        parts.append(
            f"SELECT 'role', code, id FROM {table} WHERE code IN ({marks}) "  # noqa: S608
            "AND unit_scoped = %s"
        )
        params += [*sorted(roles), True]
    if not parts:
        return {}, set()
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    units: dict[str, int] = {}
    scoped: set[str] = set()
    for lookup, code, pk in rows:
        if lookup == "unit":
            units[code] = pk
        else:
            scoped.add(code)
    return units, scoped


def _sync_work_items(
    instance: Instance,
    workflow: Any,
    ficha: dict[str, Any],
    open_items: list[WorkItem] | None = None,
) -> list[WorkItem]:
    """Make the open work-item rows match the workflow's READY user tasks.

    Items whose task is still ready are kept (their ids stay stable across steps); items whose
    task is no longer ready are cancelled; new ready tasks get new items with one
    ``WorkItemRole`` row per role, scoped to the instance's unit for unit-scoped roles and
    "U.O." activities, otherwise to the activity's unit, and carrying the item's creation time
    (the inbox's order). ``open_items`` are the instance's open items when the caller already
    has them (read here otherwise). Returns the open items after the sync, kept then new.
    """
    ready = (
        {str(t.id): t for t in runner.ready_user_tasks(workflow)}
        if (instance.status == InstanceStatus.RUNNING)
        else {}
    )
    if open_items is None:
        open_items = list(instance.work_items.filter(state=WorkItemState.OPEN))
    stale = [item.pk for item in open_items if item.task_id not in ready]
    if stale:
        WorkItem.objects.filter(pk__in=stale).update(state=WorkItemState.CANCELLED)
        WorkItemRole.objects.filter(work_item_id__in=stale).update(is_open=False)
    kept = [item for item in open_items if item.task_id in ready]
    kept_ids = {item.task_id for item in kept}
    new_tasks = [task for task_id, task in ready.items() if task_id not in kept_ids]
    if not new_tasks:
        return kept
    acts = {}
    for task in new_tasks:
        n = runner.activity_number(task)
        acts[n] = activity(ficha, n)
    unit_codes = {str(a.get("unit") or "") for a in acts.values()} - REQUESTING_UNIT
    all_roles = {r for a in acts.values() for r in a.get("roles", [])}
    unit_ids, scoped_roles = _units_and_scoped_roles(unit_codes, all_roles - UNIT_SCOPED_ROLES)
    scoped = UNIT_SCOPED_ROLES | scoped_roles
    created: list[WorkItem] = []
    for task in new_tasks:
        n = runner.activity_number(task)
        act = acts[n]
        unit_code = str(act.get("unit") or "")
        created.append(
            WorkItem(
                instance=instance,
                task_id=str(task.id),
                n=n,
                name=str(act.get("name", ""))[:400],
                roles=list(act.get("roles", [])),
                unit_id=instance.unit_id
                if unit_code in REQUESTING_UNIT
                else unit_ids.get(unit_code),
            )
        )
    # One INSERT for all new items (their ids come back: PostgreSQL, SQLite ≥ 3.35).
    WorkItem.objects.bulk_create(created)
    role_rows: list[WorkItemRole] = []
    for item in created:
        for_requester = str(acts[item.n].get("unit") or "") in REQUESTING_UNIT
        for role in item.roles:
            scope = instance.unit_id if (role in scoped or for_requester) else item.unit_id
            role_rows.append(
                WorkItemRole(work_item=item, role=role, unit_id=scope, created_at=item.created_at)
            )
    WorkItemRole.objects.bulk_create(role_rows)
    return kept + created


def _store_step(instance: Instance, expected_version: int, **fields: Any) -> None:
    """``UPDATE … WHERE id = ? AND version = ?``; 0 rows → ConcurrentUpdate (rolls back)."""
    updated = Instance.objects.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **fields
    )
    if updated != 1:
        raise ConcurrentUpdate()
    instance.version = expected_version + 1
    for name, value in fields.items():
        setattr(instance, name, value)


def _snapshot(instance: Instance, open_items: list[WorkItem] | None = None) -> dict[str, Any]:
    """What the audit trail keeps of an instance: status, row version and open activities.

    ``open_items`` are its open items when the caller has them already (read here otherwise).
    """
    if open_items is None:
        numbers = list(
            instance.work_items.filter(state=WorkItemState.OPEN).values_list("n", flat=True)
        )
    else:
        numbers = [item.n for item in open_items]
    return {"status": instance.status, "version": instance.version, "open_tasks": sorted(numbers)}


def _record_failure(instance_id: int, error: EngineError, *, actor: Any) -> None:
    """Store the instance as failed, in its own transaction, and log the failure loudly."""
    logger.error("Procedure instance %s failed: %s", instance_id, error.message)
    with transaction.atomic():
        instance = Instance.objects.filter(pk=instance_id).first()
        if instance is None or instance.status != InstanceStatus.RUNNING:
            return
        before = _snapshot(instance)
        _store_step(
            instance,
            instance.version,
            status=InstanceStatus.FAILED,
            failure=error.message,
            ended_at=timezone.now(),
        )
        WorkItem.objects.filter(instance=instance, state=WorkItemState.OPEN).update(
            state=WorkItemState.CANCELLED
        )
        WorkItemRole.objects.filter(work_item__instance=instance).update(is_open=False)
        record_event(
            actor=actor,
            action="instance.fail",
            obj=instance,
            before=before,
            after={**_snapshot(instance), "failure": error.message},
        )


# --- actions ---------------------------------------------------------------------------------


def do_start_instance(
    procedure_code: str,
    *,
    start: str | None = None,
    data: dict[str, Any] | None = None,
    unit: Unit | None = None,
    actor: Any,
    system: bool = False,
) -> Instance:
    """Start an instance of the procedure's current version.

    ``start`` picks one of the ficha's ways to start (required when it has several). Only
    holders of a role of the start's first activity may start (``personal`` when that activity
    is the requester's). ``data`` becomes the initial workflow data. The instance concerns
    ``unit`` (default: the starter's unit); the first tasks are written as work items.

    ``system=True`` (with ``actor=None``): the system starts it for an integration that has
    authenticated its caller otherwise (the signed HR leaver webhook, ``mapro.hr``); there is
    no role check, ``started_by`` stays empty and the audit event names "sistema".
    """
    if system:
        if actor is not None:
            raise ValueError("A system start has no actor.")
    elif actor is None or not getattr(actor, "is_authenticated", False):
        raise Forbidden()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidInput(errors={"data": ["Debe ser un objeto JSON."]})
    failure: tuple[int, EngineError] | None = None
    with transaction.atomic():
        procedure = (
            Procedure.objects.select_related("current_version").filter(code=procedure_code).first()
        )
        if procedure is None:
            raise ProcedureNotFound()
        version: ProcedureVersion | None = procedure.current_version
        if version is None:
            raise ProcedureNotPublished()
        ficha = version.ficha
        start_entry = _resolve_start(ficha, start)
        first = activity(ficha, int(start_entry["activity"]))
        if not system:
            check_role(actor, first.get("roles", []), unit)
        instance_unit = unit or _person_unit(actor)
        instance = Instance(
            procedure_version=version,
            start_key=start_entry["key"],
            unit=instance_unit,
            started_by=actor,
            started_by_name=_actor_name(actor),
        )
        cached = get_spec(version.bpmn_xml)
        initial = {**data, "start": start_entry["key"]}
        try:
            workflow = runner.new_workflow(cached, initial)
        except EngineError as exc:
            # Keep a failed instance as evidence of the defective procedure.
            instance.status = InstanceStatus.FAILED
            instance.failure = exc.message
            instance.ended_at = timezone.now()
            instance.save()
            record_event(
                actor=actor,
                action="instance.fail",
                obj=instance,
                after={"status": instance.status, "failure": exc.message},
            )
            failure = (instance.pk, exc)
        else:
            instance.state = runner.save_workflow(workflow)
            if workflow.is_completed():
                instance.status = InstanceStatus.COMPLETED
                instance.ended_at = timezone.now()
            instance.save()
            opened = _sync_work_items(instance, workflow, ficha, open_items=[])
            record_event(
                actor=actor,
                action="instance.start",
                obj=instance,
                after={
                    "procedure": procedure.code,
                    "version": version.content_hash,
                    "start": instance.start_key,
                    "unit": instance_unit.code if instance_unit else None,
                    **_snapshot(instance, opened),
                },
            )
    if failure is not None:
        logger.error("Procedure instance %s failed at start: %s", failure[0], failure[1].message)
        raise failure[1]
    return instance


def _load_work_item(work_item_id: int) -> tuple[WorkItem | None, list[WorkItemRole]]:
    """The item with its instance and version, and its role rows with their units.

    One query through the role rows (an item has one per role, usually one); a second one only
    for an item without role rows.
    """
    rows = list(
        WorkItemRole.objects.filter(work_item_id=work_item_id).select_related(
            "unit", "work_item__instance__procedure_version"
        )
    )
    if rows:
        return rows[0].work_item, rows
    item = (
        WorkItem.objects.select_related("instance__procedure_version")
        .filter(pk=work_item_id)
        .first()
    )
    return item, []


def do_complete_task(work_item_id: int, data: Any, *, actor: Any) -> WorkItem:
    """Complete the open work item with the submitted form ``data`` and advance the instance.

    404 when the item is unknown or outside the actor's view, 403 when the actor does not hold
    one of its roles in scope, 409 when it is no longer open (or another step won the race),
    400 with field errors when ``data`` does not fit the activity's form. On success the data
    is merged into the workflow, the next tasks are written, the step is in the history and the
    activity's effects have been handed to their domains' handlers (``effects.py``; a handler's
    error rolls the whole step back).
    """
    failure: tuple[int, EngineError] | None = None
    with transaction.atomic():
        item, role_rows = _load_work_item(work_item_id)
        if item is None:
            raise WorkItemNotFound()
        # Whoever may take the item sees its instance; only a refusal needs the visibility
        # query, to tell "outside your view" (404) from "not your role" (403).
        if not can_take(actor, item, role_rows):
            if not instances_visible_to(actor).filter(pk=item.instance_id).exists():
                raise WorkItemNotFound()
            raise Forbidden("No tiene un rol responsable de esta tarea.")
        instance = item.instance
        if item.state != WorkItemState.OPEN:
            raise TaskAlreadyCompleted()
        if instance.status != InstanceStatus.RUNNING:
            raise InstanceNotRunning()
        ficha = instance.procedure_version.ficha
        act = activity(ficha, item.n)
        clean = check_form_data(form_schema_for(ficha, item.n), data)
        expected = instance.version
        open_items = list(
            WorkItem.objects.filter(instance=instance, state=WorkItemState.OPEN).only(
                "id", "instance_id", "task_id", "n"
            )
        )
        before = _snapshot(instance, open_items)
        cached = get_spec(instance.procedure_version.bpmn_xml)
        workflow = runner.load_workflow(instance.state, cached)
        try:
            runner.complete_user_task(workflow, item.task_id, clean)
        except TaskAlreadyCompleted:
            raise
        except EngineError as exc:
            failure = (instance.pk, exc)
        else:
            now = timezone.now()
            fields: dict[str, Any] = {"state": runner.save_workflow(workflow)}
            if workflow.is_completed():
                fields.update(status=InstanceStatus.COMPLETED, ended_at=now)
            _store_step(instance, expected, **fields)
            claimed = WorkItem.objects.filter(pk=item.pk, state=WorkItemState.OPEN).update(
                state=WorkItemState.COMPLETED, completed_by=actor, completed_at=now
            )
            if claimed != 1:  # cannot happen once the version check passed; never lose a step
                raise ConcurrentUpdate()
            WorkItemRole.objects.filter(work_item=item).update(is_open=False)
            item.state, item.completed_by, item.completed_at = WorkItemState.COMPLETED, actor, now
            record = TaskRecord.objects.create(
                instance=instance,
                work_item=item,
                n=item.n,
                name=item.name,
                completed_by=actor,
                completed_by_name=_actor_name(actor),
                completed_at=now,
                data=clean,
                effects=list(act.get("effects") or []),
            )
            still_open = [other for other in open_items if other.pk != item.pk]
            opened = _sync_work_items(instance, workflow, ficha, open_items=still_open)
            # The domains act on the activity's effects in this same transaction (effects.py).
            dispatch_effects(record, act, actor=actor)
            record_event(
                actor=actor,
                action="task.complete",
                obj=instance,
                before=before,
                after={"task": item.pk, "n": item.n, "data": clean, **_snapshot(instance, opened)},
            )
    if failure is not None:
        _record_failure(failure[0], failure[1], actor=actor)
        raise failure[1]
    return item


def do_cancel_instance(instance: Instance, reason: str, *, actor: Any) -> Instance:
    """Cancel a running instance (jefe-ogtie only, with a reason); its open tasks are cancelled."""
    check_role(actor, CANCEL_ROLE)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(errors={"reason": ["Indique el motivo de la anulación."]})
    with transaction.atomic():
        current = Instance.objects.filter(pk=instance.pk).first()
        if current is None:
            raise InstanceNotFound()
        if current.status != InstanceStatus.RUNNING:
            raise InstanceNotRunning()
        before = _snapshot(current)
        _store_step(
            current,
            current.version,
            status=InstanceStatus.CANCELLED,
            cancel_reason=reason,
            ended_at=timezone.now(),
        )
        WorkItem.objects.filter(instance=current, state=WorkItemState.OPEN).update(
            state=WorkItemState.CANCELLED
        )
        WorkItemRole.objects.filter(work_item__instance=current).update(is_open=False)
        record_event(
            actor=actor,
            action="instance.cancel",
            obj=current,
            before=before,
            after={**_snapshot(current), "reason": reason},
        )
    instance.refresh_from_db()
    return instance


__all__ = [
    "activity",
    "do_cancel_instance",
    "do_complete_task",
    "do_start_instance",
    "form_schema_for",
]
