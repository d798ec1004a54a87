"""The monthly review on the task page: the leader records a measure per listed case; the intake office flags a
report as breaking the rules (the domain rules are in app/reviews/)."""

from flask import Blueprint, flash, redirect, request, url_for
from flask import session as flask_session
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import Conflict, FormInvalid, NotFound
from app.petitions.moderation import may_moderate
from app.reviews.flags import flag_rule_breaking, rule_flag
from app.reviews.measures import (
    MEASURES,
    NEEDS_TEXT,
    REASONS,
    case_links,
    measures_for,
    record_measure,
    review_cases,
    review_of,
)
from app.tasks.policy import may_complete
from app.tasks.queries import task_and_case

from .. import db
from ..access import roles_required
from ..tasklist.labels import field_errors

bp = Blueprint("reviews", __name__)

REFUSED_MEASURE = "refused_measure"  # a refused measure's input and errors, shown once on the review task page
REFUSED_FLAG = "refused_flag"


def _refused(key: str, item_id: int) -> dict:
    refused = flask_session.pop(key, None)
    return refused if refused and refused.get("item") == item_id else {}


def review_sheet(session, item) -> dict | None:
    """The review task's cases with their reasons, links and measures; None for any other task."""
    review = review_of(session, item.instance_id)
    if review is None:
        return None
    refused, links = _refused(REFUSED_MEASURE, item.id), case_links(session, review)
    rows = [
        {
            "case": case,
            "petition": case.petition,
            "reasons": [REASONS[r] for r in case.reason_list],
            "measure": MEASURES.get(case.measure),
            "measures": [(m, MEASURES[m]) for m in measures_for(case, review)],
            "link": links.get(case.petition_id),
            "sent": refused.get("values", {}) if refused.get("case") == case.id else {},
            "refusals": refused.get("errors", {}) if refused.get("case") == case.id else {},
        }
        for case in review_cases(session, review)
    ]
    return {
        "month": review.month,
        "rows": rows,
        "may": may_complete(current_user, item, None),
        "needs_text": NEEDS_TEXT,
    }


def flag_form(session, item, petition) -> dict | None:
    """The intake office's rule-breaking flag of the case (and the flag it carries, for every reader)."""
    if petition is None:
        return None
    refused = _refused(REFUSED_FLAG, item.id)
    return {
        "flag": rule_flag(session, petition),
        "may": may_moderate(current_user, petition) and not petition.hidden,
        "sent": refused.get("values", {}),
        "refusals": refused.get("errors", {}),
    }


@bp.post("/cong-viec/<int:item_id>/ra-soat/<int:case_id>")
@roles_required("leader", "chair")
def measure(item_id, case_id):
    """The leader's measure for one case of his monthly review."""
    values = {"measure": request.form.get("measure", ""), "text": request.form.get("text", "")}
    try:
        record_measure(db(), current_user, item_id, case_id, values["measure"], values["text"])
    except FormInvalid as invalid:
        flask_session[REFUSED_MEASURE] = {"item": item_id, "case": case_id, "values": values,
                                          "errors": field_errors(invalid)}  # fmt: skip
    except Conflict:
        flash(_("Biện pháp cho PAKN này đã được ghi trước đó."), "error")
    else:
        flash(_("Đã ghi biện pháp."), "ok")
    return redirect(url_for("tasks.task", item_id=item_id, _anchor=f"ra-soat-{case_id}"))


@bp.post("/cong-viec/<int:item_id>/vi-pham")
@roles_required("intake")
def flag(item_id):
    """The intake office flags the task's report as breaking the portal's rules."""
    session = db()
    petition = task_and_case(session, item_id)[1]
    if petition is None:
        raise NotFound(f"petition of task {item_id}")
    note = request.form.get("note", "")
    try:
        flag_rule_breaking(session, current_user, petition, note)
    except FormInvalid as invalid:
        flask_session[REFUSED_FLAG] = {"item": item_id, "values": {"note": note}, "errors": field_errors(invalid)}
    else:
        flash(_("Đã đánh dấu PAKN %(code)s vi phạm quy định; lãnh đạo sẽ rà soát trong tháng.",
                code=petition.tracking_code), "ok")  # fmt: skip
    return redirect(url_for("tasks.task", item_id=item_id))
