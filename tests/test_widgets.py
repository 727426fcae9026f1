"""Explorers: move sliders from Python and check the figure shows the runs gdviz computes.

Expected runs come from ``gd.descend`` called here with the same parameters, never from the
explorer; pytest turns any warning into an error, so none escapes a slider move.
"""

from __future__ import annotations

import ast
import base64
import html
import inspect
import io
import pathlib
import subprocess
import sys
import textwrap
from html.parser import HTMLParser

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


def test_controls_name_no_widget_class_outside_the_allow_list():
    tree = ast.parse(inspect.getsource(W.controls))
    named = {node.attr for node in ast.walk(tree)
             if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "widgets"}
    assert named <= W.WIDGET_CLASSES | {"Widget"}, named - W.WIDGET_CLASSES


def test_only_the_controls_module_imports_ipywidgets():
    folder = pathlib.Path(W.__file__).parent
    importing = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "ipywidgets" for n in names):
                importing.add(path.name)
    assert importing == {"controls.py"}


def test_views_work_without_ipywidgets():
    """With ipywidgets unimportable, every view still builds, updates and renders."""
    code = textwrap.dedent("""
        import sys
        sys.modules["ipywidgets"] = None  # any import of it now fails
        import gdviz as gd
        from gdviz import widgets as W
        v = W.RunView.descent(gd.functions.peaks, lr=0.01, epochs=20)
        assert v.update(lr=0.02, epochs=10, x0=0.5, y0=0.5, optimizer="adam").epochs == 10
        assert W.DeepView(depth=4, width=4).png().startswith(b"\\x89PNG")
        try:
            W.Explorer
        except ImportError:
            print("no ipywidgets, views fine")
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "views fine" in out.stdout


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
    assert w.view.message.get_visible()
    assert w.view.messages == [f"diverged at step {int(expected.diverged_at)} - lower the learning rate"]
    assert w.view.message.get_text() == w.view.messages[0]
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
    assert {"momentum.beta", "adam.beta1", "adam.beta2", "adam.eps"} <= set(w.controls)
    (row, output, readout) = w.children  # one row of controls: short enough for a laptop screen
    picker = row.children[4]  # after lr, epochs, x0, y0: whose hyper-parameters the sliders next to it set
    assert isinstance(picker, ipywidgets.Dropdown) and list(picker.options) == ["momentum", "adam"]
    shown = lambda: {k for k in w.controls if "." in k and w.controls[k].layout.display != "none"}  # noqa: E731
    assert shown() == {"adam.beta1", "adam.beta2", "adam.eps"}
    picker.value = "momentum"
    assert shown() == {"momentum.beta"}
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
    assert any(m.startswith("gd diverged at step") for m in w.view.messages)
    assert w.view.message.get_text().startswith("gd, momentum diverged at step")
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
        monkeypatch.setattr(W.controls, "display", lambda obj, raw=False, **kw: published.append((obj, kw)))
        explorer._ipython_display_()
        ((data, kw),) = published
        data = (data, kw["metadata"])
    data, metadata = data
    assert "application/vnd.jupyter.widget-view+json" in data  # live front ends still get the sliders
    static = base64.b64decode(data["image/png"])
    assert static == explorer.view.png(static=True) != explorer.image  # the figure after the last move, plus
    assert explorer.view.png() == explorer.image                        # the hint, drawn only in that frame
    width, height = explorer.view.css_size
    assert metadata["image/png"] == {"width": width, "height": height}
    assert png_array(static).shape[:2] == (2 * height, 2 * width)  # device pixels: twice the CSS size
    assert data["text/plain"].startswith("gdviz explorer with sliders for lr, epochs")


# --------------------------------------------------------------------------- explore_deep, _batches, _escape
# Expected numbers come from gd.deep / gd.data / gd.search called here with the slider values.


def test_explore_deep_draws_the_norms_of_gdviz_deep_and_a_verdict():
    w = W.explore_deep(depth=10, activation="sigmoid", scale=1.0, scheme="normal", width=16)
    c = w.controls
    assert isinstance(c["scale"], ipywidgets.FloatLogSlider) and isinstance(c["residual"], ipywidgets.Checkbox)
    assert widget_classes(w) <= IPYWIDGETS_7
    cases = [(10, "sigmoid", 1.0, "normal", False, False, "vanishing"),
             (12, "tanh", 1.0, "xavier", False, False, "healthy"),
             (12, "relu", 3.0, "xavier", True, True, None)]
    for depth, act, scale, scheme, residual, normalize, verdict in cases:
        c["depth"].value, c["activation"].value, c["scale"].value = depth, act, scale
        c["scheme"].value, c["residual"].value, c["normalize"].value = scheme, residual, normalize
        expected = gd.deep.layer_gradient_norms(depth, 16, act, scale=c["scale"].value, scheme=scheme, seed=0,
                                                residual=residual, normalize=normalize)
        np.testing.assert_allclose(w.result, expected)
        np.testing.assert_allclose(w.view.drawn.line.get_ydata(), expected)
        assert w.view.drawn.line.get_xdata().tolist() == list(range(1, depth + 1))
        bound = w.view.drawn.bound.get_ydata()
        if act == "sigmoid":  # 0.25 per layer, traced back from the last layer
            np.testing.assert_allclose(bound, expected[-1] * 0.25 ** np.arange(depth - 1, -1, -1))
        else:
            assert bound.size == 0
        ratio = expected[0] / expected[-1]
        want = "vanishing" if ratio < 0.1 else "exploding" if ratio > 10 else "healthy"
        assert want == (verdict or want)
        assert w.view.verdict.get_text().split()[0] == want
        assert f"ratio first / last: {ratio:.3g}" in w.readout.value and f"verdict: {want}" in w.readout.value
        assert f"at layer {depth}: {expected[-1]:.3g}" in w.readout.value
        assert not w.view.message.get_visible()
    assert w.view.drawn.line.axes.get_yscale() == "log"


def test_explore_deep_overflow_is_a_message():
    w = W.explore_deep(depth=150, activation="relu", scale=100.0, width=8, max_depth=200)
    norms = gd.deep.layer_gradient_norms(150, 8, "relu", scale=100.0)
    assert not np.all(np.isfinite(norms))  # the passes overflowed
    assert "overflowed" in w.view.message.get_text() and w.view.message.get_visible()
    assert w.view.verdict.get_text().startswith("exploding")
    assert w.view.drawn.overflow.get_xdata().size == np.count_nonzero(~np.isfinite(norms))
    w.controls["scale"].value = 0.5
    assert not w.view.message.get_visible()
    assert w.view.update(depth=0, activation="relu", scale=1.0, scheme="he") is None  # bad input: a message
    assert "depth" in w.view.message.get_text()


def test_explore_batches_matches_descend_data():
    data = gd.data.make_linear(n=64, w=2.0, b=-1.0, noise=0.5, seed=3)
    loss = gd.data.LeastSquares(data)
    w = W.explore_batches(loss, lr=0.05, epochs=10, batch_size=16, seed=2)
    c = w.controls
    assert [v for _, v in c["batch_size"].options] == [1, 2, 4, 8, 16, 32, 64]
    assert c["batch_size"].options[-1][0] == "64 (batch)" and isinstance(c["lr"], ipywidgets.FloatLogSlider)
    assert widget_classes(w) <= IPYWIDGETS_7
    for b, rate, epochs in [(16, 0.05, 10), (1, 0.01, 3), (64, 0.3, 25)]:
        c["batch_size"].value, c["lr"].value, c["epochs"].value = b, rate, epochs
        expected = gd.data.descend_data(loss, [0.0, 0.0], lr=c["lr"].value, epochs=epochs, batch_size=b, seed=2)
        np.testing.assert_allclose(path_xy(w.view), expected.x)
        curve, work = w.view.lines["update"], w.view.lines["grad_evals"]
        np.testing.assert_allclose(curve.get_xdata(), np.arange(expected.epochs + 1))  # one point per update
        np.testing.assert_allclose(curve.get_ydata(), np.maximum(expected.f - loss.min_loss, 1e-16), rtol=1e-9)
        np.testing.assert_allclose(work.get_xdata(), expected.grad_evals)
        text = w.readout.value
        assert f"{expected.updates_per_epoch} updates per epoch, {expected.epochs} updates in total" in text
        assert f"{int(expected.grad_evals[-1])} gradient evaluations" in text
        assert f"final loss {expected.final_f:.6g}" in text
        assert not w.view.message.get_visible()
    c["lr"].value = 1.0  # batch GD: 1.0 x the largest curvature (about 2.3) > 2, the steps grow
    c["batch_size"].value, c["epochs"].value = 64, 50
    assert np.abs(gd.data.descend_data(loss, [0.0, 0.0], lr=1.0, epochs=50, seed=2).final).max() > 100
    assert w.view.message.get_text().endswith("lower the learning rate")


def test_explore_batches_refuses_too_much_work_and_snaps_the_batch_size():
    data = gd.data.make_linear(n=40, seed=0)
    w = W.explore_batches(data, epochs=5, batch_size=12, max_updates=100)
    assert w.controls["batch_size"].value == 8  # snapped to the power of two below
    w.controls["batch_size"].value = 1  # 5 epochs x 40 updates > 100
    assert w.result is None and "more than this explorer runs" in w.view.message.get_text()
    assert "not run" in w.readout.value
    w.controls["batch_size"].value = 40
    assert w.result.updates_per_epoch == 1 and not w.view.message.get_visible()
    with pytest.raises(ValueError, match="one feature"):
        W.BatchView(gd.data.make_linear(n=10, w=[1.0, 2.0]))


def test_explore_escape_matches_gdviz_search_and_is_seeded():
    f = gd.functions.sin_gauss
    w = W.explore_escape(f, "gd", n=12, lr=0.3, epochs=80, seed=1)
    c = w.controls
    assert widget_classes(w) <= IPYWIDGETS_7
    tol = W.escape_defaults(f)["tol"]

    def check(x, final_f):
        reached = gd.search.reached_global(f, final_f, tol=tol)
        assert w.result.reached.tolist() == reached.tolist()
        hits = w.view.drawn.hits.get_segments()
        assert len(hits) == int(reached.sum()) and len(w.view.drawn.misses.get_segments()) == int((~reached).sum())
        for seg, k in zip(hits, np.flatnonzero(reached), strict=True):
            np.testing.assert_allclose(seg[:, 0], x[:, k])
        assert f"{int(reached.sum())} of {reached.size} runs" in w.readout.value

    plain = gd.search.random_restarts(f, n=12, lr=0.3, epochs=80, seed=1)
    check(plain.trajectory.x, plain.trajectory.f[-1])
    np.testing.assert_allclose(w.view.drawn.starts.get_xdata(), plain.starts)
    visible = lambda: {k for k in W.STRATEGIES["annealing"] + ("lr", "beta", "noise", "restarts")  # noqa: E731
                       if c[k].layout.display != "none"}
    c["strategy"].value = "momentum"
    c["beta"].value = 0.8
    assert visible() == {"lr", "beta"}
    run = gd.descend(f, plain.starts, lr=0.3, epochs=80, optimizer=gd.optimizers.Momentum(beta=0.8))
    check(run.x, run.f[-1])
    c["strategy"].value, c["restarts"].value = "restarts", 4
    assert visible() == {"lr", "restarts"}
    best = gd.search.random_restarts(f, n=4, lr=0.3, epochs=80, seed=1, trials=12)
    np.testing.assert_allclose(w.result.f[-1], best.best_f)
    check(np.take_along_axis(best.trajectory.x, best.best[None, :, None], axis=2)[:, :, 0], best.best_f)
    c["strategy"].value, c["T0"].value, c["step"].value = "annealing", 0.5, 1.0
    assert visible() == {"T0", "cooling", "step"}
    sa = gd.search.simulated_annealing(f, plain.starts, epochs=80, T0=c["T0"].value, cooling=c["cooling"].value,
                                       step=c["step"].value, seed=1, bounds=f.bounds)
    check(sa.x, sa.f[-1])
    c["strategy"].value, c["noise"].value = "noise", 5.0
    noisy = gd.search.noisy_descend(f, plain.starts, lr=0.3, epochs=80, noise=c["noise"].value, seed=1)
    check(noisy.x, noisy.f[-1])
    picture = w.image
    c["n"].value = 5
    c["n"].value = 12
    assert w.image == picture  # seeded: the same settings give the same picture


def test_explore_escape_2d_diverging_runs_are_a_message():
    f = gd.functions.peaks
    w = W.explore_escape(f, "adam", n=10, lr=0.05, epochs=60)
    run = gd.descend(f, gd.search.random_restarts(f, n=10, epochs=1).starts, lr=0.05, epochs=60, optimizer="adam")
    np.testing.assert_allclose(w.view.drawn.hits.get_segments()[0], run.x[:, w.result.reached][:, 0])
    np.testing.assert_allclose(w.view.losses.starts.get_ydata(), run.f[0])
    assert W.EscapeView(f).update(strategy="nope", n=3) is None
    ravine = gd.functions.ravine  # curvature 100: plain descent blows up for lr > 0.02
    w = W.explore_escape(ravine, "gd", n=6, lr=0.01, epochs=60)
    assert not w.view.message.get_visible() and w.result.share == 1.0
    w.controls["lr"].value = 1.0
    lost = gd.search.random_restarts(ravine, n=6, lr=1.0, epochs=60).trajectory.diverged
    assert f"{int(lost.sum())} of 6 runs diverged - lower the learning rate" == w.view.message.get_text()
    assert w.result.share == 0.0


@pytest.mark.parametrize("make", ["deep", "batches", "escape"])
def test_new_explorers_blit_like_a_full_redraw(make):
    w = {"deep": lambda: W.explore_deep(depth=8, width=8),
         "batches": lambda: W.explore_batches(gd.data.make_linear(n=32, seed=0), epochs=5),
         "escape": lambda: W.explore_escape(gd.functions.peaks, n=8, epochs=50)}[make]()
    first = shown_png(w)
    key = {"deep": "depth", "batches": "epochs", "escape": "n"}[make]
    w.controls[key].value = w.controls[key].value + 3
    assert len(w.output.outputs) == 1 and shown_png(w) != first
    fast = png_array(w.view.png())
    w.view.figure.canvas.draw()
    full = np.asarray(w.view.figure.canvas.buffer_rgba())[..., :3].astype(int)
    assert np.any(np.abs(fast - full) > 40, axis=-1).mean() < 0.01


def test_bifurcation_zoom_keeps_the_whole_diagram_next_to_it():
    """Zooming away from the edge 2/f'' moved the zoom's edge label over the whole diagram (and,
    off the canvas, made the re-render wipe the whole diagram): seen in the 1366x768 screenshots."""
    w = W.explore_bifurcation(gd.functions.sin_gauss, n=60, steps=(500, 532))
    whole, zoom = w.view.figure.axes
    w.controls["width"].value = 0.1
    w.controls["centre"].value = 2.93  # the zoom shows lr 2.88 .. 2.98, the edge 2/f'' = 2 is far left
    fast = png_array(w.view.png())
    w.view.figure.canvas.draw()
    full = np.asarray(w.view.figure.canvas.buffer_rgba())[..., :3].astype(int)
    renderer = w.view.figure.canvas.get_renderer()
    differs = np.any(np.abs(fast - full) > 40, axis=-1)
    band = w.view.band.get_window_extent(renderer).padded(2)
    differs[:, int(band.x0):int(np.ceil(band.x1))] = False  # the band lies over the dots, not under (a blit)
    tight = whole.get_tightbbox(renderer)  # the whole diagram with its ticks and labels ("4.5" next to the zoom)
    x0, x1 = int(tight.x0), int(np.ceil(tight.x1))
    y0, y1 = full.shape[0] - int(np.ceil(tight.y1)), full.shape[0] - int(tight.y0)
    assert not differs[y0:y1, x0:x1].any()
    assert np.any(full[y0:y1, x0:x1] < 200)  # the whole diagram has ink: its dots and lines
    # the zoom's labels stay inside the zoom
    for label in zoom.texts:
        box = label.get_tightbbox(renderer)
        assert box is None or box.x0 >= zoom.bbox.x0 - 1


def test_renderer_ignores_what_is_drawn_off_the_canvas():
    """A label at a data position far outside its axes paints nothing; when that axes' limits
    change, only the axes is re-rendered, and its neighbour stays as a full redraw shows it."""
    from matplotlib.figure import Figure

    from gdviz.widgets.render import Renderer

    figure = Figure(figsize=(6, 2), dpi=100)
    left, right = figure.subplots(1, 2)
    left.plot([0, 1], [0, 1], lw=3)
    right.plot([0, 1], [1, 0], lw=3)
    right.text(-1000.0, 0.5, "far away")  # unclipped, thousands of pixels left of the canvas
    renderer = Renderer(figure)
    renderer.png([])
    right.set_xlim(0, 2)  # stale: the right axes is wiped and drawn anew
    fast = png_array(renderer.png([]))
    figure.canvas.draw()
    full = np.asarray(figure.canvas.buffer_rgba())[..., :3].astype(int)
    x0, x1 = (round(v) for v in left.bbox.intervalx)
    assert np.abs(fast[:, x0:x1] - full[:, x0:x1]).max() == 0


@pytest.mark.parametrize(("objective", "x0"), [(gd.functions.sin_gauss, 0.0), (gd.functions.quadratic, -1.5)])
def test_start_sliders_put_round_starts_on_their_grid(objective, x0):
    slider = gd.widgets.explore_1d(objective, x0=x0).controls["x0"]
    steps = (x0 - slider.min) / slider.step
    assert abs(steps - round(steps)) < 1e-9  # the front end snaps to min + k * step: x0 must be such a point
    assert slider.min <= objective.bounds[0][0] and slider.max >= objective.bounds[0][1]
    assert f"{slider.value:{slider.readout_format}}" == f"{x0:.2f}"  # shown as 0.00, not 1.78e-15


# --------------------------------------------------------------------------- the visual standard


def test_a_method_has_one_colour_whatever_its_place_in_the_list():
    f = gd.functions.ravine
    first = W.explore_optimizers(f, ("adam", "gd"), lr=0.02, epochs=20)
    last = W.explore_optimizers(f, ("gd", "momentum", "adam"), lr=0.02, epochs=20)
    alone = W.explore_2d(gd.functions.peaks, lr=0.01, epochs=20, optimizer="adam")
    colour = gd.plotting.color_of("adam")
    assert first.view.paths.line(0).get_color() == last.view.paths.line(2).get_color() == colour
    assert alone.view.paths.line(0).get_color() == colour
    (loss,) = alone.view.lines["f"]
    assert loss.get_color() == colour and last.view.lines["f"][2].get_color() == colour
    assert last.view.paths.line(1).get_color() == gd.plotting.color_of("momentum")


def overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_every_run_diverging_gives_one_message_line_and_a_readout_line_per_run():
    f, names, start = gd.functions.ravine, ("gd", "momentum", "nesterov"), (-4.2, 1.8)
    w = W.explore_optimizers(f, names, lr=0.02, epochs=100, x0=start)
    w.controls["lr"].value = 0.5  # 0.5 x 100 >> 2 on the steep axis: every run blows up
    runs = {n: gd.descend(f, list(start), lr=0.5, epochs=100, optimizer=n) for n in names}
    assert all(t.diverged for t in runs.values())
    assert w.view.messages == [f"{n} diverged at step {int(t.diverged_at)} - lower the learning rate"
                               for n, t in runs.items()]
    text = w.view.message.get_text()
    assert "\n" not in text and all(n in text for n in names)
    fig = w.view.figure
    renderer = fig.canvas.get_renderer()
    box = w.view.message.get_window_extent(renderer)
    assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1)
    for ax in fig.axes:  # its own strip: clear of every axes, title and colour bar
        assert not overlaps(box, ax.get_tightbbox(renderer)), ax
    lines = html.unescape(w.readout.value).splitlines()
    for n in names:  # one readout line per run says where it diverged
        (line,) = [line for line in lines if f"{n:>9}: final x" in line]
        assert line.removesuffix("</pre>").endswith(f"diverged: yes, at step {int(runs[n].diverged_at)}")
    assert not w.view.shortened and "<span" not in w.readout.value  # the strip said it all
    w.view.update(lr=0.5, epochs=100, x0=9.0, y0=1.8)  # and a start outside the window: too much for one line
    assert len(w.view.messages) == 4 and w.view.shortened
    assert w.view.message.get_text().endswith("(+3 more below)") and "\n" not in w.view.message.get_text()


def test_the_saved_frame_has_a_caption_and_the_hint_and_the_live_frame_not():
    w = W.explore_2d(gd.functions.peaks, x0=(-2.1, 1.8), lr=0.01, epochs=150, optimizer="momentum")
    w.controls["lr"].value = 0.02
    live, saved = png_array(w.view.png()), png_array(w.view.png(static=True))
    caption = w.view.caption.get_text()
    for part in ("lr = 0.02", "epochs = 150", "start (x, y) = (-2.1, 1.8)", "optimizer momentum"):
        assert part in caption
    assert w.view.hint.get_text() == "Run the notebook to move the sliders" == W.HINT
    strip = int(round(0.3 * 80 * 2))  # the bottom strip, in device pixels
    assert (live[:-strip] == saved[:-strip]).all()  # above the strip the frames agree
    assert (saved[-strip:] != live[-strip:]).any(axis=-1).mean() > 0.05  # caption and hint are drawn
    assert (live[-strip:] == 255).all()  # live: the strip stays blank (the sliders show the values)


@pytest.mark.parametrize("extra", ["", "  ·  momentum 0.9, nesterov, weight decay 0.01, clip at 1.0",
                                   " · more parameters" * 6], ids=["as is", "shrunk", "two lines"])
def test_the_saved_caption_ends_before_the_hint(extra):
    """The batch explorer's caption (data set, rate, epochs, start, optimizer, seed) reached the
    hint's box in the saved frame; a caption shrinks until a gap of white separates them."""
    w = W.explore_batches(gd.data.make_linear(n=200, seed=0), epochs=20, batch_size=32)
    w.view.caption.set_text(w.view.caption.get_text() + extra)
    strip = png_array(w.view.png(static=True))[-int(round(0.3 * 80 * 2)):]
    r, g, b = strip[..., 0], strip[..., 1], strip[..., 2]
    blue = (b > 150) & (r < 60)  # the hint's box, #0072B2
    grey = (abs(r - g) < 12) & (abs(g - b) < 12) & (r < 200)  # the caption's ink, #555555
    hint_left = np.flatnonzero(blue.any(axis=0)).min()
    caption_right = np.flatnonzero(grey[:, :hint_left].any(axis=0)).max()
    assert hint_left - caption_right >= 8  # device pixels of white between them
    assert not grey[0].any() and not grey[-1].any()  # and it stays inside its strip
    assert np.flatnonzero(grey.any(axis=0)).min() < 0.02 * strip.shape[1]  # the caption still starts at the left


def test_frames_have_twice_the_pixels_of_their_css_size(explorer):
    width, height = explorer.view.css_size
    assert png_array(shown_png(explorer)).shape[:2] == (2 * height, 2 * width)
    assert explorer.output.outputs[0]["metadata"]["image/png"] == {"width": width, "height": height}
    assert explorer.output.layout.height == f"{height + 4}px"


@pytest.mark.parametrize("make", ["race", "deep", "batches", "escape"])
def test_explorers_fit_a_laptop_screen(make):
    """1366 x 768 with JupyterLab's file browser open leaves about 950 x 560 CSS pixels: the
    figure takes at most 820 x 360 of them, the rest is for two rows of sliders and the readout."""
    w = {"race": lambda: W.explore_optimizers(gd.functions.ravine, lr=0.02, epochs=20),
         "deep": lambda: W.explore_deep(depth=4, width=4),
         "batches": lambda: W.explore_batches(gd.data.make_linear(n=16, seed=0), epochs=2),
         "escape": lambda: W.explore_escape(gd.functions.peaks, n=4, epochs=20)}[make]()
    width, height = w.view.css_size
    assert width <= 820 and height <= 360
    rows = [c for c in w.children if c is not w.output and c is not w.readout]
    assert len(rows) <= 2 and not any(isinstance(c, ipywidgets.Accordion) for c in rows)


def test_maps_with_equal_units_have_equal_aspect():
    assert W.explore_2d(gd.functions.peaks, epochs=5).view.ax.get_aspect() == 1.0
    assert W.explore_escape(gd.functions.peaks, n=3, epochs=5).view.ax.get_aspect() == 1.0
    batches = W.explore_batches(gd.data.make_linear(n=16, seed=0), epochs=2)
    assert batches.view.ax.get_aspect() == "auto"  # w and b are not in the same units


def test_readout_is_monospace_in_any_front_end():
    w = W.explore_1d(gd.functions.quadratic, epochs=5)
    styles = []

    class Styles(HTMLParser):
        def handle_starttag(self, tag, attrs):
            styles.append((tag, dict(attrs).get("style", "")))

    Styles().feed(w.readout.value)
    tag, style = styles[0]
    assert tag == "pre" and "font-family:" in style and style.rstrip("; ").count("monospace")


# --------------------------------------------------------------------------- explorers never raise


def test_panel_ranges_ignore_infinite_values():
    w = W.explore_1d(gd.Objective("sqrt(x) + x**2", bounds=(0, 3)), lr=0.01, epochs=20, x0=1.0)
    assert w.result is not None and not w.view.messages  # f'(0) is infinite: the derivative panel still has a range
    low, high = w.view.axes["grad"].get_ylim()
    grads = 1 / (2 * np.sqrt(np.linspace(0, 3, 400)[1:])) + 2 * np.linspace(0, 3, 400)[1:]  # f' by hand, x > 0
    assert np.isfinite([low, high]).all() and low <= grads.min() and high >= grads.max()


def test_a_start_at_a_pole_is_a_message_and_the_next_start_runs():
    w = W.explore_1d(gd.Objective("1/x + x**2"), lr=0.01, epochs=20, x0=0.0)
    assert w.result is None
    assert w.view.messages == ["x0: f or its gradient is not defined at the start x = 0: move the start"]
    assert w.readout.value.count("not run: x0") == 1
    assert not any(a.get_visible() for a in w.view.paths.artists())  # no stale run under a "not run"
    w.controls["x0"].value = 1.0
    assert w.result.x.tolist() == gd.descend(gd.Objective("1/x + x**2"), 1.0, lr=0.01, epochs=20).x.tolist()
    assert w.view.paths.line(0).get_visible() and not w.view.messages


@pytest.mark.parametrize(("make", "words"), [
    (lambda: W.explore_schedule(gd.functions.sin_gauss, "nope"), ["schedule", "'nope'", "step_decay", "cosine"]),
    (lambda: W.explore_optimizers(gd.functions.ravine, []), ["optimizers", "at least one"]),
    (lambda: W.explore_optimizers(gd.functions.ravine, [gd.optimizers.Adam()]), ["optimizers", "names"]),
    (lambda: W.explore_2d(gd.functions.peaks, optimizer=gd.optimizers.Adam()), ["optimizer", "names"]),
    (lambda: W.explore_deep(scale=0.0), ["scale", "> 0"]),
    (lambda: W.explore_1d(gd.functions.quadratic, lr_range=(0.0, 1.0)), ["lr range", "> 0"]),
    (lambda: W.explore_1d(gd.functions.peaks), ["objective", "1-D"]),
    (lambda: W.explore_escape(gd.functions.peaks, "nope"), ["strategy", "annealing"]),
    (lambda: W.explore_sweep(gd.functions.quadratic, 1.0, lrs=[], epochs_grid=[5]), ["lrs", "at least one"]),
])
def test_a_refused_constructor_argument_becomes_the_explorers_message(make, words):
    w = make()
    assert isinstance(w, W.Explorer) and w.controls == {} and w.result is None
    text = html.unescape(w.readout.value)
    assert all(word in text for word in words), text
    assert shown_png(w).startswith(b"\x89PNG")


def test_a_bug_is_not_disguised_as_bad_input(monkeypatch):
    w = W.explore_1d(gd.functions.quadratic, lr=0.1, epochs=5)

    def broken(*args, **kwargs):
        raise ValueError("a bug in gdviz, not the learner's input")  # a plain ValueError, not an ArgumentError

    monkeypatch.setattr(W.descent, "descend", broken)
    with pytest.raises(ValueError, match="a bug in gdviz"):
        w.controls["lr"].value = 0.2


def test_domain_computation_lives_below_the_widgets():
    assert W.gradient_verdict is gd.deep.gradient_verdict and W.VANISHING == gd.deep.VANISHING == 0.1
    assert W.escape_runs is gd.search.escape_runs and W.STRATEGIES is gd.search.STRATEGIES
    assert gd.deep.gradient_verdict([np.inf, 1.0])[0] == "exploding"
    assert gd.deep.gradient_verdict([0.0, 1.0]) == ("vanishing", 0.0)
    assert gd.deep.gradient_verdict([0.5, 1.0]) == ("healthy", 0.5)


# --------------------------------------------------------------------------- the theory, live (notebooks 01, 02)


@pytest.mark.parametrize(("rate", "regime"), [(0.01, "crawl"), (0.1, "converge"), (0.3, "bounce"), (0.34, "diverge")])
def test_explore_1d_theory_shows_distance_prediction_and_regime(rate, regime):
    f = gd.functions.quadratic  # x* = 1/2, f'' = 6
    w = W.explore_1d(f, lr=0.05, epochs=40, x0=-1.5, theory=True)
    assert set(w.view.lines) == {"x", "dist"} and w.view.axes["dist"].get_yscale() == "log"
    w.controls["lr"].value = rate
    expected = gd.descend(f, -1.5, lr=w.controls["lr"].value, epochs=40)
    (dist,) = w.view.lines["dist"]
    np.testing.assert_allclose(dist.get_ydata(), np.abs(expected.x - 0.5))
    q = 1 - w.controls["lr"].value * 6
    t, predicted = w.view.prediction.get_data()
    np.testing.assert_allclose(predicted, 2.0 * np.abs(q) ** np.arange(41))
    assert w.view.factor_text.get_text() == f"1 - lr f''(x*) = {q:.3g}: {regime}"
    assert f"factor 1 - lr f&#x27;&#x27;(x*) = {q:.4g} -&gt; {regime}" in w.readout.value
    assert "edge 2/f&#x27;&#x27; = 0.3333" in w.readout.value


def test_explore_1d_theory_at_a_flat_bottom_predicts_nothing_and_never_raises():
    quartic = gd.Objective("x**4", minima=[(0.0, 0.0)], bounds=(-2, 2))  # f''(0) = 0: no constant factor
    w = W.explore_1d(quartic, lr=0.1, epochs=20, x0=1.0, theory=True)
    expected = gd.descend(quartic, 1.0, lr=0.1, epochs=20)
    np.testing.assert_allclose(w.view.lines["dist"][0].get_ydata(), np.abs(expected.x))
    assert len(w.view.prediction.get_xdata()) == 0 and "no constant factor" in w.view.factor_text.get_text()
    assert "no constant factor" in w.readout.value


def test_explore_1d_without_theory_keeps_position_and_derivative():
    w = W.explore_1d(gd.functions.quadratic, lr=0.05, epochs=10)
    assert set(w.view.lines) == {"x", "grad"} and w.view.prediction is None
    assert "factor" not in w.readout.value


def test_explore_2d_theory_bars_follow_the_rate_and_no_optimizer_picker():
    f = gd.functions.peaks
    w = W.explore_2d(f, x0=(0.5, -1.0), lr=0.01, epochs=100, theory=True, choose_optimizer=False)
    assert "optimizer" not in w.controls
    h, p = 1e-4, np.array(f.global_minimum.x)
    H = np.array([[(f(p + a + b) - f(p + a - b) - f(p - a + b) + f(p - a - b)) / (4 * h * h)
                   for b in np.eye(2) * h] for a in np.eye(2) * h])
    lam = np.linalg.eigvalsh(H)
    for rate in (0.01, 0.05, 0.08):
        w.controls["lr"].value = rate
        heights = [b.get_height() for b in w.view.factors.bars.patches]
        np.testing.assert_allclose(heights, 1 - w.controls["lr"].value * lam, rtol=1e-4)
        expected = gd.descend(f, [0.5, -1.0], lr=w.controls["lr"].value, epochs=100)
        np.testing.assert_allclose(path_xy(w.view), expected.x)
    assert "no convergence" in w.view.factors.title.get_text()
    assert f"2/λmax = {2 / lam.max():.4g}" in w.readout.value
    assert "optimizer" in W.explore_2d(f, lr=0.01, epochs=10).controls  # the picker stays the default


@pytest.mark.parametrize("make", ["1d", "sweep", "schedule", "deep", "batches", "escape"])
def test_every_saved_frame_names_its_parameters(make):
    w = {"1d": lambda: W.explore_1d(gd.functions.quadratic, lr=0.125, epochs=7, x0=-1.5),
         "sweep": lambda: W.explore_sweep(gd.functions.quadratic, 1.5, lrs=[0.05, 0.125], epochs_grid=[7, 9], lr=0.125,
                                          epochs=7),
         "schedule": lambda: W.explore_schedule(gd.functions.quadratic, "exponential", lr=0.125, epochs=7, x0=-1.5),
         "deep": lambda: W.explore_deep(depth=7, width=4, activation="tanh", scale=0.125),
         "batches": lambda: W.explore_batches(gd.data.make_linear(n=16, seed=0), lr=0.125, epochs=7, batch_size=4),
         "escape": lambda: W.explore_escape(gd.functions.sin_gauss, "gd", n=7, lr=0.125, epochs=9)}[make]()
    caption = w.view.caption.get_text()
    wanted = {"deep": ["7 tanh layers", "× 0.125"], "escape": ["strategy gd", "lr = 0.125", "n = 7", "epochs = 9"],
              "batches": ["batch size 4", "lr = 0.125", "epochs = 7", "start (w, b)"]}.get(
        make, ["lr = 0.125", "epochs = 7", "start x = -1.5" if make != "sweep" else "start x = 1.5"])
    assert all(part in caption for part in wanted), caption
    assert png_array(w.view.png(static=True)).tolist() != png_array(w.image).tolist()


def _wcag_contrast(a: str, b: str) -> float:
    def luminance(hex_color: str) -> float:
        channels = [int(hex_color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, bl = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * bl
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_readouts_messages_are_readable_text():
    # 12 px bold is not "large text" for WCAG: the messages need 4.5, which the figures' vermillion
    # (3.9 on white) does not reach; the theme's error colour does, and so does the fallback
    from gdviz.widgets import controls

    assert _wcag_contrast("#D55E00", "#ffffff") < 4.5  # why the readout does not use it
    name, fallback = controls.MESSAGE_COLOR.removeprefix("var(").removesuffix(")").split(", ")
    assert name == "--jp-error-color1" and fallback == controls.MESSAGE_TEXT
    assert _wcag_contrast(fallback, "#ffffff") >= 4.5  # also the figures' message strip, on white
    assert _wcag_contrast("#d32f2f", "#ffffff") >= 4.5 and _wcag_contrast("#f44336", "#111111") >= 4.5  # Lab's
    w = W.explore_2d(gd.functions.peaks, lr=0.01, epochs=20)
    update = w.view.update

    def crowded(**values):  # more messages than the figure's strip holds: the readout lists them
        result = update(**values)
        w.view.messages, w.view.shortened = ["one thing went wrong", "and <another>"], True
        return result

    w.view.update = crowded
    w.controls["lr"].value = 0.02
    spans = [line for line in w.readout.value.split("\n") if line.startswith("<")][:2]
    assert all(f'<span style="color:{controls.MESSAGE_COLOR}; font-weight:bold">' in line for line in spans)
    assert "and &lt;another&gt;" in w.readout.value
