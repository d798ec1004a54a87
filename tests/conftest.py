"""Shared fixtures: a real database per test (SQLite, or PostgreSQL with PAKN_TEST_DATABASE), copied from one
prepared template, real models."""

import itertools
import os
import shutil

import pytest
from sqlalchemy import create_engine, make_url, select, text
from sqlalchemy.pool import NullPool

from app.accounts.login import open_login_session
from app.accounts.models import User
from app.bootstrap import prepare_database
from app.config import ROOT, Config
from app.db import make_engine, make_session_factory
from app.engine.models import WorkItem
from app.petitions.models import Petition
from app.petitions.operations import submit_petition
from app.services import open_services
from app.tasks.operations import complete_task

PROCESSES = ROOT / "processes"
PHUONG_KON_TUM = 23293  # a ward of Quảng Ngãi since 1 July 2025 (the former Kon Tum city)
# A ward of each demo province: a submission names one of its province's (Lai Châu: Tân Phong, Bắc Ninh: Kinh Bắc).
WARDS = {"quang-ngai": PHUONG_KON_TUM, "lai-chau": 3408, "bac-ninh": 9187}


# "sqlite" (default) or a PostgreSQL server's URL, e.g. postgresql+psycopg://postgres@127.0.0.1:54329/postgres:
# each test then gets its own database, copied from a template made once per run.
TEST_DATABASE = os.environ.get("PAKN_TEST_DATABASE", "sqlite")
ON_POSTGRESQL = TEST_DATABASE.startswith("postgresql")
if not ON_POSTGRESQL and TEST_DATABASE != "sqlite":
    raise RuntimeError(f"PAKN_TEST_DATABASE must be 'sqlite' or a postgresql URL, not {TEST_DATABASE!r}")


def prepare(url: str):
    """Migrated schema, catalogues, the deployed processes and the demo data."""
    services = open_services(Config(database_url=url))
    prepare_database(services, demo=True)
    services.engine.dispose()


@pytest.fixture(scope="session")
def postgresql_server():
    """An autocommit connection to the test server (CREATE/DROP DATABASE), when the run uses PostgreSQL."""
    if not ON_POSTGRESQL:
        yield None
        return
    engine = create_engine(TEST_DATABASE, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    yield engine
    engine.dispose()


def _database_url(name: str) -> str:
    return make_url(TEST_DATABASE).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory, postgresql_server):
    """A database with schema, catalogues, processes and demo data, built once: a file, or a PostgreSQL name."""
    if postgresql_server is None:
        path = tmp_path_factory.mktemp("template") / "pakn.sqlite3"
        prepare(f"sqlite:///{path}")
        yield path
        return
    name = f"pakn_template_{os.getpid()}"
    with postgresql_server.connect() as server:
        server.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        server.execute(text(f'CREATE DATABASE "{name}"'))
    prepare(_database_url(name))
    yield name
    with postgresql_server.connect() as server:
        server.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


_copies = itertools.count(1)


@pytest.fixture
def db_url(template_db, tmp_path, postgresql_server) -> str:
    """This test's own database: a copy of the template."""
    if postgresql_server is None:
        path = tmp_path / "pakn.sqlite3"
        shutil.copy(template_db, path)
        yield f"sqlite:///{path}"
        return
    name = f"pakn_test_{os.getpid()}_{next(_copies)}"
    with postgresql_server.connect() as server:
        server.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"'))
    yield _database_url(name)
    with postgresql_server.connect() as server:
        server.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def sessions(db_url):
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def app(db_url):
    """The web application on this test's database (CSRF on, as in production)."""
    from app import create_app  # noqa: PLC0415
    from app.config import Config  # noqa: PLC0415

    app = create_app(Config(database_url=db_url, testing=True, demo_data=True))
    yield app
    app.extensions["pakn"]["engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(app, session):
    """A fresh browser per user: `login("intake")` returns a signed-in test client.

    The password check is covered by test_web_auth.py; here the session is opened directly (hashing is slow).
    """

    def open_as(username):
        browser = app.test_client()
        token = open_login_session(session, user(session, username), "127.0.0.1")
        session.commit()
        with browser.session_transaction() as cookie:
            cookie["_user_id"] = str(user(session, username).id)
            cookie["_fresh"] = True
            cookie["login"] = token
        return browser

    return open_as


@pytest.fixture
def session(sessions):
    with sessions() as s:
        yield s


def user(session, username) -> User:
    return session.scalar(select(User).where(User.username == username))


def valid_submission(**overrides) -> dict:
    data = {
        "kind": "regulation",
        "field_code": "xay-dung",
        "channel": "portal",
        "title": "Công trình xây dựng lấn chiếm vỉa hè",
        "content": "Công trình tại số 12 đường Trần Hưng Đạo lấn chiếm vỉa hè, gây cản trở người đi bộ.",
        "location": "12 Trần Hưng Đạo, phường Kon Tum",
        "sender_name": "Nguyễn Văn An",
        "sender_address": "34 Lê Lợi, phường Kon Tum, tỉnh Quảng Ngãi",
        "sender_phone": "0912 345 678",
        "sender_email": "an.nguyen@example.vn",
        "province_code": "quang-ngai",
    }
    data.update(overrides)
    data.setdefault("commune_code", str(WARDS.get(data["province_code"], "")))
    return data


def submit(session, username="citizen", **overrides) -> Petition:
    return submit_petition(session, user(session, username) if username else None, valid_submission(**overrides))


def open_items(session, petition) -> list[WorkItem]:
    return list(
        session.scalars(
            select(WorkItem)
            .where(WorkItem.instance_id == petition.instance_id, WorkItem.state == "ready")
            .order_by(WorkItem.id)
        )
    )


def item_for(session, petition, bpmn_id) -> WorkItem:
    items = [i for i in open_items(session, petition) if i.bpmn_id == bpmn_id]
    assert items, f"no open {bpmn_id}; open: {[i.bpmn_id for i in open_items(session, petition)]}"
    return items[0]


def act(session, username, petition, bpmn_id, **values) -> WorkItem:
    """Complete the open task `bpmn_id` of the petition as `username`."""
    item = item_for(session, petition, bpmn_id)
    done = complete_task(session, user(session, username), item.id, values)
    session.refresh(petition)
    return done
