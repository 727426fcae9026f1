"""Mistakes the type checker (make typecheck: mypy on the package) pointed at, fixed and kept fixed.

Each test fails on the code as it was before the fix.
"""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.lines import Line2D

import gdviz as gd
from gdviz.plotting._base import figure_of
from gdviz.widgets import RunView


class Bowl:
    """A landscape that is not an Objective: f = x^2 + y^2, just what the run loop needs."""

    dim, name = 2, "bowl"

    def value_columns(self, columns):
        return columns[0] ** 2 + columns[1] ** 2

    def grad_columns(self, columns):
        return np.stack([2 * columns[0], 2 * columns[1]])


def test_run_view_theory_without_a_distance_panel():
    # theory=True on a 1-D objective whose panels have no "dist" axis: the readout still gives the
    # factor, nothing is drawn (it raised AttributeError on None.set_data)
    f = gd.functions.quadratic  # 3x^2 - 3x + 4: f'' = 6 everywhere

    def run(lr, epochs):
        return {"gd": gd.descend(f, -1.0, lr=lr, epochs=epochs)}

    view = RunView(f, run, {"lr": 0.1, "epochs": 10}, panels=("f",), theory=True)
    assert "factor 1 - lr f''(x*) = 0.4 " in view.readout  # 1 - 0.1 * 6
    view.update(lr=0.25, epochs=10)
    assert "factor 1 - lr f''(x*) = -0.5 " in view.readout  # 1 - 0.25 * 6: zig-zag
    plt.close(view.figure)


def test_sweep_plots_that_need_an_objective_say_so():
    # a sweep of another landscape: a TypeError naming the argument (was an AttributeError deep inside)
    starts = np.stack(np.meshgrid(np.linspace(-1, 1, 3), np.linspace(-1, 1, 3)), axis=-1)
    grid = gd.sweep(Bowl(), starts, lr=0.1, epochs=5)
    with pytest.raises(TypeError, match="result: .*gdviz Objective.*Bowl"):
        gd.plotting.plot_basins(grid, ax=plt.figure().add_subplot())
    plt.close("all")


def test_figure_of_a_subfigure_axes_is_the_top_figure():
    fig = plt.figure()
    ax = fig.subfigures(1, 2)[1].add_subplot()
    assert figure_of(ax) is fig and figure_of(fig.add_subplot(1, 2, 1)) is fig
    plt.close(fig)


def test_update_of_an_artist_on_no_axes_is_refused():
    loss = gd.data.LeastSquares(gd.data.load_csv("forbes"))
    run = gd.data.descend_data(loss, lr=0.05, epochs=3)
    with pytest.raises(ValueError, match="drawn: .*on no axes"):
        gd.plotting.update_data_loss(Line2D([], []), run)
