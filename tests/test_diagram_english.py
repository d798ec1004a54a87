"""The auditor's diagrams speak the page's language: in English every name drawn (tasks, events, gateways, flows,
lanes, pools, the diagram's title) is the catalogue's English, fitted to its shape as written in English; in
Vietnamese the same drawing stays Vietnamese (drawings are kept per language); a name the catalogue lacks is drawn
as the model writes it; the catalogue's extraction reads every name the drawing shows."""

import io

from lxml import etree

from app.diagrams import render_diagrams
from app.translation import translate
from app.translation_sources import extract_bpmn

SVG = "{http://www.w3.org/2000/svg}"
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


def test_the_catalogue_extracts_flow_lane_annotation_and_group_texts_as_the_drawing_looks_them_up():
    found = {text for _line, _function, text, _comments in extract_bpmn(io.BytesIO(MODEL.encode()), [], [], {})}
    assert {"Từ chối", "Người gửi PAKN", "Ghi chú của người vẽ", "Giai đoạn tiếp nhận"} <= found
    assert {"PAKN được gửi", "Việc chưa có bản dịch", "Sơ đồ thử"} <= found
