"""Named results: each quantity the book quotes in more than one place, computed once, with its unit and scenario.

A :class:`Result` is a number with its name (``"block.premium"``), unit, Monte Carlo standard error where
it has one, the :class:`~swp_models.scenario.Scenario` it was computed under, and what it rests on.
:func:`result` computes a named result for a scenario (cached on the scenario's key, which includes the
state of the data tables); :func:`over` computes it over the values of one setting (the continuity gain
over chapter 2's readings, say); :func:`frame` gives every result under both scopes, as
``python -m swp_models reproduce`` writes them to ``results.csv``. The pages, the home page and the
explorers quote these results; :meth:`Result.text` is how a result becomes words, and it names the
scenario whenever it is not the central one.

Every definition is a function of the scenario alone: no result picks its own setting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd

from . import engine
from .scenario import Scenario
from .validation import check_in_range, check_instance, check_one_of, check_sequence, check_text

__all__ = ["UNITS", "Result", "define", "keys", "result", "over", "frame"]

#: The units a result can have, and how each is written.
UNITS: dict[str, str] = {
    "share": "a share in [0, 1], written as a percentage",
    "gbp": "£, at the scenario's price year",
    "gbp_year": "£ a year, at the scenario's price year",
    "points": "percentage points",
    "ratio": "a plain number",
}


@dataclass(frozen=True)
class Result:
    """One named result: its value, unit, standard error (if simulated) and the scenario behind it."""

    key: str
    value: float
    unit: str
    scenario: Scenario
    se: float | None
    basis: str
    rests_on: tuple[str, ...]

    def __post_init__(self) -> None:
        check_text("key", self.key)
        check_one_of("unit", self.unit, tuple(UNITS))
        check_instance("scenario", self.scenario, Scenario, "Scenario")
        if not isinstance(self.value, (int, float)) or isinstance(self.value, bool) or not math.isfinite(self.value):
            raise ValueError(f"value must be a finite number; got {self.value!r:.80}")
        if self.se is not None:
            check_in_range("se", self.se, 0.0, 1e15)
        check_text("basis", self.basis)
        _check_names(self.rests_on)

    def text(self, *, price_year: bool = False) -> str:
        """The result in words as the book writes it: ``"56%"``, ``"£251k"``, ``"12.9 points"``.

        A result under a scenario other than the central one ends with that scenario's label in
        brackets; with ``price_year`` a £ figure ends with its price year.
        """
        v = self.value
        if self.unit == "share":
            out = f"{100 * v:.0f}%" if abs(100 * v) >= 10 or v == 0 else f"{100 * v:.1f}%"
        elif self.unit in ("gbp", "gbp_year"):
            sign = "−" if v < 0 else ""
            a = abs(v)
            out = (f"{sign}£{a / 1e6:.3f}m" if a >= 1e6 else f"{sign}£{a / 1e3:.0f}k" if a >= 1e4
                   else f"{sign}£{a:,.0f}")
            out += " a year" if self.unit == "gbp_year" else ""
            if price_year:
                out += f" ({self.scenario.price_year} prices)"
        elif self.unit == "points":
            out = f"{v:.1f} points"
        else:
            out = f"{v:.2f}"
        return out if self.scenario.is_central else f"{out} ({self.scenario.name})"


def _check_names(rests_on: object) -> tuple[str, ...]:
    check_instance("rests_on", rests_on, tuple, "tuple of assumption names (may be empty)")
    for i, name in enumerate(rests_on):
        check_text(f"rests_on[{i}]", name)
    return rests_on


@dataclass(frozen=True)
class _Definition:
    unit: str
    basis: str
    rests_on: tuple[str, ...]
    compute: Callable[[Scenario], float | tuple[float, float]]


_DEFINITIONS: dict[str, _Definition] = {}
_CACHE: dict[tuple, Result] = {}


def define(key: str, unit: str, basis: str, rests_on: tuple[str, ...] = ()) -> Callable:  # noqa: D401
    """Register ``fn(scn) -> value`` (or ``(value, se)``) as the one computation of the result ``key``."""
    check_text("key", key)
    check_one_of("unit", unit, tuple(UNITS))
    check_text("basis", basis)
    _check_names(rests_on)

    def register(fn: Callable[[Scenario], Any]) -> Callable[[Scenario], Any]:
        if key in _DEFINITIONS:
            raise ValueError(f"result {key!r} is defined twice; each result has one definition")
        _DEFINITIONS[key] = _Definition(unit, basis, tuple(rests_on), fn)
        return fn

    return register


def keys() -> list[str]:
    """The names of every defined result."""
    return list(_DEFINITIONS)


def result(key: str, scn: Scenario | None = None) -> Result:
    """The result ``key`` under ``scn`` (default the central scenario), computed once per scenario and data state."""
    check_one_of("key", key, keys())
    scn = Scenario.central() if scn is None else check_instance("scn", scn, Scenario, "Scenario or None")
    cache_key = (key, scn.key())
    hit = _CACHE.get(cache_key)
    if hit is not None:
        return hit
    d = _DEFINITIONS[key]
    out = d.compute(scn)
    value, se = (out if isinstance(out, tuple) else (out, None))
    res = Result(key, float(value), d.unit, scn, None if se is None else float(se), d.basis, d.rests_on)
    if len(_CACHE) > 512:
        _CACHE.clear()
    _CACHE[cache_key] = res
    return res


def over(key: str, setting: str, values: Any, scn: Scenario | None = None) -> list[Result]:
    """The result ``key`` with one setting of the scenario taken over ``values`` (e.g. scope or ICC)."""
    scn = Scenario.central() if scn is None else check_instance("scn", scn, Scenario, "Scenario or None")
    check_text("setting", setting)
    fields = [f for f in Scenario.__dataclass_fields__ if f not in ("label", "overrides", "simulation")]
    check_one_of("setting", setting, fields)
    vals = check_sequence("values", values, max_len=100)
    return [result(key, scn.replace(**{setting: v, "label": f"{setting} {v}"})) for v in vals]


def frame(scn: Scenario | None = None) -> pd.DataFrame:
    """Every defined result under both scopes: ``key``, ``scope``, ``value``, ``unit``, ``se``, ``text``, ``price_year``,
    ``scenario``, ``basis``, ``rests_on`` (the rows of ``results.csv``)."""
    scn = Scenario.central() if scn is None else check_instance("scn", scn, Scenario, "Scenario or None")
    rows = []
    for key in keys():
        for scope in ("social_work", "placements"):
            r = result(key, scn.replace(scope=scope))
            rows.append({"key": key, "scope": scope, "value": r.value, "unit": r.unit, "se": r.se, "text": r.text(),
                         "price_year": scn.price_year, "scenario": scn.label, "basis": r.basis,
                         "rests_on": "; ".join(r.rests_on)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# Definitions: chapter 5's contracts (the engine's table of the scenario)
# ---------------------------------------------------------------------------------------------


def _row(scn: Scenario, contract: str = "Block") -> pd.Series:
    return engine.table(scn).set_index("contract").loc[contract]


def _binomial(p: float, n: int) -> tuple[float, float]:
    return p, math.sqrt(max(p * (1 - p), 0.0) / n)


@define("expected_cost", "gbp_year", "chapter 3 costs and chapter 4 budget, exact")
def _expected_cost(scn: Scenario) -> float:
    return engine.own_costs(scn).expected_total


@define("reserves", "gbp", "the scenario's months of the practice's running cost", ("reserve_months",))
def _reserves(scn: Scenario) -> float:
    return engine.reserves(scn)


@define("block.sd_surplus", "gbp_year", "simulated practice-years", ("within_group_cv",))
def _block_sd(scn: Scenario) -> float:
    return float(_row(scn)["practice_sd_surplus"])


@define("block.p_loss", "share", "simulated practice-years", ("within_group_cv",))
def _block_loss(scn: Scenario) -> tuple[float, float]:
    return _binomial(float(_row(scn)["practice_p_loss"]), scn.simulation.n_years)


@define("block.premium", "gbp_year", "exact risk premium, unlimited liability, simulated practice-years",
        ("risk_tolerance",))
def _block_premium(scn: Scenario) -> float:
    return float(_row(scn)["risk_premium_exact"])


@define("block.premium_limited", "gbp_year", "exact risk premium, limited liability, simulated practice-years",
        ("risk_tolerance", "reserve_months"))
def _block_premium_limited(scn: Scenario) -> float:
    return float(_row(scn)["risk_premium_limited"])


@define("block.p_fail_year", "share", "simulated practice-years", ("reserve_months",))
def _block_fail_year(scn: Scenario) -> tuple[float, float]:
    return _binomial(float(_row(scn)["p_fail_year"]), scn.simulation.n_years)


@define("block.p_fail_term", "share", "simulated terms of consecutive practice-years", ("reserve_months",
                                                                                          "contract_term_years"))
def _block_fail_term(scn: Scenario) -> tuple[float, float]:
    return _binomial(float(_row(scn)["p_fail_term"]), scn.simulation.n_years // scn.term_years)


@define("block.absorbed", "gbp_year", "simulated practice-years: losses beyond the reserves", ("reserve_months",))
def _block_absorbed(scn: Scenario) -> float:
    return float(_row(scn)["absorbed"])


@define("optimal_share.closed_form", "ratio", "closed form on the simulated mean and variance",
        ("risk_tolerance", "effort_cost"))
def _share_closed(scn: Scenario) -> float:
    return engine.optimum(scn).closed_form_share


@define("optimal_share.simulated", "ratio", "simulated practice-years", ("risk_tolerance", "effort_cost"))
def _share_simulated(scn: Scenario) -> float:
    return engine.optimum(scn).share


# ---------------------------------------------------------------------------------------------
# Definitions: continuity, effort and what a pilot could detect (chapters 2, 5, 6, 8 and 9)
# ---------------------------------------------------------------------------------------------


def _reading(scn: Scenario) -> pd.Series:
    from . import evaluation

    table = evaluation.predicted_effects_over_readings(scn)
    return table.set_index("reading").loc[scn.continuity_reading]


def _lift(scn: Scenario) -> pd.Series:
    from . import evaluation

    return evaluation.effort_lifts(scn).set_index("model").loc[scn.effort_model]


@define("continuity.gain", "points", "chapter 2: a practice against England's 2005 rates, the scenario's reading",
        ("continuity_reading",))
def _continuity_gain(scn: Scenario) -> float:
    return 100 * float(_reading(scn)["difference"])


@define("effort.lift", "points", "same worker all year, under the scenario's effort model", ("effort_model",))
def _effort_lift(scn: Scenario) -> float:
    return 100 * float(_lift(scn)["difference"])


@define("icc", "ratio", "the clustering chapters 8 and 9 use (assumption)", ("icc",))
def _icc(scn: Scenario) -> float:
    return scn.icc


@define("mdd.same_worker", "points", "exact test: the report's nine practices against one control, the scenario's "
        "ICC, at the council baseline of the scenario's continuity reading", ("icc",))
def _mdd_same_worker(scn: Scenario) -> float:
    from . import evaluation

    table = evaluation.detection_over_readings(scn, _report_design(scn))
    return 100 * float(table.set_index("reading").loc[scn.continuity_reading, "mdd"])


def _report_design(scn: Scenario):  # noqa: ANN202 - PilotDesign
    from . import data, evaluation

    return evaluation.PilotDesign(
        practices=int(data.value(evaluation.PILOTS_TABLE, measure="pilots_total_report")),
        children_per_practice=int(data.value("practice_design", parameter="caseload_children")),
        years=int(data.value(evaluation.PILOTS_TABLE, measure="pilot_length_min_report")),
        icc=scn.icc)
