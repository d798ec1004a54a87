"""The staff's case list (issue 19 point 4): every case the unit touched, open and closed, searched, filtered,
sorted and paged; a case opens on one of its tasks, read-only where the reader has nothing to do."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from app.petitions.unit_cases import case_to_open, lead_names, unit_cases
from app.statistics.figures import DEFINITIONS
from app.translation import lazy_gettext

from .. import db
from ..access import refuse, roles_required
from ..tasklist import cases
from ..tasklist.labels import status_name

bp = Blueprint("unit_cases", __name__)
STAFF = ("intake", "handler", "leader", "chair")
READERS = (*STAFF, "auditor")  # an auditor follows his dashboard's numbers here
MENU = [("unit_cases.cases_list", lazy_gettext("Hồ sơ của đơn vị"), STAFF, 22)]


@bp.get("/ho-so-don-vi")
@roles_required(*READERS)
def cases_list():
    session = db()
    filters, problems = cases.read_filters(request.args)
    found = unit_cases(session, current_user, filters)
    return render_template(
        "cases/list.html",
        found=found,
        filters=filters,
        problems=problems,
        leads=lead_names(session, found.rows),
        args=lambda **changes: cases.query_args(filters, **changes),
        status_name=status_name,
        definitions=DEFINITIONS,
        **cases.choices(session),
    )


@bp.get("/ho-so-don-vi/<code>")
@roles_required(*READERS)
def open_case(code):
    item = case_to_open(db(), current_user, code[:40])
    if item is None:
        refuse("case.view", "the case is not in the reader's case list", tracking_code=code[:40])
    return redirect(url_for("tasks.task", item_id=item.id))
