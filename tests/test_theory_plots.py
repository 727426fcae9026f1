"""Plots that show the theory of notebooks 01 and 02: the distance to x*, the per-direction
factors 1 - lr lambda_i near a minimum, basins with runs still on their way, a shaded surface.

Expected values come from plain loops, finite differences and closed forms, not from the code
under test.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgba

import gdviz as gd
from gdviz import plotting as P

QUAD = gd.functions.quadratic  # 3x^2 - 3x + 4: x* = 1/2, f'' = 6
PEAKS = gd.functions.peaks


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close("all")


def _loop(lr, x0, epochs):
    xs = [x0]
    for _ in range(epochs):
        xs.append(xs[-1] - lr * (6 * xs[-1] - 3))
    return np.array(xs)


def test_distance_history_is_abs_x_minus_x_star_and_a_straight_line_on_a_log_axis(ax):
    run = gd.descend(QUAD, 1.8, lr=0.01, epochs=100)
    (line,) = P.plot_history(run, what="dist", ax=ax, log=True)
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "|x - x*|"
    d = line.get_ydata()
    np.testing.assert_allclose(d, np.abs(_loop(0.01, 1.8, 100) - 0.5), rtol=1e-12)
    np.testing.assert_allclose(np.diff(np.log(d)), np.log(0.94), rtol=1e-9)  # slope log|1 - lr f''|
    with pytest.raises(ValueError, match="what"):
        P.plot_history(gd.descend(gd.Objective("x**2 + y**2"), [1.0, 1.0], lr=0.1, epochs=3), what="dist")
    uphill = gd.Objective("-(3*x**2 - 3*x + 4)")  # ascent on the quadratic: no known minimum, x_star given
    climb = gd.descend(uphill, 1.8, lr=0.01, epochs=20)
    (up,) = P.plot_history(climb, what="dist", ax=plt.figure().add_subplot(), log=True, x_star=0.5)
    np.testing.assert_allclose(np.diff(np.log(up.get_ydata())), np.log(1.06), rtol=1e-9)


def test_distance_history_in_2d_is_the_euclidean_distance(ax):
    run = gd.descend(PEAKS, [0.5, -1.0], lr=0.01, epochs=30)
    (line,) = P.plot_history(run, what="dist", ax=ax)
    best = np.array(PEAKS.global_minimum.x)
    np.testing.assert_allclose(line.get_ydata(), np.sqrt(((run.x - best) ** 2).sum(axis=1)))


def test_position_panel_marks_x_star_and_short_runs_get_a_dot_per_step(ax):
    short = gd.descend(QUAD, 1.8, lr=0.1, epochs=30)
    (line,) = P.plot_history(short, what="x", ax=ax)
    flat = [ln for ln in ax.get_lines() if ln is not line]
    assert any(np.allclose(ln.get_ydata(), 0.5) for ln in flat)  # x* = 1/2, not the origin
    assert not any(np.allclose(ln.get_ydata(), 0.0) for ln in flat)
    assert line.get_marker() == "o"
    (long_line,) = P.plot_history(gd.descend(QUAD, 1.8, lr=0.1, epochs=100), what="x",
                                  ax=plt.figure().add_subplot())
    assert long_line.get_marker() == "None"


def _fd_hessian(f, p, h=1e-4):
    p = np.asarray(p, dtype=float)
    H = np.zeros((2, 2))
    for i in range(2):
        for j in range(2):
            ei, ej = np.eye(2)[i] * h, np.eye(2)[j] * h
            H[i, j] = (f(p + ei + ej) - f(p + ei - ej) - f(p - ei + ej) + f(p - ei - ej)) / (4 * h * h)
    return H


def test_step_factors_are_one_minus_lr_times_the_hessian_eigenvalues():
    lam, q = P.step_factors(PEAKS, lr=0.05)
    expected = np.linalg.eigvalsh(_fd_hessian(PEAKS, PEAKS.global_minimum.x))
    np.testing.assert_allclose(lam, expected, rtol=1e-5)
    assert lam.round(1).tolist() == [17.9, 30.2]
    np.testing.assert_allclose(q, 1 - 0.05 * expected, rtol=1e-5)
    lam1, q1 = P.step_factors(QUAD, lr=0.2)
    assert lam1.tolist() == pytest.approx([6.0]) and q1.tolist() == pytest.approx([-0.2])
    with pytest.raises(ValueError, match="at"):
        P.step_factors(gd.Objective("x**2"), lr=0.1)


def test_the_edge_of_the_factors_is_where_runs_stop_converging():
    lam, _ = P.step_factors(PEAKS, lr=0.01)
    edge = 2 / lam.max()
    near = np.array(PEAKS.global_minimum.x) + [0.05, -0.05]
    below = gd.descend(PEAKS, near, lr=0.97 * edge, epochs=3000)
    above = gd.descend(PEAKS, near, lr=1.03 * edge, epochs=3000)
    assert np.linalg.norm(below.final - PEAKS.global_minimum.x) < 1e-6
    assert bool(above.diverged) or np.linalg.norm(above.final - PEAKS.global_minimum.x) > 1e-2


@pytest.mark.parametrize(("factor", "name"), [(0.99, "crawl"), (0.9, "crawl"), (0.5, "converge"), (0.0, "one step"),
                                              (-0.3, "bounce"), (-1.0, "edge"), (-1.1, "diverge"), (1.0, "no pull")])
def test_regime_names(factor, name):
    assert P.regime(factor) == name


def test_step_factor_bars_follow_the_rate(ax):
    drawn = P.plot_step_factors(PEAKS, lr=0.01, ax=ax)
    lam = np.linalg.eigvalsh(_fd_hessian(PEAKS, PEAKS.global_minimum.x))
    heights = [b.get_height() for b in drawn.bars.patches]
    np.testing.assert_allclose(heights, 1 - 0.01 * lam, rtol=1e-5)
    assert "converge" in drawn.title.get_text()
    blue = to_rgba(P.PALETTE[0])
    assert all(b.get_facecolor() == pytest.approx(blue) for b in drawn.bars.patches)
    P.update_step_factors(drawn, 0.05)  # between 1/lambda_max and 2/lambda_max: the steep direction zig-zags
    assert drawn.bars.patches[1].get_height() == pytest.approx(1 - 0.05 * lam[1], rel=1e-5)
    assert drawn.bars.patches[1].get_height() < 0 < drawn.bars.patches[0].get_height()
    assert "bounce" in drawn.title.get_text()
    P.update_step_factors(drawn, 0.08)  # beyond 2 / lambda_max
    assert drawn.bars.patches[1].get_facecolor() == pytest.approx(to_rgba(P.DIVERGED_COLOR))
    assert "no convergence" in drawn.title.get_text() and drawn.values[1].get_text() == f"{1 - 0.08 * lam[1]:.2f}"


def test_basins_split_the_grey_starts_into_on_the_way_and_left(ax):
    xs = np.linspace(-3, 3, 14)
    res = gd.sweep(PEAKS, x0=np.stack(np.meshgrid(xs, xs), axis=-1), lr=0.01, epochs=150)
    labels = res.basins()
    grey = labels == -1
    more = gd.sweep(PEAKS, x0=res.x, lr=0.01, epochs=3000).basins()
    way = grey & (more >= 0)
    assert way.any() and (grey & ~way).any()
    drawn = P.plot_basins(res, ax=ax, on_its_way=way)
    shown = np.asarray(drawn.image.get_array())
    np.testing.assert_array_equal(shown, np.where(way, -2, labels))
    texts = [t.get_text() for t in drawn.legend.get_texts()]
    assert "still on its way" in texts and "left for the plain / diverged" in texts
    rgba = drawn.image.to_rgba(shown)
    assert not np.allclose(rgba[shown == -2][0], rgba[shown == -1][0])
    with pytest.raises(ValueError, match="on_its_way"):
        P.plot_basins(res, ax=plt.figure().add_subplot(), on_its_way=way[:3])


def test_contour_lines_alone_are_the_levels_of_f(ax):
    drawn = P.plot_landscape(PEAKS, ax=ax, kind="lines", levels=[-3.0, 0.5], n=120)
    assert drawn.mappable is None and drawn.colorbar is None
    for level, segments in zip(drawn.lines.levels, drawn.lines.allsegs, strict=True):
        points = np.concatenate(segments)
        np.testing.assert_allclose(PEAKS(points), level, atol=0.05)  # every vertex lies on its level set


def test_shaded_surface_varies_brightness_within_one_height():
    ax = plt.figure().add_subplot(projection="3d")
    drawn = P.plot_surface(PEAKS, ax=ax, n=40)
    faces = drawn.surface.get_facecolor()
    assert faces.shape[0] == 39 * 39
    flat = plt.figure().add_subplot(projection="3d")
    plain = P.plot_surface(PEAKS, ax=flat, n=40, shade=False)
    plain.surface.set_array(plain.surface.get_array())  # colours by height only
    assert not np.allclose(faces[:, :3], plain.surface.to_rgba(plain.surface.get_array())[:, :3], atol=0.02)
