"""Administrators: process versions — the deployed versions with their running instances, and the upload of a
BPMN file saved by Camunda Modeler (checked first; deployed as a new version only when nothing is wrong)."""

import base64
import binascii

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.administration.process_choices import (
    choices,
    choose_process,
    followed_versions,
    migrate_instances,
    preview_migration,
    remove_choice,
)
from app.administration.processes import (
    MAX_BYTES,
    ModelInvalid,
    deploy_processes,
    make_version_current,
    preview_deployment,
    problem_kind,
    process_versions,
    uploaded_documents,
)
from app.administration.queries import definition_by_id
from app.errors import FormInvalid
from app.petitions.catalog import CHANNELS
from app.petitions.queries import all_provinces

from .. import db
from ..access import roles_required
from ..downloads import generated_file
from ..i18n import label
from ..tasklist.labels import field_errors
from .admin import ADMIN

bp = Blueprint("admin_processes", __name__, url_prefix="/quan-tri/quy-trinh")


def _uploaded_files() -> list[tuple[str, bytes]]:
    """Each chosen file, read up to one byte past the limit (enough to refuse it without reading it all)."""
    return [(f.filename or "", f.stream.read(MAX_BYTES + 1)) for f in request.files.getlist("files") if f.filename]


CHUNK = 300_000  # hidden fields stay under the form parser's per-field limit (500 kB)


def _carried(documents: dict[str, bytes]) -> list[tuple[str, list[str]]]:
    """The checked files as hidden fields of the confirmation form (base64 in chunks): nothing kept server-side
    between the preview and the deploy, which checks them all again."""
    carried = []
    for name, data in documents.items():
        text = base64.b64encode(data).decode("ascii")
        carried.append((name, [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]))
    return carried


def _confirmed_files() -> list[tuple[str, bytes]]:
    names, files = request.form.getlist("document"), []
    for index, name in enumerate(names):
        try:
            data = base64.b64decode("".join(request.form.getlist(f"document-{index}")), validate=True)
        except (binascii.Error, ValueError):
            data = b""
        files.append((name, data))
    return files


@bp.route("/", methods=["GET", "POST"])
@roles_required(ADMIN)
def processes():
    """GET: the versions. POST: the uploaded files checked and compared with the current versions; nothing is
    deployed before the administrator confirms (`deploy_confirmed`)."""
    if request.method == "GET":
        return _page()
    return _checked(lambda documents: _page(planned=preview_deployment(db(), current_user, documents),
                                            carried=_carried(documents)), _uploaded_files())  # fmt: skip


@bp.post("/trien-khai")
@roles_required(ADMIN)
def deploy_confirmed():
    """The confirmed files deployed (checked again, as at the preview)."""

    def deployed(documents):
        _deployed(deploy_processes(db(), current_user, documents))
        return redirect(url_for("admin_processes.processes"))

    return _checked(deployed, _confirmed_files())


def _checked(then, files):
    """`then(documents)` for files that pass the checks; the page with every refusal otherwise."""
    try:
        return then(uploaded_documents(files))
    except FormInvalid as invalid:
        # every refused file is named, not only the first
        errors = {"files": " ".join(field_errors(FormInvalid([e]))["files"] for e in invalid.errors)}
        return _page(errors=errors), 422
    except ModelInvalid as invalid:
        return _page(problems=_refusals(invalid.problems)), 422


@bp.post("/<int:definition_id>/dung-lai")
@roles_required(ADMIN)
def make_current(definition_id):
    """An earlier version made current again: new cases start on it, running ones keep theirs."""
    definition = make_version_current(db(), current_user, definition_id)
    names = {"process": label(definition.name or definition.process_key), "version": definition.version}
    if followed_versions(db()).get(definition.id):
        message = _(
            "Từ nay PAKN mới theo %(process)s phiên bản %(version)s; hồ sơ đang xử lý vẫn theo phiên bản đã bắt đầu.",
            **names,
        )
    else:  # another process (or one no route of new petitions takes): say only what changed
        message = _(
            "Từ nay %(process)s bắt đầu theo phiên bản %(version)s; không PAKN mới nào theo phiên bản này. Hồ sơ đang "
            "chạy vẫn theo phiên bản đã bắt đầu.",
            **names,
        )
    flash(message, "ok")
    return redirect(
        url_for("admin_processes.processes", _anchor=f"version-{definition.process_key}-{definition.version}")
    )


def _refusals(problems):
    """The problems to list; files with no process to deploy are said in one translated sentence instead."""
    empty = [p.file for p in problems if p.nothing_to_deploy]
    if empty:
        flash(
            _(
                "Không có gì để triển khai: tệp %(files)s không có quy trình thực thi nào (isExecutable).",
                files=", ".join(empty),
            ),
            "error",
        )
    return [p for p in problems if not p.nothing_to_deploy]


def _page(**context):
    """The versions with the routes each one takes new petitions from, the choices and their form."""
    session = db()
    context.setdefault("errors", {})
    context.setdefault("problems", [])
    context.setdefault("choice_values", {})
    context.setdefault("choice_errors", {})
    context.setdefault("planned", None)
    rows = process_versions(session)
    return render_template(
        "admin/processes.html",
        rows=rows,
        routes=followed_versions(session),
        choices=choices(session),
        process_options=[(key, key) for key in sorted({row.definition.process_key for row in rows})],
        provinces=all_provinces(session),
        channels=[(code, str(name)) for code, name in CHANNELS.items()],
        problem_kind=problem_kind,
        **context,
    )


@bp.post("/chon")
@roles_required(ADMIN)
def choose():
    """Which process (and version) new petitions of a province and channel start."""
    values = {key: request.form.get(key, "") for key in ("province", "channel", "process_key", "version")}
    try:
        choose_process(db(), current_user, values)
    except FormInvalid as invalid:
        return _page(choice_values=values, choice_errors=field_errors(invalid)), 422
    flash(_("Đã lưu lựa chọn quy trình cho PAKN mới."), "ok")
    return redirect(url_for("admin_processes.processes", _anchor="pakn-moi"))


@bp.post("/chon/<int:choice_id>/xoa")
@roles_required(ADMIN)
def unchoose(choice_id):
    remove_choice(db(), current_user, choice_id)
    flash(_("Đã bỏ lựa chọn: PAKN mới của tỉnh, kênh đó theo lựa chọn chung hơn."), "ok")
    return redirect(url_for("admin_processes.processes", _anchor="pakn-moi"))


@bp.route("/<int:definition_id>/chuyen-phien-ban", methods=["GET", "POST"])
@roles_required(ADMIN)
def migration(definition_id):
    """Running instances of a version moved to the latest one, named by its number: first what would move, then,
    confirmed, moved."""
    if request.method == "POST":
        migrated = migrate_instances(db(), current_user, definition_id)
        message = _(
            "Đã chuyển %(count)s hồ sơ sang phiên bản %(version)s; thời hạn giữ nguyên.",
            count=len(migrated.instance_ids),
            version=migrated.target.version,
        )
        flash(message, "ok")
        return redirect(url_for("admin_processes.processes"))
    return render_template("admin/migration.html", preview=preview_migration(db(), current_user, definition_id))


def _deployed(results):
    routes = followed_versions(db())
    for result in results:
        if result.created and routes.get(result.definition.id):
            message = _(
                "Đã triển khai %(process)s phiên bản %(version)s; PAKN mới theo phiên bản này ở những nơi bảng dưới "
                "ghi. Hồ sơ đang xử lý vẫn theo phiên bản đã bắt đầu.",
                process=result.process_key,
                version=result.version,
            )
        elif result.created:
            message = _(
                "Đã triển khai %(process)s phiên bản %(version)s. Chưa có PAKN mới nào theo phiên bản này: chọn ở "
                "mục «Quy trình cho PAKN mới».",
                process=result.process_key,
                version=result.version,
            )
        else:
            message = _(
                "%(process)s: tệp giống hệt phiên bản %(version)s đã triển khai, không tạo phiên bản mới.",
                process=result.process_key,
                version=result.version,
            )
        flash(message, "ok")


@bp.get("/<int:definition_id>/tai-ve")
@roles_required(ADMIN)
def download(definition_id):
    """A version's BPMN as deployed, to open in Camunda Modeler."""
    definition = definition_by_id(db(), definition_id)
    name = f"{definition.process_key}-v{definition.version}.bpmn"
    return generated_file(definition.bpmn_xml.encode("utf-8"), "application/xml; charset=utf-8", name)
