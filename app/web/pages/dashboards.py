"""The staff dashboards (issue 17 point 3): the figures within the reader's reach for a chosen period, every
number a link to the case list showing exactly the cases behind it."""

from datetime import date

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from app.calendars.working_days import VIETNAM
from app.db import utcnow
from app.petitions.unit_cases import CaseFilters
from app.statistics.dashboards import LINE_FIGURES, ON_TIME_SHARE, SHOWN, dashboard
from app.statistics.figures import DEFINITIONS, Period
from app.translation import lazy_gettext

from .. import db
from ..access import roles_required
from ..converters import query_day
from ..tasklist.cases import query_args

bp = Blueprint("dashboards", __name__)
READERS = ("intake", "handler", "leader", "chair", "auditor")
MENU = [("dashboards.dashboard_page", lazy_gettext("Bảng điều khiển"), READERS, 21)]


def cases_url(filters: CaseFilters) -> str:
    return url_for("unit_cases.cases_list", **query_args(filters))


@bp.get("/bang-dieu-khien")
@roles_required(*READERS)
def dashboard_page():
    today = utcnow().astimezone(VIETNAM).date()
    start = query_day(request.args.get("from"), date(today.year, 1, 1))
    end = max(query_day(request.args.get("to"), today), start)
    shown = dashboard(db(), current_user, Period(start, end), request.args.get("province") or None)
    if shown is None:
        abort(404)  # a staff account without an agency has no dashboard
    return render_template(
        "cases/dashboard.html",
        board=shown,
        shown_figures=[(code, getattr(shown.figures, code), DEFINITIONS[code]) for code in SHOWN],
        line_figures=LINE_FIGURES,
        on_time_share=ON_TIME_SHARE,
        cases_url=cases_url,
        CaseFilters=CaseFilters,
        start=start,
        end=end,
    )
