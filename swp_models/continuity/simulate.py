"""Worker changes simulated child by child, to check the closed forms of :mod:`~swp_models.continuity.changes`.

:func:`.simulate_worker_counts` simulates exactly the Poisson reading (exponential gaps at
the average hazard, plus the scheduled hand-offs); :func:`.simulate_worker_counts_detailed`
the typed reading, in which each worker keeps their type (permanent or agency) while they
hold the case. Both take a seed or a :class:`numpy.random.Generator` and are reproducible.

Work grows with ``n_children`` times the expected changes per child; both are bounded
(:data:`.MAX_CHILDREN`, :data:`.MAX_SIM_CHANGES`) and checked before any draw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from ..validation import MAX_CELLS, MAX_DRAWS, check_instance, check_size, check_work
from .changes import _agency_share_of_new_workers, handoff_times, handoffs_within, hazard
from .scenario import ContinuityScenario, _check_first_year, _check_years, as_generator, check_scenario

__all__ = [
    "MAX_CHILDREN",
    "MAX_SIM_CHANGES",
    "DetailedCounts",
    "simulate_worker_counts",
    "simulate_worker_counts_detailed",
]

#: The most children one simulation accepts.
MAX_CHILDREN: int = MAX_DRAWS

#: The most changes of worker one simulation may draw in all (``n_children`` times the
#: expected turnover and agency changes per child over the period, about 160 MB of draws).
MAX_SIM_CHANGES: int = MAX_CELLS

# The most expected changes a child (under the faster of the two leaving hazards) the typed simulation steps
# through; each is one vectorised step over the children still changing.
_MAX_DETAILED_CHANGES = 2_000


def _check_simulation(s: object, years: object, n_children: object, first_year: object
                      ) -> tuple[ContinuityScenario, float, int, bool]:
    """Validate a simulation's inputs and refuse one that would draw more than :data:`.MAX_SIM_CHANGES` changes."""
    s = check_scenario(s)
    years = _check_years(years)
    n_children = check_size("n_children", n_children, MAX_CHILDREN)
    first_year = _check_first_year(first_year)
    expected = n_children * (hazard(s) * years + 4.0 * math.sqrt(hazard(s) * years) + 4.0)
    check_work(int(min(expected, 1e18)), "n_children × expected changes per child (hazard × years)",
               MAX_SIM_CHANGES)
    return s, years, n_children, first_year


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
    agency cover at the average hazard :func:`.hazard`, built from exponential waiting
    times, plus the scheduled hand-offs in the period. Agreement with
    :func:`.expected_workers` and :func:`.p_same_worker` is therefore within Monte Carlo
    error. :func:`.simulate_worker_counts_detailed` simulates the richer typed process.

    Parameters
    ----------
    s : ContinuityScenario
    years : float
        Length of the period, in years, in (0, 100].
    n_children : int
        Number of children simulated, 1 to :data:`.MAX_CHILDREN`; ``n_children`` times the expected
        changes per child may not exceed :data:`.MAX_SIM_CHANGES`.
    seed : int or numpy.random.Generator
        Seed for :func:`numpy.random.default_rng`, or a generator.
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.

    Returns
    -------
    numpy.ndarray of int64, shape (n_children,)
        Distinct workers per child over the period (at least 1).
    """
    s, years, n_children, first_year = _check_simulation(s, years, n_children, first_year)
    rng = as_generator(seed)
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


@dataclass(frozen=True, eq=False)
class DetailedCounts:
    """Result of :func:`.simulate_worker_counts_detailed` (one entry per child).

    Parameters
    ----------
    workers : numpy.ndarray of int64
        Distinct workers over the period, each at least 1.
    agency_workers : numpy.ndarray of int64
        How many of them were agency workers, each from 0 to the child's ``workers``.
    """

    workers: np.ndarray
    agency_workers: np.ndarray

    def __post_init__(self) -> None:
        arrays = {}
        for name in ("workers", "agency_workers"):
            value = getattr(self, name)
            check_instance(name, value, np.ndarray, "numpy array of whole numbers")
            if value.ndim != 1 or value.dtype.kind not in "iu":
                raise TypeError(f"{name} must be a one-dimensional array of whole numbers; got dtype "
                                f"{value.dtype} and shape {value.shape}")
            arrays[name] = value
        if arrays["workers"].shape != arrays["agency_workers"].shape:
            raise ValueError(f"workers and agency_workers must have one entry per child; got "
                             f"{arrays['workers'].size} and {arrays['agency_workers'].size}")
        if arrays["workers"].size and arrays["workers"].min() < 1:
            raise ValueError("workers must be at least 1 for every child")
        agency = arrays["agency_workers"]
        if agency.size and (agency.min() < 0 or (agency > arrays["workers"]).any()):
            raise ValueError("agency_workers must be from 0 to the child's workers for every child")

    def __iter__(self) -> Iterator[np.ndarray]:
        """``workers, agency_workers = result`` unpacks the two arrays."""
        return iter((self.workers, self.agency_workers))


def simulate_worker_counts_detailed(
    s: ContinuityScenario, years: float, n_children: int, seed: int | np.random.Generator, first_year: bool = True
) -> DetailedCounts:
    """Simulate worker changes with each worker's type (permanent or agency) tracked.

    The period is split at the scheduled hand-offs. At the start of each piece a child
    gets a worker who is an agency worker with probability ``v`` (a random worker in
    post). A permanent worker leaves at hazard ``-ln(1 - turnover)``, an agency worker at
    hazard ``1 / agency_tenure_years``; the next worker is an agency worker with
    probability ``q = v / (v + (1 - v) h_perm tau)``, which keeps agency workers' share of
    time at ``v``. The mean number of workers matches :func:`.expected_workers` exactly;
    the chance of keeping one worker is :func:`.p_same_worker` with ``typed=True``, not the
    Poisson reading.

    Parameters
    ----------
    s : ContinuityScenario
    years : float
        Length of the period, in years, in (0, 100].
    n_children : int
        Number of children simulated, 1 to :data:`.MAX_CHILDREN`; ``n_children`` times the expected
        changes per child may not exceed :data:`.MAX_SIM_CHANGES`.
    seed : int or numpy.random.Generator
        Seed for :func:`numpy.random.default_rng`, or a generator.
    first_year : bool, default True
        Whether the period starts at the beginning of the episode of care.

    Returns
    -------
    DetailedCounts
        ``workers`` and ``agency_workers`` per child (int64 arrays).
    """
    s, years, n_children, first_year = _check_simulation(s, years, n_children, first_year)
    fastest = max(s.permanent_hazard, s.agency_hazard if s.vacancy > 0.0 else 0.0) * years
    if fastest > _MAX_DETAILED_CHANGES:
        # the simulation steps change by change: its time grows with a child's changes under the faster hazard
        raise ValueError(
            f"years × the faster leaving hazard gives {fastest:,.0f} expected changes a child, more than the "
            f"{_MAX_DETAILED_CHANGES:,} this simulation steps through; shorten years or lengthen "
            f"s.agency_tenure_years (got years = {years:g})"
        )
    rng = as_generator(seed)
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
