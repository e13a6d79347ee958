"""The last mile for readers: chart descriptions, tables on a phone, links that land on their chart,
the printed book, where the book lives, plain words in the controls.

Tests without a browser read the package or the built pages' HTML; those marked ``browser`` open the
built book in headless Chromium with every other host blocked (see ``conftest.py``).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from conftest import HTML, ROOT

from swp_models import charts

PHONE, DESKTOP = 390, 1366
_SPEC = re.compile(r'<div class="swp-chart" id="(swp-chart-[0-9a-f]{12})">.*?var spec = (\{.*?\});\n', re.S)


def _built_pages() -> list[str]:
    return sorted(str(p.relative_to(HTML)) for p in HTML.rglob("*.html")
                  if not p.relative_to(HTML).parts[0].startswith("_")) if HTML.is_dir() else []


def _specs(page: str) -> list[tuple[str, dict]]:
    text = (HTML / page).read_text(encoding="utf-8")
    return [(m.group(1), json.loads(m.group(2).replace("<\\/", "</"))) for m in _SPEC.finditer(text)]


# ---------------------------------------------------------------- 5. chart descriptions

def test_description_joins_subtitle_lines_with_spaces():
    assert charts.describe("Children in care", ["SWP C grew to 727", "by November 2011"]) == \
        "Children in care. SWP C grew to 727 by November 2011."
    # A line that ends a statement without punctuation, followed by a new one, gets its full stop.
    assert charts.describe("Costs.", ["Units: £ a year, 2024 prices", "Dashed: the central case."]) == \
        "Costs. Units: £ a year, 2024 prices. Dashed: the central case."
    assert charts.describe("Only a title") == "Only a title."
    assert charts.describe("Title", "A single line, then a comma,") == "Title. A single line, then a comma."


@pytest.mark.parametrize("bad, match", [({"title": " "}, "title"), ({"title": "T", "subtitle": ["a"] * 21}, "subtitle"),
                                        ({"title": "T", "subtitle": ["a", 3]}, r"subtitle\[1\]")])
def test_description_refuses_bad_input_by_name(bad, match):
    with pytest.raises((ValueError, TypeError), match=match):
        charts.describe(**bad)


# A full stop inside a sentence: "727. by November" (a stop, then a word in lower case), other than
# after an abbreviation.
_STRAY_STOP = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\bc)(?<!\bp)(?<!\bpp)(?<!\bno)\. [a-z]")


def test_every_built_chart_description_reads_as_sentences(built_book):
    read = 0
    bad = []
    for page in _built_pages():
        for chart_id, spec in _specs(page):
            desc = spec.get("description") or ""
            read += 1
            if not desc.strip() or _STRAY_STOP.search(desc) or ".." in desc:
                bad.append(f"{page} {chart_id}: {desc[:160]}")
    assert read >= 40, f"only {read} chart descriptions found in the built book"
    assert not bad, "descriptions with a stray full stop:\n" + "\n".join(bad)
