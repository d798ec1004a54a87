"""Deadline arithmetic: laws checked with Hypothesis, and hand-computed 2026 deadlines for the three provinces.

2026 facts used below (national calendar): days off Thu 1 Jan, Fri 2 Jan (swap), Tết Mon 16–Fri 20 Feb,
Hùng Kings Sun 26 Apr (observed Mon 27 Apr), Thu 30 Apr, Fri 1 May, Mon 31 Aug (swap), Tue 1–Wed 2 Sep,
Tue 24 Nov; worked Saturdays Sat 10 Jan and Sat 22 Aug. WD = working day(s).
"""

import random
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.calendars.book import CalendarBook
from app.calendars.files import load_files
from app.calendars.working_days import (
    VIETNAM,
    Calendar,
    add_calendar_days,
    add_working_days,
    days_left,
    is_working_day,
    reminder_before,
    working_days_between,
)

CALENDARS_DIR = Path(__file__).resolve().parent.parent / "calendars"
CLOSE = time(17, 0)
OPEN = time(7, 30)
PLUS7 = timezone(timedelta(hours=7))
ZONES = [
    UTC,
    VIETNAM,
    PLUS7,
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=14)),
    timezone(timedelta(hours=-12)),
    timezone(timedelta(hours=5, minutes=30)),
    ZoneInfo("Europe/Paris"),
]


@cache
def book() -> CalendarBook:
    return CalendarBook(load_files(CALENDARS_DIR))


def vn(y, m, d, hh=17, mm=0, ss=0, us=0) -> datetime:
    return datetime(y, m, d, hh, mm, ss, us, tzinfo=VIETNAM)


# --- strategies -----------------------------------------------------------------------------------------------

any_instant = st.datetimes(
    min_value=datetime(2025, 1, 1),
    max_value=datetime(2027, 12, 31, 23, 59, 59, 999999),
    timezones=st.sampled_from(ZONES),
)


@st.composite
def edge_instant(draw) -> datetime:
    """A local instant at a boundary of office hours, expressed in any zone."""
    day = draw(st.dates(date(2025, 1, 1), date(2027, 12, 31)))
    clock = draw(
        st.sampled_from(
            [
                time(0, 0),
                time(7, 29, 59),
                time(7, 30),
                time(12, 0),
                time(16, 59, 59, 999999),
                time(17, 0),
                time(17, 0, 0, 1),
                time(17, 0, 1),
                time(23, 59, 59, 999999),
            ]
        )
    )
    return datetime.combine(day, clock, VIETNAM).astimezone(draw(st.sampled_from(ZONES)))


instants = st.one_of(any_instant, edge_instant())
periods = st.integers(min_value=0, max_value=40)


SPAN_START, SPAN_DAYS = date(2024, 12, 1), 1300  # to mid-2028: deadlines of receipts in 2027 end in 2028


@st.composite
def random_calendar(draw) -> Calendar:
    """Scattered days off, blocks of days off (like Tết) and worked Saturdays/Sundays, seeded for cheap drawing."""
    rnd = random.Random(draw(st.integers(min_value=0, max_value=2**32)))
    scattered, blocks, worked = (draw(st.integers(min_value=0, max_value=top)) for top in (150, 25, 40))
    days_off = {SPAN_START + timedelta(days=rnd.randrange(SPAN_DAYS)) for _ in range(scattered)}
    for _ in range(blocks):
        first = SPAN_START + timedelta(days=rnd.randrange(SPAN_DAYS))
        days_off.update(first + timedelta(days=i) for i in range(rnd.randint(2, 12)))
    extra = set()
    for _ in range(worked):
        day = SPAN_START + timedelta(days=rnd.randrange(SPAN_DAYS))
        extra.add(day + timedelta(days=(rnd.choice((5, 6)) - day.weekday()) % 7))  # that week's Sat or Sun
    return Calendar(days_off=frozenset(days_off), extra_working_days=frozenset(extra))


def quang_ngai_calendar() -> st.SearchStrategy[Calendar]:
    return st.builds(lambda: book().calendar("quang-ngai"))


CALENDAR_SOURCES = pytest.mark.parametrize(
    "calendars", [quang_ngai_calendar(), random_calendar()], ids=["quang-ngai", "random"]
)
PROPERTY = settings(max_examples=300, deadline=None)


def local(cal: Calendar, instant: datetime) -> datetime:
    return instant.astimezone(cal.tz)


# --- laws -----------------------------------------------------------------------------------------------------


@CALENDAR_SOURCES
@PROPERTY
@given(data=st.data(), received=instants, n=periods)
def test_working_day_deadline_is_a_close_on_a_working_day_not_before_receipt(calendars, data, received, n):
    cal = data.draw(calendars)
    due = add_working_days(cal, received, n)
    assert due.tzinfo is not None
    assert local(cal, due).time() == CLOSE
    assert is_working_day(cal, local(cal, due).date())
    assert due >= received


@CALENDAR_SOURCES
@PROPERTY
@given(data=st.data(), received=instants, n=periods)
def test_working_days_between_inverts_add_working_days(calendars, data, received, n):
    cal = data.draw(calendars)
    due = add_working_days(cal, received, n)
    assert working_days_between(cal, received, due) == n
    # A moment before the close the Nth day no longer fits.
    if n > 0:
        assert working_days_between(cal, received, due - timedelta(microseconds=1)) == n - 1


@CALENDAR_SOURCES
@PROPERTY
@given(data=st.data(), received=instants, n=periods)
def test_add_working_days_is_strictly_monotone_in_n(calendars, data, received, n):
    cal = data.draw(calendars)
    shorter, longer = add_working_days(cal, received, n), add_working_days(cal, received, n + 1)
    assert longer > shorter
    # ... and exactly one working day later: no working day lies strictly between them.
    day = local(cal, shorter).date() + timedelta(days=1)
    while day < local(cal, longer).date():
        assert not is_working_day(cal, day)
        day += timedelta(days=1)


@CALENDAR_SOURCES
@PROPERTY
@given(data=st.data(), received=instants, n=periods)
def test_working_day_count_skips_the_effective_day_of_receipt(calendars, data, received, n):
    cal = data.draw(calendars)
    at = local(cal, received)
    effective = at.date()
    if not is_working_day(cal, effective) or at.time() > CLOSE:
        effective += timedelta(days=1)
        while not is_working_day(cal, effective):
            effective += timedelta(days=1)
    assert add_working_days(cal, received, 0) == datetime.combine(effective, CLOSE, cal.tz)
    counted, day = 0, effective
    while counted < n:
        day += timedelta(days=1)
        counted += is_working_day(cal, day)
    assert add_working_days(cal, received, n) == datetime.combine(day, CLOSE, cal.tz)


@CALENDAR_SOURCES
@PROPERTY
@given(data=st.data(), received=instants, n=periods)
def test_calendar_day_deadline_ends_on_the_first_working_day_from_date_plus_n(calendars, data, received, n):
    cal = data.draw(calendars)
    due = local(cal, add_calendar_days(cal, received, n))
    nominal = local(cal, received).date() + timedelta(days=n)
    assert due.time() == CLOSE
    assert is_working_day(cal, due.date())
    assert due.date() >= nominal
    assert due >= received  # N=0 received after the close: the next working day, never before receipt
    if is_working_day(cal, nominal) and cal.close_of(nominal) >= received:
        assert due.date() == nominal
    else:
        day = nominal + timedelta(days=1) if is_working_day(cal, nominal) else nominal
        while day < due.date():
            assert not is_working_day(cal, day)
            day += timedelta(days=1)


@CALENDAR_SOURCES
@PROPERTY
@given(data=st.data(), received=instants, n=periods)
def test_days_left_counts_down_to_zero_on_the_due_day(calendars, data, received, n):
    cal = data.draw(calendars)
    due = add_working_days(cal, received, n)
    assert days_left(cal, received, due) == n
    assert days_left(cal, due, due) == 0
    assert days_left(cal, cal.opening_of(local(cal, due).date()), due) == 0


@CALENDAR_SOURCES
@PROPERTY
@given(
    data=st.data(),
    received=instants,
    n=periods,
    after=st.timedeltas(min_value=timedelta(microseconds=1), max_value=timedelta(days=90)),
    sooner=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=90)),
)
def test_days_left_is_negative_after_the_due_and_never_increases(calendars, data, received, n, after, sooner):
    cal = data.draw(calendars)
    due = add_working_days(cal, received, n)
    late = days_left(cal, due + after, due)
    assert late < 0
    assert late >= -working_days_between(cal, due, due + after) - 1
    # Later "now" never gives more days left.
    earlier, later = due + after - sooner, due + after
    assert days_left(cal, earlier, due) >= days_left(cal, later, due)


@CALENDAR_SOURCES
@PROPERTY
@given(
    data=st.data(),
    received=instants,
    n=periods,
    before=st.integers(min_value=0, max_value=10),
    calendar_days=st.booleans(),
)
def test_reminder_is_an_opening_n_working_days_before_the_due_day(calendars, data, received, n, before, calendar_days):
    cal = data.draw(calendars)
    due = (add_calendar_days if calendar_days else add_working_days)(cal, received, n)
    reminder = local(cal, reminder_before(cal, due, before))
    assert reminder.time() == OPEN
    assert is_working_day(cal, reminder.date())
    assert reminder.date() <= local(cal, due).date()
    assert reminder < due
    assert working_days_between(cal, reminder, due) == before


def test_negative_periods_are_refused():
    cal = book().calendar("quang-ngai")
    with pytest.raises(ValueError):
        add_working_days(cal, vn(2026, 3, 10, 9), -1)
    with pytest.raises(ValueError):
        add_calendar_days(cal, vn(2026, 3, 10, 9), -1)


# --- hand-computed deadlines ----------------------------------------------------------------------------------

HAND_COMPUTED = [
    # Tết 2026 (Mon 16–Fri 20 Feb off).
    pytest.param(
        "quang-ngai",
        "answer",
        vn(2026, 2, 9, 10),
        vn(2026, 3, 9),
        # 15 WD from Mon 9 Feb: 10,11,12,13 Feb (4); Tết week + weekends skipped; 23–27 Feb (9); 2–6 Mar (14);
        # Mon 9 Mar (15).
        id="quang-ngai-answer-across-tet",
    ),
    pytest.param(
        "lai-chau",
        "answer",
        vn(2026, 2, 9, 10),
        vn(2026, 3, 16),
        # 20 WD: as above Mon 9 Mar is the 15th; 10,11,12,13 Mar (19); Mon 16 Mar (20).
        id="lai-chau-answer-across-tet",
    ),
    pytest.param(
        "bac-ninh",
        "request_info",
        vn(2026, 2, 12, 9),
        vn(2026, 2, 26),
        # 5 WD from Thu 12 Feb: Fri 13 (1); 14–22 Feb off; Mon 23 (2), 24 (3), 25 (4), Thu 26 Feb (5).
        id="bac-ninh-request-info-across-tet",
    ),
    pytest.param(
        "bac-ninh",
        "answer",
        vn(2026, 2, 13, 9),
        vn(2026, 2, 23),
        # 7 calendar days from Fri 13 Feb: Fri 20 Feb is Tết → Sat 21, Sun 22 off → Mon 23 Feb.
        id="bac-ninh-answer-ends-in-tet",
    ),
    pytest.param(
        "lai-chau",
        "progress",
        vn(2026, 2, 11, 15),
        vn(2026, 2, 23),
        # 7 calendar days from Wed 11 Feb: Wed 18 Feb is Tết → next working day Mon 23 Feb.
        id="lai-chau-progress-ends-in-tet",
    ),
    # Hùng Kings 2026 (Sun 26 Apr, observed Mon 27 Apr), then Thu 30 Apr and Fri 1 May.
    pytest.param(
        "quang-ngai",
        "forward",
        vn(2026, 4, 24, 14),
        vn(2026, 5, 6),
        # 5 WD from Fri 24 Apr: 25–27 Apr off; Tue 28 (1), Wed 29 (2); 30 Apr–3 May off; Mon 4 (3), 5 (4), Wed 6 (5).
        id="quang-ngai-forward-across-hung-kings",
    ),
    pytest.param(
        "quang-ngai",
        "reject",
        vn(2026, 4, 26, 10),
        vn(2026, 5, 4),
        # Received Sun 26 Apr (itself Hùng Kings), Mon 27 is the observed day → receipt counts on Tue 28 Apr.
        # Wed 29 (1); 30 Apr–3 May off; Mon 4 May (2).
        id="quang-ngai-reject-received-on-hung-kings",
    ),
    pytest.param(
        "lai-chau",
        "answer",
        vn(2026, 4, 24, 14),
        vn(2026, 5, 27),
        # 20 WD from Fri 24 Apr: 28, 29 Apr (2); 4–8 May (7); 11–15 May (12); 18–22 May (17); 25, 26, Wed 27 May (20).
        id="lai-chau-answer-across-hung-kings",
    ),
    pytest.param(
        "bac-ninh",
        "answer",
        vn(2026, 4, 20, 9),
        vn(2026, 4, 28),
        # 7 calendar days from Mon 20 Apr: Mon 27 Apr (observed Hùng Kings) → Tue 28 Apr.
        id="bac-ninh-answer-ends-on-observed-hung-kings",
    ),
    pytest.param(
        "bac-ninh",
        "progress",
        vn(2026, 4, 23, 9),
        vn(2026, 5, 4),
        # 7 calendar days from Thu 23 Apr: Thu 30 Apr off, Fri 1 May off, Sat 2, Sun 3 → Mon 4 May.
        id="bac-ninh-progress-ends-on-30-april",
    ),
    # National Day 2026: Sat 22 Aug worked; Mon 31 Aug (swap), Tue 1 and Wed 2 Sep off.
    pytest.param(
        "quang-ngai",
        "answer",
        vn(2026, 8, 20, 10),
        vn(2026, 9, 14),
        # 15 WD from Thu 20 Aug: Fri 21 (1), Sat 22 worked (2), 24–28 Aug (7); 31 Aug–2 Sep off; Thu 3, Fri 4 Sep (9);
        # 7–11 Sep (14); Mon 14 Sep (15).
        id="quang-ngai-answer-across-national-day",
    ),
    pytest.param(
        "lai-chau",
        "answer",
        vn(2026, 8, 28, 9),
        vn(2026, 9, 30),
        # 20 WD from Fri 28 Aug: 31 Aug–2 Sep off; 3, 4 Sep (2); 7–11 (7); 14–18 (12); 21–25 (17); 28, 29, Wed 30 (20).
        id="lai-chau-answer-across-national-day",
    ),
    pytest.param(
        "lai-chau",
        "publish",
        vn(2026, 8, 21, 17, 30),
        vn(2026, 8, 25),
        # Received Fri 21 Aug 17:30, after the close → counts on the next working day, the worked Sat 22 Aug.
        # Mon 24 (1), Tue 25 Aug (2).
        id="lai-chau-publish-after-hours-counts-on-worked-saturday",
    ),
    pytest.param(
        "quang-ngai",
        "reject",
        vn(2026, 8, 22, 10),
        vn(2026, 8, 25),
        # Received on the worked Sat 22 Aug: that day is the day of receipt. Mon 24 (1), Tue 25 Aug (2).
        id="quang-ngai-reject-received-on-worked-saturday",
    ),
    pytest.param(
        "bac-ninh",
        "answer",
        vn(2026, 8, 25, 9),
        vn(2026, 9, 3),
        # 7 calendar days from Tue 25 Aug: Tue 1 Sep (National Day) → Wed 2 Sep off → Thu 3 Sep.
        id="bac-ninh-answer-ends-on-national-day",
    ),
    pytest.param(
        "bac-ninh",
        "answer",
        vn(2026, 8, 15, 9),
        vn(2026, 8, 22),
        # 7 calendar days from Sat 15 Aug: Sat 22 Aug, a worked Saturday → the deadline stays there.
        id="bac-ninh-answer-ends-on-worked-saturday",
    ),
    pytest.param(
        "bac-ninh",
        "forward",
        vn(2026, 8, 22, 11),
        vn(2026, 8, 22),
        # Forward = 0 WD: close of the day of receipt, here the worked Sat 22 Aug.
        id="bac-ninh-forward-on-worked-saturday",
    ),
    pytest.param(
        "bac-ninh",
        "forward",
        vn(2026, 8, 31, 9),
        vn(2026, 9, 3),
        # Received Mon 31 Aug (off) → counts on Thu 3 Sep (1–2 Sep off); 0 WD → Thu 3 Sep close.
        id="bac-ninh-forward-received-in-national-day-break",
    ),
    # Swapped Saturday 10 Jan 2026 (for Fri 2 Jan).
    pytest.param(
        "quang-ngai",
        "reject",
        vn(2026, 1, 8, 10),
        vn(2026, 1, 10),
        # 2 WD from Thu 8 Jan: Fri 9 (1), Sat 10 Jan worked (2).
        id="quang-ngai-reject-ends-on-swapped-saturday",
    ),
    pytest.param(
        "quang-ngai",
        "forward",
        vn(2025, 12, 31, 10),
        vn(2026, 1, 9),
        # 5 WD from Wed 31 Dec 2025: Thu 1, Fri 2 Jan off; 3, 4 weekend; Mon 5 (1) … Fri 9 Jan (5).
        id="quang-ngai-forward-across-new-year-swap",
    ),
    pytest.param(
        "lai-chau",
        "request_info",
        vn(2026, 1, 6, 10),
        vn(2026, 1, 12),
        # 5 WD from Tue 6 Jan: 7 (1), 8 (2), 9 (3), Sat 10 worked (4), Sun 11 off, Mon 12 Jan (5).
        id="lai-chau-request-info-across-swapped-saturday",
    ),
    pytest.param(
        "bac-ninh",
        "answer",
        vn(2026, 1, 3, 10),
        vn(2026, 1, 10),
        # 7 calendar days from Sat 3 Jan: Sat 10 Jan, worked → stays.
        id="bac-ninh-answer-ends-on-swapped-saturday",
    ),
    pytest.param(
        "bac-ninh",
        "reject",
        vn(2026, 1, 9, 17, 1),
        vn(2026, 1, 13),
        # Fri 9 Jan 17:01 is after the close → counts on Sat 10 Jan (worked). Mon 12 (1), Tue 13 Jan (2).
        id="bac-ninh-reject-after-hours-before-swapped-saturday",
    ),
    pytest.param(
        "bac-ninh",
        "forward",
        vn(2026, 1, 2, 9),
        vn(2026, 1, 5),
        # Received Fri 2 Jan (swap day off) → counts on Mon 5 Jan; 0 WD → Mon 5 Jan close.
        id="bac-ninh-forward-received-on-swap-day-off",
    ),
    pytest.param(
        "bac-ninh",
        "forward",
        vn(2026, 1, 9, 18),
        vn(2026, 1, 10),
        # Fri 9 Jan 18:00 after hours → next working day is the worked Sat 10 Jan; 0 WD → its close.
        id="bac-ninh-forward-after-hours-to-swapped-saturday",
    ),
    # Regressions.
    pytest.param(
        "quang-ngai",
        "reject",
        vn(2026, 11, 23, 10),
        vn(2026, 11, 26),
        # Holiday inside the period: Mon 23 Nov; Tue 24 (Vietnam Cultural Day) skipped; Wed 25 (1), Thu 26 Nov (2).
        id="holiday-inside-period-is-skipped",
    ),
    pytest.param(
        "quang-ngai",
        "reject",
        vn(2026, 3, 10, 17, 30),
        vn(2026, 3, 13),
        # Tue 10 Mar 17:30 is after the close → counts on Wed 11; Thu 12 (1), Fri 13 Mar (2).
        id="after-hours-counts-from-next-working-day",
    ),
    pytest.param(
        "quang-ngai",
        "reject",
        vn(2026, 3, 10, 17, 0, 0, 1),
        vn(2026, 3, 13),
        # One microsecond after 17:00 is already after the close: as above.
        id="just-after-close-counts-from-next-working-day",
    ),
    pytest.param(
        "quang-ngai",
        "reject",
        vn(2026, 3, 10, 17, 0),
        vn(2026, 3, 12),
        # Exactly 17:00 is still within office hours → counts on Tue 10; Wed 11 (1), Thu 12 Mar (2).
        id="receipt-at-exactly-17-counts-same-day",
    ),
    pytest.param(
        "quang-ngai",
        "reject",
        datetime(2026, 3, 10, 10, 0, tzinfo=UTC),
        vn(2026, 3, 12),
        # 10:00 UTC = 17:00 +07:00, exactly the close → same as above.
        id="receipt-at-17-given-in-utc",
    ),
    pytest.param(
        "quang-ngai",
        "reject",
        datetime(2026, 3, 10, 10, 30, tzinfo=UTC),
        vn(2026, 3, 13),
        # 10:30 UTC = 17:30 +07:00 → after hours → Fri 13 Mar.
        id="after-hours-given-in-utc",
    ),
    pytest.param(
        "quang-ngai",
        "reject",
        datetime(2026, 3, 9, 23, 0, tzinfo=UTC),
        vn(2026, 3, 12),
        # Mon 9 Mar 23:00 UTC = Tue 10 Mar 06:00 local, before opening → counts on Tue 10 → Thu 12 Mar.
        id="utc-evening-is-next-local-morning",
    ),
    pytest.param(
        "quang-ngai",
        "reject",
        vn(2026, 3, 8, 10),
        vn(2026, 3, 11),
        # Received Sun 8 Mar → counts on Mon 9; Tue 10 (1), Wed 11 Mar (2).
        id="receipt-on-sunday",
    ),
    pytest.param(
        "bac-ninh",
        "answer",
        vn(2026, 3, 1, 10),
        vn(2026, 3, 9),
        # 7 calendar days from Sun 1 Mar (calendar days count from the event day itself, no shift): Sun 8 Mar, a
        # Sunday → Monday 9 Mar close.
        id="calendar-deadline-on-sunday-moves-to-monday",
    ),
    pytest.param(
        "bac-ninh",
        "answer",
        vn(2026, 3, 1, 18),
        vn(2026, 3, 9),
        # Same, received after hours: calendar days still start the day after the event date → Mon 9 Mar.
        id="calendar-deadline-ignores-office-hours",
    ),
    pytest.param(
        "bac-ninh",
        "answer",
        vn(2026, 11, 17, 10),
        vn(2026, 11, 25),
        # 7 calendar days from Tue 17 Nov: Tue 24 Nov (Vietnam Cultural Day) → Wed 25 Nov.
        id="calendar-deadline-on-holiday-moves-to-next-working-day",
    ),
]


@pytest.mark.parametrize("province, step, received, expected", HAND_COMPUTED)
def test_hand_computed_due(province, step, received, expected):
    due = book().due(province, step, received)
    assert due == expected
    assert due.astimezone(PLUS7).isoformat() == expected.astimezone(PLUS7).isoformat()
    assert due.astimezone(PLUS7).isoformat().endswith("T17:00:00+07:00")


@pytest.mark.parametrize(
    "province, step, due, expected",
    [
        # qd31 answer reminds 2 WD before: due Mon 9 Mar → Fri 6 (1), Thu 5 Mar (2) at opening.
        ("quang-ngai", "answer", vn(2026, 3, 9), vn(2026, 3, 5, 7, 30)),
        # bac-ninh answer reminds 1 WD before: due Mon 23 Feb → Tết week and weekends skipped → Fri 13 Feb.
        ("bac-ninh", "answer", vn(2026, 2, 23), vn(2026, 2, 13, 7, 30)),
        # lai-chau publish 1 WD before: due Mon 12 Jan → the worked Sat 10 Jan.
        ("lai-chau", "publish", vn(2026, 1, 12), vn(2026, 1, 10, 7, 30)),
        # quang-ngai answer 2 WD before Thu 3 Sep: 31 Aug–2 Sep off → Fri 28 Aug (1), Thu 27 Aug (2).
        ("quang-ngai", "answer", vn(2026, 9, 3), vn(2026, 8, 27, 7, 30)),
    ],
)
def test_hand_computed_reminder(province, step, due, expected):
    assert book().reminder(province, step, due) == expected


@pytest.mark.parametrize(
    "now, expected",
    [
        # Due Mon 9 Mar 2026 17:00 (quang-ngai calendar).
        (vn(2026, 3, 5, 10), 2),  # Thu 5: Fri 6 and Mon 9 still to come.
        (vn(2026, 3, 6, 17, 30), 0),  # Fri 6 after hours counts as Mon 9: due that day.
        (vn(2026, 3, 9, 10), 0),  # due today
        (vn(2026, 3, 9, 17), 0),  # at the very close
        (vn(2026, 3, 9, 17, 0, 1), -1),  # one second late
        (vn(2026, 3, 10, 10), -1),  # Tue 10
        (vn(2026, 3, 11, 10), -2),  # Wed 11
        (vn(2026, 3, 14, 10), -5),  # Sat 14 counts as Mon 16: 10, 11, 12, 13, 16
    ],
)
def test_hand_computed_days_left(now, expected):
    assert days_left(book().calendar("quang-ngai"), now, vn(2026, 3, 9)) == expected


def test_2026_calendar_facts():
    cal = book().calendar("quang-ngai")
    off = [(1, 1), (1, 2), (2, 16), (2, 17), (2, 18), (2, 19), (2, 20), (4, 26), (4, 27), (4, 30), (5, 1)]
    off += [(8, 31), (9, 1), (9, 2), (11, 24)]
    for month, day in off:
        assert not is_working_day(cal, date(2026, month, day)), (month, day)
    for worked in (date(2026, 1, 10), date(2026, 8, 22), date(2025, 4, 26)):
        assert is_working_day(cal, worked)
    for province in ("lai-chau", "bac-ninh"):
        assert book().calendar(province) == cal


def test_extra_working_day_wins_over_a_day_off_and_the_weekend():
    # A cancelled day off (listed both ways) and a swapped Saturday are worked; an ordinary Saturday is not.
    cancelled, swapped = date(2026, 3, 10), date(2026, 3, 14)
    cal = Calendar(days_off=frozenset({cancelled}), extra_working_days=frozenset({cancelled, swapped}))
    assert is_working_day(cal, cancelled)
    assert is_working_day(cal, swapped)
    assert not is_working_day(cal, date(2026, 3, 21))
    # reject-like 2 WD from Thu 12 Mar: Fri 13 (1), Sat 14 swapped (2).
    assert add_working_days(cal, vn(2026, 3, 12, 10), 2) == vn(2026, 3, 14)
