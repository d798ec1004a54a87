"""Recompute the running deadlines of open cases under a changed calendar book.

A deadline is running while its timer waits. Each is recomputed from the instant its step started (stored
with the deadline), so a change moves it exactly as if the new calendar had been in force from the start.
The timer table is authoritative for waiting timers (the engine applies it when it loads an instance), so
moving a deadline is a set of row updates, not a rewrite of stored workflows.

Memory stays bounded at national scale (100,000 cases): the running timers are read in chunks, a move is a
slotted record, and the moves are written and audited a chunk of cases at a time, in the caller's one transaction.
"""

import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import groupby

from sqlalchemy import func, insert, select, update

from app.audit.data import audit_columns
from app.audit.models import AuditEntry
from app.db import utcnow
from app.engine.models import ProcessInstance, Timer, WorkItem
from app.petitions.models import CaseDeadline, Petition

from .moves import INSTANCE, Move, Moves

__all__ = ["Move", "Moves", "Plan", "apply_recompute", "plan_recompute"]

CHUNK = 500


@dataclass
class Plan:
    moves: Moves = field(default_factory=Moves)

    @property
    def cases(self) -> int:
        """Cases whose statutory deadline moves (reminders alone do not count)."""
        return len({petition for petition, _ in self.moves.cases("deadline")})

    @property
    def deadlines(self) -> int:
        return self.moves.count("deadline")

    def summary(self) -> dict:
        return {"cases": self.cases, "deadlines": self.deadlines, "timers": self.moves.count("timer")}


def plan_recompute(session, book, provinces=None, steps=None) -> Plan:
    """What would move if `book` were in force: nothing is written."""
    query = (
        select(Timer.id, Timer.instance_id, Timer.step, Timer.kind, Timer.due_at, Petition.id, Petition.province_code)
        .join(ProcessInstance, ProcessInstance.id == Timer.instance_id)
        # by business key, the tracking code: the case's own instance and its clarifications alike
        .join(Petition, Petition.tracking_code == ProcessInstance.business_key)
        .where(Timer.step.is_not(None))
    )
    if provinces is not None:
        query = query.where(Petition.province_code.in_(list(provinces)))
    if steps is not None:
        query = query.where(Timer.step.in_(list(steps)))
    plan, new_due, moved = Plan(), {}, {}
    for timers in session.execute(query.execution_options(yield_per=CHUNK)).partitions():
        _plan_timers(session, book, timers, plan, new_due, moved)
    del new_due
    if moved:
        items = select(WorkItem.id, WorkItem.instance_id, WorkItem.due_step, WorkItem.due_at).where(
            WorkItem.state == "ready", WorkItem.due_step.is_not(None)
        )
        for item_id, instance_id, step, due_at in session.execute(items.execution_options(yield_per=CHUNK)):
            petition_id, after = moved.get((instance_id, step), (None, None))
            if after is not None and after != due_at:
                plan.moves.append(Move(petition_id, instance_id, step, "task", item_id, due_at, after))
    return plan


def _plan_timers(session, book, timers, plan: Plan, new_due: dict, moved: dict):
    """The moves of a chunk of timers; `new_due` keeps each (petition, step)'s new instant across chunks, `moved`
    each moved deadline's (petition, new instant) by the (instance, step) that moved it, for the tasks due then."""
    latest = _latest_deadlines(session, {(t[5], t[2]) for t in timers if (t[5], t[2]) not in new_due})
    for timer_id, instance_id, step, kind, due_at, petition_id, province in timers:
        step = sys.intern(step)  # a few step names shared by every move
        if (petition_id, step) not in new_due:
            record = latest.get((petition_id, step))
            if record is None:
                continue
            record_id, started_at, old_due, paused = record
            new_due[petition_id, step] = after = book.due(province, step, started_at, paused)
            if after != old_due:
                plan.moves.append(Move(petition_id, instance_id, step, "deadline", record_id, old_due, after))
                moved[instance_id, step] = (petition_id, after)
        after = new_due[petition_id, step]
        if kind == "reminder":
            after = book.reminder(province, step, after)
        if after != due_at:
            plan.moves.append(Move(petition_id, instance_id, step, "timer", timer_id, due_at, after))


def _latest_deadlines(session, keys: set) -> dict:
    """(petition, step) → (id, started_at, due_at, paused_days) of the latest run of the step."""
    petitions = sorted({p for p, _ in keys})
    found = {}
    for start in range(0, len(petitions), CHUNK):
        chunk = petitions[start : start + CHUNK]
        newest = (
            select(func.max(CaseDeadline.id))
            .where(CaseDeadline.petition_id.in_(chunk))
            .group_by(CaseDeadline.petition_id, CaseDeadline.step)
        )
        rows = session.execute(
            select(
                CaseDeadline.id,
                CaseDeadline.petition_id,
                CaseDeadline.step,
                CaseDeadline.started_at,
                CaseDeadline.due_at,
                CaseDeadline.paused_days,
            ).where(CaseDeadline.id.in_(newest))
        )
        for record_id, petition_id, step, started_at, due_at, paused in rows:
            if (petition_id, step) in keys:
                found[petition_id, step] = (record_id, started_at, due_at, paused)
    return found


def _utc(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat()


def apply_recompute(session, plan: Plan, actor, reason: str, change: dict):
    """Write the moves in the caller's transaction, with one audit entry per case that moved."""
    targets = {"deadline": CaseDeadline, "timer": Timer, "task": WorkItem}
    for what, model in targets.items():
        _in_chunks(session, update(model), ({"id": row, "due_at": after} for row, after in plan.moves.rows(what)))
    cases = plan.moves.case_keys()
    instances = sorted({key & INSTANCE for key in cases})
    table = ProcessInstance.__table__
    for start in range(0, len(instances), CHUNK):
        # a writer that loaded one of these instances before the change must reload it (optimistic lock)
        session.execute(
            update(table)
            .where(table.c.id.in_(instances[start : start + CHUNK]))
            .values(lock_version=table.c.lock_version + 1)
        )
    now, name = utcnow(), actor.username if actor is not None else "system"
    order = sorted(range(len(cases)), key=cases.__getitem__)
    entries = (
        {
            "at": now,
            "actor": name,
            "actor_role": actor.role if actor is not None else None,
            "action": "deadline.recomputed",
            "outcome": "ok",
            "petition_id": key >> 32,
            "instance_id": key & INSTANCE,
            **audit_columns(
                {"reason": reason, "change": change, "moves": [_described(plan.moves[i]) for i in indexes]}
            ),
        }
        for key, indexes in groupby(order, key=cases.__getitem__)
    )
    _in_chunks(session, insert(AuditEntry), entries)


def _described(move: Move) -> dict:
    return {"step": move.step, "what": move.what, "before": _utc(move.before), "after": _utc(move.after)}


def _in_chunks(session, statement, rows):
    """Execute `statement` for the rows CHUNK at a time (the rows are made as they are written)."""
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            session.execute(statement, chunk)
            chunk = []
    if chunk:
        session.execute(statement, chunk)
