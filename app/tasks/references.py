"""Lists that form fields may refer to (camunda:property ref=...)."""

from sqlalchemy import select

from app.agencies.models import Agency


def reference_exists(session, kind: str, value) -> bool:
    """Is `value` an entry of the list `kind`?"""
    if kind == "agency":
        return session.scalar(select(Agency.id).where(Agency.code == str(value))) is not None
    return False
