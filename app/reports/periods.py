"""Report periods: a month (2026-09), a quarter (2026-Q3) or a year (2026), in Vietnam's days."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from app.statistics.figures import Period
from app.translation import lazy_gettext

SYNTAX = re.compile(r"^(\d{4})(?:-(0[1-9]|1[0-2])|-[Qq]([1-4]))?$")
INVALID = lazy_gettext("Kỳ báo cáo «%(text)s» không hợp lệ: viết 2026-09 (tháng), 2026-Q3 (quý) hoặc 2026 (năm).")
KINDS = ("month", "quarter", "year")


class PeriodInvalid(ValueError):
    """A period written otherwise than YYYY-MM, YYYY-Qn or YYYY; the message names the three forms."""

    def __init__(self, text: str):
        self.text = text
        super().__init__(str(INVALID) % {"text": text})


@dataclass(frozen=True)
class ReportPeriod:
    code: str  # as written back: 2026-09, 2026-Q3, 2026
    kind: str  # month, quarter or year
    period: Period

    @property
    def label(self) -> str:
        start = self.period.start
        if self.kind == "month":
            return str(lazy_gettext("Tháng %(month)s/%(year)s")) % {"month": f"{start.month:02d}", "year": start.year}
        if self.kind == "quarter":
            return str(lazy_gettext("Quý %(quarter)s/%(year)s")) % {"quarter": self.code[-1], "year": start.year}
        return str(lazy_gettext("Năm %(year)s")) % {"year": start.year}


def parse_period(text: str) -> ReportPeriod:
    """The period a code names; PeriodInvalid otherwise."""
    found = SYNTAX.match((text or "").strip())
    if not found or not 2000 <= int(found.group(1)) <= 2100:  # the years the calendar pages show
        raise PeriodInvalid(text or "")
    year, month, quarter = int(found.group(1)), found.group(2), found.group(3)
    if month:
        return month_period(year, int(month))
    if quarter:
        return quarter_period(year, int(quarter))
    return ReportPeriod(str(year), "year", Period(date(year, 1, 1), date(year, 12, 31)))


def month_period(year: int, month: int) -> ReportPeriod:
    return ReportPeriod(f"{year}-{month:02d}", "month", Period(date(year, month, 1), _last_day(year, month)))


def quarter_period(year: int, quarter: int) -> ReportPeriod:
    first = 3 * quarter - 2
    return ReportPeriod(f"{year}-Q{quarter}", "quarter", Period(date(year, first, 1), _last_day(year, first + 2)))


def _last_day(year: int, month: int) -> date:
    return date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)


def last_periods(day: date) -> list[ReportPeriod]:
    """The month, the quarter and the year that ended last before `day`."""
    month_end = date(day.year, day.month, 1) - timedelta(days=1)
    quarter_start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    quarter_end = quarter_start - timedelta(days=1)
    return [
        month_period(month_end.year, month_end.month),
        quarter_period(quarter_end.year, (quarter_end.month + 2) // 3),
        parse_period(str(day.year - 1)),
    ]
