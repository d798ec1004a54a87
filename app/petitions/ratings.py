"""The sender (his account, or his case's link) rates a published answer, once (a second rating replaces the
first, both audited)."""

from sqlalchemy import select

from app.audit.log import record
from app.db import utcnow
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
