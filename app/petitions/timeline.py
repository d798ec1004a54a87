"""The sender's view of his case: the steps he was told of, with dates, and what is expected of him now.

Everyone with the tracking code sees the steps and dates; the sender (signed in, or holding his case's secret
link) also sees what each step said: the rejection's reason, the question asked and its deadline, the agency,
each progress update. Cases received before the timeline existed show the steps their dates record.
"""

import hmac
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.attachments.models import Attachment
from app.audit.log import record
from app.errors import NotFound

from .models import CaseEvent, Petition

PRIVATE_DETAILS = ("reason", "text")  # said to the sender only


@dataclass(frozen=True)
class Step:
    kind: str  # receipt, rejected, request_info, closed_no_reply, forwarded, transferred, progress, published
    at: datetime
    details: dict = field(default_factory=dict)  # reason, agency, text; due (a datetime) for request_info


def case_steps(session, petition: Petition, for_sender: bool) -> list[Step]:
    """The case's steps, oldest first; their private details only `for_sender`."""
    events = session.scalars(
        select(CaseEvent).where(CaseEvent.petition_id == petition.id).order_by(CaseEvent.at, CaseEvent.id)
    ).all()
    if not events:
        return _recorded_steps(petition)
    steps = []
    for event in events:
        details = json.loads(event.details_json or "{}")
        if "due" in details:
            details["due"] = datetime.fromisoformat(details["due"])
        if not for_sender:
            details = {key: value for key, value in details.items() if key not in PRIVATE_DETAILS}
        steps.append(Step(event.kind, event.at, details))
    return steps


def _recorded_steps(petition: Petition) -> list[Step]:
    steps = [Step("receipt", petition.received_at)]
    if petition.forwarded_at and petition.lead_agency is not None:
        steps.append(Step("forwarded", petition.forwarded_at, {"agency": petition.lead_agency.name}))
    if petition.published_at:
        steps.append(Step("published", petition.published_at))
    return steps


def open_question(steps: list[Step]) -> Step | None:
    """The latest request for information, when it is the latest step (what the sender is asked now)."""
    asked = [s for s in steps if s.kind in ("request_info", "info_provided", "closed_no_reply", "rejected")]
    return asked[-1] if asked and asked[-1].kind == "request_info" else None


def expected_of_sender(petition: Petition, has_reply_task: bool, rated: bool) -> str:
    """What the sender should do now: reply, rate, nothing (wait), or nothing (closed)."""
    if has_reply_task:
        return "reply"
    if petition.published_at is not None:
        return "done" if rated else "rate"
    if petition.closed_at is not None:
        return "closed"
    return "wait"


def petition_by_sender_key(session, code: str, key: str) -> Petition:
    """The petition whose sender's link this is; NotFound for a wrong code or key (the same answer for both),
    the refusal audited."""
    petition = session.scalar(select(Petition).where(Petition.tracking_code == code))
    expected = (petition.sender_key or "") if petition is not None else ""
    if not (expected and hmac.compare_digest(expected.encode(), key.encode())):
        session.rollback()
        record(session, "anonymous", "petition.sender_link", data={"code": code[:20]}, outcome="refused")
        session.commit()
        raise NotFound("no case with this link")
    return petition


def sender_files(session, petition: Petition) -> list[Attachment]:
    """The files the sender gave: with the petition (a clerk's entry included) and with his replies."""
    sender = session.get(User, petition.sender_user_id) if petition.sender_user_id else None
    rows = session.scalars(
        select(Attachment)
        .where(Attachment.petition_id == petition.id, Attachment.public.is_(False))
        .order_by(Attachment.id)
    )
    return [row for row in rows if _from_sender(row, petition, sender)]


def sender_file(session, petition: Petition, attachment_id: int) -> Attachment:
    for row in sender_files(session, petition):
        if row.id == attachment_id:
            return row
    raise NotFound(f"sender's file {attachment_id}")


def _from_sender(row: Attachment, petition: Petition, sender) -> bool:
    if row.uploaded_by in (None, f"sender:{petition.tracking_code}"):
        return True  # the portal's anonymous sender, or the holder of his link (app/petitions/senders.py)
    if sender is not None and row.uploaded_by == sender.username:
        return True
    entered_with_petition = row.uploaded_at - petition.received_at < timedelta(minutes=1)
    return petition.entered_by is not None and row.uploaded_by == petition.entered_by and entered_with_petition
