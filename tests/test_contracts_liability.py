"""Scope (who holds the placement budget) and limited liability (reserves, failure, the council's losses)."""

from dataclasses import replace

import numpy as np
import pytest

from swp_models import costs, engine
from swp_models.scenario import Scenario

from swp_models import contracts as ct
from swp_models import commissioning as cm
from swp_models import liability as li
from swp_models.costs import default_caseload, default_cost_model


@pytest.fixture(scope="module")
def raw():
    return ct.simulate_practice_years(default_cost_model(), default_caseload(), 20_000, 11)


def test_limited_liability_caps_the_practice_loss_and_the_council_takes_the_excess():
    rng = np.random.default_rng(3)
    pi = rng.normal(0, 300_000, 50_000)
    res = li.limited_liability(pi, 130_000)
    assert res.practice.min() >= -130_000
    np.testing.assert_allclose(res.practice - res.council, pi, rtol=0, atol=1e-6)
    np.testing.assert_allclose(res.council, np.maximum(-pi - 130_000, 0.0), atol=1e-9)
    assert res.p_fail == pytest.approx(np.mean(pi < -130_000))
    # no reserves: every loss is the council's
    none = li.limited_liability(pi, 0)
    np.testing.assert_allclose(none.council, np.maximum(-pi, 0))


def test_term_failure_by_hand():
    pi = np.array([-50.0, -60.0, 200.0, 10.0, -5.0, -20.0])
    res = li.term_failure(pi, 100.0, 3)
    # term 1: 50, -10 -> fails in year 2 with 10 absorbed; term 2: 110, 105, 85 -> survives
    assert res.n_terms == 2
    assert res.p_fail_term == 0.5
    assert res.years_served == pytest.approx((2 + 3) / 2)
    assert res.p_fail_year == pytest.approx(1 / 5)
    assert res.absorbed_per_year == pytest.approx(10 / 5)


def test_one_year_term_matches_single_years():
    rng = np.random.default_rng(5)
    pi = rng.normal(0, 1, 10_000)
    term = li.term_failure(pi, 0.5, 1)
    single = li.limited_liability(pi, 0.5)
    assert term.p_fail_term == pytest.approx(single.p_fail)
    assert term.absorbed_per_year == pytest.approx(single.expected_absorbed)


def test_reserve_for_failure_chance_is_the_loss_quantile():
    pi = np.arange(-100.0, 100.0)
    r = li.reserve_for_failure_chance(pi, 0.05)
    assert np.mean(pi < -r) <= 0.05 + 1e-12
    assert li.reserve_for_failure_chance(np.ones(5), 0.05) == 0.0


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: li.limited_liability([1.0, -2.0], -1.0), "reserves"),
        (lambda: li.term_failure([1.0, -2.0], 1.0, 3), "term_years"),
        (lambda: li.term_failure([1.0, -2.0], 1.0, 0), "term_years"),
        (lambda: li.reserves_from_months(-1, 500_000), "months"),
        (lambda: li.reserve_for_failure_chance([1.0], 0.0), "chance"),
        (lambda: li.limited_liability([], 1.0), "surplus"),
        (lambda: li.limited_liability([np.nan], 1.0), "surplus"),
        (lambda: li.Scope("everything", 1.0), "name"),
        (lambda: li.Scope("placements", -1.0), "fixed_cost"),
        (lambda: li.Scope("placements", 1.0, overhead_share=-0.1), "overhead_share"),
        (lambda: li.Scope("placements", 1.0, overhead_share=0.6), "overhead_share"),
        (lambda: li.Scope("placements", 1.0, overhead_share=float("nan")), "overhead_share"),
        (lambda: li.default_scope("budget"), "name"),
        (lambda: Scenario.central(scope="budget"), "scope"),
    ],
)
def test_bad_inputs_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_placements_scope_splits_fixed_and_variable_cost(raw):
    scope = li.default_scope("placements")
    years = scope.apply(raw)
    w = scope.overhead_share
    assert w == li.assumption("council_overhead_share") > 0
    expect = (1 - w) * raw.totals + scope.fixed_cost - scope.staff_per_child * raw.counts
    np.testing.assert_allclose(years.totals, expect)
    assert years.expected_total == pytest.approx((1 - w) * raw.expected_total + scope.fixed_cost
                                                 - scope.staff_per_child * raw.expected_count)
    # the flat rate pays the expected total on average, and a margin on each extra child
    rate = scope.flat_rate(raw.cost_model, raw.caseload)
    assert rate * raw.expected_count == pytest.approx(years.expected_total)
    assert rate - scope.marginal_cost(raw.cost_model) == pytest.approx(scope.fixed_cost / raw.expected_count)
    with pytest.raises(ValueError, match="already carry a scope"):
        scope.apply(years)


def test_social_work_scope_is_fixed_budget_plus_workload(raw):
    scope = li.default_scope("social_work")
    years = scope.apply(raw)
    f = scope.variable_per_child / raw.cost_model.mean
    np.testing.assert_allclose(years.totals, scope.fixed_cost + f * raw.totals)
    assert years.expected_total == pytest.approx(scope.fixed_cost + scope.variable_per_child * raw.expected_count)
    # capitation by needs group at the scope's rates pays the expected total on average
    rates = scope.child_rates(raw.cost_model, raw.caseload)
    cap = ct.Capitation(rate_by_group=rates)
    assert cap.payment(years).mean() == pytest.approx(years.expected_total, rel=2e-3)


def test_scope_priced_contracts_and_failure_table(raw):
    scope = li.default_scope("placements")
    years = scope.apply(raw)
    contracts = ct.default_contracts(raw.cost_model, scope=scope)
    reserves = li.reserves_from_months(3, scope.fixed_cost)
    table = li.failure_comparison(contracts, years, reserves, term_years=3, failure_cost=100_000,
                                  risk_tolerance=250_000.0).set_index("contract")
    block = table.loc["Block"]
    surplus = contracts["Block"].surplus(years)
    assert block["p_fail_year"] == pytest.approx(np.mean(surplus < -reserves))
    assert block["absorbed"] == pytest.approx(np.mean(np.maximum(-surplus - reserves, 0)))
    assert table.loc["Full reimbursement", "p_fail_year"] == 0.0
    # limited liability lowers the premium a practice charges
    assert block["risk_premium_limited"] < block["risk_premium"]
    # social work only: the practice's risk is small and it almost never fails
    sw = li.default_scope("social_work")
    sw_table = li.failure_comparison(ct.default_contracts(raw.cost_model, scope=sw), sw.apply(raw), reserves,
                                     term_years=3, failure_cost=100_000, risk_tolerance=250_000.0)
    assert sw_table.set_index("contract").loc["Block", "p_fail_year"] < 0.01 < block["p_fail_year"]


def test_council_overheads_are_taken_out_of_the_placements_scope_once(raw):
    """The practice's cost with the council's wider overheads taken out: exact moments against the simulation,
    the needs groups' relative costs kept, 0 the old treatment, social work only untouched."""
    scope = li.default_scope("placements")
    w = scope.overhead_share
    old = replace(scope, overhead_share=0.0)
    model, load = raw.cost_model, raw.caseload
    years = scope.apply(raw)
    exact = scope.cost_moments(model, load)
    assert years.totals.mean() == pytest.approx(exact.mean, rel=3e-3)
    assert years.totals.std() == pytest.approx(exact.std, rel=3e-2)
    # the overheads the practice's expected cost leaves out are what the council keeps, w E[U], once
    kept = scope.council_overheads(model, load)
    assert kept == pytest.approx(w * costs.total_cost_moments(model, load).mean)
    assert old.cost_moments(model, load).mean - exact.mean == pytest.approx(kept)
    assert old.apply(raw).totals - years.totals == pytest.approx(w * raw.totals)
    # one factor on every child: the needs groups keep their relative costs, each loses w of its mean
    new_rates, old_rates = scope.child_rates(model, load), old.child_rates(model, load)
    for g, m in model.recorded_means().items():
        assert old_rates[g] - new_rates[g] == pytest.approx(w * m)
    assert old.marginal_cost(model) - scope.marginal_cost(model) == pytest.approx(w * model.mean)
    assert old.flat_rate(model, load) - scope.flat_rate(model, load) == pytest.approx(w * model.mean)
    # 0 is the old treatment
    np.testing.assert_allclose(old.apply(raw).totals,
                               raw.totals + scope.fixed_cost - scope.staff_per_child * raw.counts)
    assert old.council_overheads(model, load) == 0.0
    # social work only: the share is not used
    sw = li.default_scope("social_work")
    assert sw.overhead_share == w
    bare = replace(sw, overhead_share=0.0)
    np.testing.assert_allclose(sw.apply(raw).totals, bare.apply(raw).totals)
    assert sw.cost_factor(model) == bare.cost_factor(model)
    assert sw.council_overheads(model, load) == 0.0
    with pytest.raises(TypeError, match="cost_model"):
        scope.council_overheads("model", load)


# --------------------------------------------------------------------------- threshold balance and volume band


def test_balanced_threshold_pays_the_expected_cost(raw):
    years = li.default_scope("placements").apply(raw)
    t = ct.ThresholdSharing(threshold=100_000.0)
    assert t.surplus(years).mean() > 50_000  # keeps every underspend: overpaid on average
    b = ct.balanced(t, years)
    assert 0 < b.baseline_discount < 0.1
    assert abs(b.surplus(years).mean()) < 1e-3
    fixed = ct.ThresholdSharing(threshold=100_000.0, baseline=4e6)
    assert ct.balanced(fixed, years) is fixed
    with pytest.raises(ValueError, match="baseline_discount"):
        ct.ThresholdSharing(threshold=1.0, baseline_discount=1.0)


def test_volume_band(raw):
    years = li.default_scope("placements").apply(raw)
    wide = ct.VolumeBand(low=90, high=110)
    np.testing.assert_allclose(wide.payment(years), ct.Block().payment(years))  # the caseload never leaves it
    band = ct.VolumeBand(low=95, high=105)
    pay = band.payment(years)
    assert pay.mean() == pytest.approx(years.expected_total, rel=2e-3)
    rate = band.year_rate(years)
    n = years.counts
    expect = years.expected_total + rate * (np.maximum(n - 105, 0) - np.maximum(95 - n, 0))
    np.testing.assert_allclose(pay, expect)
    assert rate == pytest.approx(li.default_scope("placements").marginal_cost(raw.cost_model))
    with pytest.raises(ValueError, match="high"):
        ct.VolumeBand(low=105, high=95)


# --------------------------------------------------------------------------- service cuts, exit, upcoding, council


def test_service_cuts_split_and_count_moves():
    out = cm.service_cuts(np.array([0.0, 0.1]), 4e6, 100, cut_share=0.5, cut_per_move=25_000, move_cost=10_000)
    np.testing.assert_allclose(out["cut"], [0, 400_000])
    np.testing.assert_allclose(out["service"] + out["efficiency"], out["cut"])
    np.testing.assert_allclose(out["moves"], [0, 8])
    np.testing.assert_allclose(out["outcome_cost"], [0, 80_000])
    with pytest.raises(ValueError, match="effort"):
        cm.service_cuts(1.5, 4e6, 100)
    with pytest.raises(ValueError, match="cut_per_move"):
        cm.service_cuts(0.1, 4e6, 100, cut_per_move=0)


def test_exit_and_upcoding(raw):
    scope = li.default_scope("placements")
    years = scope.apply(raw)
    contracts = ct.default_contracts(raw.cost_model, scope=scope, years=years)
    # Block: handing back a child saves its whole variable cost; full reimbursement: nothing.
    assert cm.exit_gain(contracts["Block"], years, 0, 40_000) == pytest.approx(40_000 - scope.staff_per_child)
    assert cm.exit_gain(contracts["Full reimbursement"], years, 0, 40_000) == pytest.approx(0, abs=1e-6)
    # Needs-group capitation pays the group rate: upcoding gains the rate difference.
    up = cm.upcoding_gain(contracts["Capitation by needs group"], years)
    means = raw.cost_model.recorded_means()
    g = raw.cost_model.groups
    # (the rates are the practice's: the council's wider overheads taken out of every group alike)
    assert up[g[0]] == pytest.approx((1 - scope.overhead_share) * (means[g[1]] - means[g[0]]))
    assert np.isnan(up[g[-1]])
    assert cm.upcoding_gain(contracts["Block"], years)[g[0]] == 0.0
    assert cm.upcoding_cost(contracts["Capitation by needs group"], years, share=0.0) == 0.0
    with pytest.raises(ValueError, match="cost"):
        cm.exit_gain(contracts["Block"], years, 0, -1.0)


def test_council_side_low_central_high():
    side = cm.council_side(500_000.0, 100_000.0, term_years=2).set_index("item")
    assert (side["low"] <= side["central"]).all() and (side["central"] <= side["high"]).all()
    total = side.loc["Total"]
    assert total["central"] == pytest.approx(side.drop(index="Total")["central"].sum())
    twice = side.loc["Paying twice while the practice builds up (s.9.1), over the term", "central"]
    assert twice == pytest.approx(cm.assumption("double_running_months") / 12 * 500_000 / 2)
    with pytest.raises(ValueError, match="running_cost"):
        cm.council_side(0.0, 1.0)


# --------------------------------------------------------------------------- boundaries


@pytest.mark.parametrize(
    ("call", "error", "name"),
    [
        (lambda: li.limited_liability(np.array([1.0, -2.0]), -1.0), ValueError, "reserves"),
        (lambda: li.limited_liability(5.0, 1.0), TypeError, "surplus"),
        (lambda: li.limited_liability("surplus", 1.0), TypeError, "surplus"),
        (lambda: li.term_failure(np.array([1.0, -2.0]), 1.0, 10**9), ValueError, "term_years"),
        (lambda: li.reserve_for_failure_chance(np.array([1.0, -2.0]), 1.5), ValueError, "chance"),
        (lambda: li.default_scope("budget"), ValueError, "name"),
        (lambda: li.Scope("placements", fixed_cost=-1.0), ValueError, "fixed_cost"),
        (lambda: li.LimitedLiability(np.array([1.0]), np.array([-1.0]), np.array([False]), 0.0), ValueError, "council"),
        (lambda: li.TermFailure(1.5, 0.1, 0.0, 2.0, 10), ValueError, "p_fail_term"),
        (lambda: engine.reserves(Scenario.central(), months=-1.0), ValueError, "months"),
        (lambda: engine.table("placements"), TypeError, "scn"),
        (lambda: ct.default_contracts(scope="budget"), ValueError, "scope"),
        (lambda: ct.default_contracts(scope=3), TypeError, "scope"),
        (lambda: ct.default_contracts(cost_share=1.5), ValueError, "share"),
        (lambda: cm.service_cuts(1.5, 1e6, 100.0), ValueError, "effort"),
        (lambda: cm.service_cuts(0.1, 1e6, 1e15), ValueError, "children"),
        (lambda: cm.upcoding_cost(ct.Block(), "years"), TypeError, "years"),
        (lambda: cm.assumption(3), TypeError, "parameter"),
        (lambda: cm.ServiceCuts(1.0, 1.0, 1.0, 1.0, 1.0, float("nan")), ValueError, "outcome_cost"),
    ],
)
def test_liability_and_commissioning_refuse_bad_input_by_name(call, error, name):
    with pytest.raises(error, match=name):
        call()


def test_overhead_range_is_the_chapter_at_the_assumption_and_moves_little_over_its_range():
    from swp_models import pricing

    table = pricing.overhead_range()
    assert list(table["share"]) == [0.0, li.assumption("council_overhead_share"), 0.1]
    scn = pricing.scenario("placements")
    block = engine.table(scn).set_index("contract").loc["Block"]
    row = table.iloc[1]
    assert row["p_fail_year"] == block["p_fail_year"] and row["p_fail_term"] == block["p_fail_term"]
    assert row["expected_cost"] == pytest.approx(engine.own_costs(scn).totals.mean())
    # a larger share leaves the practice a smaller, less variable cost, and the council more overheads
    assert table["expected_cost"].is_monotonic_decreasing and table["sd"].is_monotonic_decreasing
    assert table["council_overheads"].is_monotonic_increasing and table.loc[0, "council_overheads"] == 0.0
    # what the council keeps is what the practice's expected cost loses
    assert (table.loc[0, "expected_cost"] - table["expected_cost"]).to_numpy() == pytest.approx(
        (table["council_overheads"]).to_numpy(), rel=1e-2)
    # the block contract's failure hardly moves: no conclusion turns on the share
    assert table["p_fail_term"].max() - table["p_fail_term"].min() < 0.05
    for bad in ([0.6], [-0.1], [], [0.0] * 12):
        with pytest.raises(ValueError, match="shares"):
            pricing.overhead_range(bad)
