"""Long texts a case's own row keeps (the published answer), written once: a finished instance's state names them
(`{"$held": "answer"}`) instead of repeating them, and gets them back from the row when it is read.

A finished petition's answer was four copies in its state (the workflow's data and the deltas of the tasks that
carried it): ≈ 650 of its 2,200 compressed bytes, which made the state too big for two to share a SQLite page.
The row is the truth: a state read after the case's text was corrected shows the corrected text.
"""

HOLD_OVER = 200  # characters: shorter values cost less than the look-up
MARK = "$held"

_sources = []  # (session, the instance's data) -> {variable: text the case's row keeps}


def held_by(source):
    """Register a source of held texts (a domain's rows); returns it, to be used as a decorator."""
    _sources.append(source)
    return source


def held_texts(session, data: dict) -> dict[str, str]:
    """The long texts the rows behind an instance keep, by variable (its data tells which case it is)."""
    texts = {}
    for source in _sources:
        texts.update(source(session, data))
    return {name: text for name, text in texts.items() if isinstance(text, str) and len(text) >= HOLD_OVER}


class HeldTextMissing(ValueError):
    """A state names a text its case's row no longer gives."""


def hold(dct: dict, texts: dict[str, str]) -> None:
    """Name the held texts in a state's dictionaries instead of writing them (new dictionaries where one changes:
    the serializer's dictionaries may be the live workflow's own)."""
    names = {text: name for name, text in texts.items()}
    _walk(dct, lambda value: {MARK: names[value]} if type(value) is str and value in names else value)


def give_back(dct: dict, texts: dict[str, str]) -> None:
    """Put the held texts back where the state names them."""

    def text_of(value):
        if type(value) is not dict or len(value) != 1 or MARK not in value:
            return value
        if value[MARK] not in texts:
            raise HeldTextMissing(f"the state names the case's {value[MARK]!r}, which its row does not hold")
        return texts[value[MARK]]

    _walk(dct, text_of)


def _walk(workflow: dict, change) -> None:
    """Apply `change` to every variable of a workflow's dictionaries and its subprocesses'."""
    for part in (workflow, *workflow.get("subprocesses", {}).values()):
        part["data"] = _changed(part.get("data"), change)
        for task in part.get("tasks", {}).values():
            task["data"] = _changed(task.get("data"), change)
            delta = task.get("delta")
            if delta and delta.get("updates"):
                task["delta"] = {**delta, "updates": _changed(delta["updates"], change)}


def _changed(values, change):
    if not values:
        return values
    new = {key: change(value) for key, value in values.items()}
    return new if any(new[key] is not values[key] for key in values) else values
