"""Storing a step: what every action that moves an instance does to its rows.

Shared by ``actions.py`` (start, complete, fail) and ``rewind.py`` (return, move), so that
"which items are open after a step", "store the step or lose the race" and "what the audit
trail keeps" have one definition. Only the actions call these, inside their transaction.

- ``item_changes``: how the open work items must change to match the workflow's READY user
  tasks (kept, withdrawn, new ones with their unit, ``routing.units_for_work_items``);
- ``cancel_stale``: withdraw the open items of a branch the step left;
- ``store_step``: ``UPDATE … WHERE id = ? AND version = ?`` or ``ConcurrentUpdate`` (409);
  ``apply_step`` sets on the instance what storing the step writes;
- ``holders_resolver``: the engine's view of "who holds activity n's roles" (multi-instance);
- ``snapshot``: what the audit trail keeps of the instance (who acted:
  ``audit.actions.actor_name``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from SpiffWorkflow.util.task import TaskState

from . import multi, routing, storage
from .deadlines import due_at_for
from .engine import runner
from .engine.multi_instance import HoldersResolver, task_item
from .exceptions import ConcurrentUpdate, EngineError
from .ficha.compiler import find_activity
from .models import Instance, InstanceStatus, WorkItem, WorkItemRole, WorkItemState


def activity(ficha: dict[str, Any], n: int) -> dict[str, Any]:
    """A copy of activity ``n`` of ``ficha``; ``EngineError`` when there is none."""
    try:
        return dict(find_activity(ficha, n))
    except KeyError as exc:
        raise EngineError(exc.args[0]) from None


# --- work items ------------------------------------------------------------------------------


def returnable_activity(task: Any) -> int | None:
    """The activity number of a completed user task that a task may go back to, else None.

    Tasks of a multi-instance activity are not (the activity's other items would be lost).
    """
    if task.state != TaskState.COMPLETED or not task.task_spec.manual:
        return None
    if task_item(task)[0]:  # one item of a multi-instance activity
        return None
    try:
        return runner.activity_number(task)
    except EngineError:
        return None


def return_numbers(task: Any) -> list[int]:
    """The activities a task may be returned to: the completed user tasks among its ancestors
    in the task tree (the path that led to it), one number each, in activity order.

    Stored on the item when it opens (``WorkItem.return_to``): while the task is open its
    ancestors do not change (a reset that reaches one withdraws the task itself).
    """
    numbers: set[int] = set()
    parent = task.parent
    while parent is not None:
        n = returnable_activity(parent)
        if n is not None:
            numbers.add(n)
        parent = parent.parent
    return sorted(numbers)


@dataclass
class ItemChanges:
    """How the open work items must change after a step (see ``item_changes``)."""

    stale: list[str]  # task ids of open items whose task is no longer ready
    kept: list[int]  # activity numbers of open items that stay open
    new: list[storage.NewItem]  # items to open, unsaved

    @property
    def open_after(self) -> list[int]:
        """The activity numbers of the open items after the step."""
        return self.kept + [new.item.n for new in self.new]


def item_changes(
    instance: Instance,
    workflow: Any,
    ficha: dict[str, Any],
    open_tasks: dict[str, int],
    ready_now: Sequence[Any] | None = None,
) -> ItemChanges:
    """What makes the open work-item rows match the workflow's READY user tasks.

    ``open_tasks`` are the instance's open items before the step, as ``{task id: activity}``:
    the READY user tasks of the workflow as it was loaded, since every step leaves exactly one
    open item per READY user task (this is how; the unique ``(instance, task_id)`` constraint
    refuses a second one), less the task just completed. Items whose task is still ready are
    kept (their ids stay stable across steps); items whose task is no longer ready are
    cancelled (``cancel_stale``); new ready tasks get new items with one ``WorkItemRole`` row
    per role (``storage.NewItem``), carrying the item's creation time (the inbox's order), in
    the unit ``routing.units_for_work_items`` decides for all of them at once.

    ``ready_now``: the READY user tasks as ``runner.advance`` returned them for this very
    workflow (no walk of the task tree again); found here when not given.
    """
    if instance.status != InstanceStatus.RUNNING:
        ready = {}
    else:
        tasks = runner.ready_user_tasks(workflow) if ready_now is None else ready_now
        ready = {str(t.id): t for t in tasks}
    now = timezone.now()
    opening: list[tuple[str, int, dict[str, Any], dict[str, Any] | None, list[int]]] = []
    requests: list[routing.ItemRequest] = []
    for task_id, task in ready.items():
        if task_id in open_tasks:
            continue
        n = runner.activity_number(task)
        act = activity(ficha, n)
        is_child, value = task_item(task)
        # One task of a multi-instance activity (multi.py): what the item keeps of its value,
        # and the unit a per-unit task goes to.
        described = multi.describe_item(act, value) if is_child else None
        item_unit = str(described["unit"]) if described and described.get("unit") else None
        opening.append((task_id, n, act, described, return_numbers(task)))
        requests.append(routing.ItemRequest(act, task.data, item_unit))
    wheres = routing.units_for_work_items(requests, instance_unit_id=instance.unit_id)
    new: list[storage.NewItem] = []
    for (task_id, n, act, described, back), where in zip(opening, wheres, strict=True):
        item = WorkItem(
            instance_id=instance.pk,
            task_id=task_id,
            n=n,
            name=str(act.get("name", ""))[:400],
            roles=list(act.get("roles", [])),
            unit_id=where.unit_id,
            due_at=due_at_for(act, now),  # the ficha's time limit, in business time
            return_to=back,
        )
        entry = storage.NewItem(item, where.unit_code, own_scope=where.routed)
        if described is not None:
            item.item = described
            entry.own_scope = True
            if described.get("user_id") is not None:
                entry.assignee_id = int(described["user_id"])
        new.append(entry)
    return ItemChanges(
        stale=[task_id for task_id in open_tasks if task_id not in ready],
        kept=[n for task_id, n in open_tasks.items() if task_id in ready],
        new=new,
    )


def holders_resolver(
    ficha: dict[str, Any], unit_of: Any, *, lazy_unit: bool = False
) -> HoldersResolver:
    """``holders(n)`` for the engine: the role holders of activity ``n`` in its scope.

    ``unit_of`` is the instance's unit, or (``lazy_unit``) the instance, whose unit is read
    only if a multi-instance activity over holders starts: ordinary steps pay nothing.
    """

    def holders(n: int) -> list[dict[str, Any]]:
        unit = unit_of.unit if lazy_unit else unit_of
        return multi.holders_for(activity(ficha, n), unit)

    return holders


def cancel_stale(instance: Instance, task_ids: list[str]) -> None:
    """Cancel the open items of a branch the step withdrew (an event gateway, a cancelled
    parallel path)."""
    if task_ids:
        items = WorkItem.objects.filter(instance=instance, task_id__in=task_ids)
        WorkItemRole.objects.filter(work_item__in=items).update(is_open=False)
        items.filter(state=WorkItemState.OPEN).update(state=WorkItemState.CANCELLED)


# --- the instance row ------------------------------------------------------------------------


def store_step(instance: Instance, expected_version: int, **fields: Any) -> None:
    """``UPDATE … WHERE id = ? AND version = ?``; 0 rows → ConcurrentUpdate (rolls back)."""
    if storage.store_step(instance.pk, expected_version, **fields) != 1:
        raise ConcurrentUpdate()
    apply_step(instance, expected_version, fields)


def apply_step(instance: Instance, expected_version: int, fields: dict[str, Any]) -> None:
    """Set on ``instance`` what storing the step writes to its row.

    ``state`` may be the engine's JSON text (``runner.save_workflow_json``): it is stored as
    is, and ``instance.state`` loads it again from the row only if read.
    """
    instance.version = expected_version + 1
    for name, value in fields.items():
        if name == "state" and isinstance(value, str):
            instance.__dict__.pop("state", None)  # deferred: read from the row on access
        else:
            setattr(instance, name, value)


def snapshot(instance: Instance, open_tasks: list[int] | None = None) -> dict[str, Any]:
    """What the audit trail keeps of an instance: status, row version and open activities.

    ``open_tasks`` are the activity numbers of its open items when the caller has them
    already (read here otherwise).
    """
    if open_tasks is None:
        open_tasks = list(
            instance.work_items.filter(state=WorkItemState.OPEN).values_list("n", flat=True)
        )
    return {
        "status": instance.status,
        "version": instance.version,
        "open_tasks": sorted(open_tasks),
    }
