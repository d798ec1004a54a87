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
# and those only its diagrams name: connections, lanes, data (annotations and groups carry their text elsewhere)
DRAWN_ELEMENTS = {
    "sequenceFlow",
    "messageFlow",
    "lane",
    "dataObject",
    "dataObjectReference",
    "dataStoreReference",
    "dataInput",
    "dataOutput",
}


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
    and diagram that the auditor's pages show (history, current and waiting steps, the end, the diagrams' titles),
    and of what only the diagrams show: flows, lanes, data, the texts of annotations and the values of groups."""
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
    values = {value.get("id"): value for value in root.iter("{*}categoryValue") if value.get("id")}
    for element in root.iter(etree.Element):
        kind = etree.QName(element).localname
        for line, text in _drawn_texts(element, kind, values):
            # as app/petitions/history_values.ProcessElements and app/diagrams look a name up: white space collapsed
            yield line or 0, "", text, [f"{kind} {element.get('id')}"]


def _drawn_texts(element, kind: str, values: dict):
    """(line, text) of what the pages and diagrams show of `element`, its white space collapsed."""
    if _shown_by_name(kind):
        found = [(element.sourceline, element.get("name"))]
    elif kind == "textAnnotation":
        found = [(text.sourceline, text.text) for text in element.findall("{*}text")]
    elif kind == "group":
        # a group shows the value of its category (a QName reference keeps the id after the colon)
        ref = (element.get("categoryValueRef") or "").strip()
        value = values.get(ref) if ref in values else values.get(ref.rsplit(":", 1)[-1])
        found = [(value.sourceline, value.get("value"))] if value is not None else []
    else:
        found = []
    for line, text in found:
        if text and text.strip():
            yield line, " ".join(text.split())


def _shown_by_name(kind: str) -> bool:
    """Flow nodes (tasks, sub-processes, call activities, events, gateways), pools, diagrams, and the connections,
    lanes and data that only the drawing names."""
    return kind.endswith(("Task", "Event", "Gateway", "SubProcess")) or kind in NAMED_ELEMENTS | DRAWN_ELEMENTS
