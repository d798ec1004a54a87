"""Append-only rows (audit entries, notifications, case events) written with Core INSERTs, not ORM objects.

An operation queues them; when the session flushes or commits they go out in its transaction, each table's rows in
one executemany, in the order they were queued, before the unit of work's own rows (every row they refer to is
stored already: an id is only known once stored). A rollback forgets them; a savepoint's rollback forgets those
queued inside it and writes again those it had taken with it.
"""

from sqlalchemy import Table, event, insert
from sqlalchemy.orm import Session

KEY = "append_only_rows"  # session.info key


class Appended:
    """The rows of one session's transaction: `rows[:written]` are in the database, the rest are queued."""

    def __init__(self):
        self.rows: list[tuple[Table, dict]] = []
        self.written = 0
        self.marks: dict = {}  # savepoint → (len(rows), written) when it began

    def write(self, session):
        queued = self.rows[self.written :]
        if not queued:
            return
        by_table: dict[Table, list[dict]] = {}
        for table, row in queued:
            by_table.setdefault(table, []).append(row)
        if self.marks:  # a savepoint may still roll back: keep what it took with it
            self.written = len(self.rows)
        else:
            self.rows, self.written = [], 0
        connection = session.connection()
        for table, rows in by_table.items():
            connection.execute(insert(table), rows)


def append(session, table: Table, row: dict):
    """Queue a row of `table` (every row of a table with the same keys) for this session's transaction."""
    if not session.in_transaction():
        session.begin()  # as session.add does: a rollback before anything else is written forgets the row
    appended = session.info.get(KEY)
    if appended is None:
        appended = session.info[KEY] = Appended()
    appended.rows.append((table, row))


def write_appended(session):
    """Write the queued rows now (the session's flush and commit do it on their own)."""
    appended = session.info.get(KEY)
    if appended is not None:
        appended.write(session)


@event.listens_for(Session, "before_flush")
def _before_flush(session, _flush_context, _instances):
    write_appended(session)


@event.listens_for(Session, "before_commit")
def _before_commit(session):
    write_appended(session)  # a session with no ORM change commits without a flush


@event.listens_for(Session, "do_orm_execute")
def _before_query(state):
    # as the autoflush does for pending objects: a query of this transaction sees its rows
    if state.session.autoflush and KEY in state.session.info and state.is_select:
        write_appended(state.session)


@event.listens_for(Session, "after_transaction_create")
def _mark_savepoint(session, transaction):
    appended = session.info.get(KEY)
    if transaction.nested and appended is not None:
        appended.marks[transaction] = (len(appended.rows), appended.written)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    appended = session.info.get(KEY)
    if appended is None:
        return
    savepoint = session.get_nested_transaction()  # the one rolled back, while it still is the session's
    if savepoint is None:
        session.info.pop(KEY, None)
        return
    queued, written = appended.marks.pop(savepoint, (0, 0))
    del appended.rows[queued:]
    appended.written = min(appended.written, written)  # what it wrote of the rows queued before it is gone too


@event.listens_for(Session, "after_transaction_end")
def _forget_at_the_end(session, transaction):
    appended = session.info.get(KEY)
    if appended is None:
        return
    if transaction.nested:
        appended.marks.pop(transaction, None)
    elif transaction.parent is None:
        session.info.pop(KEY, None)  # committed (written before) or rolled back, or closed: never a later one's
