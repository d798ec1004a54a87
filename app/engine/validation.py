"""Check BPMN files before deployment; every problem names file, line and element id.

Checks: safe XML (no DOCTYPE/entities), the BPMN 2.0 schema (which places extension attributes and elements
of other namespaces, e.g. Camunda Modeler's modeler:, bioc:, color:), what the engine cannot run (Java delegates,
JUEL, other script languages, listeners, repeating timers, unknown called processes: camunda_dialect.py),
SpiffWorkflow's parse and the storing of the parsed process, Camunda Modeler's needs (a shape for every flow node
and an edge for every flow), every expression and script compiled by the script sandbox (Python syntax, no
forbidden name or attribute), who does each user task, `status` properties from the caller's list, the Camunda
Forms in forms/ (form-js schema, what the renderer supports, FEEL syntax) and that every form a model names
exists. `deploy` applies this same function: what it accepts can be deployed.
"""

from dataclasses import dataclass

from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from app.camunda_forms import FormRegistry, form_file_of_key

from .camunda_dialect import expression_problem, is_foreign_code, owner_id, unsupported
from .parser import entry_processes, parse_documents
from .sandbox import problems_of
from .scripting import strip_expression
from .serialization import storage_problem
from .xml_safety import XmlProblem, parse_xml

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "camunda": "http://camunda.org/schema/1.0/bpmn",
}
FLOW_NODES = (
    "startEvent",
    "endEvent",
    "userTask",
    "scriptTask",
    "serviceTask",
    "task",
    "manualTask",
    "sendTask",
    "receiveTask",
    "businessRuleTask",
    "callActivity",
    "subProcess",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
    "boundaryEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
)
NOT_DRAWN = "Camunda Modeler cannot draw it"
# Elements whose text SpiffWorkflow evaluates as a Python expression (conditions, timers, loops, correlation).
EXPRESSION_TAGS = (
    "conditionExpression",
    "timeDate",
    "timeDuration",
    "timeCycle",
    "loopCardinality",
    "completionCondition",
    "loopCondition",
    "conditionalEventDefinition/bpmn:condition",
    "correlationPropertyRetrievalExpression/bpmn:formalExpression",
    "correlationPropertyRetrievalExpression/bpmn:messagePath",
)
CAMUNDA = f"{{{NS['camunda']}}}"
NOTHING_TO_DEPLOY = 'nothing to deploy: no executable process (isExecutable="true")'


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be deployed."""

    file: str
    line: int | None
    element: str | None
    message: str
    nothing_to_deploy: bool = False  # the files hold no process to deploy (shown in the UI as one sentence)

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.element or '-'}: {self.message}"


def validate_documents(documents: dict[str, bytes], statuses=None, forms=None, deployed=()) -> list[Problem]:
    """Every problem found in the documents (file name -> bytes); empty when they can be deployed.

    `forms`: a FormRegistry or a folder of .form files (default: the configured forms/ folder); each of its
    files is checked, and each camunda:formRef / camunda:formKey of the documents must name one of them.
    `deployed`: keys of the processes already deployed, which call activities may call.
    """
    registry = form_registry(forms)
    problems = [_form_problem(p) for p in registry.problems]
    roots = {}
    for file_name, data in documents.items():
        try:
            roots[file_name] = parse_xml(data, file_name)
        except XmlProblem as err:
            problems.append(Problem(file_name, err.line, None, err.message))
            continue
        try:
            data.decode("utf-8")  # the stored XML is text, kept as uploaded
        except UnicodeDecodeError as err:
            line = data.count(b"\n", 0, err.start) + 1
            problems.append(Problem(file_name, line, None, "not UTF-8: save the file as UTF-8 (Camunda Modeler does)"))
    known_processes = set(deployed)
    for root in roots.values():
        known_processes.update(root.xpath("//bpmn:process/@id", namespaces=NS))
    validator = BpmnValidator()
    for file_name, root in roots.items():
        try:
            validator.validate(root, file_name)
        except ValidationException as err:
            problems.append(Problem(file_name, _int(err.line_number), None, f"BPMN schema: {err}"))
        problems.extend(
            Problem(file_name, el.sourceline, where, m) for el, where, m in unsupported(root, known_processes)
        )
        problems.extend(_check_modeler(file_name, root))
        problems.extend(_check_expressions(file_name, root))
        problems.extend(_check_user_tasks(file_name, root, statuses))
        problems.extend(_check_form_references(file_name, root, registry))
    if not problems:
        problems.extend(_check_parse(documents, roots))
    order = {name: n for n, name in enumerate(documents)}
    # one line per problem, file by file in line order
    return sorted(dict.fromkeys(problems), key=lambda p: (order.get(p.file, -1), p.line or 0))


def _check_parse(documents, roots):
    """What SpiffWorkflow's parser refuses, what could not be stored, and files with nothing to deploy."""
    try:
        parser = parse_documents(documents)
        for process_id in parser.get_process_ids():
            parser.get_spec(process_id)
        entries = entry_processes(parser)
        for process_id in entries:
            subprocesses = parser.get_subprocess_specs(process_id, require_call_activity_specs=False)
            refused = storage_problem(parser.get_spec(process_id), subprocesses)
            if refused:
                element, message = refused
                file_name = parser.get_process_parser(process_id).filename
                yield Problem(file_name, _line_of(roots.get(file_name), element), element, message)
    except ValidationException as err:
        file_name = err.file_name or next(iter(documents))
        line = _line_of(roots.get(file_name), err.id) or _int(err.line_number)
        yield Problem(file_name, line, err.id or None, _parser_message(str(err)))
        return
    executable = {
        parser.get_process_parser(pid).filename
        for pid in parser.get_process_ids()
        if parser.get_process_parser(pid).process_executable
    }
    for file_name in documents:
        if not entries or file_name not in executable:
            yield Problem(file_name, None, None, NOTHING_TO_DEPLOY, nothing_to_deploy=True)


def _parser_message(message: str) -> str:
    """SpiffWorkflow's message, completed where it stops short."""
    if message.startswith("Multiple outgoing flows are not supported for tasks of type"):
        return (
            "more than one outgoing flow from a task (an implicit split): this engine does not split there; "
            "add a parallel or exclusive gateway after the task"
        )
    return message


def _int(value):
    return value if isinstance(value, int) and value > 0 else None


def _line_of(root, element_id):
    if root is None or not element_id:
        return None
    found = root.xpath("//*[@id=$id]", id=element_id)
    return found[0].sourceline if found else None


def _check_modeler(file_name, root):
    shapes = {_local(s.get("bpmnElement")) for s in root.iterfind(".//bpmndi:BPMNShape", NS)}
    edges = {_local(e.get("bpmnElement")) for e in root.iterfind(".//bpmndi:BPMNEdge", NS)}
    for tag in FLOW_NODES:
        for el in root.iterfind(f".//bpmn:{tag}", NS):
            if el.get("id") not in shapes:
                yield Problem(file_name, el.sourceline, el.get("id"), f"no diagram shape (BPMNShape): {NOT_DRAWN}")
    for el in root.iterfind(".//bpmn:sequenceFlow", NS):
        if el.get("id") not in edges:
            yield Problem(file_name, el.sourceline, el.get("id"), f"no diagram edge (BPMNEdge): {NOT_DRAWN}")


def _local(reference: str | None) -> str | None:
    """A layout reference without its namespace prefix (GenMyModel writes bpmn2:Task_1; ids hold no colon)."""
    return reference.rpartition(":")[2] if reference else reference


def _expressions(root):
    """(element carrying it, code, mode) for every Python expression or script SpiffWorkflow may evaluate."""
    for tag in EXPRESSION_TAGS:
        for el in root.iterfind(f".//bpmn:{tag}", NS):
            yield el, el.text, "eval"
    for el in root.iterfind(".//bpmn:messageEventDefinition[@camunda:expression]", NS):
        yield el, el.get(CAMUNDA + "expression"), "eval"
    for el in root.iterfind(".//bpmn:scriptTask/bpmn:script", NS):
        yield el, el.text, "exec"
    for el in root.iterfind(".//bpmn:userTask[@camunda:dueDate]", NS):
        yield el, strip_expression(el.get(CAMUNDA + "dueDate")), "eval"
    for el in root.iterfind(".//camunda:constraint[@name='required_if']", NS):
        yield el, el.get("config"), "eval"


def _check_expressions(file_name, root):
    """What the script sandbox would refuse at run time (syntax, forbidden names and attributes), by line."""
    for el, code, mode in _expressions(root):
        if is_foreign_code(el):
            continue  # refused for its language (camunda_dialect)
        if not (code or "").strip():
            yield Problem(file_name, el.sourceline, owner_id(el), "empty expression")
            continue
        refused = expression_problem(el, code)
        if refused:
            yield Problem(file_name, el.sourceline, owner_id(el), refused)
            continue
        for line, message in problems_of(code, mode):
            where = el.sourceline + line - 1 if mode == "exec" else el.sourceline
            text = message if message.startswith("Python syntax error") else f"refused by the script sandbox: {message}"
            yield Problem(file_name, where, owner_id(el), text)


def _check_user_tasks(file_name, root, statuses):
    # SpiffWorkflow waits for a person at a task without a type and at a manual task, and neither can name one
    # (Camunda 7 passes through them): the instance would wait there for ever.
    for tag, what in (("task", "a task without a type"), ("manualTask", "a manual task")):
        executable = "//bpmn:process[not(@isExecutable) or @isExecutable='true']"  # SpiffWorkflow's default
        for el in root.xpath(f"{executable}//bpmn:{tag}", namespaces=NS):
            yield Problem(
                file_name,
                el.sourceline,
                el.get("id"),
                f"{what} waits here for a person it cannot name: make it a user task with camunda:candidateGroups "
                "(or a script task, or remove it)",
            )
    for el in root.iterfind(".//bpmn:userTask", NS):
        if not any(el.get(CAMUNDA + a) for a in ("candidateGroups", "candidateUsers", "assignee")):
            yield Problem(
                file_name,
                el.sourceline,
                el.get("id"),
                "user task names nobody: set camunda:candidateGroups, candidateUsers or assignee",
            )
    if statuses is None:
        return
    for prop in root.iterfind(".//camunda:properties/camunda:property[@name='status']", NS):
        if prop.get("value") not in statuses:
            yield Problem(
                file_name,
                prop.sourceline,
                owner_id(prop),
                f"status {prop.get('value')!r} is not one of: {', '.join(statuses)}",
            )


def form_registry(forms=None) -> FormRegistry:
    """A FormRegistry as given, or loaded from a folder (default: the configured forms/ folder)."""
    if isinstance(forms, FormRegistry):
        return forms
    from app.config import Config  # noqa: PLC0415  (only for the default folder)

    return FormRegistry.from_directory(forms if forms is not None else Config.forms_dir)


def _form_problem(problem) -> Problem:
    return Problem(problem.file, problem.line, problem.element, problem.message)


def _check_form_references(file_name, root, registry: FormRegistry):
    """Each formRef must be a form id, each formKey a camunda-forms: key naming a file of the registry."""
    for el in root.xpath("//*[@camunda:formRef or @camunda:formKey]", namespaces=NS):
        form_ref, form_key = el.get(CAMUNDA + "formRef"), el.get(CAMUNDA + "formKey")
        where = (file_name, el.sourceline, el.get("id"))
        if form_ref:
            form = registry.by_id(form_ref)
            if form is None:
                yield Problem(*where, f"camunda:formRef {form_ref!r}: no form with this id in the forms folder")
            if el.get(CAMUNDA + "formRefBinding") == "version":
                yield Problem(*where, "camunda:formRefBinding 'version' is not supported: forms/ holds one version")
        else:
            file = form_file_of_key(form_key)
            if file is None:
                yield Problem(*where, f"camunda:formKey {form_key!r}: use camunda-forms:deployment:NAME.form")
                continue
            form = registry.by_file(file)
            if form is None:
                yield Problem(*where, f"camunda:formKey {form_key!r}: no {file} in the forms folder")
