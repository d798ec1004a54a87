"""The national calendar: weekends and the public holidays the `holidays` package knows for Vietnam."""

from functools import lru_cache

import holidays

from .working_days import Calendar


@lru_cache(maxsize=8)
def national_calendar(first_year: int = 2020, last_year: int = 2035) -> Calendar:
    """Saturdays and Sundays off plus Labour Code Art. 112 holidays (dated overrides come with calendars/)."""
    days_off = frozenset(holidays.country_holidays("VN", years=range(first_year, last_year + 1)).keys())
    return Calendar(days_off=days_off)
