"""Task ids that compress (issue 18 point 3): a process numbers its tasks after one random prefix, so a state's ids
cost a few bytes each instead of 32 random hex digits; they stay unique UUIDs, a forked worker draws its own
prefix, and states written with random ids still load."""

import json
import os
import re
import zlib
from uuid import UUID, uuid4

from app.engine.models import ProcessInstance, WorkItem
from app.engine.serialization import state_text
from app.engine.snapshot import read_instance
from app.engine.task_ids import next_task_id

from .conftest import act, submit
from .test_state_dictionary import finished

ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def test_ids_share_the_process_prefix_and_count_up():
    first, second = next_task_id(), next_task_id()
    assert first.version == 8 and first.variant == "specified in RFC 4122"
    assert first.int >> 48 == second.int >> 48 and second.int == first.int + 1


def test_the_engine_names_a_case_s_tasks_with_them(session):
    petition = submit(session)
    ids = {UUID(i.task_id) for i in session.query(WorkItem).filter_by(instance_id=petition.instance_id)}
    text = state_text(session.get(ProcessInstance, petition.instance_id).state)
    in_state = {UUID(i) for i in ID.findall(text)}
    assert ids and ids <= in_state and {i.version for i in in_state} == {8}
    assert len({i.int >> 48 for i in in_state}) == 1  # one process wrote them all: one prefix


def test_a_forked_worker_draws_its_own_prefix():
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: the id it would give its next task
        os.write(write, str(next_task_id()).encode())
        os._exit(0)
    os.close(write)
    child = UUID(os.read(read, 64).decode())
    os.waitpid(pid, 0)
    assert child.int >> 48 != next_task_id().int >> 48


def test_a_finished_state_is_smaller_than_with_random_ids(session):
    text = state_text(session.get(ProcessInstance, finished(session).instance_id).state)
    names = {}
    randomised = ID.sub(lambda m: names.setdefault(m.group(0), str(uuid4())), text)
    assert len(names) > 30
    # the same state, every id replaced by a random one: its ids alone cost a third more
    assert len(zlib.compress(text.encode(), 6)) < len(zlib.compress(randomised.encode(), 6)) * 0.8


def test_a_state_written_with_random_ids_still_runs(session):
    """States from before keep their uuid4 ids: they load, and the case goes on to its end with new tasks beside."""
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    row = session.get(ProcessInstance, petition.instance_id)
    names = {}
    randomised = ID.sub(lambda m: names.setdefault(m.group(0), str(uuid4())), state_text(row.state))
    for item in session.query(WorkItem).filter_by(instance_id=row.id):
        item.task_id = names[item.task_id]
    row.state = randomised.encode()  # plain JSON: a format every release reads
    session.commit()
    assert json.loads(state_text(row.state))
    act(session, "handler", petition, "handle", action="answer", answer="Đã xử lý.")
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary="Đã xử lý.")
    assert petition.status == "published"
    assert UUID(session.query(WorkItem).filter_by(instance_id=row.id, bpmn_id="handle").one().task_id).version == 4
    assert read_instance(session, row.id).element_states()["end_published"] == "completed"
