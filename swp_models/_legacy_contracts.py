"""The contract API as it was spelt before risk attitude became a risk tolerance (private, transitional).

The public API of :mod:`swp_models.contracts` and :mod:`swp_models.liability` takes the practice's
risk attitude one way: ``risk_tolerance``, in £ (``r = 1 / risk_tolerance`` is derived, by
:func:`swp_models.contracts.risk_aversion`), and its named contracts from
:func:`swp_models.contracts.default_contracts`. Modules whose call sites still pass the risk
aversion ``r`` per £ (or call ``build_contracts``) import ``contracts`` and ``liability`` from here
until those call sites are rewritten. Every name forwards to the public API; the few that took
``r`` convert it to a tolerance first. Nothing here is public.
"""

from __future__ import annotations

import math
import types
from typing import Any

from . import contracts as _contracts
from . import liability as _liability
from .validation import check_nonnegative

__all__: list[str] = []


def _tolerance(risk_aversion: float) -> float:
    r = check_nonnegative("risk_aversion", risk_aversion)
    return math.inf if r == 0 else 1.0 / r


def risk_premium(surplus: Any, risk_aversion: float, exact: bool = True) -> float:
    return _contracts.risk_premium(surplus, _tolerance(risk_aversion), exact)


def compare(contracts: Any, years: Any, risk_aversion: float, *, step: float = 1e-3) -> Any:
    return _contracts.compare(contracts, years, _tolerance(risk_aversion), step=step)


def effort_comparison(contracts: Any, years: Any, risk_aversion: float, effort_cost: float, *,
                      step: float = 1e-3) -> Any:
    return _contracts.effort_comparison(contracts, years, _tolerance(risk_aversion), effort_cost, step=step)


def council_expected_cost(share: Any, mean_cost: float, var_cost: float, risk_aversion: float,
                          effort_cost: float) -> Any:
    return _contracts.council_expected_cost(share, mean_cost, var_cost, _tolerance(risk_aversion), effort_cost)


def optimal_share(mean_cost: float, var_cost: float, risk_aversion: float, effort_cost: float) -> float:
    return _contracts.optimal_share(mean_cost, var_cost, _tolerance(risk_aversion), effort_cost)


def simulated_optimal_share(years: Any, risk_aversion: float, effort_cost: float, shares: Any = None) -> Any:
    return _contracts.simulated_optimal_share(years, _tolerance(risk_aversion), effort_cost, shares)


def chapter_defaults() -> dict[str, float]:
    d = _contracts.chapter_defaults()
    return {"risk_aversion": 1.0 / d["risk_tolerance"], "effort_cost": d["effort_cost"]}


build_contracts = _contracts.default_contracts


def __getattr__(name: str) -> Any:
    return getattr(_contracts, name)


def _failure_comparison(contracts: Any, years: Any, reserves: float, *, term_years: int, failure_cost: float,
                        risk_aversion: float) -> Any:
    return _liability.failure_comparison(contracts, years, reserves, term_years=term_years,
                                         failure_cost=failure_cost, risk_tolerance=_tolerance(risk_aversion))


class _Liability(types.ModuleType):
    """:mod:`swp_models.liability` with ``failure_comparison`` taking ``risk_aversion``."""

    failure_comparison = staticmethod(_failure_comparison)

    def __getattr__(self, name: str) -> Any:
        return getattr(_liability, name)


liability = _Liability(__name__ + ".liability")
