"""What every administrator's change shares: how form text is read and measured (who may make it:
app/accounts/policy.py)."""

from app.errors import FieldError
from app.text_rules import has_control, visible_length

TRUE_WORDS = {"1", "true", "on", "yes", "co", "có"}


def text(values: dict, key: str) -> str:
    return str(values.get(key) or "").strip()


def truthy(value) -> bool:
    return value is True or str(value or "").strip().lower() in TRUE_WORDS


def check_text(errors: list, field: str, value: str, label: str, high: int, low: int = 1, required: bool = True):
    """Required, then control characters and length limits; one error per field."""
    if has_control(value):
        errors.append(FieldError(field, "control_chars", {"label": label}))
    elif not value:
        if required:
            errors.append(FieldError(field, "required", {"label": label}))
    elif not visible_length(value):  # only zero-width or format characters: a blank line in every list it is in
        errors.append(FieldError(field, "visible_min", {"label": label, "limit": 1}))
    elif len(value) < low:
        errors.append(FieldError(field, "minlength", {"label": label, "limit": low}))
    elif len(value) > high:
        errors.append(FieldError(field, "maxlength", {"label": label, "limit": high}))


def has_error(errors: list, field: str) -> bool:
    return any(e.field == field for e in errors)
