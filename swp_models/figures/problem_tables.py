"""Chapter 1's key results, as the page shows them.

Every figure is read from ``data/`` or computed from it by :mod:`swp_models.problem`; this
module only chooses what to show and formats it.
"""

from __future__ import annotations

from pathlib import Path

from .. import data
from ..problem import agency_shares, census_week, recruitment, wmtd_intervals
from ..tables import Table, fmt_gbp, fmt_int, fmt_num, fmt_pct
from ..tables import key_results as _key_results_table

__all__ = ["key_results"]


def key_results(*, data_dir: str | Path | None = None) -> "Table":
    """The chapter's key-results table, every figure read from ``data/`` or computed from it."""
    data.data_folder(data_dir)  # a wrong folder is refused even where no table is read
    rate = lambda region, measure: data.value("workforce_rates_2005", region=region, measure=measure, data_dir=data_dir)  # noqa: E731
    wmtd = wmtd_intervals((0.95,)).set_index("measure")
    census = census_week().set_index("group")
    n = int(data.value("wmtd_consultation", measure="participants", data_dir=data_dir))
    recruit = recruitment().set_index("year")["percent"]
    agency = agency_shares().set_index("area")["percent"]

    def share(measure: str) -> str:
        r = wmtd.loc[measure]
        return f"{fmt_pct(r['percent'])} ({fmt_num(r['low'], 1)}-{fmt_num(r['high'], 1)}%)"

    return _key_results_table(
        [
            ("Vacancy rate, children's field social workers, England 2005",
             fmt_pct(rate("England", "vacancy_rate")), "Le Grand (2007) s.4.3, LAWIG Table 8"),
            ("Vacancy rate, London and West Midlands 2005", fmt_pct(rate("London", "vacancy_rate")),
             "Le Grand (2007) s.4.3"),
            ("Turnover, England / London 2005",
             f"{fmt_pct(rate('England', 'turnover_rate'))} / {fmt_pct(rate('London', 'turnover_rate'))}",
             "Le Grand (2007) s.4.3"),
            ("Agency staff, London / rest of England 2005 (the minister's percentages; their base is not stated)",
             f"{fmt_pct(agency['London'], 1)} / {fmt_pct(agency['England excluding London'], 1)}",
             "House of Lords, Grand Committee, 14 January 2008"),
            ("Councils with recruitment difficulties, 2001 to 2005",
             f"{fmt_pct(recruit[2001])} to nearly {fmt_pct(recruit[2005])}", "Le Grand (2007) s.4.3, LAWIG Table 14"),
            (f"Young people (of {n}) saying too many professionals decide (95% interval)",
             share("too_many_professionals"), "Le Grand (2007) s.4.1; Wilson interval computed here",
             "the 339 who came treated as a random sample (so the interval is a lower bound)"),
            (f"Young people (of {n}) wanting one consistent lead professional (95% interval)",
             share("one_consistent_lead_professional"), "Le Grand (2007) s.4.1; Wilson interval computed here",
             "the 339 who came treated as a random sample (so the interval is a lower bound)"),
            ("Looked-after children in the census week, February 2005", fmt_int(census.loc["looked_after", "children"]),
             "Le Grand (2007) s.6.1.5"),
            ("Share of the week's cost spent on looked-after children",
             fmt_pct(100 * census.loc["looked_after", "weekly_cost_gbp"] / census.loc["all", "weekly_cost_gbp"]),
             "computed from s.6.1.5"),
            ("Cost per looked-after child that week", fmt_gbp(census.loc["looked_after", "weekly_cost_per_child"]),
             "computed from s.6.1.5"),
        ],
        caption="Key results: England, 2005-2007",
    )
