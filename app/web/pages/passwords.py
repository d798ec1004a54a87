"""Passwords: forgotten (a link by e-mail), reset with that link, changed by the signed-in owner."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from app.accounts.passwords import change_password, request_password_reset, reset_link_is_valid, reset_password_by_mail
from app.accounts.tokens import LinkRefused
from app.errors import FormInvalid

from .. import db
from ..extensions import LOGIN_TOKEN, get_locale
from ..signin import wait_words

bp = Blueprint("passwords", __name__)


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
def forgot():
    values, errors, notice, status, sent = {}, {}, None, 200, False
    if request.method == "POST":
        values = {"email": request.form.get("email", "")}
        try:
            result = request_password_reset(db(), values["email"], get_locale(), request.remote_addr)
        except FormInvalid as invalid:
            errors, status = invalid.by_field(get_locale()), 422
        else:
            if result.throttled:
                wait = wait_words(result.retry_after)
                notice, status = _("Đã yêu cầu quá nhiều lần. Vui lòng thử lại sau %(wait)s.", wait=wait), 429
            else:
                sent = True  # the same answer whether or not the address has an account
    return render_template(
        "account/forgot.html", values=values, errors=errors, notice=notice, sent=sent
    ), status  # fmt: skip


@bp.route("/dat-lai-mat-khau/<token>", methods=["GET", "POST"])
def reset(token):
    errors, status = {}, 200
    if request.method == "GET" and not reset_link_is_valid(db(), token):
        return render_template("account/link_refused.html", resend=url_for("passwords.forgot")), 400
    if request.method == "POST":
        try:
            reset_password_by_mail(db(), token, request.form, request.remote_addr)
        except FormInvalid as invalid:
            errors, status = invalid.by_field(get_locale()), 422
        except LinkRefused:
            return render_template("account/link_refused.html", resend=url_for("passwords.forgot")), 400
        else:
            if current_user.is_authenticated:  # every login session of the account has ended
                logout_user()
                session.pop(LOGIN_TOKEN, None)
            flash(_("Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu mới."), "ok")
            return redirect(url_for("auth.login"))
    return render_template("account/reset.html", errors=errors), status


@bp.route("/tai-khoan/doi-mat-khau", methods=["GET", "POST"])
@login_required
def change():
    errors, status = {}, 200
    if request.method == "POST":
        user = current_user._get_current_object()
        try:
            change_password(db(), user, request.form, request.remote_addr, session.get(LOGIN_TOKEN))
        except FormInvalid as invalid:
            errors, status = invalid.by_field(get_locale()), 422
        else:
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc."), "ok")
            return redirect(url_for("account.index"))
    return render_template("account/change_password.html", errors=errors), status
