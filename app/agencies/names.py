"""How an agency is named where agencies of several provinces are listed together."""

import unicodedata


def with_province(name: str, province: str | None) -> str:
    """The agency's name followed by its province in brackets, unless the name already says it (agencies named
    "UBND xã Trung Tâm (tỉnh Bắc Ninh)" by earlier releases or by their administrators)."""
    if not province or _plain(province) in _plain(name):
        return name
    return f"{name} ({province})"


def _plain(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()
