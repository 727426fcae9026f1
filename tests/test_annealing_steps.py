"""simulated_annealing's proposal scale: fixed, shrinking with the temperature, or adapting to ~30% acceptance.

Expected paths come from a plain loop written from the docstring's formulas (same random numbers
in the documented order: z, then u), not from the function under test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import gdviz as gd
from gdviz.search import simulated_annealing


def _loop(f, x0, epochs, T0, cooling, step, seed, rule, box=None):
    """Annealing written out from its formula, one run at a time over a batch of starts (rows)."""
    rng = np.random.default_rng(seed)
    x = np.array(x0, dtype=float)  # (runs, dim)
    runs, dim = x.shape
    scale = np.full(runs, float(step))
    fx = np.array([f(p) for p in x])
    path, used = [x.copy()], []
    for t in range(epochs):
        T = T0 * cooling**t
        z = rng.standard_normal((runs, dim))
        u = rng.uniform(size=runs)
        if rule == "temperature":
            scale = np.full(runs, step * math.sqrt(T / T0))
        used.append(scale.copy())
        taken = np.zeros(runs, dtype=bool)
        for i in range(runs):
            p = x[i] + scale[i] * z[i]
            inside = box is None or all(lo <= c <= hi for c, (lo, hi) in zip(p, box, strict=True))
            fp = f(p)
            if inside and (fp <= fx[i] or u[i] < math.exp(-(fp - fx[i]) / T)):
                x[i], fx[i], taken[i] = p, fp, True
        if rule == "adaptive":
            scale = np.array([min(step, s * math.exp(0.1 * ((1.0 if a else 0.0) - 0.3)))
                              for s, a in zip(scale, taken, strict=True)])
        path.append(x.copy())
    return np.array(path), np.array(used)


def _peaks_value(p):
    x, y = p
    return (3 * (1 - x) ** 2 * math.exp(-x**2 - (y + 1) ** 2) - 10 * (x / 5 - x**3 - y**5) * math.exp(-x**2 - y**2)
            - math.exp(-(x + 1) ** 2 - y**2) / 3)


@pytest.mark.parametrize("rule", ["fixed", "temperature", "adaptive"])
def test_each_rule_follows_a_loop_written_from_the_formula(rule):
    peaks = gd.functions.peaks
    starts = np.random.default_rng(5).uniform(-3, 3, size=(6, 2))
    box = [(-3.0, 3.0), (-3.0, 3.0)]
    run = simulated_annealing(peaks, starts, epochs=80, T0=2.0, cooling=0.93, step=0.8, seed=11, bounds=box,
                              step_rule=rule)
    path, used = _loop(_peaks_value, starts, 80, 2.0, 0.93, 0.8, 11, rule, box)
    np.testing.assert_allclose(run.x, path, rtol=0, atol=1e-12)
    np.testing.assert_allclose(run.steps, used, rtol=0, atol=1e-12)
    assert run.step_rule == rule


def test_one_dimensional_temperature_rule_matches_the_loop():
    sg = gd.functions.sin_gauss
    starts = np.array([4.3, -1.0, 2.0])
    run = simulated_annealing(sg, starts, epochs=50, T0=1.0, cooling=0.9, step=2.0, seed=3, bounds=sg.bounds,
                              step_rule="temperature")
    path, _ = _loop(lambda p: math.sin(p[0]) * math.exp(-0.05 * p[0] ** 2), starts[:, None], 50, 1.0, 0.9, 2.0, 3,
                    "temperature", [tuple(sg.bounds[0])])
    np.testing.assert_allclose(run.x, path[..., 0], rtol=0, atol=1e-12)


def test_the_temperature_rule_shrinks_like_the_root_of_T_and_fixed_keeps_the_step():
    run = simulated_annealing(gd.functions.quadratic, [0.0, 1.0], epochs=40, T0=3.0, cooling=0.8, step=0.5,
                              step_rule="temperature")
    expected = 0.5 * np.sqrt(0.8 ** np.arange(40))  # sqrt(T_t / T0)
    np.testing.assert_allclose(run.steps, np.repeat(expected[:, None], 2, axis=1), rtol=1e-12)
    fixed = simulated_annealing(gd.functions.quadratic, [0.0, 1.0], epochs=40, T0=3.0, cooling=0.8, step=0.5)
    assert fixed.step_rule == "fixed" and np.all(fixed.steps == 0.5)


def test_the_adaptive_rule_settles_near_thirty_percent_acceptance_and_never_exceeds_the_step():
    # a bowl at a constant temperature, from its bottom: a step of 5 is refused most of the time,
    # so the scale shrinks until about 30% of proposals are accepted
    bowl = gd.Objective("x**2 + y**2", bounds=[(-5, 5), (-5, 5)])
    run = simulated_annealing(bowl, np.zeros((400, 2)), epochs=600, T0=0.1, cooling=1.0, step=5.0, seed=2,
                              step_rule="adaptive")
    late = run.accepted[300:].mean()
    assert abs(late - 0.3) < 0.03
    assert run.steps.max() <= 5.0 and np.median(run.steps[-1]) < 1.0  # it shrank a lot
    fixed = simulated_annealing(bowl, np.zeros((400, 2)), epochs=600, T0=0.1, cooling=1.0, step=5.0, seed=2)
    assert fixed.accepted[300:].mean() < 0.05  # the fixed scale is refused almost always


def test_an_unknown_rule_is_refused_by_name():
    with pytest.raises(ValueError, match="step_rule"):
        simulated_annealing(gd.functions.quadratic, 0.0, step_rule="shrink")
    with pytest.raises(TypeError, match="step_rule"):
        simulated_annealing(gd.functions.quadratic, 0.0, step_rule=3)
