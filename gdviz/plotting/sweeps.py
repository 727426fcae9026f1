"""Sweeps: grids of runs by their final values (notebooks 01-03), basins of attraction (02).

Every helper reads a :class:`~gdviz.SweepResult` from :func:`gdviz.sweep`: final positions
and losses over a grid of starts, rates and epoch counts, with a flag per diverged run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple, cast

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colorbar import Colorbar
from matplotlib.colors import BoundaryNorm, ListedColormap, LogNorm, Normalize
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import blended_transform_factory

from .._checks import as_floats, non_negative, positives
from .._types import ArrayLike, Aspect, Color, Legend
from ..descent import SweepResult
from ..objective import Objective
from ._base import (
    RUN_COLORS,
    add_legend,
    axes_or_new,
    cell_edges,
    equal_aspect,
    fmt,
    labels_2d,
    log_spaced,
    objective_of,
)
from .landscape import mark_extrema
from .style import CMAP, COLORS, DIVERGED_COLOR, NEUTRAL, PALETTE, method_key

__all__ = ["plot_sweep", "plot_step_ratio", "plot_sweep_heatmap", "plot_basins", "step_factors", "regime",
           "plot_step_factors", "update_step_factors"]


class StepRatio(NamedTuple):
    """What :func:`plot_step_ratio` drew."""

    measured: Line2D  # (lr, (x_1 - x*) / (x_0 - x*)) for every rate of the sweep
    theory: Line2D  # 1 - lr f''(x*)
    band: Any  # the shaded band -1 < factor < 1 where descent contracts


class StepFactors(NamedTuple):
    """What :func:`plot_step_factors` drew."""

    bars: Any  # BarContainer: one bar 1 - lr lambda_i per eigen-direction of the Hessian
    values: list[Any]  # the factor written on each bar (Text)
    title: Any  # Text over the axes: the rate and the regime
    eigenvalues: np.ndarray


class Sweep(NamedTuple):
    """What :func:`plot_sweep` drew."""

    lines: list[Line2D]
    diverged: list[Line2D]  # per line, X marks at the top edge where runs diverged


class SweepHeatmap(NamedTuple):
    """What :func:`plot_sweep_heatmap` drew."""

    mesh: Any  # QuadMesh; its array is the plotted value, masked where runs diverged
    colorbar: Colorbar | None
    contours: Any = None  # QuadContourSet of the ``contours`` levels, or None
    budgets: tuple[Line2D, ...] = ()  # one dashed curve lr x epochs = c per ``budgets`` value


class Basins(NamedTuple):
    """What :func:`plot_basins` drew."""

    image: AxesImage  # its array holds the basin index (-1: no known minimum / diverged)
    labels: np.ndarray
    legend: Any


def _sweep_color(result: SweepResult) -> str:
    """The colour of the sweep's optimizer if the result names one (see ``Record``), else blue."""
    key = method_key(getattr(result, "optimizer", None))
    return COLORS[key] if key else PALETTE[0]


def _sweep_value(result: SweepResult, value: str | None) -> tuple[str, np.ndarray]:
    dim = result.objective.dim
    value = value or ("x" if dim == 1 else "f")
    if value == "f":
        return value, np.asarray(result.f, dtype=float)
    if value == "x" and dim == 1:
        return value, np.asarray(result.x, dtype=float)
    best = getattr(result.objective, "global_minimum", None)  # None: none known (or not an Objective)
    if value == "dist" and best is not None:  # |x - x*|: the distance to the known global minimum
        points = np.asarray(result.x, dtype=float).reshape(*np.shape(result.f), -1)
        return value, np.linalg.norm(points - np.asarray(best.x, dtype=float).ravel(), axis=-1)
    raise ValueError(f"value: expected 'f'{', x' if dim == 1 else ''}{' or dist' if best is not None else ''} "
                     f"for a {dim}-D objective{'' if best is not None else ' without a known minimum'}, "
                     f"got {value!r}")


def _axis_values(result: SweepResult, name: str) -> np.ndarray:
    if name == "lr":
        return np.asarray(result.lr, dtype=float).ravel()
    if name == "epochs":
        return np.asarray(result.epochs, dtype=float).ravel()
    return np.asarray(result.x0, dtype=float).ravel()


def plot_sweep(
    result: SweepResult, *, ax: Axes | None = None, value: str | None = None, against: str | None = None,
    legend: Legend = True, colors: Sequence[Color] | None = None, label: str | None = None,
    join: bool | float = True,
) -> Sweep:
    """Final value ("x", "f" or "dist", the distance to the known minimum) against the start,
    the learning rate or the epochs.

    ``against`` defaults to "lr" when rates were swept, else "x0". The other axes of the
    grid give one line each. Diverged runs leave a gap in their line and an X at the top
    edge above their position. Known minima (value "x") or minimum values ("f") are dotted.
    One line takes the colour of the sweep's optimizer when the result names it, several
    lines the palette in turn. To overlay several sweeps on one axes, give each its own
    ``colors`` and ``label``. Every run is one point; ``join`` says which neighbours a line
    joins: all (True), none (False), or those whose values differ by at most ``join`` (a
    number), so that a staircase is not drawn with risers across its jumps.
    """
    if not isinstance(join, bool):
        join = non_negative("join", join)
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
    ax = axes_or_new(ax)
    top = blended_transform_factory(ax.transData, ax.transAxes)
    lines, marks = [], []
    palette = list(colors) if colors else ([_sweep_color(result)] if len(combos) == 1 else list(RUN_COLORS))
    other_values = [_axis_values(result, d) for d in others]
    for j, _ in enumerate(combos):
        line_label = label
        if others:
            idx = np.unravel_index(j, [len(v) for v in other_values])
            grid_label = ", ".join(f"{d}={v[i]:.3g}" for d, v, i in zip(others, other_values, idx, strict=True))
            line_label = grid_label if label is None else f"{label}: {grid_label}"
        ys = np.where(div[:, j], np.nan, data[:, j])
        # every run is one point; the joining line only guides the eye, and a NaN between two points cuts it
        px, py = xs, ys
        if join is not True:
            jumps = np.flatnonzero(~(np.abs(np.diff(ys)) <= (0.0 if join is False else float(join)))) + 1
            px, py = np.insert(xs.astype(float), jumps, np.nan), np.insert(ys, jumps, np.nan)
        style = "-o" if len(xs) <= 200 or join is False else "-"
        (line,) = ax.plot(px, py, style, color=palette[j % len(palette)], lw=1.2, ms=3.5, label=line_label)
        (mark,) = ax.plot(xs[div[:, j]], np.full(int(div[:, j].sum()), 0.96), "X", color=DIVERGED_COLOR, ms=8,
                          transform=top, clip_on=False, zorder=5)
        mark.set_in_layout(False)  # marks outside the axes must not squeeze a constrained layout
        lines.append(line)
        marks.append(mark)
    best = getattr(result.objective, "global_minimum", None)
    if value == "x":
        for m in getattr(result.objective, "minima", ()):
            ax.axhline(m.x, color=NEUTRAL, ls=":", lw=1)
    elif value == "f" and best is not None:
        ax.axhline(best.f, color=NEUTRAL, ls=":", lw=1)
    if against == "lr" and log_spaced(xs):
        ax.set_xscale("log")
    ax.set_xlabel({"lr": "learning rate", "x0": "start x0", "epochs": "epochs"}[against])
    ax.set_ylabel("final |x - x*|" if value == "dist" else f"final {value}")
    if np.any(div):
        ax.plot([], [], "X", color=DIVERGED_COLOR, ms=8, label="diverged")
    add_legend(ax, legend if (others or np.any(div) or label is not None) else False, len(lines) + 1)
    return Sweep(lines, marks)


def plot_step_ratio(result: SweepResult, *, ax: Axes | None = None, x_star: float | None = None) -> StepRatio:
    """The contraction factor of one step, measured, against the learning rate.

    ``result`` is a sweep of a 1-D objective from one start over many rates with
    ``epochs=1``. Each point is (x_1 - x*) / (x_0 - x*); the dashed line is the factor
    1 - lr f''(x*) that a quadratic predicts, and the shaded band |factor| < 1 is where a
    step moves closer to x* (notebook 01).
    """
    if result.objective.dim != 1 or result.dims != ("lr",) or np.ndim(result.epochs) != 0 or result.epochs != 1:
        raise ValueError("result: expected gd.sweep(f, x0=<one start>, lr=<rates>, epochs=1) on a 1-D objective")
    objective = objective_of(result)
    if x_star is None:
        best = objective.global_minimum
        if best is None:
            raise ValueError("x_star: this objective has no known minimum; pass x_star=")
        x_star = float(cast(float, best.x))  # a 1-D objective's minimum is a number
    x0 = float(result.x0)
    if x0 == x_star:
        raise ValueError("result: the sweep starts at x*, so there is no distance to shrink")
    lr = np.asarray(result.lr, dtype=float).ravel()
    factor = (np.asarray(result.x, dtype=float).ravel() - x_star) / (x0 - x_star)
    ax = axes_or_new(ax)
    band = ax.axhspan(-1, 1, color=PALETTE[2], alpha=0.15, lw=0, label="|factor| < 1: closer every step")
    ax.axhline(0, color=NEUTRAL, lw=1)
    curvature = float(objective.hessian(x_star))
    (measured,) = ax.plot(lr, factor, "o", ms=5, mfc="none", color=PALETTE[0], label="measured (x1 - x*) / (x0 - x*)")
    (theory,) = ax.plot(lr, 1 - lr * curvature, "-", color=PALETTE[1], lw=1.2, label="1 - lr f''(x*)", zorder=3)
    top = blended_transform_factory(ax.transData, ax.transAxes)
    for rate, text in ((1 / curvature, "1/f'': one step"), (2 / curvature, "2/f'': the edge")):
        if curvature > 0 and lr.min() <= rate <= lr.max():
            ax.axvline(rate, color=NEUTRAL, ls=":", lw=1)
            ax.text(rate, 0.98, f" {text}", transform=top, va="top", ha="left", fontsize="small", color=NEUTRAL)
    ax.set_xlabel("learning rate")
    ax.set_ylabel("contraction factor of one step")
    ax.set_xlim(lr.min(), lr.max())
    ax.set_ylim(min(-1.6, np.nanmin(factor) - 0.1), max(1.2, np.nanmax(factor) + 0.1))
    add_legend(ax, True, 3)
    return StepRatio(measured, theory, band)


def step_factors(objective: Objective, *, lr: float, at: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues lambda_i of the Hessian at a minimum and gradient descent's factors 1 - lr lambda_i.

    Near a minimum x*, f(x) ~ f(x*) + (x - x*)^T H (x - x*) / 2, so one step of plain
    descent maps the error e = x - x* to (I - lr H) e. Along the i-th eigenvector of H the
    error is multiplied by 1 - lr lambda_i every step: descent converges near x* when every
    |1 - lr lambda_i| < 1, that is for lr < 2 / lambda_max, and zig-zags along direction i
    (factor below 0) once lr > 1 / lambda_i. ``at`` is the minimum (default: the known
    global one). In 1-D the single eigenvalue is f''(x*).

    >>> import gdviz as gd
    >>> lam, q = step_factors(gd.functions.quadratic, lr=0.25)     # f'' = 6
    >>> lam.tolist(), q.tolist()
    ([6.0], [-0.5])
    """
    if at is None:
        best = getattr(objective, "global_minimum", None)
        if best is None:
            raise ValueError("at: this objective has no known minimum; pass at=")
        at = best.x
    h = np.asarray(objective.hessian(np.asarray(at, dtype=float)), dtype=float)
    lam = np.linalg.eigvalsh(h.reshape(objective.dim, objective.dim))
    return lam, 1 - float(lr) * lam


def regime(factor: float) -> str:
    """The behaviour of descent whose distance to x* is multiplied by ``factor`` every step.

    "crawl" (0.9 <= factor < 1: at least 90% of the distance is left after each step),
    "converge" (0 < factor < 0.9), "one step" (factor 0: lands on x*), "bounce" (-1 < factor
    < 0: converges, jumping across x*), "edge" (factor -1: bounces forever), "diverge"
    (|factor| > 1) and "no pull" (factor >= 1: the curvature is not positive).

    >>> [regime(q) for q in (0.94, 0.1, 0.0, -0.8, -1.0, -1.1)]
    ['crawl', 'converge', 'one step', 'bounce', 'edge', 'diverge']
    """
    q = float(factor)
    if abs(q) <= 1e-12:
        return "one step"
    if q >= 1:
        return "no pull"
    if abs(q + 1) <= 1e-12:
        return "edge"
    if q < -1:
        return "diverge"
    return "crawl" if q >= 0.9 else "converge" if q > 0 else "bounce"


def _set_step_factors(drawn: StepFactors, lr: float) -> StepFactors:
    """Heights, value labels and title of the factor bars for rate ``lr`` (the setter of draw and update)."""
    q = 1 - float(lr) * drawn.eigenvalues
    low = drawn.bars.patches[0].axes.get_ylim()[0]
    for bar, text, value in zip(drawn.bars.patches, drawn.values, q, strict=True):
        bar.set_height(max(value, low))  # a bar below the view is drawn to its edge; its label says how far
        bar.set_facecolor(PALETTE[0] if abs(value) < 1 else DIVERGED_COLOR)
        text.set_text(f"{value:.2f}")
        text.set_y(max(value, low + 0.15) + (0.05 if value >= 0 else -0.05))
        text.set_va("bottom" if value >= 0 else "top")
    worst = q[np.argmax(np.abs(q))]
    name = regime(worst)  # beyond the band the error grows near x*: the run cannot settle there
    drawn.title.set_text(f"lr = {float(lr):.3g}: " + ("no convergence to x*" if name == "diverge" else name))
    return drawn


def plot_step_factors(objective: Objective, *, lr: float, ax: Axes | None = None,
                      at: ArrayLike | None = None) -> StepFactors:
    """Bars of the factors 1 - lr lambda_i of plain descent near a minimum, one per eigen-direction.

    The band |factor| < 1 is shaded: a bar inside it (blue) is a direction along which the
    error shrinks every step; a bar below 0 zig-zags, a bar beyond the band (vermillion)
    grows. The title names the regime of the worst direction (:func:`regime`). See
    :func:`step_factors` for the maths; :func:`update_step_factors` moves the bars to another rate.
    """
    lam, _ = step_factors(objective, lr=lr, at=at)
    ax = axes_or_new(ax)
    ax.axhspan(-1, 1, color=PALETTE[2], alpha=0.15, lw=0)
    ax.axhline(0, color=NEUTRAL, lw=1)
    for level in (-1, 1):
        ax.axhline(level, color=NEUTRAL, lw=0.8, ls=":")
    positions = np.arange(len(lam))
    bars = ax.bar(positions, np.zeros(len(lam)), width=0.6, color=PALETTE[0], zorder=3)
    ax.set_xticks(positions, [f"λ{i + 1} = {v:.3g}" for i, v in enumerate(lam)])
    ax.set_xlim(-0.6, len(lam) - 0.4)
    ax.set_ylim(-2.2, 1.6)  # room above the band for the labels of bars near 1
    ax.set_ylabel("factor 1 - lr λ")
    values = [ax.text(float(p), 0, "", ha="center", fontsize="small", zorder=4) for p in positions]
    ax.set_title(" ")  # room for the title, a Text of its own so that a slider can redraw it alone
    title = ax.text(0.5, 1.0, "", transform=ax.transAxes, ha="center", va="bottom", fontsize=12)
    return _set_step_factors(StepFactors(bars, values, title, lam), lr)


def update_step_factors(drawn: StepFactors, lr: float) -> StepFactors:
    """Show the factors of another learning rate with the bars of :func:`plot_step_factors`."""
    return _set_step_factors(drawn, lr)


def plot_sweep_heatmap(
    result: SweepResult, *, ax: Axes | None = None, value: str = "f", vmin: float | None = None,
    vmax: float | None = None, colorbar: bool = True, cmap: str | None = None, log: bool = False,
    contours: Sequence[float] = (), budgets: Sequence[float] = (),
) -> SweepHeatmap:
    """Learning rate (x axis) x epochs (y axis) heat map of the final value; diverged cells grey.

    ``value`` is "f", "x" (1-D) or "dist", the distance |x - x*| to the known global minimum.
    The mesh's array has shape (epochs, lr): ``mesh.get_array()[i, j]`` is the run with
    ``result.epochs[i]`` and ``result.lr[j]``. The colour range defaults to the runs that
    did not diverge. ``log=True`` (for "f" or "dist") uses a logarithmic colour scale, for
    "f" of f - f*: it separates "converged" from "nearly there" far better.

    ``contours`` draws white contour lines of the plotted quantity at those levels (e.g. the
    distances 0.1 and 0.01), ``budgets`` dashed curves lr x epochs = c for each c: where
    what matters is the product of rate and epochs (notebook 03), the two coincide.
    """
    contours = sorted(as_floats("contours", contours).ravel().tolist())
    budgets = positives("budgets", budgets).ravel().tolist() if len(budgets) else []
    value, data = _sweep_value(result, value)
    best = getattr(result.objective, "global_minimum", None)
    if log:
        if value == "x":
            raise ValueError("log: a logarithmic colour scale is for value='f' or 'dist', not 'x'")
        if value == "f":
            data = data - (best.f if best is not None else 0.0)
        data = np.maximum(data, 1e-16)
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
    log_lr, log_ep = log_spaced(lr), log_spaced(ep)
    ax = axes_or_new(ax)
    shown = C.compressed()
    vmin = vmin if vmin is not None else (float(shown.min()) if shown.size else None)
    vmax = vmax if vmax is not None else (float(shown.max()) if shown.size else None)
    cm = plt.get_cmap(cmap or CMAP).with_extremes(bad=NEUTRAL)
    norm = LogNorm(vmin, vmax) if log else Normalize(vmin, vmax)
    mesh = ax.pcolormesh(cell_edges(lr, log_lr), cell_edges(ep, log_ep), C, cmap=cm, norm=norm, shading="flat")
    if log_lr:
        ax.set_xscale("log")
    if log_ep:
        ax.set_yscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("epochs")
    name = "final |x - x*|" if value == "dist" else ("final f - f*" if best is not None
                                                      else "final f") if log else f"final {value}"
    cbar = ax.figure.colorbar(mesh, ax=ax, label=name) if colorbar else None
    drawn_contours = None
    if contours:
        drawn_contours = ax.contour(lr, ep, C, levels=contours, colors="white", linewidths=1.6)
        ax.clabel(drawn_contours, fmt=lambda v: f"{v:g}", fontsize="small")
    curves = []
    for k, c in enumerate(budgets):
        inside = (c / lr >= ep.min()) & (c / lr <= ep.max())  # only where the grid has cells
        (curve,) = ax.plot(lr[inside], c / lr[inside], "--", color=PALETTE[(1, 3)[k % 2]], lw=2,
                           label=f"lr x epochs = {c:g}")
        curves.append(curve)
    if div.any():
        handles = [Patch(facecolor=NEUTRAL, label="diverged"), *curves]
        ax.legend(handles=handles, loc="upper left", framealpha=0.85)
    elif curves:
        ax.legend(handles=curves, loc="upper right", framealpha=0.85)
    return SweepHeatmap(mesh, cbar, drawn_contours, tuple(curves))


def plot_basins(
    result: SweepResult, *, ax: Axes | None = None, tol: float = 1e-3, legend: Legend = True,
    aspect: Aspect | None = None, on_its_way: np.ndarray | None = None,
) -> Basins:
    """Colour each start by the known minimum its run reached (grey: none of them / diverged).

    ``result`` is a sweep over a grid of starts (``x0`` of shape (ny, nx, 2) from a
    meshgrid, or a 1-D array of starts for a 1-D objective) with one rate and epoch count.
    The image's array is the basin index of :meth:`SweepResult.basins`. Starts share the
    unit of the axes, so ``aspect`` None draws them to the same scale when the grid's sides
    are within a factor 4 of each other (pass "auto" or "equal" to choose).

    ``on_its_way`` (booleans, the grid's shape) splits the grey starts: those marked (for
    example, runs that reach a minimum when given more epochs) are drawn light grey as "still
    on its way", the others stay grey as "left for the plain / diverged". The image's array
    holds -2 for them.
    """
    obj = objective_of(result)
    labels = result.basins(tol)
    if on_its_way is not None:
        way = np.asarray(on_its_way, dtype=bool)
        if way.shape != labels.shape:
            raise ValueError(f"on_its_way: expected booleans of the grid's shape {labels.shape}, got {way.shape}")
        labels = np.where((labels == -1) & way, -2, labels)
    x0 = np.asarray(result.x0, dtype=float)
    ax = axes_or_new(ax)
    k = len(obj.minima)
    colors = ["#dddddd", NEUTRAL] + [RUN_COLORS[i % len(RUN_COLORS)] for i in range(k)]
    cmap, norm = ListedColormap(colors), BoundaryNorm(np.arange(-2.5, k), k + 2)
    if obj.dim == 1:
        if labels.ndim != 1:
            raise ValueError("result: expected a sweep over a 1-D array of starts with one rate and epoch count")
        e = cell_edges(x0, False)
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
        xe, ye = cell_edges(x0[0, :, 0], False), cell_edges(x0[:, 0, 1], False)
        image = ax.imshow(labels, extent=(xe[0], xe[-1], ye[0], ye[-1]), origin="lower", aspect="auto", cmap=cmap,
                          norm=norm, interpolation="nearest")
        mark_extrema(obj, ax=ax, maxima=False, saddles=False)
        labels_2d(ax, obj)
        equal_aspect(ax, np.array([[xe[0], xe[-1]], [ye[0], ye[-1]]]), aspect)
    if not ax.get_title():
        ax.set_title(f"basins of attraction: {obj.name}")
    handles = []
    for i, m in enumerate(obj.minima):
        if np.any(labels == i):
            handles.append(Patch(facecolor=colors[i + 2], label=f"{fmt(m.x)}, f = {m.f:.3g}"))
    if np.any(labels == -2):
        handles.append(Patch(facecolor=colors[0], label="still on its way"))
    if np.any(labels == -1):
        grey = "left for the plain / diverged" if on_its_way is not None else "no known minimum / diverged"
        handles.append(Patch(facecolor=NEUTRAL, label=grey))
    leg = None
    if legend and handles:
        leg = ax.legend(handles=handles, title="ends at minimum", loc="upper left" if legend is True else legend,
                        bbox_to_anchor=(1.02, 1.0) if legend is True else None, framealpha=0.9)
    return Basins(image, labels, leg)
