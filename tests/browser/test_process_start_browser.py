"""A leader on a phone starts a review by hand from "Bắt đầu quy trình", corrects a refused month, lands on the
review task and completes it."""

from ..test_process_starts import deploy_leader_review
from .conftest import PHONE, log_in, unfold_menu


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_leader_starts_a_review_on_a_phone_and_completes_its_task(open_page, shots, session):
    deploy_leader_review(session)
    page = open_page(PHONE)
    log_in(page, "leader")
    unfold_menu(page)
    page.locator("nav.menu").get_by_role("link", name="Bắt đầu quy trình").click()
    page.wait_for_load_state()
    assert fits_the_screen(page)
    page.get_by_role("link", name="Rà soát theo yêu cầu của lãnh đạo").click()
    page.wait_for_load_state()
    assert page.locator("select[name=agency]").input_value() == "QNG-SXD"  # his own agency, chosen for him
    page.fill("[name=month]", "11")
    page.fill("[name=notes]", "Chú ý các PAKN trễ hạn")
    page.get_by_role("button", name="Bắt đầu", exact=True).click()
    page.wait_for_load_state()
    assert "cần ít nhất 7 ký tự" in page.locator(".field-error").first.inner_text()
    assert page.locator("[name=notes]").input_value() == "Chú ý các PAKN trễ hạn"  # kept
    assert fits_the_screen(page)
    shots(page, "month-refused")
    page.fill("[name=month]", "11/2026")
    page.get_by_role("button", name="Bắt đầu", exact=True).click()
    page.wait_for_load_state()
    assert "Rà soát tình hình giải quyết PAKN trong tháng" in page.locator("h1").inner_text()
    assert "Thông tin quy trình" in page.locator("main").inner_text()
    shots(page, "review-task")
    page.fill("[name=findings]", "Không có PAKN trễ hạn trong tháng.")
    page.get_by_role("button", name="Hoàn thành").click()
    page.wait_for_load_state()
    assert "Đã hoàn thành «Rà soát tình hình giải quyết PAKN trong tháng»." in page.locator("main").inner_text()
    shots(page, "done")
