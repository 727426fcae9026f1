"""Landscapes: a 1-D curve, a 2-D heat map or contours, a surface, the gradient field, extrema.

Limits and grids come from the objective's ``bounds`` (or ``bounds=``), never from numbers
written here. Maps whose axes share a unit are drawn with equal aspect when the window's
sides are comparable, so a round bowl looks round.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colorbar import Colorbar
from matplotlib.colors import LightSource
from matplotlib.contour import QuadContourSet
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.quiver import Quiver

from .._checks import count, one_of
from .._types import Aspect, Bounds, Color, Legend, Levels
from ..objective import Objective
from ._base import add_legend, axes_or_new, box_of, curve_range, equal_aspect, labels_2d, need_dim
from .style import CMAP, CURVE, NEUTRAL, PALETTE

if TYPE_CHECKING:
    from mpl_toolkits.mplot3d import Axes3D

__all__ = [
    "Grid", "Extrema", "landscape_grid", "plot_function_1d", "plot_landscape", "plot_surface",
    "plot_gradient_field", "mark_extrema",
]


class Grid(NamedTuple):
    """A landscape sampled on a regular grid: ``Z[i, j] = f(X[i, j], Y[i, j])``."""

    X: np.ndarray
    Y: np.ndarray
    Z: np.ndarray


class Function1D(NamedTuple):
    """What :func:`plot_function_1d` drew."""

    curve: Line2D
    derivative: Line2D | None
    extrema: Extrema | None


class Landscape(NamedTuple):
    """What :func:`plot_landscape` drew."""

    mappable: QuadContourSet | AxesImage | None  # filled contours, the heat map, or None (kind="lines")
    lines: QuadContourSet | None  # contour lines over the filled contours, or None
    colorbar: Colorbar | None
    grid: Grid


class Surface(NamedTuple):
    """What :func:`plot_surface` drew."""

    surface: Any  # mpl_toolkits.mplot3d Poly3DCollection
    grid: Grid


class Extrema(NamedTuple):
    """The markers of :func:`mark_extrema` (None for a kind not asked for or not known)."""

    minima: PathCollection | None
    maxima: PathCollection | None
    saddles: PathCollection | None


def landscape_grid(objective: Objective, *, n: int = 200, bounds: Bounds | None = None) -> Grid:
    """Sample a 2-D objective on an ``n`` x ``n`` grid over its bounds (one vectorised call).

    >>> import gdviz as gd
    >>> X, Y, Z = landscape_grid(gd.functions.ravine, n=3)
    >>> X[0].tolist(), Y[:, 0].tolist(), float(Z[1, 1])
    ([-6.0, 0.0, 6.0], [-3.0, 0.0, 3.0], 0.0)
    """
    need_dim(objective, 2, "landscape_grid", "plot_function_1d")
    n = count("n", n, 2)
    (xlo, xhi), (ylo, yhi) = box_of(objective, bounds)
    X, Y = np.meshgrid(np.linspace(xlo, xhi, n), np.linspace(ylo, yhi, n))
    with np.errstate(all="ignore"):
        Z = objective.value_columns([X, Y])
    return Grid(X, Y, Z)


def plot_function_1d(
    objective: Objective, *, ax: Axes | None = None, derivative: bool = True, bounds: Bounds | None = None,
    n: int = 400, extrema: bool = True, legend: Legend = True,
) -> Function1D:
    """Draw f (dark grey) and, dashed, f' over the objective's bounds; mark its known extrema.

    The view is fixed to the bounds and to the range of the drawn curves, so runs drawn
    later on the same axes do not move it.
    """
    need_dim(objective, 1, "plot_function_1d", "plot_landscape or plot_surface")
    ax = axes_or_new(ax)
    ((lo, hi),) = box_of(objective, bounds)
    xs = np.linspace(lo, hi, count("n", n, 2))
    with np.errstate(all="ignore"):
        ys = objective.value_columns([xs])
        gs = objective.grad_columns([xs])[0]
    v = objective.variable_names[0]
    (curve,) = ax.plot(xs, ys, color=CURVE, lw=2, label=f"f({v})", zorder=2)
    deriv = None
    shown = ys
    if derivative:
        ax.axhline(0.0, color=NEUTRAL, lw=0.8, zorder=1)
        (deriv,) = ax.plot(xs, gs, color=PALETTE[1], lw=1.6, ls="--", label=f"f'({v})", zorder=2)
        shown = np.concatenate([ys, gs])
    marks = mark_extrema(objective, ax=ax) if extrema else None
    ax.set_xlim(lo, hi)
    ax.set_ylim(*curve_range(shown))
    ax.set_xlabel(v)
    if not ax.get_title():
        ax.set_title(objective.name)
    add_legend(ax, legend, 4)
    return Function1D(curve, deriv, marks)


def plot_landscape(
    objective: Objective, *, ax: Axes | None = None, kind: str = "contour", n: int = 200,
    bounds: Bounds | None = None, levels: Levels = 30, colorbar: bool = True, cmap: str | None = None,
    grid: Grid | None = None, aspect: Aspect | None = None,
) -> Landscape:
    """A 2-D objective as filled contours (``kind="contour"``), a heat map (``"heatmap"``) or
    contour lines alone (``"lines"``: dark grey, no colour bar, to draw over another map, such
    as the basins of :func:`~gdviz.plotting.plot_basins`, where ``mappable`` is None).

    Pass a precomputed ``grid`` (from :func:`landscape_grid`) to skip the evaluation. The
    heat map's array is ``grid.Z`` (row i at y = ``grid.Y[i, 0]``, origin at the bottom).
    ``aspect`` None draws x and y to the same scale when the window's sides are within a
    factor 4 of each other (a round bowl looks round), else fills the axes; pass "auto" or
    "equal" to choose.
    """
    kind = one_of("kind", kind, ("contour", "heatmap", "lines"))
    ax = axes_or_new(ax)
    grid = grid if grid is not None else landscape_grid(objective, n=n, bounds=bounds)
    X, Y, Z = grid
    Zm = np.ma.masked_invalid(Z)
    cmap = cmap or CMAP
    lines: QuadContourSet | None = None
    mappable: QuadContourSet | AxesImage | None
    if kind == "contour":
        mappable = ax.contourf(X, Y, Zm, levels=levels, cmap=cmap, zorder=0)
        lines = ax.contour(X, Y, Zm, levels=mappable.levels, colors="white", linewidths=0.4, alpha=0.35, zorder=0)
    elif kind == "lines":
        mappable, colorbar = None, False
        lines = ax.contour(X, Y, Zm, levels=levels, colors=CURVE, linewidths=0.7, alpha=0.55, zorder=1)
    else:
        mappable = ax.imshow(Zm, origin="lower", extent=(X[0, 0], X[0, -1], Y[0, 0], Y[-1, 0]), aspect="auto",
                             cmap=cmap, interpolation="nearest", zorder=0)
    box = np.array([[X[0, 0], X[0, -1]], [Y[0, 0], Y[-1, 0]]])
    ax.set_xlim(*box[0])
    ax.set_ylim(*box[1])
    equal_aspect(ax, box, aspect)
    labels_2d(ax, objective)
    if not ax.get_title():
        ax.set_title(objective.name)
    cbar = None
    if colorbar and mappable is not None:
        if ax.get_aspect() == "auto":
            cbar = ax.figure.colorbar(mappable, ax=ax, label="f")
        else:  # a map of true shapes is shorter than its slot: the bar takes the map's height, beside it
            tall = (box[1, 1] - box[1, 0]) / (box[0, 1] - box[0, 0])  # the map's height over its width
            cbar = ax.figure.colorbar(mappable, cax=ax.inset_axes((1 + 0.04 * tall, 0.0, 0.05 * tall, 1.0)),
                                      label="f")
    return Landscape(mappable, lines, cbar, grid)


def plot_surface(
    objective: Objective, *, ax: Axes | None = None, n: int = 80, bounds: Bounds | None = None,
    cmap: str | None = None, alpha: float = 0.9, shade: bool = True,
) -> Surface:
    """A 2-D objective as a 3-D surface (``ax`` must be a 3-D axes; one is made if None).

    ``shade=True`` lights the surface from the upper left (colour by height, brightness by
    slope), so pits and ridges read as shapes rather than as bands of colour. Runs drawn
    afterwards with :func:`~gdviz.plotting.plot_paths` on the same axes lie on the surface.
    """
    ax = axes_or_new(ax, "3d")
    if ax.name != "3d":
        raise ValueError("ax: plot_surface needs a 3-D axes, e.g. fig.add_subplot(projection='3d')")
    ax3d = cast("Axes3D", ax)  # checked just above
    grid = landscape_grid(objective, n=n, bounds=bounds)
    X, Y, Z = grid
    Zm = np.ma.masked_invalid(Z)
    if shade and np.all(np.isfinite(Z)):
        colors = LightSource(azdeg=315, altdeg=45).shade(Z, cmap=plt.get_cmap(cmap or CMAP), blend_mode="soft",
                                                          vert_exag=0.5 * np.ptp(X) / max(np.ptp(Z), 1e-12))
        colors[..., 3] = alpha
        surf = ax3d.plot_surface(X, Y, Zm, facecolors=colors, rstride=1, cstride=1, linewidth=0, antialiased=False,
                               shade=False)
    else:
        surf = ax3d.plot_surface(X, Y, Zm, cmap=cmap or CMAP, rstride=1, cstride=1, linewidth=0, antialiased=False,
                               alpha=alpha)
    ax.set_xlim(X[0, 0], X[0, -1])
    ax.set_ylim(Y[0, 0], Y[-1, 0])
    labels_2d(ax, objective)
    ax3d.set_zlabel("f")
    if not ax.get_title():
        ax.set_title(objective.name)
    return Surface(surf, grid)


def plot_gradient_field(
    objective: Objective, *, ax: Axes | None = None, n: int = 15, bounds: Bounds | None = None,
    normalize: bool = True, color: Color | None = None,
) -> Quiver:
    """Arrows of the negative gradient -∇f (the downhill direction) on an ``n`` x ``n`` grid.

    With ``normalize=True`` every arrow has the same length and shows direction only.
    The default colour is the neutral grey; pass ``color="white"`` over a dark map.
    """
    ax = axes_or_new(ax)
    color = color or NEUTRAL
    X, Y, _ = landscape_grid(objective, n=n, bounds=bounds)
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
    labels_2d(ax, objective)
    return quiver


def mark_extrema(
    objective: Objective, *, ax: Axes | None = None, minima: bool = True, maxima: bool = True,
    saddles: bool = True,
) -> Extrema:
    """Mark the objective's known minima (triangles down), maxima (up) and saddles (diamonds).

    In 1-D at (x, f(x)); in 2-D at (x, y) (on a 3-D axes at (x, y, f)).
    """
    ax = axes_or_new(ax)
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
        look: dict[str, Any] = dict(marker=marker, s=70, facecolor="white", edgecolor="#555555", linewidth=1.3,
                                    zorder=8, label=label)
        return ax.scatter(*cols, **look)  # (x, y) or, on a 3-D axes, (x, y, z)

    return Extrema(
        draw(objective.minima, "v", "minimum") if minima else None,
        draw(objective.maxima, "^", "maximum") if maxima else None,
        draw(objective.saddles, "D", "saddle") if saddles else None,
    )
