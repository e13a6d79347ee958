"""How pooling more children shrinks the risk that the average cost per child overshoots.

:func:`prob_cost_per_child_exceeds` (exact, normal or simulated), :func:`pooling_table` (with a
simulation), :func:`pooling_curve` (exact, no simulation) and :func:`shock_pooling_table` (with a
shared yearly shock of each size: a floor no pool size removes).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import special

from ..validation import (
    MAX_CELLS,
    MAX_DRAWS,
    check_in_range,
    check_one_of,
    check_sequence,
    check_size,
    check_work,
)
from .caseload import MAX_CAPACITY, Caseload, as_caseload, caseload_distribution
from .distribution import _GRID_POINTS_PER_SD, _distribution, _grid_plan
from .model import CostModel, SeedLike, _check_model, as_generator
from .needs import _folder, default_cost_model, default_shock_cv
from .totals import draw_practice_children, relative_spread, shock_exceedance

__all__ = ["prob_cost_per_child_exceeds", "pooling_table", "pooling_curve", "shock_pooling_table"]


_POOLING_METHODS = ("exact", "normal", "simulate")

_CHUNK_CHILDREN = 2_000_000


def _simulated_exceedance(
    model: CostModel, load: Caseload, excess: float, n_sims: int, rng: np.random.Generator
) -> float:
    per_child = (1.0 + excess) * model.mean
    per_chunk = max(1, _CHUNK_CHILDREN // load.maximum)
    hits, done = 0, 0
    while done < n_sims:
        size = min(per_chunk, n_sims - done)
        sims = draw_practice_children(model, load, size, rng)
        hits += int((sims.totals > per_child * sims.counts).sum())
        done += size
    return hits / n_sims


def _check_simulation_size(n_sims: object, load: Caseload, size_name: str) -> int:
    """``n_sims`` as an int within :data:`MAX_DRAWS`, and ``n_sims`` times the largest pool within :data:`MAX_CELLS`."""
    n_sims = check_size("n_sims", n_sims, MAX_DRAWS)
    check_work(n_sims * load.maximum, f"n_sims × {size_name}")
    return n_sims


def prob_cost_per_child_exceeds(
    model: CostModel,
    n: int | Caseload,
    excess: float = 0.10,
    method: str = "exact",
    *,
    n_sims: int = 4000,
    seed: SeedLike = 0,
) -> float:
    """Probability that the average cost of ``n`` children exceeds the mean by more than ``excess``.

    Parameters
    ----------
    model : CostModel
    n : int or Caseload
        Children pooled: a fixed number (a practice of 100, a council of 1,000 or 5,000),
        >= 1, or a caseload distribution (the draft contract's 100 plus or minus 10, say).
    excess : float, default 0.10
        Overshoot as a fraction of the mean cost per child, >= 0.
    method : str, default "exact"
        ``"exact"``, ``"normal"`` or ``"simulate"``. ``"exact"``: from the distribution of
        the total, :func:`total_cost_distribution` (the figures the book prints; limited to
        the caseloads that function accepts). ``"normal"``: the normal approximation
        ``1 - Phi(excess / relative_spread(model, n))`` (averaged over the caseloads of a
        :class:`Caseload`), which misses the right skew of costs and so understates the
        chance of a large overshoot: 4.3% against the exact 5.0% for the census mix and a
        practice of 100 at 10%. ``"simulate"``: the share of ``n_sims`` simulated pools
        (drawn in chunks, fixed ``seed``) that overshoot.
    n_sims : int, default 4000
        Simulated pools for ``"simulate"``, in [1, :data:`~swp_models.validation.MAX_DRAWS`],
        with (for ``"simulate"``) ``n_sims`` times the largest pool at most
        :data:`~swp_models.validation.MAX_CELLS` children.
    seed : int or numpy.random.Generator, default 0
        Only for ``"simulate"``.

    Returns
    -------
    float
        A probability.
    """
    _check_model(model)
    load = as_caseload(n, "n")
    excess = check_in_range("excess", excess, 0.0, None)
    check_one_of("method", method, _POOLING_METHODS)
    n_sims = check_size("n_sims", n_sims, MAX_DRAWS)
    rng = as_generator(seed)
    if method == "exact":
        return _distribution(model, load, _GRID_POINTS_PER_SD, "n").prob_cost_per_child_exceeds(excess)
    if method == "normal":
        ns, probs = caseload_distribution(load)
        return float(sum(p * special.ndtr(-excess / relative_spread(model, int(k))) for k, p in zip(ns, probs)))
    return _simulated_exceedance(model, load, excess, _check_simulation_size(n_sims, load, "n"), rng)


def pooling_table(
    model: CostModel,
    sizes: Sequence[int] = (100, 1000, 5000),
    excess: float = 0.10,
    *,
    n_sims: int = 4000,
    seed: SeedLike = 0,
) -> pd.DataFrame:
    """How pooling shrinks risk: for each pool size, the sd of the average cost and the overshoot chance.

    Parameters
    ----------
    model : CostModel
    sizes : sequence of int
        Children pooled (fixed), each >= 1, with ``n_sims`` times the largest at most
        :data:`~swp_models.validation.MAX_CELLS`.
    excess : float, default 0.10
        Overshoot as a fraction of the mean cost per child, >= 0.
    n_sims : int, default 4000
        Simulated pools per size, in [1, :data:`~swp_models.validation.MAX_DRAWS`].
    seed : int or numpy.random.Generator, default 0

    Returns
    -------
    pandas.DataFrame
        Columns ``children``, ``sd_cost_per_child`` (£), ``cv_cost_per_child``,
        ``p_exceed_normal``, ``p_exceed_simulated`` and ``se_simulated`` (its Monte Carlo
        standard error).
    """
    _check_model(model)
    pools = [check_size("sizes", n, MAX_CELLS) for n in check_sequence("sizes", sizes, max_len=1000)]
    excess = check_in_range("excess", excess, 0.0, None)
    n_sims = _check_simulation_size(n_sims, Caseload(max(pools)), "sizes")
    rng = as_generator(seed)
    rows = []
    for n in pools:
        p_sim = _simulated_exceedance(model, Caseload(n), excess, n_sims, rng)
        rows.append(
            {
                "children": n,
                "sd_cost_per_child": model.mean * relative_spread(model, n),
                "cv_cost_per_child": relative_spread(model, n),
                "p_exceed_normal": prob_cost_per_child_exceeds(model, n, excess, "normal"),
                "p_exceed_simulated": p_sim,
                "se_simulated": math.sqrt(p_sim * (1 - p_sim) / n_sims),
            }
        )
    return pd.DataFrame(rows)


def pooling_curve(
    model: CostModel,
    sizes: Sequence[int] = (10, 30, 100, 300, 1000, 5000),
    excesses: Sequence[float] = (0.10, 0.20),
) -> pd.DataFrame:
    """How the chance of an overspend per child falls as more children are pooled (no simulation).

    Parameters
    ----------
    model : CostModel
    sizes : sequence of int
        Numbers of children pooled (fixed), each >= 1 and at most :func:`exact_caseload_limit`.
    excesses : sequence of float
        Overspends per child as fractions of the mean, each >= 0.

    Returns
    -------
    pandas.DataFrame
        One row per size and excess: ``children``, ``excess`` (fraction),
        ``p_exact`` (from :func:`total_cost_distribution`), ``p_normal`` (normal
        approximation), ``p_shock_alone`` (the shared yearly shock alone, the large-pool
        limit, :func:`shock_exceedance`), ``sd_cost_per_child`` (£) and
        ``cv_cost_per_child`` (:func:`relative_spread`).
    """
    _check_model(model)
    sizes = [check_size("sizes", n, MAX_CAPACITY) for n in check_sequence("sizes", sizes, max_len=1000)]
    excesses = [check_in_range("excesses", e, 0.0, None) for e in check_sequence("excesses", excesses, max_len=1000)]
    for n in sizes:  # every size checked against the grid's bound before any work
        _grid_plan(model, Caseload(n), _GRID_POINTS_PER_SD, "sizes")
    rows = []
    for n in sizes:
        dist = _distribution(model, n, _GRID_POINTS_PER_SD, "sizes")
        for e in excesses:
            rows.append(
                {
                    "children": n,
                    "excess": e,
                    "p_exact": dist.prob_cost_per_child_exceeds(e),
                    "p_normal": prob_cost_per_child_exceeds(model, n, e, "normal"),
                    "p_shock_alone": shock_exceedance(model.shock_cv, e),
                    "sd_cost_per_child": model.mean * relative_spread(model, n),
                    "cv_cost_per_child": relative_spread(model, n),
                }
            )
    return pd.DataFrame(rows)


def shock_pooling_table(
    model: CostModel | None = None,
    sizes: Sequence[int] = (100, 1000, 5000),
    shock_cvs: Sequence[float] | None = None,
    excess: float = 0.10,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """Chance of an overspend per child by pool size with a shared yearly shock of each size.

    Parameters
    ----------
    model : CostModel, optional
        Default the central model; its own shock is replaced by each of ``shock_cvs``.
    sizes : sequence of int
        Children pooled (fixed), each >= 1.
    shock_cvs : sequence of float, optional
        Default: none, and the low, central and high values of ``shared_shock_cv``.
    excess : float
        Overspend per child, fraction of the mean, >= 0.
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        ``shock_cv``, ``children``, ``p_exact``, ``p_shock_alone`` (the floor's limit) and
        ``relative_spread`` (coefficient of variation of the average cost per child).
    """
    _folder(data_dir)  # checked even where the data is not read
    base = default_cost_model(data_dir=data_dir) if model is None else _check_model(model)
    if shock_cvs is None:
        shock_cvs = (0.0, default_shock_cv("low", data_dir=data_dir), default_shock_cv(data_dir=data_dir),
                     default_shock_cv("high", data_dir=data_dir))
    cvs = [check_in_range("shock_cvs", cv, 0.0, 1.0) for cv in check_sequence("shock_cvs", shock_cvs, max_len=100)]
    excess = check_in_range("excess", excess, 0.0, None)
    pools = [check_size("sizes", n, MAX_CAPACITY) for n in check_sequence("sizes", sizes, max_len=1000)]
    for cv in cvs:  # every pool checked against the grid's bound, at every shock, before any work
        for n in pools:
            _grid_plan(base.with_shock(cv), Caseload(n), _GRID_POINTS_PER_SD, "sizes")
    rows = []
    for cv in cvs:
        curve = pooling_curve(base.with_shock(cv), pools, (excess,))
        for rec in curve.itertuples(index=False):
            rows.append({"shock_cv": float(cv), "children": int(rec.children), "p_exact": float(rec.p_exact),
                         "p_shock_alone": float(rec.p_shock_alone), "relative_spread": float(rec.cv_cost_per_child)})
    return pd.DataFrame(rows)
