"""Checks of the models against independent computations, through the public API only.

* Monte Carlo standard errors against their formulas (or against the spread of replications),
  so an inflated or deflated standard error fails here and not only in the notebook tests.
* Every column of ``contracts.compare`` against a computation by hand, child by child, on a
  few simulated practice-years, with payments worked out from each contract's terms.
* The ends of the ranges the book relies on: a practice of 6 and of 10 front-line staff is in
  the report's range, 5 and 11 are not.
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

from swp_models import continuity, contracts, costs, practice, stats
from swp_models.figures import continuity_tables

# --- Monte Carlo standard errors ---------------------------------------------------------------


def _lognormal_mixture_central_moments(model: costs.CostModel) -> tuple[float, float, float]:
    """Mean, variance and fourth central moment of a child's cost, from the lognormal components."""
    w, mu, sigma = np.asarray(model.component_weights), np.asarray(model.mu), np.asarray(model.sigma)
    raw = {k: float(np.sum(w * np.exp(k * mu + k * k * sigma**2 / 2))) for k in (1, 2, 3, 4)}
    m = raw[1]
    var = raw[2] - m * m
    mu4 = raw[4] - 4 * m * raw[3] + 6 * m * m * raw[2] - 3 * m**4
    return m, var, mu4


@pytest.fixture(scope="module")
def cost_check():
    model = costs.default_cost_model()
    n_children, n_years = 200_000, 20_000
    frame = costs.exact_vs_simulated(model, n_children=n_children, n_years=n_years, seed=11)
    return model, n_children, n_years, frame.set_index("quantity")


def test_child_cost_standard_errors_match_their_formulas(cost_check):
    model, n, _, frame = cost_check
    mean, var, mu4 = _lognormal_mixture_central_moments(model)
    assert mean == pytest.approx(model.mean, rel=1e-9) and var == pytest.approx(model.variance, rel=1e-9)
    se = frame["std_error"]
    assert se["Cost of a child: mean"] == pytest.approx(math.sqrt(var / n), rel=0.03)
    assert se["Cost of a child: variance"] == pytest.approx(math.sqrt((mu4 - var * var) / n), rel=0.15)
    q95 = float(model.quantile(0.95))
    assert se["Cost of a child: 95th percentile"] == pytest.approx(
        math.sqrt(0.95 * 0.05 / n) / float(model.pdf(q95)), rel=1e-9)


def test_practice_total_standard_errors_match_their_formulas(cost_check):
    model, _, n_years, frame = cost_check
    exact = costs.total_cost_moments(model, costs.default_caseload())
    se = frame["std_error"]
    assert se["Practice total: mean"] == pytest.approx(math.sqrt(exact.variance / n_years), rel=0.03)
    dist = costs.total_cost_distribution(model, costs.default_caseload())
    # The variance's standard error sqrt((mu4 - var^2) / n), with mu4 from the exact distribution of the total.
    x, f = dist.grid, dist.density()
    mu4 = float(np.trapezoid((x - exact.mean) ** 4 * f, x))
    assert se["Practice total: variance"] == pytest.approx(math.sqrt((mu4 - exact.variance**2) / n_years), rel=0.1)
    t95 = float(dist.quantile(0.95))
    f95 = float(np.interp(t95, dist.grid, dist.density()))
    assert se["Practice total: 95th percentile"] == pytest.approx(math.sqrt(0.95 * 0.05 / n_years) / f95, rel=1e-9)
    assert (frame["z"].abs() < 4).all()


def test_pooling_table_standard_error_is_binomial():
    model = costs.default_cost_model()
    n_sims = 2000
    table = costs.pooling_table(model, sizes=(30, 100), n_sims=n_sims, seed=3)
    p = table["p_exceed_simulated"].to_numpy()
    assert ((p > 0) & (p < 1)).all()
    np.testing.assert_allclose(table["se_simulated"], np.sqrt(p * (1 - p) / n_sims), rtol=1e-12)


def test_continuity_simulation_standard_errors():
    n = 20_000
    check = continuity_tables.simulation_check(n_children=n, seed=5)
    for rec in check.to_dict("records"):
        if rec["measure"] == "Expected workers":
            continue
        p = rec["simulated"]  # a share of children: the binomial standard error (with n - 1, as ddof=1)
        assert rec["se"] == pytest.approx(math.sqrt(p * (1 - p) / (n - 1)), rel=1e-9), rec
    s = continuity.reference_scenarios()["Council, England 2005"]
    for rec in check[(check["measure"] == "Expected workers") & (check["model"] == "Poisson")].to_dict("records"):
        pmf = continuity.worker_count_pmf(s, 1.0, rec["period"] == "First year")
        w = pmf.index.to_numpy(dtype=float)
        var = float(np.sum(pmf.to_numpy() * w * w) - np.sum(pmf.to_numpy() * w) ** 2)
        assert rec["se"] == pytest.approx(math.sqrt(var / n), rel=0.05), rec


def test_queue_standard_errors_match_the_spread_of_replications():
    """The reported standard error of each mean equals the spread of that mean over independent replications."""
    reps = [continuity.simulate_queue(8, 6.0, 1.0, 40.0, seed=k, n_runs=10, warmup_years=10.0) for k in range(40)]
    for field in ("p_wait", "mean_waiting", "mean_wait_weeks"):
        means = np.array([getattr(r, field) for r in reps])
        reported = np.array([getattr(r, field + "_se") for r in reps])
        # The sd of 40 replications is known to about 11%; a doubled or halved standard error is far outside.
        assert float(np.mean(reported)) == pytest.approx(float(means.std(ddof=1)), rel=0.35), field


def test_monte_carlo_se_is_the_sample_sd_over_root_n():
    x = np.array([1.0, 2.0, 4.0, 7.0])
    sd = math.sqrt(sum((v - 3.5) ** 2 for v in x) / 3)
    assert stats.monte_carlo_se(x) == pytest.approx(sd / 2.0, rel=1e-12)
    assert stats.monte_carlo_se([5.0, 5.0, 5.0]) == 0.0


@pytest.mark.parametrize(
    "samples, message",
    [
        ([1.0], r"^samples must hold at least 2 values; got 1"),
        ([], r"^samples must hold at least 2 values; got 0"),
        ([1.0, float("nan")], r"^samples must be finite \(no NaN or infinity\)$"),
        ([1.0, float("inf")], r"^samples must be finite \(no NaN or infinity\)$"),
        ([[1.0, 2.0], [3.0, 4.0]], r"^samples must be one-dimensional; got shape \(2, 2\)"),
        (["a", "b"], r"^samples must be numbers"),
    ],
)
def test_monte_carlo_se_refuses_bad_samples(samples, message):
    with pytest.raises((ValueError, TypeError), match=message):
        stats.monte_carlo_se(samples)


# --- compare() by hand ---------------------------------------------------------------------------

R = 1.0 / 250_000  # risk aversion per £ (a tolerance of £250,000)


def _compare(items, years, r):
    """``contracts.compare`` with the practice's risk attitude given as the function now asks for it."""
    params = inspect.signature(contracts.compare).parameters
    if "risk_aversion" in params:
        return contracts.compare(items, years, risk_aversion=r)
    return contracts.compare(items, years, risk_tolerance=1.0 / r)


@pytest.fixture(scope="module")
def small_years():
    return contracts.simulate_practice_years(costs.default_cost_model(), costs.Caseload(12, margin=2), 7, seed=4)


def _children_by_year(years) -> list[list[float]]:
    """Each practice-year's child costs, read one child at a time."""
    out, start = [], 0
    for count in years.counts:
        out.append([float(c) for c in years.costs[start:start + int(count)]])
        start += int(count)
    assert start == years.n_children
    return out


def _percentile(values: list[float], q: float) -> float:
    """Linear-interpolation percentile, worked out by hand."""
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(math.floor(pos))
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def _hand_contracts(years):
    """(contract, payment per year computed by hand from its terms, given per-year child costs)."""
    base = 500_000.0
    p = 0.8
    cut = round(p * 65536)
    outcomes, start = [], 0
    for count in years.counts:
        outcomes.append(int(sum(1 for d in years.outcome_draws[start:start + int(count)] if int(d) < cut)))
        start += int(count)

    def threshold_pay(kids):
        c = sum(kids)
        over = c - base
        surplus = -min(over, 60_000.0) if over > 0 else -over
        return c + surplus

    return [
        (contracts.Block(amount=base, admin_cost_per_year=2000.0), lambda kids, y: base),
        (contracts.FullReimbursement(admin_cost_per_child=300.0), lambda kids, y: sum(kids)),
        (contracts.Capitation(flat_rate=40_000.0), lambda kids, y: 40_000.0 * len(kids)),
        (contracts.CostAndVolume(share=0.3, baseline=base), lambda kids, y: base + 0.7 * (sum(kids) - base)),
        (contracts.ThresholdSharing(threshold=60_000.0, baseline=base), lambda kids, y: threshold_pay(kids)),
        (contracts.HighCostReinsurance(80_000.0, amount=base),
         lambda kids, y: base + sum(max(c - 80_000.0, 0.0) for c in kids)),
        (contracts.OutcomeBased(bonus_per_unit=1000.0, outcome=contracts.Outcome(base_probability=p), base=base),
         lambda kids, y: base + 1000.0 * outcomes[y]),
    ]


def test_payments_by_hand(small_years):
    kids = _children_by_year(small_years)
    for contract, pay in _hand_contracts(small_years):
        expected = [pay(k, y) for y, k in enumerate(kids)]
        np.testing.assert_allclose(contract.payment(small_years), expected, rtol=1e-12, err_msg=contract.label)


def test_compare_every_column_by_hand(small_years):
    kids = _children_by_year(small_years)
    hand = _hand_contracts(small_years)
    frame = _compare({c.label: c for c, _ in hand}, small_years, R).set_index("contract")
    expected_columns = {
        "practice_mean_surplus", "practice_sd_surplus", "practice_p_loss", "practice_surplus_p5",
        "council_mean_spend", "council_sd_spend", "risk_premium_approx", "risk_premium_exact", "power",
        "admin_cost", "council_total_cost",
    }
    assert set(frame.columns) == expected_columns
    costs_by_year = [sum(k) for k in kids]
    n = len(kids)
    mean_cost = sum(costs_by_year) / n
    h = 1e-3
    for contract, pay in hand:
        row = frame.loc[contract.label]
        pays = [pay(k, y) for y, k in enumerate(kids)]
        surplus = [p - c for p, c in zip(pays, costs_by_year)]
        m = sum(surplus) / n
        var = sum((s - m) ** 2 for s in surplus) / n
        pay_mean = sum(pays) / n
        pay_var = sum((p - pay_mean) ** 2 for p in pays) / n
        ce = -math.log(sum(math.exp(-R * s) for s in surplus) / n) / R
        bumped_pays = [pay([c * (1 + h) for c in k], y) for y, k in enumerate(kids)]
        power = 1 - (sum(bumped_pays) - sum(pays)) / (h * sum(costs_by_year))
        admin = sum(contract.admin_cost_per_year + contract.admin_cost_per_child * len(k) for k in kids) / n
        want = {
            "practice_mean_surplus": m,
            "practice_sd_surplus": math.sqrt(var),
            "practice_p_loss": sum(s < 0 for s in surplus) / n,
            "practice_surplus_p5": _percentile(surplus, 5),
            "council_mean_spend": pay_mean,
            "council_sd_spend": math.sqrt(pay_var),
            "risk_premium_approx": R * var / 2,
            "risk_premium_exact": m - ce,
            "power": power,
            "admin_cost": admin,
            "council_total_cost": mean_cost + (m - ce) + admin,
        }
        for column, value in want.items():
            assert row[column] == pytest.approx(value, rel=1e-6, abs=1e-6), (contract.label, column)


def test_compare_hand_values_are_not_trivial(small_years):
    """The small sample spreads enough that every column above is a real check."""
    kids = _children_by_year(small_years)
    totals = [sum(k) for k in kids]
    assert len(set(len(k) for k in kids)) > 1 and min(totals) < 500_000 < max(totals)
    assert any(c > 80_000 for k in kids for c in k)


# --- the ends of the ranges the book relies on --------------------------------------------------


def test_team_of_6_and_10_is_in_the_reports_range_5_and_11_are_not():
    table = practice.caseload_table(frontline=(5, 6, 10, 11), caseloads=(100,)).set_index("frontline")
    assert table.loc[6, "in_report_range"] and table.loc[10, "in_report_range"]
    assert not table.loc[5, "in_report_range"] and not table.loc[11, "in_report_range"]
    assert practice.GRID_FRONTLINE[0] == 6 and practice.GRID_FRONTLINE[-1] == 10
    assert table.loc[6, "per_worker"] == pytest.approx(100 / 6) and table.loc[10, "per_worker"] == 10.0
