"""What an operation asks the database for: a petition's lifecycle reads and writes each row once per operation
(issue 18: the statements per operation are its cost)."""

import re

import pytest
from sqlalchemy import event

from app.engine.models import WorkItem
from app.errors import FormInvalid
from app.tasks.operations import complete_task

from .conftest import act, item_for, submit, user

FORWARD = {"decision": "forward", "lead_agency": "QNG-SXD"}


def statements(session, run) -> list[str]:
    seen = []

    def keep(conn, cursor, statement, *rest):
        seen.append(" ".join(statement.split()))

    event.listen(session.bind, "before_cursor_execute", keep)
    try:
        run()
    finally:
        event.remove(session.bind, "before_cursor_execute", keep)
    return seen


def count(seen: list[str], pattern: str) -> int:
    return sum(1 for statement in seen if re.match(pattern, statement))


def test_a_submission_reads_no_timers_or_tasks_of_the_instance_it_creates(session):
    seen = statements(session, lambda: submit(session))
    assert count(seen, r"SELECT .* FROM timer\b") == 0
    assert count(seen, r"SELECT work_item\.id, .* FROM work_item\b") == 0
    assert count(seen, r"INSERT INTO timer\b") >= 1  # its deadlines are stored all the same
    assert count(seen, r"INSERT INTO work_item\b") == 1
    assert count(seen, r"UPDATE petition\b") == 1  # the case is written once, with its instance


def test_a_completion_reads_the_timers_once_and_writes_the_instance_and_the_case_once(session):
    petition = submit(session)
    item_id, clerk = item_for(session, petition, "classify").id, user(session, "intake")
    seen = statements(session, lambda: complete_task(session, clerk, item_id, FORWARD))
    # the timers come in the statement that locks the instance: no check before it, no second read
    assert count(seen, r"SELECT .* FROM process_instance LEFT OUTER JOIN timer\b") == 1
    assert count(seen, r"SELECT .* FROM timer\b") == 0
    assert count(seen, r"UPDATE process_instance\b") == 1
    assert count(seen, r"UPDATE petition\b") == 1
    assert count(seen, r"INSERT INTO audit_entry\b") == 1


def test_a_deployed_definition_is_read_once_by_a_process_not_by_every_operation(sessions):
    with sessions() as session:
        petition = submit(session)
        complete_task(session, user(session, "intake"), item_for(session, petition, "classify").id, FORWARD)
    with sessions() as session:  # a later request: the definition this process has read is not asked for again
        item_id, handler = item_for(session, petition, "handle").id, user(session, "handler")
        answer = {"action": "answer", "answer": "Đã xử lý."}
        seen = statements(session, lambda: complete_task(session, handler, item_id, answer))
        assert count(seen, r"SELECT .* FROM process_definition\b") == 0
        assert session.get(WorkItem, item_id).state == "completed"


def test_the_agency_list_is_read_only_to_check_an_agency_chosen_on_the_form(session):
    """An answer sent on the handling form chooses no agency: the province's agencies are not read for it. A
    transfer is still checked against them (an agency of the list, named in the refusal otherwise)."""
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    handler = user(session, "handler")
    item_id = item_for(session, petition, "handle").id
    transfer = {"action": "transfer", "transfer_kind": "competent", "transfer_reason": "Thuộc lĩnh vực đất đai"}
    with pytest.raises(FormInvalid) as refused:
        complete_task(session, handler, item_id, {**transfer, "transfer_to": "KHONG-CO"})
    assert [(e.field, e.rule) for e in refused.value.errors] == [("transfer_to", "enum")]
    session.rollback()
    answer = {"action": "answer", "answer": "Đã xử lý."}
    seen = statements(session, lambda: complete_task(session, handler, item_id, answer))
    assert count(seen, r"SELECT .* FROM agency LEFT OUTER JOIN province\b") == 0
    assert session.get(WorkItem, item_id).state == "completed"


def test_a_completion_reads_its_task_and_its_case_in_one_query_and_a_submission_its_intake_office_once(session):
    seen = statements(session, lambda: submit(session))
    assert count(seen, r"SELECT agency\.id, .* FROM agency WHERE .*is_intake_office") == 1
    petition = submit(session)
    item_id, clerk = item_for(session, petition, "classify").id, user(session, "intake")
    session.expire_all()  # as a new request finds them
    seen = statements(session, lambda: complete_task(session, clerk, item_id, FORWARD))
    assert count(seen, r"SELECT .* FROM work_item LEFT OUTER JOIN petition ON petition\.instance_id") == 1
    assert count(seen, r"SELECT petition\.id, .* FROM petition .*WHERE petition\.instance_id = ") == 0


def test_the_calendar_revision_is_read_once_for_deadlines_and_not_by_an_operation_computing_none(session):
    """Classifying starts the forwarding's deadlines: the calendar's revision is read once for all of them.
    Publishing computes no deadline and its form asks nothing of the calendar: no revision read."""
    petition = submit(session)
    revision = r"SELECT calendar_revision\.number FROM calendar_revision\b"
    clerk = user(session, "intake")
    seen = statements(
        session, lambda: complete_task(session, clerk, item_for(session, petition, "classify").id, FORWARD)
    )
    assert count(seen, revision) == 1
    act(session, "handler", petition, "handle", action="answer", answer="Đã xử lý.")
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    publish = {"public_summary": "Đã xử lý."}
    seen = statements(
        session, lambda: complete_task(session, clerk, item_for(session, petition, "publish").id, publish)
    )
    assert count(seen, revision) == 0
    session.refresh(petition)
    assert petition.status == "published"
