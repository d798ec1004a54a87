"""Crash safety of the production stack: kill gunicorn workers, then the whole server, under load; check.

    python bench/crash.py [--quick] [--workers 4] [--senders 6] [--clerks 2] [--rounds 3] [--seconds 30] [--kills 4]
                          [--database-url postgresql+psycopg://…/postgres]   (an existing server: no database crash)

Its own PostgreSQL cluster (fsync on, synchronous commit) on 127.0.0.1; a fresh database set up by
`run.py init`; the province's intake office, a lead agency and intake clerks created through the domain
operations; gunicorn `app.wsgi:app` (PAKN_ENV=production, scheduler off). Each round: anonymous senders post the
portal's form and clerks classify the new cases (forward) while workers are SIGKILLed one at a time, each when
POSTs are under way; then the master and every worker are SIGKILLed and, at the same moment, the database is
stopped without a checkpoint (WAL recovery at restart); both are restarted. After the last round one more
submission and completion must succeed, and bench/integrity.py compares the database with what the clients
were told. Exit 1 if anything acknowledged is missing or any case is half-advanced.
"""

import argparse
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load  # noqa: E402
from bench.integrity import check  # noqa: E402
from bench.pg import Cluster, create_database, drop_database, free_port  # noqa: E402
from bench.server import Gunicorn, provision, run_init, stack_env  # noqa: E402


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a short run for the test suite (~15 s of load)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--senders", type=int, default=6, help="anonymous sender threads")
    parser.add_argument("--clerks", type=int, default=2, help="intake clerk threads")
    parser.add_argument("--rounds", type=int, default=3, help="load, kills, crash and restart: how many times")
    parser.add_argument("--seconds", type=float, default=30, help="load of a round before the whole server is killed")
    parser.add_argument("--kills", type=int, default=4, help="single workers SIGKILLed during a round's load")
    parser.add_argument("--database-url", help="use this server (a new database on it) instead of an own cluster")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.kills, args.senders = min(args.seconds, 12), min(args.kills, 1), min(args.senders, 4)
        args.rounds = 1
    return args


def run_load(gunicorn: Gunicorn, cluster: Cluster | None, staff, args, tally: load.Tally):
    """Senders and clerks under way; workers killed one by one; then the server (and database) crash."""
    stop = threading.Event()
    base = gunicorn.base
    threads = [load.start(load.sender, base, stop, tally, staff.province, "crash") for _ in range(args.senders)]
    for number in range(args.clerks):
        username = staff.intake[number % len(staff.intake)]
        clerk = (username, staff.password, staff.lead_agency, number, args.clerks)
        threads.append(load.start(load.clerk, base, stop, tally, *clerk))
    pause = args.seconds / (args.kills + 1)
    for _ in range(args.kills):
        time.sleep(pause)
        posts = _when_posting(tally, args.workers)
        print(f"  {time.strftime('%X')} SIGKILL worker {gunicorn.kill_worker()} with {posts} POSTs under way"
              f" ({_progress(tally)})", flush=True)  # fmt: skip
    time.sleep(pause)
    posts = _when_posting(tally, args.workers)
    crash = " + database crash" if cluster else ""
    print(f"  {time.strftime('%X')} SIGKILL master and workers{crash} with {posts} POSTs under way", flush=True)
    gunicorn.kill_all()
    if cluster is not None:
        cluster.crash()
    stop.set()
    for thread in threads:
        thread.join(timeout=70)
    print(f"  clients stopped ({_progress(tally)})", flush=True)


def _when_posting(tally: load.Tally, workers: int) -> int:
    """Wait (5 s at most) until POSTs are under way on at least half the workers, then a random few ms more, so
    that kills land at every point of a request: reading it, running the engine, writing, committing."""
    deadline = time.monotonic() + 5
    while tally.in_flight < max(1, workers // 2) and time.monotonic() < deadline:
        time.sleep(0.002)
    time.sleep(random.uniform(0, 0.15))
    return tally.in_flight


def _progress(tally: load.Tally) -> str:
    acked = sum(o.acknowledged for o in tally.of("submit"))
    done = sum(o.acknowledged for o in tally.of("complete"))
    return f"{acked} submissions, {done} completions acknowledged so far"


def after_restart(gunicorn: Gunicorn, staff) -> list[str]:
    """The restarted stack takes a new submission and a completion: problems, [] when it does."""
    tally = load.Tally()
    submitted = load.submit_once(load.Sender(gunicorn.base, staff.province, "after"), tally)
    clerk = load.Browser(gunicorn.base)
    load.log_in(clerk, staff.intake[0], staff.password)
    items, _ = load.inbox_items(clerk)
    completed = load.classify_forward(clerk, tally, items[0], staff.lead_agency) if items else None
    problems = [] if submitted and submitted.acknowledged else [f"submission after restart: {submitted}"]
    return problems + ([] if completed and completed.acknowledged else [f"completion after restart: {completed}"])


def main(argv=None) -> int:
    args = arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="pakn-crash."))
    cluster = None if args.database_url else Cluster().start()
    server_url = args.database_url or cluster.url()
    database = f"pakn_crash_{free_port()}"
    gunicorn = None
    started = time.monotonic()
    try:
        url = create_database(server_url, database)
        env = stack_env(url, workdir)
        run_init(env)
        staff = provision(url, clerks=max(1, args.clerks))
        gunicorn = Gunicorn(env, args.workers, free_port(), workdir / "gunicorn.log").start()
        database_kind = "fsync on (own cluster)" if cluster else "given server"
        print(f"stack up in {time.monotonic() - started:.0f} s: gunicorn {args.workers} workers, PostgreSQL "
              f"{database_kind}, province {staff.province}", flush=True)  # fmt: skip
        tally = load.Tally()
        for number in range(1, args.rounds + 1):
            print(f"round {number}:", flush=True)
            run_load(gunicorn, cluster, staff, args, tally)
            if cluster is not None:
                cluster.start()  # crash recovery from the WAL
            gunicorn.start()
        problems = after_restart(gunicorn, staff)
        report = check(url, tally, workdir / "uploads")
        print("crash test:", report.line())
        for line in report.half[:20] + problems:
            print("  PROBLEM", line)
        statuses = sorted({o.status for o in tally.outcomes if o.kind != "form" and o.status not in (302, None)})
        if not report.counts["acknowledged"] or not report.counts["completions acknowledged"]:
            problems.append("nothing acknowledged: the load did not work (see the answers above)")
        refusals = {o.detail for o in tally.of("submit") if o.status == 422}
        problems += [f"submission refused: {detail}" for detail in sorted(refusals)[:3]]
        print(f"other answers seen: {statuses or 'none'}; run time {time.monotonic() - started:.0f} s")
        bad = report.counts["missing"] or report.counts["completions missing"] or report.half or problems
        return 1 if bad else 0
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        if cluster is not None:
            cluster.stop()
        else:
            drop_database(server_url, database)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
