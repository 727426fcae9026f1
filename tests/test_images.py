"""images/: every referenced figure exists, and regeneration is byte-for-byte deterministic."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

import gdviz as gd  # noqa: E402
from gdviz import images  # noqa: E402
from gdviz import plotting as P  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
IMAGE_REF = re.compile(r"images/([A-Za-z0-9_.\-]+\.(?:png|gif|svg|jpg))")


def _referenced() -> set[str]:
    """Image names used by the README and the notebooks' markdown (relative paths or raw URLs)."""
    texts = []
    readme = ROOT / "README.md"
    if readme.exists():
        texts.append(readme.read_text(encoding="utf-8"))
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        texts += ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    return {m for text in texts for m in IMAGE_REF.findall(text)}


def test_every_referenced_image_exists_and_is_generated():
    missing = sorted(name for name in _referenced() if not (ROOT / "images" / name).exists())
    assert not missing, f"referenced but not in images/: {missing} (add them to gdviz.images.FIGURES)"
    not_generated = sorted(name for name in _referenced() if name not in images.FIGURES)
    assert not not_generated, f"images not produced by python -m gdviz.images: {not_generated}"


def test_every_figure_is_committed():
    for name in images.FIGURES:
        assert (ROOT / "images" / name).exists(), f"run `make images`: images/{name} is missing"


def test_regeneration_is_deterministic(tmp_path):
    names = ["concept_valley.png", "learning_rates.png"]
    first = images.generate(tmp_path / "a", names)
    second = images.generate(tmp_path / "b", names)
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
        with Image.open(a) as im:
            assert im.format == "PNG" and "Software" not in im.info
    plt.close("all")


def test_gif_export_is_deterministic(tmp_path):
    def write(path: Path) -> bytes:
        fig, ax = plt.subplots(figsize=(2.5, 2), dpi=40)
        run = gd.descend(gd.functions.quadratic, x0=-1.5, lr=0.1, epochs=4)
        P.save_gif(P.animate(run, ax=ax, max_frames=5), path, dpi=40)
        plt.close(fig)
        return path.read_bytes()

    assert write(tmp_path / "a.gif") == write(tmp_path / "b.gif")


def test_unknown_figure_name_is_refused(tmp_path):
    with pytest.raises(ValueError, match="names"):
        images.generate(tmp_path, ["nope.png"])
