"""Moving a running instance to another version of its process.

An instance moves when every task it has — waiting, done or predicted — and every called process it runs exist
in the target version by the same element id: its tasks then keep their ids, states, data and timers (deadlines
stay), and what follows a waiting task is taken from the target version when the task completes. Otherwise it
stays, and the elements the target lacks are named.
"""

from .deployment import specs_of
from .models import ProcessDefinition
from .runtime import Running, all_tasks


def missing_elements(workflow, target: ProcessDefinition) -> list[str]:
    """Element ids (and called processes) of the instance the target version lacks; empty when it can move."""
    spec, subprocess_specs = specs_of(target)
    if workflow.spec.name != spec.name:
        return [f"process {workflow.spec.name} (the target is {spec.name})"]
    missing, internal = [], []
    for subprocess in workflow.subprocesses.values():
        if subprocess.spec.name not in subprocess_specs:
            missing.append(f"called process {subprocess.spec.name}")
    for task in all_tasks(workflow):
        target_spec = spec if task.workflow is workflow else subprocess_specs.get(task.workflow.spec.name)
        if target_spec is not None and task.task_spec.name not in target_spec.task_specs:
            if task.task_spec.bpmn_id:
                missing.append(task.task_spec.bpmn_id)
            else:
                internal.append(task.task_spec.name)  # the engine's own joins and splits: named only when alone
    return sorted(set(missing or internal))


def move_to(running: Running, target: ProcessDefinition):
    """Point the loaded instance's workflow and tasks at the target version's specs (the caller saves)."""
    spec, subprocess_specs = specs_of(target)
    workflow = running.workflow
    for task in all_tasks(workflow):
        specs = spec if task.workflow is workflow else subprocess_specs[task.workflow.spec.name]
        task.task_spec = specs.task_specs[task.task_spec.name]
    for subprocess in workflow.subprocesses.values():
        subprocess.spec = subprocess_specs[subprocess.spec.name]
    workflow.spec = spec
    workflow.subprocess_specs = subprocess_specs
    running.row.definition = target
