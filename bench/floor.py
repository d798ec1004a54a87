"""Benchmark: what SQLite itself costs a stored lifecycle, with no Python above the driver (issue 18 point 3).

    python bench/floor.py [-n 100] [--rounds 3]
    py-spy record -r 400 -f raw -o /tmp/stored.txt -- .venv/bin/python bench/floor.py --stored-only -n 300
    python bench/floor.py --shares /tmp/stored.txt      # where the stored run's time goes, from that profile

Each round copies the database, runs n stored lifecycles (lifecycle.py's) recording every statement, its
parameters and every commit, then replays that record through the raw `sqlite3` driver on the copy: the same rows,
indexes, full-text triggers and commits, with no SQLAlchemy, no engine and no domain code. A second replay writes
each instance's state as a 100-byte record instead of the whole state (what a journal of operations would write),
and the bare engine runs the same n lifecycles. Prints ms per lifecycle of each, taking turns in each round.

The replays are a floor for any write path on this schema: a lifecycle stored with no ORM and no state
serialisation still pays them, besides the engine with the model's real functions and the checks each operation
makes (form values, permissions, repeats), which the bare engine does not run. `--shares` reads a py-spy profile
of the stored run and splits its samples into those parts (bench/README.md, "Sixth pass").
"""

import argparse
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from sqlalchemy import create_engine, event, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import lifecycle  # noqa: E402

from app.bootstrap import prepare_database  # noqa: E402
from app.config import Config  # noqa: E402
from app.process_memory import settle_start_up  # noqa: E402
from app.services import open_services  # noqa: E402

PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON")  # as app/db.py sets them
JOURNAL_RECORD = b"x" * 100  # about what one operation's entry in a journal would take: its task, values, time


def recorded(engine, sessions, n) -> tuple[list, float]:
    """n stored lifecycles, timed, with every statement (SQL, parameters, executemany) and commit they made."""
    log = []

    def statement(conn, cursor, sql, params, context, executemany):
        log.append((sql, params, executemany))

    def commit(conn):
        log.append(("COMMIT", None, False))

    def rollback(conn):
        log.append(("ROLLBACK", None, False))

    hooks = (("before_cursor_execute", statement), ("commit", commit), ("rollback", rollback))
    for name, hook in hooks:
        event.listen(engine, name, hook)
    try:
        started = time.perf_counter()
        lifecycle.stored_lifecycles(sessions, n)
        return log, time.perf_counter() - started
    finally:
        for name, hook in hooks:
            event.remove(engine, name, hook)


def journal_sized(sql: str, params):
    """The instance's state replaced by a journal-sized record; every other parameter as recorded."""
    if "process_instance" in sql.split("(")[0] and sql.split()[0] in ("INSERT", "UPDATE"):
        return tuple(JOURNAL_RECORD if isinstance(p, bytes | bytearray | memoryview) else p for p in params)
    return tuple(params)


def sqlite_pragmas(dbapi_conn, _record):
    for pragma in PRAGMAS:
        dbapi_conn.execute(f"PRAGMA {pragma}")


def replay(database: Path, log: list, params_of=lambda sql, params: tuple(params)) -> float:
    """Seconds to run the record through the raw driver, each transaction as it was committed."""
    con = sqlite3.connect(database, isolation_level=None)
    sqlite_pragmas(con, None)
    in_transaction = False
    started = time.perf_counter()
    for sql, params, many in log:
        if sql in ("COMMIT", "ROLLBACK"):
            if in_transaction:
                con.execute(sql)
            in_transaction = False
            continue
        if not in_transaction:
            con.execute("BEGIN")
            in_transaction = True
        if many and params and isinstance(params[0], list | tuple):
            con.executemany(sql, [params_of(sql, p) for p in params])
        else:
            con.execute(sql, params_of(sql, params)).fetchall()
    if in_transaction:
        con.execute("COMMIT")
    seconds = time.perf_counter() - started
    con.close()
    return seconds


# a sample's part, by the frames on its stack (first match wins): what storage costs, and what it does not
PARTS = (
    ("storage: the state's serialisation", lambda stack: "dump_state (" in stack),
    ("storage: SQLAlchemy (with SQLite under it)", lambda stack: "sqlalchemy/" in stack),
    (
        "storage: the write path's own Python",
        lambda stack: re.search(r"\((app/(engine/saving|append_only|packing|engine/live|audit/data)\.py)", stack),
    ),
    ("engine: SpiffWorkflow with the model's functions", lambda stack: "SpiffWorkflow/" in stack),
    ("checks and the rest of the operations", lambda stack: True),
)


def shares(profile: Path) -> dict[str, float]:
    """Fractions of the stored lifecycles' samples in a py-spy raw profile (`stack count` lines), by part."""
    counts = dict.fromkeys(name for name, _ in PARTS)
    counts = {name: 0 for name in counts}
    for line in profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if "stored_lifecycles (" not in stack:
            continue
        counts[next(name for name, test in PARTS if test(stack))] += int(count)
    total = sum(counts.values()) or 1
    return {name: count / total for name, count in counts.items()}


def replay_through_sqlalchemy(engine, log: list) -> float:
    """Seconds to run the record through SQLAlchemy's thinnest layer (`exec_driver_sql`: no statement to compile,
    no ORM), each transaction as it was committed: less than any Core or ORM write costs."""
    started = time.perf_counter()
    transaction, conn = None, engine.connect()
    for sql, params, many in log:
        if sql in ("COMMIT", "ROLLBACK"):
            if transaction is not None:
                transaction.commit() if sql == "COMMIT" else transaction.rollback()
            transaction = None
            continue
        if transaction is None:
            transaction = conn.begin()
        if many and params and isinstance(params[0], list | tuple):
            conn.exec_driver_sql(sql, [tuple(p) for p in params])
        else:
            result = conn.exec_driver_sql(sql, tuple(params))
            if result.returns_rows:
                result.fetchall()
    if transaction is not None:
        transaction.commit()
    conn.close()
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="lifecycles per round (default 100)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stored-only", action="store_true", help="run only the stored lifecycles (to profile)")
    parser.add_argument("--shares", type=Path, help="a py-spy raw profile of --stored-only: print its parts")
    args = parser.parse_args()
    if args.shares:
        for name, fraction in shares(args.shares).items():
            print(f"{fraction * 100:5.1f} %  {name}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        services = open_services(Config(database_url=f"sqlite:///{path}"))
        prepare_database(services, demo=True)
        lifecycle.bare_lifecycles(5)
        settle_start_up()
        lifecycle.stored_lifecycles(services.sessions, 20)  # warm the statement caches and the live workflows
        if args.stored_only:
            lifecycle.stored_lifecycles(services.sessions, args.n)
            return
        figures = {
            "stored": [],
            "SQL replayed": [],
            "SQL replayed, journal-sized states": [],
            "SQL replayed through SQLAlchemy": [],
            "bare": [],
        }
        statements = commits = 0
        for r in range(args.rounds):
            with services.engine.connect() as conn:  # every write in the main file: the copy is the database
                conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            copies = [Path(tmp) / f"replay-{r}-{k}.sqlite3" for k in (1, 2, 3)]
            for copy in copies:
                shutil.copy(path, copy)
            log, stored = recorded(services.engine, services.sessions, args.n)
            statements = sum(1 for sql, _, _ in log if sql not in ("COMMIT", "ROLLBACK")) / args.n
            commits = sum(1 for sql, _, _ in log if sql == "COMMIT") / args.n
            figures["stored"].append(stored)
            figures["SQL replayed"].append(replay(copies[0], log))
            figures["SQL replayed, journal-sized states"].append(replay(copies[1], log, journal_sized))
            thin = create_engine(f"sqlite:///{copies[2]}")
            event.listen(thin, "connect", sqlite_pragmas)
            figures["SQL replayed through SQLAlchemy"].append(replay_through_sqlalchemy(thin, log))
            thin.dispose()
            figures["bare"].append(lifecycle.bare_lifecycles(args.n))
    print(f"lifecycles: {args.n} a round, {args.rounds} rounds, sqlite, this machine")
    print(f"per lifecycle: {statements:.1f} statements, {commits:.1f} commits")
    for name, seconds in figures.items():
        runs = ", ".join(f"{s * 1000 / args.n:.2f}" for s in seconds)
        print(f"{name + ':':38} {median(seconds) * 1000 / args.n:6.2f} ms a lifecycle (median; rounds {runs})")
    bare, sql = median(figures["bare"]), median(figures["SQL replayed, journal-sized states"])
    print(f"bare + the journal-sized replay, over bare: {(bare + sql) / bare:.2f}x (no ORM, no state, no checks)")


if __name__ == "__main__":
    main()
