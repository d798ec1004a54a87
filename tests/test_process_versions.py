"""More than one process version: which one new petitions of a province and channel start (latest or pinned),
what the versions page says follows which version, and running instances moved to a newer version."""

import pytest
from sqlalchemy import select

from app.administration.process_choices import (
    choose_process,
    followed_versions,
    migrate_instances,
    preview_migration,
    remove_choice,
)
from app.audit.models import AuditEntry
from app.bootstrap import process_documents
from app.engine.deployment import deploy
from app.engine.models import ProcessDefinition, ProcessInstance, Timer
from app.errors import FormInvalid, PermissionDenied
from app.petitions.models import CaseDeadline

from .conftest import PROCESSES, act, item_for, submit, user
from .test_engine_safety import pakn_with

RENAMED = ('name="Phân loại PAKN"', 'name="Phân loại, xử lý ban đầu PAKN"')
LAI_CHAU = {"province_code": "lai-chau", "sender_address": "Phường Tân Phong, tỉnh Lai Châu"}


def version_two(session):
    deploy(session, pakn_with(*RENAMED), deployed_by="designer")
    session.commit()
    return session.scalar(select(ProcessDefinition).filter_by(process_key="pakn", version=2))


def version_of(session, petition) -> int:
    return session.get(ProcessInstance, petition.instance_id).definition.version


def admin(session):
    return user(session, "admin")


def test_new_petitions_follow_the_latest_version_unless_a_province_is_pinned(session):
    version_two(session)
    choose_process(session, admin(session), {"province": "lai-chau", "process_key": "pakn", "version": "1"})
    assert version_of(session, submit(session)) == 2
    assert version_of(session, submit(session, username=None, **LAI_CHAU)) == 1


def test_the_most_specific_choice_wins_and_removing_it_falls_back(session):
    version_two(session)
    choose_process(session, admin(session), {"process_key": "pakn", "version": "1"})  # everywhere
    by_letter = choose_process(
        session, admin(session), {"province": "quang-ngai", "channel": "letter", "process_key": "pakn"}
    )
    assert version_of(session, submit(session)) == 1
    assert version_of(session, submit(session, "intake", channel="letter")) == 2
    remove_choice(session, admin(session), by_letter.id)
    assert version_of(session, submit(session, "intake", channel="letter")) == 1
    actions = session.scalars(select(AuditEntry.action).where(AuditEntry.action.startswith("process."))).all()
    assert actions.count("process.chosen") == 2 and "process.choice_removed" in actions


def test_a_choice_names_a_deployed_process_and_version_and_only_an_administrator_makes_it(session):
    with pytest.raises(FormInvalid) as refused:
        choose_process(session, admin(session), {"process_key": "khong-co", "channel": "telegram", "version": "x"})
    assert set(refused.value.by_field()) == {"process_key", "channel", "version"}
    with pytest.raises(PermissionDenied):
        choose_process(session, user(session, "intake"), {"process_key": "pakn"})


def test_the_versions_page_says_which_routes_each_version_takes_now(session, login):
    two = version_two(session)
    choose_process(session, admin(session), {"province": "lai-chau", "process_key": "pakn", "version": "1"})
    routes = followed_versions(session)
    one = session.scalar(select(ProcessDefinition).filter_by(process_key="pakn", version=1))
    assert routes[two.id] == [None]  # every province and channel without a choice
    assert [(c.province_code, c.version) for c in routes[one.id]] == [("lai-chau", 1)]
    page = login("admin").get("/quan-tri/quy-trinh/").data.decode()
    assert "Mọi tỉnh, kênh chưa chọn riêng" in page and "Lai Châu" in page
    assert "PAKN mới sẽ theo phiên bản này" not in page


def deadlines(session, petition):
    due = session.execute(select(CaseDeadline.step, CaseDeadline.due_at).where(CaseDeadline.petition_id == petition.id))
    timers = session.execute(select(Timer.task_id, Timer.due_at).where(Timer.instance_id == petition.instance_id))
    return sorted(due.all()), sorted(timers.all())


def test_running_instances_move_to_the_latest_version_with_their_deadlines_and_go_on_there(session):
    waiting = submit(session)
    handling = submit(session)
    act(session, "intake", handling, "classify", decision="forward", lead_agency="QNG-SXD")
    before = deadlines(session, waiting), deadlines(session, handling)
    one = session.get(ProcessInstance, waiting.instance_id).definition
    version_two(session)
    preview = preview_migration(session, admin(session), one.id)
    assert sorted(i.id for i, _ in preview.movable) == sorted([waiting.instance_id, handling.instance_id])
    assert migrate_instances(session, admin(session), one.id) == sorted([waiting.instance_id, handling.instance_id])
    assert (version_of(session, waiting), version_of(session, handling)) == (2, 2)
    assert (deadlines(session, waiting), deadlines(session, handling)) == before
    act(session, "intake", waiting, "classify", decision="forward", lead_agency="QNG-SXD")
    act(session, "handler", handling, "handle", action="answer", answer="Đã xử lý.")
    act(session, "leader", handling, "leader_approve", leader_decision="approve")
    act(session, "intake", handling, "review", review_decision="approve")
    act(session, "intake", handling, "publish", public_summary="Đã xử lý.")
    assert handling.status == "published" and item_for(session, waiting, "handle")
    moved = session.scalars(select(AuditEntry).where(AuditEntry.action == "process.instance_migrated")).all()
    assert sorted(e.instance_id for e in moved) == sorted([waiting.instance_id, handling.instance_id])
    assert moved[0].data["from"] == 1 and moved[0].data["to"] == 2


def test_an_instance_waiting_in_a_task_the_new_version_lacks_stays_and_the_task_is_named(session):
    waiting = submit(session)
    one = session.get(ProcessInstance, waiting.instance_id).definition
    documents = process_documents(PROCESSES)
    documents["processes/pakn.bpmn"] = documents["processes/pakn.bpmn"].replace(b'"classify"', b'"classify_v2"')
    deploy(session, documents, deployed_by="designer")
    session.commit()
    preview = preview_migration(session, admin(session), one.id)
    assert preview.movable == [] and [(i.id, lacking) for i, lacking in preview.staying][0][1] == ["classify"]
    assert migrate_instances(session, admin(session), one.id) == []
    assert version_of(session, waiting) == 1
    act(session, "intake", waiting, "classify", decision="reject", reason="Trùng lặp với PAKN khác.")
    assert waiting.status == "rejected"
