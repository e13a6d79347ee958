"""Valid calls of swp_models.costs, swp_models.practice and their page tables (chapters 3 and 4).

Small inputs keep each call quick: the contract walk calls every callable once per bad value.
"""

import numpy as np
import pandas as pd

_C = "swp_models.costs."
_P = "swp_models.practice."
_CT = "swp_models.figures.costs_tables."
_PT = "swp_models.figures.practice_tables."


def _model():
    from swp_models.costs import default_cost_model

    return default_cost_model()


def _caseload():
    from swp_models.costs import default_caseload

    return default_caseload()


def _distribution_fields():
    from swp_models.costs import total_cost_distribution

    d = total_cost_distribution(_model(), 10, points_per_sd=8)
    return {"step": d.step, "caseloads": d.caseloads, "caseload_probs": d.caseload_probs,
            "pmf_by_caseload": d.pmf_by_caseload, "child_mean": d.child_mean, "child_pmf": d.child_pmf}


def _national_fields():
    from swp_models.costs import national_run

    r = national_run(_model(), (3, 4), 4, 1, chunk_years=2, workers=1)
    return {f: getattr(r, f) for f in ("councils", "n_years", "chunk_years", "workers", "seed", "mean", "variance",
                                       "risk_premium", "overspends", "totals", "expected")}


def _children_fields():
    from swp_models.costs import draw_practice_children

    k = draw_practice_children(_model(), 5, 3, np.random.default_rng(1))
    return {"costs": k.costs, "components": k.components, "offsets": k.offsets, "counts": k.counts,
            "component_counts": k.component_counts, "totals": k.totals}


def _calibration_fields():
    from swp_models.costs import calibrate_shares

    c = calibrate_shares(n_points=3)
    return {"feasible": c.feasible, "default": c.default, "complex_share_range": c.complex_share_range,
            "position": c.position, "target_mean": c.target_mean, "group_means": c.group_means, "rule": c.rule}


def _check_frame():
    from swp_models.costs import exact_vs_simulated

    return {"check": exact_vs_simulated(_model(), 10, n_children=1000, n_years=1000, seed=1)}


def _salary_fields():
    from swp_models.practice import salary_scale

    s = salary_scale()
    return {f: getattr(s, f) for f in ("social_worker", "manager", "admin", "support", "pdo", "employer_ni_rate",
                                       "ni_threshold", "pension_rate")}


EXAMPLES = {
    # swp_models.costs
    _C + "model.CostModel": {"groups": ("no_additional_needs", "complex_needs"), "means": (30000.0, 90000.0),
                             "shares": (0.75, 0.25), "cv": 0.5},
    _C + "needs.assumption": {"parameter": "within_group_cv"},
    _C + "needs.assumption_range": {"parameter": "complex_share"},
    _C + "needs.ShareCalibration": _calibration_fields,
    _C + "needs.shares_for_complex_share": {"complex_share": 0.01},
    _C + "caseload.Caseload": {"mean": 100, "margin": 10},
    _C + "caseload.as_caseload": {"caseload": 20},
    _C + "model.as_generator": {"seed": 1},
    _C + "totals.TotalCostMoments": {"mean": 4.2e6, "variance": 1.0e11},
    _C + "totals.total_cost_moments": {"caseload": 100},
    _C + "totals.relative_spread": {"n": 100},
    _C + "totals.shock_exceedance": {"shock_cv": 0.05},
    _C + "totals.PracticeChildren": _children_fields,
    _C + "totals.draw_practice_children": {"caseload": 10, "n_years": 5, "rng": np.random.default_rng(0)},
    _C + "totals.simulate_practice_costs": {"caseload": 10, "n_sims": 5, "seed": 0},
    _C + "distribution.TotalCostDistribution": _distribution_fields,
    _C + "distribution.total_cost_distribution": {"caseload": 10, "points_per_sd": 8},
    _C + "distribution.practice_density": {"caseloads": {"fixed": 10}, "n_points": 11},
    _C + "distribution.child_cost_density": {"n_points": 11},
    _C + "national.even_councils": {"children": 100, "councils": 3},
    _C + "national.national_run": {"councils": (3, 4), "n_years": 4, "seed": 1, "chunk_years": 2, "workers": 1},
    _C + "national.NationalRun": _national_fields,
    _C + "pooling.prob_cost_per_child_exceeds": {"n": 10, "n_sims": 100},
    _C + "pooling.pooling_table": {"sizes": (10, 20), "n_sims": 100},
    _C + "pooling.pooling_curve": {"sizes": (10, 20), "excesses": (0.1,)},
    _C + "pooling.shock_pooling_table": {"sizes": (10,), "shock_cvs": (0.0, 0.05)},
    _C + "scenarios.needs_mix_table": {"caseload": 10},
    _C + "scenarios.tail_sensitivity": {"caseload": 10},
    _C + "scenarios.target_sensitivity": {"targets": (40000.0,), "caseload": 10},
    _C + "scenarios.share_sensitivity_grid": {"complex_shares": (0.01,), "cvs": (0.5,), "caseload": 10,
                                              "excesses": (0.1,), "points_per_sd": 4},
    _C + "scenarios.mix_sensitivity_grid": {"additional_shares": (0.45,), "complex_shares": (0.03,), "cvs": (0.5,),
                                            "caseload": 10, "points_per_sd": 4},
    _C + "scenarios.exact_vs_simulated": {"caseload": 10, "n_children": 1000, "n_years": 1000, "seed": 1},
    # chapter 3's page tables
    _CT + "fmt_chance": {"p": 0.05},
    _CT + "exact_vs_simulated_table": _check_frame,
    # swp_models.practice
    _P + "design.assumption": {"parameter": "admin_pay_ratio"},
    _P + "design.SalaryScale": _salary_fields,
    _P + "design.on_costs": {"salary": 30000.0},
    _P + "budget.workers_for_cap": {"children": 100, "cap": 12},
}

FACTORIES = {
    "CostModel": _model,
    "Caseload": _caseload,
    "SalaryScale": lambda: __import__("swp_models.practice", fromlist=["salary_scale"]).salary_scale(),
    "PracticeDesign": lambda: __import__("swp_models.practice", fromlist=["PracticeDesign"]).PracticeDesign(),
    "Overheads": lambda: __import__("swp_models.practice", fromlist=["Overheads"]).Overheads(),
}

# Values that look never-valid to the walk but are documented as valid.
_INT_CASELOAD = {"caseload": [7]}
ACCEPTS = {
    # cv is one number for every group, or one per group
    _C + "model.CostModel": {"cv": [5]},
    _C + "needs.default_cost_model": {"cv": [5]},
    # a caseload is a Caseload or a whole number of children
    _C + "caseload.as_caseload": _INT_CASELOAD,
    _C + "totals.total_cost_moments": _INT_CASELOAD,
    _C + "totals.variance_decomposition": _INT_CASELOAD,
    _C + "totals.draw_practice_children": _INT_CASELOAD,
    _C + "totals.simulate_practice_costs": _INT_CASELOAD,
    _C + "distribution.total_cost_distribution": _INT_CASELOAD,
    _C + "distribution.practice_percentiles": _INT_CASELOAD,
    _C + "pooling.prob_cost_per_child_exceeds": {"n": [7]},
    _C + "scenarios.needs_mix_table": _INT_CASELOAD,
    _C + "scenarios.tail_sensitivity": _INT_CASELOAD,
    _C + "scenarios.target_sensitivity": _INT_CASELOAD,
    _C + "scenarios.share_sensitivity_grid": _INT_CASELOAD,
    _C + "scenarios.mix_sensitivity_grid": _INT_CASELOAD,
    _C + "scenarios.exact_vs_simulated": _INT_CASELOAD,
    # a risk-neutral council: risk_tolerance = math.inf
    _C + "national.national_run": {"risk_tolerance": [float("inf")]},
    _C + "national.NationalRun": {"risk_tolerance": [float("inf")]},
    # one share or an array of shares
    _C + "needs.shares_for_complex_share": {"complex_share": [5]},
    # a salary, or an array of salaries
    _P + "design.on_costs": {"salary": [5]},
}
