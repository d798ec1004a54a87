"""Command-line administration of calendars and deadlines (the screens come with the web application)."""

import sys
from datetime import date, datetime

from sqlalchemy import select

from app.accounts.models import User
from app.administration.calendar_changes import FIRST_DAY, LAST_DAY
from app.agencies.models import Province
from app.calendars.book import NATIONAL
from app.calendars.files import STEPS
from app.calendars.store import current_book
from app.calendars.working_days import VIETNAM
from app.errors import FieldError, FormInvalid, PermissionDenied

from .admin import (
    DeadlineChange,
    change_day,
    change_deadline,
    check_administrator,
    day_off_change,
    preview_day,
    preview_deadline,
)

STEP_NAMES = {step.replace("_", "-"): step for step in STEPS} | {step: step for step in STEPS}


def parse_instant(text: str) -> datetime:
    """ISO 8601; an instant without an offset is read in Vietnam's time; within the years the calendar pages show."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise FormInvalid([FieldError("from", "datetime_format", {"label": "--from"})]) from None
    _within_pages("from", "--from", value.date())
    return value if value.tzinfo else value.replace(tzinfo=VIETNAM)


def parse_day(text: str, label="--date") -> date:
    """A day the calendar pages can show: the command stores nothing the administrator's screen could not undo."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise FormInvalid([FieldError("date", "date_format", {"label": label})]) from None
    return _within_pages("date", label, day)


def _within_pages(field: str, label: str, day: date) -> date:
    for rule, bound, outside in (("min", FIRST_DAY, day < FIRST_DAY), ("max", LAST_DAY, day > LAST_DAY)):
        if outside:
            raise FormInvalid([FieldError(field, rule, {"label": label, "limit": bound.strftime("%d/%m/%Y")})])
    return day


def step_name(text: str) -> str:
    if text not in STEP_NAMES:
        allowed = ", ".join(s.replace("_", "-") for s in STEPS)
        raise FormInvalid([FieldError("step", "enum", {"label": "--step", "allowed": allowed})])
    return STEP_NAMES[text]


def deadline(session, args) -> int:
    """Print the due instant of a step for a PAKN received at --from in --province (any province of the database:
    one without a calendar file works under the national policy)."""
    book = current_book(session)
    if not book.has_file(args.province) and session.get(Province, args.province) is None:
        raise FormInvalid([FieldError("province", "ref", {"label": "--province", "value": args.province})])
    due = book.due(args.province, step_name(args.step), parse_instant(args.received))
    print(due.astimezone(book.calendar(args.province).tz).isoformat())
    return 0


def show(session, args) -> int:
    """The days off and worked days in force for a calendar, with their source and legal basis."""
    book = current_book(session)
    province = None if args.calendar == NATIONAL else args.calendar
    if province and not book.has_file(province) and session.get(Province, province) is None:
        raise FormInvalid([FieldError("calendar", "ref", {"label": "--calendar", "value": province})])
    calendar = book.calendar(province)
    print(
        f"# {args.calendar}: office hours {calendar.office_open:%H:%M}–{calendar.office_close:%H:%M} {calendar.tz.key}"
    )
    if province:
        policy = book.policy(province)
        print(f"# policy {policy.code}: {policy.name}")
        for step, period in book.periods(province).items():
            print(f"#   {step}: {period.days} {period.unit} day(s)")
    for day, entry in sorted(book.entries(province).items()):
        if args.year and day.year != args.year:
            continue
        kind = "nghỉ/off   " if not calendar.is_working_day(day) else "làm/worked "
        print(f"{day} {day:%a} {kind} {entry.name} — {entry.basis or '-'} [{entry.source}]")
    return 0


def _actor(session, username):
    return session.scalar(select(User).where(User.username == username)) if username else None


def _confirm(report, args) -> bool:
    """Tell what moves before applying; ask unless --yes."""
    print(f"trước/before: {report.before}")
    print(f"sau/after:    {report.after}")
    if not args.recompute:
        return True
    summary = report.plan.summary()
    print(
        f"Sẽ dời hạn của {summary['cases']} hồ sơ ({summary['deadlines']} thời hạn, {summary['timers']} hẹn giờ) / "
        f"would move {summary['cases']} cases"
    )
    if args.yes:
        return True
    answer = input("Áp dụng? / Apply? [y/N] ").strip().lower()
    return answer in ("y", "yes", "c", "có", "co")


def change_day_command(session, args, off: bool) -> int:
    check_administrator(session, _actor(session, args.actor), "calendar.day_changed")
    change = day_off_change(session, args.calendar, parse_day(args.date), off, args.name or "", args.basis or "")
    if not _confirm(preview_day(session, change), args):
        print("Không áp dụng / not applied")
        return 1
    report = change_day(session, _actor(session, args.actor), change, args.reason, recompute=args.recompute)
    print(f"Đã áp dụng / applied; hồ sơ dời hạn / cases moved: {report.plan.cases}")
    return 0


def set_deadline_command(session, args) -> int:
    check_administrator(session, _actor(session, args.actor), "deadline.changed")
    change = DeadlineChange(
        args.province, step_name(args.step), args.days, args.unit, args.remind_before, args.basis or ""
    )
    if not _confirm(preview_deadline(session, change), args):
        print("Không áp dụng / not applied")
        return 1
    report = change_deadline(session, _actor(session, args.actor), change, args.reason, recompute=args.recompute)
    print(f"Đã áp dụng / applied; hồ sơ dời hạn / cases moved: {report.plan.cases}")
    return 0


def run(session, args) -> int:
    """Run a calendar command; input errors name the option and the rule, refusals are audited."""
    try:
        if args.command == "deadline":
            return deadline(session, args)
        if args.action == "show":
            return show(session, args)
        if args.action in ("add-day-off", "remove-working-day"):
            return change_day_command(session, args, off=True)
        if args.action in ("remove-day-off", "add-working-day"):
            return change_day_command(session, args, off=False)
        if args.action == "set-deadline":
            return set_deadline_command(session, args)
    except FormInvalid as invalid:
        for field, message in invalid.by_field("vi").items():
            print(f"{field}: {message}", file=sys.stderr)
        return 2
    except PermissionDenied as denied:
        print(f"từ chối / refused: {denied}", file=sys.stderr)
        return 3
    raise SystemExit(f"unknown calendar action {args.action}")
