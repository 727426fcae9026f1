"""Static checks of the committed notebooks (nbval executes them separately).

Each notebook must be committed executed in order with its outputs, free of errors and
stderr, built from its source in notebooks/src, carry the course's fixed parts (badge,
set-up cell, goals, explorer, summary, exercises with hidden solutions) and agree with
the repository setting that the badges and install cells are made from.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import notebooks as builder  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
pytestmark = pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks built yet")


def load(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_executed_in_order_without_errors_or_stderr(path):
    cells = code_cells(load(path))
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1)), "not executed top to bottom"
    for cell in cells:
        for out in cell.outputs:
            assert out.output_type != "error", f"error output in: {cell.source[:80]!r}"
            assert not (out.output_type == "stream" and out.name == "stderr"), f"stderr in: {cell.source[:80]!r}"
    assert any(o.output_type == "display_data" and "image/png" in o.data for c in cells for o in c.outputs), \
        "no figure was committed"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_built_from_its_source(path):
    source = ROOT / "notebooks" / "src" / f"{path.stem}.py"
    assert source.exists(), f"{path.name} has no source {source.relative_to(ROOT)}"
    expected = nbformat.v4.new_notebook()
    expected.cells = builder.parse_source(source.read_text())
    builder.add_course_cells(expected, f"notebooks/{path.name}")
    assert [c.source for c in load(path).cells] == [c.source for c in expected.cells], \
        f"{path.name} differs from its source: run `make notebooks`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_course_structure(path):
    nb = load(path)
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    code = "\n".join(c.source for c in code_cells(nb))
    assert len(re.findall(r"^# ", markdown, re.MULTILINE)) == 1, "exactly one H1"
    assert builder.badge(f"notebooks/{path.name}") in nb.cells[0].source
    assert code_cells(nb)[0].source.startswith(builder.SETUP_MARK)
    for heading in ("## Summary", "## Exercises"):
        assert heading in markdown, f"missing {heading}"
    assert "<details>" in markdown, "exercise solutions should be hidden in <details> blocks"
    assert re.search(r"gd\.widgets\.explore_\w+\(", code), "every notebook has a slider explorer"
    assert re.search(r"predict", markdown, re.IGNORECASE), "explorers come with a predict-first prompt"
    assert "NBVAL_CHECK_OUTPUT" in code, "printed numbers that matter are checked by nbval"


def test_badges_and_install_cells_match_the_repository_setting():
    assert builder.stale_badges() == []
    slug = builder.repository()
    assert re.fullmatch(r"[\w.-]+/[\w.-]+", slug)
    # the slug is set in exactly one place: no code or configuration repeats it (the
    # badges in README.md and the notebooks are generated from it and checked above)
    hits = [p for p in ROOT.rglob("*") if p.is_file() and p.suffix in {".py", ".toml", ".yml", ".cfg", ".txt"}
            and not {".venv", ".git", "build", ".venv-oldest"} & set(p.parts) and slug in p.read_text(errors="ignore")]
    assert [p.relative_to(ROOT).as_posix() for p in hits] == ["pyproject.toml"]


def test_readme_table_lists_every_notebook_with_current_badges():
    import readme  # scripts/readme.py, next to the notebook builder

    assert readme.current() == readme.table(), "README.md's notebook table is stale: run `make badges`"
    for path in NOTEBOOKS:
        row = next(line for line in readme.current().splitlines() if f"notebooks/{path.name})" in line)
        assert readme.binder_url(f"notebooks/{path.name}") in row and builder.badge(f"notebooks/{path.name}") in row
        assert (ROOT / "notebooks" / "thumbnails" / f"{path.stem}.png").exists()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_without_widget_state_but_with_each_explorers_figure(path):
    nb = load(path)
    assert "widgets" not in nb.metadata, f"{path.name} saves widget state: run `python scripts/notebooks.py strip`"
    outputs = [o for c in code_cells(nb) for o in c.outputs]
    assert not [o for o in outputs if builder.WIDGET_MIME in o.get("data", {})], "a widget view was saved"
    explorers = [o for o in outputs if builder.is_widget_output(o)]
    assert explorers, "no explorer output is marked"
    assert all("image/png" in o.data for o in explorers), "an explorer's saved output has no figure"


def test_strip_widget_state_keeps_the_figure_and_marks_the_output():
    nb = nbformat.v4.new_notebook(metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {}}})
    view = {builder.WIDGET_MIME: {"model_id": "abc", "version_major": 2, "version_minor": 0},
            "image/png": "iVBORw0KGgo=", "text/plain": "explorer"}
    nb.cells = [nbformat.v4.new_code_cell("explore()", outputs=[nbformat.v4.new_output("display_data", view),
                                                                 nbformat.v4.new_output("stream", text="hi")])]
    assert builder.strip_widget_state(nb) == 1
    out = nb.cells[0].outputs[0]
    assert "widgets" not in nb.metadata and set(out.data) == {"image/png", "text/plain"}
    assert builder.is_widget_output(out) and not builder.is_widget_output(nb.cells[0].outputs[1])
    assert builder.strip_widget_state(nb) == 0  # a second pass finds nothing left to strip
    nbformat.validate(nb)


def test_printed_text_is_one_output_however_it_was_flushed():
    stream = nbformat.v4.new_output
    figure = stream("display_data", {"text/plain": "a figure"})
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("...", outputs=[
        stream("stream", name="stdout", text="gd 1\n"), stream("stream", name="stdout", text="adam 2\n"),
        stream("stream", name="stderr", text="careful\n"), figure, stream("stream", name="stdout", text="after\n")])]
    builder.coalesce_streams(nb)
    outs = nb.cells[0].outputs
    assert [(o.output_type, o.get("name"), o.get("text")) for o in outs] == [
        ("stream", "stdout", "gd 1\nadam 2\n"), ("stream", "stderr", "careful\n"), ("display_data", None, None),
        ("stream", "stdout", "after\n")]  # a figure between two prints keeps them apart
    nbformat.validate(nb)
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in paths:  # and the committed notebooks were built that way
        for cell in code_cells(load(path)):
            pairs = zip(cell.outputs, cell.outputs[1:], strict=False)
            assert not [a for a, b in pairs if a.output_type == b.output_type == "stream" and a.name == b.name], \
                f"{path.name}: printed text split over two outputs"


def test_course_cells_are_rewritten_in_place_not_added_twice():
    nb = nbformat.v4.new_notebook()
    nb.cells = builder.parse_source("# %% [markdown]\n# # 01 · A title\n#\n# Goals.\n\n# %%\n# SETUP\n\n# %%\nx = 1\n")
    builder.add_course_cells(nb, "notebooks/01_a.ipynb", slug="own/repo")
    once = [c.source for c in nb.cells]
    builder.add_course_cells(nb, "notebooks/01_a.ipynb", slug="own/repo")
    assert [c.source for c in nb.cells] == once
    assert once[0] == f"# 01 · A title\n\n{builder.badge('notebooks/01_a.ipynb', 'own/repo')}\n\nGoals.\n"
    assert once[1] == builder.setup_cell("own/repo") and "https://github.com/own/repo.git" in once[1]
