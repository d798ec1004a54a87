"""What auditors read about process instances: search, where one stands, and its full history."""

from dataclasses import dataclass
from datetime import datetime

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from app.agencies.models import Agency
from app.engine.deployment import specs_of
from app.engine.models import ProcessInstance, Timer
from app.engine.runtime import all_tasks
from app.engine.scripting import make_script_engine
from app.engine.serialization import load_state
from app.petitions.models import CaseDeadline, Petition
from app.petitions.tracking import normalize

from .log import history


@dataclass
class Filters:
    code: str = ""
    status: str = ""
    agency: str = ""
    province: str = ""
    received_from: datetime | None = None
    received_to: datetime | None = None
    overdue: bool = False


def search(session, filters: Filters, limit: int = 200) -> list[Petition]:
    """Petitions (each with its instance), newest first."""
    query = select(Petition).where(Petition.instance_id.is_not(None))
    if filters.code:
        query = query.where(Petition.tracking_code.like(f"%{normalize(filters.code)}%"))
    if filters.status:
        query = query.where(Petition.status == filters.status)
    if filters.province:
        query = query.where(Petition.province_code == filters.province)
    if filters.agency:
        query = query.join(Agency, Agency.id == Petition.lead_agency_id).where(Agency.code == filters.agency)
    if filters.received_from:
        query = query.where(Petition.received_at >= filters.received_from)
    if filters.received_to:
        query = query.where(Petition.received_at <= filters.received_to)
    if filters.overdue:
        query = query.where(Petition.late.is_(True) | Petition.id.in_(_with_missed_deadline()))
    return list(session.scalars(query.order_by(Petition.received_at.desc(), Petition.id.desc()).limit(limit)))


def _with_missed_deadline():
    return select(CaseDeadline.petition_id).where(CaseDeadline.overdue_at.is_not(None))


def element_states(instance: ProcessInstance) -> dict[str, str]:
    """BPMN element id → completed / active / waiting, read from the stored state (no lock, nothing saved)."""
    spec, subprocess_specs = specs_of(instance.definition)
    workflow = load_state(instance.state_json, spec, subprocess_specs, make_script_engine({}))
    states: dict[str, str] = {}
    rank = {"completed": 0, "waiting": 1, "active": 2}  # a loop's live token outranks its earlier passes
    for task in all_tasks(workflow):
        bpmn_id = task.task_spec.bpmn_id
        if not bpmn_id:
            continue
        if task.state == TaskState.COMPLETED:
            state = "completed"
        elif task.state == TaskState.READY or task.state == TaskState.STARTED:
            state = "active"
        elif task.state == TaskState.WAITING:
            state = "waiting"
        else:
            continue
        if rank[state] >= rank.get(states.get(bpmn_id, "completed"), 0):
            states[bpmn_id] = state
    return states


@dataclass
class Step:
    """One line of an instance's history as auditors export it."""

    at: datetime
    actor: str
    role: str
    action: str
    outcome: str
    task: str
    data: dict


def steps(session, instance_id: int) -> list[Step]:
    return [
        Step(e.at, e.actor, e.actor_role or "", e.action, e.outcome, e.task_name or "", e.data)
        for e in history(session, instance_id)
    ]


def deadlines(session, petition: Petition) -> list[dict]:
    """Every deadline the case had: step, start, due, and whether it was met, missed or is still running."""
    rows = session.scalars(
        select(CaseDeadline).where(CaseDeadline.petition_id == petition.id).order_by(CaseDeadline.id)
    )
    waiting = set(
        session.scalars(select(Timer.step).where(Timer.instance_id == petition.instance_id, Timer.kind == "deadline"))
    )
    rows = list(rows)
    latest = {row.step: row.id for row in rows}
    result = []
    for row in rows:
        if row.overdue_at:
            outcome = "missed"
        elif row.step in waiting and latest[row.step] == row.id:
            outcome = "running"
        else:
            outcome = "met"
        result.append(
            {
                "step": row.step,
                "policy": row.policy,
                "started_at": row.started_at,
                "due_at": row.due_at,
                "overdue_at": row.overdue_at,
                "outcome": outcome,
            }  # fmt: skip
        )
    return result
