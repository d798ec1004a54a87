"""What this renderer supports of form-js: component types, keys, and values it can honour on the server.

Anything else is named at deploy time rather than silently ignored on a task page.
"""

import re

from . import feel
from .model import SUPPORTED_TYPES, Component, Form
from .numbers import to_count, to_decimal, to_positive
from .problems import FormProblem

# Form-level keys Camunda Modeler writes; harmless metadata.
FORM_KEYS = {
    "type",
    "id",
    "components",
    "$schema",
    "exporter",
    "executionPlatform",
    "executionPlatformVersion",
    "schemaVersion",
    "versionTag",
}
BASE_KEYS = {"type", "id", "layout", "conditional", "properties"}
INPUT_KEYS = BASE_KEYS | {"key", "label", "description", "defaultValue", "readonly", "disabled", "validate"}
KEYS = {
    "textfield": INPUT_KEYS | {"appearance"},
    "textarea": INPUT_KEYS,
    "number": INPUT_KEYS | {"appearance", "decimalDigits", "increment", "serializeToString"},
    "datetime": INPUT_KEYS
    | {"subtype", "dateLabel", "timeLabel", "use24h", "timeSerializingFormat", "timeInterval", "disallowPassedDates"},
    "checkbox": INPUT_KEYS,
    "checklist": INPUT_KEYS | {"values", "valuesKey"},
    "radio": INPUT_KEYS | {"values", "valuesKey"},
    "select": INPUT_KEYS | {"values", "valuesKey", "searchable"},
    "taglist": INPUT_KEYS | {"values", "valuesKey"},
    "filepicker": INPUT_KEYS - {"defaultValue"} | {"accept", "multiple"},
    "group": BASE_KEYS | {"label", "components", "showOutline", "verticalAlignment"},
    "text": BASE_KEYS | {"text"},
    "separator": BASE_KEYS,
    "spacer": BASE_KEYS | {"height"},
}
NESTED_KEYS = {
    "validate": {
        "required",
        "minLength",
        "maxLength",
        "pattern",
        "patternErrorMessage",
        "min",
        "max",
        "validationType",
    },
    "layout": {"row", "columns"},
    "conditional": {"hide"},
    "appearance": {"prefixAdorner", "suffixAdorner"},
}
TEXT_KEYS = ("label", "description", "text", "dateLabel", "timeLabel", "patternErrorMessage")
TEMPLATE = re.compile(r"\{\{.*?\}\}", re.S)


def support_problems(form: Form) -> list[FormProblem]:
    """Unsupported types, keys and values, FEEL syntax errors, bad patterns, keys used twice."""
    problems = [
        FormProblem(form.file_name, getattr(form.spec, "line", None), None, f"key {key!r} is not supported")
        for key in form.spec
        if key not in FORM_KEYS
    ]
    seen: dict[str, Component] = {}
    for component in form.walk():
        for message in _component_messages(component):
            problems.append(FormProblem(form.file_name, component.line, component.ref, message))
        if component.is_input:
            if component.key in seen:
                problems.append(
                    FormProblem(form.file_name, component.line, component.ref, "key already used by another field")
                )
            seen.setdefault(component.key, component)
    return problems


def _component_messages(c: Component):
    if c.type not in SUPPORTED_TYPES:
        yield f"component type {c.type!r} is not supported"
        return
    for key in c.spec:
        if key not in KEYS[c.type]:
            yield f"key {key!r} is not supported on a {c.type}"
    for key, allowed in NESTED_KEYS.items():
        nested = c.spec.get(key)
        if isinstance(nested, dict):
            for inner in nested:
                if inner not in allowed:
                    yield f"key '{key}.{inner}' is not supported"
    for key in TEXT_KEYS:
        text = c.spec.get(key, c.validate.get(key) if key == "patternErrorMessage" else None)
        if isinstance(text, str) and text.lstrip().startswith("="):
            yield f"{key}: expressions are not supported, only static text"
        elif isinstance(text, str) and TEMPLATE.search(text):
            yield f"{key}: templates ({{{{ … }}}}) are not supported, only static text"
    for key in ("readonly", "disabled", "multiple"):
        if isinstance(c.spec.get(key), str):
            yield f"{key}: expressions are not supported, only true or false"
    yield from _hide_messages(c)
    yield from _validate_messages(c)
    if c.type == "number" and c.spec.get("increment") not in (None, "") and to_positive(c.spec["increment"]) is None:
        yield "increment: must be a positive number"
    if c.type in ("checklist", "radio", "select", "taglist") and not c.options and c.values_key is None:
        yield "no options: give static values or a valuesKey (valuesExpression is not supported)"


def _hide_messages(c: Component):
    conditional = c.spec.get("conditional")
    hide = conditional.get("hide") if isinstance(conditional, dict) else None
    if hide in (None, "", False, True):
        return
    if not isinstance(hide, str) or not hide.lstrip().startswith("="):
        yield "conditional.hide: must be a FEEL expression starting with '='"
        return
    try:
        feel.check(hide)
    except feel.FeelSyntaxError as err:
        yield f"conditional.hide: FEEL syntax error: {err}"


def _validate_messages(c: Component):
    validate = c.validate
    for key in ("minLength", "maxLength"):
        if validate.get(key) not in ("", None) and to_count(validate[key]) is None:
            yield f"validate.{key}: must be a whole number (expressions are not supported)"
    for key in ("min", "max"):
        if validate.get(key) not in ("", None) and to_decimal(validate[key]) is None:
            yield f"validate.{key}: must be a number (expressions are not supported)"
    pattern = validate.get("pattern")
    if isinstance(pattern, str) and pattern:
        try:
            re.compile(pattern)
        except re.error as err:
            yield f"validate.pattern: not a regular expression this server can use: {err}"
    if validate.get("validationType") not in (None, "", "custom", "email", "phone"):
        yield f"validate.validationType: {validate['validationType']!r} is not supported"
