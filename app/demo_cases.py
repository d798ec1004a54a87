"""Demo cases for the embedded default (issue 19 point 1): a few dozen petitions in every state, made through the
product's own operations with the clock moved back (time-machine), so that every role's first screen has work and
the public pages have answers. Never inserted behind the operations' back: each case's history, deadlines,
messages and audit entries are the ones a real case would have.
"""

import struct
import tomllib
import zlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

import time_machine
from sqlalchemy import select

from app.accounts.models import User
from app.attachments.files import Upload
from app.calendars.working_days import VIETNAM
from app.db import utcnow
from app.engine.models import Timer, WorkItem
from app.petitions.models import Petition
from app.petitions.moderation import hide_petition
from app.petitions.operations import fire_due_timers, submit_petition
from app.petitions.ratings import rate_answer
from app.petitions.senders import LinkHolder
from app.petitions.validation import NEEDS_PICTURE
from app.tasks.operations import complete_task

WARDS = {"quang-ngai": 23293, "lai-chau": 3408, "bac-ninh": 9187}  # the demo agencies' wards (app/demo.py)
PREFIX = {"quang-ngai": "QNG", "lai-chau": "LC", "bac-ninh": "BN"}
INTAKE = {"quang-ngai": "intake", "lai-chau": "intake-lc", "bac-ninh": "intake-bn"}
HANDLER = {"quang-ngai": "handler", "lai-chau": "handler-lc", "bac-ninh": "handler-bn"}
LEADER = {"quang-ngai": "leader", "lai-chau": "leader-lc", "bac-ninh": "leader-bn"}
CHAIR = {"quang-ngai": "chair", "lai-chau": "chair-lc", "bac-ninh": "chair-bn"}


@dataclass
class Demo:
    """One demo case: what was sent, by whom, and what happened to it (`path`), started `days_ago`."""

    title: str
    content: str
    field: str
    path: str
    days_ago: int
    province: str = "quang-ngai"
    kind: str = "field_report"
    citizen: bool = False  # sent by the demo citizen's account (he sees it under his cases)
    sender: tuple[str, str, str] = ("Phạm Văn Long", "0905123456", "long.pham@example.vn")
    extra: dict = field(default_factory=dict)


SENDERS = [
    ("Phạm Văn Long", "0905123456", "long.pham@example.vn"),
    ("Nguyễn Thị Mai", "0935222333", "mai.nguyen@example.vn"),
    ("Trần Quốc Huy", "0914777888", "huy.tran@example.vn"),
    ("Lê Thị Thu", "0988111222", "thu.le@example.vn"),
    ("Võ Minh Tâm", "0971333444", "tam.vo@example.vn"),
]


def demo_cases() -> list[Demo]:
    """The cases of app/demo_cases.toml."""
    with open(Path(__file__).with_name("demo_cases.toml"), "rb") as file:
        rows = tomllib.load(file)["case"]
    return [
        Demo(
            **{k: v for k, v in row.items() if k not in ("sender", "stars", "comment")},
            sender=SENDERS[row.get("sender", 0)],
            extra={k: row[k] for k in ("stars", "comment") if k in row},
        )
        for row in rows
    ]


def seed_demo_cases(session) -> int:
    """Make the demo cases once, on a database without petitions; returns how many were made."""
    if session.scalar(select(Petition.id).limit(1)) is not None:
        return 0
    now = utcnow()
    made = {}
    for n, demo in enumerate(sorted(demo_cases(), key=lambda d: -d.days_ago)):
        if not demo.citizen and demo.sender == SENDERS[0]:
            demo = replace(demo, sender=SENDERS[n % len(SENDERS)])
        start = (now - timedelta(days=demo.days_ago, hours=2)).astimezone(VIETNAM)
        made[demo.title] = _play(session, demo, _Story(session, demo, start, now), made)
    _catch_up_timers(session, now)
    return len(made)


class _Story:
    """Plays a case's steps, each at its own moment after the start."""

    def __init__(self, session, demo: Demo, start: datetime, now: datetime):
        self.session, self.demo, self.start, self.now = session, demo, start, now
        self.petition: Petition | None = None
        self.province = demo.province

    def at(self, hours: float):
        """The clock `hours` after the case's start, never later than a minute before the real now."""
        return time_machine.travel(
            min(self.start + timedelta(hours=hours), self.now - timedelta(minutes=1)), tick=False
        )

    def user(self, username):
        return self.session.scalar(select(User).where(User.username == username))

    def submit(self):
        d = self.demo
        name, phone, email = d.sender
        raw = {
            "kind": d.kind,
            "field_code": d.field,
            "channel": "portal",
            "title": d.title,
            "content": d.content,
            "location": "",
            "sender_name": "Nguyễn Văn An" if d.citizen else name,
            "sender_address": "Phường Kon Tum" if d.province == "quang-ngai" else d.province,
            "sender_phone": "0912345678" if d.citizen else phone,
            "sender_email": "citizen@demo.pakn.vn" if d.citizen else email,
            "province_code": d.province,
            "commune_code": str(WARDS[d.province]),
        }
        photos = [Upload("anh-hien-truong.png", photo(len(d.title)), "image/png")] if d.kind in NEEDS_PICTURE else []
        with self.at(0):
            actor = self.user("citizen") if d.citizen else None
            self.petition = submit_petition(self.session, actor, raw, attachments=photos)

    def act(self, hours: float, username: str, task: str, **values):
        with self.at(hours):
            item = self.session.scalar(
                select(WorkItem).where(
                    WorkItem.instance_id == self.petition.instance_id,
                    WorkItem.bpmn_id == task,
                    WorkItem.state == "ready",
                )
            )
            actor = LinkHolder(self.petition.id, self.petition.tracking_code) if username == "sender" else None
            complete_task(self.session, actor or self.user(username), item.id, values)
            self.session.refresh(self.petition)

    def agency(self, suffix: str) -> str:
        return f"{PREFIX[self.province]}-{suffix}"

    def forward(self, hours=3, **more):
        self.act(hours, INTAKE[self.province], "classify", decision="forward", lead_agency=self.agency("SXD"), **more)

    def answer(self, hours, text):
        self.act(hours, HANDLER[self.province], "handle", action="answer", answer=text)

    def approve(self, hours):
        self.act(hours, LEADER[self.province], "leader_approve", leader_decision="approve")

    def review(self, hours):
        self.act(hours, INTAKE[self.province], "review", review_decision="approve")

    def publish(self, hours, summary):
        self.act(hours, INTAKE[self.province], "publish", public_title=self.demo.title, public_summary=summary)

    def rate(self, hours, stars, comment=""):
        actor = self.user("citizen") if self.demo.citizen else LinkHolder(self.petition.id, self.petition.tracking_code)
        with self.at(hours):
            rate_answer(self.session, actor, self.petition, stars, comment)


def _play(session, demo: Demo, s: "_Story", made: dict) -> Petition:
    s.submit()
    path = demo.path
    answer = f"Cơ quan đã kiểm tra, xử lý nội dung «{demo.title}» và thông báo kết quả cho người gửi."
    if path == "new":
        return s.petition
    if path in ("ask_info", "closed_no_reply"):
        s.act(5, INTAKE[s.province], "classify", decision="request_info", reason="Đề nghị cho biết địa chỉ cụ thể.")
        return s.petition
    if path == "rejected":
        reason = "Nội dung không thuộc phạm vi tiếp nhận phản ánh, kiến nghị (Điều 4.9)."
        s.act(6, INTAKE[s.province], "classify", decision="reject", reason=reason)
        return s.petition
    if path == "state_secret":
        s.act(4, INTAKE[s.province], "classify", decision="state_secret", reason="Thuộc danh mục bí mật nhà nước.")
        return s.petition
    if path == "duplicate":
        original = made["Ổ gà lớn trên đường Phan Đình Phùng"]
        s.act(2, INTAKE[s.province], "classify", decision="duplicate", original=original.tracking_code)
        return s.petition
    if path == "repeat":
        return s.petition  # linked at submission; the clerk is offered escalation
    if path == "escalated":
        s.forward(3, co_agencies=[s.agency("SNNMT")])
        s.act(20, HANDLER[s.province], "handle", action="consult", direction="Thu hồi giấy đã cấp sai.")
        s.act(44, "handler2", "co_opinion", opinion="Thuộc thẩm quyền Sở Nông nghiệp và Môi trường.", agrees=False)
        s.answer(70, "Dự thảo: thu hồi giấy chứng nhận đã cấp trùng.")
        s.act(75, LEADER[s.province], "leader_approve", leader_decision="escalate",
              escalation_reason="Hai sở không thống nhất hướng giải quyết.")  # fmt: skip
        return s.petition
    s.forward(3, co_agencies=[s.agency("SNNMT")] if path in ("consulting", "disagreement") else [])
    if path == "handling":
        return s.petition
    if path == "handling_claimed":
        with s.at(20):
            from app.tasks.operations import claim_task  # noqa: PLC0415

            item = session.scalar(
                select(WorkItem).where(WorkItem.instance_id == s.petition.instance_id, WorkItem.bpmn_id == "handle")
            )
            claim_task(session, s.user(HANDLER[s.province]), item.id)
        return s.petition
    if path in ("handling_due_soon", "late"):
        return s.petition  # the answer clock runs on; the timers caught up below mark the late one
    if path == "transferred":
        reason = "Nước thải công nghiệp thuộc Sở Nông nghiệp và Môi trường."
        s.act(24, HANDLER[s.province], "handle", action="transfer", transfer_kind="competent",
              transfer_to=s.agency("SNNMT"), transfer_reason=reason)  # fmt: skip
        return s.petition
    if path in ("consulting", "disagreement"):
        s.act(20, HANDLER[s.province], "handle", action="consult", direction="Yêu cầu khôi phục hiện trạng ao.")
        if path == "disagreement":
            s.act(30, "handler2", "co_opinion", opinion="Ao thuộc đất công, đề nghị xử phạt trước.", agrees=False)
        return s.petition
    s.answer(30, answer)
    if path == "leader_review":
        return s.petition
    s.approve(34)
    if path == "reviewing":
        return s.petition
    s.review(50)
    if path == "publishing":
        return s.petition
    s.publish(54, "Cơ quan đã xử lý xong; kết quả chi tiết trong văn bản trả lời.")
    if demo.extra.get("stars"):
        s.rate(80, demo.extra["stars"], demo.extra.get("comment", ""))
    if path == "published_hidden":
        with s.at(60):
            hide_petition(session, s.user(INTAKE[s.province]), s.petition, "abusive")
    return s.petition


def photo(seed: int, width: int = 96, height: int = 64) -> bytes:
    """A small PNG (stripes in a colour of `seed`): the photo a field report must carry."""
    colour = bytes(((seed * 53) % 200 + 40, (seed * 97) % 200 + 40, (seed * 31) % 200 + 40))
    rows = b"".join(b"\x00" + (colour if (y // 8) % 2 else b"\xe0\xe0\xe0") * width for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _catch_up_timers(session, now: datetime, rounds: int = 500):
    """Let every deadline that fell due while the clock was moved take effect at its own instant, earliest first
    (late marks, reminders, progress updates missed, the request for information that expired)."""
    for _ in range(rounds):
        first = session.scalar(select(Timer).where(Timer.due_at < now).order_by(Timer.due_at).limit(1))
        if first is None:
            return
        with time_machine.travel(first.due_at + timedelta(seconds=1), tick=False):
            fire_due_timers(session, first.instance_id)
