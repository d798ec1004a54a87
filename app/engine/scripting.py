"""The script environment in which every BPMN expression and script runs.

Model scripts are untrusted code (an administrator's session may be stolen): they are compiled by the
restricted compiler (sandbox.py), see only the allowed builtins and the functions the caller passes in (e.g.
`deadline`, `notify_sender`), and draw on the time, steps and size of one engine run (limits.py). As with
SpiffWorkflow's TaskDataEnvironment, the names a script assigns land in the task's data.
"""

from contextlib import contextmanager

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from .guards import GUARDS
from .limits import MAX_TASK_DATA, Budget, ScriptLimitExceeded, weight
from .sandbox import sandboxed_code


class SandboxEnvironment(TaskDataEnvironment):
    """Runs restricted code with the caller's functions; bounded per engine run, or per call outside one."""

    def __init__(self, functions: dict | None = None):
        super().__init__(dict(functions or {}))
        self._run: Budget | None = None

    @contextmanager
    def run(self):
        """One engine run: every script and expression until it ends draws on one budget (nested runs join)."""
        if self._run is not None:
            yield self._run
            return
        self._run = Budget()
        try:
            with self._run.active():
                yield self._run
        finally:
            self._run = None

    def evaluate(self, expression, context, external_context=None):
        code = sandboxed_code(expression, "eval")
        names = {**self.globals, **(external_context or {}), **context, **GUARDS}
        with self.run():
            return eval(code, names)  # noqa: S307 (restricted code, see sandbox.py)

    def execute(self, script, context, external_context=None):
        code = sandboxed_code(script, "exec")
        self.check_for_overwrite(context, external_context or {})
        context.update(self.globals)
        context.update(external_context or {})
        context.update(GUARDS)
        try:
            with self.run():
                exec(code, context)  # noqa: S102 (restricted code, see sandbox.py)
        finally:
            self._remove_globals_and_functions_from_context(context, external_context)
        size = weight(context, MAX_TASK_DATA)
        if size > MAX_TASK_DATA:
            raise ScriptLimitExceeded(f"the task data the script left is too large ({size:,} > {MAX_TASK_DATA:,})")
        return True


class SandboxScriptEngine(PythonScriptEngine):
    """PythonScriptEngine whose limit errors name the element whose script or expression ran into them."""

    def evaluate(self, task, expression, external_context=None):
        try:
            return super().evaluate(task, expression, external_context)
        except ScriptLimitExceeded as err:
            err.bpmn_id = err.bpmn_id or task.task_spec.bpmn_id
            raise

    def execute(self, task, script, external_context=None):
        try:
            return super().execute(task, script, external_context)
        except ScriptLimitExceeded as err:
            err.bpmn_id = err.bpmn_id or task.task_spec.bpmn_id
            raise


def make_script_engine(functions: dict | None = None) -> PythonScriptEngine:
    """A script engine bound to one operation's functions (not serialized; attached after each load)."""
    return SandboxScriptEngine(environment=SandboxEnvironment(functions))


def strip_expression(expression: str | None) -> str | None:
    """Camunda Modeler writes expressions as ${...}; ours are Python inside that wrapper."""
    if expression is None:
        return None
    text = expression.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1].strip()
    return text or None
