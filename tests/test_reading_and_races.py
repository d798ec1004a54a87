"""Who may read what after a transfer, refusals audited, and races answered clearly."""

import threading

import pytest
from sqlalchemy import event, select

from app.attachments.files import Upload
from app.attachments.models import Attachment
from app.audit.models import AuditEntry
from app.engine.models import WorkItem
from app.errors import Conflict
from app.petitions.operations import submit_petition
from app.tasks.operations import claim_task, complete_task

from .conftest import act, item_for, submit, user, valid_submission
from .web import csrf_token

TRANSFER = {"transfer_kind": "competent", "transfer_reason": "Không thuộc thẩm quyền của Sở Xây dựng"}

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
DRAFT = "Dự thảo của Sở Nông nghiệp: đề nghị xử phạt vi phạm hành chính."


def transferred_case(session, app):
    """Sent with a photo, forwarded to Sở Xây dựng, transferred by it to Sở Nông nghiệp và Môi trường, which
    drafts an answer with a document."""
    uploads_dir = app.extensions["pakn"]["config"].uploads_dir
    petition = submit_petition(
        session,
        user(session, "citizen"),
        valid_submission(kind="field_report"),
        [Upload("anh-hien-truong.png", PNG)],
        uploads_dir,
    )
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    old_task = item_for(session, petition, "handle")
    act(session, "handler", petition, "handle", action="transfer", transfer_to="QNG-SNNMT", **TRANSFER)
    new_task = item_for(session, petition, "handle")
    complete_task(
        session,
        user(session, "handler2"),
        new_task.id,
        {"action": "answer", "answer": DRAFT},
        {"documents": [Upload("du-thao.pdf", PDF)]},
        uploads_dir,
    )
    session.refresh(petition)
    return petition, old_task


def refusals(session, action):
    return session.scalars(select(AuditEntry).where(AuditEntry.action == action, AuditEntry.outcome == "refused")).all()


def test_an_agency_that_transferred_a_case_no_longer_reads_the_new_agencys_draft_or_files(app, session, login):
    petition, old_task = transferred_case(session, app)
    page = login("handler").get(f"/cong-viec/{old_task.id}").data.decode()
    assert "anh-hien-truong.png" in page  # the sender's photo, which it had
    assert "QNG-SNNMT" in page or "Sở Nông nghiệp" in page  # its own transfer stays in its history
    assert DRAFT not in page and "du-thao.pdf" not in page
    leader_page = login("leader").get(f"/cong-viec/{old_task.id}").data.decode()
    assert DRAFT not in leader_page and "du-thao.pdf" not in leader_page
    printed = login("handler").get(f"/cong-viec/{old_task.id}/in").data.decode()
    assert DRAFT not in printed


def test_the_new_agency_and_the_intake_office_read_everything(app, session, login):
    petition, _old_task = transferred_case(session, app)
    classify = session.scalar(
        select(WorkItem).where(WorkItem.instance_id == petition.instance_id, WorkItem.bpmn_id == "classify")
    )
    for username, item in (("leader2", item_for(session, petition, "leader_approve")), ("intake", classify)):
        page = login(username).get(f"/cong-viec/{item.id}").data.decode()
        assert DRAFT in page and "du-thao.pdf" in page, username


def test_fetching_the_new_agencys_file_through_the_old_task_is_refused_and_audited(app, session, login):
    petition, old_task = transferred_case(session, app)
    draft = session.scalar(select(Attachment).where(Attachment.file_name == "du-thao.pdf"))
    assert login("handler").get(f"/cong-viec/{old_task.id}/tep/{draft.id}").status_code == 403
    [refusal] = refusals(session, "task.file")
    assert refusal.actor == "handler" and refusal.data["attachment"] == draft.id


def test_a_probe_for_another_cases_file_through_ones_own_task_is_refused_and_audited(app, session, login):
    other, _ = transferred_case(session, app)
    photo = session.scalar(select(Attachment).where(Attachment.petition_id == other.id, Attachment.public.is_(False)))
    mine = submit(session)
    task = item_for(session, mine, "classify")
    assert login("intake").get(f"/cong-viec/{task.id}/tep/{photo.id}").status_code == 403
    [refusal] = refusals(session, "task.file")
    assert refusal.actor == "intake" and refusal.data["tracking_code"] == mine.tracking_code


def test_a_reply_to_someone_elses_information_request_is_refused_and_audited(client, session, login):
    petition = submit(session, username=None)  # sent without an account
    act(session, "intake", petition, "classify", decision="request_info", reason="Xin bổ sung số nhà cụ thể.")
    citizen = login("citizen")
    path = f"/tra-cuu/{petition.tracking_code}/bo-sung"
    token = csrf_token(citizen, f"/tra-cuu/{petition.tracking_code}")
    assert citizen.post(path, data={"info": "Số 12", "csrf_token": token}).status_code == 403
    token = csrf_token(client, f"/tra-cuu/{petition.tracking_code}")
    assert client.post(path, data={"info": "Số 13", "csrf_token": token}).status_code == 403
    assert [(r.actor, r.data["code"]) for r in refusals(session, "petition.reply")] == [
        ("citizen", petition.tracking_code),
        ("anonymous", petition.tracking_code),
    ]
    assert item_for(session, petition, "provide_info").state == "ready"


def forwarded(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    return petition, item_for(session, petition, "handle").id


def test_two_clerks_claiming_at_the_same_moment_get_one_claim_and_the_other_is_told_who(sessions):
    with sessions() as session:
        _petition, item_id = forwarded(session)
    barrier, outcomes = threading.Barrier(2), {}

    def press(username):
        with sessions() as session:
            clerk = user(session, username)
            barrier.wait()
            try:
                claim_task(session, clerk, item_id)
                outcomes[username] = "claimed"
            except Conflict as conflict:
                outcomes[username] = f"held by {conflict.by}"

    threads = [threading.Thread(target=press, args=(name,)) for name in ("handler", "handler-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winner = next(name for name, outcome in outcomes.items() if outcome == "claimed")
    loser = next(name for name in outcomes if name != winner)
    assert outcomes[loser] == f"held by {winner}"
    with sessions() as session:
        claims = session.scalars(select(AuditEntry).where(AuditEntry.action == "task.claimed")).all()
        assert [c.actor for c in claims] == [winner]


def test_the_second_clerk_pressing_claim_is_told_who_holds_the_task(session, login):
    _petition, item_id = forwarded(session)
    first, second = login("handler"), login("handler-b")
    second_token = csrf_token(second, f"/cong-viec/{item_id}")
    first.post(f"/cong-viec/{item_id}/nhan", data={"csrf_token": csrf_token(first, f"/cong-viec/{item_id}")})
    late = second.post(f"/cong-viec/{item_id}/nhan", data={"csrf_token": second_token}, follow_redirects=True)
    assert "Công việc đã được Lê Văn Cường nhận trước." in late.data.decode()


def test_submitting_a_task_a_colleague_already_finished_gives_409_with_the_input_kept(session, login):
    _petition, item_id = forwarded(session)
    colleague, clerk = login("handler"), login("handler-b")
    token = csrf_token(clerk, f"/cong-viec/{item_id}")  # both have the form open
    complete_task(session, user(session, "handler"), item_id, {"action": "answer", "answer": "Trả lời của anh Cường."})
    typed = "Bản trả lời tôi đã gõ suốt một giờ, không được mất."
    response = clerk.post(f"/cong-viec/{item_id}", data={"action": "answer", "answer": typed, "csrf_token": token})
    page = response.data.decode()
    assert response.status_code == 409
    assert "Công việc đã được Lê Văn Cường hoàn thành lúc" in page
    assert typed in page
    assert colleague.get(f"/cong-viec/{item_id}").status_code == 200


def _a_colleague_acts_at_the_moment(session, item, assignee):
    """Just before the completion's first write, a colleague's claim (or a leader's give-back) lands: written on
    the completion's own connection, as if committed a moment earlier."""
    engine, done = session.get_bind(), []
    marker = "?" if engine.dialect.name == "sqlite" else "%s"

    def colleague(conn, cursor, statement, params, context, executemany):
        if statement.startswith("UPDATE work_item SET assignee") and not done:
            done.append(True)
            cursor.execute(f"UPDATE work_item SET assignee = {marker} WHERE id = {marker}", (assignee, item.id))

    event.listen(engine, "before_cursor_execute", colleague)
    return lambda: event.remove(engine, "before_cursor_execute", colleague)


def test_a_claim_landing_while_a_colleague_completes_makes_the_completion_the_conflict(session):
    """Probe of 30 Nov: 9 of 20 times the clerk was told he had claimed the task while a colleague's completion
    overwrote his claim. Now the completion that comes second is refused, naming who holds the task."""
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    item = item_for(session, petition, "handle")
    stop = _a_colleague_acts_at_the_moment(session, item, "handler")
    try:
        with pytest.raises(Conflict) as conflict:
            complete_task(session, user(session, "handler-b"), item.id, {"action": "answer", "answer": "Đã xử lý."})
    finally:
        stop()
    assert conflict.value.held and conflict.value.by == "handler"
    session.expire_all()
    assert session.get(WorkItem, item.id).state == "ready"  # nothing of the completion was written
