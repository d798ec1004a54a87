"""The intake office's care of a case from its task page: hide it from the public and show it again, correct
its field and kind (the domain rules are in app/petitions/moderation.py and corrections.py)."""

from flask import Blueprint, flash, redirect, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import FormInvalid, NotFound
from app.petitions.catalog import KINDS
from app.petitions.corrections import correct_classification
from app.petitions.moderation import hide_petition, hide_reasons, may_moderate, unhide_petition
from app.petitions.queries import active_fields
from app.tasks.queries import task_and_case

from .. import db
from ..access import roles_required
from ..tasklist.labels import field_errors, translated_options

bp = Blueprint("case_care", __name__)


def _petition(session, item_id: int):
    petition = task_and_case(session, item_id)[1]
    if petition is None:
        raise NotFound(f"petition of task {item_id}")
    return petition


REFUSED_MODERATION = "refused_moderation"  # a refused hiding's input and errors, shown once on the task page


def moderation_form(session, item, petition) -> dict:
    """The hide / show-again form of the intake office, and the reason a hidden report carries."""
    reasons = {r.code: r.name for r in hide_reasons(session)}
    refused = flask_session.pop(REFUSED_MODERATION, None)
    refused = refused if refused and refused.get("item") == item.id else {}
    return {
        "may": may_moderate(current_user, petition),
        "reasons": hide_reasons(session),
        "reason": _(reasons[petition.hidden_reason]) if petition.hidden_reason in reasons else None,
        "sent": refused.get("values", {}),  # not "values": templates would read the dict's method
        "refusals": refused.get("errors", {}),
    }


@bp.post("/cong-viec/<int:item_id>/an")
@roles_required("intake")
def hide(item_id):
    """The intake office hides the report from the public (it stays in every inbox)."""
    session = db()
    petition = _petition(session, item_id)
    values = {"reason": request.form.get("reason", ""), "note": request.form.get("note", "")}
    try:
        hide_petition(session, current_user, petition, values["reason"], values["note"])
    except FormInvalid as invalid:
        flask_session[REFUSED_MODERATION] = {"item": item_id, "values": values, "errors": field_errors(invalid)}
    else:
        flash(_("Đã ẩn PAKN %(code)s khỏi cổng công khai; phản ánh vẫn được xử lý.", code=petition.tracking_code),
              "ok")  # fmt: skip
    return redirect(url_for("tasks.task", item_id=item_id))


@bp.post("/cong-viec/<int:item_id>/hien-lai")
@roles_required("intake")
def unhide(item_id):
    session = db()
    petition = _petition(session, item_id)
    unhide_petition(session, current_user, petition)
    flash(_("PAKN %(code)s hiện lại trên cổng công khai.", code=petition.tracking_code), "ok")
    return redirect(url_for("tasks.task", item_id=item_id))


def correction_form(session, petition) -> dict:
    """The lists of the intake office's correction form (the petition's current choice selected)."""
    return {
        "fields": translated_options(active_fields(session)),
        "kinds": [(code, str(name)) for code, name in KINDS.items()],
    }


@bp.post("/cong-viec/<int:item_id>/phan-loai")
@roles_required("intake")
def correct(item_id):
    """The intake office corrects the field and kind the sender chose."""
    session = db()
    petition = _petition(session, item_id)
    try:
        correct_classification(session, current_user, petition, request.form.get("field_code", ""),
                               request.form.get("kind", ""))  # fmt: skip
    except FormInvalid as invalid:
        flash(" ".join(field_errors(invalid).values()), "error")
    else:
        flash(_("Đã sửa lĩnh vực, loại của PAKN %(code)s.", code=petition.tracking_code), "ok")
    return redirect(url_for("tasks.task", item_id=item_id))
