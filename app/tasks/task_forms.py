"""One interface to a user task's form, whatever the model gives it: a Camunda Form (camunda:formRef / formKey,
files in forms/; the product's own stack) or a generated camunda:formData form (designers' models and Camunda's
own examples). Pages, operations and histories call `task_form` and never ask which kind they hold.

    form = task_form(session, task_spec)
    html = form.render(context, lang=lang)                          # first display
    values = form.submit(context, request.form, files, store)       # typed values, or FormInvalid
    html = form.render(context, request.form, invalid, lang)        # refused: errors and input kept
    fields = form.describe()                                        # labels and option names for histories
"""

import json
import os
import re
from collections.abc import Callable, Sequence
from uuid import UUID

from markupsafe import Markup
from sqlalchemy import select

from app.agencies.models import Agency, Province
from app.agencies.names import with_province
from app.calendars.store import current_book
from app.camunda_forms import Form, FormRegistry, render, submit, with_data
from app.camunda_forms.reading import read_leniently
from app.camunda_forms.rules import blank
from app.engine.forms import FormField, form_fields
from app.engine.instances import read_instance
from app.engine.runtime import user_task_spec
from app.petitions.duplicates import Candidate, likely_duplicates
from app.petitions.redaction import CASE_FILES, publication_proposal
from app.services import services_of
from app.translation import translate

from .form_interface import AGENCY_OPTIONS, DUPLICATE_OPTIONS, MAY_ASK_SENDER, StoreFiles, TaskForm
from .generated_form import GeneratedTaskForm


def task_form(session, task_spec) -> TaskForm:
    """The form of a user task: its Camunda Form when it names one that exists, else its generated form (a task
    without formData has a generated form without fields)."""
    designed = registry(session).for_task(task_spec)
    if designed is not None:
        return CamundaTaskForm(designed)
    return GeneratedTaskForm(form_fields(task_spec))


class CamundaTaskForm(TaskForm):
    """A Camunda Form (forms/*.form) behind the interface: app/camunda_forms renders and checks it."""

    def __init__(self, form: Form):
        self.form = form

    def reads(self, name: str) -> bool:
        return name in self.form.names

    @property
    def inputs(self) -> list[tuple[str, str]]:
        return [(c.key, c.label or c.key) for c in self.form.inputs()]

    @property
    def has_files(self) -> bool:
        return self.form.has_files

    def render(self, context: dict, values=None, errors=None, lang: str = "vi") -> Markup:
        context = {key: list(v) if isinstance(v, WhenRead) else v for key, v in context.items()}
        bound = with_data(self.form, context)

        def speak(text):
            return translate(text, lang)

        if values is None:
            return render(bound, context, None, lang, translate=speak)
        return render(bound, values, errors, lang, context=context, translate=speak)

    def submit(self, context: dict, raw, files=None, store_files: StoreFiles | None = None) -> dict:
        """Typed values (hidden fields left out); the product's lists stay out of the task data."""
        if not hasattr(raw, "getlist"):  # a dict from code (not a browser): a field it leaves out keeps its value
            inputs = self.form.inputs()
            raw = {**{c.key: context[c.key] for c in inputs if c.key in context and c.key not in raw}, **raw}
        context = {key: self._when_read(key, v, raw) for key, v in context.items()}
        store = None
        if store_files is not None:

            def store(key, uploads):
                return store_files(key, uploads, self._publishes(key))

        values = submit(with_data(self.form, context), raw, context, files=files, store_files=store)
        values.pop(AGENCY_OPTIONS, None)
        values.pop(DUPLICATE_OPTIONS, None)
        values.pop(CASE_FILES, None)
        return values

    def describe(self) -> list[FormField]:
        fields = []
        for c in self.form.inputs():
            ref = {"ref": "agency"} if c.values_key == AGENCY_OPTIONS else {}
            kind = "boolean" if c.type == "checkbox" else "enum" if c.options else "string"
            fields.append(FormField(id=c.key, label=c.label or c.key, type=kind, options=c.options, properties=ref))
        return fields

    def _when_read(self, key: str, value, raw):
        """A list computed on first read (WhenRead): computed only when a field holding a value is checked against
        it, or when the form reads it otherwise (a condition): a choice left empty is checked against nothing."""
        if not isinstance(value, WhenRead):
            return value
        fields = [c for c in self.form.inputs() if c.values_key == key]
        if self._mentions(key) > len(fields):
            return list(value)
        chosen = any(not blank(c, read_leniently(c, raw)) for c in fields if not (c.readonly or c.disabled))
        return list(value) if chosen else []

    def _mentions(self, key: str) -> int:
        """How often the form's JSON names `key` as a whole word (its fields' valuesKey, conditions, texts)."""
        if re.fullmatch(r"\w+", key):
            return self.form.word_counts[key]
        return len(re.findall(rf"\b{re.escape(key)}\b", json.dumps(self.form.spec)))

    def _publishes(self, key: str) -> bool:
        """Files of this picker are the answer's documents, published with it (component property publish=answer)."""
        for c in self.form.inputs():
            if c.key == key:
                return (c.spec.get("properties") or {}).get("publish") == "answer"
        return False


def registry(session) -> FormRegistry:
    """The forms folder of the session's Services, read again only when a file in it changed (designers edit
    forms at run time)."""
    services = services_of(session)
    folder = services.forms_dir
    stamp = _stamp(folder)
    cached = services.forms_registry
    if cached is None or cached[0] != stamp:
        cached = services.forms_registry = (stamp, FormRegistry.from_directory(folder))
    return cached[1]


def _stamp(folder) -> tuple:
    """Each form file's name and modification time (os.scandir: a pathlib glob costs twice as much per task)."""
    try:
        with os.scandir(folder) as entries:
            return tuple(sorted((e.name, e.stat().st_mtime_ns) for e in entries if e.name.endswith(".form")))
    except (FileNotFoundError, NotADirectoryError):
        return ()


def agency_options(session, province_code: str | None) -> list[dict]:
    """Agencies as form-js options: the case's province first (its intake office first), then the others.

    `name` and `group` (the province's name, None for central agencies) let generated forms group them.
    """
    rows = session.execute(
        select(Agency.code, Agency.name, Agency.province_code, Agency.is_intake_office, Province.name).outerjoin(
            Province, Province.code == Agency.province_code
        )
    ).all()
    rows.sort(key=lambda r: (r.province_code != province_code, r.name_1 or "", not r.is_intake_office, r.name))
    return [
        {
            "value": r.code,
            "label": r.name if r.province_code == province_code else with_province(r.name, r.name_1 or "—"),
            "name": r.name,
            "group": r.name_1,
        }
        for r in rows
    ]


def form_context(
    session, petition, task_data: dict, form: TaskForm | None = None, duplicates: list[Candidate] | None = None
) -> dict:
    """What a form's conditions, defaults and data-driven options read: the task data plus the product's lists
    (`petition` None: an instance staff started, agencies of no province first). With `form`, a list is computed
    only when the form reads it (each costs a query: agencies, the case's files, likely duplicates).
    `duplicates`: the likely duplicates the caller has already looked up (None: looked up here)."""

    def wanted(*names) -> bool:
        return form is None or any(form.reads(name) for name in names)

    province = petition.province_code if petition is not None else None
    flag = {}
    if wanted(MAY_ASK_SENDER):  # the handler's form alone asks: the others read no calendar revision for it
        asked = current_book(session).policy(province).agency_info_request if province else None
        flag[MAY_ASK_SENDER] = bool(asked and asked[0])
    proposal = {}
    if petition is not None and wanted(CASE_FILES, "public_title", "public_files"):
        proposal = publication_proposal(session, petition)
    context = {**proposal, **task_data, **flag}
    if wanted(AGENCY_OPTIONS):  # a Camunda Form being sent looks them up only to check a choice (handle: rarely)
        agencies = WhenRead(lambda: agency_options(session, province))
        context[AGENCY_OPTIONS] = agencies if isinstance(form, CamundaTaskForm) else list(agencies)
    # only the classification offers them; a Camunda Form being sent looks them up only to check a choice
    if petition is not None and petition.status == "classifying" and wanted(DUPLICATE_OPTIONS):
        if duplicates is None and isinstance(form, CamundaTaskForm):
            context[DUPLICATE_OPTIONS] = WhenRead(lambda: duplicate_options(session, petition))
        else:
            context[DUPLICATE_OPTIONS] = duplicate_options(session, petition, duplicates)
    return context


class WhenRead(Sequence):
    """A list of the form context computed when first read (CamundaTaskForm reads it only when it needs it)."""

    def __init__(self, compute: Callable[[], list]):
        self._compute, self._items = compute, None

    def _read(self) -> list:
        if self._items is None:
            self._items = self._compute()
        return self._items

    def __getitem__(self, index):
        return self._read()[index]

    def __len__(self) -> int:
        return len(self._read())


def duplicate_options(session, petition, candidates: list[Candidate] | None = None) -> list[dict]:
    """The earlier cases that may be the same matter, best first, as form-js options (the linked one first)."""
    candidates = list(likely_duplicates(session, petition) if candidates is None else candidates)
    if petition.original is not None and all(c.petition.id != petition.original_id for c in candidates):
        candidates.insert(0, Candidate(petition.original, 0.0, True, 0.0))
    return [
        {"value": c.petition.tracking_code, "label": f"{c.petition.tracking_code} – {c.petition.title}"}
        for c in candidates
    ]


def task_context(
    session, item, petition, duplicates: list[Candidate] | None = None, form: TaskForm | None = None
) -> dict:
    """form_context of a work item, read from a snapshot of its instance (no lock, the live workflow left alone)."""
    data = read_instance(session, item.instance_id).task_data(item.task_id)
    return form_context(session, petition, data, form, duplicates)


def task_data(running, item) -> dict:
    """The data of the work item's task in its loaded workflow."""
    task = running.workflow.get_task_from_id(UUID(item.task_id))
    return dict(task.data) if task is not None else {}


def work_item_form(session, item) -> TaskForm:
    """The form of a work item's user task, in the model version its instance runs."""
    return task_form(session, user_task_spec(item.instance.definition, item.process_key, item.bpmn_id))
