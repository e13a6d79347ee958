"""Tests of chapter 7's models (swp_models.abroad), its tables and charts, and its explorer.

Closed forms are checked against simulation with fixed seeds; tolerances are a few Monte Carlo
standard errors and stated where they are used.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swp_models import abroad as A
from swp_models import data, engine
from swp_models.charts import bound_params
from swp_models.scenario import SCOPE_NAMES, Scenario

SCN = Scenario.central()
ROOT = Path(__file__).resolve().parents[1]
SCOPES = tuple(SCOPE_NAMES)

ANNEX_PLACES = ["Denmark", "Sweden", "South Australia", "Michigan", "Kansas", "Texas", "Florida", "Ohio", "Illinois",
                "Massachusetts", "Philadelphia", "Indiana", "Ontario"]


# --------------------------------------------------------------------------- the annex as data


def test_every_place_in_the_annex_has_every_aspect_once():
    s = A.systems()
    assert set(ANNEX_PLACES) <= set(s["jurisdiction"])
    counts = s.groupby("jurisdiction")["aspect"].apply(sorted)
    for place, aspects in counts.items():
        assert aspects == sorted(["commissioner", "provider", "payment", "evidence", "lesson"]), place
    # 1 = the annex states it; 0 = it says nothing (and then the row is derived, not sourced).
    assert set(s["value"]) <= {0.0, 1.0}
    silent = s[s["value"] == 0]
    assert (silent["status"] == "derived").all() and (silent["entry"] == "Not stated in the annex").all()
    assert (s.loc[s["value"] == 1, "status"] == "sourced").all()


def test_comparison_frame_is_one_row_per_place_in_file_order():
    f = A.comparison_frame()
    assert list(f["jurisdiction"]) == list(dict.fromkeys(A.systems()["jurisdiction"]))
    assert f[["commissioner", "provider", "payment", "evidence", "lesson"]].notna().all().all()
    assert f.loc[f["jurisdiction"] == "Kansas", "payment_category"].item() == "Capitation, then per child served"


def test_managed_care_links_cover_the_four_models():
    links = A.managed_care_links()
    assert list(dict.fromkeys(links["model"])) == list(A.MODEL_ANALOGUES)
    for model, parties in A.MODEL_ANALOGUES.items():
        sub = links[links["model"] == model]
        for party in parties:
            assert party in set(sub["to_party"]), (model, party)
        # Every model's public agency contracts with someone.
        assert ((sub["from_party"] == "Public agency") & (sub["relation"] == "contracts with")).any()


def test_model_risk_reads_chapter_5s_table():
    table = pd.DataFrame({"contract": ["Capitation, flat rate", "Full reimbursement", "Outcome: fixed base + bonus"],
                          "caseload": [0.0, 0.0, 1.0], "case_mix": [1.0, 0.0, 1.0], "within_group": [1.0, 0.0, 1.0],
                          "overall": [0.5, 0.0, 1.0]})
    r = A.model_risk(table).set_index(["model", "party"])
    assert r.loc[("Lead agency", "Lead agency"), "caseload"] == 0.0
    assert r.loc[("Administrative services organisation", "Administrative services organisation"), "overall"] == 0.0
    assert r.loc[("Public agency", "Service providers"), "within_group"] == 1.0
    with pytest.raises(ValueError, match="risk_table"):
        A.model_risk(table.drop(columns="overall"))
    with pytest.raises(ValueError, match="Full reimbursement"):
        A.model_risk(table.iloc[[0, 2]])


# --------------------------------------------------------------------------- Ontario


def test_unit_cost_growth_arithmetic():
    g = A.unit_cost_growth(2.0, 0.4, 6)
    assert g.unit_cost_ratio == pytest.approx(2 / 1.4, rel=1e-15)
    assert g.growth == pytest.approx(0.428571428571, rel=1e-10)
    assert g.annual_rate == pytest.approx((2 / 1.4) ** (1 / 6) - 1, rel=1e-14)
    assert (1 + g.annual_rate) ** 6 == pytest.approx(g.unit_cost_ratio, rel=1e-12)
    assert A.unit_cost_growth(1.0, 0.0, 3).growth == 0.0


def test_ontario_bounds_keep_more_than_and_about_as_bounds():
    b = A.ontario_bounds().set_index("reading")
    # The figures as stated: "more than doubled" at its floor, volumes exactly 40%.
    assert b.loc["as stated", "spending_ratio"] == 2.0
    assert b.loc["as stated", "unit_cost_growth"] == pytest.approx(2 / 1.4 - 1)
    assert round(100 * b.loc["as stated", "unit_cost_growth"]) == 43  # "at least 43%"
    assert round(100 * b.loc["as stated", "annual_rate"]) == 6  # "about 6% a year"
    # The interval: least spending with most volume, most spending with least volume.
    assert b.loc["lowest", "unit_cost_growth"] == pytest.approx(2 / 1.45 - 1)
    assert b.loc["highest", "unit_cost_growth"] == pytest.approx(2.5 / 1.35 - 1)
    assert b.loc["lowest", "unit_cost_growth"] < b.loc["as stated", "unit_cost_growth"] < b.loc["highest",
                                                                                                "unit_cost_growth"]
    # With no width to the words the interval collapses onto the stated figure.
    tight = A.ontario_bounds(spending_upper=2.0, volume_half_width=0.0).set_index("reading")
    assert np.allclose(tight["unit_cost_growth"], b.loc["as stated", "unit_cost_growth"])
    # Six fiscal years, from the data.
    assert data.value("international", jurisdiction="Ontario", measure="spending_period_end") - data.value(
        "international", jurisdiction="Ontario", measure="spending_period_start") == 6


@pytest.mark.parametrize("kwargs, name", [
    ({"spending_upper": 1.9}, "spending_upper"),
    ({"volume_half_width": -1.0}, "volume_half_width"),
    ({"volume_half_width": 40.0}, "volume_half_width"),
])
def test_ontario_bounds_reject_bad_readings(kwargs, name):
    with pytest.raises(ValueError, match=name):
        A.ontario_bounds(**kwargs)


@pytest.mark.parametrize("args, name", [((0.0, 0.4, 6), "spending_ratio"), ((2.0, -1.0, 6), "volume_growth"),
                                        ((2.0, 0.4, 0.0), "years"), ((float("nan"), 0.4, 6), "spending_ratio")])
def test_unit_cost_growth_rejects_bad_inputs(args, name):
    with pytest.raises(ValueError, match=name):
        A.unit_cost_growth(*args)


@pytest.mark.parametrize("scope", SCOPES)
def test_referral_shift_arithmetic(scope):
    scn = SCN.replace(scope=scope)
    rate, cheap_rate = A.child_rate(scn), A.child_rate(scn, "no_additional_needs")
    rates = engine.book(scn)["Capitation by needs group"].rate_by_group
    assert cheap_rate == rates["no_additional_needs"]  # chapter 5's capitation rate for the group
    r = A.referral_shift(scn, 2.0).set_index("payment")
    assert r.loc["Block set before the change", "surplus"] == pytest.approx(-100 * rate)
    assert r.loc["Flat capitation set before the change", "surplus"] == pytest.approx(0.0, abs=1e-6)
    cheap = A.referral_shift(scn, 1.8, "no_additional_needs").set_index("payment")
    assert cheap.loc["Flat capitation set before the change", "surplus"] == pytest.approx(80 * (rate - cheap_rate))
    assert cheap.loc["Capitation by needs group", "surplus"] == pytest.approx(0.0, abs=1e-6)
    with pytest.raises(ValueError, match="added_group"):
        A.referral_shift(scn, 1.5, "martians")
    with pytest.raises(ValueError, match="factor"):
        A.referral_shift(scn, 0.5)


# --------------------------------------------------------------------------- the tender


LOW, HIGH = 30_000.0, 40_000.0


@pytest.mark.parametrize("n", [1, 2, 3, 7])
def test_order_statistic_mean_against_simulation(n):
    rng = np.random.default_rng(5)
    draws = np.sort(rng.uniform(LOW, HIGH, size=(200_000, n)), axis=1)
    for k in range(1, n + 1):
        se = draws[:, k - 1].std() / math.sqrt(draws.shape[0])
        assert abs(draws[:, k - 1].mean() - A.order_statistic_mean(k, n, LOW, HIGH)) < 4 * se


@pytest.mark.parametrize("n", [2, 3, 5, 10])
def test_tender_without_reserve_is_the_uniform_order_statistics(n):
    t = A.expected_tender(n, LOW, HIGH)
    assert t.p_award == 1.0
    assert t.winning_cost == pytest.approx(A.order_statistic_mean(1, n, LOW, HIGH), rel=1e-12)  # expected minimum
    assert t.price == pytest.approx(A.order_statistic_mean(2, n, LOW, HIGH), rel=1e-12)
    assert t.margin == pytest.approx((HIGH - LOW) / (n + 1), rel=1e-9)
    assert t.commissioner_cost == pytest.approx(t.price, rel=1e-12)


@pytest.mark.parametrize("n", [1, 2, 3, 6])
@pytest.mark.parametrize("reserve", [31_000.0, 35_000.0, 39_500.0, 45_000.0])
def test_tender_closed_form_against_simulation(n, reserve):
    cf = A.expected_tender(n, LOW, HIGH, reserve)
    sim = A.simulate_tenders(n, LOW, HIGH, reserve, 200_000, seed=100 * n + int(reserve) % 97)
    se_p = math.sqrt(cf.p_award * (1 - cf.p_award) / 200_000) + 1e-9
    assert abs(sim.p_award - cf.p_award) < 4 * se_p + 5 / 200_000  # a few tenders either way when p is near 0 or 1
    # Prices lie within [LOW, reserve]: 4 standard errors of a spread at most HIGH - LOW.
    tol = 4 * (HIGH - LOW) / math.sqrt(200_000 * max(cf.p_award, 1e-3))
    assert abs(sim.price - cf.price) < tol
    assert abs(sim.winning_cost - cf.winning_cost) < tol
    assert abs(sim.commissioner_cost - cf.commissioner_cost) < tol


def test_tender_limits_and_monotonicity():
    # A lone bidder is paid the reserve whenever it accepts; the commissioner never pays above the reserve.
    for reserve in (32_000.0, 38_000.0, 50_000.0):
        one = A.expected_tender(1, LOW, HIGH, reserve)
        assert one.price == pytest.approx(reserve, rel=1e-12) and one.commissioner_cost == pytest.approx(reserve)
        assert one.p_award == pytest.approx(min((reserve - LOW) / (HIGH - LOW), 1.0))
        costs = [A.expected_tender(n, LOW, HIGH, reserve).commissioner_cost for n in range(1, 12)]
        assert all(c <= reserve + 1e-9 for c in costs)
        assert all(b <= a + 1e-9 for a, b in zip(costs, costs[1:])), "more bidders never cost more"


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 40), lo=st.floats(0, 1e5), width=st.floats(1, 1e5), rho=st.floats(0.01, 1.5))
def test_tender_outcome_is_coherent(n, lo, width, rho):
    reserve = lo + rho * width
    t = A.expected_tender(n, lo, lo + width, reserve)
    assert 0 < t.p_award <= 1
    assert lo - 1e-6 <= t.winning_cost <= t.price + 1e-6
    assert t.price <= reserve + 1e-6 * max(1.0, reserve)


@pytest.mark.parametrize("call, name", [
    (lambda: A.expected_tender(0, LOW, HIGH, 38_000.0), "n_bidders"),
    (lambda: A.expected_tender(2.5, LOW, HIGH, 38_000.0), "n_bidders"),
    (lambda: A.expected_tender(3, LOW, HIGH, 29_000.0), "reserve"),
    (lambda: A.expected_tender(3, LOW, HIGH, LOW), "reserve"),
    (lambda: A.expected_tender(1, LOW, HIGH), "reserve"),
    (lambda: A.expected_tender(2, LOW, LOW, 38_000.0), "cost_high"),
    (lambda: A.expected_tender(2, -1.0, HIGH, 38_000.0), "cost_low"),
    (lambda: A.simulate_tenders(0, LOW, HIGH, 38_000.0, 10, 1), "n_bidders"),
    (lambda: A.simulate_tenders(2, LOW, HIGH, 20_000.0, 10, 1), "reserve"),
    (lambda: A.simulate_tenders(1_000, LOW, HIGH, 38_000.0, 10**6, 1), "n_tenders"),
    (lambda: A.retender_price(1, 1.5, LOW, HIGH, 38_000.0), "entry_probability"),
    (lambda: A.retender_price(-1, 0.5, LOW, HIGH, 38_000.0), "potential_entrants"),
    (lambda: A.retender_price(1, 0.5, LOW, HIGH, None), "reserve"),
    (lambda: A.monopoly_cost(SCN, children=0), "children"),
    (lambda: A.monopoly_cost(SCN, spread=1.0), "spread"),
    (lambda: A.tender_defaults("central"), "scn"),
    (lambda: A.tender_grid(SCN, markups=()), "markups"),
])
def test_tender_rejects_bad_inputs_naming_the_parameter(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_retender_mixes_the_bidder_counts():
    r = 39_000.0
    one = A.expected_tender(1, LOW, HIGH, r).commissioner_cost
    two = A.expected_tender(2, LOW, HIGH, r).commissioner_cost
    three = A.expected_tender(3, LOW, HIGH, r).commissioner_cost
    assert A.retender_price(1, 0.0, LOW, HIGH, r) == pytest.approx(one)
    assert A.retender_price(1, 1.0, LOW, HIGH, r) == pytest.approx(two)
    assert A.retender_price(1, 0.3, LOW, HIGH, r) == pytest.approx(0.7 * one + 0.3 * two)
    assert A.retender_price(2, 0.5, LOW, HIGH, r) == pytest.approx(0.25 * one + 0.5 * two + 0.25 * three)


@pytest.mark.parametrize("scope", SCOPES)
def test_monopoly_cost_with_the_chapters_assumptions(scope):
    scn = SCN.replace(scope=scope)
    mc = A.monopoly_cost(scn)
    d = A.tender_defaults(scn)
    m, w = d["mean_cost"], d["cost_high"] - d["cost_low"]
    # Two bidders, reserve at the top of the range: the expected second-lowest of two draws.
    assert mc["two_bidders"] == pytest.approx(100 * (d["cost_low"] + 2 * w / 3))
    assert mc["one_bidder"] == pytest.approx(100 * d["reserve"])
    assert mc["loss"] == pytest.approx(mc["one_bidder"] - mc["two_bidders"])
    assert mc["loss_per_child"] == pytest.approx(m * 0.2 / 3, rel=1e-9)  # 10% spread, reserve at +10%
    assert mc["retender_saving"] == pytest.approx(mc["loss"] / 2)  # one rival at an even chance


@pytest.mark.parametrize("scope", SCOPES)
def test_tender_costs_are_chapter_5s_flat_rate_under_each_scope(scope):
    scn = SCN.replace(scope=scope)
    rate = engine.book(scn)["Capitation, flat rate"].flat_rate
    assert A.tender_defaults(scn)["mean_cost"] == rate == A.child_rate(scn)
    # The flat rate is the practice's expected total cost per expected child on the book's sample.
    years = engine.own_costs(scn)
    assert rate == pytest.approx(years.expected_total / years.expected_count, rel=1e-12)
    if scope == "placements":
        # chapter 3's cost of a child without the council's wider overheads, which the practice never incurs
        kept = 1.0 - engine.scope(scn).overhead_share
        assert 0.0 < engine.scope(scn).overhead_share < 0.5
        assert rate == pytest.approx(kept * engine.children(scn).cost_model.mean, rel=1e-12)
    else:
        assert rate < 0.5 * engine.children(scn).cost_model.mean  # the practice's own work only


def test_scenario_assumptions_reach_the_tender():
    wider = SCN.replace(bidder_cost_spread=0.2, reserve_markup=0.2)
    d = A.tender_defaults(wider)
    assert d["cost_high"] == pytest.approx(1.2 * d["mean_cost"]) and d["reserve"] == pytest.approx(1.2 * d["mean_cost"])
    assert A.monopoly_cost(wider)["loss"] == pytest.approx(2 * A.monopoly_cost(SCN)["loss"])


def test_tender_grid_closed_form_matches_its_simulation():
    g = A.tender_grid(SCN.replace(scope="placements"), max_bidders=4, markups=(0.0, 0.1), n_tenders=50_000)
    assert len(g) == 8
    assert np.allclose(g["sim_price"], g["price"], rtol=0.01)
    pd.testing.assert_frame_equal(g, A.tender_grid(SCN.replace(scope="placements"), max_bidders=4,
                                                   markups=(0.0, 0.1), n_tenders=50_000))


def test_no_seed_or_sample_size_of_the_chapters_own():
    assert not [n for n in dir(A) if n.endswith("_SEED") or n.endswith("_YEARS")]
    assert not hasattr(A, "_rng")


# --------------------------------------------------------------------------- Kansas

#: The practice-side and risk figures that must agree with chapter 5's table.
_PRACTICE = ["practice_mean_surplus", "practice_sd_surplus", "practice_p_loss", "practice_surplus_p5",
             "risk_premium_approx", "risk_premium_exact", "caseload", "case_mix", "within_group", "overall",
             "council_mean_spend", "council_sd_spend", "admin_cost", "council_total_cost"]


@pytest.mark.parametrize("scope", SCOPES)
@pytest.mark.parametrize("n_years", [5_000, None])
def test_kansas_payment_per_child_served_is_chapter_5s_flat_capitation(scope, n_years):
    """On the same years, Kansas's payment per child served gives chapter 5's flat-capitation figures exactly."""
    scn = SCN.replace(scope=scope)
    ch5 = engine.table(scn, n_years).set_index("contract")
    k = A.kansas_comparison(scn, 0.0, n_years=n_years).set_index("contract")
    flat, served = A.KANSAS_NAMES
    for col in _PRACTICE:
        assert k.loc[served, col] == ch5.loc["Capitation, flat rate", col], col
    # At no extra children the flat rate is chapter 5's block contract (its amount E[C], up to rounding).
    for col in ("practice_mean_surplus", "practice_sd_surplus", "risk_premium_exact", "caseload"):
        assert k.loc[flat, col] == pytest.approx(ch5.loc["Block", col], rel=1e-9, abs=1e-6), col
    years = engine.own_costs(scn, n_years)
    assert k.loc[served, "mean_children"] == years.counts.mean()
    assert (k["scope"] == scope).all()


@pytest.mark.parametrize("scope", SCOPES)
def test_kansas_flat_rate_loses_the_children_it_is_not_paid_for(scope):
    scn = SCN.replace(scope=scope)
    a = A.kansas_comparison(scn, 0.0, n_years=20_000).set_index("contract")
    b = A.kansas_comparison(scn, 0.2, n_years=20_000).set_index("contract")
    flat, served = A.KANSAS_NAMES
    expected = engine.own_costs(scn).expected_total
    assert b.loc[flat, "contracted_children"] == pytest.approx(100 / 1.2)
    # The same years: the flat rate pays E[C] / 1.2 instead of E[C]; payment per child served is unchanged.
    loss = a.loc[flat, "practice_mean_surplus"] - b.loc[flat, "practice_mean_surplus"]
    assert loss == pytest.approx(expected * (1 - 1 / 1.2), rel=1e-9)
    pd.testing.assert_series_equal(a.loc[served, _PRACTICE], b.loc[served, _PRACTICE])


def test_kansas_moves_caseload_risk_with_placements_and_adds_it_with_social_work_only():
    flat, served = A.KANSAS_NAMES
    pl = A.kansas_comparison(SCN.replace(scope="placements"), n_years=20_000).set_index("contract")
    sw = A.kansas_comparison(SCN, n_years=20_000).set_index("contract")
    for k in (pl, sw):
        assert k.loc[flat, "caseload"] == pytest.approx(1.0) and k.loc[flat, "council_sd_spend"] < 1e-6
        assert k.loc[served, "within_group"] == pytest.approx(1.0) and k.loc[served, "council_sd_spend"] > 0
    # With placements the practice's cost follows its children: paying per child takes most of the risk off.
    assert abs(pl.loc[served, "caseload"]) < 0.25
    assert pl.loc[served, "risk_premium_exact"] < 0.7 * pl.loc[flat, "risk_premium_exact"]
    # With social work only its cost is mostly fixed: paying per child adds a swing its costs do not have.
    assert sw.loc[served, "caseload"] < -1
    assert sw.loc[served, "risk_premium_exact"] > 2 * sw.loc[flat, "risk_premium_exact"]


@pytest.mark.parametrize("kwargs, name", [({"served_above": -0.1}, "served_above"), ({"served_above": 1.5}, "served_above"),
                                          ({"n_years": 10}, "n_years"), ({"n_years": 10**9}, "n_years"),
                                          ({"n_years": 2.5}, "n_years")])
def test_kansas_rejects_bad_inputs(kwargs, name):
    with pytest.raises(ValueError, match=name):
        A.kansas_comparison(SCN, **kwargs)
    with pytest.raises(ValueError, match="contracted_children"):
        A.kansas_contracts(SCN, 0)
    with pytest.raises(TypeError, match="scn"):
        A.kansas_comparison("central")


# --------------------------------------------------------------------------- Illinois


def test_illinois_reproduces_with_its_seed_and_matches_the_exact_bonus():
    a = A.simulate_illinois(n_years=20_000, seed=1998)
    b = A.simulate_illinois(n_years=20_000, seed=1998)
    pd.testing.assert_frame_equal(a, b)
    c = A.illinois_comparison(SCN)
    pd.testing.assert_frame_equal(c, A.illinois_comparison(SCN))  # the scenario's seed: reproducible
    for rec in c.itertuples(index=False):
        se = rec.sim_sd / math.sqrt(100_000)
        assert abs(rec.sim_bonus - rec.expected_bonus) < 4 * se + 1e-9, rec.rule
    no_rule, rule = c.itertuples(index=False)
    assert no_rule.lasting_share == 1.0 and rule.lasting_share == pytest.approx(0.75)  # 25% break down in a year
    assert rule.expected_bonus < no_rule.expected_bonus


def test_illinois_counted_moves_and_window():
    t = A.illinois_terms()
    assert t["threshold_share"] == 0.24 and t["window_months"] == 12
    sim = A.simulate_illinois(12.0, n_years=50_000, seed=3)
    assert (sim["counted"] <= sim["moves"]).all()
    assert sim["counted"].mean() == pytest.approx(100 * t["rate"] * 0.75, rel=0.01)
    zero = A.simulate_illinois(0.0, n_years=1_000, seed=3)
    assert (zero["counted"] == zero["moves"]).all()
    longer = [A.illinois_bonus(float(w))["expected_bonus"] for w in (0, 6, 12, 24)]
    assert all(b < a for a, b in zip(longer, longer[1:]))
    for kwargs, name in (({"window_months": -1.0}, "window_months"), ({"reentry_within_year": 1.0}, "reentry"),
                         ({"rate": 1.5}, "rate")):
        with pytest.raises(ValueError, match=name):
            A.illinois_bonus(**kwargs)
    with pytest.raises(ValueError, match="n_years"):
        A.simulate_illinois(n_years=0, seed=1)
    with pytest.raises(ValueError, match="seed"):
        A.simulate_illinois(n_years=10, seed=-1)


# --------------------------------------------------------------------------- Massachusetts


@pytest.mark.parametrize("design", A.BONUS_DESIGNS)
@pytest.mark.parametrize("improvement", [0.0, 0.05])
def test_bonus_exact_sum_against_simulation(design, improvement):
    exact = A.bonus_expectation(design, improvement)
    sims = A.simulate_bonus(design, improvement, n_pilots=200_000, seed=7)
    assert abs(sims.mean() - exact) < 4 * sims.std() / math.sqrt(sims.size)


@pytest.mark.parametrize("icc", [0.0, 0.05])
def test_bonus_baseline_windfall_near_the_normal_approximation(icc):
    # Year 2 minus year 1: about Normal(0, 2 N p (1 - p) deff), deff = 1 + (N - 1) ICC; E[max(D, 0)] = sd / sqrt(2 pi).
    n, p, b = 100, 0.8, 5000.0
    deff = 1 + (n - 1) * icc
    approx = b * math.sqrt(2 * n * p * (1 - p) * deff) / math.sqrt(2 * math.pi)
    assert A.bonus_expectation("baseline", 0.0, base_rate=p, children=n, bonus_per_child=b, icc=icc) == pytest.approx(
        approx, rel=0.03)
    # A guessed standard pays more for nothing, and more the worse the guess.
    g = [A.bonus_expectation("guess", 0.0, guess_sd=s) for s in (0.05, 0.1, 0.2)]
    assert g[0] < g[1] < g[2]
    assert A.bonus_expectation("guess", 0.0) > A.bonus_expectation("baseline", 0.0)


@pytest.mark.parametrize("kwargs, name", [
    ({"design": "hope"}, "design"), ({"design": "guess", "base_rate": 1.0}, "base_rate"),
    ({"design": "guess", "children": 0}, "children"), ({"design": "guess", "bonus_per_child": -1.0}, "bonus_per_child"),
    ({"design": "guess", "guess_sd": 0.0}, "guess_sd"), ({"design": "guess", "improvement": 0.5}, "improvement"),
    ({"design": "baseline", "icc": 1.0}, "icc"), ({"design": "baseline", "icc": -0.1}, "icc"),
])
def test_bonus_rejects_bad_inputs(kwargs, name):
    with pytest.raises(ValueError, match=name):
        A.bonus_expectation(**kwargs)
    with pytest.raises(ValueError, match=name):
        A.simulate_bonus(n_pilots=10, seed=1, **kwargs)


def test_bonus_counts_are_clustered_by_the_scenarios_icc():
    # At ICC 0 the count is binomial; with clustering its mean is kept and its variance is deff times larger.
    n, p = 100, 0.8
    k = np.arange(n + 1)
    assert np.allclose(A._count_pmf(n, p, 0.0), __import__("scipy").stats.binom.pmf(k, n, p))
    pmf = A._count_pmf(n, p, 0.05)
    mean = float(k @ pmf)
    assert mean == pytest.approx(n * p, rel=1e-12)
    assert float((k - mean) ** 2 @ pmf) == pytest.approx(n * p * (1 - p) * (1 + (n - 1) * 0.05), rel=1e-9)
    # The page's table uses the scenario's ICC; independent children are the scenario with ICC 0.
    t = A.bonus_table(SCN).set_index("design")
    assert (t["icc"] == SCN.icc).all()
    assert t.loc["baseline", "windfall"] == pytest.approx(A.bonus_expectation("baseline", 0.0, icc=SCN.icc))
    flat = A.bonus_table(SCN.replace(icc=0.0)).set_index("design")
    assert flat.loc["baseline", "windfall"] == pytest.approx(A.bonus_expectation("baseline", 0.0, icc=0.0))
    assert t.loc["baseline", "windfall"] > 2 * flat.loc["baseline", "windfall"]
    assert t.loc["guess", "windfall"] > flat.loc["guess", "windfall"]
    for design in A.BONUS_DESIGNS:  # the exact sums against the simulated pilots of the table
        se = t.loc[design, "sd"] / math.sqrt(A.BONUS_PILOTS)
        assert abs(t.loc[design, "windfall_sim"] - t.loc[design, "windfall"]) < 4 * se


# --------------------------------------------------------------------------- page and explorer


def test_page_tables_and_key_results():
    from swp_models.figures import abroad as F

    kr = F.key_results()
    assert len(kr.frame) >= 6
    assert kr.frame["Value"].str.len().gt(0).all()
    assert "43%" in kr.frame.loc[1, "Value"]
    levers = F.levers_table().frame
    keys = set(A.systems().query("aspect == 'lesson'")["category"])
    assert len(levers) == len(keys)
    table = F.comparison_table().frame
    assert len(table) == A.systems()["jurisdiction"].nunique()


def _chapter_markdown() -> list[str]:
    import nbformat

    from conftest import ROOT

    nb = nbformat.read(ROOT / "book" / "07_abroad.ipynb", as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def test_the_chapter_prose_quotes_only_glued_figures():
    """Every figure the text quotes comes from prose_numbers_abroad; no pound figure is typed into the prose."""
    import re

    from swp_models.figures import abroad as F

    text = "\n".join(_chapter_markdown())
    used = set(re.findall(r"\{glue:text\}`([^`]+)`", text))
    numbers = F.prose_numbers_abroad()
    assert used == set(numbers), (sorted(used - set(numbers)), sorted(set(numbers) - used))
    assert all(v and "nan" not in v for v in numbers.values())
    bare = re.sub(r"\{glue:text\}`[^`]+`", "", text)
    assert not re.findall(r"£\s?\d", bare)
    assert "```{glue:md} ch7_levers" in text


def test_prose_figures_agree_with_the_tables():
    from swp_models.figures import abroad as F

    n = F.prose_numbers_abroad()
    for key, scope in (("sw", "social_work"), ("pl", "placements")):
        mc = A.monopoly_cost(SCN.replace(scope=scope))
        assert n[f"ch7_loss_{key}"] == f"£{round(mc['loss'], -3):,.0f}"
    tender = F.tender_table().frame
    assert n["ch7_two_sw"] == tender.iloc[0, 1].replace("m", " million")
    assert n["ch7_two_pl"] == tender.iloc[0, 2].replace("m", " million")
    kansas = F.kansas_table().frame
    assert n["ch7_ks_prem_flat_pl"].replace(",000", "k") == kansas["Risk premium"].iloc[2]
    assert n["ch7_ks_prem_served_sw"] == kansas["Risk premium"].iloc[1]
    assert n["ch7_ks_worst_served_pl"].replace(",000", "k") == kansas["Contractor: worst year in 20"].iloc[3][1:]
    assert n["ch7_ma_guess"] == F.bonus_table().frame.iloc[0, 1]
    # Ten per cent more children than the flat rate was priced for cost the contractor E[C] (1 - 1/1.1).
    for key, scope in (("sw", "social_work"), ("pl", "placements")):
        per10 = float(n[f"ch7_ks_per10_{key}"].strip("£").replace(",", ""))
        expected = engine.own_costs(SCN.replace(scope=scope)).expected_total * (1 - 1 / 1.1)
        assert per10 == pytest.approx(expected, abs=500)
    assert n["ch7_ks_per10_served"] == "£0"


def test_page_states_the_scenario_and_its_price_year():
    from swp_models.figures import abroad as F

    card = SCN.card(rows=F.SCENARIO_ROWS)
    assert list(card.frame["Setting"]) == list(F.SCENARIO_ROWS)
    for table in (F.key_results(), F.tender_table(), F.kansas_table(), F.referral_table(), F.bonus_table(),
                  F.illinois_table()):
        assert SCN.price_year in table.caption, table.caption
    kr = F.key_results().frame
    text = " ".join(kr["Result"]) + " ".join(kr["Value"])
    assert "social work only" in text and "social work and placements" in text
    assert f"ICC {SCN.icc:g}" in text


def test_levers_link_to_pages_and_sections_that_exist():
    from conftest import ROOT

    from swp_models.figures import abroad as F

    text = "\n".join(_chapter_markdown())
    md = F.levers_markdown()
    targets = F.levers_targets()
    for target in targets:
        kind, _, name = target.partition(":")
        assert kind in ("doc", "ref"), target
        if kind == "doc":
            assert any((ROOT / "book" / f"{name}{ext}").exists() for ext in (".ipynb", ".md")), target
        else:
            assert name in F.SECTION_LABELS and f"({name})=" in text, target
        assert f"<{name}>`" in md
    pages = {t.split(":", 1)[1] for t in targets if t.startswith("doc:")}
    assert {"05_contracts", "05_sensitivity", "06_outcomes", "08_piloting"} <= pages
    assert md.count("\n* - ") == len(F.levers_table().frame) + 1


def test_charts_carry_named_controls_and_a_source():
    from swp_models.figures import abroad as F

    names = {
        F.ontario_chart: ["ch7_ontario_spending"],
        F.tender_chart: ["ch7_tender_reserve"],
        F.illinois_chart: ["ch7_illinois_reentry"],
        F.bonus_chart: ["ch7_bonus_guess_sd"],
        F.payment_evidence_chart: [],
        F.managed_care_diagram: [],
    }
    for build, params in names.items():
        spec = build().to_dict()
        assert bound_params(spec) == params, build.__name__
        assert spec["title"]["text"].startswith("Source:"), build.__name__


def test_diagram_frame_places_every_party_from_the_data():
    from swp_models.figures import abroad as F

    nodes, edges = F.diagram_frame()
    links = A.managed_care_links()
    for model in A.MODEL_ANALOGUES:
        parties = set(links.loc[links["model"] == model, ["from_party", "to_party"]].stack())
        placed = nodes[nodes["model"] == model]
        assert set(placed["party"]) == parties
        assert placed[["x", "y"]].duplicated().sum() == 0, f"two parties share a place in {model}"
    assert len(edges) == len(links.drop_duplicates(["model", "from_party", "to_party"]))


def test_explorer_recomputes_on_every_change():
    from swp_models.explore.abroad import explorer, tender_rows

    e = explorer()
    before = e.result.value
    assert "Tender" in before and "Kansas" in before
    e.controls["served_above"].value = 0.3
    assert e.result.value != before
    e.controls["max_bidders"].value = 2
    assert e.last_seconds > 0
    rows = tender_rows(3, 0.1, 0.1, 1, 0.5, 100, 5_000, 1)
    assert len(rows) == 4
    with pytest.raises(ValueError, match="spread"):
        tender_rows(3, 0.0, 0.1, 1, 0.5, 100, 5_000, 1)
    with pytest.raises(ValueError, match="scope"):
        tender_rows(3, 0.1, 0.1, 1, 0.5, 100, 5_000, 1, scope="everything")
    e.controls["scope"].value = "placements"
    assert "swp-explorer-error" not in e.result.value and "£4," in e.result.value
    e.controls["potential_entrants"].value = 0
    e.controls["entry_probability"].value = 1.0
    assert "swp-explorer-error" not in e.result.value


def test_result_objects_check_their_fields():
    with pytest.raises(ValueError, match="p_award must be in"):
        A.TenderOutcome(3, 1.5, 1.0, 0.9, 1.0)
    with pytest.raises(ValueError, match="price must be a finite number"):
        A.TenderOutcome(3, 0.5, float("nan"), 0.9, 1.0)
    assert math.isnan(A.TenderOutcome(3, 0.0, float("nan"), float("nan"), 1.0).price)  # no award: no price
    with pytest.raises(ValueError, match="n_bidders must be"):
        A.TenderOutcome(True, 0.5, 1.0, 0.9, 1.0)
    with pytest.raises(ValueError, match="volume_ratio must be in"):
        A.UnitCostGrowth(1.5, 0.0, 5.0)


def test_illinois_lesson_over_the_permanency_range_and_its_reversal():
    from swp_models import abroad as ab

    g = ab.illinois_rates()
    low, value, high = __import__("swp_models").assumptions.bounds("permanency_rate")
    assert g["rate"].iloc[0] == pytest.approx(low) and g["rate"].iloc[-1] == pytest.approx(high)
    assert value in set(g["rate"].round(6))
    assert (g["bonus_rule"] <= g["bonus_none"]).all() and g["p_bonus_rule"].is_monotonic_increasing
    # The page's words: with the rule a bonus in most years only above the range; without it, inside the range.
    assert ab.illinois_reversal() > high
    assert low < ab.illinois_reversal(window_months=0.0) < high
    r = ab.illinois_reversal()
    assert ab.illinois_bonus(rate=r)["p_bonus"] == pytest.approx(0.5, abs=1e-6)
    with pytest.raises(ValueError, match="chance"):
        ab.illinois_reversal(chance=1.5)
    with pytest.raises(ValueError, match="step"):
        ab.illinois_rates(step=-0.01)


def test_ontario_in_real_terms_deflates_by_the_sourced_index():
    from swp_models import abroad as ab
    from swp_models import data as d

    ratio = ab.canada_price_ratio()
    assert ratio == pytest.approx(d.value("cpi_canada", year=2004) / d.value("cpi_canada", year=1998))
    b = ab.ontario_bounds().set_index("reading")
    for reading in b.index:
        nominal = 1 + b.loc[reading, "unit_cost_growth"]
        assert 1 + b.loc[reading, "real_unit_cost_growth"] == pytest.approx(nominal / ratio)
    assert (b["real_unit_cost_growth"] < b["unit_cost_growth"]).all()
    for bad in (-1.0, 0.0):
        with pytest.raises(ValueError, match="start"):
            ab.canada_price_ratio(start=bad)


# ---------------------------------------------------------------- Kansas's failure: a case rate below cost


@pytest.mark.parametrize("scope", list(SCOPE_NAMES))
def test_case_rate_loss_is_the_shortfall_times_the_fair_payment(scope):
    """A rate too low by x loses x times the fair payment a year, on the same years, under either scope."""
    scn = Scenario.central(scope=scope)
    fair = A.case_rate_shortfall(scn, 0.0, n_years=2_000)
    low = A.case_rate_shortfall(scn, 0.05, n_years=2_000)
    paid = fair["fair_rate"] * engine.own_costs(scn, 2_000).expected_count
    assert low["mean_surplus"] == pytest.approx(fair["mean_surplus"] - 0.05 * paid, rel=1e-9, abs=1e-6)
    assert low["rate"] == pytest.approx(0.95 * fair["fair_rate"])
    assert low["reserves"] == pytest.approx(engine.reserves(scn))


def test_case_rate_failure_rises_with_the_shortfall_and_checks_against_the_reserves():
    for scope in SCOPE_NAMES:
        g = A.case_rate_grid(Scenario.central(scope=scope), n_years=3_000)
        assert (np.diff(g["p_fail_term"]) >= 0).all() and (np.diff(g["mean_surplus"]) < 0).all()
    # Social work only: costs barely vary, so the practice fails where the expected loss over the term meets its
    # reserves, and never at a fair rate.
    sw = A.case_rate_breaking_point(Scenario.central(scope="social_work"), n_years=3_000)
    assert sw["p_fail_fair"] == 0.0
    assert sw["simulated"] == pytest.approx(sw["expected"], abs=0.01)
    at = A.case_rate_shortfall(Scenario.central(scope="social_work"), sw["simulated"] + 0.002, n_years=3_000)
    assert at["p_fail_term"] >= 0.5
    # With placements in scope it fails more often than not even at a fair rate.
    pl = A.case_rate_breaking_point(Scenario.central(scope="placements"), n_years=3_000)
    assert pl["p_fail_fair"] > 0.5 and pl["simulated"] == 0.0 and pl["expected"] < sw["expected"]


@pytest.mark.parametrize("call, name", [
    (lambda: A.case_rate_shortfall(Scenario.central(), 1.0), "shortfall"),
    (lambda: A.case_rate_shortfall(Scenario.central(), -0.1), "shortfall"),
    (lambda: A.case_rate_shortfall(Scenario.central(), 0.1, n_years=10), "n_years"),
    (lambda: A.case_rate_grid(Scenario.central(), ()), "shortfalls"),
    (lambda: A.case_rate_grid(Scenario.central(), tuple([0.1] * 101)), "shortfalls"),
    (lambda: A.case_rate_breaking_point(Scenario.central(), 1.0), "chance"),
])
def test_case_rate_rejects_bad_inputs(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_case_rate_quote_is_a_sourced_row():
    rows = data.load("international")
    cwla = rows[(rows["jurisdiction"] == "Kansas") & (rows["measure"] == "cwla_issues")].iloc[0]
    assert cwla["status"] == "sourced" and "reliable cost data are crucial" in cwla["quote"]
    bankrupt = rows[(rows["jurisdiction"] == "Kansas") & (rows["measure"] == "contractor_bankruptcy_year")].iloc[0]
    assert bankrupt["document"] == "ljworld2002" and "faulty data" in bankrupt["quote"]


# ---------------------------------------------------------------- Massachusetts over the ICC


def test_bonus_over_the_icc_uses_chapter_6s_design_effect_and_matches_the_exact_sums():
    from swp_models import outcomes

    scn = Scenario.central()
    g = A.bonus_icc(scn, (0.0, 0.05, 0.2))
    assert g["design_effect"].tolist() == pytest.approx([outcomes.design_effect(100, x) for x in (0.0, 0.05, 0.2)])
    row = g.iloc[1]
    table = A.bonus_table(scn).set_index("design")
    assert row["windfall_guess"] == pytest.approx(table.loc["guess", "windfall"])
    assert row["windfall_baseline"] == pytest.approx(table.loc["baseline", "windfall"])
    # More clustering: both windfalls grow, the guess's lead shrinks, and a real improvement is worth less.
    assert (np.diff(g["windfall_baseline"]) > 0).all() and (np.diff(g["ratio"]) < 0).all()
    assert (np.diff(g["extra_baseline"]) < 0).all()


def test_bonus_icc_reversals_are_where_the_lessons_change_sign():
    scn = Scenario.central()
    for lesson, column in (("per_year", "guess_per_year"), ("luck", "extra_baseline")):
        icc = A.bonus_icc_reversal(scn, lesson)
        assert 0.0 < icc < 0.5
        below, above = A.bonus_icc(scn, (icc - 0.002, icc + 0.002)).itertuples()
        assert below.windfall_baseline < getattr(below, column)
        assert above.windfall_baseline > getattr(above, column)
    # Independent children: a baseline year beats a guess per paid year; the reversal lies inside the ICC's range.
    low, _, high = A.assumptions.bounds("icc")
    assert low < A.bonus_icc_reversal(scn, "per_year") < high
    assert A.bonus_icc_reversal(scn, "luck") < low


@pytest.mark.parametrize("call, name", [
    (lambda: A.bonus_icc(Scenario.central(), (1.0,)), "iccs"),
    (lambda: A.bonus_icc(Scenario.central(), ()), "iccs"),
    (lambda: A.bonus_icc(Scenario.central(), (0.05,), 0.0), "improvement_points"),
    (lambda: A.bonus_icc_reversal(Scenario.central(), "both"), "lesson"),
])
def test_bonus_icc_rejects_bad_inputs(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# ---------------------------------------------------------------- the page


def test_tender_chart_lines_coincide_only_where_every_tender_is_awarded():
    """Fig 7.4: the commissioner's cost and the price differ only by the failed tenders, and the page says so."""
    from swp_models.figures import abroad as F

    g = A.tender_grid(Scenario.central(), n_tenders=1)
    gap = g["commissioner_cost"] - g["price"]
    assert (gap[g["p_award"] == 1.0] == 0).all() and (gap >= 0).all()
    assert (gap / g["price"]).max() < 0.01
    nums = F.prose_numbers_abroad()
    text = json.dumps(json.loads((ROOT / "book" / "07_abroad.ipynb").read_text(encoding="utf-8"))["cells"])
    assert "ch7_tender_gap" in text and nums["ch7_tender_gap_markup"] == "10%"


def test_explorer_prepares_the_other_scope_in_the_background_and_a_switch_shows_it():
    """The placement scope's costs are prepared as the explorer opens; a switch made at once waits for them, and
    shows what a switch made once they are ready shows."""
    from swp_models.explore.abroad import explorer

    early = explorer()
    assert early.preparing
    early.controls["scope"].value = "placements"  # at once: waits for the background figures
    assert early.wait_ready(0) and "Cannot compute" not in early.result.value
    later = explorer()
    assert later.wait_ready(timeout=600)
    later.controls["scope"].value = "placements"
    assert later.result.value == early.result.value
    later.controls["scope"].value = "social_work"
    assert later.result.value != early.result.value
    with pytest.raises(ValueError, match="timeout"):
        later.wait_ready(-1.0)
    with pytest.raises(TypeError, match="work must be callable"):
        later.prepare(None, "nothing")
    with pytest.raises(ValueError, match="name"):
        later.prepare(lambda: None, "")
