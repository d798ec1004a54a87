"""The FEEL subset's syntax (see feel.py): a tokenizer and a recursive-descent parser into tuples, cached."""

from dataclasses import dataclass
from decimal import Decimal
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
