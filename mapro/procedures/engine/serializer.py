"""Workflow state without the spec.

SpiffWorkflow's default serialization repeats the whole process spec in every instance (and
costs about twice as much per step). Our converter writes the workflow's tasks and data only;
on load the caller hands in the cached spec (``specs.get_spec``), which is re-inserted before
the task tree is restored, parents before children (jsonb reorders keys; see ``_tree_order``).
Everything else (task, data and event converters) is SpiffWorkflow's
``DEFAULT_CONFIG``, so upgrades keep working through its own version migrations.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

from .specs import CachedSpec

#: Keys SpiffWorkflow's converter writes that we never store.
SPEC_KEYS = ("spec", "subprocess_specs")


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
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_config = dict(DEFAULT_CONFIG)
_config[BpmnWorkflow] = SpeclessWorkflowConverter
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
    return _serializer.from_dict(dct, spec=cached.spec, subprocess_specs=cached.subprocess_specs)
