"""Due timers fired for a batch of instances in one transaction (the scheduler's path; see app/scheduler/jobs.py).

The batch's instance rows are locked in one query, and their timers, open work items, petitions and latest
deadlines read in one query each. The instances are then fired one after the other and their rows written in one
flush at the end (a flush per instance cost a quarter of the time). Should one of them fail or meet a conflict,
the whole transaction is rolled back (BatchNeedsIsolation) and the caller fires the batch again with `isolated`:
each instance inside a savepoint, so the one that fails is rolled back alone and recorded while the others
commit together. A crash before the commit leaves every claim in place and nothing fired: the batch is fired
again once its claims go stale, each instance still once.

An instance whose due timers are all notices (a missed deadline recorded, nothing of the flow changed:
app/engine/notices.py) is not loaded: its functions are called here and its row names the fired timers, which its
next reader runs in the workflow with the functions doing nothing. Its state is never read.
"""

from collections import Counter, defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field

from sqlalchemy import false, insert, select, update
from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from app.audit.data import audit_columns
from app.audit.log import record
from app.audit.models import AuditEntry
from app.calendars.store import current_book
from app.db import utcnow
from app.engine.deployment import specs_of
from app.engine.known_definitions import definition_of
from app.engine.models import ProcessInstance, Timer, WorkItem
from app.engine.notices import NoticePath, joined, notice_path
from app.engine.runtime import EngineError, InstanceConflict, StepFailed, advance, open_instance
from app.engine.saving import save
from app.transaction import operation

from .case_deadlines import latest_runs
from .case_functions import CaseFunctions
from .clarifications import petition_of_instance
from .models import Petition
from .operations import sync_petition


class BatchNeedsIsolation(Exception):
    """An instance of a shared-flush batch failed or met a conflict: fire the batch again, isolated."""


@dataclass
class BatchOutcome:
    fired: dict[int, list[str]] = field(default_factory=dict)  # instance → the timers that fired
    idle: list[int] = field(default_factory=list)  # nothing due any more (fired or moved meanwhile)
    conflicts: list[int] = field(default_factory=list)  # someone else saved the instance first
    failed: dict[int, str] = field(default_factory=dict)  # instance → what failed (recorded as timer.failed)


@operation
def fire_timer_batch(session, instance_ids, isolated: bool = False) -> BatchOutcome:
    """Let every passed deadline of these instances take effect, all in one transaction (each instance in a
    savepoint of its own when `isolated`)."""
    ids, now, outcome = sorted(set(instance_ids)), utcnow(), BatchOutcome()
    if session.get_bind().dialect.name == "sqlite":
        # SQLite's write lock first: a read snapshot cannot become a writer once another writer has committed
        session.execute(update(ProcessInstance.__table__).where(false()).values(lock_version=0))
    # the states are read below for the instances the engine fires: a notice needs none (engine/notices.py)
    locked = (
        select(ProcessInstance)
        .options(defer(ProcessInstance.state))
        .where(ProcessInstance.id.in_(ids))
        .order_by(ProcessInstance.id)
        .with_for_update()
    )
    rows = {row.id: row for row in session.scalars(locked.execution_options(populate_existing=True))}
    # read after the lock: another worker that fired them first has committed by now
    timers = _by(session.scalars(select(Timer).where(Timer.instance_id.in_(ids))), "instance_id")
    busy = [i for i in ids if i in rows and any(t.due_at < now for t in timers[i])]
    outcome.idle = [i for i in ids if i not in busy]
    if not busy:
        return outcome
    notices = {i: _notices(session, rows[i], [t for t in timers[i] if t.due_at < now]) for i in busy}
    by_engine = [i for i in busy if notices[i] is None]  # their states and open tasks are read, in one query each
    _read_states(session, [rows[i] for i in by_engine])
    open_items = select(WorkItem).where(WorkItem.instance_id.in_(by_engine), WorkItem.state == "ready")
    items = _by(session.scalars(open_items) if by_engine else [], "instance_id")
    petitions = {p.instance_id: p for p in session.scalars(select(Petition).where(Petition.instance_id.in_(busy)))}
    for instance_id in busy:
        if instance_id not in petitions:  # a clarification's instance, or one staff started by hand
            petitions[instance_id] = petition_of_instance(session, instance_id)
    latest = latest_runs(session, [p.id for p in petitions.values() if p is not None])
    cases = Counter(p.id for p in petitions.values() if p is not None)
    book, entries = current_book(session), []
    for instance_id in busy:
        petition = petitions[instance_id]
        functions = {}
        if petition is not None:  # an instance staff started by hand has no petition: no case functions
            # a case with two instances in the batch reads its deadlines after the first one fired
            seeded = latest[petition.id] if cases[petition.id] == 1 else None
            functions = CaseFunctions(session, petition, book=book, latest=seeded).functions()
        kept = len(session.info.get("saved_workflows", []))
        try:
            with session.begin_nested() if isolated else nullcontext():
                if notices[instance_id] is not None:
                    fired, steps = _fire_notices(session, rows[instance_id], petition, functions, notices[instance_id])
                else:
                    fired, steps = _fire(
                        session,
                        rows[instance_id],
                        petition,
                        functions,
                        timers[instance_id],
                        items[instance_id],
                        isolated,
                    )
            outcome.fired[instance_id] = fired
            entries.append(_fired_entry(petition, instance_id, fired, steps))
        except (InstanceConflict, EngineError) as err:
            if not isolated:  # the instances fired so far share its unflushed rows: roll back, fire isolated
                raise BatchNeedsIsolation(instance_id) from err
            if isinstance(err, InstanceConflict):
                outcome.conflicts.append(instance_id)
            else:  # a model step failed: this instance alone is rolled back
                outcome.failed[instance_id] = str(err)
                data = {"error": str(err)}
                record(session, None, "timer.failed", instance_id=instance_id, data=data, outcome="failed")
        finally:
            if instance_id not in outcome.fired:  # its half-advanced workflow is never handed to a writer
                del session.info.get("saved_workflows", [])[kept:]
    try:
        session.flush()  # the version checks of the batch's rows, and the rows themselves, together
    except StaleDataError:
        raise BatchNeedsIsolation("conflict") from None
    if entries:  # append-only rows: one multi-row insert for the batch
        session.execute(insert(AuditEntry), entries)
    return outcome


NOTICE_FUNCTIONS = frozenset({"mark_overdue", "remind"})  # case functions that only tell: the scheduler calls them


def _notices(session, row, due: list[Timer]) -> list[tuple[Timer, NoticePath]] | None:
    """The instance's due timers with their paths when every one is a notice; None when the engine must fire."""
    if not due:
        return None
    spec, subprocess_specs = specs_of(definition_of(session, row))
    paths = [notice_path(spec, subprocess_specs, t.bpmn_id, NOTICE_FUNCTIONS) for t in due]
    if any(path is None for path in paths):
        return None
    return sorted(zip(due, paths, strict=True), key=lambda pair: (pair[0].due_at, pair[0].bpmn_id))


def _read_states(session, rows: list[ProcessInstance]):
    """The deferred states of the rows the engine fires, in one query."""
    if rows:
        query = select(ProcessInstance.id, ProcessInstance.state).where(ProcessInstance.id.in_([r.id for r in rows]))
        states = dict(session.execute(query).all())
        for row in rows:
            set_committed_value(row, "state", states[row.id])


def _fire_notices(session, row, petition, functions, notices) -> tuple[list[str], list[str]]:
    """Notice timers fired by calling their functions; the state is caught up by its next reader (notices.py)."""
    steps = []
    for timer, path in notices:
        for script, (name, args) in zip(path.steps[1:], path.calls, strict=False):
            if name not in functions:  # an instance without a case: the model's call has nothing to call
                raise StepFailed(f"{script}: {name} is not available here", script)
            try:
                functions[name](*args)
            except Exception as err:  # as the engine reports a failing script: this instance alone, recorded
                raise StepFailed(f"{script}: {err}", script) from err
        steps += path.steps
        session.delete(timer)  # no longer waiting, as after the engine fired it
    row.fired_notices = joined(row.fired_notices, [timer.task_id for timer, _ in notices])
    row.updated_at = utcnow()
    if petition is not None:
        petition.updated_at = row.updated_at  # as sync_petition does; its status stays: no task changed
    return [timer.bpmn_id for timer, _ in notices], steps


def _fire(session, row, petition, functions, timers, items, isolated) -> tuple[list[str], list[str]]:
    """The instance's due timers fired and saved; returns them and the steps the engine ran."""
    now = utcnow()
    fired = [t.bpmn_id for t in timers if t.due_at < now]
    running = open_instance(session, row, functions, {t.task_id: t.due_at for t in timers})
    running.timers, running.open_items = timers, items
    advance(running)
    ended = running.workflow.completed
    if petition is not None and not ended:
        sync_petition(petition, running)  # before save: its one flush writes the case with the instance
    # the shared batch flushes once at its end; the next writer is a person's request in a web worker, so the
    # scheduler keeps no workflow (kept ones held their sessions' rows: a fifth of the CPU went to collecting them)
    save(session, running, None, flush=isolated, keep=False)
    if petition is not None and ended:
        sync_petition(petition, running)  # after save, which names the end event the instance reached
    return fired, running.steps


def _fired_entry(petition, instance_id: int, fired: list[str], steps: list[str]) -> dict:
    """The audit entry `record` would write for a fired instance, as a row for a bulk insert."""
    return {
        "at": utcnow(),
        "actor": "system",
        "action": "timer.fired",
        "outcome": "ok",
        "petition_id": petition.id if petition is not None else None,
        "instance_id": instance_id,
        **audit_columns({"steps": steps, "timers": fired}),
    }


def _by(rows, attribute: str) -> defaultdict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[getattr(row, attribute)].append(row)
    return grouped
