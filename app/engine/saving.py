"""Save a running instance: its compressed state (version-checked), the task index (work items) and the timer
table, in the operation's transaction; the saved workflow is kept for this process's next writer (live.py)."""

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, delete, inspect, select, update
from sqlalchemy.orm.exc import StaleDataError

from app.append_only import append, write_appended
from app.db import utcnow

from .held import held_texts
from .live import keep_after_commit
from .models import Timer, WorkItem
from .runtime import InstanceConflict, Running, all_tasks, due_of, ready_user_tasks, step_call
from .scripting import strip_expression
from .serialization import dump_state

# built once (their cache keys kept): every save reads the open task rows; returned work, who did it last
_OPEN_ITEMS = select(WorkItem).where(WorkItem.instance_id == bindparam("instance_id"), WorkItem.state == "ready")
_DONE_BY = (
    select(WorkItem.bpmn_id, WorkItem.agency_code, WorkItem.completed_by)
    .where(WorkItem.instance_id == bindparam("instance_id"), WorkItem.state == "completed")
    .order_by(WorkItem.completed_at, WorkItem.id)
)


def save(session, running: Running, actor: str | None, completed_task_id: str | None = None, flush=True, keep=True):
    """Write the state (version-checked) and bring the task index and the timer table up to date; without
    `flush` the caller flushes (`flush_saved`, once it has added its own rows, or a batch of instances it has
    locked, written together); without `keep` the workflow is not kept for this process's next writer."""
    now = utcnow()
    workflow, row = running.workflow, running.row
    instance_id = row.id or "new"
    row.updated_at = now
    if row.fired_notices is not None:
        row.fired_notices = None  # caught up when it was loaded (notices.catch_up): now in the state
    if workflow.completed and row.status != "completed":
        row.status, row.completed_at = "completed", now
        row.end_event = _end_event(workflow)
    # a finished case's long texts are its row's (held.py): a running one's may still change in its forms
    row.state = dump_state(workflow, held_texts(session, workflow.data) if workflow.completed else None)
    try:
        if row.id is None:
            session.flush()  # a new instance: its rows below need its id
        _sync_work_items(session, running, now, actor, completed_task_id)
        _sync_timers(session, running)
    except StaleDataError:
        raise InstanceConflict(f"process instance {instance_id} was changed by someone else") from None
    running.kept = keep  # once flushed: the version the next writer will find is the flushed one
    if flush:
        flush_saved(session, running)


def flush_saved(session, running: Running):
    """Flush what was saved with `flush=False` and what the caller added since (the case's row, the audit entry):
    one flush, the version check and every row together; a stale version is an InstanceConflict."""
    instance_id = running.row.id  # read before: a failed flush leaves the row unreadable
    try:
        session.flush()
    except StaleDataError:
        raise InstanceConflict(f"process instance {instance_id} was changed by someone else") from None
    if running.kept:
        keep_after_commit(session, running.row.id, running.row.lock_version, running.workflow)


def _end_event(workflow) -> str | None:
    ends = [t for t in workflow.tasks.values() if t.state == TaskState.COMPLETED and _is_end_event(t)]
    return ends[-1].task_spec.bpmn_id if ends else None


def _is_end_event(task) -> bool:
    return type(task.task_spec).__name__ == "EndEvent" and task.workflow is task.workflow.top_workflow


def _sync_work_items(session, running, now, actor, completed_task_id):
    workflow, row = running.workflow, running.row
    ready = {str(task.id): task for task in ready_user_tasks(workflow)}
    open_items = running.open_items
    if open_items is None:
        with session.no_autoflush:  # pending changes to these rows (e.g. the assignee) go out in save's one flush
            open_items = session.scalars(_OPEN_ITEMS, {"instance_id": row.id}).all()
    known, still_open = set(), []
    for item in open_items:
        known.add(item.task_id)
        if item.task_id in ready:
            still_open.append(item)
            continue
        item.completed_at = now
        if item.task_id == completed_task_id:
            item.state, item.completed_by = "completed", actor
        else:
            item.state = "cancelled"  # interrupted by a boundary event or a terminate end
    last_done = None
    for task_id, task in ready.items():
        if task_id not in known:
            item = _new_work_item(running, task, now)
            if item.assignee is None and ",sender," not in item.candidate_groups and _done_before(task):
                if last_done is None:
                    last_done = _last_done_by(session, row.id)
                    last_done.update(
                        ((i.bpmn_id, i.agency_code), i.completed_by) for i in open_items if i.state == "completed"
                    )
                item.assignee = last_done.get((item.bpmn_id, item.agency_code))
            session.add(item)
            still_open.append(item)
    running.open_items = still_open  # what is stored once flushed: a later save of this run reads no stale list


def _done_before(task) -> bool:
    """Whether the element may have been done before (work sent back): only then is who did it looked up. A
    subprocess's earlier runs may be gone from the tree, so its tasks are always looked up."""
    top = task.workflow.top_workflow
    if task.workflow is not top:
        return True
    bpmn_id = task.task_spec.bpmn_id
    return any(t.state == TaskState.COMPLETED and t.task_spec.bpmn_id == bpmn_id for t in top.tasks.values())


def _last_done_by(session, instance_id) -> dict:
    """(task, agency) → who completed it last, as stored: returned work goes back to the person who did it.
    Pending rows are not flushed for it (save flushes once); the caller adds what this operation completed."""
    with session.no_autoflush:
        rows = session.execute(_DONE_BY, {"instance_id": instance_id}).all()
    return {(bpmn_id, agency): by for bpmn_id, agency, by in rows}


def _new_work_item(running, task, now) -> WorkItem:
    spec = task.task_spec
    ext = getattr(spec, "extensions", {}) or {}
    props = ext.get("properties", {})
    agency_var = props.get("agency")
    task_id = str(task.id)
    due = running.dues[task_id] if task_id in running.dues else due_of(running, task)
    function, step = step_call(strip_expression(ext.get("due_date")))
    return WorkItem(
        instance_id=running.row.id,
        business_key=running.row.business_key,
        task_id=task_id,
        bpmn_id=spec.bpmn_id,
        process_key=task.workflow.spec.name,
        name=spec.bpmn_name or spec.bpmn_id,
        lane=spec.lane,
        candidate_groups=_as_set(ext.get("candidate_groups", [])),
        candidate_users=_as_set(_candidate_users(ext)),
        agency_code=task.data.get(agency_var) if agency_var else None,
        assignee=ext.get("assignee"),
        created_at=now,
        due_at=due,
        due_step=step if function == "due" else None,
    )


def _candidate_users(ext: dict) -> list[str]:
    """The model's candidate users and its camunda:assignee: the person the model names may always do the task,
    even after it was given back to the group (as in Camunda's tasklist, where the assignee sees it)."""
    names = list(ext.get("candidate_users", []))
    assignee = ext.get("assignee")
    return names + [assignee] if assignee and assignee not in names else names


def _as_set(names: list[str]) -> str:
    """Stored as ",a,b," so that a LIKE '%,a,%' matches whole names only."""
    return f",{','.join(names)}," if names else ""


def _sync_timers(session, running):
    """The timer table made to match the workflow's waiting timers: new rows queued with the operation's other
    append-only rows (one INSERT per table at the flush, not one INSERT … RETURNING per row), stored rows deleted
    or moved through the session (its flush batches them, across a batch of fired instances too)."""
    row = running.row
    waiting = {}
    for task in all_tasks(running.workflow):
        if task.state != TaskState.WAITING:
            continue
        definition = getattr(task.task_spec, "event_definition", None)
        value = task.internal_data.get("event_value")
        if isinstance(definition, TimerEventDefinition) and isinstance(value, str):
            waiting[str(task.id)] = (task, TimerEventDefinition.get_datetime(value))
    timers = running.timers
    if timers is None:
        timers = session.scalars(select(Timer).where(Timer.instance_id == row.id))
    stored = {t.task_id: t for t in timers}
    queued_gone, queued_moved = [], []  # rows this operation queued: not in the session, changed in SQL
    for task_id, timer in stored.items():
        persistent = inspect(timer).persistent
        if task_id not in waiting and persistent:
            session.delete(timer)  # the flush batches the deletes
        elif task_id not in waiting:
            queued_gone.append(task_id)
        elif timer.due_at != waiting[task_id][1]:
            timer.due_at = waiting[task_id][1]
            if not persistent:
                queued_moved.append(timer)
    if queued_gone or queued_moved:
        _change_queued(session, row.id, queued_gone, queued_moved)
    current = [timer for task_id, timer in stored.items() if task_id in waiting]
    for task_id, (task, due) in waiting.items():
        if task_id not in stored:
            kind, step = step_call(task.task_spec.event_definition.expression)
            values = {
                "instance_id": row.id,
                "task_id": task_id,
                "bpmn_id": task.task_spec.bpmn_id,
                "name": task.task_spec.bpmn_name,
                "due_at": due,
                "step": step if kind in ("deadline", "reminder") else None,
                "kind": kind if kind in ("deadline", "reminder") else None,
            }
            append(session, Timer.__table__, values)
            current.append(Timer(**values))  # what is stored once written, never added to the session
    running.timers = current  # as stored once flushed, like the work items


def _change_queued(session, instance_id, gone: list[str], moved: list[Timer]):
    """Timer rows an earlier save of this operation queued (no ORM object): written first, then changed in SQL."""
    write_appended(session)
    table, connection = Timer.__table__, session.connection()  # not session.execute: no autoflush of the case
    if gone:
        connection.execute(delete(table).where(table.c.instance_id == instance_id, table.c.task_id.in_(gone)))
    for timer in moved:
        where = (table.c.instance_id == instance_id) & (table.c.task_id == timer.task_id)
        connection.execute(update(table).where(where).values(due_at=timer.due_at))
