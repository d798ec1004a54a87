"""What the start pages read: the processes a user may start (latest versions), one of them with its start form and
the data that form shows, and who started an instance."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.engine.deployment import latest_definition, specs_of
from app.engine.models import CurrentVersion, ProcessDefinition, ProcessInstance
from app.engine.starting import StartEvent, start_event
from app.errors import NotFound
from app.petitions.models import ProcessChoice
from app.petitions.routing import CLARIFICATION_PROCESS, DEFAULT_PROCESS
from app.tasks.form_interface import AGENCY_OPTIONS, TaskForm
from app.tasks.task_forms import agency_options, task_form

from .policy import may_start

STARTED = "process.started"  # the audit action of a start (who started an instance, with the form's values)


@dataclass(frozen=True)
class Startable:
    """The latest version of a process people start by hand, and its none start event."""

    definition: ProcessDefinition
    start: StartEvent

    @property
    def key(self) -> str:
        return self.definition.process_key

    @property
    def name(self) -> str:
        return self.definition.name or self.definition.process_key


def _petition_processes(session) -> set[str]:
    """Processes petitions start (the default, the administrators' choices, a sender's reply to the answer): never
    started by hand."""
    return {DEFAULT_PROCESS, CLARIFICATION_PROCESS, *session.scalars(select(ProcessChoice.process_key))}


def _latest_definitions(session) -> list[ProcessDefinition]:
    newest = (
        select(ProcessDefinition.process_key, func.max(ProcessDefinition.version).label("version"))
        .group_by(ProcessDefinition.process_key)
        .subquery()
    )
    # the current version: the newest, unless an administrator made an earlier one current again
    pinned = CurrentVersion.definition_id
    query = (
        select(ProcessDefinition)
        .join(newest, ProcessDefinition.process_key == newest.c.process_key)
        .outerjoin(CurrentVersion, CurrentVersion.process_key == ProcessDefinition.process_key)
        .where(or_(ProcessDefinition.id == pinned, pinned.is_(None) & (ProcessDefinition.version == newest.c.version)))
    )
    return list(session.scalars(query.order_by(ProcessDefinition.name, ProcessDefinition.process_key)))


def _startable(session, definition: ProcessDefinition, excluded: set[str]) -> Startable | None:
    if definition.process_key in excluded:
        return None
    start = start_event(specs_of(definition)[0])
    return Startable(definition, start) if start is not None else None


def startable_processes(session, user) -> list[Startable]:
    """The processes `user` may start, by name: latest versions with a none start event, petitions' excluded."""
    excluded = _petition_processes(session)
    found = (_startable(session, d, excluded) for d in _latest_definitions(session))
    return [s for s in found if s is not None and may_start(user, s.start)]


def startable(session, process_key: str) -> Startable:
    """The latest version of a process people may start by hand (whoever asks); NotFound when there is none:
    not deployed, started by petitions, or without a none start event."""
    definition = latest_definition(session, process_key)
    found = _startable(session, definition, _petition_processes(session)) if definition is not None else None
    if found is None:
        raise NotFound(f"no process {process_key} to start")
    return found


def start_form(session, found: Startable) -> TaskForm:
    """The start event's form (its Camunda Form, or its generated formData form; no fields when it has none)."""
    return task_form(session, found.start.spec)


def start_context(session, user, found: Startable) -> dict:
    """What the start form reads: the initiator variable, the starter's agency in agency fields left without a
    default, and the agencies a starter may choose (his own; every agency for someone without one)."""
    context = {found.start.initiator: user.username} if found.start.initiator else {}
    for field in start_form(session, found).describe():
        if (field.properties or {}).get("ref") == "agency" and not field.default and user.agency_code:
            context[field.id] = user.agency_code
    own = user.agency
    options = agency_options(session, own.province_code if own else None)
    if own is not None:  # staff start for their own agency: no tasks sent to other agencies' inboxes
        options = [option for option in options if option["value"] == own.code]
    return {**context, AGENCY_OPTIONS: options}


def started_by(session, instance_ids) -> dict[int, str]:
    """instance id → username of who started it by hand (from the audit log)."""
    rows = session.execute(
        select(AuditEntry.instance_id, AuditEntry.actor).where(
            AuditEntry.action == STARTED, AuditEntry.instance_id.in_(list(instance_ids))
        )
    ).all()
    return dict(rows)


@dataclass(frozen=True)
class StartedInstance:
    """An instance as its task pages introduce it when it has no petition: who started it (full name)."""

    instance: ProcessInstance
    started_by: str | None


def started_instance(session, instance_id: int) -> StartedInstance:
    """An instance and the full name of whoever started it by hand (None when nobody did); NotFound without it."""
    instance = session.get(ProcessInstance, instance_id)
    if instance is None:
        raise NotFound(f"process instance {instance_id}")
    username = started_by(session, [instance_id]).get(instance_id)
    name = session.scalar(select(User.full_name).where(User.username == username)) if username else None
    return StartedInstance(instance, name or username)
