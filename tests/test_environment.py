"""environment.yml: what `conda env create -f environment.yml` and Binder build the course from.

Binder (repo2docker) reads the root environment.yml when there is no binder/ or .binder/ folder,
updates its own environment with it, and, because the pip section names a local path (``-e .``),
copies the whole repository in before it installs, so gdviz is importable in the notebooks. A
Python given as ``python>=3.10`` is not read as a version by repo2docker: it uses its default
Python, which satisfies the range.

Checked here: the file parses as YAML into the shape conda expects; it asks for everything
requirements.txt asks for (the browser test's playwright excepted: it is skipped without it) with
the package's own version ranges; and its requirements resolve. With conda on the machine that is
``conda env create --dry-run``; without it, ``pip install --dry-run`` of the same requirements and
of the pip section, from the repository root as conda would run it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: pytest brings tomli
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
ENVIRONMENT = ROOT / "environment.yml"
NOT_ON_CONDA = {"playwright"}  # the browser test skips without it
NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")
OFFLINE = ("Could not fetch", "NewConnectionError", "Temporary failure in name resolution",
           "Max retries exceeded", "Network is unreachable", "ProxyError", "CondaHTTPError", "Read timed out")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def split(requirement: str) -> tuple[str, str]:
    """("numpy", ">=1.26") from "numpy>=1.26" (pip) or "numpy >=1.26" (conda)."""
    match = NAME.match(requirement)
    assert match, f"not a requirement: {requirement!r}"
    return canonical(match.group(1)), match.group(2).replace(" ", "")


def load() -> dict:
    with ENVIRONMENT.open() as f:
        return yaml.safe_load(f)


def conda_and_pip(env: dict) -> tuple[list[str], list[str]]:
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = [line for d in env["dependencies"] if isinstance(d, dict) for line in d.get("pip", [])]
    return conda, pip


def requirements_txt() -> dict[str, str]:
    lines = (line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines())
    return dict(split(line) for line in lines if line)


def test_environment_yml_is_a_conda_environment():
    env = load()
    assert isinstance(env, dict) and set(env) <= {"name", "channels", "dependencies"}, f"unexpected keys: {set(env)}"
    assert env["name"] == "gdviz"
    assert "conda-forge" in env["channels"]
    dependencies = env["dependencies"]
    assert all(isinstance(d, str) or (isinstance(d, dict) and set(d) == {"pip"}) for d in dependencies)
    conda, pip = conda_and_pip(env)
    names = [split(d)[0] for d in conda]
    assert len(names) == len(set(names)), "a package is listed twice"
    assert "python" in names
    if pip:
        assert "pip" in names, "a pip section needs pip itself among the conda dependencies"


def test_environment_asks_for_what_requirements_txt_asks_for():
    conda, _ = conda_and_pip(load())
    wanted = dict(split(d) for d in conda)
    missing = sorted(set(requirements_txt()) - set(wanted) - NOT_ON_CONDA)
    assert not missing, f"environment.yml lacks {missing} (listed in requirements.txt)"
    # the package's own dependencies with the same ranges as pyproject.toml declares
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"]:
        name, spec = split(requirement)
        assert wanted.get(name) == spec, f"environment.yml has {name}{wanted.get(name)}, pyproject.toml {spec}"
    python = wanted["python"]
    assert python == project["requires-python"], f"python{python} vs requires-python {project['requires-python']}"


def test_the_pip_section_installs_the_repository_for_binder():
    _, pip = conda_and_pip(load())
    assert pip in (["-e ."], ["."]), f"the pip section should install the repository itself, not {pip}"
    # a binder/ or .binder/ folder would make Binder ignore the root environment.yml
    for folder in ("binder", ".binder"):
        if (ROOT / folder).is_dir():
            assert (ROOT / folder / "environment.yml").exists() or (ROOT / folder / "requirements.txt").exists(), \
                f"{folder}/ exists but holds no environment: Binder would build an empty image"


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def skip_if_offline(result: subprocess.CompletedProcess, what: str) -> None:
    output = result.stdout + result.stderr
    if result.returncode != 0 and any(sign in output for sign in OFFLINE):
        pytest.skip(f"{what} needs the package index, which could not be reached:\n{output[-1000:]}")


def test_the_environment_resolves():
    conda_exe = next((shutil.which(c) for c in ("conda", "mamba", "micromamba") if shutil.which(c)), None)
    if conda_exe is not None:
        result = run(conda_exe, "env", "create", "--dry-run", "--file", str(ENVIRONMENT), "--name", "gdviz-dry-run")
        skip_if_offline(result, "conda env create --dry-run")
        assert result.returncode == 0, f"conda cannot create the environment:\n{result.stdout[-3000:]}{result.stderr}"
        return
    # no conda here: the same requirements through pip (conda-forge names them as PyPI does),
    # plus the pip section, resolved against this environment without installing anything
    conda, pip = conda_and_pip(load())
    requirements = [re.sub(r"\s+", "", d) for d in conda if split(d)[0] not in {"python", "pip"}]
    pip_args = [arg for line in pip for arg in line.split()]
    result = run(sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--disable-pip-version-check",
                 *requirements, *pip_args)
    skip_if_offline(result, "pip install --dry-run")
    assert result.returncode == 0, f"environment.yml's requirements do not resolve:\n{result.stdout}{result.stderr}"
