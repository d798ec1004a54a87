"""Administrators choose which deployed process new petitions of a province and channel start (latest or pinned
version), see which version each route follows, and move running instances to a newer version where the tasks
they are in still exist (previewed first; each move audited)."""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.accounts.policy import require_admin
from app.agencies.models import Province
from app.audit.log import record
from app.engine.deployment import latest_definition
from app.engine.instances import load_instance, read_instance, save
from app.engine.migration import missing_elements, move_to
from app.engine.models import ProcessDefinition, ProcessInstance, WorkItem
from app.errors import FieldError, FormInvalid, NotFound
from app.petitions.case_functions import CaseFunctions
from app.petitions.catalog import CHANNELS
from app.petitions.models import Petition, ProcessChoice
from app.petitions.routing import DEFAULT_PROCESS, definition_of
from app.transaction import operation
from app.translation import lazy_gettext, lazy_pgettext

from .rules import text

LABELS = {
    "province": lazy_gettext("Tỉnh, thành phố"),
    "channel": lazy_gettext("Kênh tiếp nhận"),
    "process_key": lazy_pgettext("one process", "Quy trình"),
    "version": lazy_gettext("Phiên bản"),
}


def _error(errors, key, rule, **params):
    errors.append(FieldError(key, rule, {"label": LABELS[key], **params}))


@operation
def choose_process(session, actor, raw: dict) -> ProcessChoice:
    """Set (or replace) the process new petitions of a province and channel start; audited with before/after."""
    values = {key: text(raw, key) for key in LABELS}
    require_admin(actor, "process.chosen", values)
    errors = []
    province, channel = values["province"] or None, values["channel"] or None
    if province and session.get(Province, province) is None:
        _error(errors, "province", "ref", value=province)
    if channel and channel not in CHANNELS:
        _error(errors, "channel", "enum", allowed=", ".join(CHANNELS))
    version = None
    if values["version"]:
        if not values["version"].isdigit() or len(values["version"]) > 6:
            _error(errors, "version", "type_long")
        else:
            version = int(values["version"])
    if not values["process_key"]:
        _error(errors, "process_key", "required")
    elif definition_of(session, values["process_key"], version) is None:
        _error(errors, "process_key", "ref", value=f"{values['process_key']} v{version or '…'}")
    if errors:
        raise FormInvalid(errors)
    choice = session.scalar(
        select(ProcessChoice).where(_is(ProcessChoice.province_code, province), _is(ProcessChoice.channel, channel))
    )
    before = _snapshot(choice)
    choice = choice or ProcessChoice(province_code=province, channel=channel)
    choice.process_key, choice.version, choice.chosen_by = values["process_key"], version, actor.username
    session.add(choice)
    session.flush()
    record(session, actor, "process.chosen", data={"before": before, "after": _snapshot(choice)})
    return choice


@operation
def remove_choice(session, actor, choice_id: int):
    """Drop a choice: its petitions then follow the next less specific choice (or the latest `pakn`)."""
    require_admin(actor, "process.choice_removed", {"choice": choice_id})
    choice = session.get(ProcessChoice, choice_id)
    if choice is None:
        raise NotFound(f"process choice {choice_id}")
    record(session, actor, "process.choice_removed", data={"before": _snapshot(choice)})
    session.delete(choice)


def _is(column, value):
    return column.is_(None) if value is None else column == value


def _snapshot(choice: ProcessChoice | None) -> dict | None:
    if choice is None:
        return None
    return {"province": choice.province_code, "channel": choice.channel, "process": choice.process_key,
            "version": choice.version}  # fmt: skip


def choices(session) -> list[ProcessChoice]:
    rows = session.scalars(select(ProcessChoice)).all()
    return sorted(rows, key=lambda c: (c.province_code or "", c.channel or ""))


def followed_versions(session) -> dict[int, list[ProcessChoice | None]]:
    """Which definition each route's new petitions start now: definition id → the choices leading there (None
    standing for the default route, the latest `pakn`, which every province and channel without a choice takes)."""
    routes: dict[int, list] = {}
    default = latest_definition(session, DEFAULT_PROCESS)
    if default is not None:
        routes.setdefault(default.id, []).append(None)
    for choice in choices(session):
        definition = definition_of(session, choice.process_key, choice.version)
        if definition is not None:
            routes.setdefault(definition.id, []).append(choice)
    return routes


@dataclass
class MigrationPreview:
    source: ProcessDefinition
    target: ProcessDefinition
    movable: list[tuple[ProcessInstance, list[str]]] = field(default_factory=list)  # with their waiting tasks
    staying: list[tuple[ProcessInstance, list[str]]] = field(default_factory=list)  # with what the target lacks


@dataclass
class Migrated:
    instance_ids: list[int]  # the instances moved
    target: ProcessDefinition  # the version they run now (the page names it: new petitions may follow another)


def _versions(session, definition_id: int) -> tuple[ProcessDefinition, ProcessDefinition]:
    source = session.get(ProcessDefinition, definition_id)
    if source is None:
        raise NotFound(f"process definition {definition_id}")
    target = latest_definition(session, source.process_key)
    return source, target


def preview_migration(session, actor, definition_id: int) -> MigrationPreview:
    """What moving the running instances of a version to its process's latest version would do; nothing stored."""
    require_admin(actor, "process.instances_migrated", {"definition": definition_id})
    source, target = _versions(session, definition_id)
    preview = MigrationPreview(source, target)
    running = session.scalars(
        select(ProcessInstance).where(ProcessInstance.definition_id == source.id, ProcessInstance.status == "running")
    ).all()
    for instance in running:
        missing = missing_elements(read_instance(session, instance.id).workflow, target)
        if missing or target.id == source.id:
            preview.staying.append((instance, missing))
        else:
            preview.movable.append((instance, _waiting(session, instance.id)))
    return preview


def _waiting(session, instance_id: int) -> list[str]:
    names = session.scalars(select(WorkItem.name).where(WorkItem.instance_id == instance_id, WorkItem.state == "ready"))
    return list(names)


@operation
def migrate_instances(session, actor, definition_id: int) -> Migrated:
    """Move every running instance of a version that can move to its process's latest version; audited per
    instance. Deadlines and timers stay; instances whose tasks the latest version lacks stay where they are."""
    require_admin(actor, "process.instances_migrated", {"definition": definition_id})
    source, target = _versions(session, definition_id)
    moved = []
    instance_ids = session.scalars(
        select(ProcessInstance.id).where(
            ProcessInstance.definition_id == source.id, ProcessInstance.status == "running"
        )
    ).all()
    for instance_id in instance_ids:
        petition = session.scalar(select(Petition).where(Petition.instance_id == instance_id))
        functions = CaseFunctions(session, petition).functions() if petition is not None else {}
        running = load_instance(session, instance_id, functions)
        if target.id == source.id or missing_elements(running.workflow, target):
            continue
        move_to(running, target)
        save(session, running, actor.username)
        moved.append(instance_id)
        record(session, actor, "process.instance_migrated", petition=petition, instance_id=instance_id,
               data={"process": source.process_key, "from": source.version, "to": target.version})  # fmt: skip
    record(session, actor, "process.instances_migrated",
           data={"process": source.process_key, "from": source.version, "to": target.version, "moved": len(moved),
                 "running": len(instance_ids)})  # fmt: skip
    return Migrated(moved, target)


def running_counts(session) -> dict[int, int]:
    """Running instances per definition id."""
    query = select(ProcessInstance.definition_id, func.count(ProcessInstance.id)).where(
        ProcessInstance.status == "running"
    )
    return dict(session.execute(query.group_by(ProcessInstance.definition_id)).all())
