"""Valid calls of the costing workbook (``swp_models.workbook``) and of the closed forms it mirrors
(``swp_models.contracts.liability``: surplus moments and the normal approximation of failure)."""

from __future__ import annotations

import tempfile
from pathlib import Path

_W = "swp_models.workbook."
_L = "swp_models.contracts.liability."


def _scope():
    from swp_models.contracts.liability import Scope

    return Scope("social_work", fixed_cost=500_000.0, staff_per_child=5_000.0, variable_per_child=1_500.0)


EXAMPLES = {
    _W + "Input": {"name": "council_children", "label": "Children in care", "unit": "children", "kind": "integer",
                   "low": 1.0, "high": 1000.0},
    _W + "write_workbook": lambda: {"path": str(Path(tempfile.mkdtemp(prefix="swp-wb-")) / "book.xlsx")},
    _W + "results_values": {"values": {"price_year": "2023-24"}},
    _W + "appraisal_inputs": {"values": {"pay_multiplier": 1.2, "council_frontline": 7}},
    _W + "appraisal_check": {},
    _L + "NormalFailure": {"p_loss": 0.5, "p_fail_year": 0.1, "p_fail_term": 0.2},
    _L + "SurplusMoments": {"expected_payment": 700_000.0, "mean": 0.0, "variance": 1.6e8},
    _L + "normal_failure": {"mean": 0.0, "sd": 12_000.0, "reserves": 130_000.0, "term_years": 3},
    _L + "normal_risk_premium": {"variance": 1.6e8, "risk_tolerance": 250_000.0},
    _L + "surplus_moments": lambda: {"family": "block", "scope": _scope(), "caseload": 100},
}

# A risk-neutral practice (an infinite risk tolerance) is documented as valid.
ACCEPTS = {_L + "normal_risk_premium": {"risk_tolerance": [float("inf")]}}

_X = "swp_models.explore.workbook."


def _box():
    import ipywidgets as w

    box = w.VBox([])
    box.controls = {"icc": w.FloatSlider(value=0.05, min=0, max=0.5)}
    return box


EXAMPLES.update({
    _X + "workbook_inputs": {"chapter": "practice", "settings": {"frontline": 8, "caseload": 100}},
    _X + "download_html": {"chapter": "evaluation", "settings": {"icc": 0.05}},
    _X + "add_download": lambda: {"box": _box(), "chapter": "evaluation"},
})

EXAMPLES["swp_models.assumptions.record"] = {"parameter": "risk_tolerance"}

# The explorers' app: the first tab built at once, the others when opened.
EXAMPLES["swp_models.explore.app.app"] = {"first": 0}
# A shared link's query opened in the app, and the query of the scenario it shows.
EXAMPLES["swp_models.explore.app.open_link"] = lambda: {
    "tabs": __import__("swp_models.explore.app").explore.app.app(first=6), "query": "tab=evaluation&icc=0.1"}
EXAMPLES["swp_models.explore.app.scenario_query"] = lambda: {
    "tabs": __import__("swp_models.explore.app").explore.app.app(first=6)}
