"""Deadline arithmetic on a working-day calendar.

Rules (requirements §4): the day of receipt is not counted; receipt after office hours or on a day off
counts as receipt on the next working day; a deadline of N working days ends at the close of office hours
of the Nth working day after the day of receipt. N calendar days (Civil Code Arts. 147–148): the period
starts the day after the day of the event; an end on a day off moves to the close of the next working day.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class Calendar:
    """Which days are worked, and office hours, in one place."""

    weekend: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday (date.weekday())
    days_off: frozenset[date] = field(default_factory=frozenset)
    extra_working_days: frozenset[date] = field(default_factory=frozenset)  # swapped Saturdays, cancelled days off
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

    def previous_working_day(self, day: date) -> date:
        """The last working day strictly before `day`."""
        day -= timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def close_of(self, day: date) -> datetime:
        return datetime.combine(day, self.office_close, self.tz)

    def opening_of(self, day: date) -> datetime:
        return datetime.combine(day, self.office_open, self.tz)

    def receipt_day(self, received: datetime) -> date:
        """The working day a receipt counts on: after the close or on a day off, the next working day."""
        local = received.astimezone(self.tz)
        day = local.date()
        if not self.is_working_day(day) or local.time() > self.office_close:
            return self.next_working_day(day)
        return day


def is_working_day(calendar: Calendar, day: date) -> bool:
    return calendar.is_working_day(day)


def add_working_days(calendar: Calendar, received: datetime, n: int) -> datetime:
    """Close of office hours of the Nth working day after the (effective) day of receipt; N=0: that day's close."""
    if n < 0:
        raise ValueError("a period cannot be negative")
    day = calendar.receipt_day(received)
    for _ in range(n):
        day = calendar.next_working_day(day)
    return calendar.close_of(day)


def add_calendar_days(calendar: Calendar, received: datetime, n: int) -> datetime:
    """Civil Code Arts. 147–148: N days from the day after the event; an end on a day off moves on."""
    if n < 0:
        raise ValueError("a period cannot be negative")
    day = received.astimezone(calendar.tz).date() + timedelta(days=n)
    if not calendar.is_working_day(day) or calendar.close_of(day) < received:  # N=0 after hours: next day
        day = calendar.next_working_day(day)
    return calendar.close_of(day)


def working_days_between(calendar: Calendar, start: datetime, end: datetime) -> int:
    """Working days after the day `start` counts on whose close is at or before `end`; negative if reversed.

    The inverse of add_working_days: working_days_between(c, t, add_working_days(c, t, n)) == n.
    """
    if end < start:
        return -working_days_between(calendar, end, start)
    count, day = 0, calendar.receipt_day(start)
    while True:
        day = calendar.next_working_day(day)
        if calendar.close_of(day) > end:
            return count
        count += 1


def working_days_spanned(calendar: Calendar, start: datetime, end: datetime) -> int:
    """Working days from the day `start` counts on to the day `end` counts on (that one included, the first not)."""
    count, day, last = 0, calendar.receipt_day(start), calendar.receipt_day(end)
    while day < last:
        day = calendar.next_working_day(day)
        count += 1
    return count


def days_left(calendar: Calendar, now: datetime, due: datetime) -> int:
    """Working days left before `due` (0 = due today); negative = working days late (-1 from the first miss)."""
    if now <= due:
        return working_days_between(calendar, now, due)
    late, day, today = 0, calendar.receipt_day(due), calendar.receipt_day(now)
    while day < today:
        day = calendar.next_working_day(day)
        late += 1
    return -max(late, 1)


def reminder_before(calendar: Calendar, due: datetime, n: int) -> datetime:
    """Opening of office hours N working days before the due day (N=0: the due day's opening)."""
    day = due.astimezone(calendar.tz).date()
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
    for _ in range(n):
        day = calendar.previous_working_day(day)
    return calendar.opening_of(day)
