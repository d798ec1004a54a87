"""Passwords: a reset asked by e-mail (the same answer for an unknown address, a link that works once for an hour,
every session ended) and a change by the signed-in owner (current password required, other sessions ended)."""

from datetime import timedelta

import pytest
import time_machine

from app.accounts.login import attempt_login
from app.accounts.passwords import request_password_reset, reset_password_by_mail
from app.accounts.tokens import LinkRefused
from app.db import utcnow

from .accounts_helpers import STRONG, audited, deliver_to, link_path, outbox, received_by
from .conftest import user
from .test_message_delivery import MailServer, certificate  # noqa: F401  (the TLS certificate fixture)
from .web import csrf_token

CITIZEN_EMAIL = "citizen@demo.pakn.vn"  # the demo citizen's
ANSWER = "Nếu địa chỉ"


def ask_reset(client, email):
    return client.post("/quen-mat-khau", data={"email": email, "csrf_token": csrf_token(client, "/quen-mat-khau")})


def reset_token(session, email=CITIZEN_EMAIL) -> str:
    request_password_reset(session, email, "vi", "10.0.0.2")
    return link_path(outbox(session, email, "password_reset")[-1].body).rsplit("/", 1)[1]


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, session):
    unknown, known = ask_reset(client, "nobody@example.vn"), ask_reset(client, CITIZEN_EMAIL)
    assert unknown.status_code == known.status_code == 200
    assert ANSWER in unknown.data.decode() and ANSWER in known.data.decode()
    assert outbox(session, "nobody@example.vn") == [] and len(outbox(session, CITIZEN_EMAIL, "password_reset")) == 1


def test_a_reset_by_mail_sets_the_password_and_ends_every_session(client, login, session, sessions, certificate):  # noqa: F811
    elsewhere = login("citizen")
    assert elsewhere.get("/tai-khoan").status_code == 200
    ask_reset(client, CITIZEN_EMAIL.upper())  # any case of the address
    with MailServer(certificate) as mail:
        deliver_to(sessions, mail)
    [received] = received_by(mail, CITIZEN_EMAIL)
    path = link_path(received.get_content())
    token = csrf_token(client, path)
    weak = client.post(path, data={"password": "short1", "password_confirm": "short1", "csrf_token": token})
    assert weak.status_code == 422 and "«Mật khẩu» cần ít nhất 10 ký tự" in weak.data.decode()
    done = client.post(path, data={"password": STRONG, "password_confirm": STRONG, "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"].endswith("/dang-nhap")
    assert elsewhere.get("/tai-khoan").status_code == 302  # the other browser is signed out
    assert attempt_login(session, "citizen", STRONG, None).user is not None
    assert attempt_login(session, "citizen", "demo123", None).user is None
    [entry] = audited(session, "account.password_reset_by_mail")
    assert entry.actor == "citizen" and '"sessions_ended": 1' in entry.data_text
    assert client.get(path).status_code == 400  # used


def test_a_reset_link_works_once(session):
    token = reset_token(session)
    reset_password_by_mail(session, token, {"password": STRONG, "password_confirm": STRONG}, None)
    with pytest.raises(LinkRefused):
        reset_password_by_mail(session, token, {"password": STRONG + "2", "password_confirm": STRONG + "2"}, None)
    assert len(audited(session, "account.password_reset_by_mail", "refused")) == 1


def test_a_reset_link_expires_after_an_hour(session):
    token = reset_token(session)
    with time_machine.travel(utcnow() + timedelta(minutes=61)), pytest.raises(LinkRefused):
        reset_password_by_mail(session, token, {"password": STRONG, "password_confirm": STRONG}, None)
    assert attempt_login(session, "citizen", "demo123", None).user is not None


def test_staff_reset_by_their_email_too(session):
    assert reset_token(session, "handler@demo.pakn.vn")


def test_reset_requests_are_throttled_per_email_whether_or_not_it_has_an_account(client, session):
    for email in ("nobody@example.vn", CITIZEN_EMAIL):
        answers = [ask_reset(client, email).status_code for _ in range(4)]
        assert answers == [200, 200, 200, 429]
    assert len(outbox(session, CITIZEN_EMAIL, "password_reset")) == 3
    assert len(audited(session, "account.password_reset_requested", "throttled")) == 2


def change(browser, **values):
    return browser.post("/tai-khoan/doi-mat-khau", data={**values, "csrf_token": csrf_token(browser, "/tai-khoan")})


def test_a_signed_in_user_changes_his_password_and_only_his_other_sessions_end(login, session):
    here, elsewhere = login("handler"), login("handler")
    done = change(here, current_password="demo123", new_password=STRONG, password_confirm=STRONG)
    assert done.status_code == 302 and done.headers["Location"].endswith("/tai-khoan")
    assert here.get("/tai-khoan").status_code == 200 and elsewhere.get("/tai-khoan").status_code == 302
    assert attempt_login(session, "handler", STRONG, None).user is not None
    assert '"sessions_ended": 1' in audited(session, "account.password_changed", "ok")[0].data_text


def test_a_wrong_current_password_is_refused_by_name_and_audited(login, session):
    browser = login("citizen")
    page = change(browser, current_password="wrong one", new_password=STRONG, password_confirm=STRONG)
    assert page.status_code == 422 and "«Mật khẩu hiện tại» không đúng." in page.data.decode()
    assert STRONG not in page.data.decode()
    assert len(audited(session, "account.password_changed", "refused")) == 1
    assert attempt_login(session, "citizen", "demo123", None).user is not None
    assert user(session, "citizen").check_password("demo123")
