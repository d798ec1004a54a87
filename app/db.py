"""Database engine, session factory and the declarative base shared by every model."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, create_engine, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.types import TypeDecorator


class Base(DeclarativeBase):
    """Declarative base of every table of the product."""


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out; stored naive UTC so SQLite and PostgreSQL agree."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    """The current instant, aware, in UTC (moved by time-machine in tests)."""
    return datetime.now(UTC)


LOCK_WAIT = 30.0  # seconds the scheduler and commands wait for another writer's lock
# PostgreSQL error codes of a lock or statement that waited too long: lock_not_available, query_canceled.
LOCK_SQLSTATES = {"55P03", "57014"}
LIKE_ESCAPE = "\\"


def make_engine(url: str, *, lock_wait: float = LOCK_WAIT, **kwargs):
    """Create the SQLAlchemy engine; SQLite gets WAL, foreign keys and a busy timeout of `lock_wait` seconds.

    On PostgreSQL `lock_wait` becomes `lock_timeout`. A connection taken from the pool waits `lock_wait` again
    even when a web request lowered it (see set_lock_wait).
    """
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": lock_wait})
    elif url.startswith("postgresql"):
        kwargs.setdefault("connect_args", {"options": f"-c lock_timeout={int(lock_wait * 1000)}"})
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        @event.listens_for(engine, "checkout")
        def _sqlite_lock_wait(dbapi_conn, _record, _proxy):
            dbapi_conn.execute(f"PRAGMA busy_timeout = {int(lock_wait * 1000)}")

    return engine


def set_lock_wait(connection, seconds: float):
    """Let this connection's current transaction wait at most `seconds` for another writer's lock."""
    milliseconds = int(seconds * 1000)
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql(f"PRAGMA busy_timeout = {milliseconds}")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(f"SET LOCAL lock_timeout = {milliseconds}")


def is_lock_timeout(error: OperationalError) -> bool:
    """The database refused because another transaction held a lock too long (SQLite busy, PostgreSQL timeouts)."""
    original = error.orig
    code = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return code in LOCK_SQLSTATES or "database is locked" in str(original)


def contains_pattern(text: str) -> str:
    """A LIKE pattern finding `text` anywhere, its `%` and `_` taken literally (use with escape=LIKE_ESCAPE)."""
    escaped = text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")
    return f"%{escaped}%"


def make_session_factory(engine, calendars_dir=None):
    """Sessions keep loaded objects usable after commit (operations return them to callers).

    `calendars_dir` (in each session's info) says which calendar files are in force; default: the repository's.
    """
    info = {"calendars_dir": str(calendars_dir)} if calendars_dir else {}
    return sessionmaker(engine, expire_on_commit=False, info=info)


def create_schema(engine):
    """Create every table (the models must be imported first; app.models does that)."""
    import app.models  # noqa: F401  (registers every table on Base.metadata)

    Base.metadata.create_all(engine)


class SchemaOutdated(RuntimeError):
    """The database was created by an older release: columns the code needs are missing."""


def check_schema(engine):
    """Stop at start with a clear message rather than fail later on a missing column."""
    inspector = inspect(engine)
    for table in Base.metadata.sorted_tables:
        present = {c["name"] for c in inspector.get_columns(table.name)}
        missing = [c.name for c in table.columns if c.name not in present]
        if missing:
            raise SchemaOutdated(
                f"table {table.name} lacks {', '.join(missing)}: the database predates this release "
                f"(demo database: delete it, e.g. instance/pakn.sqlite3, and start again)"
            )
