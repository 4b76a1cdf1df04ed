"""The diagram of a compiled procedure: a layered layout with lanes, orthogonal routing, labels.

The graph (``compiler.build_graph``) is laid out left to right, the way Camunda Modeler users draw:

1. **Layers.** A node's column is its longest-path rank from the start, back edges (loops)
   ignored. Each column is as wide as its widest node (a task, or a gateway with its label).
2. **Lanes and rows.** Each role is one horizontal lane; inside a lane, nodes sharing a column
   are stacked in rows, a node preferring the row of the node it follows so that a chain of
   activities stays on one straight line.
3. **Footprints.** A node reserves its shape plus its external label: a named gateway's question
   above it, an event's name below it. Rows are as tall as their tallest footprint plus a free
   gap above and below; columns are separated by free vertical channels. So nothing is ever
   drawn in a gap or a channel except sequence flows.
4. **Routing.** A flow is a straight line when its ends share a row and nothing stands between
   them; otherwise it is an orthogonal polyline that only runs through channels and gaps, which
   hold no node: out of the source, along a channel, along a gap, along the channel just left
   of the target, into the target's left side. Loops leave through the bottom of the source.
   Segments sharing a channel or a gap get their own track (a few pixels apart), so flows do
   not run on top of each other.
5. **Labels.** A flow's name (a decision branch) is placed next to one of its own segments,
   the first position clear of every node, label and flow; its bounds (``BPMNLabel``) are
   estimated with a deliberately wide character so the text bpmn-js and Camunda Modeler wrap
   inside them never spills over.
"""

from __future__ import annotations

import itertools
import math
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .roles import ROLE_NAMES

if TYPE_CHECKING:
    from .compiler import Flow, Graph, Node

# Shapes, in diagram pixels.
TASK_W = 150
TASK_MIN_H = 80
SHAPE = {"xor": (50, 50), "and": (50, 50), "start": (36, 36), "end": (36, 36)}
# Text metrics: upper bounds for Arial (bpmn-js renders 12 px in tasks, 11 px in labels).
TASK_CHAR_W = 7.0
TASK_LINE_H = 15
LABEL_CHAR_W = 6.3
LABEL_LINE_H = 14
GATEWAY_LABEL_W = 130
FLOW_LABEL_W = 110
EVENT_LABEL_W = 90
LABEL_GAP = 6  # between a shape and its label
# Spacing.
ROW_GAP = 30  # free band above and below every row (so two rows are 2 * ROW_GAP apart)
CHANNEL_W = 56  # free vertical channel before every column
TRACK = 8  # distance between parallel segments in one channel or gap
POOL_LABEL_W = 30
LANE_LABEL_W = 30
ORIGIN_X = 160
ORIGIN_Y = 80
EDGE_PAD = 16  # extra room at the top and bottom of the pool

Point = tuple[float, float]
Rect = tuple[float, float, float, float]  # x, y, width, height
Coord = tuple[Any, ...]  # ("x", value) | ("ch", channel, track key) | ("gap", gap, track key)


def wrap(text: str, width: float, char_w: float) -> list[str]:
    """The lines of ``text`` wrapped at ``width`` pixels with characters ``char_w`` wide."""
    per_line = max(4, int(width // char_w))
    return textwrap.wrap(text, per_line, break_long_words=True, break_on_hyphens=False) or [""]


def label_size(text: str, max_width: float) -> tuple[float, float]:
    """Width and height of an external label (11 px) wrapped within ``max_width``."""
    lines = wrap(text, max_width, LABEL_CHAR_W)
    width = math.ceil(max(len(line) for line in lines) * LABEL_CHAR_W) + 4
    return float(width), float(len(lines) * LABEL_LINE_H + 4)


def lane_min_height(name: str) -> float:
    """The height a lane needs so that bpmn-js writes its name (12 px, vertical) in two lines."""
    return float(math.ceil(len(name) * TASK_CHAR_W / 2) + 24)


def task_height(name: str) -> float:
    """A task tall enough for its name (12 px, 5 px padding) to fit inside."""
    lines = wrap(name, TASK_W - 12, TASK_CHAR_W)
    return float(max(TASK_MIN_H, len(lines) * TASK_LINE_H + 20))


def overlaps(a: Rect, b: Rect, margin: float = 0.0) -> bool:
    """Whether two rectangles share interior (touching edges do not count)."""
    return (
        a[0] < b[0] + b[2] + margin
        and b[0] < a[0] + a[2] + margin
        and a[1] < b[1] + b[3] + margin
        and b[1] < a[1] + a[3] + margin
    )


def segment_hits(p: Point, q: Point, r: Rect, margin: float = 0.0) -> bool:
    """Whether the axis-parallel segment ``p``–``q`` passes through the interior of ``r``."""
    x1, x2 = sorted((p[0], q[0]))
    y1, y2 = sorted((p[1], q[1]))
    return (
        x1 < r[0] + r[2] + margin
        and r[0] - margin < x2
        and y1 < r[1] + r[3] + margin
        and r[1] - margin < y2
    )


@dataclass
class Box:
    """A placed node: its shape, and its external label (if it has one)."""

    x: float
    y: float
    w: float
    h: float
    label: Rect | None = None

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    @property
    def rect(self) -> Rect:
        return (self.x, self.y, self.w, self.h)


@dataclass
class Layout:
    pool: Rect
    lanes: dict[str, Rect]
    boxes: dict[str, Box]
    waypoints: dict[str, list[Point]]
    labels: dict[str, Rect]  # flow id → label bounds
    back_edges: set[str] = field(default_factory=set)


def ranks(g: Graph) -> tuple[dict[str, int], set[str]]:
    """Longest-path rank of every node from the start, and the ids of back-edge flows."""
    out: dict[str, list[Flow]] = defaultdict(list)
    for f in g.flows:
        out[f.source].append(f)
    back: set[str] = set()
    state: dict[str, int] = {}  # 1 on the DFS stack, 2 done
    order: list[str] = []
    roots = ["StartEvent_1"] + [n for n in g.nodes if n != "StartEvent_1"]
    for root in roots:
        if root in state:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        state[root] = 1
        while stack:
            node, i = stack.pop()
            if i < len(out[node]):
                stack.append((node, i + 1))
                flow = out[node][i]
                if state.get(flow.target) == 1:
                    back.add(flow.id)
                elif flow.target not in state:
                    state[flow.target] = 1
                    stack.append((flow.target, 0))
            else:
                state[node] = 2
                order.append(node)
    rank = dict.fromkeys(g.nodes, 0)
    for node in reversed(order):  # reverse post-order is a topological order of the DAG
        for flow in out[node]:
            if flow.id not in back:
                rank[flow.target] = max(rank[flow.target], rank[node] + 1)
    return rank, back


def _shape_size(node: Node) -> tuple[float, float]:
    if node.kind == "task":
        return float(TASK_W), task_height(node.name)
    w, h = SHAPE[node.kind]
    return float(w), float(h)


def _node_label(node: Node) -> tuple[float, float] | None:
    """Size of the external label of a named gateway or event (tasks hold their name)."""
    if not node.name or node.kind == "task":
        return None
    width = GATEWAY_LABEL_W if node.kind in ("xor", "and") else EVENT_LABEL_W
    return label_size(node.name, width)


def _assign_rows(g: Graph, rank: dict[str, int], back: set[str]) -> dict[str, int]:
    """The row of each node inside its lane: a node takes the free row nearest to the row of
    the node it follows in the same lane (its first forward predecessor), so chains stay
    straight; a node coming from another lane prefers the first row."""
    preds: dict[str, list[str]] = defaultdict(list)
    for f in g.flows:
        if f.id not in back:
            preds[f.target].append(f.source)
    rows: dict[str, int] = {}
    by_column: dict[int, list[Node]] = defaultdict(list)
    for node in g.nodes.values():  # insertion order: deterministic
        by_column[rank[node.id]].append(node)
    for col in sorted(by_column):
        taken: dict[str, set[int]] = defaultdict(set)
        wishes: list[tuple[int, int, Node]] = []
        for order, node in enumerate(by_column[col]):
            wish = 0
            same = [p for p in preds[node.id] if g.nodes[p].role == node.role and p in rows]
            if same:
                wish = rows[same[0]]
            wishes.append((wish, order, node))
        for wish, _order, node in sorted(wishes, key=lambda w: (w[0], w[1])):
            row = wish
            step = 0
            while row in taken[node.role]:
                step += 1
                row = wish + step  # below first, so rows stay 0..n-1 and lanes stay compact
            taken[node.role].add(row)
            rows[node.id] = row
    return rows


def _tracks(intervals: list[tuple[float, float, str]]) -> dict[str, int]:
    """Interval colouring: keys whose intervals overlap get different track numbers."""
    merged: dict[str, tuple[float, float]] = {}
    for lo, hi, key in intervals:
        a, b = sorted((lo, hi))
        if key in merged:
            a, b = min(a, merged[key][0]), max(b, merged[key][1])
        merged[key] = (a, b)
    tracks: dict[str, int] = {}
    used: list[list[tuple[float, float]]] = []
    for key, (a, b) in sorted(merged.items(), key=lambda kv: (kv[1][0], kv[1][1], kv[0])):
        for i, spans in enumerate(used):
            if all(b + TRACK < s or e + TRACK < a for s, e in spans):
                spans.append((a, b))
                tracks[key] = i
                break
        else:
            used.append([(a, b)])
            tracks[key] = len(used) - 1
    return tracks


def _offset(track: int, room: float) -> float:
    """0, +T, -T, +2T, -2T … within ``±room`` (wrapping when a channel is crowded)."""
    limit = max(0, int(room // TRACK))
    slots = [0.0]
    for k in range(1, limit + 1):
        slots += [k * TRACK, -k * TRACK]
    return slots[track % len(slots)]


def layout(g: Graph) -> Layout:
    """Place every node, route every flow and place every flow label (module docstring)."""
    rank, back = ranks(g)
    rows = _assign_rows(g, rank, back)
    sizes = {nid: _shape_size(node) for nid, node in g.nodes.items()}
    node_labels = {nid: _node_label(node) for nid, node in g.nodes.items()}

    # Footprints: width, and the extent above and below the shape's centre line.
    def extent(nid: str) -> tuple[float, float, float]:
        (w, h), lab = sizes[nid], node_labels[nid]
        kind = g.nodes[nid].kind
        above = below = h / 2
        width = w
        if lab:
            width = max(w, lab[0])
            if kind in ("xor", "and"):
                above += LABEL_GAP + lab[1]
            else:
                below += LABEL_GAP + lab[1]
        return width, above, below

    ncols = max(rank.values(), default=0) + 1
    col_w = [0.0] * ncols
    for nid in g.nodes:
        col_w[rank[nid]] = max(col_w[rank[nid]], extent(nid)[0])
    content_x = ORIGIN_X + POOL_LABEL_W + LANE_LABEL_W
    col_left: list[float] = []
    x: float = content_x + CHANNEL_W
    for c in range(ncols):
        col_left.append(x)
        x += col_w[c] + CHANNEL_W
    pool_right = x
    channel_x = [col_left[c] - CHANNEL_W / 2 for c in range(ncols)]  # channel before column c

    # Rows, stacked lane by lane; global row index = position in this list.
    row_keys: list[tuple[str, int]] = []
    for role in g.roles:
        n_rows = 1 + max((rows[n] for n in g.nodes if g.nodes[n].role == role), default=0)
        row_keys += [(role, r) for r in range(n_rows)]
    row_above = {k: 0.0 for k in row_keys}
    row_below = {k: 0.0 for k in row_keys}
    for nid, node in g.nodes.items():
        _, above, below = extent(nid)
        key = (node.role, rows[nid])
        row_above[key] = max(row_above[key], above)
        row_below[key] = max(row_below[key], below)
    row_center: dict[tuple[str, int], float] = {}
    gap_y: list[float] = []  # gap k: the free band above global row k (k = len: below the last)
    gap_room: list[float] = []
    lanes: dict[str, Rect] = {}
    y = float(ORIGIN_Y)
    for i, key in enumerate(row_keys):
        role = key[0]
        first = i == 0 or row_keys[i - 1][0] != role
        if first:
            lane_top = y
            if i == 0:
                y += EDGE_PAD
        gap_y.append(y + ROW_GAP / 2 if i == 0 else y)
        gap_room.append(ROW_GAP / 2 - 2 if i == 0 else ROW_GAP - 2)
        row_center[key] = y + ROW_GAP + row_above[key]
        y = row_center[key] + row_below[key] + ROW_GAP
        last = i == len(row_keys) - 1 or row_keys[i + 1][0] != role
        if last:
            # Tall enough for the lane's name in the two lines its 30 px strip holds.
            y = max(y, lane_top + lane_min_height(ROLE_NAMES.get(role, role)))
            if i == len(row_keys) - 1:
                y += EDGE_PAD
            lanes[role] = (
                ORIGIN_X + POOL_LABEL_W,
                lane_top,
                pool_right - ORIGIN_X - POOL_LABEL_W,
                y - lane_top,
            )
    gap_y.append(y - EDGE_PAD - ROW_GAP / 2)
    gap_room.append(ROW_GAP / 2 - 2)
    pool: Rect = (float(ORIGIN_X), float(ORIGIN_Y), pool_right - ORIGIN_X, y - ORIGIN_Y)
    row_of = {nid: row_keys.index((node.role, rows[nid])) for nid, node in g.nodes.items()}

    boxes: dict[str, Box] = {}
    for nid, node in g.nodes.items():
        w, h = sizes[nid]
        c = rank[nid]
        cx = col_left[c] + col_w[c] / 2
        cy = row_center[(node.role, rows[nid])]
        box = Box(cx - w / 2, cy - h / 2, w, h)
        lab = node_labels[nid]
        if lab:
            lw, lh = lab
            if node.kind in ("xor", "and"):
                box.label = (cx - lw / 2, box.y - LABEL_GAP - lh, lw, lh)
            else:
                box.label = (cx - lw / 2, box.y + h + LABEL_GAP, lw, lh)
        boxes[nid] = box

    occupied: dict[tuple[int, int], str] = {(row_of[n], rank[n]): n for n in g.nodes}

    # Routes as symbolic points: ("x", value) is fixed; ("ch", c, key) sits on a track of
    # channel c; ("gap", k, key) on a track of gap k.
    routes: dict[str, list[tuple[Coord, Coord]]] = {}
    right_used: set[str] = set()
    ordered = sorted(g.flows, key=lambda f: (f.source, abs(row_of[f.target] - row_of[f.source])))
    for flow in ordered:
        s, t = boxes[flow.source], boxes[flow.target]
        cs, ct = rank[flow.source], rank[flow.target]
        rs, rt = row_of[flow.source], row_of[flow.target]
        kind = g.nodes[flow.source].kind
        fixed = lambda v: ("x", v)  # noqa: E731
        into = [(("ch", ct, f"in:{flow.target}"), fixed(t.cy)), (fixed(t.x), fixed(t.cy))]
        if flow.id in back:
            k = rs + 1
            gap = ("gap", k, f"back:{flow.id}")
            routes[flow.id] = [
                (fixed(s.cx), fixed(s.y + s.h)),
                (fixed(s.cx), gap),
                (("ch", ct, f"in:{flow.target}"), gap),
                *into,
            ]
            continue
        clear = rs == rt and all((rs, c) not in occupied for c in range(cs + 1, ct))
        gateway = kind in ("xor", "and")
        if clear and not (gateway and flow.source in right_used):
            right_used.add(flow.source)
            routes[flow.id] = [(fixed(s.x + s.w), fixed(s.cy)), (fixed(t.x), fixed(t.cy))]
            continue
        if gateway and rt >= rs:
            # Down (or the same row, blocked): out of the bottom vertex, along the gap below.
            gap = ("gap", rs + 1, f"out:{flow.id}")
            routes[flow.id] = [
                (fixed(s.cx), fixed(s.y + s.h)),
                (fixed(s.cx), gap),
                (("ch", ct, f"in:{flow.target}"), gap),
                *into,
            ]
            continue
        right_used.add(flow.source)
        start = (fixed(s.x + s.w), fixed(s.cy))
        if ct == cs + 1:
            routes[flow.id] = [start, (("ch", ct, f"in:{flow.target}"), fixed(s.cy)), *into]
            continue
        k = rt if rt > rs else rt + 1  # the gap next to the target, on the source's side
        gap = ("gap", k, f"fwd:{flow.id}")
        exit_ch = ("ch", cs + 1, f"out:{flow.source}:{k}")
        routes[flow.id] = [
            start,
            (exit_ch, fixed(s.cy)),
            (exit_ch, gap),
            (("ch", ct, f"in:{flow.target}"), gap),
            *into,
        ]

    # Tracks: collect each channel's vertical spans and each gap's horizontal spans.
    def rough(c: Coord) -> float:
        if c[0] == "x":
            return c[1]
        if c[0] == "ch":
            return channel_x[c[1]]
        return gap_y[c[1]]

    ch_spans: dict[int, list[tuple[float, float, str]]] = defaultdict(list)
    gap_spans: dict[int, list[tuple[float, float, str]]] = defaultdict(list)
    for route in routes.values():
        for (ax, ay), (bx, by) in itertools.pairwise(route):
            if ax[0] == "ch" and ax == bx:
                ch_spans[ax[1]].append((rough(ay), rough(by), ax[2]))
            if ay[0] == "gap" and ay == by:
                gap_spans[ay[1]].append((rough(ax), rough(bx), ay[2]))
    ch_track = {c: _tracks(spans) for c, spans in ch_spans.items()}
    gap_track = {k: _tracks(spans) for k, spans in gap_spans.items()}

    def resolve(c: Coord) -> float:
        if c[0] == "x":
            return float(c[1])
        if c[0] == "ch":
            return channel_x[c[1]] + _offset(ch_track.get(c[1], {}).get(c[2], 0), CHANNEL_W / 2 - 6)
        return gap_y[c[1]] + _offset(gap_track.get(c[1], {}).get(c[2], 0), gap_room[c[1]] - 4)

    waypoints: dict[str, list[Point]] = {}
    for flow in g.flows:
        pts = [(resolve(a), resolve(b)) for a, b in routes[flow.id]]
        clean: list[Point] = []
        for p in pts:  # drop repeated points and the middle of straight runs
            if clean and p == clean[-1]:
                continue
            if len(clean) >= 2 and (
                (clean[-2][0] == clean[-1][0] == p[0]) or (clean[-2][1] == clean[-1][1] == p[1])
            ):
                clean[-1] = p
                continue
            clean.append(p)
        waypoints[flow.id] = clean

    labels = _place_flow_labels(g, boxes, waypoints, pool)
    return Layout(pool, lanes, boxes, waypoints, labels, back)


def _place_flow_labels(
    g: Graph, boxes: dict[str, Box], waypoints: dict[str, list[Point]], pool: Rect
) -> dict[str, Rect]:
    """Put each named flow's label beside one of its own segments, clear of everything."""
    blocked: list[Rect] = [b.rect for b in boxes.values()]
    blocked += [b.label for b in boxes.values() if b.label]
    segments = [(p, q) for pts in waypoints.values() for p, q in itertools.pairwise(pts)]
    inner = (pool[0] + POOL_LABEL_W + LANE_LABEL_W, pool[1], pool[2] - 60, pool[3])
    placed: dict[str, Rect] = {}

    def inside(r: Rect) -> bool:
        return (
            r[0] >= inner[0]
            and r[1] >= inner[1]
            and r[0] + r[2] <= inner[0] + inner[2]
            and r[1] + r[3] <= inner[1] + inner[3]
        )

    def free(r: Rect, *, edges: bool) -> bool:
        if not inside(r):
            return False
        if any(overlaps(r, b, 2) for b in blocked):
            return False
        return not edges or not any(segment_hits(p, q, r, 2) for p, q in segments)

    for flow in g.flows:
        if not flow.name:
            continue
        w, h = label_size(flow.name, FLOW_LABEL_W)
        pts = waypoints[flow.id]
        candidates: list[Rect] = []
        for p, q in itertools.pairwise(pts):
            if p[1] == q[1]:  # horizontal: above or below, near its start, then its middle
                direction = 1 if q[0] >= p[0] else -1
                for x0 in (p[0] + direction * 8, (p[0] + q[0]) / 2):
                    lx = x0 if direction > 0 else x0 - w
                    if x0 == (p[0] + q[0]) / 2:
                        lx = x0 - w / 2
                    candidates += [(lx, p[1] - 4 - h, w, h), (lx, p[1] + 4, w, h)]
            else:  # vertical: right or left, near its start, then its middle
                direction = 1 if q[1] >= p[1] else -1
                for y0 in (p[1] + direction * 6, (p[1] + q[1]) / 2 - h / 2):
                    ly = y0 if direction > 0 or y0 != p[1] + direction * 6 else y0 - h
                    candidates += [(p[0] + 5, ly, w, h), (p[0] - 5 - w, ly, w, h)]
        chosen = next((r for r in candidates if free(r, edges=True)), None)
        if chosen is None:
            chosen = _spiral(pts[0], w, h, lambda r: free(r, edges=True))
        if chosen is None:
            chosen = next((r for r in candidates if free(r, edges=False)), None)
        if chosen is None:
            chosen = _spiral(pts[0], w, h, lambda r: free(r, edges=False))
        if chosen is None:  # nowhere free inside the pool: stand clear above it
            chosen = (pts[0][0], pool[1] - h - 4 - sum(r[3] + 4 for r in placed.values()), w, h)
        placed[flow.id] = chosen
        blocked.append(chosen)
    return placed


def _spiral(origin: Point, w: float, h: float, ok) -> Rect | None:  # type: ignore[no-untyped-def]
    """The first rectangle around ``origin`` (growing rings, 10 px steps) that ``ok`` accepts."""
    ox, oy = origin
    for radius in range(10, 400, 10):
        for dx in range(-radius, radius + 1, 10):
            for dy in (-radius, radius):
                for r in ((ox + dx, oy + dy, w, h), (ox + dy, oy + dx, w, h)):
                    if ok(r):
                        return r
    return None
