"""One case as an auditor sees it: where its instance stands on the diagram, the steps it waits for (who holds
them, until when), every deadline with its verdict, and its readable history."""

from dataclasses import dataclass, field

from sqlalchemy import select

from app.accounts.models import ROLES, User
from app.agencies.models import Agency
from app.deadlines.status import DeadlineStatus, case_deadlines, task_status
from app.engine.instances import EngineError, read_instance
from app.engine.models import ProcessInstance, WorkItem
from app.petitions.clarifications import petition_of_instance
from app.petitions.coordination import Holding, Opinion, co_opinions, holders
from app.petitions.history import Step, case_history
from app.petitions.history_values import ProcessElements
from app.petitions.models import Petition
from app.translation import current_language, lazy_gettext, translate

SENDER = lazy_gettext("Người gửi PAKN")  # the candidate group "sender": the petition's own sender


@dataclass
class CurrentStep:
    """A user task the case waits for: the line above the diagram names it, the diagram is scrolled to it."""

    element: str  # the task's BPMN id, drawn with an anchor on the diagram
    name: str
    holder: str | None  # who claimed it (full name); None while nobody has
    candidates: str  # who may take it: roles, and the agency
    due: DeadlineStatus | None


@dataclass
class Inspection:
    instance: ProcessInstance
    petition: Petition | None
    states: dict[str, str]  # element id → completed / active / waiting
    current: list[CurrentStep]
    waiting: list[str]  # names of what the instance waits for when no person has a task (timers)
    end: str | None  # the end event's name once the instance is over
    deadlines: list[DeadlineStatus] = field(default_factory=list)
    history: list[Step] = field(default_factory=list)
    opinions: list[Opinion] = field(default_factory=list)  # the co-handling agencies', with who was late
    holdings: list[Holding] = field(default_factory=list)  # who held the case for an answer, how long
    linked: list[Petition] = field(default_factory=list)  # its original, and the cases linked to it

    @property
    def tracking_code(self) -> str:
        return self.petition.tracking_code if self.petition is not None else (self.instance.business_key or "")


def inspect_case(session, instance_id: int) -> Inspection | None:
    """The case of an instance read through the engine's read path (no lock); None when there is no such instance."""
    try:
        snapshot = read_instance(session, instance_id)
    except EngineError:  # no such instance
        return None
    instance, states = snapshot.row, snapshot.element_states()
    petition = petition_of_instance(session, instance_id)  # a clarification's instance shows its case too
    elements = ProcessElements(instance.definition, current_language())
    current = current_steps(session, instance_id, petition)
    waiting = [] if current else [n for e, s in states.items() if s == "waiting" and (n := elements.name(e))]
    return Inspection(
        instance=instance,
        petition=petition,
        states=states,
        current=current,
        waiting=waiting,
        end=elements.name(instance.end_event) if instance.end_event else None,
        deadlines=case_deadlines(session, petition) if petition is not None else [],
        history=case_history(session, instance_id),
        opinions=co_opinions(session, petition) if petition is not None else [],
        holdings=holders(session, petition) if petition is not None else [],
        linked=linked_cases(session, petition) if petition is not None else [],
    )


def linked_cases(session, petition: Petition) -> list[Petition]:
    """The case this one duplicates or repeats, then the cases that duplicate or repeat it, oldest first."""
    later = session.scalars(select(Petition).where(Petition.original_id == petition.id).order_by(Petition.id))
    return ([petition.original] if petition.original is not None else []) + list(later)


def current_steps(session, instance_id: int, petition: Petition | None) -> list[CurrentStep]:
    """The instance's ready user tasks (the task index), oldest first."""
    items = session.scalars(
        select(WorkItem).where(WorkItem.instance_id == instance_id, WorkItem.state == "ready").order_by(WorkItem.id)
    ).all()
    if not items:
        return []
    lang = current_language()
    people = {i.assignee for i in items if i.assignee}
    names = dict(session.execute(select(User.username, User.full_name).where(User.username.in_(people))).all())
    codes = {i.agency_code for i in items if i.agency_code}
    agencies = dict(session.execute(select(Agency.code, Agency.name).where(Agency.code.in_(codes))).all())
    province = petition.province_code if petition is not None else None
    return [
        CurrentStep(
            element=item.bpmn_id,
            name=translate(item.name, lang),
            holder=names.get(item.assignee, item.assignee) if item.assignee else None,
            candidates=_candidates(item, agencies),
            due=task_status(session, item, province) if province else None,
        )
        for item in items
    ]


def _candidates(item: WorkItem, agencies: dict[str, str]) -> str:
    groups = [g for g in item.candidate_groups.split(",") if g]
    roles = [str(SENDER) if g == "sender" else str(ROLES[g]) if g in ROLES else g for g in groups]
    agency = agencies.get(item.agency_code, item.agency_code) if item.agency_code else None
    return ", ".join([*roles, *([agency] if agency else [])])
