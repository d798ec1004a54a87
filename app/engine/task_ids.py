"""Task ids that compress: SpiffWorkflow names each task with a random uuid4, and a finished petition's state
mentions 43 of them 174 times — 32 random hex digits each, a third of the compressed state. Here a process draws
one random 74-bit prefix and numbers its tasks after it, so an instance's ids differ only in their last digits.

They stay UUIDs (RFC 9562 version 8, "custom"), unique: the prefix is drawn again in every new process (a forked
worker included), and within a process the counter never repeats. States written before keep their ids. Being
guessable costs nothing: no page or link names a task by its id (work items are addressed by their own id, checked).
"""

import itertools
import os
import secrets
from uuid import UUID

import SpiffWorkflow.task as spiff_task

_COUNTER_BITS = 48  # the UUID's last 12 hex digits: the only ones that change from task to task
_VERSION_8 = 0x8 << 76
_VARIANT = 0b10 << 62


class _Numbering:
    def __init__(self):
        self.start()

    def start(self):
        prefix = secrets.randbits(74)
        hi, mid, lo = prefix >> 26, (prefix >> 14) & 0xFFF, prefix & 0x3FFF
        self.base = (hi << 80) | _VERSION_8 | (mid << 64) | _VARIANT | (lo << _COUNTER_BITS)
        self.counter = itertools.count(1)  # next() on a count is atomic under the GIL: threads never share a number

    def next_id(self) -> UUID:
        return UUID(int=self.base | next(self.counter))


_numbering = _Numbering()
os.register_at_fork(after_in_child=_numbering.start)  # a forked worker must not repeat its parent's ids


def next_task_id() -> UUID:
    """A new task's id: this process's prefix, then the next number."""
    return _numbering.next_id()


spiff_task.uuid4 = next_task_id  # Task.__init__ calls the module's uuid4 for every task it creates
