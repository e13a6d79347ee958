"""The Art. 9 financial schedule (swp_models.schedule): its failure chance and the council's exposure recomputed
by hand from the engine's children, its limits against chapter 5's block contract, and its choice."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from swp_models import engine, liability
from swp_models import outcome_contracts as oc
from swp_models import outcomes as om
from swp_models import schedule as art9
from swp_models.contracts import Block
from swp_models.scenario import Scenario


def _by_hand(terms: art9.ScheduleTerms, scn: Scenario) -> tuple[float, float]:
    """Failure within the term and the council's mean shortfall, one child and one term at a time."""
    n = scn.simulation.outcome_years
    own = engine.own_costs(scn, n)
    factors = engine.shock_factors(scn, n)
    counts = own.counts.astype(float)
    t_re = terms.reinsurance_threshold
    reinsured = np.array([0.0 if t_re is None else sum(max(c - t_re, 0.0) for c in own.costs[a:b])
                          for a, b in zip(own.offsets[:-1], own.offsets[1:])])
    net = own.totals - reinsured
    expected = own.expected_total - (0.0 if t_re is None else own.expected_count * own.cost_model.expected_excess(t_re))
    weight = (net - own.fixed_cost + own.staff_per_child * counts).mean() / net.mean()
    surplus = np.empty(n)
    for i in range(n):
        base = expected * (counts[i] / own.expected_count if terms.basis == "caseload" else 1.0)
        if terms.indexed:
            base *= 1.0 + weight * (factors[i] - 1.0)
        diff = base - net[i]
        inner = min(max(diff, -terms.threshold), terms.threshold)
        surplus[i] = inner + terms.share * (diff - inner)
    if terms.outcome is not None:
        draws = oc.chapter_draws(scn)
        ref = draws.at(draws.reference_effort)
        pay = oc.build_contract(terms.outcome, draws, ref, own).outcome_payment(ref)
        surplus = surplus + pay - pay.mean()
        if terms.outcome.surplus_cap is not None:
            surplus -= terms.outcome.surplus_return_share * np.maximum(surplus - terms.outcome.surplus_cap, 0.0)
    t = scn.term_years
    reserves = engine.reserves(scn)
    failed, shortfall = 0, 0.0
    for k in range(n // t):
        level = reserves
        for j in range(t):
            level += surplus[k * t + j]
            if level < 0:
                failed += 1
                shortfall += -level
                break
    return failed / (n // t), shortfall / (n // t)


@pytest.mark.parametrize("scope", ["social_work", "placements"])
def test_failure_and_exposure_match_a_simulation_by_hand(scope):
    scn = Scenario.central(scope=scope)
    terms = art9.chosen_terms(scn)
    shocked = art9.art9_scenario(scn)
    risk = art9.schedule_risk(terms, shocked)
    p_fail, shortfall = _by_hand(terms, shocked)
    assert risk.p_fail_term == pytest.approx(p_fail, abs=1e-12)
    assert risk.council_shortfall == pytest.approx(shortfall, rel=1e-9, abs=1e-6)


def test_the_drafted_schedule_by_hand_too():
    scn = art9.art9_scenario(Scenario.central(scope="placements"))
    terms = art9.draft_terms(scn)
    risk = art9.schedule_risk(terms, scn)
    assert (risk.p_fail_term, risk.council_shortfall) == pytest.approx(_by_hand(terms, scn))


def test_a_fixed_schedule_with_nothing_else_is_chapter_5s_block_contract():
    scn = Scenario.central(scope="placements")
    n = scn.simulation.outcome_years
    terms = art9.ScheduleTerms(share=1.0, basis="fixed", indexed=False)
    y = art9.schedule_years(terms, scn)
    own = engine.own_costs(scn, n)
    np.testing.assert_allclose(y["surplus"], Block().surplus(own), rtol=0, atol=1e-6)
    block = engine.table(scn, n).set_index("contract").loc["Block"]
    risk = art9.schedule_risk(terms, scn)
    assert risk.p_fail_term == pytest.approx(block["p_fail_term"], abs=1e-12)
    assert risk.p_loss == pytest.approx(block["practice_p_loss"], abs=1e-12)


def test_council_pays_cost_plus_the_practices_surplus():
    scn = art9.art9_scenario(Scenario.central(scope="placements"))
    y = art9.schedule_years(art9.chosen_terms(Scenario.central(scope="placements")), scn)
    np.testing.assert_allclose(y["council"], y["cost"] + y["surplus"])
    assert (y["reinsured"] >= 0).all() and y["reinsured"].mean() > 0


@pytest.mark.parametrize("scope", ["social_work", "placements"])
def test_the_chosen_schedule_is_survived_and_the_drafted_one_is_not_with_placements(scope):
    scn = Scenario.central(scope=scope)
    t = art9.schedule_comparison(scn).set_index("schedule")
    target = om.assumption("schedule_failure_target")
    assert t.loc["Chosen schedule", "p_fail_term"] <= target
    if scope == "placements":
        assert t["p_fail_term"].iloc[0] > 0.3  # the drafted schedule
        assert t.loc["Chapter 5's cheapest design, with the index and reinsurance", "p_fail_term"] > target
        assert t.loc["Chosen, without the price index", "p_fail_term"] > t.loc["Chosen schedule", "p_fail_term"]
        assert t.loc["Chosen, without reinsurance", "p_fail_term"] > t.loc["Chosen schedule", "p_fail_term"]
        assert art9.chosen_terms(scn).reinsurance_threshold is not None
    else:
        assert art9.chosen_terms(scn).reinsurance_threshold is None


def test_the_schedule_prints_its_failure_chance_and_exposure():
    for scope in ("social_work", "placements"):
        scn = Scenario.central(scope=scope)
        risk = art9.schedule_risk(art9.chosen_terms(scn), art9.art9_scenario(scn))
        sched = art9.financial_schedule(scn).set_index("item")["term"]
        assert sched["Chance the practice fails within the term"].startswith(f"{100 * risk.p_fail_term:.1f}%")
        assert sched["Council's expected exposure"].startswith(f"£{risk.council_shortfall:,.0f} over the term")
        assert sched["Review dates"].endswith(f"(term {scn.term_years} years)")
        text, uri = art9.financial_schedule_csv(scn)
        assert base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == text
        assert len(text.splitlines()) == len(sched) + 1 and text.splitlines()[0] == "item,term,basis"


def test_the_shocked_scenario_adds_the_assumed_shock_only_when_there_is_none():
    scn = Scenario.central()
    assert art9.art9_scenario(scn).shock_cv > 0 and scn.shock_cv == 0
    other = scn.replace(shock_cv=0.08)
    assert art9.art9_scenario(other) is other


@pytest.mark.parametrize("call, name", [
    (lambda: art9.ScheduleTerms(share=1.5), "share"),
    (lambda: art9.ScheduleTerms(), "share"),
    (lambda: art9.ScheduleTerms(share=0.5, threshold=-1.0), "threshold"),
    (lambda: art9.ScheduleTerms(share=0.5, basis="weekly"), "basis"),
    (lambda: art9.ScheduleTerms(share=0.5, indexed="yes"), "indexed"),
    (lambda: art9.ScheduleTerms(share=0.5, reinsurance_threshold=-5.0), "reinsurance_threshold"),
    (lambda: art9.ScheduleTerms(share=0.5, outcome="mixed"), "outcome"),
    (lambda: art9.schedule_risk("terms"), "terms"),
    (lambda: art9.financial_schedule("central"), "scn"),
    (lambda: art9.chosen_terms(Scenario.central().replace(risk_tolerance=123_456.0)), "scn"),
])
def test_bad_input_is_refused_by_name(call, name):
    # Bad values give ValueError, values of the wrong type TypeError (the package's convention); both name it.
    with pytest.raises((ValueError, TypeError), match=name):
        call()


def test_liability_is_the_one_model_of_failure():
    # The schedule's failure chance is liability.term_paths on its surplus cut into terms.
    scn = art9.art9_scenario(Scenario.central(scope="placements"))
    terms = art9.chosen_terms(Scenario.central(scope="placements"))
    s = art9.schedule_years(terms, scn)["surplus"]
    t = scn.term_years
    n = s.size // t
    got = liability.term_paths(s[: n * t].reshape(n, t), engine.reserves(scn))
    assert got.failure.p_fail_term == art9.schedule_risk(terms, scn).p_fail_term


@pytest.mark.parametrize("scope", ["social_work", "placements"])
def test_a_shocked_prefix_is_the_prefix_of_the_shocked_sample(scope):
    scn = Scenario.central(scope=scope).replace(shock_cv=0.05)
    n = scn.simulation.outcome_years
    part, whole = engine.own_costs(scn, n), engine.own_costs(scn).head(n)
    np.testing.assert_array_equal(part.costs, whole.costs)
    np.testing.assert_array_equal(part.totals, whole.totals)
    assert part.expected_total == whole.expected_total
