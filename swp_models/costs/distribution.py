"""The whole distribution of a practice's total cost, without simulation.

One child's exact distribution is put on a fine grid and convolved by the fast Fourier
transform (:func:`total_cost_distribution`); the grid never coarsens: a caseload whose grid
would exceed :data:`GRID_MAX_POINTS` points is refused (:func:`exact_caseload_limit` gives the
largest accepted). Percentiles and densities for the pages are read from it
(:func:`practice_percentiles`, :func:`practice_density`), and one child's exact percentiles and
density from the model (:func:`child_cost_percentiles`, :func:`child_cost_density`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import fft as sp_fft
from scipy import sparse
from scipy import special

from ..validation import MAX_CELLS, check_in_range, check_instance, check_integer, check_positive, check_sequence, check_size
from .caseload import MAX_CAPACITY, Caseload, as_caseload, caseload_distribution, default_caseload
from .model import CostModel, _check_array, _check_model
from .needs import _folder
from .totals import total_cost_moments

__all__ = [
    "GRID_NOISE",
    "QUANTILE_RTOL",
    "SD_RTOL",
    "MEAN_RTOL",
    "RESOLVED_CELLS",
    "QUANTILE_LEVELS",
    "GRID_MAX_POINTS",
    "TotalCostDistribution",
    "total_cost_distribution",
    "exact_caseload_limit",
    "child_cost_density",
    "child_cost_percentiles",
    "practice_percentiles",
    "practice_density",
]


_GRID_POINTS_PER_SD = 40


#: Most grid points :func:`total_cost_distribution` uses for one caseload (a few seconds of work at the top);
#: a caseload needing more is refused, never computed on a coarser grid.
GRID_MAX_POINTS: int = 1 << 22


_GRID_CHILD_TAIL = 1e-12

_GRID_SPREADS = 12.0


#: Tail probabilities below this are within the rounding noise of the Fourier transform and are reported as 0.
GRID_NOISE = 1e-10

#: Documented accuracy of a percentile read from :class:`TotalCostDistribution`: within this share of the exact one.
QUANTILE_RTOL: float = 0.01

#: Documented accuracy of the standard deviation of the total: within this share of the exact one.
SD_RTOL: float = 0.01

#: Documented accuracy of the mean of the total: within this share of the exact one.
MEAN_RTOL: float = 1e-6

#: A percentile is given only where it lies at least this many grid steps (times the square root of the
#: number of rounded amounts in the total, up to four) above zero; below that the grid cannot resolve it to
#: :data:`QUANTILE_RTOL` and the level is refused (tests check the accuracy at this edge against an
#: independent inversion of the exact distribution).
RESOLVED_CELLS: float = 10.0

#: Levels :meth:`TotalCostDistribution.quantile` accepts: below 0.001 the grid's rounding of the lowest
#: costs can move a percentile by more than :data:`QUANTILE_RTOL`; above ``1 - 1e-6`` the grid's reach ends.
QUANTILE_LEVELS: tuple[float, float] = (1e-3, 1.0 - 1e-6)


@dataclass(frozen=True)
class TotalCostDistribution:
    """The distribution of a practice's total annual cost ``S``, on a fine grid.

    Built by :func:`total_cost_distribution`. The grid is ``0, step, 2 step, ...``; the
    mass at point ``k`` stands for totals within half a step of ``k * step``.

    Attributes
    ----------
    step : float
        Grid spacing, £.
    caseloads : numpy.ndarray
        Possible numbers of children (int64).
    caseload_probs : numpy.ndarray
        Probability of each caseload.
    pmf_by_caseload : numpy.ndarray
        ``pmf_by_caseload[i, k]``: probability that ``caseloads[i]`` children cost about
        ``k * step`` in total; shape ``(len(caseloads), n_points)``.
    child_mean : float
        Mean cost per child of the model, £ per child per year.
    child_pmf : numpy.ndarray
        One child's cost on the grid (the distribution that is convolved).
    shock_cv : float
        Coefficient of variation of the shared yearly factor mixed in (0: none).
    """

    step: float
    caseloads: np.ndarray
    caseload_probs: np.ndarray
    pmf_by_caseload: np.ndarray = field(repr=False)
    child_mean: float
    child_pmf: np.ndarray = field(repr=False)
    shock_cv: float = 0.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "step", check_positive("step", self.step))
        caseloads = _check_array("caseloads", self.caseloads, 1)
        probs = _check_array("caseload_probs", self.caseload_probs, 1)
        pmfs = _check_array("pmf_by_caseload", self.pmf_by_caseload, 2)
        object.__setattr__(self, "child_mean", check_positive("child_mean", self.child_mean))
        child = _check_array("child_pmf", self.child_pmf, 1)
        object.__setattr__(self, "shock_cv", check_in_range("shock_cv", self.shock_cv, 0.0, 1.0))
        if caseloads.dtype.kind not in "iu" or (caseloads < 1).any():
            raise ValueError(f"caseloads must be whole numbers of children >= 1; got {caseloads[:5]!r}")
        if probs.size != caseloads.size or (probs < 0).any() or abs(float(probs.sum()) - 1.0) > 1e-9:
            raise ValueError(f"caseload_probs must be {caseloads.size} probabilities summing to 1; got {probs[:5]!r}")
        if pmfs.shape[0] != caseloads.size or child.size != pmfs.shape[1]:
            raise ValueError(f"pmf_by_caseload must have shape ({caseloads.size}, {child.size}) to match caseloads "
                             f"and child_pmf; got {pmfs.shape}")

    @property
    def grid(self) -> np.ndarray:
        """Grid points, £ per practice-year."""
        return np.arange(self.pmf_by_caseload.shape[1]) * self.step

    @cached_property
    def pmf(self) -> np.ndarray:
        """Probability of each grid point, over the caseload distribution."""
        return self.caseload_probs @ self.pmf_by_caseload

    @property
    def mean(self) -> float:
        """Mean total cost on the grid, £ (the exact mean, to rounding)."""
        return float(self.pmf @ self.grid)

    @property
    def variance(self) -> float:
        """Variance of the total cost on the grid, £² (slightly above the exact one; see :func:`total_cost_distribution`)."""
        x = self.grid - self.mean
        return float(self.pmf @ (x * x))

    @staticmethod
    def _cumulative(pmf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        # Cumulative and tail sums at the cell edges -step/2, step/2, 3 step/2, ...
        cum = np.concatenate([np.zeros(pmf.shape[:-1] + (1,)), np.cumsum(pmf, axis=-1)], axis=-1)
        tail = np.concatenate([np.cumsum(pmf[..., ::-1], axis=-1)[..., ::-1], np.zeros(pmf.shape[:-1] + (1,))], axis=-1)
        return np.maximum.accumulate(cum, axis=-1), np.minimum.accumulate(tail, axis=-1)

    @cached_property
    def _edges(self) -> np.ndarray:
        # A total is never negative: the cell at 0 covers [0, step / 2] only.
        edges = (np.arange(self.pmf_by_caseload.shape[1] + 1) - 0.5) * self.step
        edges[0] = 0.0
        return edges

    @property
    def resolution(self) -> float:
        """Smallest total, in £, whose percentile is given (:data:`RESOLVED_CELLS` steps times the root of the rounded amounts).

        Each child's cost is rounded to the grid (to within one step, keeping its mean), and with a
        shared shock each scaled total once more; the factor is the root of the number of rounded
        amounts, up to four (beyond that the roundings average out). A percentile below this total
        is refused by :meth:`quantile` rather than given with less than the documented accuracy.
        """
        rounded = int(self.caseloads.max()) + (1 if self.shock_cv > 0 else 0)
        # The roundings of more than a few amounts average out: the factor stops at two.
        return RESOLVED_CELLS * math.sqrt(min(rounded, 4)) * self.step

    @cached_property
    def _mixture_sums(self) -> tuple[np.ndarray, np.ndarray]:
        return self._cumulative(self.pmf)

    def cdf(self, x: float | np.ndarray) -> float | np.ndarray:
        """``P(S <= x)`` for totals ``x`` in £, linear between cell edges; vectorised."""
        arr = CostModel._check_x("x", x)
        out = np.interp(arr, self._edges, self._mixture_sums[0])
        return float(out) if np.ndim(out) == 0 else out

    def sf(self, x: float | np.ndarray) -> float | np.ndarray:
        """``P(S > x)``, computed from the upper tail so that small probabilities keep their precision."""
        arr = CostModel._check_x("x", x)
        out = np.interp(arr, self._edges, self._mixture_sums[1])
        out = np.where(out < GRID_NOISE, 0.0, out)
        return float(out) if np.ndim(out) == 0 else out

    def quantile(self, q: float | np.ndarray) -> float | np.ndarray:
        """Total cost (£) below which a share ``q`` of practice-years fall; vectorised.

        ``q`` from 0.001 to ``1 - 1e-6`` (:data:`QUANTILE_LEVELS`). Each percentile is within
        :data:`QUANTILE_RTOL` (1%) of the exact one, or (where the exact distribution is nearly flat,
        between two needs groups) the exact chance of a total at most the one returned is within 1% of
        ``min(q, 1 - q)`` of ``q``. A level whose percentile lies
        below :attr:`resolution` (a total too close to zero for the grid to resolve: a very small
        caseload with a very wide spread) is refused with a ``ValueError`` that gives the lowest
        level accepted.
        """
        arr = CostModel._check_x("q", q)
        low, high = QUANTILE_LEVELS
        if ((arr < low) | (arr > high)).any():
            raise ValueError(f"q must be a level from {low:g} to 1 - {1 - high:.0e} (the range the percentiles are "
                             f"checked over); got {q!r}")
        out = self._read_quantile(arr)
        floor = self.resolution
        if (out < floor).any():
            bad = np.flatnonzero(np.ravel(out < floor))
            level, total = float(np.ravel(arr)[bad[0]]), float(np.ravel(out)[bad[0]])
            lowest = float(self.cdf(floor))
            raise ValueError(
                f"q must be a level whose percentile the grid resolves to {QUANTILE_RTOL:.0%}: levels above "
                f"{lowest:.4g} here; got {level:g}, whose total (about £{total:,.0f}) lies within "
                f"{floor / self.step:.3g} grid steps of £{self.step:,.0f} of zero "
                f"(a larger caseload, a smaller spread or a higher points_per_sd resolves lower levels)")
        return float(out) if np.ndim(out) == 0 else out

    def _read_quantile(self, arr: np.ndarray) -> np.ndarray:
        """Percentiles at levels ``arr`` in (0, 1) read from the grid, unchecked (the density chart's range)."""
        cum = self._mixture_sums[0]
        # First edge at which the cumulative sum reaches q, then linear inside that cell.
        hi = np.searchsorted(cum, arr, side="left")
        hi = np.clip(hi, 1, cum.size - 1)
        lo = hi - 1
        span = cum[hi] - cum[lo]
        frac = np.where(span > 0, (arr - cum[lo]) / np.where(span > 0, span, 1.0), 0.0)
        width = np.where(lo == 0, 0.5 * self.step, self.step)  # the first cell is [0, step / 2]
        return self._edges[lo] + frac * width

    def density(self) -> np.ndarray:
        """Density of the total cost at the grid points, per £."""
        return self.pmf / self.step

    def prob_cost_per_child_exceeds(self, excess: float = 0.10) -> float:
        """Probability that cost per child, ``S / N``, is more than ``excess`` above the model's mean.

        ``sum_n P(N = n) P(S_n > (1 + excess) mean n)``, ``excess >= 0`` as a fraction.
        """
        e = check_in_range("excess", excess, 0.0, None)
        limits = (1.0 + e) * self.child_mean * self.caseloads
        n_points = self.pmf_by_caseload.shape[1]
        per_n = np.empty(limits.size)
        for i, limit in enumerate(limits):
            # The cell k covers [(k - 1/2) step, (k + 1/2) step); count the part of it above the limit.
            k = int(math.floor(limit / self.step + 0.5))
            if k >= n_points:
                per_n[i] = 0.0
                continue
            row = self.pmf_by_caseload[i]
            upper = (k + 0.5) * self.step
            per_n[i] = float(row[k + 1:].sum()) + float(row[k]) * (upper - limit) / self.step
        p = float(self.caseload_probs @ per_n)
        return 0.0 if p < GRID_NOISE else p


#: The grid also has at least this many points per standard deviation of the narrowest component.
_GRID_POINTS_PER_COMPONENT_SD = 8


def _grid_step(model: CostModel, per_sd: int) -> float:
    """Widest step (£) the grid may have: ``per_sd`` points per sd of one child's cost, and at least
    eight per sd of the narrowest component (a narrow needs group
    beside a far costlier one would otherwise fall between a few grid points)."""
    live = model.component_weights > 0
    narrowest = float((model.component_means * model.component_cvs)[live].min())
    return min(model.std / per_sd, narrowest / _GRID_POINTS_PER_COMPONENT_SD)


def _grid_size(model: CostModel, n_max: int, per_sd: int, top_child: float) -> tuple[float, int]:
    """Reach (£) and number of points of the grid for caseloads up to ``n_max`` (no arrays made)."""
    reach = (n_max - 1) * model.mean + _GRID_SPREADS * math.sqrt(n_max) * model.std + top_child
    reach *= float(_shock_nodes(model)[0].max())
    wanted = max(256, int(math.ceil(reach / _grid_step(model, per_sd))))
    return reach, (sp_fft.next_fast_len(wanted, real=True) if wanted <= GRID_MAX_POINTS else wanted)


def _truncation(model: CostModel, top: float) -> tuple[float, float]:
    """Shares of one child's mean and variance that lie above ``top`` (£), from the exact lognormal partial moments.

    ``E[c**k; c > t] = exp(k mu + k**2 sigma**2 / 2) Phi((mu + k sigma**2 - ln t) / sigma)`` for each
    component, summed on the log scale so that no moment overflows. Returns ``(E[c; c > top] / E[c],
    E[c**2; c > top] / Var(c))``; the grid leaves out what lies above its top.
    """
    w, mu, sigma = model.component_weights, model.mu, model.sigma
    live = w > 0
    w, mu, sigma = w[live], mu[live], sigma[live]
    log_t = math.log(top)
    shares = []
    for k in (1, 2):
        log_moment = np.log(w) + k * mu + 0.5 * k * k * sigma**2
        scale = float(log_moment.max())
        parts = np.exp(log_moment - scale)
        above = special.ndtr((mu + k * sigma**2 - log_t) / sigma)
        shares.append((float(parts @ above), float(parts.sum()), scale))
    (above1, all1, scale1), (above2, all2, scale2) = shares
    mean_share = above1 / all1
    # Var(c) / E[c**2] = 1 - E[c]**2 / E[c**2], on the same log scale.
    ratio = math.exp(min(2 * (math.log(all1) + scale1) - (math.log(all2) + scale2), 0.0))
    var_share = above2 / all2 / max(1.0 - ratio, 1e-300)
    return mean_share, var_share


def _check_accuracy(model: CostModel, top: float, per_sd: int) -> None:
    """Refuse a model whose grid, reaching ``top`` (£), would miss the documented mean or standard deviation.

    The grid leaves out one child's cost above its top (about the ``1 - 1e-12`` point) and rounds each
    cost to within a step (adding at most ``1 / (4 per_sd**2)`` of the variance). With a very wide
    spread or a very large exceptional cost, the part of the mean or variance left out can matter.
    """
    mean_share, var_share = _truncation(model, top)
    sd_low = 1.0 - math.sqrt(max(1.0 - var_share, 0.0))
    sd_high = math.sqrt(1.0 + 0.25 / per_sd**2) - 1.0
    # Half the mean's tolerance is left for the renormalisation; the two errors of the sd add at worst.
    if not (mean_share <= MEAN_RTOL / 2 and sd_low + sd_high <= SD_RTOL):
        raise ValueError(
            f"model must put no more than {MEAN_RTOL / 2:g} of a child's mean and {SD_RTOL:.0%} of the standard "
            f"deviation beyond the grid's reach of £{top:,.4g} a child; this one (cv={model.cv!r}, "
            f"tail_multiple={model.tail_multiple!r}) leaves {mean_share:.3g} of the mean and {var_share:.3g} of "
            f"the variance out, so the distribution would be wrong (total_cost_moments is exact for any model)")


def _grid_fits(n_points: int, rows: int) -> bool:
    return n_points <= GRID_MAX_POINTS and rows * n_points <= MAX_CELLS


def _grid_plan(model: CostModel, load: Caseload, per_sd: int, name: str) -> tuple[float, int]:
    """Reach (£) and number of points of the grid for ``load``; refuse, naming ``name``, a grid over the limits.

    Cheap (no arrays): called before any work. The limits are :data:`GRID_MAX_POINTS` points per
    caseload and :data:`~swp_models.validation.MAX_CELLS` points over all caseloads.
    """
    top_child = float(model.quantile(1.0 - _GRID_CHILD_TAIL))
    reach, n_points = _grid_size(model, load.maximum, per_sd, top_child)
    rows = 2 * load.margin + 1
    _check_accuracy(model, reach, per_sd)
    if not _grid_fits(n_points, rows):
        limit = exact_caseload_limit(model, margin=load.margin, points_per_sd=per_sd)
        allowed = (f"at most {limit:,} children for this model" if limit
                   else "a caseload with a smaller margin for this model" if _one_child_fits(model, per_sd)
                   else "smaller: no caseload fits for this model, whose spread is too wide (or whose narrowest "
                        "needs group is too narrow beside its costliest) for the grid")
        raise ValueError(
            f"{name} of {load.mean:,} ± {load.margin:,} children needs {rows:,} × {n_points:,} grid points at "
            f"points_per_sd={per_sd}, more than the limit ({GRID_MAX_POINTS:,} points a caseload, "
            f"{MAX_CELLS:,} in all); {name} must be {allowed} (total_cost_moments is exact at any size)")
    return reach, n_points


def _one_child_fits(model: CostModel, per_sd: int) -> bool:
    """Whether one child with no margin fits the grid limits for ``model`` (some caseload is accepted)."""
    top_child = float(model.quantile(1.0 - _GRID_CHILD_TAIL))
    return _grid_fits(_grid_size(model, 1, per_sd, top_child)[1], 1)


def exact_caseload_limit(model: CostModel, *, margin: int = 0, points_per_sd: int = _GRID_POINTS_PER_SD) -> int:
    """The largest central caseload :func:`total_cost_distribution` accepts for ``model``.

    The grid has about ``points_per_sd`` points per standard deviation of one child's cost
    and reaches past the largest total with more than a negligible chance, so its length grows
    with the caseload; a caseload whose grid would exceed :data:`GRID_MAX_POINTS` points (or
    :data:`~swp_models.validation.MAX_CELLS` over its ``2 margin + 1`` caseloads) is refused
    rather than computed on a coarser grid. About 61,600 children for the central model
    without a shock (a test holds this figure to the code).

    Parameters
    ----------
    model : CostModel
    margin : int, default 0
        Margin of the caseload (:class:`Caseload`), in [0, 10^9].
    points_per_sd : int, default 40
        Grid resolution, 4 to 400.

    Returns
    -------
    int
        Children; 0 if no caseload with this margin fits.
    """
    _check_model(model)
    margin = check_size("margin", margin, MAX_CAPACITY, low=0)
    per_sd = check_integer("points_per_sd", points_per_sd, low=4, high=400)
    top_child = float(model.quantile(1.0 - _GRID_CHILD_TAIL))
    rows = 2 * margin + 1

    def fits(mean: int) -> bool:
        return _grid_fits(_grid_size(model, mean + margin, per_sd, top_child)[1], rows)

    if not fits(margin + 1):
        return 0
    lo, hi = margin + 1, 2 * (margin + 1)  # lo fits; hi is tried next
    while fits(hi):
        lo, hi = hi, 2 * hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return lo


def total_cost_distribution(
    model: CostModel,
    caseload: int | Caseload,
    *,
    points_per_sd: int = _GRID_POINTS_PER_SD,
) -> TotalCostDistribution:
    """The distribution of a practice's total annual cost, exact up to a fine grid.

    Accuracy (checked against an independent inversion of the exact distribution at the edges
    of what is accepted): the mean within :data:`MEAN_RTOL` (1e-6) of the exact one, the
    standard deviation within :data:`SD_RTOL` (1%; about 1e-4 at the default resolution), each
    percentile as :meth:`TotalCostDistribution.quantile` states (1%), and no probability on a
    negative total. A model or a percentile that the grid cannot give to that accuracy is refused
    with a ``ValueError``, never answered.

    Each child's cost is put on a grid ``0, h, 2h, ...`` of step ``h`` (the child-cost standard
    deviation over ``points_per_sd``, or an eighth of the narrowest component's standard
    deviation if that is smaller) so as to keep its mean: the
    probability of each interval ``[k h, (k + 1) h)`` is split between its two ends in the
    proportions that preserve the interval's first moment, computed from the exact
    lognormal partial expectations. The total of ``n`` independent children is the
    ``n``-fold convolution, computed with the fast Fourier transform; a random caseload
    mixes these over ``P(N = n)``. The grid reaches past the largest total with more than a
    negligible chance (the ``1 - 1e-12`` quantile of one child plus twelve standard
    deviations of the rest), so nothing wraps round. The mean of the total is exact (to
    rounding) when the part of one child's mean beyond the grid is negligible (it is checked); the variance exceeds the exact one by ``E[N] E[(c - k h)((k + 1) h - c)]``,
    at most ``E[N] h**2 / 4`` and about 1e-4 of the variance at the default resolution;
    ``Var(S) = E[N] var(c) + Var(N) mean(c)**2`` holds exactly for the grid distribution of
    ``c`` (:attr:`TotalCostDistribution.child_pmf`). Percentiles are read by spreading each
    grid point's probability evenly over the half-steps either side.

    With a shared yearly shock (``model.shock_cv > 0``) the total is ``Z T``: the
    distribution of ``T`` is scaled by each of 161 values of ``Z`` (normal quadrature on the
    log scale, 8 standard deviations either side, ``E[Z] = 1`` exactly), each scaled point's
    probability split between its two neighbouring grid points so as to keep its mean, and
    the results mixed with the quadrature weights; the grid is widened to the largest ``Z``.

    Parameters
    ----------
    model : CostModel
    caseload : int or Caseload
        A fixed number of children, or a caseload distribution.
    points_per_sd : int, default 40
        Grid points per standard deviation of one child's cost, 4 to 400.

    Returns
    -------
    TotalCostDistribution

    Raises
    ------
    ValueError
        If the grid the caseload needs at this resolution exceeds :data:`GRID_MAX_POINTS`
        points (or :data:`~swp_models.validation.MAX_CELLS` over all caseloads): the
        distribution is never computed on a coarser grid than ``points_per_sd`` asks for.
        :func:`exact_caseload_limit` gives the largest caseload accepted (about 61,600
        children for the central model); :func:`total_cost_moments` is exact at any size.
        Also if the grid would leave out more than :data:`MEAN_RTOL` of the mean or
        :data:`SD_RTOL` of the standard deviation (a very wide spread, or a very costly
        exceptional group, puts much of the variance in the far tail beyond the grid's reach).
    """
    return _distribution(model, caseload, points_per_sd, "caseload")


def _distribution(model: CostModel, caseload: object, points_per_sd: object, name: str) -> TotalCostDistribution:
    """:func:`total_cost_distribution`, its messages naming the caller's parameter ``name`` for the caseload."""
    _check_model(model)
    load = as_caseload(caseload, name)
    per_sd = check_integer("points_per_sd", points_per_sd, low=4, high=400)
    reach, n_points = _grid_plan(model, load, per_sd, name)
    nodes, node_weights = _shock_nodes(model)
    ns, probs = caseload_distribution(load)
    step = reach / (n_points - 1)
    child = _child_grid_pmf(model, step, n_points)
    phi = sp_fft.rfft(child)
    powers = np.empty((ns.size, phi.size), dtype=complex)
    powers[0] = phi ** int(ns[0])
    for i in range(1, ns.size):  # caseloads are consecutive whole numbers
        np.multiply(powers[i - 1], phi, out=powers[i])
    pmfs = sp_fft.irfft(powers, n_points, axis=1)
    # The inverse transform leaves rounding noise of order 1e-17 around zero; the cumulative
    # sums of TotalCostDistribution are made monotone, and GRID_NOISE sets the floor.
    pmfs /= pmfs.sum(axis=1, keepdims=True)
    if model.shock_cv > 0:
        pmfs = _apply_shock(pmfs, nodes, node_weights)
    return TotalCostDistribution(step, ns, probs, pmfs, model.mean, child, model.shock_cv)


#: Nodes of the shared shock's quadrature: standard normal points from -8 to 8 sd, 0.1 sd apart.
_SHOCK_Z = np.linspace(-8.0, 8.0, 161)


def _shock_nodes(model: CostModel) -> tuple[np.ndarray, np.ndarray]:
    """Values of the shared factor ``Z`` and their probabilities (a fine quadrature; ``E[Z] = 1`` exactly)."""
    if model.shock_cv == 0:
        return np.ones(1), np.ones(1)
    w = np.exp(-0.5 * _SHOCK_Z**2)
    w /= w.sum()
    s = model.shock_sigma
    z = np.exp(-0.5 * s * s + s * _SHOCK_Z)
    return z / float(w @ z), w


#: Grid points moved together by :func:`_apply_shock` (a few MB of working memory, reused block after block rather than freshly mapped).
_SHOCK_BLOCK = 2048


def _apply_shock(pmfs: np.ndarray, nodes: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Distribution of ``Z T`` on the grid of ``T``: each point ``k`` moves to ``z k``, split between its neighbours so as to keep its mean.

    Grid points where no caseload has a probability above 1e-16 (the Fourier transform's
    rounding noise) are left out; together they hold less than the book's reporting floor.
    The moves of a block of points under all the nodes form one sparse matrix (two entries per
    point and node), applied to every caseload's distribution in a single product.
    """
    rows, n_points = pmfs.shape
    support = np.flatnonzero(pmfs.max(axis=0) > 1e-16)
    per_point = 2 * nodes.size
    out = np.zeros((n_points, rows))
    for start in range(0, support.size, _SHOCK_BLOCK):
        block = support[start:start + _SHOCK_BLOCK]
        y = block.astype(float)[:, None] * nodes[None, :]
        # The grid reaches past the largest total at the largest node; anything beyond it is dropped.
        w = np.where(y <= n_points - 1, weights[None, :], 0.0)
        lo = np.floor(np.minimum(y, n_points - 1)).astype(np.int64)
        frac = y - lo
        hi = np.minimum(lo + 1, n_points - 1)
        move = sparse.csr_matrix(
            (np.stack([w * (1.0 - frac), w * frac], axis=-1).ravel(), np.stack([lo, hi], axis=-1).ravel(),
             np.arange(0, block.size * per_point + 1, per_point)),
            shape=(block.size, n_points),
        )
        out += move.T @ pmfs[:, block].T
    out = np.ascontiguousarray(out.T)
    out /= out.sum(axis=1, keepdims=True)
    return out


def _child_grid_pmf(model: CostModel, step: float, n_points: int) -> np.ndarray:
    """One child's cost on the grid ``k * step``, ``k < n_points``, keeping each interval's mean."""
    x = np.arange(n_points) * step
    pos = np.where(x > 0, x, 1.0)
    z = (np.log(pos)[:, None] - model.mu) / model.sigma
    w, m = model.component_weights, model.component_means
    cdf = np.where(x > 0, special.ndtr(z) @ w, 0.0)
    # E[c; c <= x] for a lognormal component: m * Phi((ln x - mu) / sigma - sigma).
    partial = np.where(x > 0, special.ndtr(z - model.sigma) @ (w * m), 0.0)
    mass = np.diff(cdf)
    moment = np.diff(partial)
    upper = np.clip((moment - x[:-1] * mass) / step, 0.0, mass)  # only rounding dust is clipped
    pmf = np.zeros(n_points)
    pmf[:-1] += mass - upper
    pmf[1:] += upper
    return pmf / pmf.sum()


def child_cost_density(model: CostModel, upper: float = 200_000.0, n_points: int = 201) -> pd.DataFrame:
    """Density of a child's annual cost by component, for a stacked chart.

    Returns
    -------
    pandas.DataFrame
        Long table: ``cost`` (£ per child per year), ``component``, ``density`` (the
        component's weight times its lognormal density, per £1,000, so the components add
        up to the mixture's density).
    """
    _check_model(model)
    top = check_positive("upper", upper)
    n = check_size("n_points", n_points, 100_000, low=2)
    x = np.linspace(0.0, top, n)
    pos = np.where(x > 0, x, 1.0)
    z = (np.log(pos)[:, None] - model.mu) / model.sigma
    dens = np.exp(-0.5 * z * z) / (math.sqrt(2 * math.pi) * model.sigma * pos[:, None])
    dens = np.where(x[:, None] > 0, dens, 0.0) * model.component_weights * 1000.0
    frames = [
        pd.DataFrame({"cost": x, "component": name, "density": dens[:, k]})
        for k, name in enumerate(model.components)
    ]
    return pd.concat(frames, ignore_index=True)


def _check_levels(qs: object) -> np.ndarray:
    """Percentile levels ``qs``: a non-empty sequence of numbers strictly between 0 and 1."""
    items = check_sequence("qs", qs, max_len=10_000)
    return np.asarray([check_in_range("qs", v, 0.0, 1.0, low_open=True, high_open=True) for v in items])


def child_cost_percentiles(model: CostModel, qs: Sequence[float] = (0.05, 0.5, 0.95, 0.99)) -> pd.DataFrame:
    """Exact percentiles of a child's annual cost: ``percentile`` (%) and ``cost`` (£ per child per year)."""
    _check_model(model)
    q = _check_levels(qs)
    return pd.DataFrame({"percentile": 100 * q, "cost": model.quantile(q)})


def practice_percentiles(
    model: CostModel,
    caseload: int | Caseload | None = None,
    qs: Sequence[float] = (0.05, 0.5, 0.95, 0.99),
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Percentiles of a practice's total annual cost, exact and by the normal approximation.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        ``percentile`` (%), ``exact`` (from :func:`total_cost_distribution`, £ per
        practice-year), ``normal`` (mean plus z times sd, £) and ``difference`` (exact minus
        normal, £).
    """
    _folder(data_dir)  # checked even where the data is not read
    _check_model(model)
    load = default_caseload(data_dir=data_dir) if caseload is None else as_caseload(caseload)
    q = _check_levels(qs)
    dist = total_cost_distribution(model, load)
    moments = total_cost_moments(model, load)
    exact = np.atleast_1d(dist.quantile(q))
    normal = moments.mean + special.ndtri(q) * moments.std
    return pd.DataFrame({"percentile": 100 * q, "exact": exact, "normal": normal, "difference": exact - normal})


def practice_density(
    model: CostModel,
    caseloads: Mapping[str, int | Caseload] | None = None,
    n_points: int = 241,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Density of a practice's total cost for one or more caseloads, with the normal approximation.

    Parameters
    ----------
    model : CostModel
    caseloads : mapping, optional
        ``{label: caseload}``; default the draft contract's 100 plus or minus 10 with
        caseloads spread evenly (``"uniform"``), bunched near 100 (``"binomial"``), and
        a fixed 100.
    n_points : int
        Points per curve, between the 0.01% and 99.99% points of the widest caseload.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        Long table: ``caseload`` (label), ``method`` (``"exact"`` or ``"normal"``),
        ``total`` (£ million per practice-year) and ``density`` (per £ million).
    """
    _folder(data_dir)  # checked even where the data is not read
    if caseloads is None:
        base = default_caseload(data_dir=data_dir)
        caseloads = {
            f"{base.mean} ± {base.margin}, spread evenly": base,
            f"{base.mean} ± {base.margin}, bunched near {base.mean}": Caseload(base.mean, base.margin, "binomial"),
            f"fixed at {base.mean}": base.mean,
        }
    _check_model(model)
    check_instance("caseloads", caseloads, Mapping, "mapping {label: caseload}")
    if not caseloads:
        raise ValueError("caseloads must name at least one caseload; got an empty mapping")
    n = check_size("n_points", n_points, 100_000, low=2)
    for c in caseloads.values():
        _grid_plan(model, as_caseload(c, "caseloads"), _GRID_POINTS_PER_SD, "caseloads")
    dists = {label: _distribution(model, c, _GRID_POINTS_PER_SD, "caseloads") for label, c in caseloads.items()}
    lo = min(float(d._read_quantile(np.array(1e-4))) for d in dists.values())
    hi = max(float(d._read_quantile(np.array(1 - 1e-4))) for d in dists.values())
    x = np.linspace(lo, hi, n)
    dist_loads = {label: as_caseload(c, "caseloads") for label, c in caseloads.items()}
    frames = []
    for label, dist in dists.items():
        exact = np.interp(x, dist.grid, dist.density()) * 1e6
        moments = total_cost_moments(model, dist_loads[label])
        z = (x - moments.mean) / moments.std
        normal = np.exp(-0.5 * z * z) / (math.sqrt(2 * math.pi) * moments.std) * 1e6
        frames.append(pd.DataFrame({"caseload": label, "method": "exact", "total": x / 1e6, "density": exact}))
        frames.append(pd.DataFrame({"caseload": label, "method": "normal", "total": x / 1e6, "density": normal}))
    return pd.concat(frames, ignore_index=True)

