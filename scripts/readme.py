"""Write the notebook table of README.md from the notebooks themselves.

Each row gets the notebook's title (its H1), what it teaches, Open-in-Colab and Binder
badges built from the one repository setting, and a thumbnail cut from one of the
notebook's own figures (saved in notebooks/thumbnails/). The table sits between two
marker comments in README.md; so do the teachers' links (a JupyterHub nbgitpuller link,
Binder and Colab links for the whole course). Everything else in the README is written by hand.

    python scripts/readme.py          # rewrite the table and the thumbnails
    python scripts/readme.py check    # exit 1 if the table or the teachers' links are out of date
"""

from __future__ import annotations

import base64
import io
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

import nbformat
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import notebooks  # noqa: E402

ROOT = notebooks.ROOT
README = ROOT / "README.md"
THUMBS = ROOT / "notebooks" / "thumbnails"
START, END = "<!-- notebooks:start -->", "<!-- notebooks:end -->"
CLASS_START, CLASS_END = "<!-- class-links:start -->", "<!-- class-links:end -->"
HUB = "https://<your-hub>"  # the teacher's JupyterHub: the one part of the link we cannot know
BINDER_BADGE = "https://mybinder.org/badge_logo.svg"

#: What a learner takes away from each notebook, in one line.
SUMMARIES = {
    "01": "The update rule, why steps shrink near a minimum, which learning rates crawl, converge, bounce or "
          "diverge (the 2/f'' edge), and why that edge holds near any smooth minimum.",
    "02": "Gradients in two variables, sympy once vs evalf every step, basins of attraction, and the "
          "stability edge in 2-D from the Hessian's eigenvalues.",
    "03": "Sweeps over starts, rates and epochs as single vectorised calls; the rate x epochs budget and "
          "gradient flow behind it.",
    "04": "Gradient-scaled and decaying rates, step, exponential, cosine and warm-up schedules, and "
          "gradient descent's route to chaos.",
    "05": "Plateaus and cliffs, gradients that vanish or explode layer by layer (and what bounds them), "
          "remedies measured, a deep sigmoid network that will not train.",
    "06": "Ten optimizers from GD to AdamW, Lion and Newton: a fair race on held-out starts, momentum's rate "
          "in theory and simulation, noisy gradients.",
    "07": "Linear regression on data: batch, stochastic and mini-batch updates, and why SGD needs decay.",
    "08": "Restarts, momentum, noise, simulated annealing and Adam: who reaches the global minimum.",
    "09": "The capstone: a network trained on handwritten digits by hand and by gdviz, a fair optimizer race, "
          "range test and schedules, loss landscapes and the edge of stability.",
}

#: Which of a notebook's figures makes the best thumbnail (index among its PNG outputs).
THUMBNAIL_FIGURE = {"01": 4, "02": 1, "03": 1, "04": 6, "05": 9, "06": 1, "07": 0, "08": 2, "09": 8}
THUMB_BOX = (240, 170)  # width, height


def binder_url(path: str, slug: str | None = None) -> str:
    return f"https://mybinder.org/v2/gh/{slug or notebooks.repository()}/main?urlpath=lab/tree/{path}"


def nbgitpuller_url(hub: str = HUB, slug: str | None = None, first: str = "notebooks/01_gradient_descent_1d.ipynb",
                    ) -> str:
    """A JupyterHub link that clones (or updates) the course into each learner's home and opens it.

    nbgitpuller puts the repository in a folder named after it and never overwrites a learner's
    own changes when it pulls again.
    """
    slug = slug or notebooks.repository()
    folder = slug.split("/")[1]
    query = urlencode({"repo": f"https://github.com/{slug}", "branch": "main",
                       "urlpath": f"lab/tree/{folder}/{first}"}, quote_via=quote, safe="")
    return f"{hub}/hub/user-redirect/git-pull?{query}"


def class_links(slug: str | None = None) -> str:
    """The teachers' links, all made from the repository setting."""
    slug = slug or notebooks.repository()
    return "\n".join([
        f"- **JupyterHub:** `{nbgitpuller_url(slug=slug)}` (put your hub's address in place of",
        "  `https://<your-hub>`; the hub needs `nbgitpuller` and the course's requirements, with gdviz",
        f"  installed by `pip install git+https://github.com/{slug}.git`).",
        f"- **Binder, the whole course:** [launch JupyterLab on the notebooks folder]"
        f"(https://mybinder.org/v2/gh/{slug}/main?urlpath=lab/tree/notebooks).",
        f"- **Colab:** each row of the table has its link; the course starts with [notebook 01 in Colab]"
        f"(https://colab.research.google.com/github/{slug}/blob/main/notebooks/01_gradient_descent_1d.ipynb).",
    ])


def title(nb: nbformat.NotebookNode) -> str:
    heading = nb.cells[0].source.splitlines()[0]
    return re.sub(r"^#\s*\d+\s*·\s*", "", heading).strip()


def figures(nb: nbformat.NotebookNode) -> list[bytes]:
    return [base64.b64decode(out.data["image/png"]) for cell in nb.cells if cell.cell_type == "code"
            for out in cell.outputs if "image/png" in out.get("data", {})]


def thumbnail(png: bytes, target: Path) -> None:
    with Image.open(io.BytesIO(png)) as im:
        im = im.convert("RGB")
        im.thumbnail(THUMB_BOX, Image.LANCZOS)
        buffer = io.BytesIO()
        im.save(buffer, format="PNG", optimize=True)
    if not target.exists() or target.read_bytes() != buffer.getvalue():
        target.write_bytes(buffer.getvalue())


def table(write_thumbnails: bool = False) -> str:
    rows = ["| # | notebook | what you learn | open | preview |", "|---|---|---|---|---|"]
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        number, rel = path.name[:2], f"notebooks/{path.name}"
        nb = nbformat.read(path, as_version=4)
        thumb = THUMBS / f"{path.stem}.png"
        if write_thumbnails:
            pngs = figures(nb)
            if pngs:
                thumbnail(pngs[min(THUMBNAIL_FIGURE.get(number, 0), len(pngs) - 1)], thumb)
        preview = f"![preview of notebook {number}](notebooks/thumbnails/{thumb.name})" if thumb.exists() else ""
        badges = f"{notebooks.badge(rel)}<br>[![Binder]({BINDER_BADGE})]({binder_url(rel)})"
        rows.append(f"| {number} | [{title(nb)}]({rel}) | {SUMMARIES.get(number, '')} | {badges} | {preview} |")
    return "\n".join(rows)


def current(start: str = START, end: str = END) -> str:
    text = README.read_text(encoding="utf-8")
    if start not in text or end not in text:
        raise SystemExit(f"README.md: the markers {start} and {end} are missing")
    return text.split(start, 1)[1].split(end, 1)[0].strip("\n")


def replace(text: str, start: str, end: str, block: str) -> str:
    head, rest = text.split(start, 1)
    return f"{head}{start}\n{block}\n{end}{rest.split(end, 1)[1]}"


def main(argv: list[str]) -> int:
    if argv[:1] == ["check"]:
        stale = current() != table() or current(CLASS_START, CLASS_END) != class_links()
        print("README.md: the notebook table or the teachers' links are out of date; run `make badges`" if stale
              else "README table and teachers' links are current")
        return int(stale)
    THUMBS.mkdir(exist_ok=True)
    text = replace(README.read_text(encoding="utf-8"), START, END, table(write_thumbnails=True))
    if CLASS_START in text:
        text = replace(text, CLASS_START, CLASS_END, class_links())
    README.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
