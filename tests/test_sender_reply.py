"""The sender's reply on the portal is the model's own task form: found by the candidate group `sender` (not by an
element id), shown and checked through the task-form interface, in the citizen's language; a generated form in its
place works on the portal and on the clerk's task page alike."""

import shutil

from sqlalchemy import select

from app import create_app
from app.audit.models import AuditEntry
from app.bootstrap import process_documents
from app.config import ROOT, Config
from app.engine.deployment import deploy

from .conftest import PROCESSES, act, item_for, submit
from .web import csrf_token, log_in

SENDER_FORM = b'camunda:formRef="pakn-provide-info" camunda:formRefBinding="latest">\n      <bpmn:extensionElements>'
ADDRESS_FIELD = """<bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="address" label="Địa chỉ cụ thể" type="string">
            <camunda:validation><camunda:constraint name="required" /></camunda:validation>
          </camunda:formField>
        </camunda:formData>"""


def asked_for_information(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="request_info", reason="Cần địa chỉ cụ thể")
    return petition


def deploy_model(session, change, forms=None):
    """processes/ with pakn.bpmn changed by `change` (bytes → bytes), deployed as the version new cases start."""
    documents = process_documents(PROCESSES)
    documents["processes/pakn.bpmn"] = change(documents["processes/pakn.bpmn"])
    deploy(session, documents, forms=forms)
    session.commit()


def with_generated_form(bpmn: bytes) -> bytes:
    """The sender's task at classification with a generated formData form (one required field) instead of its
    Camunda Form (the second, a reply to the handling agency, keeps it)."""
    assert bpmn.count(SENDER_FORM) == 2
    return bpmn.replace(SENDER_FORM, b">\n      " + ADDRESS_FIELD.encode(), 1)


def completed_values(session) -> dict:
    entries = select(AuditEntry).where(AuditEntry.action == "task.completed").order_by(AuditEntry.id.desc())
    return session.scalars(entries).first().data["values"]


def test_the_reply_form_is_the_models_form_with_its_text_and_label(client, session):
    petition = asked_for_information(session)
    log_in(client, "citizen")
    page = client.get(f"/tra-cuu/{petition.tracking_code}").data.decode()
    assert "Vui lòng trả lời đầy đủ các nội dung được nêu." in page  # the form's own text component
    assert 'name="info"' in page and "Thông tin bổ sung" in page and 'class="camunda-form"' in page


def test_the_reply_form_speaks_english_from_the_catalogue(client, session):
    petition = asked_for_information(session)
    log_in(client, "citizen")
    case = f"/tra-cuu/{petition.tracking_code}"
    client.post("/ngon-ngu/en", data={"csrf_token": csrf_token(client, case), "next": case})
    page = client.get(case).data.decode()
    assert "Additional information" in page and "Please answer every point raised." in page


def test_a_refused_reply_keeps_what_the_citizen_wrote_beside_the_fields_error(client, session):
    petition = asked_for_information(session)
    log_in(client, "citizen")
    token = csrf_token(client, f"/tra-cuu/{petition.tracking_code}")
    refused = client.post(f"/tra-cuu/{petition.tracking_code}/bo-sung", data={"csrf_token": token, "info": "Số"})
    page = refused.data.decode()
    assert refused.status_code == 422
    assert ">Số</textarea>" in page and "«Thông tin bổ sung» cần ít nhất 5 ký tự." in page
    assert item_for(session, petition, "provide_info").state == "ready"


def test_staff_of_the_sender_tasks_other_group_get_no_reply_form_on_the_portal(login, session):
    petition = asked_for_information(session)
    page = login("intake").get(f"/tra-cuu/{petition.tracking_code}").data.decode()
    assert "/bo-sung" not in page and 'name="info"' not in page


def test_a_renamed_sender_task_whose_form_has_another_key_still_gives_the_citizen_a_working_reply(
    db_url, session, tmp_path
):
    forms = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", forms)
    form_file = forms / "pakn-provide-info.form"
    form_file.write_text(form_file.read_text(encoding="utf-8").replace('"key": "info"', '"key": "details"'), "utf-8")
    deploy_model(session, lambda bpmn: bpmn.replace(b"provide_info", b"answer_the_office"), forms)
    petition = asked_for_information(session)
    assert item_for(session, petition, "answer_the_office").state == "ready"
    web = create_app(Config(database_url=db_url, testing=True, forms_dir=forms))
    client = web.test_client()
    log_in(client, "citizen")
    page = client.get(f"/tra-cuu/{petition.tracking_code}").data.decode()
    assert 'name="details"' in page and 'name="info"' not in page
    token = csrf_token(client, f"/tra-cuu/{petition.tracking_code}")
    sent = client.post(f"/tra-cuu/{petition.tracking_code}/bo-sung", data={"csrf_token": token, "details": "Số 12"})
    web.extensions["pakn"]["engine"].dispose()
    assert sent.status_code == 302
    session.refresh(petition)
    assert petition.status == "classifying" and completed_values(session) == {"details": "Số 12", "photos": []}


def test_a_sender_task_with_a_generated_form_is_answered_from_the_portal(client, session):
    deploy_model(session, with_generated_form)
    petition = asked_for_information(session)
    log_in(client, "citizen")
    case = f"/tra-cuu/{petition.tracking_code}"
    assert 'name="address"' in client.get(case).data.decode()
    token = csrf_token(client, case)
    empty = client.post(f"{case}/bo-sung", data={"csrf_token": token, "address": ""})
    assert empty.status_code == 422 and "«Địa chỉ cụ thể» là bắt buộc." in empty.data.decode()
    sent = client.post(f"{case}/bo-sung", data={"csrf_token": token, "address": "Số 12 Lê Lợi"})
    assert sent.status_code == 302 and completed_values(session) == {"address": "Số 12 Lê Lợi"}


def test_the_intake_clerk_answers_the_same_generated_form_from_his_task_page(login, session):
    deploy_model(session, with_generated_form)
    petition = asked_for_information(session)
    page = f"/cong-viec/{item_for(session, petition, 'provide_info').id}"
    intake = login("intake")
    shown = intake.get(page).data.decode()
    assert 'id="field-address"' in shown and 'class="required-mark"' in shown
    token = csrf_token(intake, page)
    refused = intake.post(page, data={"csrf_token": token, "address": "  "})
    assert refused.status_code == 422 and "«Địa chỉ cụ thể» là bắt buộc." in refused.data.decode()
    done = intake.post(page, data={"csrf_token": token, "address": "Số 12 Lê Lợi"})
    assert done.status_code == 302 and completed_values(session) == {"address": "Số 12 Lê Lợi"}
