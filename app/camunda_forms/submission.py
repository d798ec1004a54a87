"""A submitted Camunda Form: typed values for the task data, or FormInvalid naming every failing field."""

from app.attachments.files import Upload, check_uploads
from app.errors import FieldError, FormInvalid

from .model import FILE_TYPES, Component, Form
from .paths import get_path, merged, set_path
from .reading import Unreadable, read, sent
from .rules import check, label_of, stored
from .visibility import hidden_components


def submit(form: Form, raw, context: dict | None = None, *, files=None, store_files=None) -> dict:
    """Check what the browser sent (`raw`: request.form or a dict) and return the values for the task data.

    `context` is the task data: readonly and disabled fields keep its value (never the request's), and
    conditions see the submitted values laid over it. Hidden fields are neither checked nor returned.
    Every other field is returned, None when left empty; dotted keys come back as nested objects.
    File pickers read `files` (request.files); their checked uploads go to `store_files(key, uploads)`,
    whose result becomes the value, once everything else passed (without it: the Upload list).
    Raises FormInvalid with one FieldError per failing field, in the form's order.
    """
    context = context or {}
    typed, errors = {}, {}
    for c in form.inputs():
        if _keeps_value(c) or c.type in FILE_TYPES:
            continue
        try:
            typed[c.key] = read(c, raw)
        except Unreadable as err:
            typed[c.key] = None
            errors[c.key] = FieldError(c.key, err.rule, {"label": label_of(c)})
    data = merged(context, {})
    for key, value in typed.items():
        set_path(data, key, value)
    hidden = hidden_components(form, data)
    values, uploads = {}, {}
    for c in form.inputs():
        if id(c) in hidden:
            continue
        if _keeps_value(c):
            set_path(values, c.key, get_path(context, c.key, c.spec.get("defaultValue")), base=context)
            continue
        if c.type in FILE_TYPES:
            uploads[c.key], error = _uploads(c, files)
        else:
            error = errors.get(c.key) or check(c, typed[c.key])
            set_path(values, c.key, stored(c, typed[c.key]), base=context)
        if error:
            errors[c.key] = error
    failing = [errors[c.key] for c in form.inputs() if c.key in errors and id(c) not in hidden]
    if failing:
        raise FormInvalid(failing)
    for key, files_of_key in uploads.items():
        set_path(values, key, store_files(key, files_of_key) if store_files else files_of_key, base=context)
    return values


def _keeps_value(c: Component) -> bool:
    return c.readonly or c.disabled


def _uploads(c: Component, files) -> tuple[list[Upload], FieldError | None]:
    """The files sent for a file picker, and the first rule they break (required, count, type, size, accept)."""
    label = {"label": label_of(c)}
    chosen = []
    for item in sent(files, c.key):
        if isinstance(item, Upload):
            chosen.append(item)
        elif getattr(item, "filename", None):
            chosen.append(Upload(item.filename, item.stream))
    if not chosen:
        return [], FieldError(c.key, "required", label) if c.required else None
    if not c.multiple_files and len(chosen) > 1:
        return chosen, FieldError(c.key, "max_files", {**label, "limit": 1})
    for error in check_uploads(chosen):
        return chosen, FieldError(c.key, error.rule, {**error.params, **label})
    accept = c.spec.get("accept")
    for upload in chosen:
        if isinstance(accept, str) and accept.strip() and not _accepted(upload, accept):
            return chosen, FieldError(c.key, "file_accept", {**label, "name": upload.file_name, "accept": accept})
    return chosen, None


def _accepted(upload: Upload, accept: str) -> bool:
    """The HTML `accept` rule: ".pdf", "image/*" or "application/pdf", against the name and the sniffed type."""
    name, kind = upload.file_name.lower(), upload.content_type.lower()
    for token in (t.strip().lower() for t in accept.split(",") if t.strip()):
        if token.startswith(".") and name.endswith(token):
            return True
        if token.endswith("/*") and kind.startswith(token[:-1]):
            return True
        if token == kind:
            return True
    return False
