"""descend and sweep: closed forms, stability edge, divergence, shapes, both paths, threads, bad input."""

from __future__ import annotations

import contextlib
import math
import os
import warnings

import numpy as np
import pytest

import gdviz as gd
import gdviz.descent as descent
from gdviz import optimizers as opt
from gdviz import schedules as sch

Q = gd.functions.quadratic  # 3x^2 - 3x + 4: f'' = 6, x* = 1/2
X_STAR, CURVATURE = 0.5, 6.0


def closed_form(x0, lr, epochs):
    """GD on a quadratic: x_t = x* + (1 - lr f'')^t (x0 - x*)."""
    t = np.arange(epochs + 1).reshape(-1, *(1,) * np.ndim(x0))
    return X_STAR + (1 - lr * CURVATURE) ** t * (np.asarray(x0) - X_STAR)


def plain_gd_quadratic(x0, lr, epochs, max_norm=1e12):
    """x <- x - lr (6x - 3) in Python floats; the step at which |x| first exceeds max_norm."""
    xs, x = [x0], x0
    for t in range(epochs):
        x = x - lr * (6 * x - 3)
        if not abs(x) <= max_norm:
            return xs, t + 1
        xs.append(x)
    return xs, -1


@contextlib.contextmanager
def strict():
    """Every warning becomes an error inside the block (as pytest's filterwarnings=error does)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# --------------------------------------------------------------------------- the quadratic


@pytest.mark.parametrize("lr", [0.01, 0.1, 0.25, 0.3])
def test_gd_on_the_quadratic_follows_the_closed_form(lr):
    single = gd.descend(Q, -1.5, lr=lr, epochs=60)
    np.testing.assert_allclose(single.x, closed_form(-1.5, lr, 60), rtol=1e-12, atol=1e-13)
    starts = np.array([-1.5, 0.0, 2.0])
    batch = gd.descend(Q, starts, lr=lr, epochs=60)
    np.testing.assert_allclose(batch.x, closed_form(starts, lr, 60), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(batch.grad, 6 * batch.x - 3, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(batch.f, 3 * batch.x**2 - 3 * batch.x + 4, rtol=1e-14)
    np.testing.assert_array_equal(batch.lr, np.full((60, 3), lr))


def test_stability_edge_at_two_over_curvature():
    edge = 2 / CURVATURE
    below = gd.descend(Q, 1.5, lr=edge - 0.01, epochs=2000)  # contraction |1 - 6 lr| = 0.94
    assert not below.diverged and abs(below.final - X_STAR) < 1e-12
    at = gd.descend(Q, 1.5, lr=edge, epochs=200)  # factor -1: bounces between the walls forever
    np.testing.assert_allclose(np.abs(at.x - X_STAR), 1.0, rtol=1e-9)
    assert not at.diverged
    with strict():
        above = gd.descend(Q, 1.5, lr=edge + 0.01, epochs=2000)  # factor -1.06: grows without bound
    assert above.diverged and above.diverged_at > 0
    xs, expected_at = plain_gd_quadratic(1.5, edge + 0.01, 2000)
    assert above.diverged_at == expected_at
    np.testing.assert_allclose(above.x[:expected_at], xs, rtol=1e-10)


def test_one_step_lands_at_lr_one_over_curvature():
    starts = np.array([-2.0, -0.3, 1.1, 2.0])
    run = gd.descend(Q, starts, lr=1 / CURVATURE, epochs=3)
    np.testing.assert_allclose(run.x[1:], X_STAR, atol=1e-15)
    assert gd.descend(Q, 1.7, lr=1 / CURVATURE, epochs=1).final == pytest.approx(X_STAR, abs=1e-15)


def test_an_array_of_rates_equals_separate_runs():
    rates = np.array([0.001, 0.05, 0.2, 0.33, 0.4, 1.0])
    batch = gd.descend(Q, 1.2, lr=rates, epochs=120)
    assert batch.x.shape == (121, 6)
    np.testing.assert_array_equal(batch.diverged, [False, False, False, False, True, True])
    for k, lr in enumerate(rates):
        alone = gd.descend(Q, 1.2, lr=lr, epochs=120)
        np.testing.assert_allclose(batch.x[:, k], alone.x, rtol=1e-12)
        np.testing.assert_array_equal(batch.lr[:, k], alone.lr)
        assert batch.diverged_at[k] == alone.diverged_at


# --------------------------------------------------------------------------- divergence


DIVERGING = [
    # objective, start, lr, optimizer: runs that overflow, leave the box or turn NaN
    (Q, 1.5, 1.0, "gd"),
    (gd.Objective("exp(x**2)"), 2.0, 1.0, "gd"),             # overflow in exp
    (gd.Objective("sqrt(x) + x**2"), 1.0, 5.0, "gd"),        # sqrt of a negative number: NaN
    (gd.functions.rosenbrock, [-1.2, 1.0], 0.1, "gd"),       # x**3 overflows
    (gd.functions.ravine, [5.0, 2.0], 1.0, "momentum"),
    (gd.functions.ravine, [5.0, 2.0], 1.0, "nesterov"),
    (gd.Objective("x**4 + y**4 + x*y"), [2.0, 1.0], 1.0, "gd"),
]


@pytest.mark.parametrize(("objective", "x0", "lr", "method"), DIVERGING)
@pytest.mark.parametrize("path", ["single", "batch"])
def test_divergence_is_flagged_frozen_and_silent(objective, x0, lr, method, path):
    x0 = np.asarray(x0, dtype=float)
    start = x0 if path == "single" else np.stack([x0, x0 * 0.0 + 0.3])
    with strict(), np.errstate(all="raise"):  # even a caller who asks numpy to raise sees no error
        run = gd.descend(objective, start, lr=lr, epochs=200, optimizer=method)
    d = int(np.ravel(run.diverged_at)[0])
    assert np.ravel(run.diverged)[0] and d >= 1
    pick = (slice(None),) if path == "single" else (slice(None), 0)
    x, g, lr_used = run.x[pick], run.grad[pick], run.lr[pick]
    assert np.all(np.isfinite(x)) and np.all(np.isfinite(g))
    assert np.all(np.abs(x) <= descent.MAX_NORM)
    np.testing.assert_array_equal(x[d:], np.broadcast_to(x[d - 1], x[d:].shape))   # frozen
    np.testing.assert_array_equal(g[d:], np.broadcast_to(g[d - 1], g[d:].shape))
    np.testing.assert_array_equal(lr_used[d - 1:], 0.0)                             # no rate after
    np.testing.assert_array_equal(lr_used[: d - 1], lr)
    if path == "batch" and not run.diverged[1]:
        assert run.diverged_at[1] == -1 and np.all(run.lr[:, 1] == lr)


def test_diverged_at_matches_a_plain_loop_and_flags_are_per_run():
    rates = np.array([0.1, 0.34, 0.5, 1.0, 10.0])
    with strict():
        run = gd.descend(Q, 1.5, lr=rates, epochs=1000)
    for k, lr in enumerate(rates):
        _, expected = plain_gd_quadratic(1.5, lr, 1000)
        assert run.diverged_at[k] == expected
        assert run.diverged[k] == (expected > 0)
    assert run.diverged.dtype == bool and run.diverged.shape == (5,)


def test_runs_that_stay_finite_are_not_flagged():
    run = gd.descend(gd.functions.plateau, np.linspace(-4, 4, 9), lr=0.1, epochs=300)
    assert not run.diverged.any() and np.all(run.diverged_at == -1)
    assert isinstance(gd.descend(Q, 0.0, lr=0.1, epochs=5).diverged, (bool, np.bool_))


# --------------------------------------------------------------------------- shapes and broadcasting


def _single_runs_agree(run, objective, x0, lr, epochs, **kwargs):
    """Every run of a batch equals the same run started on its own."""
    for index in np.ndindex(run.batch_shape):
        start = np.broadcast_to(x0, (*run.batch_shape, objective.dim))[index] if objective.dim > 1 \
            else np.broadcast_to(x0, run.batch_shape)[index]
        rate = np.broadcast_to(lr, run.batch_shape)[index]
        alone = gd.descend(objective, start, lr=float(rate), epochs=epochs, **kwargs)
        np.testing.assert_allclose(run.x[(slice(None), *index)], alone.x, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(run.lr[(slice(None), *index)], alone.lr, rtol=1e-15)


@pytest.mark.parametrize(("x0_shape", "lr_shape", "batch"), [
    ((), (), ()),
    ((3,), (), (3,)),
    ((2, 3), (), (2, 3)),
    ((2, 3), (3,), (2, 3)),
    ((3,), (2, 1), (2, 3)),
    ((), (4,), (4,)),
    ((1,), (), (1,)),
])
def test_shapes_for_a_1d_objective(x0_shape, lr_shape, batch, rng):
    x0 = rng.uniform(-6, 6, size=x0_shape)
    lr = rng.uniform(0.05, 0.5, size=lr_shape)
    run = gd.descend(gd.functions.sin_gauss, x0, lr=lr, epochs=12)
    assert run.x.shape == run.grad.shape == run.f.shape == (13, *batch)
    assert run.lr.shape == (12, *batch)
    assert run.diverged.shape == run.diverged_at.shape == batch == run.batch_shape
    assert run.epochs == 12
    if batch == ():
        assert isinstance(run.final, float) and isinstance(run.final_f, float)
    else:
        assert run.final.shape == batch
    _single_runs_agree(run, gd.functions.sin_gauss, x0, lr, 12)


@pytest.mark.parametrize(("x0_shape", "lr_shape", "batch"), [
    ((2,), (), ()),
    ((1, 2), (), (1,)),
    ((4, 2), (), (4,)),
    ((3, 4, 2), (), (3, 4)),
    ((3, 4, 2), (4,), (3, 4)),
    ((3, 4, 2), (3, 1), (3, 4)),
    ((4, 2), (2, 1), (2, 4)),
    ((2,), (3,), (3,)),
])
def test_shapes_for_a_2d_objective(x0_shape, lr_shape, batch, rng):
    x0 = rng.uniform(-2, 2, size=x0_shape)
    lr = rng.uniform(0.005, 0.03, size=lr_shape)
    run = gd.descend(gd.functions.peaks, x0, lr=lr, epochs=10, optimizer="momentum")
    assert run.x.shape == run.grad.shape == (11, *batch, 2)
    assert run.f.shape == (11, *batch) and run.lr.shape == (10, *batch)
    assert run.diverged.shape == batch and run.grad_norm.shape == (11, *batch)
    assert np.shape(run.final) == (*batch, 2)
    _single_runs_agree(run, gd.functions.peaks, x0, lr, 10, optimizer="momentum")


def test_rates_that_do_not_broadcast_are_refused():
    with pytest.raises(ValueError, match="^lr: .*broadcast"):
        gd.descend(Q, np.zeros(2), lr=[0.1, 0.2, 0.3], epochs=3)
    with pytest.raises(ValueError, match="^lr: "):
        gd.descend(gd.functions.peaks, np.zeros((4, 2)), lr=np.full(3, 0.1), epochs=3)


def test_zero_epochs_and_inputs_left_untouched():
    run = gd.descend(Q, 0.3, lr=0.1, epochs=0)
    assert run.x.shape == (1,) and run.lr.shape == (0,) and run.final == 0.3
    start = np.array([[0.1, 0.2], [0.3, 0.4]])
    before = start.copy()
    rates = np.array([0.01, 0.02])
    run = gd.descend(gd.functions.peaks, start, lr=rates, epochs=5)
    np.testing.assert_array_equal(start, before)
    np.testing.assert_array_equal(rates, [0.01, 0.02])
    np.testing.assert_array_equal(run.x[0], before)


def test_the_record_is_consistent_with_the_objective(rng):
    peaks = gd.functions.peaks
    run = gd.descend(peaks, rng.uniform(-2, 2, size=(5, 2)), lr=0.02, epochs=30, optimizer="adam")
    x, y = run.x[..., 0], run.x[..., 1]
    reference = (3 * (1 - x) ** 2 * np.exp(-x**2 - (y + 1) ** 2) - 10 * (x / 5 - x**3 - y**5) * np.exp(-x**2 - y**2)
                 - np.exp(-((x + 1) ** 2) - y**2) / 3)
    np.testing.assert_allclose(run.f, reference, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(run.grad, peaks.grad(run.x), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(run.grad_norm, np.sqrt((run.grad**2).sum(axis=-1)), rtol=1e-14)


def test_steps_to_tolerance():
    run = gd.descend(Q, np.array([-1.5, 0.5, 2.0]), lr=0.05, epochs=100)
    # f - f* = 3 (x - x*)^2 = 3 * 0.7^(2t) (x0 - x*)^2 <= 1e-6
    expected = [math.ceil(math.log(1e-6 / (3 * d * d)) / (2 * math.log(0.7))) for d in (-2.0, 1.5)]
    np.testing.assert_array_equal(run.steps_to(1e-6), [expected[0], 0, expected[1]])
    np.testing.assert_array_equal(run.steps_to(1e-6, target=3.25), run.steps_to(1e-6))
    assert gd.descend(Q, -1.5, lr=1e-4, epochs=10).steps_to(1e-6) == -1
    with pytest.raises(ValueError, match="^target: "):
        gd.descend(gd.functions.saddle, [1.0, 0.0], lr=0.1, epochs=3).steps_to(1e-3)


def test_trajectory_repr():
    text = repr(gd.descend(Q, [0.0, 1.0], lr=[0.1, 1.0], epochs=50))
    assert "3x² - 3x + 4" in text and "50 epochs" in text and "1 diverged" in text


# --------------------------------------------------------------------------- the two paths


OPTIMIZER_NAMES = ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "nadam", "lion"]
SCHEDULES = {
    "none": lambda: None,
    "constant": sch.constant,
    "step_decay": lambda: sch.step_decay(0.5, 7),
    "exponential": lambda: sch.exponential(0.97),
    "linear": sch.linear,
    "cosine": lambda: sch.cosine(0.1),
    "warmup": lambda: sch.warmup(5, then=sch.cosine()),
    "gradient_scaled": sch.gradient_scaled,
}
LEAN_CASES = {  # objective, start, lr (gradient-scaled runs take a tenth)
    "peaks": (gd.functions.peaks, [0.5, -0.5], 0.02),
    "sin_gauss": (gd.functions.sin_gauss, 0.7, 0.2),
}


def _compare_paths(objective, x0, lr, **kwargs):
    x0 = np.asarray(x0, dtype=float)
    lean = gd.descend(objective, x0, lr=lr, **kwargs)  # batch shape (): the lean path
    batch = gd.descend(objective, x0[None], lr=lr, **kwargs)  # batch shape (1,): the vectorised path
    assert lean.batch_shape == () and batch.batch_shape == (1,)
    for name in ("x", "grad", "f", "lr"):
        a, b = getattr(batch, name)[:, 0], getattr(lean, name)
        # relative to the run's scale: a gradient of 1e-4 near a minimum is a difference of O(1) terms
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12 * np.abs(b).max(initial=0.0), err_msg=name)
    assert batch.diverged_at[0] == lean.diverged_at and batch.diverged[0] == lean.diverged
    return lean


@pytest.mark.parametrize("case", list(LEAN_CASES))
@pytest.mark.parametrize("schedule", list(SCHEDULES))
@pytest.mark.parametrize("method", OPTIMIZER_NAMES)
def test_lean_path_equals_batch_path(method, schedule, case):
    objective, x0, lr = LEAN_CASES[case]
    if schedule == "gradient_scaled":
        lr /= 10
    if method in ("rmsprop", "lion"):  # their near-constant step length makes large rates bounce around
        lr /= 10
    run = _compare_paths(objective, x0, lr, epochs=80, optimizer=method, schedule=SCHEDULES[schedule]())
    assert not run.diverged


@pytest.mark.parametrize("clip", [0.5, 3.0])
@pytest.mark.parametrize("method", OPTIMIZER_NAMES)
def test_lean_path_equals_batch_path_with_clipping(method, clip):
    _compare_paths(gd.functions.rosenbrock, [-1.2, 1.0], 1e-3, epochs=60, optimizer=method, clip=clip)
    _compare_paths(gd.functions.cliff, 1.0, 0.05, epochs=60, optimizer=method, clip=clip)


@pytest.mark.parametrize(("objective", "x0", "lr", "method"), DIVERGING)
def test_lean_path_equals_batch_path_when_diverging(objective, x0, lr, method):
    with strict():
        run = _compare_paths(objective, x0, lr, epochs=200, optimizer=method)
    assert run.diverged


# --------------------------------------------------------------------------- sweep


def test_sweep_axes_are_starts_then_rates_then_epochs():
    starts = np.linspace(-2, 2, 5)
    rates = np.array([0.01, 0.05, 0.1, 0.3])
    epochs = [3, 40, 10]
    result = gd.sweep(Q, starts, lr=rates, epochs=epochs)
    assert result.x.shape == result.f.shape == result.diverged.shape == (5, 4, 3)
    assert result.dims == ("x0", "lr", "epochs")
    np.testing.assert_array_equal(result.epochs, epochs)
    for i, x0 in enumerate(starts):
        for j, lr in enumerate(rates):
            for k, e in enumerate(epochs):
                assert result.x[i, j, k] == pytest.approx(closed_form(x0, lr, e)[-1], rel=1e-12, abs=1e-14)
    np.testing.assert_allclose(result.f, 3 * result.x**2 - 3 * result.x + 4, rtol=1e-14)


def test_sweep_over_a_2d_grid_of_starts():
    peaks = gd.functions.peaks
    starts = np.stack(np.meshgrid(np.linspace(-1, 1, 3), np.linspace(-1, 1, 2), indexing="ij"), axis=-1)
    result = gd.sweep(peaks, starts, lr=[0.01, 0.02], epochs=[5, 20])
    assert result.dims == ("x0", "x0", "lr", "epochs")
    assert result.x.shape == (3, 2, 2, 2, 2) and result.f.shape == result.diverged.shape == (3, 2, 2, 2)
    for i, j, r, e in np.ndindex(3, 2, 2, 2):
        alone = gd.descend(peaks, starts[i, j], lr=[0.01, 0.02][r], epochs=[5, 20][e])
        np.testing.assert_allclose(result.x[i, j, r, e], alone.final, rtol=1e-12)
        assert result.f[i, j, r, e] == pytest.approx(alone.final_f, rel=1e-12)


@pytest.mark.parametrize(("x0", "lr", "epochs", "shape", "dims"), [
    (0.0, 0.1, 10, (), ()),
    (0.0, [0.1, 0.2], 10, (2,), ("lr",)),
    (0.0, 0.1, [10], (1,), ("epochs",)),
    ([0.0, 1.0, 2.0], np.full((2, 4), 0.1), 10, (3, 2, 4), ("x0", "lr", "lr")),
    (np.zeros((2, 3)), 0.1, [1, 2], (2, 3, 2), ("x0", "x0", "epochs")),
    (np.zeros((2, 3)), [0.1], np.array([4, 1, 2]), (2, 3, 1, 3), ("x0", "x0", "lr", "epochs")),
])
def test_sweep_shapes_1d(x0, lr, epochs, shape, dims):
    result = gd.sweep(gd.functions.sin_gauss, x0, lr=lr, epochs=epochs)
    assert result.x.shape == result.f.shape == result.diverged.shape == shape
    assert result.dims == dims


@pytest.mark.parametrize(("x0_shape", "lr", "epochs", "shape"), [
    ((2,), 0.01, 10, ()),
    ((2,), [0.01, 0.02], 10, (2,)),
    ((4, 2), 0.01, [3, 6], (4, 2)),
    ((3, 4, 2), [0.01, 0.02, 0.03], 10, (3, 4, 3)),
])
def test_sweep_shapes_2d(x0_shape, lr, epochs, shape):
    result = gd.sweep(gd.functions.ravine, np.ones(x0_shape), lr=lr, epochs=epochs)
    assert result.x.shape == (*shape, 2) and result.f.shape == shape


def test_sweep_epochs_in_any_order_with_repeats_and_zero():
    result = gd.sweep(Q, 1.5, lr=0.05, epochs=[30, 0, 10, 30])
    np.testing.assert_allclose(result.x, [closed_form(1.5, 0.05, e)[-1] for e in (30, 0, 10, 30)], rtol=1e-12)
    assert result.x[1] == 1.5


def test_sweep_flags_divergence_only_from_the_step_it_happened():
    lr = 0.34
    _, at = plain_gd_quadratic(1.5, lr, 5000)
    with strict():
        result = gd.sweep(Q, 1.5, lr=lr, epochs=[at - 1, at, at + 5])
    np.testing.assert_array_equal(result.diverged, [False, True, True])
    assert result.x[1] == result.x[2] == result.x[0]  # frozen at the last good position


def test_sweep_with_a_length_dependent_schedule():
    single = gd.sweep(Q, [0.0, 1.0], lr=0.1, epochs=25, schedule="linear")
    alone = gd.descend(Q, [0.0, 1.0], lr=0.1, epochs=25, schedule="linear")
    np.testing.assert_allclose(single.x, alone.final, rtol=1e-14)
    for schedule in ("linear", "cosine", sch.warmup(3, then="cosine")):
        with pytest.raises(ValueError, match="^schedule: .*length"):
            gd.sweep(Q, 0.0, lr=0.1, epochs=[10, 20], schedule=schedule)
    gd.sweep(Q, 0.0, lr=0.1, epochs=[10, 20], schedule=sch.warmup(3))  # length-free: fine


@pytest.mark.parametrize(("method", "schedule", "clip"), [
    ("gd", None, None), ("adam", None, None), ("nesterov", "gradient_scaled", None), ("rmsprop", "step_decay", 2.0),
])
def test_threaded_split_gives_identical_results(monkeypatch, method, schedule, clip):
    himmelblau = gd.functions.himmelblau
    starts = np.stack(np.meshgrid(np.linspace(-5, 5, 7), np.linspace(-5, 5, 5), indexing="ij"), axis=-1)
    rates = [0.001, 0.01, 0.05]  # the last one throws some runs out of the box
    kwargs = dict(lr=rates, epochs=[0, 7, 40], optimizer=method, schedule=schedule, clip=clip)

    monkeypatch.setattr(descent, "SPLIT_THRESHOLD", 10**9)
    whole = gd.sweep(himmelblau, starts, **kwargs)

    calls = []
    run_batch = descent._run_batch

    def spy(*args, **kw):
        calls.append(args[1].shape)
        return run_batch(*args, **kw)

    monkeypatch.setattr(descent, "SPLIT_THRESHOLD", 10)
    monkeypatch.setattr(descent, "_run_batch", spy)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)  # three uneven slabs, even on a one-core machine
    split = gd.sweep(himmelblau, starts, **kwargs)

    assert len(calls) == 3 and sum(shape[-1] for shape in calls) == 7 * 5 * 3
    for a, b in ((whole.x, split.x), (whole.f, split.f), (whole.diverged, split.diverged)):
        np.testing.assert_array_equal(a, b)
    if method == "gd":
        assert whole.diverged.any() and not whole.diverged.all()


# --------------------------------------------------------------------------- determinism


def test_same_inputs_give_identical_arrays():
    def experiment():
        rng = np.random.default_rng(7)
        starts = rng.uniform(-3, 3, size=(20, 2))
        rates = rng.uniform(0.001, 0.1, size=20)
        run = gd.descend(gd.functions.peaks, starts, lr=rates, epochs=100, optimizer="adam", schedule="cosine")
        grid = gd.sweep(gd.functions.peaks, starts, lr=[0.01, 0.2], epochs=[10, 50], optimizer="nesterov")
        single = gd.descend(gd.functions.peaks, starts[0], lr=0.02, epochs=100, schedule="gradient_scaled")
        return [run.x, run.f, run.grad, run.lr, run.diverged_at, grid.x, grid.f, grid.diverged, single.x, single.lr]

    for a, b in zip(experiment(), experiment(), strict=True):
        np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------- bad input


RUNNERS = {"descend": gd.descend, "sweep": gd.sweep}


@pytest.mark.parametrize("runner", list(RUNNERS))
@pytest.mark.parametrize("lr", [0, 0.0, -0.1, math.nan, math.inf, -math.inf, [0.1, 0.0], [0.1, math.nan], [],
                                np.array([[0.1, -1.0]])])
def test_bad_rates_are_value_errors(runner, lr):
    with pytest.raises(ValueError, match="^lr: "):
        RUNNERS[runner](Q, 0.0, lr=lr, epochs=3)


@pytest.mark.parametrize("runner", list(RUNNERS))
@pytest.mark.parametrize("lr", ["fast", "0.1", True, None, object(), 1j, [0.1, "0.2"], {"lr": 0.1}])
def test_rates_that_are_not_numbers_are_type_errors(runner, lr):
    with pytest.raises(TypeError, match="^lr: "):
        RUNNERS[runner](Q, 0.0, lr=lr, epochs=3)


@pytest.mark.parametrize("runner", list(RUNNERS))
@pytest.mark.parametrize(("epochs", "error"), [
    (-1, ValueError), (2.5, ValueError), (math.nan, ValueError), (math.inf, ValueError), (-0.5, ValueError),
    ("10", TypeError), (True, TypeError), (False, TypeError), (None, TypeError), (np.bool_(True), TypeError),
])
def test_bad_epochs_are_refused(runner, epochs, error):
    with pytest.raises(error, match="^epochs: "):
        RUNNERS[runner](Q, 0.0, lr=0.1, epochs=epochs)


@pytest.mark.parametrize(("epochs", "error"), [
    ([10, -1], ValueError), ([1.5], ValueError), ([[1, 2]], ValueError), ([], ValueError),
    (["10"], TypeError), ([True, 3], TypeError),
])
def test_bad_epoch_lists_in_sweep_are_refused(epochs, error):
    with pytest.raises(error, match="^epochs: "):
        gd.sweep(Q, 0.0, lr=0.1, epochs=epochs)


def test_whole_float_epochs_are_accepted():
    assert gd.descend(Q, 0.0, lr=0.1, epochs=5.0).epochs == 5
    assert gd.descend(Q, 0.0, lr=0.1, epochs=np.int64(5)).x.shape == (6,)


@pytest.mark.parametrize("runner", list(RUNNERS))
@pytest.mark.parametrize("x0", [1.0, [1.0, 2.0, 3.0], np.zeros((2, 3)), [[1.0, 2.0, 3.0]], np.zeros((4, 1))])
def test_starts_of_the_wrong_dimension_are_refused(runner, x0):
    with pytest.raises(ValueError, match=r"^x0: .*2 variables .*last axis of length 2"):
        RUNNERS[runner](gd.functions.rosenbrock, x0, lr=0.1, epochs=3)


@pytest.mark.parametrize("runner", list(RUNNERS))
@pytest.mark.parametrize(("x0", "error"), [
    (math.nan, ValueError), (math.inf, ValueError), (1e13, ValueError), ([0.0, math.nan], ValueError),
    ("abc", TypeError), ("1.0", TypeError), (None, TypeError), (True, TypeError), (object(), TypeError),
])
def test_bad_starts_are_refused(runner, x0, error):
    with pytest.raises(error, match="^x0: "):
        RUNNERS[runner](Q, x0, lr=0.1, epochs=3)


@pytest.mark.parametrize("runner", list(RUNNERS))
def test_unknown_names_list_the_valid_ones(runner):
    with pytest.raises(ValueError, match="^optimizer: ") as info:
        RUNNERS[runner](Q, 0.0, lr=0.1, epochs=3, optimizer="sgd")
    assert all(repr(name) in str(info.value) for name in opt.NAMES)
    with pytest.raises(ValueError, match="^schedule: ") as info:
        RUNNERS[runner](Q, 0.0, lr=0.1, epochs=3, schedule="one_cycle")
    assert all(repr(name) in str(info.value) for name in sch.NAMES)


@pytest.mark.parametrize("runner", list(RUNNERS))
@pytest.mark.parametrize(("clip", "error"), [
    (0, ValueError), (0.0, ValueError), (-1.0, ValueError), (math.nan, ValueError), (math.inf, ValueError),
    ([1.0, 2.0], TypeError), ("big", TypeError), (True, TypeError),
])
def test_bad_clip_is_refused(runner, clip, error):
    with pytest.raises(error, match="^clip: "):
        RUNNERS[runner](Q, 0.0, lr=0.1, epochs=3, clip=clip)


@pytest.mark.parametrize("runner", list(RUNNERS))
@pytest.mark.parametrize("objective", ["x**2", lambda x: x * x, None])
def test_objective_must_be_an_objective(runner, objective):
    with pytest.raises(TypeError, match="^objective: "):
        RUNNERS[runner](objective, 0.0, lr=0.1, epochs=3)


# --------------------------------------------------------------------------- optimizer state


def _adam_reference(grad, x0, lr, epochs, b1=0.9, b2=0.999, eps=1e-8):
    """Adam's m and v at every step, from the formula, one coordinate list at a time."""
    x, m, v = list(x0), [0.0] * len(x0), [0.0] * len(x0)
    ms, vs = [list(m)], [list(v)]
    for t in range(1, epochs + 1):
        g = grad(x)
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, g, strict=True)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, g, strict=True)]
        x = [xi - lr * (mi / (1 - b1**t)) / ((vi / (1 - b2**t)) ** 0.5 + eps)
             for xi, mi, vi in zip(x, m, v, strict=True)]
        ms.append(list(m))
        vs.append(list(v))
    return np.array(ms), np.array(vs)


@pytest.mark.parametrize("path", ["single", "batch"])
def test_keep_state_records_adam_moments_at_every_step(path):
    rosen_grad = lambda p: [-2 * (1 - p[0]) - 400 * p[0] * (p[1] - p[0] ** 2), 200 * (p[1] - p[0] ** 2)]  # noqa: E731
    m_ref, v_ref = _adam_reference(rosen_grad, (-1.2, 1.0), 0.01, 40)
    x0 = [-1.2, 1.0] if path == "single" else [[-1.2, 1.0], [-1.2, 1.0]]
    run = gd.descend(gd.functions.rosenbrock, x0, lr=0.01, epochs=40, optimizer="adam", keep_state=True)
    m, v = (run.state.m, run.state.v) if path == "single" else (run.state.m[:, 1], run.state.v[:, 1])
    assert m.shape == v.shape == (41, 2)
    np.testing.assert_allclose(m, m_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(v, v_ref, rtol=1e-10, atol=1e-12)
    np.testing.assert_array_equal(run.state.count, np.arange(41))


@pytest.mark.parametrize("x0", [2.0, [2.0, -1.0]])
def test_keep_state_momentum_velocity_is_the_step_taken(x0):
    run = gd.descend(gd.functions.quadratic, x0, lr=0.05, epochs=30, optimizer="momentum", keep_state=True)
    assert run.state.v.shape == run.x.shape
    np.testing.assert_allclose(run.state.v[1:], run.x[:-1] - run.x[1:], rtol=1e-12, atol=1e-15)  # x <- x - v
    assert np.all(run.state.v[0] == 0)


def test_keep_state_freezes_with_the_run_and_is_off_by_default():
    for x0 in (1.5, [1.5, -0.5]):
        run = gd.descend(gd.functions.quadratic, x0, lr=0.7, epochs=60, optimizer="momentum", keep_state=True)
        plain = gd.descend(gd.functions.quadratic, x0, lr=0.7, epochs=60, optimizer="momentum")
        assert plain.state is None
        np.testing.assert_array_equal(run.x, plain.x)  # recording does not change the run
        assert np.all(run.diverged)
        for k, v in zip(np.atleast_1d(run.diverged_at), run.state.v.reshape(61, -1).T, strict=True):
            assert np.all(v[k:] == v[k - 1]) and np.all(np.isfinite(v))  # frozen at the last good state
    assert gd.descend(gd.functions.quadratic, 1.5, keep_state=True).state == gd.optimizers.GDState()


# --------------------------------------------------------------------------- one divergence rule, every path


def _plain_loop(grad, value, x0, lr, epochs):
    """GD in Python floats, with numpy's real arithmetic: the first row whose x, f or gradient is bad."""
    x = x0
    for t in range(epochs + 1):
        with np.errstate(all="ignore"):
            g, f = float(grad(np.float64(x))), float(value(np.float64(x)))
        if not (abs(x) <= 1e12 and math.isfinite(g) and math.isfinite(f)):
            return t
        x = x - lr * g
    return -1


@pytest.mark.parametrize(("formula", "x0", "lr", "grad", "value"), [
    ("log(x)", 0.5, 1.0, lambda x: 1 / x, np.log),                    # f NaN below 0, gradient finite
    ("x**2.5", 1.0, 1.0, lambda x: 2.5 * x**1.5, lambda x: x**2.5),    # complex in Python floats, NaN in numpy
    ("sqrt(x) + x**2", 1.0, 5.0, lambda x: 0.5 / np.sqrt(x) + 2 * x, lambda x: np.sqrt(x) + x * x),
])
def test_every_path_flags_the_same_row(formula, x0, lr, grad, value):
    f = gd.Objective(formula)
    expected = _plain_loop(grad, value, x0, lr, 20)
    assert expected >= 1
    with strict():
        lean = gd.descend(f, x0, lr=lr, epochs=20)
        batch = gd.descend(f, [x0, x0], lr=[lr, lr / 1000], epochs=20)  # the second run stays in its domain
        estimated = gd.descend(f, x0, lr=lr, epochs=20, gradient=lambda x, t: f.grad(x))
        grid = gd.sweep(f, x0, lr=[lr, lr / 1000], epochs=[expected - 1, expected, 20])
    assert int(lean.diverged_at) == batch.diverged_at[0] == int(estimated.diverged_at) == expected
    assert batch.diverged_at[1] == -1 and not batch.diverged[1]
    for run in (lean, estimated):
        np.testing.assert_array_equal(run.x, np.r_[run.x[:expected], [run.x[expected - 1]] * (21 - expected)])
        assert np.all(np.isfinite(run.f)) and np.all(np.isfinite(run.grad))
        np.testing.assert_array_equal(run.lr[expected - 1:], 0.0)
    np.testing.assert_array_equal(lean.x, batch.x[:, 0])
    np.testing.assert_array_equal(lean.f, batch.f[:, 0])
    assert grid.diverged.tolist() == [[False, True, True], [False, False, False]]
    np.testing.assert_array_equal(grid.x[0], lean.x[[expected - 1, expected, 20]])
    np.testing.assert_array_equal(grid.f[0], lean.f[[expected - 1, expected, 20]])


def test_a_start_where_f_is_undefined_is_flagged_at_row_zero():
    with strict():
        run = gd.descend(gd.Objective("log(x)"), -1.0, lr=0.1, epochs=5)
        many = gd.descend(gd.Objective("log(x)"), [-1.0, 2.0], lr=0.1, epochs=5)
        grid = gd.sweep(gd.Objective("log(x)"), [-1.0, 2.0], lr=0.1, epochs=[0, 5])
    assert bool(run.diverged) and int(run.diverged_at) == 0
    np.testing.assert_array_equal(run.x, -1.0)
    np.testing.assert_array_equal(run.lr, 0.0)
    assert many.diverged_at.tolist() == [0, -1]
    x = [2.0]
    for _ in range(5):
        x.append(x[-1] - 0.1 / x[-1])
    np.testing.assert_allclose(many.x[:, 1], x, rtol=1e-15)
    assert grid.diverged.tolist() == [[True, True], [False, False]]


@pytest.mark.parametrize("method", [opt.AdaGrad(eps=0.0), opt.RMSprop(eps=0.0), opt.Adam(eps=0.0)])
def test_eps_zero_at_a_minimum_is_flagged_not_warned(method):
    with strict():
        for x0 in (0.5, [0.5, 0.5]):  # the quadratic's minimum: g = 0 makes 0 / 0
            run = gd.descend(Q, x0, lr=0.1, epochs=5, optimizer=method)
            assert np.all(run.diverged) and np.all(np.asarray(run.diverged_at) == 1)
            np.testing.assert_array_equal(run.x, 0.5)


# --------------------------------------------------------------------------- gradient estimates


class Bowl:
    """A Landscape without a formula: f = |x|^2 / 2 over P coordinates, value_columns only."""

    name = "bowl"

    def __init__(self, dim):
        self.dim = dim

    def value_columns(self, columns):
        c = np.asarray(columns)
        return 0.5 * np.sum(c * c, axis=0)

    def grad_columns(self, columns):
        raise AssertionError("grad_columns must not be called when an estimate is given")


@pytest.mark.parametrize("method", ["gd", "momentum", "nesterov", "adam", "rmsprop"])
@pytest.mark.parametrize("x0", [0.7, [0.7, -1.2], [[0.7, -1.2], [2.0, 0.1]]])
def test_an_exact_estimate_gives_the_exact_run(method, x0):
    f = gd.functions.quadratic
    exact = gd.descend(f, x0, lr=0.05, epochs=30, optimizer=method, schedule="cosine", clip=2.0)
    seen = []

    def gradient(x, t):
        seen.append((t, np.shape(x)))
        return f.grad(x)

    run = gd.descend(f, x0, lr=0.05, epochs=30, optimizer=method, schedule="cosine", clip=2.0, gradient=gradient)
    np.testing.assert_allclose(run.x, exact.x, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(run.f, exact.f, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(run.lr, exact.lr, rtol=1e-15)
    assert [t for t, _ in seen] == list(range(30))  # once per step, in order
    assert {s for _, s in seen} == {np.shape(x0) if f.dim > 1 else np.shape(x0)}
    if method != "nesterov":  # the record holds the estimates used, at the look-ahead point for Nesterov
        np.testing.assert_allclose(run.grad[:-1], exact.grad[:-1], rtol=1e-13, atol=1e-15)
    np.testing.assert_array_equal(run.grad[-1], run.grad[-2])


def test_an_estimate_with_its_loss_on_a_landscape_without_a_formula():
    P = 500
    bowl = Bowl(P)
    x0 = np.linspace(-1, 1, P)
    rng = np.random.default_rng(0)
    noise = rng.standard_normal((20, P))

    def gradient(theta, t):
        assert theta.shape == (P,)
        return theta + 0.1 * noise[t], 0.5 * theta @ theta + t  # a loss estimate that is visibly not f

    run = gd.descend(bowl, x0, lr=0.1, epochs=20, optimizer="momentum", gradient=gradient)
    v, x = np.zeros(P), x0.copy()
    for t in range(20):  # momentum by hand
        v = 0.9 * v + 0.1 * (x + 0.1 * noise[t])
        x = x - v
    np.testing.assert_allclose(run.final, x, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(run.f[:-1], [0.5 * p @ p + t for t, p in enumerate(run.x[:-1])], rtol=1e-12)
    assert run.f[-1] == pytest.approx(0.5 * x @ x)  # the last row: the landscape's own value
    np.testing.assert_allclose(run.grad[:-1], run.x[:-1] + 0.1 * noise, rtol=1e-12, atol=1e-14)


def test_estimates_that_blow_up_are_flagged_like_exact_ones():
    def gradient(x, t):
        return np.where(np.asarray(t) >= 3, np.array([np.inf, 1.0]), np.array([1.0, 1.0])) * np.ones_like(x)

    with strict():
        run = gd.descend(Q, [0.0, 0.0], lr=0.1, epochs=10, gradient=gradient)
        cplx = gd.descend(Q, 0.0, lr=0.1, epochs=10, gradient=lambda x, t: np.asarray(x + (1j if t == 4 else 0)))
    assert run.diverged_at.tolist() == [3, -1]
    np.testing.assert_array_equal(run.x[3:, 0], run.x[2, 0])
    assert int(cplx.diverged_at) == 4


@pytest.mark.parametrize(("gradient", "error", "match"), [
    (lambda x, t: np.zeros(3), ValueError, "^gradient: returned shape"),
    (lambda x, t: "steep", TypeError, "^gradient: expected arrays"),
    (lambda x, t: (x, x, x), TypeError, "^gradient: expected g or a pair"),
    ("grad", TypeError, "^gradient: expected None or a function"),
])
def test_bad_estimates_are_refused(gradient, error, match):
    with pytest.raises(error, match=match):
        gd.descend(Q, [0.0, 1.0], lr=0.1, epochs=2, gradient=gradient)


def test_a_landscape_without_values_needs_the_loss_estimate():
    class NoValues:
        dim, name = 2, "no values"

    with pytest.raises(ValueError, match="^gradient: .*pair"):
        gd.descend(NoValues(), [0.0, 1.0], lr=0.1, epochs=2, gradient=lambda x, t: x)
    run = gd.descend(NoValues(), [0.0, 1.0], lr=0.1, epochs=2, gradient=lambda x, t: (x, x @ x))
    np.testing.assert_allclose(run.f, [1.0, 0.81, 0.81])  # the last row repeats the last estimate
    with pytest.raises(TypeError, match="^objective: "):
        gd.descend(NoValues(), [0.0, 1.0], lr=0.1, epochs=2)


# --------------------------------------------------------------------------- work bounded before it starts


@pytest.mark.parametrize("call", [
    lambda: gd.descend(Q, 0.0, epochs=10**9),
    lambda: gd.descend(gd.functions.peaks, np.zeros((1000, 2)), epochs=10**6),
    lambda: gd.descend(Q, 0.0, epochs=10**8, keep_state=True, optimizer="adam"),
    lambda: gd.sweep(Q, 0.0, lr=np.linspace(0.01, 0.1, 10**5), epochs=list(range(0, 10**4, 2))),
])
def test_records_beyond_the_memory_budget_are_refused(call):
    with pytest.raises(ValueError, match="memory budget .*; ask for fewer"):
        call()


def test_sweeps_beyond_the_work_budget_are_refused_and_the_budgets_are_read_at_call_time(monkeypatch):
    with pytest.raises(ValueError, match="trajectory-steps .*; ask for fewer"):
        gd.sweep(Q, 0.0, lr=0.1, epochs=10**9)
    with pytest.raises(ValueError, match="trajectory-steps"):
        gd.sweep(Q, np.zeros(10**4), lr=np.linspace(0.01, 0.1, 100), epochs=10**5)
    monkeypatch.setattr(gd.descent._checks, "MEMORY_BUDGET", 10_000)
    with pytest.raises(ValueError, match="memory budget of 9.8 KiB"):
        gd.descend(Q, 0.0, epochs=1000)
    monkeypatch.setattr(gd.descent._checks, "WORK_BUDGET", 1002 * 50)
    with pytest.raises(ValueError, match="budget of 5.01e"):
        gd.sweep(Q, [0.0, 1.0], lr=0.1, epochs=51)
    assert gd.sweep(Q, [0.0, 1.0], lr=0.1, epochs=50).x.shape == (2,)


@pytest.mark.parametrize("runner", ["descend", "sweep"])
@pytest.mark.parametrize(("kwargs", "error", "argument"), [
    ({"x0": []}, ValueError, "x0"),
    ({"x0": np.zeros((0, 3))}, ValueError, "x0"),
    ({"x0": 10**400}, ValueError, "x0"),
    ({"x0": 1e308 * 10}, ValueError, "x0"),
    ({"epochs": 2.5}, ValueError, "epochs"),
    ({"epochs": "3"}, TypeError, "epochs"),
    ({"epochs": None}, TypeError, "epochs"),
    ({"lr": []}, ValueError, "lr"),
    ({"lr": 1j}, TypeError, "lr"),
])
def test_other_bad_input(runner, kwargs, error, argument):
    args = {"x0": 0.0, "lr": 0.1, "epochs": 3, **kwargs}
    with pytest.raises(error, match=f"^{argument}: "):
        RUNNERS[runner](Q, **args)


def test_newton_takes_the_vectorised_path_for_a_single_run():
    peaks = gd.functions.peaks
    newton = opt.Newton(peaks)
    single = gd.descend(peaks, [0.5, -0.5], lr=0.5, epochs=8, optimizer=newton)
    batch = gd.descend(peaks, [[0.5, -0.5]], lr=0.5, epochs=8, optimizer=newton)
    np.testing.assert_array_equal(single.x, batch.x[:, 0])
    x = np.array([0.5, -0.5])
    for _ in range(8):  # x <- x - lr H^-1 g, straight from the formula
        x = x - 0.5 * np.linalg.solve(peaks.hessian(x), peaks.grad(x))
    np.testing.assert_allclose(single.final, x, rtol=1e-10)


@pytest.mark.parametrize("runner", ["descend", "sweep"])
def test_newton_built_for_another_objective_is_refused(runner):
    # its steps would use the Hessian of the wrong function: an error naming the argument, not a wrong run
    newton = opt.Newton(gd.functions.peaks)
    with pytest.raises(ValueError, match=r"^optimizer: this Newton was built for 'peaks'.*Newton\(f\)"):
        RUNNERS[runner](gd.functions.rosenbrock, [0.5, -0.5], lr=0.5, epochs=3, optimizer=newton)
    # the same formula built twice is the same objective; the one it was built for, of course, too
    same = gd.Objective("x**2 + 3*y**2")
    run = RUNNERS[runner](gd.Objective("x**2 + 3*y**2"), [1.0, 1.0], lr=1.0, epochs=1, optimizer=opt.Newton(same))
    np.testing.assert_allclose(run.x[-1] if runner == "descend" else run.x, [0.0, 0.0], atol=1e-15)
    RUNNERS[runner](same, [1.0, 1.0], lr=1.0, epochs=1, optimizer=opt.Newton(same))


def test_keep_state_must_be_a_flag():
    with pytest.raises(TypeError, match="^keep_state: "):
        gd.descend(Q, 0.0, keep_state=1)


def test_a_landscape_with_value_and_gradient_in_one_pass_gives_the_same_run():
    peaks = gd.functions.peaks
    calls = []

    class Fused:
        dim, name = 2, "peaks, fused"

        def value_columns(self, columns):
            calls.append("value")
            return peaks.value_columns(columns)

        def grad_columns(self, columns):
            return peaks.grad_columns(columns)

        def value_grad_columns(self, columns):
            return peaks.value_columns(columns), peaks.grad_columns(columns)

    few = np.array([[0.5, -0.5], [1.0, 1.0], [-2.0, 0.3]])
    many = np.r_[few, np.random.default_rng(1).uniform(-3, 3, size=(descent.FUSED_MIN, 2))]
    for starts in (many, few):
        fused = gd.descend(Fused(), starts, lr=0.05, epochs=70, optimizer="nesterov")
        plain = gd.descend(peaks, starts, lr=0.05, epochs=70, optimizer="nesterov")
        for name in ("x", "f", "grad", "lr", "diverged_at"):
            np.testing.assert_array_equal(getattr(fused, name), getattr(plain, name))
        if starts is many:
            assert calls == []  # a large batch: f came with the gradient, never evaluated again
    assert calls  # a small batch computes f once a chunk, in fewer numpy calls
    starts = few
    grid = gd.sweep(Fused(), starts, lr=[0.05, 5.0], epochs=[10, 70])
    ref = gd.sweep(peaks, starts, lr=[0.05, 5.0], epochs=[10, 70])
    np.testing.assert_array_equal(grid.x, ref.x)
    np.testing.assert_array_equal(grid.diverged, ref.diverged)


@pytest.mark.parametrize("name", ["sin_gauss", "peaks", "rosenbrock", "himmelblau", "rastrigin", "cliff"])
def test_value_and_gradient_in_one_pass_are_the_same_floats(name):
    f = getattr(gd.functions, name)
    lo, hi = np.array(f.bounds).T
    points = np.random.default_rng(2).uniform(lo, hi, size=(500, f.dim))
    columns = list(points.T)
    value, grad = f.value_grad_columns(columns)
    np.testing.assert_array_equal(value, f.value_columns(columns))
    np.testing.assert_array_equal(grad, f.grad_columns(columns))
    # on plain floats (the lean path) the bare math gradient is the wrapped one, and both are numpy's
    # up to the last bits (math.sin and numpy's sin may round differently)
    for p, v, g in zip(points[:50], value, grad.T, strict=False):
        assert list(f.grad_float(*p)) == list(f.grad_float_raw(*p))
        np.testing.assert_allclose([f.value_float(*p), *f.grad_float(*p)], [v, *g], rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("epochs", range(10))
def test_a_single_plain_run_is_the_loop_from_the_formula(epochs):
    # gd_float takes four steps a pass: every remainder, against a loop with Rosenbrock's gradient by hand
    x, y, lr = -1.2, 1.0, 1e-3
    path = [(x, y)]
    for _ in range(epochs):
        x, y = x - lr * (2 * x - 2 - 400 * x * (y - x * x)), y - lr * 200 * (y - x * x)
        path.append((x, y))
    run = gd.descend(gd.functions.rosenbrock, [-1.2, 1.0], lr=lr, epochs=epochs)
    np.testing.assert_allclose(run.x, path, rtol=1e-14)
    # + - * only, grouped alike by both printers: the vectorised path gives the same floats
    batch = gd.descend(gd.functions.rosenbrock, [[-1.2, 1.0]], lr=lr, epochs=epochs)
    for name in ("x", "f", "grad", "lr"):
        np.testing.assert_array_equal(getattr(run, name), getattr(batch, name)[:, 0])


def test_which_path_a_run_takes(monkeypatch):
    taken = []
    lean, batch = descent.run_lean, descent._run_batch
    monkeypatch.setattr(descent, "run_lean", lambda *a, **k: taken.append("lean") or lean(*a, **k))
    monkeypatch.setattr(descent, "_run_batch", lambda *a, **k: taken.append("batch") or batch(*a, **k))
    peaks = gd.functions.peaks
    gd.descend(peaks, [0.5, -0.5], lr=0.01, epochs=5)                           # one run: plain floats
    gd.descend(peaks, [0.5, -0.5], lr=0.01, epochs=5, optimizer="adam", schedule="cosine", clip=1.0)
    gd.descend(peaks, [[0.5, -0.5]], lr=0.01, epochs=5)                         # a batch of one
    gd.descend(peaks, [0.5, -0.5], lr=0.01, epochs=5, optimizer=opt.Newton(peaks))  # not coordinate-wise
    gd.descend(peaks, [0.5, -0.5], lr=0.01, epochs=5, gradient=lambda x, t: peaks.grad(x))  # numpy over P
    assert taken == ["lean", "lean", "batch", "batch", "batch"]
