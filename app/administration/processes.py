"""Process versions: uploaded BPMN files are checked by the rules of `run.py validate` (the engine's deploy
applies them), then deployed as new versions.

Nothing is deployed while any problem remains. The database keeps each version's XML; `processes/` is not
written.
"""

import hashlib
from dataclasses import dataclass
from pathlib import PurePath

from sqlalchemy import case, func, select

from app.accounts.policy import require_admin
from app.audit.log import record
from app.engine.deployment import (
    Deployment,
    DeploymentRefused,
    deploy,
    latest_definition,
    make_current,
    plan_deployment,
)
from app.engine.models import ProcessDefinition, ProcessInstance
from app.engine.validation import Problem
from app.engine.version_diff import VersionDiff, version_diff
from app.errors import FieldError, FormInvalid, NotFound
from app.petitions.catalog import STATUSES
from app.transaction import operation
from app.translation import lazy_gettext

MAX_BYTES = 5 * 1024 * 1024
EXTENSIONS = (".bpmn", ".xml")
LABEL = lazy_gettext("Tệp BPMN")


# What kind of problem each refusal is, for readers of the Vietnamese page (the engine's detail stays English,
# as Camunda Modeler and SpiffWorkflow word it): the first group whose words the detail contains.
PROBLEM_KINDS = (
    (("XML", "DOCTYPE", "UTF-8"), lazy_gettext("Tệp XML không đọc được")),
    (("BPMN schema",), lazy_gettext("Sai cấu trúc BPMN 2.0")),
    (("Camunda Modeler cannot draw it",), lazy_gettext("Thiếu hình vẽ: Camunda Modeler không vẽ được phần tử này")),
    (("formRef", "formKey", ".form"), lazy_gettext("Mẫu biểu (Camunda Forms) thiếu hoặc sai")),
    (("status ",), lazy_gettext("Trạng thái hồ sơ không có trong danh mục")),
    (("Python", "sandbox", "expression", "script"), lazy_gettext("Biểu thức hoặc đoạn mã Python sai hoặc bị cấm")),
    (
        ("Java", "Zeebe", "Camunda 8", "not supported", "not run", "not applied", "DMN", "listener", "connector"),
        lazy_gettext("Dùng tính năng của Camunda mà hệ thống không chạy"),
    ),
)
OTHER_PROBLEM = lazy_gettext("Quy trình không chạy được như đã vẽ")


def problem_kind(problem: Problem) -> str:
    """The problem's kind in the reader's language."""
    return str(next((kind for words, kind in PROBLEM_KINDS if any(w in problem.message for w in words)), OTHER_PROBLEM))


class ModelInvalid(Exception):
    """The files cannot be deployed; `problems` names file, line and element of each reason."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class VersionRow:
    definition: ProcessDefinition
    running: int
    total: int
    latest: bool  # the newest version deployed
    current: bool  # new cases start on it (the newest, unless an earlier one was made current again)


def process_versions(session) -> list[VersionRow]:
    """Every deployed version, newest first per process, with how many of its instances run."""
    counts = {
        definition_id: (running or 0, total)
        for definition_id, running, total in session.execute(
            select(
                ProcessInstance.definition_id,
                func.sum(case((ProcessInstance.status == "running", 1), else_=0)),
                func.count(ProcessInstance.id),
            ).group_by(ProcessInstance.definition_id)
        )
    }
    definitions = session.scalars(
        select(ProcessDefinition).order_by(ProcessDefinition.process_key, ProcessDefinition.version.desc())
    ).all()
    newest, current = {}, {}
    for definition in definitions:
        newest.setdefault(definition.process_key, definition.id)
    for key in newest:
        current[key] = latest_definition(session, key).id
    return [
        VersionRow(
            d, *counts.get(d.id, (0, 0)), latest=newest[d.process_key] == d.id, current=current[d.process_key] == d.id
        )
        for d in definitions
    ]


def _looks_like_xml(data: bytes) -> bool:
    head = data.lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<")


def uploaded_documents(files: list[tuple[str, bytes]]) -> dict[str, bytes]:
    """(file name, bytes) as uploaded → documents to validate; refuses empty, oversized and non-XML files.

    `bytes` may hold one byte more than the limit (the reader stops there) to tell an oversized file.
    """
    files = [(PurePath((name or "").replace("\\", "/")).name[:300], data) for name, data in files if name or data]
    if not files:
        raise FormInvalid([FieldError("files", "required", {"label": LABEL})])
    errors, documents = [], {}
    for name, data in files:
        if len(data) > MAX_BYTES:
            errors.append(FieldError("files", "file_size", {"label": LABEL, "name": name, "limit": "5 MB"}))
        elif not name.lower().endswith(EXTENSIONS) or not _looks_like_xml(data):
            errors.append(FieldError("files", "bpmn_not_xml", {"label": LABEL, "name": name}))
        else:
            documents[name] = data
    if errors:
        raise FormInvalid(errors)
    return documents


def _latest_versions(session) -> dict[str, int]:
    rows = session.execute(
        select(ProcessDefinition.process_key, func.max(ProcessDefinition.version)).group_by(
            ProcessDefinition.process_key
        )
    )
    return dict(rows.all())


@operation
def deploy_processes(session, actor, documents: dict[str, bytes]) -> list[Deployment]:
    """Deploy checked documents; a file identical to a deployed version gives no new version. Audited with the
    latest version of each process before and after."""
    files = {name: hashlib.sha256(data).hexdigest() for name, data in documents.items()}
    require_admin(actor, "process.deployed", {"files": files})
    before = _latest_versions(session)
    try:
        results = deploy(session, documents, deployed_by=actor.username, statuses=STATUSES)
    except DeploymentRefused as refused:
        raise ModelInvalid(refused.problems) from None
    after = _latest_versions(session)
    keys = [r.process_key for r in results]
    record(
        session,
        actor,
        "process.deployed",
        data={
            "files": files,
            "results": [{"process": r.process_key, "version": r.version, "created": r.created} for r in results],
            "before": {key: before.get(key) for key in keys},
            "after": {key: after.get(key) for key in keys},
        },
    )
    return results


@dataclass
class PlannedVersion:
    """One process of the uploaded files before it is deployed: the current version and what would change."""

    process_key: str
    file_name: str
    current: ProcessDefinition | None
    identical: ProcessDefinition | None  # a deployed version with the same content: nothing would be deployed
    diff: VersionDiff


def preview_deployment(session, actor, documents: dict[str, bytes]) -> list[PlannedVersion]:
    """What deploying the documents would do, checked by the same rules as the deploy; nothing stored.
    Refused (audited) to non-administrators; ModelInvalid with every problem."""
    require_admin(actor, "process.deployed", {"files": sorted(documents)})
    try:
        planned = plan_deployment(session, documents, statuses=STATUSES)
    except DeploymentRefused as refused:
        raise ModelInvalid(refused.problems) from None
    versions = []
    for plan in planned:
        current = latest_definition(session, plan.process_key)
        diff = version_diff(current.bpmn_xml if current else None, documents[plan.file_name], plan.process_key)
        versions.append(PlannedVersion(plan.process_key, plan.file_name, current, plan.existing, diff))
    return versions


@operation
def make_version_current(session, actor, definition_id: int) -> ProcessDefinition:
    """New instances of the process start on this version again (running instances keep theirs); audited with
    the version current before."""
    require_admin(actor, "process.made_current", {"definition": definition_id})
    definition = session.get(ProcessDefinition, definition_id)
    if definition is None:
        raise NotFound(f"process definition {definition_id}")
    before = make_current(session, definition, actor.username)
    record(
        session,
        actor,
        "process.made_current",
        data={"process": definition.process_key, "from": before.version if before else None, "to": definition.version},
    )
    return definition
