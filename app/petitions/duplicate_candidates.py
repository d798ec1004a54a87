"""The candidates' queries of app/petitions/duplicates.py, built once per shape (which of the commune and the
sender's account, e-mail and phone the petition has) with the petition's values bound at each call: building
them anew cost as much as running them."""

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import and_, bindparam, or_, select, true
from sqlalchemy.orm import aliased

from .models import Petition

WINDOW_DAYS = 90  # others' reports: a street lamp reported twice in a season is one lamp
REPEAT_WINDOW_DAYS = 365  # the same sender: a matter raised again within a year of its answer
MAX_CANDIDATES = 200  # newest first: a bounded cost per classification
SENDER_COLUMNS = ("sender_user_id", "sender_email", "sender_phone")  # any one alike: the same sender

# The columns a candidate is scored by: its text is read only when its vector is not held (text_digest).
COLUMNS = (
    Petition.id,
    Petition.text_digest,
    Petition.sender_user_id,
    Petition.sender_email,
    Petition.sender_phone,
    Petition.published_at.is_not(None).label("answered"),  # a flag, not an instant to convert
)
_EDGE = aliased(Petition, name="edge")  # made once: an alias's columns are slow to build


def shape(petition: Petition) -> tuple[bool, ...]:
    """Which clauses the petition's queries have: a commune, then each sender column it holds."""
    return (bool(petition.commune_code), *(bool(getattr(petition, name)) for name in SENDER_COLUMNS))


def values(petition: Petition, now: datetime) -> dict:
    """The values bound in the petition's queries."""
    return {
        "province": petition.province_code,
        "own_id": petition.id,
        "own_received": petition.received_at,
        "field": petition.field_code,
        "commune": petition.commune_code,
        "place_since": now - timedelta(days=WINDOW_DAYS),
        "sender_since": now - timedelta(days=REPEAT_WINDOW_DAYS),
        **{name: getattr(petition, name) for name in SENDER_COLUMNS},
    }


def _same_sender(form: tuple[bool, ...], entity):
    clauses = [
        getattr(entity, name) == bindparam(name) for name, on in zip(SENDER_COLUMNS, form[1:], strict=True) if on
    ]
    return or_(*clauses) if clauses else None


def _candidates(form: tuple[bool, ...], entity=Petition) -> list:
    """What makes an earlier case a candidate (of `entity`: Petition or an alias of it)."""
    same_place = and_(
        entity.field_code == bindparam("field"),
        entity.commune_code == bindparam("commune") if form[0] else entity.id.is_not(None),
        entity.received_at >= bindparam("place_since"),
    )
    same_sender = _same_sender(form, entity)
    if same_sender is not None:
        same_sender = and_(same_sender, entity.received_at >= bindparam("sender_since"))
    return [
        entity.province_code == bindparam("province"),
        entity.id != bindparam("own_id"),
        entity.received_at <= bindparam("own_received"),
        entity.state_secret.is_(False),
        entity.status != "closed_duplicate",
        or_(same_place, same_sender) if same_sender is not None else same_place,
    ]


def _newest_first(entity=Petition) -> tuple:
    # ties by id: the same MAX_CANDIDATES on every database (clones and batch imports share instants)
    return entity.received_at.desc(), entity.id.desc()


@cache
def candidates(form: tuple[bool, ...]):
    """The MAX_CANDIDATES newest candidates (COLUMNS)."""
    return select(*COLUMNS).where(*_candidates(form)).order_by(*_newest_first()).limit(MAX_CANDIDATES)


@cache
def answered_by_sender(form: tuple[bool, ...]):
    """What a repeat can be: the same sender's answered candidates (COLUMNS) among the MAX_CANDIDATES newest
    candidates of all, so that the link is the one the best of `candidates` gives. None without a sender column."""
    same_sender = _same_sender(form, Petition)
    if same_sender is None:
        return None
    # the MAX_CANDIDATES-th newest candidate of all (none: fewer): older ones are not scored
    edge = (
        select(_EDGE.received_at.label("at"), _EDGE.id)
        .where(*_candidates(form, _EDGE))
        .order_by(*_newest_first(_EDGE))
        .offset(MAX_CANDIDATES - 1)
        .limit(1)
        .subquery("last_scored")
    )
    within = or_(
        edge.c.id.is_(None),
        Petition.received_at > edge.c.at,
        and_(Petition.received_at == edge.c.at, Petition.id >= edge.c.id),
    )
    return (
        select(*COLUMNS)
        .outerjoin(edge, true())
        .where(*_candidates(form), same_sender, Petition.published_at.is_not(None), within)
        .order_by(*_newest_first())
        .limit(MAX_CANDIDATES)
    )
