"""Deadline timers in the running flow: a deadline that passed wins over a late form."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.errors import Conflict
from app.petitions.models import CaseDeadline, Notification
from app.tasks.operations import complete_task

from .conftest import act, item_for, submit, user

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_sender_who_replies_after_the_period_finds_the_case_closed(session):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=VN), tick=False):
        petition = submit(session)
        act(session, "intake", petition, "classify", decision="request_info", reason="Thiếu địa chỉ cụ thể")
        reply_item = item_for(session, petition, "provide_info")
        due = session.scalar(select(CaseDeadline.due_at).where(CaseDeadline.step == "info_reply"))
    assert due == reply_item.due_at
    with time_machine.travel(due + timedelta(minutes=1), tick=False):
        with pytest.raises(Conflict):
            complete_task(session, user(session, "citizen"), reply_item.id, {"info": "Số 12 Trần Hưng Đạo"})
    session.refresh(petition)
    assert petition.status == "closed_no_reply"
    assert session.scalar(select(Notification.kind).order_by(Notification.id.desc()).limit(1)) == "closed_no_reply"
    fired = session.scalar(select(AuditEntry).where(AuditEntry.action == "timer.fired"))
    assert fired.actor == "system" and fired.data["timers"] == ["timer_info_expired"]


def test_a_reply_within_the_period_is_accepted(session):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=VN), tick=False):
        petition = submit(session)
        act(session, "intake", petition, "classify", decision="request_info", reason="Thiếu địa chỉ cụ thể")
    with time_machine.travel(datetime(2026, 3, 6, 9, 0, tzinfo=VN), tick=False):
        act(session, "citizen", petition, "provide_info", info="Số 12 Trần Hưng Đạo")
    assert petition.status == "classifying"


def test_a_late_answer_marks_the_case_late_tells_the_leader_and_asks_for_progress(session):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=VN), tick=False):
        petition = submit(session)
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    answer_due = session.scalar(select(CaseDeadline.due_at).where(CaseDeadline.step == "answer"))
    with time_machine.travel(answer_due + timedelta(days=8), tick=False):
        # Completing the draft still works: the deadline marks lateness, it does not cancel handling.
        act(session, "handler", petition, "handle", action="answer", answer="Trả lời muộn")
    assert petition.late
    assert petition.status == "leader_review"
    leader_mail = session.scalar(select(Notification).where(Notification.kind == "answer_overdue"))
    assert leader_mail.recipient == "leader@demo.pakn.vn"
    overdue = session.scalar(select(CaseDeadline).where(CaseDeadline.step == "answer"))
    assert overdue.overdue_at is not None
