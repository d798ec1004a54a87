"""Files on the task page: the sender's attachments for those who may read the task, the answer's documents
uploaded with the handling form and published with the answer; leaders' oversight; giving back a task."""

import io

import pytest
from sqlalchemy import select

from app.attachments.files import Upload
from app.attachments.models import Attachment
from app.errors import Conflict
from app.petitions.operations import submit_petition
from app.tasks.operations import claim_task, unclaim_task
from app.tasks.queries import inbox

from .conftest import act, item_for, submit, user, valid_submission
from .test_web_tasks import post

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"
FORWARD = {"decision": "forward", "lead_agency": "QNG-SXD"}


def with_photo(session, app):
    uploads_dir = app.extensions["pakn"]["config"].uploads_dir
    return submit_petition(
        session,
        user(session, "citizen"),
        valid_submission(kind="field_report"),
        [Upload("anh-hien-truong.png", PNG)],
        uploads_dir,
    )


def test_staff_open_the_senders_photo_others_are_refused(app, session, login):
    petition = with_photo(session, app)
    item = item_for(session, petition, "classify")
    photo = session.scalar(select(Attachment).where(Attachment.petition_id == petition.id))
    intake = login("intake")
    page = intake.get(f"/cong-viec/{item.id}").data.decode()
    assert "anh-hien-truong.png" in page
    assert f'<img class="thumb" src="/cong-viec/{item.id}/tep/{photo.id}"' in page  # shown small, opened whole
    answer = intake.get(f"/cong-viec/{item.id}/tep/{photo.id}")
    assert answer.status_code == 200 and answer.data == PNG and answer.mimetype == "image/png"
    assert login("handler2").get(f"/cong-viec/{item.id}/tep/{photo.id}").status_code == 403
    assert app.test_client().get(f"/tep/{photo.id}").status_code == 404  # not a public document


def test_answer_documents_are_published_with_the_answer(app, session, login):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    item = item_for(session, petition, "handle")
    handler = login("handler")
    page = post(
        handler,
        f"/cong-viec/{item.id}",
        {"action": "answer", "answer": "Trả lời: đã xử lý.", "documents": (io.BytesIO(PDF), "tra-loi.pdf")},
    )
    assert page.status_code == 302, page.data.decode()
    document = session.scalar(select(Attachment).where(Attachment.petition_id == petition.id))
    assert document.public and document.file_name == "tra-loi.pdf" and document.uploaded_by == "handler"
    public = app.test_client()
    assert public.get(f"/tep/{document.id}").status_code == 404  # not before publication
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary="Đã xử lý.")
    assert public.get(f"/tep/{document.id}").data == PDF
    assert "tra-loi.pdf" in public.get(f"/tra-cuu/{petition.tracking_code}").data.decode()


def test_a_bad_document_is_named_and_nothing_is_saved(session, login):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    item = item_for(session, petition, "handle")
    page = post(
        login("handler"),
        f"/cong-viec/{item.id}",
        {"action": "answer", "answer": "Nội dung trả lời", "documents": (io.BytesIO(b"MZ\x90\x00"), "virus.exe")},
    )
    text = page.data.decode()
    assert page.status_code == 422 and "virus.exe" in text and "Nội dung trả lời" in text
    assert session.scalar(select(Attachment).where(Attachment.petition_id == petition.id)) is None
    assert item_for(session, petition, "handle").id == item.id  # still open


def test_files_sent_to_a_form_without_a_file_picker_are_not_stored(session, login):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    page = post(login("intake"), f"/cong-viec/{item.id}", {**FORWARD, "documents": (io.BytesIO(PDF), "x.pdf")})
    assert page.status_code == 302
    assert session.scalar(select(Attachment).where(Attachment.petition_id == petition.id)) is None


def test_a_leader_sees_and_reads_his_handlers_tasks_but_does_not_do_them(session, login):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    item = item_for(session, petition, "handle")
    claim_task(session, user(session, "handler"), item.id)
    assert item.id in [i.id for i in inbox(session, user(session, "leader"))]
    assert item.id not in [i.id for i in inbox(session, user(session, "leader2"))]  # another agency
    page = login("leader").get(f"/cong-viec/{item.id}").data.decode()
    assert ">Hoàn thành</button>" not in page and ">Bỏ nhận việc</button>" in page  # he may give it back only
    assert login("leader2").get(f"/cong-viec/{item.id}").status_code == 403


def test_unclaiming_needs_a_held_open_task(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    item = item_for(session, petition, "handle")
    with pytest.raises(Conflict):
        unclaim_task(session, user(session, "leader"), item.id)  # nobody holds it
    claim_task(session, user(session, "handler"), item.id)
    unclaim_task(session, user(session, "leader"), item.id)
    assert item_for(session, petition, "handle").assignee is None


def test_a_drawing_is_listed_but_never_shown_as_a_thumbnail(app, session, login):
    petition = with_photo(session, app)
    item = item_for(session, petition, "classify")
    photo = session.scalar(select(Attachment).where(Attachment.petition_id == petition.id))
    photo.content_type = "image/svg+xml"  # an SVG can carry script: listed as a file, never drawn in the page
    session.commit()
    page = login("intake").get(f"/cong-viec/{item.id}").data.decode()
    assert "anh-hien-truong.png" in page and 'class="thumb"' not in page
