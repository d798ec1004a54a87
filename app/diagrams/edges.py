"""Drawing of BPMN connections: sequence flows, message flows, associations and data associations."""

import math

from .icons import INK, PAPER, envelope
from .model import Document, Edge, bpmn, local
from .shapes import ACTIVITIES
from .text import el, points

Point = tuple[float, float]
DOTTED = {"stroke-dasharray": "0.5 5", "stroke-linecap": "round"}  # associations are dotted, not dashed
SHADED = "#c6c9cf"  # a non-initiating message's envelope


def _unit(a: Point, b: Point) -> tuple[Point, Point]:
    """Unit vector from a to b and its left normal; (0, 0) for a zero-length segment."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy) or 1.0
    u = (dx / length, dy / length)
    return u, (-u[1], u[0])


def _last_segment(pts: list[Point]) -> tuple[Point, Point]:
    """The last segment of non-zero length, so duplicate end points cannot turn the arrowhead."""
    for index in range(len(pts) - 1, 0, -1):
        if pts[index] != pts[index - 1]:
            return pts[index - 1], pts[index]
    return pts[0], pts[-1]


def _first_segment(pts: list[Point]) -> tuple[Point, Point]:
    start, end = _last_segment(list(reversed(pts)))
    return end, start


def _head(tail: Point, tip: Point, length=11.0, half=4.0) -> list[Point]:
    (ux, uy), (nx, ny) = _unit(tail, tip)
    base = (tip[0] - ux * length, tip[1] - uy * length)
    return [tip, (base[0] + nx * half, base[1] + ny * half), (base[0] - nx * half, base[1] - ny * half)]


def _line(g, pts: list[Point], **attrs):
    base = {"class": "bpmn-line", "points": points(pts), "fill": "none", "stroke": INK, "stroke-width": 1.5}
    el(g, "polyline", {**base, "stroke-linejoin": "round", **attrs})


def _filled_head(g, pts: list[Point], fill=INK):
    tail, tip = _last_segment(pts)
    # Hollow decorations keep their white fill when a state recolours the flow.
    css = "bpmn-head" if fill == INK else "bpmn-head-open"
    el(g, "polygon", {"class": css, "points": points(_head(tail, tip)), "fill": fill, "stroke": INK})


def _open_head(g, tail: Point, tip: Point):
    corners = _head(tail, tip, length=10, half=5)
    chevron = [corners[1], corners[0], corners[2]]
    el(
        g,
        "polyline",
        {"class": "bpmn-head-open", "points": points(chevron), "fill": "none", "stroke": INK, "stroke-width": 1.5},
    )


def draw_edge(g, edge: Edge, doc: Document):
    kind = edge.kind
    if kind == "sequenceFlow":
        _sequence_flow(g, edge, doc)
    elif kind == "messageFlow":
        _message_flow(g, edge.points)
        _message(g, edge)
    elif kind in ("dataInputAssociation", "dataOutputAssociation"):
        _line(g, edge.points, **DOTTED)
        _open_head(g, *_last_segment(edge.points))
    else:
        _association(g, edge)


def _sequence_flow(g, edge: Edge, doc: Document):
    pts = edge.points
    _line(g, pts)
    _filled_head(g, pts)
    source = doc.ref(edge.element.get("sourceRef"))
    if source is None:
        return
    start, towards = _first_segment(pts)
    (ux, uy), (nx, ny) = _unit(start, towards)
    if source.get("default") == edge.id:
        # The default flow: a slash across the line near its source.
        cx, cy = start[0] + ux * 10, start[1] + uy * 10
        dx, dy = nx * 6 - ux * 4, ny * 6 - uy * 4
        el(g, "line", {"class": "bpmn-line", "x1": cx - dx, "y1": cy - dy, "x2": cx + dx, "y2": cy + dy, "stroke": INK})
    elif bpmn(edge.element, "conditionExpression") and local(source) in ACTIVITIES:
        # A conditional flow out of an activity: a small diamond at its source.
        mid = (start[0] + ux * 8, start[1] + uy * 8)
        diamond = [start, (mid[0] + nx * 5, mid[1] + ny * 5), (start[0] + ux * 16, start[1] + uy * 16)]
        diamond.append((mid[0] - nx * 5, mid[1] - ny * 5))
        el(g, "polygon", {"class": "bpmn-head-open", "points": points(diamond), "fill": PAPER, "stroke": INK})


def _message_flow(g, pts: list[Point]):
    _line(g, pts, **{"stroke-dasharray": "10 6"})
    start, towards = _first_segment(pts)
    (ux, uy), _ = _unit(start, towards)
    circle = {"cx": start[0] + ux * 5, "cy": start[1] + uy * 5, "r": 4.5, "fill": PAPER, "stroke": INK}
    el(g, "circle", {"class": "bpmn-head-open", **circle, "stroke-width": 1.5})
    _filled_head(g, pts, fill=PAPER)


def _message(g, edge: Edge):
    """The message a flow carries, as an envelope on its middle: white when it initiates, shaded when it answers."""
    visible = edge.di.get("messageVisibleKind") if edge.di is not None else None
    if visible is None and not edge.element.get("messageRef"):
        return
    x, y = _halfway(edge.points)
    letter = el(g, "g", {"class": f"bpmn-message {visible or 'initiating'}"})
    envelope(letter, x - 10, y - 7, 20, 14, filled=False, fill=SHADED if visible == "non_initiating" else None)


def _halfway(pts: list[Point]) -> Point:
    """The point half the path's length from its start."""
    lengths = [math.dist(a, b) for a, b in zip(pts, pts[1:], strict=False)]
    left = sum(lengths) / 2
    for (a, b), length in zip(zip(pts, pts[1:], strict=False), lengths, strict=True):
        if length and left <= length:
            return a[0] + (b[0] - a[0]) * left / length, a[1] + (b[1] - a[1]) * left / length
        left -= length
    return pts[-1]


def _association(g, edge: Edge):
    pts = edge.points
    _line(g, pts, **DOTTED)
    direction = edge.element.get("associationDirection", "None")
    if direction in ("One", "Both"):
        _open_head(g, *_last_segment(pts))
    if direction == "Both":
        start, towards = _first_segment(pts)
        _open_head(g, towards, start)
