"""Dotted keys ("address.street") as paths into nested task data, as form-js binds them."""

MISSING = object()


def get_path(data, key: str, default=None):
    node = data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def has_path(data, key: str) -> bool:
    return get_path(data, key, MISSING) is not MISSING


def set_path(data: dict, key: str, value, base=None) -> None:
    """Set `value` at `key`; an intermediate object starts as a copy of the one in `base` (so siblings stay)."""
    parts = key.split(".")
    node, source = data, base
    for part in parts[:-1]:
        source = source.get(part) if isinstance(source, dict) else None
        if not isinstance(node.get(part), dict):
            node[part] = dict(source) if isinstance(source, dict) else {}
        node = node[part]
    node[parts[-1]] = value


def delete_path(data: dict, key: str) -> None:
    parts = key.split(".")
    node = data
    for part in parts[:-1]:
        node = node.get(part) if isinstance(node, dict) else None
    if isinstance(node, dict):
        node.pop(parts[-1], None)


def merged(base, over) -> dict:
    """`over` laid on a copy of `base`, objects merged key by key (lists and other values replaced)."""
    out = {k: (merged(v, {}) if isinstance(v, dict) else v) for k, v in (base or {}).items()}
    for k, v in (over or {}).items():
        out[k] = merged(out.get(k) if isinstance(out.get(k), dict) else {}, v) if isinstance(v, dict) else v
    return out
