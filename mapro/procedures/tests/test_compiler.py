"""The compiler: valid BPMN 2.0 (XSD), parseable and runnable by SpiffWorkflow, complete DI.

Every ficha in ``procedures/`` is covered automatically (parametrized over the directory), plus
the synthetic fichas of ``ficha_samples`` (decision, parallel, loop back, several starts).
"""

from pathlib import Path

import pytest
import SpiffWorkflow
from django.conf import settings
from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from mapro.procedures.engine.multi_instance import MaproBpmnParser, MaproParallelMultiInstance
from mapro.procedures.ficha.compiler import (
    NSMAP,
    ROLE_NAMES,
    compile_bpmn,
    form_schema,
    lane_id,
    process_id,
)
from mapro.procedures.ficha.loader import ficha_paths, load_ficha
from mapro.procedures.ficha.multi import input_ref
from mapro.procedures.ficha.schema import check_form

from . import ficha_samples as s

XSD = Path(SpiffWorkflow.__file__).parent / "bpmn" / "parser" / "schema" / "BPMN20.xsd"
FLOW_NODES = ("userTask", "exclusiveGateway", "parallelGateway", "startEvent", "endEvent")


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD)))


def _fichas():
    params = [pytest.param(builder, id=name) for name, builder in sorted(s.SYNTHETIC.items())]
    params += [
        pytest.param(lambda p=p: load_ficha(p), id=p.stem)
        for p in ficha_paths(settings.MAPRO_PROCEDURES_DIR)
    ]
    return params


def _xpath(root, path):
    return root.xpath(path, namespaces=NSMAP)


# -- every ficha ----------------------------------------------------------------------------------


@pytest.mark.parametrize("build", _fichas())
def test_output_is_valid_bpmn(build, schema):
    ficha = build()
    xml = compile_bpmn(ficha)
    root = etree.fromstring(xml.encode())
    schema.assertValid(root)

    parser = MaproBpmnParser()
    parser.add_bpmn_str(xml.encode())
    spec = parser.get_spec(process_id(ficha))
    for act in ficha["activities"]:
        task = spec.task_specs[f"Activity_{act['n']}"]
        if "each" in act:  # the loop wraps the user task, renamed "<id> [child]"
            assert isinstance(task, MaproParallelMultiInstance)
            assert task.data_input.bpmn_id == input_ref(act["n"], act["each"])
            task = spec.task_specs[task.task_spec]
        assert task.bpmn_name == f"{act['n']}. {act['name']}"


@pytest.mark.parametrize("build", _fichas())
def test_diagram_interchange_is_complete(build):
    ficha = build()
    root = etree.fromstring(compile_bpmn(ficha).encode())
    nodes = [e.get("id") for tag in FLOW_NODES for e in _xpath(root, f"//bpmn:process/bpmn:{tag}")]
    flows = [e.get("id") for e in _xpath(root, "//bpmn:process/bpmn:sequenceFlow")]
    lanes = [e.get("id") for e in _xpath(root, "//bpmn:lane")]
    shapes = {e.get("bpmnElement"): e for e in _xpath(root, "//bpmndi:BPMNShape")}
    edges = {e.get("bpmnElement"): e for e in _xpath(root, "//bpmndi:BPMNEdge")}

    participant = _xpath(root, "//bpmn:participant")[0].get("id")
    assert set(shapes) == {participant, *lanes, *nodes}
    assert set(edges) == set(flows)
    for flow in flows:
        assert len(_xpath(edges[flow], "di:waypoint")) >= 2

    # Lanes: one per role used, each node in exactly one lane, in the lane of its first role.
    refs = [r.text for r in _xpath(root, "//bpmn:lane/bpmn:flowNodeRef")]
    assert sorted(refs) == sorted(nodes)
    roles = {r for a in ficha["activities"] for r in a["roles"][:1]}
    assert set(lanes) == {lane_id(r) for r in roles}
    for act in ficha["activities"]:
        lane = _xpath(root, f"//bpmn:lane[bpmn:flowNodeRef='Activity_{act['n']}']")[0]
        assert lane.get("id") == lane_id(act["roles"][0])
        assert lane.get("name") == ROLE_NAMES[act["roles"][0]]

    # Each node's shape lies inside its lane band, and no two node shapes overlap.
    def bounds(el):
        b = _xpath(el, "dc:Bounds")[0]
        return [float(b.get(k)) for k in ("x", "y", "width", "height")]

    for lane in _xpath(root, "//bpmn:lane"):
        lx, ly, lw, lh = bounds(shapes[lane.get("id")])
        for ref in _xpath(lane, "bpmn:flowNodeRef"):
            x, y, w, h = bounds(shapes[ref.text])
            assert lx <= x and x + w <= lx + lw and ly <= y and y + h <= ly + lh, ref.text
    boxes = [bounds(shapes[n]) for n in nodes]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart_x = a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0]
            apart_y = a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
            assert apart_x or apart_y


@pytest.mark.parametrize("build", _fichas())
def test_compilation_is_deterministic(build):
    assert compile_bpmn(build()) == compile_bpmn(build())


# -- naming and structure -------------------------------------------------------------------------


def _root(ficha):
    return etree.fromstring(compile_bpmn(ficha).encode())


def _flow(root, source, target):
    found = _xpath(root, f"//bpmn:sequenceFlow[@sourceRef='{source}'][@targetRef='{target}']")
    assert len(found) == 1, (source, target)
    return found[0]


def test_process_and_collaboration_ids():
    root = _root(s.linear())
    assert _xpath(root, "//bpmn:process/@id") == ["Process_S04_02_00_03"]
    assert _xpath(root, "//bpmn:process/@isExecutable") == ["true"]
    assert _xpath(root, "//bpmn:participant/@processRef") == ["Process_S04_02_00_03"]
    _flow(root, "StartEvent_1", "Activity_1")
    _flow(root, "Activity_1", "Activity_2")
    _flow(root, "Activity_2", "EndEvent_2")
    assert _xpath(root, "//bpmn:userTask[@id='Activity_1']/bpmn:documentation/text()") == [
        "Descripción de la actividad 1."
    ]


def test_decision_gateway_and_conditions():
    root = _root(s.decision())
    _flow(root, "Activity_2", "Gateway_decision_2")
    gateway = _xpath(root, "//bpmn:exclusiveGateway[@id='Gateway_decision_2']")[0]
    assert gateway.get("name") == "¿Se presenta un evento inesperado?"
    yes = _flow(root, "Gateway_decision_2", "Activity_3")
    no = _flow(root, "Gateway_decision_2", "EndEvent_2")
    assert yes.get("name") == "Sí"
    assert _xpath(yes, "bpmn:conditionExpression/text()") == ['evento == "si"']
    assert _xpath(no, "bpmn:conditionExpression/text()") == ['evento == "no"']


def test_parallel_split_and_join():
    root = _root(s.parallel())
    assert _xpath(root, "//bpmn:parallelGateway/@id") == ["Gateway_join_5", "Gateway_split_1"]
    _flow(root, "Activity_1", "Gateway_split_1")
    _flow(root, "Gateway_split_1", "Activity_2")
    _flow(root, "Gateway_split_1", "Activity_3")
    _flow(root, "Activity_4", "Gateway_join_5")
    _flow(root, "Activity_3", "Gateway_join_5")
    _flow(root, "Gateway_join_5", "Activity_5")


def test_multi_start_gateway():
    root = _root(s.multi_start())
    _flow(root, "StartEvent_1", "Gateway_start")
    mesa = _flow(root, "Gateway_start", "Activity_1")
    assert _xpath(mesa, "bpmn:conditionExpression/text()") == ['start == "mesa"']
    assert mesa.get("name") == "Llamada a la mesa de ayuda"
    # Two flows into Activity_3, merged directly on the task (no merge gateway).
    _flow(root, "Activity_1", "Activity_3")
    _flow(root, "Activity_2", "Activity_3")


def test_layout_is_left_to_right():
    root = _root(s.everything())
    x = {
        e.get("bpmnElement"): float(_xpath(e, "dc:Bounds/@x")[0])
        for e in _xpath(root, "//bpmndi:BPMNShape")
    }
    order = ["StartEvent_1", "Gateway_start", "Activity_1", "Activity_3", "Gateway_split_3"]
    assert [x[n] for n in order] == sorted(x[n] for n in order)
    assert x["Activity_5"] < x["Gateway_decision_5"] < x["Gateway_join_6"] < x["Activity_6"]
    assert x["Activity_4"] == x["Activity_5"]  # both branches in the same column


# -- running the compiled process -----------------------------------------------------------------


def run(ficha, answers, start=None, limit=50):
    """Run the compiled process in SpiffWorkflow, completing each ready task with ``answers[n]``
    (a dict, or a list consumed one per pass). Returns the activity numbers in completion order."""
    parser = BpmnParser()
    parser.add_bpmn_str(compile_bpmn(ficha).encode())
    workflow = BpmnWorkflow(parser.get_spec(process_id(ficha)))
    if start:
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data["start"] = start
    workflow.do_engine_steps()
    done = []
    while not workflow.is_completed():
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        assert ready, "the process is stuck"
        task = ready[0]
        n = int(task.task_spec.name.removeprefix("Activity_"))
        answer = answers.get(n, {})
        task.data.update(answer.pop(0) if isinstance(answer, list) else answer)
        task.run()
        workflow.do_engine_steps()
        done.append(n)
        assert len(done) < limit
    return done


def test_run_decision_branches():
    assert run(s.decision(), {2: {"evento": "si"}}) == [1, 2, 3]
    assert run(s.decision(), {2: {"evento": "no"}}) == [1, 2]


def test_run_loop_back():
    answers = {3: [{"resultado": "corregir"}, {"resultado": "corregir"}, {"resultado": "conforme"}]}
    assert run(s.loop_back(), answers) == [1, 2, 3, 2, 3, 2, 3]


def test_run_parallel_waits_for_every_branch():
    done = run(s.parallel(), {})
    assert done[0] == 1 and done[-1] == 5
    assert sorted(done[1:-1]) == [2, 3, 4]
    assert done.count(5) == 1


def test_run_multi_start():
    assert run(s.multi_start(), {}, start="mesa") == [1, 3]
    assert run(s.multi_start(), {}, start="correo") == [2, 3]


def test_run_loop_inside_a_branch_and_back_to_start():
    answers = {
        5: [{"listo": "no"}, {"listo": "si"}, {"listo": "si"}],
        6: [{"fin": "no"}, {"fin": "si"}],
    }
    done = run(s.everything(), answers, start="b")
    assert done[0] == 2
    assert done.count(6) == 2  # the join fired once per pass, not once per branch
    assert done.count(5) == 3 and done.count(4) == 2 and done.count(1) == 1


# -- forms ----------------------------------------------------------------------------------------


def test_form_schema_adds_the_decision_field():
    ficha = s.decision()
    ficha["activities"][1]["form"] = {
        "type": "object",
        "required": ["informe"],
        "properties": {
            "informe": {"type": "string", "title": "Informe", "format": "textarea"},
            "evento": {"type": "string", "title": "x", "description": "Ayuda"},
        },
    }
    schema = form_schema(ficha, 2)
    assert schema["required"] == ["informe", "evento"]
    assert schema["properties"]["informe"] == {
        "type": "string",
        "title": "Informe",
        "format": "textarea",
    }
    assert schema["properties"]["evento"] == {
        "type": "string",
        "title": "¿Se presenta un evento inesperado?",
        "description": "Ayuda",
        "oneOf": [{"const": "si", "title": "Sí"}, {"const": "no", "title": "No"}],
    }
    assert ficha["activities"][1]["form"]["required"] == ["informe"]  # not mutated


@pytest.mark.parametrize("build", _fichas())
def test_every_effective_form_is_in_the_subset(build):
    ficha = build()
    for act in ficha["activities"]:
        schema = form_schema(ficha, act["n"])
        assert check_form(schema) == [], act["n"]
        if act.get("decision"):
            assert act["decision"]["field"] in schema["required"]


def test_form_schema_without_form_or_decision():
    assert form_schema(s.linear(), 2) == {"type": "object", "properties": {}}
    assert form_schema(s.linear(), 1)["required"] == ["oficio"]
    with pytest.raises(KeyError):
        form_schema(s.linear(), 9)
