"""No £ or % figure is typed into a chapter's prose: each is glued from the code that computes it, or quoted.

A figure typed into the text can silently disagree with the tables beside it after the model or the data
change; a glued figure (``{glue:text}`) is the table's own number. Quotations from the sources (in double
quotes), mathematics and code are exempt. No chapter holds a typed figure.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import ROOT

_FIGURE = re.compile(r"£\s?\d[\d,.]*\s?(?:k|m|bn|million|billion)?|\b\d[\d,.]*\s?%|\b\d[\d,.]*\s(?:per cent|points)\b")
_EXEMPT = (
    re.compile(r"\{glue:[a-z]+\}`[^`]*`"),   # glued figures
    re.compile(r"```(?:python|text|bash|\{glue[^}]*\}|\{math\}|\{code[^}]*\}).*?```", re.S),  # code, glue, maths
    re.compile(r"\$\$.*?\$\$", re.S),        # display mathematics
    re.compile(r"\$[^$\n]*\$"),              # inline mathematics
    re.compile(r"`[^`\n]*`"),                # inline code
    re.compile(r"\"[^\"]*\"|“[^”]*”"),       # quotations from the sources
)


def typed_figures(markdown: str) -> list[str]:
    """The £ and % figures typed into ``markdown`` outside glue, quotations, mathematics and code."""
    text = markdown
    for pattern in _EXEMPT:
        text = pattern.sub(" ", text)
    return _FIGURE.findall(text)


def _chapters() -> list[str]:
    return sorted(p.stem for p in (ROOT / "book").glob("[0-9]*.ipynb"))


def test_the_detector_finds_typed_figures_and_spares_glue_and_quotes():
    assert typed_figures("a premium of £251k and 56% of terms") == ["£251k", "56%"]
    assert typed_figures("a premium of {glue:text}`ch5_premium` and \"60% on outcomes\" $5\\%$") == []
    assert typed_figures("```{admonition} Note\nsays 12%\n```") == ["12%"]  # admonitions are prose
    assert typed_figures("```python\nx = '12%'\n```") == []


@pytest.mark.parametrize("chapter", _chapters())
def test_no_typed_figures(chapter):
    nb = nbformat.read(ROOT / "book" / f"{chapter}.ipynb", as_version=4)
    found = [f for c in nb.cells if c.cell_type == "markdown" for f in typed_figures(c.source)]
    assert not found, f"{chapter}: {len(found)} typed £/% figures in the prose; glue them instead: {found[:20]}"
