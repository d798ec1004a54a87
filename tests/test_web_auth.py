"""Logging in and out, throttling, CSRF, languages, and auditors who change nothing."""

import io
from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.db import utcnow

from .web import csrf_token, log_in


def test_pages_declare_utf8_and_speak_vietnamese_first(client):
    page = client.get("/dang-nhap").data.decode()
    assert '<meta charset="utf-8">' in page and '<html lang="vi">' in page
    assert "Tên đăng nhập" in page and "Mật khẩu" in page


def test_a_wrong_password_is_refused_with_the_username_kept_and_audited(client, session):
    response = log_in(client, "intake", "wrong")
    page = response.data.decode()
    assert response.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page and 'value="intake"' in page
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.login"))
    assert (entry.actor, entry.outcome, entry.data["username"]) == ("anonymous", "failed", "intake")


def test_logins_are_throttled_after_five_failures_even_with_the_right_password(client):
    for _ in range(5):
        assert log_in(client, "leader", "guess").status_code == 401
    throttled = log_in(client, "leader")
    assert throttled.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in throttled.data.decode()
    assert log_in(client, "handler").status_code == 302  # another account is not locked
    with time_machine.travel(utcnow() + timedelta(minutes=16), tick=False):
        assert log_in(client, "leader").status_code == 302


def test_a_login_then_logout(client):
    response = log_in(client, "handler")
    assert response.status_code == 302 and response.headers["Location"] == "/cong-viec"  # his work
    assert '<span class="who">Lê Văn Cường' in client.get("/").data.decode()
    client.post("/dang-xuat", data={"csrf_token": csrf_token(client, "/")})
    assert '<span class="who">Lê Văn Cường' not in client.get("/").data.decode()


def test_a_login_link_cannot_send_the_user_to_another_site(client):
    token = csrf_token(client)
    response = client.post(
        "/dang-nhap?next=//evil.example/", data={"username": "handler", "password": "demo123", "csrf_token": token}
    )
    assert response.headers["Location"] == "/cong-viec"


def test_forms_without_the_csrf_token_are_refused(client):
    response = client.post("/dang-nhap", data={"username": "handler", "password": "demo123"})
    assert response.status_code == 400


def test_the_english_switch(client):
    client.post("/ngon-ngu/en", data={"csrf_token": csrf_token(client), "next": "/dang-nhap"})
    page = client.get("/dang-nhap").data.decode()
    assert '<html lang="en">' in page and "Username" in page and "Password" in page
    assert "Tiếng Việt" in page  # the way back


def test_an_auditor_changes_nothing_and_the_refusal_is_audited(client, session):
    log_in(client, "auditor")
    token = csrf_token(client, "/")
    response = client.post("/dang-nhap", data={"csrf_token": token, "username": "x", "password": "y"})
    assert response.status_code == 403
    refusal = session.scalar(select(AuditEntry).where(AuditEntry.outcome == "refused"))
    assert refusal.actor == "auditor" and refusal.data["reason"] == "auditors read, they change nothing"


def test_the_start_page_lists_demo_accounts_only_with_demo_data(db_url, client):
    from app import create_app  # noqa: PLC0415
    from app.config import Config  # noqa: PLC0415

    assert "<code>intake</code>" in client.get("/").data.decode()
    production = create_app(Config(database_url=db_url, testing=True, demo_data=False)).test_client()
    page = production.get("/").data.decode()
    assert "demo123" not in page and "Gửi phản ánh, kiến nghị" in page


@pytest.mark.parametrize("as_file", ["username", "password"])
def test_a_field_sent_as_a_file_is_named_as_missing_and_the_rest_kept(client, session, as_file):
    """A login field sent as a file part (multipart) is not a text: refused naming it, never a 500."""
    fields = {"csrf_token": csrf_token(client, "/dang-nhap"), "username": "citizen", "password": "demo123"}
    fields[as_file] = (io.BytesIO(b"citizen"), "x.txt")
    response = client.post("/dang-nhap", data=fields, content_type="multipart/form-data")
    page = response.data.decode()
    label = {"username": "Tên đăng nhập", "password": "Mật khẩu"}[as_file]
    assert response.status_code == 422 and f"«{label}» là bắt buộc." in page
    assert 'value="citizen"' in page if as_file == "password" else 'value=""' in page
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.login")) is None  # no attempt made


def test_an_empty_field_is_named_in_english_too(client):
    client.post("/ngon-ngu/en", data={"csrf_token": csrf_token(client), "next": "/dang-nhap"})
    data = {"csrf_token": csrf_token(client, "/dang-nhap"), "username": "handler", "password": ""}
    response = client.post("/dang-nhap", data=data)
    assert response.status_code == 422 and "is required" in response.data.decode()
    assert 'value="handler"' in response.data.decode()
