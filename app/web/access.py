"""Who may open what: roles per view; auditors read everything and change nothing; refusals are audited."""

from functools import wraps

from flask import abort, g, request
from flask_login import current_user, login_required

from app.audit.log import record
from app.audit.origin import ORIGIN, Origin, Visitor

from . import db

AUDITOR_MAY_POST = {"auth.logout", "auth.language"}
ANONYMOUS = "anonymous"  # who the audit log names for a refused request without a login


def refuse(action: str, reason: str, **data):
    """Audit a refused attempt, then answer 403."""
    session = db()
    session.rollback()
    actor = current_user if current_user.is_authenticated else ANONYMOUS
    data = {"reason": reason, "path": request.path, "address": request.remote_addr, **data}
    record(session, actor, action, data=data, outcome="refused")
    session.commit()
    abort(403)


def note_origin():
    """before_request, first of all: the request's address, path and visitor, for the audit of any refusal raised
    while serving it, in the domain too (app/audit/origin.py)."""
    who = Visitor(current_user.username, current_user.role) if current_user.is_authenticated else ANONYMOUS
    g.audit_origin = ORIGIN.set(Origin(request.remote_addr, request.path, who))


def forget_origin(_exc):
    """teardown_request: the origin ends with its request (the worker's thread serves another next)."""
    token = g.pop("audit_origin", None)
    if token is not None:  # None when a hook before note_origin ended the request
        ORIGIN.reset(token)


def roles_required(*roles):
    """The view needs a login with one of `roles` (others are refused and audited)."""

    def decorate(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                refuse(f"web.{request.endpoint}", f"role {current_user.role} may not use this page")
            return view(*args, **kwargs)

        return wrapped

    return decorate


def auditors_change_nothing():
    """before_request: an auditor's non-read request is refused whatever the page."""
    if (
        current_user.is_authenticated
        and current_user.role == "auditor"
        and request.method not in ("GET", "HEAD", "OPTIONS")
        and request.endpoint not in AUDITOR_MAY_POST
    ):
        refuse(f"web.{request.endpoint}", "auditors read, they change nothing")
