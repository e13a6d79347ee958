"""The built book in headless Chromium, with every request to another host blocked.

The pages and the number of charts on each are read from ``_toc.yml`` and the notebooks, so a new
chapter is checked without editing this file. On every page: it opens without a script error, no
request leaves the machine, no Vega warning is logged (an emptied chart logs "Infinite extent"),
and each chart draws at least ``MIN_DATA_MARKS`` data marks (Vega items of role "mark": bars,
points, lines, rules, text; not titles, axes or legends), with every layer drawing at least one. On every chapter: every control of
every chart (slider, menu, radio buttons) is moved to both ends of its range, each move redraws
the chart with data marks in every layer and without warnings, and the two ends draw different
charts; the control is then put back where it was.

The book must be built after the last change to ``swp_models/``, ``data/``, ``book/`` and the
book's configuration (``conftest.built_book`` refuses a stale build).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DESKTOP, HTML, ROOT, toc_files

pytestmark = pytest.mark.browser

MAX_PAGE_BYTES = 3 * 1024 * 1024
#: The fewest data marks a chart may draw, at load and at either end of each of its controls.
MIN_DATA_MARKS = 2
#: Tags that keep a cell's output off the page.
_HIDDEN_OUTPUT_TAGS = {"remove-cell", "remove-output"}
_CHART_MIME = "application/vnd.vegalite"


def is_chart_cell(cell: dict) -> bool:
    """A code cell whose stored output includes a Vega-Lite chart."""
    return cell.get("cell_type") == "code" and any(
        key.startswith(_CHART_MIME) for out in cell.get("outputs", []) for key in out.get("data", {})
    )


def expected_charts(doc: str) -> int:
    """Charts the page of ``doc`` shows: chart cells of its notebook whose output is not removed."""
    notebook = ROOT / f"{doc}.ipynb"
    if not notebook.is_file():
        return 0
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(
        1 for c in cells if is_chart_cell(c) and not _HIDDEN_OUTPUT_TAGS & set(c.get("metadata", {}).get("tags", []))
    )


DOCS = toc_files()
PAGES = {f"{doc}.html": expected_charts(doc) for doc in DOCS}
CONTROL_PAGES = sorted(p for p, n in PAGES.items() if n > 0)


def test_toc_and_notebooks_give_pages_with_charts():
    assert len(DOCS) == len(set(DOCS)) > 1
    assert sum(PAGES.values()) > 0, "no notebook in _toc.yml stores a chart"


def test_every_page_of_the_toc_is_built(built_book):
    missing = [p for p in PAGES if not (HTML / p).is_file()]
    assert not missing, f"pages in _toc.yml missing from the built book: {missing}"


def test_page_weight_under_3_mb(built_book):
    for page in PAGES:
        size = (HTML / page).stat().st_size
        assert size < MAX_PAGE_BYTES, f"{page} is {size / 1e6:.1f} MB"
    bundle = HTML / "_static" / "vega-bundle.js"
    assert bundle.is_file() and bundle.stat().st_size < MAX_PAGE_BYTES


def _open(offline, book_url: str, page: str):
    tab = offline.new_page()  # records script errors and console warnings from the start
    response = tab.goto(f"{book_url}/{page}", wait_until="load")
    assert response is not None and response.ok, f"{page} did not load"
    return tab


def _data_marks(chart) -> list[int]:
    """Items drawn by each data-mark group (each layer, facet or series) of the chart."""
    return chart.evaluate("el => Array.from(el.querySelectorAll('svg g.role-mark')).map(g => g.children.length)")


def _check_marks(marks: list[int], where: str) -> None:
    assert sum(marks) >= MIN_DATA_MARKS, f"{where} drew {sum(marks)} data marks"
    assert all(marks), f"{where}: a layer drew nothing (items per layer: {marks})"


def _wait_drawn(chart) -> None:
    """Wait until the chart is live: its build-time drawing replaced by the Vega chart and its controls."""
    chart.scroll_into_view_if_needed()
    chart.locator(".swp-chart-view svg").first.wait_for(state="attached", timeout=15_000)
    chart.evaluate("el => new Promise(done => { const poll = () => el.dataset.drawn ? done() : setTimeout(poll, 50);"
                   " poll(); })")
    assert chart.locator(".swp-chart-static").count() == 0, "the chart's build-time drawing is still shown"


# Console messages that are known and harmless, each with the page it appears on. Anything else a
# page logs as a warning or an error fails the test, above all Vega's run-time warnings about data
# ("WARN Infinite extent for field ...", which an emptied chart logs).
_KNOWN_CONSOLE = {
    # The Sphinx theme reads a stored light/dark preference that a fresh browser does not have.
    ("*", "error: Got invalid theme mode: . Resetting to auto."),
}


def _unexpected_console(page: str, messages: list[str]) -> list[str]:
    return [m for m in messages if ("*", m) not in _KNOWN_CONSOLE and (page, m) not in _KNOWN_CONSOLE]


def test_console_filter_lets_no_vega_data_warning_through():
    infinite = 'warning: WARN Infinite extent for field "x": [Infinity, -Infinity]'
    assert _unexpected_console("book/05_contracts.html", [infinite]) == [infinite]
    merge = 'warning: WARN Conflicting legend property "disable" (false and true). Using false.'
    assert _unexpected_console("book/06_outcomes.html", [merge]) == [merge]
    assert not _unexpected_console("book/02_continuity.html", [m for _, m in _KNOWN_CONSOLE])


def _check_clean(tab, page: str, where: str) -> None:
    assert not tab.errors, f"script errors on {page} {where}: {tab.errors}"
    unexpected = _unexpected_console(page, tab.console_problems)
    assert not unexpected, f"console warnings on {page} {where}: {unexpected}"


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_opens_offline_and_every_chart_draws_data(page, loaded):
    shown = loaded(page, DESKTOP)
    tab = shown.tab
    assert tab.response is not None and tab.response.ok, f"{page} did not load"
    charts = tab.locator(".swp-chart")
    assert charts.count() == PAGES[page], f"{page} shows {charts.count()} charts; its notebook stores {PAGES[page]}"
    for i in range(charts.count()):
        chart = charts.nth(i)
        _wait_drawn(chart)
        _check_marks(_data_marks(chart), f"chart {i + 1} on {page}")
    tab.wait_for_timeout(200)  # let Vega finish logging
    _check_clean(tab, page, "on load")
    assert not shown.blocked, f"{page} tried to reach other hosts: {shown.blocked}"
    text = tab.locator("main").inner_text()
    for raw in ("|---", "| |", "```", "{cite:", "{numref}", "{doc}"):
        assert raw not in text, f"{page} shows unrendered markup {raw!r}"


# Setting a control from the page, as a reader's click or drag would (Vega listens for these events).
_SET_RANGE = "(el, end) => { el.value = end === 'min' ? el.min : el.max;" \
             " el.dispatchEvent(new Event('input', {bubbles: true})); }"
_SET_SELECT = "(el, end) => { el.selectedIndex = end === 'min' ? 0 : el.options.length - 1;" \
              " el.dispatchEvent(new Event('change', {bubbles: true})); }"
_SET_RADIO = "(el) => { el.checked = true; el.dispatchEvent(new Event('change', {bubbles: true})); }"
#: A fingerprint of the chart's drawing (its SVG's length and a 32-bit hash of it), read in the page, so that
#: waiting for a redraw does not carry the whole drawing out of the browser at every look.
_DRAWING = ("(el) => { const s = el.querySelector('svg').innerHTML; let h = 0;"
            " for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;"
            " return s.length + ':' + h; }")


def _settle(tab, chart, before: str | None) -> str:
    """Wait until the chart's SVG differs from ``before`` (if given) and stops changing; return it."""
    if before is not None:
        try:
            tab.wait_for_function(f"([el, before]) => ({_DRAWING})(el) !== before",
                                  arg=[chart.element_handle(), before], timeout=10_000)
        except Exception:  # noqa: BLE001 - reported by the caller as "did not change the chart"
            return before
    last = chart.evaluate(_DRAWING)
    for _ in range(20):
        tab.wait_for_timeout(50)
        now = chart.evaluate(_DRAWING)
        if now == last:
            return now
        last = now
    return last


def _controls(chart) -> list[tuple[str, object]]:
    """(kind, element locator) of every control bound to the chart: a range, a select, or a group of radios."""
    found = []
    binds = chart.locator(".vega-bind")
    for j in range(binds.count()):
        bind = binds.nth(j)
        if bind.locator("input[type=range]").count():
            found.append(("range", bind.locator("input[type=range]").first))
        elif bind.locator("select").count():
            found.append(("select", bind.locator("select").first))
        elif bind.locator("input[type=radio]").count():
            found.append(("radio", bind.locator("input[type=radio]")))
        else:
            found.append(("unknown", bind))
    return found


_RESTORE = "(el, v) => { el.value = v; el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input'," \
           " {bubbles: true})); }"


def _move_to_both_ends(tab, page: str, chart, label: str, kind: str, control) -> None:
    """Move one control to each end (each radio in turn), then back where it was.

    Each end must draw data marks without warnings, and the two ends must draw different charts
    (the first move may leave the chart as it is when the control starts at that end).
    """
    if kind == "range":
        start = control.evaluate("el => el.value")
        steps = [lambda: control.evaluate(_SET_RANGE, "min"), lambda: control.evaluate(_SET_RANGE, "max")]
        restore = lambda: control.evaluate(_RESTORE, start)  # noqa: E731
    elif kind == "select":
        assert control.evaluate("el => el.options.length") >= 2, f"{label}: a menu with one option"
        start = control.evaluate("el => el.value")
        steps = [lambda: control.evaluate(_SET_SELECT, "min"), lambda: control.evaluate(_SET_SELECT, "max")]
        restore = lambda: control.evaluate(_RESTORE, start)  # noqa: E731
    elif kind == "radio":
        n = control.count()
        assert n >= 2, f"{label}: radio buttons with one option"
        checked = [k for k in range(n) if control.nth(k).is_checked()]
        # Start from the options that are not checked, so every step changes the chart.
        order = [k for k in range(n) if k not in checked] + checked
        steps = [lambda k=k: control.nth(k).evaluate(_SET_RADIO) for k in order]
        restore = lambda: None  # noqa: E731 - the last step re-checks the option checked at the start
    else:
        pytest.fail(f"{label}: a control of an unknown kind")
    state = _settle(tab, chart, None)
    for k, step in enumerate(steps):
        before = _value(kind, control)
        step()
        # A step that leaves the control where it was (a slider already at that end) cannot redraw the chart:
        # only read it, rather than wait for a change that will not come.
        new = _settle(tab, chart, state if _value(kind, control) != before else None)
        assert new != state or (kind != "radio" and k == 0), f"{label} ({kind}) did not change the chart at step {k + 1}"
        _check_marks(_data_marks(chart), f"{page} {label} ({kind}) at step {k + 1}")
        _check_clean(tab, page, f"after moving {label}")
        state = new
    before = _value(kind, control)
    restore()
    if _value(kind, control) != before:
        _settle(tab, chart, state)


def _value(kind: str, control) -> str:
    """Where the control stands: a slider's or a menu's value, or which radio button is checked."""
    if kind == "radio":
        return str([control.nth(k).is_checked() for k in range(control.count())])
    return control.evaluate("el => el.value")


@pytest.mark.parametrize("page", CONTROL_PAGES)
def test_every_control_moves_its_chart_to_both_ends(page, book_url, offline):
    tab = _open(offline, book_url, page)
    charts = tab.locator(".swp-chart")
    moved = 0
    for i in range(charts.count()):
        chart = charts.nth(i)
        _wait_drawn(chart)
        for j, (kind, control) in enumerate(_controls(chart)):
            _move_to_both_ends(tab, page, chart, f"chart {i + 1} control {j + 1}", kind, control)
            moved += 1
    assert not offline.blocked
    if page.startswith("book/0"):
        assert moved > 0, f"{page}: a chapter with no chart control"
