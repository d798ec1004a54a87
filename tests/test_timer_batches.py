"""The scheduler fires a batch of instances per transaction: one failing instance is rolled back alone and recorded,
the others fire; workers running at once fire each timer exactly once (PostgreSQL: SKIP LOCKED claims)."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.engine.deployment import deploy
from app.engine.models import Timer
from app.petitions.models import CaseDeadline
from app.scheduler.jobs import run_due_timers

from .conftest import submit
from .test_engine_safety import pakn_with

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # reject due Wed 4 Mar, forward due Mon 9 Mar
AFTER_REJECT = datetime(2026, 3, 5, 9, 0, tzinfo=VN)
AFTER_BOTH = datetime(2026, 3, 20, 8, 0, tzinfo=VN)


def entries(session, action: str, **where) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.action == action).filter_by(**where)
    return list(session.scalars(query.order_by(AuditEntry.id)))


def reject_overdue(session, petition) -> bool:
    query = select(CaseDeadline.overdue_at).where(
        CaseDeadline.petition_id == petition.id, CaseDeadline.step == "reject"
    )
    return session.scalar(query) is not None


def test_a_failing_instance_is_rolled_back_alone_recorded_and_the_rest_of_its_batch_fires(session, sessions):
    # cases with an even id break when their reject deadline passes (the script raises after marking it overdue)
    script = "<bpmn:script>mark_overdue('reject')</bpmn:script>"
    broken_script = (
        "<bpmn:script>mark_overdue('reject')\nif petition_id % 2 == 0: raise ValueError('hỏng')</bpmn:script>"
    )
    deploy(session, pakn_with(script, broken_script))
    session.commit()
    with time_machine.travel(RECEIVED, tick=False):
        petitions = [submit(session) for _ in range(5)]
    broken = [p for p in petitions if p.id % 2 == 0]
    sound = [p for p in petitions if p.id % 2 == 1]
    assert broken and sound
    with time_machine.travel(AFTER_REJECT, tick=False):
        report = run_due_timers(sessions, worker="w1", per_transaction=50)  # all five in one transaction
    session.expire_all()
    assert (report.instances, report.fired) == (5, len(sound))
    assert sorted(report.failed) == sorted(p.instance_id for p in broken)
    for petition in sound:
        assert len(entries(session, "timer.fired", petition_id=petition.id)) == 1
        assert reject_overdue(session, petition)
        assert session.scalar(select(Timer.bpmn_id).where(Timer.instance_id == petition.instance_id)) == (
            "timer_forward_due"
        )
    for petition in broken:
        assert entries(session, "timer.fired", petition_id=petition.id) == []
        failures = entries(session, "timer.failed", instance_id=petition.instance_id)
        assert len(failures) == 1 and "note_reject_overdue" in failures[0].data["error"]
        assert failures[0].outcome == "failed"
        assert not reject_overdue(session, petition)  # what its script did before failing is rolled back too
        claims = session.execute(
            select(Timer.bpmn_id, Timer.claimed_by).where(Timer.instance_id == petition.instance_id)
        ).all()
        # the failed timer keeps its claim (a retry waits until it goes stale); the other still waits unclaimed
        assert sorted(claims) == [("timer_forward_due", None), ("timer_reject_due", "w1")]


def test_two_workers_firing_small_batches_at_once_fire_each_timer_exactly_once(session, sessions):
    with time_machine.travel(RECEIVED, tick=False):
        petitions = [submit(session) for _ in range(12)]
    reports = []

    def work(name):
        reports.append(run_due_timers(sessions, worker=name, limit=4, per_transaction=3))

    with time_machine.travel(AFTER_BOTH, tick=False):
        workers = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    session.expire_all()
    assert sum(r.fired for r in reports) == 24 and all(r.failed == [] for r in reports)
    fired = {}
    for entry in entries(session, "timer.fired"):
        fired[entry.petition_id] = fired.get(entry.petition_id, 0) + len(entry.data["timers"])
    assert fired == {p.id: 2 for p in petitions}  # reject and forward of each case, once each
    assert session.scalar(select(func.count(Timer.id))) == 0
    for petition in petitions:
        assert reject_overdue(session, petition)
