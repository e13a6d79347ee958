"""Continuity of social worker for a child in care, 24-hour cover, and caseload queues.

The model behind chapter 2 ("Continuity: how many social workers does a child have?").

Worker changes
--------------
A child's social worker changes for three reasons:

* **turnover** of permanent staff. A turnover rate ``T`` (the share of staff in post who
  leave within a year) is read as a constant annual leaving hazard ``-ln(1 - T)``, so that
  a permanent worker is still in post a year later with probability ``1 - T``;
* **agency cover** of vacant posts. A share ``v`` of posts (the vacancy rate) is covered
  by agency staff who stay with a child for ``agency_tenure_years`` on average, a leaving
  hazard of ``1 / agency_tenure_years``;
* **hand-offs** between teams at the start of an episode of care (emergency, intake,
  family support, child protection...): ``handoffs`` scheduled, certain changes of worker,
  evenly spaced over the first ``handoff_window_years`` of the episode, the last at the end
  of the window.

The reference model treats the turnover and agency changes as one Poisson process with
the *average* hazard

.. math:: h = (1 - v)\\,(-\\ln(1 - T)) + v / \\tau,

that is, at any moment a child's worker is a permanent worker with probability ``1 - v``
and an agency worker with probability ``v``, and the hazard is averaged over the two.
Distinct workers over a period are then ``1 + (hand-offs in the period) + N`` with
``N ~ Poisson(h * years)``: a worker who has left never returns to the same child.

The approximation and what it changes: in the richer process where each worker keeps a
type (permanent or agency) for as long as they hold the case, the expected number of
changes over a period is exactly ``h * years`` (the type process is stationary), so
:func:`expected_workers` is exact for it too. The *distribution* of changes is more
dispersed, and the chance of no change is the mixture
``(1 - v) exp(-h_perm * years) + v exp(-years / tau)``, which is at least the Poisson value
``exp(-h * years)`` (Jensen's inequality). :func:`p_same_worker_typed` gives that value,
:func:`worker_count_pmf_typed` the whole distribution exactly (by uniformisation of the
two-type chain) and :func:`simulate_worker_counts_detailed` simulates the richer process,
so the book can show how much the simplification matters.

24-hour cover and caseload queues
---------------------------------
:func:`nights_on_duty_per_worker` and :func:`team_size_for_rota` give the arithmetic of a
one-person night rota (Committee evidence, Q226). :func:`erlang_c`,
:func:`expected_waiting` and :func:`simulate_queue` treat a caseload cap (Q239: ten cases,
then "stacked") as an M/M/c queue with ``c = workers * cap`` allocation places.

The chapter's tables and grids
------------------------------
:func:`key_results`, :func:`scenario_table`, :func:`stability_table`,
:func:`simulation_table`, :func:`target_summary_table`, :func:`rota_summary_table`,
:func:`queue_summary_table` and :func:`queue_check_table` are the tables on the page;
:func:`turnover_grid`, :func:`hazard_grid`, :func:`episode_workers`,
:func:`count_distribution` and :func:`queue_grid` are the precomputed grids behind its
static sliders (``swp_models.figures.continuity``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral
from typing import TYPE_CHECKING, Mapping, NamedTuple, Sequence

import numpy as np
import pandas as pd
from scipy import special

from . import data
from .validation import (
    check_in_range,
    check_integer,
    check_nonnegative,
    check_one_of,
    check_positive,
    check_probability,
)

if TYPE_CHECKING:
    from .tables import Table

__all__ = [
    "ASSUMPTIONS_TABLE",
    "WEEKS_PER_YEAR",
    "WORKFORCE_TABLE",
    "ContinuityScenario",
    "DetailedCounts",
    "QueueMetrics",
    "QueueSimulation",
    "allocation_places",
    "assumption",
    "changes_by_cause",
    "days_between_duties",
    "erlang_b",
    "erlang_c",
    "expected_agency_workers",
    "expected_waiting",
    "expected_workers",
    "handoff_times",
    "handoffs_within",
    "handoff_mixture",
    "hazard",
    "nights_on_duty_per_worker",
    "p_same_worker",
    "p_same_worker_typed",
    "p_workers_at_least",
    "reference_scenarios",
    "regions_with_rates",
    "scenario_from_data",
    "scenario_summary",
    "simulate_queue",
    "simulate_worker_counts",
    "simulate_worker_counts_detailed",
    "team_size_for_rota",
    "worker_count_pmf",
    # the typed process, exactly
    "p_workers_at_least_typed",
    "worker_count_pmf_typed",
    # chapter 2 tables, grids and checks
    "CHAPTER_SEED",
    "EVIDENCE_TABLE",
    "PRACTICE_TABLE",
    "STABILITY_TABLE",
    "count_distribution",
    "episode_workers",
    "hazard_grid",
    "implied_hazard",
    "key_results",
    "queue_grid",
    "queue_simulation_check",
    "queue_table",
    "rota_table",
    "scenario_results",
    "scenario_table",
    "simulation_check",
    "queue_check_table",
    "queue_summary_table",
    "required_turnover",
    "rota_summary_table",
    "simulation_table",
    "stability_check",
    "stability_table",
    "target_summary_table",
    "target_table",
    "turnover_grid",
]

#: Weeks in an average year (365.25 days), to convert waits from years to weeks.
WEEKS_PER_YEAR: float = 365.25 / 7.0

#: Data table with the 2005 vacancy and turnover rates by region (percent).
WORKFORCE_TABLE = "workforce_rates_2005"

#: Data table holding this model's assumptions.
ASSUMPTIONS_TABLE = "assumptions_continuity"

# Defaults of ContinuityScenario. They equal the rows ``agency_tenure_years`` and
# ``handoff_window_years`` of data/assumptions_continuity.csv (a test checks this).
_DEFAULT_AGENCY_TENURE_YEARS = 0.5
_DEFAULT_HANDOFF_WINDOW_YEARS = 0.25

# Relative guard for floating-point comparisons of hand-off times with a period's end.
_EPS = 1e-12


# ---------------------------------------------------------------------------
# Input helpers
# ---------------------------------------------------------------------------


def _check_bool(name: str, value: object) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def _rng(seed: object) -> np.random.Generator:
    """A generator from an integer seed or an existing generator (never unseeded)."""
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, bool) or not isinstance(seed, (Integral, np.integer)) or int(seed) < 0:
        raise ValueError(
            f"seed must be a non-negative integer or a numpy.random.Generator; got {seed!r}"
        )
    return np.random.default_rng(int(seed))


def _check_years(value: object, name: str = "years") -> float:
    return check_positive(name, value)


# ---------------------------------------------------------------------------
# Scenario
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ContinuityScenario:
    """Staffing conditions that determine how often a child's social worker changes.

    Parameters
    ----------
    turnover : float
        Annual turnover of permanent social workers, as a share in [0, 1): the share of
        staff in post at the start of a year who have left by its end (11% in England in
        2005 is ``0.11``).
    vacancy : float, default 0.0
        Vacancy rate, share of posts in [0, 1); vacant posts are taken to be covered by
        agency staff.
    agency_tenure_years : float, default 0.5
        Mean time an agency social worker holds a child's case, in years (> 0). The
        default is an assumption (``data/assumptions_continuity.csv``).
    handoffs : int, default 0
        Scheduled hand-offs between teams at the start of an episode of care (each a
        certain change of worker); a non-negative integer.
    handoff_window_years : float, default 0.25
        The hand-offs are evenly spaced over this first part of an episode, in years,
        in (0, 1]; the last falls at its end. An assumption.
    handoff_probability : float, default 1.0
        Chance, in [0, 1], that each of the ``handoffs`` possible hand-offs happens: the
        number a child has is binomial (``handoffs`` trials), and given that number they
        are evenly spaced over the window. 1 (the default) gives every child ``handoffs``.
        Every closed form and simulation mixes over the number (see :func:`handoff_mixture`).
    name : str, default ""
        Label used in tables and charts.
    """

    turnover: float
    vacancy: float = 0.0
    agency_tenure_years: float = _DEFAULT_AGENCY_TENURE_YEARS
    handoffs: int = 0
    handoff_window_years: float = _DEFAULT_HANDOFF_WINDOW_YEARS
    name: str = ""
    handoff_probability: float = 1.0

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "turnover", check_probability("turnover", self.turnover, allow_one=False))
        set_(self, "vacancy", check_probability("vacancy", self.vacancy, allow_one=False))
        set_(self, "agency_tenure_years", check_positive("agency_tenure_years", self.agency_tenure_years))
        set_(self, "handoffs", check_integer("handoffs", self.handoffs, low=0))
        set_(
            self,
            "handoff_window_years",
            check_in_range("handoff_window_years", self.handoff_window_years, 0.0, 1.0, low_open=True),
        )
        if not isinstance(self.name, str):
            raise ValueError(f"name must be a string; got {self.name!r}")
        set_(self, "handoff_probability", check_probability("handoff_probability", self.handoff_probability))

    @property
    def permanent_hazard(self) -> float:
        """Leaving hazard of a permanent worker, ``-ln(1 - turnover)``, per year."""
        return -math.log1p(-self.turnover)

    @property
    def agency_hazard(self) -> float:
        """Leaving hazard of an agency worker, ``1 / agency_tenure_years``, per year."""
        return 1.0 / self.agency_tenure_years

    def replace(self, **changes: object) -> "ContinuityScenario":
        """A copy with some fields changed (validated again)."""
        fields = {
            "turnover": self.turnover,
            "vacancy": self.vacancy,
            "agency_tenure_years": self.agency_tenure_years,
            "handoffs": self.handoffs,
            "handoff_window_years": self.handoff_window_years,
            "name": self.name,
            "handoff_probability": self.handoff_probability,
        }
        unknown = sorted(set(changes) - set(fields))
        if unknown:
            raise ValueError(f"unknown ContinuityScenario field(s): {', '.join(unknown)}; fields: {', '.join(fields)}")
        fields.update(changes)
        return ContinuityScenario(**fields)  # type: ignore[arg-type]


def _check_scenario(s: object) -> ContinuityScenario:
    if not isinstance(s, ContinuityScenario):
        raise ValueError(f"s must be a ContinuityScenario; got {type(s).__name__}")
    return s


def handoff_mixture(s: ContinuityScenario) -> list[tuple[float, ContinuityScenario]]:
    """The scenario as a mixture over the number of hand-offs a child has.

    Returns
    -------
    list of (float, ContinuityScenario)
        ``(P(H = j), scenario with exactly j hand-offs)`` for ``j = 0..handoffs``, ``H``
        binomial with ``handoffs`` trials and chance ``handoff_probability``; a single pair
        when every child has the same number.
    """
    s = _check_scenario(s)
    q = s.handoff_probability
    if s.handoffs == 0 or q == 1.0:
        return [(1.0, s)]
    j = np.arange(s.handoffs + 1)
    weights = np.exp(special.gammaln(s.handoffs + 1) - special.gammaln(j + 1) - special.gammaln(s.handoffs - j + 1)
                     + j * math.log(q) + (s.handoffs - j) * math.log1p(-q)) if q > 0 else (j == 0).astype(float)
    return [(float(w), s.replace(handoffs=int(k), handoff_probability=1.0)) for k, w in zip(j, weights) if w > 0]


def _mixed(fn, s: ContinuityScenario, years: float, first_year: bool, *args: object) -> object:
    """``fn`` averaged over the number of hand-offs, or None when every child has the same number."""
    s = _check_scenario(s)
    if not first_year or s.handoffs == 0 or s.handoff_probability == 1.0:
        return None
    parts = [(w, fn(sj, *args)) for w, sj in handoff_mixture(s)]
    first = parts[0][1]
    if isinstance(first, dict):
        return {key: sum(w * r[key] for w, r in parts) for key in first}
    if isinstance(first, pd.Series):
        index = sorted(set().union(*(r.index for _, r in parts)))
        out = sum(w * r.reindex(index, fill_value=0.0) for w, r in parts)
        out.index.name, out.name = first.index.name, first.name
        return out
    return float(sum(w * r for w, r in parts))


# ---------------------------------------------------------------------------
# Closed forms
# ---------------------------------------------------------------------------


def hazard(s: ContinuityScenario) -> float:
    """Average hazard of a change of worker from turnover and agency cover.

    ``h = (1 - v) * (-ln(1 - turnover)) + v / agency_tenure_years``.

    Parameters
    ----------
    s : ContinuityScenario

    Returns
    -------
    float
        Expected changes of worker per child per year, hand-offs excluded.
    """
    s = _check_scenario(s)
    return (1.0 - s.vacancy) * s.permanent_hazard + s.vacancy * s.agency_hazard


def handoff_times(s: ContinuityScenario) -> np.ndarray:
    """Times of the scheduled hand-offs, in years from the start of an episode.

    ``handoff_window_years * k / handoffs`` for ``k = 1..handoffs``; empty when there
    are none.
    """
    s = _check_scenario(s)
    k = np.arange(1, s.handoffs + 1, dtype=float)
    return s.handoff_window_years * k / max(s.handoffs, 1)


def handoffs_within(s: ContinuityScenario, years: float = 1.0, first_year: bool = True) -> int:
    """Number of scheduled hand-offs in a period of ``years``.

    Parameters
    ----------
    s : ContinuityScenario
    years : float, default 1.0
        Length of the period, in years (> 0).
    first_year : bool, default True
        True when the period starts at the beginning of an episode of care, so the
        hand-offs that fall within it count; False for a period later in care, after
        the hand-off window, which has none.

    Returns
    -------
    int
        Hand-offs (certain changes of worker) in the period.
    """
    s = _check_scenario(s)
    years = _check_years(years)
    first_year = _check_bool("first_year", first_year)
    if not first_year or s.handoffs == 0:
        return 0
    # hand-off k falls at window * k / H; it is in [0, years] when k <= years * H / window
    k_max = math.floor(years * s.handoffs / s.handoff_window_years * (1.0 + _EPS))
    return min(s.handoffs, k_max)


def _mean_changes(s: ContinuityScenario, years: float) -> float:
    return hazard(s) * years


def p_same_worker(s: ContinuityScenario, years: float = 1.0, first_year: bool = False) -> float:
    """Probability that a child keeps the same social worker throughout a period.

    Under the reference (Poisson) model this is ``exp(-h * years)`` for a period later
    in care. For a period that starts with the episode (``first_year=True``) it is zero
    when any scheduled hand-off falls within the period, since each changes the worker.

    The contract's expected outcome, "Numbers of children with same social worker throughout
    previous year" (Annex A.2, Art. 22, under the indicator "Stability of social worker or
    lead professional"), counts children looked after throughout that year; for a
    child who entered care before the year began and after the hand-off window, that is
    ``first_year=False`` (the default). A child who entered during the year has had every
    hand-off within it: ``first_year=True``.

    Parameters
    ----------
    s : ContinuityScenario
    years : float, default 1.0
        Length of the period, in years (> 0).
    first_year : bool, default False
        Whether the period starts at the beginning of the episode of care.

    Returns
    -------
    float
        Probability in [0, 1].

    See Also
    --------
    p_same_worker_typed : the same probability when each worker keeps a type.
    """
    mixed = _mixed(lambda sj: p_same_worker(sj, years, first_year), s, years, first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    if n_handoffs > 0:
        return 0.0
    return math.exp(-_mean_changes(s, years))


def p_same_worker_typed(s: ContinuityScenario, years: float = 1.0, first_year: bool = False) -> float:
    """Probability of keeping the same worker when each worker keeps their type.

    In the richer process simulated by :func:`simulate_worker_counts_detailed`, the worker
    a child has at the start of a period is an agency worker with probability ``v`` and
    leaves at hazard ``1 / agency_tenure_years``, otherwise a permanent worker leaving at
    hazard ``-ln(1 - turnover)``. The chance of no change in ``years`` is the mixture
    ``(1 - v) exp(-h_perm * years) + v exp(-years / tau)``; it is never below the Poisson
    value of :func:`p_same_worker`, and equals it when ``v`` is 0.

    Parameters
    ----------
    s : ContinuityScenario
    years : float, default 1.0
        Length of the period, in years (> 0).
    first_year : bool, default False
        Whether the period starts at the beginning of the episode (then any hand-off
        within it makes the probability zero).

    Returns
    -------
    float
        Probability in [0, 1].
    """
    mixed = _mixed(lambda sj: p_same_worker_typed(sj, years, first_year), s, years, first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    if n_handoffs > 0:
        return 0.0
    return (1.0 - s.vacancy) * math.exp(-s.permanent_hazard * years) + s.vacancy * math.exp(
        -s.agency_hazard * years
    )


def expected_workers(s: ContinuityScenario, years: float = 1.0, first_year: bool = True) -> float:
    """Expected number of distinct social workers a child has over a period.

    ``1 + (hand-offs in the period) + h * years``. Exact for the richer typed process as
    well as the Poisson one (see the module notes).

    Parameters
    ----------
    s : ContinuityScenario
    years : float, default 1.0
        Length of the period, in years (> 0).
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.

    Returns
    -------
    float
        Workers per child over the period.
    """
    mixed = _mixed(lambda sj: expected_workers(sj, years, first_year), s, years, first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    return 1.0 + n_handoffs + _mean_changes(s, years)


def changes_by_cause(s: ContinuityScenario, years: float = 1.0, first_year: bool = True) -> dict[str, float]:
    """Expected changes of worker over a period, split by cause.

    Parameters
    ----------
    s : ContinuityScenario
    years : float, default 1.0
        Length of the period, in years (> 0).
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.

    Returns
    -------
    dict of str to float
        Changes per child over the period: ``"turnover"`` (permanent staff leaving,
        ``(1 - v) * -ln(1 - T) * years``), ``"agency"`` (agency cover ending,
        ``v / tau * years``) and ``"handoffs"`` (scheduled team hand-offs). They sum to
        ``expected_workers(s, years, first_year) - 1``.
    """
    mixed = _mixed(lambda sj: changes_by_cause(sj, years, first_year), s, years, first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    return {
        "turnover": (1.0 - s.vacancy) * s.permanent_hazard * years,
        "agency": s.vacancy * s.agency_hazard * years,
        "handoffs": float(n_handoffs),
    }


def p_workers_at_least(s: ContinuityScenario, k: int, years: float = 1.0, first_year: bool = True) -> float:
    """Probability that a child has at least ``k`` distinct social workers in a period.

    ``k`` workers means at least ``k - 1`` changes; with ``H`` hand-offs in the period the
    Poisson part must supply at least ``k - 1 - H`` of them. "Five social workers in a
    year" is ``p_workers_at_least(s, 5)``.

    Parameters
    ----------
    s : ContinuityScenario
    k : int
        Number of workers, at least 1.
    years : float, default 1.0
        Length of the period, in years (> 0).
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.

    Returns
    -------
    float
        Probability in [0, 1].
    """
    k = check_integer("k", k, low=1)
    mixed = _mixed(lambda sj: p_workers_at_least(sj, k, years, first_year), s, years, first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    needed = k - 1 - n_handoffs
    if needed <= 0:
        return 1.0
    mu = _mean_changes(s, years)
    if mu == 0.0:
        return 0.0
    # P(Poisson(mu) >= m) is the regularised lower incomplete gamma function P(m, mu)
    return float(special.gammainc(needed, mu))


def worker_count_pmf(
    s: ContinuityScenario,
    years: float = 1.0,
    first_year: bool = True,
    max_workers: int | None = None,
) -> pd.Series:
    """Distribution of the number of distinct social workers a child has in a period.

    Parameters
    ----------
    s : ContinuityScenario
    years : float, default 1.0
        Length of the period, in years (> 0).
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.
    max_workers : int, optional
        Largest count listed (at least 1). By default large enough that the probability
        of more workers is below about 1e-12. Probability beyond ``max_workers`` is
        left out, not folded into the last entry.

    Returns
    -------
    pandas.Series
        ``P(workers = w)`` indexed by ``w = 1, ..., max_workers`` (index name
        ``"workers"``, series name ``"probability"``).
    """
    mixed = _mixed(lambda sj: worker_count_pmf(sj, years, first_year, max_workers), s, years, first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    mu = _mean_changes(s, years)
    if max_workers is None:
        max_workers = 1 + n_handoffs + int(math.ceil(mu + 12.0 * math.sqrt(mu) + 30.0))
    max_workers = check_integer("max_workers", max_workers, low=1)
    workers = np.arange(1, max_workers + 1)
    changes = workers - 1 - n_handoffs
    probs = np.zeros(workers.size)
    ok = changes >= 0
    n = changes[ok].astype(float)
    if mu == 0.0:
        probs[ok] = (n == 0).astype(float)
    else:
        probs[ok] = np.exp(n * math.log(mu) - mu - special.gammaln(n + 1.0))
    return pd.Series(probs, index=pd.Index(workers, name="workers"), name="probability")


def _agency_share_of_new_workers(s: ContinuityScenario) -> float:
    """Chance that a worker taking over after a turnover or agency change is an agency worker.

    Chosen so that agency workers hold a share ``v`` of the time:
    ``q = v / (v + (1 - v) * h_perm * tau)``; 0 when ``v`` is 0.
    """
    if s.vacancy == 0.0:
        return 0.0
    return s.vacancy / (s.vacancy + (1.0 - s.vacancy) * s.permanent_hazard * s.agency_tenure_years)


def expected_agency_workers(s: ContinuityScenario, years: float = 1.0, first_year: bool = True) -> float:
    """Expected number of a child's distinct workers in a period who are agency staff.

    For the typed process of :func:`simulate_worker_counts_detailed`: the first worker
    and each worker after a hand-off is an agency worker with probability ``v``; a worker
    arriving after a turnover or agency change is one with probability
    ``q = v / (v + (1 - v) h_perm tau)``, which keeps agency workers' share of time at ``v``.

    Returns
    -------
    float
        Agency workers per child over the period.
    """
    mixed = _mixed(lambda sj: expected_agency_workers(sj, years, first_year), s, years, first_year)
    if mixed is not None:
        return mixed
    n_handoffs = handoffs_within(s, years, first_year)
    q = _agency_share_of_new_workers(s)
    return s.vacancy * (1 + n_handoffs) + q * _mean_changes(s, years)


def scenario_summary(
    scenarios: Sequence[ContinuityScenario] | Mapping[str, ContinuityScenario], years: float = 1.0
) -> pd.DataFrame:
    """Key continuity figures for several scenarios, one row each.

    Parameters
    ----------
    scenarios : sequence or mapping of ContinuityScenario
        A mapping's keys label the rows; otherwise each scenario's ``name``.
    years : float, default 1.0
        Length of the period, in years (> 0).

    Returns
    -------
    pandas.DataFrame
        Indexed by scenario, with columns ``turnover`` and ``vacancy`` (shares),
        ``handoffs``, ``hazard`` (changes per year), ``p_same_later`` and ``p_same_first``
        (probability of one worker throughout a period later in care / from the start of
        the episode), ``p_same_later_typed``, ``workers_first`` and ``workers_later``
        (expected distinct workers), ``p5_first`` and ``p5_later`` (probability of five or
        more workers).
    """
    years = _check_years(years)
    items = list(scenarios.items()) if isinstance(scenarios, Mapping) else [(sc.name, sc) for sc in scenarios]
    rows = []
    for label, sc in items:
        sc = _check_scenario(sc)
        rows.append(
            {
                "scenario": label,
                "turnover": sc.turnover,
                "vacancy": sc.vacancy,
                "handoffs": sc.handoffs,
                "hazard": hazard(sc),
                "p_same_later": p_same_worker(sc, years, first_year=False),
                "p_same_first": p_same_worker(sc, years, first_year=True),
                "p_same_later_typed": p_same_worker_typed(sc, years, first_year=False),
                "workers_first": expected_workers(sc, years, first_year=True),
                "workers_later": expected_workers(sc, years, first_year=False),
                "p5_first": p_workers_at_least(sc, 5, years, first_year=True),
                "p5_later": p_workers_at_least(sc, 5, years, first_year=False),
            }
        )
    return pd.DataFrame(rows).set_index("scenario")


# ---------------------------------------------------------------------------
# Simulation
# ---------------------------------------------------------------------------


def _count_poisson_events(rng: np.random.Generator, rate: float, horizon: float, n: int) -> np.ndarray:
    """Events of a rate-``rate`` Poisson process in [0, horizon] for ``n`` independent children.

    Built from exponential gaps (not by drawing Poisson counts directly), in blocks of
    gaps per child; children whose block ends inside the horizon draw another block.
    """
    counts = np.zeros(n, dtype=np.int64)
    if rate == 0.0 or n == 0:
        return counts
    mu = rate * horizon
    block = int(math.ceil(mu + 4.0 * math.sqrt(mu) + 4.0))
    idx = np.arange(n)
    start = np.zeros(n)
    while idx.size:
        times = start[:, None] + np.cumsum(rng.exponential(1.0 / rate, size=(idx.size, block)), axis=1)
        inside = times <= horizon
        counts[idx] += inside.sum(axis=1)
        more = inside[:, -1]
        idx = idx[more]
        start = times[more, -1]
    return counts


def simulate_worker_counts(
    s: ContinuityScenario, years: float, n_children: int, seed: int | np.random.Generator, first_year: bool = True
) -> np.ndarray:
    """Simulate the number of distinct social workers each of ``n_children`` has.

    Simulates exactly the process the closed forms assume: changes from turnover and
    agency cover at the average hazard :func:`hazard`, built from exponential waiting
    times, plus the scheduled hand-offs in the period. Agreement with
    :func:`expected_workers` and :func:`p_same_worker` is therefore within Monte Carlo
    error. :func:`simulate_worker_counts_detailed` simulates the richer typed process.

    Parameters
    ----------
    s : ContinuityScenario
    years : float
        Length of the period, in years (> 0).
    n_children : int
        Number of children simulated (>= 1).
    seed : int or numpy.random.Generator
        Seed for :func:`numpy.random.default_rng`, or a generator.
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.

    Returns
    -------
    numpy.ndarray of int64, shape (n_children,)
        Distinct workers per child over the period (at least 1).
    """
    s = _check_scenario(s)
    n_children = check_integer("n_children", n_children, low=1)
    rng = _rng(seed)
    groups = _handoff_groups(s, years, first_year, n_children, rng)
    if groups is not None:
        out = np.empty(n_children, dtype=np.int64)
        for sj, idx in groups:
            out[idx] = simulate_worker_counts(sj, years, idx.size, rng, first_year)
        return out
    n_handoffs = handoffs_within(s, years, first_year)
    changes = _count_poisson_events(rng, hazard(s), years, n_children)
    return 1 + n_handoffs + changes


def _handoff_groups(
    s: ContinuityScenario, years: float, first_year: bool, n_children: int, rng: np.random.Generator
) -> list[tuple[ContinuityScenario, np.ndarray]] | None:
    """Children split by the number of hand-offs each draws (binomial), or None when all have the same number."""
    if not first_year or s.handoffs == 0 or s.handoff_probability == 1.0:
        return None
    drawn = rng.binomial(s.handoffs, s.handoff_probability, n_children)
    return [
        (s.replace(handoffs=j, handoff_probability=1.0), np.flatnonzero(drawn == j))
        for j in range(s.handoffs + 1)
        if (drawn == j).any()
    ]


class DetailedCounts(NamedTuple):
    """Result of :func:`simulate_worker_counts_detailed` (one entry per child)."""

    workers: np.ndarray
    """Distinct workers over the period (int64)."""
    agency_workers: np.ndarray
    """How many of them were agency workers (int64)."""


def simulate_worker_counts_detailed(
    s: ContinuityScenario, years: float, n_children: int, seed: int | np.random.Generator, first_year: bool = True
) -> DetailedCounts:
    """Simulate worker changes with each worker's type (permanent or agency) tracked.

    The period is split at the scheduled hand-offs. At the start of each piece a child
    gets a worker who is an agency worker with probability ``v`` (a random worker in
    post). A permanent worker leaves at hazard ``-ln(1 - turnover)``, an agency worker at
    hazard ``1 / agency_tenure_years``; the next worker is an agency worker with
    probability ``q = v / (v + (1 - v) h_perm tau)``, which keeps agency workers' share of
    time at ``v``. The mean number of workers matches :func:`expected_workers` exactly;
    the chance of keeping one worker is :func:`p_same_worker_typed`, not the Poisson
    :func:`p_same_worker`.

    Parameters
    ----------
    s : ContinuityScenario
    years : float
        Length of the period, in years (> 0).
    n_children : int
        Number of children simulated (>= 1).
    seed : int or numpy.random.Generator
        Seed for :func:`numpy.random.default_rng`, or a generator.
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.

    Returns
    -------
    DetailedCounts
        ``workers`` and ``agency_workers`` per child (int64 arrays).
    """
    s = _check_scenario(s)
    n_children = check_integer("n_children", n_children, low=1)
    rng = _rng(seed)
    groups = _handoff_groups(s, years, first_year, n_children, rng)
    if groups is not None:
        workers = np.empty(n_children, dtype=np.int64)
        agency = np.empty(n_children, dtype=np.int64)
        for sj, idx in groups:
            part = simulate_worker_counts_detailed(sj, years, idx.size, rng, first_year)
            workers[idx], agency[idx] = part.workers, part.agency_workers
        return DetailedCounts(workers, agency)
    n_handoffs = handoffs_within(s, years, first_year)
    q = _agency_share_of_new_workers(s)
    h_perm, h_agency = s.permanent_hazard, s.agency_hazard
    bounds = np.concatenate([[0.0], handoff_times(s)[:n_handoffs], [years]])
    workers = np.full(n_children, 1 + n_handoffs, dtype=np.int64)
    agency_workers = np.zeros(n_children, dtype=np.int64)
    for start, end in zip(bounds[:-1], bounds[1:]):
        is_agency = rng.random(n_children) < s.vacancy
        agency_workers += is_agency
        idx = np.arange(n_children)
        t = np.full(n_children, start)
        while idx.size:
            rate = np.where(is_agency, h_agency, h_perm)
            with np.errstate(divide="ignore", invalid="ignore"):
                t = t + rng.exponential(1.0, size=idx.size) / rate
            inside = t <= end
            idx, t = idx[inside], t[inside]
            workers[idx] += 1
            is_agency = rng.random(idx.size) < q
            agency_workers[idx] += is_agency
    return DetailedCounts(workers, agency_workers)


# ---------------------------------------------------------------------------
# Scenarios from data
# ---------------------------------------------------------------------------


def assumption(parameter: str) -> float:
    """Value of one row of ``data/assumptions_continuity.csv``, in the table's unit.

    Parameters
    ----------
    parameter : str
        The row's ``parameter`` (for example ``"agency_tenure_years"``).
    """
    try:
        return data.value(ASSUMPTIONS_TABLE, parameter=parameter)
    except data.DataValidationError:
        known = list(data.load(ASSUMPTIONS_TABLE)["parameter"])
        check_one_of("parameter", parameter, known)
        raise


def regions_with_rates(frame: pd.DataFrame | None = None) -> list[str]:
    """Regions for which ``workforce_rates_2005`` gives both a vacancy and a turnover rate.

    Parameters
    ----------
    frame : pandas.DataFrame, optional
        The table as returned by ``data.load("workforce_rates_2005")``; loaded when omitted.
    """
    if frame is None:
        frame = data.load(WORKFORCE_TABLE)
    have = frame.groupby("region")["measure"].agg(set)
    wanted = {"vacancy_rate", "turnover_rate"}
    return [str(r) for r in frame["region"].drop_duplicates() if wanted <= have[r]]


def scenario_from_data(
    region: str,
    handoffs: int = 0,
    agency_tenure_years: float | None = None,
    handoff_window_years: float | None = None,
    name: str | None = None,
) -> ContinuityScenario:
    """A scenario with a region's 2005 turnover and vacancy rates.

    Parameters
    ----------
    region : str
        A region of ``data/workforce_rates_2005.csv`` with both rates (England, London,
        Yorkshire and Humberside).
    handoffs : int, default 0
        Scheduled team hand-offs at the start of an episode.
    agency_tenure_years : float, optional
        Mean stay of an agency worker with a child, in years; by default the assumption
        ``agency_tenure_years``.
    handoff_window_years : float, optional
        Window of the hand-offs, in years; by default the assumption
        ``handoff_window_years``.
    name : str, optional
        Label; by default ``"<region> 2005"``.

    Returns
    -------
    ContinuityScenario
        Turnover and vacancy as shares (the table's percentages over 100).

    Raises
    ------
    ValueError
        If ``region`` is not in the table, or the table lacks one of its two rates.
    """
    if not isinstance(region, str):
        raise ValueError(f"region must be a string; got {region!r}")
    frame = data.load(WORKFORCE_TABLE)
    known = list(frame["region"].drop_duplicates())
    check_one_of("region", region, known)
    usable = regions_with_rates(frame)
    if region not in usable:
        have = sorted(frame.loc[frame["region"] == region, "measure"])
        raise ValueError(
            f"region {region!r} has only {', '.join(have)} in {WORKFORCE_TABLE}; "
            f"a scenario needs both vacancy_rate and turnover_rate, given for: {', '.join(usable)}"
        )
    turnover = data.value(WORKFORCE_TABLE, region=region, measure="turnover_rate") / 100.0
    vacancy = data.value(WORKFORCE_TABLE, region=region, measure="vacancy_rate") / 100.0
    return ContinuityScenario(
        turnover=turnover,
        vacancy=vacancy,
        agency_tenure_years=assumption("agency_tenure_years") if agency_tenure_years is None else agency_tenure_years,
        handoffs=handoffs,
        handoff_window_years=(
            assumption("handoff_window_years") if handoff_window_years is None else handoff_window_years
        ),
        name=f"{region} 2005" if name is None else name,
    )


def reference_scenarios() -> dict[str, ContinuityScenario]:
    """The book's three reference scenarios, keyed by name.

    * ``"Council, England 2005"`` and ``"Council, London 2005"``: the 2005 turnover and
      vacancy rates, agency cover of vacancies, and up to ``council_handoffs`` team
      hand-offs at the start of an episode, each happening with ``handoff_probability``
      (the report: a child "can pass through four or more teams");
    * ``"Practice"``: ``practice_turnover``, ``practice_vacancy`` and ``practice_handoffs``.

    Every figure not read from ``workforce_rates_2005`` is an assumption in
    ``data/assumptions_continuity.csv``.
    """
    handoffs = int(assumption("council_handoffs"))
    chance = assumption("handoff_probability")
    out = {}
    for region in ("England", "London"):
        label = f"Council, {region} 2005"
        out[label] = scenario_from_data(region, handoffs=handoffs, name=label).replace(handoff_probability=chance)
    out["Practice"] = ContinuityScenario(
        turnover=assumption("practice_turnover") / 100.0,
        vacancy=assumption("practice_vacancy") / 100.0,
        agency_tenure_years=assumption("agency_tenure_years"),
        handoffs=int(assumption("practice_handoffs")),
        handoff_window_years=assumption("handoff_window_years"),
        name="Practice",
    )
    return out


# ---------------------------------------------------------------------------
# 24-hour cover (Committee evidence, Q226)
# ---------------------------------------------------------------------------


def nights_on_duty_per_worker(team_size: int, nights_per_year: int = 365, on_duty: int = 1) -> float:
    """Nights a year each worker spends on duty when a team shares a night rota equally.

    Parameters
    ----------
    team_size : int
        Workers sharing the rota (>= 1).
    nights_per_year : int, default 365
        Nights to cover in a year, 1 to 366.
    on_duty : int, default 1
        Workers on duty each night, 1 to ``team_size``.

    Returns
    -------
    float
        Nights on duty per worker per year: ``nights_per_year * on_duty / team_size``.
        A team of 6 with one on duty covers 365 nights at about 61 nights each, a night
        every 6 days.
    """
    team_size = check_integer("team_size", team_size, low=1)
    nights_per_year = check_integer("nights_per_year", nights_per_year, low=1, high=366)
    on_duty = check_integer("on_duty", on_duty, low=1, high=team_size)
    return nights_per_year * on_duty / team_size


def days_between_duties(team_size: int, on_duty: int = 1) -> float:
    """Average days between one worker's night duties on an equal rota.

    Parameters
    ----------
    team_size : int
        Workers sharing the rota (>= 1).
    on_duty : int, default 1
        Workers on duty each night, 1 to ``team_size``.

    Returns
    -------
    float
        ``team_size / on_duty`` days: a team of 6-10 with one on duty means a night every
        6-10 days.
    """
    team_size = check_integer("team_size", team_size, low=1)
    on_duty = check_integer("on_duty", on_duty, low=1, high=team_size)
    return team_size / on_duty


def team_size_for_rota(weeks_between_duties: float, on_duty: int = 1) -> int:
    """Smallest team in which each worker does a night every ``weeks_between_duties`` weeks.

    Parameters
    ----------
    weeks_between_duties : float
        Weeks from one of a worker's night duties to the next (> 0).
    on_duty : int, default 1
        Workers on duty each night (>= 1).

    Returns
    -------
    int
        ``ceil(7 * weeks_between_duties * on_duty)`` workers: one night every two weeks
        needs 14, every three weeks 21.
    """
    weeks = check_positive("weeks_between_duties", weeks_between_duties)
    on_duty = check_integer("on_duty", on_duty, low=1)
    exact = 7.0 * weeks * on_duty
    return max(1, int(math.ceil(exact * (1.0 - _EPS))))


# ---------------------------------------------------------------------------
# Caseload caps as an M/M/c queue (Committee evidence, Q239)
# ---------------------------------------------------------------------------


def allocation_places(workers: int, cap: int) -> int:
    """Allocation places ``c = workers * cap`` (children who can hold an allocated worker).

    Parameters
    ----------
    workers : int
        Social workers taking cases (>= 1).
    cap : int
        Cases per worker before new cases wait (>= 1); ten in Q239.
    """
    workers = check_integer("workers", workers, low=1)
    cap = check_integer("cap", cap, low=1)
    return workers * cap


def erlang_b(c: int, offered_load: float) -> float:
    """Erlang B: chance that all ``c`` places are busy in a loss system (M/M/c/c).

    Computed with the stable recursion ``B(0) = 1``,
    ``B(k) = A B(k-1) / (k + A B(k-1))``.

    Parameters
    ----------
    c : int
        Places (>= 1).
    offered_load : float
        Offered load ``A = lam * mean_stay`` in erlangs (children), >= 0.
    """
    c = check_integer("c", c, low=1)
    a = check_nonnegative("offered_load", offered_load)
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, offered_load: float) -> float:
    """Erlang C: probability that an arriving child waits for allocation (M/M/c).

    ``C = c B / (c - A (1 - B))`` with ``B`` from :func:`erlang_b`.

    Parameters
    ----------
    c : int
        Allocation places (>= 1).
    offered_load : float
        Offered load ``A = lam * mean_stay``, in [0, c): the mean number of children who
        would hold a place if none had to wait.

    Returns
    -------
    float
        Probability in [0, 1).

    Raises
    ------
    ValueError
        If ``offered_load >= c``: the waiting list would grow without limit.
    """
    c = check_integer("c", c, low=1)
    a = check_nonnegative("offered_load", offered_load)
    if a >= c:
        raise ValueError(
            f"offered_load must be below c = {c} places for the queue to settle; got {offered_load!r}"
        )
    b = erlang_b(c, a)
    return c * b / (c - a * (1.0 - b))


@dataclass(frozen=True)
class QueueMetrics:
    """Long-run figures of an M/M/c allocation queue (see :func:`expected_waiting`)."""

    places: int
    """Allocation places c."""
    offered_load: float
    """lam * mean_stay, children."""
    utilisation: float
    """offered_load / c, share of places filled."""
    p_wait: float
    """Probability an arriving child waits (Erlang C)."""
    mean_waiting: float
    """Mean number of children waiting unallocated."""
    mean_wait_weeks: float
    """Mean wait of an arriving child, weeks (including those who do not wait)."""
    mean_wait_if_waiting_weeks: float
    """Mean wait of a child who does wait, weeks."""


def _check_queue(c: object, lam: object, mean_stay: object) -> tuple[int, float, float, float]:
    c = check_integer("c", c, low=1)
    lam = check_nonnegative("lam", lam)
    mean_stay = check_positive("mean_stay", mean_stay)
    load = lam * mean_stay
    if load >= c:
        raise ValueError(
            f"lam * mean_stay must be below c = {c} places for the waiting list to settle; "
            f"got lam = {lam:g} children per year, mean_stay = {mean_stay:g} years, load = {load:g}"
        )
    return c, lam, mean_stay, load


def expected_waiting(c: int, lam: float, mean_stay: float) -> QueueMetrics:
    """Children waiting for a social worker when places are capped (M/M/c queue).

    Children arrive at rate ``lam`` (Poisson) and hold an allocation place for an
    exponential time with mean ``mean_stay``; with all ``c`` places taken they wait,
    first come first served.

    Parameters
    ----------
    c : int
        Allocation places, e.g. :func:`allocation_places` (workers * cap), >= 1.
    lam : float
        Arrivals, children per year (>= 0).
    mean_stay : float
        Mean time a child holds a place, years (> 0).

    Returns
    -------
    QueueMetrics
        ``p_wait = C``, ``mean_waiting = C A / (c - A)`` children, mean wait
        ``C / (c / mean_stay - lam)`` years, given in weeks.

    Raises
    ------
    ValueError
        If ``lam * mean_stay >= c`` (the queue has no steady state) or an input is out of
        range.
    """
    c, lam, mean_stay, load = _check_queue(c, lam, mean_stay)
    p_wait = erlang_c(c, load)
    service_gap = c / mean_stay - lam  # children per year by which capacity exceeds arrivals
    return QueueMetrics(
        places=c,
        offered_load=load,
        utilisation=load / c,
        p_wait=p_wait,
        mean_waiting=p_wait * load / (c - load),
        mean_wait_weeks=p_wait / service_gap * WEEKS_PER_YEAR,
        mean_wait_if_waiting_weeks=WEEKS_PER_YEAR / service_gap,
    )


@dataclass(frozen=True)
class QueueSimulation:
    """Result of :func:`simulate_queue`: means over independent runs and their standard errors."""

    mean_waiting: float
    """Time-average number of children waiting."""
    mean_waiting_se: float
    p_wait: float
    """Share of arriving children who found every place taken."""
    p_wait_se: float
    mean_wait_weeks: float
    """Mean wait per arriving child, weeks (from the time-average queue by Little's law)."""
    mean_wait_weeks_se: float
    n_runs: int
    warmup_years: float


def simulate_queue(
    c: int,
    lam: float,
    mean_stay: float,
    years: float,
    seed: int | np.random.Generator,
    n_runs: int = 100,
    warmup_years: float | None = None,
) -> QueueSimulation:
    """Simulate the M/M/c allocation queue, to check :func:`expected_waiting`.

    ``n_runs`` independent queues start empty and run side by side (vectorised across
    runs). Each is simulated as its uniformised jump chain: events at the constant rate
    ``lam + c / mean_stay``; an event is an arrival with probability ``lam / rate``, a
    departure with probability ``min(n, c) / mean_stay / rate``, otherwise nothing. The
    state before each event is a sample of the queue at a Poisson time, so averaging it
    over events gives the time average. The first ``warmup_years`` are discarded.
    The standard errors come from the spread between independent runs.

    Parameters
    ----------
    c : int
        Allocation places (>= 1).
    lam : float
        Arrivals, children per year (> 0).
    mean_stay : float
        Mean time a child holds a place, years (> 0).
    years : float
        Simulated years per run after the warm-up (> 0).
    seed : int or numpy.random.Generator
        Seed for :func:`numpy.random.default_rng`, or a generator.
    n_runs : int, default 100
        Independent runs (>= 2).
    warmup_years : float, optional
        Years discarded at the start of each run (>= 0). By default five relaxation
        times, ``5 * mean_stay / (c (1 - sqrt(load / c))^2)``, and at least
        ``5 * mean_stay``.

    Returns
    -------
    QueueSimulation

    Notes
    -----
    Work grows with ``n_runs * (lam + c / mean_stay) * (years + warmup_years)``; a queue of
    10 places, 8 arrivals a year, a one-year stay, 100 runs of 200 years takes well under a
    second.
    """
    c, lam, mean_stay, load = _check_queue(c, lam, mean_stay)
    if lam == 0.0:
        raise ValueError("lam must be above 0 to simulate arrivals; got 0")
    years = _check_years(years)
    n_runs = check_integer("n_runs", n_runs, low=2)
    if warmup_years is None:
        relax = mean_stay / (c * (1.0 - math.sqrt(load / c)) ** 2)
        warmup_years = 5.0 * max(relax, mean_stay)
    warmup_years = check_nonnegative("warmup_years", warmup_years)
    rng = _rng(seed)

    mu = 1.0 / mean_stay
    rate = lam + c * mu
    p_up = lam / rate
    p_down_each = mu / rate
    n_warm = int(math.ceil(rate * warmup_years))
    n_keep = max(1, int(math.ceil(rate * years)))
    n_total = n_warm + n_keep

    n = np.zeros(n_runs, dtype=np.int64)
    waiting_sum = np.zeros(n_runs, dtype=np.int64)
    arrivals = np.zeros(n_runs, dtype=np.int64)
    waited = np.zeros(n_runs, dtype=np.int64)
    chunk = max(1, min(n_total, 2_000_000 // n_runs))
    step = 0
    while step < n_total:
        m = min(chunk, n_total - step)
        draws = rng.random((m, n_runs))
        for i in range(m):
            u = draws[i]
            busy = np.minimum(n, c)
            up = u < p_up
            down = ~up & (u < p_up + busy * p_down_each)
            if step + i >= n_warm:
                full = n >= c
                waiting_sum += n - busy
                arrivals += up
                waited += up & full
            n += up
            n -= down
        step += m

    lq = waiting_sum / n_keep
    pw = waited / np.maximum(arrivals, 1)
    wq = lq / lam * WEEKS_PER_YEAR

    def se(x: np.ndarray) -> float:
        return float(x.std(ddof=1) / math.sqrt(x.size))

    return QueueSimulation(
        mean_waiting=float(lq.mean()),
        mean_waiting_se=se(lq),
        p_wait=float(pw.mean()),
        p_wait_se=se(pw),
        mean_wait_weeks=float(wq.mean()),
        mean_wait_weeks_se=se(wq),
        n_runs=n_runs,
        warmup_years=warmup_years,
    )


# ---------------------------------------------------------------------------
# The typed process: exact distribution of worker counts
# ---------------------------------------------------------------------------


def _typed_piece_pmf(s: ContinuityScenario, length: float) -> np.ndarray:
    """Distribution of turnover and agency changes over one stretch between hand-offs (typed process).

    The stretch starts with a worker who is an agency worker with probability ``v``; a
    permanent worker leaves at ``h_perm``, an agency worker at ``1 / tau``; the next
    worker is an agency worker with probability ``q``. The count of changes and the
    current worker's type form a continuous-time Markov chain, solved by uniformisation:
    with ``L = max(h_perm, 1 / tau)``, the distribution at time ``t`` is the Poisson(``L t``)
    mixture of the ``k``-step distributions of the jump chain in which a worker of type
    ``i`` leaves with probability ``h_i / L`` at each step. Every term is non-negative, so
    the sum is numerically stable; it is cut where the Poisson weights left out fall below
    about 1e-12.

    Returns
    -------
    numpy.ndarray
        ``P(changes = n)`` for ``n = 0, 1, ...``.
    """
    h = np.array([s.permanent_hazard, s.agency_hazard if s.vacancy > 0.0 else 0.0])
    rate = float(h.max())
    if rate == 0.0:
        return np.array([1.0])
    q = _agency_share_of_new_workers(s)
    new_type = np.array([1.0 - q, q])
    leave = h / rate
    mu = rate * length
    steps = int(math.ceil(mu + 12.0 * math.sqrt(mu) + 30.0))
    # log Poisson(mu) weights for k = 0..steps
    k = np.arange(steps + 1)
    weights = np.exp(k * math.log(mu) - mu - special.gammaln(k + 1.0))
    state = np.zeros((steps + 1, 2))  # P(level n, current type i) after k jump-chain steps
    state[0] = [1.0 - s.vacancy, s.vacancy]
    out = weights[0] * state.sum(axis=1)
    for j in range(1, steps + 1):
        moved = state[: j] @ leave  # mass leaving each level reached so far
        state[:j] *= 1.0 - leave
        state[1 : j + 1] += moved[:, None] * new_type
        out += weights[j] * state.sum(axis=1)
    return np.clip(out, 0.0, 1.0)


def worker_count_pmf_typed(
    s: ContinuityScenario,
    years: float = 1.0,
    first_year: bool = True,
    max_workers: int | None = None,
) -> pd.Series:
    """Distribution of distinct workers when each worker keeps a type (exact).

    The counterpart of :func:`worker_count_pmf` for the typed process simulated by
    :func:`simulate_worker_counts_detailed`: the period is split at the scheduled
    hand-offs, each stretch starts with a fresh worker (agency with probability ``v``),
    and the changes within each stretch follow the two-type chain, solved exactly with a
    matrix exponential. Its mean equals :func:`expected_workers`; its first entry is
    :func:`p_same_worker_typed`; it is more spread out than the Poisson distribution.

    Parameters
    ----------
    s : ContinuityScenario
    years : float, default 1.0
        Length of the period, in years (> 0).
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.
    max_workers : int, optional
        Largest count listed (at least 1); by default far enough into the tail that the
        probability left out is below about 1e-12.

    Returns
    -------
    pandas.Series
        ``P(workers = w)`` indexed by ``w = 1, ..., max_workers`` (index name
        ``"workers"``, series name ``"probability"``).
    """
    mixed = _mixed(lambda sj: worker_count_pmf_typed(sj, years, first_year, max_workers), s, years, first_year)
    if mixed is not None:
        return mixed
    s = _check_scenario(s)
    n_handoffs = handoffs_within(s, years, first_year)
    bounds = np.concatenate([[0.0], handoff_times(s)[:n_handoffs], [years]])
    pmf = np.array([1.0])
    for start, end in zip(bounds[:-1], bounds[1:]):
        if end - start > 0.0:
            pmf = np.convolve(pmf, _typed_piece_pmf(s, float(end - start)))
    if max_workers is None:
        max_workers = 1 + n_handoffs + pmf.size
    max_workers = check_integer("max_workers", max_workers, low=1)
    probs = np.zeros(max_workers)
    lo = 1 + n_handoffs  # workers with no turnover or agency change
    if lo <= max_workers:
        take = min(pmf.size, max_workers - lo + 1)
        probs[lo - 1 : lo - 1 + take] = pmf[:take]
    workers = np.arange(1, max_workers + 1)
    return pd.Series(probs, index=pd.Index(workers, name="workers"), name="probability")


def p_workers_at_least_typed(s: ContinuityScenario, k: int, years: float = 1.0, first_year: bool = True) -> float:
    """Probability of at least ``k`` distinct workers in a period, each worker keeping a type.

    The typed counterpart of :func:`p_workers_at_least`, from :func:`worker_count_pmf_typed`.

    Parameters
    ----------
    s : ContinuityScenario
    k : int
        Number of workers, at least 1.
    years : float, default 1.0
        Length of the period, in years (> 0).
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.

    Returns
    -------
    float
        Probability in [0, 1].
    """
    k = check_integer("k", k, low=1)
    pmf = worker_count_pmf_typed(s, years, first_year)
    below = float(pmf.iloc[: k - 1].sum()) if k > 1 else 0.0
    return min(1.0, max(0.0, 1.0 - below))


# ---------------------------------------------------------------------------
# Chapter 2: tables, grids and checks shown in the book
# ---------------------------------------------------------------------------

#: Data table with the Stability Index figures used as an outside check.
STABILITY_TABLE = "stability_index"

#: Data table with the Committee evidence (Q226 rota, Q239 caseload cap).
EVIDENCE_TABLE = "committee_evidence_2008"

#: Data table with the practice design (100 children, Annex A.2 Art. 4).
PRACTICE_TABLE = "practice_design"

#: Seed of the simulation checks shown in the book.
CHAPTER_SEED = 20070701


def _fmt_prob(p: float) -> str:
    """A probability as a percentage with as many decimals as it needs (deterministic text)."""
    x = 100.0 * float(p)
    if x == 0.0:
        return "0%"
    if x < 0.01:
        return "under 0.01%"
    if x < 1.0:
        return f"{x:.2f}%"
    return f"{x:.1f}%"


def _fmt_z(z: float) -> str:
    """A difference in standard errors with its sign, ``"0.0"`` when it rounds to zero."""
    return "0.0" if abs(z) < 0.05 else f"{z:+.1f}"


def _one_in(p: float) -> str:
    """``"1 in 2,300"`` for a small probability (two significant figures)."""
    n = 1.0 / p
    digits = max(0, int(math.floor(math.log10(n))) - 1)
    return f"1 in {round(n, -digits):,.0f}"


def implied_hazard(p_change: float) -> float:
    """Yearly hazard of a change of worker that gives a chance ``p_change`` of a change in a year.

    Inverts ``P(at least one change) = 1 - exp(-h)``: ``h = -ln(1 - p_change)``.

    Parameters
    ----------
    p_change : float
        Share of children with at least one change in a year, in [0, 1).

    Returns
    -------
    float
        Changes per child per year.
    """
    p = check_probability("p_change", p_change, allow_one=False)
    return -math.log1p(-p)


def _poisson_at_least(mu: float, m: int) -> float:
    if m <= 0:
        return 1.0
    return 0.0 if mu == 0.0 else float(special.gammainc(m, mu))


def scenario_results(
    scenarios: Mapping[str, ContinuityScenario] | None = None, years: float = 1.0
) -> pd.DataFrame:
    """The chapter's figures for each scenario, under both readings of the model.

    Parameters
    ----------
    scenarios : mapping of str to ContinuityScenario, optional
        By default :func:`reference_scenarios`.
    years : float, default 1.0
        Length of the period, in years (> 0).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`scenario_summary` plus ``p5_first_typed``, ``p5_later_typed``
        (five or more workers when workers keep their type), ``p3_later`` and
        ``p3_later_typed`` (three or more workers, i.e. two or more changes, in a period
        later in care) and ``workers_5y`` (expected workers over a five-year episode).
    """
    scenarios = reference_scenarios() if scenarios is None else scenarios
    out = scenario_summary(scenarios, years)
    extra = []
    for label, sc in scenarios.items():
        extra.append(
            {
                "scenario": label,
                "p5_first_typed": p_workers_at_least_typed(sc, 5, years, True),
                "p5_later_typed": p_workers_at_least_typed(sc, 5, years, False),
                "p3_later": p_workers_at_least(sc, 3, years, False),
                "p3_later_typed": p_workers_at_least_typed(sc, 3, years, False),
                "workers_5y": expected_workers(sc, 5.0, True),
            }
        )
    return out.join(pd.DataFrame(extra).set_index("scenario"))


def scenario_table(scenarios: Mapping[str, ContinuityScenario] | None = None) -> "Table":
    """The scenarios side by side: inputs and results over a year (formatted for the book).

    Parameters
    ----------
    scenarios : mapping of str to ContinuityScenario, optional
        By default :func:`reference_scenarios`.
    """
    from .tables import Table

    scenarios = reference_scenarios() if scenarios is None else scenarios
    r = scenario_results(scenarios)
    rows = [
        ("Turnover of permanent staff (a year)", lambda x: f"{100 * x['turnover']:.1f}%"),
        ("Vacant posts covered by agency staff", lambda x: f"{100 * x['vacancy']:.0f}%"),
        ("Mean stay of an agency worker with a child", lambda x: f"{scenarios[x.name].agency_tenure_years:g} years"),
        ("Team hand-offs at the start of an episode",
         lambda x: _handoff_words(scenarios[x.name])),
        ("Changes a year from turnover and agency cover", lambda x: f"{x['hazard']:.3f}"),
        ("Same worker all year, later in care (Poisson)", lambda x: _fmt_prob(x["p_same_later"])),
        ("... if workers keep their type", lambda x: _fmt_prob(x["p_same_later_typed"])),
        ("Same worker through the first year of an episode (from referral, for the practice)",
         lambda x: _fmt_prob(x["p_same_first"])),
        ("Expected workers, first year of an episode", lambda x: f"{x['workers_first']:.2f}"),
        ("Expected workers, a year later in care", lambda x: f"{x['workers_later']:.2f}"),
        ("Expected workers over a five-year episode", lambda x: f"{x['workers_5y']:.2f}"),
        ("Five or more workers, first year (Poisson)", lambda x: _fmt_prob(x["p5_first"])),
        ("... if workers keep their type", lambda x: _fmt_prob(x["p5_first_typed"])),
        ("Five or more workers, a year later in care (Poisson)", lambda x: _fmt_prob(x["p5_later"])),
        ("... if workers keep their type", lambda x: _fmt_prob(x["p5_later_typed"])),
    ]
    frame = pd.DataFrame(
        {"": [name for name, _ in rows], **{label: [f(r.loc[label]) for _, f in rows] for label in r.index}}
    )
    return Table(
        frame,
        caption="Three scenarios: inputs and what they mean for a child over a year",
        notes=(
            "Turnover and vacancy: Le Grand (2007) s.4.3 (2005). Agency stay, hand-offs and every practice figure "
            "are assumptions (data/assumptions_continuity.csv). 'Later in care': a year after the hand-offs, "
            "the contract's indicator."
        ),
    )


def _handoff_words(s: ContinuityScenario) -> str:
    """``"3"``, or ``"0 to 3 (1.5 on average)"`` when the number is random."""
    if s.handoffs == 0 or s.handoff_probability == 1.0:
        return f"{s.handoffs}"
    return f"0 to {s.handoffs} ({s.handoffs * s.handoff_probability:g} on average)"


def key_results() -> "Table":
    """The chapter's key-results table, every figure computed from ``data/`` by this module and
    :mod:`swp_models.continuity_compare`; the fourth column names the assumption behind a figure."""
    from . import continuity_compare as cc
    from .tables import key_results as table

    refs = reference_scenarios()
    r = scenario_results(refs)
    eng, lon, prac = r.index
    later = cc.decomposition("one_worker_later").set_index("part")["value"]
    vacant = cc.practice_with_vacancy()
    five_y = cc.same_start_summary(5.0)
    saved = [five_y["council_mean"] - cc.same_start_summary(5.0, transfer_years=t)["practice_mean"]
             for t in cc.assumption_range("transfer_time_years")[::2]]
    q_lo, _, q_hi = cc.assumption_range("handoff_probability")
    first = {q: cc.same_start_summary(1.0, probability=q)["council_one"] for q in (q_lo, q_hi)}
    one_year = cc.same_start_summary(1.0)
    five = cc.five_in_a_year()["p_five"]
    unexplained = cc.unexplained_hazard().set_index("agency_tenure_years")
    tau = assumption("agency_tenure_years")
    shares = unexplained["explained_share"]
    rota = cc.rota_workload((6, 10))
    queue = queue_table()
    stable = queue[queue["p_wait"].notna()]
    first_ok = stable.iloc[0]
    rare = stable[stable["p_wait"] < 0.05].iloc[0]
    pct = lambda x: f"{100 * x:.0f}%"  # noqa: E731
    return table(
        [
            ("Same social worker all year, for a child in care all year (the contract's indicator): "
             "council in England / London 2005, and a practice",
             " / ".join(_fmt_prob(r.loc[k, "p_same_later"]) for k in (eng, lon, prac)),
             "model; 2005 turnover and vacancy, Le Grand (2007) s.4.3",
             "agency workers stay six months; the practice's turnover (5.5%) and no vacancies"),
            ("The practice's lead over England taken apart: no agency cover / lower turnover / anything else",
             " / ".join(f"{later[k]:.1f}" for k in ("no agency cover", "lower turnover", "anything else"))
             + f" points (total {later['total']:.1f})",
             "model; the parts add up to the difference",
             "the practice has no vacancies (most of the lead)"),
            ("The same practice with one post in eight vacant, covered from inside (a departure is two changes)",
             _fmt_prob(p_same_worker(vacant, 1.0)),
             "model; two changes for each departure", "vacancy of one post in eight; the practice's turnover"),
            ("From the same start, social workers over five years from entering care: council child / practice child",
             f"{five_y['council_mean']:.2f} / {five_y['practice_mean']:.2f} (the practice child has "
             f"{min(saved):.2f} to {max(saved):.2f} fewer)",
             "model; the practice child passes through the council and the transfer",
             "time to transfer (three months to a year); chance of each hand-off"),
            ("From the same start, same social worker through the first year: council child / practice child",
             f"{_fmt_prob(one_year['council_one'])} / {_fmt_prob(one_year['practice_one'])} (council child: "
             f"{_fmt_prob(first[q_hi])} to {_fmt_prob(first[q_lo])} across the hand-off range)",
             "model; the transfer is itself a change of worker",
             "chance of each hand-off (0.2 to 1)"),
            ("Five or more social workers in a year later in care, England 2005, across the model's readings",
             f"{_fmt_prob(float(five.min()))} to {_fmt_prob(float(five.max()))}",
             "model: constant hazard, workers keeping their type, and the Stability Index's level",
             "the reading of the model; agency workers' stay"),
            ("Share of the changes the Stability Index recorded (2017-18) that turnover and agency cover of the "
             "same years explain",
             f"{pct(shares[tau])} ({pct(shares.min())} to {pct(shares.max())})",
             "Stability Index; workforce statistics, year to September 2017; computed here",
             "agency workers' stay (three months to a year)"),
            ("Changes of worker a year that the workforce does not explain (internal moves, restructuring, hand-offs)",
             f"{unexplained.loc[tau, 'unexplained']:.2f} ({unexplained['unexplained'].min():.2f} to "
             f"{unexplained['unexplained'].max():.2f}) per child",
             "Stability Index; workforce statistics, 2017; computed here", "agency workers' stay (three months to a year)"),
            ("One-person 24-hour cover: duties a year for each worker (nights, weekend and holiday days), team of 6 / 10",
             f"{rota.loc[6, 'duties']:.0f} / {rota.loc[10, 'duties']:.0f}, and {rota.loc[6, 'rest_days']:.0f} / "
             f"{rota.loc[10, 'rest_days']:.0f} days of rest after call-outs",
             "Committee evidence Q226; computed here",
             "weekend and holiday days; one night in four with a call-out"),
            ("Team needed for one night on duty every two / three weeks",
             f"{team_size_for_rota(2)} / {team_size_for_rota(3)}", "Committee evidence Q226; computed here"),
            (f"{int(first_ok['children'])} children at a cap of {int(first_ok['cap'])} cases each: "
             "fewest workers for a waiting list that settles, and chance a new child waits",
             f"{int(first_ok['workers'])} ({_fmt_prob(first_ok['p_wait'])})",
             "Annex A.2 Art. 4, Q239; queueing model"),
            ("... fewest workers for under 5% to wait", f"{int(rare['workers'])} ({_fmt_prob(rare['p_wait'])})",
             "queueing model"),
        ],
        caption="Key results: continuity of social worker, England 2005 and a practice",
    )


def _percent_grid(name: str, values: Sequence[int], high: int = 99) -> list[int]:
    out = [check_integer(name, v, low=0, high=high) for v in values]
    if not out:
        raise ValueError(f"{name} must list at least one value; got none")
    return out


def turnover_grid(
    turnover_pct: Sequence[int] = range(0, 31),
    vacancy_pct: Sequence[int] = range(0, 26),
    handoffs: Sequence[int] = range(0, 6),
    agency_tenure_years: float | None = None,
) -> pd.DataFrame:
    """Results over a year for a grid of turnover, vacancy and hand-offs (for the static sliders).

    Each row is a year in which a child has ``handoffs`` team hand-offs (all within the
    year: the first year of an episode; 0 is also a year later in care).

    Parameters
    ----------
    turnover_pct, vacancy_pct : sequence of int
        Turnover and vacancy rates, whole percent in [0, 99].
    handoffs : sequence of int
        Hand-offs in the year (>= 0).
    agency_tenure_years : float, optional
        Mean agency stay, years; by default the assumption ``agency_tenure_years``.

    Returns
    -------
    pandas.DataFrame
        Columns ``turnover`` and ``vacancy`` (whole percent), ``handoffs``, ``p_same``
        (probability of one worker all year), ``workers`` (expected workers) and ``p5``
        (probability of five or more), from the Poisson model; rounded to 5 decimals so
        the embedded data stay small.
    """
    tenure = assumption("agency_tenure_years") if agency_tenure_years is None else agency_tenure_years
    tenure = check_positive("agency_tenure_years", tenure)
    ts = np.array(_percent_grid("turnover_pct", turnover_pct), dtype=float)
    vs = np.array(_percent_grid("vacancy_pct", vacancy_pct), dtype=float)
    ks = np.array([check_integer("handoffs", k, low=0) for k in handoffs])
    if ks.size == 0:
        raise ValueError("handoffs must list at least one value; got none")
    t, v, k = (a.ravel() for a in np.meshgrid(ts, vs, ks, indexing="ij"))
    h = (1.0 - v / 100.0) * -np.log1p(-t / 100.0) + (v / 100.0) / tenure
    p_same = np.where(k > 0, 0.0, np.exp(-h))
    workers = 1.0 + k + h
    needed = 4 - k  # changes beyond the hand-offs needed for five workers
    p5 = np.where(needed <= 0, 1.0, special.gammainc(np.maximum(needed, 1), np.maximum(h, 1e-300)))
    p5 = np.where((needed > 0) & (h == 0.0), 0.0, p5)
    return pd.DataFrame(
        {
            "turnover": t.astype(int),
            "vacancy": v.astype(int),
            "handoffs": k.astype(int),
            "p_same": np.round(p_same, 5),
            "workers": np.round(workers, 5),
            "p5": np.round(p5, 5),
        }
    )


def hazard_grid(
    turnover_pct: Sequence[int] = range(0, 31),
    vacancy_pct: Sequence[int] = range(0, 26),
    agency_tenure_years: float | None = None,
) -> pd.DataFrame:
    """Yearly changes of worker from turnover and from agency cover, over a grid of rates.

    Parameters
    ----------
    turnover_pct, vacancy_pct : sequence of int
        Turnover and vacancy rates, whole percent in [0, 99].
    agency_tenure_years : float, optional
        Mean agency stay, years; by default the assumption ``agency_tenure_years``.

    Returns
    -------
    pandas.DataFrame
        Columns ``turnover``, ``vacancy`` (whole percent), ``from_turnover``
        (``(1 - v)(-ln(1 - T))``) and ``from_agency`` (``v / tau``), changes per child per
        year; ``p_same`` and ``p_same_typed``, the probability of one worker through a
        year with no hand-offs under the Poisson and the typed readings. Rounded to 5
        decimals.
    """
    tenure = assumption("agency_tenure_years") if agency_tenure_years is None else agency_tenure_years
    tenure = check_positive("agency_tenure_years", tenure)
    ts = np.array(_percent_grid("turnover_pct", turnover_pct), dtype=float)
    vs = np.array(_percent_grid("vacancy_pct", vacancy_pct), dtype=float)
    t, v = (a.ravel() for a in np.meshgrid(ts, vs, indexing="ij"))
    h = (1.0 - v / 100.0) * -np.log1p(-t / 100.0) + (v / 100.0) / tenure
    return pd.DataFrame(
        {
            "turnover": t.astype(int),
            "vacancy": v.astype(int),
            "from_turnover": np.round((1.0 - v / 100.0) * -np.log1p(-t / 100.0), 5),
            "from_agency": np.round((v / 100.0) / tenure, 5),
            "p_same": np.round(np.exp(-h), 5),
            "p_same_typed": np.round((1.0 - v / 100.0) * (1.0 - t / 100.0) + (v / 100.0) * np.exp(-1.0 / tenure), 5),
        }
    )


def episode_workers(
    scenarios: Mapping[str, ContinuityScenario] | None = None, years: Sequence[float] = (1, 2, 3, 4, 5)
) -> pd.DataFrame:
    """Expected workers and changes by cause over episodes of several lengths, per scenario.

    Parameters
    ----------
    scenarios : mapping of str to ContinuityScenario, optional
        By default :func:`reference_scenarios`.
    years : sequence of float
        Episode lengths, years from entering care (each > 0).

    Returns
    -------
    pandas.DataFrame
        One row per scenario and length: ``scenario``, ``years``, ``workers`` (expected
        distinct workers), ``turnover``, ``agency``, ``handoffs`` (expected changes from
        each cause) and ``p_same`` (probability of one worker throughout).
    """
    scenarios = reference_scenarios() if scenarios is None else scenarios
    rows = []
    for label, sc in scenarios.items():
        for y in years:
            y = _check_years(y)
            parts = changes_by_cause(sc, y, first_year=True)
            rows.append(
                {
                    "scenario": label,
                    "years": y,
                    "workers": expected_workers(sc, y, first_year=True),
                    **parts,
                    "p_same": p_same_worker(sc, y, first_year=True),
                }
            )
    return pd.DataFrame(rows)


def count_distribution(
    scenarios: Mapping[str, ContinuityScenario] | None = None, max_workers: int = 8
) -> pd.DataFrame:
    """Distribution of workers in a year, first year of an episode and later in care, per scenario.

    Parameters
    ----------
    scenarios : mapping of str to ContinuityScenario, optional
        By default :func:`reference_scenarios`.
    max_workers : int, default 8
        The last row of each group counts ``max_workers`` *or more* workers.

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario``, ``period`` ("First year of an episode" or "A year later in
        care"), ``model`` ("Poisson" or "Workers keep their type"), ``workers``, ``label``
        (e.g. ``"8+"``) and ``probability``.
    """
    scenarios = reference_scenarios() if scenarios is None else scenarios
    max_workers = check_integer("max_workers", max_workers, low=2)
    rows = []
    for label, sc in scenarios.items():
        for first, period in ((True, "First year of an episode"), (False, "A year later in care")):
            for model, fn in (("Poisson", worker_count_pmf), ("Workers keep their type", worker_count_pmf_typed)):
                pmf = fn(sc, 1.0, first)
                for w in range(1, max_workers + 1):
                    p = float(pmf.loc[w:].sum()) if w == max_workers else float(pmf.get(w, 0.0))
                    rows.append(
                        {
                            "scenario": label,
                            "period": period,
                            "model": model,
                            "workers": w,
                            "label": f"{w}+" if w == max_workers else str(w),
                            "probability": p,
                        }
                    )
    return pd.DataFrame(rows)


def stability_check(scenario: ContinuityScenario | None = None) -> pd.DataFrame:
    """The model's changes of worker set beside the Stability Index for 2017-18 and 2016-18.

    The Index (Children's Commissioner 2019, as reported by Community Care) counts
    children in care at the end of the year whose recorded social worker changed; it
    includes children who entered care during the year and changes of every kind. The
    model's figures are for a year (or two) later in care under ``scenario`` (by default
    England 2005 with the reference assumptions), under the Poisson and the typed
    readings; the last column is a Poisson model whose hazard is set so that 60% have a
    change in a year (:func:`implied_hazard`), to show whether the *shape* of the
    Poisson distribution fits the other figures.

    Returns
    -------
    pandas.DataFrame
        One row per Index figure: ``period``, ``measure`` (words), ``observed`` (percent),
        ``observed_approx`` (bool), ``model`` and ``model_typed`` (percent),
        ``fitted`` (percent, Poisson with the fitted hazard), ``hazard_fitted``
        (changes per year).
    """
    s = reference_scenarios()["Council, England 2005"] if scenario is None else _check_scenario(scenario)
    frame = data.load(STABILITY_TABLE).set_index(["period", "measure"])
    one = frame.loc[("2017-18", "at_least_one_change_share")]
    h_fit = implied_hazard(one["value"] / 100.0)
    specs = [
        ("2017-18", "at_least_one_change_share", "At least one change in the year", 1, 1.0),
        ("2017-18", "multiple_changes_share", "Two or more changes in the year", 2, 1.0),
        ("2016-17 to 2017-18", "two_or_more_changes_share", "Two or more changes over two years", 2, 2.0),
        ("2016-17 to 2017-18", "three_or_more_changes_share", "Three or more changes over two years", 3, 2.0),
    ]
    rows = []
    for period, measure, words, changes, years in specs:
        rec = frame.loc[(period, measure)]
        rows.append(
            {
                "period": period,
                "measure": words,
                "observed": float(rec["value"]),
                "observed_approx": bool(rec["approx"]),
                "model": 100.0 * p_workers_at_least(s, changes + 1, years, first_year=False),
                "model_typed": 100.0 * p_workers_at_least_typed(s, changes + 1, years, first_year=False),
                "fitted": 100.0 * _poisson_at_least(h_fit * years, changes),
                "hazard_fitted": h_fit,
            }
        )
    return pd.DataFrame(rows)


def simulation_check(n_children: int = 200_000, seed: int | np.random.Generator = CHAPTER_SEED) -> pd.DataFrame:
    """Closed forms against simulation for England 2005, both readings of the model.

    The Poisson figures are checked with :func:`simulate_worker_counts`, the typed ones
    with :func:`simulate_worker_counts_detailed`, each on ``n_children`` simulated children
    for the first year of an episode and for a year later in care.

    Parameters
    ----------
    n_children : int, default 200000
        Children simulated per model and period (>= 100).
    seed : int or numpy.random.Generator
        Seed of the simulations.

    Returns
    -------
    pandas.DataFrame
        Columns ``model``, ``period``, ``measure``, ``closed_form``, ``simulated``, ``se``
        (Monte Carlo standard error of the simulated figure) and ``z`` (difference in
        standard errors; ``NaN`` where the standard error is zero).
    """
    n_children = check_integer("n_children", n_children, low=100)
    rng = _rng(seed)
    s = reference_scenarios()["Council, England 2005"]
    rows = []
    for model in ("Poisson", "Workers keep their type"):
        typed = model != "Poisson"
        for first, period in ((True, "First year"), (False, "Later year")):
            if typed:
                w = simulate_worker_counts_detailed(s, 1.0, n_children, rng, first_year=first).workers
                p_same = p_same_worker_typed(s, 1.0, first)
                p_at_least = lambda k: p_workers_at_least_typed(s, k, 1.0, first)  # noqa: E731
            else:
                w = simulate_worker_counts(s, 1.0, n_children, rng, first_year=first)
                p_same = p_same_worker(s, 1.0, first)
                p_at_least = lambda k: p_workers_at_least(s, k, 1.0, first)  # noqa: E731
            checks = [("Expected workers", expected_workers(s, 1.0, first), w.astype(float))]
            if first:
                checks.append(("Five or more workers", p_at_least(5), (w >= 5).astype(float)))
            else:
                checks.append(("Same worker all year", p_same, (w == 1).astype(float)))
                checks.append(("Three or more workers", p_at_least(3), (w >= 3).astype(float)))
            for measure, exact, sample in checks:
                est = float(sample.mean())
                se = float(sample.std(ddof=1) / math.sqrt(n_children))
                rows.append(
                    {
                        "model": model,
                        "period": period,
                        "measure": measure,
                        "closed_form": exact,
                        "simulated": est,
                        "se": se,
                        "z": (est - exact) / se if se > 0 else float("nan"),
                    }
                )
    return pd.DataFrame(rows)


def rota_table(team_sizes: Sequence[int] | None = None, on_duty: int = 1) -> pd.DataFrame:
    """Night duty on an equal one-person rota for several team sizes (Committee evidence, Q226).

    Parameters
    ----------
    team_sizes : sequence of int, optional
        Teams to show; by default 6 to 10 (the practice sizes in Q226) and the teams that
        give one night every two and every three weeks.
    on_duty : int, default 1
        Workers on duty each night.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``team_size``: ``nights_per_worker`` (nights a year), ``days_between``
        and ``weeks_between`` (between one worker's duties), ``share_of_nights_at_quoted``
        (share of the year's nights the team could cover if each member did a night only
        every 2.5 weeks, the middle of "every two or three weeks").
    """
    ev = data.row(EVIDENCE_TABLE, measure="team_size")
    interval = data.value(EVIDENCE_TABLE, measure="night_duty_interval")
    if team_sizes is None:
        lo, hi = int(ev["low"]), int(ev["high"])
        team_sizes = sorted(set(range(lo, hi + 1)) | {team_size_for_rota(2, on_duty), team_size_for_rota(3, on_duty)})
    rows = []
    for n in team_sizes:
        n = check_integer("team_size", n, low=1)
        rows.append(
            {
                "team_size": n,
                "nights_per_worker": nights_on_duty_per_worker(n, 365, on_duty),
                "days_between": days_between_duties(n, on_duty),
                "weeks_between": days_between_duties(n, on_duty) / 7.0,
                "share_of_nights_at_quoted": min(1.0, n / (7.0 * interval * on_duty)),
            }
        )
    return pd.DataFrame(rows).set_index("team_size")


def queue_table(
    children: float | None = None,
    cap: int | None = None,
    workers: Sequence[int] = range(10, 15),
    mean_stay_years: float | None = None,
) -> pd.DataFrame:
    """Waiting for a worker in a practice whose workers cap their caseloads (Q239) as an M/M/c queue.

    Parameters
    ----------
    children : float, optional
        Children the practice would hold if none waited (the offered load); by default
        the contract's 100 (``practice_design``, Annex A.2 Art. 4).
    cap : int, optional
        Cases per worker; by default the 10 of Q239.
    workers : sequence of int
        Workers taking cases.
    mean_stay_years : float, optional
        Mean time a child holds a place, years; by default the assumption
        ``queue_mean_stay_years``.

    Returns
    -------
    pandas.DataFrame
        One row per worker count: ``workers``, ``cap``, ``places``, ``children``,
        ``arrivals`` (children a year), ``utilisation``, ``p_wait``, ``mean_waiting``
        (children), ``mean_wait_weeks`` and ``wait_if_waiting_weeks``. Where the places do
        not exceed the children the waiting list has no steady state (it grows without
        limit) and the queue figures are ``NaN``.
    """
    children = data.value(PRACTICE_TABLE, parameter="caseload_children") if children is None else children
    children = check_positive("children", children)
    cap = int(data.value(EVIDENCE_TABLE, measure="caseload_cap")) if cap is None else cap
    cap = check_integer("cap", cap, low=1)
    stay = assumption("queue_mean_stay_years") if mean_stay_years is None else mean_stay_years
    stay = check_positive("mean_stay_years", stay)
    lam = children / stay
    rows = []
    for w in workers:
        c = allocation_places(w, cap)
        row = {"workers": int(w), "cap": cap, "places": c, "children": children, "arrivals": lam,
               "utilisation": children / c}
        if children < c:
            m = expected_waiting(c, lam, stay)
            row.update(p_wait=m.p_wait, mean_waiting=m.mean_waiting, mean_wait_weeks=m.mean_wait_weeks,
                       wait_if_waiting_weeks=m.mean_wait_if_waiting_weeks)
        else:
            row.update(p_wait=np.nan, mean_waiting=np.nan, mean_wait_weeks=np.nan, wait_if_waiting_weeks=np.nan)
        rows.append(row)
    return pd.DataFrame(rows)


def queue_grid(
    caps: Sequence[int] = (8, 10, 12, 15),
    workers: Sequence[int] = (6, 8, 10, 12),
    children: Sequence[float] = tuple(range(20, 181, 2)),
) -> pd.DataFrame:
    """Chance a new child waits, over a grid of caps, team sizes and children (for a chart).

    Parameters
    ----------
    caps : sequence of int
        Cases per worker.
    workers : sequence of int
        Workers taking cases.
    children : sequence of float
        Children the practice would hold if none waited (offered loads, > 0).

    Returns
    -------
    pandas.DataFrame
        Columns ``cap``, ``workers``, ``places``, ``children``, ``p_wait`` and
        ``mean_waiting`` (rounded to 5 decimals). Only loads below the places (a settled
        waiting list) are kept, plus ``places - 1`` and ``places - 0.5`` so each line runs
        close to its end.
    """
    loads = [check_positive("children", a) for a in children]
    rows = []
    for cap in caps:
        for w in workers:
            c = allocation_places(w, cap)
            # finish each line close to the places, where the chance of waiting nears one
            for a in sorted({a for a in loads if a < c} | ({c - 1.0, c - 0.5} if c > 1 else set())):
                if a <= 0:
                    continue
                p = erlang_c(c, a)
                rows.append({"cap": int(cap), "workers": int(w), "places": c, "children": a,
                             "p_wait": round(p, 5), "mean_waiting": round(p * a / (c - a), 5)})
    return pd.DataFrame(rows)


def queue_simulation_check(
    workers: int | None = None,
    n_runs: int = 100,
    years: float = 400.0,
    seed: int | np.random.Generator = CHAPTER_SEED,
) -> pd.DataFrame:
    """Erlang C against a simulation of the practice's allocation queue.

    Parameters
    ----------
    workers : int, optional
        Workers taking cases; by default the fewest for which the waiting list settles in
        :func:`queue_table`.
    n_runs : int, default 100
        Independent simulated queues.
    years : float, default 400
        Years simulated in each run after the warm-up.
    seed : int or numpy.random.Generator
        Seed of the simulation.

    Returns
    -------
    pandas.DataFrame
        Rows "Chance a new child waits", "Children waiting (mean)", "Mean wait, weeks";
        columns ``measure``, ``closed_form``, ``simulated``, ``se``, ``z``.
    """
    table = queue_table()
    if workers is None:
        workers = int(table.loc[table["p_wait"].notna(), "workers"].iloc[0])
    cap = int(table["cap"].iloc[0])
    children = float(table["children"].iloc[0])
    stay = assumption("queue_mean_stay_years")
    c = allocation_places(workers, cap)
    exact = expected_waiting(c, children / stay, stay)
    sim = simulate_queue(c, children / stay, stay, years, seed=seed, n_runs=n_runs)
    rows = [
        ("Chance a new child waits", exact.p_wait, sim.p_wait, sim.p_wait_se),
        ("Children waiting (mean)", exact.mean_waiting, sim.mean_waiting, sim.mean_waiting_se),
        ("Mean wait of a new child, weeks", exact.mean_wait_weeks, sim.mean_wait_weeks, sim.mean_wait_weeks_se),
    ]
    return pd.DataFrame(
        [{"measure": m, "closed_form": e, "simulated": x, "se": se, "z": (x - e) / se} for m, e, x, se in rows]
    )


def required_turnover(p_target: float, vacancy: float = 0.0, agency_tenure_years: float | None = None) -> float:
    """Highest turnover at which a child later in care keeps one worker all year with probability ``p_target``.

    Solves ``exp(-h) = p_target`` for the turnover ``T`` in
    ``h = (1 - v)(-ln(1 - T)) + v / tau`` (the Poisson reading, no hand-offs):
    ``T = 1 - exp(-(-ln p_target - v / tau) / (1 - v))``.

    Parameters
    ----------
    p_target : float
        Wanted probability of one worker all year, in (0, 1].
    vacancy : float, default 0.0
        Share of posts covered by agency staff, in [0, 1).
    agency_tenure_years : float, optional
        Mean agency stay, years; by default the assumption ``agency_tenure_years``.

    Returns
    -------
    float
        Turnover as a share in [0, 1); ``NaN`` when agency cover alone already pushes the
        probability below ``p_target`` (no turnover, however low, reaches it).
    """
    p = check_in_range("p_target", p_target, 0.0, 1.0, low_open=True)
    v = check_probability("vacancy", vacancy, allow_one=False)
    tau = assumption("agency_tenure_years") if agency_tenure_years is None else agency_tenure_years
    tau = check_positive("agency_tenure_years", tau)
    room = -math.log(p) - v / tau  # hazard left for turnover
    if room < -_EPS:
        return float("nan")
    return -math.expm1(-max(room, 0.0) / (1.0 - v))


def target_table(
    targets: Sequence[float] = (0.7, 0.8, 0.9, 0.95), vacancies: Sequence[float] = (0.0, 0.05, 0.12)
) -> pd.DataFrame:
    """Highest turnover that reaches each target of keeping one worker all year, by agency-covered vacancy.

    Parameters
    ----------
    targets : sequence of float
        Wanted probabilities of one worker all year (later in care), each in (0, 1].
    vacancies : sequence of float
        Shares of posts covered by agency staff, each in [0, 1).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``target`` (share), one column per vacancy share, holding
        :func:`required_turnover` (share; ``NaN`` where unattainable).
    """
    rows = {t: {v: required_turnover(t, v) for v in vacancies} for t in targets}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "target"
    out.columns.name = "vacancy"
    return out


# ---------------------------------------------------------------------------
# Chapter 2: the tables as the book shows them
# ---------------------------------------------------------------------------


def _observed_text(value: float, approx: bool, low: float) -> str:
    if not approx:
        return f"{value:.0f}%"
    if not math.isnan(low) and low == value:
        return f"just over {value:.0f}%"
    return f"about {value:.0f}%"


def stability_table() -> "Table":
    """:func:`stability_check` formatted for the book."""
    from .tables import Table

    check = stability_check()
    frame = data.load(STABILITY_TABLE).set_index(["period", "measure"])
    lows = {
        "At least one change in the year": frame.loc[("2017-18", "at_least_one_change_share"), "low"],
        "Two or more changes in the year": frame.loc[("2017-18", "multiple_changes_share"), "low"],
        "Two or more changes over two years": frame.loc[("2016-17 to 2017-18", "two_or_more_changes_share"), "low"],
        "Three or more changes over two years": frame.loc[("2016-17 to 2017-18", "three_or_more_changes_share"),
                                                          "low"],
    }
    out = pd.DataFrame(
        {
            "Children in care": check["measure"],
            "Period": check["period"],
            "Stability Index": [
                _observed_text(r.observed, r.observed_approx, float(lows[r.measure])) for r in check.itertuples()
            ],
            "Model, England 2005": [f"{x:.1f}%" for x in check["model"]],
            "... workers keep type": [f"{x:.1f}%" for x in check["model_typed"]],
            f"Poisson, {check['hazard_fitted'].iloc[0]:.2f} changes a year": [f"{x:.1f}%" for x in check["fitted"]],
        }
    )
    return Table(
        out,
        caption="Changes of social worker: the Stability Index beside the model (percent of children in care)",
        notes=(
            "Stability Index: Children's Commissioner (2019) as reported by Community Care (2019); children in care at "
            "31 March, including those who entered during the period, all recorded changes. Model: a year (or two) "
            "later in care, England 2005 rates and the reference assumptions. Last column: Poisson model with the "
            "hazard that gives 60% at least one change in a year."
        ),
    )


def simulation_table(n_children: int = 200_000, seed: int | np.random.Generator = CHAPTER_SEED) -> "Table":
    """:func:`simulation_check` formatted for the book."""
    from .tables import Table

    check = simulation_check(n_children, seed)
    is_prob = check["measure"] != "Expected workers"

    def fmt(x: float, prob: bool) -> str:
        return f"{100 * x:.2f}%" if prob else f"{x:.4f}"

    short = {"Expected workers": "Workers (mean)", "Five or more workers": "Five or more",
             "Same worker all year": "One worker all year", "Three or more workers": "Three or more"}
    out = pd.DataFrame(
        {
            "Reading": check["model"].map({"Poisson": "Poisson", "Workers keep their type": "Typed"}),
            "Year": check["period"].str.replace(" year", ""),
            "Figure": check["measure"].map(short),
            "Closed form": [fmt(x, p) for x, p in zip(check["closed_form"], is_prob)],
            "Simulated": [fmt(x, p) for x, p in zip(check["simulated"], is_prob)],
            "Monte Carlo SE": [fmt(x, p) for x, p in zip(check["se"], is_prob)],
            "Difference (SEs)": [_fmt_z(z) for z in check["z"]],
        }
    )
    return Table(
        out,
        caption=f"Closed forms against simulation, England 2005 ({n_children:,} children for each reading and year)",
        notes=(
            f"Seed {seed if isinstance(seed, Integral) else 'from a generator'}. Poisson rows: "
            "simulate_worker_counts; typed rows (workers keep their type): simulate_worker_counts_detailed. A "
            "difference within about two standard errors is what chance alone gives."
        ),
    )


def rota_summary_table() -> "Table":
    """:func:`rota_table` formatted for the book."""
    from .tables import Table

    rota = rota_table().reset_index()
    interval = data.row(EVIDENCE_TABLE, measure="night_duty_interval")
    out = pd.DataFrame(
        {
            "Workers on the rota": rota["team_size"].astype(str),
            "Nights on duty each a year": [f"{x:.1f}" for x in rota["nights_per_worker"]],
            "A night every": [f"{d:.0f} days ({w:.1f} weeks)" for d, w in zip(rota["days_between"],
                                                                              rota["weeks_between"])],
            f"Nights covered at one every {interval['value']:g} weeks each": [
                f"{100 * x:.0f}%" for x in rota["share_of_nights_at_quoted"]],
        }
    )
    return Table(
        out,
        caption="A one-person night rota: what each worker does, by team size",
        notes=(
            "365 nights shared equally. Q226: a practice of six to ten could cover nights with one person on duty; a "
            "comparable team member did a night 'every two or three weeks' (2.5 is the middle). Computed here."
        ),
    )


def queue_summary_table() -> "Table":
    """:func:`queue_table` formatted for the book."""
    from .tables import Table

    q = queue_table()
    settled = q["p_wait"].notna()

    def cell(x: float, fmt: str) -> str:
        return "grows without limit" if math.isnan(x) else format(x, fmt)

    out = pd.DataFrame(
        {
            "Workers": q["workers"].astype(str),
            "Places": q["places"].astype(str),
            "Places in use": [f"{100 * u:.0f}%" if ok else "all" for u, ok in zip(q["utilisation"], settled)],
            "New child waits": [_fmt_prob(p) if ok else "grows without limit" for p, ok in zip(q["p_wait"], settled)],
            "Children waiting (mean)": [cell(x, ".2f") for x in q["mean_waiting"]],
            "Mean wait (weeks)": [cell(x, ".1f") for x in q["mean_wait_weeks"]],
            "Wait if waiting (weeks)": [cell(x, ".1f") for x in q["wait_if_waiting_weeks"]],
        }
    )
    r = q.iloc[0]
    return Table(
        out,
        caption=(f"A practice of {r['children']:.0f} children with caseloads capped at {int(r['cap'])}: "
                 "waiting for a worker"),
        notes=(
            f"M/M/c queue (Erlang C): {r['arrivals']:.0f} children arrive a year and hold a place for "
            f"{assumption('queue_mean_stay_years'):g} years on average (assumption); the stay sets only the waits "
            "in weeks. Sources: Annex A.2 Art. 4 (100 children), Q239 (cap of 10)."
        ),
    )


def queue_check_table(n_runs: int = 100, seed: int | np.random.Generator = CHAPTER_SEED) -> "Table":
    """:func:`queue_simulation_check` formatted for the book."""
    from .tables import Table

    check = queue_simulation_check(n_runs=n_runs, seed=seed)
    prob = check["measure"].str.startswith("Chance")

    def fmt(x: float, p: bool) -> str:
        return f"{100 * x:.1f}%" if p else f"{x:.2f}"

    out = pd.DataFrame(
        {
            "Figure": check["measure"],
            "Erlang C": [fmt(x, p) for x, p in zip(check["closed_form"], prob)],
            "Simulated": [fmt(x, p) for x, p in zip(check["simulated"], prob)],
            "Monte Carlo SE": [fmt(x, p) for x, p in zip(check["se"], prob)],
            "Difference (SEs)": [_fmt_z(z) for z in check["z"]],
        }
    )
    return Table(
        out,
        caption="The queue's closed forms against simulation (fewest workers that let the list settle)",
        notes=f"{n_runs} independent simulated queues of 400 years each after a warm-up; seed {CHAPTER_SEED}.",
    )


def target_summary_table() -> "Table":
    """:func:`target_table` formatted for the book."""
    from .tables import Table

    t = target_table()
    out = pd.DataFrame({"One worker all year (target)": [f"{100 * x:.0f}%" for x in t.index]})
    for v in t.columns:
        out[f"{100 * v:.0f}% posts agency-covered"] = [
            "unreachable" if math.isnan(x) else f"{100 * x:.1f}%" for x in t[v]
        ]
    return Table(
        out,
        caption="Highest staff turnover that reaches each target, by agency cover (child later in care)",
        notes=(
            f"Poisson reading, no hand-offs, agency stays of {assumption('agency_tenure_years'):g} years (assumption). "
            "'Unreachable': agency cover alone already takes the chance below the target."
        ),
    )
