"""Figures of notebooks 03 and 04 that must show their claim: the staircase without risers, the
heat map of the distance to the minimum with its contours and the budget curves lr x epochs = c,
histories on the gradient flow's clock, the sweep explorer repeating the notebook's figure.

Expected values come from plain loops of x <- x - lr f'(x) with f' typed by hand, and from the
formulas of the schedules.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdviz as gd
from gdviz.widgets.sweep import SweepView

F = gd.functions.sin_gauss
X_STAR = F.global_minimum.x


def slope(x: float) -> float:
    """f'(x) of sin(x) exp(-0.05 x^2), by hand."""
    return math.exp(-0.05 * x * x) * (math.cos(x) - 0.1 * x * math.sin(x))


def loop(x: float, lr: float, epochs: int) -> float:
    for _ in range(epochs):
        x = x - lr * slope(x)
    return x


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_staircase_lines_break_at_the_jumps_only():
    starts = np.linspace(-5, 5, 21)
    result = gd.sweep(F, starts, lr=0.05, epochs=400)
    ends = np.array([loop(s, 0.05, 400) for s in starts])
    np.testing.assert_allclose(result.x, ends, atol=1e-9)
    (line,), _ = gd.plotting.plot_sweep(result, join=1.0)
    ys = np.asarray(line.get_ydata(), dtype=float)
    jumps = int(np.sum(np.abs(np.diff(ends)) > 1.0))
    assert jumps == 2  # two hilltops inside [-5, 5]: -4.31 and 1.43
    assert np.isnan(ys).sum() == jumps and np.allclose(ys[~np.isnan(ys)], ends)
    cut = np.flatnonzero(np.isnan(ys))
    hills = sorted(m.x for m in F.maxima)
    for k, hill in zip(cut, hills, strict=True):  # each cut lies between the starts on either side of a hilltop
        assert line.get_xdata()[k - 1] < hill < line.get_xdata()[k + 1]
    (joined,), _ = gd.plotting.plot_sweep(result)
    assert not np.isnan(np.asarray(joined.get_ydata(), dtype=float)).any()


def test_heatmap_of_the_distance_with_contours_and_budget_curves():
    rates, counts = np.array([0.01, 0.02, 0.05, 0.1]), np.array([20, 50, 100, 200])
    result = gd.sweep(F, 0.0, lr=rates, epochs=counts)
    drawn = gd.plotting.plot_sweep_heatmap(result, value="dist", log=True, contours=(0.01, 0.1), budgets=(2.7, 5))
    shown = drawn.mesh.get_array().reshape(len(counts), len(rates))
    for i, n in enumerate(counts):
        for j, lr in enumerate(rates):
            assert shown[i, j] == pytest.approx(max(abs(loop(0.0, lr, int(n)) - X_STAR), 1e-16), rel=1e-9)
    assert list(drawn.contours.levels) == [0.01, 0.1]
    assert [c.get_label() for c in drawn.budgets] == ["lr x epochs = 2.7", "lr x epochs = 5"]
    for curve, c in zip(drawn.budgets, (2.7, 5), strict=True):
        xs, ys = curve.get_data()
        np.testing.assert_allclose(np.asarray(xs) * np.asarray(ys), c)
        assert np.all((ys >= counts.min()) & (ys <= counts.max()))
    assert drawn.colorbar.ax.get_ylabel() == "final |x - x*|"
    with pytest.raises(ValueError, match="log"):
        gd.plotting.plot_sweep_heatmap(result, value="x", log=True)
    with pytest.raises(ValueError, match="value"):
        gd.plotting.plot_sweep_heatmap(gd.sweep(gd.Objective("x**3"), 1.0, lr=rates, epochs=counts), value="dist")


def test_histories_on_the_flow_clock_are_the_rates_summed():
    run = gd.descend(F, 0.0, lr=0.5, epochs=8, schedule=gd.schedules.exponential(0.9))
    (line,) = gd.plotting.plot_history(run, what="x", against="time")
    t = np.arange(9)
    np.testing.assert_allclose(line.get_xdata(), 0.5 * (1 - 0.9**t) / (1 - 0.9))  # a geometric sum
    assert "time" in line.axes.get_xlabel()


def test_sweep_explorer_repeats_the_notebook_figure():
    rates, counts = np.linspace(0.01, 0.1, 10), np.array([20, 50, 100])
    view = SweepView(F, 0.0, rates, counts, value="dist", title="final distance",
                     heatmap={"log": True, "vmin": 1e-4, "vmax": 2, "budgets": (5,)})
    assert view.heatmap.mesh.norm.vmin == 1e-4 and view.heatmap.mesh.norm.vmax == 2
    assert len(view.heatmap.budgets) == 1 and view.figure.axes[0].get_title() == "final distance"
    run = view.update(lr=rates[-1], epochs=100)
    assert run.final == pytest.approx(loop(0.0, rates[-1], 100), abs=1e-9)
    with pytest.raises(ValueError, match="heatmap"):
        SweepView(F, 0.0, rates, counts, heatmap={"colour": "red"})


def test_schedule_explorer_marks_the_edge_in_the_rate_panel():
    from gdviz.widgets.descent import RunView
    h = 1e-5
    curvature = (slope(X_STAR + h) - slope(X_STAR - h)) / (2 * h)  # f''(x*) by central differences
    view = RunView.schedule(F, schedule="exponential", lr=0.5, epochs=50, x0=0.0)
    assert view.edge.axes is view.axes["lr"]
    assert view.edge.get_ydata()[0] == pytest.approx(2 / curvature, rel=1e-6)
    low, high = view.axes["lr"].get_ylim()
    assert low < 2 / curvature < high  # in view although every rate of this run is below it
    assert RunView.schedule(F, schedule="exponential", optimizer="adam").edge is None  # not plain descent's edge
    assert RunView.schedule(gd.functions.peaks, schedule="exponential").edge is None


def test_the_new_options_refuse_bad_values_by_name():
    result = gd.sweep(F, 0.0, lr=[0.01, 0.1], epochs=[10, 20])
    with pytest.raises(ValueError, match="join"):
        gd.plotting.plot_sweep(gd.sweep(F, [0.0, 1.0], lr=0.1, epochs=10), join=-1)
    with pytest.raises(TypeError, match="join"):
        gd.plotting.plot_sweep(gd.sweep(F, [0.0, 1.0], lr=0.1, epochs=10), join="far")
    with pytest.raises(ValueError, match="budgets"):
        gd.plotting.plot_sweep_heatmap(result, budgets=(5, -1))
    with pytest.raises(TypeError, match="contours"):
        gd.plotting.plot_sweep_heatmap(result, value="dist", contours=("low",))
