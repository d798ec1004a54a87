"""Co-handling as the lead agency reads it (Decree 20/2008 Art. 14): each co-handling agency's opinion on the lead's
direction, asked in parallel, each with its own task and the `co_opinion` deadline of the province's policy."""

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.agencies.models import Agency
from app.audit.models import AuditEntry
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
        entry.task_id: json.loads(entry.data_json).get("values", {})
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
