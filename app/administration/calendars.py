"""What the calendar pages show: a calendar's dated days of a year and each province's step deadlines, with
where each value comes from (file, package or an administrator's change), and the latest changes."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.calendars.book import NATIONAL, PACKAGE
from app.calendars.files import Period
from app.calendars.models import CalendarDay, DeadlineSetting

CHANGE_ACTIONS = ("calendar.day_changed", "deadline.changed")


@dataclass
class Origin:
    """Where a value comes from: kind is "package", "file", "policy" or "admin"."""

    kind: str
    name: str = ""
    changed_by: str | None = None
    changed_at: datetime | None = None


@dataclass
class DayRow:
    day: date
    off: bool
    name: str
    basis: str
    origin: Origin


@dataclass
class StepRow:
    step: str
    period: Period
    origin: Origin


def calendar_names(book) -> list[tuple[str, str]]:
    """(code, name) of every calendar: the national one first, then each province."""
    return [(NATIONAL, book.files.national.name)] + [(p, book.files.provinces[p].name) for p in book.provinces]


def _admin_origin(stored: CalendarDay | DeadlineSetting | None) -> Origin:
    if stored is None:
        return Origin("admin")
    return Origin("admin", changed_by=stored.changed_by, changed_at=stored.changed_at)


def _day_origin(entry, stored: CalendarDay | None) -> Origin:
    if entry.source == "admin":
        return _admin_origin(stored)
    if entry.source == PACKAGE:
        return Origin("package", PACKAGE)
    return Origin("file", entry.source)


def year_days(session, book, calendar: str, year: int) -> list[DayRow]:
    """The dated days off and worked days of `calendar` in `year` (weekends aside), in date order."""
    province = None if calendar == NATIONAL else calendar
    working = book.calendar(province)
    stored = {
        (row.calendar, row.day): row
        for row in session.scalars(select(CalendarDay).where(CalendarDay.calendar.in_([NATIONAL, calendar])))
    }
    rows = []
    for day, entry in sorted(book.entries(province).items()):
        if day.year != year:
            continue
        row = stored.get((calendar, day)) or stored.get((NATIONAL, day))
        rows.append(DayRow(day, not working.is_working_day(day), entry.name, entry.basis, _day_origin(entry, row)))
    return rows


def province_steps(session, book, province: str) -> list[StepRow]:
    """Each step's deadline in force for `province`: the policy's, the province file's or an administrator's."""
    spec, policy = book.files.provinces[province], book.policy(province)
    changed = {c.step for c in book.deadline_changes if c.province == province}
    stored = {
        row.step: row for row in session.scalars(select(DeadlineSetting).where(DeadlineSetting.province == province))
    }
    rows = []
    for step, period in book.periods(province).items():
        if step in changed:
            origin = _admin_origin(stored.get(step))
        elif step in spec.deadlines:
            origin = Origin("file", f"calendars/provinces/{province}.toml")
        else:
            origin = Origin("policy", policy.name)
        rows.append(StepRow(step, period, origin))
    return rows


def recent_changes(session, limit: int = 20) -> list[AuditEntry]:
    """The latest calendar and deadline changes, newest first (who, when, reason, what moved)."""
    return list(
        session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action.in_(CHANGE_ACTIONS), AuditEntry.outcome == "ok")
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
    )


@dataclass
class MonthDay:
    """One cell of a month grid: `kind` is "working", "weekend", "holiday" (a dated day off) or "moved" (a
    weekend day worked instead of another); holidays and moved days carry their name and legal basis."""

    day: date
    in_month: bool
    kind: str
    name: str = ""
    basis: str = ""


def month_grid(book, calendar: str, year: int, month: int) -> list[list[MonthDay]]:
    """The weeks (Monday first) of a calendar's month, the days of the months around it filling the first and last."""
    province = None if calendar == NATIONAL else calendar
    working, entries = book.calendar(province), book.entries(province)
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    weeks, day = [], start
    while day.month == month or day < first or day.weekday() != 0:
        week = []
        for _ in range(7):
            entry, off = entries.get(day), not working.is_working_day(day)
            if entry is not None:
                kind = "holiday" if off else "moved"
                week.append(MonthDay(day, day.month == month, kind, entry.name, entry.basis))
            else:
                week.append(MonthDay(day, day.month == month, "weekend" if off else "working"))
            day += timedelta(days=1)
        weeks.append(week)
    return weeks
