"""CamundaParser subclass that keeps what SpiffWorkflow's own parser drops.

Every task spec gets `extensions` = {"properties": {...}, "candidate_groups": [...], "candidate_users": [...],
"assignee", "due_date", "form_key", "form_ref"}; generated forms (camunda:formData) are read even without a
formKey; a start event also gets its form and starters (app/engine/starting.py). `extensions` is serialized with
the spec by SpiffWorkflow itself.
"""

from SpiffWorkflow.bpmn.parser.BpmnParser import full_tag
from SpiffWorkflow.camunda.parser import CamundaParser
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS, UserTaskParser
from SpiffWorkflow.camunda.specs.user_task import Form

from .starting import start_event_extensions
from .xml_safety import parse_xml

CAMUNDA = f"{{{CAMUNDA_MODEL_NS}}}"
_TASK_ATTRIBUTES = {
    "assignee": "assignee",
    "dueDate": "due_date",
    "formKey": "form_key",
    "formRef": "form_ref",
}
_LIST_ATTRIBUTES = {"candidateGroups": "candidate_groups", "candidateUsers": "candidate_users"}


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


class ExtensionsMixin:
    """Reads camunda:properties and the Camunda task attributes into `task_spec.extensions`."""

    def parse_extensions(self, node=None):
        node = self.node if node is None else node
        properties = {}
        for prop in node.findall(f"./{{*}}extensionElements/{CAMUNDA}properties/{CAMUNDA}property"):
            properties[prop.get("name")] = prop.get("value")
        extensions = {"properties": properties}
        for attr, key in _TASK_ATTRIBUTES.items():
            extensions[key] = node.get(CAMUNDA + attr)
        for attr, key in _LIST_ATTRIBUTES.items():
            extensions[key] = _split(node.get(CAMUNDA + attr))
        if node.tag == full_tag("startEvent"):
            extensions.update(start_event_extensions(node))
        return extensions


class PaknUserTaskParser(ExtensionsMixin, UserTaskParser):
    """User tasks: also parse camunda:formData when the task has no formKey."""

    def get_form(self):
        if self.node.get(CAMUNDA + "formKey") is not None:
            return super().get_form()
        form = Form()
        # The parent only reads formData once a key is set; give it an empty one, then clear it.
        self.node.set(CAMUNDA + "formKey", "")
        try:
            form = super().get_form()
        finally:
            del self.node.attrib[CAMUNDA + "formKey"]
        form.key = ""
        return form


def _with_extensions(parser_class):
    if issubclass(parser_class, ExtensionsMixin):
        return parser_class
    return type(f"Pakn{parser_class.__name__}", (ExtensionsMixin, parser_class), {})


class PaknParser(CamundaParser):
    """The product's BPMN parser: Camunda dialect, extensions kept, XML parsed safely."""

    OVERRIDE_PARSER_CLASSES = {
        tag: (_with_extensions(parser_class), spec_class)
        for tag, (parser_class, spec_class) in CamundaParser.OVERRIDE_PARSER_CLASSES.items()
    }
    OVERRIDE_PARSER_CLASSES[full_tag("userTask")] = (
        PaknUserTaskParser,
        CamundaParser.OVERRIDE_PARSER_CLASSES[full_tag("userTask")][1],
    )

    def __init__(self, namespaces=None, validator=None):
        super().__init__(namespaces=namespaces, validator=validator)
        # Specs of deployed processes that call activities of these documents call (deployment.py fills it).
        self.deployed_specs = {}

    def add_bpmn_bytes(self, data: bytes, file_name: str):
        """Add one BPMN document from bytes, parsed with entities and network off."""
        self.add_bpmn_xml(parse_xml(data, file_name), file_name)

    def get_spec(self, process_id, required=True):
        """A process of the documents, else a deployed one a call activity names."""
        if self.get_process_parser(process_id) is None and process_id in self.deployed_specs:
            return self.deployed_specs[process_id]
        return super().get_spec(process_id, required=required)

    def called_processes(self) -> set[str]:
        """The process ids the call activities of these documents name."""
        called = set()
        for process_id in self.get_process_ids():
            called.update(self.get_process_parser(process_id).called_element_ids())
        return called


def parse_documents(documents: dict[str, bytes], validator=None) -> PaknParser:
    """Parse documents (file name -> bytes) together, so call activities resolve across files."""
    parser = PaknParser(validator=validator)
    for file_name, data in documents.items():
        parser.add_bpmn_bytes(data, file_name)
    return parser


def entry_processes(parser: PaknParser) -> list[str]:
    """Executable processes that no call activity of these documents calls: the ones a case starts."""
    called = parser.called_processes()
    return [
        pid
        for pid in parser.get_process_ids()
        if pid not in called and parser.get_process_parser(pid).process_executable
    ]
