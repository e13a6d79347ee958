"""Valid calls of the scenario, the assumptions reader, the pricing engine and the term model.

The engine's examples use a scenario of 1,000 practice-years, so each valid call is quick.
"""

from __future__ import annotations

import numpy as np


def _scenario():
    from swp_models.scenario import Scenario

    return Scenario.central(n_years=1_000)


def _years():
    from swp_models import engine

    return engine.children(_scenario())


def _term_failure():
    from swp_models import liability

    return liability.term_failure(np.array([1.0, -2.0, 3.0]), 1.0, 3)


_A = "swp_models.assumptions."
_S = "swp_models.scenario."
_E = "swp_models.engine."
_L = "swp_models.contracts.liability."

EXAMPLES = {
    _A + "value": {"parameter": "risk_tolerance"},
    _A + "value_in": {"table": "assumptions_contracts", "parameter": "risk_tolerance"},
    _A + "bounds": {"parameter": "risk_tolerance"},
    _A + "table_of": {"parameter": "risk_tolerance"},
    _S + "Scenario": {"term_years": 3, "reserve_months": 3.0, "risk_tolerance": 250_000.0, "effort_cost": 10.0,
                      "failure_cost": 100_000.0, "margin": 0.0, "icc": 0.05},
    _E + "price": lambda: {"scn": _scenario(), "years": _years()},
    _L + "term_paths": {"surplus": np.array([[1.0, -2.0], [3.0, 1.0]]), "reserves": 1.0},
    _L + "TermPaths": lambda: {"p_failed": np.array([0.5]), "reserves_p5": np.array([0.0]),
                               "reserves_median": np.array([1.0]), "council_shortfall": 0.0,
                               "failure": _term_failure()},
}

FACTORIES = {
    "Scenario": _scenario,
}

# A risk tolerance of math.inf is a risk-neutral practice; no overrides is the central scenario.
ACCEPTS = {
    _S + "Scenario": {"risk_tolerance": [float("inf")], "overrides": [(), [], {}]},
}

EXAMPLES.update({
    "swp_models.results.result": lambda: {"key": "reserves", "scn": _scenario()},
    "swp_models.results.over": lambda: {"key": "reserves", "setting": "reserve_months", "values": [1.0, 2.0],
                                        "scn": _scenario()},
    "swp_models.results.frame": lambda: {"scn": _scenario()},
    "swp_models.results.define": {"key": "example.value", "unit": "ratio", "basis": "an example"},
    "swp_models.results.Result": lambda: {"key": "reserves", "value": 1.0, "unit": "gbp", "scenario": _scenario(),
                                          "se": None, "basis": "an example", "rests_on": ()},
})

# What a result rests on may be nothing (a result from data and model only).
ACCEPTS.update({
    "swp_models.results.Result": {"rests_on": [()]},
    "swp_models.results.define": {"rests_on": [()]},
})

EXAMPLES["swp_models.assumptions.cached"] = {"maxsize": 2}

EXAMPLES["swp_models.assumptions.KeyedCache"] = {"maxsize": 2}
EXAMPLES["swp_models.assumptions.KeyedCache.get"] = {"kind": "a result", "key": (1,), "build": lambda: 1}
