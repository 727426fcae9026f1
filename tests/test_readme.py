"""README.md is the course's front page: every link and image in it must lead somewhere.

Relative links and images (Markdown, reference-style and HTML) must name files that exist, and
in-page anchors must name a heading. Colab and Binder links are absolute but point into this
repository: they must use the repository setting and name a notebook that exists.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
sys.path.insert(0, str(ROOT / "scripts"))
import notebooks as builder  # noqa: E402

# every inline link or image target follows "](": this also finds an image nested in a link
INLINE = re.compile(r"\]\(\s*<?([^\s()<>]+(?:\([^\s()]*\)[^\s()<>]*)?)>?(?:\s+[\"'(][^)]*)?\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
HTML = re.compile(r"<(?:img|a|source)\b[^>]*?\b(?:src|href|srcset)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
COLAB = re.compile(r"https://colab\.research\.google\.com/github/([^/]+/[^/]+)/blob/([^/]+)/(\S+)")
BINDER = re.compile(r"https://mybinder\.org/v2/gh/([^/]+/[^/]+)/([^?/]+)(?:\?urlpath=(?:lab/tree/|tree/)?(\S*))?")


def prose(markdown: str) -> str:
    """The Markdown without fenced code blocks and inline code (links there are not links)."""
    text = re.sub(r"^(```|~~~).*?^\1\s*$", "", markdown, flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", text, flags=re.DOTALL)


def targets(markdown: str) -> list[str]:
    text = prose(markdown)
    return [m.group(1) for pattern in (INLINE, REFERENCE, HTML) for m in pattern.finditer(text)]


def anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>|[*_`]|!\[[^\]]*\]\([^)]*\)", "", heading).strip().lower()
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    return {anchor(h) for h in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", prose(markdown), re.MULTILINE)}


def problems(markdown: str, base: Path, slug: str) -> list[str]:
    """Everything in `markdown` (a file in `base`) that does not resolve, one line each."""
    found = []
    for target in targets(markdown):
        url = urlsplit(target)
        if url.scheme in {"http", "https"}:
            for pattern, kind in ((COLAB, "Colab"), (BINDER, "Binder")):
                match = pattern.match(target)
                if match:
                    repo, branch, path = match.groups()
                    path = unquote((path or "").split("#")[0]).rstrip("/")
                    if repo != slug:
                        found.append(f"{target}: {kind} link names {repo}, the repository setting is {slug}")
                    if branch != "main":
                        found.append(f"{target}: {kind} link is on branch {branch}, not main")
                    if path and not (base / path).exists():
                        found.append(f"{target}: {kind} link names {path}, which does not exist")
            continue
        if url.scheme or target.startswith("//"):
            continue  # mailto:, other sites: not ours to check offline
        if not url.path:
            if url.fragment and url.fragment.lower() not in anchors(markdown):
                found.append(f"{target}: no heading with this anchor")
            continue
        path = (base / unquote(url.path)).resolve()
        if not path.exists():
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            found.append(f"{target}: {shown.as_posix()} does not exist")
        elif not path.is_relative_to(ROOT):
            found.append(f"{target}: points outside the repository")
    return found


def test_every_link_and_image_in_the_readme_resolves():
    assert README.exists(), "README.md is the front page"
    assert problems(README.read_text(encoding="utf-8"), ROOT, builder.repository()) == []


def test_the_readme_shows_a_picture():
    images = [t for t in targets(README.read_text(encoding="utf-8"))
              if not urlsplit(t).scheme and Path(urlsplit(t).path).suffix.lower() in {".png", ".gif", ".svg", ".jpg"}]
    assert images, "the front page should show what the course looks like (an image from images/)"


@pytest.mark.parametrize(("markdown", "expected"), [
    ("![a figure](images/missing.png)", "images/missing.png: images/missing.png does not exist"),
    ("see [the notebook](notebooks/99_nothing.ipynb)", "notebooks/99_nothing.ipynb:"),
    ('<img src="images/nope.gif" width="300">', "images/nope.gif:"),
    ("[ref]: docs/absent.md", "docs/absent.md:"),
    ("[![thumb](images/no_thumb.png)](images/optimizer_race.png)", "images/no_thumb.png:"),
    ("[up](#no-such-heading)\n\n## A heading", "#no-such-heading: no heading"),
    ("[colab](https://colab.research.google.com/github/someone/else/blob/main/README.md)", "names someone/else"),
    ("[binder](https://mybinder.org/v2/gh/OWNER/NAME/main?urlpath=lab/tree/notebooks/00_gone.ipynb)",
     "notebooks/00_gone.ipynb, which does not exist"),
])
def test_broken_links_are_reported(markdown, expected):
    found = problems(markdown.replace("OWNER/NAME", "own/repo"), ROOT, "own/repo")
    assert len(found) == 1 and expected in found[0], found


@pytest.mark.parametrize("markdown", [
    "![picture](images/optimizer_race.png) and [the package](gdviz/) and [licence](LICENSE)",
    "## Quick start\n[jump](#quick-start)",
    "```bash\nsee [x](nowhere.md)\n```\n`[y](nowhere.md)`",
    "[a site](https://example.org/missing.png) [mail](mailto:someone@example.org)",
    "[binder](https://mybinder.org/v2/gh/own/repo/main?urlpath=lab/tree/notebooks)",
])
def test_good_links_pass(markdown):
    assert problems(markdown, ROOT, "own/repo") == []


def test_teachers_links_are_current_and_the_nbgitpuller_link_opens_the_first_notebook():
    from urllib.parse import parse_qs

    import readme  # scripts/readme.py writes these links with `make badges`

    assert readme.current(readme.CLASS_START, readme.CLASS_END) == readme.class_links(), \
        "README.md's teachers' links are stale: run `make badges`"
    slug = builder.repository()
    link = readme.nbgitpuller_url(hub="https://hub.example.edu")
    url = urlsplit(link)
    assert (url.scheme, url.netloc, url.path) == ("https", "hub.example.edu", "/hub/user-redirect/git-pull")
    query = {k: v[0] for k, v in parse_qs(url.query, strict_parsing=True).items()}
    assert query["repo"] == f"https://github.com/{slug}" and query["branch"] == "main"
    # nbgitpuller clones into a folder named after the repository: the path starts there
    folder, _, path = query["urlpath"].removeprefix("lab/tree/").partition("/")
    assert query["urlpath"].startswith("lab/tree/") and folder == slug.split("/")[1]
    assert (ROOT / path).is_file() and path.endswith(".ipynb")
