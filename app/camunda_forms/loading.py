"""Reading .form files and finding the form a user task names (camunda:formRef or camunda:formKey)."""

import json
from pathlib import Path

from .located_json import loads
from .model import Form, build
from .problems import FormProblem
from .schema import schema_problems
from .support import support_problems

FORM_KEY_PREFIXES = ("camunda-forms:deployment:", "camunda-forms:app:")


class FormFileError(ValueError):
    """A file that is not a form at all (not JSON, not an object)."""

    def __init__(self, problem: FormProblem):
        super().__init__(str(problem))
        self.problem = problem


def load_form(data: bytes | str, file_name: str) -> Form:
    """The component tree of a .form file's content; raises FormFileError when it is not JSON."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    try:
        spec = loads(text)
    except json.JSONDecodeError as err:
        raise FormFileError(FormProblem(file_name, err.lineno, None, f"not JSON: {err.msg}")) from None
    except UnicodeDecodeError as err:
        raise FormFileError(FormProblem(file_name, None, None, f"not UTF-8 text: {err.reason}")) from None
    if not isinstance(spec, dict):
        raise FormFileError(FormProblem(file_name, 1, None, "a form file holds one JSON object"))
    return build(spec, file_name)


def check_form(form: Form) -> list[FormProblem]:
    """Everything that keeps a form from being shown and checked here: schema first, then this renderer's limits."""
    return schema_problems(form.spec, form.file_name) + support_problems(form)


def form_file_of_key(form_key: str | None) -> str | None:
    """'camunda-forms:deployment:NAME.form' (or camunda-forms:app:PATH) → the file it names; None otherwise."""
    for prefix in FORM_KEY_PREFIXES:
        if form_key and form_key.startswith(prefix):
            return form_key[len(prefix) :].strip()
    return None


class FormRegistry:
    """The forms of a directory (and any extra files), by form id and by file name, with their problems."""

    def __init__(self):
        self.forms: list[Form] = []
        self.problems: list[FormProblem] = []  # problems of every file, for `run.py validate`
        self._problems_of: dict[int, list[FormProblem]] = {}
        self._by_id: dict[str, Form] = {}
        self._by_path: dict[str, Form] = {}

    @classmethod
    def from_directory(cls, directory: Path | str | None, extra_files=()) -> "FormRegistry":
        """Every *.form under `directory` (keyed by path relative to it) plus `extra_files` (keyed by name)."""
        registry, seen = cls(), set()
        directory = Path(directory) if directory else None
        if directory is not None and directory.is_dir():
            for path in sorted(directory.rglob("*.form")):
                seen.add(path.resolve())
                registry.add(path.read_bytes(), str(path), path.relative_to(directory).as_posix())
        for path in map(Path, extra_files):
            if path.resolve() not in seen:
                registry.add(path.read_bytes(), str(path), path.name)
        return registry

    def add(self, data: bytes | str, file_name: str, name: str | None = None) -> Form | None:
        """Load one file; its problems are recorded, a form that loads is registered even with problems."""
        try:
            form = load_form(data, file_name)
        except FormFileError as err:
            self.problems.append(err.problem)
            return None
        problems = check_form(form)
        if form.id and form.id in self._by_id:
            other = self._by_id[form.id].file_name
            problems.append(
                FormProblem(
                    file_name, getattr(form.spec, "line", None), None, f"form id {form.id!r} is also used by {other}"
                )
            )
        self.forms.append(form)
        self.problems.extend(problems)
        self._problems_of[id(form)] = problems
        self._by_id.setdefault(form.id or "", form)
        self._by_path[name or Path(file_name).name] = form
        return form

    def problems_of(self, form: Form) -> list[FormProblem]:
        return self._problems_of.get(id(form), [])

    def by_id(self, form_id: str) -> Form | None:
        return self._by_id.get(form_id) if form_id else None

    def by_file(self, name: str) -> Form | None:
        """By path relative to the forms directory ('forms/' prefix allowed), else by a unique file name."""
        name = name.strip().removeprefix("./")
        for candidate in (name, name.removeprefix("forms/")):
            if candidate in self._by_path:
                return self._by_path[candidate]
        matches = [form for path, form in self._by_path.items() if Path(path).name == Path(name).name]
        return matches[0] if len(matches) == 1 else None

    def find(self, form_ref: str | None = None, form_key: str | None = None) -> Form | None:
        """The form a user task names: formRef (a form id) wins over a camunda-forms: formKey."""
        if form_ref:
            return self.by_id(form_ref)
        file_name = form_file_of_key(form_key)
        return self.by_file(file_name) if file_name else None

    def for_task(self, task_spec) -> Form | None:
        """The Camunda Form of a parsed user task (its `extensions` keep formRef and formKey), if it has one."""
        extensions = getattr(task_spec, "extensions", None) or {}
        return self.find(extensions.get("form_ref"), extensions.get("form_key"))
