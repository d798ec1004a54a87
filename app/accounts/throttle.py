"""Mails asked for without a login (sign-up, a new verification link, a password reset) are throttled per e-mail
and per address, whether or not an account has that e-mail: the answer never tells which accounts exist."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from app.audit.log import record
from app.db import utcnow

from .models import AccountRequest

WINDOW = timedelta(hours=1)
PER_EMAIL = 3  # mails of one kind to one e-mail in the window: enough to retry, too few to flood his inbox
PER_ADDRESS = 20  # one address asking for many e-mails


@dataclass
class MailRequest:
    """What a request for a mail gets: queued (or silently not, when no account fits), or throttled."""

    throttled: bool = False
    retry_after: timedelta | None = None


def _count(session, since, **where) -> tuple[int, object]:
    conditions = [getattr(AccountRequest, column) == value for column, value in where.items()]
    query = select(func.count(AccountRequest.id), func.min(AccountRequest.at)).where(
        *conditions, AccountRequest.at > since
    )
    return session.execute(query).one()


def request_wait(session, kind: str, email: str, address: str | None) -> timedelta | None:
    """How long before another mail of `kind` may be asked for this e-mail from this address; None: now."""
    now = utcnow()
    count, first = _count(session, now - WINDOW, kind=kind, email=email)
    if count >= PER_EMAIL:
        return first + WINDOW - now
    if address:
        count, first = _count(session, now - WINDOW, remote_addr=address)
        if count >= PER_ADDRESS:
            return first + WINDOW - now
    return None


def note_request(session, kind: str, email: str, address: str | None):
    """Count this request (in the caller's transaction)."""
    session.add(AccountRequest(kind=kind, email=email[:200], remote_addr=address, at=utcnow()))


def admit_mail_request(session, kind: str, email: str, address: str | None, action: str) -> MailRequest | None:
    """Throttled: the refusal audited as `action` and the answer to give; None: counted, the caller goes on."""
    wait = request_wait(session, kind, email, address)
    if wait is not None:
        record(session, "anonymous", action, data={"email": email, "address": address}, outcome="throttled")
        return MailRequest(throttled=True, retry_after=wait)
    note_request(session, kind, email, address)
    return None
