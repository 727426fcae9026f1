"""Learning-rate schedules: each factory against its formula written out, purity, composition."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

import gdviz as gd
from gdviz import schedules as sch

T = 40

FORMULAS = [
    # (schedule, the factor at step t of a run of `total` steps, written by hand)
    (sch.constant(), lambda t, total: 1.0),
    (sch.step_decay(factor=0.5, every=10), lambda t, total: 0.5 ** math.floor(t / 10)),
    (sch.step_decay(factor=0.3, every=3), lambda t, total: 0.3 ** math.floor(t / 3)),
    (sch.exponential(alpha=0.95), lambda t, total: 0.95**t),
    (sch.exponential(alpha=1.0), lambda t, total: 1.0),
    (sch.linear(), lambda t, total: 1 - (t + 1) / total),
    (sch.cosine(), lambda t, total: (1 + math.cos(math.pi * t / total)) / 2),
    (sch.cosine(final=0.2), lambda t, total: 0.2 + 0.8 * (1 + math.cos(math.pi * t / total)) / 2),
    (sch.warmup(steps=5), lambda t, total: (t + 1) / 5 if t < 5 else 1.0),
    (sch.warmup(steps=4, then=sch.exponential(0.9)), lambda t, total: (t + 1) / 4 if t < 4 else 0.9 ** (t - 4)),
    (sch.warmup(steps=6, then="cosine"),
     lambda t, total: (t + 1) / 6 if t < 6 else (1 + math.cos(math.pi * (t - 6) / (total - 6))) / 2),
    (sch.warmup(steps=3, then=sch.linear()), lambda t, total: (t + 1) / 3 if t < 3 else 1 - (t - 3 + 1) / (total - 3)),
]
IDS = [repr(s) for s, _ in FORMULAS]


@pytest.mark.parametrize(("schedule", "formula"), FORMULAS, ids=IDS)
@pytest.mark.parametrize("total", [T, 7])
def test_factor_matches_the_formula(schedule, formula, total):
    for t in range(total):
        assert schedule(t, total) == pytest.approx(formula(t, total), rel=1e-14, abs=1e-15), t


@pytest.mark.parametrize(("schedule", "formula"), FORMULAS, ids=IDS)
def test_rates_are_lr_times_the_factor(schedule, formula):
    rates = schedule.rates(0.3, T)
    assert isinstance(rates, np.ndarray) and rates.shape == (T,) and rates.dtype == float
    np.testing.assert_allclose(rates, [0.3 * formula(t, T) for t in range(T)], rtol=1e-14, atol=1e-16)


@pytest.mark.parametrize(("schedule", "formula"), FORMULAS, ids=IDS)
def test_schedules_are_pure(schedule, formula):
    first = [schedule(t, T) for t in range(T)]
    backwards = [schedule(t, T) for t in reversed(range(T))][::-1]
    again = [schedule(t, T) for t in range(T)]
    assert first == backwards == again
    np.testing.assert_array_equal(schedule.rates(0.1, T), schedule.rates(0.1, T))
    with pytest.raises(dataclasses.FrozenInstanceError):
        schedule.name = "changed"


@pytest.mark.parametrize(("schedule", "formula"), FORMULAS, ids=IDS)
def test_descend_uses_the_scheduled_rates(schedule, formula):
    run = gd.descend(gd.functions.quadratic, 1.5, lr=0.05, epochs=T, schedule=schedule)
    np.testing.assert_allclose(run.lr, [0.05 * formula(t, T) for t in range(T)], rtol=1e-14, atol=1e-17)
    # and the steps are x <- x - lr_t f'(x) with f'(x) = 6x - 3
    x = 1.5
    for t in range(T):
        x = x - 0.05 * formula(t, T) * (6 * x - 3)
        assert run.x[t + 1] == pytest.approx(x, rel=1e-13)


def test_length_dependence_is_declared():
    assert sch.linear().uses_total and sch.cosine().uses_total
    assert sch.warmup(then="cosine").uses_total and sch.warmup(then=sch.linear()).uses_total
    for schedule in (sch.constant(), sch.step_decay(), sch.exponential(), sch.warmup(), sch.gradient_scaled()):
        assert not schedule.uses_total


def test_warmup_composition_names_and_params():
    s = sch.warmup(steps=4, then=sch.step_decay(factor=0.5, every=2))
    assert s.name == "warmup+step_decay" and s.params == {"steps": 4, "factor": 0.5, "every": 2}
    # warm-up ramps to the full rate, then the inner schedule starts at its own step 0
    assert [s(t, 20) for t in range(9)] == [0.25, 0.5, 0.75, 1.0, 1.0, 1.0, 0.5, 0.5, 0.25]
    assert sch.warmup(steps=10)(0, 5) == 0.1  # a run shorter than the warm-up never reaches the full rate


def test_gradient_scaled_needs_and_uses_the_gradient():
    s = sch.gradient_scaled()
    assert s.uses_gradient
    assert s(3, 10, 2.5) == 2.5 and s(3, 10, 2.5) == s(3, 10, 2.5)
    np.testing.assert_array_equal(s(0, 10, np.array([0.5, 4.0])), [0.5, 4.0])
    with pytest.raises(ValueError, match="^grad_norm: "):
        s(0, 10)
    with pytest.raises(ValueError, match="^schedule: "):
        s.rates(0.1, 10)


def test_gradient_scaled_rates_in_a_run_1d():
    """lr_t = lr * |f'(x_t)| at the current point: x <- x - lr |g| g, written out by hand."""
    run = gd.descend(gd.functions.quadratic, -1.0, lr=0.01, epochs=30, schedule="gradient_scaled")
    x = -1.0
    for t in range(30):
        g = 6 * x - 3
        assert run.lr[t] == pytest.approx(0.01 * abs(g), rel=1e-13)
        x = x - 0.01 * abs(g) * g
        assert run.x[t + 1] == pytest.approx(x, rel=1e-13)


def test_gradient_scaled_rates_in_a_run_2d():
    run = gd.descend(gd.functions.ravine, [[2.0, 0.5], [-1.0, 0.1]], lr=0.0002, epochs=25, schedule="gradient_scaled")
    for k, (x, y) in enumerate([(2.0, 0.5), (-1.0, 0.1)]):
        for t in range(25):
            gx, gy = x, 100 * y
            rate = 0.0002 * math.hypot(gx, gy)
            assert run.lr[t, k] == pytest.approx(rate, rel=1e-13)
            x, y = x - rate * gx, y - rate * gy
            np.testing.assert_allclose(run.x[t + 1, k], (x, y), rtol=1e-12, atol=1e-14)
    assert not run.diverged.any()


def test_get_by_name_object_or_none():
    assert sch.get(None).name == "constant"
    s = sch.cosine(final=0.1)
    assert sch.get(s) is s
    for name in sch.NAMES:
        assert isinstance(sch.get(name), sch.Schedule)
        assert sch.get(name.upper()).name == sch.get(name).name
    assert set(sch.NAMES) >= {"constant", "step_decay", "exponential", "linear", "cosine", "warmup", "gradient_scaled"}


@pytest.mark.parametrize("bad", ["poly", "", 3, sch.cosine, ["cosine"]])
def test_unknown_schedule_lists_the_valid_names(bad):
    error = ValueError if isinstance(bad, str) else TypeError  # an unknown name, or not a name at all
    with pytest.raises(error, match="^schedule: ") as info:
        sch.get(bad)
    for name in sch.NAMES:
        assert repr(name) in str(info.value)
    with pytest.raises(error, match="^schedule: "):
        gd.descend(gd.functions.quadratic, 0.0, lr=0.1, epochs=3, schedule=bad)


@pytest.mark.parametrize(("factory", "argument", "values"), [
    (sch.step_decay, "factor", [0.0, 1.0, -0.5, 1.5, math.nan, math.inf]),
    (sch.step_decay, "every", [0, -1, 2.5, math.inf, math.nan]),
    (sch.exponential, "alpha", [0.0, -0.1, 1.01, math.nan]),
    (sch.cosine, "final", [-0.1, 1.0, 2.0, math.nan]),
    (sch.warmup, "steps", [0, -3, 1.5, math.nan]),
])
def test_parameters_out_of_range_are_refused(factory, argument, values):
    for value in values:
        with pytest.raises(ValueError, match=f"^{argument}: .*got"):
            factory(**{argument: value})


@pytest.mark.parametrize(("factory", "argument"), [(sch.step_decay, "factor"), (sch.step_decay, "every"),
                                                   (sch.exponential, "alpha"), (sch.cosine, "final"),
                                                   (sch.warmup, "steps")])
@pytest.mark.parametrize("value", ["0.5", None, [0.5], True])
def test_parameters_that_are_not_numbers_are_refused(factory, argument, value):
    with pytest.raises((TypeError, ValueError), match=f"^{argument}: "):
        factory(**{argument: value})


def test_warmup_cannot_be_followed_by_a_gradient_rule():
    with pytest.raises(ValueError, match="^then: "):
        sch.warmup(then=sch.gradient_scaled())
    with pytest.raises(ValueError, match="^then: "):
        sch.warmup(then="gradient_scaled")


def test_edges_of_the_ranges_are_accepted_and_whole_floats_are_whole():
    assert sch.cosine(final=0.0)(0, 10) == 1.0
    assert sch.exponential(alpha=1.0)(100, 200) == 1.0
    assert sch.step_decay(every=2.0).params["every"] == 2 and isinstance(sch.step_decay(every=2.0).params["every"], int)
    assert sch.warmup(steps=np.int64(3))(1, 10) == pytest.approx(2 / 3)


def test_repr_shows_the_parameters():
    assert repr(sch.step_decay(0.5, 10)) == "step_decay(factor=0.5, every=10)"
    assert repr(sch.constant()) == "constant()"
