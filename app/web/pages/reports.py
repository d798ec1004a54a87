"""The archive of periodic reports (seed 000 III.2c, seed 002 Art. 14.1g): leaders and the intake office read their
province's, auditors every one; each download is audited and refused (and audited) outside the reader's places."""

from flask import Blueprint, abort, render_template
from flask_login import current_user

from app.errors import NotFound, PermissionDenied
from app.reports.archive import READERS, archived_reports, download_report
from app.translation import lazy_gettext

from .. import db
from ..access import roles_required
from ..downloads import generated_file

bp = Blueprint("reports", __name__)
MENU = [("reports.archive", lazy_gettext("Báo cáo định kỳ"), READERS, 24)]


@bp.get("/bao-cao")
@roles_required(*READERS)
def archive():
    return render_template("reports/archive.html", rows=archived_reports(db(), current_user))


@bp.get("/bao-cao/<int:report_id>")
@roles_required(*READERS)
def download(report_id):
    try:
        found = download_report(db(), current_user, report_id)
    except NotFound:
        abort(404)
    except PermissionDenied:
        abort(403)
    return generated_file(found.content, found.media_type, found.name)
