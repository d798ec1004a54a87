"""What makes a .form file unusable, named by file, line and component (key, else id)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FormProblem:
    file: str
    line: int | None
    component: str | None  # the component's key, else its id; None for the file or the form itself
    message: str

    @property
    def element(self) -> str | None:
        """The element column of `python run.py validate` output."""
        return f"component {self.component}" if self.component else None

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.element or '-'}: {self.message}"
