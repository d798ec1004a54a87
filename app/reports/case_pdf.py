"""A whole case as a PDF made on the server (seed 003 §1: export and print the full content of a PAKN): its content,
its files (names), its steps, its deadlines and its answer, as far as the reader's scope shows them. A state-secret
matter is handled outside the system: its file says so and carries only the code, the status, the deadlines and
what happened, never the content, the sender, the files or the answer. Every export is audited."""

from sqlalchemy import select

from app.accounts.models import STAFF_ROLES
from app.audit.log import record
from app.calendars.working_days import VIETNAM
from app.db import utcnow
from app.deadlines.status import petition_deadlines
from app.inspection.case import SENDER
from app.petitions.catalog import CHANNELS, KINDS, STATUSES, STEPS
from app.petitions.history import case_history
from app.petitions.models import Petition
from app.petitions.queries import field_name
from app.statistics.figures import ANSWERED
from app.tasks.policy import ReadingScope
from app.tasks.queries import case_files
from app.transaction import operation
from app.translation import current_language, lazy_gettext, translate

from .pdf import Document

TITLE = lazy_gettext("Hồ sơ PAKN")
SECRET = lazy_gettext(
    "Vụ việc thuộc bí mật nhà nước: được xử lý ngoài hệ thống; hồ sơ này chỉ ghi nhận việc đó, không có nội dung, "
    "người gửi, tệp đính kèm hay kết quả trả lời."
)
PARTIAL = lazy_gettext("Cơ quan của người xuất đã chuyển hồ sơ đi: bản này có các bước và tệp đến lúc chuyển.")


def _local(value) -> str:
    return value.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y") if value else ""


def _facts(session, petition) -> list[tuple[str, str]]:
    lang = current_language()
    field = field_name(session, petition.field_code)
    rows = [
        (lazy_gettext("Loại phản ánh, kiến nghị"), KINDS.get(petition.kind, petition.kind)),
        (lazy_gettext("Lĩnh vực"), translate(field, lang) if field else petition.field_code),
        (lazy_gettext("Kênh tiếp nhận"), CHANNELS.get(petition.channel, petition.channel)),
        (lazy_gettext("Tiêu đề"), petition.title),
        (lazy_gettext("Nội dung"), petition.content),
        (lazy_gettext("Địa điểm"), petition.location or ""),
        (lazy_gettext("Họ và tên người gửi"), petition.sender_name),
        (lazy_gettext("Số điện thoại"), petition.sender_phone),
        (lazy_gettext("Thư điện tử"), petition.sender_email),
        (lazy_gettext("Địa chỉ liên hệ"), petition.sender_address),
        (lazy_gettext("Xã, phường, đặc khu"), petition.commune.name if petition.commune else ""),
    ]
    if petition.lead_agency is not None:
        rows.append((lazy_gettext("Cơ quan chủ trì xử lý"), petition.lead_agency.name))
    if petition.co_agencies:
        rows.append((lazy_gettext("Cơ quan phối hợp"), ", ".join(a.name for a in petition.co_agencies)))
    return [(str(label), str(value)) for label, value in rows]


def case_pdf(session, petition, scope: ReadingScope, reader: str = "") -> bytes:
    """The case's file for `reader` (his full name) whose scope is `scope` (everything for auditors and agencies
    taking part)."""
    code = petition.tracking_code
    doc = Document(f"{TITLE} {code}")
    doc.heading(f"{TITLE} {code}", 14)
    status = STATUSES.get(petition.status, (petition.status, True))[0]
    province = petition.province.name if petition.province else petition.province_code
    doc.paragraph(
        str(lazy_gettext("Tình trạng: %(status)s · Tỉnh, thành phố: %(province)s · Ngày tiếp nhận: %(received)s"))
        % {"status": status, "province": province, "received": _local(petition.received_at)}
    )
    exported = str(lazy_gettext("Xuất lúc %(at)s · Người xuất: %(reader)s"))
    doc.paragraph(exported % {"at": _local(utcnow()), "reader": reader}, 8)
    if scope.until is not None:
        doc.paragraph(str(PARTIAL), 9)
    if petition.state_secret:
        doc.heading(str(SECRET), 10)
    else:
        doc.heading(str(lazy_gettext("Nội dung phản ánh, kiến nghị")), 12)
        doc.grid((str(lazy_gettext("Mục")), str(lazy_gettext("Thông tin"))), _facts(session, petition), (50, 130))
        files = case_files(session, petition, scope)
        doc.heading(str(lazy_gettext("Tệp đính kèm")), 12)
        rows = [(f.file_name, f"{f.size:,} B", _local(f.uploaded_at)) for f in files]
        if rows:
            columns = (str(lazy_gettext("Tên tệp")), str(lazy_gettext("Dung lượng")), str(lazy_gettext("Lúc tải lên")))
            doc.grid(columns, rows, (110, 30, 40))
        else:
            doc.paragraph(str(lazy_gettext("Không có.")))
    _deadlines(session, doc, petition)
    _steps(session, doc, petition, scope)
    if not petition.state_secret:
        doc.heading(str(lazy_gettext("Kết quả trả lời")), 12)
        answered = petition.status in ANSWERED and petition.answer and scope.until is None
        doc.paragraph(petition.answer if answered else str(lazy_gettext("Chưa có kết quả trả lời được duyệt.")))
    return doc.output_bytes()


def _deadlines(session, doc, petition):
    doc.heading(str(lazy_gettext("Thời hạn xử lý")), 12)
    rows = [
        (str(STEPS.get(d.step, d.step)), _local(d.started_at), _local(d.due_at), d.text)
        for d in petition_deadlines(session, petition)
    ]
    columns = (str(lazy_gettext("Bước")), str(lazy_gettext("Bắt đầu")), str(lazy_gettext("Hạn")),
               str(lazy_gettext("Tình trạng")))  # fmt: skip
    if rows:
        doc.grid(columns, rows, (50, 35, 35, 60))
    else:
        doc.paragraph(str(lazy_gettext("Không có.")))


def _steps(session, doc, petition, scope):
    doc.heading(str(lazy_gettext("Các bước xử lý")), 12)
    rows = []
    for step in case_history(session, petition.instance_id, scope):
        details = "" if petition.state_secret else "; ".join(f"{k}: {v}" for k, v in step.details)
        actor = step.actor
        if petition.state_secret and step.entry.actor_role not in STAFF_ROLES:  # the sender stays unnamed
            actor = str(SENDER)
        rows.append((_local(step.at), actor, step.action + (f" — {details}" if details else "")))
    columns = (str(lazy_gettext("Lúc")), str(lazy_gettext("Người thực hiện")), str(lazy_gettext("Việc")))
    if rows:
        doc.grid(columns, rows, (32, 40, 108))
    else:
        doc.paragraph(str(lazy_gettext("Không có.")))


def case_of_instance(session, instance_id: int):
    """The petition of an instance; None when the instance has none (a process started by hand) or does not exist."""
    return session.scalar(select(Petition).where(Petition.instance_id == instance_id))


@operation
def export_case_pdf(session, user, petition, scope: ReadingScope) -> bytes:
    """The case's PDF for `user`, who may read it as far as `scope` (the page asked the policy); audited."""
    content = case_pdf(session, petition, scope, user.full_name)
    record(session, user, "case.exported_pdf", petition=petition, data={"partial": scope.until is not None})
    return content
