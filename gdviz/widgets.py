"""Slider explorers: a pure view per explorer plus a thin ipywidgets layer (STYLE 8).

A *view* (:class:`RunView`, :class:`SweepView`) builds its matplotlib figure once (the
landscape grid, colour bar, axes and layout) with :mod:`gdviz.plotting`. Its
``update(**params)`` recomputes only the run, moves the artists' data and returns what it
drew (a Trajectory, or a dict name -> Trajectory). Views need no ipywidgets::

    view = RunView.descent(gd.functions.quadratic, lr=0.1)
    run = view.update(lr=0.9, epochs=30, x0=-1.4)    # past 2 / f'' = 1/3: a Trajectory
    view.message.get_text()                # 'diverged at step 19 - lower the learning rate'
    png = view.png()

An ``explore_*`` function wraps a view in an :class:`Explorer`: a ``VBox`` with the
controls (``.controls["lr"]``), an ``Output`` of fixed height showing the figure and a
readout. Moving a slider calls ``view.update`` and shows the new PNG with
``clear_output(wait=True)``, so nothing flickers or stacks.

Works with ipywidgets 7.6 to 8.x and the inline backend (Colab ships 7.7.1 and no ipympl):
only the widget classes in :data:`WIDGET_CLASSES` are used. Figures are
``matplotlib.figure.Figure`` objects, never pyplot ones, so no stray copy is shown; the
explorer renders the PNG itself (fixed layout, no tight bounding box, fast compression).
"""

from __future__ import annotations

import base64
import html
import inspect
import math
import struct
import zlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import ipywidgets as widgets
import numpy as np
from IPython import get_ipython
from IPython.display import Image, clear_output, display
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox, IdentityTransform, blended_transform_factory

from . import data as _data
from . import deep as _deep
from . import optimizers as _optimizers
from . import plotting
from . import schedules as _schedules
from . import search as _search
from .descent import Trajectory, descend, sweep
from .objective import Objective

__all__ = ["RunView", "SweepView", "Explorer", "explore_1d", "explore_2d", "explore_optimizers",
           "explore_schedule", "explore_sweep", "encode_png", "WIDGET_CLASSES",
           "DeepView", "explore_deep", "gradient_verdict", "VANISHING", "EXPLODING",
           "BatchView", "explore_batches",
           "STRATEGIES", "Escape", "escape_defaults", "escape_runs", "EscapeView", "explore_escape"]

#: The widget classes explorers are built from: all present in ipywidgets 7.6 and 8.x.
WIDGET_CLASSES = frozenset({"VBox", "HBox", "Output", "HTML", "FloatLogSlider", "FloatSlider", "IntSlider",
                            "Dropdown", "SelectionSlider", "Accordion", "Layout", "Checkbox"})
_COLORS = [c for c in plotting.COLORS if c != plotting.DIVERGED_COLOR]  # vermillion means "diverged"
_DPI = 80


def _fmt(x: Any) -> str:
    values = np.atleast_1d(np.asarray(x, dtype=float))
    text = ", ".join(f"{v:.4g}" for v in values)
    return text if values.size == 1 else f"({text})"


def default_start(objective: Objective) -> list[float]:
    """A start derived from the bounds: 15% in from the low x end, 80% up in y."""
    fractions = (0.15, 0.8)
    return [lo + frac * (hi - lo) for (lo, hi), frac in zip(objective.bounds, fractions, strict=False)]


def encode_png(rgb: np.ndarray) -> bytes:
    """An ``(height, width, 3)`` uint8 image as PNG bytes, built for speed.

    Every row uses filter type 0 (none) and zlib runs at level 1. Pillow tries every row
    filter on every row, which costs ~15 ms for an explorer frame; the flat colours of a
    figure compress about as well without them, in ~5 ms.
    """
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # a leading 0 per row: "no filter"
    rows[:, 1:] = rgb.reshape(height, -1)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
            + chunk(b"IEND", b""))


# --------------------------------------------------------------------------- views


class _View:
    """A figure built once, a red message line on top, a readout and a fast PNG."""

    def __init__(self, objective: Objective | None, figsize: tuple[float, float], dpi: int):
        self.objective = objective
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        # the suptitle reserves a line at the top; it holds warnings ("diverged at step ...")
        self.message = self.figure.suptitle(" ", color=plotting.DIVERGED_COLOR, fontweight="bold", fontsize=11)
        self.summary = ""
        self.result: Any = None
        self._background: Any = None
        self._low, self._high = np.array(objective.bounds if objective else [(-np.inf, np.inf)], dtype=float).T
        self._limits: Any = None
        self._boxes: dict[Any, Any] = {}

    def _freeze_layout(self) -> None:
        """Lay out once; later draws reuse the positions (constrained layout costs a draw).

        A strip on the right stays free: the last tick label of an epoch axis grows from "30"
        to "1000" as the slider moves, and would otherwise be cut off at the figure's edge.
        """
        engine = self.figure.get_layout_engine()
        engine.set(rect=(0, 0, 0.975, 1))
        engine.execute(self.figure)
        self.figure.set_layout_engine("none")
        self._say()

    def _say(self, *lines: str) -> None:
        text = "\n".join(line for line in lines if line)
        self.message.set_text(text)
        self.message.set_visible(bool(text))

    def update(self, **params: Any) -> Any:
        """Recompute for ``params`` and update the artists; bad input becomes a message."""
        try:
            self.result = self._update(**params)
        except (ValueError, TypeError) as err:
            self._say(f"{err}")
            self.summary = f"not run: {err}"
            self.result = None
        return self.result

    def _update(self, **params: Any) -> Any:
        raise NotImplementedError

    def _warnings(self, runs: Mapping[str, Trajectory], start: Any) -> list[str]:
        lines = []
        for (lo, hi), v, s in zip(self.objective.bounds, self.objective.variable_names, np.atleast_1d(start),
                                  strict=True):
            if not lo <= s <= hi:
                lines.append(f"start {v} = {s:.3g} is outside the plotted range [{lo:g}, {hi:g}]")
        started_inside = not lines
        for name, t in runs.items():
            who = f"{name} " if len(runs) > 1 else ""
            if t.diverged:
                lines.append(f"{who}diverged at step {int(t.diverged_at)} - lower the learning rate")
            elif started_inside:
                outside = np.flatnonzero(np.any((t.x.reshape(len(t.x), -1) < self._low)
                                                | (t.x.reshape(len(t.x), -1) > self._high), axis=1))
                if outside.size and outside[-1] == len(t.x) - 1:  # it ends outside the view
                    lines.append(f"{who}left the plotted range at step {outside[0]} and keeps growing - lower the "
                                 "learning rate" if _growing(t) else f"{who}ends outside the plotted range, at "
                                 f"{_fmt(t.final)}")
        return lines

    def _dynamic(self) -> list[Artist]:
        """The artists ``update`` changes; everything else is drawn once into a background."""
        return [self.message]

    def png(self) -> bytes:
        """The figure as PNG bytes, drawing only what changed since the last call.

        The static part (landscape, curve, ticks, colour bar) is kept as a pixel background;
        each call restores it, draws the dynamic artists on top and encodes the buffer with
        :func:`encode_png`. When an axes' limits change (the epochs slider), only that axes
        is re-rendered into the background: constrained layout keeps axes' decorations apart.
        """
        canvas, renderer = self.figure.canvas, self.figure.canvas.get_renderer()
        dynamic = self._dynamic()
        limits = [(ax.get_xlim(), ax.get_ylim()) for ax in self.figure.axes]
        stale = [ax for ax, lim, old in zip(self.figure.axes, limits, self._limits or [None] * len(limits),
                                            strict=True) if lim != old]
        if stale:
            shown = [a for a in dynamic if a.get_visible()]
            for a in shown:
                a.set_visible(False)
            if self._background is None:
                canvas.draw()
            else:
                canvas.restore_region(self._background)
                for ax in stale:  # wipe the old ticks and labels, then draw the axes anew
                    old, self._boxes[ax] = self._boxes[ax], ax.get_tightbbox(renderer)
                    box = Bbox.union([old, self._boxes[ax]]).padded(2)
                    wipe = Rectangle(box.p0, box.width, box.height, transform=IdentityTransform(),
                                     facecolor=self.figure.get_facecolor(), edgecolor="none")
                    wipe.set_figure(self.figure)
                    wipe.draw(renderer)
                    ax.draw(renderer)
            if not self._boxes:
                self._boxes = {ax: ax.get_tightbbox(renderer) for ax in self.figure.axes}
            self._background, self._limits = canvas.copy_from_bbox(self.figure.bbox), limits
            for a in shown:
                a.set_visible(True)
        else:
            canvas.restore_region(self._background)
        for a in sorted(dynamic, key=lambda a: a.get_zorder()):
            if a.get_visible():
                a.draw(renderer)
        return encode_png(np.asarray(canvas.buffer_rgba())[..., :3])


class _Paths:
    """Runs drawn over the objective: on the curve in 1-D, on a heat map in 2-D."""

    def __init__(self, ax: Any, runs: Mapping[str, Trajectory], n: int):
        objective = next(iter(runs.values())).objective
        self.dim = objective.dim
        if self.dim == 1:
            plotting.plot_function_1d(objective, ax, derivative=False, legend=False)
            self.drawn: list[Any] = [plotting.plot_descent_1d(t, ax, curve=False, color=_COLORS[i], label=name)
                                     for i, (name, t) in enumerate(runs.items())]
        else:  # imshow, not contourf: a raster is one cheap blit per redraw
            plotting.plot_landscape(objective, ax, kind="heatmap", n=n)
            plotting.mark_extrema(objective, ax, maxima=False)
            self.drawn = plotting.plot_paths(runs, ax, colors=_COLORS, legend=False)
        self._tidy(runs)

    def update(self, runs: Mapping[str, Trajectory]) -> None:
        if self.dim == 1:
            self.drawn = [plotting.update_descent_1d(d, t) for d, t in zip(self.drawn, runs.values(), strict=True)]
        else:
            self.drawn = plotting.update_paths(self.drawn, runs)
        self._tidy(runs)

    def _tidy(self, runs: Mapping[str, Trajectory]) -> None:
        for d, t in zip(self.drawn, runs.values(), strict=True):
            if self.dim == 1:  # the view's own message says it once, with advice
                d.note.set_visible(False)
                d.points.set_markevery(_early_and_sparse(t.epochs + 1))
            else:  # a haloed marker costs ~0.1 ms to draw: show at most ~50 along a long path
                d.line.set_markevery(max(1, t.epochs // 50))

    def artists(self) -> list[Artist]:
        return [a for d in self.drawn for a in d if isinstance(a, Artist)]

    def line(self, i: int) -> Any:
        """The Line2D holding run i's positions (x_t, f(x_t)) in 1-D, (x_t, y_t) in 2-D."""
        return self.drawn[i].points if self.dim == 1 else self.drawn[i].line


def _early_and_sparse(n: int, early: int = 100, late: int = 50) -> Any:
    """Marker indices for a long 1-D run: every one of the first steps, then log-spaced.

    The steps that teach (overshoot, oscillation) come first; later ones pile up at the
    minimum, where a thousand markers cost milliseconds and show one dot.
    """
    if n <= early + late:
        return None
    return np.unique(np.r_[np.arange(early), np.geomspace(early, n - 1, late).astype(int)]).tolist()


def _panel_range(objective: Objective, what: str) -> tuple[float, float] | None:
    """A fixed y range for a history panel: the quantity's range over the plotted window.

    Fixed limits keep the ticks (the costly part of a redraw) still while a slider moves;
    a run that leaves the window is clipped at its edge, as on the landscape.
    """
    if what == "lr":
        return None
    if objective.dim == 1:
        xs = np.linspace(*objective.bounds[0], 400)
        columns = [xs]
    else:
        columns = list(plotting.landscape_grid(objective, 100)[:2])
    with np.errstate(all="ignore"):
        values = {"x": np.array(objective.bounds, dtype=float),
                  "f": objective.value_columns(columns),
                  "grad": (objective.grad_columns(columns)[0] if objective.dim == 1
                           else np.linalg.norm(objective.grad_columns(columns), axis=0))}[what]
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    pad = 0.05 * (hi - lo) or 1.0
    return lo - pad, hi + pad


class RunView(_View):
    """Runs on their landscape (left) and histories against the epoch (right, stacked).

    ``run(**params) -> {name: Trajectory}`` is the whole computation; ``panels`` are the
    :func:`gdviz.plotting.plot_history` quantities ("x", "grad", "f", "lr") to show, the
    ones in ``log`` on a log axis. The constructors :meth:`descent`, :meth:`optimizers`
    and :meth:`schedule` are the views behind the explorers.
    """

    def __init__(self, objective: Objective, run: Callable[..., dict[str, Trajectory]], params: Mapping[str, Any],
                 panels: Sequence[str] = ("f",), *, log: Sequence[str] = (), figsize: tuple[float, float] = (10, 4),
                 dpi: int = _DPI, n: int = 150):
        super().__init__(objective, figsize, dpi)
        self.run, self.panels, self.log, self.params = run, tuple(panels), set(log), dict(params)
        grid = self.figure.add_gridspec(len(self.panels), 2, width_ratios=(1.35, 1))
        self.ax = self.figure.add_subplot(grid[:, 0])
        self.axes = {p: self.figure.add_subplot(grid[i, 1]) for i, p in enumerate(self.panels)}
        runs = run(**params)
        self.paths = _Paths(self.ax, runs, n)
        legend = "best" if len(runs) > 1 else False
        self.lines = {p: plotting.plot_history(runs, p, ax, log=p in self.log, colors=_COLORS,
                                               legend=legend if i == len(self.panels) - 1 else False)
                      for i, (p, ax) in enumerate(self.axes.items())}
        for ax in list(self.axes.values())[:-1]:
            ax.set_xlabel("")
        self.ranges = {p: None if p in self.log else _panel_range(objective, p) for p in self.panels}
        self._freeze_layout()
        self.update(**params)

    def _update(self, **params: Any) -> Trajectory | dict[str, Trajectory]:
        runs = self.run(**params)
        self.paths.update(runs)
        epochs = max(t.epochs for t in runs.values())
        for p, lines in self.lines.items():
            plotting.update_history(lines, runs, p, log=p in self.log)
            self.axes[p].set_xlim(0, max(epochs - (p == "lr"), 1))
            if self.ranges[p] is not None:
                self.axes[p].set_ylim(*self.ranges[p])
        first = next(iter(runs.values()))
        self._say(*self._warnings(runs, first.x[0]))
        self.summary = "\n".join(_readout(name, t, len(runs) > 1) for name, t in runs.items())
        return first if len(runs) == 1 else runs

    def _dynamic(self) -> list[Artist]:
        return [self.message, *self.paths.artists(), *(line for lines in self.lines.values() for line in lines)]

    # ---- the views behind the explorers

    @classmethod
    def descent(cls, objective: Objective, *, lr: float = 0.05, epochs: int = 30, x0: Any = None,
                optimizer: str = "gd", **kwargs: Any) -> RunView:
        """One run: positions and derivative histories in 1-D, the loss in 2-D.

        ``update(lr=, epochs=, x0=, y0=, optimizer=)`` (``y0`` for a 2-D objective only).
        """
        start = default_start(objective) if x0 is None else list(np.atleast_1d(x0))
        panels = ("x", "grad") if objective.dim == 1 else ("f",)
        return cls(objective, _descent_run(objective), dict(_start_params(objective, start), lr=lr, epochs=epochs,
                                                                 optimizer=optimizer), panels, **kwargs)

    @classmethod
    def optimizers(cls, objective: Objective, optimizers: Sequence[str] = ("gd", "momentum", "nesterov", "adam"), *,
                   lr: float = 0.01, epochs: int = 100, x0: Any = None, **kwargs: Any) -> RunView:
        """Several optimizers from one start; loss on a log axis.

        ``update(lr=, epochs=, x0=, y0=, **hyper)`` with hyper-parameters named
        ``"<optimizer>.<parameter>"``, e.g. ``**{"adam.beta1": 0.8}`` (defaults otherwise).
        """
        start = default_start(objective) if x0 is None else list(np.atleast_1d(x0))
        names = [name.lower() for name in optimizers]
        for name in names:
            _optimizers.get(name)  # an unknown name fails here, listing the valid ones
        return cls(objective, _race_run(objective, names), dict(_start_params(objective, start), lr=lr, epochs=epochs),
                   ("f",), log=("f",), **kwargs)

    @classmethod
    def schedule(cls, objective: Objective, *, schedule: str = "step_decay", lr: float = 0.1, epochs: int = 100,
                 x0: Any = None, optimizer: str = "gd", **kwargs: Any) -> RunView:
        """One run under a learning-rate schedule: lr(t), the path and the loss.

        ``update(schedule=, lr=, epochs=, x0=, y0=, **schedule_params)``; parameters that
        the chosen schedule does not take are ignored.
        """
        start = default_start(objective) if x0 is None else list(np.atleast_1d(x0))
        params = dict(_start_params(objective, start), schedule=schedule, lr=lr, epochs=epochs)
        return cls(objective, _schedule_run(objective, optimizer), params, ("lr", "f"), **kwargs)


def _growing(t: Trajectory) -> bool:
    """Is the step size still growing at the end (an oscillation that blows up)?"""
    steps = np.abs(np.diff(t.x.reshape(len(t.x), -1), axis=0)).max(axis=1)
    return len(steps) >= 3 and steps[-1] > steps[-2] > steps[-3] > 0


def _readout(name: str, t: Trajectory, named: bool) -> str:
    steps = int(t.diverged_at) - 1 if t.diverged else t.epochs
    state = f"yes, at step {int(t.diverged_at)}" if t.diverged else "no"
    head = f"{name:>9}: " if named else ""
    return f"{head}final x = {_fmt(t.final)}   f(x) = {float(t.final_f):.6g}   steps = {steps}   diverged: {state}"


def _start_params(objective: Objective, start: Sequence[float]) -> dict[str, float]:
    if len(start) != objective.dim or objective.dim > 2:
        raise ValueError(f"x0: explorers need a 1-D or 2-D objective and a start of that length, got {start!r}")
    return dict(zip(("x0", "y0"), map(float, start), strict=False))


def _point(x0: float, y0: float | None) -> Any:
    return x0 if y0 is None else [x0, y0]


def _descent_run(objective: Objective) -> Callable[..., dict[str, Trajectory]]:
    def run(lr: float, epochs: int, x0: float, y0: float | None = None, optimizer: str = "gd") -> dict:
        return {optimizer: descend(objective, _point(x0, y0), lr=lr, epochs=epochs, optimizer=optimizer)}
    return run


def _race_run(objective: Objective, names: Sequence[str]) -> Callable[..., dict[str, Trajectory]]:
    def run(lr: float, epochs: int, x0: float, y0: float | None = None, **hyper: float) -> dict:
        out = {}
        for name in names:
            mine = {k.split(".", 1)[1]: v for k, v in hyper.items() if k.split(".", 1)[0] == name}
            out[name] = descend(objective, _point(x0, y0), lr=lr, epochs=epochs,
                                optimizer=_optimizers.NAMES[name](**mine))
        return out
    return run


def _schedule_run(objective: Objective, optimizer: str) -> Callable[..., dict[str, Trajectory]]:
    def run(schedule: str, lr: float, epochs: int, x0: float, y0: float | None = None, **settings: Any) -> dict:
        factory = _schedules.NAMES[schedule]
        mine = {k: v for k, v in settings.items() if k in _numeric_params(factory)}
        return {schedule: descend(objective, _point(x0, y0), lr=lr, epochs=epochs, optimizer=optimizer,
                                  schedule=factory(**mine))}
    return run


def _numeric_params(factory: Callable[..., Any]) -> dict[str, float]:
    """A factory's numeric keyword arguments and their defaults (``warmup``'s ``then`` is not one)."""
    return {p.name: p.default for p in inspect.signature(factory).parameters.values()
            if isinstance(p.default, (int, float)) and not isinstance(p.default, bool)}


class SweepView(_View):
    """A learning rate x epochs heat map computed once, a marker on one cell and its run.

    ``update(lr=, epochs=)`` moves the marker and draws that run's path; both values
    should be points of the grid (the explorer's sliders only offer those).
    """

    def __init__(self, objective: Objective, x0: Any, lrs: Sequence[float], epochs_grid: Sequence[int], *,
                 optimizer: str = "gd", value: str | None = None, lr: float | None = None,
                 epochs: int | None = None, figsize: tuple[float, float] = (10, 4), dpi: int = _DPI, n: int = 150):
        super().__init__(objective, figsize, dpi)
        self.x0, self.optimizer = x0, optimizer
        self.lrs = np.asarray(lrs, dtype=float)
        self.epochs_grid = np.asarray(epochs_grid, dtype=int)
        self.sweep = sweep(objective, x0, lr=self.lrs, epochs=self.epochs_grid, optimizer=optimizer)
        ax_map, self.ax = self.figure.subplots(1, 2, width_ratios=(1, 1.2))
        self.heatmap = plotting.plot_sweep_heatmap(self.sweep, ax_map, value=value or ("x" if objective.dim == 1
                                                                                        else "f"))
        lr = float(self.lrs[len(self.lrs) // 2]) if lr is None else lr
        epochs = int(self.epochs_grid[len(self.epochs_grid) // 2]) if epochs is None else epochs
        (self.marker,) = ax_map.plot([lr], [epochs], "s", ms=13, mfc="none", mec="white", mew=2.5, zorder=5)
        self.paths = _Paths(self.ax, self._run(lr, epochs), n)
        self._freeze_layout()
        self.update(lr=lr, epochs=epochs)

    def _run(self, lr: float, epochs: int) -> dict[str, Trajectory]:
        return {f"lr={lr:.3g}, {epochs} epochs": descend(self.objective, self.x0, lr=lr, epochs=epochs,
                                                          optimizer=self.optimizer)}

    def _dynamic(self) -> list[Artist]:
        return [self.message, self.marker, *self.paths.artists()]

    def cell(self, lr: float, epochs: int) -> tuple[int, int]:
        """Row (epochs) and column (lr) of the grid cell nearest to ``(lr, epochs)``."""
        return int(np.abs(self.epochs_grid - epochs).argmin()), int(np.abs(self.lrs - lr).argmin())

    def _update(self, lr: float, epochs: int) -> Trajectory:
        runs = self._run(lr, epochs)
        self.marker.set_data([lr], [epochs])
        self.paths.update(runs)
        (traj,) = runs.values()
        row, col = self.cell(lr, epochs)
        shown = self.heatmap.mesh.get_array()[row, col]
        self._say(*self._warnings(runs, np.asarray(self.x0).ravel()[: self.objective.dim]))
        self.summary = (f"lr = {lr:.4g}, epochs = {epochs}: " + _readout("", traj, False)
                        + f"   (heat map cell: {'diverged' if np.ma.is_masked(shown) else f'{float(shown):.4g}'})")
        return traj


# --------------------------------------------------------------------------- the widget layer


class Explorer(widgets.VBox):
    """A view with its controls: sliders on top, the figure in a fixed-height Output, a readout.

    ``controls`` maps each parameter of ``view.update`` to the widget that sets it;
    ``result`` is what the last update returned and ``image`` the PNG bytes shown.
    """

    def __init__(self, view: _View, controls: Mapping[str, widgets.Widget],
                 rows: Sequence[widgets.Widget] | None = None):
        height = view.figure.get_size_inches()[1] * view.figure.dpi
        self.view, self.controls = view, dict(controls)
        # a fixed height: the page does not jump while the figure is replaced
        self.output = widgets.Output(layout=widgets.Layout(height=f"{height + 8:.0f}px", overflow="hidden"))
        self.readout = widgets.HTML()
        self.result: Any = None
        self.image = b""
        rows = rows if rows is not None else [_wrap(list(self.controls.values()))]
        super().__init__([*rows, self.output, self.readout])
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self.refresh()

    @property
    def values(self) -> dict[str, Any]:
        return {name: control.value for name, control in self.controls.items()}

    # Where no widget manager runs (GitHub's notebook view, a Colab notebook not run yet,
    # nbviewer) the saved output falls back to these: the figure as a PNG and a line of
    # text. Live front ends rank the widget view above both and show the sliders.
    def __repr__(self) -> str:
        return f"gdviz explorer with sliders for {', '.join(self.controls)}: run the notebook to move them"

    def _add_picture(self, data: dict[str, Any]) -> dict[str, Any]:
        data["text/plain"] = repr(self)
        data["image/png"] = base64.b64encode(self.image).decode("ascii")
        return data

    if hasattr(widgets.Widget, "_repr_mimebundle_"):  # ipywidgets 8

        def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any] | None:
            data = super()._repr_mimebundle_(**kwargs)
            return None if data is None else self._add_picture(data)

    else:  # ipywidgets 7 publishes its display data itself

        def _ipython_display_(self, **kwargs: Any) -> None:
            view = {"version_major": 2, "version_minor": 0, "model_id": self._model_id}
            display(self._add_picture({"application/vnd.jupyter.widget-view+json": view}), raw=True)
            self._handle_displayed(**kwargs)

    def _changed(self, change: Mapping[str, Any]) -> None:
        self.refresh()

    def refresh(self) -> Any:
        """Update the view from the controls and show the new figure."""
        self.result = self.view.update(**self.values)
        self.readout.value = ("<pre style='margin:0; font-size:12px; white-space:pre-wrap; word-break:normal; "
                              f"overflow-wrap:normal'>{html.escape(self.view.summary)}</pre>")
        self.image = self.view.png()
        shell = get_ipython()
        if shell is not None and getattr(shell, "kernel", None) is not None:
            with self.output:
                clear_output(wait=True)
                display(Image(data=self.image, format="png"))
        else:  # no kernel (a script, the tests): put the output on the widget's model directly
            data = {"image/png": base64.b64encode(self.image).decode("ascii"), "text/plain": "<figure>"}
            self.output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)
        return self.result


_STYLE = {"description_width": "initial"}


def _wrap(children: list[widgets.Widget]) -> widgets.HBox:
    return widgets.HBox(children, layout=widgets.Layout(flex_flow="row wrap"))


def _lr_slider(lr: float, lr_range: tuple[float, float]) -> widgets.FloatLogSlider:
    lo, hi = (math.log10(min(lr, lr_range[0])), math.log10(max(lr, lr_range[1])))
    return widgets.FloatLogSlider(value=lr, base=10, min=lo, max=hi, step=0.01, description="learning rate",
                                  readout_format=".3g", style=_STYLE)


def _epochs_slider(epochs: int, max_epochs: int | None) -> widgets.IntSlider:
    top = max_epochs or max(100, 4 * epochs)
    return widgets.IntSlider(value=epochs, min=1, max=max(top, epochs), description="epochs", style=_STYLE)


def _nice_step(span: float, ticks: int = 200) -> float:
    """A step of 1, 2 or 5 times a power of ten that cuts ``span`` into about ``ticks`` parts."""
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return min((m * power for m in (1, 2, 5, 10)), key=lambda step: abs(step - raw))


def _start_sliders(objective: Objective, start: Mapping[str, float]) -> dict[str, widgets.FloatSlider]:
    """One slider per coordinate on a round grid (0.05, 0.02, ...) so that round starts lie on it."""
    out = {}
    for (key, value), (lo, hi), v in zip(start.items(), objective.bounds, objective.variable_names, strict=True):
        step = _nice_step(hi - lo)
        low, high = math.floor(min(lo, value) / step) * step, math.ceil(max(hi, value) / step) * step
        decimals = max(0, -math.floor(math.log10(step)))
        out[key] = widgets.FloatSlider(value=value, min=low, max=high, step=step, description=f"start {v}",
                                       readout_format=f".{decimals}f", style=_STYLE)
    return out


def _run_controls(view: RunView, lr_range: tuple[float, float], max_epochs: int | None) -> dict[str, widgets.Widget]:
    """Learning rate, epochs and start sliders for the parameters ``view`` was built with."""
    params = view.params
    start = {k: params[k] for k in ("x0", "y0") if k in params}
    return {"lr": _lr_slider(params["lr"], lr_range), "epochs": _epochs_slider(params["epochs"], max_epochs),
            **_start_sliders(view.objective, start)}


def _hyper_slider(name: str, value: float) -> widgets.Widget:
    if name == "eps":
        return widgets.FloatLogSlider(value=value, base=10, min=-10, max=-1, description=name, readout_format=".0e")
    return widgets.FloatSlider(value=value, min=0.0, max=0.999, step=0.001, description=name, readout_format=".3f")


_SCHEDULE_SLIDERS: dict[str, Callable[[float], widgets.Widget]] = {
    "factor": lambda v: widgets.FloatSlider(value=v, min=0.05, max=0.95, step=0.05, description="factor"),
    "every": lambda v: widgets.IntSlider(value=v, min=1, max=100, description="every"),
    "alpha": lambda v: widgets.FloatSlider(value=v, min=0.8, max=1.0, step=0.001, readout_format=".3f",
                                           description="alpha"),
    "final": lambda v: widgets.FloatSlider(value=v, min=0.0, max=0.95, step=0.05, description="final"),
    "steps": lambda v: widgets.IntSlider(value=v, min=1, max=100, description="warm-up steps", style=_STYLE),
}


def _show_only(picker: widgets.Dropdown, settings: Mapping[str, widgets.Widget],
               relevant: Callable[[str], Any]) -> None:
    """Show only the ``settings`` that ``relevant(picker.value)`` names, now and whenever the
    picker changes. Call it before the Explorer is built: its observer then runs before the
    redraw, so the sliders and the figure change together."""

    def show(change: Any = None) -> None:
        keep = relevant(picker.value)
        for name, control in settings.items():
            control.layout.display = "" if name in keep else "none"

    picker.observe(show, names="value")
    show()


def explore_1d(objective: Objective, lr: float = 0.05, epochs: int = 30, x0: float | None = None, *,
               lr_range: tuple[float, float] = (1e-4, 1.0), max_epochs: int | None = None, **view: Any) -> Explorer:
    """Learning rate (log slider), epochs and start for gradient descent on a 1-D objective.

    Shows the run on the curve, position and derivative against the epoch, and a readout
    of final x, f(x), steps and divergence. ``view`` goes to :meth:`RunView.descent`.

    >>> import gdviz as gd
    >>> w = explore_1d(gd.functions.quadratic, lr=0.1)
    >>> w.controls["lr"].value = 0.9                      # past 2 / f'' = 1/3: diverges
    >>> w.view.message.get_text()
    'diverged at step 19 - lower the learning rate'
    """
    drawing = RunView.descent(objective, lr=lr, epochs=epochs, x0=x0, **view)
    return Explorer(drawing, _run_controls(drawing, lr_range, max_epochs))


def explore_2d(objective: Objective, x0: Sequence[float] | None = None, lr: float = 0.01, epochs: int = 100,
               optimizer: str = "gd", *, lr_range: tuple[float, float] = (1e-4, 1.0), max_epochs: int | None = None,
               **view: Any) -> Explorer:
    """Start x, start y, learning rate (log slider), epochs and optimizer on a 2-D landscape.

    Shows the path on a heat map of the landscape and the loss against the epoch.
    """
    drawing = RunView.descent(objective, lr=lr, epochs=epochs, x0=x0, optimizer=optimizer, **view)
    controls = _run_controls(drawing, lr_range, max_epochs)
    controls["optimizer"] = widgets.Dropdown(options=list(_optimizers.NAMES), value=optimizer.lower(),
                                             description="optimizer")
    return Explorer(drawing, controls)


def explore_optimizers(objective: Objective, optimizers: Sequence[str] = ("gd", "momentum", "nesterov", "adam"),
                       lr: float = 0.01, epochs: int = 100, x0: Any = None, *,
                       lr_range: tuple[float, float] = (1e-4, 1.0), max_epochs: int | None = None,
                       **view: Any) -> Explorer:
    """Several optimizers racing from one start: shared lr, epochs and start on top, each
    optimizer's hyper-parameters (betas, rho, eps) in its own pane of an Accordion.

    Controls are named ``"lr"``, ``"epochs"``, ``"x0"``, ``"y0"`` and ``"<optimizer>.<param>"``.
    """
    drawing = RunView.optimizers(objective, optimizers, lr=lr, epochs=epochs, x0=x0, **view)
    shared = _run_controls(drawing, lr_range, max_epochs)
    panes, hyper = [], {}
    for name in (n.lower() for n in optimizers):
        mine = {f"{name}.{p}": _hyper_slider(p, v) for p, v in _numeric_params(_optimizers.NAMES[name]).items()}
        hyper.update(mine)
        panes.append(widgets.VBox(list(mine.values()) or [widgets.HTML("no hyper-parameters")]))
    settings = widgets.Accordion(children=panes)
    for i, name in enumerate(optimizers):
        settings.set_title(i, name)
    return Explorer(drawing, {**shared, **hyper}, rows=[_wrap(list(shared.values())), settings])


def explore_schedule(objective: Objective, schedule: str = "step_decay", lr: float = 0.1, epochs: int = 100,
                     x0: Any = None, *, optimizer: str = "gd", lr_range: tuple[float, float] = (1e-4, 1.0),
                     max_epochs: int | None = None, **view: Any) -> Explorer:
    """A schedule picker with the sliders of the chosen schedule's parameters (the others
    are hidden), plus lr, epochs and start; shows lr(t), the path and the loss together.
    """
    drawing = RunView.schedule(objective, schedule=schedule, lr=lr, epochs=epochs, x0=x0, optimizer=optimizer,
                               **view)
    picker = widgets.Dropdown(options=list(_schedules.NAMES), value=schedule, description="schedule")
    settings: dict[str, widgets.Widget] = {}
    for factory in _schedules.NAMES.values():
        for p, v in _numeric_params(factory).items():
            settings.setdefault(p, _SCHEDULE_SLIDERS[p](v))

    _show_only(picker, settings, lambda name: _numeric_params(_schedules.NAMES[name]))
    shared = _run_controls(drawing, lr_range, max_epochs)
    return Explorer(drawing, {"schedule": picker, **settings, **shared},
                    rows=[_wrap([picker, *settings.values()]), _wrap(list(shared.values()))])


def explore_sweep(objective: Objective, x0: Any, lrs: Sequence[float], epochs_grid: Sequence[int], *,
                  optimizer: str = "gd", **view: Any) -> Explorer:
    """A learning rate x epochs heat map of the final value, computed once by
    :func:`gdviz.sweep`; two sliders pick a cell, a marker moves to it and its run is drawn.

    >>> import gdviz as gd
    >>> w = explore_sweep(gd.functions.quadratic, 1.5, lrs=[0.01, 0.1, 0.2], epochs_grid=[5, 20, 50])
    >>> w.controls["lr"].value = 0.2
    >>> round(w.result.final, 4)
    0.5
    """
    drawing = SweepView(objective, x0, lrs, epochs_grid, optimizer=optimizer, **view)
    lr, epochs = drawing.marker.get_xdata()[0], drawing.marker.get_ydata()[0]
    controls = {
        "lr": widgets.SelectionSlider(options=[(f"{v:.3g}", float(v)) for v in drawing.lrs], value=float(lr),
                                      description="learning rate", style=_STYLE),
        "epochs": widgets.SelectionSlider(options=[(str(e), int(e)) for e in drawing.epochs_grid],
                                          value=int(epochs), description="epochs", style=_STYLE),
    }
    return Explorer(drawing, controls)


# =========================================================================== explore_deep (notebook 05)

#: Verdict thresholds on ratio = |gradient at layer 1| / |gradient at layer L|: below
#: :data:`VANISHING` the first layer gets less than a tenth of what the last one gets, so it
#: learns more than ten times slower ("vanishing"); above :data:`EXPLODING` more than ten times
#: as much ("exploding"); in between "healthy". Overflow (inf or NaN anywhere) is "exploding",
#: a first-layer gradient of exactly 0 "vanishing". With 10 layers of width 32: sigmoid at unit
#: scale 0.04 (vanishing), tanh with Xavier 0.3 and ReLU with He 1.3 (healthy), ReLU at unit
#: scale 3e5 (exploding).
VANISHING, EXPLODING = 0.1, 10.0
_SIGMOID_SLOPE = 0.25  # max of sigmoid'(z) = s (1 - s), at z = 0


def _heading(ax: Any) -> Any:
    """A title that changes with the sliders: a Text of its own (an axes title is placed
    while the axes draws, so it cannot be redrawn alone), with room reserved by a blank title."""
    ax.set_title(" ")
    return ax.text(0.5, 1.0, "", transform=ax.transAxes, ha="center", va="bottom", fontsize=12)


def gradient_verdict(norms: Any) -> tuple[str, float]:
    """("vanishing" | "exploding" | "healthy", first / last) for per-layer gradient norms.

    >>> gradient_verdict([1e-5, 1e-3, 1.0])
    ('vanishing', 1e-05)
    >>> gradient_verdict([2.0, 1.0, 1.0])
    ('healthy', 2.0)
    """
    norms = np.asarray(norms, dtype=float)
    if not np.all(np.isfinite(norms)):
        return "exploding", math.nan
    first, last = float(norms[0]), float(norms[-1])
    if first == 0.0 or last == 0.0:
        return ("vanishing", 0.0) if first == 0.0 else ("exploding", math.inf)
    ratio = first / last
    return ("vanishing" if ratio < VANISHING else "exploding" if ratio > EXPLODING else "healthy"), ratio


class DeepView(_View):
    """Gradient magnitude per layer of a random MLP (:func:`gdviz.deep.layer_gradient_norms`).

    ``update(depth=, activation=, scale=, scheme=, residual=, normalize=)`` returns the norms
    it drew (first layer first). The green band is "healthy": within a factor 10 of the last
    layer's gradient (:data:`VANISHING`, :data:`EXPLODING`); for sigmoid a dashed line traces
    the 0.25^n bound back from the last layer.
    """

    def __init__(self, depth: int = 10, activation: str = "sigmoid", scale: float = 1.0, scheme: str = "normal", *,
                 residual: bool = False, normalize: bool = False, width: int = 32, seed: Any = 0,
                 n_samples: int = 64, figsize: tuple[float, float] = (9, 3.8), dpi: int = _DPI):
        super().__init__(None, figsize, dpi)
        self.width, self.seed, self.n_samples = width, seed, n_samples
        self.ax = self.figure.add_subplot()
        self.drawn = plotting.plot_layer_gradients(np.ones(2), self.ax, bound=_SIGMOID_SLOPE)
        band = blended_transform_factory(self.ax.transAxes, self.ax.transData)
        self.band = Rectangle((0, 1), 1, 1, transform=band, facecolor=plotting.COLORS[2], alpha=0.12,
                              edgecolor="none", zorder=1)
        self.ax.add_patch(self.band)
        self.ax.legend([self.drawn.line, self.drawn.bound, self.band],
                       ["|dL/d input| of each layer", f"sigmoid bound:\n×{_SIGMOID_SLOPE:g} per layer",
                        "healthy: within ×10\nof the last layer"], loc="upper left", bbox_to_anchor=(1.01, 1.0),
                       frameon=False)
        self.verdict = self.ax.text(1.03, 0.0, "", transform=self.ax.transAxes, va="bottom", ha="left", fontsize=13,
                                    fontweight="bold", linespacing=1.5)
        self.heading = _heading(self.ax)
        self._freeze_layout()
        self.update(depth=depth, activation=activation, scale=scale, scheme=scheme, residual=residual,
                    normalize=normalize)

    def _dynamic(self) -> list[Artist]:
        return [self.message, self.heading, self.band, self.verdict, *self.drawn]

    def _update(self, depth: int, activation: str, scale: float, scheme: str, residual: bool = False,
                normalize: bool = False) -> np.ndarray:
        norms = _deep.layer_gradient_norms(depth, self.width, activation, scale=scale, scheme=scheme, seed=self.seed,
                                           residual=residual, normalize=normalize, n_samples=self.n_samples)
        sigmoid = _deep.get_activation(activation).name == "sigmoid"
        plotting.update_layer_gradients(self.drawn, norms, bound=_SIGMOID_SLOPE if sigmoid else None)
        verdict, ratio = gradient_verdict(norms)
        last = float(norms[-1])
        ok = np.isfinite(last) and last > 0
        self.band.set_y(last * VANISHING if ok else 1.0)
        self.band.set_height(last * (EXPLODING - VANISHING) if ok else 0.0)
        self.band.set_visible(bool(ok))
        self.verdict.set_text(f"{verdict}\nfirst / last = {ratio:.2g}")
        self.verdict.set_color({"healthy": plotting.COLORS[2], "vanishing": plotting.COLORS[0]}.get(
            verdict, plotting.DIVERGED_COLOR))
        extras = [x for x in ("residual" if residual else "", "normalized" if normalize else "") if x]
        self.heading.set_text(f"{depth} {activation} layers of width {self.width}, {scheme} init × {scale:.3g}"
                          + (f" ({', '.join(extras)})" if extras else ""))
        bad = int(np.count_nonzero(~np.isfinite(norms)))
        self._say(f"the passes overflowed (inf / NaN) at {bad} layer{'s' * (bad > 1)} - lower the weight scale"
                  if bad else "")
        per_layer = ratio ** (1 / (depth - 1)) if depth > 1 and np.isfinite(ratio) and ratio > 0 else math.nan
        zeros = np.flatnonzero(norms == 0)
        self.summary = (f"gradient at layer 1: {norms[0]:.3g}   at layer {depth}: {last:.3g}   "
                        f"ratio first / last: {ratio:.3g}" + (f" (×{per_layer:.3g} per layer)" if per_layer == per_layer
                                                             else "")
                        + f"   verdict: {verdict}   (vanishing below {VANISHING:g}, exploding above {EXPLODING:g})"
                        + (f"\nthe gradient is exactly 0 from layer {zeros[-1] + 1} down: no unit passes it on"
                           if zeros.size else ""))
        return norms


def explore_deep(depth: int = 10, activation: str = "sigmoid", scale: float = 1.0, scheme: str = "normal", *,
                 width: int = 32, residual: bool = False, normalize: bool = False, seed: Any = 0,
                 max_depth: int = 50, **view: Any) -> Explorer:
    """Depth, activation, weight scale (log), initialisation, residual connections and
    normalisation of a random MLP; the figure shows the gradient magnitude at every layer.

    The readout gives the gradient at the first and last layer, their ratio and a verdict
    ("vanishing" below 0.1, "exploding" above 10 or on overflow, else "healthy"; see
    :data:`VANISHING`). A slider move is one forward and one backward pass through at most
    ``max_depth`` layers of ``width`` units on 64 samples (a few milliseconds). ``view`` goes
    to :class:`DeepView`.

    >>> w = explore_deep(depth=10, activation="sigmoid", scheme="xavier")
    >>> w.view.verdict.get_text().split()[0]
    'vanishing'
    >>> w.controls["activation"].value = "tanh"
    >>> w.view.verdict.get_text().split()[0]
    'healthy'
    """
    drawing = DeepView(depth, activation, scale, scheme, residual=residual, normalize=normalize, width=width, seed=seed,
                       **view)
    controls = {
        "depth": widgets.IntSlider(value=depth, min=1, max=max(max_depth, depth), description="depth", style=_STYLE),
        "activation": widgets.Dropdown(options=["sigmoid", "tanh", "relu"], value=activation,
                                       description="activation", style=_STYLE),
        "scale": widgets.FloatLogSlider(value=scale, base=10, min=min(-2.0, math.log10(scale)),
                                        max=max(2.0, math.log10(scale)), step=0.02, description="weight scale",
                                        readout_format=".3g", style=_STYLE),
        "scheme": widgets.Dropdown(options=list(_deep.SCHEMES), value=scheme, description="initialisation",
                                   style=_STYLE),
        "residual": widgets.Checkbox(value=residual, description="residual connections", indent=False),
        "normalize": widgets.Checkbox(value=normalize, description="normalisation", indent=False),
    }
    return Explorer(drawing, controls)


# =========================================================================== explore_batches (notebook 07)


class BatchView(_View):
    """Batch, mini-batch or stochastic descent on a least-squares fit (:func:`gdviz.data.descend_data`).

    Left: the path on the (w, b) loss landscape; right: f - f* against epochs and against
    gradient evaluations. ``update(batch_size=, lr=, epochs=)`` returns the DataTrajectory.
    A move that would take more than ``max_updates`` updates is refused with a message.
    """

    def __init__(self, data: Any, *, lr: float = 0.05, epochs: int = 20, batch_size: int = 32, optimizer: str = "gd",
                 seed: Any = 0, params0: Any = None, max_updates: int = 10_000,
                 figsize: tuple[float, float] = (10, 4.2), dpi: int = _DPI, n: int = 150):
        objective = _data.LeastSquares(data) if isinstance(data, _data.Dataset) else data
        if not isinstance(objective, _data.LeastSquares):
            raise TypeError(f"data: expected a gdviz.data Dataset or LeastSquares, got {type(data).__name__}")
        if objective.dim != 2:
            raise ValueError(f"data: the (w, b) picture needs one feature, {objective.data.name} has {objective.k}")
        super().__init__(objective, figsize, dpi)
        self.optimizer, self.seed, self.max_updates = optimizer, seed, max_updates
        self.params0 = np.zeros(2) if params0 is None else np.asarray(params0, dtype=float)
        grid = self.figure.add_gridspec(2, 2, width_ratios=(1.3, 1))
        self.ax = self.figure.add_subplot(grid[:, 0])
        self.axes = {"epoch": self.figure.add_subplot(grid[0, 1]),
                     "grad_evals": self.figure.add_subplot(grid[1, 1])}
        first = _data.descend_data(objective, self.params0, lr=lr, epochs=1)  # a placeholder to build the artists
        self.paths = _Paths(self.ax, {"run": first}, n)
        self.ax.set_title(" ")
        self.heading = _heading(self.ax)
        self.lines = {k: plotting.plot_data_loss(first, ax, against=k) for k, ax in self.axes.items()}
        self._freeze_layout()
        self.update(batch_size=batch_size, lr=lr, epochs=epochs)

    def _dynamic(self) -> list[Artist]:
        return [self.message, self.heading, *self.paths.artists(), *self.lines.values()]

    def _update(self, batch_size: int, lr: float, epochs: int) -> _data.DataTrajectory:
        n = self.objective.n
        size = _data._check_batch_size(batch_size, n)
        updates = int(epochs) * -(-n // size)
        if updates > self.max_updates:
            raise ValueError(f"{updates} updates ({epochs} epochs x {-(-n // size)}) is more than this explorer runs "
                             f"per move ({self.max_updates}): fewer epochs or a larger batch")
        run = _data.descend_data(self.objective, self.params0, lr=lr, epochs=epochs, batch_size=size,
                                 optimizer=self.optimizer, seed=self.seed)
        self.paths.update({"run": run})
        for k, line in self.lines.items():
            plotting.update_data_loss(line, run, against=k)
        self.heading.set_text(f"{run.method} descent, batch size {size}, lr = {lr:.3g}")
        self._say(*self._warnings({"run": run}, self.params0))
        loss = self.objective
        self.summary = (f"{run.method} (b = {size} of n = {n}): {run.updates_per_epoch} updates per epoch, "
                        f"{run.epochs} updates in total, {int(run.grad_evals[-1])} gradient evaluations   "
                        f"final loss {float(run.final_f):.6g} (least squares: {loss.min_loss:.6g}) at (w, b) = "
                        f"{_fmt(run.final)}" + (f"   diverged at update {int(run.diverged_at)}"
                                                if run.diverged else ""))
        return run


def _batch_sizes(n: int) -> list[tuple[str, int]]:
    sizes = [2**k for k in range(n.bit_length()) if 2**k < n]
    return [("1 (SGD)" if b == 1 else str(b), b) for b in sizes] + [(f"{n} (batch)", n)]


def explore_batches(data: Any, lr: float = 0.05, epochs: int = 20, batch_size: int = 32, *, optimizer: str = "gd",
                    seed: Any = 0, params0: Any = None, lr_range: tuple[float, float] = (1e-3, 1.0),
                    max_epochs: int = 50, max_updates: int = 10_000, **view: Any) -> Explorer:
    """Batch size (1, 2, 4, ..., n), learning rate (log) and epochs for descent on a data set.

    ``data`` is a :class:`gdviz.data.Dataset` with one feature or its
    :class:`~gdviz.data.LeastSquares` objective; the run starts at ``params0`` (default
    (0, 0)) and shuffles with ``seed``, exactly as :func:`gdviz.data.descend_data`. A batch
    size that is not one of the slider's powers of two snaps to the nearest one below.

    Cost of a slider move: ``epochs * ceil(n / batch_size)`` updates of ~50 µs each plus
    50-200 ms of drawing: mini-batches of 32 on n = 200 for 20 epochs (140 updates) take
    ~0.1 s, SGD on n = 200 for 50 epochs (10,000 updates) ~0.7 s. Moves that would need
    more than ``max_updates`` updates show a message instead of running; keep n to a few
    hundred samples.
    """
    drawing = BatchView(data, lr=lr, epochs=epochs, batch_size=batch_size, optimizer=optimizer, seed=seed,
                        params0=params0, max_updates=max_updates, **view)
    options = _batch_sizes(drawing.objective.n)
    value = max((b for _, b in options if b <= batch_size), default=1)
    if drawing.result is not None and value != batch_size:
        drawing.update(batch_size=value, lr=lr, epochs=epochs)
    controls = {
        "batch_size": widgets.SelectionSlider(options=options, value=value, description="batch size", style=_STYLE),
        "lr": _lr_slider(lr, lr_range),
        "epochs": _epochs_slider(epochs, max_epochs),
    }
    return Explorer(drawing, controls)


# =========================================================================== explore_escape (notebook 08)

#: The strategies of :func:`escape_runs` and the settings each one uses.
STRATEGIES: dict[str, tuple[str, ...]] = {
    "gd": ("lr",), "restarts": ("lr", "restarts"), "momentum": ("lr", "beta"), "noise": ("lr", "noise"),
    "annealing": ("T0", "cooling", "step"), "adam": ("lr",),
}


class Escape(NamedTuple):
    """n attempts of one strategy. ``x`` has shape ``(epochs + 1, n)`` (1-D) or ``(epochs + 1, n, 2)``;
    for "restarts" each attempt is the best of its restarts."""

    strategy: str
    x: np.ndarray
    f: np.ndarray
    reached: np.ndarray  # (n,) bool: within tol of the global minimum at the end
    tol: float
    diverged: np.ndarray  # (n,) bool

    @property
    def share(self) -> float:
        return float(np.mean(self.reached))


def _scales(objective: Objective) -> tuple[float, float]:
    """Width of the plotted window (largest side) and the range of f over it."""
    box = np.array(objective.bounds, dtype=float)
    low, high = _panel_range(objective, "f")
    return float((box[:, 1] - box[:, 0]).max()), (high - low) / 1.1


def escape_defaults(objective: Objective) -> dict[str, float]:
    """Settings of :func:`escape_runs` scaled to the objective: tol = 1% of the range of f over
    the window, annealing T0 = 10% of that range and proposal step = 10% of the window."""
    width, spread = _scales(objective)
    return {"tol": 0.01 * spread, "T0": 0.1 * spread, "step": 0.1 * width, "cooling": 0.95, "beta": 0.9,
            "noise": 10.0, "restarts": 5}


def escape_runs(objective: Objective, strategy: str = "restarts", n: int = 20, *, lr: float = 0.01, epochs: int = 300,
                seed: Any = 0, tol: float | None = None, restarts: int = 5, beta: float = 0.9, noise: float = 10.0,
                T0: float | None = None, cooling: float = 0.95, step: float | None = None) -> Escape:
    """Run ``strategy`` from ``n`` seeded random starts and say which runs reach the global minimum.

    The starts are ``rng.uniform(low, high, size=(n, dim))`` with ``rng =
    np.random.default_rng(seed)`` (the draw of :func:`gdviz.search.random_restarts`), the
    same for every strategy, so switching strategy compares like with like:

    * "gd", "momentum" (``beta``), "adam": :func:`gdviz.descend` with that optimizer;
    * "noise": :func:`gdviz.search.noisy_descend` with ``noise`` (initial variance), same seed;
    * "restarts": ``random_restarts(n=restarts, trials=n)``: each attempt keeps the best of
      ``restarts`` descents (its own starts; with ``restarts=1`` it is "gd");
    * "annealing": :func:`gdviz.search.simulated_annealing` (``T0``, ``cooling``, ``step``)
      kept inside the window, same seed.

    A run "reaches" the global minimum when its final loss is within ``tol`` of it
    (:func:`gdviz.search.reached_global`); defaults from :func:`escape_defaults`.
    """
    if strategy not in STRATEGIES:
        raise ValueError(f"strategy: expected one of {list(STRATEGIES)}, got {strategy!r}")
    defaults = escape_defaults(objective)
    tol = defaults["tol"] if tol is None else tol
    if strategy == "restarts":
        result = _search.random_restarts(objective, n=restarts, lr=lr, epochs=epochs, seed=seed, trials=n)
        t = result.trajectory
        pick = np.asarray(result.best)[None, :, None]
        x = (np.take_along_axis(t.x, pick, axis=2)[:, :, 0] if objective.dim == 1
             else np.take_along_axis(t.x, pick[..., None], axis=2)[:, :, 0])
        f = np.take_along_axis(t.f, pick, axis=2)[:, :, 0]
        diverged = np.take_along_axis(np.asarray(t.diverged), pick[0], axis=1)[:, 0]
    else:
        box = np.array(objective.bounds, dtype=float)
        starts = _data._generator(seed).uniform(box[:, 0], box[:, 1], size=(_search._count("n", n), objective.dim))
        starts = starts[:, 0] if objective.dim == 1 else starts
        if strategy == "annealing":
            a = _search.simulated_annealing(objective, starts, epochs=epochs, T0=defaults["T0"] if T0 is None else T0,
                                            cooling=cooling, step=defaults["step"] if step is None else step,
                                            seed=seed, bounds=objective.bounds)
            x, f, diverged = a.x, a.f, a.diverged
        else:
            if strategy == "noise":
                t = _search.noisy_descend(objective, starts, lr=lr, epochs=epochs, noise=noise, seed=seed)
            else:
                opt = _optimizers.Momentum(beta=beta) if strategy == "momentum" else strategy
                t = descend(objective, starts, lr=lr, epochs=epochs, optimizer=opt)
            x, f, diverged = t.x, t.f, np.asarray(t.diverged)
    reached = _search.reached_global(objective, np.where(diverged, np.inf, f[-1]), tol=tol)
    return Escape(strategy, x, f, np.asarray(reached), float(tol), np.asarray(diverged))


class EscapeView(_View):
    """n runs of a strategy on a landscape, the ones reaching the global minimum highlighted,
    and every run's loss against the step. ``update(strategy=, n=, **settings)`` returns an
    :class:`Escape` (settings a strategy does not use are ignored)."""

    def __init__(self, objective: Objective, strategy: str = "restarts", n: int = 20, *, lr: float = 0.01,
                 epochs: int = 300, seed: Any = 0, tol: float | None = None, figsize: tuple[float, float] = (10, 4.2),
                 dpi: int = _DPI, **settings: Any):
        if objective.global_minimum is None:
            raise ValueError(f"objective: {objective.name} has no known global minimum to compare with")
        if objective.dim > 2:
            raise ValueError(f"objective: the explorer draws 1-D and 2-D objectives, {objective.name} has "
                             f"{objective.dim} variables")
        super().__init__(objective, figsize, dpi)
        self.epochs, self.seed, self.tol = epochs, seed, tol
        self.ax, ax_loss = self.figure.subplots(1, 2, width_ratios=(1.3, 1))
        empty = np.empty((1, 0)) if objective.dim == 1 else np.empty((1, 0, 2))
        self.drawn = plotting.plot_outcomes(objective, empty, np.empty(0, bool), self.ax)
        self.losses = plotting.plot_outcome_losses(np.zeros((epochs + 1, 0)), np.empty(0, bool), ax_loss,
                                                   f_star=objective.global_minimum.f)
        ax_loss.set_ylim(*_panel_range(objective, "f"))
        ax_loss.set_title("loss of every run")
        ax_loss.legend(handles=[self.losses.hits, self.losses.misses], loc="upper right", framealpha=0.9)
        self.ax.set_title(" ")
        self.heading = _heading(self.ax)
        self._freeze_layout()
        self.update(strategy=strategy, n=n, lr=lr, **settings)

    def _dynamic(self) -> list[Artist]:
        return [self.message, self.heading, *self.drawn, *self.losses, self.losses.hits.axes.get_legend()]

    def _update(self, strategy: str, n: int, **settings: Any) -> Escape:
        used = {k: v for k, v in settings.items() if k in STRATEGIES.get(strategy, ())}
        result = escape_runs(self.objective, strategy, n, epochs=self.epochs, seed=self.seed, tol=self.tol, **used)
        plotting.update_outcomes(self.drawn, self.objective, result.x, result.reached)
        plotting.update_outcome_losses(self.losses, result.f, result.reached)
        hits, total = int(result.reached.sum()), result.reached.size
        self.heading.set_text(f"{strategy}: {hits} of {total} runs reach the global minimum")
        lost = int(result.diverged.sum())
        self._say(f"{lost} of {total} runs diverged - lower the learning rate" if lost else "")
        best = self.objective.global_minimum
        shown = ", ".join(f"{k} = {v:.3g}" for k, v in used.items())
        self.summary = (f"{strategy}" + (f" ({shown})" if shown else "") + f": {hits} of {total} runs "
                        f"({result.share:.0%}) end within {result.tol:.3g} of the global minimum f* = {best.f:.4g}"
                        + (f"   diverged: {lost}" if lost else ""))
        return result


def explore_escape(objective: Objective, strategy: str = "restarts", n: int = 20, *, lr: float = 0.01,
                   epochs: int = 300, seed: Any = 0, tol: float | None = None, max_n: int = 100,
                   lr_range: tuple[float, float] = (1e-4, 1.0), **settings: Any) -> Explorer:
    """Strategy, its own settings and the number of runs n, on a 1-D or 2-D landscape with a
    known global minimum (sin_gauss, peaks, rastrigin, ...).

    Every run is drawn on the landscape; the ones that end at the global minimum (within
    ``tol``, see :func:`escape_runs`) in blue, the others in orange; the readout gives the
    share. Only the chosen strategy's sliders show: learning rate (gradient strategies),
    restarts per run, momentum beta, noise variance, annealing T0 / cooling / step.
    ``settings`` sets their first values (defaults: :func:`escape_defaults`). Seeded: the
    same settings give the same picture. A move costs one vectorised run of n (x restarts)
    starts for ``epochs`` steps: ~20 ms for 20 runs of 300 steps, ~0.2 s for 100 x 10.

    >>> import gdviz as gd
    >>> w = explore_escape(gd.functions.sin_gauss, "gd", n=20, lr=0.5, epochs=100)
    >>> w.result.share
    0.35
    >>> w.controls["strategy"].value = "restarts"      # each run: the best of 5 descents
    >>> w.result.share
    0.75
    """
    values = {**escape_defaults(objective), **settings}
    drawing = EscapeView(objective, strategy, n, lr=lr, epochs=epochs, seed=seed, tol=tol,
                         **{k: values[k] for k in ("restarts", "beta", "noise", "T0", "cooling", "step")})
    picker = widgets.Dropdown(options=list(STRATEGIES), value=strategy, description="strategy")
    width, spread = _scales(objective)

    def log_slider(name: str, value: float, lo: float, hi: float, fmt: str = ".3g") -> widgets.FloatLogSlider:
        lo, hi = math.log10(min(lo, value)), math.log10(max(hi, value))
        return widgets.FloatLogSlider(value=value, base=10, min=lo, max=hi, step=0.02, description=name,
                                      readout_format=fmt, style=_STYLE)

    settings_ = {
        "lr": _lr_slider(lr, lr_range),
        "restarts": widgets.IntSlider(value=values["restarts"], min=1, max=max(20, values["restarts"]),
                                      description="restarts per run", style=_STYLE),
        "beta": widgets.FloatSlider(value=values["beta"], min=0.0, max=0.99, step=0.01, description="momentum beta",
                                    style=_STYLE),
        "noise": log_slider("noise variance", values["noise"], 1e-2, 1e4),
        "T0": log_slider("T0", values["T0"], 1e-3 * spread, 10 * spread),
        "cooling": widgets.FloatSlider(value=values["cooling"], min=0.8, max=1.0, step=0.005, readout_format=".3f",
                                       description="cooling", style=_STYLE),
        "step": log_slider("step", values["step"], 1e-3 * width, width),
    }
    _show_only(picker, settings_, lambda name: STRATEGIES[name])
    runs = widgets.IntSlider(value=n, min=1, max=max(max_n, n), description="runs n", style=_STYLE)
    return Explorer(drawing, {"strategy": picker, "n": runs, **settings_},
                    rows=[_wrap([picker, runs]), _wrap(list(settings_.values()))])
