"""Optimizers: each one against a plain scalar loop written straight from its formula (notebook 06).

The reference below shares no code with gdviz: hand-derived gradients, one Python float per
coordinate, the update rules of CURRICULUM.md section 06 and the schedule formula written out.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import gdviz as gd
from gdviz import optimizers as opt

# --------------------------------------------------------------------------- the reference


def _rosenbrock_grad(p):
    x, y = p
    return [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)]


def _ravine_grad(p):
    x, y = p
    return [x, 100 * y]


def _sin_gauss_grad(p):
    (x,) = p
    return [math.exp(-0.05 * x * x) * (math.cos(x) - 0.1 * x * math.sin(x))]


OBJECTIVES = {
    # name: (objective, hand-derived gradient, single start, batch of starts)
    "rosenbrock": (gd.functions.rosenbrock, _rosenbrock_grad, (-1.2, 1.0), [(-1.2, 1.0), (0.5, -0.5), (1.5, 2.0)]),
    "ravine": (gd.functions.ravine, _ravine_grad, (5.0, 2.0), [(5.0, 2.0), (-4.0, -1.0), (1.0, 2.5)]),
    "sin_gauss": (gd.functions.sin_gauss, _sin_gauss_grad, (0.3,), [(0.3,), (-2.0,), (4.0,)]),
}

OPTIMIZERS = {
    # name: (factory with non-default hyper-parameters, the same numbers for the reference)
    "gd": (lambda: opt.GD(), {}),
    "momentum": (lambda: opt.Momentum(beta=0.8), {"beta": 0.8}),
    "nesterov": (lambda: opt.Nesterov(beta=0.85), {"beta": 0.85}),
    "adagrad": (lambda: opt.AdaGrad(eps=1e-6), {"eps": 1e-6}),
    "rmsprop": (lambda: opt.RMSprop(rho=0.95, eps=1e-7), {"rho": 0.95, "eps": 1e-7}),
    "adam": (lambda: opt.Adam(beta1=0.85, beta2=0.99, eps=1e-7), {"beta1": 0.85, "beta2": 0.99, "eps": 1e-7}),
}

RATES = {  # stable rates for each pair, so that every run stays finite
    "rosenbrock": {"gd": 5e-4, "momentum": 2e-4, "nesterov": 2e-4, "adagrad": 0.1, "rmsprop": 2e-3, "adam": 0.02},
    "ravine": {"gd": 0.018, "momentum": 0.005, "nesterov": 0.005, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1},
    "sin_gauss": {"gd": 0.5, "momentum": 0.1, "nesterov": 0.1, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.05},
}

CLIP = {"rosenbrock": 50.0, "ravine": 20.0, "sin_gauss": 0.5}  # each clips the first steps from some start

EPOCHS = 150
WARMUP, FINAL = 5, 0.1


def warmup_cosine(t, total):
    """Linear warm-up over 5 steps, then cosine annealing down to 0.1 of the rate, by hand."""
    if t < WARMUP:
        return (t + 1) / WARMUP
    return FINAL + (1 - FINAL) * (1 + math.cos(math.pi * (t - WARMUP) / (total - WARMUP))) / 2


def reference_run(method, hyper, grad, start, lr, epochs, factor=None, clip=None):
    """Positions, gradients and rates of one run, one Python float per coordinate."""
    n = len(start)
    x = [float(c) for c in start]
    v, G, E, m, s = [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n
    xs, gs, lrs = [list(x)], [grad(x)], []
    for t in range(epochs):
        lr_t = lr * (1.0 if factor is None else factor(t, epochs))
        if method == "nesterov":  # gradient at the look-ahead point x - beta v
            g = grad([x[i] - hyper["beta"] * v[i] for i in range(n)])
        else:
            g = grad(x)
        if clip is not None:
            norm = math.sqrt(sum(c * c for c in g))
            if norm > clip:
                g = [c * clip / norm for c in g]
        for i in range(n):
            if method == "gd":
                x[i] = x[i] - lr_t * g[i]
            elif method in ("momentum", "nesterov"):
                v[i] = hyper["beta"] * v[i] + lr_t * g[i]
                x[i] = x[i] - v[i]
            elif method == "adagrad":
                G[i] = G[i] + g[i] ** 2
                x[i] = x[i] - lr_t * g[i] / math.sqrt(G[i] + hyper["eps"])
            elif method == "rmsprop":
                E[i] = hyper["rho"] * E[i] + (1 - hyper["rho"]) * g[i] ** 2
                x[i] = x[i] - lr_t * g[i] / math.sqrt(E[i] + hyper["eps"])
            elif method == "adam":
                m[i] = hyper["beta1"] * m[i] + (1 - hyper["beta1"]) * g[i]
                s[i] = hyper["beta2"] * s[i] + (1 - hyper["beta2"]) * g[i] ** 2
                m_hat = m[i] / (1 - hyper["beta1"] ** (t + 1))
                s_hat = s[i] / (1 - hyper["beta2"] ** (t + 1))
                x[i] = x[i] - lr_t * m_hat / (math.sqrt(s_hat) + hyper["eps"])
        xs.append(list(x))
        gs.append(grad(x))
        lrs.append(lr_t)
    return np.array(xs), np.array(gs), np.array(lrs)


# --------------------------------------------------------------------------- the table


@pytest.mark.parametrize("path", ["single", "batch"])
@pytest.mark.parametrize("variant", ["plain", "clip", "schedule"])
@pytest.mark.parametrize("objective_name", list(OBJECTIVES))
@pytest.mark.parametrize("method", list(OPTIMIZERS))
def test_optimizer_matches_its_formula(method, objective_name, variant, path):
    objective, grad, single, batch = OBJECTIVES[objective_name]
    factory, hyper = OPTIMIZERS[method]
    lr = RATES[objective_name][method]
    clip = CLIP[objective_name] if variant == "clip" else None
    schedule = gd.schedules.warmup(WARMUP, then=gd.schedules.cosine(final=FINAL)) if variant == "schedule" else None
    factor = warmup_cosine if variant == "schedule" else None

    starts = [single] if path == "single" else batch
    rates = [lr] if path == "single" else [lr, lr / 2, lr / 4]  # the batch also has one rate per run
    x0 = np.array(starts, dtype=float)
    if objective.dim == 1:
        x0 = x0[..., 0]
    if path == "single":
        x0, lr_arg = x0[0], lr
    else:
        lr_arg = np.array(rates)

    run = gd.descend(objective, x0, lr=lr_arg, epochs=EPOCHS, optimizer=factory(), schedule=schedule, clip=clip)

    for k, (start, rate) in enumerate(zip(starts, rates, strict=True)):
        xs, gs, lrs = reference_run(method, hyper, grad, start, rate, EPOCHS, factor, clip)
        assert np.all(np.isfinite(xs))
        # the comparison means something only if the run is not chaotic: nudging the start by
        # one part in 1e15 must not move the reference by more than the tolerance
        nudged = reference_run(method, hyper, grad, [c * (1 + 1e-15) + 1e-15 for c in start], rate, EPOCHS,
                               factor, clip)[0]
        assert np.abs(nudged - xs).max() < 1e-11
        pick = (slice(None),) if path == "single" else (slice(None), k)
        got_x, got_g, got_lr = run.x[pick], run.grad[pick], run.lr[pick]
        if objective.dim == 1:
            xs, gs = xs[:, 0], gs[:, 0]
        np.testing.assert_allclose(got_x, xs, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(got_g, gs, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(got_lr, lrs, rtol=1e-12, atol=0)
    assert not np.any(run.diverged)
    assert run.optimizer.name.lower() == method.replace("gd", "GD").lower()


def test_the_clip_variant_does_clip():
    """Guard against a vacuous table: the clipped rosenbrock runs differ from the plain ones."""
    plain = gd.descend(gd.functions.rosenbrock, [-1.2, 1.0], lr=5e-4, epochs=20)
    clipped = gd.descend(gd.functions.rosenbrock, [-1.2, 1.0], lr=5e-4, epochs=20, clip=1.0)
    assert np.abs(plain.x[1] - clipped.x[1]).max() > 0.01
    step = np.linalg.norm(clipped.x[1] - clipped.x[0])
    assert step == pytest.approx(5e-4 * 1.0, rel=1e-12)  # the step of a clipped gradient has length lr * clip


def test_clip_leaves_short_gradients_and_zero_gradients_alone():
    for x0 in ([0.0, 0.0], [[0.0, 0.0], [0.01, 0.0]]):
        plain = gd.descend(gd.functions.ravine, x0, lr=0.05, epochs=10)
        clipped = gd.descend(gd.functions.ravine, x0, lr=0.05, epochs=10, clip=1.0)
        np.testing.assert_array_equal(plain.x, clipped.x)
        assert np.all(np.isfinite(clipped.x))


# --------------------------------------------------------------------------- invariants


FACTORIES = [opt.GD, opt.Momentum, opt.Nesterov, opt.AdaGrad, opt.RMSprop, opt.Adam]


@pytest.mark.parametrize("factory", FACTORIES)
def test_init_state_is_zero_and_keeps_its_type(factory):
    o = factory()
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    x_before = x.copy()
    state = o.init(x)
    assert isinstance(state, tuple) and hasattr(state, "_fields")  # a NamedTuple
    for field in state:
        if isinstance(field, np.ndarray):
            assert field.shape == x.shape and not field.any()
        else:
            assert field == 0
    g = 2 * x
    g_before, state_before = g.copy(), copy.deepcopy(state)
    new_x, new_state = o.update(x, g, state, 0.1)
    assert type(new_state) is type(state)
    new_x2, newer = o.update(new_x, 2 * new_x, new_state, 0.1)
    assert type(newer) is type(state)
    # pure: nothing given to init or update was changed in place
    np.testing.assert_array_equal(x, x_before)
    np.testing.assert_array_equal(g, g_before)
    for a, b in zip(state, state_before, strict=True):
        np.testing.assert_array_equal(a, b)
    # and the same call gives the same answer
    again_x, again_state = o.update(x, g, state, 0.1)
    np.testing.assert_array_equal(again_x, new_x)


@pytest.mark.parametrize("factory", FACTORIES)
def test_update_works_on_floats_and_broadcasts_lr(factory):
    o = factory()
    x = 1.5
    x1, _ = o.update(x, 3.0, o.init(x), 0.1)
    assert isinstance(x1, float)
    xs = np.array([[1.5, 1.5, 1.5], [-1.0, -1.0, -1.0]])  # (dim, batch) with three rates
    lr = np.array([0.1, 0.2, 0.4])
    out, _ = o.update(xs, 2 * xs, o.init(xs), lr)
    for j, rate in enumerate(lr):
        single, _ = o.update(xs[:, j].copy(), 2 * xs[:, j], o.init(xs[:, j].copy()), rate)
        np.testing.assert_allclose(out[:, j], single, rtol=1e-15)


def test_lookahead_is_the_current_point_except_for_nesterov():
    x = np.array([1.0, 2.0])
    for factory in (opt.GD, opt.Momentum, opt.AdaGrad, opt.RMSprop, opt.Adam):
        o = factory()
        assert o.lookahead(x, o.init(x)) is x
    nesterov = opt.Nesterov(beta=0.5)
    np.testing.assert_array_equal(nesterov.lookahead(x, opt.MomentumState(np.array([0.4, -2.0]))), [0.8, 3.0])


def test_first_steps_by_hand():
    # Momentum: v1 = lr g, v2 = beta v1 + lr g'
    mom = opt.Momentum(beta=0.5)
    x1, s1 = mom.update(1.0, 2.0, mom.init(1.0), 0.25)
    assert (x1, s1.v) == (0.5, 0.5)
    x2, s2 = mom.update(x1, 1.0, s1, 0.25)
    assert (x2, s2.v) == (0.0, 0.5)
    # AdaGrad: eps inside the square root
    ada = opt.AdaGrad(eps=0.44)
    x1, s1 = ada.update(1.0, 0.6, ada.init(1.0), 0.1)
    assert x1 == pytest.approx(1.0 - 0.1 * 0.6 / math.sqrt(0.36 + 0.44), rel=1e-15) and s1.G == pytest.approx(0.36)
    # RMSprop: eps inside the square root too
    rms = opt.RMSprop(rho=0.5, eps=0.3)
    x1, s1 = rms.update(1.0, 2.0, rms.init(1.0), 0.1)
    assert x1 == pytest.approx(1.0 - 0.1 * 2.0 / math.sqrt(2.0 + 0.3), rel=1e-15) and s1.E == 2.0
    # Adam: bias-corrected, eps outside the square root; the first step has length lr * g/(|g| + eps)
    adam = opt.Adam(beta1=0.9, beta2=0.999, eps=0.5)
    x1, s1 = adam.update(1.0, -3.0, adam.init(1.0), 0.1)
    assert x1 == pytest.approx(1.0 + 0.1 * 3.0 / (3.0 + 0.5), rel=1e-14)
    assert s1.count == 1 and s1.m == pytest.approx(-0.3) and s1.v == pytest.approx(0.009)


def test_docstrings_show_their_update_rule():
    rules = {
        opt.GD: ["x <- x - lr * g"],
        opt.Momentum: ["v <- beta * v + lr * g", "x <- x - v"],
        opt.Nesterov: ["x - beta * v", "v <- beta * v + lr * g"],
        opt.AdaGrad: ["G <- G + g^2", "sqrt(G + eps)"],
        opt.RMSprop: ["E <- rho * E + (1 - rho) * g^2", "sqrt(E + eps)"],
        opt.Adam: ["1 - beta1^t", "1 - beta2^t", "(sqrt(v_hat) + eps)"],
    }
    for factory, pieces in rules.items():
        for piece in pieces:
            assert piece in factory.__doc__, (factory.__name__, piece)


def test_repr_and_params():
    assert repr(opt.Adam()) == "Adam(beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(opt.GD()) == "GD()"
    assert opt.RMSprop(rho=0.8).params == {"rho": 0.8, "eps": 1e-8}


def test_names_are_looked_up_in_one_table():
    assert set(opt.NAMES) == {"gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"}
    for name in opt.NAMES:
        assert isinstance(opt.get(name), opt.Optimizer)
        assert opt.get(name.upper()).name == opt.get(name).name
    adam = opt.Adam(beta1=0.5)
    assert opt.get(adam) is adam


@pytest.mark.parametrize("bad", ["sgd", "", None, 3, opt.GD])
def test_unknown_optimizer_lists_the_valid_names(bad):
    with pytest.raises(ValueError, match="^optimizer: ") as info:
        opt.get(bad)
    for name in opt.NAMES:
        assert repr(name) in str(info.value)


@pytest.mark.parametrize(("factory", "argument", "values"), [
    (opt.Momentum, "beta", [-0.1, 1.0, 1.5, math.nan, math.inf]),
    (opt.Nesterov, "beta", [-0.1, 1.0, math.nan]),
    (opt.AdaGrad, "eps", [-1e-8, 1.0, math.nan, math.inf]),
    (opt.RMSprop, "rho", [-0.1, 1.0, math.nan]),
    (opt.RMSprop, "eps", [-1.0, 2.0]),
    (opt.Adam, "beta1", [-0.1, 1.0, math.nan]),
    (opt.Adam, "beta2", [-0.1, 1.0, 7.0]),
    (opt.Adam, "eps", [-1e-8, 1.0, math.inf]),
])
def test_hyper_parameters_out_of_range_are_refused(factory, argument, values):
    for value in values:
        with pytest.raises(ValueError, match=f"^{argument}: .*got"):
            factory(**{argument: value})


@pytest.mark.parametrize(("factory", "argument"), [(opt.Momentum, "beta"), (opt.AdaGrad, "eps"),
                                                   (opt.RMSprop, "rho"), (opt.Adam, "beta2")])
@pytest.mark.parametrize("value", ["0.9", None, [0.9], True])
def test_hyper_parameters_that_are_not_numbers_are_refused(factory, argument, value):
    with pytest.raises((TypeError, ValueError), match=f"^{argument}: "):
        factory(**{argument: value})


def test_edges_of_the_ranges_are_accepted():
    assert opt.Momentum(beta=0.0).params["beta"] == 0.0
    assert opt.Adam(eps=0.0).params["eps"] == 0.0
    assert opt.RMSprop(rho=0.0, eps=0.0).params == {"rho": 0.0, "eps": 0.0}
