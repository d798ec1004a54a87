"""How an instance's state is stored (issue 18 point 3): compressed, read back whole, plain JSON still read, and the
workflow kept in memory for the next writer never outlives a transaction that did not commit."""

import json
import zlib

import pytest
from sqlalchemy import select

from app.engine.instances import complete_user_task, load_instance, read_instance, save
from app.engine.live import is_live
from app.engine.models import ProcessInstance
from app.engine.serialization import DICTIONARIES, WRITING, state_text
from app.petitions.models import Petition
from app.tasks.operations import instance_functions
from app.transaction import operation

from .conftest import act, item_for, submit

FORWARD = {"decision": "forward", "lead_agency": "QNG-SXD"}
ANSWER = " ".join(["Đã kiểm tra hiện trường."] * 30)  # as the form keeps it: trimmed


def finished(session) -> Petition:
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    act(session, "handler", petition, "handle", action="answer", answer=ANSWER)
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary="Đã xử lý.")
    assert petition.status == "published"
    return petition


def test_a_finished_petitions_state_is_stored_compressed_and_reads_back_whole(session):
    petition = finished(session)
    row = session.get(ProcessInstance, petition.instance_id)
    stored = bytes(row.state)
    assert stored[0] == WRITING  # the dictionary it was written with, then a zlib stream
    plain = zlib.decompressobj(zdict=DICTIONARIES[WRITING]).decompress(stored[1:])
    assert len(stored) * 6 < len(plain)  # the task tree's names and keys repeat, the dictionary has them
    assert len(stored) < len(zlib.compress(plain, 6))  # smaller than zlib without the dictionary
    state = json.loads(plain)
    assert state["completed"] is True
    assert state["data"]["answer"] == {"$held": "answer"}  # the petition's row keeps it (tests/test_held_texts.py)
    assert read_instance(session, petition.instance_id).workflow.data["answer"] == ANSWER
    assert {t["task_spec"] for t in state["subprocesses"][next(iter(state["subprocesses"]))]["tasks"].values()} >= {
        "handle",
        "leader_approve",
    }
    states = read_instance(session, petition.instance_id).element_states()
    assert states["publish"] == "completed" and states["end_published"] == "completed"


def test_a_state_stored_as_plain_json_is_read_and_run_on(session):
    """A bench's clones and rows written by hand store plain JSON: the engine reads it and saves it compressed."""
    petition = submit(session)
    row = session.get(ProcessInstance, petition.instance_id)
    plain = state_text(row.state).encode()
    assert plain[:1] == b"{"
    session.execute(
        ProcessInstance.__table__.update()
        .where(ProcessInstance.id == row.id)
        .values(state=plain, lock_version=ProcessInstance.lock_version + 1)  # another node's write: not cached
    )
    session.commit()
    assert read_instance(session, row.id).element_states()["classify"] == "active"
    act(session, "intake", petition, "classify", **FORWARD)
    assert item_for(session, petition, "handle").state == "ready"
    assert bytes(session.get(ProcessInstance, row.id).state)[0] == WRITING


def rewritten(session, row_id: int, stored: bytes):
    """The row's state replaced by hand, as another node (or an earlier release) wrote it: not the cached one."""
    session.execute(
        ProcessInstance.__table__.update()
        .where(ProcessInstance.id == row_id)
        .values(state=stored, lock_version=ProcessInstance.lock_version + 1)
    )
    session.commit()


def test_a_state_written_before_dictionaries_is_read_and_run_on(session):
    """zlib without a dictionary (0x78 first): what the release before wrote."""
    petition = submit(session)
    row = session.get(ProcessInstance, petition.instance_id)
    rewritten(session, row.id, zlib.compress(state_text(row.state).encode(), 6))
    assert read_instance(session, row.id).element_states()["classify"] == "active"
    act(session, "intake", petition, "classify", **FORWARD)
    assert item_for(session, petition, "handle").state == "ready"
    assert bytes(session.get(ProcessInstance, row.id).state)[0] == WRITING


def test_a_state_of_an_unknown_dictionary_is_refused_by_name():
    with pytest.raises(ValueError, match="dictionary 99"):
        state_text(bytes((99,)) + zlib.compress(b"{}"))


class Interrupted(Exception):
    """Something that failed after the engine saved, inside the same operation."""


@operation
def _complete_then_fail(session, petition):
    """The engine's part of a classification, saved, then a failure before the operation commits."""
    item = item_for(session, petition, "classify")
    running = load_instance(session, item.instance_id, instance_functions(session, petition))
    complete_user_task(running, item.task_id, FORWARD)
    save(session, running, "intake", completed_task_id=item.task_id)
    session.flush()
    raise Interrupted()


def test_an_operation_that_fails_after_saving_leaves_neither_the_row_nor_the_kept_workflow_advanced(sessions):
    with sessions() as session:
        petition = submit(session)
        petition_id, instance_id = petition.id, petition.instance_id
        row = session.get(ProcessInstance, instance_id)
        stored, version = bytes(row.state), row.lock_version
        assert is_live(session, instance_id, version)  # the submission's save kept its workflow
    with sessions() as session:
        with pytest.raises(Interrupted):
            _complete_then_fail(session, session.get(Petition, petition_id))
    with sessions() as session:
        row = session.scalar(select(ProcessInstance).where(ProcessInstance.id == instance_id))
        assert (bytes(row.state), row.lock_version) == (stored, version)
        assert not is_live(session, instance_id, version + 1)  # the advanced workflow went with the rollback
        petition = session.get(Petition, petition_id)
        act(session, "intake", petition, "classify", **FORWARD)  # the next writer starts from what is stored
        assert item_for(session, petition, "handle").state == "ready"


def test_a_submission_and_a_completed_task_keep_their_workflows_at_the_version_they_stored(sessions):
    """The operations flush once, after their own rows (flush_saved): the kept workflow must carry the version
    that flush wrote, or every next writer would rebuild the state from the row."""
    with sessions() as session:
        petition = submit(session)
        petition_id, instance_id = petition.id, petition.instance_id
    with sessions() as session:
        version = session.get(ProcessInstance, instance_id).lock_version
        assert is_live(session, instance_id, version)
        act(session, "intake", session.get(Petition, petition_id), "classify", **FORWARD)
    with sessions() as session:
        stored = session.get(ProcessInstance, instance_id).lock_version
        assert stored == version + 1
        assert is_live(session, instance_id, stored)


def test_a_finished_state_keeps_its_task_times_to_the_millisecond_a_running_one_whole(session):
    """A finished instance runs no join again (joins order by these times): ≈ 140 B less a state."""

    def times(petition) -> list[float]:
        state = json.loads(state_text(session.get(ProcessInstance, petition.instance_id).state))
        parts = [state, *state["subprocesses"].values()]
        return [task["last_state_change"] for part in parts for task in part["tasks"].values()]

    running = submit(session)
    assert any(round(t, 3) != t for t in times(running))
    done = finished(session)
    assert len(times(done)) > 40 and all(round(t, 3) == t for t in times(done))
