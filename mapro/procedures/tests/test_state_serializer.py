"""The stored state's task converter (``serializer.TaskIdConverter``) writes and reads exactly
SpiffWorkflow's own format: at every step of workflows with parallel branches, loops and
multi-instance activities, its JSON is SpiffWorkflow's converter's, byte for byte, and a state
it loads dumps again as the one SpiffWorkflow's converter loads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import TaskConverter
from SpiffWorkflow.task import Task

from mapro.procedures.engine import runner, serializer
from mapro.procedures.engine.specs import parse_spec
from mapro.procedures.ficha.compiler import compile_bpmn, form_schema
from mapro.procedures.ficha.samples import sample_form_data

from . import ficha_samples as s

_spiff_config = dict(serializer._config)
_spiff_config[Task] = TaskConverter
#: Our configuration with SpiffWorkflow's own task converter: the reference.
SPIFF = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(_spiff_config))


def _load_with_spiff(text: str, cached: Any) -> Any:
    dct = json.loads(text)
    serializer._tree_order(dct)
    SPIFF.migrate(dct)
    return SPIFF.from_dict(dct, spec=cached.spec, subprocess_specs=cached.subprocess_specs)


def _answer(ficha: dict[str, Any], n: int, turn: int) -> dict[str, Any]:
    """A valid answer; a decision goes back (a branch to an activity not after it) on its
    first two turns, then on."""
    act = next(a for a in ficha["activities"] if a["n"] == n)
    choice = None
    if act.get("decision"):
        branches = act["decision"]["branches"]
        back = [b for b in branches if isinstance(b["next"], int) and b["next"] <= n]
        on = [b for b in branches if b not in back]
        pick = (back if turn < 2 and back else on or branches)[0]
        choice = {act["decision"]["field"]: pick["const"]}
    data = sample_form_data(form_schema(ficha, n), choice)
    if "unidades" in data:
        data["unidades"] = [{"unidad": code} for code in ("A", "B", "C")]
    return data


def _multi_by_unit() -> dict[str, Any]:
    """``multi`` with one task per listed unit (2) and a decision (3) that loops back to 1."""
    ficha = s.multi()
    third = ficha["activities"][2]
    del third["next"], third["each"]
    third["decision"] = {
        "field": "otra_vez",
        "question": "¿Otra ronda?",
        "branches": [
            {"const": "no", "title": "No", "next": "end"},
            {"const": "si", "title": "Sí", "next": 1},
        ],
    }
    return ficha


@pytest.mark.parametrize(
    ("ficha", "start"),
    [
        (s.everything(), "a"),
        (s.parallel(), "baja"),
        (_multi_by_unit(), "baja"),
        (s.loop_back(), None),
    ],
    ids=["everything", "parallel", "multi", "loop_back"],
)
def test_our_task_converter_writes_and_reads_spiffworkflows_format(
    ficha: dict[str, Any], start: str | None
) -> None:
    cached = parse_spec(compile_bpmn(ficha))
    start = start or ficha["starts"][0]["key"]
    workflow = runner.new_workflow(cached, {"start": start})
    turns: dict[int, int] = {}
    steps = 0
    while not workflow.is_completed() and steps < 40:
        text = runner.save_workflow_json(workflow)
        assert text == SPIFF.serialize_json(workflow)  # the same bytes as SpiffWorkflow's
        ours = runner.load_workflow(text, cached)
        theirs = _load_with_spiff(text, cached)
        assert SPIFF.to_dict(ours) == SPIFF.to_dict(theirs)
        # Every mention of a task is one id object: the tree's lookups match by identity.
        for task in ours.tasks.values():
            assert ours.tasks[task.id] is task
            for child in task._children:
                assert ours.tasks[child]._parent is task.id
        # Go on from the loaded copy, as a completion does.
        workflow = ours
        task = runner.ready_user_tasks(workflow)[0]
        n = runner.activity_number(task)
        turns[n] = turns.get(n, 0) + 1
        runner.complete_user_task(workflow, str(task.id), _answer(ficha, n, turns[n] - 1))
        steps += 1
    assert workflow.is_completed(), f"the walk did not end in {steps} steps"
    if any(act.get("decision") for act in ficha["activities"]):
        assert max(turns.values()) > 1  # the loops ran again
