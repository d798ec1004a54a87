"""The intake office corrects what the sender chose wrongly: the field (lĩnh vực) and the kind of a petition,
while it is open; audited with the values before and after (seed 002: the focal point keeps reports in order)."""

from sqlalchemy import select

from app.agencies.offices import at_intake_office
from app.audit.log import record
from app.engine.runtime import fill_data, load_instance
from app.engine.saving import save
from app.errors import FieldError, FormInvalid, PermissionDenied
from app.transaction import operation

from .case_functions import CaseFunctions
from .catalog import KINDS
from .models import Field, Petition
from .search import search_text
from .validation import LABELS


def may_correct(user, petition: Petition) -> bool:
    """An intake clerk of the province's focal office, while the case is open."""
    return at_intake_office(user, petition.province_code) and petition.closed_at is None


@operation
def correct_classification(session, clerk, petition: Petition, field_code: str, kind: str) -> Petition:
    """Set the petition's field and kind; the process's own `kind` follows, so that models reading it agree."""
    field_code, kind = (field_code or "").strip(), (kind or "").strip()
    if not may_correct(clerk, petition):
        raise PermissionDenied(
            "only the province's intake office corrects an open case",
            actor=clerk,
            action="petition.corrected",
            petition=petition,
        )
    errors = []
    active = set(session.scalars(select(Field.code).where(Field.active.is_(True))))
    if field_code not in active:
        errors.append(FieldError("field_code", "ref", {"label": LABELS["field_code"], "value": field_code}))
    if kind not in KINDS:
        errors.append(FieldError("kind", "enum", {"label": LABELS["kind"], "allowed": ", ".join(KINDS)}))
    if errors:
        raise FormInvalid(errors)
    before = {"field_code": petition.field_code, "kind": petition.kind}
    after = {"field_code": field_code, "kind": kind}
    if before == after:
        return petition
    petition.field_code, petition.kind = field_code, kind
    petition.search_text = search_text(petition)
    if kind != before["kind"] and petition.instance_id is not None:
        running = load_instance(session, petition.instance_id, CaseFunctions(session, petition).functions())
        fill_data(running, kind=kind)
        save(session, running, clerk.username)
    record(session, clerk, "petition.corrected", petition=petition, data={"before": before, "after": after})
    return petition
