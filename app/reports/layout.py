"""A report laid out once, as titled tables, for both the Excel and the PDF renderer; and seed 004's sentences."""

from dataclasses import dataclass

from app.calendars.working_days import VIETNAM
from app.translation import current_language, lazy_gettext

from .content import Report


@dataclass
class Table:
    code: str  # the sheet's anchor: totals, kinds, fields, overdue
    heading: str
    columns: tuple[str, ...]
    rows: list[tuple]


def generated_line(report: Report) -> str:
    local = report.generated_at.astimezone(VIETNAM)
    return str(lazy_gettext("Lập lúc %(at)s (giờ Việt Nam).")) % {"at": f"{local:%d/%m/%Y %H:%M}"}


def number(value) -> str:
    """A figure as text in the language of the moment: 51,64 in Vietnamese, 51.64 in English; — for none."""
    if value is None:
        return "—"
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")
    if current_language() == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def summary(report: Report) -> list[str]:
    """Seed 004's sentences: received and in scope, forwarded and waiting, answered of forwarded with the share."""
    t = report.totals
    return [
        str(lazy_gettext("Tiếp nhận %(received)s PAKN, trong đó %(in_scope)s PAKN thuộc phạm vi xem xét, xử lý."))
        % {"received": number(t.received), "in_scope": number(t.in_scope)},
        str(lazy_gettext("Đã chuyển %(forwarded)s/%(in_scope)s PAKN đến cơ quan có thẩm quyền; %(waiting)s PAKN "
                         "đang chờ người gửi bổ sung thông tin."))
        % {"forwarded": number(t.forwarded), "in_scope": number(t.in_scope), "waiting": number(t.awaiting_info)},
        str(lazy_gettext("Đã xem xét, trả lời %(answered)s/%(forwarded)s PAKN, chiếm %(share)s%%."))
        % {"answered": number(t.answered), "forwarded": number(t.forwarded), "share": number(t.answered_share)},
    ]  # fmt: skip


def tables(report: Report) -> list[Table]:
    figure, value, count, share = (
        str(lazy_gettext("Chỉ tiêu")), str(lazy_gettext("Số liệu")), str(lazy_gettext("Số PAKN")),
        str(lazy_gettext("Tỷ lệ (%)")),
    )  # fmt: skip
    return [
        Table(
            "totals",
            str(lazy_gettext("I. Số liệu tổng hợp")),
            (figure, value),
            [(str(definition), amount) for _code, amount, definition in report.totals.items()],
        ),
        Table(
            "kinds",
            str(lazy_gettext("II. PAKN thuộc phạm vi theo loại")),
            (str(lazy_gettext("Loại")), count, share),
            [(s.name, s.count, s.share) for s in report.kinds],
        ),
        Table(
            "fields",
            str(lazy_gettext("III. PAKN thuộc phạm vi theo lĩnh vực")),
            (str(lazy_gettext("Lĩnh vực")), count, share),
            [(s.name, s.count, s.share) for s in report.fields],
        ),
        Table(
            "overdue",
            str(lazy_gettext("IV. Công việc quá hạn theo cơ quan chủ trì (tính đến lúc lập báo cáo)")),
            (str(lazy_gettext("Cơ quan")), str(lazy_gettext("Số công việc quá hạn"))),
            list(report.overdue),
        ),
    ]
