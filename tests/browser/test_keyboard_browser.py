"""A keyboard-only journey (issue 19 point 7): submit, classify and forward, answer — with Tab, arrows, Space, Enter
and typing only (no mouse clicks, no fill()), and focus visible on every element the keyboard lands on."""

import re

from sqlalchemy import select

from app.engine.models import WorkItem
from app.petitions.models import Petition

from .conftest import DESK

MAX_TABS = 250  # a long inbox or task page still ends well before this

# What has the focus and whether the user can see it (an outline or a box-shadow drawn around it).
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  let shown = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  if (!shown && e.id) {  // a visually hidden control drawn through its label (the phone menu's switch)
    const label = document.querySelector(`label[for="${e.id}"]`);
    if (label) { const l = getComputedStyle(label); shown = l.outlineStyle !== 'none' || l.boxShadow !== 'none'; }
  }
  return {tag: e.tagName, id: e.id, name: e.name || '', type: e.type || '', value: e.value || '',
          text: (e.innerText || '').trim().slice(0, 80), html: e.outerHTML.slice(0, 160), shown};
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUSED)


def tab_to(page, test: str, backwards=False) -> dict:
    """Press Tab until the focused element `e` passes the JavaScript test; every stop on the way shows its focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        now = focused(page)
        if now is None:
            continue
        assert now["shown"], f"focus not visible on {now['html']}"
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!({test}); }}"):
            return now
    raise AssertionError(f"no element passing {test} reached by {key}")


def tab_to_id(page, element_id: str) -> dict:
    return tab_to(page, f"e.id === {element_id!r}")


def type_into(page, element_id: str, text: str):
    tab_to_id(page, element_id)
    page.keyboard.press("Control+A")  # replace what the account prefilled
    page.keyboard.type(text)


def choose(page, element_id: str, value: str):
    """Walk a closed <select> with the arrow keys until `value` is chosen."""
    tab_to_id(page, element_id)
    for _ in range(MAX_TABS):
        if focused(page)["value"] == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value!r} not reached in #{element_id}")


CHECKED = "() => document.activeElement.checked"


def choose_radio(page, name: str, value: str):
    """Tab into a radio group, then arrows (which check) or Space on the first one."""
    tab_to(page, f"e.type === 'radio' && e.name === {name!r}")
    for _ in range(20):
        state = focused(page)
        if state["value"] == value:
            if not page.evaluate(CHECKED):
                page.keyboard.press("Space")
            assert page.evaluate(CHECKED)
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"radio {name}={value} not reached")


def press_enter_and_wait(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def press_button(page, label: str):
    tab_to(page, f"(e.tagName === 'BUTTON' || e.type === 'submit') && e.innerText.trim() === {label!r}")
    press_enter_and_wait(page)


def log_in(page, username):
    page.bring_to_front()  # autofocus applies to the page that has the window's focus
    page.goto("/dang-nhap")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'username'")
    now = focused(page)
    assert now and now["id"] == "username" and now["shown"], now  # autofocus, ringed
    page.keyboard.type(username)
    tab_to_id(page, "password")
    page.keyboard.type("demo123")
    press_button(page, "Đăng nhập")
    assert page.locator("button", has_text="Đăng xuất").count() == 1, f"{username} could not log in"


def open_task(page, shots, code, task_name, label):
    """From the inbox, Tab to the task's link in the case's row and follow it (on a desk the form sits beside the case,
    so the phone's jump link is not shown and Tab goes on into the form)."""
    page.goto("/cong-viec")
    tab_to(page, f"e.tagName === 'A' && e.closest('tr') && e.closest('tr').innerText.includes({code!r})"
                 f" && e.innerText.trim() === {task_name!r}")  # fmt: skip
    shots(page, f"{label}-inbox-link-focused")
    press_enter_and_wait(page)
    assert code in page.locator("h1").inner_text()


def status_of(sessions, code):
    with sessions() as session:
        petition = session.scalar(select(Petition).where(Petition.tracking_code == code))
        ready = session.scalars(
            select(WorkItem.bpmn_id).where(WorkItem.instance_id == petition.instance_id, WorkItem.state == "ready")
        ).all()
        return petition.status, petition.lead_agency.code if petition.lead_agency else None, set(ready)


def test_submit_classify_forward_and_answer_by_keyboard(open_page, shots, sessions):
    citizen = open_page(DESK)
    log_in(citizen, "citizen")
    citizen.goto("/gui-phan-anh")
    choose(citizen, "province_code", "quang-ngai")
    tab_to_id(citizen, "commune_code")
    # Arrowing through the provinces asked communes.js for each one's list: wait for Quảng Ngãi's, not an earlier one.
    citizen.wait_for_function("() => document.getElementById('commune_code').innerText.includes('Kon Tum')")
    citizen.keyboard.press("ArrowDown")
    assert focused(citizen)["value"], "no commune chosen by the arrow key"
    choose(citizen, "kind", "proposal")  # a proposal needs no photo
    choose(citizen, "field_code", "xay-dung")
    title = "Đề nghị lắp đèn tín hiệu tại ngã tư Phan Đình Phùng"
    type_into(citizen, "title", title)
    type_into(citizen, "content", "Ngã tư Phan Đình Phùng – Lê Lợi đông xe giờ cao điểm, đề nghị lắp đèn tín hiệu.")
    type_into(citizen, "sender_name", "Trần Thị Bình")
    type_into(citizen, "sender_phone", "0905123456")
    type_into(citizen, "sender_email", "binh.tran@example.vn")
    type_into(citizen, "sender_address", "12 Lê Lợi, phường Kon Tum, tỉnh Quảng Ngãi")
    tab_to(citizen, "e.type === 'submit' && e.innerText.trim() === 'Gửi'")
    shots(citizen, "citizen-send-focused")
    press_enter_and_wait(citizen)
    flash = citizen.locator(".flash.ok")
    assert flash.count() == 1, citizen.content()
    code = re.search(r"[A-Z0-9-]{6,}", flash.inner_text().split(":")[-1]).group(0)
    shots(citizen, "citizen-received")
    assert citizen.locator("h1").inner_text() == title
    assert status_of(sessions, code)[0] == "classifying"

    clerk = open_page(DESK)
    log_in(clerk, "intake")
    open_task(clerk, shots, code, "Phân loại PAKN", "intake")
    choose_radio(clerk, "decision", "forward")
    assert clerk.locator("#cf-lead_agency").is_visible()  # the form's condition followed the keyboard
    choose(clerk, "cf-lead_agency", "QNG-SXD")
    shots(clerk, "intake-forward-chosen")
    press_button(clerk, "Hoàn thành")
    assert clerk.locator(".flash.ok").count() == 1, clerk.content()
    status, agency, ready = status_of(sessions, code)
    assert status == "handling" and agency == "QNG-SXD"  # forwarded to Sở Xây dựng, now in its hands

    handler = open_page(DESK)
    log_in(handler, "handler")
    open_task(handler, shots, code, "Xử lý, dự thảo văn bản trả lời", "handler")
    choose_radio(handler, "action", "answer")
    type_into(handler, "cf-answer", "Sở Xây dựng đã đưa ngã tư vào kế hoạch lắp đèn tín hiệu quý tới.")
    back = tab_to(handler, "e.type === 'radio' && e.checked", backwards=True)  # Shift+Tab: the choice is kept
    assert back["value"] == "answer"
    shots(handler, "handler-answer-typed")
    press_button(handler, "Hoàn thành")
    assert handler.locator(".flash.ok").count() == 1, handler.content()
    shots(handler, "handler-done")
    status, _, ready = status_of(sessions, code)
    assert "leader_approve" in ready, (status, ready)  # the answer went on to the leader
