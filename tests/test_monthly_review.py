"""The leaders' monthly review (seed 002, Bắc Ninh 17/2024): started by the scheduler on the first working day of
the month, once per unit; its task lists last month's hidden, one-star and flagged-not-hidden cases of the unit;
each measure is applied through the existing operations and audited; a late review goes overdue."""

import html
from datetime import datetime

import pytest
import time_machine
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.calendars.working_days import VIETNAM
from app.engine.deployment import latest_definition
from app.engine.models import ProcessInstance, WorkItem
from app.errors import FormInvalid, PermissionDenied
from app.petitions.models import Notification
from app.petitions.moderation import hide_petition
from app.petitions.ratings import rate_answer
from app.reviews.flags import flag_rule_breaking
from app.reviews.measures import record_measure, review_cases
from app.reviews.models import MonthlyReview, RuleFlag
from app.reviews.monthly import month_before, review_units, start_review
from app.scheduler.jobs import run_due_timers, start_due_reviews
from app.tasks.operations import complete_task
from app.tasks.queries import InboxFilters, inbox, inbox_page

from .conftest import submit, user
from .test_web_portal import publish
from .web import csrf_token

# May 2026 (hand-computed): Friday 1 May is Labour Day, 2–3 May a weekend: the first working day is Monday 4 May.
LABOUR_DAY = datetime(2026, 5, 1, 9, 0, tzinfo=VIETNAM)
BEFORE_OPENING = datetime(2026, 5, 4, 7, 0, tzinfo=VIETNAM)
FIRST_WORKING_DAY = datetime(2026, 5, 4, 9, 0, tzinfo=VIETNAM)


def at(moment):
    return time_machine.travel(moment, tick=False)


def rated(session, stars: int, **fields):
    petition = submit(session, **fields)
    publish(session, petition, "Đã kiểm tra, xử lý.", "Đã xử lý")
    rate_answer(session, user(session, "citizen"), petition, stars, "")
    return petition


@pytest.fixture
def april(session):
    """Cases of March, April and Lai Châu, in the month they happened; returns them by name."""
    cases = {}
    with at(datetime(2026, 3, 20, 10, 0, tzinfo=VIETNAM)):
        cases["hidden_in_march"] = submit(session, title="Lời lẽ xúc phạm tháng ba")
        hide_petition(session, user(session, "intake"), cases["hidden_in_march"], "abusive")
        cases["flagged_in_march"] = submit(session, title="Quảng cáo tháng ba")
        flag_rule_breaking(session, user(session, "intake"), cases["flagged_in_march"], "Quảng cáo (Điều 7)")
        cases["one_star_in_march"] = rated(session, 1, title="Trả lời chưa thoả đáng tháng ba")
    with at(datetime(2026, 4, 15, 10, 0, tzinfo=VIETNAM)):
        cases["hidden"] = submit(session, title="Bình luận xúc phạm cán bộ phường")
        hide_petition(session, user(session, "intake"), cases["hidden"], "abusive")
        cases["flagged"] = submit(session, title="Rao bán đất nền")
        flag_rule_breaking(session, user(session, "intake"), cases["flagged"], "Quảng cáo, rao bán (Điều 7)")
        cases["flagged_then_hidden"] = submit(session, title="Số điện thoại của người khác")
        flag_rule_breaking(session, user(session, "intake"), cases["flagged_then_hidden"], "Thông tin cá nhân")
        hide_petition(session, user(session, "intake"), cases["flagged_then_hidden"], "personal_data")
        cases["one_star"] = rated(session, 1, title="Đèn đường vẫn hỏng sau khi trả lời")
        cases["three_stars"] = rated(session, 3, title="Vỉa hè đã được sửa")
        cases["plain"] = submit(session, title="Cây xanh gãy đổ")
        cases["lai_chau_hidden"] = submit(session, "citizen", province_code="lai-chau", title="Xúc phạm ở Lai Châu")
        hide_petition(session, user(session, "intake-lc"), cases["lai_chau_hidden"], "abusive")
    return cases


def reviews(session) -> dict[str, MonthlyReview]:
    return {r.agency.code: r for r in session.scalars(select(MonthlyReview))}


def listed(session, review) -> dict[str, list[str]]:
    return {c.petition.tracking_code: c.reason_list for c in review_cases(session, review)}


def review_task(session, review) -> WorkItem:
    return session.scalar(select(WorkItem).where(WorkItem.instance_id == review.instance_id))


def test_the_job_starts_one_review_per_unit_on_the_first_working_day_even_run_twice(session, sessions, april):
    with at(LABOUR_DAY):
        assert start_due_reviews(sessions) == []  # the 1st is a holiday
    with at(BEFORE_OPENING):
        assert start_due_reviews(sessions) == []  # the first working day, before the office opens
    with at(FIRST_WORKING_DAY):
        started = start_due_reviews(sessions)
        assert start_due_reviews(sessions) == [] and start_due_reviews(sessions, worker="another node") == []
    found = reviews(session)
    # every province's intake office; of the agencies, the one that answered (and got a one-star rating) in April
    assert set(found) == {"QNG-VPUB", "QNG-SXD", "LC-VPUB", "BN-VPUB"} and len(started) == 4
    assert {r.month for r in found.values()} == {"2026-04"} and sorted(r.instance_id for r in found.values()) == sorted(
        started
    )
    assert session.scalar(select(func.count()).select_from(ProcessInstance).where(ProcessInstance.id.in_(started))) == 4
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "review.started")).all()
    assert len(entries) == 4 and all(e.actor == "system" for e in entries)
    with at(datetime(2026, 5, 20, 9, 0, tzinfo=VIETNAM)):
        assert start_due_reviews(sessions) == []  # later in the month: nothing new


def test_a_worker_that_listed_the_units_before_another_started_them_starts_nothing(session, sessions, april):
    with at(FIRST_WORKING_DAY):
        month = month_before(FIRST_WORKING_DAY.date())
        units = review_units(session, "quang-ngai", month)  # worker B lists the units ...
        session.commit()
        started = start_due_reviews(sessions, worker="A")  # ... worker A starts every review meanwhile
        definition = latest_definition(session, "monthly_review")
        late = [
            start_review(session, definition, unit, month, FIRST_WORKING_DAY, FIRST_WORKING_DAY, "B") for unit in units
        ]
    assert [u.code for u in units] == ["QNG-SXD", "QNG-VPUB"] and late == [None, None] and len(started) == 4
    assert session.scalar(select(func.count()).select_from(MonthlyReview)) == 4


def test_the_leaders_task_lists_exactly_the_units_cases_of_last_month(session, sessions, april):
    with at(FIRST_WORKING_DAY):
        start_due_reviews(sessions)
    found = reviews(session)
    code = {name: p.tracking_code for name, p in april.items()}
    assert listed(session, found["QNG-VPUB"]) == {
        code["hidden"]: ["hidden"],
        code["flagged"]: ["flagged"],
        code["flagged_then_hidden"]: ["hidden"],  # flagged, then hidden: listed once, as hidden
    }
    assert listed(session, found["QNG-SXD"]) == {code["one_star"]: ["one_star"]}
    assert listed(session, found["LC-VPUB"]) == {code["lai_chau_hidden"]: ["hidden"]}
    assert listed(session, found["BN-VPUB"]) == {}
    task = review_task(session, found["QNG-VPUB"])
    assert task.bpmn_id == "review_month" and task.agency_code == "QNG-VPUB" and task.due_step is None
    assert task in inbox(session, user(session, "vp-leader"))
    assert task not in inbox(session, user(session, "leader")) and task not in inbox(session, user(session, "intake"))
    assert review_task(session, found["QNG-SXD"]) in inbox(session, user(session, "leader"))
    # Bắc Ninh's and Lai Châu's intake offices have no leader account in the demo: the chairman's inbox is there
    assert review_task(session, found["BN-VPUB"]) in inbox(session, user(session, "chair-bn"))
    assert review_task(session, found["LC-VPUB"]) in inbox(session, user(session, "chair-lc"))
    # 5 working days (policy step monthly_review) from Monday 4 May: Tue 5 … Fri 8, Mon 11 May, at the office's close
    assert task.due_at.astimezone(VIETNAM) == datetime(2026, 5, 11, 17, 0, tzinfo=VIETNAM)


def test_each_measure_is_applied_audited_and_the_review_completes_when_every_case_has_one(session, sessions, april):
    with at(FIRST_WORKING_DAY):
        start_due_reviews(sessions)
    found = reviews(session)
    office, agency = found["QNG-VPUB"], found["QNG-SXD"]
    task, cases = review_task(session, office), {c.petition.tracking_code: c for c in review_cases(session, office)}
    leader = user(session, "vp-leader")
    hidden, flagged, both = (cases[april[n].tracking_code] for n in ("hidden", "flagged", "flagged_then_hidden"))

    with pytest.raises(FormInvalid) as refused:
        complete_task(session, leader, task.id, {"conclusion": "Đã rà soát"})
    assert set(refused.value.by_field()) == {"measures"} and "còn 3 PAKN" in refused.value.by_field()["measures"]
    with pytest.raises(FormInvalid) as refused:
        record_measure(session, leader, task.id, both.id, "no_action", "  ")
    assert refused.value.by_field() == {"text": "«Lý do không xử lý» là bắt buộc."}
    with pytest.raises(FormInvalid) as refused:
        record_measure(session, leader, task.id, flagged.id, "instruct", "")
    assert refused.value.by_field() == {"text": "«Nội dung chỉ đạo» là bắt buộc."}
    with pytest.raises(FormInvalid) as refused:
        record_measure(session, leader, task.id, flagged.id, "unhide")  # not hidden: nothing to show again
    assert list(refused.value.by_field()) == ["measure"]
    with pytest.raises(PermissionDenied):
        record_measure(session, user(session, "intake"), task.id, hidden.id, "unhide")

    record_measure(session, leader, task.id, hidden.id, "unhide")
    assert april["hidden"].hidden is False
    record_measure(session, leader, task.id, flagged.id, "instruct", "Ẩn ngay phản ánh quảng cáo này.")
    record_measure(session, leader, task.id, both.id, "no_action", "Đã ẩn đúng quy định.")
    assert both.petition.hidden is True
    complete_task(session, leader, task.id, {"conclusion": "Đã rà soát đủ 3 PAKN"})
    assert session.get(ProcessInstance, office.instance_id).status == "completed"

    one_star = review_cases(session, agency)[0]
    agency_task = review_task(session, agency)
    with pytest.raises(PermissionDenied):
        record_measure(session, user(session, "handler"), agency_task.id, one_star.id, "reopen")
    record_measure(session, user(session, "leader"), agency_task.id, one_star.id, "reopen", "Kiểm tra lại hiện trường")
    orders = session.scalars(select(Notification).where(Notification.kind == "review_order")).all()
    to_agency = {n.recipient for n in orders if n.petition_id == april["one_star"].id}
    to_office = {n.recipient for n in orders if n.petition_id == april["flagged"].id}
    assert to_agency and to_office and to_agency.isdisjoint(to_office)  # the answering agency; the intake office
    assert all("xử lý lại" in n.subject for n in orders if n.petition_id == april["one_star"].id)

    audit = session.scalars(select(AuditEntry).where(AuditEntry.action.in_(["review.measure", "petition.unhidden"])))
    seen = [(e.action, e.actor, e.outcome, e.data.get("measure")) for e in audit]
    assert ("petition.unhidden", "vp-leader", "ok", None) in seen
    ok = sorted(m for action, _, outcome, m in seen if action == "review.measure" and outcome == "ok")
    assert ok == ["instruct", "no_action", "reopen", "unhide"]
    refusals = [(actor, outcome) for action, actor, outcome, _ in seen if action == "review.measure"]
    assert ("intake", "refused") in refusals and ("handler", "refused") in refusals


def overdue(session, username) -> set[int]:
    return {row.item.id for row in inbox_page(session, user(session, username), InboxFilters(due="overdue")).rows}


def test_a_review_left_past_its_deadline_goes_overdue_and_stays_open(session, sessions, april):
    with at(FIRST_WORKING_DAY):
        start_due_reviews(sessions)
    task = review_task(session, reviews(session)["QNG-VPUB"])
    with at(datetime(2026, 5, 11, 16, 59, tzinfo=VIETNAM)):
        run_due_timers(sessions)
        assert task.id not in overdue(session, "vp-leader")
    with at(datetime(2026, 5, 11, 17, 1, tzinfo=VIETNAM)):
        assert run_due_timers(sessions).fired == 4  # the four units' reviews
        fired = session.scalars(select(AuditEntry).where(AuditEntry.action == "timer.fired")).all()
        late = [e for e in fired if e.instance_id == task.instance_id]
        assert len(late) == 1 and late[0].data["timers"] == ["review_late"]
        session.expire_all()
        assert session.get(WorkItem, task.id).state == "ready"
        assert task.id in overdue(session, "vp-leader")


def test_the_intake_office_flags_a_report_from_its_task_page_and_the_leader_records_measures_on_his(
    session, sessions, login
):
    with at(datetime(2026, 4, 15, 10, 0, tzinfo=VIETNAM)):
        petition = submit(session, title="Rao bán đất nền")
        classify = session.scalar(select(WorkItem).where(WorkItem.instance_id == petition.instance_id))
        clerk = login("intake")
        page = f"/cong-viec/{classify.id}"
        refused = clerk.post(f"{page}/vi-pham", data={"csrf_token": csrf_token(clerk, page), "note": " "})
        shown = html.unescape(clerk.get(refused.headers["Location"]).data.decode())
        assert "«Quy định bị vi phạm» là bắt buộc." in shown
        assert session.scalar(select(func.count()).select_from(RuleFlag)) == 0
        clerk.post(f"{page}/vi-pham", data={"csrf_token": csrf_token(clerk, page), "note": "Quảng cáo <b>bán đất</b>"})
        shown = clerk.get(page).data.decode()
        assert "Đã đánh dấu vi phạm quy định" in shown and "Quảng cáo &lt;b&gt;bán đất&lt;/b&gt;" in shown
        assert login("handler").post(f"{page}/vi-pham", data={"note": "x"}).status_code in (400, 403)
    with at(FIRST_WORKING_DAY):
        start_due_reviews(sessions)
        task = review_task(session, reviews(session)["QNG-VPUB"])
        [case] = review_cases(session, reviews(session)["QNG-VPUB"])
        leader = login("vp-leader")
        page = f"/cong-viec/{task.id}"
        shown = html.unescape(leader.get(page).data.decode())
        assert petition.tracking_code in shown and "Vi phạm quy định, chưa ẩn" in shown
        assert f'href="/cong-viec/{classify.id}"' in shown  # the case, as his office's task shows it
        assert "Hiện lại trên cổng công khai" not in shown.split(f'id="ra-soat-{case.id}"')[1]  # not hidden
        done = leader.post(page, data={"csrf_token": csrf_token(leader, page), "conclusion": "Xong"})
        assert done.status_code == 422 and "còn 1 PAKN chưa có biện pháp" in html.unescape(done.data.decode())
        sent = {"csrf_token": csrf_token(leader, page), "measure": "no_action", "text": ""}
        refused = leader.post(f"{page}/ra-soat/{case.id}", data=sent)
        shown = html.unescape(leader.get(refused.headers["Location"]).data.decode())
        assert "«Lý do không xử lý» là bắt buộc." in shown and '<option value="no_action" selected>' in shown
        sent = {"csrf_token": csrf_token(leader, page), "measure": "instruct", "text": "Ẩn phản ánh quảng cáo."}
        leader.post(f"{page}/ra-soat/{case.id}", data=sent)
        shown = html.unescape(leader.get(page).data.decode())
        assert "Chỉ đạo — Ẩn phản ánh quảng cáo." in shown
        done = leader.post(page, data={"csrf_token": csrf_token(leader, page), "conclusion": "Xong"})
        assert done.status_code == 302
        assert session.get(ProcessInstance, task.instance_id).status == "completed"
