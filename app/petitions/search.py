"""Search that ignores Vietnamese diacritics: "dat dai" finds "đất đai"."""

import unicodedata


def fold(text: str | None) -> str:
    """Lower case, no diacritics (đ → d), single spaces."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return " ".join(bare.lower().split())


def search_text(petition) -> str:
    """What the public search looks in (title, summary of the answer, answer; never the sender)."""
    return fold(" ".join(filter(None, (petition.title, petition.content, petition.public_summary, petition.answer))))
