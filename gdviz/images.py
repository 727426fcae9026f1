"""Regenerate every figure in ``images/`` from gdviz code: ``python -m gdviz.images [outdir]``.

Each figure is a small function of the output directory, listed in :data:`FIGURES`. The
output is deterministic: there is no randomness, the dpi is fixed and PNG files carry no
software or date metadata, so running the command twice gives identical bytes.

    python -m gdviz.images                 # all figures into images/ of the repository
    python -m gdviz.images /tmp/out peaks_basins.png learning_rates.png
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from . import functions
from . import plotting as P
from .descent import descend, sweep
from .objective import Objective

__all__ = ["FIGURES", "DEFAULT_DIR", "generate", "main"]

#: Where the figures live: ``images/`` next to the package in the repository.
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "images"
DPI = 150  # crisp on high-resolution screens; GitHub scales wide figures down to its column


def _save(fig: plt.Figure, path: Path) -> None:
    fig.savefig(path, dpi=DPI, metadata={"Software": None})  # no version string: same bytes everywhere
    plt.close(fig)


def _start_1d(objective: Objective, fraction: float = 0.2) -> float:
    """A start a given fraction of the way into the objective's window (no hard-coded numbers)."""
    lo, hi = objective.bounds[0]
    return lo + fraction * (hi - lo)


def concept_valley(path: Path) -> None:
    """A ball on a valley, with the slope and the negative-gradient arrow pointing downhill."""
    f = functions.quadratic
    v = f.variable_names[0]
    x = _start_1d(f, 0.15)
    fx, slope = float(f(x)), float(f.grad(x))  # a 1-D objective at one point
    best = f.global_minimum
    assert best is not None  # the catalogue's quadratic knows its minimum
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    P.plot_function_1d(f, ax=ax, derivative=False, extrema=False, legend=False)
    ax.set_title("Gradient descent: step against the slope")
    width = 0.35
    ax.plot([x - width, x + width], [fx - slope * width, fx + slope * width], "--", color=P.NEUTRAL, lw=1.5)
    lo, hi = f.bounds[0]
    ax.annotate(f"slope f'({v}) = {slope:.1f}\n(gradient: uphill)", (x + width, fx + slope * width),
                xytext=(lo + 0.03 * (hi - lo), best.f + 2.0), ha="left", va="bottom", color="#555555",
                arrowprops={"arrowstyle": "-", "color": P.NEUTRAL, "lw": 0.8})
    step = 0.06 * -slope  # a learning rate of 0.06 for the picture
    ax.annotate("", xy=(x + step, fx), xytext=(x, fx),
                arrowprops={"arrowstyle": "-|>", "color": P.color_of("gd"), "lw": 2.5, "mutation_scale": 22})
    ax.annotate(f"step -lr·f'({v})\npoints downhill", (x + step, fx), xytext=(12, 0), textcoords="offset points",
                ha="left", va="center", color=P.color_of("gd"), fontweight="bold")
    ax.plot([x], [fx], "o", color=P.color_of("gd"), ms=22, mec="white", mew=2, zorder=6)
    ax.plot([best.x], [best.f], "v", color="white", mec="#555555", ms=11, mew=1.3, zorder=6)
    ax.annotate(f"minimum: f'({v}) = 0", (best.x, best.f), xytext=(0, 22), textcoords="offset points",
                ha="center", color="#555555")
    _save(fig, path)


LEARNING_RATES = ((0.01, "too small: crawls"), (0.1, "about right"), (0.3, "too large: bounces"),
                  (0.5, "far too large: diverges"))


def learning_rates(path: Path) -> None:
    """Small, good, large and diverging learning rates side by side on 3x^2 - 3x + 4."""
    f = functions.quadratic
    x0 = _start_1d(f)
    fig, axes = plt.subplots(1, 4, figsize=(16, 4), sharey=True)
    for ax, (lr, what) in zip(axes, LEARNING_RATES, strict=True):
        run = descend(f, x0, lr=lr, epochs=60 if lr > 0.4 else 25)
        ax.set_title(f"lr = {lr:g}: {what}")
        P.plot_descent_1d(run, ax=ax, max_arrows=25)
    axes[0].set_ylabel("f(x)")
    _save(fig, path)


def _anim_gif(path: Path, lr: float, epochs: int, title: str, start: float) -> None:
    f = functions.quadratic
    fig, ax = plt.subplots(figsize=(5, 3.6))
    ax.set_title(title)
    anim = P.animate(descend(f, _start_1d(f, start), lr=lr, epochs=epochs), ax=ax, max_frames=epochs + 1,
                     interval=300)
    P.save_gif(anim, path, dpi=80)
    plt.close(fig)


def converging_gif(path: Path) -> None:
    """The point slides down to the minimum (lr = 0.1)."""
    _anim_gif(path, 0.1, 15, "lr = 0.1: converges", start=0.2)


def diverging_gif(path: Path) -> None:
    """Each step overshoots farther than the last (lr = 0.35 > 1/3)."""
    _anim_gif(path, 0.35, 15, "lr = 0.35: diverges", start=0.45)


def peaks_surface(path: Path) -> None:
    """The peaks surface with a gradient-descent path from the slope of the highest peak."""
    f = functions.peaks
    (xlo, xhi), (ylo, yhi) = f.bounds
    start = [xlo + 0.45 * (xhi - xlo), ylo + 0.72 * (yhi - ylo)]
    run = descend(f, start, lr=0.02, epochs=300)
    fig = plt.figure(figsize=(7, 5.4))
    ax = fig.add_subplot(projection="3d")
    P.plot_surface(f, ax=ax, n=70, alpha=0.75)
    P.plot_paths({"gradient descent": run}, ax=ax, markersize=2, legend="upper left")
    ax.view_init(elev=38, azim=-62)
    _save(fig, path)


#: Each optimizer near its best rate on the ravine (a sweep in notebook 06 finds them); plain
#: GD must stay below 2/100 for the steep direction, where 1 - 0.019·100 < 0 makes it zig-zag.
RACE = {"gd": 0.019, "momentum": 0.008, "nesterov": 0.01, "adam": 0.2}


def optimizer_race(path: Path) -> None:
    """GD, momentum, Nesterov and Adam on the ravine: paths and loss against epoch."""
    f = functions.ravine
    (xlo, xhi), (ylo, yhi) = f.bounds
    start = [xlo + 0.1 * (xhi - xlo), ylo + 0.85 * (yhi - ylo)]
    runs = {name: descend(f, start, lr=lr, epochs=100, optimizer=name) for name, lr in RACE.items()}
    labels = [f"{name} (lr={lr:g})" for name, lr in RACE.items()]
    fig, (ax_path, ax_loss) = plt.subplots(1, 2, figsize=(13, 4.6), width_ratios=(1.6, 1))
    grid = P.landscape_grid(f, n=150)
    levels = grid.Z.max() * np.linspace(0, 1, 30) ** 2  # level sets equally spaced in distance
    P.plot_landscape(f, ax=ax_path, grid=grid, levels=levels, colorbar=False)
    P.plot_paths(runs, ax=ax_path, labels=labels, markersize=2.5, legend=False)
    ax_path.set_title(f"optimizer race on the {f.name}")
    P.plot_history(runs, what="f", ax=ax_loss, log=True, labels=labels, legend="upper right")
    ax_loss.set_title("loss (log scale)")
    _save(fig, path)


def peaks_basins(path: Path) -> None:
    """Which minimum of peaks gradient descent reaches from every start of a grid."""
    f = functions.peaks
    (xlo, xhi), (ylo, yhi) = f.bounds
    xs, ys = np.linspace(xlo, xhi, 101), np.linspace(ylo, yhi, 101)
    result = sweep(f, np.stack(np.meshgrid(xs, ys), axis=-1), lr=0.05, epochs=300)
    fig, ax = plt.subplots(figsize=(9, 5))
    P.plot_basins(result, ax=ax, tol=1e-2)
    ax.set_title("peaks: basins of attraction (lr = 0.05, 300 epochs)")
    _save(fig, path)


#: Every figure in images/, by file name.
FIGURES: dict[str, Callable[[Path], None]] = {
    "concept_valley.png": concept_valley,
    "learning_rates.png": learning_rates,
    "converging.gif": converging_gif,
    "diverging.gif": diverging_gif,
    "peaks_surface.png": peaks_surface,
    "optimizer_race.png": optimizer_race,
    "peaks_basins.png": peaks_basins,
}


def generate(outdir: str | Path = DEFAULT_DIR, names: Sequence[str] | None = None) -> list[Path]:
    """Write the figures ``names`` (default: all of :data:`FIGURES`) into ``outdir``."""
    outdir = Path(outdir)
    names = list(FIGURES) if names is None else list(names)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        raise ValueError(f"names: unknown figures {unknown}; expected some of {list(FIGURES)}")
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    with P.style():
        for name in names:
            FIGURES[name](outdir / name)
            written.append(outdir / name)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    outdir = Path(args[0]) if args else DEFAULT_DIR
    for path in generate(outdir, args[1:] or None):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
