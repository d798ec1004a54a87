"""What the sender is told, in his language: one subject and one text per event, each with the tracking code and
the case link (the same text goes by e-mail and SMS; the catalogue gives the English)."""

import os
from dataclasses import dataclass

from app.translation import lazy_gettext, translate

# Where the case page is: a deployment sets PAKN_BASE_URL (https://pakn.tinh.gov.vn); the demo serves locally.
DEFAULT_BASE_URL = "http://127.0.0.1:5000"


@dataclass(frozen=True)
class Template:
    subject: object
    body: object


SENDER_MESSAGES = {
    "receipt": Template(
        lazy_gettext("PAKN %(code)s đã được tiếp nhận"),
        lazy_gettext("PAKN «%(title)s» đã được tiếp nhận lúc %(at)s. Mã tra cứu: %(code)s. Theo dõi: %(link)s"),
    ),
    "rejected": Template(
        lazy_gettext("PAKN %(code)s không được tiếp nhận"),
        lazy_gettext("PAKN %(code)s không được tiếp nhận. Lý do: %(reason)s. Chi tiết: %(link)s"),
    ),
    "request_info": Template(
        lazy_gettext("PAKN %(code)s: đề nghị bổ sung thông tin"),
        lazy_gettext(
            "PAKN %(code)s: đề nghị ông/bà bổ sung thông tin: %(reason)s. Hạn bổ sung: %(due)s. Trả lời tại: %(link)s"
        ),
    ),
    "info_provided": Template(
        lazy_gettext("PAKN %(code)s: đã nhận thông tin bổ sung"),
        lazy_gettext(
            "Cơ quan tiếp nhận đã nhận thông tin bổ sung của ông/bà cho PAKN %(code)s lúc %(at)s và tiếp tục xem xét. "
            "Theo dõi: %(link)s"
        ),
    ),
    "closed_no_reply": Template(
        lazy_gettext("PAKN %(code)s đã đóng"),
        lazy_gettext("PAKN %(code)s đã đóng vì chưa nhận được thông tin bổ sung trong thời hạn. Chi tiết: %(link)s"),
    ),
    "forwarded": Template(
        lazy_gettext("PAKN %(code)s được chuyển đến cơ quan giải quyết"),
        lazy_gettext("PAKN %(code)s đã được chuyển đến %(agency)s để giải quyết. Theo dõi: %(link)s"),
    ),
    "transferred": Template(
        lazy_gettext("PAKN %(code)s được chuyển cơ quan có thẩm quyền"),
        lazy_gettext(
            "PAKN %(code)s đã được chuyển đến %(agency)s, cơ quan có thẩm quyền giải quyết. Theo dõi: %(link)s"
        ),
    ),
    "progress": Template(
        lazy_gettext("PAKN %(code)s: tiến độ giải quyết"),
        lazy_gettext("PAKN %(code)s, tiến độ giải quyết: %(text)s. Theo dõi: %(link)s"),
    ),
    "duplicate": Template(
        lazy_gettext("PAKN %(code)s trùng với PAKN %(original)s"),
        lazy_gettext(
            "PAKN %(code)s cùng nội dung với PAKN %(original)s đã gửi trước nên được gộp vào PAKN đó; ông/bà sẽ được "
            "báo các bước giải quyết và kết quả của PAKN %(original)s. Theo dõi: %(link)s"
        ),
    ),
    "published": Template(
        lazy_gettext("PAKN %(code)s đã có kết quả trả lời"),
        lazy_gettext("PAKN %(code)s đã có kết quả trả lời, được công khai trên cổng thông tin. Xem: %(link)s"),
    ),
    "clarified": Template(
        lazy_gettext("PAKN %(code)s: cơ quan đã làm rõ ý kiến phản hồi"),
        lazy_gettext("PAKN %(code)s, cơ quan làm rõ ý kiến phản hồi của ông/bà: %(text)s. Xem: %(link)s"),
    ),
    "reopened": Template(
        lazy_gettext("PAKN %(code)s: lãnh đạo yêu cầu xem xét lại kết quả trả lời"),
        lazy_gettext(
            "PAKN %(code)s: lãnh đạo yêu cầu cơ quan đã trả lời xem xét lại kết quả: %(text)s. Ông/bà sẽ được báo "
            "kết quả xem xét lại. Theo dõi: %(link)s"
        ),
    ),
    "reexamined": Template(
        lazy_gettext("PAKN %(code)s: cơ quan đã xem xét lại kết quả trả lời"),
        lazy_gettext("PAKN %(code)s, kết quả xem xét lại theo yêu cầu của lãnh đạo: %(text)s. Xem: %(link)s"),
    ),
}


def base_url() -> str:
    """The site's address, for links in messages (read outside the site)."""
    return (os.environ.get("PAKN_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def case_link(tracking_code: str, sender_key: str | None = None) -> str:
    """The sender's case page: with his key, the link that lets him read and act on it without an account."""
    if sender_key:
        return f"{base_url()}/ho-so/{tracking_code}/{sender_key}"
    return f"{base_url()}/tra-cuu/{tracking_code}"


def sender_message(kind: str, lang: str, **values) -> tuple[str, str]:
    """The subject and text of event `kind` in `lang`, filled with `values` (code, link and the event's own)."""
    template = SENDER_MESSAGES[kind]
    values = {key: "" if value is None else value for key, value in values.items()}
    return translate(template.subject, lang) % values, translate(template.body, lang) % values
