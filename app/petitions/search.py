"""Search that ignores Vietnamese diacritics: "dat dai" finds "đất đai"."""

import re
import unicodedata

from sqlalchemy import select

from .models import Petition

MAX_QUERY_CHARS = 200  # a search box's worth; longer input is cut, not refused
MAX_QUERY_WORDS = 10  # each word is one more term of the full-text query
VIETNAMESE_MARKS = re.compile("[\u0300-\u036f]+")  # the combining marks NFD gives Vietnamese letters


def fold(text: str | None) -> str:
    """Lower case, no diacritics (đ → d), single spaces."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    bare = VIETNAMESE_MARKS.sub("", unicodedata.normalize("NFD", text))
    if not bare.isascii():  # other scripts' marks: the general rule, per character (slower, rare)
        bare = "".join(c for c in bare if unicodedata.category(c) != "Mn")
    return " ".join(bare.lower().split())


def search_text(petition) -> str:
    """What the public search looks in: the published texts only (public title, public summary, answer).

    Never the petition's own title or content (the intake office redacts them at publication) nor the sender.
    """
    return fold(" ".join(filter(None, (petition.public_title, petition.public_summary, petition.answer))))


def staff_search_text(petition) -> str:
    """What the staff's case list looks in: the tracking code, the title and the sender's name, folded."""
    return fold(" ".join(filter(None, (petition.tracking_code, petition.title, petition.sender_name))))


def search_words(query: str | None) -> list[str]:
    """The distinct words of a typed query, folded, at most MAX_QUERY_WORDS of the first MAX_QUERY_CHARS."""
    words = fold((query or "")[:MAX_QUERY_CHARS].replace("\x00", " ")).split()
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]


def refresh_search_texts(session) -> int:
    """Recompute the stored search text of published petitions; returns how many changed.

    Needed once on a database from before search_text left out the content: those rows still hold it.
    The caller commits.
    """
    changed = 0
    for petition in session.scalars(select(Petition).where(Petition.published_at.is_not(None))):
        text = search_text(petition)
        if petition.search_text != text:
            petition.search_text, changed = text, changed + 1
    return changed
