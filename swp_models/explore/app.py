"""The live explorers of every modelling chapter as one app of tabs (``make explorer``, Voila).

Only the tab a visitor opens is built: the first at once, each other one the first time its tab is
selected. A visitor's kernel so starts with one explorer in memory, not seven, and the page appears
as soon as that one is drawn; opening another tab builds it then, in about the time a control takes
to recompute.

Each tab opens with links to its chapter and to the glossary in the book built on the same machine
(``make book``; ``make explorer`` serves it beside the app), and ends with a link to the scenario
shown: the app's address with the tab and every control moved from its default in the query
(``?tab=costs&cv=0.5``, values as JSON, as the book's chart links carry them). The app's page template
keeps the browser's address on that link, so the address itself can be copied and shared;
:func:`open_link` applies such an address's query when the page is opened.
"""

from __future__ import annotations

import html
import importlib
import json
import math
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ..validation import check_instance, check_integer

__all__ = ["APP_TABS", "BOOK_URL", "MAX_QUERY", "TAB_CHAPTERS", "app", "open_link", "scenario_query"]

#: The app's tabs in order, each a title and the name of the module of :mod:`swp_models.explore`
#: whose ``explorer()`` fills it.
APP_TABS: tuple[tuple[str, str], ...] = (
    ("Continuity", "continuity"),
    ("Child costs", "costs"),
    ("Running a practice", "practice"),
    ("Paying a practice", "contracts"),
    ("Contracting for outcomes", "outcomes"),
    ("Lessons from abroad", "abroad"),
    ("Piloting", "evaluation"),
)

#: For each tab, the words of its chapter's link and the page of the built book that link opens.
TAB_CHAPTERS: dict[str, tuple[str, str]] = {
    "continuity": ("Chapter 2: continuity of care", "02_continuity"),
    "costs": ("Chapter 3: what a child in care costs", "03_child_costs"),
    "practice": ("Chapter 4: what a practice costs to run", "04_practice_costs"),
    "contracts": ("Chapter 5: paying a practice", "05_contracts"),
    "outcomes": ("Chapter 6: contracting for outcomes", "06_outcomes"),
    "abroad": ("Chapter 7: lessons from abroad", "07_abroad"),
    "evaluation": ("Chapters 8 and 9: piloting and what happened", "08_piloting"),
}

#: The built book, relative to the repository (written by ``make book``).
_BOOK = Path(__file__).resolve().parents[2] / "_build" / "html"
#: Where ``make explorer`` serves the built book, relative to the app's own address.
BOOK_URL = "voila/files/_build/html/"
#: The longest query :func:`open_link` reads (a link holds a few dozen short settings).
MAX_QUERY = 4000


def _build(module: str) -> Any:
    return importlib.import_module(f"{__package__}.{module}").explorer()


def _links(module: str) -> str:
    """The tab's opening line: its chapter and the glossary, as links into the built book."""
    words, page = TAB_CHAPTERS[module]
    if (_BOOK / "book" / f"{page}.html").is_file():
        chapter = f'<a href="{BOOK_URL}book/{page}.html" target="_blank" rel="noopener">{html.escape(words)}</a>'
        glossary = f'<a href="{BOOK_URL}book/glossary.html" target="_blank" rel="noopener">the glossary</a>'
        return (f'<p class="swp-explorer-links">The model, its sources and its assumptions: {chapter}. '
                f"Terms: {glossary}.</p>")
    return (f'<p class="swp-explorer-links">The model, its sources and its assumptions: {html.escape(words)}, '
            "and the terms in the glossary, in the book (build it with <code>make book</code> to open them "
            "from here).</p>")


def _value(widget: Any) -> Any:
    value = widget.value
    return list(value) if isinstance(value, tuple) else value


def scenario_query(tabs: Any) -> str:
    """The query of a link to the scenario the app shows: its open tab and each control moved from its default.

    Parameters
    ----------
    tabs : ipywidgets.Tab
        The app, as :func:`app` returns it.

    Returns
    -------
    str
        ``"tab=<module>"`` then ``&name=<value as JSON>`` for each control of the open tab not at its
        default, in the order of the tab's controls (URL-encoded, without the leading ``?``).
    """
    if not hasattr(tabs, "built") or not hasattr(tabs, "defaults"):
        raise ValueError(f"tabs must be the app that app() returns; got {type(tabs).__name__}")
    index = tabs.selected_index
    pairs = [("tab", APP_TABS[index][1])]
    explorer = tabs.built.get(index)
    if explorer is not None:
        defaults = tabs.defaults[index]
        for name, widget in explorer.controls.items():
            value = _value(widget)
            if value != defaults[name]:
                pairs.append((name, json.dumps(value, separators=(",", ":"))))
    return urlencode(pairs)


def _allowed(widget: Any, value: Any) -> bool:
    """Whether ``widget`` can hold ``value`` as given (a slider clamps silently, so it is checked here)."""
    current = widget.value
    if isinstance(current, bool):
        return isinstance(value, bool)
    if isinstance(current, (int, float)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            return False
        if isinstance(current, int) and not float(value).is_integer():
            return False
        return _allowed_number(widget, value)
    if isinstance(current, tuple):
        return (isinstance(value, list) and len(value) == len(current)
                and all(_allowed_number(widget, v) for v in value))
    options = getattr(widget, "_options_values", None)
    if options is not None:
        return any(value == o for o in options)
    return isinstance(value, type(current))


def _allowed_number(widget: Any, value: Any) -> bool:
    """Whether a number lies in the control's range (a log slider's bounds are powers of its base)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return False
    low, high = getattr(widget, "min", None), getattr(widget, "max", None)
    if hasattr(widget, "base"):
        low, high = widget.base ** low, widget.base ** high
    def slack(bound: float) -> float:
        return 1e-9 * max(1.0, abs(bound))

    return (low is None or value >= low - slack(low)) and (high is None or value <= high + slack(high))


def open_link(tabs: Any, query: str | None) -> list[str]:
    """Open the scenario a link's query names: select its tab and set its controls.

    A setting the tab lacks, or a value its control does not offer, is left at the default and
    said in a notice above the tab's scenario link.

    Parameters
    ----------
    tabs : ipywidgets.Tab
        The app, as :func:`app` returns it.
    query : str or None
        The query of the app's address (``"tab=costs&cv=0.5"``, with or without the leading ``?``;
        at most :data:`MAX_QUERY` characters). ``None`` or ``""`` leaves the app as it is.

    Returns
    -------
    list of str
        The notices shown: one per setting that was not applied.
    """
    if not hasattr(tabs, "built") or not hasattr(tabs, "defaults"):
        raise ValueError(f"tabs must be the app that app() returns; got {type(tabs).__name__}")
    if query is None:
        query = ""
    check_instance("query", query, str, "string")
    if len(query) > MAX_QUERY:
        raise ValueError(f"query must be at most {MAX_QUERY} characters; got {len(query)}")
    pairs = parse_qsl(query.lstrip("?"), keep_blank_values=True)
    if not pairs:
        return []
    notices: list[str] = []
    modules = [m for _, m in APP_TABS]
    settings = dict(pairs)
    tab = settings.pop("tab", modules[tabs.selected_index])
    if tab not in modules:
        notices.append(f"The link names the tab \u201c{tab}\u201d, which the app does not have; it opens at "
                       f"\u201c{APP_TABS[tabs.selected_index][0]}\u201d.")
        tab = modules[tabs.selected_index]
    index = modules.index(tab)
    tabs.selected_index = index
    tabs.open_tab(index)
    controls = tabs.built[index].controls
    for name, text in settings.items():
        widget = controls.get(name)
        if widget is None:
            notices.append(f"The link sets \u201c{name}\u201d, which this tab does not have; it was left out.")
            continue
        try:
            value = json.loads(text)
        except ValueError:
            value = text
        if not _allowed(widget, value):
            notices.append(f"The link set \u201c{name}\u201d to {text}, which this control does not offer; "
                           f"it shows the default, {json.dumps(_value(widget))}, instead.")
            continue
        widget.value = tuple(value) if isinstance(value, list) else value
    tabs.notices[index] = notices
    tabs.refresh_link(index)
    return notices


def app(first: int = 0) -> Any:
    """The explorers as an ``ipywidgets.Tab``, each built when its tab is first opened.

    Parameters
    ----------
    first : int, default 0
        Index in :data:`APP_TABS` of the tab shown (and built) at once, 0 to ``len(APP_TABS) - 1``.

    Returns
    -------
    ipywidgets.Tab
        One child per entry of :data:`APP_TABS`: the explorer once built (between a line of links to its
        chapter and the glossary and a link to the scenario shown), a short "being built" note before.
        Its ``built`` attribute maps each built tab's index to its explorer, ``defaults`` to its
        controls' values when built, and ``share`` to the HTML widget holding the scenario link.
    """
    import ipywidgets as widgets

    first = check_integer("first", first, low=0, high=len(APP_TABS) - 1)
    waiting = [widgets.HTML(f"<p class='swp-explorer-building'>The {html.escape(title)} explorer is being "
                            "built…</p>") for title, _ in APP_TABS]
    tabs = widgets.Tab(children=waiting)
    for i, (title, _) in enumerate(APP_TABS):
        tabs.set_title(i, title)
    tabs.built, tabs.defaults, tabs.share, tabs.notices = {}, {}, {}, {}

    def refresh_link(index: int) -> None:
        if index not in tabs.share or tabs.selected_index != index:
            return
        query = scenario_query(tabs)
        notes = "".join(f'<p class="swp-scenario-notice">{html.escape(n)}</p>' for n in tabs.notices.get(index, []))
        tabs.share[index].value = (
            f'<div class="swp-explorer-scenario" role="status">{notes}<p>'
            f'<a class="swp-explorer-scenario-link" href="?{html.escape(query)}">Link to this scenario</a> '
            "(in the app, the page's address holds these settings: copy it to share them).</p></div>")

    def open_tab(index: int | None) -> None:
        if index is None:
            return
        if index in tabs.built:
            refresh_link(index)
            return
        module = APP_TABS[index][1]
        explorer = _build(module)
        tabs.built[index] = explorer
        tabs.defaults[index] = {name: _value(w) for name, w in explorer.controls.items()}
        tabs.share[index] = widgets.HTML()
        for widget in explorer.controls.values():
            widget.observe(lambda _change, i=index: refresh_link(i), names="value")
        children = list(tabs.children)
        children[index] = widgets.VBox([widgets.HTML(_links(module)), explorer, tabs.share[index]],
                                       layout=widgets.Layout(width="100%"))
        children[index].add_class("swp-explorer-tab")
        tabs.children = children
        refresh_link(index)

    tabs.open_tab = open_tab
    tabs.refresh_link = refresh_link
    tabs.selected_index = first
    open_tab(first)
    tabs.observe(lambda change: open_tab(change["new"]), names="selected_index")
    return tabs
