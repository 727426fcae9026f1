"""The escape explorer (notebook 08): many runs of one strategy, the share that finds the global minimum."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.artist import Artist

from .. import _checks, plotting
from .._types import Seed
from ..objective import Objective
from ..search import STRATEGIES, Escape, escape_defaults, escape_runs, window_scales
from .view import Shown, View, explorer_or_message, heading, panel_range

if TYPE_CHECKING:  # ipywidgets is imported only when an explorer is built
    from .controls import Explorer

__all__ = ["EscapeView", "explore_escape"]


class EscapeView(View):
    """n runs of a strategy on a landscape, the ones reaching the global minimum highlighted,
    and every run's loss against the step. ``update(strategy=, n=, **settings)`` returns an
    :class:`gdviz.search.Escape` (settings a strategy does not use are ignored)."""

    objective: Objective  # never None here (only a MessageView has none)

    def __init__(self, objective: Objective, strategy: str = "restarts", n: int = 20, *, lr: float = 0.01,
                 epochs: int = 300, seed: Seed = 0, tol: float | None = None, figsize: tuple[float, float] = (10, 3.6),
                 **settings: Any):
        if not isinstance(objective, Objective):
            raise _checks.ArgumentTypeError(f"objective: expected a gdviz Objective, got {type(objective).__name__}")
        if objective.global_minimum is None:
            raise _checks.ArgumentValueError(f"objective: {objective.name} has no known global minimum to compare "
                                             "with")
        if objective.dim > 2:
            raise _checks.ArgumentValueError(f"objective: the explorer draws 1-D and 2-D objectives, {objective.name} "
                                             f"has {objective.dim} variables")
        super().__init__(objective, figsize)
        _checks.generator(seed)
        self.epochs, self.seed = _checks.count("epochs", epochs, low=1), seed
        self.tol = None if tol is None else _checks.positive("tol", tol)
        self.ax, ax_loss = self.figure.subplots(1, 2, width_ratios=(1.3, 1))
        empty = np.empty((1, 0)) if objective.dim == 1 else np.empty((1, 0, 2))
        self.drawn = plotting.plot_outcomes(objective, empty, np.empty(0, bool), ax=self.ax)
        if objective.dim == 2:
            self.ax.set_aspect("equal", adjustable="box")
        self.losses = plotting.plot_outcome_losses(np.zeros((self.epochs + 1, 0)), np.empty(0, bool), ax=ax_loss,
                                                   f_star=objective.global_minimum.f)
        limits = panel_range(objective, "f")
        if limits is not None:
            ax_loss.set_ylim(*limits)
        ax_loss.set_title("loss of every run")
        self.legend = ax_loss.legend(handles=[self.losses.hits, self.losses.misses], loc="upper right", framealpha=0.9)
        self.heading = heading(self.ax)
        self.freeze_layout()
        self.update(strategy=strategy, n=n, lr=lr, **settings)

    def _dynamic(self) -> list[Artist]:
        return [self.heading, *self.drawn, *self.losses, self.legend]

    def _update(self, strategy: str, n: int, **settings: Any) -> Shown:
        strategy = _checks.one_of("strategy", strategy, list(STRATEGIES))
        used = {k: v for k, v in settings.items() if k in STRATEGIES[strategy]}
        result: Escape = escape_runs(self.objective, strategy, n, epochs=self.epochs, seed=self.seed, tol=self.tol,
                                     **used)
        plotting.update_outcomes(self.drawn, self.objective, result.x, result.reached)
        plotting.update_outcome_losses(self.losses, result.f, result.reached)
        hits, total = int(result.reached.sum()), result.reached.size
        self.heading.set_text(f"{strategy}: {hits} of {total} runs reach the global minimum")
        lost = int(result.diverged.sum())
        best = self.objective.global_minimum
        assert best is not None  # checked when the view was built
        shown = ", ".join(f"{k} = {v:.3g}" for k, v in used.items())
        readout = (f"{strategy}" + (f" ({shown})" if shown else "") + f": {hits} of {total} runs "
                   f"({result.share:.0%}) end within {result.tol:.3g} of the global minimum f* = {best.f:.4g}"
                   + (f"   diverged: {lost}" if lost else ""))
        caption = (f"strategy {strategy}" + (f" ({shown})" if shown else "") + f"  ·  n = {total} runs  ·  "
                   f"epochs = {self.epochs}  ·  seed {self.seed}  ·  tol = {result.tol:.3g}")
        return Shown(result, readout, [f"{lost} of {total} runs diverged - lower the learning rate" if lost else ""],
                     caption)


@explorer_or_message
def explore_escape(objective: Objective, strategy: str = "restarts", n: int = 20, *, lr: float = 0.01,
                   epochs: int = 300, seed: Seed = 0, tol: float | None = None, max_n: int = 100,
                   lr_range: tuple[float, float] = (1e-4, 1.0), **settings: Any) -> Explorer:
    """Strategy, its own settings and the number of runs n, on a 1-D or 2-D landscape with a
    known global minimum (sin_gauss, peaks, rastrigin, ...).

    Every run is drawn on the landscape; the ones that end at the global minimum (within
    ``tol``, see :func:`gdviz.search.escape_runs`) in blue, the others in orange; the readout
    gives the share. Only the chosen strategy's sliders show: learning rate (gradient
    strategies), restarts per run, momentum beta, noise variance, annealing T0 / cooling /
    step. ``settings`` sets their first values (defaults:
    :func:`gdviz.search.escape_defaults`). Seeded: the same settings give the same picture.
    A move costs one vectorised run of n (x restarts) starts for ``epochs`` steps: ~20 ms for
    20 runs of 300 steps, ~0.2 s for 100 x 10.

    >>> import gdviz as gd
    >>> w = explore_escape(gd.functions.sin_gauss, "gd", n=20, lr=0.5, epochs=100)
    >>> w.result.share
    0.35
    >>> w.controls["strategy"].value = "restarts"      # each run: the best of 5 descents
    >>> w.result.share
    0.75
    """
    from . import controls as c
    strategy = _checks.one_of("strategy", strategy, list(STRATEGIES))
    unknown = sorted(set(settings) - {k for used in STRATEGIES.values() for k in used})
    if unknown:
        raise _checks.ArgumentValueError(f"settings: unknown setting {unknown[0]!r}; choose from "
                                         f"{sorted({k for used in STRATEGIES.values() for k in used} - {'lr'})}")
    values = {**escape_defaults(objective), **settings}
    drawing = EscapeView(objective, strategy, n, lr=lr, epochs=epochs, seed=seed, tol=tol,
                         **{k: values[k] for k in ("restarts", "beta", "noise", "T0", "cooling", "step")})
    width, spread = window_scales(objective)
    picker = c.dropdown("strategy", list(STRATEGIES), strategy, "strategy")
    settings_ = {
        "lr": c.lr_slider(lr, lr_range),
        "restarts": c.int_slider("restarts", values["restarts"], 1, 20, "restarts per run"),
        "beta": c.float_slider("beta", values["beta"], 0.0, 0.99, 0.01, "momentum beta"),
        "noise": c.log_slider("noise", values["noise"], 1e-2, 1e4, description="noise variance"),
        "T0": c.log_slider("T0", values["T0"], 1e-3 * spread, 10 * spread),
        "cooling": c.float_slider("cooling", values["cooling"], 0.8, 1.0, 0.005, "cooling", fmt=".3f"),
        "step": c.log_slider("step", values["step"], 1e-3 * width, width),
    }
    c.show_only(picker, settings_, lambda name: STRATEGIES[name])
    runs = c.int_slider("n", n, 1, max(_checks.count("max_n", max_n, low=1), 1), "runs n")
    return c.Explorer(drawing, {"strategy": picker, "n": runs, **settings_},
                      rows=[c.wrap([picker, runs]), c.wrap(list(settings_.values()))])
