"""Small BPMN markers: task types, event definitions, gateway kinds, activity markers (loop, multi-instance, [+])."""

import math

from .text import INK, PAPER, el, num, points


def _group(parent, x: float, y: float, scale: float = 1.0, css: str = "bpmn-marker"):
    transform = f"translate({num(x)} {num(y)})" + (f" scale({num(scale)})" if scale != 1 else "")
    return el(parent, "g", {"class": css, "transform": transform})


def _path(parent, d: str, fill=PAPER, width=1.0, **extra):
    return el(parent, "path", {"d": d, "fill": fill, "stroke": INK, "stroke-width": width, **extra})


# --- task type markers, drawn in a 16×16 box at the task's top-left corner ---


def _user(g):
    _path(g, "M1,16 C1,9.5 15,9.5 15,16 Z")
    el(g, "circle", {"cx": 8, "cy": 5, "r": 3.6, "fill": PAPER, "stroke": INK, "stroke-width": 1})


def _script(g):
    _path(g, "M4,1 H14 C10,4 10,6 12,8 C14,10 14,12 11,15 H1 C4,12 4,10 2,8 C0,6 0,4 4,1 Z")
    _path(g, "M4.5,4.5 H10.5 M4.5,7.5 H10.5 M4.5,10.5 H10.5", fill="none")


def _service(g):
    teeth = []
    for tooth in range(8):
        angle = tooth * 45
        for radius, offset in ((5.6, -15), (7.8, -9), (7.8, 9), (5.6, 15)):
            rad = math.radians(angle + offset)
            teeth.append((8 + radius * math.cos(rad), 8 + radius * math.sin(rad)))
    el(g, "polygon", {"points": points(teeth), "fill": PAPER, "stroke": INK, "stroke-width": 1})
    el(g, "circle", {"cx": 8, "cy": 8, "r": 2.4, "fill": PAPER, "stroke": INK, "stroke-width": 1})


def envelope(g, x: float, y: float, w: float, h: float, filled: bool, fill: str | None = None):
    """A letter: outlined for receiving, black for sending; `fill` for another shade of paper."""
    body = fill or (INK if filled else PAPER)
    el(g, "rect", {"x": x, "y": y, "width": w, "height": h, "fill": body, "stroke": INK})
    flap = f"M{num(x)},{num(y)} L{num(x + w / 2)},{num(y + h * 0.55)} L{num(x + w)},{num(y)}"
    _path(g, flap, fill="none", stroke=PAPER if filled else INK)


def _business_rule(g):
    el(g, "rect", {"x": 0.5, "y": 2.5, "width": 15, "height": 11, "fill": PAPER, "stroke": INK})
    el(g, "rect", {"x": 0.5, "y": 2.5, "width": 15, "height": 3, "fill": INK, "stroke": INK})
    _path(g, "M0.5,9.5 H15.5 M5,5.5 V13.5", fill="none")


def _manual(g):
    # A flat hand pointing right: four fingers stacked above the palm.
    hand = (
        "M1,6.5 L4,4.5 C5,3.5 6,3 7.5,3 H13.5 A1.2,1.2 0 0 1 13.5,5.4 H9 H14.5 A1.2,1.2 0 0 1 14.5,7.8 H9"
        " H14 A1.2,1.2 0 0 1 14,10.2 H9 H12.5 A1.2,1.2 0 0 1 12.5,12.6 H4 L1,11 Z"
    )
    _path(g, hand, **{"stroke-linejoin": "round"})


TASK_MARKERS = {
    "userTask": _user,
    "scriptTask": _script,
    "serviceTask": _service,
    "sendTask": lambda g: envelope(g, 0.5, 3, 15, 10, filled=True),
    "receiveTask": lambda g: envelope(g, 0.5, 3, 15, 10, filled=False),
    "businessRuleTask": _business_rule,
    "manualTask": _manual,
}


def task_marker(parent, kind: str, x: float, y: float):
    """Draw the type marker of a `kind` task at its top-left corner; False when the kind has none."""
    draw = TASK_MARKERS.get(kind)
    if draw:
        draw(_group(parent, x + 6, y + 6))
    return draw is not None


# --- event definition markers, drawn around (0, 0) for an event of radius 18 ---


def _timer(g, filled):
    el(g, "circle", {"cx": 0, "cy": 0, "r": 10.5, "fill": PAPER, "stroke": INK, "stroke-width": 1.5})
    ticks = []
    for hour in range(12):
        cos, sin = math.cos(math.radians(hour * 30)), math.sin(math.radians(hour * 30))
        ticks.append(f"M{num(8.5 * cos)},{num(8.5 * sin)} L{num(10.5 * cos)},{num(10.5 * sin)}")
    _path(g, " ".join(ticks), fill="none")
    _path(g, "M0,0 L0,-7 M0,0 L5,2", fill="none", width=1.5)


def _message(g, filled):
    envelope(g, -9, -6.5, 18, 13, filled)


def _terminate(g, filled):
    el(g, "circle", {"cx": 0, "cy": 0, "r": 10, "fill": INK, "stroke": INK})


def _shape(coordinates):
    def draw(g, filled):
        el(
            g,
            "polygon",
            {"points": points(coordinates), "fill": INK if filled else PAPER, "stroke": INK, "stroke-width": 1.5},
        )

    return draw


def _conditional(g, filled):
    el(g, "rect", {"x": -7, "y": -9, "width": 14, "height": 18, "fill": PAPER, "stroke": INK, "stroke-width": 1.5})
    _path(g, "M-4,-5 H4 M-4,-1 H4 M-4,3 H4 M-4,6.5 H4", fill="none")


def _compensation(g, filled):
    fill = INK if filled else PAPER
    for tip in (-9, -1):
        el(g, "polygon", {"points": points([(tip, 0), (tip + 8, -6), (tip + 8, 6)]), "fill": fill, "stroke": INK})


def _cancel(g, filled):
    _path(g, "M-6.5,-6.5 L6.5,6.5 M6.5,-6.5 L-6.5,6.5", fill="none", width=3.5 if filled else 2.5)


def _pentagon(radius: float, cy: float = 0.0):
    return [
        (radius * math.cos(math.radians(-90 + 72 * k)), cy + radius * math.sin(math.radians(-90 + 72 * k)))
        for k in range(5)
    ]


EVENT_MARKERS = {
    "timerEventDefinition": _timer,
    "messageEventDefinition": _message,
    "terminateEventDefinition": _terminate,
    "errorEventDefinition": _shape([(-8, 8), (-3.5, -7), (1.5, 1), (7.5, -8.5), (3, 7), (-2, -1)]),
    "signalEventDefinition": _shape([(0, -9.5), (9, 6.5), (-9, 6.5)]),
    "escalationEventDefinition": _shape([(0, -9), (7, 8.5), (0, 2.5), (-7, 8.5)]),
    "conditionalEventDefinition": _conditional,
    "linkEventDefinition": _shape([(-8, -3.5), (1.5, -3.5), (1.5, -8), (9, 0), (1.5, 8), (1.5, 3.5), (-8, 3.5)]),
    "compensateEventDefinition": _compensation,
    "cancelEventDefinition": _cancel,
    "multiple": _shape(_pentagon(9.5, 1)),
    "parallelMultiple": _shape(
        [
            (-2.5, -9),
            (2.5, -9),
            (2.5, -2.5),
            (9, -2.5),
            (9, 2.5),
            (2.5, 2.5),
            (2.5, 9),
            (-2.5, 9),
            (-2.5, 2.5),
            (-9, 2.5),
            (-9, -2.5),
            (-2.5, -2.5),
        ]
    ),
}


def event_marker(parent, definition: str, cx: float, cy: float, radius: float, filled: bool):
    draw = EVENT_MARKERS.get(definition)
    if draw:
        draw(_group(parent, cx, cy, radius / 18), filled)


# --- gateway markers, drawn around (0, 0) for a 50×50 diamond ---


def _cross(g, arms: str, width=4.0):
    _path(g, arms, fill="none", width=width, **{"stroke-linecap": "square"})


def _event_based(g, parallel: bool, instantiate: bool):
    el(g, "circle", {"cx": 0, "cy": 0, "r": 12, "fill": "none", "stroke": INK, "stroke-width": 1})
    if not instantiate:
        el(g, "circle", {"cx": 0, "cy": 0, "r": 9.5, "fill": "none", "stroke": INK, "stroke-width": 1})
    if parallel:
        _cross(g, "M0,-6.5 V6.5 M-6.5,0 H6.5", width=2.5)
    else:
        el(g, "polygon", {"points": points(_pentagon(6.5, 0.5)), "fill": "none", "stroke": INK, "stroke-width": 1.5})


def gateway_marker(parent, kind: str, cx: float, cy: float, size: float, *, marker_visible=True, element=None):
    g = _group(parent, cx, cy, size / 50)
    if kind == "exclusiveGateway" and marker_visible:
        _cross(g, "M-7,-7 L7,7 M7,-7 L-7,7", width=3.5)
    elif kind == "parallelGateway":
        _cross(g, "M0,-11 V11 M-11,0 H11")
    elif kind == "inclusiveGateway":
        el(g, "circle", {"cx": 0, "cy": 0, "r": 10.5, "fill": "none", "stroke": INK, "stroke-width": 2.5})
    elif kind == "complexGateway":
        _cross(g, "M0,-11 V11 M-11,0 H11 M-7.5,-7.5 L7.5,7.5 M7.5,-7.5 L-7.5,7.5", width=3)
    elif kind == "eventBasedGateway":
        parallel = element is not None and element.get("eventGatewayType") == "Parallel"
        _event_based(g, parallel, element is not None and element.get("instantiate") == "true")


# --- activity markers at the bottom centre, each in a 14×14 box ---


def _sub_process(g):
    el(g, "rect", {"x": 0.5, "y": 0.5, "width": 13, "height": 13, "fill": PAPER, "stroke": INK})
    _path(g, "M7,3.5 V10.5 M3.5,7 H10.5", fill="none", width=1.5)


def _parallel_mi(g):
    for x in (2, 6, 10):
        el(g, "rect", {"x": x, "y": 1, "width": 2, "height": 12, "fill": INK})


def _sequential_mi(g):
    for y in (2, 6, 10):
        el(g, "rect", {"x": 1, "y": y, "width": 12, "height": 2, "fill": INK})


def _loop(g):
    _path(g, "M4,12.5 A5.5,5.5 0 1 1 10,12.5", fill="none", width=1.5)
    el(g, "polygon", {"points": "10,8.5 10,13 14,12", "fill": INK})


def _ad_hoc(g):
    _path(g, "M1,9 C3,4 6,4 7,7 C8,10 11,10 13,5", fill="none", width=1.5)


def _compensation_marker(g):
    for tip in (1, 7):
        el(g, "polygon", {"points": points([(tip, 7), (tip + 6, 3), (tip + 6, 11)]), "fill": PAPER, "stroke": INK})


ACTIVITY_MARKERS = {
    "subProcess": _sub_process,
    "parallel": _parallel_mi,
    "sequential": _sequential_mi,
    "loop": _loop,
    "adHoc": _ad_hoc,
    "compensation": _compensation_marker,
}


def activity_markers(parent, names: list[str], cx: float, bottom: float):
    """Markers side by side, centred at the bottom edge, in the order given."""
    left = cx - (len(names) * 18 - 4) / 2
    for index, name in enumerate(names):
        ACTIVITY_MARKERS[name](_group(parent, left + index * 18, bottom - 18))
