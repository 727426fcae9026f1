"""Slider explorers: a pure view per explorer plus a thin ipywidgets layer (STYLE 8).

Which module to open:

* :mod:`~gdviz.widgets.render`: PNG encoding and the cached-background renderer;
* :mod:`~gdviz.widgets.view`: the view base (message strip, caption, static hint, readout);
* :mod:`~gdviz.widgets.controls`: :class:`Explorer` and the slider factories, the only module
  that imports ipywidgets (views, and so every figure, work without it);
* one module per family: :mod:`~gdviz.widgets.descent` (``explore_1d``, ``explore_2d``,
  ``explore_optimizers``, ``explore_schedule``), :mod:`~gdviz.widgets.sweep`,
  :mod:`~gdviz.widgets.deep`, :mod:`~gdviz.widgets.batches`, :mod:`~gdviz.widgets.escape`,
  :mod:`~gdviz.widgets.network` (``explore_network``, notebook 09), :mod:`~gdviz.widgets.zoo`
  (``explore_momentum_rates``, ``explore_noisy_race``, notebook 06), :mod:`~gdviz.widgets.bifurcation`
  (``explore_bifurcation``, the route to chaos, notebook 04).

A view builds its figure once; ``view.update(**params)`` recomputes only the run, moves the
artists and returns the data drawn, with ``view.readout`` (text) and ``view.messages``. An
``explore_*`` function wraps a view in an :class:`Explorer` (a ``VBox``: controls, an
``Output`` of fixed height showing the figure, a monospace readout). An explorer never
raises on input: a refused argument or slider value (an ``ArgumentError`` of
:mod:`gdviz._checks`) becomes its message, while a bug in gdviz still surfaces.

    view = RunView.descent(gd.functions.quadratic, lr=0.1)
    run = view.update(lr=0.9, epochs=30, x0=-1.4)    # past 2 / f'' = 1/3: a Trajectory
    view.messages                          # ['diverged at step 19 - lower the learning rate']
    png = view.png()

The escape strategies live in :mod:`gdviz.search` and the gradient verdict in
:mod:`gdviz.deep`; their old names stay importable from here.
"""

from __future__ import annotations

import importlib
from typing import Any

from ..deep import EXPLODING, VANISHING, gradient_verdict
from ..search import STRATEGIES, Escape, escape_defaults, escape_runs
from .batches import BatchView, explore_batches
from .bifurcation import BifurcationView, explore_bifurcation
from .deep import DeepView, explore_deep
from .descent import RunView, explore_1d, explore_2d, explore_optimizers, explore_schedule
from .escape import EscapeView, explore_escape
from .network import NetworkView, explore_network
from .render import encode_png
from .sweep import SweepView, explore_sweep
from .view import HINT, View
from .zoo import NoisyRaceView, RateMapView, explore_momentum_rates, explore_noisy_race, measure_momentum_rates

__all__ = ["RunView", "SweepView", "DeepView", "BatchView", "EscapeView", "View", "Explorer",
           "explore_1d", "explore_2d", "explore_optimizers", "explore_schedule", "explore_sweep", "explore_deep",
           "explore_batches", "explore_escape", "NetworkView", "explore_network", "encode_png", "WIDGET_CLASSES",
           "HINT", "RateMapView", "NoisyRaceView", "explore_momentum_rates", "explore_noisy_race",
           "measure_momentum_rates", "BifurcationView", "explore_bifurcation",
           "gradient_verdict", "VANISHING", "EXPLODING", "STRATEGIES", "Escape", "escape_defaults", "escape_runs"]

_FROM_CONTROLS = {"Explorer", "WIDGET_CLASSES"}  # these need ipywidgets: imported on first use


def __getattr__(name: str) -> Any:
    if name in _FROM_CONTROLS:
        return getattr(importlib.import_module(f"{__name__}.controls"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
