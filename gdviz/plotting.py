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
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.colorbar import Colorbar
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.quiver import Quiver
from matplotlib.text import Text

from .descent import SweepResult, Trajectory
from .objective import Objective

__all__ = [
    "COLORS", "CMAP", "DIVERGED_COLOR", "style",
    "Grid", "landscape_grid",
    "Function1D", "Descent1D", "Landscape", "Surface", "Path2D", "Extrema", "Sweep", "SweepHeatmap", "Basins",
    "plot_function_1d", "plot_descent_1d", "update_descent_1d",
    "plot_landscape", "plot_surface", "plot_gradient_field", "plot_paths", "update_paths", "mark_extrema",
    "plot_history", "update_history", "plot_histories",
    "plot_sweep", "plot_sweep_heatmap", "plot_basins",
    "animate", "to_html", "save_gif",
]

#: Okabe-Ito colours (blue, orange, green, pink, sky blue, vermillion, yellow, grey); black
#: is replaced by a mid grey so that nothing vanishes on a dark background.
COLORS: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
#: The colour map for landscapes and heat maps: perceptually uniform and colour-blind safe.
CMAP: str = "viridis"
#: Colour of the marks on diverged runs (Okabe-Ito vermillion).
DIVERGED_COLOR: str = "#D55E00"

Trajs = Trajectory | Sequence[Trajectory] | Mapping[str, Trajectory]


@contextlib.contextmanager
def style(**overrides: Any) -> Iterator[None]:
    """The course's look (font sizes, colour cycle, colour map) inside a ``with`` block.

    Global rcParams are restored on exit. Extra keyword arguments are rcParams to set too.
    """
    raise NotImplementedError
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
    diverged: Line2D  # an X at the last finite position; empty when the run did not diverge
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
    diverged: Line2D  # an X where the run blew up; empty when it did not
    label: str


class Extrema(NamedTuple):
    minima: PathCollection | None
    maxima: PathCollection | None
    saddles: PathCollection | None


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


# --------------------------------------------------------------------------- grids


def landscape_grid(objective: Objective, n: int = 200, bounds: Any = None) -> Grid:
    """Sample a 2-D objective on an ``n`` x ``n`` grid over its bounds (one vectorised call)."""
    raise NotImplementedError


# --------------------------------------------------------------------------- 1-D


def plot_function_1d(
    objective: Objective, ax: Axes | None = None, *, derivative: bool = True, bounds: Any = None,
    n: int = 400, extrema: bool = True, legend: bool = True,
) -> Function1D:
    """Draw f (and, dashed, f') over the objective's bounds; mark its known extrema."""
    raise NotImplementedError


def plot_descent_1d(
    traj: Trajectory, ax: Axes | None = None, *, arrows: bool = True, max_arrows: int = 60,
    color: str | None = None, label: str | None = None, curve: bool = True,
) -> Descent1D:
    """Draw a single 1-D run on its curve: points (x_t, f(x_t)) joined by arrows.

    The start is a square, the end a dot; arrows show every step (the first ``max_arrows``),
    so an overshoot across the minimum is visible. A diverged run gets an X at its last
    finite position (clamped into view) and a note; the view stays on the objective's
    bounds. With ``curve=True`` and an empty ``ax`` the function is drawn first.
    """
    raise NotImplementedError


def update_descent_1d(drawn: Descent1D, traj: Trajectory) -> Descent1D:
    """Show another run with the artists of :func:`plot_descent_1d` (for sliders)."""
    raise NotImplementedError


# --------------------------------------------------------------------------- 2-D


def plot_landscape(
    objective: Objective, ax: Axes | None = None, *, kind: str = "contour", n: int = 200, bounds: Any = None,
    levels: int | Sequence[float] = 30, colorbar: bool = True, cmap: str | None = None, grid: Grid | None = None,
) -> Landscape:
    """A 2-D objective as filled contours (``kind="contour"``) or a heat map (``"heatmap"``).

    Pass a precomputed ``grid`` (from :func:`landscape_grid`) to skip the evaluation.
    """
    raise NotImplementedError


def plot_surface(
    objective: Objective, ax: Axes | None = None, *, n: int = 80, bounds: Any = None, cmap: str | None = None,
    alpha: float = 0.85,
) -> Surface:
    """A 2-D objective as a 3-D surface (``ax`` must be a 3-D axes; one is made if None)."""
    raise NotImplementedError


def plot_gradient_field(
    objective: Objective, ax: Axes | None = None, *, n: int = 15, bounds: Any = None, normalize: bool = True,
    color: str = "#999999",
) -> Quiver:
    """Arrows of the negative gradient (the downhill direction) on an ``n`` x ``n`` grid."""
    raise NotImplementedError


def plot_paths(
    trajs: Trajs, ax: Axes | None = None, *, labels: Sequence[str] | None = None,
    colors: Sequence[str] | None = None, bounds: Any = None, legend: bool = True, markersize: float = 4,
) -> list[Path2D]:
    """Draw one or many 2-D runs: start square, path, end dot, X where a run diverged.

    ``trajs`` is a Trajectory (every run of its batch is drawn), a list of them or a dict
    label -> Trajectory. On a 3-D axes the paths are drawn on the surface at height f.
    The view is set to the objective's bounds (or ``bounds``), so a diverged run does not
    zoom the landscape away.
    """
    raise NotImplementedError


def update_paths(drawn: Sequence[Path2D], trajs: Trajs) -> list[Path2D]:
    """Show new runs with the artists of :func:`plot_paths` (same number of runs)."""
    raise NotImplementedError


def mark_extrema(
    objective: Objective, ax: Axes | None = None, *, minima: bool = True, maxima: bool = True,
    saddles: bool = True,
) -> Extrema:
    """Mark the objective's known minima (triangles down), maxima (up) and saddles (x)."""
    raise NotImplementedError


# --------------------------------------------------------------------------- histories


def plot_history(
    trajs: Trajs, what: str = "f", ax: Axes | None = None, *, log: bool = False,
    labels: Sequence[str] | None = None, colors: Sequence[str] | None = None, legend: bool = True,
) -> list[Line2D]:
    """One quantity against iteration, one line per run.

    ``what``: "x" (position; one line per coordinate in n-D), "grad" (f'(x) in 1-D, the
    gradient norm in n-D), "f" (loss) or "lr" (the rate used at each step). ``log=True``
    uses a log axis (of |f'| for "grad", of f - f_min for a loss that goes below zero).
    """
    raise NotImplementedError


def update_history(lines: Sequence[Line2D], trajs: Trajs, what: str = "f", *, log: bool = False) -> list[Line2D]:
    """Show new runs with the lines of :func:`plot_history` and rescale the axes."""
    raise NotImplementedError


def plot_histories(
    trajs: Trajs, whats: Sequence[str] = ("x", "grad"), axes: Sequence[Axes] | None = None, *,
    log: bool | Sequence[str] = False, labels: Sequence[str] | None = None,
) -> dict[str, list[Line2D]]:
    """Several :func:`plot_history` panels side by side; the legend is drawn once."""
    raise NotImplementedError


# --------------------------------------------------------------------------- sweeps


def plot_sweep(
    result: SweepResult, ax: Axes | None = None, *, value: str | None = None, against: str | None = None,
) -> Sweep:
    """Final value ("x" or "f") against the start or the learning rate, one line per other axis."""
    raise NotImplementedError


def plot_sweep_heatmap(
    result: SweepResult, ax: Axes | None = None, *, value: str = "f", vmin: float | None = None,
    vmax: float | None = None, colorbar: bool = True, cmap: str | None = None,
) -> SweepHeatmap:
    """Learning rate (x axis) x epochs (y axis) heat map of the final value; diverged cells grey."""
    raise NotImplementedError


def plot_basins(result: SweepResult, ax: Axes | None = None, *, tol: float = 1e-3, legend: bool = True) -> Basins:
    """Colour each start by the minimum its run reached (grey: none / diverged)."""
    raise NotImplementedError


# --------------------------------------------------------------------------- animation


def animate(
    trajs: Trajs, ax: Axes | None = None, *, background: bool = True, labels: Sequence[str] | None = None,
    interval: int = 80, max_frames: int = 60,
) -> FuncAnimation:
    """Animate one or several runs moving over their landscape (1-D curve or 2-D contours).

    At most ``max_frames`` frames (steps are subsampled evenly, the last one always shown).
    Render it with :func:`to_html` or :func:`save_gif`; an animation that is never rendered
    makes matplotlib warn when it is deleted.
    """
    raise NotImplementedError


def to_html(anim: FuncAnimation, *, close: bool = True) -> str:
    """The animation as self-contained HTML/JavaScript (``anim.to_jshtml()``; no ffmpeg).

    ``close=True`` closes the figure so that the inline backend does not show it again.
    """
    raise NotImplementedError


def save_gif(anim: FuncAnimation, path: str | Path, *, fps: float | None = None, dpi: int = 80) -> Path:
    """Write the animation as a GIF with Pillow and return the path."""
    raise NotImplementedError
