"""Soak of the production stack: submissions and classifications at fixed rates for minutes, then peak steps.

    python bench/soak.py [--rate 10] [--tasks-rate 5] [--seconds 300] [--warm-up 20] [--workers 4]
                         [--peak-rates 15 20 30] [--peak-seconds 30] [--senders 64] [--clerks 16] [--timeout 10]

Its own PostgreSQL cluster (fsync on, bench/pg.py), a database set up by `run.py init` with the bench staff,
gunicorn `app.wsgi:app` with `--workers` sync workers on 127.0.0.1 (bench/server.py). The load is open-loop
(bench/openloop.py): anonymous senders arrive at `--rate` a second (default 10/s = 600 a minute, 20 % above the
law's peak of 500 a minute, requirements §6), each GETs the portal's form and POSTs it with a 2 KB photo under a
name, phone and e-mail of its own; intake clerks arrive at `--tasks-rate`, each GETs /cong-viec, opens an open
classification task no other clerk took and completes it (forward to the lead agency) through the task's own
form. After the warm-up, the CPU of gunicorn and PostgreSQL per request is measured one request at a time: what
the planned load needs on a free machine, whatever share of it other work takes.

Printed for each minute of the `--seconds` and overall: submissions and task completions per second achieved;
p50/p95/p99 ms of each request kind (form GET, submission POST, inbox GET, task GET, task POST); errors (an
answer other than the expected one, a timeout, a refused form), which must be 0; arrivals that started more
than 100 ms late (the client pool was saturated); the load average and the CPU split (gunicorn, PostgreSQL,
the clients, other work on this shared machine). Then the peak headroom: the submission rate raised step by
step (`--peak-rates`, `--peak-seconds` each, clerks at the same rate), up to the step where a p95 passes
300 ms. Exit 1 when the soak missed its rates, its p95 limit or had an error.
"""

import argparse
import itertools
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.browser import Browser, form_with  # noqa: E402
from bench.cpu import tree_ticks  # noqa: E402
from bench.openloop import Pool, Record, Request  # noqa: E402
from bench.pg import Cluster, create_database, free_port  # noqa: E402
from bench.server import Gunicorn, provision, run_init, stack_env  # noqa: E402
from bench.soak_report import GIVE_UP, LIMIT_MS, Sampler, minute_rows, phase_line, summary  # noqa: E402

SUBMIT, COMPLETE = "submission", "task"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# every submission from another citizen: one sender's hundreds of cases would each be compared with his 200
# latest for a repeat (app/petitions/duplicates.py), a cost no real peak has
SENDERS = {"sender_name": "Người gửi {}", "sender_phone": "09{:08d}", "sender_email": "nguoi.gui.{}@example.vn"}


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=10, help="submissions a second (10 = 600 a minute)")
    parser.add_argument("--tasks-rate", type=float, default=5, help="classification tasks completed a second")
    parser.add_argument("--seconds", type=float, default=300, help="the soak, after the warm-up")
    parser.add_argument("--warm-up", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--peak-rates", type=float, nargs="*", default=[15, 20, 30], help="submissions a second")
    parser.add_argument("--peak-seconds", type=float, default=30)
    parser.add_argument("--senders", type=int, default=64, help="sender threads (the pool arrivals wait for)")
    parser.add_argument("--clerks", type=int, default=16, help="clerk threads")
    parser.add_argument("--timeout", type=float, default=10, help="seconds before a request counts as timed out")
    return parser.parse_args(argv)


def timed(record: Record, phase: str, kind: str, planned: float, call, expected) -> load.Answer | None:
    """One request, recorded; its answer when it is the expected one."""
    started = time.perf_counter()
    try:
        answer = call()
    except load.FAILURES as failure:
        record.request(Request(phase, kind, planned, time.perf_counter() - started, False, type(failure).__name__))
        return None
    ok = expected(answer)
    detail = "" if ok else f"HTTP {answer.status} " + "; ".join(load.FIELD_ERROR.findall(answer.text))
    record.request(Request(phase, kind, planned, answer.seconds, ok, detail.strip()))
    return answer if ok else None


class Submissions:
    """Anonymous senders: each thread a browser of its own that has read the form once."""

    def __init__(self, base: str, province: str, timeout: float, record: Record):
        self.base, self.province, self.timeout, self.record = base, province, timeout, record
        self.nonces = itertools.count(1)

    def prepare(self) -> load.Sender:
        sender = load.Sender(self.base, self.province, "soak")
        sender.browser.timeout = self.timeout
        sender.form = sender.read_form(sender.browser.get("/gui-phan-anh").text)
        return sender

    def job(self, sender: load.Sender, phase: str, planned: float) -> bool:
        browser = sender.browser
        page = timed(self.record, phase, "form", planned, lambda: browser.get("/gui-phan-anh"),
                     lambda a: a.status == 200)  # fmt: skip
        if page is None:
            return False
        number = next(self.nonces)
        fields, files = sender.fields(page.text, f"soak-{number:06d}")
        fields = [(name, SENDERS[name].format(number) if name in SENDERS else value) for name, value in fields]
        acknowledged = timed(self.record, phase, "submit", planned,
                             lambda: browser.post("/gui-phan-anh", fields, files),
                             lambda a: a.status == 302 and load.TRACKING.search(a.location) is not None)  # fmt: skip
        return acknowledged is not None


class Classifications:
    """Intake clerks: each thread logged in; an item is taken by one clerk only (the claims), as a team would."""

    def __init__(self, base: str, staff, timeout: float, record: Record):
        self.base, self.staff, self.timeout, self.record = base, staff, timeout, record
        self.claimed: set[int] = set()
        self.lock, self.accounts = threading.Lock(), itertools.cycle(staff.intake)

    def prepare(self) -> Browser:
        browser = Browser(self.base, self.timeout)
        with self.lock:
            username = next(self.accounts)
        load.log_in(browser, username, self.staff.password)
        return browser

    def claim(self, items: list[int]) -> int | None:
        with self.lock:
            item = next((i for i in items if i not in self.claimed), None)
            if item is not None:
                self.claimed.add(item)
            return item

    def job(self, browser: Browser, phase: str, planned: float) -> bool | None:
        inbox = timed(self.record, phase, "inbox", planned, lambda: browser.get("/cong-viec"),
                      lambda a: a.status == 200)  # fmt: skip
        if inbox is None:
            return False
        item = self.claim([int(i) for i in load.ITEM.findall(inbox.text)])
        if item is None:
            return None
        page = timed(self.record, phase, "task", planned, lambda: browser.get(f"/cong-viec/{item}"),
                     lambda a: a.status == 200 and 'name="decision"' in a.text)  # fmt: skip
        if page is None:
            return False
        form = form_with(page.text, "csrf_token", "decision", "lead_agency")
        fields = [(c.name, c.value) for c in form.controls.values() if c.kind == "hidden"]
        fields += [("decision", "forward"), ("lead_agency", self.staff.lead_agency)]
        multipart = "multipart" in form.enctype
        done = timed(self.record, phase, "complete", planned,
                     lambda: browser.post(f"/cong-viec/{item}", fields, multipart=multipart),
                     lambda a: a.status == 302 and a.location.split("?")[0].endswith("/cong-viec"))  # fmt: skip
        return done is not None


def costs(gunicorn: Gunicorn, postmaster: int, submissions: "Submissions", clerks: "Classifications",
          rates: dict, count: int = 20) -> str:  # fmt: skip
    """CPU of gunicorn and PostgreSQL per request, one request at a time: what a core carries on a free machine."""
    sender, browser = submissions.prepare(), clerks.prepare()
    item = clerks.claim([int(i) for i in load.ITEM.findall(browser.get("/cong-viec").text)])
    steps = {
        "form": lambda: browser_get(sender.browser, "/gui-phan-anh"),
        "submission": lambda: submissions.job(sender, "cost", 0.0),
        "inbox": lambda: browser_get(browser, "/cong-viec"),
        "task": lambda: browser_get(browser, f"/cong-viec/{item}"),
        "classification": lambda: clerks.job(browser, "cost", 0.0),
    }
    ms = {}
    for name, step in steps.items():
        before = tree_ticks([gunicorn.process.pid, postmaster])
        for _ in range(count):
            step()
        ms[name] = (tree_ticks([gunicorn.process.pid, postmaster]) - before) * 1000 / CLOCK_TICKS / count
    cores = (rates[SUBMIT] * ms["submission"] + rates[COMPLETE] * ms["classification"]) / 1000
    ceiling = (os.cpu_count() * 1000 - rates[COMPLETE] * ms["classification"]) / ms["submission"]
    return (f"CPU of gunicorn + PostgreSQL per request, {count} one at a time: form GET {ms['form']:.0f} ms,"
            f" inbox GET {ms['inbox']:.0f} ms, task GET {ms['task']:.0f} ms; a whole submission (GET + POST)"
            f" {ms['submission']:.0f} ms, a whole classification (inbox, task GET, POST) {ms['classification']:.0f}"
            f" ms; the planned load needs {cores:.2f} cores on a free machine, whose {os.cpu_count()} cores would"
            f" carry at most {ceiling:.0f} submissions/s alongside the clerks")  # fmt: skip


def browser_get(browser: Browser, path: str):
    answer = browser.get(path)
    if answer.status != 200:
        raise SystemExit(f"GET {path}: HTTP {answer.status}")


def run_phase(pools: dict[str, Pool], rates: dict[str, float], phase: str, seconds: float, sampler: Sampler,
              sample: float) -> tuple[float, list]:  # fmt: skip
    """Arrivals of every pool at its rate for `seconds`, the CPU sampled every `sample` seconds; waits for the
    last arrival to finish. Returns the phase's start and its samples."""
    start = time.monotonic() + 0.05
    dispatchers = [pool.dispatch(phase, rates[name], start, seconds) for name, pool in pools.items()]
    samples = sampler.during(start, seconds, sample)
    for dispatcher in dispatchers:
        dispatcher.join()
    for pool in pools.values():
        pool.drain()
    return start, samples


def headroom(pools: dict[str, Pool], args, record: Record, sampler: Sampler, passed: bool):
    """The submission rate raised step by step, clerks at their rate, until a step passes the limits."""
    print(f"peak headroom ({args.peak_seconds:.0f} s a step, clerks at {args.tasks_rate:g}/s alongside):")
    held = args.rate if passed else 0
    for rate in args.peak_rates:
        rates = {SUBMIT: rate, COMPLETE: args.tasks_rate}
        phase = f"peak {rate:g}/s"
        start, samples = run_phase(pools, rates, phase, args.peak_seconds, sampler, args.peak_seconds)
        line, over = phase_line(record, phase, start, args.peak_seconds, rates, samples[0], peak=True)
        print("  " + line, flush=True)
        if over:
            print(f"  a p95 above {LIMIT_MS} ms, an error or the rate missed at {rate:g} submissions/s", flush=True)
            break
        held = rate
    print(f"  held up to {held:g} submissions/s = {held * 60:.0f} a minute, {held * 60 / 500:.1f}× the law's peak"
          " of 500 a minute (requirements §6)", flush=True)  # fmt: skip


def main(argv=None) -> int:
    args = arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="pakn-soak."))
    cluster, gunicorn, pools = Cluster().start(), None, {}
    try:
        url = create_database(cluster.url(), "pakn_soak")
        env = stack_env(url, workdir)
        run_init(env)
        staff = provision(url, clerks=4)
        gunicorn = Gunicorn(env, args.workers, free_port(), workdir / "gunicorn.log").start()
        record = Record()
        submissions = Submissions(gunicorn.base, staff.province, args.timeout, record)
        classifications = Classifications(gunicorn.base, staff, args.timeout, record)
        pools = {
            SUBMIT: Pool(SUBMIT, args.senders, submissions.prepare, submissions.job, record, GIVE_UP),
            COMPLETE: Pool(COMPLETE, args.clerks, classifications.prepare, classifications.job, record, GIVE_UP),
        }
        sampler = Sampler([os.getpid(), cluster.postmaster_pid()])
        print(f"machine: {os.cpu_count()} cores, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())};"
              f" gunicorn {args.workers} sync workers, PostgreSQL fsync on, 127.0.0.1; client threads"
              f" {args.senders} senders + {args.clerks} clerks, timeout {args.timeout:.0f} s", flush=True)  # fmt: skip
        rates = {SUBMIT: args.rate, COMPLETE: args.tasks_rate}
        start, samples = run_phase(pools, rates, "warm-up", args.warm_up, sampler, args.warm_up)
        print(phase_line(record, "warm-up", start, args.warm_up, rates, samples[0])[0], flush=True)
        print(costs(gunicorn, cluster.postmaster_pid(), submissions, classifications, rates), flush=True)
        start, samples = run_phase(pools, rates, "soak", args.seconds, sampler, 60)
        print(f"soak: {args.rate:g} submissions/s ({args.rate * 60:.0f} a minute) + {args.tasks_rate:g} task"
              f" completions/s for {args.seconds:.0f} s, open loop", flush=True)  # fmt: skip
        print("\n".join(minute_rows(record, "soak", start, args.seconds, samples)), flush=True)
        lines, passed = summary(record, "soak", start, args.seconds, rates, samples)
        print("\n".join(lines), flush=True)
        if args.peak_rates:
            headroom(pools, args, record, sampler, passed)
        print(f"load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        return 0 if passed else 1
    finally:
        for pool in pools.values():
            pool.close()
        if gunicorn is not None:
            gunicorn.stop()
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
