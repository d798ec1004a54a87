"""Benchmark: fire the due deadline timers of N waiting PAKN cases, then move their deadlines with a day off.

    python bench/timers.py [-n 100000] [--templates 4] [--profile] [--progress 60]
                           [--database postgresql+psycopg://user@host:port/db] [--workers K]

Setup (timed apart, not in the figures): a fresh database with the demo data (a SQLite file, or with --database
a PostgreSQL server on which the databases bench_timers and bench_timers_copy are created afresh); a few petitions are
submitted for real through `submit_petition` (Kon Tum, all at the same instant, so every case has the same
deadlines), then cloned with INSERT … SELECT into N independent cases waiting at the classification step: each
clone has its own petition (tracking code), process instance (business key, and the workflow data's
petition_id and tracking_code rewritten), task index row, two waiting timers (timer_reject_due,
timer_forward_due), deadlines, receipt notifications and submission audit entry. A few clones are loaded
through the engine's own `load_instance` to check they are genuine. A copy of the file is kept for phase 3.

Fire: the clock (time-machine, ticking, so SpiffWorkflow's own clock agrees) is moved to one minute after the
reject deadline, when the forward deadline (5 working days) is not due yet; `run_due_timers` then fires the N
reject timers — notices (app/engine/notices.py: their instances are not loaded; a sample is then read and loaded
to check it is caught up), or with --engine a version of the model whose reject path the engine must run; with
--workers K, K processes run it at once on the same database (the scheduler's workers).
Recompute: on the copy (all timers still waiting), a national day off inside both running periods is added with
`change_day(..., recompute=True)`. Each phase runs in processes of its own, so each peak RSS (VmHWM) is the
phase's own; the load average is printed beside the figures (the machine may be shared).
"""

import argparse
import cProfile
import json
import multiprocessing
import os
import pstats
import random
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import time_machine
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import exc, func, make_url, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.accounts.models import User  # noqa: E402
from app.audit.models import AuditEntry  # noqa: E402
from app.bootstrap import prepare_database, process_documents  # noqa: E402
from app.calendars.store import current_book  # noqa: E402
from app.calendars.working_days import VIETNAM  # noqa: E402
from app.config import ROOT, Config  # noqa: E402
from app.db import make_engine, make_session_factory  # noqa: E402
from app.deadlines.admin import DayChange, change_day, preview_day  # noqa: E402
from app.engine.deployment import deploy  # noqa: E402
from app.engine.instances import read_instance  # noqa: E402
from app.engine.models import ProcessInstance, Timer, WorkItem  # noqa: E402
from app.engine.runtime import all_tasks, load_instance, ready_user_tasks  # noqa: E402
from app.engine.serialization import state_text  # noqa: E402
from app.petitions.case_functions import CaseFunctions  # noqa: E402
from app.petitions.models import CaseDeadline, Petition  # noqa: E402
from app.petitions.operations import submit_petition  # noqa: E402
from app.petitions.tracking import new_tracking_code  # noqa: E402
from app.process_memory import settle_start_up  # noqa: E402
from app.scheduler.jobs import TickReport, run_due_timers  # noqa: E402
from app.services import open_services  # noqa: E402
from bench.cloning import clone_select, cloned_tables  # noqa: E402
from bench.cpu import tree_seconds  # noqa: E402
from bench.memory import peak_rss_bytes  # noqa: E402

PROVINCE = "quang-ngai"
COMMUNE = "23293"  # Phường Kon Tum
RECEIVED = datetime(2026, 12, 7, 9, 0, tzinfo=VIETNAM)  # a Monday, during office hours
REJECT, FORWARD = "timer_reject_due", "timer_forward_due"
CLONE_CHUNK = 10_000
SUBMISSIONS = [
    {
        "kind": "regulation",
        "field_code": "xay-dung",
        "channel": "portal",
        "title": "Công trình xây dựng lấn chiếm vỉa hè",
        "content": "Công trình tại số 12 đường Trần Hưng Đạo lấn chiếm vỉa hè, gây cản trở người đi bộ. " * 20,
        "sender_name": "Nguyễn Văn An",
        "sender_address": "34 Lê Lợi, phường Kon Tum, tỉnh Quảng Ngãi",
        "sender_phone": "0912345678",
        "sender_email": "an.nguyen@example.vn",
    },
    {
        "kind": "regulation",
        "field_code": "xay-dung",
        "channel": "portal",
        "title": "Đèn chiếu sáng công cộng hỏng kéo dài",
        "content": "Hệ thống đèn đường trên đường Phan Đình Phùng hỏng hơn một tháng, ban đêm rất nguy hiểm. " * 8,
        "sender_name": "Nguyễn Văn An",
        "sender_address": "34 Lê Lợi, phường Kon Tum, tỉnh Quảng Ngãi",
        "sender_phone": "0912345678",
        "sender_email": "an.nguyen@example.vn",
    },
]


def fmt(instant: datetime) -> str:
    return instant.astimezone(VIETNAM).strftime("%Y-%m-%d %H:%M %z")


def megabytes(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def peak_rss() -> str:
    return megabytes(peak_rss_bytes())


def load_average() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def database_bytes(engine) -> int:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
        return conn.execute(text("PRAGMA page_count")).scalar() * conn.execute(text("PRAGMA page_size")).scalar()


class CheckFailed(SystemExit):
    pass


def check(ok: bool, what: str):
    """A wrong setup makes every figure meaningless: stop with what went wrong."""
    if not ok:
        raise CheckFailed(f"CHECK FAILED: {what}")


# ---------------------------------------------------------------------------------------------------- setup


def submit_templates(sessions, count: int) -> list[Petition]:
    with sessions() as session:
        citizen = session.scalar(select(User).where(User.username == "citizen"))
    petitions = []
    with time_machine.travel(RECEIVED, tick=False):
        for i in range(count):
            raw = {**SUBMISSIONS[i % len(SUBMISSIONS)], "province_code": PROVINCE, "commune_code": COMMUNE}
            with sessions() as session:
                petitions.append(submit_petition(session, citizen, raw))
    return petitions


def state_petition(dialect: str):
    """The state names the petition as `"petition_id": <id>,`: the clone's id there, its code everywhere. The
    templates' states are plain JSON by then (plain_templates), so the text is rewritten in SQL."""

    def value_of(table, column, name):
        if table.name != "process_instance" or column.name != "state":
            return None
        key = "'\"petition_id\": '"
        as_text = f"convert_from({name}, 'UTF8')" if dialect == "postgresql" else f"CAST({name} AS TEXT)"
        value = f"replace(replace({as_text}, m.tpl_code, m.code), {key} || m.tpl_petition || ',', "
        value += f"{key} || m.petition_id || ',')"
        return f"convert_to({value}, 'UTF8')" if dialect == "postgresql" else f"CAST({value} AS BLOB)"

    return value_of


def plain_templates(conn, templates: list[Petition]):
    """The templates' states stored as plain JSON (the engine reads both), each naming its petition once."""
    for template in templates:
        stored = conn.execute(
            text("SELECT state FROM process_instance WHERE id = :id"), {"id": template.instance_id}
        ).scalar()
        state = json.dumps(json.loads(state_text(stored)), ensure_ascii=False)  # `"key": value`, as replaced above
        check(state.count(f'"petition_id": {template.id},') == 1, f"petition_id once in {template.tracking_code}")
        conn.execute(
            text("UPDATE process_instance SET state = :state WHERE id = :id"),
            {"state": state.encode(), "id": template.instance_id},
        )


def clone_cases(engine, templates: list[Petition], count: int) -> Counter:
    """`count` clones of the templates (round robin), every table's rows copied in SQL; returns rows per table."""
    rows = Counter()
    if count <= 0:
        return rows
    taken = {p.tracking_code for p in templates}
    codes = []
    while len(codes) < count:
        code = new_tracking_code()
        if code not in taken:
            taken.add(code)
            codes.append(code)
    with engine.begin() as conn:
        petition_base = conn.execute(text("SELECT max(id) FROM petition")).scalar() + 1
        instance_base = conn.execute(text("SELECT max(id) FROM process_instance")).scalar() + 1
        conn.execute(text("DROP TABLE IF EXISTS clone_map"))
        conn.execute(
            text(
                "CREATE TABLE clone_map (seq INTEGER PRIMARY KEY, tpl_petition INTEGER, tpl_instance INTEGER, "
                "tpl_code TEXT, petition_id INTEGER, instance_id INTEGER, code TEXT)"
            )
        )
        plain_templates(conn, templates)
        conn.execute(
            text("INSERT INTO clone_map VALUES (:seq, :tp, :ti, :tc, :p, :i, :c)"),
            [
                {
                    "seq": seq,
                    "tp": (t := templates[seq % len(templates)]).id,
                    "ti": t.instance_id,
                    "tc": t.tracking_code,
                    "p": petition_base + seq,
                    "i": instance_base + seq,
                    "c": code,
                }
                for seq, code in enumerate(codes)
            ],
        )
    statements = []
    for table in cloned_tables():
        columns, sql = clone_select(table, "clone_map", state_petition(engine.dialect.name))
        statements.append((table.name, f'INSERT INTO "{table.name}" ({", ".join(columns)}) {sql}'))
    for start in range(0, count, CLONE_CHUNK):
        with engine.begin() as conn:
            bounds = {"a": start, "b": start + CLONE_CHUNK}
            for name, insert in statements:
                rows[name] += conn.execute(text(f"{insert} WHERE m.seq >= :a AND m.seq < :b"), bounds).rowcount
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE clone_map"))
        if engine.dialect.name == "postgresql":  # the clones' ids were given: the sequences go past them
            for table in ("petition", "process_instance"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"))
    return rows


def check_clone(sessions, instance_id: int):
    """Load a case through the engine and check that what it carries is its own."""
    with sessions() as session:
        petition = session.scalar(select(Petition).where(Petition.instance_id == instance_id))
        check(petition is not None, f"instance {instance_id} has its petition")
        functions = CaseFunctions(session, petition)
        running = load_instance(session, instance_id, functions.functions())
        row, workflow = running.row, running.workflow
        check(row.business_key == petition.tracking_code, f"business key of instance {instance_id}")
        carrying = [t.data for t in all_tasks(workflow) if "petition_id" in t.data]
        check(len(carrying) > 0, f"workflow data of instance {instance_id}")
        for data in carrying:
            check(data["petition_id"] == petition.id, f"petition_id in the workflow of instance {instance_id}")
            check(data["tracking_code"] == petition.tracking_code, f"tracking_code in the workflow of {instance_id}")
        items = session.execute(
            select(WorkItem.task_id, WorkItem.bpmn_id, WorkItem.business_key, WorkItem.due_at).where(
                WorkItem.instance_id == instance_id, WorkItem.state == "ready"
            )
        ).all()
        ready = {str(t.id): t.task_spec.bpmn_id for t in ready_user_tasks(workflow)}
        check(ready == {i.task_id: i.bpmn_id for i in items} == {i.task_id: "classify" for i in items}, "ready tasks")
        check(all(i.business_key == petition.tracking_code for i in items), "work item business key")
        check(items[0].due_at == functions.due("forward"), "classify due = the case's own forward deadline")
        waiting = {
            str(t.id): (t.task_spec.bpmn_id, TimerEventDefinition.get_datetime(t.internal_data["event_value"]))
            for t in all_tasks(workflow)
            if t.state == TaskState.WAITING and "event_value" in t.internal_data
        }
        timers = session.execute(
            select(Timer.task_id, Timer.bpmn_id, Timer.due_at).where(Timer.instance_id == instance_id)
        ).all()
        check(waiting == {t.task_id: (t.bpmn_id, t.due_at) for t in timers}, f"waiting timers of {instance_id}")
        check({b for b, _ in waiting.values()} == {REJECT, FORWARD}, "both classification timers wait")
        for bpmn_id, due in waiting.values():
            check(functions.due(bpmn_id.split("_")[1]) == due, f"{bpmn_id} due = the case's own deadline")
        code = petition.tracking_code
        session.rollback()
    return code


REJECT_SCRIPT = "<bpmn:script>mark_overdue('reject')</bpmn:script>"


def deploy_engine_variant(sessions):
    """`--engine`: a version of the model whose reject path is not a notice (two statements), so that the engine
    loads, runs and saves every instance, as it fires a deadline that changes the flow (engine/notices.py)."""
    documents = process_documents(ROOT / "processes")
    text = documents["processes/pakn.bpmn"].decode()
    check(text.count(REJECT_SCRIPT) == 1, "the reject path's script is in pakn.bpmn once")
    variant = REJECT_SCRIPT.replace("')<", "')\npass<")  # the same effect, in a script of two statements
    documents["processes/pakn.bpmn"] = text.replace(REJECT_SCRIPT, variant).encode()
    with sessions() as session:
        deploy(session, documents, "bench")
        session.commit()


def setup(url: str, n: int, templates: int, engine_path: bool = False):
    timings = {}
    started = time.perf_counter()
    services = open_services(Config(database_url=url))
    engine, sessions = services.engine, services.sessions
    prepare_database(services, demo=True)
    if engine_path:
        deploy_engine_variant(sessions)
    timings["schema + demo data"] = time.perf_counter() - started

    started = time.perf_counter()
    submitted = submit_templates(sessions, min(templates, n))
    timings[f"submit {len(submitted)}"] = time.perf_counter() - started

    started = time.perf_counter()
    rows = clone_cases(engine, submitted, n - len(submitted))
    timings[f"clone {n - len(submitted):,}"] = time.perf_counter() - started

    started = time.perf_counter()
    with sessions() as session:
        instances = session.scalars(select(ProcessInstance.id).order_by(ProcessInstance.id)).all()
        check(len(instances) == n, f"{n} instances (found {len(instances)})")
        check(session.scalar(select(func.count(Petition.id))) == n, "one petition per instance")
        distinct = session.scalar(select(func.count(func.distinct(Petition.instance_id))))
        check(distinct == n, "every petition has its own instance")
    rng = random.Random(7)
    sample = sorted({instances[0], instances[-1], instances[len(instances) // 2], *rng.sample(instances, min(5, n))})
    for instance_id in sample:
        check_clone(sessions, instance_id)
    timings[f"check {len(sample)} cases"] = time.perf_counter() - started
    return engine, sessions, timings, rows, sample


# ---------------------------------------------------------------------------------------------------- fire


def deadline_instants(session) -> dict[str, datetime]:
    instants = {}
    for bpmn_id in (REJECT, FORWARD):
        values = session.scalars(select(Timer.due_at).where(Timer.bpmn_id == bpmn_id).distinct()).all()
        check(len(values) == 1, f"all {bpmn_id} timers share one instant (found {len(values)})")
        instants[bpmn_id] = values[0]
    return instants


def timers_by_bpmn_id(session, before: datetime | None = None) -> Counter:
    query = select(Timer.bpmn_id, func.count(Timer.id)).group_by(Timer.bpmn_id)
    if before is not None:
        query = query.where(Timer.due_at < before)
    return Counter(dict(session.execute(query).all()))


def petition_lookup(engine, sessions, count: int = 20) -> tuple[float, str]:
    """What the per-instance lookup of fire_due_timers costs at this size, and how SQLite runs it."""
    query = select(Petition).where(Petition.instance_id == 1)
    sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
    explain = "EXPLAIN" if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
    with engine.connect() as conn:
        plan = "; ".join(row[-1].strip() for row in conn.exec_driver_sql(f"{explain} {sql}"))
    with sessions() as session:
        instances = session.scalars(select(ProcessInstance.id).order_by(ProcessInstance.id.desc()).limit(count)).all()
        started = time.perf_counter()
        for instance_id in instances:
            session.scalar(select(Petition).where(Petition.instance_id == instance_id))
        seconds = time.perf_counter() - started
    return seconds * 1000 / len(instances), plan


class Progress:
    """Every `every` seconds, how far the firing is (on stderr, so that stdout holds only the figures)."""

    def __init__(self, engine, n: int, every: float):
        self.engine, self.n, self.every = engine, n, every
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def __enter__(self):
        if self.every > 0:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        self.done.set()
        if self.thread.is_alive():
            self.thread.join()

    def run(self):
        started, last = time.perf_counter(), 0
        count = text("SELECT count(*) FROM audit_entry WHERE action = 'timer.fired'")
        while not self.done.wait(self.every):
            with self.engine.connect() as conn:
                fired = conn.execute(count).scalar()
            elapsed = time.perf_counter() - started
            print(
                f"[progress {elapsed:7.0f} s] {fired:,} of {self.n:,} instances fired, "
                f"{(fired - last) / self.every:.1f}/s over the last {self.every:.0f} s",
                file=sys.stderr,
                flush=True,
            )
            last = fired


def fire_worker(url: str, fire_at: datetime, barrier, results):
    """One scheduler worker (a process of its own): run_due_timers until nothing is due; reports its figures."""
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with sessions() as session:
        session.execute(select(1))  # connected before the clock starts
    settle_start_up()  # as `run.py scheduler` does once started
    barrier.wait()
    with time_machine.travel(fire_at, tick=True):
        cpu = time.process_time()
        report = run_due_timers(sessions)
        cpu = time.process_time() - cpu
    engine.dispose()
    rss = peak_rss_bytes()
    results.put((report.fired, report.instances, report.claimed, report.failed, cpu, rss))


def postmaster_pid(engine) -> int | None:
    """The pid of a PostgreSQL server running on this machine (from its data directory), else None."""
    if engine.dialect.name != "postgresql":
        return None
    try:
        with engine.connect() as connection:
            directory = connection.exec_driver_sql("SHOW data_directory").scalar()
        return int(Path(directory, "postmaster.pid").read_text().split()[0])
    except (OSError, ValueError, exc.DBAPIError):
        return None


def fire_in_workers(url: str, fire_at: datetime, workers: int):
    """`workers` processes fire at once on the same database; the time runs from their common start to the last."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(workers + 1), context.Queue()
    processes = [context.Process(target=fire_worker, args=(url, fire_at, barrier, results)) for _ in range(workers)]
    for process in processes:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    outcomes = [results.get() for _ in processes]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join()
    return outcomes, seconds


def caught_up_sample(sessions, sample: list[int], now: datetime) -> bool:
    """The read path and the write path of these instances see the reject deadline fired, classify still open."""
    with sessions() as session, time_machine.travel(now, tick=False):
        for instance_id in sample:
            if read_instance(session, instance_id).element_states().get(REJECT) != "completed":
                return False
            running = load_instance(session, instance_id, {})
            done = {t.task_spec.bpmn_id for t in all_tasks(running.workflow) if t.state == TaskState.COMPLETED}
            ready = {t.task_spec.bpmn_id for t in ready_user_tasks(running.workflow)}
            session.rollback()
            if not {REJECT, "note_reject_overdue", "end_reject_overdue"} <= done or ready != {"classify"}:
                return False
    return True


def fire(engine, sessions, url: str, n: int, profile: bool, progress: float, workers: int, sample=()):
    with sessions() as session:
        instants = deadline_instants(session)
        fire_at = instants[REJECT] + timedelta(minutes=1)
        check(fire_at < instants[FORWARD], "the forward deadline is after the reject deadline")
        due = timers_by_bpmn_id(session, fire_at)
        waiting = timers_by_bpmn_id(session)
    print(
        f"fire: clock moved to {fmt(fire_at)}, 1 min after the reject deadline {fmt(instants[REJECT])}; "
        f"the forward deadline {fmt(instants[FORWARD])} is not due"
    )
    lookup_ms, plan = petition_lookup(engine, sessions)
    print(
        f"  fire_due_timers finds each case's petition by instance_id: {lookup_ms:.2f} ms a lookup (query plan: {plan})"
    )
    profiler = cProfile.Profile() if profile else None
    if profiler:  # in this process, one worker
        settle_start_up()
        with time_machine.travel(fire_at, tick=True), Progress(engine, n, progress):
            started = time.perf_counter()
            profiler.enable()
            report = run_due_timers(sessions)
            profiler.disable()
            seconds = time.perf_counter() - started
        outcomes = []
    else:
        sys.stdout.flush()
        server = postmaster_pid(engine)  # None when the server is not on this machine (or SQLite)
        server_cpu = tree_seconds(server) if server else 0.0
        with Progress(engine, n, progress):
            outcomes, seconds = fire_in_workers(url, fire_at, workers)
        server_cpu = tree_seconds(server) - server_cpu if server else 0.0
        report = TickReport()
        for fired, instances, claimed, failed, _, _ in outcomes:
            report.fired, report.instances = report.fired + fired, report.instances + instances
            report.claimed, report.failed = report.claimed + claimed, report.failed + failed
    rate = report.fired / seconds if seconds else 0.0
    print(
        f"  timers due:          {sum(due.values()):,} ({', '.join(f'{k} {v:,}' for k, v in sorted(due.items()))}); "
        f"waiting, not due: {waiting[FORWARD] - due[FORWARD]:,} {FORWARD}"
    )
    print(f"  timers fired:        {report.fired:,}")
    print(f"  instances advanced:  {report.instances:,}")
    print(f"  failures:            {len(report.failed):,}")
    print(f"  total:               {seconds:,.1f} s")
    per_instance = seconds * 1000 / report.instances if report.instances else 0.0
    print(f"  rate:                {rate:,.1f} timers fired/s ({per_instance:.2f} ms per instance); {load_average()}")
    for number, (fired, instances, _, _, cpu, rss) in enumerate(outcomes, 1):
        print(
            f"  worker {number}:            {instances:,} instances, {fired:,} timers, CPU {cpu:,.1f} s "
            f"({cpu * 1000 / max(instances, 1):.2f} ms per instance), peak RSS {megabytes(rss)}"
        )
    if outcomes and engine.dialect.name == "postgresql" and server_cpu > 0:
        # what one core carries, workers and server together: the rate more cores would reach
        per_timer = (sum(o[4] for o in outcomes) + server_cpu) * 1000 / max(report.fired, 1)
        print(
            f"  PostgreSQL server:   CPU {server_cpu:,.1f} s; workers + server {per_timer:.2f} ms of CPU per timer, "
            f"so {1000 / per_timer:,.0f} timers/s per core ({1667 * per_timer / 1000:.1f} cores for 1,667/s)"
        )

    with sessions() as session:
        left_due = sum(timers_by_bpmn_id(session, fire_at).values())
        left = timers_by_bpmn_id(session)
        fired_entries, fired_instances = session.execute(
            select(func.count(AuditEntry.id), func.count(func.distinct(AuditEntry.instance_id))).where(
                AuditEntry.action == "timer.fired"
            )
        ).one()
        marked = CaseDeadline.overdue_at.is_not(None)
        overdue = session.scalar(select(func.count(CaseDeadline.id)).where(CaseDeadline.step == "reject", marked))
        classifying = session.scalar(select(func.count(Petition.id)).where(Petition.status == "classifying"))
        ready = session.scalar(
            select(func.count(WorkItem.id)).where(WorkItem.bpmn_id == "classify", WorkItem.state == "ready")
        )
        running = session.scalar(select(func.count(ProcessInstance.id)).where(ProcessInstance.status == "running"))
        notices = session.scalar(
            select(func.count(ProcessInstance.id)).where(ProcessInstance.fired_notices.is_not(None))
        )
    left_text = ", ".join(f"{k} {v:,}" for k, v in sorted(left.items())) or "none"
    print(
        f"  after: due timers left {left_due:,}; timers left {sum(left.values()):,} ({left_text}); "
        f"'timer.fired' audit entries {fired_entries:,} for {fired_instances:,} distinct instances (of {n:,})"
    )
    print(
        f"         reject deadlines marked overdue {overdue:,}; still classifying {classifying:,}, "
        f"classify tasks ready {ready:,}, instances running {running:,}"
    )
    caught_up = caught_up_sample(sessions, sample, fire_at)
    print(
        f"         fired as notices {notices:,} (their states neither read nor written: engine/notices.py); "
        f"{len(sample)} of them read and loaded for writing: {'caught up' if caught_up else 'NOT CAUGHT UP'}"
        if notices
        else "         fired by the engine (every state read, run and written)"
    )
    healthy = (
        (caught_up or not notices)
        and left_due == 0
        and fired_entries == fired_instances == report.instances == n
        and left == Counter({FORWARD: n})
        and overdue == classifying == ready == running == n
        and not report.failed
    )
    print(f"  verdict: {'ok' if healthy else 'MISMATCH (see the figures above)'}")
    if profiler:
        profiler.dump_stats(os.environ.get("TIMERS_PROFILE_FILE", "/tmp/timers.prof"))
        print("\nprofile of run_due_timers, top 30 by cumulative time:")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
        print("top 30 by own time:")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(30)
    return healthy


# ---------------------------------------------------------------------------------------------------- recompute


def recompute_worker(url: str, n: int, sample_instances: list[int], results):
    """The recompute in a process of its own: its peak RSS is the recompute's."""
    healthy, size = recompute(url, n, sample_instances)
    sys.stdout.flush()
    results.put((healthy, size, peak_rss_bytes()))


def recompute_apart(url: str, n: int, sample_instances: list[int]):
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    sys.stdout.flush()
    process = context.Process(target=recompute_worker, args=(url, n, sample_instances, results))
    process.start()
    outcome = results.get()
    process.join()
    return outcome


def recompute(url: str, n: int, sample_instances: list[int]):
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    rng = random.Random(11)
    healthy = True
    with time_machine.travel(RECEIVED + timedelta(hours=1), tick=True):
        with sessions() as session:
            admin = session.scalar(select(User).where(User.username == "admin"))
            old = current_book(session).calendar(PROVINCE)
            day_off = old.next_working_day(old.receipt_day(RECEIVED))  # inside both running periods
            instants = deadline_instants(session)
            ids = session.scalars(select(Timer.id)).all()
            before = dict(
                session.execute(
                    select(Timer.id, Timer.due_at).where(Timer.id.in_(rng.sample(ids, min(8, len(ids)))))
                ).all()
            )
            waiting = len(ids)
        print(
            f"recompute: national day off {day_off:%Y-%m-%d (%A)} added with change_day(recompute=True) at "
            f"{fmt(RECEIVED + timedelta(hours=1))}, on a copy taken before firing ({waiting:,} timers waiting)"
        )
        change = DayChange("national", day_off, True, "Ngày nghỉ thử", "Bench")
        before_preview = peak_rss()
        with sessions() as session:
            started = time.perf_counter()
            preview = preview_day(session, change)
            preview_seconds = time.perf_counter() - started
        print(f"  peak RSS before the preview {before_preview}, after it {peak_rss()}")
        would = ", ".join(f"{k} {v:,}" for k, v in preview.plan.summary().items())
        del preview  # the change plans again: two plans held at once would not be the recompute's own memory
        with sessions() as session:
            started = time.perf_counter()
            report = change_day(session, admin, change, reason="bench", recompute=True)
            seconds = time.perf_counter() - started
        moves = Counter(m.what for m in report.plan.moves)
        print(f"  preview_day:  {preview_seconds:,.1f} s (would move {would})")
        print(f"  change_day:   {seconds:,.1f} s (plan + apply + audit + commit); {load_average()}")
        print(
            f"  moved: cases {report.plan.cases:,}, deadlines {report.plan.deadlines:,}, timers {moves['timer']:,}, "
            f"task due dates {moves['task']:,}"
        )
        with sessions() as session:
            new = current_book(session).calendar(PROVINCE)

            def one_day_later(instant):
                return new.close_of(new.next_working_day(instant.astimezone(VIETNAM).date()))

            after = dict(session.execute(select(Timer.id, Timer.due_at).where(Timer.id.in_(list(before)))).all())
            sample_ok = all(after[i] == one_day_later(before[i]) != before[i] for i in before)
            now_at = {
                bpmn_id: Counter(
                    session.scalars(select(Timer.due_at).where(Timer.bpmn_id == bpmn_id)).all()
                ).most_common()
                for bpmn_id in (REJECT, FORWARD)
            }
            recomputed = session.scalar(
                select(func.count(AuditEntry.id)).where(AuditEntry.action == "deadline.recomputed")
            )
            items = Counter(
                session.scalars(
                    select(WorkItem.due_at).where(WorkItem.bpmn_id == "classify", WorkItem.state == "ready")
                ).all()
            ).most_common()
            petition = session.scalar(select(Petition).where(Petition.instance_id == sample_instances[-1]))
            code = petition.tracking_code
            running = load_instance(session, petition.instance_id, CaseFunctions(session, petition).functions())
            loaded = {
                t.task_spec.bpmn_id: TimerEventDefinition.get_datetime(t.internal_data["event_value"])
                for t in all_tasks(running.workflow)
                if t.state == TaskState.WAITING and "event_value" in t.internal_data
            }
            session.rollback()
        for bpmn_id in (REJECT, FORWARD):
            old_due, expected = instants[bpmn_id], one_day_later(instants[bpmn_id])
            found = ", ".join(f"{fmt(due)} on {count:,}" for due, count in now_at[bpmn_id])
            ok = now_at[bpmn_id] == [(expected, n)]
            healthy &= ok
            print(f"  {bpmn_id}: {fmt(old_due)} → {found} (expected {fmt(expected)} on {n:,}): {'ok' if ok else 'NO'}")
        items_ok = items == [(one_day_later(instants[FORWARD]), n)]
        loaded_ok = loaded == {b: one_day_later(instants[b]) for b in (REJECT, FORWARD)}
        healthy &= sample_ok and items_ok and loaded_ok and recomputed == report.plan.cases == n
        print(
            f"  sample of {len(before)} timers each exactly one working day later: {'ok' if sample_ok else 'NO'}; "
            f"classify due dates moved with them: {'ok' if items_ok else 'NO'}; "
            f"'deadline.recomputed' audit entries {recomputed:,}"
        )
        print(f"  case {code} loaded through load_instance waits for the moved instants: {'ok' if loaded_ok else 'NO'}")
    size = database_bytes(engine)
    engine.dispose()
    return healthy, size


# ---------------------------------------------------------------------------------------------------- main


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="waiting cases (default 100000)")
    parser.add_argument("--templates", type=int, default=4, help="petitions submitted for real (default 4)")
    parser.add_argument("--profile", action="store_true", help="profile run_due_timers with cProfile")
    parser.add_argument("--progress", type=float, default=60, help="seconds between progress lines on stderr (0: none)")
    parser.add_argument("--database", help="a PostgreSQL server's URL (default: a SQLite file)")
    parser.add_argument("--skip-fire", action="store_true", help="measure the recompute only")
    parser.add_argument("--workers", type=int, default=1, help="scheduler processes firing at once (default 1)")
    parser.add_argument("--engine", action="store_true", help="a reject path that is not a notice: the engine fires")
    args = parser.parse_args()
    check(args.n >= 1 and args.templates >= 1, "-n and --templates are at least 1")
    check(args.workers >= 1, "--workers is at least 1")
    with tempfile.TemporaryDirectory(prefix="bench-timers-") as tmp:
        if args.database:
            server = make_url(args.database)
            url, copy = (server.set(database=name) for name in ("bench_timers", "bench_timers_copy"))
            url, copy = (u.render_as_string(hide_password=False) for u in (url, copy))
            fresh_database(server, "bench_timers")
            where = f"PostgreSQL {server.host}:{server.port}"
        else:
            url, copy = (f"sqlite:///{Path(tmp) / name}" for name in ("timers.sqlite3", "recompute.sqlite3"))
            where = "SQLite file"
        engine, sessions, timings, rows, sample = setup(url, args.n, args.templates, args.engine)
        started = time.perf_counter()
        setup_size = database_bytes(engine)
        engine.dispose()
        if args.database:
            fresh_database(server, "bench_timers_copy", template="bench_timers")
        else:
            shutil.copyfile(make_url(url).database, make_url(copy).database)
        timings["copy for phase 3"] = time.perf_counter() - started
        templates = min(args.templates, args.n)
        print(
            f"timers: {args.n:,} cases waiting at 'classify' in {PROVINCE} (received {fmt(RECEIVED)}; "
            f"{templates} submitted through submit_petition, {args.n - templates:,} cloned in SQL), "
            f"{where}, {args.workers} scheduler worker(s), this machine ({os.cpu_count()} cores)"
            + (", the reject path made a non-notice (--engine)" if args.engine else "")
        )
        print("setup (not in the figures): " + ", ".join(f"{k} {v:,.1f} s" for k, v in timings.items()))
        print("  cloned rows: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()))
        print(f"  {len(sample)} cases checked through load_instance (their own data, task, timers, deadlines): ok")
        print(f"  peak RSS of the setup process: {peak_rss()}")

        fired_ok, fired_size = True, setup_size
        if not args.skip_fire:
            fired_ok = fire(engine, sessions, url, args.n, args.profile, args.progress, args.workers, sample)
            fired_size = database_bytes(engine)
        engine.dispose()

        recompute_ok, recompute_size, recompute_rss = recompute_apart(copy, args.n, sample)
        print(f"  peak RSS of the recompute process: {megabytes(recompute_rss)}")
        print(
            f"database: {megabytes(setup_size)} after setup ({setup_size / args.n:,.0f} bytes per case), "
            f"{megabytes(fired_size)} after firing; the copy {megabytes(recompute_size)} after the recompute"
        )
    if not (fired_ok and recompute_ok):
        raise SystemExit("some checks failed: see above")


def fresh_database(server, name: str, template: str | None = None):
    """Drop and create a database on the PostgreSQL server (from `template` when given)."""
    admin = make_engine(server.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else "")))
    admin.dispose()


if __name__ == "__main__":
    main()
