"""The census week against the stated averages, the Cost Calculator's index, and outside checks on the mean.

Chapter 3's evidence on what a child in care costs, computed from the sourced tables: the
Children in Need census of February 2005 reconciled with the report's annual averages
(:func:`census_reconciliation`, :func:`census_implied_children`, :func:`census_2003_basis`),
councils' spending per looked-after child (:func:`spend_per_looked_after_child`), and the Cost
Calculator's index by need (:func:`needs_index_check`, :func:`report_ratios`). The central mix's mean
against spending plus a practice's staff cost, which needs chapter 4's practice, is
:func:`swp_models.figures.costs_tables.overhead_check`.

Units: £ per child per year unless stated.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .. import data
from ..validation import check_positive
from .model import NEEDS_GROUPS
from .needs import _folder, _load

__all__ = [
    "census_reconciliation",
    "census_implied_children",
    "census_2003_basis",
    "spend_per_looked_after_child",
    "needs_index_check",
    "report_ratios",
    "CENSUS_WEEKLY_ROUNDING",
]


#: Rounding assumed for the census's weekly averages when checking them against each other (£ a week): a
#: reading, not a sourced fact.
CENSUS_WEEKLY_ROUNDING = 10.0


def census_reconciliation() -> pd.DataFrame:
    """The census week reconciled with the report's annual averages, one row per group.

    Extends :func:`swp_models.problem.census_week` (children, the week's cost, the cost per
    child that week, 52 times it, the stated annual average, the gap, the children and weeks
    the stated average implies) with ``stated_weekly_per_child`` (the stated annual average
    over 52, £ per child per week) and ``implied_share`` (the implied children as a share of
    the children counted).
    """
    from ..problem import WEEKS_PER_YEAR, census_week

    frame = census_week()
    frame["stated_weekly_per_child"] = frame["stated_annual_per_child"] / WEEKS_PER_YEAR
    frame["implied_share"] = frame["implied_children"] / frame["children"]
    return frame


def census_implied_children(rounding: float = CENSUS_WEEKLY_ROUNDING) -> pd.DataFrame:
    """Children each stated average implies, and whether the three groups agree with each other.

    If the stated averages are weekly figures times 52, each rounded to the nearest
    ``rounding`` pounds a week, the children they imply lie between the week's cost over
    (weekly figure + rounding / 2) and over (weekly figure - rounding / 2). The row
    ``looked_after + in_families`` adds the two groups; it should fall inside the range of
    the row ``all`` if the three averages were made on one basis.

    Parameters
    ----------
    rounding : float, default 10
        Rounding of the weekly averages, £ per child per week, > 0.

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``implied_children``, ``low``, ``high``.
    """
    r = check_positive("rounding", rounding)
    frame = census_reconciliation().set_index("group")
    cost, week = frame["weekly_cost_gbp"], frame["stated_weekly_per_child"]
    out = pd.DataFrame(
        {
            "implied_children": cost / week,
            "low": cost / (week + r / 2),
            "high": cost / (week - r / 2),
        }
    )
    both = out.loc["looked_after"] + out.loc["in_families"]
    out.loc["looked_after + in_families"] = both
    return out.reindex(["looked_after", "in_families", "looked_after + in_families", "all"]).reset_index(
        names="group"
    )


def census_2003_basis(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The Children in Need survey of February 2003: weekly cost per child who received a service.

    Returns
    -------
    pandas.DataFrame
        Columns ``group``, ``weekly_2003`` (£ per child served per week, as reported),
        ``weekly_2005_stated`` (the report's 2005 annual average over 52) and
        ``weekly_2005_all_counted`` (the 2005 week's cost over all children counted).
    """
    frame = data.load("cin_census_2003", data_dir=data_dir).set_index("group")["value"]
    census = census_reconciliation().set_index("group")
    groups = ["looked_after", "in_families"]
    return pd.DataFrame(
        {
            "group": groups,
            "weekly_2003": [float(frame[g]) for g in groups],
            "weekly_2005_stated": [float(census.loc[g, "stated_weekly_per_child"]) for g in groups],
            "weekly_2005_all_counted": [float(census.loc[g, "weekly_cost_per_child"]) for g in groups],
        }
    )


def spend_per_looked_after_child(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Councils' spending on children looked after per child, England, 2004-05 to 2007-08.

    Net current expenditure (``lac_expenditure_england``) over the children looked after at
    the 31 March that ends the year (``lac_at_31_march``): roughly the cost per child-year,
    as the 31 March count stands in for the average number looked after during the year.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        Columns ``year`` (financial year), ``spend_gbp`` (£), ``children`` (at 31 March),
        ``per_child`` (£ per child per year).
    """
    _folder(data_dir)  # checked even where the data is not read
    spend = _load("lac_expenditure_england", data_dir)
    counts = _load("lac_at_31_march", data_dir).set_index("year")["value"]
    out = pd.DataFrame({"year": spend["year"], "spend_gbp": spend["value"] * 1e6})
    out["children"] = [float(counts[int(y[:4]) + 1]) for y in out["year"]]
    out["per_child"] = out["spend_gbp"] / out["children"]
    return out


def needs_index_check(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The Cost Calculator's cost index by needs set against the report's three groups.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        One row per Cost Calculator group: ``needs_group``, ``label``, ``report_group``,
        ``index`` (no additional needs = 100), ``ratio`` (index / 100), ``implied_cost``
        (the report's £33,000 for children with no additional needs times the ratio, £ per
        child per year), and the report's figure for the matching group: ``report_cost``,
        ``report_low``, ``report_high`` (£; empty where the report has no such group) and
        ``report_ratio`` (report figure over £33,000).
    """
    _folder(data_dir)  # checked even where the data is not read
    index = _load("cost_calculator_index", data_dir)
    report = _load("cost_by_needs_2005", data_dir).set_index("needs_group")
    base = float(report.loc[NEEDS_GROUPS[0], "value"])
    out = index[["needs_group", "label", "report_group"]].copy()
    out["index"] = index["value"]
    out["ratio"] = out["index"] / 100.0
    out["implied_cost"] = base * out["ratio"]
    matched = out["report_group"].where(out["report_group"] != "none")

    def pick(col: str) -> pd.Series:
        return matched.map(lambda g: report.loc[g, col] if isinstance(g, str) else np.nan).astype(float)

    out["report_cost"] = pick("value")
    out["report_low"] = pick("low")
    out["report_high"] = pick("high")
    out["report_ratio"] = out["report_cost"] / base
    return out


def report_ratios(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The report's cost of each needs group as a multiple of the no-additional-needs cost.

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        ``needs_group``, ``cost`` (£ per child per year), ``ratio``, ``ratio_low`` and
        ``ratio_high`` (from the source's range or bound, where it gives one).
    """
    _folder(data_dir)  # checked even where the data is not read
    report = _load("cost_by_needs_2005", data_dir).set_index("needs_group")
    base = float(report.loc[NEEDS_GROUPS[0], "value"])
    rows = []
    for g in NEEDS_GROUPS:
        rec = report.loc[g]
        rows.append(
            {
                "needs_group": g,
                "cost": float(rec["value"]),
                "ratio": float(rec["value"]) / base,
                "ratio_low": float(rec["low"]) / base if pd.notna(rec["low"]) else np.nan,
                "ratio_high": float(rec["high"]) / base if pd.notna(rec["high"]) else np.nan,
            }
        )
    return pd.DataFrame(rows)
