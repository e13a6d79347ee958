"""The total-cost distribution at every input it accepts: the documented accuracy, or a named refusal.

The grid distribution (:func:`swp_models.costs.total_cost_distribution`) is checked here against
independent computations of the exact distribution: one child's exact CDF inverted by root finding;
two children's CDF by numerical integration over one child's normal variable; one child under the
shared shock by integration over the shock. The checks sit at the edges of what is accepted: the
lowest level each distribution gives, and the widest spread each model check lets through.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from scipy import integrate, optimize

from swp_models import costs
from swp_models.costs import NEEDS_GROUPS, CostModel, total_cost_distribution, total_cost_moments
from swp_models.costs import distribution as dist_mod

MEANS = (33e3, 52e3, 95e3)
SHARES = (0.55, 0.42, 0.03)


def _model(cv, tail_multiple=None, shock=0.0):
    return CostModel(NEEDS_GROUPS, MEANS, SHARES, cv, 0.01 if tail_multiple else 0.0, tail_multiple, shock)


def _cdf_two(model, x):
    """P(c1 + c2 <= x), integrating one child's normal variable component by component."""
    total = 0.0
    for w, mu, s in zip(model.component_weights, model.mu, model.sigma):
        top = (math.log(x) - mu) / s
        if top < -12:
            continue
        f = lambda z: math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi) * float(model.cdf(max(x - math.exp(mu + s * z), 0.0)))
        total += w * integrate.quad(f, -12.0, top, limit=500, epsabs=1e-14, epsrel=1e-12)[0]
    return total


def _cdf_shocked(model, x):
    """P(Z c <= x) for one child under the shared lognormal shock Z (mean 1)."""
    s = model.shock_sigma
    f = lambda z: math.exp(-0.5 * z * z) / math.sqrt(2 * math.pi) * float(model.cdf(x / math.exp(-0.5 * s * s + s * z)))
    return integrate.quad(f, -12.0, 12.0, limit=500, epsabs=1e-14)[0]


def _exact_cdf(model, n):
    if n == 1 and model.shock_cv == 0:
        return model.cdf
    return (lambda x: _cdf_shocked(model, x)) if model.shock_cv else (lambda x: _cdf_two(model, x))


def _assert_documented(model, n, dist, q):
    """The percentile at level q: within 1% of the exact one, or at an exact level within 1% of its tail."""
    got = float(dist.quantile(q))
    cdf = _exact_cdf(model, n)
    level = float(cdf(got))
    if abs(level - q) <= dist_mod.QUANTILE_RTOL * min(q, 1 - q):
        return
    exact = optimize.brentq(lambda x: cdf(x) - q, 1e-6, 10 * got + 1e7, xtol=1e-9, rtol=1e-13)
    assert got == pytest.approx(exact, rel=dist_mod.QUANTILE_RTOL), (model.cv, n, q, level)


CASES = [  # (cv, tail_multiple, shock_cv, children, points_per_sd)
    (0.1, 3.0, 0.0, 1, 40),
    (0.3, 10.0, 0.0, 2, 20),
    (0.5, None, 0.2, 1, 40),
    (1.5, None, 0.0, 1, 40),   # the top of the book's slider, one child
    (1.5, 3.0, 0.0, 2, 40),
    (3.0, None, 0.0, 2, 20),
    (6.0, None, 0.0, 1, 40),
    (10.0, None, 0.2, 1, 20),
]


@pytest.mark.slow
@pytest.mark.parametrize("cv, tail_multiple, shock, n, per_sd", CASES)
def test_percentiles_within_the_documented_accuracy_down_to_the_lowest_level_given(cv, tail_multiple, shock, n, per_sd):
    model = _model(cv, tail_multiple, shock)
    dist = total_cost_distribution(model, n, points_per_sd=per_sd)
    lowest = max(float(dist.cdf(dist.resolution)) * (1 + 1e-7), dist_mod.QUANTILE_LEVELS[0])
    for q in (lowest, min(lowest + 0.01, 0.5), 0.5, 0.95, 0.99, 0.999):
        if q >= lowest:
            _assert_documented(model, n, dist, q)
    # Just below the lowest level given, the level is refused by name, with the lowest accepted.
    if lowest > dist_mod.QUANTILE_LEVELS[0] * 1.01:
        with pytest.raises(ValueError, match=r"^q must be a level whose percentile the grid resolves to 1%"):
            dist.quantile(lowest * 0.99)


def test_the_issues_cases_are_refused_by_name_or_answered_correctly():
    # One child, spread 10: the 5th percentile was -£4,488 against the exact £117. The grid would leave
    # out more than the documented share of the mean: refused; at spread 6 the 5th percentile is refused.
    with pytest.raises(ValueError, match=r"^model must put no more than .*cv=10\.0"):
        total_cost_distribution(_model(10.0), 1)
    dist = total_cost_distribution(_model(6.0), 1)
    with pytest.raises(ValueError, match=r"^q must be .*got 0.05"):
        dist.quantile(0.05)
    assert dist.cdf(0.0) == 0.0 and dist.cdf(-1.0) == 0.0
    # Spread 1.5, one child: no probability on a cost of zero or less; the 1st percentile is refused.
    dist = total_cost_distribution(_model(1.5), 1)
    assert dist.cdf(0.0) == 0.0
    with pytest.raises(ValueError, match=r"^q must be"):
        dist.quantile(0.01)
    # The percentiles are never negative, at any level the grid is read at.
    assert float(dist._read_quantile(np.array(1e-4))) >= 0.0
    # Spread 3e4: the standard deviation was 93% low; now the model is refused.
    with pytest.raises(ValueError, match=r"^model must put no more than .*cv=30000\.0"):
        total_cost_distribution(_model(3e4), 1)
    # A huge exceptional cost: the 5th percentile was -£36m.
    for multiple in (1e4, 1e6, 1e12):
        with pytest.raises(ValueError, match=r"^(model must|caseload of 1 ± 0 children needs|q must)"):
            total_cost_distribution(_model(0.5, multiple), 1).quantile(0.05)


def test_every_spread_gives_the_documented_moments_or_is_refused():
    """From 0.05 to 1e6: the spreads the grid cannot hold are refused, never answered with a wrong sd."""
    answered = []
    for cv in np.geomspace(0.05, 1e6, 25):
        model = _model(float(cv))
        try:
            dist = total_cost_distribution(model, 3)
        except ValueError as err:
            assert re.match(r"^(model|caseload) ", str(err)), str(err)
            continue
        exact = total_cost_moments(model, 3)
        assert dist.mean == pytest.approx(exact.mean, rel=dist_mod.MEAN_RTOL), cv
        assert math.sqrt(dist.variance) == pytest.approx(exact.std, rel=dist_mod.SD_RTOL), cv
        answered.append(float(cv))
    assert answered and max(answered) < 30  # past the edge nothing is accepted again


def test_the_widest_spread_accepted_keeps_its_accuracy():
    """Bisect for the largest spread the model check accepts, and check that edge against the exact figures."""
    lo, hi = 1.0, 3e4
    for _ in range(40):
        mid = math.sqrt(lo * hi)
        try:
            dist_mod._check_accuracy(_model(mid), dist_mod._grid_size(_model(mid), 1, 40, float(_model(mid).quantile(1 - 1e-12)))[0], 40)
            lo = mid
        except ValueError:
            hi = mid
    model = _model(lo)
    try:
        dist = total_cost_distribution(model, 1)
    except ValueError as err:  # the grid limit may bind first at this edge: refused by name
        assert str(err).startswith("caseload ")
        return
    exact = total_cost_moments(model, 1)
    assert math.sqrt(dist.variance) == pytest.approx(exact.std, rel=dist_mod.SD_RTOL)
    assert dist.mean == pytest.approx(exact.mean, rel=dist_mod.MEAN_RTOL)
    lowest = max(float(dist.cdf(dist.resolution)) * (1 + 1e-7), dist_mod.QUANTILE_LEVELS[0])
    for q in (lowest, 0.999):
        _assert_documented(model, 1, dist, q)


def test_a_small_practice_with_a_wide_spread_against_simulation():
    """Ten children, spread 1.5, an exceptional group and the shock: the lowest level given against a large simulation."""
    model = _model(1.5, 10.0, 0.2)
    dist = total_cost_distribution(model, 10)
    lowest = max(float(dist.cdf(dist.resolution)) * (1 + 1e-7), dist_mod.QUANTILE_LEVELS[0])
    sims = np.sort(costs.simulate_practice_costs(model, 10, 400_000, seed=3)["total_cost"].to_numpy())
    for q in (lowest, 0.05, 0.5, 0.99):
        got = float(dist.quantile(q))
        share = float(np.searchsorted(sims, got) / sims.size)  # the simulated level of the total returned
        se = math.sqrt(q * (1 - q) / sims.size)
        assert abs(share - q) <= dist_mod.QUANTILE_RTOL * min(q, 1 - q) + 4 * se, (q, share)


def test_levels_outside_the_checked_range_are_refused():
    dist = total_cost_distribution(costs.default_cost_model(), 100)
    for q in (0.0, 1e-4, 1 - 1e-7, 1.0):
        with pytest.raises(ValueError, match=r"^q must be a level from 0.001"):
            dist.quantile(q)
    assert dist.quantile(0.001) > 0


def test_the_documented_caseload_limit_is_the_codes():
    doc = costs.exact_caseload_limit.__doc__
    stated = float(re.search(r"About ([\d,]+) children", doc).group(1).replace(",", ""))
    assert costs.exact_caseload_limit(costs.default_cost_model()) == pytest.approx(stated, rel=0.001)
