"""Shared fixtures: the built book served on localhost, and headless Chromium with the network off."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
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


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.name not in SPREAD:
            item.add_marker(pytest.mark.xdist_group(item.path.name))
        # A test that reads the built book needs `make book` first: `make unit` leaves it out.
        if "built_book" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.built)


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Debian's chromium is needed for the browser tests: apt-get install chromium")


def toc_files(toc: Path | None = None) -> list[str]:
    """Every document the table of contents names (without suffix), root first."""
    spec = yaml.safe_load((toc or ROOT / "_toc.yml").read_text(encoding="utf-8"))
    found = [spec["root"]]
    pending = [v for k, v in spec.items() if k != "root"]  # depth first, in file order
    while pending:
        node = pending.pop(0)
        if isinstance(node, dict):
            if "file" in node:
                found.append(node["file"])
            pending[:0] = list(node.values())
        elif isinstance(node, list):
            pending[:0] = node
    return found


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

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 1000})
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
        return page


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
