"""A newcomer's first minutes: the start page lists the demo accounts; each role logs in and finds its pages;
the English switch works on every page it visits."""

import pytest

from .conftest import DESK, log_in

PUBLIC = ["Trang chủ", "Gửi phản ánh, kiến nghị", "Tra cứu", "Kết quả đã công khai", "Thống kê"]
STAFF_PAGES = ["Bảng điều khiển", "Hồ sơ của đơn vị"]
ROLES = {
    "citizen": (["PAKN của tôi"], "/cua-toi", "PAKN của tôi"),
    "intake": (
        [
            "Bắt đầu quy trình",
            *STAFF_PAGES,
            "Báo cáo định kỳ",
            "Công việc của tôi",
            "Đánh giá của người gửi",
            "Nhập PAKN",
        ],
        "/cong-viec/tiep-nhan",
        "Nhập PAKN",
    ),
    "handler": (["Bắt đầu quy trình", *STAFF_PAGES, "Công việc của tôi"], "/cong-viec", "Công việc của tôi"),
    "leader": (
        ["Bắt đầu quy trình", *STAFF_PAGES, "Báo cáo định kỳ", "Đánh giá của người gửi", "Công việc của tôi"],
        "/cong-viec",
        "Công việc của tôi",
    ),
    "auditor": (
        ["Bảng điều khiển", "Báo cáo định kỳ", "Đánh giá của người gửi", "Kiểm tra hồ sơ"],
        "/kiem-tra/",
        "Kiểm tra hồ sơ",
    ),
    "admin": (["Bắt đầu quy trình", "Kiểm tra hồ sơ", "Quản trị"], "/quan-tri/lich/", "Lịch"),
}
EVERY_ROLE_ONLY = {label for labels, _path, _heading in ROLES.values() for label in labels}


@pytest.mark.parametrize("username", list(ROLES))
def test_each_demo_role_finds_its_pages(open_page, shots, username):
    page = open_page(DESK)
    page.goto("/")
    assert page.locator("table code", has_text=username).count() >= 1  # listed for the newcomer
    log_in(page, username)
    labels, path, heading = ROLES[username]
    menu = page.locator("nav.menu a").all_inner_texts()
    assert menu[: len(PUBLIC)] == PUBLIC
    assert set(menu[len(PUBLIC) :]) == set(labels), menu  # his pages, and nobody else's
    page.locator("nav.menu").get_by_role("link", name=labels[-1]).click()
    page.wait_for_load_state()
    page.goto(path)
    assert heading in page.locator("h1").first.inner_text()
    shots(page, username)
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Tiếng Việt").count() == 1
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Trang chủ" not in page.locator("nav.menu").inner_text()
    shots(page, f"{username}-en")
