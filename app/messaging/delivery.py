"""The outbox worker: claim queued messages, send each outside any transaction, record the outcome.

Operations write `notification` rows in their own transaction and never wait for a mail server. The worker (in
the scheduler process) claims due rows as the timer job claims timers (FOR UPDATE SKIP LOCKED on PostgreSQL), so
two workers never send one message; a claim left by a dead worker goes stale and the row is tried again. A
transport that is down leaves the row queued with its next try after a growing pause (1, 2, 4 … 60 minutes),
and the run's other messages of that channel wait a minute untried (a server that times out costs one timeout);
after MAX_TRIES, or at once when the address is refused, the row is dead-lettered and shown to staff.
Delivery is at least once: a worker killed between the server's "OK" and its own commit sends again.
"""

import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import or_, select, update

from app.accounts.mail import SECRET_LINK_KINDS, SENT_SECRET_BODY
from app.audit.log import record
from app.db import utcnow
from app.petitions.models import Notification, Petition

from .transports import Outgoing, Refused, ServerDown, Unavailable

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=10)
BATCH = 100
FIRST_PAUSE, LONGEST_PAUSE = timedelta(minutes=1), timedelta(hours=1)


def max_tries() -> int:
    value = os.environ.get("PAKN_MESSAGE_TRIES", "")
    return int(value) if value.isdigit() and int(value) > 0 else 8


def pause_after(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try."""
    return min(FIRST_PAUSE * 2 ** (attempts - 1), LONGEST_PAUSE)


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    dead: list[int] = field(default_factory=list)
    postponed: list[int] = field(default_factory=list)  # not tried: their server was down earlier in the run


def claim_due_messages(session, worker: str, now, limit: int = BATCH) -> list[int]:
    """Claim up to `limit` queued messages due now for `worker`; their ids, oldest first."""
    takeable = (
        select(Notification.id)
        .where(
            Notification.state == "queued",
            or_(Notification.next_attempt_at.is_(None), Notification.next_attempt_at <= now),
            or_(Notification.claimed_by.is_(None), Notification.claimed_at < now - STALE_AFTER),
        )
        .order_by(Notification.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    session.execute(
        update(Notification)
        .where(Notification.id.in_(takeable.scalar_subquery()))
        .values(claimed_by=worker, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    ids = select(Notification.id).where(Notification.claimed_by == worker, Notification.claimed_at == now)
    return list(session.scalars(ids.order_by(Notification.id)))


def deliver_outbox(session_factory, transports: dict, worker: str, now=None, limit: int = BATCH) -> DeliveryReport:
    """Send every message due now, batch after batch; each outcome committed on its own."""
    report = DeliveryReport()
    down: set[str] = set()  # channels whose server failed in this run: their other messages wait for the next
    with session_factory() as session:
        try:
            while True:
                claimed = claim_due_messages(session, worker, now or utcnow(), limit)
                if not claimed:
                    return report
                for message_id in claimed:
                    _deliver_one(session, transports, message_id, report, down)
        finally:
            for transport in transports.values():
                transport.close()


def _deliver_one(session, transports, message_id: int, report: DeliveryReport, down: set[str]):
    row = session.get(Notification, message_id)
    outgoing = Outgoing(row.channel, row.recipient, row.subject, row.body)
    if outgoing.channel in down:  # a server that times out must not hold the worker a timeout per message
        row.next_attempt_at, row.claimed_by, row.claimed_at = utcnow() + FIRST_PAUSE, None, None
        session.commit()
        report.postponed.append(row.id)
        return
    session.commit()  # no transaction stays open while a server answers
    transport = transports.get(outgoing.channel)
    try:
        if transport is None:
            raise Refused(f"no transport for channel {outgoing.channel!r}")
        transport.send(outgoing)
    except Refused as refused:
        row.attempts += 1
        _dead(session, row, str(refused), report)
    except Unavailable as unavailable:
        if isinstance(unavailable, ServerDown):
            down.add(outgoing.channel)
        _failed(session, row, str(unavailable), report)
    except Exception as err:  # a transport's own bug: retried like an outage, never lost
        log.exception("message %s: transport failed", message_id)
        _failed(session, row, f"{type(err).__name__}: {err}", report)
    else:
        row.state, row.sent_at, row.attempts = "sent", utcnow(), row.attempts + 1
        if row.kind in SECRET_LINK_KINDS:
            row.body = SENT_SECRET_BODY  # its link opens an account: kept only until it has left
        row.claimed_by = row.claimed_at = None
        record(session, None, "message.sent", petition=_petition(session, row), data=_what(row))
        session.commit()
        report.sent.append(row.id)


def _failed(session, row, error: str, report: DeliveryReport):
    row.attempts += 1
    if row.attempts >= max_tries():
        _dead(session, row, f"{error} (after {row.attempts} tries)", report)
        return
    row.last_error, row.next_attempt_at = error[:2000], utcnow() + pause_after(row.attempts)
    row.claimed_by = row.claimed_at = None
    session.commit()
    report.retried.append(row.id)
    log.warning("message %s to %s not sent (try %s): %s", row.id, row.recipient, row.attempts, error)


def _dead(session, row, error: str, report: DeliveryReport):
    row.state, row.last_error = "dead", error[:2000]
    row.claimed_by = row.claimed_at = None
    data = {**_what(row), "error": row.last_error}
    record(session, None, "message.dead_lettered", petition=_petition(session, row), data=data, outcome="failed")
    session.commit()
    report.dead.append(row.id)
    log.error("message %s to %s dead-lettered: %s", row.id, row.recipient, error)


def _petition(session, row):
    return session.get(Petition, row.petition_id) if row.petition_id is not None else None


def _what(row) -> dict:
    return {"message": row.id, "kind": row.kind, "channel": row.channel, "recipient": row.recipient}
