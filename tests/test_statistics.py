"""The statistics module against hand-counted cases: one day of Quảng Ngãi (rejected, awaiting information,
handling, two answered and published with 5 and 1 stars, one hidden), another province's case and the next
day's case outside the figures."""

from datetime import date, datetime

import pytest
import time_machine

from app.calendars.working_days import VIETNAM
from app.db import utcnow
from app.petitions.moderation import hide_petition
from app.petitions.ratings import rate_answer
from app.statistics.figures import DEFINITIONS, Period, Slice, figures

from .conftest import act, submit, user
from .test_web_portal import publish
from .web import csrf_token

DAY = Period(date(2026, 6, 1), date(2026, 6, 1))  # a Monday


def at(*args) -> datetime:
    return datetime(*args, tzinfo=VIETNAM)


def one_day_of_cases(session):
    with time_machine.travel(at(2026, 6, 1, 9, 0), tick=False):
        rejected, waiting, handling, answered, disliked, hidden = (submit(session) for _ in range(6))
        other_province = submit(session, "intake-lc", channel="letter", province_code="lai-chau")
        act(session, "intake", rejected, "classify", decision="reject", reason="Khiếu nại")
        act(session, "intake", waiting, "classify", decision="request_info", reason="Số nhà?")
        for petition in (handling, hidden):
            act(session, "intake", petition, "classify", decision="forward", lead_agency="QNG-SXD")
        hide_petition(session, user(session, "intake"), hidden, "abusive")
    with time_machine.travel(at(2026, 6, 4, 10, 0), tick=False):  # two working days later (2 and 3 June)
        for petition in (answered, disliked):
            publish(session, petition, "Đã xử lý.", "Đã xử lý")
        rate_answer(session, user(session, "citizen"), answered, 5)
        rate_answer(session, user(session, "citizen"), disliked, 1, "Chưa thỏa đáng")
    with time_machine.travel(at(2026, 6, 2, 9, 0), tick=False):
        submit(session)  # the next day: outside the period
    return other_province


def test_the_figures_of_a_day_equal_the_hand_count(session):
    one_day_of_cases(session)
    got = figures(session, DAY, Slice(province="quang-ngai"), now=at(2026, 9, 1, 9, 0))
    assert (got.received, got.rejected, got.in_scope, got.awaiting_info) == (6, 1, 5, 1)
    assert (got.forwarded, got.answered, got.answered_share, got.published) == (4, 2, 50.0, 2)
    assert (got.on_time, got.late, got.hidden) == (2, 0, 1)
    assert (got.days_mean, got.days_median) == (2.0, 2.0)
    assert (got.rating_mean, got.one_star_share) == (3.0, 50.0)
    # whenever received: the unanswered request for information, the two cases handled, the next day's case
    assert got.overdue_now == 4


def test_slices_narrow_the_same_figures(session):
    one_day_of_cases(session)
    by_agency = figures(session, DAY, Slice(agency="QNG-SXD"))
    assert (by_agency.received, by_agency.forwarded, by_agency.answered) == (4, 4, 2)
    country = figures(session, DAY)
    assert country.received == 7  # Lai Châu's letter too
    assert figures(session, DAY, Slice(province="lai-chau", channel="letter")).received == 1
    assert figures(session, Period(date(2026, 6, 2), date(2026, 6, 2)), Slice(province="quang-ngai")).received == 1


def test_every_figure_has_its_definition_written_once(session):
    got = figures(session, DAY)
    assert [code for code, _, _ in got.items()] == list(DEFINITIONS)
    assert got.received == 0 and got.answered_share is None and got.days_mean is None


def test_the_public_page_shows_the_same_figures_with_its_charts(session, client):
    one_day_of_cases(session)
    page = client.get("/thong-ke", query_string={"province": "quang-ngai", "from": "2026-06-01", "to": "2026-06-01"})
    text = page.data.decode()
    assert page.status_code == 200 and text.count("<svg") == 2 and "<script" not in text.split("<main")[1]
    got = figures(session, DAY, Slice(province="quang-ngai"))
    for code in ("received", "rejected", "forwarded", "answered", "hidden"):
        row = text.split(f'id="figure-{code}"')[1].split("</tr>")[0]
        assert f">{getattr(got, code)}</td>" in row
    assert "Xây dựng, đô thị" in text  # the field of every case, in the bars and the table
    country = client.get("/thong-ke", query_string={"from": "2026-06-01", "to": "2026-06-01"}).data.decode()
    assert ">7</td>" in country.split('id="figure-received"')[1].split("</tr>")[0]


def test_a_mistyped_period_or_province_shows_the_default_never_an_error(client):
    page = client.get("/thong-ke", query_string={"from": "2026-13-45", "to": "x", "province": "<script>"})
    assert page.status_code == 200 and "<script>" not in page.data.decode()


@pytest.mark.parametrize(
    "period",
    [
        {"from": "0001-01-01"},
        {"from": "9999-12-31"},
        {"to": "9999-12-31"},
        {"to": "9999-12-29"},
        {"from": "0001-01-01", "to": "0001-01-05"},
        {"from": "9999-12-31", "to": "0001-01-01"},
    ],
)
def test_a_day_at_the_calendars_ends_shows_the_default_period(client, period):
    """Days that fit no instant in UTC (year 1, December 9999) are read as mistyped, as on the dashboards."""
    page = client.get("/thong-ke", query_string=period)
    assert page.status_code == 200
    this_year = utcnow().astimezone(VIETNAM).year
    assert f'value="{this_year}-01-01"' in page.data.decode()  # the default period's first day, in its field


def test_the_charts_name_the_fields_in_english_as_the_table_does(session, client):
    one_day_of_cases(session)
    client.post("/ngon-ngu/en", data={"csrf_token": csrf_token(client), "next": "/thong-ke"})
    page = client.get("/thong-ke", query_string={"province": "quang-ngai", "from": "2026-06-01", "to": "2026-06-01"})
    chart = page.data.decode().split('<svg xmlns="http://www.w3.org/2000/svg"')[1].split("</svg>")[0]
    assert "Construction and urban affairs" in chart and "Xây dựng" not in chart
