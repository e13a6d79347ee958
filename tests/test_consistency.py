"""One value per quantity: every route by which the book reaches a quantity gives the same number.

A quantity that appears on more than one page, on the home page, in ``results.csv`` or in an explorer is
computed here by each route and compared exactly (the same simulated years, so no tolerance).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from swp_models import engine, findings, liability, results
from swp_models.figures import contracts_tables as T
from swp_models.scenario import Scenario

SCOPES = ("social_work", "placements")


def _cell(frame: pd.DataFrame, start: str) -> str:
    rows = frame[frame["Result"].str.startswith(start)]
    assert len(rows) == 1, f"expected one key result starting {start!r}; got {len(rows)}"
    return str(rows["Value"].iloc[0])


@pytest.fixture(scope="module")
def chapter5() -> pd.DataFrame:
    return findings.key_results_frame(next(c for c in findings.CHAPTERS if c.page == "book/05_contracts"))


@pytest.mark.parametrize("scope", SCOPES)
def test_registry_and_engine_agree(scope):
    scn = Scenario.central(scope=scope)
    block = engine.table(scn).set_index("contract").loc["Block"]
    assert results.result("block.premium", scn).value == block["risk_premium_exact"]
    assert results.result("block.p_fail_term", scn).value == block["p_fail_term"]
    assert results.result("block.p_fail_year", scn).value == block["p_fail_year"]
    assert results.result("block.sd_surplus", scn).value == block["practice_sd_surplus"]
    assert results.result("reserves", scn).value == engine.reserves(scn)


def test_chapter_5_key_results_quote_the_registry(chapter5):
    placed = Scenario.central(scope="placements")
    social = Scenario.central(scope="social_work")
    fails = _cell(chapter5, "Block contract: chance the practice fails in a year")
    assert fails == (f"{results.result('block.p_fail_year', placed).text()}; "
                     f"{results.result('block.p_fail_term', placed).text()} "
                     f"({results.result('block.p_fail_year', social).text()}; "
                     f"{results.result('block.p_fail_term', social).text()})")
    premium = results.result("block.premium", placed).text().removesuffix(" a year")
    assert _cell(chapter5, "Risk premium a practice would charge for a block contract").startswith(premium + ";")
    # The shock comparison's "without" is the chapter's own block premium: one sample, one value.
    assert _cell(chapter5, "Shared yearly cost shock, social work and placements").startswith(premium + ";")


@pytest.mark.parametrize("scope", SCOPES)
def test_the_shock_table_without_the_shock_is_the_main_table(scope):
    shock = T.shock_comparison()
    none = shock[(shock["scope"] == scope) & (shock["shock"] == "none")].set_index("contract")
    main = engine.table(Scenario.central(scope=scope)).set_index("contract").loc[none.index]
    for col in ("practice_p_loss", "practice_sd_surplus", "risk_premium_exact", "council_sd_spend", "p_fail_year",
                "absorbed"):
        np.testing.assert_array_equal(none[col].to_numpy(), main[col].to_numpy(), err_msg=col)


def test_the_contract_explorer_opens_on_the_books_figures():
    pytest.importorskip("ipywidgets")
    from swp_models.explore.contracts import explorer

    panel = explorer()
    html = panel.result.value
    scn = Scenario.central(scope=panel.controls["scope"].value)
    table = engine.table(scn).set_index("contract")
    row = html.split("<td style='text-align:left'>Block</td>")[1].split("</tr>")[0]
    assert f"<td>{100 * table.loc['Block', 'p_fail_year']:.0f}%</td><td>{100 * table.loc['Block', 'p_fail_term']:.0f}%</td>" in row
    assert f"{scn.simulation.n_years:,} simulated years" in html
    # Moving a control away and back returns to the book's figures.
    panel.controls["term_years"].value = 5
    assert panel.result.value != html
    panel.controls["term_years"].value = scn.term_years
    assert panel.result.value == html


@pytest.mark.parametrize("scope", SCOPES)
def test_one_term_model(scope):
    scn = Scenario.central(scope=scope)
    years = engine.own_costs(scn)
    surplus = engine.book(scn)["Block"].surplus(years)
    n = surplus.size // scn.term_years
    paths = liability.term_paths(surplus[: n * scn.term_years].reshape(n, scn.term_years), engine.reserves(scn))
    assert paths.failure == liability.term_failure(surplus, engine.reserves(scn), scn.term_years)
    assert paths.p_failed[-1] == engine.table(scn).set_index("contract").loc["Block", "p_fail_term"]


def test_results_csv_is_the_registry(tmp_path):
    written = findings.write_key_results(tmp_path, chapters=findings.CHAPTERS[:1])
    assert tmp_path / "results.csv" in written
    frame = pd.read_csv(tmp_path / "results.csv")
    placed = frame[(frame["key"] == "block.premium") & (frame["scope"] == "placements")]
    assert placed["value"].iloc[0] == results.result("block.premium", Scenario.central(scope="placements")).value
    assert set(frame["key"]) == set(results.keys())


def _chapter(page: str) -> pd.DataFrame:
    return findings.key_results_frame(next(c for c in findings.CHAPTERS if c.page == page))


@pytest.mark.slow
def test_chapter_6_quotes_chapter_5s_block_contract():
    six = _chapter("book/06_outcomes")
    social, placed = (Scenario.central(scope=s) for s in SCOPES)
    term = _cell(six, "Block contract: chance the practice's reserves")
    assert term == (f"social work only: {results.result('block.p_fail_term', social).text()}; "
                    f"with placements: {results.result('block.p_fail_term', placed).text()}")
    premium = _cell(six, "Risk premium of the report's mixed contract")
    for scn in (social, placed):
        assert f"block {results.result('block.premium', scn).text().removesuffix(' a year')}" in premium


def test_chapters_8_and_9_carry_chapter_2s_range_of_continuity_gains():
    gains = results.over("continuity.gain", "continuity_reading", ("poisson", "vacancy", "typed"))
    low, high = min(r.value for r in gains), max(r.value for r in gains)
    span = f"{low:.1f} to {high:.1f} points"
    assert _cell(_chapter("book/08_piloting"), "Chapter 2's predicted continuity gain").startswith(span)
    assert _cell(_chapter("book/09_what_happened"), "Chapter 2's predicted continuity gain").startswith(span)
    # The headline reading is chapter 2's own headline.
    assert results.result("continuity.gain").value == max(r.value for r in gains)


def test_chapter_8_quotes_the_exact_minimum_detectable_difference():
    mdd = results.result("mdd.same_worker").value
    assert _cell(_chapter("book/08_piloting"), "Smallest detectable difference, same social worker all year").startswith(
        f"{mdd:.1f} / ")


def test_the_effort_lift_is_the_scenarios_and_both_models_are_shown():
    eight = _chapter("book/08_piloting")
    contract = results.result("effort.lift")
    model = results.result("effort.lift", Scenario.central(effort_model="outcome_model"))
    cell = _cell(eight, "The effort lift on the same worker all year")
    assert cell.startswith(f"{contract.value:.1f} points") and f"{model.value:.2f} points" in cell


@pytest.mark.parametrize("scope", SCOPES)
def test_the_sensitivity_core_at_its_defaults_prices_as_the_engine_does(scope):
    """The sensitivity section's fast core and the engine price the same children to the same figures."""
    from swp_models import sensitivity

    model = sensitivity.chapter_model()
    values = model.setting(np.array([a.value for a in model.assumptions]))
    out = model.evaluate_one(values)
    years = model.children(values)
    scn = Scenario.central(scope=scope)
    table = engine.price(scn, years).set_index("contract")
    block = table.loc["Block"]
    assert model.contract_names == tuple(table.index)
    assert out[f"p_fail_block:{scope}"] == pytest.approx(block["p_fail_year"], abs=1e-12)
    assert out[f"p_loss_block:{scope}"] == pytest.approx(block["practice_p_loss"], abs=1e-12)
    cheapest = int(out[f"cheapest:{scope}"])
    total = table["council_cost_effort"] + table["absorbed_term"] + table["failure_cost"]
    assert out[f"council_cost:{scope}"] == pytest.approx(float(total.iloc[cheapest]), rel=1e-9)
    assert cheapest == int(np.argmin(total.to_numpy()))


@pytest.mark.slow
def test_an_edited_assumption_moves_everywhere_it_should(tmp_path, monkeypatch):
    """Double the reserves in a copy of data/: the scenario, the engine, the registry and chapter 5's key results
    all follow, and the figures that do not rest on reserves do not move."""
    import shutil

    from swp_models import assumptions, data

    before = {s: results.result("reserves", Scenario.central(scope=s)).value for s in SCOPES}
    premium = {s: results.result("block.premium", Scenario.central(scope=s)).value for s in SCOPES}
    fails = results.result("block.p_fail_year", Scenario.central(scope="placements")).value
    row = "Block contract: chance the practice fails in a year"
    shown = _cell(findings.key_results_frame(next(c for c in findings.CHAPTERS if c.page == "book/05_contracts")), row)
    folder = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, folder)
    path = folder / "assumptions_contracts.csv"
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table.loc[table["parameter"] == "reserve_months", "value"] = "6"
    table.to_csv(path, index=False)
    monkeypatch.setattr(data, "DATA_DIR", folder)
    monkeypatch.setattr(assumptions, "_RECENT", [float("-inf"), None])
    try:
        scn = Scenario.central()
        assert scn.reserve_months == 6
        for s in SCOPES:
            moved = Scenario.central(scope=s)
            assert results.result("reserves", moved).value == pytest.approx(2 * before[s])
            assert engine.reserves(moved) == pytest.approx(2 * before[s])
            assert results.result("block.premium", moved).value == premium[s]  # unlimited liability: no reserves
        moved_fails = results.result("block.p_fail_year", Scenario.central(scope="placements")).value
        assert moved_fails < fails
        frame = findings.key_results_frame(next(c for c in findings.CHAPTERS if c.page == "book/05_contracts"))
        assert _cell(frame, row) != shown and _cell(frame, row).startswith(f"{100 * moved_fails:.0f}%")
    finally:
        monkeypatch.undo()
        assumptions._RECENT[:] = [float("-inf"), None]
        engine.clear()
    assert results.result("reserves", Scenario.central()).value == before["social_work"]
