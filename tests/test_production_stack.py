"""The production stack survives killed workers and a killed server (bench/crash.py in quick mode, PostgreSQL),
and the crash test's checker (bench/integrity.py) sees a half-advanced case when there is one."""

import subprocess
import sys
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.engine.models import ProcessInstance, Timer, WorkItem
from bench.integrity import check
from bench.load import Outcome, Tally

from .conftest import PROCESSES, TEST_DATABASE, submit


def test_acknowledged_work_survives_killed_gunicorn_workers_and_master(postgresql_server):
    if postgresql_server is None:
        pytest.skip("production runs on PostgreSQL: set PAKN_TEST_DATABASE (see .ci/run)")
    command = [sys.executable, "bench/crash.py", "--quick", "--database-url", TEST_DATABASE]
    done = subprocess.run(command, cwd=PROCESSES.parent, capture_output=True, text=True, timeout=150)
    assert done.returncode == 0, done.stdout + done.stderr
    assert ", missing 0," in done.stdout and "completions missing 0," in done.stdout, done.stdout
    assert "half-advanced 0" in done.stdout, done.stdout


def test_the_checker_finds_each_kind_of_half_advanced_case(db_url, session):
    petitions = [submit(session) for _ in range(4)]
    told = Tally([Outcome("submit", f"n{p.id}", 302, 0.1, p.tracking_code) for p in petitions])
    told.add(Outcome("submit", "lost", 302, 0.1, "XXXX-XXXX-XXXX"))  # acknowledged, never stored
    whole = check(db_url, told)
    assert (whole.counts["acknowledged"], whole.counts["missing"], whole.counts["half-advanced"]) == (5, 1, 0)
    first, second, third, fourth = (p.instance_id for p in petitions)
    session.delete(session.scalars(select(Timer).where(Timer.instance_id == first)).first())
    session.execute(update(WorkItem).where(WorkItem.instance_id == second).values(state="completed"))
    for timer in session.scalars(select(Timer).where(Timer.instance_id == third)):
        timer.due_at += timedelta(days=1)  # a deadline the instance does not know
    session.execute(update(ProcessInstance).where(ProcessInstance.id == fourth).values(state=b'{"tasks": {}}'))
    session.commit()
    broken = check(db_url, told)
    text = "\n".join(broken.half)
    assert broken.counts["half-advanced"] == 4, text
    assert f"{petitions[0].tracking_code}: timer rows differ" in text
    assert f"{petitions[1].tracking_code}: open work items [] != ready user tasks" in text
    assert f"{petitions[1].tracking_code}: work item" in text and "completed without its audit entry" in text
    assert f"{petitions[2].tracking_code}: timer rows differ" in text
    assert f"{petitions[3].tracking_code}: instance does not load" in text
