"""Open-loop load: arrivals at a fixed rate, each handed to a pool of client threads, whatever the server's pace.

A closed-loop client waits for its answer before its next request, so a slow server is asked less and looks
better than it is. Here a dispatcher thread puts arrival i on a queue at start + i / rate; a free client thread
takes it and runs one job (a submission, a task completion). An arrival that waited for a free thread started
late: its lag (start minus planned instant) is recorded, so a saturated client pool shows instead of hiding.
"""

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Request:
    """One HTTP request of an arrival: its kind, how long the answer took, whether it was the expected one."""

    phase: str
    kind: str
    planned: float  # the arrival's planned instant (time.monotonic)
    seconds: float
    ok: bool
    detail: str = ""


@dataclass
class Arrival:
    phase: str
    job: str  # the pool's name
    planned: float
    lag: float  # seconds between the planned instant and a client thread starting it
    done: bool  # its last request got the expected answer
    idle: bool = False  # nothing to do (a clerk found no open item): neither done nor an error
    shed: bool = False  # not started at all: it waited for a client thread longer than the pool's give_up
    finished: float = field(default_factory=time.monotonic)  # when its last answer came (the rate achieved)


@dataclass
class Record:
    """Every request and arrival of every client thread, thread-safe."""

    requests: list[Request] = field(default_factory=list)
    arrivals: list[Arrival] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, request: Request):
        with self.lock:
            self.requests.append(request)

    def arrival(self, arrival: Arrival):
        with self.lock:
            self.arrivals.append(arrival)

    def of(self, phase: str, since: float = float("-inf"), until: float = float("inf")):
        """(requests, arrivals) of a phase planned within [since, until)."""
        with self.lock:
            requests = [r for r in self.requests if r.phase == phase and since <= r.planned < until]
            arrivals = [a for a in self.arrivals if a.phase == phase and since <= a.planned < until]
        return requests, arrivals


class Pool:
    """`size` client threads, each with a state of its own made by `prepare()` (a browser, logged in or with the
    form read) before any arrival; `job(state, phase, planned)` returns True (done), False (failed) or None
    (nothing to do). An arrival still waiting `give_up` seconds after its planned instant is dropped (a failure):
    an overloaded server then ends its run in bounded time."""

    def __init__(self, name: str, size: int, prepare: Callable, job: Callable, record: Record, give_up: float = 30):
        self.name, self.job, self.record, self.give_up = name, job, record, give_up
        self.queue: queue.Queue = queue.Queue()
        self.ready = threading.Barrier(size + 1)
        self.threads = [threading.Thread(target=self._work, args=(prepare,), daemon=True) for _ in range(size)]
        for thread in self.threads:
            thread.start()
        self.ready.wait(timeout=300)

    def _work(self, prepare: Callable):
        state = prepare()
        self.ready.wait()
        while (item := self.queue.get()) is not None:
            phase, planned = item
            lag = time.monotonic() - planned
            if lag > self.give_up:
                self.queue.task_done()
                self.record.arrival(Arrival(phase, self.name, planned, lag, False, shed=True))
                continue
            try:
                done = self.job(state, phase, planned)
            except Exception:  # a bench bug or a page it cannot read: a failed arrival, the thread goes on
                done = False
            finally:
                self.queue.task_done()
            self.record.arrival(Arrival(phase, self.name, planned, lag, bool(done), done is None))

    def dispatch(self, phase: str, rate: float, start: float, seconds: float) -> threading.Thread:
        """Arrivals of `phase` at `rate` per second from `start` for `seconds`, from a thread of their own."""

        def arrivals():
            number = 0
            while rate > 0 and (planned := start + number / rate) < start + seconds:
                time.sleep(max(0.0, planned - time.monotonic()))
                self.queue.put((phase, planned))
                number += 1

        thread = threading.Thread(target=arrivals, daemon=True)
        thread.start()
        return thread

    def drain(self):
        """Until every arrival queued so far is finished."""
        self.queue.join()

    def close(self):
        for _ in self.threads:
            self.queue.put(None)
