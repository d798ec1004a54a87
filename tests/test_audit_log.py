"""The audit log is append-only, whatever path tries to change it."""

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from app.audit.models import AuditEntry

from .conftest import submit


def test_audit_entries_cannot_be_changed_through_the_orm(session):
    submit(session)
    entry = session.scalar(select(AuditEntry))
    entry.actor = "someone-else"
    with pytest.raises(PermissionError):
        session.flush()
    session.rollback()
    session.delete(session.scalar(select(AuditEntry)))
    with pytest.raises(PermissionError):
        session.flush()


def test_audit_entries_cannot_be_changed_in_sql(session):
    submit(session)
    with pytest.raises(DatabaseError, match="append-only"):
        session.execute(text("UPDATE audit_entry SET actor = 'x'"))
    session.rollback()
    with pytest.raises(DatabaseError, match="append-only"):
        session.execute(text("DELETE FROM audit_entry"))
