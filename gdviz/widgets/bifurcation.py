"""The bifurcation explorer: gradient descent's route to chaos, with a zoom (notebook 04).

Left, the whole diagram, computed once by one :func:`gdviz.sweep` that keeps a window of
late steps; a band marks the zoomed rates. Right, the zoom: the same sweep over the band's
rates only, recomputed when a slider moves. The readout names the cycle at the centre rate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.artist import Artist

from .. import _checks, plotting
from ..descent import sweep
from ..objective import Objective
from .view import Shown, View, explorer_or_message, heading

if TYPE_CHECKING:  # ipywidgets is imported only when an explorer is built
    from .controls import Explorer

__all__ = ["BifurcationView", "explore_bifurcation"]


def _describe(period: int) -> str:
    if period < 0:
        return "diverged"
    if period == 0:
        return "no cycle (chaos, or not settled yet)"
    return "settles on x* (a fixed point)" if period == 1 else f"a {period}-cycle"


class BifurcationView(View):
    """Late iterates of plain descent against the rate: the whole range and a zoom.

    ``update(centre=, width=)`` sweeps ``n`` rates on [centre - width/2, centre + width/2]
    (kept inside ``lrs``) and returns that :class:`~gdviz.SweepResult`.
    """

    objective: Objective  # never None here (only a MessageView has none)

    def __init__(self, objective: Objective, x0: float = 0.0, lrs: tuple[float, float] = (1.5, 4.5), *,
                 steps: tuple[int, int] = (2000, 2064), n: int = 400, centre: float | None = None,
                 width: float | None = None, figsize: tuple[float, float] = (10, 3.6)):
        if not isinstance(objective, Objective) or objective.dim != 1:
            raise _checks.ArgumentTypeError(f"objective: expected a 1-D gdviz Objective, got {objective!r}")
        super().__init__(objective, figsize)
        self.x0 = _checks.number("x0", x0)
        low, high = (_checks.positive("lrs", v) for v in lrs)
        if not low < high:
            raise _checks.ArgumentValueError(f"lrs: expected (low, high) with 0 < low < high, got {lrs!r}")
        first, stop = (_checks.count("steps", v) for v in steps)
        if not first < stop:
            raise _checks.ArgumentValueError(f"steps: expected (first, stop) with first < stop, got {steps!r}")
        self.lrs, self.steps, self.n = (low, high), np.arange(first, stop), _checks.count("n", n, low=2)
        whole = self._sweep(low, high)
        ax_all, self.ax = self.figure.subplots(1, 2)
        plotting.plot_bifurcation(whole, ax=ax_all)
        ax_all.set_title("all rates")
        self.band = ax_all.axvspan(low, high, color=plotting.PALETTE[1], alpha=0.25, lw=0)
        self.zoom = plotting.plot_bifurcation(whole, ax=self.ax)
        for label in self.ax.texts:  # a label at a fixed rate (the edge 2/f'') leaves the zoom: never
            label.set_clip_on(True)  # draw it over the whole diagram next door
        self.ax.set_ylabel("")
        self.title = heading(self.ax)
        self.freeze_layout()
        self.update(centre=centre if centre is not None else (low + high) / 2,
                    width=width if width is not None else (high - low) / 4)

    def _sweep(self, low: float, high: float) -> Any:
        return sweep(self.objective, self.x0, lr=np.linspace(low, high, self.n), epochs=self.steps)

    def _dynamic(self) -> list[Artist]:
        return [self.band, self.zoom.points, self.title]

    def _update(self, centre: float, width: float) -> Shown:
        low, high = self.lrs
        centre = _checks.in_range("centre", centre, low, high, closed_high=True)
        width = _checks.in_range("width", width, 0, high - low, closed_high=True)
        if width == 0:
            raise _checks.ArgumentValueError("width: expected a width above 0")
        a, b = max(low, centre - width / 2), min(high, centre + width / 2)
        result = self._sweep(a, b)
        plotting.update_bifurcation(self.zoom, result)
        self.ax.set_xlim(a, b)
        x = np.asarray(result.x)[~np.asarray(result.diverged)]
        if x.size:
            pad = max(0.02 * float(np.ptp(x)), 1e-3)
            self.ax.set_ylim(float(x.min()) - pad, float(x.max()) + pad)
        self.band.set_x(a)
        self.band.set_width(b - a)
        late = sweep(self.objective, self.x0, lr=[centre], epochs=self.steps)
        period, orbit = int(plotting.cycle_length(late)[0]), np.asarray(late.x)
        self.title.set_text(f"lr {a:.4g} .. {b:.4g}")
        readout = (f"zoom on lr {a:.5g} .. {b:.5g} ({self.n} rates, steps {self.steps[0]}..{self.steps[-1]}); "
                   f"at lr = {centre:.5g}: {_describe(period)}, x from {float(orbit.min()):.4g} "
                   f"to {float(orbit.max()):.4g}")
        caption = (f"centre lr = {centre:.4g}  ·  width {width:.3g}  ·  start x = {self.x0:.3g}  ·  "
                   f"steps {self.steps[0]}..{self.steps[-1]}  ·  plain gradient descent")
        return Shown(result, readout, [], caption)


@explorer_or_message
def explore_bifurcation(objective: Objective, x0: float = 0.0, lrs: tuple[float, float] = (1.5, 4.5), *,
                        centre: float | None = None, width: float | None = None, **view: Any) -> Explorer:
    """A zoom into the bifurcation diagram: a slider for the centre rate, a log slider for the
    width of the zoomed range (down to a thousandth of the whole).

    >>> import gdviz as gd
    >>> w = explore_bifurcation(gd.functions.sin_gauss, n=60, steps=(500, 532))
    >>> w.controls["width"].value = 0.05
    >>> w.controls["centre"].value = 2.3
    >>> "2-cycle" in w.view.readout
    True
    """
    from . import controls as c
    drawing = BifurcationView(objective, x0, lrs, centre=centre, width=width, **view)
    low, high = drawing.lrs
    params = drawing.result
    centre = float(np.mean(np.asarray(params.lr))) if params is not None else (low + high) / 2
    span = high - low
    width = _checks.in_range("width", width if width is not None else span / 4, 0, span, closed_high=True)
    step = 10.0 ** np.floor(np.log10(span / 1000))
    controls = {
        "centre": c.float_slider("centre", round(centre / step) * step, low, high, step, "centre lr", fmt=".4f"),
        "width": c.log_slider("width", width, span / 1000, span, description="zoom width", fmt=".3g"),
    }
    return c.Explorer(drawing, controls)
