"""The figures chapter 4's text quotes ("What a practice costs to run"), formatted for glueing.

Every value is computed by :mod:`swp_models.practice` (and, for chapter 3's central cost of a child, by
:mod:`swp_models.costs`) from the rows of ``data/``: the sourced pay scales and on-cost rates, the report's
design of a practice and the labelled assumptions. The page glues each under its name, so the prose
cannot disagree with the tables and charts beside it.
"""

from __future__ import annotations

from .. import costs, practice
from ..tables import PRICE_YEAR, fmt_gbp, fmt_pct, fmt_share

__all__ = ["prose_numbers_practice_costs"]


def prose_numbers_practice_costs() -> dict[str, str]:
    """Formatted figures that chapter 4's text quotes, keyed by the name the page glues them under.

    Returns
    -------
    dict of str to str
        Glue name (prefixed ``ch4_``) to text: sums in £ (``"£527,000"``; "about" figures rounded as the
        prose rounds them) and rates in percent (``"14.9%"``).
    """
    s = practice.summary()
    grid = practice.summary_grid()
    pay = practice.pay_inputs()
    sourced = practice.sourced_pay()
    avg_2004 = sourced[(sourced["role"] == "childrens_social_worker") & (sourced["measure"] == "average_pay")] \
        .set_index("area")["value"]
    scenarios = practice.pay_scenarios().set_index("scenario")
    # Pay at the top of the scales rather than the bottom, per child, against the child's cost.
    low, high = (practice.summary(salaries=practice.salary_scale(level)) for level in ("low", "high"))
    pay_range = 100.0 * (high["cost_per_child"] - low["cost_per_child"]) / s["child_cost"]
    return {
        "ch4_price_year": PRICE_YEAR,  # the price base of every £ in the chapter (cash)
        "ch4_running_cost": fmt_gbp(round(s["running_cost"], -3)),
        "ch4_per_child": fmt_gbp(s["cost_per_child"]),
        "ch4_running_low": fmt_gbp(round(grid["running_cost"].min(), -3)),
        "ch4_running_high": fmt_gbp(round(grid["running_cost"].max(), -3)),
        "ch4_child_cost": fmt_gbp(s["child_cost"]),
        "ch4_central_child_cost": fmt_gbp(costs.default_cost_model().mean),
        "ch4_overhead": fmt_gbp(s["out_of_scope"]),
        "ch4_overhead_about": fmt_gbp(round(s["out_of_scope"], -2)),
        "ch4_overhead_share": fmt_pct(s["out_of_scope_share"], 1),
        "ch4_share": fmt_pct(s["share_of_child_cost"], 1),
        "ch4_pay_range_share": fmt_pct(pay_range),
        "ch4_scenarios_change": fmt_gbp(round(scenarios.loc["all", "change"], -3)),
        "ch4_sw_min": fmt_gbp(pay["sw_min"]),
        "ch4_sw_max": fmt_gbp(pay["sw_max"]),
        "ch4_tl_min": fmt_gbp(pay["tl_min"]),
        "ch4_tl_max": fmt_gbp(pay["tl_max"]),
        "ch4_pay_2004": fmt_gbp(avg_2004["national"]),
        "ch4_pay_2004_london": fmt_gbp(avg_2004["London"]),
        "ch4_london_premium": fmt_share(practice.london_premium() - 1.0),
        "ch4_ni_rate": fmt_share(pay["employer_ni_rate"], 1),
        "ch4_ni_threshold": fmt_gbp(pay["ni_threshold"] / practice.WEEKS_PER_YEAR),
        "ch4_pension_rate": fmt_share(pay["pension_rate"], 1),
        "ch4_pay_premium": fmt_share(practice.assumption("pay_premium")),
        "ch4_partner_share": fmt_share(practice.assumption("partner_surplus_share")),
        "ch4_new_pension": fmt_share(practice.assumption("new_employer_pension_rate")),
    }
