"""Running a workflow one step at a time, loudly.

Everything that touches SpiffWorkflow objects goes through here: creating a workflow with the
restricted script engine, loading one from stored state (and re-attaching that engine, since a
deserialized workflow gets a fresh unrestricted one), completing a user task and advancing the
engine, and checking after every step that the instance can still go on.

An instance "can go on" when the workflow is completed, or has a READY user task, or is waiting
on an event (a timer or message catch). A parallel join waiting with nothing ready upstream, or
a task tree deeper than :data:`MAX_TASK_DEPTH` (SpiffWorkflow's task iterator silently stops at
depth 1000, about 330 passes of a 3-step loop), raises instead of letting the instance hang.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from ..exceptions import (
    EmptyItemList,
    EngineError,
    InstanceStuck,
    LoopLimitExceeded,
    TaskAlreadyCompleted,
)
from .evaluator import RESTRICTED_ENGINE
from .multi_instance import HoldersResolver, install_holders, record_answer
from .serializer import dump_state, dump_state_json, load_state, load_state_json
from .specs import CachedSpec

#: Stop well before SpiffWorkflow's iterator limit (1000), where ready tasks become invisible.
MAX_TASK_DEPTH = 900

_ACTIVITY_RE = re.compile(r"^Activity_(\d+)$")


def activity_number(task: Task) -> int:
    """The ficha activity number of a user task (from its BPMN id ``Activity_<n>``)."""
    match = _ACTIVITY_RE.match(task.task_spec.bpmn_id or "")
    if not match:
        raise EngineError(
            f"La tarea {task.task_spec.bpmn_id!r} no sigue la convención Activity_<n>."
        )
    return int(match.group(1))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _engine_cause(exc: BaseException) -> EngineError | None:
    """Our own error (e.g. ExpressionNotAllowed) wrapped by SpiffWorkflow, if any."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, EngineError):
            return current
        seen.add(id(current))
        current = getattr(current, "exception", None) or current.__cause__ or current.__context__
    return None


def _install_engine(workflow: BpmnWorkflow) -> BpmnWorkflow:
    workflow.script_engine = RESTRICTED_ENGINE
    for sub in workflow.subprocesses.values():
        sub.script_engine = RESTRICTED_ENGINE
    return workflow


def new_workflow(
    cached: CachedSpec, data: dict[str, Any], holders: HoldersResolver | None = None
) -> BpmnWorkflow:
    """A new workflow for ``cached`` with initial ``data``, advanced to its first wait.

    ``holders`` finds the role holders of a multi-instance activity (``multi_instance``).
    """
    workflow = _install_engine(BpmnWorkflow(cached.spec, cached.subprocess_specs))
    if holders is not None:
        install_holders(workflow, holders)
    workflow.task_tree.data.update(data)
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update(data)
    advance(workflow)
    return workflow


def load_workflow(state: dict[str, Any] | str, cached: CachedSpec) -> BpmnWorkflow:
    """Rebuild a stored workflow (its state as a dict or as the stored JSON text), with the
    restricted engine re-attached."""
    try:
        if isinstance(state, str):
            workflow = load_state_json(state, cached)
        else:
            workflow = load_state(state, cached)
    except (KeyError, ValueError, SpiffWorkflowException) as exc:
        raise EngineError(
            f"No se pudo restaurar el estado del expediente: {_first_line(exc)}"
        ) from exc
    return _install_engine(workflow)


def save_workflow(workflow: BpmnWorkflow) -> dict[str, Any]:
    return dump_state(workflow)


def save_workflow_json(workflow: BpmnWorkflow) -> str:
    """The state to store, as JSON text (``save_workflow`` without decoding it again)."""
    return dump_state_json(workflow)


def ready_user_tasks(workflow: BpmnWorkflow) -> list[Task]:
    """The READY user tasks, in the workflow's task order."""
    return list(workflow.get_tasks(state=TaskState.READY, manual=True))


def advance(workflow: BpmnWorkflow) -> list[Task]:
    """Run engine steps (gateways, events) until only user tasks or waits remain, then check.

    Returns the READY user tasks the workflow now waits on (``ready_user_tasks``), found by the
    check: callers that need them (``steps.item_changes``) pass them on instead of walking the
    task tree again."""
    try:
        workflow.do_engine_steps()
    except EngineError:
        raise
    except SpiffWorkflowException as exc:
        cause = _engine_cause(exc)
        if isinstance(cause, EmptyItemList):  # bad input, not a defect: the caller says where
            raise cause from exc
        if cause is not None:
            raise type(cause)(f"{cause.message} ({_first_line(exc)})") from exc
        raise EngineError(f"El motor no pudo avanzar: {_first_line(exc)}") from exc
    return check_can_go_on(workflow)


def check_can_go_on(workflow: BpmnWorkflow) -> list[Task]:
    """Raise InstanceStuck unless the workflow is completed or has something to wait for.

    Returns the READY user tasks (none when the workflow is completed). A READY task is
    unfinished, so a workflow with one is not completed: the walk for completion (most of the
    tree) is only needed when there is none."""
    ready = ready_user_tasks(workflow)
    for task in ready:
        if task.depth > MAX_TASK_DEPTH:
            raise LoopLimitExceeded(
                f"El expediente superó {MAX_TASK_DEPTH} niveles de tareas (demasiadas "
                f"repeticiones del ciclo en la actividad {activity_number(task)})."
            )
    if ready or workflow.is_completed():
        return ready
    waiting = workflow.get_tasks(state=TaskState.WAITING)
    if any(isinstance(task.task_spec, CatchingEvent) for task in waiting):
        return ready
    names = ", ".join(sorted({t.task_spec.bpmn_id or t.task_spec.name for t in waiting})) or "-"
    raise InstanceStuck(
        "El expediente quedó sin tareas listas ni eventos en espera sin haber terminado "
        f"(en espera: {names})."
    )


def complete_user_task(workflow: BpmnWorkflow, task_id: str, data: dict[str, Any]) -> list[Task]:
    """Merge ``data`` into the READY user task ``task_id``, run it and advance the workflow.

    Returns the READY user tasks after the step (``advance``)."""
    try:
        task = workflow.get_task_from_id(UUID(task_id))
    except Exception as exc:  # TaskNotFoundException, ValueError for a bad uuid
        raise TaskAlreadyCompleted() from exc
    if task.state != TaskState.READY or not task.task_spec.manual:
        raise TaskAlreadyCompleted()
    task.data.update(data)
    record_answer(task, data)  # a multi-instance child: its answer joins the activity's list
    try:
        task.run()
    except EngineError:
        raise
    except SpiffWorkflowException as exc:
        cause = _engine_cause(exc)
        if isinstance(cause, EmptyItemList):  # the next activity's list is empty
            raise cause from exc
        raise EngineError(f"El motor no pudo completar la tarea: {_first_line(exc)}") from exc
    return advance(workflow)
