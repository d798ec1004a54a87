"""Administrators: the reasons the intake office may give for hiding a report."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.administration.hide_reasons import add_hide_reason, set_hide_reason_active
from app.administration.queries import hide_reasons_with_use
from app.errors import FormInvalid

from .. import db
from ..access import roles_required
from ..tasklist.labels import field_errors
from .admin import ADMIN

bp = Blueprint("admin_moderation", __name__, url_prefix="/quan-tri/ly-do-an")


@bp.route("/", methods=["GET", "POST"])
@roles_required(ADMIN)
def reasons():
    session, values, errors, status = db(), {}, {}, 200
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in ("code", "name", "needs_text")}
        try:
            reason = add_hide_reason(session, current_user, values["code"], values["name"], bool(values["needs_text"]))
        except FormInvalid as invalid:
            errors, status = field_errors(invalid), 422
        else:
            flash(_("Đã thêm lý do ẩn «%(name)s».", name=reason.name), "ok")
            return redirect(url_for("admin_moderation.reasons"))
    rows = hide_reasons_with_use(session)
    return render_template("admin/hide_reasons.html", rows=rows, values=values, errors=errors), status


@bp.post("/<code>/trang-thai")
@roles_required(ADMIN)
def state(code):
    reason = set_hide_reason_active(db(), current_user, code, request.form.get("active") == "1")
    flash(_("Đã cập nhật lý do ẩn «%(name)s».", name=reason.name), "ok")
    return redirect(url_for("admin_moderation.reasons"))
