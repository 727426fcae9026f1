"""Pictures of a network in training (notebook 09): decision boundaries, curves over seeds, loss slices.

A classifier on 2-D inputs is drawn as its **decision boundary**: the plane coloured by the
class probabilities on a grid, the line where the predicted class changes, and the samples on
top. :func:`plot_decision_boundary` makes the artists once and :func:`update_decision_boundary`
refills them for new parameters, so an explorer or an animation only moves data.

The boundary between classes j and k is where their logits are equal, z_j = z_k with both
the largest; it is traced as the zero line of ``z_k - max_{j != k} z_j`` for each class k
(for two classes one line, z_1 - z_0 = 0, the 50% line of the softmax).

>>> import numpy as np, gdviz as gd
>>> X, y = gd.datasets.make_moons(n=40, seed=0)
>>> net = gd.nn.MLP([2, 8, 2], activation="tanh", seed=0)
>>> drawn = plot_decision_boundary(net, net.init(), X, y)
>>> drawn.image.get_array().shape, len(drawn.points)
((80, 80, 3), 2)
>>> import matplotlib.pyplot as plt; plt.close("all")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple, cast

import contourpy
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection, PolyCollection
from matplotlib.colors import to_rgb
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D

from .._checks import ArgumentValueError, as_floats, count
from .._types import ArrayLike, Bounds, Color
from ._base import figure_of
from .style import CMAP, PALETTE

if TYPE_CHECKING:
    from ..nn import MLP, NetRun

__all__ = ["Boundary", "plot_decision_boundary", "update_decision_boundary", "animate_boundary",
           "Spread", "plot_spread", "LossSlice", "plot_loss_slice", "class_colors"]

_LIGHT = 0.4  # how far the probability colours are faded towards white, so that the samples stand out


def class_colors(k: int) -> list[str]:
    """The colour of each of ``k`` classes: the course palette in order (blue, orange, green, ...)."""
    return [PALETTE[i % len(PALETTE)] for i in range(k)]


def _axes(ax: Axes | None) -> Axes:
    return plt.figure().add_subplot() if ax is None else ax


class Boundary(NamedTuple):
    """What :func:`plot_decision_boundary` drew, plus what an update needs."""

    image: AxesImage  # class probabilities as colours, one pixel per grid point
    line: LineCollection  # where the predicted class changes
    points: list[PathCollection]  # the samples, one scatter per class
    net: Any  # the gdviz.nn.MLP drawn
    grid: np.ndarray  # the grid points, shape (n * n, 2), row by row from the bottom
    shape: tuple[int, int]  # (n, n)
    extent: tuple[float, float, float, float]  # x_low, x_high, y_low, y_high


def _window(X: np.ndarray, bounds: Any) -> tuple[float, float, float, float]:
    if bounds is not None:
        box = as_floats("bounds", bounds)
        if box.shape != (2, 2) or not np.all(np.isfinite(box)) or not np.all(box[:, 0] < box[:, 1]):
            raise ArgumentValueError(f"bounds: expected ((x_low, x_high), (y_low, y_high)) with low < high, "
                                     f"got {bounds!r}")
        return float(box[0, 0]), float(box[0, 1]), float(box[1, 0]), float(box[1, 1])
    low, high = X.min(axis=0), X.max(axis=0)
    pad = 0.15 * (high - low) + 1e-9
    return float(low[0] - pad[0]), float(high[0] + pad[0]), float(low[1] - pad[1]), float(high[1] + pad[1])


def _probabilities(net: Any, theta: np.ndarray, grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Softmax probabilities and logits of the network on the grid points (no warnings on overflow)."""
    z = net.predict(theta, grid)
    with np.errstate(all="ignore"):
        e = np.exp(z - z.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
    return np.nan_to_num(p, nan=1.0 / z.shape[1]), np.nan_to_num(z)


def _set_boundary(drawn: Boundary, theta: Any) -> None:
    """The one setter: colours and boundary lines for parameters ``theta``."""
    p, z = _probabilities(drawn.net, theta, drawn.grid)
    k = p.shape[1]
    colors = np.array([to_rgb(c) for c in class_colors(k)])
    rgb = 1 - _LIGHT * (1 - p @ colors)  # the classes' colours mixed by probability, faded towards white
    drawn.image.set_data(rgb.reshape(*drawn.shape, 3))
    xs = np.linspace(drawn.extent[0], drawn.extent[1], drawn.shape[1])
    ys = np.linspace(drawn.extent[2], drawn.extent[3], drawn.shape[0])
    lines: list[np.ndarray] = []
    for c in ([1] if k == 2 else range(k)):
        others = np.delete(z, c, axis=1).max(axis=1)
        margin = (z[:, c] - others).reshape(drawn.shape)
        # the default line type (Separate) gives a list of (m, 2) arrays; the stub returns every line type's union
        found = cast("list[np.ndarray]", contourpy.contour_generator(xs, ys, margin).lines(0.0))
        lines += [seg for seg in found if len(seg) > 1]
    drawn.line.set_segments(lines)


def plot_decision_boundary(
    net: MLP, theta: ArrayLike, X: ArrayLike, y: ArrayLike, *, n: int = 80, bounds: Bounds | None = None,
    markersize: float = 14,
    ax: Axes | None = None,
) -> Boundary:
    """A 2-D classifier's decision regions and boundary, with its samples.

    Args:
        net: a :class:`gdviz.nn.MLP` with 2 inputs and a cross-entropy output (one per class).
        theta: its flat parameters.
        X, y: the samples to draw (shape (m, 2)) and their labels.
        ax: where to draw (a new figure when None).
        n: grid points per axis.
        bounds: ``((x_low, x_high), (y_low, y_high))``; by default the samples' range plus 15%.

    Returns:
        a :class:`Boundary`; :func:`update_decision_boundary` redraws it for other parameters.
    """
    if getattr(net, "n_inputs", None) != 2 or getattr(net, "loss_name", None) != "cross_entropy":
        raise ArgumentValueError(f"net: expected a classification MLP with 2 inputs, got {net!r}")
    X = as_floats("X", X)
    labels = as_floats("y", y)
    if X.ndim != 2 or X.shape[1] != 2 or labels.shape != (X.shape[0],):
        raise ArgumentValueError(f"X, y: expected samples of shape (m, 2) and m labels, got {X.shape} and "
                                 f"{labels.shape}")
    n = count("n", n, low=2, high=1000)
    extent = _window(X, bounds)
    gx, gy = np.meshgrid(np.linspace(extent[0], extent[1], n), np.linspace(extent[2], extent[3], n))
    ax = _axes(ax)
    image = ax.imshow(np.ones((n, n, 3)), origin="lower", extent=extent, aspect="auto", interpolation="bilinear",
                      zorder=0)
    line = LineCollection([], colors="black", linewidths=1.6, zorder=2)
    ax.add_collection(line)
    k = net.n_outputs
    points = [ax.scatter(X[labels == c, 0], X[labels == c, 1], s=markersize, color=color, edgecolors="#222222",
                         linewidths=0.5, zorder=3, label=f"class {c}") for c, color in enumerate(class_colors(k))]
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    drawn = Boundary(image, line, points, net, np.column_stack([gx.ravel(), gy.ravel()]), (n, n), extent)
    _set_boundary(drawn, theta)
    return drawn


def update_decision_boundary(drawn: Boundary, theta: ArrayLike) -> Boundary:
    """Redraw the regions and the boundary of ``drawn`` for parameters ``theta`` (same network)."""
    _set_boundary(drawn, theta)
    return drawn


def animate_boundary(
    net: MLP, run: NetRun, X: ArrayLike, y: ArrayLike, *, max_frames: int = 20, interval: int = 300, n: int = 60,
    ax: Axes | None = None,
) -> FuncAnimation:
    """The decision boundary after each epoch of a :func:`gdviz.nn.train` run, as an animation.

    At most ``max_frames`` frames, evenly spaced over the epochs (the first and the last always
    shown). Render it with :func:`gdviz.plotting.to_html`.
    """
    epochs = int(run.n_epochs)
    frames = sorted({int(round(e)) for e in np.linspace(0, epochs, max(2, min(epochs + 1, count("max_frames",
                                                                                               max_frames, low=2))))})
    rows = np.asarray(run.epoch_ends)
    drawn = plot_decision_boundary(net, run.x[rows[0]], X, y, n=n, ax=ax)
    axes = drawn.image.axes
    counter = axes.text(0.03, 0.96, "", transform=axes.transAxes, ha="left", va="top", zorder=5,
                        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"})

    def draw(e: int) -> list[Any]:
        update_decision_boundary(drawn, run.x[rows[e]])
        counter.set_text(f"epoch {e} / {epochs}")
        return [drawn.image, drawn.line, counter]

    return FuncAnimation(figure_of(axes), draw, frames=frames, init_func=lambda: draw(0), interval=interval,
                         blit=False, repeat=True)


class Spread(NamedTuple):
    """A median line with a band from the lowest to the highest run (:func:`plot_spread`)."""

    line: Line2D
    band: PolyCollection


def plot_spread(
    values: ArrayLike, *, x: ArrayLike | None = None, color: Color | None = None, label: str | None = None,
    alpha: float = 0.2, ax: Axes | None = None,
) -> Spread:
    """Many runs of one curve (rows of ``values``) as their median and a min-max band.

    Args:
        values: shape (runs, points), e.g. the test loss of 5 seeds after each epoch.
        x: the points' positions (default 0, 1, 2, ...: epochs).
        color, label: of the median line; the band takes the same colour, fainter.

    >>> drawn = plot_spread([[3.0, 2.0, 1.0], [5.0, 2.0, 2.0], [4.0, 4.0, 0.0]])
    >>> drawn.line.get_ydata().tolist()
    [4.0, 2.0, 1.0]
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    runs = as_floats("values", values)
    if runs.ndim != 2 or runs.shape[1] == 0:
        raise ArgumentValueError(f"values: expected shape (runs, points), got {runs.shape}")
    xs = np.arange(runs.shape[1]) if x is None else as_floats("x", x)
    if xs.shape != (runs.shape[1],):
        raise ArgumentValueError(f"x: expected {runs.shape[1]} positions, got shape {xs.shape}")
    ax = _axes(ax)
    (line,) = ax.plot(xs, np.median(runs, axis=0), color=color, label=label)
    band = ax.fill_between(xs, runs.min(axis=0), runs.max(axis=0), color=line.get_color(), alpha=alpha, lw=0)
    return Spread(line, band)


class LossSlice(NamedTuple):
    """A loss landscape on a plane through parameter space (:func:`plot_loss_slice`)."""

    mappable: Any  # the filled contours
    lines: Any  # the thin contour lines
    path: Line2D | None  # the projected training path
    start: Line2D | None  # its first point
    centre: Line2D  # the star at (0, 0): the point the plane goes through


def plot_loss_slice(
    alphas: ArrayLike, betas: ArrayLike, Z: ArrayLike, *, path: ArrayLike | None = None, levels: int = 25,
    colorbar: bool = True, path_color: Color | None = None, ax: Axes | None = None,
) -> LossSlice:
    """The loss on a 2-D slice ``theta* + alpha d1 + beta d2`` as filled contours of log10(loss).

    Drawn like the course's landscapes (:func:`gdviz.plotting.plot_landscape`: the same colour
    map, filled contours with thin white lines), on a log scale because a network's loss spans
    orders of magnitude between the valley and the rim.

    Args:
        alphas, betas: the grid's coordinates along d1 (columns of Z) and d2 (rows of Z).
        Z: the loss at each grid point, shape ``(len(betas), len(alphas))``.
        path: optional training path in the same coordinates, shape (steps, 2).
    """
    a, b, loss = as_floats("alphas", alphas), as_floats("betas", betas), as_floats("Z", Z)
    if a.ndim != 1 or b.ndim != 1 or loss.shape != (b.size, a.size):
        raise ArgumentValueError(f"Z: expected shape (len(betas), len(alphas)) = ({b.size}, {a.size}), "
                                 f"got {loss.shape}")
    ax = _axes(ax)
    with np.errstate(all="ignore"):
        shown = np.ma.masked_invalid(np.log10(np.where(loss > 0, loss, np.nan)))
    mappable = ax.contourf(a, b, shown, levels=levels, cmap=CMAP, zorder=0)
    lines = ax.contour(a, b, shown, levels=mappable.levels, colors="white", linewidths=0.4, alpha=0.35, zorder=0)
    if colorbar:
        ax.figure.colorbar(mappable, ax=ax, label="log10(loss)")
    drawn_path = start = None
    if path is not None:
        points = as_floats("path", path)
        if points.ndim != 2 or points.shape[1] != 2:
            raise ArgumentValueError(f"path: expected shape (steps, 2), got {points.shape}")
        color = path_color or "white"
        (drawn_path,) = ax.plot(*points.T, color=color, lw=1.8, marker="o", ms=2.5, zorder=3, label="training path")
        (start,) = ax.plot(*points[0], "o", color=color, mec="black", ms=8, zorder=4, label="start")
    (centre,) = ax.plot(0, 0, "*", color="white", mec="black", ms=15, zorder=5, label="trained weights")
    ax.set_xlim(a[0], a[-1])
    ax.set_ylim(b[0], b[-1])
    return LossSlice(mappable, lines, drawn_path, start, centre)

