"""Valid calls of the callables of chapters 6-9, the explorers and the shared helpers (data, statistics, tables,
charts, the key-results registry, the data package).

Examples are keyed by callable rather than given by parameter name (``PARAMS``), so that they never clash with
another chapter's examples. Model objects are built small (a few hundred practice-years) so each valid call is
quick.
"""

from __future__ import annotations

import dataclasses
import functools
import tempfile
from pathlib import Path

import numpy as np


@functools.lru_cache(maxsize=1)
def _draws():
    from swp_models import outcomes as om

    return om.simulate_outcomes(om.default_outcome_model(), 300, 1)


@functools.lru_cache(maxsize=1)
def _small_scenario():
    from swp_models.scenario import Scenario

    return Scenario.central().replace(n_years=1_000, grid_years=1_000, outcome_years=1_000, label="small")


@functools.lru_cache(maxsize=1)
def _reference():
    d = _draws()
    return d.at(d.reference_effort)


def _terms():
    from swp_models import outcome_contracts as oc

    return oc.OutcomeTerms(share_on_outcomes=0.1)


@functools.lru_cache(maxsize=1)
def _contract():
    from swp_models import outcome_contracts as oc

    return oc.build_contract(_terms(), _draws(), _reference())


def _central():
    from swp_models.scenario import Scenario

    return Scenario.central()


def _schedule_terms():
    from swp_models import schedule

    return schedule.ScheduleTerms(share=0.5, threshold=10_000.0)


def _fields(obj) -> dict:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if not f.name.startswith("_")}


def _design():
    from swp_models import evaluation as ev

    return ev.PilotDesign(9, 100, 2)


def _table():
    from swp_models.tables import key_results

    return key_results([("A result", "1", "a source")])


def _chapter():
    from swp_models.findings import Chapter

    return Chapter(1, "A chapter", "book/01_problem", _table, ("A result",))


def _chart():
    import altair as alt
    import pandas as pd

    return alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x:Q")


@functools.lru_cache(maxsize=1)
def _years():
    from swp_models import contracts
    from swp_models.costs import default_caseload, default_cost_model

    return contracts.simulate_practice_years(default_cost_model(), default_caseload(), 200, 1)


def _controls(module: str) -> dict:
    import importlib

    box = importlib.import_module(f"swp_models.explore.{module}").explorer()
    return {name: w.value for name, w in box.controls.items()}


def _evaluation_values() -> dict:
    values = {k: v for k, v in _controls("evaluation").items() if k != "outcome"}
    return {**values, "baseline": 0.5, "direction": "increase"}


def _continuity_inputs() -> dict:
    from swp_models import continuity as cm

    return {"scenario": cm.ContinuityScenario(turnover=0.15, vacancy=0.1, agency_tenure_years=0.5, handoffs=1,
                                              handoff_window_years=1.0, name="example", handoff_probability=0.5),
            "episode_years": 2.0, "team_size": 8, "on_duty": 1, "weeks_between_duties": 8.0, "workers": 8,
            "cap": 12, "arrivals": 30.0, "mean_stay_years": 2.0}


def _costs_inputs() -> dict:
    from swp_models import costs as cm

    return {"target_mean": 40_000.0, "share_mode": "calibrated", "position": 0.5, "ebd_share": 0.2,
            "complex_share": 0.1, "cv": 0.5, "tail_share": 0.005, "tail_multiple": 3.0,
            "caseload": cm.Caseload(100, 10, "uniform"), "excess": 0.0}


def _outdir() -> str:
    return tempfile.mkdtemp(prefix="swp-contract-")


_OC = "swp_models.outcome_contracts"
_S9 = "swp_models.schedule"
_OM = "swp_models.outcomes"
_AB = "swp_models.abroad"
_EV = "swp_models.evaluation"

EXAMPLES = {
    # statistics and tables
    "swp_models.stats.monte_carlo_se": {"samples": [1.0, 2.0, 4.0]},
    "swp_models.stats.normal_quantile": {"p": 0.9},
    "swp_models.stats.proportion_se": {"p": 0.3, "n": 100},
    "swp_models.stats.wilson_interval": {"successes": 30, "n": 100},
    "swp_models.tables.Table": lambda: {"frame": __import__("pandas").DataFrame({"a": ["1"]}), "caption": "A table"},
    "swp_models.tables.fmt_gbp": {"x": 1234.5},
    "swp_models.tables.fmt_int": {"x": 1234.5},
    "swp_models.tables.fmt_num": {"x": 1234.5},
    "swp_models.tables.fmt_pct": {"x": 12.5},
    "swp_models.tables.fmt_share": {"x": 0.125},
    "swp_models.tables.fmt_millions": {"x": 44.9e6},
    "swp_models.tables.key_results": {"rows": [("A result", "1", "a source")]},
    # charts
    "swp_models.charts.source_line": {"sources": ["A report, s.1", "an assumption"]},
    # data
    "swp_models.data.describe": {"name": "workforce_rates_2005"},
    "swp_models.data.dictionary": {"name": "workforce_rates_2005"},
    "swp_models.data.load": {"name": "workforce_rates_2005"},
    "swp_models.data.missing_ranges": {"name": "workforce_rates_2005"},
    "swp_models.data.row": {"name": "evaluation_inputs", "parameter": "icc"},
    "swp_models.data.value": {"name": "evaluation_inputs", "parameter": "icc"},
    "swp_models.datapackage.write": lambda: {"path": str(Path(_outdir()) / "datapackage.json")},
    # the key-results registry
    "swp_models.findings.Chapter": {"number": 1, "title": "A chapter", "page": "book/01_problem",
                                    "key_results": _table},
    "swp_models.findings.csv_name": lambda: {"chapter": _chapter()},
    "swp_models.findings.headline_rows": lambda: {"chapters": (_chapter(),)},
    "swp_models.findings.key_results_frame": lambda: {"chapter": _chapter()},
    "swp_models.findings.link_chapters": lambda: {"text": "As chapter 1 shows.", "chapters": (_chapter(),)},
    "swp_models.findings.write_key_results": lambda: {"outdir": _outdir(), "chapters": (_chapter(),)},
    # chapter 6
    f"{_OM}.Durability": {"lasting_share": 0.8, "paid_without_rule": 1000.0, "paid_with_rule": 800.0,
                          "paid_for_breakdowns": 200.0, "breakdowns": 2.0},
    f"{_OM}.DeferredCounts": {"build": dict},
    f"{_OM}.OutcomeDraws": lambda: _fields(_draws()),
    f"{_OM}.OutcomeModel": lambda: _fields(_draws().model),
    f"{_OM}.YearOutcomes": lambda: _fields(_reference()),
    f"{_OM}.assumption": {"parameter": "effort_reference"},
    f"{_OM}.design_effect": {"children_per_practice": 10.0, "icc": 0.05},
    f"{_OM}.durability_rule": {"reunifications": 10.0, "bonus": 1000.0, "hazard": 0.2},
    f"{_OM}.evidence": {"measure": "three_plus_placements_england"},
    f"{_OM}.calibrate_placements": lambda: {"model": _draws().model, "shares": (0.5, 0.4, 0.1), "child_cv": 1.0},
    f"{_OM}.placement_comparison": {},
    f"{_OM}.placement_shares": {"period": "2006-07"},
    f"{_OM}.measure_comparison": lambda: {"draws": _draws(), "bonus_per_child": 1000.0, "risk_tolerance": 1e5,
                                          "effort_sd": 0.1},
    f"{_OM}.permanency_bonus": {"caseload": 100, "rate": 0.2, "threshold_share": 0.1, "bonus": 1000.0},
    f"{_OM}.reentry_hazard": {"reentry_within_year": 0.2},
    f"{_OM}.same_worker_icc": {"hazard": 0.5},
    f"{_OM}.sampling_sd": {"rate": 0.5, "children": 100},
    f"{_OM}.simulate_outcomes": lambda: {"model": _draws().model, "n_years": 100, "seed": 1},
    f"{_OM}.simulate_reunification_spells": {"n": 1000, "hazard": 0.2, "seed": 1},
    f"{_OM}.two_task_effort": {"bonus": 0.5, "substitution": 0.5, "ethos": 0.5},
    f"{_OM}.two_task_table": {"bonuses": [0.0, 0.5], "substitutions": [0.0, 0.5], "ethos": 0.5},
    f"{_OC}.OutcomeContract": lambda: _fields(_contract()),
    f"{_OC}.build_contract": lambda: {"terms": _terms(), "draws": _draws()},
    f"{_OC}.price": lambda: {"contract": _contract(), "draws": _draws(), "risk_tolerance": 1e5},
    f"{_OC}.reserve_paths": {"surplus": np.zeros((50, 4)), "reserves": 10_000.0},
    f"{_OC}.term_paths": lambda: {"shares_by_year": (0.1, 0.2), "draws": _draws()},
    f"{_OC}.chapter_draws": lambda: {"scn": _small_scenario()},
    **{f"{_OC}.{name}": (lambda: {"scn": _small_scenario()}) for name in (
        "chapter_costs", "chapter_contracts", "schedule_scenario", "contract_table", "block_headline", "clustering",
        "measures", "mixed_grid", "term_grid", "schedule_by_year", "term_shortfall", "default_schedule_terms",
        "council_level_outcomes", "council_level_table", "intake_comparison")},
    # the Art. 9 schedule (chapter 6)
    f"{_S9}.ScheduleTerms": {"share": 0.5, "threshold": 10_000.0, "basis": "caseload", "indexed": True,
                             "reinsurance_threshold": 100_000.0},
    f"{_S9}.ScheduleRisk": {"p_fail_term": 0.1, "council_shortfall": 100.0, "p_loss": 0.5, "sd_surplus": 1.0,
                            "surplus_p5": -1.0, "council_mean": 10.0, "council_p95": 12.0, "reinsured": 0.0,
                            "n_terms": 10, "term_years": 3},
    f"{_S9}.art9_scenario": lambda: {"scn": _small_scenario()},
    f"{_S9}.draft_terms": lambda: {"scn": _small_scenario()},
    f"{_S9}.chosen_terms": lambda: {"scn": _central()},
    f"{_S9}.schedule_years": lambda: {"terms": _schedule_terms(), "scn": _small_scenario()},
    f"{_S9}.schedule_risk": lambda: {"terms": _schedule_terms(), "scn": _small_scenario()},
    f"{_S9}.schedule_comparison": lambda: {"scn": _central()},
    f"{_S9}.financial_schedule": lambda: {"scn": _central(), "terms": _schedule_terms()},
    f"{_S9}.financial_schedule_csv": lambda: {"scn": _central(), "terms": _schedule_terms()},
    # chapter 7
    f"{_AB}.TenderOutcome": {"n_bidders": 3, "p_award": 0.9, "price": 1.0, "winning_cost": 0.9,
                             "commissioner_cost": 1.0},
    f"{_AB}.UnitCostGrowth": {"spending_ratio": 1.5, "volume_ratio": 1.1, "years": 5.0},
    f"{_AB}.assumption": {"parameter": "bidder_cost_spread"},
    f"{_AB}.bonus_expectation": {"design": "guess"},
    f"{_AB}.expected_tender": {"n_bidders": 3, "cost_low": 0.9, "cost_high": 1.1},
    f"{_AB}.kansas_contracts": {"contracted_children": 100},
    f"{_AB}.kansas_comparison": {"n_years": 200},
    f"{_AB}.case_rate_shortfall": {"shortfall": 0.05, "n_years": 200},
    f"{_AB}.case_rate_grid": {"shortfalls": (0.0, 0.05), "n_years": 200},
    f"{_AB}.case_rate_breaking_point": {"chance": 0.5, "n_years": 200},
    f"{_AB}.bonus_icc": {"iccs": (0.01, 0.05)},
    f"{_AB}.bonus_icc_reversal": {"lesson": "luck"},
    f"{_AB}.order_statistic_mean": {"k": 1, "n": 3, "cost_low": 0.9, "cost_high": 1.1},
    f"{_AB}.referral_shift": {"factor": 1.2},
    f"{_AB}.retender_price": {"potential_entrants": 2, "entry_probability": 0.5, "cost_low": 0.9,
                              "cost_high": 1.1, "reserve": 1.05},
    f"{_AB}.simulate_bonus": {"design": "guess", "n_pilots": 1000, "seed": 1},
    f"{_AB}.simulate_illinois": {"n_years": 1000, "seed": 1},
    f"{_AB}.illinois_comparison": {"n_years": 1000},
    f"{_AB}.illinois_rates": {"step": 0.05},
    f"{_AB}.canada_price_ratio": {"start": 100.0, "end": 110.0},
    f"{_AB}.illinois_reversal": {"chance": 0.5, "window_months": 12.0},
    f"{_AB}.simulate_tenders": {"n_bidders": 3, "cost_low": 0.9, "cost_high": 1.1, "reserve": 1.05,
                                "n_tenders": 1000, "seed": 1},
    f"{_AB}.tender_grid": {"max_bidders": 3, "n_tenders": 500},
    f"{_AB}.unit_cost_growth": {"spending_ratio": 1.5, "volume_growth": 0.1, "years": 5.0},
    # chapters 8 and 9
    f"{_EV}.PilotDesign": {"practices": 9, "children_per_practice": 100},
    f"{_EV}.SimulatedPower": {"power": 0.8, "se": 0.01, "n_sims": 1000, "test": "design_effect"},
    f"{_EV}.actual_design": {"baseline": 0.5},
    f"{_EV}.arm_variance_factor": {"sizes": [100, 80, 120], "icc": 0.05},
    f"{_EV}.comparisons": {"baseline": 0.5},
    f"{_EV}.design_effect": {"children_per_practice": 100.0, "icc": 0.05},
    f"{_EV}.design_matrix": {"design": "stepped", "clusters": 6, "periods": 3},
    f"{_EV}.design_mdd": {"design": "stepped", "clusters": 6, "children_per_period": 50, "periods": 3,
                          "icc": 0.05, "baseline": 0.5},
    f"{_EV}.design_variance": lambda: {"x": __import__("swp_models.evaluation").evaluation.design_matrix(
        "stepped", 6, 3), "children_per_period": 50, "icc": 0.05, "baseline": 0.5},
    f"{_EV}.input_value": {"parameter": "icc"},
    f"{_EV}.design_power": {"diff": 0.1, "design": "stepped", "clusters": 6, "children_per_period": 50, "periods": 3,
                            "icc": 0.05, "baseline": 0.5},
    f"{_EV}.persistence_comparison": {"persistences": [0.0, 1.0], "clusters": 6, "periods": 3},
    f"{_EV}.persistence_crossover": {"design_a": "stepped", "design_b": "parallel", "clusters": 6, "periods": 3},
    f"{_EV}.equal_caseload_effects": lambda: {"scn": __import__("swp_models.scenario").scenario.Scenario.central(),
                                              "shares": [0.0, 0.5]},
    f"{_EV}.caseload_share_threshold": lambda: {"scn": __import__("swp_models.scenario").scenario.Scenario.central()},
    f"{_EV}.subgroup_design": lambda: {"design": _design(), "share": 0.2},
    f"{_EV}.mdd_grid": {"baseline": 0.5, "iccs": [0.05], "practices": [9], "children": [100], "years": [2]},
    f"{_EV}.minimum_detectable_difference": lambda: {"baseline": 0.5, "design": _design()},
    f"{_EV}.power_of_difference": lambda: {"diff": 0.1, "baseline": 0.5, "design": _design()},
    f"{_EV}.practices_needed": {"diff": 0.1, "baseline": 0.5, "children_per_practice": 100},
    f"{_EV}.simulate_power": lambda: {"diff": 0.1, "baseline": 0.5, "design": _design(), "n_sims": 1000},
    # explorers
    "swp_models.explore.check_values": {"values": {"a": 1}, "keys": ("a",)},
    "swp_models.explore.html_table": {"title": "A table", "rows": [("a", "b")], "head": ("A", "B")},
    "swp_models.explore.abroad.kansas_rows": {"served_above": 0.1, "risk_tolerance": 100_000.0, "n_years": 200},
    "swp_models.explore.abroad.tender_rows": {"max_bidders": 3, "spread": 0.1, "reserve_markup": 0.05,
                                              "potential_entrants": 2, "entry_probability": 0.5, "children": 100.0,
                                              "n_tenders": 500, "seed": 1},
    "swp_models.explore.contracts.price_contracts": lambda: {"years": _years(), "risk_tolerance": 100_000.0,
                                                             "effort_cost": 5.0},
    "swp_models.explore.outcomes.price_terms": lambda: {"scn": _small_scenario(), "draws": _draws(),
                                                        "terms": _terms()},
    "swp_models.explore.evaluation.render": lambda: {"values": _evaluation_values()},
    f"{_EV}.icc_threshold": lambda: {"diff": 0.2, "baseline": 0.71, "design": _design()},
    f"{_EV}.stream": {"label": "x"},
    "swp_models.findings.Chapter": lambda: {"number": 1, "title": "A chapter", "page": "book/01_problem",
                                            "key_results": _table, "headlines": ("A result",)},
    "swp_models.explore.practice.render": lambda: {"values": _controls("practice")},
    "swp_models.explore.continuity.ExplorerInputs": _continuity_inputs,
    "swp_models.explore.continuity.results_html": lambda: {
        "inputs": __import__("swp_models.explore.continuity").explore.continuity.ExplorerInputs(
            **_continuity_inputs())},
    "swp_models.explore.costs.ExplorerInputs": _costs_inputs,
    "swp_models.explore.costs.build_model": lambda: {
        "inputs": __import__("swp_models.explore.costs").explore.costs.ExplorerInputs(**_costs_inputs())},
    "swp_models.explore.costs.results_html": lambda: {
        "inputs": __import__("swp_models.explore.costs").explore.costs.ExplorerInputs(**_costs_inputs())},
}

# One number of children for every practice is documented as valid, beside a sequence of sizes.
ACCEPTS = {
    # A risk tolerance of math.inf is a risk-neutral practice, as documented (contracts.risk_aversion).
    f"{_OC}.price": {"risk_tolerance": [float("inf")]},
    f"{_OM}.measure_comparison": {"risk_tolerance": [float("inf")]},
    f"{_EV}.PilotDesign": {"children_per_practice": [5], "control_children": [5]},
}

FACTORIES = {
    "OutcomeDraws": _draws,
    "OutcomeTerms": _terms,
    "OutcomeContract": _contract,
    "YearOutcomes": _reference,
    "PilotDesign": _design,
    "Chapter": _chapter,
}
