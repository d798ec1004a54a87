"""A Camunda Form (form-js schema) as a tree of components, read-only views over the file's JSON."""

import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

# Components that carry a value bound to `key`.
INPUT_TYPES = ("textfield", "textarea", "number", "datetime", "checkbox", "checklist", "radio", "select", "taglist")
FILE_TYPES = ("filepicker",)
OPTION_TYPES = ("checklist", "radio", "select", "taglist")
LIST_TYPES = ("checklist", "taglist")
CONTAINER_TYPES = ("group",)
PRESENTATION_TYPES = ("text", "separator", "spacer")
SUPPORTED_TYPES = INPUT_TYPES + FILE_TYPES + CONTAINER_TYPES + PRESENTATION_TYPES


@dataclass
class Component:
    """One component of a form; `spec` is its JSON object as the modeler wrote it."""

    spec: dict
    line: int | None = None
    components: list["Component"] = field(default_factory=list)
    data_options: list[tuple[str, str]] | None = None  # options read from the input data (`valuesKey`)

    @property
    def type(self) -> str:
        return str(self.spec.get("type", ""))

    @property
    def key(self) -> str | None:
        key = self.spec.get("key")
        return key if isinstance(key, str) and key else None

    @property
    def id(self) -> str | None:
        return self.spec.get("id") if isinstance(self.spec.get("id"), str) else None

    @property
    def ref(self) -> str:
        """How problems and messages name it: key, else id, else type."""
        return self.key or self.id or self.type or "?"

    @property
    def is_input(self) -> bool:
        return self.type in INPUT_TYPES + FILE_TYPES and self.key is not None

    @property
    def label(self) -> str:
        spec = self.spec
        if self.type == "datetime":
            first = spec.get("timeLabel") if self.subtype == "time" else spec.get("dateLabel")
            return str(spec.get("label") or first or spec.get("timeLabel") or "")
        return str(spec.get("label") or "")

    @property
    def description(self) -> str:
        return str(self.spec.get("description") or "")

    @property
    def validate(self) -> dict:
        return self.spec.get("validate") if isinstance(self.spec.get("validate"), dict) else {}

    @property
    def required(self) -> bool:
        return self.validate.get("required") is True

    @property
    def readonly(self) -> bool:
        return self.spec.get("readonly") is True

    @property
    def disabled(self) -> bool:
        return self.spec.get("disabled") is True

    @property
    def hide(self) -> str | bool | None:
        conditional = self.spec.get("conditional")
        hide = conditional.get("hide") if isinstance(conditional, dict) else None
        return hide if hide not in ("", None, False) else None

    @property
    def options(self) -> list[tuple[str, str]]:
        """(value, label) pairs of checklist, radio, select and taglist: static, or from the data (`valuesKey`)."""
        values = self.spec.get("values")
        if not isinstance(values, list):
            return self.data_options or []
        return [
            (str(v.get("value", "")), str(v.get("label") or v.get("value", ""))) for v in values if isinstance(v, dict)
        ]

    @property
    def values_key(self) -> str | None:
        key = self.spec.get("valuesKey")
        return key if isinstance(key, str) and key else None

    @property
    def subtype(self) -> str:
        return str(self.spec.get("subtype") or "date")

    @property
    def row(self) -> str | None:
        layout = self.spec.get("layout")
        return layout.get("row") if isinstance(layout, dict) and layout.get("row") else None

    @property
    def columns(self) -> int | None:
        layout = self.spec.get("layout")
        columns = layout.get("columns") if isinstance(layout, dict) else None
        return columns if isinstance(columns, int) and not isinstance(columns, bool) else None

    @property
    def multiple_files(self) -> bool:
        return self.spec.get("multiple") is True

    def walk(self) -> Iterator["Component"]:
        """This component and everything inside it, in document order."""
        yield self
        for child in self.components:
            yield from child.walk()


@dataclass
class Form:
    """A parsed .form file: its id, where it came from, and its top-level components."""

    id: str | None
    file_name: str
    spec: dict
    components: list[Component] = field(default_factory=list)

    @cached_property
    def names(self) -> frozenset[str]:
        """Every word of the form's JSON: its keys, valuesKeys and what its conditions read (a safe superset)."""
        return frozenset(self.word_counts)

    @cached_property
    def word_counts(self) -> Counter:
        """How often each word occurs in the form's JSON (read once per loaded form, not on every submission)."""
        return Counter(re.findall(r"\w+", json.dumps(self.spec)))

    def walk(self) -> Iterator[Component]:
        for component in self.components:
            yield from component.walk()

    def inputs(self) -> list[Component]:
        """Every component bound to a key (fields and file pickers), in document order."""
        return [c for c in self.walk() if c.is_input]

    @property
    def has_files(self) -> bool:
        """Whether the HTML form must be sent as multipart/form-data."""
        return any(c.type in FILE_TYPES for c in self.walk())


def with_data(form: Form, data: dict | None) -> Form:
    """The form with the options of `valuesKey` components read from `data` (form-js: input data
    `[{"label": …, "value": …}]` or plain values); the loaded form itself is shared and stays untouched."""
    data = data or {}

    def copy(c: Component) -> Component:
        options = None
        if c.values_key is not None:
            options = [_option(v) for v in data.get(c.values_key) or [] if _option(v) is not None]
        return replace(c, components=[copy(child) for child in c.components], data_options=options)

    return replace(form, components=[copy(c) for c in form.components])


def _option(value) -> tuple[str, str] | None:
    if isinstance(value, dict) and "value" in value:
        return str(value["value"]), str(value.get("label") or value["value"])
    if isinstance(value, str | int | float):
        return str(value), str(value)
    return None


def build(spec: dict, file_name: str) -> Form:
    """The component tree of a form's JSON (anything not an object in `components` is skipped)."""
    return Form(
        id=spec.get("id") if isinstance(spec.get("id"), str) else None,
        file_name=file_name,
        spec=spec,
        components=_components(spec.get("components")),
    )


def _components(items) -> list[Component]:
    if not isinstance(items, list):
        return []
    return [
        Component(spec=item, line=getattr(item, "line", None), components=_components(item.get("components")))
        for item in items
        if isinstance(item, dict)
    ]
