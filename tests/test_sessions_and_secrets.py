"""Secrets and sessions: no weak key in production, cookies that end, throttling that cannot lock anyone out."""

import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta

import pytest
import time_machine
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from app import create_app
from app.accounts.login import attempt_login
from app.accounts.models import LoginSession
from app.administration.accounts import reset_password, set_account_active
from app.audit.models import AuditEntry
from app.config import ROOT, Config
from app.db import utcnow
from app.secret_key import InsecureConfiguration

from .conftest import user
from .web import csrf_token, log_in

STRONG = "k3Y-9f2Qx7LmPz0aRt5Vb8Nc1Wd4Ye6Uh"


def make_app(db_url, tmp_path, **overrides):
    settings = {"database_url": db_url, "testing": True, "demo_data": True, "instance_dir": tmp_path / "instance"}
    return create_app(Config(**{**settings, **overrides}))


def test_production_refuses_to_start_without_a_secret_key(db_url, tmp_path):
    with pytest.raises(InsecureConfiguration, match="PAKN_ENV=production needs SECRET_KEY"):
        make_app(db_url, tmp_path, production=True, demo_data=False, secret_key=None)


@pytest.mark.parametrize("weak", ["dev-only-not-secret", "short-key", "a" * 40])
def test_production_refuses_a_weak_secret_key(db_url, tmp_path, weak):
    with pytest.raises(InsecureConfiguration, match="SECRET_KEY is too weak"):
        make_app(db_url, tmp_path, production=True, demo_data=False, secret_key=weak)


def test_the_server_command_stops_with_a_clear_message_in_production_without_a_key(tmp_path):
    env = {**os.environ, "PAKN_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"}
    env.pop("SECRET_KEY", None)
    done = subprocess.run([sys.executable, "run.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "PAKN not started: PAKN_ENV=production needs SECRET_KEY" in done.stderr
    assert "secrets.token_urlsafe" in done.stderr  # says how to make one


def test_the_embedded_default_generates_a_random_key_once_and_keeps_it(db_url, tmp_path):
    first = make_app(db_url, tmp_path).config["SECRET_KEY"]
    again = make_app(db_url, tmp_path).config["SECRET_KEY"]
    elsewhere = make_app(db_url, tmp_path / "other").config["SECRET_KEY"]
    key_file = tmp_path / "instance" / "secret_key"
    assert first == again == key_file.read_text() and len(first) >= 48
    assert elsewhere != first and first != "dev-only-not-secret"
    assert key_file.stat().st_mode & 0o077 == 0  # readable by the server's user only


def forged_cookie(app, payload) -> str:
    return SecureCookieSessionInterface().get_signing_serializer(app).dumps(payload)


def test_a_cookie_forged_with_the_old_default_key_opens_nothing(db_url, tmp_path, session):
    app = make_app(db_url, tmp_path)
    attacker = create_app(Config(database_url=db_url, testing=True, secret_key="dev-only-not-secret"))
    cookie = forged_cookie(attacker, {"_user_id": str(user(session, "admin").id), "_fresh": True})
    client = app.test_client()
    client.set_cookie("session", cookie)
    response = client.get("/quan-tri/")
    assert response.status_code == 302 and "/dang-nhap" in response.headers["Location"]


def test_a_validly_signed_cookie_without_an_open_login_session_opens_nothing(db_url, tmp_path, session):
    app = make_app(db_url, tmp_path)
    cookie = forged_cookie(app, {"_user_id": str(user(session, "admin").id), "login": "guessed-token"})
    client = app.test_client()
    client.set_cookie("session", cookie)
    assert client.get("/quan-tri/").status_code == 302


def session_cookie_header(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_the_session_cookie_is_httponly_and_samesite_lax(client):
    header = session_cookie_header(log_in(client, "handler"))
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Secure" not in header  # the embedded default is served over plain http on localhost


def test_the_session_cookie_is_secure_in_production(db_url, tmp_path):
    app = make_app(db_url, tmp_path, production=True, secret_key=STRONG)
    header = session_cookie_header(log_in(app.test_client(), "handler"))
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def signed_in(client) -> bool:
    return client.get("/cong-viec").status_code == 200


def test_a_session_ends_after_eight_idle_hours_and_lives_while_used(client):
    start = utcnow()
    with time_machine.travel(start, tick=False):
        log_in(client, "handler")
    with time_machine.travel(start + timedelta(hours=7), tick=False):
        assert signed_in(client)  # used: the idle time starts again
    with time_machine.travel(start + timedelta(hours=14), tick=False):
        assert signed_in(client)
    with time_machine.travel(start + timedelta(hours=22, minutes=1), tick=False):
        assert not signed_in(client)


def copy_of(app, client):
    """Another browser holding the same cookie (as a thief who copied it would)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_logout_ends_the_session_for_a_copied_cookie_too(app, client, session):
    log_in(client, "handler")
    thief = copy_of(app, client)
    assert signed_in(thief)
    client.post("/dang-xuat", data={"csrf_token": csrf_token(client, "/")})
    assert not signed_in(client) and not signed_in(thief)
    ended = session.scalar(select(LoginSession).where(LoginSession.user_id == user(session, "handler").id))
    assert ended.ended_at is not None and ended.end_reason == "logout"


def test_logout_on_one_device_keeps_the_other_devices_signed_in(app):
    desk, phone = app.test_client(), app.test_client()
    log_in(desk, "handler")
    log_in(phone, "handler")
    desk.post("/dang-xuat", data={"csrf_token": csrf_token(desk, "/")})
    assert not signed_in(desk) and signed_in(phone)


def test_a_password_reset_by_an_administrator_ends_every_session_of_the_account(app, client, session):
    log_in(client, "handler")
    other = app.test_client()
    log_in(other, "handler")
    reset_password(session, user(session, "admin"), user(session, "handler").id, "mat-khau-moi-2026")
    assert not signed_in(client) and not signed_in(other)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "account.password_reset"))
    assert entry.data["sessions_ended"] == 2


def test_deactivating_an_account_ends_its_sessions_and_reactivating_does_not_revive_them(client, session):
    log_in(client, "handler")
    handler_id = user(session, "handler").id
    set_account_active(session, user(session, "admin"), handler_id, False)
    assert not signed_in(client)
    set_account_active(session, user(session, "admin"), handler_id, True)
    assert not signed_in(client)
    assert log_in(client, "handler").status_code == 302 and signed_in(client)


def from_address(app, address, **environ):
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": address, **environ})
    return client


def test_failures_from_one_address_cannot_lock_the_owner_out(app):
    attacker = from_address(app, "203.0.113.66")
    for _ in range(30):
        log_in(attacker, "leader", "doan-bua")
    assert log_in(attacker, "leader").status_code == 429  # the guesser waits, even with the right password
    owner = from_address(app, "10.1.2.3")
    assert log_in(owner, "leader").status_code == 302


def test_the_back_off_of_an_account_and_address_grows_and_says_when_to_retry(app):
    start = utcnow()
    guesser = from_address(app, "203.0.113.7")
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            assert log_in(guesser, "leader", "sai").status_code == 401
        waiting = log_in(guesser, "leader", "sai")
        assert waiting.status_code == 429 and waiting.headers["Retry-After"] == "31"
        assert "Vui lòng thử lại sau 31 giây." in waiting.data.decode()
    with time_machine.travel(start + timedelta(seconds=31), tick=False):
        assert log_in(guesser, "leader", "sai").status_code == 401  # the sixth failure: next wait 60 s
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert log_in(guesser, "leader", "sai").status_code == 429
    with time_machine.travel(start + timedelta(seconds=92), tick=False):
        assert log_in(guesser, "leader").status_code == 302


def test_an_address_guessing_many_accounts_is_slowed(app, session):
    sprayer = from_address(app, "198.51.100.9")
    for number in range(50):
        log_in(sprayer, f"khong-co-{number}", "123456")
    assert log_in(sprayer, "handler").status_code == 429
    assert log_in(from_address(app, "10.9.9.9"), "handler").status_code == 302
    throttled = session.scalars(select(AuditEntry).where(AuditEntry.outcome == "throttled")).all()
    assert [e.data["address"] for e in throttled] == ["198.51.100.9"]


def login_addresses(session) -> list[str]:
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "auth.login").order_by(AuditEntry.id))
    return [e.data["address"] for e in entries]


def test_a_forwarded_for_header_is_ignored_without_a_trusted_proxy(app, session):
    client = from_address(app, "203.0.113.5", HTTP_X_FORWARDED_FOR="10.0.0.1")
    log_in(client, "handler", "sai")
    assert login_addresses(session) == ["203.0.113.5"]


def test_behind_a_trusted_proxy_the_client_address_comes_from_its_header(db_url, tmp_path, session):
    app = make_app(db_url, tmp_path, trusted_proxies=1)
    client = from_address(app, "127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.80")
    log_in(client, "handler", "sai")
    assert login_addresses(session) == ["203.0.113.80"]  # the one the proxy saw; the client wrote the rest


def test_an_unknown_name_takes_as_long_as_a_wrong_password(session):
    def seconds(username):
        start = time.perf_counter()
        attempt_login(session, username, "sai-mat-khau", f"192.0.2.{len(username)}")
        return time.perf_counter() - start

    wrong = statistics.median(seconds("handler") for _ in range(3))
    unknown = statistics.median(seconds("khong-ton-tai") for _ in range(3))
    assert unknown > wrong * 0.5, (unknown, wrong)  # without the dummy hash: under 1 % of it
