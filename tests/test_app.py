"""The explorers served as a web app on localhost (Voila), opened in headless Chromium.

The server starts, the page loads with every request to another host blocked, a control of
the contract explorer is moved, and a number on the page changes. The server and its kernels
are stopped at the end.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, OfflineBrowser

pytestmark = pytest.mark.browser

APP = ROOT / "apps" / "explorer.ipynb"
TEMPLATES = ROOT / "apps" / "jupyter"
VOILA = Path(sys.executable).parent / "voila"
START_TIMEOUT = 60  # seconds for the server to listen
RENDER_TIMEOUT = 180_000  # ms for the notebook to run and the explorers to appear


def voila_command(port: int, pool: int = 2) -> list[str]:
    """The command ``make explorer`` runs, on a given port, with ``pool`` preheated kernels."""
    return [str(VOILA), str(APP), "--template=swp", f"--port={port}", "--no-browser", "--Voila.ip=127.0.0.1",
            "--preheat_kernel=True", f"--pool_size={pool}", f"--Voila.root_dir={ROOT}",
            "--VoilaConfiguration.file_allowlist=['_build/html/.*']"]


def test_make_explorer_runs_the_command_the_tests_serve():
    """The app the tests open is served as ``make explorer`` serves it (preheated kernels, a pool)."""
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nexplorer:", 1)[1].split("\n\n", 1)[0]
    for flag in voila_command(0)[2:5] + ["--preheat_kernel=True", "--pool_size=$(EXPLORER_POOL)",
                                         "--Voila.root_dir=$(CURDIR)",
                                         "--VoilaConfiguration.file_allowlist=\"['_build/html/.*']\""]:
        if not flag.startswith("--port"):
            assert flag in recipe, f"make explorer lacks {flag}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = _free_port()
    env = dict(os.environ, JUPYTER_PATH=str(TEMPLATES))
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(voila_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)

    def log_tail() -> str:
        log.seek(0)
        return log.read()[-3000:]

    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"voila exited with code {proc.returncode} before serving the app:\n{log_tail()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"voila did not listen on port {port} within {START_TIMEOUT} s") from None
                time.sleep(0.3)
        yield url
    finally:
        stop_app(proc)
        log.close()


def stop_app(proc: subprocess.Popen) -> None:
    """Stop Voila and the kernels it started: they share one process group (started with a session of its own)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def test_app_page_links_no_script_or_style_from_another_host(app_url):
    with urllib.request.urlopen(app_url, timeout=RENDER_TIMEOUT / 1000) as response:
        assert response.status == 200
        page = response.read().decode("utf-8")
    # Voila's error page (a cell of the app that raised) also loads: refuse it by its words.
    lowered = page.lower()
    assert "error when executing cell" not in lowered and "traceback (most recent call last)" not in lowered, page[-2000:]
    assert "voila" in lowered
    external = re.findall(r'<(?:link|script)[^>]*(?:href|src)="(https?://(?!127\.0\.0\.1|localhost)[^"]+)"', page)
    assert not external, f"the page loads from other hosts: {external}"


@pytest.fixture(scope="module")
def desktop_app(app_url, browser):
    """The app opened once at a laptop's width, offline, as the desktop checks below share it (each page a visitor
    opens takes a kernel of its own, which runs the whole app): its console from the start, its first tab built,
    then "Paying a practice" opened. Yields ``(offline, tab, console)``, ``console`` being what the page logged
    up to then."""
    offline = OfflineBrowser(browser)
    tab = offline.new_page()
    messages: list[tuple[str, str]] = []
    tab.on("console", lambda m: messages.append((m.type, m.text)))
    tab.goto(app_url, wait_until="load", timeout=RENDER_TIMEOUT)
    tab.locator("table.swp-explorer-table").first.wait_for(timeout=RENDER_TIMEOUT)  # the first tab, built at once
    # Another tab is built when first opened, in the running page.
    tab.get_by_role("tab", name="Paying a practice").click(timeout=RENDER_TIMEOUT)
    tab.locator(".swp-explorer-mean").wait_for(state="attached", timeout=RENDER_TIMEOUT)
    yield offline, tab, list(messages)
    offline.context.close()


def test_front_end_and_widget_packages_agree(desktop_app):
    """Voila's JupyterLab front end, its widget manager and the pinned widget packages are built for matching
    versions: the browser console shows no "Unsatisfied version" (or any other) warning while the explorers load
    and a second tab is built."""
    _, tab, messages = desktop_app
    warnings = [text for kind, text in messages if kind in ("warning", "error")]
    assert not warnings, f"{len(warnings)} console warnings, e.g. {warnings[:3]}"
    assert not tab.errors, f"script errors: {tab.errors}"


def test_moving_a_control_changes_a_number(desktop_app):
    offline, tab, _ = desktop_app
    mean = tab.locator(".swp-explorer-mean")
    mean.wait_for(timeout=RENDER_TIMEOUT)
    before = mean.inner_text()
    # The expected cost to the practice of 100 ± 10 children under the default cost model, with placements in
    # scope and the council's wider overheads taken out (£4,284,000 before they were).
    from swp_models import engine
    from swp_models.costs import default_cost_model
    from swp_models.scenario import Scenario

    kept = 1.0 - engine.scope(Scenario.central(scope="placements")).overhead_share
    assert before == f"£{100 * kept * default_cost_model().mean:,.0f}" == "£4,069,800"
    # Move the caseload slider one step (5 children) with the keyboard, as a reader would.
    slider = tab.locator(".widget-slider", has_text="Children in the practice").first
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    # The results are re-rendered as new HTML: look the number up afresh each time.
    tab.wait_for_function("(before) => { const el = document.querySelector('.swp-explorer-mean');"
                          " return el !== null && el.innerText !== before; }", arg=before, timeout=30_000)
    assert mean.inner_text() == "£4,498,200"  # 105 children at £42,840
    assert slider.locator(".widget-readout").inner_text() == "105"
    ms = float(tab.locator(".swp-explorer-ms:visible").inner_text())  # the open tab's timing line
    assert ms > 0
    assert not tab.errors, f"script errors: {tab.errors}"
    assert not offline.blocked, f"the app tried to reach other hosts: {offline.blocked}"


def test_outcome_explorer_reprices_when_the_share_on_outcomes_moves(desktop_app):
    offline, tab, _ = desktop_app
    tab.get_by_role("tab", name="Contracting for outcomes").click(timeout=RENDER_TIMEOUT)
    rate = tab.locator(".swp-explorer-rate")
    rate.wait_for(timeout=RENDER_TIMEOUT)
    before = rate.inner_text()
    assert before == "£1,000"  # the report's bonus per unit, nothing else on outcomes
    slider = tab.locator(".widget-slider", has_text="Share of the contract paid on outcomes").first
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    tab.wait_for_function("(before) => { const el = document.querySelector('.swp-explorer-rate');"
                          " return el !== null && el.innerText !== before; }", arg=before, timeout=30_000)
    assert rate.inner_text() != before
    assert not tab.errors, f"script errors: {tab.errors}"
    assert not offline.blocked, f"the app tried to reach other hosts: {offline.blocked}"


def test_on_a_phone_controls_stack_tables_are_cards_and_a_shared_link_reopens_its_scenario(app_url, offline):
    """At 390 px nothing is wider than the screen: each control's name sits above it, each table row is a card
    with every value under its column's name, and a number keeps its minus sign. A link's query opens its tab
    with its settings (a value the control lacks keeps the default, with a notice), moving a control puts the
    new scenario in the address, and the tab links its chapter and the glossary in the book served beside it."""
    tab = offline.new_page()
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.goto(app_url + "?tab=contracts&caseload=120&margin=999", wait_until="load", timeout=RENDER_TIMEOUT)
    mean = tab.locator(".swp-explorer-mean")
    mean.wait_for(timeout=RENDER_TIMEOUT)
    tab.wait_for_function("() => document.querySelector('.swp-explorer-mean').innerText === '£5,140,800'",
                          timeout=60_000)  # 120 children at £42,840
    notice = tab.locator(".swp-scenario-notice:visible")
    notice.wait_for(timeout=30_000)
    assert "margin" in notice.inner_text() and "999" in notice.inner_text()
    tab.wait_for_function("() => location.search === '?tab=contracts&caseload=120'", timeout=30_000)
    tab.wait_for_timeout(500)
    layout = tab.evaluate("""() => {
      const w = document.documentElement.clientWidth, wide = [], above = [], cards = [], split = [];
      const shown = e => e.offsetParent !== null;
      document.querySelectorAll('.widget-inline-hbox, table, td, .lm-TabBar-tab').forEach(e => {
        const r = e.getBoundingClientRect();
        if (shown(e) && r.width && (r.right > w + 0.5 || r.left < -0.5)) wide.push(e.className + ' ' + Math.round(r.right));
      });
      document.querySelectorAll('.widget-slider, .widget-dropdown').forEach(e => {
        const label = e.querySelector(':scope > .widget-label'), control = e.lastElementChild;
        if (shown(e) && label && label.innerText.trim() &&
            label.getBoundingClientRect().bottom > control.getBoundingClientRect().top + 1) above.push(label.innerText);
      });
      document.querySelectorAll('table.swp-explorer-table td').forEach(td => {
        if (!shown(td)) return;
        if (getComputedStyle(td.parentElement).display !== 'block') cards.push('row ' + td.parentElement.innerText);
        if (td.cellIndex > 0 && !td.getAttribute('data-label')) cards.push('unlabelled ' + td.innerText);
        const range = document.createRange(); range.selectNodeContents(td);
        const lines = new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top)));
        if (/^[\u2212-]/.test(td.innerText.trim()) && lines.size > 2) split.push(td.innerText);
      });
      return {scroll: document.documentElement.scrollWidth, w, wide, above, cards, split};
    }""")
    assert layout["scroll"] <= layout["w"], layout
    assert not layout["wide"], f"wider than the screen: {layout['wide'][:5]}"
    assert not layout["above"], f"controls whose name is not above them: {layout['above'][:5]}"
    assert not layout["cards"], layout["cards"][:5]
    assert not layout["split"], layout["split"][:5]
    links = tab.locator(".swp-explorer-links:visible a")
    assert [a.inner_text() for a in links.all()] == ["Chapter 5: paying a practice", "the glossary"]
    for a in links.all():
        with urllib.request.urlopen(app_url + a.get_attribute("href"), timeout=30) as response:
            assert response.status == 200
    # Moving a control puts it in the address.
    slider = tab.locator(".widget-slider:visible", has_text="Children in the practice").first
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    handle.press("ArrowRight")
    tab.wait_for_function("() => location.search === '?tab=contracts&caseload=125'", timeout=60_000)
    assert not tab.errors, f"script errors: {tab.errors}"
    assert not offline.blocked, f"the app tried to reach other hosts: {offline.blocked}"
