"""The live explorers of every modelling chapter as one app of tabs (``make explorer``, Voila).

Only the tab a visitor opens is built: the first at once, each other one the first time its tab is
selected. A visitor's kernel so starts with one explorer in memory, not seven, and the page appears
as soon as that one is drawn; opening another tab builds it then, in about the time a control takes
to recompute.
"""

from __future__ import annotations

import html
import importlib
from typing import Any

from ..validation import check_integer

__all__ = ["APP_TABS", "app"]

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


def _build(module: str) -> Any:
    return importlib.import_module(f"{__package__}.{module}").explorer()


def app(first: int = 0) -> Any:
    """The explorers as an ``ipywidgets.Tab``, each built when its tab is first opened.

    Parameters
    ----------
    first : int, default 0
        Index in :data:`APP_TABS` of the tab shown (and built) at once, 0 to ``len(APP_TABS) - 1``.

    Returns
    -------
    ipywidgets.Tab
        One child per entry of :data:`APP_TABS`: the explorer once built, a short "being built"
        note before. Its ``built`` attribute maps each built tab's index to its explorer.
    """
    import ipywidgets as widgets

    first = check_integer("first", first, low=0, high=len(APP_TABS) - 1)
    waiting = [widgets.HTML(f"<p class='swp-explorer-building'>The {html.escape(title)} explorer is being "
                            "built…</p>") for title, _ in APP_TABS]
    tabs = widgets.Tab(children=waiting)
    for i, (title, _) in enumerate(APP_TABS):
        tabs.set_title(i, title)
    tabs.built = {}

    def open_tab(index: int | None) -> None:
        if index is None or index in tabs.built:
            return
        tabs.built[index] = _build(APP_TABS[index][1])
        children = list(tabs.children)
        children[index] = tabs.built[index]
        tabs.children = children

    open_tab(first)
    tabs.selected_index = first
    tabs.observe(lambda change: open_tab(change["new"]), names="selected_index")
    return tabs
