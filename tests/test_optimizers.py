"""Optimizers: each one against a plain scalar loop written straight from its formula (notebook 06).

The reference below shares no code with gdviz: hand-derived gradients and Hessians, one Python
float per coordinate, the update rules of CURRICULUM.md section 06 (and of the papers for AdamW,
NAdam, Lion and Newton's method) and the schedule formula written out. Momentum's theoretical rate
is checked against brute-force eigenvalues and against the rate measured on runs.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

import gdviz as gd
from gdviz import optimizers as opt
from gdviz._checks import ArgumentError, ArgumentTypeError, ArgumentValueError

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


def _rosenbrock_hess(p):
    x, y = p
    return [[2 - 400 * (y - x * x) + 800 * x * x, -400 * x], [-400 * x, 200.0]]


def _ravine_hess(p):
    return [[1.0, 0.0], [0.0, 100.0]]


def _sin_gauss_hess(p):
    (x,) = p
    return [[math.exp(-0.05 * x * x) * ((0.01 * x * x - 1.1) * math.sin(x) - 0.2 * x * math.cos(x))]]


HESSIANS = {"rosenbrock": _rosenbrock_hess, "ravine": _ravine_hess, "sin_gauss": _sin_gauss_hess}


def _sign(c):
    return 1.0 if c > 0 else -1.0 if c < 0 else 0.0


def _newton_step(H, g, damping):
    """(H + damping I)^(-1) g by hand: division in 1-D, Cramer's rule in 2-D."""
    if len(g) == 1:
        return [g[0] / (H[0][0] + damping)]
    a, b, c, d = H[0][0] + damping, H[0][1], H[1][0], H[1][1] + damping
    det = a * d - b * c
    return [(d * g[0] - b * g[1]) / det, (a * g[1] - c * g[0]) / det]


OBJECTIVES = {
    # name: (objective, hand-derived gradient, single start, batch of starts)
    "rosenbrock": (gd.functions.rosenbrock, _rosenbrock_grad, (-1.2, 1.0), [(-1.2, 1.0), (0.5, -0.5), (1.5, 2.0)]),
    "ravine": (gd.functions.ravine, _ravine_grad, (5.0, 2.0), [(5.0, 2.0), (-4.0, -1.0), (1.0, 2.5)]),
    "sin_gauss": (gd.functions.sin_gauss, _sin_gauss_grad, (0.3,), [(0.3,), (-2.0,), (4.0,)]),
}

OPTIMIZERS = {
    # name: (factory of the objective, with non-default hyper-parameters; the same numbers for the reference)
    "gd": (lambda f: opt.GD(), {}),
    "momentum": (lambda f: opt.Momentum(beta=0.8), {"beta": 0.8}),
    "nesterov": (lambda f: opt.Nesterov(beta=0.85), {"beta": 0.85}),
    "adagrad": (lambda f: opt.AdaGrad(eps=1e-6), {"eps": 1e-6}),
    "rmsprop": (lambda f: opt.RMSprop(rho=0.95, eps=1e-7), {"rho": 0.95, "eps": 1e-7}),
    "adam": (lambda f: opt.Adam(beta1=0.85, beta2=0.99, eps=1e-7), {"beta1": 0.85, "beta2": 0.99, "eps": 1e-7}),
    "adamw": (lambda f: opt.AdamW(beta1=0.8, beta2=0.995, eps=1e-7, weight_decay=0.05),
              {"beta1": 0.8, "beta2": 0.995, "eps": 1e-7, "weight_decay": 0.05}),
    "nadam": (lambda f: opt.NAdam(beta1=0.85, beta2=0.99, eps=1e-7), {"beta1": 0.85, "beta2": 0.99, "eps": 1e-7}),
    "lion": (lambda f: opt.Lion(beta1=0.8, beta2=0.95, weight_decay=0.1),
             {"beta1": 0.8, "beta2": 0.95, "weight_decay": 0.1}),
    "newton": (lambda f: opt.Newton(f, damping=0.5), {"damping": 0.5}),
}

RATES = {  # stable rates for each pair, so that every run stays finite
    "rosenbrock": {"gd": 5e-4, "momentum": 2e-4, "nesterov": 2e-4, "adagrad": 0.1, "rmsprop": 2e-3, "adam": 0.02,
                   "adamw": 0.02, "nadam": 0.02, "lion": 2e-3, "newton": 0.5},
    "ravine": {"gd": 0.018, "momentum": 0.005, "nesterov": 0.005, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.1,
               "adamw": 0.1, "nadam": 0.1, "lion": 0.01, "newton": 0.7},
    "sin_gauss": {"gd": 0.5, "momentum": 0.1, "nesterov": 0.1, "adagrad": 0.5, "rmsprop": 0.05, "adam": 0.05,
                  "adamw": 0.05, "nadam": 0.05, "lion": 0.01, "newton": 0.3},
}

CLIP = {"rosenbrock": 50.0, "ravine": 20.0, "sin_gauss": 0.5}  # each clips the first steps from some start

EPOCHS = 150
WARMUP, FINAL = 5, 0.1


def warmup_cosine(t, total):
    """Linear warm-up over 5 steps, then cosine annealing down to 0.1 of the rate, by hand."""
    if t < WARMUP:
        return (t + 1) / WARMUP
    return FINAL + (1 - FINAL) * (1 + math.cos(math.pi * (t - WARMUP) / (total - WARMUP))) / 2


def reference_run(method, hyper, grad, start, lr, epochs, factor=None, clip=None, hess=None):
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
            elif method == "adamw":  # PyTorch's order: decay the weight, then the Adam step
                x[i] = x[i] * (1 - lr_t * hyper["weight_decay"])
                m[i] = hyper["beta1"] * m[i] + (1 - hyper["beta1"]) * g[i]
                s[i] = hyper["beta2"] * s[i] + (1 - hyper["beta2"]) * g[i] ** 2
                m_hat = m[i] / (1 - hyper["beta1"] ** (t + 1))
                s_hat = s[i] / (1 - hyper["beta2"] ** (t + 1))
                x[i] = x[i] - lr_t * m_hat / (math.sqrt(s_hat) + hyper["eps"])
            elif method == "nadam":  # Dozat 2016, Algorithm 2, with mu_t = beta1 for every t
                b1 = hyper["beta1"]
                m[i] = b1 * m[i] + (1 - b1) * g[i]
                s[i] = hyper["beta2"] * s[i] + (1 - hyper["beta2"]) * g[i] ** 2
                m_bar = b1 * m[i] / (1 - b1 ** (t + 2)) + (1 - b1) * g[i] / (1 - b1 ** (t + 1))
                s_hat = s[i] / (1 - hyper["beta2"] ** (t + 1))
                x[i] = x[i] - lr_t * m_bar / (math.sqrt(s_hat) + hyper["eps"])
            elif method == "lion":  # Chen et al. 2023, Program 1
                c = hyper["beta1"] * m[i] + (1 - hyper["beta1"]) * g[i]
                x[i] = x[i] - lr_t * (_sign(c) + hyper["weight_decay"] * x[i])
                m[i] = hyper["beta2"] * m[i] + (1 - hyper["beta2"]) * g[i]
        if method == "newton":  # couples the coordinates, so outside the per-coordinate loop
            step = _newton_step(hess(x), g, hyper["damping"])
            x = [x[i] - lr_t * step[i] for i in range(n)]
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
    hess = HESSIANS[objective_name]
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

    run = gd.descend(objective, x0, lr=lr_arg, epochs=EPOCHS, optimizer=factory(objective), schedule=schedule,
                     clip=clip)

    for k, (start, rate) in enumerate(zip(starts, rates, strict=True)):
        xs, gs, lrs = reference_run(method, hyper, grad, start, rate, EPOCHS, factor, clip, hess)
        assert np.all(np.isfinite(xs))
        # the comparison means something only if the run is not chaotic: nudging the start by
        # one part in 1e15 must not move the reference by more than the tolerance
        nudged = reference_run(method, hyper, grad, [c * (1 + 1e-15) + 1e-15 for c in start], rate, EPOCHS,
                               factor, clip, hess)[0]
        assert np.abs(nudged - xs).max() < 1e-11
        # Once a run has settled (steps below 1e-13), what is left is rounding: two correct formulas
        # for the gradient differ in their last bits there, and a method at its noise floor
        # (RMSprop's g / sqrt(E) with E decaying) can amplify that. Rows up to the one where the
        # reference settles must agree to 1e-10; later rows only to the floor's size: a step of a
        # sign-like method is at most lr / sqrt(1 - rho) (about 4.5 lr here), so 5 lr.
        steps = np.abs(np.diff(xs, axis=0)).reshape(EPOCHS, -1).max(axis=1)
        rows = int(np.argmax(steps < 1e-13)) + 2 if np.any(steps < 1e-13) else EPOCHS + 1
        pick = (slice(None),) if path == "single" else (slice(None), k)
        got_x, got_g, got_lr = run.x[pick], run.grad[pick], run.lr[pick]
        if objective.dim == 1:
            xs, gs = xs[:, 0], gs[:, 0]
        np.testing.assert_allclose(got_x[:rows], xs[:rows], rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(got_g[:rows], gs[:rows], rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(got_lr[: rows - 1], lrs[: rows - 1], rtol=1e-12, atol=0)
        np.testing.assert_allclose(got_x[rows:], xs[rows:], rtol=0, atol=5 * rate)
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


BOWL = gd.Objective("x**2 + y**2")  # g = 2x, as the invariant tests below feed it

FACTORIES = [opt.GD, opt.Momentum, opt.Nesterov, opt.AdaGrad, opt.RMSprop, opt.Adam, opt.AdamW, opt.NAdam, opt.Lion,
             lambda: opt.Newton(BOWL)]


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


@pytest.mark.parametrize("factory", FACTORIES[:-1] + [lambda: opt.Newton(gd.Objective("x**2"))])
def test_update_works_on_floats(factory):
    o = factory()
    x = 1.5
    x1, _ = o.update(x, 3.0, o.init(x), 0.1)
    assert isinstance(x1, float)


@pytest.mark.parametrize("factory", FACTORIES)
def test_update_broadcasts_lr(factory):
    o = factory()
    xs = np.array([[1.5, 1.5, 1.5], [-1.0, -1.0, -1.0]])  # (dim, batch) with three rates
    lr = np.array([0.1, 0.2, 0.4])
    out, _ = o.update(xs, 2 * xs, o.init(xs), lr)
    for j, rate in enumerate(lr):
        single, _ = o.update(xs[:, j].copy(), 2 * xs[:, j], o.init(xs[:, j].copy()), rate)
        np.testing.assert_allclose(out[:, j], single, rtol=1e-15)


def test_lookahead_is_the_current_point_except_for_nesterov():
    x = np.array([1.0, 2.0])
    for factory in (opt.GD, opt.Momentum, opt.AdaGrad, opt.RMSprop, opt.Adam, opt.AdamW, opt.NAdam, opt.Lion,
                    lambda: opt.Newton(BOWL)):
        o = factory()
        assert o.lookahead(x, o.init(x)) is x
    nesterov = opt.Nesterov(beta=0.5)
    np.testing.assert_array_equal(nesterov.lookahead(x, opt.MomentumState(np.array([0.4, -2.0]))), [0.8, 3.0])


def test_momentum_convention_differs_from_pytorchs_only_when_the_rate_changes():
    """gdviz: v <- beta v + lr_t g, x <- x - v.  PyTorch/d2l: u <- beta u + g, x <- x - lr_t u."""
    mom, beta = opt.Momentum(beta=0.9), 0.9
    for rates in ([0.1] * 6, [0.1, 0.1, 0.1, 0.01, 0.01, 0.01]):
        x, state, y, u = 3.0, mom.init(3.0), 3.0, 0.0
        for lr in rates:  # f = x^2 / 2, g = x
            x, state = mom.update(x, x, state, lr)
            u = beta * u + y
            y = y - lr * u
        if len(set(rates)) == 1:
            assert x == pytest.approx(y, rel=1e-14)
        else:  # after the cut PyTorch's form scales the whole velocity down at once
            assert abs(x - y) > 0.05


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
        opt.AdamW: ["x <- x - lr * weight_decay * x", "x <- x - lr * m_hat / (sqrt(v_hat) + eps)"],
        opt.NAdam: ["m_bar = beta1 * m / (1 - beta1^(t+1)) + (1 - beta1) * g / (1 - beta1^t)",
                    "x <- x - lr * m_bar / (sqrt(v_hat) + eps)", "Dozat", "constant"],
        opt.Lion: ["c = beta1 * m + (1 - beta1) * g", "x <- x - lr * (sign(c) + weight_decay * x)",
                   "m <- beta2 * m + (1 - beta2) * g"],
        opt.Newton: ["x <- x - lr * (H + damping * I)^(-1) g", "lr / f''(x)", "saddle", "diverged"],
    }
    for factory, pieces in rules.items():
        for piece in pieces:
            assert piece in factory.__doc__, (factory.__name__, piece)


def test_repr_and_params():
    assert repr(opt.Adam()) == "Adam(beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(opt.AdamW()) == "AdamW(beta1=0.9, beta2=0.999, eps=1e-08, weight_decay=0.01)"
    assert repr(opt.NAdam()) == "NAdam(beta1=0.9, beta2=0.999, eps=1e-08)"
    assert repr(opt.Lion()) == "Lion(beta1=0.9, beta2=0.99, weight_decay=0)"
    assert repr(opt.Newton(BOWL, damping=0.5)) == "Newton(damping=0.5)"
    assert repr(opt.GD()) == "GD()"
    assert opt.RMSprop(rho=0.8).params == {"rho": 0.8, "eps": 1e-8}


def test_names_are_looked_up_in_one_table():
    assert set(opt.NAMES) == {"gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "nadam", "lion"}
    for name in opt.NAMES:
        assert isinstance(opt.get(name), opt.Optimizer)
        assert opt.get(name.upper()).name == opt.get(name).name
    adam = opt.Adam(beta1=0.5)
    assert opt.get(adam) is adam


@pytest.mark.parametrize(("bad", "error"), [("sgd", ValueError), ("", ValueError), (None, TypeError),
                                            (3, TypeError), (["adam"], TypeError), (np.array([1.0, 2.0]), TypeError)])
def test_unknown_optimizer_lists_the_valid_names(bad, error):
    with pytest.raises(error, match="^optimizer: ") as info:
        opt.get(bad)
    assert isinstance(info.value, ArgumentError)  # a caller's mistake, which an explorer shows as its message
    for name in opt.NAMES:
        assert repr(name) in str(info.value)


@pytest.mark.parametrize("factory", [opt.GD, opt.Adam, opt.Lion, opt.Newton])
def test_a_factory_where_an_optimizer_is_expected_says_call_it(factory):
    with pytest.raises(ArgumentTypeError, match=rf"^optimizer: .*factory {factory.__name__}; call it"):
        opt.get(factory)
    with pytest.raises(TypeError, match="^optimizer: "):
        gd.descend(gd.functions.ravine, [1.0, 1.0], lr=0.01, epochs=2, optimizer=factory)


def test_newton_by_name_says_it_needs_the_objective():
    with pytest.raises(ArgumentValueError, match=r"^optimizer: .*Newton\(f\)"):
        opt.get("Newton")


@pytest.mark.parametrize(("factory", "argument", "values"), [
    (opt.Momentum, "beta", [-0.1, 1.0, 1.5, math.nan, math.inf]),
    (opt.Nesterov, "beta", [-0.1, 1.0, math.nan]),
    (opt.AdaGrad, "eps", [-1e-8, 1.0, math.nan, math.inf]),
    (opt.RMSprop, "rho", [-0.1, 1.0, math.nan]),
    (opt.RMSprop, "eps", [-1.0, 2.0]),
    (opt.Adam, "beta1", [-0.1, 1.0, math.nan]),
    (opt.Adam, "beta2", [-0.1, 1.0, 7.0]),
    (opt.Adam, "eps", [-1e-8, 1.0, math.inf]),
    (opt.AdamW, "weight_decay", [-0.01, math.nan, math.inf]),
    (opt.AdamW, "beta1", [1.0, -0.5]),
    (opt.NAdam, "beta1", [1.0, math.nan]),
    (opt.NAdam, "eps", [-1e-8]),
    (opt.Lion, "beta1", [-0.1, 1.0]),
    (opt.Lion, "beta2", [1.0, math.nan]),
    (opt.Lion, "weight_decay", [-1.0, math.inf]),
    (lambda **kw: opt.Newton(BOWL, **kw), "damping", [-0.1, math.nan, math.inf]),
])
def test_hyper_parameters_out_of_range_are_refused(factory, argument, values):
    for value in values:
        with pytest.raises(ValueError, match=f"^{argument}: .*got"):
            factory(**{argument: value})


@pytest.mark.parametrize(("factory", "argument"), [
    (opt.Momentum, "beta"), (opt.AdaGrad, "eps"), (opt.RMSprop, "rho"), (opt.Adam, "beta2"),
    (opt.AdamW, "weight_decay"), (opt.NAdam, "beta1"), (opt.Lion, "beta2"),
    (lambda **kw: opt.Newton(BOWL, **kw), "damping"),
])
@pytest.mark.parametrize("value", ["0.9", None, [0.9], True, 1j])
def test_hyper_parameters_that_are_not_numbers_are_refused(factory, argument, value):
    with pytest.raises(TypeError, match=f"^{argument}: expected a number"):
        factory(**{argument: value})


def test_edges_of_the_ranges_are_accepted():
    assert opt.Momentum(beta=0.0).params["beta"] == 0.0
    assert opt.Adam(eps=0.0).params["eps"] == 0.0
    assert opt.RMSprop(rho=0.0, eps=0.0).params == {"rho": 0.0, "eps": 0.0}


# --------------------------------------------------------------------------- the new optimizers, layout by layout


def _reference_update_loop(method, hyper, starts, rates, grad, hess, steps):
    """``steps`` updates of each start with its own rate, by the plain loop above."""
    return [reference_run(method, hyper, grad, start, rate, steps, hess=hess)[0][-1] for start, rate in
            zip(starts, rates, strict=True)]


@pytest.mark.parametrize("method", ["adamw", "nadam", "lion", "newton"])
@pytest.mark.parametrize("objective_name", ["rosenbrock", "sin_gauss"])
def test_update_in_each_layout_matches_the_formula(method, objective_name):
    """A float (1-D), a (dim,) array, and the engine layout (dim, *batch) with two batch axes."""
    objective, grad, single, batch = OBJECTIVES[objective_name]
    factory, hyper = OPTIMIZERS[method]
    o = factory(objective)
    lr, steps = RATES[objective_name][method], 12

    def gradient(x):  # in the layout of x: float, (dim,) or (dim, *batch)
        if isinstance(x, float):
            return grad([x])[0]
        return np.moveaxis(objective.grad(np.moveaxis(x, 0, -1)), -1, 0) if objective.dim > 1 else objective.grad(x)

    def run(x, rate):
        state = o.init(x)
        for _ in range(steps):
            x, state = o.update(x, gradient(x), state, rate)
            assert type(state) is type(o.init(x))
        return x

    want = _reference_update_loop(method, hyper, [single], [lr], grad, HESSIANS[objective_name], steps)[0]
    if objective.dim == 1:
        got = run(float(single[0]), lr)
        assert isinstance(got, float)
        np.testing.assert_allclose(got, want[0], rtol=1e-12, atol=1e-13)
    got = run(np.array(single, dtype=float), lr)  # (dim,)
    assert got.shape == (objective.dim,)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-13)

    starts = np.array(batch, dtype=float)  # (3, dim) -> engine layout (dim, 3, 2), one rate per column
    rates = np.array([[lr, lr / 2]] * 3)
    x0 = np.repeat(starts.T[:, :, None], 2, axis=2)
    got = run(x0, rates)
    assert got.shape == x0.shape
    for i, start in enumerate(batch):
        for j in range(2):
            want = _reference_update_loop(method, hyper, [start], [rates[i, j]], grad, HESSIANS[objective_name],
                                          steps)[0]
            np.testing.assert_allclose(got[:, i, j], want, rtol=1e-12, atol=1e-13)


def test_adamw_without_decay_is_adam():
    for x0 in ([-1.2, 1.0], [[-1.2, 1.0], [0.5, -0.5]]):
        adam = gd.descend(gd.functions.rosenbrock, x0, lr=0.02, epochs=200, optimizer=opt.Adam(beta1=0.8))
        adamw = gd.descend(gd.functions.rosenbrock, x0, lr=0.02, epochs=200,
                           optimizer=opt.AdamW(beta1=0.8, weight_decay=0.0))
        np.testing.assert_array_equal(adamw.x, adam.x)


def test_adamw_decay_shrinks_every_weight_by_the_same_factor():
    """With no gradient only the decay acts: x_t = x_0 (1 - lr wd)^t, whatever the size of x."""
    o = opt.AdamW(weight_decay=0.3)
    x = np.array([[2.0, -5.0], [1e-3, 40.0]])
    state = o.init(x)
    for _ in range(10):
        x, state = o.update(x, np.zeros_like(x), state, 0.1)
    np.testing.assert_allclose(x, np.array([[2.0, -5.0], [1e-3, 40.0]]) * 0.97**10, rtol=1e-13)


def test_adamw_decay_is_not_divided_by_the_gradient_scale():
    """L2 in the gradient would pass through sqrt(v_hat); AdamW's decay step is lr * wd * x for any g."""
    o, a = opt.AdamW(weight_decay=0.5, eps=0.0), opt.Adam(eps=0.0)
    for g in (1e-6, 1.0, 1e6):
        decayed = o.update(4.0, g, o.init(4.0), 0.1)[0]
        plain = a.update(4.0, g, a.init(4.0), 0.1)[0]
        assert decayed - plain == pytest.approx(-0.1 * 0.5 * 4.0, rel=1e-12)


def test_nadam_differs_from_adam_by_its_look_ahead():
    # the first step is lr * (1 + beta1 / (1 + beta1)) g / |g|, against Adam's lr
    o = opt.NAdam(beta1=0.9, eps=0.0)
    assert 1.0 - o.update(1.0, 5.0, o.init(1.0), 0.1)[0] == pytest.approx(0.1 * (1 + 0.9 / 1.9), rel=1e-14)
    # with beta1 = 0 it is RMSprop-like Adam without momentum: the same as Adam(beta1=0)
    run_n = gd.descend(gd.functions.ravine, [5.0, 2.0], lr=0.05, epochs=50, optimizer=opt.NAdam(beta1=0.0))
    run_a = gd.descend(gd.functions.ravine, [5.0, 2.0], lr=0.05, epochs=50, optimizer=opt.Adam(beta1=0.0))
    np.testing.assert_allclose(run_n.x, run_a.x, rtol=1e-13)


def test_lion_moves_every_coordinate_by_exactly_lr():
    o = opt.Lion(beta1=0.9, beta2=0.99)
    x = np.array([[3.0, -1.0, 0.5], [2.0, 2.0, -7.0]])
    g = np.array([[1e-9, -50.0, 2.0], [1e6, 0.3, -1.0]])
    new_x, state = o.update(x, g, o.init(x), 0.01)
    np.testing.assert_allclose(new_x - x, -0.01 * np.sign(g), rtol=1e-12)
    np.testing.assert_allclose(state.m, 0.01 * g, rtol=1e-15)
    # a zero gradient and zero momentum: no step; NaN stays NaN so the engine can flag it
    assert o.update(2.0, 0.0, o.init(2.0), 0.1)[0] == 2.0
    assert math.isnan(o.update(2.0, math.nan, o.init(2.0), 0.1)[0])


def test_lion_hops_around_the_minimum_at_a_constant_rate():
    run = gd.descend(gd.Objective("x**2"), 1.0, lr=0.03, epochs=400, optimizer="lion")
    tail = np.abs(run.x[-100:])
    assert tail.max() <= 0.06 and tail.max() > 1e-3  # within a few lr, but never settles


# --------------------------------------------------------------------------- Newton's method


QUADRATIC = gd.Objective("3*x**2 + 2*x*y + y**2 - 4*x + 2*y")  # H = [[6, 2], [2, 2]], minimum (1.5, -2.5)


@pytest.mark.parametrize("x0", [[7.0, -3.0], [[7.0, -3.0], [-100.0, 40.0], [0.0, 0.0]],
                                [[[1.0, 2.0], [3.0, 4.0]], [[-1.0, 0.5], [9.0, 9.0]]]])
def test_newton_lands_a_quadratic_in_one_step(x0):
    run = gd.descend(QUADRATIC, x0, lr=1.0, epochs=1, optimizer=opt.Newton(QUADRATIC))
    np.testing.assert_allclose(run.x[1], np.broadcast_to([1.5, -2.5], np.shape(x0)), rtol=1e-12, atol=1e-12)


def test_newton_lands_a_quadratic_in_one_step_in_three_dimensions():
    f = gd.Objective("2*x**2 + y**2 + 3*z**2 + x*y - y*z + x - 5*z")
    H = np.array([[4.0, 1.0, 0.0], [1.0, 2.0, -1.0], [0.0, -1.0, 6.0]])
    want = np.linalg.solve(H, [-1.0, 0.0, 5.0])  # the gradient H p + (1, 0, -5) vanishes
    for x0 in ([3.0, -2.0, 1.0], [[3.0, -2.0, 1.0], [0.0, 0.0, 0.0]]):
        run = gd.descend(f, x0, lr=1.0, epochs=1, optimizer=opt.Newton(f))
        np.testing.assert_allclose(run.x[1], np.broadcast_to(want, np.shape(x0)), rtol=1e-12, atol=1e-14)


def test_newton_in_one_dimension_is_gradient_descent_at_lr_over_f2():
    f = gd.Objective("3*x**2 - 3*x + 4")  # f'' = 6
    for x0 in (-1.0, np.array([-1.0, 2.0, 10.0])):
        newton = gd.descend(f, x0, lr=0.4, epochs=20, optimizer=opt.Newton(f))
        plain = gd.descend(f, x0, lr=0.4 / 6, epochs=20)
        np.testing.assert_allclose(newton.x, plain.x, rtol=1e-13, atol=1e-15)
    assert gd.descend(f, -1.0, lr=1.0, epochs=1, optimizer=opt.Newton(f)).final == pytest.approx(0.5, abs=1e-15)
    # on a quartic Newton converges like x <- x - x / 3 (f'/f'' = x/3 for f = x^4): linearly, not in one step
    quartic = gd.Objective("x**4")
    run = gd.descend(quartic, 3.0, lr=1.0, epochs=10, optimizer=opt.Newton(quartic))
    np.testing.assert_allclose(run.x, 3.0 * (2 / 3) ** np.arange(11), rtol=1e-13)


def test_newton_heads_for_the_saddle_and_damping_turns_it_downhill():
    saddle = gd.Objective("x**2 - y**2")
    run = gd.descend(saddle, [1.0, 0.5], lr=1.0, epochs=1, optimizer=opt.Newton(saddle))
    np.testing.assert_allclose(run.x[1], [0.0, 0.0], atol=1e-15)  # undamped: straight to the saddle
    # damping 3 > 2 = -min eigenvalue: H + 3 I = diag(5, 1), the step is (2x/5, -2y), downhill
    run = gd.descend(saddle, [1.0, 0.5], lr=1.0, epochs=1, optimizer=opt.Newton(saddle, damping=3.0))
    np.testing.assert_allclose(run.x[1], [1.0 - 2 / 5, 0.5 + 2 * 0.5], rtol=1e-14)
    assert run.f[1] < run.f[0]


def test_newton_on_a_singular_hessian():
    # no slope along the flat direction: no step there (x^4 at 0 stays at its minimum)
    quartic = gd.Objective("x**4 + y**2")
    run = gd.descend(quartic, [0.0, 2.0], lr=1.0, epochs=3, optimizer=opt.Newton(quartic))
    np.testing.assert_allclose(run.x[-1], [0.0, 0.0], atol=0)
    assert not run.diverged
    # in a batch, only the singular row takes the eigen-direction route; the other is x <- x - x/3
    run = gd.descend(quartic, [[0.0, 2.0], [1.0, 1.0]], lr=1.0, epochs=2, optimizer=opt.Newton(quartic))
    np.testing.assert_allclose(run.x[-1], [[0.0, 0.0], [4 / 9, 0.0]], rtol=1e-14, atol=0)
    assert not np.any(run.diverged)
    cube = gd.Objective("x**4 + y**2 + z**2")  # the same in three dimensions
    run = gd.descend(cube, [[0.0, 2.0, -1.0], [1.0, 1.0, 1.0]], lr=1.0, epochs=2, optimizer=opt.Newton(cube))
    np.testing.assert_allclose(run.x[-1], [[0.0, 0.0, 0.0], [4 / 9, 0.0, 0.0]], rtol=1e-14, atol=1e-15)
    # a slope with no curvature: the model has no minimum, the step is infinite, the run is flagged
    plane = gd.Objective("x + y**2")
    for x0 in ([1.0, 1.0], [[1.0, 1.0], [2.0, -1.0]]):
        run = gd.descend(plane, x0, lr=0.5, epochs=5, optimizer=opt.Newton(plane))
        assert np.all(run.diverged)
    line = gd.Objective("2*x + 1")
    assert gd.descend(line, 1.0, lr=0.5, epochs=5, optimizer=opt.Newton(line)).diverged
    assert np.all(gd.descend(line, [1.0, 2.0], lr=0.5, epochs=5, optimizer=opt.Newton(line)).diverged)


def test_newton_flags_a_hessian_that_is_not_finite():
    H = np.array([[[np.inf, 0.0], [0.0, 2.0]], [[2.0, 0.0], [0.0, 2.0]]])
    fake = type("Fake", (), {"dim": 2, "hessian": staticmethod(lambda x: H)})()
    o = opt.Newton(fake)
    x = np.array([[1.0, 1.0], [1.0, 1.0]])  # engine layout (dim, batch)
    new_x, _ = o.update(x, 2 * x, o.init(x), 1.0)
    assert np.all(np.isnan(new_x[:, 0])) and np.allclose(new_x[:, 1], 0.0)


@pytest.mark.parametrize("bad", ["x**2", None, 3.0, np.eye(2)])
def test_newton_needs_an_objective(bad):
    with pytest.raises(ArgumentTypeError, match="^objective: expected an Objective"):
        opt.Newton(bad)


# --------------------------------------------------------------------------- momentum's rate in theory and in runs


def _brute_rate(lr, beta, curvatures):
    return max(max(abs(z) for z in np.linalg.eigvals([[1 + beta - lr * lam, -beta], [1.0, 0.0]]))
               for lam in curvatures)


def test_the_iteration_matrix_is_momentum_itself():
    """One momentum step on f = lambda x^2 / 2 maps (x_k, x_(k-1)) by M = [[1 + beta - lr lambda, -beta], [1, 0]]."""
    lam, lr, beta = 3.0, 0.1, 0.7
    o = opt.Momentum(beta)
    x_prev, x = 2.0, 1.5
    state = opt.MomentumState(x_prev - x)  # v_k = x_(k-1) - x_k
    x_next, _ = o.update(x, lam * x, state, lr)
    assert x_next == pytest.approx((1 + beta - lr * lam) * x - beta * x_prev, rel=1e-15)


def test_momentum_rate_equals_brute_force_eigenvalues():
    rng = np.random.default_rng(0)
    lr = rng.uniform(1e-3, 0.05, size=(40, 3))
    beta = rng.uniform(0.0, 0.99, size=(40, 3))
    curvatures = [1.0, 7.0, 100.0]
    got = opt.momentum_rate(lr, beta, curvatures)
    assert got.shape == (40, 3)
    want = np.vectorize(lambda a, b: _brute_rate(a, b, curvatures))(lr, beta)
    np.testing.assert_allclose(got, want, rtol=1e-7)  # eigvals is only ~sqrt(eps) accurate at double roots
    # scalars give a float; beta = 0 is gradient descent's max |1 - lr lambda|
    assert opt.momentum_rate(0.015, 0.0, [1.0, 100.0]) == pytest.approx(0.985, rel=1e-14)
    assert isinstance(opt.momentum_rate(0.015, 0.5, 4.0), float)
    # lr broadcasts against beta: a (lr, beta) map from a column and a row
    grid = opt.momentum_rate(np.array([[0.01], [0.02]]), np.array([0.0, 0.5, 0.9]), [1.0, 100.0])
    assert grid.shape == (2, 3) and grid[0, 2] == pytest.approx(_brute_rate(0.01, 0.9, [1, 100]), rel=1e-7)


@pytest.mark.parametrize(("lr", "beta"), [(0.018, 0.0), (0.005, 0.9), (0.01, 0.5), (0.02, 0.3), (0.03, 0.8)])
def test_momentum_rate_is_the_measured_rate_on_the_ravine(lr, beta):
    """The geometric rate of the run, from the slope of log |x| (its envelope over a sliding window)."""
    run = gd.descend(gd.functions.ravine, [[1.0, 1.0], [-0.3, 0.7]], lr=lr, epochs=600,
                     optimizer=opt.Momentum(beta))
    size = np.abs(run.x).max(axis=-1)  # (601, 2 starts)
    window = 50
    envelope = np.array([size[k:k + window].max(axis=0) for k in range(len(size) - window)])
    k = np.arange(len(envelope))[100:]
    theory = opt.momentum_rate(lr, beta, [1.0, 100.0])
    for j in range(2):
        slope = np.polyfit(k, np.log(envelope[100:, j]), 1)[0]
        assert math.exp(slope) == pytest.approx(theory, rel=2e-3)


@pytest.mark.parametrize(("lr", "beta"), [(0.021, 0.0), (0.031, 0.5), (0.0395, 0.95)])
def test_a_rate_above_one_is_a_run_that_diverges(lr, beta):
    assert opt.momentum_rate(lr, beta, [1.0, 100.0]) > 1
    run = gd.descend(gd.functions.ravine, [1.0, 1.0], lr=lr, epochs=3000, optimizer=opt.Momentum(beta))
    assert run.diverged


def test_distills_optimum():
    best = opt.momentum_optimum([1.0, 100.0])
    assert best.rate == pytest.approx(9 / 11, rel=1e-15) and best.beta == pytest.approx((9 / 11) ** 2, rel=1e-15)
    assert best.lr == pytest.approx((2 / 11) ** 2, rel=1e-15)
    assert opt.momentum_rate(best.lr, best.beta, [1.0, 100.0]) == pytest.approx(best.rate, rel=1e-7)
    # no point of a fine (lr, beta) grid does better, and gradient descent's best is (kappa - 1) / (kappa + 1)
    lr = np.linspace(0.001, 0.06, 600)[:, None]
    beta = np.linspace(0.0, 0.98, 500)
    assert opt.momentum_rate(lr, beta, [1.0, 100.0]).min() >= best.rate - 1e-3
    assert opt.momentum_rate(lr[:, 0], 0.0, [1.0, 100.0]).min() == pytest.approx(99 / 101, abs=2e-4)
    # a run at the optimum contracts at that rate (the curvatures in between do no worse)
    run = gd.descend(gd.Objective("x**2/2 + 20*y**2 + 50*z**2"), [1.0, 1.0, 1.0], lr=best.lr, epochs=200,
                     optimizer=opt.Momentum(best.beta))
    size = np.linalg.norm(run.x, axis=-1)
    assert (size[200] / size[100]) ** (1 / 100) == pytest.approx(best.rate, rel=2e-2)
    # one curvature: kappa = 1, one step with no momentum
    assert opt.momentum_optimum(4.0) == (0.25, 0.0, 0.0)


@pytest.mark.parametrize(("call", "argument", "error"), [
    (lambda: opt.momentum_rate(0.0, 0.5, [1.0]), "lr", ValueError),
    (lambda: opt.momentum_rate([0.1, -0.1], 0.5, [1.0]), "lr", ValueError),
    (lambda: opt.momentum_rate("0.1", 0.5, [1.0]), "lr", TypeError),
    (lambda: opt.momentum_rate(0.1, 1.0, [1.0]), "beta", ValueError),
    (lambda: opt.momentum_rate(0.1, [0.5, math.nan], [1.0]), "beta", ValueError),
    (lambda: opt.momentum_rate(0.1, 0.5, []), "curvatures", ValueError),
    (lambda: opt.momentum_rate(0.1, 0.5, [1.0, math.inf]), "curvatures", ValueError),
    (lambda: opt.momentum_rate(0.1, 0.5, None), "curvatures", TypeError),
    (lambda: opt.momentum_optimum([0.0, 1.0]), "curvatures", ValueError),
    (lambda: opt.momentum_optimum([-1.0, 1.0]), "curvatures", ValueError),
    (lambda: opt.momentum_optimum("1, 2"), "curvatures", TypeError),
])
def test_theory_helpers_refuse_bad_input(call, argument, error):
    with pytest.raises(error, match=f"^{argument}: ") as info:
        call()
    assert isinstance(info.value, ArgumentError)


# --------------------------------------------------------------------------- against PyTorch, when it is installed


def _torch_run(make, x0, lr, steps):
    torch = pytest.importorskip("torch")
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)  # NAdam keeps its product of mu_t in the default dtype
    try:
        p = torch.tensor(x0, requires_grad=True)
        optimizer = make(torch, [p], lr)
        xs = [p.detach().numpy().copy()]
        for _ in range(steps):
            optimizer.zero_grad()
            x, y = p[0], p[1]
            ((1 - x) ** 2 + 100 * (y - x * x) ** 2).backward()
            optimizer.step()
            xs.append(p.detach().numpy().copy())
    finally:
        torch.set_default_dtype(default)
    return np.array(xs)


@pytest.mark.parametrize(("ours", "theirs"), [
    # gdviz's v <- beta v + lr g equals PyTorch's v <- beta v + g, x <- x - lr v at a constant rate
    (opt.Momentum(beta=0.8), lambda torch, p, lr: torch.optim.SGD(p, lr=lr, momentum=0.8)),
    (opt.Adam(beta1=0.85, beta2=0.99, eps=1e-7),
     lambda torch, p, lr: torch.optim.Adam(p, lr=lr, betas=(0.85, 0.99), eps=1e-7)),
    (opt.AdamW(beta1=0.85, beta2=0.99, eps=1e-7, weight_decay=0.2),
     lambda torch, p, lr: torch.optim.AdamW(p, lr=lr, betas=(0.85, 0.99), eps=1e-7, weight_decay=0.2)),
    # PyTorch's NAdam warms mu_t = beta1 (1 - 0.5 * 0.96^(t * momentum_decay)) up; a huge momentum_decay
    # makes mu_t = beta1 from the first step, which is the constant-mu form gdviz implements
    (opt.NAdam(beta1=0.85, beta2=0.99, eps=1e-7),
     lambda torch, p, lr: torch.optim.NAdam(p, lr=lr, betas=(0.85, 0.99), eps=1e-7, momentum_decay=1e9)),
])
def test_against_torch(ours, theirs):
    want = _torch_run(theirs, [-1.2, 1.0], 1e-3, 200)
    run = gd.descend(gd.functions.rosenbrock, [-1.2, 1.0], lr=1e-3, epochs=200, optimizer=ours)
    assert np.abs(run.x[-1] - run.x[0]).max() > 0.1  # it went somewhere
    np.testing.assert_allclose(run.x, want, rtol=1e-10, atol=1e-12)


def test_newton_at_a_kink_is_a_result_not_an_exception():
    """|x| + x^2 has no Hessian at 0, its minimum: Newton builds, lands there and stays (g = 0 there)."""
    f = gd.Objective("abs(x) + x**2")
    opt = gd.optimizers.Newton(f)  # the Hessian is probed at 0, the kink, when the optimizer is built
    # from x = 1: f' = 1 + 2x = 3 and f'' = 2, so a step at lr = 2/3 goes to 1 - (2/3)(3/2) = 0, the kink
    run = gd.descend(f, 1.0, lr=2 / 3, epochs=3, optimizer=opt)
    assert not bool(run.diverged)
    assert run.x.tolist() == [1.0, 0.0, 0.0, 0.0]
