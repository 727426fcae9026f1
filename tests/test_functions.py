"""The catalogue: formulas, gradients against finite differences, and the known critical points."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gdviz as gd

# Each catalogue entry written out again, independently, as plain numpy.


def _peaks(x, y):
    return (3 * (1 - x) ** 2 * np.exp(-x**2 - (y + 1) ** 2)
            - 10 * (x / 5 - x**3 - y**5) * np.exp(-x**2 - y**2)
            - np.exp(-((x + 1) ** 2) - y**2) / 3)


def _peaks_grad(x, y):
    """The peaks gradient derived by hand (product and chain rules, term by term)."""
    a, b, c = math.exp(-x * x - (y + 1) ** 2), math.exp(-x * x - y * y), math.exp(-((x + 1) ** 2) - y * y)
    inner = x / 5 - x**3 - y**5
    dx = (3 * (-2 * (1 - x) * a - 2 * x * (1 - x) ** 2 * a)
          - 10 * ((0.2 - 3 * x * x) * b - 2 * x * inner * b)
          + 2 * (x + 1) * c / 3)
    dy = (-6 * (y + 1) * (1 - x) ** 2 * a
          - 10 * (-5 * y**4 * b - 2 * y * inner * b)
          + 2 * y * c / 3)
    return dx, dy


REFERENCE = {
    "quadratic": lambda x: 3 * x**2 - 3 * x + 4,
    "parabola": lambda x: x**2 + 5,
    "squared_error": lambda w: (w - 3) ** 2,
    "sin_gauss": lambda x: np.sin(x) * np.exp(-0.05 * x**2),
    "plateau": lambda x: 1 - np.exp(-(x**2)),
    "cliff": lambda x: x**2 / 8 + 10 * (1 + np.tanh(15 * (x - 2))),
    "peaks": _peaks,
    "rosenbrock": lambda x, y: (1 - x) ** 2 + 100 * (y - x**2) ** 2,
    "himmelblau": lambda x, y: (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2,
    "saddle": lambda x, y: x**2 - y**2,
    "ravine": lambda x, y: (x**2 + 100 * y**2) / 2,
    "rastrigin": lambda x, y: 20 + x**2 - 10 * np.cos(2 * np.pi * x) + y**2 - 10 * np.cos(2 * np.pi * y),
}
NAMES = sorted(REFERENCE)
EXTREMA = [(name, kind, i) for name in NAMES for kind in ("minima", "maxima", "saddles")
           for i in range(len(getattr(gd.functions.catalogue[name], kind)))]


def reference_value(name, p):
    p = np.asarray(p, dtype=float)
    f = REFERENCE[name]
    return f(p) if gd.functions.catalogue[name].dim == 1 else f(*np.moveaxis(p, -1, 0))


def finite_difference_grad(name, p, h=1e-6):
    """Central differences of the independent reference, one coordinate at a time."""
    p = np.asarray(p, dtype=float)
    if gd.functions.catalogue[name].dim == 1:
        step = h * max(1.0, abs(float(p)))
        return (reference_value(name, p + step) - reference_value(name, p - step)) / (2 * step)
    grad = np.empty_like(p)
    for i in range(p.size):
        e = np.zeros_like(p)
        e[i] = h * max(1.0, abs(p[i]))
        grad[i] = (reference_value(name, p + e) - reference_value(name, p - e)) / (2 * e[i])
    return grad


def random_points(objective, rng, n=8):
    low, high = np.array(objective.bounds).T
    points = rng.uniform(low, high, size=(n, objective.dim))
    return points[:, 0] if objective.dim == 1 else points


# --------------------------------------------------------------------------- contents


def test_catalogue_holds_every_landscape_the_course_uses():
    assert set(gd.functions.catalogue) == set(REFERENCE)
    for name, objective in gd.functions.catalogue.items():
        assert isinstance(objective, gd.Objective)
        assert objective is getattr(gd.functions, name)
    dims = {name: f.dim for name, f in gd.functions.catalogue.items()}
    assert {n for n, d in dims.items() if d == 1} == {"quadratic", "parabola", "squared_error", "sin_gauss",
                                                      "plateau", "cliff"}


def test_windows_are_the_documented_ones():
    f = gd.functions
    assert f.quadratic.bounds == ((-2.0, 2.0),)
    assert f.sin_gauss.bounds == ((-2 * math.pi, 2 * math.pi),)
    assert f.peaks.bounds == ((-3.0, 3.0), (-3.0, 3.0))
    assert f.squared_error.variable_names == ("w",)


@pytest.mark.parametrize("name", NAMES)
def test_formula_matches_the_independent_reference(name, rng):
    objective = gd.functions.catalogue[name]
    points = random_points(objective, rng, n=16)
    np.testing.assert_allclose(objective(points), reference_value(name, points), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_sympy_gradient_matches_central_differences(name, rng):
    objective = gd.functions.catalogue[name]
    points = random_points(objective, rng)
    grads = objective.grad(points)
    for p, g in zip(points, grads, strict=True):
        fd = finite_difference_grad(name, p)
        scale = max(1.0, abs(float(reference_value(name, p))))
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-7 * scale, err_msg=f"{name} at {p}")
        lean = objective.grad_float(*np.atleast_1d(p))
        np.testing.assert_allclose(np.ravel(lean), np.ravel(g), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("name", NAMES)
def test_hessian_matches_differences_of_the_gradient(name, rng):
    objective = gd.functions.catalogue[name]
    for p in random_points(objective, rng, n=3):
        p = np.atleast_1d(p)
        h = 1e-5
        columns = []
        for i in range(objective.dim):
            e = np.zeros(objective.dim)
            e[i] = h
            up, down = (np.atleast_1d(objective.grad(q if objective.dim > 1 else q[0])) for q in (p + e, p - e))
            columns.append((up - down) / (2 * h))
        fd = np.array(columns).T
        hess = np.atleast_2d(objective.hessian(p if objective.dim > 1 else p[0]))
        np.testing.assert_allclose(hess, fd, rtol=1e-5, atol=1e-5 * max(1.0, np.abs(fd).max()))


def test_hand_derived_peaks_gradient_is_right(rng):
    """The oracle used by the basins test below checks out against finite differences too."""
    for x, y in rng.uniform(-3, 3, size=(6, 2)):
        np.testing.assert_allclose(_peaks_grad(x, y), finite_difference_grad("peaks", [x, y]), rtol=1e-6, atol=1e-8)


# --------------------------------------------------------------------------- critical points


@pytest.mark.parametrize(("name", "kind", "i"), EXTREMA)
def test_known_critical_points_are_critical(name, kind, i):
    objective = gd.functions.catalogue[name]
    point = getattr(objective, kind)[i]
    p = np.array(point.x, dtype=float)
    assert point.f == pytest.approx(float(reference_value(name, p)), abs=1e-12)
    assert np.all(np.abs(finite_difference_grad(name, p)) < 1e-7)
    assert np.all(np.abs(objective.grad(p)) < 1e-10)
    for (low, high), c in zip(objective.bounds, np.atleast_1d(p), strict=True):
        assert low < c < high
    eig = np.linalg.eigvalsh(np.atleast_2d(objective.hessian(p if objective.dim > 1 else float(p))))
    if kind == "minima":
        assert np.all(eig > 0)
    elif kind == "maxima":
        assert np.all(eig < 0)
    else:
        assert eig.min() < 0 < eig.max()


def test_peaks_extrema_are_the_curriculum_ones():
    peaks = gd.functions.peaks
    minima = [((0.228, -1.626), -6.551), ((-1.347, 0.205), -3.050), ((0.296, 0.320), -0.065)]
    maxima = [((-0.009, 1.581), 8.106), ((-0.460, -0.629), 3.777), ((1.286, -0.005), 3.592)]
    for listed, expected in ((peaks.minima, minima), (peaks.maxima, maxima)):
        assert len(listed) == 3
        for point, (xy, value) in zip(listed, expected, strict=True):
            np.testing.assert_allclose(point.x, xy, atol=1e-3)
            assert point.f == pytest.approx(value, abs=1e-3)
    assert peaks.global_minimum.x == peaks.minima[0].x and peaks.minima[0].kind == "global"


def test_other_known_values():
    f = gd.functions
    assert f.sin_gauss.global_minimum.x == pytest.approx(-1.43, abs=5e-3)
    assert f.quadratic.minima[0].x == 0.5 and f.quadratic.minima[0].f == 3.25
    assert f.parabola.minima[0].f == 5.0 and f.squared_error.minima[0].x == 3.0
    assert len(f.himmelblau.minima) == 4 and f.himmelblau.minima[0].x == (3.0, 2.0)
    assert f.saddle.saddles[0].x == (0.0, 0.0) and not f.saddle.minima


def test_plateau_and_cliff_have_vanishing_and_exploding_gradients():
    assert abs(gd.functions.plateau.grad(4.0)) < 1e-5
    assert abs(gd.functions.plateau.grad(0.7)) > 0.5
    assert gd.functions.cliff.grad(2.0) > 100
    assert abs(gd.functions.cliff.grad(-2.0)) < 1


MINIMA = [(name, i) for name, kind, i in EXTREMA if kind == "minima"]


@pytest.mark.parametrize(("name", "i"), MINIMA)
def test_descent_from_near_each_minimum_lands_on_it(name, i, rng):
    objective = gd.functions.catalogue[name]
    target = np.atleast_1d(np.array(objective.minima[i].x, dtype=float))
    eig = np.linalg.eigvalsh(np.atleast_2d(objective.hessian(target if objective.dim > 1 else target[0])))
    # rate 1/lambda_max; (1 - lambda_min/lambda_max)^epochs shrinks the offset by e^-12 at least
    lr, epochs = 1 / eig.max(), int(12 * eig.max() / eig.min()) + 10
    start = target + rng.normal(scale=0.01, size=objective.dim)
    run = gd.descend(objective, start if objective.dim > 1 else start[0], lr=lr, epochs=epochs)
    assert not run.diverged
    np.testing.assert_allclose(run.final, target if objective.dim > 1 else target[0], atol=1e-7)


def test_a_start_on_the_saddles_stable_axis_reaches_it_and_any_other_escapes():
    on_axis = gd.descend(gd.functions.saddle, [1.0, 0.0], lr=0.1, epochs=200)
    np.testing.assert_allclose(on_axis.final, [0.0, 0.0], atol=1e-15)
    off_axis = gd.descend(gd.functions.saddle, [1.0, 1e-6], lr=0.1, epochs=200)
    assert abs(off_axis.final[1]) > 1.0  # the y coordinate grows by 1.2 each step


def test_peaks_basins_map_finds_exactly_the_three_minima(rng):
    peaks = gd.functions.peaks
    xs, ys = np.linspace(-1.3, 0.8, 24), np.linspace(-1.9, 0.7, 24)
    starts = np.stack(np.meshgrid(xs, ys, indexing="ij"), axis=-1)
    result = gd.sweep(peaks, starts, lr=0.04, epochs=600)
    labels = result.basins(tol=1e-6)
    assert labels.shape == (24, 24)
    assert set(np.unique(labels).tolist()) == {0, 1, 2}
    for k, minimum in enumerate(peaks.minima):
        np.testing.assert_allclose(result.x[labels == k], np.broadcast_to(minimum.x, result.x[labels == k].shape),
                                   atol=1e-6)

    # a few starts followed by a plain Python loop on the hand-derived gradient
    for i, j in rng.integers(0, 24, size=(6, 2)):
        x, y = starts[i, j]
        for _ in range(600):
            dx, dy = _peaks_grad(x, y)
            x, y = x - 0.04 * dx, y - 0.04 * dy
        nearest = np.argmin([math.dist((x, y), m.x) for m in peaks.minima])
        assert labels[i, j] == nearest
        np.testing.assert_allclose(result.x[i, j], (x, y), atol=1e-9)


def test_basins_label_far_or_diverged_runs_minus_one():
    peaks = gd.functions.peaks
    starts = np.array([[0.2, -1.6], [2.9, 2.9], [0.2, -1.6]])
    result = gd.sweep(peaks, starts, lr=[0.04, 5.0], epochs=300)  # lr 5 flings the runs away
    labels = result.basins()
    assert labels[0, 0] == 0 and labels[2, 0] == 0
    assert labels[1, 0] == -1  # the flat corner: nowhere near a minimum after 300 steps
    assert np.all(labels[result.diverged] == -1)
    with pytest.raises(ValueError, match="^objective: "):
        gd.sweep(gd.functions.saddle, [1.0, 0.5], lr=0.1, epochs=3).basins()


# --------------------------------------------------------------------------- built on first use


def _fresh_python(code: str) -> str:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.strip()


def test_import_builds_no_catalogue_entry_and_loads_no_plotting_library():
    out = _fresh_python(
        "import sys, gdviz as gd\n"
        "print(sorted(n for n in gd.functions.__all__ if n in vars(gd.functions) and n != 'catalogue'))\n"
        "print(sorted({'matplotlib', 'ipywidgets', 'IPython'} & set(sys.modules)))\n"
        "gd.functions.peaks\n"
        "print(sorted(n for n in gd.functions.__all__ if n in vars(gd.functions) and n != 'catalogue'))\n"
        "print(gd.plotting.__name__, gd.widgets.__name__)\n"
    )
    assert out.splitlines() == ["[]", "[]", "['peaks']", "gdviz.plotting gdviz.widgets"]


def test_an_entry_is_built_once_and_shared():
    first = gd.functions.rastrigin
    assert gd.functions.rastrigin is first and gd.functions.catalogue["rastrigin"] is first
    from gdviz.functions import rastrigin

    assert rastrigin is first
    # threads asking for an entry not built yet all get the same object
    out = _fresh_python(
        "import threading, gdviz as gd\n"
        "got = []\n"
        "threads = [threading.Thread(target=lambda: got.append(gd.functions.himmelblau)) for _ in range(8)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "print(len(got), len({id(g) for g in got}))\n"
    )
    assert out == "8 1"


def test_the_catalogue_lists_exactly_the_public_entries():
    names = set(gd.functions.__all__) - {"catalogue"}
    assert set(gd.functions.catalogue) == names and len(gd.functions.catalogue) == len(names)
    assert names <= set(dir(gd.functions))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        gd.functions.nope  # noqa: B018
    with pytest.raises(KeyError):
        gd.functions.catalogue["nope"]
    assert "peaks" in repr(gd.functions.catalogue)
