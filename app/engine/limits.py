"""Bounds of one engine run: processor time, automatic steps, and the size of what its scripts may build.

A run is what one operation asks of the engine (start an instance, complete a task, fire timers). Model
scripts are untrusted: a loop, a huge number or a model looping through script tasks must end the operation
with a clear error in bounded time, before anything is stored.
"""

import gc
import time
from contextlib import contextmanager
from contextvars import ContextVar

MAX_SECONDS = 2.0  # processor time of the run's thread; the product's runs take milliseconds
MAX_STEPS = 1_000  # automatic steps (script tasks, gateways, events) per run; a whole case takes about 40
MAX_ITEMS = 1_000_000  # characters or items one script operation may build (and the length of a range)
MAX_BUILT = 20_000_000  # characters and items all scripts of one run may build: bounds memory, not just time
MAX_INT_BITS = 100_000  # about 30,000 decimal digits: far beyond any deadline arithmetic
MAX_TASK_DATA = 10_000_000  # characters and items of a task's data after a script (what gets stored)

_current: ContextVar["Budget"] = ContextVar("engine_budget")


class ScriptLimitExceeded(BaseException):
    """A script or the run went beyond a bound. A BaseException so that `except Exception` in a script cannot
    swallow it; the engine turns it into a StepFailed naming the element."""

    def __init__(self, message: str, bpmn_id: str | None = None):
        super().__init__(message)
        self.bpmn_id = bpmn_id


class Budget:
    """The time, steps and building left to one engine run."""

    def __init__(self, seconds: float | None = None, steps: int | None = None, built: int | None = None):
        # the module's bounds are read now, not when this module was imported
        seconds, steps, built = seconds or MAX_SECONDS, steps or MAX_STEPS, built or MAX_BUILT
        self.seconds, self.max_steps, self.max_built = seconds, steps, built
        # the thread's processor time, not the wall clock: a busy machine must not fail honest runs, and what a
        # run waits for (the database) has its own bound (the lock timeout, app/db.py)
        self.deadline = time.thread_time() + seconds
        self.steps = self.built = 0

    @contextmanager
    def active(self):
        """Make this the budget that scripts of this thread (and context) draw on."""
        token = _current.set(self)
        # the collector's passes over the whole process's heap are not the model's work: not charged to its run
        collecting = gc.isenabled()
        gc.disable()
        try:
            yield self
        finally:
            if collecting:
                gc.enable()
            _current.reset(token)

    def tick(self):
        """Raise once the run's time is up (one clock read: called in every loop and function of a script)."""
        if time.thread_time() > self.deadline:
            raise ScriptLimitExceeded(f"script took longer than {self.seconds:g} s (the limit of one engine run)")

    def charge(self, size: int):
        """Count what a script built; memory is bounded per run, not only per operation."""
        self.built += size
        if self.built > self.max_built:
            raise ScriptLimitExceeded(f"scripts built more than {self.max_built:,} characters or items in one run")

    def step(self, task):
        """Count an automatic step about to run; a model looping through script tasks ends here."""
        self.steps += 1
        if self.steps > self.max_steps:
            raise ScriptLimitExceeded(
                f"more than {self.max_steps:,} automatic steps in one run (a loop without a user task or timer?)",
                task.task_spec.bpmn_id,
            )
        if time.thread_time() > self.deadline:
            raise ScriptLimitExceeded(
                f"the engine run took longer than {self.seconds:g} s (the limit of one engine run)",
                task.task_spec.bpmn_id,
            )


def tick():
    """The current run's clock check (compiled into every loop body and function of a script)."""
    _current.get().tick()


def charge(size: int):
    """Count `size` characters or items built by a script against the current run."""
    _current.get().charge(size)


def too_large(what: str, size: int, limit: int = MAX_ITEMS) -> ScriptLimitExceeded:
    """The error for a value beyond a size bound, raised before the value is built."""
    return ScriptLimitExceeded(f"{what} would be too large ({size:,} > {limit:,})")


def weight(value, limit: int) -> int:
    """Characters and items of `value` counted through nested containers (shared parts each time, as storing
    or printing them would), stopping once past `limit`; a cycle counts as too large."""
    total, stack = 0, [value]
    while stack:
        item = stack.pop()
        total += 1
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            stack.extend(item)
        if total > limit:
            return total
    return total
