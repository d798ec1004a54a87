"""A citizen's cases under his account: attaching one he sent without it (proved by its secret key), and the
steps of his cases he has not seen yet (the header's "Cập nhật mới")."""

import hmac

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from app.audit.log import record
from app.db import utcnow
from app.errors import PermissionDenied
from app.petitions.models import CaseEvent, Petition
from app.petitions.tracking import normalize
from app.transaction import operation

from .models import CaseSeen, User


class AttachRefused(PermissionDenied):
    """Wrong code or key, a case of another account, or not a citizen (audited; the page says so)."""


def _refuse(reason: str, citizen, petition=None, **data):
    raise AttachRefused(reason, actor=citizen, action="petition.attached", petition=petition, data=data)


def _attach(session, citizen: User, petition: Petition, key: str) -> Petition:
    if citizen is None or citizen.role != "citizen" or not citizen.active:
        _refuse("only a signed-in citizen attaches a case to his account", citizen, petition)
    if not hmac.compare_digest((petition.sender_key or "").encode(), (key or "").encode()) or not petition.sender_key:
        _refuse("wrong secret key", citizen, petition)
    if petition.sender_user_id not in (None, citizen.id):
        _refuse("the case belongs to another account", citizen, petition)
    if petition.sender_user_id == citizen.id:
        return petition
    petition.sender_user_id = citizen.id
    _seen(session, citizen, petition)  # he holds its link, so he has its page: old steps are not news
    record(session, citizen, "petition.attached", petition=petition)
    return petition


@operation
def attach_case(session, citizen: User, petition: Petition, key: str) -> Petition:
    """Put the case under the citizen's account, when `key` is its sender's secret and no other account has it."""
    return _attach(session, citizen, petition, key)


@operation
def attach_case_by_code(session, citizen: User, code: str, key: str) -> Petition:
    """As attach_case, the case named by its tracking code as typed; an unknown code is refused alike."""
    petition = session.scalar(select(Petition).where(Petition.tracking_code == normalize(code or "")))
    if petition is None:
        _refuse("unknown tracking code", citizen, code=(code or "")[:40])
    return _attach(session, citizen, petition, key)


def _seen(session, user: User, petition: Petition):
    row = session.get(CaseSeen, (user.id, petition.id))
    if row is None:
        session.add(CaseSeen(user_id=user.id, petition_id=petition.id, seen_at=utcnow()))
    else:
        row.seen_at = utcnow()


def mark_case_seen(session, user, petition: Petition):
    """The owner opened his case's page: its steps so far are seen. Anyone else: nothing happens.

    A read receipt, not a change of the case: committed on its own, not audited.
    """
    if user is None or not getattr(user, "is_authenticated", False) or petition.sender_user_id != user.id:
        return
    try:
        _seen(session, user, petition)
        session.commit()
    except IntegrityError:  # the same page opened twice at once: the other request wrote it
        session.rollback()


def _unread(user: User):
    seen = and_(CaseSeen.user_id == user.id, CaseSeen.petition_id == Petition.id)
    return (
        select(CaseEvent.petition_id, func.count(CaseEvent.id))
        .join(Petition, Petition.id == CaseEvent.petition_id)
        .outerjoin(CaseSeen, seen)
        .where(
            Petition.sender_user_id == user.id,
            Petition.state_secret.is_(False),  # its page shows no steps
            or_(CaseSeen.seen_at.is_(None), CaseEvent.at > CaseSeen.seen_at),
        )
        .group_by(CaseEvent.petition_id)
    )


def unread_by_case(session, user: User) -> dict[int, int]:
    """Petition id → steps of the citizen's cases after he last opened each case's page."""
    return dict(session.execute(_unread(user)).all())


def unread_updates(session, user: User) -> int:
    """How many steps of his cases the citizen has not seen (0 for anyone but a citizen)."""
    if user is None or getattr(user, "role", None) != "citizen":
        return 0
    return sum(unread_by_case(session, user).values())
