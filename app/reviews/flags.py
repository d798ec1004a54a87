"""The intake office flags a report as breaking the portal's rules (seed 002 Art. 7) before deciding to hide it;
a flagged report not hidden comes up in the leaders' monthly review. One flag a report; flagging again replaces
the note. Audited."""

from sqlalchemy import select

from app.audit.log import record
from app.db import utcnow
from app.errors import FieldError, FormInvalid, PermissionDenied
from app.petitions.models import Petition
from app.petitions.moderation import may_moderate
from app.text_rules import has_control
from app.transaction import operation
from app.translation import lazy_gettext

from .models import RuleFlag

LABELS = {"note": lazy_gettext("Quy định bị vi phạm")}
NOTE_LIMIT = 1000


def rule_flag(session, petition: Petition) -> RuleFlag | None:
    return session.scalar(select(RuleFlag).where(RuleFlag.petition_id == petition.id))


@operation
def flag_rule_breaking(session, clerk, petition: Petition, note: str) -> RuleFlag:
    """Flag the report with the rule it breaks (required); the case is handled and shown as before."""
    if not may_moderate(clerk, petition):
        raise PermissionDenied(
            "only the province's intake office flags a report", actor=clerk, action="petition.flagged",
            petition=petition,
        )  # fmt: skip
    note = (note or "").strip()
    if not note:
        raise FormInvalid([FieldError("note", "required", {"label": LABELS["note"]})])
    if has_control(note):
        raise FormInvalid([FieldError("note", "control_chars", {"label": LABELS["note"]})])
    if len(note) > NOTE_LIMIT:
        raise FormInvalid([FieldError("note", "maxlength", {"label": LABELS["note"], "limit": NOTE_LIMIT})])
    flag = rule_flag(session, petition)
    before = {"note": flag.note, "by": flag.flagged_by} if flag else None
    flag = flag or RuleFlag(petition_id=petition.id)
    flag.note, flag.flagged_by, flag.flagged_at = note, clerk.username, utcnow()
    session.add(flag)
    record(session, clerk, "petition.flagged", petition=petition, data={"note": note, "before": before})
    return flag
