"""Database engine, session factory and the declarative base shared by every model."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

# Named constraints: migrations can alter and drop them by name on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every table of the product."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


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
        # jit off: compiling a plan costs tens of milliseconds, more than the short queries of a page it speeds up
        kwargs.setdefault("connect_args", {"options": f"-c lock_timeout={int(lock_wait * 1000)} -c jit=off"})
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


def make_session_factory(engine, config=None):
    """The session factory of Services on `engine` (settings: `config`, else the environment's with this URL)."""
    from app.config import Config  # noqa: PLC0415
    from app.services import open_services  # noqa: PLC0415

    config = config or Config(database_url=engine.url.render_as_string(hide_password=False))
    return open_services(config, engine).sessions
