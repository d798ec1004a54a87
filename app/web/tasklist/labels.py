"""Labels the task pages show: catalogue values in the current language, deadline steps, audit actions."""

import unicodedata

from flask_babel import gettext as _

from app.accounts.models import ROLES
from app.errors import FormInvalid
from app.messages import render
from app.petitions.catalog import CHANNELS, KINDS

from ..extensions import get_locale
from ..redirects import local_target

# Deadline steps of the policies (app/calendars/files.py STEPS); Vietnamese msgids.
STEPS = {
    "reject": "Từ chối tiếp nhận",
    "request_info": "Đề nghị bổ sung thông tin",
    "forward": "Phân loại, chuyển cơ quan có thẩm quyền",
    "answer": "Xử lý, trả lời",
    "progress": "Cập nhật tiến độ giải quyết",
    "publish": "Công khai kết quả trả lời",
    "info_reply": "Người gửi bổ sung thông tin",
}
DEADLINE_STATES = {
    "running": "đang tính",
    "overdue": "quá hạn",
    "met": "đúng hạn",
    "missed": "trễ hạn",
}
ACTIONS = {
    "petition.submitted": "Tiếp nhận PAKN",
    "petition.submit": "Tiếp nhận PAKN",
    "task.claimed": "Nhận xử lý",
    "task.claim": "Nhận xử lý",
    "task.unclaimed": "Trả lại việc",
    "task.unclaim": "Trả lại việc",
    "task.completed": "Hoàn thành công việc",
    "task.complete": "Hoàn thành công việc",
    "task.view": "Xem công việc",
    "timer.fired": "Hết thời hạn, hệ thống xử lý",
}
OUTCOMES = {"ok": "thành công", "refused": "bị từ chối", "failed": "không thành công"}


def english() -> bool:
    return get_locale() == "en"


def pick(pair) -> str:
    """(Vietnamese, English, ...) → the label of the current language."""
    return pair[1] if english() else pair[0]


def kind_label(code: str) -> str:
    return pick(KINDS[code]) if code in KINDS else code


def channel_label(code: str) -> str:
    return pick(CHANNELS[code]) if code in CHANNELS else code


def role_name(role: str | None) -> str:
    return pick(ROLES[role]) if role in ROLES else (role or "")


def status_label(petition) -> str:
    row = petition.status_row
    if row is None:
        return petition.status
    return row.label_en if english() else row.label_vi


def step_label(step: str) -> str:
    return _(STEPS[step]) if step in STEPS else step


def field_errors(invalid: FormInvalid) -> dict[str, str]:
    """One message per field in the current language, the field's label translated too."""
    lang = get_locale()
    messages = {}
    for error in invalid.errors:
        params = dict(error.params)
        if "label" in params:
            params["label"] = _(params["label"])
        messages.setdefault(error.field, render(error.rule, lang, **params))
    return messages


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site paths: a form's `next` cannot send the user elsewhere (the task pages' name for it)."""
    return local_target(target, fallback)


def sort_key(text: str) -> str:
    """Alphabetical order for Vietnamese names (Đất đai among the D's, not after Y tế)."""
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold()


def translated_options(rows) -> list[tuple[str, str]]:
    """(code, Vietnamese name) rows → (code, name in the current language), sorted by name."""
    return sorted(((code, _(name)) for code, name in rows), key=lambda option: sort_key(option[1]))
