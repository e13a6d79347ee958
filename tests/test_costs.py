"""Tests of the child-cost model (swp_models.costs).

Monte Carlo checks use fixed seeds and tolerances of four standard errors, the standard
error computed from exact moments where they are available.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from swp_models import costs
from swp_models.costs import (
    NEEDS_GROUPS,
    Caseload,
    CostModel,
    calibrate_shares,
    default_caseload,
    default_cost_model,
    draw_practice_children,
    pooling_table,
    prob_cost_per_child_exceeds,
    simulate_practice_costs,
    total_cost_moments,
)

TWO = CostModel(groups=("no_additional_needs", "complex_needs"), means=(30000, 90000), shares=(0.75, 0.25), cv=0.4)


def fourth_central_moment(model: CostModel) -> float:
    """Exact E[(c - mean)^4] of the mixture, from raw moments E[c^j] = sum w m^j (1 + cv^2)^(j(j-1)/2)."""
    w, m, v = model.component_weights, model.component_means, model.component_cvs
    raw = [float(np.dot(w, m**j * (1 + v**2) ** (j * (j - 1) / 2))) for j in range(5)]
    mu = raw[1]
    return raw[4] - 4 * mu * raw[3] + 6 * mu**2 * raw[2] - 3 * mu**4


# --------------------------------------------------------------------------- moments


def test_two_group_mean_and_variance_by_hand():
    # mean = 0.75*30000 + 0.25*90000 = 45000
    # E[c^2] = 0.75*30000^2*1.16 + 0.25*90000^2*1.16 = 783e6 + 2349e6 = 3132e6
    assert TWO.mean == pytest.approx(45000.0, rel=1e-15)
    assert TWO.second_moment == pytest.approx(3.132e9, rel=1e-12)
    assert TWO.variance == pytest.approx(3.132e9 - 45000.0**2, rel=1e-12)
    assert TWO.std == pytest.approx(math.sqrt(3.132e9 - 2.025e9), rel=1e-12)


def test_lognormal_parameters_reproduce_mean_and_cv():
    m = np.exp(TWO.mu + TWO.sigma**2 / 2)
    cv = np.sqrt(np.exp(TWO.sigma**2) - 1)
    np.testing.assert_allclose(m, [30000, 90000], rtol=1e-12)
    np.testing.assert_allclose(cv, [0.4, 0.4], rtol=1e-12)


def test_tail_component_moments_by_hand():
    model = CostModel(
        groups=("no_additional_needs", "complex_needs"),
        means=(30000, 90000),
        shares=(0.8, 0.2),
        cv=(0.5, 0.3),
        tail_share=0.01,
        tail_multiple=3,
    )
    assert model.components == ("no_additional_needs", "complex_needs", "exceptional")
    np.testing.assert_allclose(model.component_weights, [0.792, 0.198, 0.01])
    np.testing.assert_allclose(model.component_means, [30000, 90000, 270000])
    np.testing.assert_allclose(model.component_cvs, [0.5, 0.3, 0.3])
    mean = 0.792 * 30000 + 0.198 * 90000 + 0.01 * 270000
    second = 0.792 * 30000**2 * 1.25 + 0.198 * 90000**2 * 1.09 + 0.01 * 270000**2 * 1.09
    assert model.mean == pytest.approx(mean, rel=1e-14)
    assert model.variance == pytest.approx(second - mean**2, rel=1e-12)
    summary = model.group_summary().set_index("group")
    # Exceptional children are recorded in the complex-needs group.
    assert summary.loc["complex_needs", "share"] == pytest.approx(0.208)
    assert summary.loc["complex_needs", "mean"] == pytest.approx((0.198 * 90000 + 0.01 * 270000) / 0.208)
    assert list(model.recorded_group) == [0, 1, 1]


@settings(max_examples=40, deadline=None)
@given(
    means=st.lists(st.floats(1000, 200000), min_size=3, max_size=3),
    raw=st.lists(st.floats(0.01, 1.0), min_size=3, max_size=3),
    cv=st.floats(0.05, 2.0),
)
def test_moments_match_direct_formula(means, raw, cv):
    shares = np.array(raw) / sum(raw)
    shares[-1] = 1.0 - shares[:-1].sum()
    model = CostModel(NEEDS_GROUPS, means, tuple(shares), cv)
    m = np.array(means)
    mean = float(np.dot(shares, m))
    var = float(np.dot(shares, m**2 * (1 + cv**2))) - mean**2
    assert model.mean == pytest.approx(mean, rel=1e-12)
    assert model.variance == pytest.approx(var, rel=1e-9, abs=1e-6 * mean**2)
    assert model.variance >= 0


# --------------------------------------------------------------------------- cdf, quantile


def test_quantile_inverts_cdf():
    model = default_cost_model(tail_share=0.005, tail_multiple=3)
    q = np.concatenate([[1e-12, 1e-6], np.linspace(0.001, 0.999, 999), [1 - 1e-9]])
    x = model.quantile(q)
    np.testing.assert_allclose(model.cdf(x), q, rtol=1e-10, atol=1e-13)
    assert np.all(np.diff(x) > 0)
    xs = np.geomspace(1000, 1e6, 50)
    np.testing.assert_allclose(model.quantile(model.cdf(xs)), xs, rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(q=st.floats(1e-9, 1 - 1e-9), cv=st.floats(0.05, 3.0))
def test_quantile_inverts_cdf_property(q, cv):
    model = CostModel(NEEDS_GROUPS, (33000, 52000, 95000), (0.9, 0.07, 0.03), cv)
    assert model.cdf(model.quantile(q)) == pytest.approx(q, rel=1e-9, abs=1e-12)


def test_quantile_ends_and_shape():
    assert TWO.quantile(0.0) == 0.0
    assert TWO.quantile(1.0) == math.inf
    assert TWO.cdf(0.0) == 0.0
    assert TWO.cdf(-5.0) == 0.0
    assert isinstance(TWO.quantile(0.5), float)
    assert TWO.quantile(np.array([[0.1, 0.5], [0.9, 0.99]])).shape == (2, 2)


def test_single_group_quantile_is_lognormal_quantile():
    model = CostModel(("complex_needs",), (95000,), (1.0,), 0.5)
    from scipy import stats

    dist = stats.lognorm(s=model.sigma[0], scale=math.exp(model.mu[0]))
    q = np.array([0.01, 0.25, 0.5, 0.9, 0.999])
    np.testing.assert_allclose(model.quantile(q), dist.ppf(q), rtol=1e-12)


def test_pdf_integrates_to_cdf():
    val, _ = integrate.quad(TWO.pdf, 0, 60000, limit=200)
    assert val == pytest.approx(TWO.cdf(60000), abs=1e-8)


@pytest.mark.parametrize("bad", [-0.1, 1.1, float("nan")])
def test_quantile_rejects_bad_q(bad):
    with pytest.raises(ValueError, match=r"^q must (be in \[0, 1\]|not contain NaN)"):
        TWO.quantile(bad)


def test_expected_excess_against_integral_and_limits():
    model = default_cost_model()
    t = 100000.0
    tail, _ = integrate.quad(lambda x: 1 - model.cdf(x), t, 5e6, limit=400)
    assert model.expected_excess(t) == pytest.approx(tail, rel=1e-6)
    assert model.expected_excess(0) == pytest.approx(model.mean)
    with pytest.raises(ValueError, match="threshold"):
        model.expected_excess(-1)


# --------------------------------------------------------------------------- sampling


def test_sample_moments_within_monte_carlo_error():
    model = default_cost_model(tail_share=0.005, tail_multiple=3)
    n = 1_000_000
    x = model.sample(n, seed=11)
    se_mean = model.std / math.sqrt(n)
    assert abs(x.mean() - model.mean) < 4 * se_mean
    # SE of the sample variance: sqrt((mu4 - sigma^4) / n).
    se_var = math.sqrt((fourth_central_moment(model) - model.variance**2) / n)
    assert abs(x.var() - model.variance) < 4 * se_var


def test_sample_groups_follow_weights_and_group_costs():
    model = default_cost_model(tail_share=0.005, tail_multiple=3)
    n = 400_000
    x, g = model.sample(n, seed=3, return_groups=True)
    assert g.dtype == np.int8
    w = model.component_weights
    freq = np.bincount(g, minlength=w.size) / n
    assert np.all(np.abs(freq - w) < 4 * np.sqrt(w * (1 - w) / n))
    for k, (m, v) in enumerate(zip(model.component_means, model.component_cvs)):
        sel = x[g == k]
        assert abs(sel.mean() - m) < 4 * m * v / math.sqrt(sel.size)


def test_sample_is_reproducible_and_accepts_generator():
    a = TWO.sample(1000, seed=5)
    b = TWO.sample(1000, seed=5)
    c = TWO.sample(1000, seed=np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(a, TWO.sample(1000, seed=6))
    assert TWO.sample(0, seed=1).shape == (0,)


def test_sample_cdf_agrees_with_exact_cdf():
    x = TWO.sample(200_000, seed=8)
    for q in (0.1, 0.5, 0.9, 0.99):
        point = TWO.quantile(q)
        assert abs(np.mean(x <= point) - q) < 4 * math.sqrt(q * (1 - q) / x.size)


# --------------------------------------------------------------------------- validation


def test_shares_must_sum_to_one_and_message_names_the_sum():
    with pytest.raises(ValueError, match=r"shares must sum to 1.*0\.9"):
        CostModel(("no_additional_needs", "complex_needs"), (1, 2), (0.5, 0.4), 0.5)


def test_shares_sum_tolerance_is_1e_9():
    CostModel(("no_additional_needs", "complex_needs"), (1, 2), (0.5, 0.5 + 5e-10), 0.5)
    with pytest.raises(ValueError, match="shares"):
        CostModel(("no_additional_needs", "complex_needs"), (1, 2), (0.5, 0.5 + 5e-9), 0.5)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"shares": (1.2, -0.2)}, "shares"),
        ({"shares": (float("nan"), 1.0)}, "shares"),
        ({"means": (0, 90000)}, "means"),
        ({"means": (-1, 90000)}, "means"),
        ({"means": (float("nan"), 90000)}, "means"),
        ({"cv": 0}, "cv"),
        ({"cv": -0.5}, "cv"),
        ({"cv": float("nan")}, "cv"),
        ({"cv": (0.5,)}, "cv"),
        ({"cv": (0.5, 0.0)}, "cv"),
        ({"groups": ("no_additional_needs", "martians")}, "groups"),
        ({"groups": ("complex_needs", "complex_needs")}, "groups"),
        ({"groups": ()}, "groups"),
        ({"means": (1, 2, 3)}, "means"),
        ({"shares": (1.0,)}, "shares"),
        ({"tail_share": 1.0, "tail_multiple": 3}, "tail_share"),
        ({"tail_share": -0.1}, "tail_share"),
        ({"tail_share": 0.01}, "tail_multiple"),
        ({"tail_share": 0.01, "tail_multiple": 0.5}, "tail_multiple"),
    ],
)
def test_cost_model_rejects_bad_input(kwargs, name):
    base = dict(groups=("no_additional_needs", "complex_needs"), means=(30000, 90000), shares=(0.75, 0.25), cv=0.4)
    base.update(kwargs)
    with pytest.raises(ValueError, match=name):
        CostModel(**base)


def test_cost_model_is_frozen_and_normalised():
    model = CostModel(["no_additional_needs"], [1000], [1], 0.5)
    assert model.groups == ("no_additional_needs",)
    with pytest.raises(AttributeError):
        model.cv = 1.0  # type: ignore[misc]


# --------------------------------------------------------------------------- calibration


def test_default_calibration_meets_census_average():
    calib = calibrate_shares()
    assert calib.target_mean == 35360
    lo, hi = calib.complex_share_range
    # 33000 p0 + 52000 p1 + 95000 p2 = 35360 with p0 + p1 + p2 = 1:
    # p2 runs from 0 (p1 = 2360/19000) to 2360/62000 (p1 = 0).
    assert lo == 0.0
    assert hi == pytest.approx(2360 / 62000, rel=1e-12)
    assert calib.default["complex_needs"] == pytest.approx(hi / 2, rel=1e-12)
    assert sum(calib.default.values()) == pytest.approx(1.0, abs=1e-12)
    model = default_cost_model(mix="census")
    assert model.mean == pytest.approx(35360.0, rel=1e-12)
    assert model.shares[0] > 0.87  # most children must be in the cheapest group


def test_feasible_line_meets_constraints_everywhere():
    calib = calibrate_shares(n_points=51)
    f = calib.feasible
    assert len(f) == 51
    shares = f[["no_additional_needs", "ebd_or_offending", "complex_needs"]]
    np.testing.assert_allclose(shares.sum(axis=1), 1.0, atol=1e-12)
    assert (shares >= 0).all().all() and (shares <= 1).all().all()
    np.testing.assert_allclose(f["mean"], 35360.0, rtol=1e-12)
    assert f["ebd_or_offending"].iloc[-1] == pytest.approx(0.0, abs=1e-12)
    assert f["ebd_or_offending"].iloc[0] == pytest.approx(2360 / 19000, rel=1e-12)


def test_calibration_positions_and_tail():
    means = {"no_additional_needs": 33000, "ebd_or_offending": 52000, "complex_needs": 95000}
    low = calibrate_shares(60000, means, position=0)
    high = calibrate_shares(60000, means, position=1)
    # A target above the middle group's mean needs a positive complex share at least.
    assert low.complex_share_range[0] == pytest.approx(8000 / 43000)
    assert low.default["complex_needs"] == pytest.approx(8000 / 43000)
    assert low.default["no_additional_needs"] == pytest.approx(0.0, abs=1e-12)
    assert high.default["ebd_or_offending"] == pytest.approx(0.0, abs=1e-12)
    tail = calibrate_shares(35360, means, tail_share=0.005, tail_multiple=3)
    model = CostModel(NEEDS_GROUPS, tuple(means.values()), tuple(tail.default.values()), 0.5, 0.005, 3)
    assert model.mean == pytest.approx(35360.0, rel=1e-12)


@pytest.mark.parametrize("target", [30000, 100000])
def test_infeasible_target_is_rejected(target):
    with pytest.raises(ValueError, match="target_mean"):
        calibrate_shares(target)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"target_mean": float("nan")}, "target_mean"),
        ({"target_mean": -1}, "target_mean"),
        ({"position": 1.5}, "position"),
        ({"n_points": 1}, "n_points"),
        ({"group_means": {"no_additional_needs": 1, "complex_needs": 2}}, "group_means"),
        ({"group_means": {"no_additional_needs": 3, "ebd_or_offending": 2, "complex_needs": 4}}, "group_means"),
        ({"tail_share": 0.01}, "tail_multiple"),
    ],
)
def test_calibration_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        calibrate_shares(**kwargs)


def test_group_costs_ranges():
    assert costs.group_costs() == {"no_additional_needs": 33000, "ebd_or_offending": 52000, "complex_needs": 95000}
    assert costs.group_costs("low")["ebd_or_offending"] == 50000
    assert costs.group_costs("high")["ebd_or_offending"] == 54000
    assert costs.group_costs("high")["complex_needs"] == 95000


# --------------------------------------------------------------------------- caseload, totals


def test_caseload_moments_and_support():
    uni = Caseload(100, 10, "uniform")
    bino = Caseload(100, 10, "binomial")
    assert uni.variance == pytest.approx(10 * 11 / 3)
    assert bino.variance == pytest.approx(5.0)
    n = 200_000
    for load in (uni, bino):
        draws = load.sample(n, seed=2)
        assert draws.min() >= 90 and draws.max() <= 110
        assert abs(draws.mean() - 100) < 4 * math.sqrt(load.variance / n)
        assert draws.var() == pytest.approx(load.variance, rel=0.02)
    fixed = Caseload(100)
    assert fixed.variance == 0 and np.all(fixed.sample(10, seed=1) == 100)
    default = default_caseload()
    assert (default.mean, default.margin) == (100, 10)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"mean": 0}, "mean"),
        ({"mean": 10.5}, "mean"),
        ({"mean": 100, "margin": -1}, "margin"),
        ({"mean": 10, "margin": 10}, "margin"),
        ({"mean": 100, "margin": 10, "kind": "poisson"}, "kind"),
    ],
)
def test_caseload_rejects_bad_input(kwargs, name):
    with pytest.raises(ValueError, match=name):
        Caseload(**kwargs)


@pytest.mark.parametrize("kind", ["uniform", "binomial"])
def test_total_cost_variance_identity_with_random_caseload(kind):
    model = default_cost_model()
    load = Caseload(100, 10, kind)
    exact = total_cost_moments(model, load)
    assert exact.mean == pytest.approx(100 * model.mean)
    assert exact.variance == pytest.approx(100 * model.variance + load.variance * model.mean**2)
    sims = simulate_practice_costs(model, load, 100_000, seed=21)
    s = sims["total_cost"].to_numpy()
    assert abs(s.mean() - exact.mean) < 4 * exact.std / math.sqrt(s.size)
    # SE of a sample variance estimated from the sample's own fourth central moment.
    d = s - s.mean()
    se_var = math.sqrt((np.mean(d**4) - np.mean(d**2) ** 2) / s.size)
    assert abs(s.var() - exact.variance) < 4 * se_var


def test_random_caseload_adds_variance():
    model = default_cost_model()
    fixed = total_cost_moments(model, 100)
    uni = total_cost_moments(model, Caseload(100, 10))
    assert uni.mean == fixed.mean
    assert uni.variance - fixed.variance == pytest.approx(110 / 3 * model.mean**2)


def test_simulate_practice_costs_structure():
    model = default_cost_model(tail_share=0.005, tail_multiple=3)
    frame = simulate_practice_costs(model, Caseload(100, 10), 500, seed=4)
    assert isinstance(frame, pd.DataFrame) and len(frame) == 500
    comp_cols = [f"n_{c}" for c in model.components]
    assert list(frame.columns) == ["children", "total_cost", "cost_per_child", *comp_cols]
    np.testing.assert_array_equal(frame[comp_cols].sum(axis=1), frame["children"])
    assert frame["children"].between(90, 110).all()
    kids = draw_practice_children(model, Caseload(100, 10), 500, np.random.default_rng(4))
    np.testing.assert_array_equal(kids.totals, frame["total_cost"])
    per_year = [kids.costs[a:b].sum() for a, b in zip(kids.offsets[:-1], kids.offsets[1:])]
    np.testing.assert_allclose(per_year, kids.totals, rtol=1e-12)
    # Children are stored by component within each year.
    year0 = kids.components[kids.offsets[0] : kids.offsets[1]]
    assert np.all(np.diff(year0) >= 0)


@pytest.mark.parametrize(("n_sims", "name"), [(0, "n_sims"), (-1, "n_sims"), (-3, "n_sims"), (2.5, "n_sims"),
                                             (10**10, "n_sims"), (True, "n_sims")])
def test_simulate_practice_costs_rejects_bad_sizes(n_sims, name):
    with pytest.raises(ValueError, match=name):
        simulate_practice_costs(TWO, 100, n_sims, seed=1)


@pytest.mark.parametrize(("caseload", "name"), [(0, "caseload"), (-5, "caseload"), (1.5, "caseload")])
def test_bad_fixed_caseload_is_rejected(caseload, name):
    with pytest.raises(ValueError, match=name):
        total_cost_moments(TWO, caseload)


def test_seed_must_be_given():
    with pytest.raises(ValueError, match="seed"):
        simulate_practice_costs(TWO, 100, 10, seed=None)
    with pytest.raises(ValueError, match="seed"):
        TWO.sample(10, seed=-1)


# --------------------------------------------------------------------------- pooling


def test_pooling_normal_formula_and_shrinkage():
    model = default_cost_model()
    ps = [prob_cost_per_child_exceeds(model, n, 0.05, "normal") for n in (100, 1000, 5000)]
    z = 0.05 * model.mean * 10 / model.std
    assert ps[0] == pytest.approx(0.5 * math.erfc(z / math.sqrt(2)), rel=1e-12)
    assert ps[0] > ps[1] > ps[2] > 0
    assert prob_cost_per_child_exceeds(model, 100, 0.0, "normal") == pytest.approx(0.5)


def test_pooling_simulation_agrees_with_larger_simulation():
    model = default_cost_model()
    p = prob_cost_per_child_exceeds(model, 100, 0.10, "simulate", n_sims=4000, seed=1)
    frame = simulate_practice_costs(model, 100, 100_000, seed=99)
    ref = float(np.mean(frame["cost_per_child"] > 1.1 * model.mean))
    assert abs(p - ref) < 4 * math.sqrt(ref * (1 - ref) / 4000)
    # Right skew: the normal approximation understates the chance of a 10% overshoot.
    assert ref > prob_cost_per_child_exceeds(model, 100, 0.10, "normal")


def test_pooling_table_columns():
    table = pooling_table(default_cost_model(), (100, 1000), 0.05, n_sims=500, seed=2)
    assert list(table["children"]) == [100, 1000]
    assert table["sd_cost_per_child"].iloc[0] == pytest.approx(table["sd_cost_per_child"].iloc[1] * math.sqrt(10))
    assert (table["p_exceed_simulated"].diff().dropna() <= 0).all()


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [({"n": 0}, "n"), ({"n": True}, "n"), ({"excess": -0.1}, "excess"), ({"excess": float("nan")}, "excess"),
     ({"method": "fft"}, "method"), ({"n_sims": 10**10}, "n_sims"), ({"n_sims": 0}, "n_sims"),
     ({"n": 10**6, "n_sims": 4000, "method": "simulate"}, "n_sims"), ({"n": 10**7}, "n")],
)
def test_pooling_rejects_bad_input(kwargs, name):
    args = {"model": TWO, "n": 100}
    args.update(kwargs)
    with pytest.raises((ValueError, TypeError), match=name):
        prob_cost_per_child_exceeds(**args)


def test_exact_exceedance_is_the_page_figure():
    # The census mix and a practice of 100 ± 10: the page prints 5.0% (exact); the normal approximation, which
    # misses the right skew of costs, gives 4.3% for a fixed 100, and a simulation agrees with the exact figure.
    model = default_cost_model(mix="census")
    load = default_caseload()
    exact = prob_cost_per_child_exceeds(model, load)
    assert f"{100 * exact:.1f}%" == "5.0%"
    assert exact == costs.total_cost_distribution(model, load).prob_cost_per_child_exceeds(0.10)
    assert f"{100 * prob_cost_per_child_exceeds(model, 100, method='normal'):.1f}%" == "4.3%"
    n_sims = 40_000
    sim = prob_cost_per_child_exceeds(model, load, method="simulate", n_sims=n_sims, seed=8)
    assert abs(sim - exact) < 4 * math.sqrt(exact * (1 - exact) / n_sims)
    # A fixed caseload: every method takes an int too.
    fixed = prob_cost_per_child_exceeds(model, 100)
    assert abs(fixed - exact) < 0.002


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"n_sims": 10**10}, "n_sims"), ({"n_sims": float("inf")}, "n_sims"), ({"n_sims": -1}, "n_sims"),
    ({"n_sims": 0}, "n_sims"), ({"n_sims": 2.5}, "n_sims"), ({"sizes": ()}, "sizes"), ({"sizes": (100, 0)}, "sizes"),
    ({"sizes": (True,)}, "sizes"), ({"sizes": "100"}, "sizes"), ({"excess": float("inf")}, "excess"),
    ({"model": "x"}, "model"), ({"sizes": (10**6,)}, "n_sims"),
])
def test_pooling_table_rejects_bad_input(kwargs, name):
    args = {"model": TWO, "sizes": (100,), "n_sims": 100}
    args.update(kwargs)
    with pytest.raises((ValueError, TypeError), match=name):
        pooling_table(**args)
