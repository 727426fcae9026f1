"""The notebooks' first cell, run as a learner would meet it, by simulation.

The generated set-up cell is executed by an IPython shell in a separate Python process, in the
situations a learner can be in: in Colab (a fake ``google.colab`` module) with an unreachable
repository, a repository that asks for a user name (private or missing on GitHub; here a local
server that answers 401), or gdviz already installed; and outside Colab with gdviz installed or
not. gdviz is hidden from the child process by leaving out the site-packages ``.pth`` files that
make the editable install importable. Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import sysconfig
import textwrap
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import notebooks as builder  # noqa: E402

URL = f"https://github.com/{builder.repository()}.git"
SENTINEL = "=== cell finished ==="


def run_cell(tmp_path: Path, *, colab: bool, hide_gdviz: bool, url: str = URL, timeout: float = 120) -> dict:
    """Run the set-up cell (its URL replaced by ``url``) in a fresh IPython shell; report what happened."""
    cell = builder.setup_cell().replace(URL, url)
    (tmp_path / "cell.py").write_text(cell)
    if colab:
        fake = tmp_path / "fake" / "google" / "colab"
        fake.mkdir(parents=True, exist_ok=True)
        (fake.parent / "__init__.py").write_text("")
        (fake / "__init__.py").write_text('"""A stand-in for Colab: the cell checks that it is imported."""\n')
    child = textwrap.dedent(f"""
        import json, sys
        sys.path.insert(1, {str(tmp_path / "fake")!r})
        if {hide_gdviz!r}:  # site-packages without its .pth files: the editable gdviz is not found
            sys.path.append({sysconfig.get_paths()["purelib"]!r})
        if {colab!r}:
            import google.colab
        from IPython.core.interactiveshell import InteractiveShell
        shell = InteractiveShell.instance(colors="nocolor")
        result = shell.run_cell(open("cell.py").read())
        print({SENTINEL!r})
        error = result.error_in_exec
        print(json.dumps({{"error": type(error).__name__ if error else None,
                           "gd": getattr(shell.user_ns.get("gd"), "__name__", None)}}))
    """)
    command = [sys.executable, *(["-S"] if hide_gdviz else []), "-c", child]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": str(tmp_path / "no-gitconfig"), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "PIP_NO_INPUT": "1", "MPLBACKEND": "Agg"}
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
    assert SENTINEL in done.stdout, f"the child process failed:\n{done.stdout}\n{done.stderr}"
    shown, _, report = done.stdout.partition(SENTINEL)
    return {"shown": shown.strip(), "stderr": done.stderr, **json.loads(report)}


def assert_stops_with_one_message(outcome: dict, *phrases: str) -> None:
    assert outcome["error"] == "SetupFailed", outcome
    assert outcome["gd"] is None
    for phrase in phrases:
        assert phrase in outcome["shown"], f"{phrase!r} not in what the learner sees:\n{outcome['shown']}"
    # no stack trace: the learner sees the sentence (and pip's last line), not frames of the cell
    assert "Traceback" not in outcome["shown"] and "File " not in outcome["shown"], outcome["shown"]
    assert "NameError" not in outcome["shown"] and "ModuleNotFoundError" not in outcome["shown"]
    assert len(outcome["shown"].splitlines()) <= 2, outcome["shown"]


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _AsksForPassword(http.server.BaseHTTPRequestHandler):
    """What GitHub answers git for a private or missing repository: credentials, please."""

    def do_GET(self):  # noqa: N802 (http.server's naming)
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="GitHub"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def private_repository():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _AsksForPassword)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/owner/private.git"
    finally:
        server.shutdown()
        server.server_close()


def test_off_colab_without_gdviz_says_how_to_install_it(tmp_path):
    outcome = run_cell(tmp_path, colab=False, hide_gdviz=True)
    assert_stops_with_one_message(outcome, "gdviz is not installed", f"%pip install git+{URL}",
                                  "run this cell again")


def test_in_colab_an_unreachable_repository_stops_the_notebook_with_one_sentence(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/owner/gdviz.git"
    outcome = run_cell(tmp_path, colab=True, hide_gdviz=True, url=url)
    assert_stops_with_one_message(outcome, f"Could not install gdviz from {url}", "no network",
                                  "run this cell again", "pip said:")


def test_in_colab_a_private_or_missing_repository_fails_at_once_instead_of_asking_for_a_user_name(
        tmp_path, private_repository):
    outcome = run_cell(tmp_path, colab=True, hide_gdviz=True, url=private_repository, timeout=60)
    assert_stops_with_one_message(outcome, f"Could not install gdviz from {private_repository}", "private")
    # git was told not to prompt (GIT_TERMINAL_PROMPT=0): it says so instead of waiting for a name
    assert "terminal prompts disabled" in outcome["shown"] or "could not read Username" in outcome["shown"], \
        outcome["shown"]


def test_in_colab_with_gdviz_installed_nothing_is_installed(tmp_path):
    # the URL is unreachable: had the cell tried to install, it would have stopped
    url = f"http://127.0.0.1:{closed_port()}/owner/gdviz.git"
    outcome = run_cell(tmp_path, colab=True, hide_gdviz=False, url=url)
    assert outcome["error"] is None and outcome["gd"] == "gdviz", outcome


def test_off_colab_with_gdviz_installed_the_cell_imports_it_quietly(tmp_path):
    outcome = run_cell(tmp_path, colab=False, hide_gdviz=False)
    assert outcome["error"] is None and outcome["gd"] == "gdviz", outcome
    assert outcome["shown"] == "" and outcome["stderr"] == "", outcome
