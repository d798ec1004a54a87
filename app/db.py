"""Database engine, session factory and the declarative base shared by every model."""

from datetime import UTC, datetime

from sqlalchemy import DateTime, create_engine, event, inspect
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


def make_engine(url: str, **kwargs):
    """Create the SQLAlchemy engine; SQLite gets WAL, foreign keys and a generous busy timeout."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

    return engine


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
