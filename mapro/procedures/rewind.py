"""Going back: a holder returns a task to an earlier activity; the Jefe(a) moves an instance.

No case is ever left without a next step (issue 14, item 3). When the holder of an open task
finds that an earlier step recorded wrong data (a DNI "12A" accepted at activity 1 and refused
at 9), they **return** the task to the activity that captured it, with a reason: the workflow is
reset to that activity's last completed task (SpiffWorkflow ``reset_from_task_id``), which
opens again for its role with the data it recorded as the form's defaults, and everything
after it on that path is withdrawn. When an instance cannot go on at all (it failed, or its
open task cannot be completed), the Jefe(a) de la OGTIE **moves** it to any activity it has
already run, the same way; a failed instance runs again.

The targets are completed activities only: the engine can re-run a task it ran, with the data it
had, but cannot invent the data of a step that never happened. A return reaches only the
activities upstream of the task (its ancestors in the workflow's task tree: the path that led to
it); a move reaches any completed activity of the instance. Tasks of a multi-instance activity
are not targets (the activity's other items would be lost); the activity before it is.

Both are recorded in the history (a ``TaskRecord`` of kind ``returned``/``moved`` with the
reason and the target) and in the audit trail. Effects of the steps that are run again are
dispatched again when they complete: the domains' handlers decide what a repeated effect does
(most update the record the first run wrote).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from django.db import transaction
from django.utils import timezone
from SpiffWorkflow.util.task import TaskState

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.organization.permissions import check_role

from . import steps, storage
from .actions import CANCEL_ROLE
from .engine import runner
from .engine.multi_instance import install_holders
from .engine.specs import get_spec
from .exceptions import (
    InstanceNotFound,
    InstanceNotRunning,
    TaskAlreadyCompleted,
    WorkItemNotFound,
)
from .models import Instance, InstanceStatus, TaskRecord, TaskRecordKind, WorkItem, WorkItemState
from .selectors import can_take, instances_visible_to

#: Who may move an instance to another activity: whoever may cancel it.
MOVE_ROLE = CANCEL_ROLE


@dataclass(frozen=True)
class Target:
    """An activity an instance can go back to: its number, name and last completed task."""

    n: int
    name: str
    task_id: UUID


def _when(task: Any) -> tuple[float, int]:
    """When a task completed (SpiffWorkflow's clock; a deeper task is later on a tie)."""
    return (task.last_state_change, task.depth)


def _targets(tasks: list[Any], ficha: dict[str, Any]) -> list[Target]:
    """One target per activity, its latest completed task, in activity order."""
    latest: dict[int, Any] = {}
    for task in tasks:
        n = steps.returnable_activity(task)
        if n is None:
            continue
        if n not in latest or _when(task) > _when(latest[n]):
            latest[n] = task
    return [
        Target(n, str(steps.activity(ficha, n).get("name", "")), latest[n].id)
        for n in sorted(latest)
    ]


@dataclass(frozen=True)
class ReturnOption:
    """An activity an open task can be returned to, as the API and the task page offer it."""

    n: int
    name: str


def return_options(item: WorkItem) -> list[ReturnOption]:
    """The activities the open ``item`` can be returned to, without parsing the workflow.

    They are the numbers stored on the item when it opened (``WorkItem.return_to``, computed
    by ``steps.return_numbers`` from the same task tree ``return_targets`` walks), named from
    the version's ficha; an item opened before they were stored falls back to
    ``return_targets``, which loads the workflow.
    """
    if item.return_to is None:
        return [ReturnOption(t.n, t.name) for t in return_targets(item)]
    ficha = item.instance.procedure_version.ficha
    return [
        ReturnOption(int(n), str(steps.activity(ficha, int(n)).get("name", "")))
        for n in item.return_to
    ]


def return_targets(item: WorkItem, workflow: Any = None) -> list[Target]:
    """The activities the open ``item`` can be returned to: completed user tasks on the path
    that led to it (its ancestors in the task tree), with the task each would reset to.

    Loads the workflow when not given: pages and the API offer ``return_options`` instead;
    the return itself (``do_return_task``) needs the tasks."""
    instance = item.instance
    version = instance.procedure_version
    if workflow is None:
        workflow = runner.load_workflow(instance.state, get_spec(version.bpmn_xml))
    try:
        task = workflow.get_task_from_id(UUID(item.task_id))
    except Exception:  # the item's task is gone (the instance moved on)
        return []
    ancestors = []
    parent = task.parent
    while parent is not None:
        ancestors.append(parent)
        parent = parent.parent
    return _targets(ancestors, version.ficha)


def move_targets(instance: Instance, workflow: Any = None) -> list[Target]:
    """The activities a Jefe(a) can move ``instance`` to: every completed user task."""
    version = instance.procedure_version
    if workflow is None:
        workflow = runner.load_workflow(instance.state, get_spec(version.bpmn_xml))
    return _targets(list(workflow.get_tasks(state=TaskState.COMPLETED)), version.ficha)


def _reason(reason: Any) -> str:
    text = (reason or "").strip() if isinstance(reason, str) else ""
    if not text:
        raise InvalidInput(errors={"reason": ["Indique el motivo."]})
    return text


def _target(targets: list[Target], to: Any, field: str = "to_activity") -> Target:
    try:
        n = int(to)
    except (TypeError, ValueError):
        n = None
    for target in targets:
        if target.n == n:
            return target
    allowed = ", ".join(f"{t.n}" for t in targets) or "ninguna"
    raise InvalidInput(
        errors={field: [f"Elija una actividad ya realizada a la que volver ({allowed})."]}
    )


def _reset(
    instance: Instance,
    workflow: Any,
    target: Target,
    *,
    actor: Any,
    kind: str,
    reason: str,
    item: WorkItem | None,
) -> None:
    """Reset ``workflow`` to ``target``, store it and make the open items match."""
    ficha = instance.procedure_version.ficha
    expected = instance.version
    open_tasks = (
        {str(t.id): runner.activity_number(t) for t in runner.ready_user_tasks(workflow)}
        if instance.status == InstanceStatus.RUNNING
        else {}
    )
    before = steps.snapshot(instance, list(open_tasks.values()))
    task = workflow.get_task_from_id(target.task_id)
    workflow.reset_from_task_id(target.task_id, data=copy.deepcopy(task.data))
    ready_now = runner.advance(workflow)
    now = timezone.now()
    fields: dict[str, Any] = {
        "state": runner.save_workflow_json(workflow),
        "status": InstanceStatus.RUNNING,
        "failure": "",
        "ended_at": None,
    }
    steps.store_step(instance, expected, **fields)
    # The target keeps its engine task id when it runs again: its past item gives the id up
    # (task ids of past items are history only; open items are matched to ready tasks by it).
    WorkItem.objects.filter(instance=instance, task_id=str(target.task_id)).exclude(
        state=WorkItemState.OPEN
    ).update(task_id=str(uuid4()))
    changes = steps.item_changes(instance, workflow, ficha, open_tasks, ready_now)
    storage.open_items(changes.new, instance.unit_id)
    steps.cancel_stale(instance, changes.stale)
    TaskRecord.objects.create(
        instance=instance,
        work_item=item,
        n=item.n if item is not None else target.n,
        name=item.name if item is not None else target.name,
        kind=kind,
        reason=reason,
        target_n=target.n,
        completed_by=actor,
        completed_by_name=actor_name(actor),
        completed_at=now,
        data={},
    )
    record_event(
        actor=actor,
        action="instance.return" if kind == TaskRecordKind.RETURNED else "instance.move",
        obj=instance,
        before=before,
        after={
            **steps.snapshot(instance, changes.open_after),
            "to": target.n,
            "reason": reason,
            **({"task": item.pk, "n": item.n} if item is not None else {}),
        },
    )


def do_return_task(work_item_id: int, to: Any, reason: Any, *, actor: Any) -> Instance:
    """Return the open work item to an earlier activity ``to`` of its path, with a reason.

    404 when the item is unknown or outside the actor's view, 403 when the actor may not take
    it, 409 when it is no longer open, 400 when ``to`` is not one of ``return_targets`` or the
    reason is blank (nothing changes).
    """
    text = _reason(reason)
    with transaction.atomic():
        item = (
            WorkItem.objects.select_related("instance__procedure_version")
            .filter(pk=work_item_id)
            .first()
        )
        if item is None or not instances_visible_to(actor).filter(pk=item.instance_id).exists():
            raise WorkItemNotFound()
        if not can_take(actor, item):
            raise Forbidden("No tiene un rol responsable de esta tarea.")
        if item.state != WorkItemState.OPEN:
            raise TaskAlreadyCompleted()
        instance = item.instance
        if instance.status != InstanceStatus.RUNNING:
            raise InstanceNotRunning()
        version = instance.procedure_version
        workflow = runner.load_workflow(instance.state, get_spec(version.bpmn_xml))
        install_holders(workflow, steps.holders_resolver(version.ficha, instance, lazy_unit=True))
        target = _target(return_targets(item, workflow), to)
        _reset(
            instance, workflow, target, actor=actor, kind=TaskRecordKind.RETURNED, reason=text,
            item=item,
        )  # fmt: skip
    return instance


def do_move_instance(instance_id: int, to: Any, reason: Any, *, actor: Any) -> Instance:
    """Move a running or failed instance to an activity it has run (Jefe(a) de la OGTIE).

    403 for any other role; 404 when unknown; 409 when it was completed or cancelled; 400
    when ``to`` is not a completed activity or the reason is blank (nothing changes).
    """
    check_role(actor, MOVE_ROLE)
    text = _reason(reason)
    with transaction.atomic():
        instance = (
            Instance.objects.select_related("procedure_version").filter(pk=instance_id).first()
        )
        if instance is None:
            raise InstanceNotFound()
        if instance.status not in (InstanceStatus.RUNNING, InstanceStatus.FAILED):
            raise InstanceNotRunning()
        version = instance.procedure_version
        workflow = runner.load_workflow(instance.state, get_spec(version.bpmn_xml))
        install_holders(workflow, steps.holders_resolver(version.ficha, instance, lazy_unit=True))
        target = _target(move_targets(instance, workflow), to)
        _reset(
            instance, workflow, target, actor=actor, kind=TaskRecordKind.MOVED, reason=text,
            item=None,
        )  # fmt: skip
    return instance
