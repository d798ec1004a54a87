"""Writing audit entries (inside the caller's transaction) and reading an instance's history."""

from sqlalchemy import select

from app.append_only import append
from app.db import utcnow

from .data import audit_columns
from .models import AuditEntry
from .origin import refusal_origin

TABLE = AuditEntry.__table__


def record(
    session, actor, action, *, petition=None, instance_id=None, task_id=None, task_name=None, data=None, outcome="ok"
):
    """Append an entry in the current transaction; `actor` is a User, a name (e.g. "anonymous") or None (system).
    Written with the transaction's next flush or its commit, as one row of a Core INSERT (nothing reads it back).
    A refusal while serving a web request also gets the request's address, path and visitor (app/audit/origin.py)."""
    if outcome == "refused":  # refusals only: who was kept out, and from where, is what auditors look for
        actor, data = refusal_origin(actor, data)
    append(session, TABLE, _columns(actor, action, petition, instance_id, task_id, task_name, data, outcome))


def _columns(actor, action, petition, instance_id, task_id, task_name, data, outcome) -> dict:
    if isinstance(actor, str):
        name, role = actor, None
    else:
        name, role = (actor.username, actor.role) if actor is not None else ("system", None)
    return {
        "at": utcnow(),
        "actor": name,
        "actor_role": role,
        "action": action,
        "outcome": outcome,
        "petition_id": petition.id if petition is not None else None,
        "instance_id": instance_id if instance_id is not None else getattr(petition, "instance_id", None),
        "task_id": task_id,
        "task_name": task_name,
        **audit_columns(data),
    }


def history(session, instance_id: int) -> list[AuditEntry]:
    """Every entry of an instance, oldest first."""
    return list(
        session.scalars(
            select(AuditEntry).where(AuditEntry.instance_id == instance_id).order_by(AuditEntry.at, AuditEntry.id)
        )
    )
