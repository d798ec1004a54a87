"""The engine's façade: the one way into a stored instance, by two paths.

Write path (operations): `start_instance` or `load_instance` (row lock, this process's live workflow reused when
it is the stored version) → `advance` / `complete_user_task` → `save` (version-checked, task index and timers
re-synced; the workflow is kept for the next writer once the transaction commits).

Read path (pages, task forms, auditors): `read_instance` → a `Snapshot` (no lock, never saved, the live
workflow left for the next writer) with `task_data(task_id)` and `element_states()`.
"""

from .runtime import (
    EngineError,
    InstanceConflict,
    Running,
    StepFailed,
    TaskNotReady,
    advance,
    complete_user_task,
    load_instance,
    start_instance,
)
from .saving import save
from .snapshot import Snapshot, read_instance

__all__ = [
    "EngineError",
    "InstanceConflict",
    "Running",
    "Snapshot",
    "StepFailed",
    "TaskNotReady",
    "advance",
    "complete_user_task",
    "load_instance",
    "read_instance",
    "save",
    "start_instance",
]
