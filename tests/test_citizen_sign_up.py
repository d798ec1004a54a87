"""A citizen signs up with his e-mail, receives the verification link from a real SMTP server, opens it and is
signed in; the link is single-use, expires after 48 hours and a forged one opens nothing."""

from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.accounts.login import attempt_login
from app.accounts.models import AccountToken, User
from app.accounts.signup import sign_up, verify_email
from app.accounts.tokens import LinkRefused
from app.db import utcnow

from .accounts_helpers import STRONG, audited, deliver_to, link_path, outbox, received_by, sign_up_form
from .test_message_delivery import MailServer, certificate  # noqa: F401  (the TLS certificate fixture)
from .web import csrf_token

EMAIL = "binh.tran@example.vn"


def account(session, email=EMAIL) -> User | None:
    session.expire_all()
    return session.scalar(select(User).where(User.username == email))


def signed_up(session, email=EMAIL) -> str:
    """Sign up in the domain; the verification link's token."""
    raw = {"full_name": "Trần Thị Bình", "email": email, "password": STRONG, "password_confirm": STRONG}
    sign_up(session, raw, "vi", "10.0.0.1")
    [message] = outbox(session, email, "account_verify")
    return link_path(message.body).rsplit("/", 1)[1]


def test_a_citizen_signs_up_receives_the_mail_opens_its_link_and_is_signed_in(client, session, sessions, certificate):  # noqa: F811
    answer = client.post("/dang-ky", data=sign_up_form(client))
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/dang-ky/kiem-tra-thu")
    assert EMAIL in client.get("/dang-ky/kiem-tra-thu").data.decode()
    user = account(session)
    assert (user.role, user.active, user.awaiting_verification, user.email) == ("citizen", False, True, EMAIL)
    with MailServer(certificate) as mail:
        deliver_to(sessions, mail)
    [received] = received_by(mail, EMAIL)
    assert received["Subject"] == "PAKN: xác nhận địa chỉ thư điện tử"
    path = link_path(received.get_content())
    assert client.get("/tai-khoan").status_code == 302  # not signed in yet
    assert "Kích hoạt tài khoản" in client.get(path).data.decode()
    done = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert done.status_code == 302 and done.headers["Location"].endswith("/tai-khoan")
    page = client.get("/tai-khoan").data.decode()
    assert EMAIL in page and "Đăng xuất" in page and "Tài khoản đã được kích hoạt" in page
    user = account(session)
    assert user.active and not user.awaiting_verification
    assert [entry.actor for entry in audited(session, "account.verified")] == [EMAIL]
    [sent] = outbox(session, EMAIL, "account_verify")
    assert sent.state == "sent" and path not in sent.body  # the outbox keeps no live link once it has left


def test_the_login_name_is_the_email_whatever_its_case_once_verified(session):
    token = signed_up(session)
    assert attempt_login(session, "Binh.Tran@EXAMPLE.vn", STRONG, "10.0.0.1").user is None  # not verified yet
    verify_email(session, token, "10.0.0.1")
    assert attempt_login(session, "Binh.Tran@EXAMPLE.vn", STRONG, "10.0.0.1").user.username == EMAIL


def test_a_verification_link_works_once(session):
    token = signed_up(session)
    verify_email(session, token, None)
    with pytest.raises(LinkRefused):
        verify_email(session, token, None)
    assert len(audited(session, "account.verified", "refused")) == 1


def test_a_verification_link_expires_after_48_hours(session):
    token = signed_up(session)
    with time_machine.travel(utcnow() + timedelta(hours=48, minutes=1)), pytest.raises(LinkRefused):
        verify_email(session, token, None)
    assert not account(session).active


def test_a_forged_link_opens_nothing_and_only_the_hash_is_stored(client, session):
    token = signed_up(session)
    assert session.scalar(select(AccountToken.token_hash)) != token  # the secret itself is not in the table
    forgery = token[:-2] + ("yy" if token.endswith("xx") else "xx")  # a random token may end with "xx" itself
    page = client.get(f"/tai-khoan/xac-nhan/{forgery}")
    assert page.status_code == 400 and "Liên kết sai, đã hết hạn hoặc đã được dùng" in page.data.decode()
    forged = client.post(f"/tai-khoan/xac-nhan/{forgery}", data={"csrf_token": csrf_token(client, "/dang-ky")})
    assert forged.status_code == 400 and not account(session).active
    assert len(audited(session, "account.verified", "refused")) == 1


def test_a_weak_password_is_refused_by_name_and_the_rest_is_kept(client, session):
    page = client.post("/dang-ky", data=sign_up_form(client, password="abcdefgh", password_confirm="abcdefgh"))
    text = page.data.decode()
    assert page.status_code == 422 and "«Mật khẩu» cần ít nhất 10 ký tự" in text
    assert 'value="Trần Thị Bình"' in text and 'value="Binh.Tran@Example.vn"' in text and "abcdefgh" not in text
    mismatch = client.post("/dang-ky", data=sign_up_form(client, password_confirm=STRONG + "x")).data.decode()
    assert "Hai lần nhập «Mật khẩu» không giống nhau." in mismatch
    assert account(session) is None


def test_signing_up_again_with_a_taken_email_answers_the_same_and_mails_the_owner(client, session):
    signed_up(session)
    verify_email(session, link_path(outbox(session, EMAIL)[0].body).rsplit("/", 1)[1], None)
    again = client.post(
        "/dang-ky",
        data=sign_up_form(client, full_name="Kẻ Khác", password="Mat khau khac 1", password_confirm="Mat khau khac 1"),
    )
    assert again.status_code == 302 and again.headers["Location"].endswith("/dang-ky/kiem-tra-thu")
    assert [row.kind for row in outbox(session, EMAIL)] == ["account_verify", "account_exists"]
    assert account(session).full_name == "Trần Thị Bình"  # nothing of the first account changed
    assert attempt_login(session, EMAIL, STRONG, None).user is not None


def test_verification_mails_to_one_address_are_throttled(client, session):
    signed_up(session)
    form = {"email": EMAIL, "csrf_token": csrf_token(client)}
    assert [client.post("/dang-ky/gui-lai", data=form).status_code for _ in range(2)] == [302, 302]
    throttled = client.post("/dang-ky/gui-lai", data=form)
    assert throttled.status_code == 429 and "Vui lòng thử lại sau" in throttled.data.decode()
    assert len(outbox(session, EMAIL, "account_verify")) == 3
    assert len(audited(session, "account.verification_sent", "throttled")) == 1


def test_an_english_sign_up_gets_its_mail_in_english(client, session):
    client.post("/ngon-ngu/en", data={"csrf_token": csrf_token(client, "/dang-ky"), "next": "/"})
    client.post("/dang-ky", data=sign_up_form(client))
    [message] = outbox(session, EMAIL)
    assert message.subject == "Petitions portal: confirm your e-mail address" and "48 hours" in message.body
