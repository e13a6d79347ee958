"""Print the built book to PDF with Chromium, offline: one PDF per page and one of the whole book.

Serves ``_build/html`` on 127.0.0.1, opens each page of ``_toc.yml`` in headless Chromium with
every other host blocked, waits for its charts to draw, and prints it with the book's A4 print
stylesheet into ``_build/html/pdf/`` (the names ``_ext/swp_book.py`` links to). The pages are then
joined, in the book's order, into ``swp-workbook.pdf``. Run by ``make pdf`` (and so ``make test``).
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import yaml
from pypdf import PdfWriter

ROOT = Path(__file__).resolve().parent.parent
HTML = ROOT / "_build" / "html"
sys.path.insert(0, str(ROOT / "_ext"))
sys.path.insert(0, str(ROOT / "tests"))

from swp_book import BOOK_PDF, PDF_DIR, pdf_name  # noqa: E402
from conftest import CHROMIUM_ARGS, chromium_path  # noqa: E402

CHART_TIMEOUT_MS = 60_000


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

    files = []
    start = time.perf_counter()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        # The width of an A4 text column at 96 dpi, so charts are fitted as they will print.
        context = browser.new_context(viewport={"width": 700, "height": 1000})
        context.route("**/*", route)
        page = context.new_page()
        for doc in toc_pages():
            page.goto(f"{base}/{doc}.html", wait_until="load")
            page.wait_for_function(
                "() => Array.from(document.querySelectorAll('.swp-chart')).every(c => c.dataset.drawn)",
                timeout=CHART_TIMEOUT_MS,
            )
            page.emulate_media(media="print")
            target = out / pdf_name(doc)
            page.pdf(path=str(target), prefer_css_page_size=True, print_background=True)
            page.emulate_media(media="screen")
            files.append(target)
        browser.close()
    server.shutdown()
    if blocked:
        print(f"pages tried to reach other hosts: {blocked}", file=sys.stderr)
        return 1
    writer = PdfWriter()
    for f in files:
        writer.append(str(f), outline_item=f.stem)
    with open(out / BOOK_PDF, "wb") as fh:
        writer.write(fh)
    print(f"{len(files)} page PDFs and {BOOK_PDF} written to {out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
