"""Each event of a case reaches its sender exactly once by e-mail and once by SMS, through a real SMTP server
(aiosmtpd, STARTTLS and login) and a local HTTP server standing in for the SMS gateway, with the event's own text,
the tracking code and the link to his case page: receipt, request for information, forwarding, transfer, a
progress update, publication, the answer to a clarification; and a rejection with its reason."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.calendars.working_days import VIETNAM
from app.petitions.clarifications import ask_clarification
from app.petitions.models import CaseDeadline
from app.scheduler.jobs import run_due_timers
from app.tasks.operations import complete_task

from .conftest import act, submit, user
from .test_clarification import clarification_task
from .test_message_delivery import Gateway, MailServer, certificate, deliver, sms_gateway  # noqa: F401
from .test_sender_asked_in_handling import at

BASE = "https://pakn.quangngai.gov.vn"
FROM = "Cổng PAKN tỉnh Quảng Ngãi <pakn@quangngai.gov.vn>"
EMAIL, PHONE = "an.nguyen@example.vn", "0912345678"
TRANSFER = {"transfer_kind": "competent", "transfer_reason": "Thuộc lĩnh vực đất đai"}


class SenderInbox:
    """What reached the sender since the last look, after one run of the outbox worker."""

    def __init__(self, sessions, mail, sms_url):
        self.sessions, self.mail = sessions, mail
        self.env = {"SMTP_URL": mail.url, "SMS_URL": sms_url, "MAIL_FROM": FROM}
        self.mails_seen = self.sms_seen = 0

    def new(self) -> tuple[list, list[str]]:
        deliver(self.sessions, self.env)
        mails = [m for m in self.mail.mailbox.messages if m["To"] == EMAIL]
        texts = [text for to, text, _ in Gateway.received if to == PHONE]
        fresh = mails[self.mails_seen :], texts[self.sms_seen :]
        self.mails_seen, self.sms_seen = len(mails), len(texts)
        return fresh

    def told_once(self, subject: str, *said: str) -> str:
        """Exactly one e-mail (with `subject`) and one SMS arrived, both saying `said` and the case link."""
        mails, texts = self.new()
        assert [(m["Subject"], m["From"]) for m in mails] == [(subject, FROM)]  # Vietnamese headers intact
        body = mails[0].get_content().strip()
        assert texts == [body]  # the SMS carries the same text
        for part in said:
            assert part in body, (part, body)
        return body


@pytest.fixture
def inbox(sessions, certificate, sms_gateway, monkeypatch):  # noqa: F811
    monkeypatch.setenv("PAKN_BASE_URL", BASE)
    with MailServer(certificate) as mail:
        yield SenderInbox(sessions, mail, sms_gateway)


def test_each_event_reaches_the_sender_exactly_once_by_mail_and_by_sms(session, sessions, inbox):
    with time_machine.travel(at(2026, 4, 15, 9, 0), tick=False):
        petition = submit(session)
    code = petition.tracking_code
    link = f"{BASE}/ho-so/{code}/{petition.sender_key}"
    inbox.told_once(f"PAKN {code} đã được tiếp nhận", f"Mã tra cứu: {code}", link)

    with time_machine.travel(at(2026, 4, 15, 10, 0), tick=False):
        act(session, "intake", petition, "classify", decision="request_info", reason="Xin cho biết số nhà cụ thể")
    due = session.scalar(select(CaseDeadline.due_at).where(CaseDeadline.step == "info_reply"))
    inbox.told_once(
        f"PAKN {code}: đề nghị bổ sung thông tin",
        "Xin cho biết số nhà cụ thể",
        f"Hạn bổ sung: {due.astimezone(VIETNAM):%H:%M %d/%m/%Y}",
        link,
    )
    with time_machine.travel(at(2026, 4, 16, 9, 0), tick=False):
        act(session, "citizen", petition, "provide_info", info="Số nhà 12, tổ dân phố 3")
    inbox.told_once(f"PAKN {code}: đã nhận thông tin bổ sung", link)

    with time_machine.travel(at(2026, 4, 16, 10, 0), tick=False):
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    inbox.told_once(f"PAKN {code} được chuyển đến cơ quan giải quyết", "Sở Xây dựng", link)

    with time_machine.travel(at(2026, 4, 17, 9, 0), tick=False):
        act(session, "handler", petition, "handle", action="transfer", transfer_to="QNG-SNNMT", **TRANSFER)
    inbox.told_once(f"PAKN {code} được chuyển cơ quan có thẩm quyền", "Sở Nông nghiệp và Môi trường", link)

    # The answer deadline passes: the agency must post progress updates, each told to the sender.
    answer_due = session.scalar(
        select(CaseDeadline.due_at).where(CaseDeadline.step == "answer").order_by(CaseDeadline.id.desc())
    )
    with time_machine.travel(answer_due + timedelta(seconds=1), tick=False):
        run_due_timers(sessions)
        act(session, "handler2", petition, "progress_update", progress_note="Đang đo đạc lại ranh giới thửa đất")
    inbox.told_once(f"PAKN {code}: tiến độ giải quyết", "Đang đo đạc lại ranh giới thửa đất", link)

    act(session, "handler2", petition, "handle", action="answer", answer="Đã yêu cầu trả lại phần lấn chiếm.")
    act(session, "leader2", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    assert inbox.new() == ([], [])  # internal steps tell the sender nothing
    act(session, "intake", petition, "publish", public_summary="Đã yêu cầu trả lại phần lấn chiếm")
    inbox.told_once(f"PAKN {code} đã có kết quả trả lời", "được công khai", link)

    ask_clarification(session, user(session, "citizen"), petition, "Xin cho biết thời hạn trả lại phần lấn chiếm.")
    assert inbox.new() == ([], [])  # his own reply is not mailed back to him
    item = clarification_task(session, petition)
    complete_task(session, user(session, "handler2"), item.id, {"clarification": "Trước ngày 30/6/2026."})
    inbox.told_once(f"PAKN {code}: cơ quan đã làm rõ ý kiến phản hồi", "Trước ngày 30/6/2026.", link)
    assert inbox.new() == ([], [])  # nothing sent twice


def test_a_rejection_reaches_the_sender_once_with_its_reason(session, inbox):
    petition = submit(session)
    inbox.new()  # the receipt
    act(session, "intake", petition, "classify", decision="reject", reason="Nội dung là khiếu nại, tố cáo")
    code = petition.tracking_code
    inbox.told_once(
        f"PAKN {code} không được tiếp nhận",
        "Lý do: Nội dung là khiếu nại, tố cáo",
        f"{BASE}/ho-so/{code}/{petition.sender_key}",
    )
    assert inbox.new() == ([], [])
