"""Administrators: the agencies (cơ quan) — list by province, add, edit."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.accounts.models import User
from app.administration.agencies import LABELS, create_agency, form_values, update_agency
from app.agencies.models import AGENCY_LEVELS, Agency, Province
from app.errors import FormInvalid

from .. import db
from ..access import roles_required
from ..tasklist.labels import field_errors, sort_key
from .admin import ADMIN

bp = Blueprint("admin_agencies", __name__, url_prefix="/quan-tri/co-quan")


def _choices(session, agency: Agency | None = None) -> dict:
    agencies = session.scalars(select(Agency)).all()
    return {
        "levels": [(code, _(label)) for code, label in AGENCY_LEVELS.items()],
        "provinces": session.execute(select(Province.code, Province.name).order_by(Province.name)).all(),
        "parents": sorted(
            ((a.code, f"{a.name} ({a.code})") for a in agencies if agency is None or a.id != agency.id),
            key=lambda option: sort_key(option[1]),
        ),
    }


@bp.get("/")
@roles_required(ADMIN)
def agencies():
    session = db()
    province = request.args.get("tinh", "")
    query = select(Agency)
    if province:
        query = query.where(Agency.province_code == province)
    rows = session.scalars(query).all()
    staff = dict(session.execute(select(User.agency_id, func.count(User.id)).group_by(User.agency_id)).all())
    rows.sort(key=lambda a: (sort_key(a.province.name) if a.province else "", not a.is_intake_office, sort_key(a.name)))
    return render_template(
        "admin/agencies.html",
        rows=[(a, staff.get(a.id, 0)) for a in rows],
        province=province,
        provinces=session.execute(select(Province.code, Province.name).order_by(Province.name)).all(),
        levels=AGENCY_LEVELS,
    )


def _form(agency: Agency | None):
    session = db()
    values, errors, status = (form_values(agency) if agency else {"level": "province"}), {}, 200
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in LABELS}
        try:
            if agency is None:
                saved = create_agency(session, current_user, values)
            else:
                saved = update_agency(session, current_user, agency.id, values)
        except FormInvalid as invalid:
            errors, status = field_errors(invalid), 422
        else:
            flash(_("Đã lưu cơ quan «%(name)s» (%(code)s).", name=saved.name, code=saved.code), "ok")
            return redirect(url_for("admin_agencies.agencies", tinh=saved.province_code or ""))
    page = render_template(
        "admin/agency_form.html", agency=agency, values=values, errors=errors, **_choices(session, agency)
    )
    return page, status


@bp.route("/moi", methods=["GET", "POST"])
@roles_required(ADMIN)
def new_agency():
    return _form(None)


@bp.route("/<int:agency_id>", methods=["GET", "POST"])
@roles_required(ADMIN)
def agency(agency_id):
    found = db().get(Agency, agency_id)
    if found is None:
        abort(404)
    return _form(found)
