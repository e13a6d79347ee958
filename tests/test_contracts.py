"""Tests of the contract simulator (swp_models.contracts).

Monte Carlo checks use fixed seeds and tolerances of four standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize

from swp_models.contracts import (
    Block,
    Capitation,
    CostAndVolume,
    FullReimbursement,
    HighCostReinsurance,
    Outcome,
    OutcomeBased,
    ThresholdSharing,
    compare,
    balanced,
    council_expected_cost,
    default_contracts,
    effort_level,
    risk_aversion,
    optimal_share,
    power_of_incentive,
    risk_premium,
    simulate_practice_years,
    simulated_optimal_share,
    skimming_gain,
)
from swp_models.costs import Caseload, CostModel, default_cost_model, simulate_practice_costs

R = 250_000.0  # risk tolerance 1/r, £, used in the tests


@pytest.fixture(scope="module")
def model() -> CostModel:
    return default_cost_model(tail_share=0.005, tail_multiple=3)


@pytest.fixture(scope="module")
def years(model):
    return simulate_practice_years(model, Caseload(100, 10), 20_000, seed=7)


@pytest.fixture(scope="module")
def small_years(model):
    return simulate_practice_years(model, Caseload(20, 5), 200, seed=3)


@pytest.fixture(scope="module")
def contracts(model):
    return default_contracts(model)


# --------------------------------------------------------------------------- practice-years


def test_practice_years_structure(years, model):
    assert years.n_years == 20_000
    assert years.counts.min() >= 90 and years.counts.max() <= 110
    assert years.n_children == years.counts.sum() == years.offsets[-1]
    np.testing.assert_allclose(years.sum_by_year(years.costs), years.totals, rtol=1e-12)
    np.testing.assert_array_equal(years.component_counts.sum(axis=1), years.counts)
    np.testing.assert_array_equal(years.group_counts.sum(axis=1), years.counts)
    np.testing.assert_array_equal(np.bincount(years.year_index), years.counts)
    assert years.outcome_draws.dtype == np.uint16 and years.outcome_draws.size == years.n_children
    assert years.expected_total == pytest.approx(100 * model.mean)
    with pytest.raises(ValueError):
        years.costs[0] = 1.0  # read-only


def test_practice_years_share_children_with_simulate_practice_costs(model):
    load = Caseload(100, 10)
    frame = simulate_practice_costs(model, load, 300, seed=12)
    yrs = simulate_practice_years(model, load, 300, seed=12)
    np.testing.assert_array_equal(frame["total_cost"], yrs.totals)
    again = simulate_practice_years(model, load, 300, seed=12)
    np.testing.assert_array_equal(again.costs, yrs.costs)
    np.testing.assert_array_equal(again.outcome_draws, yrs.outcome_draws)


def test_scaled_and_extra_child(small_years):
    doubled = small_years.scaled(2.0)
    np.testing.assert_array_equal(doubled.totals, 2 * small_years.totals)
    np.testing.assert_array_equal(doubled.costs, 2 * small_years.costs)
    n = small_years.n_years
    extra = np.full(n, 1234.0)
    more = small_years.with_extra_child(extra, 1, np.zeros(n, dtype=np.uint16))
    np.testing.assert_array_equal(more.counts, small_years.counts + 1)
    np.testing.assert_allclose(more.totals, small_years.totals + 1234.0)
    np.testing.assert_allclose(more.sum_by_year(more.costs), more.totals, rtol=1e-12)
    for i in (0, n // 2, n - 1):
        a, b = more.offsets[i], more.offsets[i + 1]
        np.testing.assert_array_equal(more.costs[a : b - 1], small_years.costs[small_years.offsets[i] : small_years.offsets[i + 1]])
        assert more.costs[b - 1] == 1234.0 and more.components[b - 1] == 1
    with pytest.raises(ValueError, match="factor"):
        small_years.scaled(0.0)
    with pytest.raises(ValueError, match="component"):
        small_years.with_extra_child(extra, 9, np.zeros(n, dtype=np.uint16))


def test_sum_above_matches_brute_force(years):
    t = 80_000.0
    brute = years.sum_by_year(np.maximum(years.costs - t, 0.0))
    np.testing.assert_allclose(years.sum_above(t), brute, rtol=1e-12, atol=1e-6)


def test_outcome_counts_follow_probability(years):
    p = 0.8
    counts = years.outcome_counts(p)
    n = years.n_children
    assert abs(counts.sum() / n - p) < 4 * math.sqrt(p * (1 - p) / n)
    np.testing.assert_array_equal(years.outcome_counts(1.0), years.counts)
    assert years.outcome_counts(0.0).sum() == 0
    # Paired: a higher probability never lowers any year's count.
    assert np.all(years.outcome_counts(0.9) >= counts)


# --------------------------------------------------------------------------- identities and limits


def test_surplus_and_council_spend_identity_every_year(contracts, years):
    for contract in contracts.values():
        pay = contract.payment(years)
        surplus = contract.surplus(years)
        assert pay.shape == (years.n_years,)
        np.testing.assert_array_equal(surplus, pay - years.totals)
        # Council spend (the payment) minus the practice's surplus is the cost of care.
        np.testing.assert_allclose(pay - surplus, years.totals, rtol=1e-12)
    table = compare(contracts, years, R)
    np.testing.assert_allclose(
        table["council_mean_spend"] - table["practice_mean_surplus"], years.totals.mean(), rtol=1e-12
    )


def test_share_one_is_block_and_share_zero_is_reimbursement_exactly(years):
    b = 3_400_000.0
    np.testing.assert_array_equal(CostAndVolume(share=1.0, baseline=b).payment(years), Block(b).payment(years))
    np.testing.assert_array_equal(CostAndVolume(share=0.0, baseline=b).payment(years), FullReimbursement().payment(years))
    np.testing.assert_array_equal(CostAndVolume(share=1.0).payment(years), Block().payment(years))


def test_cost_and_volume_surplus_is_share_of_difference(years):
    c = CostAndVolume(share=0.3, baseline=3_500_000.0)
    np.testing.assert_allclose(c.surplus(years), 0.3 * (3_500_000.0 - years.totals), rtol=1e-9, atol=1e-6)


def test_threshold_limits_and_bounds(years):
    b = years.expected_total
    zero = ThresholdSharing(threshold=0.0, surplus_threshold=0.0)
    np.testing.assert_allclose(zero.payment(years), years.totals, rtol=1e-12)
    huge = ThresholdSharing(threshold=1e12)
    np.testing.assert_allclose(huge.payment(years), Block().payment(years), rtol=1e-12)
    t = ThresholdSharing(threshold=100_000.0)
    surplus = t.surplus(years)
    assert surplus.min() >= -100_000.0 - 1e-6
    under = years.totals < b
    np.testing.assert_allclose(surplus[under], b - years.totals[under], rtol=1e-9)
    shared = ThresholdSharing(threshold=50_000.0, share_above=0.3, surplus_threshold=50_000.0, surplus_share_above=0.3)
    over = years.totals - b
    expected = np.where(
        over > 0,
        -(np.minimum(over, 5e4) + 0.3 * np.maximum(over - 5e4, 0)),
        np.minimum(-over, 5e4) + 0.3 * np.maximum(-over - 5e4, 0),
    )
    np.testing.assert_allclose(shared.surplus(years), expected, rtol=1e-9, atol=1e-6)


def test_reinsurance_limits_and_fair_default(years, model):
    zero = HighCostReinsurance(0.0)
    # Threshold 0: the block part is E[C] - E[N] mean = 0 and the council pays every cost.
    np.testing.assert_allclose(zero.payment(years), years.totals, rtol=1e-9, atol=1e-3)
    huge = HighCostReinsurance(1e9)
    np.testing.assert_allclose(huge.payment(years), Block().payment(years), rtol=1e-12)
    fair = HighCostReinsurance(100_000.0)
    s = fair.surplus(years)
    assert abs(s.mean()) < 4 * s.std() / math.sqrt(s.size)
    assert fair.block_part(years) == pytest.approx(years.expected_total - 100 * model.expected_excess(100_000.0))
    assert s.std() < Block().surplus(years).std()


def test_capitation(years, model):
    flat = Capitation.flat(model)
    np.testing.assert_allclose(flat.payment(years), model.mean * years.counts, rtol=1e-12)
    adjusted = Capitation.risk_adjusted(model)
    s = adjusted.surplus(years)
    assert abs(s.mean()) < 4 * s.std() / math.sqrt(s.size)
    # Risk adjustment removes caseload and case-mix risk: less spread than flat or block.
    assert s.std() < flat.surplus(years).std() < Block().surplus(years).std()
    with pytest.raises(ValueError, match="rate_by_group"):
        Capitation(rate_by_group={"no_additional_needs": 1.0}).payment(years)


def test_outcome_based_bonus_cap_and_effort(years):
    low = Outcome(base_probability=0.6, effort_gain=0.3, effort=0.0)
    high = Outcome(base_probability=0.6, effort_gain=0.3, effort=1.0)
    assert high.probability == pytest.approx(0.9)
    c_low = OutcomeBased(bonus_per_unit=1000.0, outcome=low)
    c_high = OutcomeBased(bonus_per_unit=1000.0, outcome=high)
    assert np.all(c_high.payment(years) >= c_low.payment(years))
    bonus = c_low.bonus(years)
    expected = 1000.0 * 0.6 * years.expected_count
    assert abs(bonus.mean() - expected) < 4 * bonus.std() / math.sqrt(bonus.size)
    capped = OutcomeBased(bonus_per_unit=1000.0, outcome=low, cap=55_000.0)
    assert capped.bonus(years).max() == 55_000.0
    np.testing.assert_array_equal(capped.bonus(years), np.minimum(bonus, 55_000.0))
    np.testing.assert_allclose(c_low.payment(years) - bonus, years.expected_total)


def test_power_of_incentive(years, model):
    assert power_of_incentive(Block(), years) == pytest.approx(1.0, abs=1e-12)
    assert power_of_incentive(FullReimbursement(), years) == pytest.approx(0.0, abs=1e-9)
    for s in (0.2, 0.5, 0.8):
        assert power_of_incentive(CostAndVolume(share=s), years) == pytest.approx(s, abs=1e-9)
    assert power_of_incentive(Capitation.risk_adjusted(model), years) == pytest.approx(1.0, abs=1e-12)
    thr = power_of_incentive(ThresholdSharing(threshold=100_000.0), years)
    reins = power_of_incentive(HighCostReinsurance(100_000.0), years)
    assert 0.0 < thr < 1.0 and 0.0 < reins < 1.0


# --------------------------------------------------------------------------- risk premium


def test_risk_premium_limits_and_hand_value():
    assert risk_premium(np.array([1.0, 5.0]), math.inf) == 0.0
    assert risk_premium(np.array([7.0, 7.0]), 2.0) == pytest.approx(0.0, abs=1e-12)
    # 50:50 of +-a: premium = ln(cosh(r a)) / r; approximation r a^2 / 2.
    a, r = 100_000.0, 1e-5
    x = np.array([a, -a])
    assert risk_premium(x, 1 / r) == pytest.approx(math.log(math.cosh(r * a)) / r, rel=1e-12)
    assert risk_premium(x, 1 / r, exact=False) == pytest.approx(r * a * a / 2, rel=1e-12)


def test_risk_premium_is_stable_for_huge_losses():
    x = np.array([0.0, -5e7])
    rp = risk_premium(x, 1e4)
    assert math.isfinite(rp)
    assert rp == pytest.approx(2.5e7 - math.log(2) / 1e-4, rel=1e-9)  # CE ~ worst case + ln 2 / r


def test_risk_premium_exact_close_to_approx_for_normal_surplus():
    sd = 200_000.0
    x = np.random.default_rng(1).normal(0.0, sd, 1_000_000)
    r = 1 / 400_000  # r sd = 0.5
    exact, approx = risk_premium(x, 1 / r), risk_premium(x, 1 / r, exact=False)
    # For a normal surplus both equal r sd^2 / 2; the exact estimate's Monte Carlo
    # relative error is about sqrt((e^{(r sd)^2} - 1) / n) / (r sd)^2 * 2 = 0.4%.
    assert exact == pytest.approx(approx, rel=0.02)
    assert exact == pytest.approx(r * sd * sd / 2, rel=0.02)


def test_risk_premium_monotone_in_risk_aversion_and_share(years):
    surplus = Block().surplus(years)
    rps = [risk_premium(surplus, tol) for tol in (math.inf, 1e7, 1e6, 2.5e5, 1e5)]
    assert all(b > a for a, b in zip(rps, rps[1:]))
    by_share = [risk_premium(CostAndVolume(share=s).surplus(years), R) for s in np.linspace(0, 1, 6)]
    assert by_share[0] == 0.0
    assert all(b > a for a, b in zip(by_share, by_share[1:]))


@settings(max_examples=30, deadline=None)
@given(
    xs=st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=40),
    shift=st.floats(-1e6, 1e6),
    r=st.floats(1e-8, 1e-4),
    lam=st.floats(0.1, 10.0),
)
def test_risk_premium_properties(xs, shift, r, lam):
    x = np.array(xs)
    rp = risk_premium(x, 1 / r)
    # Jensen, up to the rounding of the log-sum-exp (about 1e-16) magnified by 1/r.
    assert rp >= -1e-9 * (1 + np.abs(x).max()) - 1e-15 / r
    # Shift invariance and scaling: RP(a + x; r) = RP(x; r), RP(lam x; r) = lam RP(x; lam r).
    assert risk_premium(x + shift, 1 / r) == pytest.approx(rp, rel=1e-6, abs=1e-3)
    assert risk_premium(lam * x, 1 / r) == pytest.approx(lam * risk_premium(x, 1 / (lam * r)), rel=1e-6, abs=1e-3)


@pytest.mark.parametrize("tol", [-250_000.0, 0.0, 4e-6, float("nan"), -math.inf])
def test_risk_premium_rejects_bad_risk_tolerance(tol):
    with pytest.raises(ValueError, match="risk_tolerance"):
        risk_premium(np.array([1.0, 2.0]), tol)


@pytest.mark.parametrize("tol", [True, "250000", None])
def test_risk_tolerance_must_be_a_number(tol):
    with pytest.raises(TypeError, match="risk_tolerance"):
        risk_premium(np.array([1.0, 2.0]), tol)


def test_risk_aversion_is_the_inverse_of_tolerance():
    assert risk_aversion(250_000.0) == pytest.approx(4e-6)
    assert risk_aversion(math.inf) == 0.0
    assert risk_premium(np.array([-1e5, 1e5]), math.inf) == 0.0


def test_risk_premium_rejects_bad_surplus():
    with pytest.raises(ValueError, match="surplus"):
        risk_premium(np.array([1.0, np.nan]), 1e6)
    with pytest.raises(ValueError, match="surplus"):
        risk_premium(np.array([]), 1e6)


# --------------------------------------------------------------------------- compare, skimming


def test_compare_table(contracts, years):
    table = compare(contracts, years, R)
    assert list(table["contract"]) == list(contracts)
    assert {
        "practice_mean_surplus",
        "practice_sd_surplus",
        "practice_p_loss",
        "practice_surplus_p5",
        "council_mean_spend",
        "council_sd_spend",
        "risk_premium_approx",
        "risk_premium_exact",
        "power",
        "admin_cost",
        "council_total_cost",
    } <= set(table.columns)
    t = table.set_index("contract")
    np.testing.assert_allclose(
        t["council_total_cost"], years.totals.mean() + t["risk_premium_exact"] + t["admin_cost"], rtol=1e-12
    )
    full = t.loc["Full reimbursement"]
    assert full["practice_p_loss"] == 0 and full["risk_premium_exact"] == pytest.approx(0.0, abs=1e-6)
    assert full["power"] == pytest.approx(0.0, abs=1e-9)
    block = t.loc["Block"]
    assert block["council_sd_spend"] == 0 and block["power"] == pytest.approx(1.0)
    # Block surplus: 5th percentile by hand.
    assert block["practice_surplus_p5"] == pytest.approx(np.percentile(years.expected_total - years.totals, 5))
    # Right-skewed costs: the exact premium of a block contract exceeds the approximation.
    assert block["risk_premium_exact"] > block["risk_premium_approx"]
    # Unnamed sequence: rows named by label.
    seq = compare([Block(), FullReimbursement()], years, R)
    assert list(seq["contract"]) == ["Block", "Full reimbursement"]


def test_compare_rejects_bad_input(years):
    with pytest.raises(ValueError, match="risk_tolerance"):
        compare([Block()], years, -1.0)
    with pytest.raises(ValueError, match="contracts"):
        compare([], years, R)
    with pytest.raises(TypeError, match="contracts"):
        compare({"x": "not a contract"}, years, R)
    with pytest.raises(TypeError, match="contracts"):
        compare("Block", years, R)
    with pytest.raises(TypeError, match="years"):
        compare([Block()], "years", R)


def test_skimming_gain(model):
    load = Caseload(100, 10)
    block = skimming_gain(Block(), model, load, n_years=2000, seed=1).set_index("group")
    means = model.recorded_means()
    for g, m in means.items():
        assert block.loc[g, "gain_extra_child"] == pytest.approx(-m, rel=1e-9)
    adjusted = skimming_gain(Capitation.risk_adjusted(model), model, load, n_years=2000, seed=1)
    np.testing.assert_allclose(adjusted["gain_extra_child"], 0.0, atol=1e-6 * model.mean)
    flat = skimming_gain(Capitation.flat(model), model, load, n_years=2000, seed=1).set_index("group")
    for g, m in means.items():
        assert flat.loc[g, "gain_extra_child"] == pytest.approx(model.mean - m, rel=1e-9, abs=1e-6)
    # Under a flat rate the cheapest children are worth picking over an average referral.
    assert flat.loc["no_additional_needs", "gain_vs_average"] > 0 > flat.loc["complex_needs", "gain_vs_average"]
    cv = skimming_gain(CostAndVolume(share=0.4), model, load, n_years=2000, seed=1).set_index("group")
    for g, m in means.items():
        assert cv.loc[g, "gain_extra_child"] == pytest.approx(-0.4 * m, rel=1e-9)


# --------------------------------------------------------------------------- effort and optimal share


def test_effort_level_and_council_cost_closed_form():
    assert effort_level(0.5, 10) == pytest.approx(0.05)
    np.testing.assert_allclose(effort_level(np.array([0, 1]), 4), [0, 0.25])
    m, v, r, k = 3.5e6, 9e10, 4e-6, 10.0
    assert council_expected_cost(0.0, m, v, 1 / r, k) == pytest.approx(m)
    s = 0.4
    assert council_expected_cost(s, m, v, 1 / r, k) == pytest.approx(m * (1 - s / k) + m * s * s / (2 * k) + r * s * s * v / 2)
    grid = np.linspace(0, 1, 11)
    np.testing.assert_allclose(council_expected_cost(grid, m, v, 1 / r, k), [council_expected_cost(g, m, v, 1 / r, k) for g in grid])


@pytest.mark.parametrize(
    ("m", "v", "r", "k"),
    [(3.5e6, 9e10, 4e-6, 10.0), (3.5e6, 9e10, 1e-6, 2.0), (1e5, 1e9, 1e-5, 1.0), (3.5e6, 4e11, 1e-5, 25.0)],
)
def test_optimal_share_matches_numerical_minimum(m, v, r, k):
    closed = optimal_share(m, v, 1 / r, k)
    res = optimize.minimize_scalar(lambda s: council_expected_cost(s, m, v, 1 / r, k), bounds=(0, 1), method="bounded",
                                   options={"xatol": 1e-10})
    assert closed == pytest.approx(res.x, abs=1e-6)
    assert 0 < closed <= 1


def test_optimal_share_limits_and_monotonicity():
    assert optimal_share(1e6, 0.0, 1e5, 10) == 1.0
    assert optimal_share(1e6, 1e10, math.inf, 10) == 1.0
    shares = [optimal_share(3.5e6, 9e10, 1 / r, 10) for r in (1e-7, 1e-6, 1e-5)]
    assert shares[0] > shares[1] > shares[2]


def test_simulated_optimum_near_closed_form():
    # Near-normal totals (400 children with little spread) and weak effort (k = 50, so
    # e <= 0.02): the simulated optimum should then sit on the closed form. With
    # r k Var / m = 1 the closed form is 0.5; scaling the variance by (1 - e)^2 = 0.98
    # at e = 0.01 moves the optimum to about 0.505, and sampling noise is far smaller.
    model = CostModel(("no_additional_needs",), (33000.0,), (1.0,), 0.2)
    yrs = simulate_practice_years(model, 400, 20_000, seed=5)
    m, v = yrs.totals.mean(), yrs.totals.var()
    k = 50.0
    r = m / (k * v)
    result = simulated_optimal_share(yrs, 1 / r, k)
    assert result.closed_form_share == pytest.approx(0.5, abs=1e-12)
    assert result.share == pytest.approx(0.5, abs=0.02)
    assert result.council_cost <= result.grid["council_cost"].min() + 1e-6
    g = result.grid
    assert list(g.columns) == [
        "share", "effort", "expected_cost", "effort_cost", "risk_premium_exact", "risk_premium_approx",
        "council_cost", "council_cost_closed_form",
    ]
    np.testing.assert_allclose(g["effort"], g["share"] / k)


def test_simulated_optimum_default_model(years):
    result = simulated_optimal_share(years, R, 10.0, shares=np.linspace(0, 1, 41))
    # Exact premium on skewed costs and the (1 - e)^2 variance scaling pull in opposite
    # directions; the two optima stay close.
    assert abs(result.share - result.closed_form_share) < 0.1
    assert 0 < result.share < 1
    assert result.council_cost < result.grid.loc[result.grid["share"] == 1.0, "council_cost"].item()
    assert result.council_cost < result.grid.loc[result.grid["share"] == 0.0, "council_cost"].item()


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: effort_level(0.5, 0.5), "effort_cost"),
        (lambda: effort_level(1.5, 10), "share"),
        (lambda: effort_level(float("nan"), 10), "share"),
        (lambda: council_expected_cost(-0.1, 1e6, 1e9, 1e6, 10), "share"),
        (lambda: council_expected_cost(0.5, 0.0, 1e9, 1e6, 10), "mean_cost"),
        (lambda: council_expected_cost(0.5, 1e6, -1.0, 1e-6, 10), "var_cost"),
        (lambda: council_expected_cost(0.5, 1e6, 1e9, -1e6, 10), "risk_tolerance"),
        (lambda: optimal_share(1e6, 1e9, float("nan"), 10), "risk_tolerance"),
        (lambda: optimal_share(1e6, 1e9, 1e6, 0.9), "effort_cost"),
        (lambda: optimal_share(float("nan"), 1e9, 1e6, 10), "mean_cost"),
    ],
)
def test_effort_functions_reject_bad_input(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_simulated_optimal_share_rejects_bad_input(small_years):
    with pytest.raises(ValueError, match="risk_tolerance"):
        simulated_optimal_share(small_years, -1.0, 10)
    with pytest.raises(ValueError, match="effort_cost"):
        simulated_optimal_share(small_years, R, 0.5)
    with pytest.raises(ValueError, match="share"):
        simulated_optimal_share(small_years, R, 10, shares=[0.0, 1.2])


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: CostAndVolume(share=-0.1), "share"),
        (lambda: CostAndVolume(share=1.1), "share"),
        (lambda: CostAndVolume(share=float("nan")), "share"),
        (lambda: CostAndVolume(), "share"),
        (lambda: CostAndVolume(share=0.5, baseline=-1.0), "baseline"),
        (lambda: Block(-5.0), "amount"),
        (lambda: Block(float("nan")), "amount"),
        (lambda: Block(1.0, admin_cost_per_year=-1.0), "admin_cost_per_year"),
        (lambda: FullReimbursement(admin_cost_per_child=-1.0), "admin_cost_per_child"),
        (lambda: ThresholdSharing(threshold=-1.0), "threshold"),
        (lambda: ThresholdSharing(threshold=float("nan")), "threshold"),
        (lambda: ThresholdSharing(), "threshold"),
        (lambda: ThresholdSharing(threshold=1.0, share_above=2.0), "share_above"),
        (lambda: ThresholdSharing(threshold=1.0, surplus_threshold=-1.0), "surplus_threshold"),
        (lambda: ThresholdSharing(threshold=1.0, surplus_share_above=-0.5), "surplus_share_above"),
        (lambda: ThresholdSharing(threshold=1.0, baseline=-1.0), "baseline"),
        (lambda: HighCostReinsurance(-1.0), "per_child_threshold"),
        (lambda: HighCostReinsurance(float("nan")), "per_child_threshold"),
        (lambda: HighCostReinsurance(1e5, amount=-1.0), "amount"),
        (lambda: HighCostReinsurance(1e5, council_share=1.5), "council_share"),
        (lambda: Capitation(), "rate_by_group"),
        (lambda: Capitation(rate_by_group={"complex_needs": 1.0}, flat_rate=1.0), "flat_rate"),
        (lambda: Capitation(flat_rate=-1.0), "flat_rate"),
        (lambda: Capitation(rate_by_group={"complex_needs": float("nan")}), "rate_by_group"),
        (lambda: Capitation(rate_by_group={}), "rate_by_group"),
        (lambda: Outcome(base_probability=1.2), "base_probability"),
        (lambda: Outcome(base_probability=0.8, effort_gain=0.3), "effort_gain"),
        (lambda: Outcome(base_probability=0.5, effort=-0.1), "effort"),
        (lambda: Outcome(base_probability=float("nan")), "base_probability"),
        (lambda: OutcomeBased(bonus_per_unit=-1.0, outcome=Outcome(0.5)), "bonus_per_unit"),
        (lambda: OutcomeBased(bonus_per_unit=1.0, outcome=Outcome(0.5), cap=-1.0), "cap"),
        (lambda: OutcomeBased(bonus_per_unit=1.0, outcome=Outcome(0.5), base=-1.0), "base"),
        (lambda: OutcomeBased(bonus_per_unit=1.0, outcome=0.5), "outcome"),
        (lambda: OutcomeBased(outcome=Outcome(0.5)), "bonus_per_unit"),
    ],
)
def test_contracts_reject_bad_input(make, name):
    with pytest.raises((ValueError, TypeError), match=name):
        make()


# --------------------------------------------------------------------------- boundaries (sizes, types, keys)


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda m: simulate_practice_years(m, 100, 10**9, seed=1), ValueError, "n_years"),
        (lambda m: simulate_practice_years(m, 100, 2.5, seed=1), ValueError, "n_years"),
        (lambda m: simulate_practice_years(m, 100, True, seed=1), ValueError, "n_years"),
        (lambda m: simulate_practice_years(m, 10**6, 100, seed=1), ValueError, "n_years × caseload"),
        (lambda m: simulate_practice_years("model", 100, 10, seed=1), TypeError, "cost_model"),
        (lambda m: skimming_gain(Block(), m, 100, n_years=10**8, seed=1), ValueError, "n_years"),
        (lambda m: skimming_gain("Block", m, 100, n_years=100, seed=1), TypeError, "contract"),
        (lambda m: skimming_gain(Block(), m, 100, n_years=100, seed=1, scope="placements"), TypeError, "scope"),
        (lambda m: Capitation(rate_by_group={"no_such_group": 1.0}), ValueError, "rate_by_group"),
        (lambda m: Capitation(rate_by_group={"complex_needs": True}), ValueError, "rate_by_group"),
        (lambda m: Capitation(rate_by_group=[("complex_needs", 1.0)]), TypeError, "rate_by_group"),
        (lambda m: Capitation(rate_by_group={}), ValueError, "rate_by_group"),
        (lambda m: CostAndVolume(share=True), ValueError, "share"),
        (lambda m: Block(amount=True), ValueError, "amount"),
        (lambda m: effort_level(True, 10), TypeError, "share"),
        (lambda m: effort_level("0.5", 10), TypeError, "share"),
        (lambda m: risk_premium("surplus", 1e5), TypeError, "surplus"),
        (lambda m: risk_premium([True, False], 1e5), TypeError, "surplus"),
        (lambda m: risk_premium(np.array([1.0, 2.0]), 1e5, exact=1), TypeError, "exact"),
        (lambda m: balanced(CostAndVolume(share=0.5), None), TypeError, "contract"),
    ],
)
def test_boundaries_refuse_bad_input_by_name(model, call, error, name):
    with pytest.raises(error, match=name):
        call(model)


def test_capitation_accepts_every_needs_group(model):
    c = Capitation(rate_by_group=model.recorded_means())
    assert set(c.rate_by_group) == set(model.groups)


def test_simulate_practice_years_rejects_bad_input(model):
    with pytest.raises(ValueError, match="n_years"):
        simulate_practice_years(model, 100, 0, seed=1)
    with pytest.raises(ValueError, match="caseload"):
        simulate_practice_years(model, 0, 10, seed=1)
    with pytest.raises(ValueError, match="seed"):
        simulate_practice_years(model, 100, 10, seed=None)


# --------------------------------------------------------------------------- properties


@settings(max_examples=40, deadline=None)
@given(
    share=st.floats(0.0, 1.0),
    baseline=st.floats(0.0, 2e6),
    threshold=st.floats(0.0, 3e5),
    above=st.floats(0.0, 1.0),
    surplus_threshold=st.one_of(st.none(), st.floats(0.0, 3e5)),
)
def test_identities_hold_for_any_parameters(small_years, share, baseline, threshold, above, surplus_threshold):
    c = small_years.totals
    cv = CostAndVolume(share=share, baseline=baseline)
    np.testing.assert_allclose(cv.surplus(small_years), share * (baseline - c), rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(cv.payment(small_years) - cv.surplus(small_years), c, rtol=1e-12)
    t = ThresholdSharing(threshold=threshold, baseline=baseline, share_above=above, surplus_threshold=surplus_threshold)
    s = t.surplus(small_years)
    over = np.maximum(c - baseline, 0.0)
    # The practice never loses more than T plus its share of the excess over T ...
    assert np.all(-s <= threshold + above * np.maximum(over - threshold, 0) + 1e-6)
    # ... and never more than the whole overspend.
    assert np.all(-s <= over + 1e-6)
    p = power_of_incentive(t, small_years)
    assert -1e-9 <= p <= 1 + 1e-9
    assert power_of_incentive(cv, small_years) == pytest.approx(share, abs=1e-9)


@settings(max_examples=25, deadline=None)
@given(threshold=st.floats(0.0, 3e5), council_share=st.floats(0.0, 1.0), payment=st.floats(0.0, 3e6))
def test_reinsurance_identity_for_any_parameters(small_years, threshold, council_share, payment):
    c = HighCostReinsurance(threshold, amount=payment, council_share=council_share)
    excess = small_years.sum_by_year(np.maximum(small_years.costs - threshold, 0.0))
    np.testing.assert_allclose(c.payment(small_years), payment + council_share * excess, rtol=1e-9, atol=1e-6)
    assert np.all(c.payment(small_years) >= payment)


def test_contracts_survive_dataclass_replace(years):
    from dataclasses import replace

    block = replace(Block(1.0), amount=2.0)
    np.testing.assert_array_equal(block.payment(years), np.full(years.n_years, 2.0))
    reins = replace(HighCostReinsurance(1e5, 1.0), council_share=0.5)
    assert reins.council_share == 0.5 and reins.amount == 1.0
    assert not callable(Block(1.0).amount) and Block(1.0).amount == 1.0
    cv = replace(CostAndVolume(share=0.2), share=0.7)
    assert cv.share == 0.7
    with pytest.raises(ValueError, match="share"):
        replace(cv, share=2.0)


def test_default_contracts_cover_the_four_families(model):
    contracts = default_contracts(model)
    kinds = {type(c) for c in contracts.values()}
    assert {Block, Capitation, CostAndVolume, ThresholdSharing, HighCostReinsurance, OutcomeBased, FullReimbursement} <= kinds
    assert all(isinstance(name, str) for name in contracts)
    assert isinstance(compare(contracts, simulate_practice_years(model, 100, 50, seed=1), R), pd.DataFrame)
