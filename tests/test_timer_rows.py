"""The timer table kept in step with the workflow (issue 18 point 3): new rows go out with the operation's other
append-only rows in one INSERT; stored rows are deleted through the session; a row queued earlier in the same
transaction and gone again by a later save is written, then deleted — the table always holds exactly the
workflow's waiting timers."""

from sqlalchemy import select

from app.engine.instances import complete_user_task, load_instance, save
from app.engine.models import Timer
from app.engine.runtime import ready_user_tasks
from app.petitions.case_functions import CaseFunctions

from .conftest import submit
from .test_operation_statements import count, statements

STEPS = [
    ("classify", {"decision": "forward", "lead_agency": "QNG-SXD"}),
    ("handle", {"action": "answer", "answer": "Đã xử lý.", "documents": []}),
    ("leader_approve", {"leader_decision": "approve"}),
    ("review", {"review_decision": "approve"}),
]


def stored_timers(session, instance_id) -> set[str]:
    return set(session.scalars(select(Timer.bpmn_id).where(Timer.instance_id == instance_id)))


def test_timers_queued_and_gone_within_one_transaction_leave_the_table_as_the_workflow_waits(session):
    petition = submit(session)
    assert stored_timers(session, petition.instance_id) == {"timer_reject_due", "timer_forward_due"}
    running = load_instance(session, petition.instance_id, CaseFunctions(session, petition).functions())
    for number, (bpmn_id, values) in enumerate(STEPS):
        task = next(t for t in ready_user_tasks(running.workflow) if t.task_spec.bpmn_id == bpmn_id)
        complete_user_task(running, str(task.id), values)
        # the first save flushes (its queued rows go out); the later ones leave theirs queued for the next save
        save(session, running, "test", completed_task_id=str(task.id), flush=number == 0, keep=False)
        if number == 0:  # classification: the intake office's two timers deleted, the answer's two queued
            assert stored_timers(session, petition.instance_id) == {"timer_answer_due", "timer_answer_reminder"}
    # the review ended the handling: its two timers, queued then written in this transaction, are gone again
    session.flush()
    assert stored_timers(session, petition.instance_id) == {"timer_publish_due"}
    assert {t.bpmn_id for t in running.timers} == {"timer_publish_due"}
    session.commit()
    assert stored_timers(session, petition.instance_id) == {"timer_publish_due"}


def test_a_classification_inserts_its_timers_in_one_statement_and_deletes_the_stored_ones_in_one(session):
    petition = submit(session)
    running = load_instance(session, petition.instance_id, CaseFunctions(session, petition).functions())
    task = next(t for t in ready_user_tasks(running.workflow) if t.task_spec.bpmn_id == "classify")
    complete_user_task(running, str(task.id), STEPS[0][1])
    seen = statements(session, lambda: save(session, running, "test", completed_task_id=str(task.id), keep=False))
    assert count(seen, r"INSERT INTO timer\b") == 1 and count(seen, r"DELETE FROM timer\b") == 1
    assert stored_timers(session, petition.instance_id) == {"timer_answer_due", "timer_answer_reminder"}
