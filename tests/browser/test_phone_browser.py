"""Phone first, at 390×844: a menu button unfolds every entry and the user's name with no sideways scrolling; each
role lands on its work; on a task page a jump link brings the form's first field into view; tables read as cards.
On a desk the header stays one line with no button."""

import pytest

from ..conftest import act, item_for, submit
from .conftest import DESK, PHONE, log_in

FIELDS = "#xu-ly form fieldset :is(input:not([type=hidden]), select, textarea) >> visible=true"


def no_sideways_scrolling(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def in_view(box) -> bool:
    return box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] and 0 <= box["y"] <= PHONE["height"] - 20


def open_menu_and_see_everything(page, full_name):
    links = page.locator("nav.menu a")
    assert links.count() > 3 and not links.first.is_visible()  # folded behind the button
    page.locator("label.menu-button").click()
    for index in range(links.count()):
        link = links.nth(index)
        assert link.is_visible(), link.inner_text()
        box = link.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (link.inner_text(), box)
    who = page.locator("header .who")
    assert who.is_visible() and full_name in who.inner_text()
    assert page.get_by_role("button", name="Đăng xuất").is_visible()
    no_sideways_scrolling(page)
    return links.all_inner_texts()


def test_a_citizen_on_a_phone_opens_the_menu_and_sees_every_entry(open_page, shots, session):
    submit(session)  # one case of his, listed as a card
    page = open_page(PHONE)
    log_in(page, "citizen")
    assert page.url.endswith("/cua-toi")  # his cases, at once
    no_sideways_scrolling(page)
    assert page.locator("table.responsive tr").first.evaluate("row => getComputedStyle(row).display") == "block"
    shots(page, "landed-on-his-cases")
    assert page.locator("label.menu-button .badge").inner_text() == "1"  # his unread update, on the folded menu
    entries = open_menu_and_see_everything(page, "Nguyễn Văn An")
    assert "PAKN của tôi" in entries and "Kết quả đã công khai" in entries
    shots(page, "menu-open")
    page.locator("nav.menu").get_by_role("link", name="Tra cứu").click()
    page.wait_for_load_state()
    assert not page.locator("nav.menu a").first.is_visible()  # folded again on the next page


def test_a_clerk_on_a_phone_reaches_the_task_form_with_the_jump_link(open_page, shots, session):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    page = open_page(PHONE)
    log_in(page, "intake")
    assert page.url.endswith("/cong-viec")  # his inbox, at once
    no_sideways_scrolling(page)
    shots(page, "landed-on-the-inbox")
    entries = open_menu_and_see_everything(page, "Trần Thị Bình")
    assert {"Công việc của tôi", "Nhập PAKN"} <= set(entries)
    shots(page, "menu-open")
    page.goto(f"/cong-viec/{item.id}")
    no_sideways_scrolling(page)
    first_field = page.locator(FIELDS).first
    assert first_field.bounding_box()["y"] > PHONE["height"]  # the case comes first, the form far below
    shots(page, "task-page")
    page.get_by_role("link", name="Đi đến xử lý").click()
    page.wait_for_function("location.hash === '#xu-ly'")
    assert in_view(first_field.bounding_box()), first_field.bounding_box()
    assert in_view(page.get_by_role("link", name="Đi đến xử lý").bounding_box())  # sticky: one tap away anywhere
    shots.count += 1
    page.screenshot(path=str(shots.folder / f"{shots.count:02d}-form-in-view.png"))  # what the clerk sees, not the page


def test_on_a_desk_the_menu_shows_under_the_brand_without_a_button(open_page, shots):
    page = open_page(DESK)
    log_in(page, "leader")
    assert not page.locator("label.menu-button").is_visible()
    assert page.locator("nav.menu a").first.is_visible() and page.locator("header .who").is_visible()
    brand = page.locator("header .brand").bounding_box()
    assert all(link.bounding_box()["y"] >= brand["y"] + brand["height"] for link in page.locator("nav.menu a").all())
    assert page.locator("header .who").bounding_box()["y"] < brand["y"] + brand["height"]  # beside the brand
    shots(page, "desk-header")


@pytest.mark.parametrize("username", ["citizen", "intake", "leader", "auditor"])
def test_every_page_of_the_menu_fits_a_phone(open_page, shots, session, username):
    petition = submit(session)
    if username == "leader":  # a case in his agency's hands: his inbox lists it as a card
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    page = open_page(PHONE)
    log_in(page, username)
    paths = [link.get_attribute("href") for link in page.locator("nav.menu a").all()]
    for path in paths:
        page.goto(path)
        no_sideways_scrolling(page)
        shots(page, path.strip("/").replace("/", "-") or "home")


def test_a_refused_submission_on_a_phone_shows_its_errors_at_once_each_leading_to_its_field(open_page, shots):
    """The page comes back at its top, where the form is screens away: the summary is first and focused, and each
    line of it brings its field into view."""
    page = open_page(PHONE)
    page.goto("/gui-phan-anh")
    page.fill("#title", "Đèn đường hỏng")
    page.locator("form[enctype] button[type=submit]").last.click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.evaluate("node => node === document.activeElement")  # focused: a screen reader reads it too
    assert in_view(summary.bounding_box())
    assert "Tệp đính kèm cần chọn lại" not in summary.inner_text()  # no file was chosen: none to choose again
    shots(page, "errors-at-once")
    summary.get_by_role("link").filter(has_text="Nội dung").click()
    assert in_view(page.locator("#content").bounding_box())
    assert page.locator("#title").input_value() == "Đèn đường hỏng"  # what was typed is kept
    no_sideways_scrolling(page)


def test_on_a_phone_charts_keep_their_size_and_plain_buttons_are_a_thumb_high(open_page, shots):
    page = open_page(PHONE)
    page.goto("/thong-ke")
    chart = page.locator("svg.chart").first
    assert chart.bounding_box()["width"] >= 600  # drawn at 12 px text, scrolled sideways in its box
    text_height = chart.locator("text").first.bounding_box()["height"]
    assert text_height >= 11, text_height
    no_sideways_scrolling(page)
    assert page.get_by_role("button", name="Xem").bounding_box()["height"] >= 44
    shots(page, "statistics-on-a-phone")


def test_a_second_tap_on_send_while_the_first_is_on_its_way_sends_nothing(open_page):
    """On a slow connection a second tap re-sent the form: two petitions (probe of 30 Nov, 10 of 10 double clicks).
    The form's second submit event is cancelled; the first goes as always."""
    page = open_page(PHONE)
    for address in ("/gui-phan-anh", None):
        if address is None:
            log_in(page, "intake")
            address = "/cong-viec/tiep-nhan"  # the clerk's entry of a letter or a visit
        page.goto(address)
        cancelled = page.evaluate(
            """() => {
                const form = document.querySelector("form[data-submit-once]");
                const first = new Event("submit", {cancelable: true}), second = new Event("submit", {cancelable: true});
                form.dispatchEvent(first);
                form.dispatchEvent(second);
                return [first.defaultPrevented, second.defaultPrevented];
            }"""
        )
        assert cancelled == [False, True], address
