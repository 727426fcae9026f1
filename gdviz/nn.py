"""A small multilayer perceptron whose flat parameter vector the one engine trains (notebook 09).

Rows are samples. Layer l (l = 1..L) has weights W_l of shape (fan_in, fan_out) and biases b_l,
and maps a_{l-1} to a_l (a_0 = x, the input):

    z_l = a_{l-1} W_l + b_l,        a_l = phi(z_l)  for hidden layers,  a_L = z_L  (linear output)

The loss is the mean over the n rows of a batch:

    cross-entropy:  L = (1/n) sum_i [ logsumexp(z_L,i) - z_L,i[y_i] ]    (softmax over the logits,
                                                                           integer labels y_i)
    mse:            L = (1/n) sum_i || z_L,i - y_i ||^2

and backpropagation carries delta_l = dL/dz_l down from the top:

    delta_L = (softmax(z_L) - onehot(y)) / n    or    2 (z_L - y) / n
    dL/dW_l = a_{l-1}^T delta_l,   dL/db_l = sum over rows of delta_l,
    delta_{l-1} = (delta_l W_l^T) * phi'(z_{l-1}).

All parameters live in one flat float64 vector ``theta``: layer by layer, W_l (row-major) then
b_l. That vector is what :func:`train` hands to :func:`gdviz.descend`, so the course's optimizers,
schedules, clipping and divergence rule train a network exactly as they run every other objective.
Activations come from :mod:`gdviz.deep` (notebook 05), where their derivatives were introduced.

>>> import gdviz as gd
>>> net = MLP([2, 3, 2], activation="tanh", seed=0)
>>> theta = net.init()
>>> theta.shape, [W.shape for W, b in net.unflatten(theta)]
((17,), [(2, 3), (3, 2)])
>>> X, y = np.array([[0.5, -1.0], [1.0, 2.0]]), np.array([0, 1])
>>> loss, grad = net.loss_and_grad(theta, X, y)
>>> bool(np.isclose(loss, net.loss(theta, X, y))), grad.shape
(True, (17,))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _checks
from ._types import ArrayLike, Seed
from .data import DataTrajectory
from .deep import ACTIVATIONS, SCHEMES, Activation
from .descent import MAX_NORM
from .descent import descend as _descend
from .optimizers import Optimizer
from .schedules import Schedule

__all__ = ["MLP", "NetObjective", "NetRun", "train", "LOSSES", "INITS"]

#: The losses an MLP can be trained on.
LOSSES: tuple[str, ...] = ("cross_entropy", "mse")
#: Named initialisations (a number is also accepted: the standard deviation of every weight).
INITS: tuple[str, ...] = ("he", "xavier")


#: phi'(z) written in terms of a = phi(z), which the forward pass already holds: one pass over
#: the activations instead of recomputing phi (sigmoid' = s (1 - s), tanh' = 1 - tanh^2, relu' = [a > 0]).
_SLOPES = {
    "relu": lambda a: a > 0,
    "sigmoid": lambda a: a * (1.0 - a),
    "tanh": lambda a: 1.0 - a * a,
    "identity": lambda a: 1.0,
}


class MLP:
    """A fully connected network with one activation for every hidden layer and a linear output.

    Args:
        sizes: the widths, input first: ``[64, 32, 10]`` is 64 inputs, one hidden layer of 32
            units and 10 outputs. At least two entries, each a whole number >= 1.
        activation: "relu", "sigmoid" or "tanh" (or "identity"), or a
            :class:`gdviz.deep.Activation`.
        loss: "cross_entropy" (softmax over the outputs, integer labels 0 .. K-1) or "mse"
            (targets of shape (n, K), or (n,) when K = 1).
        seed: seeds :meth:`init` (a whole number >= 0, None for fresh entropy, or a Generator).
        init: "he" (std sqrt(2 / fan_in), He et al. 2015, for ReLU), "xavier"
            (std sqrt(2 / (fan_in + fan_out)), Glorot & Bengio 2010, for tanh and sigmoid), or a
            number: the standard deviation of every weight. Biases start at 0.

    >>> net = MLP([64, 32, 10])
    >>> net.n_params                      # 64*32 + 32 + 32*10 + 10
    2410
    """

    def __init__(self, sizes: Sequence[int], activation: str | Activation = "relu", loss: str = "cross_entropy",
                 seed: int | np.random.Generator | None = 0, init: str | float = "he"):
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Sequence):
            raise TypeError(f"sizes: expected a list of layer widths such as [64, 32, 10], got {sizes!r}")
        if len(sizes) < 2:
            raise ValueError(f"sizes: expected at least two widths (inputs and outputs), got {list(sizes)}")
        self.sizes: tuple[int, ...] = tuple(_checks.count("sizes", n, low=1) for n in sizes)
        self.activation: Activation = (activation if isinstance(activation, Activation)
                                       else _checks.one_of("activation", activation, ACTIVATIONS))
        self.loss_name: str = _checks.one_of("loss", loss, LOSSES)
        name = self.activation.name
        self._slope = _SLOPES.get(name) if ACTIVATIONS.get(name) is self.activation else None
        if self.loss_name == "cross_entropy" and self.sizes[-1] < 2:
            raise ValueError(f"sizes: a cross-entropy network needs at least 2 outputs (one per class), "
                             f"got {list(self.sizes)}")
        if isinstance(init, str):
            self.init_scheme: str | float = _checks.one_of("init", init, INITS)
        else:
            self.init_scheme = _checks.positive("init", init)
        _checks.generator(seed)  # refuse a bad seed now, not at the first init()
        self.seed = seed
        # where each layer's W and b sit in the flat vector
        self._slices: list[tuple[slice, tuple[int, int], slice]] = []
        start = 0
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:], strict=False):
            w_end = start + fan_in * fan_out
            self._slices.append((slice(start, w_end), (fan_in, fan_out), slice(w_end, w_end + fan_out)))
            start = w_end + fan_out
        self.n_params: int = start

    @property
    def n_inputs(self) -> int:
        return self.sizes[0]

    @property
    def n_outputs(self) -> int:
        return self.sizes[-1]

    def __repr__(self) -> str:
        return (f"MLP({list(self.sizes)}, activation={self.activation.name!r}, loss={self.loss_name!r}, "
                f"init={self.init_scheme!r})")

    # ----------------------------------------------------------------- parameters

    def init(self, seed: int | np.random.Generator | None = None) -> np.ndarray:
        """Fresh parameters: W_l ~ N(0, std_l^2) drawn layer by layer, b_l = 0.

        ``rng = np.random.default_rng(seed)`` (the network's ``seed`` unless one is given here),
        then for each layer ``std_l * rng.standard_normal((fan_in, fan_out))``.
        """
        rng = _checks.generator(self.seed if seed is None else seed)
        theta = np.zeros(self.n_params)
        for w, shape, _ in self._slices:
            std = (self.init_scheme if isinstance(self.init_scheme, float)
                   else float(SCHEMES[self.init_scheme](*shape)))
            theta[w] = (std * rng.standard_normal(shape)).ravel()
        return theta

    def _views(self, theta: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        return [(theta[w].reshape(shape), theta[b]) for w, shape, b in self._slices]

    def _theta(self, theta: Any, name: str = "theta") -> np.ndarray:
        out = _checks.as_floats(name, theta)
        if out.shape != (self.n_params,):
            raise ValueError(f"{name}: expected a flat vector of the network's {self.n_params} parameters, "
                             f"got shape {out.shape}")
        return out

    def unflatten(self, theta: ArrayLike) -> list[tuple[np.ndarray, np.ndarray]]:
        """``[(W_1, b_1), ...]`` from the flat vector; W_l has shape (fan_in, fan_out).

        The arrays are views into ``theta`` (when it is already a float64 array): writing to
        them changes ``theta``.
        """
        return self._views(self._theta(theta))

    def flatten(self, params: Sequence[tuple[Any, Any]]) -> np.ndarray:
        """The flat vector of ``[(W_1, b_1), ...]``, the inverse of :meth:`unflatten`."""
        if isinstance(params, (str, bytes)) or not isinstance(params, Sequence) or len(params) != len(self._slices):
            raise ValueError(f"params: expected a list of {len(self._slices)} (W, b) pairs, one per layer")
        theta = np.empty(self.n_params)
        for l, ((W, b), (w, shape, bs)) in enumerate(zip(params, self._slices, strict=True), start=1):
            W, b = _checks.as_floats(f"params[{l - 1}] W", W), _checks.as_floats(f"params[{l - 1}] b", b)
            if W.shape != shape or b.shape != (shape[1],):
                raise ValueError(f"params: layer {l} needs W of shape {shape} and b of shape ({shape[1]},), "
                                 f"got {W.shape} and {b.shape}")
            theta[w], theta[bs] = W.ravel(), b
        return theta

    # ----------------------------------------------------------------- data

    def _inputs(self, X: Any, name: str = "X") -> np.ndarray:
        features = _checks.as_floats(name, X)
        if features.ndim != 2 or features.shape[1] != self.n_inputs or features.shape[0] == 0:
            raise ValueError(f"{name}: expected shape (n, {self.n_inputs}) with n >= 1 (one sample of "
                             f"{self.n_inputs} inputs per row), got shape {features.shape}")
        bad = ~np.isfinite(features).all(axis=1)
        if bad.any():
            raise ValueError(f"{name}: contains NaN or infinite values (first in row {int(bad.argmax())})")
        return features

    def _targets(self, y: Any, n: int, name: str = "y") -> np.ndarray:
        """Integer labels (cross-entropy) or float targets of shape (n, K) (mse), checked."""
        values = _checks.as_floats(name, y)
        k = self.n_outputs
        if self.loss_name == "cross_entropy":
            if values.shape != (n,):
                raise ValueError(f"{name}: expected {n} class labels, shape ({n},), got shape {values.shape}")
            ok = np.isfinite(values) & (values == np.round(values)) & (values >= 0) & (values <= k - 1)
            if not ok.all():
                i = int(np.argmin(ok))
                raise ValueError(f"{name}: expected whole-number class labels in 0 .. {k - 1} (one per output), "
                                 f"got {values[i]:g} in row {i}")
            return values.astype(np.intp)
        if k == 1 and values.shape == (n,):
            values = values[:, None]
        if values.shape != (n, k):
            raise ValueError(f"{name}: expected targets of shape ({n}, {k})" + (f" or ({n},)" if k == 1 else "")
                             + f", got shape {values.shape}")
        if not np.isfinite(values).all():
            raise ValueError(f"{name}: contains NaN or infinite values")
        return values

    def _data(self, X: Any, y: Any, names: tuple[str, str] = ("X", "y")) -> tuple[np.ndarray, np.ndarray]:
        features = self._inputs(X, names[0])
        return features, self._targets(y, features.shape[0], names[1])

    # ----------------------------------------------------------------- the passes

    def _forward(self, layers: list, X: np.ndarray) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """Outputs z_L, the layer inputs a_0 .. a_{L-1} and the hidden pre-activations z_1 .. z_{L-1}.

        The pre-activations are kept only for an activation whose derivative is not written in
        terms of its output (see ``_SLOPES``).
        """
        inputs: list[np.ndarray] = [X]
        pre: list[np.ndarray] = []
        keep = self._slope is None
        a = X
        for l, (W, b) in enumerate(layers):
            z = a @ W
            z += b
            if l == len(layers) - 1:
                return z, inputs, pre
            if keep:
                pre.append(z)
            a = self.activation.f(z)
            inputs.append(a)
        raise AssertionError("unreachable")

    def _head(self, z: np.ndarray, y: np.ndarray, want_delta: bool) -> tuple[float, np.ndarray | None]:
        """The mean loss of outputs ``z`` and, if asked, delta_L = dL/dz_L."""
        n = z.shape[0]
        if self.loss_name == "cross_entropy":
            # log-sum-exp shifted by the row maximum: exp never overflows (ufunc reductions: fewer wrappers)
            top = np.maximum.reduce(z, axis=1, keepdims=True)
            e = np.exp(z - top)
            total = np.add.reduce(e, axis=1, keepdims=True)
            rows = np.arange(n)
            loss = float(np.add.reduce(np.log(total[:, 0]) + top[:, 0] - z[rows, y])) / n
            if not want_delta:
                return loss, None
            e *= (1.0 / n) / total  # softmax / n
            e[rows, y] -= 1.0 / n
            return loss, e
        r = z - y
        loss = float(np.einsum("ij,ij->", r, r) / n)
        return loss, (r * (2.0 / n) if want_delta else None)

    def _loss_and_grad(self, theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
        """One forward and one backward pass on checked arrays (the training path)."""
        layers = self._views(theta)
        z, inputs, pre = self._forward(layers, X)
        loss, delta = self._head(z, y, True)
        assert delta is not None  # asked for
        grad = np.empty(self.n_params)
        for l in range(len(layers) - 1, -1, -1):
            w, shape, b = self._slices[l]
            np.matmul(inputs[l].T, delta, out=grad[w].reshape(shape))
            np.add.reduce(delta, axis=0, out=grad[b])
            if l:
                delta = delta @ layers[l][0].T
                delta *= self._slope(inputs[l]) if self._slope else self.activation.df(pre[l - 1])
        return loss, grad

    def _loss(self, theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        return self._head(self._forward(self._views(theta), X)[0], y, False)[0]

    # ----------------------------------------------------------------- public maths

    def loss(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
        """The mean loss over the rows of ``X`` (see the module docstring for both losses)."""
        theta = self._theta(theta)
        X, y = self._data(X, y)
        with np.errstate(all="ignore"):  # huge weights give inf or nan, a result, not a warning
            return self._loss(theta, X, y)

    def grad(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """dL/dtheta by backpropagation, laid out like ``theta``."""
        return self.loss_and_grad(theta, X, y)[1]

    def loss_and_grad(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> tuple[float, np.ndarray]:
        """The loss and its gradient from one forward and one backward pass."""
        theta = self._theta(theta)
        X, y = self._data(X, y)
        with np.errstate(all="ignore"):
            return self._loss_and_grad(theta, X, y)

    def predict(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """The outputs z_L for every row of ``X``: logits for cross-entropy, predictions for mse."""
        theta = self._theta(theta)
        X = self._inputs(X)
        with np.errstate(all="ignore"):
            return self._forward(self._views(theta), X)[0]

    def accuracy(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
        """The share of rows whose largest output is at the label (cross-entropy networks)."""
        if self.loss_name != "cross_entropy":
            raise ValueError(f"loss: accuracy needs a classification network (loss='cross_entropy'), "
                             f"this one has loss={self.loss_name!r}")
        theta = self._theta(theta)
        X, y = self._data(X, y)
        with np.errstate(all="ignore"):
            return self._accuracy(theta, X, y)

    def _accuracy(self, theta: np.ndarray, X: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean(self._forward(self._views(theta), X)[0].argmax(axis=1) == y))

    def _scores(self, thetas: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Loss (and accuracy, for a classifier) at each parameter vector, one forward pass each."""
        losses, hits = [], []
        for theta in thetas:
            z = self._forward(self._views(theta), X)[0]
            losses.append(self._head(z, y, False)[0])
            if self.loss_name == "cross_entropy":
                hits.append(float(np.mean(z.argmax(axis=1) == y)))
        return np.array(losses), (np.array(hits) if self.loss_name == "cross_entropy" else None)

    def objective(self, X: ArrayLike, y: ArrayLike) -> NetObjective:
        """The loss on ``(X, y)`` as an objective over theta, which :func:`gdviz.descend` runs."""
        return NetObjective(self, X, y)


class NetObjective:
    """The full-data loss of a network as a function of its flat parameters.

    It has what the engine asks of an objective: ``dim`` (the number of parameters), a
    ``name``, and ``value_columns`` / ``grad_columns`` on points stored column-wise, shape
    ``(dim, *batch)``. ``obj(theta)`` and ``obj.grad(theta)`` take one flat vector.
    """

    def __init__(self, net: MLP, X: Any, y: Any):
        if not isinstance(net, MLP):
            raise TypeError(f"net: expected a gdviz.nn.MLP, got {type(net).__name__}")
        self.net = net
        self.X, self.y = net._data(X, y)
        self.dim: int = net.n_params
        self.name: str = f"{net.loss_name.replace('_', '-')} of MLP {'-'.join(map(str, net.sizes))} " \
                         f"({net.activation.name}) on {self.X.shape[0]} samples"
        self.bounds = None
        self.minima: tuple = ()
        self.global_minimum = None

    def __repr__(self) -> str:
        return f"NetObjective({self.name})"

    def __call__(self, theta: Any) -> float:
        return self.net.loss(theta, self.X, self.y)

    def grad(self, theta: ArrayLike) -> np.ndarray:
        return self.net.grad(theta, self.X, self.y)

    def _columns(self, columns: Any, want_grad: bool) -> np.ndarray:
        cols = np.asarray(columns, dtype=float)
        if cols.shape[:1] != (self.dim,):
            raise ValueError(f"columns: expected shape ({self.dim}, ...), got {cols.shape}")
        flat = cols.reshape(self.dim, -1)
        out = np.empty(flat.shape if want_grad else flat.shape[1:])
        with np.errstate(all="ignore"):
            for j in range(flat.shape[1]):
                theta = np.ascontiguousarray(flat[:, j])
                if want_grad:
                    out[:, j] = self.net._loss_and_grad(theta, self.X, self.y)[1]
                else:
                    out[j] = self.net._loss(theta, self.X, self.y)
        return out.reshape(cols.shape if want_grad else cols.shape[1:])

    def value_columns(self, columns: Any) -> np.ndarray:
        """The full-data loss at each column of ``columns`` (shape ``(dim, *batch)``)."""
        return self._columns(columns, want_grad=False)

    def grad_columns(self, columns: Any) -> np.ndarray:
        """The full-data gradient at each column, shape ``(dim, *batch)``."""
        return self._columns(columns, want_grad=True)


# --------------------------------------------------------------------------- training


@dataclass(frozen=True, repr=False)
class NetRun(DataTrajectory):
    """The record of :func:`train`: a :class:`gdviz.data.DataTrajectory` over flat parameters.

    Row u is the state after u updates: ``x[u]`` the parameters (shape ``(P,)``); ``f[u]`` and
    ``grad[u]`` the mini-batch loss and gradient at ``x[u]`` that update u + 1 was computed from
    (row 0 is the start). The last row has no update after it: its ``f`` is the loss on the
    whole training set at the final parameters (its ``grad`` repeats the last batch's). On top of
    what a DataTrajectory has (``epoch``, ``grad_evals``, ``updates_per_epoch``, ``n_epochs``,
    ``batch_size``, ``epoch_ends``, ``passes``, ...):

    * ``net``: the network trained, ``theta`` (the final parameters), ``params`` (unflattened);
    * when test data was given: ``train_loss[e]`` and ``train_accuracy[e]`` on the whole
      training set after epoch e (e = 0 .. n_epochs, 0 is the start; rows ``epoch_ends``), and
      ``test_loss[e]``, ``test_accuracy[e]`` the same on the test set.

    These are None without test data (they would cost more full passes over the data than
    the training itself); accuracies are None for mse networks.
    """

    net: MLP | None = None
    train_loss: np.ndarray | None = None
    train_accuracy: np.ndarray | None = None
    test_loss: np.ndarray | None = None
    test_accuracy: np.ndarray | None = None

    @property
    def theta(self) -> np.ndarray:
        """The final parameters (the last row of ``x``)."""
        return self.x[-1]

    @property
    def params(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The final parameters as ``[(W_1, b_1), ...]``."""
        assert self.net is not None  # train() always records its network
        return self.net.unflatten(self.x[-1])

    def __repr__(self) -> str:
        test = "" if self.test_accuracy is None else f", test accuracy {self.test_accuracy[-1]:.3f}"
        return (f"NetRun({self.objective.name}, {self.method} b={self.batch_size}, {self.optimizer!r}, "
                f"{self.n_epochs} epochs x {self.updates_per_epoch} updates{test}"
                f"{', diverged' if np.any(self.diverged) else ''})")


def train(
    net: MLP,
    X: ArrayLike,
    y: ArrayLike,
    optimizer: str | Optimizer = "adam",
    lr: float = 1e-3,
    epochs: int = 20,
    batch_size: int | None = 32,
    seed: Seed = 0,
    schedule: str | Schedule | None = None,
    clip: float | None = None,
    theta0: ArrayLike | None = None,
    X_test: ArrayLike | None = None,
    y_test: ArrayLike | None = None,
) -> NetRun:
    """Train a network with mini-batch descent, through the engine :func:`gdviz.descend`.

    Each epoch shuffles the training samples and makes one update per batch B:

        theta <- optimizer step with g = dL_B/dtheta (backpropagation), rate lr * schedule(u, U)

    where u counts updates over the whole run (U in total). The shuffles are those of
    :func:`gdviz.data.batches`: ``rng = np.random.default_rng(seed)``, then per epoch one
    ``order = rng.permutation(n)`` cut into batches ``order[0:b], order[b:2b], ...`` (the last
    one has the ``n mod b`` samples left over), drawn as the epoch starts.
    ``batch_size=None`` is full-batch descent: one update per epoch on all samples.

    The optimizers, schedules, gradient clipping (``clip``: the whole gradient vector scaled down
    to that norm) and the divergence rule are the engine's: a run whose parameters leave
    ``|theta| <= 1e12`` or whose loss or gradient turns inf or NaN is frozen and flagged in
    ``diverged``, without a warning.

    Args:
        net: the :class:`MLP` to train.
        X, y: training samples (shape ``(n, sizes[0])``) and their labels or targets.
        optimizer, lr, schedule, clip: as in :func:`gdviz.descend` (``lr`` one rate > 0).
        epochs: passes over the training data.
        batch_size: samples per update, 1 .. n, or None for all of them.
        seed: seeds the shuffles (a whole number, None or a Generator).
        theta0: the start (default ``net.init()``, seeded by the network's seed).
        X_test, y_test: held-out samples; with them, the loss and accuracy on the training and
            the test set are measured after every epoch.

    Returns:
        a :class:`NetRun` with ``epochs * updates_per_epoch + 1`` rows.

    >>> from gdviz import datasets
    >>> X, y = datasets.make_moons(n=100, noise=0.1, seed=0)
    >>> net = MLP([2, 16, 2], activation="tanh", seed=0)
    >>> run = train(net, X, y, lr=0.05, epochs=30, batch_size=20)
    >>> run.x.shape, run.updates_per_epoch, net.accuracy(run.theta, X, y) > 0.95
    ((151, 82), 5, True)
    """
    if not isinstance(net, MLP):
        raise TypeError(f"net: expected a gdviz.nn.MLP, got {type(net).__name__}")
    objective = NetObjective(net, X, y)
    X, y = objective.X, objective.y
    if (X_test is None) != (y_test is None):
        raise ValueError("X_test, y_test: pass both (held-out samples and their labels) or neither")
    test = None if X_test is None else net._data(X_test, y_test, ("X_test", "y_test"))
    rate = _checks.positive("lr", lr)
    epochs = _checks.count("epochs", epochs)
    n = X.shape[0]
    size = n if batch_size is None else _checks.count("batch_size", batch_size, low=1, high=n)
    rng = _checks.generator(seed)
    start = net.init() if theta0 is None else net._theta(theta0, "theta0")
    if not np.all(np.abs(start) <= MAX_NORM):  # NaN fails too
        raise ValueError(f"theta0: expected finite parameters with |theta| <= {MAX_NORM:g}")

    # one epoch: ceil(n / b) batches, the last one with the n mod b samples left over
    sizes = [n] if size == n else [size] * (n // size) + ([n % size] if n % size else [])
    per_epoch = len(sizes)
    updates = epochs * per_epoch
    shuffled: dict[str, Any] = {}

    def gradient(theta: np.ndarray, u: int) -> tuple[np.ndarray, float]:
        # The engine asks once per update, in order (and once at the start when epochs=0).
        # Each epoch draws its order as gd.data.batches does and takes batches as slices of the
        # shuffled data: the same batches as X[order[i:i + b]], without a gather per update.
        if size == n or u >= updates:
            loss, g = net._loss_and_grad(theta, X, y)
            return g, loss
        k = u % per_epoch
        if k == 0:
            order = rng.permutation(n)
            shuffled.update(X=X[order], y=y[order])
        lo = k * size
        loss, g = net._loss_and_grad(theta, shuffled["X"][lo:lo + size], shuffled["y"][lo:lo + size])
        return g, loss

    run = _descend(objective, start, rate, updates, optimizer, schedule, clip=clip, gradient=gradient)

    train_loss = train_acc = test_loss = test_acc = None
    if test is not None:
        ends = run.x[::per_epoch]
        with np.errstate(all="ignore"):  # a diverged run is frozen at finite values, but may overflow here
            train_loss, train_acc = net._scores(ends, X, y)
            test_loss, test_acc = net._scores(ends, *test)
    counts = np.tile(sizes, epochs)
    return run.extended(
        NetRun, n_samples=n, batch_size=size, updates_per_epoch=per_epoch, n_epochs=epochs,
        epoch=np.concatenate([[0], np.repeat(np.arange(1, epochs + 1), per_epoch)]),
        grad_evals=np.concatenate([[0], np.cumsum(counts)]), seed=seed,
        net=net, train_loss=train_loss, train_accuracy=train_acc, test_loss=test_loss, test_accuracy=test_acc,
    )
