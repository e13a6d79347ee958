"""What a chapter's prose glues, and what its glue cell produced: for the chapters' prose tests.

A chapter glues the figures its text quotes in its first hidden code cell
(``for name, text in prose.prose_numbers_<chapter>().items(): glue(name, text, display=False)``) and
its markdown quotes them as ``{glue:text}`name```. These helpers read both from the notebook.
"""

from __future__ import annotations

import re

import nbformat

from conftest import ROOT

GLUE_TEXT = re.compile(r"\{glue:text\}`([^`]+)`")
#: Every way markdown quotes a glued name: any ``{glue}`` or ``{glue:<kind>}`` role, and the ``{glue}`` directives.
GLUE_ANY = re.compile(r"\{glue(?::[a-z]+)?\}`([^`]+)`|```\{glue(?::[a-z]+)?\}\s+(\S+)")
VEGA_LITE = "application/vnd.vegalite"


def notebook(chapter: str) -> nbformat.NotebookNode:
    """The chapter's notebook (``book/<chapter>.ipynb``) as stored."""
    return nbformat.read(ROOT / "book" / f"{chapter}.ipynb", as_version=4)


def markdown(chapter: str) -> list[str]:
    """The source of each of the chapter's markdown cells, in order."""
    return [c.source for c in notebook(chapter).cells if c.cell_type == "markdown"]


def used_names(chapter: str) -> set[str]:
    """Every name the chapter's markdown quotes with ``{glue:text}``."""
    return {name for text in markdown(chapter) for name in GLUE_TEXT.findall(text)}


def glued_names(chapter: str) -> set[str]:
    """Every name the chapter's markdown quotes in any glue role or directive (text, figures, tables)."""
    return {a or b for text in markdown(chapter) for a, b in GLUE_ANY.findall(text)}


def glue_cell(chapter: str) -> nbformat.NotebookNode:
    """The chapter's first code cell, where it glues its prose figures; it must be hidden."""
    cell = next(c for c in notebook(chapter).cells if c.cell_type == "code")
    assert "hide-cell" in cell.metadata.get("tags", []), "the glue cell should be hidden"
    return cell


def stored_glue(chapter: str) -> dict[str, str]:
    """Name to text of every figure the glue cell's stored outputs carry (as the page shows them)."""
    return glue_outputs(glue_cell(chapter))


def glue_outputs(cell: nbformat.NotebookNode) -> dict[str, str]:
    """Name to text of every figure a code cell's stored outputs glue (as the page shows them)."""
    out = {}
    for o in cell.outputs:
        name = o.get("metadata", {}).get("scrapbook", {}).get("name")
        if name:
            (text,) = o["data"].values()
            out[name] = text.strip("'\"")
    return out


def stored_chart_rows(chapter: str, call: str) -> list[dict]:
    """The data rows of the chart the chapter's code cell ``call`` (its whole source) stored on the page."""
    cell = next(c for c in notebook(chapter).cells if c.cell_type == "code" and c.source.strip() == call)
    spec = next(v for o in cell.outputs for k, v in o.get("data", {}).items() if k.startswith(VEGA_LITE))
    return [r for rows in spec["datasets"].values() for r in rows]


def check_prose_is_glued(chapter: str, numbers: dict[str, str], function: str) -> None:
    """The chapter's markdown quotes exactly ``numbers``' keys, its glue cell glues ``prose.<function>()``,
    and its stored page carries exactly ``numbers`` as the function gives them now."""
    used = used_names(chapter)
    assert used == set(numbers), (sorted(used - set(numbers)), sorted(set(numbers) - used))
    source = glue_cell(chapter).source
    assert f"prose.{function}().items()" in source and "glue(name, text, display=False)" in source
    assert stored_glue(chapter) == numbers
