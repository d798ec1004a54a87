"""The task tree is written and read by app/engine/task_tree.py, not by SpiffWorkflow's generic converters (issue 18
point 4): the JSON must be SpiffWorkflow's own, and either reader must rebuild the same workflow, at every step of
a petition's life, subprocess included, and with typed values (dates) in the data."""

import json
from copy import deepcopy
from datetime import UTC, datetime
from uuid import UUID
from zoneinfo import ZoneInfo

import time_machine
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG

from app.engine.deployment import specs_of
from app.engine.models import ProcessInstance
from app.engine.scripting import make_script_engine
from app.engine.serialization import dump_state, load_state, state_text
from app.engine.task_tree import parse_uuid
from app.petitions.operations import fire_due_timers

from .conftest import act, submit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # reject due Wed 4 Mar, forward due Mon 9 Mar
AFTER_REJECT = datetime(2026, 3, 5, 9, 0, tzinfo=VN)


class StockStateConverter(BpmnWorkflowConverter):
    """What serialization.py did before task_tree.py: SpiffWorkflow's own task converters, no specs stored."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_config = deepcopy(CAMUNDA_CONFIG)
_config[BpmnWorkflow] = StockStateConverter
_stock_registry = BpmnWorkflowSerializer.configure(_config)
STOCK = BpmnWorkflowSerializer(_stock_registry)


def stock_load(text: str, spec, subprocess_specs):
    dct = json.loads(text)
    STOCK.migrate(dct)
    return _stock_registry.restore(dct, spec=spec, subprocess_specs=subprocess_specs)


def shape(workflow) -> dict:
    """Everything a task of the workflow (and of its subprocesses) holds, by id."""
    out = {}
    for flow in (workflow, *workflow.subprocesses.values()):
        for task_id, task in flow.tasks.items():
            out[str(task_id)] = (
                task.task_spec.name,
                task.state,
                str(task._parent),
                [str(c) for c in task._children],
                task.triggered,
                task.last_state_change,
                task.data,
                task.internal_data,
            )
    return out


def waiting_events(workflow) -> list[str]:
    return sorted(str(task_id) for task_id in workflow.event_manager.tasks)


def check_both_ways(row):
    spec, subprocess_specs = specs_of(row.definition)
    text = state_text(row.state)
    ours = load_state(row.state, spec, subprocess_specs, make_script_engine({}))
    theirs = stock_load(text, spec, subprocess_specs)
    assert shape(ours) == shape(theirs)
    assert waiting_events(ours) == waiting_events(theirs)
    assert sorted(map(str, ours.subprocesses)) == sorted(map(str, theirs.subprocesses))
    # the same JSON, whichever writes it, from whichever read it
    stock_json = json.loads(STOCK.serialize_json(theirs))
    assert json.loads(state_text(dump_state(theirs))) == stock_json
    assert json.loads(state_text(dump_state(ours))) == stock_json
    assert stock_json == json.loads(text)


def test_every_step_of_a_petition_reads_and_writes_as_spiffworkflow_does(session):
    with time_machine.travel(RECEIVED, tick=False):
        petition = submit(session)
    check_both_ways(session.get(ProcessInstance, petition.instance_id))
    with time_machine.travel(AFTER_REJECT, tick=False):  # a boundary timer fires, the other still waits
        assert fire_due_timers(session, petition.instance_id) == ["timer_reject_due"]
    check_both_ways(session.get(ProcessInstance, petition.instance_id))
    steps = [
        ("intake", "classify", {"decision": "forward", "lead_agency": "QNG-SXD"}),
        ("handler", "handle", {"action": "answer", "answer": "Đã kiểm tra hiện trường và trả lời."}),
        ("leader", "leader_approve", {"leader_decision": "approve"}),
        ("intake", "review", {"review_decision": "approve"}),
        ("intake", "publish", {"public_summary": "Đã xử lý."}),
    ]
    seen_subprocess = False
    for username, bpmn_id, values in steps:
        act(session, username, petition, bpmn_id, **values)
        row = session.get(ProcessInstance, petition.instance_id)
        seen_subprocess |= bool(json.loads(state_text(row.state))["subprocesses"])
        check_both_ways(row)
    assert seen_subprocess and petition.status == "published"


def test_typed_values_in_task_data_come_back_typed(session):
    petition = submit(session)
    row = session.get(ProcessInstance, petition.instance_id)
    spec, subprocess_specs = specs_of(row.definition)
    workflow = load_state(row.state, spec, subprocess_specs, make_script_engine({}))
    when = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)
    task = next(t for t in workflow.tasks.values() if t.task_spec.name == "classify")
    task.data["seen_at"] = when
    task.data["nested"] = {"at": [when, 1, "x"], "plain": {"a": None}}
    task.internal_data["noted_at"] = when
    stored = dump_state(workflow)
    for loaded in (
        load_state(stored, spec, subprocess_specs, make_script_engine({})),
        stock_load(state_text(stored), spec, subprocess_specs),
    ):
        again = loaded.get_task_from_id(task.id)
        assert again.data["seen_at"] == when and isinstance(again.data["seen_at"], datetime)
        assert again.data["nested"] == {"at": [when, 1, "x"], "plain": {"a": None}}
        assert again.internal_data["noted_at"] == when


def test_parsed_ids_are_ordinary_uuids():
    text = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    parsed = parse_uuid(text)
    assert parsed == UUID(text) and hash(parsed) == hash(UUID(text)) and str(parsed) == text
    assert {UUID(text): 1}[parsed] == 1
