"""A finished case's answer is stored once (issue 18 point 3): its instance's state names it and gets it back from
the petition's row (app/engine/held.py); a running case's state keeps its own copy, which its forms may change. A
leader who approves the answer as the handler wrote it is audited without a copy of it."""

import json

import pytest
from sqlalchemy import select, update

from app.audit.models import AuditEntry
from app.engine.instances import load_instance, read_instance
from app.engine.live import live_key, live_workflows
from app.engine.models import ProcessInstance
from app.engine.runtime import EngineError
from app.engine.serialization import dump_state, state_text
from app.petitions.history import case_history
from app.petitions.models import Petition

from .conftest import act, submit

FORWARD = {"decision": "forward", "lead_agency": "QNG-SXD"}
ANSWER = (
    "Sở Xây dựng đã kiểm tra hiện trường cùng Ủy ban nhân dân phường, lập biên bản vi phạm và yêu cầu chủ đầu tư "
    "tháo dỡ phần lấn chiếm vỉa hè trong năm ngày; phường theo dõi việc khắc phục và báo cáo kết quả."
)


def answered(session) -> tuple[Petition, str]:
    """A case whose handler answered (the instance still running), and the handle task's id."""
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    handle = act(session, "handler", petition, "handle", action="answer", answer=ANSWER)
    return petition, handle.task_id


def publish(session, petition):
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary="Đã xử lý.")
    assert petition.status == "published" and petition.answer == ANSWER


def stored_text(session, petition) -> str:
    session.expire_all()
    return state_text(session.get(ProcessInstance, petition.instance_id).state)


def test_a_running_case_keeps_its_answer_in_its_state(session):
    petition, _ = answered(session)
    assert json.dumps(ANSWER, ensure_ascii=False) in stored_text(session, petition)
    assert '"$held"' not in stored_text(session, petition)


def test_a_published_case_names_its_answer_and_reads_it_back_from_the_petition(session):
    petition, handle_task = answered(session)
    publish(session, petition)
    text = stored_text(session, petition)
    assert ANSWER not in text and json.dumps(ANSWER, ensure_ascii=False)[1:-1] not in text
    assert json.loads(text)["data"]["answer"] == {"$held": "answer"}
    snapshot = read_instance(session, petition.instance_id)
    assert snapshot.workflow.data["answer"] == ANSWER
    assert snapshot.task_data(handle_task)["answer"] == ANSWER  # the completed task's form shows what was sent
    whole, held = dump_state(snapshot.workflow), dump_state(snapshot.workflow, {"answer": ANSWER})
    assert len(held) + 100 < len(whole)
    assert snapshot.workflow.data["answer"] == ANSWER  # naming it changed nothing of the workflow in memory


def test_the_petitions_row_is_the_truth_for_a_held_text(session):
    petition, _ = answered(session)
    publish(session, petition)
    corrected = ANSWER.replace("năm ngày", "bảy ngày")
    session.execute(update(Petition).where(Petition.id == petition.id).values(answer=corrected))
    session.commit()
    assert read_instance(session, petition.instance_id).workflow.data["answer"] == corrected


def test_a_state_naming_a_text_its_row_lost_is_refused_with_the_name(session):
    petition, _ = answered(session)
    publish(session, petition)
    session.execute(update(Petition).where(Petition.id == petition.id).values(answer=None))
    session.commit()
    with pytest.raises(EngineError, match="'answer'"):
        read_instance(session, petition.instance_id)


def test_a_short_answer_is_written_in_the_state(session):
    """A text shorter than held.HOLD_OVER costs less written than looked up."""
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    act(session, "handler", petition, "handle", action="answer", answer="Đã xử lý xong.")
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary="Đã xử lý.")
    assert json.loads(stored_text(session, petition))["data"]["answer"] == "Đã xử lý xong."


def test_the_write_path_reads_a_held_text_back_too(session):
    """A writer that does not keep the workflow in memory (another worker) rebuilds it with the answer."""
    petition, _ = answered(session)
    publish(session, petition)
    key = live_key(session, petition.instance_id)
    live_workflows.take(key, session.get(ProcessInstance, petition.instance_id).lock_version)  # another worker's
    running = load_instance(session, petition.instance_id, {})
    assert running.workflow.data["answer"] == ANSWER and running.workflow.completed
    session.rollback()


def completion(session, petition, bpmn_id) -> AuditEntry:
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.instance_id == petition.instance_id, AuditEntry.action == "task.completed")
    )
    return [e for e in entries if e.data["bpmn_id"] == bpmn_id][-1]


def test_an_answer_approved_as_given_is_audited_by_name_and_shown_unchanged(session):
    petition, _ = answered(session)
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    approval = completion(session, petition, "leader_approve")
    assert approval.data["values"] == {"leader_decision": "approve"}
    assert approval.data["unchanged"] == ["answer"]
    assert completion(session, petition, "handle").data["values"]["answer"] == ANSWER  # the one copy
    step = next(s for s in case_history(session, petition.instance_id) if s.entry.id == approval.id)
    assert ("Nội dung trả lời", "Giữ nguyên như khi nhận công việc") in step.details, step.details
    assert not any(label == "unchanged" for label, _ in step.notes)


def test_an_answer_the_leader_edits_is_audited_in_full(session):
    petition, _ = answered(session)
    edited = ANSWER + " Lãnh đạo bổ sung: phường báo cáo kết quả trước ngày 20."
    act(session, "leader", petition, "leader_approve", leader_decision="approve", answer=edited)
    approval = completion(session, petition, "leader_approve")
    assert approval.data["values"]["answer"] == edited and "unchanged" not in approval.data
