"""Demo cases for the embedded default (issue 19 point 1): a few dozen petitions in every state, made through the
product's own operations with the clock moved back (time-machine), so that every role's first screen has work and
the public pages have answers. Never inserted behind the operations' back: each case's history, deadlines,
messages and audit entries are the ones a real case would have.
"""

import struct
import zlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

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

CASES = [
    Demo(
        "Ổ gà lớn trên đường Phan Đình Phùng",
        "Trước số nhà 45 đường Phan Đình Phùng có ổ gà sâu khoảng 20 cm, "
        "xe máy đi qua rất nguy hiểm, đã có người ngã vào buổi tối.",
        "giao-thong",
        "new",
        1,
        citizen=True,
    ),
    Demo(
        "Đèn chiếu sáng ngõ 12 Trần Phú không sáng",
        "Cả dãy đèn trong ngõ 12 phố Trần Phú tắt đã hai tuần, buổi tối người dân đi lại rất khó khăn.",
        "giao-thong",
        "new",
        0,
    ),
    Demo(
        "Rác thải đổ trộm ở cổng sau chợ",
        "Rác thải sinh hoạt đổ thành đống lớn ở cổng sau chợ phường, bốc mùi hôi thối nhiều ngày không được thu gom.",
        "moi-truong",
        "new",
        2,
        kind="field_report",
    ),
    Demo(
        "Tiếng ồn karaoke sau 22 giờ",
        "Quán karaoke trong khu dân cư hát to sau 22 giờ hằng đêm, ảnh hưởng giấc ngủ của người dân và học sinh.",
        "an-ninh-trat-tu",
        "ask_info",
        4,
    ),
    Demo(
        "Chậm trả kết quả đăng ký hộ kinh doanh",
        "Tôi nộp hồ sơ đăng ký hộ kinh doanh đã quá hạn hẹn trả kết quả nhưng chưa nhận được.",
        "doanh-nghiep",
        "ask_info",
        3,
        kind="procedure_report",
        citizen=True,
    ),
    Demo(
        "Nước máy có màu vàng",
        "Nước máy ở tổ dân phố 5 có màu vàng và mùi clo rất nặng, không dùng để nấu ăn được.",
        "moi-truong",
        "closed_no_reply",
        30,
    ),
    Demo(
        "Quảng cáo dịch vụ vay tiền",
        "Cho vay tiền nhanh, lãi suất thấp, liên hệ số điện thoại sau.",
        "khac",
        "rejected",
        12,
        kind="proposal",
    ),
    Demo(
        "Hỏi về tranh chấp thừa kế",
        "Đề nghị tư vấn cho tôi việc chia thừa kế nhà đất giữa các anh em trong gia đình.",
        "tu-phap",
        "rejected",
        8,
        kind="proposal",
    ),
    Demo(
        "Công trình xây dựng lấn chiếm vỉa hè",
        "Công trình tại số 12 đường Trần Hưng Đạo lấn chiếm vỉa hè, gây cản trở người đi bộ.",
        "xay-dung",
        "handling",
        5,
        kind="regulation",
        citizen=True,
    ),
    Demo(
        "Xây nhà không phép tại tổ 3",
        "Một hộ gia đình ở tổ 3 đang xây nhà ba tầng nhưng không thấy biển báo giấy phép xây dựng.",
        "xay-dung",
        "handling_claimed",
        7,
    ),
    Demo(
        "Sân bóng xây trên đất nông nghiệp",
        "Một sân bóng đá mini được xây trên đất trồng lúa ở cánh đồng phía đông phường.",
        "xay-dung",
        "handling_due_soon",
        16,
    ),
    Demo(
        "Vật liệu xây dựng để tràn ra đường",
        "Cát, đá của công trình để tràn ra lòng đường Lê Lợi nhiều ngày, gây nguy hiểm cho xe máy.",
        "xay-dung",
        "late",
        40,
    ),
    Demo(
        "Nhà xưởng xả khói đen",
        "Nhà xưởng ở cuối đường Nguyễn Huệ xả khói đen vào buổi tối, cả khu phố phải đóng cửa.",
        "moi-truong",
        "consulting",
        6,
    ),
    Demo(
        "San lấp ao trái phép",
        "Một hộ dân san lấp ao chung của tổ dân phố để làm nhà, ảnh hưởng thoát nước.",
        "dat-dai",
        "disagreement",
        9,
    ),
    Demo(
        "Cấp phép xây dựng nhà trên đất ở lâu dài",
        "Đề nghị cho biết điều kiện cấp phép xây nhà trên thửa đất ở lâu dài đã có giấy chứng nhận.",
        "xay-dung",
        "leader_review",
        10,
        kind="regulation",
    ),
    Demo(
        "Cây xà cừ nghiêng trước trường học",
        "Cây xà cừ lớn trước cổng trường tiểu học bị nghiêng, rễ bật lên, có nguy cơ đổ vào học sinh.",
        "xay-dung",
        "reviewing",
        11,
    ),
    Demo(
        "Biển báo giao thông bị che khuất",
        "Biển báo hạn chế tốc độ ở ngã ba bị cây che khuất hoàn toàn.",
        "giao-thong",
        "publishing",
        12,
    ),
    Demo(
        "Cống thoát nước bị tắc",
        "Mỗi khi mưa lớn, cống thoát nước phố Lê Lợi bị tắc, nước ngập đến đầu gối.",
        "xay-dung",
        "published",
        25,
        extra={"stars": 5, "comment": "Cảm ơn, cống đã được nạo vét."},
    ),
    Demo(
        "Lấn chiếm vỉa hè đường Hùng Vương",
        "Các quán ăn trên đường Hùng Vương bày bàn ghế chiếm hết vỉa hè.",
        "xay-dung",
        "published",
        35,
        citizen=True,
        extra={"stars": 4, "comment": "Đã thông thoáng hơn."},
    ),
    Demo(
        "Hàng rào công trình đổ ra đường",
        "Hàng rào tôn của công trình bị gió làm đổ ra đường Quang Trung.",
        "xay-dung",
        "published",
        45,
        extra={"stars": 1, "comment": "Trả lời chậm, hàng rào vẫn chưa dựng lại."},
    ),
    Demo(
        "Đề nghị lắp gờ giảm tốc trước trường",
        "Đề nghị lắp gờ giảm tốc trên đường trước cổng trường trung học vì xe chạy rất nhanh giờ tan học.",
        "xay-dung",
        "published",
        55,
        kind="proposal",
    ),
    Demo(
        "Chợ tạm lấn chiếm lòng đường",
        "Chợ tạm họp trên lòng đường Bà Triệu từ 5 giờ sáng, thằng cha quản lý chợ ăn hối lộ, đồ ngu.",
        "xay-dung",
        "published_hidden",
        30,
    ),
    Demo(
        "Thông tin về quy hoạch khu quân sự",
        "Đề nghị cung cấp bản đồ bố trí khu vực quân sự trên địa bàn.",
        "dat-dai",
        "state_secret",
        14,
        kind="regulation",
    ),
    Demo(
        "Tranh chấp đất giữa hai xã",
        "Hai xã cùng cấp giấy cho một thửa đất bãi bồi, các sở không thống nhất hướng giải quyết.",
        "xay-dung",
        "escalated",
        13,
    ),
    Demo(
        "Nhà xưởng gây ô nhiễm nguồn nước",
        "Nhà xưởng chế biến xả nước thải xuống mương tưới, cá chết hàng loạt.",
        "xay-dung",
        "transferred",
        8,
    ),
    Demo(
        "Ổ gà lớn đường Phan Đình Phùng",
        "Đường Phan Đình Phùng gần nhà số 45 bị lún thành ổ gà sâu, nhiều xe máy bị ngã.",
        "giao-thong",
        "duplicate",
        0,
        sender=SENDERS[3],
    ),
    Demo(
        "Vẫn còn hàng quán lấn chiếm vỉa hè Hùng Vương",
        "Các quán ăn trên đường Hùng Vương lại bày bàn ghế chiếm hết vỉa hè sau khi đã được trả lời.",
        "xay-dung",
        "repeat",
        1,
        citizen=True,
    ),
    Demo(
        "Đường nội đồng bị sạt lở",
        "Đoạn đường nội đồng thôn 2 bị sạt lở sau mưa lũ, xe chở lúa không đi được.",
        "giao-thong",
        "published",
        20,
        province="lai-chau",
        extra={"stars": 5, "comment": "Rất nhanh."},
    ),
    Demo(
        "Chậm cấp giấy phép xây dựng",
        "Hồ sơ xin phép xây dựng của tôi đã quá hạn 10 ngày chưa có kết quả.",
        "xay-dung",
        "handling",
        6,
        province="lai-chau",
        kind="procedure_report",
    ),
    Demo(
        "Trạm biến áp kêu to",
        "Trạm biến áp đầu khu phố phát ra tiếng kêu rất to, người dân lo cháy nổ.",
        "xay-dung",
        "new",
        1,
        province="lai-chau",
    ),
    Demo(
        "Hệ thống thoát nước khu công nghiệp",
        "Mương thoát nước quanh khu công nghiệp bị bồi lấp, nước tràn vào khu dân cư.",
        "xay-dung",
        "published",
        30,
        province="bac-ninh",
        extra={"stars": 3},
    ),
    Demo(
        "Công trình thi công gây nứt nhà",
        "Công trình bên cạnh đóng cọc làm nứt tường nhà tôi.",
        "xay-dung",
        "handling",
        4,
        province="bac-ninh",
    ),
    Demo(
        "Đề nghị mở rộng bãi đỗ xe bệnh viện",
        "Bãi đỗ xe của bệnh viện tỉnh quá chật, xe đỗ tràn ra đường.",
        "xay-dung",
        "new",
        2,
        province="bac-ninh",
        kind="proposal",
    ),
]


def seed_demo_cases(session) -> int:
    """Make the demo cases once, on a database without petitions; returns how many were made."""
    if session.scalar(select(Petition.id).limit(1)) is not None:
        return 0
    now = utcnow()
    made = {}
    for n, demo in enumerate(sorted(CASES, key=lambda d: -d.days_ago)):
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
