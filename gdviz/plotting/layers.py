"""Layers (notebook 05): gradient magnitude against depth, where gradients vanish or explode."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple, overload

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from .._types import ArrayLike, Color, Legend
from ._base import RUN_COLORS, axes_of, axes_or_new
from .style import DIVERGED_COLOR, NEUTRAL

__all__ = ["LayerGradients", "plot_layer_gradients", "update_layer_gradients"]


class LayerGradients(NamedTuple):
    """Per-layer gradient magnitudes on a log axis (:func:`plot_layer_gradients`)."""

    line: Line2D  # (layer, norm) with layers 1..L; NaN where a norm is 0 or not finite
    bound: Line2D  # norms[-1] * bound**(L - layer), the per-layer bound traced back; empty without one
    overflow: Line2D  # X marks along the top edge at layers whose norm overflowed (inf or NaN)


def _layer_data(norms: ArrayLike, bound: float | None) -> tuple[np.ndarray, ...]:
    norms = np.asarray(norms, dtype=float).ravel()
    if norms.size == 0:
        raise ValueError("norms: expected one gradient norm per layer, got none")
    layers = np.arange(1, norms.size + 1, dtype=float)
    shown = np.where(np.isfinite(norms) & (norms > 0), norms, np.nan)
    bx, by = np.empty(0), np.empty(0)
    if bound is not None and np.isfinite(shown[-1]):
        with np.errstate(under="ignore"):
            traced = shown[-1] * float(bound) ** (norms.size - layers)
        bx, by = layers, np.where(traced > 0, traced, np.nan)
    return layers, shown, bx, by, layers[~np.isfinite(norms)]


def _set_layers(drawn: LayerGradients, values: tuple[np.ndarray, ...], bound: float | None) -> LayerGradients:
    """Fill the artists of one network's norms (the one setter of draw and update)."""
    layers, shown, bx, by, bad = values
    drawn.line.set_data(layers, shown)
    drawn.bound.set_data(bx, by)
    drawn.overflow.set_data(bad, np.full(bad.size, 0.97))
    drawn.bound.set_label(f"×{bound:g} per layer" if bound is not None else "bound")
    return drawn


def _layer_range(drawn: Sequence[LayerGradients]) -> tuple[tuple[float, float], tuple[float, float] | None]:
    """x limits around every layer and y limits (whole decades, log axis) around every norm drawn."""
    layers = max((np.size(d.line.get_xdata()) for d in drawn), default=1)
    values = np.concatenate([np.asarray(a.get_ydata(), dtype=float) for d in drawn for a in (d.line, d.bound)])
    values = values[np.isfinite(values) & (values > 0)]
    if not values.size:  # an all-overflow run keeps the old y limits
        return (0.5, max(layers, 1) + 0.5), None
    lo, hi = np.log10(values.min()), np.log10(values.max())  # a decade of room on both sides
    return (0.5, max(layers, 1) + 0.5), (10 ** np.floor(lo - 0.3), 10 ** np.ceil(hi + 0.3))


def _layer_limits(ax: Axes, drawn: LayerGradients | Sequence[LayerGradients], grow: bool = False) -> None:
    """Fit the view to the drawn norms; with ``grow`` keep what the view (or a sharey sibling) showed."""
    (x0, x1), ylim = _layer_range([drawn] if isinstance(drawn, LayerGradients) else drawn)
    if grow:
        (a, b), (c, d) = ax.get_xlim(), ax.get_ylim()
        x0, x1 = min(x0, a), max(x1, b)
        ylim = (min(ylim[0], c), max(ylim[1], d)) if ylim is not None else None
    ax.set_xlim(x0, x1)
    if ylim is not None:
        ax.set_ylim(*ylim)


#: Line styles of several networks on one axes: identical curves stay visible, the wide
#: solid line under the narrower dashed and dotted ones.
_LAYER_STYLES = (("-", "o"), ("--", "s"), (":", "^"), ("-.", "D"), ((0, (5, 1.5, 1, 1.5, 1, 1.5)), "v"))


@overload
def plot_layer_gradients(
    norms: Mapping[str, ArrayLike], *, ax: Axes | None = None, label: str | None = None,
    bound: float | None = None, color: Color | None = None, legend: Legend = True,
) -> dict[str, LayerGradients]: ...


@overload
def plot_layer_gradients(
    norms: ArrayLike, *, ax: Axes | None = None, label: str | None = None,
    bound: float | None = None, color: Color | None = None, legend: Legend = True,
) -> LayerGradients: ...


def plot_layer_gradients(
    norms: ArrayLike | Mapping[str, ArrayLike], *, ax: Axes | None = None, label: str | None = None,
    bound: float | None = None, color: Color | None = None, legend: Legend = True,
) -> LayerGradients | dict[str, LayerGradients]:
    """Gradient magnitude against layer index (1 = the first layer, next to the input), log y.

    ``norms`` is what :func:`gdviz.deep.layer_gradient_norms` returns, or a dict label ->
    norms to compare several networks on one axes: each gets its own colour, line style and
    marker, the first drawn widest so that networks with identical gradients still show,
    the limits fit all of them and a legend names them (``legend``); the dict of artists is
    returned. With ``bound`` (e.g. 0.25, the largest slope of the sigmoid) a dashed line
    traces ``norms[-1] * bound**(L - l)`` back from the last layer: the gradient left if
    every layer multiplied it by ``bound``, the 0.25^n of a unit-weight sigmoid chain. Norms
    that overflowed (inf, NaN) get an X at the top edge; zeros (ReLU units all off) leave a gap.

    The view fits the norms; when the axes (or one sharing its y axis, as in
    ``plt.subplots(..., sharey=True)``) already shows data it only grows, so several calls
    or panels keep every line in view.

    >>> import gdviz as gd
    >>> drawn = plot_layer_gradients(gd.deep.layer_gradient_norms(5, 8), bound=0.25)
    >>> drawn.line.get_xdata().tolist(), drawn.line.axes.get_yscale()
    ([1.0, 2.0, 3.0, 4.0, 5.0], 'log')
    >>> nets = {f"{d} layers": gd.deep.layer_gradient_norms(d, 8) for d in (3, 6)}
    >>> drawn = plot_layer_gradients(nets)
    >>> [d.line.get_linestyle() for d in drawn.values()], drawn["6 layers"].line.axes.get_xlim() == (0.5, 6.5)
    (['-', '--'], True)
    >>> import matplotlib.pyplot as plt; plt.close("all")
    """
    if isinstance(norms, Mapping):
        if label is not None or color is not None:
            raise ValueError("label, color: for a dict of networks the keys are the labels and colours are chosen; "
                             "pass one array of norms to set them")
        if not norms:
            raise ValueError("norms: expected one array of norms per network, got an empty dict")
        data = {str(k): _layer_data(v, bound) for k, v in norms.items()}
    else:
        data = {label or "|dL/d input|": _layer_data(norms, bound)}
    ax = axes_or_new(ax)
    grow = any(a.has_data() for a in ax.get_shared_y_axes().get_siblings(ax))
    ax.set_yscale("log")
    top = blended_transform_factory(ax.transData, ax.transAxes)
    many = isinstance(norms, Mapping)
    drawn = {}
    thinner = 2.4 / max(len(data) - 1, 2)  # the first line drawn is the widest (at most 2.4 wider), the last on top
    for i, (name, values) in enumerate(data.items()):
        ls, marker = _LAYER_STYLES[i % len(_LAYER_STYLES)] if many else ("-", "o")
        wide = thinner * (len(data) - 1 - i)
        (line,) = ax.plot([], [], ls=ls, marker=marker, color=color or RUN_COLORS[i % len(RUN_COLORS)], lw=2 + wide,
                          ms=4 + wide, label=name, zorder=4 + 0.01 * i)
        (ref,) = ax.plot([], [], "--", color=NEUTRAL, lw=1.5, zorder=3, label="bound")
        (over,) = ax.plot([], [], "X", color=DIVERGED_COLOR, ms=10, mec="white", transform=top, clip_on=False,
                          zorder=6, label="overflow (inf / NaN)")
        over.set_in_layout(False)
        drawn[name] = _set_layers(LayerGradients(line, ref, over), values, bound)
    _layer_limits(ax, list(drawn.values()), grow)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))  # layers are whole numbers
    ax.set_xlabel("layer (1 = first, next to the input)")
    ax.set_ylabel("gradient norm")
    if not many:
        return next(iter(drawn.values()))
    if legend:
        handles = [d.line for d in drawn.values()]
        handles += [d.bound for d in drawn.values() if np.size(d.bound.get_xdata())][:1]
        handles += [d.overflow for d in drawn.values() if np.size(d.overflow.get_xdata())][:1]
        ax.legend(handles=handles, loc="best" if legend is True else legend, fontsize="small", framealpha=0.85)
    return drawn


def update_layer_gradients(
    drawn: LayerGradients, norms: ArrayLike, *, bound: float | None = None,
) -> LayerGradients:
    """Show new norms with the artists of :func:`plot_layer_gradients` (the same setter) and refit the limits."""
    _set_layers(drawn, _layer_data(norms, bound), bound)
    _layer_limits(axes_of(drawn.line), drawn)
    return drawn
