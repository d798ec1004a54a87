"""What pages read about petitions: the public answers (search and filters in SQL), a case by its tracking code,
its public documents and rating, a sender's own cases, and the lists forms offer."""

import re
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.agencies.models import Agency, Province
from app.attachments.models import Attachment
from app.engine.models import WorkItem
from app.errors import NotFound

from .fulltext import holding, holding_among, holding_first
from .models import CaseDeadline, Field, Petition, PetitionStatus, PetitionTally, Rating
from .search import search_words
from .tracking import ALPHABET, normalize

TRACKING_CODE = re.compile(f"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")

PUBLIC_PAGE = 20
MAX_PAGE = 10_000  # deeper pages are clamped: the database never gets an offset it cannot hold
FEW_MATCHES = 2_000  # a search matching at most this many is sorted from the full-text index's own answer
WALK, WALK_CHUNKS = 500, 20  # SQLite, a common word: newest answers asked about 500 at a time, 10,000 at most
LOADED = (selectinload(Petition.lead_agency), selectinload(Petition.province))  # what an answer's row shows


@dataclass
class PublicFilters:
    """The public search: words of the published texts (without diacritics), field, province, agency, period."""

    q: str = ""
    field: str = ""
    province: str = ""
    agency: str = ""
    start: datetime | None = None
    end: datetime | None = None
    page: int = 1


def narrowed(query, *, field: str = "", status: str = "", province: str = "", agency: str = ""):
    """A petition query narrowed by the filters given (empty ones ignored); `agency` is the lead agency's code."""
    for column, value in ((Petition.field_code, field), (Petition.status, status), (Petition.province_code, province)):
        if value:
            query = query.where(column == value)
    if agency:
        query = query.join(Agency, Agency.id == Petition.lead_agency_id).where(Agency.code == agency)
    return query


def is_public(petition: Petition) -> bool:
    """Neither hidden nor a state secret: the public may see that it exists and where it stands."""
    return not (petition.hidden or petition.state_secret)


def is_published(petition: Petition) -> bool:
    return petition.published_at is not None and is_public(petition)


def published_answers(session, filters: PublicFilters) -> tuple[list[Petition], int, bool]:
    """A page of published answers, newest first: (rows, page, whether more follow).

    The words typed are found on the full-text index (fulltext.py: whole words, literal), capped in number and
    length; out-of-range pages are clamped.
    """
    page = min(max(1, filters.page), MAX_PAGE)
    dialect = session.get_bind().dialect.name
    among = _few_matches(session, dialect, filters)
    rows = None
    if among is None and dialect == "sqlite" and search_words(filters.q) and not tracking_code_typed(filters.q):
        rows = _newest_holding(session, filters, page)
    if rows is None:
        query = published_query(dialect, filters, page, among)
        rows = session.scalars(query.options(*LOADED)).all()
    return rows[:PUBLIC_PAGE], page, len(rows) > PUBLIC_PAGE and page < MAX_PAGE


def _newest_holding(session, filters: PublicFilters, page: int) -> list[Petition] | None:
    """SQLite, words most answers hold: the newest published answers read WALK at a time off the publication
    index, FTS5 asked which of each chunk hold the words, until the page is full; None when WALK_CHUNKS chunks
    did not fill it (the plain query then). FTS5 would otherwise list every row holding the words to sort them
    (316 ms at 100,000 cases for words in most answers)."""
    words = search_words(filters.q)
    newest = published_query("sqlite", replace(filters, q=""), 1).limit(None).offset(None)
    newest = newest.with_only_columns(Petition.id)
    needed, found = page * PUBLIC_PAGE + 1, []
    for chunk in range(WALK_CHUNKS):
        ids = session.scalars(newest.limit(WALK).offset(chunk * WALK)).all()
        held = holding_among(session, words, ids)
        found += [i for i in ids if i in held]
        if len(found) >= needed or len(ids) < WALK:  # the page is full, or every published answer was read
            break
    else:
        return None
    wanted = found[(page - 1) * PUBLIC_PAGE : needed]
    rows = {p.id: p for p in session.scalars(select(Petition).where(Petition.id.in_(wanted)).options(*LOADED))}
    return [rows[i] for i in wanted]


def _few_matches(session, dialect: str, filters: PublicFilters) -> list[int] | None:
    """The ids of the petitions holding the words typed when there are at most FEW_MATCHES (a rare word), read off
    the full-text index alone; None for a common word (the newest-first walk of the publication index finds a page
    of those sooner) or without words. PostgreSQL cannot tell a word it has no statistics of from a common one: at
    1,000,000 cases it walked the whole publication index looking for an unknown word (1.6 s)."""
    words = holding(dialect, search_words(filters.q))
    if words is None or tracking_code_typed(filters.q):
        return None
    if dialect == "sqlite":
        ids = holding_first(session, search_words(filters.q), FEW_MATCHES + 1)
    else:
        ids = session.scalars(select(Petition.id).where(words).limit(FEW_MATCHES + 1)).all()
    return list(ids) if len(ids) <= FEW_MATCHES else None


def published_query(dialect: str, filters: PublicFilters, page: int = 1, among: list[int] | None = None):
    """The statement of a page of published answers (one more row than a page: whether more follow); `among`: the
    petitions that hold the words, when _few_matches found them already."""
    query = select(Petition).where(
        Petition.published_at.is_not(None), Petition.hidden.is_(False), Petition.state_secret.is_(False)
    )
    words = holding(dialect, search_words(filters.q)) if among is None else Petition.id.in_(among)
    code = tracking_code_typed(filters.q)
    if code:  # a tracking code typed: that case (or the words, should they happen to spell one)
        query = query.where(or_(Petition.tracking_code == code, words))
    elif words is not None:
        query = query.where(words)
    query = narrowed(query, field=filters.field, province=filters.province, agency=filters.agency)
    if filters.start:
        query = query.where(Petition.published_at >= filters.start)
    if filters.end:
        query = query.where(Petition.published_at <= filters.end)
    return query.order_by(Petition.published_at.desc()).limit(PUBLIC_PAGE + 1).offset((page - 1) * PUBLIC_PAGE)


def tracking_code_typed(query: str | None) -> str | None:
    """The tracking code a search box holds (spaces, dashes and case as typed), or None for words."""
    code = normalize((query or "")[:40])
    return code if TRACKING_CODE.fullmatch(code) else None


def petition_by_code(session, code: str) -> Petition:
    """The petition of a tracking code as typed (spaces, dashes and case do not matter); NotFound otherwise."""
    petition = session.scalar(select(Petition).where(Petition.tracking_code == normalize(code)))
    if petition is None:
        raise NotFound(f"tracking code {code!r}")
    return petition


def public_documents(session, petition: Petition) -> list[Attachment]:
    """The documents of a published answer (none before publication, or for a hidden case)."""
    if not is_published(petition):
        return []
    query = select(Attachment).where(Attachment.petition_id == petition.id, Attachment.published.is_(True))
    return list(session.scalars(query.order_by(Attachment.id)))


def public_document(session, attachment_id: int) -> Attachment:
    """A file the intake office made public with the answer, by its id; NotFound for any other file (staff files and
    files left out at redaction stay staff files)."""
    attachment = session.get(Attachment, attachment_id)
    petition = session.get(Petition, attachment.petition_id) if attachment else None
    if attachment is None or not attachment.published or not is_published(petition):
        raise NotFound(f"public document {attachment_id}")
    return attachment


def rating_of(session, petition: Petition) -> Rating | None:
    return session.scalar(select(Rating).where(Rating.petition_id == petition.id))


@dataclass
class RatingSummary:
    count: int
    mean: float


def rating_summary(session, petition: Petition) -> RatingSummary | None:
    """How the senders rated a published answer: how many ratings and their mean; None without any."""
    count, mean = session.execute(
        select(func.count(Rating.id), func.avg(Rating.stars)).where(Rating.petition_id == petition.id)
    ).one()
    return RatingSummary(count, round(float(mean), 1)) if count else None


def answered_at(session, petition: Petition) -> datetime | None:
    """When the answering agency's answer was given: its answer clock's end (the leader's approval), else the
    publication (a case answered at the intake office or by the chair)."""
    ended = session.scalar(
        select(func.max(CaseDeadline.ended_at)).where(
            CaseDeadline.petition_id == petition.id,
            CaseDeadline.step == "answer",
            CaseDeadline.verdict.in_(("met", "missed")),
        )
    )
    return ended or petition.published_at


def senders_petitions(session, user) -> tuple[list[Petition], set[int]]:
    """A citizen's own petitions, newest first, and the instances where a task waits for him."""
    rows = session.scalars(
        select(Petition).where(Petition.sender_user_id == user.id).order_by(Petition.received_at.desc())
    ).all()
    waiting = set(
        session.scalars(
            select(WorkItem.instance_id).where(
                WorkItem.instance_id.in_([p.instance_id for p in rows if p.instance_id]),
                WorkItem.state == "ready",
                WorkItem.candidate_groups.like("%,sender,%"),
            )
        )
    )
    return list(rows), waiting


def published_count(session) -> int:
    """How many petitions were published (hidden ones too): the count the database keeps (PetitionTally)."""
    return session.scalar(select(PetitionTally.value).where(PetitionTally.name == "published")) or 0


def active_fields(session) -> list[tuple[str, str]]:
    """(code, Vietnamese name) of the fields new petitions may name."""
    query = select(Field.code, Field.name).where(Field.active.is_(True)).order_by(Field.name)
    return [tuple(row) for row in session.execute(query)]


def field_name(session, code: str) -> str | None:
    """The Vietnamese name of a field (lĩnh vực), retired ones included."""
    return session.scalar(select(Field.name).where(Field.code == code))


def open_status_codes(session) -> list[str]:
    query = select(PetitionStatus.code).where(PetitionStatus.is_open.is_(True)).order_by(PetitionStatus.sort_order)
    return list(session.scalars(query))


def all_provinces(session) -> list[tuple[str, str]]:
    return [tuple(row) for row in session.execute(select(Province.code, Province.name).order_by(Province.name))]


def all_agencies(session) -> list[tuple[str, str]]:
    return [tuple(row) for row in session.execute(select(Agency.code, Agency.name).order_by(Agency.name))]
