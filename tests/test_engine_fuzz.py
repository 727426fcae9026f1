"""Property tests: random arguments for descend, sweep, descend_data and noisy_descend.

Every call either returns a clean record or raises a TypeError / ValueError whose message starts
with the name of the argument at fault (or, for a request beyond a budget, says which budget).
Nothing else: no other exception, no warning (pytest turns warnings into errors), no hang (every
request is small or refused up front). Seeded and derandomized, so CI sees the same examples.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gdviz as gd
from gdviz.data import LeastSquares, descend_data, make_linear
from gdviz.descent import MAX_NORM
from gdviz.search import noisy_descend, random_restarts, simulated_annealing

FUZZ = settings(max_examples=60, derandomize=True, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])

OBJECTIVES = {
    "quadratic": gd.functions.quadratic, "peaks": gd.functions.peaks, "rosenbrock": gd.functions.rosenbrock,
    "log": gd.Objective("log(x)"), "pow": gd.Objective("x**2.5"), "sqrt": gd.Objective("sqrt(x) + x**2"),
    "exp": gd.Objective("exp(x**2)"), "pole": gd.Objective("1/x + x**2"), "abs": gd.Objective("Abs(x) + y**2"),
}
LOSS = LeastSquares(make_linear(n=20, w=2.0, b=-1.0, noise=0.3, seed=0))

def mostly(valid, invalid, weight=12):
    """Valid values ``weight`` times as often as invalid ones, so that most calls run."""
    return st.integers(0, weight).flatmap(lambda k: invalid if k == weight else valid)  # (hypothesis favours 0)


junk = st.sampled_from([None, "1.0", "abc", True, False, 1j, object(), [], [[]], {"x": 1}, (1.0, "a")])
bad_numbers = st.one_of(st.sampled_from([math.nan, math.inf, -math.inf, 1e13, 10**400, -(10**400), 1e308 * 10]),
                        junk)
coordinate = st.one_of(st.floats(min_value=-4, max_value=4), st.sampled_from([0.0, 0.5, -1.0, 1e-300, 1e12]))
points = mostly(st.one_of(coordinate, st.lists(coordinate, min_size=1, max_size=3),
                          st.lists(st.lists(coordinate, min_size=2, max_size=2), min_size=1, max_size=3)),
                st.one_of(bad_numbers, st.lists(st.one_of(coordinate, bad_numbers), max_size=3)))
rates = mostly(st.one_of(st.floats(min_value=1e-6, max_value=3.0), st.sampled_from([1e3, 1e-300]),
                         st.lists(st.floats(min_value=1e-4, max_value=2.0), min_size=1, max_size=1)),
               st.one_of(bad_numbers, st.sampled_from([0.0, -0.1, []])))
counts = mostly(st.integers(min_value=0, max_value=40),
                st.sampled_from([-1, 2.5, 10**12, 10**9, "5", None, True]))


def optimizers():
    names = st.sampled_from(["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "nadam", "lion",
                             "GD"])
    built = st.builds(lambda k, eps: (k, eps), st.sampled_from(["adagrad", "rmsprop", "adam"]),
                      st.sampled_from([0.0, 1e-8, 0.5]))
    return mostly(st.one_of(names, built), st.sampled_from(["sgd", "", 3, None]))


def make_optimizer(spec):
    if isinstance(spec, tuple):  # a factory with eps = 0 makes 0/0 at a minimum
        kind, eps = spec
        return {"adagrad": gd.optimizers.AdaGrad, "rmsprop": gd.optimizers.RMSprop, "adam": gd.optimizers.Adam}[kind](
            eps=eps)
    return spec


schedules = mostly(st.sampled_from([None, "constant", "cosine", "linear", "exponential", "warmup",
                                    "gradient_scaled", "step_decay"]), st.sampled_from(["nope", 7]))
clips = mostly(st.one_of(st.none(), st.floats(min_value=1e-3, max_value=10)),
               st.sampled_from([0, -1.0, math.nan, math.inf, "1", True]))
flags = mostly(st.booleans(), st.sampled_from([0, 1, "yes", None]))


def check_outcome(call, arguments):
    """Run ``call``: a record comes back, or a TypeError/ValueError names one of ``arguments``."""
    try:
        return call()
    except (TypeError, ValueError) as err:
        message = str(err)
        named = message.split(":")[0]
        assert named in arguments or message.startswith("this "), message
        return None


def check_record(run):
    x = np.asarray(run.x)
    assert np.all(np.isfinite(x)) and np.all(np.abs(x) <= MAX_NORM)
    d = np.asarray(run.diverged_at)
    assert np.array_equal(np.asarray(run.diverged), d >= 0)
    good = (d != 0)  # a start where f or the gradient is undefined is frozen at itself, NaN and all
    f = np.asarray(run.f)
    assert np.all(np.isfinite(f[:, good] if f.ndim > 1 else (f if good else f[:0])))
    assert np.all(np.isfinite(run.lr)) and np.all(np.asarray(run.lr) >= 0)
    assert run.x.shape[0] == run.f.shape[0] == run.grad.shape[0] == run.lr.shape[0] + 1


@FUZZ
@given(objective=st.sampled_from(list(OBJECTIVES)), x0=points, lr=rates, epochs=counts, optimizer=optimizers(),
       schedule=schedules, clip=clips, keep_state=flags)
def test_descend_returns_a_record_or_names_the_argument(objective, x0, lr, epochs, optimizer, schedule, clip,
                                                        keep_state):
    run = check_outcome(
        lambda: gd.descend(OBJECTIVES[objective], x0, lr=lr, epochs=epochs, optimizer=make_optimizer(optimizer),
                           schedule=schedule, clip=clip, keep_state=keep_state),
        {"objective", "x0", "lr", "epochs", "optimizer", "schedule", "clip", "keep_state"})
    if run is not None:
        check_record(run)


@FUZZ
@given(objective=st.sampled_from(list(OBJECTIVES)), x0=points, lr=rates,
       epochs=st.one_of(counts, mostly(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=3),
                                       st.lists(st.integers(min_value=-1, max_value=30), max_size=3))),
       optimizer=optimizers(), schedule=schedules, clip=clips)
def test_sweep_returns_finals_or_names_the_argument(objective, x0, lr, epochs, optimizer, schedule, clip):
    grid = check_outcome(
        lambda: gd.sweep(OBJECTIVES[objective], x0, lr=lr, epochs=epochs, optimizer=make_optimizer(optimizer),
                         schedule=schedule, clip=clip),
        {"objective", "x0", "lr", "epochs", "optimizer", "schedule", "clip"})
    if grid is not None:
        assert np.all(np.isfinite(grid.x)) and np.all(np.abs(grid.x) <= MAX_NORM)
        assert grid.f.shape == grid.diverged.shape


@FUZZ
@given(params0=mostly(st.one_of(st.none(), st.lists(coordinate, min_size=2, max_size=2),
                               st.lists(st.lists(coordinate, min_size=2, max_size=2), min_size=1, max_size=3)), points),
       lr=rates, epochs=mostly(st.integers(min_value=0, max_value=4), counts),
       batch_size=mostly(st.one_of(st.none(), st.integers(min_value=1, max_value=20)),
                         st.sampled_from([0, 21, -1, 2.5, "4", True])),
       optimizer=optimizers(), schedule=schedules, seed=mostly(st.sampled_from([0, 1, None]), st.sampled_from(
           [-1, 1.5, "s"])), drop_last=flags)
def test_descend_data_returns_a_record_or_names_the_argument(params0, lr, epochs, batch_size, optimizer, schedule,
                                                             seed, drop_last):
    run = check_outcome(
        lambda: descend_data(LOSS, params0, lr=lr, epochs=epochs, batch_size=batch_size,
                             optimizer=make_optimizer(optimizer), schedule=schedule, seed=seed, drop_last=drop_last),
        {"data", "params0", "lr", "epochs", "batch_size", "optimizer", "schedule", "seed", "drop_last", "x0"})
    if run is not None:
        check_record(run)
        assert run.grad_evals[-1] <= LOSS.n * run.n_epochs


@FUZZ
@given(objective=st.sampled_from(list(OBJECTIVES)), x0=points, lr=rates,
       epochs=counts, noise=mostly(st.floats(min_value=0, max_value=100), bad_numbers),
       gamma=mostly(st.sampled_from([0.55, 0.0, 2.0]), st.sampled_from([-0.5, math.nan, "g"])), optimizer=optimizers(),
       seed=mostly(st.sampled_from([0, 3, None]), st.sampled_from([-1, 2.0])))
def test_noisy_descend_returns_a_record_or_names_the_argument(objective, x0, lr, epochs, noise, gamma, optimizer,
                                                              seed):
    run = check_outcome(
        lambda: noisy_descend(OBJECTIVES[objective], x0, lr=lr, epochs=epochs, noise=noise, gamma=gamma,
                              optimizer=make_optimizer(optimizer), seed=seed),
        {"objective", "x0", "lr", "epochs", "noise", "gamma", "optimizer", "seed"})
    if run is not None:
        check_record(run)


@FUZZ
@given(objective=st.sampled_from(list(OBJECTIVES)), n=mostly(st.integers(1, 6), st.sampled_from([0, 2.5, "3", 10**9])),
       lr=rates, epochs=counts, seed=mostly(st.sampled_from([0, 1, None]), st.sampled_from([-1, 1.5])),
       trials=mostly(st.sampled_from([None, 1, 3]), st.sampled_from([0, 2.0, "2"])),
       bounds=mostly(st.sampled_from([None, (-1.0, 1.0), (0.1, 2.0)]),
                     st.sampled_from([(1, -1), "box", (0, math.inf)])))
def test_random_restarts_returns_a_result_or_names_the_argument(objective, n, lr, epochs, seed, trials, bounds):
    result = check_outcome(
        lambda: random_restarts(OBJECTIVES[objective], n=n, lr=lr, epochs=epochs, seed=seed, trials=trials,
                                bounds=bounds),
        {"objective", "n", "lr", "epochs", "seed", "trials", "bounds"})
    if result is not None:
        check_record(result.trajectory)


@FUZZ
@given(objective=st.sampled_from(list(OBJECTIVES)), x0=points, epochs=counts,
       T0=mostly(st.floats(1e-3, 10), bad_numbers), cooling=mostly(st.floats(0.5, 1.0), st.sampled_from([0, 1.5, "c"])),
       step=mostly(st.floats(1e-3, 3), bad_numbers),
       seed=mostly(st.sampled_from([0, None]), st.sampled_from([-2, "s"])))
def test_simulated_annealing_returns_a_record_or_names_the_argument(objective, x0, epochs, T0, cooling, step, seed):
    run = check_outcome(
        lambda: simulated_annealing(OBJECTIVES[objective], x0, epochs=epochs, T0=T0, cooling=cooling, step=step,
                                    seed=seed),
        {"objective", "x0", "epochs", "T0", "cooling", "step", "seed"})
    if run is not None:
        assert np.all(np.isfinite(run.x)) and run.x.shape[0] == run.f.shape[0] == run.T.shape[0] + 1


@pytest.mark.parametrize("objective", ["log", "pow", "sqrt", "pole", "exp"])
@FUZZ
@given(x0=st.floats(min_value=-4, max_value=4), lr=st.floats(min_value=1e-3, max_value=5.0),
       optimizer=st.sampled_from(["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]))
def test_lean_and_vectorised_paths_flag_the_same_row(objective, x0, lr, optimizer):
    f = OBJECTIVES[objective]
    lean = gd.descend(f, x0, lr=lr, epochs=25, optimizer=optimizer)
    batch = gd.descend(f, [x0], lr=lr, epochs=25, optimizer=optimizer)
    assert int(lean.diverged_at) == int(batch.diverged_at[0])
    np.testing.assert_allclose(lean.x, batch.x[:, 0], rtol=1e-9, atol=1e-12)
