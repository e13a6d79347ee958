"""Chapter 3's page tables and key results, "What a child in care costs".

Formatted tables (every cell a string, or a :class:`~swp_models.tables.Table`) built from the
model in :mod:`swp_models.costs`; the charts are in ``swp_models.figures.costs``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..costs import (
    GRID_NOISE,
    census_average_cost,
    census_reconciliation,
    default_caseload,
    default_cost_model,
    default_shock_cv,
    needs_index_check,
    needs_mix_table,
    shock_pooling_table,
    spend_per_looked_after_child,
    tail_sensitivity,
    total_cost_distribution,
    total_cost_moments,
)
from ..data import data_folder
from ..practice import summary as practice_summary
from ..tables import Table, fmt_gbp, fmt_int, fmt_pct
from ..tables import key_results as _key_results
from ..validation import check_instance, check_probability

__all__ = [
    "fmt_chance",
    "census_arithmetic_table",
    "needs_mix_page_table",
    "exact_vs_simulated_table",
    "tail_sensitivity_table",
    "key_results",
    "overhead_check",
]


def _check_frame(name: str, frame: object, columns: tuple[str, ...]) -> pd.DataFrame:
    """A non-empty DataFrame holding ``columns``, refused by ``name`` otherwise."""
    check_instance(name, frame, pd.DataFrame, "pandas DataFrame")
    missing = [c for c in columns if c not in frame.columns]
    if frame.empty or missing:
        raise ValueError(f"{name} must be a non-empty table with the columns {list(columns)}; "
                         f"{'it is empty' if frame.empty else f'missing {missing}'}")
    return frame


def fmt_chance(p: float) -> str:
    """A probability in words for the page: ``'5.0%'``, ``'0.13%'``, ``'1 in 4.2 million'``.

    At least 1%: a percentage with one decimal; 0.1% to 1%: two decimals; below that, "1 in N"
    with N to two significant figures; below :data:`~swp_models.costs.GRID_NOISE`: "below 1 in 10 billion".
    """
    p = check_probability("p", p)
    if p >= 0.01:
        return f"{100 * p:.1f}%"
    if p >= 0.001:
        return f"{100 * p:.2f}%"
    if p < GRID_NOISE:
        return "below 1 in 10 billion"
    n = float(f"{1 / p:.2g}")
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if n >= size:
            value = n / size
            return f"1 in {value:,.0f} {word}" if value >= 10 else f"1 in {value:.2g} {word}"
    return f"1 in {n:,.0f}"


def census_arithmetic_table() -> pd.DataFrame:
    """The census reconciliation step by step, formatted for the page (one column per group).

    Returns
    -------
    pandas.DataFrame
        Columns ``Step``, ``Looked after``, ``Supported in families``, ``All children in need``
        and ``Basis`` (``"report"`` for the sourced figures, the arithmetic otherwise); every
        cell a string.
    """
    frame = census_reconciliation().set_index("group")
    steps = [
        ("Children counted in the week", "children", lambda x: f"{x:,.0f}", "report"),
        ("Cost of the week", "weekly_cost_gbp", lambda x: f"£{x / 1e6:.1f}m", "report"),
        ("Cost per child that week", "weekly_cost_per_child", lambda x: f"£{x:,.2f}", "cost / children"),
        ("52 weeks at that cost", "annualised_per_child", lambda x: f"£{x:,.0f}", "× 52"),
        ("Annual average stated in the report", "stated_annual_per_child", lambda x: f"£{x:,.0f}", "report"),
        ("Gap", "gap_per_child", lambda x: f"£{x:,.0f}", "stated - 52 weeks"),
        ("Gap as a share of 52 weeks", "gap_percent", lambda x: f"{x:.1f}%", "gap / 52 weeks"),
        ("Stated average per week", "stated_weekly_per_child", lambda x: f"£{x:,.2f}", "stated / 52"),
        ("Weeks at the census week's cost per child", "implied_weeks", lambda x: f"{x:.1f}", "stated / cost per child"),
        ("Children the stated average implies", "implied_children", lambda x: f"{x:,.0f}", "cost × 52 / stated"),
        ("... as a share of those counted", "implied_share", lambda x: f"{100 * x:.0f}%", "implied / counted"),
    ]
    labels = {"looked_after": "Looked after", "in_families": "Supported in families", "all": "All children in need"}
    rows = []
    for label, col, fmt, basis in steps:
        row = {"Step": label}
        row.update({labels[g]: fmt(float(frame.loc[g, col])) for g in labels})
        row["Basis"] = basis
        rows.append(row)
    return pd.DataFrame(rows)


def needs_mix_page_table(frame: pd.DataFrame | None = None) -> Table:
    """:func:`swp_models.costs.needs_mix_table` formatted for the page."""
    frame = needs_mix_table() if frame is None else _check_frame("frame", frame, ("mix", "none", "ebd", "complex", "mean",
                                                                          "practice_sd", "p_over_10", "basis"))
    out = pd.DataFrame({
        "Needs mix": frame["mix"],
        "No additional needs / EBD or offending / complex": [
            " / ".join(f"{100 * r[g]:.0f}%" for g in ("none", "ebd", "complex")) for _, r in frame.iterrows()],
        "Mean cost of a child": frame["mean"].map(fmt_gbp),
        "Practice: sd of the year's cost": frame["practice_sd"].map(lambda x: f"£{x / 1e3:,.0f}k"),
        "Chance of a 10% overspend per child": frame["p_over_10"].map(fmt_chance),
        "What it rests on": frame["basis"],
    })
    return Table(out, caption="Needs mixes: the central case, its range, a scenario for older children and the census calibration",
                 notes=("Practice of 100 ± 10 children, within-group CV 0.5, no shared shock. Group costs: Le Grand (2007) "
                        "s.6.1.5; survey: Meltzer and others (2003). Exact (FFT)."))


def _sci(x: float) -> str:
    """``4.251 × 10⁸`` for a large number (four significant figures)."""
    exponent = int(math.floor(math.log10(abs(x)))) if x else 0
    sup = str(exponent).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return f"{x / 10**exponent:.3f} × 10{sup}"


def exact_vs_simulated_table(check: pd.DataFrame) -> pd.DataFrame:
    """:func:`swp_models.costs.exact_vs_simulated` formatted for the page: money in £, variances in £², z to two decimals."""

    _check_frame("check", check, ("quantity", "exact", "simulated", "std_error", "z"))

    def money(quantity: str, x: float) -> str:
        return f"{_sci(x)} £²" if "variance" in quantity else f"£{x:,.0f}"

    return pd.DataFrame(
        {
            "Quantity": check["quantity"],
            "Exact": [money(q, x) for q, x in zip(check["quantity"], check["exact"])],
            "Simulated": [money(q, x) for q, x in zip(check["quantity"], check["simulated"])],
            "Standard error": [money(q, x) for q, x in zip(check["quantity"], check["std_error"])],
            "Difference (standard errors)": [f"{z:+.2f}" for z in check["z"]],
        }
    )


def tail_sensitivity_table(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """:func:`swp_models.costs.tail_sensitivity` formatted for the page, one row per measure and one column per model."""
    frame = tail_sensitivity() if frame is None else _check_frame("frame", frame, (
        "model", "tail_share", "none", "ebd", "complex", "mean", "sd_child", "p99_child", "practice_sd",
        "practice_p99", "p_over_10", "p_over_20"))
    rows = [
        ("Exceptional children (share of all)", "tail_share", lambda x: f"{100 * x:.1f}%"),
        ("No additional needs", "none", lambda x: f"{100 * x:.1f}%"),
        ("EBD or offending", "ebd", lambda x: f"{100 * x:.1f}%"),
        ("Complex needs", "complex", lambda x: f"{100 * x:.1f}%"),
        ("Mean cost of a child", "mean", lambda x: f"£{x:,.0f}"),
        ("Standard deviation of a child's cost", "sd_child", lambda x: f"£{x:,.0f}"),
        ("99th percentile of a child's cost", "p99_child", lambda x: f"£{x:,.0f}"),
        ("Standard deviation of the practice's cost", "practice_sd", lambda x: f"£{x:,.0f}"),
        ("99th percentile of the practice's cost", "practice_p99", lambda x: f"£{x / 1e6:.2f}m"),
        ("Chance cost per child is more than 10% over", "p_over_10", fmt_chance),
        ("Chance cost per child is more than 20% over", "p_over_20", fmt_chance),
    ]
    out = {"Measure": [label for label, _, _ in rows]}
    for rec in frame.itertuples(index=False):
        out[str(rec.model).capitalize()] = [fmt(getattr(rec, col)) for _, col, fmt in rows]
    return pd.DataFrame(out)


def key_results() -> Table:
    """Chapter 3's key-results table, every figure read from ``data/`` or computed from it."""
    table = _key_results

    census = census_reconciliation().set_index("group")
    lac = census.loc["looked_after"]
    index = needs_index_check().set_index("needs_group")
    model = default_cost_model()
    load = default_caseload()
    moments = total_cost_moments(model, load)
    dist = total_cost_distribution(model, load)
    t05, t95 = dist.quantile(np.array([0.05, 0.95]))
    mixes = needs_mix_table(load)
    check = overhead_check().set_index("measure")["value"]
    shock = shock_pooling_table(model, (100, 1000)).set_index(["shock_cv", "children"])["p_exact"]
    lo_cv, mid_cv, hi_cv = default_shock_cv("low"), default_shock_cv(), default_shock_cv("high")
    shares = " / ".join(fmt_pct(100 * s, 0) for s in model.shares)
    p10 = mixes["p_over_10"]

    return table(
        [
            ("Looked-after children: a year at the census week's cost per child, against the report's annual average",
             f"{fmt_gbp(lac['annualised_per_child'])} against {fmt_gbp(lac['stated_annual_per_child'])} "
             f"(the average is {fmt_pct(lac['gap_percent'], 1)} higher)",
             "Le Grand (2007) s.6.1.5; computed here"),
            (f"Looked-after children the stated average implies for the week's {fmt_gbp(lac['weekly_cost_gbp'] / 1e6, 1)}m",
             f"{fmt_int(lac['implied_children'])} ({fmt_pct(100 * lac['implied_share'])} of {fmt_int(lac['children'])})",
             "computed here"),
            ("Cost Calculator index for EBD, offending, and both (no additional needs = 100)",
             f"{fmt_int(index.loc['ebd', 'index'])}, {fmt_int(index.loc['offending', 'index'])} and "
             f"{fmt_int(index.loc['ebd_offending', 'index'])}",
             "Soper and Lam, Cost Calculator slides"),
            ("Needs mix of the central case: no additional needs / EBD or offending / complex needs",
             shares,
             "45% of looked-after children had a mental disorder (national survey, 2002)",
             "shares with additional and complex needs (assumptions anchored on the survey)"),
            ("Mean cost of a child with that mix, against councils' spending plus a practice's staff cost per child",
             f"{fmt_gbp(model.mean)} against {fmt_gbp(check.iloc[1])} (census average {fmt_gbp(check.iloc[2])})",
             "group costs: Le Grand (2007) s.6.1.5; spending: written answers; computed here",
             "the needs mix"),
            ("Practice of 100 ± 10 children: expected annual cost, with 5th and 95th percentiles",
             f"{fmt_gbp(moments.mean / 1e6, 2)}m ({fmt_gbp(t05 / 1e6, 2)}m to {fmt_gbp(t95 / 1e6, 2)}m)",
             "model, exact",
             "needs mix; spread of cost within a group"),
            ("Chance a practice's cost per child is more than 10% over its mean, across the needs mixes shown",
             f"{fmt_chance(float(p10.min()))} to {fmt_chance(float(p10.max()))} (central {fmt_chance(float(p10.iloc[0]))})",
             "model, exact",
             "spread of cost within a group (the mix matters little)"),
            ("The same chance for a council of 1,000 children, with a shared yearly cost shock of 2%, 5% and 10%",
             f"{fmt_chance(shock[(lo_cv, 1000)])}, {fmt_chance(shock[(mid_cv, 1000)])} and "
             f"{fmt_chance(shock[(hi_cv, 1000)])} (without any shock {fmt_chance(shock[(0.0, 1000)])})",
             "model, exact",
             "size of the shared shock"),
            ("Relative spread of a council's cost per child however many children it has",
             f"never below the shared shock: at least {fmt_pct(100 * mid_cv)} a year on the central assumption",
             "model, exact",
             "size of the shared shock (2% to 10%)"),
        ],
        caption="Key results: what a child in care costs, and what a practice of 100 children faces",
    )


def overhead_check(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The central mix's mean cost against the census average and against councils' spending plus staff cost.

    Councils' net spending per looked-after child (2005-06) leaves out social workers'
    salaries and assessment; adding a practice's running cost per child (chapter 4,
    :func:`swp_models.practice.summary`) puts a social-work cost back. (Here rather than in
    :mod:`swp_models.costs`, which chapter 4's practice builds on.)

    Parameters
    ----------
    data_dir : str or pathlib.Path, optional
        Folder of the data tables; default the package's own ``data/``.

    Returns
    -------
    pandas.DataFrame
        ``measure`` and ``value`` (£ per child per year), in the order shown on the page.
    """
    data_folder(data_dir)  # checked even where the data is not read
    spend = spend_per_looked_after_child().set_index("year").loc["2005-06", "per_child"]
    staff = float(practice_summary()["cost_per_child"])
    rows = [
        ("Councils' net spending per looked-after child, 2005-06 (no social-work salaries)", float(spend)),
        ("... plus a practice's running cost per child (chapter 4)", float(spend) + staff),
        ("Census average stated in the report, 2005", census_average_cost(data_dir=data_dir)),
        ("Central needs mix at the research's group costs (include social work and overheads)",
         default_cost_model(data_dir=data_dir).mean),
    ]
    return pd.DataFrame(rows, columns=["measure", "value"])
