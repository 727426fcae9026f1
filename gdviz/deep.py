"""Deep chains and small MLPs in plain numpy: why gradients vanish or explode (notebook 05).

Backpropagation is the chain rule, and the chain rule multiplies one factor per layer. For a
scalar chain a_l = phi(w a_{l-1}) with input a_0 = x,

    d a_L / d x = prod_{l=1..L} w phi'(w a_{l-1}).

The sigmoid's derivative is at most 1/4, so through L sigmoid layers with unit weights at most
0.25^L of the gradient reaches the input: it vanishes. With |w phi'| > 1 the product explodes.

An MLP does the same with matrices. Rows are samples; layer l (l = 1..L) has W_l of shape
(n_out, n_in) and b_l of length n_out, and maps a_{l-1} to a_l:

    z_l = a_{l-1} W_l^T + b_l                       pre-activation
    u_l = (z_l - mean(z_l)) / sqrt(var(z_l) + eps)  if normalize (per sample, over the units)
    a_l = phi(u_l)                                  or a_{l-1} + phi(u_l) if residual

and the backward pass carries g_l = dL/da_l down from the top:

    dL/du_l = g_l * phi'(u_l)
    dL/dz_l = (dL/du_l - mean(dL/du_l) - u_l mean(dL/du_l * u_l)) / sqrt(var(z_l) + eps)
              if normalize, else dL/du_l
    dL/dW_l = (dL/dz_l)^T a_{l-1},   dL/db_l = sum over samples of dL/dz_l
    g_{l-1} = (dL/dz_l) W_l          (+ g_l if residual: the skip passes the gradient on unchanged)

Each layer multiplies the gradient by W_l^T diag(phi'): small weights or a saturated activation
shrink it layer after layer; large weights blow it up. The remedies are all options here: ReLU,
Xavier/He initialisation, fewer layers, normalisation, residual connections and clipping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np

__all__ = [
    "Activation", "ACTIVATIONS", "get_activation", "Layer", "SCHEMES", "init_weights",
    "Cache", "Gradients", "forward", "backward", "layer_gradient_norms", "Chain", "chain_gradient",
    "global_norm", "clip_by_norm", "gradient_verdict", "VANISHING", "EXPLODING",
]


class Activation(NamedTuple):
    """A pointwise activation phi with its derivative phi', both functions of the pre-activation."""

    name: str
    f: Callable[[np.ndarray], np.ndarray]
    df: Callable[[np.ndarray], np.ndarray]


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + exp(-z)), without overflow for large -z


#: The activations by name. sigmoid' = s (1 - s) <= 1/4; tanh' = 1 - tanh^2 <= 1, equal to 1 at 0;
#: relu' = 1 for z > 0 and 0 otherwise (0 at z = 0 by convention).
ACTIVATIONS: dict[str, Activation] = {
    "identity": Activation("identity", lambda z: z, lambda z: np.ones_like(z)),
    "sigmoid": Activation("sigmoid", _sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
    "tanh": Activation("tanh", np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
    "relu": Activation("relu", lambda z: np.maximum(z, 0.0), lambda z: np.heaviside(z, 0.0)),
}

#: Initialisation schemes: the standard deviation of N(0, std^2) weights for a layer, before ``scale``.
SCHEMES: dict[str, Callable[[int, int], float]] = {
    "normal": lambda n_in, n_out: 1.0,
    "xavier": lambda n_in, n_out: np.sqrt(2.0 / (n_in + n_out)),  # Glorot & Bengio (2010)
    "he": lambda n_in, n_out: np.sqrt(2.0 / n_in),  # He et al. (2015), for ReLU
}


def get_activation(activation: str | Activation) -> Activation:
    """An :class:`Activation` from itself or its name (case-insensitive).

    >>> float(get_activation("tanh").df(0.0))
    1.0
    """
    if isinstance(activation, Activation):
        return activation
    if not isinstance(activation, str):
        raise TypeError(f"activation: expected a name or an Activation, got {type(activation).__name__}")
    if activation.lower() not in ACTIVATIONS:
        raise ValueError(f"activation: expected one of {sorted(ACTIVATIONS)}, got {activation!r}")
    return ACTIVATIONS[activation.lower()]


def _count(name: str, value: int, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name}: expected an integer, got {type(value).__name__}")
    if value < low:
        raise ValueError(f"{name}: expected an integer >= {low}, got {value}")
    return int(value)


def _positive(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: expected a number, got {type(value).__name__}")
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name}: expected a finite number > 0, got {value!r}")
    return float(value)


class Layer(NamedTuple):
    """One layer's parameters: weights W of shape (n_out, n_in) and biases b of length n_out."""

    W: np.ndarray
    b: np.ndarray


def init_weights(
    widths: Sequence[int], scale: float = 1.0, scheme: str = "normal",
    seed: int | np.random.Generator | None = 0,
) -> list[Layer]:
    """Random layers for an MLP with the given widths (input first), zero biases.

    W_l ~ N(0, (scale * std)^2) with std = 1 ("normal"), sqrt(2 / (n_in + n_out)) ("xavier")
    or sqrt(2 / n_in) ("he"). Xavier keeps the variance of tanh signals roughly constant through
    the layers, He that of ReLU signals; ``scale`` multiplies either (a gain).

    >>> [layer.W.shape for layer in init_weights([3, 4, 2])]
    [(4, 3), (2, 4)]
    """
    if isinstance(widths, (str, bytes)) or not isinstance(widths, Sequence):
        raise TypeError(f"widths: expected a sequence of integers, got {type(widths).__name__}")
    if len(widths) < 2:
        raise ValueError(f"widths: expected at least two widths (input and output), got {list(widths)}")
    widths = [_count("widths", n) for n in widths]
    scale = _positive("scale", scale)
    if scheme not in SCHEMES:
        raise ValueError(f"scheme: expected one of {sorted(SCHEMES)}, got {scheme!r}")
    rng = np.random.default_rng(seed)
    return [
        Layer(scale * SCHEMES[scheme](n_in, n_out) * rng.standard_normal((n_out, n_in)), np.zeros(n_out))
        for n_in, n_out in zip(widths[:-1], widths[1:], strict=False)
    ]


class Cache(NamedTuple):
    """What the forward pass keeps for the backward pass (one entry per layer, first layer first)."""

    inputs: list[np.ndarray]  # a_{l-1}, the layer's input
    pre: list[np.ndarray]  # u_l, what the activation sees (z_l, normalised if normalize)
    sigma: list[np.ndarray]  # sqrt(var(z_l) + eps) per sample, shape (n, 1) (ones if not normalize)
    output: np.ndarray  # a_L
    activation: Activation
    residual: bool
    normalize: bool


class Gradients(NamedTuple):
    """dL/dW_l and dL/db_l per layer, and inputs[l] = dL/da_{l-1} (inputs[0] is dL/dx)."""

    W: list[np.ndarray]
    b: list[np.ndarray]
    inputs: list[np.ndarray]


def forward(
    params: Sequence[Layer], x: np.ndarray, activation: str | Activation = "sigmoid",
    residual: bool = False, normalize: bool = False, eps: float = 1e-5,
) -> Cache:
    """Run x (shape (n_samples, n_in)) through the layers; see the module docstring for the maths.

    ``residual`` adds each layer's input to its output (every layer must then be square);
    ``normalize`` standardises each sample's pre-activations over the units before phi.
    Overflow is not an error: it shows up as inf or nan in the result.
    """
    phi = get_activation(activation)
    x = np.asarray(x, dtype=float)
    if not params:
        raise ValueError("params: expected at least one layer")
    if x.ndim != 2 or x.shape[1] != params[0].W.shape[1]:
        raise ValueError(f"x: expected shape (n_samples, {params[0].W.shape[1]}), got {x.shape}")
    if residual and any(W.shape[0] != W.shape[1] for W, _ in params):
        raise ValueError("residual: every layer must be square (n_out == n_in) to add its input")
    eps = _positive("eps", eps)
    inputs, pre, sigma = [], [], []
    a = x
    with np.errstate(over="ignore", invalid="ignore"):
        for W, b in params:
            z = a @ W.T + b
            s = np.ones((len(z), 1))
            if normalize:
                s = np.sqrt(z.var(axis=1, keepdims=True) + eps)
                z = (z - z.mean(axis=1, keepdims=True)) / s
            inputs.append(a)
            pre.append(z)
            sigma.append(s)
            a = a + phi.f(z) if residual else phi.f(z)
    return Cache(inputs, pre, sigma, a, phi, residual, normalize)


def backward(params: Sequence[Layer], cache: Cache, grad_out: np.ndarray) -> Gradients:
    """Backpropagate grad_out = dL/da_L (shape of ``cache.output``) through the layers of ``forward``.

    Returns dL/dW_l, dL/db_l and dL/da_{l-1} for every layer (formulas in the module docstring).
    """
    g = np.asarray(grad_out, dtype=float)
    if g.shape != cache.output.shape:
        raise ValueError(f"grad_out: expected shape {cache.output.shape}, got {g.shape}")
    if len(params) != len(cache.inputs):
        raise ValueError(f"params: expected the {len(cache.inputs)} layers of the forward pass, got {len(params)}")
    dW, db, dinputs = [], [], []
    with np.errstate(over="ignore", invalid="ignore"):
        for (W, _), a, u, s in reversed(list(zip(params, cache.inputs, cache.pre, cache.sigma, strict=True))):
            du = g * cache.activation.df(u)
            if cache.normalize:
                dz = (du - du.mean(axis=1, keepdims=True) - u * (du * u).mean(axis=1, keepdims=True)) / s
            else:
                dz = du
            dW.append(dz.T @ a)
            db.append(dz.sum(axis=0))
            g = dz @ W + g if cache.residual else dz @ W
            dinputs.append(g)
    return Gradients(dW[::-1], db[::-1], dinputs[::-1])


def layer_gradient_norms(
    depth: int, width: int, activation: str | Activation = "sigmoid", scale: float = 1.0,
    scheme: str = "normal", seed: int | np.random.Generator | None = 0, residual: bool = False,
    normalize: bool = False, n_samples: int = 64, wrt: str = "input",
) -> np.ndarray:
    """Gradient magnitude at each layer of a random ``depth``-layer MLP of constant ``width``.

    One forward and one backward pass on a seeded standard-normal batch x, for the loss
    L = mean over samples of g . a_L with a fixed random direction g (so dL/da_L = g / n_samples).
    Entry l (first layer first) is the Frobenius norm of dL/da_{l-1}, the gradient reaching the
    input of layer l (``wrt="input"``), or of dL/dW_l (``wrt="weight"``). A vanishing gradient
    shows as entries falling towards the first layer, an exploding one as entries rising; inf or
    nan means the passes overflowed.

    >>> norms = layer_gradient_norms(depth=10, width=32, activation="sigmoid", scheme="xavier")
    >>> bool(norms[0] < 1e-3 * norms[-1])       # the first layers get almost nothing
    True
    """
    depth, width, n_samples = _count("depth", depth), _count("width", width), _count("n_samples", n_samples)
    if wrt not in ("input", "weight"):
        raise ValueError(f"wrt: expected one of ['input', 'weight'], got {wrt!r}")
    rng = np.random.default_rng(seed)
    params = init_weights([width] * (depth + 1), scale=scale, scheme=scheme, seed=rng)
    x = rng.standard_normal((n_samples, width))
    direction = rng.standard_normal((n_samples, width))
    cache = forward(params, x, activation, residual=residual, normalize=normalize)
    grads = backward(params, cache, direction / n_samples)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.array([np.linalg.norm(g) for g in (grads.inputs if wrt == "input" else grads.W)])


class Chain(NamedTuple):
    """A scalar chain a_l = phi(w a_{l-1}): its values, per-layer factors and the gradient."""

    values: np.ndarray  # a_0 = x, a_1, ..., a_L
    factors: np.ndarray  # d a_l / d a_{l-1} = w phi'(w a_{l-1}), l = 1..L
    gradient: float  # d a_L / d x, the product of the factors


def chain_gradient(depth: int, activation: str | Activation = "sigmoid", weight: float = 1.0, x: float = 0.0) -> Chain:
    """The chain rule made visible: d a_L / d x = prod_l w phi'(w a_{l-1}) for a_l = phi(w a_{l-1}).

    >>> chain = chain_gradient(4, "sigmoid")        # every factor is at most 0.25
    >>> bool(chain.gradient <= 0.25**4)
    True
    >>> chain_gradient(50, "tanh").gradient         # tanh'(0) = 1 and tanh(0) = 0
    1.0
    """
    depth, phi = _count("depth", depth), get_activation(activation)
    weight, a = float(weight), float(x)
    if not (np.isfinite(weight) and np.isfinite(a)):
        raise ValueError(f"weight, x: expected finite numbers, got {weight!r}, {a!r}")
    values, factors = [a], []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(depth):
            factors.append(weight * float(phi.df(np.float64(weight * a))))
            a = float(phi.f(np.float64(weight * a)))
            values.append(a)
        return Chain(np.array(values), np.array(factors), float(np.prod(factors)))


def global_norm(arrays: Sequence[np.ndarray]) -> float:
    """sqrt of the sum of squares of every entry of every array (the norm of the whole gradient)."""
    arrays = [np.asarray(g, dtype=float) for g in arrays]
    biggest = max((float(np.max(np.abs(g))) for g in arrays if g.size), default=0.0)
    if biggest == 0.0 or not np.isfinite(biggest):
        return biggest
    return biggest * float(np.sqrt(sum(np.sum((g / biggest) ** 2) for g in arrays)))  # scaled: no overflow


def clip_by_norm(grads: Sequence[np.ndarray], max_norm: float) -> list[np.ndarray]:
    """Rescale the gradients together so that their global norm is at most ``max_norm``.

    g <- g * min(1, max_norm / ||g||): the direction is kept, only an exploding length is cut.
    Non-finite gradients cannot be rescued by rescaling and are returned unchanged.

    >>> [round(float(g[0]), 6) for g in clip_by_norm([np.array([3.0]), np.array([4.0])], max_norm=1.0)]
    [0.6, 0.8]
    """
    max_norm = _positive("max_norm", max_norm)
    arrays = [np.asarray(g, dtype=float) for g in grads]
    norm = global_norm(arrays)
    if not np.isfinite(norm) or norm <= max_norm:
        return [g.copy() for g in arrays]
    return [g * (max_norm / norm) for g in arrays]


# =========================================================================== the gradient verdict
# (moved here from the widgets: notebook 05's deep explorer shows it, but it is a fact about a network)

#: Verdict thresholds on ratio = |gradient at layer 1| / |gradient at layer L|: below
#: :data:`VANISHING` the first layer gets less than a tenth of what the last one gets, so it
#: learns more than ten times slower ("vanishing"); above :data:`EXPLODING` more than ten times
#: as much ("exploding"); in between "healthy". With 10 layers of width 32: sigmoid at unit
#: scale 0.04 (vanishing), tanh with Xavier 0.3 and ReLU with He 1.3 (healthy), ReLU at unit
#: scale 3e5 (exploding).
VANISHING, EXPLODING = 0.1, 10.0


def gradient_verdict(norms: Sequence[float] | np.ndarray) -> tuple[str, float]:
    """("vanishing" | "exploding" | "healthy", first / last) for per-layer gradient norms.

    ratio = norms[0] / norms[-1] (first layer over last): "vanishing" below
    :data:`VANISHING`, "exploding" above :data:`EXPLODING`, else "healthy". Overflow (inf or
    NaN anywhere) is "exploding" with ratio NaN; a first-layer gradient of exactly 0 is
    "vanishing" (ratio 0), a last-layer one of 0 "exploding" (ratio inf).

    >>> gradient_verdict([1e-5, 1e-3, 1.0])
    ('vanishing', 1e-05)
    >>> gradient_verdict([2.0, 1.0, 1.0])
    ('healthy', 2.0)
    """
    norms = np.asarray(norms, dtype=float)
    if norms.ndim != 1 or norms.size == 0:
        raise ValueError(f"norms: expected a non-empty 1-D sequence of gradient norms, got shape {norms.shape}")
    if not np.all(np.isfinite(norms)):
        return "exploding", float("nan")
    first, last = float(norms[0]), float(norms[-1])
    if first == 0.0 or last == 0.0:
        return ("vanishing", 0.0) if first == 0.0 else ("exploding", float("inf"))
    ratio = first / last
    return ("vanishing" if ratio < VANISHING else "exploding" if ratio > EXPLODING else "healthy"), ratio
