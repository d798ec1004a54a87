"""Numbers as form files and browsers write them: numbers or numeric strings, read exactly as Decimal."""

from decimal import Decimal, InvalidOperation


def to_decimal(value) -> Decimal | None:
    """The finite number `value` stands for (1, 1.5, "1.5", " 2 "), else None (booleans are not numbers)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def to_count(value) -> int | None:
    """A whole, non-negative number (minLength, maxLength), else None."""
    number = to_decimal(value)
    return int(number) if number is not None and number == number.to_integral_value() and number >= 0 else None


def to_positive(value) -> Decimal | None:
    number = to_decimal(value)
    return number if number is not None and number > 0 else None
