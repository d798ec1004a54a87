"""The administrator's pages (/quan-tri/): agencies, accounts, fields, calendars and deadlines, process versions."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from lxml import etree
from sqlalchemy import event, func, select

from app.accounts.models import User
from app.agencies.models import Agency
from app.audit.models import AuditEntry
from app.calendars.models import CalendarDay
from app.engine.models import ProcessDefinition
from app.petitions.models import CaseDeadline, Field

from .conftest import PROCESSES, act, submit, user
from .web import confirm_deploy, csrf_token, log_in

VN = ZoneInfo("Asia/Ho_Chi_Minh")
PAKN = (PROCESSES / "pakn.bpmn").read_bytes()
PAGES = ["/quan-tri/", "/quan-tri/co-quan/", "/quan-tri/co-quan/moi", "/quan-tri/tai-khoan/", "/quan-tri/tai-khoan/moi",
         "/quan-tri/linh-vuc", "/quan-tri/lich/", "/quan-tri/quy-trinh/"]  # fmt: skip


def post(browser, path, data, token_from=None, **kwargs):
    token = csrf_token(browser, token_from or path)
    return browser.post(path, data={**data, "csrf_token": token}, **kwargs)


def block(page: str, element_id: str) -> str:
    """The HTML of a form field's wrapper (by its input id) or of a table row (by its id)."""
    field = re.search(rf'<div class="field[^"]*">\s*<label for="{element_id}".*?</div>', page, re.S)
    row = re.search(rf'<tr id="{element_id}"[^>]*>.*?</tr>', page, re.S)
    assert field or row, f"no {element_id}"
    return (field or row).group(0)


def text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VN)


# ---------------------------------------------------------------------------------------------------- access


def test_only_the_administrator_sees_the_menu_and_opens_the_pages(app, login, session):
    admin = login("admin")
    assert 'href="/quan-tri/"' in admin.get("/").data.decode()
    for path in PAGES:
        assert admin.get(path).status_code == 200, path
    assert 'href="/quan-tri/"' not in login("handler").get("/").data.decode()
    for username in ("handler", "auditor", "citizen"):
        browser = login(username)
        for path in PAGES:
            assert browser.get(path).status_code == 403, (username, path)
    refusals = session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused")).all()
    assert len(refusals) == 3 * len(PAGES)
    assert {(r.actor, r.action) for r in refusals} >= {("handler", "web.admin.index"), ("auditor", "web.admin.fields")}
    anonymous = app.test_client().get("/quan-tri/lich/")
    assert anonymous.status_code == 302 and "/dang-nhap" in anonymous.headers["Location"]


def test_a_non_administrators_post_is_refused_audited_and_changes_nothing(login, session):
    handler = login("handler")
    token = csrf_token(handler, "/")
    response = handler.post("/quan-tri/linh-vuc", data={"code": "van-hoa", "name": "Văn hóa", "csrf_token": token})
    assert response.status_code == 403 and session.get(Field, "van-hoa") is None
    refusal = session.scalar(select(AuditEntry).where(AuditEntry.outcome == "refused"))
    assert (refusal.actor, refusal.action, refusal.data["path"]) == (
        "handler",
        "web.admin.fields",
        "/quan-tri/linh-vuc",
    )


# ---------------------------------------------------------------------------------------------------- agencies


def test_the_administrator_adds_an_agency_and_sees_it_in_the_list(login, session):
    admin = login("admin")
    response = post(admin, "/quan-tri/co-quan/moi", {"code": "QNG-SGTVT", "level": "province", "parent": "",
                    "name": "Sở Giao thông vận tải tỉnh Quảng Ngãi", "province": "quang-ngai"})  # fmt: skip
    assert response.status_code == 302
    listing = admin.get(response.headers["Location"]).data.decode()
    assert "Đã lưu cơ quan «Sở Giao thông vận tải tỉnh Quảng Ngãi» (QNG-SGTVT)." in listing
    row = block(listing, "agency-QNG-SGTVT")
    assert "Sở Giao thông vận tải tỉnh Quảng Ngãi" in row and "Cấp tỉnh" in row and "Quảng Ngãi" in row
    agency = session.scalar(select(Agency).where(Agency.code == "QNG-SGTVT"))
    edit = post(admin, f"/quan-tri/co-quan/{agency.id}", {"name": "Sở Giao thông tỉnh Quảng Ngãi", "level": "province",
                "province": "quang-ngai", "parent": "QNG-VPUB"})  # fmt: skip
    assert edit.status_code == 302
    session.refresh(agency)
    assert (agency.name, agency.parent.code) == ("Sở Giao thông tỉnh Quảng Ngãi", "QNG-VPUB")


def test_a_wrong_agency_shows_the_message_under_the_field_keeps_the_input_and_saves_nothing(login, session):
    before = session.scalar(select(func.count(Agency.id)))
    response = post(login("admin"), "/quan-tri/co-quan/moi", {"code": "QNG-SXD", "name": "Sở Giao thông mới",
                    "level": "commune", "province": "", "is_intake_office": "1"})  # fmt: skip
    page = response.data.decode()
    assert response.status_code == 422 and "Chưa lưu: vui lòng sửa các mục được đánh dấu." in page
    assert "«Mã cơ quan» «QNG-SXD» đã có" in block(page, "code") and 'value="QNG-SXD"' in block(page, "code")
    assert "«Tỉnh, thành phố» là bắt buộc." in block(page, "province")
    assert 'value="Sở Giao thông mới"' in block(page, "name")
    assert '<option value="commune" selected>' in block(page, "level")
    assert "Bộ phận đầu mối tiếp nhận phải là cơ quan cấp tỉnh." in page and 'value="1" checked' in page
    assert session.scalar(select(func.count(Agency.id))) == before


# ---------------------------------------------------------------------------------------------------- accounts

NEW_ACCOUNT = {"username": "tran.thi.mai", "full_name": "Trần Thị Mai", "email": "mai@example.vn", "phone": "",
               "role": "handler", "agency": "QNG-SYT", "password": "mai-mat-khau"}  # fmt: skip


def test_a_new_account_logs_in_and_once_deactivated_cannot(app, login, session):
    admin = login("admin")
    created = post(admin, "/quan-tri/tai-khoan/moi", NEW_ACCOUNT)
    assert created.status_code == 302
    page = admin.get(created.headers["Location"]).data.decode()
    assert "Đã tạo tài khoản tran.thi.mai." in page and 'value="Trần Thị Mai"' in page
    assert "tran.thi.mai" in block(
        admin.get("/quan-tri/tai-khoan/?agency=QNG-SYT").data.decode(), "account-tran.thi.mai"
    )

    browser = app.test_client()
    assert log_in(browser, "tran.thi.mai", "mai-mat-khau").status_code == 302
    assert "Trần Thị Mai" in browser.get("/cong-viec").data.decode()

    account = session.scalar(select(User).where(User.username == "tran.thi.mai"))
    locked = post(
        admin, f"/quan-tri/tai-khoan/{account.id}/trang-thai", {"active": "0"}, f"/quan-tri/tai-khoan/{account.id}"
    )
    assert locked.status_code == 302
    assert browser.get("/cong-viec").status_code == 302  # the open session ends at its next request
    assert log_in(app.test_client(), "tran.thi.mai", "mai-mat-khau").status_code == 401
    session.refresh(account)
    assert not account.active


def test_a_wrong_account_keeps_the_input_but_never_the_password(login, session):
    response = post(login("admin"), "/quan-tri/tai-khoan/moi", {**NEW_ACCOUNT, "agency": "", "password": "ngan"})
    page = response.data.decode()
    assert response.status_code == 422
    assert "phải thuộc một cơ quan" in block(page, "agency")
    assert "«Mật khẩu» cần ít nhất 8 ký tự." in block(page, "password") and "ngan" not in block(page, "password")
    assert 'value="tran.thi.mai"' in block(page, "username") and '<option value="handler" selected>' in page
    assert session.scalar(select(User).where(User.username == "tran.thi.mai")) is None


def test_the_administrator_cannot_lock_himself_out(login, session):
    admin_id = user(session, "admin").id
    response = post(login("admin"), f"/quan-tri/tai-khoan/{admin_id}/trang-thai", {"active": "0"}, "/quan-tri/")
    assert response.status_code == 422 and "Không thể tự khóa tài khoản của chính mình." in response.data.decode()
    session.expire_all()
    assert user(session, "admin").active


# ---------------------------------------------------------------------------------------------------- fields


def test_the_administrator_adds_renames_and_deactivates_a_field(login, session):
    admin = login("admin")
    assert post(admin, "/quan-tri/linh-vuc", {"code": "van-hoa", "name": "Văn hóa, thể thao"}).status_code == 302
    assert "Văn hóa, thể thao" in block(admin.get("/quan-tri/linh-vuc").data.decode(), "field-van-hoa")
    renamed = post(admin, "/quan-tri/linh-vuc/van-hoa", {"name": "Văn hóa, thể thao và du lịch"})
    assert renamed.status_code == 302
    post(admin, "/quan-tri/linh-vuc/van-hoa/trang-thai", {"active": "0"}, "/quan-tri/linh-vuc")
    row = block(admin.get("/quan-tri/linh-vuc").data.decode(), "field-van-hoa")
    assert "Văn hóa, thể thao và du lịch" in row and "ngừng dùng" in row
    field = session.get(Field, "van-hoa")
    session.refresh(field)
    assert (field.name, field.active) == ("Văn hóa, thể thao và du lịch", False)
    refused = post(admin, "/quan-tri/linh-vuc", {"code": "y-te", "name": ""})
    page = refused.data.decode()
    assert refused.status_code == 422 and "«Mã lĩnh vực» «y-te» đã có" in block(page, "code")
    assert "«Tên lĩnh vực» là bắt buộc." in block(page, "name") and 'value="y-te"' in block(page, "code")


# ---------------------------------------------------------------------------------------------------- calendars

DAY_OFF = {"calendar": "national", "date": "06/05/2026", "kind": "off", "name": "Ngày nghỉ thử nghiệm",
           "basis": "Quyết định số 1/QĐ-TEST", "reason": "Thử nghiệm", "recompute": "1"}  # fmt: skip


def answer_due(session, petition) -> datetime:
    due = session.scalar(
        select(CaseDeadline.due_at)
        .where(CaseDeadline.petition_id == petition.id, CaseDeadline.step == "answer")
        .order_by(CaseDeadline.id.desc())
    )
    return due.astimezone(VN)


@pytest.fixture
def handled_case(session):
    """A Quảng Ngãi case being handled since Wed 15 Apr 2026: answer due Mon 11 May 17:00 (15 working days)."""
    with time_machine.travel(at(2026, 4, 15, 9, 0), tick=False):
        petition = submit(session)
        act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    assert answer_due(session, petition) == at(2026, 5, 11, 17, 0)
    return petition


def test_a_day_off_is_previewed_with_the_cases_it_moves_then_confirmed_and_recomputed(login, session, handled_case):
    with time_machine.travel(at(2026, 4, 20, 9, 0), tick=False):
        admin = login("admin")  # signed at the travelled time: a cookie from the future is refused
        preview = post(admin, "/quan-tri/lich/ngay", DAY_OFF, "/quan-tri/lich/")
        page = preview.data.decode()
        assert preview.status_code == 200
        assert "Sẽ dời hạn của 1 hồ sơ đang xử lý (1 thời hạn, 2 hẹn giờ)." in text(page)
        assert "06/05/2026: ngày làm việc" in page and "06/05/2026: ngày nghỉ — Ngày nghỉ thử nghiệm" in page
        assert "2026-05-06" not in text(page)
        assert session.scalar(select(func.count(CalendarDay.id))) == 0  # a preview stores nothing
        confirm = re.search(r'<section class="card preview".*?</form>', page, re.S).group(0)
        assert page.index('id="xem-truoc"') < page.index('id="doi-ngay"')  # where the eye is, above the form
        carried = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', confirm))
        assert carried == {**DAY_OFF, "csrf_token": carried["csrf_token"], "confirm": "1"}
        applied = admin.post("/quan-tri/lich/ngay", data=carried)
        assert applied.status_code == 302
        page = admin.get(applied.headers["Location"]).data.decode()
    assert answer_due(session, handled_case) == at(2026, 5, 12, 17, 0)  # one working day later
    assert "đã dời hạn của 1 hồ sơ" in page
    assert "Ngày nghỉ thử nghiệm" in block(page, "day-2026-05-06") and "admin" in block(page, "day-2026-05-06")
    changes = text(page.split('id="thay-doi"')[1])
    assert "admin" in changes and "Thử nghiệm" in changes and "Ngày nghỉ thử nghiệm" in changes


def test_a_calendar_change_without_its_reason_shows_the_errors_and_keeps_the_input(login, session, handled_case):
    form = {**DAY_OFF, "reason": "", "name": "", "date": "2026-05-06"}
    response = post(login("admin"), "/quan-tri/lich/ngay", form, "/quan-tri/lich/")
    page = response.data.decode()
    assert response.status_code == 422
    assert "«Lý do thay đổi» là bắt buộc." in block(page, "day-reason")
    assert "«Ngày» phải là ngày dạng ngày/tháng/năm, ví dụ 02/09/2026." in block(page, "day-date")
    assert 'value="2026-05-06"' in page
    assert "Quyết định số 1/QĐ-TEST" in block(page, "day-basis") and 'value="1" checked' in page
    assert session.scalar(select(func.count(CalendarDay.id))) == 0
    assert answer_due(session, handled_case) == at(2026, 5, 11, 17, 0)


def test_a_province_step_deadline_is_previewed_then_applied(login, session, handled_case):
    admin = login("admin")
    form = {"province": "quang-ngai", "step": "answer", "days": "10", "unit": "working", "remind_before": "2",
            "basis": "Quyết định số 2/QĐ-UBND (thử nghiệm)", "reason": "Rút ngắn thời hạn", "nam": "2026"}  # fmt: skip
    page = post(admin, "/quan-tri/lich/thoi-han", form, "/quan-tri/lich/?lich=quang-ngai").data.decode()
    assert "15 ngày làm việc" in page and "10 ngày làm việc" in page
    assert "Không tính lại: các thời hạn đang chạy giữ nguyên (nếu tính lại sẽ dời hạn của 1 hồ sơ)" in text(page)
    applied = post(admin, "/quan-tri/lich/thoi-han", {**form, "confirm": "1"}, "/quan-tri/lich/")
    assert applied.status_code == 302
    assert answer_due(session, handled_case) == at(2026, 5, 11, 17, 0)  # not recomputed: the running one stays
    row = block(admin.get("/quan-tri/lich/?lich=quang-ngai&nam=2026").data.decode(), "step-answer")
    assert "10 ngày làm việc" in row and "quản trị viên thay đổi" in row


# ---------------------------------------------------------------------------------------------------- processes


def upload(browser, name: str, data: bytes):
    return post(browser, "/quan-tri/quy-trinh/", {"files": (io.BytesIO(data), name)},
                content_type="multipart/form-data")  # fmt: skip


def deploy(browser, name: str, data: bytes):
    """Upload, then confirm the preview."""
    preview = upload(browser, name, data)
    assert preview.status_code == 200
    return confirm_deploy(browser, preview.data.decode())


def with_syntax_error() -> tuple[bytes, int, str]:
    """pakn.bpmn with a broken condition: the file, the condition's line and its flow's id."""
    root = etree.fromstring(PAKN)
    condition = root.find(".//{http://www.omg.org/spec/BPMN/20100524/MODEL}conditionExpression")
    condition.text = "decision === 'reject'"
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    line = next(n for n, text in enumerate(data.decode().splitlines(), 1) if "decision === 'reject'" in text)
    return data, line, condition.getparent().get("id")


def test_a_file_with_an_error_shows_line_and_element_and_deploys_nothing(login, session):
    data, line, flow = with_syntax_error()
    response = upload(login("admin"), "pakn-sua.bpmn", data)
    page = response.data.decode()
    assert response.status_code == 422 and "Không triển khai" in page
    problem = re.search(r'<tr class="problem">.*?</tr>', page, re.S).group(0)
    assert "pakn-sua.bpmn" in problem and f">{line}<" in problem and f"<code>{flow}</code>" in problem
    assert "Python syntax error" in problem
    assert session.scalar(select(func.count(ProcessDefinition.id)).where(ProcessDefinition.process_key == "pakn")) == 1


def test_a_changed_file_is_a_new_version_and_the_list_counts_running_instances(login, session):
    submit(session)
    submit(session, title="Một phản ánh khác về trật tự đô thị")
    admin = login("admin")
    same = deploy(admin, "pakn.bpmn", PAKN)
    assert (
        "tệp giống hệt phiên bản 1 đã triển khai, không tạo phiên bản mới"
        in admin.get(same.headers["Location"]).data.decode()
    )
    changed = deploy(admin, "pakn.bpmn", PAKN + "\n<!-- sửa đổi -->\n".encode())
    assert changed.status_code == 302
    page = admin.get(changed.headers["Location"]).data.decode()
    key = "pakn"
    assert f"Đã triển khai {key} phiên bản 2" in page
    first, second = block(page, f"version-{key}-1"), block(page, f"version-{key}-2")
    assert 'class="running">2<' in first and 'class="running">0<' in second
    assert "mới nhất" in second and "mới nhất" not in first and "admin" in second
    assert "đang dùng" in second and "Dùng lại phiên bản này" in first
    assert session.scalar(select(func.count(ProcessDefinition.id)).where(ProcessDefinition.process_key == "pakn")) == 2


def test_non_xml_and_oversized_uploads_are_refused_with_a_clear_message(login, session):
    admin = login("admin")
    page = upload(admin, "so-lieu.xlsx", b"PK\x03\x04").data.decode()
    assert "tệp «so-lieu.xlsx» không phải tệp BPMN (XML, đuôi .bpmn) do Camunda Modeler lưu." in block(page, "files")
    page = upload(admin, "lon.bpmn", b"<" + b" " * (5 * 1024 * 1024)).data.decode()
    assert "tệp «lon.bpmn» lớn hơn 5 MB." in block(page, "files")
    assert session.scalar(select(func.count(ProcessDefinition.id)).where(ProcessDefinition.process_key == "pakn")) == 1


def test_the_pages_and_their_errors_speak_english_when_asked(login):
    admin = login("admin")
    admin.post("/ngon-ngu/en", data={"csrf_token": csrf_token(admin, "/"), "next": "/"})
    response = post(admin, "/quan-tri/lich/ngay", {**DAY_OFF, "reason": ""}, "/quan-tri/lich/")
    page = response.data.decode()
    assert response.status_code == 422 and "Calendars and deadlines" in page
    assert "“Reason for the change” is required." in block(page, "day-reason")
    assert "Process versions" in admin.get("/quan-tri/quy-trinh/").data.decode()


def test_an_agency_saved_at_the_same_moment_by_another_administrator_is_a_409_not_a_500(app, login, session):
    """The form checks the code is free, then inserts: another administrator's insert of the same code between the two
    (made here at that very moment, on the request's own connection) is refused by the unique rule: 409, nothing
    saved of this request."""
    engine, raced = app.extensions["pakn"]["engine"], []

    def the_other_administrator(conn, cursor, statement, params, context, executemany):
        if statement.startswith("INSERT INTO agency ") and not raced:
            raced.append(statement)
            cursor.execute(statement, params)  # the same row, as the other request would have written it

    event.listen(engine, "before_cursor_execute", the_other_administrator)
    try:
        response = post(login("admin"), "/quan-tri/co-quan/moi", {"code": "QNG-SGTVT", "level": "province",
                        "parent": "", "name": "Sở Giao thông vận tải", "province": "quang-ngai"})  # fmt: skip
    finally:
        event.remove(engine, "before_cursor_execute", the_other_administrator)
    assert raced and response.status_code == 409 and "Dữ liệu vừa thay đổi" in response.data.decode()
    assert session.scalar(select(func.count(Agency.id)).where(Agency.code == "QNG-SGTVT")) == 0  # rolled back whole
