"""One run on plain floats: the lean path of :mod:`gdviz.descent`'s run loop.

A single run (one start, one rate, exact gradients) keeps its point as a list of plain floats,
takes the gradient from a function compiled for the ``math`` module and applies the optimizer's
update coordinate by coordinate, because numpy spends about a microsecond on every call however
small the array. The arithmetic is the vectorised path's; the tests check that the two agree.
Plain GD at a constant rate goes further: it runs in the objective's ``gd_float``
(:mod:`gdviz.kernels`), which records only the points; f and the gradient at every recorded point
are then computed for the whole chunk in one vectorised pass (numpy's exp or sin may round a last
bit differently from ``math``'s, so the recorded gradient can differ from the one the step used by
an ulp or so). Rows are written into, and checked by, the :class:`~gdviz.divergence.Rows` of the
record, as on the vectorised path.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from .divergence import Rows
from .optimizers import Optimizer, is_plain_gd
from .schedules import Schedule

__all__ = ["LEAN_CHUNK", "run_lean"]

#: Rows per chunk on the lean path.
LEAN_CHUNK = 1024


def _real_rows(values: list, dim: int) -> np.ndarray:
    """Numbers recorded flat, ``dim`` a row, as an array ``(rows, dim)``; complex entries become NaN (not real)."""
    try:
        return np.fromiter(values, float, len(values)).reshape(-1, dim)
    except TypeError:  # Python's ** gave a complex number
        c = np.array(values, dtype=complex)
        return np.where(c.imag == 0, c.real, np.nan).reshape(-1, dim)


def _gd_loop(grad: Callable, p: list, rate: float, count: int, xs: list, gs: list) -> list:
    """``count`` steps of plain GD, x <- x - rate * g, on floats, each row recorded flat in xs and gs."""
    keep_x, keep_g = xs.extend, gs.extend
    if len(p) == 2:
        x, y = p
        for _ in range(count):
            gx, gy = g = grad(x, y)
            keep_x((x, y))
            keep_g(g)
            x, y = x - rate * gx, y - rate * gy
        return [x, y]
    if len(p) == 1:
        [x] = p
        for _ in range(count):
            g = grad(x)
            keep_x((x,))
            keep_g(g)
            x = x - rate * g[0]
        return [x]
    for _ in range(count):
        g = grad(*p)
        keep_x(p)
        keep_g(g)
        p = [v - rate * w for v, w in zip(p, g, strict=True)]
    return p


def _gd_points(land: Any, p: list, rate: float, count: int, xs: list) -> list:
    """The tight loop of a single plain-GD run on floats: ``count`` steps, the points recorded flat in xs.

    It runs the objective's ``gd_float`` (the gradient's code inlined in the loop) if it has one,
    else :func:`_gd_loop` with the bare ``math`` gradient. Where ``math`` raises (``exp(800)``
    overflows; numpy gives inf, and the formula may still end finite) the loop goes on from that
    step with ``grad_float``, which falls back to numpy there: the same points as calling
    ``grad_float`` throughout, without its wrapper's cost at every step. The gradients are not
    kept: the caller computes them for all rows at once.
    """
    dim, before, safe = len(p), len(xs), land.grad_float
    kernel = getattr(land, "gd_float", None)
    try:
        if kernel is not None:
            return kernel(p, rate, count, xs.extend)
        return _gd_loop(getattr(land, "grad_float_raw", safe), p, rate, count, xs, [])
    except (ArithmeticError, ValueError):
        done = (len(xs) - before) // dim  # points recorded before the step whose gradient raised
        if done:  # the point it raised at: the last recorded point's step, redone (the same floats)
            last = xs[-dim:]
            p = [v - rate * w for v, w in zip(last, safe(*last), strict=True)]
        return _gd_loop(safe, p, rate, count - done, xs, [])


def _coordinatewise(update: Callable, dim: int) -> Callable:
    """``update`` applied to each coordinate of a point held as a list of floats (unrolled in 1-D and 2-D)."""
    if dim == 1:
        def step(p, g, st, lr):
            x0, s0 = update(p[0], g[0], st[0], lr)
            return [x0], [s0]
    elif dim == 2:
        def step(p, g, st, lr):
            x0, s0 = update(p[0], g[0], st[0], lr)
            x1, s1 = update(p[1], g[1], st[1], lr)
            return [x0, x1], [s0, s1]
    else:
        def step(p, g, st, lr):
            new = [update(v, w, s, lr) for v, w, s in zip(p, g, st, strict=True)]
            return [u[0] for u in new], [u[1] for u in new]

    def safe(p, g, st, lr):
        try:
            return step(p, g, st, lr)
        except (ArithmeticError, ValueError):  # Python floats raise (0/0) where numpy gives inf or NaN
            out, new_st = step([np.float64(v) for v in p], [np.float64(v) for v in g], st, np.float64(lr))
            return [float(v) for v in out], new_st

    return safe


def run_lean(land: Any, x0: np.ndarray, rate: float, epochs: int, opt: Optimizer, sched: Schedule,
              clip: float | None, rows: Rows, states: list | None = None) -> None:
    """One run on plain floats: the optimizer's update applied to each coordinate, per step."""
    grad, lookahead, dim = land.grad_float, opt.lookahead, land.dim
    p = x0[:, 0].tolist()
    st = [opt.init(v) for v in p]
    shifted = lookahead(p[0], st[0]) is not p[0]  # Nesterov: the gradient is taken elsewhere
    scaled, constant = sched.uses_gradient, sched.is_constant
    plain = (is_plain_gd(opt) and constant and clip is None and states is None  # then the tight loop of
             and hasattr(land, "value_grad_columns"))  # _gd_points, and f and g for a whole chunk at once
    step = _coordinatewise(opt.update, dim)
    alive = True
    with np.errstate(all="ignore"):
        for a in range(0, epochs + 1, rows.chunk):
            b = min(a + rows.chunk, epochs + 1)
            xs: list = []
            gs: list = []
            lrs: list = []
            try:
                if plain and alive:
                    count = min(b, epochs) - a
                    assert rows.lr is not None  # a single run's record keeps its rates
                    rows.lr[a:a + count, 0] = rate  # (rows from a blow-up on are zeroed by rows.finish)
                    p = _gd_points(land, p, rate, count, xs)
                    if b == epochs + 1:
                        xs.extend(p)  # the final row
                for t in range(b if plain else a + len(xs) // dim, b if alive else a):
                    g = grad(*p)
                    xs.extend(p)
                    gs.extend(g)
                    if states is not None:
                        states.append(st)
                    if t == epochs:
                        break
                    if constant:
                        lr_t = rate
                    elif scaled:
                        lr_t = rate * sched(t, epochs, math.sqrt(sum([v * v for v in g])))
                    else:
                        factor = sched(t, epochs)
                        lr_t = rate if factor == 1.0 else rate * factor
                    g_step = grad(*[lookahead(v, s) for v, s in zip(p, st, strict=True)]) if shifted else g
                    if clip is not None:
                        size = math.sqrt(sum([v * v for v in g_step]))
                        g_step = [v * min(1.0, clip / size) for v in g_step] if size > 0 else g_step
                    p, st = step(p, g_step, st, lr_t)
                    lrs.append(lr_t)
            except (ArithmeticError, TypeError, ValueError):  # e.g. math functions given a complex number
                pass  # the rows not computed are NaN below: flagged, and frozen at the last good one
            X, G, F = rows.slots(a, b)
            m = len(xs) // dim
            if m:
                X[:m, :, 0] = _real_rows(xs, dim)
                if plain:  # f and the gradients of every row in one vectorised pass
                    f_rows, g_rows = land.value_grad_columns(np.ascontiguousarray(X[:m, :, 0].T))
                    F[:m, 0], G[:m, :, 0] = f_rows, g_rows.T
                else:
                    G[:m, :, 0] = _real_rows(gs, dim)
            if m < b - a:
                X[m:], G[m:], F[m:] = np.nan, np.nan, np.nan
            if lrs:
                assert rows.lr is not None  # a single run's record keeps its rates
                rows.lr[a:a + len(lrs), 0] = lrs
            rows.check(a, X, G, F, plain)
            alive = alive and m == b - a and rows.diverged_at[0] < 0
    if states is not None:
        pad = states[-1] if states else [opt.init(v) for v in p]
        states.extend([pad] * (epochs + 1 - len(states)))
        states[:] = [type(s[0])(*(np.array(c) if not isinstance(c[0], (int, np.integer)) else c[0]
                                  for c in zip(*s, strict=True))) for s in states]
