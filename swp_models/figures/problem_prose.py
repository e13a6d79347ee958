"""The figures chapter 1's text quotes, each read from ``data/`` or computed from it.

The page glues them into its prose (``{glue:text}``), so the text always says what the tables and
charts beside it show. Every figure comes from :mod:`swp_models.data` or :mod:`swp_models.problem`;
this module only picks and formats it.
"""

from __future__ import annotations

import math

from .. import data, problem
from ..tables import fmt_gbp, fmt_millions, fmt_num, fmt_pct

__all__ = ["WMTD_LEVELS", "prose_numbers_problem"]

#: Confidence levels of the chapter's table of WMTD intervals; the text quotes the highest.
WMTD_LEVELS: tuple[float, ...] = (0.90, 0.95, 0.99)


def _rate(region: str, measure: str) -> str:
    """The report's 2005 rate (LAWIG 2006) for ``region``, in whole percent as the report gives it."""
    return fmt_pct(data.value("workforce_rates_2005", region=region, measure=measure))


def _lords(statement: str, area: str, measure: str, digits: int) -> str:
    """A 2005 rate as a minister gave it in the House of Lords (``statement``), in percent."""
    return fmt_pct(data.value("workforce_lords", statement=statement, year=2005, area=area, measure=measure), digits)


def _agency_use(measure: str, area: str = "England") -> str:
    """The share of responding councils using agency staff in 2005 for ``measure``, in whole percent."""
    return fmt_pct(data.value("agency_staff_use_2005", area=area, measure=measure))

def prose_numbers_problem() -> dict[str, str]:
    """Formatted figures that chapter 1's text quotes, keyed by the name the page glues them under.

    Returns
    -------
    dict of str to str
        Glue name (``ch1_...``) to the text shown, e.g. ``"ch1_vacancy_england": "12%"``.
    """
    agency = problem.agency_shares().set_index("area")["percent"]
    recruit = problem.recruitment().set_index("year")
    wmtd = problem.wmtd_intervals(WMTD_LEVELS)
    top = wmtd["confidence"].max()
    lead = wmtd[(wmtd["measure"] == "one_consistent_lead_professional") & (wmtd["confidence"] == top)].iloc[0]
    census = problem.census_week().set_index("group")
    wa, gc = "lords_written_answer_2009", "lords_grand_committee_2008"
    return {
        # The minister's agency shares of staff (HL Grand Committee, 2008)
        "ch1_agency_london": fmt_pct(agency["London"], 1),
        "ch1_agency_rest": fmt_pct(agency["England excluding London"], 1),
        # What young people in care said (WMTD), and the interval around it
        "ch1_wmtd_lead": fmt_pct(lead["percent"]),
        "ch1_wmtd_top_level": fmt_pct(top),
        # The lower limit at the highest level, rounded down to the ten it stays above
        "ch1_wmtd_lead_floor": fmt_pct(10 * math.floor(lead["low"] / 10)),
        # Vacancy and turnover, 2005, as the report gives them
        "ch1_vacancy_england": _rate("England", "vacancy_rate"),
        "ch1_turnover_england": _rate("England", "turnover_rate"),
        "ch1_vacancy_london": _rate("London", "vacancy_rate"),
        "ch1_turnover_london": _rate("London", "turnover_rate"),
        "ch1_vacancy_west_midlands": _rate("West Midlands", "vacancy_rate"),
        # The same year as ministers later gave it
        "ch1_wa2009_vacancy_england": _lords(wa, "England", "vacancy_rate", 1),
        "ch1_wa2009_turnover_england": _lords(wa, "England", "turnover_rate", 0),
        "ch1_gc2008_vacancy_england": _lords(gc, "England", "vacancy_rate", 0),
        "ch1_gc2008_vacancy_london": _lords(gc, "London", "vacancy_rate", 1),
        # Councils with recruitment difficulties: 2001, and the most the 2005 figure can be
        "ch1_recruit_2001": fmt_pct(recruit.loc[2001, "percent"]),
        "ch1_recruit_2005_high": fmt_pct(recruit.loc[2005, "high"]),
        # Councils using agency staff, 2005
        "ch1_agency_long_term": _agency_use("long_term_agency_used"),
        "ch1_agency_short_term": _agency_use("short_term_agency_used"),
        "ch1_agency_short_term_london": _agency_use("short_term_agency_used", "London"),
        "ch1_agency_vacant_posts": _agency_use("cover_vacant_posts"),
        "ch1_agency_absence": _agency_use("cover_absence"),
        "ch1_agency_assignments": _agency_use("cover_short_term_assignments"),
        # The census week, February 2005, and the annual averages stated beside it
        "ch1_week_cost_all": fmt_millions(census.loc["all", "weekly_cost_gbp"], 1),
        "ch1_week_cost_looked_after": fmt_millions(census.loc["looked_after", "weekly_cost_gbp"], 1),
        "ch1_week_per_looked_after": fmt_gbp(census.loc["looked_after", "weekly_cost_per_child"]),
        "ch1_week_per_in_families": fmt_gbp(census.loc["in_families", "weekly_cost_per_child"]),
        "ch1_annual_looked_after": fmt_gbp(census.loc["looked_after", "stated_annual_per_child"]),
        "ch1_annual_in_families": fmt_gbp(census.loc["in_families", "stated_annual_per_child"]),
        "ch1_annual_all": fmt_gbp(census.loc["all", "stated_annual_per_child"]),
    }
