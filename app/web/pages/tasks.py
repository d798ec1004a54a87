"""The clerks' tasklist: inbox with filters, claim / unclaim, a task's page with its form, a printable
case record, and the entry of PAKN received by letter, phone, fax or e-mail."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.db import utcnow
from app.deadlines.status import task_status
from app.engine.models import WorkItem
from app.errors import Conflict, FormInvalid, NotFound
from app.petitions import operations as petitions
from app.petitions.clarifications import clarifications_of
from app.petitions.corrections import may_correct
from app.petitions.models import Petition
from app.petitions.ratings import rating_for
from app.petitions.validation import LABELS
from app.reports.case_pdf import export_case_pdf
from app.tasks.operations import assign_task, claim_task, complete_task, unclaim_task
from app.tasks.policy import ReadingScope, may_assign, may_claim, may_complete, may_unclaim, reading_scope
from app.tasks.queries import (
    agency_name,
    assignable_staff,
    case_file,
    entered_petition,
    full_name,
    inbox_page,
    returned_because,
    task_and_case,
    task_as_it_stands,
)
from app.tasks.task_forms import task_context, work_item_form
from app.translation import lazy_gettext

from .. import db
from ..access import refuse, roles_required
from ..downloads import generated_file, send_attachment
from ..extensions import get_locale
from ..i18n import format_local
from ..input_safety import checks_text_itself
from ..tasklist import case, entry
from ..tasklist import inbox as inbox_rows
from ..tasklist.labels import field_errors, safe_next, step_label
from ..uploads import uploads, uploads_dir
from .case_care import correction_form, moderation_form
from .reviews import flag_form, review_sheet

bp = Blueprint("tasks", __name__)
# Photos shown small on the task page (never SVG: a drawing can carry script).
THUMBNAIL_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")

STAFF = ("intake", "handler", "leader", "chair")
READERS = (*STAFF, "auditor")  # auditors read every case, read-only
MENU = [
    ("tasks.inbox", lazy_gettext("Công việc của tôi"), STAFF, 20),
    ("tasks.enter_petition", lazy_gettext("Nhập PAKN"), ("intake",), 25),
]


@bp.app_template_global()
def deadline_step(step: str) -> str:
    return step_label(step)


# ---------------------------------------------------------------------------------------------------- inbox


@bp.get("/cong-viec")
@roles_required(*STAFF)
def inbox():
    session = db()
    filters = inbox_rows.read_filters(request.args)
    found = inbox_page(session, current_user, filters)
    return render_template(
        "tasks/inbox.html",
        inbox=found,
        rows=found.rows,
        filters=filters,
        filtered=any((filters.field, filters.status, filters.province, filters.due, filters.holder)),
        **inbox_rows.filter_choices(session, current_user.role),
    )


@bp.post("/cong-viec/<int:item_id>/nhan")
@roles_required(*STAFF)
def claim(item_id):
    done = (_("Đã nhận công việc «%(task)s» của PAKN %(code)s."), _("Đã nhận công việc «%(task)s»."))
    return _claim_or_unclaim(item_id, claim_task, *done)


@bp.post("/cong-viec/<int:item_id>/giao")
@roles_required("leader")
def assign(item_id):
    try:
        item = assign_task(db(), current_user, item_id, request.form.get("assignee", ""))
    except Conflict:
        flash(_conflict_text(db(), item_id), "error")
    except FormInvalid:
        flash(_("Chỉ giao được cho cán bộ của cơ quan có thể làm công việc này."), "error")
    else:
        flash(_("Đã giao công việc «%(task)s» cho %(user)s.") % {"task": _(item.name), "user": item.assignee}, "ok")
    return redirect(url_for("tasks.task", item_id=item_id))


@bp.post("/cong-viec/<int:item_id>/tra-lai")
@roles_required(*STAFF)
def unclaim(item_id):
    done = (_("Đã trả lại công việc «%(task)s» của PAKN %(code)s."), _("Đã trả lại công việc «%(task)s»."))
    return _claim_or_unclaim(item_id, unclaim_task, *done)


def _claim_or_unclaim(item_id, operation, done_message, done_without_petition):
    back = safe_next(request.form.get("next"), url_for("tasks.inbox"))
    try:
        item = operation(db(), current_user, item_id)
    except Conflict:
        flash(_conflict_text(db(), item_id), "error")
    else:
        message = done_message if item.business_key else done_without_petition  # a process started by hand
        flash(message % {"task": _(item.name), "code": item.business_key}, "ok")
    return redirect(back)


def _conflict_text(session, item_id: int) -> str:
    """Who was first: the task as it stands now that someone else's change won."""
    item = task_as_it_stands(session, item_id)
    by = full_name(session, item.completed_by or item.assignee)
    if item.state == "completed":
        return _("Công việc đã được %(name)s hoàn thành lúc %(at)s.", name=by, at=format_local(item.completed_at))
    if item.state != "ready":
        return _(
            "Công việc đã kết thúc lúc %(at)s: đã quá thời hạn hoặc hồ sơ đã chuyển sang bước khác.",
            at=format_local(item.completed_at),
        )
    if item.assignee and item.assignee != current_user.username:
        return _("Công việc đã được %(name)s nhận trước.", name=by)
    return _("Hồ sơ vừa được người khác thay đổi. Vui lòng mở lại công việc và thử lại.")


# ---------------------------------------------------------------------------------------------------- a task


def _scope(item: WorkItem, petition: Petition | None) -> ReadingScope:
    """What the user may read of the case through this task; refused (and audited) when nothing."""
    scope = reading_scope(db(), current_user, item, petition)
    if scope is None:
        refuse(
            "task.view",
            "not a candidate for this task",
            work_item=item.id,
            task=item.bpmn_id,
            tracking_code=petition.tracking_code if petition else None,
            instance=item.instance_id,
        )
    return scope


@bp.route("/cong-viec/<int:item_id>", methods=["GET", "POST"])
@roles_required(*READERS)
@checks_text_itself
def task(item_id):
    session = db()
    item, petition = task_and_case(db(), item_id)
    scope = _scope(item, petition) if request.method == "GET" else reading_scope(session, current_user, item, petition)
    form = work_item_form(session, item)
    errors, conflict, status = {}, False, 200
    if request.method == "POST":
        files = {key: uploads(key) for key in request.files}
        try:
            complete_task(session, current_user, item.id, request.form, files, uploads_dir())
        except FormInvalid as invalid:
            errors, status = field_errors(invalid), 422
        except Conflict:
            conflict, status = _conflict_text(session, item.id), 409
        else:
            if petition is None:
                flash(_("Đã hoàn thành «%(task)s».", task=_(item.name)), "ok")
            else:
                flash(
                    _("Đã hoàn thành «%(task)s» của PAKN %(code)s.", task=_(item.name), code=petition.tracking_code),
                    "ok",
                )
            return redirect(url_for("tasks.inbox"))
        item = task_as_it_stands(session, item.id)
    holder = item.assignee
    can_submit = may_complete(current_user, item, petition)
    duplicates = case.duplicates(session, petition)  # the panel and the form's list read the one lookup
    return (
        render_template(
            "tasks/task.html",
            THUMBNAIL_TYPES=THUMBNAIL_TYPES,
            item=item,
            petition=petition,
            facts=case.facts(session, petition) if petition else case.instance_facts(session, item.instance_id),
            deadlines=case.deadlines(session, petition) if petition else [],
            opinions=case.opinions(session, petition) if scope and petition else [],
            holdings=case.holdings(session, petition) if scope and petition else [],
            similar=case.similar(duplicates) if scope and petition else [],
            exchange=clarifications_of(session, petition) if scope and petition else [],
            rating=rating_for(session, current_user, petition) if scope else None,
            steps=case.steps(session, item.instance_id, scope) if scope else [],
            form=form,
            form_html=_form_html(session, form, item, petition, errors, duplicates),
            attachments=case.attachments(session, petition, scope) if scope and petition else [],
            messages=case.messages(session, petition, scope) if scope and petition else [],
            correction=correction_form(session, petition) if petition and may_correct(current_user, petition) else None,
            moderation=moderation_form(session, item, petition) if petition else None,
            flagging=flag_form(session, item, petition),
            review=review_sheet(session, item) if petition is None else None,
            errors=errors,
            conflict=conflict,
            typed=_typed_input(form, request.form) if conflict else [],
            can_submit=can_submit,
            can_claim=may_claim(current_user, item, petition),
            can_unclaim=may_unclaim(current_user, item),
            assignable=assignable_staff(session, item) if may_assign(current_user, item) else [],
            returned=returned_because(session, item) if item.state == "ready" else None,
            holder=holder,
            holder_name=full_name(session, holder),
            agency=agency_name(session, item.agency_code),
            due=task_status(session, item, petition.province_code if petition else None),
        ),
        status,
    )


def _form_html(session, form, item, petition, errors, duplicates):
    """The task's form: the task data (or the model's defaults) at first, the user's input and errors after a
    refusal."""
    context = task_context(session, item, petition, duplicates, form)
    if errors:
        return form.render(context, request.form, errors, get_locale())
    return form.render(context, lang=get_locale())


def _typed_input(form, sent) -> list[tuple[str, str]]:
    """What the user typed into a form that could not be saved, as (label, text), so that nothing is lost."""
    typed = []
    for key, label in ((key, _(label)) for key, label in form.inputs):
        text = ", ".join(v for v in sent.getlist(key) if v.strip())
        if text:
            typed.append((label, text))
    return typed


@bp.get("/cong-viec/<int:item_id>/tep/<int:attachment_id>")
@roles_required(*READERS)
def attachment(item_id, attachment_id):
    """A file of the task's petition, for those who may read the task."""
    item, petition = task_and_case(db(), item_id)
    scope = _scope(item, petition)
    if petition is None:
        raise NotFound(f"attachment {attachment_id}")
    row = case_file(db(), petition, scope, attachment_id)
    if row is None:
        refuse(
            "task.file",
            "the file is not the task's case's, or not in what the reader may see",
            work_item=item.id,
            attachment=attachment_id,
            tracking_code=petition.tracking_code,
        )
    return send_attachment(row, public=False)


@bp.get("/cong-viec/<int:item_id>/in")
@roles_required(*READERS)
def print_view(item_id):
    session = db()
    item, petition = task_and_case(db(), item_id)
    scope = _scope(item, petition)
    if petition is None:  # the printout is a petition's record; a process started by hand has none
        raise NotFound(f"work item {item_id} has no petition to print")
    return render_template(
        "tasks/print.html",
        printed_at=utcnow(),
        item=item,
        petition=petition,
        facts=case.facts(session, petition),
        deadlines=case.deadlines(session, petition),
        steps=case.steps(session, item.instance_id, scope),
    )


@bp.get("/cong-viec/<int:item_id>/ho-so.pdf")
@roles_required(*READERS)
def case_pdf(item_id):
    """The case as a PDF made on the server (as far as the reader's scope shows it), to keep or print."""
    item, petition = task_and_case(db(), item_id)
    scope = _scope(item, petition)
    if petition is None:
        raise NotFound(f"work item {item_id} has no petition to export")
    content = export_case_pdf(db(), current_user, petition, scope)
    return generated_file(content, "application/pdf", f"ho-so-{petition.tracking_code}.pdf")


# ---------------------------------------------------------------------------------------------------- clerk entry


@bp.route("/cong-viec/tiep-nhan", methods=["GET", "POST"])
@roles_required("intake")
@checks_text_itself
def enter_petition():
    session = db()
    values, errors, status = entry.initial_values(current_user), {}, 200
    if request.method == "POST":
        values = entry.submitted_values(request.form)
    if request.method == "POST" and entry.CHOOSE_PROVINCE not in request.form:
        try:
            petition = petitions.enter_petition(session, current_user, values)
        except FormInvalid as invalid:
            errors, status = field_errors(invalid), 422
        else:
            flash(
                _(
                    "Đã tiếp nhận PAKN «%(title)s». Mã số: %(code)s.",
                    title=petition.title,
                    code=petition.tracking_code,
                ),
                "ok",
            )
            return redirect(url_for("tasks.enter_petition", ma=petition.tracking_code))
    return (
        render_template(
            "tasks/enter.html",
            values=values,
            errors=errors,
            labels=LABELS,
            limits=entry.limits,
            entered=entered_petition(session, current_user, request.args.get("ma"))
            if request.method == "GET"
            else None,
            choose=entry.CHOOSE_PROVINCE,
            **entry.choices(session, values),
        ),
        status,
    )
