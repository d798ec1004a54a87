"""Camunda 7's JUEL expressions (`${…}`, `#{…}`): recognised, and turned into Python where that is obvious.

The engine evaluates Python only; a JUEL expression is refused at deployment with the Python a designer would
write instead, when the translation is a plain comparison or logic over variables (no method calls).
"""

import ast
import re

_JUEL = re.compile(r"[$#]\{")
_WHOLE = re.compile(r"^\s*[$#]\{(?P<body>.*)\}\s*$", re.DOTALL)
# JUEL's word operators and literals, and their Python spelling.
_WORDS = {
    "eq": "==",
    "ne": "!=",
    "lt": "<",
    "gt": ">",
    "le": "<=",
    "ge": ">=",
    "true": "True",
    "false": "False",
    "null": "None",
    "div": "/",
    "mod": "%",
}
_STRINGS = re.compile(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")
_SIMPLE_NODES = (
    ast.Expression,
    ast.BoolOp,
    ast.UnaryOp,
    ast.BinOp,
    ast.Compare,
    ast.Name,
    ast.Constant,
    ast.Load,
    ast.boolop,
    ast.unaryop,
    ast.operator,
    ast.cmpop,
)


def _operators(code: str) -> str:
    code = code.replace("&&", " and ").replace("||", " or ")
    code = re.sub(r"!(?!=)", " not ", code)
    code = re.sub(r"\bnot\s+empty\b", " ", code)
    code = re.sub(r"\bempty\b", " not ", code)
    return re.sub(r"\b(" + "|".join(_WORDS) + r")\b", lambda m: _WORDS[m.group(1)], code)


def is_juel(text: str | None) -> bool:
    """True when the text holds a JUEL expression (`${…}` or `#{…}`)."""
    return bool(text) and _JUEL.search(text) is not None


def python_equivalent(text: str) -> str | None:
    """The Python of a whole-text JUEL expression over variables (`${x > 5}` → `x > 5`), or None when there is
    no obvious one (method calls, beans, several expressions in one text)."""
    match = _WHOLE.match(text or "")
    if match is None or is_juel(match.group("body")):
        return None
    # operators are rewritten outside string literals only
    parts = _STRINGS.split(match.group("body").strip())
    body = " ".join("".join(p if i % 2 else _operators(p) for i, p in enumerate(parts)).split())
    try:
        tree = ast.parse(body, mode="eval")
    except SyntaxError:
        return None
    if not all(isinstance(node, _SIMPLE_NODES) for node in ast.walk(tree)):
        return None
    return body


def juel_message(what: str, text: str) -> str:
    """The refusal of a JUEL expression, with its Python equivalent when there is an obvious one."""
    python = python_equivalent(text)
    advice = f"write the Python expression {python}" if python else "write it as a Python expression"
    return f"{what} {text.strip()!r} is a JUEL expression (Camunda 7), this engine evaluates Python: {advice}"
