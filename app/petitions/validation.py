"""What the law requires of a submission (requirements §2): checked field by field, all errors at once."""

import re

from app.agencies.models import Commune, Province
from app.agencies.queries import is_receiving
from app.errors import FieldError, FormInvalid
from app.text_rules import has_control, visible_length
from app.translation import lazy_gettext

from .catalog import CHANNELS, KINDS
from .models import Field

LABELS = {
    "kind": lazy_gettext("Loại phản ánh, kiến nghị"),
    "field_code": lazy_gettext("Lĩnh vực"),
    "channel": lazy_gettext("Kênh tiếp nhận"),
    "title": lazy_gettext("Tiêu đề"),
    "content": lazy_gettext("Nội dung"),
    "location": lazy_gettext("Địa điểm"),
    "sender_name": lazy_gettext("Họ và tên người gửi"),
    "sender_address": lazy_gettext("Địa chỉ liên hệ"),
    "sender_phone": lazy_gettext("Số điện thoại"),
    "sender_email": lazy_gettext("Thư điện tử"),
    "province_code": lazy_gettext("Tỉnh, thành phố"),
    "commune_code": lazy_gettext("Xã, phường, đặc khu"),
}
LIMITS = {
    "title": (5, 300),
    "content": (20, 20000),
    "sender_name": (2, 200),
    "sender_address": (5, 300),
    "location": (0, 300),
}
VISIBLE_MIN = {"title": 5}  # "     ." or zero-width characters are not a title
# The portal asks for every contact (seed 003 §4); a letter, call, fax or e-mail carries what it carries.
CONTACTS_REQUIRED = {"portal": ("sender_phone", "sender_email"), "phone": ("sender_phone",), "email": ("sender_email",)}
# Report types that must carry a photo or video (seed 002, the provincial app).
NEEDS_PICTURE = {"field_report", "procedure_report"}
REQUIRED = ("kind", "field_code", "channel", "title", "content", "sender_name", "sender_address", "province_code",
            "commune_code")  # fmt: skip
COMMUNE_CODE = re.compile(r"^\d{1,9}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^(?:\+84|0)\d{9,10}$")


def clean_submission(session, raw: dict) -> dict:
    """Return the cleaned submission or raise FormInvalid with one error per field."""
    values = {key: (str(raw.get(key) or "")).strip() for key in LABELS}
    values["sender_phone"] = re.sub(r"[\s.\-()]", "", values["sender_phone"])
    values["sender_email"] = values["sender_email"].lower()
    values["channel"] = values["channel"] or "portal"
    errors = []

    def refuse(key, rule, **params):
        errors.append(FieldError(key, rule, {"label": LABELS[key], **params}))

    for key in LABELS:
        if has_control(values[key]):
            refuse(key, "control_chars")
    for key in REQUIRED:
        if not values[key]:
            refuse(key, "required")
    for key in CONTACTS_REQUIRED.get(values["channel"], ()):
        if not values[key]:
            refuse(key, "required")
    for key, (low, high) in LIMITS.items():
        if values[key] and len(values[key]) < low:
            refuse(key, "minlength", limit=low)
        elif len(values[key]) > high:
            refuse(key, "maxlength", limit=high)
        elif key in VISIBLE_MIN and values[key] and visible_length(values[key]) < VISIBLE_MIN[key]:
            refuse(key, "visible_min", limit=VISIBLE_MIN[key])
    if values["kind"] and values["kind"] not in KINDS:
        refuse("kind", "enum", allowed=", ".join(KINDS))
    if values["channel"] not in CHANNELS:
        refuse("channel", "enum", allowed=", ".join(CHANNELS))
    field_row = session.get(Field, values["field_code"]) if values["field_code"] else None
    if values["field_code"] and (field_row is None or not field_row.active):  # a retired field takes no new cases
        refuse("field_code", "ref", value=values["field_code"])
    province = session.get(Province, values["province_code"]) if values["province_code"] else None
    if values["province_code"] and province is None:
        refuse("province_code", "ref", value=values["province_code"])
    elif province is not None and not is_receiving(session, province.code):
        refuse("province_code", "not_receiving", value=province.name)
    commune = session.get(Commune, int(values["commune_code"])) if COMMUNE_CODE.match(values["commune_code"]) else None
    if values["commune_code"] and commune is None:
        refuse("commune_code", "ref", value=values["commune_code"])
    elif commune is not None and province is not None and commune.province_code != province.code:
        refuse("commune_code", "commune_province", value=commune.name, province=province.name)
    if values["sender_phone"] and not PHONE.match(values["sender_phone"]):
        refuse("sender_phone", "phone")
    if values["sender_email"] and not EMAIL.match(values["sender_email"]):
        refuse("sender_email", "email")
    if errors:
        raise FormInvalid(errors)
    values["location"] = values["location"] or None
    values["commune_code"] = commune.code
    return values
