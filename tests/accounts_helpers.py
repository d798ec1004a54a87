"""Helpers of the citizen account tests: the sign-up form, the outbox, the links in what arrives."""

import re

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.messaging.delivery import deliver_outbox
from app.messaging.transports import transports_from
from app.petitions.models import Notification

from .web import csrf_token

STRONG = "Hoa sen 2026!"
LINK = re.compile(r"https?://[^/\s]+(/(?:tai-khoan/xac-nhan|dat-lai-mat-khau)/[\w-]+)")


def sign_up_form(client, **overrides) -> dict:
    data = {"full_name": "Trần Thị Bình", "email": "Binh.Tran@Example.vn", "phone": "0987 654 321",
            "password": STRONG, "password_confirm": STRONG, "csrf_token": csrf_token(client, "/dang-ky")}  # fmt: skip
    data.update(overrides)
    return data


def outbox(session, recipient: str, kind: str | None = None) -> list[Notification]:
    session.expire_all()
    query = select(Notification).where(Notification.recipient == recipient).order_by(Notification.id)
    return [row for row in session.scalars(query) if kind in (None, row.kind)]


def link_path(text: str) -> str:
    """The path of the account link in a message's text."""
    match = LINK.search(text)
    assert match, text
    return match.group(1)


def deliver_to(sessions, mail_server):
    return deliver_outbox(sessions, transports_from({"SMTP_URL": mail_server.url}), "worker-test")


def received_by(mail_server, address: str) -> list:
    return [message for message in mail_server.mailbox.messages if message["To"] == address]


def audited(session, action: str, outcome: str | None = None) -> list[AuditEntry]:
    session.expire_all()
    rows = session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))
    return [row for row in rows if outcome in (None, row.outcome)]
