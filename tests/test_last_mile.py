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


# ---------------------------------------------------------------- the built book in Chromium

def _open(offline, url: str, width: int, height: int = 900):
    offline.context.close()
    offline.context = offline.context.browser.new_context(viewport={"width": width, "height": height})
    offline.context.route("**/*", offline._route)
    tab = offline.new_page()
    tab.goto(url, wait_until="load")
    tab.wait_for_function(
        "() => Array.from(document.querySelectorAll('.swp-chart')).every(c => c.dataset.drawn)", timeout=60_000)
    return tab


def _chapter_pages() -> list[str]:
    from swp_models import findings

    return [f"{ch.page}.html" for ch in findings.CHAPTERS if "." not in ch.label]


# ---------------------------------------------------------------- 2. tables on a phone

_TABLES = """() => Array.from(document.querySelectorAll('main table')).filter(t => !t.closest('.swp-chart')).map(t => {
  const wrap = t.closest('.swp-table-scroll');
  const cap = t.querySelector('caption');
  const shown = wrap && wrap.previousElementSibling;
  const cs = wrap ? getComputedStyle(wrap) : null;
  const row = t.tHead && t.tHead.rows.length ? t.tHead.rows[t.tHead.rows.length - 1] : t.rows[0];
  const last = row ? row.cells[row.cells.length - 1].getBoundingClientRect() : null;
  const box = (wrap || t.parentElement).getBoundingClientRect();
  return {cards: t.classList.contains('swp-cards'), caption: cap ? cap.textContent.trim().slice(0, 60) : '',
          captionAbove: !!(shown && shown.classList.contains('swp-table-caption') && shown.offsetHeight > 0),
          scrolls: !!wrap && wrap.scrollWidth > wrap.clientWidth + 2,
          scrollable: !!cs && (cs.overflowX === 'auto' || cs.overflowX === 'scroll'),
          lastCut: !!last && last.right > box.right + 2 && !(wrap && wrap.scrollWidth > wrap.clientWidth + 2)};
})"""


@pytest.mark.browser
@pytest.mark.parametrize("page", _chapter_pages())
def test_tables_read_on_a_phone(page, book_url, offline):
    """At 390 px a table of words is a stack of cards (it never scrolls sideways); a wide table of
    numbers scrolls in its box; every caption stays above the box, out of the scroll."""
    tab = _open(offline, f"{book_url}/{page}", PHONE)
    tables = tab.evaluate(_TABLES)
    assert tables, f"{page} has no table"
    for t in tables:
        assert not (t["cards"] and t["scrolls"]), f"{page}: the text table {t['caption']!r} scrolls sideways"
        assert not t["scrolls"] or t["scrollable"], f"{page}: {t['caption']!r} is cut, not scrollable"
        assert not t["caption"] or t["captionAbove"], f"{page}: the caption {t['caption']!r} is not above its box"
    first_col = tab.evaluate("""() => { const w = document.querySelector('main .swp-table-scroll.is-scrollable');
        return w ? getComputedStyle(w.querySelector('tr > :first-child')).position : 'sticky'; }""")
    assert first_col == "sticky", f"{page}: a scrolling table's first column is not fixed"


@pytest.mark.browser
def test_text_tables_become_cards_on_a_phone_only(book_url, offline):
    phone = _open(offline, f"{book_url}/book/07_abroad.html", PHONE)
    cards = phone.locator("table.swp-cards")
    assert cards.count() >= 2
    assert cards.first.locator("tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == "block"
    label = cards.first.locator("tbody td[data-label]").nth(1).evaluate(
        "td => getComputedStyle(td, '::before').content")
    assert label.strip('"').endswith(": ")
    desk = _open(offline, f"{book_url}/book/07_abroad.html", DESKTOP)
    assert desk.locator("table.swp-cards tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == "table-row"


@pytest.mark.browser
@pytest.mark.parametrize("page", _chapter_pages())
def test_no_table_loses_its_last_column_on_a_laptop(page, book_url, offline):
    tab = _open(offline, f"{book_url}/{page}", DESKTOP)
    cut = [t["caption"] for t in tab.evaluate(_TABLES) if t["lastCut"]]
    assert not cut, f"{page}: tables whose last column is cut off: {cut}"


# ---------------------------------------------------------------- 3. links that land

_SLIDER = "input[name=ch4_budget_frontline]"
_MOVE = "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }"


@pytest.mark.browser
def test_a_scenario_link_opens_at_its_chart_and_says_it_was_copied(book_url, offline):
    tab = _open(offline, f"{book_url}/book/04_practice_costs.html", DESKTOP)
    chart = tab.locator(".swp-chart", has=tab.locator(_SLIDER))
    figure = chart.evaluate("el => (el.closest('figure[id]') || el.closest('section[id]')).id")
    chart.locator(_SLIDER).evaluate(_MOVE, "10")
    tab.wait_for_function("() => location.hash.includes('ch4_budget_frontline=10')")
    assert tab.evaluate("() => location.hash").startswith(f"#{figure}&")
    link = chart.locator("a.swp-scenario-link")
    link.click()
    status = chart.locator(".swp-scenario-status")
    assert status.get_attribute("role") == "status" and status.get_attribute("aria-live") == "polite"
    tab.wait_for_function("el => /copied|copy/i.test(el.textContent)", arg=status.element_handle())
    url = tab.url
    fresh = _open(offline, url, DESKTOP)
    again = fresh.locator(".swp-chart", has=fresh.locator(_SLIDER))
    assert again.locator(_SLIDER).input_value() == "10"
    fresh.wait_for_function("el => { const r = el.getBoundingClientRect(); return r.top > -5 && r.top < innerHeight / 2; }",
                            arg=fresh.locator(f"#{figure}").element_handle(), timeout=10_000)
    assert fresh.evaluate("() => window.scrollY") > 1000, "the link opened at the top of the page"
    assert not fresh.errors and not offline.blocked


@pytest.mark.browser
@pytest.mark.parametrize("value", ["7.5", "99", "%22many%22"])
def test_a_value_the_chart_does_not_hold_falls_back_with_a_notice(value, book_url, offline):
    tab = _open(offline, f"{book_url}/book/04_practice_costs.html#fig-budget&ch4_budget_frontline={value}", DESKTOP)
    chart = tab.locator(".swp-chart", has=tab.locator(_SLIDER))
    assert chart.locator(_SLIDER).input_value() == "8"
    notice = chart.locator(".swp-scenario-notice")
    assert notice.is_visible() and "does not offer" in notice.inner_text()
    assert chart.locator(".swp-chart-view svg path, .swp-chart-view svg rect").count() > 5
    assert "ch4_budget_frontline" not in tab.evaluate("() => location.hash")
