"""Tests for gdviz.nn: backprop against finite differences, training against a hand-written loop,
bad input, divergence, and the digits network's test accuracy.

Expected values come from independent references: central finite differences of the loss, a
plain numpy forward/backward/Adam loop written here from the formulas, log-sum-exp by hand.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import gdviz as gd
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


def test_custom_activation_uses_its_own_derivative():
    from gdviz.deep import Activation

    softplus = Activation("softplus", lambda z: np.logaddexp(0.0, z), lambda z: 1.0 / (1.0 + np.exp(-z)))
    net = nn.MLP([3, 4, 4, 3], activation=softplus, seed=0, init="xavier")
    X, y = _small_problem("cross_entropy")
    theta = net.init() + 0.1
    numeric = _central_differences(lambda t: net.loss(t, X, y), theta)
    np.testing.assert_allclose(net.grad(theta, X, y), numeric, rtol=1e-6, atol=1e-8)


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


def test_engine_runs_the_objective_with_exact_gradients_like_full_batch_training():
    net = nn.MLP([3, 4, 3], activation="tanh", seed=0)
    X, y = _small_problem("cross_entropy")
    run = gd.descend(net.objective(X, y), net.init(), lr=0.5, epochs=5, optimizer="momentum")
    trained = nn.train(net, X, y, optimizer="momentum", lr=0.5, epochs=5, batch_size=None)
    np.testing.assert_allclose(run.x, trained.x, rtol=0, atol=1e-14)
    np.testing.assert_allclose(run.f[-1], trained.f[-1], rtol=1e-14)
    starts = np.stack([net.init(seed=s) for s in range(2)])  # a batch of two networks
    both = gd.descend(net.objective(X, y), starts, lr=0.5, epochs=3)
    alone = gd.descend(net.objective(X, y), starts[1], lr=0.5, epochs=3)
    np.testing.assert_allclose(both.x[:, 1], alone.x, rtol=0, atol=1e-14)


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


# ------------------------------------------------------------------- training


def _hand_adam_run(theta0, X, y, lr, epochs, batch, seed, beta1=0.9, beta2=0.999, eps=1e-8):
    """Mini-batch Adam on a 2-layer tanh network with softmax cross-entropy, from the formulas."""
    n_in, n_hidden, n_out = X.shape[1], 5, 3
    theta = theta0.copy()
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    rng = np.random.default_rng(seed)
    xs, losses, step = [theta.copy()], [], 0
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for start in range(0, len(y), batch):
            idx = order[start:start + batch]
            Xb, yb, k = X[idx], y[idx], len(idx)
            cut1 = n_in * n_hidden
            W1 = theta[:cut1].reshape(n_in, n_hidden)
            b1 = theta[cut1:cut1 + n_hidden]
            cut2 = cut1 + n_hidden + n_hidden * n_out
            W2 = theta[cut1 + n_hidden:cut2].reshape(n_hidden, n_out)
            b2 = theta[cut2:]
            h = np.tanh(Xb @ W1 + b1)
            z = h @ W2 + b2
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            losses.append(-np.mean(np.log(p[np.arange(k), yb])))
            d2 = (p - np.eye(n_out)[yb]) / k
            d1 = (d2 @ W2.T) * (1 - h**2)
            g = np.concatenate([(Xb.T @ d1).ravel(), d1.sum(axis=0), (h.T @ d2).ravel(), d2.sum(axis=0)])
            step += 1
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            m_hat, v_hat = m / (1 - beta1**step), v / (1 - beta2**step)
            theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
            xs.append(theta.copy())
    return np.array(xs), np.array(losses)


def test_training_matches_a_hand_written_adam_loop():
    X, y = _small_problem("cross_entropy", n=23, seed=4)
    net = nn.MLP([3, 5, 3], activation="tanh", seed=1)
    run = nn.train(net, X, y, optimizer="adam", lr=0.01, epochs=4, batch_size=5, seed=9)
    xs, losses = _hand_adam_run(net.init(), X, y, lr=0.01, epochs=4, batch=5, seed=9)
    assert run.x.shape == xs.shape == (4 * 5 + 1, net.n_params)
    np.testing.assert_allclose(run.x, xs, rtol=0, atol=1e-12)
    np.testing.assert_allclose(run.f[:-1], losses, rtol=1e-12)  # row u: the batch loss update u + 1 used
    assert run.f[-1] == pytest.approx(net.loss(run.x[-1], X, y), rel=1e-13)  # the last row: all the data
    assert run.updates_per_epoch == 5 and run.n_epochs == 4 and run.batch_size == 5
    assert run.epoch.tolist() == [0] + [e for e in range(1, 5) for _ in range(5)]
    assert run.grad_evals[-1] == 4 * 23 and run.grad_evals[5] == 23
    assert not run.diverged


def test_per_epoch_metrics_are_full_data_values_at_epoch_ends():
    X, y = _small_problem("cross_entropy", n=30, seed=2)
    X_test, y_test = _small_problem("cross_entropy", n=11, seed=3)
    net = nn.MLP([3, 4, 3], activation="relu", seed=0)
    run = nn.train(net, X, y, lr=0.05, epochs=3, batch_size=8, X_test=X_test, y_test=y_test)
    ends = run.x[[0, 4, 8, 12]]
    np.testing.assert_allclose(run.train_loss, [net.loss(t, X, y) for t in ends], rtol=1e-14)
    np.testing.assert_allclose(run.test_loss, [net.loss(t, X_test, y_test) for t in ends], rtol=1e-14)
    np.testing.assert_allclose(run.test_accuracy, [net.accuracy(t, X_test, y_test) for t in ends])
    np.testing.assert_allclose(run.train_accuracy, [net.accuracy(t, X, y) for t in ends])
    np.testing.assert_array_equal(run.theta, run.x[-1])
    bare = nn.train(net, X, y, epochs=1, batch_size=None)
    assert bare.test_loss is None and bare.train_loss is None


def test_full_batch_gradient_descent_is_plain_gd_with_the_engine_schedule_and_clip():
    X, y = _small_problem("mse", n=12, seed=5)
    net = nn.MLP([3, 4, 3], activation="sigmoid", loss="mse", seed=3)
    theta = net.init()
    lr, clip, steps = 0.3, 0.5, 6
    run = nn.train(net, X, y, optimizer="gd", lr=lr, epochs=steps, batch_size=None, schedule="cosine", clip=clip)
    for t in range(steps):  # x <- x - lr * cos_factor(t) * clip(g)
        g = net.grad(theta, X, y)
        g = g * min(1.0, clip / np.linalg.norm(g))
        rate = lr * 0.5 * (1 + math.cos(math.pi * t / steps))
        assert run.lr[t] == pytest.approx(rate, rel=1e-14)
        theta = theta - rate * g
    np.testing.assert_allclose(run.x[-1], theta, rtol=0, atol=1e-13)
    assert run.updates_per_epoch == 1 and run.method == "batch"
    with_test = nn.train(net, X, y, optimizer="gd", lr=lr, epochs=1, batch_size=None, X_test=X, y_test=y)
    assert with_test.train_accuracy is None and with_test.train_loss.shape == (2,)  # no accuracy for mse


def test_diverging_run_is_flagged_without_warnings():
    X, y = _small_problem("mse", n=20, seed=0)
    net = nn.MLP([3, 8, 3], activation="relu", loss="mse", seed=0)
    run = nn.train(net, X, y, optimizer="gd", lr=1e3, epochs=50, batch_size=None)  # warnings are errors here
    assert run.diverged
    assert np.isfinite(run.x).all() and np.all(np.abs(run.x) <= 1e12)
    assert 0 < run.diverged_at <= 50
    np.testing.assert_array_equal(run.x[-1], run.x[int(run.diverged_at) - 1])  # frozen at its last good point


def test_batches_are_those_of_gd_data_batches():
    X, y = _small_problem("cross_entropy", n=17, seed=6)
    net = nn.MLP([3, 4, 3], seed=0)
    run = nn.train(net, X, y, optimizer="gd", lr=0.1, epochs=3, batch_size=4, seed=12)
    rng = np.random.default_rng(12)
    plan = [idx for _ in range(3) for idx in gd.data.batches(17, 4, rng)]
    assert len(plan) == run.epochs == 15
    for u, idx in enumerate(plan):
        assert run.f[u] == pytest.approx(net.loss(run.x[u], X[idx], y[idx]), rel=1e-14)
        np.testing.assert_allclose(run.grad[u], net.grad(run.x[u], X[idx], y[idx]), rtol=1e-13, atol=1e-16)


def test_zero_epochs_is_the_start():
    X, y = _small_problem("cross_entropy", n=12)
    net = nn.MLP([3, 4, 3], seed=2)
    run = nn.train(net, X, y, epochs=0, batch_size=4, X_test=X, y_test=y)
    np.testing.assert_array_equal(run.x, [net.init()])
    assert run.f[0] == pytest.approx(net.loss(net.init(), X, y), rel=1e-14)
    assert run.train_loss.tolist() == [run.f[0]] and run.epoch.tolist() == [0] and run.grad_evals.tolist() == [0]


def test_training_is_reproducible_and_seeded():
    X, y = _small_problem("cross_entropy", n=40, seed=1)
    net = nn.MLP([3, 6, 3], seed=0)
    a = nn.train(net, X, y, epochs=2, batch_size=8, seed=5)
    b = nn.train(net, X, y, epochs=2, batch_size=8, seed=5)
    c = nn.train(net, X, y, epochs=2, batch_size=8, seed=6)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)
    start = net.init(seed=11)
    np.testing.assert_array_equal(nn.train(net, X, y, epochs=1, theta0=start).x[0], start)


def test_training_rejects_bad_input():
    X, y = _small_problem("cross_entropy", n=40)
    net = nn.MLP([3, 4, 3])
    with pytest.raises(ValueError, match="batch_size"):
        nn.train(net, X, y, batch_size=0)
    with pytest.raises(ValueError, match=r"batch_size: .*1 \.\. 40"):
        nn.train(net, X, y, batch_size=41)
    with pytest.raises(ValueError, match="y: .*0 .. 2"):
        nn.train(net, X, y + 3)
    with pytest.raises(ValueError, match="X: expected shape"):
        nn.train(net, X[:, :2], y)
    with pytest.raises(ValueError, match="X: contains NaN"):
        nn.train(net, np.full((40, 3), np.nan), y)
    with pytest.raises(ValueError, match="X_test"):
        nn.train(net, X, y, X_test=X)
    with pytest.raises(ValueError, match="X_test: expected shape"):
        nn.train(net, X, y, X_test=X[:, :1], y_test=y)
    with pytest.raises(ValueError, match="lr"):
        nn.train(net, X, y, lr=0.0)
    with pytest.raises(ValueError, match="epochs"):
        nn.train(net, X, y, epochs=-1)
    with pytest.raises(ValueError, match="optimizer"):
        nn.train(net, X, y, optimizer="sgd-with-magic")
    with pytest.raises(ValueError, match="theta0"):
        nn.train(net, X, y, theta0=np.zeros(3))
    with pytest.raises(ValueError, match="theta0: expected finite"):
        nn.train(net, X, y, theta0=np.full(net.n_params, np.nan))
    with pytest.raises(TypeError, match="net"):
        nn.train("64-32-10", X, y)


def test_default_digits_network_reaches_95_percent():
    from gdviz import datasets

    X, y = datasets.load_digits()
    X_train, X_test, y_train, y_test = datasets.train_test_split(X, y, test_size=0.2, seed=0)
    net = nn.MLP([64, 32, 10], activation="relu", loss="cross_entropy", seed=0)
    run = nn.train(net, X_train, y_train, optimizer="adam", lr=1e-2, epochs=20, batch_size=32, seed=0,
                   X_test=X_test, y_test=y_test)
    assert run.test_accuracy[-1] >= 0.95
    assert run.test_accuracy[-1] == net.accuracy(run.x[-1], X_test, y_test)
    assert run.test_accuracy[0] < 0.3  # it was trained, not born knowing
