"""A citizen signs up and verifies his e-mail; any signed-in user sees his account. Passwords: passwords.py."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.accounts.citizen_cases import unread_updates
from app.accounts.signup import SIGN_UP_FIELDS, resend_verification, sign_up, verification_link_is_valid, verify_email
from app.accounts.tokens import LinkRefused
from app.errors import FormInvalid

from .. import db
from ..extensions import get_locale
from ..signin import sign_in, wait_words

bp = Blueprint("account", __name__)
MAIL_SENT_TO = "mail_sent_to"  # the address the "check your mail" page names


def _throttled(result) -> str:
    return _(
        "Đã gửi quá nhiều thư đến địa chỉ này. Vui lòng thử lại sau %(wait)s.", wait=wait_words(result.retry_after)
    )


@bp.route("/dang-ky", methods=["GET", "POST"])
def sign_up_page():
    if current_user.is_authenticated:
        return redirect(url_for("account.index"))
    values, errors, notice, status = {}, {}, None, 200
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in SIGN_UP_FIELDS}  # never the passwords
        try:
            result = sign_up(db(), request.form, get_locale(), request.remote_addr)
        except FormInvalid as invalid:
            errors, status = invalid.by_field(get_locale()), 422
        else:
            if not result.throttled:
                session[MAIL_SENT_TO] = values["email"].strip().lower()
                return redirect(url_for("account.mail_sent"))
            notice, status = _throttled(result), 429
    return render_template("account/sign_up.html", values=values, errors=errors, notice=notice), status


@bp.get("/dang-ky/kiem-tra-thu")
def mail_sent():
    return render_template("account/mail_sent.html", email=session.get(MAIL_SENT_TO, ""))


@bp.route("/dang-ky/gui-lai", methods=["GET", "POST"])
def resend():
    values, errors, notice, status = {}, {}, None, 200
    if request.method == "POST":
        values = {"email": request.form.get("email", "")}
        try:
            result = resend_verification(db(), values["email"], get_locale(), request.remote_addr)
        except FormInvalid as invalid:
            errors, status = invalid.by_field(get_locale()), 422
        else:
            if not result.throttled:
                session[MAIL_SENT_TO] = values["email"].strip().lower()
                return redirect(url_for("account.mail_sent"))
            notice, status = _throttled(result), 429
    return render_template("account/resend.html", values=values, errors=errors, notice=notice), status


def _link_refused():
    return render_template("account/link_refused.html", resend=url_for("account.resend")), 400


@bp.get("/tai-khoan/xac-nhan/<token>")
def verify(token):
    """The mailed link shows a button: a mail scanner following links does not use it up."""
    if not verification_link_is_valid(db(), token):
        return _link_refused()
    return render_template("account/verify.html")


@bp.post("/tai-khoan/xac-nhan/<token>")
def verify_done(token):
    try:
        user, login_token = verify_email(db(), token, request.remote_addr)
    except LinkRefused:
        return _link_refused()
    sign_in(user, login_token)
    flash(_("Tài khoản đã được kích hoạt. Chào mừng ông/bà!"), "ok")
    return redirect(url_for("account.index"))


@bp.get("/tai-khoan")
@login_required
def index():
    return render_template("account/index.html", unread=unread_updates(db(), current_user))
