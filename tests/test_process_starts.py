"""Staff start processes by hand: who may start which process, the start form (generated or Camunda Form) checked and
kept, the initiator set, and the instance — without a petition — in the tasklist, completed, and seen by auditors."""

import json
import shutil

import pytest
from sqlalchemy import func, select

from app.administration.processes import make_version_current
from app.audit.models import AuditEntry
from app.config import ROOT, Config
from app.engine.deployment import deploy
from app.engine.instances import read_instance
from app.engine.models import ProcessDefinition, ProcessInstance, WorkItem
from app.errors import FormInvalid, NotFound, PermissionDenied
from app.inspection.case import inspect_case
from app.inspection.search import Filters, started_by_hand
from app.process_starts.operations import start_process
from app.process_starts.queries import startable_processes
from app.services import open_services
from app.tasks.operations import complete_task
from app.tasks.queries import InboxFilters, inbox, inbox_page

from .conftest import user

# A process leaders start by hand (the product's monthly review is started by the scheduler: test_monthly_review.py)
LEADER_REVIEW = ROOT / "tests" / "fixtures" / "bpmn" / "leader_review.bpmn"

REVIEW = {"month": "11/2026", "agency": "QNG-SXD", "notes": "Chú ý các PAKN trễ hạn"}

PROCESS = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
    xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    id="defs_{key}" targetNamespace="http://pakn.gov.vn/test">
  <bpmn:process id="{key}" name="Đề nghị nội bộ" isExecutable="true" {starters}>
    <bpmn:startEvent id="asked" {start}>
      <bpmn:outgoing>to_answer</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="answer" name="Trả lời đề nghị" camunda:candidateUsers="handler2">
      <bpmn:incoming>to_answer</bpmn:incoming>
      <bpmn:outgoing>to_end</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:endEvent id="answered"><bpmn:incoming>to_end</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="to_answer" sourceRef="asked" targetRef="answer" />
    <bpmn:sequenceFlow id="to_end" sourceRef="answer" targetRef="answered" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram_{key}"><bpmndi:BPMNPlane id="plane_{key}" bpmnElement="{key}">
    <bpmndi:BPMNShape id="asked_di" bpmnElement="asked"><dc:Bounds x="100" y="100" width="36" height="36" />
    </bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="answer_di" bpmnElement="answer"><dc:Bounds x="200" y="78" width="100" height="80" />
    </bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="answered_di" bpmnElement="answered"><dc:Bounds x="360" y="100" width="36" height="36" />
    </bpmndi:BPMNShape>
    <bpmndi:BPMNEdge id="to_answer_di" bpmnElement="to_answer"><di:waypoint x="136" y="118" />
      <di:waypoint x="200" y="118" /></bpmndi:BPMNEdge>
    <bpmndi:BPMNEdge id="to_end_di" bpmnElement="to_end"><di:waypoint x="300" y="118" />
      <di:waypoint x="360" y="118" /></bpmndi:BPMNEdge>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</bpmn:definitions>
"""
SUBJECT_FIELD = """><bpmn:extensionElements><camunda:formData>
        <camunda:formField id="subject" label="Nội dung đề nghị" type="string">
          <camunda:validation><camunda:constraint name="required" /></camunda:validation>
        </camunda:formField></camunda:formData></bpmn:extensionElements"""
START_FORM = {
    "id": "internal-request",
    "type": "default",
    "schemaVersion": 16,
    "components": [
        {"type": "textfield", "key": "subject", "label": "Nội dung đề nghị", "validate": {"required": True}},
        {"type": "number", "key": "copies", "label": "Số bản", "validate": {"min": 1}},
    ],
}


def deploy_request(session, key="internal_request", starters="", start=SUBJECT_FIELD, forms=None):
    """A small process of one user task for handler2, deployed with its starters and start event attributes."""
    document = PROCESS.format(key=key, starters=starters, start=start)
    deploy(session, {f"{key}.bpmn": document.encode()}, forms=forms)
    session.commit()


def deploy_leader_review(session):
    deploy(session, {LEADER_REVIEW.name: LEADER_REVIEW.read_bytes()})
    session.commit()


@pytest.fixture(autouse=True)
def leader_review(session):
    deploy_leader_review(session)


def start_review(session, username="leader", **changes):
    return start_process(session, user(session, username), "leader_review", {**REVIEW, **changes})


def instance_data(session, instance_id) -> dict:
    snapshot = read_instance(session, instance_id)
    return snapshot.task_data(session.scalar(select(WorkItem.task_id).where(WorkItem.instance_id == instance_id)))


def refusals(session, action="process.start") -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.outcome == "refused")
    return list(session.scalars(query))


def instances(session) -> int:
    return session.scalar(select(func.count()).select_from(ProcessInstance))


# ---------------------------------------------------------------------------------------------------- who may start


def test_a_leader_may_start_the_review_but_never_the_petitions_process_nor_the_scheduled_monthly_review(session):
    keys = [p.key for p in startable_processes(session, user(session, "leader"))]
    assert keys == ["leader_review"]  # monthly_review's start is a timer: nobody starts it by hand
    assert startable_processes(session, user(session, "admin")) == []  # not even the timer-started monthly_review
    assert startable_processes(session, user(session, "handler")) == []


def test_a_member_of_staff_outside_the_starter_groups_is_refused_and_the_refusal_audited(session):
    before = instances(session)
    with pytest.raises(PermissionDenied):
        start_review(session, "handler")
    assert instances(session) == before
    [refused] = refusals(session)
    assert refused.actor == "handler" and refused.data["process"] == "leader_review"


def test_candidate_starter_users_name_who_may_start(session):
    deploy_request(session, starters='camunda:candidateStarterUsers="handler-b"')
    assert [p.key for p in startable_processes(session, user(session, "handler-b"))] == ["internal_request"]
    started = start_process(session, user(session, "handler-b"), "internal_request", {"subject": "Xin mẫu báo cáo"})
    assert started.instance_id
    with pytest.raises(PermissionDenied):
        start_process(session, user(session, "handler"), "internal_request", {"subject": "Xin mẫu"})


def test_a_process_that_names_no_starter_is_started_by_administrators_only(session):
    deploy_request(session)
    assert [p.key for p in startable_processes(session, user(session, "admin"))] == ["internal_request"]
    assert startable_processes(session, user(session, "leader")) == [
        p for p in startable_processes(session, user(session, "leader")) if p.key == "leader_review"
    ]
    with pytest.raises(PermissionDenied):
        start_process(session, user(session, "leader"), "internal_request", {"subject": "Xin mẫu"})
    started = start_process(session, user(session, "admin"), "internal_request", {"subject": "Xin mẫu báo cáo"})
    assert started.first_task is None  # administrators have no tasklist: the page says the instance started


def test_the_petitions_process_cannot_be_started_by_hand(session):
    with pytest.raises(NotFound):
        start_process(session, user(session, "admin"), "pakn", {})


# ---------------------------------------------------------------------------------------------------- the start form


def test_the_start_form_values_become_the_instance_data_with_the_starter_as_initiator(session):
    started = start_review(session, initiator="someone-else")
    data = instance_data(session, started.instance_id)
    assert data["initiator"] == "leader"  # the form cannot name another starter
    assert {k: data[k] for k in REVIEW} == REVIEW
    [entry] = session.scalars(select(AuditEntry).where(AuditEntry.action == "process.started"))
    assert entry.actor == "leader" and entry.instance_id == started.instance_id
    assert entry.data["values"]["month"] == "11/2026" and entry.data["steps"]


def test_a_readonly_start_field_keeps_the_models_default_whatever_is_sent(session):
    started = start_review(session, scope="Chỉ PAKN của một phường")
    assert instance_data(session, started.instance_id)["scope"].startswith("Toàn bộ PAKN")


def test_a_refused_start_form_names_each_field_and_stores_nothing(session):
    before = instances(session)
    with pytest.raises(FormInvalid) as refused:
        start_review(session, month="", agency="BN-SXD", notes="x" * 2001)
    assert refused.value.by_field() == {
        "month": "«Tháng rà soát (MM/YYYY)» là bắt buộc.",
        "agency": "«Cơ quan được rà soát»: không có «BN-SXD» trong danh mục.",  # staff start for their own agency
        "notes": "«Ghi chú» dài tối đa 2000 ký tự.",
    }
    assert instances(session) == before
    assert session.scalar(select(func.count()).where(AuditEntry.action == "process.started")) == 0


def test_a_camunda_form_on_the_start_event_is_shown_checked_and_kept(db_url, tmp_path):
    forms = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", forms)
    (forms / "internal-request.form").write_text(json.dumps(START_FORM), encoding="utf-8")
    services = open_services(Config(database_url=db_url, forms_dir=forms))
    with services.sessions() as session:
        start = 'camunda:formRef="internal-request" camunda:formRefBinding="latest"'
        deploy_request(session, starters='camunda:candidateStarterGroups="handler"', start=start, forms=forms)
        with pytest.raises(FormInvalid) as refused:
            start_process(session, user(session, "handler"), "internal_request", {"subject": "", "copies": "0"})
        assert set(refused.value.by_field()) == {"subject", "copies"}
        started = start_process(session, user(session, "handler"), "internal_request", {"subject": "Xin mẫu"})
        assert instance_data(session, started.instance_id)["subject"] == "Xin mẫu"
    services.engine.dispose()


# ---------------------------------------------------------------------------------------------------- after the start


def test_the_review_task_waits_in_the_inbox_of_the_chosen_agencys_leader_and_can_be_completed(session):
    started = start_review(session)
    item = started.first_task
    assert item.bpmn_id == "review_month" and item.agency_code == "QNG-SXD"
    assert item in inbox(session, user(session, "leader"))
    assert item not in inbox(session, user(session, "leader2"))  # another agency's leader
    [row] = [r for r in inbox_page(session, user(session, "leader"), InboxFilters()).rows if r.item.id == item.id]
    assert row.petition is None and row.process == "Rà soát theo yêu cầu của lãnh đạo" and row.can_claim
    complete_task(session, user(session, "leader"), item.id, {"findings": "Không có PAKN trễ hạn", "follow_up": ""})
    instance = session.get(ProcessInstance, started.instance_id)
    session.refresh(instance)
    assert instance.status == "completed" and instance.end_event == "review_done"
    actions = [e.action for e in session.scalars(select(AuditEntry).where(AuditEntry.instance_id == instance.id))]
    assert actions == ["process.started", "task.completed"]


def test_candidate_users_of_a_task_without_a_petition_find_it_in_their_inbox(session):
    deploy_request(session, starters='camunda:candidateStarterGroups="handler"')
    started = start_process(session, user(session, "handler"), "internal_request", {"subject": "Xin mẫu báo cáo"})
    assert started.first_task is None  # the task is handler2's
    [item] = [i for i in inbox(session, user(session, "handler2")) if i.instance_id == started.instance_id]
    complete_task(session, user(session, "handler2"), item.id, {})
    assert session.get(WorkItem, item.id).state == "completed"


def test_the_auditor_reads_an_instance_without_a_petition_with_its_start_and_current_step(session):
    started = start_review(session)
    case = inspect_case(session, started.instance_id)
    assert case.petition is None and case.states["review_month"] == "active"
    assert [s.element for s in case.current] == ["review_month"]
    assert case.history[0].actor == "Phạm Thị Dung"
    assert ("Tháng rà soát (MM/YYYY)", "11/2026") in case.history[0].details
    [row] = started_by_hand(session, Filters())
    assert row.instance.id == started.instance_id and row.started_by == "Phạm Thị Dung"


APPLICANT = """><bpmn:extensionElements><camunda:formData>
        <camunda:formField id="firstname" label="Tên" type="string" />
        <camunda:formField id="lastname" label="Họ" type="string" />
        <camunda:formField id="netIncome" label="Thu nhập" type="long" />
        </camunda:formData></bpmn:extensionElements"""
REVIEW_FIELDS = """<bpmn:extensionElements><camunda:formData>
        <camunda:formField id="firstname" label="Tên" type="string"><camunda:validation>
          <camunda:constraint name="readonly" /></camunda:validation></camunda:formField>
        <camunda:formField id="lastname" label="Họ" type="string"><camunda:validation>
          <camunda:constraint name="disabled" /></camunda:validation></camunda:formField>
        <camunda:formField id="netIncome" label="Thu nhập" type="long"><camunda:validation>
          <camunda:constraint name="readonly" /></camunda:validation></camunda:formField>
        <camunda:formField id="approved" label="Đồng ý" type="boolean" />
        </camunda:formData></bpmn:extensionElements>"""


def test_readonly_and_disabled_task_fields_keep_the_process_data(session):
    """Camunda's usertask/task-form-generated pattern: the applicant's data shown read-only to the approver."""
    task = '<bpmn:userTask id="answer" name="Trả lời đề nghị" camunda:candidateUsers="handler2">'
    document = PROCESS.format(key="loan", starters='camunda:candidateStarterUsers="handler"', start=APPLICANT)
    deploy(session, {"loan.bpmn": document.replace(task, task + REVIEW_FIELDS).encode()})
    session.commit()
    applicant = {"firstname": "Lan", "lastname": "Nguyễn", "netIncome": "12000000"}
    started = start_process(session, user(session, "handler"), "loan", applicant)
    item = session.scalar(select(WorkItem).where(WorkItem.instance_id == started.instance_id))
    # a browser sends nothing for disabled fields; a forged request sends other values: neither counts
    complete_task(session, user(session, "handler2"), item.id, {"approved": "true", "firstname": "Mallory"})
    data = instance_data(session, started.instance_id)  # the answer task's data, as completed
    kept = (data["firstname"], data["lastname"], data["netIncome"], data["approved"])
    assert kept == ("Lan", "Nguyễn", 12000000, True)


def test_a_process_started_by_hand_starts_the_version_made_current_again(session):
    deploy_request(session)
    deploy_request(session, starters='camunda:candidateStarterGroups="leader"')
    one = session.scalar(select(ProcessDefinition).filter_by(process_key="internal_request", version=1))
    leader = user(session, "leader")
    assert [p.definition.version for p in startable_processes(session, leader) if p.key == "internal_request"] == [2]
    make_version_current(session, user(session, "admin"), one.id)
    session.commit()
    assert [p.definition.version for p in startable_processes(session, user(session, "admin"))] == [1]
    assert "internal_request" not in [p.key for p in startable_processes(session, leader)]
    started = start_process(session, user(session, "admin"), "internal_request", {"subject": "Xin mẫu báo cáo"})
    assert session.get(ProcessInstance, started.instance_id).definition_id == one.id
