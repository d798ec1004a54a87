"""The auditors' search: petitions with their instances, by tracking code, status, agency, province, dates, lateness."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.agencies.models import Agency, Province
from app.petitions.models import CaseDeadline, Petition, PetitionStatus
from app.petitions.queries import narrowed
from app.petitions.tracking import normalize


@dataclass
class Filters:
    code: str = ""
    status: str = ""
    agency: str = ""
    province: str = ""
    received_from: datetime | None = None
    received_to: datetime | None = None
    overdue: bool = False


def search(session, filters: Filters, limit: int = 200) -> list[Petition]:
    """Petitions (each with its instance), newest first."""
    query = select(Petition).where(Petition.instance_id.is_not(None))
    if filters.code:
        query = query.where(Petition.tracking_code.like(f"%{normalize(filters.code)}%"))
    query = narrowed(query, status=filters.status, province=filters.province, agency=filters.agency)
    if filters.received_from:
        query = query.where(Petition.received_at >= filters.received_from)
    if filters.received_to:
        query = query.where(Petition.received_at <= filters.received_to)
    if filters.overdue:
        query = query.where(Petition.late.is_(True) | Petition.id.in_(_with_missed_deadline()))
    return list(session.scalars(query.order_by(Petition.received_at.desc(), Petition.id.desc()).limit(limit)))


def _with_missed_deadline():
    return select(CaseDeadline.petition_id).where(CaseDeadline.overdue_at.is_not(None))


def filter_choices(session) -> dict:
    """Options of the search form: statuses in the flow's order, agencies and provinces by name."""
    return {
        "statuses": session.scalars(select(PetitionStatus).order_by(PetitionStatus.sort_order)).all(),
        "agencies": session.execute(select(Agency.code, Agency.name).order_by(Agency.name)).all(),
        "provinces": session.execute(select(Province.code, Province.name).order_by(Province.name)).all(),
    }
