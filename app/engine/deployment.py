"""Deploy BPMN files as versioned process definitions and serve their parsed specs from a cache."""

import hashlib
from dataclasses import dataclass

from sqlalchemy import func, select

from .models import ProcessDefinition
from .parser import PaknParser, parse_documents
from .serialization import dump_specs, load_specs
from .validation import form_reference_problems, script_problems


@dataclass
class Deployment:
    """What deploying did for one executable process."""

    process_key: str
    version: int
    created: bool
    definition: ProcessDefinition


def entry_processes(parser: PaknParser) -> list[str]:
    """Executable processes that no call activity of these documents calls: the ones a case starts."""
    called = set()
    for process_id in parser.get_process_ids():
        called.update(parser.get_process_parser(process_id).called_element_ids())
    return [pid for pid in parser.get_process_ids() if pid not in called and _is_executable(parser, pid)]


def _is_executable(parser, process_id) -> bool:
    return parser.get_process_parser(process_id).process_executable


def _content_hash(parser, documents, process_id) -> tuple[str, str]:
    """Hash of the files the process needs (its own and those of processes it calls), and its own file."""
    own_file = parser.get_process_parser(process_id).filename
    files = {own_file}
    for name in parser.get_subprocess_specs(process_id):
        files.add(parser.get_process_parser(name).filename)
    digest = hashlib.sha256()
    for file_name in sorted(files):
        digest.update(hashlib.sha256(documents[file_name]).digest())
    return digest.hexdigest(), own_file


class DeploymentRefused(ValueError):
    """The documents name task forms that are missing or unusable, or have scripts the sandbox refuses;
    nothing was deployed."""

    def __init__(self, problems: list):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def deploy(session, documents: dict[str, bytes], deployed_by: str | None = None, forms=None) -> list[Deployment]:
    """Store each entry process as a new version unless an identical one is deployed. Caller commits.

    Raises DeploymentRefused when a user task names a Camunda Form that `forms` (a FormRegistry or a folder,
    default: the configured forms/) lacks or that has problems: such a task could not be shown or checked;
    and when a script or expression would be refused by the script sandbox at run time.
    """
    problems = script_problems(documents) + form_reference_problems(documents, forms)
    if problems:
        raise DeploymentRefused(problems)
    parser = parse_documents(documents)
    results = []
    for process_id in entry_processes(parser):
        content_hash, own_file = _content_hash(parser, documents, process_id)
        existing = session.scalar(
            select(ProcessDefinition).filter_by(process_key=process_id, content_hash=content_hash)
        )
        if existing is not None:
            results.append(Deployment(process_id, existing.version, False, existing))
            continue
        spec = parser.get_spec(process_id)
        latest = session.scalar(select(func.max(ProcessDefinition.version)).filter_by(process_key=process_id))
        definition = ProcessDefinition(
            process_key=process_id,
            name=spec.description if spec.description != process_id else None,
            version=(latest or 0) + 1,
            content_hash=content_hash,
            file_name=own_file,
            bpmn_xml=documents[own_file].decode("utf-8"),
            spec_json=dump_specs(spec, parser.get_subprocess_specs(process_id)),
            deployed_by=deployed_by,
        )
        session.add(definition)
        session.flush()
        results.append(Deployment(process_id, definition.version, True, definition))
    return results


def latest_definition(session, process_key: str) -> ProcessDefinition | None:
    """The newest version of a process: the one new cases start on."""
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
