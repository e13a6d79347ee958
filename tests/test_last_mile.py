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

from conftest import DESKTOP, HTML, PHONE, PRINT_HEIGHT, PRINT_WIDTH, ROOT, open_offline

from swp_models import charts

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
def test_tables_read_on_a_phone(page, loaded):
    """At 390 px a table of words is a stack of cards (it never scrolls sideways); a wide table of
    numbers scrolls in its box; every caption stays above the box, out of the scroll."""
    tab = loaded(page, PHONE).tab
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
    phone = open_offline(offline, f"{book_url}/book/07_abroad.html", PHONE)
    cards = phone.locator("table.swp-cards")
    assert cards.count() >= 2
    assert cards.first.locator("tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == "block"
    label = cards.first.locator("tbody td[data-label]").nth(1).evaluate(
        "td => getComputedStyle(td, '::before').content")
    assert label.strip('"').endswith(": ")
    desk = open_offline(offline, f"{book_url}/book/07_abroad.html", DESKTOP)
    assert desk.locator("table.swp-cards tbody tr").first.evaluate("tr => getComputedStyle(tr).display") == "table-row"


@pytest.mark.browser
@pytest.mark.parametrize("page", _chapter_pages())
def test_no_table_loses_its_last_column_on_a_laptop(page, loaded):
    tab = loaded(page, DESKTOP).tab
    cut = [t["caption"] for t in tab.evaluate(_TABLES) if t["lastCut"]]
    assert not cut, f"{page}: tables whose last column is cut off: {cut}"


# ---------------------------------------------------------------- 3. links that land

_SLIDER = "input[name=ch4_budget_frontline]"
_MOVE = "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); }"


@pytest.mark.browser
def test_a_scenario_link_opens_at_its_chart_and_says_it_was_copied(book_url, offline):
    tab = open_offline(offline, f"{book_url}/book/04_practice_costs.html", DESKTOP)
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
    fresh = open_offline(offline, url, DESKTOP)
    again = fresh.locator(".swp-chart", has=fresh.locator(_SLIDER))
    assert again.locator(_SLIDER).input_value() == "10"
    fresh.wait_for_function("el => { const r = el.getBoundingClientRect(); return r.top > -5 && r.top < innerHeight / 2; }",
                            arg=fresh.locator(f"#{figure}").element_handle(), timeout=10_000)
    assert fresh.evaluate("() => window.scrollY") > 1000, "the link opened at the top of the page"
    assert not fresh.errors and not offline.blocked


@pytest.mark.browser
@pytest.mark.parametrize("value", ["7.5", "99", "%22many%22"])
def test_a_value_the_chart_does_not_hold_falls_back_with_a_notice(value, book_url, offline):
    tab = open_offline(offline, f"{book_url}/book/04_practice_costs.html#fig-budget&ch4_budget_frontline={value}", DESKTOP)
    chart = tab.locator(".swp-chart", has=tab.locator(_SLIDER))
    assert chart.locator(_SLIDER).input_value() == "8"
    notice = chart.locator(".swp-scenario-notice")
    assert notice.is_visible() and "does not offer" in notice.inner_text()
    assert chart.locator(".swp-chart-view svg path, .swp-chart-view svg rect").count() > 5
    assert "ch4_budget_frontline" not in tab.evaluate("() => location.hash")


# ---------------------------------------------------------------- 7. a printed book

def _pdf_docs() -> list[str]:
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from make_pdfs import toc_pages

    return toc_pages()


@pytest.mark.browser
def test_the_book_pdf_has_a_title_contents_bookmarks_and_page_numbers(built_book):
    import sys

    import yaml
    from pypdf import PdfReader

    sys.path.insert(0, str(ROOT / "_ext"))
    from swp_book import BOOK_PDF, pdf_name

    folder = HTML / "pdf"
    book = PdfReader(str(folder / BOOK_PDF))
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert book.metadata.title == config["title"] and book.metadata.author == config["author"]
    assert book.metadata.subject
    # A title page, then the contents with page numbers.
    assert config["title"].split(":")[0] in book.pages[0].extract_text()
    contents = book.pages[1].extract_text()
    assert "Contents" in contents and re.search(r"The problem in numbers\s*\d+", contents.replace("\n", " "))
    # Bookmarks by chapter and section title (never a file name), nested.
    top = [o for o in book.outline if not isinstance(o, list)]
    titles = [o.title for o in top]
    assert "The problem in numbers" in titles and "Paying a practice: eleven contracts in four families" in " | ".join(titles)
    assert not [t for t in titles if re.search(r"book-|\.pdf|_", t)], titles
    assert any(isinstance(o, list) and any("1.1. Key results" == getattr(x, "title", "") for x in o) for o in book.outline)
    # Page numbers run on through the book: each page's PDF starts where the last one stopped.
    number = 0
    for doc in _pdf_docs():
        pages = PdfReader(str(folder / pdf_name(doc))).pages
        assert f"Page {number + 1}" in pages[0].extract_text(), f"{doc} does not start at page {number + 1}"
        number += len(pages)
    front = len(book.pages) - number
    assert 2 <= front <= 8
    # The contents' numbers are the printed ones: chapter 1 is where the contents say.
    listed = int(re.search(r"The problem in numbers\s*(\d+)", contents.replace("\n", " ")).group(1))
    assert "The problem in numbers" in book.pages[front + listed - 1].extract_text()


def test_pages_link_only_pdfs_that_exist(built_book):
    """The build hides each page's PDF links; ``scripts/make_pdfs.py`` shows them once it has printed."""
    import sys

    sys.path.insert(0, str(ROOT / "_ext"))
    from swp_book import BOOK_PDF, pdf_name

    for doc in _pdf_docs():
        text = (HTML / f"{doc}.html").read_text(encoding="utf-8")
        m = re.search(r'<p class="swp-pdf-links"( hidden)?>', text)
        assert m, f"{doc} has no PDF links"
        if not m.group(1):
            assert (HTML / "pdf" / pdf_name(doc)).is_file() and (HTML / "pdf" / BOOK_PDF).is_file(), \
                f"{doc} links a PDF that was not printed"


def test_pdf_links_are_hidden_until_printed(tmp_path):
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from make_pdfs import show_pdf_links

    page = tmp_path / "book" / "x.html"
    page.parent.mkdir()
    page.write_text('<p class="swp-pdf-links" hidden>PDF: ...</p>', encoding="utf-8")
    assert show_pdf_links(tmp_path, ["book/x"]) == 1
    assert 'class="swp-pdf-links">' in page.read_text(encoding="utf-8")


# ---------------------------------------------------------------- 8. where the book lives

def test_colophon_prints_only_a_public_address(tmp_path):
    import sys
    import types
    import zipfile

    sys.path.insert(0, str(ROOT / "_ext"))
    import swp_book

    def app(url):
        return types.SimpleNamespace(config=types.SimpleNamespace(html_theme_options={"repository_url": url}))

    assert swp_book._repository_url(app("https://example.org/swp/workbook.git")) == "https://example.org/swp/workbook"
    for local in ("/work/main", "file:///work/main", "git@example.org:swp/workbook.git", "http://example.org/x", ""):
        assert swp_book._repository_url(app(local)) == "", local
    zipped = swp_book.write_source_zip(tmp_path / "src.zip")
    names = zipfile.ZipFile(zipped).namelist()
    assert "swp-workbook/swp_models/engine.py" in names and "swp-workbook/CITATION.cff" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith("vega-bundle.js")]


def test_the_built_book_serves_its_citation_and_source_and_names_no_local_path(built_book):
    assert (HTML / "CITATION.cff").read_text(encoding="utf-8") == (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    manifest = (HTML / "key-results" / "manifest.json").read_text(encoding="utf-8")
    assert str(ROOT) not in manifest and "/work/" not in manifest and "/home/" not in manifest
    for page in ("index.html", "book/preface.html", "book/05_contracts.html"):
        colophon = (HTML / page).read_text(encoding="utf-8").split('class="swp-colophon"', 1)[1]
        assert str(ROOT) not in colophon and "file://" not in colophon
        links = re.findall(r'href="([^"]+)"', colophon)
        assert any(h.endswith("CITATION.cff") for h in links)
        outside = [h for h in links if re.match(r"[a-z]+:", h)]
        assert all(h.startswith("https://") for h in outside), outside
        if not outside:
            assert (HTML / "source" / "swp-workbook-source.zip").is_file()


def test_the_preface_says_who_stands_behind_the_book():
    text = (ROOT / "book" / "preface.md").read_text(encoding="utf-8")
    section = text.split("## Who stands behind this book", 1)[1].split("\n## ", 1)[0]
    assert "review" in section and "2005" in section and "2013" in section and "England" in section


# ---------------------------------------------------------------- 9. details

def test_the_home_page_numbers_a_section_page_as_its_own_page_does(built_book):
    home = (HTML / "index.html").read_text(encoding="utf-8")
    shown = dict(re.findall(r'<span class="swp-secnum" data-doc="([^"]+)">([^<]*)</span>', home))
    assert "book/05_sensitivity" in shown
    for doc, label in shown.items():
        m = re.search(r'<h1><span class="section-number">([\d.]+?)\.? </span>',
                      (HTML / f"{doc}.html").read_text(encoding="utf-8"))
        assert m and m.group(1) == label, f"the home page numbers {doc} {label}, its page {m and m.group(1)}"


@pytest.mark.browser
def test_radio_groups_are_named_and_header_buttons_show_focus(book_url, offline):
    tab = open_offline(offline, f"{book_url}/book/02_continuity.html", DESKTOP)
    groups = tab.locator(".swp-chart fieldset.swp-radio-group")
    assert groups.count() >= 2
    assert tab.locator(".swp-chart .vega-bind-radio").count() == groups.count(), "a radio group outside a fieldset"
    for i in range(groups.count()):
        legend = groups.nth(i).locator(":scope > legend")
        assert legend.inner_text().strip() and groups.nth(i).locator("input[type=radio]").count() >= 2
        assert legend.is_visible()
    button = tab.locator(".article-header-buttons .dropdown-toggle").first
    button.focus()
    tab.keyboard.press("Shift+Tab")
    tab.keyboard.press("Tab")
    assert tab.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    pdf = tab.locator(".btn-download-pdf-button")
    printed = tab.locator(".swp-pdf-links:not([hidden]) a")
    if printed.count():
        assert pdf.get_attribute("onclick") is None
    else:
        assert pdf.inner_text().strip() == "Print"


def test_the_contract_designer_keeps_its_cost_axis_and_one_money_format():
    from swp_models.figures import contracts as fig

    spec = fig.design_chart().to_dict()
    text = json.dumps(spec)
    scales = re.findall(r'"field": "cost", "scale": (\{.*?\}\})', text)
    assert scales and all('"expr"' in s and "ch5_design_scope" in s for s in scales), scales
    assert '"zero": false' not in text
    assert "'m'" in text  # £ millions above £1,000k, as the rest of the book writes them


# ---------------------------------------------------------------- 6. one way to summarise a chapter

#: The chapters that open with the callout.
SUMMARISED = ["01_problem", "02_continuity", "03_child_costs", "04_practice_costs", "05_contracts", "05_sensitivity",
              "06_outcomes", "07_abroad", "08_piloting", "09_what_happened", "10_appraisal"]


@pytest.mark.parametrize("name", SUMMARISED)
def test_a_chapter_opens_with_at_most_five_bold_findings(name):
    cells = json.loads((ROOT / "book" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"])
    m = re.search(r"```\{admonition\} In brief\n:class: important\n(.*?)\n```", first, re.S)
    assert m, f"{name} does not open with the 'In brief' callout"
    bullets = re.findall(r"^\* (.*?)(?=^\* |\Z)", m.group(1), re.S | re.M)
    assert 1 <= len(bullets) <= 5, f"{name}: {len(bullets)} findings"
    for b in bullets:
        assert b.startswith("**"), f"{name}: a finding without its bold line: {b[:60]!r}"
    assert "**In brief.**" not in first and "In short:" not in first


#: The chapters whose prose keeps to the reading limits: no paragraph over 120 words, no sentence over 40.
SHORT_PROSE = ["01_problem", "02_continuity", "03_child_costs", "04_practice_costs", "05_contracts", "05_sensitivity",
               "06_outcomes", "07_abroad", "08_piloting", "09_what_happened", "10_appraisal", "10_summary",
               "data_catalogue", "assumptions"]
_PARAGRAPH_WORDS, _SENTENCE_WORDS = 120, 40


def _prose_paragraphs(markdown: str) -> list[list[str]]:
    """The words of each prose paragraph (each list item its own) in a markdown cell's text.

    Code and glued markdown, maths, tables, block quotes and headings are not prose; a role such as
    {term}`text <Target>` or {glue:text}`name` reads as its text, a link as its words.
    """
    kept, fence = [], None
    for line in markdown.split("\n"):
        if fence is None and line.startswith("```"):
            # a callout's text is prose; code, glued markdown and any other fenced block are not
            fence = "keep" if re.match(r"```\{(?:admonition|note|important|tip|warning|seealso)\}", line) else "drop"
        elif fence is not None and line.strip() == "```":
            fence = None
        elif fence != "drop" and not re.match(r"\s*(?:[|>#]|:[a-z-]+:|\(.*\)=\s*$)", line):
            kept.append(line)
    text = re.sub(r"\$\$.*?\$\$", "", "\n".join(kept), flags=re.S)
    out = []
    for para in re.split(r"\n\s*\n|\n(?=\s*(?:[*-]|\d+\.) )", text):
        para = re.sub(r"\{[a-z:-]+\}`([^`<]*?)\s*(?:<[^>]*>)?`", r"\1", para)
        para = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", para)
        if para.split():
            out.append(para.split())
    return out


def _too_long(markdown: str) -> list[str]:
    long = []
    for words in _prose_paragraphs(markdown):
        if len(words) > _PARAGRAPH_WORDS:
            long.append(f"paragraph of {len(words)} words: {' '.join(words[:10])} ...")
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z(*\"'\u2018\u201c])", " ".join(words)):
            if len(sentence.split()) > _SENTENCE_WORDS:
                long.append(f"sentence of {len(sentence.split())} words: {sentence[:90]} ...")
    return long


def test_the_prose_counter_counts_paragraphs_and_sentences_not_code_tables_or_quotes():
    sentence = " ".join(["word"] * 39) + "."
    assert _too_long(sentence) == [] and _too_long(" ".join(["word"] * 41) + ".")
    paragraph = " ".join([sentence[:-1].replace("word", "Word", 1) + "."] * 4)
    assert len(_prose_paragraphs(paragraph)[0]) == 156 and _too_long(paragraph)[0].startswith("paragraph of 156")
    assert _too_long("\n\n".join([sentence] * 4)) == []  # four short paragraphs
    assert _too_long("* " + sentence + "\n* " + sentence + "\n* " + sentence + "\n* " + sentence) == []
    ignored = ("```python\n" + " ".join(["x"] * 200) + "\n```\n\n| " + " | ".join(["cell"] * 130) + " |\n\n> "
               + " ".join(["quoted"] * 130) + "\n\n$$\n" + " ".join(["a"] * 130) + "\n$$")
    assert _prose_paragraphs(ignored) == []
    assert _prose_paragraphs("A {term}`design effect <Design effect>` and {glue:text}`ch8_icc`.") == [
        ["A", "design", "effect", "and", "ch8_icc."]]


@pytest.mark.parametrize("name", SHORT_PROSE)
def test_paragraphs_and_sentences_are_short(name):
    cells = json.loads((ROOT / "book" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    long = [f"cell {i}: {what}" for i, c in enumerate(cells) if c["cell_type"] == "markdown"
            for what in _too_long("".join(c["source"]))]
    assert not long, f"{name}: split these (at most {_PARAGRAPH_WORDS} words a paragraph, " \
                     f"{_SENTENCE_WORDS} a sentence):\n" + "\n".join(long)


# ---------------------------------------------------------------- 4. plain words

#: The chapters whose charts' controls, axes, legends and subtitles are checked for symbols.
PLAIN_CHARTS = ["01_problem", "02_continuity", "03_child_costs", "04_practice_costs", "05_contracts", "05_sensitivity",
                "06_outcomes", "07_abroad", "08_piloting", "09_what_happened", "10_appraisal"]
#: Symbols and model names that belong in a tooltip and the glossary, not on a control, axis, legend or subtitle.
_SYMBOL = re.compile(r"\bICC\b|\bMDD\b|\bDE\b|(?<!£)\bk\b|1/r|\bP95\b|E\[C\]|\bVar\(|\bPoisson\b|\bFFT\b|\bSobol\b|"
                     r"[\u03b1\u03b2\u03c1\u03c3]|\bs\*|\bCV\b")


def _chart_labels(spec: dict) -> list[str]:
    """Every control label, option label, axis, legend and header title, chart title and subtitle in a
    Vega-Lite spec, and the values of the fields drawn on an axis, legend or as text (tooltips apart)."""
    labels: list[str] = []
    fields: set[str] = set()

    def walk(node, key=""):
        if isinstance(node, list):
            for x in node:
                walk(x, key)
            return
        if not isinstance(node, dict):
            return
        if key == "bind":
            labels.append(str(node.get("name", "")))
            labels.extend(str(x) for x in node.get("labels", []))
            return
        if key == "encoding":
            for channel, enc in node.items():
                if channel in ("tooltip", "href", "description") or not isinstance(enc, dict):
                    continue
                if isinstance(enc.get("title"), str):
                    labels.append(enc["title"])
                if isinstance(enc.get("field"), str):
                    fields.add(enc["field"])
        if key == "title" or key in ("axis", "legend", "header"):
            for k in ("text", "subtitle", "title"):
                v = node.get(k)
                labels.extend([v] if isinstance(v, str) else [str(x) for x in v] if isinstance(v, list) else [])
        for k, v in node.items():
            if k != "datasets":
                walk(v, k)

    walk(spec)
    if isinstance(spec.get("title"), str):
        labels.append(spec["title"])
    for rows in (spec.get("datasets") or {}).values():
        labels.extend(str(r[f]) for r in rows if isinstance(r, dict) for f in fields & set(r) if isinstance(r[f], str))
    return labels


def test_the_label_reader_finds_a_symbol_on_a_control_an_axis_and_a_subtitle():
    spec = {"params": [{"name": "p", "bind": {"input": "range", "name": "ICC "}}],
            "vconcat": [{"title": {"text": "T", "subtitle": ["Read at E[C]"]}, "datasets": {},
                         "encoding": {"x": {"field": "f", "title": "Effort cost k"},
                                      "tooltip": [{"field": "g", "title": "ICC"}]}}],
            "datasets": {"d": [{"f": "Reading: Poisson", "g": "P95"}]}}
    found = {x for x in _chart_labels(spec) if _SYMBOL.search(x)}
    assert found == {"ICC ", "Effort cost k", "Read at E[C]", "Reading: Poisson"}, found  # not the tooltip's
    # "£k" is thousands of pounds, not the effort cost k
    assert not _SYMBOL.search("Council's expected cost (£k a year)") and _SYMBOL.search("cost k (£k)")


@pytest.mark.parametrize("name", PLAIN_CHARTS)
def test_controls_axes_legends_and_subtitles_speak_plain_english(name):
    cells = json.loads((ROOT / "book" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    specs = [v for c in cells if c["cell_type"] == "code" for o in c.get("outputs", [])
             for k, v in o.get("data", {}).items() if k.startswith("application/vnd.vegalite")]
    assert specs, f"{name}: no stored charts"
    bad = sorted({x for spec in specs for x in _chart_labels(spec) if _SYMBOL.search(x)})
    assert not bad, f"{name}: labels that speak in symbols (put the symbol in the tooltip and the glossary): {bad}"


def test_the_pilot_explorer_speaks_plain_english_with_its_symbols_in_tooltips():
    import ipywidgets  # noqa: F401  (pinned; a missing install must fail, not skip)

    from swp_models.explore.evaluation import explorer

    controls = explorer().controls
    words = [c.description for c in controls.values()]
    words += [str(label) for c in controls.values() for label, _ in getattr(c, "options", ())]
    assert not [w for w in words if _SYMBOL.search(w)], words
    assert "ICC" in controls["icc"].tooltip and "lpha" in controls["alpha"].tooltip
    assert "ower" in controls["power"].tooltip


# ---------------------------------------------------------------- 1. no text cut off

#: Every chart's visible text: any ending in "…" (cut by a label or text limit), and any pair of texts
#: drawn over one another (more than a quarter of the smaller one covered).
_CHART_TEXT = """() => {
  const out = [];
  document.querySelectorAll('.swp-chart').forEach((c, i) => {
    const texts = Array.from(c.querySelectorAll('.swp-chart-view svg text')).filter(t => t.getClientRects().length
      && t.getAttribute('opacity') !== '0' && getComputedStyle(t).opacity !== '0' && t.textContent.trim());
    const where = (c.closest('figure[id]') || c).id;
    texts.filter(t => /\\u2026$/.test(t.textContent.trim())).forEach(t => out.push(where + ' cut: ' + t.textContent.trim()));
    const boxes = texts.map(t => ({t: t.textContent.trim(), r: t.getBoundingClientRect()})).filter(b => b.r.width > 1);
    for (let a = 0; a < boxes.length; a++) for (let b = a + 1; b < boxes.length; b++) {
      const A = boxes[a].r, B = boxes[b].r;
      const w = Math.min(A.right, B.right) - Math.max(A.left, B.left);
      const h = Math.min(A.bottom, B.bottom) - Math.max(A.top, B.top);
      if (w > 2 && h > 2 && w * h > 0.25 * Math.min(A.width * A.height, B.width * B.height)) {
        out.push(where + ' overlap: ' + boxes[a].t.slice(0, 40) + ' / ' + boxes[b].t.slice(0, 40));
      }
    }
  });
  return out;
}"""


def _chart_pages() -> list[str]:
    return [p for p in _chapter_pages() + ["book/05_sensitivity.html"]
            if (HTML / p).is_file() and 'class="swp-chart"' in (HTML / p).read_text(encoding="utf-8")]


@pytest.mark.browser
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("page", _chart_pages())
def test_no_chart_text_is_cut_or_drawn_over_other_text(page, width, loaded):
    tab = loaded(page, width).tab
    bad = tab.evaluate(_CHART_TEXT)
    assert not bad, f"{page} at {width} px:\n" + "\n".join(bad)


@pytest.mark.browser
@pytest.mark.parametrize("page", _chart_pages())
def test_no_chart_text_is_cut_in_print(page, loaded):
    # As scripts/make_pdfs.py prints: charts fitted to an A4 text column, then the print stylesheet.
    tab = loaded(page, PRINT_WIDTH, PRINT_HEIGHT, "print").tab
    bad = tab.evaluate(_CHART_TEXT)
    assert not bad, f"{page} in print:\n" + "\n".join(bad)


def test_build_time_drawings_wrap_long_labels_instead_of_cutting_them():
    import sys

    import vl_convert as vlc

    sys.path.insert(0, str(ROOT / "_ext"))
    import swp_static_charts as static

    from swp_models.charts import _vega_lite_version

    long = "Emotional or behavioural difficulties and offending, the dearest group of all"
    spec = {"datasets": {"d": [{"group": long, "cost": 3}, {"group": "None", "cost": 1}]},
            "data": {"name": "d"}, "mark": "bar",
            "encoding": {"y": {"field": "group", "type": "nominal"}, "x": {"field": "cost", "type": "quantitative"},
                         "color": {"field": "group", "type": "nominal"}}}
    drawn = static.desktop_spec(spec, width=390)
    assert "labelExpr" in drawn["encoding"]["y"]["axis"] and drawn["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert drawn["height"]["step"] > 20  # room for the label's lines
    svg = vlc.vegalite_to_svg(drawn, vl_version=_vega_lite_version())
    assert "\u2026" not in svg and svg.count("<tspan") >= 3
    assert "<tspan" not in vlc.vegalite_to_svg(static.desktop_spec({**spec, "encoding": {
        "y": {"field": "group", "type": "nominal"}, "x": {"field": "cost", "type": "quantitative"}},
        "datasets": {"d": [{"group": "Short", "cost": 1}]}}), vl_version=_vega_lite_version())


# ---------------------------------------------------------------- 9. tables as CSV

_CSV_TABLE = """<meta name="swp-price-year" content="{year}">
<table class="swp-table"><caption>{caption}</caption>
<thead><tr><th>Contract</th><th>Council cost</th><th>Range</th><th>Chance (95% interval)</th>
<th>Effect</th><th>Seed</th><th>Note</th></tr></thead>
<tbody>
<tr><th>Block</th><td>\u2212\u2060£37,566</td><td>£386k to £704k</td><td>80% (75.4-83.9%)</td>
<td>+£134 (± £5)</td><td>2007</td><td>as reported</td></tr>
<tr><th>Capitation, flat rate</th><td>£4.284m</td><td>£50,000-£54,000</td><td>4.1%</td><td>−£11k (± £227)</td>
<td>2008</td><td>—</td></tr>
<tr><th>Cost and volume, 50% shared</th><td>—</td><td>£0 to £0</td><td>0%</td><td>£0 (± £0)</td><td>2009</td>
<td>assumed</td></tr>
</tbody></table>"""


def _table_csv(browser, caption: str = "Costs (£ a year)", year: str = "2005-06") -> list[dict[str, str]]:
    import csv
    import io

    tab = browser.new_page()
    try:
        tab.set_content("<!DOCTYPE html><html><head></head><body>"
                        + _CSV_TABLE.format(year=year, caption=caption) + "</body></html>")
        tab.add_script_tag(path=str(ROOT / "_static" / "swp-book.js"))
        text = tab.evaluate("() => window.swpTableCsv(document.querySelector('table'))")
    finally:
        tab.close()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.browser
def test_table_csv_gives_numbers_with_units_and_bounds_beside_the_words(browser):
    from swp_models.tables import PRICE_YEAR

    py = PRICE_YEAR.replace("-", "_")
    rows = _table_csv(browser, year=PRICE_YEAR)
    assert list(rows[0]) == [
        "contract", "council_cost", f"council_cost_gbp_{py}", "range", f"range_low_gbp_{py}",
        f"range_high_gbp_{py}", "chance_95_pct_interval", "chance_95_pct_interval_pct",
        "chance_95_pct_interval_low_pct", "chance_95_pct_interval_high_pct", "effect", f"effect_gbp_{py}",
        f"effect_low_gbp_{py}", f"effect_high_gbp_{py}", "seed", "note"]
    first, second, third = rows
    assert first["council_cost"] == "\u2212\u2060£37,566" and first[f"council_cost_gbp_{py}"] == "-37566"
    assert second[f"council_cost_gbp_{py}"] == "4284000" and third[f"council_cost_gbp_{py}"] == ""
    assert (first[f"range_low_gbp_{py}"], first[f"range_high_gbp_{py}"]) == ("386000", "704000")
    assert (second[f"range_low_gbp_{py}"], second[f"range_high_gbp_{py}"]) == ("50000", "54000")
    assert (first["chance_95_pct_interval_pct"], first["chance_95_pct_interval_low_pct"],
            first["chance_95_pct_interval_high_pct"]) == ("80", "75.4", "83.9")
    assert second["chance_95_pct_interval_low_pct"] == ""
    assert (first[f"effect_gbp_{py}"], first[f"effect_low_gbp_{py}"], first[f"effect_high_gbp_{py}"]) == \
        ("134", "129", "139")
    assert (second[f"effect_gbp_{py}"], second[f"effect_low_gbp_{py}"]) == ("-11000", "-11227")
    assert [r["seed"] for r in rows] == ["2007", "2008", "2009"]  # plain numbers: no second column


@pytest.mark.browser
def test_table_csv_names_the_price_year_its_caption_gives(browser):
    assert "range_low_gbp_2012_13" in _table_csv(browser, caption="Costs (£, 2012-13 prices)")[0]
    assert "range_low_gbp_cash" in _table_csv(browser, caption="Net present cost (£, the year's prices)")[0]


def test_built_pages_carry_the_price_year_their_table_downloads_name(built_book):
    from swp_models.tables import PRICE_YEAR

    page = (built_book / "book" / "05_contracts.html").read_text(encoding="utf-8")
    assert f'<meta name="swp-price-year" content="{PRICE_YEAR}">' in page


@pytest.mark.browser
def test_chart_csv_columns_name_their_units_from_the_axes(browser):
    from swp_models.tables import PRICE_YEAR

    py = PRICE_YEAR.replace("-", "_")
    spec = {"layer": [
        {"mark": "bar", "encoding": {
            "y": {"field": "contract", "type": "nominal"},
            "x": {"field": "low", "type": "quantitative", "title": "Practice's surplus (£ a year)"},
            "x2": {"field": "high"}}},
        {"mark": "point", "encoding": {
            "x": {"field": "cost_k", "type": "quantitative",
                  "axis": {"title": "Cost of a child (£ thousand, 2012-13 prices)"}}}},
        {"mark": "point", "encoding": {
            "x": {"field": "share", "type": "quantitative", "title": "Share", "axis": {"format": "%"}},
            "y": {"field": "turnover", "type": "quantitative", "title": "Turnover (% a year)"},
            "size": {"field": "pts", "type": "quantitative", "title": "Detectable difference (percentage points)"},
            "color": {"field": "years", "type": "quantitative", "title": "Years since entering care"}}},
        {"mark": "point", "encoding": {"x": {"field": "value", "type": "quantitative", "title": "£m"},
                                        "y": {"field": "other", "type": "quantitative", "title": "Result"}}},
        {"mark": "point", "encoding": {"x": {"field": "value", "type": "quantitative", "title": "(%)"}}},
    ]}
    cols = ["contract", "low", "high", "cost_k", "share", "turnover", "pts", "years", "value", "other"]
    tab = browser.new_page()
    try:
        tab.set_content(f'<!DOCTYPE html><html><head><meta name="swp-price-year" content="{PRICE_YEAR}"></head>'
                        "<body></body></html>")
        tab.add_script_tag(path=str(ROOT / "_static" / "swp-charts.js"))
        named = tab.evaluate("([spec, cols]) => window.swpCsvColumns(spec, cols)", [spec, cols])
    finally:
        tab.close()
    assert named == ["contract", f"low_gbp_{py}", f"high_gbp_{py}", "cost_gbp_thousand_2012_13", "share",
                     "turnover_pct", "pts_points", "years", "value", "other"]


# ---------------------------------------------------------------- 9. drawings for a phone, scripts off

def _drawings():
    import sys

    sys.path.insert(0, str(ROOT / "_ext"))
    import swp_static_charts

    return swp_static_charts


def test_a_phone_gets_its_own_drawing_with_panels_stacked_and_no_wider_than_its_column(tmp_path):
    drawings = _drawings()
    rows = [{"group": g, "kind": k, "cost": c} for g, c in (("No additional needs", 33.0), ("EBD", 52.0))
            for k in ("a", "b")]
    panel = {"mark": "bar", "width": 360, "height": 120,
             "encoding": {"y": {"field": "group", "type": "nominal"},
                          "x": {"field": "cost", "type": "quantitative", "title": "£ thousand"},
                          "color": {"field": "kind", "type": "nominal"}}}
    spec = {"data": {"values": rows}, "hconcat": [panel, panel], "title": {"text": "Two panels side by side"}}
    phone = drawings.phone_spec(spec)
    assert "hconcat" not in phone and len(phone["vconcat"]) == 2
    assert phone["config"]["legend"]["columns"] == 1
    svg = drawings.chart_svg(spec, tmp_path, phone=True)
    assert drawings.svg_width(svg) <= drawings.PHONE_WIDTH + 1
    assert drawings.svg_width(drawings.chart_svg(spec, tmp_path)) > drawings.PHONE_WIDTH * 1.5
    body = drawings.with_drawings(charts._renderer(spec)["text/html"], tmp_path)
    assert body.count('<div class="swp-drawing-wide">') == 1 and body.count('<div class="swp-drawing-phone">') == 1
    css = (ROOT / "_static" / "swp.css").read_text(encoding="utf-8")
    assert ".swp-chart .swp-drawing-phone { display: none; }" in css
    assert f"(max-width: {drawings.PHONE_BREAK - 0.02}px)" in css
    with pytest.raises(ValueError, match="svg must declare its width"):
        drawings.svg_width("<svg></svg>")


def test_a_phone_drawing_keeps_its_own_ids():
    drawings = _drawings()
    spec = {"data": {"values": [{"x": i, "y": i * i} for i in range(5)]}, "mark": {"type": "line", "clip": True},
            "encoding": {"x": {"field": "x", "type": "quantitative", "scale": {"domain": [0, 2]}},
                         "y": {"field": "y", "type": "quantitative"}}}
    wide, phone = drawings._svg(drawings.desktop_spec(spec)), drawings._phone_svg(spec, "abc")
    ids = set(re.findall(r'\sid="([^"]+)"', wide))
    assert ids, "the clipped line's drawing declares a clip path"
    assert not ids & set(re.findall(r'\sid="([^"]+)"', phone))
    assert all(f"url(#{i})" not in phone for i in ids)


def test_build_time_drawings_merge_a_fields_legends_across_channels():
    drawings = _drawings()
    spec = {"data": {"values": [{"x": 1, "y": 2, "s": "a"}, {"x": 2, "y": 3, "s": "b"}]}, "mark": "line",
            "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"},
                         "color": {"field": "s", "type": "nominal"},
                         "strokeDash": {"field": "s", "type": "nominal", "legend": None},
                         "shape": {"field": "other", "type": "nominal", "legend": None}}}
    for out in (drawings.desktop_spec(spec), drawings.phone_spec(spec)):
        enc = out["encoding"]
        assert "labelExpr" in enc["strokeDash"]["legend"], "the dash's legend merges with the colour's"
        assert enc["shape"]["legend"] is None, "a field with no legend on any channel keeps none"
    assert spec["encoding"]["strokeDash"]["legend"] is None, "the spec given is not changed"


@pytest.mark.browser
@pytest.mark.parametrize("page", ["book/04_practice_costs.html", "book/05_contracts.html"])
def test_with_scripts_off_a_phone_draws_chart_text_at_a_legible_size(page, loaded):
    tab = loaded(page, PHONE, scripts=False).tab
    sizes = tab.evaluate("""() => Array.from(document.querySelectorAll('.swp-chart-static svg')).filter(
        s => s.getBoundingClientRect().width > 0).map(s => {
          const scale = s.getBoundingClientRect().width / parseFloat(s.getAttribute('width'));
          const px = Array.from(s.querySelectorAll('text')).map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
          return Math.min(...px);
        })""")
    assert sizes, f"no drawing shown on {page}"
    assert min(sizes) >= 10.5, f"drawn text as small as {min(sizes):.1f} px on {page}"


def test_a_wrapped_subtitle_leaves_no_word_standing_alone():
    drawings = _drawings()
    lines = drawings._wrap(["Bottom: four hand-offs make five workers certain; with 0 or 1",
                            "hand-off the chance stays below 5%, so those lines run along the axis."], 58)
    assert len(lines) == 3 and "1 hand-off the chance" in lines[1]
    assert all(8 <= len(line) <= 58 for line in lines), lines
    assert drawings._wrap("short", 58) == "short" and drawings._wrap(["a b", "c"], 58) == ["a b", "c"]


def test_build_time_drawings_draw_one_legend_for_a_field_on_colour_and_shape():
    drawings = _drawings()
    order = ["Costs fixed", "With effort"]
    spec = {"data": {"values": [{"x": 1, "v": "With effort"}, {"x": 2, "v": "Costs fixed"}]},
            "mark": {"type": "point", "filled": True},
            "encoding": {"x": {"field": "x", "type": "quantitative"},
                         "color": {"field": "v", "type": "nominal", "sort": order},
                         "shape": {"field": "v", "type": "nominal", "sort": order}}}
    out = drawings.desktop_spec(spec)
    assert out["encoding"]["color"]["scale"]["domain"] == order and "sort" not in out["encoding"]["shape"]
    assert drawings._svg(out).count('class="mark-group role-legend"') == 1
    # a value the list lacks: the order stays a sort (a domain would drop the value)
    spec["data"]["values"].append({"x": 3, "v": "Other"})
    assert drawings.desktop_spec(spec)["encoding"]["color"]["sort"] == order


@pytest.mark.browser
@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_every_stop_of_the_keyboard_on_chapter_2_is_seen(width, book_url, offline):
    """Tabbing through chapter 2, each element that takes focus is on screen with a visible focus ring (a
    disclosure whose box is empty shows the ring on its visible toggle); none is hidden."""
    tab = open_offline(offline, f"{book_url}/book/02_continuity.html", width)
    unseen = []
    for _ in range(400):
        tab.keyboard.press("Tab")
        stop = tab.evaluate("""() => {
          const e = document.activeElement;
          if (e === document.body) return null;
          const shown = el => { const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
            return r.width > 0 && r.height > 0 && cs.visibility === 'visible' ? cs : null; };
          const ring = cs => cs && (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 || cs.boxShadow !== 'none');
          const own = shown(e), toggle = e.tagName === 'SUMMARY' ? e.querySelector('.toctree-toggle') : null;
          const seen = own ? ring(own) : toggle && ring(shown(toggle));
          return {seen: Boolean(seen), what: e.tagName + ' ' + (e.getAttribute('aria-label') || e.innerText || '').slice(0, 40)};
        }""")
        if stop is None:
            break
        if not stop["seen"]:
            unseen.append(stop["what"])
    assert not unseen, f"keyboard stops with no visible box or focus ring at {width} px: {unseen[:8]}"
