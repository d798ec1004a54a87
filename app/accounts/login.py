"""Logging in: password check, throttling after repeated failures, every attempt audited."""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select

from app.audit.log import record
from app.db import utcnow

from .models import LoginFailure, User

MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20
WINDOW = timedelta(minutes=15)


@dataclass
class LoginResult:
    user: User | None = None
    throttled: bool = False
    retry_after: timedelta | None = None


def _recent(session, column, value, now):
    return session.scalar(select(func.count(LoginFailure.id)).where(column == value, LoginFailure.at > now - WINDOW))


def _oldest_recent(session, column, value, now):
    return session.scalar(select(func.min(LoginFailure.at)).where(column == value, LoginFailure.at > now - WINDOW))


def attempt_login(session, username: str, password: str, remote_addr: str | None) -> LoginResult:
    """Check a login; commits the audit entry (and the failure record) in one transaction."""
    now, username = utcnow(), (username or "").strip()
    for column, value, limit in (
        (LoginFailure.username, username, MAX_FAILURES_PER_ACCOUNT),
        (LoginFailure.remote_addr, remote_addr, MAX_FAILURES_PER_ADDRESS),
    ):
        if value and _recent(session, column, value, now) >= limit:
            retry = _oldest_recent(session, column, value, now) + WINDOW - now
            record(
                session, None, "auth.login", data={"username": username, "address": remote_addr}, outcome="throttled"
            )
            session.commit()
            return LoginResult(throttled=True, retry_after=retry)
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active or not user.check_password(password or ""):
        session.add(LoginFailure(username=username, remote_addr=remote_addr, at=now))
        record(session, None, "auth.login", data={"username": username, "address": remote_addr}, outcome="failed")
        session.commit()
        return LoginResult()
    session.execute(delete(LoginFailure).where(LoginFailure.username == username))
    record(session, user, "auth.login", data={"address": remote_addr})
    session.commit()
    return LoginResult(user=user)
