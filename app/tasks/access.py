"""Who may act on a work item (its candidate groups, the case's agency, the sender himself) and how much of a
case a reader sees (an agency that handed the case on sees it as it stood when it left)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.engine.models import WorkItem
from app.petitions.models import Petition


def is_candidate(user, item: WorkItem, petition: Petition) -> bool:
    """May `user` claim or complete `item`? Staff act for their own agency; the sender for his own case."""
    if user is None or not user.active:
        return False
    if user.username in item.users:
        return True
    groups = item.groups
    if "sender" in groups and user.role == "citizen" and petition.sender_user_id == user.id:
        return True
    return user.role in groups and item.agency_code is not None and user.agency_code == item.agency_code


@dataclass(frozen=True)
class ReadingScope:
    """How much of a case a reader sees: everything, or its history and files up to `until`."""

    until: datetime | None = None

    def shows(self, at: datetime | None) -> bool:
        return self.until is None or (at is not None and at <= self.until)


def reading_scope(session, user, item: WorkItem, petition: Petition) -> ReadingScope | None:
    """What `user` may read of the case through `item`; None when nothing.

    Auditors read everything. A task's candidates (and the leader of its agency) read the case while their
    agency takes part in it: as the lead or a co-handling agency, or as the province's intake office. An agency
    that transferred the case away keeps its own part: the history and files up to its last task.
    """
    if user.role == "auditor":
        return ReadingScope()
    own_task = is_candidate(user, item, petition) or (
        user.role == "leader" and item.agency_code is not None and item.agency_code == user.agency_code
    )
    if not own_task:
        return None
    if item.state == "ready" or _takes_part(user, petition):
        return ReadingScope()
    last = session.scalar(
        select(func.max(WorkItem.completed_at)).where(
            WorkItem.instance_id == item.instance_id, WorkItem.agency_code == user.agency_code
        )
    )
    return ReadingScope(until=last or item.completed_at)


def _takes_part(user, petition: Petition) -> bool:
    agency = user.agency
    if agency is None:
        return user.role == "citizen" and petition.sender_user_id == user.id
    if agency.is_intake_office and agency.province_code == petition.province_code:
        return True
    return petition.lead_agency_id == agency.id or any(a.id == agency.id for a in petition.co_agencies)
