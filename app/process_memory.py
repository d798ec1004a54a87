"""Once a process has started (a gunicorn worker, a scheduler), what it loaded lives as long as it does."""

import gc


def settle_start_up():
    """Move every object alive now (modules, mappers, the calendar, parsed models) out of the cyclic collector's
    sight (gc.freeze): none of it is ever garbage, and each full collection walked all of it again (a fifth of a
    timer worker's CPU, bench/timers.py). Called once per process, after start-up; never in tests, which build
    and drop whole apps."""
    gc.collect()
    gc.freeze()
