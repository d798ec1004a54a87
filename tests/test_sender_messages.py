"""What the sender is told at each event: the reason, the question and its deadline, the agency, in his language,
with the tracking code and the link to his case page."""

from sqlalchemy import select

from app import translation
from app.calendars.working_days import VIETNAM
from app.petitions.models import CaseDeadline, Notification
from app.translation import use_language_source

from .conftest import act, submit


def told(session, petition, kind, channel="email") -> Notification:
    return session.scalar(
        select(Notification).where(
            Notification.petition_id == petition.id, Notification.kind == kind, Notification.channel == channel
        )
    )


def test_a_rejection_states_its_reason_with_the_case_link(session, monkeypatch):
    monkeypatch.setenv("PAKN_BASE_URL", "https://pakn.quangngai.gov.vn/")
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="reject", reason="Nội dung là khiếu nại, tố cáo")
    message = told(session, petition, "rejected")
    assert message.subject == f"PAKN {petition.tracking_code} không được tiếp nhận"
    assert "Lý do: Nội dung là khiếu nại, tố cáo" in message.body
    assert f"https://pakn.quangngai.gov.vn/ho-so/{petition.tracking_code}/{petition.sender_key}" in message.body
    sms = told(session, petition, "rejected", "sms")
    assert sms.body == message.body and sms.subject is None  # an SMS has no subject line


def test_a_request_for_information_carries_the_question_and_the_deadline_to_reply(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="request_info", reason="Xin cho biết số nhà cụ thể")
    due = session.scalar(
        select(CaseDeadline.due_at).where(CaseDeadline.petition_id == petition.id, CaseDeadline.step == "info_reply")
    )
    body = told(session, petition, "request_info").body
    assert "Xin cho biết số nhà cụ thể" in body
    assert f"Hạn bổ sung: {due.astimezone(VIETNAM).strftime('%H:%M %d/%m/%Y')}" in body


def test_forwarding_names_the_agency(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    assert petition.lead_agency.name in told(session, petition, "forwarded").body


def test_a_sender_who_wrote_in_english_is_answered_in_english(session):
    web_source = list(translation._language_source)  # what an app of another test registered
    use_language_source(lambda: "en")  # as the portal does for a visitor who chose English
    try:
        petition = submit(session)
    finally:
        translation._language_source[:] = web_source
    clerk_entered = submit(session, "intake", channel="letter")
    assert (petition.sender_language, clerk_entered.sender_language) == ("en", "vi")
    act(session, "intake", petition, "classify", decision="reject", reason="Không thuộc thẩm quyền")
    message = told(session, petition, "rejected")
    assert message.subject == f"Petition {petition.tracking_code} not accepted"
    assert message.body.startswith(f"Petition {petition.tracking_code} was not accepted. Reason: Không thuộc")
    assert message.body.endswith(f"/ho-so/{petition.tracking_code}/{petition.sender_key}")  # his case's link
    assert told(session, clerk_entered, "receipt").subject == f"PAKN {clerk_entered.tracking_code} đã được tiếp nhận"
