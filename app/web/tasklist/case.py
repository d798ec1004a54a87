"""A case as the task pages show it: the petition's facts, its deadlines, its history with readable values."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.agencies.models import Agency
from app.attachments.models import Attachment
from app.deadlines.status import DeadlineStatus, petition_deadlines
from app.engine.forms import TRUE_WORDS, FormField, form_fields
from app.engine.models import WorkItem
from app.engine.runtime import EngineError, user_task_spec
from app.petitions.models import Field
from app.tasks.access import ReadingScope
from app.tasks.operations import history
from app.tasks.task_forms import camunda_form, described_fields

from .labels import ACTIONS, DEADLINE_STATES, OUTCOMES, channel_label, english, kind_label, role_name, status_label


@dataclass
class Deadline:
    step: str
    due_at: datetime
    state: str
    urgency: str | None  # late / soon / ok while the step runs; None once it is over
    text: str


@dataclass
class Step:
    """One history entry: who, when, what, how it ended, and the values that were entered."""

    at: datetime
    actor: str
    role: str
    action: str
    outcome: str
    refused: bool
    details: list[tuple[str, str]] = field(default_factory=list)


def facts(session, petition) -> list[tuple[str, str, bool]]:
    """(label, value, long text?) of the petition's content, in reading order."""
    field_row = session.get(Field, petition.field_code)
    rows = [
        (_("Mã số PAKN"), petition.tracking_code, False),
        (_("Loại phản ánh, kiến nghị"), kind_label(petition.kind), False),
        (_("Lĩnh vực"), _(field_row.name) if field_row else petition.field_code, False),
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
    rows = session.scalars(select(Attachment).where(Attachment.petition_id == petition.id).order_by(Attachment.id))
    return [row for row in rows if scope is None or scope.shows(row.uploaded_at)]


def deadlines(session, petition, now: datetime | None = None) -> list[Deadline]:
    lang = "en" if english() else "vi"
    return [_deadline(status, lang) for status in petition_deadlines(session, petition, now)]


def _deadline(status: DeadlineStatus, lang: str) -> Deadline:
    running = status.state in ("running", "overdue")
    text = status.describe(lang) if running else _(DEADLINE_STATES.get(status.state, status.state))
    return Deadline(status.step, status.due_at, status.state, status.urgency if running else None, text)


def steps(session, petition, scope: ReadingScope | None = None) -> list[Step]:
    """The case's history (audit entries), oldest first, with names instead of usernames and codes."""
    if petition.instance_id is None:
        return []
    entries = [e for e in history(session, petition.instance_id) if scope is None or scope.shows(e.at)]
    actors = {e.actor for e in entries}
    names = dict(session.execute(select(User.username, User.full_name).where(User.username.in_(actors))).all())
    items = {
        item.task_id: item
        for item in session.scalars(select(WorkItem).where(WorkItem.instance_id == petition.instance_id))
    }
    agencies = None
    forms = {}  # (definition, task) → its fields: a task done several times is read once
    result = []
    for entry in entries:
        action = _(ACTIONS[entry.action]) if entry.action in ACTIONS else entry.action
        if entry.task_name:
            action = f"{action}: {_(entry.task_name)}"
        data, details = entry.data, []
        if entry.action == "task.completed" and isinstance(data.get("values"), dict):
            item = items.get(entry.task_id)
            if item is not None and (item.instance.definition_id, item.bpmn_id) not in forms:
                forms[item.instance.definition_id, item.bpmn_id] = _fields_of(session, item)
            fields = forms[item.instance.definition_id, item.bpmn_id] if item is not None else []
            if agencies is None:
                agencies = dict(session.execute(select(Agency.code, Agency.name)).all())
            details = readable_values(fields, data["values"], agencies)
        if entry.outcome != "ok" and data.get("reason"):
            details.append((_("Lý do"), str(data["reason"])))
        actor = _("Hệ thống") if entry.actor == "system" else names.get(entry.actor, entry.actor)
        result.append(
            Step(
                at=entry.at,
                actor=actor,
                role=role_name(entry.actor_role) if entry.actor_role else "",
                action=action,
                outcome=_(OUTCOMES.get(entry.outcome, entry.outcome)),
                refused=entry.outcome != "ok",
                details=details,
            )
        )
    return result


def _fields_of(session, item: WorkItem) -> list[FormField]:
    try:
        spec = user_task_spec(item.instance.definition, item.process_key, item.bpmn_id)
    except (EngineError, KeyError):  # the model no longer has the task: show the raw values
        return []
    designed = camunda_form(session, spec)
    return described_fields(designed) if designed is not None else form_fields(spec)


def readable_values(fields: list[FormField], values: dict, agencies: dict[str, str]) -> list[tuple[str, str]]:
    """Entered values as (label, text): enum names, agency names, yes/no; empty values left out."""
    by_id = {f.id: f for f in fields}
    shown = []
    for key, value in values.items():
        if value is None or value == "" or value == []:
            continue
        f = by_id.get(key)
        items = value if isinstance(value, list) else [value]
        items = [v.get("file_name", v) if isinstance(v, dict) else v for v in items]  # stored files by name
        if f is None:
            shown.append((key, ", ".join(map(str, items))))
            continue
        if f.type == "enum":
            names = dict(f.options)
            text = ", ".join(_(names.get(v) or str(v)) for v in items)
        elif f.type == "boolean":
            text = _("Có") if str(value).lower() in TRUE_WORDS else _("Không")
        elif f.properties.get("ref") == "agency":
            text = ", ".join(agencies.get(str(v), str(v)) for v in items)
        else:
            text = ", ".join(str(v) for v in items)
        shown.append((_(f.label), text))
    return shown
