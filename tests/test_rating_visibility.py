"""Ratings (issue 16 point 4, seed 002 Art. 12.3): any sender rates 1–5 with a comment, by his link too, once a case
(a new rating replaces his earlier one); the rating is shown to the answering agency's leaders, the province's
intake office and auditors, never to the public or handlers, and counted in the statistics."""

import html
from datetime import date, datetime

import pytest
import time_machine
from sqlalchemy import select

from app.calendars.working_days import VIETNAM
from app.errors import PermissionDenied
from app.petitions.models import Rating
from app.petitions.ratings import may_see_rating, rate_answer, ratings_seen_by
from app.petitions.senders import LinkHolder
from app.statistics.figures import Period, Slice, figures

from .conftest import user
from .test_clarification import answered_in_bac_ninh, answered_in_quang_ngai
from .web import csrf_token

COMMENT = "Trả lời chậm nhưng rõ ràng"


def text(response) -> str:
    return html.unescape(response.data.decode())


def test_a_sender_without_account_rates_by_his_link_and_may_change_it_once_a_case(session, app):
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=VIETNAM), tick=False):
        petition = answered_in_bac_ninh(session)  # entered by a clerk: the sender has no account
    holder = app.test_client()
    holder.get(f"/ho-so/{petition.tracking_code}/{petition.sender_key}")
    token = csrf_token(holder, f"/tra-cuu/{petition.tracking_code}")
    path = f"/tra-cuu/{petition.tracking_code}/danh-gia"
    assert holder.post(path, data={"csrf_token": token, "stars": "2", "comment": COMMENT}).status_code == 302
    assert holder.post(path, data={"csrf_token": token, "stars": "9"}).status_code == 422
    rate_answer(session, LinkHolder(petition.id, petition.tracking_code), petition, 4, COMMENT)  # changes his mind
    (rating,) = session.scalars(select(Rating).where(Rating.petition_id == petition.id)).all()
    assert (rating.stars, rating.comment, rating.rated_by) == (4, COMMENT, f"sender:{petition.tracking_code}")
    with pytest.raises(PermissionDenied):
        rate_answer(session, LinkHolder(petition.id + 1000, "PAKN-KHAC"), petition, 1)
    june = figures(session, Period(date(2026, 6, 1), date(2026, 6, 30)), Slice(province="bac-ninh"))
    assert (june.rating_mean, june.one_star_share) == (4.0, 0.0)  # the statistics read the same row


def test_the_rating_is_seen_by_the_agency_leader_the_intake_office_and_auditors_only(session, app, login, client):
    petition = answered_in_quang_ngai(session)
    rate_answer(session, user(session, "citizen"), petition, 1, COMMENT)
    seen = {name: may_see_rating(user(session, name), petition) for name in (
        "leader", "intake", "auditor", "citizen", "handler", "leader2", "intake-bn", "vp-leader", "admin")}  # fmt: skip
    assert seen == {"leader": True, "intake": True, "auditor": True, "citizen": True, "handler": False,
                    "leader2": False, "intake-bn": False, "vp-leader": False, "admin": False}  # fmt: skip
    assert [r.petition.id for r in ratings_seen_by(session, user(session, "leader"), stars=1)] == [petition.id]
    assert ratings_seen_by(session, user(session, "leader"), stars=5) == []
    assert ratings_seen_by(session, user(session, "leader2")) == []
    assert ratings_seen_by(session, user(session, "intake-bn")) == []
    listing = text(login("leader").get("/danh-gia"))
    assert petition.tracking_code in listing and COMMENT in listing and "1/5 ★" in listing
    task_link = listing.split(f'id="rating-{petition.tracking_code}"')[1].split("</tr>")[0]
    item_path = task_link.split('href="')[1].split('"')[0]
    assert item_path.startswith("/cong-viec/")
    assert COMMENT in text(login("leader").get(item_path))  # on the case's page through his agency's task
    assert COMMENT in text(login("intake").get("/danh-gia"))
    assert COMMENT not in text(login("leader2").get("/danh-gia"))
    assert login("handler").get("/danh-gia").status_code == 403
    assert COMMENT in text(login("auditor").get(f"/kiem-tra/{petition.instance_id}"))
    assert COMMENT not in text(client.get(f"/tra-cuu/{petition.tracking_code}"))  # not for the public
