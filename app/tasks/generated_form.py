"""A generated task form (camunda:formData) behind the task-form interface: the model's fields, read and checked by
app/engine/forms.py, shown as HTML widgets (generated_form_html.py). No files; the lists its `ref` fields name
come from the form context, as a Camunda Form's data-driven options do."""

from markupsafe import Markup

from app.engine.forms import FormField, validate_submission
from app.errors import FormInvalid

from .form_interface import AGENCY_OPTIONS, StoreFiles, TaskForm
from .generated_form_html import control_of, fields_html


class GeneratedTaskForm(TaskForm):
    """The camunda:formData fields of a user task (none when it declares none)."""

    def __init__(self, fields: list[FormField]):
        self.fields = fields

    @property
    def inputs(self) -> list[tuple[str, str]]:
        return [(f.id, f.label) for f in self.fields]

    def render(self, context: dict, values=None, errors=None, lang: str = "vi") -> Markup:
        """The task data (the model's defaults where it has none) at first; after a refusal what the user sent
        (locked fields keep the task data's)."""
        shown = initial_values(self.fields, context)
        if values is not None:
            shown.update(submitted_values(self.fields, values) if hasattr(values, "getlist") else values)
        if isinstance(errors, FormInvalid):
            errors = errors.by_field(lang)
        return fields_html(self.fields, shown, errors or {}, context.get(AGENCY_OPTIONS) or [], lang)

    def submit(self, context: dict, raw, files=None, store_files: StoreFiles | None = None) -> dict:
        """Every declared field typed and checked; `ref=agency` values must be agencies of the context's list;
        readonly and disabled fields keep the task data's value."""
        submitted = submitted_values(self.fields, raw) if hasattr(raw, "getlist") else raw
        agencies = {str(option["value"]) for option in context.get(AGENCY_OPTIONS) or []}
        return validate_submission(
            self.fields, submitted, lambda kind, v: kind == "agency" and str(v) in agencies, current=context
        )

    def describe(self) -> list[FormField]:
        return self.fields


def initial_values(fields: list[FormField], data: dict | None = None) -> dict:
    """The values a fresh form shows: the task data's, the model's defaults where it has none."""
    values, data = {}, data or {}
    for f in fields:
        if data.get(f.id) is not None:
            values[f.id] = data[f.id]
        elif f.multiple:
            values[f.id] = [v.strip() for v in (f.default or "").split(",") if v.strip()]
        else:
            values[f.id] = f.default or ""
    return values


def submitted_values(fields: list[FormField], form) -> dict:
    """What a browser sent: every editable field present (no silent default); an unticked checkbox is "false",
    a multiple select a list."""
    values = {}
    for f in fields:
        if f.locked:
            continue
        if control_of(f) == "checkbox":
            values[f.id] = "true" if form.get(f.id) else "false"
        elif f.multiple:
            values[f.id] = form.getlist(f.id)
        else:
            values[f.id] = form.get(f.id, "")
    return values
