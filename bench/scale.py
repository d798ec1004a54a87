"""Benchmark: the lists, lookups and statistics people use, at national scale (issue 18 point 1).

    python bench/scale.py [--database URL] [--sizes 100000,1000000] [-n 30] [--keep]

Build (timed apart): a fresh database (a temporary SQLite file, or the empty PostgreSQL database of `--database`)
with the demo's three provinces, agencies and accounts. About forty template cases are submitted and worked for
real through `submit_petition` and `complete_task` (SpiffWorkflow runs the model), each in one province and lead
agency, at one stage: waiting for classification (received 1 or 6 days ago), for the handler (3, 12 or 25 days
ago), for the leader's approval, for the intake office's review, or finished (published, rejected). They are
then cloned in SQL (INSERT … SELECT over every table that refers to a petition or an instance) into the sizes
asked for: 90 % finished, spread over ten years (every date of a finished clone moved back by whole weeks, so
weekdays stay weekdays) and over every field; 10 % open, with their work items, timers and deadlines.

Measure: for each size, a separate worker process opens the app as gunicorn would and requests each page `-n`
times in-process (after 3 unmeasured requests), printing p50 and p95 milliseconds and SQL statements per
request, then its peak RSS. The growth from one size to the next is the point: a list that does not grow with
the case count shows the same figures at both sizes.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from sqlalchemy import DateTime, event, select, text
from sqlalchemy.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.accounts.models import User  # noqa: E402
from app.agencies.models import Agency, Commune, Province  # noqa: E402
from app.config import Config  # noqa: E402
from app.db import Base, UTCDateTime  # noqa: E402
from app.engine.models import WorkItem  # noqa: E402
from app.petitions.models import Field, Petition  # noqa: E402
from app.petitions.operations import submit_petition  # noqa: E402
from app.petitions.tracking import new_tracking_code  # noqa: E402
from app.services import open_services  # noqa: E402
from app.tasks.operations import complete_task  # noqa: E402
from bench.cloning import clone_select, cloned_tables  # noqa: E402
from bench.memory import peak_rss_bytes  # noqa: E402

CHUNK = 5_000  # clones per INSERT … SELECT round
ANSWER = "Sở đã kiểm tra hiện trường và yêu cầu chủ công trình tháo dỡ phần lấn chiếm vỉa hè trước ngày 30. " * 6
TEXTS = [
    ("Công trình xây dựng lấn chiếm vỉa hè", "Công trình tại số 12 đường Trần Hưng Đạo lấn chiếm vỉa hè. " * 8),
    ("Đèn chiếu sáng hỏng trên đường Phan Đình Phùng", "Đèn đường hỏng hơn một tháng, ban đêm nguy hiểm. " * 8),
    ("Rác thải tồn đọng tại chợ Mới", "Rác thải không được thu gom ba ngày, gây ô nhiễm môi trường. " * 8),
    ("Đề nghị sửa quy định cấp phép xây dựng", "Thủ tục cấp phép yêu cầu nhiều giấy tờ trùng lặp. " * 8),
]
# (province, its demo commune, intake clerk, [(lead agency, handler, leader)])
PROVINCES = [
    ("quang-ngai", 23293, "intake", [("QNG-SXD", "handler", "leader"), ("QNG-SNNMT", "handler2", "leader2")]),
    ("lai-chau", 3408, "intake-lc", [("LC-SXD", "handler-lc", "leader-lc")]),
    ("bac-ninh", 9187, "intake-bn", [("BN-SXD", "handler-bn", "leader-bn")]),
]
# (stage, days ago it was received): where each template case stops
OPEN = [("classify", 1), ("classify", 6), ("handle", 3), ("handle", 12), ("handle", 25), ("leader_approve", 9),
        ("review", 14)]  # fmt: skip
FINISHED = [("published", 40), ("rejected", 35)]
OPEN_SHARE = 0.10
PUBLISHED_PER_REJECTED = 4  # of the finished cases: 80 % answered and published, 20 % rejected
YEARS = 10


# ---------------------------------------------------------------------------------------------------- templates


def steps(intake, agency, handler, leader, stage):
    """The (account, task, values) of a case's way to `stage`."""
    if stage == "rejected":
        return [(intake, "classify", {"decision": "reject", "reason": "Nội dung không thuộc phạm vi tiếp nhận."})]
    way = [
        (intake, "classify", {"decision": "forward", "lead_agency": agency}),
        (handler, "handle", {"action": "answer", "answer": ANSWER}),
        (leader, "leader_approve", {"leader_decision": "approve"}),
        (intake, "review", {"review_decision": "approve"}),
        (intake, "publish", {"public_title": "Xử lý công trình lấn chiếm vỉa hè", "public_summary": ANSWER[:200]}),
    ]
    ends = {"classify": 0, "handle": 1, "leader_approve": 2, "review": 3, "published": 5}
    return way[: ends[stage]]


def every_province(sessions) -> list[tuple]:
    """The demo's three provinces, then every other one with an intake office, a department and their staff
    (accounts as the demo's, sharing its password), so that cases spread over the whole country."""
    provinces = list(PROVINCES)
    with sessions() as session:
        demo = {code for code, *_ in PROVINCES}
        password = session.scalar(select(User.password_hash).where(User.username == "intake"))
        for province in session.scalars(select(Province).where(Province.code.not_in(demo)).order_by(Province.code)):
            commune = session.scalar(select(Commune.code).where(Commune.province_code == province.code).limit(1))
            prefix = f"P{province.official_code}"
            office = Agency(code=f"{prefix}-VPUB", name=f"Văn phòng UBND {province.name}", level="province",
                            province_code=province.code, is_intake_office=True)  # fmt: skip
            department = Agency(code=f"{prefix}-SXD", name=f"Sở Xây dựng {province.name}", level="province",
                                province_code=province.code)  # fmt: skip
            session.add_all([office, department])
            for role, agency in (("intake", office), ("handler", department), ("leader", department)):
                username = f"{role}-{prefix.lower()}"
                account = User(username=username, full_name=f"{role} {province.name}", role=role, agency=agency)
                account.email, account.phone, account.password_hash = f"{username}@x.vn", "0912345678", password
                session.add(account)
            staff = [(department.code, f"handler-{prefix.lower()}", f"leader-{prefix.lower()}")]
            provinces.append((province.code, commune, f"intake-{prefix.lower()}", staff))
        session.commit()
    return provinces


def make_templates(sessions, now: datetime) -> list[dict]:
    """Work the template cases for real; returns, per template, its ids, code and whether it is open."""
    provinces = every_province(sessions)
    with sessions() as session:
        users = {u.username: u for u in session.scalars(select(User))}
    templates = []
    for number, (province, commune, intake, agencies) in enumerate(provinces):
        for agency, handler, leader in agencies:
            for stage, days in [*OPEN, *FINISHED]:
                title, content = TEXTS[(len(templates) + number) % len(TEXTS)]
                kind = ("conduct", "regulation", "proposal")[len(templates) % 3]
                raw = {"kind": kind, "field_code": "xay-dung", "channel": "portal", "title": title,
                       "content": content, "sender_name": "Nguyễn Văn An", "sender_address": "34 Lê Lợi",
                       "sender_phone": "0912345678", "sender_email": "an.nguyen@example.vn",
                       "province_code": province, "commune_code": str(commune)}  # fmt: skip
                with time_machine.travel(now - timedelta(days=days, hours=2), tick=True), sessions() as session:
                    petition = submit_petition(session, users["citizen"], raw)
                    for username, bpmn_id, values in steps(intake, agency, handler, leader, stage):
                        item_id = session.scalar(
                            select(WorkItem.id).where(
                                WorkItem.instance_id == petition.instance_id,
                                WorkItem.bpmn_id == bpmn_id,
                                WorkItem.state == "ready",
                            )
                        )
                        complete_task(session, users[username], item_id, values)
                    templates.append(
                        {
                            "petition": petition.id,
                            "instance": petition.instance_id,
                            "code": petition.tracking_code,
                            "open": stage not in ("published", "rejected"),
                            "stage": stage,
                        }  # fmt: skip
                    )
    return templates


# ---------------------------------------------------------------------------------------------------- cloning


def shifted(dialect: str, column: str) -> str:
    """A date column moved back by the clone's weeks (m.shift_days), NULL kept, as each database stores dates."""
    if dialect == "postgresql":
        return f"{column} - make_interval(days => m.shift_days)"
    return f"datetime({column}, '-' || m.shift_days || ' days') || substr({column}, 20)"


def scale_value(dialect: str):
    """The columns a scale clone changes beyond ids and codes: its field, its dates moved back by its weeks, and
    the engine's state kept as the template's (read by the diagram, never advanced here)."""

    def value_of(table, column, name):
        if table.name == "petition" and column.name == "field_code":
            return "m.field_code"
        if isinstance(column.type, (DateTime, UTCDateTime)):
            return shifted(dialect, name)
        if column.name == "state":
            return name
        return None

    return value_of


def pattern(templates: list[dict]) -> list[dict]:
    """Templates repeated so that OPEN_SHARE of the clones are open cases."""
    opened = [t for t in templates if t["open"]]
    finished = [t for t in templates if not t["open"]]
    finished = [t for t in finished for _ in range(PUBLISHED_PER_REJECTED if t["stage"] == "published" else 1)]
    per_finished = round(len(opened) * (1 - OPEN_SHARE) / OPEN_SHARE / len(finished))
    return opened + finished * per_finished


def clone(engine, templates: list[dict], fields: list[str], start: int, count: int, rng: random.Random) -> float:
    """Clones number start … start+count-1; returns seconds."""
    began = time.perf_counter()
    dialect = engine.dialect.name
    cycle = pattern(templates)
    with engine.begin() as conn:
        taken = set(conn.execute(text("SELECT tracking_code FROM petition")).scalars())
        petition_base = conn.execute(text("SELECT max(id) FROM petition")).scalar() + 1
        instance_base = conn.execute(text("SELECT max(id) FROM process_instance")).scalar() + 1
        conn.execute(text("DROP TABLE IF EXISTS scale_clone_map"))
        conn.execute(
            text(
                "CREATE TABLE scale_clone_map (seq INTEGER PRIMARY KEY, tpl_petition INTEGER, tpl_instance INTEGER, "
                "tpl_code VARCHAR(20), petition_id INTEGER, instance_id INTEGER, code VARCHAR(20), "
                "shift_days INTEGER, field_code VARCHAR(50))"
            )
        )
    rows = []
    for seq in range(count):
        template = cycle[(start + seq) % len(cycle)]
        code = new_tracking_code()
        while code in taken:
            code = new_tracking_code()
        taken.add(code)
        weeks = 0 if template["open"] else rng.randrange(YEARS * 52)
        rows.append({"seq": seq, "tp": template["petition"], "ti": template["instance"], "tc": template["code"],
                     "p": petition_base + seq, "i": instance_base + seq, "c": code, "s": weeks * 7,
                     "f": rng.choice(fields)})  # fmt: skip
    with engine.begin() as conn:
        for at in range(0, count, 20_000):
            conn.execute(
                text("INSERT INTO scale_clone_map VALUES (:seq, :tp, :ti, :tc, :p, :i, :c, :s, :f)"),
                rows[at : at + 20_000],
            )
    statements = []
    for table in cloned_tables():
        columns, sql = clone_select(table, "scale_clone_map", scale_value(dialect))
        statements.append(f'INSERT INTO "{table.name}" ({", ".join(columns)}) {sql}')
    for at in range(0, count, CHUNK):
        with engine.begin() as conn:
            for insert in statements:
                conn.execute(text(f"{insert} WHERE m.seq >= :a AND m.seq < :b"), {"a": at, "b": at + CHUNK})
        if at and at % (CHUNK * 40) == 0:
            rate = at / (time.perf_counter() - began)
            print(f"  … {start + at:,} cloned ({rate:,.0f}/s)", flush=True)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE scale_clone_map"))
        if dialect == "postgresql":
            for table in Base.metadata.sorted_tables:
                if "id" in table.columns and table.columns["id"].autoincrement is not False:
                    conn.execute(
                        text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                             f"coalesce((SELECT max(id) FROM \"{table.name}\"), 1))")
                    )  # fmt: skip
            conn.execute(text("ANALYZE"))
        else:
            conn.execute(text("ANALYZE"))
    return time.perf_counter() - began


# ---------------------------------------------------------------------------------------------------- measuring


def measure(url: str, n: int) -> dict:
    """Runs in its own process: each page's p50/p95 ms and statements per request, and the peak RSS."""
    from app import create_app
    from app.accounts.login import open_login_session

    counted, shown = [0], []

    def count(conn, cursor, statement, *rest):
        counted[0] += 1
        shown.append(statement)

    event.listen(Engine, "before_cursor_execute", count)
    app = create_app(Config(database_url=url, demo_data=True, testing=True))
    services = open_services(Config(database_url=url))
    with services.sessions() as session:
        users = {u.username: u for u in session.scalars(select(User))}
        clients = {}
        for username in ("intake", "handler", "leader", "auditor"):
            client = app.test_client()
            token = open_login_session(session, users[username], "127.0.0.1")
            session.commit()
            with client.session_transaction() as cookie:
                cookie["_user_id"] = str(users[username].id)
                cookie["_fresh"] = True
                cookie["login"] = token
            clients[username] = client
        clients["anyone"] = app.test_client()
        newest = select(Petition.tracking_code, Petition.instance_id).order_by(Petition.id.desc()).limit(1)
        code, instance = session.execute(newest).one()
        finished = session.scalar(
            select(Petition.instance_id).where(Petition.status == "published").order_by(Petition.id.desc()).limit(1)
        )
    month = (datetime.now(UTC).replace(day=1) - timedelta(days=1)).replace(day=1)
    last_day = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    pages = [
        ("handler", "/cong-viec", "handler's inbox"),
        ("leader", "/cong-viec", "leader's inbox"),
        ("intake", "/cong-viec", "intake inbox"),
        ("intake", "/cong-viec?due=overdue", "intake inbox, overdue"),
        ("intake", "/cong-viec?due=soon", "intake inbox, due soon"),
        ("intake", "/cong-viec?holder=free", "intake inbox, unclaimed"),
        ("intake", "/cong-viec?field=xay-dung", "intake inbox, one field"),
        ("intake", "/cong-viec?page=3", "intake inbox, page 3"),
        ("intake", "/", "staff start page (intake)"),
        ("handler", "/", "staff start page (handler)"),
        ("leader", "/ho-so-don-vi", "unit case list"),
        ("leader", "/ho-so-don-vi?q=ve+sinh", "unit case list, words"),
        ("anyone", "/", "anonymous start page"),
        ("anyone", "/cong-khai", "public answers"),
        ("anyone", "/cong-khai?q=lan+chiem+via+he", "public search, 3 words"),
        ("anyone", f"/tra-cuu/{code}", "tracking lookup"),
        ("auditor", "/kiem-tra/", "auditor search"),
        ("auditor", f"/kiem-tra/?code={code[:6]}", "auditor search, code prefix"),
        ("auditor", f"/kiem-tra/{instance}", "instance view (open)"),
        ("auditor", f"/kiem-tra/{finished}", "instance view (finished)"),
        ("anyone", f"/thong-ke?province=quang-ngai&from={month:%Y-%m-%d}&to={last_day:%Y-%m-%d}",
         "monthly statistics, one province"),
    ]  # fmt: skip
    figures = {}
    for who, path, label in pages:
        client, times = clients[who], []
        for round_ in range(3 + n):
            before = counted[0]
            shown.clear()
            began = time.perf_counter()
            response = client.get(path)
            elapsed = (time.perf_counter() - began) * 1000
            if response.status_code != 200:
                raise SystemExit(f"{label}: {path} answered {response.status_code}")
            if round_ >= 3:
                times.append(elapsed)
        times.sort()
        if label == os.environ.get("SCALE_SHOW_SQL"):  # what one request of that page asks the database
            print("\n---\n".join(shown), file=sys.stderr)
        figures[label] = {"p50": statistics.median(times), "p95": times[max(0, int(len(times) * 0.95) - 1)],
                          "sql": counted[0] - before,
                          "rss": peak_rss_bytes() / 2**20}  # fmt: skip
    figures["rss_mb"] = peak_rss_bytes() / 2**20  # VmHWM: ru_maxrss kept the builder's 590 MB across fork and exec
    return figures


def counts(engine) -> dict:
    with engine.connect() as conn:
        tables = ("petition", "process_instance", "work_item", "timer", "case_deadline", "audit_entry")
        found = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar() for t in tables}
        found["open"] = conn.execute(
            text("SELECT count(*) FROM petition p JOIN petition_status s ON s.code = p.status WHERE s.is_open")
        ).scalar()
        found["ready tasks"] = conn.execute(text("SELECT count(*) FROM work_item WHERE state = 'ready'")).scalar()
    return found


def database_size(engine) -> int:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            return conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
        return conn.execute(text("PRAGMA page_count")).scalar() * conn.execute(text("PRAGMA page_size")).scalar()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="an empty PostgreSQL database's URL (default: a temporary SQLite file)")
    parser.add_argument("--sizes", default="100000,1000000", help="petition counts to measure at, ascending")
    parser.add_argument("-n", type=int, default=30, help="timed requests per page")
    parser.add_argument("--build-only", action="store_true", help="build the database of --database and stop")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # the worker process: measure this URL
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.n)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{tmp}/scale.sqlite3"
        services = open_services(Config(database_url=url))
        from app.bootstrap import prepare_database

        began = time.perf_counter()
        prepare_database(services, demo=True)
        now = datetime.now(UTC)
        templates = make_templates(services.sessions, now)
        with services.sessions() as session:
            fields = list(session.scalars(select(Field.code).where(Field.active.is_(True))))
        print(f"{services.engine.dialect.name}: schema, demo data and {len(templates)} template cases worked for "
              f"real in {time.perf_counter() - began:.1f} s")  # fmt: skip
        rng, built = random.Random(18), len(templates)
        results = {}
        for size in sizes:
            seconds = clone(services.engine, templates, fields, built, size - built, rng)
            built = size
            found = counts(services.engine)
            print(f"built {size:,} petitions in {seconds:.0f} s; database {database_size(services.engine) / 2**30:.2f} "
                  f"GiB; rows: " + ", ".join(f"{k} {v:,}" for k, v in found.items()), flush=True)  # fmt: skip
            if args.build_only:
                continue
            worker = subprocess.run(
                [sys.executable, __file__, "--measure", url, "-n", str(args.n)],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if worker.returncode:
                raise SystemExit(worker.stderr[-4000:])
            if os.environ.get("SCALE_SHOW_SQL"):
                print(worker.stderr)
            results[size] = json.loads(worker.stdout.strip().splitlines()[-1])
        services.engine.dispose()
    if results:
        report(sizes, results)


def report(sizes: list[int], results: dict):
    head = "".join(f" | {s:>9,} p50 | p95 ms | SQL" for s in sizes)
    print(f"\n{'page':36}{head}")
    for label in (k for k in results[sizes[0]] if k != "rss_mb"):
        line = "".join(
            f" | {results[s][label]['p50']:13.1f} | {results[s][label]['p95']:6.1f} | {results[s][label]['sql']:3}"
            for s in sizes
        )
        print(f"{label:36}{line}")
    print(f"{'worker peak RSS (MB)':36}" + "".join(f" | {results[s]['rss_mb']:27.0f}" for s in sizes))


if __name__ == "__main__":
    main()
