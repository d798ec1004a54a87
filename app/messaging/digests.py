"""Staff digests at 07:30 on working days: each handler, leader and intake clerk gets his tasks overdue and due by
the end of the next working day; an intake clerk also gets his province's overdue tasks by agency.

A province's digests are written once a day: the first worker to insert the (day, province) row of DigestDay
writes them, in the same transaction, so two scheduler processes or a restart never mail anyone twice. A province
whose calendar says today is not a working day gets none. Staff with nothing to report get no e-mail.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.agencies.models import Agency, Province
from app.calendars.store import current_book
from app.calendars.working_days import VIETNAM
from app.db import utcnow
from app.engine.models import WorkItem
from app.petitions.models import Notification, Petition
from app.tasks.queries import inbox
from app.translation import lazy_gettext, translate

from .models import DigestDay
from .templates import base_url

DIGEST_AT = time(7, 30)  # Vietnam time
SUBJECT = lazy_gettext("PAKN: công việc đến hạn ngày %(day)s")
HEADINGS = {
    "overdue": lazy_gettext("Quá hạn"),
    "due": lazy_gettext("Đến hạn hôm nay hoặc ngày làm việc tiếp theo"),
    "province": lazy_gettext("Việc quá hạn của tỉnh, theo cơ quan"),
}


def write_digests(session, now: datetime | None = None, worker: str | None = None) -> int:
    """Write today's digests of every province whose day it is and whose digests are not written yet (a worker
    that was down at 07:30 writes them when it is back); the number of messages queued."""
    now = now or utcnow()
    local = now.astimezone(VIETNAM)
    if local.time() < DIGEST_AT:
        return 0
    done = set(session.scalars(select(DigestDay.province_code).where(DigestDay.day == local.date())))
    book, written = current_book(session), 0
    for province in session.scalars(select(Province.code).order_by(Province.code)):
        if province in done or not book.calendar(province).is_working_day(local.date()):
            continue
        try:
            with session.begin_nested():
                session.add(DigestDay(day=local.date(), province_code=province, written_by=worker))
                session.flush()
        except IntegrityError:
            continue  # another worker, or an earlier run today, wrote this province's digests
        written += _province_digests(session, province, book.calendar(province), now)
    session.commit()
    return written


def _province_digests(session, province: str, calendar, now: datetime) -> int:
    today = now.astimezone(VIETNAM).date()
    horizon = datetime.combine(calendar.next_working_day(today) + timedelta(days=1), time(0), VIETNAM)
    staff = session.scalars(
        select(User)
        .join(Agency, Agency.id == User.agency_id)
        .where(Agency.province_code == province, User.active.is_(True), User.email.is_not(None))
        .where(User.role.in_(("handler", "leader", "intake")))
        .order_by(User.username)
    )
    written = 0
    province_overdue = None
    for user in staff:
        items = [i for i in inbox(session, user) if i.due_at is not None and i.due_at < horizon]
        sections = {
            "overdue": [_line(i) for i in items if i.due_at < now],
            "due": [_line(i) for i in items if i.due_at >= now],
        }
        if user.role == "intake":  # the intake office follows the whole province
            if province_overdue is None:
                province_overdue = _overdue_by_agency(session, province, now)
            sections["province"] = province_overdue
        if any(sections.values()):
            session.add(_digest(user, sections, today))
            written += 1
    return written


def _overdue_by_agency(session, province: str, now: datetime) -> list[str]:
    rows = session.execute(
        select(WorkItem, Agency.name)
        .join(Petition, Petition.tracking_code == WorkItem.business_key)  # clarifications' tasks too
        .outerjoin(Agency, Agency.code == WorkItem.agency_code)
        .where(Petition.province_code == province, WorkItem.state == "ready", WorkItem.due_at < now)
        .order_by(Agency.name, WorkItem.due_at)
    )
    by_agency = defaultdict(list)
    for item, agency in rows:
        by_agency[agency or "—"].append(_line(item))
    return [line for agency, lines in by_agency.items() for line in (f"{agency}:", *lines)]


def _line(item: WorkItem) -> str:
    due = item.due_at.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")
    return f"- {item.business_key or ''} {translate(item.name, 'vi')} ({due}) {base_url()}/cong-viec/{item.id}"


def _digest(user: User, sections: dict, today) -> Notification:
    parts = []
    for key, lines in sections.items():
        if lines:
            parts.append(f"{translate(HEADINGS[key], 'vi')}:\n" + "\n".join(lines))
    return Notification(
        petition_id=None,
        kind="digest",
        channel="email",
        recipient=user.email,
        subject=translate(SUBJECT, "vi") % {"day": today.strftime("%d/%m/%Y")},
        body="\n\n".join(parts),
    )
