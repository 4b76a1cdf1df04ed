"""State changes of running procedures: start an instance, complete a task, cancel.

Each action is one transaction that checks permission, validates, advances the workflow, and
audits. Storing a step always ends in ``UPDATE instance SET state=…, version=version+1 WHERE
id=? AND version=?``: zero rows means another request stored a step first, and the whole
transaction rolls back with ``ConcurrentUpdate`` (409). This holds on SQLite and PostgreSQL
alike, without row locks.

When the engine cannot go on (``EngineError``: no ready task, loop limit, a bad condition), the
action stores the instance as failed — in its own transaction, with an audit event, so the
failure is recorded and visible — and then re-raises the error, which is also logged: no
instance ever hangs silently. A start is the exception: nothing of it has been stored yet, so
an ``EngineError`` there rolls the whole start back and is raised as ``StartRefused`` (409) —
no instance without tasks, no audit of a start that did not happen. What storing a step does
to the rows (open items, the versioned UPDATE, the audit snapshot) is ``steps.py``, shared with
``rewind.py``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event
from mapro.core.caches import BoundedCache
from mapro.core.db import pipeline
from mapro.core.demo import is_demo_data
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.organization.models import Unit
from mapro.organization.permissions import check_role

from . import multi, routing, steps, storage
from .choices import choice_errors, records_for_choices
from .effects import dispatch_effects, history_effects
from .engine import runner
from .engine.multi_instance import install_holders
from .engine.specs import get_spec
from .exceptions import (
    ConcurrentUpdate,
    EmptyItemList,
    EngineError,
    InstanceNotFound,
    InstanceNotRunning,
    ProcedureNotFound,
    ProcedureNotPublished,
    StartRefused,
    TaskAlreadyCompleted,
    UnknownStart,
    WorkItemNotFound,
)
from .ficha.compiler import form_schema
from .forms import check_form_data
from .holds import check_holds
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
from .steps import activity

logger = logging.getLogger(__name__)

CANCEL_ROLE = "jefe-ogtie"


# --- ficha helpers ---------------------------------------------------------------------------


def form_schema_for(ficha: dict[str, Any], n: int) -> dict[str, Any]:
    """The effective form of activity ``n`` (the definitions' compiler adds the decision)."""
    return form_schema(ficha, n)


#: Forms of published activities, by (version id, content hash, activity): see ``step_form``.
_step_forms: BoundedCache[tuple[int, str, int], dict[str, Any]] = BoundedCache(1024)


def step_form(version: ProcedureVersion, n: int) -> tuple[tuple[int, str, int], dict[str, Any]]:
    """The form of activity ``n`` of a published ``version`` and its key for the validator
    cache (``forms.check_form_data``), built once per process: a published version never
    changes (a changed ficha is a new version with a new hash; the id and the hash together,
    as ``storage.version_content`` keys them). The schema is shared: read it, never change it.
    """
    key = (version.pk, version.content_hash, n)
    schema = _step_forms.get(key)
    if schema is None:
        schema = _step_forms.put(key, form_schema(version.ficha, n))
    return key, schema


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


def _record_failure(instance_id: int, error: EngineError, *, actor: Any) -> None:
    """Store the instance as failed, in its own transaction, and log the failure loudly."""
    logger.error("Procedure instance %s failed: %s", instance_id, error.message)
    with transaction.atomic():
        instance = Instance.objects.filter(pk=instance_id).first()
        if instance is None or instance.status != InstanceStatus.RUNNING:
            return
        before = steps.snapshot(instance)
        steps.store_step(
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
            after={**steps.snapshot(instance), "failure": error.message},
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

    ``start`` picks one of the ficha's ways to start (required when it has several). The
    instance concerns ``unit``, its requesting unit (default: the starter's unit); naming
    another unit needs someone allowed to act for it (``routing.starter_may_act_for``: OGTIE
    staff for any unit, anyone else for their own) — 403 otherwise, and nothing is created.
    Only holders of a role of the start's first activity may start, in scope of the
    requesting unit when that activity is the requesting unit's ("U.O."). ``data`` becomes the
    initial workflow data; the first tasks are written as work items.

    When the engine cannot open the first tasks (a bad condition, no unit for the first
    activity's ``unit_from``…) nothing is stored and ``StartRefused`` (409, an ``EngineError``)
    says why; the refusal is logged.

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
    try:
        return _start_instance(procedure_code, start, data, unit, actor=actor, system=system)
    except StartRefused:
        raise
    except EngineError as exc:
        # Nothing of the start is stored (the transaction rolled back): refuse it, loudly.
        logger.error(
            "Procedure %s: start %r refused, nothing stored: %s",
            procedure_code,
            start,
            exc.message,
        )
        raise StartRefused.because(procedure_code, exc) from exc


def _start_instance(
    procedure_code: str,
    start: str | None,
    data: dict[str, Any],
    unit: Unit | None,
    *,
    actor: Any,
    system: bool,
) -> Instance:
    """``do_start_instance``'s transaction: an ``EngineError`` anywhere rolls all of it back."""
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
        instance_unit = unit or routing.own_unit(actor)
        if not system:
            if unit is not None and not routing.starter_may_act_for(actor, unit):
                raise Forbidden(
                    f"No puede iniciar expedientes para la unidad {unit.code}: solo para su "
                    "propia unidad."
                )
            scope = instance_unit if routing.is_routed(first) else None
            check_role(actor, first.get("roles", []), scope)
        instance = Instance(
            procedure_version=version,
            start_key=start_entry["key"],
            unit=instance_unit,
            started_by=actor,
            started_by_name=actor_name(actor),
            is_demo=is_demo_data(),  # started by ``mapro seed --demo`` (mapro.core.demo)
        )
        cached = get_spec(version.bpmn_xml)
        initial = {**data, "start": start_entry["key"]}
        try:
            workflow = runner.new_workflow(
                cached, initial, steps.holders_resolver(ficha, instance_unit)
            )
        except EmptyItemList as exc:
            raise multi.empty_list_error(ficha, exc.field) from exc
        instance.state = runner.save_workflow(workflow)
        if workflow.is_completed():
            instance.status = InstanceStatus.COMPLETED
            instance.ended_at = timezone.now()
        instance.save()
        changes = steps.item_changes(instance, workflow, ficha, open_tasks={})
        storage.open_items(changes.new, instance.unit_id)
        record_event(
            actor=actor,
            action="instance.start",
            obj=instance,
            after={
                "procedure": procedure.code,
                "version": version.content_hash,
                "start": instance.start_key,
                "unit": instance_unit.code if instance_unit else None,
                **({"demo": True} if instance.is_demo else {}),
                **steps.snapshot(instance, changes.open_after),
            },
        )
    return instance


def do_complete_task(
    work_item_id: int, data: Any, *, actor: Any, on_behalf: bool = False
) -> WorkItem:
    """Complete the open work item with the submitted form ``data`` and advance the instance.

    404 when the item is unknown or outside the actor's view, 403 when the actor does not hold
    one of its roles in scope, 409 when it is no longer open (or another step won the race),
    400 with field errors when ``data`` does not fit the activity's form. On success the data
    is merged into the workflow, the next tasks are written, the step is in the history and the
    activity's effects have been handed to their domains' handlers (``effects.py``; a handler's
    error rolls the whole step back).

    Runs on every step, so its statements are the plain SQL of ``storage.py``, and on
    PostgreSQL they take three round trips (docs/benchmarks.md, section 1): ``BEGIN`` with the
    item, its instance, version and role rows and the actor's grants (one statement); the
    whole step as one statement, sent together with the audit event; ``COMMIT``.

    ``on_behalf=True``: the caller has established otherwise that the step is ``actor``'s own
    act although they hold none of its roles — registering a ticket *is* the requester's
    "Ingresar ticket de atención", whoever the requester is (a director asking for support;
    ``helpdesk.procedure_effects``). No role check; the step is recorded as ``actor``'s.
    """
    failure: tuple[int, EngineError] | None = None
    with transaction.atomic():
        loaded = storage.load_work_item(work_item_id, actor=actor)
        if loaded is None:
            raise WorkItemNotFound()
        item, instance = loaded.item, loaded.instance
        # Whoever may take the item sees its instance; only a refusal needs the visibility
        # query, to tell "outside your view" (404) from "not your role" (403).
        if not on_behalf and not can_take(actor, item, loaded.role_rows):
            if not instances_visible_to(actor).filter(pk=item.instance_id).exists():
                raise WorkItemNotFound()
            raise Forbidden("No tiene un rol responsable de esta tarea.")
        if item.state != WorkItemState.OPEN:
            raise TaskAlreadyCompleted()
        if instance.status != InstanceStatus.RUNNING:
            raise InstanceNotRunning()
        version = instance.procedure_version
        ficha = version.ficha
        check_holds(instance)  # e.g. an account step still waiting for the directory (holds.py)
        act = activity(ficha, item.n)
        form_key, schema = step_form(version, item.n)
        clean = check_form_data(schema, data, key=form_key)
        unit_errors = multi.unit_fields_errors(schema, clean)
        unit_errors.update(choice_errors(schema, clean, records_for_choices(instance.pk, schema)))
        if unit_errors:
            raise InvalidInput(errors=unit_errors)
        expected = instance.version
        workflow = runner.load_workflow(loaded.state_json, get_spec(version.bpmn_xml))
        install_holders(workflow, steps.holders_resolver(ficha, instance, lazy_unit=True))
        # The open items before the step are the READY user tasks (see steps.item_changes).
        open_tasks = {
            str(t.id): runner.activity_number(t) for t in runner.ready_user_tasks(workflow)
        }
        before = steps.snapshot(instance, list(open_tasks.values()))
        try:
            ready_now = runner.complete_user_task(workflow, item.task_id, clean)
        except TaskAlreadyCompleted:
            raise
        except EmptyItemList as exc:  # the next activity would open no task: nothing stored
            raise multi.empty_list_error(ficha, exc.field) from exc
        except EngineError as exc:
            failure = (instance.pk, exc)
        else:
            now = timezone.now()
            fields: dict[str, Any] = {"state": runner.save_workflow_json(workflow)}
            # A READY task is unfinished: the walk for completion only when there is none.
            if not ready_now and workflow.is_completed():
                fields.update(status=InstanceStatus.COMPLETED, ended_at=now)
            record = TaskRecord(
                instance=instance,
                work_item=item,
                n=item.n,
                name=item.name,
                completed_by=actor,
                completed_by_name=actor_name(actor),
                completed_at=now,
                data=clean,
                effects=history_effects(act),
                item=item.item,
            )
            del open_tasks[item.task_id]
            # Set on the instance what the step stores, as the event shows it.
            steps.apply_step(instance, expected, fields)
            try:
                changes = steps.item_changes(instance, workflow, ficha, open_tasks, ready_now)
            except EngineError as exc:  # a unit field naming no unit (routing.py)
                failure = (instance.pk, exc)
            else:
                with pipeline():  # PostgreSQL: the step and the audit event in one round trip
                    written = storage.write_step(
                        instance, expected, fields, item=item, record=record, new_items=changes.new
                    )
                    record_event(
                        actor=actor,
                        action="task.complete",
                        obj=instance,
                        before=before,
                        after={
                            "task": item.pk,
                            "n": item.n,
                            "data": clean,
                            **steps.snapshot(instance, changes.open_after),
                        },
                    )
                if not written.won():  # another step was stored first: nothing of it stays
                    raise ConcurrentUpdate()
                item.state, item.completed_by = WorkItemState.COMPLETED, actor
                item.completed_at = now
                steps.cancel_stale(instance, changes.stale)
                # The domains act on the activity's effects in this same transaction (effects.py).
                dispatch_effects(record, act, actor=actor, fresh=True)
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
        before = steps.snapshot(current)
        steps.store_step(
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
            after={**steps.snapshot(current), "reason": reason},
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
