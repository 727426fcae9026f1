"""Explorers of notebook 06's theory and noise: momentum's rate map and a race with noisy gradients.

:class:`RateMapView` draws :func:`gdviz.plotting.plot_momentum_rates` for a bowl with condition
number kappa, with rates measured on runs (:func:`measure_momentum_rates`) dashed on top;
``explore_momentum_rates`` adds a kappa slider. :class:`NoisyRaceView` is the optimizer race of
:func:`gdviz.widgets.explore_optimizers` with every gradient replaced by an estimate
``grad f(x) + noise * xi`` (xi standard normal, seeded); ``explore_noisy_race`` adds a noise slider.

    view = RateMapView(kappa=100)
    view.update(kappa=1000)             # the measured rates, shape (len(beta), len(lr))
    view.readout                        # "optimum lr = ..., beta = ..., rate ...; plain descent's best ..."
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.artist import Artist

from .. import _checks, plotting
from .. import optimizers as _optimizers
from .._types import ArrayLike
from ..descent import Trajectory, descend, sweep
from ..objective import Objective
from .descent import RunView, optimizer_names, param_caption
from .view import Shown, View, default_start, explorer_or_message, heading

__all__ = ["measure_momentum_rates", "RateMapView", "explore_momentum_rates", "NoisyRaceView",
           "explore_noisy_race"]


@functools.lru_cache(maxsize=16)
def _bowl(kappa: float) -> Objective:
    """The quadratic (x^2 + kappa y^2) / 2: curvatures 1 and kappa (compiled once per kappa)."""
    return Objective(f"(x**2 + {kappa!r}*y**2)/2", name=f"bowl, kappa = {kappa:.3g}", bounds=[(-2, 2), (-2, 2)],
                     minima=[((0.0, 0.0), 0.0)])


def measure_momentum_rates(kappa: float, lr: ArrayLike, beta: ArrayLike, *, epochs: int = 300) -> np.ndarray:
    """Momentum's contraction per step, measured on runs on the bowl (x^2 + kappa y^2) / 2.

    For each beta, one :func:`gdviz.sweep` over all rates from (1, 1). The distance to the
    minimum may swing (an under-damped run spirals), so the rate is taken between envelopes:
    (largest distance over the last sixth of the run / largest over the sixth ending at the
    run's midpoint)^(1 / (epochs / 3)). NaN where a run diverged.

    Returns:
        an array of shape ``(len(beta), len(lr))`` to compare with
        :func:`gdviz.optimizers.momentum_rate`.

    >>> rate = measure_momentum_rates(100.0, [0.005], [0.0])          # plain descent: 1 - 0.005
    >>> round(float(rate[0, 0]), 4)
    0.995
    """
    kappa = _checks.positive("kappa", kappa)
    lr, beta = _checks.as_floats("lr", lr).ravel(), _checks.as_floats("beta", beta).ravel()
    epochs = _checks.count("epochs", epochs, low=12)
    sixth = epochs // 6
    window = np.arange(epochs - 3 * sixth, epochs + 1)  # the midpoint .. the end
    out = np.full((beta.size, lr.size), np.nan)
    bowl = _bowl(float(kappa))
    for i, b in enumerate(beta):
        result = sweep(bowl, [1.0, 1.0], lr=lr, epochs=window, optimizer=_optimizers.Momentum(float(b)))
        distance = np.linalg.norm(result.x, axis=-1)  # (rates, epochs in the window)
        early, late = distance[:, : sixth + 1].max(axis=1), distance[:, -(sixth + 1):].max(axis=1)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            rate = (late / early) ** (1 / (2 * sixth))
        out[i] = np.where(result.diverged[:, -1] | ~np.isfinite(rate), np.nan, rate)
    return out


class RateMapView(View):
    """Momentum's rate map for a bowl with condition number ``kappa``, measured rates dashed on top.

    ``update(kappa=)`` returns the measured rates it drew (shape ``(n_beta, n_lr)``). The axes
    (lr * L, beta) and the colour bands do not change with kappa, only the contours do.
    """

    def __init__(self, kappa: float = 100.0, *, measured: bool = True, n_measured: tuple[int, int] = (16, 28),
                 figsize: tuple[float, float] = (9, 4.2)):
        super().__init__(None, figsize)
        self.measured = _checks.flag("measured", measured)
        n_beta, n_lr = (_checks.count("n_measured", k, low=2) for k in n_measured)
        self.m_beta, self._m_lr_units = np.linspace(0.0, 0.99, n_beta), np.geomspace(0.05, 4.0, n_lr)
        self.ax = self.figure.add_subplot()
        self.drawn = plotting.plot_momentum_rates([1.0, 100.0], ax=self.ax, legend=False)
        self.ax.set_title(" ")
        self.heading = heading(self.ax)
        self.freeze_layout()
        self.update(kappa=kappa)

    def _drawn(self) -> list[Artist]:
        """The map's artists (a contour set removes its own labels)."""
        return [self.drawn.filled, self.drawn.lines, self.drawn.optimum,
                *([self.drawn.measured] if self.drawn.measured is not None else [])]

    def _dynamic(self) -> list[Artist]:
        return [self.heading, *self._drawn(), *self.drawn.lines.labelTexts]

    def _update(self, kappa: float) -> Shown:
        kappa = _checks.in_range("kappa", kappa, 1.0, 1e6, closed_high=True)
        m_lr = self._m_lr_units / kappa
        rates = measure_momentum_rates(kappa, m_lr, self.m_beta) if self.measured else None
        for artist in self._drawn():
            artist.remove()
        self.drawn = plotting.plot_momentum_rates([1.0, kappa], ax=self.ax, colorbar=False, legend=False,
                                                  measured=(m_lr, self.m_beta, rates) if rates is not None else None)
        self.ax.set_title(" ")
        best = _optimizers.momentum_optimum([1.0, kappa])
        plain = (kappa - 1) / (kappa + 1)
        self.heading.set_text(f"kappa = {kappa:.3g}: solid = theory, dashed = measured, star = optimum")
        readout = (f"optimum lr = {best.lr:.4g} (lr L = {best.lr * kappa:.3f}), beta = {best.beta:.4f}, "
                   f"rate {best.rate:.4f} per step = (sqrt(kappa) - 1) / (sqrt(kappa) + 1);   "
                   f"plain descent's best rate (kappa - 1) / (kappa + 1) = {plain:.4f}")
        if rates is not None:
            theory = _optimizers.momentum_rate(m_lr[None, :], self.m_beta[:, None], [1.0, kappa])
            ok = np.isfinite(rates) & (theory < 0.995)
            if ok.any():
                worst = np.abs(rates - theory)[ok].max()
                readout += f"\nmeasured vs theory where it converges: largest difference {worst:.3f}"
        return Shown(rates, readout, [], f"momentum's rate per step on (x^2 + kappa y^2) / 2, kappa = {kappa:.3g}")


@explorer_or_message
def explore_momentum_rates(kappa: float = 100.0, *, measured: bool = True, **view: Any) -> Any:
    """A kappa slider (log, 1 to 10^4) for momentum's rate map (:class:`RateMapView`).

    A move recompiles the bowl for the new kappa (cached) and measures 16 x 28 runs of 300 steps.

    >>> w = explore_momentum_rates(kappa=100)
    >>> w.controls["kappa"].value = 1000
    >>> "beta = 0.8811, rate 0.9387" in w.view.readout      # (sqrt(1000) - 1) / (sqrt(1000) + 1)
    True
    """
    from . import controls as c
    drawing = RateMapView(kappa, measured=measured, **view)
    return c.Explorer(drawing, {"kappa": c.log_slider("kappa", kappa, 1.0, 1e4, description="kappa", step=0.05)})


def noisy_gradient(objective: Objective, noise: float, seed: int = 0) -> Any:
    """A gradient estimate for ``descend(gradient=)``: grad f(x) + noise * xi, xi ~ N(0, 1), seeded."""
    noise = _checks.non_negative("noise", noise)
    rng = _checks.generator(seed)

    def estimate(point: np.ndarray, t: int) -> np.ndarray:
        return objective.grad(point) + noise * rng.standard_normal(np.shape(point))

    return estimate


class NoisyRaceView(RunView):
    """Several optimizers from one start with noisy gradients: ``update(lr=, epochs=, x0=, y0=, noise=)``.

    Every optimizer sees the same noise sequence (the generator is seeded afresh per run).
    Returns the dict name -> Trajectory drawn; ``f`` is the true loss at each point.
    """

    @classmethod
    def noisy(cls, objective: Objective, optimizers: Sequence[str] = ("gd", "momentum", "adam"), *,
              lr: float = 0.005, epochs: int = 200, noise: float = 1.0, x0: Any = None, seed: int = 0,
              **kwargs: Any) -> NoisyRaceView:
        names = optimizer_names(optimizers)
        _checks.generator(seed)
        if not isinstance(objective, Objective):
            raise _checks.ArgumentTypeError(f"objective: expected a gdviz Objective, got {type(objective).__name__}")
        where = _checks.as_floats("x0", default_start(objective) if x0 is None else x0).ravel()
        if where.size != objective.dim or objective.dim > 2:
            raise _checks.ArgumentValueError(f"x0: expected {objective.dim} coordinate(s) for {objective.name} "
                                             f"(a 1-D or 2-D objective), got {where.tolist()}")
        start = {k: float(v) for k, v in zip(("x0", "y0"), where, strict=False)}

        def run(lr: float, epochs: int, x0: float, y0: float | None = None,
                noise: float = 1.0) -> dict[str, Trajectory]:
            lr, epochs = _checks.positive("lr", lr), _checks.count("epochs", epochs)
            noise = _checks.non_negative("noise", noise)
            where = x0 if y0 is None else [x0, y0]
            return {name: descend(objective, where, lr=lr, epochs=epochs, optimizer=name,
                                  gradient=noisy_gradient(objective, noise, seed)) for name in names}

        def caption(p: Mapping[str, Any]) -> str:
            base = param_caption(objective, {k: v for k, v in p.items() if k != "noise"})
            return f"{base}  ·  {', '.join(names)}  ·  noise sigma = {p.get('noise', noise):.3g}"

        return cls(objective, run, dict(start, lr=lr, epochs=epochs, noise=noise), ("f",), log=("f",), caption=caption,
                   **kwargs)


@explorer_or_message
def explore_noisy_race(objective: Objective, optimizers: Sequence[str] = ("gd", "momentum", "adam"),
                       lr: float = 0.005, epochs: int = 200, noise: float = 1.0, x0: ArrayLike | None = None, *,
                       lr_range: tuple[float, float] = (1e-4, 1.0), max_epochs: int | None = None, seed: int = 0,
                       **view: Any) -> Any:
    """An optimizer race with noisy gradients: shared lr, epochs, start and a noise slider (0 to 20).

    >>> import gdviz as gd
    >>> w = explore_noisy_race(gd.functions.ravine, lr=0.005, noise=0.0)
    >>> w.controls["noise"].value = 5.0
    >>> sorted(w.result)
    ['adam', 'gd', 'momentum']
    """
    from . import controls as c
    drawing = NoisyRaceView.noisy(objective, optimizers, lr=lr, epochs=epochs, noise=noise, x0=x0, seed=seed,
                                  **view)
    params = drawing.params
    start: dict[str, float] = {k: params[k] for k in ("x0", "y0") if k in params}
    controls = {"lr": c.lr_slider(lr, lr_range), "epochs": c.epochs_slider(epochs, max_epochs),
                **c.start_sliders(objective, start),
                "noise": c.float_slider("noise", noise, 0.0, 20.0, 0.1, "noise sigma", fmt=".1f")}
    return c.Explorer(drawing, controls)
