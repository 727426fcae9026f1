"""Explorers against the naive ``interact`` + pyplot way, timed inside a real IPython kernel.

A kernel is started with jupyter_client (inline backend, as in JupyterLab or Colab). In it,
each explorer and its naive counterpart (an ``interact`` function that recomputes the
landscape, builds a new pyplot figure and calls ``plt.show()``) get the same 30 slider
moves, taking turns so that both see the same machine load. One move is timed with
``time.perf_counter`` from ``slider.value = v`` until the kernel publishes the new
figure's PNG bytes (a hook on the display publisher records the moment; the bytes are
then on their way to the browser). The medians are reported.
There is no frontend, so the time the browser needs to paint the PNG is not included.
Explorer frames have twice the CSS size in pixels (sharp on high-resolution screens), four times
the pixels of the naive figure's PNG: that costs about 1.5x per move (zlib on the larger frame).
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap

from jupyter_client.manager import start_new_kernel

MOVES = 30

KERNEL_SETUP = r'''
%matplotlib inline
import json, statistics, time
import numpy as np
import matplotlib.pyplot as plt
import ipywidgets as widgets
from ipywidgets import interact
from IPython import get_ipython
import gdviz as gd

_seen = {"n": 0}
_publish = get_ipython().display_pub.publish

def _stamped(data, *args, **kwargs):
    if "image/png" in data:  # the moment a figure's PNG leaves for the frontend
        _seen.update(n=_seen["n"] + 1, t=time.perf_counter(), size=len(data["image/png"]))
    return _publish(data, *args, **kwargs)

get_ipython().display_pub.publish = _stamped

def time_moves(sliders, values):
    """Per slider: (median, min) seconds from ``slider.value = v`` to the new PNG, and its size.

    The sliders take turns on every value, so that all of them see the same machine load.
    """
    times = [[] for _ in sliders]
    sizes = [0] * len(sliders)
    for v in values:
        for i, slider in enumerate(sliders):
            before = _seen["n"]
            start = time.perf_counter()
            slider.value = v
            assert _seen["n"] == before + 1, "a slider move did not display exactly one PNG"
            times[i].append(_seen["t"] - start)
            sizes[i] = _seen["size"]
    return [(statistics.median(t), min(t), size) for t, size in zip(times, sizes)]

def naive_1d(lr=0.1, epochs=1000, x0=-1.4):
    f = gd.functions.quadratic
    xs = np.linspace(*f.bounds[0], 400)
    run = gd.descend(f, x0, lr=lr, epochs=epochs)
    fig, axes = plt.subplots(1, 3, figsize=(10, 4))
    axes[0].plot(xs, f(xs))
    axes[0].plot(run.x, run.f, "o-")
    axes[1].plot(run.x)
    axes[2].plot(run.grad)
    plt.show()

def naive_2d(lr=0.01, epochs=1000, x0=-2.1, y0=1.8, optimizer="gd"):
    f = gd.functions.peaks
    (xlo, xhi), (ylo, yhi) = f.bounds
    X, Y = np.meshgrid(np.linspace(xlo, xhi, 200), np.linspace(ylo, yhi, 200))
    Z = f(np.stack([X, Y], axis=-1))
    run = gd.descend(f, [x0, y0], lr=lr, epochs=epochs, optimizer=optimizer)
    fig, (ax, loss) = plt.subplots(1, 2, figsize=(10, 4))
    filled = ax.contourf(X, Y, Z, 30)
    fig.colorbar(filled, ax=ax)
    ax.plot(run.x[:, 0], run.x[:, 1], "w.-")
    loss.plot(run.f)
    plt.show()
'''

CASES = {
    "1d": dict(
        explorer="gd.widgets.explore_1d(gd.functions.quadratic, lr=0.01, epochs=1000)",
        naive="naive_1d",
        naive_controls="lr=widgets.FloatLogSlider(value=0.01, min=-4, max=0), epochs=widgets.IntSlider(1000, 1, 4000), "
                       "x0=widgets.FloatSlider(-1.4, min=-2, max=2)",
        rates="np.geomspace(1e-3, 0.3, MOVES)",
        label="explore_1d on 3x² - 3x + 4",
        target="<= 50 ms and <= naive / 2",
    ),
    "2d": dict(
        explorer="gd.widgets.explore_2d(gd.functions.peaks, lr=0.01, epochs=1000)",
        naive="naive_2d",
        naive_controls="lr=widgets.FloatLogSlider(value=0.01, min=-4, max=0), epochs=widgets.IntSlider(1000, 1, 4000), "
                       "x0=widgets.FloatSlider(-2.1, min=-3, max=3), y0=widgets.FloatSlider(1.8, min=-3, max=3), "
                       "optimizer=widgets.Dropdown(options=list(gd.optimizers.NAMES))",
        rates="np.geomspace(1e-3, 0.1, MOVES)",
        label="explore_2d on peaks",
        target="<= 100 ms and <= naive / 2",
    ),
}

MEASURE = r'''
MOVES = {moves}
rates = {rates}
w = {explorer}
controls = dict({naive_controls})
interact({naive}, **controls)
(explorer, explorer_min, explorer_size), (naive, naive_min, naive_size) = time_moves([w.controls["lr"], controls["lr"]],
                                                                                   rates)
((epochs_move, _, _),) = time_moves([w.controls["epochs"]], np.linspace(900, 1000, MOVES).astype(int))
plt.close("all")
print(json.dumps(dict(explorer=explorer, explorer_min=explorer_min, explorer_epochs=epochs_move, naive=naive,
                      naive_min=naive_min, explorer_kb=explorer_size / 1024, naive_kb=naive_size / 1024)))
'''


def _execute(client, code: str) -> str:
    """Run ``code`` in the kernel; return its stdout, raise on an error."""
    out: list[str] = []

    def hook(msg: dict) -> None:
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream" and content["name"] == "stdout":
            out.append(content["text"])
        elif kind == "error":
            raise RuntimeError("kernel error:\n" + "\n".join(content["traceback"]))

    reply = client.execute_interactive(code, output_hook=hook, timeout=600)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"kernel error: {reply['content'].get('evalue')}")
    return "".join(out)


def measure_in_kernel() -> dict[str, dict[str, float]]:
    """Start a kernel, time every case in it, shut it down."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}  # the kernel's own inline backend
    # the kernel's stderr only says that a local TCP connection is unencrypted; errors arrive as messages
    manager, client = start_new_kernel(kernel_name="python3", env=env, stderr=subprocess.DEVNULL)
    try:
        _execute(client, KERNEL_SETUP)
        results = {}
        for name, case in CASES.items():
            code = MEASURE.format(moves=MOVES, **{k: v for k, v in case.items() if k not in ("label", "target")})
            lines = _execute(client, textwrap.dedent(code)).strip().splitlines()
            results[name] = json.loads(lines[-1])
        return results
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def run_all() -> list[dict]:
    rows = []
    load = os.getloadavg()[0]
    for name, m in measure_in_kernel().items():
        case = CASES[name]
        rows.append({
            "benchmark": f"{5 + len(rows)}. {case['label']}, 1000 epochs: lr slider move -> new PNG, median of {MOVES} "
                         f"in a kernel (naive: interact + new pyplot figure)",
            "naive": m["naive"], "gdviz": m["explorer"], "target": case["target"],
            "extra": f"explorer frames at 2x device pixels (naive: 1x); "
                     f"fastest move {m['explorer_min'] * 1e3:.0f} ms vs {m['naive_min'] * 1e3:.0f} ms naive; "
                     f"epochs slider (history axes re-rendered): {m['explorer_epochs'] * 1e3:.0f} ms; "
                     f"PNG {m['explorer_kb']:.0f} kB vs {m['naive_kb']:.0f} kB naive; load average {load:.1f} "
                     f"on {os.cpu_count()} cores at the start",
        })
    return rows


if __name__ == "__main__":
    for row in run_all():
        print(f"{row['benchmark']}: explorer {row['gdviz'] * 1e3:.1f} ms, naive {row['naive'] * 1e3:.1f} ms, "
              f"ratio {row['naive'] / row['gdviz']:.1f}x (target {row['target']}); {row['extra']}")
