"""Valid calls of the contract model (chapter 5): swp_models.contracts (with its liability and council), and the
chapter's tables and grids (swp_models.figures.contracts_tables).

Calls are kept small (a few hundred simulated practice-years of 20 ± 2 children) so that every bad value is
tried in a moment; the chapter's own functions without a size parameter use the chapter's cached years.
A risk tolerance of ``math.inf`` is documented as valid (a risk-neutral practice).
"""

import math
from functools import lru_cache

import numpy as np
import pandas as pd


@lru_cache(maxsize=1)
def _years():
    from swp_models.contracts import simulate_practice_years
    from swp_models.costs import Caseload, default_cost_model

    return simulate_practice_years(default_cost_model(), Caseload(20, 2), 200, seed=1)


def _scoped_years():
    from swp_models.contracts.liability import default_scope

    return default_scope("placements").apply(_years())


def _outcome():
    from swp_models.contracts import Outcome

    return Outcome(base_probability=0.8)


def _bonus():
    from swp_models.contracts import OutcomeBased

    return OutcomeBased(bonus_per_unit=1000.0, outcome=_outcome())


def _block():
    from swp_models.contracts import Block

    return Block()


def _years_example():
    y = _years()
    return {"children": y.children, "outcome_draws": y.outcome_draws, "cost_model": y.cost_model,
            "caseload": y.caseload}


_C = "swp_models.contracts."
_L = "swp_models.contracts.liability."
_M = "swp_models.contracts.council."
_T = "swp_models.figures.contracts_tables."
_TOL = {"risk_tolerance": 250_000.0}
_SMALL = {"n_years": 200}

EXAMPLES = {
    _C + "PracticeYears": _years_example,
    _C + "simulate_practice_years": lambda: {"cost_model": _years().cost_model, "caseload": 20, "n_years": 50,
                                             "seed": 1},
    _C + "with_effort": lambda: {"years": _years(), "effort": 0.1},
    _C + "rescaled": lambda: {"years": _years(), "factor": 0.9},
    _C + "Capitation": {"flat_rate": 40_000.0},
    _C + "CostAndVolume": {"share": 0.5},
    _C + "ThresholdSharing": {"threshold": 100_000.0},
    _C + "balanced": lambda: {"contract": __import__("swp_models.contracts", fromlist=["x"]).ThresholdSharing(
        threshold=100_000.0), "years": _years()},
    _C + "VolumeBand": {"low": 18, "high": 22},
    _C + "HighCostReinsurance": {"per_child_threshold": 100_000.0},
    _C + "Outcome": {"base_probability": 0.8},
    _C + "OutcomeBased": lambda: {"bonus_per_unit": 1000.0, "outcome": _outcome()},
    _C + "CostSharing": {"share": 0.5},
    _C + "MixedOutcome": lambda: {"cost_part": _block(), "bonus": _bonus()},
    _C + "risk_aversion": dict(_TOL),
    _C + "risk_premium": {"surplus": np.array([-1e5, 0.0, 2e5]), **_TOL},
    _C + "effort_level": {"share": 0.5, "effort_cost": 10.0},
    _C + "council_expected_cost": {"share": 0.5, "mean_cost": 3.5e6, "var_cost": 9e10, **_TOL, "effort_cost": 10.0},
    _C + "optimal_share": {"mean_cost": 3.5e6, "var_cost": 9e10, **_TOL, "effort_cost": 10.0},
    _C + "OptimalShare": lambda: {"share": 0.5, "council_cost": 3.4e6, "closed_form_share": 0.47,
                                  "grid": pd.DataFrame({"share": [0.0, 1.0]})},
    _C + "simulated_optimal_share": lambda: {"years": _years(), **_TOL, "effort_cost": 10.0,
                                             "shares": [0.0, 0.5, 1.0]},
    _C + "power_of_incentive": lambda: {"contract": _block(), "years": _years()},
    _C + "measured_power": lambda: {"contract": _block(), "years": _years(), "bumped": _years().scaled(1.001),
                                    "base_payment": _block().payment(_years())},
    _C + "effort_from_power": {"name": "Block", "power": 1.0, "effort_cost": 10.0},
    _C + "contract_items": lambda: {"contracts": [_block()]},
    _C + "compare": lambda: {"contracts": [_block()], "years": _years(), **_TOL},
    _C + "effort_comparison": lambda: {"contracts": [_block()], "years": _years(), **_TOL, "effort_cost": 10.0},
    _C + "risk_sharing": lambda: {"contracts": [_block()], "years": _years()},
    _C + "skimming_gain": lambda: {"contract": _block(), "cost_model": _years().cost_model, "caseload": 20,
                                   "n_years": 100, "seed": 1},
    _C + "assumption": {"parameter": "risk_tolerance"},
    _L + "Scope": {"name": "placements", "fixed_cost": 500_000.0},
    _L + "assumption": {"parameter": "reserve_months"},
    _L + "reserves_from_months": {"months": 3.0, "running_cost": 500_000.0},
    _L + "LimitedLiability": {"practice": np.array([-1.0, 2.0]), "council": np.array([1.0, 0.0]),
                              "failed": np.array([True, False]), "reserves": 1.0},
    _L + "limited_liability": {"surplus": np.array([-3.0, 2.0]), "reserves": 1.0},
    _L + "TermFailure": {"p_fail_term": 0.5, "p_fail_year": 0.2, "absorbed_per_year": 10.0, "years_served": 2.5,
                         "n_terms": 10},
    _L + "term_failure": {"surplus": np.array([-3.0, 2.0, 1.0, -1.0]), "reserves": 1.0, "term_years": 2},
    _L + "reserve_for_failure_chance": {"surplus": np.array([-3.0, 2.0, 1.0, -1.0])},
    _L + "failure_comparison": lambda: {"contracts": [_block()], "years": _scoped_years(), "reserves": 100_000.0,
                                        "term_years": 3, "failure_cost": 100_000.0, **_TOL},
    _M + "assumption": {"parameter": "upcoding_share"},
    _M + "ServiceCuts": {"cut": 1.0, "efficiency": 0.5, "service": 0.5, "moves": 0.1, "moves_per_100": 0.1,
                         "outcome_cost": 100.0},
    _M + "service_cuts": {"effort": 0.1, "mean_cost": 3.5e6, "children": 100.0},
    _M + "exit_gain": lambda: {"contract": _block(), "years": _scoped_years(), "component": 0, "cost": 30_000.0},
    _M + "upcoding_gain": lambda: {"contract": _block(), "years": _scoped_years()},
    _M + "upcoding_cost": lambda: {"contract": _block(), "years": _scoped_years()},
    _M + "council_side": {"running_cost": 500_000.0, "overheads": 50_000.0},
    _T + "needs_mix_comparison": {"n_years": 1_000},
    _T + "scope_heading": {"scope": "placements"},
    _T + "shock_comparison": {"n_years": 1_000},
    _T + "surplus_histograms": lambda: {"years": _scoped_years(), "contracts": [_block()]},
    _T + "design_grid": {"shares": (0.0, 0.5, 1.0), "thresholds": (0.0, 100_000.0), "tolerances": (250_000.0,),
                         "bases": ("fixed",), "scopes": ("placements",), "reserve_months": (3.0,), "n_years": 200},
    _T + "frontier_grid": {"tolerances": (250_000.0,), "effort_costs": (10.0,), "shares": (0.0, 0.5, 1.0),
                           "n_years": 200},
}

# The grids and comparisons are defined in swp_models.pricing and re-exported by the chapter's tables.
_P = "swp_models.pricing."
EXAMPLES.update({_P + name: EXAMPLES[_T + name] for name in (
    "needs_mix_comparison", "shock_comparison", "surplus_histograms", "design_grid", "frontier_grid")})
EXAMPLES.update({
    _P + "skimming_table": {"scope": "placements"},
    _P + "chapter_optimum": {"scope": "placements"},
    _P + "service_cut_figures": {"scope": "placements"},
    _P + "gaming_figures": {"scope": "placements"},
    _P + "unbalanced_threshold_payment": {"scope": "placements"},
    _P + "upcoding_cost": {"scope": "placements", "contract": "Block"},
    _P + "coin_flip_premium": {"stake": 100_000.0, "risk_tolerance": 250_000.0},
    _P + "overhead_range": {"shares": (0.0, 0.05)},
    "swp_models.engine.mix_children": lambda: {"scn": __import__("swp_models.scenario", fromlist=["x"]).Scenario.central(),
                                               "mix": next(iter(__import__("swp_models.costs", fromlist=["x"])
                                                                .needs_mix_models())), "n_years": 1_000},
})

FACTORIES = {
    "PracticeYears": _years,
    "Contract": _block,
    "Outcome": _outcome,
    "OutcomeBased": _bonus,
}

_INF = {"risk_tolerance": [math.inf]}
ACCEPTS = {
    _C + "risk_aversion": _INF,
    _C + "risk_premium": _INF,
    _C + "council_expected_cost": _INF,
    _C + "optimal_share": _INF,
    _C + "simulated_optimal_share": _INF,
    _C + "compare": _INF,
    _C + "effort_comparison": _INF,
    _L + "failure_comparison": _INF,
}

# A risk-neutral practice (risk tolerance inf) would pay nothing to avoid the gamble.
ACCEPTS["swp_models.pricing.coin_flip_premium"] = _INF
