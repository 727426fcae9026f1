"""Plot helpers: each takes ``ax=None``, draws on it and returns what it drew.

Every helper creates a figure when ``ax`` is None, never calls ``plt.show()`` and never
touches the global rcParams (wrap a cell in :func:`style` for the course's look). Limits
and grids come from the objective's ``bounds``, never from numbers written here.

The returned artists (Line2D, images, ...) are what the explorers in :mod:`gdviz.widgets`
update when a slider moves; the ``update_*`` functions do that in place, so a figure is
built once and only its data changes afterwards.

Colours: :data:`COLORS` is the Okabe-Ito palette (distinguishable with every common
colour-vision deficiency) and :data:`CMAP` a perceptually uniform colour map. Lines use
mid-tone colours, so figures read on light and dark notebook themes alike.

>>> import gdviz as gd
>>> run = gd.descend(gd.functions.quadratic, x0=-1.5, lr=0.1, epochs=20)
>>> drawn = plot_descent_1d(run)
>>> len(drawn.points.get_xdata()), drawn.diverged.get_xdata().size
(21, 0)
>>> import matplotlib.pyplot as plt; plt.close("all")
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler
from matplotlib import patheffects
from matplotlib.animation import FuncAnimation, PillowWriter
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colorbar import Colorbar
from matplotlib.colors import BoundaryNorm, ListedColormap, LogNorm, Normalize
from matplotlib.container import BarContainer
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.quiver import Quiver
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator, PercentFormatter
from matplotlib.transforms import blended_transform_factory

from .data import Dataset, DataTrajectory, LeastSquares
from .descent import SweepResult, Trajectory
from .objective import Objective, _as_bounds
from .search import Annealing  # search and data sit beside descent and never import plotting: no cycle

__all__ = [
    "COLORS", "CMAP", "DIVERGED_COLOR", "NEUTRAL", "style",
    "Grid", "landscape_grid",
    "Function1D", "Descent1D", "Landscape", "Surface", "Path2D", "Extrema", "Sweep", "SweepHeatmap", "Basins",
    "plot_function_1d", "plot_descent_1d", "update_descent_1d",
    "plot_landscape", "plot_surface", "plot_gradient_field", "plot_paths", "update_paths", "mark_extrema",
    "plot_history", "update_history", "plot_histories", "AnnealingSchedule", "plot_annealing_schedule",
    "plot_sweep", "plot_sweep_heatmap", "plot_basins",
    "animate", "to_html", "save_gif",
    "LayerGradients", "plot_layer_gradients", "update_layer_gradients",
    "DataPlot", "plot_data", "plot_data_loss", "update_data_loss", "plot_shares",
    "Outcomes", "HIT_COLOR", "MISS_COLOR", "plot_outcomes", "update_outcomes", "plot_outcome_losses",
    "update_outcome_losses",
]

#: Okabe-Ito colours (blue, orange, green, pink, sky blue, vermillion, yellow, grey); black
#: is replaced by a mid grey so that nothing vanishes on a dark background.
COLORS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
#: The colour map for landscapes and heat maps: perceptually uniform and colour-blind safe.
CMAP: str = "viridis"
#: Colour of the marks on diverged runs (Okabe-Ito vermillion).
DIVERGED_COLOR: str = "#D55E00"
#: A mid grey for neutral marks (zero lines, "no basin", the gradient field on white).
NEUTRAL: str = "#999999"

#: What the path and history helpers draw: a Trajectory (also a DataTrajectory) or the
#: record of simulated annealing, alone, in a list or in a dict label -> record.
Record = Trajectory | Annealing
Trajs = Record | Sequence[Record] | Mapping[str, Record]

_RUN_COLORS = COLORS[:5] + COLORS[6:7]  # for runs: vermillion is kept for "diverged"
_HALO = [patheffects.withStroke(linewidth=3.5, foreground="white", alpha=0.7)]

_STYLE = {
    "font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12, "legend.fontsize": 10,
    "xtick.labelsize": 11, "ytick.labelsize": 11, "lines.linewidth": 2.0,
    "axes.prop_cycle": cycler(color=_RUN_COLORS), "image.cmap": CMAP,
    "axes.spines.top": False, "axes.spines.right": False,
    "figure.facecolor": "white", "savefig.facecolor": "white", "figure.dpi": 100, "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
}


@contextlib.contextmanager
def style(**overrides: Any) -> Iterator[None]:
    """The course's look (font sizes, colour cycle, colour map) inside a ``with`` block.

    Global rcParams are restored on exit. Extra keyword arguments are rcParams to set too
    (dots written as underscores are not translated: pass ``**{"font.size": 14}``).
    The figure background stays opaque white, so figures read on dark notebook themes too.
    """
    with plt.rc_context({**_STYLE, **overrides}):
        yield


# --------------------------------------------------------------------------- return types


class Grid(NamedTuple):
    """A landscape sampled on a regular grid: ``Z[i, j] = f(X[i, j], Y[i, j])``."""

    X: np.ndarray
    Y: np.ndarray
    Z: np.ndarray


class Function1D(NamedTuple):
    curve: Line2D
    derivative: Line2D | None
    extrema: Extrema | None


class Descent1D(NamedTuple):
    """A 1-D descent on its curve: the steps as points, arrows between them, start and end."""

    points: Line2D
    arrows: Quiver | None
    start: Line2D
    end: Line2D
    diverged: Line2D  # an X where the run left the view / blew up; empty when it did not
    note: Text  # "diverged at step k", empty otherwise


class Landscape(NamedTuple):
    mappable: Any  # QuadContourSet (kind="contour") or AxesImage (kind="heatmap")
    lines: Any  # contour lines over the filled contours, or None
    colorbar: Colorbar | None
    grid: Grid


class Surface(NamedTuple):
    surface: Any  # mpl_toolkits.mplot3d Poly3DCollection
    grid: Grid


class Path2D(NamedTuple):
    """One run drawn on a landscape: the path, a square at the start, a dot at the end."""

    line: Line2D
    start: Line2D
    end: Line2D
    diverged: Line2D  # an X where the run left the view / blew up; empty when it did not
    label: str
    note: Text  # "diverged" next to the X, empty otherwise


class Extrema(NamedTuple):
    minima: PathCollection | None
    maxima: PathCollection | None
    saddles: PathCollection | None


class StepRatio(NamedTuple):
    measured: Line2D  # (lr, (x_1 - x*) / (x_0 - x*)) for every rate of the sweep
    theory: Line2D  # 1 - lr f''(x*)
    band: Any  # the shaded band -1 < factor < 1 where descent contracts


class Sweep(NamedTuple):
    lines: list[Line2D]
    diverged: list[Line2D]  # per line, X marks at the top edge where runs diverged


class SweepHeatmap(NamedTuple):
    mesh: Any  # QuadMesh; its array is the plotted value, masked where runs diverged
    colorbar: Colorbar | None


class Basins(NamedTuple):
    image: AxesImage  # its array holds the basin index (-1: no known minimum / diverged)
    labels: np.ndarray
    legend: Any


# --------------------------------------------------------------------------- internals


class _Run(NamedTuple):
    """One run cut out of a (possibly batched) Trajectory or Annealing record."""

    x: np.ndarray  # (T,) in 1-D, (T, dim) in n-D
    f: np.ndarray
    grad: np.ndarray | None  # None for annealing, which uses no gradient
    lr: np.ndarray | None  # (T - 1,); None for annealing, which has no learning rate
    diverged_at: int  # -1 when the run did not diverge
    label: str
    objective: Objective
    clock: str  # the default x axis of a history: "epoch", "update" (data runs) or "step" (annealing)
    time: dict[str, np.ndarray]  # row t's position on each x axis this run offers, shape (T,)
    n_samples: int = 0  # data runs: samples per epoch, for an epochs axis next to gradient evaluations


def _axes(ax: Axes | None, projection: str | None = None) -> Axes:
    if ax is None:
        ax = plt.figure().add_subplot(projection=projection)
    return ax


def _fmt(x: Any) -> str:
    values = np.atleast_1d(np.asarray(x, dtype=float))
    text = ", ".join(f"{v:.3g}" for v in values)
    return text if values.size == 1 else f"({text})"


def _clock(t: Record) -> tuple[str, dict[str, np.ndarray], int]:
    """The default x axis of a record's histories and every x axis it offers (row positions).

    Every record offers "step", the row index, so that runs of different kinds share a plot.
    """
    rows = np.arange(len(t.f), dtype=float)
    if isinstance(t, DataTrajectory):
        time = {"update": rows, "epoch": rows / t.updates_per_epoch,
                "grad_evals": np.asarray(t.grad_evals, dtype=float), "step": rows}
        return "update", time, t.n_samples
    if isinstance(t, Annealing):
        return "step", {"step": rows}, 0
    return "epoch", {"epoch": rows, "step": rows}, 0


def _runs(trajs: Trajs, labels: Sequence[str] | None = None) -> list[_Run]:
    """Every run of ``trajs`` (one record, a list, or a dict label -> record).

    A record is a :class:`~gdviz.Trajectory` or a :class:`~gdviz.search.Annealing`; the
    latter has no gradient and no learning rate (its ``grad`` and ``lr`` are None) and never
    diverges (proposals that overflow are rejected).
    """
    if isinstance(trajs, (Trajectory, Annealing)):
        items: list[tuple[str | None, Record]] = [(None, trajs)]
    elif isinstance(trajs, Mapping):
        items = list(trajs.items())
    else:
        items = [(None, t) for t in trajs]
    if not items or not all(isinstance(t, (Trajectory, Annealing)) for _, t in items):
        raise TypeError("trajs: expected a Trajectory or Annealing record, a list of them or a dict label -> record")
    runs = []
    for key, t in items:
        clock, time, n_samples = _clock(t)
        for idx in np.ndindex(t.batch_shape):
            sel = (slice(None), *idx)
            x = t.x[sel]
            annealing = isinstance(t, Annealing)
            grad, lr = (None, None) if annealing else (t.grad[sel], t.lr[sel])
            if key is not None:
                label = f"{key} {list(idx)}" if t.batch_shape else key
            else:
                start = f" x0={_fmt(x[0])}" if t.batch_shape else ""
                if annealing:
                    label = f"annealing T0={t.T0:g}{start}"
                else:
                    used = lr[lr > 0]
                    rate = f" lr={used.max():.3g}" if used.size else ""
                    label = f"{t.optimizer.name}{rate}{start}"
            diverged_at = -1 if annealing else int(t.diverged_at[idx])
            runs.append(_Run(x, t.f[sel], grad, lr, diverged_at, label, t.objective, clock, time, n_samples))
    if len({r.objective.dim for r in runs}) > 1:
        raise ValueError("trajs: runs on objectives of different dimensions cannot share a plot")
    if labels is not None:
        labels = list(labels)
        if len(labels) != len(runs):
            raise ValueError(f"labels: expected {len(runs)} labels (one per run), got {len(labels)}")
        runs = [r._replace(label=str(lab)) for r, lab in zip(runs, labels, strict=True)]
    return runs


def _need_dim(objective: Objective, dim: int, what: str, instead: str) -> None:
    if (objective.dim == 1) != (dim == 1):
        raise ValueError(f"objective: {what} needs a {'1-D' if dim == 1 else '2-D'} objective, "
                         f"{objective.name} has {objective.dim} variables; use {instead}")


def _escape_point(points: np.ndarray, box: np.ndarray) -> np.ndarray:
    """Where a diverging path leaves the view ``box`` (rows (lo, hi)); its last point if it never does."""
    points = points[np.all(np.isfinite(points), axis=1)]
    lo, hi = box[:, 0], box[:, 1]
    inside = np.all((points >= lo) & (points <= hi), axis=1)
    if inside[-1] or not inside.any():
        return np.clip(points[-1], lo, hi)
    k = np.flatnonzero(inside)[-1]
    p, d = points[k], points[k + 1] - points[k]
    with np.errstate(divide="ignore", invalid="ignore"):
        t_hi = np.where(d > 0, (hi - p) / d, np.inf)
        t_lo = np.where(d < 0, (lo - p) / d, np.inf)
    return p + min(1.0, t_hi.min(), t_lo.min()) * d


def _view_box(ax: Axes) -> np.ndarray:
    return np.array([sorted(ax.get_xlim()), sorted(ax.get_ylim())], dtype=float)


def _color(i: int, colors: Sequence[str] | None) -> str:
    palette = list(colors) if colors else _RUN_COLORS
    return palette[i % len(palette)]


def _legend(ax: Axes, where: bool | str, n: int, max_entries: int = 10) -> Any:
    if not where or n > max_entries:
        return None
    return ax.legend(loc="best" if where is True else where, framealpha=0.85)


# --------------------------------------------------------------------------- grids


def landscape_grid(objective: Objective, n: int = 200, bounds: Any = None) -> Grid:
    """Sample a 2-D objective on an ``n`` x ``n`` grid over its bounds (one vectorised call).

    >>> import gdviz as gd
    >>> X, Y, Z = landscape_grid(gd.functions.ravine, n=3)
    >>> X[0].tolist(), Y[:, 0].tolist(), float(Z[1, 1])
    ([-6.0, 0.0, 6.0], [-3.0, 0.0, 3.0], 0.0)
    """
    _need_dim(objective, 2, "landscape_grid", "plot_function_1d")
    (xlo, xhi), (ylo, yhi) = _as_bounds(objective.bounds if bounds is None else bounds, 2)
    X, Y = np.meshgrid(np.linspace(xlo, xhi, n), np.linspace(ylo, yhi, n))
    with np.errstate(all="ignore"):
        Z = objective.value_columns([X, Y])
    return Grid(X, Y, Z)


# --------------------------------------------------------------------------- 1-D


def _curve_range(values: np.ndarray) -> tuple[float, float]:
    finite = values[np.isfinite(values)]
    lo, hi = float(finite.min()), float(finite.max())
    pad = 0.06 * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad


def plot_function_1d(
    objective: Objective, ax: Axes | None = None, *, derivative: bool = True, bounds: Any = None,
    n: int = 400, extrema: bool = True, legend: bool | str = True,
) -> Function1D:
    """Draw f (and, dashed, f') over the objective's bounds; mark its known extrema.

    The view is fixed to the bounds and to the range of the drawn curves, so runs drawn
    later on the same axes do not move it.
    """
    _need_dim(objective, 1, "plot_function_1d", "plot_landscape or plot_surface")
    ax = _axes(ax)
    ((lo, hi),) = _as_bounds(objective.bounds if bounds is None else bounds, 1)
    xs = np.linspace(lo, hi, n)
    with np.errstate(all="ignore"):
        ys = objective.value_columns([xs])
        gs = objective.grad_columns([xs])[0]
    v = objective.variable_names[0]
    (curve,) = ax.plot(xs, ys, color=COLORS[0], lw=2, label=f"f({v})", zorder=2)
    deriv = None
    shown = ys
    if derivative:
        ax.axhline(0.0, color=NEUTRAL, lw=0.8, zorder=1)
        (deriv,) = ax.plot(xs, gs, color=COLORS[1], lw=1.6, ls="--", label=f"f'({v})", zorder=2)
        shown = np.concatenate([ys, gs])
    marks = mark_extrema(objective, ax) if extrema else None
    ax.set_xlim(lo, hi)
    ax.set_ylim(*_curve_range(shown))
    ax.set_xlabel(v)
    if not ax.get_title():
        ax.set_title(objective.name)
    _legend(ax, legend, 4)
    return Function1D(curve, deriv, marks)


def _arrows_1d(ax: Axes, run: _Run, color: str, max_arrows: int, uphill: str | None = None) -> Quiver | None:
    box = _view_box(ax)
    pts = np.column_stack([run.x, run.f])
    last = run.diverged_at - 1 if run.diverged_at >= 0 else len(pts) - 1
    tails, heads = [], []  # a step that stays put (a rejected proposal) gets no arrow
    for t in range(min(last, max_arrows)):
        p, q = pts[t], pts[t + 1]
        if not np.all(np.isfinite(q)) or p[0] == q[0]:
            continue
        inside = np.all((p >= box[:, 0]) & (p <= box[:, 1]))
        if not inside:
            continue
        tails.append(p)
        heads.append(_escape_point(np.array([p, q]), box))  # an arrow leaving the view ends at its edge
    if not tails:
        return None
    tails_a, heads_a = np.array(tails), np.array(heads)
    d = heads_a - tails_a
    colors = [uphill if uphill and dy > 0 else color for dy in d[:, 1]]
    return ax.quiver(tails_a[:, 0], tails_a[:, 1], d[:, 0], d[:, 1], angles="xy", scale_units="xy", scale=1,
                     color=colors, width=0.005, headwidth=4, headlength=5, headaxislength=4.5, alpha=0.9,
                     zorder=3)


def _diverged_mark(run: _Run, box: np.ndarray, points: np.ndarray) -> tuple[np.ndarray, np.ndarray, str]:
    if run.diverged_at < 0:
        end = points[-1]
        inside = np.all((end >= box[:, 0]) & (end <= box[:, 1]))
        text = "" if inside else f"out of view: ends at {run.objective.variable_names[0]} = {end[0]:.3g}"
        return np.empty(0), np.empty(0), text
    p = _escape_point(points[: run.diverged_at], box) if run.diverged_at > 0 else points[0]
    return np.array([p[0]]), np.array([p[1]]), f"diverged at step {run.diverged_at}"


def plot_descent_1d(
    traj: Record, ax: Axes | None = None, *, arrows: bool = True, max_arrows: int = 60,
    color: str | None = None, label: str | None = None, curve: bool = True, uphill: str | None = None,
) -> Descent1D:
    """Draw a single 1-D run on its curve: points (x_t, f(x_t)) joined by arrows.

    The start is a square, the end a dot; arrows show the steps (the first ``max_arrows``),
    so an overshoot across the minimum is visible. A diverged run gets an X where it leaves
    the view (or blew up) and a note; the view stays on the objective's bounds. With
    ``curve=True`` on an empty ``ax`` the function is drawn first.

    ``traj`` may also be one run of simulated annealing (:class:`~gdviz.search.Annealing`):
    its points are the current point after every step, and a rejected proposal (the point
    stays put) gets no arrow, so the arrows are the accepted moves. With ``uphill`` (a
    colour) the arrows of steps that raised f get that colour and a legend entry "uphill
    move" is added: annealing's accepted climbs, or descent overshooting up the far wall.

    >>> import gdviz as gd
    >>> f = gd.functions.sin_gauss
    >>> walk = gd.search.simulated_annealing(f, 4.3, epochs=40, step=2.0, seed=5, bounds=f.bounds)
    >>> drawn = plot_descent_1d(walk, uphill=DIVERGED_COLOR)
    >>> drawn.arrows.N == int(walk.accepted.sum())  # one arrow per accepted move
    True
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    runs = _runs(traj, None if label is None else [label])
    if len(runs) != 1:
        raise ValueError(f"traj: plot_descent_1d draws one run, got {len(runs)}; use plot_history for a batch")
    run = runs[0]
    _need_dim(run.objective, 1, "plot_descent_1d", "plot_paths")
    ax = _axes(ax)
    if curve and not ax.has_data():
        plot_function_1d(run.objective, ax, derivative=False, legend=False)
    elif not ax.has_data():
        ax.set_xlim(*run.objective.bounds[0])
        with np.errstate(all="ignore"):
            ax.set_ylim(*_curve_range(run.objective.value_columns([np.linspace(*run.objective.bounds[0], 200)])))
    ax.set_autoscale_on(False)  # the view stays where it is, even when a run flies off
    color = color or COLORS[5 if run.diverged_at >= 0 else 2]
    (points,) = ax.plot(run.x, run.f, "o", color=color, ms=5, mec="white", mew=0.6, label=run.label, zorder=4)
    quiver = _arrows_1d(ax, run, color, max_arrows, uphill) if arrows else None
    if uphill and arrows:
        ax.plot([], [], color=uphill, lw=1.5, label="uphill move")  # a legend entry for the coloured arrows
    (start,) = ax.plot(run.x[:1], run.f[:1], "s", color=color, ms=9, mec="white", mew=1, zorder=5)
    (end,) = ax.plot(run.x[-1:], run.f[-1:], "o", color=color, ms=10, mec="white", mew=1.2, zorder=5)
    dx, dy, text = _diverged_mark(run, _view_box(ax), np.column_stack([run.x, run.f]))
    (div,) = ax.plot(dx, dy, "X", color=DIVERGED_COLOR, ms=14, mec="white", mew=1.2, zorder=6, clip_on=False)
    div.set_in_layout(False)  # an X on the edge may stick out; the layout should not make room for it
    note = ax.text(0.5, 0.96, text, transform=ax.transAxes, ha="center", va="top", color=DIVERGED_COLOR,
                   fontweight="bold", zorder=7, bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none"})
    note.set_visible(bool(text))
    return Descent1D(points, quiver, start, end, div, note)


def update_descent_1d(
    drawn: Descent1D, traj: Record, *, max_arrows: int = 60, uphill: str | None = None,
) -> Descent1D:
    """Show another run with the artists of :func:`plot_descent_1d` (for sliders).

    Lines are updated in place; the arrows (their number changes) are redrawn, uphill ones
    in the colour ``uphill`` if given. Returns the artists to use next time.
    """
    (run,) = _runs(traj)
    ax = drawn.points.axes
    drawn.points.set_data(run.x, run.f)
    drawn.start.set_data(run.x[:1], run.f[:1])
    drawn.end.set_data(run.x[-1:], run.f[-1:])
    dx, dy, text = _diverged_mark(run, _view_box(ax), np.column_stack([run.x, run.f]))
    drawn.diverged.set_data(dx, dy)
    drawn.note.set_text(text)
    drawn.note.set_visible(bool(text))
    quiver = drawn.arrows
    if quiver is not None:
        quiver.remove()
    quiver = _arrows_1d(ax, run, drawn.points.get_color(), max_arrows, uphill)
    return drawn._replace(arrows=quiver)


# --------------------------------------------------------------------------- 2-D


def _labels_2d(ax: Axes, objective: Objective) -> None:
    ax.set_xlabel(objective.variable_names[0])
    ax.set_ylabel(objective.variable_names[1])


def plot_landscape(
    objective: Objective, ax: Axes | None = None, *, kind: str = "contour", n: int = 200, bounds: Any = None,
    levels: int | Sequence[float] = 30, colorbar: bool = True, cmap: str | None = None, grid: Grid | None = None,
) -> Landscape:
    """A 2-D objective as filled contours (``kind="contour"``) or a heat map (``"heatmap"``).

    Pass a precomputed ``grid`` (from :func:`landscape_grid`) to skip the evaluation. The
    heat map's array is ``grid.Z`` (row i at y = ``grid.Y[i, 0]``, origin at the bottom).
    """
    if kind not in ("contour", "heatmap"):
        raise ValueError(f"kind: expected 'contour' or 'heatmap', got {kind!r}")
    ax = _axes(ax)
    grid = grid if grid is not None else landscape_grid(objective, n, bounds)
    X, Y, Z = grid
    Zm = np.ma.masked_invalid(Z)
    cmap = cmap or CMAP
    lines = None
    if kind == "contour":
        mappable = ax.contourf(X, Y, Zm, levels=levels, cmap=cmap, zorder=0)
        lines = ax.contour(X, Y, Zm, levels=mappable.levels, colors="white", linewidths=0.4, alpha=0.35, zorder=0)
    else:
        mappable = ax.imshow(Zm, origin="lower", extent=(X[0, 0], X[0, -1], Y[0, 0], Y[-1, 0]), aspect="auto",
                             cmap=cmap, interpolation="nearest", zorder=0)
    ax.set_xlim(X[0, 0], X[0, -1])
    ax.set_ylim(Y[0, 0], Y[-1, 0])
    _labels_2d(ax, objective)
    if not ax.get_title():
        ax.set_title(objective.name)
    cbar = ax.figure.colorbar(mappable, ax=ax, label="f") if colorbar else None
    return Landscape(mappable, lines, cbar, grid)


def plot_surface(
    objective: Objective, ax: Axes | None = None, *, n: int = 80, bounds: Any = None, cmap: str | None = None,
    alpha: float = 0.9,
) -> Surface:
    """A 2-D objective as a 3-D surface (``ax`` must be a 3-D axes; one is made if None).

    Runs drawn afterwards with :func:`plot_paths` on the same axes lie on the surface.
    """
    ax = _axes(ax, "3d")
    if ax.name != "3d":
        raise ValueError("ax: plot_surface needs a 3-D axes, e.g. fig.add_subplot(projection='3d')")
    grid = landscape_grid(objective, n, bounds)
    X, Y, Z = grid
    surf = ax.plot_surface(X, Y, np.ma.masked_invalid(Z), cmap=cmap or CMAP, rstride=1, cstride=1,
                           linewidth=0, antialiased=False, alpha=alpha)
    ax.set_xlim(X[0, 0], X[0, -1])
    ax.set_ylim(Y[0, 0], Y[-1, 0])
    _labels_2d(ax, objective)
    ax.set_zlabel("f")
    if not ax.get_title():
        ax.set_title(objective.name)
    return Surface(surf, grid)


def plot_gradient_field(
    objective: Objective, ax: Axes | None = None, *, n: int = 15, bounds: Any = None, normalize: bool = True,
    color: str | None = None,
) -> Quiver:
    """Arrows of the negative gradient (the downhill direction) on an ``n`` x ``n`` grid.

    With ``normalize=True`` every arrow has the same length and shows direction only.
    The default colour is white over a landscape and grey on an empty axes.
    """
    ax = _axes(ax)
    color = color or ("white" if ax.has_data() else NEUTRAL)
    X, Y, _ = landscape_grid(objective, n, bounds)
    with np.errstate(all="ignore"):
        U, V = -objective.grad_columns([X, Y])
    size = np.hypot(U, V)
    cell = min(X[0, 1] - X[0, 0], Y[1, 0] - Y[0, 0])
    if normalize:
        with np.errstate(all="ignore"):
            U, V = np.where(size > 0, U / size, 0.0), np.where(size > 0, V / size, 0.0)
        scale = 1 / (0.7 * cell)
    else:
        top = np.nanmax(size) if np.any(np.isfinite(size)) else 1.0
        scale = top / (0.9 * cell) if top > 0 else 1.0
    quiver = ax.quiver(X, Y, U, V, angles="xy", scale_units="xy", scale=scale, color=color, alpha=0.8,
                       width=0.003, zorder=2)
    ax.set_xlim(X[0, 0], X[0, -1])
    ax.set_ylim(Y[0, 0], Y[-1, 0])
    _labels_2d(ax, objective)
    return quiver


def _path_data(run: _Run, box: np.ndarray, is3d: bool) -> tuple[list[np.ndarray], Any]:
    """Coordinates of the path (2 or 3 arrays) and the X mark (or None)."""
    stop = run.diverged_at if run.diverged_at >= 0 else len(run.x)
    xy = run.x[: max(stop, 1)]
    coords = [xy[:, 0], xy[:, 1]] + ([run.f[: len(xy)]] if is3d else [])
    mark = None
    if run.diverged_at >= 0:
        p = _escape_point(xy, box)
        mark = [p[:1], p[1:2]] + ([run.objective.value_columns([p[:1], p[1:2]])] if is3d else [])
    return coords, mark


#: At most about this many step markers per drawn path.
MAX_PATH_MARKERS = 60


def _set_run_artists(p: Path2D, run: _Run, box: np.ndarray, is3d: bool) -> None:
    coords, mark = _path_data(run, box, is3d)
    first = [c[:1] for c in coords]
    last = [c[-1:] for c in coords]
    empty = [np.empty(0) for _ in coords]
    for artist, data in ((p.line, coords), (p.start, first), (p.end, last), (p.diverged, mark or empty)):
        if is3d:
            artist.set_data_3d(*data)
        else:
            artist.set_data(*data[:2])
    # A marker on every step of a long run piles up into a solid band; every k-th step still
    # shows the speed (markers crowd where the run is slow) without hiding the landscape.
    p.line.set_markevery(max(1, len(coords[0]) // MAX_PATH_MARKERS))
    if mark is not None and not is3d:  # the note sits on the side of the X facing the middle of the view
        x, y = float(mark[0][0]), float(mark[1][0])
        right, up = x < box[0].mean(), y < box[1].mean()
        p.note.xy = (x, y)
        p.note.xyann = (10 if right else -10, 10 if up else -10)
        p.note.set_horizontalalignment("left" if right else "right")
        p.note.set_verticalalignment("bottom" if up else "top")
    p.note.set_visible(mark is not None)


def plot_paths(
    trajs: Trajs, ax: Axes | None = None, *, labels: Sequence[str] | None = None,
    colors: Sequence[str] | None = None, bounds: Any = None, legend: bool | str = True, markersize: float = 3,
) -> list[Path2D]:
    """Draw one or many 2-D runs: start square, path, end dot, X where a run diverged.

    ``trajs`` is a Trajectory (every run of its batch is drawn), a list of them or a dict
    label -> Trajectory; an :class:`~gdviz.search.Annealing` record is drawn the same way,
    its path joining the current points (accepted moves; it never diverges). On a 3-D axes
    the paths are drawn on the surface at height f.
    The view is set to the objective's bounds (or ``bounds``), so a diverged run does not
    zoom the landscape away; its X sits where it left the view, and its legend entry says
    "(diverged)".
    """
    runs = _runs(trajs, labels)
    objective = runs[0].objective
    _need_dim(objective, 2, "plot_paths", "plot_descent_1d")
    ax = _axes(ax)
    is3d = ax.name == "3d"
    box = np.array(_as_bounds(objective.bounds if bounds is None else bounds, 2))
    ax.set_xlim(*box[0])
    ax.set_ylim(*box[1])
    if is3d:
        ax.computed_zorder = False  # paths stay in front of the surface
    else:
        _labels_2d(ax, objective)
    drawn = []
    for i, run in enumerate(runs):
        c = _color(i, colors)
        label = run.label + (" (diverged)" if run.diverged_at >= 0 else "")
        kw = {"zorder": 10} if is3d else {"zorder": 4, "path_effects": _HALO}
        dim = 3 if is3d else 2
        nothing = [[]] * dim
        (line,) = ax.plot(*nothing, "-o", color=c, lw=1.8, ms=markersize, label=label, **kw)
        (start,) = ax.plot(*nothing, "s", color=c, ms=9, mec="white", mew=1.2, zorder=11)
        (end,) = ax.plot(*nothing, "o", color=c, ms=9, mec="white", mew=1.2, zorder=11)
        (div,) = ax.plot(*nothing, "X", color=DIVERGED_COLOR, ms=15, mec="white", mew=1.5, zorder=12, clip_on=False)
        div.set_in_layout(False)
        note = ax.annotate("diverged", (0, 0), xytext=(8, 8), textcoords="offset points", color=DIVERGED_COLOR,
                           fontweight="bold", zorder=12, annotation_clip=False,
                           bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1})
        note.set_in_layout(False)
        if is3d:
            note.set_text("")
        p = Path2D(line, start, end, div, label, note)
        _set_run_artists(p, run, box, is3d)
        drawn.append(p)
    _legend(ax, legend, len(runs))
    return drawn


def update_paths(drawn: Sequence[Path2D], trajs: Trajs) -> list[Path2D]:
    """Show new runs with the artists of :func:`plot_paths` (the same number of runs).

    Legend texts are not changed; the returned list carries the new runs' labels.
    """
    runs = _runs(trajs)
    if len(runs) != len(drawn):
        raise ValueError(f"trajs: the figure shows {len(drawn)} runs, got {len(runs)}")
    out = []
    for p, run in zip(drawn, runs, strict=True):
        ax = p.line.axes
        is3d = ax.name == "3d"
        box = np.array([ax.get_xlim(), ax.get_ylim()]) if not is3d else np.array([ax.get_xlim3d(), ax.get_ylim3d()])
        _set_run_artists(p, run, np.sort(box, axis=1), is3d)
        out.append(p._replace(label=run.label + (" (diverged)" if run.diverged_at >= 0 else "")))
    return out


def mark_extrema(
    objective: Objective, ax: Axes | None = None, *, minima: bool = True, maxima: bool = True,
    saddles: bool = True,
) -> Extrema:
    """Mark the objective's known minima (triangles down), maxima (up) and saddles (diamonds).

    In 1-D at (x, f(x)); in 2-D at (x, y) (on a 3-D axes at (x, y, f)).
    """
    ax = _axes(ax)
    is3d = ax.name == "3d"

    def draw(points: Sequence[Any], marker: str, label: str) -> PathCollection | None:
        if not points:
            return None
        if objective.dim == 1:
            cols = [[p.x for p in points], [p.f for p in points]]
        else:
            cols = [[p.x[0] for p in points], [p.x[1] for p in points]]
            if is3d:
                cols.append([p.f for p in points])
        return ax.scatter(*cols, marker=marker, s=70, facecolor="white", edgecolor="#555555", linewidth=1.3,
                          zorder=8, label=label)

    return Extrema(
        draw(objective.minima, "v", "minimum") if minima else None,
        draw(objective.maxima, "^", "maximum") if maxima else None,
        draw(objective.saddles, "D", "saddle") if saddles else None,
    )


# --------------------------------------------------------------------------- histories

_WHATS = ("x", "grad", "f", "lr")
#: Axis labels of the x axes a history can use (see :func:`plot_history`).
_CLOCKS = {"epoch": "epoch", "update": "update", "step": "step", "grad_evals": "gradient evaluations"}


def _history(
    run: _Run, what: str, log: bool, x: str | None = None,
) -> tuple[np.ndarray, list[tuple[str, np.ndarray]], str]:
    """Positions on the x axis ``x`` (the run's own clock by default), [(suffix, values)] and the y label."""
    obj = run.objective
    loss = "L" if isinstance(obj, LeastSquares) else "f"  # notebook 07 calls a loss on data L
    if what in ("grad", "lr") and run.grad is None:
        raise ValueError(f"what: {what!r} is not recorded by simulated annealing, which uses no gradient and no "
                         "learning rate; plot 'x' or 'f', and its temperature with plot_annealing_schedule")
    if what == "x":
        t = np.arange(len(run.x))
        if obj.dim == 1:
            series, ylabel = [("", run.x.astype(float))], f"position {obj.variable_names[0]}"
        else:
            series = [(f" ({v})", run.x[:, i].astype(float)) for i, v in enumerate(obj.variable_names)]
            ylabel = "position"
    elif what == "grad":
        t = np.arange(len(run.grad))
        if obj.dim == 1:
            v = obj.variable_names[0]
            values, ylabel = (np.abs(run.grad), f"|f'({v})|") if log else (run.grad.astype(float), f"f'({v})")
        else:
            values, ylabel = np.linalg.norm(run.grad, axis=-1), f"|∇{loss}|"
        series = [("", values)]
    elif what == "f":
        t = np.arange(len(run.f))
        values, ylabel = run.f.astype(float), loss
        best = obj.global_minimum
        if log and best is not None:
            values, ylabel = run.f - best.f, f"{loss} - {loss}*"
        series = [("", values)]
    elif what == "lr":
        t = np.arange(len(run.lr))
        series, ylabel = [("", run.lr.astype(float))], "learning rate"
    else:
        raise ValueError(f"what: expected one of {_WHATS}, got {what!r}")
    clock = x or run.clock
    if clock not in run.time:
        raise ValueError(f"x: expected one of {list(run.time)} for {run.label}, got {clock!r} "
                         "('update' and 'grad_evals' need a DataTrajectory from gdviz.data.descend_data)")
    t = run.time[clock][: len(t)]  # rates are per step: row t's rate moves x_t to x_{t+1}
    cut = len(t)
    if run.diverged_at >= 0:  # rows from the blow-up on are frozen copies (or a rate of 0)
        cut = run.diverged_at - 1 if what == "lr" else run.diverged_at
    out = []
    for suffix, values in series:
        values = values.copy()
        values[max(cut, 0):] = np.nan
        if log:
            with np.errstate(invalid="ignore"):
                values = np.where(values > 0, np.maximum(values, 1e-16), np.nan)
        out.append((suffix, values))
    return t, out, ylabel


def _set_history(line: Line2D, t: np.ndarray, values: np.ndarray, diverged: bool) -> None:
    line.set_data(t, values)
    ok = np.flatnonzero(np.isfinite(values))
    if diverged and ok.size:
        line.set_marker("X")
        line.set_markevery([int(ok[-1])])
    else:
        line.set_marker("None")


def _clock_of(runs: Sequence[_Run], x: str | None) -> str:
    """The x axis the runs share: ``x``, or their own clock when they agree ("step", the row, when not)."""
    if x is not None:
        return x
    clocks = {r.clock for r in runs}
    return clocks.pop() if len(clocks) == 1 else "step"


def _epochs_on_top(ax: Axes, runs: Sequence[_Run]) -> Axes | None:
    """A secondary x axis in epochs over one in gradient evaluations (every epoch costs n of them)."""
    sizes = {r.n_samples for r in runs}
    if len(sizes) != 1 or 0 in sizes or any(a.get_xlabel() == "epochs" for a in ax.child_axes):
        return None  # drawn once per axes, however many calls share it
    n = float(sizes.pop())
    top = ax.secondary_xaxis("top", functions=(lambda g: g / n, lambda e: e * n))
    top.set_xlabel("epochs")
    return top


def plot_history(
    trajs: Trajs, what: str = "f", ax: Axes | None = None, *, log: bool = False,
    labels: Sequence[str] | None = None, colors: Sequence[str] | None = None, legend: bool | str = True,
    x: str | None = None,
) -> list[Line2D]:
    """One quantity against the epoch, one line per run (one per coordinate for "x" in n-D).

    ``what``: "x" (position), "grad" (f'(x) in 1-D, the gradient norm in n-D), "f" (loss)
    or "lr" (the rate used at each step). ``log=True`` uses a log axis, of |f'| for "grad"
    and of f - f* for "f" when the global minimum f* is known (L - L* for a loss on data).
    A diverged run stops where it blew up, with an X on its last point and "(diverged)" in
    its label.

    The x axis (``x``) is each record's own clock by default: the epoch of a Trajectory, the
    update of a :class:`~gdviz.data.DataTrajectory` (one row per update, ``updates_per_epoch``
    of them per epoch) and the step of an :class:`~gdviz.search.Annealing` record (which has
    only "x" and "f": no gradient, no learning rate). For data runs ``x="epoch"`` puts update
    u at ``u / updates_per_epoch`` and ``x="grad_evals"`` at the per-sample gradients computed
    so far, with the matching epochs on a second axis at the top.

    >>> import gdviz as gd
    >>> loss = gd.data.LeastSquares(gd.data.make_linear(n=20, seed=0))
    >>> run = gd.data.descend_data(loss, [0.0, 0.0], lr=0.1, epochs=2, batch_size=5)
    >>> (line,) = plot_history(run, "f", x="grad_evals", log=True)
    >>> line.get_xdata()[:3].tolist(), line.axes.get_xlabel(), line.axes.get_ylabel()
    ([0.0, 5.0, 10.0], 'gradient evaluations', 'L - L*')
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    if what not in _WHATS:
        raise ValueError(f"what: expected one of {_WHATS}, got {what!r}")
    runs = _runs(trajs, labels)
    clock = _clock_of(runs, x)
    ax = _axes(ax)
    lines = []
    ylabel = ""
    for i, run in enumerate(runs):
        t, series, ylabel = _history(run, what, log, clock)
        diverged = run.diverged_at >= 0
        for k, (suffix, values) in enumerate(series):
            label = run.label + suffix + (" (diverged)" if diverged else "")
            (line,) = ax.plot([], [], color=_color(i, colors), ls=("-", "--", ":")[k % 3], lw=1.8, ms=11,
                              mec="white", label=label)
            _set_history(line, t, values, diverged)
            lines.append(line)
    if log:
        ax.set_yscale("log")
    if what in ("x", "grad") and not log:
        ax.axhline(0.0, color=NEUTRAL, lw=0.8, zorder=1)
    ax.relim()
    ax.autoscale_view()
    ax.set_xlabel(_CLOCKS[clock])
    ax.set_ylabel(ylabel)
    if clock == "grad_evals":
        _epochs_on_top(ax, runs)
    _legend(ax, legend, len(lines))
    return lines


def update_history(
    lines: Sequence[Line2D], trajs: Trajs, what: str = "f", *, log: bool = False, x: str | None = None,
) -> list[Line2D]:
    """Show new runs with the lines of :func:`plot_history` and rescale the axes."""
    runs = _runs(trajs)
    clock = _clock_of(runs, x)
    pairs = []
    for run in runs:
        t, series, _ = _history(run, what, log, clock)
        pairs += [(t, values, run.diverged_at >= 0) for _, values in series]
    if len(pairs) != len(lines):
        raise ValueError(f"trajs: the figure has {len(lines)} lines, the runs give {len(pairs)}")
    for line, (t, values, diverged) in zip(lines, pairs, strict=True):
        _set_history(line, t, values, diverged)
    if lines:
        ax = lines[0].axes
        ax.relim()
        ax.autoscale_view()
    return list(lines)


def plot_histories(
    trajs: Trajs, whats: Sequence[str] = ("x", "grad"), axes: Sequence[Axes] | None = None, *,
    log: bool | Sequence[str] = False, labels: Sequence[str] | None = None, legend: bool | str = True,
    x: str | None = None,
) -> dict[str, list[Line2D]]:
    """Several :func:`plot_history` panels side by side; the legend is drawn once.

    ``log`` is True/False for every panel or the names of the panels to draw on a log axis;
    ``x`` is the x axis of every panel (see :func:`plot_history`).
    """
    if axes is None:
        _, axes = plt.subplots(1, len(whats), figsize=(4.4 * len(whats), 3.6), squeeze=False)
        axes = list(axes[0])
    if len(axes) != len(whats):
        raise ValueError(f"axes: expected {len(whats)} axes (one per panel), got {len(axes)}")
    out = {}
    for k, (what, ax) in enumerate(zip(whats, axes, strict=True)):
        use_log = log if isinstance(log, bool) else what in log
        out[what] = plot_history(trajs, what, ax, log=use_log, labels=labels, legend=legend if k == 0 else False,
                                 x=x)
    return out


def plot_state(
    traj: Trajectory, quantity: str | Any, ax: Axes | None = None, *, label: str | None = None,
    color: str | None = None, coordinate: int | None = None, scale: str = "linear", ylabel: str | None = None,
    first: int = 0,
) -> list[Line2D]:
    """An optimizer's internal state, or anything computed from it, against the epoch.

    ``traj`` comes from ``descend(..., keep_state=True)`` (one run). ``quantity`` is the name
    of a state field ("v" for momentum's velocity, "G", "E", "m", ...) or a function of the
    trajectory returning one row per step, such as AdaGrad's effective rate
    ``lambda run: lr / np.sqrt(run.state.G + eps)``. In n-D each coordinate gets a line
    (solid, dashed, dotted, ...), or only ``coordinate``. Without ``color`` the coordinates
    take the palette's colours; with it, every line of this call shares it, so several calls
    can share one axes. ``scale`` is "linear", "log" or "symlog" for the y axis. ``first=1``
    leaves out row 0, the optimizer's initial state (zeros, for most of them).
    """
    if traj.state is None or traj.batch_shape:
        raise ValueError("traj: expected one run recorded with descend(..., keep_state=True)")
    if isinstance(quantity, str):
        if quantity not in traj.state._fields:
            raise ValueError(f"quantity: {type(traj.state).__name__} has the fields {traj.state._fields}, "
                             f"not {quantity!r}")
        values, name = getattr(traj.state, quantity), quantity
    else:
        values, name = quantity(traj), "value"
    values = np.asarray(values, dtype=float)
    values = values.reshape(len(values), -1)
    names = traj.objective.variable_names if values.shape[1] == traj.objective.dim else [""] * values.shape[1]
    columns = range(values.shape[1]) if coordinate is None else [coordinate]
    ax = _axes(ax)
    epochs = np.arange(len(values))[first:]
    values = values[first:]
    lines = []
    for k, i in enumerate(columns):
        prefix = label or (name if isinstance(quantity, str) else "")
        text = " ".join(part for part in (prefix, f"({names[i]})" if values.shape[1] > 1 else "") if part)
        (line,) = ax.plot(epochs, values[:, i], color=color or COLORS[k % len(COLORS)],
                          ls=("-", "--", ":", "-.")[k % 4] if color else "-", lw=1.8, label=text or None)
        lines.append(line)
    if scale == "linear":
        ax.axhline(0, color=NEUTRAL, lw=0.8)
    else:
        ax.set_yscale(scale)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel or name)
    _legend(ax, True, len(ax.get_lines()))
    return lines


# --------------------------------------------------------------------------- sweeps


def _sweep_value(result: SweepResult, value: str | None) -> tuple[str, np.ndarray]:
    dim = result.objective.dim
    value = value or ("x" if dim == 1 else "f")
    if value == "f":
        return value, np.asarray(result.f, dtype=float)
    if value == "x" and dim == 1:
        return value, np.asarray(result.x, dtype=float)
    raise ValueError(f"value: expected 'f'{' or x' if dim == 1 else ''} for a {dim}-D objective, got {value!r}")


def _axis_values(result: SweepResult, name: str) -> np.ndarray:
    if name == "lr":
        return np.asarray(result.lr, dtype=float).ravel()
    if name == "epochs":
        return np.asarray(result.epochs, dtype=float).ravel()
    return np.asarray(result.x0, dtype=float).ravel()


def plot_sweep(
    result: SweepResult, ax: Axes | None = None, *, value: str | None = None, against: str | None = None,
    legend: bool | str = True, colors: Sequence[str] | None = None, label: str | None = None,
) -> Sweep:
    """Final value ("x" or "f") against the start, the learning rate or the epochs.

    ``against`` defaults to "lr" when rates were swept, else "x0". The other axes of the
    grid give one line each. Diverged runs leave a gap in their line and an X at the top
    edge above their position. Known minima (value "x") or minimum values ("f") are dotted.
    To overlay several sweeps on one axes, give each its own ``colors`` and ``label``.
    """
    value, data = _sweep_value(result, value)
    dims = list(result.dims)
    against = against or ("lr" if "lr" in dims else "x0" if "x0" in dims else "epochs")
    if dims.count(against) != 1 or (against == "x0" and result.objective.dim != 1):
        raise ValueError(f"against: expected one axis of the sweep {tuple(dims)} with one value per point; "
                         f"got {against!r} (for a 2-D grid of starts use plot_basins)")
    axis = dims.index(against)
    xs = _axis_values(result, against)
    data = np.moveaxis(data, axis, 0).reshape(len(xs), -1)
    div = np.moveaxis(np.asarray(result.diverged), axis, 0).reshape(len(xs), -1)
    others = [d for d in dims if d != against]
    combos = list(np.ndindex(*[data.shape[1]])) if others else [(0,)]
    ax = _axes(ax)
    top = blended_transform_factory(ax.transData, ax.transAxes)
    lines, marks = [], []
    other_values = [_axis_values(result, d) for d in others]
    for j, _ in enumerate(combos):
        line_label = label
        if others:
            idx = np.unravel_index(j, [len(v) for v in other_values])
            grid_label = ", ".join(f"{d}={v[i]:.3g}" for d, v, i in zip(others, other_values, idx, strict=True))
            line_label = grid_label if label is None else f"{label}: {grid_label}"
        ys = np.where(div[:, j], np.nan, data[:, j])
        # every run is one point; the joining line only guides the eye
        (line,) = ax.plot(xs, ys, "-o" if len(xs) <= 200 else "-", color=_color(j, colors), lw=1.2, ms=3.5,
                          label=line_label)
        (mark,) = ax.plot(xs[div[:, j]], np.full(int(div[:, j].sum()), 0.96), "X", color=DIVERGED_COLOR, ms=8,
                          transform=top, clip_on=False, zorder=5)
        mark.set_in_layout(False)  # marks outside the axes must not squeeze a constrained layout
        lines.append(line)
        marks.append(mark)
    if value == "x":
        for m in result.objective.minima:
            ax.axhline(m.x, color=NEUTRAL, ls=":", lw=1)
    elif result.objective.global_minimum is not None:
        ax.axhline(result.objective.global_minimum.f, color=NEUTRAL, ls=":", lw=1)
    if against == "lr" and _log_spaced(xs):
        ax.set_xscale("log")
    ax.set_xlabel({"lr": "learning rate", "x0": "start x0", "epochs": "epochs"}[against])
    ax.set_ylabel(f"final {value}")
    if np.any(div):
        ax.plot([], [], "X", color=DIVERGED_COLOR, ms=8, label="diverged")
    _legend(ax, legend if (others or np.any(div) or label is not None) else False, len(lines) + 1)
    return Sweep(lines, marks)


def plot_step_ratio(result: SweepResult, ax: Axes | None = None, *, x_star: float | None = None) -> StepRatio:
    """The contraction factor of one step, measured, against the learning rate.

    ``result`` is a sweep of a 1-D objective from one start over many rates with
    ``epochs=1``. Each point is (x_1 - x*) / (x_0 - x*); the dashed line is the factor
    1 - lr f''(x*) that a quadratic predicts, and the shaded band |factor| < 1 is where a
    step moves closer to x* (notebook 01).
    """
    if result.objective.dim != 1 or result.dims != ("lr",) or np.ndim(result.epochs) != 0 or result.epochs != 1:
        raise ValueError("result: expected gd.sweep(f, x0=<one start>, lr=<rates>, epochs=1) on a 1-D objective")
    if x_star is None:
        best = result.objective.global_minimum
        if best is None:
            raise ValueError("x_star: this objective has no known minimum; pass x_star=")
        x_star = float(best.x)
    x0 = float(result.x0)
    if x0 == x_star:
        raise ValueError("result: the sweep starts at x*, so there is no distance to shrink")
    lr = np.asarray(result.lr, dtype=float).ravel()
    factor = (np.asarray(result.x, dtype=float).ravel() - x_star) / (x0 - x_star)
    ax = _axes(ax)
    band = ax.axhspan(-1, 1, color=COLORS[2], alpha=0.15, lw=0, label="|factor| < 1: closer every step")
    ax.axhline(0, color=NEUTRAL, lw=1)
    curvature = float(result.objective.hessian(x_star))
    (measured,) = ax.plot(lr, factor, "o", ms=5, mfc="none", color=COLORS[0], label="measured (x1 - x*) / (x0 - x*)")
    (theory,) = ax.plot(lr, 1 - lr * curvature, "-", color=COLORS[1], lw=1.2, label="1 - lr f''(x*)", zorder=3)
    top = blended_transform_factory(ax.transData, ax.transAxes)
    for rate, text in ((1 / curvature, "1/f'': one step"), (2 / curvature, "2/f'': the edge")):
        if curvature > 0 and lr.min() <= rate <= lr.max():
            ax.axvline(rate, color=NEUTRAL, ls=":", lw=1)
            ax.text(rate, 0.98, f" {text}", transform=top, va="top", ha="left", fontsize="small", color=NEUTRAL)
    ax.set_xlabel("learning rate")
    ax.set_ylabel("contraction factor of one step")
    ax.set_xlim(lr.min(), lr.max())
    ax.set_ylim(min(-1.6, np.nanmin(factor) - 0.1), max(1.2, np.nanmax(factor) + 0.1))
    _legend(ax, True, 3)
    return StepRatio(measured, theory, band)


def _log_spaced(values: np.ndarray) -> bool:
    """Are these values spaced evenly on a log scale rather than a linear one?

    np.geomspace rates read best on a log axis, np.linspace rates on a linear one,
    whatever range they span.
    """
    v = np.unique(np.asarray(values, dtype=float).ravel())
    if v.size < 3 or v[0] <= 0:
        return False
    spread = lambda d: np.std(d) / abs(np.mean(d))  # noqa: E731
    return bool(spread(np.diff(np.log(v))) < spread(np.diff(v)))


def _edges(values: np.ndarray, log: bool) -> np.ndarray:
    v = np.log(values) if log else values.astype(float)
    if len(v) == 1:
        e = np.array([v[0] - 0.5, v[0] + 0.5]) if not log else np.array([v[0] - 0.35, v[0] + 0.35])
    else:
        mid = (v[1:] + v[:-1]) / 2
        e = np.concatenate([[2 * v[0] - mid[0]], mid, [2 * v[-1] - mid[-1]]])
    return np.exp(e) if log else e


def plot_sweep_heatmap(
    result: SweepResult, ax: Axes | None = None, *, value: str = "f", vmin: float | None = None,
    vmax: float | None = None, colorbar: bool = True, cmap: str | None = None, log: bool = False,
) -> SweepHeatmap:
    """Learning rate (x axis) x epochs (y axis) heat map of the final value; diverged cells grey.

    The mesh's array has shape (epochs, lr): ``mesh.get_array()[i, j]`` is the run with
    ``result.epochs[i]`` and ``result.lr[j]``. The colour range defaults to the runs that
    did not diverge. ``log=True`` (for ``value="f"``) shows f - f* on a logarithmic colour
    scale, which separates "converged" from "nearly diverged" far better.
    """
    value, data = _sweep_value(result, value)
    if log:
        best = result.objective.global_minimum
        if value != "f":
            raise ValueError("log: a logarithmic colour scale is for value='f' only")
        data = np.maximum(data - (best.f if best is not None else 0.0), 1e-16)
    dims = list(result.dims)
    if dims.count("lr") != 1 or dims.count("epochs") != 1 or data.size != result.lr.size * result.epochs.size:
        raise ValueError(f"result: expected a sweep over one axis of rates and several epochs, got dims "
                         f"{tuple(dims)} of shape {data.shape}; call gd.sweep(f, x0, lr=[...], epochs=[...])")
    keep = [dims.index("epochs"), dims.index("lr")]
    order = keep + [i for i in range(data.ndim) if i not in keep]
    C = np.transpose(data, order).reshape(result.epochs.size, result.lr.size)
    div = np.transpose(np.asarray(result.diverged), order).reshape(C.shape)
    C = np.ma.masked_array(C, mask=div | ~np.isfinite(C))
    lr = np.asarray(result.lr, dtype=float).ravel()
    ep = np.asarray(result.epochs, dtype=float).ravel()
    log_lr, log_ep = _log_spaced(lr), _log_spaced(ep)
    ax = _axes(ax)
    shown = C.compressed()
    vmin = vmin if vmin is not None else (float(shown.min()) if shown.size else None)
    vmax = vmax if vmax is not None else (float(shown.max()) if shown.size else None)
    cm = plt.get_cmap(cmap or CMAP).with_extremes(bad=NEUTRAL)
    norm = LogNorm(vmin, vmax) if log else Normalize(vmin, vmax)
    mesh = ax.pcolormesh(_edges(lr, log_lr), _edges(ep, log_ep), C, cmap=cm, norm=norm, shading="flat")
    if log_lr:
        ax.set_xscale("log")
    if log_ep:
        ax.set_yscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("epochs")
    name = ("final f - f*" if result.objective.global_minimum is not None else "final f") if log else f"final {value}"
    cbar = ax.figure.colorbar(mesh, ax=ax, label=name) if colorbar else None
    if div.any():
        ax.legend(handles=[Patch(facecolor=NEUTRAL, label="diverged")], loc="upper left", framealpha=0.85)
    return SweepHeatmap(mesh, cbar)


def plot_basins(
    result: SweepResult, ax: Axes | None = None, *, tol: float = 1e-3, legend: bool | str = True,
) -> Basins:
    """Colour each start by the known minimum its run reached (grey: none of them / diverged).

    ``result`` is a sweep over a grid of starts (``x0`` of shape (ny, nx, 2) from a
    meshgrid, or a 1-D array of starts for a 1-D objective) with one rate and epoch count.
    The image's array is the basin index of :meth:`SweepResult.basins`.
    """
    obj = result.objective
    labels = result.basins(tol)
    x0 = np.asarray(result.x0, dtype=float)
    ax = _axes(ax)
    k = len(obj.minima)
    colors = [NEUTRAL] + [_RUN_COLORS[i % len(_RUN_COLORS)] for i in range(k)]
    cmap, norm = ListedColormap(colors), BoundaryNorm(np.arange(-1.5, k), k + 1)
    if obj.dim == 1:
        if labels.ndim != 1:
            raise ValueError("result: expected a sweep over a 1-D array of starts with one rate and epoch count")
        e = _edges(x0, False)
        image = ax.imshow(labels[None, :], extent=(e[0], e[-1], 0, 1), aspect="auto", cmap=cmap, norm=norm,
                          interpolation="nearest", origin="lower")
        ax.set_yticks([])
        ax.set_xlabel(obj.variable_names[0] + " (start)")
    else:
        if labels.ndim != 2 or x0.shape != (*labels.shape, 2):
            raise ValueError("result: expected a sweep over a (ny, nx, 2) grid of starts (np.stack(np.meshgrid(xs, "
                             "ys), axis=-1)) with one rate and epoch count")
        if np.ptp(x0[0, :, 0]) == 0 and np.ptp(x0[:, 0, 0]) > 0:  # indexing="ij": x runs down the rows
            labels, x0 = labels.T, x0.transpose(1, 0, 2)
        xe, ye = _edges(x0[0, :, 0], False), _edges(x0[:, 0, 1], False)
        image = ax.imshow(labels, extent=(xe[0], xe[-1], ye[0], ye[-1]), origin="lower", aspect="auto", cmap=cmap,
                          norm=norm, interpolation="nearest")
        mark_extrema(obj, ax, maxima=False, saddles=False)
        _labels_2d(ax, obj)
    if not ax.get_title():
        ax.set_title(f"basins of attraction: {obj.name}")
    handles = []
    for i, m in enumerate(obj.minima):
        if np.any(labels == i):
            handles.append(Patch(facecolor=colors[i + 1], label=f"{_fmt(m.x)}, f = {m.f:.3g}"))
    if np.any(labels == -1):
        handles.append(Patch(facecolor=NEUTRAL, label="no known minimum / diverged"))
    leg = None
    if legend and handles:
        leg = ax.legend(handles=handles, title="ends at minimum", loc="upper left" if legend is True else legend,
                        bbox_to_anchor=(1.02, 1.0) if legend is True else None, framealpha=0.9)
    return Basins(image, labels, leg)


# --------------------------------------------------------------------------- animation


def _frames(epochs: int, max_frames: int) -> list[int]:
    return sorted({int(round(s)) for s in np.linspace(0, epochs, max(2, min(epochs + 1, max_frames)))})


def animate(
    trajs: Trajs, ax: Axes | None = None, *, background: bool = True, labels: Sequence[str] | None = None,
    interval: int = 80, max_frames: int = 60, colors: Sequence[str] | None = None,
) -> FuncAnimation:
    """Animate one or several runs moving over their landscape (1-D curve or 2-D contours).

    At most ``max_frames`` frames (steps are subsampled evenly, the last one always shown).
    Render it with :func:`to_html` or :func:`save_gif`; an animation that is never rendered
    makes matplotlib warn when it is deleted.
    """
    runs = _runs(trajs, labels)
    obj = runs[0].objective
    ax = _axes(ax)
    if background:
        if obj.dim == 1:
            plot_function_1d(obj, ax, derivative=False, legend=False)
        else:
            plot_landscape(obj, ax, n=120, colorbar=False)
    if obj.dim == 1 and not background:
        ax.set_xlim(*obj.bounds[0])
    elif obj.dim != 1:
        ax.set_xlim(*obj.bounds[0])
        ax.set_ylim(*obj.bounds[1])
    ax.set_autoscale_on(False)
    box = _view_box(ax)
    pts = [np.column_stack([r.x, r.f]) if obj.dim == 1 else r.x for r in runs]
    artists = []
    for i, run in enumerate(runs):
        first = 2 if obj.dim == 1 and background else 0  # the curve is drawn in the first colour
        c = COLORS[5] if len(runs) == 1 and run.diverged_at >= 0 else _color(i + first, colors)
        style_1d = {"lw": 1.0, "alpha": 0.8} if obj.dim == 1 else {"lw": 1.6, "path_effects": _HALO}
        (trail,) = ax.plot([], [], marker="o", ls="-", color=c, ms=4, label=run.label, zorder=4, **style_1d)
        (head,) = ax.plot([], [], "o", color=c, ms=11, mec="white", mew=1.5, zorder=6)
        (div,) = ax.plot([], [], "X", color=DIVERGED_COLOR, ms=15, mec="white", mew=1.5, zorder=7, clip_on=False)
        div.set_in_layout(False)
        artists.append((trail, head, div))
    counter = ax.text(0.97, 0.96, "", transform=ax.transAxes, ha="right", va="top", zorder=8,
                      bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none"})
    if len(runs) > 1 or labels is not None:
        _legend(ax, "lower left" if obj.dim > 1 else "upper center", len(runs))
    epochs = len(runs[0].x) - 1

    def draw(t: int) -> list[Any]:
        for run, p, (trail, head, div) in zip(runs, pts, artists, strict=True):
            blown = 0 <= run.diverged_at <= t
            upto = min(t, run.diverged_at - 1) if blown else t
            trail.set_data(p[: upto + 1, 0], p[: upto + 1, 1])
            head.set_data(p[upto : upto + 1, 0], p[upto : upto + 1, 1])
            head.set_visible(not blown)
            if blown:
                q = _escape_point(p[: run.diverged_at], box)
                div.set_data([q[0]], [q[1]])
            else:
                div.set_data(np.empty(0), np.empty(0))
        counter.set_text(f"step {t} / {epochs}")
        flat = [a for trio in artists for a in trio]
        return [*flat, counter]

    steps = _frames(epochs, max_frames)
    return FuncAnimation(ax.figure, draw, frames=steps, init_func=lambda: draw(0), interval=interval,
                         blit=False, repeat=True)


def to_html(anim: FuncAnimation, *, close: bool = True) -> str:
    """The animation as self-contained HTML/JavaScript (``anim.to_jshtml()``; no ffmpeg).

    ``close=True`` closes the figure so that the inline backend does not show it again.
    In a notebook: ``IPython.display.HTML(to_html(anim))``.
    """
    html = anim.to_jshtml(default_mode="once")
    fig = getattr(anim, "_fig", None)
    if close and fig is not None:
        plt.close(fig)
    return html


def save_gif(anim: FuncAnimation, path: str | Path, *, fps: float | None = None, dpi: int = 80) -> Path:
    """Write the animation as a GIF with Pillow (no ffmpeg) and return the path."""
    path = Path(path)
    if fps is None:
        fps = 1000.0 / max(1, int(getattr(anim, "_interval", 80)))
    anim.save(path, writer=PillowWriter(fps=fps), dpi=dpi)
    return path


# --------------------------------------------------------------------------- deep networks (notebook 05)


class LayerGradients(NamedTuple):
    """Per-layer gradient magnitudes on a log axis (:func:`plot_layer_gradients`)."""

    line: Line2D  # (layer, norm) with layers 1..L; NaN where a norm is 0 or not finite
    bound: Line2D  # norms[-1] * bound**(L - layer), the per-layer bound traced back; empty without one
    overflow: Line2D  # X marks along the top edge at layers whose norm overflowed (inf or NaN)


def _layer_data(norms: Any, bound: float | None) -> tuple[np.ndarray, ...]:
    norms = np.asarray(norms, dtype=float).ravel()
    if norms.size == 0:
        raise ValueError("norms: expected one gradient norm per layer, got none")
    layers = np.arange(1, norms.size + 1, dtype=float)
    shown = np.where(np.isfinite(norms) & (norms > 0), norms, np.nan)
    bx, by = np.empty(0), np.empty(0)
    if bound is not None and np.isfinite(shown[-1]):
        with np.errstate(under="ignore"):
            traced = shown[-1] * float(bound) ** (norms.size - layers)
        bx, by = layers, np.where(traced > 0, traced, np.nan)
    return layers, shown, bx, by, layers[~np.isfinite(norms)]


def _layer_range(drawn: Sequence[LayerGradients]) -> tuple[tuple[float, float], tuple[float, float] | None]:
    """x limits around every layer and y limits (whole decades, log axis) around every norm drawn."""
    layers = max((len(d.line.get_xdata()) for d in drawn), default=1)
    values = np.concatenate([np.asarray(a.get_ydata(), dtype=float) for d in drawn for a in (d.line, d.bound)])
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:  # an all-overflow run keeps the old y limits
        return (0.5, max(layers, 1) + 0.5), None
    lo, hi = np.log10(values.min()), np.log10(values.max())  # a decade of room on both sides
    return (0.5, max(layers, 1) + 0.5), (10 ** np.floor(lo - 0.3), 10 ** np.ceil(hi + 0.3))


def _layer_limits(ax: Axes, drawn: LayerGradients | Sequence[LayerGradients], grow: bool = False) -> None:
    """Fit the view to the drawn norms; with ``grow`` keep what the view (or a sharey sibling) showed."""
    (x0, x1), ylim = _layer_range([drawn] if isinstance(drawn, LayerGradients) else drawn)
    if grow:
        (a, b), (c, d) = ax.get_xlim(), ax.get_ylim()
        x0, x1 = min(x0, a), max(x1, b)
        ylim = (min(ylim[0], c), max(ylim[1], d)) if ylim is not None else None
    ax.set_xlim(x0, x1)
    if ylim is not None:
        ax.set_ylim(*ylim)


#: Line styles of several networks on one axes: identical curves stay visible, the wide
#: solid line under the narrower dashed and dotted ones.
_LAYER_STYLES = (("-", "o"), ("--", "s"), (":", "^"), ("-.", "D"), ((0, (5, 1.5, 1, 1.5, 1, 1.5)), "v"))


def plot_layer_gradients(
    norms: Any, ax: Axes | None = None, *, label: str | None = None, bound: float | None = None,
    color: str | None = None, legend: bool | str = True,
) -> LayerGradients | dict[str, LayerGradients]:
    """Gradient magnitude against layer index (1 = the first layer, next to the input), log y.

    ``norms`` is what :func:`gdviz.deep.layer_gradient_norms` returns, or a dict label ->
    norms to compare several networks on one axes: each gets its own colour, line style and
    marker, the first drawn widest so that networks with identical gradients still show,
    the limits fit all of them and a legend names them (``legend``); the dict of artists is
    returned. With ``bound`` (e.g. 0.25, the largest slope of the sigmoid) a dashed line
    traces ``norms[-1] * bound**(L - l)`` back from the last layer: the gradient left if
    every layer multiplied it by ``bound``, the 0.25^n of a unit-weight sigmoid chain. Norms
    that overflowed (inf, NaN) get an X at the top edge; zeros (ReLU units all off) leave a gap.

    The view fits the norms; when the axes (or one sharing its y axis, as in
    ``plt.subplots(..., sharey=True)``) already shows data it only grows, so several calls
    or panels keep every line in view.

    >>> import gdviz as gd
    >>> drawn = plot_layer_gradients(gd.deep.layer_gradient_norms(5, 8), bound=0.25)
    >>> drawn.line.get_xdata().tolist(), drawn.line.axes.get_yscale()
    ([1.0, 2.0, 3.0, 4.0, 5.0], 'log')
    >>> nets = {f"{d} layers": gd.deep.layer_gradient_norms(d, 8) for d in (3, 6)}
    >>> drawn = plot_layer_gradients(nets)
    >>> [d.line.get_linestyle() for d in drawn.values()], drawn["6 layers"].line.axes.get_xlim() == (0.5, 6.5)
    (['-', '--'], True)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    if isinstance(norms, Mapping):
        if label is not None or color is not None:
            raise ValueError("label, color: for a dict of networks the keys are the labels and colours are chosen; "
                             "pass one array of norms to set them")
        if not norms:
            raise ValueError("norms: expected one array of norms per network, got an empty dict")
        data = {str(k): _layer_data(v, bound) for k, v in norms.items()}
    else:
        data = {label or "|dL/d input|": _layer_data(norms, bound)}
    ax = _axes(ax)
    grow = any(a.has_data() for a in ax.get_shared_y_axes().get_siblings(ax))
    ax.set_yscale("log")
    top = blended_transform_factory(ax.transData, ax.transAxes)
    many = isinstance(norms, Mapping)
    drawn = {}
    thinner = 2.4 / max(len(data) - 1, 2)  # the first line drawn is the widest (at most 2.4 wider), the last on top
    for i, (name, (layers, shown, bx, by, bad)) in enumerate(data.items()):
        ls, marker = _LAYER_STYLES[i % len(_LAYER_STYLES)] if many else ("-", "o")
        wide = thinner * (len(data) - 1 - i)
        (line,) = ax.plot(layers, shown, ls=ls, marker=marker, color=color or _color(i, None), lw=2 + wide,
                          ms=4 + wide, label=name, zorder=4 + 0.01 * i)
        (ref,) = ax.plot(bx, by, "--", color=NEUTRAL, lw=1.5, zorder=3,
                         label=f"×{bound:g} per layer" if bound is not None else "bound")
        (over,) = ax.plot(bad, np.full(bad.size, 0.97), "X", color=DIVERGED_COLOR, ms=10, mec="white",
                          transform=top, clip_on=False, zorder=6, label="overflow (inf / NaN)")
        over.set_in_layout(False)
        drawn[name] = LayerGradients(line, ref, over)
    _layer_limits(ax, list(drawn.values()), grow)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))  # layers are whole numbers
    ax.set_xlabel("layer (1 = first, next to the input)")
    ax.set_ylabel("gradient norm")
    if not many:
        return next(iter(drawn.values()))
    if legend:
        handles = [d.line for d in drawn.values()]
        handles += [d.bound for d in drawn.values() if d.bound.get_xdata().size][:1]
        handles += [d.overflow for d in drawn.values() if d.overflow.get_xdata().size][:1]
        ax.legend(handles=handles, loc="best" if legend is True else legend, fontsize="small", framealpha=0.85)
    return drawn


def update_layer_gradients(drawn: LayerGradients, norms: Any, *, bound: float | None = None) -> LayerGradients:
    """Show new norms with the artists of :func:`plot_layer_gradients` and refit the limits."""
    layers, shown, bx, by, bad = _layer_data(norms, bound)
    drawn.line.set_data(layers, shown)
    drawn.bound.set_data(bx, by)
    drawn.overflow.set_data(bad, np.full(bad.size, 0.97))
    if bound is not None:
        drawn.bound.set_label(f"×{bound:g} per layer")
    _layer_limits(drawn.line.axes, drawn)
    return drawn


# --------------------------------------------------------------------------- descent on data (notebook 07)

class DataPlot(NamedTuple):
    """A 1-feature data set as points, with fitted lines (:func:`plot_data`)."""

    points: PathCollection  # offsets (x_i, y_i), one per sample
    lines: dict[str, Line2D]  # label -> the line y = w x + b across the view
    notes: list[Text]  # the annotations of single samples


#: Line styles of the fitted lines: lines that nearly coincide stay visible.
_LINE_STYLES = ("-", "--", ":", "-.")


def plot_data(
    data: Dataset | LeastSquares, ax: Axes | None = None, *, lines: Mapping[str, Any] | None = None,
    label: str | None = None, annotate: Mapping[int, str] | None = None, colors: Sequence[str] | None = None,
) -> DataPlot:
    """Scatter a data set with one feature and draw straight lines fitted to it.

    ``data`` is a :class:`~gdviz.data.Dataset` or a :class:`~gdviz.data.LeastSquares` (its
    data are drawn). ``lines`` maps a label to parameters ``(w, b)`` of the line
    ``y = w x + b`` in the data's own units (``loss.solution``, ``run.final``); each line
    spans the view in its own colour and line style, so nearly equal lines stay apart. The
    x view is the range of the inputs plus a margin, y follows the data and the lines.
    ``annotate`` maps a sample index to a note drawn next to that point.

    >>> import gdviz as gd
    >>> loss = gd.data.LeastSquares(gd.data.make_linear(n=30, seed=0))
    >>> drawn = plot_data(loss, lines={"least squares": loss.solution})
    >>> line = drawn.lines["least squares"]
    >>> len(drawn.points.get_offsets()), line.get_xdata().tolist() == list(line.axes.get_xlim())
    (30, True)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    if isinstance(data, LeastSquares):
        data = data.data
    if not isinstance(data, Dataset):
        raise TypeError(f"data: expected a gdviz.data Dataset or LeastSquares, got {type(data).__name__}")
    if data.k != 1:
        raise ValueError(f"data: a scatter needs one feature, {data.name} has {data.k}; plot one column at a time")
    x, y = data.X[:, 0], data.y
    params = {}
    for name, wb in (lines or {}).items():
        wb = np.asarray(wb, dtype=float).ravel()
        if wb.shape != (2,) or not np.all(np.isfinite(wb)):
            raise ValueError(f"lines: expected finite (w, b) for {name!r}, got {wb.tolist()}")
        params[str(name)] = wb
    ax = _axes(ax)
    many = data.n > 50
    points = ax.scatter(x, y, s=14 if many else 30, color=COLORS[0], alpha=0.6 if many else 0.9, zorder=3,
                        label=label or f"data (n = {data.n})")
    lo, hi = float(x.min()), float(x.max())
    pad = 0.05 * (hi - lo) if hi > lo else 1.0
    ends = np.array([lo - pad, hi + pad])
    palette = list(colors) if colors else list(_RUN_COLORS[1:]) + [COLORS[5]]
    drawn = {}
    for i, (name, (w, b)) in enumerate(params.items()):
        (drawn[name],) = ax.plot(ends, w * ends + b, ls=_LINE_STYLES[i % len(_LINE_STYLES)],
                                 color=palette[i % len(palette)], lw=2.4 if i == 0 else 1.6, label=name, zorder=4)
    notes = [ax.annotate(text, (x[i], y[i]), xytext=(12, -18), textcoords="offset points",
                         arrowprops={"arrowstyle": "-", "color": "#555555"}, zorder=5)
             for i, text in (annotate or {}).items()]
    ax.set_xlim(*ends)
    ax.set_xlabel(data.feature_names[0])
    ax.set_ylabel(data.target_name)
    if not ax.get_title():
        ax.set_title(data.name)
    _legend(ax, True, 1 + len(drawn))
    return DataPlot(points, drawn, notes)


_AGAINST = ("epoch", "grad_evals")


def _data_loss(run: Trajectory, against: str, log: bool) -> tuple[np.ndarray, np.ndarray, str]:
    if against not in _AGAINST:
        raise ValueError(f"against: expected one of {list(_AGAINST)}, got {against!r}")
    if not isinstance(run, DataTrajectory):
        raise TypeError("run: expected a DataTrajectory from gdviz.data.descend_data")
    (one,) = _runs(run)
    xs, [(_, values)], ylabel = _history(one, "f", log, against)
    return xs, values, ylabel


def _loss_limits(xs: np.ndarray, values: np.ndarray, log: bool) -> tuple[tuple[float, float], tuple[float, float]]:
    """x and y limits that show a loss curve whole (y in whole decades on a log axis)."""
    xlim = (0.0, max(float(xs[-1]), 1.0))
    finite = values[np.isfinite(values)]
    if finite.size and log:
        lo, hi = np.log10(finite.min()), np.log10(finite.max())
        return xlim, (10 ** np.floor(lo - 0.2), 10 ** np.ceil(hi + 0.2))
    return xlim, (_curve_range(finite) if finite.size else (0.0, 1.0))


def plot_data_loss(
    run: Trajectory, ax: Axes | None = None, *, against: str = "epoch", log: bool = True, color: str | None = None,
    label: str | None = None,
) -> Line2D:
    """The loss after every update of a :func:`gdviz.data.descend_data` run.

    ``against="epoch"`` puts update u at ``u / updates_per_epoch`` (so SGD's n updates fill
    one epoch), ``"grad_evals"`` at the per-sample gradients computed so far, the honest
    measure of work. ``log=True`` shows L - L* on a log axis (the noise floor of SGD shows).
    A diverged run stops where it blew up. Several calls on one axes keep every run in view
    (the limits only grow); :func:`plot_history` with ``x=`` draws a dict of runs in one call.
    """
    xs, values, ylabel = _data_loss(run, against, log)
    ax = _axes(ax)
    shown = ax.has_data()
    before = (ax.get_xlim(), ax.get_ylim())
    if log:
        ax.set_yscale("log")
    (line,) = ax.plot([], [], color=color or COLORS[0], lw=1.5, label=label)
    update_data_loss(line, run, against=against, log=log)
    if shown:  # grow the view to the new run, never shrink it below the runs already drawn
        (x0, x1), (y0, y1) = before
        ax.set_xlim(min(x0, ax.get_xlim()[0]), max(x1, ax.get_xlim()[1]))
        ax.set_ylim(min(y0, ax.get_ylim()[0]), max(y1, ax.get_ylim()[1]))
    ax.set_xlabel(_CLOCKS[against])
    ax.set_ylabel(ylabel)
    return line


def update_data_loss(line: Line2D, run: Trajectory, *, against: str = "epoch", log: bool = True) -> Line2D:
    """Show another run with the line of :func:`plot_data_loss`; the x axis spans the run."""
    xs, values, _ = _data_loss(run, against, log)
    line.set_data(xs, values)
    xlim, ylim = _loss_limits(xs, values, log)
    line.axes.set_xlim(*xlim)
    if np.any(np.isfinite(values)):
        line.axes.set_ylim(*ylim)
    return line


# --------------------------------------------------------------------------- many runs, by outcome (notebook 08)


class Outcomes(NamedTuple):
    """Many runs drawn in two groups: those that reached the global minimum and the rest."""

    hits: LineCollection  # one polyline per run that reached the global minimum
    misses: LineCollection  # one polyline per run that did not
    starts: Line2D  # every run's first point (hollow circles)
    hit_ends: Line2D  # last points of the hits (large dots)
    miss_ends: Line2D  # last points of the misses


#: Colours of :func:`plot_outcomes`: Okabe-Ito blue for success, orange for the rest.
HIT_COLOR, MISS_COLOR = COLORS[0], COLORS[1]


def _draw_outcomes(ax: Axes, paths: np.ndarray, reached: np.ndarray, labels: tuple[str, str]) -> Outcomes:
    hits = LineCollection([], colors=HIT_COLOR, linewidths=1.8, alpha=0.9, zorder=5, label=labels[0])
    misses = LineCollection([], colors=MISS_COLOR, linewidths=1.0, alpha=0.7, zorder=4, label=labels[1])
    ax.add_collection(hits, autolim=False)
    ax.add_collection(misses, autolim=False)
    (starts,) = ax.plot([], [], "o", ms=5, mfc="none", mec="#555555", mew=1.0, zorder=6)
    (hit_ends,) = ax.plot([], [], "o", ms=8, color=HIT_COLOR, mec="white", mew=1.2, zorder=8)
    (miss_ends,) = ax.plot([], [], "o", ms=6, color=MISS_COLOR, mec="white", mew=1.0, zorder=7)
    drawn = Outcomes(hits, misses, starts, hit_ends, miss_ends)
    _set_outcomes(drawn, paths, reached)
    return drawn


def _set_outcomes(drawn: Outcomes, paths: np.ndarray, reached: np.ndarray) -> None:
    """``paths`` (runs, points, 2) in data coordinates; ``reached`` one flag per run."""
    reached = np.asarray(reached, dtype=bool).ravel()
    if reached.size != len(paths):
        raise ValueError(f"reached: expected one flag per run ({len(paths)}), got {reached.size}")
    drawn.hits.set_segments(list(paths[reached]))
    drawn.misses.set_segments(list(paths[~reached]))
    drawn.starts.set_data(paths[:, 0, 0], paths[:, 0, 1])
    drawn.hit_ends.set_data(paths[reached, -1, 0], paths[reached, -1, 1])
    drawn.miss_ends.set_data(paths[~reached, -1, 0], paths[~reached, -1, 1])


def _outcome_paths(objective: Objective, x: Any) -> np.ndarray:
    """Runs ``x`` (steps, runs) in 1-D or (steps, runs, 2) as (runs, steps, 2): (x, f(x)) or (x, y)."""
    x = np.asarray(x, dtype=float)
    if objective.dim == 1 and x.ndim == 2:
        with np.errstate(all="ignore"):
            return np.stack([x.T, objective.value_columns([x.T])], axis=-1)
    if objective.dim == 2 and x.ndim == 3 and x.shape[-1] == 2:
        return np.swapaxes(x, 0, 1)
    want = "(steps, runs)" if objective.dim == 1 else "(steps, runs, 2)"
    raise ValueError(f"x: expected an array of shape {want} for {objective.name}, got shape {x.shape}")


def plot_outcomes(
    objective: Objective, x: Any, reached: Any, ax: Axes | None = None, *, background: bool = True,
    labels: tuple[str, str] = ("reached the global minimum", "did not"),
) -> Outcomes:
    """Many runs on their landscape, the ones that reached the global minimum highlighted.

    ``x`` is a Trajectory's ``x`` for a batch of runs: shape ``(steps, runs)`` for a 1-D
    objective (drawn on the curve at (x, f(x))) or ``(steps, runs, 2)`` (drawn on the plane);
    ``reached`` one flag per run, e.g. from :func:`gdviz.search.reached_global`. With
    ``background=True`` an empty axes first gets the curve or filled contours and the minima.

    >>> import gdviz as gd
    >>> runs = gd.search.random_restarts(gd.functions.sin_gauss, n=6, lr=0.5, epochs=50, seed=0)
    >>> hit = gd.search.reached_global(gd.functions.sin_gauss, runs.final_f)
    >>> drawn = plot_outcomes(gd.functions.sin_gauss, runs.trajectory.x, hit)
    >>> len(drawn.hits.get_segments()) == int(hit.sum()), len(drawn.starts.get_xdata())
    (True, 6)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    paths = _outcome_paths(objective, x)
    ax = _axes(ax)
    if background and not ax.has_data():
        if objective.dim == 1:
            plot_function_1d(objective, ax, derivative=False, legend=False).curve.set_color(NEUTRAL)
        else:
            plot_landscape(objective, ax, colorbar=False, cmap="Greys_r")
            mark_extrema(objective, ax, maxima=False, saddles=False)
    if objective.dim == 1:
        ax.set_xlim(*objective.bounds[0])
    else:
        ax.set_xlim(*objective.bounds[0])
        ax.set_ylim(*objective.bounds[1])
        _labels_2d(ax, objective)
    ax.set_autoscale_on(False)
    drawn = _draw_outcomes(ax, paths, np.asarray(reached), labels)
    if objective.dim == 1:  # on a curve the paths overlap it (and annealing's jumps cut across): keep them faint
        for lines in (drawn.hits, drawn.misses):
            lines.set_alpha(0.35)
            lines.set_linewidth(1.0)
    return drawn


def update_outcomes(drawn: Outcomes, objective: Objective, x: Any, reached: Any) -> Outcomes:
    """Show other runs (any number) with the artists of :func:`plot_outcomes`."""
    _set_outcomes(drawn, _outcome_paths(objective, x), np.asarray(reached))
    return drawn


def plot_outcome_losses(f: Any, reached: Any, ax: Axes | None = None, *, f_star: float | None = None) -> Outcomes:
    """Each run's loss against the step, coloured as in :func:`plot_outcomes`.

    ``f`` has shape ``(steps, runs)``; a dotted line marks ``f_star`` (the global minimum).
    """
    paths = _loss_paths(f)
    ax = _axes(ax)
    if f_star is not None:
        ax.axhline(f_star, color=NEUTRAL, ls=":", lw=1.2, zorder=1)
    ax.set_xlim(0, max(paths.shape[1] - 1, 1))
    ax.set_xlabel("step")
    ax.set_ylabel("f")
    return _draw_outcomes(ax, paths, np.asarray(reached), ("reached", "did not"))


def update_outcome_losses(drawn: Outcomes, f: Any, reached: Any) -> Outcomes:
    """Show other runs with the artists of :func:`plot_outcome_losses`."""
    paths = _loss_paths(f)
    drawn.hits.axes.set_xlim(0, max(paths.shape[1] - 1, 1))
    _set_outcomes(drawn, paths, np.asarray(reached))
    return drawn


def _loss_paths(f: Any) -> np.ndarray:
    f = np.asarray(f, dtype=float)
    if f.ndim != 2:
        raise ValueError(f"f: expected shape (steps, runs), got {f.shape}")
    steps = np.broadcast_to(np.arange(f.shape[0], dtype=float)[:, None], f.shape)
    return np.stack([steps.T, f.T], axis=-1)


class AnnealingSchedule(NamedTuple):
    """Temperature and acceptance of simulated annealing against the step."""

    temperature: Line2D  # (t, T_t) on the log axis of ``ax``
    acceptance: Line2D  # (t, share of proposals accepted) on ``share_axis``
    share_axis: Axes  # the twin axes on the right, from 0 to 1


def plot_annealing_schedule(record: Annealing, ax: Axes | None = None, *, smooth: int = 1) -> AnnealingSchedule:
    """Simulated annealing's temperature (left, log axis) and acceptance (right) against the step.

    Step t judges its proposal at ``record.T[t]``; the acceptance is the share of the batch's
    runs that took their proposal at step t (``record.acceptance_rate``), averaged over the
    last ``smooth`` steps (a single run accepts 0 or 1 times per step, so smooth it).

    >>> import gdviz as gd
    >>> record = gd.search.simulated_annealing(gd.functions.sin_gauss, [4.3] * 50, epochs=30, cooling=0.9)
    >>> drawn = plot_annealing_schedule(record)
    >>> drawn.temperature.get_ydata()[:2].tolist(), drawn.temperature.axes.get_yscale()
    ([1.0, 0.9], 'log')
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    if not isinstance(record, Annealing):
        raise TypeError(f"record: expected an Annealing record from gdviz.search.simulated_annealing, "
                        f"got {type(record).__name__}")
    if isinstance(smooth, bool) or not isinstance(smooth, (int, np.integer)) or smooth < 1:
        raise ValueError(f"smooth: expected a whole number of steps >= 1, got {smooth!r}")
    steps = np.arange(record.epochs)
    rate = np.asarray(record.acceptance_rate, dtype=float)
    total = np.concatenate([[0.0], np.cumsum(rate)])
    first = np.maximum(steps + 1 - smooth, 0)  # the first steps average over what there is
    shown = (total[steps + 1] - total[first]) / (steps + 1 - first)
    ax = _axes(ax)
    ax.set_yscale("log")
    (temperature,) = ax.plot(steps, record.T, color=COLORS[0], lw=2, label="temperature T")
    share_axis = ax.twinx()
    what = "share of proposals accepted" if record.batch_shape else "proposals accepted"
    label = what + (f" (mean of {smooth} steps)" if smooth > 1 else "")
    (acceptance,) = share_axis.plot(steps, shown, color=COLORS[1], lw=1.6, label=label)
    share_axis.set_ylim(0, 1)
    share_axis.set_ylabel(what)
    ax.set_xlim(0, max(record.epochs - 1, 1))
    ax.set_xlabel("step")
    ax.set_ylabel("temperature T")
    if not ax.get_title():
        ax.set_title(f"cooling: T <- {record.cooling:g} T")
    share_axis.legend(handles=[temperature, acceptance], loc="upper right", framealpha=0.85)
    return AnnealingSchedule(temperature, acceptance, share_axis)


def plot_shares(
    shares: Mapping[str, Mapping[str, float]], ax: Axes | None = None, *,
    ylabel: str = "share reaching the global minimum", percent: bool = True, colors: Sequence[str] | None = None,
    legend: bool = True,
) -> list[BarContainer]:
    """A grouped bar chart: ``shares[group][method]``, one group of bars per group, labelled.

    Each method keeps its colour across the groups (the order of first appearance; a
    method missing from a group leaves a gap) and every bar carries its value, as a
    percentage with ``percent=True`` (values are fractions). The y axis runs from 0 (or
    the lowest value) to just above the highest, with room for the labels; the legend sits
    above the axes, in one row. Returns one BarContainer per method.

    >>> bars = plot_shares({"peaks": {"GD": 0.28, "restarts": 0.96}, "Rastrigin": {"GD": 0.01, "restarts": 0.09}})
    >>> [b.get_label() for b in bars], [round(float(r.get_height()), 2) for r in bars[1]]
    (['GD', 'restarts'], [0.96, 0.09])
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    if not isinstance(shares, Mapping) or not shares or not all(isinstance(v, Mapping) for v in shares.values()):
        raise TypeError("shares: expected a non-empty dict group -> dict method -> value")
    groups = list(shares)
    methods = list(dict.fromkeys(m for g in groups for m in shares[g]))
    if not methods:
        raise ValueError("shares: every group is empty; expected at least one method with a value")
    values = np.array([[float(shares[g].get(m, np.nan)) for g in groups] for m in methods])
    ax = _axes(ax)
    width = 0.8 / len(methods)
    palette = list(colors) if colors else list(COLORS)
    fmt = "{:.0%}" if percent else "{:.3g}"
    bars = []
    for i, (method, row) in enumerate(zip(methods, values, strict=True)):
        there = np.isfinite(row)
        where = np.arange(len(groups)) + (i - (len(methods) - 1) / 2) * width
        container = ax.bar(where[there], row[there], width, label=method, color=palette[i % len(palette)],
                           edgecolor="white", linewidth=0.5)
        ax.bar_label(container, fmt=fmt, fontsize="small", padding=1)
        bars.append(container)
    finite = values[np.isfinite(values)]
    lo, hi = min(0.0, float(finite.min())), max(0.0, float(finite.max()))
    room = 0.1 * (hi - lo) if hi > lo else 1.0
    ax.set_ylim(lo - (room if lo < 0 else 0.0), hi + room)
    ax.set_xticks(np.arange(len(groups)), groups)
    ax.set_xlim(-0.5, len(groups) - 0.5)
    ax.set_ylabel(ylabel)
    if percent:
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    if legend:
        ax.legend(ncols=min(len(methods), 6), loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False,
                  fontsize="small")
    return bars
