"""A citizen's cases under his account: attach one he sent without it; the header's count of unread steps."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app.accounts.citizen_cases import AttachRefused, attach_case, attach_case_by_code, unread_updates
from app.petitions.queries import petition_by_code

from .. import db
from ..access import roles_required
from .portal import SENDER_CASES

bp = Blueprint("citizen", __name__)


@bp.app_context_processor
def unread_in_header():
    def unread_updates_count() -> int:
        if not current_user.is_authenticated or current_user.role != "citizen":
            return 0
        try:
            return unread_updates(db(), current_user)
        except SQLAlchemyError:  # an error page about the database itself still renders
            db().rollback()
            return 0

    return {"unread_updates_count": unread_updates_count}


def _refused(code: str, key: str = ""):
    message = _("Mã tra cứu hoặc mã bí mật không đúng, hoặc hồ sơ đã gắn với một tài khoản khác.")
    return render_template("account/attach.html", code=code, key=key, error=message, linked=False), 403


@bp.route("/tai-khoan/gan-ho-so", methods=["GET", "POST"])
@roles_required("citizen")
def attach():
    """Attach a case by its tracking code and secret key (both from the sender's messages)."""
    code, key = request.form.get("code", "").strip(), request.form.get("key", "").strip()
    if request.method == "GET":
        return render_template("account/attach.html", code=request.args.get("code", ""), key="", linked=False)
    try:
        petition = attach_case_by_code(db(), current_user._get_current_object(), code, key)
    except AttachRefused:
        return _refused(code)
    flash(_("Đã gắn hồ sơ %(code)s vào tài khoản của ông/bà.", code=petition.tracking_code), "ok")
    return redirect(url_for("portal.case", code=petition.tracking_code))


@bp.route("/tai-khoan/gan-ho-so/<code>", methods=["GET", "POST"])
@roles_required("citizen")
def attach_opened(code):
    """The case page's button: a case this browser opened by its sender's link needs no key typed."""
    petition = petition_by_code(db(), code)
    linked = petition.id in session.get(SENDER_CASES, [])
    if request.method == "GET":
        return render_template("account/attach.html", code=petition.tracking_code, key="", linked=linked)
    key = request.form.get("key", "").strip() or (petition.sender_key if linked else "")
    try:
        attach_case(db(), current_user._get_current_object(), petition, key)
    except AttachRefused:
        return _refused(petition.tracking_code)
    flash(_("Đã gắn hồ sơ %(code)s vào tài khoản của ông/bà.", code=petition.tracking_code), "ok")
    return redirect(url_for("portal.case", code=petition.tracking_code))
