"""A leader opens his dashboard and follows its numbers to the cases behind them (issue 17 point 3), then opens a
finished case from the list, read-only (issue 19 point 4)."""

from ..conftest import act, item_for, submit, user
from .conftest import DESK, log_in


def test_a_leader_follows_a_number_of_his_dashboard_to_its_cases(open_page, shots, sessions):
    from app.tasks.operations import claim_task  # noqa: PLC0415 — beside the cases it makes

    with sessions() as session:
        waiting = submit(session, title="Vỉa hè bị lấn chiếm ở chợ", sender_name="Trần Thị Bích Ngọc")
        answered = submit(session, title="Công trình không phép", sender_name="Lê Văn Đức")
        for petition in (waiting, answered):
            act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
        claim_task(session, user(session, "handler"), item_for(session, waiting, "handle").id)
        act(session, "handler", answered, "handle", action="answer", answer="Đã lập biên bản, buộc tháo dỡ.")
        act(session, "leader", answered, "leader_approve", leader_decision="approve")
        codes = waiting.tracking_code, answered.tracking_code
        session.commit()

    page = open_page(DESK)
    log_in(page, "leader")
    page.locator("nav.menu").get_by_role("link", name="Bảng điều khiển").click()
    page.wait_for_load_state()
    assert "Sở Xây dựng" in page.locator("h1").inner_text()
    received = page.locator("#figure-received a")
    assert received.inner_text() == "2"
    shots(page, "dashboard")
    received.click()
    page.wait_for_load_state()
    assert page.locator("#cases-count").inner_text().startswith("Số hồ sơ: 2")
    assert page.locator("tr.case-row").count() == 2 and all(page.get_by_text(code).count() for code in codes)
    shots(page, "received-cases")

    page.go_back()
    page.locator("#holder-handler a.holder-open").click()
    page.wait_for_load_state()
    assert page.locator("tr.case-row").count() == 1 and page.get_by_text(codes[0]).count() == 1

    page.get_by_role("link", name="Bỏ lọc").click()
    page.fill("#cases-q", "cong trinh khong phep")  # no diacritics
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_load_state()
    assert page.locator("tr.case-row").count() == 1
    page.get_by_role("link", name=codes[1]).click()
    page.wait_for_load_state()
    assert "Công trình không phép" in page.content() and page.locator("h1").count() == 1
    shots(page, "finished-case-read-only")
