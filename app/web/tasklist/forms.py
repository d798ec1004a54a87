"""A user task's generated form (camunda:formData) as HTML widgets, and the submitted values read back.

string → text input, or a textarea for long text; long → number; boolean → checkbox; date → date input;
enum → select, or radios for a few values; `ref=agency` → a select of agencies (multiple when declared).
Constraints become HTML attributes (the server checks them again in `validate_submission`).
"""

import ast
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.agencies.models import Agency, Province
from app.engine.forms import TRUE_WORDS, FormField

LONG_TEXT = 500  # characters: above this maxlength a string gets a textarea
LONG_TEXT_HINTS = ("answer", "content", "note", "reason")
RADIO_LIMIT = 4  # an enum of at most this many values is shown as radios


@dataclass
class Widget:
    """One field ready to render: which control, its attributes, options, current value and error."""

    field: FormField
    control: str  # text, textarea, number, date, checkbox, select, radios
    label: str
    attrs: dict = field(default_factory=dict)
    options: list[tuple[str, str]] = field(default_factory=list)
    groups: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # agency optgroups
    value: object = ""
    error: str | None = None
    condition: str | None = None  # when a `required_if` field is required, in words

    @property
    def id(self) -> str:
        return self.field.id

    @property
    def required(self) -> bool:
        return self.field.required

    @property
    def readonly(self) -> bool:
        return "readonly" in self.field.constraints

    @property
    def multiple(self) -> bool:
        return self.field.multiple

    def selected(self, option: str) -> bool:
        if isinstance(self.value, list):
            return option in self.value
        return option == (self.value or "")

    @property
    def checked(self) -> bool:
        return str(self.value).strip().lower() in TRUE_WORDS


def control_of(f: FormField) -> str:
    if f.properties.get("ref") == "agency":
        return "select"
    if f.type == "enum":
        return "radios" if len(f.options) <= RADIO_LIMIT and not f.multiple else "select"
    if f.type == "long":
        return "number"
    if f.type == "boolean":
        return "checkbox"
    if f.type == "date":
        return "date"
    maxlength = f.constraints.get("maxlength")
    if maxlength is not None:
        return "textarea" if _int(maxlength, 0) > LONG_TEXT else "text"
    return "textarea" if any(hint in f.id.lower() for hint in LONG_TEXT_HINTS) else "text"


def html_attrs(f: FormField, control: str) -> dict:
    """HTML attributes from the constraints (None values are left out by `xmlattr`)."""
    c, attrs = f.constraints, {}
    if f.required and control != "checkbox":
        attrs["required"] = "required"
    if control in ("text", "textarea"):
        for name in ("minlength", "maxlength"):
            if c.get(name) is not None:
                attrs[name] = c[name]
    if control == "number":
        attrs["step"] = "1"
        for name in ("min", "max"):
            if c.get(name) is not None:
                attrs[name] = c[name]
    if "readonly" in c:
        # Selects, radios and checkboxes ignore `readonly`: they are disabled (the server uses the default anyway).
        attrs["readonly" if control in ("text", "textarea", "number", "date") else "disabled"] = "readonly"
    return attrs


def initial_values(fields: list[FormField]) -> dict:
    """The values a fresh form shows: the model's defaults."""
    values = {}
    for f in fields:
        if f.multiple:
            values[f.id] = [v.strip() for v in (f.default or "").split(",") if v.strip()]
        else:
            values[f.id] = f.default or ""
    return values


def submitted_values(fields: list[FormField], form) -> dict:
    """What the user sent, for `complete_task` and to show again: every editable field present (no silent default).

    An unticked checkbox is "false"; a multiple select is a list.
    """
    values = {}
    for f in fields:
        if "readonly" in f.constraints:
            continue
        if control_of(f) == "checkbox":
            values[f.id] = "true" if form.get(f.id) else "false"
        elif f.multiple:
            values[f.id] = form.getlist(f.id)
        else:
            values[f.id] = form.get(f.id, "")
    return values


def agency_groups(session, first_province: str | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Agencies by province (the case's province first), for `ref=agency` fields."""
    rows = session.execute(
        select(Agency.code, Agency.name, Province.code, Province.name)
        .outerjoin(Province, Province.code == Agency.province_code)
        .order_by(Province.name, Agency.is_intake_office.desc(), Agency.name)
    ).all()
    groups: dict[str, tuple[str, list]] = {}
    for code, name, province_code, province_name in rows:
        key = province_code or ""
        groups.setdefault(key, (province_name or _("Trung ương"), []))[1].append((code, name))
    ordered = sorted(groups.items(), key=lambda entry: (entry[0] != first_province, entry[1][0]))
    return [group for _key, group in ordered]


def build_widgets(session, fields: list[FormField], values: dict, errors: dict, province: str | None) -> list[Widget]:
    by_id = {f.id: f for f in fields}
    agencies = None
    widgets = []
    for f in fields:
        control = control_of(f)
        widget = Widget(
            field=f,
            control=control,
            label=_(f.label),
            attrs=html_attrs(f, control),
            value=values.get(f.id, [] if f.multiple else ""),
            error=errors.get(f.id),
        )
        if f.properties.get("ref") == "agency":
            agencies = agencies if agencies is not None else agency_groups(session, province)
            widget.groups = agencies
        elif f.type == "enum":
            widget.options = [(option, _(name or option)) for option, name in f.options]
        if "required_if" in f.constraints and not f.required:
            widget.condition = condition_text(f.constraints["required_if"], by_id)
        widgets.append(widget)
    return widgets


def condition_text(expression: str | None, fields: dict[str, FormField]) -> str:
    """`required_if` in words, e.g. «decision == 'forward'» → Bắt buộc khi «Kết quả phân loại» là «Chuyển …»."""
    chosen = _chosen_values(expression or "")
    if chosen is None or chosen[0] not in fields:
        return _("Bắt buộc trong một số trường hợp.")
    other = fields[chosen[0]]
    names = dict(other.options)
    shown = " / ".join(f"«{_(names.get(value) or str(value))}»" for value in chosen[1])
    return _("Bắt buộc khi «%(label)s» là %(values)s.", label=_(other.label), values=shown)


def _chosen_values(expression: str) -> tuple[str, list] | None:
    """name == 'x' or name in ('x', 'y') → (name, [values]); anything else → None."""
    try:
        node = ast.parse(expression, mode="eval").body
    except SyntaxError:
        return None
    if not (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.left, ast.Name)):
        return None
    op, right = node.ops[0], node.comparators[0]
    if isinstance(op, ast.Eq) and isinstance(right, ast.Constant):
        return node.left.id, [right.value]
    if isinstance(op, ast.In) and isinstance(right, ast.Tuple | ast.List | ast.Set):
        if all(isinstance(element, ast.Constant) for element in right.elts):
            return node.left.id, [element.value for element in right.elts]
    return None


def _int(text, fallback: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return fallback
