"""gdviz.data: least-squares objective, batching and batch / stochastic / mini-batch descent."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gdviz as gd
from gdviz.data import (
    DATASETS,
    Dataset,
    DataTrajectory,
    LeastSquares,
    batches,
    descend_data,
    load_csv,
    make_linear,
)


@pytest.fixture(scope="module")
def line() -> LeastSquares:
    return LeastSquares(make_linear(n=40, w=2.0, b=-1.0, noise=0.5, seed=3))


@pytest.fixture(scope="module")
def multi() -> LeastSquares:
    return LeastSquares(make_linear(n=30, w=[1.0, -2.0, 0.5], b=0.3, noise=0.2, seed=4))


def per_sample_mse(X: np.ndarray, y: np.ndarray, theta: np.ndarray) -> float:
    """The loss straight from its definition, one sample at a time."""
    total = 0.0
    for xi, yi in zip(X, y, strict=True):
        total += (float(np.dot(theta[:-1], xi)) + theta[-1] - yi) ** 2
    return total / len(y)


def numeric_grad(fun, theta: np.ndarray, h: float = 1e-6) -> np.ndarray:
    out = np.empty_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = h
        out[i] = (fun(theta + e) - fun(theta - e)) / (2 * h)
    return out


def sgd_by_hand(X, y, theta0, lr, epochs, batch_size, seed, momentum=None, decay=None, drop_last=False):
    """Mini-batch descent written from the formulas, shuffling as documented."""
    rng = np.random.default_rng(seed)
    n = len(y)
    theta = np.array(theta0, dtype=float)
    v = np.zeros_like(theta)
    path, u = [theta.copy()], 0
    total = epochs * (n // batch_size if drop_last else math.ceil(n / batch_size))
    for _ in range(epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            if drop_last and idx.size < batch_size:
                continue
            r = X[idx] @ theta[:-1] + theta[-1] - y[idx]
            g = np.append(2 * X[idx].T @ r / idx.size, 2 * r.mean())
            rate = lr * (decay**u if decay is not None else 1.0)
            if momentum is None:
                theta = theta - rate * g
            else:
                v = momentum * v + rate * g
                theta = theta - v
            path.append(theta.copy())
            u += 1
    assert u == total
    return np.array(path)


# --------------------------------------------------------------------------- the objective


@pytest.mark.parametrize("name", ["line", "multi"])
def test_closed_form_matches_per_sample_mse(name, request):
    loss = request.getfixturevalue(name)
    rng = np.random.default_rng(0)
    thetas = rng.normal(scale=3.0, size=(5, loss.dim))
    direct = [per_sample_mse(loss.data.X, loss.data.y, t) for t in thetas]
    np.testing.assert_allclose(loss(thetas), direct, rtol=1e-12)
    np.testing.assert_allclose(loss.batch_loss(thetas), direct, rtol=1e-12)
    np.testing.assert_allclose(loss.batch_loss(thetas, np.arange(loss.n)), direct, rtol=1e-12)


def test_formula_stays_small_and_uses_w_b():
    small = LeastSquares(make_linear(n=10, seed=0))
    big = LeastSquares(make_linear(n=5000, seed=0))
    assert small.variable_names == big.variable_names == ("w", "b")
    assert small.dim == 2 and isinstance(big, gd.Objective)
    assert sum(1 for _ in big.expr.atoms()) == sum(1 for _ in small.expr.atoms()) < 12
    names = LeastSquares(make_linear(n=10, w=[1, 2, 3], seed=0)).variable_names
    assert names == ("w1", "w2", "w3", "b")


def test_closed_form_is_accurate_on_raw_data_far_from_zero():
    forbes = load_csv("forbes")
    loss = LeastSquares(forbes)
    theta = np.array([0.5, -78.0])
    assert loss(theta) == pytest.approx(per_sample_mse(forbes.X, forbes.y, theta), rel=1e-10)
    assert loss(loss.solution) == pytest.approx(loss.global_minimum.f, rel=1e-9)


@pytest.mark.parametrize("name", ["line", "multi"])
def test_gradients_match_finite_differences(name, request):
    loss = request.getfixturevalue(name)
    theta = np.random.default_rng(1).normal(size=loss.dim)
    X, y = loss.data.X, loss.data.y
    full = numeric_grad(lambda t: per_sample_mse(X, y, t), theta)
    np.testing.assert_allclose(loss.grad(theta), full, rtol=1e-6, atol=1e-8)  # sympy's
    np.testing.assert_allclose(loss.batch_grad(theta), full, rtol=1e-6, atol=1e-8)  # from the moments
    idx = np.array([3, 7, 7, 11])
    part = numeric_grad(lambda t: per_sample_mse(X[idx], y[idx], t), theta)
    np.testing.assert_allclose(loss.batch_grad(theta, idx), part, rtol=1e-6, atol=1e-8)


def test_batch_gradient_over_all_indices_is_the_full_gradient(multi):
    thetas = np.random.default_rng(2).normal(size=(4, 3, multi.dim))  # a (4, 3) batch of parameter vectors
    every = np.random.default_rng(3).permutation(multi.n)
    full = multi.batch_grad(thetas)
    assert full.shape == thetas.shape
    np.testing.assert_allclose(multi.batch_grad(thetas, every), full, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(multi.grad(thetas), full, rtol=1e-10, atol=1e-12)


def test_known_minimum_is_the_lstsq_solution(multi):
    design = np.column_stack([multi.data.X, np.ones(multi.n)])
    expected = np.linalg.lstsq(design, multi.data.y, rcond=None)[0]
    np.testing.assert_allclose(multi.solution, expected)
    np.testing.assert_allclose(multi.global_minimum.x, expected)
    np.testing.assert_allclose(multi.batch_grad(expected), 0.0, atol=1e-12)
    lo, hi = np.array(multi.bounds).T
    assert np.all((lo < expected) & (expected < hi) & (lo < 0) & (0 < hi))


# --------------------------------------------------------------------------- data sets


def test_make_linear_is_seeded_and_documented():
    data = make_linear(n=25, w=[1.5, -0.5], b=2.0, noise=0.3, seed=9)
    rng = np.random.default_rng(9)
    X = rng.standard_normal((25, 2))
    np.testing.assert_array_equal(data.X, X)
    np.testing.assert_array_equal(data.y, X @ [1.5, -0.5] + 2.0 + 0.3 * rng.standard_normal(25))
    again = make_linear(n=25, w=[1.5, -0.5], b=2.0, noise=0.3, seed=9)
    np.testing.assert_array_equal(again.y, data.y)
    assert not np.array_equal(make_linear(n=25, seed=10).y, make_linear(n=25, seed=9).y)


def test_forbes_ships_and_loads():
    assert "forbes" in DATASETS
    forbes = load_csv("forbes")
    assert (forbes.n, forbes.k) == (17, 1)
    assert forbes.X[0, 0] == 194.5 and forbes.y[0] == 20.79 and forbes.y[11] == 26.57
    assert forbes.X.sum() == pytest.approx(3450.2) and forbes.y.sum() == pytest.approx(426.0)
    assert "1857" in forbes.source and "public domain" in forbes.source.lower()
    assert np.corrcoef(forbes.X[:, 0], forbes.y)[0, 1] > 0.99


def test_standardized_makes_a_round_bowl():
    z = load_csv("forbes").standardized(target=True)
    np.testing.assert_allclose([z.X.mean(), z.X.std(), z.y.mean(), z.y.std()], [0, 1, 0, 1], atol=1e-12)
    loss = LeastSquares(z)
    assert loss.solution[0] == pytest.approx(np.corrcoef(z.X[:, 0], z.y)[0, 1])
    assert np.linalg.cond(loss.hessian(loss.solution)) < 1.01


# --------------------------------------------------------------------------- batching


def test_batches_shuffle_as_documented_and_keep_the_last_partial_batch():
    got = list(batches(10, 4, np.random.default_rng(5)))
    order = np.random.default_rng(5).permutation(10)
    assert [b.size for b in got] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate(got), order)
    dropped = list(batches(10, 4, 5, drop_last=True))
    assert [b.size for b in dropped] == [4, 4]
    np.testing.assert_array_equal(np.concatenate(dropped), order[:8])
    assert [b.size for b in batches(8, 4, 0, drop_last=True)] == [4, 4]
    assert [b.size for b in batches(7, 7, 0)] == [7] and [b.size for b in batches(3, 1, 0)] == [1, 1, 1]


def test_batches_advance_a_shared_generator():
    rng = np.random.default_rng(0)
    first, second = np.concatenate(list(batches(6, 2, rng))), np.concatenate(list(batches(6, 2, rng)))
    ref = np.random.default_rng(0)
    np.testing.assert_array_equal(first, ref.permutation(6))
    np.testing.assert_array_equal(second, ref.permutation(6))


# --------------------------------------------------------------------------- the runs


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "nesterov", "adam"])
def test_batch_descent_equals_descend(line, optimizer):
    run = descend_data(line, [0.5, 0.5], lr=0.05, epochs=30, optimizer=optimizer, schedule="exponential")
    ref = gd.descend(line, [0.5, 0.5], lr=0.05, epochs=30, optimizer=optimizer, schedule="exponential")
    assert isinstance(run, gd.Trajectory) and isinstance(run, DataTrajectory)
    for name in ("x", "f", "lr"):
        np.testing.assert_allclose(getattr(run, name), getattr(ref, name), rtol=1e-10, atol=1e-12)
    # grad[u] is the gradient update u used (at Nesterov's look-ahead point); the last row repeats it
    np.testing.assert_array_equal(run.grad[-1], run.grad[-2])
    if optimizer != "nesterov":
        np.testing.assert_allclose(run.grad[:-1], ref.grad[:-1], rtol=1e-10, atol=1e-12)
    assert run.x.shape == ref.x.shape == (31, 2)
    assert run.method == "batch" and run.updates_per_epoch == 1
    same = descend_data(line, [0.5, 0.5], lr=0.05, epochs=30, batch_size=line.n, optimizer=optimizer,
                        schedule="exponential")
    np.testing.assert_array_equal(same.x, run.x)


@pytest.mark.parametrize("batch_size", [1, 7, 8, 40])
def test_minibatch_equals_a_plain_loop(line, batch_size):
    run = descend_data(line, [0.0, 0.0], lr=0.02, epochs=3, batch_size=batch_size, seed=11)
    plain = sgd_by_hand(line.data.X, line.data.y, [0.0, 0.0], 0.02, 3, batch_size, 11)
    # exact for a true mini-batch; batch_size = n sums the samples in another order
    np.testing.assert_allclose(run.x, plain, rtol=1e-12 if batch_size < line.n else 1e-10, atol=1e-14)


def test_sgd_with_momentum_schedule_and_drop_last_equals_a_plain_loop(multi):
    run = descend_data(multi, np.zeros(4), lr=0.01, epochs=4, batch_size=8, optimizer=gd.optimizers.Momentum(0.8),
                       schedule=gd.schedules.exponential(0.99), seed=2, drop_last=True)
    plain = sgd_by_hand(multi.data.X, multi.data.y, np.zeros(4), 0.01, 4, 8, 2, momentum=0.8, decay=0.99,
                        drop_last=True)
    np.testing.assert_allclose(run.x, plain, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(run.lr, 0.01 * 0.99 ** np.arange(run.epochs))  # per update, not per epoch
    assert run.updates_per_epoch == 3 and run.grad_evals[-1] == 4 * 24


@pytest.mark.parametrize(("batch_size", "per_epoch"), [(None, 1), (40, 1), (1, 40), (16, 3), (10, 4), (39, 2)])
def test_updates_per_epoch(line, batch_size, per_epoch):
    run = descend_data(line, [0.0, 0.0], lr=0.01, epochs=3, batch_size=batch_size)
    assert run.updates_per_epoch == per_epoch == (1 if batch_size is None else math.ceil(40 / batch_size))
    assert run.epochs == 3 * per_epoch and run.x.shape == (3 * per_epoch + 1, 2) and run.n_epochs == 3
    np.testing.assert_array_equal(run.epoch, np.r_[0, np.repeat([1, 2, 3], per_epoch)])
    np.testing.assert_array_equal(run.epoch_ends, [0, per_epoch, 2 * per_epoch, 3 * per_epoch])
    np.testing.assert_array_equal(run.grad_evals[run.epoch_ends], [0, 40, 80, 120])
    np.testing.assert_allclose(run.passes[run.epoch_ends], [0, 1, 2, 3])
    assert run.method == {1: "batch", 40: "stochastic"}.get(per_epoch, "mini-batch")


def test_last_partial_batch_counts(line):
    run = descend_data(line, [0.0, 0.0], lr=0.01, epochs=2, batch_size=16)
    np.testing.assert_array_equal(np.diff(run.grad_evals), [16, 16, 8, 16, 16, 8])
    dropped = descend_data(line, [0.0, 0.0], lr=0.01, epochs=2, batch_size=16, drop_last=True)
    assert dropped.updates_per_epoch == 2
    np.testing.assert_array_equal(np.diff(dropped.grad_evals), [16] * 4)
    assert dropped.epochs == 4 and dropped.passes[-1] == pytest.approx(64 / 40)


def test_zero_epochs_gives_the_start_only(line):
    run = descend_data(line, [1.0, 2.0], lr=0.1, epochs=0, batch_size=4)
    assert run.x.shape == (1, 2) and run.updates_per_epoch == 10 and run.epoch.tolist() == [0]


def test_runs_are_deterministic_in_the_seed(line):
    a = descend_data(line, [0.0, 0.0], lr=0.05, epochs=3, batch_size=5, seed=7)
    b = descend_data(line, [0.0, 0.0], lr=0.05, epochs=3, batch_size=5, seed=7)
    c = descend_data(line, [0.0, 0.0], lr=0.05, epochs=3, batch_size=5, seed=8)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.allclose(a.x, c.x)
    shared = descend_data(line, [0.0, 0.0], lr=0.05, epochs=3, batch_size=5, seed=np.random.default_rng(7))
    np.testing.assert_array_equal(shared.x, a.x)


def test_a_batch_of_starts_and_rates_runs_as_one(line):
    starts = np.array([[0.0, 0.0], [3.0, -2.0], [-1.0, 4.0]])
    many = descend_data(line, starts, lr=[0.01, 0.05, 0.1], epochs=2, batch_size=6, seed=1)
    assert many.x.shape == (many.epochs + 1, 3, 2) and many.f.shape == (many.epochs + 1, 3)
    assert many.diverged.shape == (3,)
    for i, (start, rate) in enumerate(zip(starts, [0.01, 0.05, 0.1], strict=True)):
        one = descend_data(line, start, lr=rate, epochs=2, batch_size=6, seed=1)
        np.testing.assert_allclose(many.x[:, i], one.x, rtol=1e-12, atol=1e-14)


def test_batch_gd_reaches_the_least_squares_solution(multi):
    run = descend_data(multi, np.zeros(4), lr=0.3, epochs=300)
    np.testing.assert_allclose(run.final, multi.solution, atol=1e-8)
    assert run.final_f == pytest.approx(multi.global_minimum.f, abs=1e-12)
    z = LeastSquares(load_csv("forbes").standardized())
    np.testing.assert_allclose(descend_data(z, lr=0.4, epochs=100).final, z.solution, atol=1e-8)


def test_sgd_settles_only_with_a_decaying_rate(line):
    epochs, lr = 30, 0.05
    const = descend_data(line, [0.0, 0.0], lr=lr, epochs=epochs, batch_size=1, seed=0)
    decay = descend_data(line, [0.0, 0.0], lr=lr, epochs=epochs, batch_size=1, seed=0,
                         schedule=gd.schedules.exponential(0.997))
    last = slice(-line.n, None)  # the last epoch's positions
    gap_const = np.linalg.norm(const.x[last] - line.solution, axis=-1).mean()
    gap_decay = np.linalg.norm(decay.x[last] - line.solution, axis=-1).mean()
    assert gap_decay < 0.25 * gap_const
    assert np.ptp(decay.f[last]) < 0.1 * np.ptp(const.f[last])  # it stops jittering


def test_divergence_is_flagged_not_raised(line):
    run = descend_data(line, [[0.0, 0.0], [0.1, 0.1]], lr=[5.0, 0.01], epochs=20, batch_size=4)
    assert run.diverged.tolist() == [True, False]
    at = int(run.diverged_at[0])
    assert 0 < at <= run.epochs
    assert np.all(np.isfinite(run.x)) and np.all(run.lr[at - 1:, 0] == 0)
    np.testing.assert_array_equal(run.x[at:, 0], np.broadcast_to(run.x[at - 1, 0], run.x[at:, 0].shape))
    single = descend_data(line, [0.0, 0.0], lr=1e3, epochs=3, batch_size=1)
    assert bool(single.diverged) and single.diverged.shape == ()


def test_minibatch_gradients_are_recorded_as_used(line):
    run = descend_data(line, [0.0, 0.0], lr=0.02, epochs=2, batch_size=8, seed=5)
    rng = np.random.default_rng(5)
    u = 0
    for _ in range(2):
        order = rng.permutation(line.n)
        for k in range(0, line.n, 8):
            idx = order[k:k + 8]
            r = line.data.X[idx, 0] * run.x[u, 0] + run.x[u, 1] - line.data.y[idx]  # residuals, by hand
            np.testing.assert_allclose(run.grad[u], [2 * np.mean(r * line.data.X[idx, 0]), 2 * np.mean(r)],
                                       rtol=1e-12, atol=1e-14)
            u += 1
    np.testing.assert_allclose(run.f, [per_sample_mse(line.data.X, line.data.y, p) for p in run.x], rtol=1e-10)


def test_dataset_input_and_repr(line):
    run = descend_data(line.data, lr=0.1, epochs=1, batch_size=10)
    assert run.x.shape == (5, 2) and "mini-batch" in repr(run) and "4 updates" in repr(run)
    assert "Dataset('linear" in repr(line.data)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("X", "y", "argument"), [
    ([1.0, 2.0, 3.0], [1.0, 2.0], "y"),                      # mismatched lengths
    ([1.0, np.nan, 3.0], [1.0, 2.0, 3.0], "X"),              # NaN
    ([1.0, 2.0, 3.0], [1.0, np.inf, 3.0], "y"),              # inf
    ([], [], "X"),                                           # empty
    (np.zeros((3, 0)), np.zeros(3), "X"),                    # no feature
    (np.zeros((2, 2, 2)), np.zeros(2), "X"),                 # wrong dims
    (np.zeros(3), np.zeros((3, 1)), "y"),                    # targets not 1-D
    (["a", "b"], [1.0, 2.0], "X"),                           # not numbers
])
def test_bad_data_is_refused(X, y, argument):
    error = TypeError if isinstance(X, list) and X and isinstance(X[0], str) else ValueError
    with pytest.raises(error, match=f"^{argument}:"):
        LeastSquares(X, y)
    with pytest.raises(error, match=f"^{argument}:"):
        Dataset(X, y)


@pytest.mark.parametrize(("kwargs", "argument"), [
    ({"batch_size": 0}, "batch_size"),
    ({"batch_size": 41}, "batch_size"),
    ({"batch_size": -3}, "batch_size"),
    ({"batch_size": 2.5}, "batch_size"),
    ({"lr": 0.0}, "lr"),
    ({"lr": np.nan}, "lr"),
    ({"epochs": -1}, "epochs"),
    ({"epochs": 1.5}, "epochs"),
    ({"params0": [0.0, 0.0, 0.0]}, "params0"),
    ({"params0": [np.nan, 0.0]}, "params0"),
    ({"params0": []}, "params0"),
    ({"params0": [10**400, 0]}, "params0"),
    ({"epochs": 10**12, "batch_size": 1}, "this run's record"),
    ({"optimizer": "sgdx"}, "optimizer"),
    ({"schedule": "never"}, "schedule"),
    ({"seed": -1, "batch_size": 2}, "seed"),
])
def test_bad_run_arguments_are_refused(line, kwargs, argument):
    args = {"params0": [0.0, 0.0], "lr": 0.1, "epochs": 2, **kwargs}
    with pytest.raises(ValueError, match=f"^{argument}"):
        descend_data(line, **args)


@pytest.mark.parametrize(("kwargs", "argument"), [
    ({"batch_size": True}, "batch_size"), ({"batch_size": "8"}, "batch_size"), ({"epochs": "3"}, "epochs"),
    ({"params0": "origin"}, "params0"), ({"seed": 1.5}, "seed"), ({"drop_last": 1}, "drop_last"),
    ({"lr": "fast"}, "lr"),
])
def test_arguments_of_the_wrong_type_are_type_errors(line, kwargs, argument):
    args = {"params0": [0.0, 0.0], "lr": 0.1, "epochs": 2, "batch_size": 4, **kwargs}
    with pytest.raises(TypeError, match=f"^{argument}:"):
        descend_data(line, **args)


def test_other_bad_arguments_are_refused(line):
    for call, argument in [
        (lambda: list(batches(0, 1, 0)), "n"),
        (lambda: batches(5, 0, 0), "batch_size"),
        (lambda: batches(5, 6, 0), "batch_size"),
        (lambda: line.batch_grad([0.0, 0.0], [0, 40]), "idx"),
        (lambda: line.batch_grad([0.0, 0.0], []), "idx"),
        (lambda: line.batch_grad([0.0, 0.0], [0.5]), "idx"),
        (lambda: line.batch_loss([0.0, 0.0, 0.0]), "params"),
        (lambda: load_csv("iris"), "name"),
        (lambda: make_linear(n=0), "n"),
        (lambda: make_linear(noise=-1.0), "noise"),
        (lambda: make_linear(w=[]), "w"),
        (lambda: make_linear(b=np.inf), "b"),
        (lambda: LeastSquares([1.0, 2.0]), "y"),
        (lambda: LeastSquares(line.data, [1.0]), "y"),
        (lambda: Dataset([[1.0, 2.0]], [1.0], feature_names=("a",)), "feature_names"),
    ]:
        with pytest.raises(ValueError, match=f"^{argument}:"):
            call()
    with pytest.raises(TypeError, match="^data:"):
        descend_data(gd.functions.peaks, [0.0, 0.0])
