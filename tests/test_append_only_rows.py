"""Append-only rows (audit entries, notifications, case events) written with Core INSERTs (issue 18 point 3): each
table's rows of an operation in one INSERT, in the transaction of the instance's version-checked UPDATE; a failed
check, a rollback or a savepoint's rollback leaves none of them, and nothing queued reaches a later transaction."""

import pytest
from sqlalchemy import event, func, select

from app.audit.log import record
from app.audit.models import AuditEntry
from app.engine.runtime import InstanceConflict
from app.petitions.models import CaseEvent, Notification
from app.tasks.operations import complete_task

from .conftest import item_for, submit, user
from .test_operation_statements import count, statements

FORWARD = {"decision": "forward", "lead_agency": "QNG-SXD"}


def rows(session, model, petition) -> int:
    return session.scalar(select(func.count()).select_from(model).where(model.petition_id == petition.id))


def written(session, petition) -> tuple[int, int, int]:
    return tuple(rows(session, model, petition) for model in (AuditEntry, Notification, CaseEvent))


def test_a_completion_writes_each_append_only_table_in_one_insert_before_the_instance_s_update(session):
    petition = submit(session)
    before = written(session, petition)
    item_id, clerk = item_for(session, petition, "classify").id, user(session, "intake")
    seen = statements(session, lambda: complete_task(session, clerk, item_id, FORWARD))
    for table in ("audit_entry", "notification", "case_event"):
        assert count(seen, rf"INSERT INTO {table}\b") == 1, table
    # the sender's e-mail and SMS of "forwarded": two rows of the one INSERT
    assert written(session, petition) == (before[0] + 1, before[1] + 2, before[2] + 1)
    update = next(i for i, s in enumerate(seen) if s.startswith("UPDATE process_instance"))
    assert all(i < update for i, s in enumerate(seen) if s.startswith("INSERT INTO notification"))


def test_a_failed_version_check_leaves_none_of_them_and_the_retry_writes_its_own_once(session):
    petition = submit(session)
    before = written(session, petition)
    item_id, clerk = item_for(session, petition, "classify").id, user(session, "intake")
    bumped = []

    def another_writer_first(conn, cursor, statement, *rest):
        # another node stores a newer version just before this UPDATE: its version check finds no row
        if statement.startswith("UPDATE process_instance") and not bumped:
            bumped.append(True)
            cursor.execute(
                f"UPDATE process_instance SET lock_version = lock_version + 1 WHERE id = {petition.instance_id}"
            )

    event.listen(session.bind, "before_cursor_execute", another_writer_first)
    try:
        with pytest.raises(InstanceConflict):
            complete_task(session, clerk, item_id, FORWARD)
    finally:
        event.remove(session.bind, "before_cursor_execute", another_writer_first)
    assert written(session, petition) == before
    assert item_for(session, petition, "classify").id == item_id  # the task is still open
    complete_task(session, clerk, item_id, FORWARD)
    assert written(session, petition) == (before[0] + 1, before[1] + 2, before[2] + 1)


def test_a_rolled_back_entry_never_reaches_a_later_transaction(session):
    record(session, "tester", "test.rolled_back")
    session.rollback()
    record(session, "tester", "test.kept")
    session.commit()
    actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("test.%"))))
    assert actions == {"test.kept"}


def test_a_query_of_the_transaction_sees_its_queued_entry_as_with_an_orm_row(session):
    record(session, "tester", "test.queued")
    assert session.scalar(select(func.count()).where(AuditEntry.action == "test.queued")) == 1
    session.rollback()
    assert session.scalar(select(func.count()).where(AuditEntry.action == "test.queued")) == 0


def test_a_savepoint_s_rollback_forgets_its_own_rows_and_keeps_those_queued_before_it_a_release_keeps_its(session):
    record(session, "tester", "test.before")
    with pytest.raises(RuntimeError):
        with session.begin_nested():
            record(session, "tester", "test.inside")
            # a query of the transaction writes both, inside the savepoint
            assert session.scalar(select(func.count()).where(AuditEntry.action.like("test.%"))) == 2
            raise RuntimeError("this instance failed")
    with session.begin_nested():
        record(session, "tester", "test.released")
    record(session, "tester", "test.after")
    session.commit()
    actions = list(
        session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("test.%")).order_by(AuditEntry.id))
    )
    assert actions == ["test.before", "test.released", "test.after"]
