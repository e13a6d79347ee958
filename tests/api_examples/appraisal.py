"""Valid calls of swp_models.appraisal and swp_models.figures.appraisal.

The appraisal reads the sensitivity section's chapter model at its settings; the uncertainty run (about 17 s of CPU, timed by
``make bench``) is cached, so the examples warm it outside the timed calls.
"""

from swp_models import appraisal as ap
from swp_models import findings

_M = "swp_models.appraisal."
_F = "swp_models.figures.appraisal."


def _warm() -> dict:
    ap.central_inputs()
    ap.acceptability()
    return {}


def _inputs() -> dict:
    from dataclasses import asdict

    return asdict(ap.central_inputs())


EXAMPLES = {
    _M + "Inputs": _inputs,
    _M + "uplift": {"price_year": "2023-24", "base": "2005-06"},
    _M + "discount_factors": {"rate": 0.035, "years": 3},
    _M + "appraise": lambda: {**_warm(), "term_years": 3, "discount_rate": 0.035, "optimism_bias": 0.2,
                              "price_year": "2005-06"},
    _M + "icers": lambda: {"table": ap.appraise(), "against": "council"},
    _M + "switching_values": lambda: {**_warm(), "option": "practice_social_work", "value_per_child_year": 10_000.0,
                                      "term_years": 3, "price_year": "2005-06"},
    _M + "settings_inputs": lambda: {**_warm(), "n_base": 32},
    _M + "acceptability": lambda: {**_warm(), "term_years": 3, "price_year": "2005-06", "lambdas": (0.0, 10_000.0)},
    _M + "central_inputs": _warm,
    _M + "crossover": lambda: {**_warm(), "scope": "social_work", "option": "in_house", "term_years": 3,
                               "price_year": "2005-06"},
    _M + "cheapest_contracts": _warm,
    _M + "price_index": {},
    **{_F + name: _warm for name in ("acceptability_chart", "key_results_appraisal", "prose_numbers")},
    _F + "confidence": {"share": 0.8},
    _F + "summary_numbers": lambda: {"glued": findings.stored_glue("book/10_appraisal")},
    _F + "options_table": lambda: {**_warm(), "price_year": "2005-06"},
    _F + "icer_table": lambda: {**_warm(), "price_year": "2005-06"},
}

ACCEPTS = {
    _M + "appraise": {"term_years": [None], "discount_rate": [None], "optimism_bias": [None], "inputs": [None]},
    _M + "switching_values": {"value_per_child_year": [None], "term_years": [None]},
    _M + "settings_inputs": {"n_base": [None]},
    _M + "acceptability": {"term_years": [None]},
    _M + "crossover": {"term_years": [None]},
}
