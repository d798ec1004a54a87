"""The administrators' pages as a newcomer reads them (issue 19 point 6): previews where the eye is, days as
dd/mm/yyyy, labels instead of codes, unique ids, a month of each calendar, and BPMN deploys that are confirmed
against the current version and can be undone by making an earlier version current again."""

import io
import re

import pytest
from lxml import html
from sqlalchemy import func, select

from app.administration.processes import make_version_current
from app.agencies.models import Agency
from app.agencies.names import with_province
from app.audit.models import AuditEntry
from app.engine.deployment import latest_definition
from app.engine.models import CurrentVersion, ProcessDefinition, ProcessInstance
from app.engine.version_diff import version_diff
from app.errors import PermissionDenied
from app.tasks.task_forms import agency_options

from .conftest import PROCESSES, submit, user
from .web import confirm_deploy, csrf_token

PAKN = (PROCESSES / "pakn.bpmn").read_bytes()
RENAMED = PAKN.replace('name="Phân loại PAKN"'.encode(), 'name="Phân loại và chuyển PAKN"'.encode())
DAY_OFF = {"calendar": "national", "date": "06/05/2026", "kind": "off", "name": "Ngày nghỉ thử nghiệm",
           "basis": "Quyết định số 1/QĐ-TEST", "reason": "Thử nghiệm"}  # fmt: skip
ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
CODES = re.compile(r"\b(?:process|calendar|deadline|agency|account|field|province)\.[a-z_]+\b")


def post(browser, path, data, token_from, **kwargs):
    return browser.post(path, data={**data, "csrf_token": csrf_token(browser, token_from)}, **kwargs)


def upload(browser, name: str, data: bytes):
    return post(browser, "/quan-tri/quy-trinh/", {"files": (io.BytesIO(data), name)}, "/quan-tri/quy-trinh/",
                content_type="multipart/form-data")  # fmt: skip


def visible_text(page: str) -> str:
    """What a reader sees: the text of the body, without scripts, styles and attribute values."""
    tree = html.fromstring(page)
    for hidden in tree.xpath("//script|//style"):
        hidden.drop_tree()
    return " ".join(tree.body.text_content().split())


def admin_pages(login, session) -> dict[str, str]:
    """Every administrator's page, with its previews and errors shown, by a name for the assertion messages."""
    admin = login("admin")
    agency = session.scalar(select(Agency).where(Agency.code == "QNG-SXD"))
    account = user(session, "handler")
    definition = session.scalar(select(ProcessDefinition).filter_by(process_key="pakn"))
    pages = {}
    for path in (
        "/quan-tri/",
        "/quan-tri/co-quan/",
        "/quan-tri/co-quan/moi",
        f"/quan-tri/co-quan/{agency.id}",
        "/quan-tri/tai-khoan/",
        "/quan-tri/tai-khoan/moi",
        f"/quan-tri/tai-khoan/{account.id}",
        "/quan-tri/linh-vuc",
        "/quan-tri/linh-vuc/xay-dung",
        "/quan-tri/ly-do-an/",
        "/quan-tri/tinh/",
        "/quan-tri/tinh/quang-ngai",
        "/quan-tri/lich/",
        "/quan-tri/lich/?lich=quang-ngai&nam=2026&thang=9",
        "/quan-tri/quy-trinh/",
        f"/quan-tri/quy-trinh/{definition.id}/chuyen-phien-ban",
    ):
        response = admin.get(path)
        assert response.status_code == 200, path
        pages[path] = response.data.decode()
    pages["day preview"] = post(admin, "/quan-tri/lich/ngay", DAY_OFF, "/quan-tri/lich/").data.decode()
    pages["day errors"] = post(admin, "/quan-tri/lich/ngay", {**DAY_OFF, "reason": ""}, "/quan-tri/lich/").data.decode()
    deadline = {"province": "quang-ngai", "step": "answer", "days": "", "unit": "working", "remind_before": "2",
                "basis": "", "reason": "", "nam": "2026"}  # fmt: skip
    pages["deadline errors"] = post(admin, "/quan-tri/lich/thoi-han", deadline, "/quan-tri/lich/").data.decode()
    pages["deploy preview"] = upload(admin, "pakn.bpmn", RENAMED).data.decode()
    return pages


# ---------------------------------------------------------------------------------------------------- pages


def test_every_admin_page_has_unique_ids_and_every_label_names_one(login, session):
    for name, page in admin_pages(login, session).items():
        tree = html.fromstring(page)
        ids = tree.xpath("//@id")
        assert len(ids) == len(set(ids)), f"{name}: repeated ids {sorted({i for i in ids if ids.count(i) > 1})}"
        for target in tree.xpath("//label/@for"):
            assert target in ids, f"{name}: <label for={target}> names no element"


def test_no_admin_page_shows_iso_days_codes_file_or_package_names(login, session):
    for name, page in admin_pages(login, session).items():
        shown = visible_text(page)
        assert not ISO_DAY.search(shown), f"{name}: {ISO_DAY.search(shown).group(0)}"
        assert not CODES.search(shown), f"{name}: {CODES.search(shown).group(0)}"
        for technical in ("gói holidays", "calendars/", ".toml", "run.py", "qd31-2021"):
            assert technical not in shown, f"{name}: {technical}"


def test_the_recent_changes_name_actions_and_outcomes_in_words(login, session):
    admin = login("admin")
    post(admin, "/quan-tri/lich/ngay", {**DAY_OFF, "confirm": "1"}, "/quan-tri/lich/")
    row = html.fromstring(admin.get("/quan-tri/").data.decode()).xpath("//tbody/tr")[0]
    cells = [" ".join(c.text_content().split()) for c in row.xpath("td")]
    assert cells[2:] == ["Thay đổi ngày nghỉ, ngày làm bù", "thành công"]


# ---------------------------------------------------------------------------------------------------- calendars


def test_a_preview_comes_first_with_its_confirmation_and_the_forms_lead_to_it(login):
    admin = login("admin")
    page = admin.get("/quan-tri/lich/").data.decode()
    actions = html.fromstring(page).xpath("//form[@method='post']/@action")
    assert "/quan-tri/lich/ngay#xem-truoc" in actions and "/quan-tri/lich/thoi-han#xem-truoc" in actions
    preview = post(admin, "/quan-tri/lich/ngay", DAY_OFF, "/quan-tri/lich/").data.decode()
    tree = html.fromstring(preview)
    panel = tree.get_element_by_id("xem-truoc")
    assert panel.xpath(".//button[normalize-space()='Xác nhận áp dụng']")
    sections = [s.get("id") for s in tree.xpath("//main//section")]
    assert sections.index("xem-truoc") < sections.index("thang") < sections.index("doi-ngay")
    errors = post(admin, "/quan-tri/lich/ngay", {**DAY_OFF, "reason": ""}, "/quan-tri/lich/").data.decode()
    assert "Chưa xem trước được" in html.fromstring(errors).get_element_by_id("xem-truoc").text_content()


def test_a_day_is_typed_as_day_month_year_whatever_the_browser(login):
    admin = login("admin")
    field = html.fromstring(admin.get("/quan-tri/lich/").data.decode()).get_element_by_id("day-date")
    assert (field.get("type"), field.get("inputmode"), field.get("placeholder")) == ("text", "numeric", "nn/tt/nnnn")
    assert re.fullmatch(field.get("pattern"), "02/09/2026") and not re.fullmatch(field.get("pattern"), "2026-09-02")
    for typed in ("2026-05-06", "31/02/2026", "06/05", "hôm nay"):
        response = post(admin, "/quan-tri/lich/ngay", {**DAY_OFF, "date": typed}, "/quan-tri/lich/")
        tree = html.fromstring(response.data.decode())
        assert response.status_code == 422, typed
        message = tree.get_element_by_id("day-date-error").text_content()
        assert message == "«Ngày» phải là ngày dạng ngày/tháng/năm, ví dụ 02/09/2026.", typed
        assert tree.get_element_by_id("day-date").get("value") == typed  # the input is kept
    preview = post(admin, "/quan-tri/lich/ngay", {**DAY_OFF, "date": "6/5/2026"}, "/quan-tri/lich/")
    assert preview.status_code == 200 and "06/05/2026: ngày nghỉ — Ngày nghỉ thử nghiệm" in preview.data.decode()


def test_the_month_grid_shows_holidays_with_their_basis_and_moves_month_by_month(login):
    admin = login("admin")
    page = admin.get("/quan-tri/lich/?lich=quang-ngai&nam=2026&thang=9").data.decode()
    tree = html.fromstring(page)
    national_day = tree.get_element_by_id("thang-2026-09-02")
    assert "holiday" in national_day.get("class") and "nghỉ" in national_day.text_content()
    assert national_day.xpath(".//span[@class='day-basis muted']")[0].text_content().strip()  # its legal basis
    assert "working" in tree.get_element_by_id("thang-2026-09-03").get("class")
    assert "weekend" in tree.get_element_by_id("thang-2026-09-06").get("class")
    assert "other-month" in tree.get_element_by_id("thang-2026-08-31").get("class")  # Monday before the 1st
    assert "Tháng 9/2026" in tree.get_element_by_id("thang-title").text_content()
    links = dict((a.get("rel"), a.get("href")) for a in tree.xpath("//nav[@class='month-nav']/a"))
    assert links == {"prev": "/quan-tri/lich/?lich=quang-ngai&nam=2026&thang=8#thang",
                     "next": "/quan-tri/lich/?lich=quang-ngai&nam=2026&thang=10#thang"}  # fmt: skip
    december = html.fromstring(admin.get("/quan-tri/lich/?nam=2026&thang=12").data.decode())
    assert december.xpath("//a[@rel='next']/@href") == ["/quan-tri/lich/?lich=national&nam=2027&thang=1#thang"]


def test_a_moved_working_day_shows_in_its_month(login):
    admin = login("admin")
    worked = {**DAY_OFF, "date": "09/05/2026", "kind": "worked", "name": "Làm bù thử nghiệm", "confirm": "1"}
    assert post(admin, "/quan-tri/lich/ngay", worked, "/quan-tri/lich/").status_code == 302
    cell = html.fromstring(admin.get("/quan-tri/lich/?nam=2026&thang=5").data.decode()).get_element_by_id(
        "thang-2026-05-09"
    )
    assert (
        "moved" in cell.get("class") and "làm bù" in cell.text_content() and "Làm bù thử nghiệm" in cell.text_content()
    )


# ---------------------------------------------------------------------------------------------------- agencies


def test_an_agency_named_with_its_province_is_not_suffixed_again(session):
    assert with_province("UBND xã Trung Tâm (tỉnh Bắc Ninh)", "Bắc Ninh") == "UBND xã Trung Tâm (tỉnh Bắc Ninh)"
    assert with_province("UBND phường Kinh Bắc", "Bắc Ninh") == "UBND phường Kinh Bắc (Bắc Ninh)"
    session.get(
        Agency, session.scalar(select(Agency.id).where(Agency.code == "BN-KINHBAC"))
    ).name = "UBND phường Kinh Bắc (tỉnh Bắc Ninh)"
    session.flush()
    labels = {o["value"]: o["label"] for o in agency_options(session, "quang-ngai")}
    assert labels["BN-KINHBAC"] == "UBND phường Kinh Bắc (tỉnh Bắc Ninh)"
    assert labels["BN-SXD"] == "Sở Xây dựng tỉnh Bắc Ninh"
    assert labels["QNG-SXD"] == "Sở Xây dựng tỉnh Quảng Ngãi"


# ---------------------------------------------------------------------------------------------------- processes


def pakn_versions(session) -> int:
    return session.scalar(select(func.count(ProcessDefinition.id)).where(ProcessDefinition.process_key == "pakn"))


def test_version_diff_names_added_removed_renamed_elements_and_forms():
    changed = PAKN.replace('name="Phân loại PAKN"'.encode(), 'name="Phân loại"'.encode())
    changed = changed.replace(b'id="provide_info_to_agency"', b'id="provide_info_agency"')
    changed = changed.replace(b'camunda:formRef="pakn-review"', b'camunda:formRef="pakn-review-2"')
    diff = version_diff(PAKN.decode(), changed, "pakn")
    assert [(b.name, a.name) for b, a in diff.renamed] == [("Phân loại PAKN", "Phân loại")]
    assert [e.id for e in diff.added] == ["provide_info_agency"] and diff.added[0].kind == "userTask"
    assert [e.id for e in diff.removed] == ["provide_info_to_agency"]
    assert diff.forms_added == ["pakn-review-2"] and diff.forms_removed == ["pakn-review"]
    assert "pakn-classify" in diff.forms and not version_diff(PAKN.decode(), PAKN, "pakn").renamed
    assert len(version_diff(None, PAKN, "pakn").added) > 20  # a first version: everything is new


def test_an_upload_is_previewed_against_the_current_version_and_deployed_only_when_confirmed(login, session):
    admin = login("admin")
    preview = upload(admin, "pakn.bpmn", RENAMED)
    page = preview.data.decode()
    assert preview.status_code == 200 and pakn_versions(session) == 1  # nothing deployed yet
    panel = html.fromstring(page).get_element_by_id("xem-truoc")
    shown = " ".join(panel.text_content().split())
    assert "So với phiên bản đang dùng (1):" in shown and "Đổi tên 1 phần tử" in shown
    assert "Phân loại PAKN → Phân loại và chuyển PAKN" in shown and "pakn-classify" in shown
    assert "Thêm" not in shown and "Bỏ " not in shown
    assert page.index('id="xem-truoc"') < page.index('id="phien-ban"')  # the preview comes before the list
    assert confirm_deploy(admin, page).status_code == 302
    assert pakn_versions(session) == 2
    same = upload(admin, "pakn.bpmn", RENAMED).data.decode()
    assert "Giống hệt phiên bản 2 đã triển khai: không tạo phiên bản mới." in visible_text(same)


def test_a_tampered_confirmation_is_checked_again_and_deploys_nothing(login, session):
    admin = login("admin")
    page = upload(admin, "pakn.bpmn", RENAMED).data.decode()
    broken = re.sub(r'(name="document-0" value=")[^"]*', r"\1bm90IHhtbA==", page)  # "not xml"
    response = confirm_deploy(admin, broken)
    assert response.status_code == 422 and "không phải tệp BPMN" in response.data.decode()
    assert pakn_versions(session) == 1


def test_an_earlier_version_made_current_again_starts_new_cases_while_running_ones_keep_theirs(login, session):
    admin = login("admin")
    confirm_deploy(admin, upload(admin, "pakn.bpmn", RENAMED).data.decode())
    one, two = (session.scalar(select(ProcessDefinition).filter_by(process_key="pakn", version=v)) for v in (1, 2))
    on_two = submit(session)
    page = admin.get("/quan-tri/quy-trinh/").data.decode()
    row = html.fromstring(page).get_element_by_id("version-pakn-1")
    action = row.xpath(".//form[contains(@class, 'make-current')]/@action")[0]
    response = admin.post(action, data={"csrf_token": csrf_token(admin, "/quan-tri/quy-trinh/")})
    assert response.status_code == 302 and response.headers["Location"].endswith("#version-pakn-1")
    session.expire_all()
    assert latest_definition(session, "pakn").id == one.id
    on_one = submit(session)
    definition_of = {
        p.id: session.scalar(select(ProcessInstance.definition_id).where(ProcessInstance.id == p.instance_id))
        for p in (on_two, on_one)
    }
    assert definition_of == {on_two.id: two.id, on_one.id: one.id}
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "process.made_current"))
    assert entry.actor == "admin" and entry.data == {"process": "pakn", "from": 2, "to": 1}
    page = admin.get("/quan-tri/quy-trinh/").data.decode()
    assert "đang dùng" in html.fromstring(page).get_element_by_id("version-pakn-1").text_content()
    assert "Dùng lại phiên bản này" in html.fromstring(page).get_element_by_id("version-pakn-2").text_content()
    # a newer version deployed becomes current again
    newer = RENAMED.replace('name="Phân loại và chuyển PAKN"'.encode(), 'name="Phân loại"'.encode())
    confirm_deploy(admin, upload(admin, "pakn.bpmn", newer).data.decode())
    session.expire_all()
    assert latest_definition(session, "pakn").version == 3 and session.get(CurrentVersion, "pakn") is None


def test_making_a_version_current_is_refused_to_others_and_audited(session):
    definition = session.scalar(select(ProcessDefinition).filter_by(process_key="pakn"))
    with pytest.raises(PermissionDenied):
        make_version_current(session, user(session, "handler"), definition.id)
    refused = session.scalar(select(AuditEntry).where(AuditEntry.action == "process.made_current"))
    assert refused.outcome == "refused" and refused.actor == "handler"


def test_the_deploy_preview_speaks_english_when_asked(login):
    admin = login("admin")
    admin.post("/ngon-ngu/en", data={"csrf_token": csrf_token(admin, "/"), "next": "/"})
    shown = visible_text(upload(admin, "pakn.bpmn", RENAMED).data.decode())
    assert "Compared with the version in use (1):" in shown and "1 elements renamed" in shown
    assert "Confirm deployment" in shown


def test_a_refused_file_names_each_problem_in_words_with_the_technical_detail_folded(login, session):
    broken = PAKN.replace(b'camunda:formRef="pakn-review"', b'camunda:formRef="khong-co"')
    response = upload(login("admin"), "pakn.bpmn", broken)
    assert response.status_code == 422 and pakn_versions(session) == 1
    row = html.fromstring(response.data.decode()).xpath("//tr[@class='problem']")[0]
    cell = row.xpath("td")[3]
    assert cell.text.strip() == "Mẫu biểu (Camunda Forms) thiếu hoặc sai"
    detail = cell.xpath(".//details/p")[0]
    assert detail.get("lang") == "en" and "no form with this id" in detail.text_content()
