"""The one run loop: :func:`descend` records a run, :func:`sweep` runs a grid of them.

Both loop in Python over epochs only. Everything else is vectorised: ``x0`` may hold a
batch of starts and ``lr`` an array of rates that broadcasts against it, and each epoch
updates every run with a handful of numpy operations.

A single run (one start, one rate) takes a lean path instead: plain floats and functions
compiled for the ``math`` module, because numpy spends about a microsecond on every call
however small the array. Both paths do the same arithmetic in the same order; the tests
check that they agree.

Inside the engine a batch of n-D points is stored coordinate-major, shape
``(dim, *batch)``, so that each coordinate is one contiguous array; records are handed
back in the public layout ``(..., *batch, dim)``.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import optimizers as _optimizers
from . import schedules as _schedules
from .objective import Objective
from .optimizers import Optimizer
from .schedules import Schedule

__all__ = ["RunRecord", "Trajectory", "SweepResult", "descend", "sweep", "MAX_NORM"]

#: A run whose position leaves the box |x_i| <= MAX_NORM counts as diverged (as do NaN and inf).
MAX_NORM = 1e12


class RunRecord:
    """What every record of runs shares: rows ``x`` and ``f`` with the last row the final one."""

    x: np.ndarray
    f: np.ndarray

    @property
    def final(self) -> Any:
        """The last position: a float for one run on a 1-D objective, else an array."""
        last = self.x[-1]
        return float(last) if np.ndim(last) == 0 else last

    @property
    def final_f(self) -> Any:
        last = self.f[-1]
        return float(last) if np.ndim(last) == 0 else last


@dataclass(frozen=True)
class Trajectory(RunRecord):
    """The record of one or many descents.

    For a 1-D objective ``x`` and ``grad`` have shape ``(epochs + 1, *batch)``; for an n-D
    one ``(epochs + 1, *batch, n)``. Row ``t`` is the state after ``t`` steps. ``lr[t]`` is
    the rate used for the step from row ``t`` to row ``t + 1`` (0 once a run has diverged).
    A diverged run is frozen at its last finite position and flagged in ``diverged``;
    ``diverged_at`` gives the step that blew up (-1 if none did).

    With ``descend(..., keep_state=True)``, ``state`` holds the optimizer's state at every
    row: the optimizer's own NamedTuple (``MomentumState(v)``, ``AdamState(count, m, v)``, ...)
    whose fields are arrays with one row per step, laid out like ``x``.
    """

    x: np.ndarray
    f: np.ndarray
    grad: np.ndarray
    lr: np.ndarray
    diverged: np.ndarray
    diverged_at: np.ndarray
    objective: Objective
    optimizer: Optimizer
    schedule: Schedule
    state: Any = field(default=None, kw_only=True)

    @property
    def epochs(self) -> int:
        return self.lr.shape[0]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.diverged.shape

    @property
    def grad_norm(self) -> np.ndarray:
        """|gradient| at every recorded step, shape ``(epochs + 1, *batch)``."""
        return np.abs(self.grad) if self.objective.dim == 1 else np.linalg.norm(self.grad, axis=-1)

    def steps_to(self, tol: float, target: float | None = None) -> np.ndarray:
        """First step at which f <= target + tol (target: the global minimum), -1 if never.

        Returns an int array of the batch shape (a 0-d array for a single run).
        """
        if target is None:
            best = self.objective.global_minimum
            if best is None:
                raise ValueError("target: this objective has no known minimum; pass target=")
            target = best.f
        below = self.f <= target + tol
        return np.where(below.any(axis=0), below.argmax(axis=0), -1)

    def __repr__(self) -> str:
        runs = "1 run" if not self.batch_shape else f"batch {self.batch_shape}"
        n_div = int(np.count_nonzero(self.diverged))
        return (f"Trajectory({self.objective.name}, {self.optimizer!r}, {self.epochs} epochs, {runs}, "
                f"{n_div} diverged)")


@dataclass(frozen=True)
class SweepResult:
    """Final positions of a grid of runs, keeping nothing of the steps in between.

    The grid's axes are, in order: the batch axes of ``x0``, the axes of ``lr`` and (when
    several were asked for) the epochs. ``x`` has the grid's shape (plus a trailing axis of
    length n for an n-D objective), ``f`` and ``diverged`` the grid's shape.
    """

    x: np.ndarray
    f: np.ndarray
    diverged: np.ndarray
    x0: np.ndarray
    lr: np.ndarray
    epochs: np.ndarray
    dims: tuple[str, ...]
    objective: Objective

    def basins(self, tol: float = 1e-3) -> np.ndarray:
        """Which known minimum each run ended at: an index into ``objective.minima``.

        -1 marks runs that ended farther than ``tol`` from every known minimum (or diverged).
        """
        minima = self.objective.minima
        if not minima:
            raise ValueError("objective: has no known minima to label basins with")
        centres = np.array([m.x for m in minima], dtype=float).reshape(len(minima), -1)
        points = self.x.reshape(*self.f.shape, -1)
        dist = np.linalg.norm(points[..., None, :] - centres, axis=-1)
        labels = dist.argmin(axis=-1)
        return np.where((dist.min(axis=-1) <= tol) & ~self.diverged, labels, -1)


# --------------------------------------------------------------------------- validation


def _as_floats(name: str, value: Any) -> np.ndarray:
    """``value`` as a float array; strings, booleans and complex numbers are refused, not converted."""
    try:
        raw = np.asarray(value)
        if raw.dtype.kind not in "iufO" or value is None:  # (numpy would turn None into NaN)
            raise TypeError
        return raw.astype(float)
    except (TypeError, ValueError):
        raise TypeError(f"{name}: expected a number or an array of numbers, got {value!r}") from None


def _check_lr(lr: Any) -> np.ndarray:
    rates = _as_floats("lr", lr)
    if rates.size == 0 or not np.all(np.isfinite(rates)) or not np.all(rates > 0):
        raise ValueError(f"lr: expected finite learning rates > 0, got {lr!r}")
    return rates


def _check_epochs(epochs: Any) -> int:
    if isinstance(epochs, (bool, np.bool_)) or not isinstance(epochs, (int, float, np.integer, np.floating)):
        raise TypeError(f"epochs: expected a whole number >= 0, got {epochs!r}")
    if not float(epochs).is_integer() or epochs < 0:
        raise ValueError(f"epochs: expected a whole number >= 0, got {epochs!r}")
    return int(epochs)


def _check_x0(objective: Objective, x0: Any, max_norm: float) -> np.ndarray:
    """x0 in the engine's layout ``(dim, *batch)``."""
    if not isinstance(objective, Objective):
        raise TypeError(f"objective: expected a gdviz Objective, got {type(objective).__name__}")
    start = _as_floats("x0", x0)
    if objective.dim == 1:
        start = start[None]
    elif start.ndim == 0 or start.shape[-1] != objective.dim:
        raise ValueError(
            f"x0: {objective.name} has {objective.dim} variables {objective.variable_names}, so x0 needs a "
            f"last axis of length {objective.dim} (e.g. {[0.0] * objective.dim}); got shape {start.shape}"
        )
    else:
        start = np.moveaxis(start, -1, 0)
    if not np.all(np.abs(start) <= max_norm):  # also refuses NaN and inf
        raise ValueError(f"x0: expected finite starting points with |x| <= {max_norm:g}")
    return start


def _check_clip(clip: Any) -> float | None:
    if clip is None:
        return None
    value = _as_floats("clip", clip)
    if value.ndim != 0 or not (math.isfinite(value) and value > 0):
        raise ValueError(f"clip: expected None or a gradient norm > 0, got {clip!r}")
    return float(value)


def _broadcast_starts(start: np.ndarray, batch: tuple[int, ...]) -> np.ndarray:
    """Starts ``(dim, *x_batch)`` broadcast to ``(dim, *batch)``, their batch axes aligned on the right.

    Broadcasting ``start`` as it is would line its coordinate axis up with a batch axis of the rates.
    """
    dim, x_batch = start.shape[0], start.shape[1:]
    return np.broadcast_to(start.reshape(dim, *(1,) * (len(batch) - len(x_batch)), *x_batch), (dim, *batch))


def _batch_shape(start: np.ndarray, rates: np.ndarray) -> tuple[int, ...]:
    try:
        return np.broadcast_shapes(start.shape[1:], rates.shape)
    except ValueError:
        raise ValueError(
            f"lr: an array of shape {rates.shape} does not broadcast against the starts' batch shape "
            f"{start.shape[1:]}; use gd.sweep for every combination of starts and rates"
        ) from None


# --------------------------------------------------------------------------- the loop


def _select(ok: np.ndarray, new: Any, old: Any) -> Any:
    """``new`` where ``ok``, else ``old``, for arrays and NamedTuple states alike."""
    if isinstance(new, tuple):
        return type(new)(*(_select(ok, a, b) for a, b in zip(new, old, strict=True)))
    if isinstance(new, np.ndarray) and new.ndim >= ok.ndim:
        return np.where(ok, new, old)
    return new


# the ufuncs' own reductions: ndarray.min() and friends add a Python wrapper to every call
_lowest, _highest, _total = np.minimum.reduce, np.maximum.reduce, np.add.reduce


def _clip_batch(g: np.ndarray, clip: float) -> np.ndarray:
    norm = np.sqrt(np.sum(g * g, axis=0))
    return g * np.minimum(1.0, clip / norm)  # norm 0 gives inf here, and min() keeps 1


def _run_batch(objective, start, rates, epochs, opt, schedule, clip, record_at, max_norm, states=None):
    """Vectorised loop. Records positions (and, when ``record_at`` is None, everything).

    If ``states`` is a list, the optimizer's state at every row is appended to it.
    """
    batch = _batch_shape(start, rates)
    x = np.ascontiguousarray(_broadcast_starts(start, batch))
    full = record_at is None
    rows = range(epochs + 1) if full else record_at.tolist()
    slot = {t: i for i, t in enumerate(rows)}
    xs = np.empty((len(rows), *x.shape))
    if full:
        gs, lrs = np.empty_like(xs), np.empty((epochs, *batch))
    factors = None if schedule.uses_gradient else [schedule(t, epochs) for t in range(epochs)]
    alive, all_alive = np.ones(batch, dtype=bool), True
    diverged_at = np.full(batch, -1)

    with np.errstate(all="ignore"):  # overflow and NaN are results here, flagged below
        state = opt.init(x)
        g = objective.grad_columns(x)
        for t in range(epochs + 1):
            if t in slot:
                xs[slot[t]] = x
            if full:
                gs[t] = g
            if states is not None:
                states.append(state)
            if t == epochs:
                break
            if factors is None:  # a gradient-scaled rule: one factor per run
                rate = rates * schedule(t, epochs, np.sqrt(np.sum(g * g, axis=0)))
            else:
                rate = rates if factors[t] == 1.0 else rates * factors[t]  # skip a multiply by one
            point = opt.lookahead(x, state)
            g_step = g if point is x else objective.grad_columns(point)
            if clip is not None:
                g_step = _clip_batch(g_step, clip)
            x_new, state_new = opt.update(x, g_step, state, rate)
            g_new = objective.grad_columns(x_new)
            # Fast test first, with plain reductions (no BLAS call, which would wake its own
            # threads every epoch): NaN fails both comparisons and a finite sum means finite
            # entries. Only when it fails do we look run by run.
            if (all_alive and -max_norm <= _lowest(x_new, axis=None) and _highest(x_new, axis=None) <= max_norm
                    and math.isfinite(_total(g_new, axis=None))):
                x, state, g = x_new, state_new, g_new
            else:
                ok = alive & (np.abs(x_new) <= max_norm).all(axis=0) & np.isfinite(g_new).all(axis=0)
                diverged_at[alive & ~ok] = t + 1
                alive, all_alive = ok, bool(ok.all())
                x, g = np.where(ok, x_new, x), np.where(ok, g_new, g)
                state = _select(ok, state_new, state)
            if full:
                lrs[t] = np.where(alive, rate, 0.0) if not all_alive else rate

    if full:
        return xs, gs, lrs, diverged_at
    return xs, diverged_at


class _Lean:
    """Value, gradient and the divergence test for one n-D point held as a small array."""

    def __init__(self, objective: Objective, max_norm: float):
        self.grad = lambda x: np.array(objective.grad_float(*x.tolist()), dtype=float)
        self.ok = lambda x, g: (all(map(math.isfinite, g.tolist()))
                                and all(abs(v) <= max_norm for v in x.tolist()))  # NaN fails <=


class _Lean1D:
    """The same for one point of a 1-D objective, held as a plain float."""

    def __init__(self, objective: Objective, max_norm: float):
        self.grad = lambda x: float(objective.grad_float(x)[0])
        self.ok = lambda x, g: math.isfinite(g) and abs(x) <= max_norm


def _norm(g: Any) -> float:
    return abs(g) if isinstance(g, float) else math.sqrt(float(g @ g))


def _run_single(objective, start, rate, epochs, opt, schedule, clip, max_norm, states=None):
    """The lean loop for one run: same steps as ``_run_batch``, on floats or a tiny array."""
    lean = (_Lean1D if objective.dim == 1 else _Lean)(objective, max_norm)
    x = float(start[0]) if objective.dim == 1 else start.copy()
    xs, gs, lrs = [], [], []
    diverged_at = -1
    with np.errstate(all="ignore"):
        state = opt.init(x)
        g = lean.grad(x)
        for t in range(epochs):
            xs.append(x)
            gs.append(g)
            if states is not None:
                states.append(state)
            lr_t = rate * (schedule(t, epochs, _norm(g)) if schedule.uses_gradient else schedule(t, epochs))
            point = opt.lookahead(x, state)
            g_step = g if point is x else lean.grad(point)
            if clip is not None:
                size = _norm(g_step)
                g_step = g_step * min(1.0, clip / size) if size > 0 else g_step
            try:
                x_new, state_new = opt.update(x, g_step, state, lr_t)
            except (ArithmeticError, ValueError):  # Python floats raise where numpy gives inf
                x_new, state_new = opt.update(np.float64(x), np.float64(g_step), state, np.float64(lr_t))
                x_new = float(x_new)
            g_new = lean.grad(x_new)
            if not lean.ok(x_new, g_new):
                diverged_at = t + 1
                lrs.append(0.0)
                break
            lrs.append(lr_t)
            x, state, g = x_new, state_new, g_new
        # the last row, then (if the run blew up) the frozen rows
        for _ in range(epochs + 1 - len(xs)):
            xs.append(x)
            gs.append(g)
            if states is not None:
                states.append(state)
        lrs.extend([0.0] * (epochs - len(lrs)))

    shape = (epochs + 1, objective.dim, 1)  # engine layout (rows, dim, *batch) with batch (1,)
    return (np.array(xs, dtype=float).reshape(shape), np.array(gs, dtype=float).reshape(shape),
            np.array(lrs, dtype=float)[:, None], np.array([diverged_at]))


#: Batches at least this large are split across the machine's cores by :func:`sweep`.
SPLIT_THRESHOLD = 16_384


def _run_split(objective, start, rates, epochs, opt, schedule, clip, rows):
    """``_run_batch`` on a large grid, cut into one contiguous slab per core.

    numpy releases the GIL inside its loops, so the slabs run in parallel threads. Every
    run is independent of the others, so the result is the same as one big batch.
    """
    batch = _batch_shape(start, rates)
    size = math.prod(batch)
    workers = min(os.cpu_count() or 1, 8)
    if workers < 2 or size < SPLIT_THRESHOLD:
        return _run_batch(objective, start, rates, epochs, opt, schedule, clip, rows, MAX_NORM)
    flat_x = _broadcast_starts(start, batch).reshape(objective.dim, size)
    flat_lr = np.broadcast_to(rates, batch).reshape(size)
    cuts = np.linspace(0, size, workers + 1).astype(int)
    with ThreadPoolExecutor(workers) as pool:
        parts = list(pool.map(
            lambda a, b: _run_batch(objective, flat_x[:, a:b], flat_lr[a:b], epochs, opt, schedule, clip, rows,
                                    MAX_NORM),
            cuts[:-1], cuts[1:]))
    xs = np.concatenate([p[0] for p in parts], axis=-1).reshape(len(rows), objective.dim, *batch)
    return xs, np.concatenate([p[1] for p in parts]).reshape(batch)


def _stack_states(objective: Objective, states: list, single: bool) -> Any:
    """The optimizer states of every row as one NamedTuple of arrays, laid out like ``x``."""
    kind = type(states[0])
    stacked = {}
    for name in kind._fields:
        values = [getattr(s, name) for s in states]
        if isinstance(values[0], (int, np.integer)):  # a step counter, shared by the batch
            stacked[name] = np.array(values)
        elif single:  # floats (1-D) or arrays of shape (dim,)
            rows = np.array(values, dtype=float).reshape(len(values), objective.dim)
            stacked[name] = rows[:, 0] if objective.dim == 1 else rows
        else:  # arrays in the engine layout (dim, *batch)
            stacked[name] = _public(objective, np.array(values, dtype=float))
    return kind(**stacked)


def _public(objective: Objective, arr: np.ndarray) -> np.ndarray:
    """Engine layout ``(rows, dim, *batch)`` to the public ``(rows, *batch[, dim])``."""
    return arr[:, 0] if objective.dim == 1 else np.moveaxis(arr, 1, -1)


def descend(
    objective: Objective,
    x0: Any,
    lr: Any = 0.01,
    epochs: int = 100,
    optimizer: str | Optimizer = "gd",
    schedule: str | Schedule | None = None,
    *,
    clip: float | None = None,
    keep_state: bool = False,
) -> Trajectory:
    """Run gradient descent (or another optimizer) and return the full record.

    Args:
        objective: what to minimise.
        x0: the start; for a 1-D objective a number or an array of starts of any shape, for
            an n-D objective an array whose last axis has length n (``[x, y]`` or a grid).
        lr: the base learning rate, or an array of rates broadcasting against the starts.
        epochs: the number of update steps.
        optimizer: an :class:`~gdviz.optimizers.Optimizer` or one of the names "gd",
            "momentum", "nesterov", "adagrad", "rmsprop", "adam".
        schedule: None (constant rate), a :class:`~gdviz.schedules.Schedule` or its name;
            the rate at step t is ``lr * schedule(t, epochs)``.
        clip: if given, gradients longer than ``clip`` are scaled down to that norm.
        keep_state: also record the optimizer's state (velocity, moment averages, ...) at
            every step, in ``Trajectory.state``.

    Returns:
        a :class:`Trajectory`. Runs that overflow, turn NaN or leave ``|x| <= 1e12`` are
        frozen at their last good position and flagged in ``diverged``; no warning is printed.

    >>> import gdviz as gd
    >>> run = gd.descend(gd.Objective("3*x**2 - 3*x + 4"), x0=2.0, lr=0.1, epochs=50)
    >>> round(run.final, 6), bool(run.diverged)
    (0.5, False)
    """
    rates, epochs = _check_lr(lr), _check_epochs(epochs)
    start = _check_x0(objective, x0, MAX_NORM)
    opt, sched, clip = _optimizers.get(optimizer), _schedules.get(schedule), _check_clip(clip)
    batch = _batch_shape(start, rates)
    states = [] if keep_state else None
    if batch == ():
        out = _run_single(objective, start, float(rates), epochs, opt, sched, clip, MAX_NORM, states)
        xs, gs, lrs, diverged_at = (a.reshape(a.shape[:-1]) for a in out)
    else:
        xs, gs, lrs, diverged_at = _run_batch(objective, start, rates, epochs, opt, sched, clip, None, MAX_NORM,
                                              states)
    with np.errstate(all="ignore"):  # losses of every row in one vectorised call
        fs = objective.value_columns(np.swapaxes(xs, 0, 1))
    diverged = diverged_at >= 0
    return Trajectory(
        x=_public(objective, xs), f=fs, grad=_public(objective, gs), lr=lrs,
        diverged=diverged[()] if batch == () else diverged, diverged_at=diverged_at,
        objective=objective, optimizer=opt, schedule=sched,
        state=None if states is None else _stack_states(objective, states, single=batch == ()),
    )


def sweep(
    objective: Objective,
    x0: Any,
    lr: Any = 0.01,
    epochs: Any = 100,
    optimizer: str | Optimizer = "gd",
    schedule: str | Schedule | None = None,
    *,
    clip: float | None = None,
) -> SweepResult:
    """Every combination of starts, rates and epoch counts, as one vectorised run.

    The grid is the outer product of the batch axes of ``x0``, the axes of ``lr`` and
    ``epochs`` (an int or a 1-D array of them). All runs go for ``max(epochs)`` steps once;
    only the positions at the requested epochs are kept, so a million runs fit in memory.

    >>> import gdviz as gd, numpy as np
    >>> grid = gd.sweep(gd.functions.quadratic, x0=0.0, lr=[0.01, 0.1], epochs=[10, 100])
    >>> grid.x.shape, grid.dims
    ((2, 2), ('lr', 'epochs'))
    """
    rates = _check_lr(lr)
    counts = np.atleast_1d(np.asarray(epochs, dtype=object))  # each value keeps its type: True is not 1
    if counts.ndim != 1 or counts.size == 0:
        raise ValueError(f"epochs: expected a whole number or a 1-D array of them, got {epochs!r}")
    counts = np.array([_check_epochs(e) for e in counts], dtype=int)
    start = _check_x0(objective, x0, MAX_NORM)
    opt, sched, clip = _optimizers.get(optimizer), _schedules.get(schedule), _check_clip(clip)
    if counts.size > 1 and sched.uses_total:
        raise ValueError(f"schedule: {sched.name} depends on the run's length, so one run cannot serve "
                         "several epoch counts; sweep the epochs one at a time")

    x_batch, r_shape = start.shape[1:], rates.shape
    start_grid = start.reshape(objective.dim, *x_batch, *(1,) * len(r_shape))
    rate_grid = rates.reshape((*(1,) * len(x_batch), *r_shape))
    rows = np.unique(counts)
    xs, diverged_at = _run_split(objective, start_grid, rate_grid, int(rows[-1]), opt, sched, clip, rows)
    picked = np.searchsorted(rows, counts)
    xs = xs[picked]  # (n_epochs, dim, *grid)
    with np.errstate(all="ignore"):
        fs = objective.value_columns(xs.swapaxes(0, 1))
    diverged = (diverged_at >= 0) & (diverged_at <= counts.reshape(-1, *(1,) * diverged_at.ndim))
    x_out = _public(objective, xs)
    if np.ndim(epochs) == 0:
        x_out, fs, diverged = x_out[0], fs[0], diverged[0]
    else:  # epochs become the last axis of the grid
        x_out = np.moveaxis(x_out, 0, len(x_batch) + len(r_shape))
        fs, diverged = np.moveaxis(fs, 0, -1), np.moveaxis(diverged, 0, -1)
    dims = ("x0",) * len(x_batch) + ("lr",) * len(r_shape) + (("epochs",) if np.ndim(epochs) else ())
    return SweepResult(x=x_out, f=fs, diverged=diverged, x0=np.asarray(x0, dtype=float), lr=rates,
                       epochs=counts if np.ndim(epochs) else counts[0], dims=dims, objective=objective)
