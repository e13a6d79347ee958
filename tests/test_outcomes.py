"""Chapter 6's outcome model and outcome contracts: closed forms against simulation, and input checks."""

from __future__ import annotations

import dataclasses

import math
import re

import numpy as np
import pytest
from scipy import optimize

from swp_models import data, engine
from swp_models import outcome_contracts as oc
from swp_models import outcomes as om
from swp_models import schedule as art9
from swp_models.contracts import simulate_practice_years
from swp_models.scenario import Scenario


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
    # No source gives a control rating: the report says social-worker stability "might be one" (chapter 6).
    assert not (t["status"] == "sourced").any()
    assumed = t[t["status"] == "assumption"]
    assert {"Stability of social worker or lead professional.",
            "Educational attainments at school i.e. results in literacy and numeracy."} <= set(assumed["indicator"])
    assert (assumed["low"] <= assumed["value"]).all() and (assumed["value"] <= assumed["high"]).all()


def test_calibration_hits_the_national_rates(model):
    council = model.replace(hazard=om.continuity.hazard(om.continuity.reference_scenarios()["Council, England 2005"]))
    rates = council.expected_rates(om.default_cost_model().shares, 0.0)
    assert rates["stable_placement"] == pytest.approx(0.88, abs=1e-6)
    assert rates["attainment"] == pytest.approx(0.63, abs=1e-6)


def test_sampling_spread_of_three_plus_placements():
    assert om.sampling_sd(0.12, 100) == pytest.approx(3.25, abs=0.01)
    assert om.sampling_sd(0.12, 100, icc=0.1, children_per_practice=11) == pytest.approx(3.25 * math.sqrt(2), abs=0.01)


@pytest.mark.slow
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


@pytest.mark.slow
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


def _small_years(n=10):
    return simulate_practice_years(om.default_cost_model(), om.default_caseload(), n, 3)


def _small_draws():
    return om.simulate_outcomes(om.default_outcome_model(), seed=3, years=_small_years())


@pytest.mark.parametrize("call, name", [
    (lambda: om.reentry_hazard(1.0), "reentry_within_year"),
    (lambda: om.durability_rule(-1, 10, 0.1), "reunifications"),
    (lambda: om.durability_rule(1, 10, float("nan")), "hazard"),
    (lambda: om.durability_rule(1, 10, 0.1, window_years=0), "window_years"),
    (lambda: om.permanency_bonus(0, 0.2, 0.24, 10), "caseload"),
    (lambda: om.permanency_bonus(100, 1.2, 0.24, 10), "rate"),
    (lambda: om.design_effect(0.5, 0.1), "children_per_practice"),
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
    (lambda: om.simulate_outcomes(om.default_outcome_model(), 10), "seed"),
    (lambda: om.simulate_outcomes(om.default_outcome_model(), seed=1), "n_years"),
    (lambda: om.simulate_outcomes(om.default_outcome_model(), 11, 1, years=_small_years()), "n_years"),
    (lambda: om.simulate_outcomes(om.default_outcome_model(), seed=1, caseload=50, years=_small_years()), "caseload"),
    (lambda: om.simulate_outcomes(om.default_outcome_model(), seed=1,
                                  years=engine.scope(Scenario.central()).apply(_small_years())), "years"),
    (lambda: oc.build_contract(oc.OutcomeTerms(), _small_draws(), costs=_small_years(12)), "costs"),
    (lambda: oc.OutcomeTerms(margin=0.6), "margin"),
])
def test_bad_inputs_are_rejected_naming_the_parameter(call, name):
    with pytest.raises(ValueError, match=re.escape(name)):
        call()


@pytest.mark.parametrize("call, name", [
    (lambda: art9.financial_schedule("central"), "scn"),
    (lambda: oc.contract_table(3), "scn"),
    (lambda: oc.chapter_draws("central"), "scn"),
    (lambda: om.simulate_outcomes(om.default_outcome_model(), seed=1, years="children"), "years"),
])
def test_wrong_types_are_rejected_naming_the_parameter(call, name):
    with pytest.raises(TypeError, match=re.escape(name)):
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
        price_terms(Scenario.central(risk_tolerance=0.0), oc.OutcomeTerms(), e._draws(e.settings()))
    with pytest.raises(TypeError, match="scn"):
        price_terms("central", oc.OutcomeTerms())


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


def test_value_added_is_computed_once_when_first_read_and_checked_then():
    calls = []
    counts = np.zeros(3)

    def build():
        calls.append(1)
        return {k: counts for k in om.INDICATORS}

    out = om.YearOutcomes({k: counts for k in om.INDICATORS}, om.DeferredCounts(build), counts)
    assert not calls  # a contract paid on levels never computes value added
    assert out.count("all", "level") is not None and not calls
    assert set(out.value_added) == set(om.INDICATORS) and np.array_equal(out.count("attainment", "value_added"), counts)
    assert len(calls) == 1
    bad = om.YearOutcomes({k: counts for k in om.INDICATORS}, om.DeferredCounts(lambda: {"attainment": counts}), counts)
    with pytest.raises(ValueError, match="value_added must have one array per indicator"):
        bad.count("attainment", "value_added")
    with pytest.raises(TypeError, match="build must be callable"):
        om.DeferredCounts({})


def test_pricing_on_levels_leaves_every_childs_expected_attainment_uncomputed():
    draws = om.simulate_outcomes(om.default_outcome_model(), 50, seed=11)
    terms = oc.OutcomeTerms(share_on_outcomes=0.3, measure="level")
    ref = draws.at(draws.reference_effort)
    c = oc.build_contract(terms, draws, ref, draws.years)
    oc.price(c, draws, 2.5e5, ref)
    assert "_expected" not in vars(draws)
    oc.price(oc.build_contract(dataclasses.replace(terms, measure="value_added"), draws, ref, draws.years), draws, 2.5e5, ref)
    assert "_expected" in vars(draws)


# ---------------------------------------------------------------------------------------
# One scenario, one sample: chapter 6 on chapter 5's children and pricing
# ---------------------------------------------------------------------------------------


def test_simulate_outcomes_on_given_children_is_the_same_draw():
    model = om.default_outcome_model()
    years = simulate_practice_years(om.default_cost_model(), om.default_caseload(), 300, 7)
    own = om.simulate_outcomes(model, 300, 7)
    given = om.simulate_outcomes(model, seed=7, years=years)
    assert given.years is years
    for name in ("worker", "group", "u_changes", "u_own", "frailty", "u_moves", "prior", "noise"):
        assert np.array_equal(getattr(own, name), getattr(given, name)), name


def test_chapter_draws_are_a_prefix_of_the_one_sample_with_the_scenarios_seed():
    scn = Scenario.central()
    draws = oc.chapter_draws(scn)
    years = engine.children(scn, scn.simulation.outcome_years)
    assert draws.years.n_years == scn.simulation.outcome_years
    assert np.array_equal(draws.years.costs, years.costs) and np.array_equal(draws.years.counts, years.counts)
    assert np.array_equal(draws.years.costs[:1000], engine.children(scn).costs[:1000])
    assert oc.chapter_draws(scn) is draws  # cached
    again = om.simulate_outcomes(om.default_outcome_model(), seed=scn.simulation.seed, years=years)
    assert np.array_equal(again.noise, draws.noise)
    assert oc.chapter_draws(Scenario.central(scope="placements")) is draws  # the scope does not change the children


@pytest.mark.parametrize("scope", ["social_work", "placements"])
def test_block_row_is_chapter_5s_block_row_on_the_same_years(scope):
    scn = Scenario.central(scope=scope)
    six = oc.contract_table(scn).iloc[0]
    assert six["contract"] == "Block (nothing on outcomes)"
    five = engine.table(scn, n_years=scn.simulation.outcome_years).set_index("contract").loc["Block"]
    assert six["p_loss"] == five["practice_p_loss"]
    assert six["sd_surplus"] == five["practice_sd_surplus"]
    assert six["risk_premium"] == five["risk_premium_exact"]
    assert six["p_fail_year"] == five["p_fail_year"]
    assert six["p_fail_term"] == five["p_fail_term"]
    assert six["premium_vs_block"] == 0 and six["p_fail_term_vs_block"] == 0
    head = oc.block_headline(scn)
    full = engine.table(scn).set_index("contract").loc["Block"]
    assert head["risk_premium"] == full["risk_premium_exact"] and head["p_fail_term"] == full["p_fail_term"]
    # The contract value is the practice's own expected cost under the scope, times 1 + margin.
    c = oc.build_contract(oc.OutcomeTerms(margin=scn.margin), oc.chapter_draws(scn), costs=oc.chapter_costs(scn))
    assert c.value == engine.own_costs(scn).expected_total * (1 + scn.margin)


@pytest.mark.slow
def test_outcome_contracts_differ_from_the_block_on_the_same_years_with_a_standard_error():
    t = oc.contract_table(Scenario.central(scope="placements"))
    assert (t["premium_vs_block"] == t["risk_premium"] - t["risk_premium"].iloc[0]).all()
    assert (t["premium_vs_block_se"].iloc[1:] > 0).all()
    pure_share = t.set_index("contract").loc["Wholly on outcomes (share of children)"]
    assert pure_share["premium_vs_block"] > 3 * pure_share["premium_vs_block_se"]


def test_pricing_follows_the_scenario_and_the_2008_schedule_is_named_four_years():
    scn = Scenario.central(scope="placements")
    four = oc.schedule_scenario(scn)
    assert four.term_years == len(oc.funding_schedule()) == 4 and four.label == "2008 schedule, four years"
    assert scn.term_years == 3
    longer = oc.contract_table(scn.replace(term_years=4, label="four years"))
    assert (longer["p_fail_term"] >= oc.contract_table(scn)["p_fail_term"]).all()
    margin = oc.contract_table(scn.replace(margin=0.02, label="two per cent"))
    assert margin["p_loss"].iloc[0] < oc.contract_table(scn)["p_loss"].iloc[0]
    sched = oc.schedule_by_year(scn)
    assert len(sched) == 4 and sched["p_failed"].iloc[0] == sched["p_failed_block"].iloc[0]
    for name in ("CHAPTER_YEARS", "CHAPTER_SEED", "TERM_YEARS", "GRID_RESERVES"):
        assert not hasattr(oc, name)


def test_financial_schedule_takes_a_scenario():
    central = art9.financial_schedule().set_index("item")["term"]
    assert central["Scope"].startswith("social work only")
    assert central["Review dates"].endswith("(term 3 years)")
    placements = art9.financial_schedule(Scenario.central(scope="placements")).set_index("item")["term"]
    assert placements["Baseline payment"] != central["Baseline payment"]


def test_explorer_opens_on_the_chapters_numbers():
    from swp_models.explore.outcomes import _scenario_of, explorer, price_terms

    e = explorer()
    v = e.settings()
    scn = _scenario_of(v)
    assert scn.key() == Scenario.central().key() and e._draws(v) is None
    row = oc.contract_table(scn).iloc[1]
    got = price_terms(scn, e.terms(v))
    assert row["contract"].startswith("Mixed") and row["contract"].endswith("levels")
    for k in ("outcome_pay", "sd_surplus", "p_loss", "risk_premium", "incentive", "council_cost"):
        assert got["price"][k] == row[k], k
    assert got["rate"] == row["rate"]
    assert "20,000 simulated years" in e.result.value
    e.controls["seed"].value = 1  # new children: drawn at the largest smaller size
    assert e._draws(e.settings()).years.n_years == 5_000 and "5,000 simulated years" in e.result.value


def test_the_model_for_another_number_of_workers_is_the_chapters_calibration_with_that_number():
    """The calibration fits children's rates, which the number of caseloads does not enter: calibrating afresh
    with three workers gives the same parameters, so the model for three workers only changes that number."""
    from swp_models import continuity
    from swp_models.costs import default_cost_model

    book = om.default_outcome_model()
    three = om.default_outcome_model(3)
    assert three == book.replace(social_workers=3) and book.social_workers == int(om.assumption("social_workers"))
    council = continuity.hazard(continuity.reference_scenarios()["Council, England 2005"])
    shares = default_cost_model().shares
    fresh = om.calibrate_placements(book.replace(social_workers=3, hazard=council, placement_base_rate=0.5), shares)
    again = om.calibrate_placements(book.replace(hazard=council, placement_base_rate=0.5), shares)
    assert fresh.placement_base_rate == again.placement_base_rate
    assert fresh.placement_child_cv == again.placement_child_cv
    with pytest.raises(ValueError, match="social_workers"):
        om.default_outcome_model(0)


def test_explorer_prepares_the_other_scope_in_the_background_and_a_switch_shows_it():
    """The placement scope's figures are prepared as the explorer opens; once ready, a switch shows that scope's
    schedule (the same as the chapter's), and a switch made earlier waits for them rather than failing."""
    from swp_models.explore.outcomes import explorer

    early = explorer()
    early.controls["scope"].value = "placements"  # at once: waits for the background figures
    assert early.wait_ready(0) and "Cannot price" not in early.result.value
    e = explorer()
    assert e.wait_ready(timeout=600)
    e.controls["scope"].value = "placements"
    placements = Scenario.central(scope="placements")
    baseline = art9.financial_schedule(placements).set_index("item").loc["Baseline payment", "term"]
    assert placements.scope_name in e.result.value and baseline.split(" a year")[0] in e.result.value
    assert e.result.value == early.result.value
    with pytest.raises(ValueError, match="timeout"):
        e.wait_ready(-1.0)


def test_council_level_outcomes_match_the_council_closed_form_and_keep_the_benchmark():
    from swp_models import continuity

    scn = Scenario.central()
    council = oc.council_level_outcomes(scn)
    draws = oc.chapter_draws(scn)
    ref = draws.at(draws.reference_effort)
    h = continuity.hazard(continuity.reference_scenarios()[oc.COUNCIL_SCENARIO])
    p_same = (1 - draws.model.individual_change_probability) * math.exp(-h)
    kids = draws.years.counts.sum()
    got = council.level["same_worker"].sum() / kids
    deff = om.design_effect(draws.years.counts.mean() / draws.model.social_workers,
                            om.same_worker_icc(h, draws.model.individual_change_probability))
    assert got == pytest.approx(p_same, abs=4 * math.sqrt(p_same * (1 - p_same) * deff / kids))
    assert got < ref.level["same_worker"].sum() / kids
    for k in om.INDICATORS:
        np.testing.assert_allclose(council.value_added[k] - council.level[k], ref.value_added[k] - ref.level[k])


@pytest.mark.parametrize("scope", ["social_work", "placements"])
def test_council_level_table_loses_exactly_the_missing_outcome_pay(scope):
    scn = Scenario.central(scope=scope)
    t = oc.council_level_table(scn).set_index("contract")
    names = list(oc.chapter_contracts(scn))
    assert t.loc[names[0], "loss"] == 0.0
    for name in names[1:3]:  # the mixed contracts: no cap, so the loss is the pay not received
        row = t.loc[name]
        assert row["loss"] == pytest.approx(row["outcome_pay"] - row["outcome_pay_council"], rel=1e-9)
        assert row["loss"] > 0
    priced = oc.contract_table(scn).set_index("contract")
    assert t.loc[names[1], "p_fail_term"] >= priced.loc[names[1], "p_fail_term"]
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_children_ordered_within_years_as_lexsort_orders_them(seed):
    """The fast within-year order of simulate_outcomes is numpy's lexsort order, ties and unsorted years included."""
    rng = np.random.default_rng(seed)
    year = np.repeat(np.arange(1500), rng.integers(1, 140, 1500))  # blocks of 512 years and more
    for u in (rng.random(year.size), np.repeat(0.5, year.size), np.round(rng.random(year.size), 2)):
        assert np.array_equal(om._order_within_years(u, year), np.lexsort((u, year)))
    shuffled = rng.integers(0, 9, 200)
    u = rng.random(200)
    assert np.array_equal(om._order_within_years(u, shuffled), np.lexsort((u, shuffled)))


def test_attainment_chance_leaves_out_only_negligible_numbers_of_changes():
    """p_attain over the numbers of worker changes it keeps agrees with the sum over all of them."""
    model = om.default_outcome_model(8)
    prior = np.linspace(-3, 3, 7)
    group = np.array([0, 1, 2, 0, 1, 2, 0])
    for effort in (0.0, 0.5, 1.0):
        full = _full_attainment(model, prior, group, effort)
        np.testing.assert_allclose(model.p_attain(prior, group, effort), full, rtol=0, atol=4e-16)  # rounding only


def _full_attainment(model, prior, group, effort):
    """The chance of attainment summed over every number of changes of worker, as one matrix product."""
    from scipy import special

    k, pmf = model._change_pmf(effort)
    a = model.attainment_prior_weight
    centre = (a * prior - (1 - a) * np.asarray(model.attainment_gaps)[group]
              + model.attainment_effort_effect * effort - model.attainment_target)
    scale = math.sqrt(model.attainment_caseload_sd**2 + 1 - a * a)
    return special.ndtr((centre[:, None] - model.attainment_worker_change_effect * k[None, :]) / scale) @ pmf


@pytest.mark.parametrize("changes", [
    {},  # the book's model
    {"attainment_prior_weight": 0.999, "attainment_caseload_sd": 0.0},  # the narrowest normals, the widest spread
    {"hazard": 20.0, "attainment_worker_change_effect": 5.0, "individual_change_probability": 0.9},  # many changes
    {"attainment_target": -10.0}, {"attainment_target": 10.0},  # every child near certain, or near hopeless
])
def test_attainment_chance_of_a_large_sample_is_the_full_sum_to_1e_14(changes):
    """Read from its table (200,000 children), p_attain is within 1e-14 of the full sum over changes of worker,
    computed here independently as one matrix product; where the children are spread too widely for the table,
    or one is not finite, it is summed child by child."""
    model = om.default_outcome_model(8).replace(**changes)
    rng = np.random.default_rng(11)
    n = 200_000
    group = rng.integers(0, 3, n)
    for prior in (rng.standard_normal(n) * 2, np.r_[rng.standard_normal(n - 2), -40.0, 40.0]):
        for effort in (0.0, 0.5, 1.0):
            full = _full_attainment(model, prior, group, effort)
            np.testing.assert_allclose(model.p_attain(prior, group, effort), full, rtol=0, atol=1e-14)
    with_nan = np.r_[rng.standard_normal(n - 1), np.nan]
    got = model.p_attain(with_nan, group, 0.5)
    assert np.isnan(got[-1]) and np.isfinite(got[:-1]).all()


def test_attainment_table_is_used_for_a_large_sample_and_is_what_makes_it_fast():
    """The table is what p_attain reads for the book's sample sizes (not the child-by-child sum), and a coarser
    step would miss the 1e-14 agreement: the accuracy test above can fail."""
    x = np.random.default_rng(2).standard_normal(100_000) * 2
    shifts, weights = np.array([0.0, 0.4, 0.8]), np.array([0.9, 0.09, 0.01])
    exact = om._mixture_sum(x, shifts, weights)
    assert np.abs(om._normal_mixture_cdf(x, shifts, weights) - exact).max() <= 1e-14
    step = om._MIXTURE_STEP
    try:
        om._MIXTURE_STEP = 2.0**-4
        coarse = om._normal_mixture_cdf(x, shifts, weights)
    finally:
        om._MIXTURE_STEP = step
    assert np.abs(coarse - exact).max() > 1e-12  # the table was read: at this step it is visibly off
    assert np.array_equal(om._normal_mixture_cdf(x[:1000], shifts, weights), exact[:1000])  # few: child by child


# ---------------------------------------------------------------- placement moves that vary between children


def test_placement_shares_are_the_written_answer_counts():
    s = om.placement_shares("2005-06")
    assert s["six_plus"] == pytest.approx((870 + 130) / 60_300)
    assert s["eleven_plus"] == pytest.approx(130 / 60_300)
    assert om.placement_shares("2006-07")["eleven_plus"] == pytest.approx(130 / 60_000)
    with pytest.raises(ValueError, match="period"):
        om.placement_shares("2007-08")


def test_the_child_level_spread_is_fitted_to_six_or_more_placements(model):
    council = model.replace(hazard=om.continuity.hazard(om.continuity.reference_scenarios()["Council, England 2005"]))
    d = council.placements_distribution(om.default_cost_model().shares, 0.0)
    assert sum(d.values()) == pytest.approx(1.0, abs=1e-9)
    assert d["six_to_ten"] + d["eleven_plus"] == pytest.approx(om.placement_shares()["six_plus"], rel=1e-6)
    assert 1 - d["one"] - d["two"] == pytest.approx(0.12, abs=1e-6)
    assert model.placement_child_cv > 1.0


def test_the_mixed_model_fits_the_tail_a_poisson_model_cannot():
    t = om.placement_comparison().set_index("measure")
    assert t.loc["three_plus", "poisson"] == pytest.approx(0.12, abs=1e-6)
    assert t.loc["three_plus", "mixed"] == pytest.approx(0.12, abs=1e-6)
    # The out-of-sample tail: within a factor of two with children's own rates, orders of magnitude out without.
    pub = t.loc["eleven_plus", "published"]
    assert pub / 2 < t.loc["eleven_plus", "mixed"] < pub * 2
    assert t.loc["eleven_plus", "poisson"] < pub / 100
    # Stability over two years: a lasting propensity keeps more children in one placement.
    assert t.loc["same_placement_two_years", "poisson"] < t.loc["same_placement_two_years", "mixed"] < 0.67


@pytest.mark.slow
def test_moves_pmf_agrees_with_simulation(model):
    draws = om.simulate_outcomes(model, 20_000, 5)
    y = draws.at(0.5)
    rate = float(y.level["stable_placement"].sum() / draws.years.counts.sum())
    expected = model.expected_rates(draws.years.cost_model.shares, 0.5)["stable_placement"]
    assert rate == pytest.approx(expected, abs=0.002)


def test_child_cv_zero_is_the_poisson_model(model):
    m = model.replace(placement_child_cv=0.0, placement_caseload_cv=0.0)
    mu = m.placement_base_rate * (1 + 0.0)
    p = m.moves_pmf(0, 0.0)[0]
    assert p.sum() == pytest.approx(1.0)
    # No worker change in the year (its chance) times Poisson(0) at the base rate, and more.
    assert p[0] >= (1 - m.individual_change_probability) * math.exp(-m.hazard) * math.exp(-mu) - 1e-12


@pytest.mark.parametrize("bad", [-0.1, 6.0, float("nan")])
def test_child_cv_out_of_range_is_named(model, bad):
    with pytest.raises(ValueError, match="placement_child_cv"):
        model.replace(placement_child_cv=bad)


@pytest.mark.parametrize("shares", [(0.5, 0.5), (0.5, 0.6, 0.1), (-0.1, 0.6, 0.5)])
def test_bad_shares_are_named(model, shares):
    with pytest.raises(ValueError, match="shares"):
        model.placements_distribution(shares, 0.0)
    with pytest.raises(ValueError, match="shares"):
        om.calibrate_placements(model, shares)


def test_reference_shares_are_checked(model):
    with pytest.raises(ValueError, match="reference_shares"):
        om.simulate_outcomes(model, 10, 1, reference_shares=(0.2, 0.2, 0.2))


@pytest.mark.slow
def test_value_added_pays_two_intakes_alike_and_levels_do_not():
    t = oc.intake_comparison(Scenario.central()).set_index(["measure"])
    heavy = t[t["additional_needs"] == t["additional_needs"].max()]
    level_gap = float(heavy.loc["level", "gap"])
    va_gap = float(heavy.loc["value_added", "gap"])
    reward = float(heavy.loc["level", "reward"])
    assert level_gap < -reward  # a heavier intake costs more on levels than 0.1 more effort earns
    assert abs(va_gap) < abs(level_gap) / 20
