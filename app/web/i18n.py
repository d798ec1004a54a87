"""Languages: Vietnamese source strings, English catalogue compiled at start; times shown in Vietnam's zone."""

import os
from datetime import UTC, datetime, time
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import gettext

from app.calendars.working_days import VIETNAM

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
SOURCE = Path(__file__).resolve().parent / "translations"


def compile_translations():
    """Merge each language's *.po files (one per area of the product) into messages.mo, kept out of git."""
    for folder in SOURCE.glob("*/LC_MESSAGES"):
        sources = sorted(folder.glob("*.po"))
        mo_path = folder / "messages.mo"
        newest = max((p.stat().st_mtime for p in sources), default=0)
        if not sources or (mo_path.exists() and mo_path.stat().st_mtime >= newest):
            continue
        catalog = None
        for po_path in sources:
            with po_path.open("rb") as po_file:
                part = read_po(po_file)
            if catalog is None:
                catalog = part
            else:
                for message in part:
                    if message.id:
                        if message.id in catalog:
                            del catalog[message.id]  # a later file wins (babel would keep the first)
                        catalog[message.id] = message
        tmp = folder / f"messages.mo.{os.getpid()}.tmp"
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp.replace(mo_path)  # atomic: a concurrent start never reads half a file


compile_translations.directory = SOURCE


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
    return str(gettext(str(name)))
