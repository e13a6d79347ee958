"""Chapter 6's outcome model and outcome contracts: closed forms against simulation, and input checks."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from scipy import optimize

from swp_models import data
from swp_models import outcome_contracts as oc
from swp_models import outcomes as om


@pytest.fixture(scope="module")
def model():
    return om.default_outcome_model()


def test_indicator_table_holds_every_indicator_of_arts_22_to_27_word_for_word():
    t = om.indicators()
    assert len(t) == 42
    assert t.groupby("article").size().to_dict() == {"Art. 22": 13, "Art. 23": 6, "Art. 24": 6, "Art. 25": 6,
                                                     "Art. 26": 7, "Art. 27": 4}
    seed = data.DATA_DIR.resolve().parent.parent / "shared" / "seeds" / "004_76f29637e2fd9edc.txt"
    text = seed.read_text(encoding="utf-8")
    annex = text[text.index("Art. 22\nStability and Continuity"):text.index("A.3 Child Care Services")]
    for ind in t["indicator"]:
        assert ind in annex, f"not in Annex A.2: {ind!r}"
    assert set(t.loc[t["status"] == "sourced", "indicator"]) == {
        "Stability of social worker or lead professional.",
        "Educational attainments at school i.e. results in literacy and numeracy."}
    assumed = t[t["status"] == "assumption"]
    assert (assumed["low"] <= assumed["value"]).all() and (assumed["value"] <= assumed["high"]).all()


def test_calibration_hits_the_national_rates(model):
    council = model.replace(hazard=om.continuity.hazard(om.continuity.reference_scenarios()["Council, England 2005"]))
    rates = council.expected_rates(om.default_cost_model().shares, 0.0)
    assert rates["stable_placement"] == pytest.approx(0.88, abs=1e-6)
    assert rates["attainment"] == pytest.approx(0.63, abs=1e-6)


def test_sampling_spread_of_three_plus_placements():
    assert om.sampling_sd(0.12, 100) == pytest.approx(3.25, abs=0.01)
    assert om.sampling_sd(0.12, 100, icc=0.1, cluster_size=11) == pytest.approx(3.25 * math.sqrt(2), abs=0.01)


def test_clustering_multiplies_bonus_variance_by_the_design_effect(model):
    n, w = 96, 8  # caseloads of exactly 12 children
    m = model.replace(social_workers=w)
    together = om.simulate_outcomes(m, 30_000, 11, caseload=n).at(0.5)
    alone = om.simulate_outcomes(m, 30_000, 11, caseload=n, clustered=False).at(0.5)
    bonus = 1000.0
    ratio = np.var(bonus * together.level["same_worker"]) / np.var(bonus * alone.level["same_worker"])
    rho = om.same_worker_icc(m.hazard_at(0.5), m.individual_change_probability)
    de = om.design_effect(n / w, rho)
    assert de > 4
    assert ratio == pytest.approx(de, rel=0.08)
    p = m.p_same(0.5)
    assert np.var(alone.level["same_worker"]) == pytest.approx(n * p * (1 - p), rel=0.05)
    assert together.level["same_worker"].mean() / n == pytest.approx(p, abs=0.003)


def test_same_worker_probability_agrees_with_chapter_2(model):
    s = om.continuity.reference_scenarios()["Practice"]
    plain = model.replace(individual_change_probability=0.0, retention_effect=0.0)
    assert plain.p_same(0.7) == pytest.approx(om.continuity.p_same_worker(s, first_year=False), rel=1e-12)


def test_value_added_lowers_the_uncontrolled_share_and_keeps_the_incentive(model):
    draws = om.simulate_outcomes(model, 20_000, 5)
    t = om.measure_comparison(draws, 1000.0, 250_000, 0.29, ("attainment", "stable_placement"))
    t = t.set_index(["indicator", "measure"])
    for ind in ("attainment", "stable_placement"):
        assert t.loc[(ind, "value_added"), "uncontrolled_share"] < t.loc[(ind, "level"), "uncontrolled_share"]
        assert t.loc[(ind, "value_added"), "slope"] == pytest.approx(t.loc[(ind, "level"), "slope"], rel=1e-9)
        assert t.loc[(ind, "value_added"), "mean_bonus"] == pytest.approx(t.loc[(ind, "level"), "mean_bonus"], rel=0.01)
    assert t.loc[("attainment", "value_added"), "sd_bonus"] < 0.95 * t.loc[("attainment", "level"), "sd_bonus"]


def test_durability_rule_against_a_constant_hazard_by_hand_and_by_simulation():
    p = 0.25
    lam = om.reentry_hazard(p)
    assert lam == pytest.approx(-math.log(0.75))
    d = om.durability_rule(20, 5000, lam)
    # By hand: a quarter of 20 reunifications break down within the year, each paid £5,000 without the rule.
    assert d.lasting_share == pytest.approx(0.75)
    assert d.paid_without_rule == pytest.approx(100_000)
    assert d.paid_for_breakdowns == pytest.approx(25_000)
    assert d.paid_with_rule == pytest.approx(75_000)
    spells = om.simulate_reunification_spells(400_000, lam, 3)
    assert np.mean(spells >= 1.0) == pytest.approx(0.75, abs=0.003)
    six = om.durability_rule(1, 1, lam, window_years=0.5)
    assert six.lasting_share == pytest.approx(np.mean(spells >= 0.5), abs=0.003)


def test_permanency_bonus_against_simulation():
    exact = om.permanency_bonus(100, 0.22, 0.24, 5000, lasting_share=0.9)
    rng = np.random.default_rng(9)
    k = rng.binomial(100, 0.22 * 0.9, size=400_000)
    sim = 5000 * np.maximum(k - 24, 0)
    assert exact["threshold"] == 24
    assert exact["expected_bonus"] == pytest.approx(sim.mean(), rel=0.03)
    assert exact["p_bonus"] == pytest.approx(np.mean(k > 24), abs=0.003)


def test_reserve_paths_against_a_direct_simulation():
    rng = np.random.default_rng(4)
    surplus = rng.normal(20_000, 250_000, size=(50_000, 4))
    got = oc.reserve_paths(surplus, 250_000)
    failed_by = np.zeros(4)
    shortfall = 0.0
    for path in surplus:
        r = 250_000.0
        for t, x in enumerate(path):
            r += x
            if r < 0:
                failed_by[t:] += 1
                shortfall += -r
                break
    assert np.allclose(got["p_failed"], failed_by / len(surplus))
    assert float(got["council_shortfall"]) == pytest.approx(shortfall / len(surplus))
    # Year one against the normal distribution.
    from scipy.stats import norm
    assert got["p_failed"][0] == pytest.approx(norm.cdf(-270_000 / 250_000), abs=0.005)
    assert np.all(np.diff(got["p_failed"]) >= 0)


def test_contract_pays_its_value_on_average_and_pure_share_payment_adds_risk():
    draws = om.simulate_outcomes(om.default_outcome_model(), 5_000, 8)
    ref = draws.at(0.5)
    for terms in (oc.OutcomeTerms(), oc.OutcomeTerms(bonus_per_child=1000, bonus_cap=20_000),
                  oc.OutcomeTerms(share_on_outcomes=1.0, basis="share")):
        c = oc.build_contract(terms, draws, ref)
        assert (c.fixed + c.outcome_payment(ref)).mean() == pytest.approx(c.value, rel=1e-9)
    block = oc.price(oc.build_contract(oc.OutcomeTerms(), draws, ref), draws, 250_000, ref)
    pure = oc.price(oc.build_contract(oc.OutcomeTerms(share_on_outcomes=1.0, basis="share"), draws, ref), draws,
                    250_000, ref)
    assert pure["risk_premium"] > block["risk_premium"]
    assert block["incentive"] == 0 and pure["incentive"] > 0
    capped = oc.price(oc.build_contract(oc.OutcomeTerms(bonus_per_child=1000, surplus_cap=50_000), draws, ref), draws,
                      250_000, ref)
    free = oc.price(oc.build_contract(oc.OutcomeTerms(bonus_per_child=1000), draws, ref), draws, 250_000, ref)
    assert capped["incentive"] < free["incentive"] and capped["sd_surplus"] < free["sd_surplus"]


def test_funding_schedule_rises_from_nothing_to_sixty_percent():
    assert oc.funding_schedule() == (0.0, 0.2, 0.4, 0.6)


@pytest.mark.parametrize("d", [0.0, 0.3, 0.6, 0.85])
@pytest.mark.parametrize("b", [0.0, 0.2, 0.5, 1.0])
def test_two_task_closed_form_against_numerical_optimum(b, d):
    v = 0.5
    e1, e2 = om.two_task_effort(b, d, v)

    def loss(x):
        return -((v + b) * x[0] + v * x[1] - (x[0] ** 2 + x[1] ** 2 + 2 * d * x[0] * x[1]) / 2)

    res = optimize.minimize(loss, [0.3, 0.3], bounds=[(0, None), (0, None)])
    assert (e1, e2) == pytest.approx(tuple(res.x), abs=1e-4)
    if d > 0 and b > 0:
        assert e2 < om.two_task_effort(0.0, d, v)[1]


def test_financial_schedule_download_matches_the_table():
    text, uri = oc.financial_schedule_csv()
    assert uri.startswith("data:text/csv;base64,")
    assert text.splitlines()[0] == "item,term,basis"
    assert len(text.splitlines()) == len(oc.financial_schedule()) + 1
    assert "month 12" in text


@pytest.mark.parametrize("call, name", [
    (lambda: om.reentry_hazard(1.0), "reentry_within_year"),
    (lambda: om.durability_rule(-1, 10, 0.1), "reunifications"),
    (lambda: om.durability_rule(1, 10, float("nan")), "hazard"),
    (lambda: om.durability_rule(1, 10, 0.1, window_years=0), "window_years"),
    (lambda: om.permanency_bonus(0, 0.2, 0.24, 10), "caseload"),
    (lambda: om.permanency_bonus(100, 1.2, 0.24, 10), "rate"),
    (lambda: om.design_effect(0.5, 0.1), "cluster_size"),
    (lambda: om.design_effect(10, -0.1), "icc"),
    (lambda: om.sampling_sd(0.1, 0), "children"),
    (lambda: om.same_worker_icc(0.1, 1.0), "individual_change_probability"),
    (lambda: om.default_outcome_model().replace(social_workers=0), "social_workers"),
    (lambda: om.default_outcome_model().replace(placement_multipliers=(1, 2)), "placement_multipliers"),
    (lambda: om.simulate_outcomes(om.default_outcome_model(), 0, 1), "n_years"),
    (lambda: om.simulate_outcomes(om.default_outcome_model(), 10, -1), "seed"),
    (lambda: om.two_task_effort(0.1, 1.0, 0.5), "substitution"),
    (lambda: om.two_task_effort(-0.1, 0.5, 0.5), "bonus"),
    (lambda: om.assumption("nothing"), "parameter"),
    (lambda: oc.OutcomeTerms(share_on_outcomes=1.5), "share_on_outcomes"),
    (lambda: oc.OutcomeTerms(measure="average"), "measure"),
    (lambda: oc.OutcomeTerms(indicator="happiness"), "indicator"),
    (lambda: oc.OutcomeTerms(basis="per head"), "basis"),
    (lambda: oc.OutcomeTerms(surplus_return_share=2), "surplus_return_share"),
    (lambda: oc.reserve_paths(np.ones(3), 10), "surplus"),
    (lambda: oc.reserve_paths(np.ones((2, 2)), -1), "reserves"),
    (lambda: oc.financial_schedule(years=0), "years"),
])
def test_bad_inputs_are_rejected_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=re.escape(name)):
        call()


def test_explorer_reprices_when_a_control_moves():
    from swp_models.explore.outcomes import explorer, price_terms

    e = explorer(n_years=2_000)
    before = e.result.value
    assert "swp-explorer-rate" in before and "Cannot price" not in before
    e.controls["share_on_outcomes"].value = 0.6
    assert e.result.value != before and "Cannot price" not in e.result.value
    assert e.last_seconds > 0
    with pytest.raises(ValueError, match="risk_tolerance"):
        price_terms(e._draws(e.settings()), oc.OutcomeTerms(), 0.0, 1000.0)


def test_result_objects_check_their_fields():
    with pytest.raises(ValueError, match="lasting_share must be in"):
        om.Durability(1.2, 1.0, 1.0, 0.0, 0.0)
    with pytest.raises(ValueError, match="breakdowns must be in"):
        om.Durability(0.5, 1.0, 1.0, 0.0, -1.0)
    counts = np.zeros(3)
    with pytest.raises(ValueError, match="level must have one array per indicator"):
        om.YearOutcomes({"attainment": counts}, {k: counts for k in om.INDICATORS}, counts)
    with pytest.raises(ValueError, match=r"value_added\['attainment'\] must be an array of one count per year"):
        om.YearOutcomes({k: counts for k in om.INDICATORS},
                        {**{k: counts for k in om.INDICATORS}, "attainment": np.zeros(2)}, counts)
