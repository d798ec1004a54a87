"""What a process offers the people who start it by hand (Camunda 7's start forms and candidate starters).

The parser puts into the none start event's `extensions` (serialized with the spec):
- `form_fields`: its camunda:formData fields as plain data (app/engine/forms.py makes FormFields of them);
  `form_ref` / `form_key` (a Camunda Form) are read for every element already;
- `initiator`: camunda:initiator, the variable that receives the starter's username;
- `starter_groups` / `starter_users`: camunda:candidateStarterGroups / candidateStarterUsers of the enclosing
  bpmn:process (who may start it).
`start_event(spec)` finds them again in a deployed process.
"""

from dataclasses import dataclass

from SpiffWorkflow.bpmn.specs.event_definitions import NoneEventDefinition

CAMUNDA = "{http://camunda.org/schema/1.0/bpmn}"
BPMN_PROCESS = "{http://www.omg.org/spec/BPMN/20100524/MODEL}process"


def _names(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def start_event_extensions(node) -> dict:
    """What a start event element adds to its `extensions` (see the module's docstring)."""
    process = node.getparent()
    own = process is not None and process.tag == BPMN_PROCESS
    fields = node.findall(f"./{{*}}extensionElements/{CAMUNDA}formData/{CAMUNDA}formField")
    return {
        "form_fields": [_form_field(f) for f in fields],
        "initiator": node.get(CAMUNDA + "initiator"),
        "starter_groups": _names(process.get(CAMUNDA + "candidateStarterGroups")) if own else [],
        "starter_users": _names(process.get(CAMUNDA + "candidateStarterUsers")) if own else [],
    }


def _form_field(element) -> dict:
    """One camunda:formField as the keyword arguments of app.engine.forms.FormField."""
    return {
        "id": element.get("id"),
        "label": element.get("label") or element.get("id"),
        "type": element.get("type") or "string",
        "default": element.get("defaultValue"),
        "options": [[v.get("id"), v.get("name")] for v in element.findall(f"./{CAMUNDA}value")],
        "constraints": {
            c.get("name"): c.get("config") for c in element.findall(f"./{CAMUNDA}validation/{CAMUNDA}constraint")
        },
        "properties": {
            p.get("id"): p.get("value") for p in element.findall(f"./{CAMUNDA}properties/{CAMUNDA}property")
        },
    }


@dataclass(frozen=True)
class StartEvent:
    """The none start event of a deployed process: its form and who may start the process from it."""

    spec: object  # the task spec: app/tasks/task_forms.task_form gives its form like a user task's
    groups: tuple[str, ...]
    users: tuple[str, ...]
    initiator: str | None

    @property
    def has_form(self) -> bool:
        extensions = getattr(self.spec, "extensions", None) or {}
        return bool(extensions.get("form_ref") or extensions.get("form_key") or extensions.get("form_fields"))


def start_event(spec) -> StartEvent | None:
    """The none start event of a process spec (the one people start; message or timer starts are not), or None."""
    for task_spec in spec.task_specs.values():
        definition = getattr(task_spec, "event_definition", None)
        if type(task_spec).__name__ != "StartEvent" or type(definition) is not NoneEventDefinition:
            continue
        extensions = getattr(task_spec, "extensions", None) or {}
        return StartEvent(
            spec=task_spec,
            groups=tuple(extensions.get("starter_groups") or ()),
            users=tuple(extensions.get("starter_users") or ()),
            initiator=extensions.get("initiator") or None,
        )
    return None
