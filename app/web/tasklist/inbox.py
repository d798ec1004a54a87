"""The inbox page's query string read into filters, and the filter form's options in the reader's language."""

from app.petitions.queries import active_fields, all_provinces, open_status_codes
from app.tasks.queries import DUE_FILTERS, HOLDER_FILTERS, InboxFilters
from app.translation import lazy_gettext

from .labels import status_name, translated_options

DUE_LABELS = {"": lazy_gettext("Tất cả"), "overdue": lazy_gettext("Quá hạn"), "soon": lazy_gettext("Sắp đến hạn")}
HOLDER_LABELS = {
    "": lazy_gettext("Tất cả"),
    "mine": lazy_gettext("Tôi đã nhận"),
    "free": lazy_gettext("Chưa ai nhận"),
    "others": lazy_gettext("Cán bộ khác đang xử lý"),
}


def read_filters(args) -> InboxFilters:
    """Filters from the query string; an unknown due filter or page reads as none."""
    page = args.get("page", "")
    filters = InboxFilters(
        field=(args.get("field") or "").strip(),
        status=(args.get("status") or "").strip(),
        province=(args.get("province") or "").strip(),
        due=(args.get("due") or "").strip(),
        holder=(args.get("holder") or "").strip(),
        page=int(page) if page.isdigit() and len(page) < 7 else 1,
    )
    if filters.due not in DUE_FILTERS:
        filters.due = ""
    if filters.holder not in HOLDER_FILTERS:
        filters.holder = ""
    return filters


def filter_choices(session, role: str) -> dict:
    """Options of the filter form: fields, open statuses, provinces, deadlines and holders (labels in the current
    language; tasks a colleague holds only for a leader, the only one who sees them)."""
    return {
        "fields": translated_options(active_fields(session)),
        "statuses": [(code, status_name(code)) for code in open_status_codes(session)],
        "provinces": all_provinces(session),
        "dues": list(DUE_LABELS.items()),
        "holders": [(code, label) for code, label in HOLDER_LABELS.items() if code != "others" or role == "leader"],
    }


# The start page's counts (app.tasks.queries.workload), each a link to the inbox narrowed to it: (key, label,
# filter, badge class). What a colleague holds counts for a leader only: nobody else sees those tasks.
WORKLOAD_LINKS = (
    ("open", lazy_gettext("Đang chờ xử lý"), {}, ""),
    ("free", HOLDER_LABELS["free"], {"holder": "free"}, ""),
    ("mine", HOLDER_LABELS["mine"], {"holder": "mine"}, ""),
    ("others", HOLDER_LABELS["others"], {"holder": "others"}, ""),
    ("soon", DUE_LABELS["soon"], {"due": "soon"}, "soon"),
    ("late", DUE_LABELS["overdue"], {"due": "overdue"}, "late"),
)


def workload_links(work: dict[str, int], role: str) -> list[tuple[int, str, dict, str]]:
    """(count, label, inbox filter, badge class) of the counts that matter to the role."""
    return [
        (work[key], str(label), query, badge)
        for key, label, query, badge in WORKLOAD_LINKS
        if key != "others" or role == "leader"
    ]
