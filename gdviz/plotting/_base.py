"""What several plot modules share: the record protocol, runs cut out of records, view helpers.

Every helper that draws runs reads its records through :class:`Record` and :func:`runs`,
one small protocol that :class:`~gdviz.Trajectory`, :class:`~gdviz.data.DataTrajectory`
and :class:`~gdviz.search.Annealing` already satisfy; no helper asks which class it got.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple, Protocol, cast, runtime_checkable

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import patheffects
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .._checks import as_floats
from .._types import Aspect, Bounds, Color, Legend
from ..objective import Objective
from .style import COLORS, PALETTE, method_key


@runtime_checkable
class Record(Protocol):
    """What a plot reads from a record of runs (one run or a batch of them).

    Required: ``x`` (rows of positions, ``(T, *batch)`` in 1-D, ``(T, *batch, dim)``),
    ``f`` (``(T, *batch)``), ``objective``, ``batch_shape`` and ``diverged`` (a flag per run).

    Optional, read with ``getattr`` and these defaults when a record lacks them:

    * ``grad`` and ``lr`` (rows like ``x``; ``lr`` one row fewer): None, the method uses no
      gradient and no learning rate (simulated annealing); histories of them are refused;
    * ``diverged_at`` (the step that blew up, -1 if none): -1, the runs never diverge;
    * ``optimizer``, ``schedule`` (objects with a ``name``) and ``method`` (the batch
      method of a run on data): None; they name the runs and pick their colours;
    * ``updates_per_epoch``, ``grad_evals``, ``n_samples`` (runs on data): absent, the
      rows are epochs (a record with ``lr``) or plain steps (one without).
    """

    @property
    def x(self) -> np.ndarray: ...

    @property
    def f(self) -> np.ndarray: ...

    @property
    def objective(self) -> Any: ...  # an Objective: plots read its variable names, bounds and extrema

    @property
    def batch_shape(self) -> tuple[int, ...]: ...

    @property
    def diverged(self) -> np.ndarray: ...


#: One record, a list of them or a dict label -> record: what the path and history helpers draw.
Records = Record | Sequence[Record] | Mapping[str, Record]

#: Colours of runs that have no method colour of their own: the palette without vermillion.
RUN_COLORS: tuple[str, ...] = PALETTE[:5] + PALETTE[6:7]
#: A soft white outline that keeps a path visible on any part of a colour map.
HALO = [patheffects.withStroke(linewidth=3.5, foreground="white", alpha=0.7)]
#: The three families of method names, in the order a figure is coloured by them.
_FAMILIES = ("method", "optimizer", "schedule")


class Run(NamedTuple):
    """One run cut out of a (possibly batched) record."""

    x: np.ndarray  # (T,) in 1-D, (T, dim) in n-D
    f: np.ndarray
    grad: np.ndarray | None  # None when the record has no gradient
    lr: np.ndarray | None  # (T - 1,); None when the record has no learning rate
    diverged_at: int  # -1 when the run did not diverge
    label: str
    objective: Objective
    clock: str  # the default x axis of a history: "epoch", "update" (data runs) or "step"
    time: dict[str, np.ndarray]  # row t's position on each x axis this run offers, shape (T,)
    n_samples: int  # data runs: samples per epoch (for an epochs axis over gradient evaluations); else 0
    methods: dict[str, str | None]  # family -> key of COLORS ("method", "optimizer", "schedule")
    source: int  # which record of the call the run came from


def fmt(x: Any) -> str:
    """Numbers for a label: ``0.5`` or ``(0.5, -1)``."""
    values = np.atleast_1d(np.asarray(x, dtype=float))
    text = ", ".join(f"{v:.3g}" for v in values)
    return text if values.size == 1 else f"({text})"


def clock_of_record(record: Record) -> tuple[str, dict[str, np.ndarray], int]:
    """The default x axis of a record's histories and every x axis it offers (row positions).

    Every record offers "step", the row index, so that runs of different kinds share a plot.
    """
    rows = np.arange(len(record.f), dtype=float)
    per_epoch = getattr(record, "updates_per_epoch", None)
    if per_epoch:
        time = {"update": rows, "epoch": rows / per_epoch,
                "grad_evals": np.asarray(cast(Any, record).grad_evals, dtype=float), "step": rows}  # data runs have it
        return "update", time, int(getattr(record, "n_samples", 0))
    if getattr(record, "lr", None) is not None:
        return "epoch", {"epoch": rows, "step": rows}, 0
    return "step", {"step": rows}, 0


def _name(record: Record) -> str:
    optimizer = getattr(record, "optimizer", None)
    return getattr(optimizer, "name", None) or type(record).__name__.lower()


def runs(records: Records, labels: Sequence[str] | None = None) -> list[Run]:
    """Every run of ``records`` (one record, a list, or a dict label -> record)."""
    if isinstance(records, Record):
        items: list[tuple[str | None, Record]] = [(None, records)]
    elif isinstance(records, Mapping):
        items = list(records.items())
    elif isinstance(records, Sequence) and not isinstance(records, str):
        items = [(None, r) for r in records]
    else:
        items = []
    if not items or not all(isinstance(r, Record) for _, r in items):
        raise TypeError("trajs: expected a record of runs (Trajectory, DataTrajectory, Annealing), a list of them "
                        f"or a dict label -> record, got {type(records).__name__}")
    out = []
    for source, (key, record) in enumerate(items):
        clock, time, n_samples = clock_of_record(record)
        grad_all, lr_all = getattr(record, "grad", None), getattr(record, "lr", None)
        div_all = getattr(record, "diverged_at", None)
        methods = {family: method_key(getattr(record, family, None)) for family in _FAMILIES}
        for idx in np.ndindex(record.batch_shape):
            sel = (slice(None), *idx)
            x = record.x[sel]
            grad = None if grad_all is None else grad_all[sel]
            lr = None if lr_all is None else lr_all[sel]
            if key is not None:
                label = f"{key} {list(idx)}" if record.batch_shape else str(key)
            else:
                start = f" x0={fmt(x[0])}" if record.batch_shape else ""
                setting = ""
                if lr is not None:
                    used = lr[lr > 0]
                    setting = f" lr={used.max():.3g}" if used.size else ""
                elif (T0 := getattr(record, "T0", None)) is not None:
                    setting = f" T0={T0:g}"
                label = f"{_name(record)}{setting}{start}"
            diverged_at = -1 if div_all is None else int(div_all[idx])
            # the gradient flow's clock: the rates summed so far, s_t = lr_0 + ... + lr_{t-1}
            mine = time if lr is None or "update" in time else {**time, "time": np.concatenate([[0.0], np.cumsum(lr)])}
            out.append(Run(x, record.f[sel], grad, lr, diverged_at, label, record.objective, clock, mine, n_samples,
                           methods, source))
    if len({r.objective.dim for r in out}) > 1:
        raise ValueError("trajs: runs on objectives of different dimensions cannot share a plot")
    if labels is not None:
        labels = list(labels)
        if len(labels) != len(out):
            raise ValueError(f"labels: expected {len(out)} labels (one per run), got {len(labels)}")
        out = [r._replace(label=str(lab)) for r, lab in zip(out, labels, strict=True)]
    return out


def run_colors(drawn: Sequence[Run], colors: Sequence[Color] | None = None) -> list[Color]:
    """A colour per run: ``colors`` in turn if given, else the course's colour of each run's method.

    Runs are coloured by the first family of method names ("method": batch, mini-batch,
    stochastic; then the optimizer; then the schedule) in which the records differ and
    every run has a known name, so a race of optimizers shows each in its own colour
    everywhere. One record alone takes its method's colour; runs that no family tells
    apart (a batch of starts, two learning rates) take the palette in turn.
    """
    if colors:
        palette = list(colors)
        return [palette[i % len(palette)] for i in range(len(drawn))]
    sources = {r.source for r in drawn}
    for family in _FAMILIES:
        keys = [r.methods[family] for r in drawn]
        if None in keys:
            continue
        named = cast("list[str]", keys)
        by_source = {r.source: r.methods[family] for r in drawn}
        if len(sources) == 1 and len(drawn) == 1:
            return [COLORS[named[0]]]
        if len(sources) > 1 and len(set(by_source.values())) == len(sources):
            return [COLORS[k] for k in named]
    return [RUN_COLORS[i % len(RUN_COLORS)] for i in range(len(drawn))]


def axes_or_new(ax: Axes | None, projection: str | None = None) -> Axes:
    """``ax``, or the axes of a new figure."""
    if ax is None:
        ax = plt.figure().add_subplot(projection=projection)
    return ax


def axes_of(artist: Artist) -> Axes:
    """The axes an artist was drawn on: where an update helper rescales its view."""
    if artist.axes is None:
        raise ValueError(f"drawn: expected artists drawn by a plot helper, got a {type(artist).__name__} on no axes")
    return cast(Axes, artist.axes)  # plot helpers draw on Axes (or 3-D axes, a subclass)


def figure_of(ax: Axes) -> Figure:
    """The top-level figure of ``ax`` (an animation runs on it, even for axes in a subfigure)."""
    fig = ax.figure
    return fig if isinstance(fig, Figure) else fig.figure


def objective_of(record: Any) -> Objective:
    """The :class:`~gdviz.Objective` a record ran on, for a plot that reads its variables, curvature or minima."""
    objective = record.objective
    if not isinstance(objective, Objective):
        raise TypeError(f"result: this plot needs runs on a gdviz Objective (a formula or a catalogue function), "
                        f"got runs on {type(objective).__name__}")
    return objective


def box_of(objective: Objective, bounds: Bounds | None = None) -> np.ndarray:
    """The view box, rows ``(low, high)`` per variable: the objective's bounds or ``bounds``."""
    if bounds is None:
        return np.array(objective.bounds, dtype=float)
    box = as_floats("bounds", bounds)
    if box.shape == (2,) and objective.dim == 1:
        box = box[None, :]
    if box.shape != (objective.dim, 2) or not np.all(np.isfinite(box)) or np.any(box[:, 0] >= box[:, 1]):
        raise ValueError(f"bounds: expected {objective.dim} finite (low, high) pair(s) with low < high, "
                         f"got {np.asarray(bounds).tolist()}")
    return box


def need_dim(objective: Objective, dim: int, what: str, instead: str) -> None:
    """Refuse a 1-D objective where a 2-D one is needed, and the other way round."""
    if (objective.dim == 1) != (dim == 1):
        raise ValueError(f"objective: {what} needs a {'1-D' if dim == 1 else '2-D'} objective, "
                         f"{objective.name} has {objective.dim} variables; use {instead}")


def escape_point(points: np.ndarray, box: np.ndarray) -> np.ndarray:
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


def view_box(ax: Axes) -> np.ndarray:
    """The axes' current view as rows (low, high) for x and y."""
    return np.array([sorted(ax.get_xlim()), sorted(ax.get_ylim())], dtype=float)


def add_legend(ax: Axes, where: Legend, n: int, max_entries: int = 10) -> Any:
    """A legend at ``where`` (True: the best place), none for False or more than ``max_entries``."""
    if not where or n > max_entries:
        return None
    return ax.legend(loc="best" if where is True else where, framealpha=0.85)


def curve_range(values: np.ndarray) -> tuple[float, float]:
    """y limits around the finite ``values`` with a 6 % margin."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return 0.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    pad = 0.06 * (hi - lo) if hi > lo else 1.0
    return lo - pad, hi + pad


def names_of(objective: Any) -> list[str]:
    """The objective's variable names; x1, x2, ... for one that has none (a network's loss)."""
    names = getattr(objective, "variable_names", None)
    return list(names) if names is not None else [f"x{i + 1}" for i in range(objective.dim)]


def labels_2d(ax: Axes, objective: Objective) -> None:
    """Name the axes after a 2-D objective's variables."""
    ax.set_xlabel(objective.variable_names[0])
    ax.set_ylabel(objective.variable_names[1])


def equal_aspect(ax: Axes, box: np.ndarray, aspect: Aspect | None) -> None:
    """Equal aspect for a map whose spans are comparable (within 4x), or ``aspect`` if given.

    Maps whose axes carry the same unit (positions x and y) show true shapes: a round bowl
    is round. A window four times wider than tall would be a strip, so it stays free.
    """
    if aspect is None:
        spans = box[:, 1] - box[:, 0]
        aspect = "equal" if max(spans) <= 4 * min(spans) else "auto"
    ax.set_aspect(aspect, adjustable="box")


def log_spaced(values: np.ndarray) -> bool:
    """Are these values spaced evenly on a log scale rather than a linear one?

    np.geomspace rates read best on a log axis, np.linspace rates on a linear one,
    whatever range they span.
    """
    v = np.unique(np.asarray(values, dtype=float).ravel())
    if v.size < 3 or v[0] <= 0:
        return False

    def spread(d: np.ndarray) -> float:
        return float(np.std(d) / abs(np.mean(d)))

    return spread(np.diff(np.log(v))) < spread(np.diff(v))


def cell_edges(values: np.ndarray, log: bool) -> np.ndarray:
    """Edges of cells centred on ``values`` (geometric midpoints when ``log``)."""
    v = np.log(values) if log else values.astype(float)
    if len(v) == 1:
        e = np.array([v[0] - 0.5, v[0] + 0.5]) if not log else np.array([v[0] - 0.35, v[0] + 0.35])
    else:
        mid = (v[1:] + v[:-1]) / 2
        e = np.concatenate([[2 * v[0] - mid[0]], mid, [2 * v[-1] - mid[-1]]])
    return np.exp(e) if log else e
