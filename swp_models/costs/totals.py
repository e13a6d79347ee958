"""A practice's total cost per year: exact moments, and simulated practice-years.

* :func:`total_cost_moments`, :func:`variance_decomposition` — exact mean and variance of the
  total ``S = Z (c_1 + ... + c_N)`` and the two parts of its variance.
* :func:`relative_spread`, :func:`shock_exceedance` — closed forms for pooled children and the
  shared yearly shock.
* :func:`draw_practice_children`, :func:`simulate_practice_costs` — simulated practice-years.

Units: £ per practice-year unless stated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import special

from ..validation import MAX_DRAWS, check_in_range, check_instance, check_nonnegative, check_size, check_work
from .caseload import MAX_CAPACITY, Caseload, as_caseload, default_caseload
from .model import CostModel, SeedLike, _check_array, _check_model, as_generator
from .needs import _folder

__all__ = [
    "TotalCostMoments",
    "total_cost_moments",
    "variance_decomposition",
    "relative_spread",
    "shock_exceedance",
    "PracticeChildren",
    "draw_practice_children",
    "simulate_practice_costs",
]


@dataclass(frozen=True)
class TotalCostMoments:
    """Exact moments of a practice's total annual cost ``S`` (£ per practice-year)."""

    mean: float
    variance: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", check_nonnegative("mean", self.mean))
        object.__setattr__(self, "variance", check_nonnegative("variance", self.variance))

    @property
    def std(self) -> float:
        """Standard deviation of ``S``, £."""
        return math.sqrt(self.variance)


def total_cost_moments(model: CostModel, caseload: int | Caseload) -> TotalCostMoments:
    """Exact mean and variance of a practice's total cost ``S = Z (c_1 + ... + c_N)``.

    Without a shared shock (``Z = 1``), ``E[S] = E[N] mean(c)`` and
    ``Var(S) = E[N] var(c) + Var(N) mean(c)**2`` (the law of total variance, costs
    independent of each other and of ``N``). With the model's shared yearly factor ``Z``
    (mean 1, variance ``v``, independent of the rest), writing ``T`` for the sum,
    ``Var(S) = (1 + v) Var(T) + v E[T]**2``.
    """
    _check_model(model)
    load = as_caseload(caseload)
    mean = load.expected * model.mean
    var_t = load.expected * model.variance + load.variance * model.mean**2
    v = model.shock_variance
    return TotalCostMoments(mean=mean, variance=(1.0 + v) * var_t + v * mean**2)


def variance_decomposition(model: CostModel, caseload: int | Caseload | None = None, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The two terms of ``Var(S) = E[N] var(c) + Var(N) mean(c)**2`` and their sum.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        ``term`` ("Children's costs differ": ``E[N] var(c)``; "The number of children varies":
        ``Var(N) mean(c)**2``; "Total": ``Var(S)``), ``variance`` (£²), ``sd`` (£, square root of
        the term) and ``share`` of the total.
    """
    _folder(data_dir)  # checked even where the data is not read
    _check_model(model)
    load = default_caseload(data_dir=data_dir) if caseload is None else as_caseload(caseload)
    costs_term = load.expected * model.variance
    count_term = load.variance * model.mean**2
    total = costs_term + count_term
    frame = pd.DataFrame(
        {
            # Plain names for the page; the symbols (E[N] var(c), Var(N) mean(c)^2, Var(S)) are in the docstring.
            "term": ["Children's costs differ", "The number of children varies", "Total"],
            "variance": [costs_term, count_term, total],
        }
    )
    frame["sd"] = np.sqrt(frame["variance"])
    frame["share"] = frame["variance"] / total
    return frame


def relative_spread(model: CostModel, n: int) -> float:
    """Coefficient of variation of the average cost of ``n`` children pooled in one year (closed form).

    ``sqrt((1 + v) cv**2 / n + v)``, with ``cv`` the coefficient of variation of one child's
    cost and ``v`` the variance of the shared yearly factor. It falls towards ``sqrt(v)``,
    never below, however many children are pooled.

    Parameters
    ----------
    model : CostModel
    n : int
        Children pooled, >= 1.
    """
    _check_model(model)
    n = check_size("n", n, MAX_CAPACITY)
    v = model.shock_variance
    return math.sqrt((1.0 + v) * model.cv_overall**2 / n + v)


def shock_exceedance(shock_cv: float, excess: float = 0.10) -> float:
    """Chance that the shared yearly factor alone exceeds ``1 + excess`` (closed form).

    ``P(Z > 1 + e) = 1 - Phi((ln(1 + e) + s**2 / 2) / s)`` for a lognormal ``Z`` with mean 1
    and log-scale sd ``s = sqrt(ln(1 + shock_cv**2))``; 0 without a shock. It is the limit,
    and a floor for large pools, of the chance that the average cost per child of ``n``
    children overshoots the mean by more than ``excess`` as ``n`` grows.

    Parameters
    ----------
    shock_cv : float
        In [0, 1].
    excess : float, default 0.10
        Overshoot as a fraction of the mean, >= 0.
    """
    cv = check_in_range("shock_cv", shock_cv, 0.0, 1.0)
    e = check_in_range("excess", excess, 0.0, None)
    if cv == 0:
        return 0.0
    sig = math.sqrt(math.log1p(cv * cv))
    return float(special.ndtr(-(math.log1p(e) + 0.5 * sig * sig) / sig))


@dataclass(frozen=True)
class PracticeChildren:
    """The children of many simulated practice-years, stored flat.

    Children of year ``i`` are ``costs[offsets[i]:offsets[i + 1]]``, ordered by component
    within the year (the order carries no meaning).

    Attributes
    ----------
    costs : numpy.ndarray
        Annual cost of each child, £ (float64).
    components : numpy.ndarray
        Component index of each child (int8, into ``CostModel.components``).
    offsets : numpy.ndarray
        Start of each year's children, with the total number of children appended (int64).
    counts : numpy.ndarray
        Children in each year (int64).
    component_counts : numpy.ndarray
        Children of each component in each year, shape ``(n_years, n_components)``.
    totals : numpy.ndarray
        Total cost of each year, £ (float64).
    """

    costs: np.ndarray
    components: np.ndarray
    offsets: np.ndarray
    counts: np.ndarray
    component_counts: np.ndarray
    totals: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        costs = _check_array("costs", self.costs, 1, allow_empty=True)
        components = _check_array("components", self.components, 1, allow_empty=True)
        offsets = _check_array("offsets", self.offsets, 1)
        counts = _check_array("counts", self.counts, 1)
        comp_counts = _check_array("component_counts", self.component_counts, 2)
        totals = _check_array("totals", self.totals, 1)
        years = counts.size
        if components.size != costs.size:
            raise ValueError(f"components must give one component per child ({costs.size}); got {components.size}")
        if offsets.size != years + 1 or offsets[-1] != costs.size:
            raise ValueError(f"offsets must hold {years + 1} starts ending at {costs.size}; got {offsets.size} "
                             f"ending at {offsets[-1]}")
        if comp_counts.shape[0] != years or totals.size != years:
            raise ValueError(f"component_counts and totals must have one row per year ({years}); got "
                             f"{comp_counts.shape[0]} and {totals.size}")


def _check_years(n_years: object, load: Caseload, name: str) -> int:
    """``n_years`` (named ``name``) in [1, MAX_DRAWS], with ``n_years`` times the largest caseload within MAX_CELLS."""
    n_years = check_size(name, n_years, MAX_DRAWS)
    check_work(n_years * load.maximum, f"{name} × caseload")
    return n_years


def draw_practice_children(
    model: CostModel, caseload: int | Caseload, n_years: int, rng: np.random.Generator
) -> PracticeChildren:
    """Draw the children of ``n_years`` independent practice-years.

    Per year: the caseload ``N``; the number of children in each component,
    multinomial with ``N`` trials and the component weights (the same in distribution as
    drawing each child's component independently); then one standard normal per child,
    turned into a lognormal cost; then, if the model has a shared yearly shock, one factor
    per year multiplying every child's cost that year. Random numbers are taken from
    ``rng`` in that order (no shock factors are drawn without a shock).

    Parameters
    ----------
    model : CostModel
    caseload : int or Caseload
    n_years : int
        Practice-years, in [1, :data:`~swp_models.validation.MAX_DRAWS`], with ``n_years``
        times the largest caseload at most :data:`~swp_models.validation.MAX_CELLS` children.
    rng : numpy.random.Generator

    Returns
    -------
    PracticeChildren
    """
    _check_model(model)
    load = as_caseload(caseload)
    n_years = _check_years(n_years, load, "n_years")
    check_instance("rng", rng, np.random.Generator, "numpy Generator")
    counts = load.sample(n_years, rng)
    weights = np.asarray(model.component_weights, dtype=float)
    comp_counts = rng.multinomial(counts, weights / weights.sum()).astype(np.int64)
    n_comp = weights.size
    flat_counts = comp_counts.ravel()
    components = np.repeat(np.tile(np.arange(n_comp, dtype=np.int8), n_years), flat_counts)
    mu_child = np.repeat(np.tile(model.mu, n_years), flat_counts)
    costs = rng.standard_normal(int(counts.sum()))
    model._transform(costs, components, mu_child)
    del mu_child
    if model.shock_cv > 0:  # one shared factor per year, drawn after the children's costs
        costs *= np.repeat(model.shock_factors(n_years, rng), counts)
    offsets = np.zeros(n_years + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    totals = np.add.reduceat(costs, offsets[:-1])
    return PracticeChildren(costs, components, offsets, counts, comp_counts, totals)


def simulate_practice_costs(
    model: CostModel, caseload: int | Caseload, n_sims: int, seed: SeedLike
) -> pd.DataFrame:
    """Simulate the total annual cost of ``n_sims`` independent practice-years.

    Parameters
    ----------
    model : CostModel
    caseload : int or Caseload
        A fixed number of children, or a caseload distribution.
    n_sims : int
        Practice-years, in [1, :data:`~swp_models.validation.MAX_DRAWS`], with ``n_sims``
        times the largest caseload at most :data:`~swp_models.validation.MAX_CELLS` children.
    seed : int or numpy.random.Generator

    Returns
    -------
    pandas.DataFrame
        One row per practice-year: ``children`` (count), ``total_cost`` (£ per year),
        ``cost_per_child`` (£ per child per year) and ``n_<component>`` (children in each
        component). The same seed gives the same children as
        :func:`swp_models.contracts.simulate_practice_years`.
    """
    _check_model(model)
    load = as_caseload(caseload)
    n_sims = _check_years(n_sims, load, "n_sims")
    sims = draw_practice_children(model, load, n_sims, as_generator(seed))
    frame = pd.DataFrame({"children": sims.counts, "total_cost": sims.totals})
    frame["cost_per_child"] = sims.totals / sims.counts
    for k, name in enumerate(model.components):
        frame[f"n_{name}"] = sims.component_counts[:, k]
    return frame

