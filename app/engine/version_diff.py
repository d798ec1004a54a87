"""What a BPMN file changes against a deployed version of its process: flow elements added, removed or renamed
(matched by id, as Camunda Modeler keeps ids), and the Camunda Forms its tasks reference."""

from dataclasses import dataclass, field

from .validation import CAMUNDA, FLOW_NODES, NS
from .xml_safety import parse_xml

BPMN = f"{{{NS['bpmn']}}}"


@dataclass(frozen=True)
class Element:
    id: str
    kind: str  # the BPMN tag: userTask, exclusiveGateway …
    name: str


@dataclass
class VersionDiff:
    added: list[Element] = field(default_factory=list)
    removed: list[Element] = field(default_factory=list)
    renamed: list[tuple[Element, Element]] = field(default_factory=list)  # (before, after)
    forms: list[str] = field(default_factory=list)  # every form the new file references
    forms_added: list[str] = field(default_factory=list)
    forms_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.renamed or self.forms_added or self.forms_removed)


def _outline(xml: bytes | str | None, process_key: str) -> tuple[dict[str, Element], set[str]]:
    """The process's flow elements by id and the forms they reference."""
    if xml is None:
        return {}, set()
    root = parse_xml(xml.encode("utf-8") if isinstance(xml, str) else xml, "bpmn")
    process = next((p for p in root.iter(f"{BPMN}process") if p.get("id") == process_key), None)
    elements, forms = {}, set()
    for node in process.iter() if process is not None else ():
        tag = node.tag.removeprefix(BPMN) if isinstance(node.tag, str) else ""
        if tag in FLOW_NODES and node.get("id"):
            elements[node.get("id")] = Element(node.get("id"), tag, (node.get("name") or "").strip())
        form = node.get(f"{CAMUNDA}formRef") or node.get(f"{CAMUNDA}formKey") if tag in FLOW_NODES else None
        if form:
            forms.add(form.removeprefix("camunda-forms:bpmn:"))
    return elements, forms


def version_diff(current_xml: str | None, new_xml: bytes, process_key: str) -> VersionDiff:
    """The new file against the current version's XML (None: a process not deployed yet, everything added)."""
    before, forms_before = _outline(current_xml, process_key)
    after, forms_after = _outline(new_xml, process_key)
    return VersionDiff(
        added=[after[key] for key in after if key not in before],
        removed=[before[key] for key in before if key not in after],
        renamed=[(before[key], after[key]) for key in after if key in before and before[key].name != after[key].name],
        forms=sorted(forms_after),
        forms_added=sorted(forms_after - forms_before),
        forms_removed=sorted(forms_before - forms_after),
    )
