"""More than one process version: which one new petitions of a province and channel start (latest or pinned),
what the versions page says follows which version, and running instances moved to a newer version."""

import pytest
from lxml import html
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
from app.petitions.models import CaseDeadline, ProcessChoice
from app.process_starts.queries import startable_processes

from .conftest import PROCESSES, act, item_for, submit, user
from .test_engine_safety import pakn_with
from .web import csrf_token

RENAMED = ('name="Phân loại PAKN"', 'name="Phân loại, xử lý ban đầu PAKN"')
MONTHLY_REVIEW = (PROCESSES / "monthly_review.bpmn").read_text(encoding="utf-8")
REVIEW_RENAMED = ('name="Rà soát PAKN hằng tháng"', 'name="Rà soát PAKN hằng tháng (mẫu mới)"')
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
    assert migrate_instances(session, admin(session), one.id).instance_ids == sorted(
        [waiting.instance_id, handling.instance_id]
    )
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
    assert migrate_instances(session, admin(session), one.id).instance_ids == []
    assert version_of(session, waiting) == 1
    act(session, "intake", waiting, "classify", decision="reject", reason="Trùng lặp với PAKN khác.")
    assert waiting.status == "rejected"


# ---------------------------------------------------------------------------------------------------- other processes


def lai_chau_variant(session) -> ProcessDefinition:
    """A province's own PAKN process: the product's model under another key, deployed beside `pakn`."""
    text = (PROCESSES / "pakn.bpmn").read_text(encoding="utf-8")
    for old, new in (
        ('processRef="pakn"', 'processRef="pakn_lai_chau"'),
        ('process id="pakn"', 'process id="pakn_lai_chau"'),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (result,) = deploy(session, {"pakn_lai_chau.bpmn": text.encode()}, deployed_by="designer")
    session.commit()
    return result.definition


def test_a_provinces_own_pakn_process_starts_its_new_petitions_and_nobody_starts_it_by_hand(session):
    variant = lai_chau_variant(session)
    assert "pakn_lai_chau" in [p.key for p in startable_processes(session, admin(session))]  # not yet a route
    choose_process(session, admin(session), {"province": "lai-chau", "process_key": "pakn_lai_chau"})
    lai_chau, quang_ngai = submit(session, username=None, **LAI_CHAU), submit(session)
    assert session.get(ProcessInstance, lai_chau.instance_id).definition_id == variant.id
    assert session.get(ProcessInstance, quang_ngai.instance_id).definition.process_key == "pakn"
    act(session, "intake-lc", lai_chau, "classify", decision="reject", reason="Trùng lặp với PAKN khác.")
    assert lai_chau.status == "rejected"
    assert [c.province_code for c in followed_versions(session)[variant.id]] == ["lai-chau"]
    assert "pakn_lai_chau" not in [p.key for p in startable_processes(session, admin(session))]


def test_the_versions_page_says_no_petition_follows_another_process(session, login):
    page = html.fromstring(login("admin").get("/quan-tri/quy-trinh/").data.decode())
    (review,) = page.xpath('//tr[@id="version-monthly_review-1"]/td[contains(@class, "routes")]')
    assert review.text_content().strip() == "không"
    (pakn,) = page.xpath('//tr[@id="version-pakn-1"]/td[contains(@class, "routes")]')
    assert pakn.text_content().strip() == "Mọi tỉnh, kênh chưa chọn riêng"


def test_making_an_earlier_version_of_another_process_current_says_no_petition_follows_it(session, login):
    deploy(session, {"monthly_review.bpmn": MONTHLY_REVIEW.replace(*REVIEW_RENAMED).encode()}, deployed_by="designer")
    session.commit()
    one = session.scalar(select(ProcessDefinition).filter_by(process_key="monthly_review", version=1))
    browser = login("admin")
    token = csrf_token(browser, "/quan-tri/quy-trinh/")
    page = browser.post(f"/quan-tri/quy-trinh/{one.id}/dung-lai", data={"csrf_token": token}, follow_redirects=True)
    text = page.data.decode()
    assert "bắt đầu theo phiên bản 1; không PAKN mới nào theo phiên bản này" in text
    assert "Từ nay PAKN mới theo" not in text


def test_the_administrator_chooses_a_route_on_the_page_and_removes_it(session, login):
    version_two(session)
    browser = login("admin")
    token = csrf_token(browser, "/quan-tri/quy-trinh/")
    bad = {"csrf_token": token, "province": "lai-chau", "channel": "", "process_key": "pakn", "version": "9"}
    refused = browser.post("/quan-tri/quy-trinh/chon", data=bad)
    page = html.fromstring(refused.data.decode())
    assert refused.status_code == 422
    assert "pakn v9" in page.get_element_by_id("process_key-error").text_content()
    assert page.xpath('//input[@name="version"]/@value') == ["9"]
    assert session.scalar(select(ProcessChoice)) is None
    chosen = browser.post("/quan-tri/quy-trinh/chon", data={**bad, "version": "1"})
    assert chosen.status_code == 302
    assert version_of(session, submit(session, username=None, **LAI_CHAU)) == 1
    choice = session.scalar(select(ProcessChoice))
    assert browser.post(f"/quan-tri/quy-trinh/chon/{choice.id}/xoa", data={"csrf_token": token}).status_code == 302
    assert version_of(session, submit(session, username=None, **LAI_CHAU)) == 2
    intake = login("intake")
    forbidden = intake.post("/quan-tri/quy-trinh/chon", data={**bad, "csrf_token": csrf_token(intake, "/cong-viec")})
    assert forbidden.status_code == 403 and session.scalar(select(ProcessChoice)) is None


def test_the_migration_page_previews_what_moves_and_moves_it_when_confirmed(session, login):
    waiting = submit(session)
    one = session.get(ProcessInstance, waiting.instance_id).definition
    version_two(session)
    browser = login("admin")
    preview = html.fromstring(browser.get(f"/quan-tri/quy-trinh/{one.id}/chuyen-phien-ban").data.decode())
    (moving,) = preview.xpath('//ul[@class="migration-movable"]/li')
    key = session.get(ProcessInstance, waiting.instance_id).business_key
    assert key in moving.text_content() and "Phân loại PAKN" in moving.text_content()
    assert version_of(session, waiting) == 1  # the preview moved nothing
    token = csrf_token(browser, f"/quan-tri/quy-trinh/{one.id}/chuyen-phien-ban")
    done = browser.post(f"/quan-tri/quy-trinh/{one.id}/chuyen-phien-ban", data={"csrf_token": token})
    assert done.status_code == 302 and version_of(session, waiting) == 2
    (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "process.instances_migrated"))
    assert entry.actor == "admin" and entry.data["moved"] == 1


def test_the_migration_page_names_the_version_it_moves_to_in_both_languages(session, login):
    waiting = submit(session)
    one = session.get(ProcessInstance, waiting.instance_id).definition
    version_two(session)
    choose_process(session, admin(session), {"process_key": "pakn", "version": "1"})  # new petitions pinned to 1
    browser = login("admin")
    path = f"/quan-tri/quy-trinh/{one.id}/chuyen-phien-ban"
    preview = html.fromstring(browser.get(path).data.decode())
    assert preview.findtext(".//h1") == "Chuyển hồ sơ sang phiên bản 2"
    assert "Chuyển hồ sơ sang phiên bản 2" in preview.findtext(".//title")
    assert "mới nhất" not in preview.text_content()
    done = browser.post(path, data={"csrf_token": csrf_token(browser, path)}, follow_redirects=True)
    assert "Đã chuyển 1 hồ sơ sang phiên bản 2; thời hạn giữ nguyên." in done.data.decode()
    browser.post("/ngon-ngu/en", data={"csrf_token": csrf_token(browser, "/"), "next": "/"})
    two = session.scalar(select(ProcessDefinition).filter_by(process_key="pakn", version=2))
    english = html.fromstring(browser.get(f"/quan-tri/quy-trinh/{two.id}/chuyen-phien-ban").data.decode())
    assert english.findtext(".//h1") == "Move cases to version 2"
    staying = english.xpath('//ul[@class="migration-staying"]/li')[0].text_content()
    assert "this is version 2 already" in staying
