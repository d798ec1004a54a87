"""Inbox rows: each open task with its petition, agency, holder and deadline; filters from the query string."""

from dataclasses import dataclass

from sqlalchemy import select

from app.accounts.models import User
from app.agencies.models import Agency, Province
from app.deadlines.status import DeadlineStatus, task_status
from app.engine.models import WorkItem
from app.petitions.models import Field, Petition, PetitionStatus
from app.tasks.access import is_candidate
from app.tasks.operations import inbox
from app.translation import lazy_gettext

from .labels import status_name, translated_options

DUE_FILTERS = {"": lazy_gettext("Tất cả"), "overdue": lazy_gettext("Quá hạn"), "soon": lazy_gettext("Sắp đến hạn")}
FILTER_KEYS = ("field", "status", "province", "due")


@dataclass
class Row:
    item: WorkItem
    petition: Petition | None
    deadline: DeadlineStatus | None
    agency: str
    assignee: str | None  # full name of the holder; None when nobody has claimed it
    mine: bool
    can_claim: bool
    can_unclaim: bool


def read_filters(args) -> dict[str, str]:
    filters = {key: (args.get(key) or "").strip() for key in FILTER_KEYS}
    if filters["due"] not in DUE_FILTERS:
        filters["due"] = ""
    return filters


def rows(session, user, filters: dict[str, str], now=None) -> list[Row]:
    """The user's inbox (soonest due first), narrowed by the filters."""
    items = inbox(session, user)
    if not items:
        return []
    instance_ids = {item.instance_id for item in items}
    petitions = {
        p.instance_id: p for p in session.scalars(select(Petition).where(Petition.instance_id.in_(instance_ids)))
    }
    agencies = dict(session.execute(select(Agency.code, Agency.name)).all())
    holders = {item.assignee for item in items if item.assignee}
    names = dict(session.execute(select(User.username, User.full_name).where(User.username.in_(holders))).all())
    result = []
    for item in items:
        petition = petitions.get(item.instance_id)
        if not _matches(petition, filters):
            continue
        deadline = task_status(session, item, petition.province_code, now) if petition is not None else None
        if filters["due"] == "overdue" and (deadline is None or deadline.urgency != "late"):
            continue
        if filters["due"] == "soon" and (deadline is None or deadline.urgency != "soon"):
            continue
        mine = item.assignee == user.username
        result.append(
            Row(
                item=item,
                petition=petition,
                deadline=deadline,
                agency=agencies.get(item.agency_code or "", item.agency_code or ""),
                assignee=names.get(item.assignee, item.assignee) if item.assignee else None,
                mine=mine,
                can_claim=item.assignee is None and petition is not None and is_candidate(user, item, petition),
                can_unclaim=may_unclaim(user, item),
            )
        )
    return result


def may_unclaim(user, item: WorkItem) -> bool:
    """Whoever holds a task may give it back, and so may a leader of the task's agency (as unclaim_task rules)."""
    if not item.assignee or user.role == "auditor":
        return False
    return item.assignee == user.username or (user.role == "leader" and user.agency_code == item.agency_code)


def _matches(petition, filters) -> bool:
    if not any(filters[key] for key in ("field", "status", "province")):
        return True
    if petition is None:
        return False
    return (
        (not filters["field"] or petition.field_code == filters["field"])
        and (not filters["status"] or petition.status == filters["status"])
        and (not filters["province"] or petition.province_code == filters["province"])
    )


def filter_choices(session) -> dict:
    """Options of the filter form: fields, open statuses, provinces (labels in the current language)."""
    statuses = session.scalars(
        select(PetitionStatus).where(PetitionStatus.is_open.is_(True)).order_by(PetitionStatus.sort_order)
    ).all()
    return {
        "fields": translated_options(session.execute(select(Field.code, Field.name).where(Field.active.is_(True)))),
        "statuses": [(s.code, status_name(s.code)) for s in statuses],
        "provinces": session.execute(select(Province.code, Province.name).order_by(Province.name)).all(),
        "dues": list(DUE_FILTERS.items()),
    }
