"""Administrators: the agencies (cơ quan) — list by province, add, edit."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.administration.agencies import LABELS, create_agency, form_values, update_agency
from app.administration.queries import agencies as all_agency_rows
from app.administration.queries import agency_by_id, staff_counts
from app.agencies.models import AGENCY_LEVELS, Agency
from app.errors import FormInvalid
from app.petitions.queries import all_provinces

from .. import db
from ..access import roles_required
from ..tasklist.labels import field_errors, sort_key
from .admin import ADMIN

bp = Blueprint("admin_agencies", __name__, url_prefix="/quan-tri/co-quan")


def _choices(session, agency: Agency | None = None) -> dict:
    return {
        "levels": [(code, _(label)) for code, label in AGENCY_LEVELS.items()],
        "provinces": all_provinces(session),
        "parents": sorted(
            ((a.code, f"{a.name} ({a.code})") for a in all_agency_rows(session) if agency is None or a.id != agency.id),
            key=lambda option: sort_key(option[1]),
        ),
    }


@bp.get("/")
@roles_required(ADMIN)
def agencies():
    session = db()
    province = request.args.get("tinh", "")
    rows = all_agency_rows(session, province)
    staff = staff_counts(session)
    rows.sort(key=lambda a: (sort_key(a.province.name) if a.province else "", not a.is_intake_office, sort_key(a.name)))
    return render_template(
        "admin/agencies.html",
        rows=[(a, staff.get(a.id, 0)) for a in rows],
        province=province,
        provinces=all_provinces(session),
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
    return _form(agency_by_id(db(), agency_id))
