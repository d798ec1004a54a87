"""Log in, log out, switch language."""

from flask import Blueprint, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from app.accounts.login import attempt_login, log_out
from app.errors import FieldError
from app.translation import N_

from .. import db
from ..extensions import LOGIN_TOKEN, get_locale
from ..i18n import LANGUAGES
from ..redirects import local_target
from ..signin import landing_page, sign_in, wait_words

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired()])
    password = PasswordField("Mật khẩu", validators=[DataRequired()])


LABELS = {"username": N_("Tên đăng nhập"), "password": N_("Mật khẩu")}


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login():
    # the typed fields only: Flask-WTF would also take a file sent under a field's name as its value
    form = LoginForm(request.form) if request.method == "POST" else LoginForm()
    error, status, retry_seconds = None, 200, 0
    if form.is_submitted() and form.validate():
        result = attempt_login(db(), form.username.data, form.password.data, request.remote_addr)
        if result.user is not None:
            sign_in(result.user, result.token)
            return redirect(local_target(request.args.get("next"), landing_page(result.user)))
        if result.throttled:
            retry_seconds = max(1, int(result.retry_after.total_seconds()) + 1)
            wait = wait_words(result.retry_after)
            error, status = _("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(wait)s.", wait=wait), 429
        else:
            error, status = _("Tên đăng nhập hoặc mật khẩu không đúng."), 401
    elif form.is_submitted():  # a field left empty (or sent as a file): named, what was typed kept
        missing = [FieldError(name, "required", {"label": LABELS[name]}) for name in LABELS if form[name].errors]
        error, status = " ".join(problem.message(get_locale()) for problem in missing), 422
    headers = {"Retry-After": str(retry_seconds)} if status == 429 else {}
    return render_template("auth/login.html", form=form, error=error), status, headers


@bp.post("/dang-xuat")
def logout():
    log_out(db(), current_user if current_user.is_authenticated else None, session.get(LOGIN_TOKEN))
    logout_user()
    session.pop(LOGIN_TOKEN, None)
    return redirect(url_for("home.index"))


@bp.post("/ngon-ngu/<lang>")
def language(lang):
    if lang not in LANGUAGES:
        lang = "vi"
    session["lang"] = lang
    response = make_response(redirect(local_target(request.form.get("next"), url_for("home.index"))))
    response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax")
    return response
