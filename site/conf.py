"""Sphinx configuration of the course website (built by ``make site``, see site/build.py).

Sphinx with MyST-NB reads the staged notebooks with their committed outputs (never executing
them) and the front page made from the README. Everything a page needs is served from the site
itself: MathJax comes from the ``sphinx-mathjax-offline`` package (a copy of MathJax 3 on PyPI),
the theme (furo) uses the system's fonts, and no widget or font scripts are loaded from a CDN.
"""

from __future__ import annotations

import shutil
from importlib import util
from pathlib import Path

project = "gdviz: see gradient descent work"
author = "the gdviz authors"
copyright = "the gdviz authors, MIT licence"

extensions = ["myst_nb"]
root_doc = "index"
exclude_patterns = ["_build", "**/.ipynb_checkpoints"]
html_theme = "furo"
html_title = "gdviz: a course on gradient descent"
html_static_path = ["_static"]
html_css_files = ["gdviz.css"]
html_show_sourcelink = False
html_copy_source = False

# the notebooks are shown as committed: executed in order, with their figures and animations
nb_execution_mode = "off"
nb_ipywidgets_js: dict = {}  # no widget manager from a CDN: explorers show their saved figure
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type", "myst.header"]

# MathJax 3 from the installed package, copied into the site (no CDN), SVG output (no web fonts)
mathjax_path = "mathjax/tex-svg.js"


def _copy_mathjax(app, exception) -> None:
    if exception is not None:
        return
    spec = util.find_spec("sphinx-mathjax-offline")
    if spec is None or spec.origin is None:
        raise RuntimeError("the site needs MathJax from `pip install sphinx-mathjax-offline` (requirements-site.txt)")
    source = Path(spec.origin).parent / "static" / "mathjax"
    shutil.copytree(source, Path(app.outdir) / "_static" / "mathjax", dirs_exist_ok=True)


def setup(app) -> None:
    app.connect("build-finished", _copy_mathjax)
