"""Several scheduler processes on one database (PostgreSQL in production: claims FOR UPDATE SKIP LOCKED)."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import time_machine
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.engine.models import Timer

from .conftest import PROCESSES, submit


def test_two_scheduler_processes_fire_every_due_timer_exactly_once(db_url, session):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        petitions = [submit(session) for _ in range(30)]  # reject and forward deadlines long past now
    due = session.scalar(select(func.count(Timer.id)).where(Timer.due_at < datetime.now(UTC)))
    assert due == 60
    env = {**os.environ, "DATABASE_URL": db_url, "PAKN_TIMER_BATCH": "4"}  # small claims: both take turns
    schedulers = [
        subprocess.Popen([sys.executable, "run.py", "scheduler"], cwd=PROCESSES.parent, env=env, text=True,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for _ in range(2)
    ]  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            session.expire_all()
            if session.scalar(select(func.count(Timer.id)).where(Timer.due_at < datetime.now(UTC))) == 0:
                break
            time.sleep(0.5)
        time.sleep(2)  # more ticks: nothing fires twice
    finally:
        for process in schedulers:
            process.send_signal(signal.SIGTERM)
        outputs = [process.communicate(timeout=30)[0] for process in schedulers]
    assert [p.returncode for p in schedulers] == [0, 0], outputs
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "timer.fired")).all()
    per_case = {}
    for entry in entries:
        per_case[entry.petition_id] = per_case.get(entry.petition_id, 0) + len(entry.data["timers"])
    assert per_case == {p.id: 2 for p in petitions}  # reject and forward of each case, once each
    assert session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "timer.failed")) == 0
