"""Deadline arithmetic on a working-day calendar.

Rules (requirements §4): the day of receipt is not counted; receipt after office hours or on a day off
counts as receipt on the next working day; a deadline of N working days ends at the close of office hours
of the Nth working day after the day of receipt. N calendar days (Civil Code Arts. 147–148): the day of
receipt is not counted; an end on a day off moves to the close of the next working day.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Calendar:
    """Which days are worked, and office hours, in one place."""

    weekend: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday (date.weekday())
    days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)  # swapped Saturdays
    office_open: time = time(7, 30)
    office_close: time = time(17, 0)
    tz: ZoneInfo = VIETNAM

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        return day.weekday() not in self.weekend and day not in self.days_off

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def close_of(self, day: date) -> datetime:
        return datetime.combine(day, self.office_close, self.tz)

    def receipt_day(self, received: datetime) -> date:
        """The working day a receipt counts on: after hours or on a day off, the next working day."""
        local = received.astimezone(self.tz)
        day = local.date()
        if not self.is_working_day(day) or local.time() >= self.office_close:
            return self.next_working_day(day)
        return day


def add_working_days(calendar: Calendar, received: datetime, n: int) -> datetime:
    """Close of office hours of the Nth working day after the (effective) day of receipt."""
    day = calendar.receipt_day(received)
    for _ in range(n):
        day = calendar.next_working_day(day)
    return calendar.close_of(day)


def add_calendar_days(calendar: Calendar, received: datetime, n: int) -> datetime:
    """Civil Code Arts. 147–148: N days from the day after receipt; an end on a day off moves on."""
    day = received.astimezone(calendar.tz).date() + timedelta(days=n)
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
    return calendar.close_of(day)


def working_days_between(calendar: Calendar, start: datetime, end: datetime) -> int:
    """Working days whose close lies in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(calendar, end, start)
    count, day = 0, start.astimezone(calendar.tz).date()
    if not (calendar.is_working_day(day) and calendar.close_of(day) > start):
        day = calendar.next_working_day(day)
    while calendar.close_of(day) <= end:
        count += 1
        day = calendar.next_working_day(day)
    return count
