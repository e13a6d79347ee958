"""The £ and % figures chapter 2's text quotes, each computed, for the page to glue into its prose.

:func:`.prose_numbers_continuity` returns every figure the chapter's markdown shows with a % sign
(or in points), formatted as the text reads, keyed by the name the page glues it under
(``ch2_...``). Each is read from a sourced row of ``data/`` through :mod:`swp_models.continuity`
or computed by that model and the chapter's tables (:mod:`swp_models.figures.continuity_tables`),
so the text cannot disagree with the tables beside it after a change of model or data.
"""

from __future__ import annotations

from pathlib import Path

from .. import data
from ..continuity import (
    EVIDENCE_TABLE,
    p_same_worker,
    queue_table,
    reference_scenarios,
    rota_table,
)
from ..continuity import compare as cc
from ..tables import fmt_num, fmt_pct, fmt_share
from .continuity_tables import fmt_prob, scenario_results, stability_check, target_table

__all__ = ["prose_numbers_continuity"]

def _points(x: float) -> str:
    """Percentage points to one decimal, as the decomposition table shows them."""
    return f"{fmt_num(x, 1)} points"


def prose_numbers_continuity(*, data_dir: str | Path | None = None) -> dict[str, str]:
    """Formatted figures that chapter 2's text quotes, keyed by the name the page glues them under.

    Returns
    -------
    dict of str to str
        Glue name (``ch2_...``) to the figure as the prose reads it: ``"71%"``, ``"94.5%"``,
        ``"23.5 points"``.
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    refs = reference_scenarios()
    eng_label, lon_label, prac_label = refs
    eng, lon, prac = refs.values()
    r = scenario_results(refs)
    later = cc.decomposition("one_worker_later").set_index("part")["value"]
    vacant = cc.practice_with_vacancy()
    vacant_lead = cc.decomposition("one_worker_later", practice=vacant).set_index("part")["value"]
    agency = cc.agency_share_scenarios().set_index("area")
    london, rest = agency.loc["London"], agency.loc["England outside London"]
    five_poisson, five_typed, five_index = cc.five_in_a_year()["p_five"]

    # What a practice would have to achieve: the table's targets against no agency cover and England's vacancy.
    targets = target_table(vacancies=(0.0, eng.vacancy))
    no_agency, england_agency = targets.iloc[:, 0], targets.iloc[:, 1]
    example = no_agency[no_agency >= prac.turnover].index.max()  # the highest target the book's practice meets
    out_of_reach = england_agency[england_agency.isna()].index.min()

    stab = stability_check().set_index("measure")
    one, two = stab.loc["At least one change in the year"], stab.loc["Two or more changes in the year"]
    two_2y = stab.loc["Two or more changes over two years"]
    three_2y = stab.loc["Three or more changes over two years"]

    workforce = cc.workforce_2017()
    shares = cc.unexplained_hazard().sort_values("agency_tenure_years")["explained_share"]

    team = data.row(EVIDENCE_TABLE, measure="team_size", data_dir=data_dir)
    rota = rota_table()["share_of_nights_at_quoted"]

    queue = queue_table().set_index("workers")
    settles = int(queue["p_wait"].first_valid_index())  # fewest workers for which the waiting list settles
    return {
        # in brief, and the practice's advantage taken apart
        "ch2_one_england_round": fmt_share(r.loc[eng_label, "p_same_later"]),
        "ch2_one_london_round": fmt_share(r.loc[lon_label, "p_same_later"]),
        "ch2_one_practice": fmt_prob(r.loc[prac_label, "p_same_later"]),
        "ch2_one_england": fmt_prob(r.loc[eng_label, "p_same_later"]),
        "ch2_one_england_typed": fmt_prob(r.loc[eng_label, "p_same_later_typed"]),
        "ch2_lead": _points(later["total"]),
        "ch2_lead_agency": _points(later["no agency cover"]),
        "ch2_lead_agency_round": fmt_num(later["no agency cover"], 0),  # points, the unit said nearby
        "ch2_lead_turnover": fmt_num(later["lower turnover"], 1),
        "ch2_vacant_share": fmt_share(vacant.vacancy, 1),
        "ch2_one_vacant_round": fmt_share(p_same_worker(vacant, 1.0, first_year=False)),
        "ch2_one_vacant": fmt_prob(p_same_worker(vacant, 1.0, first_year=False)),
        "ch2_one_vacant_typed": fmt_prob(p_same_worker(vacant, 1.0, first_year=False, typed=True)),
        "ch2_lead_vacant": _points(vacant_lead["total"]),
        "ch2_lead_vacant_agency": fmt_num(vacant_lead["no agency cover"], 1),
        # the three reasons, and the inputs (2005 rates; the practice's are assumptions)
        "ch2_turnover_england": fmt_share(eng.turnover),
        "ch2_turnover_london": fmt_share(lon.turnover),
        "ch2_vacancy_england": fmt_share(eng.vacancy),
        "ch2_vacancy_london": fmt_share(lon.vacancy),
        "ch2_practice_turnover": fmt_share(prac.turnover, 1),
        "ch2_one_agency_only": fmt_share(p_same_worker(eng.replace(turnover=0.0), 1.0, first_year=False)),
        # agency staff, not vacancies (as the agency-share table shows them)
        "ch2_agency_london": fmt_share(london["agency"], 1),
        "ch2_agency_rest": fmt_share(rest["agency"], 1),
        "ch2_one_london_vacancy": fmt_share(london["p_vacancy"], 1),
        "ch2_one_london_agency": fmt_share(london["p_agency"], 1),
        "ch2_one_rest_vacancy": fmt_share(rest["p_vacancy"], 1),
        "ch2_one_rest_agency": fmt_share(rest["p_agency"], 1),
        # five or more workers in a year
        "ch2_five_first_england": fmt_prob(r.loc[eng_label, "p5_first"]),
        "ch2_five_first_london": fmt_prob(r.loc[lon_label, "p5_first"]),
        "ch2_five_later": fmt_prob(five_poisson),
        "ch2_five_later_typed": fmt_prob(five_typed),
        "ch2_five_later_index": fmt_share(five_index, 1),
        # what a practice would have to achieve
        "ch2_target": fmt_share(example),
        "ch2_target_turnover": fmt_share(no_agency[example]),
        "ch2_target_out_of_reach": fmt_share(out_of_reach),
        # the Stability Index (percent already) and the model beside it
        "ch2_index_one": fmt_pct(one["observed"]),
        "ch2_index_two": fmt_pct(two["observed"]),
        "ch2_index_two_2y": fmt_pct(two_2y["observed"]),
        "ch2_index_three_2y": fmt_pct(three_2y["observed"]),
        "ch2_model_one": fmt_pct(one["model"], 1),
        "ch2_fitted_two": fmt_pct(two["fitted"], 1),
        "ch2_fitted_two_2y": fmt_pct(two_2y["fitted"], 1),
        "ch2_fitted_three_2y": fmt_pct(three_2y["fitted"], 1),
        # what the workforce of 2017 explains, over the range of agency stays
        "ch2_turnover_2017": fmt_share(workforce["turnover"]),
        "ch2_agency_2017": fmt_share(workforce["agency_share"], 1),
        "ch2_explained_short_stays": fmt_share(shares.iloc[0]),
        "ch2_explained_long_stays": fmt_share(shares.iloc[-1]),
        # 24-hour cover: the nights a team of Q226's smallest and largest size covers at the quoted interval
        "ch2_rota_nights_small": fmt_share(rota[int(team["low"])]),
        "ch2_rota_nights_large": fmt_share(rota[int(team["high"])]),
        # the caseload queue: the fewest workers for which the list settles, and one and two more
        "ch2_queue_in_use": fmt_share(queue.loc[settles, "utilisation"]),
        "ch2_queue_wait": fmt_prob(queue.loc[settles, "p_wait"]),
        "ch2_queue_wait_one_more": fmt_prob(queue.loc[settles + 1, "p_wait"]),
        "ch2_queue_wait_two_more": fmt_prob(queue.loc[settles + 2, "p_wait"]),
    }
