"""Leaders assign (issue 15 point 6): a leader assigns or reassigns a task to a named handler of his agency,
audited; returned work goes back to the handler who did it, with a banner stating the leader's or the intake
office's reason."""

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.errors import FormInvalid, PermissionDenied
from app.tasks.operations import assign_task, complete_task

from .conftest import act, item_for, submit, user
from .web import csrf_token

FORWARD = {"decision": "forward", "lead_agency": "QNG-SXD"}


def assigned_entries(session, petition):
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.petition_id == petition.id, AuditEntry.action == "task.assigned")
    )
    return [(e.actor, e.data) for e in rows]


def test_a_leader_assigns_then_reassigns_a_task_to_a_named_handler_of_his_agency_audited(session, login):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    item = item_for(session, petition, "handle")
    leader = login("leader")
    page = leader.get(f"/cong-viec/{item.id}").data.decode()
    assert f'action="/cong-viec/{item.id}/giao"' in page and "Trịnh Văn Bảo (handler-b)" in page
    sent = leader.post(
        f"/cong-viec/{item.id}/giao",
        data={"assignee": "handler-b", "csrf_token": csrf_token(leader, f"/cong-viec/{item.id}")},
    )
    assert sent.status_code == 302
    session.refresh(item)
    assert item.assignee == "handler-b"
    with pytest.raises(PermissionDenied):  # the colleague no longer may take it over
        complete_task(session, user(session, "handler"), item.id, {"action": "answer", "answer": "Dự thảo"})
    session.rollback()
    assign_task(session, user(session, "leader"), item.id, "handler")
    assert assigned_entries(session, petition) == [
        ("leader", {"assignee": "handler-b", "previous_assignee": None}),
        ("leader", {"assignee": "handler", "previous_assignee": "handler-b"}),
    ]
    act(session, "handler", petition, "handle", action="answer", answer="Dự thảo")
    assert petition.status == "leader_review"


def test_a_leader_names_only_his_agencys_staff_and_only_a_leader_assigns(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    item = item_for(session, petition, "handle")
    with pytest.raises(FormInvalid):
        assign_task(session, user(session, "leader"), item.id, "handler2")  # another agency's handler
    session.rollback()
    with pytest.raises(PermissionDenied):
        assign_task(session, user(session, "handler"), item.id, "handler-b")
    session.rollback()
    with pytest.raises(PermissionDenied):
        assign_task(session, user(session, "leader2"), item.id, "handler2")  # another agency's leader


def test_returned_work_goes_back_to_the_handler_who_did_it_with_the_reason(session, login):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    act(session, "handler-b", petition, "handle", action="answer", answer="Dự thảo 1")
    act(session, "leader", petition, "leader_approve", leader_decision="return", leader_note="Bổ sung căn cứ pháp lý")
    again = item_for(session, petition, "handle")
    assert again.assignee == "handler-b"
    page = login("handler-b").get(f"/cong-viec/{again.id}").data.decode()
    assert "Trả lại bởi leader" in page and "Bổ sung căn cứ pháp lý" in page
    assert petition.tracking_code not in login("handler").get("/cong-viec").data.decode()  # held by handler-b
    act(session, "handler-b", petition, "handle", action="answer", answer="Dự thảo 2")
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="return", return_reason="Chưa nêu thời hạn")
    back = item_for(session, petition, "handle")
    assert back.assignee == "handler-b"
    page = login("handler-b").get(f"/cong-viec/{back.id}").data.decode()
    assert "Trả lại bởi intake" in page and "Chưa nêu thời hạn" in page
