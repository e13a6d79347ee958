"""Tests of the central needs mix and of the shared yearly cost shock (swp_models.costs).

Monte Carlo checks use fixed seeds and tolerances of four standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from swp_models import costs, data
from swp_models.costs import (
    Caseload,
    CostModel,
    default_cost_model,
    draw_practice_children,
    prevalence_shares,
    relative_spread,
    shock_exceedance,
    total_cost_distribution,
    total_cost_moments,
)

SMALL = CostModel(("no_additional_needs", "ebd_or_offending"), (30000, 60000), (0.6, 0.4), 0.5, shock_cv=0.08)


# --------------------------------------------------------------------------- the needs mix


def test_prevalence_mix_reads_the_survey_anchored_assumptions():
    shares = prevalence_shares()
    assert shares == pytest.approx({"no_additional_needs": 0.55, "ebd_or_offending": 0.42, "complex_needs": 0.03})
    assert costs.assumption("additional_needs_share") == 0.45
    # the survey figure the assumption is anchored on, read from its own table
    assert data.value("lac_mental_health_2002", measure="any_mental_disorder") == 45
    low, value, high = costs.assumption_range("additional_needs_share")
    assert (low, value, high) == (0.37, 0.45, 0.55)


def test_central_model_uses_the_prevalence_mix_and_its_mean_follows():
    model = default_cost_model()
    assert model.shares == pytest.approx((0.55, 0.42, 0.03))
    # 0.55 x 33,000 + 0.42 x 52,000 + 0.03 x 95,000
    assert model.mean == pytest.approx(42840.0, rel=1e-12)
    assert model.shock_cv == 0.0
    census = default_cost_model(mix="census")
    assert census.mean == pytest.approx(35360.0, rel=1e-12)
    assert default_cost_model(target_mean=40000).mean == pytest.approx(40000.0, rel=1e-12)


def test_mix_arguments_are_checked():
    with pytest.raises(ValueError, match="mix"):
        default_cost_model(mix="survey")
    with pytest.raises(ValueError, match="target_mean and position apply only to mix='census'"):
        default_cost_model(mix="prevalence", target_mean=40000)
    with pytest.raises(ValueError, match="additional_share and complex_share apply only"):
        default_cost_model(mix="census", complex_share=0.02)
    with pytest.raises(ValueError, match="complex_share"):
        prevalence_shares(0.3, 0.4)
    with pytest.raises(ValueError, match="additional_share"):
        prevalence_shares(1.2)


def test_assumption_range_needs_a_recorded_range(monkeypatch):
    rec = dict(data.row("assumptions_costs", parameter="within_group_cv"))
    rec["low"] = float("nan")
    monkeypatch.setattr(data, "row", lambda *args, **kwargs: rec)
    with pytest.raises(ValueError, match="records no range"):
        costs.assumption_range("within_group_cv")


def test_prevalence_mix_with_exceptional_children_scales_the_groups():
    model = default_cost_model(tail_share=0.01, tail_multiple=3)
    w = model.component_weights
    assert w[:3] == pytest.approx(0.99 * np.array([0.55, 0.42, 0.03]))
    assert model.mean == pytest.approx(0.99 * 42840 + 0.01 * 3 * 95000)


# --------------------------------------------------------------------------- the shared shock


def test_shock_is_validated():
    with pytest.raises(ValueError, match="shock_cv"):
        CostModel(("complex_needs",), (1.0,), (1.0,), 0.5, shock_cv=-0.1)
    with pytest.raises(ValueError, match="shock_cv"):
        default_cost_model(shock_cv=1.5)
    with pytest.raises(ValueError, match="excess"):
        shock_exceedance(0.05, -0.1)
    with pytest.raises(ValueError, match="n"):
        relative_spread(SMALL, 0)


def test_default_shock_reads_its_range():
    assert (costs.default_shock_cv("low"), costs.default_shock_cv(), costs.default_shock_cv("high")) == (0.02, 0.05, 0.1)


def test_no_shock_leaves_the_random_stream_unchanged():
    base = default_cost_model()
    a = draw_practice_children(base, 100, 50, np.random.default_rng(3))
    b = draw_practice_children(base.with_shock(0.0), 100, 50, np.random.default_rng(3))
    np.testing.assert_array_equal(a.totals, b.totals)


def test_shock_moments_match_simulation():
    load = Caseload(50, 5)
    exact = total_cost_moments(SMALL, load)
    years = draw_practice_children(SMALL, load, 200_000, np.random.default_rng(11)).totals
    se_mean = exact.std / math.sqrt(years.size)
    assert abs(years.mean() - exact.mean) < 4 * se_mean
    # variance: relative standard error about sqrt(2 / n) for a near-normal total, widened for skew
    assert years.var() == pytest.approx(exact.variance, rel=4 * math.sqrt(3.0 / years.size))
    # without the shock the variance is smaller by the closed-form amount
    plain = total_cost_moments(SMALL.with_shock(0.0), load)
    v = SMALL.shock_variance
    assert exact.variance == pytest.approx((1 + v) * plain.variance + v * plain.mean**2, rel=1e-12)


def test_shock_exceedance_closed_form_against_draws():
    z = SMALL.shock_factors(400_000, np.random.default_rng(5))
    assert z.mean() == pytest.approx(1.0, abs=4 * 0.08 / math.sqrt(z.size))
    p = shock_exceedance(0.08, 0.10)
    se = math.sqrt(p * (1 - p) / z.size)
    assert abs(float((z > 1.10).mean()) - p) < 4 * se
    assert shock_exceedance(0.0, 0.1) == 0.0


@settings(max_examples=40, deadline=None)
@given(st.floats(0.0, 0.3), st.integers(1, 10**7))
def test_relative_spread_never_falls_below_the_shock(v_cv, n):
    """A common multiplicative shock with variance v leaves the relative spread at least sqrt(v)."""
    model = default_cost_model(shock_cv=v_cv)
    spread = relative_spread(model, n)
    assert spread >= v_cv - 1e-15
    moments = total_cost_moments(model, n)
    assert spread == pytest.approx(moments.std / moments.mean, rel=1e-12)


def test_relative_spread_tends_to_the_shock_for_a_large_pool():
    model = default_cost_model(shock_cv=0.05)
    assert relative_spread(model, 10**9) == pytest.approx(0.05, rel=1e-5)
    assert relative_spread(model, 100) > relative_spread(model, 1000) > relative_spread(model, 5000) > 0.05


def test_distribution_with_shock_keeps_mean_and_variance():
    model = default_cost_model(shock_cv=0.05)
    load = costs.default_caseload()
    dist = total_cost_distribution(model, load)
    exact = total_cost_moments(model, load)
    assert dist.mean == pytest.approx(exact.mean, rel=1e-9)
    assert dist.variance == pytest.approx(exact.variance, rel=1e-3)
    assert dist.shock_cv == 0.05


def test_distribution_with_shock_against_simulation():
    model = default_cost_model(shock_cv=0.05)
    n_years = 18_000
    dist = total_cost_distribution(model, 1000)
    p = dist.prob_cost_per_child_exceeds(0.10)
    sims = draw_practice_children(model, 1000, n_years, np.random.default_rng(2026)).totals / 1000
    hits = float((sims > 1.10 * model.mean).mean())
    assert abs(hits - p) < 4 * math.sqrt(p * (1 - p) / n_years)
    q95 = float(dist.quantile(0.95))
    assert float((sims * 1000 <= q95).mean()) == pytest.approx(0.95, abs=4 * math.sqrt(0.95 * 0.05 / n_years))


@pytest.mark.slow
def test_pooled_overshoot_tends_to_the_shock_floor():
    model = default_cost_model(shock_cv=0.05)
    curve = costs.pooling_curve(model, (100, 1000, 5000, 40_000), (0.10,))
    floor = shock_exceedance(0.05, 0.10)
    assert (curve["p_shock_alone"] == floor).all()
    p = curve["p_exact"].to_numpy()
    assert p[0] > p[1] > p[2] > p[3]
    assert p[3] == pytest.approx(floor, rel=0.05)
    # without the shock a council of 1,000 almost never overshoots by 10%
    plain = costs.pooling_curve(default_cost_model(), (1000,), (0.10,))["p_exact"].iloc[0]
    assert plain < 1e-5 < floor


@pytest.mark.parametrize("block", [8192, 64])
def test_shock_mixing_matches_a_node_by_node_loop(block, monkeypatch):
    """The sparse-product mixing of the shared shock, in one block or many, gives what moving the
    grid point by point and node by node gives."""
    from swp_models.costs import distribution as dist

    monkeypatch.setattr(dist, "_SHOCK_BLOCK", block)
    rng = np.random.default_rng(11)
    pmfs = rng.random((3, 400)) * (np.arange(400) < 250)
    pmfs /= pmfs.sum(axis=1, keepdims=True)
    nodes, weights = dist._shock_nodes(default_cost_model(shock_cv=0.2))
    expected = np.zeros_like(pmfs)
    k = np.arange(400.0)
    for z, w in zip(nodes, weights):
        y = k * z
        for i in range(3):
            for j in np.flatnonzero((y <= 399) & (pmfs[i] > 0)):
                lo = int(np.floor(y[j]))
                expected[i, lo] += w * pmfs[i, j] * (1 - (y[j] - lo))
                expected[i, min(lo + 1, 399)] += w * pmfs[i, j] * (y[j] - lo)
    expected /= expected.sum(axis=1, keepdims=True)
    got = dist._apply_shock(pmfs, nodes, weights)
    assert got.shape == pmfs.shape
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-18)
