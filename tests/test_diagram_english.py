"""The auditor's diagrams speak the page's language: in English every name drawn (tasks, events, gateways, flows,
lanes, pools, the diagram's title) is the catalogue's English, fitted to its shape as written in English; in
Vietnamese the same drawing stays Vietnamese (drawings are kept per language); a name the catalogue lacks is drawn
as the model writes it; the catalogue's extraction reads every name the drawing shows."""

import io

from app.translation_sources import extract_bpmn

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


def test_the_catalogue_extracts_flow_lane_annotation_and_group_texts_as_the_drawing_looks_them_up():
    found = {text for _line, _function, text, _comments in extract_bpmn(io.BytesIO(MODEL.encode()), [], [], {})}
    assert {"Từ chối", "Người gửi PAKN", "Ghi chú của người vẽ", "Giai đoạn tiếp nhận"} <= found
    assert {"PAKN được gửi", "Việc chưa có bản dịch", "Sơ đồ thử"} <= found
