"""Worker changes over grids of inputs: the precomputed results behind the chapter's static sliders.

Each function evaluates the closed forms of :mod:`~swp_models.continuity.changes` over a grid
(turnover and vacancy rates in whole percent, hand-offs, episode lengths, worker counts), so a
chart on a static page can filter the grid instead of running the model.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special

from ..validation import check_integer, check_sequence, check_size, check_work
from .changes import _labelled_scenarios, changes_by_cause, expected_workers, p_same_worker, worker_count_pmf
from .scenario import MAX_HANDOFFS, ContinuityScenario, _check_tenure, _check_years, assumption, reference_scenarios

__all__ = [
    "MAX_GRID_COUNT",
    "count_distribution",
    "episode_workers",
    "hazard_grid",
    "turnover_grid",
]

#: The largest count a grid lists (``max_workers`` of :func:`.count_distribution`).
MAX_GRID_COUNT: int = 1_000


def _percent_grid(name: str, values: Sequence[int], high: int = 99) -> list[int]:
    """Whole percentages in [0, high], at most one per value, none missing."""
    return [check_integer(name, v, low=0, high=high) for v in check_sequence(name, values, max_len=high + 1)]


def _tenure(agency_tenure_years: object) -> float:
    return _check_tenure(assumption("agency_tenure_years") if agency_tenure_years is None else agency_tenure_years)


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
    tenure = _tenure(agency_tenure_years)
    ts = np.array(_percent_grid("turnover_pct", turnover_pct), dtype=float)
    vs = np.array(_percent_grid("vacancy_pct", vacancy_pct), dtype=float)
    ks = np.array([check_integer("handoffs", k, low=0, high=MAX_HANDOFFS)
                   for k in check_sequence("handoffs", handoffs, max_len=MAX_HANDOFFS + 1)])
    check_work(ts.size * vs.size * ks.size * 6, "turnover_pct × vacancy_pct × handoffs (× 6 columns)")
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
    tenure = _tenure(agency_tenure_years)
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
    scenarios : mapping of str to ContinuityScenario, or sequence of ContinuityScenario, optional
        A mapping's keys (or each scenario's ``name``) label the rows; by default
        :func:`.reference_scenarios`; at most :data:`~swp_models.continuity.changes.MAX_SCENARIOS`.
    years : sequence of float
        Episode lengths, years from entering care, each in (0, 100]; at most
        :data:`.MAX_GRID_COUNT` of them.

    Returns
    -------
    pandas.DataFrame
        One row per scenario and length: ``scenario``, ``years``, ``workers`` (expected
        distinct workers), ``turnover``, ``agency``, ``handoffs`` (expected changes from
        each cause) and ``p_same`` (probability of one worker throughout).
    """
    items = _labelled_scenarios(reference_scenarios() if scenarios is None else scenarios)
    lengths = [_check_years(y) for y in check_sequence("years", years, max_len=MAX_GRID_COUNT)]
    rows = []
    for label, sc in items:
        for y in lengths:
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
    scenarios : mapping of str to ContinuityScenario, or sequence of ContinuityScenario, optional
        A mapping's keys (or each scenario's ``name``) label the rows; by default
        :func:`.reference_scenarios`; at most :data:`~swp_models.continuity.changes.MAX_SCENARIOS`.
    max_workers : int, default 8
        The last row of each group counts ``max_workers`` *or more* workers; 2 to
        :data:`.MAX_GRID_COUNT`.

    Returns
    -------
    pandas.DataFrame
        Columns ``scenario``, ``period`` ("First year of an episode" or "A year later in
        care"), ``model`` ("Poisson" or "Workers keep their type"), ``workers``, ``label``
        (e.g. ``"8+"``) and ``probability``.
    """
    items = _labelled_scenarios(reference_scenarios() if scenarios is None else scenarios)
    max_workers = check_size("max_workers", max_workers, MAX_GRID_COUNT, low=2)
    rows = []
    for label, sc in items:
        for first, period in ((True, "First year of an episode"), (False, "A year later in care")):
            for model, typed in (("Poisson", False), ("Workers keep their type", True)):
                pmf = worker_count_pmf(sc, 1.0, first, typed=typed)
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
