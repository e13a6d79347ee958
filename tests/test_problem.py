"""Chapter 1 computations against hand arithmetic on the source figures."""

from __future__ import annotations

import pytest

from swp_models import problem
from swp_models.figures import problem as figures
from swp_models.figures import problem_tables


def test_census_week_reconciliation_by_hand():
    c = problem.census_week().set_index("group")
    # Looked after: £44.9m for 72,600 children in the week.
    assert c.loc["looked_after", "weekly_cost_per_child"] == pytest.approx(44.9e6 / 72_600)
    assert c.loc["looked_after", "annualised_per_child"] == pytest.approx(44.9e6 / 72_600 * 52)
    assert c.loc["looked_after", "gap_per_child"] == pytest.approx(35_360 - 44.9e6 / 72_600 * 52)
    assert c.loc["looked_after", "implied_children"] == pytest.approx(44.9e6 * 52 / 35_360)
    # In families: £23.6m for 313,300; all: £68.5m for 385,900.
    assert c.loc["in_families", "annualised_per_child"] == pytest.approx(23.6e6 / 313_300 * 52)
    assert c.loc["all", "annualised_per_child"] == pytest.approx(68.5e6 / 385_900 * 52)
    # The two groups add up to the total in the source.
    assert c.loc["looked_after", "children"] + c.loc["in_families", "children"] == c.loc["all", "children"]
    assert c.loc["looked_after", "weekly_cost_gbp"] + c.loc["in_families", "weekly_cost_gbp"] == pytest.approx(
        c.loc["all", "weekly_cost_gbp"])
    # The stated averages exceed 52 census weeks in every group.
    assert (c["gap_per_child"] > 0).all()


def test_workforce_gap_against_england():
    w = problem.workforce_by_region().set_index(["region", "measure"])
    assert w.loc[("London", "vacancy_rate"), "gap"] == 6
    assert w.loc[("North West", "turnover_rate"), "gap"] == 2
    assert w.loc[("England", "turnover_rate"), "gap"] == 0


def test_workforce_sources_show_the_disagreement():
    s = problem.workforce_sources()
    london_vacancy = s[(s["area"] == "London") & (s["measure"] == "vacancy_rate")]
    assert sorted(london_vacancy["rate"]) == [15.1, 18.0]
    assert set(s["source"]) == {"legrand2007", "lordsgc2008", "lordswa2009"}


def test_wmtd_intervals_contain_reported_share_and_widen_with_confidence():
    w = problem.wmtd_intervals((0.9, 0.95, 0.99))
    assert (w["low"] < w["percent"]).all() and (w["percent"] < w["high"]).all()
    for _, g in w.groupby("measure"):
        widths = (g["high"] - g["low"]).to_list()
        assert widths == sorted(widths)
    row = w[(w["measure"] == "one_consistent_lead_professional") & (w["confidence"] == 95)].iloc[0]
    assert row["low"] == pytest.approx(83.0015, abs=1e-3) and row["high"] == pytest.approx(90.1693, abs=1e-3)


def test_wmtd_intervals_reject_bad_levels():
    with pytest.raises(ValueError, match=r"confidence_levels must be in \(0, 1\); got 95"):
        problem.wmtd_intervals((95,))


def test_key_results_show_source_figures():
    text = repr(problem_tables.key_results())
    for figure in ("12%", "18%", "11% / 15%", "48% to nearly 70%", "72,600", "£618", "66%"):
        assert figure in text


def test_chart_builders_name_their_controls():
    assert figures.wmtd_chart().to_dict()["params"][0]["name"] == "wmtd_confidence"
    names = [p["name"] for p in figures.workforce_chart().to_dict()["params"]]
    assert "workforce_measure" in names
    for build in (figures.recruitment_chart, figures.agency_chart, figures.census_chart):
        spec = build().to_dict()
        assert spec["title"]["text"].startswith("Source:")


def test_agency_shares_and_the_assumption_column():
    agency = problem.agency_shares().set_index("area")["percent"]
    assert agency["London"] == 20.8 and agency["England excluding London"] == 11.6
    table = problem_tables.key_results().frame
    assert "20.8% / 11.6%" in set(table["Value"])
    rests = dict(zip(table["Result"], table["Rests on an assumption"]))
    tagged = [r for r, a in rests.items() if a != "data and model only"]
    assert len(tagged) == 2 and all("interval" in r for r in tagged)  # the consultation intervals
