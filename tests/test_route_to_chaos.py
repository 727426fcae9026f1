"""Gradient descent's route to chaos (notebook 04): a sweep that keeps a window of late steps,
the bifurcation diagram drawn from it, the cycle lengths read off it, and the zoom explorer.

References are written here from the formulas: plain descent x <- x - lr f'(x) in a Python
loop with f'(x) = e^{-x^2/20} (cos x - x sin x / 10) typed by hand, f'' by central differences,
the quadratic's closed form x* + (1 - lr f'')^t (x0 - x*).
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdviz as gd
from gdviz import _checks
from gdviz.plotting import cycle_length, plot_bifurcation, update_bifurcation
from gdviz.widgets.bifurcation import BifurcationView

SIN_GAUSS = gd.functions.sin_gauss
WINDOW = np.arange(2000, 2064)


def slope(x: float) -> float:
    """f'(x) of sin(x) exp(-0.05 x^2), by hand."""
    return math.exp(-0.05 * x * x) * (math.cos(x) - 0.1 * x * math.sin(x))


def late_loop(lr: float, steps: np.ndarray, x: float = 0.0) -> np.ndarray:
    """Positions at ``steps`` of x <- x - lr f'(x), a plain loop."""
    kept = []
    for t in range(int(steps[-1]) + 1):
        if t in steps:
            kept.append(x)
        x = x - lr * slope(x)
    return np.array(kept)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def curvature_at_minimum() -> float:
    x, h = SIN_GAUSS.global_minimum.x, 1e-5
    return (slope(x + h) - slope(x - h)) / (2 * h)


@pytest.mark.parametrize("lr", [1.5, 2.3, 2.8, 3.45])  # fixed point, 2-cycle, 4-cycle, 3-cycle: all stable
def test_a_window_of_late_steps_is_the_plain_loop_at_those_steps(lr):
    late = gd.sweep(SIN_GAUSS, 0.0, lr=[lr, 1.0], epochs=WINDOW)
    assert late.dims == ("lr", "epochs") and late.x.shape == (2, WINDOW.size)
    np.testing.assert_allclose(late.x[0], late_loop(lr, WINDOW), rtol=0, atol=1e-9)


def test_the_fixed_point_splits_into_a_two_cycle_at_the_edge():
    edge = 2 / curvature_at_minimum()
    assert abs(edge - 1.997) < 2e-3
    late = gd.sweep(SIN_GAUSS, 0.0, lr=[0.97 * edge, 1.03 * edge], epochs=WINDOW)
    below, above = late.x
    assert np.ptp(below) < 1e-9 and abs(below[0] - SIN_GAUSS.global_minimum.x) < 1e-9
    assert cycle_length(late).tolist() == [1, 2]
    # the 2-cycle straddles x*: one point on each side, the two alternating
    x_star = SIN_GAUSS.global_minimum.x
    assert np.all((above[::2] - x_star) * (above[1::2] - x_star) < 0)


def test_cycle_length_on_the_quadratic_with_its_closed_form():
    f = gd.functions.quadratic  # f'' = 6: the factor 1 - 6 lr is -1 at lr = 1/3
    steps = np.arange(50, 58)
    late = gd.sweep(f, 0.0, lr=[0.1, 1 / 3, 0.6], epochs=steps)  # 2.6^50 > 1e12: flagged
    # closed form: x_t = 1/2 + (1 - 6 lr)^t (0 - 1/2)
    np.testing.assert_allclose(late.x[1], 0.5 - 0.5 * (-1.0) ** steps, atol=1e-12)
    assert cycle_length(late).tolist() == [1, 2, -1]  # converges, bounces forever, diverges


def test_chaos_has_no_cycle_and_the_jump_lands_in_the_next_valley():
    late = gd.sweep(SIN_GAUSS, 0.0, lr=[3.9, 4.4], epochs=WINDOW)
    chaotic, jumped = late.x
    assert cycle_length(late).tolist() == [0, 1]
    assert len(np.unique(np.round(chaotic, 9))) == WINDOW.size  # 64 steps, 64 different places
    hill = SIN_GAUSS.maxima[1].x  # -4.31: the orbit must cross it to leave the deep valley
    assert np.all(chaotic > hill) and np.all(jumped < hill)
    assert abs(slope(jumped[0])) < 1e-9  # the next valley's bottom, outside the window


def test_cycle_length_refuses_what_is_not_a_window():
    with pytest.raises(ValueError, match="result"):
        cycle_length(gd.sweep(SIN_GAUSS, 0.0, lr=[1.0, 2.0], epochs=100))
    with pytest.raises(ValueError, match="consecutive"):
        cycle_length(gd.sweep(SIN_GAUSS, 0.0, lr=[1.0, 2.0], epochs=[10, 20, 30]))


def test_a_huge_window_is_refused_before_any_work(monkeypatch):
    monkeypatch.setattr(_checks, "MEMORY_BUDGET", 10**6)
    with pytest.raises(ValueError, match="memory budget"):
        gd.sweep(SIN_GAUSS, 0.0, lr=np.linspace(1, 4, 1000), epochs=np.arange(100, 200))


def test_plot_bifurcation_draws_one_dot_per_kept_step_and_the_edge():
    rates = np.linspace(1.5, 4.5, 50)
    late = gd.sweep(SIN_GAUSS, 0.0, lr=rates, epochs=np.arange(300, 310))
    drawn = plot_bifurcation(late)
    xs, ys = drawn.points.get_data()
    assert len(xs) == rates.size * 10 - 10 * int(late.diverged.any(axis=1).sum())
    np.testing.assert_allclose(np.sort(np.asarray(ys)), np.sort(late.x.ravel()))
    assert abs(drawn.edge.get_xdata()[0] - 2 / curvature_at_minimum()) < 1e-4
    other = gd.sweep(SIN_GAUSS, 0.0, lr=[2.3], epochs=np.arange(300, 310))
    update_bifurcation(drawn, other)
    assert set(np.round(drawn.points.get_xdata(), 9)) == {2.3}
    with pytest.raises(ValueError, match="result"):
        plot_bifurcation(gd.sweep(SIN_GAUSS, 0.0, lr=rates, epochs=100))


def test_the_zoom_explorer_names_the_cycle_and_refuses_bad_sliders_without_raising():
    view = BifurcationView(SIN_GAUSS, n=40, steps=(500, 532), centre=2.3, width=0.1)
    assert "2-cycle" in view.readout
    zoom = view.update(centre=2.8, width=0.02)
    assert zoom.lr.min() == pytest.approx(2.79) and zoom.lr.max() == pytest.approx(2.81)
    assert "4-cycle" in view.readout
    assert view.band.get_x() == pytest.approx(2.79) and view.band.get_width() == pytest.approx(0.02)
    assert view.update(centre=9.0, width=0.1) is None and "centre" in view.messages[0]
    assert view.png()[:4] == b"\x89PNG"
    with pytest.raises(TypeError, match="objective"):
        BifurcationView(gd.functions.peaks)
