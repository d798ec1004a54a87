"""Where a form or a link may send the browser next: only a path of this site."""

import re

# Control characters (CR/LF would split the Location header) and backslashes (browsers read "/\host" as a host).
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\\]")


def local_target(target: str | None, fallback: str) -> str:
    """`target` when it is a path of this site ("/cong-viec?loc=1"), else `fallback`.

    Refused: empty, not starting with "/", "//host" (another site), any backslash, control character or NUL.
    A scheme or host cannot follow a single leading "/", so none gets through.
    """
    if not target or not target.startswith("/") or target.startswith("//") or _UNSAFE.search(target):
        return fallback
    return target
