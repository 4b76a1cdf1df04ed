"""Compiling a (valid) ficha into BPMN 2.0 XML with diagram interchange, and its task forms.

The output follows the naming contract of the engine (see docs/ficha-format.md and the engine
conventions), so the runtime maps BPMN tasks to activities by id, never by name:

- one ``bpmn:collaboration`` (``Collaboration_<code>``) with one participant, and one executable
  ``bpmn:process`` ``Process_<code>`` (dots as ``_``) with a lane per role (``Lane_<role>``, named
  in Spanish); an activity sits in the lane of its first role, a gateway in the lane of the
  activity it follows (a join: of the activity it leads into), an end event in the lane of the
  activity that ends;
- ``StartEvent_1``; with several starts, an exclusive ``Gateway_start`` whose flows carry
  ``start == "<key>"``;
- activity *n* is the user task ``Activity_<n>`` named ``"<n>. <name>"``;
- a decision is ``Activity_<n>`` → exclusive ``Gateway_decision_<n>`` whose flows carry
  ``<field> == "<const>"`` (a Python comparison, named after the branch title);
- a parallel split is ``Activity_<n>`` → parallel ``Gateway_split_<n>`` → each branch; every flow
  from inside the split's branches into its join activity *j* goes to the parallel
  ``Gateway_join_<j>``, which flows into ``Activity_<j>``;
- ``next: end`` flows into ``EndEvent_<n>`` (one per activity that ends).

Merges that are not parallel joins (a loop back, two decision branches meeting) are connected
**directly** to the task, with no exclusive merge gateway: SpiffWorkflow readies a task whenever
any incoming flow completes (``TaskSpec._update_hook``), and BPMN reads several plain incoming
flows as an uncontrolled (exclusive) merge, so each arriving flow activates the task once.

The diagram (``layout.py``) is a layered left-to-right layout: lanes per role, flows routed
orthogonally through free channels around the nodes, and every label (gateway question, event
name, branch title) placed in the DI (``BPMNLabel``) clear of the nodes, the flows and the other
labels.

Bump :data:`COMPILER_VERSION` whenever the output changes: it is part of the content hash, so a
compiler change republishes every procedure.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from .layout import layout
from .multi import answer_ref, answers_ref, each_of, input_ref, item_ref, list_fields_consumed
from .roles import ROLE_NAMES

COMPILER_VERSION = "3"

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
DC_NS = "http://www.omg.org/spec/DD/20100524/DC"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
NSMAP = {"bpmn": BPMN_NS, "bpmndi": BPMNDI_NS, "dc": DC_NS, "di": DI_NS, "xsi": XSI_NS}


def code_id(code: str) -> str:
    """``S04.02.00.03`` → ``S04_02_00_03`` (ids cannot hold dots in our convention)."""
    return code.replace(".", "_")


def process_id(ficha: dict[str, Any]) -> str:
    """The id of the executable process of a ficha (what ``BpmnParser.get_spec`` wants)."""
    return f"Process_{code_id(ficha['code'])}"


def lane_id(role: str) -> str:
    return f"Lane_{role.replace('-', '_')}"


def activity_id(n: int) -> str:
    return f"Activity_{n}"


# --- forms -------------------------------------------------------------------------------------


def find_activity(ficha: dict[str, Any], n: int) -> dict[str, Any]:
    """Activity ``n`` of ``ficha`` itself (shared: read it, never change it); ``KeyError``
    when there is none. The one lookup: ``actions.activity`` is its engine-facing form."""
    for act in ficha.get("activities", []):
        if act.get("n") == n:
            return act
    raise KeyError(f"La ficha {ficha.get('code')} no tiene la actividad {n}.")


def form_schema(ficha: dict[str, Any], n: int) -> dict[str, Any]:
    """The effective JSON Schema form of activity ``n``.

    The declared ``form`` (or an empty object form), plus, for a decision, its field as
    ``{type: string, title: question, oneOf: [{const, title}, ...]}`` listed in ``required``
    (a declared property of the same name keeps its ``description``). Never mutates the ficha.
    """
    act = find_activity(ficha, n)
    schema = copy.deepcopy(act.get("form")) or {"type": "object", "properties": {}}
    schema.setdefault("type", "object")
    schema.setdefault("properties", {})
    decision = act.get("decision")
    if decision:
        name = decision["field"]
        prop: dict[str, Any] = {"type": "string", "title": decision["question"]}
        declared = schema["properties"].get(name) or {}
        if declared.get("description"):
            prop["description"] = declared["description"]
        prop["oneOf"] = [{"const": b["const"], "title": b["title"]} for b in decision["branches"]]
        schema["properties"][name] = prop
        required = list(schema.get("required", []))
        if name not in required:
            required.append(name)
        schema["required"] = required
    # A list a later multi-instance activity runs over may not be left empty (multi.py).
    for name in list_fields_consumed(ficha, n):
        prop = schema["properties"][name]
        prop["minItems"] = max(1, int(prop.get("minItems") or 0))
        required = list(schema.get("required", []))
        if name not in required:
            schema["required"] = [*required, name]
    return schema


# --- graph -------------------------------------------------------------------------------------


@dataclass
class Node:
    id: str
    kind: str  # task | xor | and | start | end
    name: str
    role: str
    documentation: str = ""
    each: dict[str, Any] | None = None  # a multi-instance activity's ``each`` (multi.py)
    n: int = 0
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)


@dataclass
class Flow:
    id: str
    source: str
    target: str
    name: str = ""
    condition: str = ""


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)
    flows: list[Flow] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)

    def add(self, node: Node) -> Node:
        self.nodes[node.id] = node
        if node.role not in self.roles:
            self.roles.append(node.role)
        return node

    def connect(self, source: str, target: str, *, name: str = "", condition: str = "") -> None:
        flow = Flow(f"Flow_{len(self.flows) + 1}", source, target, name, condition)
        self.flows.append(flow)
        self.nodes[source].outgoing.append(flow.id)
        self.nodes[target].incoming.append(flow.id)


def successors(act: dict[str, Any]) -> list[Any]:
    """The activity numbers (or ``"end"``) that may follow ``act`` directly."""
    if act.get("decision"):
        return [b.get("next") for b in act["decision"].get("branches", [])]
    if act.get("parallel"):
        return list(act["parallel"].get("branches", []))
    if "next" in act:
        return [act["next"]]
    return []


def parallel_region(activities: dict[int, dict[str, Any]], start: Any, join: Any) -> set[Any]:
    """Activities reachable from ``start`` without passing through ``join`` (``end`` included)."""
    seen: set[Any] = set()
    todo = [start]
    while todo:
        n = todo.pop()
        if n == join or n in seen:
            continue
        seen.add(n)
        if n in activities:
            todo.extend(successors(activities[n]))
    return seen


def build_graph(ficha: dict[str, Any]) -> Graph:
    """The flow nodes and sequence flows of a valid ficha (see the module docstring)."""
    acts: dict[int, dict[str, Any]] = {a["n"]: a for a in ficha["activities"]}
    # (source activity, join activity) pairs whose flow must enter the join gateway.
    into_join: set[tuple[int, int]] = set()
    joins: set[int] = set()
    for act in ficha["activities"]:
        par = act.get("parallel")
        if par:
            joins.add(par["join"])
            for branch in par["branches"]:
                for m in parallel_region(acts, branch, par["join"]):
                    into_join.add((m, par["join"]))

    g = Graph()
    starts = ficha["starts"]
    first_role = acts[starts[0]["activity"]]["roles"][0]
    g.add(Node("StartEvent_1", "start", "Inicio", first_role))
    if len(starts) > 1:
        g.add(Node("Gateway_start", "xor", "¿Cómo se inicia?", first_role))
    for act in ficha["activities"]:
        g.add(
            Node(
                activity_id(act["n"]),
                "task",
                f"{act['n']}. {act['name']}",
                act["roles"][0],
                documentation=str(act.get("description") or "").strip(),
                each=each_of(act),
                n=act["n"],
            )
        )
    for j in sorted(joins):
        g.add(Node(f"Gateway_join_{j}", "and", "", acts[j]["roles"][0]))

    def target(src: int, nxt: Any) -> str:
        if nxt == "end":
            end = f"EndEvent_{src}"
            if end not in g.nodes:
                g.add(Node(end, "end", "Fin", acts[src]["roles"][0]))
            return end
        if (src, nxt) in into_join:
            return f"Gateway_join_{nxt}"
        return activity_id(nxt)

    if len(starts) > 1:
        g.connect("StartEvent_1", "Gateway_start")
        for start in starts:
            g.connect(
                "Gateway_start",
                activity_id(start["activity"]),
                name=start.get("label", ""),
                condition=f"start == {json.dumps(start['key'])}",
            )
    else:
        g.connect("StartEvent_1", activity_id(starts[0]["activity"]))

    for act in ficha["activities"]:
        n, role, task = act["n"], act["roles"][0], activity_id(act["n"])
        if act.get("decision"):
            dec = act["decision"]
            gw = g.add(Node(f"Gateway_decision_{n}", "xor", dec["question"], role)).id
            g.connect(task, gw)
            for branch in dec["branches"]:
                cond = f"{dec['field']} == {json.dumps(branch['const'], ensure_ascii=False)}"
                g.connect(gw, target(n, branch["next"]), name=branch["title"], condition=cond)
        elif act.get("parallel"):
            gw = g.add(Node(f"Gateway_split_{n}", "and", "", role)).id
            g.connect(task, gw)
            for branch in act["parallel"]["branches"]:
                g.connect(gw, activity_id(branch))
        else:
            g.connect(task, target(n, act["next"]))
    for j in sorted(joins):
        g.connect(f"Gateway_join_{j}", activity_id(j))
    return g


# --- XML ---------------------------------------------------------------------------------------


def _q(prefix: str, tag: str) -> str:
    return f"{{{NSMAP[prefix]}}}{tag}"


def _num(value: float) -> str:
    return str(round(value))


def _bounds(parent: etree._Element, x: float, y: float, w: float, h: float) -> None:
    etree.SubElement(
        parent, _q("dc", "Bounds"), x=_num(x), y=_num(y), width=_num(w), height=_num(h)
    )


_TAGS = {
    "task": "userTask",
    "xor": "exclusiveGateway",
    "and": "parallelGateway",
    "start": "startEvent",
    "end": "endEvent",
}


def _loop_characteristics(task: etree._Element, n: int, each: dict[str, Any]) -> None:
    """A parallel ``multiInstanceLoopCharacteristics`` (children in XSD order): one task per
    item of the list (``multi.py`` names the data references the engine shares)."""
    loop = etree.SubElement(
        task, _q("bpmn", "multiInstanceLoopCharacteristics"), isSequential="false"
    )
    etree.SubElement(loop, _q("bpmn", "loopDataInputRef")).text = input_ref(n, each)
    etree.SubElement(loop, _q("bpmn", "loopDataOutputRef")).text = answers_ref(n)
    etree.SubElement(loop, _q("bpmn", "inputDataItem"), id=item_ref(n), name=item_ref(n))
    etree.SubElement(loop, _q("bpmn", "outputDataItem"), id=answer_ref(n), name=answer_ref(n))
    if each.get("join") == "first":
        cond = etree.SubElement(loop, _q("bpmn", "completionCondition"))
        cond.set(_q("xsi", "type"), "bpmn:tFormalExpression")
        cond.text = "True"


def compile_bpmn(ficha: dict[str, Any]) -> str:
    """The BPMN 2.0 XML (with diagram interchange) of a valid ficha, as a string.

    Deterministic: the same ficha always compiles to the same text.
    """
    g = build_graph(ficha)
    lay = layout(g)
    cid = code_id(ficha["code"])
    pid = process_id(ficha)
    defs = etree.Element(
        _q("bpmn", "definitions"),
        nsmap=NSMAP,
        id=f"Definitions_{cid}",
        targetNamespace="https://mapro.mindef.gob.pe/bpmn",
        exporter="mapro",
        exporterVersion=COMPILER_VERSION,
    )
    collab = etree.SubElement(defs, _q("bpmn", "collaboration"), id=f"Collaboration_{cid}")
    etree.SubElement(
        collab,
        _q("bpmn", "participant"),
        id=f"Participant_{cid}",
        name=f"{ficha['code']} {ficha['name']}",
        processRef=pid,
    )

    proc = etree.SubElement(
        defs, _q("bpmn", "process"), id=pid, name=str(ficha["name"]), isExecutable="true"
    )
    lane_set = etree.SubElement(proc, _q("bpmn", "laneSet"), id="LaneSet_1")
    for role in g.roles:
        lane = etree.SubElement(
            lane_set, _q("bpmn", "lane"), id=lane_id(role), name=ROLE_NAMES.get(role, role)
        )
        for node in g.nodes.values():
            if node.role == role:
                etree.SubElement(lane, _q("bpmn", "flowNodeRef")).text = node.id
    for node in g.nodes.values():
        attrs = {"id": node.id}
        if node.name:
            attrs["name"] = node.name
        el = etree.SubElement(proc, _q("bpmn", _TAGS[node.kind]), attrs)
        if node.documentation:
            etree.SubElement(el, _q("bpmn", "documentation")).text = node.documentation
        for fid in node.incoming:
            etree.SubElement(el, _q("bpmn", "incoming")).text = fid
        for fid in node.outgoing:
            etree.SubElement(el, _q("bpmn", "outgoing")).text = fid
        if node.each is not None:
            _loop_characteristics(el, node.n, node.each)
    for flow in g.flows:
        attrs = {"id": flow.id, "sourceRef": flow.source, "targetRef": flow.target}
        if flow.name:
            attrs["name"] = flow.name
        el = etree.SubElement(proc, _q("bpmn", "sequenceFlow"), attrs)
        if flow.condition:
            cond = etree.SubElement(el, _q("bpmn", "conditionExpression"))
            cond.set(_q("xsi", "type"), "bpmn:tFormalExpression")
            cond.text = flow.condition

    diagram = etree.SubElement(defs, _q("bpmndi", "BPMNDiagram"), id="BPMNDiagram_1")
    plane = etree.SubElement(
        diagram, _q("bpmndi", "BPMNPlane"), id="BPMNPlane_1", bpmnElement=f"Collaboration_{cid}"
    )
    shape = etree.SubElement(
        plane,
        _q("bpmndi", "BPMNShape"),
        id=f"Participant_{cid}_di",
        bpmnElement=f"Participant_{cid}",
        isHorizontal="true",
    )
    _bounds(shape, *lay.pool)
    for role in g.roles:
        shape = etree.SubElement(
            plane,
            _q("bpmndi", "BPMNShape"),
            id=f"{lane_id(role)}_di",
            bpmnElement=lane_id(role),
            isHorizontal="true",
        )
        _bounds(shape, *lay.lanes[role])
    for node in g.nodes.values():
        box = lay.boxes[node.id]
        shape = etree.SubElement(
            plane, _q("bpmndi", "BPMNShape"), id=f"{node.id}_di", bpmnElement=node.id
        )
        _bounds(shape, box.x, box.y, box.w, box.h)
        if box.label:
            _bounds(etree.SubElement(shape, _q("bpmndi", "BPMNLabel")), *box.label)
    for flow in g.flows:
        edge = etree.SubElement(
            plane, _q("bpmndi", "BPMNEdge"), id=f"{flow.id}_di", bpmnElement=flow.id
        )
        for x, y in lay.waypoints[flow.id]:
            etree.SubElement(edge, _q("di", "waypoint"), x=_num(x), y=_num(y))
        if flow.id in lay.labels:
            _bounds(etree.SubElement(edge, _q("bpmndi", "BPMNLabel")), *lay.labels[flow.id])
    return etree.tostring(defs, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode(
        "utf-8"
    )
