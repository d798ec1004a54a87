"""Accounts: created, edited, activated or deactivated and given a new password by administrators.

Staff (intake, handler, leader) belong to an agency; citizens, administrators and auditors do not. An
administrator cannot lock himself out, and at least one active administrator always remains.
"""

import re

from sqlalchemy import delete, func, select

from app.accounts.login import end_login_sessions
from app.accounts.models import ROLES, STAFF_ROLES, LoginFailure, User
from app.accounts.policy import require_admin
from app.agencies.models import Agency
from app.audit.log import record
from app.engine.models import WorkItem
from app.errors import FieldError, FormInvalid, NotFound
from app.petitions.models import Petition
from app.petitions.validation import EMAIL, PHONE
from app.transaction import operation
from app.translation import lazy_gettext

from .rules import check_text, text

LABELS = {
    "username": lazy_gettext("Tên đăng nhập"),
    "full_name": lazy_gettext("Họ và tên"),
    "email": lazy_gettext("Thư điện tử"),
    "phone": lazy_gettext("Số điện thoại"),
    "role": lazy_gettext("Vai trò"),
    "agency": lazy_gettext("Cơ quan"),
    "password": lazy_gettext("Mật khẩu"),
}
PROFILE = ("full_name", "email", "phone", "role", "agency")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,99}$")
PASSWORD_MIN, PASSWORD_MAX = 8, 200


def snapshot(user: User) -> dict:
    """What an audit entry keeps of an account (never the password hash)."""
    return {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "agency": user.agency_code,
        "active": bool(user.active),
    }


def form_values(user: User) -> dict:
    """An account as its edit form shows it."""
    return {key: snapshot(user)[key] or "" for key in PROFILE}


def _refuse(errors, field, rule, **params):
    errors.append(FieldError(field, rule, {"label": LABELS[field], **params}))


def _clean_profile(session, raw: dict, errors: list) -> tuple[dict, Agency | None]:
    values = {key: text(raw, key) for key in PROFILE}
    values["phone"] = re.sub(r"[\s.\-()]", "", values["phone"])
    values["email"] = values["email"].lower()
    check_text(errors, "full_name", values["full_name"], LABELS["full_name"], 200, low=2)
    if values["email"] and (len(values["email"]) > 200 or not EMAIL.match(values["email"])):
        _refuse(errors, "email", "email")
    if values["phone"] and not PHONE.match(values["phone"]):
        _refuse(errors, "phone", "phone")
    role, agency = values["role"], None
    if not role:
        _refuse(errors, "role", "required")
    elif role not in ROLES:
        _refuse(errors, "role", "enum", allowed=", ".join(ROLES))
    if values["agency"]:
        agency = session.scalar(select(Agency).where(Agency.code == values["agency"]))
        if agency is None:
            _refuse(errors, "agency", "ref", value=values["agency"])
        elif role and role not in STAFF_ROLES:
            _refuse(errors, "agency", "agency_not_for_role")
    elif role in STAFF_ROLES:
        _refuse(errors, "agency", "agency_for_staff")
    return values, agency


def _check_password(errors, password: str):
    if not password:
        _refuse(errors, "password", "required")
    elif len(password) < PASSWORD_MIN:
        _refuse(errors, "password", "minlength", limit=PASSWORD_MIN)
    elif len(password) > PASSWORD_MAX:
        _refuse(errors, "password", "maxlength", limit=PASSWORD_MAX)


def _apply_profile(user: User, values: dict, agency: Agency | None):
    user.full_name, user.role, user.agency = values["full_name"], values["role"], agency
    user.email, user.phone = values["email"] or None, values["phone"] or None


def _other_active_admins(session, user: User) -> int:
    return session.scalar(
        select(func.count(User.id)).where(User.role == "admin", User.active.is_(True), User.id != user.id)
    )


def _release_claims(session, actor, user: User) -> list[int]:
    """Open tasks the account held go back to its agency's inbox: nobody else could finish them."""
    items = session.scalars(select(WorkItem).where(WorkItem.assignee == user.username, WorkItem.state == "ready")).all()
    for item in items:
        petition = session.scalar(select(Petition).where(Petition.instance_id == item.instance_id))
        item.assignee = None
        record(
            session,
            actor,
            "task.unclaimed",
            petition=petition,
            task_id=item.task_id,
            task_name=item.name,
            data={"previous_assignee": user.username, "reason": "account changed by an administrator"},
        )
    return [item.id for item in items]


def _get(session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"account {user_id}")
    return user


@operation
def create_account(session, actor, raw: dict) -> User:
    """Add an account with its first password; audited without the password."""
    require_admin(actor, "account.created", {key: text(raw, key) for key in LABELS if key != "password"})
    return add_account(session, actor, raw)


def add_account(session, actor, raw: dict) -> User:
    """Check and add an account in the caller's transaction (one form, or one row of an import); audited."""
    shown = {key: text(raw, key) for key in LABELS if key != "password"}
    errors = []
    username = shown["username"]
    if not username:
        _refuse(errors, "username", "required")
    elif not USERNAME.match(username):
        _refuse(errors, "username", "username_format")
    elif session.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None:
        _refuse(errors, "username", "unique", value=username)
    values, agency = _clean_profile(session, raw, errors)
    _check_password(errors, str(raw.get("password") or ""))
    if errors:
        raise FormInvalid(errors)
    user = User(username=username, active=True)
    _apply_profile(user, values, agency)
    user.set_password(str(raw["password"]))
    session.add(user)
    session.flush()
    record(session, actor, "account.created", data={"before": None, "after": snapshot(user)})
    return user


@operation
def create_first_administrator(session, raw: dict) -> User:
    """The installation's first administrator (`run.py init`); refused once an active administrator exists."""
    errors = []
    username = text(raw, "username")
    if session.scalar(select(func.count(User.id)).where(User.role == "admin", User.active.is_(True))):
        raise FormInvalid([FieldError("username", "admin_exists", {"label": LABELS["username"]})])
    if not USERNAME.match(username):
        _refuse(errors, "username", "username_format")
    elif session.scalar(select(User.id).where(func.lower(User.username) == username.lower())) is not None:
        _refuse(errors, "username", "unique", value=username)
    check_text(errors, "full_name", text(raw, "full_name"), LABELS["full_name"], 200, low=2)
    _check_password(errors, str(raw.get("password") or ""))
    if errors:
        raise FormInvalid(errors)
    user = User(username=username, full_name=text(raw, "full_name"), role="admin", active=True)
    user.email = text(raw, "email") or None
    user.set_password(str(raw["password"]))
    session.add(user)
    session.flush()
    record(session, None, "account.created", data={"before": None, "after": snapshot(user), "first_admin": True})
    return user


@operation
def update_account(session, actor, user_id: int, raw: dict) -> User:
    """Change an account's name, contacts, role or agency; audited with before/after."""
    require_admin(actor, "account.updated", {"account_id": user_id, **{key: text(raw, key) for key in PROFILE}})
    user, errors = _get(session, user_id), []
    values, agency = _clean_profile(session, raw, errors)
    if values["role"] and values["role"] != user.role:
        if user.id == actor.id:
            _refuse(errors, "role", "self_role")
        elif user.role == "admin" and user.active and _other_active_admins(session, user) == 0:
            _refuse(errors, "role", "last_admin")
    if errors:
        raise FormInvalid(errors)
    before = snapshot(user)
    _apply_profile(user, values, agency)
    after = snapshot(user)
    if after == before:
        return user
    moved = (before["role"], before["agency"]) != (after["role"], after["agency"])
    released = _release_claims(session, actor, user) if moved else []
    session.flush()
    record(session, actor, "account.updated", data={"before": before, "after": after, "released_tasks": released})
    return user


@operation
def set_account_active(session, actor, user_id: int, active: bool) -> User:
    """Activate or deactivate an account; a deactivated account cannot log in and its open sessions end."""
    action = "account.activated" if active else "account.deactivated"
    require_admin(actor, action, {"account_id": user_id})
    user = _get(session, user_id)
    if bool(user.active) == active:
        return user
    if not active:
        if user.id == actor.id:
            raise FormInvalid([FieldError("active", "self_deactivate")])
        if user.role == "admin" and _other_active_admins(session, user) == 0:
            raise FormInvalid([FieldError("active", "last_admin")])
    before = snapshot(user)
    user.active = active
    released = [] if active else _release_claims(session, actor, user)
    ended = 0 if active else end_login_sessions(session, user, "deactivated")
    record(
        session,
        actor,
        action,
        data={"before": before, "after": snapshot(user), "released_tasks": released, "sessions_ended": ended},
    )
    return user


@operation
def reset_password(session, actor, user_id: int, password: str) -> User:
    """Give an account a new password (told to its owner outside the system); its login sessions end and login
    throttling starts afresh."""
    require_admin(actor, "account.password_reset", {"account_id": user_id})
    user, errors = _get(session, user_id), []
    _check_password(errors, str(password or ""))
    if errors:
        raise FormInvalid(errors)
    user.set_password(str(password))
    session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
    ended = end_login_sessions(session, user, "password_reset")
    record(session, actor, "account.password_reset", data={"username": user.username, "sessions_ended": ended})
    return user
