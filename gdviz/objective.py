"""Objective: a formula turned, once, into fast numpy value and gradient functions.

Symbolic once, numeric forever: sympy differentiates the formula at construction and
``lambdify`` (with common-subexpression elimination) compiles value and gradient into
plain numpy code. Nothing symbolic runs after that, however many steps a descent takes.

Formulas given as strings go through :func:`parse_formula`, a small parser built on
Python's ``ast`` module that accepts arithmetic, numbers, variables and a whitelist of
functions, and builds the sympy expression itself. sympy's own ``sympify`` is never
called on user text, because it evaluates its input with ``eval``.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import PRECEDENCE

__all__ = ["Objective", "Extremum", "parse_formula", "ALLOWED_FUNCTIONS"]

#: Functions a formula string may call, mapped to their sympy counterparts.
ALLOWED_FUNCTIONS: dict[str, Any] = {
    "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
    "asin": sp.asin, "acos": sp.acos, "atan": sp.atan,
    "sinh": sp.sinh, "cosh": sp.cosh, "tanh": sp.tanh,
    "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt,
    "Abs": sp.Abs, "abs": sp.Abs,
}
_CONSTANTS = {"pi": sp.pi, "E": sp.E}
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,15}\Z")
_MAX_LENGTH = 500
_MAX_NODES = 400
_MAX_EXPONENT = 64
_MAX_INTEGER = 10**12
_MAX_CONSTANT = 1e300  # every constant part of a formula lies in 1e-300 <= |c| <= 1e300 (or is 0)


class Extremum(NamedTuple):
    """A known critical point: position ``x`` (float in 1-D, tuple in n-D) and value ``f``."""

    x: float | tuple[float, ...]
    f: float
    kind: str = "local"  # "global", "local" or "saddle"


# --------------------------------------------------------------------------- parsing


def parse_formula(text: str, variables: Sequence[str] | None = None) -> sp.Expr:
    """Turn a formula string into a sympy expression, refusing anything but arithmetic.

    Accepted: numbers, variable names, ``+ - * / **`` (``^`` also means power),
    parentheses, the constants ``pi`` and ``E`` and calls of :data:`ALLOWED_FUNCTIONS`.
    Refused with a ValueError, before sympy sees the text: attribute access, subscripts,
    other calls, keywords, lambdas, comparisons, strings, names starting with ``_``,
    very long input.

    >>> parse_formula("3*x^2 - 3*x + 4")
    3*x**2 - 3*x + 4
    """
    if not isinstance(text, str):
        raise TypeError(f"formula: expected a string, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("formula: the string is empty")
    if len(text) > _MAX_LENGTH:
        raise ValueError(f"formula: longer than {_MAX_LENGTH} characters")
    try:
        # "^" means power, as most people write it; XOR has no place in a formula
        tree = ast.parse(text.strip().replace("^", "**"), mode="eval")
    except (SyntaxError, RecursionError, MemoryError, ValueError) as err:
        raise ValueError(f"formula: {text!r} is not a valid formula ({err})") from None
    if sum(1 for _ in ast.walk(tree)) > _MAX_NODES:
        raise ValueError(f"formula: more than {_MAX_NODES} parts; write a shorter formula")
    allowed = None if variables is None else set(variables)
    return _Builder(text, allowed).build(tree.body)


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
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ValueError(f"formula: {node.func.id}() takes exactly one argument")
        return ALLOWED_FUNCTIONS[node.func.id](self.build(node.args[0]))


# --------------------------------------------------------------------------- compiling


class _NumPyPrinter(NumPyPrinter):
    """numpy printer that writes small integer powers as products.

    ``x**3`` on an array goes through the general ``pow`` routine, several times slower
    than two multiplications; on the peaks gradient this is worth about a third.
    """

    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.as_base_exp()
        if exponent.is_Integer and 2 <= int(exponent) <= 6:
            term = self.parenthesize(base, PRECEDENCE["Mul"])
            return "(" + "*".join([term] * int(exponent)) + ")"
        return super()._print_Pow(expr, rational=rational)


def _fewer_ops(expr: sp.Expr) -> sp.Expr:
    """``expr`` with common factors pulled out, if that saves operations.

    d/dx [sin(x) exp(-x^2/20)] comes out as a sum of two terms that both carry the
    exponential; factoring it out saves numpy calls at every step of every run.
    """
    factored = sp.factor_terms(expr)
    return factored if sp.count_ops(factored) < sp.count_ops(expr) else expr


def _renamed(exprs: Any, names: dict[sp.Symbol, sp.Symbol]) -> Any:
    if isinstance(exprs, (list, tuple)):
        return [_renamed(e, names) for e in exprs]
    return sp.sympify(exprs).xreplace(names)


def _compile(args: list[sp.Symbol], exprs: Any, modules: str) -> Callable:
    # lambdify puts every symbol's name into the generated function's namespace, so a
    # variable called "numpy" would hide the module: compile with anonymous symbols.
    names = {v: sp.Dummy(real=True) for v in args}
    args, exprs = list(names.values()), _renamed(exprs, names)
    if modules == "numpy":
        return sp.lambdify(args, exprs, modules="numpy", cse=True, printer=_NumPyPrinter)
    return sp.lambdify(args, exprs, modules="math", cse=True)


def _with_numpy_fallback(fast: Callable, safe: Callable) -> Callable:
    """Plain-float function that defers to numpy where ``math`` raises.

    ``math.exp(800)`` raises OverflowError where ``numpy.exp`` returns inf (and the formula
    may still end finite, as in ``1 / (1 + exp(800))``), so both paths must agree.
    """

    def call(*args: float) -> Any:
        try:
            return fast(*args)
        except (ArithmeticError, ValueError):
            with np.errstate(all="ignore"):
                return safe(*(np.float64(a) for a in args))

    return call


def _as_bounds(bounds: Any, dim: int) -> tuple[tuple[float, float], ...]:
    if bounds is None:
        return ((-3.0, 3.0),) * dim
    pairs = np.asarray(bounds, dtype=float)
    if pairs.shape == (2,):
        pairs = np.tile(pairs, (dim, 1))
    if pairs.shape != (dim, 2) or not np.all(np.isfinite(pairs)) or np.any(pairs[:, 0] >= pairs[:, 1]):
        raise ValueError(f"bounds: expected (low, high) with low < high, or {dim} such pairs; got {bounds!r}")
    return tuple((float(lo), float(hi)) for lo, hi in pairs)


def _as_variables(expr: sp.Expr, variables: Any) -> list[sp.Symbol]:
    if variables is None:
        symbols = sorted(expr.free_symbols, key=lambda s: s.name)
        if not symbols:
            raise ValueError("expr: the formula has no variable; a constant cannot be minimised")
        return symbols
    if isinstance(variables, str):
        variables = variables.replace(",", " ").split()
    by_name = {s.name: s for s in expr.free_symbols}
    result = [v if isinstance(v, sp.Symbol) else by_name.get(str(v), sp.Symbol(str(v), real=True)) for v in variables]
    missing = {s.name for s in expr.free_symbols} - {v.name for v in result}
    if missing or not result or len({v.name for v in result}) != len(result):
        raise ValueError(
            f"variables: expected distinct names covering every symbol of the formula "
            f"{sorted(s.name for s in expr.free_symbols)}; got {[v.name for v in result]}"
        )
    return result


# --------------------------------------------------------------------------- Objective


class Objective:
    """A scalar function of one or more variables, with its gradient derived by sympy.

    Args:
        expr: a sympy expression or a formula string such as ``"3*x**2 - 3*x + 4"``
            (see :func:`parse_formula` for what a string may contain).
        variables: the variables in order; by default the formula's symbols sorted by name.
        name: a short name for titles and legends (default: the formula).
        bounds: the default plotting window, ``(low, high)`` for every variable or one
            pair per variable (default ``(-3, 3)``).
        minima, maxima, saddles: known critical points, as :class:`Extremum` values or
            ``(x, f)`` pairs; the first minimum is taken to be the global one.

    A 1-D objective takes and returns floats or arrays of any shape. An n-D objective takes
    arrays whose trailing axis has length n (``x[..., 0]`` is the first variable) and returns
    values of the leading shape; its gradient keeps the trailing axis.

    >>> f = Objective("3*x**2 - 3*x + 4")
    >>> f(0.5), f.grad(0.5)
    (3.25, 0.0)
    """

    def __init__(
        self,
        expr: sp.Expr | str,
        variables: Sequence[str | sp.Symbol] | str | None = None,
        *,
        name: str | None = None,
        bounds: Any = None,
        minima: Sequence[Any] = (),
        maxima: Sequence[Any] = (),
        saddles: Sequence[Any] = (),
    ):
        if isinstance(expr, str):
            names = variables.replace(",", " ").split() if isinstance(variables, str) else variables
            text = expr
            expr = parse_formula(expr, None if names is None else [str(v) for v in names])
        elif isinstance(expr, sp.Basic):
            text = str(expr)
        else:
            raise TypeError(f"expr: expected a formula string or a sympy expression, got {type(expr).__name__}")
        self.expr: sp.Expr = sp.sympify(expr)  # already a sympy object: no parsing happens here
        self.variables: tuple[sp.Symbol, ...] = tuple(_as_variables(self.expr, variables))
        self.dim: int = len(self.variables)
        self.name: str = name or text
        self.bounds: tuple[tuple[float, float], ...] = _as_bounds(bounds, self.dim)
        self.minima = self._extrema(minima, "local", first="global")
        self.maxima = self._extrema(maxima, "local")
        self.saddles = self._extrema(saddles, "saddle")

        args = list(self.variables)
        self.gradient_exprs: tuple[sp.Expr, ...] = tuple(_fewer_ops(sp.diff(self.expr, v)) for v in args)
        # The vectorised functions, for arrays of any size ...
        self._constant_component = any(not g.free_symbols for g in self.gradient_exprs)
        self._value = _compile(args, self.expr, "numpy")
        self._grad = _compile(args, list(self.gradient_exprs), "numpy")
        # ... and the lean ones, for single runs on plain floats (a numpy ufunc on a
        # one-element array costs about a microsecond; math on a float, tens of ns).
        self.value_float = _with_numpy_fallback(_compile(args, self.expr, "math"), self._value)
        self.grad_float = _with_numpy_fallback(_compile(args, list(self.gradient_exprs), "math"), self._grad)
        self._hessian: Callable | None = None

    def _extrema(self, points: Sequence[Any], kind: str, first: str | None = None) -> tuple[Extremum, ...]:
        result = []
        for i, point in enumerate(points):
            x, f, *label = point
            x = float(x) if self.dim == 1 else tuple(float(c) for c in x)
            result.append(Extremum(x, float(f), label[0] if label else (first if first and i == 0 else kind)))
        return tuple(result)

    # -- evaluation ---------------------------------------------------------------

    def _columns(self, x: Any, argument: str = "x") -> tuple[np.ndarray, ...]:
        arr = np.asarray(x, dtype=float)
        if self.dim == 1:
            return (arr,)
        if arr.ndim == 0 or arr.shape[-1] != self.dim:
            raise ValueError(f"{argument}: expected an array whose last axis has length {self.dim} "
                             f"(one column per variable {self.variable_names}); got shape {arr.shape}")
        return tuple(arr[..., i] for i in range(self.dim))

    def value_columns(self, columns: Sequence[np.ndarray]) -> np.ndarray:
        """Value at coordinates given one array per variable (the engine's layout)."""
        value = self._value(*columns)
        shape = np.shape(columns[0])
        if isinstance(value, np.ndarray) and value.shape == shape and not any(value is c for c in columns):
            return value  # (a formula such as "x" hands back its argument: never return the caller's array)
        out = np.empty(shape)
        out[...] = value  # a constant, or a formula that ignores some variable
        return out

    def grad_columns(self, columns: Sequence[np.ndarray]) -> np.ndarray:
        """Gradient as an array of shape ``(dim, *batch)`` from one array per variable."""
        components = self._grad(*columns)
        if not self._constant_component:  # every component has the shape of the columns
            if self.dim > 1:
                return np.stack(components)
            component = components[0]
            return (component.copy() if component is columns[0] else component)[None]  # d/dx x^2/2 is x
        out = np.empty((self.dim, *np.shape(columns[0])))
        for i, component in enumerate(components):
            out[i] = component  # broadcasts constant components such as d/dx(2x + y)
        return out

    def __call__(self, x: Any) -> Any:
        """f(x): the value at x (float for a scalar 1-D point, array otherwise)."""
        out = self.value_columns(self._columns(x))
        return float(out) if out.ndim == 0 else out

    def grad(self, x: Any) -> Any:
        """The gradient at x: f'(x) in 1-D; in n-D an array with a trailing axis of length n."""
        g = self.grad_columns(self._columns(x))
        if self.dim == 1:
            return float(g[0]) if g.ndim == 1 else g[0]
        return np.moveaxis(g, 0, -1)

    def hessian(self, x: Any) -> Any:
        """Second derivative f''(x) in 1-D; in n-D the matrix of shape ``(..., n, n)``."""
        if self._hessian is None:  # rarely needed, so compiled on first use, once
            rows = [[sp.diff(g, v) for v in self.variables] for g in self.gradient_exprs]
            self._hessian = _compile(list(self.variables), rows, "numpy")
        columns = self._columns(x)
        shape = np.shape(columns[0])
        out = np.empty((*shape, self.dim, self.dim))
        for i, row in enumerate(self._hessian(*columns)):
            for j, entry in enumerate(row):
                out[..., i, j] = entry
        if self.dim == 1:
            out = out[..., 0, 0]
            return float(out) if out.ndim == 0 else out
        return out

    # -- description --------------------------------------------------------------

    @property
    def variable_names(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.variables)

    @property
    def global_minimum(self) -> Extremum | None:
        """The lowest known minimum, or None when the catalogue knows none."""
        return min(self.minima, key=lambda m: m.f) if self.minima else None

    def latex(self) -> str:
        args = ", ".join(sp.latex(v) for v in self.variables)
        return f"f({args}) = {sp.latex(self.expr)}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"

    def __repr__(self) -> str:
        return f"Objective({str(self.expr)!r}, name={self.name!r}, bounds={self.bounds})"

