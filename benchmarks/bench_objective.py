"""Import time and the cost of building an Objective from a string, each in a fresh process.

Both are first-time costs (sympy caches what it has seen, so a second build in the same
process is quicker and would flatter us): every measurement starts a new interpreter and
times only the statement in question, not the interpreter's own start-up. The times are CPU
time of that process, which other work on a shared machine hardly changes; on a quiet machine
wall time is the same (the notes give the wall-clock median too).

* ``import gdviz`` against a bare ``import sympy``, alternated, median of several runs.
  Target: at most 1.5x (the catalogue is built on first use, plotting and widgets on
  first attribute access).
* The slowest formula families we know that the parser's bounds still accept (nests of
  functions twelve deep with inner products, nested squares, power towers), built and then
  their Hessian; and families just beyond the bounds, which must be refused quickly.
  Target: every accepted string builds in under a second, every refusal in milliseconds.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import textwrap

_TIMED = textwrap.dedent("""
    import time
    {setup}
    start, cpu = time.perf_counter(), time.process_time()
    {statement}
    print(time.process_time() - cpu, time.perf_counter() - start, globals().get("outcome", "done"))
""")


def timed_in_fresh_process(statement: str, setup: str = "") -> tuple[float, float]:
    """CPU and wall seconds ``statement`` takes in a new interpreter, after ``setup`` (not timed)."""
    cpu, wall, _ = timed_with_outcome(statement, setup)
    return cpu, wall


def timed_with_outcome(statement: str, setup: str = "") -> tuple[float, float, str]:
    """CPU and wall seconds, and the value ``statement`` left in ``outcome`` (if any), in a new interpreter."""
    code = _TIMED.format(setup=setup, statement=statement)
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    cpu, wall, outcome = out.stdout.split()[-3:]
    return float(cpu), float(wall), outcome


def bench_import(repeat: int = 9) -> list[dict]:
    """``import gdviz`` vs ``import sympy``: medians over ``repeat`` alternating fresh processes."""
    sympy_times, gdviz_times = [], []
    for _ in range(repeat):
        sympy_times.append(timed_in_fresh_process("import sympy"))
        gdviz_times.append(timed_in_fresh_process("import gdviz"))
    plain, ours = (statistics.median(cpu for cpu, _ in t) for t in (sympy_times, gdviz_times))
    plain_wall, ours_wall = (statistics.median(wall for _, wall in t) for t in (sympy_times, gdviz_times))
    pulled = subprocess.run(
        [sys.executable, "-c", "import sys, gdviz; print(sorted({'matplotlib', 'ipywidgets', 'IPython'} "
                               "& set(sys.modules)) or 'neither matplotlib nor ipywidgets')"],
        check=True, capture_output=True, text=True).stdout.strip()
    return [{"benchmark": f"8. import gdviz vs a bare import sympy (fresh processes, median of {repeat})",
             "naive": plain, "gdviz": ours, "ratio": f"{ours / plain:.2f}x of sympy", "target": "<= 1.5x of sympy",
             "extra": f"CPU time; wall clock {ours_wall * 1e3:.0f} vs {plain_wall * 1e3:.0f} ms "
                      f"({ours_wall / plain_wall:.2f}x); imports {pulled}"}]


def _families() -> dict[str, str]:
    nest = "".join(f"{{f}}({i + 2}*x*" for i in range(12)) + "x" + ")" * 12
    return {
        "exp nested 12 deep, x inside each": nest.format(f="exp"),
        "asin nested 12 deep, x inside each": nest.format(f="asin"),
        "tanh nested 12 deep, x inside each": nest.format(f="tanh"),
        "(x + (x + ... y)**2)**2, 10 deep": "(x+" * 10 + "y" + ")**2" * 10,
        "sin(x)**sin(x)**..., 20 high": "**".join(["sin(x)"] * 20),
        "a 191-character tanh nest, 10 deep (was tens of seconds)": "tanh(0.75*x + 0.5*" * 10 + "x" + ")" * 10,
        "peaks": "3*(1 - x)**2*exp(-x**2 - (y + 1)**2) - 10*(x/5 - x**3 - y**5)*exp(-x**2 - y**2)"
                 " - 1/3*exp(-(x + 1)**2 - y**2)",
    }


def _beyond() -> dict[str, str]:
    return {
        "tanh nested 30 deep (never finished)": "tanh(" * 30 + "x" + ")" * 30,
        "(x + (x + ... y)**2)**2, 40 deep": "(x+" * 40 + "y" + ")**2" * 40,
        "x**x**..., 40 high": "**".join(["x"] * 40),
        "a product of 36 sines": "*".join(f"sin(x+{i})" for i in range(36)),
    }


def bench_formulas() -> list[dict]:
    """Build time of the slowest accepted families, their Hessians, and the time to refuse the rest."""
    build, hessian = {}, {}
    for name, text in _families().items():
        build[name] = timed_in_fresh_process(f"f = gd.Objective({text!r})", "import gdviz as gd")[0]
        point = "[0.3] * f.dim if f.dim > 1 else 0.3"
        hessian[name] = timed_with_outcome(
            f"try:\n    f.hessian({point}, undefined='nan')\nexcept ValueError:\n    outcome = 'refused'",
            f"import gdviz as gd; f = gd.Objective({text!r})")
    refuse = {}
    for name, text in _beyond().items():
        statement = f"try:\n    gd.Objective({text!r})\nexcept ValueError:\n    pass\nelse:\n    raise SystemExit(1)"
        refuse[name] = timed_in_fresh_process(statement, "import gdviz as gd")[0]
    slowest_h = max(hessian, key=lambda k: hessian[k][0])  # (cpu, wall, outcome)
    slowest, slowest_r = (max(d, key=d.get) for d in (build, refuse))
    return [
        {"benchmark": f"9. slowest formula string the bounds accept (CPU time): {slowest}", "naive": None,
         "gdviz": build[slowest], "target": "< 1 s to build",
         "extra": "; ".join(f"{k}: {v * 1e3:.0f} ms" for k, v in build.items())},
        {"benchmark": f"   its Hessian, on first use: slowest {slowest_h}", "naive": None,
         "gdviz": hessian[slowest_h][0], "target": "< 1 s, else refused",
         "extra": "; ".join(f"{k}: {t * 1e3:.0f} ms{' (refused)' * (o == 'refused')}"
                            for k, (t, _, o) in hessian.items())},
        {"benchmark": f"   slowest refusal of a string beyond the bounds: {slowest_r}", "naive": None,
         "gdviz": refuse[slowest_r], "target": "milliseconds",
         "extra": "; ".join(f"{k}: {v * 1e3:.1f} ms" for k, v in refuse.items())},
    ]


def run_all() -> list[dict]:
    return bench_import() + bench_formulas()
