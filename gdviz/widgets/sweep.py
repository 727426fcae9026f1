"""The sweep explorer: a learning rate x epochs heat map computed once, and the run of one cell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.artist import Artist

from .. import _checks, plotting
from .. import optimizers as _optimizers
from .._types import ArrayLike
from ..descent import Trajectory, descend, sweep
from ..objective import Objective
from .view import Paths, Shown, View, explorer_or_message, run_color, run_readout

if TYPE_CHECKING:  # ipywidgets is imported only when an explorer is built
    from .controls import Explorer

__all__ = ["SweepView", "explore_sweep"]


def _grid(name: str, values: Any, whole: bool) -> np.ndarray:
    """A checked, non-empty 1-D grid of rates (> 0) or epoch counts (whole, >= 1)."""
    flat = _checks.as_floats(name, values).ravel()
    if flat.size == 0:
        raise _checks.ArgumentValueError(f"{name}: expected at least one value, got {values!r}")
    if whole:
        return np.array([_checks.count(name, v, low=1) for v in flat], dtype=int)
    return np.array([_checks.positive(name, v) for v in flat])


class SweepView(View):
    """A learning rate x epochs heat map computed once (:func:`gdviz.sweep`), a marker on one
    cell and that cell's run on the landscape.

    ``update(lr=, epochs=)`` moves the marker and draws that run's path (a Trajectory); both
    values should be points of the grid (the explorer's sliders only offer those).
    ``heatmap`` holds options of :func:`gdviz.plotting.plot_sweep_heatmap` (``log``, ``vmin``,
    ``vmax``, ``contours``, ``budgets``), so that the explorer can repeat a figure of the
    notebook; ``title`` names the map.
    """

    objective: Objective  # never None here (only a MessageView has none)

    def __init__(self, objective: Objective, x0: ArrayLike, lrs: Sequence[float], epochs_grid: Sequence[int], *,
                 optimizer: str = "gd", value: str | None = None, lr: float | None = None,
                 epochs: int | None = None, figsize: tuple[float, float] = (10, 3.6), n: int = 150,
                 heatmap: Mapping[str, Any] | None = None, title: str | None = None):
        if not isinstance(objective, Objective):
            raise _checks.ArgumentTypeError(f"objective: expected a gdviz Objective, got {type(objective).__name__}")
        super().__init__(objective, figsize)
        self.x0 = _checks.as_floats("x0", x0)
        self.optimizer = _checks.one_of("optimizer", optimizer, list(_optimizers.NAMES))
        self.lrs, self.epochs_grid = _grid("lrs", lrs, False), _grid("epochs_grid", epochs_grid, True)
        self.sweep = sweep(objective, self.x0, lr=self.lrs, epochs=self.epochs_grid, optimizer=self.optimizer)
        ax_map, self.ax = self.figure.subplots(1, 2, width_ratios=(1, 1.2))
        options = dict(heatmap or {})
        if not set(options) <= {"log", "vmin", "vmax", "contours", "budgets", "cmap"}:
            raise _checks.ArgumentValueError(f"heatmap: expected options among log, vmin, vmax, contours, budgets, "
                                             f"cmap; got {sorted(options)}")
        self.heatmap = plotting.plot_sweep_heatmap(self.sweep, ax=ax_map, value=value or ("x" if objective.dim == 1
                                                                                        else "f"), **options)
        if title is not None:
            ax_map.set_title(str(title))
        lr = float(self.lrs[len(self.lrs) // 2]) if lr is None else _checks.positive("lr", lr)
        epochs = int(self.epochs_grid[len(self.epochs_grid) // 2]) if epochs is None else _checks.count(
            "epochs", epochs, low=1)
        (self.marker,) = ax_map.plot([lr], [epochs], "s", ms=13, mfc="none", mec="white", mew=2.5, zorder=5)
        self.paths = Paths(self.ax, self._run(lr, epochs), n, [run_color(self.optimizer, 0)])
        self.freeze_layout()
        self.update(lr=lr, epochs=epochs)

    def _run(self, lr: float, epochs: int) -> dict[str, Trajectory]:
        return {f"lr={lr:.3g}, {epochs} epochs": descend(self.objective, self.x0, lr=lr, epochs=epochs,
                                                          optimizer=self.optimizer)}

    def _dynamic(self) -> list[Artist]:
        return [self.marker, *self.paths.artists()]

    def cell(self, lr: float, epochs: int) -> tuple[int, int]:
        """Row (epochs) and column (lr) of the grid cell nearest to ``(lr, epochs)``."""
        return int(np.abs(self.epochs_grid - epochs).argmin()), int(np.abs(self.lrs - lr).argmin())

    def _update(self, lr: float, epochs: int) -> Shown:
        lr, epochs = _checks.positive("lr", lr), _checks.count("epochs", epochs, low=1)
        runs = self._run(lr, epochs)
        self.marker.set_data([lr], [epochs])
        self.paths.update(runs)
        (traj,) = runs.values()
        row, col = self.cell(lr, epochs)
        shown = self.heatmap.mesh.get_array()[row, col]
        readout = (f"lr = {lr:.4g}, epochs = {epochs}: " + run_readout("", traj, False)
                   + f"   (heat map cell: {'diverged' if np.ma.is_masked(shown) else f'{float(shown):.4g}'})")
        names, start = self.objective.variable_names, self.x0.ravel()[: self.objective.dim]
        shown = ", ".join(f"{v:.3g}" for v in start)
        where = f"{names[0]} = {shown}" if len(start) == 1 else f"({', '.join(names)}) = ({shown})"
        caption = (f"lr = {lr:.3g}  ·  epochs = {epochs}  ·  start {where}  ·  optimizer {self.optimizer}  ·  "
                   f"grid: {len(self.lrs)} rates x {len(self.epochs_grid)} epoch counts")
        return Shown(traj, readout, self.run_messages(runs, self.x0.ravel()[: self.objective.dim]), caption)


@explorer_or_message
def explore_sweep(objective: Objective, x0: ArrayLike, lrs: Sequence[float], epochs_grid: Sequence[int], *,
                  optimizer: str = "gd", **view: Any) -> Explorer:
    """A learning rate x epochs heat map of the final value, computed once by
    :func:`gdviz.sweep`; two sliders pick a cell, a marker moves to it and its run is drawn.

    >>> import gdviz as gd
    >>> w = explore_sweep(gd.functions.quadratic, 1.5, lrs=[0.01, 0.1, 0.2], epochs_grid=[5, 20, 50])
    >>> w.controls["lr"].value = 0.2
    >>> round(w.result.final, 4)
    0.5
    """
    from . import controls as c
    drawing = SweepView(objective, x0, lrs, epochs_grid, optimizer=optimizer, **view)
    lr, epochs = drawing.marker.get_xdata()[0], drawing.marker.get_ydata()[0]
    lr = float(drawing.lrs[np.abs(drawing.lrs - lr).argmin()])
    epochs = int(drawing.epochs_grid[np.abs(drawing.epochs_grid - epochs).argmin()])
    controls = {
        "lr": c.selection_slider([(f"{v:.3g}", float(v)) for v in drawing.lrs], lr, "learning rate"),
        "epochs": c.selection_slider([(str(e), int(e)) for e in drawing.epochs_grid], epochs, "epochs"),
    }
    return c.Explorer(drawing, controls)
