"""Chapter 10's appraisal, recomputed by hand from its own inputs and the data rows."""

from __future__ import annotations

import math

import numpy as np
import pytest

from swp_models import appraisal as ap
from swp_models import assumptions, data


@pytest.fixture(scope="module")
def table():
    return ap.appraise().set_index("option")


@pytest.fixture(scope="module")
def inputs():
    return ap.central_inputs()


def test_uplift_is_the_ratio_of_the_index_rows():
    rows = data.load("price_index").set_index("year")["value"]
    fy = lambda y: (rows[y] + rows[y + 1]) / 2  # noqa: E731 - a financial year is the mean of its calendar years
    assert ap.uplift("2023-24") == pytest.approx(fy(2023) / fy(2005))
    assert ap.uplift("2010-11") == pytest.approx(fy(2010) / fy(2005))
    assert ap.uplift("2005-06") == 1.0


def test_a_price_year_moves_every_pound_by_the_uplift(table):
    later = ap.appraise(price_year="2011-12").set_index("option")
    factor = ap.uplift("2011-12")
    assert np.allclose(later["npc"], table["npc"] * factor)
    assert np.allclose(later["child_years"], table["child_years"])  # effects are not money


def test_council_npc_is_its_yearly_cost_discounted(table, inputs):
    rate = assumptions.value("discount_rate")
    n, p = inputs.children, inputs.p_council
    yearly = (inputs.council_team + inputs.variable_social_work + inputs.care_cost
              + n * -math.log(p) * assumptions.value("case_transfer_cost")
              + n * inputs.moves("council") * assumptions.value("move_process_cost"))
    by_hand = sum(yearly / (1 + rate) ** t for t in range(3))
    assert table.loc["council", "npc"] == pytest.approx(by_hand)
    assert table.loc["council", "optimism_bias"] == 0


def test_practice_npc_adds_one_offs_retendering_and_optimism_bias(table, inputs):
    rate, bias = assumptions.value("discount_rate"), assumptions.value("optimism_bias")
    row = table.loc["practice_social_work"]
    yearly = row["line_running"] + row["line_placements"] + row["line_process"] + row["line_retained"]
    unadjusted = sum(yearly / (1 + rate) ** t for t in range(3)) + row["line_set_up"] + row["line_exit"] / (1 + rate) ** 3
    assert row["npc_unadjusted"] == pytest.approx(unadjusted)
    added = unadjusted - table.loc["council", "npc"]
    assert row["npc"] == pytest.approx(table.loc["council", "npc"] + (1 + bias) * added)
    assert row["line_running"] == pytest.approx(inputs.contract["social_work"])


def test_effects_are_discounted_child_years(table, inputs):
    rate = assumptions.value("discount_rate")
    years = sum(1 / (1 + rate) ** t for t in range(3))
    assert table.loc["practice_social_work", "child_years"] == pytest.approx(inputs.children * inputs.p_practice * years)
    share = assumptions.value("inhouse_gain_share")
    p_b = inputs.p_council + share * (inputs.p_practice - inputs.p_council)
    assert table.loc["in_house", "p_same"] == pytest.approx(p_b)
    assert table.loc["council", "moves"] > table.loc["in_house", "moves"] > table.loc["practice_social_work", "moves"]


def test_icers_are_extra_cost_over_extra_effect(table):
    ic = ap.icers(table.reset_index(), "in_house").set_index("option")
    dc = table.loc["practice_social_work", "npc"] - table.loc["in_house", "npc"]
    de = table.loc["practice_social_work", "child_years"] - table.loc["in_house", "child_years"]
    assert ic.loc["practice_social_work", "per_child_year"] == pytest.approx(dc / de)
    dm = table.loc["in_house", "moves"] - table.loc["practice_social_work", "moves"]
    assert ic.loc["practice_social_work", "per_move_avoided"] == pytest.approx(dc / dm)


def test_switching_share_equalises_the_net_benefits(inputs):
    from dataclasses import replace

    lam = assumptions.value("value_per_child_year")
    sw = ap.switching_values("practice_social_work")
    assert sw["share"] is not None and 0 < sw["share"] < 1
    t = ap.appraise(inputs=replace(inputs, values={**inputs.values, "inhouse_gain_share": sw["share"]})).set_index("option")
    nb = lam * t["child_years"] - t["npc"]
    assert nb["practice_social_work"] == pytest.approx(nb["in_house"], abs=1.0)
    central = ap.appraise().set_index("option")
    assert sw["cost"] == pytest.approx(central.loc["in_house", "npc"]
                                       + lam * (central.loc["practice_social_work", "child_years"]
                                                - central.loc["in_house", "child_years"]))


@pytest.mark.slow
def test_acceptability_shares_sum_to_one_and_favour_the_cheapest_at_zero():
    c = ap.acceptability(lambdas=(0.0, 10_000.0, 40_000.0))
    sums = c.groupby(["scope", "value"])["share"].sum()
    assert np.allclose(sums, 1.0)
    at_zero = c[c["value"] == 0].set_index(["scope", "option"])["share"]
    assert at_zero.loc[("social_work", "council")] == 1.0
    assert c.loc[c["option"] == "practice_placements", "p_fail_term"].iloc[0] > 0


@pytest.mark.parametrize("call, name", [
    (lambda: ap.appraise(discount_rate=-0.01), "discount_rate"),
    (lambda: ap.appraise(term_years=0), "term_years"),
    (lambda: ap.appraise(optimism_bias=float("nan")), "optimism_bias"),
    (lambda: ap.appraise(price_year="2030-31"), "price_year"),
    (lambda: ap.uplift("1999-00"), "price_year"),
    (lambda: ap.discount_factors(-0.5, 3), "rate"),
    (lambda: ap.discount_factors(0.035, 0), "years"),
    (lambda: ap.icers(ap.appraise(), "nobody"), "against"),
    (lambda: ap.switching_values("council"), "option"),
    (lambda: ap.switching_values("practice_social_work", value_per_child_year=-1.0), "value_per_child_year"),
    (lambda: ap.acceptability(term_years=0), "term_years"),
    (lambda: ap.settings_inputs(12), "n_base"),
    (lambda: ap.settings_inputs(10**9), "n_base"),
])
def test_bad_inputs_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_inputs_refuse_a_negative_cost(inputs):
    from dataclasses import asdict

    fields = asdict(inputs)
    fields["care_cost"] = -1.0
    with pytest.raises(ValueError, match="care_cost"):
        ap.Inputs(**fields)


def test_home_page_sentences_are_chapter_10s_stored_figures():
    from swp_models import findings
    from swp_models.figures import appraisal as figures

    said = findings.opening_sentences()
    assert 5 <= len(said) <= 6 and said[-1].startswith("Bottom line")
    glued = findings.stored_glue("book/10_appraisal")
    assert said == [glued[k] for k in figures.HOME_KEYS]
    # Each sentence carries a figure and, where it has a £, its price year, and a confidence word or a dependence.
    for sentence in said:
        assert any(ch.isdigit() for ch in sentence), sentence
        assert "£" not in sentence or "prices)" in sentence, sentence
    assert all(any(w in s for w in ("likely", "uncertain", "depends", "unless")) for s in said), said
    summary = figures.summary_numbers(glued)
    assert summary["sum_bottom"] == said[-1]
    with pytest.raises(ValueError, match="glued"):
        figures.summary_numbers({"ch10_lam": "£1"})


def test_home_labels_are_one_per_headline():
    from swp_models import findings
    from swp_models.tables import key_results

    with pytest.raises(ValueError, match="labels"):
        findings.Chapter(1, "t", "book/x", lambda: key_results([("a", "1", "b")]), ("a",), labels=("one", "two"))
    rows = findings.headline_rows(stored=True)
    assert (rows["label"].str.len() > 0).all()
    with pytest.raises(ValueError, match="page"):
        findings.stored_glue("book/nowhere")


def test_the_councils_wider_overheads_are_counted_once(table, inputs):
    """With placements in scope the practice's contract leaves out the council's wider overheads (report s.6.1.5),
    which the council keeps paying: every option carries them once, inside the research-basis placements."""
    from dataclasses import replace

    from swp_models import costs, liability

    w = assumptions.value("council_overhead_share")
    kept = inputs.council_overheads
    exact = costs.total_cost_moments(costs.default_cost_model(), costs.default_caseload()).mean
    assert kept == pytest.approx(w * exact, rel=1e-2) and kept > 0
    assert kept == pytest.approx(liability.default_scope("placements").council_overheads(
        costs.default_cost_model(), costs.default_caseload()), rel=1e-2)
    # the share of the simulated children's mean, the sample the contracts are priced on: so the placements
    # every option pays are what they were before the share was taken out (their simulated mean less social work)
    from swp_models import sensitivity

    model = sensitivity.chapter_model()
    values = model.setting(np.array([a.value for a in sensitivity.chapter_assumptions()]))
    assert kept == pytest.approx(w * model.children(values).totals.mean(), rel=1e-12)
    expected = model.expected_costs(values)
    assert inputs.care_cost == pytest.approx(expected["placements"] - expected["social_work"] + kept, rel=1e-12)
    # every option's placements line is the research-basis cost, the overheads inside it
    assert (table["line_placements"] == inputs.care_cost).all()
    # the practice holding the placements: its contract plus the overheads the council keeps, no more
    row = table.loc["practice_placements"]
    assert row["line_running"] + row["line_placements"] == pytest.approx(inputs.contract["placements"] + kept)
    # moving the overheads back into the price at cost (the old treatment, no markup on them) changes nothing:
    # what the change moves is only the markup the contract put on them
    old = replace(inputs, contract={**inputs.contract, "placements": inputs.contract["placements"] + kept},
                  council_overheads=0.0)
    again = ap.appraise(inputs=old).set_index("option")
    assert again["npc"].to_dict() == pytest.approx(table["npc"].to_dict())
    # the other options do not read them
    none = ap.appraise(inputs=replace(inputs, council_overheads=0.0)).set_index("option")
    for option in ("council", "in_house", "practice_social_work"):
        assert none.loc[option, "npc"] == pytest.approx(table.loc[option, "npc"])
    assert none.loc["practice_placements", "npc"] < table.loc["practice_placements", "npc"]
    with pytest.raises(ValueError, match="council_overheads"):
        replace(inputs, council_overheads=inputs.care_cost + 1.0)
