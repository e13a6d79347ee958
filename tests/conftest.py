"""Shared fixtures: the built book served on localhost, and headless Chromium with the network off."""

from __future__ import annotations

import functools
import gzip
import http.server
import importlib.util
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: The widths the pages are checked at (px): a phone, a tablet, a laptop; and the viewport charts are printed
#: at, as scripts/make_pdfs.py prints: about the width of A4's text column.
PHONE, TABLET, DESKTOP = 390, 768, 1366
PRINT_WIDTH, PRINT_HEIGHT = 700, 1000
HTML = ROOT / "_build" / "html"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


#: Test files whose tests pytest-xdist spreads over its workers one at a time (``--dist loadgroup``): each test
#: is independent of the others (a subprocess of its own, or a page in the browser each worker starts once).
#: Every other file's tests stay together in one worker, in file order, so that a module's fixtures (the Voila
#: server, a simulated sample) start once.
SPREAD = frozenset({"test_api_contract.py", "test_book.py", "test_last_mile.py"})


def _shared_page(item) -> str | None:
    """The page a test reads through ``loaded`` (its ``page`` parameter), or None."""
    if "loaded" not in getattr(item, "fixturenames", ()):
        return None
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("page") if callspec is not None else None


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist's own hook, which reads the groups into each test's id
def pytest_collection_modifyitems(config, items):
    for item in items:
        page = _shared_page(item)
        if page is not None:
            # Every check of one page, whatever its file, runs in one worker one after another, so the page
            # is opened once at each size (``loaded``); the pages are spread over the workers.
            item.add_marker(pytest.mark.xdist_group(f"page {page}"))
        elif item.path.name not in SPREAD:
            item.add_marker(pytest.mark.xdist_group(item.path.name))
        # A test that reads the built book needs `make book` first: `make unit` leaves it out.
        if "built_book" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.built)
    # Put the checks of a page next to each other, those that change the page (``changes_page``) last; every
    # other test keeps its place.
    slots = [i for i, item in enumerate(items) if _shared_page(item) is not None]
    first_seen: dict[str, int] = {}
    for i in slots:
        first_seen.setdefault(_shared_page(items[i]), i)
    ordered = sorted(slots, key=lambda i: (
        first_seen[_shared_page(items[i])], items[i].get_closest_marker("changes_page") is not None, i))
    for i, item in zip(slots, [items[j] for j in ordered]):
        items[i] = item


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Debian's chromium is needed for the browser tests: apt-get install chromium")


def toc_files(toc: Path | None = None) -> list[str]:
    """Every document the table of contents names (without suffix), root first: as ``make book`` reads it
    (``scripts/execute_notebooks.py``)."""
    spec = importlib.util.spec_from_file_location("execute_notebooks", ROOT / "scripts" / "execute_notebooks.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script.toc_files(toc or ROOT / "_toc.yml")


#: What every page is built from, besides its own source.
BUILD_CONFIG = ("_toc.yml", "_config.yml")
#: What a notebook page (and a page that documents the package) is also built from: the files whose
#: change makes `make book` run the notebooks again (MODEL_FILES in the Makefile).
MODEL_INPUTS = ("swp_models", "data")
MODEL_SUFFIXES = (".py", ".csv", ".json")


def _files(root: Path, names) -> list[Path]:
    out = []
    for name in names:
        top = root / name
        found = [top] if top.is_file() else [p for p in top.rglob("*") if p.is_file()] if top.is_dir() else []
        out += [p for p in found if "__pycache__" not in p.parts and not p.name.startswith(".")]
    return out


def newest_model_input(root: Path = ROOT) -> float:
    """Modification time of the newest file of ``swp_models/`` and ``data/`` that a notebook's run reads."""
    return max((p.stat().st_mtime for p in _files(root, MODEL_INPUTS) if p.suffix in MODEL_SUFFIXES), default=0.0)


def stale_pages(pages: list[str], root: Path = ROOT, html: Path = HTML) -> list[str]:
    """Built pages older than something they are built from: their source, the book's configuration,
    and for notebooks and pages that document the package, ``swp_models/`` and ``data/``."""
    shared = max((p.stat().st_mtime for p in _files(root, BUILD_CONFIG)), default=0.0)
    models = newest_model_input(root)
    stale = []
    for page in pages:
        built = html / page
        doc = page.removesuffix(".html")
        source = next((root / f"{doc}{ext}" for ext in (".ipynb", ".md") if (root / f"{doc}{ext}").is_file()), None)
        if source is None or not built.is_file():
            stale.append(f"{page} (not built)" if source is not None else f"{page} (no source)")
            continue
        newest = max(shared, source.stat().st_mtime)
        text = source.read_text(encoding="utf-8")
        if source.suffix == ".ipynb" or "swp_models" in text:
            newest = max(newest, models)
        if built.stat().st_mtime < newest:
            stale.append(page)
    return stale


@pytest.fixture(scope="session")
def built_book() -> Path:
    """The built HTML; fail (not skip) when the book is not built, or a page was built before an input changed."""
    if not (HTML / "index.html").is_file():
        raise RuntimeError(f"the book is not built ({HTML}); run `make book` (or `make test`, which builds it)")
    stale = stale_pages([f"{doc}.html" for doc in toc_files()])
    if stale:
        raise RuntimeError(f"the built book is older than its sources: {', '.join(stale)}; run `make book` again")
    return HTML


@pytest.fixture(scope="session")
def book_url(built_book):
    """Serve the built book on 127.0.0.1 for the session (see ``built_book``)."""
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


class OfflineBrowser:
    """A Chromium page on which every request to a host other than 127.0.0.1 is blocked and recorded."""

    def __init__(self, browser, width: int = 1280, height: int = 1000):
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.blocked: list[str] = []
        self.context.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def new_page(self):
        page = self.context.new_page()
        page.errors = []
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))
        page.console_problems = []
        page.on("console", lambda msg: page.console_problems.append(f"{msg.type}: {msg.text}")
                if msg.type in ("warning", "error") else None)
        return page

    def resize(self, width: int, height: int = 900, scripts: bool = True) -> None:
        """Start again with a fresh context of the given viewport (the routes kept, the blocked list too)."""
        self.context.close()
        self.context = self.context.browser.new_context(viewport={"width": width, "height": height},
                                                        java_script_enabled=scripts)
        self.context.route("**/*", self._route)


#: Content types a static host sends gzip-compressed.
_COMPRESSIBLE = ("text/", "javascript", "json", "css", "svg", "xml")


def transfer_size(body: bytes, content_type: str) -> int:
    """Bytes a static host sends for a response: gzip-compressed for text, as-is otherwise."""
    if any(k in (content_type or "") for k in _COMPRESSIBLE):
        return len(gzip.compress(body, compresslevel=6))
    return len(body)


#: Wait (up to a minute) until every chart of the page is live.
CHARTS_DRAWN = "() => Array.from(document.querySelectorAll('.swp-chart')).every(c => c.dataset.drawn)"


def open_offline(offline: OfflineBrowser, url: str, width: int, height: int = 900,
                 sizes: dict[str, int] | None = None):
    """``url`` in a fresh offline tab of the given viewport, once every chart is drawn; with ``sizes``, the
    bytes each response would transfer from a static host are recorded in it."""
    offline.resize(width, height)
    if sizes is not None:
        offline.context.on("response", lambda r: sizes.__setitem__(
            r.url, transfer_size(r.body(), r.headers.get("content-type", ""))) if r.ok else None)
    tab = offline.new_page()
    tab.response = tab.goto(url, wait_until="load")
    tab.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    return tab


class LoadedPage:
    """A book page opened once in an offline tab and read by several tests: ``tab`` (with ``errors`` and
    ``console_problems`` since it opened, and ``response``), ``sizes`` (bytes of every response, as
    ``open_offline``) and ``blocked`` (requests to other hosts)."""

    def __init__(self, browser, url: str, width: int, height: int, media: str, scripts: bool = True):
        self.offline = OfflineBrowser(browser, width, height)
        self.sizes: dict[str, int] = {}
        self.blocked = self.offline.blocked
        if scripts:
            self.tab = open_offline(self.offline, url, width, height, self.sizes)
        else:  # as a reader whose browser runs no scripts sees it (or anyone, before the scripts run)
            self.offline.resize(width, height, scripts=False)
            self.tab = self.offline.new_page()
            self.tab.response = self.tab.goto(url, wait_until="load")
        if media != "screen":
            self.tab.emulate_media(media=media)

    def close(self) -> None:
        self.offline.context.close()


@pytest.fixture(scope="session")
def loaded(browser, book_url):
    """``loaded(page, width, height=900, media="screen", scripts=True)``: the page open in an offline tab of that
    viewport (``scripts=False``: with the browser's scripts off),
    opened once for every test of the page at that size that only reads it. The checks of one page run one
    after another in one worker (``pytest_collection_modifyitems``), so only the current page's tabs are kept.
    A test that changes what it reads (adds a script, opens a panel) is marked ``changes_page`` and runs after
    the page's other checks."""
    held: dict[tuple, LoadedPage] = {}

    def get(page: str, width: int, height: int = 900, media: str = "screen", scripts: bool = True) -> LoadedPage:
        key = (page, width, height, media, scripts)
        if key not in held:
            for other in [k for k in held if k[0] != page]:
                held.pop(other).close()
            held[key] = LoadedPage(browser, f"{book_url}/{page}", width, height, media, scripts)
        return held[key]

    yield get
    for shown in held.values():
        shown.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def offline(browser):
    ob = OfflineBrowser(browser)
    yield ob
    ob.context.close()
