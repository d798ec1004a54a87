"""The read path: an instance as stored, for pages, forms and auditors. No row lock, nothing saved, and the live
workflow the write path keeps for the next writer stays where it is (live.py)."""

from dataclasses import dataclass
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from .deployment import specs_of
from .held import HeldTextMissing, held_texts
from .known_definitions import definition_of
from .models import ProcessInstance
from .notices import catch_up
from .runtime import EngineError, all_tasks
from .scripting import make_script_engine
from .serialization import load_state

# A loop's live token outranks its earlier passes: an element shows its most current state.
_RANK = {"completed": 0, "waiting": 1, "active": 2}
_STATES = {TaskState.COMPLETED: "completed", TaskState.READY: "active", TaskState.STARTED: "active",
           TaskState.WAITING: "waiting"}  # fmt: skip


@dataclass(frozen=True)
class Snapshot:
    """A private copy of an instance's workflow as last saved; reading it changes nothing stored or cached."""

    row: ProcessInstance
    workflow: BpmnWorkflow

    def task_data(self, task_id: str) -> dict:
        """A copy of one task's data (empty when the task is gone, e.g. cancelled by a deadline)."""
        task = self.workflow.get_task_from_id(UUID(task_id))
        return dict(task.data) if task is not None else {}

    def element_states(self) -> dict[str, str]:
        """BPMN element id → completed / active / waiting, for the diagram of where the instance stands."""
        states: dict[str, str] = {}
        for task in all_tasks(self.workflow):
            state = _STATES.get(task.state)
            bpmn_id = task.task_spec.bpmn_id
            if state is None or not bpmn_id:
                continue
            if _RANK[state] >= _RANK[states.get(bpmn_id, "completed")]:
                states[bpmn_id] = state
        return states


def read_instance(session, instance_id: int) -> Snapshot:
    """The stored instance read without a lock (a plain SELECT: a writer holding the row is not waited for)."""
    query = select(ProcessInstance).where(ProcessInstance.id == instance_id)
    # populate_existing: the state as stored now, not a copy an earlier transaction left in the session
    row = session.scalar(query.execution_options(populate_existing=True))
    if row is None:
        raise EngineError(f"process instance {instance_id} does not exist")
    spec, subprocess_specs = specs_of(definition_of(session, row))
    try:
        workflow = load_state(
            row.state, spec, subprocess_specs, make_script_engine({}), lambda d: held_texts(session, d)
        )
    except HeldTextMissing as err:
        raise EngineError(f"process instance {instance_id}: {err}") from err
    catch_up(workflow, row.fired_notices)  # this private copy, as the next writer will find it
    return Snapshot(row, workflow)
