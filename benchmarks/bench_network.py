"""The network explorer (notebook 09): slider move -> new figure, at the default settings.

``gd.widgets.explore_network()`` is built once; then its sliders are moved from Python, in
turns: the learning rate over 10 values, the batch size and the epochs over a few each, at
otherwise default settings (200 moons, 2 x 16 tanh units, Adam, batch 20, 50 epochs). One
move is timed from ``slider.value = v`` until the explorer holds the new PNG (training, the
curves, the decision boundary and the PNG encoding; no kernel, so the few milliseconds of
publishing the PNG to a frontend are not included). The target is 300 ms per move. The CPU
time of the move is reported too: on a machine shared with other work, wall time can be a
multiple of it.

The naive way for comparison: the same training with ``gd.nn.train`` and a new pyplot figure
per move (contourf of the class probability, two loss curves) saved to PNG, as an
``interact`` function would.
"""

from __future__ import annotations

import io
import os
import statistics
import time

os.environ.setdefault("MPLBACKEND", "Agg")

MOVES = {"lr": [0.003, 0.01, 0.03, 0.1, 0.3, 0.02, 0.005, 0.05, 0.2, 0.01], "batch_size": [10, 50, 20],
         "epochs": [30, 80, 50]}


def _naive(X, y, X_test, y_test, lr: float, batch_size: int, epochs: int) -> bytes:
    import matplotlib.pyplot as plt
    import numpy as np

    import gdviz as gd

    net = gd.nn.MLP([2, 16, 16, 2], activation="tanh", init="xavier", seed=0)
    run = gd.nn.train(net, X, y, optimizer="adam", lr=lr, epochs=epochs, batch_size=batch_size, seed=0,
                      X_test=X_test, y_test=y_test)
    gx, gy = np.meshgrid(np.linspace(-1.5, 2.5, 70), np.linspace(-1.2, 1.7, 70))
    z = net.predict(run.x[-1], np.column_stack([gx.ravel(), gy.ravel()]))
    p = np.exp(z[:, 1]) / np.exp(z).sum(axis=1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), dpi=160)
    left.semilogy(run.train_loss)
    left.semilogy(run.test_loss)
    right.contourf(gx, gy, p.reshape(gx.shape), 20)
    right.scatter(*X.T, c=y, s=10)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def measure() -> dict:
    import gdviz as gd

    explorer = gd.widgets.explore_network()
    view = explorer.view
    times, cpu, naive_times = [], [], []
    for name, values in MOVES.items():
        for v in values:
            start, start_cpu = time.perf_counter(), time.process_time()
            explorer.controls[name].value = v
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            settings = {k: explorer.controls[k].value for k in ("lr", "batch_size", "epochs")}
            start = time.perf_counter()
            _naive(view.X, view.y, view.X_test, view.y_test, **settings)
            naive_times.append(time.perf_counter() - start)
        explorer.controls[name].value = values[-1]
    return {"explorer": statistics.median(times), "worst": max(times), "naive": statistics.median(naive_times),
            "cpu": statistics.median(cpu), "moves": len(times), "png": len(explorer.image)}


def run_all() -> list[dict]:
    m = measure()
    return [{
        "benchmark": f"network explorer (notebook 09), default settings: slider move -> new PNG, median of "
                     f"{m['moves']} moves",
        "naive": m["naive"], "gdviz": m["explorer"], "target": "<= 300 ms",
        "extra": f"CPU time per move {m['cpu'] * 1e3:.0f} ms (what a quiet machine's wall time approaches); slowest "
                 f"move {m['worst'] * 1e3:.0f} ms; PNG {m['png'] / 1024:.0f} KiB; naive = train + new pyplot figure "
                 "per move",
    }]


if __name__ == "__main__":
    for row in run_all():
        print(f"{row['benchmark']}: {row['gdviz'] * 1e3:.0f} ms (naive {row['naive'] * 1e3:.0f} ms), "
              f"target {row['target']}; {row['extra']}")
