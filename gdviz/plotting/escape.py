"""Escape (notebook 08): many runs by outcome, simulated annealing's schedule, shares of success."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D
from matplotlib.ticker import PercentFormatter

from .._checks import count
from .._types import ArrayLike, Color
from ..objective import Objective
from ..search import Annealing
from ._base import RUN_COLORS, axes_of, axes_or_new, labels_2d
from .landscape import mark_extrema, plot_function_1d, plot_landscape
from .style import COLORS, HIT_COLOR, MISS_COLOR, NEUTRAL, PALETTE, method_key

__all__ = ["Outcomes", "AnnealingSchedule", "plot_outcomes", "update_outcomes", "plot_outcome_losses",
           "update_outcome_losses", "plot_annealing_schedule", "plot_shares"]


class Outcomes(NamedTuple):
    """Many runs drawn in two groups: those that reached the global minimum and the rest."""

    hits: LineCollection  # one polyline per run that reached the global minimum
    misses: LineCollection  # one polyline per run that did not
    starts: Line2D  # every run's first point (hollow circles)
    hit_ends: Line2D  # last points of the hits (large dots)
    miss_ends: Line2D  # last points of the misses


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


def _outcome_paths(objective: Objective, x: ArrayLike) -> np.ndarray:
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
    objective: Objective, x: ArrayLike, reached: ArrayLike, *, ax: Axes | None = None, background: bool = True,
    labels: tuple[str, str] = ("reached the global minimum", "did not"),
) -> Outcomes:
    """Many runs on their landscape, the ones that reached the global minimum highlighted.

    ``x`` is a Trajectory's ``x`` for a batch of runs: shape ``(steps, runs)`` for a 1-D
    objective (drawn on the curve at (x, f(x))) or ``(steps, runs, 2)`` (drawn on the plane);
    ``reached`` one flag per run, e.g. from :func:`gdviz.search.reached_global`. With
    ``background=True`` the curve (grey) or grey filled contours and the minima are drawn first.

    >>> import gdviz as gd
    >>> runs = gd.search.random_restarts(gd.functions.sin_gauss, n=6, lr=0.5, epochs=50, seed=0)
    >>> hit = gd.search.reached_global(gd.functions.sin_gauss, runs.final_f)
    >>> drawn = plot_outcomes(gd.functions.sin_gauss, runs.trajectory.x, hit)
    >>> len(drawn.hits.get_segments()) == int(hit.sum()), len(drawn.starts.get_xdata())
    (True, 6)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    paths = _outcome_paths(objective, x)
    ax = axes_or_new(ax)
    if background:
        if objective.dim == 1:
            plot_function_1d(objective, ax=ax, derivative=False, legend=False).curve.set_color(NEUTRAL)
        else:
            plot_landscape(objective, ax=ax, colorbar=False, cmap="Greys_r")
            mark_extrema(objective, ax=ax, maxima=False, saddles=False)
    if objective.dim == 1:
        ax.set_xlim(*objective.bounds[0])
    else:
        ax.set_xlim(*objective.bounds[0])
        ax.set_ylim(*objective.bounds[1])
        labels_2d(ax, objective)
    ax.set_autoscale_on(False)
    drawn = _draw_outcomes(ax, paths, np.asarray(reached), labels)
    if objective.dim == 1:  # on a curve the paths overlap it (and annealing's jumps cut across): keep them faint
        for lines in (drawn.hits, drawn.misses):
            lines.set_alpha(0.35)
            lines.set_linewidth(1.0)
    return drawn


def update_outcomes(drawn: Outcomes, objective: Objective, x: ArrayLike, reached: ArrayLike) -> Outcomes:
    """Show other runs (any number) with the artists of :func:`plot_outcomes`."""
    _set_outcomes(drawn, _outcome_paths(objective, x), np.asarray(reached))
    return drawn


def plot_outcome_losses(
    f: ArrayLike, reached: ArrayLike, *, ax: Axes | None = None, f_star: float | None = None,
) -> Outcomes:
    """Each run's loss against the step, coloured as in :func:`plot_outcomes`.

    ``f`` has shape ``(steps, runs)``; a dotted line marks ``f_star`` (the global minimum).
    """
    paths = _loss_paths(f)
    ax = axes_or_new(ax)
    if f_star is not None:
        ax.axhline(f_star, color=NEUTRAL, ls=":", lw=1.2, zorder=1)
    ax.set_xlim(0, max(paths.shape[1] - 1, 1))
    ax.set_xlabel("step")
    ax.set_ylabel("f")
    return _draw_outcomes(ax, paths, np.asarray(reached), ("reached", "did not"))


def update_outcome_losses(drawn: Outcomes, f: ArrayLike, reached: ArrayLike) -> Outcomes:
    """Show other runs with the artists of :func:`plot_outcome_losses`."""
    paths = _loss_paths(f)
    axes_of(drawn.hits).set_xlim(0, max(paths.shape[1] - 1, 1))
    _set_outcomes(drawn, paths, np.asarray(reached))
    return drawn


def _loss_paths(f: ArrayLike) -> np.ndarray:
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


def plot_annealing_schedule(record: Annealing, *, ax: Axes | None = None, smooth: int = 1) -> AnnealingSchedule:
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
    if not all(hasattr(record, name) for name in ("T", "acceptance_rate", "cooling", "epochs")):
        raise TypeError(f"record: expected an Annealing record from gdviz.search.simulated_annealing, "
                        f"got {type(record).__name__}")
    smooth = count("smooth", smooth, 1)
    steps = np.arange(record.epochs)
    rate = np.asarray(record.acceptance_rate, dtype=float)
    total = np.concatenate([[0.0], np.cumsum(rate)])
    first = np.maximum(steps + 1 - smooth, 0)  # the first steps average over what there is
    shown = (total[steps + 1] - total[first]) / (steps + 1 - first)
    ax = axes_or_new(ax)
    ax.set_yscale("log")
    (temperature,) = ax.plot(steps, record.T, color=PALETTE[0], lw=2, label="temperature T")
    share_axis = ax.twinx()
    what = "share of proposals accepted" if record.batch_shape else "proposals accepted"
    label = what + (f" (mean of {smooth} steps)" if smooth > 1 else "")
    (acceptance,) = share_axis.plot(steps, shown, color=PALETTE[1], lw=1.6, label=label)
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
    shares: Mapping[str, Mapping[str, float]], *, ax: Axes | None = None,
    ylabel: str = "share reaching the global minimum", percent: bool = True, colors: Sequence[Color] | None = None,
    legend: bool = True,
) -> list[BarContainer]:
    """A grouped bar chart: ``shares[group][method]``, one group of bars per group, labelled.

    Each method keeps its colour across the groups: the course's colour of each method when
    all of them are methods of the course ("GD", "momentum", ...), else the palette in the
    order of first appearance (a method missing from a group leaves a gap), and every bar carries its value, as a
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
    ax = axes_or_new(ax)
    width = 0.8 / len(methods)
    keys = [method_key(m) for m in methods]
    if colors:
        palette = list(colors)
    elif None not in keys and len(set(keys)) == len(keys):
        palette = [COLORS[k] for k in cast("list[str]", keys)]
    else:
        palette = list(RUN_COLORS)
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
