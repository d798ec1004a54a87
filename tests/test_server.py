"""`python run.py` serves the product on PORT with a fresh embedded database and demo accounts."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime

from sqlalchemy import create_engine, text

from app.schema import head_revision

from .conftest import PROCESSES


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_run_py_creates_the_database_seeds_demo_data_and_serves(tmp_path):
    port, db = free_port(), tmp_path / "fresh.sqlite3"
    env = {**os.environ, "PORT": str(port), "DATABASE_URL": f"sqlite:///{db}"}
    server = subprocess.Popen(
        [sys.executable, "run.py"],
        cwd=PROCESSES.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        body = None
        for _ in range(600):  # the first start also makes the demo cases: seconds, more on a busy machine
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode("utf-8")
                    break
            except OSError:
                time.sleep(0.2)
        assert body is not None, "server did not answer"
        assert '<meta charset="utf-8">' in body and "phản ánh, kiến nghị" in body
        assert "<code>demo123</code>" in body  # the start page lists the demo accounts to a newcomer
        with create_engine(f"sqlite:///{db}").connect() as conn:
            roles = dict(conn.execute(text("SELECT username, role FROM app_user")).all())
            processes = conn.execute(text("SELECT process_key, version FROM process_definition")).all()
            assert sorted(processes) == [("clarification", 1), ("monthly_review", 1), ("pakn", 1)]
            assert conn.execute(text("SELECT count(*) FROM petition")).scalar() >= 30  # the demo cases
        for name in ("citizen", "intake", "handler", "leader", "admin", "auditor"):
            assert roles[name] == name
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_building_the_app_touches_no_database(tmp_path):
    db = tmp_path / "untouched.sqlite3"
    code = (
        "from app import create_app; from app.config import Config; "
        f"create_app(Config(database_url='sqlite:///{db}', instance_dir='{tmp_path}', demo_data=False))"
    )
    subprocess.run([sys.executable, "-c", code], cwd=PROCESSES.parent, check=True, timeout=120)
    assert not db.exists()


def init(db, **env):
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PAKN_ADMIN_")}
    settings = {**inherited, "DATABASE_URL": f"sqlite:///{db}", "PAKN_ENV": "production", **env}
    return subprocess.run(
        [sys.executable, "run.py", "init", "--no-input"],
        cwd=PROCESSES.parent,
        env=settings,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_init_sets_up_a_production_database_with_no_demo_accounts(tmp_path):
    db = tmp_path / "prod.sqlite3"
    done = init(db)
    assert done.returncode == 0, done.stderr
    with create_engine(f"sqlite:///{db}").connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM app_user")).scalar() == 0
        deployed = conn.execute(text("SELECT count(*) FROM process_definition")).scalar()
        assert deployed == 3  # pakn, monthly_review and clarification
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()


def test_init_creates_the_first_administrator_once_from_the_environment(tmp_path):
    db = tmp_path / "prod.sqlite3"
    admin = {"PAKN_ADMIN_USERNAME": "quantri", "PAKN_ADMIN_PASSWORD": "mat-khau-dai-2026", "PAKN_ADMIN_NAME": "Lê An"}
    first = init(db, **admin)
    assert first.returncode == 0 and "first administrator: quantri created" in first.stdout, first.stderr
    again = init(db, **{**admin, "PAKN_ADMIN_USERNAME": "quantri2"})
    assert again.returncode == 1 and "An active administrator exists already" in again.stderr
    weak = init(tmp_path / "other.sqlite3", **{**admin, "PAKN_ADMIN_PASSWORD": "short"})
    assert weak.returncode == 1 and "password" in weak.stderr
    with create_engine(f"sqlite:///{db}").connect() as conn:
        rows = conn.execute(text("SELECT username, role, full_name FROM app_user")).all()
        assert [tuple(r) for r in rows] == [("quantri", "admin", "Lê An")]
        entry = conn.execute(text("SELECT actor, action FROM audit_entry")).one()
        assert tuple(entry) == ("system", "account.created")


def test_run_py_fires_the_timers_that_fell_due_while_it_was_down(db_url, session):
    import time_machine
    from sqlalchemy import func, select

    from app.audit.models import AuditEntry

    from .conftest import submit

    with time_machine.travel(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), tick=False):
        petition = submit(session)  # reject and forward deadlines long passed by the real clock
    env = {**os.environ, "PORT": str(free_port()), "DATABASE_URL": db_url}
    server = subprocess.Popen([sys.executable, "run.py"], cwd=PROCESSES.parent, env=env, stdout=subprocess.DEVNULL)
    try:
        count = 0
        for _ in range(150):
            session.expire_all()
            fired = select(func.count()).where(
                AuditEntry.action == "timer.fired", AuditEntry.petition_id == petition.id
            )
            count = session.scalar(fired)
            if count:
                break
            time.sleep(0.2)
        time.sleep(1)  # a few more ticks: still fired once
        assert session.scalar(fired) == 1
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_healthz_says_the_database_answers_at_this_releases_schema(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["schema"] == head_revision()


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    from app import create_app
    from app.config import Config

    broken = create_app(Config(database_url=f"sqlite:///{tmp_path}/no/such/dir/x.sqlite3", instance_dir=tmp_path))
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "unavailable"


def test_a_worker_refuses_to_serve_on_a_database_not_yet_migrated(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}", "PAKN_INSTANCE": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", "import app.wsgi"], cwd=PROCESSES.parent, env=env, capture_output=True, text=True
    )
    assert done.returncode != 0
    assert "run `python run.py init`" in done.stderr


def test_gunicorn_serves_the_product_with_several_workers(db_url):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "PAKN_ENV": "production", "PAKN_SCHEDULER": "off",
           "SECRET_KEY": "k3Y-9f2Qx7LmPz0aRt5Vb8Nc1Wd4Ye6Uh-test-only"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "app.wsgi:app"],
        cwd=PROCESSES.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        health = None
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    health = response.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert health is not None, "gunicorn did not answer"
        assert '"status":"ok"' in health.replace(" ", "")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/gui-phan-anh", timeout=5) as response:
            assert response.status == 200 and "; Secure" in response.headers["Set-Cookie"]  # production cookies
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_worker_freezes_what_it_loaded_at_start_up(db_url):
    """gc.freeze after start-up: a full collection no longer walks the modules, mappers and calendar (issue 18)."""
    env = {**os.environ, "DATABASE_URL": db_url, "PAKN_ENV": "production", "PAKN_SCHEDULER": "off",
           "SECRET_KEY": "k3Y-9f2Qx7LmPz0aRt5Vb8Nc1Wd4Ye6Uh-test-only"}  # fmt: skip
    script = "import gc, app.wsgi; print(gc.get_freeze_count(), sum(gc.get_count()))"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROCESSES.parent, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    frozen, pending = map(int, done.stdout.split())
    assert frozen > 50_000 and pending < 1_000
