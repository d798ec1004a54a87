"""Log in, log out, switch language."""

from flask import Blueprint, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from app.accounts.login import attempt_login
from app.audit.log import record

from .. import db
from ..i18n import LANGUAGES

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired()])
    password = PasswordField("Mật khẩu", validators=[DataRequired()])


def _safe_next(target: str | None) -> str:
    """Only same-site paths: a login link cannot send the user elsewhere."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("home.index")


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login():
    form, error, status = LoginForm(), None, 200
    if form.validate_on_submit():
        result = attempt_login(db(), form.username.data, form.password.data, request.remote_addr)
        if result.user is not None:
            session.clear()  # a fresh session: no fixation
            login_user(result.user)
            return redirect(_safe_next(request.args.get("next")))
        if result.throttled:
            minutes = max(1, int(result.retry_after.total_seconds() // 60) + 1)
            error, status = (
                _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút.", minutes=minutes),
                429,
            )
        else:
            error, status = _("Tên đăng nhập hoặc mật khẩu không đúng."), 401
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/dang-xuat")
def logout():
    if current_user.is_authenticated:
        record(db(), current_user, "auth.logout")
        db().commit()
    logout_user()
    return redirect(url_for("home.index"))


@bp.post("/ngon-ngu/<lang>")
def language(lang):
    if lang not in LANGUAGES:
        lang = "vi"
    session["lang"] = lang
    response = make_response(redirect(_safe_next(request.form.get("next"))))
    response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax")
    return response
