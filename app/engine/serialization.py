"""Store the parsed spec once per deployed version and each instance's state without it.

SpiffWorkflow's serializer embeds the whole spec in every instance; we replace the top-level workflow
converter with one that leaves the spec out and takes the (cached, already restored) spec objects on load.
The state is stored compressed: a task tree's ids, names and keys repeat, so the 27 KB of JSON of a finished
petition are 3 KB in zlib. New states are compressed with a preset dictionary (zlib's `zdict`) made from the
models' own states (make_state_dictionary.py): a stored state is one byte naming its dictionary (1, 2, …), then
the zlib stream. Every earlier format stays readable: plain JSON ("{": a bench's clones, a row written by hand)
and zlib without a dictionary ("x", 0x78, before dictionaries).
"""

import json
from copy import deepcopy
from pathlib import Path
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnSubWorkflowConverter,
    BpmnWorkflowConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG

from app.packing import Dictionaries

from .held import MARK, give_back, hold
from .task_tree import tasks_from_dict, tasks_to_dict


class _FastTasks:
    """WorkflowConverter.to_dict with the task tree written by task_tree.py (the same JSON, faster)."""

    def to_dict(self, workflow):
        tasks, workflow.tasks = workflow.tasks, {}
        try:
            dct = WorkflowConverter.to_dict(self, workflow)
        finally:
            workflow.tasks = tasks
        dct["tasks"] = tasks_to_dict(workflow, self.registry)
        return dct


class StateOnlyWorkflowConverter(_FastTasks, BpmnWorkflowConverter):
    """Top-level workflow converter that neither writes nor reads the specs."""

    def to_dict(self, workflow):
        dct = _FastTasks.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = tasks_from_dict(dct["tasks"], workflow, self.registry)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


class SubWorkflowConverter(_FastTasks, BpmnSubWorkflowConverter):
    """A subprocess's tasks written and read by task_tree.py as well."""

    def to_dict(self, workflow):
        dct = _FastTasks.to_dict(self, workflow)
        dct["parent_task_id"] = str(workflow.parent_task_id)
        dct["spec"] = workflow.spec.name
        return dct

    def from_dict(self, dct, task, top_workflow):
        spec = top_workflow.subprocess_specs.get(task.task_spec.spec)
        subprocess = self.target_class(spec, task.id, top_workflow, deserializing=True)
        subprocess.tasks = tasks_from_dict(dct["tasks"], subprocess, self.registry)
        subprocess.task_tree = subprocess.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(subprocess, dct)
        return subprocess


_config = deepcopy(CAMUNDA_CONFIG)
_config[BpmnWorkflow] = StateOnlyWorkflowConverter
_config[BpmnSubWorkflow] = SubWorkflowConverter
_registry = BpmnWorkflowSerializer.configure(_config)
_serializer = BpmnWorkflowSerializer(_registry)


def dump_specs(spec, subprocess_specs: dict) -> str:
    """JSON of a process spec and the specs of the processes it calls (stored once per version)."""
    return json.dumps(
        {
            "spec": _registry.convert(spec),
            "subprocess_specs": {name: _registry.convert(sub) for name, sub in subprocess_specs.items()},
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def storage_problem(spec, subprocess_specs: dict) -> tuple[str | None, str] | None:
    """(element id, message) when `dump_specs` could not store the process, naming the task it cannot store."""
    for process in (spec, *(sub for sub in subprocess_specs.values() if sub is not None)):
        for task_spec in process.task_specs.values():
            try:
                json.dumps(_registry.convert(task_spec))
            except (TypeError, ValueError):
                name = type(task_spec).__name__
                return task_spec.bpmn_id, f"the engine cannot store a {name}: this element is not supported here"
    try:
        dump_specs(spec, {name: sub for name, sub in subprocess_specs.items() if sub is not None})
    except (TypeError, ValueError) as err:
        return None, f"the engine cannot store this process: {err}"
    return None


def load_specs(spec_json: str):
    """Restore (spec, subprocess_specs) from `dump_specs` output."""
    dct = json.loads(spec_json)
    spec = _registry.restore(dct["spec"])
    subprocess_specs = {name: _registry.restore(sub) for name, sub in dct["subprocess_specs"].items()}
    return spec, subprocess_specs


STATE_COMPRESSION = 6  # zlib's default: level 1 saves 10 % less for the same time on a 30 KB state
DICTIONARY_DIR = Path(__file__).with_name("state_dictionaries")
_packing = Dictionaries(DICTIONARY_DIR, STATE_COMPRESSION)
DICTIONARIES, WRITING = _packing.by_number, _packing.writing  # new states use the newest


def state_json(workflow, held: dict[str, str] | None = None) -> bytes:
    """SpiffWorkflow's JSON of the state (as `serialize_json` writes it), as UTF-8 without escapes or spaces;
    `held`: texts the case's row keeps (held.py), named instead of written."""
    _registry._encoder_mode = True
    try:
        dct = _serializer.to_dict(workflow)
        if held:
            hold(dct, held)
        if workflow.completed:
            _round_times(dct)
        dct[_serializer.VERSION_KEY] = _serializer.VERSION
        text = json.dumps(dct, cls=_serializer._encoder_cls, ensure_ascii=False, separators=(",", ":"))
    finally:
        _registry._encoder_mode = False
    return text.encode()


FINISHED_TIME_DIGITS = 3  # a finished instance runs no join again: its tasks' times to the ms (≈ 140 B less)


def _round_times(dct: dict):
    """The tasks' `last_state_change` of a finished instance to the millisecond (the dictionaries are the dump's)."""
    for part in (dct, *dct.get("subprocesses", {}).values()):
        for task in part["tasks"].values():
            task["last_state_change"] = round(task["last_state_change"], FINISHED_TIME_DIGITS)


def dump_state(workflow, held: dict[str, str] | None = None) -> bytes:
    """An instance's state (task tree, data, subprocesses, events; no spec): compressed JSON, its dictionary first."""
    return _packing.pack(state_json(workflow, held))


def state_text(stored: bytes | str) -> str:
    """The JSON of a stored state, whichever format wrote it: its first byte tells (plain JSON starts with "{")."""
    if isinstance(stored, str):
        return stored
    data = bytes(stored)
    return (data if data[:1] == b"{" else _packing.unpack(data, "state")).decode()


def load_state(stored: bytes | str, spec, subprocess_specs, script_engine, held_texts=None):
    """Rebuild a workflow from its state and the cached specs, with this operation's script engine;
    `held_texts(data)`: the texts the case's row keeps, asked for only by a state that names some (held.py)."""
    text = state_text(stored)
    dct = json.loads(text)
    if f'"{MARK}"' in text:
        give_back(dct, held_texts(dct.get("data") or {}) if held_texts else {})
    _serializer.migrate(dct)
    workflow = _registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)
    workflow.script_engine = script_engine
    return workflow
