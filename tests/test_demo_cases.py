"""The demo cases (issue 19 point 1): on the embedded default, a few dozen petitions in every state made through the
operations with the clock moved back, so that every role's first screen has work and the public pages answers."""

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.demo_cases import seed_demo_cases
from app.engine.models import WorkItem
from app.petitions.models import CaseDeadline, Petition, Rating

EVERY_STATE = {
    "classifying", "awaiting_info", "closed_no_reply", "rejected", "handling", "consulting", "leader_review",
    "reviewing", "publishing", "published", "closed_secret", "escalated", "closed_duplicate",
}  # fmt: skip


def test_the_demo_has_cases_in_every_state_made_through_the_operations(session):
    made = seed_demo_cases(session)
    assert made >= 30
    assert seed_demo_cases(session) == 0  # once: a database with petitions is left alone
    statuses = set(session.scalars(select(Petition.status)))
    assert EVERY_STATE <= statuses
    petitions = session.scalars(select(Petition)).all()
    submitted = session.scalar(select(func.count()).where(AuditEntry.action == "petition.submitted"))
    assert submitted == len(petitions) and all(p.instance_id for p in petitions)
    assert any(p.late for p in petitions) and any(p.hidden and p.status == "published" for p in petitions)
    assert {p.link_kind for p in petitions} >= {"duplicate", "repeat"}
    assert any(p.co_agencies for p in petitions) and any(p.sender_user_id for p in petitions)
    missed = session.scalars(select(CaseDeadline.step).where(CaseDeadline.verdict == "missed")).all()
    assert "answer" in missed or "progress" in missed  # the late case's deadlines took effect at their instants
    stars = session.scalars(select(Rating.stars)).all()
    assert 1 in stars and 5 in stars
    received = sorted(p.received_at for p in petitions)
    assert (received[-1] - received[0]).days >= 40  # spread over weeks, not made in one instant


def test_every_role_lands_on_work_and_the_public_pages_have_answers(session, login, client):
    seed_demo_cases(session)
    for username in ("intake", "handler", "leader", "chair", "intake-lc", "handler-bn"):
        page = login(username).get("/cong-viec").data.decode()
        item_codes = session.scalars(
            select(Petition.tracking_code).join(WorkItem, WorkItem.instance_id == Petition.instance_id)
        ).all()
        assert any(code in page for code in item_codes), f"{username}'s inbox is empty"
    mine = login("citizen").get("/cua-toi").data.decode()
    own = session.scalars(select(Petition.tracking_code).where(Petition.sender_user_id.is_not(None))).all()
    assert own and all(code in mine for code in own)
    public = client.get("/cong-khai").data.decode()
    published = session.scalars(select(Petition).where(Petition.status == "published")).all()
    shown = [p for p in published if p.tracking_code in public]
    assert len(shown) >= 5 and all(not p.hidden for p in shown)
    audit = login("auditor").get("/kiem-tra/").data.decode()
    assert sum(p.tracking_code in audit for p in published) >= 5
