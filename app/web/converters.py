"""URL converters: `<int:…>` only matches what a database integer column holds."""

from werkzeug.routing import IntegerConverter

BIGGEST_ID = 2**63 - 1  # a signed 64-bit column (SQLite INTEGER, PostgreSQL bigint)


class DatabaseIdConverter(IntegerConverter):
    """Flask's `int`, capped: /cong-viec/99999999999999999999 is 404 instead of an overflow in the database."""

    def __init__(self, map, fixed_digits=0, min=None, max=BIGGEST_ID, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
