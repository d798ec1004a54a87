"""bench/floor.py replays a stored run's statements through the raw driver: the replay must write the very rows
the run wrote (every table, the full-text index's included), or its figure is not the run's floor."""

import importlib.util
import shutil
import sqlite3
import sys

from sqlalchemy import create_engine, text

from app.bootstrap import prepare_database
from app.config import ROOT, Config
from app.services import open_services


def _floor():
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("floor", ROOT / "bench" / "floor.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _tables(path) -> dict[str, list]:
    con = sqlite3.connect(path)
    names = [row[0] for row in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    dump = {name: sorted(con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
    con.close()
    return dump


def test_the_replay_writes_what_the_stored_run_wrote(tmp_path):
    floor = _floor()
    path = tmp_path / "run.sqlite3"
    services = open_services(Config(database_url=f"sqlite:///{path}"))
    prepare_database(services, demo=True)
    with services.engine.connect() as conn:
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    copy, journal, thin = (tmp_path / f"{name}.sqlite3" for name in ("replay", "journal", "thin"))
    for target in (copy, journal, thin):
        shutil.copy(path, target)
    before = _tables(copy)

    log, _seconds = floor.recorded(services.engine, services.sessions, 2)
    services.engine.dispose()
    floor.replay(copy, log)
    floor.replay(journal, log, floor.journal_sized)
    through_sqlalchemy = create_engine(f"sqlite:///{thin}")
    floor.replay_through_sqlalchemy(through_sqlalchemy, log)
    through_sqlalchemy.dispose()

    stored, replayed, journaled = _tables(path), _tables(copy), _tables(journal)
    assert stored == replayed == _tables(thin)
    assert {name: rows for name, rows in journaled.items() if name != "process_instance"} == {
        name: rows for name, rows in stored.items() if name != "process_instance"
    }
    states = sqlite3.connect(journal).execute("SELECT length(state) FROM process_instance ORDER BY id")
    new_states = [length for (length,) in states][len(before["process_instance"]) :]
    assert new_states == [len(floor.JOURNAL_RECORD)] * 2  # the two new instances: their states journal-sized
    assert len(stored["petition"]) == len(before["petition"]) + 2  # the run wrote: the comparison means something
    assert sum(1 for sql, _, _ in log if sql == "COMMIT") == 12  # six operations a lifecycle, one commit each


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
