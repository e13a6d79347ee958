"""Paying a practice: contracts priced on the same simulated children (chapter 5).

The report (s.6.1.6) sets out four ways a council could pay a social work practice: a
**block** payment, **risk-adjusted capitation**, a **cost-and-volume** contract (with a
percentage or a threshold formula for sharing over- and underspend) and an
**outcome**-based contract. This module simulates practice-years once
(:func:`simulate_practice_years`) and prices every contract on those same children, so
every comparison is paired: differences between contracts are never sampling noise.

Notation, for one practice-year: ``C`` is the total cost of the practice's children (£),
``P`` the contract's payment to the practice (£), the practice's surplus is
``pi = P - C`` and the council's spend on the contract is ``P`` (plus the contract's
administrative cost, which the council bears). The practice's running costs (chapter 4)
are outside ``C``: they shift every contract's payment alike.

Risk and incentive follow the reference model of the book: the practice has constant
absolute risk aversion ``r`` (per £) and values a surplus at its certainty equivalent
``-ln E[exp(-r pi)] / r``; the council is risk neutral. Effort ``e`` cuts expected cost by
a fraction ``e`` at a private cost ``k e**2 m / 2``; a practice bearing a share ``s`` of
cost chooses ``e = s / k`` (Holmström and Milgrom 1987; Laffont and Tirole 1993).
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from numbers import Real
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import optimize, special

from . import data
from .costs import (
    Caseload,
    CostModel,
    PracticeChildren,
    SeedLike,
    _as_caseload,
    _caseload_distribution,
    _rng,
    default_caseload,
    default_cost_model,
    draw_practice_children,
    total_cost_moments,
)
from .liability import SCOPE_LABELS, SCOPES, Scope, default_scope, failure_comparison, limited_liability, reserves_from_months
from .liability import _surplus as _surplus_array
from .validation import (
    check_finite_array,
    check_flag,
    check_instance,
    check_in_range,
    check_integer,
    check_nonnegative,
    check_one_of,
    check_positive,
    check_probability,
)

__all__ = [
    "PracticeYears",
    "simulate_practice_years",
    "Contract",
    "Block",
    "FullReimbursement",
    "Capitation",
    "CostAndVolume",
    "ThresholdSharing",
    "balanced",
    "VolumeBand",
    "HighCostReinsurance",
    "Outcome",
    "OutcomeBased",
    "assumption",
    "default_contracts",
    "risk_aversion",
    "risk_premium",
    "power_of_incentive",
    "compare",
    "skimming_gain",
    "effort_level",
    "council_expected_cost",
    "optimal_share",
    "OptimalShare",
    "simulated_optimal_share",
    "CostSharing",
    "MixedOutcome",
    "with_effort",
    "rescaled",
    "effort_comparison",
    "risk_sharing",
    "CHAPTER_YEARS",
    "CHAPTER_SEED",
    "GRID_YEARS",
    "FAMILIES",
    "CONTRACT_TERMS",
    "chapter_contracts",
    "contract_family",
    "chapter_defaults",
    "chapter_years",
    "chapter_scope_years",
    "chapter_reserves",
    "chapter_table",
    "chapter_optimum",
    "skimming_table",
    "needs_mix_comparison",
    "surplus_histograms",
    "design_grid",
    "chapter_design_grid",
    "frontier_grid",
    "contracts_table",
    "threshold_discounts",
    "scope_heading",
    "shock_comparison",
    "SHOCK_CONTRACTS",
    "risk_table",
    "surplus_table",
    "incentive_table",
    "council_cost_table",
    "claims_table",
    "key_results",
]

_ASSUMPTIONS = "assumptions_contracts"
_DRAW_LEVELS = 65536  # outcome draws are uint16 on 0..65535


def assumption(parameter: str) -> float:
    """Value of one assumption in ``data/assumptions_contracts.csv`` (e.g. ``"risk_tolerance"``)."""
    return data.value(_ASSUMPTIONS, parameter=parameter)


def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


def _optional_nonnegative(name: str, value: float | None) -> float | None:
    return None if value is None else check_nonnegative(name, value)


# ---------------------------------------------------------------------------------------
# Simulated practice-years
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PracticeYears:
    """Simulated practice-years: every child's cost, needs component and outcome draw.

    Build with :func:`simulate_practice_years`. Arrays are read-only; :meth:`scaled` and
    :meth:`with_extra_child` return new objects.

    Attributes
    ----------
    children : swp_models.costs.PracticeChildren
        Flat child costs (£ per child per year), components, year offsets, counts, totals.
    outcome_draws : numpy.ndarray
        One uniform draw per child on 0..65535 (uint16): the child has an outcome of probability
        ``p`` when its draw is below ``round(p * 65536)``, so contracts with different
        probabilities stay paired. Probabilities are thus resolved to 1/65,536 (about
        0.000015), which is harmless here and halves the time the draws take.
    cost_model : CostModel
    caseload : Caseload
    fixed_cost : float, default 0
        What the practice pays each year whatever its children (its staff and office:
        chapter 4's budget), £ per practice-year, >= 0. Added to every year's total.
    staff_per_child : float, default 0
        The part of each child's cost that is the practice's own (fixed) staff, £ per child
        per year, >= 0: it is inside every child's cost and is taken out of the total once
        per child, so that an extra child adds only its variable cost. See
        :class:`swp_models.liability.Scope`.
    """

    children: PracticeChildren
    outcome_draws: np.ndarray
    cost_model: CostModel
    caseload: Caseload
    fixed_cost: float = 0.0
    staff_per_child: float = 0.0

    def __post_init__(self) -> None:
        _set(self, "fixed_cost", check_nonnegative("fixed_cost", self.fixed_cost))
        _set(self, "staff_per_child", check_nonnegative("staff_per_child", self.staff_per_child))
        for arr in (
            self.children.costs,
            self.children.components,
            self.children.offsets,
            self.children.counts,
            self.children.component_counts,
            self.children.totals,
            self.outcome_draws,
        ):
            arr.setflags(write=False)

    # -- views -----------------------------------------------------------------------

    @property
    def costs(self) -> np.ndarray:
        """Annual cost of each child, £ (flat, year by year)."""
        return self.children.costs

    @property
    def components(self) -> np.ndarray:
        """Component index of each child (into ``cost_model.components``)."""
        return self.children.components

    @property
    def offsets(self) -> np.ndarray:
        """Index of each year's first child, with the number of children appended."""
        return self.children.offsets

    @property
    def counts(self) -> np.ndarray:
        """Children in each practice-year."""
        return self.children.counts

    @cached_property
    def totals(self) -> np.ndarray:
        """Total cost ``C`` of each practice-year, £: the fixed cost plus the children's variable costs."""
        if self.fixed_cost == 0 and self.staff_per_child == 0:
            return self.children.totals
        out = self.children.totals + (self.fixed_cost - self.staff_per_child * self.counts)
        out.setflags(write=False)
        return out

    @property
    def component_counts(self) -> np.ndarray:
        """Children of each component in each year, shape ``(n_years, n_components)``."""
        return self.children.component_counts

    @property
    def n_years(self) -> int:
        """Number of practice-years."""
        return int(self.counts.size)

    @property
    def n_children(self) -> int:
        """Number of child-years over all practice-years."""
        return int(self.costs.size)

    @cached_property
    def year_index(self) -> np.ndarray:
        """Practice-year of each child (int32)."""
        return np.repeat(np.arange(self.n_years, dtype=np.int32), self.counts)

    @cached_property
    def group_counts(self) -> np.ndarray:
        """Children recorded in each needs group (exceptional children in the top group), per year."""
        out = np.zeros((self.n_years, len(self.cost_model.groups)), dtype=np.int64)
        for k, g in enumerate(self.cost_model.recorded_group):
            out[:, g] += self.component_counts[:, k]
        return out

    @property
    def expected_total(self) -> float:
        """Exact expected total cost ``E[C]`` of a practice-year under the model, £."""
        children = total_cost_moments(self.cost_model, self.caseload).mean
        return children + self.fixed_cost - self.staff_per_child * self.caseload.expected

    def child_rates(self) -> dict[str, float]:
        """Expected cost of a child of each recorded needs group with its share of the fixed cost, £ a year.

        ``mean_g - staff_per_child + fixed_cost / E[N]``: a payment per child at these rates
        pays the expected total on average (the rates of risk-adjusted capitation).
        """
        share = self.fixed_cost / self.expected_count - self.staff_per_child
        return {g: m + share for g, m in self.cost_model.recorded_means().items()}

    def flat_rate(self) -> float:
        """Expected total cost per expected child, ``E[C] / E[N]``, £ a year (a flat capitation rate)."""
        return self.expected_total / self.expected_count

    def _rebuilt(self, kids: PracticeChildren, model: CostModel | None = None, factor: float = 1.0) -> PracticeYears:
        return PracticeYears(kids, self.outcome_draws, self.cost_model if model is None else model, self.caseload,
                             self.fixed_cost * factor, self.staff_per_child * factor)

    @property
    def expected_count(self) -> float:
        """Expected caseload ``E[N]``, children."""
        return self.caseload.expected

    def sum_by_year(self, values: np.ndarray) -> np.ndarray:
        """Sum a per-child array within each practice-year (booleans are counted)."""
        arr = np.asarray(values)
        if arr.shape != self.costs.shape:
            raise ValueError(f"values must have one entry per child ({self.n_children}); got shape {arr.shape}")
        if arr.dtype == bool:
            counts = np.add.reduceat(arr.view(np.int8), self.offsets[:-1], dtype=np.int32)
            return counts.astype(np.int64)
        return np.add.reduceat(arr, self.offsets[:-1])

    def sum_above(self, threshold: float) -> np.ndarray:
        """``sum_i max(c_i - threshold, 0)`` within each practice-year, £.

        Only the children above the threshold are touched, so this is much cheaper than a
        pass over every child when few exceed it.
        """
        t = check_nonnegative("threshold", threshold)
        idx = np.flatnonzero(self.costs > t)
        year = np.searchsorted(self.offsets, idx, side="right") - 1
        return np.bincount(year, weights=self.costs[idx] - t, minlength=self.n_years)

    def outcome_counts(self, probability: float) -> np.ndarray:
        """Children with the outcome in each year when each has it with ``probability``."""
        p = check_probability("probability", probability)
        cut = int(round(p * _DRAW_LEVELS))
        if cut >= _DRAW_LEVELS:
            return self.counts.copy()
        return self.sum_by_year(self.outcome_draws < np.uint16(cut))

    # -- derived samples -------------------------------------------------------------

    def scaled(self, factor: float) -> PracticeYears:
        """The same children with every child's cost multiplied by ``factor`` (> 0).

        The cost model, the fixed cost and the staff cost per child are kept, so terms set
        from expected costs do not follow: this is the perturbation behind the power of
        incentive. :func:`rescaled` moves everything together.
        """
        f = check_positive("factor", factor)
        kids = replace(self.children, costs=self.costs * f, totals=self.children.totals * f)
        return self._rebuilt(kids)

    def with_extra_child(
        self, cost: np.ndarray, component: int, outcome_draw: np.ndarray
    ) -> PracticeYears:
        """The same years with one more child of ``component`` in each year.

        Parameters
        ----------
        cost : numpy.ndarray
            The extra child's cost in each year, £ (length ``n_years``, each >= 0).
        component : int
            Its component index.
        outcome_draw : numpy.ndarray
            Its uint16 outcome draw in each year (length ``n_years``), as in :attr:`outcome_draws`.
        """
        cost = np.asarray(cost, dtype=float)
        draw = np.asarray(outcome_draw)
        k = check_integer("component", component, low=0, high=len(self.cost_model.components) - 1)
        if cost.shape != (self.n_years,) or draw.shape != (self.n_years,):
            raise ValueError(f"cost and outcome_draw must have one entry per year ({self.n_years})")
        if np.isnan(cost).any() or (cost < 0).any():
            raise ValueError("cost must be >= 0 and not NaN in every year")
        if draw.dtype != np.uint16:
            raise ValueError(f"outcome_draw must be uint16 draws on 0..65535; got dtype {draw.dtype}")
        ends = self.offsets[1:]
        comp_counts = self.component_counts.copy()
        comp_counts[:, k] += 1
        kids = PracticeChildren(
            costs=np.insert(self.costs, ends, cost),
            components=np.insert(self.components, ends, np.int8(k)),
            offsets=self.offsets + np.arange(self.n_years + 1),
            counts=self.counts + 1,
            component_counts=comp_counts,
            totals=self.children.totals + cost,
        )
        return PracticeYears(kids, np.insert(self.outcome_draws, ends, draw), self.cost_model, self.caseload,
                             self.fixed_cost, self.staff_per_child)


def simulate_practice_years(
    cost_model: CostModel, caseload: int | Caseload, n_years: int, seed: SeedLike
) -> PracticeYears:
    """Simulate ``n_years`` independent practice-years on which to price contracts.

    The children (caseload, needs components, costs) are those of
    :func:`swp_models.costs.simulate_practice_costs` with the same seed; one 16-bit
    uniform outcome draw per child follows from the same random stream.

    Parameters
    ----------
    cost_model : CostModel
    caseload : int or Caseload
    n_years : int
        Practice-years, >= 1.
    seed : int or numpy.random.Generator
    """
    rng = _rng(seed)
    load = _as_caseload(caseload)
    kids = draw_practice_children(cost_model, load, n_years, rng)
    draws = rng.integers(0, _DRAW_LEVELS, size=kids.costs.size, dtype=np.uint16)
    return PracticeYears(kids, draws, cost_model, load)


# ---------------------------------------------------------------------------------------
# Contracts
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Contract(ABC):
    """A way of paying a practice: a payment for each practice-year.

    Every contract takes these two keyword-only parameters.

    Parameters
    ----------
    admin_cost_per_year : float, default 0
        Council's cost of running the contract, £ per practice-year, >= 0.
    admin_cost_per_child : float, default 0
        Council's cost of running the contract, £ per child per year, >= 0.
    """

    admin_cost_per_year: float = 0.0
    admin_cost_per_child: float = 0.0

    def __post_init__(self) -> None:
        _set(self, "admin_cost_per_year", check_nonnegative("admin_cost_per_year", self.admin_cost_per_year))
        _set(self, "admin_cost_per_child", check_nonnegative("admin_cost_per_child", self.admin_cost_per_child))

    @property
    def label(self) -> str:
        """Short name for tables."""
        return type(self).__name__

    @abstractmethod
    def payment(self, years: PracticeYears) -> np.ndarray:
        """Council's payment to the practice in each practice-year, £."""

    def surplus(self, years: PracticeYears) -> np.ndarray:
        """Practice's surplus ``payment - cost`` in each practice-year, £."""
        return self.payment(years) - years.totals

    def admin_cost(self, years: PracticeYears) -> np.ndarray:
        """Council's administrative cost in each practice-year, £."""
        return self.admin_cost_per_year + self.admin_cost_per_child * years.counts.astype(float)


def _baseline(value: float | None, years: PracticeYears) -> float:
    return years.expected_total if value is None else value


@dataclass(frozen=True)
class Block(Contract):
    """A fixed annual payment, whatever the caseload or the children's costs.

    Parameters
    ----------
    amount : float, optional
        The annual payment, £ per practice-year, >= 0; default the expected total cost
        ``E[C]``. (The payment in each simulated year is the method :meth:`payment`.)
    """

    amount: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _set(self, "amount", _optional_nonnegative("amount", self.amount))

    @property
    def label(self) -> str:
        return "Block"

    def payment(self, years: PracticeYears) -> np.ndarray:
        return np.full(years.n_years, _baseline(self.amount, years))


@dataclass(frozen=True)
class FullReimbursement(Contract):
    """The council pays the practice's actual cost ``C`` (capitation perfectly adjusted to cost)."""

    @property
    def label(self) -> str:
        return "Full reimbursement"

    def payment(self, years: PracticeYears) -> np.ndarray:
        return years.totals.copy()


@dataclass(frozen=True)
class Capitation(Contract):
    """A payment per child: a rate for each needs group (risk-adjusted) or one flat rate.

    Exactly one of ``rate_by_group`` and ``flat_rate`` is given.

    Parameters
    ----------
    rate_by_group : mapping, optional
        ``{needs group: £ per child per year}``, each >= 0, covering every group of the cost
        model priced on. Exceptional children are paid at their recorded (top) group's rate.
    flat_rate : float, optional
        £ per child per year, >= 0.

    Notes
    -----
    With rates equal to the true mean cost of each recorded group
    (:meth:`risk_adjusted`) the practice bears only the variation of cost within groups,
    not that of caseload or case mix. The practice keeps every £ it saves on a child, so
    its incentive to control cost is full; the report's concern (s.6.1.6) is a capitation
    rate set from each child's *actual* cost, which is :class:`FullReimbursement`.
    """

    rate_by_group: Mapping[str, float] | None = None
    flat_rate: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if (self.rate_by_group is None) == (self.flat_rate is None):
            raise ValueError(
                "rate_by_group and flat_rate: give exactly one of them; "
                f"got rate_by_group={self.rate_by_group!r}, flat_rate={self.flat_rate!r}"
            )
        if self.rate_by_group is not None:
            if not isinstance(self.rate_by_group, Mapping) or not self.rate_by_group:
                raise ValueError(f"rate_by_group must be a non-empty mapping of group to rate; got {self.rate_by_group!r}")
            rates = {str(g): check_nonnegative(f"rate_by_group[{g}]", r) for g, r in self.rate_by_group.items()}
            _set(self, "rate_by_group", MappingProxyType(rates))
        else:
            _set(self, "flat_rate", check_nonnegative("flat_rate", self.flat_rate))

    @classmethod
    def risk_adjusted(cls, cost_model: CostModel, **admin: float) -> Capitation:
        """Capitation at the true mean cost of each recorded needs group."""
        return cls(rate_by_group=cost_model.recorded_means(), **admin)

    @classmethod
    def flat(cls, cost_model: CostModel, **admin: float) -> Capitation:
        """Capitation at the mean cost of all children."""
        return cls(flat_rate=cost_model.mean, **admin)

    @property
    def label(self) -> str:
        return "Capitation (flat)" if self.flat_rate is not None else "Capitation (risk-adjusted)"

    def rates(self, cost_model: CostModel) -> np.ndarray:
        """Rate for each needs group of ``cost_model``, £ per child per year."""
        if self.flat_rate is not None:
            return np.full(len(cost_model.groups), self.flat_rate)
        missing = [g for g in cost_model.groups if g not in self.rate_by_group]
        if missing:
            raise ValueError(f"rate_by_group must give a rate for every needs group; missing {missing}")
        return np.array([self.rate_by_group[g] for g in cost_model.groups])

    def payment(self, years: PracticeYears) -> np.ndarray:
        if self.flat_rate is not None:
            return self.flat_rate * years.counts.astype(float)
        return years.group_counts @ self.rates(years.cost_model)


@dataclass(frozen=True)
class CostAndVolume(Contract):
    """Baseline plus a share of the difference: ``P = B + (1 - s)(C - B)``.

    The practice's surplus is ``s (B - C)``: it bears a share ``s`` of any overspend and
    keeps the same share of any underspend, whether from caseload or cost per child.
    ``s = 1`` is a block contract and ``s = 0`` full reimbursement, exactly.

    Parameters
    ----------
    share : float
        Practice's share ``s``, in [0, 1].
    baseline : float, optional
        ``B``, £ per practice-year, >= 0; default the expected total cost ``E[C]``.
    """

    share: float = field(default=None)  # type: ignore[assignment]
    baseline: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.share is None:
            raise ValueError("share must be given (a number in [0, 1]); got None")
        _set(self, "share", check_probability("share", self.share))
        _set(self, "baseline", _optional_nonnegative("baseline", self.baseline))

    @property
    def label(self) -> str:
        return f"Cost and volume (s = {self.share:g})"

    def payment(self, years: PracticeYears) -> np.ndarray:
        b = _baseline(self.baseline, years)
        # (1 - s) C + s B equals B + (1 - s)(C - B) and is exact at s = 0 and s = 1.
        return (1.0 - self.share) * years.totals + self.share * b


@dataclass(frozen=True)
class ThresholdSharing(Contract):
    """Cost-and-volume with a threshold: the practice bears overspend up to ``T``, the council above.

    With overspend ``D = C - B`` the practice's surplus is
    ``-(min(D, T) + share_above * max(D - T, 0))`` when ``D > 0`` and, on an underspend
    ``U = B - C > 0``, ``min(U, T_s) + surplus_share_above * max(U - T_s, 0)``.

    Parameters
    ----------
    threshold : float
        ``T``, £ per practice-year, >= 0.
    baseline : float, optional
        ``B``, £ per practice-year, >= 0; default ``E[C]``.
    share_above : float, default 0
        Practice's share of overspend beyond ``T``, in [0, 1] (0: the council bears it all,
        as the report describes).
    surplus_threshold : float, optional
        ``T_s``: the practice keeps all underspend up to it, £ >= 0. Default ``None``: the
        practice keeps all underspend (no surplus sharing).
    surplus_share_above : float, default 0
        Practice's share of underspend beyond ``T_s``, in [0, 1].
    baseline_discount : float, default 0
        With no ``baseline`` given, ``B = (1 - baseline_discount) E[C]``; in [0, 1). A
        threshold that keeps the practice's losses small but leaves it every underspend
        pays more than the expected cost on average at ``B = E[C]``; :func:`balanced`
        finds the discount at which it pays the expected cost.
    """

    threshold: float = field(default=None)  # type: ignore[assignment]
    baseline: float | None = None
    share_above: float = 0.0
    surplus_threshold: float | None = None
    surplus_share_above: float = 0.0
    baseline_discount: float = 0.0

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.threshold is None:
            raise ValueError("threshold must be given (£ per practice-year, >= 0); got None")
        _set(self, "threshold", check_nonnegative("threshold", self.threshold))
        _set(self, "baseline", _optional_nonnegative("baseline", self.baseline))
        _set(self, "share_above", check_probability("share_above", self.share_above))
        _set(self, "surplus_threshold", _optional_nonnegative("surplus_threshold", self.surplus_threshold))
        _set(self, "surplus_share_above", check_probability("surplus_share_above", self.surplus_share_above))
        _set(self, "baseline_discount", check_in_range("baseline_discount", self.baseline_discount, 0.0, 1.0,
                                                        high_open=True))

    @property
    def label(self) -> str:
        two = "" if self.surplus_threshold is None else "Two-way threshold"
        return f"{two or 'Threshold'} (T = £{self.threshold:,.0f})"

    def year_baseline(self, years: PracticeYears) -> float:
        """The baseline ``B``, £ per practice-year."""
        if self.baseline is not None:
            return self.baseline
        return (1.0 - self.baseline_discount) * years.expected_total

    def practice_surplus(self, totals: np.ndarray, baseline: float) -> np.ndarray:
        """Practice's surplus for totals ``C`` and baseline ``B`` (vectorised), £."""
        over = totals - baseline
        pos = np.maximum(over, 0.0)
        loss = np.minimum(pos, self.threshold) + self.share_above * np.maximum(pos - self.threshold, 0.0)
        under = np.maximum(-over, 0.0)
        if self.surplus_threshold is None:
            gain = under
        else:
            ts = self.surplus_threshold
            gain = np.minimum(under, ts) + self.surplus_share_above * np.maximum(under - ts, 0.0)
        return gain - loss

    def payment(self, years: PracticeYears) -> np.ndarray:
        return years.totals + self.practice_surplus(years.totals, self.year_baseline(years))


def balanced(contract: ThresholdSharing, years: PracticeYears) -> ThresholdSharing:
    """The threshold contract with the baseline discount at which it pays the expected cost on ``years``.

    Solves ``mean(P - C) = 0`` for ``baseline_discount`` (the practice's expected surplus,
    which falls as the baseline falls). A contract with an explicit ``baseline`` is
    returned unchanged: its terms are then the caller's.

    Raises
    ------
    ValueError
        If no discount in [0, 0.5] balances the contract (the practice expects a loss even
        at ``B = E[C]``).
    """
    if not isinstance(contract, ThresholdSharing):
        raise ValueError(f"contract must be a ThresholdSharing; got {contract!r}")
    if contract.baseline is not None:
        return contract
    m = years.expected_total

    def mean_surplus(d: float) -> float:
        return float(np.mean(contract.practice_surplus(years.totals, (1.0 - d) * m)))

    if mean_surplus(0.0) <= 0:
        return replace(contract, baseline_discount=0.0)
    if mean_surplus(0.5) > 0:
        raise ValueError("contract cannot be balanced: the practice expects a surplus even at half the expected cost")
    d = optimize.brentq(mean_surplus, 0.0, 0.5, xtol=1e-12)
    return replace(contract, baseline_discount=float(d))


@dataclass(frozen=True)
class VolumeBand(Contract):
    """A fixed price for a band of caseloads and a per-child price outside it (draft contract Art. 4).

    ``P = B + rate * (max(N - high, 0) - max(low - N, 0))``: the block payment covers any
    caseload from ``low`` to ``high``; each child above the band is paid at ``rate`` and
    each child short of it is deducted at the same rate.

    Parameters
    ----------
    low, high : int
        The band, children, ``0 <= low <= high``.
    rate : float, optional
        £ per child per year outside the band, >= 0; default the expected variable cost of a
        child (the expected cost of the children less the fixed cost, per expected child).
    amount : float, optional
        ``B``, £ per practice-year, >= 0; default the expected total cost less the expected
        payment for children outside the band, so that the contract pays ``E[C]`` on average.
    """

    low: int = field(default=None)  # type: ignore[assignment]
    high: int = field(default=None)  # type: ignore[assignment]
    rate: float | None = None
    amount: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _set(self, "low", check_integer("low", self.low, low=0))
        _set(self, "high", check_integer("high", self.high, low=self.low))
        _set(self, "rate", _optional_nonnegative("rate", self.rate))
        _set(self, "amount", _optional_nonnegative("amount", self.amount))

    @property
    def label(self) -> str:
        return f"Volume band ({self.low}-{self.high} children)"

    def year_rate(self, years: PracticeYears) -> float:
        """The per-child rate outside the band, £ a year."""
        if self.rate is not None:
            return self.rate
        return (years.expected_total - years.fixed_cost) / years.expected_count

    def outside(self, years: PracticeYears) -> np.ndarray:
        """Children above the band (positive) or short of it (negative), per year."""
        n = years.counts.astype(float)
        return np.maximum(n - self.high, 0.0) - np.maximum(self.low - n, 0.0)

    def payment(self, years: PracticeYears) -> np.ndarray:
        rate = self.year_rate(years)
        extra = rate * self.outside(years)
        if self.amount is not None:
            return self.amount + extra
        ns, probs = _caseload_distribution(years.caseload)
        ns = ns.astype(float)
        expected_outside = float(np.dot(probs, np.maximum(ns - self.high, 0.0) - np.maximum(self.low - ns, 0.0)))
        return years.expected_total - rate * expected_outside + extra


@dataclass(frozen=True)
class HighCostReinsurance(Contract):
    """A block payment plus the council paying for any child's cost above a per-child threshold.

    ``P = B + council_share * sum_i max(c_i - t, 0)``.

    Parameters
    ----------
    per_child_threshold : float
        ``t``, £ per child per year, >= 0.
    amount : float, optional
        Block part ``B``, £ per practice-year, >= 0; default the expected cost net of the
        expected reinsured amount, ``E[C] - council_share E[N] E[max(c - t, 0)]``, so the
        practice's expected surplus is zero.
    council_share : float, default 1
        Share of the cost above ``t`` the council pays, in [0, 1].
    """

    per_child_threshold: float = field(default=None)  # type: ignore[assignment]
    amount: float | None = None
    council_share: float = 1.0

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.per_child_threshold is None:
            raise ValueError("per_child_threshold must be given (£ per child per year, >= 0); got None")
        _set(self, "per_child_threshold", check_nonnegative("per_child_threshold", self.per_child_threshold))
        _set(self, "amount", _optional_nonnegative("amount", self.amount))
        _set(self, "council_share", check_probability("council_share", self.council_share))

    @property
    def label(self) -> str:
        return f"Reinsurance (t = £{self.per_child_threshold:,.0f})"

    def block_part(self, years: PracticeYears) -> float:
        """The block part ``B`` of the payment, £ per practice-year."""
        if self.amount is not None:
            return self.amount
        excess = years.cost_model.expected_excess(self.per_child_threshold)
        return years.expected_total - self.council_share * years.expected_count * excess

    def reinsured(self, years: PracticeYears) -> np.ndarray:
        """Cost above the per-child threshold in each practice-year (before ``council_share``), £."""
        return years.sum_above(self.per_child_threshold)

    def payment(self, years: PracticeYears) -> np.ndarray:
        return self.block_part(years) + self.council_share * self.reinsured(years)


@dataclass(frozen=True)
class Outcome:
    """A per-child outcome whose chance the practice partly controls.

    The chance a child has the outcome in a year is
    ``base_probability + effort_gain * effort``.

    Parameters
    ----------
    base_probability : float
        Chance with no extra effort, in [0, 1].
    effort_gain : float, default 0
        Rise in the chance at full effort, in [0, 1 - base_probability].
    effort : float, default 0
        The practice's effort, in [0, 1].
    name : str, default "same_worker_all_year"
        The indicator (the draft contract's "Numbers of children with same social worker
        throughout previous year").
    """

    base_probability: float
    effort_gain: float = 0.0
    effort: float = 0.0
    name: str = "same_worker_all_year"

    def __post_init__(self) -> None:
        p = check_probability("base_probability", self.base_probability)
        _set(self, "base_probability", p)
        _set(self, "effort_gain", check_in_range("effort_gain", self.effort_gain, 0.0, 1.0 - p))
        _set(self, "effort", check_probability("effort", self.effort))
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name must be a non-empty string; got {self.name!r}")

    @property
    def probability(self) -> float:
        """Chance that a child has the outcome."""
        return min(1.0, self.base_probability + self.effort_gain * self.effort)


@dataclass(frozen=True)
class OutcomeBased(Contract):
    """A base payment plus a bonus per child with the outcome, optionally capped.

    ``P = base + min(bonus_per_unit * K, cap)`` where ``K`` is the number of the year's
    children with the outcome. The practice bears all cost risk (the base is fixed) and,
    through the bonus, some outcome risk.

    Parameters
    ----------
    bonus_per_unit : float
        £ per child with the outcome, >= 0.
    outcome : Outcome
    base : float, optional
        £ per practice-year, >= 0; default the expected total cost ``E[C]``, so the
        practice's expected surplus is the expected bonus.
    cap : float, optional
        Largest total bonus in a year, £ >= 0; default no cap.
    """

    bonus_per_unit: float = field(default=None)  # type: ignore[assignment]
    outcome: Outcome = field(default=None)  # type: ignore[assignment]
    base: float | None = None
    cap: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.bonus_per_unit is None:
            raise ValueError("bonus_per_unit must be given (£ per child with the outcome, >= 0); got None")
        _set(self, "bonus_per_unit", check_nonnegative("bonus_per_unit", self.bonus_per_unit))
        if not isinstance(self.outcome, Outcome):
            raise ValueError(f"outcome must be an Outcome; got {self.outcome!r}")
        _set(self, "base", _optional_nonnegative("base", self.base))
        _set(self, "cap", _optional_nonnegative("cap", self.cap))

    @property
    def label(self) -> str:
        capped = "" if self.cap is None else f", cap £{self.cap:,.0f}"
        return f"Outcome-based (£{self.bonus_per_unit:,.0f} a child{capped})"

    def bonus(self, years: PracticeYears) -> np.ndarray:
        """Bonus paid in each practice-year, £."""
        pool = self.bonus_per_unit * years.outcome_counts(self.outcome.probability).astype(float)
        return pool if self.cap is None else np.minimum(pool, self.cap)

    def payment(self, years: PracticeYears) -> np.ndarray:
        return _baseline(self.base, years) + self.bonus(years)


# ---------------------------------------------------------------------------------------
# Risk, incentive, comparison
# ---------------------------------------------------------------------------------------


def risk_aversion(risk_tolerance: float) -> float:
    """The coefficient of absolute risk aversion ``r = 1 / risk_tolerance``, per £.

    Parameters
    ----------
    risk_tolerance : float
        The practice's risk tolerance ``1/r``, £, at least £1; ``math.inf`` for a
        risk-neutral practice (``r = 0``). Risk attitude is given in this one way
        throughout the package: a practice with a tolerance of £250,000 values a 50:50
        chance of gaining or losing £100,000 at about £20,000 below its average.

    Returns
    -------
    float
        ``r`` per £, >= 0.
    """
    if isinstance(risk_tolerance, bool) or not isinstance(risk_tolerance, (Real, np.floating, np.integer)):
        raise TypeError(f"risk_tolerance must be a number of £ (at least 1, or math.inf); got {risk_tolerance!r}")
    t = float(risk_tolerance)
    if t == math.inf:
        return 0.0
    return 1.0 / check_in_range("risk_tolerance", t, 1.0, None)


def risk_premium(surplus: np.ndarray, risk_tolerance: float, exact: bool = True) -> float:
    """What a practice with CARA risk aversion would give up to remove the risk in ``surplus``.

    Parameters
    ----------
    surplus : array-like
        Simulated surpluses, £.
    risk_tolerance : float
        The practice's risk tolerance ``1/r``, £ (>= 1; ``math.inf``: risk-neutral);
        see :func:`risk_aversion`.
    exact : bool, default True
        ``True``: ``E[pi] - CE`` with certainty equivalent ``CE = -ln E[exp(-r pi)] / r``,
        computed stably as ``(logsumexp(-r (pi - mean)) - ln n) / r``. ``False``: the
        mean-variance approximation ``r Var(pi) / 2`` (population variance).

    Returns
    -------
    float
        £ per practice-year; 0 for a risk-neutral practice.
    """
    arr = _surplus_array(surplus)
    r = risk_aversion(risk_tolerance)
    exact = check_flag("exact", exact)
    if r == 0:
        return 0.0
    centred = arr - arr.mean()
    if not exact:
        return float(r * np.mean(centred * centred) / 2.0)
    return float((special.logsumexp(-r * centred) - math.log(arr.size)) / r)


def power_of_incentive(contract: Contract, years: PracticeYears, step: float = 1e-3) -> float:
    """Share of a £ of extra cost the practice bears, by perturbing every child's cost.

    ``1 - (E[P(C (1 + h))] - E[P(C)]) / (h E[C])`` with ``h = step``: 1 for a block
    contract, 0 for full reimbursement, ``s`` for cost-and-volume. A proportional
    perturbation matches the effort model, in which effort cuts every cost by a fraction.
    """
    h = check_in_range("step", step, 0.0, 0.1, low_open=True)
    return _power(contract, years, years.scaled(1.0 + h), contract.payment(years))


def _power(contract: Contract, years: PracticeYears, bumped: PracticeYears, base_payment: np.ndarray) -> float:
    d_cost = float(np.mean(bumped.totals - years.totals))
    d_pay = float(np.mean(contract.payment(bumped) - base_payment))
    return 1.0 - d_pay / d_cost


def _contract_items(contracts: Mapping[str, Contract] | Sequence[Contract]) -> list[tuple[str, Contract]]:
    if isinstance(contracts, Mapping):
        items = list(contracts.items())
    else:
        items = [(c.label, c) for c in contracts]
    if not items:
        raise ValueError("contracts must hold at least one contract")
    for name, c in items:
        if not isinstance(c, Contract):
            raise ValueError(f"contracts[{name!r}] must be a Contract; got {c!r}")
    return items


def compare(
    contracts: Mapping[str, Contract] | Sequence[Contract],
    years: PracticeYears,
    risk_tolerance: float,
    *,
    step: float = 1e-3,
) -> pd.DataFrame:
    """Price contracts on the same practice-years and compare them, one row each.

    Parameters
    ----------
    contracts : mapping or sequence
        ``{name: Contract}``, or Contracts named by their ``label``.
    years : PracticeYears
    risk_tolerance : float
        The practice's risk tolerance ``1/r``, £ (see :func:`risk_aversion`).
    step : float
        Relative cost perturbation for the power of incentive.

    Returns
    -------
    pandas.DataFrame
        Columns (all £ per practice-year unless stated): ``contract``;
        ``practice_mean_surplus``, ``practice_sd_surplus``, ``practice_p_loss``
        (probability), ``practice_surplus_p5`` (5th percentile: the 5% worst case);
        ``council_mean_spend``, ``council_sd_spend``; ``risk_premium_approx``
        (``r Var/2``), ``risk_premium_exact``; ``power`` (share of a marginal £ of cost
        the practice bears); ``admin_cost`` (mean); ``council_total_cost`` =
        ``E[C] + risk_premium_exact + admin_cost``: what the council must expect to pay
        when the baseline is set so that the practice just accepts (certainty
        equivalent zero), with costs unchanged by the contract.
    """
    risk_aversion(risk_tolerance)
    check_instance("years", years, PracticeYears)
    items = _contract_items(contracts)
    h = check_in_range("step", step, 0.0, 0.1, low_open=True)
    bumped = years.scaled(1.0 + h)
    mean_cost = float(years.totals.mean())
    rows = []
    for name, contract in items:
        pay = contract.payment(years)
        surplus = pay - years.totals
        admin = float(contract.admin_cost(years).mean())
        rp_exact = risk_premium(surplus, risk_tolerance, exact=True)
        rows.append(
            {
                "contract": name,
                "practice_mean_surplus": float(surplus.mean()),
                "practice_sd_surplus": float(surplus.std()),
                "practice_p_loss": float(np.mean(surplus < 0)),
                "practice_surplus_p5": float(np.percentile(surplus, 5)),
                "council_mean_spend": float(pay.mean()),
                "council_sd_spend": float(pay.std()),
                "risk_premium_approx": risk_premium(surplus, risk_tolerance, exact=False),
                "risk_premium_exact": rp_exact,
                "power": _power(contract, years, bumped, pay),
                "admin_cost": admin,
                "council_total_cost": mean_cost + rp_exact + admin,
            }
        )
    return pd.DataFrame(rows)


def skimming_gain(
    contract: Contract,
    cost_model: CostModel,
    caseload: int | Caseload | None = None,
    *,
    n_years: int = 20_000,
    seed: SeedLike = 2007,
    scope: Scope | None = None,
) -> pd.DataFrame:
    """The practice's expected gain from taking one more child, by needs group.

    Simulates ``n_years`` practice-years (the practice's own costs under ``scope`` when it
    is given: an extra child then costs the practice its variable cost only), adds one
    child of each needs group to every year (the same standard normal draw for every group, so the groups are paired) and
    prices the contract with and without that child.

    Returns
    -------
    pandas.DataFrame
        One row per needs group: ``group``, ``mean_cost`` (£ per child per year),
        ``gain_extra_child`` (expected change in the practice's surplus from taking one
        more child of that group, £ a year) and ``gain_vs_average`` (that gain minus the
        gain from an extra child drawn at random from all referrals: what the practice
        wins by picking a child of this group instead — the incentive to skim). Under a
        block contract an extra child costs the practice its full mean cost; under a flat
        capitation cheap children are worth taking; under risk-adjusted capitation at
        true group means no group is better than another.
    """
    load = default_caseload() if caseload is None else _as_caseload(caseload)
    if scope is not None and not isinstance(scope, Scope):
        raise ValueError(f"scope must be a Scope or None; got {scope!r}")
    rng = _rng(seed)
    years = simulate_practice_years(cost_model, load, n_years, rng)
    if scope is not None:
        years = scope.apply(years)
    model = years.cost_model
    # Stratified draws for the extra child (one per n-quantile, shuffled), rescaled so the
    # sample mean cost equals the group mean exactly (a factor within about 1e-4 of one):
    # contracts linear in cost then give exact gains.
    strata = (np.arange(years.n_years) + 0.5) / years.n_years
    z = special.ndtri(rng.permutation(strata))
    draw = np.floor(rng.permutation(strata) * _DRAW_LEVELS).astype(np.uint16)
    base = contract.payment(years)
    gains = np.empty(len(cost_model.components))
    for k in range(gains.size):
        extra = np.exp(model.mu[k] + model.sigma[k] * z)
        extra *= model.component_means[k] / extra.mean()
        more = years.with_extra_child(extra, k, draw)
        # The practice's cost rises by the child's variable cost (its cost less any staff cost per child).
        gains[k] = float(np.mean(contract.payment(more) - base - (more.totals - years.totals)))
    weights = cost_model.component_weights
    average = float(np.dot(weights, gains))
    rows = []
    summary = model.group_summary()
    for j, g in enumerate(cost_model.groups):
        sel = cost_model.recorded_group == j
        w = weights[sel]
        gain = float(np.dot(w, gains[sel]) / w.sum()) if w.sum() > 0 else float(gains[j])
        rows.append(
            {
                "group": g,
                "mean_cost": float(summary.loc[j, "mean"]),
                "gain_extra_child": gain,
                "gain_vs_average": gain - average,
            }
        )
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Effort and the optimal share
# ---------------------------------------------------------------------------------------


def _check_effort_cost(effort_cost: float) -> float:
    return check_in_range("effort_cost", effort_cost, 1.0, None)


def _check_shares(share: float | np.ndarray) -> np.ndarray:
    arr = np.asarray(share, dtype=float)
    if np.isnan(arr).any():
        raise ValueError(f"share must not be NaN; got {share!r}")
    if ((arr < 0) | (arr > 1)).any():
        raise ValueError(f"share must be in [0, 1]; got {share!r}")
    return arr


def effort_level(share: float | np.ndarray, effort_cost: float) -> float | np.ndarray:
    """Effort a practice bearing cost share ``s`` chooses: ``e* = s / k``.

    The practice maximises ``s e m - k e**2 m / 2``. ``effort_cost`` (``k``) must be at
    least 1, so that ``e* <= 1`` for every share (effort cannot cut more than all cost).
    """
    s = _check_shares(share)
    k = _check_effort_cost(effort_cost)
    out = s / k
    return float(out) if out.ndim == 0 else out


def council_expected_cost(
    share: float | np.ndarray,
    mean_cost: float,
    var_cost: float,
    risk_tolerance: float,
    effort_cost: float,
) -> float | np.ndarray:
    """Council's expected total cost of a cost-sharing contract with share ``s`` (closed form).

    ``m (1 - s/k) + m s**2 / (2k) + r s**2 var / 2``: expected cost after the practice's
    effort ``e = s/k``, plus the effort cost and the risk premium the council must pay for
    the practice to take part (participation constraint binding; mean-variance risk
    premium on the unscaled cost variance, hence approximate). Vectorised over ``share``.

    Parameters
    ----------
    share : float or numpy.ndarray
        ``s`` in [0, 1].
    mean_cost : float
        ``m``, expected total cost without effort, £ per practice-year, > 0.
    var_cost : float
        ``Var(C)``, £², >= 0.
    risk_tolerance : float
        ``1/r``, £ (see :func:`risk_aversion`).
    effort_cost : float
        ``k`` >= 1.
    """
    s = _check_shares(share)
    m = check_positive("mean_cost", mean_cost)
    v = check_nonnegative("var_cost", var_cost)
    r = risk_aversion(risk_tolerance)
    k = _check_effort_cost(effort_cost)
    out = m * (1 - s / k) + m * s**2 / (2 * k) + r * s**2 * v / 2
    return float(out) if out.ndim == 0 else out


def optimal_share(mean_cost: float, var_cost: float, risk_tolerance: float, effort_cost: float) -> float:
    """Cost share minimising :func:`council_expected_cost`: ``s* = 1 / (1 + r k var / m)``.

    Holmström and Milgrom (1987); Laffont and Tirole (1993). Always in (0, 1]. Arguments
    as :func:`council_expected_cost` (``risk_tolerance`` ``1/r`` in £).
    """
    m = check_positive("mean_cost", mean_cost)
    v = check_nonnegative("var_cost", var_cost)
    r = risk_aversion(risk_tolerance)
    k = _check_effort_cost(effort_cost)
    return 1.0 / (1.0 + r * k * v / m)


@dataclass(frozen=True)
class OptimalShare:
    """The cost share that minimises the council's expected total cost, by simulation.

    Attributes
    ----------
    share : float
        Simulated optimum (grid minimum refined by a bounded scalar search).
    council_cost : float
        Council's expected total cost at that share, £ per practice-year.
    closed_form_share : float
        :func:`optimal_share` with the simulated mean and variance of cost.
    grid : pandas.DataFrame
        One row per share on the grid: ``share``, ``effort``, ``expected_cost``
        (after effort), ``effort_cost``, ``risk_premium_exact``, ``risk_premium_approx``,
        ``council_cost`` (simulated, exact premium), ``council_cost_closed_form``.
    """

    share: float
    council_cost: float
    closed_form_share: float
    grid: pd.DataFrame


def simulated_optimal_share(
    years: PracticeYears,
    risk_tolerance: float,
    effort_cost: float,
    shares: Sequence[float] | np.ndarray | None = None,
) -> OptimalShare:
    """Search cost shares on simulated practice-years, with effort and the exact risk premium.

    For each share ``s`` the practice's effort is ``e = s/k``, every cost is scaled by
    ``1 - e``, and the council's expected total cost is
    ``(1 - e) E[C] + k e**2 E[C] / 2 + RP_exact(s (1 - e) C)``, the participation
    constraint binding. Unlike the closed form, this scales the variance by ``(1 - e)**2``
    and uses the exact CARA premium, which is larger for right-skewed costs.

    Parameters
    ----------
    years : PracticeYears
    risk_tolerance : float
        ``1/r``, £ (see :func:`risk_aversion`).
    effort_cost : float
        ``k`` >= 1.
    shares : array-like, optional
        Grid of shares in [0, 1], 2 to 10,001 of them; default 101 points from 0 to 1.
    """
    check_instance("years", years, PracticeYears)
    r = risk_aversion(risk_tolerance)
    k = _check_effort_cost(effort_cost)
    grid = np.linspace(0.0, 1.0, 101) if shares is None else \
        _check_shares(check_finite_array("shares", shares, min_len=2, max_len=10_001)).ravel()
    if grid.size < 2:
        raise ValueError(f"shares must hold at least two values; got {grid.size}")
    grid = np.unique(grid)
    totals = years.totals
    m = float(totals.mean())
    var = float(totals.var())
    centred = totals - m

    def parts(s: float) -> tuple[float, float, float, float, float]:
        e = s / k
        exp_cost = (1 - e) * m
        eff = k * e * e * m / 2
        rp = risk_premium(-s * (1 - e) * centred, risk_tolerance, exact=True)
        rp_approx = r * (s * (1 - e)) ** 2 * var / 2
        return e, exp_cost, eff, rp, rp_approx

    def council(s: float) -> float:
        _, exp_cost, eff, rp, _ = parts(s)
        return exp_cost + eff + rp

    rows = []
    for s in grid:
        e, exp_cost, eff, rp, rp_approx = parts(float(s))
        rows.append(
            {
                "share": float(s),
                "effort": e,
                "expected_cost": exp_cost,
                "effort_cost": eff,
                "risk_premium_exact": rp,
                "risk_premium_approx": rp_approx,
                "council_cost": exp_cost + eff + rp,
            }
        )
    table = pd.DataFrame(rows)
    table["council_cost_closed_form"] = council_expected_cost(table["share"].to_numpy(), m, var, risk_tolerance, k)
    i = int(table["council_cost"].idxmin())
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    best_s, best_c = float(grid[i]), float(table["council_cost"].iloc[i])
    if hi > lo:
        res = optimize.minimize_scalar(council, bounds=(lo, hi), method="bounded", options={"xatol": 1e-6})
        if res.fun <= best_c:
            best_s, best_c = float(res.x), float(res.fun)
    return OptimalShare(best_s, best_c, optimal_share(m, var, risk_tolerance, k), table)


# ---------------------------------------------------------------------------------------
# Designing a contract: one family that nests the report's cost-based contracts
# ---------------------------------------------------------------------------------------

_BASES = ("fixed", "caseload", "needs")


@dataclass(frozen=True)
class CostSharing(Contract):
    """A baseline with over- and underspend shared: all of it up to ``T``, a share ``s`` beyond.

    With the year's baseline ``B_i`` and cost ``C_i``, ``D = B_i - C_i`` and
    ``D_T = min(max(D, -T), T)``, the practice's surplus is ``D_T + s (D - D_T)``: it
    keeps or bears every £ of under- or overspend up to ``T`` and a share ``s`` of the
    rest. The family nests the report's cost-based contracts: ``s = 1`` is a block
    contract (with a ``"fixed"`` basis) or a capitation (``"caseload"``: flat rate,
    ``"needs"``: rate by needs group); ``s = 0, T = 0`` is full reimbursement; ``T = 0``
    is cost-and-volume with share ``s``; ``s = 0, T > 0`` limits both the practice's loss
    and its gain to ``T``.

    Parameters
    ----------
    share : float
        ``s`` in [0, 1]: the practice's share of over- and underspend beyond ``T``.
    threshold : float, default 0
        ``T``, £ per practice-year, >= 0.
    basis : str, default "fixed"
        How the baseline follows the year's children: ``"fixed"`` (the same every year),
        ``"caseload"`` (in proportion to the number of children) or ``"needs"`` (in
        proportion to the expected cost of the year's children given their recorded
        needs groups).
    baseline : float, optional
        The baseline for an average year, £ per practice-year, >= 0; default the
        expected total cost ``E[C]``. With the ``"caseload"`` and ``"needs"`` bases the
        year's baseline is this times the year's expected cost given its caseload (or
        case mix) divided by ``E[C]``.
    """

    share: float = field(default=None)  # type: ignore[assignment]
    threshold: float = 0.0
    basis: str = "fixed"
    baseline: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.share is None:
            raise ValueError("share must be given (a number in [0, 1]); got None")
        _set(self, "share", check_probability("share", self.share))
        _set(self, "threshold", check_nonnegative("threshold", self.threshold))
        check_one_of("basis", self.basis, _BASES)
        _set(self, "baseline", _optional_nonnegative("baseline", self.baseline))

    @property
    def label(self) -> str:
        return f"Cost sharing (s = {self.share:g}, T = £{self.threshold:,.0f}, {self.basis} baseline)"

    def year_baseline(self, years: PracticeYears) -> np.ndarray:
        """The baseline ``B_i`` of each practice-year, £."""
        b = _baseline(self.baseline, years)
        if self.basis == "fixed":
            return np.full(years.n_years, b)
        if self.basis == "caseload":
            return b * years.counts.astype(float) / years.expected_count
        rates = years.child_rates()
        expected = years.group_counts @ np.array([rates[g] for g in years.cost_model.groups])
        return b * expected / years.expected_total

    def practice_surplus(self, totals: np.ndarray, baselines: np.ndarray | float) -> np.ndarray:
        """Practice's surplus for totals ``C`` and baselines ``B`` (vectorised), £."""
        inner = np.clip(np.asarray(baselines) - totals, -self.threshold, self.threshold)
        return inner + self.share * (baselines - totals - inner)

    def payment(self, years: PracticeYears) -> np.ndarray:
        b = self.year_baseline(years)
        inner = np.clip(b - years.totals, -self.threshold, self.threshold)
        # (1 - s)(C + D_T) + s B equals C + D_T + s (D - D_T); it is exactly B at s = 1 and
        # exactly C at s = 0, T = 0.
        return (1.0 - self.share) * (years.totals + inner) + self.share * b


@dataclass(frozen=True)
class MixedOutcome(Contract):
    """A cost-based contract plus an outcome bonus: the report's "mixed" contract.

    ``P = cost_part.payment + bonus.bonus``: the practice bears the cost risk that
    ``cost_part`` leaves with it and earns ``bonus``'s bonus on top. With a block
    ``cost_part`` this is :class:`OutcomeBased`; with a cost-and-volume ``cost_part`` the
    baseline is no longer fixed, so the practice shares its cost risk with the council.

    Parameters
    ----------
    cost_part : Contract
        Pays for the children's costs (its own administrative costs are ignored: give
        the mixed contract's on this object).
    bonus : OutcomeBased
        Supplies the bonus (its base is ignored).
    """

    cost_part: Contract = field(default=None)  # type: ignore[assignment]
    bonus: OutcomeBased = field(default=None)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.cost_part, Contract):
            raise ValueError(f"cost_part must be a Contract; got {self.cost_part!r}")
        if not isinstance(self.bonus, OutcomeBased):
            raise ValueError(f"bonus must be an OutcomeBased contract; got {self.bonus!r}")

    @property
    def label(self) -> str:
        return f"{self.cost_part.label} + outcome bonus"

    def payment(self, years: PracticeYears) -> np.ndarray:
        return self.cost_part.payment(years) + self.bonus.bonus(years)


# ---------------------------------------------------------------------------------------
# Effort response and who bears which risk
# ---------------------------------------------------------------------------------------


def with_effort(years: PracticeYears, effort: float) -> PracticeYears:
    """The same children after the practice's effort ``e`` has cut every cost by a fraction ``e``.

    Costs and the cost model's group means are both multiplied by ``1 - e``, so every
    baseline or rate that defaults to an expected cost follows: the terms are set knowing
    the effort the contract will call forth.

    Parameters
    ----------
    years : PracticeYears
    effort : float
        ``e`` in [0, 1).
    """
    e = check_in_range("effort", effort, 0.0, 1.0, high_open=True)
    if e == 0:
        return years
    return rescaled(years, 1.0 - e)


def rescaled(years: PracticeYears, factor: float) -> PracticeYears:
    """The same children with every cost, the cost model's means and the fixed cost times ``factor`` (> 0).

    Unlike :meth:`PracticeYears.scaled`, the cost model follows, so every rate or baseline
    that defaults to an expected cost follows too.
    """
    f = check_positive("factor", factor)
    model = replace(years.cost_model, means=tuple(m * f for m in years.cost_model.means))
    kids = replace(years.children, costs=years.costs * f, totals=years.children.totals * f)
    return years._rebuilt(kids, model, f)


def _effort_from_power(name: str, power: float, k: float) -> float:
    # The measured power carries rounding error of order 1e-12 at its natural limits.
    if -1e-9 < power < 0:
        power = 0.0
    if power < 0 or power / k >= 1:
        raise ValueError(
            f"contracts[{name!r}] has a power of incentive of {power:.6g}; the effort model needs "
            f"a power in [0, effort_cost) = [0, {k:g})"
        )
    return power / k


def effort_comparison(
    contracts: Mapping[str, Contract] | Sequence[Contract],
    years: PracticeYears,
    risk_tolerance: float,
    effort_cost: float,
    *,
    step: float = 1e-3,
) -> pd.DataFrame:
    """The council's expected total cost of each contract, with costs fixed and with effort.

    *Costs fixed* is :func:`compare`'s ``council_total_cost``: ``E[C]`` plus the exact
    risk premium plus administration. *With effort*: a contract whose power of incentive
    is ``s`` calls forth effort ``e = s / k``, every cost falls by the fraction ``e``
    (:func:`with_effort`) and the council pays, with the participation constraint
    binding (a lump sum adjusted until the practice just accepts),
    ``(1 - e) E[C] + k e**2 E[C] / 2 + RP + admin``, the risk premium ``RP`` being the
    exact CARA premium of the contract's surplus on the reduced costs.

    Parameters
    ----------
    contracts : mapping or sequence
        ``{name: Contract}``, or Contracts named by their ``label``.
    years : PracticeYears
    risk_tolerance : float
        ``1/r``, £ (see :func:`risk_aversion`).
    effort_cost : float
        ``k`` >= 1.
    step : float
        Relative cost perturbation for the power of incentive.

    Returns
    -------
    pandas.DataFrame
        One row per contract, £ per practice-year unless stated: ``contract``, ``power``
        (share of a marginal £ the practice bears), ``effort`` (fraction of cost cut),
        ``expected_cost_fixed`` (``E[C]``), ``risk_premium_fixed``, ``admin_cost``,
        ``council_cost_fixed``, ``expected_cost_effort`` (``(1 - e) E[C]``),
        ``effort_cost`` (``k e**2 E[C] / 2``), ``risk_premium_effort``,
        ``council_cost_effort`` and ``efficiency_gain`` (cost saved net of the effort
        cost, ``e E[C] - k e**2 E[C] / 2``).
    """
    risk_aversion(risk_tolerance)
    check_instance("years", years, PracticeYears)
    k = _check_effort_cost(effort_cost)
    h = check_in_range("step", step, 0.0, 0.1, low_open=True)
    items = _contract_items(contracts)
    bumped = years.scaled(1.0 + h)
    m = float(years.totals.mean())
    reduced: dict[float, PracticeYears] = {}  # contracts of equal power share one set of reduced costs
    rows = []
    for name, contract in items:
        pay = contract.payment(years)
        power = _power(contract, years, bumped, pay)
        e = _effort_from_power(name, power, k)
        admin = float(contract.admin_cost(years).mean())
        rp_fixed = risk_premium(pay - years.totals, risk_tolerance, exact=True)
        key = round(e, 12)
        if key not in reduced:
            reduced[key] = with_effort(years, e)
        after = reduced[key]
        rp_effort = risk_premium(contract.surplus(after), risk_tolerance, exact=True)
        exp_effort = (1.0 - e) * m
        eff_cost = k * e * e * m / 2.0
        rows.append(
            {
                "contract": name,
                "power": power,
                "effort": e,
                "expected_cost_fixed": m,
                "risk_premium_fixed": rp_fixed,
                "admin_cost": admin,
                "council_cost_fixed": m + rp_fixed + admin,
                "expected_cost_effort": exp_effort,
                "effort_cost": eff_cost,
                "risk_premium_effort": rp_effort,
                "council_cost_effort": exp_effort + eff_cost + rp_effort + admin,
                "efficiency_gain": m - exp_effort - eff_cost,
            }
        )
    return pd.DataFrame(rows)


def risk_sharing(contracts: Mapping[str, Contract] | Sequence[Contract], years: PracticeYears) -> pd.DataFrame:
    """Share of each kind of cost risk that each contract leaves with the practice.

    A year's cost is split into three parts, uncorrelated in the model: *caseload*
    ``X1 = N mean(c)``; *case mix* ``X2 = sum_g N_g mean_g - X1`` (which needs groups the
    children fall in, given their number); and *cost within group*
    ``X3 = C - sum_g N_g mean_g``. The practice's share of each part is its coefficient in
    the least-squares regression of ``-pi`` on the three parts together: 1 when every £ of
    that part falls on the practice's surplus, 0 when the council pays it all. A contract
    whose surplus is a linear function of the parts (block, capitation, cost and volume,
    full reimbursement) gets its shares exactly, whatever the sample.

    Returns
    -------
    pandas.DataFrame
        One row per contract: ``contract``, ``caseload``, ``case_mix``, ``within_group``
        and ``overall`` (the slope of ``-pi`` on ``C`` alone); NaN for a part that does not
        vary (a fixed caseload, or a single needs group).
    """
    items = _contract_items(contracts)
    model = years.cost_model
    rates = np.array([model.recorded_means()[g] for g in model.groups])
    d = years.staff_per_child
    x1 = (model.mean - d) * years.counts.astype(float)
    expected = years.group_counts @ rates - d * years.counts
    parts = {"caseload": x1, "case_mix": expected - x1, "within_group": years.totals - years.fixed_cost - expected}
    centred = {key: x - x.mean() for key, x in parts.items()}
    # A part that varies by less than a penny in a year is treated as fixed.
    varying = [key for key, x in centred.items() if float(np.mean(x * x)) > 1e-4]
    design = np.column_stack([centred[key] for key in varying]) if varying else np.empty((years.n_years, 0))
    total = years.totals - years.totals.mean()
    var_total = float(np.mean(total * total))
    rows = []
    for name, contract in items:
        surplus = contract.surplus(years)
        y = surplus.mean() - surplus
        row: dict[str, object] = {"contract": name}
        coef = np.linalg.lstsq(design, y, rcond=None)[0] if varying else np.empty(0)
        fitted = dict(zip(varying, coef))
        for key in parts:
            row[key] = float(fitted[key]) if key in fitted else float("nan")
        row["overall"] = float(np.mean(y * total) / var_total) if var_total > 1e-4 else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Chapter 5: the contracts on the page
# ---------------------------------------------------------------------------------------

#: Practice-years simulated for the chapter's comparisons, and the seed.
CHAPTER_YEARS = 100_000
CHAPTER_SEED = 2007
#: Practice-years behind the precomputed design and trade-off grids (fewer, so the book builds fast).
GRID_YEARS = 20_000

#: Grid of the "design your contract" chart: practice's share beyond the threshold, the
#: threshold (£ a year), the practice's risk tolerance 1/r (£) and how the baseline follows the year.
DESIGN_SHARES: tuple[float, ...] = tuple(round(0.05 * i, 2) for i in range(21))
DESIGN_THRESHOLDS: tuple[float, ...] = (0.0, 25_000.0, 50_000.0, 100_000.0, 200_000.0)
DESIGN_TOLERANCES: tuple[float, ...] = (100_000.0, 250_000.0, 500_000.0, 1_000_000.0)
DESIGN_BASES: tuple[str, ...] = _BASES
#: Reserves on the design chart, months of the practice's running cost.
DESIGN_RESERVE_MONTHS: tuple[float, ...] = (1.0, 3.0, 6.0)
#: Grid of the trade-off chart: risk tolerance 1/r (£) and effort cost k.
FRONTIER_TOLERANCES: tuple[float, ...] = (100_000.0, 250_000.0, 500_000.0, 1_000_000.0, 2_000_000.0)
FRONTIER_EFFORT_COSTS: tuple[float, ...] = (5.0, 10.0, 20.0, 40.0)
FRONTIER_SHARES: tuple[float, ...] = tuple(round(0.025 * i, 3) for i in range(41))

#: The report's four families, and the contract names the chapter uses for each.
FAMILIES: tuple[str, ...] = ("Block", "Capitation", "Cost and volume", "Outcome-based")


#: Contract terms :func:`default_contracts` reads from the assumptions log unless given.
CONTRACT_TERMS: tuple[str, ...] = (
    "cost_share", "overspend_threshold", "reinsurance_threshold", "outcome_bonus", "outcome_base_probability",
    "outcome_effort_gain", "outcome_effort", "admin_contract_management", "admin_cost_audit",
    "admin_needs_assessment", "admin_outcome_monitoring", "volume_band_margin",
)


def default_contracts(cost_model: CostModel | None = None, *, scope: Scope | str | None = None,
                      years: PracticeYears | None = None, **terms: float) -> dict[str, Contract]:
    """The book's eleven named contracts, with any of their terms changed: the one set of them.

    The chapter, the live explorer, the sensitivity analysis and the benchmark all take
    their contracts from here (:func:`chapter_contracts` is this set priced for the
    chapter's simulated years).

    Parameters
    ----------
    cost_model : CostModel, optional
        Sets the capitation rates; default :func:`swp_models.costs.default_cost_model`.
    scope : swp_models.liability.Scope or str, optional
        What the practice pays for (a :class:`~swp_models.liability.Scope`, or a name of
        :data:`~swp_models.liability.SCOPES` for its default); sets the capitation rates (the
        expected cost of a child in the scope, with its share of the fixed budget). Default:
        the children's costs alone, as :func:`swp_models.liability.Scope` never applied.
    years : PracticeYears, optional
        The practice-years the contracts will be priced on (with the scope applied): the
        two threshold contracts are then :func:`balanced` on them, so that they pay the
        expected cost on average like every other contract without a bonus. Without
        ``years`` their baseline is the expected cost.
    **terms : float
        Any of :data:`CONTRACT_TERMS` (the ``parameter`` names of
        ``data/assumptions_contracts.csv``, in the units given there); the others take
        their values from that table.

    Returns
    -------
    dict
        ``{name: Contract}`` in the order of the report's four families: block, and block
        within a volume band (Art. 4); capitation at a flat rate, by needs group and at
        actual cost (full reimbursement); cost and volume, threshold, threshold both ways
        (underspend beyond the threshold returned to the council: the s.7 cap on surplus)
        and per-child reinsurance; outcome-based on a fixed base and on a cost-and-volume
        base (the mixed contract).
    """
    unknown = sorted(set(terms) - set(CONTRACT_TERMS))
    if unknown:
        raise ValueError(f"terms must be among {list(CONTRACT_TERMS)}; got {unknown}")
    model = default_cost_model() if cost_model is None else check_instance("cost_model", cost_model, CostModel)
    if isinstance(scope, str):
        scope = default_scope(check_one_of("scope", scope, SCOPES))
    elif scope is not None:
        check_instance("scope", scope, Scope, "Scope, a scope name or None")
    v = {name: (terms[name] if name in terms else assumption(name)) for name in CONTRACT_TERMS}
    manage, audit = v["admin_contract_management"], v["admin_cost_audit"]
    assess, monitor = v["admin_needs_assessment"], v["admin_outcome_monitoring"]
    outcome = Outcome(base_probability=v["outcome_base_probability"], effort_gain=v["outcome_effort_gain"],
                      effort=v["outcome_effort"])
    cv = CostAndVolume(share=v["cost_share"], admin_cost_per_year=manage + audit)
    if years is not None:
        check_instance("years", years, PracticeYears, "PracticeYears or None")
    threshold = ThresholdSharing(threshold=v["overspend_threshold"], admin_cost_per_year=manage + audit)
    both = ThresholdSharing(threshold=v["overspend_threshold"], surplus_threshold=v["overspend_threshold"],
                            admin_cost_per_year=manage + audit)
    if years is not None:
        threshold, both = balanced(threshold, years), balanced(both, years)
    centre = default_caseload().mean
    width = check_in_range("volume_band_margin", v["volume_band_margin"], 0.0, float(centre))
    if width != int(width):
        raise ValueError(f"volume_band_margin must be a whole number of children; got {width!r}")
    margin = int(width)
    band = VolumeBand(low=centre - margin, high=centre + margin, admin_cost_per_year=manage)
    reins = HighCostReinsurance(v["reinsurance_threshold"], admin_cost_per_year=manage + audit)
    bonus = OutcomeBased(bonus_per_unit=v["outcome_bonus"], outcome=outcome, admin_cost_per_year=manage + monitor)
    if scope is None:
        flat = Capitation.flat(model, admin_cost_per_year=manage)
        needs = Capitation.risk_adjusted(model, admin_cost_per_year=manage, admin_cost_per_child=assess)
    else:
        load = default_caseload()
        flat = Capitation(flat_rate=scope.flat_rate(model, load), admin_cost_per_year=manage)
        needs = Capitation(rate_by_group=scope.child_rates(model, load), admin_cost_per_year=manage,
                           admin_cost_per_child=assess)
    return {
        "Block": Block(admin_cost_per_year=manage),
        f"Volume band, {band.low}-{band.high} children": band,
        "Capitation, flat rate": flat,
        "Capitation by needs group": needs,
        "Full reimbursement": FullReimbursement(admin_cost_per_year=manage + audit, admin_cost_per_child=assess),
        f"Cost and volume, {100 * cv.share:g}% shared": cv,
        f"Threshold at £{threshold.threshold / 1000:,.0f}k": threshold,
        f"Two-way threshold at £{both.threshold / 1000:,.0f}k": both,
        f"Reinsurance above £{reins.per_child_threshold / 1000:,.0f}k a child": reins,
        "Outcome: fixed base + bonus": bonus,
        "Mixed: cost and volume + bonus": MixedOutcome(cost_part=cv, bonus=bonus,
                                                       admin_cost_per_year=manage + audit + monitor),
    }


def contract_family(contract: Contract) -> str:
    """Which of the report's four families (:data:`FAMILIES`) a contract belongs to."""
    if isinstance(contract, (OutcomeBased, MixedOutcome)):
        return "Outcome-based"
    if isinstance(contract, (Block, VolumeBand)):
        return "Block"
    if isinstance(contract, (Capitation, FullReimbursement)):
        return "Capitation"
    if isinstance(contract, (CostAndVolume, ThresholdSharing, HighCostReinsurance, CostSharing)):
        return "Cost and volume"
    raise ValueError(f"contract must be one of the simulator's contracts; got {contract!r}")


def chapter_defaults() -> dict[str, float]:
    """The chapter's default risk tolerance ``1/r`` (£) and effort cost ``k``, from the assumptions."""
    return {"risk_tolerance": assumption("risk_tolerance"), "effort_cost": assumption("effort_cost")}


@lru_cache(maxsize=4)
def chapter_years(n_years: int = CHAPTER_YEARS, seed: int = CHAPTER_SEED) -> PracticeYears:
    """The chapter's simulated practice-years: the default cost model and caseload (cached)."""
    return simulate_practice_years(default_cost_model(), default_caseload(), n_years, seed)


@lru_cache(maxsize=4)
def chapter_scope_years(scope: str = "placements", n_years: int = CHAPTER_YEARS,
                        seed: int = CHAPTER_SEED) -> PracticeYears:
    """:func:`chapter_years` as the practice's own costs under a scope (``"social_work"`` or ``"placements"``)."""
    check_one_of("scope", scope, SCOPES)
    return default_scope(scope).apply(chapter_years(n_years, seed))


def chapter_contracts(scope: str = "placements") -> dict[str, Contract]:
    """:func:`default_contracts` for ``scope``, priced for the chapter's years (:func:`chapter_scope_years`).

    The threshold contracts are balanced on those years; every other term is the
    assumption's. Cached.
    """
    check_one_of("scope", scope, SCOPES)
    return dict(_chapter_contracts(scope))


@lru_cache(maxsize=2)
def _chapter_contracts(scope: str) -> dict[str, Contract]:
    return default_contracts(chapter_years().cost_model, scope=scope, years=chapter_scope_years(scope))


@lru_cache(maxsize=2)
def _chapter_table(scope: str) -> pd.DataFrame:
    years = chapter_scope_years(scope)
    contracts = chapter_contracts(scope)
    d = chapter_defaults()
    fixed = compare(contracts, years, d["risk_tolerance"])
    effort = effort_comparison(contracts, years, d["risk_tolerance"], d["effort_cost"])
    split = risk_sharing(contracts, years)
    fail = failure_comparison(contracts, years, chapter_reserves(scope), term_years=int(assumption("contract_term_years")),
                              failure_cost=assumption("failure_cost"), risk_tolerance=d["risk_tolerance"])
    out = fixed.merge(effort.drop(columns=["admin_cost", "power"]), on="contract").merge(split, on="contract")
    out = out.merge(fail.drop(columns=["risk_premium"]), on="contract")
    out.insert(1, "family", [contract_family(c) for c in contracts.values()])
    return out


def chapter_reserves(scope: str = "placements", months: float | None = None) -> float:
    """The practice's reserves, £: ``months`` (default the assumption ``reserve_months``) of chapter 4's budget.

    The same for both scopes: reserves are measured against the practice's own running cost.
    """
    check_one_of("scope", scope, SCOPES)
    m = assumption("reserve_months") if months is None else months
    return reserves_from_months(m, default_scope(scope).fixed_cost)


def chapter_table(scope: str = "placements") -> pd.DataFrame:
    """Every per-contract figure of the chapter, one row per contract of :func:`chapter_contracts`.

    Priced on :func:`chapter_scope_years` with the default risk aversion and effort cost:
    the columns of :func:`compare`, of :func:`effort_comparison` (without its duplicates
    ``admin_cost`` and ``power``), of :func:`risk_sharing` and of
    :func:`swp_models.liability.failure_comparison` (with ``risk_premium`` dropped), plus
    ``family``.

    Parameters
    ----------
    scope : str
        ``"placements"`` (the practice pays for social work and placements) or
        ``"social_work"`` (the council keeps the placement budget).
    """
    check_one_of("scope", scope, SCOPES)
    return _chapter_table(scope).copy()


@lru_cache(maxsize=2)
def _chapter_optimum(scope: str) -> OptimalShare:
    d = chapter_defaults()
    return simulated_optimal_share(chapter_scope_years(scope), d["risk_tolerance"], d["effort_cost"])


def chapter_optimum(scope: str = "placements") -> OptimalShare:
    """The cost-and-volume share that minimises the council's expected cost, on the chapter's years under ``scope``."""
    check_one_of("scope", scope, SCOPES)
    return _chapter_optimum(scope)


@lru_cache(maxsize=2)
def _skimming_table(scope: str) -> pd.DataFrame:
    model = default_cost_model()
    frames = []
    for name, contract in chapter_contracts(scope).items():
        gains = skimming_gain(contract, model, default_caseload(), n_years=GRID_YEARS, seed=CHAPTER_SEED,
                              scope=default_scope(scope))
        gains.insert(0, "contract", name)
        gains["gain_average_child"] = gains["gain_extra_child"] - gains["gain_vs_average"]
        frames.append(gains)
    return pd.concat(frames, ignore_index=True)


def skimming_table(scope: str = "placements") -> pd.DataFrame:
    """:func:`skimming_gain` for every chapter contract under ``scope``, stacked.

    Columns ``contract``, ``group``, ``mean_cost``, ``gain_extra_child``,
    ``gain_vs_average`` and ``gain_average_child`` (the gain from one more child drawn
    from all referrals: the incentive to take on, or turn away, children), £ a year.
    """
    check_one_of("scope", scope, SCOPES)
    return _skimming_table(scope).copy()


@lru_cache(maxsize=4)
def _needs_mix_comparison(n_years: int, seed: int) -> pd.DataFrame:
    from .costs import needs_mix_models

    d = chapter_defaults()
    r, k = d["risk_tolerance"], d["effort_cost"]  # r: the risk tolerance, £
    scope = default_scope("placements")
    reserves = chapter_reserves("placements")
    term = int(assumption("contract_term_years"))
    rows = []
    for label, model in needs_mix_models().items():
        years = scope.apply(simulate_practice_years(model, default_caseload(), n_years, seed))
        contracts = default_contracts(model, scope=scope, years=years)
        block = {"Block": contracts["Block"]}
        fixed = compare(block, years, r).iloc[0]
        fail = failure_comparison(block, years, reserves, term_years=term, failure_cost=assumption("failure_cost"),
                                  risk_tolerance=r).iloc[0]
        effort = effort_comparison(contracts, years, r, k).set_index("contract")["council_cost_effort"].sort_values()
        totals = years.totals
        rows.append({
            "mix": label,
            "expected_cost": years.expected_total,
            "sd_cost": float(totals.std()),
            "block_p_loss": float(fixed["practice_p_loss"]),
            "block_p_fail_year": float(fail["p_fail_year"]),
            "block_risk_premium": float(fixed["risk_premium_exact"]),
            "optimal_share": optimal_share(float(totals.mean()), float(totals.var()), r, k),
            "cheapest_effort": str(effort.index[0]),
            "cheapest_effort_cost": float(effort.iloc[0]),
            "runner_up_gap": float(effort.iloc[1] - effort.iloc[0]),
        })
    return pd.DataFrame(rows)


def needs_mix_comparison(n_years: int = GRID_YEARS, seed: int = CHAPTER_SEED) -> pd.DataFrame:
    """The chapter's headline figures under each needs mix of chapter 3, social work and placements in scope.

    For every mix of :func:`swp_models.costs.needs_mix_models` the practice-years are
    simulated afresh (same seed for every mix), the placements scope applied, and the
    chapter's contracts rebuilt on that mix (capitation rates and threshold baselines
    follow it) and priced with the chapter's risk aversion, effort cost and reserves
    (:func:`chapter_defaults`, :func:`chapter_reserves`). Cached.

    Parameters
    ----------
    n_years : int, default ``GRID_YEARS``
        Simulated practice-years per mix, 1,000 to 100,000.
    seed : int, default ``CHAPTER_SEED``
        Seed of every mix's simulation, >= 0.

    Returns
    -------
    pandas.DataFrame
        One row per mix: ``mix`` (label); ``expected_cost`` (exact, £ a practice-year) and
        ``sd_cost`` (simulated, £); for the block contract ``block_p_loss`` (chance of a
        loss in a year), ``block_p_fail_year`` (chance the loss exceeds the reserves in a
        year) and ``block_risk_premium`` (exact CARA premium, unlimited liability, £ a
        year); ``optimal_share`` (the closed-form cost-sharing share that minimises the
        council's expected cost, :func:`optimal_share` on the simulated mean and variance);
        ``cheapest_effort`` (the contract with the lowest council cost once effort
        responds, :func:`effort_comparison`), ``cheapest_effort_cost`` (£ a year) and
        ``runner_up_gap`` (how much dearer the next cheapest is, £ a year).
    """
    n = check_integer("n_years", n_years, low=1_000, high=CHAPTER_YEARS)
    s = check_integer("seed", seed, low=0)
    return _needs_mix_comparison(n, s).copy()


#: Contracts the shock comparison shows (name prefixes of :func:`default_contracts`'s names).
SHOCK_CONTRACTS: tuple[str, ...] = ("Block", "Capitation by needs group", "Cost and volume", "Threshold at",
                                    "Full reimbursement")


@lru_cache(maxsize=4)
def _shock_comparison(shock_cv: float, n_years: int, seed: int) -> pd.DataFrame:
    d = chapter_defaults()
    r = d["risk_tolerance"]
    term = int(assumption("contract_term_years"))
    frames = []
    for scope in SCOPES:
        sc = default_scope(scope)
        for label, cv in (("none", 0.0), ("shared", shock_cv)):
            model = default_cost_model(shock_cv=cv)
            years = sc.apply(simulate_practice_years(model, default_caseload(), n_years, seed))
            every = default_contracts(model, scope=sc, years=years)
            chosen = {name: c for name, c in every.items() if name.startswith(SHOCK_CONTRACTS)}
            fixed = compare(chosen, years, r)
            fail = failure_comparison(chosen, years, chapter_reserves(scope), term_years=term,
                                      failure_cost=assumption("failure_cost"), risk_tolerance=r)
            out = fixed[["contract", "practice_p_loss", "practice_sd_surplus", "risk_premium_exact",
                         "council_sd_spend"]].merge(fail[["contract", "p_fail_year", "absorbed"]], on="contract")
            out.insert(0, "shock", label)
            out.insert(0, "scope", scope)
            out["shock_cv"] = cv
            frames.append(out)
    return pd.concat(frames, ignore_index=True)


def shock_comparison(shock_cv: float | None = None, *, n_years: int = GRID_YEARS,
                     seed: int = CHAPTER_SEED) -> pd.DataFrame:
    """Risk to practice and council without and with chapter 3's shared yearly cost shock, under both scopes.

    The shock multiplies every child's cost in a year by one lognormal factor of mean 1
    (:class:`swp_models.costs.CostModel`'s ``shock_cv``); the practice's own budget is fixed
    and not shocked. For each scope and each contract of :data:`SHOCK_CONTRACTS` the
    practice-years are simulated with the same seed with no shock and with the shock, the
    contracts rebuilt on them (:func:`default_contracts`) and priced with the chapter's risk
    aversion, reserves and contract term. Cached.

    Parameters
    ----------
    shock_cv : float, optional
        Coefficient of variation of the shared yearly factor, in (0, 1]; default the
        assumption ``shared_shock_cv`` (:func:`swp_models.costs.default_shock_cv`).
    n_years : int, default ``GRID_YEARS``
        Simulated practice-years per scope and shock, 1,000 to 100,000.
    seed : int, default ``CHAPTER_SEED``
        Seed, >= 0.

    Returns
    -------
    pandas.DataFrame
        One row per scope, shock (``"none"`` or ``"shared"``) and contract: ``scope``,
        ``shock``, ``contract``, ``practice_p_loss``, ``practice_sd_surplus`` (£),
        ``risk_premium_exact`` (£ a year, unlimited liability), ``council_sd_spend`` (£),
        ``p_fail_year``, ``absorbed`` (£ a year) and ``shock_cv``.
    """
    from .costs import default_shock_cv

    cv = default_shock_cv() if shock_cv is None else check_in_range("shock_cv", shock_cv, 0.0, 1.0, low_open=True)
    n = check_integer("n_years", n_years, low=1_000, high=CHAPTER_YEARS)
    s = check_integer("seed", seed, low=0)
    return _shock_comparison(float(cv), n, s).copy()


def surplus_histograms(
    years: PracticeYears | None = None,
    contracts: Mapping[str, Contract] | None = None,
    *,
    limit: float = 1_200_000.0,
    width: float = 40_000.0,
) -> pd.DataFrame:
    """Distributions of the practice's surplus and of the council's spend, binned, per contract.

    Parameters
    ----------
    years : PracticeYears, optional
        Default :func:`chapter_scope_years` (social work and placements).
    contracts : mapping, optional
        Default :func:`chapter_contracts` for that scope.
    limit : float
        Bins cover ``[-limit, limit]``, £ (> 0); years beyond fall in the outer bins.
    width : float
        Bin width, £ (> 0, dividing ``2 limit`` into at most 400 bins).

    Returns
    -------
    pandas.DataFrame
        ``contract``, ``party`` ("Practice's surplus" or "Council's spend above E[C]"),
        ``low`` and ``high`` (bin edges, £), ``share`` (of practice-years in the bin).
    """
    lim = check_positive("limit", limit)
    w = check_positive("width", width)
    n_bins = int(round(2 * lim / w))
    if n_bins < 2 or n_bins > 400 or abs(n_bins * w - 2 * lim) > 1e-6 * lim:
        raise ValueError(f"width must divide 2 * limit into 2 to 400 bins; got width={width!r}, limit={limit!r}")
    yrs = chapter_scope_years() if years is None else years
    items = _contract_items(chapter_contracts() if contracts is None else contracts)
    edges = np.linspace(-lim, lim, n_bins + 1)
    expected = yrs.expected_total
    rows = []
    for name, contract in items:
        pay = contract.payment(yrs)
        for party, values in (("Practice's surplus", pay - yrs.totals), ("Council's spend above E[C]", pay - expected)):
            idx = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, n_bins - 1)
            share = np.bincount(idx, minlength=n_bins) / values.size
            rows.append(pd.DataFrame({"contract": name, "party": party, "low": edges[:-1], "high": edges[1:],
                                      "share": share}))
    return pd.concat(rows, ignore_index=True)


@lru_cache(maxsize=1)
def _chapter_design_grid() -> pd.DataFrame:
    return design_grid()


def chapter_design_grid() -> pd.DataFrame:
    """:func:`design_grid` with its defaults (cached: the page's chart and key results share it)."""
    return _chapter_design_grid().copy()


def design_grid(
    shares: Sequence[float] = DESIGN_SHARES,
    thresholds: Sequence[float] = DESIGN_THRESHOLDS,
    tolerances: Sequence[float] = DESIGN_TOLERANCES,
    bases: Sequence[str] = DESIGN_BASES,
    *,
    scopes: Sequence[str] = SCOPES,
    reserve_months: Sequence[float] = DESIGN_RESERVE_MONTHS,
    effort_cost: float | None = None,
    n_years: int = GRID_YEARS,
    seed: int = CHAPTER_SEED,
) -> pd.DataFrame:
    """:class:`CostSharing` contracts priced on a grid, for the static "design your contract" chart.

    Every combination of scope, share ``s``, threshold ``T``, basis and risk tolerance
    ``1/r`` is priced on the same ``n_years`` practice-years (default cost model and
    caseload, the scope applied).

    Returns
    -------
    pandas.DataFrame
        One row per combination: ``scope``, ``share``, ``threshold`` (£), ``basis``,
        ``tolerance`` (£), ``power``, ``effort``, ``sd_surplus``, ``p_loss``, for each
        reserve ``m`` of ``reserve_months`` the chance of failing in a year ``p_fail_m``
        and the council's expected absorbed loss ``absorbed_m`` (£ a year),
        ``surplus_p5`` (the 5% worst year), ``risk_premium`` (exact, costs fixed),
        ``admin_cost``, ``council_cost_fixed`` and ``council_cost_effort`` (as in
        :func:`effort_comparison`), all £ per practice-year except the shares.
        Administration: contract management, plus the cost audit unless ``s = 1`` and
        ``T = 0`` (nothing then depends on cost), plus the per-child needs assessment
        with the ``"needs"`` basis.
    """
    k = _check_effort_cost(assumption("effort_cost") if effort_cost is None else effort_cost)
    grid_s = _check_shares(list(shares)).ravel()
    grid_t = [check_nonnegative("thresholds", t) for t in thresholds]
    grid_tol = [check_positive("tolerances", t) for t in tolerances]
    grid_b = [check_one_of("bases", b, _BASES) for b in bases]
    grid_sc = [check_one_of("scopes", x, SCOPES) for x in scopes]
    grid_m = [check_nonnegative("reserve_months", x) for x in reserve_months]
    n = check_integer("n_years", n_years, low=2)
    seed = check_integer("seed", seed, low=0)
    manage, audit = assumption("admin_contract_management"), assumption("admin_cost_audit")
    assess = assumption("admin_needs_assessment")
    rows = []
    for scope in grid_sc:
        years = chapter_scope_years(scope, n, seed)
        reserves = {mo: chapter_reserves(scope, mo) for mo in grid_m}
        rows += _design_rows(years, scope, grid_b, grid_t, grid_s, grid_tol, reserves, k, (manage, audit, assess))
    return pd.DataFrame(rows)


def _design_rows(years: PracticeYears, scope: str, grid_b: list, grid_t: list, grid_s: np.ndarray, grid_tol: list,
                 reserves: dict[float, float], k: float, admin_costs: tuple[float, float, float]) -> list[dict]:
    manage, audit, assess = admin_costs
    bumped = years.scaled(1.001)
    m = float(years.totals.mean())
    mean_count = float(years.counts.mean())
    rows = []
    for basis in grid_b:
        for t in grid_t:
            for s in grid_s:
                admin = manage + (0.0 if (s == 1.0 and t == 0.0) else audit)
                admin += assess * mean_count if basis == "needs" else 0.0
                c = CostSharing(share=float(s), threshold=t, basis=basis)
                pay = c.payment(years)
                surplus = pay - years.totals
                power = _power(c, years, bumped, pay)
                e = _effort_from_power(c.label, power, k)
                surplus_e = c.surplus(with_effort(years, e))
                base = {
                    "scope": scope, "share": float(s), "threshold": t, "basis": basis, "power": power, "effort": e,
                    "sd_surplus": float(surplus.std()), "p_loss": float(np.mean(surplus < 0)),
                    "surplus_p5": float(np.percentile(surplus, 5)), "admin_cost": admin,
                }
                for mo, r in reserves.items():
                    split = limited_liability(surplus, r)
                    base[f"p_fail_{mo:g}"] = split.p_fail
                    base[f"absorbed_{mo:g}"] = split.expected_absorbed
                for tol in grid_tol:
                    rp = risk_premium(surplus, tol)
                    rp_e = risk_premium(surplus_e, tol)
                    rows.append(base | {
                        "tolerance": tol, "risk_premium": rp,
                        "council_cost_fixed": m + rp + admin,
                        "council_cost_effort": (1 - e) * m + k * e * e * m / 2 + rp_e + admin,
                    })
    return rows


def frontier_grid(
    tolerances: Sequence[float] = FRONTIER_TOLERANCES,
    effort_costs: Sequence[float] = FRONTIER_EFFORT_COSTS,
    shares: Sequence[float] = FRONTIER_SHARES,
    *,
    scope: str = "placements",
    n_years: int = GRID_YEARS,
    seed: int = CHAPTER_SEED,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The efficiency-versus-risk trade-off of cost-and-volume, on a grid of ``1/r`` and ``k``.

    Priced on :func:`chapter_scope_years` under ``scope`` (``"placements"`` or
    ``"social_work"``).

    Returns
    -------
    curves : pandas.DataFrame
        One row per tolerance, effort cost and share: ``tolerance`` (£), ``effort_cost``,
        ``share``, ``efficiency_gain`` (``e m - k e**2 m / 2``), ``risk_premium`` (exact,
        on the reduced costs), ``net_saving`` (their difference: what the council saves
        against full reimbursement, administration aside) and ``net_saving_closed_form``
        (the same from :func:`council_expected_cost`), all £ per practice-year.
    optima : pandas.DataFrame
        One row per tolerance and effort cost: ``closed_form_share``, ``simulated_share``,
        ``net_saving_at_optimum`` (simulated, £) and ``closed_form_saving`` (closed form at
        its own optimum, £).
    """
    grid = _check_shares(list(shares)).ravel()
    check_one_of("scope", scope, SCOPES)
    years = chapter_scope_years(scope, check_integer("n_years", n_years, low=2),
                                check_integer("seed", seed, low=0))
    m = float(years.totals.mean())
    v = float(years.totals.var())
    curves, optima = [], []
    for tol in tolerances:
        r = check_in_range("tolerances", tol, 1.0, None)  # the risk tolerance, £
        for k in effort_costs:
            k = _check_effort_cost(k)
            res = simulated_optimal_share(years, r, k, shares=grid)
            g = res.grid
            curves.append(pd.DataFrame({
                "tolerance": tol, "effort_cost": k, "share": g["share"],
                "efficiency_gain": m - g["expected_cost"] - g["effort_cost"],
                "risk_premium": g["risk_premium_exact"],
                "net_saving": m - g["council_cost"],
                "net_saving_closed_form": m - g["council_cost_closed_form"],
            }))
            s_cf = optimal_share(m, v, r, k)
            optima.append({
                "tolerance": tol, "effort_cost": k, "closed_form_share": s_cf, "simulated_share": res.share,
                "net_saving_at_optimum": m - res.council_cost,
                "closed_form_saving": m - council_expected_cost(s_cf, m, v, r, k),
            })
    return pd.concat(curves, ignore_index=True), pd.DataFrame(optima)


# ---------------------------------------------------------------------------------------
# Chapter 5: tables
# ---------------------------------------------------------------------------------------


_MINUS = "\u2212\u2060"  # a minus sign that a line never breaks after


def _k(x: float) -> str:
    """£ thousands with the sign in front: ``-496289 -> '−£496k'``."""
    if abs(x) < 50:
        return "£0"
    if abs(x) < 9_950:
        return f"{_MINUS if x < 0 else ''}£{abs(x) / 1000:.1f}k"
    sign = _MINUS if x < -500 else ""
    return f"{sign}£{abs(x) / 1000:,.0f}k"


def _m(x: float) -> str:
    return f"£{x / 1e6:,.3f}m"


def _pct1(x: float) -> str:
    return f"{100 * x:.1f}%"


def _pct(x: float) -> str:
    v = round(100 * x)
    return f"{v if v != 0 else 0:.0f}%"


_TERMS = {
    "Block": "A fixed sum each year",
    "Volume band": "A fixed sum for caseloads inside the band; each child outside it paid or deducted at the "
                   "variable cost of a child",
    "Capitation, flat rate": "The average cost of a child for each child in the practice",
    "Capitation by needs group": "The mean cost of each child's recorded needs group",
    "Full reimbursement": "Each child's actual cost (capitation at actual cost)",
    "Cost and volume": "A baseline, plus half of any overspend (less half of any underspend): the practice bears "
                       "half of either",
    "Two-way threshold": "As the threshold contract, but underspend beyond the threshold goes back to the council "
                           "(a cap on surplus, s.7)",
    "Threshold": "The practice bears overspend up to the threshold, the council the rest; the practice keeps any "
                 "underspend",
    "Reinsurance": "A fixed sum, plus every child's cost above a per-child threshold",
    "Outcome": "A fixed sum, plus a bonus for each child who keeps one social worker all year",
    "Mixed": "The cost-and-volume payment, plus the same bonus",
}


def threshold_discounts(scope: str = "placements") -> dict[str, float]:
    """How far below the expected cost each threshold contract's baseline is set so that it pays that cost on average.

    Returns ``{contract name: baseline_discount}`` (fractions of the expected cost) for the
    chapter's threshold contracts under ``scope``.
    """
    return {name: c.baseline_discount for name, c in chapter_contracts(scope).items()
            if isinstance(c, ThresholdSharing)}


def contracts_table() -> "Table":
    """The chapter's eleven contracts: family, how the payment is set, administration (£ a year)."""
    from .tables import Table

    table = chapter_table()
    terms = [next(v for k, v in _TERMS.items() if name.startswith(k)) for name in table["contract"]]
    frame = pd.DataFrame({
        "Contract": table["contract"], "Family (report s.6.1.6)": table["family"], "Payment": terms,
        "Administration (£ a year)": [_admin(x) for x in table["admin_cost"]],
    })
    first, second = (100 * v for v in threshold_discounts().values())
    return Table(frame, caption="The eleven contracts priced in this chapter",
                 notes="Every baseline is set so that each contract without a bonus pays the expected cost on average: "
                       "the expected cost itself, except the threshold contracts: the one-way threshold's baseline "
                       f"sits {first:.1f}% below it and the two-way one's {second:.1f}% (social work and placements), "
                       "because a practice that keeps more of a good year than it bears of a bad one would otherwise "
                       "be paid more than the cost on average. The two with a bonus pay the expected "
                       "bonus on top. Terms and administrative costs are assumptions.")


def scope_heading(scope: str) -> str:
    """The scope's name on the page with the pilots that used it, e.g. "Social work only (as in all but one pilot)".

    In the pilots "only one" practice held the placement budget (``data/pilots.csv``).
    """
    check_one_of("scope", scope, SCOPES)
    held = int(data.value("pilots", measure="pilots_holding_placement_budget_commcare2013"))
    one = "one pilot" if held == 1 else f"{held} pilots"
    pilots = f"as in all but {one}" if scope == "social_work" else f"as in {one}"
    return f"{SCOPE_LABELS[scope]} ({pilots})"


def _scoped(scope: str) -> str:
    """Caption prefix naming the scope."""
    return f"{scope_heading(scope)}: "


def risk_table(scope: str = "placements") -> "Table":
    """Who bears which risk: the share of each part of cost variation falling on the practice."""
    from .tables import Table

    t = chapter_table(scope)
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "Number of children": t["caseload"].map(_pct),
        "Needs groups (case mix)": t["case_mix"].map(_pct),
        "Cost within a needs group": t["within_group"].map(_pct),
        "All cost": t["overall"].map(_pct),
    })
    return Table(frame, caption=_scoped(scope) + "Who bears the risk: share of each part of the variation in cost that falls on the "
                                "practice",
                 notes="Coefficients of a regression of the practice's shortfall on the three parts of cost together "
                       "(all cost: on the total alone): 100% means every £ of a part falls on the practice, 0% that "
                       f"the council pays it all. {CHAPTER_YEARS:,} simulated years.")


def surplus_table(scope: str = "placements") -> "Table":
    """The practice's surplus under each contract, and the risk premium it would charge (£ a year)."""
    from .tables import Table

    t = chapter_table(scope)
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "Spread (sd)": t["practice_sd_surplus"].map(_k),
        "Chance of a loss": t["practice_p_loss"].map(_pct),
        "Worst year in 20": t["practice_surplus_p5"].map(_k),
        "Risk premium, variance only": t["risk_premium_approx"].map(_k),
        "Risk premium, exact": t["risk_premium_exact"].map(_k),
    })
    return Table(frame, caption=_scoped(scope) + "The practice's surplus and the risk premium it would charge (£ a year)",
                 notes="Risk tolerance 1/r = £250,000 (assumption). Worst year in 20: the 5th percentile of the "
                       f"surplus. {CHAPTER_YEARS:,} simulated years.")


def incentive_table(scope: str = "placements") -> "Table":
    """The report's qualitative comparison as numbers: incentives and administration, per contract."""
    from .tables import Table

    t = chapter_table(scope).set_index("contract")
    sk = skimming_table(scope)
    gain = sk.pivot(index="contract", columns="group", values="gain_vs_average")
    one_more = sk.drop_duplicates("contract").set_index("contract")["gain_average_child"]
    names = list(t.index)
    frame = pd.DataFrame({
        "Contract": names,
        "Keeps of each £ saved": [_pct(t.loc[n, "power"]) for n in names],
        "Cost cut by effort": [f"{100 * t.loc[n, 'effort']:.1f}%" for n in names],
        "One more child": [_gbp_signed(one_more[n]) for n in names],
        "An easy child instead of an average one": [_gbp_signed(gain.loc[n, "no_additional_needs"]) for n in names],
        "A complex-needs child instead": [_gbp_signed(gain.loc[n, "complex_needs"]) for n in names],
        "Administration": [_admin(x) for x in t["admin_cost"]],
    })
    return Table(frame, caption=_scoped(scope) + "Incentives: what the practice keeps of a £ saved, and what taking or choosing a "
                                "child is worth to it (£ a year)",
                 notes="Effort at an effort cost k = 10 (assumption). Child gains: change in the practice's expected "
                       f"surplus; {GRID_YEARS:,} simulated years, paired across needs groups.")


def _gbp_signed(x: float) -> str:
    if abs(x) < 0.5:
        return "£0"
    return f"{_MINUS if x < 0 else '+'}£{abs(x):,.0f}"


def _admin(x: float) -> str:
    """An administrative cost to the nearest £100 (per-child costs vary with the simulated caseload)."""
    return f"£{round(x, -2):,.0f}"


def council_cost_table(scope: str = "placements") -> "Table":
    """The council's expected total cost per contract, costs fixed and with the effort response (£ a year)."""
    from .tables import Table

    t = chapter_table(scope)
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "Costs fixed: premium": t["risk_premium_exact"].map(_k),
        "Costs fixed: total": t["council_cost_fixed"].map(_m),
        "Effort: net saving": t["efficiency_gain"].map(_k),
        "Effort: premium": t["risk_premium_effort"].map(_k),
        "Effort: total": t["council_cost_effort"].map(_m),
        "Rank": t["council_cost_effort"].rank(method="min").astype(int).astype(str),
    })
    return Table(frame, caption=_scoped(scope) + "The council's expected total cost of each contract, with costs fixed and with the "
                                "practice's effort (£ a year)",
                 notes="Total: expected cost of the children, risk premium and administration, with terms set so that "
                       "the practice just accepts. Effort e = s/k cuts every cost by the fraction e at a cost "
                       "k e² E[C]/2 to the practice, which the council pays; net saving = cost saved minus that cost. "
                       "Rank: with effort, 1 = cheapest.")


def _claims(scope: str) -> list[tuple[str, str]]:
    """The report's claims (s.6.1.6) and what the simulation says of each under ``scope``."""
    t = chapter_table(scope).set_index("contract")
    names = list(t.index)
    block, needs, full = names[0], "Capitation by needs group", "Full reimbursement"
    cv, thr, both, outcome, mixed = (next(n for n in names if n.startswith(p)) for p in
                                     ("Cost and volume", "Threshold at", "Two-way", "Outcome", "Mixed"))
    discount = threshold_discounts(scope)
    sk = skimming_table(scope).set_index(["contract", "group"])
    one_more = sk.xs("no_additional_needs", level="group")["gain_average_child"]
    opt = chapter_optimum(scope)
    cv_share = next(c.share for c in chapter_contracts(scope).values() if isinstance(c, CostAndVolume))
    return [
        ("Block: the practice “bears the entire risk of variability in its caseload and of variability in the cost "
         "per child” and would charge a risk premium",
         f"It bears {_pct(t.loc[block, 'caseload'])} of both. Its chance of a loss in a year is "
         f"{_pct(t.loc[block, 'practice_p_loss'])}, its worst year in 20 {_k(t.loc[block, 'practice_surplus_p5'])}; "
         f"the risk premium is {_k(t.loc[block, 'risk_premium_exact'])} a year."),
        ("Block: a payment that includes “an additional contingency reserve”",
         f"A reserve that holds the chance of failing in a year to 1 in 20 is {_k(t.loc[block, 'reserve_1_in_20'])}"
         + (", several times a practice's likely reserves" if t.loc[block, "reserve_1_in_20"] > 2 * chapter_reserves(scope)
            else "") +
         f"; with {assumption('reserve_months'):g} months' running cost it fails in "
         f"{_pct(t.loc[block, 'p_fail_year'])} of years and the council absorbs {_k(t.loc[block, 'absorbed'])} a "
         "year."),
        ("Block: an incentive “to reduce caseloads” and “the service provided for each child”",
         f"Each extra child lowers the practice's surplus by £{abs(one_more[block]):,.0f} a year; it keeps "
         f"{_pct(t.loc[block, 'power'])} of any £ saved."),
        ("Risk-adjusted capitation: “the risk is borne entirely by the local authority”",
         f"Only if the payment follows each child's actual cost (full reimbursement: "
         f"{_pct(t.loc[full, 'overall'])}). Paid by needs group, the practice bears "
         f"{_pct(t.loc[needs, 'caseload'])} of caseload and {_pct(t.loc[needs, 'case_mix'])} of case-mix risk but "
         f"{_pct(t.loc[needs, 'within_group'])} of the variation within groups (premium "
         f"{_k(t.loc[needs, 'risk_premium_exact'])})."),
        ("Risk-adjusted capitation: “little incentive to cut its costs”, and “substantial administrative costs”",
         f"True of full reimbursement: it keeps {_pct(t.loc[full, 'power'])} of a £ saved. Paid by needs group it "
         f"keeps {_pct(t.loc[needs, 'power'])}. The assumed assessment cost adds "
         f"{_k(t.loc[needs, 'admin_cost'] - t.loc[block, 'admin_cost'])} a year."),
        ("Cost and volume: risks shared and “a more satisfactory balance of positive and negative incentives”",
         f"At s = {cv_share:g} the practice bears "
         f"{_pct(t.loc[cv, 'overall'])} of all cost risk for a premium of {_k(t.loc[cv, 'risk_premium_exact'])} and "
         f"keeps {_pct(t.loc[cv, 'power'])} of a £ saved. The share that minimises the council's cost is "
         f"{opt.closed_form_share:.2f} (closed form), {opt.share:.2f} (simulated)."),
        ("Threshold: extra costs below the threshold “borne by the SWP and all those above by the local "
         "authority”, with “a similar arrangement” for underspends",
         (f"Leaving the practice every underspend pays it more than the cost on average unless the baseline is set "
          f"{100 * discount[thr]:.1f}% lower; returning underspend beyond the threshold (a cap on surplus, s.7) needs "
          f"{100 * discount[both]:.1f}%. The two-way version keeps {_pct(t.loc[both, 'power'])} of the incentive.")
         if discount[thr] >= 5e-4 else
         "The year's cost never moves as far as the threshold, so both threshold contracts are block contracts: the "
         "practice keeps every underspend and bears every overspend, and the baseline needs no adjustment."),
        ("Mixed outcome-based: the fixed amount “ensure[s] that, whatever happens to outcomes, the SWP remains in "
         "business”",
         f"A fixed base leaves all cost risk with the practice: chance of a loss "
         f"{_pct(t.loc[outcome, 'practice_p_loss'])}, premium {_k(t.loc[outcome, 'risk_premium_exact'])}. On a "
         f"cost-and-volume base: {_pct(t.loc[mixed, 'practice_p_loss'])} and "
         f"{_k(t.loc[mixed, 'risk_premium_exact'])}."),
    ]


def claims_table() -> "Table":
    """What the report says about each kind of contract (s.6.1.6), and what the simulation says under each scope."""
    from .tables import Table

    placements, social = _claims("placements"), _claims("social_work")
    frame = pd.DataFrame({
        "The report says (s.6.1.6)": [claim for claim, _ in placements],
        scope_heading("placements"): [says for _, says in placements],
        scope_heading("social_work"): [says for _, says in social],
    })
    return Table(frame, caption="The report's comparison of contracts, put to numbers under each scope",
                 notes=f"Quotations from Le Grand (2007) s.6.1.6. Default assumptions; {CHAPTER_YEARS:,} simulated years.")


def key_results() -> "Table":
    """The chapter's key-results table, every figure computed from the model and its data.

    The fourth column names the labelled assumption that drives each figure.
    """
    from . import commissioning, practice
    from .tables import key_results as table

    model = default_cost_model()
    load = default_caseload()
    moments = total_cost_moments(model, load)
    caseload_share = load.variance * model.mean**2 / moments.variance
    t = chapter_table("placements").set_index("contract")
    w = chapter_table("social_work").set_index("contract")
    names = list(t.index)
    block, thr = names[0], next(n for n in names if n.startswith("Threshold at"))
    fixed_best = t["council_cost_fixed"].idxmin()
    effort_best = t["council_cost_effort"].idxmin()
    effort_worst = t["council_cost_effort"].idxmax()
    opt = chapter_optimum()
    saving = float(chapter_scope_years().totals.mean()) - opt.council_cost
    sk = skimming_table().set_index(["contract", "group"])["gain_vs_average"]
    grid = chapter_design_grid()
    grid = grid[grid["tolerance"] == assumption("risk_tolerance")]
    basis_words = {"fixed": "fixed baseline", "caseload": "baseline following the number of children",
                   "needs": "baseline following needs groups"}

    def best_design(scope: str) -> str:
        g = grid[grid["scope"] == scope]
        b = g.loc[g["council_cost_effort"].idxmin()]
        thresh = "" if b["threshold"] == 0 else f", all of the first £{b['threshold']:,.0f} over or under"
        return f"{basis_words[b['basis']]}, practice's share {b['share']:.2f}{thresh}: {_m(b['council_cost_effort'])}"

    scopes = {name: chapter_scope_years(name) for name in SCOPES}
    sc = default_scope("placements")
    margin = sc.flat_rate(model, load) - sc.marginal_cost(model)
    years_p = scopes["placements"]
    undiscounted = replace(chapter_contracts()[thr], baseline_discount=0.0)
    thr_unbalanced = float(undiscounted.payment(years_p).mean())
    outcome = commissioning.service_cuts(t["effort"].to_numpy(), float(t["expected_cost_fixed"].iloc[0]),
                                         years_p.expected_count)["outcome_cost"]
    with_outcomes = t["council_cost_effort"] + outcome
    cut_best = with_outcomes.idxmin()
    upcode = commissioning.upcoding_cost(chapter_contracts()["Capitation by needs group"], years_p)
    s = practice.summary()
    side = commissioning.council_side(s["running_cost"], s["out_of_scope"] * practice.PracticeDesign().caseload)
    total = side.set_index("item").loc["Total"]
    held = int(data.value("pilots", measure="pilots_holding_placement_budget_commcare2013"))
    term = int(assumption("contract_term_years"))
    months = assumption("reserve_months")
    from .costs import default_shock_cv, shock_exceedance

    shock = shock_comparison()
    shock_block = shock[(shock["scope"] == "placements") & (shock["contract"] == "Block")].sort_values("shock_cv")
    sim = f"simulated, {CHAPTER_YEARS:,} practice-years"
    spread = "within-group cost spread (chapter 3)"
    rtol = "risk tolerance £250,000"
    return table(
        [
            ("Expected cost of a practice's year, 100 ± 10 children: social work and placements; social work only",
             f"{_m(scopes['placements'].expected_total)} (sd {_k(float(scopes['placements'].totals.std()))}); "
             f"{_m(scopes['social_work'].expected_total)} (sd {_k(float(scopes['social_work'].totals.std()))})",
             "chapter 3 costs, chapter 4 budget; draft contract Art. 4",
             f"{spread}; variable social-work cost £{assumption('social_work_variable_cost'):,.0f} a child"),
            ("Pilots that held the placement budget", "only one" if held == 1 else f"{held}",
             "Community Care (2013)"),
            ("Share of the variance of the children's cost due to their number", _pct(caseload_share),
             "chapter 3 cost model, exact", "caseload spread evenly over 90 to 110 children"),
            ("Margin a per-child rate that includes staff pays on each extra child", f"£{margin:,.0f} a year",
             "chapter 4 budget, fixed between 90 and 110 children"),
            ("Block contract, social work and placements: chance of a loss; worst year in 20",
             f"{_pct(t.loc[block, 'practice_p_loss'])}; {_k(t.loc[block, 'practice_surplus_p5'])}", sim, spread),
            (f"Block contract: chance the practice fails in a year; within a {term}-year term "
             "(social work and placements; social work only)",
             f"{_pct(t.loc[block, 'p_fail_year'])}; {_pct(t.loc[block, 'p_fail_term'])} "
             f"({_pct(w.loc[block, 'p_fail_year'])}; {_pct(w.loc[block, 'p_fail_term'])})", sim,
             f"reserves of {months:g} months' running cost"),
            ("Block contract, social work and placements: losses the council absorbs when the practice fails",
             f"{_k(t.loc[block, 'absorbed'])} a year", sim, f"reserves of {months:g} months' running cost"),
            ("Risk premium a practice would charge for a block contract: unlimited; limited liability",
             f"{_k(t.loc[block, 'risk_premium_exact'])}; {_k(t.loc[block, 'risk_premium_limited'])} a year",
             sim, f"{rtol}; reserves"),
            ("Threshold contract: average payment with its baseline at the expected cost; as priced here",
             f"{_m(thr_unbalanced)}; {_m(float(t.loc[thr, 'council_mean_spend']))} (baseline "
             f"{100 * chapter_contracts()[thr].baseline_discount:.1f}% lower)", sim),
            ("Shared yearly cost shock, social work and placements: block contract's risk premium; chance of "
             "failing in a year (without; with the shock)",
             f"{_k(shock_block['risk_premium_exact'].iloc[0])}; {_k(shock_block['risk_premium_exact'].iloc[1])} "
             f"({_pct(shock_block['p_fail_year'].iloc[0])}; {_pct(shock_block['p_fail_year'].iloc[1])})",
             f"simulated, {GRID_YEARS:,} practice-years", f"shared shock {100 * default_shock_cv():.0f}%; {rtol}"),
            ("Council's pooling floor: chance its cost per child runs over 10% however many children it pools",
             _pct1(shock_exceedance(default_shock_cv(), 0.10)), "chapter 3 cost model, exact",
             f"shared shock {100 * default_shock_cv():.0f}%"),
            ("Cheapest for the council with costs fixed", f"{fixed_best}, {_m(t.loc[fixed_best, 'council_cost_fixed'])}",
             sim, rtol),
            ("Cheapest once the practice's effort responds to its incentive; dearest",
             f"{effort_best}, {_m(t.loc[effort_best, 'council_cost_effort'])}; "
             f"{effort_worst.lower()}, {_m(t.loc[effort_worst, 'council_cost_effort'])}",
             sim, f"effort cost {assumption('effort_cost'):g}; {rtol}"),
            ("Cheapest once half of every saving is a service cut that moves children",
             f"{cut_best}, {_m(with_outcomes[cut_best])}", sim,
             "share of service cuts; cost of a placement move"),
            ("Cost-and-volume share that minimises the council's cost: closed form; simulated",
             f"{opt.closed_form_share:.2f}; {opt.share:.2f}", sim, f"{rtol} and effort cost {assumption('effort_cost'):g}"),
            ("Council's saving at that share against full reimbursement, administration aside",
             f"{_k(saving)} a year", sim, f"{rtol} and effort cost {assumption('effort_cost'):g}"),
            ("Gain from choosing a child with no additional needs over an average referral: block or flat "
             "capitation; capitation by needs group",
             f"{_gbp_signed(sk[(block, 'no_additional_needs')])} a year; "
             f"{_gbp_signed(sk[('Capitation by needs group', 'no_additional_needs')])}",
             f"simulated, {GRID_YEARS:,} practice-years"),
            ("Capitation by needs group: council's extra cost if one child in ten is recorded a group higher",
             f"{_k(upcode)} a year", "needs-group rates", "share recorded higher"),
            ("Council's own yearly cost of contracting out (commissioning, paying twice, stranded overheads, managing)",
             f"{_k(total['central'])} ({_k(total['low'])} to {_k(total['high'])})", "computed",
             "commissioning and overhead assumptions"),
            ("Cheapest design on the chapter's grid: social work and placements",
             best_design("placements"), f"cost-sharing grid, {GRID_YEARS:,} practice-years",
             f"{rtol}; effort cost {assumption('effort_cost'):g}"),
            ("Cheapest design on the chapter's grid: social work only",
             best_design("social_work"), f"cost-sharing grid, {GRID_YEARS:,} practice-years",
             f"{rtol}; effort cost {assumption('effort_cost'):g}"),
        ],
        caption="Key results: paying a practice of 100 children (default assumptions)",
    )
