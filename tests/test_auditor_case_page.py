"""The auditor's case page reads as the clerk's history does, names the current step above the diagram and
links to it; the exports keep the raw data, JSON as UTF-8 text."""

import json
import re

from app.tasks.operations import claim_task

from .conftest import act, item_for, submit, user


def section(page: str, heading: str) -> str:
    """The card under an <h2> heading, up to the next card."""
    match = re.search(rf"<h2>{heading}</h2>(.*?)</section>", page, re.S)
    assert match, f"no section {heading}"
    return match.group(1)


def forwarded(session):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
    return petition


def test_the_auditors_history_shows_form_labels_option_names_and_agency_names(session, login):
    petition = forwarded(session)
    history = section(login("auditor").get(f"/kiem-tra/{petition.instance_id}").data.decode(), "Lịch sử")
    assert "Hoàn thành công việc: Phân loại PAKN" in history and "Trần Thị Bình" in history
    assert '<dt>Kết quả phân loại</dt><dd class="prewrap">Chuyển cơ quan có thẩm quyền</dd>' in history
    assert "Sở Xây dựng tỉnh Quảng Ngãi" in history
    assert "\\u" not in history and "QNG-SXD" not in history and '"decision"' not in history


def test_the_engines_automatic_steps_are_named_and_unnamed_gateways_left_out(session, login):
    petition = forwarded(session)
    history = section(login("auditor").get(f"/kiem-tra/{petition.instance_id}").data.decode(), "Lịch sử")
    assert "<dt>Bước tự động</dt>" in history
    assert "Kết quả phân loại? → Giao cơ quan chủ trì, phối hợp → Nhận PAKN để giải quyết" in history
    assert "gw_" not in history and "assign_lead_agency" not in history


def test_the_current_step_is_named_above_the_diagram_with_its_holder_and_deadline(session, login):
    petition = forwarded(session)
    claim_task(session, user(session, "handler"), item_for(session, petition, "handle").id)
    page = login("auditor").get(f"/kiem-tra/{petition.instance_id}").data.decode()
    line = re.search(r'<p class="current-step">(.*?)</p>', page, re.S)
    assert line and page.index('class="current-step"') < page.index("<svg")
    text = " ".join(re.sub(r"<[^>]+>", "", line.group(1)).split())
    assert text.startswith("Bước hiện tại: Xử lý, dự thảo văn bản trả lời — người xử lý: Lê Văn Cường")
    assert "(Cán bộ xử lý, Sở Xây dựng tỉnh Quảng Ngãi) · hạn 17:00" in text and "còn 15 ngày làm việc" in text


def test_links_to_a_case_lead_to_its_current_step_on_the_diagram(session, login):
    petition = forwarded(session)
    auditor = login("auditor")
    listing = auditor.get("/kiem-tra/", query_string={"code": petition.tracking_code}).data.decode()
    assert f'href="/kiem-tra/{petition.instance_id}#buoc-hien-tai"' in listing
    page = auditor.get(f"/kiem-tra/{petition.instance_id}").data.decode()
    assert re.search(r'<g class="[^"]*state-active[^"]*" data-element-id="handle" id="buoc-hien-tai"', page)
    assert '<a href="#buoc-hien-tai">Xử lý, dự thảo văn bản trả lời</a>' in page


def test_a_finished_case_says_how_it_ended_instead_of_a_current_step(session, login):
    petition = submit(session)
    act(session, "intake", petition, "classify", decision="reject", reason="Nội dung không thuộc thẩm quyền")
    page = login("auditor").get(f"/kiem-tra/{petition.instance_id}").data.decode()
    assert "Quy trình đã kết thúc</strong>: Đã từ chối" in page and "Bước hiện tại" not in page


def test_the_json_export_is_utf8_text_without_escape_codes_and_keeps_the_raw_data(session, login):
    petition = forwarded(session)
    response = login("auditor").get(f"/kiem-tra/{petition.instance_id}/lich-su.json")
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert b"\\u" not in response.data and "Công trình xây dựng lấn chiếm vỉa hè".encode() in response.data
    steps = json.loads(response.data.decode("utf-8"))["steps"]
    assert steps[1]["data"]["steps"][0] == "gw_classification"  # the engine's own ids, as recorded
