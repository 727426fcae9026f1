"""The course in a real browser: JupyterLab driven by headless Chromium.

One JupyterLab server (127.0.0.1, a random free port, a random token, throw-away settings with
autosave off so the committed notebooks are never rewritten) and one headless Chromium (the Debian
package, driven by the ``playwright`` Python package; never ``playwright install``) serve every
notebook in turn. For each notebook the test

- opens it, clears the saved outputs and runs all cells, then waits for the kernel to go idle;
- asserts every code cell ran (a fresh execution count) and no cell shows an error or stderr;
- asserts every widget view rendered (as many as the committed notebook marks: it is saved without
  widget state, see scripts/notebooks.py) and every explorer shows its sliders, a figure and a readout;
- moves the learning-rate slider of every explorer with the keyboard (ArrowRight/ArrowLeft on the
  slider handle) and asserts that the figure changed, the slider's readout shows the new value and
  the explorer's text readout still reports a run;
- saves a screenshot of each explorer under test-output/browser/, then shuts the kernel down;
- on a 1366x768 laptop screen with the file browser open, in JupyterLab Light and in JupyterLab
  Dark, scrolls each explorer to the top of the notebook and asserts that its figure, its controls
  and its readout are visible together, that no slider label is cut off, that the figure is an
  opaque light picture and that the readout's and labels' text contrasts with the page; a
  screenshot of the screen per explorer and theme goes to test-output/screens/ (look at them);
- asserts the page never asked the server to write a file (the committed notebooks stay as built).

Without Chromium the test is skipped: ``apt-get install chromium`` (or ``chromium-headless-shell``).
Notebook 7 and Voila are tested in test_clients.py, static HTML and the course website in test_site.py.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import math
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import notebooks as builder  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SHOTS = ROOT / "test-output" / "browser"
SCREENS = ROOT / "test-output" / "screens"
#: A common laptop screen (issue 11): every explorer must fit it with the file browser open.
VIEWPORT = {"width": 1366, "height": 768}
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
#: WCAG 2 contrast ratios: 4.5 for text, 3 for large text (24 px, or 18.66 px bold; the readout's
#: bold messages are 12 px, so they need 4.5 too).
TEXT_CONTRAST, LARGE_CONTRAST = 4.5, 3.0
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
CHROMIUM = ("/usr/lib/chromium/chromium", "/usr/lib/chromium/headless_shell", "chromium-headless-shell",
            "chromium", "chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions"]
# JupyterLab settings for the test server only: never save (the committed notebooks stay as
# built), render every cell (no virtual scrolling that leaves outputs out of the page), no news.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
}
KEY_PRESSES = 5

pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks built yet")


def find_chromium() -> str | None:
    """The system's Chromium: $GDVIZ_CHROMIUM if set (only that), else the Debian package's binary."""
    override = os.environ.get("GDVIZ_CHROMIUM")
    for name in [override] if override else CHROMIUM:
        path = shutil.which(name) or (name if os.access(name, os.X_OK) else None)
        if path:
            return path
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(server: subprocess.Popen) -> None:
    """End a Jupyter server: politely, then by force after 20 s."""
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.fixture(scope="module")
def chromium():
    """The browser and its driver, or a skip that says how to get them (before a server starts)."""
    path = find_chromium()
    if path is None:
        pytest.skip("no Chromium for the browser test: install it with `apt-get install chromium` "
                    "(Debian/Ubuntu) or set GDVIZ_CHROMIUM to a Chromium binary")
    pytest.importorskip("playwright.sync_api", reason="the browser test needs `pip install playwright`")
    return path


@pytest.fixture(scope="module")
def lab(chromium, tmp_path_factory):
    """A JupyterLab server on the repository; yields its base URL and token."""
    tmp = tmp_path_factory.mktemp("lab")
    for plugin, values in LAB_SETTINGS.items():
        path = tmp / "settings" / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_PLATFORM_DIRS="1", JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
               JUPYTER_CONFIG_DIR=str(tmp / "config"), MPLBACKEND="module://matplotlib_inline.backend_inline")
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               "--ServerApp.port_retries=0", f"--ServerApp.token={token}", f"--IdentityProvider.token={token}",
               "--LabApp.expose_app_in_browser=True", f"--ServerApp.root_dir={ROOT}",
               f"--LabApp.user_settings_dir={tmp / 'settings'}", f"--LabApp.workspaces_dir={tmp / 'workspaces'}",
               # opening a notebook makes JupyterLab save a first checkpoint: keep it out of the repository
               f"--FileCheckpoints.root_dir={tmp / 'checkpoints'}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = (tmp / "lab.log").open("w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"jupyter lab exited with {server.returncode}:\n{(tmp / 'lab.log').read_text()[-3000:]}")
            try:
                urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"jupyter lab did not answer in 60 s:\n{(tmp / 'lab.log').read_text()[-3000:]}")
                time.sleep(0.2)
        yield url, token
    finally:
        stop(server)
        log.close()


@pytest.fixture(scope="module")
def page(chromium, lab):
    """One headless Chromium tab with JupyterLab loaded."""
    from playwright.sync_api import sync_playwright

    url, token = lab
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        tab = browser.new_page(viewport=VIEWPORT)
        # every write to the server's files (a save, a rename): the test must make none. The first
        # checkpoint JupyterLab takes when it opens a notebook is not a change to the notebook (and
        # goes to the temporary folder above), so it is allowed.
        tab.writes = []
        tab.on("request", lambda r: r.method != "GET" and "/api/contents" in r.url
               and not r.url.split("?")[0].endswith("/checkpoints")
               and tab.writes.append(f"{r.method} {r.url.split('?')[0]}"))
        tab.set_default_timeout(60_000)
        tab.goto(f"{url}/lab?reset&token={token}")
        tab.wait_for_function("() => window.jupyterapp && window.jupyterapp.started !== undefined")
        tab.evaluate("() => window.jupyterapp.started")  # a promise: resolves once the shell is ready
        tab.evaluate("() => window.jupyterapp.restored")
        # the file browser open, as a learner has it: it takes its share of the 1366 px
        tab.evaluate("() => window.jupyterapp.shell.activateById('filebrowser')")
        tab.wait_for_function("() => document.getElementById('filebrowser')?.offsetWidth > 100")
        yield tab
        browser.close()


# JavaScript run in the page. `jupyterapp` is the JupyterLab application (expose_app_in_browser).
OPEN = """async (path) => {
    const app = window.jupyterapp;
    const panel = await app.commands.execute('docmanager:open', {path, factory: 'Notebook'});
    await panel.context.ready;
    await panel.sessionContext.ready;
    app.shell.activateById(panel.id);
    window._gdvizPanel = panel;
}"""
RUN_ALL = """async () => {
    const app = window.jupyterapp, panel = window._gdvizPanel;
    await app.commands.execute('notebook:clear-all-cell-outputs');
    await app.commands.execute('notebook:run-all-cells');
}"""
KERNEL_IDLE = """() => {
    const panel = window._gdvizPanel, kernel = panel.sessionContext.session?.kernel;
    return kernel?.status === 'idle' &&
        !Array.from(panel.node.querySelectorAll('.jp-InputPrompt')).some(p => p.textContent.includes('*'));
}"""
CELLS = """() => window._gdvizPanel.content.widgets.filter(c => c.model.type === 'code').map(c => ({
    count: c.model.executionCount,
    source: c.model.sharedModel.getSource().slice(0, 80),
    errors: c.model.outputs.toJSON().filter(o => o.output_type === 'error' ||
                                                 (o.output_type === 'stream' && o.name === 'stderr'))
                           .map(o => o.ename ? `${o.ename}: ${o.evalue}` : o.text.slice(0, 300)),
    widgets: c.model.outputs.toJSON().filter(o => o.data && o.data['""" + WIDGET_MIME + """']).length,
}))"""
PROBLEMS = """() => {
    const node = window._gdvizPanel.node, problems = [];
    const stderr = '[data-mime-type="application/vnd.jupyter.stderr"], [data-mime-type*="error"]';
    for (const e of node.querySelectorAll(stderr))
        problems.push(e.innerText.slice(0, 300));
    for (const e of node.querySelectorAll('.jupyter-widgets'))
        if (/Error displaying widget|Loading widget\\.\\.\\./.test(e.innerText) && !e.querySelector('.jupyter-widgets'))
            problems.push(e.innerText.slice(0, 300));
    return problems;
}"""
# An explorer is the VBox around a widget Output: sliders on top, the Output, an HTML readout.
EXPLORERS = """() => Array.from(window._gdvizPanel.node.querySelectorAll('.jp-OutputArea-output .widget-output'))
    .map(out => out.parentElement).map(box => ({
        sliders: Array.from(box.querySelectorAll('.widget-slider')).filter(s => s.offsetParent !== null)
                      .map(s => s.querySelector('.widget-label')?.textContent),
        img: (box.querySelector(':scope > .widget-output img')?.getAttribute('src') || '').slice(0, 40),
        imgWidth: box.querySelector(':scope > .widget-output img')?.naturalWidth || 0,
        readout: box.querySelector(':scope > .widget-html')?.innerText || '',
    }))"""
# a widget view's output area holds the widget's root element (ipywidgets 8 sets no mime type on it)
WIDGET_VIEWS = """() => Array.from(window._gdvizPanel.node.querySelectorAll('.jp-OutputArea-output'))
    .filter(e => e.querySelector(':scope > .jupyter-widgets')).length"""
# Run code in the notebook's kernel outside any cell and return what it printed.
KERNEL_RUN = """async (code) => {
    const future = window._gdvizPanel.sessionContext.session.kernel.requestExecute(
        {code, silent: false, store_history: false});
    let out = '';
    future.onIOPub = msg => { if (msg.header.msg_type === 'stream') out += msg.content.text; };
    await future.done;
    return out;
}"""
# The PNG each live explorer holds in the kernel: what its figure must show once the kernel is idle.
KERNEL_IMAGES = """
import gc as _gc, hashlib as _hashlib, gdviz.widgets as _widgets
print(*sorted({_hashlib.md5(_o.image).hexdigest() for _o in _gc.get_objects()
               if isinstance(_o, _widgets.Explorer)}))
"""
CLOSE = """async () => {
    const panel = window._gdvizPanel;
    await panel.sessionContext.shutdown();
    panel.dispose();
    window._gdvizPanel = undefined;
}"""

THEME = """async (theme) => {
    await window.jupyterapp.commands.execute('apputils:change-theme', {theme});
}"""
# An explorer scrolled to the top of the notebook, and where its parts are on the screen. The
# visible area is the window cut by every ancestor that clips (the notebook's scroller, the panel).
SCREEN = """(box) => {
    box.scrollIntoView({block: 'start'});
    const rect = e => { const r = e.getBoundingClientRect();
                        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
    let area = {left: 0, top: 0, right: window.innerWidth, bottom: window.innerHeight};
    for (let e = box.parentElement; e && e !== document.body; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (/(auto|scroll|hidden)/.test(style.overflowX + style.overflowY)) {
            const r = rect(e);
            area = {left: Math.max(area.left, r.left), top: Math.max(area.top, r.top),
                    right: Math.min(area.right, r.right), bottom: Math.min(area.bottom, r.bottom)};
        }
    }
    // the colour a text is seen on: the first ancestor with an opaque background
    const background = e => {
        for (; e; e = e.parentElement) {
            const c = getComputedStyle(e).backgroundColor;
            const alpha = c.startsWith('rgba') ? parseFloat(c.split(',')[3]) : 1;
            if (c !== 'transparent' && alpha > 0.5) return c;
        }
        return getComputedStyle(document.body).backgroundColor;
    };
    const large = e => {
        const style = getComputedStyle(e), size = parseFloat(style.fontSize);
        return size >= 24 || (size >= 18.66 && parseInt(style.fontWeight) >= 700);
    };
    const text = e => ({color: getComputedStyle(e).color, background: background(e), large: large(e),
                        what: e.innerText.trim().slice(0, 40)});
    const visible = e => e.offsetParent !== null && e.getBoundingClientRect().width > 0;
    const output = box.querySelector(':scope > .widget-output'), img = output.querySelector('img');
    const readout = box.querySelector(':scope > .widget-html');
    const controls = Array.from(box.querySelectorAll(
        '.widget-slider, .widget-dropdown, .widget-checkbox, .widget-toggle-buttons')).filter(visible);
    const labels = controls.map(c => c.querySelector('.widget-label')).filter(l => l && visible(l));
    const texts = [...labels, ...readout.querySelectorAll('pre')].map(text);
    texts.push(...Array.from(readout.querySelectorAll('pre span')).map(text));  // the messages
    return {
        area, figure: rect(img), output: rect(output), readout: rect(readout),
        controls: controls.map(c => ({...rect(c), what: c.innerText.trim().slice(0, 40)})),
        cut: labels.filter(l => l.scrollWidth > l.clientWidth + 1).map(l => l.innerText),
        texts, src: img.getAttribute('src'),
    };
}"""


def luminance(css: str) -> float:
    """WCAG relative luminance of a CSS rgb()/rgba() colour."""
    channels = [float(v) / 255 for v in re.findall(r"[\d.]+", css)[:3]]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS colours, from 1 (same) to 21 (black on white)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def set_theme(page, theme: str) -> None:
    page.evaluate(THEME, THEMES[theme])
    page.wait_for_function("(name) => document.body.dataset.jpThemeName === name", arg=THEMES[theme])
    page.wait_for_timeout(300)  # the theme's style sheet applies on the next frames


def check_screen(page, explorer, label: str) -> list[str]:
    """Scroll an explorer to the top of the notebook and list what a learner could not see or read."""
    from PIL import Image as PILImage

    s = page.evaluate(SCREEN, explorer.element_handle())
    page.wait_for_timeout(100)
    problems = []
    area = s["area"]

    def inside(box, what):
        gap = {side: round(box[side] - area[side]) if side in ("left", "top") else round(area[side] - box[side])
               for side in ("left", "top", "right", "bottom")}
        out = {side: -g for side, g in gap.items() if g < -1}
        if out:
            problems.append(f"{label}: {what} is cut off by {out} px (visible area {area})")

    inside(s["figure"], "the figure")
    inside(s["readout"], "the readout")
    for c in s["controls"]:
        inside(c, f"control {c['what']!r}")
    if s["figure"]["right"] > s["output"]["right"] + 1 or s["figure"]["bottom"] > s["output"]["bottom"] + 1:
        problems.append(f"{label}: the figure {s['figure']} overflows its output box {s['output']}")
    problems += [f"{label}: slider label {t!r} is cut off" for t in s["cut"]]
    for t in s["texts"]:
        need = LARGE_CONTRAST if t["large"] else TEXT_CONTRAST
        if contrast(t["color"], t["background"]) < need:
            problems.append(f"{label}: text {t['what']!r} in {t['color']} on {t['background']} has contrast "
                            f"{contrast(t['color'], t['background']):.2f} < {need}")
    # the figure's own text is dark on its own light background, whatever the page's theme
    if s["src"].startswith("data:image/png"):
        with PILImage.open(io.BytesIO(base64.b64decode(s["src"].split(",", 1)[1]))) as picture:
            pixels = np.asarray(picture.convert("RGBA"), dtype=float) / 255
        border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
        if pixels[..., 3].min() < 1:
            problems.append(f"{label}: the figure is not opaque (alpha down to {pixels[..., 3].min():.2f})")
        light = border[:, :3] @ [0.2126, 0.7152, 0.0722]
        if np.median(light) < 0.8:
            problems.append(f"{label}: the figure's background is dark (median border luminance "
                            f"{np.median(light):.2f})")
    return problems


def wait_idle(page, timeout: float = 180_000) -> None:
    page.wait_for_timeout(300)  # let queued requests reach the kernel before judging it idle
    page.wait_for_function(KERNEL_IDLE, timeout=timeout)


def number(text: str) -> float | None:
    try:
        return float(text.strip().replace("\u2212", "-"))
    except ValueError:
        return None


def position(handle) -> float:
    """Where a slider handle sits (noUiSlider rounds aria-valuenow to one decimal, not aria-valuetext)."""
    text = number(handle.get_attribute("aria-valuetext") or "")
    return float(handle.get_attribute("aria-valuenow")) if text is None else text


def move_slider(page, explorer, index: int, name: str) -> None:
    """Press arrow keys on the explorer's learning-rate slider (else its first) and check the effect."""
    sliders = explorer.locator(".widget-slider").filter(has=page.locator(".noUi-handle, .ui-slider-handle"))
    chosen = sliders.filter(has_text="learning rate")
    slider = (chosen if chosen.count() else sliders).first
    handle, readout = slider.locator(".noUi-handle, .ui-slider-handle").first, slider.locator(".widget-readout")
    figure, text = explorer.locator(":scope > .widget-output img"), explorer.locator(":scope > .widget-html")
    before = {"img": figure.get_attribute("src"), "readout": readout.inner_text(), "text": text.inner_text()}
    now, top = position(handle), float(handle.get_attribute("aria-valuemax"))
    key = "ArrowLeft" if now >= top else "ArrowRight"
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(KEY_PRESSES):
        handle.press(key)
    label = f"{name}, explorer {index + 1}, slider {slider.locator('.widget-label').inner_text()!r}"
    try:
        # the Output may replace its img element or only its src: look it up afresh each time
        page.wait_for_function("([box, old]) => { const img = box.querySelector(':scope > .widget-output img');"
                               " return img && img.getAttribute('src') !== old; }",
                               arg=[explorer.element_handle(), before["img"]], timeout=30_000)
    except Exception:
        pytest.fail(f"{label}: the figure did not change in 30 s after {key} x {KEY_PRESSES} "
                    f"(handle moved from {now} to {position(handle)})")
    wait_idle(page)
    page.wait_for_timeout(500)
    after = {"img": figure.get_attribute("src"), "readout": readout.inner_text(), "text": text.inner_text()}
    assert after["img"] != before["img"], f"{label}: the figure did not change"
    assert after["readout"] != before["readout"], f"{label}: the readout still shows {before['readout']}"
    shown, aria = number(after["readout"]), position(handle)
    # a plain slider's handle sits at its value, a log slider's at the exponent (the readout shows
    # 10 ** exponent), a selection slider's at an index (then the explorer's readout names the value)
    stated = [number(n) for n in re.findall(r"[-\u2212]?\d+(?:\.\d+)?(?:e[-+]?\d+)?", after["text"])]
    assert shown is not None and any(math.isclose(shown, v, rel_tol=0.01, abs_tol=1e-9)
                                     for v in (aria, 10**aria, *stated)), \
        f"{label}: readout {after['readout']} is neither the slider's position {aria} nor in {after['text']!r}"
    assert aria != now, f"{label}: {key} x {KEY_PRESSES} did not move the slider"
    # after quick moves the figure shown must be the kernel's last one, not an earlier frame
    shown_png = hashlib.md5(base64.b64decode(after["img"].split(",", 1)[1])).hexdigest()
    assert shown_png in page.evaluate(KERNEL_RUN, KERNEL_IMAGES).split(), \
        f"{label}: the figure shown is not the explorer's current figure (a stale frame after quick moves)"
    # the text readout is recomputed too, but a converged run may read the same as before
    assert after["text"].strip() and not after["text"].startswith("not run"), f"{label}: readout {after['text']!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_explorers_respond_in_jupyterlab(page, path):
    # the committed notebook keeps no widget state, but marks the outputs that were widget views
    expected_widgets = sum(1 for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"
                           for o in c.outputs if builder.is_widget_output(o))
    name = path.stem
    for folder in (SHOTS, SCREENS):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{name}*.png"):
            old.unlink()
    page.evaluate(OPEN, path.relative_to(ROOT).as_posix())
    try:
        page.wait_for_function(KERNEL_IDLE)
        page.evaluate(RUN_ALL)
        wait_idle(page)

        cells = page.evaluate(CELLS)
        errors = [f"{c['source']!r}: {e}" for c in cells for e in c["errors"]]
        assert not errors, f"{name}: cells failed or wrote to stderr:\n" + "\n".join(errors)
        counts = [c["count"] for c in cells]
        assert counts == list(range(1, len(cells) + 1)), f"{name}: not every cell ran in order: {counts}"
        assert sum(c["widgets"] for c in cells) == expected_widgets, \
            f"{name}: the run displayed a different number of widgets than the committed notebook"

        # the widget views render asynchronously after the kernel went idle
        deadline = time.monotonic() + 60
        while True:
            explorers, views = page.evaluate(EXPLORERS), page.evaluate(WIDGET_VIEWS)
            if views >= expected_widgets and explorers and all(e["imgWidth"] for e in explorers):
                break
            assert time.monotonic() < deadline, \
                f"{name}: widgets did not render in 60 s: {views} of {expected_widgets} views, explorers {explorers}"
            page.wait_for_timeout(250)
        assert not page.evaluate(PROBLEMS), f"{name}: the page shows errors: {page.evaluate(PROBLEMS)}"
        for i, e in enumerate(explorers):
            assert e["sliders"], f"{name}, explorer {i + 1}: no sliders rendered"
            assert e["img"].startswith(("data:image/png", "blob:")) and e["imgWidth"] > 100, \
                f"{name}, explorer {i + 1}: no figure rendered"
            assert e["readout"].strip(), f"{name}, explorer {i + 1}: empty readout"

        boxes = page.locator(".jp-OutputArea-output .widget-output").locator("xpath=..")
        assert boxes.count() == len(explorers)
        # each explorer on a laptop screen, in the theme the page has first (one switch saved)
        current = "dark" if page.evaluate("() => document.body.dataset.jpThemeLight") == "false" else "light"
        unseen = []
        for theme in sorted(THEMES, key=lambda t: t != current):
            set_theme(page, theme)
            for i in range(boxes.count()):
                unseen += check_screen(page, boxes.nth(i), f"{name}, explorer {i + 1}, {theme}")
                page.screenshot(path=SCREENS / f"{name}_explorer{i + 1}_{theme}.png")
        for i in range(boxes.count()):
            try:
                move_slider(page, boxes.nth(i), i, name)
            finally:
                boxes.nth(i).screenshot(path=SHOTS / f"{name}_explorer{i + 1}.png")
        assert not page.evaluate(PROBLEMS), f"{name}: moving a slider showed errors: {page.evaluate(PROBLEMS)}"
        page.screenshot(path=SHOTS / f"{name}.png")
        assert not unseen, f"{name}: explorers do not fit or read on a 1366x768 screen:\n" + "\n".join(unseen)
    finally:
        page.evaluate(CLOSE)
    assert not page.writes, f"{name}: JupyterLab wrote to the repository: {page.writes}"


def test_chromium_finder_honours_the_override(monkeypatch, tmp_path):
    fake = tmp_path / "my-chromium"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("GDVIZ_CHROMIUM", str(fake))
    assert find_chromium() == str(fake)
    monkeypatch.setenv("GDVIZ_CHROMIUM", str(tmp_path / "no-such-browser"))
    assert find_chromium() is None
