"""Tests for gdviz.nn: backprop against finite differences, training against a hand-written loop,
bad input, divergence, and the digits network's test accuracy.

Expected values come from independent references: central finite differences of the loss, a
plain numpy forward/backward/Adam loop written here from the formulas, log-sum-exp by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from gdviz import nn

ACTIVATIONS = ["relu", "sigmoid", "tanh"]
LOSSES = ["cross_entropy", "mse"]


def _small_problem(loss: str, sizes=(3, 4, 5, 3), n: int = 7, seed: int = 1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, sizes[0]))
    y = rng.integers(0, sizes[-1], n) if loss == "cross_entropy" else rng.standard_normal((n, sizes[-1]))
    return X, y


def _central_differences(f, theta: np.ndarray, h: float = 1e-6) -> np.ndarray:
    out = np.empty_like(theta)
    for i in range(theta.size):
        step = np.zeros_like(theta)
        step[i] = h
        out[i] = (f(theta + step) - f(theta - step)) / (2 * h)
    return out


# ------------------------------------------------------------------- the passes


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("loss", LOSSES)
def test_gradient_matches_central_differences(activation, loss):
    net = nn.MLP([3, 4, 5, 3], activation=activation, loss=loss, seed=2, init="xavier")
    X, y = _small_problem(loss)
    theta = net.init() + 0.1 * np.random.default_rng(3).standard_normal(net.n_params)  # non-zero biases
    if activation == "relu":  # keep pre-activations away from the kink at 0, where FD is meaningless
        pre = X @ net.unflatten(theta)[0][0] + net.unflatten(theta)[0][1]
        assert np.abs(pre).min() > 1e-3
    numeric = _central_differences(lambda t: net.loss(t, X, y), theta)
    exact = net.grad(theta, X, y)
    np.testing.assert_allclose(exact, numeric, rtol=1e-6, atol=1e-8)
    loss_value, both = net.loss_and_grad(theta, X, y)
    assert loss_value == net.loss(theta, X, y)
    np.testing.assert_array_equal(both, exact)


def test_single_layer_mse_gradient_closed_form():
    # no hidden layer: L = (1/n) ||X W + b - Y||^2, dL/dW = (2/n) X^T R, dL/db = (2/n) sum R
    net = nn.MLP([4, 2], loss="mse", seed=0)
    rng = np.random.default_rng(5)
    X, Y = rng.standard_normal((9, 4)), rng.standard_normal((9, 2))
    theta = rng.standard_normal(net.n_params)
    W, b = theta[:8].reshape(4, 2), theta[8:]
    R = X @ W + b - Y
    assert net.loss(theta, X, Y) == pytest.approx(np.sum(R**2) / 9, rel=1e-14)
    expected = np.concatenate([(2 / 9 * X.T @ R).ravel(), 2 / 9 * R.sum(axis=0)])
    np.testing.assert_allclose(net.grad(theta, X, Y), expected, rtol=1e-13)


def test_cross_entropy_is_log_sum_exp_and_stable():
    net = nn.MLP([2, 3], activation="relu", seed=0)
    X, y = np.array([[1.0, -2.0], [0.5, 0.25]]), np.array([2, 0])
    theta = net.init()
    logits = net.predict(theta, X)
    by_hand = np.mean([math.log(sum(math.exp(v) for v in row)) - row[label]
                       for row, label in zip(logits, y, strict=True)])
    assert net.loss(theta, X, y) == pytest.approx(by_hand, rel=1e-13)
    # logits of 1e4 overflow a naive exp; the shifted log-sum-exp gives the exact answer
    big = net.flatten([(np.zeros((2, 3)), np.array([1e4, 0.0, -1e4]))])
    assert net.loss(big, X, y) == pytest.approx((2e4 + 0.0) / 2)  # label 2: 1e4 - (-1e4); label 0: 0
    assert np.isfinite(net.grad(big, X, y)).all()


def test_predict_and_accuracy_follow_the_layers():
    net = nn.MLP([3, 4, 2], activation="tanh", seed=4)
    theta = net.init()
    (W1, b1), (W2, b2) = net.unflatten(theta)
    X = np.random.default_rng(0).standard_normal((6, 3))
    out = np.tanh(X @ W1 + b1) @ W2 + b2
    np.testing.assert_allclose(net.predict(theta, X), out, rtol=1e-14)
    y = np.array([0, 1, 0, 1, 1, 0])
    assert net.accuracy(theta, X, y) == pytest.approx(np.mean(out.argmax(axis=1) == y))


def test_flatten_inverts_unflatten_and_layout():
    net = nn.MLP([2, 3, 1], loss="mse")
    theta = np.arange(net.n_params, dtype=float)
    (W1, b1), (W2, b2) = net.unflatten(theta)
    assert W1.tolist() == [[0, 1, 2], [3, 4, 5]] and b1.tolist() == [6, 7, 8]
    assert W2.tolist() == [[9], [10], [11]] and b2.tolist() == [12]
    np.testing.assert_array_equal(net.flatten(net.unflatten(theta)), theta)


def test_init_schemes_and_seed():
    he, xavier = nn.MLP([400, 300, 10], init="he", seed=0), nn.MLP([400, 300, 10], init="xavier", seed=0)
    W_he = he.unflatten(he.init())[0][0]
    W_xa = xavier.unflatten(xavier.init())[0][0]
    assert W_he.std() == pytest.approx(math.sqrt(2 / 400), rel=0.02)
    assert W_xa.std() == pytest.approx(math.sqrt(2 / 700), rel=0.02)
    scaled = nn.MLP([400, 300, 10], init=0.5)
    assert scaled.unflatten(scaled.init())[0][0].std() == pytest.approx(0.5, rel=0.02)
    assert np.all(he.unflatten(he.init())[0][1] == 0)
    np.testing.assert_array_equal(he.init(), he.init())
    np.testing.assert_array_equal(he.init(seed=3), nn.MLP([400, 300, 10], seed=3).init())
    assert not np.array_equal(he.init(seed=1), he.init())
    # the documented draws
    rng = np.random.default_rng(0)
    expected = math.sqrt(2 / 400) * rng.standard_normal((400, 300))
    np.testing.assert_array_equal(W_he, expected)


def test_objective_adapter_columns():
    net = nn.MLP([3, 4, 3], activation="sigmoid", seed=0)
    X, y = _small_problem("cross_entropy")
    obj = net.objective(X, y)
    assert obj.dim == net.n_params
    thetas = np.stack([net.init(seed=s) for s in range(3)], axis=1)  # (P, 3)
    np.testing.assert_allclose(obj.value_columns(thetas), [net.loss(t, X, y) for t in thetas.T], rtol=1e-15)
    np.testing.assert_allclose(obj.grad_columns(thetas), np.stack([net.grad(t, X, y) for t in thetas.T], axis=1),
                               rtol=1e-15)
    assert obj(thetas[:, 0]) == net.loss(thetas[:, 0], X, y)


# ------------------------------------------------------------------- bad input


def test_bad_network_definitions():
    with pytest.raises(ValueError, match="activation"):
        nn.MLP([2, 3, 2], activation="softplus")
    with pytest.raises(ValueError, match="loss"):
        nn.MLP([2, 3, 2], loss="hinge")
    with pytest.raises(ValueError, match="sizes"):
        nn.MLP([4])
    with pytest.raises(ValueError, match="sizes"):
        nn.MLP([4, 0, 2])
    with pytest.raises(ValueError, match="sizes"):
        nn.MLP([4, 2.5, 2])
    with pytest.raises(TypeError, match="sizes"):
        nn.MLP([4, "32", 2])
    with pytest.raises(TypeError, match="sizes"):
        nn.MLP("64-32-10")
    with pytest.raises(ValueError, match="sizes"):
        nn.MLP([4, 1])  # cross-entropy over one class
    with pytest.raises(ValueError, match="init"):
        nn.MLP([4, 2], init="orthogonal")
    with pytest.raises(ValueError, match="init"):
        nn.MLP([4, 2], init=-1.0)
    with pytest.raises(ValueError, match="seed"):
        nn.MLP([4, 2], seed=-1)


def test_bad_data_and_parameters():
    net = nn.MLP([3, 4, 3])
    X, y = _small_problem("cross_entropy")
    theta = net.init()
    with pytest.raises(ValueError, match=r"y: .*0 \.\. 2.*got 3"):
        net.loss(theta, X, np.where(np.arange(7) == 2, 3, y))
    with pytest.raises(ValueError, match="y: .*whole-number"):
        net.loss(theta, X, y + 0.5)
    with pytest.raises(ValueError, match="y: .*-1"):
        net.loss(theta, X, -np.ones(7))
    with pytest.raises(ValueError, match=r"y: expected 7 class labels"):
        net.loss(theta, X, y[:5])
    with pytest.raises(ValueError, match=r"X: expected shape \(n, 3\)"):
        net.loss(theta, X[:, :2], y)
    with pytest.raises(ValueError, match="X: contains NaN"):
        net.loss(theta, np.where(np.arange(3) == 1, np.nan, X), y)
    with pytest.raises(TypeError, match="X"):
        net.predict(theta, "pixels")
    with pytest.raises(ValueError, match="theta"):
        net.loss(theta[:-1], X, y)
    with pytest.raises(ValueError, match="loss"):
        nn.MLP([3, 2], loss="mse").accuracy(np.zeros(8), X, y)
    mse = nn.MLP([3, 2], loss="mse")
    with pytest.raises(ValueError, match=r"y: expected targets of shape \(7, 2\)"):
        mse.loss(mse.init(), X, np.ones(7))
    with pytest.raises(ValueError, match="params"):
        net.flatten([(np.zeros((3, 4)), np.zeros(4))])
