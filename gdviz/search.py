"""Escaping local minima: random restarts, simulated annealing, gradient noise (notebook 08).

Every strategy runs a whole batch of attempts at once, seeded, and hands back arrays in the
layout of :class:`~gdviz.Trajectory`: row t is the state after t steps, then the batch axes,
then (for an n-D objective) the coordinates.

* :func:`random_restarts` descends from N uniform random starts in one vectorised run and
  keeps the best.
* :func:`simulated_annealing` proposes Gaussian moves and accepts a worse point with
  probability exp(-delta / T) while the temperature cools geometrically.
* :func:`noisy_descend` adds Gaussian noise of decaying size to the gradient.
* :func:`reached_global` says which runs ended at the global minimum, to count successes.

>>> import gdviz as gd
>>> best = random_restarts(gd.functions.peaks, n=20, lr=0.05, epochs=200, seed=0)
>>> bool(reached_global(gd.functions.peaks, best.best_f))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from ._checks import ArgumentTypeError, ArgumentValueError
from ._types import ArrayLike
from .descent import MAX_NORM, RunRecord, Trajectory, descend
from .objective import Objective
from .optimizers import Optimizer
from .schedules import Schedule

__all__ = ["Restarts", "Annealing", "random_restarts", "simulated_annealing", "noisy_descend", "reached_global",
           "STEP_RULES", "STRATEGIES", "Escape", "window_scales", "escape_defaults", "escape_runs"]


def _box(objective: Objective, bounds: Any) -> np.ndarray:
    """Bounds as an array of shape (dim, 2): the objective's own, or checked ``(low, high)`` pairs."""
    _objective(objective)
    return np.array(objective.bounds, dtype=float) if bounds is None else _checks.box("bounds", bounds, objective.dim)


def _objective(objective: Any) -> None:
    if not isinstance(objective, Objective):
        raise ArgumentTypeError(f"objective: expected a gdviz Objective, got {type(objective).__name__}")


def _inside(box: np.ndarray, x: np.ndarray) -> np.ndarray | np.bool_:
    """Which points (engine layout ``(dim, *batch)``) lie in the box (a numpy bool for one point)."""
    lo, hi = (box[:, i].reshape(-1, *(1,) * (x.ndim - 1)) for i in (0, 1))
    return ((x >= lo) & (x <= hi)).all(axis=0)


def reached_global(objective: Objective, f: ArrayLike, tol: float = 1e-3) -> np.ndarray:
    """True where a loss value is within ``tol`` of the objective's known global minimum.

    >>> import gdviz as gd
    >>> reached_global(gd.functions.sin_gauss, [-0.8938, -0.36]).tolist()
    [True, False]
    """
    best = objective.global_minimum
    if best is None:
        raise ArgumentValueError(f"objective: {objective.name} has no known global minimum to compare with")
    return _checks.as_floats("f", f) <= best.f + _checks.positive("tol", tol)


# --------------------------------------------------------------------------- random restarts


@dataclass(frozen=True)
class Restarts:
    """N descents from random starts and the best of them.

    ``trajectory`` covers all runs, batch shape ``(n,)`` or ``(trials, n)``; ``best`` is the
    index of the run with the lowest final loss (among runs that did not diverge), per trial;
    ``best_x``, ``best_f`` its final position and loss.
    """

    trajectory: Trajectory
    starts: np.ndarray
    best: Any
    best_x: Any
    best_f: Any

    @property
    def final_f(self) -> np.ndarray:
        """Final loss of every run."""
        return self.trajectory.f[-1]


def random_restarts(
    objective: Objective,
    n: int = 10,
    lr: ArrayLike = 0.01,
    epochs: int = 100,
    optimizer: str | Optimizer = "gd",
    schedule: str | Schedule | None = None,
    *,
    seed: int | np.random.Generator | None = 0,
    bounds: Any = None,
    trials: int | None = None,
) -> Restarts:
    """Descend from ``n`` random starts at once and keep the best: min_i f(descend(x0_i)).

    Starts are uniform in the box ``bounds`` (the objective's own by default), drawn as
    ``rng.uniform(low, high, size=(n, dim))`` with ``rng = np.random.default_rng(seed)``
    (``size=(trials, n, dim)`` for several independent trials, each keeping its own best;
    the dim axis is dropped for a 1-D objective). All runs go through one vectorised
    :func:`~gdviz.descend`.

    >>> import gdviz as gd
    >>> result = random_restarts(gd.functions.sin_gauss, n=8, lr=0.5, epochs=200, seed=1)
    >>> result.trajectory.x.shape, round(float(result.best_x), 4)
    ((201, 8), -1.4289)
    """
    box = _box(objective, bounds)
    count = _checks.count("n", n, 1)
    shape = (count,) if trials is None else (_checks.count("trials", trials, 1), count)
    runs, steps = math.prod(shape), _checks.count("epochs", epochs)
    _checks.memory(8 * runs * ((steps + 1) * (2 * objective.dim + 1) + steps), "this search's record",
                   "ask for fewer restarts, trials or epochs")
    rng = _checks.generator(seed)
    starts = rng.uniform(box[:, 0], box[:, 1], size=(*shape, objective.dim))
    if objective.dim == 1:
        starts = starts[..., 0]
    run = descend(objective, starts, lr=lr, epochs=epochs, optimizer=optimizer, schedule=schedule)
    final = np.where(run.diverged, np.inf, run.f[-1])
    final = np.where(np.isinf(final).all(axis=-1, keepdims=True), run.f[-1], final)  # all diverged: any
    best = final.argmin(axis=-1)
    take = np.expand_dims(best, -1)
    best_f: Any = np.take_along_axis(run.f[-1], take, axis=-1)[..., 0]  # a float for a single search
    last = run.x[-1]
    best_x: Any = (np.take_along_axis(last, take, axis=-1)[..., 0] if objective.dim == 1
              else np.take_along_axis(last, take[..., None], axis=-2)[..., 0, :])
    if trials is None:
        best, best_x, best_f = int(best), (float(best_x) if objective.dim == 1 else best_x), float(best_f)
    return Restarts(trajectory=run, starts=starts, best=best, best_x=best_x, best_f=best_f)


# --------------------------------------------------------------------------- simulated annealing


@dataclass(frozen=True)
class Annealing(RunRecord):
    """The record of simulated annealing, in the layout of a Trajectory.

    ``x`` is ``(epochs + 1, *batch)`` for a 1-D objective, ``(epochs + 1, *batch, dim)``
    otherwise, and ``f`` is ``(epochs + 1, *batch)``: the current point after each step.
    ``accepted[t]`` says whether step t's proposal was taken and ``T[t]`` is the
    temperature it was judged at. ``best_x`` and ``best_f`` are the best point ever visited.
    """

    x: np.ndarray
    f: np.ndarray
    accepted: np.ndarray
    T: np.ndarray
    best_x: np.ndarray
    best_f: np.ndarray
    objective: Objective
    T0: float
    cooling: float
    step: float
    seed: Any = None
    step_rule: str = "fixed"
    steps: np.ndarray | None = None  # (epochs, *batch): the proposal scale s_t each step used

    @property
    def epochs(self) -> int:
        return self.T.shape[0]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        return self.f.shape[1:]

    @property
    def diverged(self) -> np.ndarray:
        """Never: proposals that overflow are rejected. Present so plots treat it as a Trajectory."""
        return np.zeros(self.batch_shape, dtype=bool)

    @property
    def acceptance_rate(self) -> np.ndarray:
        """Share of accepted proposals per step, over the batch: shape ``(epochs,)``."""
        return self.accepted.reshape(self.epochs, -1).mean(axis=1)

    def __repr__(self) -> str:
        runs = "1 run" if not self.batch_shape else f"batch {self.batch_shape}"
        rule = "" if self.step_rule == "fixed" else f" ({self.step_rule})"
        return (f"Annealing({self.objective.name}, T0={self.T0:g}, cooling={self.cooling:g}, step={self.step:g}{rule}, "
                f"{self.epochs} epochs, {runs})")


#: The proposal-scale rules of :func:`simulated_annealing`, and the adaptive rule's target and gain.
STEP_RULES: tuple[str, ...] = ("fixed", "temperature", "adaptive")
TARGET_ACCEPTANCE, ADAPT_GAIN = 0.3, 0.1


def simulated_annealing(
    objective: Objective,
    x0: ArrayLike,
    epochs: int = 200,
    T0: float = 1.0,
    cooling: float = 0.95,
    step: float = 0.5,
    *,
    seed: int | np.random.Generator | None = 0,
    bounds: Any = None,
    step_rule: str = "fixed",
) -> Annealing:
    """Simulated annealing (Kirkpatrick et al., 1983) from one or many starts at once.

    At step t = 0 .. epochs - 1, with temperature T_t = T0 * cooling^t (geometric cooling,
    T <- cooling * T), every run proposes a Gaussian move and judges it:

        x' = x + s_t * z,              z ~ N(0, I)
        delta = f(x') - f(x)
        accept if delta <= 0, or else with probability exp(-delta / T_t),  i.e. if u < exp(-delta / T_t)

    The proposal scale s_t follows ``step_rule``:

    * "fixed": s_t = step;
    * "temperature": s_t = step * sqrt(T_t / T0). Near a minimum of curvature c a move of size
      s raises f by about c s^2 / 2, so moves whose climb is comparable to T_t stay likely to be
      accepted as T falls (instead of nearly all being refused);
    * "adaptive": each run keeps its own scale, starting at ``step``, and after every step
      log s <- log s + 0.1 * (accepted - 0.3), capped at ``step``: it shrinks while fewer than
      30% of proposals are accepted and grows back (never above ``step``) while more are.

    Random numbers, per step and in this order, from ``rng = np.random.default_rng(seed)``:
    ``z = rng.standard_normal(shape of x)`` (the public layout: batch axes, then dim) and
    ``u = rng.uniform(size=batch shape)``. Proposals outside ``bounds`` (if given) or with a
    non-finite loss are rejected. The best point ever visited is kept.

    Args:
        objective: what to minimise (no gradient is used).
        x0: start(s), as for :func:`~gdviz.descend`: may carry batch axes.
        epochs: number of proposals per run.
        T0: initial temperature (> 0), in units of f.
        cooling: factor in (0, 1] applied to T after every step.
        step: standard deviation of the proposal, in units of x.
        seed: seed or numpy Generator.
        bounds: None (anywhere) or the box the runs must stay in, as ``(low, high)`` pairs.
        step_rule: "fixed", "temperature" or "adaptive" (above); the record's ``steps[t]``
            holds the s_t each run used at step t.

    >>> import gdviz as gd
    >>> run = simulated_annealing(gd.functions.sin_gauss, x0=[4.3, 4.3, 4.3], epochs=300, T0=2.0, step=1.5, seed=0)
    >>> run.x.shape, run.T[:3].round(4).tolist()
    ((301, 3), [2.0, 1.9, 1.805])
    >>> cooled = simulated_annealing(gd.functions.sin_gauss, 4.3, epochs=3, T0=2.0, step=1.5, step_rule="temperature")
    >>> cooled.steps.round(4).tolist()                      # 1.5 * sqrt(0.95^t)
    [1.5, 1.462, 1.425]
    """
    _objective(objective)
    epochs = _checks.count("epochs", epochs)
    start = _checks.points("x0", x0, objective.dim, MAX_NORM)  # engine layout (dim, *batch)
    T0, step = _checks.positive("T0", T0), _checks.positive("step", step)
    cooling = _checks.in_range("cooling", cooling, 0.0, 1.0, closed_low=False, closed_high=True)
    step_rule = _checks.one_of("step_rule", step_rule, STEP_RULES)
    box = None if bounds is None else _box(objective, bounds)
    if box is not None and not _inside(box, start).all():
        raise ArgumentValueError("x0: every start must lie inside bounds")
    dim, batch = objective.dim, start.shape[1:]
    runs = start[0].size
    _checks.memory(8 * runs * (epochs + 1) * (dim + 3), "this annealing's record", "ask for fewer epochs or starts")
    _checks.work((runs + 1000) * epochs, "this annealing", "ask for fewer epochs or starts")
    rng = _checks.generator(seed)
    temperatures = T0 * cooling ** np.arange(epochs, dtype=float)

    x = start.copy()
    xs = np.empty((epochs + 1, *x.shape))
    fs = np.empty((epochs + 1, *batch))
    accepted = np.empty((epochs, *batch), dtype=bool)
    steps = np.empty((epochs, *batch))
    scale = np.full(batch, step)
    with np.errstate(all="ignore"):  # huge proposals give inf or NaN losses, rejected below
        f = objective.value_columns(x)
        xs[0], fs[0] = x, f
        best_x, best_f = x.copy(), f.copy()
        for t, T in enumerate(temperatures):
            z = rng.standard_normal((*batch, dim))
            u = rng.uniform(size=batch)
            if step_rule == "temperature":
                scale = np.full(batch, step * math.sqrt(T / T0))
            steps[t] = scale
            proposal = x + scale * np.moveaxis(z, -1, 0)
            f_new = objective.value_columns(proposal)
            delta = f_new - f
            ok = np.isfinite(f_new) & (np.abs(proposal) <= MAX_NORM).all(axis=0)
            if box is not None:
                ok &= _inside(box, proposal)
            take = ok & ((delta <= 0) | (u < np.exp(-np.maximum(delta, 0.0) / T)))
            x, f = np.where(take, proposal, x), np.where(take, f_new, f)
            better = f < best_f
            best_x, best_f = np.where(better, x, best_x), np.where(better, f, best_f)
            xs[t + 1], fs[t + 1], accepted[t] = x, f, take
            if step_rule == "adaptive":
                scale = np.minimum(step, scale * np.exp(ADAPT_GAIN * (take - TARGET_ACCEPTANCE)))

    def public(arr: np.ndarray) -> np.ndarray:  # (dim, ...) -> (..., dim), or (...) in 1-D
        return arr[0] if dim == 1 else np.moveaxis(arr, 0, -1)

    return Annealing(
        x=xs[:, 0] if dim == 1 else np.moveaxis(xs, 1, -1), f=fs, accepted=accepted, T=temperatures,
        best_x=public(best_x), best_f=best_f, objective=objective, T0=T0, cooling=cooling, step=step, seed=seed,
        step_rule=step_rule, steps=steps,
    )


# --------------------------------------------------------------------------- gradient noise


def noisy_descend(
    objective: Objective,
    x0: ArrayLike,
    lr: ArrayLike = 0.01,
    epochs: int = 100,
    noise: float = 1.0,
    gamma: float = 0.55,
    optimizer: str | Optimizer = "gd",
    schedule: str | Schedule | None = None,
    *,
    seed: int | np.random.Generator | None = 0,
) -> Trajectory:
    """Gradient descent on a noisy gradient whose noise fades (Neelakantan et al., 2015).

        g_t = grad f(x_t) + sigma_t * z_t,   z_t ~ N(0, I),   sigma_t^2 = noise / (1 + t)^gamma

    then the optimizer's usual step with g_t (plain GD: x <- x - lr * g_t). Early on the
    noise can kick a run over a ridge; later it fades and the run settles. ``z_t`` is
    ``rng.standard_normal(shape of x)`` at step t, with ``rng = np.random.default_rng(seed)``.
    The run is :func:`~gdviz.descend` with this estimate as its ``gradient=``: the record's ``f``
    is the exact loss along the path and ``grad[t]`` the noisy gradient step t used (the last row
    repeats the last one); divergence is flagged and frozen as there.

    >>> import gdviz as gd
    >>> run = noisy_descend(gd.functions.quadratic, x0=[0.0, 2.0], lr=0.1, epochs=200, noise=1.0, seed=0)
    >>> run.x.shape, bool(np.allclose(run.final, 0.5, atol=0.05))
    ((201, 2), True)
    """
    _objective(objective)
    noise = _checks.non_negative("noise", noise)  # 0 gives plain descent
    gamma = _checks.non_negative("gamma", gamma)
    rng = _checks.generator(seed)

    def gradient(x: np.ndarray, t: int) -> np.ndarray:
        sigma = math.sqrt(noise / (1 + t) ** gamma)
        return np.asarray(objective.grad(x), dtype=float) + sigma * rng.standard_normal(np.shape(x))

    return descend(objective, x0, lr=lr, epochs=epochs, optimizer=optimizer, schedule=schedule, gradient=gradient)


# =========================================================================== escape strategies, side by side
# (moved here from the widgets: notebook 08's explorer shows them, but they are search methods)

from .optimizers import Momentum  # noqa: E402

#: The strategies of :func:`escape_runs` and the settings each one uses.
STRATEGIES: dict[str, tuple[str, ...]] = {
    "gd": ("lr",), "restarts": ("lr", "restarts"), "momentum": ("lr", "beta"), "noise": ("lr", "noise"),
    "annealing": ("T0", "cooling", "step"), "adam": ("lr",),
}


@dataclass(frozen=True)
class Escape:
    """n attempts of one strategy. ``x`` has shape ``(epochs + 1, n)`` (1-D) or ``(epochs + 1, n, 2)``,
    ``f`` ``(epochs + 1, n)``; for "restarts" each attempt is the best of its restarts."""

    strategy: str
    x: np.ndarray
    f: np.ndarray
    reached: np.ndarray  # (n,) bool: within tol of the global minimum at the end
    tol: float
    diverged: np.ndarray  # (n,) bool

    @property
    def share(self) -> float:
        """The fraction of attempts that reached the global minimum."""
        return float(np.mean(self.reached))


def window_scales(objective: Objective) -> tuple[float, float]:
    """(width, spread): the largest side of the objective's box and the range of f over it.

    f is sampled on 400 points (1-D) or a 100 x 100 grid (2-D); points where f is not finite
    (a pole, a log of a negative number) are left out.

    >>> import gdviz as gd
    >>> width, spread = window_scales(gd.functions.quadratic)   # 3x^2 - 3x + 4 on [-2, 2]: 22 - 3.25
    >>> width, round(spread, 2)
    (4.0, 18.75)
    """
    box = np.array(objective.bounds, dtype=float)
    side = 400 if objective.dim == 1 else max(3, int(round(10_000 ** (1 / objective.dim))))
    grids = np.meshgrid(*(np.linspace(lo, hi, side) for lo, hi in box))
    with np.errstate(all="ignore"):
        f = np.asarray(objective.value_columns([g.ravel() for g in grids]), dtype=float)
    f = f[np.isfinite(f)]
    spread = float(f.max() - f.min()) if f.size else 0.0
    return float((box[:, 1] - box[:, 0]).max()), spread if spread > 0 else 1.0


def escape_defaults(objective: Objective) -> dict[str, float]:
    """Settings of :func:`escape_runs` scaled to the objective: tol = 1% of the range of f over
    the window, annealing T0 = 10% of that range and proposal step = 10% of the window
    (:func:`window_scales`); cooling 0.95, momentum beta 0.9, noise variance 10, 5 restarts."""
    width, spread = window_scales(objective)
    return {"tol": 0.01 * spread, "T0": 0.1 * spread, "step": 0.1 * width, "cooling": 0.95, "beta": 0.9,
            "noise": 10.0, "restarts": 5}


def escape_runs(objective: Objective, strategy: str = "restarts", n: int = 20, *, lr: float = 0.01, epochs: int = 300,
                seed: int | np.random.Generator | None = 0, tol: float | None = None, restarts: int = 5,
                beta: float = 0.9, noise: float = 10.0, T0: float | None = None, cooling: float = 0.95,
                step: float | None = None) -> Escape:
    """Run ``strategy`` from ``n`` seeded random starts and say which runs reach the global minimum.

    The starts are ``rng.uniform(low, high, size=(n, dim))`` with ``rng =
    np.random.default_rng(seed)`` (the draw of :func:`random_restarts`), the same for every
    strategy, so switching strategy compares like with like:

    * "gd", "momentum" (``beta``), "adam": :func:`gdviz.descend` with that optimizer;
    * "noise": :func:`noisy_descend` with ``noise`` (initial variance), same seed;
    * "restarts": ``random_restarts(n=restarts, trials=n)``: each attempt keeps the best of
      ``restarts`` descents (its own starts; with ``restarts=1`` it is "gd");
    * "annealing": :func:`simulated_annealing` (``T0``, ``cooling``, ``step``) kept inside
      the window, same seed.

    A run "reaches" the global minimum when its final loss is within ``tol`` of it
    (:func:`reached_global`); defaults from :func:`escape_defaults`.

    >>> import gdviz as gd
    >>> escape_runs(gd.functions.sin_gauss, "gd", n=20, lr=0.5, epochs=100).share
    0.35
    """
    strategy = _checks.one_of("strategy", strategy, list(STRATEGIES))
    if not isinstance(objective, Objective):
        raise _checks.ArgumentTypeError(f"objective: expected a gdviz Objective, got {type(objective).__name__}")
    if objective.global_minimum is None:
        raise _checks.ArgumentValueError(f"objective: {objective.name} has no known global minimum to compare with")
    n = _checks.count("n", n, low=1)
    epochs = _checks.count("epochs", epochs)
    runs = n * (_checks.count("restarts", restarts, low=1) if strategy == "restarts" else 1)
    _checks.memory(8.0 * runs * (epochs + 1) * (objective.dim + 2), "these runs' records",
                   "ask for fewer runs n, restarts or epochs")
    defaults = escape_defaults(objective)
    tol = defaults["tol"] if tol is None else _checks.positive("tol", tol)
    if strategy == "restarts":
        result = random_restarts(objective, n=_checks.count("restarts", restarts, low=1), lr=lr, epochs=epochs,
                                 seed=seed, trials=n)
        t = result.trajectory
        pick = np.asarray(result.best)[None, :, None]
        x = (np.take_along_axis(t.x, pick, axis=2)[:, :, 0] if objective.dim == 1
             else np.take_along_axis(t.x, pick[..., None], axis=2)[:, :, 0])
        f = np.take_along_axis(t.f, pick, axis=2)[:, :, 0]
        diverged = np.take_along_axis(np.asarray(t.diverged), pick[0], axis=1)[:, 0]
    else:
        box = np.array(objective.bounds, dtype=float)
        starts = _checks.generator(seed).uniform(box[:, 0], box[:, 1], size=(n, objective.dim))
        starts = starts[:, 0] if objective.dim == 1 else starts
        if strategy == "annealing":
            a = simulated_annealing(objective, starts, epochs=epochs, T0=defaults["T0"] if T0 is None else T0,
                                    cooling=cooling, step=defaults["step"] if step is None else step,
                                    seed=seed, bounds=objective.bounds)
            x, f, diverged = a.x, a.f, a.diverged
        else:
            if strategy == "noise":
                t = noisy_descend(objective, starts, lr=lr, epochs=epochs, noise=noise, seed=seed)
            else:
                opt = Momentum(beta=beta) if strategy == "momentum" else strategy
                t = descend(objective, starts, lr=lr, epochs=epochs, optimizer=opt)
            x, f, diverged = t.x, t.f, np.asarray(t.diverged)
    reached = reached_global(objective, np.where(diverged, np.inf, f[-1]), tol=tol)
    return Escape(strategy, x, f, np.asarray(reached), float(tol), np.asarray(diverged))
