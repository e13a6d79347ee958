"""Chapter 4's prose quotes only glued figures, and the glued figures are the data's and the tables' own.

``swp_models.figures.practice_prose.prose_numbers_practice_costs`` gives every £ and % figure the text of
``book/04_practice_costs.ipynb`` quotes; the page glues them in its first code cell. These tests check that
the names the text uses and the names the function gives are the same, and check a handful of the values
against the source rows of ``data/`` (read here as plain CSV) and against the chapter's own tables.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

import prose_glue
from conftest import ROOT
from swp_models.figures import practice_prose, practice_tables
from test_prose_figures import typed_figures

CHAPTER = "04_practice_costs"


@pytest.fixture(scope="module")
def numbers() -> dict[str, str]:
    return practice_prose.prose_numbers_practice_costs()


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(ROOT / "data" / f"{name}.csv")


def test_the_text_uses_every_figure_and_only_glued_ones(numbers):
    """The text uses exactly the figures, the hidden first cell glues them, and the stored page is current."""
    prose_glue.check_prose_is_glued(CHAPTER, numbers, "prose_numbers_practice_costs")
    assert all(k.startswith("ch4_") for k in numbers)
    assert all(v and "nan" not in v for v in numbers.values())
    typed = [f for text in prose_glue.markdown(CHAPTER) for f in typed_figures(text)]
    assert typed == [], typed


def test_the_first_code_cell_glues_every_figure():
    first = prose_glue.glue_cell(CHAPTER)
    assert "from myst_nb import glue" in first.source
    assert re.search(r"for name, text in prose\.prose_numbers_practice_costs\(\)\.items\(\):\n\s+"
                     r"glue\(name, text, display=False\)", first.source), first.source
    assert "import practice_prose as prose" in first.source


def test_pay_and_on_cost_figures_are_the_source_rows(numbers):
    pay = _csv("salaries").set_index(["role", "area", "year", "measure"])["value"]
    assert numbers["ch4_sw_min"] == f"£{pay[('social_worker', 'England', 2006, 'average_scale_minimum')]:,}"
    assert numbers["ch4_tl_max"] == f"£{pay[('team_leader', 'England', 2006, 'average_scale_maximum')]:,}"
    national = pay[("childrens_social_worker", "national", 2004, "average_pay")]
    london = pay[("childrens_social_worker", "London", 2004, "average_pay")]
    assert numbers["ch4_pay_2004"] == f"£{national:,}"
    assert numbers["ch4_pay_2004_london"] == f"£{london:,}"
    assert numbers["ch4_london_premium"] == f"{round(100 * (london / national - 1))}%"
    oncost = _csv("employer_oncosts").set_index("measure")["value"]
    assert numbers["ch4_ni_rate"] == f"{oncost['employer_ni_rate']}%"
    assert numbers["ch4_ni_threshold"] == f"£{oncost['ni_secondary_threshold']:.0f}"
    assert numbers["ch4_pension_rate"] == f"{oncost['lgps_employer_rate']}%"


def test_scenario_rates_are_the_labelled_assumptions(numbers):
    a = _csv("assumptions_practice").set_index("parameter")
    assert (a.loc[["pay_premium", "partner_surplus_share", "new_employer_pension_rate"], "status"] == "assumption").all()
    assert numbers["ch4_pay_premium"] == f"{100 * a.loc['pay_premium', 'value']:.0f}%"
    assert numbers["ch4_partner_share"] == f"{100 * a.loc['partner_surplus_share', 'value']:.0f}%"
    assert numbers["ch4_new_pension"] == f"{100 * a.loc['new_employer_pension_rate', 'value']:.0f}%"


def test_budget_figures_agree_with_the_tables_and_the_census_row(numbers):
    census = _csv("cin_census_2005").set_index(["group", "measure"])["value"]
    child = float(census[("looked_after", "annual_cost_per_child")])
    assert numbers["ch4_child_cost"] == f"£{child:,.0f}"
    total_row = practice_tables.budget_table().frame.iloc[-1]
    total = float(total_row["Total a year"].strip("£").replace(",", ""))
    assert numbers["ch4_running_cost"] == f"£{round(total, -3):,.0f}"
    assert numbers["ch4_per_child"] == total_row["Basis"].split(" per child")[0]
    per_child = float(numbers["ch4_per_child"].strip("£").replace(",", ""))
    assert numbers["ch4_share"] == f"{100 * per_child / child:.1f}%"
    kr = practice_tables.key_results().frame.set_index("Result")["Value"]
    lo, hi = kr["Annual running cost, teams of 6-10, admin 1:4 to 1:6, pay at scale minimum to maximum"].split(" to ")
    assert (numbers["ch4_running_low"], numbers["ch4_running_high"]) == (lo.replace("k", ",000"), hi.replace("k", ",000"))
    assert kr["of which overheads the census averages leave out, default"] == \
        f"{numbers['ch4_overhead']} per child ({numbers['ch4_overhead_share']})"
    overhead = float(numbers["ch4_overhead"].strip("£").replace(",", ""))
    assert numbers["ch4_overhead_about"] == f"£{round(overhead, -2):,.0f}"
    scenarios = practice_tables.pay_scenario_table().frame.set_index("Scenario")["Change"]
    assert numbers["ch4_scenarios_change"] == scenarios["All three together"].replace("+", "").replace("k", ",000")
