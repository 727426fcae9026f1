"""gdviz.kernels: the printed plain-GD loop on columns gives the general loop's floats, and runs where it should."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sympy as sp

import gdviz as gd
import gdviz.descent as descent
from gdviz import optimizers as opt
from gdviz import schedules as sch

X, Y = sp.symbols("x y", real=True)

FORMULAS = {
    "constant gradient": "2*x + y",                            # both components are numbers
    "named numbers": "pi*x*y + exp(2)*x",                     # pi and exp(2): numbers computed once
    "kinks": "abs(x) + sign(y)*y**2",
    "a domain": "sqrt(x) + x**2",                              # NaN left of 0: flagged, not raised
    "fractional power": "x**2.5 + y",
    "number to a power": "2**x",
    "a huge integer": "x*10**30 + x**2",
    "a quartic": "x**4 - 3*x**3 + 2",
    "nested": "tanh(3*x - 1)**2 + y",
    "poles": "log(x) + 1/y",
}
EXPRESSIONS = {  # sympy expressions print as numpy's select, maximum, ... (not ufuncs of floats)
    "max": sp.Max(X, 0) ** 2 + Y**2,
    "piecewise": sp.Piecewise((X**2, X > 0), (-X, True)),
    "heaviside": sp.Heaviside(X) * X**2,
}
DIVERGING = {"rosenbrock", "himmelblau", "formula:a domain", "formula:poles"}  # at the rates used below
CATALOGUE = ["quadratic", "parabola", "sin_gauss", "plateau", "cliff", "peaks", "rosenbrock", "himmelblau",
             "saddle", "ravine", "rastrigin"]


def objectives():
    cases = [pytest.param(name, id=name) for name in CATALOGUE]
    cases += [pytest.param(f"formula:{key}", id=key) for key in FORMULAS]
    cases += [pytest.param(f"expr:{key}", id=key) for key in EXPRESSIONS]
    return cases


def build(case: str) -> gd.Objective:
    if case.startswith("formula:"):
        return gd.Objective(FORMULAS[case.split(":", 1)[1]])
    if case.startswith("expr:"):
        return gd.Objective(EXPRESSIONS[case.split(":", 1)[1]])
    return getattr(gd.functions, case)


def starts(f: gd.Objective, n: int, seed: int = 0) -> np.ndarray:
    """``n`` starts in the engine's layout ``(dim, n)``: inside the bounds, and some far outside them."""
    rng = np.random.default_rng(seed)
    lo, hi = np.array(f.bounds, dtype=float).T
    inside = rng.uniform(lo, hi, size=(n - 3, f.dim))
    outside = np.array([lo - 5.0, hi * 40.0, np.zeros(f.dim)])  # some diverge, one starts at 0 (a kink, a pole)
    return np.ascontiguousarray(np.r_[inside, outside].T)


def assert_kernel_takes_the_general_steps(f, starts: np.ndarray, rates: np.ndarray, rows: int, label: str = "") -> None:
    """``f.gd_columns`` from ``starts`` (dim, n) = the loop written with ``f.grad_columns``, bit for bit."""
    xs, gs = np.full((rows, *starts.shape), -7.0), np.full((rows, *starts.shape), -7.0)
    xs[0] = starts
    with np.errstate(all="ignore"):
        after = f.gd_columns(xs, gs, rates)
        point = starts.copy()
        for t in range(rows):
            g = f.grad_columns(point)
            np.testing.assert_array_equal(xs[t], point, err_msg=f"{label}: x at row {t}")
            np.testing.assert_array_equal(gs[t], g, err_msg=f"{label}: gradient at row {t}")
            point = point - rates * g
    np.testing.assert_array_equal(np.array(after), point, err_msg=f"{label}: the next chunk's start")


@pytest.mark.parametrize("case", objectives())
def test_the_kernel_takes_the_general_loops_steps_exactly(case):
    f = build(case)
    x = starts(f, 23)
    assert_kernel_takes_the_general_steps(f, x, np.geomspace(1e-3, 0.5, 23), 40, case)
    with np.errstate(all="ignore"):  # (the comparison is not all NaN)
        assert np.isfinite(x - 1e-3 * f.grad_columns(x)).any()


def test_numbers_are_folded_once_and_the_loop_computes_what_python_would():
    # -1/20, 2*pi and exp(2) are numbers: the kernel computes them when it is built; the result must
    # still be the float the printed expression gives, operation by operation
    f = gd.Objective("exp(-x**2/20) + 2*pi*x + exp(2)*x**2")
    x = np.linspace(-3, 3, 11)[None]
    xs, gs = np.zeros((2, 1, 11)), np.zeros((2, 1, 11))
    xs[0] = x
    f.gd_columns(xs, gs, np.full(11, 0.1))
    expected = -x / 10 * np.exp(-x**2 / 20) + 2 * np.pi + 2 * np.exp(2) * x
    np.testing.assert_allclose(gs[0], expected, rtol=1e-14)
    np.testing.assert_array_equal(gs[0], f.grad_columns(x))


class WithoutKernel:
    """An objective's landscape without ``gd_columns``: the engine then runs its general loop."""

    def __init__(self, f: gd.Objective):
        self.f = f
        self.dim, self.name, self.variable_names = f.dim, f.name, f.variable_names

    def value_columns(self, columns):
        return self.f.value_columns(columns)

    def grad_columns(self, columns):
        return self.f.grad_columns(columns)


@pytest.mark.parametrize("epochs", [0, 1, 2, 63, 64, 65, 200])
@pytest.mark.parametrize("case", ["sin_gauss", "peaks", "rosenbrock", "formula:a domain", "formula:poles"])
def test_descend_on_a_small_batch_is_the_general_loop(case, epochs):
    f = build(case)
    x0 = starts(f, 17, seed=3).T
    x0 = x0[:, 0] if f.dim == 1 else x0
    rates = np.geomspace(1e-3, 0.8, 17)
    fast = gd.descend(f, x0, lr=rates, epochs=epochs)
    general = gd.descend(WithoutKernel(f), x0, lr=rates, epochs=epochs)
    for name in ("x", "f", "grad", "lr", "diverged", "diverged_at"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(general, name), err_msg=name)
    if epochs == 200 and case in DIVERGING:
        assert fast.diverged.any() and not fast.diverged.all()  # both kinds of run were compared


@pytest.mark.parametrize("case", ["sin_gauss", "peaks", "himmelblau", "rosenbrock", "formula:poles"])
def test_sweep_on_a_small_grid_is_the_general_loop(case):
    f = build(case)
    x0 = starts(f, 6, seed=4).T
    x0 = x0[:, 0] if f.dim == 1 else x0
    rates, counts = np.linspace(1e-4, 1.5, 9), [0, 3, 64, 65, 130, 300]
    fast = gd.sweep(f, x0, lr=rates, epochs=counts)
    general = gd.sweep(WithoutKernel(f), x0, lr=rates, epochs=counts)
    for name in ("x", "f", "diverged"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(general, name), err_msg=name)
    if case in DIVERGING:
        assert fast.diverged.any() and not fast.diverged.all()


def test_the_sweep_benchmarks_grid_matches_the_nested_loops_of_the_formula():
    # lr (50) x epochs (40) on sin-gauss, the grid of benchmark 2, against the derivative written by hand
    rates, counts = np.linspace(1e-10, 0.1, 50), np.linspace(10, 500, 40).astype(int)
    grid = gd.sweep(gd.functions.sin_gauss, x0=0.0, lr=rates, epochs=counts)
    expected = np.empty((50, 40))
    for i, lr in enumerate(rates):
        x, t = 0.0, 0
        for j, e in enumerate(counts):
            while t < e:
                x -= lr * (np.cos(x) - x * np.sin(x) / 10) * np.exp(-x * x / 20)
                t += 1
            expected[i, j] = x
    np.testing.assert_allclose(grid.x, expected, rtol=1e-13, atol=1e-15)


def test_which_runs_take_the_kernel(monkeypatch):
    taken = []
    plain = descent._run_plain
    monkeypatch.setattr(descent, "_run_plain", lambda *a, **k: taken.append(a[1].shape[1]) or plain(*a, **k))
    peaks, starts2 = gd.functions.peaks, np.zeros((5, 2)) + 0.5
    gd.descend(peaks, starts2, lr=0.01, epochs=5)                                   # yes
    gd.sweep(peaks, starts2, lr=[0.01, 0.02], epochs=[3, 5])                        # yes: 10 runs
    gd.descend(peaks, starts2, lr=0.01, epochs=5, schedule="constant")             # yes: a constant rate
    assert taken == [5, 10, 5]
    taken.clear()
    gd.descend(peaks, [0.5, 0.5], lr=0.01, epochs=5)                               # one run: the lean path
    gd.descend(peaks, starts2, lr=0.01, epochs=5, optimizer="momentum")
    gd.descend(peaks, starts2, lr=0.01, epochs=5, optimizer=opt.Momentum(0.0))     # the same steps, not GD
    gd.descend(peaks, starts2, lr=0.01, epochs=5, schedule=sch.cosine())
    gd.descend(peaks, starts2, lr=0.01, epochs=5, clip=1.0)
    gd.descend(peaks, starts2, lr=0.01, epochs=5, keep_state=True)
    gd.descend(peaks, starts2, lr=0.01, epochs=5, gradient=lambda p, t: np.ones_like(p))
    gd.descend(peaks, np.zeros((descent.FUSED_MIN, 2)), lr=0.01, epochs=2)        # large: fused f and g
    assert taken == []


def test_a_gd_impostor_does_not_take_the_kernel(monkeypatch):
    # an optimizer named GD whose update is not x - lr * g must run its own update
    taken = []
    plain = descent._run_plain
    monkeypatch.setattr(descent, "_run_plain", lambda *a, **k: taken.append(1) or plain(*a, **k))
    twice = opt.Optimizer("GD", lambda x: opt.GDState(), lambda x, g, s, lr: (x - 2 * lr * g, s),
                          lambda x, s: x, {})
    run = gd.descend(gd.functions.quadratic, [1.0, 2.0], lr=0.01, epochs=3, optimizer=twice)
    assert taken == []
    x = np.array([1.0, 2.0])
    for _ in range(3):
        x = x - 2 * 0.01 * (6 * x - 3)
    np.testing.assert_allclose(run.x[-1], x, rtol=1e-14)


@pytest.mark.parametrize("formula", ["3*x**7 - 2*x + 5", "x*2**60 + x**2", "x*(2**53 + 1) - x**2", "400*x*(y - x**2)"])
def test_integers_printed_as_floats_on_the_lean_path_keep_their_values(formula):
    # the math printer writes 400.0 for 400 (float arithmetic takes Python's fast path) but keeps
    # integers a float cannot hold exactly; either way the lean gradient is the vectorised one
    f = gd.Objective(formula)
    points = np.random.default_rng(5).uniform(-2, 2, size=(20, f.dim))
    vectorised = f.grad_columns(points.T)
    for point, g in zip(points, vectorised.T, strict=True):
        np.testing.assert_allclose(f.grad_float(*point), g, rtol=1e-15, atol=0)
    lean = gd.descend(f, points[0], lr=1e-4, epochs=30)
    batch = gd.descend(f, points[:1], lr=1e-4, epochs=30)
    np.testing.assert_allclose(lean.x, batch.x[:, 0], rtol=1e-14)


def test_a_number_that_overflows_is_computed_without_a_warning_and_the_runs_are_flagged():
    # exp(800) is a number of the printed gradient: computed once when the kernel is built, inf as in
    # the general loop, and quietly (the build must not print numpy's overflow warning)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = gd.Objective(X * sp.exp(800) + X**2)
        fast = gd.descend(f, [0.5, 1.0], lr=0.01, epochs=3)
        general = gd.descend(WithoutKernel(f), [0.5, 1.0], lr=0.01, epochs=3)
    assert fast.diverged.all()
    for name in ("x", "f", "grad", "diverged_at"):
        np.testing.assert_array_equal(getattr(fast, name), getattr(general, name), err_msg=name)
