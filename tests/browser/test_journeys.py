"""Whole journeys in a real browser: a citizen's PAKN from submission to a rated answer; refusals; form errors."""

import re

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.engine.models import WorkItem
from app.petitions.models import Petition

from .conftest import DESK, PHONE, log_in

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submit_as_citizen(page, shots, title="Đường Trần Phú ngập nước sau mưa"):
    log_in(page, "citizen")
    page.goto("/gui-phan-anh")
    page.select_option("#province_code", "quang-ngai")
    page.select_option("#commune_code", label="Phường Kon Tum")  # the list follows the province (communes.js)
    page.select_option("#kind", "field_report")
    page.select_option("#field_code", "xay-dung")
    page.fill("#title", title)
    page.fill("#content", "Đoạn đường Trần Phú trước số 45 ngập sâu 30 cm mỗi khi mưa, cống thoát nước bị tắc.")
    page.fill("#location", "45 Trần Phú, phường Kon Tum")
    page.set_input_files("#attachments", files=[{"name": "ngap-nuoc.png", "mimeType": "image/png", "buffer": PNG}])
    page.fill("#sender_name", "Trần Thị Bình")
    page.fill("#sender_phone", "0905 123 456")
    page.fill("#sender_email", "binh.tran@example.vn")
    page.fill("#sender_address", "12 Lê Lợi, phường Kon Tum, tỉnh Quảng Ngãi")
    shots(page, "citizen-form")
    page.get_by_role("button", name="Gửi", exact=True).click()
    flash = page.locator(".flash.ok")
    code = re.search(r"[A-Z0-9-]{6,}", flash.inner_text().split(":")[-1]).group(0)
    shots(page, "citizen-received")
    return code


def open_task(page, code, task_name):
    """From the inbox, open the task `task_name` of the case `code`."""
    page.goto("/cong-viec")
    row = page.locator("tr", has_text=code).filter(has_text=task_name)
    row.get_by_role("link", name=task_name).click()
    page.wait_for_load_state()


def finish(page, shots, label):
    shots(page, label)
    page.get_by_role("button", name="Hoàn thành").click()
    page.wait_for_load_state()
    assert page.locator(".flash.ok").count() == 1, page.content()


def log_out(page):
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()


def test_citizen_to_rated_answer(open_page, shots, sessions):
    citizen = open_page(PHONE)
    code = submit_as_citizen(citizen, shots)
    assert citizen.locator("h1").inner_text() == "Đường Trần Phú ngập nước sau mưa"
    assert "Phường Kon Tum, Quảng Ngãi" in citizen.content()

    clerk = open_page(DESK)
    log_in(clerk, "intake")
    open_task(clerk, code, "Phân loại PAKN")
    assert clerk.get_by_role("link", name="ngap-nuoc.png").count() == 1  # the sender's photo beside the form
    photo = clerk.request.get(clerk.get_by_role("link", name="ngap-nuoc.png").get_attribute("href"))
    assert photo.ok and photo.body() == PNG and photo.headers["content-type"] == "image/png"
    clerk.check("input[name=decision][value=forward]")
    clerk.select_option("#cf-lead_agency", "QNG-SXD")
    finish(clerk, shots, "intake-forwards")

    handler = open_page(DESK)
    log_in(handler, "handler")
    open_task(handler, code, "Xử lý, dự thảo văn bản trả lời")
    handler.check("input[name=action][value=answer]")
    handler.fill("#cf-answer", "Sở Xây dựng đã chỉ đạo nạo vét cống thoát nước trước số 45 Trần Phú trong tuần này.")
    handler.set_input_files(
        "#cf-documents", files=[{"name": "van-ban-tra-loi.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    finish(handler, shots, "handler-answers")

    leader = open_page(DESK)
    log_in(leader, "leader")
    open_task(leader, code, "Lãnh đạo duyệt văn bản trả lời")
    assert "nạo vét cống" in leader.content()
    leader.check("input[name=leader_decision][value=approve]")
    finish(leader, shots, "leader-approves")

    open_task(clerk, code, "Kiểm tra kết quả trả lời")
    clerk.check("input[name=review_decision][value=approve]")
    finish(clerk, shots, "intake-approves")
    open_task(clerk, code, "Công khai kết quả trả lời")
    clerk.fill("#cf-public_summary", "Đã nạo vét cống, hết ngập.")
    finish(clerk, shots, "intake-publishes")

    citizen.goto(f"/tra-cuu/{code}")
    assert "Đã nạo vét cống, hết ngập." in citizen.content()
    assert "nạo vét cống thoát nước trước số 45" in citizen.locator(".answer").inner_text()
    document = citizen.request.get(citizen.get_by_role("link", name="van-ban-tra-loi.pdf").get_attribute("href"))
    assert document.ok and document.body() == PDF
    shots(citizen, "citizen-reads-answer")
    citizen.check("input[name=stars][value='4']")
    citizen.fill("#comment", "Xử lý nhanh, cảm ơn.")
    citizen.get_by_role("button", name="Gửi đánh giá").click()
    citizen.wait_for_load_state()
    shots(citizen, "citizen-rated")
    assert "4/5" in citizen.content()

    citizen.goto("/cong-khai?q=duong tran phu ngap")  # the public list, searched without diacritics
    assert citizen.get_by_role("link", name="Đường Trần Phú ngập nước sau mưa").count() == 1

    with sessions() as session:
        petition = session.scalar(select(Petition).where(Petition.tracking_code == code))
        assert petition.status == "published" and petition.published_at is not None
        assert petition.closed_at is not None or petition.status == "published"


def test_form_error_keeps_input(open_page, shots):
    citizen = open_page(PHONE)
    code = submit_as_citizen(citizen, shots, title="Đèn đường hỏng")
    clerk = open_page(DESK)
    log_in(clerk, "intake")
    open_task(clerk, code, "Phân loại PAKN")
    reason = clerk.locator("[data-cf-key=reason]")
    assert reason.is_hidden() and clerk.locator("[data-cf-key=lead_agency]").is_hidden()
    clerk.check("input[name=decision][value=request_info]")  # the product's Camunda Form shows the reason
    assert reason.is_visible()
    clerk.fill("#cf-reason", "Đề nghị bổ sung ảnh")
    clerk.check("input[name=decision][value=forward]")
    assert reason.is_hidden() and clerk.locator("#cf-lead_agency").is_visible()
    clerk.check("input[name=decision][value=request_info]")
    assert clerk.input_value("#cf-reason") == "Đề nghị bổ sung ảnh"  # hiding lost nothing
    clerk.fill("#cf-reason", "")
    clerk.check("input[name=decision][value=reject]")
    clerk.get_by_role("button", name="Hoàn thành").click()
    clerk.wait_for_load_state()
    shots(clerk, "reason-missing")
    error = clerk.locator("[data-cf-key=reason] .field-error")
    assert "Lý do" in error.inner_text() or "lý do" in error.inner_text().lower()
    assert clerk.locator("input[name=decision][value=reject]").is_checked()  # the choice is kept
    assert clerk.locator(".flash.ok").count() == 0


def test_handler_denied_other_agency_task(open_page, shots, sessions):
    citizen = open_page(PHONE)
    code = submit_as_citizen(citizen, shots, title="Rác thải ven sông")
    clerk = open_page(DESK)
    log_in(clerk, "intake")
    open_task(clerk, code, "Phân loại PAKN")
    clerk.check("input[name=decision][value=forward]")
    clerk.select_option("#cf-lead_agency", "QNG-SNNMT")
    finish(clerk, shots, "forwarded-to-snnmt")

    with sessions() as session:
        petition = session.scalar(select(Petition).where(Petition.tracking_code == code))
        item = session.scalar(
            select(WorkItem).where(WorkItem.instance_id == petition.instance_id, WorkItem.state == "ready")
        )
        item_id = item.id

    other = open_page(DESK)
    log_in(other, "handler")  # Sở Xây dựng, not Sở Nông nghiệp và Môi trường
    other.goto("/cong-viec")
    assert other.locator("tr", has_text=code).count() == 0  # not in his inbox
    response = other.goto(f"/cong-viec/{item_id}")
    assert response.status == 403
    shots(other, "denied")

    with sessions() as session:
        refusals = session.scalars(
            select(AuditEntry).where(AuditEntry.outcome == "refused", AuditEntry.actor == "handler")
        ).all()
        assert refusals, "the refusal is audited"
