"""The book as its readers meet it.

Without a browser: the key-results registry, ``python -m swp_models reproduce`` against the
notebooks' stored outputs, ``datapackage.json`` (current, and valid for the ``frictionless``
library), the chart embedding's legibility floor. In headless Chromium, with every request to
another host blocked: the menus on a phone, tablet and desktop, nothing outside a 390 px viewport,
the findings-first home page against the chapters, text alternatives and CSV downloads, light
pages, the colophon, the PDFs, and axe-core's accessibility check.
"""

from __future__ import annotations

import csv
import html
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from conftest import DESKTOP, HTML, PHONE, PRINT_HEIGHT, PRINT_WIDTH, ROOT, TABLET, open_offline

from swp_models import charts, datapackage, findings
from swp_models.tables import key_results

AXE = ROOT / "_build" / "axe" / "axe.min.js"
MAX_TRANSFER = 1.5e6
OWN_PAGES = ["index.html", "book/preface.html", "book/data_catalogue.html", "book/assumptions.html",
             "book/model_reference.html", "book/glossary.html", "book/reproducing.html", "book/references.html"]


# ---------------------------------------------------------------- registry and reproduce command

class _Tables(HTMLParser):
    """Rows of cell texts of every ``table`` with a given class."""

    def __init__(self, cls: str):
        super().__init__()
        self.cls, self.tables, self._in, self._cell = cls, [], False, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and self.cls in (dict(attrs).get("class") or "").split():
            self._in = True
            self.tables.append([])
        elif self._in and tag == "tr":
            self.tables[-1].append([])
        elif self._in and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in = False
        elif self._in and tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(html.unescape("".join(self._cell)).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _stored_key_results(notebook: Path) -> list[list[str]]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            text = "".join(out.get("data", {}).get("text/html", []))
            if "swp-key-results" in text:
                parser = _Tables("swp-key-results")
                parser.feed(text)
                return parser.tables[0]
    raise AssertionError(f"{notebook.name} has no stored key-results table")


def test_registry_names_every_chapter_once_in_order():
    numbers = [(ch.number, ch.section or 0) for ch in findings.CHAPTERS]
    assert numbers == sorted(set(numbers)) and numbers[0] == (1, 0)
    for ch in findings.CHAPTERS:
        assert (ROOT / f"{ch.page}.ipynb").is_file(), f"chapter {ch.number}: no {ch.page}.ipynb"


def test_registry_rejects_bad_entries():
    with pytest.raises(ValueError, match="number"):
        findings.Chapter(0, "t", "book/x", lambda: None, ("a",))
    with pytest.raises(TypeError, match="key_results"):
        findings.Chapter(1, "t", "book/x", "not callable", ("a",))
    with pytest.raises(ValueError, match="headlines"):
        findings.Chapter(1, "t", "book/x", lambda: None, ())  # no headline
    with pytest.raises(ValueError, match="section"):
        findings.Chapter(1, "t", "book/x", lambda: None, ("a",), section=0)
    assert findings.Chapter(5, "t", "book/x", lambda: None, ("a",), section=1).label == "5.1"
    with pytest.raises(TypeError, match="headlines"):
        findings.Chapter(1, "t", "book/x", lambda: None, (3,))
    with pytest.raises(ValueError, match="brief must be at most"):
        findings.Chapter(1, "t", "book/x", lambda: None, ("a",), brief="x" * (findings.BRIEF_MAX + 1))
    with pytest.raises(TypeError, match="brief"):
        findings.Chapter(1, "t", "book/x", lambda: None, ("a",), brief=3)
    assert findings.Chapter(1, "t", "book/x", lambda: None, ("a",), labels=("plain",)).short == "plain"
    # Every chapter the home page summarises has its own short label.
    assert all(ch.brief for ch in findings.CHAPTERS if ch.section is None)
    bad = findings.Chapter(1, "t", "book/x", lambda: key_results([("a", "1", "b")]), ("no such result",))
    with pytest.raises(ValueError, match="no such result"):
        findings.headline_rows((bad,))
    with pytest.raises(ValueError, match="outdir"):
        findings.write_key_results("")


@pytest.mark.slow
def test_reproduce_command_matches_the_notebooks_stored_outputs(tmp_path):
    out = tmp_path / "results"
    run = subprocess.run([sys.executable, "-m", "swp_models", "reproduce", str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["versions"]) >= {"numpy", "pandas", "swp_models"} and manifest["data_tables"]
    with open(out / "parameters.csv", newline="", encoding="utf-8") as fh:
        params = list(csv.DictReader(fh))
    assert params and {"table", "parameter", "value"} <= set(params[0])
    for ch in findings.CHAPTERS:
        with open(out / findings.csv_name(ch), newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        stored = _stored_key_results(ROOT / f"{ch.page}.ipynb")
        assert rows == stored, f"chapter {ch.label}: reproduce output differs from the stored notebook output"


def test_reproduce_command_needs_a_folder(tmp_path):
    target = tmp_path / "a_file"
    target.write_text("x")
    run = subprocess.run([sys.executable, "-m", "swp_models", "reproduce", str(target)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and "outdir must be a folder" in run.stderr


# ---------------------------------------------------------------- data package

def test_datapackage_is_current_and_valid():
    import frictionless

    committed = json.loads((ROOT / "datapackage.json").read_text(encoding="utf-8"))
    assert committed == datapackage.build(ROOT / "data"), (
        "datapackage.json is out of date: run `.venv/bin/python -m swp_models.datapackage`")
    report = frictionless.validate(str(ROOT / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    names = {r["name"] for r in committed["resources"]}
    assert names == set(p.stem for p in (ROOT / "data").glob("*.csv"))


def test_datapackage_catches_a_changed_figure(tmp_path):
    import frictionless

    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copy(ROOT / "datapackage.json", tmp_path / "datapackage.json")
    table = tmp_path / "data" / "agency_staff_use_2005.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    first = lines[1].split(",")
    first[2] = "not-a-number"
    lines[1] = ",".join(first)
    table.write_text("".join(lines), encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert not report.valid
    errors = {e.type for task in report.tasks for e in task.errors}
    assert "type-error" in errors and "hash-count" in errors


# ---------------------------------------------------------------- chart embedding

def test_chart_text_is_at_least_12_px_and_described():
    import altair as alt
    import pandas as pd

    base = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_text(fontSize=8).encode(x="x", y="y", text="y")
    chart = charts.finish(base.encode(x=alt.X("x", axis=alt.Axis(labelFontSize=9))), "Title", source="s",
                          subtitle="Units: £")
    spec = chart.to_dict()
    assert spec["description"] == "Title. Units: £."
    html_out = chart._repr_mimebundle_()["text/html"]
    payload = json.loads(re.search(r"var spec = (\{.*\});\n", html_out).group(1).replace("<\\/", "</"))
    sizes = []

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if (k == "fontSize" or k.endswith("FontSize")) and isinstance(v, (int, float)):
                    sizes.append(v)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(payload)
    assert sizes and min(sizes) >= 12


# ---------------------------------------------------------------- the built book in Chromium

PAGES = sorted(
    str(p.relative_to(HTML)) for p in HTML.rglob("*.html")
    if not p.relative_to(HTML).parts[0].startswith("_") and p.relative_to(HTML).parts[0] not in ("key-results",)
) if HTML.is_dir() else []
CHAPTER_PAGES = [f"{ch.page}.html" for ch in findings.CHAPTERS]


@pytest.mark.browser
@pytest.mark.parametrize("width", [PHONE, TABLET])
def test_chapter_menu_opens_and_its_links_work(width, book_url, offline):
    tab = open_offline(offline, f"{book_url}/book/01_problem.html", width)
    visible = [b for b in tab.locator("button.primary-toggle").all() if b.is_visible()]
    assert visible, f"no visible chapter-menu button at {width} px"
    visible[0].click()
    dialog = tab.locator("dialog#pst-primary-sidebar-modal")
    dialog.wait_for(state="visible", timeout=5_000)
    link = dialog.get_by_role("link", name=re.compile("What a child in care costs"))
    link.click()
    tab.wait_for_url(re.compile(r"03_child_costs\.html"), timeout=10_000)
    assert not offline.blocked


@pytest.mark.browser
@pytest.mark.parametrize("width", [PHONE, TABLET])
def test_page_contents_button_opens_the_contents(width, book_url, offline):
    tab = open_offline(offline, f"{book_url}/book/02_continuity.html", width)
    visible = [b for b in tab.locator("button.secondary-toggle").all() if b.is_visible()]
    assert visible, f"no visible page-contents button at {width} px"
    visible[0].click()
    dialog = tab.locator("dialog#pst-secondary-sidebar-modal")
    dialog.wait_for(state="visible", timeout=5_000)
    assert dialog.get_by_role("link").count() > 3


@pytest.mark.browser
def test_desktop_menu_button_hides_and_shows_the_sidebar(book_url, offline):
    tab = open_offline(offline, f"{book_url}/book/01_problem.html", DESKTOP)
    sidebar = tab.locator("#pst-primary-sidebar")
    assert sidebar.is_visible()
    [b for b in tab.locator("button.primary-toggle").all() if b.is_visible()][0].click()
    tab.wait_for_function("() => document.querySelector('#pst-primary-sidebar').classList.contains('pst-sidebar-hidden')")


_OUTSIDE = """(vw) => {
  const out = [];
  if (document.documentElement.scrollWidth > vw + 1) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
  // The drawing itself, not only its box: a chart scrolling sideways inside its box is outside too.
  document.querySelectorAll('.swp-chart.swp-chart-overflows').forEach(e => out.push('chart wider than its column: ' + e.id));
  document.querySelectorAll('.swp-chart-view, .swp-chart-view svg, .swp-chart input, .swp-chart select, .swp-chart label, main table, .swp-table-scroll')
    .forEach(e => { const r = e.getBoundingClientRect();
      if (r.width && (r.right > vw + 1 || r.left < -1)) out.push(e.tagName + '.' + e.className + ' ' + Math.round(r.left) + '-' + Math.round(r.right)); });
  return out;
}"""


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_nothing_outside_a_phone_viewport(page, loaded):
    shown = loaded(page, PHONE)
    tab = shown.tab
    tab.evaluate("() => document.querySelectorAll('table').forEach(t => { if (!t.closest('.swp-table-scroll')) t.dataset.loose = 1; })")
    outside = tab.evaluate(_OUTSIDE, PHONE)
    outside = [o for o in outside if not o.startswith("TABLE") or "swp-table-scroll" in o]
    assert not outside, f"{page} at {PHONE} px: {outside[:5]}"
    assert not tab.errors and not shown.blocked


CHART_PAGES = [p for p in PAGES if 'class="swp-chart"' in (HTML / p).read_text(encoding="utf-8")]


@pytest.mark.browser
@pytest.mark.parametrize("page", CHART_PAGES)
def test_no_chart_scrolls_sideways_on_a_desktop(page, loaded):
    tab = loaded(page, DESKTOP).tab
    wide = tab.evaluate("() => Array.from(document.querySelectorAll('.swp-chart')).filter(c => "
                        "c.querySelector('.swp-chart-view svg').getBoundingClientRect().width > c.clientWidth + 1)"
                        ".map(c => c.id)")
    assert not wide, f"{page} at {DESKTOP} px: charts wider than the column: {wide}"


@pytest.mark.browser
@pytest.mark.parametrize("page", CHART_PAGES)
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_chart_is_drawn_before_any_script_runs(page, width, loaded):
    """A reader whose browser runs no scripts (or before they run) sees each chart's build-time drawing,
    with its data marks, labelled, and inside the column."""
    shown = loaded(page, width, scripts=False)
    tab = shown.tab
    charts_ = tab.locator(".swp-chart")
    assert charts_.count() > 0
    for i in range(charts_.count()):
        drawing = charts_.nth(i).locator(".swp-chart-static")
        assert drawing.count() == 1, f"chart {i + 1} on {page} has no build-time drawing"
        assert len(drawing.get_attribute("aria-label") or "") > 20, f"chart {i + 1} on {page}: no description"
        marks = drawing.evaluate("el => Array.from(el.querySelectorAll('svg g.role-mark')).map(g => g.children.length)")
        assert sum(marks) >= 2 and all(marks), f"chart {i + 1} on {page}: drawing has marks {marks}"
        box = drawing.locator("svg:visible").bounding_box()  # the phone's or the desktop's drawing
        column = charts_.nth(i).bounding_box()
        assert box["width"] <= column["width"] + 1, f"chart {i + 1} on {page} is wider than its column"
    assert not shown.blocked


def test_build_time_drawing_wraps_and_caches(tmp_path):
    sys.path.insert(0, str(ROOT / "_ext"))
    import swp_static_charts as drawings

    long = "word " * 60
    spec = {"title": {"text": "A title", "subtitle": long}, "mark": "bar",
            "data": {"values": [{"a": "x", "b": 1}, {"a": "y", "b": 2}]},
            "encoding": {"x": {"field": "a", "type": "nominal", "axis": {"labelLimit": 0}, "title": long},
                         "y": {"field": "b", "type": "quantitative"}}}
    wide = drawings.desktop_spec(spec)
    assert isinstance(wide["title"]["subtitle"], list) and len(wide["title"]["subtitle"]) > 1
    assert all(len(line) <= (drawings.COLUMN_WIDTH - 16) / (12 * 0.66) for line in wide["title"]["subtitle"])
    assert isinstance(wide["encoding"]["x"]["title"], list)
    assert wide["encoding"]["x"]["axis"]["labelLimit"] == drawings.COLUMN_WIDTH * 4 // 10
    assert spec["title"]["subtitle"] == long, "the spec given is not changed"
    html_out = charts._renderer(spec)["text/html"]
    body = f"<p>before</p>{html_out}<p>after</p>"
    drawn = drawings.with_drawings(body, tmp_path)
    assert drawn.count('class="swp-chart-static"') == 1 and drawn.count("<svg") == 2  # desktop and phone
    assert "dataset.painted" in drawn and "var spec = " in drawn and drawn.endswith("<p>after</p>")
    assert len(list(tmp_path.glob("*.svg"))) == 2
    assert drawings.with_drawings(body, tmp_path) == drawn, "a cached drawing is the drawing"
    assert drawings.with_drawings("<p>no chart</p>", tmp_path) == "<p>no chart</p>"


def _same(text: str) -> str:
    """Text as compared across pages: the page's typography turns straight quotes into curly ones."""
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"')
                    .replace("\u201d", '"').split())


def test_home_page_reads_the_key_results_the_chapters_store():
    """The home page reads stored outputs rather than computing: those are the computed key results."""
    for ch in findings.CHAPTERS:
        stored = findings.stored_key_results(ch)
        assert stored.values.tolist() == _stored_key_results(ROOT / f"{ch.page}.ipynb")[1:]
    with pytest.raises(TypeError, match="stored"):
        findings.headline_rows(stored=1)


def _shown_number(chapter) -> str:
    """The number a chapter's (or section page's) built page gives itself ("5.15")."""
    m = re.search(r'<h1><span class="section-number">([\d.]+?)\.? </span>',
                  (HTML / f"{chapter.page}.html").read_text(encoding="utf-8"))
    return m.group(1) if m else chapter.label


def test_home_page_agrees_with_the_built_chapters(built_book):
    """Every finding on the built home page is, cell for cell, a row of its chapter's built page."""
    parser = _Tables("swp-findings-table")
    parser.feed((HTML / "index.html").read_text(encoding="utf-8"))
    short = _Tables("swp-findings-short")
    short.feed((HTML / "index.html").read_text(encoding="utf-8"))
    # The one-screen summary comes first: each chapter's first headline under its short label, the
    # same figure; then every finding in full.
    assert len(short.tables) == 1 and parser.tables[0] == short.tables[0]
    summary, *full = parser.tables
    expected = findings.headline_rows(stored=True)
    first = (expected["rank"] == 0) & ~expected["chapter"].str.contains(".", regex=False)
    briefs = {ch.label: ch.short for ch in findings.CHAPTERS}
    assert [[_same(c) for c in row[:3]] for row in summary[1:]] == [
        [_same(briefs[r["chapter"]]), _same(r["Value"]), r["chapter"]] for r in expected[first].to_dict("records")]
    shown = [row for table in full for row in table[1:]]
    expected = pd.concat([expected[first], expected[~first]]).to_dict("records")
    assert len(shown) == len(expected)
    pages = {}
    for row, want in zip(shown, expected):
        label = row[2]
        ch = next(c for c in findings.CHAPTERS if c.label == label or _shown_number(c) == label)
        assert _same(row[0]) == _same(want["label"]), f"home page label {row[0]!r} is not chapter {label}'s plain label"
        if ch.page not in pages:
            chapter = _Tables("swp-key-results")
            chapter.feed((HTML / f"{ch.page}.html").read_text(encoding="utf-8"))
            pages[ch.page] = [[_same(c) for c in r[:2]] for r in chapter.tables[0][1:]]
        pair = [_same(want["Result"]), _same(row[1])]
        assert pair in pages[ch.page], f"home page finding {pair} is not on {ch.page}"
    # The opening sentences are chapter 10's, as its stored outputs glue them.
    home = (HTML / "index.html").read_text(encoding="utf-8")
    for sentence in findings.opening_sentences():
        assert html.escape(sentence, quote=False) in home or html.escape(sentence) in home, sentence


def _in_brief(page: str) -> str:
    """The text of a built chapter's "In brief" box ('' when it has none)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((HTML / page).read_text(encoding="utf-8"), "html.parser")
    boxes = [box.get_text(" ", strip=True) for box in soup.select("div.admonition")
             if (title := box.select_one(".admonition-title")) is not None and title.get_text(strip=True) == "In brief"]
    assert len(boxes) <= 1, f"{page} has {len(boxes)} 'In brief' boxes"
    return boxes[0] if boxes else ""


@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_every_in_brief_box_with_money_names_its_price_year(page, built_book):
    """A reader who reads only a chapter's summary meets each £ with its price year (as every table and chart
    names it): a box that quotes a sum says at which year's prices."""
    text = _in_brief(page)
    if "£" in text:
        assert re.search(r"\b(19|20)\d\d-\d\d prices\b", text), f"{page}'s 'In brief' quotes £ with no price year: {text[:300]}"


def test_the_in_brief_check_reads_the_boxes(built_book):
    """The check above finds the chapters' summaries and the money in them (so it cannot pass by reading nothing)."""
    with_money = [p for p in CHAPTER_PAGES if "£" in _in_brief(p)]
    assert len(with_money) >= 4, with_money

def _home(offline, book_url, width: int, height: int):
    """The home page in a fresh offline tab of the given viewport."""
    offline.resize(width, height)
    tab = offline.new_page()
    tab.goto(f"{book_url}/index.html", wait_until="load")
    return tab


#: The bottom of an element, in px from the top of the page (the page as first opened, not scrolled).
_BOTTOM = "e => e.getBoundingClientRect().bottom + window.scrollY"


@pytest.mark.browser
def test_home_page_shows_the_chapters_headlines(book_url, offline):
    tab = _home(offline, book_url, DESKTOP, 768)
    expected = findings.headline_rows(stored=True)
    main = expected[(expected["rank"] == 0) & ~expected["chapter"].str.contains(".", regex=False)]
    briefs = {ch.label: ch.short for ch in findings.CHAPTERS}
    # One screen: from the top of the page (theme header included) the opening sentences, the bottom
    # line and the summary of every chapter's headline, with its link to the findings in full, all
    # within the first 1366 x 768 viewport, nothing cut at the side.
    said = tab.locator(".swp-opening p")
    assert said.count() == len(findings.opening_sentences())
    assert said.last.evaluate("e => e.classList.contains('swp-bottom-line')")
    summary = tab.locator(".swp-findings-summary table.swp-findings-short")
    assert summary.count() == 1
    rows = summary.locator("tbody tr")
    assert rows.count() == len(main) == len(findings.CHAPTERS) - sum(ch.section is not None for ch in findings.CHAPTERS)
    height = tab.evaluate("() => window.innerHeight")
    bottom = tab.locator(".swp-findings-next").evaluate(_BOTTOM)
    assert height == 768 and bottom <= height, f"the summary ends at {bottom:.0f} px ({bottom / height:.2f} screens)"
    assert summary.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 2"), "summary cut at the side"
    for i, r in enumerate(main.to_dict("records")):
        cells = rows.nth(i).locator("td")
        assert _same(cells.nth(0).inner_text()) == _same(briefs[r["chapter"]])
        assert _same(cells.nth(1).inner_text()) == _same(r["Value"])
        assert cells.nth(2).inner_text().strip() == r["chapter"]
        assert cells.nth(2).locator("a").get_attribute("href").endswith(r["page"].split("/")[-1] + ".html#key-results")
        basis = r["Rests on an assumption"]
        assert cells.nth(3).inner_text().strip() == ("no" if basis == "data and model only" else "yes")
        # A short label reads on one line at 1366 px (its text makes one line box).
        lines = cells.nth(0).evaluate("e => { const r = document.createRange(); r.selectNodeContents(e); "
                                      "return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }")
        assert lines == 1, f"{briefs[r['chapter']]!r} takes {lines} lines"
    target = tab.locator(".swp-findings-next a").get_attribute("href").split("#")[1]
    assert tab.locator(f"#{target}").count() == 1
    # Every finding in full follows, each "yes" naming its assumption on the screen, not only on hover.
    headline_table = tab.locator(".swp-findings-full table.swp-findings-table").first
    rows = headline_table.locator("tbody tr")
    assert rows.count() == len(main)
    for i, r in enumerate(main.to_dict("records")):
        cells = rows.nth(i).locator("td")
        assert _same(cells.nth(0).inner_text()) == _same(r["label"])
        assert _same(cells.nth(1).inner_text()) == _same(r["Value"])
        assert cells.nth(2).inner_text().strip() == r["chapter"]
        assert cells.nth(2).locator("a").get_attribute("href").endswith(r["page"].split("/")[-1] + ".html#key-results")
        rests = cells.nth(3).inner_text().strip()
        basis = r["Rests on an assumption"]
        if basis == "data and model only":
            assert rests == "no"
        else:
            assert rests.startswith("yes") and cells.nth(3).locator("abbr").get_attribute("title") == basis
            named = cells.nth(3).locator("abbr + span")
            assert _same(named.inner_text()) == _same(f": {basis}")
            assert named.evaluate("e => e.getBoundingClientRect().width") > 20, f"chapter {r['chapter']}: {basis!r} is hidden"
    # The rest are behind a disclosure, closed until asked for.
    more = tab.locator(".swp-findings details")
    assert more.count() == 1 and not more.evaluate("d => d.open")
    more.locator("summary").click()
    assert more.locator("table tbody tr").count() == len(expected) - len(main)
    more.locator("summary").click()


@pytest.mark.browser
def test_home_page_reads_on_a_phone(book_url, offline):
    """At 390 x 844 nothing scrolls sideways, and the bottom line starts on the first screen."""
    tab = _home(offline, book_url, PHONE, 844)
    assert tab.evaluate("() => document.documentElement.scrollWidth") <= PHONE
    first = tab.locator(".swp-findings table.swp-findings-short tbody tr").first
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, box
    line = tab.locator(".swp-opening .swp-bottom-line")
    top = line.evaluate("e => e.getBoundingClientRect().top + window.scrollY")
    assert top <= tab.evaluate("() => window.innerHeight"), "the bottom line starts below the first screen"
    # Its chapter and whether it rests on an assumption share a line under its figure: a finding
    # reads as one short block.
    figure, chapter, rests = (first.locator("td").nth(i).bounding_box() for i in (1, 2, 3))
    assert chapter["y"] >= figure["y"] + figure["height"] - 1, (figure, chapter)
    assert abs(rests["y"] - chapter["y"]) < chapter["height"], (chapter, rests)
    assert not tab.errors and not offline.blocked


_SVG = "el => el.querySelector('.swp-chart-view svg').outerHTML"


def _settled_svg(tab, chart) -> str:
    """The chart's drawing once it has stopped changing."""
    last = chart.evaluate(_SVG)
    for _ in range(40):
        tab.wait_for_timeout(100)
        now = chart.evaluate(_SVG)
        if now == last:
            return now
        last = now
    return last


@pytest.mark.browser
def test_a_scenario_chosen_with_the_sliders_is_shared_as_a_link(book_url, offline):
    tab = open_offline(offline, f"{book_url}/book/08_piloting.html", DESKTOP)
    chart = tab.locator(".swp-chart", has=tab.locator("input[name=ch8_practices]"))
    assert chart.count() == 1
    slider = chart.locator("input[name=ch8_practices]")
    start = slider.input_value()
    before = _settled_svg(tab, chart)
    assert "=" not in tab.evaluate("() => location.hash")
    target = "20" if start != "20" else "25"
    slider.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", target)
    tab.wait_for_function("v => location.hash.includes('ch8_practices=' + v)", arg=target)
    after = _settled_svg(tab, chart)
    assert after != before, "moving the slider did not redraw the chart"
    url = tab.url
    assert chart.locator("a.swp-scenario-link").get_attribute("href").endswith(url.split("#", 1)[1])
    # Opened fresh, the link shows the same slider setting and the same chart.
    fresh = open_offline(offline, url, DESKTOP)
    again = fresh.locator(".swp-chart", has=fresh.locator("input[name=ch8_practices]"))
    assert again.locator("input[name=ch8_practices]").input_value() == target
    assert _settled_svg(fresh, again) == after
    # Put back to where it started, the control leaves the address.
    slider = again.locator("input[name=ch8_practices]")
    slider.evaluate("(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }", start)
    fresh.wait_for_function("() => !location.hash.includes('ch8_practices=')")
    assert not fresh.errors and not offline.blocked


@pytest.mark.browser
@pytest.mark.changes_page  # opens each chart's data panel
@pytest.mark.parametrize("page", CHAPTER_PAGES)
def test_every_chart_has_a_description_and_its_data(page, loaded):
    shown = loaded(page, DESKTOP)
    tab = shown.tab
    charts_ = tab.locator(".swp-chart")
    assert charts_.count() > 0
    for i in range(charts_.count()):
        chart = charts_.nth(i)
        label = chart.get_attribute("aria-label") or ""
        assert len(label) > 20, f"chart {i} on {page} has no description"
        details = chart.locator("details.swp-chart-data")
        details.locator("summary").click()
        details.locator("table.swp-chart-table tbody tr").first.wait_for(timeout=5_000)
        link = details.locator("a.swp-download").first
        with tab.expect_download() as dl:
            link.click()
        text = Path(dl.value.path()).read_text(encoding="utf-8")
        assert text.count("\n") >= 2 and "," in text.splitlines()[0]
    key = tab.locator("table.swp-key-results")
    assert key.count() == 1
    link = tab.locator(".swp-download-line a[download$='-key-results.csv']")
    assert link.count() == 1  # the key-results table's own link, whatever tables come before it (the scenario)
    with tab.expect_download() as dl:
        link.click()
    assert dl.value.suggested_filename.endswith("key-results.csv")
    assert Path(dl.value.path()).read_text(encoding="utf-8").startswith("result,value,")
    assert not shown.blocked


@pytest.mark.browser
@pytest.mark.parametrize("page", PAGES)
def test_pages_are_light_and_load_only_what_they_use(page, loaded):
    shown = loaded(page, DESKTOP)
    tab, sizes = shown.tab, shown.sizes
    tab.wait_for_load_state("networkidle")
    if tab.locator(".math").count():
        # MathJax is fetched once the page has loaded (after the charts' drawings): on a busy machine that can
        # come after the first quiet spell of the network, so wait until it has run, then for quiet again.
        tab.wait_for_function("() => window.MathJax && window.MathJax.version", timeout=30_000)
        tab.wait_for_load_state("networkidle")
    total = sum(sizes.values())
    assert any(u.endswith(page) for u in sizes), f"no response recorded for {page}"
    assert total < MAX_TRANSFER, f"{page} transfers {total / 1e6:.2f} MB (text gzip-compressed)"
    urls = " ".join(sizes)
    assert "fontawesome" not in urls and "fa-solid-900" not in urls
    has_chart = tab.locator(".swp-chart").count() > 0
    assert ("vega-bundle.js" in urls) == has_chart, page
    has_maths = tab.locator(".math").count() > 0
    assert ("tex-chtml.js" in urls) == has_maths, page
    assert "widget-state+json" not in tab.content()


CONTENT_PAGES = [p for p in PAGES if p not in ("genindex.html", "py-modindex.html", "search.html")]


@pytest.mark.browser
@pytest.mark.parametrize("page", CONTENT_PAGES)
def test_every_page_names_its_version_repository_and_pdfs(page, loaded):
    tab = loaded(page, DESKTOP).tab
    colophon = tab.locator("aside.swp-colophon")
    text = colophon.inner_text()
    assert re.search(r"version \d+\.\d+\.\d+", text) and re.search(r"built \d{4}-\d\d-\d\d", text)
    hrefs = colophon.locator("a").evaluate_all("els => els.map(a => a.href)")
    assert page == "book/reproducing.html" or any(h.endswith("reproducing.html") for h in hrefs)
    for href in hrefs:
        if href.endswith(".pdf"):
            assert tab.request.get(href).ok, f"{page} links a missing PDF {href}"


@pytest.mark.browser
def test_data_tables_download_from_the_book(book_url, offline):
    tab = open_offline(offline, f"{book_url}/book/data_catalogue.html", DESKTOP)
    links = tab.locator("a[href$='.csv']").evaluate_all("els => els.map(a => a.href)")
    names = {Path(p).stem for p in (ROOT / "data").glob("*.json")}
    assert names <= {Path(h).stem for h in links}
    for href in links:
        assert tab.request.get(href).ok, href
        assert tab.request.get(href.removesuffix(".csv") + ".json").ok or href.endswith("sources.csv")
    assert tab.request.get(f"{book_url}/datapackage.json").ok
    assert tab.request.get(f"{book_url}/key-results/chapter_01_key_results.csv").ok


@pytest.mark.browser
@pytest.mark.parametrize("page", OWN_PAGES)
def test_no_reference_to_a_chapter_the_book_lacks(page, loaded):
    tab = loaded(page, DESKTOP).tab
    text = tab.locator("main").inner_text()
    known = {ch.number for ch in findings.CHAPTERS}
    for m in re.finditer(r"[Cc]hapters? (\d+)(?:(?:,| and| or| to) (\d+))*", text):
        for n in re.findall(r"\d+", m.group(0)):
            assert int(n) in known, f"{page} refers to chapter {n}, which the book lacks: {m.group(0)!r}"


def bibliography_keys() -> set[str]:
    """Every key of ``data/sources.csv`` and ``book/references.bib`` (less the ones that are English words)."""
    keys = set(re.findall(r"^([a-z0-9_]+),", (ROOT / "data" / "sources.csv").read_text(encoding="utf-8"), re.M))
    keys |= set(re.findall(r"^@\w+\{([^,\s]+),", (ROOT / "book" / "references.bib").read_text(encoding="utf-8"), re.M))
    return keys - {"key", "assumption"}  # "assumption" is also an English word the pages use


def test_bibliography_keys_are_read():
    assert {"legrand2007", "lordsgc2008", "lordswa2009"} <= bibliography_keys()


@pytest.mark.browser
@pytest.mark.parametrize("page", CONTENT_PAGES)
def test_no_citation_key_or_raw_latex_reaches_the_reader(page, loaded):
    tab = loaded(page, DESKTOP).tab
    text = tab.locator("main").inner_text()
    keys = bibliography_keys()
    if not page.startswith(("book/reference/", "book/data_catalogue", "book/assumptions")):
        shown = sorted(k for k in keys if re.search(rf"\b{re.escape(k)}\b", text))
        assert not shown, f"{page} shows citation keys {shown}"
    for raw in ("\\emph", "\\textit", "{\\", "``"):
        assert raw not in text, f"{page} shows raw markup {raw!r}"


def _pdf_pages(path: Path) -> list:
    from pypdf import PdfReader

    return PdfReader(str(path)).pages


@pytest.mark.browser
def test_pdfs_are_a4_and_render(tmp_path):
    from pypdf import PdfReader

    sys.path.insert(0, str(ROOT / "_ext"))
    from swp_book import BOOK_PDF, pdf_name

    sys.path.insert(0, str(ROOT / "scripts"))
    from make_pdfs import toc_pages

    folder = HTML / "pdf"
    total = 0
    for doc in toc_pages():
        path = folder / pdf_name(doc)
        assert path.is_file(), f"no PDF of {doc}: run `make pdf`"
        pages = PdfReader(str(path)).pages
        w, h = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
        assert abs(w - 595) < 3 and abs(h - 842) < 3, f"{path.name} is {w}x{h} pt, not A4"
        total += len(pages)
    book = PdfReader(str(folder / BOOK_PDF))
    assert total < len(book.pages) <= total + 8  # a title page and the contents, then every page
    text = PdfReader(str(folder / pdf_name("book/05_contracts"))).pages[0].extract_text()
    assert "Paying a practice" in text
    # Chromium's charts survive printing: the first chart page of chapter 2 renders to an image.
    out = tmp_path / "page"
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(folder / pdf_name("book/02_continuity")),
                    str(out)], check=True)
    assert list(tmp_path.glob("page*.png"))


@pytest.mark.browser
@pytest.mark.parametrize("page", CHART_PAGES)
def test_every_chart_prints_within_one_a4_page(page, loaded):
    """In print every chart is no wider than the A4 text column and no taller than the page, so
    Chromium never cuts a chart (its legend or source line) across two pages."""
    tab = loaded(page, PRINT_WIDTH, PRINT_HEIGHT, "print").tab
    mm = 96 / 25.4
    sizes = tab.evaluate("() => Array.from(document.querySelectorAll('.swp-chart svg')).map(s => {"
                         " const r = s.getBoundingClientRect(); return [r.width, r.height]; })")
    assert sizes
    for i, (w, h) in enumerate(sizes):
        assert w <= 182 * mm + 1 and h <= (297 - 15 - 16) * mm, f"chart {i + 1} on {page} prints {w:.0f}x{h:.0f} px"


_CONTRAST = """el => {
  const rgb = s => s.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                     return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  let bg = el, back = 'rgba(0, 0, 0, 0)';
  while (bg && (back = getComputedStyle(bg).backgroundColor) === 'rgba(0, 0, 0, 0)') bg = bg.parentElement;
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(rgb(bg ? back : 'rgb(255, 255, 255)'))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


@pytest.mark.browser
def test_a_link_under_the_pointer_keeps_its_contrast(book_url, offline):
    """The theme's hover colour for links (an orange of 2.5:1 on white) is darkened to at least 4.5:1."""
    tab = open_offline(offline, f"{book_url}/book/05_contracts.html", DESKTOP)
    link = tab.locator(".swp-download-line a[download$='-key-results.csv']")
    before = link.evaluate("el => getComputedStyle(el).color")
    link.hover()
    tab.wait_for_function("([el, before]) => getComputedStyle(el).color !== before", arg=[link.element_handle(), before])
    assert link.evaluate(_CONTRAST) >= 4.5


@pytest.mark.browser
@pytest.mark.changes_page  # adds axe's script to the page
@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_no_serious_accessibility_violation(page, loaded):
    assert AXE.is_file(), f"axe-core is missing ({AXE}): run `make _build/axe/axe.min.js` (make test does)"
    tab = loaded(page, DESKTOP).tab
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        "async () => { const r = await axe.run(document, {resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})); }"
    )
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert not serious, f"{page}: {serious}"
