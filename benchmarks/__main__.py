"""``python -m benchmarks``: run every benchmark and print one table."""

from __future__ import annotations

import os
import platform
import sys

from . import bench_core, bench_objective


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds * 1e3:.2f} ms" if seconds < 10 else f"{seconds:.1f} s"


def main(names: list[str]) -> None:
    suites = {"core": bench_core.run_all, "objective": bench_objective.run_all}
    try:
        from . import bench_widgets
        suites["widgets"] = bench_widgets.run_all
    except ImportError:
        pass
    try:
        from . import bench_network
        suites["network"] = bench_network.run_all
    except ImportError:
        pass
    try:
        from . import bench_nn
        suites["nn"] = bench_nn.run_all
    except ImportError:
        pass
    chosen = names or list(suites)
    print(f"# gdviz benchmarks on {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}\n")
    print("| benchmark | naive | gdviz | ratio | target | notes |")
    print("|---|---|---|---|---|---|")
    for name in chosen:
        for row in suites[name]():
            times = row["naive"] / row["gdviz"] if row.get("naive") else None
            ratio = "-" if times is None else f"{times:.1f}x" if times < 10 else f"{times:.0f}x"
            ratio = row.get("ratio", ratio)  # a row may state its own (import time: gdviz over sympy)
            print(f"| {row['benchmark']} | {fmt_time(row.get('naive'))} | {fmt_time(row['gdviz'])} | {ratio} "
                  f"| {row['target']} | {row.get('extra', '')} |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
