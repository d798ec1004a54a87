"""Migrations: the revisions make exactly the models' schema, the baseline is the previous release's, and a
database of the previous release is upgraded with its data and its cases go on to the end."""

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, func, inspect, select, text
from sqlalchemy.pool import NullPool

import app.models  # noqa: F401  (every table on the metadata)
from app.db import Base, make_engine, make_session_factory
from app.petitions.fulltext import models_name
from app.petitions.models import Petition
from app.schema import BASELINE, current_revision, head_revision, migrate

from .conftest import act, item_for

PREVIOUS_RELEASE = Path(__file__).parent / "fixtures" / "previous-release.sql"
CASES = {"waiting": "KZZ3-3PZV-C16C", "handling": "0JK7-SK7P-07ET", "published": "MKDF-NA2D-1E30"}


def test_the_migrated_schema_is_the_models_schema(db_url):
    engine = create_engine(db_url, poolclass=NullPool)
    with engine.connect() as connection:
        differences = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True, "include_name": models_name}),
            Base.metadata,
        )
        assert current_revision(connection) == head_revision()
    assert differences == []


def previous_release_file(tmp_path) -> Path:
    """A SQLite file exactly as the previous release left it (schema, demo data, three cases)."""
    path = tmp_path / "previous.sqlite3"
    connection = sqlite3.connect(path)
    connection.executescript(PREVIOUS_RELEASE.read_text(encoding="utf-8"))
    connection.close()
    return path


def shape(url: str) -> dict:
    """Tables with their columns (name, type, nullable), indexes and unique column sets."""
    inspector = inspect(create_engine(url, poolclass=NullPool))
    result = {}
    for table in inspector.get_table_names():
        if table == "alembic_version":
            continue
        columns = {(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)}
        indexes = {(tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)}
        uniques = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)}
        result[table] = (columns, indexes, uniques)
    return result


def test_the_baseline_revision_is_the_previous_releases_schema(tmp_path):
    previous = previous_release_file(tmp_path)
    baseline = tmp_path / "baseline.sqlite3"
    migrate(make_engine(f"sqlite:///{baseline}"), BASELINE)
    assert shape(f"sqlite:///{baseline}") == shape(f"sqlite:///{previous}")


def run_the_cases_to_the_end(url: str):
    """The previous release's open cases go on under this release: the one being handled is answered and
    published, the one waiting is forwarded; the published one is untouched."""
    sessions = make_session_factory(make_engine(url))
    with sessions() as session:
        handling = session.scalar(select(Petition).where(Petition.tracking_code == CASES["handling"]))
        act(session, "handler", handling, "handle", action="answer", answer="Đã lập biên bản, buộc tháo dỡ.")
        act(session, "leader", handling, "leader_approve", leader_decision="approve")
        act(session, "intake", handling, "review", review_decision="approve")
        act(session, "intake", handling, "publish", public_summary="Đã xử lý vi phạm lấn chiếm.")
        assert handling.status == "published" and handling.answer == "Đã lập biên bản, buộc tháo dỡ."
        waiting = session.scalar(select(Petition).where(Petition.tracking_code == CASES["waiting"]))
        act(session, "intake", waiting, "classify", decision="forward", lead_agency="KT-SXD")
        assert item_for(session, waiting, "handle").agency_code == "KT-SXD"
        statuses = dict(session.execute(select(Petition.tracking_code, Petition.status)).all())
        assert statuses[CASES["published"]] == "published"


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        tables = [t for t in inspect(connection).get_table_names() if t != "alembic_version"]
        return {t: connection.execute(select(func.count()).select_from(text(t))).scalar() for t in tables}


def test_a_previous_release_database_on_sqlite_is_upgraded_with_its_data_and_its_cases_run_to_the_end(tmp_path):
    url = f"sqlite:///{previous_release_file(tmp_path)}"
    before = counts(url)
    assert migrate(make_engine(url)) == (BASELINE, head_revision())
    after = counts(url)
    assert {t: n for t, n in after.items() if t in before} == before  # nothing lost
    run_the_cases_to_the_end(url)


def copy_rows(source_url: str, target_url: str):
    """Every row of the source into the target's tables of the same names, parents first; sequences follow."""
    source, target = create_engine(source_url, poolclass=NullPool), create_engine(target_url, poolclass=NullPool)
    tables = MetaData()
    tables.reflect(source)
    with source.connect() as reading, target.begin() as writing:
        for table in tables.sorted_tables:
            rows = [dict(row._mapping) for row in reading.execute(table.select())]
            if rows:
                writing.execute(table.insert(), rows)
            if "id" in table.c:
                writing.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                         f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)")
                )  # fmt: skip


def test_a_previous_release_database_on_postgresql_is_upgraded_with_its_data_and_its_cases_run_to_the_end(
    tmp_path, postgresql_server
):
    if postgresql_server is None:
        pytest.skip("this run uses SQLite; the PostgreSQL run (PAKN_TEST_DATABASE) covers it")
    name = f"pakn_previous_{tmp_path.name[-20:]}".replace("-", "_").lower()
    with postgresql_server.connect() as server:
        server.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgresql_server.url.set(database=name).render_as_string(hide_password=False)
    try:
        migrate(make_engine(url), BASELINE)  # the previous release's schema, as it would have made it
        sqlite_url = f"sqlite:///{previous_release_file(tmp_path)}"
        copy_rows(sqlite_url, url)
        before = counts(url)
        assert migrate(make_engine(url)) == (BASELINE, head_revision())
        assert {t: n for t, n in counts(url).items() if t in before} == before
        run_the_cases_to_the_end(url)
    finally:
        with postgresql_server.connect() as server:
            server.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
