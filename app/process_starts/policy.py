"""Who may start a process by hand: the one rule the start page and the start operation ask."""

from app.engine.starting import StartEvent


def may_start(user, start: StartEvent) -> bool:
    """The process's candidate starters (camunda:candidateStarterGroups: roles; candidateStarterUsers: usernames).

    A process that names no starter may be started by active administrators only: a designer who forgot to say
    who starts it must not open it to every member of staff.
    """
    if user is None or not user.active:
        return False
    if not start.groups and not start.users:
        return user.role == "admin"
    return user.username in start.users or user.role in start.groups
