"""Administrators change calendars and deadline values: audited, previewed, running deadlines recomputed."""

import os
import subprocess
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.calendars.models import CalendarDay
from app.calendars.store import current_book
from app.config import ROOT
from app.deadlines.admin import (
    DayChange,
    DeadlineChange,
    change_day,
    change_deadline,
    day_off_change,
    preview_day,
)
from app.engine.models import Timer, WorkItem
from app.errors import FormInvalid, PermissionDenied
from app.petitions.models import CaseDeadline
from app.scheduler.jobs import run_due_timers

from .conftest import act, item_for, submit, user

VN = ZoneInfo("Asia/Ho_Chi_Minh")
EXTRA_DAY_OFF = DayChange("national", date(2026, 5, 6), True, "Ngày nghỉ thử nghiệm", "Quyết định số 1/QĐ-TEST")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def answer_due(session, petition) -> datetime:
    due = session.scalar(
        select(CaseDeadline.due_at)
        .where(CaseDeadline.petition_id == petition.id, CaseDeadline.step == "answer")
        .order_by(CaseDeadline.id.desc())
        .limit(1)
    )
    return due.astimezone(VN)


def timer_due(session, petition, bpmn_id) -> datetime:
    due = session.scalar(
        select(Timer.due_at).where(Timer.instance_id == petition.instance_id, Timer.bpmn_id == bpmn_id)
    )
    return due.astimezone(VN)


@pytest.fixture
def running_cases(session):
    """A Quảng Ngãi and a Lai Châu case being handled since Wed 15 Apr 2026, and a case still at classification."""
    with time_machine.travel(at(2026, 4, 15, 9, 0), tick=False):
        quang_ngai = submit(session)
        act(session, "intake", quang_ngai, "classify", decision="forward", lead_agency="QNG-SXD")
        lai_chau = submit(session, "intake-lc", channel="letter", province_code="lai-chau")
        act(session, "intake-lc", lai_chau, "classify", decision="forward", lead_agency="LC-SXD")
        waiting = submit(session)
    # Quảng Ngãi 15 WD → Mon 11 May; Lai Châu 20 WD: …, 11 May (15), 12–15 (19), Mon 18 May (20).
    assert answer_due(session, quang_ngai) == at(2026, 5, 11, 17, 0)
    assert answer_due(session, lai_chau) == at(2026, 5, 18, 17, 0)
    return quang_ngai, lai_chau, waiting


def test_a_national_day_off_previewed_then_applied_moves_every_running_deadline_it_falls_in(
    session, sessions, running_cases
):
    quang_ngai, lai_chau, waiting = running_cases
    with time_machine.travel(at(2026, 4, 20, 9, 0), tick=False):
        preview = preview_day(session, EXTRA_DAY_OFF)
        assert (preview.plan.cases, preview.applied) == (2, False)  # the classification deadlines end before 6 May
        assert preview.before["off"] is False and preview.after["off"] is True
        assert answer_due(session, quang_ngai) == at(2026, 5, 11, 17, 0)  # a preview changes nothing
        report = change_day(session, user(session, "admin"), EXTRA_DAY_OFF, "Thử nghiệm", recompute=True)
    assert report.plan.cases == 2
    # Wed 6 May off: each answer deadline moves one working day.
    assert answer_due(session, quang_ngai) == at(2026, 5, 12, 17, 0)
    assert answer_due(session, lai_chau) == at(2026, 5, 19, 17, 0)
    assert timer_due(session, quang_ngai, "timer_answer_due") == at(2026, 5, 12, 17, 0)
    assert timer_due(session, quang_ngai, "timer_answer_reminder") == at(2026, 5, 8, 7, 30)  # 2 WD before: 11, 8 May
    assert item_for(session, quang_ngai, "handle").due_at == at(2026, 5, 12, 17, 0)
    assert timer_due(session, waiting, "timer_forward_due") == at(2026, 4, 22, 17, 0)  # untouched

    change = session.scalar(select(AuditEntry).where(AuditEntry.action == "calendar.day_changed"))
    assert change.actor == "admin" and change.data["reason"] == "Thử nghiệm"
    assert change.data["before"]["off"] is False and change.data["after"]["basis"] == "Quyết định số 1/QĐ-TEST"
    assert change.data["recomputed"]["cases"] == 2
    moved = session.scalar(
        select(AuditEntry).where(AuditEntry.action == "deadline.recomputed", AuditEntry.petition_id == quang_ngai.id)
    )
    assert {
        "step": "answer",
        "what": "deadline",
        "before": "2026-05-11T10:00:00+00:00",
        "after": "2026-05-12T10:00:00+00:00",
    } in moved.data["moves"]

    # The engine follows the timer table: nothing fires at the old instant, it fires at the new one.
    with time_machine.travel(at(2026, 5, 11, 17, 30), tick=False):
        run_due_timers(
            session.get_bind() and __import__("app.db", fromlist=["x"]).make_session_factory(session.get_bind())
        )
    session.refresh(quang_ngai)
    assert not quang_ngai.late
    with time_machine.travel(at(2026, 5, 12, 17, 1), tick=False):
        act(session, "handler", quang_ngai, "handle", action="answer", answer="Trả lời sau hạn")
    assert quang_ngai.late


def test_without_recompute_only_new_deadlines_use_the_changed_calendar(session, running_cases):
    quang_ngai, _, _ = running_cases
    with time_machine.travel(at(2026, 4, 20, 9, 0), tick=False):
        report = change_day(session, user(session, "admin"), EXTRA_DAY_OFF, "Thử nghiệm", recompute=False)
        assert report.plan.cases == 0
        fresh = submit(session)
        act(session, "intake", fresh, "classify", decision="forward", lead_agency="QNG-SXD")
    assert answer_due(session, quang_ngai) == at(2026, 5, 11, 17, 0)
    # From Mon 20 Apr: 21–24 (4), 28, 29 (6), 4, 5, 7, 8 (10; 6 May off), 11–15 (15) → Fri 15 May.
    assert answer_due(session, fresh) == at(2026, 5, 15, 17, 0)


def test_a_province_deadline_value_changes_only_that_province(session, running_cases):
    quang_ngai, lai_chau, _ = running_cases
    change = DeadlineChange("quang-ngai", "answer", 10, "working", 2, "Quyết định số 2/QĐ-UBND (thử nghiệm)")
    with time_machine.travel(at(2026, 4, 20, 9, 0), tick=False):
        report = change_deadline(session, user(session, "admin"), change, "Rút ngắn thời hạn", recompute=True)
    assert (report.before["days"], report.after["days"], report.plan.cases) == (15, 10, 1)
    # 10 WD from Wed 15 Apr: 16, 17, 20–24 (7), 28, 29 (9), Mon 4 May (10).
    assert answer_due(session, quang_ngai) == at(2026, 5, 4, 17, 0)
    assert answer_due(session, lai_chau) == at(2026, 5, 18, 17, 0)
    assert current_book(session).periods("quang-ngai")["answer"].days == 10
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "deadline.changed"))
    assert entry.data["before"]["days"] == 15 and entry.data["after"]["days"] == 10


def test_a_swapped_saturday_added_and_removed(session):
    admin = user(session, "admin")
    saturday = date(2026, 6, 13)
    change = day_off_change(session, "quang-ngai", saturday, False, "Làm bù cho ngày 19/6", "Quyết định số 3/QĐ-UBND")
    change_day(session, admin, change, "Hoán đổi ngày làm việc")
    assert current_book(session).calendar("quang-ngai").is_working_day(saturday)
    assert not current_book(session).calendar("lai-chau").is_working_day(saturday)  # a province's own change
    # Removing it drops the administrator's entry: the weekend decides again.
    undo = day_off_change(session, "quang-ngai", saturday, True, "", "")
    assert undo.off is None
    change_day(session, admin, undo, "Huỷ hoán đổi")
    assert not current_book(session).calendar("quang-ngai").is_working_day(saturday)
    assert session.scalar(select(func.count()).select_from(CalendarDay)) == 0
    # Removing a package holiday keeps a worked-day entry with its basis.
    removal = day_off_change(session, "national", date(2026, 11, 24), False, "Làm việc", "Văn bản thử nghiệm")
    assert removal.off is False
    change_day(session, admin, removal, "Thử nghiệm")
    assert current_book(session).calendar("bac-ninh").is_working_day(date(2026, 11, 24))


def test_changes_are_refused_to_non_administrators_and_bad_input_is_named(session):
    with pytest.raises(PermissionDenied):
        change_day(session, user(session, "leader"), EXTRA_DAY_OFF, "Thử")
    refusal = session.scalar(select(AuditEntry).where(AuditEntry.outcome == "refused"))
    assert (refusal.actor, refusal.action) == ("leader", "calendar.day_changed")
    assert session.scalar(select(func.count()).select_from(CalendarDay)) == 0

    with pytest.raises(FormInvalid) as invalid:
        change_day(session, user(session, "admin"), DayChange("national", date(2026, 5, 6), True, "", " "), "")
    assert set(invalid.value.by_field()) == {"name", "basis", "reason"}
    assert invalid.value.by_field("en")["basis"] == "“Legal basis” is required."
    with pytest.raises(FormInvalid) as invalid:
        day_off_change(session, "national", date(2026, 9, 2), True, "Quốc khánh", "x")
    assert invalid.value.by_field()["date"] == "Ngày 02/09/2026 đã là ngày nghỉ (Quốc khánh)."
    with pytest.raises(FormInvalid) as invalid:
        change_deadline(session, user(session, "admin"), DeadlineChange("ha-noi", "answr", -1, "weeks"), "x")
    assert set(invalid.value.by_field()) == {"province", "step", "unit", "days", "basis"}
    assert session.scalar(select(func.count()).select_from(CalendarDay)) == 0


def run_py(*args, db_url, input_text=None):
    env = {**os.environ, "DATABASE_URL": db_url, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        input=input_text,
        timeout=120,
    )


def test_the_deadline_command_prints_the_due_instant_with_its_offset(db_url):
    result = run_py(
        "deadline",
        "--province",
        "quang-ngai",
        "--step",
        "request-info",
        "--from",
        "2026-02-12T16:30:00+07:00",
        db_url=db_url,
    )
    # Thu 12 Feb, 5 WD: Fri 13, Tết 16–20, 23, 24, 25, Thu 26 Feb.
    assert result.returncode == 0 and result.stdout.strip() == "2026-02-26T17:00:00+07:00"
    result = run_py(
        "deadline", "--province", "bac-ninh", "--step", "answer", "--from", "2026-08-26T10:00", db_url=db_url
    )
    # Wed 26 Aug + 7 = Wed 2 Sep (National Day) → Thu 3 Sep.
    assert result.stdout.strip() == "2026-09-03T17:00:00+07:00"
    bad = run_py("deadline", "--province", "quang-ngai", "--step", "answer", "--from", "12/02/2026", db_url=db_url)
    assert bad.returncode == 2 and "--from" in bad.stderr and "ISO 8601" in bad.stderr


def test_the_calendar_command_tells_how_many_cases_move_and_asks_before_applying(session, running_cases, db_url):
    args = ["calendar", "add-day-off", "--calendar", "national", "--date", "2026-05-06", "--name", "Nghỉ thử",
            "--basis", "Quyết định số 1/QĐ-TEST", "--reason", "Thử", "--as", "admin", "--recompute"]  # fmt: skip
    with time_machine.travel(at(2026, 4, 20, 9, 0), tick=False):
        declined = run_py(*args, db_url=db_url, input_text="n\n")
    assert declined.returncode == 1 and "Sẽ dời hạn của 2 hồ sơ" in declined.stdout
    assert session.scalar(select(func.count()).select_from(CalendarDay)) == 0
    applied = run_py(*args, "--yes", db_url=db_url)
    assert applied.returncode == 0, applied.stderr
    assert "cases moved: 2" in applied.stdout
    session.expire_all()
    assert session.scalar(select(CalendarDay.name)) == "Nghỉ thử"
    assert session.scalar(select(func.count()).where(AuditEntry.action == "deadline.recomputed")) == 2
    refused = run_py(*args[:-3], "--as", "handler", db_url=db_url)
    assert refused.returncode == 3 and "refused" in refused.stderr
    session.expire_all()
    refusal = session.scalar(select(AuditEntry).where(AuditEntry.outcome == "refused"))
    assert (refusal.actor, refusal.action) == ("handler", "calendar.day_changed")
    shown = run_py("calendar", "show", "--calendar", "quang-ngai", "--year", "2026", db_url=db_url)
    assert "2026-05-06 Wed nghỉ/off    Nghỉ thử — Quyết định số 1/QĐ-TEST [admin]" in shown.stdout
    assert "2026-01-10 Sat làm/worked" in shown.stdout
    assert session.scalar(select(func.count()).select_from(WorkItem).where(WorkItem.due_step == "answer")) >= 2
