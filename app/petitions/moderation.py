"""The intake office hides a report from the public and shows it again (seed 002 Art. 11): a hidden report leaves
every public page and search but stays in every inbox with its deadlines, flagged for staff, and is handled all
the same — hiding never closes a case. Each change is audited with its reason. A state secret is never shown."""

from sqlalchemy import select

from app.agencies.offices import at_intake_office
from app.audit.log import record
from app.errors import FieldError, FormInvalid, PermissionDenied
from app.text_rules import has_control
from app.transaction import operation
from app.translation import lazy_gettext

from .models import HideReason, Petition

LABELS = {"reason": lazy_gettext("Lý do ẩn"), "note": lazy_gettext("Ghi chú lý do")}


def may_moderate(user, petition: Petition) -> bool:
    """An intake clerk of the province's focal office (open or closed cases: published ones are the usual)."""
    return at_intake_office(user, petition.province_code)


def hide_reasons(session) -> list[HideReason]:
    return list(session.scalars(select(HideReason).where(HideReason.active.is_(True)).order_by(HideReason.name)))


def _refuse(clerk, petition, action):
    raise PermissionDenied("only the province's intake office hides or shows a report", actor=clerk, action=action,
                           petition=petition)  # fmt: skip


@operation
def hide_petition(session, clerk, petition: Petition, reason_code: str, note: str = "") -> Petition:
    """Hide the report from the public with a reason (and the clerk's words where the reason needs them)."""
    if not may_moderate(clerk, petition):
        _refuse(clerk, petition, "petition.hidden")
    reason, note = session.get(HideReason, (reason_code or "").strip()), (note or "").strip()
    errors = []
    if reason is None or not reason.active:
        errors.append(FieldError("reason", "ref", {"label": LABELS["reason"], "value": reason_code or ""}))
    elif reason.needs_text and not note:
        errors.append(FieldError("note", "required", {"label": LABELS["note"]}))
    if has_control(note):
        errors.append(FieldError("note", "control_chars", {"label": LABELS["note"]}))
    elif len(note) > 1000:
        errors.append(FieldError("note", "maxlength", {"label": LABELS["note"], "limit": 1000}))
    if errors:
        raise FormInvalid(errors)
    petition.hidden, petition.hidden_reason, petition.hidden_note = True, reason.code, note or None
    record(session, clerk, "petition.hidden", petition=petition, data={"reason": reason.code, "note": note})
    return petition


@operation
def unhide_petition(session, clerk, petition: Petition) -> Petition:
    """Show the report again (never a state secret, which stays outside the public for good)."""
    return show_again(session, clerk, petition)


def may_show_again(user, petition: Petition) -> bool:
    """The intake office, or its leaders (the chairman's inbox is there too) in the monthly review."""
    return at_intake_office(user, petition.province_code, ("intake", "leader", "chair"))


def show_again(session, actor, petition: Petition, data: dict | None = None) -> Petition:
    """The unhiding itself, inside the caller's operation (the intake office's button, a review's measure)."""
    if not may_show_again(actor, petition) or petition.state_secret:
        _refuse(actor, petition, "petition.unhidden")
    before = {"reason": petition.hidden_reason, "note": petition.hidden_note}
    petition.hidden, petition.hidden_reason, petition.hidden_note = False, None, None
    record(session, actor, "petition.unhidden", petition=petition, data={"before": before, **(data or {})})
    return petition
