"""Co-handling and holders as the lead agency reads them: each co-handling agency's opinion on the lead's direction
(Decree 20/2008 Art. 14), asked in parallel, each with its own task and the `co_opinion` deadline of the province's
policy; and which agencies held the case for an answer, for how long."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.agencies.models import Agency
from app.audit.models import AuditEntry
from app.calendars.store import current_book
from app.calendars.working_days import working_days_spanned
from app.db import utcnow
from app.deadlines.status import case_deadlines
from app.engine.models import WorkItem

from .models import Petition


@dataclass(frozen=True)
class Opinion:
    """One co-handling agency's answer to one request for its opinion."""

    agency_code: str
    agency_name: str
    asked_at: datetime
    due_at: datetime | None
    given_at: datetime | None
    opinion: str
    agrees: bool | None
    state: str  # "waiting", "given", "given_late", "late" (the deadline passed without it; the lead went on)


def co_opinions(session, petition: Petition) -> list[Opinion]:
    """Every opinion asked of the co-handling agencies of the case, oldest first."""
    if petition.instance_id is None:
        return []
    items = session.scalars(
        select(WorkItem)
        .where(WorkItem.instance_id == petition.instance_id, WorkItem.bpmn_id == "co_opinion")
        .order_by(WorkItem.id)
    ).all()
    if not items:
        return []
    given = {
        entry.task_id: entry.data.get("values", {})
        for entry in session.scalars(
            select(AuditEntry).where(
                AuditEntry.instance_id == petition.instance_id,
                AuditEntry.action == "task.completed",
                AuditEntry.task_id.in_([i.task_id for i in items]),
            )
        )
    }
    codes = {i.agency_code for i in items}
    names = dict(session.execute(select(Agency.code, Agency.name).where(Agency.code.in_(codes))).all())
    return [_opinion(item, given.get(item.task_id), names) for item in items]


def _opinion(item: WorkItem, values: dict | None, names: dict) -> Opinion:
    if item.state == "ready":
        state = "waiting"
    elif values is None:
        state = "late"
    else:
        state = "given_late" if item.due_at and item.completed_at > item.due_at else "given"
    values = values or {}
    agrees = values.get("agrees")
    return Opinion(
        item.agency_code,
        names.get(item.agency_code, item.agency_code),
        item.created_at,
        item.due_at,
        item.completed_at if values else None,
        str(values.get("opinion") or ""),
        None if agrees is None else agrees in (True, "true", "on", 1),
        state,
    )


def disagreeing(opinions: list[Opinion]) -> list[Opinion]:
    """The latest opinions that do not agree with the lead's direction."""
    return [o for o in opinions if o.agrees is False]


@dataclass(frozen=True)
class Holding:
    """An agency that held the case for its answer: from when, until when (None: still), in working days."""

    agency_code: str
    agency_name: str
    started_at: datetime
    ended_at: datetime | None
    working_days: int
    verdict: str  # of its answer run: running, overdue, met, missed
    verdict_text: str  # the same, in the reader's language


def holders(session, petition: Petition, now: datetime | None = None) -> list[Holding]:
    """Who held the case for an answer and for how long, oldest first (one row per answer run; a transfer starts
    the receiving agency's run, counted from the day it received the case)."""
    runs = [d for d in case_deadlines(session, petition, now) if d.step == "answer" and d.agency_code]
    if not runs:
        return []
    calendar = current_book(session).calendar(petition.province_code)
    names = dict(
        session.execute(select(Agency.code, Agency.name).where(Agency.code.in_({r.agency_code for r in runs}))).all()
    )
    until = now or utcnow()
    return [
        Holding(
            run.agency_code,
            names.get(run.agency_code, run.agency_code),
            run.started_at,
            run.ended_at,
            working_days_spanned(calendar, run.started_at, run.ended_at or until),
            run.state,
            run.text,
        )
        for run in runs
    ]
