"""Build the course website into build/site (``make site``), without executing anything.

The notebooks are published as they are committed (executed, with their figures, animations
and the explorers' saved PNGs). This script stages what Sphinx reads in build/site-src:

- ``index.md``: the README's introduction and notebook table (the front page), followed by a
  hidden table of contents in course order that gives every page its navigation;
- ``notebooks/NN_name.ipynb``: copies of the committed notebooks whose Colab badge (an image on
  another site) becomes plain links to the page's Colab and Binder versions, and whose
  animations no longer ask a CDN for the Font Awesome icons (site/_static/gdviz.css draws them),
  and whose set-up cell is folded (it matters to a learner who runs the notebook);
- the images the front page shows (images/, notebooks/thumbnails/).

Then it runs Sphinx (site/conf.py) into build/site. Nothing is fetched from the network.

    python site/build.py            # build/site/index.html
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import readme  # noqa: E402

import notebooks as builder  # noqa: E402

SITE = ROOT / "site"
STAGE = ROOT / "build" / "site-src"
OUT = ROOT / "build" / "site"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BADGE_LINK = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\(([^)]*)\)")


def run_links(path: str) -> str:
    """Markdown links to the Colab and Binder versions of a notebook (text, no remote images)."""
    return (f"Run this page: [open in Colab]({builder.colab_url(path)}) · "
            f"[launch on Binder]({readme.binder_url(path)})")


def front_page() -> str:
    """The README up to the end of its notebook table, with the badges as text links."""
    text = readme.README.read_text(encoding="utf-8")
    head, table = text.split(readme.START, 1)
    table, tail = table.split(readme.END, 1)
    after = tail.split("\n## ", 1)[0]  # the paragraph that explains the table
    rows = []
    for line in table.strip().splitlines():
        match = re.search(r"\]\((notebooks/[0-9][0-9]_[^)]+\.ipynb)\)", line)
        if match and BADGE_LINK.search(line):
            cells = line.split(" | ")
            cells[3] = (f"[Colab]({builder.colab_url(match.group(1))}) · "
                        f"[Binder]({readme.binder_url(match.group(1))})")
            line = " | ".join(cells)
        rows.append(line)
    toc = "\n".join(f"notebooks/{p.stem}" for p in NOTEBOOKS)
    return (f"{head.rstrip()}\n\n" + "\n".join(rows) + f"\n{after.rstrip()}\n\n"
            f"```{{toctree}}\n:hidden:\n:caption: The course\n:maxdepth: 1\n\n{toc}\n```\n")


def stage_notebook(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    rel = f"notebooks/{path.name}"
    title = nb.cells[0]
    lines = [run_links(rel) if builder.BADGE_MARK in line else line for line in title.source.splitlines()]
    if not any(line.startswith("Run this page:") for line in lines):
        lines[1:1] = ["", run_links(rel)]
    title.source = "\n".join(lines)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith(builder.SETUP_MARK):
            # the set-up cell matters to a learner who runs the notebook, not to a reader: fold it
            cell.metadata.setdefault("tags", []).append("hide-input")
    nbformat.write(nb, STAGE / "notebooks" / path.name)


def stage() -> None:
    if STAGE.exists():
        shutil.rmtree(STAGE)
    (STAGE / "notebooks").mkdir(parents=True)
    (STAGE / "index.md").write_text(front_page(), encoding="utf-8")
    for path in NOTEBOOKS:
        stage_notebook(path)
    shutil.copytree(ROOT / "notebooks" / "thumbnails", STAGE / "notebooks" / "thumbnails")
    shutil.copytree(ROOT / "images", STAGE / "images")


def main(argv: list[str]) -> int:
    from sphinx.cmd.build import build_main

    start = time.perf_counter()
    stage()
    # -W: a broken link or a missing image fails the build; -E: no stale pages from an earlier build
    status = build_main(["-b", "html", "-q", "-W", "--keep-going", "-E", "-j", "auto",
                         "-c", str(SITE), str(STAGE), str(OUT), *argv])
    if status == 0:
        print(f"{OUT.relative_to(ROOT)}/index.html: {len(NOTEBOOKS)} notebooks built in "
              f"{time.perf_counter() - start:.1f} s")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
