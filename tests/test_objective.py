"""Objective: values, gradients, Hessians, shapes, description, and the safe formula parser."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
import sympy as sp

import gdviz as gd
from gdviz.objective import ALLOWED_FUNCTIONS, MAX_CALL_DEPTH, MAX_VARIABLES, Extremum, parse_formula

# --------------------------------------------------------------------------- values and gradients


def test_1d_value_gradient_and_hessian_match_hand_derivation():
    f = gd.Objective("3*x**2 - 3*x + 4")
    for x in (-2.0, -0.3, 0.0, 0.5, 1.7):
        assert f(x) == pytest.approx(3 * x * x - 3 * x + 4, rel=1e-15)
        assert f.grad(x) == pytest.approx(6 * x - 3, rel=1e-15, abs=1e-15)
        assert f.hessian(x) == 6.0
    assert (f.dim, f.variable_names) == (1, ("x",))


@pytest.mark.parametrize("shape", [(), (1,), (5,), (3, 4), (2, 1, 3)])
def test_1d_shapes_follow_the_input(shape, rng):
    f = gd.Objective("sin(x) * exp(-x**2 / 4)")
    x = rng.uniform(-3, 3, size=shape)
    value, grad, hess = f(x), f.grad(x), f.hessian(x)
    expected_value = np.sin(x) * np.exp(-x * x / 4)
    expected_grad = np.exp(-x * x / 4) * (np.cos(x) - x / 2 * np.sin(x))
    expected_hess = np.exp(-x * x / 4) * (-np.sin(x) - x * np.cos(x) + (x * x / 4 - 0.5) * np.sin(x))
    for got, want in ((value, expected_value), (grad, expected_grad), (hess, expected_hess)):
        if shape == ():
            assert isinstance(got, float)
        else:
            assert isinstance(got, np.ndarray) and got.shape == shape
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("batch", [(), (1,), (5,), (3, 4)])
def test_nd_shapes_use_a_trailing_axis(batch, rng):
    f = gd.Objective("x**2*y + sin(y) + exp(z)*x")
    assert f.dim == 3 and f.variable_names == ("x", "y", "z")
    p = rng.uniform(-1, 1, size=(*batch, 3))
    x, y, z = p[..., 0], p[..., 1], p[..., 2]
    value, grad, hess = f(p), f.grad(p), f.hessian(p)
    np.testing.assert_allclose(value, x * x * y + np.sin(y) + np.exp(z) * x, rtol=1e-13)
    want_grad = np.stack([2 * x * y + np.exp(z), x * x + np.cos(y), np.exp(z) * x], axis=-1)
    zero = np.zeros_like(x)
    want_hess = np.stack([
        np.stack([2 * y, 2 * x, np.exp(z)], axis=-1),
        np.stack([2 * x, -np.sin(y), zero], axis=-1),
        np.stack([np.exp(z), zero, np.exp(z) * x], axis=-1),
    ], axis=-2)
    assert grad.shape == (*batch, 3) and hess.shape == (*batch, 3, 3)
    assert np.shape(value) == batch
    if batch == ():
        assert isinstance(value, float)
    np.testing.assert_allclose(grad, want_grad, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(hess, want_hess, rtol=1e-13, atol=1e-15)


def test_constant_gradient_components_broadcast():
    f = gd.Objective("2*x + y**2")  # d/dx is the constant 2
    p = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 0.5]])
    np.testing.assert_array_equal(f.grad(p), [[2.0, 4.0], [2.0, -2.0], [2.0, 1.0]])
    np.testing.assert_array_equal(f.grad([1.0, 2.0]), [2.0, 4.0])
    np.testing.assert_array_equal(f.hessian(p), np.broadcast_to([[0.0, 0.0], [0.0, 2.0]], (3, 2, 2)))

    line = gd.Objective("3*x + 1")  # constant gradient and zero Hessian in 1-D
    assert line.grad(0.25) == 3.0 and isinstance(line.grad(0.25), float)
    np.testing.assert_array_equal(line.grad(np.zeros((2, 3))), np.full((2, 3), 3.0))
    np.testing.assert_array_equal(line.hessian(np.zeros(4)), np.zeros(4))
    np.testing.assert_array_equal(line(np.arange(3.0)), [1.0, 4.0, 7.0])

    flat = gd.Objective("x + y")  # every derivative constant: the value still has the batch shape
    assert flat.grad(np.zeros((4, 2))).shape == (4, 2)
    np.testing.assert_array_equal(flat(np.ones((4, 2))), np.full(4, 2.0))


def test_lean_float_functions_agree_with_the_vectorised_ones(rng):
    f = gd.functions.peaks
    for p in rng.uniform(-3, 3, size=(10, 2)):
        assert f.value_float(*p) == pytest.approx(f(p), rel=1e-13)
        np.testing.assert_allclose(f.grad_float(*p), f.grad(p), rtol=1e-12, atol=1e-14)


def test_lean_float_functions_do_not_raise_where_numpy_overflows():
    f = gd.Objective("1 / (1 + exp(x)) + sqrt(x)")
    with np.errstate(all="raise"):  # the fallback must silence numpy itself
        assert f.value_float(800.0) == pytest.approx(math.sqrt(800.0))
    assert math.isnan(f.value_float(-1.0))  # math.sqrt(-1) raises; numpy says nan
    assert math.isinf(gd.Objective("exp(x)").value_float(800.0))


def test_wrong_trailing_axis_is_refused_naming_x():
    f = gd.functions.rosenbrock
    for bad in (1.0, [1.0, 2.0, 3.0], np.zeros((2, 3))):
        with pytest.raises(ValueError, match=r"^x: .*length 2"):
            f(bad)
        with pytest.raises(ValueError, match=r"^x: "):
            f.grad(bad)


# --------------------------------------------------------------------------- variables, names, bounds


def test_variables_default_to_sorted_names_and_can_be_given():
    f = gd.Objective("y**2 + 10*x")
    assert f.variable_names == ("x", "y")
    assert f([1.0, 2.0]) == 14.0
    np.testing.assert_array_equal(f.grad([1.0, 2.0]), [10.0, 4.0])

    g = gd.Objective("y**2 + 10*x", variables="y, x")
    assert g.variable_names == ("y", "x")
    assert g([2.0, 1.0]) == 14.0
    np.testing.assert_array_equal(g.grad([2.0, 1.0]), [4.0, 10.0])

    h = gd.Objective("y**2 + 10*x", variables=["y", "x"])
    assert h.variable_names == ("y", "x")


def test_explicit_variables_may_add_an_unused_one():
    f = gd.Objective("x**2", variables=["x", "y"])
    assert f.dim == 2
    np.testing.assert_array_equal(f.grad([[3.0, 7.0], [1.0, -2.0]]), [[6.0, 0.0], [2.0, 0.0]])


def test_sympy_expression_input():
    a, b = sp.symbols("a b", real=True)
    f = gd.Objective(sp.sin(a) * b**2, variables=[b, a], name="wave")
    assert f.variable_names == ("b", "a") and f.name == "wave"
    assert f([2.0, 0.5]) == pytest.approx(4 * math.sin(0.5), rel=1e-15)
    np.testing.assert_allclose(f.grad([2.0, 0.5]), [4 * math.sin(0.5), 4 * math.cos(0.5)], rtol=1e-15)


@pytest.mark.parametrize("variables", ["x x y", ["x"], ["x", "x", "y"], []])
def test_bad_variables_are_refused(variables):
    with pytest.raises(ValueError, match=r"^(variables|formula): "):
        gd.Objective(sp.sympify("x*y"), variables=variables)
    with pytest.raises(ValueError, match=r"^(variables|formula): "):
        gd.Objective("x*y", variables=variables)


def test_name_defaults_to_the_formula_text():
    assert gd.Objective("x^2 + 1").name == "x^2 + 1"
    assert gd.Objective("x**2", name="bowl").name == "bowl"
    assert "bowl" in repr(gd.Objective("x**2", name="bowl"))


def test_latex_repr():
    x, y = sp.symbols("x y", real=True)
    f = gd.Objective("3*x^2 - 3*x + 4")
    assert f.latex() == "f(x) = " + sp.latex(3 * x**2 - 3 * x + 4)
    assert f._repr_latex_() == "$f(x) = 3 x^{2} - 3 x + 4$"
    g = gd.Objective("sin(x)*exp(-y)")
    assert g._repr_latex_() == "$f(x, y) = " + sp.latex(sp.sin(x) * sp.exp(-y)) + "$"
    assert r"\sin" in g.latex() and "e^{- y}" in g.latex()


def test_bounds_defaults_pairs_and_broadcast():
    assert gd.Objective("x*y").bounds == ((-3.0, 3.0), (-3.0, 3.0))
    assert gd.Objective("x*y", bounds=(-1, 2)).bounds == ((-1.0, 2.0), (-1.0, 2.0))
    assert gd.Objective("x*y", bounds=[(-1, 2), (0, 5)]).bounds == ((-1.0, 2.0), (0.0, 5.0))
    assert gd.Objective("x", bounds=(0, 1)).bounds == ((0.0, 1.0),)


@pytest.mark.parametrize("bounds", [(1, -1), (2, 2), (0, math.nan), (-math.inf, 1), [(0, 1)] * 3, (0, 1, 2),
                                    [[0, 1, 2], [0, 1, 2]]])
def test_bad_bounds_are_refused(bounds):
    with pytest.raises(ValueError, match=r"^bounds: "):
        gd.Objective("x*y", bounds=bounds)


def test_extrema_are_recorded_with_kinds():
    f = gd.Objective("x**4 - 2*x**2", minima=[(-1, -1), (1, -1, "global")], maxima=[(0, 0)])
    assert f.minima == (Extremum(-1.0, -1.0, "global"), Extremum(1.0, -1.0, "global"))
    assert f.maxima == (Extremum(0.0, 0.0, "local"),)
    g = gd.Objective("x**2 - y**2", saddles=[((0, 0), 0)])
    assert g.saddles[0].x == (0.0, 0.0) and g.saddles[0].kind == "saddle"
    assert g.global_minimum is None
    h = gd.Objective("(x**2 - 1)**2 + x/10", minima=[(0.97, -0.1, "local"), (-1.02, -0.2, "global")])
    assert h.global_minimum.x == -1.02


def test_non_formula_input_is_a_type_error():
    for bad in (5, 1.5, None, ["x"], lambda x: x):
        with pytest.raises(TypeError, match=r"^expr: "):
            gd.Objective(bad)
    with pytest.raises(TypeError, match=r"^formula: "):
        parse_formula(b"x**2")


def test_constant_formula_is_refused():
    for text in ("5", "pi * 2", "sin(1)"):
        with pytest.raises(ValueError, match=r"^expr: .*no variable"):
            gd.Objective(text)


# --------------------------------------------------------------------------- the parser: what it accepts


@pytest.mark.parametrize(("text", "reference"), [
    ("x^2", lambda x: x**2),
    ("x^2^2", lambda x: x**4),                 # right-associative, as ** is
    ("2^x", lambda x: 2.0**x),
    ("-x**2 + +x", lambda x: -(x**2) + x),
    ("(x - 1)*(x + 1)/2", lambda x: (x - 1) * (x + 1) / 2),
    ("sin(x) + cos(x) + tan(x/4)", lambda x: math.sin(x) + math.cos(x) + math.tan(x / 4)),
    ("exp(-x) + log(x + 5) + sqrt(x + 5)", lambda x: math.exp(-x) + math.log(x + 5) + math.sqrt(x + 5)),
    ("tanh(x) + sinh(x) + cosh(x)", lambda x: math.tanh(x) + math.sinh(x) + math.cosh(x)),
    ("asin(x/4) + acos(x/4) * atan(x)", lambda x: math.asin(x / 4) + math.acos(x / 4) * math.atan(x)),
    ("Abs(x) + abs(x - 1)", lambda x: abs(x) + abs(x - 1)),
    ("pi*x + E", lambda x: math.pi * x + math.e),
    ("1.5e-3*x + 2.", lambda x: 1.5e-3 * x + 2.0),
    ("x**-2 + x**0.5", lambda x: x**-2 + x**0.5),
])
def test_parser_accepts_arithmetic_and_whitelisted_functions(text, reference):
    f = gd.Objective(text)
    for x in (0.3, 1.1, 2.9):
        assert f(x) == pytest.approx(reference(x), rel=1e-13)


def test_caret_is_power_not_xor():
    assert parse_formula("x^3") == parse_formula("x**3")
    assert gd.Objective("2^3*x")(1.0) == 8.0  # 2 XOR 3 would be 1


def test_parser_builds_exact_numbers():
    x = sp.Symbol("x", real=True)
    assert parse_formula("x/3 + 0.1") == x / 3 + sp.Rational(1, 10)


def test_parser_does_not_hand_strings_to_sympy(monkeypatch):
    """sympy's own parser calls eval; the parser must build expressions without it."""

    def forbidden(*args, **kwargs):
        raise AssertionError("sympy's string parser was called")

    monkeypatch.setattr(sp.parsing.sympy_parser, "parse_expr", forbidden)
    f = gd.Objective("3*x^2 - sin(y) + exp(-x*y)")
    assert f([0.0, 0.0]) == 1.0


def test_whitelist_is_the_documented_one():
    assert {"sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "Abs"} <= set(ALLOWED_FUNCTIONS)
    assert not {"eval", "exec", "open", "getattr", "__import__", "sympify", "lambdify"} & set(ALLOWED_FUNCTIONS)


# --------------------------------------------------------------------------- the parser: what it refuses


@pytest.mark.parametrize("text", [
    "", "   ", "3*x +", "x**", "(x", "x)", "x y", "sin()", "sin(x, x)", "sin(x=1)", "sin(*x)",
    "sin", "sin + x", "x = 1", "x; x", "x\nx", "import os", "x +* 2", "2x",
])
def test_malformed_formulas_are_refused(text):
    with pytest.raises(ValueError, match=r"^formula: "):
        gd.Objective(text)


@pytest.mark.parametrize("text", [
    "__import__('os')",
    "__import__('os').system('echo unsafe')",
    "x.real",
    "x.__class__",
    "().__class__.__bases__[0].__subclasses__()",
    "(lambda: 1)()",
    "lambda x: x",
    "__builtins__",
    "__x + 1",
    "x__",  # harmless as a name, but checked with the others below
    "x[0]",
    "x[::-1]",
    "eval('x')",
    "exec('x = 1')",
    "open('/etc/passwd')",
    "getattr(x, 'real')",
    "globals()",
    "print(x)",
    "sympify('x')",
    "sin.__call__(x)",
    "[x for x in (1, 2)]",
    "[x]",
    "{x: 1}",
    "(x, x)",
    "'x'",
    "f'{x}'",
    "b'x'",
    "x if x else 1",
    "x < 1",
    "x and x",
    "not x",
    "(y := 2) * x",
    "True * x",
    "None",
    "...",
    "1j * x",
    "x @ x",
    "x % 2",
    "x // 2",
    "x << 2",
    "x & 1",
    "x | 1",
    "~x",
    "averyveryverylongname + 1",
])
def test_unsafe_formulas_are_refused_before_sympy_sees_them(text, monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("sympy's string parser was called")

    monkeypatch.setattr(sp.parsing.sympy_parser, "parse_expr", forbidden)
    if text == "x__":
        assert gd.Objective(text).variable_names == ("x__",)
        return
    with pytest.raises(ValueError, match=r"^formula: "):
        gd.Objective(text)


def test_refused_formula_has_no_side_effect(tmp_path):
    marker = tmp_path / "pwned"
    text = f"__import__('pathlib').Path({str(marker)!r}).touch()"
    with pytest.raises(ValueError, match=r"^formula: "):
        gd.Objective(text)
    assert not marker.exists()


def test_only_declared_variables_are_accepted():
    with pytest.raises(ValueError, match=r"^formula: unknown name 'y'.*\['x'\]"):
        gd.Objective("x**2 + y", variables=["x"])


@pytest.mark.parametrize("text", [
    "x + " * 130 + "x",       # longer than the limit
    "x+" * 240 + "x",         # short enough, but too many parts
    "-" * 300 + "x",
    "(" * 260 + "x" + ")" * 260,
])
def test_very_long_input_is_refused(text):
    with pytest.raises(ValueError, match=r"^formula: "):
        gd.Objective(text)


@pytest.mark.parametrize("text", [
    "x**100",
    "x**-65",
    "x**(2**7)",
    "x**1e3",
    "2**10**10 * x",
    "x**64**64",
    "x**0.5**-9",
    "1e400 * x",
    "10000000000000 * x",
    "x * (10**12)**64",
    "x + (2**64)**64",
    "((2**64)**64)**64 * x",
    "((((2**64)**64)**64)**64)**64 * x",
    "(((((1/10**12)**64)**64)**64)**64) * x",
    "exp(10**6) * x",
])
def test_huge_exponents_and_numbers_are_refused_quickly(text):
    start = time.perf_counter()
    with pytest.raises(ValueError, match=r"^formula: "):
        gd.Objective(text)
    assert time.perf_counter() - start < 2.0


def test_moderate_powers_are_fine():
    f = gd.Objective("x**64 + (10**12)**2 * x + 2**-40")
    assert f(1.0) == pytest.approx(1.0 + 1e24 + 2.0**-40, rel=1e-15)


@pytest.mark.parametrize("text", ["sqrt(-1) * x", "x**sqrt(-1)", "log(0) * x", "x + 1/0", "x**(1/0)",
                                  "x * 0/0", "x + log(-1)", "(-1)**0.5 + x"])
def test_complex_or_infinite_constants_are_refused(text):
    with pytest.raises(ValueError, match=r"^formula: "):
        gd.Objective(text)


@pytest.mark.parametrize("name", ["numpy", "math", "x0", "x1", "builtins"])
def test_variable_names_that_clash_with_generated_code_still_evaluate(name):
    f = gd.Objective(f"sin({name})**2 + {name}*exp({name}) + cos({name})*sin({name})")
    x = 0.7
    value = math.sin(x) ** 2 + x * math.exp(x) + math.cos(x) * math.sin(x)
    slope = 2 * math.sin(x) * math.cos(x) + (1 + x) * math.exp(x) + math.cos(2 * x)
    assert f(x) == pytest.approx(value, rel=1e-14)
    assert f.grad(x) == pytest.approx(slope, rel=1e-14)
    assert f.value_float(x) == pytest.approx(value, rel=1e-14)
    assert f.grad_float(x)[0] == pytest.approx(slope, rel=1e-14)
    two = gd.Objective(f"{name}**2 * x0b + exp({name})", variables=[name, "x0b"])
    np.testing.assert_allclose(two.grad([x, 2.0]), [2 * x * 2.0 + math.exp(x), x * x], rtol=1e-14)


@pytest.mark.parametrize(("text", "point"), [("x", np.array([1.0, 2.0])), ("x**2/2", np.array([1.0, 2.0])),
                                             ("x + 0*y", np.array([[1.0, 2.0]])), ("x*y", np.array([[1.0, 2.0]]))])
def test_results_never_alias_the_callers_array(text, point):
    f = gd.Objective(text, variables=["x", "y"] if point.ndim == 2 else None)
    before = point.copy()
    for result in (f(point), f.grad(point), f.hessian(point)):
        assert not np.shares_memory(result, point)
        result[...] = 99.0
    np.testing.assert_array_equal(point, before)


# --------------------------------------------------------------------------- bounded work


def _cpu(fn):
    """CPU seconds of this process spent in ``fn`` (other processes on a busy machine do not count)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def test_the_issues_tanh_nest_builds_and_evaluates_right():
    """Ten nested tanh took tens of seconds in lambdify (sympy re-derived assumptions on dummies)."""
    text = "tanh(0.75*x + 0.5*" * 10 + "x" + ")" * 10
    f = gd.Objective(text)
    for x in (-1.3, 0.2, 2.0):
        value, slope = x, 1.0  # the nest from the inside out, with the chain rule by hand
        for _ in range(10):
            value, slope = math.tanh(0.75 * x + 0.5 * value), (1 - math.tanh(0.75 * x + 0.5 * value) ** 2) * (
                0.75 + 0.5 * slope)
        assert f(x) == pytest.approx(value, rel=1e-13)
        assert f.grad(x) == pytest.approx(slope, rel=1e-12)


def test_deep_nests_are_refused_naming_the_depth():
    for depth in (MAX_CALL_DEPTH + 1, 30, 80):
        text = "tanh(" * depth + "x" + ")" * depth
        with pytest.raises(ValueError, match=rf"^formula: functions nested more than {MAX_CALL_DEPTH} deep"):
            gd.Objective(text)
    f = gd.Objective("sin(" * MAX_CALL_DEPTH + "x" + ")" * MAX_CALL_DEPTH)
    x = 0.9
    for _ in range(MAX_CALL_DEPTH):
        x = math.sin(x)
    assert f(0.9) == pytest.approx(x, rel=1e-14)


@pytest.mark.parametrize("text", [
    "(x+" * 40 + "y" + ")**2" * 40,               # each square doubles what lies inside: quadratic growth
    "**".join(["x"] * 40),                          # a power tower
    "*".join(f"sin(x+{i})" for i in range(36)),    # product rule: 36 terms of 36 factors
    "a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*p + exp(a*b*c*d*e*f*g*h*i*j*k*l*m*n*o*p)",
])
def test_formulas_whose_gradient_would_be_huge_are_refused_before_differentiating(text):
    seconds = _cpu(lambda: pytest.raises(ValueError, gd.Objective, text).match(r"^formula: .*parts"))
    assert seconds < 0.2  # the estimate, not the derivative: ~2 ms


def test_the_size_estimate_is_an_upper_bound_on_the_real_gradient():
    from gdviz.formula import estimated_gradient_size

    for text in ["(x+" * 8 + "y" + ")**2" * 8, "**".join(["x"] * 8), "*".join(f"sin(x+{i})" for i in range(8)),
                 "asin(2*x*atan(3*x*exp(x*y)))", "peaks_like*exp(-peaks_like**2 - y**2) + log(1 + y**4)",
                 "sqrt(x)**x / (1 + tanh(x*y)**3)", "abs(x - y)*sign(x) + cosh(x)**-2"]:
        expr = parse_formula(text)
        variables = sorted(expr.free_symbols, key=lambda s: s.name)
        real = sum(1 for v in variables for _ in sp.preorder_traversal(sp.diff(expr, v)))
        assert estimated_gradient_size(expr, variables) >= real, text


def test_too_many_variables_are_refused():
    names = [f"v{i}" for i in range(MAX_VARIABLES + 1)]
    with pytest.raises(ValueError, match=rf"^formula: more than {MAX_VARIABLES} variables"):
        gd.Objective(" + ".join(names))
    with pytest.raises(ValueError, match=rf"^variables: at most {MAX_VARIABLES}"):
        gd.Objective("v0", variables=names)
    assert gd.Objective(" + ".join(names[:-1])).dim == MAX_VARIABLES
    wide = gd.Objective(sp.Add(*sp.symbols(names, real=True)))  # sympy expressions are not bounded
    assert wide.dim == MAX_VARIABLES + 1


def test_a_hessian_too_large_to_compile_is_refused_on_first_use():
    f = gd.Objective("".join(f"exp({i + 2}*x*" for i in range(12)) + "x" + ")" * 12)  # accepted: a chain
    assert math.isfinite(f.grad(-0.1))
    with pytest.raises(ValueError, match=r"^formula: the Hessian would have more than"):
        f.hessian(-0.1)


# --------------------------------------------------------------------------- kinks and what cannot be compiled


def test_hessian_across_a_kink_is_a_number_away_from_it_and_refused_at_it():
    f = gd.Objective("abs(x) + x**2")
    assert f.hessian(1.5) == 2.0 and f.hessian(-0.25) == 2.0
    with pytest.raises(ValueError, match=r"^x: the Hessian is not defined at x = 0\b.*kink.*undefined='nan'"):
        f.hessian(0.0)
    with pytest.raises(ValueError, match=r"1 of 3 points"):
        f.hessian(np.array([-1.0, 0.0, 1.0]))
    got = f.hessian(np.array([-1.0, 0.0, 1.0]), undefined="nan")
    assert math.isnan(got[1]) and got[0] == got[2] == 2.0
    assert math.isnan(f.hessian(0.0, undefined="nan"))


@pytest.mark.parametrize(("expr", "reference"), [
    # x|x| = sign(x) x^2: f'' = 2 sign(x), which jumps at 0
    ("sign(x)*x**2", lambda x, y: np.array([[2 * np.sign(x), 0.0], [0.0, 0.0]])),
    (sp.Max(sp.Symbol("x", real=True), sp.Symbol("y", real=True)) ** 2,  # (max(x, y))^2
     lambda x, y: np.array([[2.0, 0.0], [0.0, 0.0]]) if x > y else np.array([[0.0, 0.0], [0.0, 2.0]])),
    (sp.Min(sp.Symbol("x", real=True), 0) * sp.Symbol("y", real=True) ** 2,   # min(x, 0) y^2
     lambda x, y: np.array([[0.0, 2 * y * (x < 0)], [2 * y * (x < 0), 2 * min(x, 0.0)]])),
])
def test_hessians_of_sign_max_and_min_match_the_hand_derivation(expr, reference):
    f = gd.Objective(expr, variables=["x", "y"])
    points = np.array([[1.5, -0.5], [-0.7, 0.4], [0.3, 2.0], [-2.0, -1.0]])
    got = f.hessian(points)
    for p, h in zip(points, got, strict=True):
        np.testing.assert_allclose(h, reference(*p), atol=1e-15)
    with pytest.raises(ValueError, match=r"^x: the Hessian is not defined at \(x, y\) = \("):
        f.hessian([0.0, 0.0])


def test_hessian_of_a_batch_in_the_public_layout_matches_differences_of_the_gradient(rng):
    f = gd.Objective("x**2*y + sin(y) + exp(z)*x + abs(x - 5)")
    points = rng.uniform(-1, 1, size=(4, 6, 3))
    h = 1e-6
    H = f.hessian(points)
    assert H.shape == (4, 6, 3, 3)
    for i in range(3):
        e = np.zeros(3)
        e[i] = h
        column = (f.grad(points + e) - f.grad(points - e)) / (2 * h)  # d(grad)/dx_i
        np.testing.assert_allclose(H[..., :, i], column, rtol=1e-6, atol=1e-6)


def test_undefined_takes_raise_or_nan():
    f = gd.Objective("x**2")
    with pytest.raises(ValueError, match=r"^undefined: .*'raise', 'nan'"):
        f.hessian(1.0, undefined="ignore")
    with pytest.raises(TypeError, match=r"^undefined: "):
        f.hessian(1.0, undefined=True)


def test_functions_numpy_cannot_evaluate_are_a_clear_value_error():
    x = sp.Symbol("x", real=True)
    with pytest.raises(ValueError, match=r"^expr: g\(x\) is a function with no formula"):
        gd.Objective(sp.Function("g")(x) + x)
    with pytest.raises(ValueError, match=r"^expr: sympy cannot differentiate floor\(x\)"):
        gd.Objective(sp.floor(x) * x)
    with pytest.raises(TypeError, match=r"^expr: "):
        gd.Objective(sp.Eq(x, 1))


def test_a_jump_gives_the_slope_on_either_side_and_no_hessian_at_it():
    f = gd.Objective("sign(x) + x**2")  # the jump of sign: its delta is dropped from the gradient
    assert f.grad(0.5) == 1.0 and f.grad(-2.0) == -4.0
    assert f.hessian(0.5) == 2.0
    with pytest.raises(ValueError, match=r"not defined at x = 0"):
        f.hessian(0.0)


def test_the_lean_path_never_returns_complex_numbers():
    """Python's (-1.0) ** 2.5 is complex; the lean path must answer NaN, as numpy does."""
    for text in ("x**2.5", "x**(1/3)", "x**x"):
        f = gd.Objective(text)
        value, slope = f.value_float(-1.5), f.grad_float(-1.5)[0]
        assert isinstance(value, float) and math.isnan(value), text
        assert math.isnan(slope), text
        assert math.isnan(f(-1.5)) and math.isnan(f.grad(-1.5))
    assert gd.Objective("x**2.5").value_float(4.0) == 32.0


def test_values_outside_the_domain_are_nan_without_a_warning():
    f = gd.Objective("log(x) + sqrt(x)")  # pytest turns any RuntimeWarning into an error
    assert math.isnan(f(-1.0)) and math.isnan(f.grad(-1.0)) and math.isnan(f.hessian(-1.0))
    assert np.isnan(f(np.array([-1.0, -2.0]))).all()


# --------------------------------------------------------------------------- text that only looks right


@pytest.mark.parametrize(("text", "char", "hint"), [
    ("\u0445**2 + 1", "CYRILLIC SMALL LETTER HA", None),        # looks like x
    ("\uff58**2", "FULLWIDTH LATIN SMALL LETTER X", "x"),       # Python would silently read x
    ("x \u2212 1", "MINUS SIGN", "-"),
    ("3\u00b7x", "MIDDLE DOT", r"\*"),
    ("x\u00b2", "SUPERSCRIPT TWO", r"\*\*2"),
    ("2\u03c0*x", "GREEK SMALL LETTER PI", "pi"),
    ("x\u00a0+ 1", "NO-BREAK SPACE", "a plain space"),
    ("\U0001d465 + 1", "MATHEMATICAL ITALIC SMALL X", "x"),
])
def test_non_ascii_look_alikes_are_refused_naming_the_character(text, char, hint):
    with pytest.raises(ValueError, match=rf"^formula: the character .*\({char}, U\+[0-9A-F]{{4,5}}\)") as info:
        gd.Objective(text)
    if hint is not None:
        assert info.match(rf"type {hint} instead")


def test_sign_is_a_formula_function():
    f = gd.Objective("sign(x)*x**2")
    for x in (-1.5, 0.0, 2.0):
        assert f(x) == x * abs(x) and f.value_float(x) == x * abs(x)
        assert f.grad(x) == 2 * abs(x)


# --------------------------------------------------------------------------- names matplotlib must draw


@pytest.mark.parametrize("name", [r"$\frac{1}{$ loss", r"$x^{2$", r"$\notacommand x$ bowl"])
def test_a_name_with_latex_matplotlib_cannot_parse_is_refused(name):
    with pytest.raises(ValueError, match=r"^name: matplotlib cannot draw"):
        gd.Objective("x**2", name=name)


@pytest.mark.parametrize("name", [r"$x^2$ bowl", r"loss $\frac{1}{2}(w - 3)^2$", "costs 5 $", r"\$3 \$4",
                                  "3x² - 3x + 4"])
def test_names_matplotlib_can_draw_are_kept_and_drawn(name):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    f = gd.Objective("x**2", name=name)
    assert f.name == name
    fig, ax = plt.subplots()
    try:
        ax.set_title(f.name)
        fig.canvas.draw()  # where a bad name would have failed
    finally:
        plt.close(fig)


def test_a_name_must_be_a_string():
    with pytest.raises(TypeError, match=r"^name: expected a string"):
        gd.Objective("x**2", name=5)
