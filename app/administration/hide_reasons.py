"""Reasons the intake office may give for hiding a report: added, deactivated or offered again, never deleted
(hidden reports keep theirs); audited like the fields."""

import re

from app.accounts.policy import require_admin
from app.audit.log import record
from app.errors import FieldError, FormInvalid, NotFound
from app.petitions.models import HideReason
from app.transaction import operation
from app.translation import lazy_gettext

from .rules import check_text

LABELS = {"code": lazy_gettext("Mã lý do"), "name": lazy_gettext("Tên lý do")}
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,29}$")


def _snapshot(reason: HideReason) -> dict:
    return {"code": reason.code, "name": reason.name, "needs_text": reason.needs_text, "active": reason.active}


@operation
def add_hide_reason(session, actor, code: str, name: str, needs_text: bool) -> HideReason:
    code, name = (code or "").strip(), (name or "").strip()
    require_admin(actor, "hide_reason.created", {"code": code, "name": name})
    errors = []
    if not code:
        errors.append(FieldError("code", "required", {"label": LABELS["code"]}))
    elif not CODE.match(code):
        errors.append(FieldError("code", "code_format", {"label": LABELS["code"]}))
    elif session.get(HideReason, code) is not None:
        errors.append(FieldError("code", "unique", {"label": LABELS["code"], "value": code}))
    check_text(errors, "name", name, LABELS["name"], 200, low=2)
    if errors:
        raise FormInvalid(errors)
    reason = HideReason(code=code, name=name, needs_text=bool(needs_text), active=True)
    session.add(reason)
    session.flush()
    record(session, actor, "hide_reason.created", data={"after": _snapshot(reason)})
    return reason


@operation
def set_hide_reason_active(session, actor, code: str, active: bool) -> HideReason:
    """No longer offered (reports hidden for it keep it), or offered again."""
    action = "hide_reason.activated" if active else "hide_reason.deactivated"
    require_admin(actor, action, {"code": code})
    reason = session.get(HideReason, code)
    if reason is None:
        raise NotFound(f"hide reason {code}")
    if reason.active != active:
        before = _snapshot(reason)
        reason.active = active
        record(session, actor, action, data={"before": before, "after": _snapshot(reason)})
    return reason
