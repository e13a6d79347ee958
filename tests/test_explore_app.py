"""The explorer app (``swp_models.explore.app``): one tab per chapter's explorer, each built when first opened."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from swp_models.explore import app as explore_app


def test_app_builds_the_first_tab_at_once_and_each_other_when_opened(monkeypatch):
    built: list[str] = []
    real = explore_app._build
    monkeypatch.setattr(explore_app, "_build", lambda module: built.append(module) or real(module))
    tabs = explore_app.app()
    assert built == ["continuity"]
    assert [tabs.get_title(i) for i in range(len(explore_app.APP_TABS))] == [t for t, _ in explore_app.APP_TABS]
    assert "being built" in tabs.children[1].value
    tabs.selected_index = 1
    assert built == ["continuity", "costs"]
    assert tabs.children[1] is tabs.built[1] and hasattr(tabs.children[1], "controls")
    tabs.selected_index = 0
    tabs.selected_index = 1  # opened again: not built again
    assert built == ["continuity", "costs"]


def test_app_opens_on_any_tab_and_refuses_one_it_lacks():
    tabs = explore_app.app(first=6)
    assert tabs.selected_index == 6 and sorted(tabs.built) == [6]
    for bad in (7, -1, 1.5, "0", True):
        with pytest.raises(ValueError, match="first"):
            explore_app.app(first=bad)


def test_every_explorer_module_has_a_tab_and_the_app_notebook_uses_the_app():
    modules = {m for _, m in explore_app.APP_TABS}
    have = {p.stem for p in (ROOT / "swp_models" / "explore").glob("*.py")
            if "def explorer(" in p.read_text(encoding="utf-8")}
    assert modules == have
    notebook = json.loads((ROOT / "apps" / "explorer.ipynb").read_text(encoding="utf-8"))
    code = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    assert "app()" in code and "explorer()" not in code
