"""Auditors: search instances, see one on its diagram with its history and deadlines, export the history."""

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user
from markupsafe import Markup

from app.diagrams.drawn import drawn_diagrams
from app.diagrams.model import DiagramError
from app.inspection.case import inspect_case
from app.inspection.exports import history_csv as csv_text
from app.inspection.exports import history_json as json_text
from app.inspection.search import Filters, filter_choices, search, started_by_hand
from app.petitions.clarifications import clarifications_of
from app.petitions.ratings import rating_for
from app.reports.case_pdf import case_of_instance, export_case_pdf
from app.tasks.policy import ReadingScope
from app.translation import N_, current_language, lazy_gettext

from .. import db
from ..access import roles_required
from ..downloads import generated_file
from ..i18n import label, local_day_bound

bp = Blueprint("audit", __name__, url_prefix="/kiem-tra")
MENU = [("audit.instances", lazy_gettext("Kiểm tra hồ sơ"), ("auditor", "admin"), 40)]
READERS = ("auditor", "admin")
MISSING = N_("Không có hồ sơ (phiên quy trình) mang số này.")
CURRENT = "buoc-hien-tai"  # the id of the current step's drawing: links to a case end in #buoc-hien-tai


@bp.get("/")
@roles_required(*READERS)
def instances():
    args = request.args
    filters = Filters(
        code=args.get("code", "").strip(),
        status=args.get("status", ""),
        agency=args.get("agency", ""),
        province=args.get("province", ""),
        received_from=local_day_bound(args.get("from")),
        received_to=local_day_bound(args.get("to"), end=True),
        overdue=args.get("overdue") == "1",
    )
    session = db()
    return render_template(
        "audit/instances.html",
        rows=search(session, filters),
        started=started_by_hand(session, filters),
        args=args,
        **filter_choices(session),
    )


@bp.get("/<int:instance_id>")
@roles_required(*READERS)
def instance(instance_id):
    case = inspect_case(db(), instance_id)
    if case is None:
        abort(404, description=MISSING)
    definition = case.instance.definition
    anchors = current_anchors(case)
    try:
        diagrams = drawn_diagrams(
            definition.bpmn_xml.encode("utf-8"),
            case.states,
            file_name=definition.file_name,
            anchors=anchors,
            language=current_language(),  # the page's: names drawn as the history and headings name them
            names=label,
        )
        undrawn = None
    except DiagramError as err:  # a layout the renderer cannot draw: the history and deadlines still show
        diagrams, undrawn = [], str(err)
    return render_template(
        "audit/instance.html",
        case=case,
        undrawn=undrawn,
        instance=case.instance,
        petition=case.petition,
        exchange=clarifications_of(db(), case.petition) if case.petition else [],
        rating=rating_for(db(), current_user, case.petition),
        anchors=anchors,
        diagrams=[(d.name, Markup(d.svg)) for d in diagrams],  # drawn by our renderer, which escapes all text
    )


@bp.get("/<int:instance_id>/lich-su.json")
@roles_required(*READERS)
def history_json(instance_id):
    return _download(json_text(db(), instance_id), "application/json; charset=utf-8", f"lich-su-{instance_id}.json")


@bp.get("/<int:instance_id>/lich-su.csv")
@roles_required(*READERS)
def history_csv(instance_id):
    return _download(csv_text(db(), instance_id), "text/csv; charset=utf-8", f"lich-su-{instance_id}.csv")


@bp.get("/<int:instance_id>/ho-so.pdf")
@roles_required(*READERS)
def case_pdf(instance_id):
    """The whole case as a PDF made on the server: auditors read everything."""
    petition = case_of_instance(db(), instance_id)
    if petition is None:
        abort(404, description=MISSING)
    content = export_case_pdf(db(), current_user, petition, ReadingScope())
    return generated_file(content, "application/pdf", f"ho-so-{petition.tracking_code}.pdf")


def _download(text: str | None, content_type: str, file_name: str) -> Response:
    if text is None:
        abort(404, description=MISSING)
    return generated_file(text.encode("utf-8"), content_type, file_name)


def current_anchors(case) -> dict[str, str]:
    """Element id → the id its drawing gets: #buoc-hien-tai for the first current step, -2, -3 … for others."""
    elements = list(dict.fromkeys(step.element for step in case.current))  # a multi-instance task once
    return {element: CURRENT if n == 1 else f"{CURRENT}-{n}" for n, element in enumerate(elements, 1)}
