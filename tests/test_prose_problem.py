"""Chapter 1's prose figures: every one glued from ``prose_numbers_problem``, and the values right.

The values are checked against the data files read directly (not through the package's reader) and
against intervals computed here, so a wrong row, column or rounding in the prose module fails.
"""

from __future__ import annotations

import csv
import math

from scipy import stats

from conftest import ROOT
from prose_glue import check_prose_is_glued, notebook, stored_chart_rows
from swp_models.figures.problem_prose import WMTD_LEVELS, prose_numbers_problem

CHAPTER = "01_problem"
N = prose_numbers_problem()


def _csv(table: str, **dims: str) -> dict[str, str]:
    """The one row of ``data/<table>.csv`` whose columns equal ``dims``, read with the csv module."""
    with open(ROOT / "data" / f"{table}.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if all(r[k] == v for k, v in dims.items())]
    assert len(rows) == 1, (table, dims, len(rows))
    return rows[0]


def test_every_figure_is_glued_and_every_glued_name_is_produced():
    check_prose_is_glued(CHAPTER, N, "prose_numbers_problem")


def test_values_are_nonempty_and_formatted():
    assert all(v and "nan" not in v for v in N.values())
    assert all(v.endswith("%") or v.startswith("£") for v in N.values())


def test_workforce_rates_are_the_data_rows():
    vacancy = _csv("workforce_rates_2005", region="England", measure="vacancy_rate")
    assert N["ch1_vacancy_england"] == f"{float(vacancy['value']):.0f}%" == "12%"
    london = _csv("workforce_rates_2005", region="London", measure="turnover_rate")
    assert N["ch1_turnover_london"] == f"{float(london['value']):.0f}%"
    wm = _csv("workforce_rates_2005", region="West Midlands", measure="vacancy_rate")
    assert N["ch1_vacancy_west_midlands"] == f"{float(wm['value']):.0f}%"
    gc = _csv("workforce_lords", statement="lords_grand_committee_2008", year="2005", area="London",
              measure="vacancy_rate")
    assert N["ch1_gc2008_vacancy_london"] == f"{float(gc['value']):.1f}%" == "15.1%"
    wa = _csv("workforce_lords", statement="lords_written_answer_2009", year="2005", area="England",
              measure="vacancy_rate")
    assert N["ch1_wa2009_vacancy_england"] == f"{float(wa['value']):.1f}%" == "11.8%"


def test_agency_and_recruitment_are_the_data_rows():
    london = _csv("workforce_lords", area="London", measure="agency_staff_rate")
    assert N["ch1_agency_london"] == f"{float(london['value']):.1f}%"
    short = _csv("agency_staff_use_2005", area="London", measure="short_term_agency_used")
    assert N["ch1_agency_short_term_london"] == f"{float(short['value']):.0f}%" == "81%"
    assert N["ch1_recruit_2005_high"] == f"{float(_csv('recruitment_difficulty', year='2005')['high']):.0f}%"
    assert N["ch1_recruit_2001"] == f"{float(_csv('recruitment_difficulty', year='2001')['value']):.0f}%"


def test_census_figures_follow_from_the_rows():
    def value(group: str, measure: str) -> float:
        return float(_csv("cin_census_2005", group=group, measure=measure)["value"])

    per_child = 1e6 * value("looked_after", "weekly_cost") / value("looked_after", "children")
    assert N["ch1_week_per_looked_after"] == f"£{per_child:,.0f}" == "£618"
    per_family = 1e6 * value("in_families", "weekly_cost") / value("in_families", "children")
    assert N["ch1_week_per_in_families"] == f"£{per_family:,.0f}"
    assert N["ch1_week_cost_all"] == f"£{value('all', 'weekly_cost'):.1f}m" == "£68.5m"
    assert N["ch1_annual_looked_after"] == f"£{value('looked_after', 'annual_cost_per_child'):,.0f}" == "£35,360"


def _wilson_low(p: float, n: int, level: float) -> float:
    z = stats.norm.ppf(0.5 + level / 2)
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half


def test_the_interval_sentence_holds():
    """'Even at <top level> the lower limit ... stays above <floor>': the floor is the lower limit's ten."""
    top = max(WMTD_LEVELS)
    assert N["ch1_wmtd_top_level"] == f"{100 * top:.0f}%"
    n = int(_csv("wmtd_consultation", measure="participants")["value"])
    p = float(_csv("wmtd_consultation", measure="one_consistent_lead_professional")["value"]) / 100
    low = 100 * _wilson_low(p, n, top)
    floor = float(N["ch1_wmtd_lead_floor"].rstrip("%"))
    assert floor < low < floor + 10


def test_the_top_level_is_the_highest_the_table_and_the_chart_show():
    cells = [c for c in notebook(CHAPTER).cells if c.cell_type == "code"]
    assert any("wmtd_intervals(prose.WMTD_LEVELS)" in c.source for c in cells)
    levels = {r["confidence"] for r in stored_chart_rows(CHAPTER, "figures.wmtd_chart()") if "confidence" in r}
    assert N["ch1_wmtd_top_level"] == f"{max(levels):.0f}%"
