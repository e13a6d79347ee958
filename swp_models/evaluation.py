"""What a pilot of social work practices could detect: power, design effects and the pilot timeline.

The outcomes the report cared about are yes/no facts about each child in a year: the same
social worker all year (the draft contract's indicator), three or more placements. Children
in one practice share its workers, so their outcomes are correlated; with ``m`` children per
practice and intra-practice correlation ``ICC`` the variance of a practice's share is
inflated by the design effect ``1 + (m - 1) ICC`` (Donner and Klar 2000). A comparison of
practices against control teams is then a two-sample z-test of proportions whose variances
carry the design effect:

* under the null both arms share the pooled proportion ``pbar``: ``s0^2 = pbar (1 - pbar) (f1 + f0)``;
* under the alternative each keeps its own: ``s1^2 = p1 (1 - p1) f1 + p0 (1 - p0) f0``,

where ``f = (1 - ICC) / N + ICC * sum(m_i^2) / N^2`` for an arm of practices with ``m_i``
children each and ``N = sum(m_i)`` (``f = (1 + (m - 1) ICC) / (k m)`` when all ``k`` practices
hold ``m``). Power is ``Phi((|d| - z s0) / s1) + Phi((-|d| - z s0) / s1)`` with ``z`` the
two-sided critical value, exactly the statsmodels form (``power_proportions_2indep``) when
``ICC = 0``. The minimum detectable difference (MDD) is the smallest ``|d|`` with the
required power. Years of follow-up add child-years to each practice: a new cohort each year,
the same practice effect throughout (so extra years add less than extra practices).

A staggered (stepped-wedge) design and a controlled before-and-after design are compared
with the parallel one by the generalised-least-squares variance of the treatment effect
under a random practice intercept and fixed period effects (Hussey and Hughes 2007).

The book's predicted effects come from the other chapters' models and follow a
:class:`~swp_models.scenario.Scenario`: the continuity gain from chapter 2 under the scenario's
``continuity_reading`` (:func:`predicted_effects_over_readings` gives all three readings), the
lift that effort buys under its ``effort_model`` (:func:`effort_lifts` gives both models), and the
clustering is its ``icc``. Simulations draw from streams of the scenario's one seed
(:func:`stream`).

Functions return numbers and frames; the page tables and charts are in
``swp_models.figures.evaluation``.
"""

from __future__ import annotations

from pathlib import Path

import math
import zlib
from dataclasses import dataclass
from numbers import Integral
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from . import assumptions, data, validation
from .scenario import CONTINUITY_READINGS, Scenario
from .validation import (check_in_range, check_instance, check_integer, check_nonnegative, check_one_of,
                         check_probability, check_sequence, check_size, check_work)

__all__ = [
    "INPUTS_TABLE",
    "TIMELINE_TABLE",
    "HAPPENED_TABLE",
    "PILOTS_TABLE",
    "READING_NAMES",
    "EFFORT_MODEL_NAMES",
    "MAX_PRACTICES",
    "MAX_CHILDREN",
    "DESIGNS",
    "input_value",
    "stream",
    "design_effect",
    "arm_variance_factor",
    "PilotDesign",
    "power_of_difference",
    "minimum_detectable_difference",
    "practices_needed",
    "SimulatedPower",
    "simulate_power",
    "comparisons",
    "design_matrix",
    "design_variance",
    "design_mdd",
    "design_comparison",
    "design_power",
    "persistence_comparison",
    "persistence_crossover",
    "mdd_grid",
    "plan_timeline",
    "timeline",
    "what_happened",
    "actual_cohorts",
    "actual_design",
    "predicted_effects",
    "predicted_effects_over_readings",
    "effort_lifts",
    "icc_threshold",
    "detection_over_readings",
    "equal_caseload_effects",
    "caseload_share_threshold",
    "subgroup_design",
]

#: Table of the evaluation's inputs (intra-cluster correlation, significance, power).
INPUTS_TABLE = "evaluation_inputs"
#: Table of the pilots' planned and actual dates.
TIMELINE_TABLE = "pilot_timeline"
#: Table of what happened to each pilot.
HAPPENED_TABLE = "pilots_what_happened"
#: Table of the pilots.
PILOTS_TABLE = "pilots"
#: Chapter 2's readings of how often a child's worker changes, in words, by the names of :data:`~swp_models.scenario.CONTINUITY_READINGS`.
READING_NAMES: dict[str, str] = {
    "poisson": "every child faces the same rate of changes (Poisson); the practice has no vacancies",
    "vacancy": "the practice covers vacant posts from inside (two changes for a departure)",
    "typed": "workers keep their type (agency or permanent); the practice has no vacancies",
}
#: The two models of what a practice's effort buys, in words, by the names of :data:`~swp_models.scenario.EFFORT_MODELS`.
EFFORT_MODEL_NAMES: dict[str, str] = {
    "contract": "chapter 5's outcome contract",
    "outcome_model": "chapter 6's outcome model",
}
#: The most practices in one arm of a design.
MAX_PRACTICES = validation.MAX_PRACTICES
#: The most children per practice.
MAX_CHILDREN = validation.MAX_PRACTICE_CHILDREN
#: The most simulated trials one call of :func:`simulate_power` runs.
MAX_SIMULATIONS = 1_000_000
#: The designs compared (two arms in parallel, before and after, stepped wedge).
DESIGNS = ("parallel", "before_after", "stepped")
_DIRECTIONS = ("increase", "decrease")


def input_value(parameter: str, *, data_dir: str | Path | None = None) -> float:
    """Value of one row of ``data/evaluation_inputs.csv`` (ICC, alpha, power, build-up months, baselines).

    Parameters
    ----------
    parameter : str
        The row's ``parameter``.
    """
    return assumptions.value_in(INPUTS_TABLE, parameter, data_dir=data_dir)


def _scenario(scn: object) -> Scenario:
    return check_instance("scn", scn, Scenario, "Scenario")


def _central_icc() -> float:
    return Scenario.central().icc


def stream(scn: Scenario, label: str) -> np.random.Generator:
    """A random stream of the scenario's one seed, kept apart from other uses by ``label``.

    ``numpy.random.default_rng([seed, crc32(label)])``: the same scenario and label always give
    the same draws, and two labels give independent streams.

    Parameters
    ----------
    scn : Scenario
        Its ``simulation.seed`` is the seed.
    label : str
        What the stream is for (non-empty), e.g. ``"ch8_power_at_mdd"``.
    """
    seed = _scenario(scn).simulation.seed
    if not isinstance(label, str) or not label.strip():
        raise ValueError(f"label must be a non-empty string; got {label!r:.80}")
    return np.random.default_rng([seed, zlib.crc32(label.encode("utf-8"))])


# ---------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------


def _check_icc(icc: object) -> float:
    return check_in_range("icc", icc, 0.0, 1.0)


def _check_level(name: str, value: object) -> float:
    return check_in_range(name, value, 0.0, 1.0, low_open=True, high_open=True)


def _check_years(years: object) -> int:
    return check_integer("years", years, low=1, high=validation.MAX_HORIZON_YEARS)


def _sizes(name: str, count_name: str, count: object, children: object) -> np.ndarray:
    """Children per practice as an array: ``count`` practices of ``children`` each, or a list of sizes."""
    if isinstance(children, (Integral, np.integer)) and not isinstance(children, bool):
        k = check_integer(count_name, count, low=2, high=MAX_PRACTICES)
        m = check_integer(name, children, low=1, high=MAX_CHILDREN)
        return np.full(k, float(m))
    if isinstance(children, (str, bytes)) or not isinstance(children, (Sequence, np.ndarray)):
        raise ValueError(f"{name} must be a whole number of children or a list of practice sizes; got {children!r}")
    if len(children) > MAX_PRACTICES:
        raise ValueError(f"{name} must list at most {MAX_PRACTICES} practices; got {len(children)}")
    sizes = [check_integer(f"{name}[{i}]", c, low=1, high=MAX_CHILDREN) for i, c in enumerate(children)]
    if len(sizes) < 2:
        raise ValueError(f"{count_name} must be at least 2 (a comparison needs two or more practices); "
                         f"got {len(sizes)} in {name}")
    if count is not None:
        k = check_integer(count_name, count, low=2, high=MAX_PRACTICES)
        if k != len(sizes):
            raise ValueError(f"{count_name} ({k}) must equal the number of sizes in {name} ({len(sizes)})")
    return np.asarray(sizes, dtype=float)


def design_effect(children_per_practice: float, icc: float) -> float:
    """The design effect ``1 + (m - 1) ICC`` of a practice of ``m`` children.

    Parameters
    ----------
    children_per_practice : float
        Children (or child-years) observed in one practice, >= 1.
    icc : float
        Intra-practice correlation, in [0, 1].

    Returns
    -------
    float
        The factor by which clustering inflates the variance of a practice's share.
    """
    m = check_in_range("children_per_practice", children_per_practice, 1.0, validation.MAX_CHILD_YEARS)
    return 1.0 + (m - 1.0) * _check_icc(icc)


def arm_variance_factor(sizes: Sequence[int] | np.ndarray, icc: float, years: int = 1) -> float:
    """``f`` such that the variance of an arm's observed share is ``p (1 - p) f``.

    ``f = (1 - ICC) / N + ICC * sum(m_i^2) / N^2`` with ``m_i`` the child-years in practice
    ``i`` (children times ``years``) and ``N`` their sum; ``(1 + (m - 1) ICC) / (k m)`` for
    ``k`` practices of ``m``.

    Parameters
    ----------
    sizes : sequence of int
        Children in each practice (at least two practices).
    icc : float
        Intra-practice correlation, in [0, 1].
    years : int, default 1
        Years each practice is observed (a new cohort each year).

    Returns
    -------
    float
        Per unit of ``p (1 - p)``.
    """
    m = _sizes("sizes", "practices", None, check_sequence("sizes", sizes, max_len=MAX_PRACTICES)) * _check_years(years)
    return _factor(m, _check_icc(icc))


def _factor(m: np.ndarray, icc: float) -> float:
    total = m.sum()
    return float((1.0 - icc) / total + icc * np.sum(m * m) / total**2)


@dataclass(frozen=True)
class _Arms:
    f1: float
    f0: float


def _arms(practices: object, children_per_practice: object, years: object, icc: object,
          control_practices: object, control_children: object) -> _Arms:
    treat = _sizes("children_per_practice", "practices", practices, children_per_practice)
    if control_practices is None and control_children is None:
        control = treat
    else:
        cp = len(treat) if control_practices is None else control_practices
        cc = children_per_practice if control_children is None else control_children
        if not isinstance(cc, (Integral, np.integer)) and control_practices is None:
            cp = None
        control = _sizes("control_children", "control_practices", cp, cc)
    y = _check_years(years)
    icc = _check_icc(icc)
    return _Arms(_factor(treat * y, icc), _factor(control * y, icc))


def _power(diff: float, p0: float, arms: _Arms, alpha: float) -> float:
    p1 = p0 + diff
    n1, n0 = 1.0 / arms.f1, 1.0 / arms.f0  # effective sample sizes
    pbar = (p1 * n1 + p0 * n0) / (n1 + n0)
    s0 = math.sqrt(max(pbar * (1 - pbar) * (arms.f1 + arms.f0), 0.0))
    s1 = math.sqrt(max(p1 * (1 - p1) * arms.f1 + p0 * (1 - p0) * arms.f0, 0.0))
    z = -special.ndtri(alpha / 2)  # stats.norm.isf(alpha / 2), without the distribution object's overhead
    if s1 == 0.0:
        return 1.0 if abs(diff) > z * s0 else 0.0
    d = abs(diff)
    # stats.norm.sf(x) is special.ndtr(-x) and stats.norm.cdf(x) is special.ndtr(x): the same numbers, faster
    return float(special.ndtr(-(z * s0 - d) / s1) + special.ndtr((-z * s0 - d) / s1))


@dataclass(frozen=True)
class PilotDesign:
    """A comparison of pilot practices against control teams: who is observed, for how long, tested how.

    Parameters
    ----------
    practices : int
        Practices in the pilot arm, 2 to 10,000.
    children_per_practice : int or sequence of int
        Children in each practice (one number for all, or one per practice; each 1 to 100,000).
        A sequence is stored as a tuple.
    years : int, default 1
        Years observed (1 to 50), a new cohort of each practice's children each year, the same
        practice effect throughout.
    icc : float, optional
        Intra-practice correlation, in [0, 1]; 0 is the unclustered case. None (the default)
        takes the central scenario's (the scenario's ``icc``, the assumption ``icc``).
    alpha : float, default 0.05
        Two-sided significance level, in (0, 1).
    control_practices, control_children : optional
        The comparison arm (teams of a control council): its number of teams and their
        children; by default the pilot arm's mirror.

    Raises
    ------
    ValueError
        Naming the field, when a number is out of range or a list of sizes does not match
        its count; TypeError when a field has the wrong type.
    """

    practices: int
    children_per_practice: int | tuple[int, ...]
    years: int = 1
    icc: float | None = None
    alpha: float = 0.05
    control_practices: int | None = None
    control_children: int | tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.icc is None:
            object.__setattr__(self, "icc", _central_icc())
        for name in ("children_per_practice", "control_children"):
            value = getattr(self, name)
            if isinstance(value, (list, np.ndarray)):
                object.__setattr__(self, name, tuple(int(v) if isinstance(v, (Integral, np.integer))
                                                     and not isinstance(v, bool) else v for v in value))
        for name in ("practices", "control_practices"):
            value = getattr(self, name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (Integral, np.integer))):
                raise TypeError(f"{name} must be a whole number of practices; got {type(value).__name__} "
                                f"{value!r:.80}")
        arms = _arms(self.practices, self.children_per_practice, self.years, self.icc, self.control_practices,
                     self.control_children)
        object.__setattr__(self, "_arms", arms)
        object.__setattr__(self, "alpha", _check_level("alpha", self.alpha))
        object.__setattr__(self, "icc", _check_icc(self.icc))

    @property
    def pilot_sizes(self) -> np.ndarray:
        """Children in each pilot practice (float array)."""
        return _sizes("children_per_practice", "practices", self.practices, self.children_per_practice)

    @property
    def control_sizes(self) -> np.ndarray:
        """Children in each control team (float array; the pilot arm's mirror by default)."""
        if self.control_practices is None and self.control_children is None:
            return self.pilot_sizes
        cp = self.practices if self.control_practices is None else self.control_practices
        cc = self.children_per_practice if self.control_children is None else self.control_children
        if not isinstance(cc, (Integral, np.integer)) and self.control_practices is None:
            cp = None
        return _sizes("control_children", "control_practices", cp, cc)


def _design(design: object) -> PilotDesign:
    return check_instance("design", design, PilotDesign, "PilotDesign")


def power_of_difference(diff: float, baseline: float, design: PilotDesign) -> float:
    """Power of the two-sided clustered z-test to detect a difference ``diff`` in a proportion.

    Parameters
    ----------
    diff : float
        True difference, practices minus controls, as a share (0.1 = ten percentage
        points); ``baseline + diff`` must lie in [0, 1].
    baseline : float
        The controls' proportion, in (0, 1).
    design : PilotDesign
        The practices and controls observed, the ICC and the significance level.

    Returns
    -------
    float
        Probability of a significant result, in [0, 1].
    """
    p0 = _check_level("baseline", baseline)
    d = check_in_range("diff", diff, -p0, 1.0 - p0)
    des = _design(design)
    return _power(d, p0, des._arms, des.alpha)


def minimum_detectable_difference(
    baseline: float,
    design: PilotDesign,
    power: float = 0.8,
    direction: str = "increase",
    method: str = "exact",
) -> float:
    """Smallest difference in a proportion that the comparison detects with the given power.

    Parameters
    ----------
    baseline : float
        The controls' proportion, in (0, 1) (for example 0.5 for the same social worker all
        year, 0.12 for three or more placements).
    design : PilotDesign
        The practices and controls observed, the ICC and the significance level.
    power : float, default 0.8
        Required power, in (0, 1).
    direction : {"increase", "decrease"}
        Whether the practices are expected to raise (continuity) or lower (placement moves) it.
    method : {"exact", "approximate"}
        ``"exact"`` solves the z-test's power equation with the variance under the null
        and under the alternative (statsmodels' form); ``"approximate"`` is the closed form
        ``(z_{1-alpha/2} + z_{power}) * sqrt(p0 (1 - p0) (f1 + f0))``.

    Returns
    -------
    float
        The MDD as a share (0.1 = ten percentage points), positive in either direction;
        NaN when no difference inside [0, 1] reaches the power (the design cannot detect
        even the largest possible change).
    """
    p0 = _check_level("baseline", baseline)
    des = _design(design)
    a = des.alpha
    pw = _check_level("power", power)
    check_one_of("direction", direction, _DIRECTIONS)
    check_one_of("method", method, ("exact", "approximate"))
    arms = des._arms
    room = (1.0 - p0) if direction == "increase" else p0
    sign = 1.0 if direction == "increase" else -1.0
    if method == "approximate":
        out = (stats.norm.isf(a / 2) + stats.norm.ppf(pw)) * math.sqrt(p0 * (1 - p0) * (arms.f1 + arms.f0))
        return out if out <= room else float("nan")
    top = room * (1 - 1e-12)
    if _power(sign * top, p0, arms, a) < pw:
        return float("nan")
    return float(optimize.brentq(lambda d: _power(sign * d, p0, arms, a) - pw, 0.0, top, xtol=1e-12))


def practices_needed(
    diff: float,
    baseline: float,
    children_per_practice: int,
    years: int = 1,
    icc: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    max_practices: int = 2000,
) -> int | None:
    """Fewest practices per arm (with as many control teams) to detect ``diff`` with the given power.

    Parameters
    ----------
    diff : float
        Difference to detect, as a share (positive: an increase; negative: a decrease).
    baseline, children_per_practice, years, alpha, power
        As in :func:`minimum_detectable_difference`.
    icc : float, optional
        Intra-practice correlation; None takes the central scenario's.
    max_practices : int, default 2000
        Largest number searched (2 to 10,000).

    Returns
    -------
    int or None
        None when even ``max_practices`` per arm are not enough (the design effect of large
        practices with a high ICC can make a difference undetectable at any number a pilot
        could afford).
    """
    p0 = _check_level("baseline", baseline)
    d = check_in_range("diff", diff, -p0, 1.0 - p0)
    if d == 0.0:
        raise ValueError("diff must be non-zero; got 0.0")
    top = check_integer("max_practices", max_practices, low=2, high=MAX_PRACTICES)
    a, pw = _check_level("alpha", alpha), _check_level("power", power)
    icc = _central_icc() if icc is None else _check_icc(icc)

    def ok(k: int) -> bool:
        return _power(d, p0, _arms(k, children_per_practice, years, icc, None, None), a) >= pw

    if not ok(top):
        return None
    lo, hi = 2, top
    while lo < hi:  # power rises with k: bisection on integers
        mid = (lo + hi) // 2
        if ok(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


# ---------------------------------------------------------------------------------------
# Simulation check
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SimulatedPower:
    """Share of simulated pilots with a significant result, and its Monte Carlo standard error."""

    power: float
    se: float
    n_sims: int
    test: str

    def __post_init__(self) -> None:
        check_probability("power", self.power)
        check_nonnegative("se", self.se)
        check_size("n_sims", self.n_sims, MAX_SIMULATIONS, low=1)
        check_one_of("test", self.test, ("design_effect", "cluster_t"))


def _draw_arm(rng: np.random.Generator, p: float, sizes: np.ndarray, icc: float, n_sims: int) -> np.ndarray:
    """Successes per practice, shape (n_sims, k): beta-binomial with mean p and correlation icc."""
    k = sizes.size
    if icc <= 0.0:
        probs = np.full((n_sims, k), p)
    elif icc >= 1.0:
        probs = (rng.random((n_sims, k)) < p).astype(float)
    else:
        s = (1.0 - icc) / icc
        probs = rng.beta(p * s, (1.0 - p) * s, size=(n_sims, k)) if 0.0 < p < 1.0 else np.full((n_sims, k), p)
    return rng.binomial(sizes.astype(np.int64), probs)


def simulate_power(
    diff: float,
    baseline: float,
    design: PilotDesign,
    n_sims: int = 20_000,
    seed: int | np.random.Generator | None = None,
    test: str = "design_effect",
) -> SimulatedPower:
    """Simulate pilots and count how often the comparison is significant.

    Each practice's children share a practice-level chance drawn from a beta distribution
    with mean ``baseline + diff`` (controls: ``baseline``) and intra-class correlation
    ``icc``; each child-year is a Bernoulli draw (beta-binomial counts).

    Parameters
    ----------
    diff, baseline, design
        As in :func:`power_of_difference`.
    n_sims : int, default 20000
        Simulated pilots, 100 to 1,000,000; with the practices of both arms at most
        :data:`swp_models.validation.MAX_CELLS` draws in all.
    seed : int or numpy.random.Generator, optional
        None (the default): the stream ``"simulate_power"`` of the central scenario's seed
        (:func:`stream`).
    test : {"design_effect", "cluster_t"}
        ``"design_effect"``: the z-test of :func:`power_of_difference` (pooled null variance
        inflated by the known design effect), which the simulation checks. ``"cluster_t"``:
        a two-sample t-test on practice shares, what an evaluator who does not know the ICC
        would run; with few practices it has less power.

    Returns
    -------
    SimulatedPower
    """
    p0 = _check_level("baseline", baseline)
    d = check_in_range("diff", diff, -p0, 1.0 - p0)
    des = _design(design)
    check_one_of("test", test, ("design_effect", "cluster_t"))
    n = check_size("n_sims", n_sims, MAX_SIMULATIONS, low=100)
    y, icc, a = des.years, des.icc, des.alpha
    m1, m0 = des.pilot_sizes * y, des.control_sizes * y
    check_work(n * (m1.size + m0.size) * 2, "n_sims × practices")
    if seed is None:
        rng = stream(Scenario.central(), "simulate_power")
    elif isinstance(seed, np.random.Generator):
        rng = seed
    else:
        rng = np.random.default_rng(check_integer("seed", seed, low=0))
    x1 = _draw_arm(rng, p0 + d, m1, icc, n)
    x0 = _draw_arm(rng, p0, m0, icc, n)
    if test == "design_effect":
        f1, f0 = des._arms.f1, des._arms.f0
        n1, n0 = m1.sum(), m0.sum()
        q1, q0 = x1.sum(axis=1) / n1, x0.sum(axis=1) / n0
        pbar = (q1 * n1 + q0 * n0) / (n1 + n0)
        se = np.sqrt(pbar * (1 - pbar) * (f1 + f0))
        with np.errstate(divide="ignore", invalid="ignore"):
            zstat = np.where(se > 0, (q1 - q0) / se, 0.0)
        reject = np.abs(zstat) > stats.norm.isf(a / 2)
    else:
        r1, r0 = x1 / m1, x0 / m0
        res = stats.ttest_ind(r1, r0, axis=1)
        reject = np.nan_to_num(res.pvalue, nan=1.0) < a
    share = float(reject.mean())
    return SimulatedPower(share, math.sqrt(max(share * (1 - share), 1e-12) / n), n, test)


# ---------------------------------------------------------------------------------------
# The report's design: overall, per kind of provider, per control
# ---------------------------------------------------------------------------------------


def comparisons(
    baseline: float,
    practices: int = 9,
    kinds: int = 3,
    controls: int = 3,
    children_per_practice: int = 100,
    years: int = 2,
    icc: float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    direction: str = "increase",
) -> pd.DataFrame:
    """The MDD of each comparison the report's design allows.

    Each control is taken to offer as many teams of the same size as there are pilot
    practices (like for like, s.9.5), so the three controls pooled hold three times the
    pilot arm.

    Parameters
    ----------
    baseline : float
        The controls' proportion, in (0, 1).
    practices : int, default 9
        All pilot practices (Recommendation 10), at least 2 x ``kinds``.
    kinds : int, default 3
        Kinds of provider, each with ``practices / kinds`` practices (a whole number >= 2).
    controls : int, default 3
        Comparison groups (Recommendation 13), at least 1.
    children_per_practice, years, alpha, power, direction
        As in :func:`minimum_detectable_difference`.
    icc : float, optional
        Intra-practice correlation; None takes the central scenario's.

    Returns
    -------
    pandas.DataFrame
        Columns ``comparison``, ``pilot_practices``, ``control_teams``, ``children``
        (child-years in the pilot arm), ``design_effect`` and ``mdd`` (share).
    """
    k = check_integer("practices", practices, low=2, high=MAX_PRACTICES)
    g = check_integer("kinds", kinds, low=1, high=k)
    c = check_integer("controls", controls, low=1, high=100)
    if k % g or k // g < 2:
        raise ValueError(f"practices ({k}) must split into {g} kinds of at least 2 practices each")
    m = check_integer("children_per_practice", children_per_practice, low=1, high=MAX_CHILDREN)
    y = _check_years(years)
    icc = _central_icc() if icc is None else _check_icc(icc)
    per_kind = k // g
    rows = [
        ("All practices against the controls pooled", k, c * k),
        ("All practices against one control", k, k),
        ("One kind of provider against the controls pooled", per_kind, c * k),
        ("One kind of provider against its own matched teams", per_kind, per_kind),
    ]
    out = []
    for label, kp, kc in rows:
        mdd = minimum_detectable_difference(baseline, PilotDesign(kp, m, y, icc, alpha, control_practices=kc,
                                                                  control_children=m), power, direction=direction)
        out.append({"comparison": label, "pilot_practices": kp, "control_teams": kc, "children": kp * m * y,
                    "design_effect": design_effect(m * y, icc), "mdd": mdd})
    return pd.DataFrame(out)


# ---------------------------------------------------------------------------------------
# Parallel, controlled before-and-after and stepped (staggered) designs
# ---------------------------------------------------------------------------------------


def design_matrix(design: str, clusters: int, periods: int) -> np.ndarray:
    """Which clusters are practices in which period: a 0/1 array of shape (clusters, periods).

    Parameters
    ----------
    design : {"parallel", "before_after", "stepped"}
        ``"parallel"``: half the clusters are practices throughout, half controls;
        ``"before_after"``: the same, with the first period a baseline in which no cluster is
        yet a practice; ``"stepped"``: every cluster becomes a practice, in an even staggered
        order, the first period a baseline and the last with all clusters switched.
    clusters : int
        Practices plus control teams (parallel designs: an even number), 2 to 10,000.
    periods : int
        Measurement periods (2 or more for before-and-after and stepped designs), up to 50.
    """
    check_one_of("design", design, DESIGNS)
    n = check_integer("clusters", clusters, low=2, high=MAX_PRACTICES)
    t = check_integer("periods", periods, low=1 if design == "parallel" else 2, high=50)
    x = np.zeros((n, t))
    if design in ("parallel", "before_after"):
        if n % 2:
            raise ValueError(f"clusters must be even for a {design} design (half practices, half controls); got {n}")
        x[: n // 2, (0 if design == "parallel" else 1):] = 1.0
    else:
        steps = t - 1
        for i in range(n):  # cluster i switches at step 1 + floor(i * steps / n)
            x[i, 1 + (i * steps) // n:] = 1.0
    return x


def design_variance(x: np.ndarray, children_per_period: int, icc: float, baseline: float,
                    persistence: float = 1.0) -> float:
    """Variance of the estimated effect (share scale) for design ``x``, by generalised least squares.

    Model for the share of cluster ``i`` in period ``j``: period effect + effect x ``x[i, j]`` +
    a cluster intercept with variance ``ICC p (1 - p)`` + noise with variance
    ``(1 - ICC) p (1 - p) / n``. For ``x`` with one period this is the parallel design's
    ``2 p (1 - p) (1 + (n - 1) ICC) / (k n)``.

    A cluster that becomes a practice has one intercept as a council team and another as a
    practice, with the same variance and correlation ``persistence``: 1 (the default) is one
    intercept throughout, the team's effect surviving in full; 0 makes the practice a new
    cluster, so that its own past tells nothing about it. Designs in which no cluster changes
    state (parallel groups) do not depend on it.

    Parameters
    ----------
    x : numpy.ndarray
        Treatment indicator, shape (clusters, periods), from :func:`design_matrix`.
    children_per_period : int
        Children observed in each cluster in each period, 1 to 100,000.
    icc : float
        Intra-practice correlation, in [0, 1).
    baseline : float
        Proportion, in (0, 1).
    persistence : float, default 1.0
        Correlation, in [0, 1], of a cluster's intercept before and after it becomes a practice.
    """
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"x must be a 0/1 array of shape (clusters 2-{MAX_PRACTICES}, periods 1-50); got "
                         f"{type(x).__name__} {x!r:.80}") from None
    if arr.ndim != 2 or arr.shape[0] < 2 or arr.shape[0] > MAX_PRACTICES or arr.shape[1] > 50:
        raise ValueError(f"x must be a 0/1 array of shape (clusters 2-{MAX_PRACTICES}, periods 1-50); got shape {arr.shape}")
    if not np.isin(arr, (0.0, 1.0)).all():
        raise ValueError("x must hold only 0 and 1")
    n = check_integer("children_per_period", children_per_period, low=1, high=MAX_CHILDREN)
    icc = check_in_range("icc", icc, 0.0, 1.0, high_open=True)
    p = _check_level("baseline", baseline)
    rho = check_in_range("persistence", persistence, 0.0, 1.0)
    k, t = arr.shape
    tau2 = icc * p * (1 - p)
    sig2 = (1 - icc) * p * (1 - p) / n
    info = np.zeros((t + 1, t + 1))
    for row, count in zip(*np.unique(arr, axis=0, return_counts=True)):
        same = np.equal.outer(row, row)
        vinv = np.linalg.inv(sig2 * np.eye(t) + tau2 * np.where(same, 1.0, rho))
        z = np.column_stack([np.eye(t), row])
        info += count * (z.T @ vinv @ z)
    try:
        cov = np.linalg.inv(info)
    except np.linalg.LinAlgError as exc:
        raise ValueError("x does not identify the effect (every cluster treated alike in every period)") from exc
    v = float(cov[-1, -1])
    if not np.isfinite(v) or v <= 0:
        raise ValueError("x does not identify the effect (every cluster treated alike in every period)")
    return v


def design_mdd(
    design: str,
    clusters: int,
    children_per_period: int,
    periods: int,
    icc: float,
    baseline: float,
    alpha: float = 0.05,
    power: float = 0.8,
    persistence: float = 1.0,
) -> float:
    """Closed-form MDD ``(z_{1-alpha/2} + z_power) * sqrt(variance)`` of a parallel, before-and-after or stepped design.

    Parameters are those of :func:`design_matrix` and :func:`design_variance` (``persistence``:
    the share of a team's effect that survives its becoming a practice, in [0, 1]).

    Returns
    -------
    float
        The MDD as a share.
    """
    a, pw = _check_level("alpha", alpha), _check_level("power", power)
    v = design_variance(design_matrix(design, clusters, periods), children_per_period, icc, baseline, persistence)
    return float((stats.norm.isf(a / 2) + stats.norm.ppf(pw)) * math.sqrt(v))


def design_power(
    diff: float,
    design: str,
    clusters: int,
    children_per_period: int,
    periods: int,
    icc: float,
    baseline: float,
    alpha: float = 0.05,
    persistence: float = 1.0,
) -> float:
    """Closed-form power ``Phi(|diff| / sqrt(variance) - z_{1-alpha/2})`` of a parallel, before-and-after or stepped design.

    The same normal approximation as :func:`design_mdd` (the far tail ignored), so that power
    at the MDD is the required power.

    Parameters
    ----------
    diff : float
        True difference, as a share; ``baseline + diff`` in [0, 1].
    design, clusters, children_per_period, periods, icc, baseline, alpha, persistence
        As in :func:`design_mdd`.

    Returns
    -------
    float
        Probability of a significant result, in [0, 1].
    """
    p0 = _check_level("baseline", baseline)
    d = check_in_range("diff", diff, -p0, 1.0 - p0)
    a = _check_level("alpha", alpha)
    v = design_variance(design_matrix(design, clusters, periods), children_per_period, icc, p0, persistence)
    return float(special.ndtr(abs(d) / math.sqrt(v) + special.ndtri(a / 2)))


def persistence_comparison(
    persistences: Sequence[float] = tuple(round(0.1 * i, 1) for i in range(11)),
    clusters: int = 18,
    children_per_period: int = 50,
    periods: int = 4,
    icc: float | None = None,
    baseline: float = 0.5,
    alpha: float = 0.05,
    power: float = 0.8,
    diff: float | None = None,
) -> pd.DataFrame:
    """MDD (and power against ``diff``) of the three designs over the persistence of a team's effect.

    Parameters
    ----------
    persistences : sequence of float
        Values in [0, 1] (at most 201).
    clusters, children_per_period, periods, baseline, alpha, power
        As in :func:`design_mdd`.
    icc : float, optional
        None takes the central scenario's.
    diff : float, optional
        A true difference; when given, the column ``power`` holds each design's power to detect it.

    Returns
    -------
    pandas.DataFrame
        Columns ``persistence``, ``design``, ``mdd`` (share) and, with ``diff``, ``power``.
    """
    values = [check_in_range(f"persistences[{i}]", v, 0.0, 1.0)
              for i, v in enumerate(check_sequence("persistences", persistences, max_len=201))]
    icc = _central_icc() if icc is None else _check_icc(icc)
    rows = []
    for rho in values:
        for d in DESIGNS:
            row = {"persistence": rho, "design": d,
                   "mdd": design_mdd(d, clusters, children_per_period, periods, icc, baseline, alpha, power, rho)}
            if diff is not None:
                row["power"] = design_power(diff, d, clusters, children_per_period, periods, icc, baseline, alpha, rho)
            rows.append(row)
    return pd.DataFrame(rows)


def persistence_crossover(
    design_a: str,
    design_b: str,
    clusters: int = 18,
    children_per_period: int = 50,
    periods: int = 4,
    icc: float | None = None,
    baseline: float = 0.5,
) -> float:
    """The persistence at which two designs detect the same difference: where the better design changes.

    The MDDs' ratio does not depend on the significance level or power, so neither is asked.

    Parameters
    ----------
    design_a, design_b : {"parallel", "before_after", "stepped"}
        Two different designs.
    clusters, children_per_period, periods, baseline
        As in :func:`design_mdd`.
    icc : float, optional
        None takes the central scenario's.

    Returns
    -------
    float
        In [0, 1]; NaN when one design is better at every persistence (no change).
    """
    check_one_of("design_a", design_a, DESIGNS)
    check_one_of("design_b", design_b, DESIGNS)
    if design_a == design_b:
        raise ValueError(f"design_b must differ from design_a; got {design_b!r} twice")
    icc = _central_icc() if icc is None else _check_icc(icc)
    xa, xb = design_matrix(design_a, clusters, periods), design_matrix(design_b, clusters, periods)

    def gap(rho: float) -> float:
        return (design_variance(xa, children_per_period, icc, baseline, rho)
                - design_variance(xb, children_per_period, icc, baseline, rho))

    lo, hi = gap(0.0), gap(1.0)
    if lo == 0.0:
        return 0.0
    if lo * hi > 0:
        return float("nan")
    return float(optimize.brentq(gap, 0.0, 1.0, xtol=1e-10))


def design_comparison(
    clusters: int = 18,
    children_per_period: int = 50,
    periods: int = 4,
    iccs: Sequence[float] = (0.0, 0.01, 0.02, 0.05, 0.1, 0.15, 0.2),
    baseline: float = 0.5,
    alpha: float = 0.05,
    power: float = 0.8,
    persistence: float = 1.0,
) -> pd.DataFrame:
    """MDD of the three designs over a range of ICCs, on the same clusters, periods and children.

    ``persistence`` (in [0, 1]) is the share of a team's effect that survives its becoming a
    practice (:func:`design_variance`); 1 by default.

    Returns
    -------
    pandas.DataFrame
        Columns ``icc``, ``design`` and ``mdd`` (share).
    """
    iccs = check_sequence("iccs", iccs, max_len=200)
    rows = []
    for icc in iccs:
        for d in DESIGNS:
            rows.append({"icc": float(icc), "design": d,
                         "mdd": design_mdd(d, clusters, children_per_period, periods, icc, baseline, alpha, power,
                                           persistence)})
    return pd.DataFrame(rows)


def mdd_grid(
    baseline: float,
    iccs: Sequence[float],
    practices: Sequence[int],
    children: Sequence[int],
    years: Sequence[int],
    alpha: float = 0.05,
    power: float = 0.8,
    direction: str = "increase",
) -> pd.DataFrame:
    """MDD of the pilot arm against a mirror control for every combination (for the page's sliders).

    Parameters
    ----------
    baseline, alpha, power, direction
        As in :class:`PilotDesign` and :func:`minimum_detectable_difference`.
    iccs, practices, children, years : sequence
        The grid's values of each (each non-empty; 200,000 combinations at most).

    Returns
    -------
    pandas.DataFrame
        Columns ``icc``, ``practices``, ``children``, ``years``, ``design_effect``, ``mdd``.
    """
    grids = {name: check_sequence(name, values, max_len=200_000)
             for name, values in (("iccs", iccs), ("practices", practices), ("children", children), ("years", years))}
    size = math.prod(len(v) for v in grids.values())
    if size > 200_000:
        raise ValueError(f"iccs × practices × children × years must be at most 200,000 points; got {size:,}")
    iccs, practices, children, years = grids.values()
    rows = []
    for icc in iccs:
        for k in practices:
            for m in children:
                for y in years:
                    rows.append({"icc": float(icc), "practices": int(k), "children": int(m), "years": int(y),
                                 "design_effect": design_effect(m * y, icc),
                                 "mdd": minimum_detectable_difference(baseline, PilotDesign(k, m, y, icc, alpha),
                                                                      power, direction=direction)})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------------------
# Timeline and what happened (from data)
# ---------------------------------------------------------------------------------------


def _months(ts: pd.Timestamp, months: float) -> pd.Timestamp:
    whole = int(math.floor(months))
    out = ts + pd.DateOffset(months=whole)
    return out + pd.Timedelta(days=round((months - whole) * 30.4375))


def plan_timeline(start: str = "2009-01-01", buildup_months: float | None = None, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The report's plan as dated phases, from ``data/pilots.csv``, anchored at a pilot start date.

    Selection of councils (six to nine months before the start, s.9.4), commissioning (at
    least six months, s.9.4), the build-up of a caseload (``buildup_months``, an assumption)
    and two years from full allocation (Recommendation 9).

    Parameters
    ----------
    start : str, default "2009-01-01"
        The pilot start date (ISO), by default the start of 2009 expected at the Committee (Q224).
    buildup_months : float, optional
        Months to reach the full allocation, 0 to 36; by default the assumption
        ``buildup_months``.

    Returns
    -------
    pandas.DataFrame
        Columns ``phase``, ``start``, ``end`` (timestamps) and ``basis`` (where in the report).
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    try:
        t0 = pd.Timestamp(start)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"start must be an ISO date such as '2009-01-01'; got {start!r}") from exc
    if not (pd.Timestamp("2000-01-01") <= t0 <= pd.Timestamp("2030-12-31")):
        raise ValueError(f"start must be between 2000 and 2030; got {start!r}")
    b = input_value("buildup_months") if buildup_months is None else check_in_range("buildup_months", buildup_months, 0.0, 36.0)
    sel = data.row(PILOTS_TABLE, measure="selection_lead_months", data_dir=data_dir)
    com = data.value(PILOTS_TABLE, measure="commissioning_min_months", data_dir=data_dir)
    run = data.value(PILOTS_TABLE, measure="pilot_length_min_report", data_dir=data_dir)
    full = _months(t0, b)
    end = _months(full, 12 * run)
    rows = [
        ("Councils chosen (6-9 months ahead)", _months(t0, -float(sel["high"])),
         _months(t0, -float(sel["low"])), "s.9.4"),
        ("Commissioning (6 months or more)", _months(t0, -com), t0, "s.9.4"),
        ("Caseload build-up", t0, full, f"build-up of {b:g} months an assumption"),
        ("Two years at full allocation", full, end, "Recommendation 9"),
    ]
    return pd.DataFrame(rows, columns=["phase", "start", "end", "basis"])


def timeline(start: str = "2009-01-01", buildup_months: float | None = None, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The planned phases and every dated event of ``data/pilot_timeline.csv``, in one frame.

    Parameters
    ----------
    start, buildup_months
        As in :func:`plan_timeline`.

    Returns
    -------
    pandas.DataFrame
        The plan's phases first, then the table's events in order of their start; columns
        ``track`` ("report's plan" for the phases, else the table's track), ``label``,
        ``start``, ``end`` (equal to ``start`` for a single event), ``precision``, ``source``.
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    plan = plan_timeline(start, buildup_months)
    rows = [{"track": "report's plan", "label": r.phase, "start": r.start, "end": r.end, "precision": "month",
             "source": "Le Grand (2007), " + r.basis} for r in plan.itertuples()]
    frame = data.load(TIMELINE_TABLE, data_dir=data_dir)
    cites = data.sources(data_dir=data_dir).set_index("key")["citation"]
    for i, r in enumerate(frame.itertuples(index=False), start=1):
        try:
            s = pd.Timestamp(r.start)
            e = pd.Timestamp(r.end) if isinstance(r.end, str) and r.end else s
        except ValueError as exc:
            raise data.DataValidationError(f"data/{TIMELINE_TABLE}.csv, row {i}: bad date: {exc}") from exc
        if e < s:
            raise data.DataValidationError(f"data/{TIMELINE_TABLE}.csv, row {i}: end {r.end} is before start {r.start}")
        rows.append({"track": r.track, "label": r.label, "start": s, "end": e, "precision": r.precision,
                     "source": _short_cite(cites.get(r.document, r.document)) + ", " + r.location})
    out = pd.DataFrame(rows)
    events = out.iloc[len(plan):].sort_values("start", kind="stable")
    return pd.concat([out.iloc[: len(plan)], events], ignore_index=True)


def _short_cite(citation: str) -> str:
    """'Stanley, N., Austerberry, H., ... (2012) Title' -> 'Stanley et al. (2012)'."""
    head, _, rest = citation.partition(" (")
    year = rest.split(")")[0]
    if head.count(",") >= 3:
        head = head.split(",")[0] + " et al."
    return f"{head} ({year})" if year else head


def what_happened(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """``data/pilots_what_happened.csv`` with each row's citation.

    Returns
    -------
    pandas.DataFrame
        The table's columns plus ``citation`` (from ``sources.csv``).
    """
    frame = data.load(HAPPENED_TABLE, data_dir=data_dir)
    cites = data.sources(data_dir=data_dir).set_index("key")["citation"]
    return frame.assign(citation=frame["document"].map(cites))


def actual_cohorts(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The pilots whose cohort size the evaluation's summary gives: pilot, provider, children, ages.

    Returns
    -------
    pandas.DataFrame
        Columns ``pilot``, ``provider``, ``children`` (at start-up), ``age_min``, ``age_max``
        (NaN where not read).
    """
    f = data.load(HAPPENED_TABLE, data_dir=data_dir)
    sizes = f[f["measure"] == "cohort_size"]
    out = []
    for r in sizes.itertuples(index=False):
        ages = f[(f["pilot"] == r.pilot)].set_index("measure")["value"]
        out.append({"pilot": r.pilot, "provider": r.provider, "children": int(r.value),
                    "age_min": ages.get("cohort_age_min", float("nan")),
                    "age_max": ages.get("cohort_age_max", float("nan"))})
    return pd.DataFrame(out)


def actual_design(
    baseline: float,
    icc: float | None = None,
    years: int | None = None,
    alpha: float | None = None,
    power: float | None = None,
    direction: str = "increase",
    *, data_dir: str | Path | None = None,
) -> dict[str, float]:
    """MDD of the pilots as they ran: the cohorts of :func:`actual_cohorts` against matched control teams.

    Parameters
    ----------
    baseline : float
        The controls' proportion, in (0, 1).
    icc : float, optional
        By default the central scenario's (the scenario's ``icc``).
    alpha, power : float, optional
        By default the rows of ``evaluation_inputs``.
    years : int, optional
        Whole years of the evaluation period (``evaluation_period_months`` // 12) by default.
    direction : {"increase", "decrease"}

    Returns
    -------
    dict
        ``pilots``, ``children``, ``years``, ``mdd`` and ``mdd_report_design`` (nine practices
        of 100 for two years against one control, for comparison).
    """
    data.data_folder(data_dir)  # a wrong folder is refused even where no table is read
    cohorts = actual_cohorts()["children"].tolist()
    y = int(data.value(HAPPENED_TABLE, measure="evaluation_period_months", pilot="all", data_dir=data_dir) // 12) if years is None else years
    icc = _central_icc() if icc is None else icc
    alpha = input_value("alpha") if alpha is None else alpha
    power = input_value("power") if power is None else power
    mdd = minimum_detectable_difference(baseline, PilotDesign(len(cohorts), cohorts, y, icc, alpha), power,
                                        direction=direction)
    k = int(data.value(PILOTS_TABLE, measure="pilots_total_report", data_dir=data_dir))
    m = int(data.value("practice_design", parameter="caseload_children", data_dir=data_dir))
    run = int(data.value(PILOTS_TABLE, measure="pilot_length_min_report", data_dir=data_dir))
    report = minimum_detectable_difference(baseline, PilotDesign(k, m, run, icc, alpha), power, direction=direction)
    return {"pilots": float(len(cohorts)), "children": float(sum(cohorts)), "years": float(y), "mdd": mdd,
            "mdd_report_design": report}


# ---------------------------------------------------------------------------------------
# The book's predicted effects, from the other chapters' models, for a scenario
# ---------------------------------------------------------------------------------------


def _continuity_pair(reading: str) -> tuple[float, float, str]:
    """Chapter 2's chance of the same worker all year a year later in care: council England 2005, practice."""
    from . import continuity
    from .continuity import compare

    refs = continuity.reference_scenarios()
    council, practice = refs["Council, England 2005"], refs["Practice"]
    if reading == "poisson":
        return (continuity.p_same_worker(council, 1.0, False), continuity.p_same_worker(practice, 1.0, False),
                "chapter 2, Poisson reading: England 2005 rates against the practice scenario")
    if reading == "vacancy":
        vacant = compare.practice_with_vacancy()
        return (continuity.p_same_worker(council, 1.0, False), continuity.p_same_worker(vacant, 1.0, False),
                f"chapter 2: England 2005 rates against the practice with "
                f"{100 * vacant.vacancy:g}% of posts vacant, covered from inside")
    return (continuity.p_same_worker(council, 1.0, False, typed=True),
            continuity.p_same_worker(practice, 1.0, False, typed=True),
            "chapter 2, workers keeping their type: England 2005 rates against the practice scenario")


def predicted_effects_over_readings(scn: Scenario) -> pd.DataFrame:
    """Chapter 2's continuity gain under each of its readings: the range the evaluation chapters carry.

    The chance that a child keeps the same social worker through a year later in care (the draft
    contract's indicator), for a council at England's 2005 rates and for a practice, from
    :func:`swp_models.continuity.changes.p_same_worker`:

    * ``"poisson"``: every child faces the same rate of changes; the practice has no vacancies
      (chapter 2's headline);
    * ``"vacancy"``: the practice has one post in eight vacant, covered from inside
      (:func:`swp_models.continuity.compare.practice_with_vacancy`), the council as in the Poisson reading;
    * ``"typed"``: each worker keeps their type, agency or permanent, in council and practice alike.

    The continuity model reads its own assumptions from ``data/`` (chapter 2's tables).

    Parameters
    ----------
    scn : Scenario
        Its ``continuity_reading`` is marked in the ``scenario`` column.

    Returns
    -------
    pandas.DataFrame
        One row per reading, in the order of :data:`~swp_models.scenario.CONTINUITY_READINGS`:
        ``reading``, ``reading_name`` (words), ``baseline`` (council), ``predicted`` (practice),
        ``difference`` (proportions), ``basis`` and ``scenario`` (True for the scenario's reading).
    """
    scn = _scenario(scn)
    rows = []
    for reading in CONTINUITY_READINGS:
        council, practice, basis = _continuity_pair(reading)
        rows.append({"reading": reading, "reading_name": READING_NAMES[reading], "baseline": council,
                     "predicted": practice, "difference": practice - council, "basis": basis,
                     "scenario": reading == scn.continuity_reading})
    return pd.DataFrame(rows)


def effort_lifts(scn: Scenario) -> pd.DataFrame:
    """What the practice's effort buys on the same-worker indicator, under both effort models.

    * ``"contract"``: chapter 5's outcome contract (:class:`swp_models.contracts.Outcome`): the
      chance is ``outcome_base_probability + outcome_effort_gain * outcome_effort``, the lift
      assumed directly;
    * ``"outcome_model"``: chapter 6's model (:func:`swp_models.outcomes.default_outcome_model`):
      effort keeps staff, cutting the practice's rate of changes of worker by
      ``retention_effect * effort``; the lift is ``p_same(effort_reference) - p_same(0)``.

    Every assumption named is read through the scenario (:meth:`~swp_models.scenario.Scenario.value`), so an override
    of it is used.

    Parameters
    ----------
    scn : Scenario
        Its ``effort_model`` is marked in the ``scenario`` column.

    Returns
    -------
    pandas.DataFrame
        One row per model, in the order of :data:`~swp_models.scenario.EFFORT_MODELS`: ``model``,
        ``model_name`` (words), ``baseline`` (no extra effort), ``predicted`` (at the effort),
        ``difference``, ``effort``, ``basis`` and ``scenario``.
    """
    from . import contracts, outcomes

    scn = _scenario(scn)
    v = scn.value
    outcome = contracts.Outcome(v("outcome_base_probability"), v("outcome_effort_gain"), v("outcome_effort"))
    model = outcomes.default_outcome_model().replace(retention_effect=v("retention_effect"),
                                                     individual_change_probability=v("individual_change_probability"))
    e6 = check_in_range("effort_reference", v("effort_reference"), 0.0, 1.0)
    rows = [
        {"model": "contract", "baseline": outcome.base_probability, "predicted": outcome.probability,
         "effort": outcome.effort,
         "basis": "chapter 5's outcome contract: a base chance and a lift from the assumed effort"},
        {"model": "outcome_model", "baseline": model.p_same(0.0), "predicted": model.p_same(e6), "effort": e6,
         "basis": "chapter 6's outcome model: effort keeps staff, cutting the practice's rate of changes of worker"},
    ]
    frame = pd.DataFrame(rows)
    frame.insert(1, "model_name", frame["model"].map(EFFORT_MODEL_NAMES))
    frame.insert(4, "difference", frame["predicted"] - frame["baseline"])
    frame["scenario"] = frame["model"] == scn.effort_model
    return frame


def predicted_effects(scn: Scenario) -> pd.DataFrame:
    """The book's own predicted effects on the same-worker indicator, for a scenario.

    Two rows, computed by the other chapters' models:

    * the continuity gain, practice against council, under the scenario's ``continuity_reading``
      (one row of :func:`predicted_effects_over_readings`);
    * the lift that the practice's effort buys, under the scenario's ``effort_model`` (one row of
      :func:`effort_lifts`).

    Parameters
    ----------
    scn : Scenario
        The scenario (for example :meth:`~swp_models.scenario.Scenario.central`).

    Returns
    -------
    pandas.DataFrame
        Columns ``effect``, ``baseline``, ``predicted`` (proportions), ``difference``, ``basis``,
        ``kind`` ("continuity" or "effort") and ``variant`` (the reading or the effort model).

    Raises
    ------
    TypeError
        When ``scn`` is not a :class:`~swp_models.scenario.Scenario` (the message names ``scn``).
    """
    scn = _scenario(scn)
    gain = predicted_effects_over_readings(scn).set_index("reading").loc[scn.continuity_reading]
    lift = effort_lifts(scn).set_index("model").loc[scn.effort_model]
    rows = [
        ("Same social worker all year: practice against council (continuity model)", gain["baseline"],
         gain["predicted"], gain["basis"], "continuity", scn.continuity_reading),
        (f"Same social worker all year: effort ({lift['model_name']})", lift["baseline"], lift["predicted"],
         lift["basis"], "effort", scn.effort_model),
    ]
    frame = pd.DataFrame(rows, columns=["effect", "baseline", "predicted", "basis", "kind", "variant"])
    frame.insert(3, "difference", frame["predicted"] - frame["baseline"])
    return frame


def icc_threshold(diff: float, baseline: float, design: PilotDesign, power: float = 0.8) -> float:
    """The highest intra-practice correlation at which ``design`` still detects ``diff`` with ``power``.

    Power falls as the ICC rises, so the design detects ``diff`` at every ICC up to this one and
    at none above it: the ICC at which the conclusion "the pilot could detect it" reverses.

    Parameters
    ----------
    diff : float
        The true difference, as a share (non-zero); ``baseline + diff`` in [0, 1].
    baseline : float
        The controls' proportion, in (0, 1).
    design : PilotDesign
        Practices, controls, years and significance level (its own ICC is ignored).
    power : float, default 0.8
        Required power, in (0, 1).

    Returns
    -------
    float
        In [0, 1]: NaN when the design cannot detect ``diff`` even with no clustering; 1.0 when it
        detects it at every ICC.
    """
    p0 = _check_level("baseline", baseline)
    d = check_in_range("diff", diff, -p0, 1.0 - p0)
    if d == 0.0:
        raise ValueError("diff must be non-zero; got 0.0")
    des = _design(design)
    pw = _check_level("power", power)

    def gap(icc: float) -> float:
        arms = _arms(des.practices, des.children_per_practice, des.years, icc, des.control_practices,
                     des.control_children)
        return _power(d, p0, arms, des.alpha) - pw

    if gap(0.0) < 0:
        return float("nan")
    if gap(1.0) >= 0:
        return 1.0
    return float(optimize.brentq(gap, 0.0, 1.0, xtol=1e-12))


def detection_over_readings(scn: Scenario, design: PilotDesign, power: float | None = None) -> pd.DataFrame:
    """Whether ``design`` detects chapter 2's continuity gain under each reading, at the scenario's ICC.

    Each reading has its own council baseline; the exact minimum detectable difference
    (:func:`minimum_detectable_difference`) is taken at that baseline with ``design`` at the
    scenario's ICC (``scn.icc``, whatever ``design.icc`` holds).

    Parameters
    ----------
    scn : Scenario
    design : PilotDesign
        Practices, controls, years and significance level.
    power : float, optional
        Required power; by default the row ``power`` of ``evaluation_inputs``.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`predicted_effects_over_readings` plus ``icc``, ``mdd``,
        ``detectable`` (bool: the gain is at least the MDD) and ``icc_threshold``
        (:func:`icc_threshold`).
    """
    scn = _scenario(scn)
    des = _design(design)
    pw = input_value("power") if power is None else _check_level("power", power)
    at = PilotDesign(des.practices, des.children_per_practice, des.years, scn.icc, des.alpha,
                     des.control_practices, des.control_children)
    frame = predicted_effects_over_readings(scn)
    mdd = [minimum_detectable_difference(r.baseline, at, pw) for r in frame.itertuples()]
    frame["icc"] = scn.icc
    frame["mdd"] = mdd
    frame["detectable"] = [bool(m == m and r.difference >= m) for m, r in zip(mdd, frame.itertuples())]
    frame["icc_threshold"] = [icc_threshold(r.difference, r.baseline, at, pw) for r in frame.itertuples()]
    return frame


# ---------------------------------------------------------------------------------------
# Like with like (s.9.5): control teams at the practice's caseload, and subgroups
# ---------------------------------------------------------------------------------------


def _equal_caseload_p(council: float, practice: float, share: float) -> float:
    """The control team's chance when it closes ``share`` of the gap in the yearly rate of changes (-ln p)."""
    return float(math.exp((1.0 - share) * math.log(council) + share * math.log(practice)))


def _share_list(shares: object) -> list[float]:
    return [check_in_range(f"shares[{i}]", v, 0.0, 1.0)
            for i, v in enumerate(check_sequence("shares", shares, max_len=201))]


def equal_caseload_effects(
    scn: Scenario,
    shares: Sequence[float] | None = None,
    design: PilotDesign | None = None,
    power: float | None = None,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """What a pilot would see against control teams given the practice's caseload: the practice form's part of the gain.

    Chapter 2's continuity model gives the chance of keeping one social worker through a year
    later in care in the council and in the practice, under the scenario's ``continuity_reading``.
    Writing each as a yearly rate of changes of worker, ``-ln p``, a control team given the
    practice's caseload closes the share ``s`` of the gap in that rate that comes from the
    caseload (the assumption ``caseload_share``); what remains, practice against that team, is
    the practice form's part of the gain.

    Parameters
    ----------
    scn : Scenario
        Its ``continuity_reading``, ``icc`` and any override of ``caseload_share``.
    shares : sequence of float, optional
        Values of ``s`` in [0, 1] (at most 201); by default the assumption's low, central and
        high values.
    design : PilotDesign, optional
        The pilot (its ICC is replaced by the scenario's); by default the report's: nine
        practices of 100 children for two years against as many control teams.
    power : float, optional
        Required power; by default the row ``power`` of ``evaluation_inputs``.

    Returns
    -------
    pandas.DataFrame
        One row per share: ``share``, ``council``, ``control`` (the team at the practice's
        caseload), ``practice`` (proportions), ``form_effect`` (practice minus control),
        ``caseload_effect`` (control minus council), ``mdd`` (at the control's share),
        ``power`` (to detect the form's part) and ``detectable``.
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    scn = _scenario(scn)
    if shares is None:
        low, _, high = assumptions.bounds("caseload_share", data_dir=data_dir)
        shares = sorted({low, scn.value("caseload_share"), high})
    values = _share_list(shares)
    des = _report_design(scn) if design is None else _with_icc(_design(design), scn.icc)
    pw = input_value("power") if power is None else _check_level("power", power)
    council, practice, _ = _continuity_pair(scn.continuity_reading)
    rows = []
    for s in values:
        control = _equal_caseload_p(council, practice, s)
        form = practice - control
        mdd = minimum_detectable_difference(control, des, pw)
        rows.append({"share": s, "council": council, "control": control, "practice": practice,
                     "form_effect": form, "caseload_effect": control - council, "mdd": mdd,
                     "power": power_of_difference(form, control, des),
                     "detectable": bool(mdd == mdd and form >= mdd)})
    return pd.DataFrame(rows)


def caseload_share_threshold(scn: Scenario, design: PilotDesign | None = None, power: float | None = None) -> float:
    """The caseload's share of the gain above which a pilot at equal caseloads no longer detects the form's part.

    Parameters
    ----------
    scn, design, power
        As in :func:`equal_caseload_effects`.

    Returns
    -------
    float
        In [0, 1]: NaN when even with the caseload explaining nothing (the whole gain the
        form's) the pilot cannot detect it; 1.0 never happens, since at 1 the form's part is 0.
    """
    scn = _scenario(scn)
    des = _report_design(scn) if design is None else _with_icc(_design(design), scn.icc)
    pw = input_value("power") if power is None else _check_level("power", power)
    council, practice, _ = _continuity_pair(scn.continuity_reading)

    def gap(s: float) -> float:
        control = _equal_caseload_p(council, practice, s)
        return power_of_difference(practice - control, control, des) - pw

    if gap(0.0) < 0:
        return float("nan")
    return float(optimize.brentq(gap, 0.0, 1.0, xtol=1e-10))


def subgroup_design(design: PilotDesign, share: float) -> PilotDesign:
    """The same pilot restricted to a subgroup of children that makes up ``share`` of every practice and team.

    Each practice and control team keeps ``round(share * m)`` of its ``m`` children (at least
    one); the number of practices, years, ICC and significance level are unchanged, so the
    subgroup's design effect is smaller but its children far fewer.

    Parameters
    ----------
    design : PilotDesign
        The whole pilot.
    share : float
        The subgroup's share of the children, in (0, 1].

    Returns
    -------
    PilotDesign
    """
    des = _design(design)
    s = check_in_range("share", share, 0.0, 1.0, low_open=True)

    def part(sizes: np.ndarray) -> tuple[int, ...]:
        return tuple(max(1, int(round(s * m))) for m in sizes)

    return PilotDesign(len(des.pilot_sizes), part(des.pilot_sizes), des.years, des.icc, des.alpha,
                       len(des.control_sizes), part(des.control_sizes))


def _with_icc(des: PilotDesign, icc: float) -> PilotDesign:
    return PilotDesign(des.practices, des.children_per_practice, des.years, icc, des.alpha,
                       des.control_practices, des.control_children)


def _report_design(scn: Scenario) -> PilotDesign:
    """The report's nine practices of 100 children for two years, at the scenario's ICC and the evaluation's alpha."""
    k = int(data.value(PILOTS_TABLE, measure="pilots_total_report"))
    m = int(data.value("practice_design", parameter="caseload_children"))
    run = int(data.value(PILOTS_TABLE, measure="pilot_length_min_report"))
    return PilotDesign(k, m, run, scn.icc, input_value("alpha"))
