"""Staff digests: at 07:30 on a working day of the province each handler, leader and intake clerk gets one e-mail
with his tasks overdue and due by the next working day; the intake office the province's overdue list by agency;
once a day, even with two schedulers; none on a day off; and they really leave through SMTP."""

import threading
from datetime import datetime, time, timedelta

import time_machine
from sqlalchemy import select

from app.agencies.models import Agency
from app.calendars.store import current_book
from app.calendars.working_days import VIETNAM
from app.messaging.delivery import deliver_outbox
from app.messaging.digests import write_digests
from app.messaging.transports import transports_from
from app.petitions.models import Notification

from .conftest import act, item_for, submit
from .test_message_delivery import MailServer, certificate  # noqa: F401  (the TLS certificate fixture)


def morning(day) -> datetime:
    return datetime.combine(day, time(7, 30), VIETNAM)


def digests(session) -> dict[str, Notification]:
    rows = session.scalars(select(Notification).where(Notification.kind == "digest")).all()
    assert len({row.recipient for row in rows}) == len(rows), "one digest per person"
    return {row.recipient.split("@")[0]: row for row in rows}


def overdue_and_due_cases(session):
    """A case whose classification is overdue; a case forwarded to the construction department."""
    calendar = current_book(session).calendar("quang-ngai")
    with time_machine.travel(datetime(2026, 6, 1, 9, 0, tzinfo=VIETNAM), tick=False):
        late = submit(session)
        forwarded = submit(session)
        act(session, "intake", forwarded, "classify", decision="forward", lead_agency="QNG-SXD")
    classify_due = item_for(session, late, "classify").due_at.astimezone(VIETNAM).date()
    handle_due = item_for(session, forwarded, "handle").due_at.astimezone(VIETNAM).date()
    return late, forwarded, calendar.next_working_day(classify_due), calendar.previous_working_day(handle_due)


def test_each_person_gets_his_overdue_and_due_tasks_and_the_intake_office_the_province_list(session):
    late, forwarded, day, _ = overdue_and_due_cases(session)
    with time_machine.travel(morning(day) - timedelta(minutes=1), tick=False):
        assert write_digests(session) == 0  # not 07:30 yet
    with time_machine.travel(morning(day), tick=False):
        assert write_digests(session) > 0
    mails = digests(session)
    assert late.tracking_code in mails["intake"].body.split("Quá hạn:")[1]
    province_part = mails["intake"].body.split("Việc quá hạn của tỉnh, theo cơ quan:\n")[1].splitlines()
    office = item_for(session, late, "classify").agency_code
    heading = province_part.index(f"{session.scalar(select(Agency.name).where(Agency.code == office))}:")
    assert late.tracking_code in province_part[heading + 1]  # under its agency's name
    assert "handler" not in mails  # his task falls due weeks later
    assert mails["intake"].subject == f"PAKN: công việc đến hạn ngày {day:%d/%m/%Y}"
    assert f"/cong-viec/{item_for(session, late, 'classify').id}" in mails["intake"].body


def test_the_day_before_a_deadline_the_handler_and_his_leader_are_told(session):
    _, forwarded, _, day_before = overdue_and_due_cases(session)
    with time_machine.travel(morning(day_before), tick=False):
        write_digests(session)
    mails = digests(session)
    for person in ("handler", "leader"):
        due_part = mails[person].body.split("Đến hạn hôm nay hoặc ngày làm việc tiếp theo:")[1]
        assert forwarded.tracking_code in due_part
    assert "handler-lc" not in mails and "intake-bn" not in mails  # other provinces have nothing


def test_digests_are_written_once_a_day_even_by_two_schedulers_and_never_on_a_day_off(session, sessions):
    _, _, day, _ = overdue_and_due_cases(session)
    counts = []

    def scheduler():
        with sessions() as own, time_machine.travel(morning(day) + timedelta(minutes=5), tick=False):
            counts.append(write_digests(own, worker=threading.current_thread().name))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with time_machine.travel(morning(day) + timedelta(hours=3), tick=False):
        assert write_digests(session) == 0
    assert sorted(counts)[0] == 0 and sum(counts) == len(digests(session)) > 0
    saturday = day + timedelta(days=(5 - day.weekday()) % 7)
    with time_machine.travel(morning(saturday), tick=False):
        assert write_digests(session) == 0


def test_a_digest_leaves_through_the_mail_server(session, sessions, certificate):  # noqa: F811
    _, _, day, _ = overdue_and_due_cases(session)
    with time_machine.travel(morning(day), tick=False):
        write_digests(session)
    with MailServer(certificate) as mail:
        deliver_outbox(sessions, transports_from({"SMTP_URL": mail.url}), "worker-test")
    subjects = {(m["To"], m["Subject"]) for m in mail.mailbox.messages}
    assert ("intake@demo.pakn.vn", f"PAKN: công việc đến hạn ngày {day:%d/%m/%Y}") in subjects
