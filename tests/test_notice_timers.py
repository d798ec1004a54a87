"""Notice timers (issue 18 point 4): a deadline whose path only records it missed is fired by the scheduler without
reading or rewriting the instance's state (app/engine/notices.py); the next reader and writer run its path with the
functions doing nothing, so the case ends up exactly as when the engine fires it, its effect applied once."""

import json
import threading
from collections import Counter
from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.engine.deployment import specs_of
from app.engine.instances import read_instance
from app.engine.known_definitions import definition_of
from app.engine.models import ProcessInstance, Timer
from app.engine.notices import NoticePath, catch_up, notice_path
from app.engine.runtime import InstanceConflict
from app.engine.scripting import make_script_engine
from app.engine.serialization import load_state, state_text
from app.petitions.firing import NOTICE_FUNCTIONS, fire_timer_batch
from app.petitions.models import CaseDeadline
from app.petitions.operations import fire_due_timers
from app.tasks.operations import complete_task

from .conftest import act, item_for, submit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=VN)  # reject due Wed 4 Mar, forward due Mon 9 Mar
AFTER_REJECT = datetime(2026, 3, 5, 9, 0, tzinfo=VN)
AFTER_BOTH = datetime(2026, 3, 20, 8, 0, tzinfo=VN)


def specs(session, petition):
    return specs_of(definition_of(session, session.get(ProcessInstance, petition.instance_id)))


def test_which_timers_are_notices(session):
    petition = submit(session)
    spec, subprocess_specs = specs(session, petition)
    reject = notice_path(spec, subprocess_specs, "timer_reject_due", NOTICE_FUNCTIONS)
    assert reject == NoticePath(
        ("timer_reject_due", "note_reject_overdue", "end_reject_overdue"), (("mark_overdue", ("reject",)),)
    )
    assert notice_path(spec, subprocess_specs, "timer_review_due", NOTICE_FUNCTIONS).calls == (
        ("mark_overdue", ("review",)),
    )
    for interrupting in ("timer_info_expired", "timer_co_opinion_due", "timer_progress_due"):
        assert notice_path(spec, subprocess_specs, interrupting, NOTICE_FUNCTIONS) is None, interrupting
    assert notice_path(spec, subprocess_specs, "timer_reject_due", frozenset({"remind"})) is None  # another call
    assert notice_path(spec, subprocess_specs, "classify", NOTICE_FUNCTIONS) is None  # not a timer


def stored(session, petition) -> bytes:
    session.expire_all()
    return bytes(session.get(ProcessInstance, petition.instance_id).state)


def fired_entry(session, petition) -> dict:
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.petition_id == petition.id, AuditEntry.action == "timer.fired")
    ).all()
    assert len(entries) == 1
    return entries[0].data


def overdue_at(session, petition, step="reject"):
    query = select(CaseDeadline.overdue_at).where(CaseDeadline.petition_id == petition.id, CaseDeadline.step == step)
    return session.scalar(query)


def tree(session, petition) -> Counter:
    """The stored workflow's tasks by element and state (ids and times aside)."""
    state = json.loads(state_text(stored(session, petition)))
    parts = [state, *state["subprocesses"].values()]
    return Counter((t["task_spec"], t["state"]) for part in parts for t in part["tasks"].values())


def test_a_notice_fired_without_its_state_ends_as_the_engine_fires_it(session):
    with time_machine.travel(RECEIVED, tick=False):
        by_engine, by_notice = submit(session), submit(session)
        session.commit()
    before = stored(session, by_notice)
    with time_machine.travel(AFTER_REJECT, tick=False):
        assert fire_due_timers(session, by_engine.instance_id) == ["timer_reject_due"]
        session.commit()
        outcome = fire_timer_batch(session, [by_notice.instance_id])
        session.commit()
    assert outcome.fired == {by_notice.instance_id: ["timer_reject_due"]}
    row = session.get(ProcessInstance, by_notice.instance_id)
    assert stored(session, by_notice) == before  # the state was neither read nor rewritten
    timers = session.scalars(select(Timer.bpmn_id).where(Timer.instance_id == by_notice.instance_id)).all()
    assert timers == ["timer_forward_due"]  # the reject timer no longer waits, as after the engine
    assert row.fired_notices and "timer_reject_due" not in row.fired_notices  # its task, by id
    assert fired_entry(session, by_notice) == fired_entry(session, by_engine)  # the same steps, the same timers
    assert (by_notice.status, by_notice.updated_at) == (by_engine.status, datetime.fromisoformat(
        "2026-03-05T02:00:00+00:00"))  # fmt: skip
    first = overdue_at(session, by_notice)
    assert first is not None and overdue_at(session, by_engine) is not None
    # the read path shows it fired; the next writer finds it fired, and nothing is applied a second time
    assert (
        read_instance(session, by_notice.instance_id).element_states()
        == read_instance(session, by_engine.instance_id).element_states()
    )
    with time_machine.travel(AFTER_REJECT, tick=False):
        for petition in (by_engine, by_notice):
            act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    assert tree(session, by_notice) == tree(session, by_engine)
    assert session.get(ProcessInstance, by_notice.instance_id).fired_notices is None
    assert overdue_at(session, by_notice) == first
    assert len(session.scalars(select(AuditEntry).where(AuditEntry.action == "timer.fired")).all()) == 2


def fired_as_notice(session):
    """A case received on RECEIVED whose reject deadline the scheduler fired as a notice."""
    with time_machine.travel(RECEIVED, tick=False):
        petition = submit(session)
        session.commit()
    with time_machine.travel(AFTER_REJECT, tick=False):
        assert fire_timer_batch(session, [petition.instance_id]).fired
        session.commit()
    return petition


def test_the_catch_up_runs_the_path_without_calling_its_functions(session):
    petition = fired_as_notice(session)
    row = session.get(ProcessInstance, petition.instance_id)
    calls = []
    spec, subprocess_specs = specs(session, petition)
    workflow = load_state(row.state, spec, subprocess_specs, None)
    workflow.script_engine = make_script_engine({"mark_overdue": lambda step: calls.append(step)})
    catch_up(workflow, row.fired_notices)
    done = {t.task_spec.bpmn_id for t in workflow.get_tasks() if t.state == TaskState.COMPLETED}
    assert {"timer_reject_due", "note_reject_overdue", "end_reject_overdue"} <= done
    assert calls == []  # the scheduler applied it
    assert workflow.script_engine.environment.globals["mark_overdue"] is not None  # the caller's engine is back
    catch_up(workflow, row.fired_notices)  # a second time finds nothing waiting
    assert calls == []


def test_an_instance_with_a_timer_that_changes_the_flow_is_fired_by_the_engine(session):
    """The forward deadline is a notice too; the information deadline closes the case: the engine fires it."""
    with time_machine.travel(RECEIVED, tick=False):
        petition = submit(session)
        act(session, "intake", petition, "classify", decision="request_info", reason="Xin số nhà")
        session.commit()
    before = stored(session, petition)
    with time_machine.travel(datetime(2026, 5, 1, 9, 0, tzinfo=VN), tick=False):
        fire_timer_batch(session, [petition.instance_id])
        session.commit()
    assert stored(session, petition) != before
    assert session.get(ProcessInstance, petition.instance_id).fired_notices is None
    assert "timer_info_expired" in fired_entry(session, petition)["timers"]


def test_a_timer_due_when_the_state_is_caught_up_still_fires_with_its_effect(session):
    """The catch-up runs the fired notices only: a deadline that fell due since fires in the next operation."""
    petition = fired_as_notice(session)
    assert overdue_at(session, petition, "forward") is None
    with time_machine.travel(AFTER_BOTH, tick=False):
        states = read_instance(session, petition.instance_id).element_states()
        assert states["timer_reject_due"] == "completed" and states["timer_forward_due"] == "waiting"
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    assert overdue_at(session, petition, "forward") is not None
    fired = session.scalars(
        select(AuditEntry).where(AuditEntry.petition_id == petition.id, AuditEntry.action == "timer.fired")
    ).all()
    assert [entry.data["timers"] for entry in fired] == [["timer_reject_due"], ["timer_forward_due"]]


def test_a_person_and_the_scheduler_at_once_leave_one_consistent_case(sessions):
    """The notice firing is a writer of the instance like the engine's: whoever comes second sees the first's work
    or meets a conflict (SQLite has no row locks: the person's version check fails, and he sends the form again)."""
    with sessions() as session, time_machine.travel(RECEIVED, tick=False):
        petitions = [submit(session) for _ in range(4)]
        items = [item_for(session, p, "classify").id for p in petitions]
        session.commit()
    errors, conflicts = [], []

    def person(item_id, barrier=None):
        with sessions() as session:
            clerk = session.scalar(select(User).where(User.username == "intake"))
            if barrier is not None:
                barrier.wait()
            try:
                complete_task(session, clerk, item_id, {"decision": "forward", "lead_agency": "QNG-SXD"})
                session.commit()
            except InstanceConflict:
                conflicts.append(item_id)
            except Exception as err:  # noqa: BLE001 (the test reports any)
                errors.append(err)

    def scheduler(instance_id, barrier):
        with sessions() as session:
            barrier.wait()
            try:
                fire_timer_batch(session, [instance_id])
                session.commit()
            except Exception as err:  # noqa: BLE001
                errors.append(err)

    with time_machine.travel(AFTER_REJECT, tick=True):
        for petition, item_id in zip(petitions, items, strict=True):
            barrier = threading.Barrier(2)
            threads = [
                threading.Thread(target=person, args=(item_id, barrier)),
                threading.Thread(target=scheduler, args=(petition.instance_id, barrier)),
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        for item_id in list(conflicts):  # sent again, as the conflict page asks
            conflicts.remove(item_id)
            person(item_id)
    assert errors == [] and conflicts == []
    with sessions() as session:
        for petition in petitions:
            row = session.get(ProcessInstance, petition.instance_id)
            fired = session.scalars(
                select(AuditEntry).where(AuditEntry.petition_id == petition.id, AuditEntry.action == "timer.fired")
            ).all()
            assert len(fired) <= 1 and session.get(type(petition), petition.id).status != "classifying"
            assert row.fired_notices is None  # fired first and caught up by the person, or never fired
            assert overdue_at(session, petition) is not None  # the deadline had passed when he acted: recorded
