"""One task-form interface: a Camunda Form and a generated camunda:formData form are shown, checked and described
through the same calls (app/tasks/task_forms.py), so that no page, operation or history asks which it holds."""

import pytest
from werkzeug.datastructures import MultiDict

from app.engine.deployment import dump_specs, load_specs
from app.engine.parser import PaknParser
from app.errors import FormInvalid
from app.tasks.task_forms import CamundaTaskForm, GeneratedTaskForm, form_context, task_form

from .conftest import submit

REQUIRED_INFO = """<camunda:formData>
          <camunda:formField id="info" label="Thông tin bổ sung" type="string">
            <camunda:validation>
              <camunda:constraint name="required" /><camunda:constraint name="minlength" config="5" />
            </camunda:validation>
          </camunda:formField>
        </camunda:formData>"""
BPMN = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="p" isExecutable="true">
    <bpmn:startEvent id="s"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="camunda" name="A" camunda:formRef="pakn-provide-info">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="generated" name="B">
      <bpmn:extensionElements>{REQUIRED_INFO}</bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="bare" name="C"><bpmn:incoming>f3</bpmn:incoming><bpmn:outgoing>f4</bpmn:outgoing></bpmn:userTask>
    <bpmn:endEvent id="e"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="camunda" />
    <bpmn:sequenceFlow id="f2" sourceRef="camunda" targetRef="generated" />
    <bpmn:sequenceFlow id="f3" sourceRef="generated" targetRef="bare" />
    <bpmn:sequenceFlow id="f4" sourceRef="bare" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>""".encode()
AGENCY_FIELD = """<camunda:formField id="lead" label="Cơ quan" type="string">
          <camunda:properties><camunda:property id="ref" value="agency" /></camunda:properties>
        </camunda:formField>"""
READ_ONLY_AND_NUMBER = """<camunda:formField id="code" label="Mã" type="string" defaultValue="QNG-01">
          <camunda:validation><camunda:constraint name="readonly" /></camunda:validation>
        </camunda:formField>
        <camunda:formField id="days" label="Số ngày" type="long" />"""
KINDS = ["camunda", "generated"]  # the same field ("info", required, at least 5 characters) in each stack


def spec_of(task_id: str, bpmn: bytes = BPMN):
    parser = PaknParser()
    parser.add_bpmn_bytes(bpmn, "p.bpmn")
    return load_specs(dump_specs(parser.get_spec("p"), {}))[0].task_specs[task_id]  # as instances see it


def generated(session, fields_xml: str) -> GeneratedTaskForm:
    """A generated form of the given formData fields."""
    bpmn = BPMN.replace(REQUIRED_INFO.encode(), f"<camunda:formData>{fields_xml}</camunda:formData>".encode())
    form = task_form(session, spec_of("generated", bpmn))
    assert isinstance(form, GeneratedTaskForm)
    return form


def test_a_task_gets_the_adapter_of_the_form_its_model_names(session):
    assert isinstance(task_form(session, spec_of("camunda")), CamundaTaskForm)
    assert isinstance(task_form(session, spec_of("generated")), GeneratedTaskForm)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_form_is_shown_with_its_labels_and_required_marks(session, kind):
    html = task_form(session, spec_of(kind)).render({})
    assert "Thông tin bổ sung" in html and 'name="info"' in html and 'class="required-mark"' in html
    assert "Additional information" in task_form(session, spec_of(kind)).render({}, lang="en")


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_form_returns_typed_values_for_the_task_data(session, kind):
    photos = {"photos": []} if kind == "camunda" else {}  # the product's form also takes photos
    assert task_form(session, spec_of(kind)).submit({}, MultiDict({"info": "  Số 12 Lê Lợi "})) == {
        "info": "Số 12 Lê Lợi",
        **photos,
    }


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_form_names_the_failing_field_and_keeps_the_input_when_shown_again(session, kind):
    form, sent = task_form(session, spec_of(kind)), MultiDict({"info": "Số"})
    with pytest.raises(FormInvalid) as refused:
        form.submit({}, sent)
    assert [e.field for e in refused.value.errors] == ["info"]
    html = form.render({}, sent, refused.value, "en")
    assert ">Số<" in html or 'value="Số"' in html
    assert "“Additional information” needs at least 5 characters." in html


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_form_describes_its_fields_for_histories(session, kind):
    form = task_form(session, spec_of(kind))
    photos = [("photos", "Ảnh, tài liệu kèm theo", "string")] if kind == "camunda" else []
    assert [(f.id, f.label, f.type) for f in form.describe()] == [("info", "Thông tin bổ sung", "string"), *photos]
    assert form.inputs[0] == ("info", "Thông tin bổ sung") and form.has_files is (kind == "camunda")


def test_a_task_without_a_form_needs_no_input(session):
    form = task_form(session, spec_of("bare"))
    assert "Công việc này không cần nhập thông tin." in form.render({})
    assert form.submit({}, MultiDict()) == {} and form.describe() == []


def test_a_forms_markdown_text_is_shown_in_the_pages_language(session):
    html = task_form(session, spec_of("camunda")).render({}, lang="en")
    assert "The receiving office asks for more information. Please answer every point raised." in html


def test_a_generated_agency_field_lists_the_case_agencies_by_province_its_own_first(session):
    form = generated(session, AGENCY_FIELD)
    html = form.render(form_context(session, submit(session, province_code="lai-chau"), {}))
    groups = html.split('<optgroup label="')[1:]
    assert groups[0].startswith("Lai Châu") and any(g.startswith("Quảng Ngãi") for g in groups[1:])
    assert '<option value="QNG-SXD">Sở Xây dựng tỉnh Quảng Ngãi</option>' in html


def test_a_generated_agency_field_refuses_a_code_that_is_not_an_agency(session):
    form = generated(session, AGENCY_FIELD)
    context = form_context(session, submit(session), {})
    assert form.submit(context, {"lead": "QNG-SXD"}) == {"lead": "QNG-SXD"}
    with pytest.raises(FormInvalid) as refused:
        form.submit(context, {"lead": "QNG-NOPE"})
    assert [(e.field, e.rule) for e in refused.value.errors] == [("lead", "ref")]


def test_a_generated_read_only_field_keeps_its_value_when_the_form_is_shown_again(session):
    form = generated(session, READ_ONLY_AND_NUMBER)
    sent = MultiDict({"days": "ba"})
    with pytest.raises(FormInvalid) as refused:
        form.submit({}, sent)
    html = form.render({}, sent, refused.value)
    assert 'value="QNG-01"' in html and 'value="ba"' in html
