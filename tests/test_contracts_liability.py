"""Scope (who holds the placement budget) and limited liability (reserves, failure, the council's losses)."""

import numpy as np
import pytest

from swp_models import contracts as ct
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
        (lambda: li.default_scope("budget"), "name"),
        (lambda: ct.chapter_table("budget"), "scope"),
    ],
)
def test_bad_inputs_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_placements_scope_splits_fixed_and_variable_cost(raw):
    scope = li.default_scope("placements")
    years = scope.apply(raw)
    expect = raw.totals + scope.fixed_cost - scope.staff_per_child * raw.counts
    np.testing.assert_allclose(years.totals, expect)
    assert years.expected_total == pytest.approx(raw.expected_total + scope.fixed_cost
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
    contracts = ct.build_contracts(raw.cost_model, scope=scope)
    reserves = li.reserves_from_months(3, scope.fixed_cost)
    table = li.failure_comparison(contracts, years, reserves, term_years=3, failure_cost=100_000,
                                  risk_aversion=1 / 250_000).set_index("contract")
    block = table.loc["Block"]
    surplus = contracts["Block"].surplus(years)
    assert block["p_fail_year"] == pytest.approx(np.mean(surplus < -reserves))
    assert block["absorbed"] == pytest.approx(np.mean(np.maximum(-surplus - reserves, 0)))
    assert table.loc["Full reimbursement", "p_fail_year"] == 0.0
    # limited liability lowers the premium a practice charges
    assert block["risk_premium_limited"] < block["risk_premium"]
    # social work only: the practice's risk is small and it almost never fails
    sw = li.default_scope("social_work")
    sw_table = li.failure_comparison(ct.build_contracts(raw.cost_model, scope=sw), sw.apply(raw), reserves,
                                     term_years=3, failure_cost=100_000, risk_aversion=1 / 250_000)
    assert sw_table.set_index("contract").loc["Block", "p_fail_year"] < 0.01 < block["p_fail_year"]
