"""Who may do what: candidate groups, the case's agency, claims; inboxes; the audit of refusals."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.errors import Conflict, FormInvalid, PermissionDenied
from app.tasks.operations import claim_task, complete_task, unclaim_task
from app.tasks.queries import history, inbox

from .conftest import act, item_for, submit, user

FORWARD = {"decision": "forward", "lead_agency": "QNG-SXD"}


def test_a_handler_is_refused_another_agencys_task_and_the_refusal_is_audited(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    item = item_for(session, petition, "handle")
    with pytest.raises(PermissionDenied):
        complete_task(session, user(session, "handler2"), item.id, {"action": "answer", "answer": "x"})
    with pytest.raises(PermissionDenied):
        claim_task(session, user(session, "handler2"), item.id)
    refusals = session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused")).all()
    assert [(r.actor, r.action) for r in refusals] == [("handler2", "task.complete"), ("handler2", "task.claim")]
    assert all(r.petition_id == petition.id for r in refusals)
    assert item_for(session, petition, "handle").state == "ready"


def test_a_citizen_cannot_classify_nor_answer_for_someone_else(session):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    with pytest.raises(PermissionDenied):
        complete_task(session, user(session, "citizen"), item.id, FORWARD)


def test_a_claimed_task_is_kept_from_colleagues_until_given_back(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    item = item_for(session, petition, "handle")
    claim_task(session, user(session, "handler"), item.id)
    assert item_for(session, petition, "handle").assignee == "handler"
    with pytest.raises(Conflict):
        claim_task(session, user(session, "handler-b"), item.id)
    with pytest.raises(PermissionDenied):
        complete_task(session, user(session, "handler-b"), item.id, {"action": "answer", "answer": "x"})
    with pytest.raises(PermissionDenied):
        unclaim_task(session, user(session, "handler-b"), item.id)
    assert [i.id for i in inbox(session, user(session, "handler-b"))] == []
    unclaim_task(session, user(session, "leader"), item.id)
    assert item_for(session, petition, "handle").assignee is None
    claim_task(session, user(session, "handler-b"), item.id)
    act(session, "handler-b", petition, "handle", action="answer", answer="Trả lời của cán bộ Bảo")
    assert petition.status == "leader_review"


def test_inboxes_show_each_person_his_own_work_soonest_due_first(session):
    first, second = submit(session), submit(session)
    assert [i.business_key for i in inbox(session, user(session, "intake"))] == [
        first.tracking_code,
        second.tracking_code,
    ]
    assert inbox(session, user(session, "handler")) == []
    act(session, "intake", second, "classify", **FORWARD)
    assert [i.bpmn_id for i in inbox(session, user(session, "handler"))] == ["handle"]
    assert inbox(session, user(session, "handler2")) == []
    assert inbox(session, user(session, "intake-lc")) == []
    act(session, "intake", first, "classify", decision="request_info", reason="Cần ảnh chụp hiện trường")
    assert [i.bpmn_id for i in inbox(session, user(session, "citizen"))] == ["provide_info"]


def test_form_errors_name_the_field_and_keep_the_task_open(session):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    with pytest.raises(FormInvalid) as refused:
        complete_task(session, user(session, "intake"), item.id, {"decision": "reject"})
    assert refused.value.by_field() == {"reason": "«Lý do / nội dung đề nghị» là bắt buộc."}
    with pytest.raises(FormInvalid) as refused:
        complete_task(session, user(session, "intake"), item.id, {"decision": "forward", "lead_agency": "KHONG-CO"})
    assert [(e.field, e.rule) for e in refused.value.errors] == [("lead_agency", "enum")]
    with pytest.raises(FormInvalid) as refused:
        complete_task(session, user(session, "intake"), item.id, {"decision": "xoa"})
    assert [(e.field, e.rule) for e in refused.value.errors] == [("decision", "enum")]
    assert item_for(session, petition, "classify").state == "ready"


def test_the_history_of_an_instance_says_who_did_what_and_when(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="reject", reason="Không thuộc phạm vi")
    entries = history(session, petition.instance_id)
    assert [(e.actor, e.action) for e in entries] == [("citizen", "petition.submitted"), ("intake", "task.completed")]
    assert entries[1].data["values"]["reason"] == "Không thuộc phạm vi"
    assert entries[1].data["steps"] == ["gw_classification", "notify_rejection", "end_rejected"]
    assert entries[0].at <= entries[1].at
