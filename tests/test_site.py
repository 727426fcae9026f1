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

import base64
import functools
import hashlib
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
import readme  # noqa: E402

import notebooks as builder  # noqa: E402

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


# ------------------------------------------------------------------ the course website

SITE = Path(os.environ["GDVIZ_SITE"]).resolve() if os.environ.get("GDVIZ_SITE") else None
needs_site = pytest.mark.skipif(SITE is None, reason="the website is built and tested by `make test-site`")
MATHS = re.compile(r"\$[^$\s][^$]*\$|\\begin\{")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # the test reports what matters itself
        pass


@pytest.fixture(scope="module")
def site():
    """The built website served on 127.0.0.1 (a random free port); yields its base URL."""
    assert (SITE / "index.html").exists(), f"{SITE}/index.html is missing: run `make site`"
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(SITE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def open_page(browser, url: str):
    tab = offline_page(browser)
    tab.requests = []
    tab.on("request", lambda r: tab.requests.append(r.url))
    tab.failed = []
    tab.on("requestfailed", lambda r: tab.failed.append(r.url))
    tab.on("response", lambda r: r.status >= 400 and tab.failed.append(f"{r.status} {r.url}"))
    tab.goto(url, wait_until="networkidle")
    return tab


@needs_site
def test_front_page_is_the_readme_table_in_course_order(browser, site):
    tab = open_page(browser, f"{site}/index.html")
    try:
        assert tab.locator("h1").first.inner_text().startswith(readme.README.read_text().splitlines()[0][2:10])
        rows = tab.locator("table tbody tr")
        assert rows.count() == len(NOTEBOOKS)
        for i, path in enumerate(NOTEBOOKS):
            row = rows.nth(i)
            title = readme.title(nbformat.read(path, as_version=4))
            link = row.locator(f"a[href='notebooks/{path.stem}.html']")
            assert link.count() == 1 and title in link.first.inner_text(), f"row {i + 1} does not link {path.stem}"
            rel = f"notebooks/{path.name}"
            assert row.locator(f"a[href='{builder.colab_url(rel)}']").count() == 1, f"row {i + 1}: no Colab link"
            assert row.locator(f"a[href='{readme.binder_url(rel)}']").count() == 1, f"row {i + 1}: no Binder link"
        # the sidebar lists the notebooks in course order
        nav = [a.get_attribute("href") for a in tab.locator(".sidebar-tree a.reference").all()]
        assert nav == [f"notebooks/{p.stem}.html" for p in NOTEBOOKS]
        check_figures_visible(tab, None, "front page")
        assert tab.evaluate("() => document.querySelectorAll('img').length") > len(NOTEBOOKS)
        assert not tab.blocked, f"the front page asked other hosts for {tab.blocked}"
        assert not tab.failed, f"the front page failed to load {tab.failed}"
    finally:
        tab.close()


@needs_site
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_notebook_page_shows_figures_and_maths_offline(browser, site, path):
    nb = nbformat.read(path, as_version=4)
    tab = open_page(browser, f"{site}/notebooks/{path.stem}.html")
    try:
        assert tab.locator("h1").first.inner_text().strip().rstrip("#¶ ").startswith(nb.cells[0].source[2:12])
        rel = f"notebooks/{path.name}"
        assert tab.locator(f"article a[href='{builder.colab_url(rel)}']").count() >= 1, "no Colab link"
        assert tab.locator(f"article a[href='{readme.binder_url(rel)}']").count() >= 1, "no Binder link"

        # every figure the notebook saved is on the page and drawn
        saved = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs
                    if "image/png" in o.get("data", {}) and "text/html" not in o.data)
        figures = tab.locator(".cell_output img")
        assert figures.count() >= saved, f"{figures.count()} figures on the page, the notebook saved {saved}"
        tab.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
        check_figures_visible(tab, None, path.stem)
        # the explorers show their saved figure, not sliders (MyST-NB names an image by its SHA-256)
        code = [c for c in nb.cells if c.cell_type == "code"]
        for i in widget_cells(nb):
            for out in (o for o in code[i].outputs if builder.is_widget_output(o)):
                digest = hashlib.sha256(base64.b64decode(out.data["image/png"])).hexdigest()
                figure = tab.locator(f".cell_output img[src$='{digest}.png']")
                assert figure.count() == 1, f"the explorer of code cell {i + 1} does not show its saved figure"
                assert figure.evaluate("img => img.naturalWidth") > 300
        assert tab.locator(LIVE_WIDGETS).count() == 0, "the page shows widgets that no kernel drives"
        animations = sum(1 for c in nb.cells if c.cell_type == "code" for o in c.outputs
                         if "Animation(frames" in o.get("data", {}).get("text/html", ""))
        if animations:  # a JavaScript animation plays from the page itself
            first = tab.locator(".anim-slider").first
            before = tab.locator("img[id^='_anim_img']").first.get_attribute("src")
            tab.locator("button[title='Next frame']").first.click()
            assert first.input_value() == "1"
            assert tab.locator("img[id^='_anim_img']").first.get_attribute("src") != before

        # maths: typeset by the bundled MathJax, no TeX source left, no MathJax error
        markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
        if MATHS.search(markdown):
            tab.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
            tab.evaluate("() => MathJax.startup.promise")
            typeset = tab.locator("mjx-container svg")
            assert typeset.count() >= len(MATHS.findall(markdown)) // 2, "maths is not typeset"
            assert tab.locator("mjx-merror, [data-mjx-error]").count() == 0, "MathJax could not typeset a formula"
            assert typeset.first.bounding_box()["width"] > 0
        assert any(u.startswith(site) and "/_static/mathjax/" in u for u in tab.requests) or not MATHS.search(markdown)
        assert not tab.blocked, f"{path.stem}: the page asked other hosts for {tab.blocked}"
        assert not tab.failed, f"{path.stem}: requests failed: {tab.failed}"
    finally:
        tab.close()


@needs_site
def test_no_page_of_the_site_names_a_remote_script_style_or_font():
    """Every page, searched as text: a script, stylesheet or font from another host would load online."""
    remote = re.compile(r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=[\"']((?:https?:)?//[^\"']+)",
                        re.IGNORECASE)
    found = {}
    for page in SITE.rglob("*.html"):
        hits = [h for h in remote.findall(page.read_text(encoding="utf-8", errors="ignore"))
                if urlsplit(h if "://" in h else f"http:{h}").hostname not in LOCAL_HOSTS]
        if hits:
            found[page.relative_to(SITE).as_posix()] = hits
    assert not found, f"pages that load from other hosts: {found}"
    css = [p for p in SITE.rglob("*.css") if re.search(r"@import\s+url\(\s*[\"']?https?:|url\(\s*[\"']?https?://",
                                                        p.read_text(errors="ignore"))]
    assert not css, f"stylesheets that load from other hosts: {css}"
