"""APScheduler in the serving process: the timer job every few seconds, and once at start for downtime;
the outbox worker sends queued messages every few seconds; staff digests are written from 07:30 each working day;
the last month's, quarter's and year's reports are archived from the first working day after each period;
the monthly reviews start on the first working day of each month (app/reviews/monthly.py)."""

import logging
import os
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler

from app.messaging.delivery import deliver_outbox
from app.messaging.digests import write_digests
from app.messaging.transports import transports_from
from app.reports.archive import archive_due_reports

from .jobs import BATCH, run_due_timers, start_due_reviews, worker_name

log = logging.getLogger(__name__)


def start_scheduler(session_factory, interval_seconds: float = 5.0, batch: int = BATCH) -> BackgroundScheduler:
    """Start the background job; the first run is immediate so timers missed while down fire now.

    `batch`: timers claimed at a time (smaller batches spread a backlog over several scheduler processes).
    """
    worker = worker_name()
    if not logging.getLogger().handlers:  # the demo's messages (log transport) and reports reach the console
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
        logging.getLogger("apscheduler").setLevel(logging.WARNING)  # not a line per job run every 5 s
        # nor a line per task state change (SpiffWorkflow) or per font subset (a report's PDF): they buried the
        # warnings an operator reads
        for chatty in ("spiff", "fontTools"):
            logging.getLogger(chatty).setLevel(logging.WARNING)

    def tick():
        try:
            report = run_due_timers(session_factory, worker, limit=batch)
            if report.fired or report.failed:
                log.info(
                    "timers: %s fired in %s instances, %s failed", report.fired, report.instances, len(report.failed)
                )
        except Exception:  # a broken tick must not stop the scheduler; the next tick retries
            log.exception("timer job failed")

    scheduler = BackgroundScheduler(timezone=UTC)
    scheduler.add_job(
        tick,
        "interval",
        seconds=interval_seconds,
        id="fire-due-timers",
        next_run_time=datetime.now(UTC),
        max_instances=1,
        coalesce=True,
    )
    transports = transports_from(os.environ)

    def send_messages():
        try:
            report = deliver_outbox(session_factory, transports, worker)
            if report.sent or report.retried or report.dead:
                log.info(
                    "messages: %s sent, %s to retry, %s dead", len(report.sent), len(report.retried), len(report.dead)
                )
        except Exception:  # the database may be away; the next run retries and nothing is lost
            log.exception("message delivery failed")

    scheduler.add_job(
        send_messages,
        "interval",
        seconds=interval_seconds,
        id="deliver-messages",
        next_run_time=datetime.now(UTC),
        max_instances=1,
        coalesce=True,
    )

    def digests():
        try:
            with session_factory() as session:
                written = write_digests(session, worker=worker)
            if written:
                log.info("digests: %s written", written)
        except Exception:  # the next run (a minute later) writes what this one could not
            log.exception("staff digests failed")

    scheduler.add_job(digests, "interval", seconds=60, id="staff-digests", max_instances=1, coalesce=True)

    def reports():
        try:
            with session_factory() as session:
                archived = archive_due_reports(session, worker=worker)
            if archived:
                log.info("reports: %s archived", archived)
        except Exception:  # the next run archives what this one could not
            log.exception("periodic reports failed")

    scheduler.add_job(reports, "interval", seconds=600, id="period-reports", max_instances=1, coalesce=True)

    def monthly_reviews():
        try:
            started = start_due_reviews(session_factory, worker)
            if started:
                log.info("monthly reviews: %s started", len(started))
        except Exception:  # the next run (a minute later) starts what this one could not
            log.exception("monthly reviews failed")

    scheduler.add_job(monthly_reviews, "interval", seconds=60, id="monthly-reviews", max_instances=1, coalesce=True)
    scheduler.start()
    return scheduler
