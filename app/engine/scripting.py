"""The script environment in which every BPMN expression and script runs.

Scripts are `exec`'d in our process: builtins are restricted to harmless ones (no import, open, eval,
getattr …) and the only other names are the functions the caller passes in (e.g. `deadline`, `notify_sender`).
"""

import builtins

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

_ALLOWED_BUILTINS = (
    "abs all any bool dict divmod enumerate filter float frozenset int isinstance len list map max min "
    "range reversed round set sorted str sum tuple zip True False None "
    "Exception ValueError KeyError TypeError"
).split()
SAFE_BUILTINS = {name: getattr(builtins, name) for name in _ALLOWED_BUILTINS}


class RestrictedEnvironment(TaskDataEnvironment):
    """TaskDataEnvironment whose globals carry restricted builtins and the caller's functions."""

    def __init__(self, functions: dict | None = None):
        super().__init__({"__builtins__": SAFE_BUILTINS, **(functions or {})})


def make_script_engine(functions: dict | None = None) -> PythonScriptEngine:
    """A script engine bound to one operation's functions (not serialized; attached after each load)."""
    return PythonScriptEngine(environment=RestrictedEnvironment(functions))


def strip_expression(expression: str | None) -> str | None:
    """Camunda Modeler writes expressions as ${...}; ours are Python inside that wrapper."""
    if expression is None:
        return None
    text = expression.strip()
    if text.startswith("${") and text.endswith("}"):
        text = text[2:-1].strip()
    return text or None
