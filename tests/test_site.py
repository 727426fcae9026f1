"""Static pages of the course, read with the network cut off.

Two kinds of static page, each opened in headless Chromium (the Debian package, driven by
playwright, as in test_browser.py) with every request outside 127.0.0.1 aborted:

- every committed notebook exported by ``jupyter nbconvert --to html``: each explorer's saved
  figure is visible and no slider is shown (a slider there would move nothing);
- the course website that ``make site`` builds into build/site: every notebook is a page with
  its figures and typeset maths, the README's table is the front page, the pages link to their
  Colab and Binder versions and no request leaves the machine. The website is built by
  ``make test-site``, which runs this file with GDVIZ_SITE pointing at the build; without it
  those tests are skipped.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest
from test_browser import CHROMIUM_ARGS, NOTEBOOKS, ROOT, chromium  # noqa: F401  (chromium is a fixture)

sys.path.insert(0, str(ROOT / "scripts"))
import notebooks as builder  # noqa: E402
import readme  # noqa: E402

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# what a static page must not show: a slider or any other widget view that no kernel drives (the
# slider of a matplotlib JavaScript animation, class anim-slider, runs in the page and is fine)
LIVE_WIDGETS = ("input[type=range]:not(.anim-slider), .widget-slider, .jupyter-widgets, .noUi-target, "
                "script[type='application/vnd.jupyter.widget-view+json'], "
                "script[type='application/vnd.jupyter.widget-state+json']")
IMAGES = """(root) => Array.from((root || document).querySelectorAll('img')).map(img => {
    const box = img.getBoundingClientRect(), style = getComputedStyle(img);
    return {src: img.getAttribute('src').slice(0, 60), natural: img.naturalWidth, width: box.width,
            height: box.height, visible: style.visibility !== 'hidden' && style.display !== 'none'};
})"""


def offline_page(browser):
    """A new tab whose requests outside 127.0.0.1 (and file:/data:) are aborted and recorded."""
    tab = browser.new_page(viewport={"width": 1366, "height": 768})
    tab.blocked = []

    def route(r):
        url = urlsplit(r.request.url)
        if url.scheme in {"data", "file", "blob"} or url.hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            tab.blocked.append(r.request.url)
            r.abort()

    tab.route("**/*", route)
    tab.set_default_timeout(30_000)
    return tab


@pytest.fixture(scope="module")
def browser(chromium):  # noqa: F811  (the fixture imported above)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()


def widget_cells(nb: nbformat.NotebookNode) -> list[int]:
    """Indices (among code cells) of the cells whose saved output was a widget view."""
    code = [c for c in nb.cells if c.cell_type == "code"]
    return [i for i, c in enumerate(code) if any(builder.is_widget_output(o) for o in c.outputs)]


def check_figures_visible(tab, root, label: str) -> int:
    # badges from other sites (Colab, Binder) cannot load offline; they are links, not figures
    images = [i for i in tab.evaluate(IMAGES, root) if not re.match(r"https?://(?!127\.0\.0\.1|localhost)", i["src"])]
    broken = [i for i in images if not (i["natural"] > 0 and i["width"] > 0 and i["height"] > 0 and i["visible"])]
    assert not broken, f"{label}: images not shown: {broken}"
    return len(images)


# ------------------------------------------------------------------ nbconvert's HTML


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_nbconvert_html_shows_every_explorer_figure_offline(browser, path, tmp_path):
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, f"{path.name} is committed with widget state: run notebooks.py strip"
    explorers = widget_cells(nb)
    assert explorers, f"{path.name}: no explorer output found"
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    page = tmp_path / f"{path.stem}.html"
    page.write_text(body, encoding="utf-8")

    tab = offline_page(browser)
    try:
        tab.goto(page.as_uri(), wait_until="load")
        cells = tab.locator(".jp-Cell.jp-CodeCell")
        assert cells.count() == sum(1 for c in nb.cells if c.cell_type == "code")
        for i in explorers:
            cell = cells.nth(i)
            cell.scroll_into_view_if_needed()
            outputs = cell.locator(".jp-OutputArea-output")
            assert outputs.count(), f"{path.name}, code cell {i + 1}: the explorer has no output"
            shown = check_figures_visible(tab, cell.element_handle(), f"{path.name}, code cell {i + 1}")
            assert shown >= 1, f"{path.name}, code cell {i + 1}: the explorer's saved figure is not shown"
            big = tab.evaluate("(c) => Math.max(...Array.from(c.querySelectorAll('img')).map(i => i.naturalWidth))",
                               cell.element_handle())
            assert big > 300, f"{path.name}, code cell {i + 1}: the explorer shows only a {big} px image"
        check_figures_visible(tab, None, path.name)
        live = tab.locator(LIVE_WIDGETS)
        assert live.count() == 0, f"{path.name}: the static page shows {live.count()} widget elements that move nothing"
    finally:
        tab.close()
