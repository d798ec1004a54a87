"""Benchmark: the outbox worker sending N e-mails to a real SMTP server on this machine, then a backlog while the
server is down.

    python bench/messages.py [-n 2000] [--batch 100]

Setup (not timed): a fresh SQLite file with the demo data and N queued e-mails (a receipt's text each). Send: one
`deliver_outbox` run against aiosmtpd on 127.0.0.1 (plain SMTP: the figure is the worker's own cost, one
connection reused per batch, one commit and one audit entry per message). Down: N more queued, nothing listens;
one run tries the first message, finds the server down, and puts the rest aside untried for a minute (how fast
a backlog is put aside without losing anything, and without one connection timeout per message).
"""

import argparse
import logging
import socket
import sys
import tempfile
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.bootstrap import prepare_database  # noqa: E402
from app.config import Config  # noqa: E402
from app.messaging.delivery import deliver_outbox  # noqa: E402
from app.messaging.transports import transports_from  # noqa: E402
from app.petitions.models import Notification  # noqa: E402
from app.services import open_services  # noqa: E402

BODY = "PAKN «Công trình lấn chiếm vỉa hè» đã được tiếp nhận lúc 09:00 30/11/2026. Mã tra cứu: 7QX4-M9PA-K2TD."


class Counting:
    def __init__(self):
        self.received = 0

    async def handle_DATA(self, server, session, envelope):
        self.received += 1
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def queue(sessions, n: int):
    with sessions() as session:
        session.add_all(
            Notification(kind="receipt", channel="email", recipient=f"nguoi{i}@example.vn", subject="PAKN", body=BODY)
            for i in range(n)
        )
        session.commit()


def count(sessions, state: str) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).where(Notification.state == state))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    logging.getLogger("app.messaging").setLevel(logging.ERROR)  # not a line per message put aside
    folder = Path(tempfile.mkdtemp(prefix="pakn-bench-messages-"))
    services = open_services(Config(database_url=f"sqlite:///{folder / 'bench.sqlite3'}", instance_dir=folder))
    prepare_database(services, demo=True)
    sessions = services.sessions

    queue(sessions, args.n)
    handler, port = Counting(), free_port()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    transports = transports_from({"SMTP_URL": f"smtp://127.0.0.1:{port}?starttls=off"})
    started = time.perf_counter()
    report = deliver_outbox(sessions, transports, "bench", limit=args.batch)
    sent_seconds = time.perf_counter() - started
    server.stop()
    assert len(report.sent) == args.n == handler.received == count(sessions, "sent"), "every message exactly once"

    queue(sessions, args.n)
    transports = transports_from({"SMTP_URL": f"smtp://127.0.0.1:{free_port()}?starttls=off"})
    started = time.perf_counter()
    report = deliver_outbox(sessions, transports, "bench", limit=args.batch)
    down_seconds = time.perf_counter() - started
    put_aside = len(report.retried) + len(report.postponed)
    assert put_aside == args.n == count(sessions, "queued"), "nothing lost while the server is down"

    print(f"messages: {args.n} e-mails, batches of {args.batch}, SQLite, one SMTP connection per batch")
    print(f"  sent to a local SMTP server: {sent_seconds:.2f} s, {args.n / sent_seconds:.0f} messages/s")
    print(f"  server down, all put aside for a retry: {down_seconds:.2f} s, {args.n / down_seconds:.0f} messages/s")


if __name__ == "__main__":
    main()
