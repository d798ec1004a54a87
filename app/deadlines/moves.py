"""The moves of a recompute plan, stored compactly: 100,000 cases make some 500,000 of them.

Each move is five integers (petition, instance, row, instants before and after in microseconds since the epoch)
and one small number naming its (step, what); a `Move` object is made only when one is read.
"""

from array import array
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
WIDTH = 5  # integers per move
INSTANCE = (1 << 32) - 1  # a case key is petition << 32 | instance


@dataclass(slots=True)
class Move:
    """One instant that changes: a step's deadline, a waiting timer, or a task's due date."""

    petition_id: int
    instance_id: int
    step: str
    what: str  # "deadline", "timer", "task"
    row_id: int
    before: datetime
    after: datetime


def _micro(instant: datetime) -> int:
    return (instant - EPOCH) // timedelta(microseconds=1)


def _instant(micro: int) -> datetime:
    return EPOCH + timedelta(microseconds=micro)


class Moves:
    """A list of moves (append, len, iterate, index) in a fraction of the memory of Move objects."""

    def __init__(self, moves=()):
        self._numbers = array("q")
        self._kinds = array("H")
        self._labels: list[tuple[str, str]] = []  # (step, what) by number
        self._label_of: dict[tuple[str, str], int] = {}
        for move in moves:
            self.append(move)

    def append(self, move: Move):
        label = (move.step, move.what)
        kind = self._label_of.get(label)
        if kind is None:
            kind = self._label_of[label] = len(self._labels)
            self._labels.append(label)
        self._kinds.append(kind)
        self._numbers.extend((move.petition_id, move.instance_id, move.row_id, _micro(move.before), _micro(move.after)))

    def __len__(self) -> int:
        return len(self._kinds)

    def __getitem__(self, index: int) -> Move:
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        index %= len(self)
        petition_id, instance_id, row_id, before, after = self._numbers[index * WIDTH : (index + 1) * WIDTH]
        step, what = self._labels[self._kinds[index]]
        return Move(petition_id, instance_id, step, what, row_id, _instant(before), _instant(after))

    def __iter__(self):
        for index in range(len(self)):
            yield self[index]

    def __eq__(self, other) -> bool:
        return list(self) == list(other)

    def cases(self, what: str | None = None) -> list[tuple[int, int]]:
        """(petition, instance) of each move (of `what` only, when given), without making Move objects."""
        numbers, wanted = self._numbers, {k for k, (_, w) in enumerate(self._labels) if what in (None, w)}
        return [(numbers[i * WIDTH], numbers[i * WIDTH + 1]) for i, kind in enumerate(self._kinds) if kind in wanted]

    def case_keys(self) -> array:
        """petition << 32 | instance of each move, in order: one integer a move."""
        numbers = self._numbers
        return array("q", ((numbers[i] << 32) | numbers[i + 1] for i in range(0, len(numbers), WIDTH)))

    def count(self, what: str) -> int:
        wanted = {k for k, (_, w) in enumerate(self._labels) if w == what}
        return sum(1 for kind in self._kinds if kind in wanted)

    def rows(self, what: str):
        """(row id, instant after) of the moves of `what`, without making Move objects."""
        numbers, wanted = self._numbers, {k for k, (_, w) in enumerate(self._labels) if w == what}
        for i, kind in enumerate(self._kinds):
            if kind in wanted:
                yield numbers[i * WIDTH + 2], _instant(numbers[i * WIDTH + 4])
