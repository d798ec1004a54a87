"""One settings object per process: the folders a session works with are the configuration's, never a default."""

import json
import shutil

import pytest
from sqlalchemy.orm import sessionmaker

from app.calendars.store import current_book
from app.config import ROOT, Config
from app.engine.runtime import user_task_spec
from app.services import open_services, services_of
from app.tasks.task_forms import task_form

from .conftest import item_for, submit


def test_a_session_not_made_by_services_is_refused_with_a_clear_message(sessions):
    bare = sessionmaker(sessions.kw["bind"])()
    with pytest.raises(RuntimeError, match="not made by a Services factory"):
        current_book(bare)


def test_the_forms_folder_of_the_configuration_is_the_one_task_forms_come_from(db_url, tmp_path):
    folder = tmp_path / "forms"
    shutil.copytree(ROOT / "forms", folder)
    form = json.loads((folder / "pakn-classify.form").read_text(encoding="utf-8"))
    decision = next(c for c in form["components"] if c.get("key") == "decision")
    decision["label"] = "Quyết định phân loại (mẫu của tỉnh)"
    (folder / "pakn-classify.form").write_text(json.dumps(form, ensure_ascii=False), encoding="utf-8")
    services = open_services(Config(database_url=db_url, forms_dir=folder))
    with services.sessions() as session:
        assert services_of(session).forms_dir == folder
        item = item_for(session, submit(session), "classify")
        spec = user_task_spec(item.instance.definition, item.process_key, item.bpmn_id)
        labels = [label for _key, label in task_form(session, spec).inputs]
    services.engine.dispose()
    assert "Quyết định phân loại (mẫu của tỉnh)" in labels


def test_two_services_on_one_process_keep_their_own_calendar_books(db_url, tmp_path):
    other = tmp_path / "calendars"
    shutil.copytree(ROOT / "calendars", other)
    first = open_services(Config(database_url=db_url))
    second = open_services(Config(database_url=db_url, calendars_dir=other))
    with first.sessions() as a, second.sessions() as b:
        assert current_book(a) is not current_book(b)
        assert services_of(b).calendars_dir == other and current_book(b) is current_book(b)  # cached per revision
    first.engine.dispose()
    second.engine.dispose()
