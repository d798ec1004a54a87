"""Languages: Vietnamese source strings, English catalogue compiled at start; times shown in Vietnam's zone."""

from datetime import datetime
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.calendars.working_days import VIETNAM

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
SOURCE = Path(__file__).resolve().parent / "translations"


def compile_translations():
    """Compile translations/*.po to .mo (kept out of git) when missing or older than the .po."""
    for po_path in SOURCE.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp.replace(mo_path)  # atomic: a concurrent start never reads half a file


compile_translations.directory = SOURCE


def format_local(value: datetime | None, pattern: str = "%H:%M %d/%m/%Y") -> str:
    """An instant stored in UTC, shown in Asia/Ho_Chi_Minh."""
    return value.astimezone(VIETNAM).strftime(pattern) if value else ""
