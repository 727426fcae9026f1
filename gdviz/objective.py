"""Objective: a formula turned, once, into fast numpy value and gradient functions.

Symbolic once, numeric forever: sympy differentiates the formula at construction and
``lambdify`` (with common-subexpression elimination) compiles value and gradient into
plain numpy code. Nothing symbolic runs after that, however many steps a descent takes.

Formulas given as strings go through :func:`~gdviz.formula.parse_formula`, the safe and
bounded parser of :mod:`gdviz.formula`; sympy's own ``sympify`` is never called on user text,
because it evaluates its input with ``eval``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pycode import PythonCodePrinter

from . import _checks, kernels
from ._types import ArrayLike, Bounds
from .formula import (
    ALLOWED_FUNCTIONS,
    MAX_CALL_DEPTH,
    MAX_LENGTH,
    MAX_PARTS,
    MAX_TREE,
    MAX_VARIABLES,
    check_size,
    estimated_gradient_size,
    parse_formula,
)

__all__ = ["Objective", "Extremum", "parse_formula", "ALLOWED_FUNCTIONS",  # (the parser's names, for convenience)
           "MAX_LENGTH", "MAX_PARTS", "MAX_CALL_DEPTH", "MAX_VARIABLES", "MAX_TREE"]


class Extremum(NamedTuple):
    """A known critical point: position ``x`` (float in 1-D, tuple in n-D) and value ``f``."""

    x: float | tuple[float, ...]
    f: float
    kind: str = "local"  # "global", "local" or "saddle"


# --------------------------------------------------------------------------- checking expressions


class _RealAbs(sp.Function):
    """|u| for a real u, whose derivative is sign(u) u'.

    sympy's Abs allows a complex u, so d|x^x|/dx comes out in re, im and arg of x^x, which
    neither numpy nor math can print; on the real line all of that is sign(u) u'.
    """

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return _RealSign(self.args[0])


class _RealSign(sp.Function):
    """sign(u) for a real u: its derivative is 2 delta(u) (sympy leaves sign(x^x)' unevaluated)."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return 2 * sp.DiracDelta(self.args[0])


def _real_kinks(expr: sp.Expr) -> sp.Expr:
    """``expr`` with Abs and sign differentiating as real functions (to differentiate, not to print)."""
    return expr.replace(sp.Abs, _RealAbs).replace(sp.sign, _RealSign)


def _printable(expr: sp.Expr) -> sp.Expr:
    return expr.replace(_RealAbs, sp.Abs).replace(_RealSign, sp.sign)


def _check_real(exprs: Iterable[sp.Expr], argument: str, what: str) -> None:
    """Refuse expressions with infinite, undefined or imaginary constants (x/0, d/dx (-1)^x = i pi (-1)^x)."""
    for e in exprs:
        if e.has(sp.I, sp.zoo, sp.nan, sp.oo, sp.S.NegativeInfinity):
            raise ValueError(f"{argument}: {what} has an infinite, undefined or complex part ({e}); "
                             f"a formula of real variables must have real values")


def _check_differentiable(exprs: Iterable[sp.Expr], argument: str) -> None:
    """Refuse derivatives sympy could not work out (left as ``Derivative``), naming the culprit."""
    for e in exprs:
        for d in e.atoms(sp.Derivative):
            raise ValueError(f"{argument}: sympy cannot differentiate {d.expr}, so there is no formula for "
                             f"its derivative to compile")


def _without_deltas(exprs: Sequence[sp.Expr]) -> tuple[list[sp.Expr], list[sp.Expr]]:
    """``exprs`` with each DiracDelta replaced by 0, and the arguments of the deltas.

    Differentiating a kink (Abs, sign, Max, Min, Heaviside) gives a delta: the derivative
    is what the formula says away from the kink and undefined where the delta's argument
    is zero. The caller decides what to do at those points.
    """
    deltas = set().union(*(e.atoms(sp.DiracDelta) for e in exprs))
    zero = {d: sp.S.Zero for d in deltas}
    return [e.xreplace(zero) for e in exprs], sorted({d.args[0] for d in deltas}, key=sp.default_sort_key)


def _check_label(argument: str, text: str) -> None:
    """Refuse a title with ``$...$`` that matplotlib's mathtext cannot draw.

    matplotlib parses such text only when the figure is drawn, so a bad name would
    otherwise crash a plot much later. With an odd number of ``$`` it draws plain text.
    """
    dollars = text.count("$") - text.count(r"\$")
    if dollars < 2 or dollars % 2:
        return
    try:
        from matplotlib.mathtext import MathTextParser
    except ImportError:  # nothing will draw it, so nothing can fail
        return
    try:
        MathTextParser("path").parse(text)
    except ValueError as err:
        reason = str(err).strip().splitlines()[-1].split(": ", 1)[-1]
        raise ValueError(f"{argument}: matplotlib cannot draw {text!r} ({reason}); fix the LaTeX between "
                         f"the $ signs or write \\$ for a dollar sign") from None


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


class _MathPrinter(PythonCodePrinter):
    """Plain-Python printer whose fractional powers go through ``math.pow``.

    Python's ``(-8.0) ** 0.5`` is a complex number; ``math.pow`` raises instead, and the
    caller then asks numpy, which answers NaN as the vectorised path does. Small integer powers
    are products, as in :class:`_NumPyPrinter`, so both give the same roundings (and a product
    is several times faster than Python's ``**``).
    """

    def _print_Integer(self, expr):
        # 400.0 * x, not 400 * x: Python runs float-with-float arithmetic on a fast path (an int operand
        # takes the general one, 1.6x slower on Rosenbrock's gradient); the value is the same float
        value = int(expr)
        return repr(float(value)) if abs(value) < 2**53 else str(value)

    def _print_Pow(self, expr, rational=False):
        base, exponent = expr.as_base_exp()
        if exponent.is_Integer and 2 <= int(exponent) <= 6:  # as the numpy printer: the same roundings
            term = self.parenthesize(base, PRECEDENCE["Mul"])
            return "(" + "*".join([term] * int(exponent)) + ")"
        if expr.exp.is_Integer or expr.exp in (sp.S.Half, -sp.S.Half):  # (sqrt raises by itself)
            return super()._print_Pow(expr, rational=rational)
        return f"{self._module_format('math.pow')}({self._print(expr.base)}, {self._print(expr.exp)})"


_PRINTER_SETTINGS = {"fully_qualified_modules": False, "inline": True, "allow_unknown_functions": False}


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


def _compile(args: Sequence[sp.Symbol], exprs: Any, modules: Sequence[str] = ("numpy",),
             argument: str = "expr") -> list[Callable]:
    """One function per module (``"numpy"``, ``"math"``), sharing one elimination of common subexpressions."""
    # lambdify puts every symbol's name into the generated function's namespace, so a variable
    # called "numpy" would hide the module; and given Dummy symbols it rebuilds the expression
    # around assumption-free stand-ins: sympy then spends seconds on tanh(tanh(...(x))) ten deep
    # deciding whether each level is real. Real symbols with reserved names avoid both.
    names = {v: sp.Symbol(f"_gd{i}", real=True) for i, v in enumerate(args)}
    exprs = _renamed(exprs, names)
    # the same holds for the symbols that stand for common subexpressions: real, like their values
    shared = sp.cse(exprs, symbols=sp.numbered_symbols("_cs", real=True), list=False)
    functions = []
    for module in modules:
        printer = (_NumPyPrinter if module == "numpy" else _MathPrinter)(dict(_PRINTER_SETTINGS))
        try:
            functions.append(sp.lambdify(list(names.values()), exprs, modules=module,
                                         cse=lambda _: shared, printer=printer))
        except NotImplementedError as err:  # a function the printer has no translation for
            raise ValueError(f"{argument}: {module} cannot evaluate part of this formula ({err})") from None
    return functions


def _needed(replacements: list[tuple[sp.Symbol, sp.Expr]], exprs: Any) -> list[tuple[sp.Symbol, sp.Expr]]:
    """The common subexpressions that ``exprs`` use, directly or through each other, in order."""
    wanted = set().union(*(sp.sympify(e).free_symbols for e in (exprs if isinstance(exprs, list) else [exprs])))
    kept = []
    for symbol, value in reversed(replacements):
        if symbol in wanted:
            kept.append((symbol, value))
            wanted |= value.free_symbols
    return kept[::-1]


def _compile_parts(args: Sequence[sp.Symbol], value: sp.Expr, gradient: list[sp.Expr]) -> dict[str, Callable]:
    """Value, gradient and both at once, for numpy and ``math``, from ONE elimination of common subexpressions.

    The three share every subexpression, grouped the same way, so f from ``value`` and from
    ``both`` are the same floats (and so are the gradients): only the work differs. Returns
    the functions by name: ``value``, ``grad``, ``both`` (numpy) and ``value_float``,
    ``grad_float`` (``math``).
    """
    names = {v: sp.Symbol(f"_gd{i}", real=True) for i, v in enumerate(args)}  # (see _compile)
    exprs = _renamed([value, *gradient], names)
    replacements, reduced = sp.cse(exprs, symbols=sp.numbered_symbols("_cs", real=True), list=False)
    parts = {"value": reduced[0], "grad": reduced[1:], "both": reduced}
    functions = {}
    for module in ("numpy", "math"):
        printer = (_NumPyPrinter if module == "numpy" else _MathPrinter)(dict(_PRINTER_SETTINGS))
        for part, body in parts.items():
            if module == "math" and part == "both":
                continue
            shared = (_needed(replacements, body), body)
            try:
                fn = sp.lambdify(list(names.values()), exprs[0] if part == "value" else exprs,
                                 modules=module, cse=lambda _, shared=shared: shared, printer=printer)
            except NotImplementedError as err:  # a function the printer has no translation for
                raise ValueError(f"expr: {module} cannot evaluate part of this formula ({err})") from None
            functions[part if module == "numpy" else f"{part}_float"] = fn
    # plain GD with the gradient's lines pasted into the loop, on floats and on columns (gdviz.kernels)
    names_ = [a.name for a in names.values()]
    for kind, kernel, printer_class, namespace in (
            ("gd_float", kernels.gd_float_kernel, _MathPrinter, functions["grad_float"].__globals__),
            ("gd_columns", kernels.gd_columns_kernel, _NumPyPrinter, functions["grad"].__globals__)):
        printer = printer_class(dict(_PRINTER_SETTINGS))
        lines = [(printer.doprint(sym), printer.doprint(e)) for sym, e in _needed(replacements, parts["grad"])]
        functions[kind] = kernel(names_, lines, [printer.doprint(g) for g in parts["grad"]], namespace)
    return functions


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
            (see :func:`parse_formula` for what a string may contain and how large it may be).
        variables: the variables in order; by default the formula's symbols sorted by name.
        name: a short name for titles and legends (default: the formula); ``$...$`` parts
            are matplotlib mathtext and must parse.
        bounds: the default plotting window, ``(low, high)`` for every variable or one
            pair per variable (default ``(-3, 3)``).
        minima, maxima, saddles: known critical points, as :class:`Extremum` values or
            ``(x, f)`` pairs; the first minimum is taken to be the global one.

    A 1-D objective takes and returns floats or arrays of any shape. An n-D objective takes
    arrays whose trailing axis has length n (``x[..., 0]`` is the first variable) and returns
    values of the leading shape; its gradient keeps the trailing axis.

    Kinks are allowed (``abs`` and ``sign`` in strings; also ``Max``, ``Min`` and ``Heaviside``
    in sympy expressions). At a kink the gradient takes the mean of the two one-sided slopes
    (``d|x|/dx = sign(x)``, 0 at 0; the slope of ``Max(x, 0)`` is 1/2 at 0), and the
    Hessian is undefined there (see :meth:`hessian`).

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
        bounds: Bounds | None = None,
        minima: Sequence[Any] = (),
        maxima: Sequence[Any] = (),
        saddles: Sequence[Any] = (),
    ):
        self._bounded = isinstance(expr, str)  # strings may come from anyone: bound their cost
        if isinstance(expr, str):
            names = variables.replace(",", " ").split() if isinstance(variables, str) else variables
            text = expr
            expr = parse_formula(expr, None if names is None else [str(v) for v in names])
        elif isinstance(expr, sp.Expr):
            text = str(expr)
        else:
            raise TypeError(f"expr: expected a formula string or a sympy expression, got {type(expr).__name__}")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"name: expected a string, got {type(name).__name__}")
        undefined = expr.atoms(AppliedUndef)
        if undefined:
            raise ValueError(f"expr: {sorted(map(str, undefined))[0]} is a function with no formula; "
                             f"numpy cannot evaluate it")
        self.expr: sp.Expr = expr
        self.variables: tuple[sp.Symbol, ...] = tuple(_as_variables(self.expr, variables))
        self.dim: int = len(self.variables)
        if self._bounded and self.dim > MAX_VARIABLES:
            raise ValueError(f"variables: at most {MAX_VARIABLES} for a formula string, got {self.dim}")
        self.name: str = name or text
        _check_label("name", self.name)
        self.bounds: tuple[tuple[float, float], ...] = _as_bounds(bounds, self.dim)
        self.minima = self._extrema(minima, "local", first="global")
        self.maxima = self._extrema(maxima, "local")
        self.saddles = self._extrema(saddles, "saddle")

        args = list(self.variables)
        if self._bounded:  # judged before differentiating, which is itself the slow step for some
            check_size([self.expr], MAX_TREE, "the value and gradient", estimated_gradient_size(self.expr, args))
        argument = "formula" if self._bounded else "expr"
        _check_real([self.expr], argument, "the formula")
        gradient = [sp.diff(_real_kinks(self.expr), v) for v in args]
        _check_differentiable(gradient, "expr")
        # A jump in f (sign(x)) differentiates to a delta: the gradient keeps the slope on either
        # side, and the points are remembered, as the Hessian is undefined there too.
        gradient, self._jumps = _without_deltas(gradient)
        if self._bounded:
            check_size([self.expr, *gradient], MAX_TREE, "the value and gradient")
        self._gradient = [_fewer_ops(g) for g in gradient]  # (Abs and sign as real kinks, for the Hessian)
        self.gradient_exprs: tuple[sp.Expr, ...] = tuple(_printable(g) for g in self._gradient)
        _check_real(self.gradient_exprs, argument, "the gradient")
        # The vectorised functions, for arrays of any size ...
        self._constant_component = any(not g.free_symbols for g in self.gradient_exprs)
        # ... and the lean ones, for single runs on plain floats (a numpy ufunc on a
        # one-element array costs about a microsecond; math on a float, tens of ns).
        compiled = _compile_parts(args, self.expr, list(self.gradient_exprs))
        self._value, self._grad, self._both = compiled["value"], compiled["grad"], compiled["both"]
        self.value_float = _with_numpy_fallback(compiled["value_float"], self._value)
        self.grad_float = _with_numpy_fallback(compiled["grad_float"], self._grad)
        #: the gradient on plain floats without the numpy fallback: raises where ``math`` does
        #: (overflow, a domain error), for loops that catch that themselves and then call grad_float
        self.grad_float_raw: Callable[..., list[float]] = compiled["grad_float"]
        #: plain GD with the gradient inlined in the loop, on floats and on columns (see gdviz.kernels)
        self.gd_float: Callable[[list[float], float, int, Callable], list[float]] = compiled["gd_float"]
        self.gd_columns: Callable[[np.ndarray, np.ndarray], None] = compiled["gd_columns"]
        self._hessian: tuple[Callable, Callable | None, list[sp.Expr]] | None = None

    def _extrema(self, points: Sequence[Any], kind: str, first: str | None = None) -> tuple[Extremum, ...]:
        result = []
        for i, point in enumerate(points):
            x, f, *label = point
            x = float(x) if self.dim == 1 else tuple(float(c) for c in x)
            result.append(Extremum(x, float(f), label[0] if label else (first if first and i == 0 else kind)))
        return tuple(result)

    # -- evaluation ---------------------------------------------------------------

    def _columns(self, x: Any, argument: str = "x") -> tuple[np.ndarray, ...]:
        arr = _checks.as_floats(argument, x)
        if self.dim == 1:
            return (arr,)
        if arr.ndim == 0 or arr.shape[-1] != self.dim:
            raise ValueError(f"{argument}: expected an array whose last axis has length {self.dim} "
                             f"(one column per variable {self.variable_names}); got shape {arr.shape}")
        return tuple(arr[..., i] for i in range(self.dim))

    def value_columns(self, columns: Sequence[np.ndarray]) -> np.ndarray:
        """Value at coordinates given one array per variable (the engine's layout)."""
        return self._value_array(self._value(*columns), columns)

    def value_grad_columns(self, columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Value and gradient together, ``(f, g)`` as from :meth:`value_columns` and :meth:`grad_columns`.

        One compiled pass shares the subexpressions of f and its gradient (on sin-gauss and peaks
        the exponentials and sines), so f costs little more than the gradient alone; the numbers
        are the same as from the two methods.

        >>> f, g = Objective("exp(x) * sin(x)").value_grad_columns([np.array([0.0, 1.0])])
        >>> f.tolist() == Objective("exp(x) * sin(x)")(np.array([0.0, 1.0])).tolist(), g.shape
        (True, (1, 2))
        """
        value, *components = self._both(*columns)
        f = self._value_array(value, columns)
        return f, self._grad_array([c.copy() if c is f else c for c in components], columns)

    def _value_array(self, value: Any, columns: Sequence[np.ndarray]) -> np.ndarray:
        shape = np.shape(columns[0])
        if isinstance(value, np.ndarray) and value.shape == shape and not any(value is c for c in columns):
            return value  # (a formula such as "x" hands back its argument: never return the caller's array)
        out = np.empty(shape)
        out[...] = value  # a constant, or a formula that ignores some variable
        return out

    def grad_columns(self, columns: Sequence[np.ndarray]) -> np.ndarray:
        """Gradient as an array of shape ``(dim, *batch)`` from one array per variable."""
        return self._grad_array(self._grad(*columns), columns)

    def _grad_array(self, components: Sequence[Any], columns: Sequence[np.ndarray]) -> np.ndarray:
        if not self._constant_component:  # every component has the shape of the columns
            if self.dim > 1:
                return np.stack(components)
            component = components[0]
            return (component.copy() if component is columns[0] else component)[None]  # d/dx x^2/2 is x
        out = np.empty((self.dim, *np.shape(columns[0])))
        for i, component in enumerate(components):
            out[i] = component  # broadcasts constant components such as d/dx(2x + y)
        return out

    def __call__(self, x: ArrayLike) -> float | np.ndarray:
        """f(x): the value at x (float for a scalar 1-D point, array otherwise); NaN outside the domain."""
        with np.errstate(all="ignore"):
            out = self.value_columns(self._columns(x))
        return float(out) if out.ndim == 0 else out

    def grad(self, x: ArrayLike) -> float | np.ndarray:
        """The gradient at x: f'(x) in 1-D; in n-D an array with a trailing axis of length n."""
        with np.errstate(all="ignore"):
            g = self.grad_columns(self._columns(x))
        if self.dim == 1:
            return float(g[0]) if g.ndim == 1 else g[0]
        return np.moveaxis(g, 0, -1)

    def hessian(self, x: ArrayLike, *, undefined: str = "raise") -> float | np.ndarray:
        """The matrix of second derivatives H_ij = d^2 f / dx_i dx_j at one point or a batch.

        Shapes follow the public layout: in 1-D, x of any shape gives f''(x) of that shape (a
        float for a scalar); in n-D, x of shape ``(..., n)`` gives H of shape ``(..., n, n)``.
        Compiled on first use, once.

        Where an argument of ``Abs``, ``sign``, ``Max``/``Min`` or ``Heaviside`` is zero the
        slope may jump and f'' is not defined (it is reported undefined there even where the
        kink happens to be smooth, as for |x|^3 at 0). ``undefined="raise"`` (the default)
        raises a ValueError naming the first such point; ``undefined="nan"`` puts NaN in H at
        those points instead, for batches where a NaN is a result (Newton's method flags the
        run as diverged).

        >>> Objective("x**2*y + y**3").hessian([[1.0, 2.0], [0.0, 0.0]]).tolist()
        [[[4.0, 2.0], [2.0, 12.0]], [[0.0, 0.0], [0.0, 0.0]]]
        >>> f = Objective("abs(x) + x**2")
        >>> f.hessian(1.0), f.hessian(np.array([0.0, 2.0]), undefined="nan").tolist()
        (2.0, [nan, 2.0])
        """
        mode = _checks.one_of("undefined", undefined, ("raise", "nan"))
        if self._hessian is None:
            self._hessian = self._compile_hessian()
        value, kinks, kink_exprs = self._hessian
        columns = self._columns(x)
        shape = np.shape(columns[0])
        out = np.empty((*shape, self.dim, self.dim))
        at_kink = np.zeros(shape, dtype=bool)
        with np.errstate(all="ignore"):
            for i, row in enumerate(value(*columns)):
                for j, entry in enumerate(row):
                    out[..., i, j] = entry
            if kinks is not None:
                for where in kinks(*columns):
                    at_kink |= np.asarray(where) == 0
        if at_kink.any():
            if mode == "raise":
                first = np.unravel_index(np.argmax(at_kink), shape)
                point = [float(np.broadcast_to(c, shape)[first]) for c in columns]
                where = f"{self.variable_names[0]} = {point[0]:g}" if self.dim == 1 else \
                    f"({', '.join(self.variable_names)}) = ({', '.join(f'{p:g}' for p in point)})"
                count = "" if not shape else f" ({int(at_kink.sum())} of {at_kink.size} points)"
                raise ValueError(
                    f"x: the Hessian is not defined at {where}{count}, where the formula has a kink "
                    f"({' or '.join(f'{e} = 0' for e in kink_exprs)}); pass undefined='nan' for NaN there")
            out[at_kink] = np.nan
        if self.dim == 1:
            out = out[..., 0, 0]
            return float(out) if out.ndim == 0 else out
        return out

    def _compile_hessian(self) -> tuple[Callable, Callable | None, list[sp.Expr]]:
        args = list(self.variables)
        if self._bounded:
            check_size([], 5 * MAX_TREE, "the Hessian",
                        sum(estimated_gradient_size(g, args) for g in self._gradient))
        entries = [sp.diff(g, v) for g in self._gradient for v in args]
        _check_differentiable(entries, "hessian")
        entries, kinks = _without_deltas(entries)
        entries = [_printable(e) for e in entries]
        _check_real(entries, "hessian", "the Hessian")
        kinks = sorted({_printable(k) for k in [*kinks, *self._jumps]}, key=sp.default_sort_key)
        rows = [entries[i * self.dim:(i + 1) * self.dim] for i in range(self.dim)]
        [value] = _compile(args, rows, argument="hessian")
        return value, (_compile(args, kinks, argument="hessian")[0] if kinks else None), kinks

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
