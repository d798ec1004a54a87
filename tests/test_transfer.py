"""Transfer with a required reason (issue 15 point 2): to the competent agency or up to the superior; the intake
office is told; the receiving agency gets the full answer period from the day it receives the case (Decision
31/2021 Art. 45 counts from the day the handling agency receives it) while the transferring agency's run ends met
or missed at the transfer; who held the case and for how long is shown. Quảng Ngãi, Decision 31/2021.

2026 days off: Hùng Kings Sun 26 + Mon 27 Apr, 30 Apr, 1 May."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.errors import FormInvalid
from app.petitions.coordination import holders
from app.petitions.models import Notification

from .conftest import act, item_for, submit

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def forwarded(session, lead="QNG-SXD"):
    with time_machine.travel(at(2026, 4, 6, 9, 0), tick=False):
        petition = submit(session)
        act(session, "intake", petition, "classify", decision="forward", lead_agency=lead)
    return petition


def test_a_transfer_needs_a_reason(session):
    petition = forwarded(session)
    with pytest.raises(FormInvalid) as refused:
        act(
            session,
            "handler",
            petition,
            "handle",
            action="transfer",
            transfer_kind="competent",
            transfer_to="QNG-SNNMT",
        )
    assert [e.field for e in refused.value.errors] == ["transfer_reason"]
    assert petition.lead_agency.code == "QNG-SXD"


def test_a_transfer_to_the_competent_agency_tells_the_intake_office_and_restarts_the_answer_period(session, login):
    petition = forwarded(session)
    # Sở Xây dựng's answer: 15 WD from Mon 6 Apr → Tue 28 Apr (Hùng Kings 26–27 Apr off).
    assert item_for(session, petition, "handle").due_at == at(2026, 4, 28, 17, 0)
    reason = "Nội dung thuộc lĩnh vực đất đai, không thuộc thẩm quyền của Sở Xây dựng"
    with time_machine.travel(at(2026, 4, 9, 10, 0), tick=False):
        act(
            session, "handler", petition, "handle",
            action="transfer", transfer_kind="competent", transfer_to="QNG-SNNMT", transfer_reason=reason,
        )  # fmt: skip
    assert petition.lead_agency.code == "QNG-SNNMT" and petition.status == "handling"
    told = session.scalars(select(Notification).where(Notification.kind == "transfer_told")).all()
    assert [n.recipient for n in told] == ["intake@demo.pakn.vn"] and reason in told[0].body
    # The receiving agency's 15 WD from Thu 9 Apr: 10, 13–17, 20–24 (11), 28, 29, 4 May, Tue 5 May (15).
    handle = item_for(session, petition, "handle")
    assert (handle.agency_code, handle.due_at) == ("QNG-SNNMT", at(2026, 5, 5, 17, 0))
    with time_machine.travel(at(2026, 4, 13, 9, 0), tick=False):
        held = [
            (h.agency_code, h.started_at, h.ended_at, h.working_days, h.verdict) for h in holders(session, petition)
        ]
        page = login("handler2").get(f"/cong-viec/{handle.id}").data.decode()
    assert held == [
        ("QNG-SXD", at(2026, 4, 6, 9, 0), at(2026, 4, 9, 10, 0), 3, "met"),
        ("QNG-SNNMT", at(2026, 4, 9, 10, 0), None, 2, "running"),
    ]
    assert "Các cơ quan đã giữ hồ sơ" in page and reason in page  # the reason in the case's history


def test_a_transfer_up_to_the_superior_goes_to_the_parent_agency(session):
    # The ward's people's committee sends it up; its superior here is the provincial office (app/demo.py).
    petition = forwarded(session, lead="QNG-KONTUM")
    act(
        session, "xa-handler", petition, "handle",
        action="transfer", transfer_kind="parent", transfer_reason="Vượt thẩm quyền của UBND phường",
    )  # fmt: skip
    assert petition.lead_agency.code == "QNG-VPUB"
    act(session, "vp-handler", petition, "handle", action="answer", answer="Văn phòng UBND tỉnh trả lời.")
    assert petition.status == "leader_review"
