"""Run stored instances: start, load under a lock, advance, complete user tasks, save and re-index.

One writer per instance: the row is read FOR UPDATE (PostgreSQL) and saved with a version check
(`lock_version`), so a concurrent writer fails with InstanceConflict instead of overwriting.
Every engine run is bounded (limits.py) and writes nothing: queries its scripts make do not flush, and
the due dates of new user tasks are evaluated in the run, so a runaway script never holds the write lock.
"""

import re
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.errors import Conflict

from . import task_ids  # noqa: F401  (installs the compressible task ids)
from .deployment import specs_of
from .held import HeldTextMissing, held_texts
from .known_definitions import definition_of
from .limits import ScriptLimitExceeded
from .live import live_key, live_workflows
from .models import ProcessDefinition, ProcessInstance, Timer, WorkItem
from .notices import catch_up
from .scripting import make_script_engine, strip_expression
from .serialization import load_state

# deadline('answer'), reminder('answer'), due('answer'): expressions whose instant the calendar can recompute
STEP_CALL = re.compile(r"""^\s*(deadline|reminder|due)\(\s*['"]([\w-]+)['"]\s*\)\s*$""")


def step_call(expression: str | None) -> tuple[str, str] | tuple[None, None]:
    """('deadline', 'answer') for "deadline('answer')"; (None, None) for anything else."""
    match = STEP_CALL.match(expression or "")
    return (match.group(1), match.group(2)) if match else (None, None)


class EngineError(Exception):
    """Base of the errors the engine reports to operations."""


class InstanceConflict(EngineError, Conflict):
    """Someone else changed the instance first; nothing was saved."""


class TaskNotReady(EngineError, Conflict):
    """The task is no longer waiting for a user (done by someone else, or a deadline fired first)."""


class StepFailed(EngineError):
    """A script, expression or gateway of the model failed; the stored instance is unchanged."""

    def __init__(self, message, bpmn_id=None):
        super().__init__(message)
        self.bpmn_id = bpmn_id


class LimitExceeded(StepFailed):
    """A script or the run went beyond a bound (time, steps, size); the operation stores nothing."""


@dataclass
class Running:
    """An instance loaded for one operation: its row, its live workflow and what the engine did.

    `dues`: due dates of user tasks that became ready in this operation, evaluated during the engine run;
    `known`: user tasks already ready when it was loaded (indexed by an earlier operation).
    """

    row: ProcessInstance
    workflow: BpmnWorkflow
    steps: list[str] = field(default_factory=list)
    dues: dict[str, datetime | None] = field(default_factory=dict)
    known: set[str] = field(default_factory=set)
    # the instance's timer rows and open work items when a batch read them with others' (None: save queries them)
    timers: list[Timer] | None = None
    open_items: list[WorkItem] | None = None
    kept: bool = False  # saved to be kept for this process's next writer, once flushed (saving.flush_saved)

    @property
    def definition(self) -> ProcessDefinition:
        return self.row.definition


def start_instance(session, definition, business_key, data, functions) -> Running:
    """Create an instance of `definition` whose first task carries `data`, and run it to its first wait."""
    spec, subprocess_specs = specs_of(definition)
    workflow = BpmnWorkflow(spec, subprocess_specs, script_engine=make_script_engine(functions))
    workflow.task_tree.data.update(data)
    row = ProcessInstance(definition=definition, business_key=business_key, state=b"")
    session.add(row)
    running = Running(row, workflow, timers=[], open_items=[])  # a new instance has no stored rows to sync
    advance(running)
    return running


# the instance locked with its timer rows in one statement, built once (its cache key is kept with it);
# populate_existing: a row already in the session is re-read, never trusted from an earlier transaction
_LOCKED_WITH_TIMERS = (
    select(ProcessInstance, Timer)
    .outerjoin(Timer, Timer.instance_id == ProcessInstance.id)
    .where(ProcessInstance.id == bindparam("instance_id"))
    .with_for_update(of=ProcessInstance)
    .execution_options(populate_existing=True)
)


def load_instance(session, instance_id: int, functions) -> Running:
    """The write path: the instance locked (row lock where the database has them), its live workflow taken from
    this process's cache or rebuilt, with this operation's functions. Readers use read_instance (snapshot.py)."""
    found = session.execute(_LOCKED_WITH_TIMERS, {"instance_id": instance_id}).all()
    if not found:
        raise EngineError(f"process instance {instance_id} does not exist")
    row, timers = found[0][0], [timer for _, timer in found if timer is not None]
    running = open_instance(session, row, functions, {t.task_id: t.due_at for t in timers})
    running.timers = timers  # save syncs these rows: no second read
    return running


def open_instance(session, row: ProcessInstance, functions, timers: dict) -> Running:
    """The write path for a row the caller has locked (e.g. a batch of them in one query), with its timer rows
    (task id → due instant): the live workflow of this process or the stored state."""
    engine = make_script_engine(functions)
    workflow = live_workflows.take(live_key(session, row.id), row.lock_version)
    definition = definition_of(session, row)
    if workflow is None:
        spec, subprocess_specs = specs_of(definition)
        try:
            workflow = load_state(row.state, spec, subprocess_specs, engine, lambda data: held_texts(session, data))
        except HeldTextMissing as err:
            raise EngineError(f"process instance {row.id}: {err}") from err
    workflow.script_engine = engine
    _apply_timer_rows(workflow, timers)
    catch_up(workflow, row.fired_notices)  # notices the scheduler fired without this state (notices.py)
    return Running(row, workflow, known={str(t.id) for t in ready_user_tasks(workflow)})


def _apply_timer_rows(workflow, rows: dict):
    """The timer table is authoritative: a recomputed deadline reaches the waiting timer before it is checked."""
    if not rows:
        return
    for task in all_tasks(workflow):
        due = rows.get(str(task.id))
        if due is None or task.state != TaskState.WAITING:
            continue
        value = task.internal_data.get("event_value")
        if not isinstance(value, str) or TimerEventDefinition.get_datetime(value) != due:
            task.internal_data["event_value"] = due.isoformat()


@contextmanager
def engine_run(running: Running):
    """One engine run: bounded in time and steps (limits.py); queries made by scripts do not flush pending rows,
    so the run takes no write lock. A limit becomes LimitExceeded naming the element. Nested runs join."""
    session = Session.object_session(running.row)
    environment = running.workflow.script_engine.environment
    with session.no_autoflush if session is not None else nullcontext(), environment.run() as budget:
        try:
            yield budget
        except ScriptLimitExceeded as err:
            raise LimitExceeded(f"{err.bpmn_id or 'model'}: {err}", err.bpmn_id) from err


def advance(running: Running):
    """Fire due timers and run every automatic step until the instance waits for a user or a timer."""

    def record(task):
        if task.task_spec.bpmn_id:
            running.steps.append(task.task_spec.bpmn_id)

    with engine_run(running) as budget:
        try:
            running.workflow.refresh_timers()
            running.workflow.do_engine_steps(will_complete_task=budget.step, did_complete_task=record)
        except SpiffWorkflowException as err:
            task = getattr(err, "task", None)
            bpmn_id = task.task_spec.bpmn_id if task is not None else None
            raise StepFailed(f"{bpmn_id or 'model'}: {_reason(err)}", bpmn_id) from err
        for task in ready_user_tasks(running.workflow):
            task_id = str(task.id)
            if task_id not in running.known and task_id not in running.dues:
                running.dues[task_id] = due_of(running, task)


def all_tasks(workflow):
    """Every task of the instance and of its subprocesses (a flat walk, cheaper than the tree iterator)."""
    yield from workflow.tasks.values()
    for subprocess in workflow.subprocesses.values():
        yield from subprocess.tasks.values()


def ready_user_tasks(workflow) -> list:
    """User tasks waiting for a person, in this workflow and its subprocesses."""
    return [t for t in all_tasks(workflow) if t.state == TaskState.READY and t.task_spec.manual]


def timers_fell_due(running: Running) -> bool:
    """Check the waiting timers against the clock; True when at least one fired."""
    waiting = [t for t in running.workflow.event_manager.tasks.values() if t.state == TaskState.WAITING]
    running.workflow.refresh_timers()
    return any(t.state != TaskState.WAITING for t in waiting)


def complete_user_task(running: Running, task_id: str, values: dict):
    """Complete a READY user task with typed form values, then run the engine on (one bounded run)."""
    with engine_run(running):
        if timers_fell_due(running):
            advance(running)  # a deadline that fell due must win over a late form
        task = running.workflow.get_task_from_id(UUID(task_id))
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            raise TaskNotReady(task_id)
        task.data.update(values)
        try:
            task.run()
        except SpiffWorkflowException as err:
            raise StepFailed(f"{task.task_spec.bpmn_id}: {_reason(err)}", task.task_spec.bpmn_id) from err
        advance(running)


def evaluate(running: Running, task, expression: str):
    """Evaluate a model expression (e.g. a dueDate) in the context of a task, as a bounded engine run."""
    with engine_run(running):
        try:
            return running.workflow.script_engine.evaluate(task, expression)
        except SpiffWorkflowException as err:
            raise StepFailed(f"{task.task_spec.bpmn_id}: {_reason(err)}", task.task_spec.bpmn_id) from err


def _reason(err: SpiffWorkflowException) -> str:
    """SpiffWorkflow's message, with the error it wraps when the message leaves it out (e.g. an expression's)."""
    inner = err.__cause__ or err.__context__
    text = str(err)
    return f"{text} ({type(inner).__name__}: {inner})" if inner is not None and str(inner) not in text else text


def due_of(running: Running, task) -> datetime | None:
    """The due date a user task shows (camunda:dueDate), or None."""
    expression = strip_expression((getattr(task.task_spec, "extensions", None) or {}).get("due_date"))
    return _as_datetime(evaluate(running, task, expression)) if expression else None


def fill_data(running: Running, **values):
    """Set variables every task of the instance already carries (e.g. the id a new petition got when stored)."""
    for task in all_tasks(running.workflow):
        for name, value in values.items():
            if name in task.data:
                task.data[name] = value


def _as_datetime(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return TimerEventDefinition.get_datetime(str(value))


def user_task_spec(definition: ProcessDefinition, process_key: str, bpmn_id: str):
    """The task spec of a user task of a definition (for its form)."""
    spec, subprocess_specs = specs_of(definition)
    process = spec if spec.name == process_key else subprocess_specs[process_key]
    for task_spec in process.task_specs.values():
        if task_spec.bpmn_id == bpmn_id and task_spec.manual:
            return task_spec
    raise EngineError(f"{process_key} has no user task {bpmn_id}")


def element_properties(definition: ProcessDefinition, bpmn_id: str) -> dict:
    """camunda:properties of an element of the definition's top-level process."""
    spec, _ = specs_of(definition)
    for task_spec in spec.task_specs.values():
        if task_spec.bpmn_id == bpmn_id:
            return (getattr(task_spec, "extensions", None) or {}).get("properties", {})
    return {}
