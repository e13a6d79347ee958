"""The built book in headless Chromium, with every request to another host blocked.

Every page opens without a script error, every chart draws (an svg or canvas inside it), every
slider and drop-down menu moved changes its chart, and no request leaves the machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import HTML

pytestmark = pytest.mark.browser

PAGES = sorted(
    str(p.relative_to(HTML))
    for p in HTML.rglob("*.html")
    if not p.relative_to(HTML).parts[0].startswith("_")
) if HTML.is_dir() else []
MAX_PAGE_BYTES = 3 * 1024 * 1024
# Drawn data marks (not axes or legends) in a Vega SVG.
_MARKS = ("svg .mark-rect path, svg .mark-symbol path, svg .mark-rule line, svg .mark-line path, "
          "svg .mark-text text, svg .mark-area path")


def test_book_has_the_expected_pages():
    for page in ("book/preface.html", "book/01_problem.html", "book/data_catalogue.html", "book/references.html"):
        assert page in PAGES, f"{page} missing from the built book"


def test_page_weight_under_3_mb():
    for page in PAGES:
        size = (HTML / page).stat().st_size
        assert size < MAX_PAGE_BYTES, f"{page} is {size / 1e6:.1f} MB"
    bundle = HTML / "_static" / "vega-bundle.js"
    assert bundle.is_file() and bundle.stat().st_size < MAX_PAGE_BYTES


@pytest.mark.parametrize("page", PAGES)
def test_page_opens_offline_and_every_chart_draws(page, book_url, offline):
    tab = offline.new_page()
    response = tab.goto(f"{book_url}/{page}", wait_until="load")
    assert response is not None and response.ok
    charts = tab.locator(".swp-chart")
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        chart.locator("svg, canvas").first.wait_for(state="attached", timeout=15_000)
        marks = chart.locator(_MARKS)
        assert marks.count() > 0, f"chart {i} on {page} drew no marks"
    assert not tab.errors, f"script errors on {page}: {tab.errors}"
    assert not offline.blocked, f"{page} tried to reach other hosts: {offline.blocked}"
    text = tab.locator("main").inner_text()
    for raw in ("|---", "| |", "```", "{cite:", "{numref}", "{doc}"):
        assert raw not in text, f"{page} shows unrendered markup {raw!r}"


def _chart_signature(chart) -> str:
    return chart.locator("svg").first.evaluate("el => el.innerHTML")


CHAPTERS = [p for p in PAGES if p.startswith("book/0")]


def _move_every_control(tab, kind: str) -> int:
    """Move each control of ``kind`` ("range" or "select") in every chart; return how many were moved."""
    moved = 0
    charts = tab.locator(".swp-chart", has=tab.locator(f"input[type=range]" if kind == "range" else "select"))
    for i in range(charts.count()):
        chart = charts.nth(i)
        chart.scroll_into_view_if_needed()
        chart.locator("svg").first.wait_for(timeout=15_000)
        controls = chart.locator("input[type=range]" if kind == "range" else "select")
        for j in range(controls.count()):
            before = _chart_signature(chart)
            control = controls.nth(j)
            if kind == "range":
                control.evaluate(
                    "el => { el.value = (el.value === el.min) ? el.max : el.min;"
                    " el.dispatchEvent(new Event('input', {bubbles: true})); }"
                )
            else:
                control.evaluate(
                    "el => { el.selectedIndex = (el.selectedIndex + 1) % el.options.length;"
                    " el.dispatchEvent(new Event('change', {bubbles: true})); }"
                )
            tab.wait_for_function(
                "([el, before]) => el.querySelector('svg').innerHTML !== before",
                arg=[chart.element_handle(), before], timeout=10_000,
            )
            assert chart.locator(_MARKS).count() > 0, "a control left its chart empty"
            moved += 1
    return moved


@pytest.mark.parametrize("page", CHAPTERS)
def test_every_slider_and_menu_moves_its_chart(page, book_url, offline):
    tab = offline.new_page()
    tab.goto(f"{book_url}/{page}", wait_until="load")
    moved = _move_every_control(tab, "range") + _move_every_control(tab, "select")
    assert moved > 0, f"{page} has no chart control"
    assert not tab.errors, f"script errors on {page}: {tab.errors}"
    assert not offline.blocked


def test_selector_moves_the_chart(book_url, offline):
    tab = offline.new_page()
    tab.goto(f"{book_url}/book/01_problem.html", wait_until="load")
    radio = tab.locator(".swp-chart input[type=radio]")
    radio.first.wait_for(state="attached", timeout=15_000)
    chart = tab.locator(".swp-chart", has=tab.locator("input[type=radio]")).first
    chart.locator("svg").first.wait_for(timeout=15_000)
    before = _chart_signature(chart)
    radio.nth(1).check()
    tab.wait_for_function(
        "([el, before]) => el.querySelector('svg').innerHTML !== before", arg=[chart.element_handle(), before],
        timeout=10_000,
    )
    assert not offline.blocked
