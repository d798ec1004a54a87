"""When agencies merge, an agency's open cases move to its successor: the lead or co-handling role, the open
tasks and the agency codes in the running instances, with every deadline kept; each case's move audited."""

from dataclasses import dataclass, field

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import or_, select

from app.accounts.policy import require_admin
from app.agencies.models import Agency
from app.audit.log import record
from app.engine.models import WorkItem
from app.engine.runtime import all_tasks, load_instance
from app.engine.saving import save
from app.errors import FieldError, FormInvalid
from app.petitions.case_functions import CaseFunctions
from app.petitions.models import Petition, petition_co_agency
from app.transaction import operation
from app.translation import lazy_gettext

from .rules import check_text, text

LABELS = {
    "from_agency": lazy_gettext("Cơ quan được sáp nhập"),
    "to_agency": lazy_gettext("Cơ quan kế thừa"),
    "reason": lazy_gettext("Căn cứ, lý do"),
}


@dataclass
class SuccessionResult:
    moved: list[str] = field(default_factory=list)  # tracking codes
    tasks: int = 0
    released: list[str] = field(default_factory=list)  # claims given back (the holder may not be in the successor)


def _agency(session, errors, key, code) -> Agency | None:
    if not code:
        errors.append(FieldError(key, "required", {"label": LABELS[key]}))
        return None
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        errors.append(FieldError(key, "ref", {"label": LABELS[key], "value": code}))
    return agency


@operation
def move_open_cases(session, actor, raw: dict) -> SuccessionResult:
    """Move every open case of `from_agency` to `to_agency` (all or nothing)."""
    values = {key: text(raw, key) for key in LABELS}
    require_admin(actor, "agency.succeeded", values)
    errors = []
    old = _agency(session, errors, "from_agency", values["from_agency"])
    new = _agency(session, errors, "to_agency", values["to_agency"])
    if old is not None and new is not None and old.id == new.id:
        errors.append(FieldError("to_agency", "same_agency", {"label": LABELS["to_agency"]}))
    check_text(errors, "reason", values["reason"], LABELS["reason"], 1000, low=5)
    if errors:
        raise FormInvalid(errors)
    result = SuccessionResult()
    for petition in _open_cases(session, old):
        moved_items, released = _move_case(session, actor, petition, old, new)
        result.moved.append(petition.tracking_code)
        result.tasks += len(moved_items)
        result.released += released
        record(session, actor, "petition.agency_moved", petition=petition,
               data={"from": old.code, "to": new.code, "reason": values["reason"], "work_items": moved_items,
                     "released_claims": released})  # fmt: skip
    record(session, actor, "agency.succeeded", data={**values, "cases": result.moved, "tasks": result.tasks})
    return result


def _open_cases(session, old: Agency) -> list[Petition]:
    """Open petitions the agency leads, co-handles or holds a task of, oldest first."""
    with_tasks = select(WorkItem.instance_id).where(WorkItem.agency_code == old.code, WorkItem.state == "ready")
    co_handled = select(petition_co_agency.c.petition_id).where(petition_co_agency.c.agency_id == old.id)
    query = select(Petition).where(
        Petition.closed_at.is_(None),
        Petition.instance_id.is_not(None),
        or_(Petition.lead_agency_id == old.id, Petition.id.in_(co_handled), Petition.instance_id.in_(with_tasks)),
    )
    return list(session.scalars(query.order_by(Petition.id)))


def _move_case(session, actor, petition: Petition, old: Agency, new: Agency) -> tuple[list[int], list[str]]:
    running = load_instance(session, petition.instance_id, CaseFunctions(session, petition).functions())
    for task in all_tasks(running.workflow):
        if not task.state & TaskState.FINISHED_MASK:  # a finished task's data is history
            task.data.update(_replaced(task.data, old.code, new.code))
    items = session.scalars(
        select(WorkItem).where(
            WorkItem.instance_id == petition.instance_id, WorkItem.agency_code == old.code, WorkItem.state == "ready"
        )
    ).all()
    released = []
    for item in items:
        item.agency_code = new.code
        if item.assignee:
            released.append(item.assignee)
            item.assignee = None
    if petition.lead_agency_id == old.id:
        petition.lead_agency = new
    if any(a.id == old.id for a in petition.co_agencies):
        petition.co_agencies = [new if a.id == old.id else a for a in petition.co_agencies if a.id != new.id]
    save(session, running, actor.username)
    return [item.id for item in items], released


def _replaced(data: dict, old: str, new: str) -> dict:
    """The variables that name the old agency (alone or in a list), naming the new one."""
    changed = {}
    for key, value in data.items():
        if value == old:
            changed[key] = new
        elif isinstance(value, list) and old in value:
            changed[key] = list(dict.fromkeys(new if v == old else v for v in value))
    return changed
