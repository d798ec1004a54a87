"""Pages in English name what data and models carry in English too: fields (lĩnh vực) in every select, the
process, its diagrams and its automatic steps on the auditor's page, one process as "Process" beside the admin
menu's "Processes"; a staff deadline reminder names its step as the pages do, never by its key."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import select

from app.accounts.models import User
from app.administration.process_choices import choose_process
from app.errors import FormInvalid
from app.petitions.history_values import NOTE_LABELS
from app.petitions.models import CaseDeadline, Notification
from app.scheduler.jobs import run_due_timers
from app.translation import translate

from .conftest import item_for, submit
from .test_auditor_case_page import forwarded
from .web import csrf_token

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def in_english(browser, path: str) -> str:
    """Switch the browser to English (as the language menu does) and read `path`."""
    browser.post("/ngon-ngu/en", data={"csrf_token": csrf_token(browser, path), "next": path})
    response = browser.get(path)
    assert response.status_code == 200, path
    return response.data.decode()


def select_options(page: str, attribute: str) -> str:
    """The options of the <select> that has this attribute (id="…" or name="…")."""
    match = re.search(rf"<select[^>]*\b{attribute}[^>]*>(.*?)</select>", page, re.S)
    assert match, f"no select with {attribute}"
    return match.group(1)


def test_the_field_selects_of_the_portal_and_the_correction_form_name_fields_in_english(session, client, login):
    submit_page = in_english(client, "/gui-phan-anh")
    published = in_english(client, "/cong-khai")
    task = in_english(login("intake"), f"/cong-viec/{item_for(session, submit(session), 'classify').id}")
    for options in (
        select_options(submit_page, 'name="field_code"'),
        select_options(published, 'name="field"'),
        select_options(task, 'id="correct-field"'),
    ):
        assert '<option value="giao-thong"' in options
        assert "Transport" in options and "Giao thông vận tải" not in options


def test_the_auditors_page_names_the_process_its_diagrams_and_its_automatic_steps_in_english(session, login):
    petition = forwarded(session)
    page = in_english(login("auditor"), f"/kiem-tra/{petition.instance_id}")
    assert "Process Receiving and handling feedback and petitions · version" in page
    assert "<h2>Receiving and handling feedback and petitions / Handling and answering the petition</h2>" in page
    history = page.split("<h2>History</h2>")[1]
    # a gateway, a script task and a start event of the called process, as the engine passed them
    assert "Classification result? → Assign the lead and co-handling agencies → Petition received for handling" in (
        history
    )
    assert "Kết quả phân loại?" not in history and "Nhận PAKN để giải quyết" not in history
    headings = re.findall(r"<h1>.*?</h1>|<h2>.*?</h2>|<p class=\"muted\">.*?</p>", page, re.S)
    assert not [text for text in headings if "Tiếp nhận, xử lý" in text or "Giải quyết và trả lời" in text]


def test_one_process_reads_process_while_the_admin_menu_keeps_processes(login):
    page = in_english(login("admin"), "/quan-tri/quy-trinh/")
    menu = re.search(r'<nav class="admin-nav".*?</nav>', page, re.S).group(0)
    assert ">Processes</a>" in menu
    assert "<th>Process</th>" in page and "<th>Processes</th>" not in page


def test_a_staff_deadline_reminder_names_the_step_as_the_pages_do(session, sessions):
    with time_machine.travel(datetime(2026, 4, 15, 9, 0, tzinfo=VN), tick=False):
        petition = forwarded(session)
    # Answer due Mon 11 May 17:00 (tests/test_deadline_flows.py); the reminder fires at the opening of Thu 7 May.
    with time_machine.travel(datetime(2026, 5, 7, 8, 0, tzinfo=VN), tick=False):
        assert run_due_timers(sessions).fired == 1
    bodies = set(session.scalars(select(Notification.body).where(Notification.kind == "answer_reminder")))
    assert bodies == {f"PAKN {petition.tracking_code} sắp đến hạn bước «Xử lý, trả lời»: hạn 17:00 11/05/2026."}
    with time_machine.travel(datetime(2026, 5, 11, 17, 0, 1, tzinfo=VN), tick=False):
        assert run_due_timers(sessions).fired == 1
    overdue = session.scalar(select(Notification.body).where(Notification.kind == "answer_overdue"))
    assert overdue == f"PAKN {petition.tracking_code} đã quá hạn trả lời; cần cập nhật tiến độ."
    assert session.scalar(select(CaseDeadline.overdue_at).where(CaseDeadline.step == "answer")) is not None


def test_one_process_reads_process_in_refusals_and_history_too(session):
    admin = session.scalar(select(User).where(User.username == "admin"))
    with pytest.raises(FormInvalid) as invalid:
        choose_process(session, admin, {"province": "quang-ngai", "channel": "portal", "process_key": ""})
    assert invalid.value.by_field("en")["process_key"] == "“Process” is required."
    assert translate(NOTE_LABELS["process"], "en") == "Process"
