"""Petition records and what hangs off them: co-handling agencies, deadlines, notifications to the sender."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.agencies.models import Agency, Commune, Province
from app.db import Base, UTCDateTime, utcnow
from app.engine.held import held_by


class PetitionStatus(Base):
    """A status a petition can be in (states as data, readable by administrators and auditors)."""

    __tablename__ = "petition_status"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    label_vi: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    is_open: Mapped[bool] = mapped_column(Boolean)
    sort_order: Mapped[int] = mapped_column(Integer)


class Field(Base):
    """A field (lĩnh vực) a petition is about."""

    __tablename__ = "field"

    code: Mapped[str] = mapped_column(String(50), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


petition_co_agency = Table(
    "petition_co_agency",
    Base.metadata,
    Column("petition_id", ForeignKey("petition.id"), primary_key=True),
    Column("agency_id", ForeignKey("agency.id"), primary_key=True),
    Index("ix_petition_co_agency_agency", "agency_id"),  # the cases an agency co-handles (its case list)
)


class Petition(Base):
    """A phản ánh, kiến nghị: what was said, by whom, where it stands."""

    __tablename__ = "petition"
    __table_args__ = (
        Index("ix_petition_status_province", "status", "province_code"),
        Index("ix_petition_lead_status", "lead_agency_id", "status"),
        # the candidates of app/petitions/duplicates.py: same place and field, or the same sender
        Index("ix_petition_place", "province_code", "field_code", "commune_code", "received_at"),
        Index("ix_petition_sender_phone", "province_code", "sender_phone"),
        Index("ix_petition_sender_email", "province_code", "sender_email"),
        # a period of a province or an agency: the dashboards' aggregates, the case list's default order
        Index("ix_petition_province_received", "province_code", "received_at"),
        Index("ix_petition_lead_received", "lead_agency_id", "received_at"),
        Index("ix_petition_published", "published_at"),  # the public answers, newest first, a page at a time
        Index("ix_petition_province_published", "province_code", "published_at"),
        # newest first with ties by id (the auditor's search): read backwards, no sort of equal instants
        Index("ix_petition_received_id", "received_at", "id"),
        # an inbox narrowed by field, status or province: each open task's case checked on the index alone
        Index("ix_petition_code_filters", "tracking_code", "field_code", "status", "province_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str] = mapped_column(String(20), unique=True)
    # The secret of the sender's link (tracking codes are public on the answers page): reading and acting on his case.
    sender_key: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(30))
    field_code: Mapped[str] = mapped_column(ForeignKey("field.code"))
    channel: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(300))
    sender_name: Mapped[str] = mapped_column(String(200))
    sender_address: Mapped[str] = mapped_column(String(300))
    sender_phone: Mapped[str] = mapped_column(String(30))
    sender_email: Mapped[str] = mapped_column(String(200))
    # The language of the sender's messages: the portal's language at submission; Vietnamese for clerks' entries.
    sender_language: Mapped[str] = mapped_column(String(5), default="vi", server_default="vi")
    sender_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    entered_by: Mapped[str | None] = mapped_column(String(100))
    province_code: Mapped[str] = mapped_column(ForeignKey("province.code"))
    commune_code: Mapped[int | None] = mapped_column(ForeignKey("commune.code"), index=True)  # None: older cases
    lead_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    status: Mapped[str] = mapped_column(ForeignKey("petition_status.code"), default="received")
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    state_secret: Mapped[bool] = mapped_column(Boolean, default=False)
    # Why the intake office hid it from the public (app/petitions/moderation.py); the case is handled all the same.
    hidden_reason: Mapped[str | None] = mapped_column(String(30))
    hidden_note: Mapped[str | None] = mapped_column(Text)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    answer: Mapped[str | None] = mapped_column(Text)
    public_summary: Mapped[str | None] = mapped_column(Text)
    # The title the public reads, as the intake office confirmed it at publication (others' personal data removed).
    public_title: Mapped[str | None] = mapped_column(String(300))
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded (no diacritics) for the public search
    # Code, title and sender folded (no diacritics) for the staff's case list; kept by `_fold_staff_search`.
    staff_search: Mapped[str] = mapped_column(Text, default="", server_default="")
    # md5 of title and content: the key of their term vectors (app/petitions/duplicates.py); None: not known, read
    # the text. Kept by `_digest_text` and, for any other writer, by triggers (migration 0025_duplicate_terms).
    text_digest: Mapped[str | None] = mapped_column(String(32))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    forwarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), index=True)
    # The earlier case this one stands with (app/petitions/duplicates.py): "duplicate" (closed, its sender follows
    # the original) or "repeat" (the same sender again after the answer: escalation offered).
    original_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"), index=True)
    link_kind: Mapped[str | None] = mapped_column(String(10))

    province: Mapped[Province] = relationship()
    commune: Mapped[Commune | None] = relationship()
    lead_agency: Mapped[Agency | None] = relationship(foreign_keys=[lead_agency_id])
    co_agencies: Mapped[list[Agency]] = relationship(secondary=petition_co_agency)
    status_row: Mapped[PetitionStatus] = relationship(lazy="joined")
    original: Mapped["Petition | None"] = relationship(remote_side=[id], foreign_keys=[original_id])


@event.listens_for(Petition, "before_insert")
@event.listens_for(Petition, "before_update")
def _fold_staff_search(_mapper, _connection, petition: Petition):
    """An entry, or a write of its code, title or sender, refreshes its staff search text (a status change
    leaves it)."""
    from .search import staff_search_text  # noqa: PLC0415 — search.py reads this module

    state = inspect(petition)
    if state.key is None or any(state.attrs[name].history.has_changes() for name in STAFF_SEARCHED):
        petition.staff_search = staff_search_text(petition)


STAFF_SEARCHED = ("tracking_code", "title", "sender_name")  # what search.staff_search_text folds


@event.listens_for(Petition, "before_insert")
@event.listens_for(Petition, "before_update")
def _digest_text(_mapper, _connection, petition: Petition):
    """Every ORM write of the title or content refreshes their digest (an update of other columns leaves it)."""
    from .duplicates import text_digest  # noqa: PLC0415 — duplicates.py reads this module

    state = inspect(petition)
    if state.key is None or any(state.attrs[name].history.has_changes() for name in ("title", "content")):
        petition.text_digest = text_digest(petition.title, petition.content)


class PetitionTally(Base):
    """A count the database keeps by triggers on petition (migration 0021_tallies): `published`, the petitions
    with a publication date, which the start pages show without counting the rows."""

    __tablename__ = "petition_tally"

    name: Mapped[str] = mapped_column(String(30), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class UnitCase(Base):
    """A case a unit touched: it leads it, co-handles it or held one of its tasks (app/petitions/unit_cases.py).
    Kept by triggers (migration 0022_unit_cases) on every write of petition, petition_co_agency and work_item,
    so that a unit's list reads its own rows, newest first, instead of a union of three look-ups sorted whole."""

    __tablename__ = "unit_case"
    __table_args__ = (
        # one index serves both directions: newest first is read backwards
        Index("ix_unit_case_agency_received", "agency_id", "received_at", "petition_id"),
        Index("ix_unit_case_petition", "petition_id"),  # a case's units, re-checked when one may no longer touch it
    )

    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id", ondelete="CASCADE"), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the petition's, for the list's order


class CaseDeadline(Base):
    """A statutory deadline of one step of a case: when the step started, when it is due, if it was missed."""

    __tablename__ = "case_deadline"
    __table_args__ = (Index("ix_case_deadline_petition_step", "petition_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"))
    step: Mapped[str] = mapped_column(String(30))
    policy: Mapped[str] = mapped_column(String(50))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    overdue_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How the run ended, as the model said (case_functions): its clock stopped at ended_at; verdict "met",
    # "missed" or "not_applicable" (the case took another way). A clock stopped for a review is resumed by the
    # next run of the step, which then adds the paused days to its due date.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verdict: Mapped[str | None] = mapped_column(String(20))
    paused_days: Mapped[int] = mapped_column(default=0, server_default="0")
    # The agency that answers for the run: the lead agency for an answer, the intake office for its steps.
    agency_code: Mapped[str | None] = mapped_column(String(50))


class Notification(Base):
    """A message (outbox): written in the operation's transaction, delivered by app/messaging/delivery.py.

    States: queued (waiting, or retrying at `next_attempt_at`), sent, dead (refused for good, or out of tries).
    Staff digests have no petition.
    """

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_state_next_attempt_at", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int | None] = mapped_column(ForeignKey("petition.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    state: Mapped[str] = mapped_column(String(10), default="queued", server_default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class CaseEvent(Base):
    """A step of the case as its sender is told of it (the timeline of his case page): kind and what it said."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    details_json: Mapped[str] = mapped_column(Text, default="{}")


class HideReason(Base):
    """A reason the intake office may give for hiding a report (seed 002 Art. 7 and 11); administered data."""

    __tablename__ = "hide_reason"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    needs_text: Mapped[bool] = mapped_column(Boolean, default=False)  # "other": the clerk writes the reason
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Rating(Base):
    """The sender's satisfaction with a published answer (Bắc Ninh 17/2024: 1–5 stars and a comment)."""

    __tablename__ = "rating"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), unique=True)
    stars: Mapped[int] = mapped_column()
    comment: Mapped[str | None] = mapped_column(Text)
    rated_by: Mapped[str] = mapped_column(String(100))
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProcessChoice(Base):
    """Which deployed process new petitions of a province and channel start (empty: every province / channel),
    at its latest version or at a pinned one. Without a choice, new petitions start the latest `pakn`."""

    __tablename__ = "process_choice"
    __table_args__ = (UniqueConstraint("province_code", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[str | None] = mapped_column(ForeignKey("province.code"))
    channel: Mapped[str | None] = mapped_column(String(20))
    process_key: Mapped[str] = mapped_column(String(100))
    version: Mapped[int | None] = mapped_column(Integer)  # None: always the latest version
    chosen_by: Mapped[str] = mapped_column(String(100))
    chosen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Clarification(Base):
    """The sender's reply to clarify a published answer and the answering agency's clarification (seed 002
    Art. 12.1–2); each reply starts its own `clarification` process instance, whose task the agency does."""

    __tablename__ = "clarification"

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petition.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"), unique=True)
    agency_code: Mapped[str | None] = mapped_column(String(50))  # the agency that answered the case
    reply: Mapped[str] = mapped_column(Text)
    asked_by: Mapped[str] = mapped_column(String(100))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # who asked: the sender's reply, or the monthly review's leader reopening the case (app/reviews/measures.py)
    asked_as: Mapped[str] = mapped_column(String(10), default="sender", server_default="sender")
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


@held_by
def _published_answer(session, data: dict) -> dict:
    """A case's instance carries its petition's id from the start; the published answer is the petition's row's."""
    petition_id = data.get("petition_id")
    if not isinstance(petition_id, int):
        return {}
    with session.no_autoflush:
        petition = session.get(Petition, petition_id)
    return {"answer": petition.answer} if petition is not None and petition.answer else {}
