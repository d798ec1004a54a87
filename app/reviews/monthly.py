"""The scheduler's monthly job: on the first working day of a month (each province's calendar, from the office's
opening) it starts `processes/monthly_review.bpmn` once for each unit of the province — its intake office, and each
agency that answered cases or got a one-star rating last month — with the list of last month's cases to review.

Why the scheduler and not a BPMN timer alone: SpiffWorkflow runs the instances it is given and has no deployment-
level timer start that creates instances, and a cycle expression knows no holidays. So the model's start event is a
timer (`review_starts`, the opening of the first working day) that the instance created here passes at once, and
the choice of day, units and the once-only rule live here. One instance per unit and month: the first worker to
insert the (agency, month) row of MonthlyReview starts it, in the same transaction (as the staff digests do).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from app.agencies.models import Agency, Province
from app.audit.log import record
from app.audit.models import AuditEntry
from app.calendars.store import current_book
from app.calendars.working_days import VIETNAM
from app.db import utcnow
from app.engine.deployment import latest_definition
from app.engine.runtime import start_instance
from app.engine.saving import save
from app.petitions.models import Petition, Rating

from .models import MonthlyReview, ReviewCase, RuleFlag

PROCESS = "monthly_review"
STEP = "monthly_review"  # the policy step of the review task's period (calendars/policies)
STARTED = "review.started"


@dataclass(frozen=True)
class Month:
    """A calendar month in Vietnam time: its first day and the UTC instants it spans."""

    first: date

    @property
    def key(self) -> str:
        return self.first.strftime("%Y-%m")

    @property
    def label(self) -> str:
        return self.first.strftime("%m/%Y")

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time(0), VIETNAM)

    @property
    def end(self) -> datetime:
        following = (self.first + timedelta(days=32)).replace(day=1)
        return datetime.combine(following, time(0), VIETNAM)


def month_before(day: date) -> Month:
    return Month((day.replace(day=1) - timedelta(days=1)).replace(day=1))


def first_working_day(calendar, day: date) -> date:
    """The first working day of `day`'s month."""
    first = day.replace(day=1)
    return first if calendar.is_working_day(first) else calendar.next_working_day(first)


def start_monthly_reviews(session, now: datetime | None = None, worker: str | None = None) -> list[int]:
    """Start the reviews of last month due by now (from the first working day on, so a worker that was down starts
    them when back); returns the new instances. Each unit's start is its own transaction."""
    now = now or utcnow()
    definition = latest_definition(session, PROCESS)
    if definition is None:
        return []
    today, book, started = now.astimezone(VIETNAM).date(), current_book(session), []
    for province in list(session.scalars(select(Province.code).order_by(Province.code))):
        calendar = book.calendar(province)
        opening = calendar.opening_of(first_working_day(calendar, today))
        if now < opening:
            continue
        month = month_before(today)
        for agency in review_units(session, province, month):
            instance_id = start_review(session, definition, agency, month, opening, book.due(province, STEP, now),
                                       worker)  # fmt: skip
            if instance_id is not None:
                started.append(instance_id)
    return started


def review_units(session, province: str, month: Month) -> list[Agency]:
    """The province's intake office, and each agency of it that had an answer published or a one-star rating in the
    month (as lead agency), not yet reviewed for that month."""
    answered = select(Petition.lead_agency_id).where(
        Petition.published_at >= month.start, Petition.published_at < month.end
    )
    rated = (
        select(Petition.lead_agency_id)
        .join(Rating, Rating.petition_id == Petition.id)
        .where(Rating.stars == 1, Rating.rated_at >= month.start, Rating.rated_at < month.end)
    )
    done = exists().where(MonthlyReview.agency_id == Agency.id, MonthlyReview.month == month.key)
    query = (
        select(Agency)
        .where(Agency.province_code == province, ~done)
        .where(Agency.is_intake_office.is_(True) | Agency.id.in_(answered) | Agency.id.in_(rated))
        .order_by(Agency.code)
    )
    return list(session.scalars(query))


def cases_to_review(session, agency: Agency, month: Month) -> dict[int, list[str]]:
    """petition id → why the unit reviews it: hidden (by the intake office in the month, still hidden), one_star
    (rated 1 in the month, the unit led it), flagged (flagged in the month, not hidden)."""
    found: dict[int, list[str]] = {}
    in_month = (AuditEntry.at >= month.start) & (AuditEntry.at < month.end)
    if agency.is_intake_office:
        hidden_then = select(AuditEntry.petition_id).where(
            AuditEntry.action == "petition.hidden", AuditEntry.outcome == "ok", in_month
        )
        hidden = select(Petition.id).where(
            Petition.province_code == agency.province_code,
            Petition.hidden.is_(True),
            Petition.state_secret.is_(False),
            Petition.id.in_(hidden_then),
        )
        flagged = (
            select(Petition.id)
            .join(RuleFlag, RuleFlag.petition_id == Petition.id)
            .where(Petition.province_code == agency.province_code, Petition.hidden.is_(False))
            .where(RuleFlag.flagged_at >= month.start, RuleFlag.flagged_at < month.end)
        )
        for reason, query in (("hidden", hidden), ("flagged", flagged)):
            for petition_id in session.scalars(query):
                found.setdefault(petition_id, []).append(reason)
    one_star = (
        select(Petition.id)
        .join(Rating, Rating.petition_id == Petition.id)
        .where(Petition.lead_agency_id == agency.id, Rating.stars == 1)
        .where(Rating.rated_at >= month.start, Rating.rated_at < month.end)
    )
    for petition_id in session.scalars(one_star):
        found.setdefault(petition_id, []).append("one_star")
    return found


def start_review(session, definition, agency: Agency, month: Month, opening, due, worker) -> int | None:
    """Start one unit's review in one transaction; None when another worker (or an earlier run) did: a worker that
    listed the unit before another one's start committed finds the (agency, month) row taken."""
    try:
        with session.begin_nested():
            review = MonthlyReview(agency_id=agency.id, month=month.key, started_by=worker)
            session.add(review)
            session.flush()
    except IntegrityError:
        session.rollback()
        return None
    cases = cases_to_review(session, agency, month)
    data = {
        "review_id": review.id,
        "agency": agency.code,
        "month": month.key,
        "month_label": month.label,
        "review_starts": opening.isoformat(),
        "review_due": due.astimezone(VIETNAM).isoformat(),
    }
    try:
        with session.no_autoflush:
            running = start_instance(session, definition, None, data, {})
        save(session, running, None)
        review.instance_id = running.row.id
        for petition_id, why in sorted(cases.items()):
            session.add(ReviewCase(review_id=review.id, petition_id=petition_id, reasons=",".join(why)))
        codes = dict(session.execute(select(Petition.id, Petition.tracking_code).where(Petition.id.in_(cases))).all())
        listed = {codes[p]: why for p, why in cases.items()}
        record(
            session,
            None,
            STARTED,
            instance_id=running.row.id,
            data={"agency": agency.code, "month": month.key, "due": due, "cases": listed},
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return running.row.id
