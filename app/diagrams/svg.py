"""Render each BPMNDiagram of a BPMN 2.0 file as a standalone SVG, optionally marking where an instance stands."""

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from .colours import Colours, colours_of, paint
from .edges import draw_edge
from .model import Bounds, Document, Edge, Plane, Shape
from .shapes import EXPANDABLE, EXTERNAL_LABELS, draw_shape
from .text import LABEL_FONT_SIZE, block_height, el, num, text_block, text_width, wrap

STATES = ("completed", "active", "waiting")
MARGIN = 20
LABEL_WIDTH = 90  # the width modelling tools wrap external labels at
SAVED_LINE_HEIGHT = 13.5  # per line of a label box saved by bpmn-js / Camunda Modeler (14, 27, 40 px…)
FONT = "Arial, 'Helvetica Neue', 'DejaVu Sans', 'Noto Sans', sans-serif"

# States restyle the element's main outline (.bpmn-body) and a flow's line and decorations; base styling is in
# presentation attributes, which any CSS rule overrides. An anchored element (a case's current step) is scrolled
# to by a link's #fragment: its scroll margin brings it near the middle of the page and of the diagram's frame.
CSS = """
.bpmn-diagram .state-completed .bpmn-body { fill: #dcf1d8; stroke: #2e7d32; }
.bpmn-diagram .state-active .bpmn-body { stroke: #1565c0; stroke-width: 4px; }
.bpmn-diagram .state-waiting .bpmn-body { stroke: #ef6c00; stroke-width: 3px; stroke-dasharray: 6 4; }
.bpmn-diagram .state-completed .bpmn-line { stroke: #2e7d32; stroke-width: 2.5px; }
.bpmn-diagram .state-active .bpmn-line { stroke: #1565c0; stroke-width: 2.5px; }
.bpmn-diagram .state-waiting .bpmn-line { stroke: #ef6c00; stroke-width: 2.5px; }
.bpmn-diagram .state-completed .bpmn-head { fill: #2e7d32; stroke: #2e7d32; }
.bpmn-diagram .state-active .bpmn-head { fill: #1565c0; stroke: #1565c0; }
.bpmn-diagram .state-waiting .bpmn-head { fill: #ef6c00; stroke: #ef6c00; }
.bpmn-diagram .state-completed .bpmn-head-open { stroke: #2e7d32; }
.bpmn-diagram .state-active .bpmn-head-open { stroke: #1565c0; }
.bpmn-diagram .state-waiting .bpmn-head-open { stroke: #ef6c00; }
.bpmn-diagram .bpmn-element[id] { scroll-margin: 30vh 40vw; }
"""


@dataclass(frozen=True)
class Diagram:
    id: str
    name: str
    svg: str


def render_diagrams(
    xml_bytes: bytes,
    marks: dict[str, str] | None = None,
    *,
    file_name: str = "<bpmn>",
    anchors: dict[str, str] | None = None,
    names: Callable[[str], str] | None = None,
) -> list[Diagram]:
    """One SVG per bpmndi:BPMNDiagram; `marks` maps element ids to "completed", "active" or "waiting";
    `anchors` maps element ids to the id their drawing gets (a page links or scrolls to it, e.g. the current step);
    `names` translates a name (its white space collapsed) into the page's language, for every label, title and
    diagram name drawn: text is fitted to its shape as translated, and a name it returns unchanged is drawn as
    written.

    Raises DiagramError (a ValueError) naming `file_name` and the line for broken XML, a non-BPMN file or bad DI.
    """
    marks = dict(marks or {})
    for element_id, state in marks.items():
        if state not in STATES:
            raise ValueError(f"unknown state {state!r} for {element_id!r}: expected one of {', '.join(STATES)}")
    document = Document(xml_bytes, file_name, names)
    return [_render(document, plane, marks, anchors or {}) for plane in document.planes()]


def _render(doc: Document, plane: Plane, marks: dict[str, str], anchors: dict[str, str]) -> Diagram:
    root = el(None, "svg", {"class": "bpmn-diagram", "version": "1.1", "font-family": FONT})
    el(root, "title", text=plane.name)
    el(root, "style", {"type": "text/css"}, CSS)
    drawing, labels = el(root, "g", {"class": "bpmn-elements"}), el(root, "g", {"class": "bpmn-labels"})
    extent: list[Bounds] = []
    drawn = {shape.id for shape in plane.shapes}
    for layer, item in _layers(plane, doc, drawn):
        g = _element_group(drawing, item, doc.name(item.element), marks.get(item.id), anchors.get(item.id))
        colours = colours_of(item.di)
        if isinstance(item, Shape):
            draw_shape(g, item, doc, layer == "expanded")
            extent.append(item.bounds)
            if item.kind in EXTERNAL_LABELS:
                extent.extend(_shape_label(labels, item, doc, colours))
        else:
            draw_edge(g, item, doc)
            extent.extend(Bounds(x, y, 0, 0) for x, y in item.points)
            extent.extend(_edge_label(labels, item, doc, colours))
        paint(g, colours)
    _fit(root, extent)
    return Diagram(plane.id, plane.name, etree.tostring(root, encoding="unicode"))


def _expanded(shape: Shape, doc: Document, drawn: set[str]) -> bool:
    """Sub-processes and call activities open on this plane: isExpanded when given, else whether a sub-process's
    children are drawn here."""
    if shape.kind not in EXPANDABLE:
        return False
    flag = shape.di.get("isExpanded")
    if flag is not None or shape.kind == "callActivity":
        # A called process may be drawn elsewhere on the plane (its own pool): only the flag opens a call activity.
        return flag == "true"
    return any(child.get("id") in drawn for child in doc.children(shape.element))


def _layers(plane: Plane, doc: Document, drawn: set[str]):
    """Painting order: pools, lanes, open activities (outer first), nodes, flows, boundary events, groups."""
    ordered = []
    for index, shape in enumerate(plane.shapes):
        area = shape.bounds.width * shape.bounds.height
        if shape.kind == "participant":
            ordered.append(((0, -area, index), "pool", shape))
        elif shape.kind == "lane":
            ordered.append(((1, -area, index), "lane", shape))
        elif _expanded(shape, doc, drawn):
            ordered.append(((2, -area, index), "expanded", shape))
        elif shape.kind == "boundaryEvent":
            ordered.append(((5, 0, index), "boundary", shape))
        elif shape.kind == "group":
            ordered.append(((6, 0, index), "group", shape))
        else:
            ordered.append(((3, 0, index), "node", shape))
    ordered += [((4, 0, index), "edge", edge) for index, edge in enumerate(plane.edges)]
    ordered.sort(key=lambda entry: entry[0])
    return [(layer, item) for _, layer, item in ordered]


def _element_group(parent, item: Shape | Edge, name: str, state: str | None, anchor: str | None = None):
    css = f"bpmn-element {item.kind}" + (f" state-{state}" if state else "")
    attributes = {"class": css, "data-element-id": item.id}
    if anchor:
        attributes["id"] = anchor
    g = el(parent, "g", attributes)
    el(g, "title", text=" ".join(name.split()) or item.id)
    return g


def _label(layer, item: Shape | Edge, lines: list[str], cx: float, top: float, anchor="middle", colour=None):
    """An external label in the top layer (readable over flows); returns the area its text covers."""
    if not lines:
        return []
    size = LABEL_FONT_SIZE
    g = el(layer, "g", {"class": "bpmn-label", "data-label-for": item.id})
    text = text_block(g, lines, cx, top, size=size, anchor=anchor)
    if colour:
        text.set("fill", colour)
    span = max(text_width(line, size) for line in lines)
    left = cx - span / 2 if anchor == "middle" else cx
    return [Bounds(left, top, span, block_height(lines, size))]


def _boxed_label(layer, item: Shape | Edge, text: str, box: Bounds, colour: str | None) -> list[Bounds]:
    """A label in the box a modeler saved: its line count is kept when our width estimate allows, else widened."""
    size = LABEL_FONT_SIZE
    lines = wrap(text, box.width, size)
    if len(lines) > max(1, round(box.height / SAVED_LINE_HEIGHT)):
        # Our widths are estimates: allow a little overflow before adding a line the modeler did not have.
        lines = wrap(text, max(box.width, LABEL_WIDTH) * 1.1, size)
    return _label(layer, item, lines, box.cx, box.cy - block_height(lines, size) / 2, colour=colour)


def _shape_label(layer, shape: Shape, doc: Document, colours: Colours) -> list[Bounds]:
    name, b, size, colour = doc.name(shape.element), shape.bounds, LABEL_FONT_SIZE, colours.text
    if shape.label is not None:
        return _boxed_label(layer, shape, name, shape.label, colour)
    if shape.kind == "group":
        return _label(layer, shape, wrap(name, max(b.width - 20, 20), size), b.cx, b.y + 5, colour=colour)
    # Under the shape, growing downwards as long as the name needs, as bpmn-js does.
    return _label(layer, shape, wrap(name, LABEL_WIDTH, size), b.cx, b.bottom + 5, colour=colour)


def _edge_label(layer, edge: Edge, doc: Document, colours: Colours) -> list[Bounds]:
    name, colour = doc.name(edge.element), colours.text
    if edge.label is not None:
        return _boxed_label(layer, edge, name, edge.label, colour)
    lines = wrap(name, LABEL_WIDTH, LABEL_FONT_SIZE)
    (x1, y1), (x2, y2) = _middle_segment(edge.points)
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    # No saved position: above a horizontal segment, right of a vertical one.
    if abs(x2 - x1) >= abs(y2 - y1):
        return _label(layer, edge, lines, mx, my - block_height(lines, LABEL_FONT_SIZE) - 3, colour=colour)
    top = my - block_height(lines, LABEL_FONT_SIZE) / 2
    return _label(layer, edge, lines, mx + 5, top, anchor="start", colour=colour)


def _middle_segment(pts):
    """The segment holding the point halfway along the path."""
    lengths = [abs(b[0] - a[0]) + abs(b[1] - a[1]) for a, b in zip(pts, pts[1:], strict=False)]
    half, walked = sum(lengths) / 2, 0.0
    for index, length in enumerate(lengths):
        walked += length
        if walked >= half:
            return pts[index], pts[index + 1]
    return pts[0], pts[-1]


def _fit(root, extent: list[Bounds]):
    """viewBox around everything drawn, plus a margin; width/height so the file opens at 1:1."""
    if not extent:
        extent = [Bounds(0, 0, 0, 0)]
    left = min(b.x for b in extent) - MARGIN
    top = min(b.y for b in extent) - MARGIN
    width = max(b.right for b in extent) + MARGIN - left
    height = max(b.bottom for b in extent) + MARGIN - top
    root.set("viewBox", f"{num(left)} {num(top)} {num(width)} {num(height)}")
    root.set("width", num(width))
    root.set("height", num(height))
