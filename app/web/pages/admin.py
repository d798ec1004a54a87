"""Administrators' pages under /quan-tri/: the start page and the fields (lĩnh vực). Agencies, accounts,
calendars and process versions have their own modules (admin_*.py); all of them are for role `admin` only."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.administration.fields import add_field, rename_field, set_field_active
from app.administration.queries import field_by_code, fields_with_use, overview, recent_changes
from app.audit.actions import action_name, outcome_name
from app.errors import FormInvalid
from app.translation import lazy_gettext

from .. import db
from ..access import roles_required
from ..tasklist.labels import field_errors, sort_key

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")
MENU = [("admin.index", lazy_gettext("Quản trị"), ("admin",), 60)]
ADMIN = "admin"


@bp.get("/")
@roles_required(ADMIN)
def index():
    session = db()
    return render_template(
        "admin/index.html",
        counts=overview(session),
        changes=recent_changes(session),
        action_name=action_name,
        outcome_name=outcome_name,
    )


# ---------------------------------------------------------------------------------------------------- fields


def _field_rows(session):
    """Fields in use first, by name."""
    return sorted(fields_with_use(session), key=lambda row: (not row[0].active, sort_key(row[0].name)))


@bp.route("/linh-vuc", methods=["GET", "POST"])
@roles_required(ADMIN)
def fields():
    session, values, errors, status = db(), {}, {}, 200
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in ("code", "name")}
        try:
            field = add_field(session, current_user, values["code"], values["name"])
        except FormInvalid as invalid:
            errors, status = field_errors(invalid), 422
        else:
            flash(_("Đã thêm lĩnh vực «%(name)s».", name=field.name), "ok")
            return redirect(url_for("admin.fields"))
    return render_template("admin/fields.html", rows=_field_rows(session), values=values, errors=errors), status


@bp.route("/linh-vuc/<code>", methods=["GET", "POST"])
@roles_required(ADMIN)
def field(code):
    session = db()
    field = field_by_code(session, code)
    values, errors, status = {"name": field.name}, {}, 200
    if request.method == "POST":
        values = {"name": request.form.get("name", "")}
        try:
            rename_field(session, current_user, code, values["name"])
        except FormInvalid as invalid:
            errors, status = field_errors(invalid), 422
        else:
            flash(_("Đã đổi tên lĩnh vực thành «%(name)s».", name=field.name), "ok")
            return redirect(url_for("admin.fields"))
    return render_template("admin/field.html", field=field, values=values, errors=errors), status


@bp.post("/linh-vuc/<code>/trang-thai")
@roles_required(ADMIN)
def field_state(code):
    active = request.form.get("active") == "1"
    field = set_field_active(db(), current_user, code, active)
    if active:
        flash(_("Lĩnh vực «%(name)s» được dùng lại.", name=field.name), "ok")
    else:
        flash(_("Đã ngừng dùng lĩnh vực «%(name)s»; các PAKN đã gửi vẫn giữ lĩnh vực này.", name=field.name), "ok")
    return redirect(url_for("admin.fields"))
