"""CPU accounting for the benches on a shared machine: the whole machine, and the processes of one bench.

Other work on the machine (another test run) takes cores from the stack under test; the benches print how much
of the CPU their own processes used, so a figure can be read per core actually used.
"""

import os
from pathlib import Path


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of every core since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def _stat(pid: str, exited: bool = False) -> tuple[int, int] | None:
    """(parent pid, user+system jiffies) of a live process; with `exited`, those of its children that have exited
    and were waited for as well (cutime, cstime)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    rest = text[text.rfind(")") + 2 :].split()  # the name in parentheses may hold spaces
    return int(rest[1]), sum(int(x) for x in rest[11 : 15 if exited else 13])


def tree_ticks(roots: list[int], exited: bool = False) -> int:
    """User+system jiffies used so far by the live processes under `roots` (the roots included)."""
    stats = {int(pid): s for pid in os.listdir("/proc") if pid.isdigit() and (s := _stat(pid, exited)) is not None}
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in stats.items():
        children.setdefault(parent, []).append(pid)
    total, todo = 0, [r for r in roots if r in stats]
    while todo:
        pid = todo.pop()
        total += stats[pid][1]
        todo += children.get(pid, [])
    return total


def tree_seconds(root: int) -> float:
    """CPU seconds used so far by the process tree under `root`, with the children that have exited (a
    PostgreSQL backend that closed its connection is counted in its postmaster's cutime and cstime)."""
    return tree_ticks([root], exited=True) / os.sysconf("SC_CLK_TCK")


class Meter:
    """CPU over an interval: the machine's busy share, and the share of the bench's own processes."""

    def __init__(self, roots: list[int]):
        self.roots = roots
        (self.busy, self.total), self.mine = machine_ticks(), [tree_ticks([root]) for root in roots]

    def shares(self) -> tuple[float, float]:
        """(machine busy, this bench's processes) in % of all cores since the meter started."""
        busy, parts = self.parts()
        return busy, sum(parts)

    def parts(self) -> tuple[float, list[float]]:
        """(machine busy, [share of the processes under each root]) in % of all cores since the meter started."""
        (busy, total), mine = machine_ticks(), [tree_ticks([root]) for root in self.roots]
        span = max(1, total - self.total)
        return 100 * (busy - self.busy) / span, [100 * (m - m0) / span for m, m0 in zip(mine, self.mine, strict=True)]
