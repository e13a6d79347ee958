"""How each contract pays: the report's block, capitation, cost-and-volume and threshold contracts (s.6.1.6).

Every contract is a frozen dataclass whose :meth:`~swp_models.contracts.Contract.payment` gives the council's
payment to the practice in each simulated practice-year; terms are checked when the
contract is made. The outcome-based and cost-sharing contracts are in
:mod:`swp_models.contracts.families`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Mapping, Sequence

import numpy as np
from scipy import optimize

from ..costs import NEEDS_GROUPS, CostModel, caseload_distribution
from ..validation import (
    check_in_range,
    check_instance,
    check_sequence,
    check_text,
    check_integer,
    check_nonnegative,
    check_probability,
)
from .years import PracticeYears, _optional_nonnegative, _set

__all__ = [
    "Contract",
    "Block",
    "FullReimbursement",
    "Capitation",
    "CostAndVolume",
    "ThresholdSharing",
    "balanced",
    "VolumeBand",
    "HighCostReinsurance",
    "contract_items",
]


def _baseline(value: float | None, years: PracticeYears) -> float:
    return years.expected_total if value is None else value


@dataclass(frozen=True, kw_only=True)
class Contract:
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

    def payment(self, years: PracticeYears) -> np.ndarray:
        """Council's payment to the practice in each practice-year, £ (every contract defines it)."""
        raise NotImplementedError(f"{type(self).__name__} must define payment(years); Contract is the base of the "
                                  "contracts, not one itself")

    def surplus(self, years: PracticeYears) -> np.ndarray:
        """Practice's surplus ``payment - cost`` in each practice-year, £."""
        return self.payment(years) - years.totals

    def admin_cost(self, years: PracticeYears) -> np.ndarray:
        """Council's administrative cost in each practice-year, £."""
        return self.admin_cost_per_year + self.admin_cost_per_child * years.counts.astype(float)


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
            check_instance("rate_by_group", self.rate_by_group, Mapping, "mapping of needs group to £ a child")
            if not self.rate_by_group:
                raise ValueError("rate_by_group must give a rate for at least one needs group; got an empty mapping")
            unknown = [g for g in self.rate_by_group if g not in NEEDS_GROUPS]
            if unknown:
                raise ValueError(f"rate_by_group keys must be needs groups ({', '.join(NEEDS_GROUPS)}); "
                                 f"got {unknown!r}")
            rates = {g: check_nonnegative(f"rate_by_group[{g!r}]", r) for g, r in self.rate_by_group.items()}
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

    share: float
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

    threshold: float
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
    check_instance("contract", contract, ThresholdSharing, "ThresholdSharing")
    check_instance("years", years, PracticeYears, "PracticeYears")
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

    low: int
    high: int
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
        ns, probs = caseload_distribution(years.caseload)
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

    per_child_threshold: float
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


#: The most contracts one comparison prices.
_MAX_CONTRACTS = 200


def contract_items(contracts: Mapping[str, Contract] | Sequence[Contract]) -> list[tuple[str, Contract]]:
    """The ``(name, contract)`` pairs of ``contracts``, each checked: how every comparison reads its contracts.

    Parameters
    ----------
    contracts : mapping or sequence
        ``{name: Contract}``, or Contracts named by their ``label``; 1 to 200 of them.

    Returns
    -------
    list of (str, Contract)
        In the order given.
    """
    if isinstance(contracts, Mapping):
        items = list(contracts.items())
    else:
        seq = check_sequence("contracts", contracts, max_len=_MAX_CONTRACTS)
        for i, c in enumerate(seq):
            check_instance(f"contracts[{i}]", c, Contract, "Contract")
        items = [(c.label, c) for c in seq]
    if not items:
        raise ValueError("contracts must hold at least one contract; got none")
    if len(items) > _MAX_CONTRACTS:
        raise ValueError(f"contracts must hold at most {_MAX_CONTRACTS} contracts; got {len(items)}")
    for name, c in items:
        check_text("contracts (a name)", name)
        check_instance(f"contracts[{name!r}]", c, Contract, "Contract")
    return items
