"""The calendar pages' two forms (a day off or worked day; a province's step deadline) read into the changes of
app/deadlines/admin.py: previewed first (how many running cases would move), then applied.

Every wrong field is reported at once, the reason included, before anything is previewed or stored.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime

from app.deadlines.admin import (
    ChangeReport,
    DayChange,
    DeadlineChange,
    change_day,
    change_deadline,
    check_administrator,
    day_off_change,
    preview_day,
    preview_deadline,
)
from app.errors import FieldError, FormInvalid
from app.translation import lazy_gettext

from .rules import text, truthy

DAY_KINDS = {
    "off": lazy_gettext("Ngày nghỉ (thêm ngày nghỉ hoặc bỏ ngày làm bù)"),
    "worked": lazy_gettext("Ngày làm việc (bỏ ngày nghỉ hoặc thêm ngày làm bù)"),
}
DMY = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)  # the years the calendar pages show
LABELS = {
    "date": lazy_gettext("Ngày"),
    "kind": lazy_gettext("Đặt ngày này là"),
    "days": lazy_gettext("Số ngày"),
    "remind_before": lazy_gettext("Nhắc trước (ngày làm việc)"),
    "reason": lazy_gettext("Lý do thay đổi"),
}


@dataclass
class DayForm:
    calendar: str
    date: str
    kind: str
    name: str
    basis: str
    reason: str
    recompute: bool

    @classmethod
    def read(cls, values: dict) -> "DayForm":
        keys = ("calendar", "date", "kind", "name", "basis", "reason")
        return cls(**{key: text(values, key) for key in keys}, recompute=truthy(values.get("recompute")))


@dataclass
class DeadlineForm:
    province: str
    step: str
    days: str
    unit: str
    remind_before: str
    basis: str
    reason: str
    recompute: bool

    @classmethod
    def read(cls, values: dict) -> "DeadlineForm":
        keys = ("province", "step", "days", "unit", "remind_before", "basis", "reason")
        return cls(**{key: text(values, key) for key in keys}, recompute=truthy(values.get("recompute")))


def parse_day(text: str) -> date | None:
    """A day typed as dd/mm/yyyy (the administrators' pages, whatever the browser's locale); None when not one."""
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date() if DMY.fullmatch(text.strip()) else None
    except ValueError:
        return None


def _within_pages(errors, day: date) -> date | None:
    """A day the calendar pages can show (and the administrator undo); None after naming the bound it broke."""
    for rule, bound, outside in (("min", FIRST_DAY, day < FIRST_DAY), ("max", LAST_DAY, day > LAST_DAY)):
        if outside:
            errors.append(FieldError("date", rule, {"label": LABELS["date"], "limit": bound.strftime("%d/%m/%Y")}))
            return None
    return day


def _merge(errors: list[FieldError], more: list[FieldError]):
    """Add errors of fields not yet named: the first rule broken is the one shown."""
    named = {e.field for e in errors}
    errors.extend(e for e in more if e.field not in named)


def _check_reason(errors, reason):
    if not reason:
        errors.append(FieldError("reason", "required", {"label": LABELS["reason"]}))


def _day_change(session, form: DayForm) -> tuple[list[FieldError], DayChange | None]:
    errors, day = [], None
    if not form.date:
        errors.append(FieldError("date", "required", {"label": LABELS["date"]}))
    else:
        day = parse_day(form.date)
        if day is None:
            errors.append(FieldError("date", "date_dmy", {"label": LABELS["date"]}))
        else:
            day = _within_pages(errors, day)
    if form.kind not in DAY_KINDS:
        errors.append(FieldError("kind", "enum", {"label": LABELS["kind"], "allowed": ", ".join(DAY_KINDS)}))
    _check_reason(errors, form.reason)
    change = None
    if day is not None and form.kind in DAY_KINDS:
        try:
            change = day_off_change(session, form.calendar, day, form.kind == "off", form.name, form.basis)
        except FormInvalid as invalid:
            _merge(errors, invalid.errors)
    return errors, change


def preview_day_form(session, actor, form: DayForm) -> tuple[DayChange, ChangeReport]:
    """What the day change would do; nothing is stored. Refused (audited) to non-administrators."""
    check_administrator(session, actor, "calendar.day_changed")
    return _previewed(session, *_day_change(session, form), preview_day)


def _previewed(session, errors: list[FieldError], change, preview):
    """The change with what it would do, or FormInvalid with the form's errors and the preview's together."""
    report = None
    if change is not None:
        try:
            report = preview(session, change)
        except FormInvalid as invalid:
            _merge(errors, invalid.errors)
    if errors:
        raise FormInvalid(errors)
    return change, report


def apply_day_form(session, actor, form: DayForm) -> ChangeReport:
    """Apply the confirmed day change (audited; running deadlines moved when asked)."""
    check_administrator(session, actor, "calendar.day_changed")
    errors, change = _day_change(session, form)
    if errors:
        raise FormInvalid(errors)
    return change_day(session, actor, change, form.reason, recompute=form.recompute)


def _whole_number(errors, form: DeadlineForm, key: str) -> int:
    value = getattr(form, key)
    try:
        return int(value)
    except ValueError:
        rule = "required" if not value else "type_long"
        errors.append(FieldError(key, rule, {"label": LABELS[key]}))
        return 0


def _deadline_change(form: DeadlineForm) -> tuple[list[FieldError], DeadlineChange]:
    errors = []
    days, remind_before = _whole_number(errors, form, "days"), _whole_number(errors, form, "remind_before")
    _check_reason(errors, form.reason)
    return errors, DeadlineChange(form.province, form.step, days, form.unit, remind_before, form.basis)


def preview_deadline_form(session, actor, form: DeadlineForm) -> tuple[DeadlineChange, ChangeReport]:
    """What the new step deadline would do; nothing is stored. Refused (audited) to non-administrators."""
    check_administrator(session, actor, "deadline.changed")
    return _previewed(session, *_deadline_change(form), preview_deadline)


def apply_deadline_form(session, actor, form: DeadlineForm) -> ChangeReport:
    """Apply the confirmed step deadline (audited; that step's running deadlines moved when asked)."""
    check_administrator(session, actor, "deadline.changed")
    errors, change = _deadline_change(form)
    if errors:
        raise FormInvalid(errors)
    return change_deadline(session, actor, change, form.reason, recompute=form.recompute)
