"""The figures chapter 3's text quotes ("What a child in care costs"), formatted for glueing.

Every value is read from a sourced row of ``data/`` (the census week, the research's costs by need, the
Cost Calculator's index, councils' spending, the mental-health survey), from a labelled assumption
(the needs mix, the shared yearly shock, the exceptional children) or computed by :mod:`swp_models.costs`
from them, with chapter 4's practice for the cost of a social worker. The page glues each under its
name, so the prose cannot disagree with the tables and charts beside it.
"""

from __future__ import annotations

from pathlib import Path

from .. import costs, data
from ..practice import summary as practice_summary
from ..tables import PRICE_YEAR, fmt_gbp, fmt_millions, fmt_pct, fmt_share
from .costs_tables import fmt_chance, overhead_check

__all__ = ["prose_numbers_child_costs"]

#: The census groups, as the glue names abbreviate them.
_GROUPS = {"looked_after": "lac", "in_families": "fam", "all": "all"}
def _year_key(year: str) -> str:
    """``'2005-06'`` -> ``'0506'``, for the glue names of a financial year."""
    return year[2:4] + year[5:7]


def prose_numbers_child_costs(*, data_dir: str | Path | None = None) -> dict[str, str]:
    """Formatted figures that chapter 3's text quotes, keyed by the name the page glues them under.

    Returns
    -------
    dict of str to str
        Glue name (prefixed ``ch3_``) to text: sums in £ (``"£42,840"``, ``"£44.9m"``; "about" figures
        rounded as the prose rounds them), shares and rates in percent (``"45%"``, ``"10.0%"``) and
        chances as the tables print them (:func:`~swp_models.figures.costs_tables.fmt_chance`).
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    census = costs.census_reconciliation().set_index("group")
    served = costs.census_2003_basis().set_index("group")["weekly_2003"]
    spend = costs.spend_per_looked_after_child().set_index("year")
    quoted = spend.index[:2]  # the two years the text quotes; the rises run over all of them
    staff = float(practice_summary()["cost_per_child"])
    added_back = overhead_check()["value"].iloc[1]
    group = costs.group_costs()
    low, high = costs.group_costs("low"), costs.group_costs("high")
    none, ebd, complex_ = costs.NEEDS_GROUPS
    index = costs.needs_index_check().set_index("needs_group")["implied_cost"]
    a_lo, a, a_hi = costs.assumption_range("additional_needs_share")
    c_lo, c, c_hi = costs.assumption_range("complex_share")
    shock_lo, shock, shock_hi = (costs.default_shock_cv(w) for w in ("low", "value", "high"))
    over, over_large = costs.OVERSPENDS

    model = costs.default_cost_model()
    load = costs.default_caseload()
    practice_mean = costs.total_cost_moments(model, load).mean
    practice_tail = costs.practice_percentiles(model, load, (0.95, 0.99))["exact"]
    child = costs.child_cost_percentiles(model, (0.5, 0.9, 0.99))["cost"]
    # The needs mixes in the order of costs.needs_mix_models: the central one first, the census calibration
    # last, the older children's scenario just before it.
    mixes = costs.needs_mix_table(load)
    by_need = mixes.iloc[:-1]
    older = mixes.iloc[-2]
    cheapest = costs.calibrate_shares(n_points=2).feasible[none]
    tail = costs.tail_sensitivity(caseload=load).set_index("model")
    default, exceptional = tail.iloc[0], tail.iloc[1]

    return {
        "ch3_price_year": PRICE_YEAR,  # the price base of every £ in the chapter (cash)
        "ch3_avg_lac_round": fmt_gbp(round(census.loc["looked_after", "stated_annual_per_child"], -3)),
        "ch3_survey_disorder": fmt_pct(data.value("lac_mental_health_2002", measure="any_mental_disorder", data_dir=data_dir)),
        # The census week, reconciled.
        **{f"ch3_week_{k}": fmt_millions(census.loc[g, "weekly_cost_gbp"], 1) for g, k in _GROUPS.items()},
        **{f"ch3_avg_{k}": fmt_gbp(census.loc[g, "stated_annual_per_child"]) for g, k in _GROUPS.items()},
        **{f"ch3_stated_week_{k}": fmt_gbp(census.loc[g, "stated_weekly_per_child"]) for g, k in _GROUPS.items()},
        **{f"ch3_gap_pct_{k}": fmt_pct(census.loc[g, "gap_percent"], 1 if g == "looked_after" else 0)
           for g, k in _GROUPS.items()},
        # The two groups the survey of 2003 reported, each against the week of 2005.
        **{f"ch3_week_child_{_GROUPS[g]}": fmt_gbp(census.loc[g, "weekly_cost_per_child"]) for g in served.index},
        **{f"ch3_implied_share_{_GROUPS[g]}": fmt_share(census.loc[g, "implied_share"]) for g in served.index},
        **{f"ch3_served_2003_{_GROUPS[g]}": fmt_gbp(cost) for g, cost in served.items()},
        "ch3_annualised_lac": fmt_gbp(census.loc["looked_after", "annualised_per_child"]),
        "ch3_gap_lac": fmt_gbp(census.loc["looked_after", "gap_per_child"]),
        "ch3_rounding": fmt_gbp(costs.CENSUS_WEEKLY_ROUNDING),
        # Councils' spending, and a social worker's cost added back.
        **{f"ch3_spend_{_year_key(y)}": fmt_millions(spend.loc[y, "spend_gbp"]) for y in quoted},
        **{f"ch3_spend_child_{_year_key(y)}": fmt_gbp(round(spend.loc[y, "per_child"], -2)) for y in quoted},
        **{f"ch3_rise_{_year_key(y)}": fmt_share(r, 1) for y, r in spend["per_child"].pct_change().iloc[1:].items()},
        "ch3_staff": fmt_gbp(staff),
        "ch3_spend_staff": fmt_gbp(round(added_back, -2)),
        # The research's costs by need and the Cost Calculator's index.
        "ch3_cost_none": fmt_gbp(group[none]),
        "ch3_cost_ebd": fmt_gbp(group[ebd]),
        "ch3_cost_ebd_range": f"{fmt_gbp(low[ebd])}-{fmt_gbp(high[ebd])}",
        "ch3_cost_complex": fmt_gbp(group[complex_]),
        "ch3_implied_ebd": fmt_gbp(index["ebd"]),
        "ch3_implied_offending": fmt_gbp(index["offending"]),
        "ch3_implied_both": fmt_gbp(index["ebd_offending"]),
        # The needs mix and its average.
        "ch3_additional": fmt_share(a),
        "ch3_additional_low": fmt_share(a_lo),
        "ch3_additional_high": fmt_share(a_hi),
        "ch3_complex": fmt_share(c),
        "ch3_complex_low": fmt_share(c_lo),
        "ch3_complex_high": fmt_share(c_hi),
        "ch3_mix": " / ".join(fmt_share(s) for s in model.shares),
        "ch3_mean": fmt_gbp(model.mean),
        "ch3_census_none_low": fmt_share(cheapest.min()),
        "ch3_census_none_high": fmt_share(cheapest.max()),
        "ch3_mix_mean_low": fmt_gbp(by_need["mean"].min()),
        "ch3_mix_mean_high": fmt_gbp(by_need["mean"].max()),
        "ch3_p10_low": fmt_chance(float(mixes["p_over_10"].min())),
        "ch3_p10_high": fmt_chance(float(mixes["p_over_10"].max())),
        "ch3_older_mean": fmt_gbp(older["mean"]),
        "ch3_older_p10": fmt_chance(float(older["p_over_10"])),
        # One child's cost, and a practice's.
        "ch3_child_p50": fmt_gbp(round(child.iloc[0], -2)),
        "ch3_child_p90": fmt_gbp(round(child.iloc[1], -2)),
        "ch3_child_p99": fmt_gbp(round(child.iloc[2], -2)),
        "ch3_practice_mean_short": fmt_millions(practice_mean, 1),
        "ch3_practice_mean": fmt_millions(practice_mean, 2),
        "ch3_practice_p95": fmt_millions(practice_tail.iloc[0], 2),
        "ch3_practice_p99": fmt_millions(practice_tail.iloc[1], 2),
        "ch3_over": fmt_share(over),
        "ch3_over_large": fmt_share(over_large),
        # A few exceptional children.
        "ch3_tail_share": fmt_share(exceptional["tail_share"], 1),
        "ch3_tail_rise": fmt_gbp(round(exceptional["mean"] - default["mean"], -2)),
        "ch3_p10": fmt_chance(float(default["p_over_10"])),
        "ch3_tail_p10": fmt_chance(float(exceptional["p_over_10"])),
        # The shared yearly shock.
        "ch3_shock": fmt_share(shock),
        "ch3_shock_low": fmt_share(shock_lo),
        "ch3_shock_high": fmt_share(shock_hi),
        "ch3_shock_floor": fmt_chance(costs.shock_exceedance(shock, over)),
    }
