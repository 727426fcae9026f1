"""Fuzzing the explorers: random slider values and random raw parameters never raise.

Two properties, for every explorer:

* any value a control can take (a slider anywhere in its range, any option of a picker, a
  checkbox either way), in any order, gives a frame and a readout; the readout follows the
  run shown: a result when the run happened, "not run: ..." with a message when not;
* ``view.update`` with values no slider offers (negative, zero, NaN, infinite, huge, strings,
  None) returns a result or None with a message that names the refused parameter; no
  exception and no warning escapes (pytest runs with ``filterwarnings = error``).

Hypothesis is seeded (``derandomize=True``) and runs a few examples per explorer, so CI
sees the same cases every time and the file stays under a minute on a quiet machine.
"""

from __future__ import annotations

import math

import ipywidgets
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gdviz as gd
from gdviz import widgets as W

FUZZ = settings(max_examples=6, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

# Small settings: a move must stay cheap while hypothesis makes many of them.
EXPLORERS = {
    "1d": lambda: W.explore_1d(gd.functions.sin_gauss, lr=0.1, epochs=20, max_epochs=60),
    "2d": lambda: W.explore_2d(gd.functions.peaks, lr=0.01, epochs=30, max_epochs=60),
    "optimizers": lambda: W.explore_optimizers(gd.functions.ravine, ("gd", "momentum", "adam"), lr=0.01, epochs=30,
                                               max_epochs=60),
    "schedule": lambda: W.explore_schedule(gd.functions.sin_gauss, lr=0.5, epochs=30, max_epochs=60),
    "sweep": lambda: W.explore_sweep(gd.functions.quadratic, 1.5, lrs=[0.01, 0.1, 0.3, 0.4], epochs_grid=[5, 20]),
    "deep": lambda: W.explore_deep(depth=5, width=8, max_depth=30),
    "batches": lambda: W.explore_batches(gd.data.make_linear(n=24, seed=0), epochs=3, max_epochs=8),
    "escape": lambda: W.explore_escape(gd.functions.sin_gauss, "gd", n=6, lr=0.3, epochs=40, max_n=12),
    "network": lambda: W.explore_network(n=40, epochs=3, max_epochs=6, max_updates=200),
    "1d theory": lambda: W.explore_1d(gd.functions.sin_gauss, lr=0.1, epochs=20, max_epochs=60, theory=True),
    "2d theory": lambda: W.explore_2d(gd.functions.peaks, lr=0.01, epochs=30, max_epochs=60, theory=True),
    "noisy race": lambda: W.explore_noisy_race(gd.functions.ravine, epochs=30, max_epochs=60),
    "momentum rates": lambda: W.explore_momentum_rates(measured=False),
    "bifurcation": lambda: W.explore_bifurcation(gd.functions.sin_gauss),
}
_built: dict[str, W.Explorer] = {}


def explorer(name: str) -> W.Explorer:
    """One explorer per kind for the whole module: building is the slow part."""
    if name not in _built:
        _built[name] = EXPLORERS[name]()
    return _built[name]


def control_value(control: ipywidgets.Widget) -> st.SearchStrategy:
    """Every value the control can hold, as the front end would send it."""
    if isinstance(control, ipywidgets.Checkbox):
        return st.booleans()
    if isinstance(control, (ipywidgets.Dropdown, ipywidgets.SelectionSlider)):
        return st.sampled_from([o[1] if isinstance(o, tuple) else o for o in control.options])
    if isinstance(control, ipywidgets.FloatLogSlider):
        exponent = st.floats(control.min, control.max, allow_nan=False)
        return exponent.map(lambda e: min(max(control.base ** e, control.base ** control.min),
                                          control.base ** control.max))
    if isinstance(control, ipywidgets.IntSlider):
        return st.integers(control.min, control.max)
    if isinstance(control, ipywidgets.FloatSlider):
        return st.floats(control.min, control.max, allow_nan=False)
    raise AssertionError(f"no strategy for {type(control).__name__}")


def check_consistent(w: W.Explorer) -> None:
    """The frame, the readout and the result tell the same story."""
    assert w.image.startswith(b"\x89PNG")
    assert w.view.readout
    if w.view.readout.startswith("not run"):  # a refused move: no data, a message in the figure
        assert w.result is None and w.view.messages and w.view.message.get_visible()
    else:  # a run (some views, e.g. an unmeasured rate map, have no data to hand back)
        assert w.result is not None or type(w.view).__name__ == "RateMapView"
    assert "\n" not in w.view.message.get_text()  # one line in its own strip, whatever happened


@pytest.mark.parametrize("name", list(EXPLORERS))
def test_random_slider_moves_never_raise(name):
    w = explorer(name)

    @FUZZ
    @given(st.data())
    def moves(data):
        keys = data.draw(st.lists(st.sampled_from(sorted(w.controls)), min_size=1, max_size=2))
        for key in keys:
            w.controls[key].value = data.draw(control_value(w.controls[key]), label=key)
            check_consistent(w)

    moves()


BAD = [-1.0, 0.0, math.nan, math.inf, -math.inf, 1e300, "0.1", None, True, 2.5, 10**9]

# Raw parameters of each view's update, a valid value for each, and which ones to spoil.
RAW = {
    "1d": ({"lr": 0.1, "epochs": 10, "x0": 0.5}, ["lr", "epochs", "x0"]),
    "2d": ({"lr": 0.01, "epochs": 10, "x0": 0.5, "y0": 0.5, "optimizer": "gd"}, ["lr", "epochs", "x0", "y0",
                                                                                 "optimizer"]),
    "schedule": ({"schedule": "cosine", "lr": 0.5, "epochs": 10, "x0": 0.0}, ["schedule", "lr", "epochs", "x0"]),
    "sweep": ({"lr": 0.1, "epochs": 5}, ["lr", "epochs"]),
    "deep": ({"depth": 4, "activation": "tanh", "scale": 1.0, "scheme": "xavier"}, ["depth", "activation", "scale",
                                                                                    "scheme"]),
    "batches": ({"batch_size": 4, "lr": 0.05, "epochs": 2}, ["batch_size", "lr", "epochs"]),
    "escape": ({"strategy": "gd", "n": 3, "lr": 0.1}, ["strategy", "n", "lr"]),
}


@pytest.mark.parametrize("name", list(RAW))
def test_raw_values_no_slider_offers_are_messages_naming_the_parameter(name):
    view = explorer(name).view
    good, spoil = RAW[name]

    @FUZZ
    @given(st.sampled_from(spoil), st.sampled_from(BAD))
    def update(key, bad):
        result = view.update(**{**good, key: bad})
        if result is None:
            assert view.messages and view.readout.startswith("not run: ")
            message = view.messages[0]
            assert message.startswith(f"{key}:") or "memory budget" in message, (key, bad, message)
        assert view.png().startswith(b"\x89PNG")

    update()
    assert view.update(**good) is not None  # and it recovers


def test_epochs_beyond_the_budget_are_refused_quickly():
    view = explorer("1d").view
    assert view.update(lr=0.1, epochs=10**12, x0=0.5) is None
    assert "epochs" in view.messages[0] or "memory" in view.messages[0]
    assert np.isfinite(view.axes["x"].get_xlim()).all()


def test_every_explorer_of_the_package_is_fuzzed():
    """A new ``explore_*`` in gd.widgets must join EXPLORERS above."""
    public = {name for name in W.__all__ if name.startswith("explore_")}
    fuzzed = {name for make in EXPLORERS.values() for name in make.__code__.co_names if name.startswith("explore_")}
    assert public <= fuzzed, public - fuzzed
