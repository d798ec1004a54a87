"""A hand-counted quarter of Quảng Ngãi for the report tests (received Mon 7 Sep 2026 unless said): rejected,
awaiting information, answered on time, hidden while handled, transferred to another agency, escalated to the
chair, answered late; Lai Châu's letter the same day; and a case of 1 Oct, outside September and Q3."""

from datetime import datetime

import time_machine

from app.calendars.working_days import VIETNAM
from app.petitions.moderation import hide_petition
from app.petitions.operations import fire_due_timers

from .conftest import act, submit, user

FORWARD = {"decision": "forward", "lead_agency": "QNG-SXD"}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


def answer(session, petition, text="Đã xử lý dứt điểm."):
    act(session, "handler", petition, "handle", action="answer", answer=text)
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary=text)


def a_quarter_of_cases(session) -> dict:
    with time_machine.travel(at(2026, 9, 7, 9, 0), tick=False):
        cases = {
            "rejected": submit(session, kind="conduct"),
            "waiting": submit(session),
            "on_time": submit(session),
            "hidden": submit(session),
            "transferred": submit(session, field_code="dat-dai"),
            "escalated": submit(session, kind="proposal"),
            "late": submit(session),
            "lai_chau": submit(session, "intake-lc", channel="letter", province_code="lai-chau"),
        }
        act(session, "intake", cases["rejected"], "classify", decision="reject", reason="Khiếu nại, tố cáo")
        act(session, "intake", cases["waiting"], "classify", decision="request_info", reason="Số nhà cụ thể?")
        for name in ("on_time", "hidden", "transferred", "escalated", "late"):
            act(session, "intake", cases[name], "classify", **FORWARD)
        hide_petition(session, user(session, "intake"), cases["hidden"], "abusive")
        act(
            session, "handler", cases["transferred"], "handle", action="transfer", transfer_kind="competent",
            transfer_to="QNG-SNNMT", transfer_reason="Thuộc lĩnh vực đất đai",
        )  # fmt: skip
        act(session, "handler", cases["escalated"], "handle", action="escalate", escalation_reason="Vượt thẩm quyền")
    with time_machine.travel(at(2026, 9, 9, 10, 0), tick=False):
        answer(session, cases["on_time"])
    with time_machine.travel(at(2026, 9, 30, 9, 0), tick=False):  # the answer's 15 working days have passed
        fire_due_timers(session, cases["late"].instance_id)
        session.refresh(cases["late"])
        assert cases["late"].late
    with time_machine.travel(at(2026, 10, 1, 9, 0), tick=False):
        answer(session, cases["late"], "Đã xử lý, trả lời chậm.")
        cases["october"] = submit(session)
    return cases
