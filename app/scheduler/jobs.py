"""The timer job: claim due timers, fire them a batch of instances per transaction (app/petitions/firing.py).

Each batch is fired with one shared flush; when one of its instances fails, the batch is rolled back and fired
again with each instance isolated in a savepoint (firing.py).

A claim marks timer rows with the worker's name in one UPDATE; the rows it may take are picked by a subquery that
PostgreSQL runs FOR UPDATE SKIP LOCKED (SQLite serializes writers, so the UPDATE alone is atomic).
Two workers therefore never take the same timer; and should a claim go stale while its worker still runs,
the instance's version check lets only one of them save. A failing instance keeps its claim until it goes
stale, which spaces out retries instead of failing every few seconds. On PostgreSQL several workers (processes)
run this job at once on disjoint claims; on SQLite one does.
"""

import logging
import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import or_, select, update

from app.db import utcnow
from app.engine.models import Timer
from app.petitions.firing import BatchNeedsIsolation, fire_timer_batch
from app.reviews.monthly import start_monthly_reviews

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=5)
BATCH = 200  # timers a claim takes
# instances fired per transaction: commits are shared, and SQLite's write lock is held for a fraction of a second
PER_TRANSACTION = 50


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class TickReport:
    claimed: int = 0  # timers claimed
    fired: int = 0  # timers that took effect
    instances: int = 0
    failed: list[int] = field(default_factory=list)


def claim_due_timers(session, worker: str, now=None, limit: int = BATCH) -> tuple[list[int], int]:
    """Claim up to `limit` due timers for `worker`; returns the instances to advance and the timers claimed."""
    now = now or utcnow()
    takeable = (
        select(Timer.id)
        .where(Timer.due_at < now, or_(Timer.claimed_by.is_(None), Timer.claimed_at < now - STALE_AFTER))
        .order_by(Timer.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    # RETURNING: the claimed rows' instances come back with the claim (no scan of the table for the worker's name)
    claimed = session.execute(
        update(Timer)
        .where(Timer.id.in_(takeable.scalar_subquery()))
        .values(claimed_by=worker, claimed_at=now)
        .returning(Timer.instance_id)
        .execution_options(synchronize_session=False)
    ).all()
    session.commit()
    return sorted({instance_id for (instance_id,) in claimed}), len(claimed)


def _release(session, worker: str, instance_ids: list[int]):
    if not instance_ids:
        return
    session.execute(
        update(Timer)
        .where(Timer.instance_id.in_(instance_ids), Timer.claimed_by == worker)
        .values(claimed_by=None, claimed_at=None)
    )
    session.commit()


def run_due_timers(
    session_factory, worker: str | None = None, now=None, limit: int = BATCH, per_transaction: int = PER_TRANSACTION
) -> TickReport:
    """Fire every timer due now (batch after batch), as the scheduler does every few seconds."""
    worker = worker or worker_name()
    report = TickReport()
    seen: set[int] = set()
    with session_factory() as session:
        while True:
            # batch after batch until a claim brings nothing new (several timers of one instance share a batch)
            instances, claimed = claim_due_timers(session, worker, now, limit)
            fresh = [i for i in instances if i not in seen]
            if not fresh:
                return report
            seen.update(fresh)
            report.claimed += claimed
            report.instances += len(fresh)
            for start in range(0, len(fresh), per_transaction):
                batch = fresh[start : start + per_transaction]
                try:
                    outcome = fire_timer_batch(session, batch)
                except BatchNeedsIsolation:  # rolled back: fire again, each instance in a savepoint
                    outcome = fire_timer_batch(session, batch, isolated=True)
                report.fired += sum(len(fired) for fired in outcome.fired.values())
                report.failed += sorted(outcome.failed)
                for instance_id, error in sorted(outcome.failed.items()):
                    log.error("timer of instance %s failed: %s", instance_id, error)
                # nothing due any more, or a person acted first: try again next tick
                _release(session, worker, outcome.idle + outcome.conflicts)


def start_due_reviews(session_factory, worker: str | None = None, now=None) -> list[int]:
    """Start the monthly reviews due by now; the (unit, month) row each start inserts is its claim."""
    with session_factory() as session:
        return start_monthly_reviews(session, now, worker or worker_name())
