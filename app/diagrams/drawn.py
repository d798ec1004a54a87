"""Drawings of deployed versions kept for reuse: cases at the same place of the same version look alike, and
drawing a version again costs more than the rest of an instance's page (text widths of every label)."""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

from .svg import Diagram, render_diagrams

KEPT = 128  # drawings (about 100 KB each): the common places of the versions in use, in each language
_drawn: OrderedDict = OrderedDict()
_lock = threading.Lock()


def drawn_diagrams(
    xml_bytes: bytes,
    marks: dict[str, str],
    *,
    file_name: str,
    anchors: dict[str, str],
    language: str | None = None,
    names: Callable[[str], str] | None = None,
) -> list[Diagram]:
    """`render_diagrams` of a model with these marks and anchors, its names translated by `names` into `language`,
    drawn once per process and language: kept by the digest of the XML itself (never by a version's name, which a
    stored model could contradict) and the language, so that a drawing in one language is never shown on a page
    in another. A DiagramError is raised each time, never kept."""
    if names is not None and not language:
        raise ValueError("translated names need their language: drawings are kept per language")
    key = (hashlib.blake2b(xml_bytes, digest_size=16).digest(), tuple(sorted(marks.items())),
           tuple(sorted(anchors.items())), language if names is not None else None)  # fmt: skip
    with _lock:
        if key in _drawn:
            _drawn.move_to_end(key)
            return _drawn[key]
    diagrams = render_diagrams(xml_bytes, marks, file_name=file_name, anchors=anchors, names=names)
    with _lock:
        _drawn[key] = diagrams
        while len(_drawn) > KEPT:
            _drawn.popitem(last=False)
    return diagrams
