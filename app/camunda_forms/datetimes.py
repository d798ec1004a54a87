"""form-js datetime values: what the browser's date/time inputs send, and how task data stores them.

Stored as ISO strings (task data must be JSON, as the generated forms store dates): date "2026-02-10";
time and datetime per `timeSerializingFormat` (form-js default utc_offset): "09:00+07:00",
"2026-02-10T09:00+07:00"; utc_normalized "02:00Z"; no_timezone "09:00". Local time is Vietnam's.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_FORMAT = "utc_offset"


def today() -> date:
    return datetime.now(ZONE).date()


def offset_text() -> str:
    """The zone's UTC offset as "+07:00" (Vietnam keeps no daylight saving time)."""
    offset = datetime.now(ZONE).strftime("%z")
    return f"{offset[:3]}:{offset[3:]}"


def parse_input(subtype: str, text: str, serializing: str | None) -> str:
    """The stored form of what the browser sent; raises ValueError when it is not a date / time / datetime."""
    serializing = serializing or DEFAULT_FORMAT
    if subtype == "date":
        return date.fromisoformat(text).isoformat()
    if subtype == "time":
        moment = time.fromisoformat(text)
        if moment.tzinfo is not None:
            raise ValueError(text)
        return _serialize(datetime.combine(today(), moment), serializing, "time")
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is not None or "T" not in text:
        raise ValueError(text)
    return _serialize(moment, serializing, "datetime")


def _serialize(local: datetime, serializing: str, subtype: str) -> str:
    spec = "seconds" if local.second else "minutes"
    if serializing == "no_timezone":
        moment, suffix = local, ""
    elif serializing == "utc_normalized":
        moment, suffix = local.replace(tzinfo=ZONE).astimezone(UTC), "Z"
    else:
        moment, suffix = local, local.replace(tzinfo=ZONE).strftime("%z")
        suffix = f"{suffix[:3]}:{suffix[3:]}"
    text = moment.time().isoformat(spec) if subtype == "time" else moment.replace(tzinfo=None).isoformat(timespec=spec)
    return text + suffix


def input_value(subtype: str, stored) -> str:
    """What a date/time/datetime-local input shows for a stored value (local time); '' when unreadable."""
    try:
        if subtype == "date":
            return (stored if isinstance(stored, date) else date.fromisoformat(str(stored)[:10])).isoformat()
        if subtype == "time":
            moment = stored if isinstance(stored, time) else time.fromisoformat(str(stored))
            if moment.tzinfo is not None:
                moment = datetime.combine(today(), moment).astimezone(ZONE).time()
            return moment.isoformat("seconds" if moment.second else "minutes")
        moment = stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
        if moment.tzinfo is not None:
            moment = moment.astimezone(ZONE).replace(tzinfo=None)
        return moment.isoformat(timespec="seconds" if moment.second else "minutes")
    except (TypeError, ValueError):
        return ""


def day_of(subtype: str, stored: str) -> date | None:
    """The calendar day of a stored date or datetime (for disallowPassedDates)."""
    if subtype == "time":
        return None
    try:
        return date.fromisoformat(input_value(subtype, stored)[:10])
    except ValueError:
        return None
