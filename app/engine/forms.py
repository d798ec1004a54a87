"""Generated task forms (camunda:formData): the field list of a user task, and server-side validation.

Types string, long, boolean, date, enum; constraints required, minlength, maxlength, min, max, readonly (or
disabled), and `required_if` (a Python condition on the other fields, for rules such as "a reason is required to
reject"). Field properties: `ref` (values must exist in a named list, e.g. agency) and `multiple`.

A readonly or disabled field shows the process data and never changes it: what a browser sends for it is ignored,
and completing the form gives the variable the value it has (the model's default only where it has none).
A start event's formData (app/engine/starting.py) is read the same way as a user task's.
"""

from dataclasses import dataclass, field
from datetime import date

from app.errors import FieldError, FormInvalid

from .scripting import SandboxEnvironment

TRUE_WORDS = {"true", "on", "1", "yes", "có"}
FALSE_WORDS = {"false", "off", "0", "no", "không", ""}
LOCKED = ("readonly", "disabled")  # constraints of a field the user cannot change


@dataclass
class FormField:
    """One field of a generated form, as the model declares it."""

    id: str
    label: str
    type: str
    default: str | None = None
    options: list[tuple[str, str]] = field(default_factory=list)
    constraints: dict[str, str | None] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        return "required" in self.constraints

    @property
    def multiple(self) -> bool:
        return self.properties.get("multiple") == "true"

    @property
    def locked(self) -> bool:
        """readonly or disabled: shown, never taken from the user."""
        return any(name in self.constraints for name in LOCKED)


def form_fields(task_spec) -> list[FormField]:
    """Fields of a user task's or a start event's generated form (empty when it has none)."""
    form = getattr(task_spec, "form", None)
    if form is None:  # a start event: its formData as plain data in `extensions` (app/engine/starting.py)
        stored = (getattr(task_spec, "extensions", None) or {}).get("form_fields") or []
        return [FormField(**{**f, "options": [tuple(o) for o in f["options"]]}) for f in stored]
    fields = []
    for f in getattr(form, "fields", []):
        fields.append(
            FormField(
                id=f.id,
                label=f.label or f.id,
                type=f.type or "string",
                default=f.default_value,
                options=[(o.id, o.name) for o in getattr(f, "options", [])],
                constraints={v.name: v.config for v in f.validation},
                properties={p.id: p.value for p in f.properties},
            )
        )
    return fields


def validate_submission(fields: list[FormField], raw: dict, ref_exists=None, current: dict | None = None) -> dict:
    """Type and check `raw` against `fields`; return the values for the task data or raise FormInvalid.

    Only declared fields are returned (unknown keys never reach the task data); every declared field is
    present, None when left empty, so gateways and scripts can name it. `ref_exists(kind, value)` checks refs.
    A locked (readonly or disabled) field keeps its value in `current` (the task data), whatever `raw` says.
    """
    values, errors, current = {}, [], current or {}
    for f in fields:
        if f.locked:
            values[f.id] = current[f.id] if f.id in current else _default(f)
            continue
        try:
            values[f.id] = _convert(f, raw.get(f.id, f.default if f.id not in raw else None))
        except ValueError:
            errors.append(FieldError(f.id, f"type_{f.type}", {"label": f.label}))
            values[f.id] = None
    failed = {e.field for e in errors}
    for f in fields:
        if f.id in failed or f.locked:  # nobody can change a locked field: nothing to ask of the user
            continue
        error = _check(f, values[f.id], values, ref_exists)
        if error:
            errors.append(error)
    if errors:
        raise FormInvalid(errors)
    return values


def _default(f: FormField):
    return _convert(f, f.default) if f.default not in (None, "") else None


def _blank(value) -> bool:
    return value is None or value == "" or value == []


def _convert(f: FormField, value):
    if isinstance(value, str):
        value = value.strip()
    if f.multiple:
        items = value if isinstance(value, list) else (value or "").split(",")
        return [str(item).strip() for item in items if str(item).strip()]
    if _blank(value):
        return False if f.type == "boolean" else None
    if f.type == "long":
        try:
            return int(value)
        except (TypeError, ValueError):
            raise ValueError(value) from None
    if f.type == "boolean":
        if isinstance(value, bool):
            return value
        word = str(value).lower()
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        raise ValueError(value)
    if f.type == "date":
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError(value) from None
    return str(value)


def _check(f: FormField, value, values, ref_exists) -> FieldError | None:
    c, label = f.constraints, {"label": f.label}
    required = f.required or ("required_if" in c and _condition(c["required_if"], values))
    if _blank(value):
        return FieldError(f.id, "required", label) if required else None
    if f.type == "enum" and value not in {option for option, _ in f.options}:
        return FieldError(f.id, "enum", {**label, "allowed": ", ".join(o for o, _ in f.options)})
    if isinstance(value, str):
        if "minlength" in c and len(value) < int(c["minlength"]):
            return FieldError(f.id, "minlength", {**label, "limit": c["minlength"]})
        if "maxlength" in c and len(value) > int(c["maxlength"]):
            return FieldError(f.id, "maxlength", {**label, "limit": c["maxlength"]})
    if isinstance(value, int) and not isinstance(value, bool):
        if "min" in c and value < int(c["min"]):
            return FieldError(f.id, "min", {**label, "limit": c["min"]})
        if "max" in c and value > int(c["max"]):
            return FieldError(f.id, "max", {**label, "limit": c["max"]})
    if "ref" in f.properties and ref_exists is not None:
        for item in value if isinstance(value, list) else [value]:
            if not ref_exists(f.properties["ref"], item):
                return FieldError(f.id, "ref", {**label, "value": item})
    return None


def _condition(expression: str, values: dict) -> bool:
    """A model author's `required_if` rule: untrusted code, run in the same sandbox as the model's scripts."""
    return bool(SandboxEnvironment({}).evaluate(expression, dict(values)))
