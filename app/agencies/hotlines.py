"""Emergency and information numbers shown to a sender before he writes: the national ones, and each province's
own (administered on the province's page, one "label | number" per line)."""

import re
from dataclasses import dataclass

from app.translation import lazy_gettext

NUMBER = re.compile(r"^\+?[0-9][0-9 .\-]{1,18}[0-9]$")
MAX_LINES = 10


@dataclass(frozen=True)
class Hotline:
    label: object  # a text, or a catalogue msgid for the national numbers
    number: str


# the emergency short codes every network routes free of charge
NATIONAL = (
    Hotline(lazy_gettext("Công an"), "113"),
    Hotline(lazy_gettext("Cứu hỏa, cứu nạn cứu hộ"), "114"),
    Hotline(lazy_gettext("Cấp cứu y tế"), "115"),
)


def parse_hotlines(text: str | None) -> tuple[list[Hotline], list[int]]:
    """The lines of an administrator's text as hotlines, and the numbers (from 1) of the lines that are not
    "label | number" with a plausible number."""
    hotlines, bad = [], []
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for n, line in enumerate(lines, start=1):
        label, _, number = line.rpartition("|")
        label, number = label.strip(), number.strip()
        if not (2 <= len(label) <= 100 and NUMBER.match(number)):
            bad.append(n)
        else:
            hotlines.append(Hotline(label, number))
    return hotlines, bad


def province_hotlines(province) -> list[Hotline]:
    """The province's own numbers (none when it has not given any)."""
    return parse_hotlines(province.hotlines if province is not None else None)[0]
