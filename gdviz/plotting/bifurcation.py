"""Gradient descent's route to chaos: late iterates against the learning rate (notebook 04).

Plain descent on a 1-D objective is the map x -> x - lr f'(x). Near a minimum x* it
multiplies the error by 1 - lr f''(x*), so the fixed point x* attracts while lr < 2/f''(x*).
At 2/f''(x*) the factor passes -1 and x* loses its pull: the run settles on a 2-cycle
around x* instead (a period-doubling, or flip, bifurcation), later on a 4-cycle, an 8-cycle,
..., then on no cycle at all (chaos), until the orbit is thrown over a hilltop into another
valley. A *bifurcation diagram* shows all of it at once: for every rate, the positions of
many steps after a long transient, one dot each.

The data is one :func:`gdviz.sweep` whose ``epochs`` is the window of late steps::

    late = gd.sweep(f, x0=0.0, lr=np.linspace(1.5, 4.5, 1200), epochs=np.arange(2000, 2064))
    plot_bifurcation(late)

:func:`cycle_length` reads the period of each rate off the same window.
"""

from __future__ import annotations

from typing import NamedTuple, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patheffects import withStroke
from matplotlib.transforms import blended_transform_factory

from .._checks import ArgumentValueError
from .._types import Color
from ..records import SweepResult
from ._base import axes_or_new, objective_of
from .style import NEUTRAL, PALETTE

__all__ = ["plot_bifurcation", "update_bifurcation", "cycle_length", "late_window"]

#: Text beside the neutral lines: darker than their grey, to be read at x-small (contrast 5.7 on white).
_LABEL = "#666666"


class Bifurcation(NamedTuple):
    """What :func:`plot_bifurcation` drew."""

    points: Line2D  # one dot (lr, x_t) per rate and kept step t; diverged runs leave no dots
    edge: Line2D | None  # the vertical line at 2 / f''(x*), None when it lies outside the rates


def late_window(result: SweepResult) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The rates, the kept positions ``(rates, steps)`` and the diverged flags ``(rates, steps)``.

    ``result`` must come from ``gd.sweep(f, x0=<one start>, lr=<rates>, epochs=<steps>)`` on a
    1-D objective, so that its grid is ``("lr", "epochs")``.
    """
    if getattr(result.objective, "dim", None) != 1 or tuple(result.dims) != ("lr", "epochs"):
        raise ArgumentValueError("result: expected gd.sweep(f, x0=<one start>, lr=<1-D rates>, "
                                 "epochs=<1-D array of steps>) on a 1-D objective, with grid ('lr', 'epochs'); "
                                 f"got dims {tuple(result.dims)}")
    return (np.asarray(result.lr, dtype=float).ravel(), np.asarray(result.x, dtype=float),
            np.asarray(result.diverged, dtype=bool))


def cycle_length(result: SweepResult, *, tol: float = 1e-6) -> np.ndarray:
    """For each rate, the smallest p such that x_{t+p} = x_t (within ``tol``) over the window.

    0 means no period up to half the window's length: chaos, or a run that has not settled
    yet; -1 means the run diverged. The window's steps must be consecutive.

    >>> import gdviz as gd, numpy as np
    >>> late = gd.sweep(gd.functions.sin_gauss, 0.0, lr=[1.5, 2.3, 2.8, 3.9, 4.4],
    ...                 epochs=np.arange(2000, 2064))
    >>> cycle_length(late).tolist()
    [1, 2, 4, 0, 1]
    """
    _, x, diverged = late_window(result)
    steps = np.asarray(result.epochs).ravel()
    if steps.size < 2 or np.any(np.diff(steps) != 1):
        raise ArgumentValueError("result: expected a window of consecutive steps, e.g. epochs=np.arange(2000, 2064)")
    out = np.zeros(len(x), dtype=int)
    for p in range(steps.size // 2, 0, -1):  # the smallest period wins: go down and overwrite
        out[np.all(np.abs(x[:, p:] - x[:, :-p]) <= tol, axis=1)] = p
    out[diverged.any(axis=1)] = -1
    return out


def _set_bifurcation(drawn: Bifurcation, result: SweepResult) -> Bifurcation:
    lr, x, diverged = late_window(result)
    rates = np.broadcast_to(lr[:, None], x.shape)
    keep = ~diverged
    drawn.points.set_data(rates[keep], x[keep])
    return drawn


def plot_bifurcation(result: SweepResult, *, ax: Axes | None = None, x_star: float | None = None,
                     color: Color | None = None, size: float = 0.6) -> Bifurcation:
    """Late iterates of plain descent, one dot each, against the learning rate.

    Each rate contributes the positions of all the steps kept in ``result`` (see
    :func:`late_window`): one dot where the run settled on x*, two where it settled on a
    2-cycle, a smear where it is chaotic. The known minima and hilltops are dotted; the
    dashed line is the edge 2 / f''(x*) of the minimum ``x_star`` (default: the global one),
    where the fixed point gives way to the 2-cycle. :func:`update_bifurcation` shows another
    sweep with the same artists.
    """
    lr, _, _ = late_window(result)
    objective = objective_of(result)
    ax = axes_or_new(ax)
    (points,) = ax.plot([], [], "o", ms=size, mew=0, color=color or PALETTE[0], rasterized=True,
                        label="positions after the transient")
    left = blended_transform_factory(ax.transAxes, ax.transData)
    for kind, style, extrema in (("minimum", ":", objective.minima), ("hilltop", (0, (1, 3)),
                                                                       getattr(objective, "maxima", ()))):
        for m in extrema:
            level = cast(float, m.x)  # the diagram is of a 1-D objective: its extrema are numbers
            ax.axhline(level, color=NEUTRAL, ls=style, lw=1)
            # over the dots, outlined in white: branches cross these lines (-1.43 in notebook 04)
            ax.text(0.005, level, f"{kind} {level:.3g}", transform=left, ha="left", va="bottom", fontsize="x-small",
                    color=_LABEL, clip_on=True, zorder=4, path_effects=[withStroke(linewidth=2.5, foreground="white")])
    if x_star is None and objective.global_minimum is not None:
        x_star = cast(float, objective.global_minimum.x)
    edge = None
    if x_star is not None:
        curvature = float(objective.hessian(float(x_star)))
        if curvature > 0 and lr.min() <= 2 / curvature <= lr.max():
            edge = ax.axvline(2 / curvature, color=NEUTRAL, ls="--", lw=1)
            top = blended_transform_factory(ax.transData, ax.transAxes)
            ax.text(2 / curvature, 0.02, " 2/f''(x*)", transform=top, va="bottom", ha="left", fontsize="small",
                    color=_LABEL)
    ax.set_xlim(lr.min(), lr.max())
    ax.set_xlabel("learning rate")
    steps = np.asarray(result.epochs).ravel()
    ax.set_ylabel(f"x at steps {steps.min()}..{steps.max()}")
    drawn = _set_bifurcation(Bifurcation(points, edge), result)
    ax.relim()
    ax.autoscale_view(scalex=False)
    return drawn


def update_bifurcation(drawn: Bifurcation, result: SweepResult) -> Bifurcation:
    """Show another sweep (other rates, same kind) with the artists of :func:`plot_bifurcation`."""
    return _set_bifurcation(drawn, result)
