"""The pricing engine: the one place that simulates the children and prices contracts for a scenario.

Every chapter, explorer, the sensitivity run and ``reproduce`` price contracts through this module, so a
quantity computed on two pages is the same computation on the same children:

* :func:`children` is the one simulated sample of practice-years (chapter 3's children, with one outcome
  draw each), of the scenario's ``simulation.n_years`` years; a smaller sample is its first
  ``n_years`` (:meth:`~swp_models.contracts.PracticeYears.head`), never a fresh draw;
* :func:`own_costs` is what the practice pays for under the scenario's scope (the fixed and variable
  split of :class:`~swp_models.contracts.liability.Scope`), with the shared yearly cost shock applied to the same
  children when the scenario has one;
* :func:`reserves` is the practice's reserves; :func:`book` the named contracts priced for those years;
* :func:`table` is every per-contract figure (risk, incentive, failure over the term, the council's
  cost); :func:`optimum` the cost-and-volume share that minimises the council's expected cost.

Results are cached on :meth:`~swp_models.scenario.Scenario.key`, which includes the data tables' state, so an edited table is
used at once.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from . import assumptions
from .contracts import (
    Contract,
    OptimalShare,
    PracticeYears,
    compare,
    contract_family,
    default_contracts,
    effort_comparison,
    risk_sharing,
    simulate_practice_years,
    simulated_optimal_share,
)
from .costs import default_caseload, default_cost_model
from .contracts.liability import Scope, default_scope, failure_comparison, reserves_from_months
from .scenario import Scenario
from .validation import check_in_range, check_instance, check_integer, check_one_of

__all__ = ["children", "mix_children", "own_costs", "scope", "reserves", "book", "table", "price", "optimum", "shock_factors", "clear"]

_CACHE = assumptions.KeyedCache(32, name="engine")
_cached = _CACHE.get


def clear() -> None:
    """Forget every cached sample and priced table (they are rebuilt on the next call)."""
    _CACHE.clear()


def _check(scn: object) -> Scenario:
    return check_instance("scn", scn, Scenario, "Scenario (swp_models.scenario.Scenario.central())")


def _years(scn: Scenario, n_years: int | None) -> int:
    full = scn.simulation.n_years
    if n_years is None:
        return full
    return check_integer("n_years", n_years, low=1, high=full)


def _sample_key(scn: Scenario) -> tuple:
    # The sample depends on its size and seed and on the data (the cost model and caseload are read from it).
    return (scn.simulation.n_years, scn.simulation.seed, assumptions.fingerprint(all_tables=True))


def children(scn: Scenario, n_years: int | None = None) -> PracticeYears:
    """The one simulated sample of practice-years under the default cost model and caseload (no scope applied).

    Parameters
    ----------
    scn : Scenario
    n_years : int, optional
        The first ``n_years`` of the sample (1 to ``scn.simulation.n_years``); default all of it.
    """
    _check(scn)
    n = _years(scn, n_years)
    full = _cached("children", _sample_key(scn), lambda: simulate_practice_years(
        default_cost_model(), default_caseload(), scn.simulation.n_years, scn.simulation.seed))
    return full if n == full.n_years else full.head(n)


def mix_children(scn: Scenario, mix: str, n_years: int | None = None) -> PracticeYears:
    """Practice-years under another of chapter 3's needs mixes (:func:`swp_models.costs.needs_mix_models`).

    A needs mix is another cost model, so its children cannot be a prefix of the book's sample: they
    are drawn with the scenario's seed and the default caseload, ``n_years`` of them (default the
    scenario's ``grid_years``), the same seed for every mix so that the mixes are compared on paired
    draws. No scope applied. Cached.

    Parameters
    ----------
    scn : Scenario
    mix : str
        A label of :func:`swp_models.costs.needs_mix_models`.
    n_years : int, optional
        1,000 to ``scn.simulation.n_years``.
    """
    from .costs import needs_mix_models

    _check(scn)
    models = needs_mix_models()
    check_one_of("mix", mix, tuple(models))
    n = scn.simulation.grid_years if n_years is None else check_integer("n_years", n_years, low=1_000,
                                                                          high=scn.simulation.n_years)
    key = (mix, n, scn.simulation.seed, assumptions.fingerprint(all_tables=True))
    return _cached("mix_children", key, lambda: simulate_practice_years(
        models[mix], default_caseload(), n, scn.simulation.seed))


def scope(scn: Scenario) -> Scope:
    """What the practice pays for under ``scn`` (its fixed budget and variable cost per child)."""
    _check(scn)
    return _cached("scope", (scn.scope, assumptions.fingerprint(all_tables=True)), lambda: default_scope(scn.scope))


def shock_factors(scn: Scenario, n_years: int | None = None) -> np.ndarray:
    """The shared yearly cost shock of each year of the sample (mean 1; all ones without a shock).

    Drawn from a stream of its own (the scenario's seed and the label ``"shock"``), so the children are
    the same with and without it and the first years' factors do not depend on the sample's size.
    """
    _check(scn)
    n = _years(scn, n_years)
    if scn.shock_cv == 0:
        return np.ones(n)
    model = replace(default_cost_model(), shock_cv=scn.shock_cv)
    rng = np.random.default_rng([scn.simulation.seed, 0x53484F43])  # "SHOC"
    return model.shock_factors(n, rng)


def own_costs(scn: Scenario, n_years: int | None = None) -> PracticeYears:
    """The children's cost to the practice under the scenario's scope, with the shared shock when it has one.

    Parameters
    ----------
    scn : Scenario
    n_years : int, optional
        The first ``n_years`` of the sample; default all of it.
    """
    _check(scn)
    n = _years(scn, n_years)

    def build(m: int) -> PracticeYears:
        years = children(scn, m)
        if scn.shock_cv > 0:
            years = years.shocked(shock_factors(scn, m), replace(years.cost_model, shock_cv=scn.shock_cv))
        return scope(scn).apply(years)

    key = (scn.scope, scn.shock_cv, *_sample_key(scn))
    if scn.shock_cv > 0 and n < scn.simulation.n_years:
        # The same years as a prefix of the full shocked sample (each year's factor does not depend on the
        # sample's size), without holding a shocked copy of the whole sample.
        return _cached("own_costs", (n, *key), lambda: build(n))
    full = _cached("own_costs", key, lambda: build(scn.simulation.n_years))
    return full if n == full.n_years else full.head(n)


def reserves(scn: Scenario, months: float | None = None) -> float:
    """The practice's reserves, £: ``scn.reserve_months`` (or ``months``) of its own running cost.

    The same for both scopes: reserves are measured against the practice's own budget (chapter 4).
    """
    _check(scn)
    m = scn.reserve_months if months is None else check_in_range("months", months, 0.0, 120.0)
    return reserves_from_months(m, scope(scn).fixed_cost)


def _terms(scn: Scenario) -> dict[str, float]:
    from .contracts import CONTRACT_TERMS

    return {k: v for k, v in scn.overrides if k in CONTRACT_TERMS}


def book(scn: Scenario, n_years: int | None = None) -> dict[str, Contract]:
    """The named contracts (:func:`~swp_models.contracts.default_contracts`) for the scenario's scope.

    The threshold contracts are balanced on :func:`own_costs` (the first ``n_years``); every other term
    is the assumption's, or the scenario's override of it.
    """
    _check(scn)
    n = _years(scn, n_years)
    key = (n, tuple(sorted(_terms(scn).items())), scn.scope, scn.shock_cv, *_sample_key(scn))
    return dict(_cached("book", key, lambda: default_contracts(
        children(scn).cost_model, scope=scope(scn), years=own_costs(scn, n), **_terms(scn))))


def table(scn: Scenario, n_years: int | None = None) -> pd.DataFrame:
    """Every per-contract figure for the scenario, one row per contract of :func:`book`.

    Priced on :func:`own_costs` with the scenario's risk tolerance, effort cost, reserves, term and
    cost of failure: the columns of :func:`~swp_models.contracts.compare`, of
    :func:`~swp_models.contracts.effort_comparison` (without ``admin_cost`` and ``power``), of
    :func:`~swp_models.contracts.risk_sharing` and of :func:`~swp_models.contracts.liability.failure_comparison`
    (without ``risk_premium``), and ``family``.
    """
    _check(scn)
    n = _years(scn, n_years)

    # Kept on disk too (when SWP_CACHE_DIR names a folder): pricing a scope's contracts takes some 2.5 s, and the
    # notebooks, the reproduce command and the tests' processes each need it.
    return _cached("table", (n, scn.key()[1:]), lambda: _price(scn, own_costs(scn, n), book(scn, n)), disk=True).copy()


def price(scn: Scenario, years: PracticeYears) -> pd.DataFrame:
    """:func:`table`'s figures for the scenario's settings on other simulated children ``years`` (no scope applied).

    The live explorer's re-pricing when a control changes the children: the scenario's scope is applied
    to ``years``, the named contracts are rebuilt on them (with the scenario's overrides of their terms)
    and priced exactly as :func:`table` prices the book's sample. Not cached.
    """
    _check(scn)
    check_instance("years", years, PracticeYears, "PracticeYears (the simulated children, no scope applied)")
    own = scope(scn).apply(years)
    contracts = default_contracts(years.cost_model, scope=scope(scn), years=own, **_terms(scn))
    return _price(scn, own, contracts)


def _price(scn: Scenario, years: PracticeYears, contracts: dict[str, Contract]) -> pd.DataFrame:
    tol = scn.risk_tolerance
    fixed = compare(contracts, years, tol)
    effort = effort_comparison(contracts, years, tol, scn.effort_cost)
    split = risk_sharing(contracts, years)
    fail = failure_comparison(contracts, years, reserves(scn), term_years=scn.term_years,
                              failure_cost=scn.failure_cost, risk_tolerance=tol)
    out = fixed.merge(effort.drop(columns=["admin_cost", "power"]), on="contract").merge(split, on="contract")
    out = out.merge(fail.drop(columns=["risk_premium"]), on="contract")
    out.insert(1, "family", [contract_family(c) for c in contracts.values()])
    return out


def optimum(scn: Scenario) -> OptimalShare:
    """The cost-and-volume share that minimises the council's expected cost once effort responds (simulated)."""
    _check(scn)
    return _cached("optimum", scn.key()[1:], lambda: simulated_optimal_share(
        own_costs(scn), scn.risk_tolerance, scn.effort_cost))
