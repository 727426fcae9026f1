"""The network explorer (notebook 09): train a small classifier on a 2-D toy set while the sliders move.

:class:`NetworkView` trains a :class:`gdviz.nn.MLP` with :func:`gdviz.nn.train` on two moons
(or spirals) and draws the training and test loss after every epoch next to the decision
boundary at the end. ``update(optimizer=, lr=, batch_size=, epochs=, width=, depth=,
activation=)`` returns the :class:`gdviz.nn.NetRun`. No ipywidgets here;
:func:`explore_network` adds the sliders.

A move costs about ``epochs * ceil(n / batch_size)`` updates of 30-100 µs plus the drawing; a
move that would need more than ``max_updates`` updates is refused with a message that says how
to ask for less.

>>> view = NetworkView(epochs=5)
>>> run = view.update(optimizer="adam", lr=0.01, batch_size=20, epochs=5, width=8, depth=1, activation="tanh")
>>> run.n_epochs, run.updates_per_epoch
(5, 10)
>>> view.update(optimizer="adam", lr=-1.0, batch_size=20, epochs=5, width=8, depth=1, activation="tanh") is None
True
>>> view.messages
['lr: expected a finite number > 0, got -1.0']
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.artist import Artist

from .. import _checks, datasets, nn, plotting
from .view import Shown, View, explorer_or_message, heading, run_color

__all__ = ["NetworkView", "explore_network", "NETWORK_DATA", "NETWORK_OPTIMIZERS", "NETWORK_ACTIVATIONS"]

#: The 2-D data sets the explorer trains on: name -> maker of (X, y) from (n, noise, seed).
NETWORK_DATA = {"moons": lambda n, noise, seed: datasets.make_moons(n=n, noise=noise, seed=seed),
                "spirals": lambda n, noise, seed: datasets.make_spirals(n=n, noise=noise, seed=seed)}
#: The optimizers on offer (names of :mod:`gdviz.optimizers`).
NETWORK_OPTIMIZERS: tuple[str, ...] = ("gd", "momentum", "adam", "adamw")
#: The hidden-layer activations on offer.
NETWORK_ACTIVATIONS: tuple[str, ...] = ("tanh", "relu", "sigmoid")
_WIDTHS = (2, 4, 8, 16, 32, 64)
_LOSS_RANGE = (3e-3, 5.0)  # fixed y range of the loss panel: the ticks stay still while sliders move


class NetworkView(View):
    """Loss curves (training and test, per epoch) and the decision boundary of a freshly trained MLP.

    Args:
        data: "moons" or "spirals" (:data:`NETWORK_DATA`); the training set is drawn with
            ``seed``, the test set (same size) with ``seed + 1``.
        n, noise: samples per set and their noise.
        seed: seeds the data, the initial weights and the shuffles, so a move is reproducible.
        max_updates: the most updates one move may run.
        optimizer, lr, batch_size, epochs, width, depth, activation: the first picture's settings.
    """

    def __init__(self, data: str = "moons", *, optimizer: str = "adam", lr: float = 0.01, batch_size: int = 20,
                 epochs: int = 50, width: int = 16, depth: int = 2, activation: str = "tanh", seed: int = 0,
                 n: int = 200, noise: float = 0.2, max_updates: int = 3000, figsize: tuple[float, float] = (10, 3.8)):
        make = _checks.one_of("data", data, NETWORK_DATA)
        self.data_name = _checks.one_of("data", data, list(NETWORK_DATA))
        self.seed = _checks.count("seed", seed)
        n, noise = _checks.count("n", n, low=4, high=5000), _checks.non_negative("noise", noise)
        self.max_updates = _checks.count("max_updates", max_updates, low=1)
        self.X, self.y = make(n, noise, self.seed)
        self.X_test, self.y_test = make(n, noise, self.seed + 1)
        self.classes = int(self.y.max()) + 1
        super().__init__(None, figsize)
        grid = self.figure.add_gridspec(1, 2, width_ratios=(1.25, 1))
        self.ax_loss = self.figure.add_subplot(grid[0, 0])
        self.ax_map = self.figure.add_subplot(grid[0, 1])
        self.lines = {
            "train": self.ax_loss.plot([], [], marker="o", ms=2.5, color=plotting.PALETTE[0], label="training loss")[0],
            "test": self.ax_loss.plot([], [], marker="o", ms=2.5, color=plotting.PALETTE[1], label="test loss")[0],
        }
        self.ax_loss.set(yscale="log", ylim=_LOSS_RANGE, xlabel="epoch", ylabel="cross-entropy")
        self.ax_loss.legend(loc="upper right")
        self.title = heading(self.ax_loss)
        first = nn.MLP([2, 2, self.classes], activation="tanh", seed=self.seed)
        self.map = plotting.plot_decision_boundary(first, first.init(), self.X, self.y, n=70, ax=self.ax_map)
        self.ax_map.set(xlabel="x1", ylabel="x2")
        self.map_title = heading(self.ax_map)
        self.freeze_layout()
        self.update(optimizer=optimizer, lr=lr, batch_size=batch_size, epochs=epochs, width=width, depth=depth,
                    activation=activation)

    def _dynamic(self) -> list[Artist]:
        # the samples and the legend are drawn over the changing image and curves, so they move with them
        return [*self.lines.values(), self.ax_loss.get_legend(), self.title, self.map_title, self.map.image,
                self.map.line, *self.map.points]

    def _update(self, optimizer: str, lr: float, batch_size: int, epochs: int, width: int, depth: int,
                activation: str) -> Shown:
        name = _checks.one_of("optimizer", optimizer, list(NETWORK_OPTIMIZERS))
        act = _checks.one_of("activation", activation, list(NETWORK_ACTIVATIONS))
        lr = _checks.positive("lr", lr)
        n = self.y.size
        size = _checks.count("batch_size", batch_size, low=1, high=n)
        epochs = _checks.count("epochs", epochs, low=1)
        width, depth = _checks.count("width", width, low=1, high=256), _checks.count("depth", depth, low=1, high=8)
        updates = epochs * math.ceil(n / size)
        if updates > self.max_updates:
            raise _checks.ArgumentValueError(
                f"{updates} updates ({epochs} epochs x {math.ceil(n / size)} batches) is more than this explorer "
                f"runs per move ({self.max_updates}): fewer epochs or a larger batch")
        net = nn.MLP([2, *[width] * depth, self.classes], activation=act,
                     init="he" if act == "relu" else "xavier", seed=self.seed)
        run = nn.train(net, self.X, self.y, optimizer=name, lr=lr, epochs=epochs, batch_size=size, seed=self.seed,
                       X_test=self.X_test, y_test=self.y_test)
        # with test data, train() records every one of these per epoch
        assert run.train_loss is not None and run.test_loss is not None
        assert run.train_accuracy is not None and run.test_accuracy is not None
        epochs_axis = np.arange(epochs + 1)
        low, high = _LOSS_RANGE
        for key, values in (("train", run.train_loss), ("test", run.test_loss)):
            shown = np.clip(np.nan_to_num(values, nan=high, posinf=high), low, high)
            self.lines[key].set_data(epochs_axis, shown)
        self.ax_loss.set_xlim(0, max(epochs, 1))
        self.map = plotting.update_decision_boundary(self.map._replace(net=net), run.x[-1])
        color_name = {"gd": "GD", "momentum": "Momentum", "adam": "Adam", "adamw": "AdamW"}[name]
        self.title.set_text(f"{color_name}, lr = {lr:.3g}, batch {size}")
        self.title.set_color(run_color(color_name, 0))
        accuracy = run.test_accuracy[-1]
        self.map_title.set_text(f"after {epochs} epochs: test accuracy {accuracy:.0%}")
        messages = []
        if np.any(run.diverged):
            messages.append(f"diverged at update {int(run.diverged_at)} - lower the learning rate")
        elif run.train_loss[-1] > run.train_loss[0]:
            messages.append("the training loss ended higher than it started - lower the learning rate")
        readout = (f"{name}, lr = {lr:.4g}, batch size {size} of {n} ({run.updates_per_epoch} updates per epoch, "
                   f"{run.epochs} in all); MLP {'-'.join(map(str, net.sizes))} {act}, {net.n_params} parameters\n"
                   f"final training loss {run.train_loss[-1]:.4g}, test loss {run.test_loss[-1]:.4g}; "
                   f"accuracy training {run.train_accuracy[-1]:.1%}, test {accuracy:.1%}")
        caption = (f"{self.data_name}: {name}, lr={lr:.3g}, batch={size}, epochs={epochs}, "
                   f"hidden={depth}x{width} {act}, seed={self.seed}")
        return Shown(run, readout, messages, caption)


@explorer_or_message
def explore_network(data: str = "moons", *, optimizer: str = "adam", lr: float = 0.01, batch_size: int = 20,
                    epochs: int = 50, width: int = 16, depth: int = 2, activation: str = "tanh", seed: int = 0,
                    lr_range: tuple[float, float] = (1e-3, 3.0), max_epochs: int = 200, **view: Any) -> Any:
    """Train a small network on a 2-D toy set; sliders for the optimizer, learning rate (log),
    batch size, epochs, width and depth of the hidden layers, and the activation.

    The figure shows the training and test loss after every epoch and the decision boundary
    at the end (:class:`NetworkView`). With the defaults (200 moons, 2 x 16 tanh units, Adam,
    batch 20, 50 epochs: 500 updates) a move takes about 0.1-0.2 s; moves that would need more
    than ``max_updates`` (3000) updates show a message instead of running.
    """
    from . import controls as c

    drawing = NetworkView(data, optimizer=optimizer, lr=lr, batch_size=batch_size, epochs=epochs, width=width,
                          depth=depth, activation=activation, seed=seed, **view)
    n = drawing.y.size
    sizes = sorted({b for b in (1, 2, 5, 10, 20, 50, 100) if b < n} | {n, batch_size})
    controls = {
        "optimizer": c.dropdown("optimizer", list(NETWORK_OPTIMIZERS), optimizer, "optimizer"),
        "lr": c.lr_slider(lr, lr_range),
        "batch_size": c.selection_slider([(f"{b} (full)" if b == n else str(b), b) for b in sizes], batch_size,
                                       "batch size"),
        "epochs": c.epochs_slider(epochs, max_epochs),
        "width": c.selection_slider([(str(w), w) for w in sorted({*_WIDTHS, width})], width, "units per layer"),
        "depth": c.int_slider("depth", depth, 1, 4, "hidden layers"),
        "activation": c.dropdown("activation", list(NETWORK_ACTIVATIONS), activation, "activation"),
    }
    return c.Explorer(drawing, controls)
