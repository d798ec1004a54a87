"""An agency asks the sender for more information during handling (issue 15 point 5), only where the province's
policy allows it (`agency_info_request`, with its legal basis): the answer clock pauses until the reply, and the
sender is told the question. Quảng Ngãi (Decision 31/2021, allowed); Bắc Ninh (17/2024, not allowed)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from app.calendars.store import current_book
from app.deadlines.status import petition_deadlines
from app.petitions.models import CaseEvent

from .conftest import act, item_for, open_items, submit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
QUESTION = "Xin cho biết công trình đã có giấy phép xây dựng chưa"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def test_the_policies_say_whether_an_agency_may_ask_the_sender_and_why(session):
    book = current_book(session)
    allowed, basis = book.policy("quang-ngai").agency_info_request
    assert allowed and "Điều 40" in basis
    assert book.policy("lai-chau").agency_info_request[0]  # 574/QĐ-TTg inherits Decision 31/2021's rule
    assert book.policy("bac-ninh").agency_info_request[0] is False


def test_the_answer_clock_pauses_while_the_sender_is_asked_and_resumes_at_his_reply(session):
    # Forwarded Mon 6 Apr 09:00: answer 15 WD → Tue 28 Apr (Hùng Kings 26–27 Apr off).
    with time_machine.travel(at(2026, 4, 6, 9, 0), tick=False):
        petition = submit(session)
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    with time_machine.travel(at(2026, 4, 8, 10, 0), tick=False):
        act(session, "handler", petition, "handle", action="ask_sender", sender_question=QUESTION)
    assert petition.status == "awaiting_info"
    assert [i.bpmn_id for i in open_items(session, petition)] == ["provide_info_to_agency"]
    asked = session.scalars(select(CaseEvent).where(CaseEvent.kind == "request_info")).all()
    assert len(asked) == 1 and QUESTION in asked[0].details_json  # on the sender's timeline, with the question
    with time_machine.travel(at(2026, 4, 10, 9, 0), tick=False):
        (answer,) = [d for d in petition_deadlines(session, petition) if d.step == "answer"]
        assert answer.state == "met"  # stopped on Wed 8 Apr with days to spare, not counting on
    # The reply on Mon 13 Apr 10:00: the clock stood still 9, 10 and 13 Apr (3 WD), so the answer is due 18 WD
    # after 6 Apr: 28 Apr (15), 29 Apr (16), 30 Apr–3 May off, 4 May (17), Tue 5 May (18).
    with time_machine.travel(at(2026, 4, 13, 10, 0), tick=False):
        act(session, "citizen", petition, "provide_info_to_agency", info="Chưa có giấy phép")
    handle = item_for(session, petition, "handle")
    assert (handle.agency_code, handle.due_at) == ("QNG-SXD", at(2026, 5, 5, 17, 0))


def test_where_the_policy_does_not_allow_it_the_case_stays_with_the_agency(session):
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        petition = submit(session, "intake-bn", channel="phone", province_code="bac-ninh")
        act(session, "intake-bn", petition, "classify", decision="forward", lead_agency="BN-SXD")
        act(session, "handler-bn", petition, "handle", action="ask_sender")
    assert [i.bpmn_id for i in open_items(session, petition)] == ["handle"]
    assert session.scalars(select(CaseEvent).where(CaseEvent.kind == "request_info")).all() == []
