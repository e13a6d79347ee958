"""Simulated practice-years: the children on which every contract is priced (chapter 5).

:func:`~swp_models.contracts.simulate_practice_years` draws the practice's children once (caseload, needs
components, costs, one outcome draw per child); :class:`~swp_models.contracts.PracticeYears` holds them read-only
and gives the sums the contracts need. :func:`~swp_models.contracts.with_effort` and :func:`~swp_models.contracts.rescaled` return the
same children at a lower (or higher) cost. Every contract is then priced on the same
children, so differences between contracts are never sampling noise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from ..costs import (
    Caseload,
    CostModel,
    PracticeChildren,
    SeedLike,
    as_caseload,
    as_generator,
    draw_practice_children,
    total_cost_moments,
)
from ..validation import (
    check_in_range,
    check_instance,
    check_integer,
    check_nonnegative,
    check_positive,
    check_probability,
    check_size,
    check_work,
)

__all__ = [
    "PracticeYears",
    "simulate_practice_years",
    "with_effort",
    "rescaled",
    "MAX_YEARS",
]

_DRAW_LEVELS = 65536  # outcome draws are uint16 on 0..65535


#: The most practice-years one call simulates (the chapter uses 100,000).
MAX_YEARS = 1_000_000



def _set(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


def _optional_nonnegative(name: str, value: float | None) -> float | None:
    return None if value is None else check_nonnegative(name, value)


@dataclass(frozen=True, eq=False)
class PracticeYears:
    """Simulated practice-years: every child's cost, needs component and outcome draw.

    Build with :func:`simulate_practice_years`. Arrays are read-only; :meth:`scaled` and
    :meth:`with_extra_child` return new objects.

    Attributes
    ----------
    children : swp_models.costs.PracticeChildren
        Flat child costs (£ per child per year), components, year offsets, counts, totals.
    outcome_draws : numpy.ndarray
        One uniform draw per child on 0..65535 (uint16): the child has an outcome of probability
        ``p`` when its draw is below ``round(p * 65536)``, so contracts with different
        probabilities stay paired. Probabilities are thus resolved to 1/65,536 (about
        0.000015), which is harmless here and halves the time the draws take.
    cost_model : CostModel
    caseload : Caseload
    fixed_cost : float, default 0
        What the practice pays each year whatever its children (its staff and office:
        chapter 4's budget), £ per practice-year, >= 0. Added to every year's total.
    staff_per_child : float, default 0
        The part of each child's cost that is the practice's own (fixed) staff, £ per child
        per year, >= 0: it is inside every child's cost and is taken out of the total once
        per child, so that an extra child adds only its variable cost. See
        :class:`swp_models.contracts.liability.Scope`.
    """

    children: PracticeChildren
    outcome_draws: np.ndarray
    cost_model: CostModel
    caseload: Caseload
    fixed_cost: float = 0.0
    staff_per_child: float = 0.0

    def __post_init__(self) -> None:
        check_instance("children", self.children, PracticeChildren, "PracticeChildren")
        check_instance("cost_model", self.cost_model, CostModel, "CostModel")
        check_instance("caseload", self.caseload, Caseload, "Caseload")
        check_instance("outcome_draws", self.outcome_draws, np.ndarray, "numpy array")
        if self.outcome_draws.shape != self.children.costs.shape:
            raise ValueError(f"outcome_draws must have one draw per child ({self.children.costs.size}); "
                             f"got shape {self.outcome_draws.shape}")
        _set(self, "fixed_cost", check_nonnegative("fixed_cost", self.fixed_cost))
        _set(self, "staff_per_child", check_nonnegative("staff_per_child", self.staff_per_child))
        for arr in (
            self.children.costs,
            self.children.components,
            self.children.offsets,
            self.children.counts,
            self.children.component_counts,
            self.children.totals,
            self.outcome_draws,
        ):
            arr.setflags(write=False)

    # -- views -----------------------------------------------------------------------

    @property
    def costs(self) -> np.ndarray:
        """Annual cost of each child, £ (flat, year by year)."""
        return self.children.costs

    @property
    def components(self) -> np.ndarray:
        """Component index of each child (into ``cost_model.components``)."""
        return self.children.components

    @property
    def offsets(self) -> np.ndarray:
        """Index of each year's first child, with the number of children appended."""
        return self.children.offsets

    @property
    def counts(self) -> np.ndarray:
        """Children in each practice-year."""
        return self.children.counts

    @cached_property
    def totals(self) -> np.ndarray:
        """Total cost ``C`` of each practice-year, £: the fixed cost plus the children's variable costs."""
        if self.fixed_cost == 0 and self.staff_per_child == 0:
            return self.children.totals
        out = self.children.totals + (self.fixed_cost - self.staff_per_child * self.counts)
        out.setflags(write=False)
        return out

    @property
    def component_counts(self) -> np.ndarray:
        """Children of each component in each year, shape ``(n_years, n_components)``."""
        return self.children.component_counts

    @property
    def n_years(self) -> int:
        """Number of practice-years."""
        return int(self.counts.size)

    @property
    def n_children(self) -> int:
        """Number of child-years over all practice-years."""
        return int(self.costs.size)

    @cached_property
    def year_index(self) -> np.ndarray:
        """Practice-year of each child (int32)."""
        return np.repeat(np.arange(self.n_years, dtype=np.int32), self.counts)

    @cached_property
    def group_counts(self) -> np.ndarray:
        """Children recorded in each needs group (exceptional children in the top group), per year."""
        out = np.zeros((self.n_years, len(self.cost_model.groups)), dtype=np.int64)
        for k, g in enumerate(self.cost_model.recorded_group):
            out[:, g] += self.component_counts[:, k]
        return out

    @property
    def expected_total(self) -> float:
        """Exact expected total cost ``E[C]`` of a practice-year under the model, £."""
        children = total_cost_moments(self.cost_model, self.caseload).mean
        return children + self.fixed_cost - self.staff_per_child * self.caseload.expected

    def child_rates(self) -> dict[str, float]:
        """Expected cost of a child of each recorded needs group with its share of the fixed cost, £ a year.

        ``mean_g - staff_per_child + fixed_cost / E[N]``: a payment per child at these rates
        pays the expected total on average (the rates of risk-adjusted capitation).
        """
        share = self.fixed_cost / self.expected_count - self.staff_per_child
        return {g: m + share for g, m in self.cost_model.recorded_means().items()}

    def flat_rate(self) -> float:
        """Expected total cost per expected child, ``E[C] / E[N]``, £ a year (a flat capitation rate)."""
        return self.expected_total / self.expected_count

    def _rebuilt(self, kids: PracticeChildren, model: CostModel | None = None, factor: float = 1.0) -> PracticeYears:
        return PracticeYears(kids, self.outcome_draws, self.cost_model if model is None else model, self.caseload,
                             self.fixed_cost * factor, self.staff_per_child * factor)

    @property
    def expected_count(self) -> float:
        """Expected caseload ``E[N]``, children."""
        return self.caseload.expected

    def sum_by_year(self, values: np.ndarray) -> np.ndarray:
        """Sum a per-child array within each practice-year (booleans are counted)."""
        arr = np.asarray(values)
        if arr.shape != self.costs.shape:
            raise ValueError(f"values must have one entry per child ({self.n_children}); got shape {arr.shape}")
        if arr.dtype == bool:
            counts = np.add.reduceat(arr.view(np.int8), self.offsets[:-1], dtype=np.int32)
            return counts.astype(np.int64)
        return np.add.reduceat(arr, self.offsets[:-1])

    def sum_above(self, threshold: float) -> np.ndarray:
        """``sum_i max(c_i - threshold, 0)`` within each practice-year, £.

        Only the children above the threshold are touched, so this is much cheaper than a
        pass over every child when few exceed it.
        """
        t = check_nonnegative("threshold", threshold)
        idx = np.flatnonzero(self.costs > t)
        year = np.searchsorted(self.offsets, idx, side="right") - 1
        return np.bincount(year, weights=self.costs[idx] - t, minlength=self.n_years)

    def outcome_counts(self, probability: float) -> np.ndarray:
        """Children with the outcome in each year when each has it with ``probability``."""
        p = check_probability("probability", probability)
        cut = int(round(p * _DRAW_LEVELS))
        if cut >= _DRAW_LEVELS:
            return self.counts.copy()
        return self.sum_by_year(self.outcome_draws < np.uint16(cut))

    # -- derived samples -------------------------------------------------------------

    def head(self, n_years: int) -> PracticeYears:
        """The first ``n_years`` practice-years (1 to :attr:`n_years`), the same children: a prefix, not a new draw."""
        n = check_integer("n_years", n_years, low=1, high=self.n_years)
        if n == self.n_years:
            return self
        end = int(self.offsets[n])
        c = self.children
        kids = PracticeChildren(costs=c.costs[:end], components=c.components[:end], offsets=c.offsets[: n + 1],
                                counts=c.counts[:n], component_counts=c.component_counts[:n], totals=c.totals[:n])
        return PracticeYears(kids, self.outcome_draws[:end], self.cost_model, self.caseload, self.fixed_cost,
                             self.staff_per_child)

    def shocked(self, factors: np.ndarray, cost_model: CostModel) -> PracticeYears:
        """The same children with every cost of year ``t`` multiplied by ``factors[t]`` (a shared yearly shock).

        Parameters
        ----------
        factors : numpy.ndarray
            One factor per year, each > 0 and finite.
        cost_model : CostModel
            The model the shocked years follow (the same model with its ``shock_cv``).
        """
        f = np.asarray(factors, dtype=float)
        if f.shape != (self.n_years,):
            raise ValueError(f"factors must have one entry per year ({self.n_years}); got shape {f.shape}")
        if not np.isfinite(f).all() or (f <= 0).any():
            raise ValueError("factors must be finite and > 0 in every year")
        check_instance("cost_model", cost_model, CostModel, "CostModel")
        kids = replace(self.children, costs=self.costs * np.repeat(f, self.counts), totals=self.children.totals * f)
        return self._rebuilt(kids, cost_model)

    def scaled(self, factor: float) -> PracticeYears:
        """The same children with every child's cost multiplied by ``factor`` (> 0).

        The cost model, the fixed cost and the staff cost per child are kept, so terms set
        from expected costs do not follow: this is the perturbation behind the power of
        incentive. :func:`rescaled` moves everything together.
        """
        f = check_positive("factor", factor)
        kids = replace(self.children, costs=self.costs * f, totals=self.children.totals * f)
        return self._rebuilt(kids)

    def with_extra_child(
        self, cost: np.ndarray, component: int, outcome_draw: np.ndarray
    ) -> PracticeYears:
        """The same years with one more child of ``component`` in each year.

        Parameters
        ----------
        cost : numpy.ndarray
            The extra child's cost in each year, £ (length ``n_years``, each >= 0).
        component : int
            Its component index.
        outcome_draw : numpy.ndarray
            Its uint16 outcome draw in each year (length ``n_years``), as in :attr:`outcome_draws`.
        """
        cost = np.asarray(cost, dtype=float)
        draw = np.asarray(outcome_draw)
        k = check_integer("component", component, low=0, high=len(self.cost_model.components) - 1)
        if cost.shape != (self.n_years,) or draw.shape != (self.n_years,):
            raise ValueError(f"cost and outcome_draw must have one entry per year ({self.n_years})")
        if np.isnan(cost).any() or (cost < 0).any():
            raise ValueError("cost must be >= 0 and not NaN in every year")
        if draw.dtype != np.uint16:
            raise ValueError(f"outcome_draw must be uint16 draws on 0..65535; got dtype {draw.dtype}")
        ends = self.offsets[1:]
        comp_counts = self.component_counts.copy()
        comp_counts[:, k] += 1
        kids = PracticeChildren(
            costs=np.insert(self.costs, ends, cost),
            components=np.insert(self.components, ends, np.int8(k)),
            offsets=self.offsets + np.arange(self.n_years + 1),
            counts=self.counts + 1,
            component_counts=comp_counts,
            totals=self.children.totals + cost,
        )
        return PracticeYears(kids, np.insert(self.outcome_draws, ends, draw), self.cost_model, self.caseload,
                             self.fixed_cost, self.staff_per_child)


def simulate_practice_years(
    cost_model: CostModel, caseload: int | Caseload, n_years: int, seed: SeedLike
) -> PracticeYears:
    """Simulate ``n_years`` independent practice-years on which to price contracts.

    The children (caseload, needs components, costs) are those of
    :func:`swp_models.costs.simulate_practice_costs` with the same seed; one 16-bit
    uniform outcome draw per child follows from the same random stream.

    Parameters
    ----------
    cost_model : CostModel
    caseload : int or Caseload
    n_years : int
        Practice-years, 1 to :data:`MAX_YEARS`; ``n_years`` times the largest caseload
        may not exceed :data:`swp_models.validation.MAX_CELLS` children.
    seed : int or numpy.random.Generator
    """
    check_instance("cost_model", cost_model, CostModel, "CostModel")
    load = as_caseload(caseload)
    n = check_size("n_years", n_years, MAX_YEARS)
    check_work(n * load.maximum, "n_years × caseload")
    rng = as_generator(seed)
    kids = draw_practice_children(cost_model, load, n, rng)
    draws = rng.integers(0, _DRAW_LEVELS, size=kids.costs.size, dtype=np.uint16)
    return PracticeYears(kids, draws, cost_model, load)


def with_effort(years: PracticeYears, effort: float) -> PracticeYears:
    """The same children after the practice's effort ``e`` has cut every cost by a fraction ``e``.

    Costs and the cost model's group means are both multiplied by ``1 - e``, so every
    baseline or rate that defaults to an expected cost follows: the terms are set knowing
    the effort the contract will call forth.

    Parameters
    ----------
    years : PracticeYears
    effort : float
        ``e`` in [0, 1).
    """
    e = check_in_range("effort", effort, 0.0, 1.0, high_open=True)
    check_instance("years", years, PracticeYears, "PracticeYears")
    if e == 0:
        return years
    return rescaled(years, 1.0 - e)


def rescaled(years: PracticeYears, factor: float) -> PracticeYears:
    """The same children with every cost, the cost model's means and the fixed cost times ``factor`` (> 0).

    Unlike :meth:`PracticeYears.scaled`, the cost model follows, so every rate or baseline
    that defaults to an expected cost follows too.
    """
    check_instance("years", years, PracticeYears, "PracticeYears")
    f = check_positive("factor", factor)
    model = replace(years.cost_model, means=tuple(m * f for m in years.cost_model.means))
    kids = replace(years.children, costs=years.costs * f, totals=years.children.totals * f)
    return years._rebuilt(kids, model, f)
