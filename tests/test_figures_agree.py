"""Issue 17 point 6: for the same period and province, the public page, the staff dashboard and the report give the
same figures (all read app/statistics/figures.py) — on the demo cases, which hold every state."""

import re
from dataclasses import asdict
from datetime import date

import time_machine
from sqlalchemy import select

from app.accounts.models import User
from app.db import utcnow
from app.demo_cases import seed_demo_cases
from app.reports.content import build_report
from app.reports.periods import parse_period
from app.statistics.dashboards import dashboard
from app.statistics.figures import Period, Slice, figures

CELL = r'<td data-label="[^"]+">'
FIGURE = re.compile(rf'<tr id="figure-(\w+)">{CELL}[^<]*</td>{CELL}(.*?)</td></tr>', re.S)


def test_the_page_the_dashboard_and_the_report_agree_for_the_same_period(session, client):
    seed_demo_cases(session)
    now = utcnow()
    year = now.year
    period = Period(date(year, 1, 1), date(year, 12, 31))
    expected = figures(session, period, Slice(province="quang-ngai"), now)
    assert expected.received >= 20 and expected.published >= 3 and expected.hidden >= 1 and expected.late >= 0
    report = build_report(session, "quang-ngai", parse_period(str(year)), now)
    intake = session.scalar(select(User).where(User.username == "intake"))
    board = dashboard(session, intake, period, now=now)
    assert asdict(report.totals) == asdict(expected)
    assert asdict(board.figures) == asdict(expected)
    with time_machine.travel(now, tick=False):
        page = client.get(
            "/thong-ke", query_string={"province": "quang-ngai", "from": f"{year}-01-01", "to": f"{year}-12-31"}
        )
    shown = dict(FIGURE.findall(page.data.decode()))
    for code, value in asdict(expected).items():
        assert shown[code] == ("—" if value is None else str(value)), code
