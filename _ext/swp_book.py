"""Local Sphinx extension: the book as its readers meet it.

* Pages stay self-contained and light: sphinx-thebe's scripts (which name a third-party host) and
  the theme's font-awesome script are dropped from every page (the few icons come from
  ``_static/swp-icons.css``); the Vega bundle is loaded only on pages with a chart and MathJax only
  on pages with mathematics; widget state the static pages cannot use is removed.
* Every page ends with a colophon: version, commit and build date, where the code is (the public
  https address set in ``_config.yml``, or else the source as a zip beside the pages), how to cite it
  (``CITATION.cff``, served beside the pages), and links to the PDF of the page and of the whole book,
  shown once ``scripts/make_pdfs.py`` has printed them.
* The ``swp-findings`` directive writes the home page's headline findings from
  :mod:`swp_models.findings`, the registry the chapters' key-results tables and
  ``python -m swp_models reproduce`` also use; the key results are written beside the pages as CSV.
* The data tables, their descriptors and ``datapackage.json`` are copied beside the pages so each
  can be downloaded, and the costing workbook (:mod:`swp_models.workbook`) is written beside them and
  linked from the foot of the home page and of each modelling chapter.
"""

from __future__ import annotations

import datetime as _dt
import importlib.metadata
import re
import shutil
import subprocess
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.util.docutils import SphinxDirective

ROOT = Path(__file__).resolve().parent.parent
PDF_DIR = "pdf"
BOOK_PDF = "swp-workbook.pdf"
KEY_RESULTS_DIR = "key-results"
#: The take-away costing workbook, written beside the pages by :func:`swp_models.workbook.write_workbook`.
WORKBOOK_DIR = "workbook"
WORKBOOK_FILE = "swp-council-workbook.xlsx"
#: Pages whose foot links the workbook: the home page and the modelling chapters (2 to 8).
_WORKBOOK_PAGES = re.compile(r"^(index|book/0[2-8]_.*)$")
DATA_DIR = "data"
_FONTAWESOME = re.compile(r'<script defer src="[^"]*/fontawesome\.js[^"]*"></script>\s*')
#: MathJax's script tag; on a page with charts it is loaded once every chart has drawn (see
#: ``_static/swp-charts.js``), so that it takes neither bandwidth nor time from the charts.
_MATHJAX_TAG = re.compile(r'<script defer="defer" src="([^"]*mathjax/tex-chtml\.js[^"]*)"></script>')
_WIDGET_STATE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-(?:state|view)\+json">.*?</script>', re.S
)


def pdf_name(docname: str) -> str:
    """The PDF file of one page: ``book/01_problem`` -> ``book-01_problem.pdf``."""
    return docname.replace("/", "-") + ".pdf"


def _git(*args: str) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _repository_url(app) -> str:
    """The public address of the book's repository: ``repository: url:`` in ``_config.yml``, if it is
    an https address; otherwise "" (never a local path or the remote of the machine that built it)."""
    url = str((app.config.html_theme_options or {}).get("repository_url", "") or "").strip()
    return url.removesuffix(".git") if re.fullmatch(r"https://[^\s/]+\.[^\s/]+/\S+", url) else ""


#: The source the book was built from, as a zip beside the pages when no public address is set.
SOURCE_DIR = "source"
SOURCE_ZIP = "swp-workbook-source.zip"
#: What the source archive holds (paths relative to the repository).
_SOURCE_ITEMS = ("README.md", "LICENSE", "CITATION.cff", "Makefile", "requirements.txt", "pyproject.toml",
                 "_config.yml", "_toc.yml", "index.md", "datapackage.json", "swp_models", "data", "book", "tests",
                 "scripts", "_ext", "_static", "apps", "benchmarks", ".ci")
_SOURCE_SKIP = re.compile(r"(^|/)(__pycache__|\.ipynb_checkpoints|\.pytest_cache)(/|$)|\.pyc$|^_static/vega-bundle\.js$")


def write_source_zip(target: Path, root: Path = ROOT) -> Path:
    """Write the book's source (:data:`_SOURCE_ITEMS`, as on disk) to ``target`` as a zip with fixed dates."""
    import zipfile

    files = []
    for item in _SOURCE_ITEMS:
        top = root / item
        found = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file()) if top.is_dir() else []
        files += [p for p in found if not _SOURCE_SKIP.search(p.relative_to(root).as_posix())]
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for path in files:
            info = zipfile.ZipInfo("swp-workbook/" + path.relative_to(root).as_posix(), (2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
    return target


def _drop_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    body = context.get("body", "")
    has_chart = "swp-chart" in body
    has_maths = 'class="math' in body
    kept = []
    for js in scripts:
        name = str(js)
        inline = getattr(js, "attributes", {}).get("body", "") if hasattr(js, "attributes") else ""
        if "sphinx-thebe" in name or "THEBE_JS_URL" in inline or "thebe@" in name:
            continue
        if "widget-state" in str(getattr(js, "attributes", {}).get("type", "")):
            continue  # widget state the static page cannot use (the explorers run in a live kernel)
        if "vega-bundle.js" in name and not has_chart:
            continue
        if "swp-charts.js" in name and not has_chart:
            continue
        if ("tex-chtml" in name or "window.MathJax" in inline) and not has_maths:
            continue
        kept.append(js)
    context["script_files"] = kept


def _light_body(app, pagename, templatename, context, doctree):
    body = context.get("body")
    if body:
        context["body"] = _WIDGET_STATE.sub("", body)
    # The price year of the book's money, for the tables' CSV downloads (_static/swp-book.js).
    from swp_models.tables import PRICE_YEAR

    context["metatags"] = context.get("metatags", "") + f'\n<meta name="swp-price-year" content="{PRICE_YEAR}">'


def _colophon(app, pagename, templatename, context, doctree):
    meta = app.env.swp_build
    pathto = context["pathto"]
    repo = meta["repository"]
    source = pathto(f"{SOURCE_DIR}/{SOURCE_ZIP}", 1)
    where = (f'<a href="{repo}">{repo}</a>' if repo
             else f'<a href="{source}" download>the source this page was built from (zip)</a>, as the repository '
                  'is not yet at a public address')
    page_pdf = pathto(f"{PDF_DIR}/{pdf_name(pagename)}", 1)
    book_pdf = pathto(f"{PDF_DIR}/{BOOK_PDF}", 1)
    repro = pathto("book/reproducing")
    stamp = (f'Social Work Practices workbook {meta["version"]}'
             f'{" (" + meta["commit"] + ")" if meta["commit"] else ""}, built {meta["date"]}')
    html = (
        '<style media="print">@page { @bottom-left { content: "' + stamp + '"; font-size: 8pt; color: #555; }'
        ' @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #555; } }'
        '</style>'
        '<aside class="swp-colophon" aria-label="About this page">'
        f'<p><span class="swp-version">Social Work Practices workbook, version {meta["version"]}'
        f'{" (commit " + meta["commit"] + ")" if meta["commit"] else ""}, built {meta["date"]}.</span> '
        f'Code and data: {where}; <a href="{repro}">how to reproduce it</a>; '
        f'<a href="{pathto("CITATION.cff", 1)}">how to cite it (CITATION.cff)</a>.</p>'
        # Shown by scripts/make_pdfs.py once it has printed the PDFs, so no page links a missing one.
        f'<p class="swp-pdf-links" hidden>PDF: <a href="{page_pdf}">this page</a> · '
        f'<a href="{book_pdf}">the whole book</a></p>'
        + (f'<p class="swp-workbook-link">Your council\'s own numbers: <a href="'
           f'{pathto(WORKBOOK_DIR + "/" + WORKBOOK_FILE, 1)}" download>the costing workbook (.xlsx)</a> · '
           f'<a href="{pathto("book/workbook")}">using it</a></p>' if _WORKBOOK_PAGES.match(pagename) else "")
        + '</aside>'
    )
    context["body"] = context.get("body", "") + html


def _build_meta(app):
    try:
        version = importlib.metadata.version("swp_models")
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    app.env.swp_build = {
        "version": version,
        "commit": _git("rev-parse", "--short", "HEAD"),
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d"),
        "repository": _repository_url(app),
    }


class FindingsDirective(SphinxDirective):
    """The home page's opening: chapter 10's sentences, then each chapter's headline in a summary table
    short enough to share one 1366 x 768 screen with them (``swp-findings``); or, with the ``full``
    flag, every headline in full with the labelled assumption it rests on named (``swp-findings``
    with ``:full:``), the further ones behind a disclosure.

    Each row gives the finding, its figure, its chapter (linked to the chapter's key-results table)
    and whether a labelled assumption drives it ("yes" or "no"; in full, "yes" names it). The figures
    are read from the chapters' stored outputs (what the chapter pages show) through
    :func:`swp_models.findings.headline_rows`, so nothing is computed again for this page.
    """

    has_content = False
    option_spec = {"full": directives.flag}
    _HEAD = ('<thead><tr><th>Finding</th><th>Figure (£ at {year} prices unless stated)</th>'
             '<th><abbr title="Chapter">Ch.</abbr></th>'
             '<th>Rests on an assumption?</th></tr></thead>')

    def run(self):
        from html import escape

        from swp_models import findings

        # Rebuild this page whenever a chapter's stored outputs change.
        for ch in findings.CHAPTERS:
            self.env.note_dependency(str(ROOT / f"{ch.page}.ipynb"))
        rows = findings.headline_rows(stored=True)
        first = (rows["rank"] == 0) & ~rows["chapter"].str.contains(".", regex=False)
        if "full" in self.options:
            more = rows[~first]
            html = '<div class="swp-findings swp-findings-full">' + self._table(rows[first], full=True)
            if len(more):
                html += (f'<details class="swp-findings-more"><summary>{len(more)} more findings</summary>'
                         + self._table(more, full=True) + "</details>")
            return [nodes.raw("", html + "</div>", format="html")]
        said = findings.opening_sentences()
        html = ('<div class="swp-opening">' + "".join(f"<p>{escape(x)}</p>" for x in said[:-1])
                + f'<p class="swp-bottom-line"><strong>{escape(said[-1])}</strong></p></div>')
        html += ('<div class="swp-findings swp-findings-summary">' + self._table(rows[first], full=False)
                 + '<p class="swp-findings-next">Each chapter\'s headline, as its key-results table gives it; '
                 '<a href="#every-finding-with-what-it-rests-on">every finding in full</a> names the assumption '
                 'it rests on.</p></div>')
        return [nodes.raw("", html, format="html")]

    def _table(self, rows, full: bool) -> str:
        from html import escape

        from swp_models import findings
        from swp_models.scenario import Scenario

        short = {ch.label: ch.short for ch in findings.CHAPTERS}
        body = []
        for r in rows.to_dict("records"):
            uri = self.env.app.builder.get_relative_uri(self.env.docname, r["page"]) + "#key-results"
            basis = r["Rests on an assumption"]
            rests = ("no" if basis == "data and model only"
                     else f'<abbr class="swp-basis" title="{escape(basis)}">yes</abbr>'
                          + (f'<span class="visually-hidden">: {escape(basis)}</span>' if full else ""))
            label = r["label"] if full else short[r["chapter"]]
            body.append(f'<tr><td>{escape(label)}</td><td><strong>{escape(r["Value"])}</strong></td>'
                        f'<td><a class="reference internal" href="{uri}" title="{escape(r["title"])}">'
                        f'<span class="swp-secnum" data-doc="{escape(r["page"])}">{escape(r["chapter"])}</span>'
                        f'</a></td><td>{rests}</td></tr>')
        year = Scenario.central().price_year
        head = (self._HEAD.format(year=year) if full else
                f'<thead><tr><th>Finding, in short</th><th>Figure (£ at {year} prices unless stated)</th>'
                '<th><abbr title="Chapter">Ch.</abbr></th>'
                '<th><abbr title="Rests on a labelled assumption?">Assumption?</abbr></th></tr></thead>')
        kind = "swp-findings-table" if full else "swp-findings-table swp-findings-short"
        return f'<table class="table swp-table {kind}">{head}<tbody>{"".join(body)}</tbody></table>'


_CELL_KEY = re.compile(r"<td>([a-z][a-z0-9_]*)</td>")


def _cite_table_keys(app, doctree, docname):
    """In a chapter's generated tables, a cell holding only a bibliography key becomes the citation
    the prose would give: "Le Grand, 2007", linked to its entry in the references."""
    if not docname.startswith("book/0"):
        return
    domain = app.env.get_domain("cite")
    cited = {c.key: c for c in domain.citations}
    entries = domain.bibdata.data.entries
    builder = app.builder

    def cite(m: re.Match) -> str:
        key = m.group(1)
        if key in cited:
            c = cited[key]
            href = builder.get_relative_uri(docname, c.bibliography_key.docname) + "#" + c.citation_id
            return f'<td><a class="reference internal swp-cite" href="{href}">{c.formatted_entry.label}</a></td>'
        if key in entries:
            return f"<td>{_entry_label(entries[key])}</td>"
        return m.group(0)

    for node in list(doctree.findall(nodes.raw)):
        if "html" not in node.get("format", "") or "<td>" not in node.astext():
            continue
        text = _CELL_KEY.sub(cite, node.astext())
        if text != node.astext():
            node.replace_self(nodes.raw(text, text, format=node["format"]))


def _outdated(path: Path) -> bool:
    """Whether a file made from the package and the data must be written again: it is missing, or a
    file of ``swp_models/`` or ``data/`` is newer than it."""
    if not path.is_file():
        return True
    sources = [*(ROOT / "swp_models").rglob("*.py"), *(ROOT / "data").glob("*.*")]
    return max(p.stat().st_mtime for p in sources) >= path.stat().st_mtime


_SECNUM = re.compile(r'<span class="swp-secnum" data-doc="([^"]+)">[^<]*</span>')


def _section_numbers(app, doctree, docname):
    """A chapter or section named by number on another page (the home page's findings) carries the
    number its own page shows ("5.15" for a page that is a section of chapter 5)."""

    def number(m: re.Match) -> str:
        secnum = app.env.toc_secnumbers.get(m.group(1), {}).get("")
        return m.group(0) if not secnum else m.group(0).replace(
            m.group(0)[m.group(0).index(">") + 1:-len("</span>")], ".".join(str(n) for n in secnum))

    for node in list(doctree.findall(nodes.raw)):
        if "html" in node.get("format", "") and "swp-secnum" in node.astext():
            text = _SECNUM.sub(number, node.astext())
            if text != node.astext():
                node.replace_self(nodes.raw(text, text, format=node["format"]))


def _write_downloads(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    from swp_models import findings

    written = findings.write_key_results(out / KEY_RESULTS_DIR, stored=True)
    items = "".join(f'<li><a href="{p.name}">{p.name}</a></li>' for p in written)
    (out / KEY_RESULTS_DIR / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Key results as CSV</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
        "<main><h1>Key results as CSV</h1><p>Each chapter's key results as the chapter shows them, the labelled "
        "assumptions at the values used (parameters.csv) and the versions and data digests behind them "
        "(manifest.json). <code>python -m swp_models reproduce OUTDIR</code> writes the same files.</p>"
        f'<ul>{items}</ul><p><a href="../index.html">Back to the book</a></p></main></body></html>\n',
        encoding="utf-8")
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        light = _FONTAWESOME.sub("", text)
        if 'class="swp-chart"' in light:
            light = _MATHJAX_TAG.sub(r'<script type="text/plain" class="swp-after-charts" data-src="\1"></script>', light)
        if light != text:
            page.write_text(light, encoding="utf-8")
    target = out / DATA_DIR
    target.mkdir(exist_ok=True)
    for path in sorted((ROOT / "data").glob("*")):
        if path.suffix in (".csv", ".json", ".md"):
            shutil.copy2(path, target / path.name)
    book = out / WORKBOOK_DIR / WORKBOOK_FILE
    if _outdated(book):
        from swp_models import workbook

        book.parent.mkdir(exist_ok=True)
        workbook.write_workbook(book)
    package = ROOT / "datapackage.json"
    if package.is_file():
        shutil.copy2(package, out / "datapackage.json")
    shutil.copy2(ROOT / "CITATION.cff", out / "CITATION.cff")
    if not app.env.swp_build["repository"]:
        write_source_zip(out / SOURCE_DIR / SOURCE_ZIP)


def setup(app):
    app.connect("builder-inited", _build_meta)
    app.connect("html-page-context", _drop_scripts, priority=900)
    app.connect("html-page-context", _light_body, priority=900)
    app.connect("html-page-context", _colophon, priority=901)
    app.connect("build-finished", _write_downloads)
    app.connect("doctree-resolved", _cite_table_keys)
    app.connect("doctree-resolved", _section_numbers)
    app.add_directive("swp-findings", FindingsDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _register_bibliography_style():
    """The reference list labelled as the text cites it: "[Le Grand, 2007]", sorted by author and year.

    Returns the function that gives one entry's label."""
    from collections import Counter

    from pybtex.plugin import register_plugin
    from pybtex.richtext import Text
    from pybtex.style.formatting.plain import Style as Plain
    from pybtex.style.labels import BaseLabelStyle

    # The plain-text backend itself, not looked up by name: pybtex finds a backend by name by scanning
    # every installed package's entry points, 50-70 ms a label, which every build pays.
    from pybtex.backends.plaintext import Backend as PlainText

    text_backend = PlainText()

    def plain(text: str) -> str:
        return Text.from_latex(text).render(text_backend).replace("{", "").replace("}", "")

    class AuthorYearLabels(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            labels = [self._label(e) for e in sorted_entries]
            counts, seen = Counter(labels), Counter()
            for label in labels:
                if counts[label] > 1:
                    seen[label] += 1
                    yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
                else:
                    yield label

        @staticmethod
        def _label(entry) -> str:
            persons = entry.persons.get("author") or entry.persons.get("editor") or []
            names = [plain(" ".join(p.prelast_names + p.last_names)) for p in persons]
            if not names:
                for key in ("organization", "institution", "publisher", "howpublished", "title"):
                    if entry.fields.get(key):
                        names = [plain(entry.fields[key])]
                        break
            who = names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2 else names[0] + " et al."
            return f"{who}, {entry.fields.get('year', 'n.d.')}"

    class AuthorYearStyle(Plain):
        default_label_style = "swp_author_year"
        default_sorting_style = "author_year_title"

    register_plugin("pybtex.style.labels", "swp_author_year", AuthorYearLabels)
    register_plugin("pybtex.style.formatting", "swp_author_year", AuthorYearStyle)
    return AuthorYearLabels._label


#: The reference list's label of a bibliography entry ("Le Grand, 2007").
_entry_label = _register_bibliography_style()
