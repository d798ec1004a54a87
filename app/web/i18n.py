"""Languages: Vietnamese source strings, the English catalogue compiled at start; times shown in Vietnam's zone."""

from datetime import UTC, datetime, time

from flask import has_request_context
from flask_babel import get_locale, gettext

from app.calendars.working_days import VIETNAM
from app.translation import CATALOGUE, LazyText, compile_catalogue

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}


def compile_translations():
    """messages.po → messages.mo for each language, when the .mo is missing or older (kept out of git)."""
    compile_catalogue()


compile_translations.directory = CATALOGUE


def request_language() -> str | None:
    """The language Flask-Babel chose for this request; None outside one (lazy labels then stay Vietnamese)."""
    if not has_request_context():
        return None
    locale = get_locale()
    return locale.language if locale is not None else None


def format_local(value: datetime | None, pattern: str = "%H:%M %d/%m/%Y") -> str:
    """An instant stored in UTC, shown in Asia/Ho_Chi_Minh."""
    return value.astimezone(VIETNAM).strftime(pattern) if value else ""


def local_day_bound(text: str | None, end: bool = False) -> datetime | None:
    """A YYYY-MM-DD filter as the first (or last) instant of that day in Vietnam; None when not a date.

    Also None at the ends of the calendar (0001-01-01, 9999-12-31): in UTC they fall outside what a datetime
    holds, and as bounds they exclude nothing anyway.
    """
    try:
        day = datetime.strptime(text or "", "%Y-%m-%d").date()
        return datetime.combine(day, time.max if end else time.min, VIETNAM).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def label(name) -> str:
    """A name from data (task, process, field, option) in the current language, as plain text to escape.

    Templates' `_()` marks its result safe and formats `%` in it: right for our own texts, wrong for names an
    uploaded model or an administrator chose.
    """
    if name is None:
        return ""
    if isinstance(name, LazyText):
        return str(name)
    return str(gettext(str(name)))
