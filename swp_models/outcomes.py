"""Contracting for outcomes: indicators, clustered outcomes, value added, durability (chapter 6).

The report wants the contract "based on outcomes" (s.6.1.4) with a bonus "per unit of the
outcome" (s.6.1.6), warns that outcomes "may not always be under the full control of the
contractor" and suggests value-added measures (footnote 2). This module models three of the
draft contract's indicators (Annex A.2, Art. 22 and 25) for a practice's children:

* **stable placement**: fewer than three placements in the year (the contract's example
  "number of children with three plus placements"), placement moves being Poisson with a
  rate that rises with needs, with each change of social worker, with a caseload-wide
  factor and with a **child's own propensity to move** (a gamma factor, so that within a
  needs group the count is negative binomial and a minority of children move again and
  again), and falls with the practice's effort;
* **same social worker all year** (the contract's "Numbers of children with same social
  worker throughout previous year"), from chapter 2's continuity model: changes of worker
  are Poisson at the practice's hazard, and **one worker leaving changes the worker of every
  child on that caseload**, so outcomes cluster;
* **attainment**: a score driven by prior attainment and needs, the practice's effort, a
  caseload factor and changes of worker; the level indicator counts children above a target.

Children, their needs groups and their costs are chapter 5's simulated practice-years
(:func:`swp_models.contracts.simulate_practice_years`), so outcomes and costs are correlated
through needs. Paying on **value added** pays on each count minus its expected value given
what the practice cannot control (needs group; prior attainment), plus the expected count:
the same incentive, less risk.

Also here: the **durability rule** (Illinois, Annex A.3: a reunification counts only after
12 continuous months) with a constant re-entry hazard, the Illinois **permanency bonus**,
the **design effect** of clustering and the **two-task** model of teaching to the indicator
(Holmström and Milgrom 1991). Contracts, caps and reserves over the term are in
:mod:`swp_models.outcome_contracts`.
"""

from __future__ import annotations

from pathlib import Path

import math
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import special, stats

from .assumptions import cached
from . import assumptions, continuity, data, validation
from .contracts import PracticeYears, risk_aversion, risk_premium, simulate_practice_years
from .costs import Caseload, CostModel, default_caseload, default_cost_model
from .validation import (check_finite_array, check_in_range, check_instance, check_integer, check_nonnegative,
                         check_one_of, check_positive, check_probability, check_size, check_work)

__all__ = [
    "INDICATORS",
    "MEASURES",
    "ASSUMPTIONS_TABLE",
    "INDICATOR_TABLE",
    "EVIDENCE_TABLE",
    "assumption",
    "evidence",
    "indicators",
    "reentry_hazard",
    "Durability",
    "durability_rule",
    "simulate_reunification_spells",
    "permanency_bonus",
    "PLACEMENTS_TABLE",
    "placement_shares",
    "design_effect",
    "sampling_sd",
    "same_worker_icc",
    "OutcomeModel",
    "calibrate_placements",
    "placement_comparison",
    "default_outcome_model",
    "OutcomeDraws",
    "simulate_outcomes",
    "YearOutcomes",
    "DeferredCounts",
    "measure_comparison",
    "two_task_effort",
    "two_task_table",
]

#: Table of the chapter's labelled assumptions.
ASSUMPTIONS_TABLE = "assumptions_outcomes"
#: Table of the outcome indicators.
INDICATOR_TABLE = "outcome_indicators"
#: Table of the outcome evidence.
EVIDENCE_TABLE = "outcome_evidence"
#: Table of the published distribution of placements in a year (and two figures over a longer period).
PLACEMENTS_TABLE = "placements_in_year"
#: The modelled indicators (fewer than three placements, the same worker all year, attainment at the target).
INDICATORS: tuple[str, ...] = ("stable_placement", "same_worker", "attainment")
#: What a bonus is paid on (the count, or the count less its expected value given intake).
MEASURES: tuple[str, ...] = ("level", "value_added")
_MAX_MOVES = 60  # placement moves in a year counted one by one; the rest is one tail (below 1e-9 at the rates used)
_QUADRATURE_NODES = 48  # Gauss-Laguerre nodes over the caseload factor (exact to ~1e-12 for the cv used)
_MAX_WORKER_CHANGES = 25  # Poisson inversion stops here (P(K > 25) is below 1e-20 at any hazard used)
_MAX_YEARS = 2_000_000
_MAX_CASELOAD = 10_000  # children in one practice: far above any practice the book considers


def assumption(parameter: str, *, data_dir: str | Path | None = None) -> float:
    """Value of one row of ``data/assumptions_outcomes.csv`` (e.g. ``"social_workers"``)."""
    return assumptions.value_in(ASSUMPTIONS_TABLE, parameter, data_dir=data_dir)


def evidence(measure: str, *, data_dir: str | Path | None = None) -> float:
    """Value of one row of ``data/outcome_evidence.csv`` (percentages stay percentages)."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    if not isinstance(measure, str):
        raise ValueError(f"measure must be a string; got {measure!r}")
    check_one_of("measure", measure, list(data.load(EVIDENCE_TABLE, data_dir=data_dir)["measure"]))
    return data.value(EVIDENCE_TABLE, measure=measure, data_dir=data_dir)


def indicators(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The draft contract's indicators (Annex A.2, Arts. 22-27), one row each, as in the data table."""
    return data.load(INDICATOR_TABLE, data_dir=data_dir)


def placement_shares(period: str = "2005-06", *, data_dir: str | Path | None = None) -> dict[str, float]:
    """Published shares of children looked after at 31 March by placements during the year.

    From ``data/placements_in_year.csv`` (House of Lords written answer, 20 March 2008):
    ``{"six_plus": share with six or more placements, "eleven_plus": share with eleven or more}``,
    as fractions of all children looked after at 31 March.

    Parameters
    ----------
    period : str, default "2005-06"
        ``"2005-06"`` or ``"2006-07"`` (years ending 31 March 2006 and 2007).
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    check_one_of("period", period, ("2005-06", "2006-07"))

    def count(measure: str) -> float:
        return data.value(PLACEMENTS_TABLE, period=period, measure=measure, data_dir=data_dir)

    total = count("children_at_31_march")
    eleven = count("eleven_plus_placements")
    return {"six_plus": (count("six_to_ten_placements") + eleven) / total, "eleven_plus": eleven / total}


# ---------------------------------------------------------------------------------------
# The durability rule and the Illinois permanency bonus
# ---------------------------------------------------------------------------------------


def reentry_hazard(reentry_within_year: float) -> float:
    """Constant re-entry hazard (per year) at which a share ``p`` of reunifications break down within a year.

    ``lambda = -ln(1 - p)``.

    Parameters
    ----------
    reentry_within_year : float
        Share of reunifications that end (the child returns to care) within 12 months, in [0, 1).
    """
    p = check_probability("reentry_within_year", reentry_within_year, allow_one=False)
    return -math.log1p(-p)


@dataclass(frozen=True)
class Durability:
    """What a bonus on reunifications pays with and without the durability rule (expected values).

    Attributes
    ----------
    lasting_share : float
        Share of reunifications that last the whole window, ``exp(-lambda w)``.
    paid_without_rule : float
        £: every reunification paid when it happens.
    paid_with_rule : float
        £: only reunifications lasting the window paid, at its end.
    paid_for_breakdowns : float
        £ paid without the rule for reunifications that break down within the window.
    breakdowns : float
        Expected reunifications that break down within the window.
    """

    lasting_share: float
    paid_without_rule: float
    paid_with_rule: float
    paid_for_breakdowns: float
    breakdowns: float

    def __post_init__(self) -> None:
        check_probability("lasting_share", self.lasting_share)
        for name in ("paid_without_rule", "paid_with_rule", "paid_for_breakdowns", "breakdowns"):
            check_nonnegative(name, getattr(self, name))


def durability_rule(reunifications: float, bonus: float, hazard: float, window_years: float = 1.0) -> Durability:
    """The durability rule with a constant re-entry hazard (Illinois: "at least 12 continuous months").

    A reunification lasts at least ``w`` years with probability ``exp(-lambda w)``. Without
    the rule each of ``R`` reunifications earns ``bonus`` at once; with it only those that last.

    Parameters
    ----------
    reunifications : float
        Reunifications in the period, ``R`` >= 0 (an expected number may be fractional).
    bonus : float
        £ per reunification counted, >= 0.
    hazard : float
        Re-entry hazard ``lambda`` per year, >= 0 (see :func:`reentry_hazard`).
    window_years : float, default 1
        The continuous period a reunification must last, years, > 0 (12 months in Illinois).

    Returns
    -------
    Durability
    """
    r = check_nonnegative("reunifications", reunifications)
    b = check_nonnegative("bonus", bonus)
    lam = check_nonnegative("hazard", hazard)
    w = check_in_range("window_years", window_years, 0.0, 100.0, low_open=True)
    keep = math.exp(-lam * w)
    return Durability(
        lasting_share=keep,
        paid_without_rule=b * r,
        paid_with_rule=b * r * keep,
        paid_for_breakdowns=b * r * (1.0 - keep),
        breakdowns=r * (1.0 - keep),
    )


def simulate_reunification_spells(n: int, hazard: float, seed: int) -> np.ndarray:
    """Durations (years) of ``n`` reunifications ending at a constant re-entry hazard (exponential).

    Parameters
    ----------
    n : int
        Number of reunifications, 1 to 10,000,000.
    hazard : float
        Re-entry hazard per year, > 0.
    seed : int
        Random seed, >= 0.
    """
    n = check_integer("n", n, low=1, high=10_000_000)
    lam = check_positive("hazard", hazard)
    rng = np.random.default_rng(check_integer("seed", seed, low=0))
    return rng.exponential(1.0 / lam, size=n)


def permanency_bonus(caseload: int, rate: float, threshold_share: float, bonus: float,
                     lasting_share: float = 1.0) -> dict[str, float]:
    """The Illinois bonus: paid per child moved into a permanent home above a share of the caseload.

    Moves are ``K ~ Binomial(N, rate * lasting_share)`` (only moves that count: with the
    durability rule, those lasting the window); the bonus is ``bonus * max(K - floor(t N), 0)``
    (more than the contracted ``t N`` children). Exact, from the binomial distribution.

    Parameters
    ----------
    caseload : int
        Children ``N``, 1 to 100,000.
    rate : float
        Chance in [0, 1] that a child moves to a permanent home in the year.
    threshold_share : float
        Contracted share ``t`` in [0, 1] (24% in Illinois).
    bonus : float
        £ per child above the threshold, >= 0.
    lasting_share : float, default 1
        Share of moves that count, in [0, 1].

    Returns
    -------
    dict
        ``expected_moves``, ``threshold`` (children), ``p_bonus`` (chance any bonus is paid)
        and ``expected_bonus`` (£).
    """
    n = check_integer("caseload", caseload, low=1, high=validation.MAX_PRACTICE_CHILDREN)
    p = check_probability("rate", rate) * check_probability("lasting_share", lasting_share)
    t = check_probability("threshold_share", threshold_share)
    b = check_nonnegative("bonus", bonus)
    cut = math.floor(t * n + 1e-9)
    k = np.arange(n + 1)
    pmf = stats.binom.pmf(k, n, p)
    above = np.maximum(k - cut, 0)
    return {
        "expected_moves": n * p,
        "threshold": float(cut),
        "p_bonus": float(pmf[k > cut].sum()),
        "expected_bonus": float(b * (pmf * above).sum()),
    }


# ---------------------------------------------------------------------------------------
# Sampling noise and clustering
# ---------------------------------------------------------------------------------------


def design_effect(children_per_practice: float, icc: float) -> float:
    """Variance inflation of a count over clusters of size ``m`` with intra-cluster correlation ``rho``.

    ``1 + (m - 1) rho``: the variance of a count of children over equal caseloads of ``m``
    children is this times the variance of the same count over independent children.

    Parameters
    ----------
    children_per_practice : float
        ``m``, the children (or child-years) of one caseload, 1 to
        :data:`~swp_models.validation.MAX_CHILD_YEARS`.
    icc : float
        ``rho`` in [0, 1].
    """
    m = check_in_range("children_per_practice", children_per_practice, 1.0, validation.MAX_CHILD_YEARS)
    rho = check_probability("icc", icc)
    return 1.0 + (m - 1.0) * rho


def sampling_sd(rate: float, children: int, icc: float = 0.0, children_per_practice: float = 1.0) -> float:
    """Standard deviation of a share of ``children`` children, in percentage points.

    ``100 sqrt(p (1 - p) / n * DE)`` with ``DE`` the :func:`design_effect`. Three or more
    placements at 12% for 100 children: about 3.2 points.

    Parameters
    ----------
    rate : float
        The underlying share ``p`` in [0, 1].
    children : int
        ``n`` >= 1.
    icc, children_per_practice : float
        Clustering, as in :func:`design_effect` (defaults: independent children).
    """
    p = check_probability("rate", rate)
    n = check_integer("children", children, low=1, high=10_000_000)
    return 100.0 * math.sqrt(p * (1.0 - p) / n * design_effect(children_per_practice, icc))


def same_worker_icc(hazard: float, individual_change_probability: float = 0.0) -> float:
    """Intra-caseload correlation of "same worker all year" when a worker's departure moves the whole caseload.

    Worker changes on a caseload are Poisson with mean ``h`` a year; each child also changes
    worker alone with chance ``q``. With ``a = exp(-h)`` and ``p = (1 - q) a``,
    ``rho = (1 - q)^2 a (1 - a) / (p (1 - p))``.

    Parameters
    ----------
    hazard : float
        ``h`` >= 0, changes per caseload per year.
    individual_change_probability : float, default 0
        ``q`` in [0, 1).
    """
    h = check_nonnegative("hazard", hazard)
    q = check_probability("individual_change_probability", individual_change_probability, allow_one=False)
    a = math.exp(-h)
    p = (1.0 - q) * a
    if p <= 0.0 or p >= 1.0:
        return 0.0
    return (1.0 - q) ** 2 * a * (1.0 - a) / (p * (1.0 - p))


# ---------------------------------------------------------------------------------------
# The outcome model
# ---------------------------------------------------------------------------------------


def _check_shares(name: str, shares: object) -> np.ndarray:
    """Three needs-group shares, non-negative and summing to 1, as an array (else a ValueError naming ``name``)."""
    try:
        w = np.asarray(shares, dtype=float)
    except (TypeError, ValueError):
        w = np.full(0, np.nan)
    if w.shape != (3,) or not np.isfinite(w).all() or (w < 0).any() or not math.isclose(w.sum(), 1.0, abs_tol=1e-6):
        raise ValueError(f"{name} must be three non-negative needs-group shares summing to 1; got {shares!r}")
    return w


def _triple(name: str, values: object) -> tuple[float, float, float]:
    if not isinstance(values, (tuple, list)) or len(values) != 3:
        raise ValueError(f"{name} must be three numbers, one per needs group; got {values!r}")
    return tuple(check_nonnegative(f"{name}[{i}]", v) for i, v in enumerate(values))  # type: ignore[return-value]


@dataclass(frozen=True)
class OutcomeModel:
    """How a practice's children's outcomes arise (all rates per year).

    Parameters
    ----------
    hazard : float
        Changes of worker per caseload per year with no effort (chapter 2's practice hazard), >= 0.
    social_workers : int
        Caseloads the children are spread over, 1 to 1,000.
    individual_change_probability : float
        Chance in [0, 1) that a child's worker changes for the child's own reasons.
    retention_effect : float
        Share in [0, 1] by which full effort cuts the hazard.
    placement_base_rate : float
        Placement moves a year of a child with no additional needs, no effort, no change of
        worker and an average caseload, >= 0.
    placement_multipliers : tuple of three floats
        Move rate by needs group (no additional needs, EBD or offending, complex), each >= 0.
    placement_worker_change_effect : float
        Rise (share, >= 0) in the move rate per change of worker.
    placement_caseload_cv : float
        Coefficient of variation (>= 0) of a caseload-wide gamma factor on the move rate.
    placement_effort_effect : float
        Share in [0, 1] by which full effort cuts the move rate.
    attainment_prior_weight : float
        Weight ``a`` in [0, 1) of prior attainment (standard deviations).
    attainment_gaps : tuple of three floats
        How far below the no-needs group each group's attainment lies (sd), each >= 0.
    attainment_worker_change_effect : float
        Fall in attainment per change of worker (sd), >= 0.
    attainment_caseload_sd : float
        Sd of a caseload-wide factor on attainment, >= 0.
    attainment_effort_effect : float
        Rise in attainment at full effort (sd), >= 0.
    attainment_target : float
        The level a child must reach to count (sd units), finite.
    placement_child_cv : float, default 0
        Coefficient of variation (0 to 5) of a child's own gamma factor on the move rate: how
        unevenly moves fall on children with the same needs. 0 gives Poisson moves within a
        needs group; above 0 the count is negative binomial (before the caseload factor).
    """

    hazard: float
    social_workers: int
    individual_change_probability: float
    retention_effect: float
    placement_base_rate: float
    placement_multipliers: tuple[float, float, float]
    placement_worker_change_effect: float
    placement_caseload_cv: float
    placement_effort_effect: float
    attainment_prior_weight: float
    attainment_gaps: tuple[float, float, float]
    attainment_worker_change_effect: float
    attainment_caseload_sd: float
    attainment_effort_effect: float
    attainment_target: float = 0.0
    placement_child_cv: float = 0.0

    def __post_init__(self) -> None:
        s = object.__setattr__
        s(self, "hazard", check_in_range("hazard", self.hazard, 0.0, 20.0))
        s(self, "social_workers", check_integer("social_workers", self.social_workers, low=1, high=1000))
        s(self, "individual_change_probability",
          check_probability("individual_change_probability", self.individual_change_probability, allow_one=False))
        s(self, "retention_effect", check_probability("retention_effect", self.retention_effect))
        s(self, "placement_base_rate", check_in_range("placement_base_rate", self.placement_base_rate, 0.0, 50.0))
        s(self, "placement_multipliers", _triple("placement_multipliers", self.placement_multipliers))
        s(self, "placement_worker_change_effect",
          check_in_range("placement_worker_change_effect", self.placement_worker_change_effect, 0.0, 10.0))
        s(self, "placement_caseload_cv", check_in_range("placement_caseload_cv", self.placement_caseload_cv, 0.0, 5.0))
        s(self, "placement_effort_effect", check_probability("placement_effort_effect", self.placement_effort_effect))
        s(self, "attainment_prior_weight",
          check_in_range("attainment_prior_weight", self.attainment_prior_weight, 0.0, 1.0, high_open=True))
        s(self, "attainment_gaps", _triple("attainment_gaps", self.attainment_gaps))
        for name in ("attainment_worker_change_effect", "attainment_caseload_sd", "attainment_effort_effect"):
            s(self, name, check_in_range(name, getattr(self, name), 0.0, 5.0))
        s(self, "attainment_target", check_in_range("attainment_target", self.attainment_target, -10.0, 10.0))
        s(self, "placement_child_cv", check_in_range("placement_child_cv", self.placement_child_cv, 0.0, 5.0))

    def replace(self, **changes: object) -> "OutcomeModel":
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def hazard_at(self, effort: float) -> float:
        """Changes of worker per caseload per year at ``effort`` in [0, 1]."""
        return self.hazard * (1.0 - self.retention_effect * check_probability("effort", effort))

    # -- expected values given what the practice cannot control ---------------------------

    def _change_pmf(self, effort: float) -> tuple[np.ndarray, np.ndarray]:
        """Changes of worker a child has in a year: values and probabilities (caseload Poisson + own change)."""
        h = self.hazard_at(effort)
        k = np.arange(_MAX_WORKER_CHANGES + 2)
        pois = stats.poisson.pmf(np.arange(_MAX_WORKER_CHANGES + 1), h)
        q = self.individual_change_probability
        pmf = np.zeros(k.size)
        pmf[:-1] += (1 - q) * pois
        pmf[1:] += q * pois
        return k, pmf

    def moves_pmf(self, group: int | np.ndarray, effort: float) -> np.ndarray:
        """Distribution of a child's placement moves in the year, by needs group index (0, 1, 2).

        Moves are Poisson at the rate ``base (1 - effect e) multiplier (1 + w K) F Z``, with ``K``
        the child's changes of worker, ``F`` the caseload's gamma factor and ``Z`` the child's own
        (mean 1, coefficient of variation ``placement_child_cv``). Given ``F`` and ``K`` the count
        is negative binomial (Poisson when the child's cv is 0); ``F`` is integrated out by
        generalised Gauss-Laguerre quadrature and ``K`` by its distribution.

        Returns
        -------
        numpy.ndarray
            Shape ``(groups, 62)``: the chance of 0, 1, ..., 60 moves, and in the last column of
            more than 60 (each row sums to 1).
        """
        g = np.atleast_1d(np.asarray(group))
        e = check_probability("effort", effort)
        k, pmf_k = self._change_pmf(e)
        kept = pmf_k > 1e-20
        k, pmf_k = k[kept], pmf_k[kept]
        mult = np.asarray(self.placement_multipliers)[g]
        mu = (self.placement_base_rate * (1 - self.placement_effort_effect * e) * mult[:, None]
              * (1 + self.placement_worker_change_effect * k[None, :]))  # (groups, K)
        cv = self.placement_caseload_cv
        if cv == 0:
            factors, weights = np.ones(1), np.ones(1)
        else:
            shape = 1.0 / cv**2
            x, w = special.roots_genlaguerre(_QUADRATURE_NODES, shape - 1.0)
            factors, weights = x / shape, w / math.gamma(shape)
        rate = mu[:, :, None] * factors[None, None, :]  # (groups, K, nodes)
        j = np.arange(_MAX_MOVES + 1)[:, None, None, None]
        # The pmfs in closed form on the log scale (scipy.stats' generic pmf is some fifty times slower here,
        # and the calibration calls this a hundred times); xlogy makes 0 * log 0 = 0 at a zero rate.
        if self.placement_child_cv == 0:
            pj = np.exp(special.xlogy(j, rate[None]) - rate[None] - special.gammaln(j + 1.0))
        else:
            r = 1.0 / self.placement_child_cv**2
            pj = np.exp(special.gammaln(j + r) - special.gammaln(r) - special.gammaln(j + 1.0)
                        + r * (math.log(r) - np.log(r + rate[None])) + special.xlogy(j, rate[None] / (r + rate[None])))
        # Average over the caseload factor (quadrature) and the changes of worker.
        out = np.einsum("jgkn,n,k->gj", pj, weights, pmf_k)
        out = np.clip(out, 0.0, None)
        tail = np.clip(1.0 - out.sum(axis=1, keepdims=True), 0.0, None)
        return np.hstack([out, tail])

    def p_stable(self, group: int | np.ndarray, effort: float) -> np.ndarray:
        """Chance of fewer than three placements (at most one move) in the year, by needs group index (0, 1, 2)."""
        return self.moves_pmf(group, effort)[:, :2].sum(axis=1)

    def placements_distribution(self, shares: tuple[float, ...] | np.ndarray, effort: float) -> dict[str, float]:
        """Share of children with one, two, three to five, six to ten and eleven or more placements in the year.

        A child's placements are its moves plus one. ``shares`` are the needs groups' shares.
        """
        w = _check_shares("shares", shares)
        p = w @ self.moves_pmf(np.arange(3), effort)
        return {"one": float(p[0]), "two": float(p[1]), "three_to_five": float(p[2:5].sum()),
                "six_to_ten": float(p[5:10].sum()), "eleven_plus": float(p[10:].sum())}

    def p_attain(self, prior: np.ndarray, group: np.ndarray, effort: float) -> np.ndarray:
        """Chance of reaching the attainment target given prior attainment and needs group.

        The chance is a mixture over the child's changes of worker of normal distribution
        functions; for many children it is read from a table of the mixture and its slope,
        within 1e-14 of summing the mixture child by child.
        """
        a = self.attainment_prior_weight
        k, pmf = self._change_pmf(effort)
        # Numbers of changes with a chance below 1e-20 are left out: together they move no
        # probability by more than 1e-18, and leaving them out saves most of the work.
        kept = pmf > 1e-20
        k, pmf = k[kept], pmf[kept]
        gap = np.asarray(self.attainment_gaps)[np.asarray(group)]
        centre = a * np.asarray(prior) - (1 - a) * gap + self.attainment_effort_effect * effort - self.attainment_target
        scale = math.sqrt(self.attainment_caseload_sd**2 + 1 - a * a)
        return _normal_mixture_cdf(centre / scale, self.attainment_worker_change_effect * k / scale, pmf)

    def p_attain_group(self, group: int, effort: float) -> float:
        """Chance of reaching the target for a child of a needs group (prior attainment integrated out)."""
        a = self.attainment_prior_weight
        gap = self.attainment_gaps[group]
        k, pmf = self._change_pmf(effort)
        centre = -gap + self.attainment_effort_effect * effort - self.attainment_target
        scale = math.sqrt(self.attainment_caseload_sd**2 + 1)
        return float(special.ndtr((centre - self.attainment_worker_change_effect * k) / scale) @ pmf)

    def p_same(self, effort: float) -> float:
        """Chance of the same worker all year: ``(1 - q) exp(-h(effort))``."""
        return (1 - self.individual_change_probability) * math.exp(-self.hazard_at(effort))

    def expected_rates(self, shares: tuple[float, ...] | np.ndarray, effort: float) -> dict[str, float]:
        """Expected share of children with each indicator, for needs-group ``shares``."""
        w = np.asarray(shares, dtype=float)
        g = np.arange(3)
        return {
            "stable_placement": float(w @ self.p_stable(g, effort)),
            "same_worker": self.p_same(effort),
            "attainment": float(sum(w[i] * self.p_attain_group(i, effort) for i in g)),
        }


#: Spacing of :func:`_normal_mixture_cdf`'s table (standard deviations): a cubic through the mixture
#: and its slope at both ends of a step of ``h`` is within ``h**4 / 384`` times the mixture's largest
#: fourth derivative (at most 0.56, the normal density's largest third derivative): here 1.3e-15.
_MIXTURE_STEP = 2.0**-10
#: The table is used only for at least this many points, each step of it holding eight of them on average.
_MIXTURE_TABLE_MIN = 20_000


def _mixture_sum(x: np.ndarray, shifts: np.ndarray, weights: np.ndarray, density: bool = False) -> np.ndarray:
    """``sum_i weights[i] F(x - shifts[i])``, term by term in order, with ``F`` the normal distribution function
    (or its density): two arrays the size of ``x``, and no multithreaded matrix product."""
    out = np.zeros(x.shape)
    z = np.empty(x.shape)
    for s_i, w_i in zip(shifts, weights):
        np.subtract(x, s_i, out=z)
        if density:
            np.square(z, out=z)
            z *= -0.5
            np.exp(z, out=z)
            z *= w_i / math.sqrt(2 * math.pi)
        else:
            special.ndtr(z, out=z)
            z *= w_i
        out += z
    return out


def _normal_mixture_cdf(x: np.ndarray | float, shifts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``sum_i weights[i] Phi(x - shifts[i])`` at every ``x``, ``Phi`` the standard normal distribution function.

    ``weights`` must be non-negative and sum to at most 1. For fewer than 20,000 points, or
    points spread so widely that a table would hold more than one step per eight of them, the sum
    is taken point by point. Otherwise it is read from a table over the points' range at steps
    of 2**-10: the mixture and its density at each step, joined by the cubic that matches both
    at its ends. That cubic is within 1.3e-15 of the mixture (``h**4 / 384`` times the largest
    fourth derivative, at most 0.56), so the table agrees with the sum to 1e-14 while evaluating
    the normal distribution function some ten times less often for a large sample.
    """
    x = np.asarray(x, dtype=float)
    shifts = np.asarray(shifts, dtype=float)
    weights = np.asarray(weights, dtype=float)
    if x.size >= _MIXTURE_TABLE_MIN:
        low, high = float(x.min()), float(x.max())
        steps = (high - low) / _MIXTURE_STEP if math.isfinite(low) and math.isfinite(high) else math.inf
        if steps * 8 <= x.size:
            n = int(steps) + 2
            grid = low + _MIXTURE_STEP * np.arange(n)
            f = _mixture_sum(grid, shifts, weights)
            d = _mixture_sum(grid, shifts, weights, density=True) * _MIXTURE_STEP
            # The cubic on each step in powers of the position u in [0, 1] along it. scipy's CubicHermiteSpline
            # builds the same cubics (to 2e-15), but finds each point's step by binary search: 55 ms for 500,000
            # points, against 11-21 ms here, where the equal steps give it by one division.
            c2 = 3.0 * (f[1:] - f[:-1]) - 2.0 * d[:-1] - d[1:]
            c3 = 2.0 * (f[:-1] - f[1:]) + d[:-1] + d[1:]
            t = (x - low) / _MIXTURE_STEP
            i = np.minimum(t.astype(np.intp), n - 2)
            u = t - i
            out = c3[i]
            out *= u
            out += c2[i]
            out *= u
            out += d[:-1][i]
            out *= u
            out += f[:-1][i]
            return out
    return _mixture_sum(x, shifts, weights)


def _solve(f, target: float, low: float, high: float) -> float:
    from scipy.optimize import brentq

    return float(brentq(lambda x: f(x) - target, low, high, xtol=1e-10))


@cached(maxsize=8)
def default_outcome_model(social_workers: int | None = None) -> OutcomeModel:
    """The chapter's outcome model, calibrated to national rates under council conditions.

    Two placement parameters are set jointly, at the England 2005 council hazard of worker
    change (chapter 2) and no extra effort: the base rate so that 12% of children have three
    or more placements (England 2005/06), and the spread of children's own propensity to move
    (``placement_child_cv``) so that the share with six or more placements is the published
    share for 2005-06 (:func:`placement_shares`). The attainment target is set so that 63%
    reach it (at least one GCSE at A*-G, England 2006). The model is then run at the
    practice's own hazard (chapter 2's practice scenario). Other parameters:
    ``data/assumptions_outcomes.csv``.

    The calibration fits rates of children, which do not depend on how many caseloads the practice
    has (``social_workers`` only groups the simulated children into caseloads), so it is done once
    and the model for another number of workers is the same model with that number.
    """
    model = _calibrated_model()
    if social_workers is None:
        return model
    w = check_integer("social_workers", social_workers, 1, 1000)
    return model if w == model.social_workers else model.replace(social_workers=w)


@cached(maxsize=1)
def _calibrated_model() -> OutcomeModel:
    """:func:`default_outcome_model` with the chapter's number of workers (the calibration itself)."""
    scen = continuity.reference_scenarios()
    a = assumption
    w = int(a("social_workers"))
    council_h = continuity.hazard(scen["Council, England 2005"])
    shares = default_cost_model().shares
    model = OutcomeModel(
        hazard=council_h, social_workers=w,
        individual_change_probability=a("individual_change_probability"),
        retention_effect=a("retention_effect"), placement_base_rate=0.5,
        placement_multipliers=(1.0, a("placement_multiplier_ebd"), a("placement_multiplier_complex")),
        placement_worker_change_effect=a("placement_worker_change_effect"),
        placement_caseload_cv=a("placement_caseload_cv"), placement_effort_effect=a("placement_effort_effect"),
        attainment_prior_weight=a("attainment_prior_weight"),
        attainment_gaps=(0.0, a("attainment_gap_ebd"), a("attainment_gap_complex")),
        attainment_worker_change_effect=a("attainment_worker_change_effect"),
        attainment_caseload_sd=a("attainment_caseload_sd"), attainment_effort_effect=a("attainment_effort_effect"),
    )
    model = calibrate_placements(model, shares)
    reach = evidence("gcse_one_a_star_to_g_england") / 100
    target = _solve(lambda c: -model.replace(attainment_target=c).expected_rates(shares, 0.0)["attainment"],
                    -reach, -5.0, 5.0)
    return model.replace(attainment_target=target, hazard=continuity.hazard(scen["Practice"]))


def calibrate_placements(model: OutcomeModel, shares: tuple[float, ...] | np.ndarray,
                         child_cv: float | None = None) -> OutcomeModel:
    """``model`` with its placement base rate (and, unless given, its child-level spread) fitted to England 2005-06.

    The base rate is set so that the share of children with three or more placements in the
    year, at no extra effort and ``model``'s hazard, is the England figure for 2005/06
    (``three_plus_placements_england``). Unless ``child_cv`` is given, the coefficient of
    variation of a child's own propensity to move is then set (with the base rate refitted at
    each step) so that the share with six or more placements is the published 2005-06 share;
    ``child_cv=0`` gives the Poisson model the chapter used before.

    Parameters
    ----------
    model : OutcomeModel
    shares : sequence of three floats
        Needs-group shares, summing to 1.
    child_cv : float, optional
        A fixed child-level coefficient of variation in [0, 5]; default fitted.
    """
    check_instance("model", model, OutcomeModel, "OutcomeModel")
    w = _check_shares("shares", shares)
    unstable = evidence("three_plus_placements_england") / 100

    def fit_base(cv: float) -> OutcomeModel:
        m = model.replace(placement_child_cv=cv)
        base = _solve(lambda r: 1 - m.replace(placement_base_rate=r).expected_rates(w, 0.0)["stable_placement"],
                      unstable, 1e-6, 10.0)
        return m.replace(placement_base_rate=base)

    if child_cv is not None:
        return fit_base(check_in_range("child_cv", child_cv, 0.0, 5.0))
    target = placement_shares("2005-06")["six_plus"]

    def six_plus(cv: float) -> float:
        d = fit_base(cv).placements_distribution(w, 0.0)
        return d["six_to_ten"] + d["eleven_plus"]

    return fit_base(_solve(six_plus, target, 0.0, 4.0))


def _no_move_years(model: OutcomeModel, shares: np.ndarray, years: int) -> float:
    """Chance that a child has no placement move in ``years`` years running, its own and its caseload's factor kept."""
    k, pmf_k = model._change_pmf(0.0)
    mult = np.asarray(model.placement_multipliers)
    mu = model.placement_base_rate * mult[:, None] * (1 + model.placement_worker_change_effect * k[None, :])

    def nodes(cv: float) -> tuple[np.ndarray, np.ndarray]:
        if cv == 0:
            return np.ones(1), np.ones(1)
        shape = 1.0 / cv**2
        x, w = special.roots_genlaguerre(_QUADRATURE_NODES, shape - 1.0)
        return x / shape, w / math.gamma(shape)

    f, wf = nodes(model.placement_caseload_cv)
    z, wz = nodes(model.placement_child_cv)
    rate = mu[:, :, None, None] * f[None, None, :, None] * z[None, None, None, :]
    one_year = np.einsum("gkfz,k->gfz", np.exp(-rate), pmf_k)  # changes of worker drawn afresh each year
    return float(shares @ np.einsum("gfz,f,z->g", one_year**years, wf, wz))


def placement_comparison(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The placement model against published figures, with and without children's own propensity to move.

    Both models are calibrated to the 2005/06 share with three or more placements; the mixed
    one also to the share with six or more. Under 2005 council conditions (chapter 2's council
    hazard, no extra effort) and the book's needs mix. Rows: the shares with three or more, six
    or more and eleven or more placements in a year (2005-06); the share of children with no
    move in two years running (against the 2008 share of long-stay children under 16 in the same
    placement for two years); and placements per child over 3.5 years (against Ward's 242
    long-stay children, the first placement included).

    Returns
    -------
    pandas.DataFrame
        ``measure``, ``published`` (a share, or placements per child), ``poisson``, ``mixed``, ``use``
        (``"calibrated"`` or ``"check"``).
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    scen = continuity.reference_scenarios()
    council = default_outcome_model().replace(hazard=continuity.hazard(scen["Council, England 2005"]))
    shares = np.asarray(default_cost_model().shares, dtype=float)
    models = {"poisson": calibrate_placements(council, shares, child_cv=0.0), "mixed": council}
    pub = placement_shares("2005-06", data_dir=data_dir)
    ward = data.value(PLACEMENTS_TABLE, period="study", measure="placements_made", data_dir=data_dir) / data.value(
        PLACEMENTS_TABLE, period="study", measure="long_stay_children", data_dir=data_dir)
    two = data.value(PLACEMENTS_TABLE, period="2007-08", measure="same_placement_two_years_share", data_dir=data_dir) / 100
    rows = {"three_plus": [evidence("three_plus_placements_england", data_dir=data_dir) / 100, "calibrated"],
            "six_plus": [pub["six_plus"], "calibrated (mixed)"], "eleven_plus": [pub["eleven_plus"], "check"],
            "same_placement_two_years": [two, "check"], "placements_over_3_5_years": [ward, "check"]}
    out = {k: {"measure": k, "published": v[0], "use": v[1]} for k, v in rows.items()}
    for name, m in models.items():
        d = m.placements_distribution(shares, 0.0)
        moves = float(shares @ (m.moves_pmf(np.arange(3), 0.0)[:, :-1] @ np.arange(_MAX_MOVES + 1)))
        out["three_plus"][name] = d["three_to_five"] + d["six_to_ten"] + d["eleven_plus"]
        out["six_plus"][name] = d["six_to_ten"] + d["eleven_plus"]
        out["eleven_plus"][name] = d["eleven_plus"]
        out["same_placement_two_years"][name] = _no_move_years(m, shares, 2)
        out["placements_over_3_5_years"][name] = 1.0 + 3.5 * moves
    return pd.DataFrame(list(out.values()))[["measure", "published", "poisson", "mixed", "use"]]


# ---------------------------------------------------------------------------------------
# Simulation on chapter 5's children
# ---------------------------------------------------------------------------------------


def _checked_counts(name: str, counts: dict, n: tuple[int, ...]) -> dict:
    """``counts`` if it holds one array of shape ``n`` per indicator; a named error otherwise."""
    if set(counts) != set(INDICATORS):
        raise ValueError(f"{name} must have one array per indicator {INDICATORS}; got {sorted(counts)}")
    for key, arr in counts.items():
        if not isinstance(arr, np.ndarray) or arr.shape != n:
            raise ValueError(f"{name}[{key!r}] must be an array of one count per year (shape {n}); got "
                             f"{getattr(arr, 'shape', type(arr).__name__)}")
    return counts


class DeferredCounts(Mapping):
    """Counts of each indicator (a mapping of indicator to array), computed when first read.

    :meth:`OutcomeDraws.at` gives value added this way: its expected attainment needs a normal
    probability for every child and every number of changes of worker, the largest part of pricing a
    new sample, and a contract paid on levels never reads it. Safe to read from several threads (it
    is computed once).

    Parameters
    ----------
    build : callable
        Returns the dict of indicator to array, called at most once.
    """

    def __init__(self, build: Callable[[], dict[str, np.ndarray]]) -> None:
        if not callable(build):
            raise TypeError(f"build must be callable; got {type(build).__name__}")
        self._build: Callable[[], dict[str, np.ndarray]] | None = build
        self._held: dict[str, np.ndarray] | None = None
        self._lock = threading.Lock()

    def _counts(self) -> dict[str, np.ndarray]:
        with self._lock:
            if self._held is None:
                assert self._build is not None
                self._held, self._build = self._build(), None
            return self._held

    def __getitem__(self, key: str) -> np.ndarray:
        return self._counts()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts())

    def __len__(self) -> int:
        return len(self._counts())


@dataclass(frozen=True)
class YearOutcomes:
    """Per practice-year counts of each indicator at one effort (level and value added).

    Attributes
    ----------
    level : dict of str to ndarray
        Children with each indicator in each year.
    value_added : dict of str to ndarray
        The count less its expected value given the year's intake, plus the expected count
        of an average intake: same mean and same slope in effort as the level, less noise.
        A :class:`DeferredCounts` (checked when first read) from :meth:`OutcomeDraws.at`.
    mean_workers : numpy.ndarray
        Average number of social workers per child in each year (the report's indicator).
    """

    level: dict[str, np.ndarray]
    value_added: dict[str, np.ndarray]
    mean_workers: np.ndarray

    def __post_init__(self) -> None:
        check_instance("mean_workers", self.mean_workers, np.ndarray, "numpy array")
        n = self.mean_workers.shape
        for name in ("level", "value_added"):
            if name == "value_added" and isinstance(self.value_added, DeferredCounts):
                given = self.value_added  # checked when first read
                object.__setattr__(self, "value_added", DeferredCounts(
                    lambda: _checked_counts("value_added", dict(given), n)))
                continue
            counts = check_instance(name, getattr(self, name), dict, "dict of indicator to array")
            _checked_counts(name, counts, n)

    def count(self, indicator: str, measure: str = "level") -> np.ndarray:
        """Counts of ``indicator`` (one of :data:`INDICATORS`, or ``"all"`` for their sum) by ``measure``."""
        check_one_of("measure", measure, MEASURES)
        source = self.level if measure == "level" else self.value_added
        if indicator == "all":
            return sum(source[i] for i in INDICATORS)  # type: ignore[return-value]
        check_one_of("indicator", indicator, INDICATORS + ("all",))
        return source[indicator]


@dataclass(frozen=True, eq=False)
class OutcomeDraws:
    """The random numbers behind every child's outcomes, so any effort is priced on the same luck.

    Build with :func:`simulate_outcomes`; call :meth:`at` for the outcomes at an effort.
    """

    years: PracticeYears
    model: OutcomeModel
    reference_effort: float
    worker: np.ndarray
    group: np.ndarray
    u_changes: np.ndarray
    u_own: np.ndarray
    frailty: np.ndarray
    caseload_effect: np.ndarray
    u_moves: np.ndarray
    prior: np.ndarray
    noise: np.ndarray
    child_frailty: np.ndarray | None = None
    reference_shares: tuple[float, float, float] | None = None
    _memo: dict = field(default_factory=dict, repr=False, init=False)

    def __post_init__(self) -> None:
        check_instance("years", self.years, PracticeYears, "PracticeYears")
        check_instance("model", self.model, OutcomeModel, "OutcomeModel")
        check_probability("reference_effort", self.reference_effort)
        n = self.years.n_children
        per_worker = check_instance("u_changes", self.u_changes, np.ndarray, "numpy array").shape
        if self.child_frailty is None:
            object.__setattr__(self, "child_frailty", np.ones(n))
        if self.reference_shares is not None:
            _check_shares("reference_shares", self.reference_shares)
        for name in ("worker", "group", "u_own", "u_moves", "prior", "noise", "frailty", "caseload_effect",
                     "child_frailty"):
            arr = check_instance(name, getattr(self, name), np.ndarray, "numpy array")
            want = per_worker if name in ("frailty", "caseload_effect") else (n,)
            if arr.shape != want:
                raise ValueError(f"{name} must hold one value per {'worker' if want == per_worker else 'child'} "
                                 f"({want[0]:,}); got shape {arr.shape}")

    @cached_property
    def _expected(self) -> dict[str, np.ndarray]:
        e = self.reference_effort
        stable = self.model.p_stable(np.arange(3), e)[self.group]
        attain = self.model.p_attain(self.prior, self.group, e)
        return {"stable_placement": stable, "attainment": attain}

    @cached_property
    def _average_intake(self) -> dict[str, float]:
        shares = self.years.cost_model.shares if self.reference_shares is None else self.reference_shares
        return self.model.expected_rates(shares, self.reference_effort)

    def _sum(self, values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, self.years.offsets[:-1])

    def at(self, effort: float) -> YearOutcomes:
        """Every year's counts when the practice makes ``effort`` in [0, 1] (same random numbers)."""
        e = check_probability("effort", effort)
        if e not in self._memo:
            self._memo[e] = self._at(e)
        return self._memo[e]

    @cached_property
    def _unchanging(self) -> dict[str, np.ndarray]:
        """The terms of :meth:`_at` that no effort changes, each computed as :meth:`_at` would."""
        m = self.model
        a = m.attainment_prior_weight
        gap = np.asarray(m.attainment_gaps)[self.group]
        return {"multiplier": np.asarray(m.placement_multipliers)[self.group], "frailty": self.frailty[self.worker],
                "prior": a * self.prior - (1 - a) * gap,
                "caseload": m.attainment_caseload_sd * self.caseload_effect[self.worker],
                "noise": math.sqrt(1 - a * a) * self.noise,
                "own_change": self.u_own < m.individual_change_probability}

    def _at(self, e: float) -> YearOutcomes:
        m = self.model
        fixed = self._unchanging
        h = m.hazard_at(e)
        cdf = stats.poisson.cdf(np.arange(_MAX_WORKER_CHANGES), h)
        changes_w = np.searchsorted(cdf, self.u_changes, side="right").astype(np.int32)
        changes = changes_w[self.worker] + fixed["own_change"]
        same = changes == 0
        mu = (m.placement_base_rate * (1 - m.placement_effort_effect * e) * fixed["multiplier"]
              * (1 + m.placement_worker_change_effect * changes) * fixed["frailty"] * self.child_frailty)
        stable = self.u_moves < np.exp(-mu) * (1 + mu)
        score = (fixed["prior"] + m.attainment_effort_effect * e - m.attainment_worker_change_effect * changes
                 + fixed["caseload"] + fixed["noise"])
        attain = score > m.attainment_target
        counts = self.years.counts.astype(float)
        level = {"stable_placement": self._sum(stable.astype(float)), "same_worker": self._sum(same.astype(float)),
                 "attainment": self._sum(attain.astype(float))}

        def value_added() -> dict[str, np.ndarray]:
            va = {"same_worker": level["same_worker"]}
            for name in ("stable_placement", "attainment"):
                va[name] = level[name] - self._sum(self._expected[name]) + self._average_intake[name] * counts
            return va

        workers = self._sum(1.0 + changes) / counts
        return YearOutcomes(level=level, value_added=DeferredCounts(value_added), mean_workers=workers)


def _order_within_years(u: np.ndarray, year: np.ndarray) -> np.ndarray:
    """``np.lexsort((u, year))``, faster when ``year`` is sorted (as the simulated children are).

    ``u`` holds ``Generator.random`` draws, each a whole multiple of 2**-53, so ``u * 2**53`` is
    an exact integer; a block of up to 512 consecutive years sorts on one 64-bit key
    ``(year - first) * 2**53 + u * 2**53`` (stable, as lexsort is), so the order is the same.
    """
    if year.size < 2 or (np.diff(year) < 0).any():
        return np.lexsort((u, year))
    years = year.astype(np.int64)
    key = (u * 2.0**53).astype(np.int64)
    order = np.empty(year.size, dtype=np.int64)
    starts = np.searchsorted(years, np.arange(years[0], years[-1] + 513, 512))
    for a, b in zip(starts[:-1], starts[1:]):
        if b > a:
            order[a:b] = a + np.argsort((years[a:b] - years[a]) * 2**53 + key[a:b], kind="stable")
    return order


def simulate_outcomes(
    model: OutcomeModel,
    n_years: int | None = None,
    seed: int | None = None,
    cost_model: CostModel | None = None,
    caseload: int | Caseload | None = None,
    clustered: bool = True,
    reference_effort: float | None = None,
    years: PracticeYears | None = None,
    reference_shares: tuple[float, float, float] | None = None,
) -> OutcomeDraws:
    """Simulate practice-years of children with costs and the random numbers of their outcomes.

    Without ``years`` the children (caseload, needs, costs) are chapter 5's
    (:func:`swp_models.contracts.simulate_practice_years` with the same seed). With ``years``
    they are those children (the book's one sample, :func:`swp_models.engine.children`, or a
    prefix of it), and only the outcomes' random numbers are drawn. Either way the outcomes'
    random numbers come from a stream of their own derived from ``seed``, so the same children
    with the same seed have the same outcomes. Each year the children are dealt at random into
    ``model.social_workers`` caseloads of equal size (within one child). With
    ``clustered=False`` every child has a caseload of its own, so the same outcomes arise
    independently: the comparison that measures clustering.

    Parameters
    ----------
    model : OutcomeModel
    n_years : int, optional
        Practice-years, 1 to 2,000,000. Required without ``years``; with it, omit it or give
        ``years.n_years``.
    seed : int
        Random seed, >= 0 (required): of the children and the outcomes, or with ``years`` of the
        outcomes only (give the seed of the sample ``years`` come from).
    cost_model : CostModel, optional
        Default :func:`swp_models.costs.default_cost_model`. Not with ``years`` (they carry theirs).
    caseload : int or Caseload, optional
        Default :func:`swp_models.costs.default_caseload` (100 ± 10 children). Not with ``years``.
    clustered : bool, default True
    reference_effort : float, optional
        Effort at which value added's expected counts are set; default the assumption
        ``effort_reference``.
    years : PracticeYears, optional
        The simulated children to use, with no scope applied (no fixed cost attached).
    reference_shares : tuple of three floats, optional
        The needs-group shares of the "average intake" that value added is set against; default
        the children's own cost model's shares. Give the book's shares when comparing practices
        with other intakes, so that value added pays each for its effect rather than its intake.
    """
    if not isinstance(model, OutcomeModel):
        raise ValueError(f"model must be an OutcomeModel; got {model!r}")
    if seed is None:
        raise ValueError("seed must be given: an integer >= 0 (with years, the seed of the sample they come from)")
    seed = check_integer("seed", seed, low=0)
    if not isinstance(clustered, bool):
        raise ValueError(f"clustered must be True or False; got {clustered!r}")
    ref = assumption("effort_reference") if reference_effort is None else reference_effort
    ref = check_probability("reference_effort", ref)
    if years is not None:
        years = _given_years(years, n_years, cost_model, caseload)
        n_years = years.n_years
        cm = years.cost_model
    else:
        if n_years is None:
            raise ValueError("n_years must be given (1 to 2,000,000 practice-years) when years is not")
        n_years = check_integer("n_years", n_years, low=1, high=_MAX_YEARS)
        cm = default_cost_model() if cost_model is None else check_instance("cost_model", cost_model, CostModel,
                                                                             "CostModel")
        if caseload is None:
            load = default_caseload()
        elif isinstance(caseload, Caseload):
            load = caseload
        else:
            load = check_size("caseload", caseload, _MAX_CASELOAD)
        most = load if isinstance(load, int) else load.mean + load.margin
        check_size("caseload", most, _MAX_CASELOAD)
        check_work(n_years * most, "n_years × caseload")
        years = simulate_practice_years(cm, load, n_years, seed)
    rng = np.random.default_rng([seed, 6])
    n = years.n_children
    year = years.year_index
    if clustered:
        order = _order_within_years(rng.random(n), year)
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n) - years.offsets[year[order]]
        worker = year.astype(np.int64) * model.social_workers + rank % model.social_workers
        n_workers = n_years * model.social_workers
    else:
        worker = np.arange(n, dtype=np.int64)
        n_workers = n
    cv = model.placement_caseload_cv
    frailty = rng.gamma(1 / cv**2, cv**2, size=n_workers) if cv > 0 else np.ones(n_workers)
    # Each child's own propensity to move, from a stream of its own so that every other draw is
    # the same with and without it.
    ccv = model.placement_child_cv
    child = (np.random.default_rng([seed, 7]).gamma(1 / ccv**2, ccv**2, size=n) if ccv > 0 else np.ones(n))
    return OutcomeDraws(
        years=years, model=model, reference_effort=ref, worker=worker,
        group=np.asarray(cm.recorded_group)[years.components].astype(np.int64),
        u_changes=rng.random(n_workers), u_own=rng.random(n), frailty=frailty,
        caseload_effect=rng.standard_normal(n_workers), u_moves=rng.random(n),
        prior=rng.standard_normal(n) - np.asarray(model.attainment_gaps)[
            np.asarray(cm.recorded_group)[years.components]],
        noise=rng.standard_normal(n), child_frailty=child, reference_shares=reference_shares,
    )


def _given_years(years: object, n_years: object, cost_model: object, caseload: object) -> PracticeYears:
    check_instance("years", years, PracticeYears, "PracticeYears (the simulated children, no scope applied)")
    if years.fixed_cost or years.staff_per_child:  # type: ignore[union-attr]
        raise ValueError("years must be the simulated children with no scope applied (engine.children); got years "
                         "that carry a fixed cost")
    if n_years is not None and check_integer("n_years", n_years, low=1, high=_MAX_YEARS) != years.n_years:  # type: ignore[union-attr]
        raise ValueError(f"n_years must be omitted or equal years.n_years ({years.n_years:,}) when years is given; "  # type: ignore[union-attr]
                         f"got {n_years!r}")
    for name, value in (("cost_model", cost_model), ("caseload", caseload)):
        if value is not None:
            raise ValueError(f"{name} must be omitted when years is given (the years carry their own); got {value!r:.60}")
    if years.n_years > _MAX_YEARS:  # type: ignore[union-attr]
        raise ValueError(f"years must hold at most {_MAX_YEARS:,} practice-years; got {years.n_years:,}")  # type: ignore[union-attr]
    return years  # type: ignore[return-value]


def measure_comparison(
    draws: OutcomeDraws,
    bonus_per_child: float,
    risk_tolerance: float,
    effort_sd: float,
    indicators_: tuple[str, ...] = INDICATORS + ("all",),
    step: float = 0.05,
) -> pd.DataFrame:
    """Levels against value added: the bonus's spread, its uncontrolled share and its risk premium.

    For each indicator and measure, at the reference effort: the bonus ``b * count``; its
    slope in effort (by a central difference on the same random numbers); the
    variance from luck ``Var(bonus | effort)``; the variance effort would explain across
    practices whose effort has standard deviation ``effort_sd``, ``slope^2 effort_sd^2``; the
    **uncontrolled share** ``luck / (luck + effort)`` (NaN when both are zero, as with no bonus:
    there is no spread to share); and the exact CARA risk premium of the
    bonus (chapter 5's :func:`~swp_models.contracts.risk_premium`). Level and value added
    have the same slope, so the same bonus gives the same incentive.

    Parameters
    ----------
    draws : OutcomeDraws
    bonus_per_child : float
        £ per child counted, >= 0.
    risk_tolerance : float
        The practice's risk tolerance, £ (at least 1; ``math.inf`` for a risk-neutral practice).
    effort_sd : float
        Spread of effort across practices, in (0, 1].
    indicators_ : tuple of str
        Any of :data:`INDICATORS` and ``"all"``.
    step : float, default 0.05
        Half-width of the effort difference, in (0, 0.5].
    """
    if not isinstance(draws, OutcomeDraws):
        raise ValueError(f"draws must be OutcomeDraws; got {draws!r}")
    b = check_nonnegative("bonus_per_child", bonus_per_child)
    risk_aversion(risk_tolerance)  # checks risk_tolerance by name
    sd = check_in_range("effort_sd", effort_sd, 0.0, 1.0, low_open=True)
    d = check_in_range("step", step, 0.0, 0.5, low_open=True)
    if not isinstance(indicators_, tuple) or not indicators_:
        raise ValueError(f"indicators_ must be a non-empty tuple; got {indicators_!r}")
    e = draws.reference_effort
    lo, mid, hi = draws.at(max(e - d, 0.0)), draws.at(e), draws.at(min(e + d, 1.0))
    width = min(e + d, 1.0) - max(e - d, 0.0)
    rows = []
    for ind in indicators_:
        for measure in MEASURES:
            bonus = b * mid.count(ind, measure)
            slope = b * float(np.mean(hi.count(ind, measure) - lo.count(ind, measure))) / width
            luck = float(np.var(bonus))
            signal = slope**2 * sd**2
            total = luck + signal
            rows.append({
                "indicator": ind, "measure": measure, "mean_bonus": float(bonus.mean()), "sd_bonus": math.sqrt(luck),
                "slope": slope, "uncontrolled_share": luck / total if total > 0 else float("nan"),
                "risk_premium": risk_premium(bonus, risk_tolerance) if b > 0 else 0.0,
            })
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Teaching to the indicator: two tasks
# ---------------------------------------------------------------------------------------


def two_task_effort(bonus: float, substitution: float, ethos: float) -> tuple[float, float]:
    """Effort on a paid (measured) task and an unpaid one when the two compete for the same time.

    The practice chooses ``e1, e2 >= 0`` to maximise
    ``(v + b) e1 + v e2 - (e1^2 + e2^2 + 2 d e1 e2) / 2``: its professional ethos values
    both tasks at ``v``, the contract pays ``b`` on the first, and ``d`` in [0, 1) says how
    far effort on one raises the cost of the other (Holmström and Milgrom 1991). Interior:
    ``e1 = (v + b - d v) / (1 - d^2)``, ``e2 = (v - d (v + b)) / (1 - d^2)``, so the bonus
    lowers the unpaid effort by ``d b / (1 - d^2)``; once ``b >= v (1 - d) / d``,
    ``e2 = 0`` and ``e1 = v + b``.

    Parameters
    ----------
    bonus : float
        ``b`` >= 0.
    substitution : float
        ``d`` in [0, 1).
    ethos : float
        ``v`` >= 0.

    Returns
    -------
    (float, float)
        ``(e1, e2)``.
    """
    b = check_in_range("bonus", bonus, 0.0, 1e6)
    d = check_in_range("substitution", substitution, 0.0, 1.0, high_open=True)
    v = check_in_range("ethos", ethos, 0.0, 1e6)
    e2 = (v - d * (v + b)) / (1 - d * d)
    if e2 <= 0:
        return v + b, 0.0
    return (v + b - d * v) / (1 - d * d), e2


def two_task_table(bonuses: np.ndarray | list[float], substitutions: np.ndarray | list[float], ethos: float) -> pd.DataFrame:
    """:func:`two_task_effort` over a grid, with the value of both tasks net of the effort cost.

    Returns
    -------
    pandas.DataFrame
        ``bonus``, ``substitution``, ``measured``, ``unmeasured``, ``total`` (``e1 + e2``)
        and ``net_value`` (``e1 + e2 - cost``: both tasks valued equally by the council).
    """
    bs = check_finite_array("bonuses", bonuses, max_len=100_000)
    ds = check_finite_array("substitutions", substitutions, max_len=100_000)
    for name, values, high in (("bonuses", bs, None), ("substitutions", ds, 1.0)):
        if values.min() < 0 or (high is not None and values.max() >= high):
            raise ValueError(f"{name} must each be in [0, {'1)' if high else 'inf)'}; got {values.min():g} to "
                             f"{values.max():g}")
    if bs.size * ds.size > 100_000:
        raise ValueError(f"bonuses × substitutions must be at most 100,000 combinations; got {bs.size * ds.size:,}")
    rows = []
    for d in ds:
        for b in bs:
            e1, e2 = two_task_effort(float(b), float(d), ethos)
            cost = (e1 * e1 + e2 * e2 + 2 * d * e1 * e2) / 2
            rows.append({"bonus": float(b), "substitution": float(d), "measured": e1, "unmeasured": e2,
                         "total": e1 + e2, "net_value": e1 + e2 - cost})
    return pd.DataFrame(rows)
