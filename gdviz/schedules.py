"""Learning-rate schedules: pure functions of the step.

A schedule gives the factor by which the run's base rate is multiplied at step ``t``
(``t = 0, 1, ..., total - 1``, where ``total`` is the run's number of epochs):

    lr_t = lr * schedule(t, total)

Each factory checks its parameters and returns a :class:`Schedule`; calling it twice with
the same step gives the same answer, because the step count lives in the run loop, never
in the schedule. :func:`gradient_scaled` is the one rule that also looks at the gradient
at the current point: ``lr_t = lr * |g_t|``.

>>> exponential(0.95)(2, 100)     # 0.95 ** 2
0.9025
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _checks

__all__ = [
    "Schedule", "constant", "step_decay", "exponential", "linear", "cosine", "warmup",
    "gradient_scaled", "get", "NAMES",
]


@dataclass(frozen=True)
class Schedule:
    """A named factor ``rule(t, total)``; ``uses_gradient`` schedules take ``grad_norm`` too."""

    name: str
    rule: Callable[..., Any]
    params: dict[str, float] = field(default_factory=dict)
    uses_gradient: bool = False
    uses_total: bool = False  # does the factor depend on the run's length T?

    @property
    def is_constant(self) -> bool:
        """True for :func:`constant` (the run loop then skips calling it at every step)."""
        return self.rule is _one

    def __call__(self, t: int, total: int, grad_norm: Any = None) -> Any:
        if self.uses_gradient:
            if grad_norm is None:
                raise _checks.ArgumentValueError(f"grad_norm: the {self.name} schedule needs the gradient's size "
                                                 "at step t")
            return self.rule(t, total, grad_norm)
        return self.rule(t, total)

    def rates(self, lr: float, total: int) -> np.ndarray:
        """lr_t for t = 0 .. total - 1 (not for gradient-scaled rules, which need a run)."""
        if self.uses_gradient:
            raise _checks.ArgumentValueError(f"schedule: {self.name} depends on the gradient; run descend() to see "
                                             "its rates")
        return np.array([lr * self.rule(t, total) for t in range(total)], dtype=float)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"{self.name}({args})"


def _one(t: int, total: int) -> float:
    return 1.0


def constant() -> Schedule:
    """lr_t = lr."""
    return Schedule("constant", _one)


def step_decay(factor: float = 0.5, every: int = 10) -> Schedule:
    """Cut the rate by ``factor`` every ``every`` steps: lr_t = lr * factor^floor(t / every)."""
    factor = _checks.in_range("factor", factor, 0.0, 1.0, closed_low=False)
    every = _checks.count("every", every, 1)
    return Schedule("step_decay", lambda t, total: factor ** (t // every), {"factor": factor, "every": every})


def exponential(alpha: float = 0.95) -> Schedule:
    """Exponential decay: lr_t = lr * alpha^t (e.g. 0.1 * 0.95^t)."""
    alpha = _checks.in_range("alpha", alpha, 0.0, 1.0, closed_low=False, closed_high=True)
    return Schedule("exponential", lambda t, total: alpha**t, {"alpha": alpha})


def linear() -> Schedule:
    """Time-based linear decay to zero at the last step: lr_t = lr * (1 - (t + 1) / T)."""
    return Schedule("linear", lambda t, total: 1.0 - (t + 1) / total, uses_total=True)


def cosine(final: float = 0.0) -> Schedule:
    """Cosine annealing from lr down to ``final * lr``:

    lr_t = lr * (final + (1 - final) * (1 + cos(pi * t / T)) / 2)
    """
    final = _checks.in_range("final", final, 0.0, 1.0)
    return Schedule(
        "cosine", lambda t, total: final + (1 - final) * (1 + math.cos(math.pi * t / total)) / 2, {"final": final},
        uses_total=True,
    )


def warmup(steps: int = 10, then: Schedule | None = None) -> Schedule:
    """Linear warm-up over ``steps`` steps, then the ``then`` schedule (default constant).

    lr_t = lr * (t + 1) / steps              for t < steps
    lr_t = lr * then(t - steps, T - steps)   afterwards
    """
    steps = _checks.count("steps", steps, 1)
    after = constant() if then is None else get(then)
    if after.uses_gradient:
        raise _checks.ArgumentValueError("then: warm-up can be followed by a step-based schedule only")

    def rule(t, total):
        return (t + 1) / steps if t < steps else after(t - steps, max(total - steps, 1))

    return Schedule(f"warmup+{after.name}", rule, {"steps": steps, **after.params}, uses_total=after.uses_total)


def gradient_scaled() -> Schedule:
    """Scale by the gradient's size at the current point: lr_t = lr * |g_t|.

    Large steps far from the minimum, small ones close to it (the step becomes
    lr * |g| * g). ``|g|`` is the Euclidean norm in n-D.
    """
    return Schedule("gradient_scaled", lambda t, total, grad_norm: grad_norm, uses_gradient=True)


#: The names ``descend(schedule=...)`` accepts, each mapped to its factory.
NAMES: dict[str, Callable[..., Schedule]] = {
    "constant": constant, "step_decay": step_decay, "exponential": exponential, "linear": linear,
    "cosine": cosine, "warmup": warmup, "gradient_scaled": gradient_scaled,
}


def get(schedule: str | Schedule | None) -> Schedule:
    """A :class:`Schedule` from itself, its name (default settings) or None (constant)."""
    if schedule is None:
        return constant()
    if isinstance(schedule, Schedule):
        return schedule
    if isinstance(schedule, str):
        return _checks.one_of("schedule", schedule, NAMES)()
    raise _checks.ArgumentTypeError(f"schedule: expected one of the names {sorted(NAMES)}, a Schedule or None, "
                                    f"got {schedule!r}")
