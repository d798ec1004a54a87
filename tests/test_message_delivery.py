"""Messages really leave: a real SMTP server (aiosmtpd, STARTTLS and login) and a local HTTP server standing in
for the SMS gateway; retries while a server is down, dead letters for refused addresses."""

import json
import logging
import socket
import ssl
import subprocess
import threading
from base64 import b64encode
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as email_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.db import utcnow
from app.messaging.delivery import deliver_outbox, max_tries, pause_after
from app.messaging.transports import transports_from
from app.petitions.models import Notification

from .conftest import item_for, submit
from .web import csrf_token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mailbox:
    """aiosmtpd handler: keeps what arrives, refuses recipients at refused.example."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.endswith("@refused.example"):
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.original_content, policy=email_policy))
        return "250 Message accepted"


def check_login(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=auth_data.login == b"pakn" and auth_data.password == b"s3cret mail")


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    return folder / "cert.pem", folder / "key.pem"


class MailServer:
    def __init__(self, certificate, port=None):
        cert, key = certificate
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        self.mailbox, self.port, self.cafile = Mailbox(), port or free_port(), cert
        self.controller = Controller(
            self.mailbox, hostname="127.0.0.1", port=self.port, tls_context=context, require_starttls=True,
            authenticator=check_login, auth_required=True,
        )  # fmt: skip

    @property
    def url(self) -> str:
        return f"smtp://pakn:s3cret%20mail@127.0.0.1:{self.port}?starttls=require&cafile={self.cafile}"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class Gateway(BaseHTTPRequestHandler):
    received: list = []
    posted: list = []
    status = 200

    def do_GET(self):
        query = parse_qs(urlsplit(self.path).query)
        type(self).received.append((query["to"][0], query["text"][0], self.headers.get("Authorization")))
        self.send_response(type(self).status)
        self.end_headers()
        self.wfile.write(b"OK")

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).posted.append((self.headers["Content-Type"], body.decode(), self.headers.get("Authorization")))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_gateway():
    Gateway.received, Gateway.posted, Gateway.status = [], [], 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/send?to={{to}}&text={{text}}"
    server.shutdown()


def deliver(sessions, env, now=None):
    return deliver_outbox(sessions, transports_from(env), "worker-test", now=now)


def receipt_rows(session, petition, channel=None):
    rows = session.scalars(select(Notification).where(Notification.petition_id == petition.id)).all()
    return [row for row in rows if channel in (None, row.channel)]


def test_a_receipt_leaves_by_mail_and_sms_exactly_once(session, sessions, certificate, sms_gateway):
    petition = submit(session)
    with MailServer(certificate) as mail:
        env = {"SMTP_URL": mail.url, "MAIL_FROM": "PAKN <pakn@tinh.gov.vn>", "SMS_URL": sms_gateway, "SMS_TOKEN": "t0k"}
        report = deliver(sessions, env)
        again = deliver(sessions, env)
    assert len(report.sent) == 2 and not again.sent and not report.retried
    [received] = mail.mailbox.messages
    assert received["To"] == "an.nguyen@example.vn" and received["From"] == "PAKN <pakn@tinh.gov.vn>"
    assert petition.tracking_code in received.get_content()
    [(phone, text, authorization)] = Gateway.received
    assert phone == "0912345678" and petition.tracking_code in text and authorization == "Bearer t0k"
    session.expire_all()
    assert {(row.channel, row.state) for row in receipt_rows(session, petition)} == {("email", "sent"), ("sms", "sent")}
    assert all(row.sent_at is not None and row.attempts == 1 for row in receipt_rows(session, petition))
    sent = session.scalars(select(AuditEntry).where(AuditEntry.action == "message.sent")).all()
    assert len(sent) == 2 and {entry.petition_id for entry in sent} == {petition.id}


def test_a_mail_server_down_loses_nothing_and_delivers_once_when_back(session, sessions, certificate):
    petition, other = submit(session), submit(session, sender_email="binh.tran@example.vn")
    port = free_port()
    env = {"SMTP_URL": MailServer(certificate, port).url}
    first = deliver(sessions, env)  # nothing listens on the port
    session.expire_all()
    [row] = receipt_rows(session, petition, "email")
    [waiting] = receipt_rows(session, other, "email")
    assert first.retried == [row.id] and row.state == "queued" and row.attempts == 1 and row.last_error
    assert row.next_attempt_at >= utcnow() + pause_after(1) - timedelta(seconds=5)
    # the run's next e-mail is not tried against a server just found down: no timeout per message
    assert first.postponed == [waiting.id] and waiting.attempts == 0 and waiting.state == "queued"
    with MailServer(certificate, port) as mail:
        assert not deliver(sessions, env).sent  # not due again yet: the pause is kept (the SMS went to the log)
        with time_machine.travel(utcnow() + timedelta(minutes=2), tick=False):
            assert sorted(deliver(sessions, env).sent) == [row.id, waiting.id]
            assert not deliver(sessions, env).sent
    assert sorted(m["To"] for m in mail.mailbox.messages) == ["an.nguyen@example.vn", "binh.tran@example.vn"]
    session.expire_all()
    assert session.get(Notification, row.id).state == "sent"


def test_a_refused_address_is_dead_lettered_at_once_and_audited(session, sessions, certificate, sms_gateway):
    petition = submit(session, sender_email="nobody@refused.example")
    Gateway.status = 400
    with MailServer(certificate) as mail:
        report = deliver(sessions, {"SMTP_URL": mail.url, "SMS_URL": sms_gateway})
    assert len(report.dead) == 2 and not report.sent and not mail.mailbox.messages
    session.expire_all()
    rows = {row.channel: row for row in receipt_rows(session, petition)}
    assert rows["email"].state == "dead" and "550" in rows["email"].last_error
    assert rows["sms"].state == "dead" and "HTTP 400" in rows["sms"].last_error
    dead = session.scalars(select(AuditEntry).where(AuditEntry.action == "message.dead_lettered")).all()
    assert {entry.outcome for entry in dead} == {"failed"} and len(dead) == 2


def test_a_gateway_that_keeps_failing_ends_in_the_dead_letters_after_the_last_try(
    session, sessions, sms_gateway, monkeypatch
):
    monkeypatch.setenv("PAKN_MESSAGE_TRIES", "3")
    Gateway.status = 503
    petition = submit(session)  # its e-mail goes to the log
    moment = utcnow()
    for attempt in range(3):
        with time_machine.travel(moment, tick=False):
            report = deliver(sessions, {"SMS_URL": sms_gateway})
        moment += pause_after(attempt + 1) + timedelta(seconds=1)
    assert len(Gateway.received) == 3 and report.dead
    session.expire_all()
    [row] = receipt_rows(session, petition, "sms")
    assert row.state == "dead" and row.attempts == 3 and "503" in row.last_error


def test_two_workers_never_send_one_message_and_a_stale_claim_is_taken_over(session, sessions, sms_gateway):
    submit(session)
    rows = session.scalars(select(Notification)).all()
    for row in rows:
        row.claimed_by, row.claimed_at = "dead-worker", utcnow() - timedelta(minutes=1)
    session.commit()
    assert not deliver(sessions, {"SMS_URL": sms_gateway}).sent  # fresh claims of another worker: left alone
    with time_machine.travel(utcnow() + timedelta(minutes=15), tick=False):
        assert sorted(deliver(sessions, {"SMS_URL": sms_gateway}).sent) == sorted(row.id for row in rows)
    assert len(Gateway.received) == 1


def test_staff_see_each_messages_delivery_state_on_the_case(session, sessions, login, certificate, sms_gateway):
    petition = submit(session, sender_email="nobody@refused.example")
    Gateway.status = 503
    with MailServer(certificate) as mail:  # refuses the address: dead-lettered; the gateway fails: waiting
        deliver(sessions, {"SMS_URL": sms_gateway, "SMTP_URL": mail.url})
    page = login("intake").get(f"/cong-viec/{item_for(session, petition, 'classify').id}").data.decode()
    section = page.split('id="tin-nhan"')[1].split("</section>")[0]
    assert "Không gửi được" in section and "550 5.1.1 no such mailbox" in section
    assert "Đang chờ gửi" in section and "đã thử 1 lần" in section and "HTTP 503" in section
    assert f"PAKN {petition.tracking_code} đã được tiếp nhận" in section


def test_a_mail_server_stopped_for_a_while_then_started_again_gets_each_message_once(session, sessions, certificate):
    port = free_port()
    transports = transports_from({"SMTP_URL": MailServer(certificate, port).url})  # kept across runs, as the scheduler
    before = submit(session)
    with MailServer(certificate, port) as mail:
        deliver_outbox(sessions, transports, "worker-test")
    during = submit(session, sender_email="binh.tran@example.vn")  # the mail server is stopped now
    down = deliver_outbox(sessions, transports, "worker-test")
    session.expire_all()
    [waiting] = receipt_rows(session, during, "email")
    assert down.retried == [waiting.id] and not down.dead and waiting.state == "queued"
    with MailServer(certificate, port) as restarted:
        assert waiting.id not in deliver_outbox(sessions, transports, "worker-test").sent  # its pause is kept
        with time_machine.travel(utcnow() + pause_after(1) + timedelta(seconds=1), tick=False):
            assert deliver_outbox(sessions, transports, "worker-test").sent == [waiting.id]
            assert not deliver_outbox(sessions, transports, "worker-test").sent
    assert [m["To"] for m in mail.mailbox.messages] == ["an.nguyen@example.vn"]
    assert [m["To"] for m in restarted.mailbox.messages] == ["binh.tran@example.vn"]
    assert during.tracking_code in restarted.mailbox.messages[0].get_content()
    session.expire_all()
    assert {row.state for row in receipt_rows(session, before) + receipt_rows(session, during)} == {"sent"}


def test_the_pause_between_tries_doubles_from_a_minute_to_an_hour_and_8_tries_are_made(monkeypatch):
    monkeypatch.delenv("PAKN_MESSAGE_TRIES", raising=False)
    minutes = [pause_after(n) / timedelta(minutes=1) for n in range(1, 9)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60] and max_tries() == 8


def test_a_gateway_that_wants_a_json_post_with_a_login_gets_one(session, sessions, sms_gateway):
    petition = submit(session)
    env = {
        "SMS_URL": sms_gateway.split("?")[0],
        "SMS_BODY": '{"to": "{to}", "message": "{text}"}',  # the README's example
        "SMS_CONTENT_TYPE": "json",
        "SMS_USER": "pakn",
        "SMS_PASSWORD": "mật khẩu",
    }
    assert len(deliver(sessions, env).sent) == 2  # the e-mail went to the log
    [(content_type, body, authorization)] = Gateway.posted
    sent = json.loads(body)
    assert content_type == "application/json" and sent["to"] == "0912345678"
    assert (
        sent["message"].startswith(f"PAKN «{petition.title}» đã được tiếp nhận")
        and petition.tracking_code in sent["message"]
    )
    assert authorization == "Basic " + b64encode("pakn:mật khẩu".encode()).decode()


def test_without_a_mail_server_or_gateway_messages_are_printed_to_the_log(session, sessions, caplog):
    petition = submit(session)
    with caplog.at_level(logging.INFO, logger="pakn.messages"):
        assert len(deliver(sessions, {}).sent) == 2
    printed = [record.getMessage() for record in caplog.records if record.name == "pakn.messages"]
    assert [line.split(":")[0] for line in printed] == ["email to an.nguyen@example.vn", "sms to 0912345678"]
    assert all(petition.tracking_code in line and f"/ho-so/{petition.tracking_code}/" in line for line in printed)


@pytest.fixture
def silent_servers(monkeypatch):
    """A mail server and a gateway that accept connections and never answer, set in the web app's environment."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    silent.setblocking(False)
    port = silent.getsockname()[1]
    monkeypatch.setenv("SMTP_URL", f"smtp://127.0.0.1:{port}?starttls=off")
    monkeypatch.setenv("SMS_URL", f"http://127.0.0.1:{port}/send?to={{to}}&text={{text}}")
    yield silent
    silent.close()


def test_a_web_request_writes_its_messages_and_never_waits_for_a_server(silent_servers, client, session):
    from .test_web_portal import form  # noqa: PLC0415

    sent = client.post("/gui-phan-anh", data=form(csrf_token=csrf_token(client, "/gui-phan-anh")))
    assert sent.status_code == 302
    with pytest.raises(BlockingIOError):
        silent_servers.accept()  # nobody connected: the page did not try to send
    queued = session.scalars(select(Notification).where(Notification.kind == "receipt")).all()
    assert {(row.channel, row.state) for row in queued} == {("email", "queued"), ("sms", "queued")}
