"""Statutory deadlines in running cases, clock moved with time-machine; dates computed by hand in comments.

2026 days off: 1–2 Jan (2 Jan swapped, Sat 10 Jan worked), Tết 16–20 Feb, Hùng Kings Sun 26 + Mon 27 Apr,
30 Apr, 1 May, 31 Aug (swapped, Sat 22 Aug worked), 1–2 Sep, 24 Nov.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.deadlines.status import case_deadlines, petition_deadlines, task_status
from app.engine.models import Timer
from app.petitions.models import CaseDeadline, Notification
from app.scheduler.jobs import run_due_timers

from .conftest import act, item_for, submit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def deadline(session, petition, step) -> datetime:
    """The latest run of `step`, in Vietnam time."""
    due = session.scalar(
        select(CaseDeadline.due_at)
        .where(CaseDeadline.petition_id == petition.id, CaseDeadline.step == step)
        .order_by(CaseDeadline.id.desc())
        .limit(1)
    )
    return due.astimezone(VN)


def timers(session, petition) -> dict:
    rows = session.execute(select(Timer.bpmn_id, Timer.due_at).where(Timer.instance_id == petition.instance_id))
    return {bpmn_id: due.astimezone(VN) for bpmn_id, due in rows}


def fired_entries(session, petition) -> int:
    return session.scalar(
        select(func.count()).where(AuditEntry.petition_id == petition.id, AuditEntry.action == "timer.fired")
    )


def test_quang_ngai_tet_then_an_information_request_restarts_the_forward_clock_from_the_reply(session, sessions):
    with time_machine.travel(at(2026, 2, 12, 9, 0), tick=False):
        petition = submit(session)
    # Received Thu 12 Feb. Reject 2 WD: Fri 13 (1), Tết 14–22, Mon 23 (2). Forward 5 WD: 13, 23, 24, 25, Thu 26.
    assert deadline(session, petition, "reject") == at(2026, 2, 23, 17, 0)
    assert deadline(session, petition, "forward") == at(2026, 2, 26, 17, 0)
    assert timers(session, petition) == {
        "timer_reject_due": at(2026, 2, 23, 17),
        "timer_forward_due": at(2026, 2, 26, 17),
    }
    assert item_for(session, petition, "classify").due_at == at(2026, 2, 26, 17, 0)
    with time_machine.travel(at(2026, 2, 13, 10, 0), tick=False):
        act(session, "intake", petition, "classify", decision="request_info", reason="Cần địa chỉ cụ thể")
    # The clock stops: classification timers are gone, the sender's 10 WD run from Fri 13 Feb:
    # 23, 24, 25, 26, 27 Feb, 2, 3, 4, 5, Fri 6 Mar.
    assert timers(session, petition) == {"timer_info_expired": at(2026, 3, 6, 17, 0)}
    with time_machine.travel(at(2026, 3, 2, 18, 30), tick=False):
        act(session, "citizen", petition, "provide_info", info="Số 12 Trần Hưng Đạo")
    # Reply Mon 2 Mar after the close counts on Tue 3 Mar. Forward 5 WD: 4, 5, 6, 9, Tue 10 Mar; reject 2 WD: Thu 5.
    assert deadline(session, petition, "forward") == at(2026, 3, 10, 17, 0)
    assert deadline(session, petition, "reject") == at(2026, 3, 5, 17, 0)
    assert item_for(session, petition, "classify").due_at == at(2026, 3, 10, 17, 0)


def test_quang_ngai_hung_kings_reminder_late_answer_and_progress_updates(session, sessions):
    with time_machine.travel(at(2026, 4, 15, 9, 0), tick=False):
        petition = submit(session)
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    # Answer 15 WD from Wed 15 Apr: 16, 17, 20–24 (7), Hùng Kings 25–27, 28, 29 (9), 30 Apr–3 May off,
    # 4–8 May (14), Mon 11 May (15). Reminder 2 WD before: opening of Thu 7 May.
    assert deadline(session, petition, "answer") == at(2026, 5, 11, 17, 0)
    assert timers(session, petition)["timer_answer_reminder"] == at(2026, 5, 7, 7, 30)
    handle = item_for(session, petition, "handle")
    assert handle.due_at == at(2026, 5, 11, 17, 0)

    with time_machine.travel(at(2026, 5, 7, 8, 0), tick=False):
        assert run_due_timers(sessions).fired == 1
        status = task_status(session, handle, "quang-ngai")
        assert (status.days_left, status.urgency, status.describe()) == (2, "soon", "còn 2 ngày làm việc")
        (answer,) = [d for d in petition_deadlines(session, petition) if d.step == "answer"]
        assert (answer.state, answer.days_left) == ("running", 2)
    reminded = session.scalars(select(Notification.recipient).where(Notification.kind == "answer_reminder")).all()
    assert sorted(reminded) == ["handler-b@demo.pakn.vn", "handler@demo.pakn.vn", "leader@demo.pakn.vn"]

    with time_machine.travel(at(2026, 5, 11, 16, 59), tick=False):
        assert run_due_timers(sessions).fired == 0
    with time_machine.travel(at(2026, 5, 11, 17, 0, 1), tick=False):
        assert run_due_timers(sessions).fired == 1
    session.refresh(petition)
    assert petition.late and petition.status == "handling"  # late, still handled
    assert session.scalar(select(Notification.recipient).where(Notification.kind == "answer_overdue")) == (
        "leader@demo.pakn.vn"
    )
    # Progress every 5 WD from the missed deadline (Mon 11 May): 12, 13, 14, 15, Mon 18 May.
    assert deadline(session, petition, "progress") == at(2026, 5, 18, 17, 0)
    with time_machine.travel(at(2026, 5, 12, 9, 0), tick=False):
        (answer,) = [d for d in petition_deadlines(session, petition) if d.step == "answer"]
        assert (answer.state, answer.days_left, answer.describe("en")) == ("overdue", -1, "1 working day late")
    # The update is asked for at once, due at the period's end.
    assert item_for(session, petition, "progress_update").due_at == at(2026, 5, 18, 17, 0)
    with time_machine.travel(at(2026, 5, 18, 9, 0), tick=False):
        act(session, "handler", petition, "progress_update", progress_note="Đang kiểm tra hiện trường")
    told = session.scalar(select(Notification).where(Notification.kind == "progress", Notification.channel == "sms"))
    assert "Đang kiểm tra hiện trường" in told.body and petition.tracking_code in told.body
    # The next update keeps the beat: 5 WD after Mon 18 May is Mon 25 May, though this one came early.
    assert deadline(session, petition, "progress") == at(2026, 5, 25, 17, 0)
    # Nobody posts the second update: at the period's end it is recorded missed and the third is asked (1 Jun).
    with time_machine.travel(at(2026, 5, 25, 17, 0, 1), tick=False):
        assert run_due_timers(sessions).fired == 1
    assert deadline(session, petition, "progress") == at(2026, 6, 1, 17, 0)
    assert item_for(session, petition, "progress_update").due_at == at(2026, 6, 1, 17, 0)
    with time_machine.travel(at(2026, 5, 26, 9, 0), tick=False):
        progress = [(d.state, d.due_at) for d in case_deadlines(session, petition) if d.step == "progress"]
        act(session, "handler", petition, "handle", action="answer", answer="Đã xử lý vi phạm")
    assert progress == [
        ("met", at(2026, 5, 18, 17, 0)),
        ("missed", at(2026, 5, 25, 17, 0)),
        ("running", at(2026, 6, 1, 17, 0)),
    ]
    assert petition.status == "leader_review"


def test_lai_chau_twenty_working_days_across_national_day_and_progress_every_seven_days(session, sessions):
    with time_machine.travel(at(2026, 8, 17, 10, 0), tick=False):
        petition = submit(session, "intake-lc", channel="letter", province_code="lai-chau")
        act(session, "intake-lc", petition, "classify", decision="forward", lead_agency="LC-SXD")
    # 20 WD from Mon 17 Aug: 18–21 (4), Sat 22 worked (5), 24–28 (10), 29 Aug–2 Sep off, 3, 4 (12),
    # 7–11 (17), 14, 15, Wed 16 Sep (20).
    assert deadline(session, petition, "answer") == at(2026, 9, 16, 17, 0)
    with time_machine.travel(at(2026, 9, 16, 17, 5), tick=False):
        run_due_timers(sessions)
    # Progress every 7 (calendar) days: Wed 16 Sep + 7 = Wed 23 Sep.
    assert deadline(session, petition, "progress") == at(2026, 9, 23, 17, 0)


def test_bac_ninh_seven_calendar_days_move_off_tet_and_off_a_sunday_and_forwarding_is_same_day(session):
    with time_machine.travel(at(2026, 2, 13, 10, 0), tick=False):
        tet = submit(session, "intake-bn", channel="phone", province_code="bac-ninh")
        # Forwarded at once: by the close of the day of receipt.
        assert deadline(session, tet, "forward") == at(2026, 2, 13, 17, 0)
        act(session, "intake-bn", tet, "classify", decision="forward", lead_agency="BN-SXD")
    # Fri 13 Feb + 7 days = Fri 20 Feb, a Tết day → Mon 23 Feb.
    assert deadline(session, tet, "answer") == at(2026, 2, 23, 17, 0)
    with time_machine.travel(at(2026, 3, 1, 10, 0), tick=False):
        sunday = submit(session, "intake-bn", channel="phone", province_code="bac-ninh")
        act(session, "intake-bn", sunday, "classify", decision="forward", lead_agency="BN-SXD")
    # Sun 1 Mar + 7 = Sun 8 Mar → Monday 9 Mar's close.
    assert deadline(session, sunday, "answer") == at(2026, 3, 9, 17, 0)
    with time_machine.travel(at(2026, 1, 3, 10, 0), tick=False):
        saturday = submit(session, "intake-bn", channel="phone", province_code="bac-ninh")
        # Received Sat 3 Jan (a day off) → counts on Mon 5 Jan; reject 2 WD: 6, Wed 7 Jan.
        assert deadline(session, saturday, "reject") == at(2026, 1, 7, 17, 0)
        act(session, "intake-bn", saturday, "classify", decision="forward", lead_agency="BN-SXD")
    # Sat 3 Jan + 7 = Sat 10 Jan, the swapped working Saturday: due that day.
    assert deadline(session, saturday, "answer") == at(2026, 1, 10, 17, 0)


def test_timers_due_while_the_service_was_down_fire_once_at_start(session, sessions):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        petition = submit(session)
    # Reject due Wed 4 Mar, forward due Mon 9 Mar; nobody runs timers until 20 Mar.
    with time_machine.travel(at(2026, 3, 20, 8, 0), tick=False):
        first = run_due_timers(sessions)
        again = run_due_timers(sessions)
    assert (first.fired, first.instances, first.failed) == (2, 1, [])
    assert (again.fired, again.instances) == (0, 0)
    assert fired_entries(session, petition) == 1
    overdue = session.scalars(select(CaseDeadline.step).where(CaseDeadline.overdue_at.is_not(None))).all()
    assert sorted(overdue) == ["forward", "reject"]
    assert timers(session, petition) == {}
    assert item_for(session, petition, "classify")  # the clerk can still classify: lateness is recorded


def test_two_schedulers_on_one_database_never_fire_a_timer_twice(session, sessions):
    import threading

    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        petitions = [submit(session) for _ in range(8)]
    reports = []
    with time_machine.travel(at(2026, 3, 20, 8, 0), tick=False):
        workers = [
            threading.Thread(target=lambda n=n: reports.append(run_due_timers(sessions, worker=f"w{n}", limit=3)))
            for n in range(2)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert sum(r.fired for r in reports) == 16
    assert all(r.failed == [] for r in reports)
    assert [fired_entries(session, p) for p in petitions] == [1] * 8
    assert session.scalar(select(func.count()).select_from(Timer)) == 0


def test_the_scheduler_service_fires_a_due_timer_by_itself(session, sessions):
    import time

    from app.scheduler.service import start_scheduler

    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        petition = submit(session)
    with time_machine.travel(at(2026, 3, 20, 8, 0), tick=True):
        scheduler = start_scheduler(sessions, interval_seconds=0.2)
        try:
            for _ in range(100):
                if fired_entries(session, petition):
                    break
                time.sleep(0.1)
        finally:
            scheduler.shutdown()
    assert fired_entries(session, petition) == 1


def test_a_deadline_passing_exactly_now_is_not_fired_early(session, sessions):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        petition = submit(session)
    with time_machine.travel(at(2026, 3, 4, 17, 0), tick=False):  # the reject deadline itself
        assert run_due_timers(sessions).fired == 0
    with time_machine.travel(at(2026, 3, 4, 17, 0) + timedelta(seconds=1), tick=False):
        assert run_due_timers(sessions).fired == 1
    assert fired_entries(session, petition) == 1


def test_one_tick_fires_everything_due_even_when_a_batch_holds_one_instance_twice(session, sessions):
    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        first = submit(session)  # reject due 4 Mar, forward due 9 Mar
    with time_machine.travel(at(2026, 3, 16, 9, 0), tick=False):
        second = submit(session)  # reject due 18 Mar, forward due 23 Mar
    with time_machine.travel(at(2026, 3, 30, 8, 0), tick=False):
        # Batches of 2 by due date: first's two timers, then second's two.
        report = run_due_timers(sessions, limit=2)
    assert (report.fired, report.instances, report.claimed) == (4, 2, 4)
    assert [fired_entries(session, p) for p in (first, second)] == [1, 1]


def test_a_worker_that_loads_after_another_fired_records_nothing(session, sessions, monkeypatch):
    from app.petitions import operations  # noqa: PLC0415

    with time_machine.travel(at(2026, 3, 2, 9, 0), tick=False):
        petition = submit(session)
    original, raced = operations.load_instance, []

    def other_worker_first(own_session, instance_id, functions):
        if not raced:  # between this worker's first look and its load, another worker fires and commits
            raced.append(True)
            with sessions() as other:
                assert operations.fire_due_timers(other, instance_id)
        return original(own_session, instance_id, functions)

    monkeypatch.setattr(operations, "load_instance", other_worker_first)
    with time_machine.travel(at(2026, 3, 20, 8, 0), tick=False):
        assert operations.fire_due_timers(session, petition.instance_id) == []
    assert raced and fired_entries(session, petition) == 1
