"""The interface every task form offers (app/tasks/task_forms.py picks the adapter of a user task)."""

from abc import ABC, abstractmethod
from collections.abc import Callable

from markupsafe import Markup

from app.engine.forms import FormField

AGENCY_OPTIONS = "agency_options"  # the valuesKey that agency selects of the product's forms use
DUPLICATE_OPTIONS = "duplicate_options"  # the classification's earlier cases that may be the same matter
MAY_ASK_SENDER = "agency_may_ask_sender"  # whether the province lets a handling agency ask the sender itself

# store_files(key, uploads, public) → what the task data keeps of a file picker's checked uploads.
StoreFiles = Callable[[str, list, bool], object]


class TaskForm(ABC):
    """A user task's form: its fields as HTML, a submission checked and typed, its fields described."""

    @property
    @abstractmethod
    def inputs(self) -> list[tuple[str, str]]:
        """(key, label) of every field that takes a value, in the form's order; labels are msgids."""

    @property
    def has_files(self) -> bool:
        """Whether the page's <form> must be sent as multipart/form-data."""
        return False

    def reads(self, name: str) -> bool:
        """Whether the form may read `name` from its context (a product list is computed only for forms that do)."""
        return True

    @abstractmethod
    def render(self, context: dict, values=None, errors=None, lang: str = "vi") -> Markup:
        """The fields as HTML, to put inside the page's own <form> (which holds CSRF and the buttons).

        `context` is form_context's (task data and the product's lists). First display: `values` None. After a
        refusal: `values` = what the browser sent, `errors` = the FormInvalid (or {key: message}).
        """

    @abstractmethod
    def submit(self, context: dict, raw, files=None, store_files: StoreFiles | None = None) -> dict:
        """The values for the task data from `raw` (request.form, or a dict from code), or FormInvalid."""

    @abstractmethod
    def describe(self) -> list[FormField]:
        """The fields as descriptions (labels, option names, agency references), for histories."""
