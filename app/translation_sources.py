"""Babel extractors for the texts that data files carry into the pages: Camunda Forms (forms/*.form) and BPMN
models (processes/*.bpmn). Named in app/web/translations/babel.cfg, so that `pybabel extract` puts the
product's own form labels and task names in messages.pot beside the texts of the code and the templates."""

import json

from lxml import etree

FORM_TEXTS = ("label", "description", "text")  # what app/camunda_forms renders through the catalogue
ADORNERS = ("prefixAdorner", "suffixAdorner")
CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"
# BPMN elements the auditor's pages name besides those ending in Task, Event, Gateway or SubProcess
NAMED_ELEMENTS = {"task", "subProcess", "transaction", "callActivity", "participant", "BPMNDiagram"}


def extract_camunda_form(fileobj, keywords, comment_tags, options):
    """Labels, descriptions, markdown texts, option labels, adorners and pattern messages of a form."""
    spec = json.load(fileobj)
    stack = list(spec.get("components") or [])
    while stack:
        component = stack.pop(0)
        texts = [component.get(key) for key in FORM_TEXTS]
        texts += [value.get("label") for value in component.get("values") or [] if isinstance(value, dict)]
        appearance = component.get("appearance") if isinstance(component.get("appearance"), dict) else {}
        texts += [appearance.get(key) for key in ADORNERS]
        validate = component.get("validate") if isinstance(component.get("validate"), dict) else {}
        texts.append(validate.get("patternErrorMessage"))
        for text in texts:
            if isinstance(text, str) and text.strip():
                yield 0, "", text, [f"form {spec.get('id', '')}, {component.get('key') or component.get('type')}"]
        stack.extend(component.get("components") or [])


def extract_bpmn(fileobj, keywords, comment_tags, options):
    """Process names (the start page's list), user task names (the clerks' task titles), the labels and options
    of generated (formData) forms of user tasks and start events, and the names of every other flow element, pool
    and diagram that the auditor's pages show (history, current and waiting steps, the end, the diagrams' titles)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.parse(fileobj, parser).getroot()
    for process in root.iter("{*}process"):
        if process.get("name", "").strip():
            yield process.sourceline or 0, "", process.get("name"), [f"process {process.get('id')}"]
    for task in root.iter("{*}userTask", "{*}startEvent"):
        texts = [task.get("name")] if task.tag.endswith("userTask") else []
        for field in task.iter(f"{CAMUNDA}formField"):
            texts.append(field.get("label"))
            texts += [value.get("name") for value in field.iter(f"{CAMUNDA}value")]
        for text in texts:
            if text and text.strip():
                yield task.sourceline or 0, "", text, [f"{etree.QName(task).localname} {task.get('id')}"]
    for element in root.iter(etree.Element):
        kind = etree.QName(element).localname
        if _shown_by_name(kind) and (element.get("name") or "").strip():
            # as app/petitions/history_values.ProcessElements looks a name up: its white space collapsed
            text = " ".join(element.get("name").split())
            yield element.sourceline or 0, "", text, [f"{kind} {element.get('id')}"]


def _shown_by_name(kind: str) -> bool:
    """Flow nodes (tasks, sub-processes, call activities, events, gateways), pools and diagrams: not sequence
    flows, lanes or data, which only the drawing shows."""
    return kind.endswith(("Task", "Event", "Gateway", "SubProcess")) or kind in NAMED_ELEMENTS
