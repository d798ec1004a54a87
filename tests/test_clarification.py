"""After the answer (issue 16 point 4, seed 002 Art. 12.1–2): the sender replies to clarify the published result,
by his account or his case's link; the answering agency gets a task of the `clarification` process due by its
province's policy (Decision 31/2021 provinces: 5 working days; Bắc Ninh 17/2024: 3 working days, both the
product's choice), answers it, and the sender is told; the exchange shows on his case page and, where the answer
is public, on the public one."""

import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.deadlines.admin import DeadlineChange, change_deadline
from app.deadlines.status import petition_deadlines
from app.engine.models import Timer, WorkItem
from app.errors import FormInvalid, PermissionDenied
from app.inspection.search import Filters, started_by_hand
from app.messaging.digests import write_digests
from app.petitions.clarifications import REPLY_LIMIT, ask_clarification, clarifications_of
from app.petitions.models import CaseDeadline, Notification
from app.petitions.moderation import hide_petition
from app.petitions.operations import fire_due_timers
from app.petitions.senders import LinkHolder
from app.process_starts.queries import startable_processes
from app.tasks.operations import complete_task
from app.tasks.queries import inbox

from .conftest import act, submit, user
from .web import csrf_token

VN = ZoneInfo("Asia/Ho_Chi_Minh")
REPLY = "Văn bản trả lời chưa nói rõ thời hạn tháo dỡ phần lấn chiếm vỉa hè."
CLARIFIED = "Chủ công trình phải tháo dỡ trước ngày 30/4/2026; quá hạn sẽ bị cưỡng chế."


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def answered_in_quang_ngai(session, **overrides):
    petition = submit(session, **overrides)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    act(session, "handler", petition, "handle", action="answer", answer="Đã yêu cầu chủ công trình tháo dỡ.")
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary="Đã yêu cầu tháo dỡ")
    return petition


def answered_in_bac_ninh(session):
    petition = submit(session, "intake-bn", channel="phone", province_code="bac-ninh")
    act(session, "intake-bn", petition, "classify", decision="forward", lead_agency="BN-SXD")
    act(session, "handler-bn", petition, "handle", action="answer", answer="Đã kiểm tra, xử lý.")
    act(session, "leader-bn", petition, "leader_approve", leader_decision="approve")
    act(session, "intake-bn", petition, "review", review_decision="approve")
    act(session, "intake-bn", petition, "publish", public_summary="Đã xử lý")
    return petition


def clarification_task(session, petition) -> WorkItem:
    (item,) = session.scalars(
        select(WorkItem).where(
            WorkItem.business_key == petition.tracking_code,
            WorkItem.process_key == "clarification",
            WorkItem.state == "ready",
        )
    ).all()
    return item


def clarify(session, petition, username="handler"):
    item = clarification_task(session, petition)
    complete_task(session, user(session, username), item.id, {"clarification": CLARIFIED})


def page(client, petition) -> str:
    response = client.get(f"/tra-cuu/{petition.tracking_code}")
    assert response.status_code == 200
    return html.unescape(response.data.decode())


def test_a_reply_gives_the_agency_a_task_due_in_5_working_days_and_its_answer_reaches_the_sender(session, client):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        petition = answered_in_quang_ngai(session)
    # Tue 10 Mar 10:00 + 5 working days: 11, 12, 13, 16, 17 → Tue 17 Mar at the close of office hours.
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        reply = ask_clarification(session, user(session, "citizen"), petition, f"  {REPLY}  ")
    item = clarification_task(session, petition)
    assert (item.bpmn_id, item.agency_code, item.due_at, item.due_step) == (
        "clarify_answer",
        "QNG-SXD",
        at(2026, 3, 17, 17, 0),
        "clarification",
    )
    assert reply.reply == REPLY and reply.agency_code == "QNG-SXD" and reply.answer is None
    assert item in inbox(session, user(session, "handler")) and item in inbox(session, user(session, "leader"))
    assert item not in inbox(session, user(session, "handler2"))  # another agency's staff
    assert petition.status == "published"  # the answered case stays answered
    with time_machine.travel(at(2026, 3, 12, 9, 0), tick=False):
        complete_task(session, user(session, "handler"), item.id, {"clarification": CLARIFIED})
    session.refresh(reply)
    assert (reply.answer, reply.answered_at) == (CLARIFIED, at(2026, 3, 12, 9, 0))
    run = session.scalar(select(CaseDeadline).where(CaseDeadline.step == "clarification"))
    assert (run.agency_code, run.verdict) == ("QNG-SXD", "met")
    told = session.scalars(select(Notification).where(Notification.kind == "clarified")).all()
    assert sorted((n.channel, n.recipient) for n in told) == [("email", "an.nguyen@example.vn"), ("sms", "0912345678")]
    assert all(CLARIFIED in n.body and petition.tracking_code in n.body for n in told)
    public = page(client, petition)  # the answer is public: so is the exchange
    assert REPLY in public and CLARIFIED in public
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.petition_id == petition.id)).all()
    assert "petition.clarification_asked" in actions


def test_in_bac_ninh_the_sender_replies_by_his_link_and_the_task_is_due_in_3_working_days(session):
    with time_machine.travel(at(2026, 4, 20, 9, 0), tick=False):
        petition = answered_in_bac_ninh(session)
    # Thu 23 Apr 10:00 + 3 working days: Fri 24 (1), Hùng Kings day Sun 26 gives Mon 27 off, Tue 28 (2), Wed 29 (3).
    with time_machine.travel(at(2026, 4, 23, 10, 0), tick=False):
        ask_clarification(session, LinkHolder(petition.id, petition.tracking_code), petition, REPLY)
    item = clarification_task(session, petition)
    assert (item.agency_code, item.due_at) == ("BN-SXD", at(2026, 4, 29, 17, 0))
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "petition.clarification_asked"))
    assert entry.actor == f"sender:{petition.tracking_code}"
    # Unanswered past its due date: overdue like any task, and recorded so; it stays with the agency.
    with time_machine.travel(at(2026, 5, 4, 9, 0), tick=False):  # the next working day after 30 Apr and 1 May
        assert fire_due_timers(session, item.instance_id) == ["timer_clarification_due"]
        session.refresh(item)
        assert item.state == "ready"
        assert item in inbox(session, user(session, "handler-bn"))
        (run,) = [d for d in petition_deadlines(session, petition) if d.step == "clarification"]
        assert run.state == "overdue"
        write_digests(session)  # the 07:30 digests: the handler's and the intake office's name it overdue
        digests = session.scalars(select(Notification).where(Notification.kind == "digest")).all()
        line = f"{petition.tracking_code} Làm rõ ý kiến phản hồi của người gửi (17:00 29/04/2026)"
        named = {n.recipient for n in digests if line in n.body}
        assert {user(session, "handler-bn").email, user(session, "intake-bn").email} <= named
        complete_task(session, user(session, "leader-bn"), item.id, {"clarification": CLARIFIED})
    run = session.scalar(select(CaseDeadline).where(CaseDeadline.step == "clarification"))
    assert run.verdict == "missed" and run.overdue_at is not None
    told = session.scalars(select(Notification).where(Notification.kind == "clarified")).all()
    assert {n.channel for n in told} == {"email", "sms"} and all(CLARIFIED in n.body for n in told)


def test_refusals_not_the_sender_not_answered_empty_too_long_one_waiting(session):
    petition = submit(session)
    citizen = user(session, "citizen")
    with pytest.raises(FormInvalid) as early:
        ask_clarification(session, citizen, petition, REPLY)
    assert early.value.by_field()["reply"].endswith("chỉ gửi được khi cơ quan đã có kết quả trả lời.")
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    act(session, "handler", petition, "handle", action="answer", answer="Đã xử lý.")
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary="Đã xử lý")
    for stranger in (user(session, "handler"), LinkHolder(petition.id + 1000, "PAKN-KHAC"), None):
        with pytest.raises(PermissionDenied):
            ask_clarification(session, stranger, petition, REPLY)
    refused = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "petition.clarification", AuditEntry.outcome == "refused")
    ).all()
    assert len(refused) == 3
    for text, rule in (("   ", "là bắt buộc"), ("x" * (REPLY_LIMIT + 1), f"dài tối đa {REPLY_LIMIT} ký tự")):
        with pytest.raises(FormInvalid) as invalid:
            ask_clarification(session, citizen, petition, text)
        assert rule in invalid.value.by_field()["reply"]
    ask_clarification(session, citizen, petition, "x" * REPLY_LIMIT)  # the limit itself is allowed
    with pytest.raises(FormInvalid) as waiting:
        ask_clarification(session, citizen, petition, REPLY)
    assert "đang chờ cơ quan làm rõ" in waiting.value.by_field()["reply"]
    assert len(clarifications_of(session, petition)) == 1  # nothing half-saved by the refusals


def test_at_most_three_replies_a_case(session):
    petition = answered_in_quang_ngai(session)
    citizen = user(session, "citizen")
    for n in range(3):
        ask_clarification(session, citizen, petition, f"{REPLY} ({n + 1})")
        clarify(session, petition)
    with pytest.raises(FormInvalid) as limit:
        ask_clarification(session, citizen, petition, REPLY)
    assert "tối đa 3 ý kiến phản hồi" in limit.value.by_field()["reply"]


def test_the_exchange_of_a_hidden_case_stays_with_its_sender(session, client, app):
    petition = answered_in_quang_ngai(session)
    ask_clarification(session, user(session, "citizen"), petition, REPLY)
    clarify(session, petition)
    hide_petition(session, user(session, "intake"), petition, "abusive")
    assert REPLY not in page(client, petition) and CLARIFIED not in page(client, petition)
    sender = app.test_client()
    sender.get(f"/ho-so/{petition.tracking_code}/{petition.sender_key}")
    mine = page(sender, petition)
    assert REPLY in mine and CLARIFIED in mine


def test_the_clarification_process_is_never_started_by_hand_nor_listed_as_such(session):
    assert "clarification" not in {s.key for s in startable_processes(session, user(session, "admin"))}
    petition = answered_in_quang_ngai(session)
    ask_clarification(session, user(session, "citizen"), petition, REPLY)
    assert started_by_hand(session, Filters()) == []  # the auditor finds it under its case


def test_the_sender_replies_on_his_case_page_by_his_link_and_a_stranger_is_refused(session, app, login):
    petition = answered_in_quang_ngai(session)
    sender = app.test_client()
    sender.get(f"/ho-so/{petition.tracking_code}/{petition.sender_key}")
    assert "Gửi ý kiến phản hồi" in page(sender, petition)
    path = f"/tra-cuu/{petition.tracking_code}/phan-hoi"
    token = csrf_token(sender, f"/tra-cuu/{petition.tracking_code}")
    too_long = "á" * (REPLY_LIMIT + 1)
    refused = sender.post(path, data={"csrf_token": token, "reply": too_long})
    assert refused.status_code == 422
    shown = html.unescape(refused.data.decode())
    assert f"dài tối đa {REPLY_LIMIT} ký tự" in shown and too_long in shown  # his text kept
    assert sender.post(path, data={"csrf_token": token, "reply": REPLY}).status_code == 302
    mine = page(sender, petition)
    assert REPLY in mine and "Cơ quan đang làm rõ ý kiến phản hồi này." in mine and 'name="reply"' not in mine
    stranger = app.test_client()
    token = csrf_token(stranger, f"/tra-cuu/{petition.tracking_code}")
    assert 'name="reply"' not in page(stranger, petition)
    assert stranger.post(path, data={"csrf_token": token, "reply": REPLY}).status_code == 403
    item = clarification_task(session, petition)
    task_page = html.unescape(login("handler").get(f"/cong-viec/{item.id}").data.decode())
    assert REPLY in task_page and petition.tracking_code in task_page and "Làm rõ ý kiến phản hồi" in task_page


def test_a_changed_policy_moves_a_waiting_clarification_when_the_administrator_recomputes(session):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        petition = answered_in_quang_ngai(session)
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        ask_clarification(session, user(session, "citizen"), petition, REPLY)
        change = DeadlineChange("quang-ngai", "clarification", 3, "working", 0, "Quyết định số 3/QĐ-TEST")
        change_deadline(session, user(session, "admin"), change, "Rút ngắn thời hạn làm rõ", recompute=True)
    item = clarification_task(session, petition)
    # Tue 10 Mar + 3 working days: 11, 12, 13 → Fri 13 Mar; the task, its case's deadline and its timer move.
    assert item.due_at == at(2026, 3, 13, 17, 0)
    run = session.scalar(select(CaseDeadline).where(CaseDeadline.step == "clarification"))
    timer = session.scalar(select(Timer).where(Timer.instance_id == item.instance_id))
    assert run.due_at == timer.due_at == at(2026, 3, 13, 17, 0)


def test_an_overdue_clarification_puts_its_case_in_overdue_now_on_the_figures_and_the_case_list(session):
    from datetime import date  # noqa: PLC0415

    from app.petitions.unit_cases import CaseFilters, unit_cases  # noqa: PLC0415
    from app.statistics.figures import Period, Slice, figures  # noqa: PLC0415

    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        petition = answered_in_quang_ngai(session)
    with time_machine.travel(at(2026, 3, 10, 10, 0), tick=False):
        ask_clarification(session, user(session, "citizen"), petition, REPLY)
    march = Period(date(2026, 3, 1), date(2026, 3, 31))
    province = Slice(province="quang-ngai")
    due = clarification_task(session, petition).due_at  # Tue 17 Mar 17:00
    assert figures(session, march, province, now=due - timedelta(minutes=1)).overdue_now == 0
    assert figures(session, march, province, now=due + timedelta(minutes=1)).overdue_now == 1
    listed = unit_cases(session, user(session, "leader"), CaseFilters(figure="overdue_now"), due + timedelta(hours=1))
    assert [p.tracking_code for p in listed.rows] == [petition.tracking_code]
    early = unit_cases(session, user(session, "leader"), CaseFilters(figure="overdue_now"), due - timedelta(hours=1))
    assert early.rows == []
