"""The catalogue of landscapes used throughout the course.

Every entry is an :class:`~gdviz.objective.Objective` with its plotting window and the
critical points we know. Positions of minima and maxima were found with ``sympy.nsolve``
to 30 digits and are given here to about 1e-12; the tests check that the gradient
vanishes there and that descent started nearby lands on them.

=================  ====  =========================================================
name               dim   what it shows
=================  ====  =========================================================
quadratic          1     3x^2 - 3x + 4: the first example (notebook 01)
parabola           1     x^2 + 5: the same rule at any scale
squared_error      1     (w - 3)^2: the smallest training loop
sin_gauss          1     sin(x) e^{-0.05 x^2}: several local minima (notebook 03)
plateau            1     a flat shoulder where the gradient vanishes (notebook 05)
cliff              1     a steep wall where the gradient explodes (notebook 05)
peaks              2     MATLAB's peaks: three minima, three maxima (notebook 02)
rosenbrock         2     the banana valley, a=1, b=100
himmelblau         2     four equal minima
saddle             2     x^2 - y^2: a saddle point at the origin
ravine             2     (x^2 + 100 y^2) / 2: an ill-conditioned bowl (condition number 100)
rastrigin          2     a bowl covered in ripples: many local minima
=================  ====  =========================================================

Each entry is built on first use (``gdviz.functions.peaks`` compiles peaks, once, and keeps
it), so ``import gdviz`` does not spend a quarter of a second compiling twelve landscapes a
notebook may never touch. ``catalogue`` maps every name to its entry, building as it goes.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .objective import Objective

__all__ = [
    "quadratic", "parabola", "squared_error", "sin_gauss", "plateau", "cliff",
    "peaks", "rosenbrock", "himmelblau", "saddle", "ravine", "rastrigin", "catalogue",
]

if TYPE_CHECKING:  # built on first use by __getattr__ below; declared for type checkers and editors
    quadratic: Objective
    parabola: Objective
    squared_error: Objective
    sin_gauss: Objective
    plateau: Objective
    cliff: Objective
    peaks: Objective
    rosenbrock: Objective
    himmelblau: Objective
    saddle: Objective
    ravine: Objective
    rastrigin: Objective

# Each entry's arguments to Objective, by name; __getattr__ below builds it on first use.
_RECIPES: dict[str, dict[str, Any]] = {
    "quadratic": dict(expr="3*x**2 - 3*x + 4", name="3x² - 3x + 4", bounds=(-2, 2), minima=[(0.5, 3.25)]),
    "parabola": dict(expr="x**2 + 5", name="x² + 5", bounds=(-10, 10), minima=[(0.0, 5.0)]),
    "squared_error": dict(expr="(w - 3)**2", name="(w - 3)²", bounds=(-2, 8), minima=[(3.0, 0.0)]),
    "sin_gauss": dict(
        expr="sin(x) * exp(-0.05 * x**2)",
        name="sin(x)·exp(-0.05x²)",
        bounds=(-2 * math.pi, 2 * math.pi),
        minima=[(-1.428870011214077, -0.8938752904478421), (4.305801413119223, -0.3634781431467895)],
        maxima=[(1.428870011214077, 0.8938752904478421), (-4.305801413119223, 0.3634781431467895)],
    ),
    "plateau": dict(expr="1 - exp(-x**2)", name="plateau 1 - exp(-x²)", bounds=(-4, 4), minima=[(0.0, 0.0)]),
    # A gentle bowl next to a wall 20 units high and about 0.1 wide. tanh keeps the
    # gradient finite everywhere (a logistic written with exp would give inf/inf far away).
    "cliff": dict(
        expr="x**2/8 + 10*(1 + tanh(15*(x - 2)))", name="cliff", bounds=(-6, 4),
        minima=[(0.0, 10 * (1 + math.tanh(-30)))],
    ),
    "peaks": dict(
        expr="3*(1 - x)**2 * exp(-x**2 - (y + 1)**2)"
             " - 10*(x/5 - x**3 - y**5) * exp(-x**2 - y**2)"
             " - 1/3 * exp(-(x + 1)**2 - y**2)",
        name="peaks",
        bounds=(-3, 3),
        minima=[
            ((0.22827892055636909, -1.6255349574999964), -6.551133332835837, "global"),
            ((-1.3473962443682108, 0.20451886609700518), -3.04984940280026),
            ((0.2964455538468321, 0.32019624766683435), -0.06493586825552689),
        ],
        maxima=[
            ((-0.009317581959954116, 1.5813679629389998), 8.106213589442337, "global"),
            ((-0.46002451803438665, -0.6291965087168009), 3.7765809985322067),
            ((1.285684697241304, -0.004847559075593672), 3.592489918002754),
        ],
    ),
    "rosenbrock": dict(
        expr="(1 - x)**2 + 100*(y - x**2)**2", name="Rosenbrock", bounds=[(-2, 2), (-1, 3)],
        minima=[((1.0, 1.0), 0.0)],
    ),
    "himmelblau": dict(
        expr="(x**2 + y - 11)**2 + (x + y**2 - 7)**2",
        name="Himmelblau",
        bounds=(-5, 5),
        minima=[
            ((3.0, 2.0), 0.0, "global"),
            ((-2.805118086952745, 3.131312518250573), 0.0, "global"),
            ((-3.779310253377747, -3.2831859912861696), 0.0, "global"),
            ((3.5844283403304917, -1.8481265269644036), 0.0, "global"),
        ],
    ),
    "saddle": dict(expr="x**2 - y**2", name="saddle x² - y²", bounds=(-2, 2), saddles=[((0.0, 0.0), 0.0)]),
    # Curvatures 1 and 100: plain descent must keep lr < 2/100 for the steep direction and then
    # crawls along the gentle one, zig-zagging across the floor, while momentum glides along it.
    "ravine": dict(
        expr="(x**2 + 100*y**2) / 2", name="ravine (x² + 100y²)/2", bounds=[(-6, 6), (-3, 3)],
        minima=[((0.0, 0.0), 0.0)],
    ),
    "rastrigin": dict(
        expr="20 + x**2 - 10*cos(2*pi*x) + y**2 - 10*cos(2*pi*y)",
        name="Rastrigin",
        bounds=(-5.12, 5.12),
        minima=[((0.0, 0.0), 0.0)],
    ),
}
_building = threading.Lock()


def __getattr__(name: str) -> Objective:
    """Build a catalogue entry on first use and keep it as a module attribute (found directly next time)."""
    if name not in _RECIPES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _building:  # two threads asking at once get the same object
        if name not in globals():
            globals()[name] = Objective(**_RECIPES[name])
    return globals()[name]


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Catalogue(Mapping):
    """Every catalogue entry by its attribute name, each built when first asked for."""

    def __getitem__(self, name: str) -> Objective:
        if not isinstance(name, str) or name not in _RECIPES:
            raise KeyError(name)
        return __getattr__(name)

    def __iter__(self) -> Iterator[str]:
        return iter(_RECIPES)

    def __len__(self) -> int:
        return len(_RECIPES)

    def __repr__(self) -> str:
        return f"<gdviz.functions.catalogue: {', '.join(_RECIPES)}>"


#: Every catalogue entry by its attribute name (a read-only mapping that builds entries as they are read).
catalogue: Mapping[str, Objective] = _Catalogue()
