"""The preset dictionaries of instance states (issue 18 point 3): each released one stays readable, and the script
that makes them gives a dictionary that compresses the models' states better than none."""

import json
import zlib

from app.engine.make_state_dictionary import WINDOW, blanked, dictionary
from app.engine.models import ProcessInstance
from app.engine.serialization import DICTIONARIES, WRITING, state_text
from app.engine.snapshot import read_instance

from .conftest import act, submit


def finished(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    act(session, "handler", petition, "handle", action="answer", answer="Đã kiểm tra, yêu cầu tháo dỡ phần lấn chiếm.")
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary="Đã xử lý.")
    return petition


def packed(text: str, number: int) -> bytes:
    packer = zlib.compressobj(6, zdict=DICTIONARIES[number])
    return bytes((number,)) + packer.compress(text.encode()) + packer.flush()


def test_new_states_are_written_with_the_newest_dictionary():
    assert WRITING == max(DICTIONARIES) and all(len(d) <= WINDOW for d in DICTIONARIES.values())


def test_a_state_written_with_any_released_dictionary_reads_back(session):
    """A later dictionary never breaks the states an earlier one wrote."""
    row = session.get(ProcessInstance, finished(session).instance_id)
    text = state_text(row.state)
    for number in DICTIONARIES:
        assert state_text(packed(text, number)) == text
        session.execute(
            ProcessInstance.__table__.update()
            .where(ProcessInstance.id == row.id)
            .values(state=packed(text, number), lock_version=ProcessInstance.lock_version + 1)
        )
        session.commit()
        assert read_instance(session, row.id).element_states()["end_published"] == "completed"


def test_the_script_s_dictionary_compresses_the_models_states_better_than_none(session):
    text = state_text(session.get(ProcessInstance, finished(session).instance_id).state)
    made = dictionary([json.loads(text)])
    assert 0 < len(made) <= WINDOW and b"leader_approve" in made
    assert "Đã kiểm tra" not in made.decode()  # people's text is blanked, only the model's names are kept
    packer = zlib.compressobj(6, zdict=made)
    assert len(packer.compress(text.encode()) + packer.flush()) < len(zlib.compress(text.encode(), 6)) * 0.9


def test_blanking_keeps_names_and_drops_ids_times_and_prose():
    state = {
        "7f1c0e5a-4b1e-4f3a-9c1e-1a2b3c4d5e6f": {"task_spec": "handle", "last_state_change": 1.5, "answer": "Đã xử lý"}
    }
    assert blanked(state) == {"": {"task_spec": "handle", "last_state_change": 0, "answer": ""}}
