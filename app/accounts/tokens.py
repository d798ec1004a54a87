"""Single-use secrets mailed to an account's owner: random, kept as SHA-256, expiring, used once."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from app.db import utcnow
from app.errors import PermissionDenied

from .models import AccountToken, User

LIFETIMES = {"verify": timedelta(hours=48), "reset": timedelta(hours=1)}


class LinkRefused(PermissionDenied):
    """A mailed link that is unknown, expired or already used (the operation audits it; the page says so)."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session, user: User, purpose: str) -> str:
    """A new token for `user` (in the caller's transaction); only its hash is stored. Returns the secret."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    session.add(
        AccountToken(
            token_hash=_hash(token),
            user_id=user.id,
            purpose=purpose,
            created_at=now,
            expires_at=now + LIFETIMES[purpose],
        )
    )
    return token


def valid_token(session, token: str, purpose: str) -> AccountToken | None:
    """The unused, unexpired token row of `purpose` for this secret, or None (nothing changes)."""
    if not token or len(token) > 100:
        return None
    row = session.scalar(select(AccountToken).where(AccountToken.token_hash == _hash(token)))
    if row is None or row.purpose != purpose or row.used_at is not None or row.expires_at <= utcnow():
        return None
    return row


def use_token(session, token: str, purpose: str, action: str) -> User:
    """Take the token once (with every other of its user for `purpose`), or raise LinkRefused."""
    row = valid_token(session, token, purpose)
    taken = (
        row is not None
        and session.execute(
            update(AccountToken)
            .where(AccountToken.id == row.id, AccountToken.used_at.is_(None))
            .values(used_at=utcnow())
        ).rowcount
    )  # two clicks at once: only one takes it
    if not taken:
        raise LinkRefused("the link is unknown, expired or already used", action=action, data={"purpose": purpose})
    session.execute(
        update(AccountToken)
        .where(AccountToken.user_id == row.user_id, AccountToken.purpose == purpose, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return session.get(User, row.user_id)
