"""A citizen on a phone answers a request for more information with the model's own form on his case's page."""

from app.petitions.models import Petition

from ..conftest import act, submit
from .conftest import PHONE, log_in


def test_a_citizen_on_a_phone_answers_a_request_for_information(open_page, shots, sessions):
    with sessions() as session:
        petition = submit(session)
        act(session, "intake", petition, "classify", decision="request_info", reason="Cần địa chỉ cụ thể")
        code, petition_id = petition.tracking_code, petition.id
    citizen = open_page(PHONE)
    log_in(citizen, "citizen")
    citizen.goto(f"/tra-cuu/{code}")
    answer = citizen.locator("#cf-info")
    box = answer.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # the field fits the phone's width
    assert citizen.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing scrolls sideways
    shots(citizen, "reply-form")
    answer.fill("Số")
    citizen.get_by_role("button", name="Gửi thông tin bổ sung").click()
    citizen.wait_for_load_state()
    assert "cần ít nhất 5 ký tự" in citizen.locator("[data-cf-key=info] .field-error").inner_text()
    assert citizen.input_value("#cf-info") == "Số"  # what he wrote is kept
    shots(citizen, "reply-refused")
    citizen.fill("#cf-info", "Số 12 Lê Lợi, tổ dân phố 3")
    citizen.get_by_role("button", name="Gửi thông tin bổ sung").click()
    citizen.wait_for_load_state()
    assert citizen.locator(".flash.ok").count() == 1 and citizen.locator("#cf-info").count() == 0
    shots(citizen, "reply-sent")
    with sessions() as session:
        assert session.get(Petition, petition_id).status == "classifying"
