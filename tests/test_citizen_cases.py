"""A citizen's cases under his account: one sent without it is attached with its secret key (never another
account's, refusals audited); the steps he has not seen are counted in the header until he opens the case."""

import pytest
from sqlalchemy import select

from app.accounts.citizen_cases import AttachRefused, attach_case, mark_case_seen, unread_updates
from app.accounts.models import User
from app.petitions.models import Petition

from .accounts_helpers import audited
from .conftest import act, submit, user
from .web import csrf_token


def other_citizen(session) -> User:
    other = User(username="khac@example.vn", email="khac@example.vn", full_name="Người Khác", role="citizen")
    other.set_password("Mat khau khac 1")
    session.add(other)
    session.commit()
    return other


def wrong_key(key: str) -> str:
    """The key with its last character changed (a random key may already end with any given character)."""
    return key[:-1] + ("y" if key.endswith("x") else "x")


def test_a_citizen_attaches_a_case_he_sent_without_an_account(session):
    petition = submit(session, username=None)
    citizen = user(session, "citizen")
    attach_case(session, citizen, petition, petition.sender_key)
    assert session.get(Petition, petition.id).sender_user_id == citizen.id
    [entry] = audited(session, "petition.attached")
    assert (entry.actor, entry.outcome, entry.petition_id) == ("citizen", "ok", petition.id)


def test_a_wrong_key_is_refused_and_audited(session):
    petition = submit(session, username=None)
    with pytest.raises(AttachRefused):
        attach_case(session, user(session, "citizen"), petition, wrong_key(petition.sender_key))
    assert session.get(Petition, petition.id).sender_user_id is None
    [entry] = audited(session, "petition.attached", "refused")
    assert entry.petition_id == petition.id and "wrong secret key" in entry.data_text


def test_a_case_of_another_account_is_refused_even_with_its_key(session):
    petition = submit(session)  # the demo citizen's own
    with pytest.raises(AttachRefused):
        attach_case(session, other_citizen(session), petition, petition.sender_key)
    assert session.get(Petition, petition.id).sender_user_id == user(session, "citizen").id
    assert "another account" in audited(session, "petition.attached", "refused")[0].data_text


def test_a_browser_that_opened_the_senders_link_attaches_the_case_without_typing_its_key(login, session):
    petition = submit(session, username=None)
    browser = login("citizen")
    browser.get(f"/ho-so/{petition.tracking_code}/{petition.sender_key}")
    form = f"/tai-khoan/gan-ho-so/{petition.tracking_code}"
    assert "bằng liên kết riêng" in browser.get(form).data.decode()
    done = browser.post(form, data={"csrf_token": csrf_token(browser, form)})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/tra-cuu/{petition.tracking_code}")
    session.expire_all()
    assert session.get(Petition, petition.id).sender_user_id == user(session, "citizen").id


def test_the_code_and_key_form_refuses_a_wrong_key_with_a_message(login, session):
    petition = submit(session, username=None)
    browser = login("citizen")
    page = browser.post(
        "/tai-khoan/gan-ho-so",
        data={
            "code": petition.tracking_code,
            "key": "doan-bua",
            "csrf_token": csrf_token(browser, "/tai-khoan/gan-ho-so"),
        },
    )
    assert page.status_code == 403 and "mã bí mật không đúng" in page.data.decode()
    assert petition.tracking_code in page.data.decode()  # what he typed is kept (not the key)
    session.expire_all()
    assert session.get(Petition, petition.id).sender_user_id is None


def test_unread_updates_rise_with_a_new_step_and_fall_once_the_case_is_seen(session):
    citizen = user(session, "citizen")
    before = unread_updates(session, citizen)
    petition = submit(session)
    assert unread_updates(session, citizen) == before + 1  # its receipt
    mark_case_seen(session, citizen, petition)
    assert unread_updates(session, citizen) == before
    act(session, "intake", petition, "classify", decision="request_info", reason="Cần địa chỉ cụ thể")
    assert unread_updates(session, citizen) == before + 1
    mark_case_seen(session, user(session, "intake"), petition)  # anyone else's view changes nothing
    assert unread_updates(session, citizen) == before + 1
    mark_case_seen(session, citizen, petition)
    assert unread_updates(session, citizen) == before


def test_the_header_counts_unread_updates_and_my_cases_mark_them(login, session):
    citizen = user(session, "citizen")
    for petition in session.scalars(select(Petition).where(Petition.sender_user_id == citizen.id)):
        mark_case_seen(session, citizen, petition)
    browser = login("citizen")
    assert "Cập nhật mới" not in browser.get("/").data.decode()
    petition = submit(session)
    assert "Cập nhật mới (1)" in browser.get("/").data.decode()
    mine = browser.get("/cua-toi").data.decode()
    assert mine.count("Có cập nhật mới") == 1
    mark_case_seen(session, citizen, petition)
    assert "Cập nhật mới" not in browser.get("/").data.decode()
