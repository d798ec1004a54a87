"""URL converters: `<int:…>` only matches what a database integer column holds; a query's day fits an instant."""

from datetime import date

from werkzeug.routing import IntegerConverter

BIGGEST_ID = 2**63 - 1  # a signed 64-bit column (SQLite INTEGER, PostgreSQL bigint)
FIRST_YEAR, LAST_YEAR = 1900, 9000  # days a period may name: the calendar's ends do not fit an instant in UTC


def query_day(text: str | None, default: date) -> date:
    """A day given in a query string (YYYY-MM-DD), or `default` when it is missing, mistyped or out of range."""
    try:
        day = date.fromisoformat(text) if text else default
    except ValueError:
        return default  # a mistyped date shows the default period, named on the page
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else default


class DatabaseIdConverter(IntegerConverter):
    """Flask's `int`, capped: /cong-viec/99999999999999999999 is 404 instead of an overflow in the database."""

    def __init__(self, map, fixed_digits=0, min=None, max=BIGGEST_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
