"""The public portal: submit a PAKN (with photos, video, PDF), look it up by code, reply, read published answers."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.agencies.models import Agency, Province
from app.agencies.queries import communes_of, receiving_provinces
from app.attachments.models import Attachment
from app.db import LIKE_ESCAPE, contains_pattern
from app.deadlines.status import petition_deadlines
from app.engine.models import WorkItem
from app.errors import Conflict, FormInvalid
from app.petitions.catalog import KINDS
from app.petitions.models import Field, Petition, Rating
from app.petitions.operations import submit_petition
from app.petitions.ratings import rate_answer
from app.petitions.search import search_words
from app.petitions.tracking import normalize
from app.tasks.operations import complete_task
from app.translation import lazy_gettext

from .. import db
from ..access import refuse
from ..downloads import send_attachment
from ..extensions import get_locale
from ..i18n import local_day_bound
from ..input_safety import checks_text_itself
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
PAGE_SIZE = 20
MAX_PAGE = 10_000  # deeper pages are clamped: the database never gets an offset it cannot hold


def _choices():
    session = db()
    return {
        "kinds": [(code, str(name)) for code, name in KINDS.items()],
        "fields": session.execute(
            select(Field.code, Field.name).where(Field.active.is_(True)).order_by(Field.name)
        ).all(),
        "provinces": session.execute(select(Province.code, Province.name).order_by(Province.name)).all(),
    }


def _submission_choices(values: dict) -> dict:
    """The form's lists: provinces taking petitions, and the communes of the chosen one."""
    session = db()
    return {**_choices(), "provinces": receiving_provinces(session),
            "communes": communes_of(session, values.get("province_code"))}  # fmt: skip


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
    return render_template(
        "portal/submit.html", values=values, errors=errors, province_chosen=chosen, choose=CHOOSE_PROVINCE,
        **_submission_choices(values),
    ), status  # fmt: skip


@bp.get("/tra-cuu")
def lookup():
    code = request.args.get("ma", "")
    if code:
        return redirect(url_for("portal.case", code=normalize(code)))
    return render_template("portal/lookup.html")


def _by_code(code: str) -> Petition:
    petition = db().scalar(select(Petition).where(Petition.tracking_code == normalize(code)))
    if petition is None:
        abort(404)
    return petition


def _reply_item(petition) -> WorkItem | None:
    """The open request for more information, if the signed-in citizen is this petition's sender."""
    if not _is_sender(petition):
        return None
    return db().scalar(
        select(WorkItem).where(
            WorkItem.instance_id == petition.instance_id, WorkItem.bpmn_id == "provide_info", WorkItem.state == "ready"
        )
    )


def _is_sender(petition) -> bool:
    return (
        current_user.is_authenticated and current_user.role == "citizen" and petition.sender_user_id == current_user.id
    )


def _render_case(petition, values=None, errors=None, status=200):
    public = not (petition.hidden or petition.state_secret)
    documents = []
    if public and petition.published_at:
        documents = (
            db()
            .scalars(select(Attachment).where(Attachment.petition_id == petition.id, Attachment.public.is_(True)))
            .all()
        )
    rating = db().scalar(select(Rating).where(Rating.petition_id == petition.id))
    return render_template(
        "portal/case.html",
        petition=petition,
        public=public,
        deadlines=petition_deadlines(db(), petition) if public else [],
        documents=documents,
        reply_item=_reply_item(petition),
        may_rate=public and petition.published_at is not None and _is_sender(petition),
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
        rate_answer(
            db(), current_user if current_user.is_authenticated else None, petition, values["stars"], values["comment"]
        )
    except FormInvalid as invalid:
        return _render_case(petition, values, invalid.by_field(get_locale()), 422)
    flash(_("Cảm ơn ông/bà đã đánh giá."), "ok")
    return redirect(url_for("portal.case", code=petition.tracking_code))


@bp.get("/tra-cuu/<code>")
def case(code):
    return _render_case(_by_code(code))


@bp.post("/tra-cuu/<code>/bo-sung")
@checks_text_itself
def reply(code):
    petition = _by_code(code)
    item = _reply_item(petition)
    if item is None:
        refuse("petition.reply", "only the sender replies to a request for information", code=petition.tracking_code)
    info = request.form.get("info", "")
    try:
        complete_task(db(), current_user, item.id, {"info": info})
    except FormInvalid as invalid:
        return _render_case(petition, {"info": info}, invalid.by_field(get_locale()), 422)
    except Conflict:
        flash(_("Yêu cầu bổ sung đã hết hạn hoặc đã được trả lời."), "error")
        return redirect(url_for("portal.case", code=petition.tracking_code))
    flash(_("Đã gửi thông tin bổ sung."), "ok")
    return redirect(url_for("portal.case", code=petition.tracking_code))


def _published(petition: Petition) -> bool:
    return petition.published_at is not None and not petition.hidden and not petition.state_secret


@bp.get("/tep/<int:attachment_id>")
def document(attachment_id):
    """A published answer's document (other attachments are for staff only)."""
    attachment = db().get(Attachment, attachment_id)
    petition = db().get(Petition, attachment.petition_id) if attachment else None
    if attachment is None or not attachment.public or not _published(petition):
        abort(404)
    return send_attachment(attachment, public=True)


@bp.get("/cong-khai")
def published():
    """Published answers: search their public texts without diacritics, filter by field, agency, province, period.

    The words typed are literal (`%` and `_` too), capped in number and length; out-of-range pages are clamped.
    """
    args = request.args
    query = select(Petition).where(
        Petition.published_at.is_not(None), Petition.hidden.is_(False), Petition.state_secret.is_(False)
    )
    for word in search_words(args.get("q")):
        query = query.where(Petition.search_text.like(contains_pattern(word), escape=LIKE_ESCAPE))
    if args.get("field"):
        query = query.where(Petition.field_code == args["field"])
    if args.get("province"):
        query = query.where(Petition.province_code == args["province"])
    if args.get("agency"):
        query = query.join(Agency, Agency.id == Petition.lead_agency_id).where(Agency.code == args["agency"])
    if start := local_day_bound(args.get("from", "")):
        query = query.where(Petition.published_at >= start)
    if end := local_day_bound(args.get("to", ""), end=True):
        query = query.where(Petition.published_at <= end)
    page = min(max(1, args.get("page", 1, type=int)), MAX_PAGE)
    rows = (
        db()
        .scalars(query.order_by(Petition.published_at.desc()).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE))
        .all()
    )
    agencies = db().execute(select(Agency.code, Agency.name).order_by(Agency.name)).all()
    return render_template(
        "portal/published.html", rows=rows[:PAGE_SIZE], more=len(rows) > PAGE_SIZE and page < MAX_PAGE, page=page,
        args=args, agencies=agencies, **_choices(),
    )  # fmt: skip
