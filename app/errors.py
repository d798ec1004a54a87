"""Errors that operations raise for their callers (web, CLI, scheduler, tests) to report."""

from dataclasses import dataclass, field

from app.messages import render


@dataclass
class FieldError:
    """A refused value: which field, which rule, and the values its message needs."""

    field: str
    rule: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str = "vi") -> str:
        """The message in `lang` from the catalogue, its label translated too (no request needed)."""
        return render(self.rule, lang, **self.params)


class FormInvalid(Exception):
    """The input breaks rules; `errors` has one entry per field. Nothing was stored."""

    def __init__(self, errors: list[FieldError]):
        super().__init__("; ".join(f"{e.field}: {e.message('en')}" for e in errors))
        self.errors = errors

    def by_field(self, lang: str = "vi") -> dict[str, str]:
        """One message per field (its first broken rule) in `lang`: what every page and command shows."""
        messages = {}
        for error in self.errors:
            messages.setdefault(error.field, error.message(lang))
        return messages


class NotFound(Exception):
    """The thing asked for does not exist (or is not visible to the asker)."""


class Conflict(Exception):
    """Someone else acted first (task already done or claimed, instance changed); nothing was stored.

    `by` and `at` say who acted and when, where known; `held` means the other person holds the task (still open).
    """

    def __init__(self, message: str = "", *, by: str | None = None, at=None, held: bool = False):
        super().__init__(message)
        self.by, self.at, self.held = by, at, held


class PermissionDenied(Exception):
    """The actor may not do this; the refusal is written to the audit log."""

    def __init__(self, message: str, *, actor=None, action: str = "", petition=None, task_id=None, data=None):
        super().__init__(message)
        self.actor, self.action, self.petition, self.task_id, self.data = actor, action, petition, task_id, data
