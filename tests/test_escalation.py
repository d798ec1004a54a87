"""Escalation to the provincial chair (issue 15 point 3): when co-agencies disagree and the lead's leader escalates,
or an agency declares the matter beyond its authority. The chair (a role and inbox of his own, at the provincial
people's committee's office) names a lead agency with a directive, the case returning to handling with the full
answer period, or answers himself; every step audited. Quảng Ngãi, Decision 31/2021 (days off: 26–27 Apr, 30 Apr,
1 May 2026)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.deadlines.status import case_deadlines
from app.petitions.models import Notification

from .conftest import act, item_for, open_items, submit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def test_co_agencies_disagree_the_leader_escalates_the_chair_names_a_lead_whose_answer_is_published(session, login):
    with time_machine.travel(at(2026, 4, 6, 9, 0), tick=False):
        petition = submit(session)
        act(
            session,
            "intake",
            petition,
            "classify",
            decision="forward",
            lead_agency="QNG-SXD",
            co_agencies=["QNG-SNNMT"],
        )
        act(session, "handler", petition, "handle", action="consult", direction="Xử phạt, buộc tháo dỡ")
    with time_machine.travel(at(2026, 4, 7, 9, 0), tick=False):
        act(session, "handler2", petition, "co_opinion", opinion="Đất nông nghiệp: thuộc Sở NN&MT", agrees=False)
    with time_machine.travel(at(2026, 4, 8, 15, 0), tick=False):
        act(session, "handler", petition, "handle", action="answer", answer="Dự thảo xử phạt")
        act(
            session, "leader", petition, "leader_approve",
            leader_decision="escalate", escalation_reason="Sở NN&MT không thống nhất hướng xử lý",
        )  # fmt: skip
    assert petition.status == "escalated"
    chair_task = item_for(session, petition, "chair_decide")
    assert (chair_task.agency_code, chair_task.groups) == ("QNG-VPUB", ["chair"])
    told = session.scalars(select(Notification.recipient).where(Notification.kind == "escalated")).all()
    assert told == ["chair@demo.pakn.vn"]
    inbox = login("chair").get("/cong-viec").data.decode()
    assert petition.tracking_code in inbox
    assert petition.tracking_code not in login("handler").get("/cong-viec").data.decode()
    # Sở Xây dựng's own answer run ended when its leader escalated: met, not counted on while the chair decides.
    (sxd,) = [d for d in case_deadlines(session, petition) if d.step == "answer"]
    assert (sxd.agency_code, sxd.state) == ("QNG-SXD", "met")
    with time_machine.travel(at(2026, 4, 10, 9, 0), tick=False):
        act(
            session, "chair", petition, "chair_decide",
            chair_decision="assign", chair_lead="QNG-SNNMT", directive="Sở NN&MT chủ trì, Sở Xây dựng phối hợp",
        )  # fmt: skip
    # Back to handling at the named lead with its full period: 15 WD from Fri 10 Apr → 13–17, 20–24, 28, 29,
    # 4, 5, Wed 6 May.
    handle = item_for(session, petition, "handle")
    assert (handle.agency_code, handle.due_at) == ("QNG-SNNMT", at(2026, 5, 6, 17, 0))
    assert petition.lead_agency.code == "QNG-SNNMT" and petition.status == "handling"
    with time_machine.travel(at(2026, 4, 14, 9, 0), tick=False):
        act(session, "handler2", petition, "handle", action="answer", answer="Thu hồi đất lấn chiếm")
        act(session, "leader2", petition, "leader_approve", leader_decision="approve")
        act(session, "intake", petition, "review", review_decision="approve")
        act(session, "intake", petition, "publish", public_summary="Đã thu hồi đất lấn chiếm")
    assert petition.status == "published" and petition.answer == "Thu hồi đất lấn chiếm"
    actions = session.scalars(
        select(AuditEntry.task_name).where(AuditEntry.petition_id == petition.id, AuditEntry.action == "task.completed")
    ).all()
    assert "Chủ tịch xem xét, quyết định" in actions


def test_an_agency_beyond_its_authority_goes_to_the_chair_who_answers_himself(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    act(session, "handler", petition, "handle", action="escalate", escalation_reason="Vượt thẩm quyền của Sở")
    assert [i.bpmn_id for i in open_items(session, petition)] == ["chair_decide"]
    act(session, "chair", petition, "chair_decide", chair_decision="answer", answer="UBND tỉnh trả lời như sau")
    assert petition.status == "publishing"
    act(session, "intake", petition, "publish", public_summary="UBND tỉnh đã trả lời")
    assert petition.status == "published" and petition.answer == "UBND tỉnh trả lời như sau"


def test_a_demo_database_seeded_before_the_chairs_gets_them_at_the_next_start(session):
    from app.accounts.models import User  # noqa: PLC0415
    from app.demo import seed_demo  # noqa: PLC0415

    session.delete(session.scalar(select(User).where(User.username == "chair-bn")))
    session.flush()
    seed_demo(session)
    chair = session.scalar(select(User).where(User.username == "chair-bn"))
    assert (chair.role, chair.agency.code) == ("chair", "BN-VPUB")
