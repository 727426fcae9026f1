"""Build, check and re-badge the course notebooks.

The notebooks are written as plain-text sources in ``notebooks/src/NN_name.py``
("percent" format: a line ``# %%`` starts a code cell, ``# %% [markdown]`` a markdown
cell whose lines start with ``# ``). This script turns each source into
``notebooks/NN_name.ipynb``, adds the Open-in-Colab badge and the "Run this first" set-up
cell built from the one repository setting (``[tool.gdviz] repository`` in
pyproject.toml), executes it top to bottom on a fresh kernel and saves it with outputs.

    python scripts/notebooks.py build [NAMES...]   # convert + execute (all by default)
    python scripts/notebooks.py badges             # rewrite badges/install cells only
    python scripts/notebooks.py check              # exit 1 if any badge or install cell is stale
    python scripts/notebooks.py strip [NAMES...]   # drop saved widget state (no re-execution)

Notebooks are saved without widget state: no ``metadata.widgets`` and no widget-view entry in
any output, so every reader that cannot run the kernel (GitHub, nbconvert's HTML, the course
website, JupyterLab before the cells run) shows the explorer's saved PNG instead of an empty
widget or sliders that move nothing. The outputs that held a widget view are marked
``metadata.gdviz.widget = true`` so tests can still find them.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path
from queue import Empty

import nbformat
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"
SETUP_MARK = "# Run this first"
BADGE_MARK = "colab-badge.svg"


def repository() -> str:
    """The ``owner/name`` slug of the GitHub repository: the one place it is written."""
    text = (ROOT / "pyproject.toml").read_text()
    match = re.search(r'^\[tool\.gdviz\]\s*(?:#.*\n)*\s*repository\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if match is None:
        raise SystemExit("pyproject.toml: [tool.gdviz] repository = \"owner/name\" is missing")
    return match.group(1)


def colab_url(path: str, slug: str | None = None) -> str:
    return f"https://colab.research.google.com/github/{slug or repository()}/blob/main/{path}"


def badge(path: str, slug: str | None = None) -> str:
    return f"[![Open In Colab](https://colab.research.google.com/assets/{BADGE_MARK})]({colab_url(path, slug)})"


def setup_cell(slug: str | None = None) -> str:
    """The course's first code cell (without its leading ``# ``): makes gdviz importable.

    In Colab it pip-installs gdviz from the repository with ``--no-deps``; when that fails (no
    network, a repository that is missing or private: git would ask for a user name, which
    GIT_TERMINAL_PROMPT=0 turns into an error) and elsewhere when gdviz is not installed, it
    says in one sentence what failed and what to do, and stops the notebook with an exception
    whose traceback is that sentence (IPython shows ``_render_traceback_`` instead of a stack).
    """
    url = f"https://github.com/{slug or repository()}.git"
    return f'''{SETUP_MARK}: it makes gdviz importable here, in Colab and on Binder.
# In Colab it installs gdviz from GitHub with --no-deps, so Colab keeps its own numpy,
# matplotlib, sympy and ipywidgets; everywhere else gdviz is already installed. Running it
# twice is harmless. If gdviz cannot be had, it says why and stops the notebook here.
import importlib.util
import os
import subprocess
import sys

GDVIZ_REPOSITORY = "{url}"


class SetupFailed(Exception):
    def _render_traceback_(self):  # IPython shows these lines instead of a traceback
        return [str(self)]


if importlib.util.find_spec("gdviz") is None:
    if "google.colab" not in sys.modules:
        raise SetupFailed(f"gdviz is not installed for this kernel: run  %pip install git+{{GDVIZ_REPOSITORY}}  "
                          "in a new cell (or `make lab` in a clone of the repository), then run this cell again.")
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", f"git+{{GDVIZ_REPOSITORY}}"],
                         capture_output=True, text=True, stdin=subprocess.DEVNULL,
                         env={{**os.environ, "GIT_TERMINAL_PROMPT": "0"}})
    if pip.returncode != 0:
        lines = pip.stderr.strip().splitlines() or ["no message"]
        said = next((line.strip() for line in lines if "fatal:" in line), lines[-1])  # git's reason first
        raise SetupFailed(f"Could not install gdviz from {{GDVIZ_REPOSITORY}} (no network, or the repository is "
                          "missing or private): check the connection and the address, then run this cell again."
                          f"\\n(pip said: {{said}})")
    importlib.invalidate_caches()

import matplotlib.pyplot as plt
import numpy as np

import gdviz as gd

gd.plotting.use_course_style()  # the course's look, and sharp (retina) figures on high-resolution screens'''


CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def is_widget_output(output: nbformat.NotebookNode) -> bool:
    """Whether a saved output held a widget view (before or after :func:`strip_widget_state`)."""
    return WIDGET_MIME in output.get("data", {}) or bool(output.get("metadata", {}).get("gdviz", {}).get("widget"))


def strip_widget_state(nb: nbformat.NotebookNode) -> int:
    """Remove the saved widget state in place; return how many widget views were removed.

    The state (``metadata.widgets``) would make static renderers draw live-looking sliders
    from a CDN that move nothing; without it their widget view is empty. So the widget-view
    entry goes too and the output keeps its fallbacks (the figure as a PNG, the hint text).
    """
    nb.metadata.pop("widgets", None)
    removed = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if WIDGET_MIME in output.get("data", {}):
                del output.data[WIDGET_MIME]
                output.setdefault("metadata", {}).setdefault("gdviz", {})["widget"] = True
                removed += 1
    return removed


def _marker_on_own_line(code: str) -> str:
    """nbval sees its markers only as whole comment lines: move a trailing one to the top."""
    lines = code.splitlines()
    trailing = [i for i, line in enumerate(lines) if line.rstrip().endswith(CHECK_MARK) and line.strip() != CHECK_MARK]
    if not trailing:
        return code
    for i in trailing:
        lines[i] = lines[i].rstrip()[: -len(CHECK_MARK)].rstrip()
    if CHECK_MARK not in (line.strip() for line in lines):
        lines.insert(0, CHECK_MARK)
    return "\n".join(lines)


def parse_source(text: str) -> list[nbformat.NotebookNode]:
    """Cells of a percent-format source."""
    cells, kind, lines = [], None, []

    def flush():
        body = "\n".join(lines).strip("\n")
        if kind == "markdown":
            body = "\n".join(re.sub(r"^# ?", "", line) for line in body.splitlines())
            cells.append(nbformat.v4.new_markdown_cell(body))
        elif kind == "code" and body.strip():
            cells.append(nbformat.v4.new_code_cell(_marker_on_own_line(body)))

    for line in text.splitlines():
        if line.startswith("# %%"):
            flush()
            kind, lines = ("markdown" if "[markdown]" in line else "code"), []
        else:
            lines.append(line)
    flush()
    return cells


def add_course_cells(nb: nbformat.NotebookNode, path: str, slug: str | None = None) -> None:
    """Put the badge into the title cell and the set-up cell first among code cells."""
    title = nb.cells[0]
    body = "\n".join(line for line in title.source.splitlines() if BADGE_MARK not in line).rstrip()
    heading, _, rest = body.partition("\n")
    title.source = f"{heading}\n\n{badge(path, slug)}\n\n{rest.lstrip()}".rstrip() + "\n"
    for cell in nb.cells:
        if cell.cell_type == "code":
            # the placeholder of a source, the current cell, or the old one with a doubled "# "
            if cell.source.startswith((SETUP_MARK, "# " + SETUP_MARK, "# SETUP")):
                cell.source = setup_cell(slug)
            break


class _Client(NotebookClient):
    """nbclient whose wait for a cell's reply wakes up every second.

    nbclient waits for the reply in one ``get_msg(timeout=<cell timeout>)`` call; when a
    widget's comm messages are in flight the reply can arrive without waking it, and the
    cell then takes the whole timeout (jupyter/nbclient#312). Polling in short slices
    turns a missed wake-up into a one-second delay.
    """

    async def _async_poll_for_reply(self, *args, **kwargs):
        channel = self.kc.shell_channel
        if not getattr(channel, "_polls_in_slices", False):
            channel.get_msg, channel._polls_in_slices = _in_slices(channel.get_msg), True
        return await super()._async_poll_for_reply(*args, **kwargs)


def _in_slices(get_msg, step: float = 1.0):
    async def get(timeout: float | None = None, **kwargs):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = step if deadline is None else min(step, max(0.0, deadline - time.monotonic()))
            try:
                return await ensure_async(get_msg(timeout=left, **kwargs))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    return get


def coalesce_streams(nb: nbformat.NotebookNode) -> None:
    """One output per run of printed text: how a print's lines were flushed must not change the file.

    The kernel sends stdout in pieces as it is flushed, so one cell's lines can arrive as two
    stream outputs in one build and as one in the next.
    """
    for cell in nb.cells:
        merged: list = []
        for out in cell.get("outputs", []):
            if (merged and out.output_type == "stream" and merged[-1].output_type == "stream"
                    and merged[-1].name == out.name):
                merged[-1].text += out.text
            else:
                merged.append(out)
        if cell.cell_type == "code":
            cell.outputs = merged


def build(name: str) -> Path:
    source = SRC / f"{name}.py"
    nb = nbformat.v4.new_notebook()
    nb.cells = parse_source(source.read_text())
    nb.metadata.update({
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
        "colab": {"provenance": []},
    })
    add_course_cells(nb, f"notebooks/{name}.ipynb")
    start = time.perf_counter()
    # no timing metadata in the cells: the files stay the same from build to build
    _Client(nb, timeout=300, kernel_name="python3", record_timing=False,
            resources={"metadata": {"path": str(OUT)}}).execute()
    out = OUT / f"{name}.ipynb"
    for cell in nb.cells:  # ids are random; make the files stable from build to build
        cell.pop("id", None)
    coalesce_streams(nb)
    strip_widget_state(nb)
    nb.nbformat_minor = 4
    nbformat.write(nb, out)
    print(f"{out.relative_to(ROOT)}: {len(nb.cells)} cells, executed in {time.perf_counter() - start:.1f} s")
    return out


def stale_badges() -> list[str]:
    """Notebooks whose badge or set-up cell does not match the repository setting."""
    problems = []
    for path in sorted(OUT.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        rel = f"notebooks/{path.name}"
        if badge(rel) not in nb.cells[0].source:
            problems.append(f"{rel}: badge does not point at {colab_url(rel)}")
        setup = next((c for c in nb.cells if c.cell_type == "code"), None)
        if setup is None or setup.source != setup_cell():
            problems.append(f"{rel}: first code cell is not the current set-up cell")
    return problems


def main(argv: list[str]) -> int:
    command, names = (argv[0] if argv else "build"), argv[1:]
    if command == "build":
        for name in names or sorted(p.stem for p in SRC.glob("[0-9][0-9]_*.py")):
            build(name)
    elif command == "badges":
        for path in sorted(OUT.glob("[0-9][0-9]_*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            add_course_cells(nb, f"notebooks/{path.name}")
            nbformat.write(nb, path)
    elif command == "strip":
        for path in [OUT / f"{n}.ipynb" for n in names] or sorted(OUT.glob("[0-9][0-9]_*.ipynb")):
            nb = nbformat.read(path, as_version=4)
            had_state = "widgets" in nb.metadata
            removed = strip_widget_state(nb)
            if had_state or removed:
                nbformat.write(nb, path)
            print(f"{path.relative_to(ROOT)}: {removed} widget views and {'the' if had_state else 'no'} "
                  "widget state removed")
    elif command == "check":
        problems = stale_badges()
        print("\n".join(problems) or "all badges and set-up cells match the repository setting")
        return 1 if problems else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
