"""The official form-js JSON schema (vendored in form-js-schema.json, origin noted there) applied to a form."""

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft7Validator

from .problems import FormProblem

SCHEMA_FILE = Path(__file__).with_name("form-js-schema.json")


@lru_cache(maxsize=1)
def _validator() -> Draft7Validator:
    return Draft7Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def schema_problems(spec, file_name: str) -> list[FormProblem]:
    """One problem per schema violation, with the line and component it is in."""
    validator = _validator()
    found = []
    for error in validator.iter_errors(spec):
        path = list(error.absolute_path)
        line, component, node = _locate(spec, path)
        message = _message(error, node, path, validator)
        found.append(FormProblem(file_name, line, _ref(component), message))
    return sorted(set(found), key=lambda p: (p.line or 0, p.component or "", p.message))


def _locate(spec, path):
    """(line, component object, innermost object) of a JSON path in the document."""
    node, line, component, inner = spec, getattr(spec, "line", None), None, spec
    for i, step in enumerate(path):
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict):
            inner, line = node, getattr(node, "line", line)
            if i > 0 and path[i - 1] == "components":
                component = node
    return line, component, inner


def _ref(component) -> str | None:
    if component is None:
        return None
    for name in ("key", "id", "type"):
        if isinstance(component.get(name), str) and component[name]:
            return component[name]
    return "?"


def _message(error, node, path, validator) -> str:
    if error.schema is False:
        keys = _forbidden_keys(error, node, validator)
        kind = node.get("type") if isinstance(node, dict) else None
        where = f" on a {kind} component" if kind else (f" in {path[-1]}" if path else "")
        if keys:
            return f"form-js schema: key {', '.join(repr(k) for k in keys)} is not allowed{where}"
        return f"form-js schema: value {error.instance!r} is not allowed{where}"
    if error.validator == "enum" and list(error.absolute_path)[-1:] == ["type"]:
        return f"form-js schema: unknown component type {error.instance!r}"
    trail = []
    for step in reversed(path):
        if not isinstance(step, str):
            break
        trail.insert(0, step)
    return f"form-js schema: {'.'.join(trail) + ': ' if trail else ''}{error.message}"


def _forbidden_keys(error, node, validator) -> list[str]:
    """Keys of `node` that a `false` subschema forbids (jsonschema leaves them out of the error's path)."""
    if not isinstance(node, dict):
        return []
    schema = validator.schema
    for step in list(error.schema_path):
        # The error's schema path steps through $ref without naming it (draft 7: $ref replaces its siblings).
        while isinstance(schema, dict) and "$ref" in schema and (step == "$ref" or step not in schema):
            schema = _local(validator.schema, schema["$ref"])
        if step == "$ref":
            continue
        try:
            schema = schema[step]
        except (KeyError, IndexError, TypeError):
            return []
    if not isinstance(schema, dict):
        return []
    banned = [k for k, v in schema.items() if v is False and k in node]
    exact = [k for k in banned if node[k] is error.instance]
    return exact or banned


def _local(root: dict, ref: str):
    """The subschema of a local "#/a/b" reference (the vendored schema has no other kind)."""
    node = root
    for part in ref.removeprefix("#/").split("/"):
        node = node.get(part) if isinstance(node, dict) else None
    return node
