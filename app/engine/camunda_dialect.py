"""What Camunda Modeler lets a designer write that this engine cannot run, refused by name before deployment.

The engine runs Camunda 7 models through SpiffWorkflow with Python scripts and expressions: Java delegates,
external tasks, connectors, listeners, input/output mappings, other script languages, JUEL, DMN, repeating
timers and Camunda 8 (Zeebe) extensions have no effect here, so a model using them would silently misbehave.
Extension attributes and elements of any other namespace (modeler:, bioc:, color:, …) are left to the BPMN
schema, which allows them, and are kept untouched in the stored XML.
"""

import ast
import re

from lxml import etree

from .juel import is_juel, juel_message

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
MODELER_NS = "http://camunda.org/schema/modeler/1.0"
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"
NS = {"bpmn": BPMN, "camunda": CAMUNDA_NS}
CAMUNDA = f"{{{CAMUNDA_NS}}}"
PYTHON = {"python", "python3"}
C7 = "this engine runs Camunda 7 models"
NO_JAVA = "this engine runs no Java: use a script task (Python) or a user task"
# Where Camunda 7 calls Java: these elements, and message events' definitions.
DELEGATE_HOLDERS = (
    "serviceTask",
    "sendTask",
    "businessRuleTask",
    "endEvent/bpmn:messageEventDefinition",
    "intermediateThrowEvent/bpmn:messageEventDefinition",
)
# Elements whose own ids Camunda Modeler does not show: problems name the element they belong to.
HIDDEN_IN_MODELER = {"conditionExpression", "timeDate", "timeDuration", "timeCycle", "condition", "loopCardinality",
                     "completionCondition", "formalExpression"}  # fmt: skip
# Attributes whose text the engine reads as names, not as expressions.
NAME_ATTRIBUTES = ("assignee", "candidateGroups", "candidateUsers", "candidateStarterGroups", "candidateStarterUsers")
_ISO_LITERAL = re.compile(r"^(R\d*/)?(P[0-9YMWDTHS.,]+|\d{4}-\d{2}-\d{2}([T ][0-9:.+\-Z]*)?)$", re.IGNORECASE)


def owner_id(el):
    """The id of the element, or of its nearest ancestor, that Camunda Modeler shows (not an event definition's
    or an expression's own id)."""
    while el is not None and (el.get("id") is None or _hidden_in_modeler(el)):
        el = el.getparent()
    return el.get("id") if el is not None else None


def _hidden_in_modeler(el) -> bool:
    name = etree.QName(el).localname
    return name.endswith("EventDefinition") or name in HIDDEN_IN_MODELER


def _name(el) -> str:
    """BPMN elements by their local name (bpmn: or bpmn2: alike), extensions with their prefix."""
    qname = etree.QName(el)
    if qname.namespace == BPMN or not el.prefix:
        return qname.localname
    return f"{el.prefix}:{qname.localname}"


def unsupported(root, known_processes: set[str]):
    """(element, element id, message) for every construct of the document the engine cannot run."""
    yield from _camunda_8(root)
    yield from _java_delegates(root)
    yield from _unsupported_extensions(root)
    yield from _script_languages(root)
    yield from _names_with_expressions(root)
    yield from _timers(root)
    yield from _called_processes(root, known_processes)


def _camunda_8(root):
    platform = root.get(f"{{{MODELER_NS}}}executionPlatform")
    if platform and platform != "Camunda Platform":
        yield (
            root,
            root.get("id"),
            (
                f"made for {platform} (modeler:executionPlatform): this engine runs Camunda Platform 7 models; "
                "choose Camunda 7 when creating the diagram in Camunda Modeler"
            ),
        )
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        if etree.QName(el).namespace == ZEEBE_NS:
            yield el, owner_id(el), f"{_name(el)} is a Camunda 8 (Zeebe) extension: {C7}"
        for attr in el.attrib:
            if etree.QName(attr).namespace == ZEEBE_NS:
                yield el, owner_id(el), f"zeebe:{etree.QName(attr).localname} is a Camunda 8 (Zeebe) attribute: {C7}"


def _java_delegates(root):
    for path in DELEGATE_HOLDERS:
        for el in root.iterfind(f".//bpmn:{path}", NS):
            yield from _delegate(el, message_event=path.endswith("messageEventDefinition"))
    for el in root.iterfind(".//bpmn:serviceTask", NS):
        if not _has_delegate(el):
            yield el, el.get("id"), f"service task without an implementation the engine runs: {NO_JAVA}"
    for el in root.iterfind(".//bpmn:businessRuleTask", NS):
        if not _has_delegate(el):
            ref = el.get(CAMUNDA + "decisionRef")
            what = f"camunda:decisionRef {ref!r}" if ref else "a business rule task without camunda:decisionRef"
            yield el, el.get("id"), f"{what}: DMN decisions are not deployed by this engine; use a script task"


def _has_delegate(el) -> bool:
    connector = el.find("bpmn:extensionElements/camunda:connector", NS) is not None
    return connector or any(el.get(CAMUNDA + a) for a in ("class", "delegateExpression", "expression", "type"))


def _delegate(el, message_event=False):
    where = owner_id(el)
    if el.get(CAMUNDA + "class"):
        yield el, where, f"camunda:class {el.get(CAMUNDA + 'class')!r} is a Java delegate: {NO_JAVA}"
    if el.get(CAMUNDA + "delegateExpression"):
        text = el.get(CAMUNDA + "delegateExpression")
        yield el, where, f"camunda:delegateExpression {text!r} names a Java bean: {NO_JAVA}"
    expression = el.get(CAMUNDA + "expression")
    # On a message event a Python camunda:expression is SpiffWorkflow's message payload; JUEL there calls Java.
    if expression and (not message_event or is_juel(expression)):
        yield el, where, f"camunda:expression {expression!r} calls Java: {NO_JAVA}"
    if el.get(CAMUNDA + "type") == "external":
        topic = el.get(CAMUNDA + "topic")
        yield el, where, f"camunda:type 'external' (topic {topic!r}): external task workers are not supported here"
    elif el.get(CAMUNDA + "type"):
        yield el, where, f"camunda:type {el.get(CAMUNDA + 'type')!r} is not supported by this engine"
    for connector in el.iterfind("bpmn:extensionElements/camunda:connector", NS):
        name = connector.findtext("camunda:connectorId", default="", namespaces=NS).strip()
        yield connector, where, f"camunda:connector {name!r}: connectors are not supported by this engine"


def _unsupported_extensions(root):
    for tag in ("executionListener", "taskListener"):
        for el in root.iterfind(f".//camunda:{tag}", NS):
            how = next((f"{a} {el.get(a)!r}" for a in ("class", "delegateExpression", "expression") if el.get(a)), "")
            if el.find("camunda:script", NS) is not None:
                how = f"script in {el.find('camunda:script', NS).get('scriptFormat')!r}"
            detail = ", ".join(x for x in (f"event {el.get('event')!r}" if el.get("event") else "", how) if x)
            yield (
                el,
                owner_id(el),
                (f"camunda:{tag} ({detail}): listeners are not run by this engine; use a script task (Python)"),
            )
    for el in root.iterfind(".//camunda:inputOutput/*", NS):
        name = el.get("name")
        script = el.find("camunda:script", NS)
        if script is not None and (script.get("scriptFormat") or "").lower() not in PYTHON:
            message = f"script in {script.get('scriptFormat')!r}: only Python scripts run here"
        else:
            message = "input/output mappings are not applied by this engine: assign the variable in a script task"
        yield el, owner_id(el), f"{_name(el)} {name!r}: {message}"


def _script_languages(root):
    for el in root.iterfind(".//bpmn:scriptTask", NS):
        fmt = el.get("scriptFormat")
        if fmt and fmt.lower() not in PYTHON:
            yield el, el.get("id"), f'script format {fmt!r}: only Python scripts run here (scriptFormat="python")'
        if el.get(CAMUNDA + "resource"):
            text = el.get(CAMUNDA + "resource")
            yield el, el.get("id"), f"camunda:resource {text!r}: scripts from files are not supported; write it inline"
        if el.get(CAMUNDA + "resultVariable"):
            text = el.get(CAMUNDA + "resultVariable")
            yield el, el.get("id"), f"camunda:resultVariable {text!r} is not applied: assign the variable in the script"
    for el in root.iterfind(".//bpmn:conditionExpression", NS):
        language = el.get("language")
        if language and language.lower() not in PYTHON:
            yield el, owner_id(el), f"condition language {language!r}: only Python expressions are evaluated here"
        if el.get(CAMUNDA + "resource"):
            yield el, owner_id(el), "camunda:resource: conditions from files are not supported; write it inline"


def is_foreign_code(el) -> bool:
    """A script or condition in another language: refused as such, not checked as Python."""
    language = el.get("language") or el.get("scriptFormat")
    if el.tag == f"{{{BPMN}}}script":
        language = el.getparent().get("scriptFormat")
    return bool(language) and language.lower() not in PYTHON


def _names_with_expressions(root):
    for attr in NAME_ATTRIBUTES:
        for el in root.xpath(f"//*[@camunda:{attr}]", namespaces=NS):
            text = el.get(CAMUNDA + attr)
            if is_juel(text):
                yield (
                    el,
                    el.get("id"),
                    (
                        f"camunda:{attr} {text!r}: this engine reads it as names, not as an expression; "
                        "write the user or group names"
                    ),
                )
    for attr in ("collection", "elementVariable", "calledElementVersion"):
        for el in root.xpath(f"//*[@camunda:{attr}]", namespaces=NS):
            if is_juel(el.get(CAMUNDA + attr)):
                yield el, owner_id(el), juel_message(f"camunda:{attr}", el.get(CAMUNDA + attr))
    for el in root.xpath("//*[@camunda:calledElementTenantId]", namespaces=NS):
        text = el.get(CAMUNDA + "calledElementTenantId")
        yield el, el.get("id"), f"camunda:calledElementTenantId {text!r}: tenants are not supported by this engine"
    for el in root.iterfind(".//bpmn:callActivity[@calledElement]", NS):
        if is_juel(el.get("calledElement")):
            yield el, el.get("id"), juel_message("calledElement", el.get("calledElement"))


def expression_problem(el, code: str | None) -> str | None:
    """Why an expression the engine evaluates cannot be Python at all (JUEL, an unquoted ISO date), or None."""
    what = _name(el)
    if is_juel(code):
        return juel_message(what, code)
    text = (code or "").strip()
    if etree.QName(el).localname in ("timeDate", "timeDuration", "timeCycle") and _ISO_LITERAL.match(text):
        return f"{what} {text} is evaluated as Python: write it as a string, '{text}'"
    return None


def _timers(root):
    for el in root.iterfind(".//bpmn:timeCycle", NS):
        yield (
            el,
            owner_id(el),
            (
                f"timeCycle {(el.text or '').strip()!r}: repeating timers are not run by the scheduler; "
                "use timeDuration or timeDate (and a flow back to the timer to repeat)"
            ),
        )
    for tag, check in (("timeDuration", _duration_problem), ("timeDate", _date_problem)):
        for el in root.iterfind(f".//bpmn:{tag}", NS):
            value = _string_literal(el.text)
            problem = check(value) if value is not None else None
            if problem:
                yield el, owner_id(el), f"{tag} {value!r}: {problem}"


def _string_literal(code):
    try:
        node = ast.parse((code or "").strip(), mode="eval").body
    except SyntaxError:
        return None
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _duration_problem(value):
    from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition  # noqa: PLC0415

    try:
        TimerEventDefinition.parse_iso_duration(value)
    except Exception:  # SpiffWorkflow raises a bare Exception on a bad duration
        return "not an ISO 8601 duration such as 'PT4H' or 'P3D'"
    return None


def _date_problem(value):
    from datetime import datetime  # noqa: PLC0415

    try:
        datetime.fromisoformat(value)
    except ValueError:
        return "not an ISO 8601 date and time such as '2026-01-31T17:00:00+07:00' (the scheduler reads no other)"
    return None


def _called_processes(root, known_processes):
    for el in root.iterfind(".//bpmn:callActivity", NS):
        called = el.get("calledElement")
        if not called:
            yield el, el.get("id"), "call activity without calledElement: name the process it calls"
        elif not is_juel(called) and called not in known_processes:
            yield el, el.get("id"), f"called process {called!r} is neither in the files given nor deployed"
