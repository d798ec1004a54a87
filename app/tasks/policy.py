"""Who may do what with a work item and its case — the one place operations and pages ask.

Candidates act on a task (its candidate groups and the case's agency, or the sender himself); an open task is
claimed by one of them and completed by its holder (or by any candidate while nobody holds it); the holder or the
agency's leader gives a claimed task back; readers see a case as far as `reading_scope` says (an agency that
handed the case on sees it as it stood when it left). Instances staff started by hand have no petition (None):
their tasks follow the same rules, without a sender, and their candidates read all of them.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.engine.models import WorkItem
from app.petitions.models import Petition
from app.petitions.senders import is_sender_of
from app.petitions.unit_cases import may_read_case


def is_candidate(user, item: WorkItem, petition: Petition | None) -> bool:
    """May `user` claim or complete `item`? Staff act for their own agency; the sender for his own case."""
    if user is None or not user.active:
        return False
    if user.username in item.users:
        return True
    groups = item.groups
    if "sender" in groups and is_sender_of(user, petition):
        return True
    return user.role in groups and item.agency_code is not None and user.agency_code == item.agency_code


def may_claim(user, item: WorkItem, petition: Petition | None) -> bool:
    """An open task nobody holds, for one of its candidates."""
    return item.state == "ready" and item.assignee is None and is_candidate(user, item, petition)


def may_complete(user, item: WorkItem, petition: Petition | None) -> bool:
    """An open task, for its holder, or for any candidate while nobody holds it."""
    return item.state == "ready" and item.assignee in (None, user.username) and is_candidate(user, item, petition)


def may_give_back(user, item: WorkItem) -> bool:
    """Whoever holds a task may give it back to the group, and so may a leader of the task's agency."""
    is_leader = user.role == "leader" and item.agency_code is not None and user.agency_code == item.agency_code
    return (item.assignee is not None and item.assignee == user.username) or is_leader


def may_assign(user, item: WorkItem) -> bool:
    """A leader assigns or reassigns an open task of his agency to a named colleague."""
    return (
        item.state == "ready"
        and user.role == "leader"
        and item.agency_code is not None
        and user.agency_code == item.agency_code
    )


def may_hold(user, item: WorkItem) -> bool:
    """Whom a leader may name: an active member of the task's agency in one of its candidate groups."""
    return user.active and user.agency_code == item.agency_code and user.role in item.groups


def may_unclaim(user, item: WorkItem) -> bool:
    """What a page offers: giving back an open task somebody holds (may_give_back)."""
    return item.state == "ready" and bool(item.assignee) and may_give_back(user, item)


@dataclass(frozen=True)
class ReadingScope:
    """How much of a case a reader sees: everything, or its history and files up to `until`."""

    until: datetime | None = None

    def shows(self, at: datetime | None) -> bool:
        return self.until is None or (at is not None and at <= self.until)


def reading_scope(session, user, item: WorkItem, petition: Petition | None) -> ReadingScope | None:
    """What `user` may read of the case through `item`; None when nothing.

    Auditors read everything. A task's candidates (and the leader of its agency) read the case while their
    agency takes part in it: as the lead or a co-handling agency, or as the province's intake office. An agency
    that transferred the case away keeps its own part: the history and files up to its last task. Whoever may
    read the case (its unit touched it, or he oversees every case: unit_cases) reads any of its tasks, open or
    finished, read-only, as far as his unit's part goes.
    """
    if user.role == "auditor":
        return ReadingScope()
    own_task = is_candidate(user, item, petition) or (
        user.role == "leader" and item.agency_code is not None and item.agency_code == user.agency_code
    )
    if not own_task and not may_read_case(session, user, petition):
        return None
    if (own_task and item.state == "ready") or petition is None or user.role == "chair" or _takes_part(user, petition):
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
        return is_sender_of(user, petition)
    if agency.is_intake_office and agency.province_code == petition.province_code:
        return True
    return petition.lead_agency_id == agency.id or any(a.id == agency.id for a in petition.co_agencies)
