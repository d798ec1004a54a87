"""A database locked by another writer: pages answer 503 with a retry time within seconds, and save nothing."""

import sqlite3
import time

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from app.audit.models import AuditEntry
from app.db import is_lock_timeout, make_engine
from app.petitions.models import Petition

from .conftest import valid_submission
from .web import csrf_token


@pytest.fixture
def write_lock(db_url):
    """Another connection holding the write lock, as a long transaction of another process would: SQLite's
    database lock, or on PostgreSQL a lock on the petition table that blocks every insert into it."""

    def hold():
        if db_url.startswith("sqlite"):
            holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
            holder.execute("BEGIN IMMEDIATE")
            holders.append(holder.close)
        else:
            connection = create_engine(db_url, poolclass=NullPool).connect()
            connection.execute(text("LOCK TABLE petition IN EXCLUSIVE MODE"))
            holders.append(connection.close)

    holders = []
    yield hold
    for release in holders:
        release()


def rows(session) -> tuple[int, int]:
    """Petitions and audit entries stored."""
    return session.scalar(select(func.count(Petition.id))), session.scalar(select(func.count(AuditEntry.id)))


def test_a_submission_while_another_writer_holds_the_lock_is_a_503_within_seconds_and_saves_nothing(
    client, session, write_lock
):
    before = rows(session)
    form = {k: v for k, v in valid_submission().items() if k != "channel"}
    form["csrf_token"] = csrf_token(client, "/gui-phan-anh")
    write_lock()
    started = time.monotonic()
    response = client.post("/gui-phan-anh", data=form)
    elapsed = time.monotonic() - started
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Hệ thống đang bận" in response.data.decode() and "thử lại sau 5 giây" in response.data.decode()
    assert elapsed < 15  # the 5 s lock wait and the page, not an unbounded hang (more on a busy machine)
    session.rollback()
    assert rows(session) == before


def test_the_scheduler_and_commands_wait_as_long_as_they_are_told(db_url):
    engine = make_engine(db_url, lock_wait=12)
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 12_000
        else:
            assert connection.exec_driver_sql("SHOW lock_timeout").scalar() == "12s"
    engine.dispose()


class PostgresError(Exception):
    """What psycopg (sqlstate) and psycopg2 (pgcode) raise, reduced to the attribute we read."""

    def __init__(self, sqlstate=None, pgcode=None):
        super().__init__("canceling statement")
        self.sqlstate, self.pgcode = sqlstate, pgcode


@pytest.mark.parametrize(
    "original, busy",
    [
        (sqlite3.OperationalError("database is locked"), True),
        (PostgresError(sqlstate="55P03"), True),  # lock_timeout
        (PostgresError(pgcode="57014"), True),  # statement_timeout
        (PostgresError(sqlstate="42P01"), False),  # undefined table: a real failure
        (sqlite3.OperationalError("no such table: petitions"), False),
    ],
)
def test_lock_timeouts_of_sqlite_and_postgresql_count_as_busy_and_nothing_else(original, busy):
    assert is_lock_timeout(OperationalError("SELECT 1", {}, original)) is busy
