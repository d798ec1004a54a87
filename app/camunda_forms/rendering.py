"""A Camunda Form as server-side HTML: labels, descriptions, required marks, each field's error under it,
the input kept, rows and columns from `layout`, and conditionally hidden components the browser can show.

Works without JavaScript: the server decides what is hidden from the current values. With
`static/camunda-forms.js`, the browser re-evaluates `data-cf-hide` as the user types, without clearing input.
"""

import json
from collections.abc import Callable

from markupsafe import Markup

from app.errors import FormInvalid
from app.translation import translate as translate_to

from . import feel
from .controls import WORDS, FieldHtml, Page, attrs_html
from .datetimes import offset_text
from .model import FILE_TYPES, Component, Form
from .numbers import to_count
from .paths import merged, set_path
from .reading import read_leniently
from .text import markdown_html
from .visibility import hidden_components

GRID = 16  # form-js lays rows out on 16 columns


def render(
    form: Form,
    values=None,
    errors=None,
    lang: str = "vi",
    context: dict | None = None,
    translate: Callable[[str], str] | None = None,
) -> Markup:
    """The form's fields as HTML, to put inside the page's own <form> (which holds CSRF and the buttons).

    First display: `values` = the task data. After FormInvalid: `values` = request.form, `errors` = the
    FormInvalid (or {key: message}), `context` = the task data. `translate` turns designer texts into the
    page's language (e.g. flask_babel.gettext); `lang` picks this module's own words.
    """
    context = context or {}
    raw = hasattr(values, "getlist")
    if raw:
        data = merged(context, {})
        for c in form.inputs():
            if not (c.readonly or c.disabled or c.type in FILE_TYPES):
                set_path(data, c.key, read_leniently(c, values))
    else:
        data = merged(context, values or {})
    if isinstance(errors, FormInvalid):
        errors = errors.by_field(lang)
    page = Page(
        values=values or {},
        raw=raw,
        data=data,
        context=context,
        errors=dict(errors or {}),
        hidden=hidden_components(form, data),
        words={key: translate_to(text, lang) for key, text in WORDS.items()},
        translate=translate or (lambda text: text),
    )
    attrs = {
        "class": "camunda-form",
        "data-cf-form": form.id,
        "data-cf-context": json.dumps(_browser_context(form, data), ensure_ascii=False, default=str),
        "data-cf-offset": offset_text(),
    }
    return Markup("<div{}>{}</div>").format(attrs_html(attrs), _rows(form.components, page))


def _browser_context(form: Form, data: dict) -> dict:
    """Task data the conditions read that the page's fields do not hold (only that: nothing else leaks)."""
    names = set()
    for c in form.walk():
        if isinstance(c.hide, str):
            try:
                names |= feel.names(c.hide)
            except feel.FeelSyntaxError:
                continue
    own = {c.key.split(".")[0] for c in form.inputs()}
    return {name: data[name] for name in sorted(names - own) if name in data}


# ---------------------------------------------------------------------------------------------------- layout


def _rows(components: list[Component], page: Page) -> Markup:
    rows: list[list[Component]] = []
    for c in components:
        if c.row and rows and rows[-1][0].row == c.row:
            rows[-1].append(c)
        else:
            rows.append([c])
    out = Markup("")
    for row in rows:
        cells = Markup("").join(_component(c, page, span) for c, span in zip(row, _spans(row), strict=True))
        out += Markup('<div class="cf-row">{}</div>').format(cells)
    return out


def _spans(row: list[Component]) -> list[int]:
    """Columns of each component in its row: as declared, the rest shared by those that declare none."""
    declared = [min(max(c.columns, 1), GRID) if c.columns else None for c in row]
    left = GRID - sum(d for d in declared if d)
    autos = declared.count(None)
    share = left // autos if autos and left >= autos else GRID
    return [d or share for d in declared]


# ---------------------------------------------------------------------------------------------------- components


def _component(c: Component, page: Page, span: int) -> Markup:
    error = page.errors.get(c.key) if c.key else None
    classes = ["cf-component", f"cf-{c.type}", f"cf-span-{span}"]
    if c.is_input:
        classes.append("field")
    if error:
        classes.append("invalid")
    attrs = {
        "class": " ".join(classes),
        "data-cf-type": c.type,
        "data-cf-key": c.key if c.is_input else None,
        "data-cf-hide": "=true" if c.hide is True else c.hide,
        "hidden": id(c) in page.hidden,
    }
    if c.type == "datetime":
        attrs["data-cf-subtype"] = c.subtype
        attrs["data-cf-format"] = c.spec.get("timeSerializingFormat") or "utc_offset"
    return Markup("<div{}>{}</div>").format(attrs_html(attrs), _inner(c, page, error))


def _inner(c: Component, page: Page, error: str | None) -> Markup:
    if c.type == "group":
        outline = " cf-outline" if c.spec.get("showOutline") is not False else ""
        legend = Markup("<legend>{}</legend>").format(page.translate(c.label)) if c.label else ""
        return Markup('<fieldset class="cf-group{}">{}{}</fieldset>').format(outline, legend, _rows(c.components, page))
    if c.type == "text":
        text = c.spec.get("text") or ""
        return Markup('<div class="cf-text">{}</div>').format(markdown_html(page.translate(text) if text else ""))
    if c.type == "separator":
        return Markup('<hr class="cf-separator">')
    if c.type == "spacer":
        height = to_count(c.spec.get("height"))
        height = min(height if height is not None else 60, 2000)
        return Markup('<div class="cf-spacer" style="height: {}px" aria-hidden="true"></div>').format(height)
    if not c.is_input:
        return Markup("")
    return FieldHtml(c, page, error).html()
