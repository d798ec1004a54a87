"""What pages and exports read about tasks: a user's inbox (filters and paging in SQL), one task with its case,
counts for the start page, a case's history. Permission rules are in policy.py. Tasks of instances staff started
by hand have no petition (None where a petition would be)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import case, false, func, select, union_all

from app.accounts.models import User
from app.agencies.models import Agency
from app.attachments.models import Attachment
from app.audit.log import history as audit_history
from app.audit.models import AuditEntry
from app.db import utcnow
from app.deadlines.status import DeadlineStatus, due_soon, task_status
from app.engine.models import ProcessDefinition, ProcessInstance, WorkItem
from app.errors import NotFound
from app.petitions.clarifications import petition_of_instance
from app.petitions.models import Notification, Petition

from .policy import ReadingScope, is_candidate, may_claim, may_hold, may_unclaim

INBOX_PAGE = 50
DUE_FILTERS = ("", "overdue", "soon")
HOLDER_FILTERS = ("", "mine", "free", "others")  # claimed by me, by nobody, by a colleague (a leader sees those)


@dataclass
class InboxFilters:
    field: str = ""
    status: str = ""
    province: str = ""
    due: str = ""  # "", "overdue" (past its due instant) or "soon" (within DUE_SOON working days)
    holder: str = ""  # one of HOLDER_FILTERS
    page: int = 1


@dataclass
class InboxRow:
    item: WorkItem
    petition: Petition | None  # None: an instance staff started by hand (`process` names it)
    deadline: DeadlineStatus | None
    agency: str
    assignee: str | None  # full name of the holder; None when nobody has claimed it
    mine: bool
    can_claim: bool
    can_unclaim: bool
    process: str | None = None


@dataclass
class InboxPage:
    rows: list[InboxRow] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1


def assignable_staff(session, item: WorkItem) -> list:
    """The colleagues a leader may give the task to (active, of its agency, in one of its groups), by name."""
    if item.agency_code is None:
        return []
    staff = session.scalars(
        select(User)
        .join(Agency, User.agency_id == Agency.id)
        .where(Agency.code == item.agency_code)
        .order_by(User.full_name)
    )
    return [u for u in staff if may_hold(u, item)]


@dataclass(frozen=True)
class Returned:
    """Why a task came back: the return that created it, by whom, when, with the reason given."""

    by: str
    at: datetime
    reason: str


RETURNS = (("leader_decision", "leader_note"), ("review_decision", "return_reason"))
SAME_OPERATION = timedelta(seconds=60)  # an operation's task rows and its audit entry are written this close


def returned_because(session, item: WorkItem) -> Returned | None:
    """The leader's or the intake office's return that sent this task back: the completion recorded by the
    operation that created it (its audit entry follows the task's creation within the same transaction)."""
    entry = session.scalar(
        select(AuditEntry)
        .where(
            AuditEntry.instance_id == item.instance_id,
            AuditEntry.action == "task.completed",
            AuditEntry.at >= item.created_at,
            AuditEntry.at <= item.created_at + SAME_OPERATION,
        )
        .order_by(AuditEntry.id)
        .limit(1)
    )
    if entry is None:
        return None
    values = entry.data.get("values", {})
    for decision, reason in RETURNS:
        if values.get(decision) == "return":
            return Returned(entry.actor, entry.at, str(values.get(reason) or ""))
    return None


def _scope(user):
    """The open tasks a user sees: his agency's for his role, those naming him and his own claims (a leader: all of
    his agency's), a citizen his own cases' sender tasks; a task someone else holds only for a leader."""
    query = (
        select(WorkItem, Petition)
        # by business key, the tracking code: the case's own instance and its clarifications alike
        .outerjoin(Petition, Petition.tracking_code == WorkItem.business_key)
        .where(WorkItem.state == "ready")
    )
    if user.role == "citizen":
        return query.where(Petition.sender_user_id == user.id, WorkItem.candidate_groups.like("%,sender,%"))
    if user.role == "leader":  # a leader oversees every open task of his agency, claimed or not
        return query.where(WorkItem.id.in_(_open_task_ids(user, None)))
    if user.role not in ("intake", "handler", "chair"):
        return query.where(false())
    # a colleague's claim is left out on the rows found, in a form no index serves: an indexed "nobody holds it"
    # would make PostgreSQL read every unclaimed open task of the country
    free_or_mine = func.coalesce(WorkItem.assignee, "").in_(("", user.username))
    return query.where(WorkItem.id.in_(_open_task_ids(user, user.role)), free_or_mine)


def _open_task_ids(user, role: str | None):
    """Ids of the open tasks of the user's agency (for his role), held by him or naming him, each branch on its own
    index (ix_work_item_inbox, ix_work_item_assignee_state, ix_work_item_named), so an inbox reads its agency's open
    tasks, never the whole country's nor everything he ever did."""
    ready = WorkItem.state == "ready"
    agency = select(WorkItem.id).where(ready, WorkItem.agency_code == user.agency_code)
    if role is not None:
        agency = agency.where(WorkItem.candidate_groups.like(f"%,{role},%"))
    held = select(WorkItem.id).where(WorkItem.assignee == user.username, ready)
    named = select(WorkItem.id).where(  # the partial index ix_work_item_named holds only tasks naming someone
        ready, WorkItem.candidate_users != "", WorkItem.candidate_users.like(f"%,{user.username},%")
    )
    return union_all(agency, held, named)


def _due_condition(session, due: str, now: datetime):
    """Overdue: past its due instant. Due soon: within DUE_SOON working days of the case's province's calendar (the
    national one for instances without a petition)."""
    if due == "overdue":
        return WorkItem.due_at < now
    if due != "soon":
        return None
    return due_soon(session, now)


def _holder_condition(user, holder: str):
    if holder == "mine":
        return WorkItem.assignee == user.username
    if holder == "free":
        return WorkItem.assignee.is_(None)
    if holder == "others":
        return WorkItem.assignee.is_not(None) & (WorkItem.assignee != user.username)
    return None


def inbox_page(session, user, filters: InboxFilters, now: datetime | None = None) -> InboxPage:
    """The user's inbox, soonest due first, narrowed by the filters and cut into pages, all in SQL; only the
    page's rows get their working-day deadline worked out."""
    now = now or utcnow()
    query = _scope(user)
    for column, value in ((Petition.field_code, filters.field), (Petition.status, filters.status),
                          (Petition.province_code, filters.province)):  # fmt: skip
        if value:
            query = query.where(column == value)
    for condition in (_due_condition(session, filters.due, now), _holder_condition(user, filters.holder)):
        if condition is not None:
            query = query.where(condition)
    # the page's ids and the count in one statement of narrow rows (the count reads every match: their whole
    # petitions sorted along would be megabytes), then the page's rows; a page past the end is asked again
    order = (WorkItem.due_at.is_(None), WorkItem.due_at, WorkItem.id)
    ordered = query.with_only_columns(WorkItem.id, func.count().over()).order_by(*order)
    page = max(1, filters.page)
    found = session.execute(ordered.limit(INBOX_PAGE).offset((page - 1) * INBOX_PAGE)).all()
    if not found and page > 1:
        total = session.scalar(select(func.count()).select_from(query.subquery()))
        page = max(1, -(-total // INBOX_PAGE))
        found = session.execute(ordered.limit(INBOX_PAGE).offset((page - 1) * INBOX_PAGE)).all()
    total = found[0][1] if found else 0
    pages = max(1, -(-total // INBOX_PAGE))
    page_rows = select(WorkItem, Petition).outerjoin(Petition, Petition.tracking_code == WorkItem.business_key)
    rows = session.execute(page_rows.where(WorkItem.id.in_([i for i, _ in found])).order_by(*order)).all()
    return InboxPage(_rows(session, user, [(item, petition) for item, petition in rows], now), total, page, pages)


def _rows(session, user, found, now) -> list[InboxRow]:
    agencies = dict(session.execute(select(Agency.code, Agency.name)).all())
    holders = {item.assignee for item, _ in found if item.assignee}
    names = dict(session.execute(select(User.username, User.full_name).where(User.username.in_(holders))).all())
    processes = _process_names(session, [item.instance_id for item, petition in found if petition is None])
    return [
        InboxRow(
            item=item,
            petition=petition,
            deadline=task_status(session, item, petition.province_code if petition else None, now),
            agency=agencies.get(item.agency_code or "", item.agency_code or ""),
            assignee=names.get(item.assignee, item.assignee) if item.assignee else None,
            mine=item.assignee == user.username,
            can_claim=may_claim(user, item, petition),
            can_unclaim=may_unclaim(user, item),
            process=processes.get(item.instance_id),
        )
        for item, petition in found
    ]


def _process_names(session, instance_ids: list[int]) -> dict[int, str]:
    """instance id → its process's name (the inbox names instances without a petition by their process)."""
    if not instance_ids:
        return {}
    rows = session.execute(
        select(ProcessInstance.id, ProcessDefinition.name, ProcessDefinition.process_key)
        .join(ProcessDefinition, ProcessDefinition.id == ProcessInstance.definition_id)
        .where(ProcessInstance.id.in_(instance_ids))
    ).all()
    return {row.id: row.name or row.process_key for row in rows}


def inbox(session, user) -> list[WorkItem]:
    """Every open task in the user's inbox, soonest due first (commands and tests; pages use inbox_page)."""
    query = _scope(user).order_by(WorkItem.due_at.is_(None), WorkItem.due_at, WorkItem.id)
    return [item for item, _ in session.execute(query)]


WORKLOAD = ("open", "mine", "free", "others", "late", "soon")


def workload(session, user, now: datetime | None = None) -> dict[str, int]:
    """The start page's counts of the user's inbox: open, claimed by him, by nobody, by a colleague, overdue and
    due soon; one counting query over the inbox indexes (and one for the provinces whose calendars say "soon")."""
    now = now or utcnow()
    query = _scope(user)
    conditions = [_holder_condition(user, holder) for holder in ("mine", "free", "others")]
    conditions += [WorkItem.due_at < now, _due_condition(session, "soon", now)]
    counts = session.execute(
        query.with_only_columns(func.count(), *(func.count(case((condition, 1))) for condition in conditions))
    ).one()
    return dict(zip(WORKLOAD, counts, strict=True))


def task_and_case(session, item_id: int) -> tuple[WorkItem, Petition | None]:
    """A work item and the petition of its instance (None for an instance staff started); NotFound without item."""
    item = session.get(WorkItem, item_id)
    if item is None:
        raise NotFound(f"work item {item_id}")
    return item, petition_of_instance(session, item.instance_id)


def task_as_it_stands(session, item_id: int) -> WorkItem:
    """A work item read again from the database (after someone else's change won)."""
    item = session.get(WorkItem, item_id)
    if item is None:
        raise NotFound(f"work item {item_id}")
    session.refresh(item)
    return item


def entered_petition(session, clerk, code: str | None):
    """After a clerk's entry: the new petition and its classification task when this clerk may do it."""
    if not code:
        return None
    petition = session.scalar(select(Petition).where(Petition.tracking_code == code))
    if petition is None or petition.entered_by != clerk.username:
        return None
    items = session.scalars(
        select(WorkItem).where(WorkItem.instance_id == petition.instance_id, WorkItem.state == "ready")
    ).all()
    item = next((i for i in items if is_candidate(clerk, i, petition)), None)
    return {"petition": petition, "item": item}


def full_name(session, username: str | None) -> str | None:
    if not username:
        return None
    return session.scalar(select(User.full_name).where(User.username == username)) or username


def agency_name(session, code: str | None) -> str | None:
    if not code:
        return None
    return session.scalar(select(Agency.name).where(Agency.code == code)) or code


def case_files(session, petition, scope: ReadingScope | None = None) -> list[Attachment]:
    """The sender's files and the answer's documents, oldest first (those the reader's scope shows)."""
    rows = session.scalars(select(Attachment).where(Attachment.petition_id == petition.id).order_by(Attachment.id))
    return [row for row in rows if scope is None or scope.shows(row.uploaded_at)]


def case_file(session, petition, scope: ReadingScope, attachment_id: int) -> Attachment | None:
    """A file of the case the reader may see; None when it is another case's or outside the scope (the page
    refuses and audits that); NotFound when there is no such file."""
    row = session.get(Attachment, attachment_id)
    if row is None:
        raise NotFound(f"attachment {attachment_id}")
    return row if row.petition_id == petition.id and scope.shows(row.uploaded_at) else None


def case_messages(session, petition, scope: ReadingScope | None = None) -> list[Notification]:
    """The messages of a case (to its sender and its staff) with their delivery state, oldest first."""
    rows = session.scalars(
        select(Notification).where(Notification.petition_id == petition.id).order_by(Notification.id)
    )
    return [row for row in rows if scope is None or scope.shows(row.created_at)]


def history(session, instance_id: int):
    """Everything that happened to an instance, oldest first (audit entries)."""
    return audit_history(session, instance_id)
