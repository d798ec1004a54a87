"""One case-deadline view for clerks, senders and auditors: cases where the clerk's and the auditor's verdicts
used to differ, clock moved with time-machine (Quảng Ngãi, Decision 31/2021; no day off from 6 to 24 Apr 2026).

Received Mon 6 Apr 09:00: reject 2 WD → Wed 8 Apr 17:00; forward 5 WD (7, 8, 9, 10, 13) → Mon 13 Apr 17:00.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from app.deadlines.status import case_deadlines, petition_deadlines
from app.scheduler.jobs import run_due_timers

from .conftest import act, item_for, submit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def verdicts(session, petition, when, every_run=False) -> dict[str, tuple]:
    """step → (state, days left or late) of the latest run (or every run, in order) as read at `when`."""
    with time_machine.travel(when, tick=False):
        rows = case_deadlines(session, petition) if every_run else petition_deadlines(session, petition)
    if every_run:
        return [(d.step, d.state, d.current) for d in rows]
    return {d.step: (d.state, d.days_left) for d in rows}


@pytest.fixture
def received(session):
    with time_machine.travel(at(2026, 4, 6, 9, 0), tick=False):
        return submit(session)


def test_a_classification_completed_late_is_missed_and_stops_counting_while_the_case_stays_open(session, received):
    with time_machine.travel(at(2026, 4, 14, 10, 0), tick=False):  # one working day after the forward deadline
        act(session, "intake", received, "classify", decision="forward", lead_agency="QNG-SXD")
    # Read on Fri 17 Apr: late by the one day it took (Tue 14 Apr), not by the four days since the due day.
    assert verdicts(session, received, at(2026, 4, 17, 9, 0))["forward"] == ("missed", -1)
    assert verdicts(session, received, at(2026, 4, 24, 9, 0))["forward"] == ("missed", -1)


def test_a_deadline_past_due_whose_timer_has_not_fired_yet_is_overdue_not_running(session, received):
    # Tue 14 Apr 09:00, before the timer job ran: the forward deadline (Mon 13 Apr) has passed.
    assert verdicts(session, received, at(2026, 4, 14, 9, 0))["forward"] == ("overdue", -1)


def test_a_request_for_information_ends_the_classification_run_in_time_and_the_rejection_deadline_does_not_apply(
    session, received
):
    with time_machine.travel(at(2026, 4, 9, 10, 0), tick=False):  # after the reject deadline, before forward's
        act(session, "intake", received, "classify", decision="request_info", reason="Cần số nhà cụ thể")
    # While the sender is asked (10 WD: 10, 13–17, 20–23 → Thu 23 Apr), nothing of the classification counts on.
    read = verdicts(session, received, at(2026, 4, 13, 9, 0))
    # The reject deadline (Wed 8 Apr) fired, but the case was not rejected: that deadline does not apply to it.
    assert read["reject"] == ("not_applicable", None)
    assert read["forward"] == ("met", 2)  # stopped by the request with 2 working days to spare
    assert read["info_reply"] == ("running", 8)


def test_the_runs_a_reply_restarted_stay_in_the_auditors_view_behind_the_current_ones(session, received):
    with time_machine.travel(at(2026, 4, 7, 10, 0), tick=False):
        act(session, "intake", received, "classify", decision="request_info", reason="Cần số nhà cụ thể")
    with time_machine.travel(at(2026, 4, 8, 10, 0), tick=False):
        act(session, "citizen", received, "provide_info", info="Số 12 Trần Hưng Đạo")
    assert verdicts(session, received, at(2026, 4, 8, 11, 0), every_run=True) == [
        ("reject", "not_applicable", False),
        ("forward", "met", False),
        ("info_reply", "met", True),
        ("reject", "running", True),
        ("forward", "running", True),
    ]


def test_a_reply_cut_off_by_its_deadline_is_missed(session, sessions, received):
    with time_machine.travel(at(2026, 4, 9, 10, 0), tick=False):
        act(session, "intake", received, "classify", decision="request_info", reason="Cần số nhà cụ thể")
    with time_machine.travel(at(2026, 4, 24, 9, 0), tick=False):  # the day after the reply deadline
        run_due_timers(sessions)
    session.refresh(received)
    assert received.status == "closed_no_reply"
    assert verdicts(session, received, at(2026, 4, 24, 10, 0))["info_reply"] == ("missed", -1)


def test_an_answer_worked_on_after_its_deadline_fired_is_overdue_then_missed_once_answered(session, sessions):
    # Forwarded Mon 6 Apr: 15 WD (7–10, 13–17, 20–24, Hùng Kings 26–27 Apr off, 28) → Tue 28 Apr 17:00.
    with time_machine.travel(at(2026, 4, 6, 9, 0), tick=False):
        petition = submit(session)
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    with time_machine.travel(at(2026, 4, 29, 9, 0), tick=False):
        run_due_timers(sessions)
    assert verdicts(session, petition, at(2026, 4, 29, 9, 30))["answer"] == ("overdue", -1)
    with time_machine.travel(at(2026, 4, 29, 10, 0), tick=False):
        act(session, "handler", petition, "handle", action="answer", answer="Đã xử lý vi phạm")
        act(session, "leader", petition, "leader_approve", leader_decision="approve")
        act(session, "intake", petition, "review", review_decision="approve")
    assert verdicts(session, petition, at(2026, 5, 4, 9, 0))["answer"] == ("missed", -1)


def row_of(page: str, label: str) -> str:
    rows = [row for row in re.findall(r"<tr[^>]*>.*?</tr>", page, flags=re.S) if label in row]
    assert rows, f"no row for {label}"
    return rows[0]


def test_the_clerk_the_sender_and_the_auditor_read_one_verdict_on_a_classification_done_late(
    session, login, client, received
):
    with time_machine.travel(at(2026, 4, 14, 10, 0), tick=False):
        act(session, "intake", received, "classify", decision="forward", lead_agency="QNG-SXD")
    handle = item_for(session, received, "handle")
    with time_machine.travel(at(2026, 4, 17, 9, 0), tick=False):
        clerk = login("handler").get(f"/cong-viec/{handle.id}").data.decode()
        auditor = login("auditor").get(f"/kiem-tra/{received.instance_id}").data.decode()
        portal = client.get(f"/tra-cuu/{received.tracking_code}").data.decode()
    forward = "Phân loại, chuyển xử lý"
    assert "trễ hạn" in row_of(clerk, forward) and "quá hạn" not in row_of(clerk, forward)
    assert 'data-outcome="missed"' in row_of(auditor, forward) and "1 ngày làm việc" in row_of(auditor, forward)
    assert forward not in portal.split("Thời hạn")[-1]  # the sender follows open deadlines only: answer


def test_days_left_or_late_read_from_the_catalogue_with_english_plurals():
    from datetime import UTC, datetime  # noqa: PLC0415

    from app.deadlines.status import DeadlineStatus  # noqa: PLC0415

    def said(days, lang):
        return DeadlineStatus("answer", datetime(2026, 3, 2, tzinfo=UTC), days, "running").describe(lang)

    assert [said(d, "en") for d in (1, 3, 0, -1, -4)] == [
        "1 working day left", "3 working days left", "due today", "1 working day late", "4 working days late",
    ]  # fmt: skip
    assert [said(d, "vi") for d in (1, 0, -4)] == ["còn 1 ngày làm việc", "đến hạn hôm nay", "quá hạn 4 ngày làm việc"]
