"""Conventions every notebook under book/ keeps, whoever wrote it.

Chart cells are compared by the notebook tests (no ``nbval-ignore-output`` tag; see
``scripts/compare_charts.py``), so a change to a chart's data, encoding or a chart-only constant
fails a test unless the stored outputs are refreshed on purpose (``make notebooks``).
"""

from __future__ import annotations

import copy
import importlib.util
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from swp_models.charts import colour_only

NOTEBOOKS = sorted((ROOT / "book").glob("*.ipynb"))
_spec = importlib.util.spec_from_file_location("compare_charts", ROOT / "scripts" / "compare_charts.py")
compare_charts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(compare_charts)


def test_there_are_notebooks_with_charts():
    assert NOTEBOOKS
    charts = sum(compare_charts.is_chart_cell(c) for nb in NOTEBOOKS for c in nbformat.read(nb, 4).cells)
    assert charts > 0


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_chart_cell_is_ignored_by_the_notebook_tests(path: Path):
    ignored = compare_charts.ignored_chart_cells(nbformat.read(path, as_version=4))
    assert not ignored, (
        f"{path.name}: chart cells {ignored} are tagged nbval-ignore-output, so their charts are never compared; "
        "run `python scripts/compare_charts.py book/*.ipynb`"
    )


def _chart_specs(notebook) -> list[dict]:
    """The Vega-Lite specs stored in the notebook's chart cells, in page order."""
    return [value for cell in notebook.cells if compare_charts.is_chart_cell(cell) for out in cell.outputs
            for key, value in out.get("data", {}).items() if key.startswith(compare_charts.CHART_MIME)]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_colour_is_never_the_only_cue(path: Path):
    specs = _chart_specs(nbformat.read(path, as_version=4))
    alone = {i + 1: found for i, spec in enumerate(specs) if (found := colour_only(spec))}
    assert not alone, (
        f"{path.name}: charts (numbered on the page) that tell series apart by colour alone: {alone}; "
        "add a dash or shape (swp_models.charts.series_cues), a direct text label on the same field, or an axis "
        "or facet on it"
    )


def test_the_script_untags_chart_cells_and_keeps_widget_cells(tmp_path: Path):
    chart = nbformat.v4.new_code_cell("chart()", metadata={"tags": ["hide-input", "nbval-ignore-output"]})
    chart.outputs = [nbformat.v4.new_output("display_data", data={"application/vnd.vegalite.v6+json": {},
                                                                   "text/plain": "<chart>"})]
    widget = nbformat.v4.new_code_cell("explorer()", metadata={"tags": ["remove-cell", "nbval-ignore-output"]})
    widget.outputs = [nbformat.v4.new_output("display_data", data={"text/plain": "VBox()"})]
    bare = copy.deepcopy(chart)
    bare.id = "bare-chart"
    bare.metadata["tags"] = ["nbval-ignore-output"]
    nb = nbformat.v4.new_notebook(cells=[chart, widget, bare])
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    assert compare_charts.apply(path) == 2
    out = nbformat.read(path, as_version=4)
    assert out.cells[0].metadata["tags"] == ["hide-input"]
    assert out.cells[1].metadata["tags"] == ["remove-cell", "nbval-ignore-output"]
    assert "tags" not in out.cells[2].metadata
    assert compare_charts.apply(path) == 0


def test_a_page_built_before_its_inputs_changed_is_stale(tmp_path: Path):
    import os

    from conftest import stale_pages

    root, html = tmp_path / "repo", tmp_path / "html"
    for rel in ("book/ch.ipynb", "book/notes.md", "swp_models/m.py", "data/t.csv", "_toc.yml", "_config.yml"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("{}", encoding="utf-8")
    for rel in ("book/ch.html", "book/notes.html"):
        (html / rel).parent.mkdir(parents=True, exist_ok=True)
        (html / rel).write_text("<html></html>", encoding="utf-8")

    def age(rel: str, seconds: float, base: Path = root) -> None:
        t = 1_700_000_000 + seconds
        os.utime(base / rel, (t, t))

    for rel in ("book/ch.ipynb", "book/notes.md", "swp_models/m.py", "data/t.csv", "_toc.yml", "_config.yml"):
        age(rel, 0)
    age("book/ch.html", 10, html)
    age("book/notes.html", 10, html)
    pages = ["book/ch.html", "book/notes.html", "book/gone.html"]
    assert stale_pages(pages, root, html) == ["book/gone.html (no source)"]
    age("swp_models/m.py", 20)  # a model change: the notebook page is stale, the prose page is not
    assert stale_pages(pages[:2], root, html) == ["book/ch.html"]
    age("book/ch.html", 30, html)
    age("_toc.yml", 40)  # the table of contents: every page
    assert stale_pages(pages[:2], root, html) == ["book/ch.html", "book/notes.html"]
    (html / "book/ch.html").unlink()
    assert "book/ch.html (not built)" in stale_pages(pages[:2], root, html)
