"""The course's visual standard: one colour per method, the palette, the colour map, the style.

Colours
    :data:`COLORS` maps every method the course compares to one colour, used by every
    figure and explorer: optimizers (``gd``, ``momentum``, ... ``newton``), learning-rate
    schedules (``constant``, ``step_decay``, ...) and the three ways to batch data
    (``batch``, ``mini-batch``, ``stochastic``). Look a name up with :func:`color_of`, which
    also accepts an Optimizer or Schedule object and display names ("Adam", "AdamW").
    Colours only have to differ within a family, since one figure compares optimizers *or*
    schedules *or* batch methods; within each family every pair stays apart (CIELAB distance
    above 16) for normal vision and simulated protanopia, deuteranopia and tritanopia
    (Machado et al. 2009). They come from Okabe & Ito's palette and Paul Tol's "muted" one.
    :data:`DIVERGED_COLOR` (vermillion) is kept for diverged runs and belongs to no method.

Style
    :func:`style` is a ``with`` block that applies the course's rcParams and restores them;
    :func:`use_course_style` is the one call in a notebook's set-up cell: the same rcParams
    for the whole session plus high-resolution inline output. Importing gdviz changes
    nothing global. Figures keep an opaque white background, so they stay readable on
    JupyterLab's dark theme (text is dark on white, never dark on transparent).

>>> color_of("Adam") == COLORS["adam"] == color_of(" adam ")
True
>>> color_of("warmup+cosine") == COLORS["warmup"]
True
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import matplotlib.pyplot as plt
from cycler import cycler

from .._types import Named

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType  # the rcParams names: a misspelt key is a type error

__all__ = [
    "COLORS", "PALETTE", "CMAP", "CURVE", "DIVERGED_COLOR", "NEUTRAL", "HIT_COLOR", "MISS_COLOR",
    "color_of", "style", "use_course_style",
]

#: Okabe-Ito colours (blue, orange, green, pink, sky blue, vermillion, yellow, grey) for
#: things that are not methods (data points, the curve, a second quantity); black is
#: replaced by a mid grey.
PALETTE: tuple[str, ...] = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")
#: Colour of the marks on diverged runs (Okabe-Ito vermillion); no method uses it.
DIVERGED_COLOR: str = "#D55E00"
#: A mid grey for neutral marks (zero lines, "no basin", known minima, the gradient field).
NEUTRAL: str = "#999999"
#: The colour of a 1-D objective's curve: dark grey, so runs in any method colour stand out on it.
CURVE: str = "#444444"
#: The colour map for landscapes and heat maps: perceptually uniform and colour-blind safe.
CMAP: str = "viridis"
#: Colours of runs that reached the global minimum (blue) and of the rest (orange).
HIT_COLOR: str = PALETTE[0]
MISS_COLOR: str = PALETTE[1]

_BLUE, _ORANGE, _GREEN, _PINK, _SKY = PALETTE[:5]
_WINE, _INDIGO, _SAND, _INK, _BROWN = "#882255", "#332288", "#DDCC77", "#222222", "#661100"

#: One colour per method name (lower case, words joined by "_" except "mini-batch").
COLORS: Mapping[str, str] = MappingProxyType({
    # optimizers (notebook 06); the six of the race take the Okabe-Ito colours
    "gd": _BLUE, "momentum": _ORANGE, "nesterov": _WINE, "adagrad": _GREEN, "rmsprop": _SKY, "adam": _PINK,
    "adamw": _INDIGO, "nadam": _BROWN, "lion": _SAND, "newton": _INK,
    # learning-rate schedules (notebook 04); a constant rate is plain GD's blue
    "constant": _BLUE, "step_decay": _ORANGE, "exponential": _GREEN, "linear": _SKY, "cosine": _PINK,
    "warmup": _INDIGO, "gradient_scaled": _WINE,
    # batch methods (notebook 07)
    "batch": _ORANGE, "mini-batch": _GREEN, "stochastic": _PINK,
})

_ALIASES = {"sgd": "stochastic", "minibatch": "mini-batch", "mini_batch": "mini-batch", "full_batch": "batch",
            "step": "step_decay", "rms_prop": "rmsprop", "ada_grad": "adagrad", "adam_w": "adamw"}


def method_key(name: str | Named | None) -> str | None:
    """The key of :data:`COLORS` that ``name`` stands for, or None if it names no method.

    ``name`` is a string (any case, spaces or dashes for underscores) or an object with a
    ``name`` (an Optimizer, a Schedule). A composed schedule "warmup+cosine" is a warm-up.
    """
    name = getattr(name, "name", name)
    if not isinstance(name, str):
        return None
    key = name.strip().lower().replace(" ", "_").replace("-", "_").split("+")[0]
    key = "mini-batch" if key == "mini_batch" else _ALIASES.get(key, key)
    return key if key in COLORS else None


def color_of(name: str | Named) -> str:
    """The course's colour of a method: an optimizer, a schedule or a batch method.

    ``name`` is a method's name or an object with one (an Optimizer, a Schedule). Raises
    TypeError for anything else and ValueError for a name that is not a method of the course,
    listing the names.

    >>> color_of("momentum"), color_of("mini-batch")
    ('#E69F00', '#009E73')
    """
    if not isinstance(getattr(name, "name", name), str):
        raise TypeError(f"name: expected a method name or an Optimizer/Schedule, got {name!r}")
    key = method_key(name)
    if key is None:
        shown = getattr(name, "name", name)
        raise ValueError(f"name: expected a method, one of {sorted(COLORS)}, got {shown!r}")
    return COLORS[key]


#: The course's rcParams. Runs without a method of their own cycle through the palette
#: without vermillion, which means "diverged".
STYLE: Mapping[RcKeyType, Any] = MappingProxyType({
    "font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12, "legend.fontsize": 10,
    "xtick.labelsize": 11, "ytick.labelsize": 11, "lines.linewidth": 2.0,
    "axes.prop_cycle": cycler(color=PALETTE[:5] + PALETTE[6:7]), "image.cmap": CMAP,
    "axes.spines.top": False, "axes.spines.right": False,
    "figure.facecolor": "white", "axes.facecolor": "white", "savefig.facecolor": "white",
    "savefig.transparent": False, "text.color": "#222222", "axes.labelcolor": "#222222",
    "xtick.color": "#333333", "ytick.color": "#333333", "axes.edgecolor": "#333333",
    "figure.dpi": 100, "savefig.dpi": 100, "figure.constrained_layout.use": True,
})


@contextlib.contextmanager
def style(**overrides: Any) -> Iterator[None]:
    """The course's look (fonts, colours, colour map, white background) inside a ``with`` block.

    Global rcParams are restored on exit. Extra keyword arguments are rcParams to set too
    (pass dotted names as ``**{"font.size": 14}``).
    """
    rc: dict[Any, Any] = {**STYLE, **overrides}  # overrides: any rcParams, checked by matplotlib
    with plt.rc_context(rc):
        yield


#: Inline figure formats :func:`use_course_style` accepts (see its docstring for sizes).
FORMATS = ("retina", "png", "svg")


def use_course_style(output: str = "retina") -> None:
    """Apply the course's style for the rest of the session: the notebooks' set-up call.

    Sets the rcParams of :data:`STYLE` and, inside IPython, the inline figure format:
    ``"retina"`` (the default) renders PNGs at twice the resolution and shows them at their
    normal size, so text is sharp on high-resolution screens; ``"svg"`` gives vector
    figures (sharp at any zoom, but heat maps and many-point paths make them large and slow
    to render); ``"png"`` is matplotlib's plain 100-dpi PNG. Calling it again is harmless.
    This is the one gdviz function that changes global state, and only when called.
    """
    if output not in FORMATS:
        raise ValueError(f"output: expected one of {FORMATS}, got {output!r}")
    mpl.rcParams.update(STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to show inline
        return
    if get_ipython() is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats(output)
