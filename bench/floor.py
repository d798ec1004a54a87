"""Benchmark: what the database itself costs a stored lifecycle, with no Python above the driver (issue 18 point 3).

    python bench/floor.py [-n 100] [--rounds 3] [--database postgresql+psycopg://…/any_db]
    py-spy record -r 400 -f raw -o /tmp/stored.txt -- .venv/bin/python bench/floor.py --stored-only -n 400
    python bench/floor.py --shares /tmp/stored.txt      # where the stored run's time goes, from that profile

Each round copies the database (a file beside it; on PostgreSQL a database made from it as a template), runs n
stored lifecycles (lifecycle.py's) recording every statement, its parameters and every commit, then replays that
record on copies: through the raw driver (`sqlite3`, `psycopg`: the same rows, indexes, full-text triggers and
commits, with no SQLAlchemy, no engine and no domain code); the same with each instance's state written as a
100-byte record instead of the whole state (what a journal of operations would write); and through SQLAlchemy's
thinnest layer (`exec_driver_sql`). The bare engine runs the same n lifecycles. Prints ms per lifecycle of each.

The replays are a floor for any write path on this schema: a lifecycle stored with no ORM and no state
serialisation still pays them, besides the engine with the model's real functions and the checks each operation
makes (form values, permissions, repeats), which the bare engine does not run. `--shares` reads a py-spy profile
of the stored run and splits its samples into those parts (bench/README.md, "Sixth pass").
"""

import argparse
import itertools
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

import psycopg
from sqlalchemy import create_engine, event, make_url, text
from sqlalchemy.pool import NullPool

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import lifecycle  # noqa: E402

from app.bootstrap import prepare_database  # noqa: E402
from app.config import Config  # noqa: E402
from app.process_memory import settle_start_up  # noqa: E402
from app.services import open_services  # noqa: E402

PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON")  # as app/db.py sets them
JOURNAL_RECORD = b"x" * 100  # about what one operation's entry in a journal would take: its task, values, time
ENDS = ("COMMIT", "ROLLBACK")
BINARY = (bytes, bytearray, memoryview, psycopg.Binary)  # how the drivers are given a state


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


class Copies:
    """Copies of a database as it stands: files beside it (SQLite) or databases made from it (PostgreSQL)."""

    def __init__(self, folder: Path):
        self.folder, self.made, self.numbers = folder, [], itertools.count(1)

    def take(self, engine) -> str:
        """A copy's URL; the engine's connections are closed first (a template must have none)."""
        url = engine.url
        name = f"floor_copy_{os.getpid()}_{next(self.numbers)}"
        if url.get_backend_name() == "sqlite":
            with engine.connect() as conn:  # every write in the main file: the copy is the database
                conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            engine.dispose()
            copy = self.folder / f"{name}.sqlite3"
            shutil.copy(url.database, copy)
            return f"sqlite:///{copy}"
        engine.dispose()
        with server(url).connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))
        self.made.append((url, name))
        return url.set(database=name).render_as_string(hide_password=False)

    def drop(self):
        for url, name in self.made:
            with server(url).connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def server(url):
    """An autocommit engine on the server's maintenance database (CREATE and DROP DATABASE)."""
    return create_engine(url.set(database="template1"), isolation_level="AUTOCOMMIT", poolclass=NullPool)


def journal_sized(sql: str, params):
    """The instance's state replaced by a journal-sized record; every other parameter as recorded."""
    if "process_instance" not in sql.split("(")[0] or sql.split()[0] not in ("INSERT", "UPDATE"):
        return params
    small = lambda value: JOURNAL_RECORD if isinstance(value, BINARY) else value  # noqa: E731
    return {k: small(v) for k, v in params.items()} if isinstance(params, dict) else tuple(map(small, params))


def _as_recorded(sql, params):
    return params


def _rows(params) -> bool:
    """Whether executemany's parameters are a list of rows (not one row that the flag came with)."""
    return bool(params) and isinstance(params, list | tuple) and isinstance(params[0], list | tuple | dict)


def replay(url: str, log: list, params_of=_as_recorded) -> float:
    """Seconds to run the record through the raw driver, each transaction as it was committed."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        con = sqlite3.connect(url.database, isolation_level=None)
        sqlite_pragmas(con, None)
        begin, end = (lambda: con.execute("BEGIN")), (lambda word: con.execute(word))
    else:
        con = psycopg.connect(
            host=url.host, port=url.port, user=url.username, password=url.password, dbname=url.database
        )
        begin, end = (lambda: None), (lambda word: con.commit() if word == "COMMIT" else con.rollback())
    cursor, in_transaction = con.cursor(), False
    started = time.perf_counter()
    for sql, params, many in log:
        if sql in ENDS:
            if in_transaction:
                end(sql)
            in_transaction = False
            continue
        if not in_transaction:
            begin()
            in_transaction = True
        if many and _rows(params):
            cursor.executemany(sql, [params_of(sql, p) for p in params])
        else:
            cursor.execute(sql, params_of(sql, params))
            if cursor.description is not None:
                cursor.fetchall()
    if in_transaction:
        end("COMMIT")
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def replay_through_sqlalchemy(url: str, log: list) -> float:
    """Seconds to run the record through SQLAlchemy's thinnest layer (`exec_driver_sql`: no statement to compile,
    no ORM), each transaction as it was committed: less than any Core or ORM write costs."""
    engine = create_engine(url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", sqlite_pragmas)
    conn, transaction = engine.connect(), None
    started = time.perf_counter()
    for sql, params, many in log:
        if sql in ENDS:
            if transaction is not None:
                transaction.commit() if sql == "COMMIT" else transaction.rollback()
            transaction = None
            continue
        if transaction is None:
            transaction = conn.begin()
        if many and _rows(params):
            conn.exec_driver_sql(sql, [p if isinstance(p, dict) else tuple(p) for p in params])
        else:
            result = conn.exec_driver_sql(sql, params if isinstance(params, dict) else tuple(params))
            if result.returns_rows:
                result.fetchall()
    if transaction is not None:
        transaction.commit()
    seconds = time.perf_counter() - started
    conn.close()
    engine.dispose()
    return seconds


def sqlite_pragmas(dbapi_conn, _record):
    for pragma in PRAGMAS:
        dbapi_conn.execute(f"PRAGMA {pragma}")


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
    counts = {name: 0 for name, _ in PARTS}
    for line in profile.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if "stored_lifecycles (" not in stack:
            continue
        counts[next(name for name, test in PARTS if test(stack))] += int(count)
    total = sum(counts.values()) or 1
    return {name: count / total for name, count in counts.items()}


def bench_database(args, copies: Copies) -> str:
    """A new empty database for the run: a file, or a database on the server `--database` names (dropped with
    the copies)."""
    if not args.database:
        return f"sqlite:///{copies.folder / 'bench.sqlite3'}"
    url = make_url(args.database)
    name = f"floor_bench_{os.getpid()}"
    with server(url).connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    copies.made.append((url, name))
    return url.set(database=name).render_as_string(hide_password=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="lifecycles per round (default 100)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", help="a PostgreSQL server's URL (default: a new SQLite file)")
    parser.add_argument("--stored-only", action="store_true", help="run only the stored lifecycles (to profile)")
    parser.add_argument("--shares", type=Path, help="a py-spy raw profile of --stored-only: print its parts")
    args = parser.parse_args()
    if args.shares:
        for name, fraction in shares(args.shares).items():
            print(f"{fraction * 100:5.1f} %  {name}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        copies = Copies(Path(tmp))
        try:
            measure(args, bench_database(args, copies), copies)
        finally:
            copies.drop()


def measure(args, url: str, copies: Copies):
    services = open_services(Config(database_url=url))
    prepare_database(services, demo=True)
    lifecycle.bare_lifecycles(5)
    settle_start_up()
    lifecycle.stored_lifecycles(services.sessions, 20)  # warm the statement caches and the live workflows
    if args.stored_only:
        lifecycle.stored_lifecycles(services.sessions, args.n)
        return
    names = ("stored", "SQL replayed", "SQL replayed, journal-sized states", "SQL replayed through SQLAlchemy", "bare")
    figures = {name: [] for name in names}
    for _ in range(args.rounds):
        raw, journal, thin = (copies.take(services.engine) for _ in range(3))
        log, stored = recorded(services.engine, services.sessions, args.n)
        figures["stored"].append(stored)
        figures["SQL replayed"].append(replay(raw, log))
        figures["SQL replayed, journal-sized states"].append(replay(journal, log, journal_sized))
        figures["SQL replayed through SQLAlchemy"].append(replay_through_sqlalchemy(thin, log))
        figures["bare"].append(lifecycle.bare_lifecycles(args.n))
    services.engine.dispose()
    statements = sum(1 for sql, _, _ in log if sql not in ENDS) / args.n
    commits = sum(1 for sql, _, _ in log if sql == "COMMIT") / args.n
    print(f"lifecycles: {args.n} a round, {args.rounds} rounds, {services.engine.dialect.name}, this machine")
    print(f"per lifecycle: {statements:.1f} statements, {commits:.1f} commits")
    for name, seconds in figures.items():
        runs = ", ".join(f"{s * 1000 / args.n:.2f}" for s in seconds)
        print(f"{name + ':':38} {median(seconds) * 1000 / args.n:6.2f} ms a lifecycle (median; rounds {runs})")
    bare, sql = median(figures["bare"]), median(figures["SQL replayed, journal-sized states"])
    print(f"bare + the journal-sized replay, over bare: {(bare + sql) / bare:.2f}x (no ORM, no state, no checks)")


if __name__ == "__main__":
    main()
