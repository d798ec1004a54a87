"""One writer per instance, all-or-nothing steps, and versioned deployments."""

import threading

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.bootstrap import process_documents
from app.engine.deployment import deploy
from app.engine.models import ProcessDefinition, ProcessInstance, WorkItem
from app.engine.runtime import StepFailed, load_instance, ready_user_tasks
from app.errors import Conflict
from app.tasks.operations import complete_task

from .conftest import PROCESSES, act, item_for, submit, user

FORWARD = {"decision": "forward", "lead_agency": "QNG-SXD"}


def pakn_with(old: str, new: str) -> dict[str, bytes]:
    """processes/ with one change to pakn.bpmn: a new version of the model."""
    documents = process_documents(PROCESSES)
    text = documents["processes/pakn.bpmn"].decode()
    assert text.count(old) == 1
    documents["processes/pakn.bpmn"] = text.replace(old, new).encode()
    return documents


def test_two_concurrent_completions_give_one_success_and_one_conflict(sessions):
    with sessions() as session:
        petition = submit(session)
        item_id = item_for(session, petition, "classify").id
    barrier, outcomes = threading.Barrier(2), []

    def complete():
        with sessions() as session:
            clerk = user(session, "intake")
            barrier.wait()
            try:
                complete_task(session, clerk, item_id, FORWARD)
                outcomes.append("ok")
            except Conflict as err:
                outcomes.append(f"conflict: {err}")

    threads = [threading.Thread(target=complete) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "ok"], outcomes
    with sessions() as session:
        completions = session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "task.completed"))
        assert completions == 1
        handles = session.scalar(select(func.count(WorkItem.id)).where(WorkItem.bpmn_id == "handle"))
        assert handles == 1


def test_a_failing_script_task_leaves_the_stored_instance_unchanged(session):
    broken = pakn_with(
        "step_not_applicable('reject')\nassign_agency(lead_agency, co_agencies)</bpmn:script>",
        "step_not_applicable('reject')\nassign_agency(lead_agency, co_agencies)\n"
        "raise ValueError('hỏng')</bpmn:script>",
    )
    deploy(session, broken)
    session.commit()
    petition = submit(session)
    instance = session.get(ProcessInstance, petition.instance_id)
    state_before, version_before = instance.state, instance.lock_version
    item = item_for(session, petition, "classify")
    with pytest.raises(StepFailed) as failure:
        complete_task(session, user(session, "intake"), item.id, FORWARD)
    assert failure.value.bpmn_id == "assign_lead_agency"
    session.expire_all()
    instance = session.get(ProcessInstance, petition.instance_id)
    assert instance.state == state_before and instance.lock_version == version_before
    assert item_for(session, petition, "classify").state == "ready"
    session.refresh(petition)
    assert petition.status == "classifying" and petition.lead_agency_id is None
    assert session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "task.completed")) == 0


def test_a_changed_model_is_a_new_version_and_running_cases_stay_on_theirs(session):
    old_case = submit(session)
    results = deploy(session, process_documents(PROCESSES))
    assert [(r.version, r.created) for r in results if r.process_key == "pakn"] == [(1, False)]
    renamed = pakn_with('name="Phân loại PAKN"', 'name="Phân loại, xử lý ban đầu PAKN"')
    results = deploy(session, renamed, deployed_by="designer")
    session.commit()
    assert [(r.process_key, r.version, r.created) for r in results if r.created] == [("pakn", 2, True)]
    new_case = submit(session)
    assert session.get(ProcessInstance, old_case.instance_id).definition.version == 1
    assert session.get(ProcessInstance, new_case.instance_id).definition.version == 2
    assert item_for(session, old_case, "classify").name == "Phân loại PAKN"
    assert item_for(session, new_case, "classify").name == "Phân loại, xử lý ban đầu PAKN"
    act(session, "intake", old_case, "classify", decision="reject", reason="Trùng lặp")
    assert old_case.status == "rejected"
    assert session.scalar(select(func.count(ProcessDefinition.id)).where(ProcessDefinition.process_key == "pakn")) == 2


def test_a_workflow_kept_in_memory_is_not_used_once_another_node_saved_a_newer_version(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    instance = session.get(ProcessInstance, petition.instance_id)
    state_waiting_for_handler = instance.state
    act(session, "handler", petition, "handle", action="answer", answer="Dự thảo")
    # Another node writes a newer version whose state waits for the handler again.
    session.execute(
        ProcessInstance.__table__.update()
        .where(ProcessInstance.id == petition.instance_id)
        .values(state=state_waiting_for_handler, lock_version=ProcessInstance.lock_version + 1)
    )
    session.commit()
    running = load_instance(session, petition.instance_id, {})
    ready = [t.task_spec.bpmn_id for t in ready_user_tasks(running.workflow)]
    assert ready == ["handle"]
    session.rollback()
