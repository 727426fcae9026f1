"""Optimizers as pure ``init`` / ``update`` pairs with their state in a NamedTuple.

Every optimizer is built by a small factory that checks its hyper-parameters and returns
an :class:`Optimizer`. Its two functions never change anything in place:

* ``init(x0) -> state``
* ``update(x, g, state, lr) -> (new_x, new_state)``

where ``g`` is the gradient at ``lookahead(x, state)`` (the current point for every
method except Nesterov's). ``x`` and ``g`` come as a plain float (a single run on a 1-D
objective), an array of shape ``(dim,)`` (a single run) or an array in the engine layout
``(dim, *batch)`` (many runs, coordinate axis first); ``lr`` may be an array that broadcasts
against the batch. The arithmetic is elementwise, so one body serves all three.

The zoo: :func:`GD`, :func:`Momentum`, :func:`Nesterov`, :func:`AdaGrad`, :func:`RMSprop`,
:func:`Adam`, :func:`AdamW`, :func:`NAdam`, :func:`Lion` (by name in :data:`NAMES`), and
:func:`Newton` (built from its objective). For notebook 06's theory: :func:`momentum_rate`
and :func:`momentum_optimum`.

Notation as in notebook 06: ``g`` the gradient, ``lr`` the learning rate, ``t`` the step.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple, cast

import numpy as np

from . import _checks
from ._checks import ArgumentTypeError, ArgumentValueError
from ._types import ArrayLike
from .objective import Objective

__all__ = [
    "Optimizer", "GD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "AdamW", "NAdam", "Lion", "Newton",
    "GDState", "MomentumState", "AdaGradState", "RMSpropState", "AdamState", "LionState", "NewtonState",
    "momentum_rate", "momentum_optimum", "MomentumOptimum", "get", "NAMES", "is_plain_gd",
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
    count: int  # type: ignore[assignment]  # steps taken, for the bias correction (shadows tuple.count)
    m: Any  # first moment: moving average of g
    v: Any  # second moment: moving average of g^2


class LionState(NamedTuple):
    m: Any  # momentum: moving average of g with the slower rate beta2


class NewtonState(NamedTuple):
    """Newton's method keeps no state: it measures the curvature afresh at every step."""


def _zeros(x: Any) -> Any:
    return 0.0 if isinstance(x, float) else np.zeros_like(x)


def _here(x: Any, state: Any) -> Any:
    return x


def _unit(name: str, value: Any) -> float:
    """A decay rate or a small constant: a number in [0, 1)."""
    return _checks.in_range(name, value, 0.0, 1.0)


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

    The rate sits inside the velocity. PyTorch and d2l write v <- beta * v + g, x <- x - lr * v
    instead: the same steps at a constant rate, but under a schedule gdviz's velocity still
    carries the old rates (a cut in lr slows the steps gradually), theirs applies the new rate to
    the whole velocity at once. :func:`momentum_rate` gives its contraction on a quadratic.

    >>> opt = Momentum(beta=0.5)
    >>> x, s = opt.update(1.0, 2.0, opt.init(1.0), 0.25)    # v = 0.5
    >>> opt.update(x, 2 * x, s, 0.25)[0]                     # v = 0.25 + 0.25
    0.0
    """
    beta = _unit("beta", beta)

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
    beta = _unit("beta", beta)

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
    eps = _unit("eps", eps)

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
    rho = _unit("rho", rho)
    eps = _unit("eps", eps)

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
    beta1 = _unit("beta1", beta1)
    beta2 = _unit("beta2", beta2)
    eps = _unit("eps", eps)

    def update(x, g, state, lr):
        t = state.count + 1
        m = beta1 * state.m + (1 - beta1) * g
        v = beta2 * state.v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        return x - lr * m_hat / (v_hat**0.5 + eps), AdamState(t, m, v)

    def init(x):
        return AdamState(0, _zeros(x), _zeros(x))

    return Optimizer("Adam", init, update, _here, {"beta1": beta1, "beta2": beta2, "eps": eps})


def AdamW(beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8, weight_decay: float = 0.01) -> Optimizer:
    """AdamW (Loshchilov & Hutter, 2019): Adam plus weight decay kept out of the moment averages.

    x <- x - lr * weight_decay * x            decoupled decay, scaled by the rate (as in PyTorch)
    then the Adam step with t, m, v, m_hat = m / (1 - beta1^t), v_hat = v / (1 - beta2^t):
    x <- x - lr * m_hat / (sqrt(v_hat) + eps)

    Adding ``weight_decay * x`` to g instead (L2 regularisation) would pass the decay through
    sqrt(v_hat) and shrink the weights with large gradients least; AdamW shrinks every weight by
    the same factor 1 - lr * weight_decay. With ``weight_decay=0`` it is :func:`Adam`, and it
    keeps Adam's state (:class:`AdamState`).

    >>> opt = AdamW(eps=0.0, weight_decay=0.1)
    >>> opt.update(1.0, 2.0, opt.init(1.0), 0.25)[0]    # f = x^2 at 1: 1 * (1 - 0.025) - 0.25
    0.725
    """
    beta1, beta2, eps = _unit("beta1", beta1), _unit("beta2", beta2), _unit("eps", eps)
    weight_decay = _checks.non_negative("weight_decay", weight_decay)

    def update(x, g, state, lr):
        t = state.count + 1
        m = beta1 * state.m + (1 - beta1) * g
        v = beta2 * state.v + (1 - beta2) * g * g
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        return x - lr * weight_decay * x - lr * m_hat / (v_hat**0.5 + eps), AdamState(t, m, v)

    def init(x):
        return AdamState(0, _zeros(x), _zeros(x))

    params = {"beta1": beta1, "beta2": beta2, "eps": eps, "weight_decay": weight_decay}
    return Optimizer("AdamW", init, update, _here, params)


def NAdam(beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    """NAdam (Dozat, 2016): Adam with Nesterov's look-ahead folded into the first moment.

    t <- t + 1
    m <- beta1 * m + (1 - beta1) * g          v <- beta2 * v + (1 - beta2) * g^2
    m_bar = beta1 * m / (1 - beta1^(t+1)) + (1 - beta1) * g / (1 - beta1^t)
    v_hat = v / (1 - beta2^t)
    x <- x - lr * m_bar / (sqrt(v_hat) + eps)

    Where Adam steps along m_hat, NAdam steps along the m_hat of the *next* step as far as it is
    known now: next step's share of the old average, plus this gradient at full weight. This is
    Dozat's Algorithm 2 with a constant momentum schedule mu_t = beta1 (the form of
    ``optax.nadam``). PyTorch's ``NAdam`` also warms mu_t up with its ``momentum_decay``, so its
    first steps differ from these. NAdam keeps Adam's state (:class:`AdamState`).

    >>> opt = NAdam(beta1=0.5, eps=0.0)
    >>> round(opt.update(1.0, 2.0, opt.init(1.0), 0.3)[0], 12)    # a step of lr * (1 + beta1 / (1 + beta1))
    0.6
    """
    beta1, beta2, eps = _unit("beta1", beta1), _unit("beta2", beta2), _unit("eps", eps)

    def update(x, g, state, lr):
        t = state.count + 1
        m = beta1 * state.m + (1 - beta1) * g
        v = beta2 * state.v + (1 - beta2) * g * g
        m_bar = beta1 * m / (1 - beta1 ** (t + 1)) + (1 - beta1) * g / (1 - beta1**t)
        return x - lr * m_bar / ((v / (1 - beta2**t)) ** 0.5 + eps), AdamState(t, m, v)

    def init(x):
        return AdamState(0, _zeros(x), _zeros(x))

    return Optimizer("NAdam", init, update, _here, {"beta1": beta1, "beta2": beta2, "eps": eps})


def _sign(c: Any) -> Any:
    """-1, 0 or 1 (NaN stays NaN, so a broken run is still flagged); a float for a float."""
    return np.sign(c) if isinstance(c, np.ndarray) else float(np.sign(c))


def Lion(beta1: float = 0.9, beta2: float = 0.99, weight_decay: float = 0.0) -> Optimizer:
    """Lion (Chen et al., 2023, "Symbolic discovery of optimization algorithms"): the sign of a momentum.

    c = beta1 * m + (1 - beta1) * g           interpolate the momentum and the new gradient
    x <- x - lr * (sign(c) + weight_decay * x)
    m <- beta2 * m + (1 - beta2) * g          the momentum itself averages more slowly

    Every coordinate moves by exactly lr per step (before the decay), whatever the size of its
    gradient, so Lion wants rates about 3-10 times smaller than Adam's and cannot settle closer
    than about lr to a minimum at a constant rate: it hops across it.

    >>> opt = Lion()
    >>> opt.update(1.0, 2.0, opt.init(1.0), 0.25)[0]    # f = x^2 at 1: a step of exactly lr
    0.75
    """
    beta1, beta2 = _unit("beta1", beta1), _unit("beta2", beta2)
    weight_decay = _checks.non_negative("weight_decay", weight_decay)

    def update(x, g, state, lr):
        direction = _sign(beta1 * state.m + (1 - beta1) * g)
        return x - lr * (direction + weight_decay * x), LionState(beta2 * state.m + (1 - beta2) * g)

    params = {"beta1": beta1, "beta2": beta2, "weight_decay": weight_decay}
    return Optimizer("Lion", lambda x: LionState(_zeros(x)), update, _here, params)


def _divide(a: Any, b: Any) -> Any:
    """a / b with 0 / 0 = 0 (no slope: no step) and a / 0 = +-inf (no minimum: the run diverges)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(a == 0, 0.0, np.divide(a, b))


def Newton(objective: Any, damping: float = 0.0) -> Optimizer:
    """Newton's method: the step to the minimum of the local quadratic model, scaled by lr.

    H = hessian of f at x                      (f''(x) in 1-D)
    x <- x - lr * (H + damping * I)^(-1) g

    In 1-D this is gradient descent at the rate lr / f''(x): at lr = 1 it is notebook 01's
    one-step rate 1 / f'', and it lands on the minimum of a quadratic in one step, whatever the
    conditioning. It is the curvature-aware reference the other methods approximate: AdaGrad,
    RMSprop and Adam divide by a running size of g per coordinate, Newton by the curvature itself.

    Where it is not a descent method: it solves for a point where the *model's* gradient is
    zero. Where H + damping * I has a negative eigenvalue that point is a saddle or a maximum,
    and the step goes there (Newton's method is attracted to saddles). Where an eigenvalue is
    zero, the step along it is infinite if the gradient has a component along it (the model has
    no minimum), so the run is flagged as diverged, and zero if it has none. A positive
    ``damping`` (Levenberg-Marquardt) shifts every eigenvalue up by ``damping``; once it exceeds
    -min(eigenvalue) the step goes downhill again, and for large damping it becomes gradient
    descent with the rate lr / damping.

    The Hessian comes from ``objective.hessian`` (compiled from the symbolic expression once, when
    the optimizer is built), so the optimizer belongs to one objective: pass it the objective it
    descends. Notebook 06 races it against the zoo.

    >>> import gdviz as gd
    >>> f = gd.Objective("3*x**2 - 3*x + 4")             # f'' = 6, minimum at 0.5
    >>> opt = Newton(f)
    >>> opt.update(-1.0, f.grad(-1.0), opt.init(-1.0), 1.0)[0]
    0.5
    """
    if not (callable(getattr(objective, "hessian", None)) and isinstance(getattr(objective, "dim", None), int)):
        raise ArgumentTypeError(f"objective: expected an Objective (Newton's method needs its Hessian), "
                                f"got {objective!r}")
    damping = _checks.non_negative("damping", damping)
    dim = objective.dim

    # NaN where a gdviz Objective has a kink (|x| at 0): the engine then flags the run, no exception
    hessian = partial(objective.hessian, undefined="nan") if isinstance(objective, Objective) else objective.hessian

    with np.errstate(all="ignore"):  # compile the Hessian now, once, not inside a run (or in its threads)
        hessian(np.zeros(dim))

    def update(x, g, state, lr):
        if dim == 1:  # any layout: the Hessian has the shape of x
            step = _divide(g, hessian(x) + damping)
            return x - lr * (float(step) if isinstance(x, float) else step), state
        H = cast(np.ndarray, hessian(np.moveaxis(x, 0, -1)))  # an n-D point (dim,) or engine layout (dim, *batch)
        return x - lr * np.moveaxis(_solve(H, np.moveaxis(g, 0, -1), damping), -1, 0), state

    update.objective = objective  # type: ignore[attr-defined]  # (the engine checks it runs on this one)
    return Optimizer("Newton", lambda x: NewtonState(), update, _here, {"damping": damping})


def _solve(H: np.ndarray, g: np.ndarray, damping: float) -> np.ndarray:
    """(H + damping I)^(-1) g for symmetric H of shape (..., n, n) and g of shape (..., n).

    2 x 2 systems (most of the course) by Cramer's rule, several times faster than an eigen-
    decomposition of many small matrices; larger ones, and singular 2 x 2 ones, through the
    eigenvectors, where each eigen-direction is divided by its own curvature. A Hessian that is
    not finite gives NaN.
    """
    n = H.shape[-1]
    A = H + damping * np.eye(n)
    finite = np.isfinite(A).all(axis=(-2, -1))  # a numpy bool for one matrix: it takes [..., None] too
    A = np.where(finite[..., None, None], A, np.eye(n))  # type: ignore[index]
    if n == 2:
        (a, b), (c, d) = np.moveaxis(A, (-2, -1), (0, 1))
        det = a * d - b * c
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.stack([d * g[..., 0] - b * g[..., 1], a * g[..., 1] - c * g[..., 0]], axis=-1) / det[..., None]
        singular = det == 0
        if singular.any():
            out[singular] = _eigen_solve(A[singular], g[singular])
    else:
        out = _eigen_solve(A, g)
    return np.where(finite[..., None], out, np.nan)  # type: ignore[index]


def _eigen_solve(A: np.ndarray, g: np.ndarray) -> np.ndarray:
    w, Q = np.linalg.eigh(A)
    along = _divide(np.einsum("...ji,...j->...i", Q, g), w)  # g's component along each eigenvector, / curvature
    return np.einsum("...ij,...j->...i", Q, along)


def is_plain_gd(optimizer: Optimizer) -> bool:
    """Whether ``optimizer`` is plain GD, x <- x - lr * g: by its name and settings, and checked on numbers.

    The run loop then takes its fastest path, a loop with the gradient's code printed into it
    (:mod:`gdviz.kernels`).

    >>> is_plain_gd(GD()), is_plain_gd(Momentum(0.0))
    (True, False)
    """
    return (optimizer.name == "GD" and not optimizer.params
            and optimizer.update(3.0, 2.0, optimizer.init(3.0), 0.5)[0] == 2.0)


#: The names ``descend(optimizer=...)`` accepts, each mapped to its factory. Newton's method is
#: not here: it needs its objective, ``optimizer=Newton(f)``.
NAMES: dict[str, Callable[..., Optimizer]] = {
    "gd": GD, "momentum": Momentum, "nesterov": Nesterov, "adagrad": AdaGrad, "rmsprop": RMSprop,
    "adam": Adam, "adamw": AdamW, "nadam": NAdam, "lion": Lion,
}


def get(optimizer: str | Optimizer) -> Optimizer:
    """An :class:`Optimizer` from itself or its name (case-insensitive), with default settings.

    >>> get("Adam")
    Adam(beta1=0.9, beta2=0.999, eps=1e-08)
    """
    if isinstance(optimizer, Optimizer):
        return optimizer
    given: Any = optimizer  # whatever the caller passed: the checks below name the mistake
    if any(given is factory for factory in (*NAMES.values(), Newton)):
        call = "Newton(f)" if given is Newton else f"{given.__name__}()"
        raise ArgumentTypeError(f"optimizer: expected an Optimizer or a name, got the factory "
                                f"{given.__name__}; call it: optimizer=gd.optimizers.{call}")
    if not isinstance(optimizer, str):
        raise ArgumentTypeError(f"optimizer: expected an Optimizer (such as gd.optimizers.Adam(beta1=0.8)) or "
                                f"one of the names {list(NAMES)}, got {optimizer!r}")
    if optimizer.lower() == "newton":
        raise ArgumentValueError("optimizer: Newton's method needs the objective's Hessian, so it has no name; "
                                 f"pass optimizer=gd.optimizers.Newton(f); the names are {list(NAMES)}")
    return _checks.one_of("optimizer", optimizer, NAMES)()


# --------------------------------------------------------------------------- theory


class MomentumOptimum(NamedTuple):
    """The best constant rate and momentum for a quadratic, and the contraction they give."""

    lr: float
    beta: float
    rate: float


def momentum_rate(lr: ArrayLike, beta: ArrayLike, curvatures: ArrayLike) -> float | np.ndarray:
    """Momentum's contraction per step on a quadratic: the worst over the given curvatures.

    Along an eigen-direction of curvature lambda the gradient is lambda * x, and with
    v_k = x_(k-1) - x_k the update v <- beta v + lr g, x <- x - v becomes

        x_(k+1) = (1 + beta - lr * lambda) * x_k - beta * x_(k-1),

    so (x_(k+1), x_k) = M (x_k, x_(k-1)) with M = [[1 + beta - lr*lambda, -beta], [1, 0]]. The error
    shrinks like rho(M)^k, where rho is M's spectral radius: the larger root in absolute value of
    z^2 - a z + beta = 0 with a = 1 + beta - lr * lambda, i.e. sqrt(beta) when a^2 < 4 beta
    (complex roots: the path spirals, under-damped) and (|a| + sqrt(a^2 - 4 beta)) / 2 otherwise.
    With beta = 0 it is gradient descent's |1 - lr * lambda|. A rate >= 1 means no convergence.

    Args:
        lr: learning rates (> 0); an array broadcasts against ``beta``.
        beta: momentum coefficients in [0, 1); an array broadcasts against ``lr``.
        curvatures: the Hessian's eigenvalues (one number or a list), e.g. ``(1, 100)`` for the
            ravine x^2/2 + 50 y^2.

    Returns:
        max over the curvatures of rho(M): a float for scalar ``lr`` and ``beta``, else an array
        of their broadcast shape.

    >>> round(momentum_rate(0.5, 0.0, [1.0, 3.0]), 12)      # gradient descent: max |1 - lr*lambda|
    0.5
    >>> round(momentum_rate(0.01, 0.81, [1.0, 100.0]), 12)  # complex roots on both: sqrt(beta)
    0.9
    """
    lr, beta = _checks.as_floats("lr", lr), _checks.as_floats("beta", beta)
    lam = _checks.as_floats("curvatures", curvatures).ravel()
    if lam.size == 0 or not np.all(np.isfinite(lam)):
        raise ArgumentValueError(f"curvatures: expected one or more finite numbers, got {curvatures!r}")
    if not np.all(np.isfinite(lr) & (lr > 0)):
        raise ArgumentValueError(f"lr: expected finite numbers > 0, got {lr!r}")
    if not np.all((beta >= 0) & (beta < 1)):
        raise ArgumentValueError(f"beta: expected numbers in [0, 1), got {beta!r}")
    lr, beta = np.broadcast_arrays(lr, beta)
    a = 1 + beta[..., None] - lr[..., None] * lam
    disc = a * a - 4 * beta[..., None]
    real = (np.abs(a) + np.sqrt(np.maximum(disc, 0.0))) / 2
    rate = np.where(disc < 0, np.sqrt(beta)[..., None], real).max(axis=-1)
    return float(rate) if rate.ndim == 0 else rate


def momentum_optimum(curvatures: ArrayLike) -> MomentumOptimum:
    """The (lr, beta) that make momentum contract fastest on a quadratic (Goh, "Why momentum
    really works", Distill 2017; Polyak 1964).

    With mu and L the smallest and largest curvature and kappa = L / mu:

        lr* = (2 / (sqrt(L) + sqrt(mu)))^2
        beta* = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2
        rate = (sqrt(kappa) - 1) / (sqrt(kappa) + 1) = sqrt(beta*)

    At this point both extreme directions are critically damped. Gradient descent's best
    constant rate, 2 / (L + mu), gives only (kappa - 1) / (kappa + 1). The gdviz update
    v <- beta v + lr g, x <- x - v is Distill's z <- beta z + g, x <- x - lr z with v = lr z
    (the same iteration at a constant rate), so the numbers carry over unchanged.

    >>> best = momentum_optimum([1.0, 100.0])                # the ravine: kappa = 100
    >>> round(best.lr, 6), round(best.beta, 6), round(best.rate, 6)
    (0.033058, 0.669421, 0.818182)
    """
    lam = _checks.as_floats("curvatures", curvatures).ravel()
    if lam.size == 0 or not np.all(np.isfinite(lam) & (lam > 0)):
        raise ArgumentValueError(f"curvatures: expected one or more finite numbers > 0 (a convex quadratic), "
                                 f"got {curvatures!r}")
    mu, L = float(lam.min()), float(lam.max())
    root_kappa = (L / mu) ** 0.5
    rate = (root_kappa - 1) / (root_kappa + 1)
    return MomentumOptimum(lr=(2 / (L**0.5 + mu**0.5)) ** 2, beta=rate**2, rate=rate)
