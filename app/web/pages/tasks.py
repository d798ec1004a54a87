"""The clerks' tasklist: inbox with filters, claim / unclaim, a task's page with its generated form, a printable
case record, and the entry of PAKN received by letter, phone, fax or e-mail."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.accounts.models import User
from app.agencies.models import Agency
from app.attachments.models import Attachment
from app.camunda_forms import render as render_form
from app.camunda_forms import with_data
from app.db import utcnow
from app.deadlines.status import task_status
from app.engine.forms import form_fields
from app.engine.models import WorkItem
from app.engine.runtime import user_task_spec
from app.errors import Conflict, FieldError, FormInvalid
from app.petitions.models import Petition
from app.petitions.operations import CLERK_CHANNELS, submit_petition
from app.petitions.validation import LABELS, clean_submission
from app.tasks.access import ReadingScope, is_candidate, reading_scope
from app.tasks.operations import claim_task, complete_task, unclaim_task
from app.tasks.task_forms import camunda_form, task_context
from app.translation import lazy_gettext

from .. import db
from ..access import refuse, roles_required
from ..downloads import send_attachment
from ..i18n import format_local
from ..input_safety import checks_text_itself
from ..tasklist import case, entry
from ..tasklist import forms as task_forms
from ..tasklist import inbox as inbox_rows
from ..tasklist.labels import english, field_errors, safe_next, step_label
from ..uploads import uploads, uploads_dir

bp = Blueprint("tasks", __name__)

STAFF = ("intake", "handler", "leader")
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
    return render_template(
        "tasks/inbox.html",
        rows=inbox_rows.rows(session, current_user, filters),
        filters=filters,
        filtered=any(filters.values()),
        **inbox_rows.filter_choices(session),
    )


@bp.post("/cong-viec/<int:item_id>/nhan")
@roles_required(*STAFF)
def claim(item_id):
    return _claim_or_unclaim(item_id, claim_task, _("Đã nhận công việc «%(task)s» của PAKN %(code)s."))


@bp.post("/cong-viec/<int:item_id>/tra-lai")
@roles_required(*STAFF)
def unclaim(item_id):
    return _claim_or_unclaim(item_id, unclaim_task, _("Đã trả lại công việc «%(task)s» của PAKN %(code)s."))


def _claim_or_unclaim(item_id, operation, done_message):
    back = safe_next(request.form.get("next"), url_for("tasks.inbox"))
    try:
        item = operation(db(), current_user, item_id)
    except Conflict:
        flash(_conflict_text(db(), item_id), "error")
    else:
        flash(done_message % {"task": _(item.name), "code": item.business_key or ""}, "ok")
    return redirect(back)


def _conflict_text(session, item_id: int) -> str:
    """Who was first: the task as it stands now that someone else's change won."""
    item = session.get(WorkItem, item_id)
    session.refresh(item)
    by = _full_name(session, item.completed_by or item.assignee)
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


def _load(item_id: int) -> tuple[WorkItem, Petition]:
    session = db()
    item = session.get(WorkItem, item_id)
    petition = session.scalar(select(Petition).where(Petition.instance_id == item.instance_id)) if item else None
    if item is None or petition is None:
        abort(404)
    return item, petition


def _scope(item: WorkItem, petition: Petition) -> ReadingScope:
    """What the user may read of the case through this task; refused (and audited) when nothing."""
    scope = reading_scope(db(), current_user, item, petition)
    if scope is None:
        refuse(
            "task.view",
            "not a candidate for this task",
            work_item=item.id,
            task=item.bpmn_id,
            tracking_code=petition.tracking_code,
        )
    return scope


@bp.route("/cong-viec/<int:item_id>", methods=["GET", "POST"])
@roles_required(*READERS)
@checks_text_itself
def task(item_id):
    session = db()
    item, petition = _load(item_id)
    scope = _scope(item, petition) if request.method == "GET" else reading_scope(session, current_user, item, petition)
    spec = user_task_spec(item.instance.definition, item.process_key, item.bpmn_id)
    designed = camunda_form(session, spec)  # a Camunda Form from forms/, else the generated formData form
    fields = [] if designed else form_fields(spec)
    values, errors, conflict, status = task_forms.initial_values(fields), {}, False, 200
    if request.method == "POST":
        values = request.form if designed else task_forms.submitted_values(fields, request.form)
        files = {key: uploads(key) for key in request.files}
        try:
            complete_task(session, current_user, item.id, values, files, uploads_dir())
        except FormInvalid as invalid:
            errors, status = field_errors(invalid), 422
        except Conflict:
            conflict, status = _conflict_text(session, item.id), 409
        else:
            flash(
                _("Đã hoàn thành «%(task)s» của PAKN %(code)s.", task=_(item.name), code=petition.tracking_code), "ok"
            )
            return redirect(url_for("tasks.inbox"))
        session.refresh(item)
    holder = item.assignee
    can_submit = (
        item.state == "ready"
        and current_user.role != "auditor"
        and holder in (None, current_user.username)
        and is_candidate(current_user, item, petition)
    )
    return (
        render_template(
            "tasks/task.html",
            item=item,
            petition=petition,
            facts=case.facts(session, petition),
            deadlines=case.deadlines(session, petition),
            steps=case.steps(session, petition, scope) if scope else [],
            widgets=task_forms.build_widgets(session, fields, values, errors, petition.province_code),
            designed=designed,
            designed_html=_designed_html(session, designed, item, petition, values, errors) if designed else None,
            attachments=case.attachments(session, petition, scope) if scope else [],
            errors=errors,
            conflict=conflict,
            typed=_typed_input(designed, fields, request.form) if conflict else [],
            can_submit=can_submit,
            can_claim=can_submit and holder is None,
            can_unclaim=inbox_rows.may_unclaim(current_user, item),
            holder=holder,
            holder_name=_full_name(session, holder),
            agency=_agency_name(session, item.agency_code),
            due=task_status(session, item, petition.province_code),
        ),
        status,
    )


def _designed_html(session, form, item, petition, values, errors):
    """A Camunda Form's fields: the task data at first, the user's input and errors after a refusal."""
    context = task_context(session, item, petition)
    bound = with_data(form, context)
    lang = "en" if english() else "vi"
    if errors:
        return render_form(bound, values, errors, lang, context=context, translate=_)
    return render_form(bound, context, None, lang, translate=_)


def _typed_input(designed, fields, form) -> list[tuple[str, str]]:
    """What the user typed into a form that could not be saved, as (label, text), so that nothing is lost."""
    inputs = [(c.key, c.label or c.key) for c in designed.inputs()] if designed else [(f.id, f.label) for f in fields]
    inputs = [(key, _(label)) for key, label in inputs]
    typed = []
    for key, label in inputs:
        text = ", ".join(v for v in form.getlist(key) if v.strip())
        if text:
            typed.append((label, text))
    return typed


def _full_name(session, username: str | None) -> str | None:
    if not username:
        return None
    return session.scalar(select(User.full_name).where(User.username == username)) or username


def _agency_name(session, code: str | None) -> str | None:
    if not code:
        return None
    return session.scalar(select(Agency.name).where(Agency.code == code)) or code


@bp.get("/cong-viec/<int:item_id>/tep/<int:attachment_id>")
@roles_required(*READERS)
def attachment(item_id, attachment_id):
    """A file of the task's petition, for those who may read the task."""
    item, petition = _load(item_id)
    scope = _scope(item, petition)
    row = db().get(Attachment, attachment_id)
    if row is None:
        abort(404)
    if row.petition_id != petition.id or not scope.shows(row.uploaded_at):
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
    item, petition = _load(item_id)
    scope = _scope(item, petition)
    return render_template(
        "tasks/print.html",
        printed_at=utcnow(),
        item=item,
        petition=petition,
        facts=case.facts(session, petition),
        deadlines=case.deadlines(session, petition),
        steps=case.steps(session, petition, scope),
    )


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
            if values["channel"] not in CLERK_CHANNELS:
                _refuse_channel(session, values)
            petition = submit_petition(session, current_user, values)
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
            entered=_entered(session, request.args.get("ma")) if request.method == "GET" else None,
            choose=entry.CHOOSE_PROVINCE,
            **entry.choices(session, values),
        ),
        status,
    )


def _entered(session, code: str | None):
    """After an entry: the new petition and its classification task, when this clerk may do it."""
    if not code:
        return None
    petition = session.scalar(select(Petition).where(Petition.tracking_code == code))
    if petition is None or petition.entered_by != current_user.username:
        return None
    items = session.scalars(
        select(WorkItem).where(WorkItem.instance_id == petition.instance_id, WorkItem.state == "ready")
    ).all()
    item = next((i for i in items if is_candidate(current_user, i, petition)), None)
    return {"petition": petition, "item": item}


def _refuse_channel(session, values):
    """A clerk enters letters, calls, faxes and e-mails only: the portal is the citizens' own channel."""
    allowed = FieldError("channel", "enum", {"label": LABELS["channel"], "allowed": ", ".join(sorted(CLERK_CHANNELS))})
    try:
        clean_submission(session, values)
    except FormInvalid as invalid:
        raise FormInvalid([e for e in invalid.errors if e.field != "channel"] + [allowed]) from None
    raise FormInvalid([allowed])
