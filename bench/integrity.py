"""What a crash may not leave behind: checks of a database against what the load clients were told.

Every acknowledged submission (302 to its tracking code) and completion (302) must be stored whole; every case
in the database must be whole: its process instance loads, the open work items are the instance's ready user
tasks, the timer rows are its waiting timers (same due instants), its submission and every completion are in the
audit log, its files are in the uploads folder. Requests that got no answer may be stored or not, never half.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from app.attachments.files import path_of
from app.attachments.models import Attachment
from app.audit.models import AuditEntry
from app.db import make_engine, make_session_factory
from app.engine.deployment import specs_of
from app.engine.models import ProcessInstance, Timer, WorkItem
from app.engine.runtime import all_tasks, load_instance, ready_user_tasks
from app.engine.serialization import load_state
from app.petitions.case_functions import CaseFunctions
from app.petitions.models import Petition
from bench.load import NONCE, Tally


@dataclass
class Report:
    petitions: int = 0
    half: list[str] = field(default_factory=list)  # what is wrong, one line per problem
    half_cases: int = 0  # cases (or instances) with at least one problem
    counts: dict = field(default_factory=dict)

    def line(self) -> str:
        return ", ".join(f"{key} {value}" for key, value in self.counts.items())


def _waiting_timers(state: bytes, definition) -> dict[str, object]:
    """Waiting timer tasks of the stored state, as stored (before load_instance applies the timer rows)."""
    spec, subprocess_specs = specs_of(definition)
    workflow = load_state(state, spec, subprocess_specs, None)
    waiting = {}
    for task in all_tasks(workflow):
        definition_ = getattr(task.task_spec, "event_definition", None)
        value = task.internal_data.get("event_value")
        if task.state == TaskState.WAITING and isinstance(definition_, TimerEventDefinition) and isinstance(value, str):
            waiting[str(task.id)] = TimerEventDefinition.get_datetime(value)
    return waiting


def _check_case(session, petition: Petition, audit: dict, uploads: Path | None) -> list[str]:
    """Problems of one case: [] when it is whole."""
    code = petition.tracking_code
    if petition.instance_id is None or session.get(ProcessInstance, petition.instance_id) is None:
        return [f"{code}: no process instance"]
    try:
        running = load_instance(session, petition.instance_id, CaseFunctions(session, petition).functions())
    except Exception as failure:  # any failure to load is the finding
        return [f"{code}: instance does not load: {type(failure).__name__}: {failure}"]
    row, problems = running.row, []
    ready = {str(t.id) for t in ready_user_tasks(running.workflow)}
    items = session.scalars(select(WorkItem).where(WorkItem.instance_id == row.id)).all()
    open_items = {i.task_id for i in items if i.state == "ready"}
    if open_items != ready:
        problems.append(f"{code}: open work items {sorted(open_items)} != ready user tasks {sorted(ready)}")
    timers = dict(session.execute(select(Timer.task_id, Timer.due_at).where(Timer.instance_id == row.id)).all())
    if timers != _waiting_timers(row.state, row.definition):
        problems.append(f"{code}: timer rows differ from the instance's waiting timers")
    if running.workflow.completed != (row.status == "completed"):
        problems.append(f"{code}: instance status {row.status} but workflow completed={running.workflow.completed}")
    actions = audit.get(petition.id, set())
    if ("petition.submitted", None) not in actions:
        problems.append(f"{code}: no petition.submitted audit entry")
    for item in items:
        if item.state == "completed" and ("task.completed", item.task_id) not in actions:
            problems.append(f"{code}: work item {item.id} completed without its audit entry")
    if uploads is not None:
        for attachment in session.scalars(select(Attachment).where(Attachment.petition_id == petition.id)):
            stored = path_of(uploads, attachment.sha256)
            if not stored.is_file() or stored.stat().st_size != attachment.size:
                problems.append(f"{code}: file {attachment.file_name} missing or truncated")
    session.rollback()  # load_instance locked the row; a checker holds nothing
    return problems


def check(database_url: str, tally: Tally, uploads: Path | None = None) -> Report:
    """Compare the database with what the clients were told; counts and half-advanced cases."""
    engine = make_engine(database_url)
    report = Report()
    with make_session_factory(engine)() as session:
        audit = defaultdict(set)
        for petition_id, action, task_id in session.execute(
            select(AuditEntry.petition_id, AuditEntry.action, AuditEntry.task_id).where(AuditEntry.outcome == "ok")
        ):
            audit[petition_id].add((action, task_id if action == "task.completed" else None))
        petitions = session.scalars(select(Petition).order_by(Petition.id)).all()
        report.petitions = len(petitions)
        for petition in petitions:
            problems = _check_case(session, petition, audit, uploads)
            report.half += problems
            report.half_cases += bool(problems)
        owned = {p.instance_id for p in petitions}
        for instance_id in session.scalars(select(ProcessInstance.id)):
            if instance_id not in owned:
                report.half.append(f"instance {instance_id}: no petition")
                report.half_cases += 1
        by_code = {p.tracking_code: p for p in petitions}
        titles = {p.title for p in petitions}
        items = {str(i.id): i for i in session.scalars(select(WorkItem))}
    engine.dispose()
    _count(report, tally, by_code, titles, items)
    return report


def _count(report: Report, tally: Tally, by_code: dict, titles: set, items: dict):
    submissions, completions = tally.of("submit"), tally.of("complete")
    acked = [o for o in submissions if o.acknowledged]
    done = [o for o in completions if o.acknowledged]
    stored = {match.group(1) for title in titles if (match := NONCE.search(title))}
    missing = [o.code for o in acked if o.code not in by_code]
    lost = [o.key for o in done if o.key not in items or items[o.key].state != "completed"]
    unanswered = [o for o in submissions if o.status is None]
    failed = [o for o in submissions if o.status is not None and o.status >= 500]
    report.counts = {
        "submissions sent": len(submissions),
        "acknowledged": len(acked),
        "found": len(acked) - len(missing),
        "missing": len(missing),
        "unanswered": len(unanswered),
        "unanswered stored": sum(o.key in stored for o in unanswered),
        "5xx answered but stored": sum(o.key in stored for o in failed),
        "completions sent": len(completions),
        "completions acknowledged": len(done),
        "completions found": len(done) - len(lost),
        "completions missing": len(lost),
        "completions unanswered": sum(o.status is None for o in completions),
        "completions unanswered done": sum(
            o.status is None and o.key in items and items[o.key].state == "completed" for o in completions
        ),
        "petitions in database": report.petitions,
        "half-advanced": report.half_cases,
    }
