"""Outcome-based and cost-sharing contracts, and the report's four families (chapter 5).

:class:`~swp_models.contracts.OutcomeBased` pays a bonus per child with an outcome the practice partly controls;
:class:`~swp_models.contracts.MixedOutcome` adds that bonus to any cost-based contract (the report's "mixed"
contract); :class:`~swp_models.contracts.CostSharing` is the one family that nests the report's cost-based
contracts (the chapter's "design your contract" grid); :func:`~swp_models.contracts.contract_family` names the
report's family of any contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..validation import (
    check_in_range,
    check_instance,
    check_text,
    check_nonnegative,
    check_one_of,
    check_probability,
)
from .payments import (
    Block,
    Capitation,
    Contract,
    CostAndVolume,
    FullReimbursement,
    HighCostReinsurance,
    ThresholdSharing,
    VolumeBand,
    _baseline,
)
from .years import PracticeYears, _optional_nonnegative, _set

__all__ = [
    "Outcome",
    "OutcomeBased",
    "CostSharing",
    "MixedOutcome",
    "FAMILIES",
    "BASES",
    "contract_family",
]


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
        check_text("name", self.name)

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

    bonus_per_unit: float
    outcome: Outcome
    base: float | None = None
    cap: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.bonus_per_unit is None:
            raise ValueError("bonus_per_unit must be given (£ per child with the outcome, >= 0); got None")
        _set(self, "bonus_per_unit", check_nonnegative("bonus_per_unit", self.bonus_per_unit))
        check_instance("outcome", self.outcome, Outcome, "Outcome")
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


#: How a :class:`CostSharing` baseline follows the year's children.
BASES = ("fixed", "caseload", "needs")


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

    share: float
    threshold: float = 0.0
    basis: str = "fixed"
    baseline: float | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.share is None:
            raise ValueError("share must be given (a number in [0, 1]); got None")
        _set(self, "share", check_probability("share", self.share))
        _set(self, "threshold", check_nonnegative("threshold", self.threshold))
        check_one_of("basis", self.basis, BASES)
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

    cost_part: Contract
    bonus: OutcomeBased

    def __post_init__(self) -> None:
        super().__post_init__()
        check_instance("cost_part", self.cost_part, Contract, "Contract")
        check_instance("bonus", self.bonus, OutcomeBased, "OutcomeBased")

    @property
    def label(self) -> str:
        return f"{self.cost_part.label} + outcome bonus"

    def payment(self, years: PracticeYears) -> np.ndarray:
        return self.cost_part.payment(years) + self.bonus.bonus(years)


#: The report's four families, and the contract names the chapter uses for each.
FAMILIES: tuple[str, ...] = ("Block", "Capitation", "Cost and volume", "Outcome-based")


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
