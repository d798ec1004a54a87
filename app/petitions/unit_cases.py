"""The staff's case list: every case the reader's unit touched, open and closed, searched, filtered by the
dashboards' slices, sorted and cut into pages, all in SQL; and the rule of who may read a case at all.

A unit touched a case when it leads it, co-handles it, or held any of its tasks (it classified, forwarded,
handled or transferred it). The province's intake office touches every case of its province; auditors and the
chair's office oversee every case. The figures behind each number of a dashboard are app/statistics/figures.py's
own conditions (COUNTED), so a number and its list cannot disagree.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import exists, false, func, or_, select
from sqlalchemy.orm import aliased

from app.agencies.models import Agency
from app.db import utcnow
from app.deadlines.status import due_soon
from app.engine.models import WorkItem
from app.statistics.figures import COUNTED, Period, Slice, overdue_task, slice_conditions

from .models import Petition, PetitionStatus, UnitCase, petition_co_agency
from .staff_search import holding_words, rare_word_cases, staff_words

PAGE = 25
MAX_PAGE = 10_000  # deeper pages are clamped: the database never gets an offset it cannot hold
COUNT_CAP = 10_000  # the page header says "more than 10,000" past it: a big unit's cases are not counted per request
OVERSEERS = ("auditor", "chair")  # read every case of every province
STAFF = ("intake", "handler", "leader", "chair")
SORTS = {
    "received": Petition.received_at,
    "code": Petition.tracking_code,
    "title": Petition.title,
    "sender": Petition.sender_name,
    "status": Petition.status,
    "updated": Petition.updated_at,
}
DUES = ("", "open", "overdue", "soon")  # with an open task; one past due; one due within DUE_SOON working days
FIGURES = (*COUNTED, "overdue_now")


@dataclass
class CaseFilters:
    """What narrows the list; empty values narrow nothing."""

    q: str = ""  # a tracking code's beginning, or words of the title or the sender's name (diacritics ignored)
    status: str = ""
    field: str = ""
    agency: str = ""  # the lead agency's code
    province: str = ""
    figure: str = ""  # a figure of app/statistics/figures.py: the cases it counts
    holder: str = ""  # the username holding an open task of the case
    due: str = ""  # one of DUES
    start: date | None = None  # received from this day (Vietnam)
    end: date | None = None  # … to this day inclusive
    sort: str = "received"
    descending: bool = True
    page: int = 1


@dataclass
class CasePage:
    rows: list[Petition] = field(default_factory=list)
    total: int = 0  # at most the count's cap
    page: int = 1
    pages: int = 1
    more: bool = False  # more than `total` rows match (the count stopped at its cap)


def unit_scope(user, one_case: bool = False) -> list | None:
    """The conditions a case meets to be in the user's list; None when the user reads no case list.

    For a list, a unit's cases are its rows of `unit_case`, which the database keeps equal to the union of the three
    reasons (led, co-handled, a task held; migration 0022_unit_cases), so the list reads the unit's cases newest
    first off one index and never the country's; `one_case` asks the reasons themselves per case (EXISTS)."""
    if user is None or not user.active:
        return None
    if user.role in OVERSEERS:
        return []
    agency = user.agency
    if user.role not in STAFF or agency is None:
        return None
    if agency.is_intake_office:
        return [Petition.province_code == agency.province_code]
    if not one_case:
        return [UnitCase.agency_id == agency.id, UnitCase.petition_id == Petition.id]
    co_handles = exists(
        select(petition_co_agency.c.petition_id).where(
            petition_co_agency.c.petition_id == Petition.id, petition_co_agency.c.agency_id == agency.id
        )
    )
    task = aliased(WorkItem)  # its own name: the scope also narrows queries that join the open tasks
    held = exists(select(task.id).where(task.instance_id == Petition.instance_id, task.agency_code == agency.code))
    # held: forwarded through, transferred from, asked for an opinion — any task of the unit, open or done
    return [or_(Petition.lead_agency_id == agency.id, co_handles, held)]


def _reads_unit_cases(user) -> bool:
    """Whether the user's list is drawn from unit_case (a unit's staff, not an intake office nor an overseer)."""
    agency = user.agency if user is not None and user.active and user.role in STAFF else None
    return agency is not None and not agency.is_intake_office


def may_read_case(session, user, petition: Petition | None) -> bool:
    """Whether the case is in the user's list (its tasks, open or finished, are then readable, read-only)."""
    scope = unit_scope(user, one_case=True)
    if scope is None or petition is None:
        return False
    return session.scalar(select(Petition.id).where(Petition.id == petition.id, *scope)) is not None


def task_condition(session, scope: list, holder: str, due: str, now: datetime):
    """The open task a case must have for the holder and due filters (the same task meets both)."""
    conditions = [WorkItem.state == "ready"]
    if holder:
        conditions.append(WorkItem.assignee == holder)
    if due == "overdue":
        conditions.append(WorkItem.due_at < now)
    elif due == "soon":
        conditions.append(due_soon(session, now))
    return conditions


def _conditions(session, user, filters: CaseFilters, now: datetime) -> list:
    scope = unit_scope(user)
    if scope is None:
        return [false()]
    conditions = list(scope)
    slice_ = Slice(province=filters.province or None, agency=filters.agency or None, field_code=filters.field or None)
    conditions += slice_conditions(slice_)
    if filters.status:
        conditions.append(Petition.status == filters.status)
    if filters.start or filters.end:
        first, after = Period(filters.start or date(1900, 1, 1), filters.end or date(9999, 12, 30)).bounds()
        conditions += [Petition.received_at >= first, Petition.received_at < after]
    if filters.figure in COUNTED:
        conditions.append(COUNTED[filters.figure])
    elif filters.figure == "overdue_now":
        conditions.append(Petition.tracking_code.in_(select(WorkItem.business_key).where(overdue_task(now))))
    if filters.holder or filters.due:
        tasks = task_condition(session, scope, filters.holder, filters.due, now)
        # driven by the open tasks (few), the case's own and its clarifications' alike (by tracking code)
        conditions.append(Petition.tracking_code.in_(select(WorkItem.business_key).where(*tasks)))
    conditions += _search(session, filters.q)
    return conditions


def _search(session, q: str) -> list:
    """Every word typed must be in the code, title or sender's name; a word is literal (`%`, `_` too). Among the
    few cases the trigram index finds when the words are rare (the same rows: the index only narrows)."""
    words = staff_words(q)
    if not words:
        return []
    rare = rare_word_cases(session, words)
    return holding_words(words) + ([Petition.id.in_(rare)] if rare is not None else [])


def unit_cases(session, user, filters: CaseFilters, now: datetime | None = None, cap: int = COUNT_CAP) -> CasePage:
    """A page of the user's unit's cases matching the filters, in the order asked (ties by id); counted up to `cap`
    (`more` past it). The page is read first: a page not full is the last one, and its rows give the count."""
    now = now or utcnow()
    conditions = _conditions(session, user, filters, now)
    column, tie = SORTS.get(filters.sort, Petition.received_at), Petition.id
    if filters.sort == "received" and _reads_unit_cases(user):
        column, tie = UnitCase.received_at, UnitCase.petition_id  # the unit's index, read from its newest end
    order = (column.desc(), tie.desc()) if filters.descending else (column.asc(), tie.asc())
    query = select(Petition).where(*conditions).order_by(*order).limit(PAGE)
    page = min(max(1, filters.page), MAX_PAGE)
    rows = session.scalars(query.offset((page - 1) * PAGE)).all()
    if 0 < len(rows) < PAGE or (page == 1 and not rows):
        found = (page - 1) * PAGE + len(rows)
    else:
        found = session.scalar(select(func.count()).select_from(_counted(user, conditions, cap).subquery()))
    total = min(found, cap)
    pages = max(1, min(MAX_PAGE, -(-total // PAGE)))
    if page > pages:  # asked past the end, or past the cap: the last page
        page = pages
        rows = session.scalars(query.offset((page - 1) * PAGE)).all()
    return CasePage(list(rows), total, page, pages, more=found > cap)


def _counted(user, conditions: list, cap: int):
    """The ids counted, at most cap + 1; off the unit's index alone when nothing but the unit narrows the list."""
    if _reads_unit_cases(user) and len(conditions) == len(unit_scope(user)):
        return select(UnitCase.petition_id).where(UnitCase.agency_id == user.agency_id).limit(cap + 1)
    return select(Petition.id).where(*conditions).limit(cap + 1)


def count_cases(session, user, filters: CaseFilters, now: datetime | None = None) -> int:
    """How many rows the list has for these filters (every page)."""
    return session.scalar(select(func.count(Petition.id)).where(*_conditions(session, user, filters, now or utcnow())))


def case_to_open(session, user, code: str) -> WorkItem | None:
    """The task a case of the list opens on: the latest of the reader's unit, else the case's latest; None when the
    reader may not read the case (or it has no task)."""
    petition = session.scalar(select(Petition).where(Petition.tracking_code == code))
    if petition is None or petition.instance_id is None or not may_read_case(session, user, petition):
        return None
    latest = select(WorkItem).where(WorkItem.instance_id == petition.instance_id).order_by(WorkItem.id.desc()).limit(1)
    own = session.scalar(latest.where(WorkItem.agency_code == (user.agency.code if user.agency else None)))
    return own or session.scalar(latest)


def lead_names(session, rows: list[Petition]) -> dict[int, str]:
    """Lead agency id → name for a page's rows (one query)."""
    ids = {p.lead_agency_id for p in rows if p.lead_agency_id}
    if not ids:
        return {}
    return dict(session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(ids))).all())


def status_codes(session) -> list[str]:
    """Every status a case can be in, open and closed, in the catalogue's order."""
    return list(session.scalars(select(PetitionStatus.code).order_by(PetitionStatus.sort_order)))
