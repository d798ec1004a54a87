"""A submission's content in its audit entry: named and fingerprinted, not copied. The petition's row keeps the one
copy (nothing changes it after submission); the history shows the row's text while it matches the fingerprint, and
says so when it does not (≈ 0.9 KB of each petition's audit entries)."""

import hashlib

from app.engine.held import MARK
from app.translation import lazy_gettext

CHANGED = lazy_gettext("Nội dung đang lưu khác với nội dung đã tiếp nhận (mã kiểm tra không khớp)")


def held_content(text: str) -> dict:
    """What the audit entry keeps of the content: that the petition's row holds it, and its SHA-256."""
    return {MARK: "content", "sha256": _digest(text), "chars": len(text)}


def is_held(value) -> bool:
    return isinstance(value, dict) and value.get(MARK) == "content"


def shown_content(value: dict, text: str | None) -> str:
    """The row's text when it is the one submitted; a warning when it is not."""
    return text if text is not None and value.get("sha256") == _digest(text) else str(CHANGED)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
