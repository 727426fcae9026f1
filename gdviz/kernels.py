"""Loops with the gradient's code printed into them: plain GD at a constant rate, without calls.

A descent step is a handful of arithmetic operations; calling a compiled gradient function
for them costs more than the arithmetic itself wherever the operands are small, a float or an
array of a few dozen runs. These two kernels are the plain-GD loop written out with the
gradient's lines (the same common subexpressions, the same roundings as the objective's
compiled functions) pasted into its body, as one would write the loop by hand:

- ``gd_float(p, rate, count, keep)``: one run on plain floats, for the lean path;
- ``gd_columns(X, G, rate)``: a batch of runs on numpy columns, for small batches, where each
  numpy call's fixed cost (a third of a microsecond, whatever the array's size) is what a step
  costs.

``gd_float`` records only the points (f and the gradient at every point are computed afterwards
in one vectorised pass); ``gd_columns`` records the points and the gradients.

>>> import numpy as np, gdviz as gd
>>> X, G = np.zeros((3, 1, 2)), np.zeros((3, 1, 2))          # rows, dim, runs
>>> X[0, 0] = [1.0, 2.0]
>>> after = gd.Objective("x**2").gd_columns(X, G, np.array([0.25, 0.5]))   # x <- x - rate * 2x
>>> X[:, 0].tolist(), G[:, 0].tolist(), after[0].tolist()
([[1.0, 2.0], [0.5, 0.0], [0.25, 0.0]], [[2.0, 4.0], [1.0, 0.0], [0.5, 0.0]], [0.125, 0.0])
"""

from __future__ import annotations

import ast
import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

__all__ = ["GD_UNROLL", "gd_float_kernel", "gd_columns_kernel"]

#: Steps per pass of gd_float's loop: one call to record them, and fewer jumps of the loop itself.
GD_UNROLL = 4

Lines = Sequence[tuple[str, str]]  # (name, printed expression): the common subexpressions, in order


def gd_float_kernel(names: list[str], lines: Lines, gradient: list[str], namespace: dict) -> Callable:
    """Plain gradient descent on floats with the gradient's code written into the loop.

    ``gd_float(p, rate, count, keep)`` takes ``count`` steps x <- x - rate * g from the point
    ``p`` (a list of floats) and returns the last point; the points it steps from go to
    ``keep`` as flat tuples of coordinates, ``GD_UNROLL`` steps' worth at a time (one call each).
    ``lines`` and ``gradient`` are printed for the ``math`` module exactly as for the objective's
    ``grad_float_raw``, so the roundings are the same, but no function is called to get the
    gradient. Like ``grad_float_raw`` it raises where ``math`` does; what ``keep`` was given is
    then a prefix of the run, and the caller takes over from the last point kept (redoing its step).
    """
    step = [f"{name} = {code}" for name, code in lines]
    step += [f"_gdg{i} = {code}" for i, code in enumerate(gradient)]
    step += [f"{v} = {v} - rate * _gdg{i}" for i, v in enumerate(names)]

    def saved(k: int) -> str:  # copy the current point into the names _gdk{k}_0, _gdk{k}_1, ...
        return f"{', '.join(f'_gdk{k}_{i}' for i in range(len(names)))}, = {', '.join(names)},"

    def kept(steps: int) -> str:
        return f"keep(({', '.join(f'_gdk{k}_{i}' for k in range(steps) for i in range(len(names)))},))"

    unrolled = [line for k in range(GD_UNROLL) for line in (saved(k), *step)] + [kept(GD_UNROLL)]
    source = ["def gd_float(p, rate, count, keep):", f"    {', '.join(names)}, = p",
              f"    for _ in range(count // {GD_UNROLL}):", *(f"        {x}" for x in unrolled),
              f"    for _ in range(count % {GD_UNROLL}):", f"        {saved(0)}", *(f"        {x}" for x in step),
              f"        {kept(1)}", f"    return [{', '.join(names)}]"]
    return _define("gd_float", source, dict(namespace), "plain GD on floats")


def gd_columns_kernel(names: list[str], lines: Lines, gradient: list[str], namespace: dict) -> Callable:
    """Plain gradient descent on a batch of runs, stored coordinate-major, with the gradient inlined.

    ``gd_columns(X, G, rate)`` takes ``X`` and ``G`` of shape ``(rows, dim, n)``, ``X[0]`` holding
    the current points of ``n`` runs, and ``rate`` of shape ``(n,)``. It fills the rest of ``X``
    by x <- x - rate * g, writes the gradient at every row into ``G`` and returns the point after
    the last row (a list of ``dim`` columns), where the next call starts. A caller that fills the
    same buffers again and again may pass their views once made, ``rows=list(zip(*X[1:].swapaxes(0,
    1), *G[:-1].swapaxes(0, 1)))``: making them costs a tenth of a microsecond each, every row.

    ``lines`` and ``gradient`` are printed for numpy exactly as for the objective's
    ``grad_columns``, and the loop evaluates them operation by operation as that function does,
    so every row is the float the general loop computes. What costs less: numbers are made numpy
    scalars (0-d arrays) once, when the kernel is built, instead of at every operation (a ufunc
    given a Python float converts it first: 0.5 us instead of 0.3 us on 50 runs); a
    subexpression of numbers alone is computed then, once; and each gradient component's last
    operation writes straight into its row of ``G``. Exponents stay as printed: numpy picks its
    routine for ``x ** 2`` or ``x ** 0.5`` by them.
    Call it inside ``np.errstate``: overflow and NaN are left for the divergence rule.
    """
    scope = dict(namespace)
    scope.update(_gd_subtract=np.subtract, _gd_multiply=np.multiply)
    known: dict[str, Any] = {}
    temps: list[str] = []  # one buffer per operation, reused at every step
    step = []
    for name, code in lines:  # the shared subexpressions; those of numbers alone are computed now
        line = _Numbers(scope, known, temps).line(name, code)
        step += [line] if line else []
    for i, code in enumerate(gradient):  # each component's last operation writes into its row of G
        folder = _Numbers(scope, known, temps)
        line = folder.line(f"_gdg{i}", code, out=f"_gdo{i}")
        if line is None:  # a constant component: the number is bound to _gdg{i}
            step.append(f"_gdo{i}[...] = _gdg{i}")
        else:
            step += [line] if folder.wrote_out else [line, f"_gdo{i}[...] = _gdg{i}"]

    scaled = [f"_gdt{len(temps) + i}" for i in range(len(names))]  # rate * g, one buffer per coordinate
    temps += scaled

    def moved(out: str | None) -> list[str]:
        ends = [f", {out}{i}" if out else "" for i in range(len(names))]
        return [f"{v} = _gd_subtract({v}, _gd_multiply(rate, _gdg{i}, {scaled[i]}){ends[i]})"
                for i, v in enumerate(names)]

    dim = len(names)
    coordinates = ", ".join(names) + ","
    targets = ", ".join([f"_gdr{i}" for i in range(dim)] + [f"_gdo{i}" for i in range(dim)]) + ","
    loop, last = [*step, *moved("_gdr")], [*step, *moved(None)]
    source = ["def gd_columns(X, G, rate, rows=None):", f"    {coordinates} = X[0]",
              *([f"    {', '.join(temps)}, = _gd_empty(({len(temps)}, X.shape[2]))"] if temps else []),
              "    if rows is None:",
              "        rows = zip(*X[1:].swapaxes(0, 1), *G[:-1].swapaxes(0, 1))",  # views, by row
              f"    for {targets} in rows:",
              *(f"        {line}" for line in loop),
              f"    {', '.join(f'_gdo{i}' for i in range(dim))}, = G[-1]",
              *(f"    {line}" for line in last),
              f"    return [{', '.join(names)}]"]
    scope["_gd_empty"] = np.empty
    # the functions and numbers the body uses become keyword defaults, read as locals (2% faster)
    used = sorted({node.id for node in ast.walk(ast.parse("\n".join(source)))
                   if isinstance(node, ast.Name) and node.id in scope} - {"X", "G", "rate", "rows"})
    source[0] = f"def gd_columns(X, G, rate, rows=None, *, {', '.join(f'{u}={u}' for u in used)}):"
    return _define("gd_columns", source, scope, "plain GD on columns")


class _Numbers(ast.NodeTransformer):
    """Folds the numbers of a printed numpy expression into 0-d arrays, built once.

    A subexpression is a *number* when its leaves are literals or names bound to real numbers
    (``pi``, an earlier line that was a number) and its calls take numbers only. Such an
    operand of an arithmetic operation on arrays becomes a name bound to a 0-d float array
    holding the value Python computes for it; anything else is left as printed.
    """

    _ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow)

    _UFUNCS = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.true_divide}

    def __init__(self, scope: dict, known: dict, temps: list[str]):
        self.scope, self.known, self.temps = scope, known, temps
        self.wrote_out = False
        self.exact = True  # every number of the line was folded (else no buffers: numpy decides the types)
        self._buffered: set[int] = set()  # the calls given a buffer of temps

    def line(self, name: str, code: str, out: str | None = None) -> str | None:
        """``name = code`` with its numbers folded, or None if ``code`` is a number (then bound to name).

        With ``out``, the expression's last operation writes its result into the array named
        ``out`` when it is an arithmetic operation or a numpy ufunc (``wrote_out`` says so).
        """
        tree = ast.parse(code, mode="eval").body
        if self.is_number(tree):
            self.known[name] = self.scope[name] = self.value(tree)
            return None
        self.exact = True
        tree = self.visit(tree)
        if not self.exact:  # a number left as printed (complex, say): no buffers, numpy decides the types
            tree = _Unbuffered(self.temps).visit(tree)
        elif out is not None:
            tree = self._into(tree, out)
        return f"{name} = {ast.unparse(ast.fix_missing_locations(tree))}"

    def _into(self, node: ast.expr, out: str) -> ast.expr:
        """``node`` as a ufunc call that writes into ``out``, if it is one; else ``node``."""
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            node = self._call(np.negative, [node.operand])
        if id(node) in self._buffered:  # its own buffer gives way to the row of G
            assert isinstance(node, ast.Call) and isinstance(node.args[-1], ast.Name)
            node.args[-1] = ast.Name(id=out, ctx=ast.Load())
            self.wrote_out = True
        return node

    def _ufunc(self, node: ast.expr) -> bool:
        """Whether ``node`` calls a numpy ufunc of floats with all its inputs and no output given."""
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords):
            return False
        ufunc = self.scope.get(node.func.id)
        return (isinstance(ufunc, np.ufunc) and ufunc.nin == len(node.args) and ufunc.nout == 1
                and f"{'d' * ufunc.nin}->d" in ufunc.types)

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        return self._buffer(node)

    def _buffer(self, node: ast.Call) -> ast.Call:
        """Give a ufunc call a buffer of its own to write into."""
        if self._ufunc(node):
            name = f"_gdt{len(self.temps)}"
            self.temps.append(name)
            node.args.append(ast.Name(id=name, ctx=ast.Load()))
            self._buffered.add(id(node))
        return node

    def is_number(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Constant):
            return _real(node.value)
        if isinstance(node, ast.Name):
            return node.id in self.known or (node.id in self.scope and _real(self.scope[node.id]))
        if isinstance(node, ast.UnaryOp):
            return self.is_number(node.operand)
        if isinstance(node, ast.BinOp):
            return self.is_number(node.left) and self.is_number(node.right)
        if isinstance(node, ast.Call):
            return (isinstance(node.func, ast.Name) and not node.keywords
                    and all(self.is_number(a) for a in node.args))
        return False

    def value(self, node: ast.expr) -> Any:
        with np.errstate(all="ignore"):  # (exp(800) is inf here as in the loop, without a warning)
            return eval(compile(ast.Expression(node), "<gdviz: a number>", "eval"), self.scope, dict(self.known))

    def visit_BinOp(self, node: ast.BinOp) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.op, self._ARITHMETIC) and not self.is_number(node):
            node.left = self._folded(node.left)
            if not isinstance(node.op, ast.Pow):  # (the exponent chooses numpy's routine)
                node.right = self._folded(node.right)
                return self._call(self._UFUNCS[type(node.op)], [node.left, node.right])
        return node

    def _call(self, ufunc: np.ufunc, args: list[ast.expr]) -> ast.Call:
        """``ufunc(*args)``: what the operator calls, without the operator's own checks (20 ns)."""
        name = f"_gd_{ufunc.__name__}"
        self.scope[name] = ufunc
        return self._buffer(ast.Call(func=ast.Name(id=name, ctx=ast.Load()), args=args, keywords=[]))

    def _folded(self, node: ast.expr) -> ast.expr:
        if not self.is_number(node):
            return node
        value = self.value(node)
        try:
            number = np.array(float(value))
        except (TypeError, OverflowError):  # not real, or an integer too large for a float: as printed
            self.exact = False
            return node
        name = f"_gdc{sum(k.startswith('_gdc') for k in self.scope)}"
        self.scope[name] = number
        return ast.Name(id=name, ctx=ast.Load())


class _Unbuffered(ast.NodeTransformer):
    """Takes the buffers out of a line's calls again."""

    def __init__(self, temps: list[str]):
        self.temps = temps

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if node.args and isinstance(node.args[-1], ast.Name) and node.args[-1].id in self.temps:
            node.args.pop()
        return node


def _real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _define(name: str, source: list[str], scope: dict, label: str) -> Callable:
    exec(compile("\n".join(source), f"<gdviz: {label}>", "exec"), scope)  # printed from the sympy tree
    return scope[name]
