"""Every path of processes/pakn.bpmn, driven through the operations on a real database."""

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.engine.models import ProcessInstance, Timer
from app.petitions.models import CaseDeadline, Notification

from .conftest import act, item_for, open_items, submit

FORWARD = {"decision": "forward", "lead_agency": "QNG-SXD"}


def kinds_sent(session, petition):
    return [
        n.kind
        for n in session.scalars(
            select(Notification)
            .where(Notification.petition_id == petition.id, Notification.channel == "email")
            .order_by(Notification.id)
        )
    ]


def test_submission_waits_for_classification_with_its_deadlines(session):
    petition = submit(session)
    assert petition.status == "classifying"
    item = item_for(session, petition, "classify")
    assert item.agency_code == "QNG-VPUB" and item.groups == ["intake"]
    assert item.due_at is not None
    timers = session.scalars(select(Timer).where(Timer.instance_id == petition.instance_id)).all()
    assert sorted(t.bpmn_id for t in timers) == ["timer_forward_due", "timer_reject_due"]
    steps = {d.step for d in session.scalars(select(CaseDeadline).where(CaseDeadline.petition_id == petition.id))}
    assert steps == {"reject", "forward"}
    assert kinds_sent(session, petition) == ["receipt"]


def test_reject_with_reason_closes_the_case(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="reject", reason="Nội dung là khiếu nại, tố cáo")
    assert petition.status == "rejected"
    assert petition.closed_at is not None
    assert open_items(session, petition) == []
    assert session.scalar(select(func.count(Timer.id)).where(Timer.instance_id == petition.instance_id)) == 0
    instance = session.get(ProcessInstance, petition.instance_id)
    assert instance.status == "completed" and instance.end_event == "end_rejected"
    assert kinds_sent(session, petition) == ["receipt", "rejected"]


def test_request_info_then_reply_returns_to_classification_then_forward(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="request_info", reason="Xin cho biết số nhà cụ thể")
    assert petition.status == "awaiting_info"
    assert kinds_sent(session, petition)[-1] == "request_info"
    act(session, "citizen", petition, "provide_info", info="Số nhà 12, tổ dân phố 3")
    assert petition.status == "classifying"
    assert kinds_sent(session, petition)[-1] == "info_provided"  # the sender is told his answer arrived
    act(session, "intake", petition, "classify", **FORWARD)
    assert petition.status == "handling"
    assert petition.lead_agency.code == "QNG-SXD"
    assert item_for(session, petition, "handle").agency_code == "QNG-SXD"
    # The classification clock restarted from the reply: two runs of the forward deadline are recorded.
    runs = session.scalars(
        select(CaseDeadline).where(CaseDeadline.petition_id == petition.id, CaseDeadline.step == "forward")
    ).all()
    assert len(runs) == 2


def test_forward_handle_return_handle_approve_publish(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    act(session, "handler", petition, "handle", action="answer", answer="Đã kiểm tra, yêu cầu tháo dỡ.")
    assert petition.status == "leader_review"
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    assert petition.status == "reviewing"
    act(session, "intake", petition, "review", review_decision="return", return_reason="Chưa nêu thời hạn tháo dỡ")
    assert petition.status == "handling"
    act(
        session,
        "handler",
        petition,
        "handle",
        action="answer",
        answer="Yêu cầu chủ công trình tháo dỡ trước ngày 30/11.",
    )
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    assert petition.status == "publishing"
    act(session, "intake", petition, "publish", public_summary="Đã yêu cầu tháo dỡ công trình lấn chiếm.")
    assert petition.status == "published"
    assert petition.answer == "Yêu cầu chủ công trình tháo dỡ trước ngày 30/11."
    assert petition.published_at is not None and petition.closed_at is not None
    assert session.get(ProcessInstance, petition.instance_id).end_event == "end_published"
    assert kinds_sent(session, petition) == ["receipt", "forwarded", "published"]
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.petition_id == petition.id).order_by(AuditEntry.id)
    ).all()
    assert actions == ["petition.submitted"] + ["task.completed"] * 8


def test_leader_return_goes_back_to_the_handler(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    act(session, "handler", petition, "handle", action="answer", answer="Dự thảo 1")
    act(session, "leader", petition, "leader_approve", leader_decision="return", leader_note="Bổ sung căn cứ")
    assert petition.status == "handling"
    assert item_for(session, petition, "handle")


def test_handle_at_the_intake_office(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="handle_here")
    assert petition.lead_agency.code == "QNG-VPUB"
    act(session, "vp-handler", petition, "handle", action="answer", answer="Văn phòng trả lời trực tiếp.")
    act(session, "vp-leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish")
    assert petition.status == "published"


def test_transfer_to_the_competent_agency(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    act(
        session, "handler", petition, "handle",
        action="transfer", transfer_kind="competent", transfer_to="QNG-SNNMT", transfer_reason="Thuộc lĩnh vực đất đai",
    )  # fmt: skip
    assert petition.lead_agency.code == "QNG-SNNMT"
    assert item_for(session, petition, "handle").agency_code == "QNG-SNNMT"
    assert kinds_sent(session, petition) == ["receipt", "forwarded", "transferred", "transfer_told"]
    act(session, "handler2", petition, "handle", action="answer", answer="Sở Nông nghiệp và Môi trường trả lời.")
    assert petition.status == "leader_review"


def test_state_secret_at_classification_closes_without_publication(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="state_secret", reason="Liên quan bí mật nhà nước")
    assert petition.status == "closed_secret"
    assert petition.state_secret and petition.hidden
    assert petition.published_at is None and petition.answer is None
    assert kinds_sent(session, petition) == ["receipt"]


def test_state_secret_found_while_handling_closes_without_publication(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    act(session, "handler", petition, "handle", action="state_secret", secret_note="Tài liệu mật")
    assert petition.status == "closed_secret"
    assert petition.state_secret and petition.published_at is None
    assert open_items(session, petition) == []
    # The terminate end event also removed the waiting answer-deadline timer.
    assert session.scalar(select(func.count(Timer.id)).where(Timer.instance_id == petition.instance_id)) == 0
