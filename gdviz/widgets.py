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
from typing import Any

import ipywidgets as widgets
import numpy as np
from IPython import get_ipython
from IPython.display import Image, clear_output, display
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox, IdentityTransform

from . import optimizers as _optimizers
from . import plotting
from . import schedules as _schedules
from .descent import Trajectory, descend, sweep
from .objective import Objective

__all__ = ["RunView", "SweepView", "Explorer", "explore_1d", "explore_2d", "explore_optimizers",
           "explore_schedule", "explore_sweep", "encode_png", "WIDGET_CLASSES"]

#: The widget classes explorers are built from: all present in ipywidgets 7.6 and 8.x.
WIDGET_CLASSES = frozenset({"VBox", "HBox", "Output", "HTML", "FloatLogSlider", "FloatSlider", "IntSlider",
                            "Dropdown", "SelectionSlider", "Accordion", "Layout"})
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

    def __init__(self, objective: Objective, figsize: tuple[float, float], dpi: int):
        self.objective = objective
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        # the suptitle reserves a line at the top; it holds warnings ("diverged at step ...")
        self.message = self.figure.suptitle(" ", color=plotting.DIVERGED_COLOR, fontweight="bold", fontsize=11)
        self.summary = ""
        self.result: Any = None
        self._background: Any = None
        self._low, self._high = np.array(objective.bounds, dtype=float).T
        self._limits: Any = None
        self._boxes: dict[Any, Any] = {}

    def _freeze_layout(self) -> None:
        """Lay out once; later draws reuse the positions (constrained layout costs a draw)."""
        self.figure.get_layout_engine().execute(self.figure)
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
        self.readout.value = f"<pre style='margin:0; font-size:12px'>{html.escape(self.view.summary)}</pre>"
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


def _start_sliders(objective: Objective, start: Mapping[str, float]) -> dict[str, widgets.FloatSlider]:
    out = {}
    for (key, value), (lo, hi), v in zip(start.items(), objective.bounds, objective.variable_names, strict=True):
        out[key] = widgets.FloatSlider(value=value, min=min(lo, value), max=max(hi, value), step=(hi - lo) / 400,
                                       description=f"start {v}", readout_format=".3g", style=_STYLE)
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

    def show_relevant(change: Any = None) -> None:
        relevant = _numeric_params(_schedules.NAMES[picker.value])
        for p, slider in settings.items():
            slider.layout.display = "" if p in relevant else "none"

    picker.observe(show_relevant, names="value")  # registered first: runs before the redraw
    show_relevant()
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
