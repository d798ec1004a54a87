"""The FEEL subset Camunda Forms use in conditions: its evaluator (the parser is in feel_syntax.py).

Supported: numbers, "strings", true, false, null, [lists], names and dotted paths, = != < <= > >=, + - * /,
and, or, not(...), parentheses, and the functions `is defined`, `string length`, `count`, `list contains`,
`contains`, `starts with`, `ends with`. Semantics follow FEEL: a missing name is null; ordering comparisons
and arithmetic with null (or values of different kinds) give null; `=` and `!=` treat null as a value;
`and`/`or` are three-valued. `static/camunda-forms.js` implements the same subset for the browser.
"""

from decimal import Decimal, InvalidOperation

# check and names are this module's API too (the forms and tests import them from here)
from .feel_syntax import COMPARISONS, FeelSyntaxError, check, names, parse, strip_marker  # noqa: F401


def evaluate(expression: str, data: dict):
    """The value of a form-js expression ("=..."), FEEL semantics; raises FeelSyntaxError when unreadable."""
    return _eval(parse(strip_marker(expression)[0]), data)


def is_true(expression: str, data: dict) -> bool:
    """Whether an expression yields exactly true (null, false, other values or unreadable: no)."""
    try:
        return evaluate(expression, data) is True
    except FeelSyntaxError:
        return False


def _number(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    return None


def _kind(value) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if _number(value) is not None:
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "context"
    return None


def _normal(value):
    """Numbers as Decimal, tuples as lists, so that equal FEEL values compare equal in Python."""
    number = _number(value)
    if number is not None:
        return number
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    return value


def equal(a, b):
    """FEEL `=`: null = null is true, null = x is false, values of different kinds give null."""
    if a is None or b is None:
        return a is None and b is None
    if _kind(a) != _kind(b) or _kind(a) is None:
        return None
    return _normal(a) == _normal(b)


def _compare(op, a, b):
    if op in ("=", "!="):
        result = equal(a, b)
        return result if result is None or op == "=" else not result
    kind = _kind(a)
    if kind != _kind(b) or kind not in ("number", "string"):
        return None
    a, b = _normal(a), _normal(b)
    return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _arithmetic(op, a, b):
    if op == "+" and isinstance(a, str) and isinstance(b, str):
        return a + b
    x, y = _number(a), _number(b)
    if x is None or y is None:
        return None
    try:
        return {"+": x + y, "-": x - y, "*": x * y, "/": x / y if y else None}[op]
    except InvalidOperation:
        return None


def _logic(op, left, right):
    a = left if isinstance(left, bool) else None
    b = right if isinstance(right, bool) else None
    if op == "and":
        if a is False or b is False:
            return False
        return True if a is True and b is True else None
    if a is True or b is True:
        return True
    return False if a is False and b is False else None


def _call(name, args):
    if name == "not":
        return (not args[0]) if isinstance(args[0], bool) else None
    if name == "is defined":
        return args[0] is not None
    if name == "string length":
        return len(args[0]) if isinstance(args[0], str) else None
    if name == "count":
        return len(args[0]) if isinstance(args[0], list | tuple) else None
    if name == "list contains":
        items, wanted = args
        if not isinstance(items, list | tuple):
            return None
        return any(equal(item, wanted) is True for item in items)
    text, part = args
    if not isinstance(text, str) or not isinstance(part, str):
        return None
    return {"contains": part in text, "starts with": text.startswith(part), "ends with": text.endswith(part)}[name]


def _eval(node, data):
    kind = node[0]
    if kind == "lit":
        return node[1]
    if kind == "name":
        return data.get(node[1]) if isinstance(data, dict) else None
    if kind == "path":
        base = _eval(node[1], data)
        return base.get(node[2]) if isinstance(base, dict) else None
    if kind == "list":
        return [_eval(item, data) for item in node[1]]
    if kind == "neg":
        value = _number(_eval(node[1], data))
        return -value if value is not None else None
    if kind in ("and", "or"):
        return _logic(kind, _eval(node[1], data), _eval(node[2], data))
    if kind == "call":
        return _call(node[1], [_eval(arg, data) for arg in node[2]])
    op, left, right = node[1], _eval(node[2], data), _eval(node[3], data)
    if op in COMPARISONS:
        return _compare(op, left, right)
    return _arithmetic(op, left, right)
