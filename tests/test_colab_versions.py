"""Every notebook, run with the package versions Colab ships, so a Colab-only breakage shows up here first.

A separate virtual environment (build/colab-venv, made once and reused while the pins below stay the
same) holds Colab's ipywidgets, matplotlib, numpy and sympy with this machine's Python. gdviz goes in
the way the notebooks' set-up cell installs it in Colab: built from the repository's files and
installed with ``--no-deps``, so it runs on those versions and not on ours. Then ``pytest --nbval-lax``
executes every notebook in that environment: any error, any warning a learner would see under a
cell, or any printed number checked with ``# NBVAL_CHECK_OUTPUT`` that differs under Colab's
versions, fails the test.

When the packages cannot be downloaded (no network, no index) the test is skipped and says so.
Update the pins when Colab updates (``pip list`` in a Colab cell).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import fcntl
except ImportError:  # Windows: no locking; do not run two test sessions at once
    fcntl = None

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
VENV = ROOT / "build" / "colab-venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / "colab-pins.txt"

# What Colab ships (checked against a Colab runtime's `pip list`); the rest is what runs the notebooks.
COLAB = {"ipywidgets": "7.7.1", "matplotlib": "3.10", "numpy": "2.1", "sympy": "1.14.0"}
PINS = ["numpy==2.1.*", "matplotlib==3.10.*", "sympy==1.14.0"]
# ipywidgets 7 asks for its browser halves (widgetsnbextension, which pulls in the classic Notebook,
# and jupyterlab_widgets); executing notebooks needs only the kernel half, so it goes in --no-deps
# with the kernel-side dependencies listed here.
WIDGETS = ["ipywidgets==7.7.1"]
WIDGET_DEPS = ["ipython_genutils~=0.2.0", "traitlets>=4.3.1", "ipython>=4.0.0"]
TOOLS = ["ipykernel", "nbformat", "nbclient", "nbval>=0.11", "pytest>=8"]
OFFLINE = ("Could not fetch", "No matching distribution", "NewConnectionError", "Temporary failure in name resolution",
           "Max retries exceeded", "Network is unreachable", "ProxyError", "ConnectTimeout", "Read timed out")
# gdviz as its own distribution: what `pip install git+https://github.com/...` would build
PACKAGE_FILES = ["pyproject.toml", "README.md", "LICENSE", "gdviz"]

pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks built yet")


def pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(PYTHON), "-m", "pip", "--disable-pip-version-check", "--no-input", *args],
                          capture_output=True, text=True, timeout=900)


def install(*args: str) -> None:
    result = pip("install", "--quiet", *args)
    if result.returncode != 0:
        output = result.stdout + result.stderr
        if any(sign in output for sign in OFFLINE):
            pytest.skip(f"Colab's package versions could not be downloaded, so the notebooks were not run with "
                        f"them:\n{output[-1500:]}")
        pytest.fail(f"pip install {' '.join(args)} failed:\n{output[-3000:]}")


@pytest.fixture(scope="module")
def colab_python(tmp_path_factory):
    """The Colab-like interpreter with the working tree's gdviz installed --no-deps.

    Held under a lock for the whole module: two test runs in one checkout take turns instead of
    rebuilding or reinstalling into the environment the other one is using.
    """
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with (VENV.parent / "colab-venv.lock").open("w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield prepare(tmp_path_factory)


def prepare(tmp_path_factory) -> Path:
    wanted = "\n".join([*PINS, *WIDGETS, *WIDGET_DEPS, *TOOLS, sys.version.split()[0]]) + "\n"
    if not (STAMP.exists() and STAMP.read_text() == wanted and PYTHON.exists()):
        shutil.rmtree(VENV, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        install(*PINS, *WIDGET_DEPS, *TOOLS)
        install("--no-deps", *WIDGETS)
        STAMP.write_text(wanted)
    # a fresh copy of the package's files each time (the code changes; the environment does not)
    source = tmp_path_factory.mktemp("gdviz-source")
    for name in PACKAGE_FILES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif path.exists():
            shutil.copy2(path, source / name)
    # built in isolation with the build backend pyproject.toml asks for, as pip does in Colab
    install("--no-deps", "--force-reinstall", str(source))
    return PYTHON


def run(python: Path, *args: str, cwd: Path = ROOT, timeout: float = 900,
        **env_vars: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "MPLBACKEND"}}
    env.update(JUPYTER_PLATFORM_DIRS="1", **env_vars)
    return subprocess.run([str(python), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def test_the_environment_has_colabs_versions_and_the_installed_gdviz(colab_python):
    probe = ("import sys, importlib.metadata as m, gdviz\n"
             "print(gdviz.__file__)\n"
             "for name in sys.argv[1:]: print(name, m.version(name))")
    result = run(colab_python, "-c", probe, *COLAB, cwd=ROOT / "notebooks")  # where the notebooks' kernels start
    assert result.returncode == 0, result.stderr
    where, *versions = result.stdout.split("\n")
    assert "site-packages" in where, f"the notebooks would import gdviz from {where}, not the installed copy"
    for line in filter(None, versions):
        name, version = line.split()
        assert version == COLAB[name] or version.startswith(COLAB[name] + "."), \
            f"{name} {version}, Colab has {COLAB[name]}"


# Warnings a learner would see under a cell in Colab become errors in the kernels: runtime and user
# warnings from anywhere, deprecations in the notebook's own code. (Deprecations inside libraries are
# hidden in a notebook, e.g. ipywidgets 7's use of ipykernel's old Comm class.)
KERNEL_WARNINGS = "error::RuntimeWarning,error::UserWarning,error::DeprecationWarning:__main__"


def test_every_notebook_runs_with_colabs_versions(colab_python):
    result = run(colab_python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval-lax", "--nbval-current-env",
                 "--nbval-cell-timeout=300", *(str(p.relative_to(ROOT)) for p in NOTEBOOKS),
                 PYTHONWARNINGS=KERNEL_WARNINGS)
    assert result.returncode == 0, \
        f"notebooks failed with Colab's versions:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}"
