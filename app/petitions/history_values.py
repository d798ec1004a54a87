"""Readable values of history entries: a task form's values by their labels and option names, and the rest of an
entry's data (the engine's automatic steps, fired timers, a submission, a claim given back …) labelled."""

import json

from app.agencies.models import Commune, Province
from app.engine.deployment import specs_of
from app.engine.forms import TRUE_WORDS, FormField
from app.engine.runtime import EngineError, user_task_spec
from app.engine.starting import start_event
from app.tasks.task_forms import task_form
from app.translation import lazy_gettext, lazy_pgettext, translate

from .catalog import CHANNELS, KINDS
from .held_content import is_held, shown_content
from .models import Field
from .validation import LABELS as SUBMISSION_LABELS

YES, NO = lazy_gettext("Có"), lazy_gettext("Không")
UNCHANGED = lazy_gettext("Giữ nguyên như khi nhận công việc")
# Labels of the data keys operations write into audit entries (app/audit/log.py `record` callers).
NOTE_LABELS = {
    "steps": lazy_gettext("Bước tự động"),
    "timers": lazy_gettext("Thời hạn đã đến"),
    "tracking_code": lazy_gettext("Mã số PAKN"),
    "previous_assignee": lazy_gettext("Người nhận trước"),
    "reason": lazy_gettext("Lý do"),
    "from": lazy_gettext("Từ cơ quan"),
    "to": lazy_gettext("Sang cơ quan"),
    "stars": lazy_gettext("Số sao"),
    "comment": lazy_gettext("Nhận xét"),
    "before": lazy_gettext("Đánh giá trước"),
    "error": lazy_gettext("Lỗi"),
    "task": lazy_gettext("Công việc"),
    "process": lazy_pgettext("one process", "Quy trình"),
    "version": lazy_gettext("Phiên bản"),
}
NOTE_ORDER = {key: n for n, key in enumerate([*SUBMISSION_LABELS, *NOTE_LABELS])}  # a submission reads as a form
AGENCY_KEYS = {"from", "to", "lead_agency", "transfer_to"}


class FormFields:
    """A task's form fields by (definition, task), read once per history (a task done several times)."""

    def __init__(self, session):
        self.session, self._fields = session, {}

    def of(self, item) -> list[FormField]:
        key = (item.instance.definition_id, item.bpmn_id)
        if key not in self._fields:
            self._fields[key] = self._read(item)
        return self._fields[key]

    def of_start(self, definition) -> list[FormField]:
        """The start form's fields of a definition (a process staff start by hand); none when it has no start."""
        key = (definition.id, None)
        if key not in self._fields:
            start = start_event(specs_of(definition)[0])
            self._fields[key] = task_form(self.session, start.spec).describe() if start is not None else []
        return self._fields[key]

    def _read(self, item) -> list[FormField]:
        try:
            spec = user_task_spec(item.instance.definition, item.process_key, item.bpmn_id)
        except (EngineError, KeyError):  # the model no longer has the task: show the raw values
            return []
        return task_form(self.session, spec).describe()


class ProcessElements:
    """Names of a deployed model's elements, for the automatic steps and timers an entry lists by id."""

    def __init__(self, definition, lang: str):
        self.lang, self.names = lang, {}
        if definition is None:
            return
        spec, subprocess_specs = specs_of(definition)
        for process in (spec, *subprocess_specs.values()):
            for task_spec in process.task_specs.values():
                if task_spec.bpmn_id:
                    self.names[task_spec.bpmn_id] = (task_spec.bpmn_name, type(task_spec).__name__)

    def name(self, bpmn_id: str) -> str | None:
        """The element's name; None for an unnamed gateway (a join or fork says nothing to a reader)."""
        name, kind = self.names.get(bpmn_id, (None, ""))
        if name:
            return translate(" ".join(name.split()), self.lang)
        return None if "Gateway" in kind else bpmn_id

    def path(self, ids) -> str:
        names = [self.name(str(i)) for i in ids]
        return " → ".join(n for n in names if n)


def readable_values(fields: list[FormField], values: dict, agencies: dict[str, str], lang: str):
    """Entered values as (label, text): option names, agency names, yes/no; empty values left out."""
    by_id = {f.id: f for f in fields}
    shown = []
    for key, value in values.items():
        if value is None or value == "" or value == []:
            continue
        f = by_id.get(key)
        items = value if isinstance(value, list) else [value]
        items = [v.get("file_name", v) if isinstance(v, dict) else v for v in items]  # stored files by name
        if f is None:
            shown.append((key, ", ".join(map(str, items))))
            continue
        if f.type == "enum":
            names = dict(f.options)
            text = ", ".join(translate(names.get(v) or str(v), lang) for v in items)
        elif f.type == "boolean":
            text = str(YES) if str(value).lower() in TRUE_WORDS else str(NO)
        elif f.properties.get("ref") == "agency":
            text = ", ".join(agencies.get(str(v), str(v)) for v in items)
        else:
            text = ", ".join(str(v) for v in items)
        shown.append((translate(f.label, lang), text))
    return shown


def unchanged_values(fields: list[FormField], names: list, lang: str) -> list[tuple[str, str]]:
    """Long texts sent back as the task gave them (tasks/operations.audited_values), each under its label."""
    labels = {f.id: f.label for f in fields}
    return [(translate(labels[n], lang) if n in labels else str(n), translate(UNCHANGED, lang)) for n in names]


def entry_notes(reading, entry, shown: set[str]) -> list[tuple[str, str]]:
    """The entry's data not shown as details, each under its label (raw JSON only for keys without one)."""
    notes = []
    for key, value in sorted(entry.data.items(), key=lambda pair: NOTE_ORDER.get(pair[0], len(NOTE_ORDER))):
        if key in shown or value in (None, "", [], {}):
            continue
        text = _note_text(reading, entry, key, value)
        if not text:
            continue
        label = NOTE_LABELS.get(key) or SUBMISSION_LABELS.get(key)
        notes.append((translate(label, reading.lang) if label else key, text))
    return notes


def _note_text(reading, entry, key: str, value) -> str:
    if key == "steps":
        return reading.elements.path(value)
    if key == "timers":
        return ", ".join(n for n in (reading.elements.name(str(v)) for v in value) if n)
    if key == "task":
        return reading.elements.name(str(value)) or str(value)
    if key == "previous_assignee":
        return reading.person(value)
    if key in AGENCY_KEYS:
        return reading.agencies.get(str(value), str(value))
    if is_held(value):
        return shown_content(value, reading.content(entry.petition_id))
    if key in SUBMISSION_LABELS:
        return _submitted(reading, key, value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _submitted(reading, key: str, value) -> str:
    """A submitted petition field, codes as names (kind, channel, field, province, commune)."""
    session, lang = reading.session, reading.lang
    if key == "kind" and value in KINDS:
        return KINDS[value].translate(lang)
    if key == "channel" and value in CHANNELS:
        return CHANNELS[value].translate(lang)
    row = None
    if key == "field_code":
        row = session.get(Field, value)
    elif key == "province_code":
        row = session.get(Province, value)
    elif key == "commune_code" and str(value).isdigit():
        row = session.get(Commune, int(value))
    if row is None:
        return str(value)
    return translate(row.name, lang) if key == "field_code" else row.name  # fields are catalogue names
