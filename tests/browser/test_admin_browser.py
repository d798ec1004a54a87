"""The administrator in a real browser (issue 19 point 6): a calendar change previewed where the eye is, a BPMN upload
compared with the version in use and deployed once confirmed, then the earlier version made current again."""

from sqlalchemy import select

from app.engine.deployment import latest_definition
from app.engine.models import ProcessDefinition

from ..conftest import PROCESSES
from .conftest import DESK, PHONE, log_in

PAKN = (PROCESSES / "pakn.bpmn").read_bytes()
RENAMED = PAKN.replace('name="Phân loại PAKN"'.encode(), 'name="Phân loại và chuyển PAKN"'.encode())


def in_view(page, locator) -> bool:
    """The element is inside the window as the page stands (no scrolling by the reader)."""
    box = locator.bounding_box()
    return box is not None and 0 <= box["y"] and box["y"] + box["height"] <= page.viewport_size["height"]


def test_a_calendar_preview_is_where_the_eye_is_with_its_confirmation(open_page, shots):
    for label, viewport in (("desk", DESK), ("phone", PHONE)):
        admin = open_page(viewport)
        log_in(admin, "admin")
        admin.goto("/quan-tri/lich/")
        admin.fill("#day-date", "06/05/2026")
        admin.select_option("#day-kind", "off")
        admin.fill("#day-name", "Ngày nghỉ thử nghiệm")
        admin.fill("#day-basis", "Quyết định số 1/QĐ-TEST")
        admin.fill("#day-reason", "Thử nghiệm")
        admin.locator("#doi-ngay").get_by_role("button", name="Xem trước").click()
        admin.wait_for_load_state()
        confirm = admin.get_by_role("button", name="Xác nhận áp dụng")
        assert in_view(admin, confirm), f"{label}: the confirmation is off screen"
        assert "06/05/2026: ngày nghỉ — Ngày nghỉ thử nghiệm" in admin.locator("#xem-truoc").inner_text()
        shots(admin, f"calendar-preview-{label}")


def test_a_deploy_shows_what_changed_and_an_earlier_version_becomes_current_again(open_page, shots, sessions):
    admin = open_page(DESK)
    log_in(admin, "admin")
    admin.goto("/quan-tri/quy-trinh/")
    admin.set_input_files("#files", {"name": "pakn.bpmn", "mimeType": "application/xml", "buffer": RENAMED})
    admin.get_by_role("button", name="Kiểm tra và xem thay đổi").click()
    admin.wait_for_load_state()
    preview = admin.locator("#xem-truoc")
    assert in_view(admin, preview.get_by_role("heading", name="Xem trước khi triển khai"))
    text = preview.inner_text()
    assert "So với phiên bản đang dùng (1):" in text and "Đổi tên 1 phần tử" in text
    assert "Phân loại PAKN → Phân loại và chuyển PAKN" in text and "pakn-classify" in text
    shots(admin, "deploy-preview")
    with sessions() as session:  # nothing deployed before the confirmation
        assert session.scalar(select(ProcessDefinition).filter_by(process_key="pakn", version=2)) is None
    preview.get_by_role("button", name="Xác nhận triển khai").click()
    admin.wait_for_load_state()
    assert "Đã triển khai pakn phiên bản 2" in admin.locator("main").inner_text()
    assert "đang dùng" in admin.locator("#version-pakn-2").inner_text()
    shots(admin, "deployed")
    admin.locator("#version-pakn-1").get_by_role("button", name="Dùng lại phiên bản này").click()
    admin.wait_for_load_state()
    assert "Từ nay PAKN mới theo" in admin.locator("main").inner_text()
    assert "đang dùng" in admin.locator("#version-pakn-1").inner_text()
    assert "đang dùng" not in admin.locator("#version-pakn-2").inner_text()
    shots(admin, "earlier-version-current")
    with sessions() as session:
        assert latest_definition(session, "pakn").version == 1
