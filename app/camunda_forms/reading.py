"""What the browser sent for each field, read into typed values (before the rules are checked).

The request is a MultiDict (Flask's `request.form`) or a plain dict; field name = component key;
checklists and taglists send the name once per chosen value; an unticked checkbox sends nothing.
"""

import re

from .datetimes import parse_input
from .model import LIST_TYPES, Component
from .numbers import to_decimal

TRUE_WORDS = {"true", "on", "1", "yes"}
FALSE_WORDS = {"false", "off", "0", "no", ""}
BAD_INPUT = {"number": "type_number", "checkbox": "type_boolean"}
BAD_DATETIME = {"date": "type_date", "time": "type_time", "datetime": "type_datetime"}
PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


class Unreadable(ValueError):
    """The text sent cannot be a value of the field's type; `rule` names the message."""

    def __init__(self, rule: str):
        super().__init__(rule)
        self.rule = rule


def sent(raw, key: str) -> list:
    """Every value sent under `key` (MultiDict.getlist, or a dict's value / list)."""
    if raw is None:
        return []
    if hasattr(raw, "getlist"):
        return raw.getlist(key)
    value = raw.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def read(c: Component, raw):
    """The typed value of field `c` in the request: None when left empty; raises Unreadable."""
    values = sent(raw, c.key)
    if c.type in LIST_TYPES:
        chosen = []
        for value in values:
            value = str(value).strip()
            if value and value not in chosen:
                chosen.append(value)
        return chosen
    text = values[0] if values else None
    if c.type == "checkbox":
        if isinstance(text, bool):
            return text
        word = str(text or "").strip().lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            raise Unreadable("type_boolean")
        return word in TRUE_WORDS
    text = "" if text is None else str(text).replace("\r\n", "\n").strip()
    if text == "":
        return None
    if c.type == "number":
        number = to_decimal(text)
        if number is None:
            raise Unreadable("type_number")
        return number
    if c.type == "datetime":
        try:
            return parse_input(c.subtype, text, c.spec.get("timeSerializingFormat"))
        except ValueError:
            raise Unreadable(BAD_DATETIME.get(c.subtype, "type_date")) from None
    if c.validate.get("validationType") == "phone":
        return PHONE_SEPARATORS.sub("", text)  # stored as the product stores phone numbers: digits only
    return text


def read_leniently(c: Component, raw):
    """The typed value, or None when unreadable (to decide visibility on a page that failed checks)."""
    try:
        return read(c, raw)
    except Unreadable:
        return None
