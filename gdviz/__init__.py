"""gdviz: the helper package of an interactive course on gradient descent.

>>> import gdviz as gd
>>> f = gd.Objective("3*x**2 - 3*x + 4")
>>> run = gd.descend(f, x0=-1.0, lr=0.1, epochs=100)
>>> round(run.final, 4)
0.5

The plotting, widgets, data, deep, search, nn and datasets modules are imported on first use, and
the catalogue (``gdviz.functions``) compiles each landscape the first time it is asked for, so that
``import gdviz`` costs little more than ``import sympy`` and needs neither matplotlib nor ipywidgets.
"""

from __future__ import annotations

import importlib
from typing import Any

from . import functions, optimizers, schedules
from .descent import SweepResult, Trajectory, descend, sweep
from .objective import Extremum, Objective

__version__ = "0.1.0"
__all__ = [
    "Objective", "Extremum", "Trajectory", "SweepResult", "descend", "sweep",
    "functions", "optimizers", "schedules",
]

_LAZY = {"plotting", "widgets", "data", "deep", "search", "images", "nn", "datasets"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'gdviz' has no attribute {name!r}")
