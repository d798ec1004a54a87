"""Who is an administrator: the one rule every administrative change applies (the operation audits a refusal)."""

from app.errors import PermissionDenied


def require_admin(actor, action: str, data: dict):
    """Refuse unless `actor` is an active administrator."""
    if actor is None or actor.role != "admin" or not actor.active:
        raise PermissionDenied("only an active administrator may do this", actor=actor, action=action, data=data)
