"""Live workflows of the write path: the workflow an operation saved, kept for the next writer of its instance.

A workflow is handed to one operation at a time (taken out, put back only after its transaction commits), so no
two threads share one, and a failed operation's half-advanced workflow is never seen again. Readers never touch
it: the read path (snapshot.py) rebuilds its own copy from the stored row.
"""

import threading
from collections import OrderedDict

from sqlalchemy import event
from sqlalchemy.orm import Session


class LiveWorkflows:
    """Workflows this process saved last, by instance: reused when the stored version is still theirs."""

    def __init__(self, capacity: int = 256):
        self.capacity, self._items, self._lock = capacity, OrderedDict(), threading.Lock()

    def take(self, key: tuple, lock_version: int):
        """The workflow saved at `lock_version`, handed over to one writer (None when another version is stored)."""
        with self._lock:
            entry = self._items.pop(key, None)
        return entry[1] if entry is not None and entry[0] == lock_version else None

    def put(self, key: tuple, lock_version: int, workflow):
        with self._lock:
            self._items[key] = (lock_version, workflow)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def holds(self, key: tuple, lock_version: int) -> bool:
        """Whether the next writer of this version gets its workflow without reading the row's state."""
        with self._lock:
            entry = self._items.get(key)
        return entry is not None and entry[0] == lock_version


live_workflows = LiveWorkflows()


def live_key(session, instance_id: int) -> tuple:
    """Instances are told apart by database too (tests and tools open several in one process)."""
    return (str(session.get_bind().url), instance_id)


def keep_after_commit(session, instance_id: int, lock_version: int, workflow):
    """Hand the saved workflow to the next writer once this transaction commits (forgotten on rollback)."""
    session.info.setdefault("saved_workflows", []).append((live_key(session, instance_id), lock_version, workflow))


def is_live(session, instance_id: int, lock_version: int) -> bool:
    """Whether this process keeps the instance's workflow at `lock_version` for its next writer."""
    return live_workflows.holds(live_key(session, instance_id), lock_version)


@event.listens_for(Session, "after_commit")
def _keep_saved_workflows(session):
    for key, lock_version, workflow in session.info.pop("saved_workflows", []):
        live_workflows.put(key, lock_version, workflow)


@event.listens_for(Session, "after_rollback")
def _forget_unsaved_workflows(session):
    session.info.pop("saved_workflows", None)
