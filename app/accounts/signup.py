"""A citizen's own account: signed up with his e-mail as login name, inactive until he opens the link mailed to
that address (48 hours, once), then active and signed in.

The page never says whether an e-mail already has an account: signing up again with it mails the owner (a new
link while his account awaits verification, else a note that he already has one) and answers as for a new one.
A second sign-up changes nothing of the first (its name and password stay).
"""

import re

from sqlalchemy import func, select

from app.administration.rules import check_text, text
from app.audit.log import record
from app.errors import FieldError, FormInvalid
from app.petitions.validation import EMAIL, PHONE
from app.transaction import operation
from app.translation import lazy_gettext

from .login import open_login_session
from .mail import queue_account_mail
from .models import User
from .passwords import check_new_password
from .throttle import MailRequest, admit_mail_request
from .tokens import LinkRefused, issue_token, use_token, valid_token

LABELS = {
    "full_name": lazy_gettext("Họ và tên"),
    "email": lazy_gettext("Thư điện tử"),
    "phone": lazy_gettext("Số điện thoại"),
}
SIGN_UP_FIELDS = ("full_name", "email", "phone")  # kept on a refused form (never the passwords)


def _clean(raw: dict) -> tuple[dict, list]:
    values = {key: text(raw, key) for key in SIGN_UP_FIELDS}
    values["email"], values["phone"] = values["email"].lower(), re.sub(r"[\s.\-()]", "", values["phone"])
    errors = []
    check_text(errors, "full_name", values["full_name"], LABELS["full_name"], 200, low=2)
    if not values["email"]:
        errors.append(FieldError("email", "required", {"label": LABELS["email"]}))
    elif len(values["email"]) > 100 or not EMAIL.match(values["email"]):  # the login name holds 100
        errors.append(FieldError("email", "email", {"label": LABELS["email"]}))
    if values["phone"] and not PHONE.match(values["phone"]):
        errors.append(FieldError("phone", "phone", {"label": LABELS["phone"]}))
    check_new_password(errors, raw, "password", values["email"])
    return values, errors


def _account(session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == email))


def _awaiting(user: User | None) -> bool:
    return user is not None and user.awaiting_verification and not user.active


@operation
def sign_up(session, raw: dict, lang: str, address: str | None) -> MailRequest:
    """Create the citizen's account, inactive, and queue its verification e-mail (in `lang`); FormInvalid names
    each wrong field. Throttled per e-mail and address as the other mails asked for without a login."""
    values, errors = _clean(raw)
    if errors:
        raise FormInvalid(errors)
    email, audit = values["email"], {"email": values["email"], "address": address}
    throttled = admit_mail_request(session, "verify", email, address, "account.signed_up")
    if throttled is not None:
        return throttled
    existing = _account(session, email)
    if _awaiting(existing):
        queue_account_mail(session, existing, "account_verify", lang, issue_token(session, existing, "verify"))
        record(session, "anonymous", "account.verification_sent", data={**audit, "again": True})
    elif existing is not None:
        queue_account_mail(session, existing, "account_exists", lang)
        record(session, "anonymous", "account.signed_up", data=audit, outcome="refused")
    else:
        user = User(username=email, email=email, full_name=values["full_name"], phone=values["phone"] or None)
        user.role, user.active, user.awaiting_verification = "citizen", False, True
        user.set_password(str(raw["password"]))
        session.add(user)
        session.flush()
        queue_account_mail(session, user, "account_verify", lang, issue_token(session, user, "verify"))
        record(session, user, "account.signed_up", data=audit)
    return MailRequest()


@operation
def resend_verification(session, email: str, lang: str, address: str | None) -> MailRequest:
    """A new verification link for an account still awaiting it; the same answer for any other e-mail."""
    email = (email or "").strip().lower()[:200]
    if not email:
        raise FormInvalid([FieldError("email", "required", {"label": LABELS["email"]})])
    audit = {"email": email, "address": address}
    throttled = admit_mail_request(session, "verify", email, address, "account.verification_sent")
    if throttled is not None:
        return throttled
    user = _account(session, email)
    if _awaiting(user):
        queue_account_mail(session, user, "account_verify", lang, issue_token(session, user, "verify"))
    record(session, "anonymous", "account.verification_sent", data={**audit, "queued": _awaiting(user)})
    return MailRequest()


@operation
def verify_email(session, token: str, address: str | None) -> tuple[User, str]:
    """Open the mailed link once: the account becomes active and this browser signed in (its login token).

    Petitions sent earlier with this e-mail are NOT attached to the account: receiving mail at an address is no
    proof of having sent them. The citizen attaches each with its secret link (app/accounts/citizen_cases.py).
    """
    user = use_token(session, token, "verify", "account.verified")
    if not user.awaiting_verification and not user.active:  # deactivated by an administrator meanwhile
        raise LinkRefused("the account was deactivated", actor=user, action="account.verified")
    user.active, user.awaiting_verification = True, False
    login_token = open_login_session(session, user, address)
    record(session, user, "account.verified", data={"address": address})
    return user, login_token


def verification_link_is_valid(session, token: str) -> bool:
    """Whether the verification page should offer its button (nothing is used up by looking)."""
    return valid_token(session, token, "verify") is not None
