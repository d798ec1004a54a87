"""Administrators: working-day calendars and deadline values per province. A change is previewed first (how many
running cases, deadlines and timers would move), then confirmed with the same values and applied."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.administration.calendar_changes import (
    DAY_KINDS,
    FIRST_DAY,
    LAST_DAY,
    DayForm,
    DeadlineForm,
    apply_day_form,
    apply_deadline_form,
    parse_day,
    preview_day_form,
    preview_deadline_form,
)
from app.administration.calendars import calendar_names, month_grid, province_steps, recent_changes, year_days
from app.calendars.book import NATIONAL
from app.calendars.files import STEPS
from app.calendars.store import current_book
from app.deadlines.admin import MAX_DAYS, MAX_REMIND_BEFORE
from app.errors import FormInvalid
from app.translation import lazy_gettext

from .. import db
from ..access import roles_required
from ..tasklist.labels import field_errors, step_label
from .admin import ADMIN

bp = Blueprint("admin_calendars", __name__, url_prefix="/quan-tri/lich")
UNIT_LABELS = {"working": lazy_gettext("ngày làm việc"), "calendar": lazy_gettext("ngày (theo lịch)")}


def _selected(book, calendar: str | None, year: str | None) -> tuple[str, int]:
    calendar = calendar if calendar in dict(calendar_names(book)) else NATIONAL
    try:
        year = int(year) if year else date.today().year
    except ValueError:
        year = date.today().year
    return calendar, min(max(year, FIRST_DAY.year), LAST_DAY.year)


def _deadline_defaults(book, province: str, step: str | None) -> dict:
    """The deadline form filled with a step's value in force (the link "Sửa" of a row)."""
    if province == NATIONAL:
        return {}
    values = {"province": province, "step": step or ""}
    period = book.periods(province).get(step) if step else None
    if period is not None:
        values.update(days=str(period.days), unit=period.unit, remind_before=str(period.remind_before))
        values["basis"] = period.basis
    return values


def _month(year: int) -> int:
    """The month the grid shows: ?thang=, else this month in this year, else January."""
    try:
        month = int(request.args.get("thang", ""))
    except ValueError:
        month = date.today().month if year == date.today().year else 1
    return min(max(month, 1), 12)


def _near_months(year: int, month: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    before = (year, month - 1) if month > 1 else (year - 1, 12)
    after = (year, month + 1) if month < 12 else (year + 1, 1)
    inside = FIRST_DAY.year <= before[0], after[0] <= LAST_DAY.year
    return (before if inside[0] else None), (after if inside[1] else None)


def day_text(value) -> str:
    """A day (or an ISO day from the audit log) as the administrators' pages show it: dd/mm/yyyy."""
    value = date.fromisoformat(value) if isinstance(value, str) else value
    return value.strftime("%d/%m/%Y") if value else ""


def _page(calendar, year, status=200, **forms):
    session, book = db(), current_book(db())
    month = _month(year)
    province = None if calendar == NATIONAL else calendar
    forms.setdefault("day_values", {"calendar": calendar})
    forms.setdefault("deadline_values", _deadline_defaults(book, calendar, request.args.get("buoc")))
    return (
        render_template(
            "admin/calendars.html",
            calendar=calendar,
            year=year,
            calendars=calendar_names(book),
            provinces=[(code, name) for code, name in calendar_names(book) if code != NATIONAL],
            days=year_days(session, book, calendar, year),
            month=month,
            weeks=month_grid(book, calendar, year, month),
            near_months=_near_months(year, month),
            day_text=day_text,
            weekend=sorted(book.files.national.weekend),
            policy=book.policy(province) if province else None,
            steps=province_steps(session, book, province) if province else [],
            changes=recent_changes(session),
            kind_options=[(code, _(label)) for code, label in DAY_KINDS.items()],
            step_options=[(step, step_label(step)) for step in STEPS],
            unit_options=[(unit, _(label)) for unit, label in UNIT_LABELS.items()],
            units=UNIT_LABELS,
            max_days=MAX_DAYS,
            max_remind=MAX_REMIND_BEFORE,
            **{"day_errors": {}, "deadline_errors": {}, "day_preview": None, "deadline_preview": None, **forms},
        ),
        status,
    )


@bp.get("/")
@roles_required(ADMIN)
def calendars():
    calendar, year = _selected(current_book(db()), request.args.get("lich"), request.args.get("nam"))
    return _page(calendar, year)


def _year_of(text: str, fallback: int) -> int:
    """The year of the form's date, to show that year's calendar again (within the years the page shows)."""
    day = parse_day(text)
    return min(max(day.year, FIRST_DAY.year), LAST_DAY.year) if day else fallback


@bp.post("/ngay")
@roles_required(ADMIN)
def change_day():
    form = DayForm.read(request.form)
    calendar, year = _selected(current_book(db()), form.calendar, None)
    return _preview_or_apply(form, calendar, _year_of(form.date, year), "day", preview_day_form, apply_day_form)


@bp.post("/thoi-han")
@roles_required(ADMIN)
def change_deadline():
    form = DeadlineForm.read(request.form)
    calendar, year = _selected(current_book(db()), form.province, request.form.get("nam"))
    return _preview_or_apply(form, calendar, year, "deadline", preview_deadline_form, apply_deadline_form)


def _preview_or_apply(form, calendar, year, kind: str, preview, apply):
    """First submit: show what the change would move; the confirmed submit applies it."""
    values = {**request.form.to_dict(), "recompute": "1" if form.recompute else ""}
    values.pop("csrf_token", None)
    try:
        if request.form.get("confirm") != "1":
            change, report = preview(db(), current_user, form)
            shown = {"change": change, "report": report, "values": values}
            return _page(calendar, year, **{f"{kind}_values": values, f"{kind}_preview": shown})
        report = apply(db(), current_user, form)
    except FormInvalid as invalid:
        return _page(calendar, year, 422, **{f"{kind}_values": values, f"{kind}_errors": field_errors(invalid)})
    _applied(report, form.recompute)
    return redirect(url_for("admin_calendars.calendars", lich=calendar, nam=year))


def _applied(report, recompute: bool):
    summary = report.plan.summary()
    if recompute:
        flash(
            _(
                "Đã áp dụng thay đổi; đã dời hạn của %(cases)s hồ sơ (%(deadlines)s thời hạn, %(timers)s hẹn giờ).",
                **summary,
            ),
            "ok",
        )
    else:
        flash(_("Đã áp dụng thay đổi; các thời hạn đang chạy giữ nguyên, thời hạn mới theo lịch mới."), "ok")
