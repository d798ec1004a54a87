"""The public portal: submit a PAKN (with photos, video, PDF), look it up by code, reply, read published answers."""

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.citizen_cases import mark_case_seen
from app.agencies.hotlines import NATIONAL
from app.agencies.queries import communes_of, hotlines_of_receiving_provinces, receiving_provinces
from app.deadlines.status import petition_deadlines
from app.errors import Conflict, FormInvalid
from app.petitions.catalog import CASE_EVENTS, DEADLINES, KINDS
from app.petitions.clarifications import REPLY_LIMIT, ask_clarification, may_reply, shown_exchange
from app.petitions.models import Petition
from app.petitions.operations import submit_petition
from app.petitions.queries import (
    PublicFilters,
    active_fields,
    all_agencies,
    all_provinces,
    answered_at,
    is_public,
    petition_by_code,
    public_document,
    public_documents,
    published_answers,
    rating_of,
    rating_summary,
)
from app.petitions.ratings import rate_answer
from app.petitions.senders import LinkHolder, is_sender_of
from app.petitions.timeline import (
    case_steps,
    expected_of_sender,
    open_question,
    petition_by_sender_key,
    sender_file,
    sender_files,
)
from app.petitions.tracking import normalize
from app.tasks.operations import complete_task
from app.tasks.replies import SenderTask, open_sender_task
from app.tasks.task_forms import task_context
from app.translation import lazy_gettext

from .. import db
from ..access import refuse
from ..downloads import send_attachment
from ..extensions import get_locale
from ..i18n import local_day_bound
from ..input_safety import checks_text_itself
from ..tasklist.labels import translated_options
from ..uploads import uploads, uploads_dir

bp = Blueprint("portal", __name__)
MENU = [
    ("portal.submit", lazy_gettext("Gửi phản ánh, kiến nghị"), None, 10),
    ("portal.lookup", lazy_gettext("Tra cứu"), None, 11),
    ("portal.published", lazy_gettext("Kết quả đã công khai"), None, 12),
]
PUBLIC_FIELDS = ("kind", "field_code", "title", "content", "location", "sender_name", "sender_address",
                 "sender_phone", "sender_email", "province_code", "commune_code")  # fmt: skip
CHOOSE_PROVINCE = "chon_tinh"  # the button that shows the chosen province's communes (pages without JavaScript)


def _choices():
    session = db()
    return {
        "kinds": [(code, str(name)) for code, name in KINDS.items()],
        "fields": translated_options(active_fields(session)),
        "provinces": all_provinces(session),
    }


def _submission_choices(values: dict) -> dict:
    """The form's lists: provinces taking petitions, and the communes of the chosen one."""
    session = db()
    return {**_choices(), "provinces": receiving_provinces(session),
            "communes": communes_of(session, values.get("province_code")),
            "national_hotlines": NATIONAL, "province_hotlines": hotlines_of_receiving_provinces(session)}  # fmt: skip


@bp.route("/gui-phan-anh", methods=["GET", "POST"])
@checks_text_itself
def submit():
    values, errors, status = {}, {}, 200
    chosen = request.method == "POST" and CHOOSE_PROVINCE in request.form  # only re-shown, not submitted
    if current_user.is_authenticated and current_user.role == "citizen":
        values = {"sender_name": current_user.full_name, "sender_email": current_user.email or "",
                  "sender_phone": current_user.phone or ""}  # fmt: skip
    if request.method == "POST":
        values = {key: request.form.get(key, "") for key in PUBLIC_FIELDS}
    if request.method == "POST" and not chosen:
        actor = current_user if current_user.is_authenticated and current_user.role == "citizen" else None
        try:
            petition = submit_petition(
                db(),
                actor,
                {**values, "channel": "portal"},
                uploads("attachments"),
                uploads_dir(),
            )
        except FormInvalid as invalid:
            errors, status = invalid.by_field(get_locale()), 422
        else:
            flash(_("Đã gửi. Hãy ghi lại mã tra cứu: %(code)s", code=petition.tracking_code), "ok")
            return redirect(url_for("portal.case", code=petition.tracking_code))
    files_sent = any(upload.filename for upload in request.files.getlist("attachments"))  # a browser keeps no file
    return render_template(
        "portal/submit.html", values=values, errors=errors, province_chosen=chosen, choose=CHOOSE_PROVINCE,
        files_sent=files_sent, **_submission_choices(values),
    ), status  # fmt: skip


@bp.get("/tra-cuu")
def lookup():
    code = request.args.get("ma", "")
    if code:
        return redirect(url_for("portal.case", code=normalize(code)))
    return render_template("portal/lookup.html")


def _by_code(code: str) -> Petition:
    return petition_by_code(db(), code)  # NotFound: the error page says the code was not found


def _reply_task(petition) -> SenderTask | None:
    """The task the model gives the signed-in citizen on his own petition (a request for more information)."""
    return open_sender_task(db(), _actor(petition), petition)


def _reply_form(petition, task: SenderTask | None, sent=None, invalid=None):
    """The model's own form of that task: the task data at first, what he sent and its errors after a refusal."""
    if task is None:
        return None
    return task.form.render(task_context(db(), task.item, petition, form=task.form), sent, invalid, get_locale())


SENDER_CASES = "sender_cases"  # the cases this browser opened by their sender's link
MAX_LINKED_CASES = 20


def _actor(petition):
    """Who acts on this case from this browser: the signed-in user, or the holder of the case's link."""
    signed_in = current_user if current_user.is_authenticated else None
    if is_sender_of(signed_in, petition) or petition.id not in session.get(SENDER_CASES, []):
        return signed_in
    return LinkHolder(petition.id, petition.tracking_code)


def _may_attach(petition) -> bool:
    """A signed-in citizen who opened this case by its link, and whose account it is not yet, may attach it."""
    citizen = current_user if current_user.is_authenticated and current_user.role == "citizen" else None
    opened = petition.id in session.get(SENDER_CASES, [])
    return citizen is not None and opened and petition.sender_user_id != citizen.id


def _is_sender(petition) -> bool:
    """His own case: signed in as its sender, or this browser opened the sender's link."""
    return is_sender_of(_actor(petition), petition)


def _render_case(petition, values=None, errors=None, status=200, reply_sent=None, reply_invalid=None):
    public = is_public(petition)
    reply_task = _reply_task(petition)
    documents = public_documents(db(), petition)
    rating = rating_of(db(), petition)
    ratings = rating_summary(db(), petition) if public and petition.published_at else None
    mine = _is_sender(petition) and not petition.state_secret
    steps = case_steps(db(), petition, for_sender=mine) if public or mine else []
    return render_template(
        "portal/case.html",
        petition=petition,
        public=public,
        mine=mine,
        steps=steps,
        question=open_question(steps) if mine else None,
        expected=expected_of_sender(petition, reply_task is not None, rating is not None) if mine else None,
        files=sender_files(db(), petition) if mine else [],
        event_labels=CASE_EVENTS,
        deadline_labels=DEADLINES,
        deadlines=petition_deadlines(db(), petition) if public else [],
        documents=documents,
        answered_at=answered_at(db(), petition) if petition.published_at else None,
        ratings=ratings,
        rating_mean=format_decimal(ratings.mean, format="0.0") if ratings else "",
        reply=reply_task,
        reply_form=_reply_form(petition, reply_task, reply_sent, reply_invalid),
        may_rate=public and petition.published_at is not None and _is_sender(petition),
        may_attach=_may_attach(petition),
        exchange=shown_exchange(db(), petition, for_sender=mine),
        may_reply=may_reply(db(), _actor(petition), petition),
        reply_limit=REPLY_LIMIT,
        rating=rating,
        values=values or {},
        errors=errors or {},
    ), status


@bp.post("/tra-cuu/<code>/danh-gia")
@checks_text_itself
def rate(code):
    petition = _by_code(code)
    values = {"stars": request.form.get("stars", ""), "comment": request.form.get("comment", "")}
    try:
        rate_answer(db(), _actor(petition), petition, values["stars"], values["comment"])
    except FormInvalid as invalid:
        return _render_case(petition, values, invalid.by_field(get_locale()), 422)
    flash(_("Cảm ơn ông/bà đã đánh giá."), "ok")
    return redirect(url_for("portal.case", code=petition.tracking_code))


@bp.post("/tra-cuu/<code>/phan-hoi")
@checks_text_itself
def clarify(code):
    """The sender's reply to clarify the answer (seed 002 Art. 12.1): the answering agency gets a task."""
    petition = _by_code(code)
    values = {"reply": request.form.get("reply", "")}
    try:
        ask_clarification(db(), _actor(petition), petition, values["reply"])
    except FormInvalid as invalid:
        return _render_case(petition, values, invalid.by_field(get_locale()), 422)
    flash(_("Đã gửi ý kiến phản hồi; cơ quan đã trả lời sẽ làm rõ và báo ông/bà."), "ok")
    return redirect(url_for("portal.case", code=petition.tracking_code) + "#trao-doi")


@bp.get("/tra-cuu/<code>")
def case(code):
    petition = _by_code(code)
    if current_user.is_authenticated:
        mark_case_seen(db(), current_user, petition)  # his header's count of new steps goes down
    return _render_case(petition)


@bp.get("/ho-so/<code>/<key>")
def sender_link(code, key):
    """The link in the sender's messages: this browser may then read and act on his case (no account needed)."""
    petition = petition_by_sender_key(db(), code, key)
    opened = [i for i in session.get(SENDER_CASES, []) if i != petition.id][-(MAX_LINKED_CASES - 1) :]
    session[SENDER_CASES] = [*opened, petition.id]
    return redirect(url_for("portal.case", code=petition.tracking_code))  # the key leaves the address bar


@bp.get("/tra-cuu/<code>/tep/<int:attachment_id>")
def sender_document(code, attachment_id):
    """A file the sender gave, for him only."""
    petition = _by_code(code)
    if not _is_sender(petition):
        refuse("petition.file", "only the sender reads his files", code=petition.tracking_code)
    return send_attachment(sender_file(db(), petition, attachment_id), public=False)


@bp.post("/tra-cuu/<code>/bo-sung")
@checks_text_itself
def reply(code):
    petition = _by_code(code)
    task = _reply_task(petition)
    if task is None:
        refuse("petition.reply", "only the sender replies to a request for information", code=petition.tracking_code)
    files = {key: uploads(key) for key in request.files}
    try:
        complete_task(db(), _actor(petition), task.item.id, request.form, files, uploads_dir())
    except FormInvalid as invalid:
        return _render_case(petition, status=422, reply_sent=request.form, reply_invalid=invalid)
    except Conflict:
        flash(_("Yêu cầu bổ sung đã hết hạn hoặc đã được trả lời."), "error")
        return redirect(url_for("portal.case", code=petition.tracking_code))
    flash(_("Đã gửi thông tin bổ sung."), "ok")
    return redirect(url_for("portal.case", code=petition.tracking_code))


@bp.get("/tep/<int:attachment_id>")
def document(attachment_id):
    """A published answer's document (other attachments are for staff only)."""
    return send_attachment(public_document(db(), attachment_id), public=True)


@bp.get("/cong-khai")
def published():
    """Published answers: search their public texts without diacritics, filter by field, agency, province, period."""
    args = request.args
    filters = PublicFilters(
        q=args.get("q", ""),
        field=args.get("field", ""),
        province=args.get("province", ""),
        agency=args.get("agency", ""),
        start=local_day_bound(args.get("from", "")),
        end=local_day_bound(args.get("to", ""), end=True),
        page=args.get("page", 1, type=int),
    )
    rows, page, more = published_answers(db(), filters)
    return render_template(
        "portal/published.html", rows=rows, more=more, page=page, args=args, agencies=all_agencies(db()),
        **_choices(),
    )  # fmt: skip
