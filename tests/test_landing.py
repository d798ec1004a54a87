"""Each role lands on its work after login (a safe `next` still wins); the staff start page counts what matters
to the role (open, claimed by him, by nobody, by a colleague for a leader, due soon, overdue), each count a link
to the inbox narrowed to it."""

import re
from datetime import timedelta

import pytest

from app.calendars.store import current_book
from app.calendars.working_days import add_working_days
from app.db import utcnow
from app.tasks.operations import claim_task
from app.tasks.queries import workload

from .conftest import item_for, submit, user
from .web import csrf_token, log_in

LANDINGS = {
    "citizen": "/cua-toi",
    "intake": "/cong-viec",
    "handler": "/cong-viec",
    "leader": "/cong-viec",
    "chair": "/cong-viec",
    "auditor": "/kiem-tra/",
    "admin": "/quan-tri/",
}


@pytest.mark.parametrize("username", list(LANDINGS))
def test_each_role_lands_on_its_work(client, username):
    response = log_in(client, username)
    assert response.status_code == 302 and response.headers["Location"] == LANDINGS[username]
    assert client.get(LANDINGS[username]).status_code == 200


def test_a_safe_next_still_wins_over_the_landing(client):
    token = csrf_token(client, "/dang-nhap?next=/tra-cuu")
    response = client.post(
        "/dang-nhap?next=/tra-cuu", data={"username": "intake", "password": "demo123", "csrf_token": token}
    )
    assert response.headers["Location"] == "/tra-cuu"


def _three_classification_tasks(session, now):
    """Hand-built deadlines on three fresh cases of the intake office: one due soon (the next working day), one
    overdue (a working day long past), one far off and claimed by the clerk."""
    calendar = current_book(session).calendar("quang-ngai")
    soon, late, claimed = (item_for(session, submit(session), "classify") for _ in range(3))
    soon.due_at = add_working_days(calendar, now, 1)
    late.due_at = add_working_days(calendar, now - timedelta(days=20), 1)
    claimed.due_at = add_working_days(calendar, now, 10)
    session.commit()
    claim_task(session, user(session, "intake"), claimed.id)
    return soon, late, claimed


def _delta(after, before):
    return {key: after[key] - before[key] for key in after}


def test_the_counts_of_each_role_are_counted_in_sql(session):
    now = utcnow()
    before = {name: workload(session, user(session, name), now) for name in ("intake", "vp-leader", "handler")}
    _three_classification_tasks(session, now)
    after = {name: workload(session, user(session, name), now) for name in before}
    assert _delta(after["intake"], before["intake"]) == {
        "open": 3, "mine": 1, "free": 2, "others": 0, "late": 1, "soon": 1,
    }  # fmt: skip
    assert _delta(after["vp-leader"], before["vp-leader"]) == {  # the leader of the same office oversees them all
        "open": 3, "mine": 0, "free": 2, "others": 1, "late": 1, "soon": 1,
    }  # fmt: skip
    assert _delta(after["handler"], before["handler"]) == dict.fromkeys(after["handler"], 0)  # another agency


TILE = re.compile(r'<li><a href="([^"]+)"><strong[^>]*>(\d+)</strong> <span>([^<]+)</span></a></li>')
TOTAL = re.compile(r"Số công việc: (\d+)")


def test_the_start_page_links_each_count_to_the_inbox_narrowed_to_it(session, login):
    soon, late, claimed = _three_classification_tasks(session, utcnow())
    clerk = login("intake")
    tiles = TILE.findall(clerk.get("/").data.decode())
    labels = [label for _href, _count, label in tiles]
    assert labels == ["Đang chờ xử lý", "Chưa ai nhận", "Tôi đã nhận", "Sắp đến hạn", "Quá hạn"]
    assert [href for href, _count, _label in tiles] == [
        "/cong-viec", "/cong-viec?holder=free", "/cong-viec?holder=mine", "/cong-viec?due=soon",
        "/cong-viec?due=overdue",
    ]  # fmt: skip
    for href, count, _label in tiles:  # each count is what its link lists
        assert TOTAL.search(clerk.get(href).data.decode()).group(1) == count, href
    mine = clerk.get("/cong-viec?holder=mine").data.decode()
    assert f'/cong-viec/{claimed.id}"' in mine and f'/cong-viec/{soon.id}"' not in mine
    assert '<option value="mine" selected>' in mine and "Cán bộ khác đang xử lý" not in mine
    late_page = clerk.get("/cong-viec?due=overdue").data.decode()
    assert f'/cong-viec/{late.id}"' in late_page and f'/cong-viec/{claimed.id}"' not in late_page
    leader_tiles = TILE.findall(login("vp-leader").get("/").data.decode())
    assert ("/cong-viec?holder=others", "Cán bộ khác đang xử lý") in [(h, label) for h, _c, label in leader_tiles]
