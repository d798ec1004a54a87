"""Signing a browser in (after a login or an account's verification) and telling how long to wait."""

from flask import session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from .extensions import LOGIN_TOKEN

# Where each role's work is: the page a login lands on when no safe `next` asks for another.
LANDING = {
    "citizen": "mine.petitions",
    "intake": "tasks.inbox",
    "handler": "tasks.inbox",
    "leader": "tasks.inbox",
    "chair": "tasks.inbox",
    "auditor": "audit.instances",
    "admin": "admin.index",
}
KEPT_ON_SIGN_IN = ("lang", "sender_cases")  # his language, and the cases this browser opened by their links


def sign_in(user, token: str):
    """A fresh session (no fixation) carrying the new login session's token; the language and linked cases stay."""
    kept = {key: session[key] for key in KEPT_ON_SIGN_IN if key in session}
    session.clear()
    session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME without a request
    session.update(kept)
    session[LOGIN_TOKEN] = token
    login_user(user)


def landing_page(user) -> str:
    """The path of the user's work (his inbox, his cases, the audit search, administration); the start page else."""
    return url_for(LANDING.get(user.role, "home.index"))


def wait_words(retry_after) -> str:
    """ "30 giây" or "5 phút": how long a throttled request waits."""
    seconds = max(1, int(retry_after.total_seconds()) + 1)
    if seconds < 120:
        return _("%(seconds)s giây", seconds=seconds)
    return _("%(minutes)s phút", minutes=(seconds + 59) // 60)
