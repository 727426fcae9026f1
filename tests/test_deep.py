"""Tests for gdviz.deep: backprop against finite differences, closed forms and known scaling laws.

Every reference here is computed independently of the code under test: a forward pass written
out again from the formulas, central finite differences of it, closed-form derivatives, and the
mean-field growth factor of random layers.
"""

from __future__ import annotations

import numpy as np
import pytest

from gdviz import deep

# Independent references ------------------------------------------------------------------------

PHI = {
    "identity": lambda z: z,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
}


def reference_forward(params, x, activation, residual=False, normalize=False, eps=1e-5):
    """The MLP written out again, straight from the formulas in the module docstring."""
    phi = PHI[activation]
    a = np.array(x, dtype=float)
    for W, b in params:
        z = a @ W.T + b
        if normalize:
            z = (z - z.mean(axis=1, keepdims=True)) / np.sqrt(z.std(axis=1, keepdims=True) ** 2 + eps)
        a = a + phi(z) if residual else phi(z)
    return a


def numerical_gradient(loss, array, h=1e-6):
    """Central differences of loss() with respect to every entry of ``array`` (changed in place, restored)."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        saved = array[index]
        array[index] = saved + h
        up = loss()
        array[index] = saved - h
        down = loss()
        array[index] = saved
        grad[index] = (up - down) / (2 * h)
    return grad


def random_params(widths, seed):
    rng = np.random.default_rng(seed)
    return [
        deep.Layer(rng.normal(0, 0.8, (n_out, n_in)), rng.normal(0, 0.3, n_out))
        for n_in, n_out in zip(widths[:-1], widths[1:], strict=True)
    ]


# Backward pass vs finite differences -----------------------------------------------------------

CASES = [
    (activation, residual, normalize)
    for activation in ["identity", "sigmoid", "tanh", "relu"]
    for residual in [False, True]
    for normalize in [False, True]
]


@pytest.mark.parametrize(("activation", "residual", "normalize"), CASES)
def test_backward_matches_finite_differences(activation, residual, normalize):
    widths = [4, 4, 4, 4] if residual else [3, 5, 4, 2]
    params = random_params(widths, seed=1)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((6, widths[0]))
    g = rng.standard_normal((6, widths[-1]))  # L = sum(g * a_L), so dL/da_L = g

    def loss():
        return float(np.sum(g * reference_forward(params, x, activation, residual, normalize)))

    cache = deep.forward(params, x, activation, residual=residual, normalize=normalize)
    np.testing.assert_allclose(cache.output, reference_forward(params, x, activation, residual, normalize),
                               rtol=1e-12, atol=1e-12)
    grads = deep.backward(params, cache, g)
    for layer, (W, b) in enumerate(params):
        np.testing.assert_allclose(grads.W[layer], numerical_gradient(loss, W), rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(grads.b[layer], numerical_gradient(loss, b), rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(grads.inputs[0], numerical_gradient(loss, x), rtol=1e-6, atol=1e-7)
    # and the gradient reaching every hidden layer: perturb the input of the layers above it
    for layer in range(1, len(params)):
        hidden = reference_forward(params[:layer], x, activation, residual, normalize)

        def upper_loss(hidden=hidden, layer=layer):
            return float(np.sum(g * reference_forward(params[layer:], hidden, activation, residual, normalize)))

        np.testing.assert_allclose(grads.inputs[layer], numerical_gradient(upper_loss, hidden),
                                   rtol=1e-6, atol=1e-7)


def test_linear_network_gradient_is_the_matrix_product():
    params = random_params([3, 4, 5, 2], seed=3)
    params = [deep.Layer(W, np.zeros_like(b)) for W, b in params]
    x = np.ones((1, 3))
    g = np.array([[1.0, -2.0]])
    grads = deep.backward(params, deep.forward(params, x, "identity"), g)
    W1, W2, W3 = (p.W for p in params)
    np.testing.assert_allclose(grads.inputs[0], g @ W3 @ W2 @ W1, rtol=1e-12)
    np.testing.assert_allclose(grads.W[0], (g @ W3 @ W2).T @ x, rtol=1e-12)


def test_each_sigmoid_layer_shrinks_the_gradient_by_at_most_a_quarter_of_its_weight_norm():
    params = deep.init_weights([16] * 9, scale=1.0, seed=4)
    rng = np.random.default_rng(5)
    grad_out = rng.standard_normal((8, 16))
    grads = deep.backward(params, deep.forward(params, rng.standard_normal((8, 16)), "sigmoid"), grad_out)
    above = [*grads.inputs[1:], grad_out]  # dL/da_l for layer l's output
    for layer, (W, _) in enumerate(params):
        # dL/da_{l-1} = (dL/da_l * sigmoid') W_l and sigmoid' <= 1/4
        bound = 0.25 * np.linalg.norm(W, 2) * np.linalg.norm(above[layer])
        assert np.linalg.norm(grads.inputs[layer]) <= bound


# The scalar chain ------------------------------------------------------------------------------


def composed(depth, activation, weight, x):
    a = x
    for _ in range(depth):
        a = PHI[activation](weight * a)
    return a


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "identity"])
@pytest.mark.parametrize("weight", [0.5, 1.0, 2.5])
@pytest.mark.parametrize("x", [-1.3, 0.2, 0.9])
def test_chain_gradient_matches_finite_differences(activation, weight, x):
    depth, h = 6, 1e-6
    chain = deep.chain_gradient(depth, activation, weight=weight, x=x)
    numerical = (composed(depth, activation, weight, x + h) - composed(depth, activation, weight, x - h)) / (2 * h)
    assert chain.gradient == pytest.approx(numerical, rel=1e-6, abs=1e-10)
    assert chain.gradient == pytest.approx(np.prod(chain.factors), rel=1e-12)
    np.testing.assert_allclose(chain.values, [composed(n, activation, weight, x) for n in range(depth + 1)])


@pytest.mark.parametrize("x", [-3.0, -0.5, 0.0, 0.7, 4.0])
def test_sigmoid_chain_obeys_the_quarter_power_bound(x):
    for depth in range(1, 16):
        chain = deep.chain_gradient(depth, "sigmoid", weight=1.0, x=x)
        assert np.all(chain.factors <= 0.25)
        assert 0 < chain.gradient <= 0.25**depth


def test_one_sigmoid_layer_at_zero_reaches_the_bound():
    assert deep.chain_gradient(1, "sigmoid", x=0.0).gradient == pytest.approx(0.25, rel=1e-15)


def test_unit_weight_tanh_chain_at_zero_keeps_the_gradient():
    chain = deep.chain_gradient(100, "tanh", weight=1.0, x=0.0)
    assert chain.gradient == 1.0
    assert np.all(chain.values == 0.0)


@pytest.mark.parametrize("weight", [0.5, 1.0, 1.5])
def test_relu_positive_path_keeps_the_gradient(weight):
    chain = deep.chain_gradient(20, "relu", weight=weight, x=0.3)
    assert chain.gradient == pytest.approx(weight**20, rel=1e-12)  # relu' = 1 on the positive path
    np.testing.assert_allclose(chain.values, 0.3 * weight ** np.arange(21), rtol=1e-12)
    assert deep.chain_gradient(3, "relu", x=-0.3).gradient == 0.0


def test_activation_derivatives_match_closed_forms():
    z = np.linspace(-6, 6, 101)
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(deep.get_activation("sigmoid").f(z), s, rtol=1e-12)
    np.testing.assert_allclose(deep.get_activation("sigmoid").df(z), np.exp(-z) / (1 + np.exp(-z)) ** 2, rtol=1e-9)
    np.testing.assert_allclose(deep.get_activation("tanh").df(z), 1 / np.cosh(z) ** 2, rtol=1e-9)
    np.testing.assert_array_equal(deep.get_activation("relu").df(z), (z > 0) * 1.0)
    assert deep.get_activation("sigmoid").df(np.array(0.0)) == 0.25
    assert deep.get_activation("tanh").df(np.array(0.0)) == 1.0
    assert deep.get_activation("TANH") is deep.get_activation("tanh")


def test_sigmoid_does_not_overflow():
    z = np.array([-1000.0, 1000.0])
    np.testing.assert_array_equal(deep.get_activation("sigmoid").f(z), [0.0, 1.0])


# Initialisation --------------------------------------------------------------------------------


@pytest.mark.parametrize(("scheme", "scale", "expected"), [
    ("normal", 0.3, lambda n_in, n_out: 0.3),
    ("xavier", 1.0, lambda n_in, n_out: np.sqrt(2 / (n_in + n_out))),
    ("he", 1.0, lambda n_in, n_out: np.sqrt(2 / n_in)),
    ("he", 2.0, lambda n_in, n_out: 2 * np.sqrt(2 / n_in)),
])
def test_init_weights_has_the_scheme_standard_deviation(scheme, scale, expected):
    params = deep.init_weights([400, 300, 500], scale=scale, scheme=scheme, seed=0)
    assert [p.W.shape for p in params] == [(300, 400), (500, 300)]
    for (W, b), (n_in, n_out) in zip(params, [(400, 300), (300, 500)], strict=True):
        assert W.std() == pytest.approx(expected(n_in, n_out), rel=0.02)
        assert abs(W.mean()) < 0.01 * expected(n_in, n_out)
        np.testing.assert_array_equal(b, np.zeros(n_out))


def test_seeds_make_runs_reproducible():
    a = deep.init_weights([5, 6, 7], seed=11)
    b = deep.init_weights([5, 6, 7], seed=11)
    c = deep.init_weights([5, 6, 7], seed=12)
    for p, q in zip(a, b, strict=True):
        np.testing.assert_array_equal(p.W, q.W)
    assert not np.array_equal(a[0].W, c[0].W)
    same = deep.init_weights([5, 6], seed=np.random.default_rng(3))[0].W
    np.testing.assert_array_equal(same, deep.init_weights([5, 6], seed=np.random.default_rng(3))[0].W)
    kwargs = dict(depth=6, width=8, activation="tanh", scheme="xavier", n_samples=5)
    first, again, other = (deep.layer_gradient_norms(**kwargs, seed=seed) for seed in (7, 7, 8))
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)


# Per-layer gradient norms: vanishing, exploding and the remedies --------------------------------

DEPTH, WIDTH = 20, 128


def per_layer_factor(norms):
    """The geometric-mean factor by which the gradient grows from one layer down to the next."""
    return float(np.exp(np.mean(np.log(norms[:-1] / norms[1:]))))


def test_layer_gradient_norms_agree_with_a_direct_backward_pass():
    # same seeded draws as documented: weights first, then the batch x, then the direction g
    rng = np.random.default_rng(9)
    params = deep.init_weights([6] * 5, scale=0.7, scheme="normal", seed=rng)
    x, direction = rng.standard_normal((10, 6)), rng.standard_normal((10, 6))
    activations = [x]
    for W, _ in params:  # identity activation, zero biases: a_l = a_{l-1} W_l^T
        activations.append(activations[-1] @ W.T)
    g, input_norms, weight_norms = direction / 10, [], []
    for (W, _), a in zip(reversed(params), reversed(activations[:-1]), strict=True):
        weight_norms.append(np.sqrt(np.sum((g.T @ a) ** 2)))  # dL/dW_l = g_l^T a_{l-1}
        g = g @ W  # dL/da_{l-1} = dL/da_l W_l
        input_norms.append(np.sqrt(np.sum(g**2)))
    norms = deep.layer_gradient_norms(4, 6, "identity", scale=0.7, seed=9, n_samples=10)
    np.testing.assert_allclose(norms, input_norms[::-1], rtol=1e-12)
    norms = deep.layer_gradient_norms(4, 6, "identity", scale=0.7, seed=9, n_samples=10, wrt="weight")
    np.testing.assert_allclose(norms, weight_norms[::-1], rtol=1e-12)


@pytest.mark.parametrize("scale", [0.02, 0.06, 0.2])
def test_relu_gradient_grows_by_the_mean_field_factor(scale):
    # E ||dL/da_{l-1}||^2 = width * scale^2 / 2 * ||dL/da_l||^2 for ReLU layers with N(0, scale^2) weights
    norms = deep.layer_gradient_norms(DEPTH, WIDTH, "relu", scale=scale, seed=0)
    assert per_layer_factor(norms) == pytest.approx(np.sqrt(WIDTH * scale**2 / 2), rel=0.05)


def test_small_weights_make_the_gradient_vanish_monotonically():
    norms = deep.layer_gradient_norms(DEPTH, WIDTH, "tanh", scale=0.01, seed=0)
    assert np.all(np.diff(norms) > 0)  # smaller at every step towards the input
    assert norms[0] < 1e-15 * norms[-1]
    # tanh is nearly linear for tiny signals: each layer multiplies by about scale * sqrt(width)
    assert per_layer_factor(norms) == pytest.approx(0.01 * np.sqrt(WIDTH), rel=0.05)


def test_large_weights_make_the_gradient_explode_monotonically():
    norms = deep.layer_gradient_norms(DEPTH, WIDTH, "relu", scale=0.5, seed=0)
    assert np.all(np.diff(norms) < 0)  # larger at every step towards the input
    assert norms[0] > 1e10 * norms[-1]


def test_sigmoid_gradient_vanishes_even_with_xavier():
    norms = deep.layer_gradient_norms(DEPTH, WIDTH, "sigmoid", scheme="xavier", seed=0)
    assert np.all(np.diff(norms) > 0)
    assert norms[0] < 1e-8 * norms[-1]


@pytest.mark.parametrize(("activation", "scheme"), [("tanh", "xavier"), ("relu", "he")])
def test_careful_initialisation_keeps_the_gradient_roughly_constant(activation, scheme):
    norms = deep.layer_gradient_norms(DEPTH, WIDTH, activation, scheme=scheme, seed=0)
    assert norms.max() / norms.min() < 10
    assert 0.8 < per_layer_factor(norms) < 1.25


def test_relu_fixes_what_sigmoid_breaks():
    sigmoid = deep.layer_gradient_norms(DEPTH, WIDTH, "sigmoid", scheme="he", seed=0)
    relu = deep.layer_gradient_norms(DEPTH, WIDTH, "relu", scheme="he", seed=0)
    assert relu[0] / relu[-1] > 1e6 * sigmoid[0] / sigmoid[-1]


def test_fewer_layers_lose_less_gradient():
    ratios = [
        (lambda n: n[0] / n[-1])(deep.layer_gradient_norms(depth, WIDTH, "sigmoid", scheme="xavier", seed=0))
        for depth in [2, 5, 10, 20]
    ]
    assert np.all(np.diff(ratios) < 0)


@pytest.mark.parametrize("scale", [0.01, 1.0, 10.0])
def test_normalisation_makes_the_gradient_flow_independent_of_the_weight_scale(scale):
    # with zero biases, standardising z_l undoes any common scale of W_l, forward and backward
    reference = deep.layer_gradient_norms(DEPTH, WIDTH, "tanh", scale=1.0, seed=0)  # explodes without it
    unnormalised = deep.layer_gradient_norms(DEPTH, WIDTH, "tanh", scale=scale, seed=0)
    normalised = deep.layer_gradient_norms(DEPTH, WIDTH, "tanh", scale=scale, seed=0, normalize=True)
    assert normalised.max() / normalised.min() < 20
    assert unnormalised.max() / unnormalised.min() > 1e3
    assert reference.max() / reference.min() > 1e3


def test_residual_connections_keep_the_gradient_alive():
    plain = deep.layer_gradient_norms(DEPTH, WIDTH, "tanh", scale=0.01, seed=0)
    residual = deep.layer_gradient_norms(DEPTH, WIDTH, "tanh", scale=0.01, seed=0, residual=True)
    assert plain[0] / plain[-1] < 1e-15
    assert 0.5 < residual[0] / residual[-1] < 2  # the skip passes the gradient through almost unchanged


def test_explosion_is_a_result_not_a_warning():
    # the forward pass overflows; pytest turns any RuntimeWarning into an error
    norms = deep.layer_gradient_norms(400, 32, "relu", scale=10.0, seed=0)
    assert not np.all(np.isfinite(norms))  # reported as inf/nan, never as a misleading zero
    assert not np.any(norms == 0)


# Gradient clipping ------------------------------------------------------------------------------


def test_clipping_caps_the_norm_and_keeps_the_direction():
    rng = np.random.default_rng(0)
    grads = [rng.standard_normal((3, 4)) * 100, rng.standard_normal(5) * 100]
    before = [g.copy() for g in grads]
    clipped = deep.clip_by_norm(grads, max_norm=2.0)
    flat, flat_clipped = np.concatenate([g.ravel() for g in grads]), np.concatenate([g.ravel() for g in clipped])
    assert np.sqrt(np.sum(flat_clipped**2)) == pytest.approx(2.0, rel=1e-12)
    ratio = flat_clipped / flat
    np.testing.assert_allclose(ratio, ratio[0], rtol=1e-12)  # one common positive factor
    assert ratio[0] > 0
    for g, b in zip(grads, before, strict=True):
        np.testing.assert_array_equal(g, b)  # inputs untouched
    assert [g.shape for g in clipped] == [(3, 4), (5,)]


def test_clipping_leaves_small_gradients_alone():
    grads = [np.array([0.3, -0.4]), np.array([[0.0]])]  # norm 0.5
    for g, c in zip(grads, deep.clip_by_norm(grads, max_norm=0.5), strict=True):
        np.testing.assert_array_equal(g, c)
    np.testing.assert_array_equal(deep.clip_by_norm([np.zeros(3)], 1.0)[0], np.zeros(3))


def test_clipping_survives_huge_gradients():
    clipped = deep.clip_by_norm([np.array([3e300, 4e300])], max_norm=1.0)[0]
    np.testing.assert_allclose(clipped, [0.6, 0.8], rtol=1e-12)
    assert deep.global_norm([np.array([3e300]), np.array([4e300])]) == pytest.approx(5e300, rel=1e-12)


def test_clipping_tames_an_exploding_network():
    params = deep.init_weights([32] * 11, scale=0.5, scheme="normal", seed=1)
    x = np.random.default_rng(2).standard_normal((4, 32))
    cache = deep.forward(params, x, "relu")
    grads = deep.backward(params, cache, np.ones_like(cache.output)).W
    assert np.sqrt(sum(np.sum(g**2) for g in grads)) > 1e3
    clipped = deep.clip_by_norm(grads, max_norm=1.0)
    assert np.sqrt(sum(np.sum(g**2) for g in clipped)) == pytest.approx(1.0, rel=1e-12)


# Bad input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "error", "match"), [
    (dict(depth=0), ValueError, "depth"),
    (dict(depth=2.5), TypeError, "depth"),
    (dict(depth=True), TypeError, "depth"),
    (dict(width=0), ValueError, "width"),
    (dict(n_samples=0), ValueError, "n_samples"),
    (dict(activation="softsign"), ValueError, r"activation.*'identity', 'relu', 'sigmoid', 'tanh'"),
    (dict(activation=3), TypeError, "activation"),
    (dict(scheme="lecun"), ValueError, r"scheme.*'he', 'normal', 'xavier'"),
    (dict(scale=0.0), ValueError, "scale"),
    (dict(scale=-1.0), ValueError, "scale"),
    (dict(scale=float("nan")), ValueError, "scale"),
    (dict(scale=float("inf")), ValueError, "scale"),
    (dict(scale="big"), TypeError, "scale"),
    (dict(wrt="bias"), ValueError, "wrt"),
])
def test_layer_gradient_norms_rejects_bad_input(kwargs, error, match):
    args = dict(depth=3, width=4) | kwargs
    with pytest.raises(error, match=match):
        deep.layer_gradient_norms(**args)


def test_other_functions_reject_bad_input():
    params = deep.init_weights([3, 4, 2], seed=0)
    with pytest.raises(ValueError, match="widths"):
        deep.init_weights([3])
    with pytest.raises(ValueError, match="widths"):
        deep.init_weights([3, 0, 2])
    with pytest.raises(TypeError, match="widths"):
        deep.init_weights(5)
    with pytest.raises(ValueError, match="x"):
        deep.forward(params, np.ones((2, 5)))
    with pytest.raises(ValueError, match="x"):
        deep.forward(params, np.ones(3))
    with pytest.raises(ValueError, match="residual"):
        deep.forward(params, np.ones((2, 3)), residual=True)
    with pytest.raises(ValueError, match="grad_out"):
        deep.backward(params, deep.forward(params, np.ones((2, 3))), np.ones((2, 3)))
    with pytest.raises(ValueError, match="depth"):
        deep.chain_gradient(0)
    with pytest.raises(ValueError, match="activation"):
        deep.chain_gradient(3, "swish")
    with pytest.raises(ValueError, match="max_norm"):
        deep.clip_by_norm([np.ones(2)], 0.0)
    with pytest.raises(ValueError, match="max_norm"):
        deep.clip_by_norm([np.ones(2)], -1.0)
