"""Every child in care in England, council by council, over many simulated years, in chunks.

:func:`national_run` simulates the annual cost of every council's children in care for
``n_years`` independent years, in chunks of ``chunk_years`` years spread over the machine's
cores (the standard library's process pool). Each chunk draws from its own generator, seeded
by ``numpy.random.SeedSequence(seed).spawn``, so the chunks do not depend on which process runs
them: the same seed gives the same result whatever the number of workers. Memory is bounded by
the chunk: one council's children for ``chunk_years`` years at a time, plus the yearly totals
(8 bytes a council-year).

Pooling: the count, mean and sum of squared deviations of each council's yearly totals are
combined exactly chunk by chunk (Chan, Golub and LeVeque's pairwise update); the CARA risk
premium through the log-sum-exp of each chunk, combined with ``logaddexp``; overspends as
counts. Percentiles are read from the yearly totals themselves (kept: the stated method is the
exact empirical percentile of all the years, not a combination of the chunks' own).

Units: £ per council-year unless stated.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import special

from ..validation import MAX_DRAWS, check_in_range, check_integer, check_sequence, check_size, check_work
from .model import CostModel, _check_array, _check_model
from .totals import draw_practice_children, total_cost_moments

__all__ = ["MAX_COUNCILS", "MAX_WORKERS", "NationalRun", "even_councils", "national_run"]

#: Most councils one run takes (England had 150 in 2008, 153 today).
MAX_COUNCILS: int = 1_000

#: Most worker processes one run starts.
MAX_WORKERS: int = 64

#: Years a chunk simulates unless told.
_CHUNK_YEARS: int = 500

#: Most children one council may have in a run (England's largest council looks after a few thousand).
_MAX_COUNCIL_CHILDREN: int = 1_000_000


def even_councils(children: int, councils: int) -> tuple[int, ...]:
    """``children`` shared as evenly as whole numbers allow between ``councils`` councils.

    The first ``children % councils`` councils take one child more. An assumption where the
    councils' own figures are not used: councils differ widely in size, and a larger council
    pools its children's costs better.

    Parameters
    ----------
    children : int
        Children in care in all the councils, 1 to 10^8.
    councils : int
        Number of councils, 1 to :data:`MAX_COUNCILS`, at most ``children``.
    """
    children = check_size("children", children, 100_000_000)
    councils = check_size("councils", councils, MAX_COUNCILS)
    if councils > children:
        raise ValueError(f"councils must be at most children ({children:,}) so that every council has a child; "
                         f"got {councils:,}")
    base, extra = divmod(children, councils)
    return tuple(base + 1 if i < extra else base for i in range(councils))


@dataclass(frozen=True)
class NationalRun:
    """Pooled results of :func:`national_run`.

    Attributes
    ----------
    councils : numpy.ndarray
        Children in each council (int64).
    n_years, chunk_years, workers, seed : int
        The run's settings (``workers`` as used: it does not change the results).
    mean : numpy.ndarray
        Mean yearly total of each council, £.
    variance : numpy.ndarray
        Variance of each council's yearly totals (divided by ``n_years``), £².
    risk_premium : numpy.ndarray
        Each council's exact CARA risk premium of its yearly cost at ``risk_tolerance``, £ a year:
        ``ln mean(exp(r (T - m))) / r`` for totals ``T`` with mean ``m``.
    overspends : numpy.ndarray
        Years in which each council's total was more than ``excess`` above its expected cost (int64).
    totals : numpy.ndarray
        Every yearly total, shape ``(n_years, councils)``, £ (float64).
    expected : numpy.ndarray
        Each council's exact expected yearly cost, £ (:func:`total_cost_moments`).
    risk_tolerance, excess : float
        The run's risk tolerance (£) and overspend threshold (a fraction of the expected cost).
    """

    councils: np.ndarray
    n_years: int
    chunk_years: int
    workers: int
    seed: int
    mean: np.ndarray
    variance: np.ndarray
    risk_premium: np.ndarray
    overspends: np.ndarray
    totals: np.ndarray = field(repr=False)
    expected: np.ndarray = field(repr=False)
    risk_tolerance: float = 1e6
    excess: float = 0.10

    def __post_init__(self) -> None:
        councils = _check_array("councils", self.councils, 1)
        if councils.dtype.kind not in "iu" or (councils < 1).any():
            raise ValueError(f"councils must hold whole numbers of children >= 1; got {councils[:5]!r}")
        n_years = check_size("n_years", self.n_years, MAX_DRAWS)
        check_integer("chunk_years", self.chunk_years, low=1, high=n_years)
        check_integer("workers", self.workers, low=1, high=MAX_WORKERS)
        check_integer("seed", self.seed, low=0)
        for name in ("mean", "variance", "risk_premium", "overspends", "expected"):
            if _check_array(name, getattr(self, name), 1).shape != councils.shape:
                raise ValueError(f"{name} must hold one value per council ({councils.size}); "
                                 f"got shape {getattr(self, name).shape}")
        if _check_array("totals", self.totals, 2).shape != (n_years, councils.size):
            raise ValueError(f"totals must have shape ({n_years}, {councils.size}); got {self.totals.shape}")
        if not (self.risk_tolerance == math.inf or isinstance(self.risk_tolerance, (int, float))):
            raise TypeError(f"risk_tolerance must be a number of £ or math.inf; got {self.risk_tolerance!r}")
        if self.risk_tolerance != math.inf:
            check_in_range("risk_tolerance", self.risk_tolerance, 1.0, None)
        check_in_range("excess", self.excess, 0.0, None)

    @property
    def national_totals(self) -> np.ndarray:
        """England's total in each simulated year, £ (the councils' totals added)."""
        return self.totals.sum(axis=1)

    def council_table(self) -> pd.DataFrame:
        """One row per council: ``children``, ``expected``, ``mean``, ``sd`` (£ a year), ``risk_premium`` (£ a
        year), ``p_overspend`` (share of years more than ``excess`` over the expected cost), and the 5th and
        95th percentiles ``p5`` and ``p95`` (£ a year, exact over the simulated years)."""
        p5, p95 = np.quantile(self.totals, [0.05, 0.95], axis=0)
        return pd.DataFrame({
            "children": self.councils, "expected": self.expected, "mean": self.mean, "sd": np.sqrt(self.variance),
            "risk_premium": self.risk_premium, "p_overspend": self.overspends / self.n_years, "p5": p5, "p95": p95,
        })

    def summary(self) -> pd.DataFrame:
        """England's figures: children, councils, years, the national mean and sd of the yearly total, its 5th
        and 95th percentiles (£ a year), and the sum of the councils' risk premiums (£ a year)."""
        nat = self.national_totals
        rows = [
            ("children", float(self.councils.sum()), "count"),
            ("councils", float(self.councils.size), "count"),
            ("years", float(self.n_years), "count"),
            ("national_mean", float(nat.mean()), "GBP a year"),
            ("national_sd", float(nat.std()), "GBP a year"),
            ("national_p5", float(np.quantile(nat, 0.05)), "GBP a year"),
            ("national_p95", float(np.quantile(nat, 0.95)), "GBP a year"),
            ("sum_of_council_premiums", float(self.risk_premium.sum()), "GBP a year"),
            ("councils_overspending_share", float(self.overspends.sum() / self.overspends.size / self.n_years), "share"),
        ]
        return pd.DataFrame(rows, columns=["measure", "value", "unit"])


def _chunk(model: CostModel, councils: np.ndarray, years: int, seed_seq: np.random.SeedSequence,
           expected: np.ndarray, r: float, limit: np.ndarray) -> tuple[np.ndarray, ...]:
    """One chunk: ``years`` years of every council, from the chunk's own generator, and its summaries."""
    rng = np.random.default_rng(seed_seq)
    totals = np.empty((years, councils.size))
    for j, n in enumerate(councils):  # one council's children at a time: memory is years x n
        totals[:, j] = draw_practice_children(model, int(n), years, rng).totals
    mean = totals.mean(axis=0)
    m2 = ((totals - mean) ** 2).sum(axis=0)
    # log-sum-exp of r (T - expected): shifted by the known expected cost, so every chunk uses one origin.
    lse = special.logsumexp(r * (totals - expected), axis=0) if r > 0 else np.zeros(councils.size)
    over = (totals > limit).sum(axis=0).astype(np.int64)
    return totals, mean, m2, lse, over


def national_run(
    model: CostModel,
    councils: Sequence[int],
    n_years: int,
    seed: int,
    *,
    chunk_years: int | None = None,
    workers: int | None = None,
    risk_tolerance: float = 1e6,
    excess: float = 0.10,
) -> NationalRun:
    """Simulate every council's yearly cost of its children in care, in chunks over the machine's cores.

    Parameters
    ----------
    model : CostModel
        One child's annual cost (its shared shock, if any, is drawn for each council-year).
    councils : sequence of int
        Children in each council, each 1 to 1,000,000; 1 to :data:`MAX_COUNCILS` councils
        (:func:`even_councils` shares a national figure).
    n_years : int
        Simulated years, 1 to :data:`~swp_models.validation.MAX_DRAWS`, with ``n_years`` times the
        number of councils at most :data:`~swp_models.validation.MAX_CELLS` (the yearly totals kept).
    seed : int
        Seed, >= 0: chunk ``k`` draws from ``default_rng(SeedSequence(seed).spawn(n_chunks)[k])``.
    chunk_years : int, optional
        Years a chunk simulates, 1 to ``n_years`` (the last chunk may be shorter; default 500, or
        ``n_years`` if fewer), with
        ``chunk_years`` times the largest council at most :data:`~swp_models.validation.MAX_CELLS`.
        It fixes the random numbers: the same seed and chunk size give the same result.
    workers : int, optional
        Processes, 1 to :data:`MAX_WORKERS`; default the cores this process may use. 1 runs in this
        process. The result does not depend on it.
    risk_tolerance : float, default 1e6
        A council's CARA risk tolerance, £ (>= 1; ``math.inf``: risk-neutral, premium 0). The
        default of £1 million is an assumption of this function, not a sourced figure.
    excess : float, default 0.10
        An overspend is a year more than this share above the council's expected cost, >= 0.

    Returns
    -------
    NationalRun

    Raises
    ------
    ValueError
        Naming the parameter, before any work, for any value outside the ranges above.
    """
    _check_model(model)
    sizes = np.asarray([check_size("councils", n, _MAX_COUNCIL_CHILDREN)
                        for n in check_sequence("councils", councils, max_len=MAX_COUNCILS)], dtype=np.int64)
    n_years = check_size("n_years", n_years, MAX_DRAWS)
    check_work(n_years * sizes.size, "n_years × councils")
    seed = check_integer("seed", seed, low=0)
    chunk_years = min(_CHUNK_YEARS, n_years) if chunk_years is None else chunk_years
    chunk_years = check_integer("chunk_years", chunk_years, low=1, high=n_years)
    check_work(chunk_years * int(sizes.max()), "chunk_years × largest council")
    if workers is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        workers = min(cores, MAX_WORKERS)
    workers = check_integer("workers", workers, low=1, high=MAX_WORKERS)
    if isinstance(risk_tolerance, bool) or not isinstance(risk_tolerance, (int, float, np.integer, np.floating)):
        raise TypeError(f"risk_tolerance must be a number of £ (at least 1, or math.inf); got {risk_tolerance!r}")
    tolerance = math.inf if risk_tolerance == math.inf else check_in_range("risk_tolerance", risk_tolerance, 1.0, None)
    excess = check_in_range("excess", excess, 0.0, None)

    r = 0.0 if tolerance == math.inf else 1.0 / tolerance
    expected = np.array([total_cost_moments(model, int(n)).mean for n in sizes])
    limit = (1.0 + excess) * expected
    starts = list(range(0, n_years, chunk_years))
    lengths = [min(chunk_years, n_years - s) for s in starts]
    seeds = np.random.SeedSequence(seed).spawn(len(starts))
    args = [(model, sizes, n, ss, expected, r, limit) for n, ss in zip(lengths, seeds)]
    if workers == 1 or len(args) == 1:
        parts = [_chunk(*a) for a in args]
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(args))) as pool:
            parts = list(pool.map(_chunk, *zip(*args)))  # in chunk order, whichever process ran each

    # Exact pooling, chunk by chunk in order.
    count, mean, m2, lse = 0, np.zeros(sizes.size), np.zeros(sizes.size), np.full(sizes.size, -np.inf)
    over = np.zeros(sizes.size, dtype=np.int64)
    totals = np.empty((n_years, sizes.size))
    for start, n, (t, c_mean, c_m2, c_lse, c_over) in zip(starts, lengths, parts):
        totals[start:start + n] = t
        delta = c_mean - mean
        new = count + n
        mean = mean + delta * (n / new)
        m2 = m2 + c_m2 + delta * delta * (count * n / new)
        count = new
        lse = np.logaddexp(lse, c_lse)
        over += c_over
    # ln mean exp(r (T - m)) / r = (lse - ln n) / r - (m - expected).
    premium = (lse - math.log(n_years)) / r - (mean - expected) if r > 0 else np.zeros(sizes.size)
    return NationalRun(sizes, n_years, chunk_years, workers, seed, mean, m2 / n_years, np.maximum(premium, 0.0),
                       over, totals, expected, tolerance, excess)
