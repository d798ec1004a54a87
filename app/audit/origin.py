"""Where the web request being served comes from, for the audit of a refusal raised anywhere while serving it.

The web layer sets it (app/web/access.py) and the domain reads it here, without importing Flask. Outside a request
(scheduler, commands, tests calling operations) it is None and refusals are written as before.
"""

from contextvars import ContextVar
from typing import NamedTuple


class Visitor(NamedTuple):
    """The signed-in user as the audit names him (a User's two columns, no database object to reload)."""

    username: str
    role: str


class Origin(NamedTuple):
    address: str | None  # the client's address as the web layer sees it (behind the trusted proxies)
    path: str
    who: Visitor | str  # the signed-in user, or the name of a visitor without a login ("anonymous")


# A context variable, not a global: each request (thread or task) sees its own origin.
ORIGIN: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def refusal_origin(actor, data: dict | None) -> tuple[object, dict | None]:
    """The actor and data of a refusal, completed from the request being served: its address and path unless the
    refusal names them itself, and the request's visitor when the refusal names nobody."""
    origin = ORIGIN.get()
    if origin is None:
        return actor, data
    data = {"address": origin.address, "path": origin.path, **(data or {})}  # the refusal's own values win
    return (origin.who if actor is None else actor), data
