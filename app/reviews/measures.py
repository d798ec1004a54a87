"""The leader's measure for each case his monthly review lists, applied through the existing operations and
audited with the case: unhide (app/petitions/moderation.py), reopen (the answering agency examines the answered case
again in a task of its own, app/reviews/reopen.py, and is mailed the order), instruct (with the instruction's text),
or no action (with the reason). One measure a case, kept; the review task completes once every listed case has one."""

from sqlalchemy import func, select

from app.accounts.models import User
from app.audit.log import record
from app.db import utcnow
from app.engine.models import WorkItem
from app.errors import Conflict, FieldError, FormInvalid, NotFound, PermissionDenied
from app.messaging.templates import base_url
from app.petitions.models import Notification, Petition
from app.petitions.moderation import show_again
from app.petitions.operations import intake_office
from app.tasks.policy import may_complete
from app.text_rules import has_control
from app.transaction import operation
from app.translation import lazy_gettext, translate

from .models import MonthlyReview, ReviewCase
from .reopen import may_reopen, reopen_case, reopen_errors

MEASURES = {
    "unhide": lazy_gettext("Hiện lại trên cổng công khai"),
    "reopen": lazy_gettext("Yêu cầu xử lý lại"),
    "instruct": lazy_gettext("Chỉ đạo"),
    "no_action": lazy_gettext("Không xử lý"),
}
REASONS = {
    "hidden": lazy_gettext("Bị ẩn"),
    "one_star": lazy_gettext("Bị đánh giá 1 sao"),
    "flagged": lazy_gettext("Vi phạm quy định, chưa ẩn"),
}
TEXT_LABELS = {
    "instruct": lazy_gettext("Nội dung chỉ đạo"),
    "no_action": lazy_gettext("Lý do không xử lý"),
    "reopen": lazy_gettext("Nội dung yêu cầu xem xét lại"),
    "unhide": lazy_gettext("Ghi chú"),
}
NEEDS_TEXT = ("instruct", "no_action", "reopen")
MEASURE_LABEL = lazy_gettext("Biện pháp")
TEXT_LIMIT = 2000
SUBJECTS = {
    "reopen": lazy_gettext("PAKN %(code)s: lãnh đạo yêu cầu xử lý lại (rà soát tháng %(month)s)"),
    "instruct": lazy_gettext("PAKN %(code)s: chỉ đạo của lãnh đạo (rà soát tháng %(month)s)"),
}


def review_of(session, instance_id: int) -> MonthlyReview | None:
    return session.scalar(select(MonthlyReview).where(MonthlyReview.instance_id == instance_id))


def review_cases(session, review: MonthlyReview) -> list[ReviewCase]:
    """The cases the review lists, by tracking code."""
    query = (
        select(ReviewCase)
        .join(Petition, Petition.id == ReviewCase.petition_id)
        .where(ReviewCase.review_id == review.id)
        .order_by(Petition.tracking_code)
    )
    return list(session.scalars(query))


def measures_for(case: ReviewCase, review: MonthlyReview) -> list[str]:
    """The measures a case admits: unhiding a case still hidden, in the intake office's review (the office hides);
    reopening an answered case."""
    may = {"unhide": case.petition.hidden and review.agency.is_intake_office, "reopen": may_reopen(case.petition)}
    return [m for m in MEASURES if may.get(m, True)]


def require_measures(session, item: WorkItem):
    """Before a review task completes: every case it lists has its measure (FormInvalid naming the count)."""
    review = review_of(session, item.instance_id)
    if review is None:
        return
    left = session.scalar(
        select(func.count(ReviewCase.id)).where(ReviewCase.review_id == review.id, ReviewCase.measure.is_(None))
    )
    if left:
        raise FormInvalid([FieldError("measures", "unmeasured", {"label": MEASURE_LABEL, "count": left})])


@operation
def record_measure(session, leader, item_id: int, case_id: int, measure: str, text: str = "") -> ReviewCase:
    """The leader's measure for one case of his open review task, applied and audited in one transaction."""
    item = session.get(WorkItem, item_id)
    review = review_of(session, item.instance_id) if item is not None else None
    case = session.get(ReviewCase, case_id) if review is not None else None
    if case is None or case.review_id != review.id:
        raise NotFound(f"review case {case_id} of task {item_id}")
    petition = case.petition
    if not may_complete(leader, item, None):
        raise PermissionDenied("only the unit's leader records the review's measures", actor=leader,
                               action="review.measure", petition=petition, data={"work_item": item.id})  # fmt: skip
    if case.measure is not None:
        raise Conflict("the case's measure is recorded already", by=case.decided_by, at=case.decided_at)
    measure, text = (measure or "").strip(), (text or "").strip()
    _check(session, case, review, measure, text)
    reopened = None
    if measure == "unhide":
        show_again(session, leader, petition, {"review": review.id, "month": review.month})
    elif measure == "reopen":
        reopened, steps = reopen_case(session, leader, petition, text, MEASURE_LABEL)
        _tell_agency(session, petition, measure, text, review)
    elif measure in SUBJECTS:
        _tell_agency(session, petition, measure, text, review)
    case.measure, case.measure_text, case.decided_by, case.decided_at = measure, text or None, leader.username, utcnow()
    record(
        session,
        leader,
        "review.measure",
        petition=petition,
        task_id=item.task_id,
        task_name=item.name,
        data={"measure": measure, "text": text, "review": review.id, "month": review.month, "reasons": case.reasons},
    )
    if reopened is not None:  # the new task's instance, found from the case like a sender's reply
        record(
            session,
            leader,
            "petition.reopened",
            petition=petition,
            instance_id=reopened.instance_id,
            data={"instruction": text, "agency": reopened.agency_code, "review": review.id, "steps": steps},
        )
    return case


def _check(session, case: ReviewCase, review: MonthlyReview, measure: str, text: str):
    if measure == "reopen" and (errors := reopen_errors(session, case.petition, MEASURE_LABEL)):
        raise FormInvalid(errors)  # named before the list of measures: why this case cannot be reopened
    allowed = measures_for(case, review)
    if measure not in allowed:
        names = ", ".join(translate(MEASURES[m], "vi") for m in allowed)
        raise FormInvalid([FieldError("measure", "enum", {"label": MEASURE_LABEL, "allowed": names})])
    label = TEXT_LABELS[measure]
    if measure in NEEDS_TEXT and not text:
        raise FormInvalid([FieldError("text", "required", {"label": label})])
    if has_control(text):
        raise FormInvalid([FieldError("text", "control_chars", {"label": label})])
    if len(text) > TEXT_LIMIT:
        raise FormInvalid([FieldError("text", "maxlength", {"label": label, "limit": TEXT_LIMIT})])


def _tell_agency(session, petition: Petition, measure: str, text: str, review: MonthlyReview):
    """Mail the order to the staff of the agency that answers for the case (the intake office before it had one)."""
    agency_id = petition.lead_agency_id or intake_office(session, petition.province_code).id
    staff = session.scalars(
        select(User)
        .where(User.agency_id == agency_id, User.active.is_(True), User.email.is_not(None))
        .where(User.role.in_(("handler", "leader", "intake")))
        .order_by(User.username)
    )
    month = f"{review.month[5:]}/{review.month[:4]}"
    subject = translate(SUBJECTS[measure], "vi") % {"code": petition.tracking_code, "month": month}
    body = f"{petition.tracking_code}: {petition.title}\n\n{text}\n\n{base_url()}/cong-viec"
    for user in staff:
        session.add(
            Notification(
                petition_id=petition.id, kind="review_order", channel="email", recipient=user.email,
                subject=subject, body=body,
            )
        )  # fmt: skip


def case_links(session, review: MonthlyReview) -> dict[int, int]:
    """petition id → the latest task of the case in the unit's own agency (the page its leader may read)."""
    agency = review.agency.code
    rows = session.execute(
        select(Petition.id, func.max(WorkItem.id))
        .join(ReviewCase, ReviewCase.petition_id == Petition.id)
        .join(WorkItem, WorkItem.instance_id == Petition.instance_id)
        .where(ReviewCase.review_id == review.id, WorkItem.agency_code == agency)
        .group_by(Petition.id)
    )
    return dict(rows.all())
