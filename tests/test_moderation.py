"""Hiding a report (seed 002 Art. 11): it leaves every public page and search, stays in the inbox with its
deadline and a flag, is handled all the same, and is shown again; each change audited with its reason."""

import html

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.errors import FormInvalid, PermissionDenied
from app.petitions.moderation import hide_petition, unhide_petition

from .conftest import act, item_for, submit, user
from .test_web_portal import publish
from .web import csrf_token


def text(response) -> str:
    return html.unescape(response.data.decode())


def test_a_hidden_report_leaves_the_public_pages_but_stays_in_the_inbox_and_is_handled(session, client, login):
    petition = submit(session, title="Bình luận xúc phạm cán bộ phường")
    hide_petition(session, user(session, "intake"), petition, "abusive")
    assert "Bình luận xúc phạm" not in text(client.get(f"/tra-cuu/{petition.tracking_code}"))
    inbox = text(login("intake").get("/cong-viec"))
    row = inbox.split(f'id="item-{item_for(session, petition, "classify").id}"')[1].split("</tr>")[0]
    assert "Đã ẩn khỏi cổng công khai" in row and "Bình luận xúc phạm" in row and "ngày làm việc" in row
    act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")  # handled as any case
    handler_page = text(login("handler").get(f"/cong-viec/{item_for(session, petition, 'handle').id}"))
    assert "Đã ẩn khỏi cổng công khai" in handler_page and "Ngôn từ thô tục, xúc phạm" in handler_page
    unhide_petition(session, user(session, "intake"), petition)
    assert "Bình luận xúc phạm" in text(client.get(f"/tra-cuu/{petition.tracking_code}"))
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.petition_id == petition.id)).all()
    assert "petition.hidden" in actions and "petition.unhidden" in actions


def test_a_hidden_answer_leaves_the_published_list_and_its_search(session, client):
    petition = submit(session, title="Quảng cáo bán đất nền ven biển")
    publish(session, petition, "Không thuộc thẩm quyền.", "Đã trả lời")
    assert petition.title in text(client.get("/cong-khai", query_string={"q": "ban dat nen"}))
    hide_petition(session, user(session, "intake"), petition, "advertising")
    assert petition.title not in text(client.get("/cong-khai", query_string={"q": "ban dat nen"}))
    assert petition.title not in text(client.get("/cong-khai"))


def test_refusals_and_rules_of_hiding(session):
    petition = submit(session)
    with pytest.raises(PermissionDenied):
        hide_petition(session, user(session, "handler"), petition, "abusive")
    with pytest.raises(PermissionDenied):
        hide_petition(session, user(session, "intake-lc"), petition, "abusive")  # another province's office
    with pytest.raises(FormInvalid) as refused:
        hide_petition(session, user(session, "intake"), petition, "other")
    assert refused.value.by_field() == {"note": "«Ghi chú lý do» là bắt buộc."}
    with pytest.raises(FormInvalid):
        hide_petition(session, user(session, "intake"), petition, "no-such-reason")
    secret = submit(session)
    act(session, "intake", secret, "classify", decision="state_secret", reason="Bí mật nhà nước")
    with pytest.raises(PermissionDenied):
        unhide_petition(session, user(session, "intake"), secret)  # a state secret is never shown
    refusals = session.scalars(select(AuditEntry.outcome).where(AuditEntry.action.like("petition.%hidden"))).all()
    assert refusals == ["refused"] * 3


def test_a_refused_hiding_keeps_the_clerks_words(session, login):
    petition = submit(session)
    item = item_for(session, petition, "classify")
    clerk = login("intake")
    token = csrf_token(clerk, f"/cong-viec/{item.id}")
    clerk.post(f"/cong-viec/{item.id}/an", data={"csrf_token": token, "reason": "no-such", "note": "Viết lại sau"})
    page = text(clerk.get(f"/cong-viec/{item.id}"))
    assert "Viết lại sau</textarea>" in page and "«Lý do ẩn»" in page
    token = csrf_token(clerk, f"/cong-viec/{item.id}")
    clerk.post(
        f"/cong-viec/{item.id}/an", data={"csrf_token": token, "reason": "other", "note": "Nội dung tuyên truyền"}
    )
    session.refresh(petition)
    assert petition.hidden and petition.hidden_reason == "other" and petition.hidden_note == "Nội dung tuyên truyền"


def test_administrators_keep_the_list_of_reasons(session, login):
    from app.administration.hide_reasons import add_hide_reason, set_hide_reason_active  # noqa: PLC0415

    admin = user(session, "admin")
    add_hide_reason(session, admin, "spam", "Tin rác, gửi hàng loạt", False)
    with pytest.raises(FormInvalid) as refused:
        add_hide_reason(session, admin, "Spam!", "x", False)
    assert set(refused.value.by_field()) == {"code", "name"}
    with pytest.raises(PermissionDenied):
        add_hide_reason(session, user(session, "intake"), "spam2", "Tin rác khác", False)
    petition = submit(session)
    hide_petition(session, user(session, "intake"), petition, "spam")
    set_hide_reason_active(session, admin, "spam", False)
    with pytest.raises(FormInvalid):  # no longer offered for new hidings
        hide_petition(session, user(session, "intake"), submit(session), "spam")
    page = text(login("admin").get("/quan-tri/ly-do-an/"))
    row = page.split('id="reason-spam"')[1].split("</tr>")[0]
    assert "Tin rác, gửi hàng loạt" in row and ">1<" in row and "ngừng dùng" in row  # the hidden report keeps it
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("hide_reason.%"))).all()
    assert actions == ["hide_reason.created", "hide_reason.created", "hide_reason.deactivated"]
