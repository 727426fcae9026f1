"""Paths: runs drawn where they went, on a 1-D curve or on a 2-D landscape (or its surface).

Each plot helper creates its artists empty and fills them with the same setter that its
``update_*`` twin calls when a slider moves, so the first draw and every update agree.
A run is coloured by its method (:func:`~gdviz.plotting.color_of`) unless ``colors`` says
otherwise; a diverged run gets an X where it left the view, in vermillion.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.quiver import Quiver
from matplotlib.text import Annotation, Text

from .._checks import count
from .._types import Bounds, Color, Legend
from ._base import (
    HALO,
    Records,
    Run,
    add_legend,
    axes_of,
    axes_or_new,
    box_of,
    escape_point,
    labels_2d,
    need_dim,
    run_colors,
    runs,
    view_box,
)
from .landscape import plot_function_1d
from .style import DIVERGED_COLOR

if TYPE_CHECKING:
    from mpl_toolkits.mplot3d import Axes3D
    from mpl_toolkits.mplot3d.art3d import Line3D

__all__ = ["Descent1D", "Path2D", "MAX_PATH_MARKERS", "plot_descent_1d", "update_descent_1d", "plot_paths",
           "update_paths"]

#: At most about this many step markers per drawn path.
MAX_PATH_MARKERS = 60


class Descent1D(NamedTuple):
    """A 1-D descent on its curve: the steps as points, arrows between them, start and end."""

    points: Line2D
    arrows: Quiver | None
    start: Line2D
    end: Line2D
    diverged: Line2D  # an X where the run left the view / blew up; empty when it did not
    note: Text  # "diverged at step k", empty otherwise


class Path2D(NamedTuple):
    """One run drawn on a landscape: the path, a square at the start, a dot at the end."""

    line: Line2D
    start: Line2D
    end: Line2D
    diverged: Line2D  # an X where the run left the view / blew up; empty when it did not
    label: str
    note: Annotation  # "diverged" next to the X, empty otherwise


# --------------------------------------------------------------------------- 1-D


def _one_run(traj: Records, label: str | None) -> Run:
    found = runs(traj, None if label is None else [label])
    if len(found) != 1:
        raise ValueError(f"traj: plot_descent_1d draws one run, got {len(found)}; use plot_history for a batch")
    need_dim(found[0].objective, 1, "plot_descent_1d", "plot_paths")
    return found[0]


def _arrows_1d(ax: Axes, run: Run, color: Color, max_arrows: int, uphill: Color | None) -> Quiver | None:
    box = view_box(ax)
    pts = np.column_stack([run.x, run.f])
    last = run.diverged_at - 1 if run.diverged_at >= 0 else len(pts) - 1
    tails, heads = [], []  # a step that stays put (a rejected proposal) gets no arrow
    for t in range(min(last, max_arrows)):
        p, q = pts[t], pts[t + 1]
        if not np.all(np.isfinite(q)) or p[0] == q[0]:
            continue
        if not np.all((p >= box[:, 0]) & (p <= box[:, 1])):
            continue
        tails.append(p)
        heads.append(escape_point(np.array([p, q]), box))  # an arrow leaving the view ends at its edge
    if not tails:
        return None
    tails_a, heads_a = np.array(tails), np.array(heads)
    d = heads_a - tails_a
    colors = [uphill if uphill and dy > 0 else color for dy in d[:, 1]]
    return ax.quiver(tails_a[:, 0], tails_a[:, 1], d[:, 0], d[:, 1], angles="xy", scale_units="xy", scale=1,
                     color=colors, width=0.005, headwidth=4, headlength=5, headaxislength=4.5, alpha=0.9,
                     zorder=3)


def _set_descent_1d(drawn: Descent1D, run: Run, max_arrows: int, uphill: Color | None) -> Descent1D:
    """Fill the artists of a 1-D descent with ``run`` (the one setter of draw and update)."""
    ax = axes_of(drawn.points)
    drawn.points.set_data(run.x, run.f)
    drawn.start.set_data(run.x[:1], run.f[:1])
    drawn.end.set_data(run.x[-1:], run.f[-1:])
    box = view_box(ax)
    points = np.column_stack([run.x, run.f])
    if run.diverged_at < 0:
        end = points[-1]
        inside = np.all((end >= box[:, 0]) & (end <= box[:, 1]))
        text = "" if inside else f"out of view: ends at {run.objective.variable_names[0]} = {end[0]:.3g}"
        drawn.diverged.set_data(np.empty(0), np.empty(0))
    else:
        p = escape_point(points[: run.diverged_at], box) if run.diverged_at > 0 else points[0]
        text = f"diverged at step {run.diverged_at}"
        drawn.diverged.set_data([p[0]], [p[1]])
    drawn.note.set_text(text)
    drawn.note.set_visible(bool(text))
    if drawn.arrows is not None:
        drawn.arrows.remove()
    arrows = _arrows_1d(ax, run, drawn.points.get_color(), max_arrows, uphill) if max_arrows else None
    return drawn._replace(arrows=arrows)


def plot_descent_1d(
    traj: Records, *, ax: Axes | None = None, arrows: bool = True, max_arrows: int = 60, color: Color | None = None,
    label: str | None = None, curve: bool = True, uphill: Color | None = None,
) -> Descent1D:
    """Draw a single 1-D run on its curve: points (x_t, f(x_t)) joined by arrows.

    The start is a square, the end a dot; arrows show the steps (the first ``max_arrows``),
    so an overshoot across the minimum is visible. The run takes its method's colour, or
    vermillion when it diverged, or ``color``. A diverged run gets an X where it leaves the
    view (or blew up) and a note. With ``curve=True`` the function is drawn first and the
    view fixed to its bounds; ``curve=False`` draws onto a curve already there and keeps
    the view as it is.

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
    run = _one_run(traj, label)
    max_arrows = count("max_arrows", max_arrows) if arrows else 0
    ax = axes_or_new(ax)
    if curve:
        plot_function_1d(run.objective, ax=ax, derivative=False, legend=False)
    ax.set_autoscale_on(False)  # the view stays where it is, even when a run flies off
    color = color or (DIVERGED_COLOR if run.diverged_at >= 0 else run_colors([run])[0])
    (points,) = ax.plot([], [], "o", color=color, ms=5, mec="white", mew=0.6, label=run.label, zorder=4)
    if uphill and max_arrows:
        ax.plot([], [], color=uphill, lw=1.5, label="uphill move")  # a legend entry for the coloured arrows
    (start,) = ax.plot([], [], "s", color=color, ms=9, mec="white", mew=1, zorder=5)
    (end,) = ax.plot([], [], "o", color=color, ms=10, mec="white", mew=1.2, zorder=5)
    (div,) = ax.plot([], [], "X", color=DIVERGED_COLOR, ms=14, mec="white", mew=1.2, zorder=6, clip_on=False)
    div.set_in_layout(False)  # an X on the edge may stick out; the layout should not make room for it
    note = ax.text(0.5, 0.96, "", transform=ax.transAxes, ha="center", va="top", color=DIVERGED_COLOR,
                   fontweight="bold", zorder=7, bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none"})
    return _set_descent_1d(Descent1D(points, None, start, end, div, note), run, max_arrows, uphill)


def update_descent_1d(
    drawn: Descent1D, traj: Records, *, arrows: bool = True, max_arrows: int = 60, uphill: Color | None = None,
) -> Descent1D:
    """Show another run with the artists of :func:`plot_descent_1d` (for sliders).

    The artists are filled by the setter the first draw used; the arrows (their number
    changes) are made anew. Returns the artists to use next time.
    """
    max_arrows = count("max_arrows", max_arrows) if arrows else 0
    return _set_descent_1d(drawn, _one_run(traj, None), max_arrows, uphill)


# --------------------------------------------------------------------------- 2-D


def _set_path(p: Path2D, run: Run, box: np.ndarray, is3d: bool) -> Path2D:
    """Fill the artists of one 2-D path with ``run`` (the one setter of draw and update)."""
    stop = run.diverged_at if run.diverged_at >= 0 else len(run.x)
    xy = run.x[: max(stop, 1)]
    coords = [xy[:, 0], xy[:, 1]] + ([run.f[: len(xy)]] if is3d else [])
    mark = None
    if run.diverged_at >= 0:
        q = escape_point(xy, box)
        mark = [q[:1], q[1:2]] + ([run.objective.value_columns([q[:1], q[1:2]])] if is3d else [])
    empty = [np.empty(0) for _ in coords]
    for artist, data in ((p.line, coords), (p.start, [c[:1] for c in coords]), (p.end, [c[-1:] for c in coords]),
                         (p.diverged, mark or empty)):
        if is3d:
            cast("Line3D", artist).set_data_3d(*data)  # plot() on a 3-D axes makes Line3Ds
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
    p.note.set_visible(mark is not None and not is3d)
    return p._replace(label=run.label + (" (diverged)" if run.diverged_at >= 0 else ""))


def plot_paths(
    trajs: Records, *, ax: Axes | None = None, labels: Sequence[str] | None = None,
    colors: Sequence[Color] | None = None, bounds: Bounds | None = None, legend: Legend = True,
    markersize: float = 3,
) -> list[Path2D]:
    """Draw one or many 2-D runs: start square, path, end dot, X where a run diverged.

    ``trajs`` is a Trajectory (every run of its batch is drawn), a list of them or a dict
    label -> Trajectory; an :class:`~gdviz.search.Annealing` record is drawn the same way,
    its path joining the current points (accepted moves; it never diverges). On a 3-D axes
    the paths are drawn on the surface at height f. Runs take their method's colour when
    the records differ by method (see :func:`~gdviz.plotting.color_of`), else the palette
    in turn, or ``colors``.
    The view is set to the objective's bounds (or ``bounds``), so a diverged run does not
    zoom the landscape away; its X sits where it left the view, and its legend entry says
    "(diverged)".
    """
    found = runs(trajs, labels)
    objective = found[0].objective
    need_dim(objective, 2, "plot_paths", "plot_descent_1d")
    ax = axes_or_new(ax)
    is3d = ax.name == "3d"
    box = box_of(objective, bounds)
    ax.set_xlim(*box[0])
    ax.set_ylim(*box[1])
    if is3d:
        cast("Axes3D", ax).computed_zorder = False  # paths stay in front of the surface
    else:
        labels_2d(ax, objective)
    drawn = []
    for run, c in zip(found, run_colors(found, colors), strict=True):
        label = run.label + (" (diverged)" if run.diverged_at >= 0 else "")
        kw = {"zorder": 10} if is3d else {"zorder": 4, "path_effects": HALO}
        nothing: list[list[float]] = [[]] * (3 if is3d else 2)
        (line,) = ax.plot(*nothing, "-o", color=c, lw=1.8, ms=markersize, label=label, **kw)
        (start,) = ax.plot(*nothing, "s", color=c, ms=9, mec="white", mew=1.2, zorder=11)
        (end,) = ax.plot(*nothing, "o", color=c, ms=9, mec="white", mew=1.2, zorder=11)
        (div,) = ax.plot(*nothing, "X", color=DIVERGED_COLOR, ms=15, mec="white", mew=1.5, zorder=12, clip_on=False)
        div.set_in_layout(False)
        note = ax.annotate("diverged", (0, 0), xytext=(8, 8), textcoords="offset points", color=DIVERGED_COLOR,
                           fontweight="bold", zorder=12, annotation_clip=False,
                           bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1})
        note.set_in_layout(False)
        drawn.append(_set_path(Path2D(line, start, end, div, label, note), run, box, is3d))
    add_legend(ax, legend, len(found))
    return drawn


def update_paths(drawn: Sequence[Path2D], trajs: Records) -> list[Path2D]:
    """Show new runs with the artists of :func:`plot_paths` (the same number of runs).

    Legend texts are not changed; the returned list carries the new runs' labels.
    """
    found = runs(trajs)
    if len(found) != len(drawn):
        raise ValueError(f"trajs: the figure shows {len(drawn)} runs, got {len(found)}")
    out = []
    for p, run in zip(drawn, found, strict=True):
        ax = axes_of(p.line)
        is3d = ax.name == "3d"
        if is3d:
            ax3d = cast("Axes3D", ax)
            box = np.array([ax3d.get_xlim3d(), ax3d.get_ylim3d()])
        else:
            box = np.array([ax.get_xlim(), ax.get_ylim()])
        out.append(_set_path(p, run, np.sort(box, axis=1), is3d))
    return out

