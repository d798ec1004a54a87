"""The engine's read path: pages, task forms and auditors read an instance without the writer's lock, and leave
the live workflow the write path keeps for the next writer."""

import ast
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app.config import ROOT
from app.engine.instances import read_instance
from app.engine.live import is_live
from app.engine.models import ProcessInstance
from app.tasks.task_forms import task_context

from .conftest import ON_POSTGRESQL, act, item_for, submit


@contextmanager
def locking_statements():
    """Every ORM statement run meanwhile that would lock rows on PostgreSQL (SQLite drops FOR UPDATE silently)."""
    seen = []

    def watch(state):
        if "FOR UPDATE" in str(state.statement.compile(dialect=postgresql.dialect())):
            seen.append(str(state.statement))

    event.listen(Session, "do_orm_execute", watch)
    try:
        yield seen
    finally:
        event.remove(Session, "do_orm_execute", watch)


def forwarded(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    return petition, item_for(session, petition, "handle")


def test_a_task_page_with_its_form_takes_no_row_lock(session, login):
    _petition, handle = forwarded(session)
    handler = login("handler")
    with locking_statements() as locking:
        page = handler.get(f"/cong-viec/{handle.id}")
    assert page.status_code == 200 and 'data-cf-key="action"' in page.data.decode()  # the form read the task data
    assert locking == []


def test_a_task_page_leaves_the_live_workflow_for_the_next_writer(session, login):
    petition, handle = forwarded(session)
    version = session.get(ProcessInstance, petition.instance_id).lock_version
    assert is_live(session, petition.instance_id, version)  # kept by the classification's save
    assert login("handler").get(f"/cong-viec/{handle.id}").status_code == 200
    assert is_live(session, petition.instance_id, version)


def test_the_auditors_page_leaves_the_live_workflow_for_the_next_writer(session, login):
    petition, _handle = forwarded(session)
    version = session.get(ProcessInstance, petition.instance_id).lock_version
    assert login("auditor").get(f"/kiem-tra/{petition.instance_id}").status_code == 200
    assert is_live(session, petition.instance_id, version)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="row locks are PostgreSQL's (SQLite locks the whole file to write)")
def test_a_writer_locks_the_instance_while_a_reader_still_holds_its_transaction_open(sessions, db_url):
    with sessions() as reader:
        petition, handle = forwarded(reader)
        context = task_context(reader, handle, petition)  # the reader's transaction stays open
        assert context["lead_agency"] == "QNG-SXD"
        writer = create_engine(db_url, poolclass=NullPool)
        with writer.connect() as other:
            query = text("SELECT id FROM process_instance WHERE id = :id FOR UPDATE NOWAIT")
            assert other.execute(query, {"id": petition.instance_id}).scalar() == petition.instance_id
            other.rollback()
        writer.dispose()


def test_a_snapshot_changed_by_its_reader_is_never_saved(session):
    petition, handle = forwarded(session)
    before = session.get(ProcessInstance, petition.instance_id)
    stored, version = before.state, before.lock_version
    snapshot = read_instance(session, petition.instance_id)
    snapshot.workflow.get_task_from_id(UUID(handle.task_id)).data["lead_agency"] = "QNG-SNNMT"
    session.commit()
    after = session.get(ProcessInstance, petition.instance_id)
    session.refresh(after)
    assert (after.state, after.lock_version) == (stored, version)
    assert read_instance(session, petition.instance_id).task_data(handle.task_id)["lead_agency"] == "QNG-SXD"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_auditors_pages_and_queries_reach_the_engine_through_its_facade_only():
    files = [ROOT / "app/web/pages/audit.py", *sorted((ROOT / "app/inspection").glob("*.py"))]
    for path in files:
        engine = {m for m in imported_modules(path) if m.startswith(("app.engine", "SpiffWorkflow"))}
        assert engine <= {"app.engine.instances", "app.engine.models"}, path.name
