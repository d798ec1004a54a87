"""The inbox page's query string read into filters, and the filter form's options in the reader's language."""

from app.petitions.queries import active_fields, all_provinces, open_status_codes
from app.tasks.queries import DUE_FILTERS, InboxFilters
from app.translation import lazy_gettext

from .labels import status_name, translated_options

DUE_LABELS = {"": lazy_gettext("Tất cả"), "overdue": lazy_gettext("Quá hạn"), "soon": lazy_gettext("Sắp đến hạn")}


def read_filters(args) -> InboxFilters:
    """Filters from the query string; an unknown due filter or page reads as none."""
    page = args.get("page", "")
    filters = InboxFilters(
        field=(args.get("field") or "").strip(),
        status=(args.get("status") or "").strip(),
        province=(args.get("province") or "").strip(),
        due=(args.get("due") or "").strip(),
        page=int(page) if page.isdigit() and len(page) < 7 else 1,
    )
    if filters.due not in DUE_FILTERS:
        filters.due = ""
    return filters


def filter_choices(session) -> dict:
    """Options of the filter form: fields, open statuses, provinces (labels in the current language)."""
    return {
        "fields": translated_options(active_fields(session)),
        "statuses": [(code, status_name(code)) for code in open_status_codes(session)],
        "provinces": all_provinces(session),
        "dues": list(DUE_LABELS.items()),
    }
