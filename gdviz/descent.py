"""The one run loop: :func:`descend` records a run, :func:`sweep` runs a grid of them.

Both loop in Python over epochs only. Everything else is vectorised: ``x0`` may hold a
batch of starts and ``lr`` an array of rates that broadcasts against it, and each epoch
updates every run with a handful of numpy operations. The gradient is the objective's own,
or an *estimate* passed as ``gradient=`` (mini-batches, added noise, a network's backprop):
the same loop, the same record, the same divergence rule.

A single run (one start, one rate, exact gradients) takes a lean path instead, on plain floats
(:mod:`gdviz.lean`), because numpy spends about a microsecond on every call however small the
array; the arithmetic is the same as on the vectorised path, and the tests check that the two agree.

A batch computes f with the gradient in one pass (``value_grad_columns``) when its slab has at
least ``FUSED_MIN`` runs; a smaller one, where each numpy call's fixed cost rules, computes f
once a chunk, over all the chunk's rows. Plain GD at a constant rate on such a small slab runs in
the objective's ``gd_columns`` (:mod:`gdviz.kernels`): the same loop with the gradient's lines
printed into it and no call per step but numpy's own, which records the points and the gradients
(the same floats as the general loop; the tests compare them bit for bit).

**Divergence**, on every path: a run diverges at row t when any coordinate of x_t leaves
``|x| <= MAX_NORM`` or x_t, f(x_t) or the gradient there is not finite or not real. Rows are
checked a chunk at a time, after they are computed (runs are independent, so a run that
blew up cannot disturb the others): the record is then frozen from row t on at row t - 1,
the rate from step t - 1 on is 0 and ``diverged_at`` is t (0 when the start itself is bad).

Inside the engine a batch of n-D points is stored coordinate-major, shape ``(dim, n)``, so
that each coordinate is one contiguous array; records are handed back in the public layout
``(..., *batch, dim)``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import numpy as np

from . import _checks
from . import optimizers as _optimizers
from . import schedules as _schedules
from ._checks import ArgumentTypeError, ArgumentValueError
from ._types import ArrayLike
from .divergence import MAX_NORM, Rows
from .lean import LEAN_CHUNK, run_lean
from .optimizers import Optimizer, is_plain_gd
from .records import Estimate, Landscape, RunRecord, SweepResult, Trajectory
from .schedules import Schedule

__all__ = ["Landscape", "Estimate", "RunRecord", "Trajectory", "SweepResult", "descend", "sweep", "MAX_NORM"]

#: Batches at least this large are cut into slabs of about BLOCK runs, run on the machine's cores.
SPLIT_THRESHOLD = 16_384
BLOCK = 8_192
#: Slabs of at least this many runs take f with the gradient (``value_grad_columns``) at every step.
FUSED_MIN = 1024
#: The fixed cost of one epoch of the loop (a few dozen numpy calls), in trajectory-steps of arithmetic.
EPOCH_COST = 1000
#: Optimizers whose update acts on each coordinate alone, so the lean path may apply it per float.
ELEMENTWISE = frozenset({"GD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "AdamW", "NAdam", "Lion"})


# --------------------------------------------------------------------------- validation


def _landscape(objective: Any, estimated: bool) -> Landscape:
    dim = getattr(objective, "dim", None)
    needs = ("name",) if estimated else ("name", "value_columns", "grad_columns")
    if (isinstance(dim, (bool, np.bool_)) or not isinstance(dim, (int, np.integer)) or dim < 1
            or not all(getattr(objective, a, None) is not None for a in needs)):
        raise ArgumentTypeError(f"objective: expected a gdviz Objective (or an object with dim, name, "
                                f"value_columns and grad_columns), got {type(objective).__name__}")
    return objective


def _starts(land: Landscape, x0: Any) -> np.ndarray:
    """x0 in the engine's layout ``(dim, *batch)``."""
    arr = _checks.as_floats("x0", x0)
    if land.dim > 1 and arr.shape[-1:] != (land.dim,):
        names = getattr(land, "variable_names", ())
        raise ArgumentValueError(
            f"x0: {land.name} has {land.dim} variables {tuple(names)}, so x0 needs a last axis of length "
            f"{land.dim} (e.g. {[0.0] * land.dim}); got shape {arr.shape}")
    return _checks.points("x0", arr, land.dim, MAX_NORM)


def _broadcast_starts(start: np.ndarray, batch: tuple[int, ...]) -> np.ndarray:
    """Starts ``(dim, *x_batch)`` broadcast to ``(dim, *batch)``, their batch axes aligned on the right.

    Broadcasting ``start`` as it is would line its coordinate axis up with a batch axis of the rates.
    """
    dim, x_batch = start.shape[0], start.shape[1:]
    return np.broadcast_to(start.reshape(dim, *(1,) * (len(batch) - len(x_batch)), *x_batch), (dim, *batch))


def _batch_shape(start: np.ndarray, rates: np.ndarray) -> tuple[int, ...]:
    if rates.ndim == 0:  # one rate: the starts' batch (np.broadcast_shapes costs microseconds)
        return start.shape[1:]
    try:
        return np.broadcast_shapes(start.shape[1:], rates.shape)
    except ValueError:
        raise ArgumentValueError(
            f"lr: an array of shape {rates.shape} does not broadcast against the starts' batch shape "
            f"{start.shape[1:]}; use gd.sweep for every combination of starts and rates"
        ) from None


def _optimizer(optimizer: str | Optimizer, land: Landscape) -> Optimizer:
    """The optimizer by name or itself; one built for an objective (Newton's) must be given that one."""
    opt = _optimizers.get(optimizer)
    built_for = getattr(opt.update, "objective", None)  # Newton's method uses its objective's Hessian
    formula = getattr(built_for, "expr", None)  # (the same formula built twice is the same function)
    if built_for is not None and built_for is not land and (formula is None or formula != getattr(land, "expr", None)):
        raise ArgumentValueError(
            f"optimizer: this {opt.name} was built for {getattr(built_for, 'name', built_for)!r}, but the run "
            f"descends {getattr(land, 'name', land)!r}; build it for the objective it descends: "
            f"optimizer=gd.optimizers.{opt.name}(f)")
    return opt


def _state_arrays(opt: Optimizer, dim: int) -> int:
    """How many arrays of the points' size the optimizer's state holds."""
    return sum(isinstance(v, np.ndarray) for v in opt.init(np.zeros((dim, 1))))


# --------------------------------------------------------------------------- the loops


def _clip_batch(g: np.ndarray, clip: float) -> np.ndarray:
    norm = np.sqrt(np.sum(g * g, axis=0))
    return g * np.minimum(1.0, clip / norm)  # norm 0 gives inf here, and min() keeps 1


def _real(value: Any, shape: tuple[int, ...]) -> np.ndarray:
    """An estimate's output as floats of ``shape``; complex entries count as not real (NaN)."""
    arr = np.asarray(value)
    if arr.dtype.kind == "c":
        arr = np.where(arr.imag == 0, arr.real, np.nan)
    elif arr.dtype.kind not in "fiu":
        raise ArgumentTypeError(f"gradient: expected arrays of numbers, got {type(value).__name__}")
    if arr.shape != shape:
        raise ArgumentValueError(f"gradient: returned shape {arr.shape} for points of shape {shape}; "
                                 "expected the same shape (and a loss of the batch's shape, if any)")
    return arr.astype(float, copy=False)


def _estimator(gradient: Estimate, dim: int, batch: tuple[int, ...]) -> Callable:
    """``gradient`` on engine-layout points ``(dim, n)``: returns g ``(dim, n)`` and f ``(n,)`` or None."""
    n, public = math.prod(batch), batch if dim == 1 else (*batch, dim)

    def call(point: np.ndarray, t: int) -> tuple[np.ndarray, np.ndarray | None]:
        shown = point.reshape(dim, *batch)
        shown = np.array(shown[0] if dim == 1 else np.moveaxis(shown, 0, -1))  # the caller's own copy
        out, f = gradient(shown, t), None
        if isinstance(out, tuple):
            if len(out) != 2:
                raise ArgumentTypeError("gradient: expected g or a pair (g, f), got a tuple of "
                                        f"{len(out)} items")
            out, loss = out
            f = _real(loss, batch).reshape(n)
        g = _real(out, public)
        return (g[None] if dim == 1 else np.moveaxis(g, -1, 0)).reshape(dim, n), f

    return call


def _run_plain(land: Any, x: np.ndarray, rates: np.ndarray, epochs: int, rows: Rows) -> None:
    """Plain GD at a constant rate on a small slab, in the objective's printed loop ``gd_columns``.

    The kernel fills a chunk's points and gradients with no function call per step (see
    :mod:`gdviz.kernels`); f at every row of the chunk comes from one vectorised pass.
    """
    kernel = land.gd_columns
    views: dict[int, list] = {}  # rows in a chunk -> the views of the scratch rows
    with np.errstate(all="ignore"):  # overflow and NaN are results here, flagged by rows.check
        for a in range(0, epochs + 1, rows.chunk):
            b = min(a + rows.chunk, epochs + 1)
            X, G, F = rows.slots(a, b)
            X[0] = x
            targets = None
            if rows.keep is not None:  # the same scratch rows every chunk: their views are made once
                targets = views.get(b - a) or views.setdefault(b - a, list(
                    zip(*X[1:].swapaxes(0, 1), *G[:-1].swapaxes(0, 1), strict=True)))
            x = kernel(X, G, rates, targets)  # (the next point, before rows.check freezes a run that blew up)
            if rows.lr is not None:
                rows.lr[a:min(b, epochs)] = rates
            rows.check(a, X, G, F, False)


def _run_batch(land: Landscape, x0: np.ndarray, rates: np.ndarray, epochs: int, opt: Optimizer, sched: Schedule,
               clip: float | None, rows: Rows, estimate: Callable | None = None, states: list | None = None) -> None:
    """The vectorised loop over one slab of runs, ``x0`` of shape ``(dim, n)``, writing into ``rows``."""
    if (estimate is None and states is None and clip is None and sched.is_constant and x0.shape[1] < FUSED_MIN
            and hasattr(land, "gd_columns") and is_plain_gd(opt)):
        return _run_plain(land, x0, rates, epochs, rows)
    x = np.array(x0, dtype=float)
    # the objective's gradient, called only when no estimate is given (which may come without one)
    grad = cast("Callable[[np.ndarray], np.ndarray]", land.grad_columns if estimate is None else None)
    value = getattr(land, "value_columns", None)
    # f and g in one pass, for slabs large enough that arithmetic, not the cost of each call, rules:
    # a small slab computes f once a chunk, over all its rows, in fewer calls than once a step
    both = getattr(land, "value_grad_columns", None) if estimate is None and x.shape[1] >= FUSED_MIN else None
    update, lookahead, lr_rows = opt.update, opt.lookahead, rows.lr
    f_known = both is not None
    g: Any = None  # the gradient and loss of the current row, set before their first use
    f: Any = None
    with np.errstate(all="ignore"):  # overflow and NaN are results here, flagged by rows.check
        state = opt.init(x)
        for a in range(0, epochs + 1, rows.chunk):
            b = min(a + rows.chunk, epochs + 1)
            X, G, F = rows.slots(a, b)
            factors = None if sched.uses_gradient else [1.0] * (b - a) if sched.is_constant else [
                sched(t, epochs) for t in range(a, min(b, epochs))]
            for i in range(b - a):
                t = a + i
                X[i] = x
                if both is not None:
                    f, g = both(x)
                    g_step = g
                elif estimate is None:
                    g = g_step = grad(x)
                elif t < max(epochs, 1):  # the estimate at the optimizer's look-ahead point
                    g_step, f = estimate(lookahead(x, state), t)
                    g, f_known = g_step, f is not None
                    if f is None and value is None:
                        raise ArgumentValueError("gradient: this objective has no value_columns, so the "
                                                 "estimate must return the pair (g, f)")
                elif f_known:  # the last row: no step is taken from it, so no estimate is made
                    f = f if value is None else value(x)
                G[i] = g
                if f_known:
                    F[i] = f
                if states is not None:
                    states.append(state)
                if t == epochs:
                    break
                if factors is None:  # a gradient-scaled rule: one factor per run
                    rate = rates * sched(t, epochs, np.sqrt(np.sum(g * g, axis=0)))
                else:
                    rate = rates if factors[i] == 1.0 else rates * factors[i]  # skip a multiply by one
                if estimate is None:
                    point = lookahead(x, state)
                    if point is not x:
                        g_step = grad(point)
                if clip is not None:
                    g_step = _clip_batch(g_step, clip)
                x, state = update(x, g_step, state, rate)
                if lr_rows is not None:
                    lr_rows[t] = rate
            rows.check(a, X, G, F, f_known)


def _slabs(n: int) -> list[tuple[int, int]]:
    """Cut ``n`` runs into contiguous slabs: one if few, else about BLOCK each, at least one per core."""
    workers = min(os.cpu_count() or 1, 8)
    if n < SPLIT_THRESHOLD or workers < 2:
        return [(0, n)]
    cuts = np.linspace(0, n, max(workers, -(-n // BLOCK)) + 1).astype(int)
    return list(zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True))


def _run_slabs(land: Landscape, x: np.ndarray, rates: np.ndarray, epochs: int, opt: Optimizer, sched: Schedule,
               clip: float | None, make_rows: Callable[[int, int], Rows]) -> np.ndarray:
    """``_run_batch`` on every slab (in threads: numpy releases the GIL); the runs' ``diverged_at``."""
    n = x.shape[1]
    diverged_at = np.empty(n, dtype=int)

    def one(lo: int, hi: int) -> None:
        rows = make_rows(lo, hi)
        _run_batch(land, x[:, lo:hi], rates[lo:hi], epochs, opt, sched, clip, rows)
        rows.finish(None)
        diverged_at[lo:hi] = rows.diverged_at

    slabs = _slabs(n)
    if len(slabs) == 1:
        one(0, n)
    else:
        with ThreadPoolExecutor(min(os.cpu_count() or 1, 8)) as pool:
            list(pool.map(lambda s: one(*s), slabs))
    return diverged_at


def _public(dim: int, arr: np.ndarray, batch: tuple[int, ...]) -> np.ndarray:
    """Engine layout ``(rows, dim, n)`` to the public ``(rows, *batch[, dim])``."""
    arr = arr.reshape(arr.shape[0], dim, *batch)
    return arr[:, 0] if dim == 1 else arr.transpose(0, *range(2, arr.ndim), 1)  # (np.moveaxis costs 10x more)


# --------------------------------------------------------------------------- the public functions


def descend(
    objective: Landscape,
    x0: ArrayLike,
    lr: ArrayLike = 0.01,
    epochs: int = 100,
    optimizer: str | Optimizer = "gd",
    schedule: str | Schedule | None = None,
    *,
    clip: float | None = None,
    keep_state: bool = False,
    gradient: Estimate | None = None,
) -> Trajectory:
    """Run gradient descent (or another optimizer) and return the full record.

    At step t = 0 .. epochs - 1 every run takes ``g_t``, the gradient at its optimizer's
    look-ahead point (the current x for all but Nesterov), optionally clipped to length ``clip``,
    and makes the optimizer's update with the rate ``lr * schedule(t, epochs)`` (a gradient-scaled
    schedule sees ``|g_t|``). Plain GD: ``x_{t+1} = x_t - lr_t * grad f(x_t)``.

    Args:
        objective: what to minimise: an :class:`~gdviz.Objective` or any :class:`Landscape`.
        x0: the start; for a 1-D objective a number or an array of starts of any shape, for
            an n-D objective an array whose last axis has length n (``[x, y]`` or a grid).
        lr: the base learning rate, or an array of rates broadcasting against the starts.
        epochs: the number of update steps.
        optimizer: an :class:`~gdviz.optimizers.Optimizer` or its name ("gd", "momentum", ...).
        schedule: None (constant rate), a :class:`~gdviz.schedules.Schedule` or its name.
        clip: if given, gradients longer than ``clip`` are scaled down to that norm.
        keep_state: also record the optimizer's state (velocity, moment averages, ...) at
            every step, in ``Trajectory.state``.
        gradient: a gradient *estimate* used instead of the objective's gradient: called once
            per step, in order, as ``gradient(point, t)`` with the look-ahead points in the
            public layout (shape ``batch`` in 1-D, ``(*batch, dim)`` otherwise: ``(dim,)`` for
            one run), returning g of that shape or a pair ``(g, f)`` with the loss estimate f of
            shape ``batch``. The record's ``grad[t]`` is then the estimate used at step t and
            ``f[t]`` its loss (else the objective's value). The last row repeats the last
            estimate's g, and takes f from the objective (or repeats the last estimate's f);
            with ``epochs=0`` the estimate is made once, at the start. Points of runs that are
            about to be flagged may be inf or NaN; the estimate must not raise on them.

    Returns:
        a :class:`Trajectory`. A run that leaves ``|x| <= 1e12`` or whose x, f or gradient turns
        infinite, NaN or complex is frozen at its last good row and flagged in ``diverged``; no
        warning is printed, no exception raised.

    Raises:
        TypeError, ValueError: for bad arguments, naming the argument; ValueError also when the
        record would exceed ``gdviz._checks.MEMORY_BUDGET`` (checked before any work starts).

    >>> import gdviz as gd
    >>> run = gd.descend(gd.Objective("3*x**2 - 3*x + 4"), x0=2.0, lr=0.1, epochs=50)
    >>> round(run.final, 6), bool(run.diverged)
    (0.5, False)
    >>> run = gd.descend(gd.Objective("x**2"), 1.0, lr=0.25, epochs=2, gradient=lambda x, t: 2 * x)
    >>> run.x.tolist(), run.grad.tolist()
    ([1.0, 0.5, 0.25], [2.0, 1.0, 1.0])
    """
    land = _landscape(objective, gradient is not None)
    if gradient is not None and not callable(gradient):
        raise ArgumentTypeError(f"gradient: expected None or a function gradient(x, t), got {gradient!r}")
    rates, epochs = _checks.positives("lr", lr), _checks.count("epochs", epochs)
    start = _starts(land, x0)
    opt, sched = _optimizer(optimizer, land), _schedules.get(schedule)
    clip = None if clip is None else _checks.positive("clip", clip)
    keep = _checks.flag("keep_state", keep_state)
    batch = _batch_shape(start, rates)
    dim, n = land.dim, math.prod(batch)
    state_bytes = 2 * 8 * (epochs + 1) * n * dim * _state_arrays(opt, dim) if keep else 0
    _checks.memory(8 * n * ((epochs + 1) * (2 * dim + 1) + epochs) + state_bytes, "this run's record",
                   "ask for fewer epochs or fewer starts, or use gd.sweep, which keeps only the final positions")
    _checks.work((n + EPOCH_COST) * epochs, "this descent", "ask for fewer epochs or fewer starts")

    xs, gs = np.empty((epochs + 1, dim, n)), np.empty((epochs + 1, dim, n))
    fs, lrs = np.empty((epochs + 1, n)), np.empty((epochs, n))
    states: list | None = [] if keep else None
    lean = batch == () and gradient is None and opt.name in ELEMENTWISE and hasattr(land, "grad_float")
    if batch == ():  # one run: nothing to broadcast
        x, r = start.reshape(dim, 1), rates.reshape(1)
    else:
        x = np.ascontiguousarray(_broadcast_starts(start, batch).reshape(dim, n))
        r = np.ascontiguousarray(np.broadcast_to(rates, batch).reshape(n))
    if lean or gradient is not None or keep:
        rows = Rows(land, n, xs, fs, g=gs, lr=lrs, chunk=LEAN_CHUNK if lean else 0)
        if lean:
            run_lean(land, x, float(r[0]), epochs, opt, sched, clip, rows, states)
        else:
            estimate = None if gradient is None else _estimator(gradient, dim, batch)
            _run_batch(land, x, r, epochs, opt, sched, clip, rows, estimate, states)
        state, diverged_at = rows.finish(states), rows.diverged_at
    else:
        state = None
        diverged_at = _run_slabs(land, x, r, epochs, opt, sched, clip, lambda lo, hi: Rows(
            land, hi - lo, xs[:, :, lo:hi], fs[:, lo:hi], g=gs[:, :, lo:hi], lr=lrs[:, lo:hi]))
    if state is not None:
        state = type(state)(*(v if v.ndim == 1 else _public(dim, v, batch) for v in state))
    diverged_at = diverged_at.reshape(batch)
    diverged = diverged_at >= 0
    return Trajectory(
        x=_public(dim, xs, batch), f=fs.reshape(epochs + 1, *batch), grad=_public(dim, gs, batch),
        lr=lrs.reshape(epochs, *batch), diverged=diverged[()] if batch == () else diverged,
        diverged_at=diverged_at, objective=land, optimizer=opt, schedule=sched, state=state,
    )


def sweep(
    objective: Landscape,
    x0: ArrayLike,
    lr: ArrayLike = 0.01,
    epochs: int | Sequence[int] | np.ndarray = 100,
    optimizer: str | Optimizer = "gd",
    schedule: str | Schedule | None = None,
    *,
    clip: float | None = None,
) -> SweepResult:
    """Every combination of starts, rates and epoch counts, as one vectorised run.

    The grid is the outer product of the batch axes of ``x0``, the axes of ``lr`` and
    ``epochs`` (an int or a 1-D array of them). All runs go for ``max(epochs)`` steps once;
    only the positions at the requested epochs are kept, so a million runs fit in memory.
    Divergence is flagged by the rule of :func:`descend`, per requested epoch count. A window
    of consecutive counts, ``epochs=np.arange(2000, 2064)``, keeps those late steps of every
    run and nothing before them: the data of a bifurcation diagram (notebook 04,
    :func:`gdviz.plotting.plot_bifurcation`).
    Requests beyond ``gdviz._checks.WORK_BUDGET`` trajectory-steps are refused up front.

    >>> import gdviz as gd, numpy as np
    >>> grid = gd.sweep(gd.functions.quadratic, x0=0.0, lr=[0.01, 0.1], epochs=[10, 100])
    >>> grid.x.shape, grid.dims
    ((2, 2), ('lr', 'epochs'))
    """
    land = _landscape(objective, False)
    rates = _checks.positives("lr", lr)
    counts = _checks.counts("epochs", epochs)
    start = _starts(land, x0)
    opt, sched = _optimizer(optimizer, land), _schedules.get(schedule)
    clip = None if clip is None else _checks.positive("clip", clip)
    if counts.size > 1 and sched.uses_total:
        raise ArgumentValueError(f"schedule: {sched.name} depends on the run's length, so one run cannot serve "
                                 "several epoch counts; sweep the epochs one at a time")

    dim, x_batch, r_shape = land.dim, start.shape[1:], rates.shape
    batch = (*x_batch, *r_shape)
    n, rows = math.prod(batch), np.array(sorted(set(counts.tolist())))  # (np.unique costs 3x more)
    _checks.work((n + EPOCH_COST) * int(rows[-1]), "this sweep", "ask for fewer epochs, starts or rates")
    _checks.memory(8 * n * (dim + 1) * (len(rows) + 2 * counts.size) + 3 * 64 * 8 * (dim + 1) * min(n, BLOCK),
                   "this sweep's final positions", "ask for fewer starts, rates or epoch counts")
    x = np.ascontiguousarray(_broadcast_starts(start.reshape(dim, *x_batch, *(1,) * len(r_shape)), batch)
                             .reshape(dim, n))
    r = np.ascontiguousarray(np.broadcast_to(rates.reshape((*(1,) * len(x_batch), *r_shape)), batch).reshape(n))
    out_x, out_f = np.empty((len(rows), dim, n)), np.empty((len(rows), n))
    keep = rows.tolist()
    diverged_at = _run_slabs(land, x, r, int(rows[-1]), opt, sched, clip, lambda lo, hi: Rows(
        land, hi - lo, out_x[:, :, lo:hi], out_f[:, lo:hi], keep=keep))

    picked = np.searchsorted(rows, counts)
    xs, fs = _public(dim, out_x[picked], batch), out_f[picked].reshape(len(picked), *batch)
    diverged = (diverged_at >= 0) & (diverged_at <= counts[:, None])
    diverged = diverged.reshape(len(picked), *batch)
    if np.ndim(epochs) == 0:
        xs, fs, diverged = xs[0], fs[0], diverged[0]
    else:  # epochs become the last axis of the grid (np.moveaxis costs 10x more than a transpose)
        last = (*range(1, len(batch) + 1), 0)
        xs = xs.transpose(*last, *range(len(batch) + 1, xs.ndim))
        fs, diverged = fs.transpose(*last), diverged.transpose(*last)
    dims = ("x0",) * len(x_batch) + ("lr",) * len(r_shape) + (("epochs",) if np.ndim(epochs) else ())
    return SweepResult(x=xs, f=fs, diverged=diverged, x0=np.asarray(x0, dtype=float), lr=rates,
                       epochs=counts if np.ndim(epochs) else counts[0], dims=dims, objective=land)
