"""The database schema is what the Alembic revisions in app/migrations make it: created, upgraded, checked.

A database made by the release before migrations (tables, no alembic_version) is stamped with the baseline,
which is that release's schema, and upgraded from there.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BASELINE = "0001_baseline"


class SchemaOutdated(RuntimeError):
    """The database is not at the revision this release needs; the start stops with what to run."""


def alembic_config(connection=None) -> AlembicConfig:
    """Alembic's settings in code (no alembic.ini): the product's migrations, on `connection` when given."""
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("file_template", "%%(rev)s")  # files named by their revision id
    if connection is not None:
        config.attributes["connection"] = connection
        config.set_main_option("sqlalchemy.url", connection.engine.url.render_as_string(hide_password=False))
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def migrate(engine, revision: str = "head") -> tuple[str | None, str]:
    """Bring the database to `revision` (default: the newest); returns (before, after)."""
    with engine.begin() as connection:
        before = current_revision(connection)
        if before is None and inspect(connection).has_table("petition"):
            command.stamp(alembic_config(connection), BASELINE)  # made by the release before migrations
            before = BASELINE
        command.upgrade(alembic_config(connection), revision)
        return before, current_revision(connection)


def require_current_schema(engine):
    """Stop a server whose database is not at this release's revision (operators run `run.py init` first)."""
    with engine.connect() as connection:
        current, head = current_revision(connection), head_revision()
    if current != head:
        raise SchemaOutdated(
            f"the database is at revision {current or 'none'}, this release needs {head}: "
            "run `python run.py init` (it migrates and changes nothing else that exists)"
        )
