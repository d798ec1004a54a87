"""Drawings of deployed versions kept for reuse: cases at the same place of the same version look alike, and
drawing a version again costs more than the rest of an instance's page (text widths of every label)."""

import threading
from collections import OrderedDict
from collections.abc import Callable

from .svg import Diagram, render_diagrams

KEPT = 128  # drawings (about 100 KB each): the common places of the versions in use
_drawn: OrderedDict = OrderedDict()
_lock = threading.Lock()


def drawn_diagrams(
    version: str, xml: Callable[[], bytes], marks: dict[str, str], *, file_name: str, anchors: dict[str, str]
) -> list[Diagram]:
    """`render_diagrams` of a version (its content hash) with these marks and anchors, drawn once; `xml` is read
    only when the drawing is not kept. A DiagramError is raised each time, never kept."""
    key = (version, tuple(sorted(marks.items())), tuple(sorted(anchors.items())))
    with _lock:
        if key in _drawn:
            _drawn.move_to_end(key)
            return _drawn[key]
    diagrams = render_diagrams(xml(), marks, file_name=file_name, anchors=anchors)
    with _lock:
        _drawn[key] = diagrams
        while len(_drawn) > KEPT:
            _drawn.popitem(last=False)
    return diagrams
