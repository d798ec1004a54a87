"""Administrators: accounts — search, add, edit, activate or deactivate, set a new password."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import ROLES, User
from app.administration.accounts import (
    LABELS,
    PASSWORD_MIN,
    PROFILE,
    create_account,
    form_values,
    reset_password,
    set_account_active,
    update_account,
)
from app.administration.queries import AccountSearch, account_by_id
from app.administration.queries import accounts as accounts_matching
from app.errors import FormInvalid
from app.petitions.queries import all_agencies

from .. import db
from ..access import roles_required
from ..tasklist.labels import field_errors, role_name, sort_key
from .admin import ADMIN

bp = Blueprint("admin_accounts", __name__, url_prefix="/quan-tri/tai-khoan")


def _choices(session) -> dict:
    agencies = all_agencies(session)
    return {
        "roles": [(code, role_name(code)) for code in ROLES],
        "agencies": sorted(((code, f"{name} ({code})") for code, name in agencies), key=lambda o: sort_key(o[1])),
    }


@bp.get("/")
@roles_required(ADMIN)
def accounts():
    session, args = db(), request.args
    search = AccountSearch(**{key: args.get(key, "") for key in ("q", "role", "agency", "state")})
    rows, more = accounts_matching(session, search)
    return render_template("admin/accounts.html", rows=rows, more=more, args=args, **_choices(session))


@bp.route("/moi", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_account():
    session, values, errors, status = db(), {}, {}, 200
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in LABELS}
        try:
            user = create_account(session, current_user, values)
        except FormInvalid as invalid:
            errors, status = field_errors(invalid), 422
        else:
            flash(_("Đã tạo tài khoản %(username)s.", username=user.username), "ok")
            return redirect(url_for("admin_accounts.account", user_id=user.id))
        values.pop("password")  # never sent back to the browser
    return (
        render_template(
            "admin/account_new.html", values=values, errors=errors, password_min=PASSWORD_MIN, **_choices(session)
        ),
        status,
    )


def _load(user_id: int) -> User:
    return account_by_id(db(), user_id)


def _account_page(user: User, values=None, errors=None, status=200):
    return (
        render_template(
            "admin/account.html",
            user=user,
            values=values or form_values(user),
            errors=errors or {},
            password_min=PASSWORD_MIN,
            is_self=user.id == current_user.id,
            **_choices(db()),
        ),
        status,
    )


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def account(user_id):
    user = _load(user_id)
    if request.method == "GET":
        return _account_page(user)
    values = {key: request.form.get(key, "") for key in PROFILE}
    try:
        update_account(db(), current_user, user.id, values)
    except FormInvalid as invalid:
        return _account_page(user, values, field_errors(invalid), 422)
    flash(_("Đã lưu tài khoản %(username)s.", username=user.username), "ok")
    return redirect(url_for("admin_accounts.account", user_id=user.id))


@bp.post("/<int:user_id>/trang-thai")
@roles_required(ADMIN)
def account_state(user_id):
    user, active = _load(user_id), request.form.get("active") == "1"
    try:
        set_account_active(db(), current_user, user.id, active)
    except FormInvalid as invalid:
        return _account_page(user, errors=field_errors(invalid), status=422)
    if active:
        flash(_("Tài khoản %(username)s đã được mở lại.", username=user.username), "ok")
    else:
        flash(_("Tài khoản %(username)s đã bị khóa: không đăng nhập được nữa.", username=user.username), "ok")
    return redirect(url_for("admin_accounts.account", user_id=user.id))


@bp.post("/<int:user_id>/mat-khau")
@roles_required(ADMIN)
def account_password(user_id):
    user = _load(user_id)
    try:
        reset_password(db(), current_user, user.id, request.form.get("password", ""))
    except FormInvalid as invalid:
        return _account_page(user, errors=field_errors(invalid), status=422)
    flash(
        _("Đã đặt mật khẩu mới cho %(username)s; hãy báo cho người dùng qua kênh riêng.", username=user.username), "ok"
    )
    return redirect(url_for("admin_accounts.account", user_id=user.id))
