"""The exercises' self-checks say "not yet" to a wrong answer and to the untouched placeholder.

A notebook source (notebooks/src/NN_*.py) that has self-checking exercises defines them in a
code cell starting with ``# EXERCISE CHECKS``: functions ``check_<name>(answer) -> bool`` that
print "correct!" or "not yet: ..." and never raise. Each exercise cell then calls one of them
on the learner's variable, ``check_<name>(my_answer)`` (a trailing ``;`` hides the returned
bool), with a placeholder (``...``, or a
function whose body is ``...``) until the learner fills it in.

This test loads the check cells of every source (with numpy and gdviz, as the set-up cell
provides them), and for every check:

* runs the exercise cell exactly as committed, so the check sees the untouched placeholder,
  and asserts that the check fails;
* feeds it wrong answers from the table below and asserts that each fails;
* feeds it the right answer, derived here independently, and asserts that it passes (so a
  check that always fails is caught too).

Every check found in a notebook must have an entry in the table.
"""

from __future__ import annotations

import contextlib
import io
import math
import re
from pathlib import Path

import numpy as np
import pytest

import gdviz as gd

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "notebooks" / "src").glob("[0-9][0-9]_*.py"))
MARK = "# EXERCISE CHECKS"


def _cells(path: Path) -> list[str]:
    """The code cells of a percent-format source."""
    cells, current, kind = [], [], None
    for line in path.read_text().splitlines():
        if line.startswith("# %%"):
            if kind == "code":
                cells.append("\n".join(current))
            kind, current = ("markdown" if "[markdown]" in line else "code"), []
        else:
            current.append(line)
    if kind == "code":
        cells.append("\n".join(current))
    return [c.strip("\n") for c in cells]


def _momentum(theta, v, g, lr, beta):  # notebook 06's rule, written from its formula
    v = beta * v + lr * g
    return theta - v, v


def _plain(theta, v, g, lr, beta):  # forgets the velocity: plain gradient descent
    return theta - lr * g, lr * g


def _sign_slip(theta, v, g, lr, beta):
    v = beta * v + lr * g
    return theta + v, v


def _raises(theta, v, g, lr, beta):
    raise ZeroDivisionError("oops")


def _clip_norm(g, c):  # notebook 05: scale the whole vector down to length c
    norm = np.linalg.norm(g)
    return g if norm <= c else g * (c / norm)


def _clip_coordinates(g, c):  # clips each coordinate on its own: changes the direction
    return np.clip(g, -c, c)


def _no_clip(g, c):
    return g


def _always_rescale(g, c):  # also stretches short gradients (and divides by 0 for g = 0)
    with np.errstate(all="ignore"):
        return g * (c / np.linalg.norm(g))


def _sgd_loop(loss, theta0, lr, epochs, clip, seed, *, clip_how="norm", reshuffle=True):
    """Notebook 07, exercise 4: SGD with a fresh shuffle per epoch, each sample's gradient clipped."""
    rng = np.random.default_rng(seed)
    theta, path, order = np.array(theta0, dtype=float), [np.array(theta0, dtype=float)], None
    for _ in range(epochs):
        order = rng.permutation(loss.n) if reshuffle or order is None else order
        for i in order:
            g = loss.batch_grad(theta, [i])
            g = {"norm": _clip_norm, "coordinates": _clip_coordinates, "none": _no_clip}[clip_how](g, clip)
            theta = theta - lr * g
            path.append(theta)
    return np.array(path)


def _sgd_unclipped(*args):
    with np.errstate(all="ignore"):
        return _sgd_loop(*args, clip_how="none")


def _sgd_coordinates(*args):
    return _sgd_loop(*args, clip_how="coordinates")


def _sgd_one_shuffle(*args):  # shuffles once, then repeats the same order every epoch
    return _sgd_loop(*args, reshuffle=False)


def _sgd_path_end(*args):  # only the last position
    return _sgd_loop(*args)[-1]


def _sgd_raises(*args):
    raise IndexError("oops")


def _pick_and_score(objective, rates, tuning_starts, held_out_starts, *, peek=False, larger=False, report=None):
    """Notebook 08, exercise 4: tune plain descent's rate on some starts, score it on others (loops, not sweep)."""
    def share(starts, lr):
        finals = np.array([gd.descend(objective, start, lr=lr, epochs=500).f[-1] for start in starts])
        return float(np.mean(finals <= objective.global_minimum.f + 0.25))

    scored = [share(held_out_starts if peek else tuning_starts, lr) for lr in rates]
    best = max(scored)
    ties = [i for i, v in enumerate(scored) if v == best]
    chosen = rates[ties[-1] if larger else ties[0]]
    return chosen, share(tuning_starts if report == "tuning" else held_out_starts, chosen)


def _peeks(*args):  # picks the rate by the held-out share
    return _pick_and_score(*args, peek=True)


def _ties_to_larger(*args):
    return _pick_and_score(*args, larger=True)


def _reports_tuning_share(*args):
    return _pick_and_score(*args, report="tuning")


def _sin_gauss(x):
    return math.sin(x) * math.exp(-0.05 * x * x)


def _extremum(lo, hi, sign):  # golden-section search on sin(x) exp(-0.05 x^2), independent of gdviz
    g = (math.sqrt(5) - 1) / 2
    for _ in range(100):
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
        if sign * _sin_gauss(a) < sign * _sin_gauss(b):
            hi = b
        else:
            lo = a
    return _sin_gauss((lo + hi) / 2)


_CLIMB = _extremum(0.5, 3.0, -1) - _extremum(3.0, 6.0, 1)  # hilltop near 1.43 minus the shallow valley near 4.3
_ODDS = (math.exp(-_CLIMB), math.exp(-_CLIMB / 0.1))


def _adam_parts(grad, x, state, beta1=0.9, beta2=0.999, eps=1e-8):
    t, m, v = state
    g = grad(x)
    t, m, v = t + 1, beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g**2
    return (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps), (t, m, v)


def _adamw(grad, x, state, lr, weight_decay=0.1):  # notebook 06: decoupled decay, then Adam's step
    step, state = _adam_parts(grad, x, state)
    return x - lr * weight_decay * x - lr * step, state


def _adam_no_decay(grad, x, state, lr, weight_decay=0.1):
    step, state = _adam_parts(grad, x, state)
    return x - lr * step, state


def _adam_l2(grad, x, state, lr, weight_decay=0.1):  # the decay sent through the moments
    step, state = _adam_parts(lambda p: grad(p) + weight_decay * p, x, state)
    return x - lr * step, state


def _decay_after_step(grad, x, state, lr, weight_decay=0.1):
    step, state = _adam_parts(grad, x, state)
    return (x - lr * step) * (1 - lr * weight_decay), state


def _eigenvalues_at(point, h=1e-4):  # peaks' Hessian by central differences, not by gdviz's sympy
    f, p = gd.functions.peaks, np.asarray(point, dtype=float)
    e = np.eye(2) * h
    H = np.array([[(f(p + a + b) - f(p + a - b) - f(p - a + b) + f(p - a - b)) / (4 * h * h) for b in e] for a in e])
    return np.linalg.eigvalsh(H)


_LEFT, _GLOBAL = _eigenvalues_at((-1.3473962, 0.2045189)), _eigenvalues_at((0.2282789, -1.6255350))

def _second_derivative(x, h=1e-4):  # of sin(x) exp(-0.05 x^2), by central differences, not by gdviz
    f = lambda v: math.sin(v) * math.exp(-0.05 * v * v)  # noqa: E731
    return (f(x + h) - 2 * f(x) + f(x - h)) / (h * h)


#: check name -> (right answers, wrong answers). Right answers are derived here, not taken from the checks.
ANSWERS = {
    # 64*128 + 128 + 128*64 + 64 + 64*10 + 10
    "check_parameters": ([64 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10],
                         [17000, 64 * 128 + 128 * 64 + 64 * 10, "17226", 17226.5, None]),
    "check_momentum_step": ([_momentum], [_plain, _sign_slip, _raises, None]),
    # the edge of stability: sharpness * lr = 2, at lr = 0.2
    "check_edge": ([2 / 0.2, 10.3], [5.0, 0.2, 2.0, 20.0, 8.0, "10", None]),
    # notebook 05: 0.25**10 <= 1e-6 < 0.25**9; He's std sqrt(2 / 64); clipping by the norm
    "check_layers": ([10], [9, 11, "10", None]),
    "check_scale": ([np.sqrt(2 / 64), 0.18], [0.5, 0.1, 1.0, -0.18, "0.18", None]),
    "check_clip": ([_clip_norm], [_clip_coordinates, _no_clip, _always_rescale, _raises, None]),
    # notebook 01: the edge 2/h'' of 5x^2 + 2x; one step at 1/g'' for x^2 + 5; 1.3 * 0.7**t < 1e-6
    "check_bowl_edge": ([2 / 10, 0.199], [1 / 10, 0.25, 0.4, 2 / 6, -0.2, "0.2", True, None]),
    "check_one_step": ([1 / 2], [0.1, 1.0, 0.25, 2.0, -0.5, "0.5", None]),
    # notebook 02: (0.5, 1.0) drains into the shallow hollow (minimum 2); 2/lambda_max at the left valley;
    # the balanced rate 2/(lambda_min + lambda_max) at the global minimum
    "check_basin": ([2], [0, 1, -1, 3, "2", 2.5, True, None]),
    "check_left_edge": ([2 / _LEFT.max(), 0.127], [2 / _GLOBAL.max(), 1 / _LEFT.max(), 2 / _LEFT.min(), 0.2, 1.5,
                                                   "0.128", None]),
    "check_best_rate": ([2 / _GLOBAL.sum(), 0.0415], [1 / _GLOBAL.max(), 2 / _GLOBAL.max(), 1 / _GLOBAL.min(), 0.035,
                                                      0.05, "0.0416", None]),
    "check_epochs": ([math.ceil(math.log(1e-6 / 1.3) / math.log(0.7))], [39, 41, 14, 100, 40.0, "40", None]),
    # notebook 06: a rotated ravine defeats AdaGrad's per-coordinate rates; AdamW; 1 / 0.05 steps of length lr
    "check_winner": (["Momentum", "momentum"], ["AdaGrad", "GD", 3, None]),
    "check_adamw": ([_adamw], [_adam_no_decay, _adam_l2, _decay_after_step, _raises, None]),
    "check_steps": ([20, 19.5], [10, 40, 200, "20", None]),
    # notebook 07: 1000 = 15 * 64 + 40; the spread of a mean of 16 shrinks by 1/sqrt(16) (0.24 measured,
    # without replacement); a rate that decays to about zero settles SGD; clipped SGD by the loop above
    "check_updates": ([(16, 15), (np.int64(16), 15)], [(15, 15), (16, 16), (15, 16), (16.0, 15.0), 16, "16", None]),
    "check_ratio": ([0.25, 0.24, 1 / np.sqrt(16)], [0.5, 1 / 16, 1.0, 0.1, "0.25", None]),
    "check_schedule": ([gd.schedules.linear(), gd.schedules.exponential(0.99), "linear"],
                       [gd.schedules.constant(), "exponential", gd.schedules.exponential(0.5), "decay", 3, None]),
    # notebook 08: ln 0.01 / ln(1 - 111/400) = 14.1; exp(-climb / T) at T = 1 and 0.1; ln 0.5 / ln(1 - 3/400)
    # = 92.07; the held-out procedure by the loop above
    "check_restarts": ([15, np.int64(15)], [14, 16, 10, 100, 15.0, "15", True, None]),
    "check_odds": ([_ODDS, list(_ODDS), (round(_ODDS[0], 3), 3.5e-6)],
                   [(0.5, 0.05), (_ODDS[0], _ODDS[0]), _ODDS[::-1], (1 - _ODDS[0], 1e-6), (_ODDS[0], 0.0), 0.285,
                    "0.285", None]),
    "check_rastrigin_n": ([92, 93], [91, 94, 133, 46, 400, 92.5, "92", None]),
    "check_held_out": ([_pick_and_score], [_peeks, _ties_to_larger, _reports_tuning_share, _raises, None]),
    "check_clipped_sgd": ([_sgd_loop], [_sgd_unclipped, _sgd_coordinates, _sgd_one_shuffle, _sgd_path_end,
                                        _sgd_raises, None]),
    # notebook 03: a budget of 5 over 1000 epochs; the flow's 5.04 plus ln(10) / f''(x*) (f'' = 1.0015) at
    # lr 0.02; the shallow valley's budget (measured 9.6 to 9.8 over rates 0.01 to 0.1)
    "check_log_rate": ([5 / 1000, 0.0052], [0.01, 0.0025, 0.05, 5.0, -0.005, "0.005", True, None]),
    "check_flow_epochs": ([(5.04 + math.log(10) / 1.0015) / 0.02, 364], [5.04 / 0.02, 250, 500, 115, 0, "367", None]),
    "check_shallow_budget": ([9.7, 9.8], [5, 2.7, 4.9, 20, "9.7", None]),
    # notebook 04: |1 - 0.9 |d|| = 1 at |d| = 2/0.9; alphas with 0.2 (1 - a^100) / (1 - a) well above 5;
    # the first warm-up step -5/w must stay right of the hilltop -4.31; 2/f'' of the right valley
    "check_scaled_start": ([0.5 - 2 / 0.9, -1.72], [-1.5, -3.0, 0.5 - 1 / 0.9, 0.5 + 2 / 0.9, "-1.72", None]),
    "check_decay_alpha": ([0.99, 0.98], [0.95, 0.9, 0.97, 1.0, 1.5, -0.5, "0.99", None]),
    "check_shortest_warmup": ([math.ceil(5 / 4.31)], [1, 3, 10, 2.0, "2", True, None]),
    "check_split_rate": ([2 / _second_derivative(4.3058014), 4.28],
                         [2.0, 4.2, 4.31, 4.4, 1 / _second_derivative(4.3058014), "4.28", None]),
}


def _load(path: Path) -> tuple[dict, list[str]]:
    namespace = {"np": np, "gd": gd}
    cells = _cells(path)
    for cell in cells:
        if cell.startswith(MARK):
            exec(compile(cell, f"{path.name}: exercise checks", "exec"), namespace)
    return namespace, cells


def _quiet(check, answer) -> tuple[bool, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = check(answer)
    return result, out.getvalue()


CASES = [(path, cell) for path in SOURCES for cell in _cells(path)
         if re.search(r"^check_\w+\(\w+\);?\s*$", cell, re.MULTILINE) and not cell.startswith(MARK)]


def test_every_check_has_answers_in_the_table():
    found = {name for path in SOURCES for name, value in _load(path)[0].items()
             if name.startswith("check_") and callable(value)}
    assert found, "no notebook defines exercise checks"
    assert found <= set(ANSWERS), f"checks without right and wrong answers in this test: {found - set(ANSWERS)}"
    called = {re.search(r"^(check_\w+)\(", cell, re.MULTILINE).group(1) for _, cell in CASES}
    assert called == found, "every check is called by an exercise cell, and only defined checks are called"


@pytest.mark.parametrize(("path", "cell"), CASES, ids=lambda v: v.stem if isinstance(v, Path) else
                         re.search(r"^(check_\w+)", v, re.MULTILINE).group(1))
def test_placeholder_and_wrong_answers_fail_right_answers_pass(path, cell):
    namespace, _ = _load(path)
    name, variable = re.search(r"^(check_\w+)\((\w+)\);?\s*$", cell, re.MULTILINE).groups()
    check = namespace[name]

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(cell, f"{path.name}: exercise cell", "exec"), namespace)  # the cell as committed
    assert "not yet" in out.getvalue(), f"{name}: the untouched exercise cell should say 'not yet'"
    result, said = _quiet(check, namespace[variable])
    assert result is False and "not yet" in said

    right, wrong = ANSWERS[name]
    for answer in wrong:
        result, said = _quiet(check, answer)
        assert result is False and "not yet" in said, f"{name} accepted the wrong answer {answer!r}"
    for answer in right:
        result, said = _quiet(check, answer)
        assert result is True and "correct" in said, f"{name} refused the right answer {answer!r}: {said}"
