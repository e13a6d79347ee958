"""Tests of chapter 2's same-start comparison, the decomposition of the practice's advantage,
the practice with a vacancy and the hazard the workforce does not explain
(swp_models.continuity_compare). Monte Carlo checks: fixed seeds, four standard errors.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from swp_models import continuity as cm
from swp_models.continuity import compare as cc


def test_handoffs_are_a_binomial_distribution_with_a_labelled_range():
    pmf = cc.handoff_pmf()
    assert pmf == pytest.approx([0.125, 0.375, 0.375, 0.125])
    assert cm.assumption_range("handoff_probability") == (0.2, 0.5, 1.0)
    assert cc.handoff_pmf(1.0) == pytest.approx([0, 0, 0, 1])  # the old assumption: three for every child
    with pytest.raises(ValueError, match="probability"):
        cc.handoff_pmf(1.5)
    with pytest.raises(ValueError, match="records no range"):
        cm.assumption_range("agency_tenure_years")


def _simulate_same_start(years, q, s, n, seed):
    refs = cm.reference_scenarios()
    hc, hp = cm.hazard(refs["Council, England 2005"]), cm.hazard(refs["Practice"])
    rng = np.random.default_rng(seed)
    h = rng.binomial(3, q, n)
    council = 1 + h + rng.poisson(hc * years, n)
    practice = 1 + h + 1 + rng.poisson(hc * s, n) + rng.poisson(hp * (years - s), n)
    return council, practice


@pytest.mark.parametrize(("years", "q"), [(1.0, 0.5), (5.0, 0.2), (2.0, 1.0)])
def test_same_start_closed_form_against_simulation(years, q):
    n = 400_000
    council, practice = _simulate_same_start(years, q, 0.5, n, seed=int(10 * years + 100 * q))
    summ = cc.same_start_summary(years, probability=q)
    for who, sims in (("council", council), ("practice", practice)):
        for key, hits in (("one", sims == 1), ("five", sims >= 5)):
            p = summ[f"{who}_{key}"]
            assert abs(hits.mean() - p) <= 4 * math.sqrt(max(p * (1 - p), 1e-12) / n) + 1e-12, (who, key)
        assert abs(sims.mean() - summ[f"{who}_mean"]) < 4 * sims.std() / math.sqrt(n)


def test_same_start_means_by_hand():
    refs = cm.reference_scenarios()
    hc, hp = cm.hazard(refs["Council, England 2005"]), cm.hazard(refs["Practice"])
    summ = cc.same_start_summary(5.0)
    assert summ["council_mean"] == pytest.approx(1 + 1.5 + 5 * hc, rel=1e-9)
    assert summ["practice_mean"] == pytest.approx(1 + 1.5 + 0.5 * hc + 1 + 4.5 * hp, rel=1e-9)
    assert summ["practice_one"] == 0.0  # the transfer is a change in every practice child's first years
    before = cc.same_start_summary(0.4, transfer_years=0.5)
    assert before["council_mean"] == before["practice_mean"]  # before the transfer the two children are the same
    with pytest.raises(ValueError, match="transfer_years"):
        cc.same_start_pmf(1.0, transfer_years=0.1)


def test_decomposition_adds_up_to_the_difference():
    later = cc.decomposition("one_worker_later").set_index("part")["value"]
    assert later["total"] == pytest.approx(94.5 - 71.0, abs=0.05)
    assert later.drop("total").sum() == pytest.approx(later["total"], rel=1e-12)
    assert round(later["no agency cover"]) == 19 and later["anything else"] == 0.0
    same = cc.decomposition("workers_same_start").set_index("part")["value"]
    assert same.drop("total").sum() == pytest.approx(same["total"], rel=1e-12)
    assert same["anything else"] == pytest.approx(-1.0)  # the transfer itself
    summ = cc.same_start_summary(5.0)
    assert same["total"] == pytest.approx(summ["council_mean"] - summ["practice_mean"], rel=1e-9)
    with pytest.raises(ValueError, match="metric"):
        cc.decomposition("speed")
    with pytest.raises(TypeError, match="practice must be a ContinuityScenario"):
        cc.decomposition(practice="fast")
    with pytest.raises(TypeError, match="council must be a ContinuityScenario"):
        cc.same_start_pmf(1.0, council=3)


def test_practice_with_a_vacancy_counts_a_departure_as_two_changes():
    pv = cc.practice_with_vacancy()
    base = cm.reference_scenarios()["Practice"]
    assert pv.vacancy == 0.125
    assert cm.hazard(pv) == pytest.approx(2 * (1 - 0.125) * base.permanent_hazard, rel=1e-12)
    # simulate the typed process: expected changes are two per departure
    counts = cm.simulate_worker_counts_detailed(pv, 5.0, 200_000, 7, first_year=False)
    changes = counts.workers - 1
    assert abs(changes.mean() - 5 * cm.hazard(pv)) < 4 * changes.std() / math.sqrt(changes.size)
    assert cm.p_same_worker(pv) < cm.p_same_worker(base)
    with pytest.raises(ValueError, match="vacancy"):
        cc.practice_with_vacancy(1.0)


def test_workforce_of_the_index_years_and_the_unexplained_hazard():
    wf = cc.workforce_2017()
    assert wf["turnover"] == 0.15
    assert wf["agency_share"] == pytest.approx(5340 / (28500 + 5340))
    table = cc.unexplained_hazard().set_index("agency_tenure_years")
    assert table["observed"].iloc[0] == pytest.approx(-math.log(0.4))
    np.testing.assert_allclose(table["explained"] + table["unexplained"], table["observed"])
    assert (table["unexplained"].diff().dropna() > 0).all()  # longer agency stays explain less
    assert [round(x, 2) for x in table["unexplained"]] == [0.15, 0.46, 0.62]
    with pytest.raises(ValueError, match="tenures"):
        cc.unexplained_hazard((0.0,))


def test_five_in_a_year_across_readings():
    five = cc.five_in_a_year().set_index("reading")["p_five"]
    assert [round(100 * p, 2) for p in five] == [0.04, 1.07, 0.93]


def test_agency_shares_as_the_agency_input():
    table = cc.agency_share_scenarios().set_index("area")
    assert table.loc["London", "agency"] == pytest.approx(0.208) and table.loc["England outside London", "agency"] == pytest.approx(0.116)
    assert table.loc["London", "p_agency"] < table.loc["London", "p_vacancy"]  # 20.8% agency against 18% vacancy


def test_handoff_mixture_closed_forms_against_simulation():
    """The random number of hand-offs: closed forms mix over it exactly; the simulators draw it per child."""
    s = cm.reference_scenarios()["Council, England 2005"]
    n = 300_000
    sims = cm.simulate_worker_counts(s, 1.0, n, 11, first_year=True)
    for k in (1, 3, 5):
        p = cm.p_workers_at_least(s, k, 1.0, True) if k > 1 else 1.0
        assert abs((sims >= k).mean() - p) <= 4 * math.sqrt(max(p * (1 - p), 1e-12) / n) + 1e-12, k
    assert abs(sims.mean() - cm.expected_workers(s, 1.0, True)) < 4 * sims.std() / math.sqrt(n)
    p1 = cm.p_same_worker(s, 1.0, True)
    assert abs((sims == 1).mean() - p1) <= 4 * math.sqrt(p1 * (1 - p1) / n)
    detailed = cm.simulate_worker_counts_detailed(s, 1.0, n, 12, first_year=True)
    pmf = cm.worker_count_pmf(s, 1.0, True, typed=True)
    for w in (1, 2, 3, 4):
        assert abs((detailed.workers == w).mean() - pmf[w]) <= 4 * math.sqrt(pmf[w] * (1 - pmf[w]) / n) + 1e-12, w
    mix = cm.handoff_mixture(s)
    assert [round(w, 6) for w, _ in mix] == [0.125, 0.375, 0.375, 0.125]
    assert sum(w for w, _ in mix) == pytest.approx(1.0)
    assert cm.worker_count_pmf(s, 1.0, True).sum() == pytest.approx(1.0, abs=1e-9)
    with pytest.raises(ValueError, match="handoff_probability"):
        s.replace(handoff_probability=1.5)


def test_rota_workload_counts_weekends_holidays_and_rest():
    load = cm.rota_workload((6, 10))
    assert load.loc[6, "duties"] == pytest.approx((365 + 112) / 6)
    assert load.loc[10, "rest_days"] == pytest.approx(0.25 * 36.5)
    assert cm.assumption_range("callout_share") == (0.1, 0.25, 0.5)
    with pytest.raises(ValueError, match="callout_share"):
        cm.rota_workload(callout_share=2.0)
