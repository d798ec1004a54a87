"""Passwords chosen by their owners: the strength rule, a reset by a mailed link, a change while signed in.

Both end the account's other login sessions (a thief's copied cookie dies with the old password) and are audited.
"""

import re

from sqlalchemy import delete, func, select

from app.audit.log import record
from app.errors import FieldError, FormInvalid
from app.transaction import operation
from app.translation import lazy_gettext

from .login import end_login_sessions, note_password_failure, password_wait
from .mail import queue_account_mail
from .models import LoginFailure, User
from .throttle import MailRequest, admit_mail_request
from .tokens import issue_token, use_token, valid_token

LABELS = {
    "password": lazy_gettext("Mật khẩu"),
    "password_confirm": lazy_gettext("Nhập lại mật khẩu"),
    "current_password": lazy_gettext("Mật khẩu hiện tại"),
    "new_password": lazy_gettext("Mật khẩu mới"),
    "email": lazy_gettext("Thư điện tử"),
}
PASSWORD_MIN, PASSWORD_MAX = 10, 200
# The first choices of any guesser; a longer list belongs in a file when the product needs one.
COMMON = {"1234567890", "0123456789", "matkhau123", "matkhau1234", "password12", "password123", "qwerty1234",
          "abc1234567", "12345678910", "a123456789", "123456789a", "iloveyou12", "vietnam123"}  # fmt: skip


def check_new_password(errors: list, raw: dict, field: str, email: str | None = None):
    """The owner's new password in `field` (and its copy in `password_confirm`): strong enough, typed twice."""
    password, confirm = str(raw.get(field) or ""), str(raw.get("password_confirm") or "")
    label = LABELS[field]
    local = (email or "").split("@")[0].lower()
    if not password:
        errors.append(FieldError(field, "required", {"label": label}))
    elif len(password) > PASSWORD_MAX:
        errors.append(FieldError(field, "maxlength", {"label": label, "limit": PASSWORD_MAX}))
    elif (
        len(password) < PASSWORD_MIN
        or not re.search(r"[^\W\d_]", password)  # a letter
        or not re.search(r"[\d\W_]", password)  # a digit or a symbol
        or password.lower() in COMMON
        or (len(local) >= 3 and local in password.lower())
    ):
        errors.append(FieldError(field, "password_weak", {"label": label, "limit": PASSWORD_MIN}))
    elif password != confirm:
        errors.append(FieldError("password_confirm", "password_mismatch", {"label": label}))


@operation
def request_password_reset(session, email: str, lang: str, address: str | None) -> MailRequest:
    """Mail a reset link to every active account (citizen or staff) with this e-mail. The answer is the same
    whether or not one exists; throttled per e-mail and address."""
    email = (email or "").strip().lower()[:200]
    if not email:
        raise FormInvalid([FieldError("email", "required", {"label": LABELS["email"]})])
    audit = {"email": email, "address": address}
    throttled = admit_mail_request(session, "reset", email, address, "account.password_reset_requested")
    if throttled is not None:
        return throttled
    accounts = session.scalars(select(User).where(func.lower(User.email) == email, User.active.is_(True))).all()
    for user in accounts:
        queue_account_mail(session, user, "password_reset", lang, token=issue_token(session, user, "reset"))
    record(
        session, "anonymous", "account.password_reset_requested",
        data={**audit, "accounts": [user.username for user in accounts]},
    )  # fmt: skip
    return MailRequest()


def reset_link_is_valid(session, token: str) -> bool:
    """Whether the reset page should show its form (nothing is used up by looking)."""
    return valid_token(session, token, "reset") is not None


@operation
def reset_password_by_mail(session, token: str, raw: dict, address: str | None) -> User:
    """Set the new password the mailed link allows (once); every login session of the account ends."""
    row = valid_token(session, token, "reset")
    if row is not None:  # a dead link is refused (and audited) by use_token, whatever was typed
        errors = []
        check_new_password(errors, raw, "password", session.get(User, row.user_id).email)
        if errors:
            raise FormInvalid(errors)
    user = use_token(session, token, "reset", "account.password_reset_by_mail")
    user.set_password(str(raw["password"]))
    session.execute(delete(LoginFailure).where(LoginFailure.username == user.username))
    ended = end_login_sessions(session, user, "password_reset")
    record(session, user, "account.password_reset_by_mail", data={"address": address, "sessions_ended": ended})
    return user


@operation
def change_password(session, user: User, raw: dict, address: str | None, keep_token: str | None) -> User:
    """The signed-in owner changes his password (the current one required, with login's back-off against
    guessing it); his other login sessions end, this browser's stays."""
    errors, current = [], str(raw.get("current_password") or "")
    if password_wait(session, user.username, address) is not None:
        record(session, user, "account.password_changed", data={"address": address}, outcome="throttled")
        session.commit()  # the refusal is kept: the FormInvalid below rolls back nothing else
        raise FormInvalid([FieldError("current_password", "password_throttled", {"label": LABELS["current_password"]})])
    if not user.check_password(current):
        note_password_failure(session, user.username, address)
        record(session, user, "account.password_changed", data={"address": address}, outcome="refused")
        session.commit()  # as a failed login: counted for the back-off and audited although the form is refused
        raise FormInvalid([FieldError("current_password", "password_wrong", {"label": LABELS["current_password"]})])
    check_new_password(errors, raw, "new_password", user.email)
    if not errors and user.check_password(str(raw.get("new_password"))):
        errors.append(FieldError("new_password", "password_same", {"label": LABELS["new_password"]}))
    if errors:
        raise FormInvalid(errors)
    user.set_password(str(raw["new_password"]))
    ended = end_login_sessions(session, user, "password_changed", keep_token=keep_token)
    record(session, user, "account.password_changed", data={"address": address, "sessions_ended": ended})
    return user
