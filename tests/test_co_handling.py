"""Co-handling as Decree 20/2008 Art. 14 describes it (issue 15 point 1): the lead drafts a direction, then the
co-handling agencies give opinions in parallel, each with its own task and the policy's `co_opinion` deadline;
the lead reads every opinion beside his draft; an agency may be added during handling; a co-agency that does not
answer in time is recorded late and the lead goes on. Quảng Ngãi (Decision 31/2021), no day off 6–24 Apr 2026."""

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from app.deadlines.status import case_deadlines
from app.petitions.coordination import co_opinions
from app.scheduler.jobs import run_due_timers

from .conftest import act, item_for, open_items, submit

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DIRECTION = "Đề nghị chủ công trình tháo dỡ phần lấn chiếm trong 15 ngày"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


def forwarded(session, co_agencies):
    with time_machine.travel(at(2026, 4, 6, 9, 0), tick=False):
        petition = submit(session)
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD", co_agencies=co_agencies)
    return petition


def consult(session, petition, **more):
    # Asked Mon 6 Apr 10:00: co_opinion 5 WD → 7, 8, 9, 10, Mon 13 Apr 17:00.
    with time_machine.travel(at(2026, 4, 6, 10, 0), tick=False):
        act(session, "handler", petition, "handle", action="consult", direction=DIRECTION, **more)


def test_the_lead_drafts_first_then_each_co_agency_gives_its_opinion_on_it_in_parallel(session, login):
    petition = forwarded(session, ["QNG-SNNMT", "QNG-KONTUM"])
    # Nobody is asked to agree with a direction not yet written: the lead's task comes first.
    assert [i.bpmn_id for i in open_items(session, petition)] == ["handle"]
    consult(session, petition)
    assert petition.status == "consulting"
    asked = [i for i in open_items(session, petition) if i.bpmn_id == "co_opinion"]
    assert sorted(i.agency_code for i in asked) == ["QNG-KONTUM", "QNG-SNNMT"]
    assert {i.due_at for i in asked} == {at(2026, 4, 13, 17, 0)}
    with time_machine.travel(at(2026, 4, 8, 9, 0), tick=False):
        (own,) = [i for i in asked if i.agency_code == "QNG-SNNMT"]
        page = login("handler2").get(f"/cong-viec/{own.id}").data.decode()
        assert DIRECTION in page  # the co-agency reads the direction it is asked about
        act(session, "handler2", petition, "co_opinion", opinion="Cần đo đạc lại ranh giới", agrees=False)
        act(session, "xa-handler", petition, "co_opinion", opinion="Đồng ý phương án tháo dỡ", agrees=True)
    handle = item_for(session, petition, "handle")
    assert petition.status == "handling"
    opinions = {o.agency_code: (o.state, o.opinion, o.agrees) for o in co_opinions(session, petition)}
    assert opinions == {
        "QNG-SNNMT": ("given", "Cần đo đạc lại ranh giới", False),
        "QNG-KONTUM": ("given", "Đồng ý phương án tháo dỡ", True),
    }
    page = login("handler").get(f"/cong-viec/{handle.id}").data.decode()
    assert DIRECTION in page and "Cần đo đạc lại ranh giới" in page and "Đồng ý phương án tháo dỡ" in page
    (run,) = [d for d in case_deadlines(session, petition) if d.step == "co_opinion"]
    assert (run.state, run.due_at) == ("met", at(2026, 4, 13, 17, 0))


def test_an_agency_added_during_handling_is_asked_too(session):
    petition = forwarded(session, ["QNG-SNNMT"])
    consult(session, petition, more_co_agencies=["QNG-KONTUM"])
    assert sorted(a.code for a in petition.co_agencies) == ["QNG-KONTUM", "QNG-SNNMT"]
    asked = sorted(i.agency_code for i in open_items(session, petition) if i.bpmn_id == "co_opinion")
    assert asked == ["QNG-KONTUM", "QNG-SNNMT"]


def test_a_co_agency_that_does_not_answer_in_time_is_recorded_late_and_the_lead_goes_on(session, sessions):
    petition = forwarded(session, ["QNG-SNNMT", "QNG-KONTUM"])
    consult(session, petition)
    with time_machine.travel(at(2026, 4, 9, 9, 0), tick=False):
        act(session, "handler2", petition, "co_opinion", opinion="Thống nhất", agrees=True)
    with time_machine.travel(at(2026, 4, 13, 17, 0, 1), tick=False):
        assert run_due_timers(sessions).fired == 1
    session.refresh(petition)
    assert [i.bpmn_id for i in open_items(session, petition)] == ["handle"]  # the lead goes on
    opinions = {o.agency_code: o.state for o in co_opinions(session, petition)}
    assert opinions == {"QNG-SNNMT": "given", "QNG-KONTUM": "late"}
    (run,) = [d for d in case_deadlines(session, petition) if d.step == "co_opinion"]
    assert run.state == "missed" and run.overdue_at is not None
