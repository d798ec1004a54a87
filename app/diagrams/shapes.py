"""Drawing of BPMN shapes (pools, lanes, activities, events, gateways, data, artifacts) into an element's group."""

from .icons import INK, PAPER, activity_markers, event_marker, gateway_marker, task_marker
from .model import BPMN, Bounds, Document, Shape, bpmn, local
from .text import FONT_SIZE, block_height, centred_text, el, fit, num, points, rotated_text, text_block

TASKS = {
    "task",
    "userTask",
    "scriptTask",
    "serviceTask",
    "sendTask",
    "receiveTask",
    "businessRuleTask",
    "manualTask",
}
SUB_PROCESSES = {"subProcess", "transaction", "adHocSubProcess"}
ACTIVITIES = TASKS | SUB_PROCESSES | {"callActivity"}
EXPANDABLE = SUB_PROCESSES | {"callActivity"}  # drawn open, holding their children, when the DI says so
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
GATEWAYS = {"exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway"}
DATA = {"dataObjectReference", "dataObject", "dataStoreReference", "dataInput", "dataOutput"}
# Elements whose name is written outside the shape (under it by default), as modelling tools do.
EXTERNAL_LABELS = EVENTS | GATEWAYS | DATA | {"group"}
BAND = 30  # width of a pool's or lane's name band
MARKER_SPACE = 22  # a task type marker's height from the top edge
BODY = {"class": "bpmn-body", "fill": PAPER, "stroke": INK}


def _rect(b: Bounds, **attrs) -> dict:
    return {"x": b.x, "y": b.y, "width": b.width, "height": b.height, **BODY, **attrs}


def draw_shape(g, shape: Shape, doc: Document, expanded: bool):
    """Draw `shape` into its element group `g`."""
    kind = shape.kind
    if kind == "participant":
        _participant(g, shape, doc)
    elif kind == "lane":
        _lane(g, shape, doc)
    elif kind in ACTIVITIES:
        _activity(g, shape, doc, expanded)
    elif kind in EVENTS:
        _event(g, shape, doc)
    elif kind in GATEWAYS:
        _gateway(g, shape)
    elif kind in ("dataObjectReference", "dataObject", "dataInput", "dataOutput"):
        _data_object(g, shape, doc)
    elif kind == "dataStoreReference":
        _data_store(g, shape.bounds)
    elif kind == "textAnnotation":
        _annotation(g, shape, doc)
    elif kind == "group":
        el(g, "rect", _rect(shape.bounds, rx=10, fill="none", **{"stroke-dasharray": "10 4 2 4", "stroke-width": 1.5}))
    else:
        # Anything else BPMN allows a shape for (e.g. a choreography): a plain box, still named.
        b = shape.bounds
        el(g, "rect", _rect(b, rx=4, **{"stroke-dasharray": "4 3"}))
        centred_text(g, doc.name(shape.element), b.cx, b.cy, b.width - 10, b.height)


def _horizontal(shape: Shape) -> bool:
    return shape.di.get("isHorizontal", "true") != "false"


def _participant(g, shape: Shape, doc: Document):
    b, name = shape.bounds, doc.name(shape.element)
    el(g, "rect", _rect(b, **{"stroke-width": 1.5}))
    if not shape.element.get("processRef"):
        # A black-box pool: no content, the name in the middle.
        centred_text(g, name, b.cx, b.cy, b.width - 20, b.height)
    elif _horizontal(shape):
        el(
            g,
            "line",
            {"x1": b.x + BAND, "y1": b.y, "x2": b.x + BAND, "y2": b.bottom, "stroke": INK, "stroke-width": 1.5},
        )
        rotated_text(g, name, b.x + BAND / 2, b.cy, b.height - 10, BAND - 2)
    else:
        el(
            g,
            "line",
            {"x1": b.x, "y1": b.y + BAND, "x2": b.right, "y2": b.y + BAND, "stroke": INK, "stroke-width": 1.5},
        )
        centred_text(g, name, b.cx, b.y + BAND / 2, b.width - 10, BAND - 2)


def _lane(g, shape: Shape, doc: Document):
    b, name = shape.bounds, doc.name(shape.element)
    el(g, "rect", _rect(b, fill="none", **{"stroke-width": 1}))
    if _horizontal(shape):
        rotated_text(g, name, b.x + BAND / 2, b.cy, b.height - 10, BAND)
    else:
        centred_text(g, name, b.cx, b.y + BAND / 2, b.width - 10, BAND)


def _activity(g, shape: Shape, doc: Document, expanded: bool):
    b, element, kind = shape.bounds, shape.element, shape.kind
    attrs = _rect(b, rx=10, **{"stroke-width": 5 if kind == "callActivity" else 2})
    event_sub_process = element.get("triggeredByEvent") == "true"
    if event_sub_process:
        attrs.update({"stroke-dasharray": "1.5 3", "stroke-linecap": "round", "stroke-width": 1.5})
    el(g, "rect", attrs)
    if kind == "transaction":
        inner = Bounds(b.x + 3, b.y + 3, b.width - 6, b.height - 6)
        el(g, "rect", _rect(inner, rx=7, fill="none", **{"class": "bpmn-inner", "stroke-width": 1.5}))
    name, markers = doc.name(element), _markers(element, kind, expanded)
    if expanded:
        # An open activity holds its children: the name goes in the top-left corner.
        lines, size, _ = fit(name, b.width - 20, min(b.height - 14, 3 * FONT_SIZE * 1.2))
        text_block(g, lines, b.x + 10, b.y + 7, size=size, anchor="start")
    else:
        corner = _trigger(g, element, doc, b) if event_sub_process else task_marker(g, kind, b.x, b.y)
        _activity_name(g, name, b, corner, bool(markers))
    activity_markers(g, markers, b.cx, b.bottom)


def _trigger(g, element, doc: Document, b: Bounds) -> bool:
    """A collapsed event sub-process shows its start event's trigger in the top-left corner."""
    starts = bpmn(element, "startEvent")
    definitions = event_definitions(starts[0], doc) if starts else []
    if not definitions:
        return False
    dash = {"stroke-dasharray": "3 2"} if starts[0].get("isInterrupting") == "false" else {}
    el(g, "circle", {"cx": b.x + 14, "cy": b.y + 14, "r": 9, **BODY, "class": "bpmn-trigger", **dash})
    event_marker(g, _event_marker(starts[0], definitions), b.x + 14, b.y + 14, 9, filled=False)
    return True


def _activity_name(g, name: str, b: Bounds, type_marker: bool, bottom_markers: bool):
    """Centred in the box, clear of the type and bottom markers when the text fits there; whole words, the font
    shrunk a little before anything is cut."""
    top = b.y + (MARKER_SPACE if type_marker else 5)
    room = b.bottom - (MARKER_SPACE - 2 if bottom_markers else 5) - top
    lines, size, fitted = fit(name, b.width - 12, room)
    if not fitted:
        top, room = b.y + 5, b.height - 10
        lines, size, _ = fit(name, b.width - 12, room)
    text_block(g, lines, b.cx, top + (room - block_height(lines, size)) / 2, size=size)


def _markers(element, kind: str, expanded: bool) -> list[str]:
    names = []
    multi = bpmn(element, "multiInstanceLoopCharacteristics")
    if multi:
        names.append("sequential" if multi[0].get("isSequential") == "true" else "parallel")
    elif bpmn(element, "standardLoopCharacteristics"):
        names.append("loop")
    if not expanded and kind in EXPANDABLE:
        names.append("subProcess")
    if element.get("isForCompensation") == "true":
        names.append("compensation")
    if kind == "adHocSubProcess":
        names.append("adHoc")
    return names


def event_definitions(element, doc: Document) -> list[str]:
    """Kinds of an event's definitions, inline or referenced by eventDefinitionRef."""
    kinds = [
        local(child) for child in element if isinstance(child.tag, str) and local(child).endswith("EventDefinition")
    ]
    for ref in element.findall(f"{{{BPMN}}}eventDefinitionRef"):
        target = doc.ref(ref.text)
        if target is not None:
            kinds.append(local(target))
    return kinds


def _event(g, shape: Shape, doc: Document):
    b, element, kind = shape.bounds, shape.element, shape.kind
    cx, cy, radius = b.cx, b.cy, min(b.width, b.height) / 2
    non_interrupting = (kind == "boundaryEvent" and element.get("cancelActivity") == "false") or (
        kind == "startEvent" and element.get("isInterrupting") == "false"
    )
    dash = {"stroke-dasharray": "5.5 3"} if non_interrupting else {}
    if kind == "endEvent":
        # A thick rim, thinner on small events so a 15 px end event is not a solid dot.
        el(g, "circle", {"cx": cx, "cy": cy, "r": radius, **BODY, "stroke-width": max(2.0, min(4.0, radius / 4.5))})
    elif kind == "startEvent":
        el(g, "circle", {"cx": cx, "cy": cy, "r": radius, **BODY, "stroke-width": 2, **dash})
    else:
        el(g, "circle", {"cx": cx, "cy": cy, "r": radius, **BODY, "stroke-width": 1.5, **dash})
        inner = {"cx": cx, "cy": cy, "r": radius - 3, "fill": "none", "stroke": INK, "stroke-width": 1.5}
        el(g, "circle", {**inner, "class": "bpmn-inner", **dash})
    definitions = event_definitions(element, doc)
    if definitions:
        filled = kind in ("endEvent", "intermediateThrowEvent")
        event_marker(g, _event_marker(element, definitions), cx, cy, radius, filled=filled)


def _event_marker(element, definitions: list[str]) -> str:
    """One definition's own marker; several: the pentagon, or the plus when all must occur (parallelMultiple)."""
    if len(definitions) == 1:
        return definitions[0]
    return "parallelMultiple" if element.get("parallelMultiple") == "true" else "multiple"


def _gateway(g, shape: Shape):
    b = shape.bounds
    corners = [(b.cx, b.y), (b.right, b.cy), (b.cx, b.bottom), (b.x, b.cy)]
    el(g, "polygon", {"points": points(corners), **BODY, "stroke-width": 2, "stroke-linejoin": "round"})
    visible = shape.di.get("isMarkerVisible") != "false"
    size = min(b.width, b.height)
    gateway_marker(g, shape.kind, b.cx, b.cy, size, marker_visible=visible, element=shape.element)


def _data_object(g, shape: Shape, doc: Document):
    b, fold = shape.bounds, min(12.0, shape.bounds.width / 3)
    x, y, r, bottom = b.x, b.y, b.right, b.bottom
    page = f"M{num(x)},{num(y)} H{num(r - fold)} L{num(r)},{num(y + fold)} V{num(bottom)} H{num(x)} Z"
    el(g, "path", {"d": page, **BODY, "stroke-width": 1.5, "stroke-linejoin": "round"})
    corner = f"M{num(r - fold)},{num(y)} V{num(y + fold)} H{num(r)}"
    el(g, "path", {"d": corner, "fill": "none", "stroke": INK, "stroke-width": 1.5})
    # A reference shows its data object's collection flag.
    element = shape.element
    if shape.kind == "dataObjectReference":
        element = doc.ref(element.get("dataObjectRef"))
    if shape.kind in ("dataInput", "dataOutput"):
        # Input: white arrow, output: black arrow, at the top-left.
        arrow = [(0, 3), (6, 3), (6, 0), (12, 5), (6, 10), (6, 7), (0, 7)]
        moved = [(x + 4 + px, y + 4 + py) for px, py in arrow]
        el(g, "polygon", {"points": points(moved), "fill": INK if shape.kind == "dataOutput" else PAPER, "stroke": INK})
    if element is not None and element.get("isCollection") == "true":
        activity_markers(g, ["parallel"], b.cx, bottom)


def _data_store(g, b: Bounds):
    x, w, ry = b.x, b.width, min(10.0, b.height / 5)
    top, bottom, rx = b.y + ry, b.bottom - ry, w / 2
    arc = f"A{num(rx)},{num(ry)} 0 0 0"
    body = (
        f"M{num(x)},{num(top)} {arc} {num(x + w)},{num(top)} V{num(bottom)} {arc} {num(x)},{num(bottom)} Z"
        f" M{num(x)},{num(top)} A{num(rx)},{num(ry)} 0 0 1 {num(x + w)},{num(top)}"
    )
    el(g, "path", {"d": body, **BODY, "stroke-width": 1.5})
    rims = "".join(f" M{num(x)},{num(top + k * 6)} {arc} {num(x + w)},{num(top + k * 6)}" for k in (1, 2))
    el(g, "path", {"d": rims.strip(), "fill": "none", "stroke": INK, "stroke-width": 1.5})


def _annotation(g, shape: Shape, doc: Document):
    b = shape.bounds
    # A transparent body keeps the whole box hoverable; the visible part is the open bracket.
    el(g, "rect", {**_rect(b), "fill": PAPER, "fill-opacity": 0, "stroke": "none"})
    bracket = f"M{num(b.x + 10)},{num(b.y)} H{num(b.x)} V{num(b.bottom)} H{num(b.x + 10)}"
    el(g, "path", {"d": bracket, "fill": "none", "stroke": INK, "stroke-width": 1.5})
    lines, size, _ = fit(doc.name(shape.element), b.width - 10, b.height - 6)
    text_block(g, lines, b.x + 5, b.y + 4, size=size, anchor="start")
