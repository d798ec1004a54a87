"""What a periodic report says (seed 004's shape): the totals, the shares by kind and by field of the PAKN in scope,
forwarded and answered with the percentage, and the overdue tasks by agency. Every number is a figure of
app/statistics/figures.py for the report's slice (kind, field, agency narrow the same slice); none is computed here."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from app.agencies.models import Agency, Province
from app.db import utcnow
from app.engine.models import WorkItem
from app.petitions.catalog import KINDS
from app.petitions.models import Petition
from app.statistics.figures import Figures, Slice, by_field, figures
from app.statistics.figures import _share as share  # the one rounding of a share (%)
from app.translation import current_language, lazy_gettext, translate

from .periods import ReportPeriod

NATIONAL = "toan-quoc"  # the archive's province code of the country's report
COUNTRY = lazy_gettext("Cả nước")
NO_AGENCY = lazy_gettext("Chưa chuyển cơ quan giải quyết (bộ phận đầu mối)")


@dataclass
class Share:
    name: str
    count: int  # PAKN in scope
    share: float | None  # of all PAKN in scope, %


@dataclass
class Report:
    province: str  # a province's code, or NATIONAL
    place: str  # its name
    period: ReportPeriod
    generated_at: datetime
    totals: Figures
    kinds: list[Share] = field(default_factory=list)
    fields: list[Share] = field(default_factory=list)
    overdue: list[tuple[str, int]] = field(default_factory=list)  # (agency, overdue tasks), most first

    @property
    def title(self) -> str:
        return str(lazy_gettext("Báo cáo tình hình tiếp nhận, xử lý phản ánh, kiến nghị"))

    @property
    def subtitle(self) -> str:
        return f"{self.place} — {self.period.label}"


def build_report(session, province: str | None, period: ReportPeriod, now: datetime | None = None) -> Report:
    """The report of a province (its code) or of the country (None or NATIONAL) for the period."""
    now = now or utcnow()
    code = province if province and province != NATIONAL else None
    slice_ = Slice(province=code)
    place = session.scalar(select(Province.name).where(Province.code == code)) if code else str(COUNTRY)
    totals = figures(session, period.period, slice_, now)
    report = Report(province or NATIONAL, place or code, period, now, totals)
    for kind, name in KINDS.items():
        count = figures(session, period.period, Slice(province=code, kind=kind), now).in_scope
        if count:
            report.kinds.append(Share(str(name), count, share(count, totals.in_scope)))
    for field_code, name, _received, _answered in by_field(session, period.period, slice_):
        count = figures(session, period.period, Slice(province=code, field_code=field_code), now).in_scope
        if count:
            report.fields.append(Share(translate(name, current_language()), count, share(count, totals.in_scope)))
    report.kinds.sort(key=lambda s: -s.count)
    report.fields.sort(key=lambda s: -s.count)
    report.overdue = _overdue_by_agency(session, period, code, totals.overdue_now, now)
    return report


def _overdue_by_agency(session, period, province, overdue_now: int, now) -> list[tuple[str, int]]:
    """Each lead agency's overdue tasks (figures' overdue_now of its slice); the rest are the intake office's."""
    with_overdue = (
        select(Agency.code, Agency.name)
        .join(Petition, Petition.lead_agency_id == Agency.id)
        .join(WorkItem, WorkItem.business_key == Petition.tracking_code)
        .where(WorkItem.state == "ready", WorkItem.due_at < now)  # which agencies to ask figures about
        .distinct()
    )
    if province:
        with_overdue = with_overdue.where(Petition.province_code == province)
    rows = []
    for code, name in session.execute(with_overdue).all():
        count = figures(session, period.period, Slice(province=province, agency=code), now).overdue_now
        if count:
            rows.append((name, count))
    rest = overdue_now - sum(count for _, count in rows)
    if rest:
        rows.append((str(NO_AGENCY), rest))
    return sorted(rows, key=lambda row: (-row[1], row[0]))
