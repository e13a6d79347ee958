"""Let the notebook tests compare every chart: drop the tag ``nbval-ignore-output`` from chart cells.

A chart cell is a code cell whose stored output includes a Vega-Lite chart. Its output is
deterministic (the chart id is derived from the spec, and ``tests/nbval_sanitize.cfg`` masks it),
so nbval can compare the chart's data and encoding like any table. Cells whose output cannot be
replayed (live widgets) keep the tag. Run it on any notebook; it changes only the tags:

    python scripts/compare_charts.py book/*.ipynb

``tests/test_notebook_conventions.py`` fails while a chart cell in ``book/`` is still ignored.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

IGNORE_TAG = "nbval-ignore-output"
CHART_MIME = "application/vnd.vegalite"


def is_chart_cell(cell: dict) -> bool:
    """A code cell whose stored output includes a Vega-Lite chart."""
    return cell.get("cell_type") == "code" and any(
        key.startswith(CHART_MIME) for out in cell.get("outputs", []) for key in out.get("data", {})
    )


def ignored_chart_cells(notebook) -> list[int]:
    """Indices of the chart cells still tagged ``nbval-ignore-output``."""
    return [i for i, c in enumerate(notebook["cells"])
            if is_chart_cell(c) and IGNORE_TAG in c.get("metadata", {}).get("tags", [])]


def apply(path: Path) -> int:
    """Drop the tag from every chart cell of the notebook at ``path``; return how many cells changed."""
    notebook = nbformat.read(path, as_version=4)
    changed = ignored_chart_cells(notebook)
    for i in changed:
        tags = notebook["cells"][i]["metadata"]["tags"]
        tags.remove(IGNORE_TAG)
        if not tags:
            del notebook["cells"][i]["metadata"]["tags"]
    if changed:
        nbformat.write(notebook, path)
    return len(changed)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        raise SystemExit(2)
    for arg in sys.argv[1:]:
        print(f"{arg}: {apply(Path(arg))} chart cell(s) now compared")
