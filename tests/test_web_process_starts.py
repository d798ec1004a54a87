"""The "Bắt đầu quy trình" pages: the list of what a user may start, the start form, refusals audited, errors beside
the fields with the input kept, and the way on to the first task or to a page saying the instance started."""

import json
import re
import shutil

import pytest
from sqlalchemy import func, select

from app.accounts.login import open_login_session
from app.audit.models import AuditEntry
from app.config import ROOT, Config
from app.engine.models import ProcessInstance, WorkItem

from .conftest import user
from .test_process_starts import deploy_leader_review
from .web import csrf_token

START = "/bat-dau/leader_review"
NAME = "Rà soát theo yêu cầu của lãnh đạo"


@pytest.fixture(autouse=True)
def leader_review(session):
    deploy_leader_review(session)


def test_the_staff_menu_leads_to_the_processes_a_leader_may_start(login):
    leader = login("leader")
    assert 'href="/bat-dau/"' in leader.get("/cong-viec").data.decode()
    page = leader.get("/bat-dau/").data.decode()
    assert NAME in page and f'href="{START}"' in page
    assert "/bat-dau/pakn" not in page
    assert NAME not in login("handler").get("/bat-dau/").data.decode()


def test_someone_outside_the_starter_groups_is_refused_and_audited(login, session):
    handler = login("handler")
    assert handler.get(START).status_code == 403
    refused = handler.post(START, data={"csrf_token": csrf_token(handler, "/bat-dau/"), "month": "11/2026"})
    assert refused.status_code == 403
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "process.start")).all()
    assert [(e.actor, e.outcome) for e in entries] == [("handler", "refused"), ("handler", "refused")]
    assert login("citizen").get(START).status_code == 403


def test_the_start_form_shows_the_models_fields_the_readonly_default_and_the_leaders_own_agency(login):
    page = login("leader").get(START).data.decode()
    assert 'name="month"' in page and "Tháng rà soát (MM/YYYY)" in page
    assert "Toàn bộ PAKN cơ quan tiếp nhận, giải quyết trong tháng" in page and "readonly" in page
    assert 'value="QNG-SXD" selected' in page and "QNG-SNNMT" not in page


def test_a_refused_start_form_keeps_the_input_and_names_the_field(login, session):
    leader = login("leader")
    sent = {"csrf_token": csrf_token(leader, START), "month": "11", "agency": "QNG-SXD", "notes": "Giữ ghi chú này"}
    refused = leader.post(START, data=sent)
    page = refused.data.decode()
    assert refused.status_code == 422
    assert "«Tháng rà soát (MM/YYYY)» cần ít nhất 7 ký tự." in page
    assert 'value="11"' in page and "Giữ ghi chú này" in page
    assert session.scalar(select(func.count()).select_from(ProcessInstance)) == 0


def test_a_valid_start_leads_to_the_review_task_which_the_leader_completes(login, session):
    leader = login("leader")
    sent = {"csrf_token": csrf_token(leader, START), "month": "11/2026", "agency": "QNG-SXD", "notes": ""}
    started = leader.post(START, data=sent)
    item = session.scalar(select(WorkItem).where(WorkItem.bpmn_id == "review_month"))
    assert started.status_code == 302 and started.headers["Location"] == f"/cong-viec/{item.id}"
    task_page = leader.get(f"/cong-viec/{item.id}").data.decode()
    assert "Thông tin quy trình" in task_page and "Phạm Thị Dung" in task_page and "Bắt đầu quy trình" in task_page
    assert NAME in leader.get("/cong-viec").data.decode()
    token = csrf_token(leader, f"/cong-viec/{item.id}")
    claimed = leader.post(f"/cong-viec/{item.id}/nhan", data={"csrf_token": token}, follow_redirects=True)
    assert "Đã nhận công việc «Rà soát tình hình giải quyết PAKN trong tháng»." in claimed.data.decode()
    done = leader.post(f"/cong-viec/{item.id}", data={"csrf_token": token, "findings": "Đã rà soát đủ"})
    assert done.status_code == 302
    session.refresh(item)
    assert item.state == "completed" and item.completed_by == "leader"


def test_an_administrator_starting_a_process_is_told_the_instance_started(login, session):
    from .test_process_starts import deploy_request  # noqa: PLC0415

    deploy_request(session)
    admin = login("admin")
    started = admin.post("/bat-dau/internal_request", data={"csrf_token": csrf_token(admin, "/bat-dau/"),
                                                             "subject": "Xin mẫu báo cáo"})  # fmt: skip
    assert started.status_code == 302 and started.headers["Location"] == "/bat-dau/"
    instance = session.scalar(select(ProcessInstance))
    assert f"Đã bắt đầu quy trình «Đề nghị nội bộ» (số {instance.id})." in admin.get("/bat-dau/").data.decode()


def test_the_auditor_finds_the_started_instance_and_sees_it_on_its_diagram(login):
    leader = login("leader")
    leader.post(START, data={"csrf_token": csrf_token(leader, START), "month": "11/2026", "agency": "QNG-SXD"})
    auditor = login("auditor")
    listing = auditor.get("/kiem-tra/").data.decode()
    assert "Quy trình bắt đầu thủ công" in listing and "Phạm Thị Dung" in listing
    [instance_id] = re.findall(r'href="/kiem-tra/(\d+)#buoc-hien-tai">\d+<', listing)
    page = auditor.get(f"/kiem-tra/{instance_id}").data.decode()
    assert "<svg" in page and "Rà soát tình hình giải quyết PAKN trong tháng" in page
    assert "«11/2026»" not in page and "11/2026" in page  # the start form's values in the history


def test_a_camunda_form_on_the_start_event_is_shown_and_refusals_name_its_fields(db_url, session, tmp_path):
    """A start event with camunda:formRef: the form-js fields on the start page, errors beside them, kept."""
    from app import create_app  # noqa: PLC0415

    from .test_process_starts import START_FORM, deploy_request  # noqa: PLC0415

    forms = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", forms)
    (forms / "internal-request.form").write_text(json.dumps(START_FORM), encoding="utf-8")
    start = 'camunda:formRef="internal-request" camunda:formRefBinding="latest"'
    deploy_request(session, starters='camunda:candidateStarterGroups="handler"', start=start, forms=forms)
    app = create_app(Config(database_url=db_url, testing=True, demo_data=True, forms_dir=forms))
    handler = app.test_client()
    token = open_login_session(session, user(session, "handler"), "127.0.0.1")
    session.commit()
    with handler.session_transaction() as cookie:
        cookie["_user_id"], cookie["_fresh"], cookie["login"] = str(user(session, "handler").id), True, token
    page = handler.get("/bat-dau/internal_request").data.decode()
    assert 'name="subject"' in page and "Nội dung đề nghị" in page and 'name="copies"' in page and "Số bản" in page
    sent = {"csrf_token": csrf_token(handler, "/bat-dau/internal_request"), "subject": "", "copies": "0"}
    refused = handler.post("/bat-dau/internal_request", data=sent)
    assert refused.status_code == 422
    assert "«Nội dung đề nghị» là bắt buộc." in refused.data.decode() and 'value="0"' in refused.data.decode()
    assert session.scalar(select(func.count()).select_from(ProcessInstance)) == 0
    started = handler.post("/bat-dau/internal_request", data={**sent, "subject": "Xin mẫu", "copies": "2"})
    assert started.status_code == 302 and session.scalar(select(func.count()).select_from(ProcessInstance)) == 1
    app.extensions["pakn"]["engine"].dispose()
