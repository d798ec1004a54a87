"""What the audit log's action and outcome codes are called where people read a history (msgids of the one
catalogue). The codes themselves stay in the log and in the auditors' exports."""

from app.translation import lazy_gettext

ACTIONS = {
    "petition.submitted": lazy_gettext("Tiếp nhận PAKN"),
    "petition.submit": lazy_gettext("Tiếp nhận PAKN"),
    "petition.reply": lazy_gettext("Bổ sung thông tin"),
    "petition.rated": lazy_gettext("Đánh giá kết quả trả lời"),
    "petition.agency_moved": lazy_gettext("Chuyển sang cơ quan kế thừa"),
    "task.claimed": lazy_gettext("Nhận xử lý"),
    "task.claim": lazy_gettext("Nhận xử lý"),
    "task.unclaimed": lazy_gettext("Trả lại việc"),
    "task.unclaim": lazy_gettext("Trả lại việc"),
    "task.completed": lazy_gettext("Hoàn thành công việc"),
    "task.complete": lazy_gettext("Hoàn thành công việc"),
    "task.view": lazy_gettext("Xem công việc"),
    "task.file": lazy_gettext("Mở tệp của công việc"),
    "process.started": lazy_gettext("Bắt đầu quy trình"),
    "process.start": lazy_gettext("Bắt đầu quy trình"),
    "timer.fired": lazy_gettext("Hết thời hạn, hệ thống xử lý"),
    "timer.failed": lazy_gettext("Hệ thống không xử lý được thời hạn"),
    "petition.corrected": lazy_gettext("Sửa lĩnh vực, loại PAKN"),
    "petition.sender_link": lazy_gettext("Mở hồ sơ bằng đường dẫn của người gửi"),
    "petition.hidden": lazy_gettext("Ẩn PAKN khỏi cổng công khai"),
    "petition.unhidden": lazy_gettext("Hiện lại PAKN trên cổng công khai"),
    "petition.redacted": lazy_gettext("Biên tập nội dung công khai (tiêu đề, tóm tắt, tệp)"),
    "petition.flagged": lazy_gettext("Đánh dấu PAKN vi phạm quy định"),
    "review.started": lazy_gettext("Bắt đầu rà soát hằng tháng"),
    "review.measure": lazy_gettext("Biện pháp sau rà soát hằng tháng"),
    "message.sent": lazy_gettext("Đã gửi tin nhắn"),
    "message.dead_lettered": lazy_gettext("Không gửi được tin nhắn"),
}
OUTCOMES = {
    "ok": lazy_gettext("thành công"),
    "refused": lazy_gettext("bị từ chối"),
    "failed": lazy_gettext("không thành công"),
}


def action_name(code: str) -> str:
    """The action in the reader's language; a code without a name is shown as it is."""
    return str(ACTIONS[code]) if code in ACTIONS else code


def outcome_name(code: str) -> str:
    return str(OUTCOMES[code]) if code in OUTCOMES else code
