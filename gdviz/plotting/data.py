"""Data (notebook 07): a data set with fitted lines, and the loss of a run on data over time."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.text import Annotation

from .._checks import one_of
from .._types import ArrayLike, Color
from ..data import Dataset, LeastSquares
from ._base import RUN_COLORS, Record, add_legend, axes_of, axes_or_new, run_colors, runs
from .history import CLOCKS, history_series
from .style import PALETTE

__all__ = ["DataPlot", "plot_data", "plot_data_loss", "update_data_loss"]


class DataPlot(NamedTuple):
    """A 1-feature data set as points, with fitted lines (:func:`plot_data`)."""

    points: PathCollection  # offsets (x_i, y_i), one per sample
    lines: dict[str, Line2D]  # label -> the line y = w x + b across the view
    notes: list[Annotation]  # the annotations of single samples


#: Line styles of the fitted lines: lines that nearly coincide stay visible.
_LINE_STYLES = ("-", "--", ":", "-.")


def plot_data(
    data: Dataset | LeastSquares, *, ax: Axes | None = None, lines: Mapping[str, ArrayLike] | None = None,
    label: str | None = None, annotate: Mapping[int, str] | None = None, colors: Sequence[Color] | None = None,
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
    data = getattr(data, "data", data)  # a LeastSquares loss carries its data set
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
    ax = axes_or_new(ax)
    many = data.n > 50
    points = ax.scatter(x, y, s=14 if many else 30, color=PALETTE[0], alpha=0.6 if many else 0.9, zorder=3,
                        label=label or f"data (n = {data.n})")
    lo, hi = float(x.min()), float(x.max())
    pad = 0.05 * (hi - lo) if hi > lo else 1.0
    ends = np.array([lo - pad, hi + pad])
    palette = list(colors) if colors else list(RUN_COLORS[1:]) + [PALETTE[5]]
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
    add_legend(ax, True, 1 + len(drawn))
    return DataPlot(points, drawn, notes)


#: The x axes of a loss on data: the epoch (updates spread over it), the update, or the gradient evaluations.
LOSS_CLOCKS = ("epoch", "update", "grad_evals")


def _set_loss(line: Line2D, run: Record, against: str, log: bool) -> str:
    """Fill the loss line with ``run`` (the one setter of draw and update), fit the view; the y label."""
    against = one_of("against", against, LOSS_CLOCKS)
    found = runs(run)
    if len(found) != 1:
        raise ValueError(f"run: expected one run on data, got a batch of {len(found)}")
    [series], ylabel = history_series(found[0], 0, "f", log, against)
    line.set_data(series.t, series.values)
    ax = axes_of(line)
    xs = np.concatenate([np.asarray(a.get_xdata(), dtype=float) for a in ax.get_lines()])
    ys = np.concatenate([np.asarray(a.get_ydata(), dtype=float) for a in ax.get_lines()])
    ys = ys[np.isfinite(ys) & ((ys > 0) if log else True)]
    ax.set_xlim(0.0, max(float(np.nanmax(xs)) if xs.size else 1.0, 1.0))
    if ys.size and log:  # whole decades, with room
        ax.set_ylim(10 ** np.floor(np.log10(ys.min()) - 0.2), 10 ** np.ceil(np.log10(ys.max()) + 0.2))
    elif ys.size:
        pad = 0.06 * (ys.max() - ys.min()) if ys.max() > ys.min() else 1.0
        ax.set_ylim(ys.min() - pad, ys.max() + pad)
    return ylabel


def plot_data_loss(
    run: Record, *, ax: Axes | None = None, against: str = "epoch", log: bool = True, color: Color | None = None,
    label: str | None = None,
) -> Line2D:
    """The loss after every update of a :func:`gdviz.data.descend_data` run.

    ``against="epoch"`` puts update u at ``u / updates_per_epoch`` (so SGD's n updates fill
    one epoch), ``"update"`` at u (the steps taken), ``"grad_evals"`` at the per-sample
    gradients computed so far, the honest measure of work. ``log=True`` shows L - L* on a log
    axis (the noise floor of SGD shows). A diverged run stops where it blew up. The line
    takes the colour of the run's batch method. The view fits every line on the axes, so
    several calls on one axes keep every run in view; :func:`~gdviz.plotting.plot_history`
    with ``against=`` draws a dict of runs in one call.
    """
    ax = axes_or_new(ax)
    if log:
        ax.set_yscale("log")
    (line,) = ax.plot([], [], color=color or run_colors(runs(run))[0], lw=1.5, label=label)
    ylabel = _set_loss(line, run, against, log)
    ax.set_xlabel(CLOCKS[against])
    ax.set_ylabel(ylabel)
    return line


def update_data_loss(line: Line2D, run: Record, *, against: str = "epoch", log: bool = True) -> Line2D:
    """Show another run with the line of :func:`plot_data_loss` (the same setter); the view follows."""
    _set_loss(line, run, against, log)
    return line
