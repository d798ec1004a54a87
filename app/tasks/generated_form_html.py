"""A generated form's fields (camunda:formData) as HTML widgets, server-side like app/camunda_forms/rendering.py.

string → text input, or a textarea for long text; long → number; boolean → checkbox; date → date input;
enum → select, or radios for a few values; `ref=agency` → a select of agencies grouped by province (multiple
when declared). Constraints become HTML attributes (the server checks them again in `validate_submission`).
"""

import ast

from markupsafe import Markup

from app.camunda_forms.controls import attrs_html
from app.engine.forms import TRUE_WORDS, FormField
from app.translation import N_, translate

LONG_TEXT = 500  # characters: above this maxlength a string gets a textarea
LONG_TEXT_HINTS = ("answer", "content", "note", "reason")
RADIO_LIMIT = 4  # an enum of at most this many values is shown as radios
WORDS = {  # msgids of the one catalogue (app/translation.py)
    "required": N_("bắt buộc"),
    "choose": N_("— Chọn —"),
    "many": N_("Có thể chọn nhiều (giữ phím Ctrl khi bấm chuột)."),
    "none": N_("Công việc này không cần nhập thông tin."),
    "central": N_("Trung ương"),
    "when": N_("Bắt buộc khi «%(label)s» là %(values)s."),
    "sometimes": N_("Bắt buộc trong một số trường hợp."),
}


def control_of(f: FormField) -> str:
    """text, textarea, number, date, checkbox, select or radios."""
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
    """HTML attributes from the constraints (None values are left out)."""
    c, attrs = f.constraints, {}
    if f.required and control != "checkbox":
        attrs["required"] = "required"
    if control in ("text", "textarea"):
        for name in ("minlength", "maxlength"):
            attrs[name] = c.get(name)
    if control == "number":
        attrs["step"] = "1"
        for name in ("min", "max"):
            attrs[name] = c.get(name)
    if f.locked:
        # Selects, radios and checkboxes ignore `readonly`: they are disabled (the server keeps the data anyway).
        editable_text = control in ("text", "textarea", "number", "date") and "disabled" not in c
        attrs["readonly" if editable_text else "disabled"] = "readonly" if editable_text else "disabled"
    return attrs


def fields_html(fields: list[FormField], values: dict, errors: dict, agencies: list[dict], lang: str) -> Markup:
    """Every field with its value and error; `agencies` are the form context's agency options."""
    if not fields:
        return Markup('<p class="muted">{}</p>').format(translate(WORDS["none"], lang))
    page = _Page({f.id: f for f in fields}, agencies, lang)
    out = Markup("").join(page.field(f, values.get(f.id, [] if f.multiple else ""), errors.get(f.id)) for f in fields)
    if any(f.required for f in fields):
        out += Markup('<p class="hint"><span class="required-mark">*</span> {}</p>').format(page.word("required"))
    return out


class _Page:
    """What the fields of one rendering share: the other fields (for conditions), the agencies, the language."""

    def __init__(self, by_id: dict[str, FormField], agencies: list[dict], lang: str):
        self.by_id, self.agencies, self.lang = by_id, agencies, lang

    def word(self, key: str) -> str:
        return translate(WORDS[key], self.lang)

    def field(self, f: FormField, value, error: str | None) -> Markup:
        control = control_of(f)
        classes = "field invalid" if error else "field"
        inner = self._control(f, control, value, error)
        if "required_if" in f.constraints and not f.required:
            inner += Markup('<p class="hint">{}</p>').format(self.condition_text(f.constraints["required_if"]))
        if error:
            inner += Markup('<p class="field-error" id="err-{}">{}</p>').format(f.id, error)
        return Markup('<div class="{}" id="field-{}" data-type="{}">{}</div>').format(classes, f.id, f.type, inner)

    def _control(self, f: FormField, control: str, value, error: str | None) -> Markup:
        label, attrs = translate(f.label, self.lang), html_attrs(f, control)
        described = {"aria-invalid": "true", "aria-describedby": f"err-{f.id}"} if error else {}
        own = {"id": f"f-{f.id}", "name": f.id}
        if control == "checkbox":
            checked = str(value).strip().lower() in TRUE_WORDS
            box = attrs_html({**own, "type": "checkbox", "value": "true", "checked": checked, **attrs, **described})
            return Markup('<label class="check"><input{}> {}</label>').format(box, label)
        mark = self._mark(f.required)
        if control == "radios":
            items = Markup("")
            for option, name in self._options(f):
                radio = {"type": "radio", "name": f.id, "value": option, "checked": _selected(value, option), **attrs}
                items += Markup('<label class="check"><input{}> {}</label>').format(attrs_html(radio), name)
            return Markup('<fieldset class="choices"{}><legend>{}{}</legend>{}</fieldset>').format(
                attrs_html(described), label, mark, items
            )
        head = Markup('<label for="f-{}">{}{}</label>').format(f.id, label, mark)
        if control == "textarea":
            text = ", ".join(map(str, value)) if isinstance(value, list) else str(value or "")
            text = "\n" + text if text.startswith("\n") else text  # a leading newline would be swallowed
            return head + Markup("<textarea{}>{}</textarea>").format(attrs_html({**own, **attrs, **described}), text)
        if control == "select":
            return head + self._select(f, value, {**own, **attrs, **described})
        shown = ", ".join(map(str, value)) if isinstance(value, list) else value
        field = {**own, "type": control, "value": shown, **attrs, **described}
        return head + Markup("<input{}>").format(attrs_html(field))

    def _select(self, f: FormField, value, attrs: dict) -> Markup:
        size = {"multiple": True, "size": "8"} if f.multiple else {}
        options = Markup("") if f.multiple else Markup('<option value="">{}</option>').format(self.word("choose"))
        if f.properties.get("ref") == "agency":
            for group, items in self._agency_groups():
                options += Markup('<optgroup label="{}">{}</optgroup>').format(group, _option_list(items, value))
        else:
            options += _option_list(self._options(f), value)
        out = Markup("<select{}>{}</select>").format(attrs_html({**attrs, **size}), options)
        if f.multiple:
            out += Markup('<p class="hint">{}</p>').format(self.word("many"))
        return out

    def _mark(self, required: bool) -> Markup:
        if not required:
            return Markup("")
        return Markup(
            ' <span class="required-mark" aria-hidden="true">*</span><span class="visually-hidden">({})</span>'
        ).format(self.word("required"))

    def _options(self, f: FormField) -> list[tuple[str, str]]:
        return [(option, translate(name or option, self.lang)) for option, name in f.options]

    def _agency_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The context's agencies by province, in its order (the case's province first)."""
        groups: dict[str, list[tuple[str, str]]] = {}
        for option in self.agencies:
            group = option.get("group") or self.word("central")
            groups.setdefault(group, []).append((str(option["value"]), option.get("name") or option.get("label")))
        return list(groups.items())

    def condition_text(self, expression: str | None) -> str:
        """`required_if` in words, e.g. «decision == 'forward'» → Bắt buộc khi «Kết quả phân loại» là «Chuyển …»."""
        chosen = _chosen_values(expression or "")
        if chosen is None or chosen[0] not in self.by_id:
            return self.word("sometimes")
        other = self.by_id[chosen[0]]
        names = dict(other.options)
        shown = " / ".join(f"«{translate(names.get(value) or str(value), self.lang)}»" for value in chosen[1])
        return self.word("when") % {"label": translate(other.label, self.lang), "values": shown}


def _option_list(options: list[tuple[str, str]], value) -> Markup:
    return Markup("").join(
        Markup("<option{}>{}</option>").format(attrs_html({"value": o, "selected": _selected(value, o)}), name)
        for o, name in options
    )


def _selected(value, option: str) -> bool:
    return option in value if isinstance(value, list) else option == (value or "")


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
