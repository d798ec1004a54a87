"""The case list's query string read into filters (and back, for the dashboards' links), and its form's options."""

from datetime import date

from flask_babel import gettext as _

from app.petitions.queries import active_fields, all_agencies, all_provinces
from app.petitions.unit_cases import DUES, FIGURES, MAX_PAGE, SORTS, CaseFilters, status_codes
from app.translation import lazy_gettext

from ..converters import FIRST_YEAR, LAST_YEAR
from .labels import status_name, translated_options

TEXT_FILTERS = ("q", "status", "field", "agency", "province", "holder")
DUE_LABELS = {
    "": lazy_gettext("Tất cả"),
    "open": lazy_gettext("Có công việc đang mở"),
    "overdue": lazy_gettext("Quá hạn"),
    "soon": lazy_gettext("Sắp đến hạn"),
}
SORT_LABELS = {
    "received": lazy_gettext("Ngày tiếp nhận"),
    "code": lazy_gettext("Mã số"),
    "title": lazy_gettext("Tiêu đề"),
    "sender": lazy_gettext("Người gửi"),
    "status": lazy_gettext("Tình trạng"),
    "updated": lazy_gettext("Cập nhật gần nhất"),
}
DATES = (("from", "start", lazy_gettext("Từ ngày")), ("to", "end", lazy_gettext("Đến ngày")))


def read_filters(args) -> tuple[CaseFilters, list[str]]:
    """Filters from the query string and what could not be read (each named; the rest of the filters apply)."""
    text = {key: (args.get(key) or "").strip()[:200] for key in TEXT_FILTERS}
    page = args.get("page", "")
    filters = CaseFilters(
        **text,
        figure=args.get("figure", "") if args.get("figure", "") in FIGURES else "",
        due=args.get("due", "") if args.get("due", "") in DUES else "",
        sort=args.get("sort", "") if args.get("sort", "") in SORTS else "received",
        descending=args.get("dir") != "asc",
        page=min(int(page), MAX_PAGE) if page.isdigit() and len(page) < 7 else 1,
    )
    problems = []
    for key, attribute, label in DATES:
        value = (args.get(key) or "").strip()
        try:
            day = date.fromisoformat(value) if value else None
        except ValueError:
            day = date.min
        if day is None or FIRST_YEAR <= day.year <= LAST_YEAR:
            setattr(filters, attribute, day)
        else:
            problems.append(_("%(field)s: không phải ngày hợp lệ, bộ lọc này chưa được áp dụng.", field=label))
    return filters, problems


def query_args(filters: CaseFilters, **changes) -> dict:
    """The query string of a list with these filters (defaults left out), `changes` applied."""
    args = {
        "q": filters.q, "status": filters.status, "field": filters.field, "agency": filters.agency,
        "province": filters.province, "figure": filters.figure, "holder": filters.holder, "due": filters.due,
        "from": filters.start.isoformat() if filters.start else "",
        "to": filters.end.isoformat() if filters.end else "",
        "sort": "" if filters.sort == "received" else filters.sort, "dir": "" if filters.descending else "asc",
        "page": filters.page if filters.page > 1 else "",
    }  # fmt: skip
    args.update(changes)
    return {key: value for key, value in args.items() if value not in ("", None)}


def choices(session) -> dict:
    """Options of the filter form, labels in the current language."""
    return {
        "statuses": [(code, status_name(code)) for code in status_codes(session)],
        "fields": translated_options(active_fields(session)),
        "agencies": all_agencies(session),
        "provinces": all_provinces(session),
        "dues": list(DUE_LABELS.items()),
        "sorts": list(SORT_LABELS.items()),
    }
