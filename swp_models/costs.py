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
    check_in_range,
    check_integer,
    check_one_of,
    check_positive,
    check_probability,
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

SeedLike = int | np.random.Generator | None


def _rng(seed: SeedLike) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        raise ValueError("seed must be an integer or a numpy Generator; got None (results must be reproducible)")
    return np.random.default_rng(check_integer("seed", seed, low=0))


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


def default_cost_model(
    *,
    target_mean: float | None = None,
    cv: float | Sequence[float] | None = None,
    tail_share: float | None = None,
    tail_multiple: float | None = None,
    position: float | None = None,
) -> CostModel:
    """The book's cost model: sourced group means, calibrated shares, assumed spread.

    Each argument left as ``None`` takes its default: the census average for
    ``target_mean`` and the rows of ``data/assumptions_costs.csv`` for the rest
    (``within_group_cv``, ``tail_share``, ``tail_multiple``, ``complex_share_position``).
    """
    t = assumption("tail_share") if tail_share is None else tail_share
    multiple = assumption("tail_multiple") if tail_multiple is None else tail_multiple
    spread = assumption("within_group_cv") if cv is None else cv
    calib = calibrate_shares(target_mean, tail_share=t, tail_multiple=multiple, position=position)
    return CostModel(
        groups=NEEDS_GROUPS,
        means=tuple(calib.group_means[g] for g in NEEDS_GROUPS),
        shares=tuple(calib.default[g] for g in NEEDS_GROUPS),
        cv=spread,
        tail_share=t,
        tail_multiple=multiple,
    )


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


def _as_caseload(caseload: int | Caseload) -> Caseload:
    if isinstance(caseload, Caseload):
        return caseload
    return Caseload(mean=check_integer("caseload", caseload, low=1))


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
    """Exact mean and variance of a practice's total cost ``S = c_1 + ... + c_N``.

    ``E[S] = E[N] mean(c)`` and ``Var(S) = E[N] var(c) + Var(N) mean(c)**2`` (the law of
    total variance, costs independent of each other and of ``N``).
    """
    load = _as_caseload(caseload)
    return TotalCostMoments(
        mean=load.expected * model.mean,
        variance=load.expected * model.variance + load.variance * model.mean**2,
    )


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


def draw_practice_children(
    model: CostModel, caseload: int | Caseload, n_years: int, rng: np.random.Generator
) -> PracticeChildren:
    """Draw the children of ``n_years`` independent practice-years.

    Per year: the caseload ``N``; the number of children in each component,
    multinomial with ``N`` trials and the component weights (the same in distribution as
    drawing each child's component independently); then one standard normal per child,
    turned into a lognormal cost. Random numbers are taken from ``rng`` in that order.
    """
    load = _as_caseload(caseload)
    n_years = check_integer("n_years", n_years, low=1)
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
        Practice-years, >= 1.
    seed : int or numpy.random.Generator

    Returns
    -------
    pandas.DataFrame
        One row per practice-year: ``children`` (count), ``total_cost`` (£ per year),
        ``cost_per_child`` (£ per child per year) and ``n_<component>`` (children in each
        component). The same seed gives the same children as
        :func:`swp_models.contracts.simulate_practice_years`.
    """
    sims = draw_practice_children(model, caseload, n_sims, _rng(seed))
    frame = pd.DataFrame({"children": sims.counts, "total_cost": sims.totals})
    frame["cost_per_child"] = sims.totals / sims.counts
    for k, name in enumerate(model.components):
        frame[f"n_{name}"] = sims.component_counts[:, k]
    return frame


# ---------------------------------------------------------------------------------------
# Pooling
# ---------------------------------------------------------------------------------------

_POOLING_METHODS = ("normal", "simulate")
_CHUNK_CHILDREN = 2_000_000


def _simulated_exceedance(model: CostModel, n: int, excess: float, n_sims: int, rng: np.random.Generator) -> float:
    limit = (1.0 + excess) * model.mean * n
    per_chunk = max(1, _CHUNK_CHILDREN // n)
    hits, done = 0, 0
    while done < n_sims:
        size = min(per_chunk, n_sims - done)
        sims = draw_practice_children(model, n, size, rng)
        hits += int((sims.totals > limit).sum())
        done += size
    return hits / n_sims


def prob_cost_per_child_exceeds(
    model: CostModel,
    n: int,
    excess: float = 0.10,
    method: str = "normal",
    *,
    n_sims: int = 4000,
    seed: SeedLike = 0,
) -> float:
    """Probability that the average cost of ``n`` children exceeds the mean by more than ``excess``.

    Parameters
    ----------
    model : CostModel
    n : int
        Number of children pooled (a practice of 100, a council of 1,000 or 5,000), >= 1.
    excess : float, default 0.10
        Overshoot as a fraction of the mean cost per child, >= 0.
    method : str
        ``"normal"`` or ``"simulate"``. ``"normal"``: the central-limit approximation
        ``1 - Phi(excess * mean * sqrt(n) / sd)``, which understates the chance for small
        ``n`` because costs are skewed to the right. ``"simulate"``: the share of
        ``n_sims`` simulated pools (drawn in chunks, fixed ``seed``) that overshoot.
    """
    n = check_integer("n", n, low=1)
    excess = check_in_range("excess", excess, 0.0, None)
    check_one_of("method", method, _POOLING_METHODS)
    if method == "normal":
        z = excess * model.mean * math.sqrt(n) / model.std
        return float(special.ndtr(-z))
    n_sims = check_integer("n_sims", n_sims, low=1)
    return _simulated_exceedance(model, n, excess, n_sims, _rng(seed))


def pooling_table(
    model: CostModel,
    sizes: Sequence[int] = (100, 1000, 5000),
    excess: float = 0.10,
    *,
    n_sims: int = 4000,
    seed: SeedLike = 0,
) -> pd.DataFrame:
    """How pooling shrinks risk: for each pool size, the sd of the average cost and the overshoot chance.

    Returns
    -------
    pandas.DataFrame
        Columns ``children``, ``sd_cost_per_child`` (£), ``cv_cost_per_child``,
        ``p_exceed_normal``, ``p_exceed_simulated`` and ``se_simulated`` (its Monte Carlo
        standard error).
    """
    rng = _rng(seed)
    rows = []
    for n in sizes:
        n = check_integer("sizes", n, low=1)
        p_sim = _simulated_exceedance(model, n, check_in_range("excess", excess, 0.0, None), n_sims, rng)
        rows.append(
            {
                "children": n,
                "sd_cost_per_child": model.std / math.sqrt(n),
                "cv_cost_per_child": model.cv_overall / math.sqrt(n),
                "p_exceed_normal": prob_cost_per_child_exceeds(model, n, excess, "normal"),
                "p_exceed_simulated": p_sim,
                "se_simulated": math.sqrt(p_sim * (1 - p_sim) / n_sims),
            }
        )
    return pd.DataFrame(rows)
