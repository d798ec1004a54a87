"""Before writing, a sender reads what the portal does not take and whom to call in an emergency: 113, 114, 115
and the province's own numbers, which its administrator keeps (refused lines named, the change audited)."""

import html

import pytest
from sqlalchemy import select

from app.administration.provinces import set_hotlines
from app.agencies.models import Province
from app.audit.models import AuditEntry
from app.errors import FormInvalid, PermissionDenied

from .conftest import user
from .web import csrf_token


def page(client, path="/gui-phan-anh") -> str:
    return html.unescape(client.get(path).data.decode())


def test_the_submission_page_names_what_is_not_taken_and_the_emergency_numbers(client):
    shown = page(client).split('enctype="multipart/form-data"')[0]  # before the submission form
    assert "khiếu nại, tố cáo (gửi theo Luật Khiếu nại, Luật Tố cáo)" in shown
    assert "tôn giáo, tín ngưỡng, phong tục tập quán" in shown
    for number in ("113", "114", "115"):
        assert f'href="tel:{number}"' in shown
    assert "(số mẫu của bản demo)" in shown  # the demo provinces' own numbers


def test_an_administrator_keeps_the_provinces_numbers_and_bad_lines_are_named(session, client):
    admin = user(session, "admin")
    with pytest.raises(FormInvalid) as refused:
        set_hotlines(session, admin, "lai-chau", "Đường dây nóng | 0213 3876 543\nkhông có số\nTổng đài | abc")
    assert refused.value.by_field()["hotlines"].startswith("«Số điện thoại đường dây nóng của tỉnh»: dòng 2, 3")
    set_hotlines(session, admin, "lai-chau", " Đường dây nóng UBND tỉnh | 0213 3876 543 \n\nTổng đài 1022 | 1022")
    assert (
        session.get(Province, "lai-chau").hotlines == "Đường dây nóng UBND tỉnh | 0213 3876 543\nTổng đài 1022 | 1022"
    )
    changed = session.scalar(select(AuditEntry).where(AuditEntry.action == "province.hotlines_changed"))
    assert changed.actor == "admin" and "0213 3876 543" in changed.data_text
    shown = page(client, "/gui-phan-anh")
    assert 'href="tel:021338765' in shown.replace(" ", "") and "Tổng đài 1022" in shown


def test_only_administrators_change_them_and_the_page_keeps_a_refused_input(session, login):
    with pytest.raises(PermissionDenied):
        set_hotlines(session, user(session, "intake"), "quang-ngai", "X | 113")
    browser = login("admin")
    token = csrf_token(browser, "/quan-tri/tinh/quang-ngai")
    answer = browser.post("/quan-tri/tinh/quang-ngai/duong-day-nong", data={"csrf_token": token, "hotlines": "sai"})
    assert (
        answer.status_code == 422 and "sai" in answer.data.decode() and "dòng 1" in html.unescape(answer.data.decode())
    )
