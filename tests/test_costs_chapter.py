"""Tests of chapter 3's functions: the census arithmetic, the needs-index check, the exact
distribution of a practice's total cost, the slider grids, the key results, the charts and the
explorer.

Monte Carlo comparisons use fixed seeds and tolerances of four standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swp_models import costs, data
from swp_models.figures import costs_tables
from swp_models.figures.costs_tables import fmt_chance
from swp_models.charts import bound_params
from swp_models.costs import (
    NEEDS_GROUPS,
    Caseload,
    CostModel,
    default_caseload,
    default_cost_model,
    simulate_practice_costs,
    total_cost_distribution,
    total_cost_moments,
)

TWO = CostModel(("no_additional_needs", "complex_needs"), (30000, 90000), (0.75, 0.25), 0.4)


@pytest.fixture(scope="module")
def model() -> CostModel:
    """The census calibration (the alternative reading): its shares are pinned by hand below."""
    return default_cost_model(mix="census")


@pytest.fixture(scope="module")
def central() -> CostModel:
    """The book's central needs mix."""
    return default_cost_model()


@pytest.fixture(scope="module")
def practice(model):
    return total_cost_distribution(model, default_caseload())


# --------------------------------------------------------------------------- census


def test_census_reconciliation_by_hand():
    frame = costs.census_reconciliation().set_index("group")
    lac = frame.loc["looked_after"]
    assert lac["weekly_cost_per_child"] == pytest.approx(44.9e6 / 72600)
    assert lac["annualised_per_child"] == pytest.approx(44.9e6 / 72600 * 52)
    assert round(lac["annualised_per_child"]) == 32160
    assert lac["gap_per_child"] == pytest.approx(35360 - 44.9e6 / 72600 * 52)
    assert round(lac["gap_percent"], 1) == 10.0
    assert lac["implied_children"] == pytest.approx(44.9e6 * 52 / 35360)
    assert round(lac["implied_children"]) == 66029
    assert round(100 * lac["implied_share"]) == 91
    # The stated averages are exactly 52 times a round weekly figure.
    np.testing.assert_allclose(frame["stated_weekly_per_child"], [680.0, 140.0, 290.0], rtol=1e-15)
    assert round(frame.loc["in_families", "gap_percent"]) == 86
    assert round(frame.loc["all", "gap_percent"]) == 63
    assert round(frame.loc["in_families", "implied_children"]) == 168571
    assert round(100 * frame.loc["in_families", "implied_share"]) == 54


def test_census_implied_children_are_consistent_under_ten_pound_rounding():
    frame = costs.census_implied_children().set_index("group")
    both = frame.loc["looked_after + in_families"]
    everyone = frame.loc["all"]
    assert round(both["implied_children"]) == 234601
    assert round(everyone["implied_children"]) == 236207
    assert everyone["low"] < both["implied_children"] < everyone["high"]
    assert everyone["low"] == pytest.approx(68.5e6 / 295)
    assert everyone["high"] == pytest.approx(68.5e6 / 285)
    # A rounding of zero width leaves the sum outside the single figure for all children.
    narrow = costs.census_implied_children(rounding=1e-6).set_index("group")
    assert not narrow.loc["all", "low"] < narrow.loc["looked_after + in_families", "implied_children"]


def test_census_arithmetic_table_matches_reconciliation():
    table = costs_tables.census_arithmetic_table().set_index("Step")
    assert list(table.columns) == ["Looked after", "Supported in families", "All children in need", "Basis"]
    assert table.loc["52 weeks at that cost", "Looked after"] == "£32,160"
    assert table.loc["Stated average per week", "All children in need"] == "£290.00"
    assert table.loc["Children the stated average implies", "Supported in families"] == "168,571"
    assert (table["Basis"] == "report").sum() == 3


def test_census_2003_basis_and_outside_spend():
    basis = costs.census_2003_basis().set_index("group")
    assert basis.loc["looked_after", "weekly_2003"] == 600
    assert basis.loc["in_families", "weekly_2003"] == 145
    assert basis.loc["in_families", "weekly_2005_stated"] == pytest.approx(140)
    assert round(basis.loc["in_families", "weekly_2005_all_counted"]) == 75
    spend = costs.spend_per_looked_after_child().set_index("year")
    assert spend.loc["2004-05", "per_child"] == pytest.approx(1_925_958_000 / 60900)
    assert round(spend.loc["2004-05", "per_child"]) == 31625
    assert round(spend.loc["2005-06", "per_child"]) == 33970
    assert spend.loc["2007-08", "children"] == 59500


# --------------------------------------------------------------------------- needs index


def test_needs_index_reproduces_the_reports_figures():
    check = costs.needs_index_check().set_index("needs_group")
    assert check.loc["ebd", "implied_cost"] == pytest.approx(50160)
    assert check.loc["offending", "implied_cost"] == pytest.approx(53790)
    assert check.loc["ebd_offending", "implied_cost"] == pytest.approx(96030)
    ebd = check.loc[["ebd", "offending"]]
    assert (ebd["implied_cost"] >= ebd["report_low"]).all() and (ebd["implied_cost"] <= ebd["report_high"]).all()
    assert check.loc["ebd_offending", "implied_cost"] > check.loc["ebd_offending", "report_low"]
    assert check.loc[["uasc", "disability", "cwd_ebd"], "report_cost"].isna().all()
    ratios = costs.report_ratios().set_index("needs_group")
    assert ratios.loc["ebd_or_offending", "ratio"] == pytest.approx(52 / 33)
    assert ratios.loc["ebd_or_offending", "ratio_low"] == pytest.approx(50 / 33)
    assert ratios.loc["complex_needs", "ratio"] == pytest.approx(95 / 33)
    assert np.isnan(ratios.loc["complex_needs", "ratio_high"])


def test_new_tables_cite_listed_sources():
    keys = set(data.sources()["key"])
    for name in ("cost_calculator_index", "lac_expenditure_england", "lac_at_31_march", "cin_census_2003"):
        frame = data.load(name)
        assert set(frame["document"]) <= keys
    assert costs.assumption("tail_share_sensitivity") == 0.005


# --------------------------------------------------------------------------- mixture by hand


def test_default_mixture_mean_and_variance_by_hand(model):
    # Middle of the feasible line: p2 = (2360 / 62000) / 2, p1 from the mean condition.
    p2 = 2360 / 62000 / 2
    p1 = (2360 - 62000 * p2) / 19000
    p0 = 1 - p1 - p2
    assert model.shares == pytest.approx((p0, p1, p2), rel=1e-12)
    mean = 33000 * p0 + 52000 * p1 + 95000 * p2
    second = 1.25 * (33000**2 * p0 + 52000**2 * p1 + 95000**2 * p2)
    assert mean == pytest.approx(35360, rel=1e-12)
    assert model.variance == pytest.approx(second - mean**2, rel=1e-10)
    assert round(model.std) == 20618
    assert [round(100 * s, 1) for s in model.shares] == [91.9, 6.2, 1.9]


def test_child_percentiles_quoted_in_the_text(central):
    q = costs.child_cost_percentiles(central, (0.5, 0.9, 0.99)).set_index("percentile")["cost"]
    assert round(q[50.0], -2) == 36500
    assert round(q[90.0], -2) == 74200
    assert round(q[99.0], -2) == 135900


# --------------------------------------------------------------------------- exact total-cost distribution


def _grid_child_moments(dist):
    x = np.arange(dist.child_pmf.size) * dist.step
    mean = float(dist.child_pmf @ x)
    return mean, float(dist.child_pmf @ (x - mean) ** 2)


def test_fft_distribution_moments_match_exact(model, practice):
    exact = total_cost_moments(model, default_caseload())
    assert practice.mean == pytest.approx(exact.mean, rel=1e-10)
    # The grid keeps each child's mean; its variance is a little larger (at most step^2 / 4).
    mean_d, var_d = _grid_child_moments(practice)
    assert mean_d == pytest.approx(model.mean, rel=1e-12)
    assert 0 <= var_d - model.variance <= practice.step**2 / 4
    assert practice.variance == pytest.approx(exact.variance, rel=2e-4)
    assert practice.pmf.sum() == pytest.approx(1.0, abs=1e-12)
    assert practice.caseload_probs.sum() == pytest.approx(1.0)
    assert list(practice.caseloads) == list(range(90, 111))


@pytest.mark.parametrize("kind", ["uniform", "binomial"])
def test_fft_variance_identity_holds_exactly_on_the_grid(model, kind):
    load = Caseload(100, 10, kind)
    dist = total_cost_distribution(model, load)
    np.testing.assert_allclose(dist.caseload_probs @ dist.caseloads, 100.0)
    var_n = float(dist.caseload_probs @ (dist.caseloads - 100.0) ** 2)
    assert var_n == pytest.approx(load.variance)
    mean_d, var_d = _grid_child_moments(dist)
    assert dist.variance == pytest.approx(100 * var_d + var_n * mean_d**2, rel=1e-9)


def test_fft_single_child_matches_exact_quantiles(model):
    dist = total_cost_distribution(model, 1, points_per_sd=200)
    q = np.array([0.05, 0.5, 0.95, 0.99])
    np.testing.assert_allclose(dist.quantile(q), model.quantile(q), atol=dist.step)
    x = np.array([20000.0, 50000.0, 100000.0])
    np.testing.assert_allclose(dist.cdf(x), model.cdf(x), atol=1e-3)


def test_fft_agrees_with_simulation(model, practice):
    sims = simulate_practice_costs(model, default_caseload(), 100_000, seed=31)
    n = len(sims)
    for q in (0.05, 0.5, 0.95, 0.99):
        point = float(practice.quantile(q))
        share = float(np.mean(sims["total_cost"] <= point))
        assert abs(share - q) < 4 * math.sqrt(q * (1 - q) / n)
    for e in (0.10, 0.20):
        p = practice.prob_cost_per_child_exceeds(e)
        hit = float(np.mean(sims["cost_per_child"] > (1 + e) * model.mean))
        assert abs(hit - p) < 4 * math.sqrt(p * (1 - p) / n) + 1e-4


def test_fft_small_skewed_pool_against_simulation():
    model = default_cost_model(cv=1.0, tail_share=0.005, tail_multiple=3)
    dist = total_cost_distribution(model, 10)
    sims = simulate_practice_costs(model, 10, 200_000, seed=5)
    for e in (0.0, 0.10, 0.50):
        p = dist.prob_cost_per_child_exceeds(e)
        hit = float(np.mean(sims["cost_per_child"] > (1 + e) * model.mean))
        assert abs(hit - p) < 4 * math.sqrt(p * (1 - p) / len(sims))


def test_fft_large_pool_is_close_to_normal(model):
    dist = total_cost_distribution(model, 5000)
    exact = dist.prob_cost_per_child_exceeds(0.01)
    normal = costs.prob_cost_per_child_exceeds(model, 5000, 0.01, "normal")
    assert exact == pytest.approx(normal, abs=0.01)
    assert exact > normal  # right skew remains, if small


def test_fft_sf_and_cdf_are_complementary(practice):
    x = np.linspace(2.5e6, 4.5e6, 11)
    np.testing.assert_allclose(practice.cdf(x) + practice.sf(x), 1.0, atol=1e-12)
    assert practice.sf(1e12) == 0.0
    assert practice.cdf(-1.0) == 0.0


@settings(max_examples=15, deadline=None)
@given(cv=st.floats(0.1, 1.5), n=st.integers(1, 60), e=st.floats(0.0, 0.5))
def test_fft_exceedance_monotone_and_mean_exact(cv, n, e):
    model = CostModel(NEEDS_GROUPS, (33000, 52000, 95000), (0.9, 0.07, 0.03), cv)
    dist = total_cost_distribution(model, n, points_per_sd=10)
    assert dist.mean == pytest.approx(n * model.mean, rel=1e-8)
    p = dist.prob_cost_per_child_exceeds(e)
    assert 0.0 <= p <= dist.prob_cost_per_child_exceeds(e / 2) + 1e-12


def test_pooling_curve_falls_with_size_and_normal_understates_small_pools(central):
    model = central
    pool = costs.pooling_curve(model, (10, 30, 100, 300, 1000, 5000), (0.10, 0.20))
    for e, part in pool.groupby("excess"):
        assert (part["p_exact"].diff().dropna() <= 0).all(), e
        np.testing.assert_allclose(part["sd_cost_per_child"], model.std / np.sqrt(part["children"]))
    wide = pool.set_index(["children", "excess"])
    assert round(wide.loc[(100, 0.10), "p_exact"], 3) == 0.055  # "about 1 in 18"
    assert round(1 / wide.loc[(100, 0.10), "p_exact"]) == 18
    ratio = wide.loc[(100, 0.20), "p_normal"] / wide.loc[(100, 0.20), "p_exact"]
    assert 0.28 < ratio < 0.38  # "about a third of its exact value"
    # "Only for the smallest pools (10 or 30 children) does it overstate the chance of a 10% overshoot"
    for n in (10, 30):
        gap = wide.loc[(n, 0.10), "p_normal"] - wide.loc[(n, 0.10), "p_exact"]
        assert 0.0 < gap < 0.05, n
    for n in (100, 300):
        assert wide.loc[(n, 0.10), "p_normal"] < wide.loc[(n, 0.10), "p_exact"], n
    assert fmt_chance(wide.loc[(1000, 0.10), "p_exact"]) == "1 in 2.5 million"
    assert wide.loc[(5000, 0.10), "p_exact"] == 0.0


# --------------------------------------------------------------------------- grids and tables


def test_shares_for_complex_share_on_the_line():
    line = costs.shares_for_complex_share(np.array([0.0, 0.019, 2360 / 62000]))
    np.testing.assert_allclose(line[list(NEEDS_GROUPS)].sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(line["mean"], 35360.0, rtol=1e-12)
    assert line["ebd_or_offending"].iloc[-1] == 0.0
    assert line["ebd_or_offending"].iloc[0] == pytest.approx(2360 / 19000)


def test_share_sensitivity_grid_shape_and_monotonicity():
    grid = costs.share_sensitivity_grid([0.0, 0.019, 0.038], cvs=(0.25, 0.5, 1.0), points_per_sd=10)
    assert grid.shape == (9, 13)
    np.testing.assert_allclose(grid["mean"], 35360.0, rtol=1e-12)
    np.testing.assert_allclose(grid["none_pct"] + grid["ebd_pct"] + grid["complex_pct"], 100.0, atol=1e-9)
    for _, part in grid.groupby("cv"):
        assert (part["sd_child"].diff().dropna() > 0).all()
        assert (part["p_over_10"].diff().dropna() > 0).all()
    for _, part in grid.groupby("complex_pct"):
        assert (part["sd_child"].diff().dropna() > 0).all()
        assert (part["practice_p95"].diff().dropna() > 0).all()
    default = costs.share_sensitivity_grid(cvs=(0.5,), points_per_sd=10)
    assert len(default) == 39 and default["complex_pct"].iloc[-1] == pytest.approx(3.8)


def test_target_tail_and_variance_tables(model):
    targets = costs.target_sensitivity([35360, 40000])
    assert targets["complex_high"].tolist() == pytest.approx([2360 / 62000, 7000 / 62000])
    assert targets["sd_child"].iloc[1] > targets["sd_child"].iloc[0]
    tail = costs.tail_sensitivity().set_index("model")
    with_tail = tail.loc["with exceptional children"]
    # the exceptional 0.5% take their share from every group: the mean rises by about £1,200
    assert with_tail["mean"] == pytest.approx(0.995 * 42840 + 0.005 * 3 * 95000, rel=1e-12)
    assert round(with_tail["mean"] - tail.loc["default", "mean"], -2) == 1200
    assert with_tail["sd_child"] / tail.loc["default", "sd_child"] == pytest.approx(1.25, abs=0.02)  # "about a quarter"
    assert [round(100 * p, 1) for p in (tail.loc["default", "p_over_10"], with_tail["p_over_10"])] == [5.5, 9.3]
    parts = costs.variance_decomposition(model).set_index("term")["variance"]
    assert parts.iloc[0] + parts.iloc[1] == pytest.approx(parts.iloc[2])
    assert parts.iloc[1] == pytest.approx(110 / 3 * model.mean**2)


def test_practice_percentiles_and_density(model, central):
    pct = costs.practice_percentiles(central).set_index("percentile")
    assert [round(pct.loc[p, "exact"] / 1e6, 2) for p in (5.0, 95.0, 99.0)] == [3.70, 4.90, 5.15]
    pct = costs.practice_percentiles(model).set_index("percentile")
    assert [round(pct.loc[p, "exact"] / 1e6, 2) for p in (5.0, 95.0, 99.0)] == [3.06, 4.03, 4.24]
    assert (pct["difference"].loc[[95.0, 99.0]] > 0).all()  # exact right tail is heavier
    dens = costs.practice_density(model, n_points=101)
    assert set(dens["method"]) == {"exact", "normal"} and dens["caseload"].nunique() == 3
    for (_, _), part in dens.groupby(["caseload", "method"]):
        area = np.trapezoid(part["density"], part["total"])
        assert area == pytest.approx(1.0, abs=2e-3)
    child = costs.child_cost_density(model, 400_000, 2001)
    total = child.groupby("cost")["density"].sum()
    assert np.trapezoid(total.to_numpy(), total.index.to_numpy() / 1000) == pytest.approx(1.0, abs=2e-3)


def test_exact_vs_simulated_within_monte_carlo_error(model):
    check = costs.exact_vs_simulated(model, n_children=200_000, n_years=20_000, seed=3)
    assert len(check) == 6
    assert (check["z"].abs() < 4).all()
    # The page's seeded check: every difference within two standard errors.
    page = costs.exact_vs_simulated(model, default_caseload(), n_children=1_000_000, n_years=100_000, seed=2007)
    assert (page["z"].abs() < 2).all()


def test_fmt_chance():
    assert fmt_chance(0.0503) == "5.0%"
    assert fmt_chance(0.00129) == "0.13%"
    assert fmt_chance(3.02e-4) == "1 in 3,300"
    assert fmt_chance(1.4e-9) == "1 in 710 million"
    assert fmt_chance(1e-30) == "below 1 in 10 billion"


def test_key_results_values():
    table = costs_tables.key_results()
    values = dict(zip(table.frame["Result"], table.frame["Value"]))
    text = " | ".join(values.values())
    for expected in ("£32,160 against £35,360 (the average is 10.0% higher)", "66,029 (91% of 72,600)",
                     "152, 163 and 291", "55% / 42% / 3%", "£42,840 against £39,244 (census average £35,360)",
                     "£4.28m (£3.70m to £4.90m)", "5.0% to 6.1% (central 5.5%)",
                     "1 in 3,600, 3.5% and 16.1% (without any shock 1 in 2.5 million)", "at least 5% a year"):
        assert expected in text, expected
    rests = dict(zip(table.frame["Result"], table.frame["Rests on an assumption"]))
    tagged = [r for r, a in rests.items() if a != "data and model only"]
    assert len(tagged) == 6  # every figure from the needs mix, the spread or the shock names its assumption
    for cell in table.frame["Value"]:
        assert "E[" not in cell and "Var(" not in cell and "sqrt" not in cell  # no formulas


def test_needs_mix_and_outside_check_quoted_in_the_text():
    mixes = costs.needs_mix_table().set_index("mix")
    assert [round(m) for m in mixes["mean"]] == [42840, 41320, 44740, 46030, 35360]
    assert [round(100 * p, 1) for p in mixes["p_over_10"]] == [5.5, 5.7, 5.2, 6.1, 5.0]
    check = costs_tables.overhead_check()["value"].round().tolist()
    assert check == [33970.0, 39244.0, 35360.0, 42840.0]
    assert check[1] > check[2]  # spending plus a social worker's cost is above the census average, not below
    shock = costs.shock_pooling_table(sizes=(100, 1000)).set_index(["shock_cv", "children"])["p_exact"]
    assert round(1 / shock[(0.05, 1000)]) in (28, 29)  # "about one year in thirty"
    assert round(1 / shock[(0.05, 100)]) == 10  # "about one year in ten"
    assert round(100 * costs.shock_exceedance(0.05, 0.10), 1) == 2.7
    page = costs_tables.needs_mix_page_table().frame
    assert page.iloc[0, 1] == "55% / 42% / 3%"


# --------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda m: total_cost_distribution(m, 100, points_per_sd=2), "points_per_sd"),
        (lambda m: total_cost_distribution(m, 0), "caseload"),
        (lambda m: total_cost_distribution(m, 10).prob_cost_per_child_exceeds(-0.1), "excess"),
        (lambda m: total_cost_distribution(m, 10).prob_cost_per_child_exceeds(float("nan")), "excess"),
        (lambda m: total_cost_distribution(m, 10).quantile(1.0), "q"),
        (lambda m: total_cost_distribution(m, 10).cdf(float("nan")), "x"),
        (lambda m: costs.pooling_curve(m, (0,)), "sizes"),
        (lambda m: costs.pooling_curve(m, (10,), (-0.1,)), "excesses"),
        (lambda m: costs.shares_for_complex_share(0.5), "complex_share"),
        (lambda m: costs.shares_for_complex_share(float("nan")), "complex_share"),
        (lambda m: costs.census_implied_children(rounding=0), "rounding"),
        (lambda m: costs.share_sensitivity_grid([0.01], cvs=(0.0,)), "cvs"),
        (lambda m: costs.child_cost_density(m, upper=-1), "upper"),
        (lambda m: costs.child_cost_percentiles(m, (1.0,)), "qs"),
        (lambda m: costs.practice_percentiles(m, 100, (0.0,)), "qs"),
        (lambda m: costs.exact_vs_simulated(m, 100, n_children=10), "n_children"),
        (lambda m: costs.exact_vs_simulated(m, 100, n_years=10), "n_years"),
        (lambda m: costs.target_sensitivity([30000]), "target_mean"),
        (lambda m: fmt_chance(1.5), "p"),
    ],
)
def test_chapter_functions_reject_bad_input(call, name):
    with pytest.raises(ValueError, match=name):
        call(TWO)


# --------------------------------------------------------------------------- charts


@pytest.mark.slow
def test_chart_builders_produce_specs_with_named_params():
    from swp_models.figures import costs as figures

    mix_grid = costs.mix_sensitivity_grid((0.37, 0.45), (0.01, 0.03, 0.06), (0.25, 0.5), points_per_sd=8)
    charts = {
        "census_gap_chart": figures.census_gap_chart(),
        "needs_index_chart": figures.needs_index_chart(),
        "feasible_shares_chart": figures.feasible_shares_chart(),
        "child_cost_chart": figures.child_cost_chart(),
        "practice_cost_chart": figures.practice_cost_chart(),
        "pooling_chart": figures.pooling_chart(sizes=[10, 100, 1000]),
        "mix_sensitivity_chart": figures.mix_sensitivity_chart(mix_grid),
    }
    for name, chart in charts.items():
        spec = chart.to_dict()
        assert spec["title"]["text"].startswith("Source:"), name
    assert "ch3_caseload" in bound_params(charts["practice_cost_chart"].to_dict())
    assert "ch3_shock" in bound_params(charts["pooling_chart"].to_dict())
    assert {"ch3_complex_share", "ch3_cv"} <= set(bound_params(charts["mix_sensitivity_chart"].to_dict()))


# --------------------------------------------------------------------------- explorer


def _inputs(**changes):
    from swp_models.explore.costs import ExplorerInputs

    base = dict(target_mean=35360.0, share_mode="calibrated", position=0.5, ebd_share=0.06, complex_share=0.02,
                cv=0.5, tail_share=0.0, tail_multiple=3.0, caseload=Caseload(100, 10), excess=0.10)
    base.update(changes)
    return ExplorerInputs(**base)


def test_explorer_results_and_errors():
    from swp_models.explore.costs import build_model, results_html

    default = results_html(_inputs())
    assert "£35,360" in default and "91.9%" in default and "5.0%" in default
    assert build_model(_inputs()).shares == pytest.approx(default_cost_model(mix="census").shares)
    central = _inputs(share_mode="by hand", ebd_share=0.42, complex_share=0.03)
    assert build_model(central).shares == pytest.approx(default_cost_model().shares)
    shocked = build_model(_inputs(shock_cv=0.05))
    assert shocked.shock_cv == 0.05
    with pytest.raises(ValueError, match="shock_cv"):
        _inputs(shock_cv=2.0)
    by_hand = build_model(_inputs(share_mode="by hand"))
    assert by_hand.shares == pytest.approx((0.92, 0.06, 0.02))
    assert "no valid model" in results_html(_inputs(share_mode="by hand", ebd_share=0.7, complex_share=0.5))
    assert "target_mean" in results_html(_inputs(target_mean=30000.0))
    with pytest.raises(ValueError, match="share_mode"):
        _inputs(share_mode="guess")
    with pytest.raises(ValueError, match="excess"):
        _inputs(excess=-0.5)


def test_explorer_widget_recomputes_on_change():
    from swp_models.explore.costs import explorer

    box = explorer()
    before = box.output.value
    assert "recomputed in" in box.timing.value
    cv = next(c for c in box.children if getattr(c, "description", "") == "Within-group CV")
    cv.value = 1.0
    assert box.output.value != before
    assert "£46,6" in box.output.value  # sd of one child at CV 1.0 on the central mix (about £46,600)


def test_page_tables_are_formatted_strings():
    tail = costs_tables.tail_sensitivity_table().set_index("Measure")
    assert list(tail.columns) == ["Default", "With exceptional children"]
    assert tail.loc["Standard deviation of a child's cost", "With exceptional children"] == "£32,579"
    assert tail.loc["Chance cost per child is more than 10% over", "Default"] == "5.5%"
    check = pd.DataFrame({"quantity": ["Cost of a child: variance", "Cost of a child: mean"],
                          "exact": [4.2509e8, 35360.0], "simulated": [4.26e8, 35377.0],
                          "std_error": [1.88e6, 20.6], "z": [0.63, 0.82]})
    table = costs_tables.exact_vs_simulated_table(check)
    assert table["Exact"].tolist() == ["4.251 × 10⁸ £²", "£35,360"]
    assert table["Difference (standard errors)"].tolist() == ["+0.63", "+0.82"]


def test_pilot_cohorts_quoted_in_the_text():
    cohorts = data.load("pilot_cohorts_2010").set_index("measure")
    assert cohorts.loc["kent_cohort_aged_16_to_24", "value"] == 580
    assert cohorts.loc["children_transferred_five_pilots", "low"] == 1000  # "more than 1,000"


# --------------------------------------------------------------------------- accuracy at every size accepted


@pytest.mark.slow
def test_distribution_keeps_its_accuracy_up_to_the_bound_and_refuses_past_it():
    """Mean and sd of the grid distribution against the exact moments, from 1 child to the largest caseload accepted.

    The documented accuracy: the mean exact to rounding; the variance above the exact one by at most
    E[N] h^2 / 4, about 1e-4 of it at the default resolution, at every size (no silent coarsening).
    """
    model = default_cost_model()
    limit = costs.exact_caseload_limit(model)
    assert 50_000 < limit < 70_000
    for n in (1, 2, 10, 100, 1000, 10_000, limit):
        dist = total_cost_distribution(model, n)
        exact = costs.total_cost_moments(model, n)
        assert dist.mean == pytest.approx(exact.mean, rel=1e-9), n
        assert math.sqrt(dist.variance) == pytest.approx(exact.std, rel=2e-4), n
        assert math.sqrt(dist.variance) >= exact.std * (1 - 1e-9), n
    for n in (limit + 1, 10**6, 10**7, 10**8, 10**9):
        with pytest.raises(ValueError, match="caseload"):
            total_cost_distribution(model, n)
    with pytest.raises(ValueError, match="caseload"):
        costs.practice_percentiles(model, 10**10)
    with pytest.raises(ValueError, match="sizes"):
        costs.pooling_curve(model, (100, 10**7))


@pytest.mark.slow
def test_distribution_bound_with_a_margin_and_a_shock():
    model = default_cost_model().with_shock(0.10)
    limit = costs.exact_caseload_limit(model, margin=10)
    assert 1000 < limit < costs.exact_caseload_limit(model)
    dist = total_cost_distribution(model, Caseload(limit, 10))
    exact = costs.total_cost_moments(model, Caseload(limit, 10))
    assert dist.mean == pytest.approx(exact.mean, rel=1e-6)
    assert math.sqrt(dist.variance) == pytest.approx(exact.std, rel=2e-3)
    with pytest.raises(ValueError, match="caseload"):
        total_cost_distribution(model, Caseload(limit + 1, 10))
