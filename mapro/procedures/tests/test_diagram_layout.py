"""The compiled diagrams are readable, checked from the DI coordinates alone (what bpmn-js and
Camunda Modeler draw): no sequence flow runs through a task, gateway or event other than its own
source and target, and every named gateway, event and labelled flow has its label in the DI
(``BPMNLabel`` bounds), clear of every other label, every node and every flow.

Every ficha in ``procedures/`` is covered (parametrized over the directory), plus the synthetic
fichas of ``ficha_samples``.
"""

from __future__ import annotations

import itertools

import pytest
from django.conf import settings
from lxml import etree

from mapro.procedures.ficha.compiler import NSMAP, compile_bpmn
from mapro.procedures.ficha.loader import ficha_paths, load_ficha

from . import ficha_samples as s

FLOW_NODES = ("userTask", "exclusiveGateway", "parallelGateway", "startEvent", "endEvent")

Rect = tuple[float, float, float, float]


def _fichas():
    params = [pytest.param(builder, id=name) for name, builder in sorted(s.SYNTHETIC.items())]
    params += [
        pytest.param(lambda p=p: load_ficha(p), id=p.stem)
        for p in ficha_paths(settings.MAPRO_PROCEDURES_DIR)
    ]
    return params


def _xpath(root, path):
    return root.xpath(path, namespaces=NSMAP)


def _rect(bounds) -> Rect:
    return tuple(float(bounds.get(k)) for k in ("x", "y", "width", "height"))  # type: ignore[return-value]


def _overlap(a: Rect, b: Rect) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _crosses(p, q, r: Rect) -> bool:
    """Whether segment p–q enters the interior of r (touching its border does not count)."""
    (x1, y1), (x2, y2) = p, q
    # Liang–Barsky clipping against the open rectangle, shrunk by half a pixel for rounding.
    x0, y0, x3, y3 = r[0] + 0.5, r[1] + 0.5, r[0] + r[2] - 0.5, r[1] + r[3] - 0.5
    dx, dy = x2 - x1, y2 - y1
    t0, t1 = 0.0, 1.0
    for pk, qk in ((-dx, x1 - x0), (dx, x3 - x1), (-dy, y1 - y0), (dy, y3 - y1)):
        if pk == 0:
            if qk <= 0:
                return False
        else:
            t = qk / pk
            if pk < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
    return t0 < t1


class Diagram:
    def __init__(self, ficha):
        self.root = etree.fromstring(compile_bpmn(ficha).encode())
        self.kind = {}
        self.name = {}
        for tag in FLOW_NODES:
            for el in _xpath(self.root, f"//bpmn:process/bpmn:{tag}"):
                self.kind[el.get("id")] = tag
                self.name[el.get("id")] = el.get("name") or ""
        self.flows = {
            f.get("id"): (f.get("sourceRef"), f.get("targetRef"), f.get("name") or "")
            for f in _xpath(self.root, "//bpmn:process/bpmn:sequenceFlow")
        }
        self.shapes: dict[str, Rect] = {}
        self.labels: dict[str, Rect] = {}
        for shape in _xpath(self.root, "//bpmndi:BPMNShape"):
            ref = shape.get("bpmnElement")
            self.shapes[ref] = _rect(_xpath(shape, "dc:Bounds")[0])
            for b in _xpath(shape, "bpmndi:BPMNLabel/dc:Bounds"):
                self.labels[ref] = _rect(b)
        self.waypoints = {}
        for edge in _xpath(self.root, "//bpmndi:BPMNEdge"):
            ref = edge.get("bpmnElement")
            self.waypoints[ref] = [
                (float(w.get("x")), float(w.get("y"))) for w in _xpath(edge, "di:waypoint")
            ]
            for b in _xpath(edge, "bpmndi:BPMNLabel/dc:Bounds"):
                self.labels[ref] = _rect(b)

    def segments(self, flow):
        pts = self.waypoints[flow]
        return list(itertools.pairwise(pts))


@pytest.mark.parametrize("build", _fichas())
def test_no_flow_runs_through_another_node(build):
    d = Diagram(build())
    crossings = []
    for flow, (source, target, _name) in d.flows.items():
        for p, q in d.segments(flow):
            for node in d.kind:
                if node not in (source, target) and _crosses(p, q, d.shapes[node]):
                    crossings.append((flow, source, target, node))
    assert crossings == []


@pytest.mark.parametrize("build", _fichas())
def test_flows_are_orthogonal_and_start_and_end_at_their_nodes(build):
    d = Diagram(build())
    for flow, (source, target, _name) in d.flows.items():
        pts = d.waypoints[flow]
        for (x1, y1), (x2, y2) in itertools.pairwise(pts):
            assert x1 == x2 or y1 == y2, flow
        for point, node in ((pts[0], source), (pts[-1], target)):
            x, y, w, h = d.shapes[node]
            on_x = x <= point[0] <= x + w and point[1] in (y, y + h, y + h / 2)
            on_y = y <= point[1] <= y + h and point[0] in (x, x + w, x + w / 2)
            assert on_x or on_y, (flow, node, point)


@pytest.mark.parametrize("build", _fichas())
def test_every_label_is_in_the_di_and_clear_of_labels_nodes_and_flows(build):
    d = Diagram(build())
    named = [n for n, kind in d.kind.items() if kind != "userTask" and d.name[n]]
    named += [f for f, (_s, _t, name) in d.flows.items() if name]
    assert named, "every diagram has at least a named start event"
    missing = [ref for ref in named if ref not in d.labels]
    assert missing == []
    refs = sorted(d.labels)
    for i, a in enumerate(refs):
        for b in refs[i + 1 :]:
            assert not _overlap(d.labels[a], d.labels[b]), (a, b)
        for node in d.kind:
            assert not _overlap(d.labels[a], d.shapes[node]), (a, node)
        for flow in d.flows:
            for p, q in d.segments(flow):
                assert not _crosses(p, q, d.labels[a]), (a, flow)


@pytest.mark.parametrize("build", _fichas())
def test_labels_and_nodes_lie_inside_the_pool(build):
    d = Diagram(build())
    participant = _xpath(d.root, "//bpmn:participant")[0].get("id")
    px, py, pw, ph = d.shapes[participant]
    for ref, (x, y, w, h) in [*d.labels.items(), *((n, d.shapes[n]) for n in d.kind)]:
        assert px <= x and x + w <= px + pw and py <= y and y + h <= py + ph, ref


def test_multi_instance_activities_keep_their_marker():
    """A multi-instance activity keeps its ``multiInstanceLoopCharacteristics`` (the marker
    bpmn-js draws) through the new layout."""
    for path in ficha_paths(settings.MAPRO_PROCEDURES_DIR):
        ficha = load_ficha(path)
        multi = [a["n"] for a in ficha["activities"] if "each" in a]
        if not multi:
            continue
        root = etree.fromstring(compile_bpmn(ficha).encode())
        for n in multi:
            loops = _xpath(
                root, f"//bpmn:userTask[@id='Activity_{n}']/bpmn:multiInstanceLoopCharacteristics"
            )
            assert len(loops) == 1 and loops[0].get("isSequential") == "false"
        return
    pytest.fail("no ficha has a multi-instance activity any more")
