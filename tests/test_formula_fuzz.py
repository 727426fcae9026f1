"""Fuzzing the formula parser with hypothesis: random strings from a grammar of allowed and forbidden tokens.

Whatever the string, ``Objective(text)`` either builds an objective or raises a ValueError, never
another exception or a warning; it never hands the text to anything that executes it; it answers
within the time budget (accepted strings build in under a second, refused ones in milliseconds;
measured in CPU time of this process, with room for a loaded machine); and what it accepts
evaluates to what the formula says, checked against an evaluator written here from the same tree.

Seeded (``derandomize``) so CI sees the same strings every run, and kept to a few seconds.
"""

from __future__ import annotations

import math
import sys
import time
import types
from unittest import mock

import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_kernels import assert_kernel_takes_the_general_steps

import gdviz as gd
from gdviz.objective import MAX_CALL_DEPTH

BUILD_BUDGET = 2.0   # CPU seconds for an accepted string: the 1 s target, doubled for a busy CI machine
REFUSE_BUDGET = 0.25  # CPU seconds for a refusal: "milliseconds", with the same allowance

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --------------------------------------------------------------------------- a grammar with its own evaluator


def _sign(v: float) -> float:
    return 0.0 if v == 0 else math.copysign(1.0, v)


FUNCTIONS = {
    "sin": math.sin, "cos": math.cos, "tan": math.tan, "asin": math.asin, "acos": math.acos,
    "atan": math.atan, "sinh": math.sinh, "cosh": math.cosh, "tanh": math.tanh, "exp": math.exp,
    "log": math.log, "sqrt": math.sqrt, "abs": abs, "Abs": abs, "sign": _sign,
}
BINARY = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
          "/": lambda a, b: a / b, "**": math.pow, "^": math.pow}
NUMBERS = ["0", "1", "2", "3", "10", "0.5", "2.75", "1e-3", "1.5e2", "pi", "E"]
CONSTANT = {"pi": math.pi, "E": math.e}

leaves = st.one_of(st.sampled_from(["x", "y"]), st.sampled_from(NUMBERS)).map(lambda s: ("leaf", s))
trees = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.tuples(st.just("binary"), st.sampled_from(sorted(BINARY)), inner, inner),
        st.tuples(st.just("call"), st.sampled_from(sorted(FUNCTIONS)), inner),
        st.tuples(st.just("neg"), inner),
    ),
    max_leaves=24,
)


def render(tree) -> str:
    kind = tree[0]
    if kind == "leaf":
        return tree[1]
    if kind == "binary":
        return f"({render(tree[2])} {tree[1]} {render(tree[3])})"
    if kind == "call":
        return f"{tree[1]}({render(tree[2])})"
    return f"(-{render(tree[1])})"


def evaluate(tree, point: dict[str, float]) -> tuple[float, float]:
    """The value in plain floats and the largest |intermediate| on the way (raises outside the domain)."""
    kind = tree[0]
    if kind == "leaf":
        name = tree[1]
        value = point[name] if name in point else CONSTANT.get(name) or float(name)
        return value, abs(value)
    if kind == "binary":
        (a, sa), (b, sb) = evaluate(tree[2], point), evaluate(tree[3], point)
        value = BINARY[tree[1]](a, b)
    elif kind == "call":
        a, sa = evaluate(tree[2], point)
        sb, value = 0.0, FUNCTIONS[tree[1]](a)
    else:
        a, sa = evaluate(tree[1], point)
        sb, value = 0.0, -a
    if isinstance(value, complex) or not math.isfinite(value):
        raise ArithmeticError("outside the domain")
    return value, max(sa, sb, abs(value))


POINTS = [{"x": 0.3, "y": -1.7}, {"x": 1.25, "y": 0.5}, {"x": -2.0, "y": 2.5}]


class Canary(types.ModuleType):
    """A module that records being used: if anything executes the formula text, it calls hit()."""

    hits = 0

    def hit(self) -> int:
        type(self).hits += 1
        return 1


@pytest.fixture(scope="module", autouse=True)
def canary():
    sys.modules["canary"] = Canary("canary")
    yield
    del sys.modules["canary"]


def build(text: str):
    """Objective(text) or the ValueError it raised, and the CPU seconds it took; sympy's parser forbidden."""

    def forbidden(*args, **kwargs):
        raise AssertionError("sympy's string parser was called")

    with mock.patch.object(sp.parsing.sympy_parser, "parse_expr", forbidden):
        start = time.process_time()
        try:
            result = gd.Objective(text)
        except ValueError as err:
            result = err
        return result, time.process_time() - start


def assert_answered_in_time(result, seconds: float, text: str) -> None:
    budget = REFUSE_BUDGET if isinstance(result, ValueError) else BUILD_BUDGET
    event("refused" if isinstance(result, ValueError) else "built")
    assert seconds < budget, f"{text!r} took {seconds:.2f} s of CPU"
    if isinstance(result, ValueError):
        assert str(result).split(":")[0] in {"formula", "expr", "variables"}, str(result)


# --------------------------------------------------------------------------- the properties


@FUZZ
@given(tree=trees)
def test_grammatical_strings_build_or_are_refused_and_evaluate_to_the_formula(tree):
    text = render(tree)
    f, seconds = build(text)
    assert_answered_in_time(f, seconds, text)
    if isinstance(f, ValueError):
        return
    names = f.variable_names
    for point in POINTS:
        coords = [point[n] for n in names]
        arg = coords[0] if f.dim == 1 else np.array(coords)
        got = f(arg)
        lean = f.value_float(*coords)
        assert isinstance(got, float) and not isinstance(lean, complex)
        assert (math.isnan(got) and math.isnan(lean)) or got == lean or math.isclose(got, lean, rel_tol=1e-12), \
            (text, point, got, lean)
        slope = f.grad(arg)
        assert np.shape(slope) == (() if f.dim == 1 else (f.dim,))
        try:
            want, scale = evaluate(tree, point)
        except (ArithmeticError, ValueError):  # outside the domain, or overflow, in plain floats
            continue
        # sympy may reorder the arithmetic: allow rounding of the order of the largest intermediate
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9 * max(1.0, scale)), (text, point, got, want)
    kernel_takes_the_general_steps(f, text)


def kernel_takes_the_general_steps(f, text: str) -> None:
    """Plain GD on a small batch in the printed kernel (gdviz.kernels) = the general loop, bit for bit."""
    starts = np.array([[point[n] for n in f.variable_names] for point in POINTS]).T  # (dim, runs)
    assert_kernel_takes_the_general_steps(f, starts, np.geomspace(1e-3, 0.3, starts.shape[1]), 4, text)


FORBIDDEN = [
    "__import__('canary').hit()", "canary.hit()", "eval('canary.hit()')", "exec('canary.hit()')",
    "open('canary')", "getattr(x, 'real')", "x.real", "x.__class__", "__builtins__", "lambda: 1",
    "[x]", "x[0]", "{x: 1}", "(x, y)", "'x'", "f'{x}'", "x if x else 1", "x < 1", "x and y", "not x",
    "x @ y", "x % 2", "x // 2", "x << 1", "x & 1", "~x", ";", "=", "(y := 2)", "True", "None", "1j",
    "foo(x)", "sin(x, y)", "sin(x=1)", "import os", "[i for i in x]", "\u0445", "\uff58", "\u2212", "x\u00b2",
]
ALLOWED_TOKENS = ["x", "y", "+", "-", "*", "/", "**", "^", "(", ")", "sin(", "exp(", "2", "0.5", "pi"]


@FUZZ
@given(tokens=st.lists(st.sampled_from(ALLOWED_TOKENS), max_size=12),
       bad=st.sampled_from(FORBIDDEN), where=st.integers(0, 12))
def test_strings_with_a_forbidden_token_are_refused_quickly_and_never_executed(tokens, bad, where):
    tokens.insert(min(where, len(tokens)), bad)
    text = " ".join(tokens)  # (spaces, so that no two tokens merge into an allowed name)
    result, seconds = build(text)
    assert isinstance(result, ValueError), f"{text!r} was accepted"
    assert_answered_in_time(result, seconds, text)
    assert Canary.hits == 0


@FUZZ
@given(text=st.lists(st.sampled_from([*"xyE+-*/^()., 0123456789e", "sin", "tanh", "**"]), max_size=60)
       .map("".join))
def test_any_string_of_formula_characters_builds_or_is_refused_in_time(text):
    result, seconds = build(text)
    assert isinstance(result, (gd.Objective, ValueError))
    assert_answered_in_time(result, seconds, text)


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(depth=st.integers(1, 40), inner=st.sampled_from(["x", "x + y", "0.75*x + 0.5*", "2*x*"]),
       functions=st.lists(st.sampled_from(sorted(FUNCTIONS)), min_size=1, max_size=4))
def test_nests_up_to_and_beyond_the_depth_bound_answer_in_time(depth, inner, functions):
    """The shapes that used to hang sympy: functions nested in one another, sums and products inside."""
    opening = "".join(f"{functions[i % len(functions)]}({inner if inner.endswith(('*', '+ ')) else ''}"
                      for i in range(depth))
    text = opening + ("x" if inner.endswith(("*", "+ ")) else inner) + ")" * depth
    result, seconds = build(text)
    assert_answered_in_time(result, seconds, text)
    if depth > MAX_CALL_DEPTH:
        assert isinstance(result, ValueError) and "nested" in str(result)
