"""The public statistics (seed 002 Art. 13): a province's or the country's figures for a chosen period, with charts
drawn on the server beside their tables. Hidden and state-secret cases are counted, never described."""

from datetime import date

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from app.agencies.queries import receiving_provinces
from app.calendars.working_days import VIETNAM
from app.db import utcnow
from app.statistics.figures import Period, Slice
from app.statistics.public import public_statistics
from app.translation import lazy_gettext

from .. import db
from ..charts import bars, lines
from ..converters import query_day
from ..i18n import label

bp = Blueprint("statistics", __name__)
MENU = [("statistics.public", lazy_gettext("Thống kê"), None, 13)]


@bp.get("/thong-ke")
def public():
    today = utcnow().astimezone(VIETNAM).date()
    start = query_day(request.args.get("from"), date(today.year, 1, 1))
    end = max(query_day(request.args.get("to"), today), start)
    provinces = receiving_provinces(db())  # the list of the filter
    province = request.args.get("province") or None
    province = province if province in {code for code, _ in provinces} else None
    slice_ = Slice(province=province)
    period = Period(start, end)
    shown = public_statistics(db(), period, slice_)
    fields, months = shown.fields, shown.months
    return render_template(
        "statistics/public.html",
        figures=shown.figures,
        fields=fields,
        field_chart=bars(
            [(label(name), n, a) for _, name, n, a in fields[:12]],
            (_("Tiếp nhận"), _("Đã trả lời")),
            _("PAKN theo lĩnh vực"),
        ),  # fmt: skip
        month_chart=lines(
            [(f"{m:%m/%Y}", n, on_time) for m, n, on_time in months],
            (_("Tiếp nhận"), _("Trả lời đúng hạn")),
            _("PAKN theo tháng"),
        ),  # fmt: skip
        months=months,
        provinces=provinces,
        province=province,
        start=start,
        end=end,
    )
