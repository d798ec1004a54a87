"""Logging in and out: password check, a back-off per account and address, login sessions, every attempt audited.

Throttling never locks an account: failures slow down the (account, address) pair that made them, and an
address that fails on many accounts; the owner logging in from elsewhere is not affected. An unknown name costs
the same password-hash time as a wrong password, so timing does not tell which accounts exist.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from app.audit.log import record
from app.db import utcnow

from .models import LoginFailure, LoginSession, User

FREE_FAILURES = 5  # per account and address, before the back-off starts
FIRST_DELAY = timedelta(seconds=30)  # then doubled at every further failure
MAX_DELAY = timedelta(minutes=15)
MAX_FAILURES_PER_ADDRESS = 50  # one address guessing many accounts
WINDOW = timedelta(minutes=15)
_UNKNOWN_USER_HASH = generate_password_hash("no such account: only hashed to take the usual time")

ANONYMOUS = "anonymous"  # a failed attempt is nobody's yet: the audit names the visitor as the pages do


@dataclass
class LoginResult:
    user: User | None = None
    token: str | None = None  # the new login session's token, for the browser's cookie
    throttled: bool = False
    retry_after: timedelta | None = None


def _failures(session, now, **where) -> tuple[int, datetime | None]:
    """Failures in the window for the given columns, and the last one's instant."""
    conditions = [getattr(LoginFailure, column) == value for column, value in where.items()]
    query = select(func.count(LoginFailure.id), func.max(LoginFailure.at))
    count, last = session.execute(query.where(*conditions, LoginFailure.at > now - WINDOW)).one()
    return count, last


def _wait(session, username: str, address: str | None, now) -> timedelta | None:
    """How long this (account, address) must still wait, or None when it may try now."""
    count, last = _failures(session, now, username=username, remote_addr=address)
    if count >= FREE_FAILURES:
        delay = min(FIRST_DELAY * 2 ** (count - FREE_FAILURES), MAX_DELAY)
        if now < last + delay:
            return last + delay - now
    if address:
        count, last = _failures(session, now, remote_addr=address)
        if count >= MAX_FAILURES_PER_ADDRESS:
            return last + WINDOW - now
    return None


def attempt_login(session, username: str, password: str, remote_addr: str | None) -> LoginResult:
    """Check a login and open a login session; commits the audit entry (and the failure record) in one go."""
    now, username = utcnow(), (username or "").strip()[:100]
    if "@" in username:
        username = username.lower()  # a citizen's login name is his e-mail, whatever its case
    audit = {"username": username, "address": remote_addr}
    wait = _wait(session, username, remote_addr, now)
    if wait is not None:
        record(session, ANONYMOUS, "auth.login", data=audit, outcome="throttled")
        session.commit()
        return LoginResult(throttled=True, retry_after=wait)
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        check_password_hash(_UNKNOWN_USER_HASH, password or "")  # the same time as a wrong password
    if user is None or not user.check_password(password or "") or not user.active:
        session.add(LoginFailure(username=username, remote_addr=remote_addr, at=now))
        record(session, ANONYMOUS, "auth.login", data=audit, outcome="failed")
        session.commit()
        return LoginResult()
    session.execute(
        delete(LoginFailure).where(LoginFailure.username == username, LoginFailure.remote_addr == remote_addr)
    )
    token = open_login_session(session, user, remote_addr)
    record(session, user, "auth.login", data={"address": remote_addr})
    session.commit()
    return LoginResult(user=user, token=token)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_login_session(session, user: User, address: str | None) -> str:
    """A new login session for `user` (in the caller's transaction); returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    session.add(LoginSession(token_hash=_hash(token), user_id=user.id, address=address, started_at=utcnow()))
    return token


def signed_in_user(session, user_id: str, token: str | None) -> User | None:
    """The active user whose open login session the cookie's token names, or None."""
    if not token or not str(user_id).isdigit():
        return None
    return session.scalar(
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            LoginSession.token_hash == _hash(token),
            LoginSession.ended_at.is_(None),
            User.id == int(user_id),
            User.active.is_(True),
        )
    )


def log_out(session, user: User | None, token: str | None):
    """End this browser's login session (a copied cookie stops working too), audited; commits."""
    if token:
        session.execute(
            update(LoginSession)
            .where(LoginSession.token_hash == _hash(token), LoginSession.ended_at.is_(None))
            .values(ended_at=utcnow(), end_reason="logout")
        )
    if user is not None:
        record(session, user, "auth.logout")
    session.commit()


def end_login_sessions(session, user: User, reason: str, keep_token: str | None = None) -> int:
    """End every open login session of `user` but the one of `keep_token` (in the caller's transaction); returns
    how many."""
    where = [LoginSession.user_id == user.id, LoginSession.ended_at.is_(None)]
    if keep_token:
        where.append(LoginSession.token_hash != _hash(keep_token))
    result = session.execute(update(LoginSession).where(*where).values(ended_at=utcnow(), end_reason=reason))
    return result.rowcount


def password_wait(session, username: str, address: str | None) -> timedelta | None:
    """How long this (account, address) must wait before its password is checked again (login's back-off)."""
    return _wait(session, username, address, utcnow())


def note_password_failure(session, username: str, address: str | None):
    """A wrong password given outside the login page counts towards the same back-off (caller's transaction)."""
    session.add(LoginFailure(username=username, remote_addr=address, at=utcnow()))
