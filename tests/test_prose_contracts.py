"""Chapter 5's prose quotes only glued figures, and the glued figures are the model's and the data's.

The names the page's markdown glues must be exactly those its glue cell produces (checked on the stored
outputs too), every figure :func:`~swp_models.figures.contracts_prose.prose_numbers_contracts` returns
must be used, and a handful of the figures are recomputed here another way: from the CSV rows
themselves, from closed forms, or from the simulated years directly.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import special

import prose_glue
from conftest import ROOT
from test_prose_figures import typed_figures

from swp_models import engine, practice
from swp_models.figures import contracts_prose as prose
from swp_models.figures import contracts_tables as tables
from swp_models.scenario import Scenario

CHAPTER = "05_contracts"
SCN = Scenario.central(scope="placements")


def _glue_cell():  # noqa: ANN202 - a notebook cell
    found = [c for c in prose_glue.notebook(CHAPTER).cells if c.cell_type == "code" and "glue(" in c.source]
    assert len(found) == 1, f"the chapter should glue in one cell, found {len(found)}"
    return found[0]


def _mismatch(used: set[str], produced: set[str]) -> tuple[list[str], list[str]]:
    """(names the text uses that nothing produces, names produced that the text never uses)."""
    return sorted(used - produced), sorted(produced - used)


def _csv(table: str, parameter: str) -> pd.Series:
    frame = pd.read_csv(ROOT / "data" / f"{table}.csv")
    return frame.set_index("parameter").loc[parameter]


def _money(x: float) -> str:
    return f"£{x:,.0f}"


@pytest.fixture(scope="module")
def numbers() -> dict[str, str]:
    return prose.prose_numbers_contracts()


# --------------------------------------------------------------------------- the page and its glue


def test_the_mismatch_check_can_fail():
    assert _mismatch({"ch5_a", "ch5_b"}, {"ch5_a", "ch5_b"}) == ([], [])
    assert _mismatch({"ch5_a", "ch5_typo"}, {"ch5_a", "ch5_b"}) == (["ch5_typo"], ["ch5_b"])
    assert prose_glue.GLUE_TEXT.findall("about {glue:text}`ch5_sd` a year and £5 typed") == ["ch5_sd"]


def test_no_figure_is_typed_into_the_prose():
    found = [f for text in prose_glue.markdown(CHAPTER) for f in typed_figures(text)]
    assert found == []


@pytest.mark.slow
def test_every_glued_name_is_produced_and_every_number_is_used(numbers):
    used = prose_glue.used_names(CHAPTER)
    produced = set(numbers) | set(tables.needs_mix_prose())
    assert _mismatch(used, produced) == ([], [])
    assert all(name.startswith("ch5_") for name in numbers)
    assert all(text and "nan" not in text.lower() for text in numbers.values())


@pytest.mark.slow
def test_the_glue_cell_glues_the_chapters_numbers_and_stores_them(numbers):
    cell = _glue_cell()
    assert "prose.prose_numbers_contracts()" in cell.source and "tables.needs_mix_prose()" in cell.source
    assert "display=False" in cell.source
    stored = prose_glue.glue_outputs(cell)
    assert _mismatch(prose_glue.used_names(CHAPTER), set(stored)) == ([], [])
    for name, text in numbers.items():  # the stored outputs are today's figures
        assert stored[name] == text, name


# --------------------------------------------------------------------------- the figures, another way


@pytest.mark.slow
def test_assumptions_are_the_csv_rows(numbers):
    contracts = "assumptions_contracts"
    sw = _csv(contracts, "social_work_variable_cost")
    assert (numbers["ch5_sw_variable"], numbers["ch5_sw_variable_low"], numbers["ch5_sw_variable_high"]) == (
        _money(sw["value"]), _money(sw["low"]), _money(sw["high"]))
    fail = _csv(contracts, "failure_cost")
    assert (numbers["ch5_failure_cost"], numbers["ch5_failure_cost_low"], numbers["ch5_failure_cost_high"]) == (
        _money(fail["value"]), _money(fail["low"]), _money(fail["high"]))
    for name, parameter in (("ch5_tolerance", "risk_tolerance"), ("ch5_threshold", "overspend_threshold"),
                            ("ch5_reinsurance", "reinsurance_threshold"), ("ch5_bonus", "outcome_bonus"),
                            ("ch5_cut_per_move", "cut_per_placement_move"),
                            ("ch5_move_cost", "placement_move_cost")):
        assert numbers[name] == _money(_csv(contracts, parameter)["value"]), name
    shock = _csv("assumptions_costs", "shared_shock_cv")
    assert (numbers["ch5_shock"], numbers["ch5_shock_low"], numbers["ch5_shock_high"]) == tuple(
        f"{100 * shock[c]:.0f}%" for c in ("value", "low", "high"))
    k = _csv(contracts, "effort_cost")["value"]  # a block contract cuts cost by 1/k at a cost of 1/(2k)
    assert numbers["ch5_effort_cut"] == f"{100 / k:.0f}%" and numbers["ch5_effort_spend"] == f"{50 / k:.0f}%"


@pytest.mark.slow
def test_the_risk_figures_from_the_simulated_years(numbers):
    years = engine.own_costs(SCN)
    totals = np.asarray(years.totals, dtype=float)
    assert numbers["ch5_sd"] == _money(round(totals.std(ddof=1), -3))
    assert numbers["ch5_expected"] == f"£{years.expected_total / 1e6:.1f} million"
    # The block contract pays the expected cost; its exact CARA premium at the assumed tolerance.
    t = _csv("assumptions_contracts", "risk_tolerance")["value"]
    surplus = years.expected_total - totals
    centred = surplus - surplus.mean()
    premium = (special.logsumexp(-centred / t) - math.log(centred.size)) * t
    assert numbers["ch5_premium"] == _money(round(premium, -3))
    assert numbers["ch5_premium_share"] == f"{100 * premium / years.expected_total:.0f}%"
    # Reserves of the assumed months of chapter 4's running cost; a year fails when its loss exceeds them.
    reserves = practice.summary()["running_cost"] * _csv("assumptions_contracts", "reserve_months")["value"] / 12
    assert numbers["ch5_reserves"] == _money(round(reserves, -3))
    assert numbers["ch5_fail_year"] == f"{100 * np.mean(-surplus > reserves):.0f}%"
    assert numbers["ch5_worst"] == _money(round(-np.percentile(surplus, 5), -3))


@pytest.mark.slow
def test_the_threshold_contracts_excess_and_the_illustration(numbers):
    years = engine.own_costs(SCN)
    threshold = _csv("assumptions_contracts", "overspend_threshold")["value"]
    # At a baseline of the expected cost the council pays every overspend beyond the threshold on top.
    excess = np.mean(np.maximum(np.asarray(years.totals) - years.expected_total - threshold, 0.0))
    assert numbers["ch5_thr_excess"] == _money(round(excess, -3))
    # A 50:50 gain or loss of s is worth T ln cosh(s / T) less than its mean.
    t = _csv("assumptions_contracts", "risk_tolerance")["value"]
    assert numbers["ch5_gamble_cost"] == _money(round(t * math.log(math.cosh(threshold / t)), -4))
    assert numbers["ch5_gamble_stake"] == _money(threshold)


@pytest.mark.slow
def test_the_budget_margin_and_upcoding_another_way(numbers):
    s = practice.summary()
    assert numbers["ch5_budget"] == _money(round(s["running_cost"], -3))
    # A flat rate that covers the whole cost pays the practice's budget per child over the variable cost.
    assert numbers["ch5_margin"] == _money(s["running_cost"] / practice.PracticeDesign().caseload)
    rates = engine.book(SCN)["Capitation by needs group"].rate_by_group
    assert numbers["ch5_upcode_low"] == _money(round(rates["ebd_or_offending"] - rates["no_additional_needs"], -3))
    assert numbers["ch5_upcode_mid"] == _money(round(rates["complex_needs"] - rates["ebd_or_offending"], -3))


@pytest.mark.slow
def test_the_councils_side_adds_up(numbers):
    a = lambda p: _csv("assumptions_contracts", p)["value"]  # noqa: E731
    s = practice.summary()
    term = a("contract_term_years")
    central = (a("admin_contract_management") + a("commissioning_cost") / term
               + a("double_running_months") * s["running_cost"] / 12 / term
               + a("stranded_overhead_share") * s["out_of_scope"] * practice.PracticeDesign().caseload)
    assert numbers["ch5_side"] == _money(round(central, -3))
    assert numbers["ch5_side_rounded"] == _money(round(central, -4))


@pytest.mark.slow
def test_the_councils_wider_overheads_another_way(numbers):
    """The share taken out of the placement scope's cost is the CSV row; what the council keeps is that share of
    the children's exact expected cost; the range quoted is the chapter at the row's low and high values."""
    from swp_models.costs import default_caseload, default_cost_model, total_cost_moments

    row = _csv("assumptions_contracts", "council_overhead_share")
    assert numbers["ch5_overhead_share"] == f"{100 * row['value']:.0f}%"
    assert numbers["ch5_overhead_share_high"] == f"{100 * row['high']:.0f}%" and row["low"] == 0
    exact = total_cost_moments(default_cost_model(), default_caseload()).mean
    assert numbers["ch5_overhead_kept"] == _money(round(row["value"] * exact, -3))
    # with none taken out the practice's expected cost is the children's, as before the change
    raw = engine.children(SCN)
    sc = engine.scope(SCN)
    before = sc.fixed_cost + raw.totals.mean() - sc.staff_per_child * raw.counts.mean()
    assert numbers["ch5_ovh_expected_cost_low"] == f"£{before / 1e6:.1f} million"
