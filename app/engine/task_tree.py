"""A workflow's task tree to and from its stored dictionaries, as SpiffWorkflow 3.2's TaskConverter writes and
reads them, without its generic registry walk (timers load, fire and save one instance after another: the
registry's per-value recursion and UUID parsing were half of a load).

The output is the same JSON as SpiffWorkflow's own (tests/test_state_storage.py compares them on the petition
model at each of its steps), so either can read what the other wrote.
"""

from uuid import UUID, SafeUUID

from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

_new, _set = object.__new__, object.__setattr__
_PLAIN = (str, int, float, bool, type(None))


def parse_uuid(text: str) -> UUID:
    """UUID(text) for the canonical form our own states hold, without the constructor's checks."""
    value = _new(UUID)
    _set(value, "int", int(text.replace("-", ""), 16))
    _set(value, "is_safe", SafeUUID.unknown)
    return value


def tasks_from_dict(mapping: dict, workflow, registry) -> dict:
    """The task objects of `mapping` (id → task dict, parents first), registered in `workflow.tasks` as they are
    made, as TaskConverter.from_dict does."""
    ids = {key: parse_uuid(key) for key in mapping}
    top = workflow.top_workflow
    for key, dct in mapping.items():
        spec = workflow.spec.task_specs.get(dct["task_spec"])
        task = Task(workflow, spec, state=dct["state"], id=ids[key])
        parent = dct["parent"]
        task._parent = None if parent is None else (ids.get(parent) or parse_uuid(parent))
        task._children = [ids.get(child) or parse_uuid(child) for child in dct["children"]]
        task.last_state_change = dct["last_state_change"]
        task.triggered = dct["triggered"]
        task.internal_data = _restore(dct["internal_data"], registry)
        if isinstance(spec, CatchingEvent) and task.has_state(TaskState.WAITING):
            top.event_manager.add_task(task)
        delta = dct.get("delta")
        above = task.parent if delta else None
        if above is not None:
            data = DeepMerge.merge({}, above.data)
            data.update(_restore(delta.get("updates", {}), registry))
            for name in delta.get("deletions", ()):
                data.pop(name, None)
        else:
            data = _restore(dct["data"], registry)
        task.data = data
    return dict(workflow.tasks)


def tasks_to_dict(workflow, registry) -> dict:
    """`workflow.tasks` as TaskConverter.to_dict writes them (the registry in its encoder mode)."""
    names = {task_id: str(task_id) for task_id in workflow.tasks}
    tasks, out = workflow.tasks, {}
    for task_id, task in tasks.items():
        parent = tasks.get(task._parent)
        if parent is None:
            data, delta = task.data, {}
        else:
            data = {}
            delta = {
                "updates": DeepMerge.get_updated_keys(parent.data, task.data),
                "deletions": DeepMerge.get_deleted_keys(parent.data, task.data),
            }
        out[names[task_id]] = {
            "id": names[task_id],
            "parent": names[task._parent] if parent is not None else None,  # a parent is in the same tree
            "children": [names.get(child) or str(child) for child in task._children],
            "last_state_change": task.last_state_change,
            "state": task.state,
            "task_spec": task.task_spec.name,
            "triggered": task.triggered,
            "internal_data": registry.convert(task.internal_data),
            "data": data,
            "delta": delta,
            "typename": "Task",
        }
    return out


def _restore(value, registry):
    """registry.restore for freshly parsed JSON: plain values are kept in place, typed ones restored."""
    kind = type(value)
    if kind is dict:
        if "typename" in value:
            return registry.restore(value)
        for key, item in value.items():
            if type(item) not in _PLAIN:
                value[key] = _restore(item, registry)
        return value
    if kind is list:
        return [item if type(item) in _PLAIN else _restore(item, registry) for item in value]
    return value if kind in _PLAIN else registry.restore(value)
