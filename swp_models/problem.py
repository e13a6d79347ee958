"""Chapter 1, "The problem in numbers": the tables behind the chapter, computed from ``data/``.

The chapter's key results, as the page shows them, are in :mod:`swp_models.figures.problem_tables`.
"""

from __future__ import annotations

from pathlib import Path

from typing import Sequence

import pandas as pd

from . import data
from .stats import wilson_interval
from .validation import check_in_range, check_sequence

__all__ = [
    "WEEKS_PER_YEAR",
    "agency_shares",
    "census_week",
    "recruitment",
    "wmtd_intervals",
    "workforce_by_region",
    "workforce_sources",
]

#: Weeks in a year used to turn a week's cost into a year's (52, a year of whole weeks, as the report does), the
#: package's one weeks-per-year constant. Waits in the caseload queue convert calendar time with
#: :data:`swp_models.continuity.queue.DAYS_PER_YEAR` instead.
WEEKS_PER_YEAR = 52

# The most confidence levels one call computes intervals for.
_MAX_LEVELS = 1_000

_MEASURE_LABELS = {"vacancy_rate": "Vacancy rate", "turnover_rate": "Turnover rate"}


def workforce_by_region(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Vacancy and turnover of children's field social workers in 2005, by region, against England.

    Returns
    -------
    pandas.DataFrame
        Columns ``region``, ``measure``, ``label``, ``rate`` (percent), ``england`` (percent),
        ``gap`` (percentage points above England), ``approx``. Only the regions the report
        names for each measure appear.
    """
    frame = data.load("workforce_rates_2005", data_dir=data_dir)
    england = frame[frame["region"] == "England"].set_index("measure")["value"]
    out = frame[["region", "measure", "value", "approx"]].rename(columns={"value": "rate"})
    out["label"] = out["measure"].map(_MEASURE_LABELS)
    out["england"] = out["measure"].map(england)
    out["gap"] = out["rate"] - out["england"]
    return out[["region", "measure", "label", "rate", "england", "gap", "approx"]].reset_index(drop=True)


def workforce_sources(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """England and London vacancy and turnover in 2005 as each source gives them, side by side.

    The report (citing LAWIG 2006) and two later parliamentary statements do not agree; the
    book shows all of them rather than choose.

    Returns
    -------
    pandas.DataFrame
        Columns ``area``, ``measure``, ``rate`` (percent), ``source`` (document key), ``where``.
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    def rates(frame: pd.DataFrame, area: str) -> pd.DataFrame:
        frame = frame[frame[area].isin(["England", "London"]) & frame["measure"].isin(_MEASURE_LABELS)]
        return pd.DataFrame({"area": frame[area], "measure": frame["measure"], "rate": frame["value"],
                             "source": frame["document"], "where": frame["location"]})

    lords = data.load("workforce_lords", data_dir=data_dir)
    a = rates(data.load("workforce_rates_2005", data_dir=data_dir), "region")
    b = rates(lords[lords["year"] == 2005], "area")
    out = pd.concat([a, b], ignore_index=True)
    return out.sort_values(["measure", "area", "source"], kind="stable").reset_index(drop=True)


def agency_shares(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Agency staff as a share of children's field social workers in 2005, London and the rest of England.

    As a minister gave them in the House of Lords (Grand Committee, 14 January 2008); the
    report gives only the share of councils using agency staff, not the share of staff.

    Returns
    -------
    pandas.DataFrame
        Columns ``area``, ``percent``, ``source`` (document key), ``where`` and ``quote``.
    """
    frame = data.load("workforce_lords", data_dir=data_dir)
    frame = frame[frame["measure"] == "agency_staff_rate"]
    return pd.DataFrame({"area": frame["area"].to_numpy(), "percent": frame["value"].to_numpy(),
                         "source": frame["document"].to_numpy(), "where": frame["location"].to_numpy(),
                         "quote": frame["quote"].to_numpy()})


def recruitment(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """Share of councils in England reporting recruitment difficulties, 2001 and 2005 (percent)."""
    frame = data.load("recruitment_difficulty", data_dir=data_dir)
    return frame[["year", "value", "approx", "high", "quote"]].rename(columns={"value": "percent"})


def wmtd_intervals(confidence_levels: Sequence[float] = (0.8, 0.9, 0.95, 0.99), *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The WMTD consultation results with Wilson intervals at several confidence levels.

    The report gives percentages of the 339 young people who attended, not how many answered
    each question; the intervals treat all 339 as respondents and the attendees as a simple
    random sample of young people in care, which they were not (they chose to come). The
    intervals therefore show sampling error only, and are a lower bound on the uncertainty.

    Parameters
    ----------
    confidence_levels : sequence of float
        Two-sided levels, each strictly between 0 and 1; one to a thousand of them.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure``, ``statement``, ``percent``, ``confidence`` (percent), ``low`` and
        ``high`` (percent), ``n``.
    """
    data.data_folder(data_dir)  # a wrong folder is refused even where no table is read
    levels = [check_in_range("confidence_levels", c, 0.0, 1.0, low_open=True, high_open=True)
              for c in check_sequence("confidence_levels", confidence_levels, max_len=_MAX_LEVELS)]
    n = int(data.value("wmtd_consultation", measure="participants", data_dir=data_dir))
    statements = {
        "too_many_professionals": "Too many professionals decide",
        "one_consistent_lead_professional": "Want one consistent lead",
    }
    rows = []
    for measure, statement in statements.items():
        pct = data.value("wmtd_consultation", measure=measure, data_dir=data_dir)
        for level in levels:
            lo, hi = wilson_interval(pct / 100 * n, n, level)
            rows.append(
                {
                    "measure": measure,
                    "statement": statement,
                    "percent": pct,
                    "confidence": round(level * 100, 6),
                    "low": 100 * lo,
                    "high": 100 * hi,
                    "n": n,
                }
            )
    return pd.DataFrame(rows)


def census_week(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The Children in Need census week of February 2005, with the annual averages reconciled.

    For each group (looked after, supported in families, all): the children counted, the week's
    cost, the cost per child that week, that weekly cost times 52, the annual average the report
    states, the gap between the two, and the number of children the stated average would imply
    for the week's total.

    Returns
    -------
    pandas.DataFrame
        One row per group; money in £ (``weekly_cost_gbp`` in £, per-child figures in £ per child).
    """
    frame = data.load("cin_census_2005", data_dir=data_dir)
    wide = frame.pivot(index="group", columns="measure", values="value").reindex(["looked_after", "in_families", "all"])
    out = pd.DataFrame(index=wide.index)
    out["children"] = wide["children"]
    out["weekly_cost_gbp"] = wide["weekly_cost"] * 1e6
    out["weekly_cost_per_child"] = out["weekly_cost_gbp"] / out["children"]
    out["annualised_per_child"] = out["weekly_cost_per_child"] * WEEKS_PER_YEAR
    out["stated_annual_per_child"] = wide["annual_cost_per_child"]
    out["gap_per_child"] = out["stated_annual_per_child"] - out["annualised_per_child"]
    out["gap_percent"] = 100 * out["gap_per_child"] / out["annualised_per_child"]
    out["implied_children"] = out["weekly_cost_gbp"] * WEEKS_PER_YEAR / out["stated_annual_per_child"]
    out["implied_weeks"] = out["stated_annual_per_child"] / out["weekly_cost_per_child"]
    return out.reset_index()
