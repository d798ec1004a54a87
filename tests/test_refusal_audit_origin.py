"""A refusal audited while serving a web request says where it came from (the request's address and path) and who
asked (the signed-in user, or `anonymous`), whether the web layer or the domain refused; outside a request (the
scheduler, commands, a direct call) nothing is added and an unnamed actor stays `system`."""

import pytest
from sqlalchemy import select

from app.audit.log import record
from app.audit.models import AuditEntry
from app.audit.origin import ORIGIN, Origin
from app.errors import PermissionDenied
from app.petitions.ratings import rate_answer
from app.tasks.operations import claim_task

from .conftest import item_for, submit, user
from .test_clarification import answered_in_quang_ngai
from .web import csrf_token

ADDRESS = "203.0.113.7"  # TEST-NET-3: not the test client's default 127.0.0.1
ONLY_THE_SENDER = "only the sender rates the answer"


def refusals(session, action: str) -> list[AuditEntry]:
    session.expire_all()
    query = select(AuditEntry).where(AuditEntry.action == action, AuditEntry.outcome == "refused")
    return list(session.scalars(query.order_by(AuditEntry.id)))


def from_address(browser):
    """The browser's requests come from ADDRESS."""
    browser.environ_base["REMOTE_ADDR"] = ADDRESS
    return browser


def rate(browser, petition, stars="5"):
    path = f"/tra-cuu/{petition.tracking_code}/danh-gia"
    return path, browser.post(path, data={"csrf_token": csrf_token(browser, "/"), "stars": stars})


def test_an_anonymous_rating_is_refused_and_audited_as_anonymous_with_address_and_path(session, app):
    petition = answered_in_quang_ngai(session)
    path, response = rate(from_address(app.test_client()), petition)
    assert response.status_code == 403
    [entry] = refusals(session, "petition.rated")
    assert (entry.actor, entry.actor_role, entry.petition_id) == ("anonymous", None, petition.id)
    assert entry.data == {"reason": ONLY_THE_SENDER, "address": ADDRESS, "path": path}


def test_an_anonymous_reply_and_a_dead_reset_link_are_audited_as_anonymous_too(session, app):
    petition = answered_in_quang_ngai(session)
    browser = from_address(app.test_client())
    reply = f"/tra-cuu/{petition.tracking_code}/phan-hoi"
    assert browser.post(reply, data={"csrf_token": csrf_token(browser, "/"), "reply": "Chưa rõ"}).status_code == 403
    reset = "/dat-lai-mat-khau/" + "x" * 43
    sent = {"csrf_token": csrf_token(browser, "/"), "password": "x", "password_confirm": "x"}
    assert browser.post(reset, data=sent).status_code == 400
    [clarification] = refusals(session, "petition.clarification")
    [link] = refusals(session, "account.password_reset_by_mail")
    assert (clarification.actor, clarification.data["address"], clarification.data["path"]) == (
        "anonymous",
        ADDRESS,
        reply,
    )
    assert (link.actor, link.data) == (
        "anonymous",
        {"reason": "the link is unknown, expired or already used", "purpose": "reset", "address": ADDRESS,
         "path": reset},
    )  # fmt: skip


def test_a_signed_in_citizen_who_is_not_the_sender_is_audited_by_name_with_address_and_path(session, login):
    petition = answered_in_quang_ngai(session, username=None)  # sent without an account: not the citizen's
    path, response = rate(from_address(login("citizen")), petition)
    assert response.status_code == 403
    [entry] = refusals(session, "petition.rated")
    assert (entry.actor, entry.actor_role) == ("citizen", "citizen")
    assert entry.data == {"reason": ONLY_THE_SENDER, "address": ADDRESS, "path": path}


def test_an_unnamed_actors_refusal_in_a_signed_in_request_names_the_signed_in_user(session, login):
    browser = from_address(login("citizen"))
    reset = "/dat-lai-mat-khau/" + "x" * 43
    sent = {"csrf_token": csrf_token(browser, "/"), "password": "x", "password_confirm": "x"}
    assert browser.post(reset, data=sent).status_code == 400
    [link] = refusals(session, "account.password_reset_by_mail")
    assert (link.actor, link.actor_role, link.data["address"], link.data["path"]) == (
        "citizen",
        "citizen",
        ADDRESS,
        reset,
    )


def test_outside_a_request_a_refusal_stays_system_without_address_even_after_a_request(session, app):
    petition = answered_in_quang_ngai(session)
    assert rate(from_address(app.test_client()), petition)[1].status_code == 403  # the origin ends with it
    with pytest.raises(PermissionDenied):
        rate_answer(session, None, petition, 5)
    item = item_for(session, submit(session), "classify")
    with pytest.raises(PermissionDenied):
        claim_task(session, user(session, "handler"), item.id)  # not intake: refused
    by_web, direct = refusals(session, "petition.rated")
    [claim] = refusals(session, "task.claim")
    assert by_web.actor == "anonymous" and by_web.data["address"] == ADDRESS
    assert (direct.actor, direct.actor_role, direct.data) == ("system", None, {"reason": ONLY_THE_SENDER})
    assert claim.actor == "handler" and "address" not in claim.data and "path" not in claim.data


def test_web_and_domain_refusals_carry_the_address_and_path_exactly_once(session, login):
    petition = answered_in_quang_ngai(session)
    handler = from_address(login("handler"))
    assert handler.get("/quan-tri/").status_code == 403  # refused by the web layer (roles_required)
    path, response = rate(handler, petition)  # refused by the domain (not the sender)
    assert response.status_code == 403
    [page] = refusals(session, "web.admin.index")
    [rating] = refusals(session, "petition.rated")
    assert page.data == {"reason": "role handler may not use this page", "address": ADDRESS, "path": "/quan-tri/"}
    assert rating.data == {"reason": ONLY_THE_SENDER, "address": ADDRESS, "path": path}
    for entry in (page, rating):
        assert entry.actor == "handler"
        assert entry.data_text.count('"address"') == entry.data_text.count('"path"') == 1


def test_a_refusals_own_address_and_path_are_kept_and_other_outcomes_get_nothing(session):
    served = ORIGIN.set(Origin(ADDRESS, "/served", "anonymous"))  # as the web layer's before_request sets it
    try:
        record(session, None, "petition.rated", data={"address": "198.51.100.1", "path": "/own"}, outcome="refused")
        record(session, None, "auth.login", data={"username": "x"}, outcome="failed")
    finally:
        ORIGIN.reset(served)
    session.commit()
    [refused] = refusals(session, "petition.rated")
    [failed] = session.scalars(select(AuditEntry).where(AuditEntry.action == "auth.login")).all()
    assert (refused.actor, refused.data) == ("anonymous", {"address": "198.51.100.1", "path": "/own"})
    assert (failed.actor, failed.data) == ("system", {"username": "x"})
