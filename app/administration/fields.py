"""Fields (lĩnh vực) of petitions: added, renamed, deactivated or reactivated, never deleted (petitions keep
their field)."""

import re

from sqlalchemy import select

from app.accounts.policy import require_admin
from app.audit.log import record
from app.errors import FieldError, FormInvalid, NotFound
from app.petitions.models import Field
from app.transaction import operation
from app.translation import lazy_gettext

from .rules import check_text

LABELS = {"code": lazy_gettext("Mã lĩnh vực"), "name": lazy_gettext("Tên lĩnh vực")}
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,49}$")


def snapshot(field: Field) -> dict:
    return {"code": field.code, "name": field.name, "active": bool(field.active)}


def _check_name(session, errors, name: str, code: str | None):
    """A name a citizen can tell apart from the others."""
    found = len(errors)
    check_text(errors, "name", name, LABELS["name"], 200, low=2)
    if len(errors) > found:
        return
    # compared in Python: SQLite lowers ASCII only, and the list is short
    others = session.execute(select(Field.code, Field.name).where(Field.code != (code or ""))).all()
    if any(other.casefold() == name.casefold() for _, other in others):
        errors.append(FieldError("name", "unique", {"label": LABELS["name"], "value": name}))


def _get(session, code: str) -> Field:
    field = session.get(Field, code)
    if field is None:
        raise NotFound(f"field {code}")
    return field


@operation
def add_field(session, actor, code: str, name: str) -> Field:
    """A new field offered to senders and clerks."""
    code, name = (code or "").strip(), (name or "").strip()
    require_admin(actor, "field.created", {"code": code, "name": name})
    errors = []
    if not code:
        errors.append(FieldError("code", "required", {"label": LABELS["code"]}))
    elif not CODE.match(code):
        errors.append(FieldError("code", "code_format", {"label": LABELS["code"]}))
    elif session.get(Field, code) is not None:
        errors.append(FieldError("code", "unique", {"label": LABELS["code"], "value": code}))
    _check_name(session, errors, name, None)
    if errors:
        raise FormInvalid(errors)
    field = Field(code=code, name=name, active=True)
    session.add(field)
    session.flush()
    record(session, actor, "field.created", data={"before": None, "after": snapshot(field)})
    return field


@operation
def rename_field(session, actor, code: str, name: str) -> Field:
    name = (name or "").strip()
    require_admin(actor, "field.renamed", {"code": code, "name": name})
    field, errors = _get(session, code), []
    _check_name(session, errors, name, code)
    if errors:
        raise FormInvalid(errors)
    if name != field.name:
        before = snapshot(field)
        field.name = name
        record(session, actor, "field.renamed", data={"before": before, "after": snapshot(field)})
    return field


@operation
def set_field_active(session, actor, code: str, active: bool) -> Field:
    """Deactivate a field (no longer offered; its petitions keep it) or offer it again."""
    action = "field.activated" if active else "field.deactivated"
    require_admin(actor, action, {"code": code})
    field = _get(session, code)
    if bool(field.active) != active:
        before = snapshot(field)
        field.active = active
        record(session, actor, action, data={"before": before, "after": snapshot(field)})
    return field
