"""The HTML of one input component: label, control, description, error; values shown as the user left them.

Controls inside hidden components carry their constraints as `data-cf-required` etc. (camunda-forms.js
moves them back when the component shows), so that the browser never blocks a submission on a field
nobody can see.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from app.translation import N_

from .datetimes import input_value, today
from .model import FILE_TYPES, LIST_TYPES, Component
from .numbers import to_count, to_decimal, to_positive
from .paths import MISSING, get_path
from .reading import TRUE_WORDS, read_leniently, sent

TEXT_LIKE = ("textfield", "textarea", "number", "datetime")
WORDS = {  # this module's own words: msgids of the one catalogue (app/translation.py)
    "required": N_("bắt buộc"),
    "choose": N_("— Chọn —"),
    "many": N_("Có thể chọn nhiều (giữ phím Ctrl khi bấm chuột)."),
    "files": N_("Nếu trang báo lỗi, hãy chọn lại tệp."),
}


@dataclass
class Page:
    """What every control of one rendering needs to know."""

    values: Mapping
    raw: bool  # values are what the browser sent (a re-display after refused input)
    data: dict  # task data with the values laid over it
    context: dict
    errors: dict
    hidden: set
    words: dict
    translate: Callable[[str], str]


class FieldHtml:
    """One input component: its control, label, description and error."""

    def __init__(self, c: Component, page: Page, error: str | None):
        self.c, self.page, self.error = c, page, error
        self.dom_id = "cf-" + re.sub(r"[^A-Za-z0-9_-]", "-", c.key)
        self.active = id(c) not in page.hidden
        self.editable = not (c.readonly or c.disabled)
        self.label = page.translate(c.label) if c.label else c.key
        self.value = self._shown()

    # what the control shows

    def _shown(self):
        c, page = self.c, self.page
        if page.raw and self.editable and c.type not in FILE_TYPES:
            given = sent(page.values, c.key)
            if c.type in LIST_TYPES:
                return [str(v) for v in given]
            if c.type == "checkbox":
                return read_leniently(c, page.values) is True
            return str(given[0]) if given else ""
        source = page.context if page.raw else page.data
        value = get_path(source, c.key, MISSING)
        if value is MISSING or (value is None and not page.raw and "defaultValue" in c.spec):
            value = c.spec.get("defaultValue")
        return _display(c, value)

    # pieces

    def html(self) -> Markup:
        c = self.c
        if c.type == "checkbox":
            control = Markup('<label class="check" for="{}"><input{}> {}{}</label>').format(
                self.dom_id, attrs_html(self._checkbox_attrs()), self.label, self._mark()
            )
        elif c.type in ("radio", "checklist"):
            control = self._choices()
        else:
            control = Markup('<label for="{}">{}{}</label>{}').format(
                self.dom_id, self.label, self._mark(), self._control()
            )
        return control + self._hints()

    def _mark(self) -> Markup:
        if not (self.c.required and self.editable):
            return Markup("")
        return Markup(
            ' <span class="required-mark" aria-hidden="true">*</span><span class="visually-hidden">({})</span>'
        ).format(self.page.words["required"])

    def _hints(self) -> Markup:
        out = Markup("")
        if self.c.type == "taglist" and self.editable:
            out += Markup('<p class="hint">{}</p>').format(self.page.words["many"])
        if self.c.type in FILE_TYPES and self.editable:
            out += Markup('<p class="hint">{}</p>').format(self.page.words["files"])
        if self.c.description:
            out += Markup('<p class="hint" id="{}-desc">{}</p>').format(
                self.dom_id, self.page.translate(self.c.description)
            )
        if self.error:
            out += Markup('<p class="field-error" id="{}-error">{}</p>').format(self.dom_id, self.error)
        return out

    def _described(self) -> dict:
        ids = [f"{self.dom_id}-desc"] if self.c.description else []
        if self.error:
            ids.append(f"{self.dom_id}-error")
        return {"aria-describedby": " ".join(ids) or None, "aria-invalid": "true" if self.error else None}

    def _state(self) -> dict:
        """readonly / disabled: choices cannot be read-only in HTML, so they are disabled (the server
        keeps the stored value of both anyway)."""
        c = self.c
        if c.disabled or (c.readonly and c.type not in TEXT_LIKE):
            return {"disabled": True}
        return {"readonly": True} if c.readonly else {}

    def _constraints(self, **extra) -> dict:
        """HTML constraints; inside a hidden component parked as data-cf-* (see camunda-forms.js)."""
        found = {"required": self.c.required and self.editable, **extra}
        found = {k: v for k, v in found.items() if v not in (None, False, "")}
        if self.active:
            return found
        return {f"data-cf-{k}": ("" if v is True else v) for k, v in found.items()}

    def _base(self) -> dict:
        return {"id": self.dom_id, "name": self.c.key, **self._state(), **self._described()}

    # controls

    def _control(self) -> Markup:
        c = self.c
        if c.type == "textarea":
            text = self.value
            # A leading newline would be swallowed by the HTML parser.
            text = "\n" + text if text.startswith("\n") else text
            return Markup("<textarea{}>{}</textarea>").format(
                attrs_html({**self._base(), "rows": 4, **self._lengths()}), text
            )
        if c.type == "select":
            options = Markup('<option value="">{}</option>').format(self.page.words["choose"])
            options += self._options(lambda v: v == self.value)
            return Markup("<select{}>{}</select>").format(attrs_html({**self._base(), **self._constraints()}), options)
        if c.type == "taglist":
            size = min(max(len(c.options), 2), 8)
            attrs = {**self._base(), "multiple": True, "size": size, **self._constraints()}
            return Markup("<select{}>{}</select>").format(attrs_html(attrs), self._options(lambda v: v in self.value))
        if c.type in FILE_TYPES:
            attrs = {**self._base(), "type": "file", "accept": c.spec.get("accept") or None}
            attrs.update({"multiple": c.multiple_files, **self._constraints()})
            return Markup("<input{}>").format(attrs_html(attrs))
        attrs = {**self._base(), **self._typed_attrs(), "value": self.value}
        return _adorned(c, Markup("<input{}>").format(attrs_html(attrs)), self.page.translate)

    def _typed_attrs(self) -> dict:
        c = self.c
        if c.type == "number":
            return {"type": "number", "inputmode": "decimal", **self._number_limits()}
        if c.type == "datetime":
            kind = {"date": "date", "time": "time"}.get(c.subtype, "datetime-local")
            low = None
            if c.spec.get("disallowPassedDates") is True and c.subtype != "time":
                low = today().isoformat() + ("" if c.subtype == "date" else "T00:00")
            interval = to_count(c.spec.get("timeInterval"))
            step = interval * 60 if interval and c.subtype != "date" else None
            return {"type": kind, **self._constraints(min=low, step=step)}
        kind = c.validate.get("validationType")
        if kind == "email":
            return {"type": "text", "inputmode": "email", "autocomplete": "email", **self._lengths()}
        if kind == "phone":
            return {"type": "tel", "autocomplete": "tel", **self._lengths()}
        return {"type": "text", **self._lengths()}

    def _lengths(self) -> dict:
        v = self.c.validate
        return self._constraints(minlength=to_count(v.get("minLength")), maxlength=to_count(v.get("maxLength")))

    def _number_limits(self) -> dict:
        c = self.c
        step = to_positive(c.spec.get("increment"))
        digits = to_count(c.spec.get("decimalDigits"))
        if step is None:
            step = "any" if digits is None else ("1" if digits == 0 else f"0.{'0' * (digits - 1)}1")
        low, high = to_decimal(c.validate.get("min")), to_decimal(c.validate.get("max"))
        return self._constraints(min=_plain(low), max=_plain(high), step=_plain(step))

    def _options(self, selected) -> Markup:
        return Markup("").join(
            Markup("<option{}>{}</option>").format(
                attrs_html({"value": value, "selected": selected(value)}), self.page.translate(label)
            )
            for value, label in self.c.options
        )

    def _checkbox_attrs(self) -> dict:
        return {
            **self._base(),
            "type": "checkbox",
            "value": "true",
            "checked": self.value is True,
            **self._constraints(),
        }

    def _choices(self) -> Markup:
        c = self.c
        kind = "radio" if c.type == "radio" else "checkbox"
        items = Markup("")
        for n, (value, label) in enumerate(c.options):
            chosen = value == self.value if kind == "radio" else value in self.value
            attrs = {"type": kind, "id": f"{self.dom_id}-{n}", "name": c.key, "value": value, "checked": chosen}
            attrs.update(self._state())
            if kind == "radio":
                attrs.update(self._constraints())
            items += Markup('<label class="check"><input{}> {}</label>').format(
                attrs_html(attrs), self.page.translate(label)
            )
        return Markup('<fieldset class="choices" id="{}"{}><legend>{}{}</legend>{}</fieldset>').format(
            self.dom_id, attrs_html(self._described()), self.label, self._mark(), items
        )


def _display(c: Component, value):
    """A stored value as the control shows it: strings for inputs, a list for multi-choices, a bool for checkboxes."""
    if c.type in LIST_TYPES:
        return [str(v) for v in value] if isinstance(value, list | tuple) else []
    if c.type == "checkbox":
        return value is True or (isinstance(value, str) and value.strip().lower() in TRUE_WORDS)
    if value is None or value == "":
        return ""
    if c.type == "number":
        number = to_decimal(value)
        return _plain(number) if number is not None else str(value)
    if c.type == "datetime":
        return input_value(c.subtype, value)
    return str(value)


def _plain(number) -> str | None:
    if number is None or isinstance(number, str):
        return number
    return format(number.normalize(), "f")


def _adorned(c: Component, control: Markup, translate) -> Markup:
    appearance = c.spec.get("appearance") if isinstance(c.spec.get("appearance"), dict) else {}
    prefix, suffix = appearance.get("prefixAdorner"), appearance.get("suffixAdorner")
    if not (prefix or suffix):
        return control
    before = Markup('<span class="cf-adorner">{}</span>').format(translate(prefix)) if prefix else ""
    after = Markup('<span class="cf-adorner">{}</span>').format(translate(suffix)) if suffix else ""
    return Markup('<div class="cf-adorned">{}{}{}</div>').format(before, control, after)


def attrs_html(attrs: dict) -> Markup:
    """HTML attributes, escaped; None and False left out, True written bare."""
    out = Markup("")
    for name, value in attrs.items():
        if value is None or value is False:
            continue
        out += Markup(" {}").format(name) if value is True else Markup(' {}="{}"').format(name, value)
    return out
