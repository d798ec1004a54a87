"""Notation details the renderer must draw as BPMN and bpmn-js do: event sub-process triggers, parallel-multiple
events, message envelopes, dotted associations, saved colours, prefixed references."""

import pytest
from lxml import etree

from app.diagrams import DiagramError, render_diagrams

SVG = "http://www.w3.org/2000/svg"
NAMESPACES = (
    'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"'
    ' xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI"'
    ' xmlns:bioc="http://bpmn.io/schema/bpmn/biocolor/1.0"'
    ' xmlns:color="http://www.omg.org/spec/BPMN/non-normative/color/1.0" xmlns:t="urn:test"'
)


def model(semantic: str, layout: str, plane="collab") -> bytes:
    return (
        f'<bpmn:definitions {NAMESPACES} id="d" targetNamespace="urn:test">{semantic}'
        f'<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="{plane}">{layout}'
        "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>"
    ).encode()


def shape(element: str, x, y, w, h, extra="", label="") -> str:
    return (
        f'<bpmndi:BPMNShape id="{element}_di" bpmnElement="{element}" {extra}>'
        f'<dc:Bounds x="{x}" y="{y}" width="{w}" height="{h}"/>{label}</bpmndi:BPMNShape>'
    )


def edge(element: str, points, extra="") -> str:
    waypoints = "".join(f'<di:waypoint x="{x}" y="{y}"/>' for x, y in points)
    return f'<bpmndi:BPMNEdge id="{element}_di" bpmnElement="{element}" {extra}>{waypoints}</bpmndi:BPMNEdge>'


def draw(data: bytes):
    (diagram,) = render_diagrams(data)
    root = etree.fromstring(diagram.svg.encode())
    return diagram.svg, {g.get("data-element-id"): g for g in root.iter(f"{{{SVG}}}g") if g.get("data-element-id")}


def shapes_in(g, tag: str) -> list:
    return list(g.iter(f"{{{SVG}}}{tag}"))


EVENT_SUB_PROCESSES = model(
    '<bpmn:process id="p"><bpmn:startEvent id="s"/>'
    '<bpmn:subProcess id="on_timer" name="Quá hạn xử lý" triggeredByEvent="true">'
    '<bpmn:startEvent id="on_timer_start"><bpmn:timerEventDefinition/></bpmn:startEvent></bpmn:subProcess>'
    '<bpmn:subProcess id="on_message" name="Bổ sung" triggeredByEvent="true">'
    '<bpmn:startEvent id="on_message_start" isInterrupting="false"><bpmn:messageEventDefinition/></bpmn:startEvent>'
    "</bpmn:subProcess>"
    '<bpmn:subProcess id="open" triggeredByEvent="true">'
    '<bpmn:startEvent id="open_start"><bpmn:errorEventDefinition/></bpmn:startEvent></bpmn:subProcess>'
    '<bpmn:subProcess id="plain" name="Thường"/></bpmn:process>',
    shape("s", 0, 0, 36, 36)
    + shape("on_timer", 100, 0, 100, 80, 'isExpanded="false"')
    + shape("on_message", 250, 0, 100, 80, 'isExpanded="false"')
    + shape("open", 400, 0, 200, 120, 'isExpanded="true"')
    + shape("open_start", 420, 40, 36, 36)
    + shape("plain", 650, 0, 100, 80, 'isExpanded="false"'),
    plane="p",
)


def test_event_sub_processes_are_dotted_and_collapsed_ones_show_their_trigger():
    _, found = draw(EVENT_SUB_PROCESSES)
    for element_id in ("on_timer", "on_message", "open"):
        outline = shapes_in(found[element_id], "rect")[0]
        assert outline.get("stroke-dasharray") and outline.get("stroke-linecap") == "round", element_id
    assert not shapes_in(found["plain"], "rect")[0].get("stroke-dasharray")
    # Collapsed: the start event's trigger (timer face; dashed envelope circle when non-interrupting) top-left.
    (timer,) = [c for c in shapes_in(found["on_timer"], "circle") if "bpmn-trigger" in (c.get("class") or "")]
    assert (timer.get("cx"), timer.get("cy")) == ("114", "14") and not timer.get("stroke-dasharray")
    assert len(shapes_in(found["on_timer"], "circle")) == 2  # the trigger and the clock face
    (message,) = [c for c in shapes_in(found["on_message"], "circle") if "bpmn-trigger" in (c.get("class") or "")]
    assert message.get("stroke-dasharray")
    assert any(r.get("width") == "18" for r in shapes_in(found["on_message"], "rect"))  # the envelope
    # Open: its own start event shows the trigger; no corner icon, no [+].
    assert not [c for c in shapes_in(found["open"], "circle")]
    assert not [c for c in shapes_in(found["plain"], "circle")]


def test_parallel_multiple_events_show_the_plus_not_the_pentagon():
    definitions = "<bpmn:messageEventDefinition/><bpmn:signalEventDefinition/>"
    data = model(
        f'<bpmn:process id="p"><bpmn:intermediateCatchEvent id="all" parallelMultiple="true">{definitions}'
        f'</bpmn:intermediateCatchEvent><bpmn:intermediateCatchEvent id="any">{definitions}'
        "</bpmn:intermediateCatchEvent></bpmn:process>",
        shape("all", 0, 0, 36, 36) + shape("any", 100, 0, 36, 36),
        plane="p",
    )
    _, found = draw(data)
    (plus,) = shapes_in(found["all"], "polygon")
    (pentagon,) = shapes_in(found["any"], "polygon")
    assert len(plus.get("points").split()) == 12 and plus.get("fill") == "#ffffff"
    assert len(pentagon.get("points").split()) == 5


COLLABORATION = (
    '<bpmn:collaboration id="collab"><bpmn:participant id="citizen" name="Công dân"/>'
    '<bpmn:participant id="office" name="UBND" processRef="p"/>'
    '<bpmn:messageFlow id="ask" sourceRef="citizen" targetRef="task" messageRef="petition"/>'
    '<bpmn:messageFlow id="answer" sourceRef="task" targetRef="citizen" messageRef="reply"/>'
    '<bpmn:messageFlow id="bare" sourceRef="task" targetRef="citizen"/></bpmn:collaboration>'
    '<bpmn:message id="petition" name="PAKN"/><bpmn:message id="reply" name="Trả lời"/>'
)


def test_message_flows_carry_their_envelope_at_the_middle():
    data = model(
        COLLABORATION + '<bpmn:process id="p"><bpmn:task id="task" name="Xử lý"/></bpmn:process>',
        shape("citizen", 0, 0, 600, 100)
        + shape("office", 0, 200, 600, 200)
        + shape("task", 100, 250, 100, 80)
        + edge("ask", [(120, 100), (120, 250)], 'messageVisibleKind="initiating"')
        + edge("answer", [(180, 330), (180, 360), (300, 360), (300, 100)], 'messageVisibleKind="non_initiating"')
        + edge("bare", [(150, 250), (150, 100)]),
    )
    _, found = draw(data)
    (ask,) = shapes_in(found["ask"], "rect")
    assert (ask.get("x"), ask.get("y"), ask.get("fill")) == ("110", "168", "#ffffff")  # centre (120, 175)
    (answer,) = shapes_in(found["answer"], "rect")
    # Halfway along 30 + 120 + 260 px: 205 px, on the last segment at y = 360 - 55.
    assert (answer.get("x"), answer.get("y")) == ("290", "298") and answer.get("fill") not in ("#ffffff", "#22242a")
    assert not shapes_in(found["bare"], "rect")


def test_associations_are_dotted_with_arrows_as_their_direction_says():
    associations = "".join(
        f'<bpmn:association id="{direction}" sourceRef="note" targetRef="task" associationDirection="{direction}"/>'
        for direction in ("None", "One", "Both")
    )
    data = model(
        f'<bpmn:process id="p"><bpmn:task id="task"/><bpmn:textAnnotation id="note"><bpmn:text>Điều 38</bpmn:text>'
        f"</bpmn:textAnnotation>{associations}</bpmn:process>",
        shape("task", 0, 200, 100, 80)
        + shape("note", 0, 0, 100, 40)
        + "".join(edge(d, [(50 + 10 * i, 40), (50 + 10 * i, 200)]) for i, d in enumerate(("None", "One", "Both"))),
        plane="p",
    )
    _, found = draw(data)
    for direction, heads in (("None", 0), ("One", 1), ("Both", 2)):
        line, *chevrons = shapes_in(found[direction], "polyline")
        dash, gap = map(float, line.get("stroke-dasharray").split())
        assert dash < 1 < gap and line.get("stroke-linecap") == "round", direction
        assert len(chevrons) == heads, direction
    # The second head of a two-way association points at the annotation (up).
    tips = {tuple(c.get("points").split()[1].split(",")) for c in shapes_in(found["Both"], "polyline")[1:]}
    assert tips == {("70", "200"), ("70", "40")}


COLOURED = (
    shape("bioc", 0, 0, 100, 80, 'bioc:fill="#FFE0B2" bioc:stroke="rgb(251, 140, 0)"')
    + shape("omg", 150, 0, 100, 80, 'color:background-color="gold" color:border-color="#06c" bioc:fill="red"')
    + shape(
        "event",
        300,
        20,
        36,
        36,
        'bioc:stroke="#1e88e5"',
        '<bpmndi:BPMNLabel color:color="#43a047"><dc:Bounds x="290" y="60" width="56" height="14"/></bpmndi:BPMNLabel>',
    )
)
ATTACKS = (
    shape("atk1", 0, 100, 100, 80, 'bioc:fill="red&quot; onload=&quot;alert(1)" bioc:stroke="url(javascript:x)"')
    + shape("atk2", 150, 100, 100, 80, 'color:background-color="#fff;}&lt;/style&gt;&lt;script&gt;x()&lt;/script&gt;"')
    + shape(
        "atk3",
        300,
        120,
        36,
        36,
        'color:border-color="expression(alert(1))"',
        '<bpmndi:BPMNLabel color:color="red;background:url(//evil)"><dc:Bounds x="290" y="160" width="56" height="14"/>'
        "</bpmndi:BPMNLabel>",
    )
)


def test_saved_colours_are_drawn_and_anything_else_is_ignored():
    tasks = "".join(f'<bpmn:task id="{i}" name="Việc {i}"/>' for i in ("bioc", "omg", "atk1", "atk2"))
    events = '<bpmn:endEvent id="event" name="Kết thúc"/><bpmn:endEvent id="atk3" name="Hết"/>'
    flow = '<bpmn:sequenceFlow id="flow" sourceRef="bioc" targetRef="omg"/>'
    layout = COLOURED + ATTACKS + edge("flow", [(100, 40), (150, 40)], 'bioc:stroke="#e53935"')
    svg, found = draw(model(f'<bpmn:process id="p">{tasks}{events}{flow}</bpmn:process>', layout, plane="p"))
    line, head = shapes_in(found["flow"], "polyline")[0], shapes_in(found["flow"], "polygon")[0]
    assert line.get("stroke") == head.get("fill") == head.get("stroke") == "#e53935"
    bioc = shapes_in(found["bioc"], "rect")[0]
    assert (bioc.get("fill"), bioc.get("stroke")) == ("#ffe0b2", "rgb(251, 140, 0)")
    assert shapes_in(found["bioc"], "text")[0].get("fill") == "rgb(251, 140, 0)"  # names take the outline's colour
    omg = shapes_in(found["omg"], "rect")[0]
    assert (omg.get("fill"), omg.get("stroke")) == ("gold", "#06c")  # the OMG attributes win, as in bpmn-js
    circle = shapes_in(found["event"], "circle")[0]
    assert (circle.get("stroke"), circle.get("fill")) == ("#1e88e5", "#ffffff")
    root = etree.fromstring(svg.encode())
    (label,) = [g for g in root.iter(f"{{{SVG}}}g") if g.get("data-label-for") == "event"]
    assert label.find(f"{{{SVG}}}text").get("fill") == "#43a047"
    # Attacks: defaults kept, and no value reaches the SVG as markup, CSS or an attribute of its own.
    for element_id in ("atk1", "atk2", "atk3"):
        body = next(n for n in found[element_id].iter() if "bpmn-body" in (n.get("class") or ""))
        assert (body.get("fill"), body.get("stroke")) == ("#ffffff", "#22242a"), element_id
    for needle in ("alert", "javascript", "script", "onload", "expression", "evil", "url("):
        assert needle not in svg, needle
    tags = {etree.QName(n).localname for n in root.iter() if isinstance(n.tag, str)}
    assert tags <= {
        "svg",
        "title",
        "style",
        "g",
        "text",
        "tspan",
        "rect",
        "circle",
        "path",
        "polygon",
        "polyline",
        "line",
    }


PREFIXED = model(
    '<bpmn:process id="p"><bpmn:startEvent id="start"/><bpmn:task id="Task_1" name="Tiếp nhận hồ sơ"/>'
    '<bpmn:sequenceFlow id="f" sourceRef="start" targetRef="Task_1"/></bpmn:process>',
    shape("t:start", 0, 0, 36, 36) + shape("t:Task_1", 100, 0, 100, 80) + edge("t:f", [(36, 18), (100, 40)]),
    plane="t:p",
)


def test_prefixed_references_are_resolved():
    svg, found = draw(PREFIXED)
    assert set(found) == {"start", "Task_1", "f"}
    assert "Tiếp nhận hồ sơ" in " ".join(t for t in etree.fromstring(svg.encode()).itertext())


def test_a_diagram_that_draws_nothing_is_an_error_naming_the_reference():
    data = PREFIXED.replace(b'bpmnElement="t:', b'bpmnElement="other:missing_')
    with pytest.raises(DiagramError, match=r"nothing to draw: none of the 3 .*'other:missing_") as caught:
        render_diagrams(data, file_name="gmm.bpmn")
    assert str(caught.value).startswith("gmm.bpmn:1: ")


def test_names_shrink_a_little_before_words_are_cut_or_an_ellipsis_added():
    long = "Thẩm định hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất và tài sản gắn liền với đất"
    data = model(
        '<bpmn:process id="p"><bpmn:task id="roomy" name="Collapsed Sub-Process"/>'
        f'<bpmn:task id="tight" name="{long}"/></bpmn:process>',
        shape("roomy", 0, 0, 80, 60) + shape("tight", 100, 0, 80, 40),
        plane="p",
    )
    _, found = draw(data)
    (roomy,) = shapes_in(found["roomy"], "text")
    assert [s.text for s in roomy] == ["Collapsed", "Sub-Process"] and float(roomy.get("font-size")) >= 9
    (tight,) = shapes_in(found["tight"], "text")
    words = " ".join(s.text for s in tight).split()
    assert words[-1].endswith("…") and tight.get("font-size") == "9"
    assert words[:-1] == long.split()[: len(words) - 1]  # whole words up to the cut


def test_a_call_activity_opens_only_when_its_di_says_so():
    data = model(
        '<bpmn:collaboration id="collab"><bpmn:participant id="a" processRef="p"/>'
        '<bpmn:participant id="b" processRef="q"/></bpmn:collaboration>'
        '<bpmn:process id="p"><bpmn:callActivity id="call" name="Giải quyết" calledElement="q"/></bpmn:process>'
        '<bpmn:process id="q"><bpmn:task id="handle" name="Xử lý"/></bpmn:process>',
        shape("a", 0, 0, 400, 150)
        + shape("call", 100, 30, 100, 80)
        + shape("b", 0, 200, 400, 150)
        + shape("handle", 100, 230, 100, 80),
    )
    _, found = draw(data)
    assert any(r.get("width") == "13" for r in shapes_in(found["call"], "rect"))  # collapsed: [+]
    opened = data.replace(b'bpmnElement="call"', b'bpmnElement="call" isExpanded="true"')
    _, found = draw(opened)
    assert not any(r.get("width") == "13" for r in shapes_in(found["call"], "rect"))
