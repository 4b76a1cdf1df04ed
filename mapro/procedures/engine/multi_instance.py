"""Parallel multi-instance activities (one task per item) as SpiffWorkflow runs them.

The compiler writes ``multiInstanceLoopCharacteristics`` (``ficha/multi.py``). SpiffWorkflow's
``ParallelMultiInstanceTask`` then adds one child user task per item of the list in
``loopDataInputRef`` (children share the activity's ``bpmn_id``, so ``Activity_<n>`` still
names the activity of each), sets the item in the child's ``inputDataItem``, and when a child
completes moves its ``outputDataItem`` into the ``loopDataOutputRef`` list; the activity
completes when every child has (or, with a completion condition, when the first has).

Our subclass adds three things before SpiffWorkflow creates the children:

- a holders list (``mi_holders_<n>``) is filled by the workflow's ``mapro_holders`` callable
  (installed by the actions, which read the organization): one item per role holder;
- an empty or missing list raises ``EmptyItemList`` instead of completing at once with no task
  (or failing deep in SpiffWorkflow);
- the output list of an earlier pass (a loop back to the activity) is dropped, since
  SpiffWorkflow refuses a non-empty output list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser, full_tag
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.specs.defaults import ParallelMultiInstanceTask, UserTask
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import MultiInstanceTask
from SpiffWorkflow.task import Task

from ..exceptions import EmptyItemList, EngineError
from ..ficha.multi import holders_activity

#: The attribute of a workflow holding ``holders(n) -> list`` (see ``install_holders``).
HOLDERS_ATTR = "mapro_holders"

HoldersResolver = Callable[[int], list[dict[str, Any]]]


class MaproParallelMultiInstance(ParallelMultiInstanceTask):  # type: ignore[misc]
    """``ParallelMultiInstanceTask`` that resolves holders lists and refuses empty lists."""

    def create_children(self, my_task: Task) -> None:
        # Runs once the task has inherited its data (in ``_update_hook``), before any child.
        if self.data_output is not None and self.data_output.exists(my_task):
            del my_task.data[self.data_output.bpmn_id]
        if self.data_input is not None:
            ref = self.data_input.bpmn_id
            n = holders_activity(ref)
            if n is not None:
                resolve = getattr(my_task.workflow, HOLDERS_ATTR, None)
                if resolve is None:
                    raise EngineError(
                        f"No hay quién resuelva los responsables de la actividad {n}."
                    )
                self.data_input.set(my_task, resolve(n))
            if not self.data_input.get(my_task):
                raise EmptyItemList(field=ref)
        super().create_children(my_task)


class MaproTaskParser(TaskParser):  # type: ignore[misc]
    PARALLEL_MI_CLASS = MaproParallelMultiInstance


class MaproBpmnParser(BpmnParser):  # type: ignore[misc]
    """The parser of every mapro BPMN: user tasks get our multi-instance class."""

    OVERRIDE_PARSER_CLASSES = {full_tag("userTask"): (MaproTaskParser, UserTask)}


def install_holders(workflow: Any, resolve: HoldersResolver) -> None:
    """Let the workflow's multi-instance activities over role holders find them."""
    setattr(workflow, HOLDERS_ATTR, resolve)


def multi_parent(task: Task) -> MultiInstanceTask | None:
    """The multi-instance spec ``task`` is a child of, if any."""
    parent = task.parent
    spec = parent.task_spec if parent is not None else None
    # The task after the activity is also a child of its spec's task: only instances count.
    if isinstance(spec, MultiInstanceTask) and spec.task_spec == task.task_spec.name:
        return spec
    return None


def task_item(task: Task) -> tuple[bool, Any]:
    """``(True, item)`` for a child of a multi-instance activity, ``(False, None)`` otherwise."""
    spec = multi_parent(task)
    if spec is None:
        return False, None
    if spec.input_item is not None:
        return True, task.data.get(spec.input_item.bpmn_id)
    return True, task.internal_data.get("item")


def record_answer(task: Task, data: dict[str, Any]) -> None:
    """Put a child's answer (its item and form data) in its ``outputDataItem``."""
    spec = multi_parent(task)
    if spec is None or spec.output_item is None:
        return
    _, item = task_item(task)
    spec.output_item.set(task, {"item": item, "data": dict(data)})
