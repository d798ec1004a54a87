"""The clerks' tasklist pages: inbox and filters, claims, generated task forms, refusals, print view, clerk entry."""

import re
from datetime import timedelta
from pathlib import Path

import time_machine
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.db import utcnow
from app.petitions.models import Petition

from .conftest import act, item_for, submit, valid_submission
from .web import csrf_token, log_in

FORWARD = {"decision": "forward", "lead_agency": "QNG-SXD"}
WEB = Path(__file__).resolve().parent.parent / "app" / "web"


def post(browser, path, data, token_from=None):
    token = csrf_token(browser, token_from or path)
    return browser.post(path, data={**data, "csrf_token": token})


def field_block(page: str, field_id: str) -> str:
    """The HTML of one generated field (its wrapper div)."""
    match = re.search(rf'<div class="field[^"]*" id="field-{field_id}".*?</div>', page, re.S)
    assert match, f"no field {field_id}"
    return match.group(0)


def cf_block(page: str, key: str) -> str:
    """The HTML of one Camunda Form component, up to the next row."""
    start = rf'<div class="cf-component[^"]*"[^>]*data-cf-key="{key}"'
    match = re.search(start + r'.*?(?=<div class="cf-row">|$)', page, re.S)
    assert match, f"no component {key}"
    return match.group(0)


def refusals(session):
    return session.scalars(select(AuditEntry).where(AuditEntry.outcome == "refused").order_by(AuditEntry.id)).all()


def test_the_inbox_shows_the_classification_to_intake_only(session, login):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    page = login("intake").get("/cong-viec").data.decode()
    row = re.search(rf'<tr id="item-{item.id}">.*?</tr>', page, re.S).group(0)
    assert petition.tracking_code in row and petition.title in row and "Phân loại PAKN" in row
    assert "Văn phòng UBND tỉnh Quảng Ngãi" in row and "chưa nhận" in row and "Quảng Ngãi" in row
    assert 'class="badge ok">còn 5 ngày làm việc' in row and 'data-label="Hạn xử lý"' in row
    assert f'action="/cong-viec/{item.id}/nhan"' in row  # claim button, a POST form with the CSRF token
    handler_page = login("handler").get("/cong-viec").data.decode()
    assert petition.tracking_code not in handler_page and "Hiện chưa có công việc nào." in handler_page


def test_menu_entries_and_who_may_open_the_pages(app, client, login):
    assert log_in(client, "intake").status_code == 302  # once through the real login form
    intake = client.get("/").data.decode()
    assert 'href="/cong-viec"' in intake and "Công việc của tôi" in intake and "Nhập PAKN" in intake
    handler = login("handler")
    assert "Nhập PAKN" not in handler.get("/").data.decode()
    assert handler.get("/cong-viec/tiep-nhan").status_code == 403
    assert login("citizen").get("/cong-viec").status_code == 403
    anonymous = app.test_client().get("/cong-viec")
    assert anonymous.status_code == 302 and "/dang-nhap" in anonymous.headers["Location"]


def test_claim_then_unclaim(session, login):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    intake = login("intake")
    claimed = post(intake, f"/cong-viec/{item.id}/nhan", {"next": "/cong-viec?due="}, token_from="/cong-viec")
    assert claimed.status_code == 302 and claimed.headers["Location"] == "/cong-viec?due="
    page = intake.get("/cong-viec").data.decode()
    assert "Đã nhận công việc «Phân loại PAKN»" in page and "Trần Thị Bình" in page and "(tôi)" in page
    assert f'action="/cong-viec/{item.id}/tra-lai"' in page
    session.refresh(item)
    assert item.assignee == "intake"
    given_back = post(intake, f"/cong-viec/{item.id}/tra-lai", {"next": "//evil.example/"}, token_from="/cong-viec")
    assert given_back.headers["Location"] == "/cong-viec"  # never to another site
    session.refresh(item)
    assert item.assignee is None
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.petition_id == petition.id)).all()
    assert actions[-2:] == ["task.claimed", "task.unclaimed"]


def test_classifying_forward_moves_the_case_to_the_agencys_handlers(session, login):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    intake = login("intake")
    form = intake.get(f"/cong-viec/{item.id}").data.decode()
    assert 'data-cf-form="pakn-classify"' in form and "camunda-forms.js" in form  # the Camunda Form from forms/
    assert cf_block(form, "decision").count('<input type="radio"') == 7
    assert '<option value="QNG-SXD">Sở Xây dựng tỉnh Quảng Ngãi</option>' in cf_block(form, "lead_agency")
    assert "multiple" in cf_block(form, "co_agencies") and "<textarea" in cf_block(form, "reason")
    assert 'data-cf-maxlength="4000"' in cf_block(form, "reason")  # hidden until a reason is needed
    response = post(intake, f"/cong-viec/{item.id}", FORWARD)
    assert response.status_code == 302 and response.headers["Location"] == "/cong-viec"
    assert "Đã hoàn thành «Phân loại PAKN»" in intake.get("/cong-viec").data.decode()
    session.refresh(petition)
    assert petition.status == "handling"
    handler = login("handler")
    inbox = handler.get("/cong-viec").data.decode()
    assert petition.tracking_code in inbox and "Xử lý, dự thảo văn bản trả lời" in inbox
    handle = item_for(session, petition, "handle")
    page = handler.get(f"/cong-viec/{handle.id}").data.decode()
    assert "Hoàn thành công việc: Phân loại PAKN" in page and "Chuyển cơ quan có thẩm quyền" in page
    assert "<dt>Cơ quan chủ trì xử lý</dt><dd>Sở Xây dựng tỉnh Quảng Ngãi</dd>" in page  # names, not codes
    assert "<dt>Xã, phường, đặc khu</dt><dd>Phường Kon Tum</dd>" in page
    action = cf_block(page, "action")
    assert action.count('<input type="radio"') == 6 and re.search(r'value="answer"[^>]* checked', action)
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in cf_block(page, "documents")


def test_an_invalid_form_is_shown_again_with_the_errors_and_the_typed_values(session, login):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    intake = login("intake")
    typed = {"decision": "reject", "reason": "", "lead_agency": "QNG-SNNMT", "co_agencies": ["QNG-SYT", "QNG-SXD"]}
    response = post(intake, f"/cong-viec/{item.id}", typed)
    page = response.data.decode()
    assert response.status_code == 422
    reason = cf_block(page, "reason")
    assert "«Lý do / nội dung đề nghị» là bắt buộc." in reason and " hidden" not in reason.split(">")[0]
    assert re.search(r'value="reject"[^>]* checked', cf_block(page, "decision"))
    assert re.search(r'<option value="QNG-SNNMT"[^>]* selected', cf_block(page, "lead_agency"))  # hidden, kept
    assert re.search(r'<option value="QNG-SYT"[^>]* selected', cf_block(page, "co_agencies"))
    assert re.search(r'<option value="QNG-SXD"[^>]* selected', cf_block(page, "co_agencies"))
    missing = post(intake, f"/cong-viec/{item.id}", {"reason": "Nội dung không rõ <ràng>"})
    page = missing.data.decode()
    assert missing.status_code == 422
    assert "«Kết quả phân loại» là bắt buộc." in cf_block(page, "decision")
    assert "Nội dung không rõ &lt;ràng&gt;</textarea>" in page  # kept, and escaped
    assert item_for(session, petition, "classify").state == "ready"


def test_a_task_finished_meanwhile_is_a_clear_conflict(session, login):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    intake = login("intake")
    token = csrf_token(intake, f"/cong-viec/{item.id}")
    act(session, "intake", petition, "classify", **FORWARD)  # e.g. in another tab
    response = intake.post(f"/cong-viec/{item.id}", data={**FORWARD, "csrf_token": token})
    page = response.data.decode()
    assert response.status_code == 409
    assert "Công việc đã được" in page and "hoàn thành lúc" in page and 'href="/cong-viec"' in page


def test_another_agencys_handler_is_refused_and_the_refusal_audited(session, login):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    handle = item_for(session, petition, "handle")
    other = login("handler2")
    assert other.get(f"/cong-viec/{handle.id}").status_code == 403
    assert other.get(f"/cong-viec/{handle.id}/in").status_code == 403
    token = csrf_token(other, "/cong-viec")
    refused = other.post(f"/cong-viec/{handle.id}", data={"action": "answer", "answer": "x", "csrf_token": token})
    assert refused.status_code == 403
    assert [(r.actor, r.action) for r in refusals(session)] == [
        ("handler2", "task.view"),
        ("handler2", "task.view"),
        ("handler2", "task.complete"),
    ]
    assert refusals(session)[0].data["work_item"] == handle.id
    assert item_for(session, petition, "handle").state == "ready"


def test_an_auditor_reads_a_task_but_cannot_complete_it(session, login):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    auditor = login("auditor")
    response = auditor.get(f"/cong-viec/{item.id}")
    page = response.data.decode()
    assert response.status_code == 200 and petition.content in page
    assert '<fieldset class="plain" disabled>' in page and ">Hoàn thành</button>" not in page
    assert "Chế độ chỉ xem" in page and "Nhận việc" not in page
    token = csrf_token(auditor, f"/cong-viec/{item.id}")
    assert auditor.post(f"/cong-viec/{item.id}", data={**FORWARD, "csrf_token": token}).status_code == 403
    assert auditor.post(f"/cong-viec/{item.id}/nhan", data={"csrf_token": token}).status_code == 403
    assert item_for(session, petition, "classify").assignee is None
    assert [r.actor for r in refusals(session)] == ["auditor", "auditor"]


def test_inbox_filters_are_applied_and_kept(session, login):
    building = submit(session)
    health = submit(session, field_code="y-te", title="Bệnh viện thu phí sai quy định")
    intake = login("intake")
    page = intake.get("/cong-viec?field=y-te&status=classifying&province=quang-ngai").data.decode()
    assert health.tracking_code in page and building.tracking_code not in page
    assert '<option value="y-te" selected>' in page and '<option value="quang-ngai" selected>' in page
    assert '<option value="classifying" selected>' in page and "Bỏ lọc" in page
    assert building.tracking_code not in intake.get("/cong-viec?province=lai-chau").data.decode()
    assert health.tracking_code not in intake.get("/cong-viec?due=overdue").data.decode()
    with time_machine.travel(utcnow() + timedelta(days=15), tick=False):
        intake = login("intake")  # a session idle for 15 days has ended
        late = intake.get("/cong-viec?due=overdue").data.decode()
        assert building.tracking_code in late and health.tracking_code in late
        assert 'class="badge late">quá hạn' in late and '<option value="overdue" selected>' in late
        assert building.tracking_code not in intake.get("/cong-viec?due=soon").data.decode()


def test_the_print_view_has_the_full_case_and_its_steps(session, login):
    petition = submit(session)
    act(session, "intake", petition, "classify", **FORWARD)
    handle = item_for(session, petition, "handle")
    response = login("handler").get(f"/cong-viec/{handle.id}/in")
    page = response.data.decode()
    assert response.status_code == 200 and "<script" not in page
    assert f"Phiếu theo dõi PAKN {petition.tracking_code}" in page and f"/cong-viec/{handle.id}/ho-so.pdf" in page
    for text in (petition.content, petition.sender_name, petition.sender_address, "0912345678", "Thư điện tử"):
        assert text in page
    assert "Tiếp nhận PAKN" in page and "Hoàn thành công việc: Phân loại PAKN" in page and "Trần Thị Bình" in page
    assert "Xử lý, trả lời" in page  # the running deadline of the answer


def test_a_clerk_enters_a_letter(session, login):
    intake = login("intake")
    form = intake.get("/cong-viec/tiep-nhan").data.decode()
    assert '<option value="letter" selected>' in form and '<option value="portal"' not in form
    assert '<option value="quang-ngai" selected>' in form  # the clerk's province
    before = session.scalar(select(func.count(Petition.id)))
    letter = valid_submission(channel="letter", title="", content="Thư phản ánh về việc đổ rác thải sai quy định.")
    refused = post(intake, "/cong-viec/tiep-nhan", letter)
    page = refused.data.decode()
    assert refused.status_code == 422
    assert "«Tiêu đề» là bắt buộc." in field_block(page, "title")
    assert "Thư phản ánh về việc đổ rác thải sai quy định.</textarea>" in page
    assert 'value="Nguyễn Văn An"' in page and '<option value="letter" selected>' in page
    assert session.scalar(select(func.count(Petition.id))) == before
    done = post(intake, "/cong-viec/tiep-nhan", {**letter, "title": "Đổ rác thải sai quy định"})
    assert done.status_code == 302
    petition = session.scalar(select(Petition).order_by(Petition.id.desc()))
    assert (petition.channel, petition.entered_by) == ("letter", "intake")
    page = intake.get(done.headers["Location"]).data.decode()
    assert petition.tracking_code in page and "Phân loại ngay" in page
    portal = post(intake, "/cong-viec/tiep-nhan", {**letter, "channel": "portal", "title": "Cổng"})
    assert portal.status_code == 422 and "«Kênh tiếp nhận» phải là một trong" in portal.data.decode()


def test_the_clerks_entry_form_lists_the_communes_of_the_chosen_province(session, login):
    intake = login("intake")
    form = intake.get("/cong-viec/tiep-nhan").data.decode()
    assert '<option value="23293">Phường Kon Tum</option>' in field_block(form, "commune_code")  # his province's
    assert "Phường Tân Phong" not in form
    letter = valid_submission(channel="letter", province_code="lai-chau", commune_code="")
    shown = post(intake, "/cong-viec/tiep-nhan", {**letter, "chon_tinh": "1"})  # without JavaScript
    assert shown.status_code == 200 and '<option value="3408">Phường Tân Phong</option>' in shown.data.decode()
    assert session.scalar(select(func.count(Petition.id))) == 0


def test_a_clerks_entry_with_a_commune_of_another_province_is_refused_and_kept(session, login):
    intake = login("intake")
    letter = valid_submission(channel="letter", commune_code="3408")  # Phường Tân Phong, Lai Châu
    refused = post(intake, "/cong-viec/tiep-nhan", letter)
    commune = field_block(refused.data.decode(), "commune_code")
    assert refused.status_code == 422 and "Phường Tân Phong không thuộc Quảng Ngãi" in commune
    assert letter["content"] in refused.data.decode()
    assert session.scalar(select(func.count(Petition.id))) == 0
    done = post(intake, "/cong-viec/tiep-nhan", {**letter, "commune_code": "23293"})
    assert done.status_code == 302
    assert session.scalar(select(Petition.commune_code)) == 23293


def test_english_labels_after_switching_language(session, login):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    intake = login("intake")
    intake.post("/ngon-ngu/en", data={"csrf_token": csrf_token(intake, "/cong-viec"), "next": "/cong-viec"})
    inbox = intake.get("/cong-viec").data.decode()
    assert "My tasks" in inbox and "Classify the petition" in inbox and "not claimed" in inbox
    assert "5 working days left" in inbox and "Field" in inbox and "Claim" in inbox
    response = post(intake, f"/cong-viec/{item.id}", {"decision": "reject"})
    page = response.data.decode()
    assert response.status_code == 422 and "Classification result" in page
    assert "“Reason / request to the sender” is required." in cf_block(page, "reason")
    assert "Enter a petition" in intake.get("/cong-viec/tiep-nhan").data.decode()


def test_every_text_of_the_task_pages_has_an_english_translation():
    from babel.messages.pofile import read_po  # noqa: PLC0415

    catalog = {}
    for po in (WEB / "translations" / "en" / "LC_MESSAGES").glob("*.po"):
        with po.open("rb") as handle:
            catalog.update({m.id: m.string for m in read_po(handle) if m.id})
    sources = [*(WEB / "templates" / "tasks").glob("*.html"), WEB / "pages" / "tasks.py"]
    sources += (WEB / "tasklist").glob("*.py")
    used = set()
    for source in sources:
        used |= set(re.findall(r'_\(\s*"([^"]+)"', source.read_text(encoding="utf-8")))
    from app.audit.actions import ACTIONS, OUTCOMES  # noqa: PLC0415
    from app.deadlines.status import VERDICTS  # noqa: PLC0415
    from app.petitions.catalog import DEFAULT_FIELDS, STEPS  # noqa: PLC0415
    from app.petitions.validation import LABELS  # noqa: PLC0415
    from app.web.tasklist import inbox  # noqa: PLC0415

    used |= {*STEPS.values(), *VERDICTS.values(), *ACTIONS.values()}
    used |= {*OUTCOMES.values(), *inbox.DUE_LABELS.values(), *LABELS.values(), *DEFAULT_FIELDS.values()}
    missing = sorted(text for text in used if not catalog.get(text))
    assert missing == []


def test_each_field_type_gets_its_control_and_its_constraints_as_attributes():
    from app.engine.forms import FormField  # noqa: PLC0415
    from app.tasks.task_forms import GeneratedTaskForm  # noqa: PLC0415

    fields = [
        FormField("days", "Số ngày", "long", constraints={"required": None, "min": "1", "max": "30"}),
        FormField("visit_on", "Ngày kiểm tra", "date"),
        FormField("urgent", "Khẩn", "boolean", default="false"),
        FormField("code", "Mã", "string", default="QNG-01", constraints={"readonly": None, "maxlength": "20"}),
        FormField("note", "Ghi chú", "string"),
        FormField("summary", "Tóm tắt", "string", constraints={"maxlength": "200", "minlength": "5"}),
        FormField("level", "Mức độ", "enum", options=[(str(n), f"Mức {n}") for n in range(1, 6)]),
    ]
    page = GeneratedTaskForm(fields).render({}, {"days": "40", "urgent": "true", "code": "QNG-01"})
    assert '<input id="f-days" name="days" type="number" value="40"' in page
    days = field_block(page, "days")
    assert all(attr in days for attr in ('min="1"', 'max="30"', 'required="required"', 'class="required-mark"'))
    assert 'type="date"' in field_block(page, "visit_on")
    assert 'type="checkbox"' in field_block(page, "urgent") and "checked" in field_block(page, "urgent")
    assert 'readonly="readonly"' in field_block(page, "code") and 'value="QNG-01"' in field_block(page, "code")
    assert "<textarea" in field_block(page, "note")  # no maxlength, and "note" in its id
    summary = field_block(page, "summary")
    assert 'type="text"' in summary and 'minlength="5"' in summary and 'maxlength="200"' in summary
    assert "<select" in field_block(page, "level") and 'type="radio"' not in page  # 5 values: a select
