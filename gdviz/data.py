"""Data-driven objectives: least squares on a data set, batching, and SGD (notebook 07).

A linear model ``y_hat = w . x + b`` is fitted to ``n`` samples ``(x_i, y_i)`` by
minimising the mean squared error

    L(w, b) = (1/n) sum_i (w . x_i + b - y_i)^2.

:class:`LeastSquares` is an :class:`~gdviz.Objective` over the parameters ``(w, b)``, so
``descend``, contour plots and explorers take it like any landscape. Its formula is built
in closed form from a few moments of the data (means, covariances), so it has the same
small size for 10 samples as for 10 million; its :meth:`~LeastSquares.batch_grad` gives
the gradient over any index batch, which is what stochastic and mini-batch descent use.

:func:`descend_data` runs batch, stochastic and mini-batch descent with the optimizers and
schedules of the core, through :func:`~gdviz.descend` with the mini-batch gradient as its
``gradient=`` estimate, and returns a :class:`DataTrajectory`: a :class:`~gdviz.Trajectory`
with one row per update, plus the epoch of each row and the gradient evaluations so far.

>>> data = make_linear(n=50, w=2.0, b=-1.0, noise=0.1, seed=0)
>>> loss = LeastSquares(data)
>>> loss.variable_names
('w', 'b')
>>> run = descend_data(loss, [0.0, 0.0], lr=0.1, epochs=5, batch_size=10, seed=0)
>>> run.updates_per_epoch, run.x.shape, int(run.grad_evals[-1])
(5, (26, 2), 250)
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from typing import Any

import numpy as np
import sympy as sp

from . import _checks
from ._checks import ArgumentTypeError, ArgumentValueError
from ._types import ArrayLike
from .descent import MAX_NORM, Trajectory, descend
from .objective import Objective
from .optimizers import Optimizer
from .schedules import Schedule

__all__ = [
    "Dataset", "LeastSquares", "DataTrajectory", "make_linear", "load_csv", "DATASETS",
    "batches", "descend_data",
]

#: The data sets shipped in ``gdviz/data_files`` (see the README there for sources and licences).
DATASETS: tuple[str, ...] = ("forbes",)


# --------------------------------------------------------------------------- data sets


def _check_data(X: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    """Features as an ``(n, k)`` float array and targets as ``(n,)``, or a ValueError."""
    features, targets = _checks.as_floats("X", X).copy(), _checks.as_floats("y", y).copy()
    if features.ndim == 1:
        features = features[:, None]
    if features.ndim != 2:
        raise ArgumentValueError(f"X: expected shape (n,) or (n, k) (one row per sample), got shape {features.shape}")
    if features.shape[0] == 0:
        raise ArgumentValueError("X: the data set is empty; expected at least one sample")
    if features.shape[1] == 0:
        raise ArgumentValueError(f"X: expected at least one feature column, got shape {features.shape}")
    if targets.ndim != 1:
        raise ArgumentValueError(f"y: expected shape (n,) (one target per sample), got shape {targets.shape}")
    if targets.shape[0] != features.shape[0]:
        raise ArgumentValueError(f"y: has {targets.shape[0]} values but X has {features.shape[0]} rows; "
                         "expected one target per sample")
    for name, arr in (("X", features), ("y", targets)):
        bad = ~np.isfinite(arr.reshape(arr.shape[0], -1)).all(axis=1)
        if bad.any():
            raise ArgumentValueError(f"{name}: contains NaN or infinite values (first in row {int(bad.argmax())})")
    features.setflags(write=False)
    targets.setflags(write=False)
    return features, targets


@dataclass(frozen=True, eq=False)  # == on arrays would be ambiguous; compare .X and .y instead
class Dataset:
    """Samples for regression: features ``X`` of shape ``(n, k)`` and targets ``y`` of shape ``(n,)``.

    ``X`` may be given with shape ``(n,)`` for one feature; it is stored as ``(n, 1)``.
    The arrays are validated (same length, finite, not empty) and made read-only.
    """

    X: np.ndarray
    y: np.ndarray
    name: str = "data"
    feature_names: tuple[str, ...] = ()
    target_name: str = "y"
    source: str = ""

    def __post_init__(self) -> None:
        X, y = _check_data(self.X, self.y)
        names = tuple(self.feature_names) or (("x",) if X.shape[1] == 1 else
                                              tuple(f"x{i + 1}" for i in range(X.shape[1])))
        if len(names) != X.shape[1]:
            raise ArgumentValueError(f"feature_names: expected {X.shape[1]} names (one per column of X), got {names!r}")
        object.__setattr__(self, "X", X)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "feature_names", names)

    @property
    def n(self) -> int:
        """Number of samples."""
        return self.X.shape[0]

    @property
    def k(self) -> int:
        """Number of features."""
        return self.X.shape[1]

    def standardized(self, target: bool = False) -> Dataset:
        """Each feature (and, with ``target=True``, the target) shifted to mean 0 and scaled to std 1.

        On raw features of very different sizes the loss surface is a narrow ravine
        (its condition number grows with the features' mean and spread); z-scores make it round.
        Constant columns are only shifted.
        """
        def z(a: np.ndarray) -> np.ndarray:
            sd = a.std(axis=0)
            return (a - a.mean(axis=0)) / np.where(sd > 0, sd, 1.0)

        return replace(self, X=z(self.X), y=z(self.y) if target else self.y, name=f"{self.name} (standardized)")

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, n={self.n}, features={list(self.feature_names)}, target={self.target_name!r})"


def make_linear(n: int = 100, w: float | Sequence[float] = 2.0, b: float = -1.0, noise: float = 0.5,
                seed: int = 0) -> Dataset:
    """A synthetic regression set: ``y = X w + b + noise * e`` with standard normal X and e.

    The draws, in this order, from ``rng = np.random.default_rng(seed)``::

        X = rng.standard_normal((n, k))      # k = len(w), 1 for a number
        e = rng.standard_normal(n)

    >>> data = make_linear(n=4, w=[1.0, -2.0], b=0.5, noise=0.0, seed=1)
    >>> data.X.shape, bool(np.allclose(data.y, data.X @ [1.0, -2.0] + 0.5))
    ((4, 2), True)
    """
    n = _checks.count("n", n, 1)
    weights = np.atleast_1d(_checks.as_floats("w", w))
    if weights.ndim != 1 or weights.size == 0 or not np.all(np.isfinite(weights)):
        raise ArgumentValueError(f"w: expected a finite number or a 1-D sequence of them, got {w!r}")
    b = _checks.number("b", b)
    if not math.isfinite(b):
        raise ArgumentValueError(f"b: expected a finite number, got {b!r}")
    noise = _checks.non_negative("noise", noise)
    _checks.memory(8 * n * (weights.size + 2), "this data set", "ask for fewer samples n")
    _checks.generator(seed)  # checked before any work
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, weights.size))
    y = X @ weights + b + noise * rng.standard_normal(n)
    truth = ", ".join(f"{v:g}" for v in weights)
    return Dataset(X, y, name=f"linear (w={truth}, b={b:g}, noise={noise:g}, seed={seed})")


def load_csv(name: str) -> Dataset:
    """A data set shipped with gdviz, by name (see :data:`DATASETS`).

    The CSV files live in ``gdviz/data_files``: ``#`` lines describe the source and licence,
    then a header row; the last column is the target, the others are features.

    >>> forbes = load_csv("forbes")
    >>> forbes.n, forbes.feature_names, forbes.target_name
    (17, ('boiling_point_F',), 'pressure_inHg')
    """
    if name not in DATASETS:
        raise ArgumentValueError(f"name: expected one of {list(DATASETS)}, got {name!r}")
    text = resources.files("gdviz").joinpath("data_files").joinpath(f"{name}.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    notes = [line.lstrip("#").strip() for line in lines if line.startswith("#")]
    rows = [line for line in lines if line.strip() and not line.startswith("#")]
    header = [h.strip() for h in rows[0].split(",")]
    table = np.array([[float(v) for v in row.split(",")] for row in rows[1:]], dtype=float)
    return Dataset(table[:, :-1], table[:, -1], name=name, feature_names=tuple(header[:-1]),
                   target_name=header[-1], source="\n".join(notes))


# --------------------------------------------------------------------------- the objective


class LeastSquares(Objective):
    """Mean squared error of a linear model on a data set, as an Objective over ``(w, b)``.

    With one feature the variables are ``(w, b)``; with k features ``(w1, ..., wk, b)``.
    Writing ``x_bar, y_bar`` for the means, ``C`` for the feature covariance (with 1/n),
    ``(w*, b*)`` for the least-squares solution and ``L*`` for the smallest loss, the loss is,
    exactly (expand the square around the means, then complete it around ``w*``),

        L(w, b) = (1/n) sum_i (w . x_i + b - y_i)^2
                = (w - w*)^T C (w - w*) + (b + w . x_bar - y_bar)^2 + L*

        dL/dw = 2 C (w - w*) + 2 d x_bar,   dL/db = 2 d,   with d = b + w . x_bar - y_bar.

    The formula holds a few moments of the data, not the samples, so it stays small; written
    as a sum of squares it is accurate far from 0 and never negative, and it shows the
    minimum ``L*`` at ``w = w*, b = b* = y_bar - w* . x_bar``.

    Args:
        data: a :class:`Dataset`, or the features ``X`` (shape ``(n,)`` or ``(n, k)``).
        y: the targets, when ``data`` is ``X``.
        name: for titles (default ``"MSE on <data set>"``).
        bounds: plotting window; by default a box around 0 and the solution.

    >>> loss = LeastSquares([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])     # y = 2x + 1 exactly
    >>> loss.expr.free_symbols == {sp.Symbol("w", real=True), sp.Symbol("b", real=True)}
    True
    >>> loss.solution.round(6).tolist(), round(loss([2.0, 1.0]), 12)
    ([2.0, 1.0], 0.0)
    """

    def __init__(self, data: Dataset | Any, y: Any = None, *, name: str | None = None, bounds: Any = None):
        if isinstance(data, Dataset):
            if y is not None:
                raise ArgumentValueError("y: pass either a Dataset or X and y, not both")
            dataset = data
        else:
            if y is None:
                raise ArgumentValueError("y: the targets are missing; pass LeastSquares(X, y) or a Dataset")
            dataset = Dataset(data, y)
        self.data: Dataset = dataset
        X, t = dataset.X, dataset.y
        self.n, self.k = X.shape
        self.x_mean: np.ndarray = X.mean(axis=0)
        self.y_mean: float = float(t.mean())
        dx, dy = X - self.x_mean, t - self.y_mean
        self.cov_xx: np.ndarray = dx.T @ dx / self.n
        # the slopes from the centred problem (better conditioned than with a column of ones)
        self.slope: np.ndarray = np.linalg.lstsq(dx, dy, rcond=None)[0]
        # Round-off of standardized data (a mean of 1e-17) would show up in the formula as
        # 1e-17*w terms: moments below 1e-12 of their scale are set to exactly 0.
        sd_x, sd_y = np.sqrt(np.diag(self.cov_xx)), float(dy.std())
        self.x_mean[np.abs(self.x_mean) < 1e-12 * sd_x] = 0.0
        self.y_mean = 0.0 if abs(self.y_mean) < 1e-12 * sd_y else self.y_mean
        self.cov_xx[np.abs(self.cov_xx) < 1e-12 * np.outer(sd_x, sd_x)] = 0.0
        self.slope[np.abs(self.slope) < 1e-12 * sd_y / np.where(sd_x > 0, sd_x, 1.0)] = 0.0
        residual = dy - dx @ self.slope
        self.min_loss: float = float(residual @ residual / self.n)
        self.solution: np.ndarray = np.append(self.slope, self.y_mean - self.slope @ self.x_mean)
        self.solution.setflags(write=False)

        names = ["w"] if self.k == 1 else [f"w{i + 1}" for i in range(self.k)]
        w = [sp.Symbol(v, real=True) for v in names]
        b = sp.Symbol("b", real=True)
        num = sp.Float
        shift = [w[i] - num(self.slope[i]) for i in range(self.k)]
        # coefficient * (product): a number times a sum would be multiplied out by sympy
        quadratic = sum(num(self.cov_xx[i, i]) * shift[i] ** 2 for i in range(self.k)) + sum(
            num(2 * self.cov_xx[i, j]) * (shift[i] * shift[j]) for i in range(self.k) for j in range(i + 1, self.k))
        offset = b + sum(num(self.x_mean[i]) * w[i] for i in range(self.k)) - num(self.y_mean)
        expr = quadratic + offset**2 + num(self.min_loss)
        if bounds is None:
            bounds = [(min(0.0, s) - max(1.0, abs(s) / 2), max(0.0, s) + max(1.0, abs(s) / 2))
                      for s in self.solution.tolist()]
        super().__init__(expr, [*w, b], name=name or f"MSE on {dataset.name}", bounds=bounds,
                         minima=[(tuple(self.solution), self.min_loss, "global")])

    def _rows(self, params: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        theta = np.asarray(params, dtype=float)
        if theta.ndim == 0 or theta.shape[-1] != self.k + 1:
            raise ArgumentValueError(f"params: expected a last axis of length {self.k + 1} (the weights, then b), "
                             f"got shape {theta.shape}")
        return theta, theta[..., :-1], theta[..., -1]

    def _index(self, idx: Any) -> np.ndarray:
        index = np.asarray(idx)
        if index.ndim != 1 or index.size == 0 or not np.issubdtype(index.dtype, np.integer):
            raise ArgumentValueError(f"idx: expected a non-empty 1-D array of sample indices, got {idx!r}")
        if index.min() < 0 or index.max() >= self.n:
            raise ArgumentValueError(f"idx: indices must lie in 0 .. {self.n - 1}")
        return index

    def residuals(self, params: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """r_i = w . x_i + b - y_i for the samples in ``idx`` (all by default): shape ``(..., m)``."""
        _, w, b = self._rows(params)
        rows = slice(None) if idx is None else self._index(idx)
        return w @ self.data.X[rows].T + b[..., None] - self.data.y[rows]

    def batch_loss(self, params: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Mean squared error over the samples ``idx`` (all of them when None).

        ``params`` has shape ``(..., k + 1)``, any batch of parameter vectors.
        """
        if idx is not None:
            r = self.residuals(params, idx)
            return np.mean(r * r, axis=-1)
        _, w, b = self._rows(params)
        d, s = b + w @ self.x_mean - self.y_mean, w - self.slope
        return np.einsum("...i,ij,...j->...", s, self.cov_xx, s) + d * d + self.min_loss

    def batch_grad(self, params: ArrayLike, idx: ArrayLike | None = None) -> np.ndarray:
        """Gradient of the mean squared error over the samples ``idx`` (all of them when None).

        Over a batch B of m samples, with r_i = w . x_i + b - y_i:

            dL_B/dw = (2/m) sum_{i in B} r_i x_i,    dL_B/db = (2/m) sum_{i in B} r_i.

        With ``idx=None`` the full gradient comes from the moments (see the class). Returns an
        array of the shape of ``params``, ``(..., k + 1)``.

        >>> loss = LeastSquares([0.0, 1.0, 2.0], [1.0, 3.0, 5.0])
        >>> loss.batch_grad([0.0, 0.0], idx=[2]).tolist()      # one sample: 2 * (0 - 5) * [2, 1]
        [-20.0, -10.0]
        """
        theta, w, b = self._rows(params)
        out = np.empty(np.broadcast_shapes(theta.shape, (self.k + 1,)))
        if idx is None:
            d = b + w @ self.x_mean - self.y_mean
            out[..., :-1] = 2 * (w - self.slope) @ self.cov_xx + 2 * d[..., None] * self.x_mean
            out[..., -1] = 2 * d
            return out
        index = self._index(idx)
        return self._grad_on(theta, self.data.X[index], self.data.y[index])

    @staticmethod
    def _grad_on(theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The batch gradient on samples ``X, y`` already picked out (no checks: the run loop's path)."""
        r = theta[..., :-1] @ X.T + theta[..., -1:] - y
        out = np.empty(theta.shape)
        out[..., :-1] = (2 / y.size) * (r @ X)
        out[..., -1] = (2 / y.size) * r.sum(axis=-1)
        return out

    def predict(self, params: ArrayLike, X: ArrayLike | None = None) -> np.ndarray:
        """y_hat = w . x + b on the data set's features (or on ``X``)."""
        _, w, b = self._rows(params)
        features = self.data.X if X is None else np.asarray(X, dtype=float).reshape(-1, self.k)
        return w @ features.T + b[..., None]


# --------------------------------------------------------------------------- batching


def batches(n: int, batch_size: int, rng: np.random.Generator | int | None = None, *,
            drop_last: bool = False) -> Iterator[np.ndarray]:
    """One epoch of shuffled index batches: ``ceil(n / batch_size)`` arrays of sample indices.

    The order is ``order = rng.permutation(n)`` (one call, made here) and the batches are
    ``order[0:b], order[b:2b], ...``. When ``b`` does not divide ``n`` the last batch is
    the ``n mod b`` samples left over; with ``drop_last=True`` it is skipped instead, so
    every batch has exactly ``b`` samples and ``n mod b`` samples sit this epoch out.

    Args:
        n: the number of samples.
        batch_size: samples per batch, ``1 <= batch_size <= n``.
        rng: a numpy Generator (advanced by one permutation) or a seed for a new one.
        drop_last: skip a last batch smaller than ``batch_size``.

    >>> [b.tolist() for b in batches(5, 2, rng=0)]
    [[2, 4], [3, 0], [1]]
    """
    n = _checks.count("n", n, 1)
    size = _checks.count("batch_size", batch_size, 1, n)
    _checks.memory(8 * n, "this epoch's order of samples", "ask for fewer samples n")
    order = _checks.generator(rng, "rng").permutation(n)
    stop = n - n % size if drop_last else n
    return (order[i:i + size] for i in range(0, stop, size))


# --------------------------------------------------------------------------- the runs


@dataclass(frozen=True, repr=False)
class DataTrajectory(Trajectory):
    """A :class:`~gdviz.Trajectory` of descent on data, one row per update.

    As in every Trajectory, ``x[u]`` is the position after ``u`` updates and
    ``epochs`` (inherited) counts the update steps, ``n_epochs * updates_per_epoch``. On top:

    * ``n_epochs``: passes over the data; ``updates_per_epoch``: 1 (batch),
      ``ceil(n / b)`` (mini-batch; ``n // b`` with ``drop_last``), ``n`` (stochastic);
    * ``epoch[u]``: the epoch (1, 2, ...) in which update u was made, 0 for the start;
    * ``grad_evals[u]``: per-sample gradients computed up to row u (0, then + batch size);
    * ``batch_size``, ``n_samples``, ``drop_last``, ``seed``.
    """

    n_samples: int
    batch_size: int
    updates_per_epoch: int
    n_epochs: int
    epoch: np.ndarray
    grad_evals: np.ndarray
    drop_last: bool = False
    seed: Any = None

    @property
    def method(self) -> str:
        """"batch", "stochastic" or "mini-batch"."""
        if self.batch_size == self.n_samples:
            return "batch"
        return "stochastic" if self.batch_size == 1 else "mini-batch"

    @property
    def epoch_ends(self) -> np.ndarray:
        """Row index at the end of each epoch, starting with row 0: ``e * updates_per_epoch``."""
        return np.arange(self.n_epochs + 1) * self.updates_per_epoch

    @property
    def passes(self) -> np.ndarray:
        """Passes over the data at each row, ``grad_evals / n`` (a float axis for loss plots)."""
        return self.grad_evals / self.n_samples

    def __repr__(self) -> str:
        runs = "1 run" if not self.batch_shape else f"batch {self.batch_shape}"
        return (f"DataTrajectory({self.objective.name}, {self.method} b={self.batch_size}, {self.optimizer!r}, "
                f"{self.n_epochs} epochs x {self.updates_per_epoch} updates, {runs}, "
                f"{int(np.count_nonzero(self.diverged))} diverged)")


def descend_data(
    data: LeastSquares | Dataset,
    params0: ArrayLike | None = None,
    lr: ArrayLike = 0.01,
    epochs: int = 10,
    batch_size: int | None = None,
    optimizer: str | Optimizer = "gd",
    schedule: str | Schedule | None = None,
    *,
    seed: int | np.random.Generator | None = 0,
    drop_last: bool = False,
) -> DataTrajectory:
    """Batch, stochastic or mini-batch descent on a least-squares objective.

    Each epoch shuffles the samples and makes one update per batch:

        for each batch B:   theta <- optimizer step with g = grad L_B(theta),  rate lr * schedule(u, U)

    where u counts updates over the whole run (U in total), so schedules decay per update.

    * ``batch_size=None`` (or n): **batch** descent, the full gradient, 1 update per epoch,
      no shuffling needed (none is drawn); the same steps as :func:`~gdviz.descend`.
    * ``batch_size=1``: **stochastic** descent, n updates per epoch.
    * ``1 < batch_size < n``: **mini-batch** descent, ``ceil(n / b)`` updates per epoch; the last
      batch has the ``n mod b`` samples left over, or is skipped with ``drop_last=True``.

    Shuffles: ``rng = np.random.default_rng(seed)``, then per epoch one ``rng.permutation(n)``
    sliced into batches, exactly as :func:`batches` does. The same seed gives the same run.

    Args:
        data: a :class:`LeastSquares` objective or a :class:`Dataset` (made into one, which
            derives a formula: pass the objective when running many times).
        params0: the start ``[w..., b]``, or a batch of starts with that last axis
            (default zeros). Every run of a batch sees the same batches.
        lr: base learning rate, or an array broadcasting against the batch of starts.
        epochs: passes over the data.
        batch_size, optimizer, schedule, seed, drop_last: as above.

    Returns:
        a :class:`DataTrajectory` with ``n_epochs * updates_per_epoch + 1`` rows: ``f`` is the
        loss over all the data at each row, ``grad[u]`` the batch gradient update u used (the
        last row repeats the last one). Runs that blow up are frozen and flagged as in
        :func:`~gdviz.descend`. Records beyond the memory budget are refused before any work.

    >>> loss = LeastSquares(make_linear(n=20, noise=0.0, seed=0))
    >>> run = descend_data(loss, lr=0.5, epochs=100)                    # batch GD
    >>> bool(np.allclose(run.final, loss.solution)), run.updates_per_epoch
    (True, 1)
    """
    objective = data if isinstance(data, LeastSquares) else LeastSquares(data) if isinstance(data, Dataset) else None
    if objective is None:
        raise ArgumentTypeError(f"data: expected a LeastSquares objective or a Dataset, got {type(data).__name__}")
    n, dim = objective.n, objective.dim
    epochs = _checks.count("epochs", epochs)
    size = n if batch_size is None else _checks.count("batch_size", batch_size, 1, n)
    drop_last = _checks.flag("drop_last", drop_last)
    rng = _checks.generator(seed)
    start = _checks.points("params0", np.zeros(dim) if params0 is None else params0, dim, MAX_NORM)
    per_epoch = 1 if size == n else n // size if drop_last else -(-n // size)
    counts = np.full(per_epoch, size)
    if size < n and not drop_last and n % size:
        counts[-1] = n % size  # the samples left over
    runs, steps = start[0].size * np.size(lr), epochs * per_epoch
    _checks.memory(8 * (steps + 1) * (runs * (2 * dim + 2) + 2), "this run's record",
                   "ask for fewer epochs, a larger batch_size or fewer starts")

    X, y = objective.data.X, objective.data.y
    order = np.arange(n)

    def gradient(theta: np.ndarray, u: int) -> np.ndarray:
        nonlocal order
        if size == n:  # batch descent: the order of the samples does not change their mean
            return objective.batch_grad(theta)
        k = u % per_epoch
        if k == 0:  # a new epoch: one permutation, drawn as batches() draws it
            order = rng.permutation(n)
        idx = order[k * size:(k + 1) * size]
        return objective._grad_on(theta, X[idx], y[idx])

    run = descend(objective, np.moveaxis(start, 0, -1), lr=lr, epochs=steps, optimizer=optimizer,
                  schedule=schedule, gradient=gradient)
    return run.extended(
        DataTrajectory, n_samples=n, batch_size=size, updates_per_epoch=per_epoch, n_epochs=epochs,
        epoch=np.concatenate([[0], np.repeat(np.arange(1, epochs + 1), per_epoch)]),
        grad_evals=np.concatenate([[0], np.cumsum(np.tile(counts, epochs))]), drop_last=drop_last, seed=seed,
    )
