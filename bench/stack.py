"""Throughput of the production stack on this machine: submissions through gunicorn, timers by the scheduler.

    python bench/stack.py [--quick] [--workers 2 4] [--clients 4 16 32] [--seconds 20] [--backlog 1000]

Its own PostgreSQL cluster (durable settings, as production), a database set up by `run.py init` and the bench
staff (bench/server.py). For each gunicorn size and each number of client threads: the senders post the portal's
form (GET the form, POST it with a photo) for a warm-up, then for `--seconds`; printed: acknowledged submissions
per second, p50/p95 of the POST and of the form's GET, and the CPU: the machine's, the stack's (gunicorn and
PostgreSQL), the clients', other work's (the machine is shared), hence submissions per second per core used.
Then the intake inbox with every case open; `--published` cases taken to publication (bench/case_size.py);
and the scheduler: timers of `--backlog` cases are made due (their rows' due_at set in the past, as if the
server had been down), and 1, then 2, `run.py scheduler` processes fire them (each run on cases of its own);
printed: timers and cases per second from the audit entries they wrote.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select, update  # noqa: E402

from app.audit.data import audit_data  # noqa: E402
from app.audit.models import AuditEntry  # noqa: E402
from app.db import make_engine, utcnow  # noqa: E402
from app.engine.models import ProcessInstance, Timer  # noqa: E402
from bench import load  # noqa: E402
from bench.case_size import publish_cases, row_bytes  # noqa: E402
from bench.cpu import Meter  # noqa: E402
from bench.pg import Cluster, create_database, free_port  # noqa: E402
from bench.server import ROOT, Gunicorn, provision, run_init, stack_env  # noqa: E402

WARM_UP = 3.0


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one short window per size (a smoke run)")
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--clients", type=int, nargs="+", default=[4, 16, 32])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--backlog", type=int, default=1000, help="cases whose timers each scheduler run fires")
    parser.add_argument("--schedulers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--published", type=int, default=200, help="cases taken to publication to measure them")
    args = parser.parse_args(argv)
    if args.quick:
        args.seconds, args.backlog, args.clients, args.published = 5, 100, args.clients[:1], 20
    return args


def percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1] if len(values) > 1 else (values or [0.0])[0]


def window(base: str, province: str, clients: int, seconds: float, roots: list[int]) -> str:
    """Senders for a warm-up then `seconds`; the line of figures for the measured part."""
    tally, stop = load.Tally(), threading.Event()
    threads = [load.start(load.sender, base, stop, tally, province, "stack") for _ in range(clients)]
    time.sleep(WARM_UP)
    start, meter, cpu0 = time.monotonic(), Meter(roots), time.process_time()
    time.sleep(seconds)
    end, (busy, (bench, database)), cpu1 = time.monotonic(), meter.parts(), time.process_time()
    mine = bench + database
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    inside = [o for o in tally.outcomes if start <= o.at < end]
    posts = [o.seconds for o in inside if o.kind == "submit" and o.acknowledged]
    forms = [o.seconds for o in inside if o.kind == "form"]
    errors = sum(o.kind == "submit" and not o.acknowledged for o in inside)
    clients_cpu = 100 * (cpu1 - cpu0) / (end - start) / os.cpu_count()
    rate = len(posts) / (end - start)
    p50, p95, form = (percentile(posts, 50) * 1000, percentile(posts, 95) * 1000, percentile(forms, 50) * 1000)
    per_core = rate / max(0.01, (mine - clients_cpu) / 100 * os.cpu_count())
    return (
        f"{clients:>3} clients: {rate:5.1f} submissions/s  POST p50 {p50:4.0f} ms p95 {p95:4.0f} ms  form GET p50"
        f" {form:4.0f} ms  CPU busy {busy:3.0f}%: gunicorn {bench - clients_cpu:2.0f}% + PostgreSQL {database:2.0f}%,"
        f" clients {clients_cpu:2.0f}%,"
        f" other work {busy - mine:2.0f}%  => {per_core:4.1f}/s per core used  not acknowledged {errors}"
    )


def inbox_time(base: str, staff) -> str:
    clerk = load.Browser(base)
    load.log_in(clerk, staff.intake[0], staff.password)
    times, rows = [], 0
    for _ in range(5):
        items, answer = load.inbox_items(clerk)
        times.append(answer.seconds)
        rows = len(items)
    return f"intake inbox (/cong-viec) with {rows} open items: median {statistics.median(times) * 1000:.0f} ms"


def make_due(engine, instance_ids: list[int]) -> int:
    """The waiting timers of these cases fall due: their rows' due_at an hour ago (the table is authoritative)."""
    with engine.begin() as connection:
        rows = connection.execute(
            update(Timer).where(Timer.instance_id.in_(instance_ids)).values(due_at=utcnow() - timedelta(hours=1))
        )
    return rows.rowcount


def fire_backlog(engine, env: dict, instance_ids: list[int], processes: int, workdir: Path, roots: list[int]) -> str:
    """`processes` schedulers on the backlog of these cases, until no timer of them is due."""
    timers = make_due(engine, instance_ids)
    since, meter = utcnow(), Meter(roots)
    log = (workdir / f"scheduler-{processes}.log").open("ab")
    schedulers = [
        subprocess.Popen([sys.executable, "run.py", "scheduler"], cwd=ROOT, env=env, stdout=log, stderr=log)
        for _ in range(processes)
    ]
    started = time.monotonic()
    due = select(func.count(Timer.id)).where(Timer.instance_id.in_(instance_ids), Timer.due_at < since)
    try:
        with engine.connect() as connection:
            while connection.execute(due).scalar() and time.monotonic() - started < 600:
                connection.rollback()
                time.sleep(0.25)
        wall, (busy, mine) = time.monotonic() - started, meter.shares()  # before the schedulers exit
    finally:
        for scheduler in schedulers:
            scheduler.send_signal(signal.SIGTERM)
        for scheduler in schedulers:
            scheduler.wait(timeout=60)
    fired = select(AuditEntry.at, AuditEntry.data_json, AuditEntry.data_packed).where(
        AuditEntry.action == "timer.fired"
    )
    fired = fired.where(AuditEntry.at >= since)
    with engine.connect() as connection:
        entries = connection.execute(fired).all()
    count = sum(len(audit_data(text, packed)["timers"]) for _, text, packed in entries)
    span = (max(e.at for e in entries) - min(e.at for e in entries)).total_seconds() if entries else 0
    cpu_seconds = mine / 100 * os.cpu_count() * wall  # the schedulers' and the database's, start-up included
    return (
        f"{processes} scheduler(s): {timers} timers of {len(instance_ids)} cases due; fired {count} in"
        f" {len(entries)} instance runs over {span:.1f} s = {count / max(span, 0.001):.0f} timers/s,"
        f" {len(entries) / max(span, 0.001):.0f} cases/s ({wall:.1f} s wall with start-up; CPU busy {busy:.0f}%,"
        f" other work {busy - mine:.0f}%; {count / max(cpu_seconds, 0.001):.0f} timers per CPU-second used)"
    )


def case_costs(url: str, engine, staff, instances: list[int], count: int) -> str:
    """A waiting case's rows, then `count` cases taken to publication: time per task, rows, database growth."""
    waiting, chosen = row_bytes(url, instances[-2 * count : -count]), instances[-count:]
    size = "SELECT pg_database_size(current_database())"
    with engine.connect() as connection:
        before = connection.exec_driver_sql(size).scalar()
    per_task, tasks = publish_cases(url, staff.lead_agency, chosen)
    with engine.connect() as connection:
        growth = (connection.exec_driver_sql(size).scalar() - before) / count
    published = row_bytes(url, chosen)
    tables = ", ".join(f"{table} {published[table] / 1e3:.1f}" for table in sorted(published, key=published.get)[::-1])
    return (
        f"{count} cases published by complete_task ({tasks} tasks, one at a time): {per_task * 1000:.0f} ms a task;"
        f" table data of a case waiting for classification {sum(waiting.values()) / 1e3:.1f} kB, published"
        f" {sum(published.values()) / 1e3:.1f} kB ({tables} kB); database growth {growth / 1e3:.0f} kB a case"
    )


def main(argv=None) -> int:
    args = arguments(argv)
    workdir = Path(tempfile.mkdtemp(prefix="pakn-stack."))
    cluster = Cluster().start()
    gunicorn = None
    try:
        url = create_database(cluster.url(), "pakn_stack")
        env = stack_env(url, workdir)
        run_init(env)
        staff = provision(url, clerks=1)
        roots = [os.getpid(), cluster.postmaster_pid()]  # the stack's CPU: this process, its children, the server
        load_average = os.getloadavg()[0]
        print(f"machine: {os.cpu_count()} cores, load average before {load_average:.2f}; province {staff.province}")
        for workers in args.workers:
            gunicorn = Gunicorn(env, workers, free_port(), workdir / "gunicorn.log").start()
            print(f"gunicorn {workers} sync workers, PostgreSQL fsync on:", flush=True)
            for clients in args.clients:
                print("  " + window(gunicorn.base, staff.province, clients, args.seconds, roots), flush=True)
            gunicorn.stop()
        gunicorn.start()
        print(inbox_time(gunicorn.base, staff), flush=True)
        gunicorn.stop()
        engine = make_engine(url)
        with engine.connect() as connection:
            instances = connection.execute(select(ProcessInstance.id).order_by(ProcessInstance.id)).scalars().all()
            size = connection.exec_driver_sql("SELECT pg_database_size(current_database())").scalar()
        print(f"database: {size / 1e6:.0f} MB for {len(instances)} cases ({size / max(1, len(instances)) / 1e3:.0f} kB"
              " a case waiting for classification, catalogues included)", flush=True)  # fmt: skip
        print(case_costs(url, engine, staff, instances, args.published), flush=True)
        for number, processes in enumerate(args.schedulers):
            chosen = instances[number * args.backlog : (number + 1) * args.backlog]
            print(fire_backlog(engine, env, chosen, processes, workdir, roots), flush=True)
        engine.dispose()
        print(f"load average after {os.getloadavg()[0]:.2f}")
        return 0
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
