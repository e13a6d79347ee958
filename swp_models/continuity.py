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
``exp(-h * years)`` (Jensen's inequality). :func:`p_same_worker_typed` gives that value and
:func:`simulate_worker_counts_detailed` simulates the richer process, so the book can show
how much the simplification matters.

24-hour cover and caseload queues
---------------------------------
:func:`nights_on_duty_per_worker` and :func:`team_size_for_rota` give the arithmetic of a
one-person night rota (Committee evidence, Q226). :func:`erlang_c`,
:func:`expected_waiting` and :func:`simulate_queue` treat a caseload cap (Q239: ten cases,
then "stacked") as an M/M/c queue with ``c = workers * cap`` allocation places.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral
from typing import Mapping, NamedTuple, Sequence

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
    name : str, default ""
        Label used in tables and charts.
    """

    turnover: float
    vacancy: float = 0.0
    agency_tenure_years: float = _DEFAULT_AGENCY_TENURE_YEARS
    handoffs: int = 0
    handoff_window_years: float = _DEFAULT_HANDOFF_WINDOW_YEARS
    name: str = ""

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

    The contract's indicator, "numbers of children with same social worker throughout
    previous year" (Annex A.2), counts children looked after throughout that year; for a
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
    n_handoffs = handoffs_within(s, years, first_year)
    n_children = check_integer("n_children", n_children, low=1)
    rng = _rng(seed)
    changes = _count_poisson_events(rng, hazard(s), years, n_children)
    return 1 + n_handoffs + changes


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
    n_handoffs = handoffs_within(s, years, first_year)
    n_children = check_integer("n_children", n_children, low=1)
    rng = _rng(seed)
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
      vacancy rates, agency cover of vacancies, and ``council_handoffs`` team hand-offs at
      the start of an episode (the report: a child "can pass through four or more teams");
    * ``"Practice"``: ``practice_turnover``, ``practice_vacancy`` and ``practice_handoffs``.

    Every figure not read from ``workforce_rates_2005`` is an assumption in
    ``data/assumptions_continuity.csv``.
    """
    handoffs = int(assumption("council_handoffs"))
    out = {}
    for region in ("England", "London"):
        label = f"Council, {region} 2005"
        out[label] = scenario_from_data(region, handoffs=handoffs, name=label)
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
