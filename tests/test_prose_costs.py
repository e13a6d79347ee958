"""Chapter 3's prose quotes only glued figures, and the glued figures are the sources' and the model's.

``swp_models.figures.costs_prose.prose_numbers_child_costs`` gives every £ and % figure the text of
``book/03_child_costs.ipynb`` quotes; the page's first code cell glues them. These tests check that the
markdown and the glue cell agree name for name, that no figure is typed into the prose, and a handful of
the values against the data rows and closed forms they come from, computed here by hand.
"""

from __future__ import annotations

import math

import pytest

import prose_glue
from test_prose_figures import typed_figures

from swp_models import assumptions, costs, data
from swp_models.figures import costs_tables
from swp_models.figures.costs_prose import prose_numbers_child_costs

CHAPTER = "03_child_costs"


@pytest.fixture(scope="module")
def numbers() -> dict[str, str]:
    return prose_numbers_child_costs()


def _gbp(x: float) -> str:
    return f"£{x:,.0f}"


# --------------------------------------------------------------------------- the page and the function agree


def test_every_figure_is_used_glued_and_stored_as_the_function_gives_it(numbers):
    """The text uses exactly the figures, the hidden first cell glues them, and the stored page is current."""
    prose_glue.check_prose_is_glued(CHAPTER, numbers, "prose_numbers_child_costs")
    assert all(name.startswith("ch3_") and text for name, text in numbers.items())


def test_no_typed_figure_is_left_in_the_prose():
    found = [f for text in prose_glue.markdown(CHAPTER) for f in typed_figures(text)]
    assert found == []


# --------------------------------------------------------------------------- the values, by hand


def test_census_figures_from_the_census_rows(numbers):
    def census(group: str, measure: str) -> float:
        return data.value("cin_census_2005", group=group, measure=measure)

    stated = census("looked_after", "annual_cost_per_child")
    week = census("looked_after", "weekly_cost") * 1e6
    children = census("looked_after", "children")
    assert numbers["ch3_avg_lac"] == _gbp(stated) == "£35,360"
    assert numbers["ch3_avg_lac_round"] == _gbp(round(stated, -3))
    assert numbers["ch3_week_lac"] == f"£{week / 1e6:.1f}m"
    assert numbers["ch3_week_all"] == f"£{census('all', 'weekly_cost'):.1f}m"
    assert numbers["ch3_week_child_lac"] == _gbp(week / children)
    assert numbers["ch3_annualised_lac"] == _gbp(52 * week / children)
    assert numbers["ch3_gap_pct_lac"] == f"{100 * (stated / (52 * week / children) - 1):.1f}%"
    assert numbers["ch3_stated_week_fam"] == _gbp(census("in_families", "annual_cost_per_child") / 52)
    assert numbers["ch3_implied_share_lac"] == f"{100 * week * 52 / stated / children:.0f}%"
    assert numbers["ch3_served_2003_fam"] == _gbp(data.value("cin_census_2003", group="in_families",
                                                             measure="weekly_cost_per_child_served"))


def test_the_rounding_is_the_one_the_implied_children_use(numbers):
    r = float(numbers["ch3_rounding"].lstrip("£"))
    frame = costs.census_implied_children().set_index("group")
    cost = data.value("cin_census_2005", group="all", measure="weekly_cost") * 1e6
    week = data.value("cin_census_2005", group="all", measure="annual_cost_per_child") / 52
    assert frame.loc["all", "low"] == pytest.approx(cost / (week + r / 2))
    assert frame.loc["all", "high"] == pytest.approx(cost / (week - r / 2))


def test_spending_figures_from_the_written_answers(numbers):
    spend = data.load("lac_expenditure_england").set_index("year")["value"] * 1e6
    count = data.load("lac_at_31_march").set_index("year")["value"]
    per_child = {y: spend[y] / count[int(y[:4]) + 1] for y in spend.index}
    assert numbers["ch3_spend_0405"] == f"£{spend['2004-05'] / 1e6:,.0f}m"
    assert numbers["ch3_spend_child_0506"] == _gbp(round(per_child["2005-06"], -2))
    assert numbers["ch3_rise_0607"] == f"{100 * (per_child['2006-07'] / per_child['2005-06'] - 1):.1f}%"
    assert numbers["ch3_rise_0708"] == f"{100 * (per_child['2007-08'] / per_child['2006-07'] - 1):.1f}%"
    staff = float(numbers["ch3_staff"].lstrip("£").replace(",", ""))
    assert numbers["ch3_spend_staff"] == _gbp(round(per_child["2005-06"] + staff, -2))


def test_needs_mix_figures_from_the_survey_the_assumptions_and_the_group_costs(numbers):
    assert numbers["ch3_survey_disorder"] == \
        f"{data.value('lac_mental_health_2002', measure='any_mental_disorder'):.0f}%"
    a_lo, a, a_hi = assumptions.bounds("additional_needs_share")
    c_lo, c, c_hi = assumptions.bounds("complex_share")
    assert (numbers["ch3_additional_low"], numbers["ch3_additional"], numbers["ch3_additional_high"]) == \
        tuple(f"{100 * x:.0f}%" for x in (a_lo, a, a_hi))
    assert (numbers["ch3_complex_low"], numbers["ch3_complex"], numbers["ch3_complex_high"]) == \
        tuple(f"{100 * x:.0f}%" for x in (c_lo, c, c_hi))
    cost = data.load("cost_by_needs_2005").set_index("needs_group")
    m0, m1, m2 = (float(cost.loc[g, "value"]) for g in ("no_additional_needs", "ebd_or_offending", "complex_needs"))
    assert numbers["ch3_mix"] == " / ".join(f"{100 * x:.0f}%" for x in (1 - a, a - c, c))
    assert numbers["ch3_mean"] == _gbp((1 - a) * m0 + (a - c) * m1 + c * m2)
    assert numbers["ch3_cost_ebd_range"] == \
        f"{_gbp(cost.loc['ebd_or_offending', 'low'])}-{_gbp(cost.loc['ebd_or_offending', 'high'])}"
    index = data.load("cost_calculator_index").set_index("needs_group")["value"]
    assert numbers["ch3_implied_both"] == _gbp(m0 * index["ebd_offending"] / 100)
    # The census calibration: the cheapest group's share at the two ends of the feasible line.
    target = data.value("cin_census_2005", group="looked_after", measure="annual_cost_per_child")
    assert numbers["ch3_census_none_low"] == f"{100 * (m1 - target) / (m1 - m0):.0f}%"  # no complex needs
    assert numbers["ch3_census_none_high"] == f"{100 * (m2 - target) / (m2 - m0):.0f}%"  # no EBD or offending


def test_practice_and_shock_figures_from_the_model_and_closed_forms(numbers):
    model, load = costs.default_cost_model(), costs.default_caseload()
    assert numbers["ch3_practice_mean"] == f"£{load.mean * model.mean / 1e6:.2f}m"
    over = float(numbers["ch3_over"].rstrip("%")) / 100
    dist = costs.total_cost_distribution(model, load)
    assert numbers["ch3_p10"] == costs_tables.fmt_chance(dist.prob_cost_per_child_exceeds(over))
    shock = assumptions.value("shared_shock_cv")
    assert numbers["ch3_shock"] == f"{100 * shock:.0f}%"
    s = math.sqrt(math.log(1 + shock**2))
    floor = 0.5 * math.erfc((math.log(1 + over) + s * s / 2) / s / math.sqrt(2))
    assert numbers["ch3_shock_floor"] == f"{100 * floor:.1f}%"


def test_figures_agree_with_the_tables_beside_them(numbers):
    over = numbers["ch3_over"]
    tail = costs_tables.tail_sensitivity_table().set_index("Measure")
    row = tail.loc[f"Chance cost per child is more than {over} over"]
    assert (numbers["ch3_p10"], numbers["ch3_tail_p10"]) == tuple(row)
    assert tail.loc["Exceptional children (share of all)"].iloc[1] == numbers["ch3_tail_share"]
    mixes = costs_tables.needs_mix_page_table().frame
    chances = mixes[f"Chance of a {over} overspend per child"]
    assert numbers["ch3_older_p10"] == chances.iloc[3] and numbers["ch3_older_mean"] == mixes["Mean cost of a child"].iloc[3]
    assert numbers["ch3_p10_high"] in set(chances) and numbers["ch3_p10_low"] in set(chances)
    census = costs_tables.census_arithmetic_table().set_index("Step")
    assert numbers["ch3_gap_lac"] == census.loc["Gap", "Looked after"]
    assert numbers["ch3_gap_pct_lac"] == census.loc["Gap as a share of 52 weeks", "Looked after"]
    assert numbers["ch3_implied_share_fam"] == census.loc["... as a share of those counted", "Supported in families"]
