"""Risk and incentive: the risk premium, effort and the optimal cost share (chapter 5).

The practice has constant absolute risk aversion ``r`` per £, given everywhere as its risk
tolerance ``1/r`` in £ (:func:`~swp_models.contracts.risk_aversion`), and values a surplus at its certainty
equivalent ``-ln E[exp(-r pi)] / r``; the council is risk neutral. Effort ``e`` cuts
expected cost by a fraction ``e`` at a private cost ``k e**2 m / 2``; a practice bearing a
share ``s`` of cost chooses ``e = s / k`` (Holmström and Milgrom 1987; Laffont and Tirole
1993). The closed forms here are checked against simulation in the tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Real
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import optimize, special

from ..validation import (
    check_amounts,
    check_effort_cost,
    check_finite,
    check_finite_array,
    check_probability,
    check_flag,
    check_in_range,
    check_instance,
    check_nonnegative,
    check_positive,
    check_shares,
)
from .years import PracticeYears

__all__ = [
    "risk_aversion",
    "risk_premium",
    "effort_level",
    "council_expected_cost",
    "optimal_share",
    "OptimalShare",
    "simulated_optimal_share",
]


def risk_aversion(risk_tolerance: float) -> float:
    """The coefficient of absolute risk aversion ``r = 1 / risk_tolerance``, per £.

    Parameters
    ----------
    risk_tolerance : float
        The practice's risk tolerance ``1/r``, £, at least £1; ``math.inf`` for a
        risk-neutral practice (``r = 0``). Risk attitude is given in this one way
        throughout the package: a practice with a tolerance of £250,000 values a 50:50
        chance of gaining or losing £100,000 at about £20,000 below its average.

    Returns
    -------
    float
        ``r`` per £, >= 0.
    """
    if isinstance(risk_tolerance, bool) or not isinstance(risk_tolerance, (Real, np.floating, np.integer)):
        raise TypeError(f"risk_tolerance must be a number of £ (at least 1, or math.inf); got {risk_tolerance!r}")
    t = float(risk_tolerance)
    if t == math.inf:
        return 0.0
    return 1.0 / check_in_range("risk_tolerance", t, 1.0, None)


def risk_premium(surplus: np.ndarray, risk_tolerance: float, exact: bool = True) -> float:
    """What a practice with CARA risk aversion would give up to remove the risk in ``surplus``.

    Parameters
    ----------
    surplus : array-like
        Simulated surpluses, £.
    risk_tolerance : float
        The practice's risk tolerance ``1/r``, £ (>= 1; ``math.inf``: risk-neutral);
        see :func:`risk_aversion`.
    exact : bool, default True
        ``True``: ``E[pi] - CE`` with certainty equivalent ``CE = -ln E[exp(-r pi)] / r``,
        computed stably as ``(logsumexp(-r (pi - mean)) - ln n) / r``. ``False``: the
        mean-variance approximation ``r Var(pi) / 2`` (population variance).

    Returns
    -------
    float
        £ per practice-year; 0 for a risk-neutral practice.
    """
    arr = check_amounts("surplus", surplus)
    r = risk_aversion(risk_tolerance)
    exact = check_flag("exact", exact)
    if r == 0:
        return 0.0
    centred = arr - arr.mean()
    if not exact:
        return float(r * np.mean(centred * centred) / 2.0)
    return float((special.logsumexp(-r * centred) - math.log(arr.size)) / r)


def effort_level(share: float | np.ndarray, effort_cost: float) -> float | np.ndarray:
    """Effort a practice bearing cost share ``s`` chooses: ``e* = s / k``.

    The practice maximises ``s e m - k e**2 m / 2``. ``effort_cost`` (``k``) must be at
    least 1, so that ``e* <= 1`` for every share (effort cannot cut more than all cost).
    """
    s = check_shares("share", share)
    k = check_effort_cost("effort_cost", effort_cost)
    out = s / k
    return float(out) if out.ndim == 0 else out


def council_expected_cost(
    share: float | np.ndarray,
    mean_cost: float,
    var_cost: float,
    risk_tolerance: float,
    effort_cost: float,
) -> float | np.ndarray:
    """Council's expected total cost of a cost-sharing contract with share ``s`` (closed form).

    ``m (1 - s/k) + m s**2 / (2k) + r s**2 var / 2``: expected cost after the practice's
    effort ``e = s/k``, plus the effort cost and the risk premium the council must pay for
    the practice to take part (participation constraint binding; mean-variance risk
    premium on the unscaled cost variance, hence approximate). Vectorised over ``share``.

    Parameters
    ----------
    share : float or numpy.ndarray
        ``s`` in [0, 1].
    mean_cost : float
        ``m``, expected total cost without effort, £ per practice-year, > 0.
    var_cost : float
        ``Var(C)``, £², >= 0.
    risk_tolerance : float
        ``1/r``, £ (see :func:`risk_aversion`).
    effort_cost : float
        ``k`` >= 1.
    """
    s = check_shares("share", share)
    m = check_positive("mean_cost", mean_cost)
    v = check_nonnegative("var_cost", var_cost)
    r = risk_aversion(risk_tolerance)
    k = check_effort_cost("effort_cost", effort_cost)
    out = m * (1 - s / k) + m * s**2 / (2 * k) + r * s**2 * v / 2
    return float(out) if out.ndim == 0 else out


def optimal_share(mean_cost: float, var_cost: float, risk_tolerance: float, effort_cost: float) -> float:
    """Cost share minimising :func:`council_expected_cost`: ``s* = 1 / (1 + r k var / m)``.

    Holmström and Milgrom (1987); Laffont and Tirole (1993). Always in (0, 1]. Arguments
    as :func:`council_expected_cost` (``risk_tolerance`` ``1/r`` in £).
    """
    m = check_positive("mean_cost", mean_cost)
    v = check_nonnegative("var_cost", var_cost)
    r = risk_aversion(risk_tolerance)
    k = check_effort_cost("effort_cost", effort_cost)
    return 1.0 / (1.0 + r * k * v / m)


@dataclass(frozen=True)
class OptimalShare:
    """The cost share that minimises the council's expected total cost, by simulation.

    Attributes
    ----------
    share : float
        Simulated optimum (grid minimum refined by a bounded scalar search).
    council_cost : float
        Council's expected total cost at that share, £ per practice-year.
    closed_form_share : float
        :func:`optimal_share` with the simulated mean and variance of cost.
    grid : pandas.DataFrame
        One row per share on the grid: ``share``, ``effort``, ``expected_cost``
        (after effort), ``effort_cost``, ``risk_premium_exact``, ``risk_premium_approx``,
        ``council_cost`` (simulated, exact premium), ``council_cost_closed_form``.
    """

    share: float
    council_cost: float
    closed_form_share: float
    grid: pd.DataFrame

    def __post_init__(self) -> None:
        object.__setattr__(self, "share", check_probability("share", self.share))
        object.__setattr__(self, "council_cost", check_finite("council_cost", self.council_cost))
        object.__setattr__(self, "closed_form_share", check_probability("closed_form_share", self.closed_form_share))
        check_instance("grid", self.grid, pd.DataFrame, "pandas DataFrame")


def simulated_optimal_share(
    years: PracticeYears,
    risk_tolerance: float,
    effort_cost: float,
    shares: Sequence[float] | np.ndarray | None = None,
) -> OptimalShare:
    """Search cost shares on simulated practice-years, with effort and the exact risk premium.

    For each share ``s`` the practice's effort is ``e = s/k``, every cost is scaled by
    ``1 - e``, and the council's expected total cost is
    ``(1 - e) E[C] + k e**2 E[C] / 2 + RP_exact(s (1 - e) C)``, the participation
    constraint binding. Unlike the closed form, this scales the variance by ``(1 - e)**2``
    and uses the exact CARA premium, which is larger for right-skewed costs.

    Parameters
    ----------
    years : PracticeYears
    risk_tolerance : float
        ``1/r``, £ (see :func:`risk_aversion`).
    effort_cost : float
        ``k`` >= 1.
    shares : array-like, optional
        Grid of shares in [0, 1], 2 to 10,001 of them; default 101 points from 0 to 1.
    """
    check_instance("years", years, PracticeYears, "PracticeYears")
    r = risk_aversion(risk_tolerance)
    k = check_effort_cost("effort_cost", effort_cost)
    grid = np.linspace(0.0, 1.0, 101) if shares is None else \
        check_shares("shares", check_finite_array("shares", shares, min_len=2, max_len=10_001)).ravel()
    if grid.size < 2:
        raise ValueError(f"shares must hold at least two values; got {grid.size}")
    grid = np.unique(grid)
    totals = years.totals
    m = float(totals.mean())
    var = float(totals.var())
    centred = totals - m

    def parts(s: float) -> tuple[float, float, float, float, float]:
        e = s / k
        exp_cost = (1 - e) * m
        eff = k * e * e * m / 2
        rp = risk_premium(-s * (1 - e) * centred, risk_tolerance, exact=True)
        rp_approx = r * (s * (1 - e)) ** 2 * var / 2
        return e, exp_cost, eff, rp, rp_approx

    def council(s: float) -> float:
        _, exp_cost, eff, rp, _ = parts(s)
        return exp_cost + eff + rp

    rows = []
    for s in grid:
        e, exp_cost, eff, rp, rp_approx = parts(float(s))
        rows.append(
            {
                "share": float(s),
                "effort": e,
                "expected_cost": exp_cost,
                "effort_cost": eff,
                "risk_premium_exact": rp,
                "risk_premium_approx": rp_approx,
                "council_cost": exp_cost + eff + rp,
            }
        )
    table = pd.DataFrame(rows)
    table["council_cost_closed_form"] = council_expected_cost(table["share"].to_numpy(), m, var, risk_tolerance, k)
    i = int(table["council_cost"].idxmin())
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    best_s, best_c = float(grid[i]), float(table["council_cost"].iloc[i])
    if hi > lo:
        res = optimize.minimize_scalar(council, bounds=(lo, hi), method="bounded", options={"xatol": 1e-6})
        if res.fun <= best_c:
            best_s, best_c = float(res.x), float(res.fun)
    return OptimalShare(best_s, best_c, optimal_share(m, var, risk_tolerance, k), table)
