"""The figures the law asks for (seed 002 Art. 13; seed 004's report), for any period and slice, by SQL aggregates.

A figure counts the petitions *received in the period* (in Vietnam's days) that match the slice, as they stand
now, except `overdue_now` (every open task of the slice past its due instant, whenever received). Each figure's
definition is written once, in DEFINITIONS, and shown wherever the figure is. Hidden and state-secret cases are
counted (and `hidden` says how many) but never described here.
"""

from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from statistics import median

from sqlalchemy import and_, case, func, select, true

from app.agencies.models import Agency
from app.calendars.store import current_book
from app.calendars.working_days import VIETNAM, working_days_between
from app.db import utcnow
from app.engine.models import WorkItem
from app.petitions.models import Field, Petition, Rating
from app.translation import lazy_gettext

ONE_DAY = timedelta(days=1)
ANSWERED = ("reviewing", "publishing", "published")  # the agency's leader approved an answer

DEFINITIONS = {
    "received": lazy_gettext("PAKN tiếp nhận trong kỳ (theo ngày giờ Việt Nam)."),
    "rejected": lazy_gettext("Trong số đó, bị từ chối tiếp nhận."),
    "in_scope": lazy_gettext("Thuộc phạm vi: tiếp nhận trừ từ chối."),
    "awaiting_info": lazy_gettext("Đang chờ người gửi bổ sung thông tin."),
    "forwarded": lazy_gettext("Đã chuyển cơ quan giải quyết (kể cả bộ phận đầu mối tự giải quyết)."),
    "answered": lazy_gettext("Đã có kết quả trả lời được lãnh đạo cơ quan duyệt."),
    "answered_share": lazy_gettext("Tỷ lệ đã trả lời trên số đã chuyển giải quyết (%)."),
    "published": lazy_gettext("Đã công khai kết quả trả lời."),
    "on_time": lazy_gettext("Đã trả lời, không quá hạn trả lời."),
    "late": lazy_gettext("Đã trả lời, quá hạn trả lời."),
    "days_mean": lazy_gettext("Số ngày làm việc trung bình từ tiếp nhận đến khi công khai kết quả."),
    "days_median": lazy_gettext("Trung vị số ngày làm việc từ tiếp nhận đến khi công khai kết quả."),
    "overdue_now": lazy_gettext("PAKN có công việc đang mở đã quá hạn, tính đến lúc xem (mọi PAKN của phạm vi)."),
    "hidden": lazy_gettext("Đã ẩn khỏi cổng công khai (vẫn được đếm và xử lý)."),
    "rating_mean": lazy_gettext("Điểm hài lòng trung bình (1–5 sao)."),
    "one_star_share": lazy_gettext("Tỷ lệ đánh giá 1 sao (%)."),
}


# The condition a petition received in the period meets to count in each counted figure: the one place the
# figures, the staff dashboards and the case list behind each number read it.
_answered = Petition.status.in_(ANSWERED)
COUNTED = {
    "received": true(),
    "rejected": Petition.status == "rejected",
    "in_scope": Petition.status != "rejected",
    "awaiting_info": Petition.status == "awaiting_info",
    "forwarded": Petition.forwarded_at.is_not(None),
    "answered": _answered,
    "published": Petition.published_at.is_not(None),
    "on_time": and_(_answered, Petition.late.is_(False)),
    "late": and_(_answered, Petition.late.is_(True)),
    "hidden": Petition.hidden.is_(True),
}


def overdue_task(now: datetime):
    """A work item that puts its case in `overdue_now`: open and past its due instant."""
    return and_(WorkItem.state == "ready", WorkItem.due_at < now)


@dataclass(frozen=True)
class Slice:
    """Which petitions: every value given must match (None: any)."""

    province: str | None = None
    commune_code: int | None = None
    agency: str | None = None  # the lead agency's code
    field_code: str | None = None
    kind: str | None = None
    channel: str | None = None


@dataclass(frozen=True)
class Period:
    """Days in Vietnam, from `start` to `end` inclusive."""

    start: date
    end: date

    def bounds(self) -> tuple[datetime, datetime]:
        return datetime.combine(self.start, time(0), VIETNAM), datetime.combine(self.end + ONE_DAY, time(0), VIETNAM)


@dataclass
class Figures:
    received: int = 0
    rejected: int = 0
    in_scope: int = 0
    awaiting_info: int = 0
    forwarded: int = 0
    answered: int = 0
    answered_share: float | None = None
    published: int = 0
    on_time: int = 0
    late: int = 0
    days_mean: float | None = None
    days_median: float | None = None
    overdue_now: int = 0
    hidden: int = 0
    rating_mean: float | None = None
    one_star_share: float | None = None

    def items(self):
        """(code, value, definition) in the order of DEFINITIONS."""
        return [(f.name, getattr(self, f.name), DEFINITIONS[f.name]) for f in fields(self)]


def slice_conditions(slice_: Slice) -> list:
    conditions = []
    for column, value in ((Petition.province_code, slice_.province), (Petition.commune_code, slice_.commune_code),
                          (Petition.field_code, slice_.field_code), (Petition.kind, slice_.kind),
                          (Petition.channel, slice_.channel)):  # fmt: skip
        if value is not None:
            conditions.append(column == value)
    if slice_.agency is not None:
        conditions.append(
            Petition.lead_agency_id == select(Agency.id).where(Agency.code == slice_.agency).scalar_subquery()
        )
    return conditions


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def figures(session, period: Period, slice_: Slice = Slice(), now: datetime | None = None) -> Figures:
    """Every figure of the period and slice: one aggregate query, one for ratings, one for the days to answer,
    one for the overdue tasks."""
    now = now or utcnow()
    first, after = period.bounds()
    scope = [Petition.received_at >= first, Petition.received_at < after, *slice_conditions(slice_)]
    counted = ("received", "rejected", "awaiting_info", "forwarded", "answered", "published", "on_time", "late",
               "hidden")  # fmt: skip
    counts = session.execute(
        select(*(func.sum(case((COUNTED[code], 1), else_=0)) for code in counted)).where(*scope)
    ).one()
    result = Figures(**{code: int(value or 0) for code, value in zip(counted, counts, strict=True)})
    result.in_scope = result.received - result.rejected
    result.answered_share = _share(result.answered, result.forwarded)
    stars = session.execute(
        select(func.avg(Rating.stars), func.count(Rating.id), func.sum(case((Rating.stars == 1, 1), else_=0)))
        .join(Petition, Petition.id == Rating.petition_id)
        .where(*scope)
    ).one()
    result.rating_mean = round(float(stars[0]), 2) if stars[0] is not None else None
    result.one_star_share = _share(int(stars[2] or 0), int(stars[1] or 0))
    _days_to_answer(session, scope, result)
    result.overdue_now = session.scalar(  # cases, not tasks: a late case's progress update is not a second one
        select(func.count(func.distinct(Petition.id)))
        .select_from(WorkItem)
        .join(Petition, Petition.tracking_code == WorkItem.business_key)  # its clarifications' tasks too
        .where(overdue_task(now), *slice_conditions(slice_))
    )
    return result


def _days_to_answer(session, scope, result: Figures):
    """Working days from receipt to publication, on each case's province calendar (two columns read, no workflow)."""
    rows = session.execute(
        select(Petition.province_code, Petition.received_at, Petition.published_at).where(
            *scope, Petition.published_at.is_not(None)
        )
    ).all()
    if not rows:
        return
    book = current_book(session)
    days = [
        working_days_between(book.calendar(province), received, published) for province, received, published in rows
    ]
    result.days_mean = round(sum(days) / len(days), 2)
    result.days_median = float(median(days))


def by_field(session, period: Period, slice_: Slice = Slice()) -> list[tuple[str, str, int, int]]:
    """(field code, field name, received, answered) of the period, most received first."""
    first, after = period.bounds()
    rows = session.execute(
        select(
            Petition.field_code,
            Field.name,
            func.count(Petition.id),
            func.sum(case((COUNTED["answered"], 1), else_=0)),
        )
        .join(Field, Field.code == Petition.field_code)
        .where(Petition.received_at >= first, Petition.received_at < after, *slice_conditions(slice_))
        .group_by(Petition.field_code, Field.name)
    ).all()
    return sorted(((code, name, int(n), int(a or 0)) for code, name, n, a in rows), key=lambda r: (-r[2], r[1]))


def monthly(session, last: date, months: int = 12, slice_: Slice = Slice()) -> list[tuple[date, int, int]]:
    """(first day of the month, received, answered on time) for the `months` months ending with `last`'s."""
    starts = []
    year, month = last.year, last.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    series = []
    on_time = COUNTED["on_time"]
    for start in reversed(starts):  # one aggregate a month: the page needs two counts, not every figure
        first, after = Period(start, start).bounds()[0], datetime.combine(_next_month(start), time(0), VIETNAM)
        received, answered = session.execute(
            select(func.count(Petition.id), func.sum(case((on_time, 1), else_=0))).where(
                Petition.received_at >= first, Petition.received_at < after, *slice_conditions(slice_)
            )
        ).one()
        series.append((start, int(received), int(answered or 0)))
    return series


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)
