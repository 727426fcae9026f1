"""The network explorer (notebook 09) and the plot helpers of gdviz.plotting.network.

Widget tests set slider values from Python and check that the figure and the run changed;
bad values must give a message, never an exception. The plot helpers are checked against
cases solved by hand: a linear classifier whose boundary is a known straight line, a median
and a band computed from their definitions.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdviz as gd
from gdviz.plotting import network as netplot
from gdviz.widgets.network import NetworkView

DEFAULTS = {"optimizer": "adam", "lr": 0.01, "batch_size": 20, "epochs": 10, "width": 8, "depth": 1,
            "activation": "tanh"}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture(scope="module")
def view() -> NetworkView:
    return NetworkView(epochs=10, width=8, depth=1)


# --------------------------------------------------------------------------- the plot helpers


def _linear_classifier(normal, offset):
    """A network without hidden layer whose logits differ by z1 - z0 = normal . x + offset."""
    net = gd.nn.MLP([2, 2], activation="tanh", seed=0)
    W = np.zeros((2, 2))
    W[:, 1] = normal
    theta = net.flatten([(W, np.array([0.0, offset]))])
    return net, theta


def test_boundary_of_a_linear_classifier_is_its_line():
    net, theta = _linear_classifier([1.0, 0.0], -0.3)  # z1 - z0 = x1 - 0.3: the line x1 = 0.3
    X = np.array([[-1.0, -1.0], [1.0, 1.0], [0.0, 0.5], [0.8, -0.4]])
    drawn = netplot.plot_decision_boundary(net, theta, X, [0, 1, 0, 1], n=41)
    segments = drawn.line.get_segments()
    assert segments, "no boundary drawn"
    points = np.concatenate(segments)
    assert np.allclose(points[:, 0], 0.3, atol=1e-9)
    low, high = drawn.extent[2], drawn.extent[3]
    assert np.isclose(points[:, 1].min(), low) and np.isclose(points[:, 1].max(), high)  # crosses the window


def test_boundary_colours_follow_the_probabilities():
    net, theta = _linear_classifier([4.0, 0.0], 0.0)  # class 1 on the right, very sure far from x1 = 0
    X = np.array([[-2.0, 0.0], [2.0, 1.0]])
    drawn = netplot.plot_decision_boundary(net, theta, X, [0, 1], n=21)
    rgb = drawn.image.get_array()
    blue, orange = (np.array(plt.matplotlib.colors.to_rgb(c)) for c in netplot.class_colors(2))
    faded = {name: 1 - netplot._LIGHT * (1 - c) for name, c in (("blue", blue), ("orange", orange))}
    assert np.allclose(rgb[10, 0], faded["blue"], atol=1e-3) and np.allclose(rgb[10, -1], faded["orange"], atol=1e-3)
    middle = 1 - netplot._LIGHT * (1 - (blue + orange) / 2)  # p = 1/2 on the line x1 = 0
    assert np.allclose(rgb[10, 10], middle, atol=1e-9)


def test_update_moves_the_boundary():
    net, theta = _linear_classifier([1.0, 0.0], -0.3)
    drawn = netplot.plot_decision_boundary(net, theta, np.array([[-1.0, -1.0], [1.0, 1.0]]), [0, 1], n=41)
    _, moved = _linear_classifier([0.0, 1.0], 0.2)  # now y = -0.2
    netplot.update_decision_boundary(drawn, moved)
    points = np.concatenate(drawn.line.get_segments())
    assert np.allclose(points[:, 1], -0.2, atol=1e-9)


def test_three_classes_draw_the_lines_between_regions():
    net = gd.nn.MLP([2, 3], activation="tanh", seed=0)
    W = np.array([[1.0, -1.0, 0.0], [0.0, 0.0, 0.0]])  # z = (x1, -x1, 0): classes 0 | 2 | 1 from right to left
    theta = net.flatten([(W, np.zeros(3))])
    drawn = netplot.plot_decision_boundary(net, theta, np.array([[-2.0, -1.0], [2.0, 1.0], [0.0, 0.0]]), [0, 1, 2],
                                           n=81)
    xs = np.round(np.concatenate(drawn.line.get_segments())[:, 0], 9)
    assert set(np.unique(xs)) == {0.0}  # x1 = 0: where z0 = z2 = 0 and z1 = z2 = 0 meet (same line twice)


def test_plot_spread_is_median_and_min_max():
    values = np.array([[3.0, 2.0, 1.0, 5.0], [5.0, 2.0, 2.0, 1.0], [4.0, 4.0, 0.0, 3.0]])
    drawn = netplot.plot_spread(values, x=[1, 2, 3, 4])
    assert drawn.line.get_ydata().tolist() == [4.0, 2.0, 1.0, 3.0]  # the middle value of each column
    path = drawn.band.get_paths()[0].vertices
    assert np.isclose(path[:, 1].max(), 5.0) and np.isclose(path[:, 1].min(), 0.0)
    with pytest.raises(ValueError, match="values"):
        netplot.plot_spread([1.0, 2.0])


def test_plot_loss_slice_draws_the_centre_and_the_path():
    a, b = np.linspace(-1, 1, 5), np.linspace(-2, 2, 7)
    Z = 1 + a[None, :] ** 2 + b[:, None] ** 2
    drawn = netplot.plot_loss_slice(a, b, Z, path=[[0.9, 1.5], [0.3, 0.4], [0.0, 0.0]])
    assert drawn.centre.get_xydata().tolist() == [[0.0, 0.0]]
    assert drawn.start.get_xydata().tolist() == [[0.9, 1.5]]
    assert drawn.mappable.axes.get_xlim() == (-1.0, 1.0)
    with pytest.raises(ValueError, match="Z"):
        netplot.plot_loss_slice(a, b, Z.T)


def test_boundary_refuses_a_network_it_cannot_draw():
    with pytest.raises(ValueError, match="net"):
        netplot.plot_decision_boundary(gd.nn.MLP([3, 2]), gd.nn.MLP([3, 2]).init(), np.zeros((2, 3)), [0, 1])


# --------------------------------------------------------------------------- the view


def test_view_trains_and_draws(view):
    run = view.update(**DEFAULTS)
    assert isinstance(run, gd.nn.NetRun) and run.n_epochs == 10 and view.messages == []
    test_line = view.lines["test"]
    assert len(test_line.get_xdata()) == 11
    # the last point is the test loss of the trained weights, computed here from the network itself
    expected = run.net.loss(run.x[-1], view.X_test, view.y_test)
    assert np.isclose(test_line.get_ydata()[-1], expected)
    assert "lr=0.01" in view.caption.get_text() and "test" in view.readout


def test_moving_sliders_changes_the_run_and_the_figure(view):
    view.update(**DEFAULTS)
    before_png, before = view.png(), view.lines["train"].get_ydata().copy()
    run = view.update(**{**DEFAULTS, "lr": 0.1})
    assert not np.allclose(view.lines["train"].get_ydata(), before)
    assert view.png() != before_png
    run = view.update(**{**DEFAULTS, "width": 4, "depth": 2, "activation": "relu"})
    assert run.net.sizes == (2, 4, 4, 2) and run.net.activation.name == "relu"
    run = view.update(**{**DEFAULTS, "batch_size": 200, "epochs": 7})
    assert run.updates_per_epoch == 1 and len(view.lines["test"].get_xdata()) == 8


@pytest.mark.parametrize(("change", "words"), [
    ({"lr": -1.0}, "lr"), ({"lr": "fast"}, "lr"), ({"batch_size": 0}, "batch_size"),
    ({"batch_size": 10_000}, "batch_size"), ({"epochs": 0}, "epochs"), ({"activation": "swish"}, "activation"),
    ({"optimizer": "sgd-ish"}, "optimizer"), ({"width": 0}, "width"), ({"depth": 2.5}, "depth"),
    ({"batch_size": 1, "epochs": 200}, "fewer epochs"),
])
def test_bad_values_give_a_message_not_an_exception(view, change, words):
    assert view.update(**{**DEFAULTS, **change}) is None
    assert view.messages and words in view.messages[0] and view.readout.startswith("not run")
    view.png()  # still draws
    assert view.update(**DEFAULTS) is not None and view.messages == []  # and recovers


def test_a_rate_that_blows_up_is_a_message(view):
    run = view.update(**{**DEFAULTS, "optimizer": "gd", "lr": 3e3, "activation": "relu"})
    assert run is not None and view.messages
    assert "lower the learning rate" in view.messages[0]


# --------------------------------------------------------------------------- the explorer


def test_explorer_sliders_move_the_figure():
    explorer = gd.widgets.explore_network(epochs=10, width=8)
    first_image, first = explorer.image, explorer.result
    explorer.controls["lr"].value = 0.1
    assert explorer.image != first_image and explorer.result is not first
    assert explorer.result.batch_size == 20
    explorer.controls["batch_size"].value = 50
    assert explorer.result.batch_size == 50 and explorer.result.updates_per_epoch == 4
    explorer.controls["optimizer"].value = "momentum"
    assert "momentum" in explorer.view.readout
    explorer.controls["depth"].value = 3
    assert len(explorer.result.net.sizes) == 5


def test_explorer_with_bad_arguments_shows_a_message():
    explorer = gd.widgets.explore_network(data="circles")
    assert "data" in explorer.view.readout and explorer.controls == {}
