"""What restricted code calls at run time: the names RestrictedPython's compiled code expects (`_getattr_`,
`_getiter_`, `_write_` …), the operators our compiler routes through `_binop_`, and the builtins scripts get.

Sizes are checked before the work is done (`'x' * 10**10` is refused, not attempted), and what scripts build
is charged to the run's budget (see limits.py).
"""

import builtins
import operator

from RestrictedPython.Guards import (
    full_write_guard,
    guarded_iter_unpack_sequence,
    guarded_unpack_sequence,
    safer_getattr_raise,
)

from .limits import MAX_INT_BITS, MAX_ITEMS, charge, tick, too_large, weight

PLAIN_BUILTINS = (
    "None True False abs all any bool divmod enumerate filter float int isinstance len map reversed round "
    "zip Exception ArithmeticError AttributeError IndexError KeyError LookupError TypeError ValueError "
    "ZeroDivisionError"
).split()
SEQUENCES = (str, bytes, list, tuple)
BUILT = (str, bytes, list, tuple, dict, set, frozenset)
SCALARS = (int, float, bool, str, type(None))
NUMBERS = (int, float, bool, type(None))
CONTAINERS = (list, tuple, dict, set, frozenset)
GROWING_METHODS = {"ljust", "rjust", "center", "zfill", "replace", "join", "extend"}
COMPARING_METHODS = {"count", "index", "remove"}
OPERATORS = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "//": operator.floordiv,
    "%": operator.mod,
    "**": operator.pow,
    "<<": operator.lshift,
    ">>": operator.rshift,
    "&": operator.and_,
    "|": operator.or_,
    "^": operator.xor,
}


def _sized(value):
    """Charge what was just built to the run (containers and strings only)."""
    if isinstance(value, BUILT):
        charge(len(value))
    return value


def _check_binop(op, a, b):
    """Refuse before computing what would be too large."""
    ints = isinstance(a, int) and isinstance(b, int)
    if op == "*" and ints and a.bit_length() + b.bit_length() > MAX_INT_BITS:
        raise too_large("the product (bits)", a.bit_length() + b.bit_length(), MAX_INT_BITS)
    if op == "*" and not ints:
        seq, times = (a, b) if isinstance(a, SEQUENCES) else (b, a)
        if isinstance(seq, SEQUENCES) and isinstance(times, int) and times > 1:
            size = len(seq) * times
            if size <= MAX_ITEMS and isinstance(seq, list | tuple) and any(not isinstance(i, NUMBERS) for i in seq):
                size = weight(seq, MAX_ITEMS) * times  # repeating containers repeats all they hold
            if size > MAX_ITEMS:
                raise too_large("the repeated sequence", size)
    if op == "**" and ints and b > 0 and abs(a) > 1 and abs(a).bit_length() * b > MAX_INT_BITS:
        raise too_large("the power (bits)", abs(a).bit_length() * b, MAX_INT_BITS)
    if op == "<<" and ints and a and a.bit_length() + b > MAX_INT_BITS:
        raise too_large("the shifted number (bits)", a.bit_length() + b, MAX_INT_BITS)
    if op == "+" and isinstance(a, SEQUENCES) and isinstance(b, SEQUENCES):
        size = weight(a, MAX_ITEMS) + weight(b, MAX_ITEMS)
        if size > MAX_ITEMS:
            raise too_large("the concatenation", size)
    if op == "%" and isinstance(a, str | bytes):
        raise TypeError("%-formatting is not available in model scripts: use an f-string or +")


def compared(value):
    """An operand of a comparison (or of a builtin that compares): a container's whole content is bounded, as C
    code compares it element by element where no clock check can interrupt it."""
    if isinstance(value, CONTAINERS) and weight(value, MAX_ITEMS) > MAX_ITEMS:
        raise too_large("a compared or sorted value", weight(value, MAX_ITEMS))
    return value


def binop(op: str, a, b):
    """Every binary operator of a script (`a op b` and `a op= b`)."""
    _check_binop(op, a, b)
    return _sized(OPERATORS[op](a, b))


def inplacevar(op: str, a, b):
    """`x op= y` on a name: never in place, so a list shared with task data is not changed behind its back."""
    return binop(op[:-1], a, b)


def fstring(*parts):
    """An f-string: constant pieces, and (value, conversion, spec) triples; its size checked as it grows."""
    pieces, size = [], 0
    for part in parts:
        if isinstance(part, tuple):
            value, conversion, spec = part
            if not isinstance(value, SCALARS) and weight(value, MAX_ITEMS) > MAX_ITEMS:
                raise too_large("a formatted value", weight(value, MAX_ITEMS))
            value = {115: str, 114: repr, 97: ascii}.get(conversion, _same)(value)
            part = format(value, spec)
        size += len(part)
        if size > MAX_ITEMS:
            raise too_large("the f-string", size)
        pieces.append(part)
    return _sized("".join(pieces))


def _same(value):
    return value


class _StandsFor(type):
    """Metaclass of the size-checked builtin types: isinstance and issubclass answer for the builtin itself."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, cls._builtin)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, cls._builtin)


def _checked_type(builtin):
    """`str`, `list` … for scripts: the builtin's value, charged to the run (str of a container checked first)."""

    def __new__(cls, *args, **kwargs):
        if builtin is str and args and not isinstance(args[0], SCALARS) and weight(args[0], MAX_ITEMS) > MAX_ITEMS:
            raise too_large("str() of the value", weight(args[0], MAX_ITEMS))
        if builtin in (dict, set, frozenset) and args:
            compared(args[0])  # keys are hashed and compared
        return _sized(builtin(*args, **kwargs))

    return _StandsFor(builtin.__name__, (builtin,), {"__new__": __new__, "_builtin": builtin})


def _range(*args):
    try:
        span = range(*args)
        size = len(span)
    except OverflowError:
        raise too_large("range()", MAX_ITEMS + 1) from None
    if size > MAX_ITEMS:
        raise too_large("range()", size)
    return span


def _sum(iterable, start=0):
    if not isinstance(start, int | float):
        raise TypeError("sum() adds numbers only in model scripts")
    return sum(iterable, start)


def _sorted(iterable, **kwargs):
    return _sized(sorted(compared(iterable), **kwargs))


def _min(*args, **kwargs):
    return min(*map(compared, args), **kwargs)


def _max(*args, **kwargs):
    return max(*map(compared, args), **kwargs)


def _growing(obj, name, method):
    """The methods whose result may be far larger than their inputs, size-checked before they run."""

    def call(*args, **kwargs):
        if name in ("join", "extend") and args:
            items = list(args[0])
            size = len(obj) + len(items)
            if name == "join":
                size = sum(len(i) for i in items if isinstance(i, str | bytes)) + len(obj) * len(items)
            if size > MAX_ITEMS:
                raise too_large(f"{name}()", size)
            charge(size)
            return method(items, *args[1:], **kwargs)
        size = args[0] if args and isinstance(args[0], int) else 0  # ljust, rjust, center, zfill: the width
        if name == "replace" and len(args) >= 2:
            old, new = args[0], args[1]
            size = len(obj) + (obj.count(old) if old else len(obj) + 1) * max(len(new) - len(old), 0)
        if size > MAX_ITEMS:
            raise too_large(f"{name}()", size)
        return _sized(method(*args, **kwargs))

    return call


def _charging(method):
    def call(*args, **kwargs):
        return _sized(method(*args, **kwargs))

    return call


def getattr_guard(obj, name):
    """RestrictedPython's safer_getattr (no `_` names, no str.format), with what methods build charged."""
    value = safer_getattr_raise(obj, name)
    if isinstance(obj, type):
        if name in GROWING_METHODS:
            raise TypeError(f"call {name}() on a value, not on its type, in model scripts")
        return _charging(value) if callable(value) else value
    if isinstance(obj, BUILT) and callable(value):
        if name in COMPARING_METHODS:
            compared(obj)
        return _growing(obj, name, value) if name in GROWING_METHODS else _charging(value)
    return value


def getitem_guard(obj, key):
    """obj[key]; a slice is a copy, charged to the run."""
    value = obj[key]
    return _sized(value) if isinstance(key, slice) else value


def getiter_guard(iterable):
    """Iteration in loops and comprehensions: every item checks the run's clock."""
    for item in iterable:
        tick()
        yield item


def _apply(function, *args, **kwargs):
    return function(*args, **kwargs)


def _sandbox_builtins() -> dict:
    names = {name: getattr(builtins, name) for name in PLAIN_BUILTINS}
    names.update({t.__name__: _checked_type(t) for t in (str, list, tuple, dict, set, frozenset)})
    names.update(range=_range, sum=_sum, sorted=_sorted, min=_min, max=_max)
    return names


BUILTINS = _sandbox_builtins()
GUARDS = {
    "__builtins__": BUILTINS,
    "_getattr_": getattr_guard,
    "_getitem_": getitem_guard,
    "_getiter_": getiter_guard,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
    "_write_": full_write_guard,
    "_apply_": _apply,
    "_inplacevar_": inplacevar,
    "_binop_": binop,
    "_fstring_": fstring,
    "_compared_": compared,
    "_tick_": tick,
}
