"""Core engine against the code a first attempt would write, on the same work.

Each benchmark runs the naive baseline and gdviz in this process, checks they agree and
prints both times and the ratio. These are measurements, not tests: nothing here fails
a build, but the README quotes the table this prints.
"""

from __future__ import annotations

import time
import tracemalloc

import numpy as np
import sympy as sp

import gdviz as gd


def best_of(fn, repeat: int = 5) -> float:
    """Shortest wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(fn) -> tuple[object, int]:
    """Result of ``fn()`` and the peak of memory traced while it ran (numpy arrays included)."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        result = fn()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench_evalf(epochs: int = 1000, lr: float = 0.01, start=(0.5, -1.0)) -> list[dict]:
    """1. GD on peaks: gradient evaluated by sympy each step, against ``descend``."""
    f = gd.functions.peaks
    x, y = f.variables
    gx, gy = f.gradient_exprs

    def with_evalf():
        px, py = start
        for _ in range(epochs):
            point = {x: px, y: py}
            px, py = px - lr * float(gx.evalf(subs=point)), py - lr * float(gy.evalf(subs=point))
        return px, py

    def with_subs():
        px, py = start
        for _ in range(epochs):
            point = {x: px, y: py}
            px, py = px - lr * float(gx.subs(point).evalf()), py - lr * float(gy.subs(point).evalf())
        return px, py

    def with_gdviz():
        return gd.descend(f, start, lr=lr, epochs=epochs).final

    naive = best_of(with_evalf, 1)
    naive_subs = best_of(with_subs, 1)
    fast = best_of(with_gdviz, 20)
    assert np.allclose(with_evalf(), with_gdviz(), atol=1e-9), "evalf and gdviz disagree"
    return [
        {"benchmark": "1. GD on peaks, 1000 steps: expr.evalf(subs=...) each step vs descend",
         "naive": naive, "gdviz": fast, "target": ">= 300x"},
        {"benchmark": "   same, with expr.subs(...).evalf() as the baseline",
         "naive": naive_subs, "gdviz": fast, "target": "(for reference)"},
    ]


def bench_sweep() -> list[dict]:
    """2. 50 learning rates x 40 epoch counts on sin-gauss: three nested loops vs ``sweep``."""
    f = gd.functions.sin_gauss
    rates = np.linspace(1e-10, 0.1, 50)
    counts = np.linspace(10, 500, 40).astype(int)
    derivative = sp.lambdify(f.variables, f.gradient_exprs[0])  # what a first attempt would use

    def nested():
        finals = np.empty((rates.size, counts.size))
        for i, lr in enumerate(rates):
            for j, epochs in enumerate(counts):
                x = 0.0
                for _ in range(epochs):
                    x = x - lr * derivative(x)
                finals[i, j] = x
        return finals

    def vectorised():
        return gd.sweep(f, x0=0.0, lr=rates, epochs=counts).x

    naive = best_of(nested, 1)
    fast = best_of(vectorised, 10)
    diff = np.max(np.abs(nested() - vectorised()))
    assert diff < 1e-12, f"nested loops and sweep disagree by {diff}"
    return [{"benchmark": f"2. lr (50) x epochs (40, 10..500) on sin-gauss: nested loops vs sweep "
                          f"(max |diff| {diff:.0e})",
             "naive": naive, "gdviz": fast, "target": ">= 150x"}]


def bench_basins(n: int = 200, epochs: int = 500) -> list[dict]:
    """3. Basin map of n x n starts on peaks: time per trajectory-step and peak memory."""
    lo, hi = gd.functions.peaks.bounds[0]
    X, Y = np.meshgrid(np.linspace(lo, hi, n), np.linspace(lo, hi, n))
    starts = np.stack([X, Y], axis=-1)

    def run():
        return gd.sweep(gd.functions.peaks, starts, lr=0.01, epochs=epochs)

    seconds = best_of(run, 3)
    _, peak = peak_memory(run)
    ns = seconds / (n * n * epochs) * 1e9
    return [{"benchmark": f"3. basin map {n}x{n} starts x {epochs} epochs on peaks",
             "naive": None, "gdviz": seconds, "target": "<= 100 ns per trajectory-step",
             "extra": f"{ns:.0f} ns per trajectory-step, peak memory {peak / 2**20:.0f} MiB"}]


def bench_million(n_rates: int = 1000, n_starts: int = 1000, epochs: int = 500) -> list[dict]:
    """4. One million trajectories (rates x starts), finals only: peak memory."""
    f = gd.functions.sin_gauss
    lo, hi = f.bounds[0]
    starts = np.linspace(lo, hi, n_starts)
    rates = np.geomspace(1e-4, 0.5, n_rates)
    start = time.perf_counter()
    result, peak = peak_memory(lambda: gd.sweep(f, starts, lr=rates, epochs=epochs))
    seconds = time.perf_counter() - start
    every_step = n_rates * n_starts * (epochs + 1) * 8
    assert result.x.shape == (n_starts, n_rates)
    return [{"benchmark": f"4. {n_rates * n_starts:,} trajectories ({n_starts} starts x {n_rates} rates) "
                          f"x {epochs} epochs, finals only",
             "naive": None, "gdviz": seconds, "target": "peak memory < 1 GiB",
             "extra": f"peak memory {peak / 2**20:.0f} MiB (keeping every step would need "
                      f"{every_step / 2**30:.1f} GiB)"}]


def run_all() -> list[dict]:
    return bench_evalf() + bench_sweep() + bench_basins() + bench_million()
