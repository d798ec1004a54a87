"""The FEEL subset Camunda Forms use in conditions: a tokenizer, a recursive-descent parser and an evaluator.

Supported: numbers, "strings", true, false, null, [lists], names and dotted paths, = != < <= > >=, + - * /,
and, or, not(...), parentheses, and the functions `is defined`, `string length`, `count`, `list contains`,
`contains`, `starts with`, `ends with`. Semantics follow FEEL: a missing name is null; ordering comparisons
and arithmetic with null (or values of different kinds) give null; `=` and `!=` treat null as a value;
`and`/`or` are three-valued. `static/camunda-forms.js` implements the same subset for the browser.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

KEYWORDS = {"true": True, "false": False, "null": None}
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
# Function names as word sequences (FEEL names may contain spaces), with their number of arguments.
FUNCTIONS = {
    ("not",): 1,
    ("is", "defined"): 1,
    ("string", "length"): 1,
    ("count",): 1,
    ("list", "contains"): 2,
    ("contains",): 2,
    ("starts", "with"): 2,
    ("ends", "with"): 2,
}
SYMBOLS = ("!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", ".")


class FeelSyntaxError(ValueError):
    """An expression the parser cannot read; `position` is the 1-based column in the expression."""

    def __init__(self, message: str, position: int):
        super().__init__(f"{message} at position {position}")
        self.reason, self.position = message, position


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, name, symbol, end
    text: str
    value: object
    position: int  # 0-based offset in the source


def tokenize(source: str) -> list[Token]:
    tokens, i = [], 0
    while i < len(source):
        ch = source[i]
        if ch.isspace():
            i += 1
        elif _digit(ch) or (ch == "." and _digit(source[i + 1 : i + 2])):
            start = i
            while i < len(source) and _digit(source[i]):
                i += 1
            if source[i : i + 1] == "." and _digit(source[i + 1 : i + 2]):
                i += 1
                while i < len(source) and _digit(source[i]):
                    i += 1
            tokens.append(Token("number", source[start:i], Decimal(source[start:i]), start))
        elif ch == '"':
            start = i
            text, i = _read_string(source, i)
            tokens.append(Token("string", source[start:i], text, start))
        elif ch.isalpha() or ch in "_?$":
            start = i
            while i < len(source) and (source[i].isalnum() or source[i] in "_?$"):
                i += 1
            tokens.append(Token("name", source[start:i], source[start:i], start))
        else:
            symbol = next((s for s in SYMBOLS if source.startswith(s, i)), None)
            if symbol is None:
                raise FeelSyntaxError(f"unexpected character {ch!r}", i + 1)
            tokens.append(Token("symbol", symbol, symbol, i))
            i += len(symbol)
    tokens.append(Token("end", "", None, len(source)))
    return tokens


def _digit(ch: str) -> bool:
    return ch != "" and ch in "0123456789"  # ASCII only: str.isdigit() also accepts "²"


def _read_string(source: str, start: int) -> tuple[str, int]:
    escapes = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "'": "'"}
    out, i = [], start + 1
    while i < len(source):
        ch = source[i]
        if ch == '"':
            return "".join(out), i + 1
        if ch == "\\" and i + 1 < len(source):
            out.append(escapes.get(source[i + 1], source[i + 1]))
            i += 2
            continue
        out.append(ch)
        i += 1
    raise FeelSyntaxError("unterminated string", start + 1)


# ---------------------------------------------------------------------------------------------------- parsing
# The tree is tuples: ("lit", v) ("name", n) ("path", node, n) ("list", [..]) ("neg", node)
# ("bin", op, left, right) ("and"/"or", left, right) ("call", name, [args]).


class _Parser:
    def __init__(self, source: str):
        self.tokens = tokenize(source)
        self.i = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def is_symbol(self, *symbols) -> bool:
        return self.token.kind == "symbol" and self.token.text in symbols

    def is_word(self, word: str) -> bool:
        return self.token.kind == "name" and self.token.text == word

    def expect(self, symbol: str):
        if not self.is_symbol(symbol):
            self.fail(f"expected {symbol!r}")
        self.take()

    def fail(self, message: str):
        found = "end of expression" if self.token.kind == "end" else repr(self.token.text or self.token.value)
        raise FeelSyntaxError(f"{message}, found {found}", self.token.position + 1)

    def parse(self):
        if self.token.kind == "end":
            self.fail("empty expression")
        node = self.disjunction()
        if self.token.kind != "end":
            self.fail("unexpected input")
        return node

    def disjunction(self):
        node = self.conjunction()
        while self.is_word("or"):
            self.take()
            node = ("or", node, self.conjunction())
        return node

    def conjunction(self):
        node = self.comparison()
        while self.is_word("and"):
            self.take()
            node = ("and", node, self.comparison())
        return node

    def comparison(self):
        node = self.additive()
        if self.is_symbol(*COMPARISONS):
            op = self.take().text
            node = ("bin", op, node, self.additive())
            if self.is_symbol(*COMPARISONS):
                self.fail("comparisons cannot be chained")
        return node

    def additive(self):
        node = self.multiplicative()
        while self.is_symbol("+", "-"):
            op = self.take().text
            node = ("bin", op, node, self.multiplicative())
        return node

    def multiplicative(self):
        node = self.unary()
        while self.is_symbol("*", "/"):
            op = self.take().text
            node = ("bin", op, node, self.unary())
        return node

    def unary(self):
        if self.is_symbol("-"):
            self.take()
            return ("neg", self.unary())
        return self.postfix()

    def postfix(self):
        node = self.primary()
        while self.is_symbol("."):
            self.take()
            if self.token.kind != "name" or self.token.text in KEYWORDS:
                self.fail("expected a name after '.'")
            node = ("path", node, self.take().text)
        return node

    def primary(self):
        token = self.token
        if token.kind in ("number", "string"):
            self.take()
            return ("lit", token.value)
        if self.is_symbol("("):
            self.take()
            node = self.disjunction()
            self.expect(")")
            return node
        if self.is_symbol("["):
            return self.list_literal()
        if token.kind == "name":
            return self.name_or_call()
        self.fail("expected a value")

    def list_literal(self):
        self.take()
        items = []
        if not self.is_symbol("]"):
            items.append(self.disjunction())
            while self.is_symbol(","):
                self.take()
                items.append(self.disjunction())
        self.expect("]")
        return ("list", items)

    def name_or_call(self):
        start = self.token
        for words, arity in sorted(FUNCTIONS.items(), key=lambda item: -len(item[0])):
            if self._words_then_paren(words):
                self.i += len(words)
                return ("call", " ".join(words), self.arguments(" ".join(words), arity, start))
        if start.text in ("and", "or"):
            self.fail("expected a value")
        self.take()
        if start.text in KEYWORDS:
            return ("lit", KEYWORDS[start.text])
        if self.is_symbol("("):
            raise FeelSyntaxError(f"unknown function {start.text!r}", start.position + 1)
        return ("name", start.text)

    def _words_then_paren(self, words) -> bool:
        ahead = self.tokens[self.i : self.i + len(words) + 1]
        if len(ahead) <= len(words) or ahead[-1].kind != "symbol" or ahead[-1].text != "(":
            return False
        return all(t.kind == "name" and t.text == w for t, w in zip(ahead, words, strict=False))

    def arguments(self, name: str, arity: int, start: Token):
        self.expect("(")
        args = []
        if not self.is_symbol(")"):
            args.append(self.disjunction())
            while self.is_symbol(","):
                self.take()
                args.append(self.disjunction())
        self.expect(")")
        if len(args) != arity:
            raise FeelSyntaxError(f"{name}() takes {arity} argument(s), got {len(args)}", start.position + 1)
        return args


@lru_cache(maxsize=512)
def parse(source: str):
    """The syntax tree of an expression (without its leading '='); raises FeelSyntaxError."""
    return _Parser(source).parse()


def strip_marker(expression: str) -> tuple[str, int]:
    """A form-js expression without its leading '=' and the columns removed (for error positions)."""
    stripped = expression.lstrip()
    if not stripped.startswith("="):
        raise FeelSyntaxError("an expression starts with '='", 1)
    return stripped[1:], len(expression) - len(stripped) + 1


def check(expression: str) -> None:
    """Raise FeelSyntaxError (position counted in `expression`, '=' included) when it cannot be parsed."""
    body, offset = strip_marker(expression)
    try:
        parse(body)
    except FeelSyntaxError as err:
        raise FeelSyntaxError(err.reason, err.position + offset) from None


def names(expression: str) -> set[str]:
    """The top-level variable names an expression reads (to know which task data the browser needs)."""
    found: set[str] = set()

    def walk(node):
        if node[0] == "name":
            found.add(node[1])
        for part in node[1:]:
            if isinstance(part, tuple):
                walk(part)
            elif isinstance(part, list):
                for item in part:
                    walk(item)

    walk(parse(strip_marker(expression)[0]))
    return found


# ---------------------------------------------------------------------------------------------------- evaluation


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
