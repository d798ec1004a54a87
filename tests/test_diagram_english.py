"""The auditor's diagrams speak the page's language: in English every name drawn (tasks, events, gateways, flows,
lanes, pools, the diagram's title) is the catalogue's English, fitted to its shape as written in English; in
Vietnamese the same drawing stays Vietnamese (drawings are kept per language); a name the catalogue lacks is drawn
as the model writes it; the catalogue's extraction reads every name the drawing shows."""

import io
import re

import pytest
from lxml import etree

from app.diagrams import render_diagrams
from app.diagrams.drawn import drawn_diagrams
from app.diagrams.text import text_width
from app.translation import translate
from app.translation_sources import extract_bpmn

from .conftest import act, submit
from .web import csrf_token

SVG = "{http://www.w3.org/2000/svg}"
# letters only Vietnamese writes: ă â đ ê ô ơ ư and the tone-marked vowels (English has none of them)
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)
MODEL = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="d" targetNamespace="t">
  <bpmn:category id="c"><bpmn:categoryValue id="cv" value="Giai đoạn   tiếp nhận" /></bpmn:category>
  <bpmn:process id="p" isExecutable="false">
    <bpmn:laneSet id="ls"><bpmn:lane id="lane" name="Người gửi PAKN"><bpmn:flowNodeRef>start</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>task</bpmn:flowNodeRef><bpmn:flowNodeRef>gw</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" name="PAKN được gửi" />
    <bpmn:task id="task" name="Việc chưa   có bản dịch" />
    <bpmn:exclusiveGateway id="gw" />
    <bpmn:sequenceFlow id="f1" name="Từ chối" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="gw" />
    <bpmn:textAnnotation id="note"><bpmn:text>Ghi chú
      của người vẽ</bpmn:text></bpmn:textAnnotation>
    <bpmn:group id="group" categoryValueRef="cv" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram" name="Sơ đồ thử">
    <bpmndi:BPMNPlane id="plane" bpmnElement="p">
      <bpmndi:BPMNShape id="lane_di" bpmnElement="lane" isHorizontal="true">
        <dc:Bounds x="0" y="0" width="600" height="200" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="start_di" bpmnElement="start"><dc:Bounds x="60" y="80" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="task_di" bpmnElement="task"><dc:Bounds x="200" y="58" width="100" height="80" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="gw_di" bpmnElement="gw"><dc:Bounds x="400" y="73" width="50" height="50" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="f1_di" bpmnElement="f1"><di:waypoint x="96" y="98" /><di:waypoint x="200" y="98" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="f2_di" bpmnElement="f2"><di:waypoint x="300" y="98" /><di:waypoint x="400" y="98" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNShape id="note_di" bpmnElement="note"><dc:Bounds x="450" y="140" width="140" height="40" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="group_di" bpmnElement="group"><dc:Bounds x="40" y="20" width="300" height="170" />
      </bpmndi:BPMNShape>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def in_language(browser, language: str, path: str) -> str:
    """Switch to `language` as the language menu does, then read `path`."""
    browser.post(f"/ngon-ngu/{language}", data={"csrf_token": csrf_token(browser, path), "next": path})
    response = browser.get(path)
    assert response.status_code == 200, path
    return response.data.decode()


def the_diagram(page: str):
    """The page's one drawing, parsed."""
    svgs = re.findall(r'<svg [^>]*class="bpmn-diagram".*?</svg>', page, re.S)
    assert len(svgs) == 1
    return etree.fromstring(svgs[0].encode())


def text_of(node) -> str:
    return " ".join(" ".join(line.text or "" for line in node.iter(f"{SVG}tspan")).split())


def element_text(svg, element_id: str) -> str:
    """What the drawing writes inside an element (task, lane, pool)."""
    (group,) = svg.xpath(f'//*[@data-element-id="{element_id}"]')
    return " ".join(text_of(text) for text in group.iter(f"{SVG}text"))


def label_text(svg, element_id: str) -> str:
    """An event's, a gateway's or a flow's label, written outside its shape."""
    (group,) = svg.xpath(f'//*[@data-label-for="{element_id}"]')
    return text_of(group)


def texts(svg) -> list[str]:
    return [text_of(text) for text in svg.iter(f"{SVG}text")]


def forwarded_case(session) -> str:
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    return f"/kiem-tra/{petition.instance_id}"


def test_in_english_the_pakn_diagram_names_its_tasks_events_gateways_flows_lanes_and_title_in_english(session, login):
    svg = the_diagram(in_language(login("auditor"), "en", forwarded_case(session)))
    assert element_text(svg, "classify") == "Classify the petition"
    assert label_text(svg, "start_submitted") == "Petition submitted"
    assert label_text(svg, "end_published") == "Published"
    assert label_text(svg, "gw_classification") == "Classification result?"
    assert label_text(svg, "flow_reject") == "Rejected"
    assert element_text(svg, "Lane_sender") == "Sender"
    assert element_text(svg, "Participant_handling") == "Handling and answering the petition"
    title = svg.find(f"{SVG}title").text
    assert title == "Receiving and handling feedback and petitions / Handling and answering the petition"
    (step,) = svg.xpath('//*[@data-element-id="classify"]/*[local-name()="title"]')
    assert step.text == "Classify the petition"  # the tooltip too
    drawn = texts(svg) + [node.text or "" for node in svg.iter(f"{SVG}title")]
    assert [text for text in drawn if VIETNAMESE.search(text)] == []
    assert not [text for text in drawn if "Project-Id-Version" in text]  # an unnamed element never looks up ""


def test_english_names_are_wrapped_to_fit_their_shapes(session, login):
    svg = the_diagram(in_language(login("auditor"), "en", forwarded_case(session)))
    (group,) = svg.xpath('//*[@data-element-id="classify"]')
    box = float(group.find(f"{SVG}rect").get("width"))
    (text,) = group.iter(f"{SVG}text")
    size = float(text.get("font-size"))
    lines = [line.text for line in text.iter(f"{SVG}tspan")]
    assert " ".join(lines) == "Classify the petition" and len(lines) > 1
    assert all(text_width(line, size) <= box - 12 for line in lines)


def test_the_same_page_keeps_its_vietnamese_drawing_before_and_after_an_english_one(session, login):
    auditor, path = login("auditor"), forwarded_case(session)
    for language in ("vi", "en", "vi"):
        svg = the_diagram(in_language(auditor, language, path))
        english = language == "en"
        assert element_text(svg, "classify") == ("Classify the petition" if english else "Phân loại PAKN")
        assert label_text(svg, "start_submitted") == ("Petition submitted" if english else "PAKN được gửi")
        assert label_text(svg, "flow_reject") == ("Rejected" if english else "Từ chối")
        assert element_text(svg, "Lane_sender") == ("Sender" if english else "Người gửi PAKN")
        assert svg.find(f"{SVG}title").text.startswith(
            "Receiving and handling" if english else "Tiếp nhận, xử lý phản ánh, kiến nghị"
        )


def test_a_name_without_english_is_drawn_as_written_and_the_others_translated():
    (diagram,) = render_diagrams(MODEL.encode(), names=lambda name: translate(name, "en"))
    svg = etree.fromstring(diagram.svg.encode())
    assert element_text(svg, "task") == "Việc chưa có bản dịch"  # no entry: as the model writes it
    (task_title,) = svg.xpath('//*[@data-element-id="task"]/*[local-name()="title"]')
    assert task_title.text == "Việc chưa có bản dịch"
    assert element_text(svg, "note") == "Ghi chú của người vẽ"
    assert label_text(svg, "group") == "Giai đoạn tiếp nhận"
    assert label_text(svg, "start") == "Petition submitted"
    assert label_text(svg, "f1") == "Rejected"
    assert element_text(svg, "lane") == "Sender"
    assert diagram.name == svg.find(f"{SVG}title").text == "Sơ đồ thử"
    assert "Project-Id-Version" not in diagram.svg  # the unnamed gateway and flow look nothing up
    (untranslated,) = render_diagrams(MODEL.encode())
    assert label_text(etree.fromstring(untranslated.svg.encode()), "f1") == "Từ chối"


def test_translated_drawings_are_kept_only_with_their_language():
    with pytest.raises(ValueError, match="language"):
        drawn_diagrams(MODEL.encode(), {}, file_name="m.bpmn", anchors={}, names=lambda name: name)
    english = drawn_diagrams(
        MODEL.encode(), {}, file_name="m.bpmn", anchors={}, language="en", names=lambda n: translate(n, "en")
    )
    plain = drawn_diagrams(MODEL.encode(), {}, file_name="m.bpmn", anchors={})
    assert "Rejected" in english[0].svg and "Rejected" not in plain[0].svg and "Từ chối" in plain[0].svg


def test_the_catalogue_extracts_flow_lane_annotation_and_group_texts_as_the_drawing_looks_them_up():
    found = {text for _line, _function, text, _comments in extract_bpmn(io.BytesIO(MODEL.encode()), [], [], {})}
    assert {"Từ chối", "Người gửi PAKN", "Ghi chú của người vẽ", "Giai đoạn tiếp nhận"} <= found
    assert {"PAKN được gửi", "Việc chưa có bản dịch", "Sơ đồ thử"} <= found
