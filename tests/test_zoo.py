"""Notebook 06's theory and noise: the momentum rate map, measured rates, the noisy race explorer.

References are computed here from the formulas: the eigenvalues of momentum's 2x2 iteration
matrix by numpy, Distill's optimum from its closed form, plain loops for noisy descent.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdviz as gd
from gdviz.widgets.zoo import NoisyRaceView, RateMapView, noisy_gradient


def _spectral_radius(lr: float, beta: float, curvatures) -> float:
    """max over the curvatures of |eigenvalue| of [[1 + beta - lr*lam, -beta], [1, 0]]."""
    return max(np.abs(np.linalg.eigvals(np.array([[1 + beta - lr * lam, -beta], [1.0, 0.0]]))).max()
               for lam in curvatures)


@pytest.mark.parametrize(("lr", "beta"), [(0.005, 0.0), (0.01, 0.5), (0.0331, 0.669), (0.02, 0.9), (0.005, 0.95)])
def test_measured_rates_match_the_iteration_matrix(lr, beta):
    measured = gd.widgets.measure_momentum_rates(100.0, [lr], [beta], epochs=600)[0, 0]
    assert measured == pytest.approx(_spectral_radius(lr, beta, [1.0, 100.0]), abs=0.01)


def test_measured_rates_flag_divergence_and_keep_their_shape():
    rates = gd.widgets.measure_momentum_rates(100.0, [0.005, 0.05], [0.0, 0.5, 0.9])
    assert rates.shape == (3, 2)
    assert np.isnan(rates[0, 1]) or rates[0, 1] > 1  # plain descent at lr L = 5 > 2 diverges
    assert np.all(rates[:, 0] < 1)


def test_rate_map_marks_distills_optimum_and_the_edge():
    fig, ax = plt.subplots()
    kappa = 400.0
    drawn = gd.plotting.plot_momentum_rates([1.0, kappa], ax=ax)
    beta_star = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    lr_star = (2 / (np.sqrt(kappa) + 1)) ** 2
    assert drawn.optimum.get_xdata()[0] == pytest.approx(lr_star * kappa)
    assert drawn.optimum.get_ydata()[0] == pytest.approx(beta_star)
    assert 1.0 in list(drawn.lines.levels) and drawn.measured is None
    assert ax.get_xlim() == pytest.approx((0.05, 4.0))  # axes in units of lr L: the same for every kappa
    plt.close(fig)


def test_rate_map_refuses_bad_curvatures():
    with pytest.raises(ValueError, match="curvatures"):
        gd.plotting.plot_momentum_rates([1.0, 0.0])
    with pytest.raises(TypeError, match="curvatures"):
        gd.plotting.plot_momentum_rates("steep")
    plt.close("all")


def test_rate_map_view_follows_kappa_and_turns_bad_input_into_a_message():
    view = RateMapView(kappa=10.0, n_measured=(4, 6))
    first = view.readout
    rates = view.update(kappa=1000.0)
    assert rates.shape == (4, 6) and view.readout != first and "kappa" in view.heading.get_text()
    assert "0.9387" in view.readout  # (sqrt(1000) - 1) / (sqrt(1000) + 1)
    assert view.update(kappa=0.5) is None and "kappa" in view.messages[0]
    assert view.png()[:4] == b"\x89PNG"


def test_noisy_gradient_is_seeded_and_unbiased():
    f = gd.functions.ravine
    point = np.array([1.0, -0.5])
    a, b = noisy_gradient(f, 2.0, seed=3), noisy_gradient(f, 2.0, seed=3)
    assert np.array_equal(a(point, 0), b(point, 0))
    samples = np.array([a(point, t) for t in range(4000)])
    assert np.allclose(samples.mean(axis=0), f.grad(point), atol=0.15)  # 4 sigma / sqrt(4000) = 0.13
    assert samples.std(axis=0) == pytest.approx([2.0, 2.0], rel=0.05)
    with pytest.raises(ValueError, match="noise"):
        noisy_gradient(f, -1.0)


def test_noisy_race_without_noise_is_the_exact_race_and_noise_changes_it():
    f = gd.functions.ravine
    view = NoisyRaceView.noisy(f, ("gd", "momentum"), lr=0.005, epochs=40, noise=0.0, x0=[-5.0, 2.0])
    exact = gd.descend(f, [-5.0, 2.0], lr=0.005, epochs=40, optimizer="momentum")
    assert np.allclose(view.result["momentum"].x, exact.x)
    noisy = view.update(lr=0.005, epochs=40, x0=-5.0, y0=2.0, noise=3.0)
    # a plain loop with the same seeded noise: x <- x - lr (grad + 3 xi)
    rng, x = np.random.default_rng(0), np.array([-5.0, 2.0])
    for _ in range(40):
        x = x - 0.005 * (f.grad(x) + 3.0 * rng.standard_normal(2))
    assert np.allclose(noisy["gd"].final, x)
    assert view.update(lr=0.005, epochs=40, x0=-5.0, y0=2.0, noise=-1.0) is None and "noise" in view.messages[0]


def test_noisy_race_explorer_moves_with_its_slider():
    w = gd.widgets.explore_noisy_race(gd.functions.ravine, lr=0.005, epochs=30, noise=0.0)
    before = w.image
    w.controls["noise"].value = 8.0
    assert w.image != before and set(w.result) == {"gd", "momentum", "adam"}
