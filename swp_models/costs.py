"""What a child in care costs, and what a practice of about 100 children faces.

The model behind chapter 3, and the children on which chapter 5 prices its contracts.

* :class:`CostModel` — the annual cost of one looked-after child as a mixture over needs
  groups, lognormal within each group with a stated coefficient of variation, and an
  optional small *exceptional* component (see below). Mean, variance, CDF, quantiles and
  partial expectations are exact; sampling is vectorised.
* :func:`calibrate_shares` — the sources give the cost of each needs group and the average
  cost of all looked-after children, but not how many children are in each group. Three
  shares with two constraints (they sum to one; the mixture mean equals the average) leave
  a one-parameter family: the function returns that line and a default point on it.
* :class:`Caseload` — the number of children a practice has in a year: fixed, or random
  inside the draft contract's margin (100 plus or minus 10 children).
* :func:`simulate_practice_costs`, :func:`total_cost_moments` — a practice's total cost per
  year, by simulation and exactly.
* :func:`prob_cost_per_child_exceeds`, :func:`pooling_table` — how pooling more children
  shrinks the risk that the average cost per child overshoots.
* :func:`total_cost_distribution`, :func:`pooling_curve` — the whole distribution of a
  practice's total cost without simulation (one child's exact distribution on a fine grid,
  convolved by the fast Fourier transform), and the overshoot risk by pool size from it.
* Chapter 3's tables and grids: :func:`census_reconciliation` and its companions (the census
  week against the stated averages, with outside checks), :func:`needs_index_check` (the Cost
  Calculator's index against the report's costs by need), :func:`share_sensitivity_grid`
  (the static sliders), :func:`tail_sensitivity`, :func:`target_sensitivity`,
  :func:`exact_vs_simulated` and :func:`key_results`.

Units: every cost is in £ (GBP) per child per year unless stated; practice totals are £ per
practice-year.

The exceptional component
-------------------------
The complex-needs figure in the source is "over £95,000" a year: the table records the lower
bound. To let the book show what a few very expensive placements (secure or specialist
residential care, say) do to a small practice, a model may set ``tail_share = t > 0``. Then
a share ``t`` of *all* children belongs to an extra component named ``"exceptional"`` whose
mean cost is ``tail_multiple`` times the mean of the highest-cost needs group, with that
group's coefficient of variation; the needs-group shares are scaled by ``1 - t``. For
payment purposes (risk-adjusted capitation) an exceptional child is recorded in the
highest-cost needs group: the council cannot tell the two apart in advance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special

from . import data
from .validation import (
    MAX_CELLS,
    MAX_DRAWS,
    check_in_range,
    check_instance,
    check_integer,
    check_one_of,
    check_positive,
    check_probability,
    check_sequence,
    check_size,
    check_work,
)

__all__ = [
    "NEEDS_GROUPS",
    "EXCEPTIONAL",
    "CostModel",
    "Caseload",
    "ShareCalibration",
    "TotalCostMoments",
    "PracticeChildren",
    "assumption",
    "census_average_cost",
    "group_costs",
    "calibrate_shares",
    "default_cost_model",
    "default_caseload",
    "draw_practice_children",
    "simulate_practice_costs",
    "total_cost_moments",
    "prob_cost_per_child_exceeds",
    "pooling_table",
]

#: Needs groups of Ward and colleagues, in order of rising cost (names as in ``cost_by_needs_2005``).
NEEDS_GROUPS: tuple[str, ...] = ("no_additional_needs", "ebd_or_offending", "complex_needs")

#: Name of the optional exceptional-cost component.
EXCEPTIONAL = "exceptional"

_COST_TABLE = "cost_by_needs_2005"
_CENSUS_TABLE = "cin_census_2005"
_ASSUMPTIONS = "assumptions_costs"
_SHARE_TOLERANCE = 1e-9
#: Largest number of children a caseload may name (a whole country's looked-after children many times over).
MAX_CAPACITY: int = 10**9

SeedLike = int | np.random.Generator | None


def _rng(seed: SeedLike) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        raise ValueError("seed must be an integer or a numpy Generator; got None (results must be reproducible)")
    return np.random.default_rng(check_integer("seed", seed, low=0))


def _check_model(model: object, name: str = "model") -> "CostModel":
    """Refuse anything but a :class:`CostModel` with a :class:`TypeError` naming ``name``."""
    return check_instance(name, model, CostModel, "CostModel")


def _as_tuple(name: str, values: object) -> tuple:
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise ValueError(f"{name} must be a sequence; got {values!r}")
    return tuple(values.tolist() if isinstance(values, np.ndarray) else values)


# ---------------------------------------------------------------------------------------
# Data and assumptions
# ---------------------------------------------------------------------------------------


def assumption(parameter: str) -> float:
    """Value of one assumption in ``data/assumptions_costs.csv``.

    Parameters
    ----------
    parameter : str
        The ``parameter`` cell of the row, e.g. ``"within_group_cv"``.
    """
    return data.value(_ASSUMPTIONS, parameter=parameter)


def group_costs(which: str = "value") -> dict[str, float]:
    """Average annual cost by needs group, 2005/6 (Ward and colleagues, via the report).

    Parameters
    ----------
    which : str
        ``"value"``, ``"low"`` or ``"high"``: the recorded figure, or the low or high end of the source's range or bound where it
        gives one (the recorded value otherwise). For "over £95,000" the low end and the
        value are both £95,000 and no high end exists, so ``"high"`` falls back to the value.

    Returns
    -------
    dict
        ``{needs group: £ per child per year}`` in the order of :data:`NEEDS_GROUPS`.
    """
    check_one_of("which", which, ("value", "low", "high"))
    frame = data.load(_COST_TABLE).set_index("needs_group")
    out = {}
    for group in NEEDS_GROUPS:
        rec = frame.loc[group]
        figure = rec[which] if which != "value" else rec["value"]
        out[group] = float(rec["value"] if pd.isna(figure) else figure)
    return out


def census_average_cost(group: str = "looked_after") -> float:
    """Average cost per child per year from the Children in Need census, February 2005 (£)."""
    return data.value(_CENSUS_TABLE, group=group, measure="annual_cost_per_child")


# ---------------------------------------------------------------------------------------
# The cost model
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostModel:
    """Annual cost of one child: a mixture over needs groups, lognormal within each group.

    Parameters
    ----------
    groups : sequence of str
        Needs groups, each one of :data:`NEEDS_GROUPS`, no repeats.
    means : sequence of float
        Mean cost in each group, £ per child per year, each > 0.
    shares : sequence of float
        Share of children in each group, each in [0, 1], summing to 1 (within 1e-9).
    cv : float or sequence of float
        Coefficient of variation (sd / mean) of cost within each group, > 0: one value for
        all groups or one per group.
    tail_share : float, default 0
        Share of all children in the exceptional component, in [0, 1). See the module notes.
    tail_multiple : float, optional
        Mean cost of the exceptional component as a multiple of the highest group mean;
        required (and > 1) when ``tail_share > 0``, ignored otherwise.
    shock_cv : float, default 0
        Coefficient of variation of a yearly cost shock shared by every child of one pool
        (a practice or a council), in [0, 1]: each year's costs are multiplied by one
        lognormal factor ``Z`` with mean 1 and this coefficient of variation (placement
        prices, demand, a surge of court work). It leaves the mean unchanged and does not
        enter the per-child properties (:attr:`mean`, :attr:`variance`, :meth:`cdf`,
        :meth:`sample`: a child's cost at the year's central price level); it enters the
        totals of many children (:func:`total_cost_moments`,
        :func:`total_cost_distribution`, :func:`draw_practice_children`).

    Notes
    -----
    A component with mean ``m`` and coefficient of variation ``v`` is lognormal with
    ``sigma**2 = ln(1 + v**2)`` and ``mu = ln(m) - sigma**2 / 2``. With component weights
    ``w_k``, the mixture has mean ``sum w_k m_k`` and second moment
    ``sum w_k m_k**2 (1 + v_k**2)``.
    """

    groups: tuple[str, ...]
    means: tuple[float, ...]
    shares: tuple[float, ...]
    cv: float | tuple[float, ...]
    tail_share: float = 0.0
    tail_multiple: float | None = None
    shock_cv: float = 0.0

    def __post_init__(self) -> None:
        groups = _as_tuple("groups", self.groups)
        if not groups:
            raise ValueError("groups must name at least one needs group; got an empty sequence")
        for g in groups:
            check_one_of("groups", g, NEEDS_GROUPS)
        if len(set(groups)) != len(groups):
            raise ValueError(f"groups must not repeat a needs group; got {groups!r}")
        means = _as_tuple("means", self.means)
        shares = _as_tuple("shares", self.shares)
        if len(means) != len(groups):
            raise ValueError(f"means must have one value per group ({len(groups)}); got {len(means)}")
        if len(shares) != len(groups):
            raise ValueError(f"shares must have one value per group ({len(groups)}); got {len(shares)}")
        means = tuple(check_positive(f"means[{g}]", m) for g, m in zip(groups, means))
        shares = tuple(check_probability(f"shares[{g}]", s) for g, s in zip(groups, shares))
        total = math.fsum(shares)
        if abs(total - 1.0) > _SHARE_TOLERANCE:
            raise ValueError(f"shares must sum to 1 (within 1e-9); got a sum of {total!r}")
        if isinstance(self.cv, (Sequence, np.ndarray)) and not isinstance(self.cv, str):
            cvs = _as_tuple("cv", self.cv)
            if len(cvs) != len(groups):
                raise ValueError(f"cv must be one number or one per group ({len(groups)}); got {len(cvs)}")
            cv: float | tuple[float, ...] = tuple(check_positive(f"cv[{g}]", v) for g, v in zip(groups, cvs))
        else:
            cv = check_positive("cv", self.cv)
        tail_share = check_in_range("tail_share", self.tail_share, 0.0, 1.0, high_open=True)
        tail_multiple = self.tail_multiple
        if tail_share > 0:
            if tail_multiple is None:
                raise ValueError("tail_multiple must be given (a number > 1) when tail_share > 0; got None")
            tail_multiple = check_in_range("tail_multiple", tail_multiple, 1.0, None, low_open=True)
        elif tail_multiple is not None:
            tail_multiple = check_in_range("tail_multiple", tail_multiple, 1.0, None, low_open=True)
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "means", means)
        object.__setattr__(self, "shares", shares)
        object.__setattr__(self, "cv", cv)
        object.__setattr__(self, "tail_share", tail_share)
        object.__setattr__(self, "tail_multiple", tail_multiple)
        object.__setattr__(self, "shock_cv", check_in_range("shock_cv", self.shock_cv, 0.0, 1.0))

    # -- the shared yearly shock -----------------------------------------------------

    @property
    def shock_variance(self) -> float:
        """Variance ``v`` of the shared yearly factor ``Z`` (``shock_cv**2``; 0 without a shock)."""
        return self.shock_cv**2

    @property
    def shock_sigma(self) -> float:
        """Log-scale sd of ``Z``, ``sqrt(ln(1 + shock_cv**2))``."""
        return math.sqrt(math.log1p(self.shock_cv**2))

    def shock_factors(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """Draw ``n`` yearly shock factors (lognormal, mean 1); all ones without a shock (no draws taken)."""
        n = check_integer("n", n, low=0)
        if self.shock_cv == 0:
            return np.ones(n)
        s = self.shock_sigma
        return np.exp(-0.5 * s * s + s * rng.standard_normal(n))

    def with_shock(self, shock_cv: float) -> "CostModel":
        """The same children with another shared yearly shock (coefficient of variation in [0, 1])."""
        return CostModel(self.groups, self.means, self.shares, self.cv, self.tail_share, self.tail_multiple, shock_cv)

    # -- components ------------------------------------------------------------------

    @property
    def group_cvs(self) -> tuple[float, ...]:
        """Coefficient of variation of each needs group."""
        if isinstance(self.cv, tuple):
            return self.cv
        return (self.cv,) * len(self.groups)

    @property
    def top_group(self) -> int:
        """Index of the highest-cost needs group (where exceptional children are recorded)."""
        return int(np.argmax(self.means))

    @property
    def components(self) -> tuple[str, ...]:
        """Names of the mixture components (the groups, then ``"exceptional"`` if ``tail_share > 0``)."""
        return self.groups + ((EXCEPTIONAL,) if self.tail_share > 0 else ())

    @cached_property
    def component_weights(self) -> np.ndarray:
        """Share of all children in each component (sums to 1)."""
        w = np.array(self.shares) * (1.0 - self.tail_share)
        if self.tail_share > 0:
            w = np.append(w, self.tail_share)
        w.setflags(write=False)
        return w

    @cached_property
    def component_means(self) -> np.ndarray:
        """Mean cost of each component, £ per child per year."""
        m = np.array(self.means, dtype=float)
        if self.tail_share > 0:
            m = np.append(m, self.tail_multiple * m[self.top_group])
        m.setflags(write=False)
        return m

    @cached_property
    def component_cvs(self) -> np.ndarray:
        """Coefficient of variation of each component."""
        v = np.array(self.group_cvs, dtype=float)
        if self.tail_share > 0:
            v = np.append(v, v[self.top_group])
        v.setflags(write=False)
        return v

    @cached_property
    def sigma(self) -> np.ndarray:
        """Log-scale sd of each component, ``sqrt(ln(1 + cv**2))``."""
        s = np.sqrt(np.log1p(self.component_cvs**2))
        s.setflags(write=False)
        return s

    @cached_property
    def mu(self) -> np.ndarray:
        """Log-scale mean of each component, ``ln(mean) - sigma**2 / 2``."""
        m = np.log(self.component_means) - self.sigma**2 / 2
        m.setflags(write=False)
        return m

    @cached_property
    def recorded_group(self) -> np.ndarray:
        """Needs-group index under which each component is recorded (exceptional -> top group)."""
        idx = np.arange(len(self.groups))
        if self.tail_share > 0:
            idx = np.append(idx, self.top_group)
        idx.setflags(write=False)
        return idx

    # -- moments ---------------------------------------------------------------------

    @property
    def mean(self) -> float:
        """Mean cost per child, £ per year."""
        return float(np.dot(self.component_weights, self.component_means))

    @property
    def second_moment(self) -> float:
        """``E[c**2]``, £² per child per year squared."""
        m = self.component_means
        return float(np.dot(self.component_weights, m * m * (1.0 + self.component_cvs**2)))

    @property
    def variance(self) -> float:
        """Variance of the cost per child (£²)."""
        return self.second_moment - self.mean**2

    @property
    def std(self) -> float:
        """Standard deviation of the cost per child, £ per year."""
        return math.sqrt(self.variance)

    @property
    def cv_overall(self) -> float:
        """Coefficient of variation of the cost per child across all children."""
        return self.std / self.mean

    def group_summary(self) -> pd.DataFrame:
        """One row per needs group as recorded (exceptional children counted in the top group).

        Columns: ``group``, ``share``, ``mean`` (£ per child per year), ``sd``, ``cv``.
        """
        w, m = self.component_weights, self.component_means
        second = m * m * (1.0 + self.component_cvs**2)
        rows = []
        for j, g in enumerate(self.groups):
            sel = self.recorded_group == j
            share = float(w[sel].sum())
            if share > 0:
                mean = float(np.dot(w[sel], m[sel]) / share)
                var = float(np.dot(w[sel], second[sel]) / share) - mean**2
            else:
                mean, var = float(m[j]), float(second[j] - m[j] ** 2)
            sd = math.sqrt(max(var, 0.0))
            rows.append({"group": g, "share": share, "mean": mean, "sd": sd, "cv": sd / mean})
        return pd.DataFrame(rows)

    def recorded_means(self) -> dict[str, float]:
        """Mean cost of the children recorded in each needs group, £ per child per year."""
        table = self.group_summary()
        return dict(zip(table["group"], table["mean"]))

    # -- distribution ----------------------------------------------------------------

    @staticmethod
    def _check_x(name: str, x: object) -> np.ndarray:
        arr = np.asarray(x, dtype=float)
        if np.isnan(arr).any():
            raise ValueError(f"{name} must not contain NaN; got {x!r}")
        return arr

    def cdf(self, x: float | np.ndarray) -> float | np.ndarray:
        """Probability that a child's annual cost is at most ``x`` (£); vectorised."""
        arr = self._check_x("x", x)
        pos = np.where(arr > 0, arr, 1.0)
        z = (np.log(pos)[..., None] - self.mu) / self.sigma
        out = np.where(arr > 0, special.ndtr(z) @ self.component_weights, 0.0)
        return float(out) if out.ndim == 0 else out

    def pdf(self, x: float | np.ndarray) -> float | np.ndarray:
        """Density of the annual cost at ``x`` (per £); vectorised."""
        arr = self._check_x("x", x)
        pos = np.where(arr > 0, arr, 1.0)
        z = (np.log(pos)[..., None] - self.mu) / self.sigma
        dens = np.exp(-0.5 * z * z) / (math.sqrt(2 * math.pi) * self.sigma)
        out = np.where(arr > 0, (dens @ self.component_weights) / pos, 0.0)
        return float(out) if out.ndim == 0 else out

    def quantile(self, q: float | np.ndarray) -> float | np.ndarray:
        """Exact quantile of the annual cost (£), vectorised over ``q`` in [0, 1].

        Solves ``cdf(x) = q`` on ``y = ln x`` by Newton's method safeguarded with bisection
        inside the bracket ``[min_k Q_k(q), max_k Q_k(q)]`` of the component quantiles,
        to machine precision. ``quantile(0) = 0`` and ``quantile(1) = inf``.
        """
        arr = self._check_x("q", q)
        if ((arr < 0) | (arr > 1)).any():
            raise ValueError(f"q must be in [0, 1]; got {q!r}")
        flat = arr.ravel()
        out = np.empty_like(flat)
        out[flat == 0] = 0.0
        out[flat == 1] = np.inf
        inner = (flat > 0) & (flat < 1)
        if inner.any():
            out[inner] = np.exp(self._log_quantile(flat[inner]))
        out = out.reshape(arr.shape)
        return float(out) if out.ndim == 0 else out

    def _log_quantile(self, q: np.ndarray) -> np.ndarray:
        live = self.component_weights > 0
        mu, sigma, w = self.mu[live], self.sigma[live], self.component_weights[live]
        comp = mu + sigma * special.ndtri(q)[:, None]
        lo, hi = comp.min(axis=1), comp.max(axis=1)
        y = 0.5 * (lo + hi)
        for _ in range(200):
            z = (y[:, None] - mu) / sigma
            f = special.ndtr(z) @ w - q
            slope = (np.exp(-0.5 * z * z) / (math.sqrt(2 * math.pi) * sigma)) @ w
            lo = np.where(f < 0, y, lo)
            hi = np.where(f > 0, y, hi)
            with np.errstate(divide="ignore", invalid="ignore"):
                newton = y - f / slope
            ok = np.isfinite(newton) & (newton > lo) & (newton < hi)
            new = np.where(ok, newton, 0.5 * (lo + hi))
            new = np.where(f == 0, y, new)
            step = np.abs(new - y)
            y = new
            if (step <= 1e-14 * np.maximum(1.0, np.abs(y))).all():
                break
        return y

    def expected_excess(self, threshold: float) -> float:
        """``E[max(c - threshold, 0)]``: expected cost above a per-child threshold (£ per child per year).

        Uses the lognormal partial expectation ``m Phi(d1) - t Phi(d1 - sigma)`` with
        ``d1 = (mu + sigma**2 - ln t) / sigma`` for each component.
        """
        t = check_in_range("threshold", threshold, 0.0, None)
        if t == 0:
            return self.mean
        d1 = (self.mu + self.sigma**2 - math.log(t)) / self.sigma
        parts = self.component_means * special.ndtr(d1) - t * special.ndtr(d1 - self.sigma)
        return float(np.dot(self.component_weights, parts))

    # -- sampling --------------------------------------------------------------------

    def sample(
        self, n: int, seed: SeedLike, return_groups: bool = False
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """Draw ``n`` independent annual costs (£ per child per year).

        Component indices come from uniform draws compared with the cumulative weights
        (the same as ``searchsorted``); the cost is ``exp(mu[k] + sigma[k] * z)`` with one
        standard normal ``z`` per child.

        Parameters
        ----------
        n : int
            Number of children, >= 0.
        seed : int or numpy.random.Generator
        return_groups : bool, default False
            Also return each child's component index (into :attr:`components`; int8).

        Returns
        -------
        costs : numpy.ndarray
            Costs, £ per child per year (float64).
        groups : numpy.ndarray
            Component indices (int8), only when ``return_groups``.
        """
        n = check_integer("n", n, low=0)
        rng = _rng(seed)
        u = rng.random(n)
        comp = np.zeros(n, dtype=np.int8)
        for edge in np.cumsum(self.component_weights)[:-1]:
            np.add(comp, (u >= edge).view(np.int8), out=comp)
        del u
        costs = rng.standard_normal(n)
        self._transform(costs, comp)
        return (costs, comp) if return_groups else costs

    def _transform(self, z: np.ndarray, comp: np.ndarray, mu_child: np.ndarray | None = None) -> None:
        """Turn standard normals ``z`` into costs in place, child ``i`` in component ``comp[i]``."""
        sigma = self.sigma
        if np.all(sigma == sigma[0]):
            z *= sigma[0]
        else:
            z *= sigma.take(comp)
        z += self.mu.take(comp) if mu_child is None else mu_child
        np.exp(z, out=z)


# ---------------------------------------------------------------------------------------
# Calibration of the shares
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareCalibration:
    """The needs-group shares that reproduce a target average cost.

    Attributes
    ----------
    feasible : pandas.DataFrame
        The line of feasible shares, one row per complex-needs share on an even grid over
        its feasible range: columns ``complex_needs``, ``ebd_or_offending``,
        ``no_additional_needs`` (shares of the needs-group children, summing to 1) and
        ``mean`` (the all-children mean cost, £, equal to the target on every row).
    default : dict
        The default shares ``{group: share}``, in the order of :data:`NEEDS_GROUPS`.
    complex_share_range : tuple of float
        Smallest and largest feasible complex-needs share.
    position : float
        Where the default lies in that range (0 = smallest, 1 = largest).
    target_mean : float
        The average cost per child matched, £ per year.
    group_means : dict
        The group means used, £ per child per year.
    rule : str
        The default rule in words.
    """

    feasible: pd.DataFrame
    default: dict[str, float]
    complex_share_range: tuple[float, float]
    position: float
    target_mean: float
    group_means: dict[str, float]
    rule: str


def _shares_given_complex(p2: np.ndarray, target: float, m: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    m0, m1, m2 = m
    p1 = (target - m0 - (m2 - m0) * p2) / (m1 - m0)
    p0 = 1.0 - p1 - p2
    return p0, p1


def calibrate_shares(
    target_mean: float | None = None,
    group_means: Mapping[str, float] | None = None,
    *,
    tail_share: float = 0.0,
    tail_multiple: float | None = None,
    position: float | None = None,
    n_points: int = 101,
) -> ShareCalibration:
    """Shares of the three needs groups that give a stated average cost per child.

    With group means ``m0 < m1 < m2`` the shares ``p0, p1, p2`` must satisfy
    ``p0 + p1 + p2 = 1`` and ``m0 p0 + m1 p1 + m2 p2 = M``, where ``M`` is the mean the
    needs-group children must have: the target itself, or with an exceptional component
    ``(target - t * tail_multiple * m2) / (1 - t)``. Taking the complex-needs share ``p2``
    as the free parameter, ``p1 = (M - m0 - (m2 - m0) p2) / (m1 - m0)`` and every share
    lies in [0, 1] exactly when
    ``max(0, (M - m1)/(m2 - m1)) <= p2 <= min(1, (M - m0)/(m2 - m0))``.

    Parameters
    ----------
    target_mean : float, optional
        Average cost per child, £ per year; default the census average for looked-after
        children (``cin_census_2005``).
    group_means : mapping, optional
        ``{group: £ per child per year}`` for all three :data:`NEEDS_GROUPS`, strictly
        increasing in that order; default :func:`group_costs`.
    tail_share, tail_multiple : float
        The exceptional component, as in :class:`CostModel`.
    position : float, optional
        Where the default complex-needs share sits in its feasible range, in [0, 1];
        default the assumption ``complex_share_position``.
    n_points : int, default 101
        Rows of the ``feasible`` table, >= 2.

    Raises
    ------
    ValueError
        If the target lies outside the range the group means can produce.
    """
    target = census_average_cost() if target_mean is None else check_positive("target_mean", target_mean)
    means = dict(group_costs() if group_means is None else group_means)
    if set(means) != set(NEEDS_GROUPS):
        raise ValueError(f"group_means must give exactly the groups {list(NEEDS_GROUPS)}; got {sorted(means)}")
    m = [check_positive(f"group_means[{g}]", means[g]) for g in NEEDS_GROUPS]
    if not m[0] < m[1] < m[2]:
        raise ValueError(f"group_means must increase from {NEEDS_GROUPS[0]} to {NEEDS_GROUPS[-1]}; got {m}")
    t = check_in_range("tail_share", tail_share, 0.0, 1.0, high_open=True)
    if t > 0:
        if tail_multiple is None:
            raise ValueError("tail_multiple must be given (a number > 1) when tail_share > 0; got None")
        multiple = check_in_range("tail_multiple", tail_multiple, 1.0, None, low_open=True)
        needs_mean = (target - t * multiple * m[2]) / (1.0 - t)
    else:
        needs_mean = target
    pos = assumption("complex_share_position") if position is None else position
    pos = check_probability("position", pos)
    n_points = check_integer("n_points", n_points, low=2)
    if not m[0] <= needs_mean <= m[2]:
        raise ValueError(
            f"target_mean must let the needs groups average between {m[0]:,.0f} and {m[2]:,.0f} "
            f"(£ per child per year); got {target!r}, which needs {needs_mean:,.2f}"
        )
    lo = max(0.0, (needs_mean - m[1]) / (m[2] - m[1]))
    hi = min(1.0, (needs_mean - m[0]) / (m[2] - m[0]))
    grid = np.linspace(lo, hi, n_points)
    p0, p1 = _shares_given_complex(grid, needs_mean, m)
    # At the ends of the range one share is zero in exact arithmetic; set the rounding
    # dust (|share| < 1e-12) to exactly zero.
    p0[np.abs(p0) < 1e-12] = 0.0
    p1[np.abs(p1) < 1e-12] = 0.0
    mix_mean = (1 - t) * (m[0] * p0 + m[1] * p1 + m[2] * grid) + (t * multiple * m[2] if t > 0 else 0.0)
    feasible = pd.DataFrame(
        {"complex_needs": grid, "ebd_or_offending": p1, "no_additional_needs": p0, "mean": mix_mean}
    )
    p2 = lo + pos * (hi - lo)
    d0, d1 = _shares_given_complex(np.array(p2), needs_mean, m)
    default = {NEEDS_GROUPS[0]: float(d0), NEEDS_GROUPS[1]: float(d1), NEEDS_GROUPS[2]: float(p2)}
    for g, s in default.items():  # rounding dust at the ends of the range, as above
        if abs(s) < 1e-12:
            default[g] = 0.0
    rule = (
        f"complex-needs share at position {pos:g} of its feasible range "
        f"[{lo:.4f}, {hi:.4f}]; the other two shares then follow from the target mean"
    )
    return ShareCalibration(feasible, default, (lo, hi), pos, target, dict(zip(NEEDS_GROUPS, m)), rule)


_MIXES = ("prevalence", "census")


def prevalence_shares(
    additional_share: float | None = None, complex_share: float | None = None
) -> dict[str, float]:
    """The central needs mix: shares of children by needs group from the prevalence of additional needs.

    A share ``a`` of children has additional needs (emotional or behavioural difficulties,
    offending, or complex needs), of whom a share ``c`` of all children has complex needs:
    the shares are ``1 - a``, ``a - c`` and ``c``. The defaults are the assumptions
    ``additional_needs_share`` (45%, anchored on the 2002 national survey of looked-after
    children's mental health, ``lac_mental_health_2002``) and ``complex_share`` (3%).

    Parameters
    ----------
    additional_share : float, optional
        ``a``, in [0, 1].
    complex_share : float, optional
        ``c``, in [0, a].

    Returns
    -------
    dict
        ``{needs group: share}`` in the order of :data:`NEEDS_GROUPS`, summing to 1.
    """
    a = assumption("additional_needs_share") if additional_share is None else additional_share
    a = check_probability("additional_share", a)
    c = assumption("complex_share") if complex_share is None else complex_share
    c = check_in_range("complex_share", c, 0.0, a)
    return {NEEDS_GROUPS[0]: 1.0 - a, NEEDS_GROUPS[1]: a - c, NEEDS_GROUPS[2]: c}


def default_cost_model(
    *,
    target_mean: float | None = None,
    cv: float | Sequence[float] | None = None,
    tail_share: float | None = None,
    tail_multiple: float | None = None,
    position: float | None = None,
    mix: str | None = None,
    additional_share: float | None = None,
    complex_share: float | None = None,
    shock_cv: float = 0.0,
) -> CostModel:
    """The book's cost model: sourced group means, a needs mix, assumed spread.

    Two needs mixes are available. ``"prevalence"`` (the central case): the shares of
    :func:`prevalence_shares`, anchored on the national prevalence of mental disorders among
    looked-after children; the mean cost then follows from the mix (about £42,800 a child,
    on the research's basis, which includes the social-work processes and overheads).
    ``"census"``: the shares calibrated so that the mean equals ``target_mean`` (default
    the census average, £35,360), at ``position`` on the line of feasible shares
    (:func:`calibrate_shares`); most children then fall in the cheapest group.

    Parameters
    ----------
    target_mean, position : float, optional
        Only for the ``"census"`` mix; giving either selects it when ``mix`` is None.
    cv : float or sequence of float, optional
        Within-group coefficient of variation; default the assumption ``within_group_cv``.
    tail_share, tail_multiple : float, optional
        The exceptional component (defaults: the assumptions of those names). With the
        prevalence mix the needs-group shares are scaled by ``1 - tail_share`` and the mean
        rises; with the census mix the shares are recalibrated so the mean stays at the target.
    mix : str, optional
        ``"prevalence"`` or ``"census"``; default ``"prevalence"`` unless ``target_mean`` or
        ``position`` is given.
    additional_share, complex_share : float, optional
        Only for the ``"prevalence"`` mix; see :func:`prevalence_shares`.
    shock_cv : float, default 0
        The shared yearly cost shock (see :class:`CostModel`), in [0, 1]. The book's central
        value is the assumption ``shared_shock_cv`` (:func:`default_shock_cv`); it is passed
        explicitly where a page uses it.
    """
    census_args = target_mean is not None or position is not None
    chosen = ("census" if census_args else "prevalence") if mix is None else check_one_of("mix", mix, _MIXES)
    if chosen == "prevalence" and census_args:
        raise ValueError(
            f"target_mean and position apply only to mix='census'; got mix={mix!r} with "
            f"target_mean={target_mean!r}, position={position!r}"
        )
    if chosen == "census" and (additional_share is not None or complex_share is not None):
        raise ValueError(
            f"additional_share and complex_share apply only to mix='prevalence'; got "
            f"additional_share={additional_share!r}, complex_share={complex_share!r}"
        )
    t = assumption("tail_share") if tail_share is None else tail_share
    multiple = assumption("tail_multiple") if tail_multiple is None else tail_multiple
    spread = assumption("within_group_cv") if cv is None else cv
    if chosen == "census":
        calib = calibrate_shares(target_mean, tail_share=t, tail_multiple=multiple, position=position)
        means, shares = calib.group_means, calib.default
    else:
        means, shares = group_costs(), prevalence_shares(additional_share, complex_share)
    return CostModel(
        groups=NEEDS_GROUPS,
        means=tuple(means[g] for g in NEEDS_GROUPS),
        shares=tuple(shares[g] for g in NEEDS_GROUPS),
        cv=spread,
        tail_share=t,
        tail_multiple=multiple,
        shock_cv=shock_cv,
    )


def default_shock_cv(which: str = "value") -> float:
    """The shared yearly cost shock the book assumes (``shared_shock_cv``): its value, or the low or high end of its range.

    Parameters
    ----------
    which : str
        ``"value"`` (5%), ``"low"`` (2%) or ``"high"`` (10%).
    """
    check_one_of("which", which, ("value", "low", "high"))
    return float(data.row(_ASSUMPTIONS, parameter="shared_shock_cv")[which])


def assumption_range(parameter: str) -> tuple[float, float, float]:
    """``(low, value, high)`` of an assumption in ``data/assumptions_costs.csv`` that records a range."""
    rec = data.row(_ASSUMPTIONS, parameter=parameter)
    if pd.isna(rec["low"]) or pd.isna(rec["high"]):
        raise ValueError(f"parameter {parameter!r} in data/{_ASSUMPTIONS}.csv records no range (low and high)")
    return float(rec["low"]), float(rec["value"]), float(rec["high"])


# ---------------------------------------------------------------------------------------
# Caseload and practice totals
# ---------------------------------------------------------------------------------------

_CASELOAD_KINDS = ("uniform", "binomial")


@dataclass(frozen=True)
class Caseload:
    """Number of children a practice looks after in a year.

    Parameters
    ----------
    mean : int
        Central caseload, children (the draft contract's 100), >= 1.
    margin : int, default 0
        Caseloads run from ``mean - margin`` to ``mean + margin`` (the contract's plus or
        minus 10); 0 means a fixed caseload. ``mean - margin`` must be >= 1.
    kind : str, default "uniform"
        ``"uniform"`` or ``"binomial"``. ``"uniform"``: every whole number in the margin equally likely, variance
        ``margin (margin + 1) / 3`` (about 36.7 for a margin of 10) — the most spread a
        distribution confined to the margin and symmetric about the mean can reasonably
        have, so a cautious choice. ``"binomial"``: ``mean - margin + Binomial(2 margin, 1/2)``,
        variance ``margin / 2`` (5 for a margin of 10) — caseloads bunch near the mean.
    """

    mean: int
    margin: int = 0
    kind: str = "uniform"

    def __post_init__(self) -> None:
        mean = check_integer("mean", self.mean, low=1)
        margin = check_integer("margin", self.margin, low=0)
        check_one_of("kind", self.kind, _CASELOAD_KINDS)
        if mean - margin < 1:
            raise ValueError(f"margin must leave at least 1 child (margin <= mean - 1 = {mean - 1}); got {margin}")
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "margin", margin)

    @property
    def expected(self) -> float:
        """``E[N]``, children."""
        return float(self.mean)

    @property
    def variance(self) -> float:
        """``Var(N)``, children squared."""
        if self.margin == 0:
            return 0.0
        if self.kind == "uniform":
            return self.margin * (self.margin + 1) / 3.0
        return self.margin / 2.0

    @property
    def minimum(self) -> int:
        """Smallest possible caseload."""
        return self.mean - self.margin

    @property
    def maximum(self) -> int:
        """Largest possible caseload."""
        return self.mean + self.margin

    def sample(self, n: int, seed: SeedLike) -> np.ndarray:
        """Draw ``n`` caseloads (int64)."""
        n = check_integer("n", n, low=0)
        rng = _rng(seed)
        if self.margin == 0:
            return np.full(n, self.mean, dtype=np.int64)
        if self.kind == "uniform":
            return rng.integers(self.minimum, self.maximum + 1, size=n, dtype=np.int64)
        return self.minimum + rng.binomial(2 * self.margin, 0.5, size=n).astype(np.int64)


def _as_caseload(caseload: int | Caseload, name: str = "caseload") -> Caseload:
    """A :class:`Caseload` from a caseload or a whole number of children (>= 1), errors naming ``name``."""
    if isinstance(caseload, Caseload):
        return caseload
    if isinstance(caseload, bool) or not isinstance(caseload, (int, np.integer, float, np.floating)):
        raise TypeError(f"{name} must be a whole number of children or a Caseload; got "
                        f"{type(caseload).__name__} {caseload!r:.80}")
    return Caseload(mean=check_size(name, caseload, MAX_CAPACITY))


def default_caseload(kind: str = "uniform") -> Caseload:
    """The draft contract's caseload, 100 children plus or minus 10 (Annex 2, Article 4).

    Read from ``data/practice_design.csv`` (rows ``caseload_children`` and ``caseload_margin``).

    Parameters
    ----------
    kind : str
        ``"uniform"`` or ``"binomial"``: how caseloads spread inside the margin; see
        :class:`Caseload`.
    """
    mean = data.value("practice_design", parameter="caseload_children")
    margin = data.value("practice_design", parameter="caseload_margin")
    for name, figure in (("caseload_children", mean), ("caseload_margin", margin)):
        if figure != int(figure):
            raise ValueError(f"{name} in data/practice_design.csv must be a whole number of children; got {figure!r}")
    return Caseload(mean=int(mean), margin=int(margin), kind=kind)


@dataclass(frozen=True)
class TotalCostMoments:
    """Exact moments of a practice's total annual cost ``S`` (£ per practice-year)."""

    mean: float
    variance: float

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
    load = _as_caseload(caseload)
    mean = load.expected * model.mean
    var_t = load.expected * model.variance + load.variance * model.mean**2
    v = model.shock_variance
    return TotalCostMoments(mean=mean, variance=(1.0 + v) * var_t + v * mean**2)


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
    n = check_integer("n", n, low=1)
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
    load = _as_caseload(caseload)
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
    load = _as_caseload(caseload)
    n_sims = _check_years(n_sims, load, "n_sims")
    sims = draw_practice_children(model, load, n_sims, _rng(seed))
    frame = pd.DataFrame({"children": sims.counts, "total_cost": sims.totals})
    frame["cost_per_child"] = sims.totals / sims.counts
    for k, name in enumerate(model.components):
        frame[f"n_{name}"] = sims.component_counts[:, k]
    return frame


# ---------------------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------------------

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
    load = _as_caseload(n, "n")
    excess = check_in_range("excess", excess, 0.0, None)
    check_one_of("method", method, _POOLING_METHODS)
    n_sims = check_size("n_sims", n_sims, MAX_DRAWS)
    if method == "exact":
        return total_cost_distribution(model, load, _name="n").prob_cost_per_child_exceeds(excess)
    if method == "normal":
        ns, probs = _caseload_distribution(load)
        return float(sum(p * special.ndtr(-excess / relative_spread(model, int(k))) for k, p in zip(ns, probs)))
    return _simulated_exceedance(model, load, excess, _check_simulation_size(n_sims, load, "n"), _rng(seed))


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
    rng = _rng(seed)
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


# ---------------------------------------------------------------------------------------
# The exact distribution of a practice's total cost
# ---------------------------------------------------------------------------------------

from typing import TYPE_CHECKING  # noqa: E402

from scipy import fft as sp_fft  # noqa: E402

if TYPE_CHECKING:
    from .tables import Table

_GRID_POINTS_PER_SD = 40
#: Most grid points :func:`total_cost_distribution` uses for one caseload (about 12 s of work at the top);
#: a caseload needing more is refused, never computed on a coarser grid.
GRID_MAX_POINTS: int = 1 << 22
_GRID_CHILD_TAIL = 1e-12
_GRID_SPREADS = 12.0
#: Tail probabilities below this are within the rounding noise of the Fourier transform and are reported as 0.
GRID_NOISE = 1e-10


def _caseload_distribution(load: Caseload) -> tuple[np.ndarray, np.ndarray]:
    """Possible caseloads and their probabilities."""
    if load.margin == 0:
        return np.array([load.mean], dtype=np.int64), np.array([1.0])
    ns = np.arange(load.minimum, load.maximum + 1, dtype=np.int64)
    if load.kind == "uniform":
        probs = np.full(ns.size, 1.0 / ns.size)
    else:
        k = np.arange(2 * load.margin + 1)
        probs = np.exp(special.gammaln(2 * load.margin + 1) - special.gammaln(k + 1)
                       - special.gammaln(2 * load.margin - k + 1) - 2 * load.margin * math.log(2.0))
    return ns, probs / probs.sum()


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
        return (np.arange(self.pmf_by_caseload.shape[1] + 1) - 0.5) * self.step

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
        """Total cost (£) below which a share ``q`` of practice-years fall, ``q`` in (0, 1); vectorised."""
        arr = CostModel._check_x("q", q)
        if ((arr <= 0) | (arr >= 1)).any():
            raise ValueError(f"q must be in (0, 1); got {q!r}")
        cum = self._mixture_sums[0]
        # First edge at which the cumulative sum reaches q, then linear inside that cell.
        hi = np.searchsorted(cum, arr, side="left")
        hi = np.clip(hi, 1, cum.size - 1)
        lo = hi - 1
        span = cum[hi] - cum[lo]
        frac = np.where(span > 0, (arr - cum[lo]) / np.where(span > 0, span, 1.0), 0.0)
        out = self._edges[lo] + frac * self.step
        return float(out) if np.ndim(out) == 0 else out

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


def _grid_size(model: CostModel, n_max: int, per_sd: int, top_child: float) -> tuple[float, int]:
    """Reach (£) and number of points of the grid for caseloads up to ``n_max`` (no arrays made)."""
    reach = (n_max - 1) * model.mean + _GRID_SPREADS * math.sqrt(n_max) * model.std + top_child
    reach *= float(_shock_nodes(model)[0].max())
    wanted = max(256, int(math.ceil(reach / (model.std / per_sd))))
    return reach, (sp_fft.next_fast_len(wanted, real=True) if wanted <= GRID_MAX_POINTS else wanted)


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
    if not _grid_fits(n_points, rows):
        limit = exact_caseload_limit(model, margin=load.margin, points_per_sd=per_sd)
        allowed = (f"at most {limit:,} children for this model" if limit
                   else "a caseload with a smaller margin for this model")
        raise ValueError(
            f"{name} of {load.mean:,} ± {load.margin:,} children needs {rows:,} × {n_points:,} grid points at "
            f"points_per_sd={per_sd}, more than the limit ({GRID_MAX_POINTS:,} points a caseload, "
            f"{MAX_CELLS:,} in all); {name} must be {allowed} (total_cost_moments is exact at any size)")
    return reach, n_points


def exact_caseload_limit(model: CostModel, *, margin: int = 0, points_per_sd: int = _GRID_POINTS_PER_SD) -> int:
    """The largest central caseload :func:`total_cost_distribution` accepts for ``model``.

    The grid has about ``points_per_sd`` points per standard deviation of one child's cost
    and reaches past the largest total with more than a negligible chance, so its length grows
    with the caseload; a caseload whose grid would exceed :data:`GRID_MAX_POINTS` points (or
    :data:`~swp_models.validation.MAX_CELLS` over its ``2 margin + 1`` caseloads) is refused
    rather than computed on a coarser grid. About 58,000 children for the central model
    without a shock.

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
    _name: str = "caseload",
) -> TotalCostDistribution:
    """The distribution of a practice's total annual cost, exact up to a fine grid.

    Each child's cost is put on a grid ``0, h, 2h, ...`` of step ``h`` (about the
    child-cost standard deviation over ``points_per_sd``) so as to keep its mean: the
    probability of each interval ``[k h, (k + 1) h)`` is split between its two ends in the
    proportions that preserve the interval's first moment, computed from the exact
    lognormal partial expectations. The total of ``n`` independent children is the
    ``n``-fold convolution, computed with the fast Fourier transform; a random caseload
    mixes these over ``P(N = n)``. The grid reaches past the largest total with more than a
    negligible chance (the ``1 - 1e-12`` quantile of one child plus twelve standard
    deviations of the rest), so nothing wraps round. The mean of the total is exact (to
    rounding); the variance exceeds the exact one by ``E[N] E[(c - k h)((k + 1) h - c)]``,
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
        :func:`exact_caseload_limit` gives the largest caseload accepted (about 58,000
        children for the central model); :func:`total_cost_moments` is exact at any size.
    """
    _check_model(model)
    load = _as_caseload(caseload, _name)
    per_sd = check_integer("points_per_sd", points_per_sd, low=4, high=400)
    reach, n_points = _grid_plan(model, load, per_sd, _name)
    nodes, node_weights = _shock_nodes(model)
    ns, probs = _caseload_distribution(load)
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


def _apply_shock(pmfs: np.ndarray, nodes: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Distribution of ``Z T`` on the grid of ``T``: each point ``k`` moves to ``z k``, split between its neighbours so as to keep its mean.

    Grid points where no caseload has a probability above 1e-16 (the Fourier transform's
    rounding noise) are left out; together they hold less than the book's reporting floor.
    """
    rows, n_points = pmfs.shape
    support = np.flatnonzero(pmfs.max(axis=0) > 1e-16)
    k = support.astype(float)
    mass = pmfs[:, support]
    base = (np.arange(rows, dtype=np.int64) * n_points)[:, None]
    out = np.zeros(rows * n_points)
    for z, w in zip(nodes, weights):
        y = k * z
        keep = y <= n_points - 1  # the grid reaches past the largest total at the largest node
        lo = np.floor(y[keep]).astype(np.int64)
        frac = y[keep] - lo
        hi = np.minimum(lo + 1, n_points - 1)
        p = mass[:, keep] * w
        out += np.bincount((base + lo).ravel(), weights=(p * (1.0 - frac)).ravel(), minlength=out.size)
        out += np.bincount((base + hi).ravel(), weights=(p * frac).ravel(), minlength=out.size)
    out = out.reshape(rows, n_points)
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
        dist = total_cost_distribution(model, n, _name="sizes")
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


# ---------------------------------------------------------------------------------------
# Chapter 3: the census, the needs groups and the tables behind the chapter
# ---------------------------------------------------------------------------------------

#: Rounding assumed for the census's weekly averages when checking them against each other (£).
_CENSUS_WEEKLY_ROUNDING = 10.0


def census_reconciliation() -> pd.DataFrame:
    """The census week reconciled with the report's annual averages, one row per group.

    Extends :func:`swp_models.problem.census_week` (children, the week's cost, the cost per
    child that week, 52 times it, the stated annual average, the gap, the children and weeks
    the stated average implies) with ``stated_weekly_per_child`` (the stated annual average
    over 52, £ per child per week) and ``implied_share`` (the implied children as a share of
    the children counted).
    """
    from .problem import WEEKS_PER_YEAR, census_week

    frame = census_week()
    frame["stated_weekly_per_child"] = frame["stated_annual_per_child"] / WEEKS_PER_YEAR
    frame["implied_share"] = frame["implied_children"] / frame["children"]
    return frame


def census_arithmetic_table() -> pd.DataFrame:
    """The census reconciliation step by step, formatted for the page (one column per group).

    Returns
    -------
    pandas.DataFrame
        Columns ``Step``, ``Looked after``, ``Supported in families``, ``All children in need``
        and ``Basis`` (``"report"`` for the sourced figures, the arithmetic otherwise); every
        cell a string.
    """
    frame = census_reconciliation().set_index("group")
    steps = [
        ("Children counted in the week", "children", lambda x: f"{x:,.0f}", "report"),
        ("Cost of the week", "weekly_cost_gbp", lambda x: f"£{x / 1e6:.1f}m", "report"),
        ("Cost per child that week", "weekly_cost_per_child", lambda x: f"£{x:,.2f}", "cost / children"),
        ("52 weeks at that cost", "annualised_per_child", lambda x: f"£{x:,.0f}", "× 52"),
        ("Annual average stated in the report", "stated_annual_per_child", lambda x: f"£{x:,.0f}", "report"),
        ("Gap", "gap_per_child", lambda x: f"£{x:,.0f}", "stated - 52 weeks"),
        ("Gap as a share of 52 weeks", "gap_percent", lambda x: f"{x:.1f}%", "gap / 52 weeks"),
        ("Stated average per week", "stated_weekly_per_child", lambda x: f"£{x:,.2f}", "stated / 52"),
        ("Weeks at the census week's cost per child", "implied_weeks", lambda x: f"{x:.1f}", "stated / cost per child"),
        ("Children the stated average implies", "implied_children", lambda x: f"{x:,.0f}", "cost × 52 / stated"),
        ("... as a share of those counted", "implied_share", lambda x: f"{100 * x:.0f}%", "implied / counted"),
    ]
    labels = {"looked_after": "Looked after", "in_families": "Supported in families", "all": "All children in need"}
    rows = []
    for label, col, fmt, basis in steps:
        row = {"Step": label}
        row.update({labels[g]: fmt(float(frame.loc[g, col])) for g in labels})
        row["Basis"] = basis
        rows.append(row)
    return pd.DataFrame(rows)


def census_implied_children(rounding: float = _CENSUS_WEEKLY_ROUNDING) -> pd.DataFrame:
    """Children each stated average implies, and whether the three groups agree with each other.

    If the stated averages are weekly figures times 52, each rounded to the nearest
    ``rounding`` pounds a week, the children they imply lie between the week's cost over
    (weekly figure + rounding / 2) and over (weekly figure - rounding / 2). The row
    ``looked_after + in_families`` adds the two groups; it should fall inside the range of
    the row ``all`` if the three averages were made on one basis.

    Parameters
    ----------
    rounding : float, default 10
        Rounding of the weekly averages, £ per child per week, > 0.

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``implied_children``, ``low``, ``high``.
    """
    r = check_positive("rounding", rounding)
    frame = census_reconciliation().set_index("group")
    cost, week = frame["weekly_cost_gbp"], frame["stated_weekly_per_child"]
    out = pd.DataFrame(
        {
            "implied_children": cost / week,
            "low": cost / (week + r / 2),
            "high": cost / (week - r / 2),
        }
    )
    both = out.loc["looked_after"] + out.loc["in_families"]
    out.loc["looked_after + in_families"] = both
    return out.reindex(["looked_after", "in_families", "looked_after + in_families", "all"]).reset_index(
        names="group"
    )


def census_2003_basis() -> pd.DataFrame:
    """The Children in Need survey of February 2003: weekly cost per child who received a service.

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``weekly_2003`` (£ per child served per week, as reported),
        ``weekly_2005_stated`` (the report's 2005 annual average over 52) and
        ``weekly_2005_all_counted`` (the 2005 week's cost over all children counted).
    """
    frame = data.load("cin_census_2003").set_index("group")["value"]
    census = census_reconciliation().set_index("group")
    groups = ["looked_after", "in_families"]
    return pd.DataFrame(
        {
            "group": groups,
            "weekly_2003": [float(frame[g]) for g in groups],
            "weekly_2005_stated": [float(census.loc[g, "stated_weekly_per_child"]) for g in groups],
            "weekly_2005_all_counted": [float(census.loc[g, "weekly_cost_per_child"]) for g in groups],
        }
    )


def spend_per_looked_after_child() -> pd.DataFrame:
    """Councils' spending on children looked after per child, England, 2004-05 to 2007-08.

    Net current expenditure (``lac_expenditure_england``) over the children looked after at
    the 31 March that ends the year (``lac_at_31_march``): roughly the cost per child-year,
    as the 31 March count stands in for the average number looked after during the year.

    Returns
    -------
    pandas.DataFrame
        Columns ``year`` (financial year), ``spend_gbp`` (£), ``children`` (at 31 March),
        ``per_child`` (£ per child per year).
    """
    spend = data.load("lac_expenditure_england")
    counts = data.load("lac_at_31_march").set_index("year")["value"]
    out = pd.DataFrame({"year": spend["year"], "spend_gbp": spend["value"] * 1e6})
    out["children"] = [float(counts[int(y[:4]) + 1]) for y in out["year"]]
    out["per_child"] = out["spend_gbp"] / out["children"]
    return out


def needs_index_check() -> pd.DataFrame:
    """The Cost Calculator's cost index by needs set against the report's three groups.

    Returns
    -------
    pandas.DataFrame
        One row per Cost Calculator group: ``needs_group``, ``label``, ``report_group``,
        ``index`` (no additional needs = 100), ``ratio`` (index / 100), ``implied_cost``
        (the report's £33,000 for children with no additional needs times the ratio, £ per
        child per year), and the report's figure for the matching group: ``report_cost``,
        ``report_low``, ``report_high`` (£; empty where the report has no such group) and
        ``report_ratio`` (report figure over £33,000).
    """
    index = data.load("cost_calculator_index")
    report = data.load("cost_by_needs_2005").set_index("needs_group")
    base = float(report.loc[NEEDS_GROUPS[0], "value"])
    out = index[["needs_group", "label", "report_group"]].copy()
    out["index"] = index["value"]
    out["ratio"] = out["index"] / 100.0
    out["implied_cost"] = base * out["ratio"]
    matched = out["report_group"].where(out["report_group"] != "none")

    def pick(col: str) -> pd.Series:
        return matched.map(lambda g: report.loc[g, col] if isinstance(g, str) else np.nan).astype(float)

    out["report_cost"] = pick("value")
    out["report_low"] = pick("low")
    out["report_high"] = pick("high")
    out["report_ratio"] = out["report_cost"] / base
    return out


def report_ratios() -> pd.DataFrame:
    """The report's cost of each needs group as a multiple of the no-additional-needs cost.

    Returns
    -------
    pandas.DataFrame
        ``needs_group``, ``cost`` (£ per child per year), ``ratio``, ``ratio_low`` and
        ``ratio_high`` (from the source's range or bound, where it gives one).
    """
    report = data.load("cost_by_needs_2005").set_index("needs_group")
    base = float(report.loc[NEEDS_GROUPS[0], "value"])
    rows = []
    for g in NEEDS_GROUPS:
        rec = report.loc[g]
        rows.append(
            {
                "needs_group": g,
                "cost": float(rec["value"]),
                "ratio": float(rec["value"]) / base,
                "ratio_low": float(rec["low"]) / base if pd.notna(rec["low"]) else np.nan,
                "ratio_high": float(rec["high"]) / base if pd.notna(rec["high"]) else np.nan,
            }
        )
    return pd.DataFrame(rows)


def shares_for_complex_share(
    complex_share: float | np.ndarray,
    target_mean: float | None = None,
    group_means: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Needs-group shares on the feasible line at given complex-needs shares.

    Parameters
    ----------
    complex_share : float or array of float
        Share of children with complex needs, each inside the feasible range of
        :func:`calibrate_shares` for the target (within 1e-12).
    target_mean, group_means
        As in :func:`calibrate_shares` (no exceptional component).

    Returns
    -------
    pandas.DataFrame
        Columns ``no_additional_needs``, ``ebd_or_offending``, ``complex_needs`` (shares
        summing to 1) and ``mean`` (£ per child per year, the target on every row).
    """
    calib = calibrate_shares(target_mean, group_means, n_points=2)
    lo, hi = calib.complex_share_range
    p2 = np.atleast_1d(np.asarray(complex_share, dtype=float))
    if np.isnan(p2).any() or ((p2 < lo - 1e-12) | (p2 > hi + 1e-12)).any():
        raise ValueError(
            f"complex_share must lie in the feasible range [{lo:.6f}, {hi:.6f}] for a mean of "
            f"{calib.target_mean:,.0f}; got {complex_share!r}"
        )
    p2 = np.clip(p2, lo, hi)  # only the 1e-12 tolerance admitted above
    m = [calib.group_means[g] for g in NEEDS_GROUPS]
    p0, p1 = _shares_given_complex(p2, calib.target_mean, m)
    p0[np.abs(p0) < 1e-12] = 0.0
    p1[np.abs(p1) < 1e-12] = 0.0
    return pd.DataFrame(
        {
            NEEDS_GROUPS[0]: p0,
            NEEDS_GROUPS[1]: p1,
            NEEDS_GROUPS[2]: p2,
            "mean": m[0] * p0 + m[1] * p1 + m[2] * p2,
        }
    )


def share_sensitivity_grid(
    complex_shares: Sequence[float] | None = None,
    cvs: Sequence[float] = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5),
    caseload: int | Caseload | None = None,
    excesses: Sequence[float] = (0.10, 0.20),
    *,
    target_mean: float | None = None,
    points_per_sd: int = 20,
) -> pd.DataFrame:
    """Risk measures along the feasible line of shares, for the book's static sliders.

    Every row has the same mean cost per child (the target); the rows differ in how the
    children split between the needs groups and in the within-group spread.

    Parameters
    ----------
    complex_shares : sequence of float, optional
        Complex-needs shares to tabulate; default every 0.1 percentage point of the feasible
        range (0% to 3.8% with the sourced figures).
    cvs : sequence of float
        Within-group coefficients of variation, each > 0.
    caseload : int or Caseload, optional
        Default the draft contract's 100 plus or minus 10 (:func:`default_caseload`).
    excesses : sequence of float
        Overspends per child, as fractions of the mean, for the ``p_over_<percent>`` columns.
    target_mean : float, optional
        As in :func:`calibrate_shares`.
    points_per_sd : int, default 20
        Grid resolution of :func:`total_cost_distribution`.

    Returns
    -------
    pandas.DataFrame
        One row per (cv, complex share): ``cv``, ``complex_pct``, ``ebd_pct``, ``none_pct``
        (percent of children), ``mean``, ``sd_child``, ``p95_child``, ``p99_child`` (£ per
        child per year), ``practice_sd``, ``practice_p95``, ``practice_p99`` (£ per
        practice-year) and ``p_over_<k>`` (probability that a practice's cost per child is
        more than k% above the mean).
    """
    load = default_caseload() if caseload is None else _as_caseload(caseload)
    calib = calibrate_shares(target_mean, n_points=2)
    lo, hi = calib.complex_share_range
    if complex_shares is None:
        complex_shares = np.arange(math.ceil(lo * 1000 - 1e-9), math.floor(hi * 1000 + 1e-9) + 1) / 1000
    line = shares_for_complex_share(np.asarray(complex_shares, dtype=float), calib.target_mean)
    cv_values = [check_positive("cvs", v) for v in _as_tuple("cvs", cvs)]
    excess_values = [check_in_range("excesses", e, 0.0, None) for e in _as_tuple("excesses", excesses)]
    means = tuple(calib.group_means[g] for g in NEEDS_GROUPS)
    rows = []
    for cv in cv_values:
        for rec in line.itertuples(index=False):
            shares = tuple(float(getattr(rec, g)) for g in NEEDS_GROUPS)
            model = CostModel(NEEDS_GROUPS, means, shares, cv)
            dist = total_cost_distribution(model, load, points_per_sd=points_per_sd)
            p95, p99 = model.quantile(np.array([0.95, 0.99]))
            t95, t99 = dist.quantile(np.array([0.95, 0.99]))
            row = {
                "cv": cv,
                "complex_pct": round(100 * shares[2], 6),
                "ebd_pct": 100 * shares[1],
                "none_pct": 100 * shares[0],
                "mean": model.mean,
                "sd_child": model.std,
                "p95_child": float(p95),
                "p99_child": float(p99),
                "practice_sd": total_cost_moments(model, load).std,
                "practice_p95": float(t95),
                "practice_p99": float(t99),
            }
            for e in excess_values:
                row[f"p_over_{round(100 * e):d}"] = dist.prob_cost_per_child_exceeds(e)
            rows.append(row)
    return pd.DataFrame(rows)


def child_cost_density(model: CostModel, upper: float = 200_000.0, n_points: int = 201) -> pd.DataFrame:
    """Density of a child's annual cost by component, for a stacked chart.

    Returns
    -------
    pandas.DataFrame
        Long table: ``cost`` (£ per child per year), ``component``, ``density`` (the
        component's weight times its lognormal density, per £1,000, so the components add
        up to the mixture's density).
    """
    top = check_positive("upper", upper)
    n = check_integer("n_points", n_points, low=2)
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


def child_cost_percentiles(model: CostModel, qs: Sequence[float] = (0.05, 0.5, 0.95, 0.99)) -> pd.DataFrame:
    """Exact percentiles of a child's annual cost: ``percentile`` (%) and ``cost`` (£ per child per year)."""
    q = np.asarray([check_in_range("qs", v, 0.0, 1.0, low_open=True, high_open=True) for v in qs])
    return pd.DataFrame({"percentile": 100 * q, "cost": model.quantile(q)})


def practice_percentiles(
    model: CostModel,
    caseload: int | Caseload | None = None,
    qs: Sequence[float] = (0.05, 0.5, 0.95, 0.99),
) -> pd.DataFrame:
    """Percentiles of a practice's total annual cost, exact and by the normal approximation.

    Returns
    -------
    pandas.DataFrame
        ``percentile`` (%), ``exact`` (from :func:`total_cost_distribution`, £ per
        practice-year), ``normal`` (mean plus z times sd, £) and ``difference`` (exact minus
        normal, £).
    """
    load = default_caseload() if caseload is None else _as_caseload(caseload)
    q = np.asarray([check_in_range("qs", v, 0.0, 1.0, low_open=True, high_open=True) for v in qs])
    dist = total_cost_distribution(model, load)
    moments = total_cost_moments(model, load)
    exact = np.atleast_1d(dist.quantile(q))
    normal = moments.mean + special.ndtri(q) * moments.std
    return pd.DataFrame({"percentile": 100 * q, "exact": exact, "normal": normal, "difference": exact - normal})


def practice_density(
    model: CostModel,
    caseloads: Mapping[str, int | Caseload] | None = None,
    n_points: int = 241,
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

    Returns
    -------
    pandas.DataFrame
        Long table: ``caseload`` (label), ``method`` (``"exact"`` or ``"normal"``),
        ``total`` (£ million per practice-year) and ``density`` (per £ million).
    """
    if caseloads is None:
        base = default_caseload()
        caseloads = {
            f"{base.mean} ± {base.margin}, spread evenly": base,
            f"{base.mean} ± {base.margin}, bunched near {base.mean}": Caseload(base.mean, base.margin, "binomial"),
            f"fixed at {base.mean}": base.mean,
        }
    n = check_integer("n_points", n_points, low=2)
    dists = {label: total_cost_distribution(model, c) for label, c in caseloads.items()}
    lo = min(float(d.quantile(1e-4)) for d in dists.values())
    hi = max(float(d.quantile(1 - 1e-4)) for d in dists.values())
    x = np.linspace(lo, hi, n)
    frames = []
    for label, dist in dists.items():
        exact = np.interp(x, dist.grid, dist.density()) * 1e6
        moments = total_cost_moments(model, caseloads[label])
        z = (x - moments.mean) / moments.std
        normal = np.exp(-0.5 * z * z) / (math.sqrt(2 * math.pi) * moments.std) * 1e6
        frames.append(pd.DataFrame({"caseload": label, "method": "exact", "total": x / 1e6, "density": exact}))
        frames.append(pd.DataFrame({"caseload": label, "method": "normal", "total": x / 1e6, "density": normal}))
    return pd.concat(frames, ignore_index=True)


def exact_vs_simulated(
    model: CostModel,
    caseload: int | Caseload | None = None,
    *,
    n_children: int = 1_000_000,
    n_years: int = 100_000,
    seed: SeedLike = 2007,
) -> pd.DataFrame:
    """Exact figures against a simulation, with Monte Carlo standard errors.

    Child cost: mean, variance and 95th percentile from ``n_children`` simulated children.
    Practice total: mean, variance (and the two terms of ``E[N] var(c) + Var(N) mean(c)**2``)
    and 95th percentile from ``n_years`` simulated practice-years. The standard error of a
    simulated variance uses the sample's fourth central moment; that of a percentile is
    ``sqrt(q (1 - q) / n) / f(x_q)`` with the exact density ``f``.

    Returns
    -------
    pandas.DataFrame
        ``quantity``, ``exact``, ``simulated``, ``std_error`` and ``z`` (difference over
        standard error). The ``exact`` entry of a practice percentile comes from
        :func:`total_cost_distribution`.
    """
    load = default_caseload() if caseload is None else _as_caseload(caseload)
    n_children = check_integer("n_children", n_children, low=100)
    n_years = check_integer("n_years", n_years, low=100)
    rng = _rng(seed)
    rows: list[tuple[str, float, float, float]] = []

    def moments_rows(label: str, x: np.ndarray, mean: float, var: float) -> None:
        d = x - x.mean()
        m2 = float(np.mean(d * d))
        m4 = float(np.mean(d**4))
        rows.append((f"{label}: mean", mean, float(x.mean()), math.sqrt(m2 / x.size)))
        rows.append((f"{label}: variance", var, float(x.var()), math.sqrt((m4 - m2 * m2) / x.size)))

    child = model.sample(n_children, rng)
    moments_rows("Cost of a child", child, model.mean, model.variance)
    q95 = float(model.quantile(0.95))
    se95 = math.sqrt(0.95 * 0.05 / n_children) / float(model.pdf(q95))
    rows.append(("Cost of a child: 95th percentile", q95, float(np.quantile(child, 0.95)), se95))
    del child

    totals = draw_practice_children(model, load, n_years, rng).totals
    exact = total_cost_moments(model, load)
    moments_rows("Practice total", totals, exact.mean, exact.variance)
    dist = total_cost_distribution(model, load)
    t95 = float(dist.quantile(0.95))
    f95 = float(np.interp(t95, dist.grid, dist.density()))
    rows.append(
        ("Practice total: 95th percentile", t95, float(np.quantile(totals, 0.95)), math.sqrt(0.95 * 0.05 / n_years) / f95)
    )
    frame = pd.DataFrame(rows, columns=["quantity", "exact", "simulated", "std_error"])
    frame["z"] = (frame["simulated"] - frame["exact"]) / frame["std_error"]
    return frame


def variance_decomposition(model: CostModel, caseload: int | Caseload | None = None) -> pd.DataFrame:
    """The two terms of ``Var(S) = E[N] var(c) + Var(N) mean(c)**2`` and their sum.

    Returns
    -------
    pandas.DataFrame
        ``term``, ``variance`` (£²), ``sd`` (£, square root of the term) and ``share`` of the total.
    """
    load = default_caseload() if caseload is None else _as_caseload(caseload)
    costs_term = load.expected * model.variance
    count_term = load.variance * model.mean**2
    total = costs_term + count_term
    frame = pd.DataFrame(
        {
            "term": ["E[N] var(c): children's costs differ", "Var(N) mean(c)^2: the caseload varies", "Var(S)"],
            "variance": [costs_term, count_term, total],
        }
    )
    frame["sd"] = np.sqrt(frame["variance"])
    frame["share"] = frame["variance"] / total
    return frame


def tail_sensitivity(
    tail_share: float | None = None,
    tail_multiple: float | None = None,
    caseload: int | Caseload | None = None,
) -> pd.DataFrame:
    """The default model against one with a small exceptional-cost component, same average cost.

    Parameters
    ----------
    tail_share : float, optional
        Default the assumption ``tail_share_sensitivity`` (0.5% of children).
    tail_multiple : float, optional
        Default the assumption ``tail_multiple`` (three times the complex-needs cost).
    caseload : int or Caseload, optional
        Default the draft contract's 100 plus or minus 10.

    Returns
    -------
    pandas.DataFrame
        One row per model (``model``: ``"default"`` or ``"with exceptional children"``):
        ``tail_share``, the needs-group shares (``none``, ``ebd``, ``complex``, of all
        children), ``mean``, ``sd_child``, ``p99_child`` (£ per child per year),
        ``practice_sd``, ``practice_p95``, ``practice_p99`` (£ per practice-year),
        ``p_over_10``, ``p_over_20``.
    """
    t = assumption("tail_share_sensitivity") if tail_share is None else tail_share
    multiple = assumption("tail_multiple") if tail_multiple is None else tail_multiple
    load = default_caseload() if caseload is None else _as_caseload(caseload)
    models = {
        "default": default_cost_model(),
        "with exceptional children": default_cost_model(tail_share=t, tail_multiple=multiple),
    }
    rows = []
    for label, model in models.items():
        dist = total_cost_distribution(model, load)
        t95, t99 = dist.quantile(np.array([0.95, 0.99]))
        w = model.component_weights
        rows.append(
            {
                "model": label,
                "tail_share": model.tail_share,
                "none": float(w[0]),
                "ebd": float(w[1]),
                "complex": float(w[2]),
                "mean": model.mean,
                "sd_child": model.std,
                "p99_child": float(model.quantile(0.99)),
                "practice_sd": total_cost_moments(model, load).std,
                "practice_p95": float(t95),
                "practice_p99": float(t99),
                "p_over_10": dist.prob_cost_per_child_exceeds(0.10),
                "p_over_20": dist.prob_cost_per_child_exceeds(0.20),
            }
        )
    return pd.DataFrame(rows)


def target_sensitivity(
    targets: Sequence[float],
    caseload: int | Caseload | None = None,
) -> pd.DataFrame:
    """How the calibrated shares and the practice's risk depend on the average cost matched.

    For each target, the feasible range of the complex-needs share, the default shares (at
    the assumed position on the line) and the resulting spread and overspend risk.

    Parameters
    ----------
    targets : sequence of float
        Average costs per child to match, £ per year, each inside the range the group means
        allow (between £33,000 and £95,000 with the sourced figures).
    caseload : int or Caseload, optional
        Default the draft contract's 100 plus or minus 10.

    Returns
    -------
    pandas.DataFrame
        ``target`` (£), ``complex_low`` and ``complex_high`` (feasible range of the
        complex-needs share), ``none``, ``ebd``, ``complex`` (default shares), ``sd_child``
        (£), ``practice_sd`` (£), ``p_over_10`` and ``p_over_20``.
    """
    load = default_caseload() if caseload is None else _as_caseload(caseload)
    rows = []
    for target in _as_tuple("targets", targets):
        calib = calibrate_shares(target, n_points=2)
        model = default_cost_model(target_mean=target)
        dist = total_cost_distribution(model, load)
        rows.append(
            {
                "target": calib.target_mean,
                "complex_low": calib.complex_share_range[0],
                "complex_high": calib.complex_share_range[1],
                "none": model.shares[0],
                "ebd": model.shares[1],
                "complex": model.shares[2],
                "sd_child": model.std,
                "practice_sd": total_cost_moments(model, load).std,
                "p_over_10": dist.prob_cost_per_child_exceeds(0.10),
                "p_over_20": dist.prob_cost_per_child_exceeds(0.20),
            }
        )
    return pd.DataFrame(rows)


def _mix_row(label: str, model: CostModel, load: Caseload, known: str) -> dict:
    dist = total_cost_distribution(model, load)
    w = model.component_weights
    return {
        "mix": label,
        "none": float(w[0]),
        "ebd": float(w[1]),
        "complex": float(w[2]),
        "mean": model.mean,
        "sd_child": model.std,
        "practice_sd": total_cost_moments(model, load).std,
        "practice_cv": total_cost_moments(model, load).std / total_cost_moments(model, load).mean,
        "p_over_10": dist.prob_cost_per_child_exceeds(0.10),
        "p_over_20": dist.prob_cost_per_child_exceeds(0.20),
        "basis": known,
    }


def _needs_mixes() -> list[tuple[str, CostModel, str]]:
    a_lo, a, a_hi = assumption_range("additional_needs_share")
    c_lo, c, c_hi = assumption_range("complex_share")
    pct = lambda x: f"{100 * x:.0f}%"  # noqa: E731
    return [
        ("Central: 45% with additional needs", default_cost_model(),
         f"{pct(a)} with a mental disorder (national survey, 2002); {pct(c)} complex (assumption)"),
        ("Fewer: 37% with additional needs", default_cost_model(additional_share=a_lo),
         f"{pct(a_lo)} with a conduct disorder (same survey)"),
        ("More: 55% with additional needs", default_cost_model(additional_share=a_hi),
         "the survey's 45% plus children who offend without a diagnosis (assumption)"),
        ("Older children: 55% and 6% complex", default_cost_model(additional_share=a_hi, complex_share=c_hi),
         "high ends of both ranges: a scenario for teenagers and care leavers"),
        ("Census calibration: matches £35,360", default_cost_model(mix="census"),
         "shares chosen so the average is the census figure (middle of the feasible line)"),
    ]


def needs_mix_models() -> dict[str, CostModel]:
    """The needs mixes of :func:`needs_mix_table`, in its order: ``{label: CostModel}``.

    The central mix first, then the low and high ends of the additional-needs share, the
    older-children scenario and the census calibration; each a
    :func:`default_cost_model` (no shared shock).
    """
    return {label: model for label, model, _ in _needs_mixes()}


def needs_mix_table(caseload: int | Caseload | None = None) -> pd.DataFrame:
    """The central needs mix next to what is known, with the other readings and the practice's risk under each.

    Rows: the central mix (45% with additional needs, 3% complex); the low and high ends of
    the additional-needs share (37%, 55%); the high end of both shares, standing for the
    older children a practice would take (a labelled scenario); and the census calibration
    (the mix that matches £35,360, almost every child in the cheapest group).

    Returns
    -------
    pandas.DataFrame
        ``mix`` (label), ``none``, ``ebd``, ``complex`` (shares of all children), ``mean``,
        ``sd_child`` (£ per child per year), ``practice_sd`` (£ per practice-year),
        ``practice_cv``, ``p_over_10``, ``p_over_20`` (chance the practice's cost per child
        is more than 10% / 20% above its mean) and ``basis`` (what the mix rests on).
    """
    load = default_caseload() if caseload is None else _as_caseload(caseload)
    return pd.DataFrame([_mix_row(label, model, load, basis) for label, model, basis in _needs_mixes()])


def needs_mix_page_table(frame: pd.DataFrame | None = None) -> "Table":
    """:func:`needs_mix_table` formatted for the page."""
    from .tables import Table, fmt_gbp

    frame = needs_mix_table() if frame is None else frame
    out = pd.DataFrame({
        "Needs mix": frame["mix"],
        "No additional needs / EBD or offending / complex": [
            " / ".join(f"{100 * r[g]:.0f}%" for g in ("none", "ebd", "complex")) for _, r in frame.iterrows()],
        "Mean cost of a child": frame["mean"].map(fmt_gbp),
        "Practice: sd of the year's cost": frame["practice_sd"].map(lambda x: f"£{x / 1e3:,.0f}k"),
        "Chance of a 10% overspend per child": frame["p_over_10"].map(fmt_chance),
        "What it rests on": frame["basis"],
    })
    return Table(out, caption="Needs mixes: the central case, its range, a scenario for older children and the census calibration",
                 notes=("Practice of 100 ± 10 children, within-group CV 0.5, no shared shock. Group costs: Le Grand (2007) "
                        "s.6.1.5; survey: Meltzer and others (2003). Exact (FFT)."))


def overhead_check() -> pd.DataFrame:
    """The central mix's mean cost against the census average and against councils' spending plus staff cost.

    Councils' net spending per looked-after child (2005-06) leaves out social workers'
    salaries and assessment; adding a practice's running cost per child (chapter 4,
    :func:`swp_models.practice.summary`) puts a social-work cost back.

    Returns
    -------
    pandas.DataFrame
        ``measure`` and ``value`` (£ per child per year), in the order shown on the page.
    """
    from .practice import summary

    spend = spend_per_looked_after_child().set_index("year").loc["2005-06", "per_child"]
    staff = float(summary()["cost_per_child"])
    rows = [
        ("Councils' net spending per looked-after child, 2005-06 (no social-work salaries)", float(spend)),
        ("... plus a practice's running cost per child (chapter 4)", float(spend) + staff),
        ("Census average stated in the report, 2005", census_average_cost()),
        ("Central needs mix at the research's group costs (include social work and overheads)",
         default_cost_model().mean),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])


def shock_pooling_table(
    model: CostModel | None = None,
    sizes: Sequence[int] = (100, 1000, 5000),
    shock_cvs: Sequence[float] | None = None,
    excess: float = 0.10,
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

    Returns
    -------
    pandas.DataFrame
        ``shock_cv``, ``children``, ``p_exact``, ``p_shock_alone`` (the floor's limit) and
        ``relative_spread`` (coefficient of variation of the average cost per child).
    """
    base = default_cost_model() if model is None else model
    if shock_cvs is None:
        shock_cvs = (0.0, default_shock_cv("low"), default_shock_cv(), default_shock_cv("high"))
    rows = []
    for cv in _as_tuple("shock_cvs", shock_cvs):
        m = base.with_shock(check_in_range("shock_cvs", cv, 0.0, 1.0))
        curve = pooling_curve(m, sizes, (excess,))
        for rec in curve.itertuples(index=False):
            rows.append({"shock_cv": float(cv), "children": int(rec.children), "p_exact": float(rec.p_exact),
                         "p_shock_alone": float(rec.p_shock_alone), "relative_spread": float(rec.cv_cost_per_child)})
    return pd.DataFrame(rows)


def mix_sensitivity_grid(
    additional_shares: Sequence[float] = (0.37, 0.40, 0.43, 0.45, 0.49, 0.52, 0.55),
    complex_shares: Sequence[float] = (0.01, 0.02, 0.03, 0.04, 0.05, 0.06),
    cvs: Sequence[float] = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5),
    caseload: int | Caseload | None = None,
    *,
    points_per_sd: int = 20,
) -> pd.DataFrame:
    """Risk measures over the needs mix and the within-group spread, for the book's static sliders.

    Returns
    -------
    pandas.DataFrame
        One row per (cv, additional share, complex share): ``cv``, ``additional_pct``,
        ``complex_pct``, ``mean`` and ``sd_child`` (£ per child per year), ``practice_sd``
        and ``practice_p95`` (£ per practice-year), ``p_over_10`` and ``p_over_20``.
    """
    load = default_caseload() if caseload is None else _as_caseload(caseload)
    rows = []
    for cv in [check_positive("cvs", v) for v in _as_tuple("cvs", cvs)]:
        for a in _as_tuple("additional_shares", additional_shares):
            for c in _as_tuple("complex_shares", complex_shares):
                model = default_cost_model(cv=cv, additional_share=a, complex_share=c)
                dist = total_cost_distribution(model, load, points_per_sd=points_per_sd)
                rows.append({
                    "cv": float(cv), "additional_pct": round(100 * a, 6), "complex_pct": round(100 * c, 6),
                    "mean": model.mean, "sd_child": model.std,
                    "practice_sd": total_cost_moments(model, load).std,
                    "practice_p95": float(dist.quantile(0.95)),
                    "p_over_10": dist.prob_cost_per_child_exceeds(0.10),
                    "p_over_20": dist.prob_cost_per_child_exceeds(0.20),
                })
    return pd.DataFrame(rows)


def _sci(x: float) -> str:
    """``4.251 × 10⁸`` for a large number (four significant figures)."""
    exponent = int(math.floor(math.log10(abs(x)))) if x else 0
    sup = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{x / 10**exponent:.3f} × 10{sup}"


def exact_vs_simulated_table(check: pd.DataFrame) -> pd.DataFrame:
    """:func:`exact_vs_simulated` formatted for the page: money in £, variances in £², z to two decimals."""

    def money(quantity: str, x: float) -> str:
        return f"{_sci(x)} £²" if "variance" in quantity else f"£{x:,.0f}"

    return pd.DataFrame(
        {
            "Quantity": check["quantity"],
            "Exact": [money(q, x) for q, x in zip(check["quantity"], check["exact"])],
            "Simulated": [money(q, x) for q, x in zip(check["quantity"], check["simulated"])],
            "Standard error": [money(q, x) for q, x in zip(check["quantity"], check["std_error"])],
            "Difference / SE": [f"{z:+.2f}" for z in check["z"]],
        }
    )


def tail_sensitivity_table(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`tail_sensitivity` formatted for the page, one row per measure and one column per model."""
    frame = tail_sensitivity() if frame is None else frame
    rows = [
        ("Exceptional children (share of all)", "tail_share", lambda x: f"{100 * x:.1f}%"),
        ("No additional needs", "none", lambda x: f"{100 * x:.1f}%"),
        ("EBD or offending", "ebd", lambda x: f"{100 * x:.1f}%"),
        ("Complex needs", "complex", lambda x: f"{100 * x:.1f}%"),
        ("Mean cost of a child", "mean", lambda x: f"£{x:,.0f}"),
        ("Standard deviation of a child's cost", "sd_child", lambda x: f"£{x:,.0f}"),
        ("99th percentile of a child's cost", "p99_child", lambda x: f"£{x:,.0f}"),
        ("Standard deviation of the practice's cost", "practice_sd", lambda x: f"£{x:,.0f}"),
        ("99th percentile of the practice's cost", "practice_p99", lambda x: f"£{x / 1e6:.2f}m"),
        ("Chance cost per child is more than 10% over", "p_over_10", fmt_chance),
        ("Chance cost per child is more than 20% over", "p_over_20", fmt_chance),
    ]
    out = {"Measure": [label for label, _, _ in rows]}
    for rec in frame.itertuples(index=False):
        out[str(rec.model).capitalize()] = [fmt(getattr(rec, col)) for _, col, fmt in rows]
    return pd.DataFrame(out)


def fmt_chance(p: float) -> str:
    """A probability in words for the page: ``'5.0%'``, ``'0.13%'``, ``'1 in 4.2 million'``.

    At least 1%: a percentage with one decimal; 0.1% to 1%: two decimals; below that, "1 in N"
    with N to two significant figures; below :data:`GRID_NOISE`: "below 1 in 10 billion".
    """
    p = check_probability("p", p)
    if p >= 0.01:
        return f"{100 * p:.1f}%"
    if p >= 0.001:
        return f"{100 * p:.2f}%"
    if p < GRID_NOISE:
        return "below 1 in 10 billion"
    n = float(f"{1 / p:.2g}")
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if n >= size:
            value = n / size
            return f"1 in {value:,.0f} {word}" if value >= 10 else f"1 in {value:.2g} {word}"
    return f"1 in {n:,.0f}"


def key_results() -> "Table":
    """Chapter 3's key-results table, every figure read from ``data/`` or computed from it."""
    from .tables import fmt_gbp, fmt_int, fmt_pct
    from .tables import key_results as table

    census = census_reconciliation().set_index("group")
    lac = census.loc["looked_after"]
    index = needs_index_check().set_index("needs_group")
    model = default_cost_model()
    load = default_caseload()
    moments = total_cost_moments(model, load)
    dist = total_cost_distribution(model, load)
    t05, t95 = dist.quantile(np.array([0.05, 0.95]))
    mixes = needs_mix_table(load)
    check = overhead_check().set_index("measure")["value"]
    shock = shock_pooling_table(model, (100, 1000)).set_index(["shock_cv", "children"])["p_exact"]
    lo_cv, mid_cv, hi_cv = default_shock_cv("low"), default_shock_cv(), default_shock_cv("high")
    shares = " / ".join(fmt_pct(100 * s, 0) for s in model.shares)
    p10 = mixes["p_over_10"]

    return table(
        [
            ("Looked-after children: a year at the census week's cost per child, against the report's annual average",
             f"{fmt_gbp(lac['annualised_per_child'])} against {fmt_gbp(lac['stated_annual_per_child'])} "
             f"(the average is {fmt_pct(lac['gap_percent'], 1)} higher)",
             "Le Grand (2007) s.6.1.5; computed here"),
            ("Looked-after children the stated average implies for the week's £44.9m",
             f"{fmt_int(lac['implied_children'])} ({fmt_pct(100 * lac['implied_share'])} of {fmt_int(lac['children'])})",
             "computed here"),
            ("Cost Calculator index for EBD, offending, and both (no additional needs = 100)",
             f"{fmt_int(index.loc['ebd', 'index'])}, {fmt_int(index.loc['offending', 'index'])} and "
             f"{fmt_int(index.loc['ebd_offending', 'index'])}",
             "Soper and Lam, Cost Calculator slides"),
            ("Needs mix of the central case: no additional needs / EBD or offending / complex needs",
             shares,
             "45% of looked-after children had a mental disorder (national survey, 2002)",
             "shares with additional and complex needs (assumptions anchored on the survey)"),
            ("Mean cost of a child with that mix, against councils' spending plus a practice's staff cost per child",
             f"{fmt_gbp(model.mean)} against {fmt_gbp(check.iloc[1])} (census average {fmt_gbp(check.iloc[2])})",
             "group costs: Le Grand (2007) s.6.1.5; spending: written answers; computed here",
             "the needs mix"),
            ("Practice of 100 ± 10 children: expected annual cost, with 5th and 95th percentiles",
             f"{fmt_gbp(moments.mean / 1e6, 2)}m ({fmt_gbp(t05 / 1e6, 2)}m to {fmt_gbp(t95 / 1e6, 2)}m)",
             "model, exact",
             "needs mix; spread of cost within a group"),
            ("Chance a practice's cost per child is more than 10% over its mean, across the needs mixes shown",
             f"{fmt_chance(float(p10.min()))} to {fmt_chance(float(p10.max()))} (central {fmt_chance(float(p10.iloc[0]))})",
             "model, exact",
             "spread of cost within a group (the mix matters little)"),
            ("The same chance for a council of 1,000 children, with a shared yearly cost shock of 2%, 5% and 10%",
             f"{fmt_chance(shock[(lo_cv, 1000)])}, {fmt_chance(shock[(mid_cv, 1000)])} and "
             f"{fmt_chance(shock[(hi_cv, 1000)])} (without any shock {fmt_chance(shock[(0.0, 1000)])})",
             "model, exact",
             "size of the shared shock"),
            ("Relative spread of a council's cost per child however many children it has",
             f"never below the shared shock: at least {fmt_pct(100 * mid_cv)} a year on the central assumption",
             "model, exact",
             "size of the shared shock (2% to 10%)"),
        ],
        caption="Key results: what a child in care costs, and what a practice of 100 children faces",
    )


__all__ += [
    "needs_mix_models",
    "GRID_NOISE",
    "TotalCostDistribution",
    "total_cost_distribution",
    "pooling_curve",
    "GRID_MAX_POINTS",
    "MAX_CAPACITY",
    "exact_caseload_limit",
    "census_reconciliation",
    "census_arithmetic_table",
    "census_implied_children",
    "census_2003_basis",
    "spend_per_looked_after_child",
    "needs_index_check",
    "report_ratios",
    "shares_for_complex_share",
    "share_sensitivity_grid",
    "child_cost_density",
    "child_cost_percentiles",
    "practice_percentiles",
    "practice_density",
    "exact_vs_simulated",
    "variance_decomposition",
    "tail_sensitivity",
    "target_sensitivity",
    "fmt_chance",
    "exact_vs_simulated_table",
    "tail_sensitivity_table",
    "key_results",
    "prevalence_shares",
    "default_shock_cv",
    "assumption_range",
    "relative_spread",
    "shock_exceedance",
    "needs_mix_table",
    "needs_mix_page_table",
    "overhead_check",
    "shock_pooling_table",
    "mix_sensitivity_grid",
]
