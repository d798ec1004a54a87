"""bench/floor.py replays a stored run's statements through the raw driver: the replay must write the very rows
the run wrote (every table, the full-text index's included), or its figure is not the run's floor."""

import importlib.util
import sys

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from app.config import ROOT, Config
from app.services import open_services


def _floor():
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("floor", ROOT / "bench" / "floor.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tables(url) -> dict[str, list]:
    """Every table's rows, in an order that does not depend on how they were stored."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        dump = {name: sorted(map(tuple, conn.execute(text(f'SELECT * FROM "{name}"'))), key=repr) for name in names}
    engine.dispose()
    return dump


def test_the_replays_write_what_the_stored_run_wrote(db_url, tmp_path):
    floor = _floor()
    services = open_services(Config(database_url=db_url))
    copies = floor.Copies(tmp_path)
    try:
        raw, journal, thin = (copies.take(services.engine) for _ in range(3))
        before = _tables(raw)
        log, _seconds = floor.recorded(services.engine, services.sessions, 2)
        services.engine.dispose()
        floor.replay(raw, log)
        floor.replay(journal, log, floor.journal_sized)
        floor.replay_through_sqlalchemy(thin, log)

        stored, replayed, journaled = _tables(db_url), _tables(raw), _tables(journal)
        assert stored == replayed == _tables(thin)
        assert len(stored["petition"]) == len(before["petition"]) + 2  # the run wrote: the comparison means something
        assert sum(1 for sql, _, _ in log if sql == "COMMIT") == 12  # six operations a lifecycle, one commit each
        others = {name for name in stored if name != "process_instance"}
        assert {name: journaled[name] for name in others} == {name: stored[name] for name in others}
        states = [len(row.state) for row in _instances(journal)][len(before["process_instance"]) :]
        assert states == [len(floor.JOURNAL_RECORD)] * 2  # the two new instances: their states journal-sized
    finally:
        copies.drop()


def _instances(url):
    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT state FROM process_instance ORDER BY id")).all()
    engine.dispose()
    return rows


def test_a_profile_is_split_into_storage_engine_and_checks(tmp_path):
    profile = tmp_path / "stored.txt"
    stored = "<module> (floor.py:1);stored_lifecycles (lifecycle.py:90)"
    profile.write_text(
        "\n".join(
            (
                f"{stored};complete_task (app/tasks/operations.py:1);Session.flush (sqlalchemy/orm/session.py:1) 6",
                f"{stored};save (app/engine/saving.py:42);dump_state (app/engine/serialization.py:1) 2",
                f"{stored};advance (app/engine/runtime.py:1);Task.run (SpiffWorkflow/task.py:1) 3",
                f"{stored};_sync_work_items (app/engine/saving.py:80) 1",
                f"{stored};submit (app/camunda_forms/submission.py:1) 4",
                "<module> (floor.py:1);bare_lifecycles (lifecycle.py:120);Task.run (SpiffWorkflow/task.py:1) 50",
            )
        )
    )
    parts = _floor().shares(profile)
    assert parts == {
        "storage: the state's serialisation": 2 / 16,
        "storage: SQLAlchemy (with SQLite under it)": 6 / 16,
        "storage: the write path's own Python": 1 / 16,
        "engine: SpiffWorkflow with the model's functions": 3 / 16,
        "checks and the rest of the operations": 4 / 16,
    }
