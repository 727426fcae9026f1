"""Rates (notebook 06): momentum's contraction per step over (lr, beta), theory against measurement.

On a quadratic with curvatures mu <= ... <= L, momentum (v <- beta v + lr g, x <- x - v)
shrinks the error like rho^k, where rho is the spectral radius of its 2x2 iteration matrix,
worst over the curvatures (:func:`gdviz.optimizers.momentum_rate`). :func:`plot_momentum_rates`
draws rho as a map over the learning rate (x, in units of 1 / L, so the picture keeps its axes
when the conditioning changes) and beta (y), marks the edge rho = 1 beyond which momentum
diverges and Distill's optimum (:func:`gdviz.optimizers.momentum_optimum`), and overlays
rates *measured* on runs as dashed contours of the same levels.

>>> import gdviz as gd, numpy as np
>>> drawn = plot_momentum_rates([1.0, 100.0])
>>> [round(float(v), 4) for v in (drawn.optimum.get_xdata()[0], drawn.optimum.get_ydata()[0])]  # lr* L, beta*
[3.3058, 0.6694]
>>> import matplotlib.pyplot as plt; plt.close("all")
"""

from __future__ import annotations

from typing import NamedTuple

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import BoundaryNorm
from matplotlib.contour import QuadContourSet
from matplotlib.lines import Line2D

from .. import _checks
from .. import optimizers as _optimizers
from .._types import ArrayLike
from ._base import axes_or_new
from .style import CMAP, DIVERGED_COLOR

__all__ = ["RateMap", "plot_momentum_rates", "rate_grid", "RATE_LEVELS", "BANDS"]

#: The contour lines of the rate map: how much of the error is left after one step.
RATE_LEVELS: tuple[float, ...] = (0.5, 0.8, 0.9, 0.95, 0.99)


#: The colour bands of the map: rates 1 - 10^(-k) for k from 0 to 3 in 30 steps, then 0.999 to 1, one
#: colour each, so the map reads the same whatever the conditioning (rates near 1 are where
#: ill-conditioned bowls live); rates >= 1 (divergence) take the "over" colour, vermillion.
BANDS: np.ndarray = np.append(1 - np.geomspace(1.0, 1e-3, 31), 1.0)


class RateMap(NamedTuple):
    """What :func:`plot_momentum_rates` drew."""

    filled: QuadContourSet  # the theoretical rate, filled (rho >= 1 in vermillion: no convergence)
    lines: QuadContourSet  # solid white contour lines of the theory at RATE_LEVELS and the edge rho = 1
    measured: QuadContourSet | None  # dashed black contour lines of the measured rates, if given
    optimum: Line2D  # Distill's optimum (lr* L, beta*)


def rate_grid(curvatures: ArrayLike, n: int = 160) -> tuple[np.ndarray, np.ndarray]:
    """The rates and betas the map is drawn on: lr from 0.05 / L to 4 / L (log), beta from 0 to 0.995."""
    lam = _curvatures(curvatures)
    n = _checks.count("n", n, low=2)
    return np.geomspace(0.05, 4.0, n) / float(lam.max()), np.linspace(0.0, 0.995, n)


def _curvatures(curvatures: ArrayLike) -> np.ndarray:
    lam = _checks.as_floats("curvatures", curvatures).ravel()
    if lam.size == 0 or not np.all(np.isfinite(lam) & (lam > 0)):
        raise _checks.ArgumentValueError(f"curvatures: expected one or more finite numbers > 0, got {curvatures!r}")
    return lam


def plot_momentum_rates(
    curvatures: ArrayLike, *, ax: Axes | None = None, measured: tuple[ArrayLike, ArrayLike, ArrayLike] | None = None,
    n: int = 160, colorbar: bool = True, legend: bool = True,
) -> RateMap:
    """Momentum's rate per step over (lr, beta) on a quadratic, with the edge and Distill's optimum.

    Args:
        curvatures: the Hessian's eigenvalues, e.g. ``(1, 100)`` for the ravine (kappa = 100).
        ax: where to draw (a new figure when None).
        measured: optional ``(lr, beta, rate)`` with ``rate`` of shape ``(len(beta), len(lr))``,
            rates measured on runs (NaN or >= 1 where a run diverged); drawn as dashed contours
            at the same levels as the theory, so where they sit on the solid ones, theory and
            simulation agree.
        n: grid points per axis for the theory (:func:`rate_grid`).
        colorbar: add a colour bar of the rate; legend: name the optimum in a legend.

    The x axis is lr * L (L the largest curvature): plain descent converges for lr * L < 2,
    momentum for lr * L < 2 (1 + beta). Rates >= 1 (no convergence) are drawn in vermillion.
    The colour bands (:data:`BANDS`) are fixed, so maps of different conditioning compare.
    """
    lam = _curvatures(curvatures)
    lrs, betas = rate_grid(lam, n)
    ax = axes_or_new(ax)
    L = float(lam.max())
    rate = _optimizers.momentum_rate(lrs[None, :], betas[:, None], lam)
    cmap = matplotlib.colormaps[CMAP].with_extremes(over=DIVERGED_COLOR)
    norm = BoundaryNorm(BANDS, cmap.N, extend="max")
    filled = ax.contourf(lrs * L, betas, rate, levels=BANDS, cmap=cmap, norm=norm, extend="max")
    lines = ax.contour(lrs * L, betas, rate, levels=[*RATE_LEVELS, 1.0], colors="white", linewidths=1.0)
    ax.clabel(lines, fmt="%.3g", fontsize=8)
    drawn_measured = None
    if measured is not None:
        m_lr, m_beta, m_rate = (np.asarray(a, dtype=float) for a in measured)
        m_rate = np.where(np.isfinite(m_rate), m_rate, 2.0)
        drawn_measured = ax.contour(m_lr * L, m_beta, m_rate, levels=[*RATE_LEVELS, 1.0], colors="black",
                                    linewidths=1.2, linestyles="--")
    best = _optimizers.momentum_optimum(lam)
    (optimum,) = ax.plot([best.lr * L], [best.beta], "*", ms=16, color="white", mec="black", zorder=5,
                         label=f"optimum: lr = {best.lr:.3g}, beta = {best.beta:.3f}, rate {best.rate:.3f}")
    ax.set(xscale="log", xlim=(lrs[0] * L, lrs[-1] * L), ylim=(0, betas[-1]),
           xlabel="learning rate × largest curvature L", ylabel="beta (momentum)")
    ax.set_title(f"momentum's rate per step, kappa = {L / float(lam.min()):.3g}")
    if legend:
        ax.legend(loc="lower left", fontsize=8)
    if colorbar:
        bar = ax.figure.colorbar(filled, ax=ax, label="rate per step (vermillion: >= 1, diverges)")
        bar.set_ticks([0.0, 0.9, 0.99, 1.0])
    return RateMap(filled, lines, drawn_measured, optimum)
