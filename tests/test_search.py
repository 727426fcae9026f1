"""gdviz.search: random restarts, simulated annealing and gradient noise."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gdviz as gd
from gdviz.search import Annealing, Restarts, noisy_descend, random_restarts, reached_global, simulated_annealing

peaks, sin_gauss = gd.functions.peaks, gd.functions.sin_gauss


def annealing_by_hand(objective, starts, epochs, T0, cooling, step, seed):
    """Simulated annealing written run by run from the docstring, with the same random stream."""
    rng = np.random.default_rng(seed)
    x = [np.array(s, dtype=float) for s in starts]
    f = [objective(p) for p in x]
    path, taken, T = [np.array(x)], [], T0
    for _ in range(epochs):
        z = rng.standard_normal((len(x), objective.dim))
        u = rng.uniform(size=len(x))
        row = []
        for i in range(len(x)):
            proposal = x[i] + step * (z[i] if objective.dim > 1 else z[i, 0])
            delta = objective(proposal) - f[i]
            accept = delta <= 0 or u[i] < math.exp(-delta / T)
            if accept:
                x[i], f[i] = proposal, objective(proposal)
            row.append(accept)
        path.append(np.array(x))
        taken.append(row)
        T *= cooling
    return np.array(path), np.array(taken)


# --------------------------------------------------------------------------- simulated annealing


@pytest.mark.parametrize(("objective", "starts"), [
    (peaks, [[0.0, 0.0], [1.0, -1.0], [-2.0, 2.0], [0.5, 0.5]]),
    (sin_gauss, [4.3, -3.0, 0.0]),
])
def test_acceptance_rule_matches_an_independent_loop(objective, starts):
    run = simulated_annealing(objective, starts, epochs=60, T0=1.5, cooling=0.9, step=0.7, seed=4)
    path, taken = annealing_by_hand(objective, starts, 60, 1.5, 0.9, 0.7, 4)
    np.testing.assert_array_equal(run.accepted, taken)
    np.testing.assert_allclose(run.x, path, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(run.f, objective(run.x), rtol=1e-12, atol=1e-12)
    assert 0 < run.accepted.mean() < 1  # both branches of the rule were exercised


def test_temperature_follows_the_geometric_schedule():
    run = simulated_annealing(sin_gauss, 1.0, epochs=50, T0=3.0, cooling=0.95, step=0.5)
    np.testing.assert_allclose(run.T, 3.0 * 0.95 ** np.arange(50), rtol=1e-14)
    np.testing.assert_allclose(run.T[1:] / run.T[:-1], 0.95)
    flat = simulated_annealing(sin_gauss, 1.0, epochs=5, T0=0.5, cooling=1.0)
    np.testing.assert_array_equal(flat.T, 0.5)


def test_annealing_is_deterministic_in_the_seed():
    a = simulated_annealing(peaks, [[0.0, 0.0]] * 3, epochs=40, seed=12)
    b = simulated_annealing(peaks, [[0.0, 0.0]] * 3, epochs=40, seed=12)
    c = simulated_annealing(peaks, [[0.0, 0.0]] * 3, epochs=40, seed=13)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.x, c.x)
    shared = simulated_annealing(peaks, [[0.0, 0.0]] * 3, epochs=40, seed=np.random.default_rng(12))
    np.testing.assert_array_equal(shared.x, a.x)


def test_annealing_keeps_the_best_point_visited():
    run = simulated_annealing(peaks, np.zeros((6, 2)), epochs=150, T0=3.0, step=0.8, seed=1)
    np.testing.assert_allclose(run.best_f, run.f.min(axis=0))
    at = run.f.argmin(axis=0)
    np.testing.assert_allclose(run.best_x, run.x[at, np.arange(6)])
    np.testing.assert_allclose(run.best_f, peaks(run.best_x))


@pytest.mark.parametrize(("objective", "x0", "x_shape"), [
    (sin_gauss, 2.0, (31,)),
    (sin_gauss, np.zeros((3, 4)), (31, 3, 4)),
    (peaks, [0.5, 0.5], (31, 2)),
    (peaks, np.zeros((3, 4, 2)), (31, 3, 4, 2)),
])
def test_annealing_record_has_the_trajectory_layout(objective, x0, x_shape):
    run = simulated_annealing(objective, x0, epochs=30, seed=0)
    batch = x_shape[1:] if objective.dim == 1 else x_shape[1:-1]
    assert isinstance(run, Annealing)
    assert run.x.shape == x_shape and run.f.shape == (31, *batch) and run.accepted.shape == (30, *batch)
    assert run.T.shape == (30,) and run.epochs == 30 and run.batch_shape == batch
    assert run.best_x.shape == x_shape[1:] and run.best_f.shape == batch
    assert run.diverged.shape == batch and not run.diverged.any()
    assert run.acceptance_rate.shape == (30,)
    if x_shape == (31,):
        assert isinstance(run.final, float) and isinstance(run.final_f, float)
    assert "Annealing(" in repr(run)


def test_annealing_stays_inside_bounds():
    run = simulated_annealing(peaks, np.zeros((20, 2)), epochs=100, T0=5.0, step=2.0, seed=3, bounds=(-1, 1))
    assert np.all(np.abs(run.x) <= 1)
    free = simulated_annealing(peaks, np.zeros((20, 2)), epochs=100, T0=5.0, step=2.0, seed=3)
    assert np.any(np.abs(free.x) > 1)


def test_annealing_leaves_the_local_basin_more_often_than_gd():
    # sin_gauss: global minimum near -1.43, a local one near 4.31 behind a ridge at 1.43
    starts = np.random.default_rng(0).uniform(2.5, 6.5, size=200)
    plain = gd.descend(sin_gauss, starts, lr=0.5, epochs=300)
    anneal = simulated_annealing(sin_gauss, starts, epochs=300, T0=1.0, cooling=0.95, step=2.0, seed=0)
    share_gd = reached_global(sin_gauss, plain.f[-1], tol=0.05).mean()
    share_sa = reached_global(sin_gauss, anneal.f[-1], tol=0.05).mean()
    assert share_gd == 0.0
    assert share_sa > 0.5


# --------------------------------------------------------------------------- random restarts


def test_restart_starts_are_the_documented_uniform_draw():
    result = random_restarts(peaks, n=7, lr=0.05, epochs=5, seed=2, bounds=[(-1, 2), (0, 3)])
    expected = np.random.default_rng(2).uniform([-1, 0], [2, 3], size=(7, 2))
    np.testing.assert_array_equal(result.starts, expected)
    np.testing.assert_array_equal(result.trajectory.x[0], expected)
    one_d = random_restarts(sin_gauss, n=5, lr=0.1, epochs=5, seed=2)
    lo, hi = sin_gauss.bounds[0]
    np.testing.assert_array_equal(one_d.starts, np.random.default_rng(2).uniform(lo, hi, size=(5, 1))[:, 0])


def test_restart_best_is_the_minimum_over_runs():
    result = random_restarts(peaks, n=30, lr=0.05, epochs=100, seed=5)
    assert isinstance(result, Restarts)
    final = result.trajectory.f[-1]
    assert result.best == int(final.argmin()) and result.best_f == final.min()
    np.testing.assert_array_equal(result.best_x, result.trajectory.x[-1, result.best])
    np.testing.assert_array_equal(result.final_f, final)
    again = random_restarts(peaks, n=30, lr=0.05, epochs=100, seed=5)
    np.testing.assert_array_equal(again.trajectory.x, result.trajectory.x)


def test_restarts_in_independent_trials():
    result = random_restarts(peaks, n=5, lr=0.05, epochs=150, seed=0, trials=40)
    assert result.starts.shape == (40, 5, 2) and result.trajectory.x.shape == (151, 40, 5, 2)
    final = result.trajectory.f[-1]
    np.testing.assert_array_equal(result.best, final.argmin(axis=1))
    np.testing.assert_array_equal(result.best_f, final.min(axis=1))
    np.testing.assert_array_equal(result.best_x, result.trajectory.x[-1, np.arange(40), result.best])
    # best of 5 finds the global minimum more often than a single start does
    assert reached_global(peaks, result.best_f).mean() > reached_global(peaks, final[:, 0]).mean() + 0.2


def test_restart_best_skips_diverged_runs():
    quartic = gd.Objective("x**4", bounds=(-3, 3), minima=[(0.0, 0.0)])
    result = random_restarts(quartic, n=20, lr=0.3, epochs=30, seed=0)
    diverged = result.trajectory.diverged
    assert diverged.any() and not diverged.all()
    assert not diverged[result.best]
    assert result.best_f == result.trajectory.f[-1][~diverged].min()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_fifty_restarts_find_the_global_minimum_of_peaks(seed):
    result = random_restarts(peaks, n=50, lr=0.05, epochs=300, seed=seed)
    assert bool(reached_global(peaks, result.best_f, tol=1e-6))
    np.testing.assert_allclose(result.best_x, peaks.global_minimum.x, atol=1e-3)
    assert reached_global(peaks, result.final_f).mean() < 0.5  # one start alone would often miss it


# --------------------------------------------------------------------------- gradient noise


def test_noisy_descend_matches_a_plain_loop():
    starts = np.array([[0.0, 0.5], [1.0, -1.0], [-0.5, 0.2]])
    run = noisy_descend(peaks, starts, lr=0.02, epochs=40, noise=2.0, gamma=0.55, seed=6)
    rng = np.random.default_rng(6)
    x = starts.copy()
    path = [x.copy()]
    for t in range(40):
        g = peaks.grad(x) + math.sqrt(2.0 / (1 + t) ** 0.55) * rng.standard_normal(x.shape)
        x = x - 0.02 * g
        path.append(x.copy())
    np.testing.assert_allclose(run.x, np.array(path), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(run.f, peaks(run.x), rtol=1e-12, atol=1e-13)  # the exact loss
    # grad[t] is the noisy gradient step t used: x_t - x_{t+1} = lr g_t for GD; the last row repeats
    np.testing.assert_allclose(0.02 * run.grad[:-1], run.x[:-1] - run.x[1:], rtol=1e-9, atol=1e-13)
    np.testing.assert_array_equal(run.grad[-1], run.grad[-2])
    assert isinstance(run, gd.Trajectory)


def test_noisy_descend_is_seeded_and_fades_to_gd():
    a = noisy_descend(sin_gauss, [1.0, 2.0], lr=0.1, epochs=30, noise=0.5, seed=1)
    b = noisy_descend(sin_gauss, [1.0, 2.0], lr=0.1, epochs=30, noise=0.5, seed=1)
    np.testing.assert_array_equal(a.x, b.x)
    quiet = noisy_descend(sin_gauss, [1.0, 2.0], lr=0.1, epochs=30, noise=0.0, seed=1)
    plain = gd.descend(sin_gauss, [1.0, 2.0], lr=0.1, epochs=30)
    np.testing.assert_allclose(quiet.x, plain.x, rtol=1e-12)
    assert not np.allclose(a.x, plain.x)


def test_gradient_noise_sometimes_escapes_the_local_basin_of_sin_gauss():
    starts = np.random.default_rng(0).uniform(2.5, 6.5, size=200)
    plain = gd.descend(sin_gauss, starts, lr=1.0, epochs=400)
    noisy = noisy_descend(sin_gauss, starts, lr=1.0, epochs=400, noise=8.0, gamma=1.0, seed=0)
    assert reached_global(sin_gauss, plain.f[-1], tol=0.01).mean() == 0.0
    assert reached_global(sin_gauss, noisy.f[-1], tol=0.01).mean() > 0.1  # 0.175 with this seed
    assert not noisy.diverged.any()


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("call", "argument"), [
    (lambda: random_restarts(peaks, n=0), "n"),
    (lambda: random_restarts(peaks, n=2.5), "n"),
    (lambda: random_restarts(peaks, n=3, trials=0), "trials"),
    (lambda: random_restarts(peaks, n=3, bounds=(1, -1)), "bounds"),
    (lambda: random_restarts(peaks, n=3, lr=-1.0), "lr"),
    (lambda: random_restarts(peaks, n=3, epochs=-2), "epochs"),
    (lambda: random_restarts(peaks, n=3, optimizer="sgdx"), "optimizer"),
    (lambda: random_restarts(peaks, n=3, seed=-1), "seed"),
    (lambda: simulated_annealing(peaks, [0.0, 0.0], T0=0.0), "T0"),
    (lambda: simulated_annealing(peaks, [0.0, 0.0], T0=np.inf), "T0"),
    (lambda: simulated_annealing(peaks, [0.0, 0.0], cooling=0.0), "cooling"),
    (lambda: simulated_annealing(peaks, [0.0, 0.0], cooling=1.5), "cooling"),
    (lambda: simulated_annealing(peaks, [0.0, 0.0], step=-0.1), "step"),
    (lambda: simulated_annealing(peaks, [0.0, 0.0], epochs=1.5), "epochs"),
    (lambda: simulated_annealing(peaks, [0.0, 0.0, 0.0]), "x0"),
    (lambda: simulated_annealing(peaks, [5.0, 0.0], bounds=(-3, 3)), "x0"),
    (lambda: noisy_descend(peaks, [0.0, 0.0], noise=-1.0), "noise"),
    (lambda: noisy_descend(peaks, [0.0, 0.0], noise=np.nan), "noise"),
    (lambda: noisy_descend(peaks, [0.0, 0.0], gamma=-0.5), "gamma"),
    (lambda: noisy_descend(peaks, [0.0, 0.0], lr=0.0), "lr"),
    (lambda: reached_global(gd.functions.saddle, [0.0]), "objective"),
    (lambda: reached_global(peaks, [0.0], tol=0.0), "tol"),
])
def test_bad_arguments_are_refused(call, argument):
    with pytest.raises(ValueError, match=f"^{argument}:"):
        call()


@pytest.mark.parametrize(("call", "argument"), [
    (lambda: simulated_annealing(peaks, [0.0, 0.0], step="big"), "step"),
    (lambda: simulated_annealing(peaks, [0.0, 0.0], seed=1.5), "seed"),
    (lambda: random_restarts(peaks, n="3"), "n"),
    (lambda: noisy_descend(peaks, [0.0, 0.0], noise="loud"), "noise"),
    (lambda: noisy_descend(peaks, "start"), "x0"),
])
def test_arguments_of_the_wrong_type_are_type_errors(call, argument):
    with pytest.raises(TypeError, match=f"^{argument}:"):
        call()


def test_requests_beyond_the_budgets_are_refused_at_once():
    for call in (lambda: random_restarts(peaks, n=10**7, epochs=10**4),
                 lambda: simulated_annealing(peaks, np.zeros((1000, 2)), epochs=10**9),
                 lambda: noisy_descend(peaks, [0.0, 0.0], epochs=10**9)):
        with pytest.raises(ValueError, match="budget"):
            call()


def test_non_objectives_are_refused():
    for call in (lambda: random_restarts("x**2", n=3), lambda: simulated_annealing("x**2", 0.0),
                 lambda: noisy_descend("x**2", 0.0)):
        with pytest.raises(TypeError, match="^objective:"):
            call()
