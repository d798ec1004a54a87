"""Administrators change the calendars and the deadline values; each change is audited with before/after.

A change can first be previewed (how many running cases it would move); applied with `recompute`, the running
deadlines move in the same transaction as the change.
"""

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import select

from app.accounts.policy import require_admin
from app.audit.log import record
from app.calendars.book import NATIONAL
from app.calendars.book import DeadlineChange as ProvincePeriod
from app.calendars.files import STEPS, UNITS, DayEntry, Period
from app.calendars.models import CalendarDay, DeadlineSetting
from app.calendars.store import bump_revision, current_book
from app.errors import FieldError, FormInvalid
from app.text_rules import visible_length
from app.transaction import operation

from .recompute import Plan, apply_recompute, plan_recompute

MAX_DAYS = 365  # no statutory step takes a year; larger values overflow the date arithmetic
MAX_REMIND_BEFORE = 30


@dataclass
class DayChange:
    """Make `day` off (`off=True`) or worked in `calendar` ("national" or a province); `off=None` drops the
    administrator's entry so that the files and the package decide again."""

    calendar: str
    day: date
    off: bool | None
    name: str = ""
    basis: str = ""


@dataclass
class DeadlineChange:
    province: str
    step: str
    days: int
    unit: str = "working"
    remind_before: int = 1
    basis: str = ""


@dataclass
class ChangeReport:
    before: dict | None
    after: dict | None
    plan: Plan
    applied: bool


@operation
def check_administrator(session, actor, action: str):
    """Refuse (audited) before showing a non-administrator what a change would do."""
    require_admin(actor, action, {})


def _raise_with_reason(errors: list[FieldError], reason: str):
    """A change needs its reason; all problems are reported together."""
    if not (reason or "").strip():
        errors.append(FieldError("reason", "required", {"label": "Lý do thay đổi"}))
    if errors:
        raise FormInvalid(errors)


def _finish(session, actor, action, data, report: ChangeReport, reason, scope) -> ChangeReport:
    """Common end of every change: caches reload, the audit entry, the running deadlines moved if asked."""
    bump_revision(session)
    summary = report.plan.summary()
    record(session, actor, action, data={**data, "before": report.before, "after": report.after, "recomputed": summary})
    if report.plan.moves:
        apply_recompute(session, report.plan, actor, reason, scope)
    return report


def _check_text(errors, field, value, label):
    if not visible_length(value or ""):  # blank, or only zero-width characters: nothing an auditor could read
        errors.append(FieldError(field, "required", {"label": label}))


def _check_calendar(errors, book, calendar):
    if calendar != NATIONAL and calendar not in book.provinces:
        errors.append(
            FieldError("calendar", "enum", {"label": "Lịch", "allowed": ", ".join([NATIONAL, *book.provinces])})
        )


def _day_state(book, calendar, day) -> dict:
    province = None if calendar == NATIONAL else calendar
    entry = book.entries(province).get(day)
    off = not book.calendar(province).is_working_day(day)
    return {
        "date": day.isoformat(),
        "off": off,
        **({"name": entry.name, "basis": entry.basis, "source": entry.source} if entry else {}),
    }


def _book_with_day(book, change: DayChange):
    national = [e for e in book.national_changes if not (change.calendar == NATIONAL and e.day == change.day)]
    provinces = [(p, e) for p, e in book.province_changes if not (p == change.calendar and e.day == change.day)]
    if change.off is not None:
        entry = DayEntry(change.day, change.off, change.name.strip(), change.basis.strip(), "admin")
        if change.calendar == NATIONAL:
            national.append(entry)
        else:
            provinces.append((change.calendar, entry))
    return book.with_changes(national, provinces, book.deadline_changes)


def _day_errors(book, change: DayChange) -> list[FieldError]:
    errors = []
    _check_calendar(errors, book, change.calendar)
    if change.off is not None:
        _check_text(errors, "name", change.name, "Tên ngày")
        _check_text(errors, "basis", change.basis, "Căn cứ pháp lý")
    return errors


def preview_day(session, change: DayChange) -> ChangeReport:
    """What the change would do, without doing it."""
    book = current_book(session)
    errors = _day_errors(book, change)
    if errors:
        raise FormInvalid(errors)
    new_book = _book_with_day(book, change)
    provinces = None if change.calendar == NATIONAL else [change.calendar]
    before, after = _day_state(book, change.calendar, change.day), _day_state(new_book, change.calendar, change.day)
    return ChangeReport(before, after, plan_recompute(session, new_book, provinces), applied=False)


@operation
def change_day(session, actor, change: DayChange, reason: str, recompute: bool = False) -> ChangeReport:
    """Add or remove a day off or a worked day (e.g. a swapped Saturday), audited; optionally move deadlines."""
    data = {**asdict(change), "day": change.day.isoformat(), "reason": reason}
    require_admin(actor, "calendar.day_changed", data)
    book = current_book(session)
    errors = _day_errors(book, change)
    _raise_with_reason(errors, reason)
    new_book = _book_with_day(book, change)
    before, after = _day_state(book, change.calendar, change.day), _day_state(new_book, change.calendar, change.day)
    stored = session.scalar(
        select(CalendarDay).where(CalendarDay.calendar == change.calendar, CalendarDay.day == change.day)
    )
    if change.off is None:
        if stored is not None:
            session.delete(stored)
    else:
        stored = stored or CalendarDay(calendar=change.calendar, day=change.day)
        stored.off, stored.name, stored.basis = change.off, change.name.strip(), change.basis.strip()
        stored.changed_by = actor.username
        session.add(stored)
    provinces = None if change.calendar == NATIONAL else [change.calendar]
    plan = plan_recompute(session, new_book, provinces) if recompute else Plan()
    scope = {"calendar": change.calendar, "date": change.day.isoformat()}
    return _finish(session, actor, "calendar.day_changed", data, ChangeReport(before, after, plan, True), reason, scope)


def _check_range(errors, field, value, label, largest):
    """A whole number from 0 to `largest`; the message names the field and the bound it broke."""
    if not isinstance(value, int) or value < 0:
        errors.append(FieldError(field, "min", {"label": label, "limit": 0}))
    elif value > largest:
        errors.append(FieldError(field, "max", {"label": label, "limit": largest}))


def _deadline_errors(book, change: DeadlineChange) -> list[FieldError]:
    errors = []
    if change.province not in book.provinces:
        errors.append(FieldError("province", "enum", {"label": "Tỉnh", "allowed": ", ".join(book.provinces)}))
    if change.step not in STEPS:
        errors.append(FieldError("step", "enum", {"label": "Bước", "allowed": ", ".join(STEPS)}))
    if change.unit not in UNITS:
        errors.append(FieldError("unit", "enum", {"label": "Đơn vị", "allowed": ", ".join(UNITS)}))
    _check_range(errors, "days", change.days, "Số ngày", MAX_DAYS)
    _check_range(errors, "remind_before", change.remind_before, "Nhắc trước (ngày làm việc)", MAX_REMIND_BEFORE)
    _check_text(errors, "basis", change.basis, "Căn cứ pháp lý")
    return errors


def _book_with_deadline(book, change: DeadlineChange):
    kept = [c for c in book.deadline_changes if not (c.province == change.province and c.step == change.step)]
    period = Period(change.days, change.unit, change.basis.strip(), change.remind_before)
    return book.with_changes(
        book.national_changes, book.province_changes, [*kept, ProvincePeriod(change.province, change.step, period)]
    )


def _period_state(book, province, step) -> dict:
    period = book.periods(province).get(step)
    return {"province": province, "step": step, **asdict(period)} if period else None


def preview_deadline(session, change: DeadlineChange) -> ChangeReport:
    book = current_book(session)
    errors = _deadline_errors(book, change)
    if errors:
        raise FormInvalid(errors)
    new_book = _book_with_deadline(book, change)
    plan = plan_recompute(session, new_book, [change.province], [change.step])
    return ChangeReport(
        _period_state(book, change.province, change.step),
        _period_state(new_book, change.province, change.step),
        plan,
        False,
    )


@operation
def change_deadline(session, actor, change: DeadlineChange, reason: str, recompute: bool = False) -> ChangeReport:
    """Set a province's own period for a step, audited; optionally move that step's running deadlines."""
    data = {**asdict(change), "reason": reason}
    require_admin(actor, "deadline.changed", data)
    book = current_book(session)
    errors = _deadline_errors(book, change)
    _raise_with_reason(errors, reason)
    new_book = _book_with_deadline(book, change)
    before = _period_state(book, change.province, change.step)
    after = _period_state(new_book, change.province, change.step)
    stored = session.scalar(
        select(DeadlineSetting).where(DeadlineSetting.province == change.province, DeadlineSetting.step == change.step)
    ) or DeadlineSetting(province=change.province, step=change.step)
    stored.days, stored.unit, stored.remind_before = change.days, change.unit, change.remind_before
    stored.basis, stored.changed_by = change.basis.strip(), actor.username
    session.add(stored)
    plan = plan_recompute(session, new_book, [change.province], [change.step]) if recompute else Plan()
    scope = {"province": change.province, "step": change.step}
    return _finish(session, actor, "deadline.changed", data, ChangeReport(before, after, plan, True), reason, scope)


def day_off_change(session, calendar: str, day: date, off: bool, name: str, basis: str) -> DayChange:
    """The change that makes `day` off (`off`) or worked, refusing one that changes nothing.

    Undoing an administrator's own entry drops it (the files decide again) rather than stacking a second one.
    """
    book = current_book(session)
    errors = []
    _check_calendar(errors, book, calendar)
    if errors:
        raise FormInvalid(errors)
    province = None if calendar == NATIONAL else calendar
    is_off = not book.calendar(province).is_working_day(day)
    entry = book.entries(province).get(day)
    if off and is_off:
        shown = {"date": day.strftime("%d/%m/%Y"), "name": entry.name if entry else "nghỉ hằng tuần"}
        raise FormInvalid([FieldError("date", "already_off", shown)])
    if not off and not is_off:
        raise FormInvalid([FieldError("date", "already_worked", {"date": day.strftime("%d/%m/%Y")})])
    if entry is not None and entry.source == "admin":
        without = _book_with_day(book, DayChange(calendar, day, None))
        if without.calendar(province).is_working_day(day) == (not off):
            return DayChange(calendar, day, None)
    return DayChange(calendar, day, off, name, basis)
