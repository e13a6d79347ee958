"""Who holds the budget, and what a practice can lose before it fails (chapter 5).

Two questions the contract simulator (:mod:`swp_models.contracts`) leaves open. (Also importable under its
former name, ``swp_models.liability``.)

**Scope.** Which costs does the contract make the practice pay? The report is ambiguous
(A.1, Art. 4 a), s.9.2) and in the pilots only one practice held the placement budget. A
:class:`Scope` turns the simulated children into the practice's own costs:

* ``"social_work"``: the practice's running cost (chapter 4's budget ``F``, fixed) plus a
  small variable cost per child that follows the child's needs (workload: travel, cover,
  interpreters), ``v c_i / mean(c)``. The council pays the placements.
* ``"placements"``: social work plus placements: the budget ``F`` plus each child's cost
  of care without the council's wider overheads and less the practice's own cost inside it
  (``(1 - w) c_i - d``, where ``w`` is the share of the research-basis cost that is the
  council's central overheads, report s.6.1.5, which a practice never incurs and the council
  keeps paying, and ``d`` is chapter 4's running cost per child, which chapter 3's
  research-basis costs already include), so an extra child adds its variable cost only.

**Limited liability.** A practice cannot lose more than its reserves ``R``. In a year whose
surplus ``pi`` is below ``-R`` it fails (the draft contract's termination for insolvency,
Art. 8), the practice loses ``R`` and the council, which stays the corporate parent
(s.7), absorbs ``-pi - R``. Over a contract term of several years the reserves carry
forward: surpluses add to them and losses draw them down.
"""

from __future__ import annotations

from pathlib import Path

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special

from .. import assumptions, practice
from ..costs import Caseload, CostModel, TotalCostMoments, as_caseload, total_cost_moments
from ..validation import (
    MAX_CELLS,
    check_amounts,
    check_in_range,
    check_instance,
    check_integer,
    check_nonnegative,
    check_one_of,
    check_probability,
    check_size,
    check_text,
)
from .payments import Contract, contract_items
from .theory import risk_aversion, risk_premium
from .years import PracticeYears, rescaled

__all__ = [
    "SCOPES",
    "SCOPE_LABELS",
    "Scope",
    "default_scope",
    "assumption",
    "reserves_from_months",
    "LimitedLiability",
    "limited_liability",
    "TermFailure",
    "term_failure",
    "TermPaths",
    "term_paths",
    "reserve_for_failure_chance",
    "failure_comparison",
    "NORMAL_FAMILIES",
    "BARRIER_SHIFT",
    "SurplusMoments",
    "surplus_moments",
    "NormalFailure",
    "normal_failure",
    "normal_risk_premium",
]

#: The two scopes, and their names on the page.
SCOPES: tuple[str, ...] = ("social_work", "placements")
#: What each scope is called on the pages.
SCOPE_LABELS: dict[str, str] = {"social_work": "Social work only", "placements": "Social work and placements"}

def assumption(parameter: str, *, data_dir: str | Path | None = None) -> float:
    """Value of one assumption in ``data/assumptions_contracts.csv`` (:func:`swp_models.contracts.assumption`)."""
    return assumptions.value_in("assumptions_contracts", check_text("parameter", parameter), data_dir=data_dir)


@dataclass(frozen=True)
class Scope:
    """What the contract makes the practice pay for.

    Parameters
    ----------
    name : str
        ``"social_work"`` or ``"placements"`` (:data:`SCOPES`).
    fixed_cost : float
        The practice's running cost ``F`` (chapter 4), £ per practice-year, >= 0: fixed for
        caseloads within the contract's margin.
    staff_per_child : float
        ``d``, the practice's staff cost per child already inside the census average cost of
        a child, £ per child per year, >= 0. Used by the ``"placements"`` scope only.
    variable_per_child : float
        ``v``, the average variable social-work cost of a child, £ per child per year, >= 0.
        Used by the ``"social_work"`` scope only.
    overhead_share : float
        ``w``, the share of each child's research-basis cost that is the council's wider
        overheads (report s.6.1.5), in [0, 0.5]: taken out of the practice's cost, which
        the council keeps paying. Used by the ``"placements"`` scope only; 0 leaves them in.
    """

    name: str
    fixed_cost: float
    staff_per_child: float = 0.0
    variable_per_child: float = 0.0
    overhead_share: float = 0.0

    def __post_init__(self) -> None:
        check_one_of("name", self.name, SCOPES)
        object.__setattr__(self, "fixed_cost", check_nonnegative("fixed_cost", self.fixed_cost))
        object.__setattr__(self, "staff_per_child", check_nonnegative("staff_per_child", self.staff_per_child))
        object.__setattr__(self, "variable_per_child",
                           check_nonnegative("variable_per_child", self.variable_per_child))
        object.__setattr__(self, "overhead_share", check_in_range("overhead_share", self.overhead_share, 0.0, 0.5))

    @property
    def label(self) -> str:
        """Name on the page."""
        return SCOPE_LABELS[self.name]

    def cost_factor(self, cost_model: CostModel) -> float:
        """Factor applied to every child's cost: ``v / mean(c)`` for social work, ``1 - w`` with placements
        (the council's wider overheads taken out; a common factor keeps the needs groups' relative costs)."""
        check_instance("cost_model", cost_model, CostModel, "CostModel")
        return self.variable_per_child / cost_model.mean if self.name == "social_work" else 1.0 - self.overhead_share

    def council_overheads(self, cost_model: CostModel, caseload: int | Caseload) -> float:
        """The council's wider overheads inside the children's research-basis cost that the practice's cost
        leaves out, £ a year in expectation: ``w E[U]`` with placements in scope, 0 for social work only.
        The council keeps paying them whichever option it picks, so they are counted on its side, once.
        ``cost_model`` and ``caseload`` as :meth:`cost_moments` takes them.
        """
        _, u = _children_moments(cost_model, caseload)
        return self.overhead_share * u.mean if self.name == "placements" else 0.0

    def apply(self, years: PracticeYears) -> PracticeYears:
        """The practice's own costs in ``years``: a :class:`swp_models.contracts.PracticeYears`.

        Child costs are scaled by :meth:`cost_factor` (with the cost model's means, so
        rates that follow expected costs follow too) and the fixed cost (and, with
        placements, the staff cost per child) attached.
        """
        check_instance("years", years, PracticeYears, "PracticeYears")
        if years.fixed_cost or years.staff_per_child:
            raise ValueError("years already carry a scope (a fixed cost or staff cost per child); apply a scope "
                             "to the simulated children only once")
        f = self.cost_factor(years.cost_model)
        if f == 0:
            raise ValueError("variable_per_child must be > 0 for the social-work scope (the children would cost "
                             "nothing); got 0")
        base = years if f == 1.0 else rescaled(years, f)
        d = self.staff_per_child if self.name == "placements" else 0.0
        return PracticeYears(base.children, base.outcome_draws, base.cost_model, base.caseload, self.fixed_cost, d)

    def child_rates(self, cost_model: CostModel, caseload: Caseload) -> dict[str, float]:
        """Expected cost to the practice of a child of each recorded needs group, with its share of ``F``, £ a year:
        ``f mean_g - d + F / E[N]`` (``f`` the :meth:`cost_factor`)."""
        f = self.cost_factor(cost_model)
        d = self.staff_per_child if self.name == "placements" else 0.0
        share = self.fixed_cost / caseload.expected - d
        return {g: f * m + share for g, m in cost_model.recorded_means().items()}

    def flat_rate(self, cost_model: CostModel, caseload: Caseload) -> float:
        """Expected total cost to the practice per expected child, £ a year: ``f mean(c) - d + F / E[N]``."""
        f = self.cost_factor(cost_model)
        d = self.staff_per_child if self.name == "placements" else 0.0
        return f * cost_model.mean - d + self.fixed_cost / caseload.expected

    def marginal_cost(self, cost_model: CostModel) -> float:
        """Expected cost to the practice of one more average child, £ a year (the variable cost, ``f mean(c) - d``)."""
        d = self.staff_per_child if self.name == "placements" else 0.0
        return self.cost_factor(cost_model) * cost_model.mean - d

    def cost_moments(self, cost_model: CostModel, caseload: int | Caseload) -> TotalCostMoments:
        """Exact mean and variance of the practice's own cost ``C`` in a year under this scope, £.

        ``C = F + f U - d N``, with ``U = Z (c_1 + ... + c_N)`` the children's costs with the
        model's shared yearly shock (:func:`swp_models.costs.total_cost_moments`), ``f`` the
        :meth:`cost_factor` (``1 - w`` with placements), ``d`` the staff cost per child (placements only) and ``N`` the
        caseload: ``E[C] = F + f E[U] - d E[N]`` and
        ``Var(C) = f^2 Var(U) + d^2 Var(N) - 2 f d mean(c) Var(N)`` (``Cov(U, N) = mean(c) Var(N)``).
        What a simulation of :meth:`apply` averages to.

        Parameters
        ----------
        cost_model : CostModel
        caseload : int or Caseload
        """
        load, u = _children_moments(cost_model, caseload)
        f = self.cost_factor(cost_model)
        d = self.staff_per_child if self.name == "placements" else 0.0
        mean = self.fixed_cost + f * u.mean - d * load.expected
        var = f * f * u.variance + d * d * load.variance - 2.0 * f * d * cost_model.mean * load.variance
        return TotalCostMoments(mean=max(mean, 0.0), variance=max(var, 0.0))


def _children_moments(cost_model: CostModel, caseload: int | Caseload) -> tuple[Caseload, TotalCostMoments]:
    """The checked caseload and the exact moments of the children's total cost ``U``."""
    check_instance("cost_model", cost_model, CostModel, "CostModel")
    load = as_caseload(caseload)
    return load, total_cost_moments(cost_model, load)


def default_scope(name: str = "placements") -> Scope:
    """A scope with chapter 4's default practice budget.

    ``F`` is :func:`swp_models.practice.total_running_cost`. ``d`` is the whole of it per
    child (:func:`swp_models.practice.summary`'s ``cost_per_child``): chapter 3's costs are
    on the research basis, which includes the social-work processes and overheads that a
    practice's budget replaces, so with placements in scope the practice's expected cost is
    chapter 3's less the council's wider overheads (the share ``w``, the assumption
    ``council_overhead_share``, which the council keeps paying) and only the split between
    fixed and variable changes. ``v`` is the assumption ``social_work_variable_cost``.
    """
    check_one_of("name", name, SCOPES)
    s = practice.summary()
    return Scope(name, fixed_cost=s["running_cost"], staff_per_child=s["cost_per_child"],
                 variable_per_child=assumption("social_work_variable_cost"),
                 overhead_share=assumption("council_overhead_share"))


def reserves_from_months(months: float, running_cost: float) -> float:
    """Reserves worth ``months`` of running cost, £: ``months / 12 * running_cost``.

    Parameters
    ----------
    months : float
        Months of running cost held in reserve, in [0, 120].
    running_cost : float
        The practice's running cost, £ a year, >= 0.
    """
    m = check_nonnegative("months", months)
    if m > 120:
        raise ValueError(f"months must be at most 120 (ten years of running cost); got {months!r}")
    return m / 12.0 * check_nonnegative("running_cost", running_cost)


@dataclass(frozen=True)
class LimitedLiability:
    """A year-by-year split of the practice's surplus when it cannot lose more than its reserves.

    Attributes
    ----------
    practice : numpy.ndarray
        What the practice gains or loses each year, ``max(pi, -R)``, £.
    council : numpy.ndarray
        What the council absorbs each year, ``max(-pi - R, 0)``, £ (>= 0).
    failed : numpy.ndarray
        Boolean: the year's loss exceeded the reserves (the practice fails).
    reserves : float
        ``R``, £.
    """

    practice: np.ndarray
    council: np.ndarray
    failed: np.ndarray
    reserves: float

    def __post_init__(self) -> None:
        practice, council = check_amounts("practice", self.practice), check_amounts("council", self.council)
        check_instance("failed", self.failed, np.ndarray, "numpy array of True/False")
        if self.failed.dtype != bool or self.failed.shape != practice.shape or council.shape != practice.shape:
            raise ValueError(f"failed must be a boolean array, and practice, council and failed the same length; "
                             f"got {practice.shape}, {council.shape}, {self.failed.dtype} {self.failed.shape}")
        if np.any(council < 0):
            raise ValueError("council must be >= 0 in every year (the losses the council absorbs)")
        object.__setattr__(self, "reserves", check_nonnegative("reserves", self.reserves))

    @property
    def p_fail(self) -> float:
        """Chance the practice fails in a year."""
        return float(self.failed.mean())

    @property
    def expected_absorbed(self) -> float:
        """Council's expected cost of absorbing failures, £ a year."""
        return float(self.council.mean())


def limited_liability(surplus: object, reserves: float) -> LimitedLiability:
    """Split each year's surplus between the practice (down to ``-reserves``) and the council.

    Parameters
    ----------
    surplus : array-like
        The practice's surplus in each year under unlimited liability, £.
    reserves : float
        ``R``, £ >= 0.

    Returns
    -------
    LimitedLiability
        ``practice - council == surplus`` in every year: the council's absorbed losses
        are exactly the excess of a loss over the reserves.
    """
    pi = check_amounts("surplus", surplus)
    r = check_nonnegative("reserves", reserves)
    practice = np.maximum(pi, -r)
    return LimitedLiability(practice, practice - pi, pi < -r, r)


@dataclass(frozen=True)
class TermFailure:
    """Failure over contract terms of several years, reserves carried forward.

    Attributes
    ----------
    p_fail_term : float
        Chance the practice fails at some point in the term.
    p_fail_year : float
        Chance it fails in a given year of the term (failures per year served).
    absorbed_per_year : float
        Council's expected cost of absorbing losses beyond the reserves, £ per year of the term.
    years_served : float
        Expected years of the term before the contract ends (the whole term if it never fails).
    n_terms : int
        Simulated terms.
    """

    p_fail_term: float
    p_fail_year: float
    absorbed_per_year: float
    years_served: float
    n_terms: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "p_fail_term", check_probability("p_fail_term", self.p_fail_term))
        object.__setattr__(self, "p_fail_year", check_probability("p_fail_year", self.p_fail_year))
        object.__setattr__(self, "absorbed_per_year", check_nonnegative("absorbed_per_year", self.absorbed_per_year))
        object.__setattr__(self, "years_served", check_in_range("years_served", self.years_served, 1.0, 50.0))
        object.__setattr__(self, "n_terms", check_size("n_terms", self.n_terms, MAX_CELLS))


@dataclass(frozen=True)
class TermPaths:
    """Reserves year by year over contract terms, with failure when they run out (:func:`term_paths`).

    Attributes
    ----------
    p_failed : numpy.ndarray
        Chance the practice has failed by the end of each year of the term.
    reserves_p5, reserves_median : numpy.ndarray
        The 5th percentile and the median of the reserves at the end of each year, failed paths held
        at their shortfall.
    council_shortfall : float
        Mean £ over terms of the losses beyond the reserves that fall on the council.
    failure : TermFailure
        The same terms summarised: chance of failing in the term and in a year served, losses absorbed
        per year served.
    """

    p_failed: np.ndarray
    reserves_p5: np.ndarray
    reserves_median: np.ndarray
    council_shortfall: float
    failure: TermFailure

    def __post_init__(self) -> None:
        for name in ("p_failed", "reserves_p5", "reserves_median"):
            arr = check_instance(name, getattr(self, name), np.ndarray, "numpy array (one value a year)")
            if arr.ndim != 1 or arr.size == 0:
                raise ValueError(f"{name} must hold one value for each year of the term; got shape {arr.shape}")
        if not (self.p_failed.size == self.reserves_p5.size == self.reserves_median.size):
            raise ValueError("p_failed, reserves_p5 and reserves_median must have one value for each year of the term")
        object.__setattr__(self, "council_shortfall", check_nonnegative("council_shortfall", self.council_shortfall))
        check_instance("failure", self.failure, TermFailure, "TermFailure")


def term_paths(surplus: object, reserves: float) -> TermPaths:
    """Run the practice's reserves through each term of ``surplus`` (one row a term, one column a year).

    Each term starts with reserves ``R``; each year's surplus is added (losses draw the reserves down).
    The first year the reserves would go below zero the practice fails: the council absorbs the
    shortfall and the contract ends (Art. 8: termination for insolvency). The one model of failure
    over a term: :func:`term_failure` cuts independent years into terms and calls it.

    Parameters
    ----------
    surplus : array-like
        Shape ``(n_terms, term_years)``, £ per year, finite; 1 to 10,000,000 values and at most 50 years.
    reserves : float
        Reserves at the start of each term, £ >= 0.
    """
    arr = np.asarray(surplus, dtype=float) if not isinstance(surplus, (str, bytes)) else None
    if arr is None or arr.ndim != 2 or arr.size == 0 or arr.size > 10_000_000 or arr.shape[1] > 50:
        shape = None if arr is None else arr.shape
        raise ValueError("surplus must be a non-empty 2-d array (terms × years) of at most 10,000,000 values and "
                         f"50 years; got shape {shape}")
    if not np.isfinite(arr).all():
        raise ValueError("surplus must be finite (no NaN or infinity)")
    r = check_nonnegative("reserves", reserves)
    n, t = arr.shape
    level = r + np.cumsum(arr, axis=1)
    failed_by = np.minimum.accumulate(level, axis=1) < 0
    failed = failed_by[:, -1]
    first = np.where(failed, failed_by.argmax(axis=1), t - 1)
    absorbed = np.where(failed, -level[np.arange(n), first], 0.0)
    served = first + 1
    held = np.where(failed_by, level[np.arange(n), first][:, None], level)
    summary = TermFailure(
        p_fail_term=float(failed.mean()),
        p_fail_year=float(failed.sum() / served.sum()),
        absorbed_per_year=float(absorbed.sum() / served.sum()),
        years_served=float(served.mean()),
        n_terms=int(n),
    )
    return TermPaths(p_failed=failed_by.mean(axis=0), reserves_p5=np.quantile(held, 0.05, axis=0),
                     reserves_median=np.median(held, axis=0), council_shortfall=float(absorbed.mean()),
                     failure=summary)


def term_failure(surplus: object, reserves: float, term_years: int) -> TermFailure:
    """Run the practice's reserves through consecutive years of a contract term (:func:`term_paths`).

    The simulated years are cut into ``len(surplus) // term_years`` terms. Each term starts
    with reserves ``R``; each year's surplus is added (losses draw the reserves down). The
    first year the reserves would go below zero the practice fails: the council absorbs the
    shortfall and the contract ends (Art. 8: termination for insolvency).

    Parameters
    ----------
    surplus : array-like
        Surplus in each simulated year, £ (independent years).
    reserves : float
        Reserves at the start of the term, £ >= 0.
    term_years : int
        Years in a term, 1 to 50; at least one whole term must fit in ``surplus``.
    """
    pi = check_amounts("surplus", surplus)
    r = check_nonnegative("reserves", reserves)
    t = check_integer("term_years", term_years, low=1, high=50)
    n = pi.size // t
    if n < 1:
        raise ValueError(f"term_years must be at most the number of simulated years ({pi.size}); got {term_years!r}")
    return term_paths(pi[: n * t].reshape(n, t), r).failure


def reserve_for_failure_chance(surplus: object, chance: float = 0.05) -> float:
    """Reserves that keep the chance of failing in a year to ``chance``: the loss exceeded that often, £.

    ``max(-quantile(pi, chance), 0)``: the "contingency reserve" (s.6.1.6) a practice would
    need to hold so that a year's loss exceeds it with probability ``chance``.

    Parameters
    ----------
    surplus : array-like
        Simulated surpluses, £.
    chance : float
        In (0, 1).
    """
    pi = check_amounts("surplus", surplus)
    q = check_probability("chance", chance, allow_one=False)
    if q == 0:
        raise ValueError("chance must be > 0 (no finite reserve makes failure impossible); got 0")
    return float(max(-np.quantile(pi, q), 0.0))


def failure_comparison(contracts: Mapping[str, Contract] | Sequence[Contract], years: PracticeYears, reserves: float, *,
                       term_years: int, failure_cost: float, risk_tolerance: float) -> pd.DataFrame:
    """Each contract's chance of failure and the council's cost of it, on the same practice-years.

    Parameters
    ----------
    contracts : mapping or sequence
        ``{name: Contract}`` or Contracts named by their label
        (:mod:`swp_models.contracts`).
    years : swp_models.contracts.PracticeYears
        Priced as given (apply a :class:`Scope` first).
    reserves : float
        The practice's reserves ``R``, £ >= 0.
    term_years : int
        Years in a contract term (see :func:`term_failure`).
    failure_cost : float
        Council's one-off cost of a failure (taking back or moving the children and
        commissioning again), £ >= 0.
    risk_tolerance : float
        The practice's risk tolerance ``1/r``, £ (see
        :func:`swp_models.contracts.risk_aversion`).

    Returns
    -------
    pandas.DataFrame
        One row per contract: ``contract``; ``p_fail_year`` (chance of failing in a single
        year); ``p_fail_term`` and ``p_fail_term_year`` (over a term, reserves carried
        forward: per term and per year served); ``absorbed`` (the council's expected cost
        of losses beyond the reserves, £ a year, single years); ``absorbed_term`` (the
        same over a term, £ per year served); ``failure_cost`` (expected one-off cost of
        failures, £ a year over the term); ``reserve_1_in_20`` (reserves that hold the
        chance of failure in a year to 5%, £); ``risk_premium`` and
        ``risk_premium_limited`` (exact CARA premium with unlimited and with limited
        liability, £ a year); ``council_cost_limited``: ``E[C] + risk_premium_limited +
        admin + failure_cost`` — the council's expected total cost when the practice just
        accepts, the absorbed losses being paid back through a lower lump sum.
    """
    check_instance("years", years, PracticeYears, "PracticeYears")
    r = check_nonnegative("reserves", reserves)
    t = check_integer("term_years", term_years, low=1, high=50)
    fc = check_nonnegative("failure_cost", failure_cost)
    risk_aversion(risk_tolerance)
    mean_cost = float(years.totals.mean())
    rows = []
    for name, contract in contract_items(contracts):
        surplus = contract.surplus(years)
        single = limited_liability(surplus, r)
        term = term_failure(surplus, r, t)
        rp_limited = risk_premium(single.practice, risk_tolerance)
        failures = fc * term.p_fail_year
        rows.append({
            "contract": name,
            "p_fail_year": single.p_fail,
            "p_fail_term": term.p_fail_term,
            "p_fail_term_year": term.p_fail_year,
            "absorbed": single.expected_absorbed,
            "absorbed_term": term.absorbed_per_year,
            "failure_cost": failures,
            "reserve_1_in_20": reserve_for_failure_chance(surplus, 0.05),
            "risk_premium": risk_premium(surplus, risk_tolerance),
            "risk_premium_limited": rp_limited,
            "council_cost_limited": mean_cost + rp_limited + float(contract.admin_cost(years).mean()) + failures,
        })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------------
# The normal approximation: a contract's surplus from its exact mean and variance (the workbook's model)
# ---------------------------------------------------------------------------------------------

#: The contracts :func:`surplus_moments` gives in closed form, one of each of the report's four families.
NORMAL_FAMILIES: tuple[str, ...] = ("block", "capitation", "cost_and_volume", "outcome")

#: The shift of the reserves, in standard deviations of a year's surplus, that turns the chance of a
#: continuously watched balance crossing zero into that of a balance looked at once a year:
#: ``-zeta(1/2) / sqrt(2 pi)``, about 0.5826 (Broadie, Glasserman and Kou, 1997).
BARRIER_SHIFT: float = float(-special.zeta(0.5) / math.sqrt(2.0 * math.pi))


@dataclass(frozen=True)
class SurplusMoments:
    """Exact mean and variance of a practice's surplus under one contract, and the council's expected payment.

    Attributes
    ----------
    expected_payment : float
        The council's expected payment to the practice, £ a year.
    mean : float
        The practice's expected surplus, £ a year.
    variance : float
        Variance of the surplus, £ squared (>= 0).
    """

    expected_payment: float
    mean: float
    variance: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "expected_payment", check_in_range("expected_payment", self.expected_payment,
                                                                    -1e12, 1e12))
        object.__setattr__(self, "mean", check_in_range("mean", self.mean, -1e12, 1e12))
        object.__setattr__(self, "variance", check_nonnegative("variance", self.variance))

    @property
    def sd(self) -> float:
        """Standard deviation of the surplus, £ a year."""
        return math.sqrt(self.variance)


def surplus_moments(family: str, scope: Scope, cost_model: CostModel, caseload: int | Caseload, *,
                    margin: float = 0.0, share: float = 1.0, bonus: float = 0.0,
                    outcome_probability: float = 0.0) -> SurplusMoments:
    """A contract's expected payment and the exact mean and variance of the practice's surplus, in closed form.

    With ``C`` the practice's own cost under ``scope`` (:meth:`Scope.cost_moments`), ``N`` the caseload,
    ``g`` the :meth:`Scope.marginal_cost` of a child and ``m`` the margin, every contract pays
    ``E[C] (1 + m)`` on average before any bonus:

    * ``"block"``: ``P = (1 + m) E[C]``; ``Var(pi) = Var(C)``;
    * ``"capitation"`` (flat rate ``r = (1 + m)`` :meth:`Scope.flat_rate` a child): ``P = r N``;
      ``Var(pi) = r^2 Var(N) + Var(C) - 2 r g Var(N)``;
    * ``"cost_and_volume"`` (practice share ``s``): ``P = (1 - s) C + s E[C] + m E[C]``;
      ``Var(pi) = s^2 Var(C)``;
    * ``"outcome"`` (bonus ``b`` a child with the outcome, each child independently with chance ``p``):
      ``P = (1 + m) E[C] + b K``; ``Var(K) = E[N] p (1 - p) + p^2 Var(N)``, ``Cov(C, K) = p g Var(N)``,
      ``Var(pi) = Var(C) + b^2 Var(K) - 2 b Cov(C, K)``.

    These are the named contracts of :func:`~swp_models.contracts.default_contracts` (block, flat
    capitation, cost and volume, outcome on a fixed base) with the margin paid as a fixed sum; the
    threshold contracts, whose balanced baseline needs the whole distribution, are not among them.

    Parameters
    ----------
    family : str
        One of :data:`NORMAL_FAMILIES`.
    scope : Scope
    cost_model : CostModel
    caseload : int or Caseload
    margin : float, default 0
        ``m``, in [0, 0.5].
    share : float, default 1
        ``s`` for ``"cost_and_volume"``, in [0, 1].
    bonus : float, default 0
        ``b`` for ``"outcome"``, £ a child, in [0, 1,000,000].
    outcome_probability : float, default 0
        ``p`` for ``"outcome"``, in [0, 1].
    """
    check_one_of("family", family, NORMAL_FAMILIES)
    check_instance("scope", scope, Scope, "Scope")
    check_instance("cost_model", cost_model, CostModel, "CostModel")
    load = as_caseload(caseload)
    m = check_in_range("margin", margin, 0.0, 0.5)
    s = check_probability("share", share)
    b = check_in_range("bonus", bonus, 0.0, 1e6)
    p = check_probability("outcome_probability", outcome_probability)
    cost = scope.cost_moments(cost_model, load)
    ec, var_c, var_n = cost.mean, cost.variance, load.variance
    g = scope.marginal_cost(cost_model)
    if family == "block":
        pay, var = (1.0 + m) * ec, var_c
    elif family == "capitation":
        rate = (1.0 + m) * scope.flat_rate(cost_model, load)
        pay, var = rate * load.expected, rate * rate * var_n + var_c - 2.0 * rate * g * var_n
    elif family == "cost_and_volume":
        pay, var = (1.0 + m) * ec, s * s * var_c
    else:
        var_k = load.expected * p * (1.0 - p) + p * p * var_n
        pay = (1.0 + m) * ec + b * p * load.expected
        var = var_c + b * b * var_k - 2.0 * b * p * g * var_n
    return SurplusMoments(expected_payment=pay, mean=pay - ec, variance=max(var, 0.0))


@dataclass(frozen=True)
class NormalFailure:
    """Chances of a loss and of failure when each year's surplus is normal (:func:`normal_failure`).

    Attributes
    ----------
    p_loss : float
        Chance of a loss in a year.
    p_fail_year : float
        Chance that a year's loss exceeds the reserves.
    p_fail_term : float
        Chance that the reserves, carried forward, run out at some year's end in the term.
    """

    p_loss: float
    p_fail_year: float
    p_fail_term: float

    def __post_init__(self) -> None:
        for name in ("p_loss", "p_fail_year", "p_fail_term"):
            object.__setattr__(self, name, check_probability(name, getattr(self, name)))


def normal_failure(mean: float, sd: float, reserves: float, term_years: int) -> NormalFailure:
    """Chance of a loss, and of failure in a year and over a term, for normal yearly surpluses.

    With surplus ``pi ~ N(mu, sigma^2)`` each year, independent, and reserves ``R``:
    ``P(loss) = Phi(-mu / sigma)`` and ``P(fail in a year) = Phi((-R - mu) / sigma)``. Over a term of
    ``T > 1`` years the reserves are a random walk looked at once a year; the chance it goes below
    zero is approximated by that of a Brownian motion with the same drift and variance crossing a
    barrier moved down by :data:`BARRIER_SHIFT` ``sigma`` (the correction for yearly looks):
    with ``b = R + 0.5826 sigma``,
    ``Phi((-b - mu T) / (sigma sqrt T)) + exp(-2 mu b / sigma^2) Phi((-b + mu T) / (sigma sqrt T))``,
    never below the chance for one year. With ``T = 1`` it is the one-year chance. With ``sigma = 0``
    the surplus is certain and failure is 0 or 1.

    The simulator (:func:`term_failure`) gives the exact chance for the simulated surpluses; this
    approximation is what the take-away workbook computes (:mod:`swp_models.workbook`), which states its
    distance from the simulation at the book's defaults.

    Parameters
    ----------
    mean : float
        ``mu``, £ a year, in [-1e12, 1e12].
    sd : float
        ``sigma``, £ a year, in [0, 1e12].
    reserves : float
        ``R``, £, in [0, 1e12].
    term_years : int
        ``T``, 1 to 50.
    """
    mu = check_in_range("mean", mean, -1e12, 1e12)
    sigma = check_in_range("sd", sd, 0.0, 1e12)
    r = check_in_range("reserves", reserves, 0.0, 1e12)
    t = check_integer("term_years", term_years, low=1, high=50)
    if sigma == 0.0:
        lowest = min(r + mu, r + mu * t)
        return NormalFailure(p_loss=float(mu < 0), p_fail_year=float(mu < -r), p_fail_term=float(lowest < 0))
    p_loss = float(special.ndtr(-mu / sigma))
    p_year = float(special.ndtr((-r - mu) / sigma))
    if t == 1:
        return NormalFailure(p_loss, p_year, p_year)
    b = r + BARRIER_SHIFT * sigma
    root = sigma * math.sqrt(t)
    first = special.ndtr((-b - mu * t) / root)
    # exp(-2 mu b / sigma^2) Phi(.) in logs, so that a large negative drift does not overflow
    second = math.exp(min(-2.0 * mu * b / sigma**2 + special.log_ndtr((-b + mu * t) / root), 0.0))
    return NormalFailure(p_loss, p_year, float(min(1.0, max(p_year, first + second))))


def normal_risk_premium(variance: float, risk_tolerance: float) -> float:
    """The mean-variance risk premium ``r Var(pi) / 2`` from the surplus's variance, £ a year.

    The same approximation as :func:`~swp_models.contracts.risk_premium` with ``exact=False``, from the
    variance rather than a sample: exact for a normal surplus.

    Parameters
    ----------
    variance : float
        ``Var(pi)``, £ squared, in [0, 1e24].
    risk_tolerance : float
        ``1/r``, £ (>= 1; ``math.inf``: risk neutral).
    """
    v = check_in_range("variance", variance, 0.0, 1e24)
    return risk_aversion(risk_tolerance) * v / 2.0
