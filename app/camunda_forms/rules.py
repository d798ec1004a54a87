"""form-js validation of one field's typed value, in the product's messages (app/messages.py)."""

import re
from decimal import Decimal

from app.errors import FieldError
from app.text_rules import has_control

from .datetimes import day_of, today
from .model import OPTION_TYPES, Component
from .numbers import to_count, to_decimal, to_positive

# The product's rules for e-mail and Vietnamese phone numbers (as app/petitions/validation.py checks them).
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^(?:\+84|0)\d{9,10}$")


def label_of(c: Component) -> str:
    return c.label or c.key or c.ref


def blank(c: Component, value) -> bool:
    return value is None or value == "" or value == [] or (c.type == "checkbox" and value is False)


def check(c: Component, value) -> FieldError | None:
    """The first rule `value` breaks (required first), or None."""
    label = {"label": label_of(c)}
    if blank(c, value):
        return FieldError(c.key, "required", label) if c.required else None
    if c.type in OPTION_TYPES:
        allowed = dict(c.options)
        for item in value if isinstance(value, list) else [value]:
            if item not in allowed:
                return FieldError(c.key, "enum", {**label, "allowed": ", ".join(allowed.values())})
    if c.type in ("textfield", "textarea"):
        return _check_text(c, value, label)
    if c.type == "number":
        return _check_number(c, value, label)
    if c.type == "datetime" and c.spec.get("disallowPassedDates") is True:
        day = day_of(c.subtype, value)
        if day is not None and day < today():
            return FieldError(c.key, "past_date", label)
    return None


def _check_text(c: Component, value: str, label: dict) -> FieldError | None:
    if has_control(value):
        return FieldError(c.key, "control_chars", label)
    v = c.validate
    low, high = to_count(v.get("minLength")), to_count(v.get("maxLength"))
    if low is not None and len(value) < low:
        return FieldError(c.key, "minlength", {**label, "limit": low})
    if high is not None and len(value) > high:
        return FieldError(c.key, "maxlength", {**label, "limit": high})
    kind = v.get("validationType")
    if kind == "email" and not EMAIL.match(value):
        return FieldError(c.key, "email", label)
    if kind == "phone" and not PHONE.match(value):
        return FieldError(c.key, "phone", label)
    pattern = v.get("pattern")
    # form-js tests the pattern like JavaScript's RegExp.test: a match anywhere, not the whole value.
    if isinstance(pattern, str) and pattern and not re.search(pattern, value):
        custom = v.get("patternErrorMessage")
        if isinstance(custom, str) and custom.strip():
            return FieldError(c.key, "pattern_custom", {**label, "message": custom.strip()})
        return FieldError(c.key, "pattern", label)
    return None


def _check_number(c: Component, value: Decimal, label: dict) -> FieldError | None:
    v = c.validate
    low, high = to_decimal(v.get("min")), to_decimal(v.get("max"))
    if low is not None and value < low:
        return FieldError(c.key, "min", {**label, "limit": _plain(low)})
    if high is not None and value > high:
        return FieldError(c.key, "max", {**label, "limit": _plain(high)})
    digits = to_count(c.spec.get("decimalDigits"))
    if digits is not None and value != round(value, digits):
        return FieldError(c.key, "decimal_digits", {**label, "limit": digits})
    step = to_positive(c.spec.get("increment"))
    if step is not None and value % step != 0:
        return FieldError(c.key, "increment", {**label, "step": _plain(step)})
    return None


def _plain(number: Decimal) -> str:
    """1.50 → "1.5", 1E+1 → "10": numbers in messages as people write them."""
    return format(number.normalize(), "f")


def stored(c: Component, value):
    """A field's value as the task data keeps it (JSON: numbers as int or float, or a string when asked)."""
    if c.type != "number" or value is None:
        return value
    if c.spec.get("serializeToString") is True:
        return _plain(value)
    digits = to_count(c.spec.get("decimalDigits"))
    step = to_positive(c.spec.get("increment"))
    fractional = (digits or 0) > 0 or (step is not None and step != step.to_integral_value())
    if not fractional and value == value.to_integral_value():
        return int(value)
    return float(value)
