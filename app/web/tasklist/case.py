"""A case as the task pages show it: the petition's facts and files; its deadlines and its history come from the
domain's one view of each (app/deadlines/status.py, app/petitions/history.py)."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import pgettext

from app.attachments.models import Attachment
from app.deadlines.status import DeadlineStatus, petition_deadlines
from app.petitions.coordination import Holding, Opinion, co_opinions, holders
from app.petitions.duplicates import Candidate, likely_duplicates
from app.petitions.history import Step, case_history
from app.petitions.queries import field_name
from app.process_starts.queries import started_instance
from app.tasks.policy import ReadingScope
from app.tasks.queries import case_files, case_messages

from ..i18n import format_local, label
from .labels import channel_label, kind_label, status_label


def facts(session, petition) -> list[tuple[str, str, bool]]:
    """(label, value, long text?) of the petition's content, in reading order."""
    field = field_name(session, petition.field_code)
    rows = [
        (_("Mã số PAKN"), petition.tracking_code, False),
        (_("Loại phản ánh, kiến nghị"), kind_label(petition.kind), False),
        (_("Lĩnh vực"), _(field) if field else petition.field_code, False),
        (_("Kênh tiếp nhận"), channel_label(petition.channel), False),
        (_("Tiêu đề"), petition.title, False),
        (_("Nội dung"), petition.content, True),
        (_("Địa điểm"), petition.location or "", False),
        (_("Họ và tên người gửi"), petition.sender_name, False),
        (_("Số điện thoại"), petition.sender_phone, False),
        (_("Thư điện tử"), petition.sender_email, False),
        (_("Địa chỉ liên hệ"), petition.sender_address, False),
        (_("Tỉnh, thành phố"), petition.province.name if petition.province else petition.province_code, False),
        (_("Xã, phường, đặc khu"), petition.commune.name if petition.commune else "", False),
        (_("Tình trạng"), status_label(petition), False),
    ]
    if petition.lead_agency is not None:
        rows.append((_("Cơ quan chủ trì xử lý"), petition.lead_agency.name, False))
    if petition.co_agencies:
        rows.append((_("Cơ quan phối hợp"), ", ".join(a.name for a in petition.co_agencies), False))
    if petition.entered_by:
        rows.append((_("Người nhập"), petition.entered_by, False))
    return rows


def attachments(session, petition, scope: ReadingScope | None = None) -> list[Attachment]:
    """The sender's files and the answer's documents, oldest first (those the reader's scope shows)."""
    return case_files(session, petition, scope)


def messages(session, petition, scope: ReadingScope | None = None):
    """The case's messages and whether each left (sent, waiting for a retry, or dead-lettered with its error)."""
    return case_messages(session, petition, scope)


def deadlines(session, petition, now: datetime | None = None) -> list[DeadlineStatus]:
    """The latest run of each step's deadline, with its verdict (`text`, `urgency` while open)."""
    return petition_deadlines(session, petition, now)


def opinions(session, petition) -> list[Opinion]:
    """The co-handling agencies' opinions on the lead's direction, with who was late (Decree 20/2008 Art. 14)."""
    return co_opinions(session, petition)


def holdings(session, petition) -> list[Holding]:
    """Which agencies held the case for an answer, and for how long."""
    return holders(session, petition)


@dataclass(frozen=True)
class Similar:
    """A case that may be the same matter, as the classification shows it."""

    code: str
    title: str
    excerpt: str
    received_at: datetime
    status: str
    score: float
    likely: bool
    same_sender: bool
    answered: bool


def duplicates(session, petition) -> list[Candidate]:
    """At classification only: the earlier cases that may be the same matter, best first. Looked up once per page:
    its panel (`similar`) and its form's list of earlier cases both read them."""
    if petition is None or petition.status != "classifying":
        return []
    return likely_duplicates(session, petition)


def similar(candidates: list[Candidate]) -> list[Similar]:
    """The likely duplicates as the classification's panel shows them."""
    return [
        Similar(
            code=c.petition.tracking_code,
            title=c.petition.title,
            excerpt=_excerpt(c.petition.content),
            received_at=c.petition.received_at,
            status=status_label(c.petition),
            score=c.score,
            likely=c.likely,
            same_sender=c.same_sender,
            answered=c.answered,
        )
        for c in candidates
    ]


def _excerpt(text: str, limit: int = 300) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def steps(session, instance_id: int, scope: ReadingScope | None = None) -> list[Step]:
    """The case's history, oldest first, with names instead of usernames and codes (what `scope` shows)."""
    return case_history(session, instance_id, scope)


def instance_facts(session, instance_id: int) -> list[tuple[str, str, bool]]:
    """(label, value, long text?) of an instance staff started by hand: its process, and who started it when."""
    started = started_instance(session, instance_id)
    definition = started.instance.definition
    return [
        (pgettext("one process", "Quy trình"), label(definition.name or definition.process_key), False),
        (_("Phiên bản"), str(definition.version), False),
        (_("Bắt đầu lúc"), format_local(started.instance.started_at), False),
        (_("Người bắt đầu"), started.started_by or "", False),
    ]
