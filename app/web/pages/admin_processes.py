"""Administrators: process versions — the deployed versions with their running instances, and the upload of a
BPMN file saved by Camunda Modeler (checked first; deployed as a new version only when nothing is wrong)."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.administration.processes import (
    MAX_BYTES,
    ModelInvalid,
    deploy_processes,
    process_versions,
    uploaded_documents,
)
from app.administration.queries import definition_by_id
from app.errors import FormInvalid

from .. import db
from ..access import roles_required
from ..tasklist.labels import field_errors
from .admin import ADMIN

bp = Blueprint("admin_processes", __name__, url_prefix="/quan-tri/quy-trinh")


def _uploaded_files() -> list[tuple[str, bytes]]:
    """Each chosen file, read up to one byte past the limit (enough to refuse it without reading it all)."""
    return [(f.filename or "", f.stream.read(MAX_BYTES + 1)) for f in request.files.getlist("files") if f.filename]


@bp.route("/", methods=["GET", "POST"])
@roles_required(ADMIN)
def processes():
    session, errors, problems, status = db(), {}, [], 200
    if request.method == "POST":
        try:
            results = deploy_processes(session, current_user, uploaded_documents(_uploaded_files()))
        except FormInvalid as invalid:
            # every refused file is named, not only the first
            errors = {"files": " ".join(field_errors(FormInvalid([e]))["files"] for e in invalid.errors)}
            status = 422
        except ModelInvalid as invalid:
            problems, status = invalid.problems, 422
        else:
            _deployed(results)
            return redirect(url_for("admin_processes.processes"))
    return (
        render_template("admin/processes.html", rows=process_versions(session), errors=errors, problems=problems),
        status,
    )


def _deployed(results):
    if not results:
        flash(_("Tệp không có quy trình thực thi nào (isExecutable): không có gì để triển khai."), "error")
    for result in results:
        if result.created:
            message = _(
                "Đã triển khai %(process)s phiên bản %(version)s: PAKN mới sẽ theo phiên bản này.",
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
    return Response(
        definition.bpmn_xml,
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
