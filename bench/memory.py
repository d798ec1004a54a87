"""A process's own peak memory, for the benches that print it."""

import resource
from pathlib import Path


def peak_rss_bytes() -> int:
    """This process's own peak RSS: VmHWM (ru_maxrss would keep the parent's peak across fork and exec on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
