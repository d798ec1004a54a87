"""After the answer (seed 002 Art. 12.1–2): the sender replies to clarify the published result, the answering agency
clarifies it in a task of its own `clarification` process instance, due by the province's policy.

The reply is bounded (REPLY_LIMIT characters) and throttled: one waiting at a time, at most MAX_REPLIES a case.
The exchange is the sender's on his case page, and the public's where the answer is public.
"""

from sqlalchemy import func, select

from app.audit.log import record
from app.db import utcnow
from app.engine.runtime import start_instance
from app.engine.saving import save
from app.errors import FieldError, FormInvalid, PermissionDenied
from app.text_rules import has_control
from app.transaction import operation
from app.translation import N_

from .case_functions import CaseFunctions
from .models import CaseEvent, Clarification, Petition
from .queries import is_published
from .routing import clarification_definition
from .senders import is_sender_of

REPLY_LIMIT = 2000  # characters: a reply about the answer, not a new petition
MAX_REPLIES = 3  # a case's replies in all; a new matter is a new petition
LABEL = N_("Ý kiến phản hồi về kết quả")  # the reply field's label, in refusals


def petition_of_instance(session, instance_id: int) -> Petition | None:
    """The case an instance belongs to: its own process, or one of its clarifications (None: started by hand)."""
    petition = session.scalar(select(Petition).where(Petition.instance_id == instance_id))
    if petition is not None:
        return petition
    return session.scalar(
        select(Petition)
        .join(Clarification, Clarification.petition_id == Petition.id)
        .where(Clarification.instance_id == instance_id)
    )


def case_instance_ids(session, petition: Petition) -> list[int]:
    """The case's own instance and its clarifications' (whose tasks and timers its deadlines read)."""
    own = [petition.instance_id] if petition.instance_id is not None else []
    query = select(Clarification.instance_id).where(
        Clarification.petition_id == petition.id, Clarification.instance_id.is_not(None)
    )
    return own + list(session.scalars(query)) if petition.id is not None else own


def clarifications_of(session, petition: Petition) -> list[Clarification]:
    """The case's replies and their clarifications, oldest first."""
    return list(
        session.scalars(
            select(Clarification).where(Clarification.petition_id == petition.id).order_by(Clarification.id)
        )
    )


def shown_exchange(session, petition: Petition, for_sender: bool) -> list[Clarification]:
    """What a page shows of the exchange: all of it to the sender, to the public only where the answer is public."""
    if for_sender and not petition.state_secret:
        return clarifications_of(session, petition)
    return clarifications_of(session, petition) if is_published(petition) else []


def may_reply(session, user, petition: Petition) -> bool:
    """Does the page offer the reply form: the sender, after the answer, nothing waiting, replies left."""
    return (
        is_sender_of(user, petition)
        and petition.published_at is not None
        and not petition.state_secret
        and not _reply_errors(session, petition)
    )


def waiting_clarification(session, petition: Petition) -> Clarification | None:
    """The case's clarification the agency has not answered yet (one at a time: the agency's answer settles it)."""
    query = select(Clarification).where(Clarification.petition_id == petition.id, Clarification.answered_at.is_(None))
    return session.scalar(query.order_by(Clarification.id).limit(1))


def lock_petition(session, petition: Petition) -> Petition:
    """The case's row locked (row lock where the database has them) and read again: two replies, or a reply and a
    reopening, at the same instant take turns, and the second sees the first's clarification waiting."""
    # OF petition: the joined status row is read, not locked (PostgreSQL refuses to lock an outer join's side)
    query = select(Petition).where(Petition.id == petition.id).with_for_update(of=Petition)
    return session.scalar(query.execution_options(populate_existing=True))


def _reply_errors(session, petition: Petition) -> list[FieldError]:
    waiting = waiting_clarification(session, petition)
    total = session.scalar(  # the sender's own replies; the leaders' reopenings are not his to count
        select(func.count(Clarification.id)).where(
            Clarification.petition_id == petition.id, Clarification.asked_as == "sender"
        )
    )
    if waiting is not None and waiting.asked_as == "review":
        return [FieldError("reply", "reexamination_open", {"label": LABEL})]
    if waiting is not None:
        return [FieldError("reply", "clarification_open", {"label": LABEL})]
    if total >= MAX_REPLIES:
        return [FieldError("reply", "clarification_limit", {"label": LABEL, "limit": MAX_REPLIES})]
    return []


def _text_errors(text) -> list[FieldError]:
    if not isinstance(text, str) or not text.strip():
        return [FieldError("reply", "required", {"label": LABEL})]
    if has_control(text):
        return [FieldError("reply", "control_chars", {"label": LABEL})]
    if len(text.strip()) > REPLY_LIMIT:
        return [FieldError("reply", "maxlength", {"label": LABEL, "limit": REPLY_LIMIT})]
    return []


@operation
def ask_clarification(session, actor, petition: Petition, text) -> Clarification:
    """The sender (his account or his case's link) replies to clarify the answer: the answering agency gets a
    task, due by the province's `clarification` period. Refused (audited) for anyone but the sender; FormInvalid
    before the answer, for an empty or too long text, while a reply waits, or past MAX_REPLIES."""
    if not is_sender_of(actor, petition) or petition.state_secret:
        raise PermissionDenied(
            "only the sender replies to the answer", actor=actor, action="petition.clarification", petition=petition
        )
    lock_petition(session, petition)  # before "one waiting" is checked: a reply at the same instant waits
    if petition.published_at is None:
        raise FormInvalid([FieldError("reply", "not_answered", {"label": LABEL})])
    errors = _text_errors(text) or _reply_errors(session, petition)
    if errors:
        raise FormInvalid(errors)
    clarification, steps = start_clarification(session, actor, petition, text.strip(), "sender")
    session.add(
        CaseEvent(petition_id=petition.id, kind="clarification_asked", at=clarification.asked_at, details_json="{}")
    )
    record(
        session,
        actor,
        "petition.clarification_asked",
        petition=petition,
        instance_id=clarification.instance_id,
        data={"reply": clarification.reply, "agency": clarification.agency_code, "steps": steps},
    )
    return clarification


def start_clarification(session, actor, petition: Petition, text: str, asked_as: str, shown: str | None = None):
    """Start the answering agency's `clarification` instance on `text` (asked by the sender, or by the monthly
    review's leader reopening the case, who shows the agency `shown`); returns the row and the engine's steps.
    Part of the caller's operation, which checks and audits."""
    agency = petition.lead_agency
    functions = CaseFunctions(session, petition)
    data = {
        "petition_id": petition.id,
        "tracking_code": petition.tracking_code,
        "province": petition.province_code,
        "lead_agency": agency.code if agency is not None else None,
        "reply": shown or text,
    }
    # The engine runs before the first write: a runaway model script never holds the database's write lock.
    with session.no_autoflush:
        running = start_instance(
            session, clarification_definition(session), petition.tracking_code, data, functions.functions()
        )
    save(session, running, actor.username)
    clarification = Clarification(
        petition_id=petition.id,
        instance_id=running.row.id,
        agency_code=data["lead_agency"],
        reply=text,
        asked_by=actor.username,
        asked_at=utcnow(),
        asked_as=asked_as,
    )
    session.add(clarification)
    return clarification, running.steps
