"""Alembic's environment: the product's metadata; a connection handed in by app/schema.py, or the URL's."""

from alembic import context
from sqlalchemy import create_engine

import app.models  # noqa: F401  (registers every table on Base.metadata)
from app.db import Base, UTCDateTime
from app.petitions.fulltext import models_name

config = context.config


def include_object(obj, name, type_, reflected, compare_to):
    """Alembic's own bookkeeping table is not part of the models."""
    return not (type_ == "table" and name == "alembic_version")


def render_item(type_, obj, autogen_context):
    """Revisions name plain SQLAlchemy types: they must not change when the application's types do."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def run_migrations(connection):
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters a table by copying it
        compare_type=True,
        include_object=include_object,
        include_name=models_name,  # the full-text index is the migration's
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    with create_engine(config.get_main_option("sqlalchemy.url")).connect() as own:
        run_migrations(own)
