"""Notice timers: deadlines whose firing only tells the case, fired without loading their instance.

A notice is a non-interrupting boundary timer whose path is scripts that each call one of the caller's notice
functions with constant arguments (`mark_overdue('reject')`), then an end event: it changes nothing of the flow,
only the case's rows. The scheduler calls those functions itself and names the timer's task in the instance's
row (`fired_notices`), instead of reading, running and rewriting the whole state (issue 18 point 4). The next
reader or writer of the instance runs the named boundary paths with those functions doing nothing (`catch_up`),
so the stored workflow ends up as if the engine had fired them: their effects are never applied twice, nor lost.
"""

import ast
from dataclasses import dataclass
from functools import lru_cache
from uuid import UUID

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState

from .scripting import make_script_engine


@dataclass(frozen=True)
class NoticePath:
    steps: tuple[str, ...]  # the elements the engine would record, boundary event first
    calls: tuple[tuple[str, tuple], ...]  # (function, constant arguments), in order


def notice_path(spec, subprocess_specs: dict, bpmn_id: str, functions: frozenset) -> NoticePath | None:
    """The path of the boundary timer `bpmn_id` when it is a notice calling only `functions`; None otherwise
    (an interrupting timer, a gateway, a task, an expression, another function: the engine fires it)."""
    return _notice_path(spec, tuple(sorted(subprocess_specs.items(), key=lambda kv: kv[0])), bpmn_id, functions)


@lru_cache(maxsize=512)
def _notice_path(spec, subprocess_specs: tuple, bpmn_id: str, functions: frozenset) -> NoticePath | None:
    processes = [spec, *(sub for _, sub in subprocess_specs if sub is not None)]
    found = [p.task_specs[n] for p in processes for n, s in p.task_specs.items() if s.bpmn_id == bpmn_id]
    if len(found) != 1:
        return None
    return boundary_path(found[0], functions)


def boundary_path(boundary, functions: frozenset | None) -> NoticePath | None:
    """A boundary timer spec's notice path (`functions` None: any function, for a path already taken as one)."""
    definition = getattr(boundary, "event_definition", None)
    if type(boundary).__name__ != "BoundaryEvent" or getattr(boundary, "cancel_activity", True):
        return None
    if not isinstance(definition, TimerEventDefinition) or type(definition).__name__ == "CycleTimerEventDefinition":
        return None
    steps, calls = [boundary.bpmn_id], []
    current = [o for o in boundary.outputs if type(o).__name__ != "BoundaryEventJoin"]
    while len(current) == 1:
        task = current[0]
        kind = type(task).__name__
        if kind == "EndEvent":
            return NoticePath((*steps, task.bpmn_id), tuple(calls))
        call = _constant_call(getattr(task, "script", None)) if kind == "ScriptTask" else None
        if call is None or (functions is not None and call[0] not in functions) or len(task.outputs) != 1:
            return None
        steps.append(task.bpmn_id)
        calls.append(call)
        current = task.outputs
    return None


def _constant_call(script: str | None) -> tuple[str, tuple] | None:
    """('mark_overdue', ('reject',)) for "mark_overdue('reject')"; None for any other script."""
    try:
        body = ast.parse((script or "").strip()).body
    except SyntaxError:
        return None
    if len(body) != 1 or not isinstance(body[0], ast.Expr) or not isinstance(body[0].value, ast.Call):
        return None
    call = body[0].value
    if not isinstance(call.func, ast.Name) or call.keywords:
        return None
    if not all(isinstance(arg, ast.Constant) and isinstance(arg.value, str | int) for arg in call.args):
        return None
    return call.func.id, tuple(arg.value for arg in call.args)


def joined(fired: str | None, task_ids: list[str]) -> str:
    """The row's `fired_notices` with these task ids added."""
    return ",".join(filter(None, [fired, *task_ids]))


def catch_up(workflow, fired: str | None) -> None:
    """Run the boundary paths the scheduler fired as notices (the row's `fired_notices`), their functions doing
    nothing: the scheduler applied their effects. A task no longer waiting (already caught up) is left alone."""
    tasks = [workflow.get_task_from_id(UUID(task_id)) for task_id in (fired or "").split(",") if task_id]
    tasks = [t for t in tasks if t is not None and t.state == TaskState.WAITING]
    if not tasks:
        return
    paths = [boundary_path(task.task_spec, None) for task in tasks]
    names = {name for path in paths if path is not None for name, _ in path.calls}
    engine, workflow.script_engine = workflow.script_engine, make_script_engine(dict.fromkeys(names, _nothing))
    # the engine checks every waiting timer whenever a task completes: the others wait until the caller's own
    # run, which fires those due with their effects (here their functions would do nothing)
    held = _hold_other_timers(workflow, tasks)
    try:
        for task, path in zip(tasks, paths, strict=True):
            if path is not None:
                task._set_internal_data(event_fired=True)
                task.task_spec._update(task)
        workflow.do_engine_steps()
    finally:
        workflow.script_engine = engine
        for task, value in held:
            task.internal_data["event_value"] = value


NEVER = "9999-12-31T00:00:00+00:00"


def _hold_other_timers(workflow, fired) -> list:
    """Move the other waiting timers out of reach for the catch-up; returns them with their instants to restore."""
    held = []
    for task in list(workflow.top_workflow.event_manager.tasks.values()):
        definition = getattr(task.task_spec, "event_definition", None)
        if task in fired or task.state != TaskState.WAITING or not isinstance(definition, TimerEventDefinition):
            continue
        value = task.internal_data.get("event_value")
        held.append((task, value))
        task.internal_data["event_value"] = {**value, "next": NEVER} if isinstance(value, dict) else NEVER
    return held


def _nothing(*_args, **_kwargs):
    return None
