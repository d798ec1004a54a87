"""Staff dashboards (issue 17 point 3) and the case list behind their numbers (issue 19 point 4), on hand-built
cases of June 2026 in Quảng Ngãi (one open, one hidden, one transferred, one escalated, one answered late, one on
time, one rejected, one led by another agency from the start, one due soon) and one case each in Lai Châu and
Bắc Ninh. Each role sees its own reach; every number equals the rows of the list it links to."""

import re
from datetime import date, datetime, timedelta
from html import unescape

import time_machine
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.calendars.working_days import VIETNAM
from app.engine.models import WorkItem
from app.petitions.moderation import hide_petition
from app.petitions.unit_cases import CaseFilters, count_cases, unit_cases
from app.scheduler.jobs import run_due_timers
from app.statistics.dashboards import LINE_FIGURES, SHOWN, dashboard
from app.statistics.figures import Period, Slice, figures
from app.tasks.operations import claim_task

from .conftest import act, item_for, submit, user

PERIOD = Period(date(2026, 6, 1), date(2026, 7, 31))
QNG_AGENCIES = {"QNG-VPUB", "QNG-SXD", "QNG-SNNMT", "QNG-SYT", "QNG-KONTUM"}


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


def forward(session, petition, lead="QNG-SXD"):
    act(session, "intake", petition, "classify", decision="forward", lead_agency=lead)


def answer_and_publish(session, petition):
    act(session, "handler", petition, "handle", action="answer", answer="Đã xử lý.")
    act(session, "leader", petition, "leader_approve", leader_decision="approve")
    act(session, "intake", petition, "review", review_decision="approve")
    act(session, "intake", petition, "publish", public_summary="Đã xử lý")


def build(session, sessions) -> tuple[dict, datetime]:
    """The hand-built cases and the instant the dashboards are read at (the due-soon case's task 1 day before)."""
    cases = {}
    with time_machine.travel(at(2026, 6, 1, 9, 0), tick=False):
        for name in ("open", "hidden", "transferred", "escalated", "late", "on_time", "rejected", "other_lead"):
            cases[name] = submit(session, title=f"Phản ánh {name}", sender_name=f"Người gửi {name}")
        cases["lai_chau"] = submit(session, "intake-lc", channel="letter", province_code="lai-chau")
        cases["bac_ninh"] = submit(session, province_code="bac-ninh")
        for name in ("open", "hidden", "transferred", "escalated", "late", "on_time"):
            forward(session, cases[name])
        forward(session, cases["other_lead"], "QNG-SNNMT")
        act(session, "intake", cases["rejected"], "classify", decision="reject", reason="Khiếu nại")
        hide_petition(session, user(session, "intake"), cases["hidden"], "abusive")
        claim_task(session, user(session, "handler"), item_for(session, cases["open"], "handle").id)
        claim_task(session, user(session, "handler-b"), item_for(session, cases["hidden"], "handle").id)
    with time_machine.travel(at(2026, 6, 3, 10, 0), tick=False):
        act(session, "handler", cases["transferred"], "handle", action="transfer", transfer_kind="competent",
            transfer_to="QNG-SNNMT", transfer_reason="Thuộc lĩnh vực đất đai")  # fmt: skip
        act(session, "handler", cases["escalated"], "handle", action="escalate", escalation_reason="Vượt thẩm quyền")
        answer_and_publish(session, cases["on_time"])
    session.commit()
    with time_machine.travel(at(2026, 7, 1, 9, 0), tick=False):
        run_due_timers(sessions)  # the answer deadlines of 22 June fire: the open cases are late
        session.expire_all()
        answer_and_publish(session, cases["late"])
        cases["soon"] = submit(session, title="Phản ánh soon")
        forward(session, cases["soon"])
        soon = item_for(session, cases["soon"], "handle")
        claim_task(session, user(session, "handler"), soon.id)
    session.commit()
    return cases, soon.due_at - timedelta(days=1)


def codes(session, username, now, **filters) -> set[str]:
    found = unit_cases(session, user(session, username), CaseFilters(**filters), now)
    assert found.total <= 25, "one page holds them all here"
    return {p.tracking_code for p in found.rows}


def test_the_hand_built_cases_count_as_the_law_defines(session, sessions):
    cases, now = build(session, sessions)
    assert cases["late"].late and not cases["on_time"].late and cases["escalated"].status == "escalated"
    board = dashboard(session, user(session, "leader"), PERIOD, now=now)
    got = board.figures
    # Sở Xây dựng leads open, hidden, escalated, late, on_time, soon (the transferred case is Sở NN&MT's now)
    assert (board.level, got.received, got.forwarded, got.answered, got.on_time, got.late) == ("agency", 6, 6, 2, 1, 1)
    assert (got.hidden, got.published, got.rejected) == (1, 2, 0)
    # open and hidden: their answers (due 22 June) and progress updates are past due, each case counted once; the
    # chair's decision has no due date, the due-soon case is not late yet
    assert got.overdue_now == 2
    team = {h.username: (h.open, h.soon, h.overdue) for h in board.team}
    assert team["handler"] == (2, 1, 1) and team["handler-b"] == (1, 0, 1) and team["leader"] == (0, 0, 0)


def test_every_number_of_every_dashboard_equals_the_rows_of_its_list(session, sessions):
    _, now = build(session, sessions)
    for username, province in (("leader", None), ("leader2", None), ("intake", None), ("intake-lc", None),
                               ("auditor", None), ("chair", None), ("auditor", "quang-ngai")):  # fmt: skip
        reader = user(session, username)
        board = dashboard(session, reader, PERIOD, province, now)
        for code in SHOWN:
            assert count_cases(session, reader, board.filters(code), now) == getattr(board.figures, code), (
                username, code)  # fmt: skip
        for line in board.lines:
            for code in LINE_FIGURES:
                shown = line.counts[code]
                assert count_cases(session, reader, board.filters(code, line), now) == shown, (username, line.code)
        for holder in board.team:
            for due, shown in (("open", holder.open), ("soon", holder.soon), ("overdue", holder.overdue)):
                filters = CaseFilters(holder=holder.username, due=due)
                assert count_cases(session, reader, filters, now) == shown, (username, holder.username, due)


def test_the_dashboards_figures_are_those_of_the_statistics_module(session, sessions):
    _, now = build(session, sessions)
    leader = dashboard(session, user(session, "leader"), PERIOD, now=now)
    assert leader.figures == figures(session, PERIOD, Slice(agency="QNG-SXD"), now)
    office = dashboard(session, user(session, "intake"), PERIOD, now=now)
    assert office.figures == figures(session, PERIOD, Slice(province="quang-ngai"), now)
    for line in office.lines:
        same = figures(session, PERIOD, Slice(province="quang-ngai", agency=line.code), now)
        assert line.counts == {code: getattr(same, code) for code in LINE_FIGURES}
    country = dashboard(session, user(session, "chair"), PERIOD, now=now)
    assert country.figures == figures(session, PERIOD, Slice(), now)
    for line in country.lines:
        same = figures(session, PERIOD, Slice(province=line.code), now)
        assert line.counts == {code: getattr(same, code) for code in LINE_FIGURES}


def test_each_role_sees_its_own_reach(session, sessions):
    cases, now = build(session, sessions)
    code = {name: p.tracking_code for name, p in cases.items()}
    sxd = codes(session, "leader", now)
    # what Sở Xây dựng led, transferred away or handed to the chair; never Sở NN&MT's own nor other provinces'
    assert sxd == {code[n] for n in ("open", "hidden", "transferred", "escalated", "late", "on_time", "soon")}
    assert codes(session, "handler", now) == sxd
    assert codes(session, "leader2", now) == {code["transferred"], code["other_lead"]}
    office = codes(session, "intake", now)
    assert office == {c for n, c in code.items() if n not in ("lai_chau", "bac_ninh")}
    assert codes(session, "intake-lc", now) == {code["lai_chau"]}
    assert codes(session, "auditor", now) == codes(session, "chair", now) == set(code.values())
    intake_board = dashboard(session, user(session, "intake"), PERIOD, now=now)
    assert intake_board.level == "province" and {line.code for line in intake_board.lines} <= QNG_AGENCIES
    ranked = [line.code for line in intake_board.lines]
    assert ranked.index("QNG-SXD") < ranked.index("QNG-SYT")  # a rate (50 %) before none
    assert dashboard(session, user(session, "intake-lc"), PERIOD, now=now).slice == Slice(province="lai-chau")
    for overseer in ("auditor", "chair"):
        board = dashboard(session, user(session, overseer), PERIOD, now=now)
        assert board.level == "country" and {"quang-ngai", "lai-chau", "bac-ninh"} <= {x.code for x in board.lines}
    assert dashboard(session, user(session, "handler"), PERIOD, now=now).team == []  # a leader's view only
    assert dashboard(session, user(session, "citizen"), PERIOD, now=now) is None


def test_search_by_code_title_and_sender_with_or_without_diacritics(session):
    wanted = submit(session, title="Ô nhiễm tiếng ồn quán karaoke", sender_name="Trần Thị Bích Ngọc")
    other = submit(session, title="Đường giao thông xuống cấp", sender_name="Lê Văn Đức")
    code = wanted.tracking_code

    def found(q):
        return codes(session, "intake", None, q=q)

    assert found(code[:6]) == found(code[:6].lower()) == {code}
    assert found("o nhiem") == found("Ô NHIỄM tiếng") == {code}
    assert found("bich ngoc") == found("Bích Ngọc") == {code}
    assert found("duc") == found("Đức") == {other.tracking_code}
    assert found("100%_") == set()  # literal, not a pattern


def test_paging_and_sorting_in_sql(session, client, login):
    made = [submit(session, title=f"Hồ sơ {n:02d}") for n in range(1, 28)]
    reader = user(session, "intake")
    first = unit_cases(session, reader, CaseFilters(sort="title", descending=False))
    second = unit_cases(session, reader, CaseFilters(sort="title", descending=False, page=2))
    assert (first.total, first.pages, len(first.rows), len(second.rows)) == (27, 2, 25, 2)
    assert [p.title for p in first.rows + second.rows] == [p.title for p in made]
    newest = unit_cases(session, reader, CaseFilters(sort="title"))
    assert newest.rows[0].title == "Hồ sơ 27"
    by_code = unit_cases(session, reader, CaseFilters(sort="code", descending=False)).rows
    assert [p.tracking_code for p in by_code] == sorted(p.tracking_code for p in made)[:25]
    page = login("intake").get("/ho-so-don-vi", query_string={"sort": "title", "dir": "asc", "page": "2"})
    text = page.data.decode()
    assert page.status_code == 200 and "Hồ sơ 26" in text and "Hồ sơ 01" not in text and "Số hồ sơ: 27" in text
    assert "trang 2/2" in text


def test_a_closed_case_is_readable_by_its_handler_and_refused_to_an_unrelated_agency(session, sessions, login):
    cases, _ = build(session, sessions)
    closed = cases["late"]
    assert closed.status == "published"
    approval = session.scalar(
        select(WorkItem).where(WorkItem.instance_id == closed.instance_id, WorkItem.bpmn_id == "leader_approve")
    )
    opened = login("handler").get(f"/ho-so-don-vi/{closed.tracking_code}")
    assert opened.status_code == 302
    assert opened.headers["Location"].endswith(f"/cong-viec/{approval.id}")  # his agency's last task: the leader's
    page = login("handler").get(opened.headers["Location"])
    assert page.status_code == 200 and closed.title in page.data.decode()
    assert "Hoàn thành</button>" not in page.data.decode()  # read-only
    assert login("handler2").get(f"/ho-so-don-vi/{closed.tracking_code}").status_code == 403
    assert login("handler-bn").get(f"/ho-so-don-vi/{closed.tracking_code}").status_code == 403
    refused = session.scalars(select(AuditEntry).where(AuditEntry.action == "case.view")).all()
    assert [entry.outcome for entry in refused] == ["refused", "refused"]
    # the task itself, opened by its address, is refused to the unrelated agency too
    task_address = opened.headers["Location"]
    assert login("handler2").get(task_address).status_code == 403


def test_the_leaders_page_links_every_number_to_a_list_of_as_many_cases(session, sessions, login):
    _, now = build(session, sessions)
    with time_machine.travel(now, tick=False):
        browser = login("leader")  # a login session opened at the instant the test reads the page
        page = browser.get("/bang-dieu-khien", query_string={"from": "2026-06-01", "to": "2026-07-31"}).data.decode()
        links = re.findall(r'<a class="(?:figure-link|holder-\w+)" href="([^"]+)">(\d+)</a>', page)
        assert len(links) == len(SHOWN) + 3 * 3  # three members of Sở Xây dựng
        for address, number in links:
            listed = browser.get(unescape(address)).data.decode()
            assert f"Số hồ sơ: {number}" in listed, address
    assert login("leader").get("/bang-dieu-khien", query_string={"from": "x", "to": "9999-12-31"}).status_code == 200
    assert login("citizen").get("/bang-dieu-khien").status_code == 403
    assert login("citizen").get("/ho-so-don-vi").status_code == 403


def test_a_mistyped_list_filter_is_named_and_the_rest_applies(login):
    page = login("intake").get("/ho-so-don-vi", query_string={"from": "31/12/2026", "to": "9999-12-31", "page": "x"})
    text = page.data.decode()
    assert page.status_code == 200 and "Từ ngày: không phải ngày hợp lệ" in text
