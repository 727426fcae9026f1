"""Core engine against the code a first attempt would write, on the same work.

Each benchmark runs the naive baseline and gdviz in this process, checks they agree and
prints both times and the ratio. These are measurements, not tests: nothing here fails
a build, but the README quotes the table this prints.
"""

from __future__ import annotations

import math
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


def _peaks_grad(x: float, y: float) -> tuple[float, float]:
    """The peaks gradient written by hand with ``math``, sharing its three exponentials."""
    e1 = 3 * math.exp(-x * x - (y + 1) ** 2)
    e2 = math.exp(-x * x - y * y)
    e3 = math.exp(-(x + 1) ** 2 - y * y) / 3
    p = 2 * x - 10 * x**3 - 10 * y**5
    gx = e1 * (-2 * (1 - x) - 2 * x * (1 - x) ** 2) - e2 * ((2 - 30 * x * x) - 2 * x * p) + 2 * (x + 1) * e3
    gy = e1 * (-2 * (y + 1) * (1 - x) ** 2) - e2 * (-50 * y**4 - 2 * y * p) + 2 * y * e3
    return gx, gy


def _rosenbrock_grad(x: float, y: float) -> tuple[float, float]:
    return -2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)


def bench_single(epochs: int = 1000, repeat: int = 20, rounds: int = 7) -> list[dict]:
    """1b. One n-D run: a loop a careful person writes on floats with ``math``, against ``descend``.

    The hand loop records the path (a list of points), as needed to plot it; ``descend`` also
    records f, the gradient and the rates, and checks every row for divergence.
    """
    rows = []
    for name, f, grad, start, lr in (("peaks", gd.functions.peaks, _peaks_grad, (0.5, -1.0), 0.01),
                                     ("Rosenbrock", gd.functions.rosenbrock, _rosenbrock_grad, (-1.2, 1.0), 1e-3)):
        def by_hand(grad=grad, start=start, lr=lr):
            x, y = start
            path = [(x, y)]
            for _ in range(epochs):
                gx, gy = grad(x, y)
                x, y = x - lr * gx, y - lr * gy
                path.append((x, y))
            return path

        def with_gdviz(f=f, start=start, lr=lr):
            return gd.descend(f, start, lr=lr, epochs=epochs)

        # alternate the two in rounds and take medians: on a busy machine one round can be far off
        pairs = [(best_of(by_hand, repeat), best_of(with_gdviz, repeat)) for _ in range(rounds)]
        naive, fast = (float(np.median(v)) for v in zip(*pairs, strict=True))
        ratio = float(np.median([b / a for a, b in pairs]))
        diff = np.max(np.abs(np.array(by_hand()) - with_gdviz().x))
        assert diff < 1e-9, f"hand loop and descend disagree by {diff} on {name}"
        rows.append({"benchmark": f"1b. one run on {name}, {epochs} steps: hand loop on floats with math vs descend "
                                  f"(max |diff| {diff:.0e})",
                     "naive": naive, "gdviz": fast, "target": "gdviz <= 1.5x naive",
                     "extra": f"gdviz takes {ratio:.2f}x the hand loop (median of {rounds} alternating rounds, "
                              f"each the best of {repeat})"})
    return rows


def bench_sweep(rounds: int = 11) -> list[dict]:
    """2. 50 learning rates x 40 epoch counts on sin-gauss: three nested loops vs ``sweep``.

    The development machine's timings swing by up to 2x from second to second (both sides: the
    loops took 0.44 to 0.81 s, the sweep 2.8 to 5.5 ms in ten rounds), so the ratio is the median
    of many alternating rounds (about 7 s in all).
    """
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

    pairs = [(best_of(nested, 1), best_of(vectorised, 10)) for _ in range(rounds)]  # alternating rounds
    naive, fast = (float(np.median(v)) for v in zip(*pairs, strict=True))
    ratio = float(np.median([a / b for a, b in pairs]))
    diff = np.max(np.abs(nested() - vectorised()))
    assert diff < 1e-12, f"nested loops and sweep disagree by {diff}"
    return [{"benchmark": f"2. lr (50) x epochs (40, 10..500) on sin-gauss: nested loops vs sweep "
                          f"(max |diff| {diff:.0e})",
             "naive": naive, "gdviz": fast, "target": ">= 150x", "ratio": f"{ratio:.0f}x",
             "extra": f"median ratio of {rounds} alternating rounds"}]


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


def bench_record(epochs: int = 200, sizes: tuple[int, ...] = (10_000, 100_000), rounds: int = 3) -> list[dict]:
    """3b. descend on many starts of peaks, keeping every step: time per trajectory-step and peak memory.

    The sizes alternate, ``rounds`` times, in this process, and the medians are compared: under
    load a single timing of each can differ by more than the effect being measured.
    """
    f = gd.functions.peaks
    starts = {n: np.random.default_rng(0).uniform(-3, 3, size=(n, 2)) for n in sizes}
    per_step: dict[int, list[float]] = {n: [] for n in sizes}
    for _ in range(rounds):
        for n in sizes:
            seconds = best_of(lambda n=n: gd.descend(f, starts[n], lr=0.01, epochs=epochs), 1)
            per_step[n].append(seconds / (n * epochs) * 1e9)
    rows = []
    for n in sizes:
        run, peak = peak_memory(lambda n=n: gd.descend(f, starts[n], lr=0.01, epochs=epochs))
        record = sum(a.nbytes for a in (run.x, run.f, run.grad, run.lr))
        del run
        ns = float(np.median(per_step[n]))
        rows.append({"benchmark": f"3b. descend {n:,} starts x {epochs} epochs on peaks, every step kept",
                     "naive": None, "gdviz": ns * n * epochs / 1e9,
                     "target": "peak <= 1.3x record; ns per trajectory-step no worse than at 10,000",
                     "extra": f"{ns:.0f} ns per trajectory-step (median of {rounds}: "
                              f"{', '.join(f'{v:.0f}' for v in per_step[n])}), peak memory {peak / 2**20:.0f} MiB "
                              f"= {peak / record:.2f}x the record ({record / 2**20:.0f} MiB)"})
    return rows


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
    return bench_evalf() + bench_single() + bench_sweep() + bench_basins() + bench_record() + bench_million()
