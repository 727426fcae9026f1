"""Optimizers as pure ``init`` / ``update`` pairs with their state in a NamedTuple.

Every optimizer is built by a small factory that checks its hyper-parameters and returns
an :class:`Optimizer`. Its two functions never change anything in place:

* ``init(x0) -> state``
* ``update(x, g, state, lr) -> (new_x, new_state)``

where ``g`` is the gradient at ``lookahead(x, state)`` (the current point for every
method except Nesterov's). The arithmetic uses only operators, so the same code runs on
a plain float (the lean path for a single run) and on arrays of any batch shape (the
vectorised path); ``lr`` may be an array that broadcasts against ``x``.

Notation as in notebook 06: ``g`` the gradient, ``lr`` the learning rate, ``t`` the step.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np

__all__ = [
    "Optimizer", "GD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam",
    "GDState", "MomentumState", "AdaGradState", "RMSpropState", "AdamState",
    "get", "NAMES",
]


class Optimizer(NamedTuple):
    """An optimization method: a name, its hyper-parameters and three pure functions."""

    name: str
    init: Callable[[Any], Any]
    update: Callable[[Any, Any, Any, Any], tuple[Any, Any]]
    lookahead: Callable[[Any, Any], Any]
    params: dict[str, float]

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v:g}" for k, v in self.params.items())
        return f"{self.name}({args})"


class GDState(NamedTuple):
    """Plain gradient descent keeps no state."""


class MomentumState(NamedTuple):
    v: Any  # velocity: the exponentially weighted sum of past steps


class AdaGradState(NamedTuple):
    G: Any  # running sum of squared gradients, per coordinate


class RMSpropState(NamedTuple):
    E: Any  # exponential moving average of squared gradients


class AdamState(NamedTuple):
    count: int  # steps taken, for the bias correction
    m: Any  # first moment: moving average of g
    v: Any  # second moment: moving average of g^2


def _zeros(x: Any) -> Any:
    return 0.0 if isinstance(x, float) else np.zeros_like(x)


def _here(x: Any, state: Any) -> Any:
    return x


def _check(name: str, value: float, low: float, high: float, *, closed_low: bool = True) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a number, got {value!r}")
    value = float(value)
    inside = (low <= value if closed_low else low < value) and value < high
    if not inside:
        bracket = "[" if closed_low else "("
        raise ValueError(f"{name}: expected a number in {bracket}{low:g}, {high:g}), got {value!r}")
    return value


def GD() -> Optimizer:
    """Plain gradient descent.

    x <- x - lr * g

    >>> opt = GD()
    >>> opt.update(1.0, 2.0, opt.init(1.0), 0.25)[0]    # f = x^2 at x = 1: g = 2
    0.5
    """

    def update(x, g, state, lr):
        return x - lr * g, state

    return Optimizer("GD", lambda x: GDState(), update, _here, {})


def Momentum(beta: float = 0.9) -> Optimizer:
    """Heavy-ball momentum (Polyak, 1964): the step keeps a fraction beta of the last one.

    v <- beta * v + lr * g
    x <- x - v

    >>> opt = Momentum(beta=0.5)
    >>> x, s = opt.update(1.0, 2.0, opt.init(1.0), 0.25)    # v = 0.5
    >>> opt.update(x, 2 * x, s, 0.25)[0]                     # v = 0.25 + 0.25
    0.0
    """
    beta = _check("beta", beta, 0.0, 1.0)

    def update(x, g, state, lr):
        v = beta * state.v + lr * g
        return x - v, MomentumState(v)

    return Optimizer("Momentum", lambda x: MomentumState(_zeros(x)), update, _here, {"beta": beta})


def Nesterov(beta: float = 0.9) -> Optimizer:
    """Nesterov momentum: like momentum, with g taken at the look-ahead point x - beta v.

    g = grad f(x - beta * v)
    v <- beta * v + lr * g
    x <- x - v

    >>> opt = Nesterov(beta=0.5)
    >>> opt.lookahead(1.0, MomentumState(0.4))    # where the gradient is evaluated
    0.8
    """
    beta = _check("beta", beta, 0.0, 1.0)

    def lookahead(x, state):
        return x - beta * state.v

    def update(x, g, state, lr):
        v = beta * state.v + lr * g
        return x - v, MomentumState(v)

    return Optimizer("Nesterov", lambda x: MomentumState(_zeros(x)), update, lookahead, {"beta": beta})


def AdaGrad(eps: float = 1e-8) -> Optimizer:
    """AdaGrad (Duchi et al., 2011): each coordinate's rate shrinks with its gradient history.

    G <- G + g^2
    x <- x - lr * g / sqrt(G + eps)

    >>> opt = AdaGrad(eps=0.0)
    >>> opt.update(1.0, 2.0, opt.init(1.0), 0.25)[0]    # first step has length lr
    0.75
    """
    eps = _check("eps", eps, 0.0, 1.0)

    def update(x, g, state, lr):
        G = state.G + g * g
        return x - lr * g / (G + eps) ** 0.5, AdaGradState(G)

    return Optimizer("AdaGrad", lambda x: AdaGradState(_zeros(x)), update, _here, {"eps": eps})


def RMSprop(rho: float = 0.9, eps: float = 1e-8) -> Optimizer:
    """RMSprop (Hinton, 2012): AdaGrad with a moving average in place of the sum.

    E <- rho * E + (1 - rho) * g^2
    x <- x - lr * g / sqrt(E + eps)

    >>> opt = RMSprop(rho=0.75, eps=0.0)
    >>> opt.update(1.0, 2.0, opt.init(1.0), 0.25)[0]    # E = 1, step = 0.25 * 2 / 1
    0.5
    """
    rho = _check("rho", rho, 0.0, 1.0)
    eps = _check("eps", eps, 0.0, 1.0)

    def update(x, g, state, lr):
        E = rho * state.E + (1 - rho) * g * g
        return x - lr * g / (E + eps) ** 0.5, RMSpropState(E)

    return Optimizer("RMSprop", lambda x: RMSpropState(_zeros(x)), update, _here, {"rho": rho, "eps": eps})


def Adam(beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    """Adam (Kingma & Ba, 2015): momentum on g, RMSprop on g^2, both bias-corrected.

    t <- t + 1
    m <- beta1 * m + (1 - beta1) * g          m_hat = m / (1 - beta1^t)
    v <- beta2 * v + (1 - beta2) * g^2        v_hat = v / (1 - beta2^t)
    x <- x - lr * m_hat / (sqrt(v_hat) + eps)

    >>> opt = Adam(eps=0.0)
    >>> opt.update(1.0, 2.0, opt.init(1.0), 0.25)[0]    # the first step has length lr
    0.75
    """
    beta1 = _check("beta1", beta1, 0.0, 1.0)
    beta2 = _check("beta2", beta2, 0.0, 1.0)
    eps = _check("eps", eps, 0.0, 1.0)

    def update(x, g, state, lr):
        t = state.count + 1
        m = beta1 * state.m + (1 - beta1) * g
        v = beta2 * state.v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        return x - lr * m_hat / (v_hat**0.5 + eps), AdamState(t, m, v)

    def init(x):
        return AdamState(0, _zeros(x), _zeros(x))

    return Optimizer("Adam", init, update, _here, {"beta1": beta1, "beta2": beta2, "eps": eps})


#: The names ``descend(optimizer=...)`` accepts, each mapped to its factory.
NAMES: dict[str, Callable[..., Optimizer]] = {
    "gd": GD, "momentum": Momentum, "nesterov": Nesterov,
    "adagrad": AdaGrad, "rmsprop": RMSprop, "adam": Adam,
}


def get(optimizer: str | Optimizer) -> Optimizer:
    """An :class:`Optimizer` from itself or its name (case-insensitive), with default settings."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    if isinstance(optimizer, str) and optimizer.lower() in NAMES:
        return NAMES[optimizer.lower()]()
    raise ValueError(f"optimizer: expected one of {sorted(NAMES)} or an Optimizer, got {optimizer!r}")
