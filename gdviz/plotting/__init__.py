"""Plot helpers: each takes the thing to draw, then keyword-only options and ``ax=``.

Every helper draws on ``ax`` (a new figure when None) and returns what it drew; showing the
figure is left to the notebook, and no helper touches global rcParams; :func:`use_course_style` (the notebooks'
set-up call) or the ``with`` block :func:`style` apply the course's look. Limits and grids
come from the objective's ``bounds``, never from numbers written here.

One idiom everywhere: a helper creates its artists once and fills them with one setter,
which its ``update_*`` twin calls again when a slider moves, so a figure is built once
and only its data change afterwards. Runs are read through one protocol shared by every
record of runs (:class:`~gdviz.plotting._base.Record`) and coloured by their method:
one colour per optimizer, schedule and batch method in every figure (:func:`color_of`).

Modules, by the course's concepts: ``style`` (colours, style), ``landscape`` (curves,
maps, surfaces, gradient field, extrema), ``paths`` (runs where they went), ``history``
(quantities against time, optimizer state), ``sweeps`` (grids of runs, basins, the step
ratio), ``animation``, ``layers`` (notebook 05), ``rates`` (momentum's rate map, 06), ``data`` (07),
``escape`` (08), ``network`` (09) and ``bifurcation`` (the route to chaos, 04).

>>> import gdviz as gd
>>> run = gd.descend(gd.functions.quadratic, x0=-1.5, lr=0.1, epochs=20)
>>> drawn = plot_descent_1d(run)
>>> len(drawn.points.get_xdata()), drawn.diverged.get_xdata().size
(21, 0)
>>> drawn.points.get_color() == color_of("gd")
True
>>> import matplotlib.pyplot as plt; plt.close("all")
"""

from __future__ import annotations

from .animation import animate, save_gif, to_html
from .bifurcation import cycle_length, late_window, plot_bifurcation, update_bifurcation
from .data import plot_data, plot_data_loss, update_data_loss
from .escape import (
    plot_annealing_schedule,
    plot_outcome_losses,
    plot_outcomes,
    plot_shares,
    update_outcome_losses,
    update_outcomes,
)
from .history import plot_histories, plot_history, plot_state, update_history
from .landscape import (
    Grid,
    landscape_grid,
    mark_extrema,
    plot_function_1d,
    plot_gradient_field,
    plot_landscape,
    plot_surface,
)
from .layers import plot_layer_gradients, update_layer_gradients
from .network import (
    animate_boundary,
    plot_decision_boundary,
    plot_loss_slice,
    plot_spread,
    update_decision_boundary,
)
from .paths import plot_descent_1d, plot_paths, update_descent_1d, update_paths
from .rates import RATE_LEVELS, plot_momentum_rates
from .style import (
    CMAP,
    COLORS,
    CURVE,
    DIVERGED_COLOR,
    HIT_COLOR,
    MISS_COLOR,
    NEUTRAL,
    PALETTE,
    color_of,
    style,
    use_course_style,
)
from .sweeps import (
    plot_basins,
    plot_step_factors,
    plot_step_ratio,
    plot_sweep,
    plot_sweep_heatmap,
    regime,
    step_factors,
    update_step_factors,
)

__all__ = [
    # style and colours
    "COLORS", "PALETTE", "CMAP", "CURVE", "DIVERGED_COLOR", "NEUTRAL", "HIT_COLOR", "MISS_COLOR",
    "color_of", "style", "use_course_style",
    # landscapes
    "Grid", "landscape_grid", "plot_function_1d", "plot_landscape", "plot_surface", "plot_gradient_field",
    "mark_extrema",
    # paths
    "plot_descent_1d", "update_descent_1d", "plot_paths", "update_paths",
    # histories and optimizer state
    "plot_history", "update_history", "plot_histories", "plot_state",
    # sweeps
    "plot_sweep", "plot_step_ratio", "plot_sweep_heatmap", "plot_basins", "step_factors", "regime",
    "plot_step_factors", "update_step_factors",
    # the route to chaos (04)
    "plot_bifurcation", "update_bifurcation", "cycle_length", "late_window",
    # animation
    "animate", "to_html", "save_gif",
    # layers (05), data (07), escape (08)
    "plot_layer_gradients", "update_layer_gradients",
    "plot_data", "plot_data_loss", "update_data_loss",
    "plot_outcomes", "update_outcomes", "plot_outcome_losses", "update_outcome_losses", "plot_annealing_schedule",
    "plot_shares",
    # rates (06): momentum's rate map
    "plot_momentum_rates", "RATE_LEVELS",
    # networks (09)
    "plot_decision_boundary", "update_decision_boundary", "animate_boundary", "plot_spread", "plot_loss_slice",
]
