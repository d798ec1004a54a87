"""What the administrator's pages read: overview counts, recent changes, fields with their use, accounts by a
search, agencies with their staff, one thing by its key (NotFound when absent)."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.accounts.models import ROLES, User
from app.agencies.models import Agency, Province
from app.audit.models import AuditEntry
from app.db import LIKE_ESCAPE, contains_pattern
from app.engine.models import ProcessDefinition
from app.errors import NotFound
from app.petitions.models import Field, HideReason, Petition

ADMIN_ACTIONS = ("agency.", "account.", "field.", "process.", "calendar.", "deadline.changed", "province.")
ACCOUNTS_LIMIT = 200  # citizens' accounts can be many: narrow the search instead of paging


def overview(session) -> dict[str, int]:
    return {
        "agencies": session.scalar(select(func.count(Agency.id))),
        "accounts": session.scalar(select(func.count(User.id)).where(User.active.is_(True))),
        "fields": session.scalar(select(func.count()).select_from(Field).where(Field.active.is_(True))),
        "versions": session.scalar(select(func.count(ProcessDefinition.id))),
    }


def recent_changes(session, limit: int = 15) -> list[AuditEntry]:
    """The administrators' latest changes, newest first."""
    query = select(AuditEntry).where(or_(*(AuditEntry.action.startswith(prefix) for prefix in ADMIN_ACTIONS)))
    return list(session.scalars(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)))


def fields_with_use(session) -> list[tuple[Field, int]]:
    """Every field with how many petitions name it."""
    used = dict(
        session.execute(select(Petition.field_code, func.count(Petition.id)).group_by(Petition.field_code)).all()
    )
    return [(field, used.get(field.code, 0)) for field in session.scalars(select(Field))]


def hide_reasons_with_use(session) -> list[tuple[HideReason, int]]:
    """Every reason for hiding, offered ones first, with how many reports are hidden for it now."""
    used = dict(
        session.execute(
            select(Petition.hidden_reason, func.count(Petition.id))
            .where(Petition.hidden.is_(True))
            .group_by(Petition.hidden_reason)
        ).all()
    )
    reasons = session.scalars(select(HideReason).order_by(HideReason.active.desc(), HideReason.name))
    return [(reason, used.get(reason.code, 0)) for reason in reasons]


def _get(session, model, key, what: str):
    row = session.get(model, key)
    if row is None:
        raise NotFound(f"{what} {key}")
    return row


def field_by_code(session, code: str) -> Field:
    return _get(session, Field, code, "field")


def account_by_id(session, user_id: int) -> User:
    return _get(session, User, user_id, "account")


def agency_by_id(session, agency_id: int) -> Agency:
    return _get(session, Agency, agency_id, "agency")


def definition_by_id(session, definition_id: int) -> ProcessDefinition:
    return _get(session, ProcessDefinition, definition_id, "process definition")


def province_by_code(session, code: str) -> Province:
    return _get(session, Province, code, "province")


@dataclass
class AccountSearch:
    q: str = ""  # part of the username, name or e-mail (`%` and `_` literal)
    role: str = ""
    agency: str = ""
    state: str = ""  # "active", "inactive" or ""


def accounts(session, search: AccountSearch) -> tuple[list[User], bool]:
    """Accounts matching the search by username, at most ACCOUNTS_LIMIT; and whether more matched."""
    query = select(User).order_by(User.username)
    if search.q.strip():
        words = contains_pattern(search.q.strip()[:200])
        columns = (User.username, User.full_name, User.email)
        query = query.where(or_(*(column.ilike(words, escape=LIKE_ESCAPE) for column in columns)))
    if search.role in ROLES:
        query = query.where(User.role == search.role)
    if search.agency:
        query = query.where(User.agency.has(Agency.code == search.agency))
    if search.state in ("active", "inactive"):
        query = query.where(User.active.is_(search.state == "active"))
    rows = session.scalars(query.limit(ACCOUNTS_LIMIT + 1)).all()
    return list(rows[:ACCOUNTS_LIMIT]), len(rows) > ACCOUNTS_LIMIT


def agencies(session, province: str = "") -> list[Agency]:
    query = select(Agency)
    if province:
        query = query.where(Agency.province_code == province)
    return list(session.scalars(query))


def staff_counts(session) -> dict[int, int]:
    """Accounts per agency id."""
    return dict(session.execute(select(User.agency_id, func.count(User.id)).group_by(User.agency_id)).all())
