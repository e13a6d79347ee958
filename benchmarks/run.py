"""Print every performance figure the workbook promises (``make bench``).

1. The contract simulator (``bench_contracts.py``): 10 million child costs priced under all
   contracts, against numpy's own lognormal draws and a per-child Python loop; then the cost
   model alone drawing 10 million child costs.
2. Each live explorer (``swp_models/explore/*.py``): the time to recompute after a control
   changes, for every option each control offers (every option of a menu, each end and the middle
   of a slider), with the defaults and under every option of every menu; the slowest per explorer.
   Target: under 200 ms.
3. The sensitivity analysis (``bench_sensitivity.py``): the page's whole Sobol run, with numpy's
   time to draw the same number of child costs beside it. Target: under 30 s. Then chapter 10's appraisal over
   every setting of that run (``bench_appraisal.py``), with numpy's time for the same draws. Target: under 30 s.
4. The national run (``bench_national.py``): England's children in care council by council over 10,000
   years, with one worker and every core, against numpy drawing the same lognormals; time and peak memory.
5. The book: a cold build (execution included, set-up excluded) and a rebuild with nothing
   changed. Targets: under 3 minutes, under 20 seconds.

6. The book as a reader gets it (``reader``): each page of the built book served on 127.0.0.1 with
   gzip, as a static host serves it, opened in Chromium throttled to 10 Mbit/s with 40 ms latency
   and an empty cache: every byte the page loads (HTML, the Vega bundle, MathJax, scripts, styles,
   fonts, data), as transferred and uncompressed (target: at most 1.5 MB transferred), the time until
   every chart on the page is drawn (target: 1.5 s; each chart's drawing is made at build time and
   comes with the HTML), the time until every chart is live (its drawing replaced by the Vega chart
   with its controls, on screen first), and at 390 px how many charts still need sideways scrolling.

6. The costing workbook (``bench_workbook.py``): generating it (target under 2 s), and LibreOffice
   recalculating the recalculation test's input sets, the defaults, 36 random sets and two price years, in
   one headless run (target under 60 s in all).

7. The explorer app under load (``explorer_load``): 1, 4 and 10 visitors arriving together at a local
   Voila served as ``make explorer`` serves it, their browsers on the same machine: when each sees a
   working explorer, how many never do, the kernels' memory, and the CPU the browsers used. Target: all
   ten served, none failing.

Every section runs whatever the others did; each missed target is marked where it is printed and
listed at the end, and the run then exits with status 1.

Pass ``--quick`` to skip the book builds; ``--load`` to run only the load run; ``--reader`` to print only the reader figures;
``--explorers [NAME]`` to time only the explorers (or only explorer ``NAME``); ``--workbook`` to time
only the workbook.
"""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
# Time the computations themselves, never a result kept by an earlier run (swp_models.assumptions.CACHE_DIR_VARIABLE).
os.environ.pop("SWP_CACHE_DIR", None)

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


#: Every target missed so far, in words; the run prints them all and exits non-zero at the end.
MISSED: list[str] = []


def miss(what: str) -> str:
    """Record a missed target; the mark to print beside its figure."""
    MISSED.append(what)
    return "  MISSED"


def _script(name: str, what: str) -> None:
    done = subprocess.run([PY, str(ROOT / "benchmarks" / name)], cwd=ROOT)
    if done.returncode:
        miss(f"{what} (benchmarks/{name} exited with {done.returncode}; its table marks which)")


def contracts() -> None:
    print("== Contract simulator (one core, best of 3)")
    _script("bench_contracts.py", "the contract simulator")


def sensitivity() -> None:
    print("\n== Sensitivity analysis (chapter 5 section)")
    _script("bench_sensitivity.py", "the sensitivity analysis")


def appraisal() -> None:
    print("\n== Options appraisal (chapter 10)")
    _script("bench_appraisal.py", "the options appraisal")


def national() -> None:
    print("\n== National run (every council's children, chunks over the cores)")
    _script("bench_national.py", "the national run")


def child_costs(n: int = 10_000_000) -> None:
    """Chapter 3's cost model alone: draw ``n`` child costs (best of 3, one thread)."""
    from swp_models.costs import default_cost_model

    model = default_cost_model()
    best = min(_timed(lambda: model.sample(n, seed=2007)) for _ in range(3))
    mark = "" if best < 1.0 else miss(f"cost model: {n:,} child costs in {best:.2f} s (target < 1 s)")
    print(f"\n== Cost model: {n:,} child costs drawn (needs group + lognormal), best of 3: {best:.3f} s "
          f"(target: well under 1 s){mark}")


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


#: Most CPU time one change of an explorer may take, ms.
EXPLORER_TARGET_MS = 200

_MENUS = ("Dropdown", "RadioButtons", "ToggleButtons", "Select", "SelectionSlider")


def _controls(widget):
    """Every value-bearing control inside an ipywidgets container, depth first."""
    import ipywidgets as w

    found = []
    stack = [widget]
    while stack:
        node = stack.pop(0)
        if isinstance(node, w.ValueWidget) and not isinstance(node, (w.HTML, w.Label)):
            found.append(node)
        stack.extend(getattr(node, "children", ()))
    return found


def _is_menu(control) -> bool:
    return type(control).__name__ in _MENUS


def _options(control) -> list:
    """Every value a control offers: each option of a menu; a slider's or number box's two ends and middle step."""
    if _is_menu(control):
        return [o[1] if isinstance(o, tuple) else o for o in control.options]
    if type(control).__name__ == "Checkbox":
        return [False, True]
    lo, hi, step = control.min, control.max, getattr(control, "step", 1) or 1
    if type(control).__name__ == "FloatLogSlider":
        return [control.base ** lo, control.base ** (lo + step * round((hi - lo) / 2 / step)), control.base ** hi]
    middle = lo + step * round((hi - lo) / 2 / step)
    return [lo, int(middle) if isinstance(control.value, int) else middle, hi]


def _label(control, value) -> str:
    name = (control.description or type(control).__name__)[:38]
    shown = f"{value:,.4g}" if isinstance(value, float) else f"{value:,}" if isinstance(value, int) else str(value)
    return f"{name} = {shown}"


def _move(control, value) -> tuple[float, float] | None:
    """Set ``control`` to ``value``; the seconds the recomputation took, wall clock and CPU (None when the value
    did not change). The CPU time is the whole process's, every thread (a numerical library's own threads
    included), not only the one that made the change."""
    if control.value == value:
        return None
    start, cpu = time.perf_counter(), time.process_time()
    control.value = value
    return time.perf_counter() - start, time.process_time() - cpu


def explore_every_option(box) -> list[tuple[tuple[float, float], str]]:
    """Time every option of every control of explorer ``box``, under every option of every menu.

    With the defaults, and then with each option of each menu selected in turn, every other control is moved to
    each value it offers (:func:`_options`) and back. Returns ``((wall seconds, CPU seconds), what was set)`` for
    every move.
    """
    controls = _controls(box)
    menus = [c for c in controls if _is_menu(c)]
    states = [(None, None)] + [(m, v) for m in menus for v in _options(m)]
    timings: list[tuple[tuple[float, float], str]] = []
    for menu, option in states:
        if menu is not None:
            default_option = menu.value
            t = _move(menu, option)
            if t is not None:
                timings.append((t, _label(menu, option)))
        under = "" if menu is None else f"  [with {_label(menu, option)}]"
        for control in controls:
            if control is menu:
                continue
            default = control.value
            for value in _options(control) + [default]:
                t = _move(control, value)
                if t is not None:
                    timings.append((t, _label(control, value) + under))
        if menu is not None:
            _move(menu, default_option)
    return timings


def explorers(only: str | None = None) -> None:
    import swp_models.explore as pkg

    print("\n== Live explorers: every option of every control, under every option of every menu "
          f"(target: every recompute < {EXPLORER_TARGET_MS} ms of CPU)")
    for info in pkgutil.iter_modules(pkg.__path__):
        if only and info.name != only:
            continue
        module = importlib.import_module(f"swp_models.explore.{info.name}")
        if not hasattr(module, "explorer"):
            continue
        opened, cpu0 = time.perf_counter(), time.process_time()
        box = module.explorer()
        shown = time.perf_counter() - opened
        if getattr(box, "preparing", False):
            # Figures the explorer prepares in the background as it opens (the other scope's); a visitor's
            # first change comes later than this, so the changes are timed once they are ready.
            box.wait_ready()
            print(f"  {info.name:<12} opens in {shown:.2f} s; the other scope ready {time.perf_counter() - opened:.2f} s "
                  f"after opening ({time.process_time() - cpu0:.2f} s of CPU in all)")
        timings = explore_every_option(box)
        if not timings:
            print(f"  {info.name:<12} no control found")
            continue
        (wall, cpu), what = max(timings)
        median = statistics.median(t[0] for t, _ in timings)
        (_, cpu_worst), cpu_what = max(timings, key=lambda t: t[0][1])
        over = [t for t in timings if 1000 * t[0][1] >= EXPLORER_TARGET_MS]
        mark = "" if not over else miss(f"explorer {info.name}: {len(over)} of {len(timings)} changes over "
                                        f"{EXPLORER_TARGET_MS} ms of CPU, the slowest {1000 * cpu_worst:.0f} ms "
                                        f"({cpu_what})")
        print(f"  {info.name:<12} {len(_controls(box)):>2} controls, {len(timings):>4} changes: median {1000 * median:6.1f} ms;"
              f" slowest {1000 * wall:6.1f} ms wall ({1000 * cpu:.0f} ms CPU): {what}")
        print(f"  {'':<12} slowest in CPU time {1000 * cpu_worst:6.1f} ms: {cpu_what}{mark}")


#: Visitors arriving together in the load run, and how long each may wait for a working explorer.
LOAD_VISITORS = (1, 4, 10)
LOAD_TIMEOUT_S = 120


def _tree_cpu(proc) -> float:
    """CPU seconds (user and system) used so far by ``proc`` (a psutil.Process) and all its descendants."""
    import psutil

    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def _serve_app(port: int, pool: int):
    """Start the explorer app as ``make explorer`` serves it; return the Voila process once it listens."""
    import socket

    sys.path.insert(0, str(ROOT / "tests"))
    from test_app import voila_command

    env = dict(os.environ, JUPYTER_PATH=str(ROOT / "apps" / "jupyter"))
    proc = subprocess.Popen(voila_command(port, pool), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                _stop(proc)
                raise RuntimeError(f"voila did not listen on port {port}") from None
            time.sleep(0.3)


def _stop(proc) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from test_app import stop_app

    stop_app(proc)


async def _visitors(url: str, n: int) -> tuple[list[float | None], float]:
    """``n`` visitors opening the app together in headless Chromium; each one's seconds until the first
    explorer's results are on screen (None: not within LOAD_TIMEOUT_S), and the browsers' CPU seconds."""
    import asyncio

    import psutil
    from playwright.async_api import async_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM_ARGS, chromium_path

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        me = psutil.Process()
        browsers = [p for p in me.children(recursive=True) if "chrom" in p.name().lower()]
        cpu0 = sum(_tree_cpu(p) for p in browsers)

        async def visit() -> float | None:
            context = await browser.new_context(viewport={"width": 1366, "height": 900})
            page = await context.new_page()
            start = time.perf_counter()
            try:
                await page.goto(url, wait_until="load", timeout=LOAD_TIMEOUT_S * 1000)
                await page.locator("table.swp-explorer-table").first.wait_for(
                    timeout=max(1, LOAD_TIMEOUT_S * 1000 - 1000 * (time.perf_counter() - start)))
                return time.perf_counter() - start
            except Exception:
                return None
            finally:
                await context.close()

        times = await asyncio.gather(*(visit() for _ in range(n)))
        cpu = sum(_tree_cpu(p) for p in browsers) - cpu0
        await browser.close()
    return list(times), cpu


def explorer_load(counts=LOAD_VISITORS, pool: int = 2) -> None:
    """The explorer app under load: N visitors arriving together at a local Voila (``make explorer``'s
    command, ``pool`` preheated kernels), their browsers on the same machine. For each N: the seconds until
    each visitor sees a working explorer, how many never do, the kernels' memory and the CPU the browsers
    took from the server. Target: every visitor of ten served, none failing."""
    import asyncio
    import socket

    import psutil

    print(f"\n== Explorer app under load: N visitors arriving together at a local Voila with {pool} preheated "
          f"kernels, their browsers on this machine ({os.cpu_count()} cores; target: all of "
          f"{max(counts)} served within {LOAD_TIMEOUT_S} s)")
    print(f"  {'visitors':>8} {'served':>7} {'first':>7} {'median':>7} {'last':>7} {'kernel MB (max)':>16} "
          f"{'browsers CPU s':>15} {'server CPU s':>13}")
    for n in counts:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        proc = _serve_app(port, pool)
        try:
            server = psutil.Process(proc.pid)
            deadline = time.monotonic() + 120  # let the pool fill, as a server does before its visitors
            while len(server.children(recursive=True)) < pool and time.monotonic() < deadline:
                time.sleep(0.5)
            time.sleep(10)
            cpu0 = _tree_cpu(server)
            times, browser_cpu = asyncio.run(_visitors(f"http://127.0.0.1:{port}/", n))
            server_cpu = _tree_cpu(server) - cpu0
            kernels = [p for p in server.children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
            rss = max((p.memory_info().rss for p in kernels), default=0) / 1e6
        finally:
            _stop(proc)
        served = sorted(t for t in times if t is not None)
        failed = n - len(served)
        mark = "" if not failed else miss(f"explorer load: {failed} of {n} visitors never saw an explorer "
                                          f"within {LOAD_TIMEOUT_S} s")

        def secs(t: float | None) -> str:
            return "-" if t is None else f"{t:.1f} s"

        print(f"  {n:>8} {len(served):>7} {secs(served[0] if served else None):>7} "
              f"{secs(statistics.median(served) if served else None):>7} {secs(served[-1] if served else None):>7} "
              f"{len(kernels):>3} x {rss:>6.0f} MB {browser_cpu:>15.1f} {server_cpu:>13.1f}{mark}")


def workbook() -> None:
    """Generating the costing workbook, and LibreOffice recalculating the test's input sets (``bench_workbook.py``)."""
    print()
    _script("bench_workbook.py", "costing workbook")


def _build(args: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode:
        miss(f"`{' '.join(args)}` failed ({done.returncode}): {done.stderr[-500:]}")
    return time.perf_counter() - start


def book() -> None:
    """A cold build and a rebuild with nothing changed, each as ``make book`` runs them."""
    print("\n== Book build (set-up excluded)")
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    subprocess.run(["make", "-s", ".venv/.installed", "_static/vega-bundle.js", "_vendor/mathjax/tex-chtml.js"],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    cold = _build(["make", "-s", "book"])
    warm = _build(["make", "-s", "book"])
    html = ROOT / "_build" / "html"
    pages = [p for p in html.rglob("*.html") if not p.relative_to(html).parts[0].startswith("_")]
    heaviest = max(pages, key=lambda p: p.stat().st_size)
    bundle = (html / "_static" / "vega-bundle.js").stat().st_size
    print(f"  cold build, every notebook executed   {cold:7.1f} s   (target < 180 s)"
          + ("" if cold < 180 else miss(f"cold build {cold:.0f} s (target < 180 s)")))
    print(f"  rebuild with nothing changed          {warm:7.1f} s   (target < 20 s)"
          + ("" if warm < 20 else miss(f"no-change rebuild {warm:.0f} s (target < 20 s)")))
    print(f"  largest page's HTML alone: {heaviest.relative_to(html)}  {heaviest.stat().st_size / 1e6:5.2f} MB "
          f"(the Vega bundle, {bundle / 1e6:.2f} MB, and every other file a page loads are counted in the "
          "reader's table below: that total is the page's weight)")


class _GzipHandler:
    """Build a request handler that serves ``folder`` gzip-compressed where a static host would."""

    @staticmethod
    def make(folder: Path):
        import gzip
        import http.server

        import functools

        @functools.lru_cache(maxsize=None)
        def _gzip(path: Path, mtime: float) -> bytes:
            return gzip.compress(path.read_bytes(), compresslevel=6)

        def compressed(path: Path) -> bytes:
            # Compressed once, as a static host serves precompressed files: the time to compress
            # is not the reader's.
            return _gzip(path, path.stat().st_mtime)

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(folder), **kwargs)

            def log_message(self, *args):
                pass

            def copyfile(self, source, outputfile):
                try:
                    super().copyfile(source, outputfile)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the browser closed the page before a script it no longer needed arrived

            def send_head(self):
                path = Path(self.translate_path(self.path))
                kind = self.guess_type(str(path))
                text = kind.startswith("text/") or any(k in kind for k in ("javascript", "json", "svg", "xml"))
                if not path.is_file() or not text or "gzip" not in self.headers.get("Accept-Encoding", ""):
                    return super().send_head()
                body = compressed(path)
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                import io

                return io.BytesIO(body)

        return Handler


#: Chromium's network throttling for the reader figures: 10 Mbit/s each way, 40 ms latency.
THROTTLE = {"offline": False, "latency": 40, "downloadThroughput": 10e6 / 8, "uploadThroughput": 10e6 / 8}


def page_draw(browser, base: str, doc: str, width: int = 1366) -> dict:
    """Open one page throttled (``THROTTLE``, empty cache) and time it.

    Returns a dict: ``charts`` (count), ``sent`` and ``raw`` (bytes over the wire and
    uncompressed), ``html`` (bytes of the page itself, uncompressed), ``painted`` (ms from
    navigation until every chart's build-time drawing is on screen), ``first`` and ``drawn`` (ms until
    the first and the last chart is live, with its controls), ``dom`` (ms until the page's
    HTML is parsed) and ``wide`` (charts wider than their column).
    """
    from urllib.parse import urlparse

    context = browser.new_context(viewport={"width": width, "height": 900})
    context.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1"
                  or r.request.url.startswith(("data:", "blob:")) else r.abort())
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", THROTTLE)
    sent, raw = {"bytes": 0}, {"bytes": 0}
    cdp.on("Network.loadingFinished", lambda e: sent.__setitem__("bytes", sent["bytes"] + e["encodedDataLength"]))
    cdp.on("Network.dataReceived", lambda e: raw.__setitem__("bytes", raw["bytes"] + e["dataLength"]))
    page.goto(f"{base}/{doc}.html", wait_until="load", timeout=120_000)
    page.wait_for_function("() => Array.from(document.querySelectorAll('.swp-chart')).every(c => c.dataset.drawn)",
                           timeout=120_000)
    page.wait_for_load_state("networkidle")
    row = page.evaluate("""() => {
      const t = Array.from(document.querySelectorAll('.swp-chart')).map(c => +c.dataset.drawn);
      const p = Array.from(document.querySelectorAll('.swp-chart')).map(c => +(c.dataset.painted || c.dataset.drawn));
      const nav = performance.getEntriesByType('navigation')[0];
      return {charts: t.length, first: t.length ? Math.min(...t) : 0, drawn: t.length ? Math.max(...t) : 0,
              painted: p.length ? Math.max(...p) : 0,
              dom: nav ? nav.domContentLoadedEventEnd : 0, html: document.documentElement.outerHTML.length,
              wide: document.querySelectorAll('.swp-chart.swp-chart-overflows').length};
    }""")
    row.update(sent=sent["bytes"], raw=raw["bytes"])
    context.close()
    return row


def reader() -> None:
    """Throttled chart-draw times and transfer sizes of every page of the built book."""
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT / "scripts"))
    from conftest import CHROMIUM_ARGS, chromium_path
    from make_pdfs import toc_pages

    html = ROOT / "_build" / "html"
    if not (html / "index.html").is_file():
        print("\n== Reader: the book is not built; run `make book` first" + miss("reader: the book is not built"))
        return
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _GzipHandler.make(html))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    print("\n== Reader: each page at 10 Mbit/s, 40 ms latency, empty cache, served with gzip "
          "(targets: every chart drawn within 1.5 s; at most 1.5 MB transferred).\n"
          "  'all drawn': every chart's drawing (made at build time) on screen; 'first live', 'all live': the\n"
          "  first and the last chart replaced by the live chart with its controls")
    print(f"  {'page':<32} {'charts':>6} {'sent MB':>8} {'raw MB':>7} {'HTML parsed':>12} {'all drawn':>10} "
          f"{'first live':>11} {'all live':>9} {'wide at 390 px':>15}")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        for doc in toc_pages():
            wide = page_draw(browser, base, doc, 390)["wide"]  # (also warms the server's gzip cache)
            row = page_draw(browser, base, doc, 1366)

            def secs(ms: float) -> str:
                return f"{ms / 1000:.2f} s" if row["charts"] else "-"

            mark = ("" if row["sent"] <= 1.5e6 and row["painted"] <= 1500
                    else miss(f"reader: {doc} sent {row['sent'] / 1e6:.2f} MB, charts drawn in "
                              f"{row['painted'] / 1000:.2f} s (targets 1.5 MB, 1.5 s)"))
            print(f"  {doc:<32} {row['charts']:>6} {row['sent'] / 1e6:>8.2f} {row['raw'] / 1e6:>7.2f} "
                  f"{row['dom'] / 1000:>10.2f} s {secs(row['painted']):>10} {secs(row['first']):>11} "
                  f"{secs(row['drawn']):>9} {wide:>15}{mark}")
        browser.close()
    server.shutdown()


def run(sections) -> int:
    """Run each section, whatever the others did; report every missed target at the end.

    Returns the exit status: 0 when every target was met, 1 otherwise.
    """
    for section in sections:
        try:
            section()
        except Exception as err:  # a section that breaks is reported, and the others still run
            name = getattr(section, "__name__", None) or getattr(section, "func").__name__
            print(f"  {name} failed: {type(err).__name__}: {err}" + miss(f"{name} failed: {err}"))
        sys.stdout.flush()
    if MISSED:
        print(f"\n== {len(MISSED)} target(s) missed:")
        for what in MISSED:
            print(f"  - {what}")
        return 1
    print("\n== Every target met")
    return 0


if __name__ == "__main__":
    if "--reader" in sys.argv:
        sys.exit(run([reader]))
    if "--workbook" in sys.argv:
        sys.exit(run([workbook]))
    if "--load" in sys.argv:
        sys.exit(run([explorer_load]))
    if "--explorers" in sys.argv:
        rest = sys.argv[sys.argv.index("--explorers") + 1:]
        sys.exit(run([functools.partial(explorers, rest[0] if rest else None)]))
    sections = [contracts, child_costs, national, sensitivity, appraisal, explorers, explorer_load, workbook]
    if "--quick" not in sys.argv:
        sections.append(book)
    sections.append(reader)
    sys.exit(run(sections))
