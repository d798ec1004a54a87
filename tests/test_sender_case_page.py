"""The sender's case page: the timeline of what he was told (reason, question and its deadline, agency, progress),
what is expected of him now, his content and files — for him (signed in, or by his case's secret link) and only
the steps for anyone else with the tracking code."""

import html
import io
from datetime import timedelta

import time_machine
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.calendars.working_days import VIETNAM
from app.petitions.models import CaseDeadline, Petition
from app.scheduler.jobs import run_due_timers

from .conftest import act, item_for, submit
from .test_sender_asked_in_handling import at
from .test_web_tasks import post
from .web import csrf_token

TRANSFER = {"transfer_kind": "competent", "transfer_reason": "Không thuộc thẩm quyền của Sở Xây dựng"}

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200
PDF = b"%PDF-1.4\n%%EOF\n"


def page(client, petition) -> str:
    response = client.get(f"/tra-cuu/{petition.tracking_code}")
    assert response.status_code == 200
    return html.unescape(response.data.decode())


def test_a_rejected_sender_reads_the_reason_by_his_link_and_a_stranger_only_the_step(app, session):
    petition = submit(session, username=None)
    act(
        session,
        "intake",
        petition,
        "classify",
        decision="reject",
        reason="Nội dung là khiếu nại, cần gửi theo Luật Khiếu nại",
    )
    sender, stranger = app.test_client(), app.test_client()
    opened = sender.get(f"/ho-so/{petition.tracking_code}/{petition.sender_key}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/tra-cuu/{petition.tracking_code}")
    mine = page(sender, petition)
    assert "Không tiếp nhận" in mine and "Lý do: Nội dung là khiếu nại, cần gửi theo Luật Khiếu nại" in mine
    assert "Nội dung ông/bà đã gửi" in mine and petition.content in mine
    assert "Hồ sơ đã kết thúc; không cần làm gì thêm." in mine
    theirs = page(stranger, petition)
    assert "Không tiếp nhận" in theirs and "Luật Khiếu nại" not in theirs and petition.content not in theirs


def test_a_wrong_link_opens_nothing_and_is_audited(app, session):
    petition = submit(session, username=None)
    browser = app.test_client()
    assert browser.get(f"/ho-so/{petition.tracking_code}/{'x' * 32}").status_code == 404
    assert petition.content not in page(browser, petition)
    refused = session.scalar(select(AuditEntry).where(AuditEntry.action == "petition.sender_link"))
    assert refused.outcome == "refused"


def test_the_question_its_deadline_and_the_reply_expected_are_shown_to_the_signed_in_sender(login, session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="request_info", reason="Xin cho biết số nhà cụ thể")
    mine = page(login("citizen"), petition)
    due = session.scalar(
        select(CaseDeadline.due_at).where(CaseDeadline.petition_id == petition.id, CaseDeadline.step == "info_reply")
    )
    assert f"Hạn ông/bà bổ sung thông tin: {due.astimezone(VIETNAM):%H:%M %d/%m/%Y}" in mine
    assert "Nội dung cần bổ sung: Xin cho biết số nhà cụ thể" in mine
    assert "Cơ quan tiếp nhận đề nghị ông/bà bổ sung thông tin trước" in mine
    assert "Từ chối tiếp nhận:" not in mine  # no step name beside a time that reads as a verdict


def test_forwarding_transfer_and_progress_are_on_the_timeline(login, session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    act(session, "handler", petition, "handle", action="transfer", transfer_to="QNG-SNNMT", **TRANSFER)
    mine = page(login("citizen"), petition)
    assert (
        mine.index("Đã tiếp nhận")
        < mine.index("Chuyển cơ quan giải quyết")
        < mine.index("Chuyển cơ quan có thẩm quyền")
    )
    assert "Sở Xây dựng" in mine and "Sở Nông nghiệp và Môi trường" in mine
    assert "ông/bà không cần làm gì thêm" in mine


def test_the_sender_downloads_his_own_file_and_nobody_else_can(app, client, session):
    token = csrf_token(client, "/gui-phan-anh")
    from .test_web_portal import form  # noqa: PLC0415

    data = form(csrf_token=token)
    data["attachments"] = [(io.BytesIO(JPEG), "hien-truong.jpg")]
    client.post("/gui-phan-anh", data=data, content_type="multipart/form-data")
    petition = session.scalar(select(Petition).order_by(Petition.id.desc()))
    client.get(f"/ho-so/{petition.tracking_code}/{petition.sender_key}")
    mine = page(client, petition)
    assert "hien-truong.jpg" in mine
    link = mine.split('href="')[[i for i, part in enumerate(mine.split('href="')) if "/tep/" in part][0]].split('"')[0]
    assert client.get(link).data == JPEG
    assert app.test_client().get(link).status_code == 403


def test_by_his_link_a_sender_without_an_account_replies_with_a_photo_and_rates_the_answer(app, session):
    petition = submit(session, "intake", channel="letter")  # a clerk entered his letter: he has no account
    act(session, "intake", petition, "classify", decision="request_info", reason="Xin ảnh chụp hiện trường")
    browser = app.test_client()
    browser.get(f"/ho-so/{petition.tracking_code}/{petition.sender_key}")
    mine = page(browser, petition)
    assert "Nội dung cần bổ sung: Xin ảnh chụp hiện trường" in mine
    token = csrf_token(browser, f"/tra-cuu/{petition.tracking_code}")
    sent = browser.post(
        f"/tra-cuu/{petition.tracking_code}/bo-sung",
        data={"csrf_token": token, "info": "Ảnh chụp lúc 7 giờ sáng", "photos": [(io.BytesIO(JPEG), "via-he.jpg")]},
        content_type="multipart/form-data",
    )
    assert sent.status_code == 302
    session.refresh(petition)
    assert petition.status == "classifying"
    done = session.scalar(
        select(AuditEntry).where(AuditEntry.action == "task.completed").order_by(AuditEntry.id.desc())
    )
    assert done.actor == f"sender:{petition.tracking_code}"
    after_reply = page(browser, petition)
    assert "via-he.jpg" in after_reply  # his photo is among his files
    assert "Ông/bà đã bổ sung thông tin" in after_reply and 'id="bo-sung"' not in after_reply
    act(session, "intake", petition, "classify", decision="handle_here")
    act(session, "vp-handler", petition, "handle", action="answer", answer="Đã xử lý.")
    act(session, "vp-leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish")
    assert "Mời ông/bà đọc kết quả và đánh giá" in page(browser, petition)
    token = csrf_token(browser, f"/tra-cuu/{petition.tracking_code}")
    rated = browser.post(f"/tra-cuu/{petition.tracking_code}/danh-gia", data={"csrf_token": token, "stars": "4"})
    assert rated.status_code == 302
    assert "ông/bà đã đánh giá; không cần làm gì thêm" in page(browser, petition)
    stranger = app.test_client()
    token = csrf_token(stranger, f"/tra-cuu/{petition.tracking_code}")
    refused = stranger.post(f"/tra-cuu/{petition.tracking_code}/danh-gia", data={"csrf_token": token, "stars": "1"})
    assert refused.status_code == 403


def test_a_citizen_who_opened_his_link_attaches_the_case_and_its_updates_reach_his_header(app, login, session):
    petition = submit(session, username=None)
    anonymous = app.test_client()
    anonymous.get(f"/ho-so/{petition.tracking_code}/{petition.sender_key}")
    assert "Đăng nhập để gắn hồ sơ này vào tài khoản" in page(anonymous, petition)
    citizen = login("citizen")
    citizen.get(f"/ho-so/{petition.tracking_code}/{petition.sender_key}")
    shown = page(citizen, petition)
    assert "Gắn hồ sơ này vào tài khoản của tôi" in shown
    token = csrf_token(citizen, f"/tra-cuu/{petition.tracking_code}")
    assert citizen.post(f"/tai-khoan/gan-ho-so/{petition.tracking_code}", data={"csrf_token": token}).status_code == 302
    session.refresh(petition)
    assert petition.sender_user_id is not None and "Gắn hồ sơ này" not in page(citizen, petition)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    assert "Cập nhật mới (1)" in html.unescape(citizen.get("/").data.decode())
    page(citizen, petition)  # reading the case marks its steps seen
    assert "Cập nhật mới" not in html.unescape(citizen.get("/").data.decode())


def latest_due(session, petition, step):
    return session.scalar(
        select(CaseDeadline.due_at)
        .where(CaseDeadline.petition_id == petition.id, CaseDeadline.step == step)
        .order_by(CaseDeadline.id.desc())
    )


def test_each_progress_update_and_the_answer_with_its_documents_reach_the_senders_page(app, session, sessions, login):
    with time_machine.travel(at(2026, 4, 15, 9, 0), tick=False):
        petition = submit(session, username=None)
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    for note in ("Đang kiểm tra hiện trường", "Đã mời chủ công trình làm việc"):  # one update each period
        step = "answer" if note.startswith("Đang") else "progress"
        with time_machine.travel(latest_due(session, petition, step) + timedelta(seconds=1), tick=False):
            run_due_timers(sessions)
            act(session, "handler", petition, "progress_update", progress_note=note)
    item = item_for(session, petition, "handle")
    answer = {"action": "answer", "answer": "Đã buộc tháo dỡ phần lấn chiếm.", "documents": (io.BytesIO(PDF), "kq.pdf")}
    assert post(login("handler"), f"/cong-viec/{item.id}", answer).status_code == 302
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary="Đã buộc tháo dỡ")
    sender = app.test_client()
    sender.get(f"/ho-so/{petition.tracking_code}/{petition.sender_key}")
    mine = page(sender, petition)
    timeline = mine.split('class="timeline"')[1].split("</ol>")[0]
    assert (
        timeline.index("Chuyển cơ quan giải quyết")
        < timeline.index("Cập nhật tiến độ")
        < timeline.index("Đang kiểm tra hiện trường")
        < timeline.index("Đã mời chủ công trình làm việc")
        < timeline.index("Công khai kết quả trả lời")
    )
    result = mine.split('id="ket-qua"')[1].split("</section>")[0]
    assert "Đã buộc tháo dỡ phần lấn chiếm." in result and "kq.pdf" in result
    assert "Mời ông/bà đọc kết quả và đánh giá" in mine


def test_deadline_labels_name_the_deadline_not_a_verdict(app, session):
    petition = submit(session)
    public = page(app.test_client(), petition)
    assert "Hạn xem xét tiếp nhận:" in public and "Hạn phân loại, chuyển cơ quan giải quyết:" in public
    assert "Từ chối tiếp nhận:" not in public and "Từ chối tiếp nhận" not in public
