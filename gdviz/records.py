"""What the run loop works on and what it hands back: :class:`Landscape`, :class:`Trajectory`,
:class:`SweepResult` (and :class:`RunRecord`, the part every record of runs shares).

:mod:`gdviz.descent` makes these records and re-exports every name here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Protocol, TypeVar

import numpy as np

from ._checks import ArgumentValueError
from .optimizers import Optimizer
from .schedules import Schedule

__all__ = ["Landscape", "Estimate", "RunRecord", "Trajectory", "SweepResult"]


class Landscape(Protocol):
    """What the loop needs of an objective: :class:`~gdviz.Objective` is one, ``gd.nn``'s network loss another.

    ``columns`` is an array in the engine layout ``(dim, *batch)`` (or a sequence of ``dim``
    arrays); ``value_columns`` returns ``f`` of shape ``batch`` and ``grad_columns`` the
    gradient, shape ``(dim, *batch)``. With ``descend(..., gradient=...)`` ``grad_columns`` is
    never called and ``value_columns`` may be missing. Optional: ``value_grad_columns(columns)``
    returning ``(f, g)`` from one pass (shared subexpressions), used by the vectorised loop in
    place of the two on large batches; ``grad_float(*coordinates)`` returning a list of ``dim``
    floats, which enables the lean path for single runs, and with it ``grad_float_raw`` (the same
    without a fallback, raising where ``math`` does) and ``gd_float(p, rate, count, keep)`` (plain
    GD on floats), which speed up plain GD's single runs; ``gd_columns(X, G, rate, rows=None)``
    (plain GD on a batch's columns), which speeds up plain GD on small batches (both in
    :mod:`gdviz.kernels`).
    """

    dim: int
    name: str

    def value_columns(self, columns: Any) -> np.ndarray: ...

    def grad_columns(self, columns: Any) -> np.ndarray: ...


#: ``gradient(point, t) -> g`` or ``(g, f)``: a gradient estimate at step t (see :func:`descend`);
#: the loss f has the batch's shape, so it is a float for a single run.
Estimate = Callable[[np.ndarray, int], np.ndarray | tuple[np.ndarray, np.ndarray | float]]

R = TypeVar("R", bound="Trajectory")


class RunRecord:
    """What every record of runs shares: rows ``x`` and ``f`` with the last row the final one."""

    x: np.ndarray
    f: np.ndarray

    @property
    def final(self) -> float | np.ndarray:
        """The last position: a float for one run on a 1-D objective, else an array."""
        last = self.x[-1]
        return float(last) if np.ndim(last) == 0 else last

    @property
    def final_f(self) -> float | np.ndarray:
        last = self.f[-1]
        return float(last) if np.ndim(last) == 0 else last


@dataclass(frozen=True)
class Trajectory(RunRecord):
    """The record of one or many descents.

    For a 1-D objective ``x`` and ``grad`` have shape ``(epochs + 1, *batch)``; for an n-D
    one ``(epochs + 1, *batch, n)``. Row ``t`` is the state after ``t`` steps. ``lr[t]`` is
    the rate used for the step from row ``t`` to row ``t + 1`` (0 once a run has diverged).
    A diverged run is frozen at its last good row and flagged in ``diverged``;
    ``diverged_at`` gives the first bad row (-1 if none was, 0 if the start was).

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
    objective: Landscape
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
            best = getattr(self.objective, "global_minimum", None)
            if best is None:
                raise ArgumentValueError("target: this objective has no known minimum; pass target=")
            target = best.f
        below = self.f <= target + tol
        return np.where(below.any(axis=0), below.argmax(axis=0), -1)

    def extended(self, kind: type[R], **extra: Any) -> R:
        """This record as the subclass ``kind`` with its ``extra`` fields (how DataTrajectory is made)."""
        return kind(**{f.name: getattr(self, f.name) for f in fields(Trajectory)}, **extra)

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
    objective: Landscape

    def basins(self, tol: float = 1e-3) -> np.ndarray:
        """Which known minimum each run ended at: an index into ``objective.minima``.

        -1 marks runs that ended farther than ``tol`` from every known minimum (or diverged).
        """
        minima = getattr(self.objective, "minima", ())
        if not minima:
            raise ArgumentValueError("objective: has no known minima to label basins with")
        centres = np.array([m.x for m in minima], dtype=float).reshape(len(minima), -1)
        points = self.x.reshape(*self.f.shape, -1)
        dist = np.linalg.norm(points[..., None, :] - centres, axis=-1)
        labels = dist.argmin(axis=-1)
        return np.where((dist.min(axis=-1) <= tol) & ~self.diverged, labels, -1)
