"""A citizen on a phone opens the link from his message: a rejected one reads the reason; one asked for more
information reads the question and replies with a photo — no account needed."""

from app.petitions.models import Petition

from ..conftest import act, submit
from .conftest import PHONE

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


def test_a_rejected_citizen_reads_the_reason_by_the_link_in_his_message(open_page, shots, sessions):
    with sessions() as session:
        petition = submit(session, username=None)
        act(
            session,
            "intake",
            petition,
            "classify",
            decision="reject",
            reason="Nội dung là tố cáo, gửi theo Luật Tố cáo",
        )
        link = f"/ho-so/{petition.tracking_code}/{petition.sender_key}"
    citizen = open_page(PHONE)
    citizen.goto(link)
    timeline = citizen.locator("ol.timeline")
    assert "Không tiếp nhận" in timeline.inner_text()
    assert "Lý do: Nội dung là tố cáo, gửi theo Luật Tố cáo" in timeline.inner_text()
    assert "Hồ sơ đã kết thúc" in citizen.locator("#viec-can-lam").inner_text()
    assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shots(citizen, "rejected-with-reason")


def test_a_citizen_asked_for_information_reads_the_question_and_replies_with_a_photo(
    open_page, shots, sessions, tmp_path
):
    with sessions() as session:
        petition = submit(session, username=None)
        act(session, "intake", petition, "classify", decision="request_info", reason="Xin ảnh chụp đoạn vỉa hè")
        link, petition_id = f"/ho-so/{petition.tracking_code}/{petition.sender_key}", petition.id
    photo = tmp_path / "via-he.jpg"
    photo.write_bytes(JPEG)
    citizen = open_page(PHONE)
    citizen.goto(link)
    assert "Xin ảnh chụp đoạn vỉa hè" in citizen.locator("#bo-sung .question").inner_text()
    shots(citizen, "question")
    citizen.fill("#cf-info", "Ảnh chụp sáng nay, đoạn trước số 12")
    citizen.set_input_files("#bo-sung input[type=file]", str(photo))
    citizen.get_by_role("button", name="Gửi thông tin bổ sung").click()
    citizen.wait_for_load_state()
    assert citizen.locator(".flash.ok").count() == 1
    assert "via-he.jpg" in citizen.locator("#noi-dung").inner_text()
    shots(citizen, "replied-with-photo")
    with sessions() as session:
        assert session.get(Petition, petition_id).status == "classifying"
