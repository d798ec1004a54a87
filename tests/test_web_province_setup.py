"""The administrator's province pages: the list, enabling a province, imports with errors by line, passwords
shown once, and a merger's move — through the real forms."""

import io

from sqlalchemy import select

from app.agencies.models import Agency

from .conftest import act, item_for, submit
from .test_province_setup import AGENCIES, csv_file
from .test_web_admin import post


def test_the_province_list_shows_every_province_and_links_to_each(login):
    page = login("admin").get("/quan-tri/tinh/").data.decode()
    assert page.count('id="province-') >= 34
    assert "Thành phố Hà Nội" in page and "đang tiếp nhận" in page and 'href="/quan-tri/tinh/ha-noi"' in page


def test_an_administrator_enables_a_province_through_its_page(login, session):
    admin = login("admin")
    response = post(admin, "/quan-tri/tinh/ha-noi/mo-tiep-nhan", {"policy": "qd31-2021", "intake_code": "HN-VPUB"},
                    token_from="/quan-tri/tinh/ha-noi")  # fmt: skip
    assert response.status_code == 302
    page = admin.get("/quan-tri/tinh/ha-noi").data.decode()
    assert "đã bắt đầu tiếp nhận" in page and "Mở tiếp nhận</button>" not in page
    assert session.scalar(select(Agency).where(Agency.code == "HN-VPUB")).is_intake_office


def upload(browser, path, data, name):
    return post(browser, path, {"file": (io.BytesIO(data), name)}, token_from="/quan-tri/tinh/ha-noi",
                content_type="multipart/form-data")  # fmt: skip


def test_an_import_with_errors_lists_them_by_line_and_stores_nothing(login, session):
    broken = csv_file("code,name,level,parent,is_intake_office", "HN-A,Sở A,province,,", "HN-B,Sở B,tỉnh lỵ,,")
    response = upload(login("admin"), "/quan-tri/tinh/ha-noi/nhap/co-quan", broken, "co-quan.csv")
    page = response.data.decode()
    assert response.status_code == 422
    assert "Chưa nhập dòng nào" in page and "Dòng 3: «Cấp» phải là một trong" in page
    assert session.scalar(select(Agency).where(Agency.code == "HN-A")) is None


def test_imported_accounts_get_their_first_passwords_shown_once(login):
    admin = login("admin")
    assert upload(admin, "/quan-tri/tinh/ha-noi/nhap/co-quan", AGENCIES, "co-quan.csv").status_code == 302
    accounts = csv_file("username,full_name,email,phone,role,agency", "hn.xuly,Trần Văn Nam,nam@hn.vn,,handler,HN-SXD")
    page = upload(admin, "/quan-tri/tinh/ha-noi/nhap/tai-khoan", accounts, "can-bo.csv").data.decode()
    assert "Mật khẩu đầu tiên" in page and "<code>hn.xuly</code>" in page
    assert "<code>hn.xuly</code>" not in admin.get("/quan-tri/tinh/ha-noi").data.decode()


def test_the_import_templates_name_the_columns(login):
    response = login("admin").get("/quan-tri/tinh/mau-co-quan.csv")
    assert response.status_code == 200 and response.data.decode("utf-8-sig").startswith("code,name,level,parent")


def test_a_merger_moves_the_open_cases_through_the_page(login, session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    response = post(login("admin"), "/quan-tri/tinh/quang-ngai/sap-nhap",
                    {"from_agency": "QNG-SXD", "to_agency": "QNG-SNNMT", "reason": "Quyết định sáp nhập sở"},
                    token_from="/quan-tri/tinh/quang-ngai", follow_redirects=True)  # fmt: skip
    assert "Đã chuyển 1 hồ sơ đang xử lý (1 công việc) sang QNG-SNNMT" in response.data.decode()
    assert item_for(session, petition, "handle").agency_code == "QNG-SNNMT"


def test_only_administrators_reach_the_province_pages(login):
    assert login("intake").get("/quan-tri/tinh/").status_code == 403
    assert login("auditor").get("/quan-tri/tinh/ha-noi").status_code == 403
