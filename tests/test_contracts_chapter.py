"""Tests of chapter 5's additions to the contract simulator, its tables, charts and explorer.

Monte Carlo checks use fixed seeds; tolerances are stated where they are not exact. The
chapter's own figures (quoted in its prose) are pinned in the tests marked ``slow``: they
price the chapter's 100,000 practice-years once per session (a few seconds).
"""

from __future__ import annotations

import json
import math

import altair as alt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swp_models import contracts as C
from swp_models import engine
from swp_models.scenario import Scenario
from swp_models.costs import default_caseload
from swp_models.figures import contracts_tables as T
from swp_models.liability import default_scope
from swp_models.contracts import (
    Block,
    Capitation,
    Contract,
    CostAndVolume,
    CostSharing,
    FullReimbursement,
    MixedOutcome,
    Outcome,
    OutcomeBased,
    compare,
    council_expected_cost,
    effort_comparison,
    optimal_share,
    power_of_incentive,
    risk_premium,
    risk_sharing,
    simulate_practice_years,
    simulated_optimal_share,
    with_effort,
)
from swp_models.costs import Caseload, CostModel, default_cost_model, total_cost_moments

R = 250_000.0  # risk tolerance 1/r, £
K = 10.0


@pytest.fixture(scope="module")
def model() -> CostModel:
    return default_cost_model()


@pytest.fixture(scope="module")
def years(model):
    return simulate_practice_years(model, Caseload(100, 10), 4_000, seed=11)


@pytest.fixture(scope="module")
def small_years(model):
    return simulate_practice_years(model, Caseload(30, 5), 300, seed=3)


# --------------------------------------------------------------------------- CostSharing


def test_cost_sharing_nests_the_reports_contracts(years, model):
    c = years.totals
    np.testing.assert_array_equal(CostSharing(share=1.0).payment(years), Block().payment(years))
    np.testing.assert_array_equal(CostSharing(share=0.0).payment(years), c)
    for s in (0.0, 0.3, 0.75, 1.0):
        np.testing.assert_allclose(CostSharing(share=s).payment(years), CostAndVolume(share=s).payment(years),
                                   rtol=1e-12)
    np.testing.assert_allclose(CostSharing(share=1.0, basis="caseload").payment(years),
                               Capitation.flat(model).payment(years), rtol=1e-12)
    np.testing.assert_allclose(CostSharing(share=1.0, basis="needs").payment(years),
                               Capitation.risk_adjusted(model).payment(years), rtol=1e-12)


def test_cost_sharing_threshold_bounds_the_surplus(years):
    t = 80_000.0
    s0 = CostSharing(share=0.0, threshold=t).surplus(years)
    assert np.all(np.abs(s0) <= t + 1e-6)
    assert np.isclose(np.abs(s0).max(), t)  # some years reach the cap in a sample of 4,000
    # A huge threshold is a block contract.
    np.testing.assert_allclose(CostSharing(share=0.3, threshold=1e12).payment(years), Block().payment(years),
                               rtol=1e-12)


@settings(max_examples=40, deadline=None)
@given(share=st.floats(0.0, 1.0), threshold=st.floats(0.0, 4e5), basis=st.sampled_from(["fixed", "caseload", "needs"]),
       baseline=st.one_of(st.none(), st.floats(1e5, 2e6)))
def test_cost_sharing_identities(small_years, share, threshold, basis, baseline):
    c = CostSharing(share=share, threshold=threshold, basis=basis, baseline=baseline)
    b = c.year_baseline(small_years)
    d = b - small_years.totals
    inner = np.clip(d, -threshold, threshold)
    surplus = c.surplus(small_years)
    np.testing.assert_allclose(surplus, inner + share * (d - inner), rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(c.practice_surplus(small_years.totals, b), surplus, rtol=1e-9, atol=1e-6)
    # Surplus + cost = payment (the council's spend), and the practice never bears more than the overspend.
    np.testing.assert_allclose(c.payment(small_years) - surplus, small_years.totals, rtol=1e-12)
    assert np.all(-surplus <= np.maximum(-d, 0.0) + 1e-6)
    p = power_of_incentive(c, small_years)
    assert -1e-9 <= p <= 1 + 1e-9
    if threshold == 0:
        assert p == pytest.approx(share, abs=1e-9)


def test_cost_sharing_risk_falls_with_share_and_rises_with_threshold(years):
    rps = [risk_premium(CostSharing(share=s).surplus(years), R) for s in (0.0, 0.25, 0.5, 0.75, 1.0)]
    assert rps[0] == 0.0 and all(a < b for a, b in zip(rps, rps[1:]))
    by_t = [risk_premium(CostSharing(share=0.2, threshold=t).surplus(years), R) for t in (0, 5e4, 1e5, 2e5)]
    assert all(a < b for a, b in zip(by_t, by_t[1:]))


@pytest.mark.parametrize(
    ("make", "name"),
    [
        (lambda: CostSharing(), "share"),
        (lambda: CostSharing(share=1.2), "share"),
        (lambda: CostSharing(share=float("nan")), "share"),
        (lambda: CostSharing(share=0.5, threshold=-1.0), "threshold"),
        (lambda: CostSharing(share=0.5, threshold=float("nan")), "threshold"),
        (lambda: CostSharing(share=0.5, basis="volume"), "basis"),
        (lambda: CostSharing(share=0.5, baseline=-5.0), "baseline"),
        (lambda: CostSharing(share=0.5, admin_cost_per_year=-1.0), "admin_cost_per_year"),
        (lambda: MixedOutcome(bonus=OutcomeBased(bonus_per_unit=1.0, outcome=Outcome(0.5))), "cost_part"),
        (lambda: MixedOutcome(cost_part=Block(), bonus=Block()), "bonus"),
        (lambda: with_effort(None, 1.0), "effort"),
    ],
)
def test_chapter_contracts_reject_bad_input(make, name):
    with pytest.raises((ValueError, TypeError), match=name):
        make()


# --------------------------------------------------------------------------- MixedOutcome


def test_mixed_outcome_is_cost_part_plus_bonus(years):
    bonus = OutcomeBased(bonus_per_unit=1000.0, outcome=Outcome(0.8, 0.15, 0.5))
    on_block = MixedOutcome(cost_part=Block(), bonus=bonus)
    np.testing.assert_allclose(on_block.payment(years), bonus.payment(years), rtol=1e-12)
    on_cv = MixedOutcome(cost_part=CostAndVolume(share=0.4), bonus=bonus)
    np.testing.assert_allclose(on_cv.payment(years), CostAndVolume(share=0.4).payment(years) + bonus.bonus(years),
                               rtol=1e-12)
    assert power_of_incentive(on_cv, years) == pytest.approx(0.4, abs=1e-9)
    assert on_cv.label.endswith("+ outcome bonus")


# --------------------------------------------------------------------------- effort


def test_with_effort_scales_costs_and_model(years):
    e = 0.07
    after = with_effort(years, e)
    np.testing.assert_allclose(after.costs, years.costs * (1 - e), rtol=1e-15)
    np.testing.assert_allclose(after.totals, years.totals * (1 - e), rtol=1e-12)
    assert after.expected_total == pytest.approx((1 - e) * years.expected_total, rel=1e-12)
    assert after.cost_model.cv == years.cost_model.cv and after.cost_model.shares == years.cost_model.shares
    assert with_effort(years, 0.0) is years
    # The default baseline follows the reduced expected cost.
    assert Block().payment(after)[0] == pytest.approx((1 - e) * years.expected_total, rel=1e-12)


def test_effort_comparison_identities(years):
    book = {"block": Block(admin_cost_per_year=2000.0), "cv": CostAndVolume(share=0.4),
            "full": FullReimbursement(admin_cost_per_child=300.0)}
    table = effort_comparison(book, years, R, K).set_index("contract")
    fixed = compare(book, years, R).set_index("contract")
    m = years.totals.mean()
    # Costs fixed: the same as compare().
    np.testing.assert_allclose(table["council_cost_fixed"], fixed["council_total_cost"], rtol=1e-12)
    # Full reimbursement: no effort, no change.
    assert table.loc["full", "effort"] == 0.0
    assert table.loc["full", "council_cost_effort"] == pytest.approx(table.loc["full", "council_cost_fixed"], rel=1e-12)
    # Effort = power / k, efficiency gain = e m - k e^2 m / 2 exactly.
    for name, s in (("block", 1.0), ("cv", 0.4)):
        e = s / K
        assert table.loc[name, "effort"] == pytest.approx(e, abs=1e-9)
        assert table.loc[name, "efficiency_gain"] == pytest.approx(e * m - K * e * e * m / 2, rel=1e-9)
        assert table.loc[name, "effort_cost"] == pytest.approx(K * e * e * m / 2, rel=1e-9)
    # The premium on the reduced costs is the premium of s (1 - e) (B - C).
    e = 0.04
    expected_rp = risk_premium(0.4 * (1 - e) * (years.expected_total - years.totals), R)
    assert table.loc["cv", "risk_premium_effort"] == pytest.approx(expected_rp, rel=1e-9)
    # A block contract's premium after effort is (1 - e)^2 of the approximate one.
    assert table.loc["block", "risk_premium_effort"] < table.loc["block", "risk_premium_fixed"]


def test_effort_comparison_matches_simulated_optimum_grid(years):
    shares = np.array([0.0, 0.2, 0.5, 0.8, 1.0])
    grid = simulated_optimal_share(years, R, K, shares=shares).grid.set_index("share")
    table = effort_comparison({f"{s}": CostAndVolume(share=float(s)) for s in shares}, years, R, K)
    np.testing.assert_allclose(table["council_cost_effort"].to_numpy(), grid["council_cost"].to_numpy(), rtol=1e-9)


def test_effort_comparison_near_closed_form_for_near_normal_costs():
    # One needs group with little spread and 400 children: totals are close to normal, and the
    # closed form (mean-variance premium on unscaled variance) differs from the simulated cost
    # by the (1 - e)^2 scaling of the premium and sampling noise only.
    model = CostModel(("no_additional_needs",), (33000.0,), (1.0,), 0.2)
    yrs = simulate_practice_years(model, 400, 20_000, seed=5)
    m, v = yrs.totals.mean(), yrs.totals.var()
    r = 1 / 200_000
    for s in (0.3, 0.7):
        sim = effort_comparison([CostAndVolume(share=s)], yrs, 1 / r, K)["council_cost_effort"].item()
        closed = council_expected_cost(s, m, v, 1 / r, K)
        rp = r * s * s * v / 2
        e = s / K
        assert abs(sim - closed) < (1 - (1 - e) ** 2) * rp + 0.02 * rp


def test_effort_comparison_rejects_bad_input(years):
    class Perverse(Contract):
        def payment(self, yrs):
            return 2.0 * yrs.totals

    with pytest.raises(ValueError, match="power of incentive"):
        effort_comparison({"perverse": Perverse()}, years, R, K)
    with pytest.raises(ValueError, match="risk_tolerance"):
        effort_comparison([Block()], years, -1.0, K)
    with pytest.raises(ValueError, match="effort_cost"):
        effort_comparison([Block()], years, R, 0.5)
    with pytest.raises(ValueError, match="effort_cost"):
        effort_comparison([Block()], years, R, 1.0)  # a block contract would then cut every cost
    with pytest.raises(ValueError, match="contracts"):
        effort_comparison([], years, R, K)


# --------------------------------------------------------------------------- risk sharing


def test_risk_sharing_limits(years, model):
    book = {"block": Block(), "full": FullReimbursement(), "flat": Capitation.flat(model),
            "needs": Capitation.risk_adjusted(model), "cv": CostAndVolume(share=0.3)}
    t = risk_sharing(book, years).set_index("contract")
    parts = ["caseload", "case_mix", "within_group", "overall"]
    np.testing.assert_allclose(t.loc["block", parts], 1.0, atol=1e-9)
    np.testing.assert_allclose(t.loc["full", parts], 0.0, atol=1e-12)
    np.testing.assert_allclose(t.loc["cv", parts], 0.3, atol=1e-9)
    # A flat capitation pays exactly for the number of children; by needs group also for case mix.
    assert abs(t.loc["flat", "caseload"]) < 1e-9 and t.loc["flat", "within_group"] == pytest.approx(1.0, abs=1e-9)
    assert abs(t.loc["needs", "case_mix"]) < 1e-9 and t.loc["needs", "within_group"] == pytest.approx(1.0, abs=1e-9)
    fixed = simulate_practice_years(model, 100, 200, seed=1)
    assert math.isnan(risk_sharing([Block()], fixed)["caseload"].item())


# --------------------------------------------------------------------------- optimal share


def test_optimal_share_against_hand_calculation():
    m, v, r, k = 3_536_000.0, 88_354_958_666.7, 1 / 250_000, 10.0
    hand = 1 / (1 + r * k * v / m)
    assert optimal_share(m, v, 1 / r, k) == pytest.approx(hand, rel=1e-15)
    assert hand == pytest.approx(0.5000, abs=1e-3)  # the chapter's closed form with the exact moments
    # It minimises the closed-form council cost: cost rises on either side.
    c = council_expected_cost(np.array([hand - 0.01, hand, hand + 0.01]), m, v, 1 / r, k)
    assert c[1] < c[0] and c[1] < c[2]


# --------------------------------------------------------------------------- build_contracts


def test_build_contracts_defaults_and_terms(model):
    book = C.default_contracts(model)
    assert list(book) == list(engine.book(Scenario.central(scope="placements")))
    assert len(book) == 11
    assert {C.contract_family(c) for c in book.values()} == set(C.FAMILIES)
    changed = C.default_contracts(model, cost_share=0.3, overspend_threshold=50_000.0)
    assert "Cost and volume, 30% shared" in changed and "Threshold at £50k" in changed
    with pytest.raises(ValueError, match="terms"):
        C.default_contracts(model, share=0.3)
    with pytest.raises(ValueError, match="share"):
        C.default_contracts(model, cost_share=1.5)
    with pytest.raises(ValueError, match="contract"):
        C.contract_family("block")


# --------------------------------------------------------------------------- grids on a small sample


@pytest.fixture()
def small_chapter(monkeypatch, model):
    """Point the chapter's page functions at a scenario of 3,000 practice-years so grids and charts build in a moment."""

    def small(scope: str = "placements", seed: int | None = None) -> Scenario:
        scn = Scenario.central(scope=scope).replace(n_years=3_000, grid_years=2_000)
        return scn if seed is None else scn.replace(seed=seed)

    from swp_models import pricing

    caches = (pricing._skimming_table, pricing._chapter_design_grid, pricing._needs_mix_comparison)
    for f in caches:
        f.cache_clear()
    monkeypatch.setattr(T, "_scn", small)
    monkeypatch.setattr(T, "_sim", lambda: small().simulation)
    monkeypatch.setattr(pricing, "scenario", small)
    monkeypatch.setattr(pricing, "_sample", lambda: small().simulation)
    yield engine.children(small())
    for f in caches:
        f.cache_clear()


def test_design_grid_shape_ranges_and_limits(small_chapter):
    g = T.design_grid(shares=(0.0, 0.5, 1.0), thresholds=(0.0, 1e5), tolerances=(1e5, 1e6), scopes=("placements",))
    assert len(g) == 3 * 2 * 2 * 3
    assert g["p_fail_3"].between(0, 1).all() and (g["absorbed_3"] >= 0).all()
    # More reserves never raise the chance of failure.
    assert (g["p_fail_6"] <= g["p_fail_1"] + 1e-12).all()
    assert g["p_loss"].between(0, 1).all() and g["power"].between(-1e-9, 1 + 1e-9).all()
    full = g[(g["share"] == 0) & (g["threshold"] == 0)]
    assert (full["risk_premium"] == 0).all() and np.allclose(full["power"], 0, atol=1e-9)
    block = g[(g["share"] == 1) & (g["threshold"] == 0) & (g["basis"] == "fixed")]
    np.testing.assert_allclose(block["power"], 1.0, atol=1e-9)
    # The premium falls as the practice's risk tolerance rises, and rises with the share.
    for _, grp in g.groupby(["scope", "basis", "threshold", "share"]):
        rp = grp.sort_values("tolerance")["risk_premium"].to_numpy()
        assert np.all(np.diff(rp) <= 1e-9)
    cv = g[(g["basis"] == "fixed") & (g["threshold"] == 0) & (g["tolerance"] == 1e5)].sort_values("share")
    assert np.all(np.diff(cv["risk_premium"]) > 0)
    # Administration: audit unless nothing depends on cost; needs assessment with the needs basis.
    manage, audit = C.assumption("admin_contract_management"), C.assumption("admin_cost_audit")
    assert block["admin_cost"].iloc[0] == manage
    assert (g.loc[(g["basis"] == "fixed") & (g["share"] == 0.5), "admin_cost"] == manage + audit).all()
    with pytest.raises(ValueError, match="bases"):
        T.design_grid(bases=("volume",))
    with pytest.raises(ValueError, match="scopes"):
        T.design_grid(scopes=("everything",))
    with pytest.raises(ValueError, match="share"):
        T.design_grid(shares=(0.5, 1.5))


def test_frontier_grid_shape_and_closed_form(small_chapter):
    curves, optima = T.frontier_grid(tolerances=(2.5e5,), effort_costs=(10.0, 20.0), shares=np.linspace(0, 1, 11))
    assert len(curves) == 2 * 11 and len(optima) == 2
    at_zero = curves[curves["share"] == 0]
    np.testing.assert_allclose(at_zero[["efficiency_gain", "risk_premium", "net_saving"]], 0.0, atol=1e-6)
    placed = T._years("placements", T._sim().grid_years)
    m, v = placed.totals.mean(), placed.totals.var()
    for rec in optima.itertuples():
        assert rec.closed_form_share == pytest.approx(optimal_share(m, v, rec.tolerance, rec.effort_cost))
        assert 0 < rec.simulated_share < 1
        assert rec.net_saving_at_optimum >= curves.loc[curves["effort_cost"] == rec.effort_cost, "net_saving"].max() - 1e-6


def test_surplus_histograms_sum_to_one(small_chapter):
    h = T.surplus_histograms()
    sums = h.groupby(["contract", "party"])["share"].sum()
    np.testing.assert_allclose(sums, 1.0, rtol=1e-12)
    assert len(sums) == 2 * 11
    with pytest.raises(ValueError, match="width"):
        T.surplus_histograms(width=7.0)
    with pytest.raises(ValueError, match="limit"):
        T.surplus_histograms(limit=-1.0)


@pytest.mark.slow
def test_charts_are_valid_and_name_their_params(small_chapter):
    from swp_models.figures import contracts as figures

    expected = {
        "risk_chart": {"ch5_risk_scope"},
        "council_cost_chart": set(),
        "frontier_chart": {"ch5_frontier_tolerance", "ch5_frontier_effort", "ch5_frontier_scope"},
        "incentives_chart": {"ch5_incentives_scope"},
        "design_chart": {"ch5_design_share", "ch5_design_threshold", "ch5_design_basis", "ch5_design_tolerance",
                         "ch5_design_scope", "ch5_design_reserves"},
    }
    for name, params in expected.items():
        chart = getattr(figures, name)()
        assert isinstance(chart, alt.VConcatChart)
        spec = chart.to_dict()  # validates against the Vega-Lite schema
        text = json.dumps(spec)
        assert len(text) < 400_000, f"{name} embeds {len(text)} bytes"
        for p in params:
            assert f'"name": "{p}"' in text, f"{name} lacks the parameter {p}"
        assert "Source:" in text


@pytest.mark.slow
def test_design_frames_join(small_chapter):
    from swp_models.figures import contracts as figures

    terms, costs, reserves = figures.design_frames()
    assert terms["id"].is_unique and set(costs["id"]) == set(terms["id"])
    assert len(costs) == len(terms) * len(T.DESIGN_TOLERANCES)
    assert set(terms["s"]) == set(T.DESIGN_SHARES)
    assert set(terms["scope"]) == {"social_work", "placements"}
    assert reserves["key"].is_unique and len(reserves) == len(terms) * len(T.DESIGN_RESERVE_MONTHS)
    assert set(reserves["key"] // 100) == set(terms["id"])


# --------------------------------------------------------------------------- the explorer


def test_explorer_recomputes_on_a_change(small_chapter):
    import ipywidgets  # noqa: F401  (pinned; a missing install must fail, not skip)
    from swp_models.explore.contracts import explorer, price_contracts

    e = explorer(n_years=5_000)
    assert set(C.CONTRACT_TERMS) <= set(e.controls)
    first = e.result.value
    assert "Capitation, flat rate" in first and "swp-explorer-share" in first
    e.controls["effort_cost"].value = 20.0
    assert e.result.value != first and e.last_seconds > 0
    before = e.result.value
    e.controls["caseload"].value = 120  # new children
    assert e.result.value != before
    # An infeasible input is explained on the page, not raised.
    e.controls["outcome_effort_gain"].value = 0.5
    assert "Cannot price these inputs" in e.result.value and "effort_gain" in e.result.value
    assert {"scope", "reserve_months", "term_years"} <= set(e.controls)
    e.controls["outcome_effort_gain"].value = 0.15
    before = e.result.value
    e.controls["scope"].value = "social_work"
    assert e.result.value != before and "social work only" in e.result.value
    table, optimum = price_contracts(small_chapter, 250_000.0, 10.0)
    assert len(table) == 11 and {"council_cost_fixed", "council_cost_effort", "p_fail_year"} <= set(table.columns)
    with pytest.raises(ValueError, match="scope"):
        price_contracts(small_chapter, 250_000.0, 10.0, scope="budget")
    with pytest.raises(ValueError, match="risk_tolerance"):
        price_contracts(small_chapter, 0.0, 10.0)


# --------------------------------------------------------------------------- the chapter's figures


@pytest.fixture(scope="module")
def chapter():
    return engine.table(Scenario.central(scope="placements")).set_index("contract")


@pytest.mark.slow
def test_chapter_figures_quoted_in_the_text(chapter):
    placed = engine.own_costs(Scenario.central(scope="placements"))
    assert round(placed.expected_total / 1e4) == 407  # "about £4.1 million"
    assert round(float(placed.totals.std()) / 1000) == 327
    model, load = default_cost_model(), default_caseload()
    moments = total_cost_moments(model, load)
    assert round(100 * load.variance * model.mean**2 / moments.variance) == 50  # "half of the variance"
    block = chapter.loc["Block"]
    assert round(block["risk_premium_exact"] / 1000) == 225 and round(block["risk_premium_limited"] / 1000) == 77
    assert round(100 * block["risk_premium_exact"] / placed.expected_total) == 6
    assert round(block["practice_surplus_p5"] / 1000) == -548 and round(block["reserve_1_in_20"] / 1000) == 548
    assert round(100 * block["p_fail_year"]) == 34 and round(100 * block["p_fail_term"]) == 55
    assert round(block["absorbed"] / 1000) == 77
    assert round(engine.reserves(Scenario.central(scope="placements")) / 1000) == 132
    # Costs fixed: the contracts carrying least risk are cheapest. With effort: full reimbursement dearest.
    ranks = chapter["council_cost_effort"].rank()
    assert ranks["Full reimbursement"] == len(chapter) and ranks["Block"] >= len(chapter) - 3
    assert chapter["council_cost_effort"].idxmin() in ("Cost and volume, 50% shared", "Capitation, flat rate",
                                                       "Capitation by needs group")
    top4 = chapter["council_cost_effort"].nsmallest(4)
    assert set(top4.index) == {"Cost and volume, 50% shared", "Capitation, flat rate", "Capitation by needs group",
                               "Mixed: cost and volume + bonus"}
    assert top4.max() - top4.min() < 5_000  # "within a few thousand pounds of each other"
    # The threshold contract's balancing: its baseline 4.1% lower.
    assert f"{100 * T.threshold_discounts()['Threshold at £100k']:.1f}" == "4.1"
    sk = T.skimming_table().set_index(["contract", "group"])
    assert sk.loc[("Block", "no_additional_needs"), "gain_average_child"] == pytest.approx(-35_424, abs=1)
    assert sk.loc[("Capitation, flat rate", "no_additional_needs"), "gain_average_child"] == pytest.approx(5_274, abs=1)
    assert sk.loc[("Capitation by needs group", "complex_needs"), "gain_vs_average"] == pytest.approx(0, abs=1)
    social = engine.table(Scenario.central(scope="social_work")).set_index("contract")
    assert (social["p_fail_year"] < 0.005).all()


@pytest.mark.slow
def test_chapter_optimum_closed_form_and_simulated():
    opt = T.chapter_optimum()
    years = engine.own_costs(Scenario.central(scope="placements"))
    m, v = years.totals.mean(), years.totals.var()
    d = {"risk_tolerance": Scenario.central().risk_tolerance, "effort_cost": Scenario.central().effort_cost}
    assert opt.closed_form_share == pytest.approx(optimal_share(m, v, d["risk_tolerance"], d["effort_cost"]), rel=1e-12)
    assert f"{opt.closed_form_share:.2f}" == "0.49" and f"{opt.share:.2f}" == "0.52"
    # The simulated optimum beats every share on its grid, and the grid's ends.
    assert opt.council_cost <= opt.grid["council_cost"].min() + 1e-6
    assert round((m - opt.council_cost) / 1000) == 103


@pytest.mark.slow
def test_key_results_and_best_design():
    table = T.key_results()
    values = dict(zip(table.frame["Result"], table.frame["Value"]))
    rests = dict(zip(table.frame["Result"], table.frame["Rests on an assumption"]))
    assert values["Share of the variance of the children's cost due to their number"] == "50%"
    assert values["Cost-and-volume share that minimises the council's cost: by formula; simulated"] == "0.49; 0.52"
    assert values["Cheapest for the council with costs fixed"].startswith("Two-way threshold")
    assert values["Pilots that held the placement budget"] == "only one"
    best = values["Cheapest design on the chapter's grid: social work and placements"]
    assert best.startswith("baseline following the number of children")
    assert values["Cheapest design on the chapter's grid: social work only"].startswith("fixed baseline, practice's "
                                                                                        "share 1.00")
    # Every figure a labelled assumption drives says so; no formulas or code notation.
    assert "reserves" in rests["Block contract, social work and placements: losses the council absorbs when the "
                               "practice fails"]
    assert "risk tolerance" in rests["Cheapest for the council with costs fixed"]
    for col in ("Result", "Value", "Source or basis", "Rests on an assumption"):
        for cell in table.frame[col]:
            assert not any(tok in cell for tok in ("Var(", "s*", "1/r", "E[", "_", "=")), cell
    for t in (T.contracts_table(), T.risk_table(), T.surplus_table(), T.incentive_table(), T.council_cost_table(),
              T.claims_table(), T.surplus_table("social_work")):
        assert len(t.frame) in (11, 8) and "nan" not in repr(t).lower()


def test_assumptions_quoted_in_the_chapter_match_the_data():
    # The chapter's "Assumptions and limits" box quotes these values.
    quoted = {
        "risk_tolerance": 250_000, "effort_cost": 10, "cost_share": 0.5, "overspend_threshold": 100_000,
        "reinsurance_threshold": 100_000, "outcome_bonus": 1_000, "outcome_base_probability": 0.8,
        "outcome_effort_gain": 0.15, "outcome_effort": 0.5, "reserve_months": 3, "contract_term_years": 3,
        "failure_cost": 100_000, "social_work_variable_cost": 1_500, "volume_band_margin": 5,
        "service_cut_share": 0.5, "cut_per_placement_move": 25_000, "placement_move_cost": 10_000,
        "upcoding_share": 0.1,
    }
    for name, value in quoted.items():
        assert C.assumption(name) == value, name
    from swp_models.costs import assumption as cost_assumption

    assert cost_assumption("within_group_cv") == 0.5
    load = default_caseload()
    assert (load.minimum, load.maximum, load.kind) == (90, 110, "uniform")


# ---------------------------------------------------------------------------------------
# How the results change with the needs mix
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [999, 100_001, 5_000.0, True, "5000"])
def test_needs_mix_comparison_rejects_bad_year_counts(bad):
    with pytest.raises(ValueError, match="n_years"):
        T.needs_mix_comparison(bad)


@pytest.mark.parametrize("bad", [-1, 1.5, "2007"])
def test_needs_mix_comparison_rejects_bad_seeds(bad):
    with pytest.raises(ValueError, match="seed"):
        T.needs_mix_comparison(seed=bad)


@pytest.fixture(scope="module")
def mixes():
    return T.needs_mix_comparison(2_000, seed=5)


def test_needs_mix_comparison_covers_chapter_3s_mixes(mixes):
    from swp_models.costs import needs_mix_models, needs_mix_table

    models = needs_mix_models()
    assert list(mixes["mix"]) == list(models) == list(needs_mix_table()["mix"])
    assert len(models) == 5 and list(models)[0].startswith("Central")
    # Expected cost is exact: the scope's running cost plus the children's mean, less the council's wider
    # overheads in it and the staff already in it.
    sc = default_scope("placements")
    load = default_caseload()
    for (_, row), model in zip(mixes.iterrows(), models.values()):
        exact = sc.fixed_cost + load.mean * ((1 - sc.overhead_share) * model.mean - sc.staff_per_child)
        assert row["expected_cost"] == pytest.approx(exact, rel=1e-9)
    # Dearer mixes are riskier: expected cost, spread and the block premium rise together.
    order = mixes.sort_values("expected_cost")
    assert order["sd_cost"].is_monotonic_increasing and order["block_risk_premium"].is_monotonic_increasing
    assert order["optimal_share"].is_monotonic_decreasing
    assert (mixes["block_p_fail_year"] < mixes["block_p_loss"]).all() and (mixes["runner_up_gap"] >= 0).all()
    # Seeded and cached copies: the same numbers twice, and the caller cannot alter the cache.
    again = T.needs_mix_comparison(2_000, seed=5)
    assert again.equals(mixes) and again is not mixes


def test_needs_mix_comparison_recomputes_from_the_public_api(mixes):
    from swp_models.costs import needs_mix_models

    label, model = list(needs_mix_models().items())[-1]
    d = {"risk_tolerance": Scenario.central().risk_tolerance, "effort_cost": Scenario.central().effort_cost}
    sc = default_scope("placements")
    years = sc.apply(C.simulate_practice_years(model, default_caseload(), 2_000, 5))
    contracts = C.default_contracts(model, scope=sc, years=years)
    row = mixes.set_index("mix").loc[label]
    fixed = C.compare({"Block": contracts["Block"]}, years, d["risk_tolerance"]).iloc[0]
    assert row["block_p_loss"] == fixed["practice_p_loss"]
    assert row["block_risk_premium"] == pytest.approx(fixed["risk_premium_exact"], rel=1e-12)
    assert row["optimal_share"] == pytest.approx(
        optimal_share(years.totals.mean(), years.totals.var(), d["risk_tolerance"], d["effort_cost"]), rel=1e-12)
    surplus = contracts["Block"].surplus(years)
    assert row["block_p_fail_year"] == pytest.approx(np.mean(surplus < -engine.reserves(Scenario.central(scope="placements"))), abs=1e-12)
    effort = C.effort_comparison(contracts, years, d["risk_tolerance"], d["effort_cost"]).set_index("contract")
    assert row["cheapest_effort"] == effort["council_cost_effort"].idxmin()


@pytest.mark.slow
def test_needs_mix_table_agrees_with_the_chapter_on_the_central_mix(chapter):
    from swp_models.figures import contracts as F

    f = T.needs_mix_figures()
    central = f.iloc[0]
    block = chapter.loc["Block"]
    assert central["expected_cost"] == pytest.approx(engine.own_costs(Scenario.central(scope="placements")).expected_total, rel=1e-12)
    # 20,000 years against the chapter's 100,000: agreement within Monte Carlo error.
    assert central["block_p_loss"] == pytest.approx(block["practice_p_loss"], abs=0.02)
    assert central["block_p_fail_year"] == pytest.approx(block["p_fail_year"], abs=0.02)
    assert central["block_risk_premium"] == pytest.approx(block["risk_premium_exact"], rel=0.05)
    assert central["optimal_share"] == pytest.approx(T.chapter_optimum().closed_form_share, abs=0.02)
    table = T.needs_mix_table()
    assert len(table.frame) == len(f) and "nan" not in repr(table).lower()
    # The prose's numbers are the table's extremes.
    prose = T.needs_mix_prose()
    assert prose["ch5_mix_fail"] == f"{T._pct(f['block_p_fail_year'].min())} to {T._pct(f['block_p_fail_year'].max())}"
    assert prose["ch5_mix_share"] == f"{f['optimal_share'].min():.2f} to {f['optimal_share'].max():.2f}"
    for name, n in f["cheapest_effort"].value_counts().items():
        assert f"“{name}” under {n} of the {len(f)}" in prose["ch5_mix_cheapest"]
    assert all(text and "nan" not in text for text in prose.values())
