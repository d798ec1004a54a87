"""Where a case and its tasks stand against their deadlines, in working days of the case's province."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.calendars.store import current_book
from app.calendars.working_days import days_left
from app.db import utcnow
from app.engine.models import Timer
from app.petitions.models import CaseDeadline

STEP_LABELS = {
    "reject": ("Từ chối tiếp nhận", "Rejection"),
    "request_info": ("Đề nghị bổ sung thông tin", "Request for information"),
    "forward": ("Phân loại, chuyển xử lý", "Classification and forwarding"),
    "answer": ("Giải quyết, trả lời", "Handling and answer"),
    "progress": ("Cập nhật tiến độ", "Progress update"),
    "publish": ("Công khai kết quả", "Publication"),
    "info_reply": ("Người gửi bổ sung thông tin", "Sender's reply"),
}
DUE_SOON = 2  # working days: a task this close to its deadline is marked "due soon"


@dataclass(frozen=True)
class DeadlineStatus:
    step: str
    due_at: datetime
    days_left: int  # working days; 0 = due today; negative = working days late
    state: str  # "running", "overdue" (missed, still open), "met", "missed"

    @property
    def urgency(self) -> str:
        """ "late", "soon" or "ok" — how a list should mark it."""
        if self.days_left < 0:
            return "late"
        return "soon" if self.days_left <= DUE_SOON else "ok"

    def describe(self, lang: str = "vi") -> str:
        n = abs(self.days_left)
        if self.days_left < 0:
            return f"quá hạn {n} ngày làm việc" if lang == "vi" else f"{n} working day{'s' * (n != 1)} late"
        if self.days_left == 0:
            return "đến hạn hôm nay" if lang == "vi" else "due today"
        return f"còn {n} ngày làm việc" if lang == "vi" else f"{n} working day{'s' * (n != 1)} left"


def due_status(session, province: str, due_at: datetime, now: datetime | None = None, step: str = "") -> DeadlineStatus:
    """The days left (or late) before `due_at` on the province's calendar."""
    calendar = current_book(session).calendar(province)
    left = days_left(calendar, now or utcnow(), due_at)
    return DeadlineStatus(step, due_at, left, "overdue" if left < 0 else "running")


def task_status(session, item, province: str, now: datetime | None = None) -> DeadlineStatus | None:
    """A work item's due date as days left / late; None when the task has no due date."""
    if item.due_at is None:
        return None
    return due_status(session, province, item.due_at, now, item.due_step or "")


def petition_deadlines(session, petition, now: datetime | None = None) -> list[DeadlineStatus]:
    """The latest run of each step of the case: running, overdue, met or missed."""
    now = now or utcnow()
    newest = (
        select(func.max(CaseDeadline.id)).where(CaseDeadline.petition_id == petition.id).group_by(CaseDeadline.step)
    )
    records = session.scalars(select(CaseDeadline).where(CaseDeadline.id.in_(newest)).order_by(CaseDeadline.id)).all()
    waiting = set()
    if petition.instance_id is not None:
        waiting = set(
            session.scalars(
                select(Timer.step).where(Timer.instance_id == petition.instance_id, Timer.kind == "deadline")
            )
        )
    calendar = current_book(session).calendar(petition.province_code)
    result = []
    for record in records:
        left = days_left(calendar, now, record.due_at)
        if record.step in waiting:
            state = "overdue" if left < 0 else "running"
        elif record.overdue_at is not None:
            state = "missed" if petition.closed_at else "overdue"
        else:
            state = "met"
        result.append(DeadlineStatus(record.step, record.due_at, left, state))
    return result
