"""The safe, bounded parser for formula strings: text -> sympy expression, refusing anything else.

sympy's own ``sympify`` evaluates its input with ``eval``, so user text never goes near it:
:func:`parse_formula` reads the text with Python's ``ast`` module, accepts arithmetic, numbers,
variables and a whitelist of functions, and builds the sympy expression node by node.

The work a string can ask for is bounded before it is done: at most :data:`MAX_LENGTH`
characters, :data:`MAX_PARTS` syntax nodes, :data:`MAX_CALL_DEPTH` nested function calls and
:data:`MAX_VARIABLES` variables; and :class:`~gdviz.objective.Objective` refuses a formula whose
value and gradient would together have more than :data:`MAX_TREE` sympy nodes, judged by
:func:`estimated_gradient_size` before differentiating and counted by :func:`check_size` after
(and :func:`parse_formula` already refuses a string whose syntax tree promises twice that,
before sympy builds anything).
Within these bounds every formula we know builds in well under a second
(``python -m benchmarks objective`` times the slowest families); one beyond them is refused in
milliseconds with a ValueError saying which bound it broke.
"""

from __future__ import annotations

import ast
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import sympy as sp

__all__ = ["parse_formula", "ALLOWED_FUNCTIONS", "MAX_LENGTH", "MAX_PARTS", "MAX_CALL_DEPTH", "MAX_VARIABLES",
           "MAX_TREE", "check_size", "estimated_gradient_size"]

#: Functions a formula string may call, mapped to their sympy counterparts.
ALLOWED_FUNCTIONS: dict[str, Any] = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
    "asin": sp.asin, "acos": sp.acos, "atan": sp.atan,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh,
    "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt,
    "Abs": sp.Abs, "abs": sp.Abs, "sign": sp.sign,
}
_CONSTANTS = {"pi": sp.pi, "E": sp.E}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,15}\Z")

#: Bounds on what a formula *string* may ask for (sympy expressions passed in are trusted).
MAX_LENGTH = 500       # characters
MAX_PARTS = 400        # nodes of the Python syntax tree
MAX_CALL_DEPTH = 12    # function calls nested in one another, as in tanh(tanh(...))
MAX_VARIABLES = 16
MAX_TREE = 2000        # sympy nodes in the value and the gradient together, counted before compiling

_MAX_EXPONENT = 64
_MAX_INTEGER = 10**12
_MAX_CONSTANT = 1e300  # every constant part of a formula lies in 1e-300 <= |c| <= 1e300 (or is 0)

# What people paste from papers and word processors, and what to type instead.
_ASCII_FOR = {"\u2212": "-", "\u2013": "-", "\u2014": "-", "\u00d7": "*", "\u00b7": "*", "\u22c5": "*",
              "\u2217": "*", "\u00f7": "/", "\u00b2": "**2", "\u00b3": "**3", "\u03c0": "pi",
              "\u221a": "sqrt(...)", "\u00a0": "a plain space"}


def parse_formula(text: str, variables: Sequence[str] | None = None) -> sp.Expr:
    """Turn a formula string into a sympy expression, refusing anything but arithmetic.

    Accepted: numbers, variable names, ``+ - * / **`` (``^`` also means power),
    parentheses, the constants ``pi`` and ``E`` and calls of :data:`ALLOWED_FUNCTIONS`
    (one argument each; ``max(a, b)`` is ``(a + b + abs(a - b))/2``). Refused with a
    ValueError, before sympy sees the text: attribute access, subscripts, other calls, keywords,
    lambdas, comparisons, strings, names starting with ``_``, characters outside ASCII
    (a Cyrillic ``х`` or a full-width ``ｘ`` looks like ``x`` but is not), and input
    beyond the bounds :data:`MAX_LENGTH`, :data:`MAX_PARTS`, :data:`MAX_CALL_DEPTH`
    and :data:`MAX_VARIABLES`.

    >>> parse_formula("3*x^2 - 3*x + 4")
    3*x**2 - 3*x + 4
    """
    if not isinstance(text, str):
        raise TypeError(f"formula: expected a string, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("formula: the string is empty")
    if len(text) > MAX_LENGTH:
        raise ValueError(f"formula: longer than {MAX_LENGTH} characters")
    _check_ascii(text)
    try:
        # "^" means power, as most people write it; XOR has no place in a formula
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError) as err:
        raise ValueError(f"formula: {text!r} is not a valid formula ({err})") from None
    if sum(1 for _ in ast.walk(tree)) > MAX_PARTS:
        raise ValueError(f"formula: more than {MAX_PARTS} parts; write a shorter formula")
    if _call_depth(tree.body) > MAX_CALL_DEPTH:
        raise ValueError(f"formula: functions nested more than {MAX_CALL_DEPTH} deep in {text!r}; "
                         f"write a flatter formula")
    # the same judgement as estimated_gradient_size, on the syntax tree, with twice the room: the
    # hopeless cases are refused before sympy builds anything (its first build in a process is slow)
    check_size([], 2 * MAX_TREE, "its gradient", _syntax_gradient_size(tree.body))
    allowed = None if variables is None else set(variables)
    expr = _Builder(text, allowed).build(tree.body)
    if len(expr.free_symbols) > MAX_VARIABLES:
        raise ValueError(f"formula: more than {MAX_VARIABLES} variables; pass a sympy expression for more")
    return expr


def _check_ascii(text: str) -> None:
    """Refuse the first character outside ASCII, naming it and what to type instead.

    Python's parser would quietly turn a full-width ``ｘ`` into ``x`` and keep a Cyrillic
    ``х`` as a different variable that prints the same: neither is what the writer meant.
    """
    for position, char in enumerate(text):
        if char.isascii():
            continue
        hint = _ASCII_FOR.get(char) or unicodedata.normalize("NFKC", char)
        instead = f"; type {hint} instead" if hint.isascii() and hint != char else ""
        raise ValueError(
            f"formula: the character {char!r} ({unicodedata.name(char, 'unnamed')}, U+{ord(char):04X}) at "
            f"position {position} is not plain ASCII{instead}; formulas are written with ASCII letters, "
            f"digits and + - * / ^ ( )"
        )


class _Builder:
    """Walks a Python AST of arithmetic and builds the sympy expression node by node."""

    _BINARY: dict[type, Callable[[Any, Any], Any]] = {
        ast.Add: lambda a, b: a + b,
        ast.Sub: lambda a, b: a - b,
        ast.Mult: lambda a, b: a * b,
        ast.Div: lambda a, b: a / b,
        ast.Pow: lambda a, b: a**b,
    }

    def __init__(self, text: str, variables: set[str] | None):
        self.text = text
        self.variables = variables

    def refuse(self, what: str) -> ValueError:
        return ValueError(
            f"formula: {what} is not allowed in {self.text!r}; use numbers, variables, "
            f"+ - * / ** and the functions {', '.join(sorted(ALLOWED_FUNCTIONS))}"
        )

    def build(self, node: ast.AST) -> sp.Expr:
        result = self.build_node(node)
        if result.is_number:
            self.check_constant(result)
        return result

    def check_constant(self, value: sp.Expr) -> None:
        """Refuse constant parts that are not real, finite numbers of sane size.

        Checking every constant as it is built keeps each one small, so a nest of powers such
        as ``((2**64)**64)**64`` is refused before sympy computes a number with millions of digits.
        """
        try:
            number = float(value)
        except (TypeError, ValueError, OverflowError):  # complex, zoo or too large for a float
            number = math.nan
        size = abs(number)
        if not (size <= _MAX_CONSTANT and (size >= 1 / _MAX_CONSTANT or value.is_zero)):
            raise ValueError(
                f"formula: {self.text!r} has a constant part that is not a real number between "
                f"1e-300 and 1e300 in size (complex, infinite, undefined or out of range)"
            )

    def build_node(self, node: ast.AST) -> sp.Expr:
        if isinstance(node, ast.Constant):
            return self.number(node.value)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            operand = self.build(node.operand)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.BinOp) and type(node.op) in self._BINARY:
            left, right = self.build(node.left), self.build(node.right)
            if isinstance(node.op, ast.Pow) and right.is_number:
                if abs(float(right)) > _MAX_EXPONENT:
                    raise ValueError(f"formula: exponent {right} is too large (|exponent| <= {_MAX_EXPONENT})")
            return self._BINARY[type(node.op)](left, right)
        if isinstance(node, ast.Call):
            return self.call(node)
        raise self.refuse(type(node).__name__)

    def number(self, value: Any) -> sp.Expr:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.refuse(f"the literal {value!r}")
        if not math.isfinite(value) or abs(value) > _MAX_INTEGER:
            raise ValueError(f"formula: the number {value!r} is out of range (|number| <= 1e12)")
        return sp.Integer(value) if isinstance(value, int) else sp.Rational(repr(value))

    def name(self, name: str) -> sp.Expr:
        if name in _CONSTANTS:
            return _CONSTANTS[name]
        if name in ALLOWED_FUNCTIONS:
            raise ValueError(f"formula: the function {name!r} must be called, as in {name}(x)")
        if not _NAME.match(name) or (self.variables is not None and name not in self.variables):
            expected = "a variable" if self.variables is None else f"one of {sorted(self.variables)}"
            raise ValueError(f"formula: unknown name {name!r} in {self.text!r}; expected {expected}")
        return sp.Symbol(name, real=True)

    def call(self, node: ast.Call) -> sp.Expr:
        if not isinstance(node.func, ast.Name) or node.func.id not in ALLOWED_FUNCTIONS:
            called = node.func.id if isinstance(node.func, ast.Name) else type(node.func).__name__
            raise self.refuse(f"calling {called!r}")
        name = node.func.id
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ValueError(f"formula: {name}() takes exactly one argument")
        return ALLOWED_FUNCTIONS[name](self.build(node.args[0]))


# --------------------------------------------------------------------------- the size of what sympy must compile


def check_size(exprs: Iterable[sp.Expr], limit: int, what: str, more: int = 0) -> None:
    """Refuse expressions with more than ``limit`` nodes in all (``more`` counted already).

    The time sympy needs to simplify, eliminate common subexpressions and print grows with
    the size of the tree, so a bound on the tree bounds the time to compile it. Counting
    stops at the limit, so a refusal costs no more than an acceptance.
    """
    stack, seen = list(exprs), more
    while stack and seen <= limit:
        seen += 1
        stack.extend(stack.pop().args)
    if seen > limit:
        raise ValueError(f"formula: {what} would have more than {limit} parts, too many to compile in "
                         f"under a second; write a shorter formula or pass a sympy expression")


def estimated_gradient_size(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> int:
    """The size of the gradient's tree by the chain rule, from above, without differentiating.

    Differentiating is itself the slow step for formulas whose derivative grows
    quadratically (``(x + (x + ...)**2)**2``, ``x**x**x...``), so they are judged first.
    """
    sizes: dict[sp.Basic, int] = {}
    slopes: dict[tuple[sp.Basic, sp.Symbol], int] = {}

    def size(e: sp.Basic) -> int:
        if e not in sizes:
            sizes[e] = 1 + sum(size(a) for a in e.args)
        return sizes[e]

    def slope(e: sp.Basic, v: sp.Symbol) -> int:
        if (e, v) not in slopes:
            if e.is_Atom or not e.has(v):
                slopes[e, v] = 1
            elif e.is_Add:
                slopes[e, v] = 1 + sum(slope(a, v) for a in e.args)
            elif e.is_Mul:  # one product per factor, with that factor differentiated
                slopes[e, v] = 1 + sum(2 + size(e) - size(a) + slope(a, v) for a in e.args)
            elif e.is_Pow:  # b**c (c' log b + c b' / b)
                b, c = e.args
                slopes[e, v] = 8 + 3 * size(b) + 2 * size(c) + slope(b, v) + slope(c, v)
            else:  # f(u): f'(u) u', where f' repeats u about twice (1 / sqrt(1 - u**2))
                slopes[e, v] = 8 + sum(2 * size(a) + slope(a, v) for a in e.args)
        return slopes[e, v]

    return sum(slope(expr, v) for v in variables)


def _syntax_gradient_size(node: ast.AST) -> int:
    """:func:`estimated_gradient_size` on the Python syntax tree of a formula, summed over its names."""
    sizes: dict[int, tuple[int, frozenset[str]]] = {}

    def size(n: ast.AST) -> tuple[int, frozenset[str]]:
        if id(n) not in sizes:
            parts = [size(c) for c in _operands(n)]
            names = frozenset({n.id}) if isinstance(n, ast.Name) and n.id not in _CONSTANTS else frozenset()
            sizes[id(n)] = 1 + sum(p[0] for p in parts), names.union(*(p[1] for p in parts))
        return sizes[id(n)]

    def slope(n: ast.AST, v: str) -> int:
        if v not in size(n)[1] or isinstance(n, ast.Name):
            return 1
        parts = _operands(n)
        if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mult):
            a, b = parts
            return 5 + size(a)[0] + size(b)[0] + slope(a, v) + slope(b, v)
        if isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Div, ast.Pow)):
            a, b = parts
            return 8 + 3 * size(a)[0] + 3 * size(b)[0] + slope(a, v) + slope(b, v)
        extra = 8 + 2 * sum(size(p)[0] for p in parts) if isinstance(n, ast.Call) else 1
        return extra + sum(slope(p, v) for p in parts)

    return sum(slope(node, v) for v in size(node)[1])


def _call_depth(node: ast.AST) -> int:
    """How many function calls are nested at the deepest point of ``node``."""
    inner = max((_call_depth(child) for child in ast.iter_child_nodes(node)), default=0)
    return inner + isinstance(node, ast.Call)


def _operands(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.BinOp):
        return [node.left, node.right]
    if isinstance(node, ast.UnaryOp):
        return [node.operand]
    if isinstance(node, ast.Call):
        return list(node.args)
    return []

