"""Print the built book to PDF with Chromium, offline: one PDF per page and one of the whole book.

Serves ``_build/html`` on 127.0.0.1, opens each page of ``_toc.yml`` in headless Chromium with
every other host blocked, waits for its charts to draw, and prints it with the book's A4 print
stylesheet into ``_build/html/pdf/`` (the names ``_ext/swp_book.py`` links to). Pages are numbered
through the book (a page's PDF carries the numbers it has in the book) and carry bookmarks from
their headings. The whole book, ``swp-workbook.pdf``, is a title page and a contents page with page
numbers (numbered i, ii, ...), then the pages in the book's order, with bookmarks by chapter and
section title and the book's title, author and subject in its metadata. Last, each page's links to
the PDFs, hidden by the build, are shown. Run by ``make pdf`` (and so ``make test``).
"""

from __future__ import annotations

import functools
import html
import http.server
import re
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import yaml
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "tests"))

from swp_book import BOOK_PDF, PDF_DIR, pdf_name  # noqa: E402
from conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402

CHART_TIMEOUT_MS = 60_000
#: Printed on every page of a chapter's PDF, numbered through the book (``{offset}``: pages before it).
_PAGE_STYLE = ('html {{ counter-reset: page {offset}; }} @page {{ @bottom-right {{ content: "Page " counter(page); '
               'font-size: 8pt; color: #555; }} }}')
_HIDDEN_PDF_LINKS = '<p class="swp-pdf-links" hidden>'


def book_meta(config: Path = ROOT / "_config.yml") -> dict[str, str]:
    """The book's title and author, from ``_config.yml``."""
    spec = yaml.safe_load(config.read_text(encoding="utf-8"))
    return {"title": str(spec["title"]), "author": str(spec["author"])}


#: The headings a printed page shows, in order (they are the bookmarks Chromium makes, one for one).
_HEADINGS = """() => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
  .filter(h => h.getClientRects().length)
  .map(h => h.innerText.replace(/\\s+/g, ' ').replace(/#$/, '').trim())"""


def outline_entries(path: Path, offset: int, titles: list[str] | None = None) -> list[tuple[int, str, int]]:
    """(level, title, page number in the book) of each bookmark of one page's PDF, levels from 1.

    Chromium makes a bookmark of each heading, but its titles lose the spaces where a heading wraps;
    ``titles``, the headings as the page shows them in the same order, replace them when they match
    one for one. The printed page's own list of its sections ("Contents") is left out.
    """
    reader = PdfReader(str(path))
    found: list[tuple[int, str, int]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((level, _clean(item.title), offset + reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 1)
    if titles is not None and len(titles) == len(found):
        found = [(level, _clean(title), page) for (level, _, page), title in zip(found, titles)]
    return [e for e in found if not (e[0] > 1 and e[1] == "Contents")]


def _clean(title: str) -> str:
    """A heading as a bookmark: no link sign, spaces tidied."""
    return re.sub(r"\s+", " ", title.replace("#", "").replace("\u00b6", "")).strip()


def contents_entries(entries: list[tuple[int, str, int, str]]) -> list[tuple[int, str, int]]:
    """What the contents page lists: every page's title, and the sections of the numbered chapters."""
    return [(level, title, page) for level, title, page, doc in entries
            if level == 1 or (level == 2 and re.match(r"book/\d", doc))]


def front_matter(meta: dict[str, str], entries: list[tuple[int, str, int]], built: str) -> str:
    """The title page and contents page of the whole-book PDF, as HTML (numbered i, ii, ...)."""
    rows = "".join(
        f'<li class="l{level}"><span class="t">{html.escape(title)}</span><span class="n">{page}</span></li>'
        for level, title, page in entries)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>' + html.escape(meta["title"]) + "</title>"
        "<style>@page { size: A4; margin: 20mm 18mm; @bottom-center { content: counter(page, lower-roman); "
        "font-size: 8pt; color: #555; } } @page :first { @bottom-center { content: none; } }"
        "body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; "
        "font-size: 10.5pt; color: #222; }"
        ".title { height: 240mm; display: flex; flex-direction: column; justify-content: center; break-after: page; }"
        ".title h1 { font-size: 26pt; margin: 0 0 8mm; } .title p { margin: 2mm 0; }"
        "h2 { font-size: 16pt; } ol { list-style: none; padding: 0; margin: 0; }"
        "li { display: flex; gap: 4mm; break-inside: avoid; } li .t { flex: 1; } li .n { min-width: 10mm; text-align: right; }"
        "li.l1 { font-weight: 600; margin-top: 3mm; } li.l2 { padding-left: 6mm; } li.l3 { display: none; }"
        "</style></head><body>"
        f'<section class="title"><h1>{html.escape(meta["title"])}</h1><p>{html.escape(meta["author"])}</p>'
        f"<p>{html.escape(built)}</p>"
        "<p>Costs, contracts and evidence for small social work practices looking after children in care "
        "in England, from the report <i>Consistent Care Matters</i> (2007) and the evidence of 2005-2013.</p>"
        "</section><h2>Contents</h2><ol>" + rows + "</ol></body></html>"
    )


def show_pdf_links(html_dir: Path, docs: list[str]) -> int:
    """Show each printed page's links to its PDF and the book's (hidden by the build); return how many."""
    shown = 0
    for doc in docs:
        page = html_dir / f"{doc}.html"
        text = page.read_text(encoding="utf-8")
        if _HIDDEN_PDF_LINKS in text:
            page.write_text(text.replace(_HIDDEN_PDF_LINKS, '<p class="swp-pdf-links">'), encoding="utf-8")
            shown += 1
    return shown


def toc_pages(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """Every page of the book in reading order, as document names (``book/01_problem``)."""
    spec = yaml.safe_load(toc.read_text(encoding="utf-8"))
    pages = [spec["root"]]

    def walk(entries):
        for e in entries or []:
            if "file" in e:
                pages.append(e["file"])
            walk(e.get("sections"))

    for part in spec.get("parts", []):
        walk(part.get("chapters"))
    return pages


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main() -> int:
    if not (HTML / "index.html").is_file():
        print(f"the book is not built ({HTML}); run `make book` first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    out = HTML / PDF_DIR
    out.mkdir(exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(HTML)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    blocked: list[str] = []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    files: list[Path] = []
    entries: list[tuple[int, str, int]] = []
    offset = 0
    start = time.perf_counter()
    docs = toc_pages()
    meta = book_meta()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        # The width of an A4 text column at 96 dpi, so charts are fitted as they will print.
        context = browser.new_context(viewport={"width": 700, "height": 1000})
        context.route("**/*", route)
        page = context.new_page()
        for doc in docs:
            page.goto(f"{base}/{doc}.html", wait_until="load")
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.swp-chart')).every(c => c.dataset.drawn)",
                timeout=CHART_TIMEOUT_MS,
            )
            # Last in the page, so it overrides the colophon's per-page numbering ("Page 3 of 9").
            page.evaluate("css => { const s = document.createElement('style'); s.textContent = css; "
                          "document.body.appendChild(s); }", _PAGE_STYLE.format(offset=offset))
            page.emulate_media(media="print")
            page.evaluate("() => document.fonts.ready")
            titles = page.evaluate(_HEADINGS)
            target = out / pdf_name(doc)
            page.pdf(path=str(target), prefer_css_page_size=True, print_background=True, outline=True, tagged=True)
            page.emulate_media(media="screen")
            files.append(target)
            entries += [(*e, doc) for e in outline_entries(target, offset, titles)]
            offset += len(PdfReader(str(target)).pages)
        built = page.evaluate("() => (document.querySelector('.swp-version') || {}).textContent || ''")
        page.set_content(front_matter(meta, contents_entries(entries), built.strip()))
        front = out / "front-matter.pdf"
        page.pdf(path=str(front), prefer_css_page_size=True, tagged=True)
        browser.close()
    server.shutdown()
    if blocked:
        print(f"pages tried to reach other hosts: {blocked}", file=sys.stderr)
        return 1
    writer = PdfWriter()
    writer.append(str(front), import_outline=False)
    before = len(writer.pages)
    writer.add_outline_item("Title page and contents", 0)
    for f in files:
        writer.append(str(f), import_outline=False)
    front.unlink()
    # Bookmarks by chapter and section title, nested as the headings are.
    parents: dict[int, object] = {}
    for level, title, number, _doc in entries:
        parent = parents.get(level - 1) if level > 1 else None
        if level > 1 and parent is None:
            continue
        parents[level] = writer.add_outline_item(title, before + number - 1, parent=parent)
        for deeper in [k for k in parents if k > level]:
            del parents[deeper]
    writer.add_metadata({"/Title": meta["title"], "/Author": meta["author"],
                         "/Subject": "Costs, contracts and evidence for Social Work Practices for children in care "
                                     "in England (Le Grand, Consistent Care Matters, 2007)",
                         "/Keywords": "social work practices; looked-after children; contracting; England"})
    writer.page_mode = "/UseOutlines"
    with open(out / BOOK_PDF, "wb") as fh:
        writer.write(fh)
    show_pdf_links(HTML, docs)
    print(f"{len(files)} page PDFs and {BOOK_PDF} written to {out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
