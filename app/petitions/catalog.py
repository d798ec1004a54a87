"""The listed values of a petition: kinds, channels, statuses (as data, with Vietnamese labels), fields."""

# Decision 31/2021 Art. 39 (conduct, regulation, proposal) and Bắc Ninh 17/2024 report types.
KINDS = {
    "conduct": ("Phản ánh về hành vi hành chính", "Conduct of officials"),
    "regulation": ("Phản ánh, kiến nghị về quy định hành chính", "Administrative regulations"),
    "proposal": ("Đề xuất sáng kiến, giải pháp", "Proposal or initiative"),
    "field_report": ("Phản ánh hiện trường", "Field report"),
    "procedure_report": ("Phản ánh về thủ tục hành chính", "Administrative-procedure report"),
    "business_report": ("Phản ánh của doanh nghiệp", "Business report"),
}

CHANNELS = {
    "portal": ("Cổng dịch vụ công / ứng dụng", "Portal or app"),
    "letter": ("Thư", "Letter"),
    "phone": ("Điện thoại", "Phone"),
    "fax": ("Fax", "Fax"),
    "email": ("Thư điện tử", "E-mail"),
}

# code: (Vietnamese, English, is_open). Order = order in the flow (used when several steps are active).
STATUSES = {
    "received": ("Đã tiếp nhận", "Received", True),
    "classifying": ("Đang phân loại", "Being classified", True),
    "awaiting_info": ("Chờ bổ sung thông tin", "Awaiting more information", True),
    "consulting": ("Đang lấy ý kiến phối hợp", "Consulting co-handling agencies", True),
    "handling": ("Đang giải quyết", "Being handled", True),
    "leader_review": ("Chờ lãnh đạo duyệt", "Awaiting the leader's approval", True),
    "reviewing": ("Đang kiểm tra kết quả", "Answer under review", True),
    "publishing": ("Chờ công khai", "Awaiting publication", True),
    "published": ("Đã công khai kết quả", "Answer published", False),
    "rejected": ("Từ chối tiếp nhận", "Rejected", False),
    "closed_no_reply": ("Đóng do không bổ sung thông tin", "Closed: no reply to the request", False),
    "closed_secret": ("Đóng – thuộc bí mật nhà nước", "Closed: state secret, handled outside", False),
}
STATUS_ORDER = {code: index for index, code in enumerate(STATUSES)}

# Lĩnh vực: seeded into the `field` table, which administrators edit.
DEFAULT_FIELDS = {
    "dat-dai": "Đất đai",
    "xay-dung": "Xây dựng, đô thị",
    "moi-truong": "Tài nguyên và môi trường",
    "giao-thong": "Giao thông vận tải",
    "y-te": "Y tế",
    "giao-duc": "Giáo dục và đào tạo",
    "lao-dong": "Lao động, việc làm, an sinh xã hội",
    "tai-chinh": "Tài chính, thuế, phí",
    "doanh-nghiep": "Đầu tư, doanh nghiệp",
    "tu-phap": "Tư pháp, hộ tịch",
    "nong-nghiep": "Nông nghiệp và môi trường nông thôn",
    "an-ninh-trat-tu": "Trật tự, an toàn xã hội",
    "khac": "Lĩnh vực khác",
}
