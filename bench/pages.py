"""Benchmark: server time of the pages clerks and citizens use most, through the real app on SQLite.

    python bench/pages.py [-n 50] [--cases 300]

Fills a fresh database with `--cases` petitions (a third forwarded to the handlers), then requests each page
`-n` times in-process (no network) and prints median and 95th-percentile milliseconds per page, so that a
change that slows a page down shows here, not in a timed test.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import create_app  # noqa: E402
from app.accounts.login import open_login_session  # noqa: E402
from app.accounts.models import User  # noqa: E402
from app.bootstrap import prepare_database  # noqa: E402
from app.config import Config  # noqa: E402
from app.engine.models import WorkItem  # noqa: E402
from app.petitions.operations import submit_petition  # noqa: E402
from app.services import open_services  # noqa: E402
from app.tasks.operations import complete_task  # noqa: E402

SUBMISSION = {
    "kind": "regulation",
    "field_code": "xay-dung",
    "channel": "portal",
    "title": "Đề nghị sửa đổi quy định cấp phép xây dựng nhà ở riêng lẻ",
    "content": "Thủ tục cấp phép xây dựng nhà ở riêng lẻ yêu cầu nhiều giấy tờ trùng lặp. " * 10,
    "sender_name": "Nguyễn Văn An",
    "sender_address": "34 Lê Lợi, phường Kon Tum, tỉnh Quảng Ngãi",
    "sender_phone": "0912345678",
    "sender_email": "an.nguyen@example.vn",
    "province_code": "quang-ngai",
    "commune_code": "23293",  # Phường Kon Tum, Quảng Ngãi
}


def fill(sessions, cases: int):
    with sessions() as session:
        citizen = session.scalar(select(User).where(User.username == "citizen"))
        intake = session.scalar(select(User).where(User.username == "intake"))
        petitions = [submit_petition(session, citizen, dict(SUBMISSION)) for _ in range(cases)]
        for petition in petitions[::3]:
            item = session.scalar(
                select(WorkItem).where(WorkItem.instance_id == petition.instance_id, WorkItem.state == "ready")
            )
            complete_task(session, intake, item.id, {"decision": "forward", "lead_agency": "QNG-SXD"})
        return petitions[1].tracking_code


def browser(app, session, username):
    client = app.test_client()
    account = session.scalar(select(User).where(User.username == username))
    token = open_login_session(session, account, "127.0.0.1")
    session.commit()
    with client.session_transaction() as cookie:
        cookie["_user_id"] = str(account.id)
        cookie["_fresh"] = True
        cookie["login"] = token
    return client


def timed(client, path: str, n: int) -> tuple[float, float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--cases", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/pages.sqlite3"
        services = open_services(Config(database_url=url))
        engine, sessions = services.engine, services.sessions
        prepare_database(services, demo=True)
        started = time.perf_counter()
        code = fill(sessions, args.cases)
        print(f"{args.cases} petitions filled in {time.perf_counter() - started:.1f} s")
        app = create_app(Config(database_url=url, testing=True, demo_data=True))
        with sessions() as session:
            classify = session.scalar(select(WorkItem.id).where(WorkItem.bpmn_id == "classify"))
            handle = session.scalar(select(WorkItem.id).where(WorkItem.bpmn_id == "handle"))
            pages = [
                ("anyone", "/", None),
                ("anyone", "/gui-phan-anh", None),
                ("anyone", f"/tra-cuu/{code}", None),
                ("anyone", "/cong-khai?q=xay dung", None),
                ("intake", "/cong-viec", "intake"),
                ("intake", f"/cong-viec/{classify} (Camunda Form)", "intake"),
                ("handler", f"/cong-viec/{handle} (Camunda Form, file picker)", "handler"),
                ("auditor", "/kiem-tra/", "auditor"),
                ("admin", "/quan-tri/lich/", "admin"),
            ]
            print(f"{'page':58} {'median ms':>10} {'p95 ms':>8}")
            for who, label, username in pages:
                path = label.split(" ")[0]
                client = browser(app, session, username) if username else app.test_client()
                median, p95 = timed(client, path, args.n)
                print(f"{who + ' ' + label:58} {median:10.1f} {p95:8.1f}")
        engine.dispose()


if __name__ == "__main__":
    main()
