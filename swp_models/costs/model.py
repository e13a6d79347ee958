"""The cost model of one child in care: a mixture over needs groups, lognormal within each group.

:class:`CostModel` gives the annual cost of one looked-after child as a mixture over the needs
groups of Ward and colleagues, lognormal within each group with a stated coefficient of
variation, with an optional small *exceptional* component and an optional shared yearly shock.
Mean, variance, CDF, quantiles and partial expectations are exact; sampling is vectorised.

Units: every cost is in £ (GBP) per child per year.

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
from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import special

from ..validation import (
    MAX_CELLS,
    check_in_range,
    check_instance,
    check_integer,
    check_one_of,
    check_positive,
    check_probability,
    check_size,
)

__all__ = ["NEEDS_GROUPS", "EXCEPTIONAL", "CostModel", "as_generator"]


#: Needs groups of Ward and colleagues, in order of rising cost (names as in ``cost_by_needs_2005``).
NEEDS_GROUPS: tuple[str, ...] = ("no_additional_needs", "ebd_or_offending", "complex_needs")


#: Name of the optional exceptional-cost component.
EXCEPTIONAL = "exceptional"


_SHARE_TOLERANCE = 1e-9

SeedLike = int | np.random.Generator | None


def as_generator(seed: SeedLike) -> np.random.Generator:
    """The random generator a simulation draws from: ``seed`` itself if it is a generator, else a new one.

    Parameters
    ----------
    seed : int or numpy.random.Generator
        A whole number >= 0 (``numpy.random.default_rng(seed)``) or a generator, used as given. None
        is refused: every simulation in the book is reproducible.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None:
        raise ValueError("seed must be an integer or a numpy Generator; got None (results must be reproducible)")
    return np.random.default_rng(check_integer("seed", seed, low=0))


def _check_model(model: object, name: str = "model") -> "CostModel":
    """Refuse anything but a :class:`CostModel` with a :class:`TypeError` naming ``name``."""
    return check_instance(name, model, CostModel, "CostModel")


def _check_array(name: str, value: object, ndim: int, *, allow_empty: bool = False) -> np.ndarray:
    """A numeric numpy array of ``ndim`` dimensions (a field of a result object), refused by name otherwise."""
    check_instance(name, value, np.ndarray, "numpy array")
    if value.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-dimensional array; got shape {value.shape}")
    if not allow_empty and value.size == 0:
        raise ValueError(f"{name} must not be empty")
    if value.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold numbers; got dtype {value.dtype}")
    if value.dtype.kind == "f" and not np.isfinite(value).all():
        raise ValueError(f"{name} must hold finite numbers; got NaN or infinity")
    return value


def _as_tuple(name: str, values: object) -> tuple:
    if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
        raise ValueError(f"{name} must be a sequence; got {values!r}")
    return tuple(values.tolist() if isinstance(values, np.ndarray) else values)


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
        n = check_size("n", n, MAX_CELLS, low=0)
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
            Number of children, in [0, :data:`~swp_models.validation.MAX_CELLS`].
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
        n = check_size("n", n, MAX_CELLS, low=0)
        rng = as_generator(seed)
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

