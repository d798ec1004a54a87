"""Labels the pages show in the current language: catalogue values, roles, statuses, deadline steps; field errors."""

import unicodedata

from flask_babel import gettext as _

from app.accounts.models import ROLES
from app.errors import FormInvalid
from app.petitions.catalog import CHANNELS, KINDS, STATUSES, STEPS

from ..extensions import get_locale
from ..redirects import local_target


def kind_label(code: str) -> str:
    return str(KINDS[code]) if code in KINDS else code


def channel_label(code: str) -> str:
    return str(CHANNELS[code]) if code in CHANNELS else code


def role_name(role: str | None) -> str:
    return str(ROLES[role]) if role in ROLES else (role or "")


def status_name(code: str) -> str:
    return str(STATUSES[code][0]) if code in STATUSES else code


def status_label(petition) -> str:
    return status_name(petition.status)


def step_label(step: str) -> str:
    """The one name of a deadline step (Decision 31/2021's words), on every page."""
    return str(STEPS[step]) if step in STEPS else step


def field_errors(invalid: FormInvalid) -> dict[str, str]:
    """One message per field in the current language (app.messages.render, labels translated too)."""
    return invalid.by_field(get_locale())


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site paths: a form's `next` cannot send the user elsewhere (the task pages' name for it)."""
    return local_target(target, fallback)


def sort_key(text: str) -> str:
    """Alphabetical order for Vietnamese names (Đất đai among the D's, not after Y tế)."""
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold()


def translated_options(rows) -> list[tuple[str, str]]:
    """(code, Vietnamese name) rows → (code, name in the current language), sorted by name."""
    return sorted(((code, _(name)) for code, name in rows), key=lambda option: sort_key(option[1]))
