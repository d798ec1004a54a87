"""Deadlines blame the right party (issue 15 point 4): a step is met, missed or not applicable by what happened;
the intake office's review has its own deadline and its time is not the agency's; the agency's answer clock stops
at its leader's approval; a progress period without an update is recorded missed. Dates computed by hand.

2026 days off: Hùng Kings Sun 26 + Mon 27 Apr, 30 Apr, 1 May, 31 Aug (swapped, Sat 22 Aug worked), 1–2 Sep.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from app.deadlines.status import case_deadlines, petition_deadlines
from app.inspection.search import Filters, search
from app.scheduler.jobs import run_due_timers

from .conftest import act, item_for, open_items, submit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def read(session, petition, when) -> dict[str, tuple]:
    """step → (state, due in Vietnam time, days left or late) of the latest run, as read at `when`."""
    with time_machine.travel(when, tick=False):
        return {d.step: (d.state, d.due_at.astimezone(VN), d.days_left) for d in petition_deadlines(session, petition)}


def test_a_case_forwarded_in_time_after_the_reject_deadline_passed_did_not_miss_a_rejection(session, sessions):
    # Quảng Ngãi (Decision 31/2021). Received Mon 6 Apr 09:00: reject 2 WD → Wed 8 Apr; forward 5 WD → Mon 13 Apr.
    with time_machine.travel(at(2026, 4, 6, 9, 0), tick=False):
        petition = submit(session)
    with time_machine.travel(at(2026, 4, 8, 17, 0, 1), tick=False):
        assert run_due_timers(sessions).fired == 1  # the reject deadline passes while the clerk still studies it
    with time_machine.travel(at(2026, 4, 9, 10, 0), tick=False):  # forwarded on day 3, within the 5 days
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    seen = read(session, petition, at(2026, 4, 10, 9, 0))
    assert seen["reject"] == ("not_applicable", at(2026, 4, 8, 17, 0), None)
    assert seen["forward"] == ("met", at(2026, 4, 13, 17, 0), 2)  # 10 and 13 Apr to spare
    assert petition not in search(session, Filters(overdue=True))  # the auditor's late cases: not this one


def test_a_rejection_after_its_deadline_is_missed_and_the_forward_deadline_does_not_apply(session):
    with time_machine.travel(at(2026, 4, 6, 9, 0), tick=False):
        petition = submit(session)
    with time_machine.travel(at(2026, 4, 9, 10, 0), tick=False):
        act(session, "intake", petition, "classify", decision="reject", reason="Nội dung là khiếu nại")
    seen = read(session, petition, at(2026, 4, 10, 9, 0))
    assert seen["reject"] == ("missed", at(2026, 4, 8, 17, 0), -1)
    assert seen["forward"][0] == "not_applicable"
    assert petition in search(session, Filters(overdue=True))


def test_the_review_has_its_own_deadline_and_its_time_is_not_counted_against_the_agency(session, sessions):
    # Lai Châu (574/QĐ-TTg): forwarded Mon 17 Aug 10:00, 20 WD → Wed 16 Sep (Sat 22 Aug worked, 31 Aug–2 Sep off).
    with time_machine.travel(at(2026, 8, 17, 10, 0), tick=False):
        petition = submit(session, "intake-lc", channel="letter", province_code="lai-chau")
        act(session, "intake-lc", petition, "classify", decision="forward", lead_agency="LC-SXD")
    with time_machine.travel(at(2026, 9, 15, 10, 0), tick=False):  # the leader approves one working day early
        act(session, "handler-lc", petition, "handle", action="answer", answer="Dự thảo trả lời")
        act(session, "leader-lc", petition, "leader_approve", leader_decision="approve")
    # The review: 2 WD from Tue 15 Sep → Thu 17 Sep; the task shows that date, not the agency's.
    review = item_for(session, petition, "review")
    assert review.due_at == at(2026, 9, 17, 17, 0)
    # The intake office keeps it past the agency's deadline and its own: no progress task, the agency is not late.
    with time_machine.travel(at(2026, 9, 21, 9, 0), tick=False):
        assert run_due_timers(sessions).fired == 1  # the review deadline only
    session.refresh(petition)
    assert not petition.late
    assert [i.bpmn_id for i in open_items(session, petition)] == ["review"]
    seen = read(session, petition, at(2026, 9, 21, 9, 30))
    assert seen["answer"] == ("met", at(2026, 9, 16, 17, 0), 1)
    assert seen["review"] == ("overdue", at(2026, 9, 17, 17, 0), -2)
    # Returned Mon 21 Sep 10:00: the agency gets back the day it had left. The clock stood still from Tue 15 to
    # Mon 21 Sep (16, 17, 18, 21: 4 WD), so the answer is due 24 WD after 17 Aug: Tue 22 Sep.
    with time_machine.travel(at(2026, 9, 21, 10, 0), tick=False):
        act(session, "intake-lc", petition, "review", review_decision="return", return_reason="Chưa nêu thời hạn")
    assert item_for(session, petition, "handle").due_at == at(2026, 9, 22, 17, 0)
    seen = read(session, petition, at(2026, 9, 21, 11, 0))
    assert seen["answer"] == ("running", at(2026, 9, 22, 17, 0), 1)
    assert seen["review"] == ("missed", at(2026, 9, 17, 17, 0), -2)
    # Answered again in time: the review (2 WD from Tue 22 Sep → Thu 24 Sep) approves, the answer is met.
    with time_machine.travel(at(2026, 9, 22, 9, 0), tick=False):
        act(session, "handler-lc", petition, "handle", action="answer", answer="Dự thảo có thời hạn")
        act(session, "leader-lc", petition, "leader_approve", leader_decision="approve")
    with time_machine.travel(at(2026, 9, 24, 16, 0), tick=False):
        act(session, "intake-lc", petition, "review", review_decision="approve")
    runs = [(d.step, d.state) for d in case_deadlines(session, petition) if d.step in ("answer", "review")]
    assert runs == [("answer", "met"), ("review", "missed"), ("review", "met")]
    assert petition.status == "publishing"


def test_bac_ninh_a_late_answer_is_missed_and_a_progress_period_without_update_is_missed(session, sessions):
    # Bắc Ninh (17/2024): forwarded Mon 2 Mar 10:00, answer 7 days → Mon 9 Mar; progress every 7 days.
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        petition = submit(session, "intake-bn", channel="phone", province_code="bac-ninh")
        act(session, "intake-bn", petition, "classify", decision="forward", lead_agency="BN-SXD")
    with time_machine.travel(at(2026, 3, 9, 17, 0, 1), tick=False):
        run_due_timers(sessions)
    # The first update is due Mon 16 Mar (9 + 7); nobody posts it, the next is due Mon 23 Mar.
    assert item_for(session, petition, "progress_update").due_at == at(2026, 3, 16, 17, 0)
    with time_machine.travel(at(2026, 3, 16, 17, 0, 1), tick=False):
        assert run_due_timers(sessions).fired == 1
    assert item_for(session, petition, "progress_update").due_at == at(2026, 3, 23, 17, 0)
    # Approved Tue 17 Mar 15:00: the answer is missed by 6 working days (10–13, 16, 17 Mar); the running
    # progress period ends with the answer, neither met nor missed.
    with time_machine.travel(at(2026, 3, 17, 15, 0), tick=False):
        act(session, "handler-bn", petition, "handle", action="answer", answer="Đã xử lý")
        act(session, "leader-bn", petition, "leader_approve", leader_decision="approve")
    with time_machine.travel(at(2026, 3, 18, 9, 0), tick=False):
        runs = [(d.step, d.state, d.days_left) for d in case_deadlines(session, petition) if d.step != "forward"]
        assert runs[:1] == [("reject", "not_applicable", None)]
        assert runs[1:] == [
            ("answer", "missed", -6),
            ("progress", "missed", -1),
            ("progress", "not_applicable", None),
            ("review", "running", 1),
        ]
