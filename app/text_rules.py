"""Rules every typed text obeys: no control characters (PostgreSQL refuses NUL), and a visible length."""

import re
import unicodedata

# C0 and C1 control characters and DEL; tab, line feed and carriage return are ordinary typing.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control(text) -> bool:
    """Whether the text holds a control character a person cannot have meant to type."""
    return isinstance(text, str) and _CONTROL.search(text) is not None


def visible_length(text: str) -> int:
    """Characters that show: no spaces, invisible format characters or lone combining marks."""
    return sum(1 for c in unicodedata.normalize("NFC", text or "") if unicodedata.category(c)[0] not in "ZCM")
