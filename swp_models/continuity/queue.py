"""The duty queue: children waiting for an allocated worker when caseloads are capped (Q239).

Workers take at most ``cap`` cases each ("ten cases, then stacked"), so a practice of
``workers`` has ``c = workers * cap`` allocation places (:func:`.allocation_places`).
Children arrive at rate ``lam`` (Poisson) and hold a place for an exponential time with mean
``mean_stay``: an M/M/c queue. :func:`.erlang_b`, :func:`.erlang_c` and
:func:`.expected_waiting` give its long-run figures in closed form, :func:`.simulate_queue`
checks them by simulation, and :func:`.queue_table` and :func:`.queue_grid` set them out over
team sizes, caps and caseloads.

Units: children, children per year for arrivals, years for stays, weeks for waits.
"""

from __future__ import annotations

from pathlib import Path

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from .. import data
from ..validation import (
    MAX_CELLS,
    check_in_range,
    check_nonnegative,
    check_positive,
    check_probability,
    check_sequence,
    check_size,
    check_work,
)
from .scenario import EVIDENCE_TABLE, MAX_YEARS, PRACTICE_TABLE, as_generator, assumption

__all__ = [
    "MAX_PLACES",
    "MAX_QUEUE_STEPS",
    "DAYS_PER_YEAR",
    "QueueMetrics",
    "QueueSimulation",
    "allocation_places",
    "erlang_b",
    "erlang_c",
    "expected_waiting",
    "queue_grid",
    "queue_table",
    "simulate_queue",
]

#: Days in an average calendar year. Waits are converted from years to weeks as ``years * DAYS_PER_YEAR / 7``;
#: the book's one weeks-per-year constant, :data:`swp_models.problem.WEEKS_PER_YEAR` (52 whole weeks, the
#: report's annualisation of a week's cost), is not used here because a wait is calendar time.
DAYS_PER_YEAR: float = 365.25

_WEEKS_PER_CALENDAR_YEAR = DAYS_PER_YEAR / 7.0


#: The most allocation places (``c``) the queue functions accept; the Erlang recursion takes ``c`` steps.
MAX_PLACES: int = 100_000

#: The most simulated events in one run of :func:`.simulate_queue`,
#: ``(lam + c / mean_stay) * (years + warmup_years)``; across runs the events may not exceed
#: :data:`swp_models.validation.MAX_CELLS`.
MAX_QUEUE_STEPS: int = 1_000_000

# The longest list of caps, team sizes or caseloads a table or grid takes, and the most Erlang recursion
# steps one grid may take (about a second).
_MAX_ROWS = 10_000
_MAX_ERLANG_STEPS = 2_000_000

# The longest simulated stretch (run or warm-up) of the queue, in years; the events a run are bounded too.
_MAX_SIM_YEARS = 1e7


def allocation_places(workers: int, cap: int) -> int:
    """Allocation places ``c = workers * cap`` (children who can hold an allocated worker).

    Parameters
    ----------
    workers : int
        Social workers taking cases, at least 1.
    cap : int
        Cases per worker before new cases wait, at least 1; ten in Q239. ``workers * cap`` may be
        at most :data:`.MAX_PLACES`.

    Returns
    -------
    int
        Allocation places.
    """
    workers = check_size("workers", workers, MAX_PLACES)
    cap = check_size("cap", cap, MAX_PLACES)
    if workers * cap > MAX_PLACES:
        raise ValueError(f"workers × cap must be at most {MAX_PLACES:,} allocation places; "
                         f"got workers = {workers:,}, cap = {cap:,}")
    return workers * cap


def erlang_b(c: int, offered_load: float) -> float:
    """Erlang B: chance that all ``c`` places are busy in a loss system (M/M/c/c).

    Computed with the stable recursion ``B(0) = 1``,
    ``B(k) = A B(k-1) / (k + A B(k-1))``.

    Parameters
    ----------
    c : int
        Places, 1 to :data:`.MAX_PLACES`.
    offered_load : float
        Offered load ``A = lam * mean_stay`` in erlangs (children), >= 0.
    """
    c = check_size("c", c, MAX_PLACES)
    a = check_nonnegative("offered_load", offered_load)
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def erlang_c(c: int, offered_load: float) -> float:
    """Erlang C: probability that an arriving child waits for allocation (M/M/c).

    ``C = c B / (c - A (1 - B))`` with ``B`` from :func:`.erlang_b`.

    Parameters
    ----------
    c : int
        Allocation places, 1 to :data:`.MAX_PLACES`.
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
    c = check_size("c", c, MAX_PLACES)
    a = check_nonnegative("offered_load", offered_load)
    if a >= c:
        raise ValueError(
            f"offered_load must be below c = {c} places for the queue to settle; got {offered_load!r}"
        )
    b = erlang_b(c, a)
    return c * b / (c - a * (1.0 - b))


@dataclass(frozen=True)
class QueueMetrics:
    """Long-run figures of an M/M/c allocation queue (see :func:`.expected_waiting`)."""

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

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "places", check_size("places", self.places, MAX_PLACES))
        set_(self, "offered_load", check_in_range("offered_load", self.offered_load, 0.0, self.places,
                                                  high_open=True))
        set_(self, "utilisation", check_probability("utilisation", self.utilisation, allow_one=False))
        set_(self, "p_wait", check_probability("p_wait", self.p_wait))
        for name in ("mean_waiting", "mean_wait_weeks", "mean_wait_if_waiting_weeks"):
            set_(self, name, check_nonnegative(name, getattr(self, name)))


def _check_queue(c: object, lam: object, mean_stay: object) -> tuple[int, float, float, float]:
    c = check_size("c", c, MAX_PLACES)
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
        Allocation places, e.g. :func:`.allocation_places` (workers * cap), 1 to :data:`.MAX_PLACES`.
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
        mean_wait_weeks=p_wait / service_gap * _WEEKS_PER_CALENDAR_YEAR,
        mean_wait_if_waiting_weeks=_WEEKS_PER_CALENDAR_YEAR / service_gap,
    )


@dataclass(frozen=True)
class QueueSimulation:
    """Result of :func:`.simulate_queue`: means over independent runs and their standard errors."""

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

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        for name in ("mean_waiting", "mean_waiting_se", "p_wait_se", "mean_wait_weeks", "mean_wait_weeks_se"):
            set_(self, name, check_nonnegative(name, getattr(self, name)))
        set_(self, "warmup_years", check_in_range("warmup_years", self.warmup_years, 0.0, _MAX_SIM_YEARS))
        set_(self, "p_wait", check_probability("p_wait", self.p_wait))
        set_(self, "n_runs", check_size("n_runs", self.n_runs, MAX_CELLS // 2, low=2))


def simulate_queue(
    c: int,
    lam: float,
    mean_stay: float,
    years: float,
    seed: int | np.random.Generator,
    n_runs: int = 100,
    warmup_years: float | None = None,
) -> QueueSimulation:
    """Simulate the M/M/c allocation queue, to check :func:`.expected_waiting`.

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
        Allocation places, 1 to :data:`.MAX_PLACES`.
    lam : float
        Arrivals, children per year (> 0).
    mean_stay : float
        Mean time a child holds a place, years (> 0).
    years : float
        Simulated years per run after the warm-up, in (0, 10^7].
    seed : int or numpy.random.Generator
        Seed for :func:`numpy.random.default_rng`, or a generator.
    n_runs : int, default 100
        Independent runs, at least 2.
    warmup_years : float, optional
        Years discarded at the start of each run (from 0 to 10^7). By default five relaxation
        times, ``5 * mean_stay / (c (1 - sqrt(load / c))^2)``, and at least
        ``5 * mean_stay``.

    Returns
    -------
    QueueSimulation

    Notes
    -----
    Work grows with ``n_runs * (lam + c / mean_stay) * (years + warmup_years)``, bounded by
    :data:`.MAX_QUEUE_STEPS` events a run and :data:`swp_models.validation.MAX_CELLS` in all; a queue of
    10 places, 8 arrivals a year, a one-year stay, 100 runs of 200 years takes well under a
    second.
    """
    c, lam, mean_stay, load = _check_queue(c, lam, mean_stay)
    if lam == 0.0:
        raise ValueError("lam must be above 0 to simulate arrivals; got 0")
    years = check_in_range("years", years, 0.0, _MAX_SIM_YEARS, low_open=True)
    n_runs = check_size("n_runs", n_runs, MAX_CELLS // 2, low=2)
    if warmup_years is None:
        relax = mean_stay / (c * (1.0 - math.sqrt(load / c)) ** 2)
        warmup_years = 5.0 * max(relax, mean_stay)
    warmup_years = check_in_range("warmup_years", warmup_years, 0.0, _MAX_SIM_YEARS)
    rng = as_generator(seed)

    mu = 1.0 / mean_stay
    rate = lam + c * mu
    events = rate * (warmup_years + years) + 2.0  # per run, before rounding up
    if not math.isfinite(events) or events > MAX_QUEUE_STEPS:
        raise ValueError(
            f"(lam + c / mean_stay) × (years + warmup_years) asks for {events:,.0f} simulated events a run, more "
            f"than the {MAX_QUEUE_STEPS:,} allowed; reduce years, warmup_years, c or lam, or lengthen mean_stay"
        )
    check_work(int(events) * n_runs, "n_runs × events a run ((lam + c / mean_stay) × (years + warmup_years))")
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
    wq = lq / lam * _WEEKS_PER_CALENDAR_YEAR

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


def queue_table(
    children: float | None = None,
    cap: int | None = None,
    workers: Sequence[int] = range(10, 15),
    mean_stay_years: float | None = None,
    *, data_dir: str | Path | None = None,
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
    data.data_folder(data_dir)  # a wrong folder is refused even where no table is read
    children = data.value(PRACTICE_TABLE, parameter="caseload_children", data_dir=data_dir) if children is None else children
    children = check_in_range("children", children, 0.0, MAX_PLACES, low_open=True)
    cap = int(data.value(EVIDENCE_TABLE, measure="caseload_cap", data_dir=data_dir)) if cap is None else cap
    cap = check_size("cap", cap, MAX_PLACES)
    stay = assumption("queue_mean_stay_years") if mean_stay_years is None else mean_stay_years
    stay = check_in_range("mean_stay_years", stay, 0.0, MAX_YEARS, low_open=True)
    teams = [check_size("workers", w, MAX_PLACES) for w in check_sequence("workers", workers, max_len=_MAX_ROWS)]
    lam = children / stay
    rows = []
    for w in teams:
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
    loads = [check_positive("children", a) for a in check_sequence("children", children, max_len=_MAX_ROWS)]
    cap_list = [check_size("caps", cap, MAX_PLACES) for cap in check_sequence("caps", caps, max_len=_MAX_ROWS)]
    teams = [check_size("workers", w, MAX_PLACES) for w in check_sequence("workers", workers, max_len=_MAX_ROWS)]
    # each chance of waiting takes one Erlang step per place
    check_work(sum(min(w * cap, MAX_PLACES) for w in teams for cap in cap_list) * (len(loads) + 2),
               "caps × workers × children (× the places of each)", _MAX_ERLANG_STEPS)
    rows = []
    for cap in cap_list:
        for w in teams:
            c = allocation_places(w, cap)
            # finish each line close to the places, where the chance of waiting nears one
            for a in sorted({a for a in loads if a < c} | ({c - 1.0, c - 0.5} if c > 1 else set())):
                if a <= 0:
                    continue
                p = erlang_c(c, a)
                rows.append({"cap": int(cap), "workers": int(w), "places": c, "children": a,
                             "p_wait": round(p, 5), "mean_waiting": round(p * a / (c - a), 5)})
    return pd.DataFrame(rows)
