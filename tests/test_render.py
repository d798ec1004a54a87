"""Server-side SVG diagrams: `app.diagrams.render_diagrams` and `python run.py render`."""

import re
import unicodedata

import pytest
from lxml import etree

import run
from app.diagrams import Diagram, DiagramError, render_diagrams

from .conftest import PROCESSES

FIXTURES = PROCESSES.parent / "tests" / "fixtures" / "bpmn"
PAKN = PROCESSES / "pakn.bpmn"
SVG = "http://www.w3.org/2000/svg"
BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
FLOW_NODES = {
    "task",
    "userTask",
    "scriptTask",
    "serviceTask",
    "sendTask",
    "receiveTask",
    "businessRuleTask",
    "manualTask",
    "callActivity",
    "subProcess",
    "transaction",
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
    "complexGateway",
}


def parse(svg: str):
    root = etree.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{{{SVG}}}svg"
    return root


def groups(root) -> dict[str, list]:
    found = {}
    for g in root.iter(f"{{{SVG}}}g"):
        if g.get("data-element-id") is not None:
            found.setdefault(g.get("data-element-id"), []).append(g)
    return found


def one(root, element_id):
    (g,) = groups(root)[element_id]
    return g


def classes(g) -> set[str]:
    return set(g.get("class").split())


def title(g) -> str:
    return g.find(f"{{{SVG}}}title").text


def model(path):
    """(kind, name) by id for the BPMN elements of `path`, and the ids that have DI."""
    root = etree.parse(str(path)).getroot()
    elements = {el.get("id"): (etree.QName(el).localname, el.get("name")) for el in root.iter(f"{{{BPMN}}}*")}
    drawn = {di.get("bpmnElement") for di in root.iter(f"{{{BPMNDI}}}BPMNShape", f"{{{BPMNDI}}}BPMNEdge")}
    return elements, drawn


@pytest.fixture(scope="module")
def pakn():
    (diagram,) = render_diagrams(PAKN.read_bytes())
    return diagram


@pytest.fixture(scope="module")
def features():
    (diagram,) = render_diagrams((FIXTURES / "features.bpmn").read_bytes())
    return parse(diagram.svg)


def test_pakn_draws_every_flow_node_with_a_shape_exactly_once(pakn):
    root, (elements, drawn) = parse(pakn.svg), model(PAKN)
    found = groups(root)
    nodes = [i for i, (kind, _) in elements.items() if kind in FLOW_NODES and i in drawn]
    assert len(nodes) > 50
    for node_id in nodes:
        assert len(found.get(node_id, [])) == 1, node_id
        assert elements[node_id][0] in classes(found[node_id][0])


def test_pakn_draws_flows_both_pools_and_all_lanes_with_vietnamese_names(pakn):
    root, (elements, drawn) = parse(pakn.svg), model(PAKN)
    found = groups(root)
    for kind in ("sequenceFlow", "participant", "lane"):
        ids = [i for i, (k, _) in elements.items() if k == kind and i in drawn]
        assert ids, kind
        for element_id in ids:
            (g,) = found[element_id]
            assert {"bpmn-element", kind} <= classes(g)
    assert "Tiếp nhận, xử lý phản ánh, kiến nghị" in title(one(root, "Participant_pakn"))
    assert title(one(root, "Participant_handling")) == "Giải quyết và trả lời PAKN"
    assert title(one(root, "Lane_sender")) == "Người gửi PAKN"
    assert title(one(root, "classify")) == "Phân loại PAKN"
    # Every named flow node's tooltip is its exact name, diacritics intact.
    for element_id, (kind, name) in elements.items():
        if kind in FLOW_NODES and name and element_id in drawn:
            assert title(one(root, element_id)) == " ".join(name.split())
    assert pakn.name == "Tiếp nhận, xử lý phản ánh, kiến nghị / Giải quyết và trả lời PAKN"


def test_svg_is_standalone_with_a_viewbox_around_everything(pakn):
    assert pakn.svg.startswith(f'<svg xmlns="{SVG}"')
    root = parse(pakn.svg)
    left, top, width, height = map(float, root.get("viewBox").split())
    xml = etree.parse(str(PAKN)).getroot()
    bounds = [b for b in xml.iter("{http://www.omg.org/spec/DD/20100524/DC}Bounds")]
    assert left <= min(float(b.get("x")) for b in bounds)
    assert top <= min(float(b.get("y")) for b in bounds)
    assert left + width >= max(float(b.get("x")) + float(b.get("width")) for b in bounds)
    assert top + height >= max(float(b.get("y")) + float(b.get("height")) for b in bounds)
    assert root.find(f"{{{SVG}}}style") is not None


def test_task_names_wrap_into_lines_that_rebuild_the_name(pakn):
    g = one(parse(pakn.svg), "record_receipt")
    spans = [span.text for span in g.iter(f"{{{SVG}}}tspan")]
    assert len(spans) > 1
    assert " ".join(spans) == "Ghi nhận thời điểm tiếp nhận, báo người gửi"


def test_marks_put_state_classes_on_the_marked_groups_only():
    marks = {
        "record_receipt": "completed",
        "flow_start": "completed",
        "classify": "active",
        "timer_reject_due": "waiting",
    }
    (diagram,) = render_diagrams(PAKN.read_bytes(), marks)
    root = parse(diagram.svg)
    marked = {}
    for element_id, (g,) in groups(root).items():
        states = {c for c in classes(g) if c.startswith("state-")}
        if states:
            marked[element_id] = states
    assert marked == {element_id: {f"state-{state}"} for element_id, state in marks.items()}
    style = root.find(f"{{{SVG}}}style").text
    for state in ("completed", "active", "waiting"):
        assert f".state-{state} .bpmn-body" in style
    assert ".state-completed .bpmn-line" in style


def test_an_unknown_state_is_refused():
    with pytest.raises(ValueError, match="unknown state"):
        render_diagrams(PAKN.read_bytes(), {"classify": "running"})


def test_names_are_text_never_markup():
    (diagram,) = render_diagrams((FIXTURES / "malicious.bpmn").read_bytes())
    svg, root = diagram.svg, parse(diagram.svg)
    assert "<script" not in svg.lower()
    assert "<style>@import" not in svg
    tags = {etree.QName(node).localname for node in root.iter() if isinstance(node.tag, str)}
    shapes = {"rect", "circle", "path", "polyline", "polygon", "line"}
    assert tags <= {"svg", "title", "style", "g", "text", "tspan", *shapes}
    for node in root.iter():
        for name, value in node.attrib.items():
            assert not etree.QName(name).localname.lower().startswith("on"), name
            assert "href" not in name.lower() and "url(" not in value and "javascript" not in value
    assert title(one(root, "evil_task")) == "<script>alert(1)</script>"
    assert "<script>alert" in "".join(one(root, "evil_task").find(f"{{{SVG}}}text").itertext())
    assert "onerror" in title(one(root, "note"))  # kept, as text
    assert diagram.name == "<style>@import url(https://evil.example/x.css)</style>"


def test_every_bpmn_diagram_becomes_its_own_svg():
    diagrams = render_diagrams((FIXTURES / "drilldown.bpmn").read_bytes())
    assert [(d.id, d.name) for d in diagrams] == [
        ("BPMNDiagram_main", "Văn phòng tiếp dân"),
        ("BPMNDiagram_verify", "Xác minh nội dung"),
    ]
    main, verify = (groups(parse(d.svg)) for d in diagrams)
    assert {"Participant_office", "start", "verify", "end", "f1", "f2"} == set(main)
    assert {"verify_start", "verify_visit", "verify_end", "vf1", "vf2"} == set(verify)
    # The collapsed sub-process carries the [+] marker: a 13×13 box.
    assert len([r for r in main["verify"][0].iter(f"{{{SVG}}}rect") if r.get("width") == "13"]) == 1
    assert isinstance(diagrams[0], Diagram)


def test_the_feature_fixture_draws_every_element_it_lays_out(features):
    elements, drawn = model(FIXTURES / "features.bpmn")
    found = groups(features)
    assert set(found) == drawn
    for element_id in drawn:
        assert elements[element_id][0] in classes(found[element_id][0]), element_id
    kinds = {elements[i][0] for i in drawn}
    for kind in (
        "exclusiveGateway",
        "parallelGateway",
        "inclusiveGateway",
        "eventBasedGateway",
        "complexGateway",
        "subProcess",
        "callActivity",
        "boundaryEvent",
        "dataObjectReference",
        "dataStoreReference",
        "dataInputAssociation",
        "dataOutputAssociation",
        "textAnnotation",
        "association",
        "group",
        "messageFlow",
        "manualTask",
        "businessRuleTask",
    ):
        assert kind in kinds, kind
    assert title(one(features, "group_parallel")) == "Song song"
    assert "Điều 38" in title(one(features, "note_valid"))


def _dashed_circles(g):
    return [c for c in g.iter(f"{{{SVG}}}circle") if c.get("stroke-dasharray")]


def test_boundary_events_are_dashed_only_when_non_interrupting(features):
    assert _dashed_circles(one(features, "timer_lookup"))
    assert not _dashed_circles(one(features, "error_check"))


def test_multi_instance_markers_are_vertical_for_parallel_and_horizontal_for_sequential(features):
    def bars(element_id, width, height):
        g = one(features, element_id)
        return [r for r in g.iter(f"{{{SVG}}}rect") if (r.get("width"), r.get("height")) == (width, height)]

    assert len(bars("ask_opinions", "2", "12")) == 3 and not bars("ask_opinions", "12", "2")
    assert len(bars("lookup", "12", "2")) == 3 and not bars("lookup", "2", "12")


def test_expanded_sub_process_shows_its_children_and_collapsed_one_a_plus(features):
    found = groups(features)
    assert {"sub_start", "sub_task", "sub_end", "f_sub1", "f_sub2"} <= set(found)
    plus = [r for r in one(features, "appraise").iter(f"{{{SVG}}}rect") if r.get("width") == "13"]
    assert len(plus) == 1
    assert not [r for r in one(features, "sub_check").iter(f"{{{SVG}}}rect") if r.get("width") == "13"]
    # The open sub-process is painted before (under) its children.
    order = [g.get("data-element-id") for g in features.iter(f"{{{SVG}}}g") if g.get("data-element-id")]
    assert order.index("sub_check") < order.index("sub_task")


def test_flow_decorations(features):
    def count(element_id, tag):
        return len(list(one(features, element_id).iter(f"{{{SVG}}}{tag}")))

    assert count("f_default", "line") == 1  # default flow slash
    assert count("f_reject_end", "polygon") == 2  # arrowhead + conditional diamond (source is a task)
    assert count("f_valid", "polygon") == 1  # a gateway's conditions need no diamond
    message = one(features, "mf_petition")
    assert message.find(f"{{{SVG}}}polyline").get("stroke-dasharray")
    assert count("mf_petition", "circle") == 1
    assert one(features, "DIA_store").find(f"{{{SVG}}}polyline").get("stroke-dasharray")


def test_broken_xml_names_file_and_line():
    data = b'<?xml version="1.0"?>\n<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">\n<a>\n'
    with pytest.raises(DiagramError) as caught:
        render_diagrams(data, file_name="broken.bpmn")
    assert isinstance(caught.value, ValueError)
    assert caught.value.line and str(caught.value).startswith("broken.bpmn:")


def test_non_bpmn_and_doctype_are_refused():
    with pytest.raises(DiagramError, match="not a BPMN 2.0 file"):
        render_diagrams(b"<svg xmlns='http://www.w3.org/2000/svg'/>", file_name="x.svg")
    with pytest.raises(DiagramError, match="DOCTYPE"):
        render_diagrams(b'<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>', file_name="x.bpmn")


def test_broken_di_names_the_line():
    data = PAKN.read_bytes().replace(b'<dc:Bounds x="210" y="535"', b'<dc:Bounds x="abc" y="535"', 1)
    with pytest.raises(DiagramError, match=r"x='abc' is not a number") as caught:
        render_diagrams(data, file_name="pakn.bpmn")
    assert caught.value.line == data[: data.index(b'x="abc"')].count(b"\n") + 1


def test_decomposed_vietnamese_comes_out_as_given():
    name = unicodedata.normalize("NFD", "Giải quyết và trả lời")
    data = (FIXTURES / "drilldown.bpmn").read_bytes().replace("Xác minh nội dung".encode(), name.encode(), 1)
    main = parse(render_diagrams(data)[0].svg)
    spans = " ".join(span.text for span in one(main, "verify").iter(f"{{{SVG}}}tspan"))
    assert spans == name


def test_cli_writes_one_file_per_diagram(tmp_path, capsys):
    out = tmp_path / "docs" / "tiep-dan.svg"
    assert run.main(["render", str(FIXTURES / "drilldown.bpmn"), "-o", str(out)]) == 0
    second = tmp_path / "docs" / "tiep-dan-2.svg"
    assert parse(out.read_text(encoding="utf-8")) is not None
    assert "verify_visit" in second.read_text(encoding="utf-8")
    printed = capsys.readouterr().out.splitlines()
    assert printed == [f"{out}: Văn phòng tiếp dân", f"{second}: Xác minh nội dung"]


def test_cli_fails_clearly_on_a_broken_file(tmp_path, capsys):
    broken = tmp_path / "broken.bpmn"
    broken.write_text('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">\n<oops>')
    assert run.main(["render", str(broken), "-o", str(tmp_path / "x.svg")]) == 1
    error = capsys.readouterr().err
    assert re.search(rf"{re.escape(str(broken))}:\d+: ", error), error
    assert not (tmp_path / "x.svg").exists()
    assert run.main(["render", str(tmp_path / "missing.bpmn")]) == 1
    assert "no such file" in capsys.readouterr().err
