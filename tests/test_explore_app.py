"""The explorer app (``swp_models.explore.app``): one tab per chapter's explorer, each built when first opened."""

from __future__ import annotations

import html
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
    assert tabs.built[1] in tabs.children[1].children and hasattr(tabs.built[1], "controls")
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


@pytest.mark.slow
def test_each_tab_links_its_chapter_and_the_glossary_in_the_book_served_beside_the_app():
    tabs = explore_app.app()
    for i, (_, module) in enumerate(explore_app.APP_TABS):
        tabs.selected_index = i
        links = tabs.children[i].children[0].value
        words, page = explore_app.TAB_CHAPTERS[module]
        assert words in links and "glossary" in links
        assert (ROOT / "book" / f"{page}.ipynb").is_file() and (ROOT / "book" / "glossary.md").is_file()
        if (ROOT / "_build" / "html" / "book" / f"{page}.html").is_file():
            assert f'href="{explore_app.BOOK_URL}book/{page}.html"' in links
            assert f'href="{explore_app.BOOK_URL}book/glossary.html"' in links
        else:
            assert "make book" in links
    # make explorer serves the built book at the address the links use, and nothing else of the repository.
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nexplorer:", 1)[1].split("\n\n", 1)[0]
    assert "--Voila.root_dir=$(CURDIR)" in recipe
    assert "file_allowlist=\"['_build/html/.*']\"" in recipe
    assert explore_app.BOOK_URL == "voila/files/_build/html/"


def test_a_scenario_link_holds_the_tab_and_each_moved_control_and_reopens_it():
    tabs = explore_app.app()
    assert explore_app.scenario_query(tabs) == "tab=continuity"
    tabs.selected_index = 1
    controls = tabs.built[1].controls
    controls["cv"].value = 0.75
    controls["kind"].value = "binomial"
    query = explore_app.scenario_query(tabs)
    assert query == "tab=costs&cv=0.75&kind=%22binomial%22"
    assert f'href="?{query.replace("&", "&amp;")}"' in tabs.share[1].value
    controls["cv"].value = tabs.defaults[1]["cv"]  # back at the default: out of the link
    assert explore_app.scenario_query(tabs) == "tab=costs&kind=%22binomial%22"

    again = explore_app.app()
    assert explore_app.open_link(again, "?" + query) == []
    assert again.selected_index == 1
    assert again.built[1].controls["cv"].value == 0.75 and again.built[1].controls["kind"].value == "binomial"
    assert explore_app.scenario_query(again) == query
    assert explore_app.open_link(explore_app.app(), None) == [] and explore_app.open_link(explore_app.app(), "") == []


def test_a_link_with_values_the_app_lacks_keeps_the_defaults_and_says_so():
    tabs = explore_app.app()
    notices = explore_app.open_link(tabs, "tab=costs&centre=120&margin=999&kind=%22lumpy%22&cv=%22high%22&bogus=1")
    assert tabs.built[1].controls["centre"].value == 120
    assert tabs.built[1].controls["margin"].value == tabs.defaults[1]["margin"]
    assert tabs.built[1].controls["kind"].value == tabs.defaults[1]["kind"]
    assert len(notices) == 4 and all(html.escape(n) in tabs.share[1].value for n in notices)
    assert any("margin" in n and "999" in n for n in notices) and any("bogus" in n for n in notices)
    # a tab the app lacks: opens where it is, with a notice
    other = explore_app.app()
    assert "nowhere" in explore_app.open_link(other, "tab=nowhere")[0] and other.selected_index == 0
    # a log slider's bounds are powers of its base; an integer control refuses a fraction
    third = explore_app.app()
    risk = explore_app.open_link(third, "tab=contracts&risk_tolerance=1e12&caseload=100.5")
    assert len(risk) == 2 and third.built[3].controls["caseload"].value == 100
    fine = explore_app.open_link(explore_app.app(), "tab=contracts&risk_tolerance=100000")
    assert fine == []


def test_open_link_refuses_bad_input_by_name():
    tabs = explore_app.app()
    with pytest.raises((TypeError, ValueError), match="query"):
        explore_app.open_link(tabs, 5)
    with pytest.raises(ValueError, match="query must be at most"):
        explore_app.open_link(tabs, "a=" + "1" * explore_app.MAX_QUERY)
    for function in (explore_app.open_link, lambda t, *_: explore_app.scenario_query(t)):
        with pytest.raises(ValueError, match="tabs"):
            function(object(), "")


def test_an_opened_explorer_leaves_the_objects_it_holds_out_of_full_collections():
    """Opening an explorer freezes the heap (gc.freeze), so that the collector's full passes, which come at
    unpredictable changes, no longer scan the package's, tables' and widgets' objects (50-70 ms each)."""
    import gc

    from swp_models.explore import continuity

    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        box = continuity.explorer()
        frozen = gc.get_freeze_count()
        assert frozen > 10_000 and len(gc.get_objects()) < frozen / 10  # nearly every object is left out
        link = box.workbook_link.value
        box.controls["turnover"].value = 18.0
        box.workbook_button.click()  # the explorer still works after the freeze
        assert box.workbook_link.value != link
    finally:
        gc.unfreeze()
