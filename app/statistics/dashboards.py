"""The staff dashboards (issue 17 point 3): the figures of figures.py for the reader's reach and a chosen period,
with the cases behind every number one filter of the case list (app/petitions/unit_cases.py) away.

- a leader (or handler) sees his agency: the cases it leads, and a leader his people's open, due-soon and overdue
  tasks (counted as cases, as their list shows them);
- the intake office sees its province and every agency of it ranked by on-time rate, then overdue count;
- auditors and the chair's office see the country and every province ranked the same way, or one province's
  agencies.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select

from app.accounts.models import User
from app.agencies.models import Agency, Province
from app.agencies.queries import name_order
from app.db import utcnow
from app.deadlines.status import due_soon
from app.engine.models import WorkItem
from app.petitions.models import Petition
from app.petitions.unit_cases import OVERSEERS, CaseFilters, unit_scope
from app.translation import lazy_gettext

from .figures import COUNTED, Figures, Period, Slice, figures, overdue_task, slice_conditions

ON_TIME_SHARE = lazy_gettext("Tỷ lệ trả lời đúng hạn trên số đã trả lời (%).")
SHOWN = (
    "received",
    "rejected",
    "in_scope",
    "awaiting_info",
    "forwarded",
    "answered",
    "published",
    "on_time",
    "late",
    "hidden",
    "overdue_now",
)  # fmt: skip — the counts: each links to its cases
LINE_FIGURES = ("received", "answered", "on_time", "late", "overdue_now")


@dataclass
class Line:
    """One agency or province of a ranking, its slice and counts (keys of LINE_FIGURES)."""

    code: str
    name: str
    slice: Slice
    counts: dict

    @property
    def on_time_share(self) -> float | None:
        answered = self.counts["answered"]
        return round(100 * self.counts["on_time"] / answered, 2) if answered else None


@dataclass
class Holder:
    """A member of the leader's agency and the cases of his open tasks: all, due soon, overdue."""

    username: str
    name: str
    open: int = 0
    soon: int = 0
    overdue: int = 0


@dataclass
class Dashboard:
    level: str  # "agency", "province", "country"
    title: str  # the agency's or province's name ("" for the country)
    period: Period
    slice: Slice
    figures: Figures
    lines: list[Line] = field(default_factory=list)  # ranked: best on-time rate first, then fewest overdue
    team: list[Holder] = field(default_factory=list)
    provinces: list = field(default_factory=list)  # (code, name) an overseer may narrow to

    def filters(self, code: str, line: Line | None = None) -> CaseFilters:
        """The case list's filters that show exactly the cases behind figure `code` (of a ranking's line)."""
        slice_ = line.slice if line else self.slice
        within = {} if code == "overdue_now" else {"start": self.period.start, "end": self.period.end}
        return CaseFilters(figure=code, province=slice_.province or "", agency=slice_.agency or "", **within)


def dashboard(session, user, period: Period, province: str | None = None, now: datetime | None = None):
    """What the user's dashboard shows; None for those who have none (citizens, administrators)."""
    now = now or utcnow()
    agency = user.agency
    if user.role in OVERSEERS:
        provinces = [tuple(r) for r in session.execute(select(Province.code, Province.name).order_by(Province.name))]
        if province not in {code for code, _ in provinces}:
            slice_ = Slice()
            lines = _country_lines(session, period, now)
            return Dashboard("country", "", period, slice_, figures(session, period, slice_, now), lines, [], provinces)
        shown = _province_view(session, period, province, now)
        shown.provinces = provinces
        return shown
    if unit_scope(user) is None:
        return None
    if agency.is_intake_office and user.role == "intake":
        return _province_view(session, period, agency.province_code, now)
    slice_ = Slice(agency=agency.code)
    team = _team(session, user, now) if user.role == "leader" else []
    return Dashboard("agency", agency.name, period, slice_, figures(session, period, slice_, now), [], team)


def _province_view(session, period: Period, province: str, now: datetime) -> Dashboard:
    slice_ = Slice(province=province)
    agencies = session.execute(select(Agency.id, Agency.code, Agency.name).where(Agency.province_code == province))
    keys = {id_: (code, name, Slice(province=province, agency=code)) for id_, code, name in agencies}
    lines = _ranked(session, period, slice_, Petition.lead_agency_id, keys, now)
    name = session.scalar(select(Province.name).where(Province.code == province)) or province
    return Dashboard("province", name, period, slice_, figures(session, period, slice_, now), lines)


def _country_lines(session, period: Period, now: datetime) -> list[Line]:
    provinces = session.execute(select(Province.code, Province.name))
    keys = {code: (code, name, Slice(province=code)) for code, name in provinces}
    return _ranked(session, period, Slice(), Petition.province_code, keys, now)


def _ranked(session, period: Period, slice_: Slice, key, keys: dict, now: datetime) -> list[Line]:
    """A line per key (value of the `key` column → its code, name and slice) with its counts of the period (one
    grouped aggregate, one for the overdue cases), best on-time rate first, then fewest overdue; zeros where no case
    of the period."""
    first, after = period.bounds()
    grouped = session.execute(
        select(key, *(func.sum(case((COUNTED[c], 1), else_=0)) for c in LINE_FIGURES[:-1]))
        .where(Petition.received_at >= first, Petition.received_at < after, *slice_conditions(slice_))
        .group_by(key)
    ).all()
    overdue = dict(
        session.execute(
            select(key, func.count(func.distinct(Petition.id)))
            .select_from(WorkItem)
            .join(Petition, Petition.tracking_code == WorkItem.business_key)  # its clarifications' tasks too
            .where(overdue_task(now), *slice_conditions(slice_))
            .group_by(key)
        ).all()
    )
    counts = {value: dict(zip(LINE_FIGURES[:-1], (int(n or 0) for n in rest), strict=True)) for value, *rest in grouped}
    lines = []
    for value, (code, name, line_slice) in keys.items():
        line_counts = counts.get(value) or dict.fromkeys(LINE_FIGURES[:-1], 0)
        line_counts["overdue_now"] = int(overdue.get(value, 0))
        lines.append(Line(code, name, line_slice, line_counts))
    lines.sort(
        key=lambda r: (r.on_time_share is None, -(r.on_time_share or 0), r.counts["overdue_now"], name_order(r.name))
    )
    return lines


def _team(session, leader, now: datetime) -> list[Holder]:
    """The agency's active staff and the cases of their open tasks, counted in SQL within the leader's list."""
    members = session.execute(
        select(User.username, User.full_name).where(User.agency_id == leader.agency_id, User.active.is_(True))
    ).all()
    usernames = [username for username, _ in members]
    scope = unit_scope(leader)
    soon = due_soon(session, now)  # as the list's
    columns = [func.count(func.distinct(Petition.id))]
    columns += [
        func.count(func.distinct(case((condition, Petition.id)))) for condition in (soon, WorkItem.due_at < now)
    ]
    rows = session.execute(
        select(WorkItem.assignee, *columns)
        .join(Petition, Petition.tracking_code == WorkItem.business_key)  # its clarifications' tasks too
        .where(WorkItem.state == "ready", WorkItem.assignee.in_(usernames), *scope)
        .group_by(WorkItem.assignee)
    ).all()
    held = {username: (int(n), int(s or 0), int(o or 0)) for username, n, s, o in rows}
    team = [Holder(username, name, *held.get(username, (0, 0, 0))) for username, name in members]
    return sorted(team, key=lambda h: (-h.overdue, -h.soon, -h.open, name_order(h.name)))
