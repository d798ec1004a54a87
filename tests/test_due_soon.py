""" "Due soon" (within DUE_SOON working days) follows the calendar of each task's province, compared in SQL: a
province's own day off makes a task due soon there when the national calendar would not yet."""

from datetime import timedelta

from sqlalchemy import select

from app.calendars.store import current_book
from app.calendars.working_days import add_working_days
from app.deadlines.admin import DayChange, change_day
from app.deadlines.status import DUE_SOON, due_soon
from app.engine.models import WorkItem
from app.petitions.models import Petition
from app.tasks.queries import InboxFilters, inbox_page

from .conftest import item_for, submit, user


def soon_ids(session, now) -> set[int]:
    query = select(WorkItem.id).outerjoin(Petition, Petition.tracking_code == WorkItem.business_key)
    return set(session.scalars(query.where(WorkItem.state == "ready", due_soon(session, now))))


def test_a_provinces_own_day_off_makes_its_task_due_soon_where_the_national_calendar_would_not(session):
    petition = submit(session)  # Quảng Ngãi
    item = item_for(session, petition, "classify")
    book, due = current_book(session), item.due_at
    national = book.calendar(None)
    # an instant when the task is not yet due soon on the national calendar, its next working day to be taken off
    now = next(
        due - timedelta(hours=h)
        for h in range(1, 24 * 14)
        if add_working_days(national, due - timedelta(hours=h), DUE_SOON) < due
        and (due - timedelta(hours=h)).weekday() < 3  # Monday to Wednesday: the next day is a working day
    )
    assert item.id not in soon_ids(session, now)
    next_day = (now + timedelta(hours=7)).date() + timedelta(days=1)  # the local (UTC+7) day after now's
    change_day(
        session,
        user(session, "admin"),
        DayChange(petition.province_code, next_day, True, "Nghỉ", "Quyết định của UBND tỉnh"),
        "Thử nghiệm",
    )
    provincial = current_book(session).calendar(petition.province_code)
    assert add_working_days(provincial, now, DUE_SOON) >= due  # the day off moves the province's bound past it
    assert item.id in soon_ids(session, now)
    intake = user(session, "intake")
    page = inbox_page(session, intake, InboxFilters(due="soon"), now)
    assert item.id in [row.item.id for row in page.rows]
