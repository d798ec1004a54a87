"""The sender (his account, or his case's link) rates a published answer, once (a second rating replaces the
first, both audited)."""

from dataclasses import dataclass

from sqlalchemy import func, select

from app.agencies.models import Agency
from app.audit.log import record
from app.db import utcnow
from app.engine.models import WorkItem
from app.errors import FieldError, FormInvalid, PermissionDenied
from app.text_rules import has_control
from app.transaction import operation

from .models import Petition, Rating
from .senders import is_sender_of


@operation
def rate_answer(session, actor, petition: Petition, stars, comment: str = "") -> Rating:
    if not is_sender_of(actor, petition):
        raise PermissionDenied(
            "only the sender rates the answer", actor=actor, action="petition.rated", petition=petition
        )
    if petition.published_at is None:
        raise FormInvalid([FieldError("stars", "not_published", {"label": "Đánh giá"})])
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = 0
    errors = []
    if not 1 <= stars <= 5:
        errors.append(FieldError("stars", "enum", {"label": "Số sao", "allowed": "1, 2, 3, 4, 5"}))
    if has_control(comment):
        errors.append(FieldError("comment", "control_chars", {"label": "Nhận xét"}))
    elif comment and len(comment) > 2000:
        errors.append(FieldError("comment", "maxlength", {"label": "Nhận xét", "limit": 2000}))
    if errors:
        raise FormInvalid(errors)
    rating = session.scalar(select(Rating).where(Rating.petition_id == petition.id))
    before = {"stars": rating.stars, "comment": rating.comment} if rating else None
    rating = rating or Rating(petition_id=petition.id)
    rating.stars, rating.comment, rating.rated_by, rating.rated_at = (
        stars,
        comment.strip() or None,
        actor.username,
        utcnow(),
    )
    session.add(rating)
    record(
        session, actor, "petition.rated", petition=petition, data={"stars": stars, "comment": comment, "before": before}
    )
    return rating


def may_see_rating(user, petition: Petition) -> bool:
    """Who reads a case's rating (issue 16): its sender, the answering agency's leaders, the province's intake
    office and auditors; not the public, not handlers."""
    if user is None or not getattr(user, "active", False):
        return False
    if user.role == "auditor" or is_sender_of(user, petition):
        return True
    agency = user.agency
    if agency is None:
        return False
    if user.role == "leader":
        return petition.lead_agency_id == agency.id
    return user.role == "intake" and agency.is_intake_office and agency.province_code == petition.province_code


def rating_for(session, user, petition: Petition | None) -> Rating | None:
    """The case's rating when `user` may read it (may_see_rating), else None."""
    if petition is None or not may_see_rating(user, petition):
        return None
    return session.scalar(select(Rating).where(Rating.petition_id == petition.id))


@dataclass(frozen=True)
class RatedCase:
    """A rating as the staff's list shows it, with the task of the reader's agency that opens the case."""

    rating: Rating
    petition: Petition
    agency_name: str | None
    item_id: int | None


RATINGS_PAGE = 100


def ratings_seen_by(session, user, stars: int | None = None) -> list[RatedCase]:
    """The ratings `user` may read (may_see_rating, as one query), latest first, optionally of `stars` only."""
    query = select(Rating, Petition).join(Petition, Petition.id == Rating.petition_id)
    agency = user.agency if user is not None else None
    if user is None or not user.active:
        return []
    if user.role == "leader" and agency is not None:
        query = query.where(Petition.lead_agency_id == agency.id)
    elif user.role == "intake" and agency is not None and agency.is_intake_office:
        query = query.where(Petition.province_code == agency.province_code)
    elif user.role != "auditor":
        return []
    if stars is not None:
        query = query.where(Rating.stars == stars)
    rows = session.execute(query.order_by(Rating.rated_at.desc(), Rating.id.desc()).limit(RATINGS_PAGE)).all()
    names = dict(session.execute(select(Agency.id, Agency.name)).all())
    own = user.agency_code
    items = dict(
        session.execute(
            select(WorkItem.instance_id, func.max(WorkItem.id))
            .where(WorkItem.instance_id.in_([p.instance_id for _, p in rows]), WorkItem.agency_code == own)
            .group_by(WorkItem.instance_id)
        ).all()
    ) if own else {}  # fmt: skip
    return [RatedCase(r, p, names.get(p.lead_agency_id), items.get(p.instance_id)) for r, p in rows]
