"""Workflow state without the spec.

SpiffWorkflow's default serialization repeats the whole process spec in every instance (and
costs about twice as much per step). Our converter writes the workflow's tasks and data only;
on load the caller hands in the cached spec (``specs.get_spec``), which is re-inserted before
the task tree is restored, parents before children (jsonb reorders keys; see ``_tree_order``).
The task converter is SpiffWorkflow's with task ids parsed once per load (``TaskIdConverter``);
everything else (data and event converters) is SpiffWorkflow's ``DEFAULT_CONFIG``, so upgrades
keep working through its own version migrations.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    TaskConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

from .specs import CachedSpec

#: Keys SpiffWorkflow's converter writes that we never store.
SPEC_KEYS = ("spec", "subprocess_specs")


class _Ids(dict[str, UUID]):
    """Task ids of one load, by their text: each parsed once, and every mention of a task
    (its key in ``workflow.tasks``, its parent's ``_children``, its children's ``_parent``)
    the same object, so the engine's lookups of the tree match by identity."""

    def __missing__(self, text: str) -> UUID:
        value = self[text] = UUID(text)
        return value


#: The ids of the workflow being loaded (``load_state_json``); None outside a load.
_loading: ContextVar[_Ids | None] = ContextVar("mapro_loading_ids", default=None)


class TaskIdConverter(TaskConverter):
    """SpiffWorkflow 3.2's ``TaskConverter``, with each task id parsed once per load.

    A stored task names itself, its parent and its children by id text, so SpiffWorkflow
    parses about four UUIDs per task and every later lookup of a parent or child compares two
    equal UUID objects. Here the ids come from the load's ``_Ids`` and the text of the ids
    read is reused on save. What is written and restored is SpiffWorkflow's own format, field
    for field (``test_state_serializer`` compares both converters on real workflows).
    """

    def to_dict(self, task: Task) -> dict[str, Any]:
        texts: dict[UUID, str] | None = getattr(task.workflow, "_mapro_id_texts", None)

        def text(value: UUID) -> str:
            found = texts.get(value) if texts is not None else None
            return found if found is not None else str(value)

        parent = task.parent
        if parent is None:
            data = task.data
            delta: dict[str, Any] = {}
        else:
            data = {}
            delta = {
                "updates": DeepMerge.get_updated_keys(parent.data, task.data),
                "deletions": DeepMerge.get_deleted_keys(parent.data, task.data),
            }
        return {
            "id": text(task.id),
            "parent": text(task._parent) if parent is not None else None,
            "children": [text(child) for child in task._children],
            "last_state_change": task.last_state_change,
            "state": task.state,
            "task_spec": task.task_spec.name,
            "triggered": task.triggered,
            "internal_data": self.registry.convert(task.internal_data),
            "data": data,
            "delta": delta,
        }

    def from_dict(self, dct: dict[str, Any], workflow: Any) -> Task:
        ids = _loading.get()
        if ids is None:  # not one of our loads (e.g. a sub-workflow restored by SpiffWorkflow)
            return super().from_dict(dct, workflow)  # type: ignore[no-any-return]
        task_spec = workflow.spec.task_specs.get(dct["task_spec"])
        task = self.target_class(workflow, task_spec, state=dct["state"], id=ids[dct["id"]])
        task._parent = ids[dct["parent"]] if dct["parent"] is not None else None
        task._children = [ids[child] for child in dct["children"]]
        task.last_state_change = dct["last_state_change"]
        task.triggered = dct["triggered"]
        task.internal_data = self.registry.restore(dct["internal_data"])
        if isinstance(task_spec, CatchingEvent) and task.has_state(TaskState.WAITING):
            task.workflow.top_workflow.event_manager.add_task(task)
        delta = dct.get("delta")
        parent = task.parent
        if delta and parent is not None:
            data = DeepMerge.merge({}, parent.data)
            data.update(self.registry.restore(delta.get("updates", {})))
            for key in delta.get("deletions", {}):
                if key in data:
                    del data[key]
        else:
            data = self.registry.restore(dct["data"])
        task.data = data
        return task  # type: ignore[no-any-return]


class SpeclessWorkflowConverter(BpmnWorkflowConverter):
    """Converts a top-level BpmnWorkflow without ``spec``/``subprocess_specs``."""

    def to_dict(self, workflow):  # type: ignore[no-untyped-def]
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):  # type: ignore[no-untyped-def]
        if spec is None:
            raise ValueError("Restoring a workflow needs its spec (from the spec cache).")
        dct.pop("spec", None)
        dct.pop("subprocess_specs", None)
        workflow = self.target_class(spec, subprocess_specs or {}, deserializing=True)
        ids = _loading.get()
        if ids is None:
            ids = _Ids()
        restore = self.registry.restore
        workflow.tasks = {ids[k]: restore(v, workflow=workflow) for k, v in dct["tasks"].items()}
        workflow.task_tree = workflow.tasks.get(ids[dct["root"]])
        # Saving writes back the text each id was read from (TaskIdConverter.to_dict).
        workflow._mapro_id_texts = {value: text for text, value in ids.items()}
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_config = dict(DEFAULT_CONFIG)
_config[BpmnWorkflow] = SpeclessWorkflowConverter
_config[Task] = TaskIdConverter
_serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_config))


def dump_state_json(workflow: BpmnWorkflow) -> str:
    """The workflow as JSON text, without the spec (what ``Instance.state`` stores)."""
    # serialize_json applies the registry's JSON encoder to task data (dates, decimals…).
    return str(_serializer.serialize_json(workflow))


def dump_state(workflow: BpmnWorkflow) -> dict[str, Any]:
    """The workflow as a JSON-able dict, without the spec."""
    loaded: dict[str, Any] = json.loads(dump_state_json(workflow))
    return loaded


def _tree_order(dct: dict[str, Any]) -> None:
    """Put ``dct["tasks"]`` in tree order (every parent before its children), in place.

    SpiffWorkflow stores each task's data as a delta from its parent and restores tasks in the
    mapping's order, so a child restored before its parent loses its data. PostgreSQL's jsonb
    does not keep key order; this puts it back.
    """
    tasks = dct.get("tasks")
    root = dct.get("root")
    if not isinstance(tasks, dict) or not isinstance(root, str) or root not in tasks:
        return
    ordered: dict[str, Any] = {}
    stack = [root]
    while stack:
        task_id = stack.pop()
        if task_id in ordered or task_id not in tasks:
            continue
        ordered[task_id] = tasks[task_id]
        stack.extend(reversed(tasks[task_id].get("children", [])))
    for task_id, task in tasks.items():  # anything unreachable keeps its place at the end
        ordered.setdefault(task_id, task)
    dct["tasks"] = ordered


def load_state(state: dict[str, Any], cached: CachedSpec) -> BpmnWorkflow:
    """Rebuild a workflow from ``dump_state`` output and its cached spec.

    The caller must install the restricted script engine on the result (``runner`` does).
    """
    # restore() consumes keys: never touch the caller's dict.
    return load_state_json(json.dumps(state), cached)


def load_state_json(state_json: str, cached: CachedSpec) -> BpmnWorkflow:
    """``load_state`` from the stored JSON text (decoded once, here)."""
    dct = json.loads(state_json)
    _tree_order(dct)
    for sub in dct.get("subprocesses", {}).values():
        _tree_order(sub)
    _serializer.migrate(dct)
    token = _loading.set(_Ids())
    try:
        return _serializer.from_dict(
            dct, spec=cached.spec, subprocess_specs=cached.subprocess_specs
        )
    finally:
        _loading.reset(token)
