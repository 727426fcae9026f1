"""Explorers: move sliders from Python and check the figure shows the runs gdviz computes.

Expected runs come from ``gd.descend`` called here with the same parameters, never from the
explorer; pytest turns any warning into an error, so none escapes a slider move.
"""

from __future__ import annotations

import ast
import base64
import inspect
import io

import ipywidgets
import numpy as np
import pytest
from PIL import Image

import gdviz as gd
from gdviz import widgets as W

# Widget classes that exist in ipywidgets 7.6 as well as 8.x (Colab ships 7.7.1).
IPYWIDGETS_7 = {"VBox", "HBox", "Box", "Output", "HTML", "Label", "FloatLogSlider", "FloatSlider", "IntSlider",
                "Dropdown", "SelectionSlider", "Checkbox", "Accordion", "Tab", "Layout", "Button", "Text"}


def widget_classes(w: ipywidgets.Widget) -> set[str]:
    """Names of the ipywidgets classes in a widget tree (an Explorer counts as its VBox base)."""
    cls = next(c for c in type(w).__mro__ if c.__module__.startswith("ipywidgets"))
    names = {cls.__name__}
    for child in getattr(w, "children", ()):
        names |= widget_classes(child)
    return names


def png_array(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=int)


def shown_png(w: W.Explorer) -> bytes:
    (out,) = w.output.outputs
    return base64.b64decode(out["data"]["image/png"])


def path_xy(view, i: int = 0) -> np.ndarray:
    return np.column_stack(view.paths.line(i).get_data()).astype(float)


@pytest.fixture(params=["1d", "2d", "optimizers", "schedule", "sweep"])
def explorer(request) -> W.Explorer:
    f1, f2 = gd.functions.quadratic, gd.functions.peaks
    return {
        "1d": lambda: W.explore_1d(f1, lr=0.1),
        "2d": lambda: W.explore_2d(f2, lr=0.01, epochs=200),
        "optimizers": lambda: W.explore_optimizers(gd.functions.ravine, lr=0.02, epochs=100),
        "schedule": lambda: W.explore_schedule(gd.functions.sin_gauss, lr=0.5, epochs=80),
        "sweep": lambda: W.explore_sweep(f1, 1.5, lrs=[0.01, 0.05, 0.1, 0.3, 0.4], epochs_grid=[5, 20, 80]),
    }[request.param]()


# --------------------------------------------------------------------------- every explorer


def test_explorers_use_ipywidgets_7_classes_only(explorer):
    used = widget_classes(explorer)
    assert used <= IPYWIDGETS_7, used - IPYWIDGETS_7
    assert W.WIDGET_CLASSES <= IPYWIDGETS_7


def test_module_names_no_widget_class_outside_the_allow_list():
    tree = ast.parse(inspect.getsource(W))
    named = {node.attr for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "widgets"}
    assert named <= W.WIDGET_CLASSES | {"Widget"}, named - W.WIDGET_CLASSES


def test_explorer_shows_a_png_in_a_fixed_height_output(explorer):
    assert explorer.output.layout.height.endswith("px")
    first = shown_png(explorer)
    assert first == explorer.image and first.startswith(b"\x89PNG")
    name, control = next(iter(explorer.controls.items()))
    options = getattr(control, "options", None)
    if options:
        control.value = [v for _, v in options][-1] if isinstance(options[0], tuple) else options[-1]
    else:
        control.value = control.min if control.value != control.min else control.max
    assert len(explorer.output.outputs) == 1  # replaced, never stacked
    assert shown_png(explorer) != first


@pytest.mark.parametrize("moved", ["lr", "epochs"])
def test_blitted_png_matches_a_full_redraw(explorer, moved):
    """The cached background plus redrawn runs gives the same picture as drawing everything,
    also after the epochs slider changed the history axes' limits (a partial re-render)."""
    control = explorer.controls[moved]
    if hasattr(control, "options") and control.options:
        control.value = control.options[1][1]
    else:
        control.value = control.value * 2 if moved == "lr" else control.value + 57
    fast = png_array(explorer.view.png())
    fig = explorer.view.figure
    fig.canvas.draw()
    full = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(int)
    differs = np.any(np.abs(fast - full) > 40, axis=-1).mean()
    assert fast.shape == full.shape
    assert differs < 0.01  # only where a path passes under a minimum's marker (drawing order)
    assert png_array(explorer.view.png()).tolist() == fast.tolist()  # and it is reproducible


# --------------------------------------------------------------------------- explore_1d


def test_explore_1d_follows_its_sliders():
    f = gd.functions.quadratic
    w = W.explore_1d(f, lr=0.1, epochs=30)
    lr, epochs, x0 = w.controls["lr"], w.controls["epochs"], w.controls["x0"]
    assert isinstance(lr, ipywidgets.FloatLogSlider)
    assert (x0.min, x0.max) == f.bounds[0]
    for rate, steps, start in [(0.01, 30, -1.0), (0.2, 12, 1.7), (1 / 6, 5, -1.9)]:
        lr.value, epochs.value, x0.value = rate, steps, start
        expected = gd.descend(f, x0.value, lr=lr.value, epochs=steps)
        assert w.result.x.tolist() == expected.x.tolist()
        np.testing.assert_allclose(path_xy(w.view), np.column_stack([expected.x, expected.f]))
        (pos,) = w.view.lines["x"]
        (der,) = w.view.lines["grad"]
        np.testing.assert_allclose(pos.get_ydata(), expected.x)
        np.testing.assert_allclose(der.get_ydata(), expected.grad)
        assert f"final x = {expected.final:.4g}" in w.readout.value
        assert f"steps = {steps}" in w.readout.value and "diverged: no" in w.readout.value
        assert not w.view.message.get_visible()


def test_explore_1d_diverging_rate_is_a_message_not_an_error():
    w = W.explore_1d(gd.functions.quadratic, lr=0.1, epochs=30)
    w.controls["lr"].value = 0.9  # > 2 / f'' = 1/3
    expected = gd.descend(gd.functions.quadratic, w.controls["x0"].value, lr=0.9, epochs=30)
    assert expected.diverged
    text = w.view.message.get_text()
    assert w.view.message.get_visible()
    assert text == f"diverged at step {int(expected.diverged_at)} - lower the learning rate"
    assert "diverged: yes" in w.readout.value
    w.controls["lr"].value = 0.5  # oscillates outwards but stays finite within 30 steps
    assert "keeps growing - lower the learning rate" in w.view.message.get_text()
    w.controls["lr"].value = 0.1
    assert not w.view.message.get_visible() and w.view.message.get_text() == ""
    assert "diverged: no" in w.readout.value


# --------------------------------------------------------------------------- views without widgets


def test_views_work_without_widgets():
    view = W.RunView.descent(gd.functions.quadratic, lr=0.1, x0=1.0)
    traj = view.update(lr=0.2, epochs=7, x0=-1.0)
    assert isinstance(traj, gd.Trajectory)
    assert traj.x.tolist() == gd.descend(gd.functions.quadratic, -1.0, lr=0.2, epochs=7).x.tolist()
    assert view.png().startswith(b"\x89PNG")


def test_bad_input_becomes_a_message_in_the_figure():
    view = W.RunView.descent(gd.functions.quadratic)
    assert view.update(lr=-1.0, epochs=10, x0=0.0) is None
    assert "lr" in view.message.get_text() and view.message.get_visible()
    view.update(lr=0.1, epochs=10, x0=5.0)  # outside the plotted range [-2, 2]: runs, and says so
    assert "outside the plotted range" in view.message.get_text()
    view.update(lr=0.1, epochs=10, x0=0.0)
    assert not view.message.get_visible()
    with pytest.raises(ValueError, match="optimizer"):
        W.RunView.optimizers(gd.functions.peaks, ["gd", "nope"])


# --------------------------------------------------------------------------- explore_2d


def test_explore_2d_follows_start_rate_and_optimizer():
    f = gd.functions.peaks
    w = W.explore_2d(f, lr=0.01, epochs=200)
    c = w.controls
    assert isinstance(c["optimizer"], ipywidgets.Dropdown)
    assert set(c["optimizer"].options) == set(gd.optimizers.NAMES)
    assert (c["x0"].min, c["x0"].max, c["y0"].min, c["y0"].max) == (*f.bounds[0], *f.bounds[1])
    for x, y, rate, opt in [(0.5, -0.5, 0.02, "gd"), (-2.0, 2.0, 0.05, "momentum"), (1.0, 1.0, 0.1, "adam")]:
        c["x0"].value, c["y0"].value, c["lr"].value, c["optimizer"].value = x, y, rate, opt
        expected = gd.descend(f, [c["x0"].value, c["y0"].value], lr=c["lr"].value, epochs=200, optimizer=opt)
        np.testing.assert_allclose(path_xy(w.view), expected.x)
        (loss,) = w.view.lines["f"]
        np.testing.assert_allclose(loss.get_ydata(), expected.f)
        assert w.result.optimizer.name == expected.optimizer.name
    c["optimizer"].value = "gd"
    c["lr"].value = 1.0
    assert w.view.message.get_visible()
    c["lr"].value = 0.01
    assert not w.view.message.get_visible()


# --------------------------------------------------------------------------- explore_optimizers


def test_explore_optimizers_runs_each_with_its_hyper_parameters():
    f = gd.functions.ravine
    w = W.explore_optimizers(f, ("gd", "momentum", "adam"), lr=0.02, epochs=100)
    assert isinstance(w.children[1], ipywidgets.Accordion)
    assert {"momentum.beta", "adam.beta1", "adam.beta2", "adam.eps"} <= set(w.controls)
    w.controls["momentum.beta"].value = 0.5
    w.controls["adam.beta1"].value = 0.8
    start = [w.controls["x0"].value, w.controls["y0"].value]
    expected = {
        "gd": gd.descend(f, start, lr=0.02, epochs=100),
        "momentum": gd.descend(f, start, lr=0.02, epochs=100, optimizer=gd.optimizers.Momentum(beta=0.5)),
        "adam": gd.descend(f, start, lr=0.02, epochs=100, optimizer=gd.optimizers.Adam(beta1=0.8)),
    }
    assert list(w.result) == list(expected)
    for i, (name, traj) in enumerate(expected.items()):
        np.testing.assert_allclose(path_xy(w.view, i), traj.x)
        assert w.result[name].optimizer.params == traj.optimizer.params
        assert name in w.readout.value
    assert w.view.axes["f"].get_yscale() == "log"
    w.controls["lr"].value = 0.1  # 0.1 * 25 > 2 on the steep axis: gd and momentum blow up
    assert "gd diverged" in w.view.message.get_text()
    w.controls["lr"].value = 0.02
    assert not w.view.message.get_visible()


# --------------------------------------------------------------------------- explore_schedule


def test_explore_schedule_shows_only_the_chosen_schedules_parameters():
    f = gd.functions.sin_gauss
    w = W.explore_schedule(f, "step_decay", lr=0.5, epochs=80)
    c = w.controls
    visible = {k for k in ("factor", "every", "alpha", "final", "steps") if c[k].layout.display != "none"}
    assert visible == {"factor", "every"}
    c["schedule"].value = "exponential"
    c["alpha"].value = 0.9
    visible = {k for k in ("factor", "every", "alpha", "final", "steps") if c[k].layout.display != "none"}
    assert visible == {"alpha"}
    expected = gd.descend(f, c["x0"].value, lr=0.5, epochs=80, schedule=gd.schedules.exponential(0.9))
    (rate,) = w.view.lines["lr"]
    np.testing.assert_allclose(rate.get_ydata()[:20], expected.lr[:20])
    np.testing.assert_allclose(path_xy(w.view), np.column_stack([expected.x, expected.f]))
    c["schedule"].value = "cosine"
    assert c["final"].layout.display != "none" and c["alpha"].layout.display == "none"
    expected = gd.descend(f, c["x0"].value, lr=0.5, epochs=80, schedule="cosine")
    assert w.result.x.tolist() == expected.x.tolist()


def test_explore_schedule_diverging_rate():
    w = W.explore_schedule(gd.functions.quadratic, "constant", lr=0.1, epochs=60)
    w.controls["lr"].value = 0.9
    assert "diverged at step" in w.view.message.get_text()
    w.controls["schedule"].value = "exponential"
    w.controls["alpha"].value = 0.8  # the rate decays below 1/3 before the run blows up
    assert not w.view.message.get_visible()


# --------------------------------------------------------------------------- explore_sweep


def test_explore_sweep_marker_and_path_follow_the_chosen_cell():
    f = gd.functions.quadratic
    lrs, grid = [0.01, 0.05, 0.1, 0.3, 0.4], [5, 20, 80]
    w = W.explore_sweep(f, 1.5, lrs=lrs, epochs_grid=grid)
    assert all(isinstance(w.controls[k], ipywidgets.SelectionSlider) for k in ("lr", "epochs"))
    result = gd.sweep(f, 1.5, lr=lrs, epochs=grid)
    for j, lr in enumerate(lrs):
        for i, epochs in enumerate(grid):
            w.controls["lr"].value, w.controls["epochs"].value = lr, epochs
            assert list(w.view.marker.get_xdata()) == [lr]
            assert list(w.view.marker.get_ydata()) == [epochs]
            expected = gd.descend(f, 1.5, lr=lr, epochs=epochs)
            np.testing.assert_allclose(path_xy(w.view), np.column_stack([expected.x, expected.f]))
            assert w.view.cell(lr, epochs) == (i, j)
            if not result.diverged[j, i]:
                assert w.result.final == pytest.approx(result.x[j, i], abs=1e-9)
                assert w.view.heatmap.mesh.get_array()[i, j] == pytest.approx(result.x[j, i])
            assert w.view.message.get_visible() == bool(expected.diverged or abs(expected.final) > 2)


def test_encode_png_round_trips():
    rgb = np.random.default_rng(0).integers(0, 256, size=(7, 5, 3), dtype=np.uint8)
    assert png_array(W.encode_png(rgb)).tolist() == rgb.astype(int).tolist()


def test_saved_output_falls_back_to_the_figure_where_no_widget_manager_runs(monkeypatch):
    explorer = gd.widgets.explore_1d(gd.functions.quadratic, lr=0.05, epochs=10)
    explorer.controls["lr"].value = 0.2
    if hasattr(ipywidgets.Widget, "_repr_mimebundle_"):
        data = explorer._repr_mimebundle_()
    else:  # ipywidgets 7 publishes its own display data: catch what it publishes
        published = []
        monkeypatch.setattr(gd.widgets, "display", lambda obj, raw=False: published.append(obj))
        explorer._ipython_display_()
        (data,) = published
    assert "application/vnd.jupyter.widget-view+json" in data  # live front ends still get the sliders
    assert base64.b64decode(data["image/png"]) == explorer.image  # the figure after the last move
    assert data["text/plain"].startswith("gdviz explorer with sliders for lr, epochs")
