"""Explorers of descent runs: one run in 1-D or 2-D, an optimizer race, a learning-rate schedule.

:class:`RunView` draws runs on their landscape (left) and histories against the epoch (right);
``explore_1d``, ``explore_2d``, ``explore_optimizers`` and ``explore_schedule`` wrap it in
sliders::

    view = RunView.descent(gd.functions.quadratic, lr=0.1)
    run = view.update(lr=0.9, epochs=30, x0=-1.4)    # past 2 / f'' = 1/3: a Trajectory
    view.messages                          # ['diverged at step 19 - lower the learning rate']
    png = view.png()
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from matplotlib.artist import Artist

from .. import _checks, plotting
from .. import optimizers as _optimizers
from .. import schedules as _schedules
from .._types import ArrayLike, Legend
from ..descent import MAX_NORM, Trajectory, descend
from ..objective import Objective
from .view import (
    Paths,
    Shown,
    View,
    default_start,
    explorer_or_message,
    fmt,
    heading,
    panel_range,
    run_color,
    run_readout,
)

if TYPE_CHECKING:  # ipywidgets is imported only when an explorer is built
    from .controls import Explorer

__all__ = ["RunView", "explore_1d", "explore_2d", "explore_optimizers", "explore_schedule", "param_caption"]

Runs = dict[str, Trajectory]


def param_caption(objective: Objective, params: Mapping[str, Any]) -> str:
    """The caption of a run figure: "lr = 0.01 · epochs = 100 · start (x, y) = (1, 2) · optimizer gd"."""
    start = [params[k] for k in ("x0", "y0") if k in params]
    parts = []
    if "schedule" in params:
        parts.append(f"schedule {params['schedule']}")
    if "lr" in params:
        parts.append(f"lr = {params['lr']:.3g}" if isinstance(params["lr"], (int, float)) else f"lr = {params['lr']}")
    if "epochs" in params:
        parts.append(f"epochs = {params['epochs']}")
    if start:
        names = objective.variable_names
        shown = ", ".join(f"{v:.3g}" if isinstance(v, (int, float)) else str(v) for v in start)
        parts.append(f"start {names[0]} = {shown}" if len(start) == 1 else f"start ({', '.join(names)}) = ({shown})")
    if "optimizer" in params:
        parts.append(f"optimizer {params['optimizer']}")
    extra = [f"{k} = {v:.3g}" if isinstance(v, float) else f"{k} = {v}" for k, v in params.items()
             if k not in ("schedule", "lr", "epochs", "x0", "y0", "optimizer")]
    return "  ·  ".join(parts + extra)


class RunView(View):
    """Runs on their landscape (left) and histories against the epoch (right, stacked).

    ``run(**params) -> {name: Trajectory}`` is the whole computation; ``panels`` are the
    :func:`gdviz.plotting.plot_history` quantities ("x", "grad", "f", "lr") to show, the
    ones in ``log`` on a log axis. ``caption(params)`` gives the line under the figure.
    The constructors :meth:`descent`, :meth:`optimizers` and :meth:`schedule` are the
    views behind the explorers. ``update(**params)`` returns the Trajectory (one run) or the
    dict name -> Trajectory (several).

    ``theory=True`` (for an objective with a known global minimum x*) shows the theory of
    plain descent near x* live (:func:`gdviz.plotting.step_factors`): in 1-D the factor
    q = 1 - lr f''(x*) and its regime over a "dist" panel, with the prediction
    |x_0 - x*| |q|^t as a wide pale band under the measured |x_t - x*|; in 2-D a bar per eigen-direction
    of the Hessian, 1 - lr lambda_i, under the loss. The readout repeats the numbers.
    """

    objective: Objective  # never None here (only a MessageView has none)

    def __init__(self, objective: Objective, run: Callable[..., Runs], params: Mapping[str, Any],
                 panels: Sequence[str] = ("f",), *, log: Sequence[str] = (), figsize: tuple[float, float] = (10, 3.6),
                 n: int = 150, caption: Callable[[Mapping[str, Any]], str] | None = None, theory: bool = False):
        if not isinstance(objective, Objective):
            raise _checks.ArgumentTypeError(f"objective: expected a gdviz Objective, got {type(objective).__name__}")
        super().__init__(objective, figsize)
        self.run, self.panels, self.log, self.params = run, tuple(panels), set(log), dict(params)
        self.make_caption = caption or (lambda p: param_caption(objective, p))
        best = getattr(objective, "global_minimum", None) if theory and "lr" in params else None
        bars = best is not None and objective.dim == 2
        grid = self.figure.add_gridspec(len(self.panels) + bars, 2, width_ratios=(1.35, 1))
        self.ax = self.figure.add_subplot(grid[:, 0])
        self.axes = {p: self.figure.add_subplot(grid[i, 1]) for i, p in enumerate(self.panels)}
        self.best, self.factors, self.prediction, self.factor_text = best, None, None, None
        self.edge: Any = None  # the stability edge 2/f''(x*) in a schedule's rate panel (see :meth:`schedule`)
        if bars:
            below = self.figure.add_subplot(grid[-1, 1])
            self.factors = plotting.plot_step_factors(objective, lr=params["lr"], ax=below)
        elif best is not None and "dist" in self.axes:
            # a wide pale band under the measured line: on a quadratic the two coincide exactly
            (self.prediction,) = self.axes["dist"].plot([], [], lw=7, alpha=0.35, color=plotting.NEUTRAL, zorder=1,
                                                        solid_capstyle="butt")
            self.factor_text = heading(self.axes["dist"])
        try:
            runs = run(**params)
        except _checks.ArgumentError:  # artists from a run at the default start; update says what was wrong
            runs = run(**{**params, **_start(objective, None)})
        self.colors = [run_color(name, i) for i, name in enumerate(runs)]
        self.paths = Paths(self.ax, runs, n, self.colors)
        legend: Legend = "best" if len(runs) > 1 else False
        self.lines = {p: plotting.plot_history(runs, what=p, ax=ax, log=p in self.log, colors=self.colors,
                                               legend=legend if i == len(self.panels) - 1 else False)
                      for i, (p, ax) in enumerate(self.axes.items())}
        for ax in list(self.axes.values())[:-1]:
            ax.set_xlabel("")
        self.ranges = {p: None if p in self.log else panel_range(objective, p) for p in self.panels}
        self.freeze_layout()
        self.update(**params)

    def _update(self, **params: Any) -> Shown:
        runs = self.run(**params)
        self.paths.update(runs)
        theory = self._theory(runs, {**self.params, **params})
        epochs = max(t.epochs for t in runs.values())
        for p, lines in self.lines.items():
            plotting.update_history(lines, runs, what=p, log=p in self.log)
            self.axes[p].set_xlim(0, max(epochs - (p == "lr"), 1))
            limits = self.ranges[p]
            if limits is not None:
                self.axes[p].set_ylim(*limits)
        first = next(iter(runs.values()))
        named = len(runs) > 1
        readout = "\n".join([run_readout(name, t, named) for name, t in runs.items()] + theory)
        return Shown(first if not named else runs, readout, self.run_messages(runs, first.x[0]),
                     self.make_caption({**self.params, **params}))

    def _theory(self, runs: Runs, params: Mapping[str, Any]) -> list[str]:
        """Move the theory artists to the rate of ``params``; the readout's lines about it."""
        if self.best is None:
            return []
        lr = float(params["lr"])
        lam, q = plotting.step_factors(self.objective, lr=lr, at=self.best.x)
        plain = "" if params.get("optimizer", "gd") == "gd" else " (plain gradient descent's, not this optimizer's)"
        at = fmt(self.best.x)
        if self.factors is not None:
            plotting.update_step_factors(self.factors, lr)
            worst = q[np.argmax(np.abs(q))]
            limits = (f"; zig-zag above 1/λmax = {1 / lam.max():.4g}, no convergence above 2/λmax = "
                      f"{2 / lam.max():.4g}") if lam.max() > 0 else ""
            return [f"near x* = {at}: eigenvalues of the Hessian {', '.join(f'{v:.4g}' for v in lam)}; factors "
                    f"1 - lr λ = {', '.join(f'{v:.3g}' for v in q)} -> {plotting.regime(worst)}{plain}{limits}"]
        run = next(iter(runs.values()))
        (factor,), (curvature,) = q, lam
        if curvature <= 0:  # a flat bottom (x^4): no factor is constant near x*, so nothing to predict
            if self.prediction is not None and self.factor_text is not None:
                self.prediction.set_data([], [])
                self.factor_text.set_text(f"f''(x*) = {curvature:.3g}: no constant factor near x*")
            return [f"near x* = {at}: f''(x*) = {curvature:.4g}, so no constant factor: near a flat bottom descent "
                    "slows down more and more instead of shrinking the distance by a fixed fraction"]
        t = np.arange(run.epochs + 1, dtype=float)
        with np.errstate(all="ignore"):
            predicted = abs(float(run.x[0]) - float(self.best.x)) * np.abs(factor) ** t
        if self.prediction is not None and self.factor_text is not None:  # drawn over a "dist" panel, if any
            self.prediction.set_data(t, np.where((predicted > 1e-16) & (predicted < 1e13), predicted, np.nan))
            self.factor_text.set_text(f"1 - lr f''(x*) = {factor:.3g}: {plotting.regime(factor)}")
        return [f"near x* = {at}: f''(x*) = {curvature:.4g}, factor 1 - lr f''(x*) = {factor:.4g} -> "
                f"{plotting.regime(factor)}{plain}; one step at lr = 1/f'' = {1 / curvature:.4g}, edge "
                f"2/f'' = {2 / curvature:.4g}"]

    def _dynamic(self) -> list[Artist]:
        theory = [a for a in (self.prediction, self.factor_text) if a is not None]
        if self.factors is not None:
            theory += [*self.factors.bars.patches, *self.factors.values, self.factors.title]
        return [*self.paths.artists(), *(line for lines in self.lines.values() for line in lines), *theory]

    # ---- the views behind the explorers

    @classmethod
    def descent(cls, objective: Objective, *, lr: float = 0.05, epochs: int = 30, x0: Any = None,
                optimizer: str = "gd", theory: bool = False, **kwargs: Any) -> RunView:
        """One run: positions and derivative histories in 1-D, the loss in 2-D.

        ``update(lr=, epochs=, x0=, y0=, optimizer=)`` (``y0`` for a 2-D objective only).
        With ``theory=True`` and a known minimum, the 1-D panels are the position and the
        distance |x - x*| on a log axis (a run that contracts by q per step is a straight
        line there), and the factors of plain descent are shown (see :class:`RunView`).
        """
        start = _start(objective, x0)
        known = getattr(objective, "global_minimum", None) is not None
        panels = ("f",) if objective.dim != 1 else ("x", "dist") if theory and known else ("x", "grad")
        return cls(objective, _descent_run(objective), dict(start, lr=lr, epochs=epochs, optimizer=optimizer),
                   panels, log=("dist",) if "dist" in panels else (), theory=theory, **kwargs)

    @classmethod
    def optimizers(cls, objective: Objective, optimizers: Sequence[str] = ("gd", "momentum", "nesterov", "adam"), *,
                   lr: float = 0.01, epochs: int = 100, x0: Any = None, **kwargs: Any) -> RunView:
        """Several optimizers from one start; loss on a log axis.

        ``update(lr=, epochs=, x0=, y0=, **hyper)`` with hyper-parameters named
        ``"<optimizer>.<parameter>"``, e.g. ``**{"adam.beta1": 0.8}`` (defaults otherwise).
        """
        start = _start(objective, x0)
        names = optimizer_names(optimizers)

        def caption(p: Mapping[str, Any]) -> str:
            hyper = {k: v for k, v in p.items() if "." in k}
            changed = {k: v for k, v in hyper.items() if v != _defaults(k)}
            base = param_caption(objective, {k: v for k, v in p.items() if "." not in k})
            return base + f"  ·  {', '.join(names)}" + "".join(f"  ·  {k} = {v:.3g}" for k, v in changed.items())

        return cls(objective, _race_run(objective, names), dict(start, lr=lr, epochs=epochs), ("f",), log=("f",),
                   caption=caption, **kwargs)

    @classmethod
    def schedule(cls, objective: Objective, *, schedule: str = "step_decay", lr: float = 0.1, epochs: int = 100,
                 x0: Any = None, optimizer: str = "gd", **kwargs: Any) -> RunView:
        """One run under a learning-rate schedule: lr(t), the path and the loss.

        For plain descent on a 1-D objective with a known minimum x*, the rate panel marks the
        edge 2/f''(x*) (``view.edge``): the run settles only once its rate stays below it.
        ``update(schedule=, lr=, epochs=, x0=, y0=, **schedule_params)``; parameters that
        the chosen schedule does not take are ignored.
        """
        start = _start(objective, x0)
        optimizer = _checks.one_of("optimizer", optimizer, list(_optimizers.NAMES))
        params = dict(start, schedule=schedule, lr=lr, epochs=epochs)

        def caption(p: Mapping[str, Any]) -> str:
            name = str(p.get("schedule"))
            used = numeric_params(_schedules.NAMES[name]) if name in _schedules.NAMES else {}
            mine = ", ".join(f"{k} {p[k]:.3g}" for k in used if k in p)
            base = param_caption(objective, {k: v for k, v in p.items() if k in ("lr", "epochs", "x0", "y0")})
            return f"schedule {name}" + (f" ({mine})" if mine else "") + f"  ·  {base}  ·  optimizer {optimizer}"

        view = cls(objective, _schedule_run(objective, optimizer), params, ("lr", "f"), caption=caption, **kwargs)
        best = getattr(objective, "global_minimum", None)
        curvature = float(objective.hessian(best.x)) if best is not None and objective.dim == 1 else 0.0
        if curvature > 0 and optimizer == "gd":  # plain descent settles only once its rate is below the edge
            ax = view.axes["lr"]
            view.edge = ax.axhline(2 / curvature, color=plotting.NEUTRAL, ls=":", lw=1.2)
            ax.text(0.99, 2 / curvature, "2/f''(x*) ", transform=ax.get_yaxis_transform(), ha="right", va="top",
                    fontsize="small", color=plotting.NEUTRAL)
            view.update(**params)
        return view


def optimizer_names(optimizers: Any) -> list[str]:
    """Checked, lower-case optimizer names: a non-empty sequence of names (not Optimizer objects)."""
    if isinstance(optimizers, str) or not isinstance(optimizers, Sequence):
        raise _checks.ArgumentTypeError(f"optimizers: expected a list of optimizer names such as ['gd', 'adam'], "
                                        f"got {optimizers!r}")
    if not optimizers:
        raise _checks.ArgumentValueError(f"optimizers: expected at least one of {list(_optimizers.NAMES)}, got "
                                         "an empty list")
    names = [_checks.one_of("optimizers", name, list(_optimizers.NAMES)) for name in optimizers]
    if len(set(names)) != len(names):
        raise _checks.ArgumentValueError(f"optimizers: each optimizer once, got {list(optimizers)}")
    return names


def _start(objective: Objective, x0: Any) -> dict[str, float]:
    """The start as slider parameters ``{"x0": ..., "y0": ...}``, checked."""
    if not isinstance(objective, Objective):
        raise _checks.ArgumentTypeError(f"objective: expected a gdviz Objective, got {type(objective).__name__}")
    if objective.dim > 2:
        raise _checks.ArgumentValueError(f"objective: explorers draw 1-D and 2-D objectives, {objective.name} has "
                                         f"{objective.dim} variables")
    start = default_start(objective) if x0 is None else _checks.as_floats("x0", x0).ravel().tolist()
    if len(start) != objective.dim or not np.all(np.isfinite(start)):
        raise _checks.ArgumentValueError(f"x0: expected {objective.dim} finite number{'s' * (objective.dim > 1)} "
                                         f"(a start in {', '.join(objective.variable_names)}), got {x0!r}")
    return dict(zip(("x0", "y0"), map(float, start), strict=False))


def _check_run(objective: Objective, lr: Any, epochs: Any, x0: Any, y0: Any) -> tuple[float, int, Any]:
    """Checked slider values; a start where f or its gradient is not finite (a pole, outside
    the domain of a log or a square root) is refused: there is no run to show."""
    lr = _checks.positive("lr", lr)
    epochs = _checks.count("epochs", epochs, low=1)
    start = [_checks.in_range(name, v, -MAX_NORM, MAX_NORM, closed_high=True)
             for name, v in (("x0", x0), ("y0", y0)) if name == "x0" or y0 is not None]
    columns = [np.array([v]) for v in start]
    with np.errstate(all="ignore"):
        values = [np.asarray(objective.value_columns(columns), dtype=complex),
                  np.asarray(objective.grad_columns(columns), dtype=complex)]
    if not all(np.all(np.isfinite(v)) and not np.any(v.imag) for v in values):
        where = ", ".join(f"{v} = {s:.3g}" for v, s in zip(objective.variable_names, start, strict=False))
        raise _checks.ArgumentValueError(f"x0: f or its gradient is not defined at the start {where}: move the start")
    return lr, epochs, start[0] if y0 is None else start


def _descent_run(objective: Objective) -> Callable[..., Runs]:
    def run(lr: float, epochs: int, x0: float, y0: float | None = None, optimizer: str = "gd") -> Runs:
        lr, epochs, start = _check_run(objective, lr, epochs, x0, y0)
        name = _checks.one_of("optimizer", optimizer, list(_optimizers.NAMES))
        return {name: descend(objective, start, lr=lr, epochs=epochs, optimizer=name)}
    return run


def _defaults(key: str) -> float | None:
    name, param = key.split(".", 1)
    return numeric_params(_optimizers.NAMES[name]).get(param)


def _race_run(objective: Objective, names: Sequence[str]) -> Callable[..., Runs]:
    def run(lr: float, epochs: int, x0: float, y0: float | None = None, **hyper: float) -> Runs:
        lr, epochs, start = _check_run(objective, lr, epochs, x0, y0)
        out = {}
        for name in names:
            mine = {k.split(".", 1)[1]: _checks.number(k, v) for k, v in hyper.items() if k.split(".", 1)[0] == name}
            out[name] = descend(objective, start, lr=lr, epochs=epochs, optimizer=_optimizers.NAMES[name](**mine))
        return out
    return run


def _schedule_run(objective: Objective, optimizer: str) -> Callable[..., Runs]:
    def run(schedule: str, lr: float, epochs: int, x0: float, y0: float | None = None, **settings: Any) -> Runs:
        lr, epochs, start = _check_run(objective, lr, epochs, x0, y0)
        name = _checks.one_of("schedule", schedule, list(_schedules.NAMES))
        factory = _schedules.NAMES[name]
        mine = {k: v for k, v in settings.items() if k in numeric_params(factory)}
        return {name: descend(objective, start, lr=lr, epochs=epochs, optimizer=optimizer, schedule=factory(**mine))}
    return run


def numeric_params(factory: Callable[..., Any]) -> dict[str, float]:
    """A factory's numeric keyword arguments and their defaults (``warmup``'s ``then`` is not one)."""
    return {p.name: p.default for p in inspect.signature(factory).parameters.values()
            if isinstance(p.default, (int, float)) and not isinstance(p.default, bool)}


# --------------------------------------------------------------------------- explorers


def _run_controls(view: RunView, lr_range: tuple[float, float], max_epochs: int | None) -> dict[str, Any]:
    """Learning rate, epochs and start sliders for the parameters ``view`` was built with."""
    from . import controls as c
    params = view.params
    start: dict[str, float] = {k: params[k] for k in ("x0", "y0") if k in params}
    return {"lr": c.lr_slider(params["lr"], lr_range), "epochs": c.epochs_slider(params["epochs"], max_epochs),
            **c.start_sliders(view.objective, start)}


@explorer_or_message
def explore_1d(objective: Objective, lr: float = 0.05, epochs: int = 30, x0: float | None = None, *,
               lr_range: tuple[float, float] = (1e-4, 1.0), max_epochs: int | None = None, **view: Any) -> Explorer:
    """Learning rate (log slider), epochs and start for gradient descent on a 1-D objective.

    Shows the run on the curve, position and derivative against the epoch, and a readout
    of final x, f(x), steps and divergence. ``view`` goes to :meth:`RunView.descent`:
    ``theory=True`` replaces the derivative by |x - x*| on a log axis under the prediction
    |x_0 - x*| |1 - lr f''(x*)|^t, and names the factor and its regime (crawl, converge,
    bounce, diverge) in the panel's title and the readout.

    >>> import gdviz as gd
    >>> w = explore_1d(gd.functions.quadratic, lr=0.1)
    >>> w.controls["lr"].value = 0.9                      # past 2 / f'' = 1/3: diverges
    >>> w.view.messages
    ['diverged at step 19 - lower the learning rate']
    """
    from . import controls as c
    if isinstance(objective, Objective) and objective.dim != 1:
        raise _checks.ArgumentValueError(f"objective: explore_1d draws a 1-D objective, {objective.name} has "
                                         f"{objective.dim} variables (use explore_2d)")
    drawing = RunView.descent(objective, lr=lr, epochs=epochs, x0=x0, **view)
    return c.Explorer(drawing, _run_controls(drawing, lr_range, max_epochs))


@explorer_or_message
def explore_2d(objective: Objective, x0: Sequence[float] | None = None, lr: float = 0.01, epochs: int = 100,
               optimizer: str = "gd", *, lr_range: tuple[float, float] = (1e-4, 1.0), max_epochs: int | None = None,
               choose_optimizer: bool = True, **view: Any) -> Explorer:
    """Start x, start y, learning rate (log slider), epochs and optimizer on a 2-D landscape.

    Shows the path on a heat map of the landscape (equal aspect) and the loss against the epoch.
    ``choose_optimizer=False`` leaves out the optimizer picker (before notebook 06 introduces
    optimizers, the run is plain gradient descent); ``theory=True`` (passed to
    :meth:`RunView.descent`) adds bars of the factors 1 - lr lambda_i at the global minimum
    that follow the rate slider.
    """
    from . import controls as c
    if isinstance(objective, Objective) and objective.dim != 2:
        raise _checks.ArgumentValueError(f"objective: explore_2d draws a 2-D objective, {objective.name} has "
                                         f"{objective.dim} variable{'s' * (objective.dim > 1)}")
    optimizer = _checks.one_of("optimizer", optimizer, list(_optimizers.NAMES))
    drawing = RunView.descent(objective, lr=lr, epochs=epochs, x0=x0, optimizer=optimizer, **view)
    controls = _run_controls(drawing, lr_range, max_epochs)
    if choose_optimizer:
        controls["optimizer"] = c.dropdown("optimizer", list(_optimizers.NAMES), optimizer, "optimizer")
    return c.Explorer(drawing, controls)


def _hyper_slider(name: str, value: float) -> Any:
    from . import controls as c
    if name == "eps" or value > 0.999:
        return c.log_slider(name, value, min(1e-10, value), max(0.1, value), fmt=".1e" if name == "eps" else ".3g")
    return c.float_slider(name, value, 0.0, 0.999, 0.001, name, fmt=".3f")


@explorer_or_message
def explore_optimizers(objective: Objective, optimizers: Sequence[str] = ("gd", "momentum", "nesterov", "adam"),
                       lr: float = 0.01, epochs: int = 100, x0: ArrayLike | None = None, *,
                       lr_range: tuple[float, float] = (1e-4, 1.0), max_epochs: int | None = None,
                       **view: Any) -> Explorer:
    """Several optimizers racing from one start: shared lr, epochs and start on top; below,
    a picker chooses whose hyper-parameters (betas, rho, eps) the second row of sliders sets.

    Controls are named ``"lr"``, ``"epochs"``, ``"x0"``, ``"y0"`` and ``"<optimizer>.<param>"``.
    Each optimizer has its colour of the course (:func:`gdviz.plotting.color_of`).
    """
    from . import controls as c
    drawing = RunView.optimizers(objective, optimizers, lr=lr, epochs=epochs, x0=x0, **view)
    names = optimizer_names(optimizers)
    shared = _run_controls(drawing, lr_range, max_epochs)
    hyper = {f"{name}.{p}": _hyper_slider(p, v) for name in names
             for p, v in numeric_params(_optimizers.NAMES[name]).items()}
    for key, slider in hyper.items():
        slider.description = key
    tuned = [name for name in names if any(k.startswith(f"{name}.") for k in hyper)]
    row = list(shared.values())
    if tuned:  # one picker instead of a pane per optimizer: the explorer stays short enough for a laptop screen
        picker = c.dropdown("settings", tuned, tuned[-1], "settings of")
        c.show_only(picker, hyper, lambda name: {k for k in hyper if k.startswith(f"{name}.")})
        row += [picker, *hyper.values()]
    return c.Explorer(drawing, {**shared, **hyper}, rows=[c.wrap(row)])


#: Slider of each schedule parameter: (kind, low, high, step, description).
_SCHEDULE_SLIDERS: dict[str, tuple[str, float, float, float, str]] = {
    "factor": ("float", 0.05, 0.95, 0.05, "factor"),
    "every": ("int", 1, 100, 1, "every"),
    "alpha": ("float", 0.8, 1.0, 0.001, "alpha"),
    "final": ("float", 0.0, 0.95, 0.05, "final"),
    "steps": ("int", 1, 100, 1, "warm-up steps"),
}


def _schedule_slider(name: str, value: float) -> Any:
    from . import controls as c
    kind, low, high, step, description = _SCHEDULE_SLIDERS.get(name, ("float", 0.0, 1.0, 0.01, name))
    if kind == "int":
        return c.int_slider(name, value, int(low), int(high), description)
    return c.float_slider(name, value, low, high, step, description, fmt=".3f" if step < 0.01 else ".2f")


@explorer_or_message
def explore_schedule(objective: Objective, schedule: str = "step_decay", lr: float = 0.1, epochs: int = 100,
                     x0: ArrayLike | None = None, *, optimizer: str = "gd", lr_range: tuple[float, float] = (1e-4, 1.0),
                     max_epochs: int | None = None, **view: Any) -> Explorer:
    """A schedule picker with the sliders of the chosen schedule's parameters (the others
    are hidden), plus lr, epochs and start; shows lr(t), the path and the loss together.
    """
    from . import controls as c
    schedule = _checks.one_of("schedule", schedule, list(_schedules.NAMES))
    drawing = RunView.schedule(objective, schedule=schedule, lr=lr, epochs=epochs, x0=x0, optimizer=optimizer,
                               **view)
    picker = c.dropdown("schedule", list(_schedules.NAMES), schedule, "schedule")
    settings: dict[str, Any] = {}
    for factory in _schedules.NAMES.values():
        for p, v in numeric_params(factory).items():
            if p not in settings:
                settings[p] = _schedule_slider(p, v)
    c.show_only(picker, settings, lambda name: numeric_params(_schedules.NAMES[name]))
    shared = _run_controls(drawing, lr_range, max_epochs)
    return c.Explorer(drawing, {"schedule": picker, **settings, **shared},
                      rows=[c.wrap([picker, *settings.values()]), c.wrap(list(shared.values()))])
