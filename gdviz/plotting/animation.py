"""Animation: runs moving over their landscape, as HTML/JavaScript or a GIF (no ffmpeg)."""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation, PillowWriter
from matplotlib.axes import Axes

from .._checks import count
from .._types import Color
from ._base import HALO, Records, add_legend, axes_or_new, escape_point, figure_of, run_colors, view_box
from ._base import runs as found_runs
from .landscape import plot_function_1d, plot_landscape
from .style import DIVERGED_COLOR

__all__ = ["animate", "to_html", "save_gif"]


def _frames(epochs: int, max_frames: int) -> list[int]:
    return sorted({int(round(s)) for s in np.linspace(0, epochs, max(2, min(epochs + 1, max_frames)))})


def animate(
    trajs: Records, *, ax: Axes | None = None, background: bool = True, labels: Sequence[str] | None = None,
    interval: int = 80, max_frames: int = 60, colors: Sequence[Color] | None = None,
) -> FuncAnimation:
    """Animate one or several runs moving over their landscape (1-D curve or 2-D contours).

    At most ``max_frames`` frames (steps are subsampled evenly, the last one always shown).
    Render it with :func:`to_html` or :func:`save_gif`; an animation that is never rendered
    makes matplotlib warn when it is deleted. Runs take their method's colour (a single
    diverged run vermillion), or ``colors``.
    """
    max_frames = count("max_frames", max_frames, 2)
    interval = count("interval", interval, 1)
    runs = found_runs(trajs, labels)
    obj = runs[0].objective
    ax = axes_or_new(ax)
    if background:
        if obj.dim == 1:
            plot_function_1d(obj, ax=ax, derivative=False, legend=False)
        else:
            plot_landscape(obj, ax=ax, n=120, colorbar=False)
    if obj.dim == 1 and not background:
        ax.set_xlim(*obj.bounds[0])
    elif obj.dim != 1:
        ax.set_xlim(*obj.bounds[0])
        ax.set_ylim(*obj.bounds[1])
    ax.set_autoscale_on(False)
    box = view_box(ax)
    pts = [np.column_stack([r.x, r.f]) if obj.dim == 1 else r.x for r in runs]
    artists = []
    palette = run_colors(runs, colors)
    for i, run in enumerate(runs):
        c = DIVERGED_COLOR if len(runs) == 1 and run.diverged_at >= 0 and not colors else palette[i]
        style_1d = {"lw": 1.0, "alpha": 0.8} if obj.dim == 1 else {"lw": 1.6, "path_effects": HALO}
        (trail,) = ax.plot([], [], marker="o", ls="-", color=c, ms=4, label=run.label, zorder=4, **style_1d)
        (head,) = ax.plot([], [], "o", color=c, ms=11, mec="white", mew=1.5, zorder=6)
        (div,) = ax.plot([], [], "X", color=DIVERGED_COLOR, ms=15, mec="white", mew=1.5, zorder=7, clip_on=False)
        div.set_in_layout(False)
        artists.append((trail, head, div))
    counter = ax.text(0.97, 0.96, "", transform=ax.transAxes, ha="right", va="top", zorder=8,
                      bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none"})
    if len(runs) > 1 or labels is not None:
        add_legend(ax, "lower left" if obj.dim > 1 else "upper center", len(runs))
    epochs = len(runs[0].x) - 1

    def draw(t: int) -> list[Any]:
        for run, p, (trail, head, div) in zip(runs, pts, artists, strict=True):
            blown = 0 <= run.diverged_at <= t
            upto = min(t, run.diverged_at - 1) if blown else t
            trail.set_data(p[: upto + 1, 0], p[: upto + 1, 1])
            head.set_data(p[upto : upto + 1, 0], p[upto : upto + 1, 1])
            head.set_visible(not blown)
            if blown:
                q = escape_point(p[: run.diverged_at], box)
                div.set_data([q[0]], [q[1]])
            else:
                div.set_data(np.empty(0), np.empty(0))
        counter.set_text(f"step {t} / {epochs}")
        flat = [a for trio in artists for a in trio]
        return [*flat, counter]

    steps = _frames(epochs, max_frames)
    return FuncAnimation(figure_of(ax), draw, frames=steps, init_func=lambda: draw(0), interval=interval,
                         blit=False, repeat=True)


#: matplotlib's player draws its buttons with Font Awesome icons from a CDN: offline (the course's
#: website, a classroom without internet) the buttons came out blank. These characters need no
#: download (hollow triangles step one frame, filled ones play); each button keeps its title
#: ("Play", "Next frame", ...) for the pointer and screen readers.
_BUTTONS = {
    "fa fa-minus": "\u2212", "fa fa-fast-backward": "\u21e4", "fa fa-step-backward": "\u25c1",
    "fa fa-play fa-flip-horizontal": "\u25c0", "fa fa-pause": "\u2016", "fa fa-play": "\u25b6",
    "fa fa-step-forward": "\u25b7", "fa fa-fast-forward": "\u21e5", "fa fa-plus": "+",
}
_PLAYERS = itertools.count(1)
_ICON_FONT = re.compile(r"<link[^>]*font-awesome[^>]*>\s*", re.IGNORECASE)


def to_html(anim: FuncAnimation, *, close: bool = True) -> str:
    """The animation as self-contained HTML/JavaScript (``anim.to_jshtml()``; no ffmpeg, no download).

    ``close=True`` closes the figure so that the inline backend does not show it again.
    In a notebook: ``IPython.display.HTML(to_html(anim))``.
    """
    html = _ICON_FONT.sub("", anim.to_jshtml(default_mode="once"))
    for icon, glyph in _BUTTONS.items():
        html = html.replace(f'<i class="{icon}"></i>', f'<span aria-hidden="true">{glyph}</span>')
    # matplotlib names the player's elements by a random id: a saved notebook would change at every
    # run. Name them by the frames instead, numbered in order of drawing (two players on a page differ).
    found = re.search(r'id="_anim_img([0-9a-f]+)"', html)
    if found:
        digest = hashlib.sha1(html.replace(found[1], "").encode()).hexdigest()[:12]
        html = html.replace(found[1], f"{next(_PLAYERS)}x{digest}")
    fig = getattr(anim, "_fig", None)
    if close and fig is not None:
        plt.close(fig)
    return html


def save_gif(anim: FuncAnimation, path: str | Path, *, fps: float | None = None, dpi: int = 80) -> Path:
    """Write the animation as a GIF with Pillow (no ffmpeg) and return the path."""
    path = Path(path)
    if fps is None:
        fps = 1000.0 / max(1, int(getattr(anim, "_interval", 80)))
    anim.save(path, writer=PillowWriter(fps=fps), dpi=dpi)  # type: ignore[arg-type]  # stub says int; any rate works
    return path
