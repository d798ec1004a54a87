"""After the answer in a real browser (issue 16 point 4): the sender, on his phone through the link in his message,
replies to clarify the published answer; the answering agency finds the task in its inbox with its due date,
clarifies; the sender reads the clarification on his case page and rates the answer."""

from ..conftest import act, submit
from ..test_clarification import answered_in_quang_ngai
from .conftest import DESK, PHONE, log_in
from .test_journeys import finish, open_task

REPLY = "Xin cho biết thời hạn chủ công trình phải tháo dỡ phần lấn chiếm."
CLARIFIED = "Chủ công trình phải tháo dỡ trước ngày 30/4/2026; quá hạn sẽ bị cưỡng chế."


def test_the_sender_replies_by_his_link_and_reads_the_agencys_clarification(open_page, shots, sessions):
    with sessions() as session:
        petition = answered_in_quang_ngai(session, username=None)
        code, link = petition.tracking_code, f"/ho-so/{petition.tracking_code}/{petition.sender_key}"
        unused = submit(session)  # another case in the same inbox: the task is found by its code
        act(session, "intake", unused, "classify", decision="forward", lead_agency="QNG-SXD")
        session.commit()

    sender = open_page(PHONE)
    sender.goto(link)
    exchange = sender.locator("#trao-doi")
    sender.get_by_role("button", name="Gửi ý kiến phản hồi").click()  # empty: refused, the field named
    sender.wait_for_load_state()
    assert "«Ý kiến phản hồi về kết quả» là bắt buộc." in exchange.inner_text()
    sender.fill("#reply", REPLY)
    shots(sender, "sender-replies")
    sender.get_by_role("button", name="Gửi ý kiến phản hồi").click()
    sender.wait_for_load_state()
    assert sender.locator(".flash.ok").count() == 1
    assert REPLY in exchange.inner_text() and "Cơ quan đang làm rõ ý kiến phản hồi này." in exchange.inner_text()
    assert sender.locator("#reply").count() == 0  # one reply waits at a time
    assert sender.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    agency = open_page(DESK)
    log_in(agency, "handler")
    agency.goto("/cong-viec")
    row = agency.locator("tr", has_text=code).filter(has_text="Làm rõ ý kiến phản hồi của người gửi")
    assert "ngày làm việc" in row.inner_text()  # its due date, counted in working days
    open_task(agency, code, "Làm rõ ý kiến phản hồi của người gửi")
    assert REPLY in agency.content()
    agency.fill("#cf-clarification", CLARIFIED)
    finish(agency, shots, "agency-clarifies")

    sender.goto(f"/tra-cuu/{code}")
    assert CLARIFIED in exchange.inner_text()
    assert "Cơ quan đã làm rõ ý kiến phản hồi" in sender.locator("ol.timeline").inner_text()
    sender.check("input[name=stars][value='4']")
    sender.get_by_role("button", name="Gửi đánh giá").click()
    sender.wait_for_load_state()
    assert sender.locator(".flash.ok").count() == 1
    shots(sender, "sender-reads-clarification-and-rates")
