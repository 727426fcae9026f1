"""The batch-size explorer (notebook 07): batch, mini-batch and stochastic descent on a least-squares fit."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.artist import Artist

from .. import _checks, plotting
from .. import data as _data
from .. import optimizers as _optimizers
from .._types import ArrayLike, Seed
from .view import Paths, Shown, View, explorer_or_message, fmt, heading, run_color

if TYPE_CHECKING:  # ipywidgets is imported only when an explorer is built
    from .controls import Explorer

__all__ = ["BatchView", "explore_batches"]


def _method(size: int, n: int) -> str:
    return "batch" if size == n else "sgd" if size == 1 else "mini-batch"


class BatchView(View):
    """Batch, mini-batch or stochastic descent on a least-squares fit (:func:`gdviz.data.descend_data`).

    Left: the path on the (w, b) loss landscape; right: f - f* against updates (steps taken) and
    against gradient evaluations (work; epochs are the same axis in units of n).
    ``update(batch_size=, lr=, epochs=)`` returns the DataTrajectory.
    A move that would take more than ``max_updates`` updates is refused with a message.
    """

    objective: _data.LeastSquares  # never None here (only a MessageView has none)

    def __init__(self, data: _data.Dataset | _data.LeastSquares, *, lr: float = 0.05, epochs: int = 20,
                 batch_size: int = 32, optimizer: str = "gd", seed: Seed = 0, params0: ArrayLike | None = None,
                 max_updates: int = 10_000, figsize: tuple[float, float] = (10, 3.6), n: int = 150):
        objective = _data.LeastSquares(data) if isinstance(data, _data.Dataset) else data
        if not isinstance(objective, _data.LeastSquares):
            raise _checks.ArgumentTypeError(f"data: expected a gdviz.data Dataset or LeastSquares, got "
                                            f"{type(data).__name__}")
        if objective.dim != 2:
            raise _checks.ArgumentValueError(f"data: the (w, b) picture needs one feature, {objective.data.name} has "
                                             f"{objective.k}")
        super().__init__(objective, figsize)
        self.optimizer = _checks.one_of("optimizer", optimizer, list(_optimizers.NAMES))
        _checks.generator(seed)
        self.seed, self.max_updates = seed, _checks.count("max_updates", max_updates, low=1)
        self.params0 = np.zeros(2) if params0 is None else _checks.as_floats("params0", params0)
        if self.params0.shape != (2,) or not np.all(np.isfinite(self.params0)):
            raise _checks.ArgumentValueError(f"params0: expected two finite numbers (w, b), got {params0!r}")
        grid = self.figure.add_gridspec(2, 2, width_ratios=(1.3, 1))
        self.ax = self.figure.add_subplot(grid[:, 0])
        self.axes = {"update": self.figure.add_subplot(grid[0, 1]),
                     "grad_evals": self.figure.add_subplot(grid[1, 1])}
        first = _data.descend_data(objective, self.params0, lr=1e-3, epochs=1)  # a placeholder to build the artists
        size = min(_checks.count("batch_size", batch_size, low=1), objective.n)
        color = run_color(_method(size, objective.n), 0)
        self.paths = Paths(self.ax, {"run": first}, n, [color], equal=False)  # w and b have different units
        self.ax.set_title(" ")
        self.heading = heading(self.ax)
        self.lines = {k: plotting.plot_data_loss(first, ax=ax, against=k, color=color) for k, ax in self.axes.items()}
        self.freeze_layout()
        self.update(batch_size=batch_size, lr=lr, epochs=epochs)

    def _dynamic(self) -> list[Artist]:
        return [self.heading, *self.paths.artists(), *self.lines.values()]

    def _update(self, batch_size: int, lr: float, epochs: int) -> Shown:
        n = self.objective.n
        size = _checks.count("batch_size", batch_size, low=1, high=n)
        lr, epochs = _checks.positive("lr", lr), _checks.count("epochs", epochs, low=1, high=self.max_updates)
        updates = epochs * -(-n // size)
        if updates > self.max_updates:
            raise _checks.ArgumentValueError(
                f"epochs: {epochs} epochs x {-(-n // size)} updates = {updates} updates, more than this explorer "
                f"runs per move ({self.max_updates}): fewer epochs or a larger batch")
        run = _data.descend_data(self.objective, self.params0, lr=lr, epochs=epochs, batch_size=size,
                                 optimizer=self.optimizer, seed=self.seed)
        self.paths.update({"run": run})
        for k, line in self.lines.items():
            plotting.update_data_loss(line, run, against=k)
        self.heading.set_text(f"{run.method} descent, batch size {size}, lr = {lr:.3g}")
        messages = self.run_messages({"run": run}, self.params0)
        loss = self.objective
        readout = (f"{run.method} (b = {size} of n = {n}): {run.updates_per_epoch} updates per epoch, "
                   f"{run.epochs} updates in total, {int(run.grad_evals[-1])} gradient evaluations   "
                   f"final loss {float(run.final_f):.6g} (least squares: {loss.min_loss:.6g}) at (w, b) = "
                   f"{fmt(run.final)}" + (f"   diverged at update {int(run.diverged_at)}" if run.diverged else ""))
        caption = (f"batch size {size} of n = {n}  ·  lr = {lr:.3g}  ·  epochs = {epochs}  ·  start (w, b) = "
                   f"{fmt(self.params0)}  ·  optimizer {self.optimizer}  ·  seed {self.seed}")
        return Shown(run, readout, messages, caption)


def _batch_sizes(n: int) -> list[tuple[str, int]]:
    sizes = [2**k for k in range(n.bit_length()) if 2**k < n]
    return [("1 (SGD)" if b == 1 else str(b), b) for b in sizes] + [(f"{n} (batch)", n)]


@explorer_or_message
def explore_batches(data: _data.Dataset | _data.LeastSquares, lr: float = 0.05, epochs: int = 20,
                    batch_size: int = 32, *, optimizer: str = "gd", seed: Seed = 0, params0: ArrayLike | None = None,
                    lr_range: tuple[float, float] = (1e-3, 1.0), max_epochs: int = 50, max_updates: int = 10_000,
                    **view: Any) -> Explorer:
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
    from . import controls as c
    batch_size = _checks.count("batch_size", batch_size, low=1)
    drawing = BatchView(data, lr=lr, epochs=epochs, batch_size=batch_size, optimizer=optimizer, seed=seed,
                        params0=params0, max_updates=max_updates, **view)
    options = _batch_sizes(drawing.objective.n)
    value = max((b for _, b in options if b <= batch_size), default=1)
    if value != batch_size:
        drawing.update(batch_size=value, lr=lr, epochs=epochs)
    controls = {
        "batch_size": c.selection_slider(options, value, "batch size"),
        "lr": c.lr_slider(lr, lr_range),
        "epochs": c.epochs_slider(epochs, max_epochs),
    }
    return c.Explorer(drawing, controls)
