"""The listed values of a petition: kinds, channels, statuses (as data, with Vietnamese labels), deadline steps,
fields. Labels are msgids of the one catalogue (app/translation.py): English lives in messages.po."""

from app.translation import N_, lazy_gettext, lazy_pgettext

# Decision 31/2021 Art. 39 (conduct, regulation, proposal) and Bắc Ninh 17/2024 report types.
KINDS = {
    "conduct": lazy_gettext("Phản ánh về hành vi hành chính"),
    "regulation": lazy_gettext("Phản ánh, kiến nghị về quy định hành chính"),
    "proposal": lazy_gettext("Đề xuất sáng kiến, giải pháp"),
    "field_report": lazy_gettext("Phản ánh hiện trường"),
    "procedure_report": lazy_gettext("Phản ánh về thủ tục hành chính"),
    "business_report": lazy_gettext("Phản ánh của doanh nghiệp"),
}

CHANNELS = {
    "portal": lazy_gettext("Cổng dịch vụ công / ứng dụng"),
    "letter": lazy_gettext("Thư"),
    "phone": lazy_gettext("Điện thoại"),
    "fax": lazy_gettext("Fax"),
    "email": lazy_gettext("Thư điện tử"),
}

# code: (label, is_open). Order = order in the flow (used when several steps are active). The context keeps a
# status ("Rejected") apart from the deadline step of the same Vietnamese words ("Rejection").
STATUSES = {
    "received": (lazy_pgettext("petition status", "Đã tiếp nhận"), True),
    "classifying": (lazy_pgettext("petition status", "Đang phân loại"), True),
    "awaiting_info": (lazy_pgettext("petition status", "Chờ bổ sung thông tin"), True),
    "consulting": (lazy_pgettext("petition status", "Đang lấy ý kiến phối hợp"), True),
    "handling": (lazy_pgettext("petition status", "Đang giải quyết"), True),
    "leader_review": (lazy_pgettext("petition status", "Chờ lãnh đạo duyệt"), True),
    "escalated": (lazy_pgettext("petition status", "Trình Chủ tịch UBND tỉnh quyết định"), True),
    "reviewing": (lazy_pgettext("petition status", "Đang kiểm tra kết quả"), True),
    "publishing": (lazy_pgettext("petition status", "Chờ công khai"), True),
    "published": (lazy_pgettext("petition status", "Đã công khai kết quả"), False),
    "rejected": (lazy_pgettext("petition status", "Từ chối tiếp nhận"), False),
    "closed_no_reply": (lazy_pgettext("petition status", "Đóng do không bổ sung thông tin"), False),
    "closed_secret": (lazy_pgettext("petition status", "Đóng – thuộc bí mật nhà nước"), False),
    "closed_duplicate": (lazy_pgettext("petition status", "Đóng – trùng với PAKN đã gửi"), False),
}
STATUS_ORDER = {code: index for index, code in enumerate(STATUSES)}

# Deadline steps of the policies (app/calendars/files.py STEPS), named as Decision 31/2021 Arts. 40, 45, 46 name
# them; the context keeps a step (a noun: "Publication of the answer") apart from the task of the same words.
STEPS = {
    "reject": lazy_pgettext("deadline step", "Từ chối tiếp nhận"),
    "request_info": lazy_pgettext("deadline step", "Đề nghị bổ sung thông tin"),
    "forward": lazy_pgettext("deadline step", "Phân loại, chuyển xử lý"),
    "answer": lazy_pgettext("deadline step", "Xử lý, trả lời"),
    "co_opinion": lazy_pgettext("deadline step", "Cơ quan phối hợp góp ý"),
    "progress": lazy_pgettext("deadline step", "Cập nhật tiến độ"),
    "review": lazy_pgettext("deadline step", "Kiểm tra kết quả trả lời"),
    "publish": lazy_pgettext("deadline step", "Công khai kết quả trả lời"),
    "info_reply": lazy_pgettext("deadline step", "Người gửi bổ sung thông tin"),
    "monthly_review": lazy_pgettext("deadline step", "Rà soát hằng tháng"),
    "clarification": lazy_pgettext("deadline step", "Làm rõ ý kiến phản hồi về kết quả"),
}

# The instant a step is due, as the public reads it: never a bare step name beside a time ("Từ chối tiếp nhận:
# 17:00" read as "rejected at 17:00").
DEADLINES = {
    "reject": lazy_gettext("Hạn xem xét tiếp nhận"),
    "request_info": lazy_gettext("Hạn xem xét đề nghị bổ sung thông tin"),
    "forward": lazy_gettext("Hạn phân loại, chuyển cơ quan giải quyết"),
    "answer": lazy_gettext("Hạn giải quyết, trả lời"),
    "co_opinion": lazy_gettext("Hạn cơ quan phối hợp góp ý"),
    "progress": lazy_gettext("Hạn cập nhật tiến độ"),
    "review": lazy_gettext("Hạn kiểm tra kết quả trả lời"),
    "publish": lazy_gettext("Hạn công khai kết quả trả lời"),
    "info_reply": lazy_gettext("Hạn ông/bà bổ sung thông tin"),
    "clarification": lazy_gettext("Hạn cơ quan làm rõ ý kiến phản hồi"),
}

# The steps of the sender's timeline (app/petitions/timeline.py).
CASE_EVENTS = {
    "receipt": lazy_gettext("Đã tiếp nhận"),
    "rejected": lazy_gettext("Không tiếp nhận"),
    "request_info": lazy_gettext("Đề nghị bổ sung thông tin"),
    "info_provided": lazy_gettext("Ông/bà đã bổ sung thông tin"),
    "closed_no_reply": lazy_gettext("Đóng do không nhận được thông tin bổ sung"),
    "forwarded": lazy_gettext("Chuyển cơ quan giải quyết"),
    "transferred": lazy_gettext("Chuyển cơ quan có thẩm quyền"),
    "progress": lazy_gettext("Cập nhật tiến độ"),
    "published": lazy_gettext("Công khai kết quả trả lời"),
    "duplicate": lazy_gettext("Gộp vào PAKN cùng nội dung đã gửi"),
    "clarification_asked": lazy_gettext("Ông/bà đã gửi ý kiến phản hồi về kết quả"),
    "clarified": lazy_gettext("Cơ quan đã làm rõ ý kiến phản hồi"),
    "reopened": lazy_gettext("Lãnh đạo yêu cầu xem xét lại"),
    "reexamined": lazy_gettext("Cơ quan đã xem xét lại theo yêu cầu của lãnh đạo"),
}

# Lĩnh vực: seeded into the `field` table in Vietnamese, which administrators edit; shown through the catalogue.
DEFAULT_FIELDS = {
    "dat-dai": N_("Đất đai"),
    "xay-dung": N_("Xây dựng, đô thị"),
    "moi-truong": N_("Tài nguyên và môi trường"),
    "giao-thong": N_("Giao thông vận tải"),
    "y-te": N_("Y tế"),
    "giao-duc": N_("Giáo dục và đào tạo"),
    "lao-dong": N_("Lao động, việc làm, an sinh xã hội"),
    "tai-chinh": N_("Tài chính, thuế, phí"),
    "doanh-nghiep": N_("Đầu tư, doanh nghiệp"),
    "tu-phap": N_("Tư pháp, hộ tịch"),
    "nong-nghiep": N_("Nông nghiệp và môi trường nông thôn"),
    "an-ninh-trat-tu": N_("Trật tự, an toàn xã hội"),
    "khac": N_("Lĩnh vực khác"),
}


# Why a report may be hidden (seed 002 Art. 7: what reports must not contain; Art. 11: hidden, still handled).
# Seeded into `hide_reason` in Vietnamese, which administrators may extend; "other" needs the clerk's own words.
DEFAULT_HIDE_REASONS = {
    "abusive": (N_("Ngôn từ thô tục, xúc phạm"), False),
    "personal_data": (N_("Chứa thông tin cá nhân của người khác"), False),
    "advertising": (N_("Quảng cáo, rao vặt"), False),
    "duplicate": (N_("Trùng lặp với phản ánh khác"), False),
    "out_of_scope": (N_("Không thuộc phạm vi tiếp nhận"), False),
    "other": (N_("Lý do khác"), True),
}
