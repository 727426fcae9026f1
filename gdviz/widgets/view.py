"""The view base: a figure built once, an update that returns data plus a readout, PNG frames.

A *view* builds its matplotlib figure once (landscape grid, colour bar, axes, layout). Its
``update(**params)`` recomputes only the run, moves the artists' data and returns what it
drew. No ipywidgets here: a view is the pure function behind an explorer (STYLE 8) and can
be produced, tested and saved without widgets.

Every view has the same three strips around its axes:

* a **message** line on top (vermillion): what went wrong, in one line ("diverged at step 19
  - lower the learning rate"); several messages share the line, and the readout lists each
  one on its own line, so they never pile onto a title;
* a **caption** at the bottom with the parameters the figure shows (lr, epochs, start,
  optimizer), so a saved PNG can be read on its own, and a **hint** at the bottom right,
  "Run the notebook to move the sliders"; both are drawn only in the static frame that a
  notebook saves (:meth:`View.png` with ``static=True``), since live the sliders show the
  parameters.

Input errors never escape ``update``. They are told from bugs by type: the argument checks of
:mod:`gdviz._checks` raise :class:`~gdviz._checks.ArgumentError` (a ValueError or TypeError
subclass), which becomes the message and a "not run" readout; any other exception is a bug
in gdviz and propagates.
"""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, TypeVar, cast

import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from .. import _checks, plotting
from ..descent import Trajectory
from ..objective import Objective
from .render import CSS_DPI, DEVICE_SCALE, Renderer

__all__ = ["View", "Shown", "MessageView", "Paths", "explorer_or_message", "HINT", "MESSAGE_TEXT", "PALETTE",
           "run_color"]

#: Drawn in the static frame of every explorer (what GitHub, nbviewer or a static page shows).
HINT = "Run the notebook to move the sliders"
#: The messages' colour: the diverged marks' vermillion, darkened to read as text (contrast 5.8 on
#: white; #D55E00 itself reaches 3.9, too little for 11 pt).
MESSAGE_TEXT = "#B33F00"
Build = TypeVar("Build", bound=Callable[..., Any])
_DIVERGED = re.compile(r"^(\S+) diverged at step (\d+) - lower the learning rate$")
_STRIP = 0.3  # inches: height of the message strip (top) and of the caption strip (bottom)
_CAPTION_PT = 9.5  # the caption's font size, unless it has to shrink to end before the hint
PALETTE = plotting.PALETTE  # colours for what is not a method
_RUN_COLORS = [c for c in PALETTE if c != plotting.DIVERGED_COLOR]  # vermillion means "diverged"


class Shown(NamedTuple):
    """What one update drew: the data, the readout text, the messages and the caption."""

    result: Any
    readout: str
    messages: Sequence[str] = ()
    caption: str = ""


def fmt(x: Any) -> str:
    """Numbers for a readout: 4 significant digits, a tuple for a point."""
    values = np.atleast_1d(np.asarray(x, dtype=float))
    text = ", ".join(f"{v:.4g}" for v in values)
    return text if values.size == 1 else f"({text})"


def run_color(name: str, i: int) -> str:
    """The colour of a run named ``name``: the course's colour of the method
    (:func:`gdviz.plotting.color_of`: an optimizer, a schedule, a batch method), so a method
    looks the same in every figure and explorer; a run that names no method (a sweep's cell)
    gets the i-th colour of the palette."""
    try:
        return plotting.color_of(name)
    except ValueError:  # not a method's name
        return _RUN_COLORS[i % len(_RUN_COLORS)]


def default_start(objective: Objective) -> list[float]:
    """A start derived from the bounds: 15% in from the low x end, 80% up in y."""
    fractions = (0.15, 0.8)
    return [lo + frac * (hi - lo) for (lo, hi), frac in zip(objective.bounds, fractions, strict=False)]


def panel_range(objective: Objective, what: str) -> tuple[float, float] | None:
    """A fixed y range for a history panel: the quantity's range over the plotted window.

    Fixed limits keep the ticks (the costly part of a redraw) still while a slider moves; a
    run that leaves the window is clipped at its edge, as on the landscape. Infinite and NaN
    values (a pole, sqrt at 0, log of a negative number) are left out; None when nothing
    finite is left or ``what`` is "lr" (the rate panel scales itself).
    """
    if what == "lr":
        return None
    if objective.dim == 1:
        columns = [np.linspace(*objective.bounds[0], 400)]
    else:
        axes = [np.linspace(lo, hi, 100) for lo, hi in objective.bounds]
        columns = [c.ravel() for c in np.meshgrid(*axes)]
    with np.errstate(all="ignore"):
        if what == "x":
            values = np.array(objective.bounds, dtype=float)
        elif what == "f":
            values = np.asarray(objective.value_columns(columns), dtype=float)
        else:
            grad = np.asarray(objective.grad_columns(columns), dtype=float)
            values = grad[0] if objective.dim == 1 else np.sqrt(np.sum(grad**2, axis=0))
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    lo, hi = float(values.min()), float(values.max())
    pad = 0.05 * (hi - lo) or 1.0
    return lo - pad, hi + pad


def heading(ax: Any) -> Any:
    """A title that changes with the sliders: a Text of its own (an axes title is placed
    while the axes draws, so it cannot be redrawn alone), with room reserved by a blank title."""
    ax.set_title(" ")
    return ax.text(0.5, 1.0, "", transform=ax.transAxes, ha="center", va="bottom", fontsize=12)


class View:
    """A figure with a message strip on top and a caption strip at the bottom; fast PNG frames.

    Subclasses build their axes between the strips, call :meth:`freeze_layout`, and
    implement ``_update(**params) -> Shown`` and ``_dynamic() -> artists``. ``update``
    returns the data drawn (``self.result``) or None when the input was refused; the text
    for below the figure is ``self.readout``, the messages ``self.messages``.
    """

    def __init__(self, objective: Objective | None, figsize: tuple[float, float], *, scale: int = DEVICE_SCALE):
        self.objective = objective
        width, height = figsize
        self.figure = Figure(figsize=(width, height + 2 * _STRIP), dpi=CSS_DPI * scale, layout="constrained")
        self.renderer = Renderer(self.figure)
        top, bottom = 1 - _STRIP / (height + 2 * _STRIP), _STRIP / (height + 2 * _STRIP)
        self._rect = (0, bottom, 0.975, top - bottom)
        self.message = self.figure.text(0.01, 1 - 0.5 * (1 - top), "", ha="left", va="center", fontsize=11,
                                        color=MESSAGE_TEXT, fontweight="bold")
        self.caption = self.figure.text(0.01, 0.5 * bottom, "", ha="left", va="center", fontsize=_CAPTION_PT,
                                        color="#555555")
        self.hint = self.figure.text(0.99, 0.5 * bottom, HINT, ha="right", va="center", fontsize=9.5,
                                     color="white", fontweight="bold",
                                     bbox={"facecolor": "#0072B2", "edgecolor": "none", "pad": 2.5})
        self.hint.set_visible(False)
        self.caption.set_visible(False)
        self.messages: list[str] = []
        self.readout = ""
        self._hidden: list[Artist] = []
        self.shortened = False  # did the message strip have to cut the messages short?
        self._fitted = ("", "")  # the caption as set and as fitted beside the hint (see _fit_caption)
        self.result: Any = None

    @property
    def css_size(self) -> tuple[int, int]:
        """Width and height (CSS pixels) at which a frame is shown."""
        width, height = self.figure.get_size_inches()
        return round(width * CSS_DPI), round(height * CSS_DPI)

    def freeze_layout(self) -> None:
        """Lay out once between the strips; later frames reuse the positions.

        A strip on the right stays free: the last tick label of an epoch axis grows from "30"
        to "1000" as the slider moves, and would otherwise be cut off at the figure's edge.
        """
        engine = cast(ConstrainedLayoutEngine, self.figure.get_layout_engine())  # the figure's, made above
        engine.set(rect=self._rect)
        engine.execute(self.figure)
        self.figure.set_layout_engine("none")

    def update(self, **params: Any) -> Any:
        """Recompute for ``params`` and update the artists; an input error becomes the message."""
        for artist in self._hidden:  # the last move was refused: show the runs' artists again
            artist.set_visible(True)
        self._hidden = []
        try:
            shown = self._update(**params)
        except _checks.ArgumentError as err:
            # nothing ran: hide the previous run, so that figure and readout agree
            self._hidden = [a for a in self._dynamic() if a.get_visible()]
            for artist in self._hidden:
                artist.set_visible(False)
            shown = Shown(None, f"not run: {err}", [str(err)], f"not run: {err}")
        self.result, self.messages, self.readout = shown.result, [m for m in shown.messages if m], shown.readout
        self._say(self.messages)
        self.caption.set_text(shown.caption)
        return self.result

    def _update(self, *args: Any, **params: Any) -> Shown:
        """Each view's own recomputation, from its sliders' values (keyword arguments of its choosing)."""
        raise NotImplementedError

    def _say(self, lines: Sequence[str]) -> None:
        """One line in the message strip: the messages joined, shortened to the figure's width.

        Several runs that diverged become one sentence ("gd, momentum diverged at steps 7, 9
        - lower the learning rate"); the readout lists each message on its own line.
        """
        found = [m for m in map(_DIVERGED.match, lines) if m is not None]
        if len(lines) > 1 and len(found) == len(lines):
            names, steps = [m[1] for m in found], [m[2] for m in found]
            at = f"step {steps[0]}" if len(set(steps)) == 1 else f"steps {', '.join(steps)}"
            lines = [f"{', '.join(names)} diverged at {at} - lower the learning rate"]
        text = " | ".join(lines)
        chars = int(self.figure.get_figwidth() * 72 / (11 * 0.62))  # about as many bold 11 pt characters fit
        self.shortened = len(text) > chars
        if self.shortened:
            more = f" (+{len(lines) - 1} more below)" if len(lines) > 1 else " (more below)"
            text = textwrap.shorten(lines[0], chars - len(more), placeholder="...") + more
        self.message.set_text(text)
        self.message.set_visible(bool(text))

    def _dynamic(self) -> list[Artist]:
        """The artists ``update`` changes; everything else is drawn once into a background."""
        return []

    def png(self, *, static: bool = False) -> bytes:
        """The figure as PNG bytes at device resolution.

        ``static=True`` gives the frame a notebook saves (shown where no kernel runs): with
        the caption of the parameters and the :data:`HINT`. Live frames leave both out: the
        sliders and the readout show the parameters, and the caption's text alone would cost
        a third of a frame.
        """
        self.hint.set_visible(static)
        self.caption.set_visible(static)
        if static:
            self._fit_caption()
        try:
            return self.renderer.png([self.message, self.caption, self.hint, *self._dynamic()])
        finally:
            self.hint.set_visible(False)
            self.caption.set_visible(False)

    def _fit_caption(self) -> None:
        """Fit the caption between the left edge and the hint's box: a long caption (a data
        set's size, rate, start, optimizer and seed) ran under the hint. It shrinks to 7.5 pt on
        one line, else breaks between the two parameters nearest its middle onto two lines of at most 8 pt."""
        renderer = cast(FigureCanvasAgg, self.figure.canvas).get_renderer()  # Renderer made the canvas Agg
        text = self.caption.get_text()
        if text == self._fitted[1]:  # broken by the last call: start again from the one line
            text = self._fitted[0]
        self._fitted = (text, text)
        gap = (2.5 + 4) * self.figure.dpi / 72  # the hint box's padding and a little air, in pixels
        room = self.hint.get_window_extent(renderer).x0 - gap - self.caption.get_window_extent(renderer).x0

        def width(lines: str, size: float) -> float:
            self.caption.set_text(lines)
            self.caption.set_fontsize(size)
            return float(self.caption.get_window_extent(renderer).width)

        wide = width(text, _CAPTION_PT)
        if wide <= room or room <= 0:
            return
        if _CAPTION_PT * room / wide >= 7.5:
            self.caption.set_fontsize(_CAPTION_PT * room / wide)
            return
        # break between two parameters (at a "·") if the caption has them, else between words
        breaks = [m.span() for m in re.finditer(r"\s+·\s+", text)] or [m.span() for m in re.finditer(r"\s+", text)]
        if breaks:
            a, b = min(breaks, key=lambda span: abs(sum(span) / 2 - len(text) / 2))
            self._fitted = (text, text[:a] + "\n" + text[b:])
        wide = width(self._fitted[1], _CAPTION_PT)
        self.caption.set_fontsize(max(6.0, min(8.0, _CAPTION_PT * room / wide)))

    # ---- messages shared by the run views

    def run_messages(self, runs: Mapping[str, Trajectory], start: Any) -> list[str]:
        """One message per problem: a start outside the window, a run that diverged (at the
        start: f is not defined there), a run that left the window and keeps growing."""
        objective = self.objective
        assert objective is not None  # a view of runs has its objective
        low, high = np.array(objective.bounds, dtype=float).T
        lines = []
        start = np.atleast_1d(np.asarray(start, dtype=float))
        for (lo, hi), v, s in zip(objective.bounds, objective.variable_names, start, strict=False):
            if not lo <= s <= hi:
                lines.append(f"start {v} = {s:.3g} is outside the plotted range [{lo:g}, {hi:g}]")
        started_inside = not lines
        for name, t in runs.items():
            who = f"{name} " if len(runs) > 1 else ""
            if t.diverged and int(t.diverged_at) == 0:
                where = ", ".join(f"{v} = {s:.3g}" for v, s in zip(objective.variable_names, start, strict=False))
                lines.append(f"{who}f or its gradient is not defined at the start {where}: move the start")
            elif t.diverged:
                lines.append(f"{who}diverged at step {int(t.diverged_at)} - lower the learning rate")
            elif started_inside:
                points = t.x.reshape(len(t.x), -1)
                outside = np.flatnonzero(np.any((points < low) | (points > high), axis=1))
                if outside.size and outside[-1] == len(t.x) - 1:  # it ends outside the view
                    lines.append(f"{who}left the plotted range at step {outside[0]} and keeps growing - lower the "
                                 "learning rate" if _growing(t) else f"{who}ends outside the plotted range, at "
                                 f"{fmt(t.final)}")
        return lines


def _growing(t: Trajectory) -> bool:
    """Is the step size still growing at the end (an oscillation that blows up)?"""
    steps = np.abs(np.diff(t.x.reshape(len(t.x), -1), axis=0)).max(axis=1)
    return len(steps) >= 3 and steps[-1] > steps[-2] > steps[-3] > 0


def run_readout(name: str, t: Trajectory, named: bool) -> str:
    """One line per run: final x, f(x), the steps taken and whether (and when) it diverged."""
    steps = max(int(t.diverged_at) - 1, 0) if t.diverged else t.epochs
    state = f"yes, at step {int(t.diverged_at)}" if t.diverged else "no"
    head = f"{name:>9}: " if named else ""
    return f"{head}final x = {fmt(t.final)}   f(x) = {float(t.final_f):.6g}   steps = {steps}   diverged: {state}"


class MessageView(View):
    """A figure that only says why an explorer could not be built (an input error)."""

    def __init__(self, error: BaseException, figsize: tuple[float, float] = (10, 1.0)):
        super().__init__(None, figsize)
        self.error = str(error)
        lines = textwrap.wrap(self.error, 110) or [self.error]
        self.figure.text(0.5, 0.5, "\n".join(lines[:3]), ha="center", va="center", fontsize=11,
                         color=plotting.DIVERGED_COLOR)
        self.figure.set_layout_engine("none")  # no axes to lay out
        self.hint.set_text("")  # there are no sliders to move
        self.update()

    def _update(self) -> Shown:
        return Shown(None, f"not built: {self.error}", [], "not built: change the call and run the cell again")


def explorer_or_message(build: Build) -> Build:
    """Decorate an ``explore_*`` function: an input error while building (an unknown schedule,
    an empty optimizer list, a zero scale for a log slider) gives an explorer that shows the
    error's message instead of a traceback. Bugs (other exceptions) still propagate."""

    @functools.wraps(build)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return build(*args, **kwargs)
        except _checks.ArgumentError as err:
            from .controls import Explorer
            return Explorer(MessageView(err), {})

    return cast(Build, wrapper)


# --------------------------------------------------------------------------- runs on their landscape


def _early_and_sparse(n: int, early: int = 100, late: int = 50) -> Any:
    """Marker indices for a long 1-D run: every one of the first steps, then log-spaced.

    The steps that teach (overshoot, oscillation) come first; later ones pile up at the
    minimum, where a thousand markers cost milliseconds and show one dot.
    """
    if n <= early + late:
        return None
    return np.unique(np.r_[np.arange(early), np.geomspace(early, n - 1, late).astype(int)]).tolist()


class Paths:
    """Runs drawn over the objective: on the curve in 1-D, on a heat map in 2-D.

    ``colors`` are the runs' colours in order; ``equal`` draws a 2-D map with equal aspect
    (for variables in the same units: every landscape of :mod:`gdviz.functions`) when its
    sides are within a factor 4 of each other, as :func:`gdviz.plotting.plot_landscape` does.
    """

    def __init__(self, ax: Any, runs: Mapping[str, Trajectory], n: int, colors: Sequence[str], *,
                 equal: bool = True):
        objective = cast(Objective, next(iter(runs.values())).objective)  # explorers run on Objectives
        self.dim = objective.dim
        if self.dim == 1:
            plotting.plot_function_1d(objective, ax=ax, derivative=False, legend=False)
            self.drawn: list[Any] = [plotting.plot_descent_1d(t, ax=ax, curve=False, color=colors[i], label=name)
                                     for i, (name, t) in enumerate(runs.items())]
        else:  # imshow, not contourf: a raster is one cheap blit per redraw
            plotting.plot_landscape(objective, ax=ax, kind="heatmap", n=n)
            plotting.mark_extrema(objective, ax=ax, maxima=False)
            sides = np.ptp(np.array(objective.bounds, dtype=float), axis=1)
            # same units: same scale, unless the window is so long that the map would be a thin strip
            ax.set_aspect("equal" if equal and sides.max() <= 4 * sides.min() else "auto", adjustable="box")
            self.drawn = plotting.plot_paths(runs, ax=ax, colors=list(colors), legend=False)
        self._tidy(runs)

    def update(self, runs: Mapping[str, Trajectory]) -> None:
        if self.dim == 1:
            self.drawn = [plotting.update_descent_1d(d, t) for d, t in zip(self.drawn, runs.values(), strict=True)]
        else:
            self.drawn = plotting.update_paths(self.drawn, runs)
        self._tidy(runs)

    def _tidy(self, runs: Mapping[str, Trajectory]) -> None:
        for d, t in zip(self.drawn, runs.values(), strict=True):
            if self.dim == 1:  # the view's own message says it once, with advice
                d.note.set_visible(False)
                d.points.set_markevery(_early_and_sparse(t.epochs + 1))
            else:  # a haloed marker costs ~0.3 ms to draw at 2x: show at most ~30 along a long path
                d.line.set_markevery(max(1, -(-t.epochs // 30)))
                note = getattr(d, "note", None)
                if isinstance(note, Artist):  # the message strip says it, once per run
                    note.set_visible(False)

    def artists(self) -> list[Artist]:
        return [a for d in self.drawn for a in d if isinstance(a, Artist)]

    def line(self, i: int) -> Any:
        """The Line2D holding run i's positions (x_t, f(x_t)) in 1-D, (x_t, y_t) in 2-D."""
        return self.drawn[i].points if self.dim == 1 else self.drawn[i].line
