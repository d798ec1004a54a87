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
    # the administrators' operations (their page of recent changes)
    "agency.created": lazy_gettext("Thêm cơ quan"),
    "agency.updated": lazy_gettext("Sửa cơ quan"),
    "agency.imported": lazy_gettext("Nhập cơ quan từ tệp"),
    "agency.succeeded": lazy_gettext("Sáp nhập cơ quan"),
    "account.created": lazy_gettext("Tạo tài khoản"),
    "account.updated": lazy_gettext("Sửa tài khoản"),
    "account.imported": lazy_gettext("Nhập tài khoản từ tệp"),
    "account.activated": lazy_gettext("Mở lại tài khoản"),
    "account.deactivated": lazy_gettext("Khóa tài khoản"),
    "account.password_reset": lazy_gettext("Đặt lại mật khẩu"),
    "account.password_changed": lazy_gettext("Đổi mật khẩu"),
    "account.password_reset_requested": lazy_gettext("Yêu cầu đặt lại mật khẩu"),
    "account.password_reset_by_mail": lazy_gettext("Đặt lại mật khẩu qua thư"),
    "account.signed_up": lazy_gettext("Người dân đăng ký tài khoản"),
    "account.verified": lazy_gettext("Xác nhận địa chỉ thư"),
    "account.verification_sent": lazy_gettext("Gửi thư xác nhận"),
    "account.mail_sent": lazy_gettext("Gửi thư tài khoản"),
    "account.resend": lazy_gettext("Gửi lại thư xác nhận"),
    "field.created": lazy_gettext("Thêm lĩnh vực"),
    "field.renamed": lazy_gettext("Đổi tên lĩnh vực"),
    "field.activated": lazy_gettext("Dùng lại lĩnh vực"),
    "field.deactivated": lazy_gettext("Ngừng dùng lĩnh vực"),
    "hide_reason.created": lazy_gettext("Thêm lý do ẩn"),
    "hide_reason.activated": lazy_gettext("Dùng lại lý do ẩn"),
    "hide_reason.deactivated": lazy_gettext("Ngừng dùng lý do ẩn"),
    "process.deployed": lazy_gettext("Triển khai phiên bản quy trình"),
    "process.made_current": lazy_gettext("Dùng lại phiên bản quy trình cũ"),
    "process.chosen": lazy_gettext("Chọn quy trình cho PAKN mới"),
    "process.choice_removed": lazy_gettext("Bỏ lựa chọn quy trình"),
    "process.instance_migrated": lazy_gettext("Chuyển hồ sơ sang phiên bản mới"),
    "process.instances_migrated": lazy_gettext("Chuyển các hồ sơ đang chạy sang phiên bản mới"),
    "province.enabled": lazy_gettext("Mở tiếp nhận cho tỉnh"),
    "province.hotlines_changed": lazy_gettext("Sửa đường dây nóng"),
    "calendar.day_changed": lazy_gettext("Thay đổi ngày nghỉ, ngày làm bù"),
    "deadline.changed": lazy_gettext("Thay đổi thời hạn một bước"),
    "deadline.recomputed": lazy_gettext("Tính lại thời hạn"),
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
