"""The monthly review's "reopen" measure (issue 16 point 5) puts an answered case back to work: the answering
agency gets a `clarification` task on the leader's instruction, due by the province's policy (Quảng Ngãi,
Decision 31/2021 provinces: 5 working days), in its inbox and overdue like any task; its answer reaches the sender
as the result of a re-examination, on his timeline, by e-mail and SMS, and on his case page."""

import html
from datetime import datetime

import pytest
import time_machine
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.calendars.working_days import VIETNAM
from app.engine.models import WorkItem
from app.errors import FormInvalid, PermissionDenied
from app.petitions.clarifications import ask_clarification, clarifications_of, may_reply
from app.petitions.models import CaseDeadline, CaseEvent, Clarification, Notification
from app.petitions.moderation import hide_petition
from app.petitions.operations import fire_due_timers
from app.petitions.ratings import rate_answer
from app.reviews.measures import measures_for, record_measure, review_cases
from app.reviews.models import MonthlyReview
from app.scheduler.jobs import start_due_reviews
from app.tasks.operations import complete_task
from app.tasks.queries import InboxFilters, inbox, inbox_page

from .conftest import act, submit, user
from .web import csrf_token

INSTRUCTION = "Kiểm tra lại hiện trường đèn đường tổ 5 và trả lời cụ thể thời hạn sửa."
RESULT = "Đã thay bóng đèn ngày 8/5/2026; đội quản lý chiếu sáng kiểm tra hằng tuần."
REPLY = "Đèn vẫn hỏng, xin cơ quan trả lời rõ thời hạn sửa."


def vn(*args) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def april(session, sessions):
    """A case answered by the Department of Construction and rated one star in April, a report hidden in April
    and never answered; the reviews of April started on Monday 4 May (1 May a holiday, 2–3 May a weekend)."""
    with at(vn(2026, 4, 15, 10, 0)):
        answered = submit(session, title="Đèn đường tổ 5 hỏng")
        act(session, "intake", answered, "classify", decision="forward", lead_agency="QNG-SXD")
        act(session, "handler", answered, "handle", action="answer", answer="Sẽ sửa trong tháng.")
        act(session, "leader", answered, "leader_approve", leader_decision="approve")
        act(session, "intake", answered, "review", review_decision="approve")
        act(session, "intake", answered, "publish", public_summary="Sẽ sửa đèn")
        rate_answer(session, user(session, "citizen"), answered, 1, "Chưa sửa")
        unanswered = submit(session, title="Bình luận xúc phạm cán bộ")
        hide_petition(session, user(session, "intake"), unanswered, "abusive")
    with at(vn(2026, 5, 4, 9, 0)):
        start_due_reviews(sessions)
    return {"answered": answered, "unanswered": unanswered}


def review_of(session, agency_code) -> tuple[WorkItem, dict]:
    review = next(r for r in session.scalars(select(MonthlyReview)) if r.agency.code == agency_code)
    task = session.scalar(select(WorkItem).where(WorkItem.instance_id == review.instance_id))
    return task, {c.petition.tracking_code: c for c in review_cases(session, review)}


def task_review(session, task) -> MonthlyReview:
    return session.scalar(select(MonthlyReview).where(MonthlyReview.instance_id == task.instance_id))


def reopen_task(session, petition) -> WorkItem:
    (item,) = session.scalars(
        select(WorkItem).where(
            WorkItem.business_key == petition.tracking_code,
            WorkItem.process_key == "clarification",
            WorkItem.state == "ready",
        )
    ).all()
    return item


def sender_page(app, petition) -> str:
    sender = app.test_client()
    sender.get(f"/ho-so/{petition.tracking_code}/{petition.sender_key}")
    return html.unescape(sender.get(f"/tra-cuu/{petition.tracking_code}").data.decode())


def told(session, kind) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.kind == kind)))


def test_reopen_gives_the_lead_agency_a_task_due_by_policy_and_its_answer_reaches_the_sender(
    session, app, login, april
):
    petition = april["answered"]
    task, cases = review_of(session, "QNG-SXD")
    case = cases[petition.tracking_code]
    assert "reopen" in measures_for(case, task_review(session, task))
    # Wed 6 May 10:00 + 5 working days: Thu 7, Fri 8, Mon 11, Tue 12, Wed 13 May, at the office's close.
    with at(vn(2026, 5, 6, 10, 0)):
        record_measure(session, user(session, "leader"), task.id, case.id, "reopen", f"  {INSTRUCTION} ")
    item = reopen_task(session, petition)
    assert (item.bpmn_id, item.agency_code, item.due_step, item.due_at) == (
        "clarify_answer",
        "QNG-SXD",
        "clarification",
        vn(2026, 5, 13, 17, 0),
    )
    assert item in inbox(session, user(session, "handler")) and item in inbox(session, user(session, "leader"))
    assert item not in inbox(session, user(session, "handler2"))  # another agency's staff
    (asked,) = clarifications_of(session, petition)
    assert (asked.asked_as, asked.asked_by, asked.reply, asked.agency_code) == (
        "review",
        "leader",
        INSTRUCTION,
        "QNG-SXD",
    )
    # the sender is told at once, on his timeline and by e-mail and SMS; his own replies are not counted
    reopened = told(session, "reopened")
    assert {(n.channel, n.recipient) for n in reopened} == {("email", "an.nguyen@example.vn"), ("sms", "0912345678")}
    assert all(INSTRUCTION in n.body and petition.tracking_code in n.body for n in reopened)
    assert not may_reply(session, user(session, "citizen"), petition)  # one waiting at a time
    with pytest.raises(FormInvalid) as waiting:
        ask_clarification(session, user(session, "citizen"), petition, REPLY)
    assert "đang xem xét lại kết quả theo yêu cầu của lãnh đạo" in waiting.value.by_field()["reply"]
    mine = sender_page(app, petition)
    assert "Lãnh đạo yêu cầu xem xét lại" in mine and INSTRUCTION in mine
    assert "Cơ quan đang xem xét lại theo yêu cầu này." in mine
    assert "Ý kiến phản hồi của người gửi" not in mine  # not shown as his own words
    task_page = html.unescape(login("handler").get(f"/cong-viec/{item.id}").data.decode())
    assert f"Lãnh đạo yêu cầu xem xét lại: {INSTRUCTION}" in task_page

    with at(vn(2026, 5, 11, 9, 0)):
        complete_task(session, user(session, "handler"), item.id, {"clarification": RESULT})
    session.refresh(asked)
    assert (asked.answer, asked.answered_at) == (RESULT, vn(2026, 5, 11, 9, 0))
    run = session.scalar(select(CaseDeadline).where(CaseDeadline.step == "clarification"))
    assert (run.agency_code, run.verdict) == ("QNG-SXD", "met")
    result = told(session, "reexamined")
    assert {(n.channel, n.recipient) for n in result} == {("email", "an.nguyen@example.vn"), ("sms", "0912345678")}
    assert all(RESULT in n.body for n in result) and not told(session, "clarified")
    assert all("xem xét lại" in n.subject for n in result if n.channel == "email")  # an SMS has no subject
    kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.petition_id == petition.id)).all()
    assert kinds[-2:] == ["reopened", "reexamined"]
    mine = sender_page(app, petition)
    assert "Kết quả xem xét lại" in mine and RESULT in mine
    assert "Cơ quan đã xem xét lại theo yêu cầu của lãnh đạo" in mine  # the timeline's step
    assert may_reply(session, user(session, "citizen"), petition)  # his three replies are all left

    entries = session.scalars(select(AuditEntry).where(AuditEntry.petition_id == petition.id)).all()
    measure = next(e for e in entries if e.action == "review.measure")
    reopen = next(e for e in entries if e.action == "petition.reopened")
    assert (measure.actor, measure.outcome, measure.data["measure"], measure.data["text"]) == (
        "leader",
        "ok",
        "reopen",
        INSTRUCTION,
    )
    assert (reopen.actor, reopen.instance_id, reopen.data["agency"]) == ("leader", item.instance_id, "QNG-SXD")


def test_a_reopened_case_left_unanswered_goes_overdue_and_stays_with_the_agency(session, april):
    petition = april["answered"]
    task, cases = review_of(session, "QNG-SXD")
    with at(vn(2026, 5, 6, 10, 0)):
        record_measure(
            session, user(session, "leader"), task.id, cases[petition.tracking_code].id, "reopen", INSTRUCTION
        )
    item = reopen_task(session, petition)
    with at(vn(2026, 5, 14, 9, 0)):
        assert fire_due_timers(session, item.instance_id) == ["timer_clarification_due"]
        session.refresh(item)
        assert item.state == "ready"
        rows = inbox_page(session, user(session, "handler"), InboxFilters(due="overdue")).rows
        assert item.id in {row.item.id for row in rows}


def test_refusals_unanswered_no_instruction_a_reply_waiting_not_the_leader_nothing_half_saved(session, login, april):
    answered, unanswered = april["answered"], april["unanswered"]
    office_task, office_cases = review_of(session, "QNG-VPUB")
    hidden = office_cases[unanswered.tracking_code]
    assert "reopen" not in measures_for(hidden, task_review(session, office_task))  # not offered
    with pytest.raises(FormInvalid) as never_answered:
        record_measure(session, user(session, "vp-leader"), office_task.id, hidden.id, "reopen", INSTRUCTION)
    assert never_answered.value.by_field() == {
        "measure": "«Biện pháp»: chỉ yêu cầu xử lý lại được PAKN đã có kết quả trả lời; PAKN này chưa có, "
        "hãy chọn biện pháp khác."
    }
    # on the leader's page too: the message, no 500
    leader = login("vp-leader")
    page = f"/cong-viec/{office_task.id}"
    sent = {"csrf_token": csrf_token(leader, page), "measure": "reopen", "text": INSTRUCTION}
    refused = leader.post(f"{page}/ra-soat/{hidden.id}", data=sent)
    shown = html.unescape(leader.get(refused.headers["Location"]).data.decode())
    assert "chỉ yêu cầu xử lý lại được PAKN đã có kết quả trả lời" in shown

    task, cases = review_of(session, "QNG-SXD")
    case = cases[answered.tracking_code]
    with pytest.raises(FormInvalid) as empty:
        record_measure(session, user(session, "leader"), task.id, case.id, "reopen", "   ")
    assert empty.value.by_field() == {"text": "«Nội dung yêu cầu xem xét lại» là bắt buộc."}
    with pytest.raises(PermissionDenied):
        record_measure(session, user(session, "handler"), task.id, case.id, "reopen", INSTRUCTION)
    ask_clarification(session, user(session, "citizen"), answered, REPLY)
    with pytest.raises(FormInvalid) as waiting:
        record_measure(session, user(session, "leader"), task.id, case.id, "reopen", INSTRUCTION)
    assert "PAKN đang chờ cơ quan làm rõ ý kiến phản hồi" in waiting.value.by_field()["measure"]

    session.expire_all()
    assert hidden.measure is None and case.measure is None
    assert [c.asked_as for c in clarifications_of(session, answered)] == ["sender"]
    assert (
        session.scalar(select(func.count()).select_from(Clarification).where(Clarification.asked_as == "review")) == 0
    )
    assert not told(session, "reopened")
    refusals = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "review.measure", AuditEntry.outcome == "refused")
    ).all()
    assert [e.actor for e in refusals] == ["handler"]
    assert not session.scalars(select(AuditEntry).where(AuditEntry.action == "petition.reopened")).all()
