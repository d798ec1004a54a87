"""The auditors' search: petitions with their instances, by tracking code, status, agency, province, dates, lateness;
and the instances staff started by hand (no petition), newest first."""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, select
from sqlalchemy.orm import defer, load_only, selectinload

from app.accounts.models import User
from app.agencies.models import Agency, Province
from app.audit.models import AuditEntry
from app.engine.models import ProcessInstance
from app.petitions.models import CaseDeadline, Petition, PetitionStatus
from app.petitions.queries import narrowed
from app.petitions.tracking import normalize
from app.process_starts.queries import STARTED, started_by
from app.reviews.monthly import STARTED as REVIEW_STARTED

DIGITS_LETTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SUCCESSOR = dict(zip(DIGITS_LETTERS, DIGITS_LETTERS[1:], strict=False))
CODE_CHARS = re.compile(r"[0-9A-Z-]+")


@dataclass
class Filters:
    code: str = ""
    status: str = ""
    agency: str = ""
    province: str = ""
    received_from: datetime | None = None
    received_to: datetime | None = None
    overdue: bool = False


SHOWN = (Petition.tracking_code, Petition.instance_id, Petition.title, Petition.hidden, Petition.status, Petition.late,
         Petition.province_code, Petition.received_at)  # fmt: skip


def search(session, filters: Filters, limit: int = 200) -> list[Petition]:
    """Petitions (each with its instance), newest first."""
    shown = load_only(*SHOWN)  # 200 rows: their texts (content, answer) are not read here
    return list(session.scalars(search_query(filters, limit).options(shown, selectinload(Petition.province))))


def search_query(filters: Filters, limit: int = 200):
    query = select(Petition).where(Petition.instance_id.is_not(None))
    if filters.code:
        query = query.where(*code_starting(filters.code))
    query = narrowed(query, status=filters.status, province=filters.province, agency=filters.agency)
    if filters.received_from:
        query = query.where(Petition.received_at >= filters.received_from)
    if filters.received_to:
        query = query.where(Petition.received_at <= filters.received_to)
    if filters.overdue:
        query = query.where(Petition.late.is_(True) | Petition.id.in_(_with_missed_deadline()))
    return query.order_by(Petition.received_at.desc(), Petition.id.desc()).limit(limit)


def code_starting(typed: str) -> list:
    """Tracking codes that start with what was typed (normalized: case, O/0, I/L/1, dashes do not matter), as a
    range on the unique index of tracking_code. The bound after the range is the prefix's successor in 0-9A-Z,
    not prefix + a high character: a linguistic collation (PostgreSQL's en_US, say) may ignore such a character,
    while digits and letters keep their order in every collation."""
    prefix = normalize(typed)
    if not CODE_CHARS.fullmatch(prefix):
        return [false()]  # a character no code has
    after = prefix.rstrip("Z-")  # ZZ has no successor of its length: the range ends after the shorter prefix
    if not after:
        return [Petition.tracking_code >= prefix]
    upper = after[:-1] + SUCCESSOR[after[-1]]
    return [Petition.tracking_code >= prefix, Petition.tracking_code < upper]


def _with_missed_deadline():
    """Cases with a run missed, or fired and not yet settled; a deadline the case lawfully did not need is not."""
    missed = CaseDeadline.verdict == "missed"
    fired = CaseDeadline.overdue_at.is_not(None) & CaseDeadline.verdict.is_(None)
    return select(CaseDeadline.petition_id).where(missed | fired)


def filter_choices(session) -> dict:
    """Options of the search form: statuses in the flow's order, agencies and provinces by name."""
    return {
        "statuses": session.scalars(select(PetitionStatus).order_by(PetitionStatus.sort_order)).all(),
        "agencies": session.execute(select(Agency.code, Agency.name).order_by(Agency.name)).all(),
        "provinces": session.execute(select(Province.code, Province.name).order_by(Province.name)).all(),
    }


HAND_STARTS = (STARTED, REVIEW_STARTED)  # the audit actions of an instance started without a petition


@dataclass
class StartedRow:
    """An instance without a petition: its process, who started it (full name) and where it stands."""

    instance: ProcessInstance
    started_by: str


def started_by_hand(session, filters: Filters, limit: int = 50) -> list[StartedRow]:
    """Instances no petition started (by staff, or the scheduler's monthly reviews), newest first, in the search's
    date range (the petitions' filters do not apply to them: a search by code, status, agency or lateness lists
    none). Found through their start's audit entry, on the action index, not by scanning every instance."""
    if filters.code or filters.status or filters.agency or filters.province or filters.overdue:
        return []
    found = []
    for action in HAND_STARTS:  # one look-up per action, each read newest first off the action index
        query = (
            select(AuditEntry.id, AuditEntry.instance_id)
            .join(ProcessInstance, ProcessInstance.id == AuditEntry.instance_id)
            .where(AuditEntry.action == action)
        )
        if filters.received_from:
            query = query.where(ProcessInstance.started_at >= filters.received_from)
        if filters.received_to:
            query = query.where(ProcessInstance.started_at <= filters.received_to)
        found += session.execute(query.order_by(AuditEntry.id.desc()).limit(limit)).all()
    newest = [instance_id for _, instance_id in sorted(found, reverse=True)[:limit]]
    instances = session.scalars(
        select(ProcessInstance).where(ProcessInstance.id.in_(newest)).options(defer(ProcessInstance.state))
    )
    by_id = {row.id: row for row in instances}
    rows = [by_id[instance_id] for instance_id in newest]
    starters = started_by(session, [row.id for row in rows])
    people = select(User.username, User.full_name).where(User.username.in_(starters.values()))
    names = dict(session.execute(people).all())
    return [StartedRow(row, names.get(starters.get(row.id), starters.get(row.id) or "")) for row in rows]
