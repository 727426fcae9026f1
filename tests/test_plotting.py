"""gdviz.plotting: every helper draws on the given axes and returns what it drew.

The checks look at the drawn data (line coordinates, image arrays, marker positions,
limits), computed independently from the objective or the Trajectory, not only at the
absence of exceptions. pytest turns every warning into an error.
"""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from PIL import Image  # noqa: E402

import gdviz as gd  # noqa: E402
from gdviz import plotting as P  # noqa: E402
from gdviz.plotting.paths import MAX_PATH_MARKERS  # noqa: E402

QUAD = gd.functions.quadratic  # 3x^2 - 3x + 4 on [-2, 2], f'' = 6: converges for lr < 1/3
PEAKS = gd.functions.peaks


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def ax():
    return plt.figure(figsize=(3, 2.5), dpi=50).add_subplot()


def _f(obj, points):
    """The objective at points given one by one (an oracle independent of value_columns)."""
    return np.array([obj(p) for p in points])


# --------------------------------------------------------------------------- style, grids


def test_style_restores_rcparams_and_import_changed_nothing():
    before = dict(matplotlib.rcParams)
    with P.style(**{"font.size": 17}):
        assert matplotlib.rcParams["font.size"] == 17
        assert matplotlib.rcParams["image.cmap"] == P.CMAP
    assert dict(matplotlib.rcParams) == before
    assert matplotlib.rcParams["font.size"] == matplotlib.rcParamsDefault["font.size"]


def test_palette_is_okabe_ito_without_black():
    assert P.PALETTE == ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
    assert P.CMAP in ("viridis", "cividis")


def test_landscape_grid_matches_pointwise_values_and_bounds():
    X, Y, Z = P.landscape_grid(gd.functions.rosenbrock, n=7)
    (xlo, xhi), (ylo, yhi) = gd.functions.rosenbrock.bounds
    assert (X.min(), X.max(), Y.min(), Y.max()) == (xlo, xhi, ylo, yhi)
    points = np.stack([X.ravel(), Y.ravel()], axis=-1)
    expected = [(1 - x) ** 2 + 100 * (y - x * x) ** 2 for x, y in points]
    np.testing.assert_allclose(Z.ravel(), expected)


# --------------------------------------------------------------------------- 1-D


def test_function_1d_draws_f_and_derivative_over_the_bounds(ax):
    drawn = P.plot_function_1d(QUAD, ax=ax, n=50)
    x = drawn.curve.get_xdata()
    assert (x[0], x[-1]) == QUAD.bounds[0] == ax.get_xlim()
    np.testing.assert_allclose(drawn.curve.get_ydata(), 3 * x**2 - 3 * x + 4)
    np.testing.assert_allclose(drawn.derivative.get_ydata(), 6 * x - 3)
    np.testing.assert_allclose(drawn.extrema.minima.get_offsets(), [[0.5, 3.25]])
    assert P.plot_function_1d(QUAD, ax=plt.figure().add_subplot(), derivative=False).derivative is None


def test_descent_1d_points_arrows_start_end(ax):
    run = gd.descend(QUAD, x0=-1.5, lr=0.05, epochs=12)
    drawn = P.plot_descent_1d(run, ax=ax)
    np.testing.assert_allclose(drawn.points.get_xdata(), run.x)
    np.testing.assert_allclose(drawn.points.get_ydata(), run.f)
    assert drawn.arrows.N == 12  # one arrow per step
    np.testing.assert_allclose(drawn.arrows.U, np.diff(run.x))
    np.testing.assert_allclose(drawn.arrows.V, np.diff(run.f))
    assert drawn.start.get_xdata()[0] == -1.5 and drawn.end.get_xdata()[0] == run.final
    assert drawn.diverged.get_xdata().size == 0 and not drawn.note.get_visible()
    assert ax.get_xlim() == QUAD.bounds[0]


def test_descent_1d_overshoot_shows_as_alternating_arrows(ax):
    run = gd.descend(QUAD, x0=-1.0, lr=0.3, epochs=8)  # factor 1 - 0.3*6 = -0.8 per step
    drawn = P.plot_descent_1d(run, ax=ax)
    assert np.all(np.sign(drawn.arrows.U[1:]) == -np.sign(drawn.arrows.U[:-1]))


def test_descent_1d_diverged_run_is_marked_and_view_kept(ax):
    run = gd.descend(QUAD, x0=-1.5, lr=1.0, epochs=100)
    assert run.diverged
    drawn = P.plot_descent_1d(run, ax=ax)
    x_mark, y_mark = drawn.diverged.get_xdata(), drawn.diverged.get_ydata()
    assert len(x_mark) == 1
    (xlo, xhi), (ylo, yhi) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
    assert xlo <= x_mark[0] <= xhi and ylo <= y_mark[0] <= yhi  # the X is in view, at the edge
    assert ax.get_xlim() == QUAD.bounds[0]
    assert drawn.note.get_visible() and f"step {int(run.diverged_at)}" in drawn.note.get_text()


def test_update_descent_1d_changes_data_in_place(ax):
    drawn = P.plot_descent_1d(gd.descend(QUAD, x0=-1.5, lr=0.05, epochs=5), ax=ax)
    run = gd.descend(QUAD, x0=1.5, lr=0.1, epochs=20)
    new = P.update_descent_1d(drawn, run)
    assert new.points is drawn.points
    np.testing.assert_allclose(new.points.get_xdata(), run.x)
    assert new.arrows.N == np.count_nonzero(np.diff(run.x)) and drawn.arrows.axes is None  # old arrows removed
    blown = P.update_descent_1d(new, gd.descend(QUAD, x0=-1.5, lr=1.0, epochs=100))
    assert len(blown.diverged.get_xdata()) == 1 and blown.note.get_visible()


def test_1d_helpers_refuse_2d_objectives(ax):
    with pytest.raises(ValueError, match="objective"):
        P.plot_function_1d(PEAKS, ax=ax)
    with pytest.raises(ValueError, match="objective"):
        P.plot_paths(gd.descend(QUAD, 0.0, epochs=2), ax=ax)


# --------------------------------------------------------------------------- 2-D


def test_heatmap_array_is_f_on_the_grid(ax):
    drawn = P.plot_landscape(PEAKS, ax=ax, kind="heatmap", n=9)
    X, Y, Z = drawn.grid
    np.testing.assert_allclose(drawn.mappable.get_array(), _f(PEAKS, np.stack([X, Y], -1).reshape(-1, 2)).reshape(9, 9))
    assert drawn.mappable.get_extent() == [-3, 3, -3, 3]
    assert ax.get_xlim() == (-3, 3) and ax.get_ylim() == (-3, 3)
    assert drawn.colorbar is not None and drawn.colorbar.mappable is drawn.mappable


def test_contour_levels_cover_f_and_colorbar_optional(ax):
    drawn = P.plot_landscape(gd.functions.ravine, ax=ax, n=21, levels=12, colorbar=False)
    assert drawn.colorbar is None
    levels = drawn.mappable.levels
    assert levels[0] <= drawn.grid.Z.min() and levels[-1] >= drawn.grid.Z.max()
    assert ax.get_xlim() == (-6, 6) and ax.get_ylim() == (-3, 3)  # the ravine's own bounds
    with pytest.raises(ValueError, match="kind"):
        P.plot_landscape(PEAKS, ax=ax, kind="pie")


def test_surface_on_3d_axes():
    ax3 = plt.figure().add_subplot(projection="3d")
    drawn = P.plot_surface(PEAKS, ax=ax3, n=10)
    assert drawn.grid.Z.shape == (10, 10) and drawn.surface in ax3.collections
    with pytest.raises(ValueError, match="3-D"):
        P.plot_surface(PEAKS, ax=plt.figure().add_subplot())


def test_gradient_field_points_downhill(ax):
    q = P.plot_gradient_field(gd.functions.ravine, ax=ax, n=5)
    X, Y = q.X.reshape(5, 5), q.Y.reshape(5, 5)
    g = np.array([[-x, -100 * y] for x, y in zip(X.ravel(), Y.ravel(), strict=True)])  # -grad of (x^2+100y^2)/2
    norm = np.linalg.norm(g, axis=1, keepdims=True)
    unit = np.divide(g, norm, out=np.zeros_like(g), where=norm > 0)
    np.testing.assert_allclose(np.column_stack([q.U, q.V]), unit, atol=1e-12)
    assert q.N == 25
    assert to_rgba(q.get_facecolor()[0]) == to_rgba(P.NEUTRAL, 0.8)  # the same default on any axes


def test_paths_markers_and_diverged_mark_only_on_diverged_runs(ax):
    good = gd.descend(PEAKS, [-0.5, 1.0], lr=0.05, epochs=30)
    bad = gd.descend(gd.functions.ravine, [5.0, 2.0], lr=0.5, epochs=200)  # 1 - 100*0.5 < -1: diverges
    assert bad.diverged and not good.diverged
    drawn = P.plot_paths({"good": good}, ax=ax)
    (p,) = drawn
    np.testing.assert_allclose(p.line.get_xdata(), good.x[:, 0])
    np.testing.assert_allclose(p.line.get_ydata(), good.x[:, 1])
    np.testing.assert_allclose([p.start.get_xdata()[0], p.start.get_ydata()[0]], [-0.5, 1.0])
    np.testing.assert_allclose([p.end.get_xdata()[0], p.end.get_ydata()[0]], good.x[-1])
    assert p.start.get_marker() == "s" and p.end.get_marker() == "o"
    assert p.diverged.get_xdata().size == 0 and not p.note.get_visible()

    ax2 = plt.figure().add_subplot()
    P.plot_landscape(gd.functions.ravine, ax=ax2, n=20, colorbar=False)
    (q,) = P.plot_paths(bad, ax=ax2, labels=["too fast"])
    assert q.label == "too fast (diverged)"
    assert q.diverged.get_marker() == "X" and len(q.diverged.get_xdata()) == 1 and q.note.get_visible()
    assert ax2.get_xlim() == (-6, 6) and ax2.get_ylim() == (-3, 3)  # the view did not follow the run
    x_mark, y_mark = q.diverged.get_xdata()[0], q.diverged.get_ydata()[0]
    assert -6 <= x_mark <= 6 and -3 <= y_mark <= 3
    assert [t.get_text() for t in ax2.get_legend().get_texts()] == ["too fast (diverged)"]


def test_paths_of_a_batch_draw_one_path_per_run(ax):
    starts = np.array([[-2.0, 1.0], [1.0, 2.0], [2.0, -2.0]])
    batch = gd.descend(PEAKS, starts, lr=0.02, epochs=15)
    drawn = P.plot_paths(batch, ax=ax)
    assert len(drawn) == 3
    for i, p in enumerate(drawn):
        np.testing.assert_allclose(p.line.get_xydata(), batch.x[:, i])
    with pytest.raises(ValueError, match="labels"):
        P.plot_paths(batch, ax=ax, labels=["only one"])


def test_update_paths_moves_the_data(ax):
    drawn = P.plot_paths(gd.descend(PEAKS, [0.0, 0.0], lr=0.05, epochs=5), ax=ax)
    run = gd.descend(PEAKS, [1.0, -1.0], lr=0.05, epochs=9)
    (p,) = P.update_paths(drawn, run)
    np.testing.assert_allclose(p.line.get_xydata(), run.x)
    with pytest.raises(ValueError, match="runs"):
        P.update_paths(drawn, [run, run])


def test_paths_on_a_surface_lie_at_height_f():
    ax3 = plt.figure().add_subplot(projection="3d")
    P.plot_surface(PEAKS, ax=ax3, n=10)
    run = gd.descend(PEAKS, [-0.5, 1.0], lr=0.05, epochs=10)
    (p,) = P.plot_paths(run, ax=ax3)
    xs, ys, zs = p.line.get_data_3d()
    np.testing.assert_allclose(zs, _f(PEAKS, np.column_stack([xs, ys])))


def test_mark_extrema_positions(ax):
    marks = P.mark_extrema(PEAKS, ax=ax)
    np.testing.assert_allclose(marks.minima.get_offsets(), [m.x for m in PEAKS.minima])
    np.testing.assert_allclose(marks.maxima.get_offsets(), [m.x for m in PEAKS.maxima])
    assert marks.saddles is None
    assert P.mark_extrema(gd.functions.saddle, ax=ax).saddles.get_offsets().tolist() == [[0.0, 0.0]]


# --------------------------------------------------------------------------- histories


def test_history_1d_position_derivative_loss_rate(ax):
    run = gd.descend(QUAD, x0=-1.0, lr=0.05, epochs=20, schedule="exponential")
    (x_line,) = P.plot_history(run, what="x", ax=ax)
    np.testing.assert_allclose(x_line.get_xydata(), np.column_stack([np.arange(21), run.x]))
    (g_line,) = P.plot_history(run, what="grad", ax=plt.figure().add_subplot())
    np.testing.assert_allclose(g_line.get_ydata(), 6 * run.x - 3)
    (lr_line,) = P.plot_history(run, what="lr", ax=plt.figure().add_subplot())
    np.testing.assert_allclose(lr_line.get_xydata(), np.column_stack([np.arange(20), run.lr]))
    ax_f = plt.figure().add_subplot()
    (f_line,) = P.plot_history(run, what="f", ax=ax_f, log=True)
    assert ax_f.get_yscale() == "log" and ax_f.get_ylabel() == "f - f*"
    np.testing.assert_allclose(f_line.get_ydata(), np.maximum(run.f - 3.25, 1e-16))
    with pytest.raises(ValueError, match="what"):
        P.plot_history(run, what="speed", ax=ax)


def test_history_several_runs_legend_and_diverged_marker(ax):
    runs = {lr: gd.descend(QUAD, x0=-1.0, lr=lr, epochs=60) for lr in (0.05, 0.2, 0.5)}
    lines = P.plot_history({f"lr={k}": v for k, v in runs.items()}, what="x", ax=ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["lr=0.05", "lr=0.2", "lr=0.5 (diverged)"]
    assert len({line.get_color() for line in lines}) == 3
    for line, run in zip(lines, runs.values(), strict=True):
        y = line.get_ydata()
        if run.diverged:
            k = int(run.diverged_at)
            np.testing.assert_allclose(y[:k], run.x[:k])
            assert np.all(np.isnan(y[k:]))
            assert line.get_marker() == "X" and list(line.get_markevery()) == [k - 1]
        else:
            np.testing.assert_allclose(y, run.x)
            assert line.get_marker() == "None"


def test_history_2d_one_line_per_coordinate_and_gradient_norm(ax):
    run = gd.descend(PEAKS, [-0.5, 1.0], lr=0.05, epochs=10)
    lines = P.plot_history(run, what="x", ax=ax)
    assert len(lines) == 2
    np.testing.assert_allclose(lines[1].get_ydata(), run.x[:, 1])
    (norm,) = P.plot_history(run, what="grad", ax=plt.figure().add_subplot())
    np.testing.assert_allclose(norm.get_ydata(), np.hypot(run.grad[:, 0], run.grad[:, 1]))


def test_update_history_rescales(ax):
    lines = P.plot_history(gd.descend(QUAD, -1.0, lr=0.05, epochs=10), what="x", ax=ax)
    run = gd.descend(QUAD, 2.0, lr=0.01, epochs=40)
    P.update_history(lines, run, what="x")
    np.testing.assert_allclose(lines[0].get_ydata(), run.x)
    assert ax.get_xlim()[1] >= 40 and ax.get_ylim()[1] >= 2.0


def test_histories_panels_share_one_legend():
    runs = [gd.descend(QUAD, -1.0, lr=lr, epochs=10) for lr in (0.01, 0.1)]
    out = P.plot_histories(runs, whats=("x", "grad", "f", "lr"), log=["f"])
    assert list(out) == ["x", "grad", "f", "lr"] and all(len(v) == 2 for v in out.values())
    axes = [lines[0].axes for lines in out.values()]
    assert axes[0].get_legend() is not None and all(a.get_legend() is None for a in axes[1:])
    assert axes[2].get_yscale() == "log" and axes[0].get_yscale() == "linear"


# --------------------------------------------------------------------------- sweeps


def test_sweep_final_x_against_lr_with_gaps_where_diverged(ax):
    rates = np.array([0.01, 0.1, 0.2, 0.3, 0.4, 0.5])
    res = gd.sweep(QUAD, x0=-1.5, lr=rates, epochs=200)
    drawn = P.plot_sweep(res, ax=ax)
    (line,) = drawn.lines
    np.testing.assert_allclose(line.get_xdata(), rates)
    expected = np.where(res.diverged, np.nan, res.x)
    np.testing.assert_allclose(line.get_ydata(), expected)
    (marks,) = drawn.diverged
    np.testing.assert_allclose(marks.get_xdata(), rates[res.diverged])
    assert res.diverged.sum() == 2


def test_sweep_against_start_one_line_per_rate(ax):
    res = gd.sweep(gd.functions.sin_gauss, x0=np.linspace(-6, 6, 13), lr=[0.1, 0.5], epochs=100)
    drawn = P.plot_sweep(res, ax=ax, against="x0")
    assert len(drawn.lines) == 2
    np.testing.assert_allclose(drawn.lines[1].get_ydata(), res.x[:, 1])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["lr=0.1", "lr=0.5"]


def test_sweep_heatmap_is_lr_by_epochs_with_diverged_cells_masked(ax):
    rates, epochs = np.logspace(-3, 0, 7), np.array([1, 5, 20, 100])
    res = gd.sweep(QUAD, x0=-1.5, lr=rates, epochs=epochs)
    drawn = P.plot_sweep_heatmap(res, ax=ax)
    C = drawn.mesh.get_array()
    assert C.shape == (4, 7)
    np.testing.assert_array_equal(np.ma.getmaskarray(C), res.diverged.T)
    np.testing.assert_allclose(C.filled(np.nan), np.where(res.diverged.T, np.nan, res.f.T))
    assert ax.get_xscale() == "log" and drawn.colorbar is not None
    logged = P.plot_sweep_heatmap(res, ax=plt.figure().add_subplot(), log=True).mesh.get_array()
    np.testing.assert_allclose(logged.compressed(), np.maximum(res.f.T - 3.25, 1e-16)[~res.diverged.T])


def test_basins_image_is_the_basin_labels_and_colours_match_legend(ax):
    xs, ys = np.linspace(-3, 3, 12), np.linspace(-3, 3, 10)
    res = gd.sweep(PEAKS, x0=np.stack(np.meshgrid(xs, ys), axis=-1), lr=0.05, epochs=200)
    drawn = P.plot_basins(res, ax=ax, tol=1e-2)
    labels = res.basins(1e-2)
    np.testing.assert_array_equal(drawn.image.get_array(), labels)
    assert set(np.unique(labels)) >= {0, 1}
    rgba = drawn.image.to_rgba(drawn.image.get_array())
    handles = drawn.legend.legend_handles
    texts = [t.get_text() for t in drawn.legend.get_texts()]
    for i, m in enumerate(PEAKS.minima):
        if np.any(labels == i):
            cells = rgba[labels == i]
            assert np.all(cells == cells[0])  # one colour per basin ...
            handle = handles[[k for k, t in enumerate(texts) if f"{m.f:.3g}" in t][0]]
            assert tuple(cells[0]) == pytest.approx(to_rgba(handle.get_facecolor()))  # ... named in the legend
    assert drawn.image.get_extent() == pytest.approx([-3 - 3 / 11, 3 + 3 / 11, -3 - 1 / 3, 3 + 1 / 3])
    # a grid made with indexing="ij" is drawn the same way up
    res_ij = gd.sweep(PEAKS, x0=np.stack(np.meshgrid(xs, ys, indexing="ij"), axis=-1), lr=0.05, epochs=200)
    again = P.plot_basins(res_ij, ax=plt.figure().add_subplot(), tol=1e-2)
    np.testing.assert_array_equal(again.image.get_array(), labels)


# --------------------------------------------------------------------------- animation


def _small_anim(trajs, **kw):
    ax = plt.figure(figsize=(2.5, 2), dpi=40).add_subplot()
    return P.animate(trajs, ax=ax, max_frames=4, **kw)


def test_to_html_holds_every_frame():
    run = gd.descend(QUAD, x0=-1.5, lr=0.1, epochs=9)
    anim = _small_anim(run)
    html = P.to_html(anim)
    assert "<script" in html and html.count("data:image/png;base64") == 4
    # nothing to download: no icon font from a CDN, and every button shows a character of its own
    assert "font-awesome" not in html and "http" not in html and 'class="fa ' not in html
    buttons = re.findall(r'<button title="([^"]+)"[^>]*>\s*<span aria-hidden="true">([^<]+)</span></button>', html)
    assert len(buttons) == 9 and len({glyph for _, glyph in buttons}) == 9, buttons
    assert {"Play", "Pause", "Next frame", "First frame"} <= {title for title, _ in buttons}
    # the player's id follows from the frames, not from chance: a notebook saved twice is the same file
    again = P.to_html(_small_anim(run))
    ids = [re.search(r'id="_anim_img(\w+)"', h)[1] for h in (html, again)]
    assert ids[0] != ids[1] and ids[0].split("x")[1] == ids[1].split("x")[1]  # numbered; same frames, same digest
    assert html.replace(ids[0], "") == again.replace(ids[1], "") and ids[0] in html and "anim" + ids[0] in html


def test_gif_has_one_frame_per_step_shown(tmp_path):
    runs = [gd.descend(PEAKS, [-0.5, 1.0], lr=0.05, epochs=6, optimizer=o) for o in ("gd", "adam")]
    runs.append(gd.descend(gd.functions.peaks, [0.0, 0.0], lr=50.0, epochs=6))
    anim = _small_anim(runs)
    path = P.save_gif(anim, tmp_path / "race.gif", dpi=40)
    with Image.open(path) as im:
        assert im.format == "GIF" and im.is_animated and im.n_frames == 4


def test_animation_frames_follow_the_run():
    run = gd.descend(QUAD, x0=-1.5, lr=0.1, epochs=9)
    anim = _small_anim(run)
    ax = anim._fig.axes[0]
    trail, head = ax.lines[1], ax.lines[2]  # after the curve
    anim._func(6)
    np.testing.assert_allclose(trail.get_xdata(), run.x[:7])
    assert head.get_xdata()[0] == run.x[6]
    P.to_html(anim)  # render, so matplotlib does not warn about an unused animation


def test_helpers_never_show(monkeypatch, ax):
    def refuse(*args, **kwargs):
        raise AssertionError("plt.show() called")

    monkeypatch.setattr(plt, "show", refuse)
    run = gd.descend(QUAD, x0=-1.5, lr=0.1, epochs=5)
    P.plot_descent_1d(run, ax=ax)
    P.plot_histories(run, whats=("x", "f"))
    P.plot_landscape(PEAKS, n=10)
    P.plot_paths(gd.descend(PEAKS, [0.0, 1.0], epochs=3))


@pytest.mark.parametrize("spacing, scale", [(np.linspace, "linear"), (np.geomspace, "log")])
def test_sweep_axes_follow_how_the_rates_are_spaced(spacing, scale):
    # evenly spaced rates over many decades (1e-10 .. 0.1) still belong on a linear axis
    rates = spacing(1e-10, 0.1, 30)
    line = gd.sweep(gd.functions.sin_gauss, 0.0, lr=rates, epochs=20)
    grid = gd.sweep(gd.functions.sin_gauss, 0.0, lr=rates, epochs=[10, 20, 30])
    fig, (a, b) = plt.subplots(1, 2)
    P.plot_sweep(line, ax=a)
    P.plot_sweep_heatmap(grid, ax=b, colorbar=False)
    assert a.get_xscale() == scale and b.get_xscale() == scale
    assert b.get_yscale() == "linear"  # evenly spaced epochs


def test_step_ratio_measures_one_minus_lr_times_curvature():
    rates = np.linspace(0.01, 0.45, 40)
    result = gd.sweep(gd.functions.quadratic, x0=1.8, lr=rates, epochs=1)
    drawn = P.plot_step_ratio(result)
    x, y = drawn.measured.get_data()
    assert np.allclose(x, rates)
    assert np.allclose(y, 1 - 6 * rates)  # f'' = 6 for 3x^2 - 3x + 4, x* = 1/2
    assert np.allclose(drawn.theory.get_ydata(), 1 - 6 * rates)
    band = drawn.band.get_extents()  # spans -1 .. 1 in data coordinates
    lo, hi = drawn.measured.axes.transData.inverted().transform([[0, band.y0], [0, band.y1]])[:, 1]
    assert np.allclose([lo, hi], [-1, 1])
    with pytest.raises(ValueError, match="result"):
        P.plot_step_ratio(gd.sweep(gd.functions.quadratic, x0=1.8, lr=rates, epochs=2))


def test_long_paths_mark_about_sixty_steps_but_keep_every_point_of_the_line(ax):
    long_run = gd.descend(PEAKS, [2.2, -1.3], lr=0.01, epochs=1000)
    short_run = gd.descend(PEAKS, [2.2, -1.3], lr=0.01, epochs=30)
    (p_long,) = P.plot_paths(long_run, ax=ax)
    np.testing.assert_allclose(p_long.line.get_xdata(), long_run.x[:, 0])  # the line keeps every step
    shown = len(range(0, 1001, p_long.line.get_markevery()))
    assert MAX_PATH_MARKERS <= shown <= 1.1 * MAX_PATH_MARKERS
    (p_short,) = P.plot_paths(short_run, ax=plt.figure().add_subplot())
    assert p_short.line.get_markevery() == 1


def test_sweeps_with_diverged_runs_share_a_constrained_figure_and_overlay_in_their_own_colours():
    rates = np.linspace(0.01, 0.5, 25)  # the quadratic diverges above lr = 1/3
    fixed = gd.sweep(gd.functions.quadratic, 1.8, lr=rates, epochs=200)
    decayed = gd.sweep(gd.functions.quadratic, 1.8, lr=rates, epochs=200, schedule=gd.schedules.exponential(0.9))
    assert fixed.diverged.any() and not decayed.diverged.any()
    # the X marks sit outside the axes; empty or not, they used to collapse a constrained layout
    # of several sweeps ("axes sizes collapsed to zero": a warning, so an error here)
    fig, axes = plt.subplots(1, 5, figsize=(15, 3), layout="constrained", sharey=True)
    for ax, result in zip(axes, [fixed, decayed] * 3, strict=False):
        P.plot_sweep(result, ax=ax)
    fig.canvas.draw()
    assert all(ax.get_position().width > 0.1 for ax in axes)
    ax = plt.figure().add_subplot()
    one = P.plot_sweep(fixed, ax=ax, colors=["#0072B2"], label="fixed")
    two = P.plot_sweep(decayed, ax=ax, colors=["#D55E00"], label="decayed")
    assert one.lines[0].get_color() != two.lines[0].get_color()
    assert {"fixed", "decayed"} <= {t.get_text() for t in ax.get_legend().get_texts()}


# --------------------------------------------------------------------------- layer gradients, data loss, outcomes


def test_layer_gradients_bound_gaps_and_overflow(ax):
    norms = np.array([np.inf, 0.0, 1e-3, 0.1, 0.5])
    drawn = P.plot_layer_gradients(norms, ax=ax, bound=0.25)
    assert drawn.line.get_xdata().tolist() == [1, 2, 3, 4, 5] and ax.get_yscale() == "log"
    np.testing.assert_array_equal(drawn.line.get_ydata(), [np.nan, np.nan, 1e-3, 0.1, 0.5])
    np.testing.assert_allclose(drawn.bound.get_ydata(), 0.5 * 0.25 ** np.array([4, 3, 2, 1, 0]))
    assert drawn.overflow.get_xdata().tolist() == [1.0]  # the inf, marked at the top edge
    lo, hi = ax.get_ylim()
    assert lo <= 0.5 * 0.25**4 and hi >= 0.5
    P.update_layer_gradients(drawn, [1.0, 2.0, 4.0])
    assert drawn.bound.get_ydata().size == 0 and drawn.overflow.get_xdata().size == 0
    assert ax.get_xlim() == (0.5, 3.5)
    np.testing.assert_allclose(drawn.line.get_ydata(), [1.0, 2.0, 4.0])


def test_data_loss_against_epochs_and_gradient_evaluations(ax):
    loss = gd.data.LeastSquares(gd.data.make_linear(n=12, seed=1))
    run = gd.data.descend_data(loss, [0.0, 0.0], lr=0.05, epochs=4, batch_size=5, seed=0)  # 3 updates per epoch
    line = P.plot_data_loss(run, ax=ax)
    np.testing.assert_allclose(line.get_xdata(), np.arange(13) / 3)
    by_hand = [np.mean((p[0] * loss.data.X[:, 0] + p[1] - loss.data.y) ** 2) for p in run.x]
    np.testing.assert_allclose(line.get_ydata(), np.array(by_hand) - loss.min_loss, rtol=1e-9)
    other = P.plot_data_loss(run, ax=plt.figure().add_subplot(), against="grad_evals", log=False)
    assert other.get_xdata().tolist() == [0, 5, 10, 12, 17, 22, 24, 29, 34, 36, 41, 46, 48]
    np.testing.assert_allclose(other.get_ydata(), by_hand)
    P.update_data_loss(line, gd.data.descend_data(loss, lr=0.05, epochs=9))
    assert ax.get_xlim() == (0.0, 9.0) and len(line.get_xdata()) == 10
    with pytest.raises(ValueError, match="against.*DataTrajectory"):  # no gradient evaluations outside data
        P.plot_data_loss(gd.descend(QUAD, 1.0, lr=0.1, epochs=3), ax=ax, against="grad_evals")
    steps = P.plot_data_loss(run, ax=plt.figure().add_subplot(), against="update", log=False)
    assert steps.get_xdata().tolist() == list(range(13))  # one point per update, at its index
    np.testing.assert_allclose(steps.get_ydata(), by_hand)
    with pytest.raises(ValueError, match="against"):
        P.plot_data_loss(run, ax=ax, against="seconds")


def test_outcomes_split_runs_by_success(ax):
    f = gd.functions.sin_gauss
    starts = np.array([-3.0, -1.0, 2.0, 5.5])
    run = gd.descend(f, starts, lr=0.5, epochs=40)
    reached = gd.search.reached_global(f, run.f[-1], tol=0.01)
    assert 0 < reached.sum() < 4
    drawn = P.plot_outcomes(f, run.x, reached, ax=ax)
    for seg, k in zip(drawn.hits.get_segments(), np.flatnonzero(reached), strict=True):
        np.testing.assert_allclose(seg, np.column_stack([run.x[:, k], _f(f, run.x[:, k])]))
    assert len(drawn.misses.get_segments()) == int((~reached).sum())
    np.testing.assert_allclose(drawn.starts.get_xdata(), starts)
    np.testing.assert_allclose(drawn.hit_ends.get_xdata(), run.x[-1, reached])
    assert ax.get_xlim() == f.bounds[0]
    peaks = gd.descend(PEAKS, [[0.0, -1.0], [-1.5, 0.5]], lr=0.05, epochs=30)
    flat = P.plot_outcomes(PEAKS, peaks.x, [True, False], ax=plt.figure().add_subplot())
    np.testing.assert_allclose(flat.hits.get_segments()[0], peaks.x[:, 0])
    np.testing.assert_allclose(flat.misses.get_segments()[0], peaks.x[:, 1])
    P.update_outcomes(flat, PEAKS, peaks.x[:, :1], [False])
    assert len(flat.hits.get_segments()) == 0 and len(flat.misses.get_segments()) == 1
    losses = P.plot_outcome_losses(run.f, reached, ax=plt.figure().add_subplot(), f_star=f.global_minimum.f)
    np.testing.assert_allclose(losses.hits.get_segments()[0], np.column_stack([np.arange(41), run.f[:, reached][:, 0]]))
    with pytest.raises(ValueError, match="one flag per run"):
        P.update_outcomes(drawn, f, run.x, [True])


def test_layer_gradients_of_several_networks_share_one_view_and_stay_distinct(ax):
    same = np.array([1e-6, 1e-4, 1e-2])
    nets = {"a": same, "b": same.copy(), "c": np.array([5.0, 50.0, 500.0, 5e3])}  # a and b coincide
    drawn = P.plot_layer_gradients(nets, ax=ax)
    assert list(drawn) == ["a", "b", "c"]
    for name, d in drawn.items():
        np.testing.assert_allclose(d.line.get_xdata(), np.arange(1, len(nets[name]) + 1))
        np.testing.assert_allclose(d.line.get_ydata(), nets[name])
    lines = [d.line for d in drawn.values()]
    assert len({line.get_color() for line in lines}) == 3 and len({line.get_linestyle() for line in lines}) == 3
    assert lines[0].get_linewidth() > lines[1].get_linewidth() > lines[2].get_linewidth()  # "a" shows under "b"
    assert lines[0].get_zorder() < lines[1].get_zorder()
    lo, hi = ax.get_ylim()
    assert lo <= 1e-6 and hi >= 5e3 and ax.get_xlim() == (0.5, 4.5)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="keys are the labels"):
        P.plot_layer_gradients(nets, ax=ax, label="x")


def test_layer_gradients_calls_and_sharey_panels_keep_every_line_in_view():
    fig, (left, right) = plt.subplots(1, 2, sharey=True)
    P.plot_layer_gradients({"tiny": [1e-20, 1e-10]}, ax=left)
    P.plot_layer_gradients({"huge": [1e10, 1e20, 1e30]}, ax=right)  # would shrink the shared y axis to 1e9..1e31
    for a in (left, right):
        lo, hi = a.get_ylim()
        assert lo <= 1e-20 and hi >= 1e30
    ax = plt.figure().add_subplot()
    P.plot_layer_gradients([1.0, 2.0], ax=ax)
    P.plot_layer_gradients([1e-8, 1e-8, 1e-8, 1e-8], ax=ax, color=P.PALETTE[1])  # the single-array form grows too
    assert ax.get_ylim()[0] <= 1e-8 and ax.get_ylim()[1] >= 2.0 and ax.get_xlim() == (0.5, 4.5)


def test_history_of_a_data_run_is_against_updates_epochs_or_gradient_evaluations(ax):
    loss = gd.data.LeastSquares(gd.data.make_linear(n=12, seed=1))
    run = gd.data.descend_data(loss, [0.0, 0.0], lr=0.05, epochs=4, batch_size=5, seed=0)  # 3 updates per epoch
    by_hand = np.array([np.mean((p[0] * loss.data.X[:, 0] + p[1] - loss.data.y) ** 2) for p in run.x])
    (line,) = P.plot_history(run, what="f", ax=ax, log=True)
    np.testing.assert_allclose(line.get_xdata(), np.arange(13))
    np.testing.assert_allclose(line.get_ydata(), by_hand - loss.min_loss, rtol=1e-9)
    assert ax.get_xlabel() == "update" and ax.get_ylabel() == "L - L*"
    epochs_ax = plt.figure().add_subplot()
    (line,) = P.plot_history(run, what="f", ax=epochs_ax, against="epoch")
    np.testing.assert_allclose(line.get_xdata(), np.arange(13) / 3)
    assert epochs_ax.get_xlabel() == "epoch" and epochs_ax.get_ylabel() == "L"
    work = plt.figure().add_subplot()
    other = gd.data.descend_data(loss, [0.0, 0.0], lr=0.05, epochs=4, batch_size=1, seed=0)
    lines = P.plot_history({"b=5": run, "SGD": other}, what="f", ax=work, against="grad_evals", log=True)
    assert lines[0].get_xdata().tolist() == [0, 5, 10, 12, 17, 22, 24, 29, 34, 36, 41, 46, 48]
    np.testing.assert_allclose(lines[1].get_xdata(), np.arange(49))
    assert work.get_xlabel() == "gradient evaluations"
    (top,) = [a for a in work.child_axes if a.get_xlabel() == "epochs"]  # 12 samples: 48 evaluations = 4 epochs
    P.plot_history(run, what="f", ax=work, against="grad_evals")
    assert len(work.child_axes) == 1  # a second call adds no second epochs axis
    (rates,) = P.plot_history(run, what="lr", ax=plt.figure().add_subplot(), against="grad_evals")
    assert rates.get_xdata().tolist() == [0, 5, 10, 12, 17, 22, 24, 29, 34, 36, 41, 46]  # rate u moves row u
    with pytest.raises(ValueError, match="DataTrajectory"):
        P.plot_history(gd.descend(QUAD, 1.0, lr=0.1, epochs=3), what="f", ax=ax, against="grad_evals")


def test_data_loss_calls_on_one_axes_keep_every_run_in_view(ax):
    loss = gd.data.LeastSquares(gd.data.make_linear(n=40, seed=2))
    short = gd.data.descend_data(loss, [0.0, 0.0], lr=0.1, epochs=2, batch_size=40)
    noisy = gd.data.descend_data(loss, [5.0, -5.0], lr=0.05, epochs=6, batch_size=1, seed=0)
    for run in (noisy, short):  # the second, smaller run must not shrink the view
        P.plot_data_loss(run, ax=ax, against="grad_evals")
    lo, hi = ax.get_ylim()
    for line in ax.get_lines():
        y = line.get_ydata()
        assert lo <= np.nanmin(y) and np.nanmax(y) <= hi
        assert line.get_xdata()[-1] <= ax.get_xlim()[1]
    assert ax.get_xlim()[1] >= 6 * 40


def test_data_scatter_with_fitted_lines(ax):
    data = gd.data.make_linear(n=30, w=2.0, b=-1.0, noise=0.5, seed=0)
    loss = gd.data.LeastSquares(data)
    drawn = P.plot_data(loss, ax=ax, lines={"least squares": loss.solution, "truth": (2.0, -1.0)}, annotate={3: "four"})
    np.testing.assert_allclose(drawn.points.get_offsets(), np.column_stack([data.X[:, 0], data.y]))
    x0, x1 = ax.get_xlim()
    assert x0 < data.X.min() and x1 > data.X.max()
    slope, intercept = np.polyfit(data.X[:, 0], data.y, 1)  # an independent least-squares fit
    for name, (w, b) in {"least squares": (slope, intercept), "truth": (2.0, -1.0)}.items():
        line = drawn.lines[name]
        assert line.get_xdata().tolist() == [x0, x1]
        np.testing.assert_allclose(line.get_ydata(), [w * x0 + b, w * x1 + b], rtol=1e-9)
    assert drawn.lines["least squares"].get_linestyle() != drawn.lines["truth"].get_linestyle()
    assert drawn.notes[0].xy == (data.X[3, 0], data.y[3]) and drawn.notes[0].get_text() == "four"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y")
    assert ax.get_legend() is not None
    with pytest.raises(ValueError, match="one feature"):
        P.plot_data(gd.data.Dataset(np.ones((3, 2)) * [[1], [2], [3]], [1.0, 2.0, 3.0]), ax=ax)
    with pytest.raises(ValueError, match="lines"):
        P.plot_data(data, ax=ax, lines={"bad": (1.0, 2.0, 3.0)})


def test_shares_are_grouped_labelled_bars(ax):
    shares = {"peaks": {"GD": 0.28, "restarts": 0.965}, "Rastrigin": {"GD": 0.0075, "restarts": 0.09, "SA": 0.31}}
    bars = P.plot_shares(shares, ax=ax)
    assert [b.get_label() for b in bars] == ["GD", "restarts", "SA"]
    width = 0.8 / 3
    for i, (container, method) in enumerate(zip(bars, ["GD", "restarts", "SA"], strict=True)):
        groups = [g for g, row in enumerate(shares.values()) if method in row]
        expected = [list(shares.values())[g][method] for g in groups]
        np.testing.assert_allclose([r.get_height() for r in container], expected)
        centres = [r.get_x() + r.get_width() / 2 for r in container]
        np.testing.assert_allclose(centres, np.array(groups) + (i - 1) * width)
        assert len({r.get_facecolor() for r in container}) == 1  # one colour per method, in every group
        assert container[0].get_facecolor() == to_rgba(P.PALETTE[i])  # not all methods: the palette
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == sorted(["28%", "96%", "1%", "9%", "31%"])
    assert [t.get_text() for t in ax.get_xticklabels()] == ["peaks", "Rastrigin"]
    assert ax.get_ylim()[0] == 0 and 0.965 < ax.get_ylim()[1] < 1.1
    assert ax.yaxis.get_major_formatter()(0.5, 0) == "50%"
    counts = P.plot_shares({"a": {"x": 3.0, "y": 12.0}}, ax=plt.figure().add_subplot(), ylabel="runs", percent=False)
    assert counts[1].datavalues.tolist() == [12.0] and counts[0].patches[0].axes.get_ylabel() == "runs"
    assert {t.get_text() for t in counts[0].patches[0].axes.texts} == {"3", "12"}
    with pytest.raises(TypeError, match="group"):
        P.plot_shares({}, ax=ax)


def test_annealing_record_draws_like_a_trajectory(ax):
    f = gd.functions.sin_gauss
    walk = gd.search.simulated_annealing(f, 4.3, epochs=60, T0=1.0, step=2.0, seed=5, bounds=f.bounds)
    drawn = P.plot_descent_1d(walk, ax=ax, max_arrows=100, uphill=P.DIVERGED_COLOR)
    np.testing.assert_allclose(drawn.points.get_xdata(), walk.x)
    np.testing.assert_allclose(drawn.points.get_ydata(), _f(f, walk.x))
    moved = np.flatnonzero(walk.x[1:] != walk.x[:-1])
    assert drawn.arrows.N == walk.accepted.sum() == moved.size  # rejected proposals get no arrow
    np.testing.assert_allclose(drawn.arrows.U, walk.x[moved + 1] - walk.x[moved])
    climbs = _f(f, walk.x[moved + 1]) > _f(f, walk.x[moved])
    assert 0 < climbs.sum() < climbs.size
    rgb, uphill = drawn.arrows.get_facecolors()[:, :3], to_rgba(P.DIVERGED_COLOR)[:3]
    assert np.all(np.isclose(rgb, uphill).all(axis=1) == climbs)  # uphill arrows, and only they, in vermillion
    assert "uphill move" in [line.get_label() for line in ax.get_lines()]
    assert drawn.end.get_xdata()[0] == walk.final and not drawn.note.get_visible()

    h = plt.figure().add_subplot()
    (pos,) = P.plot_history(walk, what="x", ax=h)
    np.testing.assert_allclose(pos.get_xydata(), np.column_stack([np.arange(61), walk.x]))
    assert h.get_xlabel() == "step"
    with pytest.raises(ValueError, match="annealing"):
        P.plot_history(walk, what="grad", ax=h)
    mixed = P.plot_history({"GD": gd.descend(f, 4.3, lr=0.5, epochs=60), "SA": walk}, what="f",
                           ax=plt.figure().add_subplot())
    np.testing.assert_allclose(mixed[1].get_ydata(), _f(f, walk.x))
    assert mixed[0].axes.get_xlabel() == "step"  # an epoch of GD and a step of annealing are both one row

    batch = gd.search.simulated_annealing(PEAKS, [[0.0, 0.0], [1.0, -1.0]], epochs=20, step=0.5, seed=0)
    paths = P.plot_paths(batch, ax=plt.figure().add_subplot())
    assert len(paths) == 2 and paths[0].label.startswith("annealing T0=1")
    np.testing.assert_allclose(paths[1].line.get_xydata(), batch.x[:, 1])
    assert all(p.diverged.get_xdata().size == 0 for p in paths)


def test_annealing_schedule_is_temperature_and_acceptance_against_the_step(ax):
    record = gd.search.simulated_annealing(gd.functions.sin_gauss, np.linspace(-8, 8, 40), epochs=50, T0=2.0,
                                           cooling=0.9, step=1.5, seed=1)
    drawn = P.plot_annealing_schedule(record, ax=ax)
    steps = np.arange(50)
    np.testing.assert_allclose(drawn.temperature.get_xydata(), np.column_stack([steps, 2.0 * 0.9**steps]))
    by_step = [np.mean(record.accepted[t]) for t in range(50)]
    np.testing.assert_allclose(drawn.acceptance.get_ydata(), by_step)
    assert ax.get_yscale() == "log" and drawn.share_axis.get_ylim() == (0, 1) and ax.get_xlabel() == "step"
    assert ax.get_title() == "cooling: T <- 0.9 T"
    smooth = P.plot_annealing_schedule(record, ax=plt.figure().add_subplot(), smooth=3)
    trailing = [np.mean(by_step[max(0, t - 2): t + 1]) for t in range(50)]
    np.testing.assert_allclose(smooth.acceptance.get_ydata(), trailing)
    with pytest.raises(TypeError, match="Annealing"):
        P.plot_annealing_schedule(gd.descend(QUAD, 1.0, lr=0.1, epochs=3), ax=ax)


def test_plot_state_draws_a_state_field_and_derived_quantities():
    run = gd.descend(gd.functions.ravine, [-5.0, 2.0], lr=0.005, epochs=40, optimizer="momentum", keep_state=True)
    ax = plt.figure().add_subplot()
    vx, vy = P.plot_state(run, quantity="v", ax=ax, ylabel="velocity")
    np.testing.assert_allclose(vx.get_ydata()[1:], run.x[:-1, 0] - run.x[1:, 0])  # velocity = the step taken
    np.testing.assert_allclose(vy.get_ydata()[1:], run.x[:-1, 1] - run.x[1:, 1])
    assert vx.get_color() != vy.get_color() and ax.get_ylabel() == "velocity"
    assert (vx.get_label(), vy.get_label()) == ("v (x)", "v (y)")
    ada = gd.descend(gd.functions.rosenbrock, [-1.2, 1.0], lr=0.5, epochs=30, optimizer="adagrad", keep_state=True)
    G = np.zeros(2)
    expected = []
    for g in ada.grad[:-1]:  # the effective rate lr / sqrt(G + eps), from the gradients the run recorded
        G = G + g * g
        expected.append(0.5 / np.sqrt(G + 1e-8))
    (only_y,) = P.plot_state(ada, quantity=lambda r: 0.5 / np.sqrt(r.state.G + 1e-8), ax=ax, coordinate=1, color="k",
                             label="AdaGrad", scale="log", first=1)
    np.testing.assert_allclose(only_y.get_ydata(), np.array(expected)[:, 1], rtol=1e-12)
    np.testing.assert_array_equal(only_y.get_xdata(), np.arange(1, 31))
    assert only_y.get_label() == "AdaGrad (y)" and ax.get_yscale() == "log"
    with pytest.raises(ValueError, match="quantity"):
        P.plot_state(run, quantity="G")
    with pytest.raises(ValueError, match="traj"):
        P.plot_state(gd.descend(gd.functions.ravine, [-5.0, 2.0]), quantity="v")


# --------------------------------------------------------------------------- the visual standard and the API

import inspect  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402

from gdviz.plotting._base import Record  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OPTIMIZER_NAMES = ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "nadam", "lion", "newton")
SCHEDULE_NAMES = ("constant", "step_decay", "exponential", "linear", "cosine", "warmup", "gradient_scaled")
BATCH_NAMES = ("batch", "mini-batch", "stochastic")


@pytest.mark.parametrize("family", [OPTIMIZER_NAMES, SCHEDULE_NAMES, BATCH_NAMES])
def test_colour_map_gives_each_method_of_a_family_its_own_colour(family):
    colours = [P.COLORS[name] for name in family]
    assert len({to_rgba(c) for c in colours}) == len(family)  # one colour per method, no two alike
    assert to_rgba(P.DIVERGED_COLOR) not in {to_rgba(c) for c in colours}  # vermillion means "diverged"


def test_colour_map_covers_every_name_the_engine_accepts():
    for name in (*gd.optimizers.NAMES, *gd.schedules.NAMES):
        assert P.color_of(name) == P.COLORS[name.lower()]


def test_color_of_reads_display_names_and_objects_and_refuses_other_names():
    assert P.color_of("Adam") == P.color_of(" adam ") == P.COLORS["adam"]
    assert P.color_of("Mini-Batch") == P.color_of("mini_batch") == P.COLORS["mini-batch"]
    assert P.color_of(gd.optimizers.get("nesterov")) == P.COLORS["nesterov"]
    assert P.color_of(gd.schedules.warmup(5, gd.schedules.cosine())) == P.COLORS["warmup"]  # "warmup+cosine"
    with pytest.raises(ValueError, match="name: expected a method, one of .*'adam'"):
        P.color_of("adamax")
    for bad in (3, None, gd.functions.quadratic):  # the objective's name is not a method's
        with pytest.raises((TypeError, ValueError), match="name: expected a method"):
            P.color_of(bad)
    with pytest.raises(TypeError, match="name"):
        P.color_of(3)


def _colour(artist):
    return to_rgba(artist.get_color())


def test_runs_of_different_optimizers_take_their_method_colours_in_every_helper(ax):
    f, start = gd.functions.ravine, [-5.0, 2.5]
    race = {label: gd.descend(f, start, lr=lr, epochs=20, optimizer=name)
            for label, name, lr in [("GD", "gd", 0.01), ("Adam", "adam", 0.1), ("heavy ball", "momentum", 0.005)]}
    want = [to_rgba(P.COLORS[name]) for name in ("gd", "adam", "momentum")]
    assert [_colour(p.line) for p in P.plot_paths(race, ax=ax)] == want
    assert [_colour(line) for line in P.plot_history(race, ax=plt.figure().add_subplot())] == want
    shown = P.plot_histories(race, whats=("f", "x"))
    assert [_colour(line) for line in shown["x"]] == [w for w in want for _ in range(2)]  # both coordinates
    one = P.plot_descent_1d(gd.descend(QUAD, 1.5, lr=0.05, epochs=5, optimizer="adam"))
    assert _colour(one.points) == to_rgba(P.COLORS["adam"])


def test_runs_on_data_take_their_batch_method_colours_and_schedules_theirs():
    loss = gd.data.LeastSquares(gd.data.make_linear(n=12, seed=1))
    runs = {name: gd.data.descend_data(loss, [0.0, 0.0], lr=0.05, epochs=2, batch_size=size, seed=0)
            for name, size in (("all", None), ("one", 1), ("four", 4))}
    lines = P.plot_history(runs)
    assert [_colour(line) for line in lines] == [to_rgba(P.COLORS[m]) for m in ("batch", "stochastic", "mini-batch")]
    assert _colour(P.plot_data_loss(runs["four"])) == to_rgba(P.COLORS["mini-batch"])
    scheduled = {s: gd.descend(QUAD, 1.5, lr=0.1, epochs=10, schedule=s) for s in ("constant", "cosine", "linear")}
    lines = P.plot_history(scheduled, what="lr")
    assert [_colour(line) for line in lines] == [to_rgba(P.COLORS[s]) for s in scheduled]


def test_runs_no_method_tells_apart_take_the_palette_and_colors_overrides(ax):
    batch = gd.descend(PEAKS, [[-1.0, 1.0], [1.0, 1.0], [0.0, -2.0]], lr=0.05, epochs=5)  # one record, three starts
    colours = [_colour(p.line) for p in P.plot_paths(batch, ax=ax)]
    assert len(set(colours)) == 3 and to_rgba(P.DIVERGED_COLOR) not in colours
    rates = {"slow": gd.descend(QUAD, 1.5, lr=0.01, epochs=5), "fast": gd.descend(QUAD, 1.5, lr=0.2, epochs=5)}
    assert len({_colour(line) for line in P.plot_history(rates)}) == 2  # same method twice: told apart anyway
    mine = P.plot_history(rates, colors=["#123456"], ax=plt.figure().add_subplot())
    assert {_colour(line) for line in mine} == {to_rgba("#123456")}


def test_shares_of_course_methods_take_their_colours(ax):
    bars = P.plot_shares({"peaks": {"GD": 0.3, "Momentum": 0.5, "Adam": 0.4}}, ax=ax)
    assert [b.patches[0].get_facecolor() for b in bars] == [to_rgba(P.COLORS[m]) for m in ("gd", "momentum", "adam")]


def _data(artists):
    """Every line's data (x, y) and visibility, in order: what a viewer sees of them."""
    out = []
    for a in artists:
        if isinstance(a, matplotlib.lines.Line2D):
            xy = [np.where(np.isnan(v), None, v).tolist() for v in (np.asarray(a.get_xdata(), float),
                                                                     np.asarray(a.get_ydata(), float))]
            out.append((*xy, a.get_visible(), a.get_marker(), str(a.get_markevery())))  # NaN as None: comparable
        elif isinstance(a, matplotlib.text.Text):
            where = tuple(np.round(a.get_position(), 9)) if a.get_visible() else None  # hidden: anywhere
            out.append((a.get_text(), a.get_visible(), where))
    return out


def test_update_after_plot_draws_what_a_fresh_plot_draws_1d():
    first, second = gd.descend(QUAD, 1.8, lr=0.5, epochs=60), gd.descend(QUAD, -1.5, lr=0.1, epochs=60)
    assert first.diverged and not second.diverged  # the update goes from a blow-up to a calm run
    for a, b in ((first, second), (second, first)):
        drawn = P.plot_descent_1d(a, color="#0072B2")
        updated = P.update_descent_1d(drawn, b)
        fresh = P.plot_descent_1d(b, color="#0072B2")
        assert _data(updated[:1] + updated[2:]) == _data(fresh[:1] + fresh[2:])
        np.testing.assert_allclose(updated.arrows.get_offsets(), fresh.arrows.get_offsets())
        np.testing.assert_allclose(updated.arrows.U, fresh.arrows.U)


def test_update_after_plot_draws_what_a_fresh_plot_draws_2d_and_histories():
    f = gd.functions.ravine
    calm = gd.descend(f, [[-5.0, 2.5], [4.0, -2.0]], lr=0.01, epochs=30)
    wild = gd.descend(f, [[-5.0, 2.5], [4.0, -2.0]], lr=0.05, epochs=30)  # 1 - 0.05 * 100 < -1: diverges
    assert wild.diverged.all() and not calm.diverged.any()
    for a, b in ((calm, wild), (wild, calm)):
        drawn = P.update_paths(P.plot_paths(a), b)
        fresh = P.plot_paths(b)
        for d, e in zip(drawn, fresh, strict=True):
            assert _data([d.line, d.start, d.end, d.diverged, d.note]) == _data([e.line, e.start, e.end, e.diverged,
                                                                                 e.note])
            assert d.label == e.label
        for what in ("f", "grad", "x"):
            lines = P.update_history(P.plot_history(a, what=what, log=what != "x"), b, what=what, log=what != "x")
            assert _data(lines) == _data(P.plot_history(b, what=what, log=what != "x"))


def test_update_after_plot_draws_what_a_fresh_plot_draws_layers_and_data_loss():
    drawn = P.update_layer_gradients(P.plot_layer_gradients([1.0, np.inf, 3.0]), [1e-3, 1e-2, 1e-1, 1.0], bound=0.25)
    fresh = P.plot_layer_gradients([1e-3, 1e-2, 1e-1, 1.0], bound=0.25)
    assert _data(drawn) == _data(fresh) and drawn.bound.get_label() == fresh.bound.get_label()
    assert drawn.line.axes.get_ylim() == fresh.line.axes.get_ylim()
    loss = gd.data.LeastSquares(gd.data.make_linear(n=12, seed=1))
    a = gd.data.descend_data(loss, [0.0, 0.0], lr=0.05, epochs=3, batch_size=4, seed=0)
    b = gd.data.descend_data(loss, [1.0, 1.0], lr=0.05, epochs=6, batch_size=1, seed=1)
    line = P.update_data_loss(P.plot_data_loss(a, against="grad_evals"), b, against="grad_evals")
    again = P.plot_data_loss(b, against="grad_evals")
    assert _data([line]) == _data([again]) and line.axes.get_xlim() == again.axes.get_xlim()


#: Helpers whose subject is more than one argument: they keep that many positional parameters.
SUBJECTS = {"plot_outcomes": 3, "plot_outcome_losses": 2, "update_outcomes": 4, "update_outcome_losses": 3,
            "plot_decision_boundary": 4, "animate_boundary": 4, "plot_loss_slice": 3}


def test_every_option_of_a_plot_helper_is_keyword_only():
    helpers = [n for n in P.__all__ if callable(getattr(P, n)) and not inspect.isclass(getattr(P, n))
               and n not in ("style", "use_course_style", "color_of", "class_colors")]
    assert len(helpers) > 30
    for name in helpers:
        params = inspect.signature(getattr(P, name)).parameters.values()
        positional = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        subject = SUBJECTS.get(name, 2 if name.startswith("update_") or name == "save_gif" else 1)
        assert len(positional) <= subject, f"{name}: options {positional[subject:]} should be keyword-only"
        for p in params:
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                assert p.default is p.empty, f"{name}: {p.name} has a default, so it should be keyword-only"
            if p.name in ("ax", "axes"):
                assert p.kind is p.KEYWORD_ONLY, name


def test_one_name_for_the_x_axis_of_a_history():
    for name in ("plot_history", "update_history", "plot_histories", "plot_data_loss", "update_data_loss"):
        params = inspect.signature(getattr(P, name)).parameters
        assert "against" in params and "x" not in params, name


def test_all_lists_every_name_the_notebooks_call_and_each_has_a_docstring():
    called = set()
    for src in sorted((ROOT / "notebooks" / "src").glob("*.py")):
        called |= set(re.findall(r"gd\.plotting\.([A-Za-z_]\w*)", src.read_text(encoding="utf-8")))
    assert {"plot_state", "plot_step_ratio", "color_of", "use_course_style"} <= set(P.__all__)
    assert called, "no notebook calls gd.plotting?"
    assert called <= set(P.__all__), f"called by notebooks but not in gd.plotting.__all__: {called - set(P.__all__)}"
    for name in P.__all__:
        obj = getattr(P, name)
        if callable(obj):
            assert (obj.__doc__ or "").strip(), f"{name} has no docstring"
    assert len(P.__all__) == len(set(P.__all__))


def test_use_course_style_sets_the_style_and_retina_output_in_ipython(monkeypatch):
    import IPython
    import matplotlib_inline.backend_inline as inline

    asked = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(inline, "set_matplotlib_formats", lambda *formats: asked.append(formats))
    before = dict(matplotlib.rcParams)
    try:
        P.use_course_style()
        assert asked == [("retina",)]
        assert matplotlib.rcParams["font.size"] == 12 and matplotlib.rcParams["image.cmap"] == P.CMAP
        P.use_course_style("svg")
        assert asked[-1] == ("svg",)
        with pytest.raises(ValueError, match="output"):
            P.use_course_style("jpeg")
    finally:
        matplotlib.rcParams.update(before)


def _luminance(colour):
    r, g, b, _ = to_rgba(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_course_figures_are_opaque_white_with_dark_text_for_dark_themes():
    with P.style():
        fig, ax = plt.subplots()
        P.plot_history(gd.descend(QUAD, 1.5, lr=0.1, epochs=5), ax=ax)
        assert to_rgba(fig.get_facecolor()) == (1.0, 1.0, 1.0, 1.0) and to_rgba(ax.get_facecolor())[3] == 1.0
        assert not matplotlib.rcParams["savefig.transparent"]
        texts = [ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels()]
        assert all(_luminance(t.get_color()) < 0.3 for t in texts)  # dark on white, never dark on a dark page


def test_maps_with_shared_units_have_equal_aspect_unless_the_window_is_a_strip(ax):
    P.plot_landscape(PEAKS, ax=ax, n=10)  # [-3, 3] x [-3, 3]
    assert ax.get_aspect() == 1.0
    strip = plt.figure().add_subplot()
    P.plot_landscape(PEAKS, ax=strip, n=10, bounds=[(-3, 3), (-0.5, 0.5)])  # 12 times wider than tall
    assert strip.get_aspect() == "auto"
    free = plt.figure().add_subplot()
    P.plot_landscape(PEAKS, ax=free, n=10, aspect="auto")
    assert free.get_aspect() == "auto"
    xs = np.linspace(-3, 3, 5)
    res = gd.sweep(PEAKS, np.stack(np.meshgrid(xs, xs), axis=-1), lr=0.05, epochs=5)
    assert P.plot_basins(res, ax=plt.figure().add_subplot()).image.axes.get_aspect() == 1.0


def test_every_record_type_satisfies_the_record_protocol_and_a_duck_typed_one_is_drawn(ax):
    loss = gd.data.LeastSquares(gd.data.make_linear(n=8, seed=0))
    records = [gd.descend(QUAD, 1.0, lr=0.1, epochs=3), gd.data.descend_data(loss, [0.0, 0.0], lr=0.1, epochs=1),
               gd.search.simulated_annealing(QUAD, 1.0, epochs=3, seed=0)]
    assert all(isinstance(r, Record) for r in records)
    assert not isinstance(gd.sweep(QUAD, 1.0, lr=[0.1, 0.2], epochs=3), Record)  # finals only: not a record of runs

    class Walk:  # the minimum a record needs: rows of x and f, its objective, its batch and divergence flags
        def __init__(self, x):
            self.x = np.asarray(x, dtype=float)
            self.f = np.array([PEAKS(p) for p in self.x])
            self.objective, self.batch_shape, self.diverged = PEAKS, (), np.bool_(False)

    walk = Walk([[0.0, 0.0], [0.5, 0.5], [1.0, 0.0]])
    (path,) = P.plot_paths(walk, ax=ax)
    np.testing.assert_allclose(np.column_stack([path.line.get_xdata(), path.line.get_ydata()]), walk.x)
    assert path.label == "walk"
    (line,) = P.plot_history(walk, ax=plt.figure().add_subplot())
    np.testing.assert_allclose(line.get_ydata(), walk.f)
    assert line.axes.get_xlabel() == "step"
    with pytest.raises(ValueError, match="what: 'grad' is not recorded"):
        P.plot_history(walk, what="grad")
