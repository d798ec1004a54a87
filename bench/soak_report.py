"""The figures of bench/soak.py: CPU samples of the shared machine, rows per minute, the overall summary."""

import math
import os
import statistics
import time
from collections import Counter
from dataclasses import dataclass

from bench.cpu import Meter
from bench.openloop import Record

LIMIT_MS = 300  # issue 18: p95 of every request kind
GIVE_UP = 30  # seconds an arrival may wait for a client thread before it is dropped
LATE = 0.1  # an arrival started this much after its planned instant waited for a client thread
KINDS = {"form": "form GET", "submit": "submission POST", "inbox": "inbox GET", "task": "task GET",
         "complete": "task POST"}  # fmt: skip
JOBS = ("submission", "task")


@dataclass
class Sample:
    """CPU over one window in % of all cores, and the load average at its end."""

    busy: float
    gunicorn: float
    database: float
    clients: float
    load: float

    @property
    def other(self) -> float:
        return max(0.0, self.busy - self.gunicorn - self.database - self.clients)  # ticks sampled apart: never < 0

    def line(self) -> str:
        return (f"load {self.load:4.1f}  CPU busy {self.busy:3.0f}%: gunicorn {self.gunicorn:3.0f}%, PostgreSQL"
                f" {self.database:3.0f}%, clients {self.clients:3.0f}%, other work {self.other:3.0f}%")  # fmt: skip


class Sampler:
    """CPU of the machine and of the bench's process trees: `roots` are this process (the clients, gunicorn
    under it) and the PostgreSQL postmaster."""

    def __init__(self, roots: list[int]):
        self.roots = roots

    def during(self, start: float, seconds: float, every: float) -> list[Sample]:
        time.sleep(max(0.0, start - time.monotonic()))
        samples, end = [], start + seconds
        while (now := time.monotonic()) < end - 0.5:
            meter, cpu = Meter(self.roots), time.process_time()
            time.sleep(max(0.0, min(now + every, end) - time.monotonic()))
            wall, (busy, (tree, database)) = time.monotonic() - now, meter.parts()
            clients = 100 * (time.process_time() - cpu) / wall / os.cpu_count()
            samples.append(Sample(busy, tree - clients, database, clients, os.getloadavg()[0]))
        return samples or [Sample(0, 0, 0, 0, os.getloadavg()[0])]


def percentile(values: list[float], p: int) -> float:
    if len(values) < 2:
        return (values or [0.0])[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


@dataclass
class Window:
    """The requests and arrivals of a phase planned within [since, since + seconds)."""

    seconds: float
    requests: list
    arrivals: list

    finished: list  # arrivals done within the window, whenever planned

    @classmethod
    def of(cls, record: Record, phase: str, since: float, seconds: float) -> "Window":
        requests, arrivals = record.of(phase, since, since + seconds)
        with record.lock:  # any phase's: the tail of the one before makes up for this one's tail after the end
            done = [a for a in record.arrivals if a.done and since <= a.finished < since + seconds]
        return cls(seconds, requests, arrivals, done)

    def ms(self, kind: str) -> list[float]:
        return [r.seconds * 1000 for r in self.requests if r.kind == kind and r.ok]

    def p(self, kind: str, p: int) -> float:
        return percentile(self.ms(kind), p)

    def rate(self, job: str) -> float:
        """Arrivals of `job` done per second within the window (an overloaded server falls short of the plan)."""
        return sum(a.job == job for a in self.finished) / self.seconds

    def errors(self, kind: str | None = None) -> int:
        if kind is None:  # every failed arrival (a failed request, or a page the bench could not read)
            return sum(not a.done and not a.idle for a in self.arrivals)
        return sum(r.kind == kind and not r.ok for r in self.requests)

    def late(self) -> list[float]:
        return [a.lag for a in self.arrivals if a.lag > LATE]

    def over(self) -> list[str]:
        """The kinds whose p95 passes the limit."""
        return [kind for kind in KINDS if self.p(kind, 95) > LIMIT_MS]


def minute_rows(record: Record, phase: str, start: float, seconds: float, samples: list[Sample]) -> list[str]:
    rows = ["minute subs/s tasks/s | p95 ms: form submit inbox  task  done | errors late | machine"]
    for number in range(math.ceil(seconds / 60)):
        window = Window.of(record, phase, start + 60 * number, min(60, seconds - 60 * number))
        p95 = " ".join(f"{window.p(kind, 95):5.0f}" for kind in KINDS)
        sample = samples[min(number, len(samples) - 1)]
        rows.append(f"{number + 1:>6} {window.rate(JOBS[0]):6.2f} {window.rate(JOBS[1]):7.2f} |        {p95} |"
                    f" {window.errors():6d} {len(window.late()):4d} | {sample.line()}")  # fmt: skip
    return rows


def summary(record: Record, phase: str, start: float, seconds: float, rates: dict, samples: list[Sample]):
    """The overall lines and whether the soak held: rates achieved, every p95 within the limit, no error."""
    window = Window.of(record, phase, start, seconds)
    lines = [f"overall {seconds:.0f} s: {window.rate(JOBS[0]):.2f} submissions/s ({window.rate(JOBS[0]) * 60:.0f} a"
             f" minute) and {window.rate(JOBS[1]):.2f} task completions/s achieved",
             "  request          count    p50    p95    p99    max  errors"]  # fmt: skip
    for kind, label in KINDS.items():
        ms = window.ms(kind)
        lines.append(f"  {label:<15} {len(ms):6d} {percentile(ms, 50):6.0f} {percentile(ms, 95):6.0f}"
                     f" {percentile(ms, 99):6.0f} {max(ms or [0]):6.0f} {window.errors(kind):7d}")  # fmt: skip
    failures = Counter(f"{r.kind}: {r.detail}" for r in window.requests if not r.ok)
    lines += [f"  error {count}× {detail}" for detail, count in failures.most_common(5)]
    late, lags = window.late(), [a.lag * 1000 for a in window.arrivals]
    idle = sum(a.idle for a in window.arrivals)
    mean = Sample(*(statistics.fmean(getattr(s, f) for s in samples)
                    for f in ("busy", "gunicorn", "database", "clients", "load")))  # fmt: skip
    shed = sum(a.shed for a in window.arrivals)
    whole = {job: [(a.finished - a.planned) * 1000 for a in window.arrivals if a.job == job and a.done] for job in JOBS}
    stack = (mean.gunicorn + mean.database) * os.cpu_count() / 100
    lines += [f"  errors {window.errors()} (of them {shed} arrivals dropped after waiting {GIVE_UP:.0f} s for a client"
              f" thread); arrivals started > {LATE * 1000:.0f} ms late {len(late)} of {len(window.arrivals)} (lag p99"
              f" {percentile(lags, 99):.0f} ms, max {max(lags or [0]):.0f} ms); clerk arrivals with no item {idle}",
              "  whole arrival, planned instant to last answer (any wait for a client thread included): "
              + "; ".join(f"{job} p50 {percentile(ms, 50):.0f} p95 {percentile(ms, 95):.0f} p99"
                          f" {percentile(ms, 99):.0f} ms" for job, ms in whole.items()),
              f"  mean {mean.line()}",
              f"  the stack (gunicorn + PostgreSQL) used {stack:.2f} of {os.cpu_count()} cores; the clients' process"
              f" {mean.clients * os.cpu_count():.0f}% of one core (its limit: one interpreter)"]  # fmt: skip
    held = [window.rate(job) >= 0.98 * rates[job] for job in JOBS]
    passed = all(held) and not window.over() and window.errors() == 0
    verdict = "held" if passed else "NOT held"
    lines.append(f"  {verdict}: rates {'achieved' if all(held) else 'missed'}, p95 over {LIMIT_MS} ms:"
                 f" {', '.join(KINDS[k] for k in window.over()) or 'none'}, errors {window.errors()}")  # fmt: skip
    return lines, passed


def phase_line(record: Record, phase: str, start: float, seconds: float, rates: dict, sample: Sample,
               peak: bool = False) -> tuple[str, bool]:  # fmt: skip
    """One line for a short phase; True when a p95 passed the limit, an arrival failed or the rate was missed."""
    window = Window.of(record, phase, start, seconds)
    p95 = ", ".join(f"{kind} {window.p(kind, 95):.0f}" for kind in KINDS)
    achieved = window.rate(JOBS[0])
    head = f"{rates[JOBS[0]]:g}/s ({rates[JOBS[0]] * 60:.0f} a minute):" if peak else f"{phase} {seconds:.0f} s:"
    over = bool(window.over()) or window.errors() > 0 or achieved < 0.95 * rates[JOBS[0]]
    return (f"{head} achieved {achieved:.2f} submissions/s + {window.rate(JOBS[1]):.2f} completions/s; p95 ms"
            f" {p95}; errors {window.errors()}; late {len(window.late())}; {sample.line()}"), over  # fmt: skip
