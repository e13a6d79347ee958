"""Charts for chapter 4, "What a practice costs to run".

The budget and the comparison charts filter a small precomputed grid
(:func:`swp_models.practice.budget_grid`, :func:`swp_models.practice.summary_grid`) with
sliders for the front-line team (6-10), the administrative ratio (1:4 to 1:6) and the pay
level (scale minimum, midpoint, maximum), so they stay interactive on the static page.
"""

from __future__ import annotations

from pathlib import Path

import math

import altair as alt
import pandas as pd

from .. import data, practice
from ..charts import PALETTE, finish, selector, series_cues, slider

_REPORT = "Le Grand (2007)"
_PAY = "LAWIG 2006 pay via Community Care (2009); NI 2006-07; LGPS 2005-06"
_LEVEL_OPTIONS = list(practice.GRID_LEVELS)
_LEVEL_LABELS = [practice.SALARY_LEVEL_LABELS[k] for k in _LEVEL_OPTIONS]
_OUT_MARK = " \u2020"
_COMPONENT_ORDER = ["Salary", "Employer NI", "Pension", "Non-pay cost"]
# The comparison's rows (px): a bar's thickness, a name's line height, and the clear space between a
# name and the bar (and amount) under it, and between a bar and the next row's name.
_BAR, _NAME_LINE, _GAP = 14, 14, 8


def _controls(prefix: str) -> tuple[alt.Parameter, alt.Parameter, alt.Parameter]:
    design = practice.PracticeDesign()
    team = slider(f"{prefix}_frontline", "Front-line staff (FTE)", practice.GRID_FRONTLINE[0],
                  practice.GRID_FRONTLINE[-1], 1, design.frontline)
    admin = slider(f"{prefix}_admin", "Front-line staff per administrator", practice.GRID_ADMIN_ONE_IN[0],
                   practice.GRID_ADMIN_ONE_IN[-1], 1, round(1 / design.admin_ratio))
    level = selector(f"{prefix}_level", "Pay", _LEVEL_OPTIONS, "mid", labels=_LEVEL_LABELS)
    return team, admin, level


def _pick(team: alt.Parameter, admin: alt.Parameter, level: alt.Parameter) -> alt.Predicate:
    return (alt.datum.frontline == team) & (alt.datum.admin_one_in == admin) & (alt.datum.level == level)


def budget_chart() -> alt.VConcatChart:
    """The annual budget by line, split into salary, employer's NI, pension and non-pay cost."""
    grid, order, totals = _budget_frames()
    team, admin, level = _controls("ch4_budget")
    chart = _budget_body(grid, order, totals, team, admin, level).add_params(team, admin, level)
    return _finish_budget(chart)


def _budget_frames() -> tuple[pd.DataFrame, list[str], pd.DataFrame]:
    grid = practice.budget_grid()
    grid = grid.assign(
        line=grid["role"] + grid["in_census_scope"].map({True: "", False: _OUT_MARK}),
        component_rank=grid["component"].map({c: i for i, c in enumerate(_COMPONENT_ORDER)}),
    )
    order = (grid.drop_duplicates("item").sort_values("order")["line"]).tolist()
    grid = grid[["frontline", "admin_one_in", "level", "line", "component", "component_rank", "amount", "line_total"]]
    totals = practice.summary_grid()[["frontline", "admin_one_in", "level", "running_cost", "cost_per_child",
                                      "staff_fte"]]
    totals = totals.assign(
        headline=totals.apply(
            lambda r: f"Total £{r['running_cost'] / 1e3:,.0f}k a year for {r['staff_fte']:.1f} staff FTE: "
                      f"£{r['cost_per_child']:,.0f} per child", axis=1),
    )[["frontline", "admin_one_in", "level", "headline"]]
    return grid, order, totals


def _budget_body(grid: pd.DataFrame, order: list[str], totals: pd.DataFrame, team: alt.Parameter,
                 admin: alt.Parameter, level: alt.Parameter) -> alt.VConcatChart:
    top = math.ceil(grid["line_total"].max() / 50) * 50
    y = alt.Y("line:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    picked = alt.Chart(grid).transform_filter(_pick(team, admin, level))
    # A grey bar for each line's total and a dot for each of its costs (colour and shape), so the
    # costs are told apart without colour and each reads off the axis.
    totals_bars = picked.transform_aggregate(total="sum(amount)", groupby=["line"]).mark_bar(
        color="#dcdcdc", height=14).encode(
        y=y, x=alt.X("total:Q", title="£ thousand a year", scale=alt.Scale(domain=[0, top])),
        tooltip=[alt.Tooltip("line:N", title="Line"), alt.Tooltip("total:Q", title="Line total (£k)", format=",.1f")],
    )
    dots = picked.mark_point(filled=True, size=60, opacity=1).encode(
        y=y, x="amount:Q",
        **series_cues("component:N", _COMPONENT_ORDER, [PALETTE[0], PALETTE[4], PALETTE[2], PALETTE[1]],
                      title="Cost", line=False, shape=True,
                      legend=alt.Legend(orient="bottom", direction="horizontal", columns=2)),
        tooltip=[alt.Tooltip("line:N", title="Line"), alt.Tooltip("component:N", title="Cost"),
                 alt.Tooltip("amount:Q", title="£ thousand a year", format=",.1f"),
                 alt.Tooltip("line_total:Q", title="Line total (£k)", format=",.1f")],
    )
    labels = picked.transform_aggregate(
        total="sum(amount)", groupby=["line"],
    ).mark_text(align="left", dx=6, fontSize=11).encode(
        y=alt.Y("line:N", sort=order), x="total:Q", text=alt.Text("total:Q", format=",.0f"),
    )
    headline = alt.Chart(totals).transform_filter(_pick(team, admin, level)).mark_text(
        align="left", baseline="middle", fontSize=13, fontWeight="bold",
    ).encode(text="headline:N", x=alt.value(0), y=alt.value(10)).properties(height=20, width=360)
    body = (totals_bars + dots + labels).properties(width=360, height=alt.Step(22))
    return alt.vconcat(headline, body, spacing=4)


def _finish_budget(chart: alt.TopLevelMixin) -> alt.VConcatChart:
    return finish(
        chart,
        "What a practice of 6-10 social workers costs a year",
        subtitle=["Annual budget by line, £ thousand, 100 children: grey bars the line's total, dots its costs.",
                  "\u2020 lines the census averages leave out.",
                  "Move the sliders: team size, administrators, pay level (non-pay costs are assumptions)."],
        source=[f"{_REPORT} s.6.1.3", _PAY, "other figures assumptions"],
    )


def comparison_chart() -> alt.VConcatChart:
    """Running cost per child beside the cost of the child's care (census average)."""
    team, admin, level = _controls("ch4_compare")
    chart = _comparison_body(team, admin, level).add_params(team, admin, level)
    return _finish_comparison(chart)


def _comparison_body(team: alt.Parameter, admin: alt.Parameter, level: alt.Parameter) -> alt.VConcatChart:
    grid = practice.summary_grid()
    keys = ["frontline", "admin_one_in", "level"]
    child = float(grid["child_cost"].iloc[0])
    # Names short enough for a phone's column, on two lines (the tooltips and the data table say more).
    segments = ["Practice:\ncounted in the census", "Practice:\noverheads left out",
                "Child's care:\ncounted in the census", "Child's care:\nplacements and the rest"]
    parts = [
        grid[keys].assign(segment=segments[0], start=0.0, end=grid["in_scope"]),
        grid[keys].assign(segment=segments[1], start=grid["in_scope"], end=grid["in_scope"] + grid["out_of_scope"]),
        grid[keys].assign(segment=segments[2], start=0.0, end=grid["in_scope"]),
        grid[keys].assign(segment=segments[3], start=grid["in_scope"], end=pd.Series(child, index=grid.index)),
    ]
    long = pd.concat(parts, ignore_index=True)
    long["amount"] = (long["end"] - long["start"]).round(0)
    long["start"] = long["start"].round(0)
    long["end"] = long["end"].round(0)
    long["share"] = (100 * long["amount"] / child).round(1)
    long["label"] = long["amount"].map(lambda x: f"£{x:,.0f}")
    shares = grid[keys].assign(
        headline=grid.apply(
            lambda r: f"Running cost £{r['cost_per_child']:,.0f} per child: {r['share_of_child_cost']:.1f}% of the "
                      f"census average,\nof which £{r['out_of_scope']:,.0f} ({r['out_of_scope_share']:.1f}%) the "
                      "census leaves out",
            axis=1),
    )
    # Each part on its own row, named above its bar (the name, not the colour, says what it is); the
    # bars keep their place along the axis, so each row's parts still add up.
    base = alt.Chart(long).transform_filter(_pick(team, admin, level))
    y = alt.Y("segment:N", title=None, sort=segments, axis=None)
    bars = base.mark_bar(height=_BAR).encode(
        y=y,
        x=alt.X("start:Q", title="£ per child per year", scale=alt.Scale(domain=[0, 40000])),
        x2="end:Q",
        color=alt.Color("segment:N", legend=None, sort=segments,
                        scale=alt.Scale(domain=segments, range=[PALETTE[0], PALETTE[3], PALETTE[0], "#9a9a9a"])),
        tooltip=[alt.Tooltip("segment:N", title="Part"),
                 alt.Tooltip("amount:Q", title="£ per child per year", format=",.0f"),
                 alt.Tooltip("share:Q", title="% of the census average", format=".1f")],
    )
    # Each name's two lines end _GAP px above its bar (Vega draws a bottom-aligned name's first line at
    # dy and the next below it), so the amount beside a short bar never touches the name, however
    # narrow the column; the name's first line clears the bar above by as much.
    lines = max(name.count("\n") + 1 for name in segments)
    names = base.mark_text(align="left", baseline="bottom", dy=-(_BAR / 2 + _GAP + _NAME_LINE * (lines - 1)),
                           fontSize=12, lineHeight=_NAME_LINE, color="#222", limit=0, lineBreak="\n").encode(
        y=y, x=alt.value(0), text="segment:N")
    # Each amount just past its bar's end; a long bar's inside it, so the chart keeps to a phone's column.
    amounts = base.transform_filter("datum.end < 20000").mark_text(align="left", dx=4, fontSize=11, color="#222")
    amounts = amounts.encode(y=y, x="end:Q", text="label:N")
    inside = base.transform_filter("datum.end >= 20000").mark_text(align="right", dx=-4, fontSize=12, color="#111")
    inside = inside.encode(y=y, x="end:Q", text="label:N")
    rule = alt.Chart(pd.DataFrame({"x": [child], "t": [f"£{child:,.0f}"]})).mark_rule(
        strokeDash=[4, 3], color="#333").encode(x="x:Q")
    # The census average's value at the foot of its rule, under the last bar, clear of the names above
    # the bars however narrow the chart.
    rule_text = alt.Chart(pd.DataFrame({"x": [child], "t": [f"£{child:,.0f}"]})).mark_text(
        align="right", dx=-4, dy=-2, baseline="bottom", fontSize=11).encode(x="x:Q", y=alt.value("height"),
                                                                            text="t:N")
    headline = alt.Chart(shares).transform_filter(_pick(team, admin, level)).mark_text(
        align="left", baseline="top", fontSize=12, fontWeight="bold", lineBreak="\n",
    ).encode(text="headline:N", x=alt.value(0), y=alt.value(0)).properties(height=34, width=360)
    body = (bars + names + amounts + inside + rule + rule_text).properties(
        width=360, height=alt.Step(_BAR + 2 * _GAP + _NAME_LINE * lines + 4))
    return alt.vconcat(headline, body, spacing=4)


def _finish_comparison(chart: alt.TopLevelMixin) -> alt.VConcatChart:
    return finish(
        chart,
        "Running a practice costs a small part of what a child's care costs",
        subtitle=["£ per child per year. The census average already counts council spending on staff:",
                  "the practice's counted part replaces some of it; only its overheads come on top."],
        source=[f"{_REPORT} s.6.1.3, s.6.1.5", "LAWIG 2006 pay via Community Care (2009)", "assumptions"],
    )


def caseload_chart(*, data_dir: str | Path | None = None) -> alt.VConcatChart:
    """Children per front-line worker against team size, for 90, 100 and 110 children."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    table = practice.caseload_table()
    cap = data.value("committee_evidence_2008", measure="caseload_cap", data_dir=data_dir)
    lo = data.value("practice_design", parameter="frontline_staff_min", data_dir=data_dir)
    hi = data.value("practice_design", parameter="frontline_staff_max", data_dir=data_dir)
    table = table.assign(children=table["caseload"].astype(str) + " children")
    mid = int(data.value("practice_design", parameter="caseload_children", data_dir=data_dir))
    band = alt.Chart(pd.DataFrame({"a": [lo], "b": [hi], "t": ["report's 6-10"]})).mark_rect(
        color="#eeeeee").encode(x="a:Q", x2="b:Q")
    band_text = alt.Chart(pd.DataFrame({"a": [(lo + hi) / 2], "t": ["report's range, 6-10"]})).mark_text(
        baseline="top", dy=4, fontSize=11, color="#555").encode(x="a:Q", y=alt.value(0), text="t:N")
    lines = alt.Chart(table).mark_line(point=True).encode(
        x=alt.X("frontline:Q", title="Front-line staff (FTE)", scale=alt.Scale(domain=[4, 14]),
                axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("per_worker:Q", title="Children per front-line worker", scale=alt.Scale(domain=[0, 30])),
        **series_cues("children:N", ["90 children", "100 children", "110 children"], title="Caseload",
                      shape=True, legend=alt.Legend()),
        tooltip=[alt.Tooltip("frontline:Q", title="Front-line staff"), alt.Tooltip("caseload:Q", title="Children"),
                 alt.Tooltip("per_worker:Q", title="Children per worker", format=".1f")],
    )
    rule = alt.Chart(pd.DataFrame({"y": [cap]})).mark_rule(strokeDash=[4, 3], color="#333").encode(y="y:Q")
    rule_text = alt.Chart(pd.DataFrame({"y": [cap], "t": [f"{cap:.0f} cases each (Q239)"]})).mark_text(
        align="right", baseline="bottom", dy=-3, fontSize=11).encode(y="y:Q", x=alt.value("width"), text="t:N")
    chart = (band + band_text + lines + rule + rule_text).properties(width=440, height=260)
    return finish(
        chart,
        f"A team of {lo:.0f}-{hi:.0f} looking after {mid} children carries {mid / hi:.0f}-{mid / lo:.0f} children each",
        subtitle="Children per front-line worker for the draft contract's 100 children plus or minus 10.",
        source=[f"{_REPORT} s.6.1.3 and Annex A.2 Art. 4", "Committee evidence (2008) Q239 for the cap of 10"],
    )


def budget_and_comparison_chart() -> alt.VConcatChart:
    """The budget and its comparison with the cost of a child's care, driven by one set of controls.

    The two panels of :func:`budget_chart` and :func:`comparison_chart` stacked, so that
    the sliders move both together.
    """
    grid, order, totals = _budget_frames()
    team, admin, level = _controls("ch4_budget")
    top = _budget_body(grid, order, totals, team, admin, level)
    bottom = _comparison_body(team, admin, level)
    # The two panels colour different things (budget lines; parts of a child's cost): separate scales.
    chart = alt.vconcat(top, bottom, spacing=26).add_params(team, admin, level).resolve_scale(color="independent",
                                                                                             shape="independent")
    return finish(
        chart,
        "What a practice costs a year, and how that sits beside a child's care",
        subtitle=["Top: annual budget by line, £ thousand, 100 children: grey bars the total, dots its costs",
                  "(\u2020 lines the census averages leave out).",
                  "Bottom: £ per child a year against the census average. The sliders move both."],
        source=[f"{_REPORT} s.6.1.3, s.6.1.5", _PAY, "other figures assumptions"],
    )


__all__ = ["budget_chart", "comparison_chart", "budget_and_comparison_chart", "caseload_chart"]
