"""The deep-network explorer (notebook 05): gradient magnitude at every layer of a random MLP."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.patches import Rectangle
from matplotlib.transforms import blended_transform_factory

from .. import _checks, plotting
from .. import deep as _deep
from .._types import Seed
from ..deep import EXPLODING, VANISHING, gradient_verdict
from .view import PALETTE, Shown, View, explorer_or_message, heading

if TYPE_CHECKING:  # ipywidgets is imported only when an explorer is built
    from .controls import Explorer

__all__ = ["DeepView", "explore_deep"]

_SIGMOID_SLOPE = 0.25  # max of sigmoid'(z) = s (1 - s), at z = 0


class DeepView(View):
    """Gradient magnitude per layer of a random MLP (:func:`gdviz.deep.layer_gradient_norms`).

    ``update(depth=, activation=, scale=, scheme=, residual=, normalize=)`` returns the norms
    it drew (first layer first). The green band is "healthy": within a factor 10 of the last
    layer's gradient (:data:`gdviz.deep.VANISHING`, :data:`gdviz.deep.EXPLODING`); for
    sigmoid a dashed line traces x0.25 per layer back from the last layer: the bound of a scalar
    chain with unit weights, labelled as such (a matrix layer can stretch the gradient by its
    spectral norm, so in a network of any width this line is not a bound; notebook 05).
    """

    def __init__(self, depth: int = 10, activation: str = "sigmoid", scale: float = 1.0, scheme: str = "normal", *,
                 residual: bool = False, normalize: bool = False, width: int = 32, seed: Seed = 0,
                 n_samples: int = 64, figsize: tuple[float, float] = (9, 3.5)):
        super().__init__(None, figsize)
        _checks.generator(seed)  # checked here; the seed itself is passed on, so every move draws the same weights
        self.width, self.seed = _checks.count("width", width, low=1), seed
        self.n_samples = _checks.count("n_samples", n_samples, low=1)
        self.ax = self.figure.add_subplot()
        self.drawn = plotting.plot_layer_gradients(np.ones(2), ax=self.ax, bound=_SIGMOID_SLOPE)
        band = blended_transform_factory(self.ax.transAxes, self.ax.transData)
        self.band = Rectangle((0, 1), 1, 1, transform=band, facecolor=PALETTE[2], alpha=0.12,
                              edgecolor="none", zorder=1)
        self.ax.add_patch(self.band)
        self.ax.legend([self.drawn.line, self.drawn.bound, self.band],
                       ["|dL/d input| of each layer",
                        f"×{_SIGMOID_SLOPE:g} per layer: bound of a\nscalar sigmoid chain\n(unit weights)",
                        "healthy: within ×10\nof the last layer"], loc="upper left", bbox_to_anchor=(1.01, 1.0),
                       frameon=False)
        self.verdict = self.ax.text(1.03, 0.0, "", transform=self.ax.transAxes, va="bottom", ha="left", fontsize=13,
                                    fontweight="bold", linespacing=1.5)
        self.heading = heading(self.ax)
        self.freeze_layout()
        self.update(depth=depth, activation=activation, scale=scale, scheme=scheme, residual=residual,
                    normalize=normalize)

    def _dynamic(self) -> list[Artist]:
        return [self.heading, self.band, self.verdict, *self.drawn]

    def _update(self, depth: int, activation: str, scale: float, scheme: str, residual: bool = False,
                normalize: bool = False) -> Shown:
        depth, scale = _checks.count("depth", depth, low=1), _checks.positive("scale", scale)
        activation = _checks.one_of("activation", activation, list(_deep.ACTIVATIONS))
        scheme = _checks.one_of("scheme", scheme, list(_deep.SCHEMES))
        _checks.memory(8.0 * depth * self.width * (self.width + 4 * self.n_samples), "this network's weights and "
                       "activations", "ask for fewer layers")
        norms = _deep.layer_gradient_norms(depth, self.width, activation, scale=scale, scheme=scheme, seed=self.seed,
                                           residual=bool(residual), normalize=bool(normalize),
                                           n_samples=self.n_samples)
        sigmoid = activation == "sigmoid"
        plotting.update_layer_gradients(self.drawn, norms, bound=_SIGMOID_SLOPE if sigmoid else None)
        verdict, ratio = gradient_verdict(norms)
        last = float(norms[-1])
        ok = np.isfinite(last) and last > 0
        self.band.set_y(last * VANISHING if ok else 1.0)
        self.band.set_height(last * (EXPLODING - VANISHING) if ok else 0.0)
        self.band.set_visible(bool(ok))
        self.verdict.set_text(f"{verdict}\nfirst / last = {ratio:.2g}")
        self.verdict.set_color({"healthy": PALETTE[2], "vanishing": PALETTE[0]}.get(
            verdict, plotting.DIVERGED_COLOR))
        extras = [x for x in ("residual" if residual else "", "normalized" if normalize else "") if x]
        described = (f"{depth} {activation} layers of width {self.width}, {scheme} init × {scale:.3g}"
                     + (f" ({', '.join(extras)})" if extras else ""))
        self.heading.set_text(described)
        bad = int(np.count_nonzero(~np.isfinite(norms)))
        message = (f"the passes overflowed (inf / NaN) at {bad} layer{'s' * (bad > 1)} - lower the weight scale"
                   if bad else "")
        per_layer = ratio ** (1 / (depth - 1)) if depth > 1 and np.isfinite(ratio) and ratio > 0 else float("nan")
        zeros = np.flatnonzero(norms == 0)
        readout = (f"gradient at layer 1: {norms[0]:.3g}   at layer {depth}: {last:.3g}   "
                   f"ratio first / last: {ratio:.3g}" + (f" (×{per_layer:.3g} per layer)" if per_layer == per_layer
                                                        else "")
                   + f"   verdict: {verdict}   (vanishing below {VANISHING:g}, exploding above {EXPLODING:g})"
                   + (f"\nthe gradient is exactly 0 from layer {zeros[-1] + 1} down: no unit passes it on"
                      if zeros.size else ""))
        caption = f"{described}  ·  {self.n_samples} samples, seed {self.seed}"
        return Shown(norms, readout, [message], caption)


@explorer_or_message
def explore_deep(depth: int = 10, activation: str = "sigmoid", scale: float = 1.0, scheme: str = "normal", *,
                 width: int = 32, residual: bool = False, normalize: bool = False, seed: Seed = 0,
                 max_depth: int = 50, **view: Any) -> Explorer:
    """Depth, activation, weight scale (log), initialisation, residual connections and
    normalisation of a random MLP; the figure shows the gradient magnitude at every layer.

    The readout gives the gradient at the first and last layer, their ratio and a verdict
    (:func:`gdviz.deep.gradient_verdict`: "vanishing" below 0.1, "exploding" above 10 or on
    overflow, else "healthy"). A slider move is one forward and one backward pass through at
    most ``max_depth`` layers of ``width`` units on 64 samples (a few milliseconds). ``view``
    goes to :class:`DeepView`.

    >>> w = explore_deep(depth=10, activation="sigmoid", scheme="xavier")
    >>> w.view.verdict.get_text().split()[0]
    'vanishing'
    >>> w.controls["activation"].value = "tanh"
    >>> w.view.verdict.get_text().split()[0]
    'healthy'
    """
    from . import controls as c
    activation = _checks.one_of("activation", activation, list(_deep.ACTIVATIONS))
    scheme = _checks.one_of("scheme", scheme, list(_deep.SCHEMES))
    max_depth = _checks.count("max_depth", max_depth, low=1)
    drawing = DeepView(depth, activation, scale, scheme, residual=residual, normalize=normalize, width=width, seed=seed,
                       **view)
    controls = {
        "depth": c.int_slider("depth", depth, 1, max_depth, "depth"),
        "activation": c.dropdown("activation", list(_deep.ACTIVATIONS), activation, "activation"),
        "scale": c.log_slider("scale", scale, 1e-2, 1e2, description="weight scale"),
        "scheme": c.dropdown("scheme", list(_deep.SCHEMES), scheme, "initialisation"),
        "residual": c.checkbox(residual, "residual connections"),
        "normalize": c.checkbox(normalize, "normalisation"),
    }
    return c.Explorer(drawing, controls)
