"""The Camunda parser subclass keeps what SpiffWorkflow's own parser drops, through serialization."""

from app.engine.parser import PaknParser
from app.engine.serialization import dump_specs, load_specs

BPMN = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="a" name="A" camunda:candidateGroups="intake, leader" camunda:candidateUsers="an,binh"
        camunda:assignee="an" camunda:dueDate="${due('answer')}" camunda:formKey="embedded:app:forms/a.html">
      <bpmn:extensionElements>
        <camunda:properties><camunda:property name="status" value="handling" /></camunda:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="b" name="B" camunda:formRef="review-form">
      <bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="note" label="Ghi chú" type="string">
            <camunda:validation><camunda:constraint name="required" /></camunda:validation>
          </camunda:formField>
        </camunda:formData>
      </bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="e"><bpmn:extensionElements><camunda:properties>
      <camunda:property name="status" value="published" /></camunda:properties></bpmn:extensionElements>
      <bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="a" />
    <bpmn:sequenceFlow id="f2" sourceRef="a" targetRef="b" />
    <bpmn:sequenceFlow id="f3" sourceRef="b" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>""".encode()


def parsed():
    parser = PaknParser()
    parser.add_bpmn_bytes(BPMN, "p.bpmn")
    spec = parser.get_spec("p")
    return load_specs(dump_specs(spec, {}))[0]  # what instances see: the stored, restored spec


def test_candidate_groups_users_assignee_due_date_and_form_key_are_kept():
    ext = parsed().task_specs["a"].extensions
    assert ext["candidate_groups"] == ["intake", "leader"]
    assert ext["candidate_users"] == ["an", "binh"]
    assert ext["assignee"] == "an"
    assert ext["due_date"] == "${due('answer')}"
    assert ext["form_key"] == "embedded:app:forms/a.html"
    assert ext["properties"] == {"status": "handling"}


def test_form_ref_and_generated_form_without_form_key_are_kept():
    b = parsed().task_specs["b"]
    assert b.extensions["form_ref"] == "review-form"
    assert [(f.id, f.label, [v.name for v in f.validation]) for f in b.form.fields] == [
        ("note", "Ghi chú", ["required"])
    ]


def test_end_event_properties_are_kept():
    assert parsed().task_specs["e"].extensions["properties"] == {"status": "published"}
