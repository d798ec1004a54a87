"""The restricted compiler of model scripts and expressions (RestrictedPython, with our policy on top).

RestrictedPython refuses `_`-names and attributes and routes attribute, item and iteration access through
guards (guards.py). On top: only the allowed builtins may be named (no open, eval, getattr, type, globals …),
no import, class, bare `except:` (it would catch the engine's limits) or `str.format`; every loop and function
checks the run's clock; every binary operator, comparison and f-string goes through a size-checked guard.
Compiled code is cached per source: models run the same few expressions again and again.
"""

import ast
import builtins
import re
from dataclasses import dataclass
from functools import lru_cache

from RestrictedPython.transformer import RestrictingNodeTransformer, copy_locations

from .guards import BUILTINS, GUARDS

FILENAME = "<string>"  # SpiffWorkflow finds a script's failing line by this name in the traceback
FORBIDDEN_NAMES = frozenset(name for name in dir(builtins) if name not in BUILTINS and not name.startswith("_"))
FORBIDDEN_ATTRIBUTES = {
    "format": "str.format can reach attributes of its arguments: use an f-string",
    "format_map": "str.format_map can reach attributes of its arguments: use an f-string",
    "to_bytes": "int.to_bytes is not available in model scripts",
    "expandtabs": "str.expandtabs is not available in model scripts",
    "translate": "str.translate is not available in model scripts",
    "mro": "mro is not available in model scripts",
}
OPERATOR_SYMBOLS = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
}
LARGE_NUMBER = re.compile(r"\d{4,}")


class ScriptRefused(ValueError):
    """A script or expression that the sandbox does not run; `problems` are (line, message) pairs."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__("; ".join(f"line {line}: {message}" for line, message in problems))
        self.problems = problems


def _call(name: str, args: list, node) -> ast.Call:
    call = ast.Call(func=ast.Name(name, ast.Load()), args=args, keywords=[])
    copy_locations(call, node)
    return call


class SandboxPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy plus our refusals, clock checks and size guards; errors keep their line."""

    def error(self, node, info):
        self.errors.append((getattr(node, "lineno", None) or 1, info))

    def visit_Name(self, node):
        if node.id in FORBIDDEN_NAMES:
            self.error(node, f'name "{node.id}" is not available in model scripts')
        return super().visit_Name(node)

    def visit_Attribute(self, node):
        if node.attr in FORBIDDEN_ATTRIBUTES:
            self.error(node, f'attribute "{node.attr}": {FORBIDDEN_ATTRIBUTES[node.attr]}')
        return super().visit_Attribute(node)

    def visit_Import(self, node):
        self.error(node, "import is not allowed in model scripts")
        return node

    visit_ImportFrom = visit_Import

    def visit_ClassDef(self, node):
        self.error(node, "class definitions are not allowed in model scripts")
        return node

    def visit_ExceptHandler(self, node):
        if node.type is None:
            self.error(node, "a bare except: is not allowed (name the exceptions to catch)")
        return super().visit_ExceptHandler(node)

    def visit_Subscript(self, node):
        if not isinstance(node.ctx, ast.Load) and isinstance(node.slice, ast.Slice):
            self.error(node, "assigning or deleting a slice is not allowed in model scripts")
        return super().visit_Subscript(node)

    def _no_unpacking(self, node):
        if isinstance(node.ctx, ast.Load) and any(isinstance(e, ast.Starred) for e in node.elts):
            self.error(node, "unpacking (*) inside a literal is not allowed in model scripts: use +")

    def visit_List(self, node):
        self._no_unpacking(node)
        return super().visit_List(node)

    def visit_Tuple(self, node):
        self._no_unpacking(node)
        return super().visit_Tuple(node)

    def visit_Set(self, node):
        if any(isinstance(e, ast.Starred) for e in node.elts):
            self.error(node, "unpacking (*) inside a literal is not allowed in model scripts")
        return super().visit_Set(node)

    def visit_Dict(self, node):
        if any(key is None for key in node.keys):
            self.error(node, "unpacking (**) inside a literal is not allowed in model scripts")
        return super().visit_Dict(node)

    def visit_BinOp(self, node):
        node = super().visit_BinOp(node)
        if type(node.op) not in OPERATOR_SYMBOLS:
            self.error(node, "the @ operator is not available in model scripts")
            return node
        return _call("_binop_", [ast.Constant(OPERATOR_SYMBOLS[type(node.op)]), node.left, node.right], node)

    def visit_Compare(self, node):
        node = super().visit_Compare(node)
        node.left = _call("_compared_", [node.left], node.left)
        node.comparators = [_call("_compared_", [c], c) for c in node.comparators]
        return node

    def visit_JoinedStr(self, node):
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue):
                spec = ast.Constant(self._format_spec(value))
                parts.append(ast.Tuple([self.visit(value.value), ast.Constant(value.conversion), spec], ast.Load()))
            else:
                parts.append(value)
        return _call("_fstring_", parts, node)

    def _format_spec(self, value) -> str:
        if value.format_spec is None:
            return ""
        pieces = value.format_spec.values
        if not all(isinstance(p, ast.Constant) for p in pieces):
            self.error(value, "a computed format spec in an f-string is not allowed in model scripts")
            return ""
        spec = "".join(p.value for p in pieces)
        if LARGE_NUMBER.search(spec):
            self.error(value, f"format spec {spec!r}: widths and precisions above 999 are not allowed")
        return spec

    def _with_tick(self, body: list, node) -> list:
        tick = ast.Expr(_call("_tick_", [], node))
        copy_locations(tick, node)
        return [tick, *body]

    def visit_While(self, node):
        node = super().visit_While(node)
        node.body = self._with_tick(node.body, node)
        return node

    def visit_For(self, node):
        node = super().visit_For(node)
        node.body = self._with_tick(node.body, node)
        return node

    def visit_FunctionDef(self, node):
        node = super().visit_FunctionDef(node)
        node.body = self._with_tick(node.body, node)
        return node

    def visit_Lambda(self, node):
        node = super().visit_Lambda(node)
        node.body = ast.BoolOp(ast.Or(), [_call("_tick_", [], node), node.body])
        copy_locations(node.body, node)
        return node


@dataclass(frozen=True)
class Compiled:
    """Code ready to run in the sandbox, or why it is refused."""

    code: object
    problems: tuple[tuple[int, str], ...]


def source_of(text: str, mode: str) -> str:
    """What is compiled: an expression without surrounding blanks (as eval() takes it), a script as written."""
    return text.strip() if mode == "eval" else text.rstrip()


@lru_cache(maxsize=4096)
def compile_sandboxed(text: str, mode: str) -> Compiled:
    """Compile a script ("exec") or expression ("eval") under the sandbox policy; cached per source."""
    try:
        tree = ast.parse(source_of(text, mode), FILENAME, mode)
        problems = []
        tree = SandboxPolicy(problems, [], {}).visit(tree)
        if problems:
            return Compiled(None, tuple(sorted(set(problems))))
        return Compiled(compile(ast.fix_missing_locations(tree), FILENAME, mode), ())
    except SyntaxError as err:  # from the parser, or from the compiler ('return' outside a function …)
        return Compiled(None, ((err.lineno or 1, f"Python syntax error: {err.msg}"),))
    except ValueError as err:  # e.g. a NUL character
        return Compiled(None, ((1, f"Python syntax error: {err}"),))


def sandboxed_code(text: str, mode: str):
    """The compiled code, or ScriptRefused."""
    compiled = compile_sandboxed(text, mode)
    if compiled.problems:
        raise ScriptRefused(list(compiled.problems))
    return compiled.code


def problems_of(text: str, mode: str) -> list[tuple[int, str]]:
    """(line, message) for each reason the sandbox refuses the source; empty when it runs."""
    return list(compile_sandboxed(text, mode).problems)


def sandbox_globals() -> dict:
    """The guard names every sandboxed code object expects (builtins included)."""
    return dict(GUARDS)
