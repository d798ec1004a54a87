"""Deploy BPMN files as versioned process definitions and serve their parsed specs from a cache."""

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select

from app.db import utcnow

from .models import CurrentVersion, ProcessDefinition
from .parser import entry_processes, parse_documents
from .serialization import dump_specs, load_specs
from .validation import validate_documents


@dataclass
class Deployment:
    """What deploying did for one executable process."""

    process_key: str
    version: int
    created: bool
    definition: ProcessDefinition


def _content_hash(parser, documents, process_id, called_versions) -> tuple[str, str]:
    """Hash of the files the process needs (its own, those of processes it calls, the deployed versions it
    calls), and its own file."""
    own_file = parser.get_process_parser(process_id).filename
    files, versions = {own_file}, set()
    for name in parser.get_subprocess_specs(process_id):
        process_parser = parser.get_process_parser(name)
        if process_parser is not None:
            files.add(process_parser.filename)
        elif name in called_versions:
            versions.add(called_versions[name])
    digest = hashlib.sha256()
    for file_name in sorted(files):
        digest.update(hashlib.sha256(documents[file_name]).digest())
    for content_hash in sorted(versions):
        digest.update(content_hash.encode())
    return digest.hexdigest(), own_file


def deployed_process_keys(session) -> set[str]:
    """The keys of the deployed processes: call activities of new files may call them."""
    return set(session.scalars(select(ProcessDefinition.process_key).distinct()))


def _add_called_versions(session, parser) -> dict[str, str]:
    """Give the parser the latest deployed version of each process its call activities name but lack;
    returns their content hashes by process key."""
    versions = {}
    for key in parser.called_processes() - set(parser.get_process_ids()):
        definition = latest_definition(session, key)
        if definition is None:
            continue  # validation refused it already
        spec, subprocess_specs = specs_of(definition)
        parser.deployed_specs.update(subprocess_specs)
        parser.deployed_specs[key] = spec
        versions[key] = definition.content_hash
    return versions


class DeploymentRefused(ValueError):
    """The documents have problems (`validate_documents`), or no process to deploy; nothing was deployed."""

    def __init__(self, problems: list):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Planned:
    """What deploying would do for one executable process: its file, and the deployed version it is identical to."""

    process_key: str
    file_name: str
    content_hash: str
    existing: ProcessDefinition | None


def _plan(session, documents, forms, statuses):
    problems = validate_documents(documents, statuses, forms, deployed=deployed_process_keys(session))
    if problems:
        raise DeploymentRefused(problems)
    parser = parse_documents(documents)
    called_versions = _add_called_versions(session, parser)
    planned = []
    for process_id in entry_processes(parser):
        content_hash, own_file = _content_hash(parser, documents, process_id, called_versions)
        existing = session.scalar(
            select(ProcessDefinition).filter_by(process_key=process_id, content_hash=content_hash)
        )
        planned.append(Planned(process_id, own_file, content_hash, existing))
    return parser, planned


def plan_deployment(session, documents: dict[str, bytes], forms=None, statuses=None) -> list[Planned]:
    """What `deploy` would store, nothing stored; raises DeploymentRefused as `deploy` does."""
    return _plan(session, documents, forms, statuses)[1]


def deploy(
    session, documents: dict[str, bytes], deployed_by: str | None = None, forms=None, statuses=None
) -> list[Deployment]:
    """Store each entry process as a new version unless an identical one is deployed. Caller commits.

    Raises DeploymentRefused with every problem `validate_documents` finds (the same rules as `run.py validate`,
    `forms` a FormRegistry or a folder, default: the configured forms/; `statuses` the allowed `status`
    properties), including files with no executable process: nothing deployed then.
    """
    parser, planned = _plan(session, documents, forms, statuses)
    results = []
    for plan in planned:
        process_id, own_file = plan.process_key, plan.file_name
        if plan.existing is not None:
            results.append(Deployment(process_id, plan.existing.version, False, plan.existing))
            continue
        spec = parser.get_spec(process_id)
        latest = session.scalar(select(func.max(ProcessDefinition.version)).filter_by(process_key=process_id))
        definition = ProcessDefinition(
            process_key=process_id,
            name=spec.description if spec.description != process_id else None,
            version=(latest or 0) + 1,
            content_hash=plan.content_hash,
            file_name=own_file,
            bpmn_xml=documents[own_file].decode("utf-8"),
            spec_json=dump_specs(spec, parser.get_subprocess_specs(process_id)),
            deployed_by=deployed_by,
        )
        session.add(definition)
        # a newly deployed version is current: an earlier one made current again no longer is
        pinned = session.get(CurrentVersion, process_id)
        if pinned is not None:
            session.delete(pinned)
        session.flush()
        results.append(Deployment(process_id, definition.version, True, definition))
    return results


def latest_definition(session, process_key: str) -> ProcessDefinition | None:
    """The current version of a process, the one new cases start on: the newest, unless an administrator made an
    earlier one current again (`make_current`)."""
    pinned = session.get(CurrentVersion, process_key)
    if pinned is not None:
        return session.get(ProcessDefinition, pinned.definition_id)
    return session.scalar(
        select(ProcessDefinition).filter_by(process_key=process_key).order_by(ProcessDefinition.version.desc()).limit(1)
    )


_spec_cache: dict[tuple[int, str], tuple] = {}


def specs_of(definition: ProcessDefinition):
    """(spec, subprocess_specs) of a definition, restored once per process; definitions never change."""
    key = (definition.id, definition.content_hash)
    cached = _spec_cache.get(key)
    if cached is None:
        cached = _spec_cache[key] = load_specs(definition.spec_json)
    return cached


def make_current(session, definition: ProcessDefinition, chosen_by: str) -> ProcessDefinition | None:
    """New instances of the definition's process start on it (running ones keep theirs); returns the version that
    was current. Caller audits and commits."""
    before = latest_definition(session, definition.process_key)
    newest = session.scalar(
        select(ProcessDefinition)
        .filter_by(process_key=definition.process_key)
        .order_by(ProcessDefinition.version.desc())
        .limit(1)
    )
    pinned = session.get(CurrentVersion, definition.process_key)
    if definition.id == newest.id:
        if pinned is not None:
            session.delete(pinned)
    elif pinned is None:
        key = definition.process_key
        session.add(CurrentVersion(process_key=key, definition_id=definition.id, chosen_by=chosen_by))
    else:
        pinned.definition_id, pinned.chosen_by, pinned.chosen_at = definition.id, chosen_by, utcnow()
    session.flush()
    return before
