"""Histories: a quantity of a run (position, gradient, loss, rate, optimizer state) against time.

The time axis is chosen with ``against=``: a record's own clock by default ("epoch" for a
Trajectory, "update" for a run on data, "step" for simulated annealing), or "epoch",
"grad_evals" (per-sample gradients computed so far), "step" (the row) or "time" (the rates
summed so far, s_t = lr_0 + ... + lr_{t-1}: the clock of the gradient flow dx/ds = -grad f,
on which runs at different small rates fall on one curve, notebook 03) when the records
offer them. Lines take their method's colour (see :func:`~gdviz.plotting.color_of`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .._checks import count, one_of
from .._types import ArrayLike, Color, Legend
from ..descent import Trajectory
from ._base import Records, Run, add_legend, axes_of, axes_or_new, names_of, run_colors, runs
from .style import NEUTRAL, PALETTE

if TYPE_CHECKING:
    from matplotlib.axes._secondary_axes import SecondaryAxis

__all__ = ["plot_history", "update_history", "plot_histories", "plot_state", "HISTORIES", "CLOCKS"]

#: The quantities a history can show ("dist" is the distance |x - x*| to the known global minimum).
HISTORIES = ("x", "grad", "f", "lr", "dist")
#: Runs with at most this many rows get a marker on every step, so that a short run's steps can be counted.
SHORT_RUN = 41
#: The x axes a history can use, with their axis labels.
CLOCKS = {"epoch": "epoch", "update": "update", "step": "step", "grad_evals": "gradient evaluations",
          "time": "time s = sum of the rates so far (lr x epochs)"}


class Series(NamedTuple):
    """One line of a history: which run, its label suffix, its points, whether it diverged."""

    run: int
    suffix: str
    t: np.ndarray
    values: np.ndarray
    diverged: bool


def _values(run: Run, what: str, log: bool,
            x_star: ArrayLike | None = None) -> tuple[int, list[tuple[str, np.ndarray]], str]:
    """Rows shown, [(suffix, values)] and the y label of quantity ``what`` of one run."""
    obj = run.objective
    loss = "L" if getattr(obj, "solution", None) is not None else "f"  # notebook 07 calls a loss on data L
    if what in ("grad", "lr") and (run.grad is None or run.lr is None):
        raise ValueError(f"what: {what!r} is not recorded for {run.label}, which uses no gradient and no "
                         "learning rate; plot 'x' or 'f' (and annealing's temperature with plot_annealing_schedule)")
    if what == "x":
        if obj.dim == 1:
            return len(run.x), [("", run.x.astype(float))], f"position {names_of(obj)[0]}"
        return len(run.x), [(f" ({v})", run.x[:, i].astype(float)) for i, v in enumerate(names_of(obj))], \
            "position"
    if what == "grad":
        assert run.grad is not None  # refused above
        if obj.dim == 1:
            v = names_of(obj)[0]
            values, ylabel = (np.abs(run.grad), f"|f'({v})|") if log else (run.grad.astype(float), f"f'({v})")
        else:
            values, ylabel = np.linalg.norm(run.grad, axis=-1), f"|∇{loss}|"
        return len(run.grad), [("", values)], ylabel
    if what == "dist":
        if x_star is None:
            best = getattr(obj, "global_minimum", None)
            if best is None:
                raise ValueError(f"what: 'dist' is the distance to the known global minimum, and {run.label} has "
                                 "none; pass x_star= or plot 'x' or 'f'")
            x_star = best.x
        gap = run.x.astype(float) - np.asarray(x_star, dtype=float)
        values = np.abs(gap) if obj.dim == 1 else np.linalg.norm(gap, axis=-1)
        return len(run.x), [("", values)], f"|{names_of(obj)[0]} - {names_of(obj)[0]}*|" if obj.dim == 1 else \
            "distance to the minimum"
    if what == "f":
        values, ylabel = run.f.astype(float), loss
        best = getattr(obj, "global_minimum", None)  # a network's loss has no known minimum
        if log and best is not None:
            values, ylabel = run.f - best.f, f"{loss} - {loss}*"
        return len(run.f), [("", values)], ylabel
    assert run.lr is not None  # refused above
    return len(run.lr), [("", run.lr.astype(float))], "learning rate"


def history_series(run: Run, index: int, what: str, log: bool, clock: str,
                   x_star: ArrayLike | None = None) -> tuple[list[Series], str]:
    """The lines of quantity ``what`` of one run on the x axis ``clock``, and the y label.

    Rows from the blow-up of a diverged run on are frozen copies (or a rate of 0): they are
    NaN here, so the line stops where the run blew up. On a log axis values <= 0 are NaN too.
    """
    rows, series, ylabel = _values(run, what, log, x_star)
    if clock not in run.time:
        raise ValueError(f"against: expected one of {list(run.time)} for {run.label}, got {clock!r} "
                         "('update' and 'grad_evals' need a DataTrajectory from gdviz.data.descend_data)")
    t = run.time[clock][:rows]  # rates are per step: row t's rate moves x_t to x_{t+1}
    cut = rows
    if run.diverged_at >= 0:
        cut = run.diverged_at - 1 if what == "lr" else run.diverged_at
    out = []
    for suffix, values in series:
        values = values.copy()
        values[max(cut, 0):] = np.nan
        if log:
            with np.errstate(invalid="ignore"):
                values = np.where(values > 0, np.maximum(values, 1e-16), np.nan)
        out.append(Series(index, suffix, t, values, run.diverged_at >= 0))
    return out, ylabel


def shared_clock(found: Sequence[Run], against: str | None) -> str:
    """The x axis the runs share: ``against``, or their own clock when they agree ("step", the row, when not)."""
    if against is not None:
        return one_of("against", against, list(CLOCKS))
    clocks = {r.clock for r in found}
    return clocks.pop() if len(clocks) == 1 else "step"


def _series(found: Sequence[Run], what: str, log: bool, clock: str,
            x_star: ArrayLike | None = None) -> tuple[list[Series], str]:
    lines, ylabel = [], ""
    for i, run in enumerate(found):
        more, ylabel = history_series(run, i, what, log, clock, x_star)
        lines += more
    return lines, ylabel


def _set_history(lines: Sequence[Line2D], series: Sequence[Series]) -> None:
    """Fill the lines of a history (the one setter of draw and update) and fit the view."""
    if len(series) != len(lines):
        raise ValueError(f"trajs: the figure has {len(lines)} lines, the runs give {len(series)}")
    for line, s in zip(lines, series, strict=True):
        line.set_data(s.t, s.values)
        ok = np.flatnonzero(np.isfinite(s.values))
        if s.diverged and ok.size:  # an X on the last point before the blow-up
            line.set_marker("X")
            line.set_markersize(11)
            line.set_markevery([int(ok[-1])])
        elif len(s.t) <= SHORT_RUN:  # a short run: a dot on every step
            line.set_marker("o")
            line.set_markersize(3.5)
            line.set_markevery(None)
        else:
            line.set_marker("None")
            line.set_markevery(None)
    if lines:
        ax = axes_of(lines[0])
        ax.relim()
        ax.autoscale_view()


def _epochs_on_top(ax: Axes, found: Sequence[Run]) -> SecondaryAxis | None:
    """A secondary x axis in epochs over one in gradient evaluations (every epoch costs n of them)."""
    sizes = {r.n_samples for r in found}
    if len(sizes) != 1 or 0 in sizes or any(a.get_xlabel() == "epochs" for a in ax.child_axes):
        return None  # drawn once per axes, however many calls share it
    n = float(sizes.pop())
    top = ax.secondary_xaxis("top", functions=(lambda g: np.divide(g, n), lambda e: np.multiply(e, n)))
    top.set_xlabel("epochs")
    return top


def plot_history(
    trajs: Records, *, what: str = "f", ax: Axes | None = None, log: bool = False,
    labels: Sequence[str] | None = None, colors: Sequence[Color] | None = None, legend: Legend = True,
    against: str | None = None, x_star: ArrayLike | None = None,
) -> list[Line2D]:
    """One quantity against time, one line per run (one per coordinate for "x" in n-D).

    ``what``: "x" (position), "grad" (f'(x) in 1-D, the gradient norm in n-D), "f" (loss),
    "lr" (the rate used at each step) or "dist" (the distance |x - x*| to the known global
    minimum, or to ``x_star`` when given: ascent on f is descent on -f, whose records know
    no minimum; on a log axis a run that contracts by a factor q per step is a straight line
    of slope log q). A 1-D position panel marks x* (dotted) when the runs share a known minimum.
    Runs of at most 41 rows get a dot on every step. ``log=True`` uses a log axis, of |f'| for "grad"
    and of f - f* for "f" when the global minimum f* is known (L - L* for a loss on data).
    A diverged run stops where it blew up, with an X on its last point and "(diverged)" in
    its label.

    The x axis (``against``) is each record's own clock by default: the epoch of a
    Trajectory, the update of a :class:`~gdviz.data.DataTrajectory` (``updates_per_epoch``
    rows per epoch) and the step of an :class:`~gdviz.search.Annealing` record (which has
    only "x" and "f": no gradient, no learning rate). For data runs ``against="epoch"`` puts
    update u at ``u / updates_per_epoch`` and ``against="grad_evals"`` at the per-sample
    gradients computed so far, with the matching epochs on a second axis at the top.

    >>> import gdviz as gd
    >>> loss = gd.data.LeastSquares(gd.data.make_linear(n=20, seed=0))
    >>> run = gd.data.descend_data(loss, [0.0, 0.0], lr=0.1, epochs=2, batch_size=5)
    >>> (line,) = plot_history(run, against="grad_evals", log=True)
    >>> line.get_xdata()[:3].tolist(), line.axes.get_xlabel(), line.axes.get_ylabel()
    ([0.0, 5.0, 10.0], 'gradient evaluations', 'L - L*')
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    what = one_of("what", what, HISTORIES)
    found = runs(trajs, labels)
    clock = shared_clock(found, against)
    series, ylabel = _series(found, what, log, clock, x_star)
    ax = axes_or_new(ax)
    palette = run_colors(found, colors)
    k = 0
    lines: list[Line2D] = []
    for s in series:
        run = found[s.run]
        k = k + 1 if lines and series[len(lines) - 1].run == s.run else 0  # coordinate k of the run: its dash
        label = run.label + s.suffix + (" (diverged)" if s.diverged else "")
        (line,) = ax.plot([], [], color=palette[s.run], ls=("-", "--", ":")[k % 3], lw=1.8, ms=11, mec="white",
                          label=label)
        lines.append(line)
    if log:
        ax.set_yscale("log")
    best = [getattr(r.objective, "global_minimum", None) for r in found]
    if what == "x" and not log and found[0].objective.dim == 1 and best[0] is not None and \
            all(b is not None and b.x == best[0].x for b in best):  # the target, not the origin
        ax.axhline(float(best[0].x), color=NEUTRAL, ls=":", lw=1.2, zorder=1)
        ax.annotate(f"{names_of(found[0].objective)[0]}* = {float(best[0].x):.3g}", (1, float(best[0].x)),
                    xycoords=("axes fraction", "data"), xytext=(-4, 3), textcoords="offset points", ha="right",
                    va="bottom", fontsize="small", color=NEUTRAL)
    elif what in ("x", "grad") and not log:
        ax.axhline(0.0, color=NEUTRAL, lw=0.8, zorder=1)
    _set_history(lines, series)
    ax.set_xlabel(CLOCKS[clock])
    ax.set_ylabel(ylabel)
    if clock == "grad_evals":
        _epochs_on_top(ax, found)
    add_legend(ax, legend, len(lines))
    return lines


def update_history(
    lines: Sequence[Line2D], trajs: Records, *, what: str = "f", log: bool = False, against: str | None = None,
    x_star: ArrayLike | None = None,
) -> list[Line2D]:
    """Show new runs with the lines of :func:`plot_history` (the same setter) and rescale the axes."""
    what = one_of("what", what, HISTORIES)
    found = runs(trajs)
    series, _ = _series(found, what, log, shared_clock(found, against), x_star)
    _set_history(lines, series)
    return list(lines)


def plot_histories(
    trajs: Records, *, whats: Sequence[str] = ("x", "grad"), axes: Sequence[Axes] | None = None,
    log: bool | Sequence[str] = False, labels: Sequence[str] | None = None, colors: Sequence[Color] | None = None,
    legend: Legend = True, against: str | None = None,
) -> dict[str, list[Line2D]]:
    """Several :func:`plot_history` panels side by side; the legend is drawn once.

    ``log`` is True/False for every panel or the names of the panels to draw on a log axis;
    ``against`` is the x axis of every panel (see :func:`plot_history`).
    """
    if axes is None:
        _, grid = plt.subplots(1, len(whats), figsize=(4.4 * len(whats), 3.6), squeeze=False)
        axes = list(grid[0])
    if len(axes) != len(whats):
        raise ValueError(f"axes: expected {len(whats)} axes (one per panel), got {len(axes)}")
    out = {}
    for k, (what, ax) in enumerate(zip(whats, axes, strict=True)):
        use_log = log if isinstance(log, bool) else what in log
        out[what] = plot_history(trajs, what=what, ax=ax, log=use_log, labels=labels, colors=colors,
                                 legend=legend if k == 0 else False, against=against)
    return out


def plot_state(
    traj: Trajectory, *, quantity: str | Callable[[Trajectory], Any], ax: Axes | None = None,
    label: str | None = None, color: Color | None = None, coordinate: int | None = None, scale: str = "linear",
    ylabel: str | None = None, first: int = 0,
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
    state = getattr(traj, "state", None)
    if state is None or traj.batch_shape:
        raise ValueError("traj: expected one run recorded with descend(..., keep_state=True)")
    scale = one_of("scale", scale, ("linear", "log", "symlog"))
    first = count("first", first)
    if isinstance(quantity, str):
        if quantity not in state._fields:
            raise ValueError(f"quantity: {type(state).__name__} has the fields {state._fields}, not {quantity!r}")
        values, name = getattr(state, quantity), quantity
    elif callable(quantity):
        values, name = quantity(traj), "value"
    else:
        raise TypeError(f"quantity: expected a state field name or a function of the run, got {quantity!r}")
    values = np.asarray(values, dtype=float)
    values = values.reshape(len(values), -1)
    names = names_of(traj.objective) if values.shape[1] == traj.objective.dim else [""] * values.shape[1]
    columns = range(values.shape[1]) if coordinate is None else [count("coordinate", coordinate, 0,
                                                                       values.shape[1] - 1)]
    ax = axes_or_new(ax)
    epochs = np.arange(len(values))[first:]
    values = values[first:]
    lines = []
    for k, i in enumerate(columns):
        prefix = label or (name if isinstance(quantity, str) else "")
        text = " ".join(part for part in (prefix, f"({names[i]})" if values.shape[1] > 1 else "") if part)
        (line,) = ax.plot(epochs, values[:, i], color=color or PALETTE[k % len(PALETTE)],
                          ls=("-", "--", ":", "-.")[k % 4] if color else "-", lw=1.8, label=text or None)
        lines.append(line)
    if scale == "linear":
        ax.axhline(0, color=NEUTRAL, lw=0.8)
    else:
        ax.set_yscale(scale)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel or name)
    add_legend(ax, True, len(ax.get_lines()))
    return lines
