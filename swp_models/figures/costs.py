"""Charts for chapter 3, "What a child in care costs".

Every function returns a finished chart (title, subtitle, source line). Charts with sliders
filter small precomputed grids from :mod:`swp_models.costs`, so they work on the static page.
"""

from __future__ import annotations

from typing import Sequence

import altair as alt
import numpy as np
import pandas as pd

from .. import costs
from ..charts import PALETTE, finish, selector, series_cues, slider
from ..validation import check_in_range, check_instance, check_sequence

__all__ = [
    "census_gap_chart",
    "needs_index_chart",
    "feasible_shares_chart",
    "child_cost_chart",
    "practice_cost_chart",
    "pooling_chart",
    "mix_sensitivity_chart",
]

_REPORT = "Le Grand (2007)"
_GROUP_LABELS = {
    "looked_after": "Looked after",
    "in_families": "Supported in families",
    "all": "All children in need",
}
_COMPONENT_LABELS = {
    "no_additional_needs": "No additional needs",
    "ebd_or_offending": "EBD or offending",
    "complex_needs": "Complex needs",
    "exceptional": "Exceptional",
}


def census_gap_chart() -> alt.VConcatChart:
    """The census week's cost per child times 52 against the report's stated annual averages."""
    frame = costs.census_reconciliation()
    frame = frame.assign(group_label=frame["group"].map(_GROUP_LABELS))
    long = pd.concat(
        [
            frame.assign(basis="52 × the week's cost per child counted", amount=frame["annualised_per_child"]),
            frame.assign(basis="Annual average stated in the report", amount=frame["stated_annual_per_child"]),
        ],
        ignore_index=True,
    )[["group_label", "basis", "amount", "gap_percent", "stated_weekly_per_child", "weekly_cost_per_child"]]
    order = list(_GROUP_LABELS.values())
    y = alt.Y("group_label:N", title=None, sort=order)
    rule = alt.Chart(frame).mark_rule(color="#999", strokeWidth=2).encode(
        y=y, x=alt.X("annualised_per_child:Q"), x2="stated_annual_per_child:Q"
    )
    points = alt.Chart(long).mark_point(size=110, filled=True, opacity=1).encode(
        y=y,
        x=alt.X("amount:Q", title="£ per child per year", scale=alt.Scale(domain=[0, 40000]),
                axis=alt.Axis(format=",.0f")),
        color=alt.Color("basis:N", title=None, scale=alt.Scale(range=[PALETTE[0], PALETTE[1]]),
                        legend=alt.Legend(direction="vertical", labelLimit=0)),
        shape=alt.Shape("basis:N", title=None, scale=alt.Scale(range=["circle", "square"]),
                        legend=alt.Legend(direction="vertical", labelLimit=0)),
        tooltip=[
            alt.Tooltip("group_label:N", title="Group"),
            alt.Tooltip("basis:N", title="Figure"),
            alt.Tooltip("amount:Q", title="£ per child per year", format=",.0f"),
            alt.Tooltip("weekly_cost_per_child:Q", title="Week's cost per child counted (£)", format=",.2f"),
            alt.Tooltip("stated_weekly_per_child:Q", title="Stated average / 52 (£)", format=",.2f"),
        ],
    )
    labels = alt.Chart(frame).mark_text(align="left", dx=10, fontSize=11).encode(
        y=y,
        x="stated_annual_per_child:Q",
        text=alt.Text("label:N"),
    ).transform_calculate(label="'+' + format(datum.gap_percent, '.0f') + '%'")
    chart = (rule + points + labels).properties(width=400, height=150)
    return finish(
        chart,
        "The stated averages exceed a year of the census week",
        subtitle=["England, Children in Need census week, February 2005. Labels: the stated average",
                  "above 52 weeks at the week's cost per child counted."],
        source=f"{_REPORT} s.6.1.5 (Children in Need Census 2005); 52-week figures and gaps computed here",
    )


def needs_index_chart() -> alt.VConcatChart:
    """The Cost Calculator's cost index by needs, applied to £33,000, against the report's figures."""
    frame = costs.needs_index_check()
    frame = frame.assign(
        matched=np.where(frame["report_group"] == "none", "Not priced in the report",
                         "A group the report prices"),
        report_label=frame["report_group"].map(
            {"no_additional_needs": "£33,000", "ebd_or_offending": "£50,000-£54,000", "complex_needs": "over £95,000",
             "none": ""}),
    )
    frame["short"] = frame["label"].str.replace("Unaccompanied asylum-seeking children", "Unaccompanied asylum seekers")
    frame["short"] = frame["short"].str.replace("Emotional or behavioural difficulties", "Emotional/behavioural")
    order = list(frame["short"])
    groups = ["A group the report prices", "Not priced in the report"]
    y = alt.Y("short:N", title=None, sort=order, axis=alt.Axis(labelLimit=300))
    base = f"£{float(frame['implied_cost'].iloc[0] / frame['ratio'].iloc[0]):,.0f}"
    x = alt.X("implied_cost:Q", title=f"{base} × index / 100 (£ per child per year)",
              scale=alt.Scale(domain=[0, 120000]), axis=alt.Axis(format=",.0f"))
    colour = alt.Color("matched:N", legend=None, scale=alt.Scale(domain=groups, range=[PALETTE[0], "#8c8c8c"]))
    panels = []
    # One panel for the groups the report prices and one for the rest, each named above it (colour is
    # not the only cue); concatenated rather than faceted, so each panel keeps its own rows.
    for group in groups:
        part = frame[frame["matched"] == group]
        ranged = part[part["report_low"].notna()].assign(high=lambda d: d["report_high"].fillna(d["report_low"]))
        rows = [r for r in order if r in set(part["short"])]
        y = alt.Y("short:N", title=None, sort=rows, axis=alt.Axis(labelLimit=300))
        layers = [
            alt.Chart(part).mark_bar().encode(
                y=y, x=x, color=colour,
                tooltip=[alt.Tooltip("label:N", title="Needs group"),
                         alt.Tooltip("index:Q", title="Index (no additional needs = 100)"),
                         alt.Tooltip("implied_cost:Q", title="£33,000 × index", format=",.0f"),
                         alt.Tooltip("report_label:N", title="Report's figure")]),
            alt.Chart(part).mark_text(align="right", dx=-5, fontSize=11, color="white").encode(
                y=y, x="implied_cost:Q", text=alt.Text("index:Q", format=".0f")),
            alt.Chart(pd.DataFrame({"matched": [group]})).mark_text(
                align="left", baseline="bottom", x=0, y=-6, fontSize=12, fontWeight="bold", color="#222", limit=0,
            ).encode(text="matched:N"),
        ]
        if len(ranged):
            layers.append(alt.Chart(ranged).mark_rule(color=PALETTE[1], strokeWidth=9, opacity=0.55).encode(
                y=y, x="report_low:Q", x2="high:Q"))
        if part["report_cost"].notna().any():
            layers.append(alt.Chart(part[part["report_cost"].notna()]).mark_tick(
                color=PALETTE[3], thickness=3, size=20).encode(
                y=y, x="report_cost:Q", tooltip=[alt.Tooltip("report_label:N", title="Report's figure")]))
        panels.append(alt.layer(*layers).properties(width=280, height=alt.Step(24)))
    chart = alt.vconcat(*panels, spacing=28)
    return finish(
        chart,
        "The report's costs by need match the Cost Calculator index",
        subtitle=[f"Bars: {base} times the index (in white). Red ticks: the report's figure for the",
                  "matching group; orange: its range (£50,000-£54,000). 'Over £95,000' is a lower bound."],
        source=["Soper and Lam, Cost Calculator slides (index)",
                f"{_REPORT} s.6.1.5 (costs by need, 2005/6)"],
    )


def feasible_shares_chart() -> alt.VConcatChart:
    """The line of needs-group shares that match the census average, with the book's default point."""
    calib = costs.calibrate_shares(n_points=101)
    line = calib.feasible.assign(
        complex_pct=lambda d: 100 * d["complex_needs"],
        ebd_pct=lambda d: 100 * d["ebd_or_offending"],
        none_pct=lambda d: 100 * d["no_additional_needs"],
    )
    default = pd.DataFrame(
        {
            "complex_pct": [100 * calib.default["complex_needs"]],
            "ebd_pct": [100 * calib.default["ebd_or_offending"]],
            "none_pct": [100 * calib.default["no_additional_needs"]],
            "label": ["default (middle of the line): "
                      + " / ".join(f"{100 * calib.default[g]:.1f}%" for g in costs.NEEDS_GROUPS)],
        }
    )
    tooltip = [
        alt.Tooltip("complex_pct:Q", title="Complex needs (%)", format=".2f"),
        alt.Tooltip("ebd_pct:Q", title="EBD or offending (%)", format=".2f"),
        alt.Tooltip("none_pct:Q", title="No additional needs (%)", format=".2f"),
    ]
    x = alt.X("complex_pct:Q", title="Children with complex needs (%)", scale=alt.Scale(domain=[0, 4]))
    y = alt.Y("ebd_pct:Q", title="Children with EBD or offending (%)", scale=alt.Scale(domain=[0, 14]))
    path = alt.Chart(line).mark_line(strokeWidth=3).encode(x=x, y=y, tooltip=tooltip)
    dot = alt.Chart(default).mark_point(size=160, filled=True, color=PALETTE[1], opacity=1).encode(
        x=x, y=y, tooltip=tooltip
    )
    text = alt.Chart(default).mark_text(align="left", dx=10, dy=-4, fontSize=11).encode(x=x, y=y, text="label:N")
    chart = (path + dot + text).properties(width=420, height=240)
    none_lo, none_hi = 100 * line["no_additional_needs"].min(), 100 * line["no_additional_needs"].max()
    return finish(
        chart,
        f"Every point on this line gives an average cost of £{calib.target_mean:,.0f}",
        subtitle=[f"Shares of children by needs group; the rest have no additional needs ({none_lo:.1f}% to "
                  f"{none_hi:.1f}%).",
                  "The shares are not in the sources: the book takes the middle of the line (an assumption)."],
        source=[f"{_REPORT} s.6.1.5 (group costs 2005/6; census average 2005)", "shares computed here"],
    )


def _band_labels(dens: pd.DataFrame, order: Sequence[str], at_x: float) -> pd.DataFrame:
    """Callouts naming each band of a stacked density: colour is never the only cue.

    Each group's anchor is the middle of its band where the group makes up most of the stack and
    is thickest (a sliver: where it is thickest); the names stand in a column at ``at_x`` in the empty
    space above the tail, the first band in ``order`` highest, so the leader lines do not cross.
    """
    wide = dens.pivot(index="cost_k", columns="group", values="density")[list(order)].fillna(0.0)
    top = wide.cumsum(axis=1)
    total = top[order[-1]]
    rows = []
    for k, group in enumerate(order):
        own = wide[group].where(wide[group] >= 0.5 * total)
        at = (own if own.notna().any() else wide[group]).idxmax()
        if wide[group][at] < 0.03 * total.max():  # a sliver: point at it where it is thickest
            at = wide[group].idxmax()
        below = top[order[k - 1]][at] if k else 0.0
        rows.append({"group": group, "cost_k": at, "y": below + wide[group][at] / 2,
                     "label_x": at_x, "label_y": total.max() * (0.8 - 0.2 * k)})
    return pd.DataFrame(rows)


def _ordinal(percentile: float) -> str:
    """A percentile's mark on a chart in words: 95 -> "95th" (the symbol P95 goes in the tooltip)."""
    n = int(round(percentile))
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _percentile_name(percentile: float) -> str:
    """A percentile's tooltip: 95 -> "95th percentile (P95)"."""
    return f"{_ordinal(percentile)} percentile (P{int(round(percentile))})"


def child_cost_chart(model: costs.CostModel | None = None) -> alt.VConcatChart:
    """Density of one child's annual cost, stacked by needs group, with the mean and percentiles."""
    model = costs.default_cost_model() if model is None else model
    dens = costs.child_cost_density(model, upper=200_000, n_points=201)
    dens = dens.assign(
        group=dens["component"].map(_COMPONENT_LABELS),
        group_order=dens["component"].map({c: k for k, c in enumerate(model.components)}),
        cost_k=(dens["cost"] / 1000).round(3),
        density=dens["density"].round(7),
    )[["group", "group_order", "cost_k", "density"]]
    marks = costs.child_cost_percentiles(model, (0.5, 0.95, 0.99))
    marks = pd.concat(
        [marks.assign(label=marks["percentile"].map(_ordinal), mark=marks["percentile"].map(_percentile_name)),
         pd.DataFrame({"percentile": [np.nan], "cost": [model.mean], "label": ["mean"], "mark": ["mean"]})],
        ignore_index=True,
    ).assign(cost_k=lambda d: d["cost"] / 1000, ypix=lambda d: np.where(d["label"] == "mean", 16, 2))
    order = [_COMPONENT_LABELS[c] for c in model.components]
    area = alt.Chart(dens).mark_area(opacity=0.85).encode(
        x=alt.X("cost_k:Q", title="Annual cost of one child (£ thousand)", scale=alt.Scale(domain=[0, 200])),
        y=alt.Y("density:Q", stack=True, title="Density (per £1,000)"),
        color=alt.Color("group:N", title="Needs group", sort=order, legend=None),
        order=alt.Order("group_order:Q"),
        tooltip=[alt.Tooltip("group:N", title="Needs group"), alt.Tooltip("cost_k:Q", title="£ thousand"),
                 alt.Tooltip("density:Q", title="Density", format=".4f")],
    )
    rules = alt.Chart(marks).mark_rule(color="#333", strokeDash=[4, 3]).encode(
        x="cost_k:Q",
        tooltip=[alt.Tooltip("mark:N", title="Mark"), alt.Tooltip("cost:Q", title="£ per year", format=",.0f")],
    )
    text = alt.Chart(marks).mark_text(align="left", dx=3, fontSize=11, baseline="top").encode(
        x="cost_k:Q", y=alt.Y("ypix:Q", scale=None, axis=None), text="label:N"
    )
    callouts = alt.Chart(_band_labels(dens, order, at_x=100.0))
    leaders = callouts.mark_rule(color="#333", strokeWidth=1).encode(x="cost_k:Q", y="y:Q", x2="label_x:Q",
                                                                     y2="label_y:Q")
    anchors = callouts.mark_point(filled=True, color="#333", size=20, opacity=1).encode(x="cost_k:Q", y="y:Q")
    names = callouts.mark_text(align="left", dx=4, fontSize=12, color="#222").encode(
        x="label_x:Q", y="label_y:Q", text="group:N")
    chart = (area + rules + text + leaders + anchors + names).properties(width=440, height=230)
    return finish(
        chart,
        "Most children cost under £60,000 a year; a few cost far more",
        subtitle=[f"Annual cost of one looked-after child: mean £{model.mean:,.0f}, sd £{model.std:,.0f};",
                  "within each group the sd is "
                  + ", ".join(f"{v:g}" for v in dict.fromkeys(model.group_cvs)) + " of the group's mean (lognormal).",
                  "Dashed: the mean and the 50th, 95th and 99th percentiles (exact)."],
        source=[f"{_REPORT} s.6.1.5 (group costs, census average)", "shares and spread are assumptions"],
    )


def mix_sensitivity_chart(grid: pd.DataFrame | None = None) -> alt.VConcatChart:
    """Mean cost and the practice's risk over the needs mix (x: additional-needs share; sliders: complex share, CV).

    Parameters
    ----------
    grid : pandas.DataFrame, optional
        From :func:`swp_models.costs.mix_sensitivity_grid`; computed if not given.
    """
    grid = costs.mix_sensitivity_grid() if grid is None else check_instance("grid", grid, pd.DataFrame, "pandas DataFrame")
    metrics = {
        "mean": ("Mean cost of a child (£)", 1.0, ",.0f"),
        "practice_p95": ("Practice's cost in a bad year, 1 in 20 (£m)", 1e-6, ".2f"),
        "p_over_10": ("Chance of a 10% overspend (%)", 100.0, ".1f"),
    }
    long = pd.concat(
        [
            pd.DataFrame({
                "cv": grid["cv"].round(6),
                "additional_pct": grid["additional_pct"].round(6),
                "complex_pct": grid["complex_pct"].round(6),
                "metric": title,
                "value": (grid[col] * scale).round(5),
            })
            for col, (title, scale, _) in metrics.items()
        ],
        ignore_index=True,
    )
    c_lo, c_mid, c_hi = costs.assumption_range("complex_share")
    a_mid = 100 * costs.assumption("additional_needs_share")
    comp = slider("ch3_complex_share", "Children with complex needs (%)", 100 * c_lo, 100 * c_hi, 1.0, 100 * c_mid)
    spread = slider("ch3_cv", "Spread of cost within a needs group", float(grid["cv"].min()), float(grid["cv"].max()), 0.25, 0.5)
    on_line = "abs(datum.cv - ch3_cv) < 1e-6 && abs(datum.complex_pct - ch3_complex_share) < 1e-6"
    context_filter = "abs(datum.complex_pct - ch3_complex_share) < 1e-6"
    at_point = on_line + f" && abs(datum.additional_pct - {a_mid:g}) < 1e-6"

    def panel(title: str, fmt: str, first: bool, last: bool) -> alt.LayerChart:
        part = long[long["metric"] == title]
        lo, hi = float(part["value"].min()), float(part["value"].max())
        base = alt.Chart(part)
        x = alt.X("additional_pct:Q", title="Children with additional needs (%)" if last else None,
                  scale=alt.Scale(domain=[36, 56]), axis=alt.Axis(labels=last))
        y = alt.Y("value:Q", title=title, scale=alt.Scale(domain=[lo - 0.04 * (hi - lo), hi + 0.08 * (hi - lo)]),
                  axis=alt.Axis(format=fmt.replace(".1f", ".0f")))
        context = base.transform_filter(context_filter).mark_line(color="#c8c8c8", strokeWidth=1).encode(
            x=x, y=y, detail="cv:Q")
        curve = base.transform_filter(on_line).mark_line(strokeWidth=3).encode(x=x, y=y)
        point = base.transform_filter(at_point).mark_point(size=110, filled=True, color=PALETTE[1], opacity=1).encode(
            x=x, y=y,
            tooltip=[alt.Tooltip("cv:Q", title="Spread within a group (coefficient of variation, CV)"),
                     alt.Tooltip("additional_pct:Q", title="Additional needs (%)", format=".0f"),
                     alt.Tooltip("complex_pct:Q", title="Complex (%)", format=".0f"),
                     alt.Tooltip("value:Q", title=title, format=fmt)],
        )
        label = base.transform_filter(at_point).mark_text(dx=6, dy=-12, align="left", fontSize=12,
                                                          fontWeight="bold").encode(
            x=x, y=y, text=alt.Text("value:Q", format=fmt)
        )
        layer = (context + curve + point + label).properties(width=350, height=110)
        return layer.add_params(comp, spread) if first else layer

    items = list(metrics.values())
    panels = [panel(title, fmt, i == 0, i == len(items) - 1) for i, (title, _, fmt) in enumerate(items)]
    chart = alt.vconcat(*panels, spacing=8)
    return finish(
        chart,
        "The needs mix moves the average cost; the spread within groups moves the risk",
        subtitle=["Across: children with additional needs (the survey's 45% is the dot). Sliders: children with",
                  "complex needs and the spread of cost within a group. Blue: the spread chosen; grey: other",
                  "spreads. Practice of 100 ± 10."],
        source=[f"{_REPORT} s.6.1.5 (group costs)", "Meltzer and others (2003), survey of 2002",
                "model (mix and spread are assumptions); computed here"],
    )


def practice_cost_chart(model: costs.CostModel | None = None) -> alt.VConcatChart:
    """Distribution of a practice's total annual cost, exact and normal, with a caseload selector."""
    model = costs.default_cost_model() if model is None else model
    frame = costs.practice_density(model, n_points=161).round({"total": 5, "density": 5})
    base_load = costs.default_caseload()
    labels = list(dict.fromkeys(frame["caseload"]))
    codes = dict(zip(labels, ["even", "bunched", "fixed"]))
    gap = "\u00a0\u00a0\u00a0"  # keeps the radio labels apart
    short = [f"{base_load.mean} ± {base_load.margin}, even{gap}", f"{base_load.mean} ± {base_load.margin}, bunched{gap}",
             f"fixed {base_load.mean}"]
    frame = frame.assign(caseload=frame["caseload"].map(codes))
    loads = {
        "even": base_load,
        "bunched": costs.Caseload(base_load.mean, base_load.margin, "binomial"),
        "fixed": base_load.mean,
    }
    marks = pd.concat(
        [
            costs.practice_percentiles(model, load, (0.05, 0.5, 0.95, 0.99)).assign(caseload=code)
            for code, load in loads.items()
        ],
        ignore_index=True,
    ).assign(total=lambda d: d["exact"] / 1e6, label=lambda d: d["percentile"].map(_ordinal),
             mark=lambda d: d["percentile"].map(_percentile_name))
    pick = selector("ch3_caseload", "Caseload", list(codes.values()), "even", labels=short, radio=True)
    x = alt.X("total:Q", title="Total annual cost of the practice (£ million)", axis=alt.Axis(format=".1f"))
    # One legend for colour and dash (each method has both).
    legend = alt.Legend(labelExpr="datum.label == 'exact' ? 'exact calculation' : 'normal approximation'")
    curves = alt.Chart(frame).transform_filter(alt.datum.caseload == pick).mark_line().encode(
        x=x,
        y=alt.Y("density:Q", title="Density (per £ million)"),
        color=alt.Color("method:N", title=None, scale=alt.Scale(domain=["exact", "normal"],
                                                                range=[PALETTE[0], PALETTE[3]]), legend=legend),
        strokeDash=alt.StrokeDash("method:N", title=None, scale=alt.Scale(domain=["exact", "normal"],
                                                                          range=[[1, 0], [5, 4]]), legend=legend),
    )
    rules = alt.Chart(marks).transform_filter(alt.datum.caseload == pick).mark_rule(
        color="#333", strokeDash=[2, 3]
    ).encode(x="total:Q", tooltip=[alt.Tooltip("mark:N", title="Percentile"),
                                   alt.Tooltip("exact:Q", title="£ per year", format=",.0f")])
    text = alt.Chart(marks).transform_filter(alt.datum.caseload == pick).mark_text(
        align="left", dx=3, baseline="top", fontSize=11
    ).encode(x="total:Q", y=alt.value(2), text="label:N")
    chart = (curves + rules + text).add_params(pick).properties(width=440, height=240)
    return finish(
        chart,
        "A practice of 100: the bill can move by half a million pounds",
        subtitle=["Total cost of 100 ± 10 children in a year (draft contract, Annex A.2 Art. 4). Dotted: 5th,",
                  "50th, 95th, 99th percentiles. Caseloads: even = 90 to 110 equally likely; bunched near 100."],
        source=[f"{_REPORT} s.6.1.5 and Annex A.2, Art. 4", "model (shares, spread and caseload spread assumed)"],
    )


def pooling_chart(
    model: costs.CostModel | None = None,
    sizes: Sequence[int] | None = None,
    shock_cvs: Sequence[float] | None = None,
) -> alt.VConcatChart:
    """Chance that cost per child overshoots the average by 10% or 20%, against the number of children pooled.

    A radio control picks the shared yearly cost shock (none, and the low, central and high
    values of the assumption ``shared_shock_cv``); a dotted line marks the shock's own chance
    of exceeding the overshoot, the floor that pooling cannot go below.
    """
    model = costs.default_cost_model() if model is None else check_instance("model", model, costs.CostModel, "CostModel")
    named = [10, 30, 100, 300, 1000, 5000]
    if sizes is None:
        sizes = sorted(set(int(round(v)) for v in np.geomspace(10, 5000, 8)) | set(named))
    if shock_cvs is None:
        shock_cvs = (0.0, costs.default_shock_cv("low"), costs.default_shock_cv(), costs.default_shock_cv("high"))
    shock_cvs = [check_in_range("shock_cvs", cv, 0.0, 1.0) for cv in check_sequence("shock_cvs", shock_cvs, max_len=20)]
    frames = []
    for cv in shock_cvs:
        curve = costs.pooling_curve(model.with_shock(cv), sizes, (0.10, 0.20))
        frames.append(curve.assign(shock=round(100 * cv)))
    frame = pd.concat(frames, ignore_index=True)
    long = pd.concat(
        [
            frame.assign(method="exact calculation", p=100 * frame["p_exact"]),
            frame.assign(method="normal approximation", p=100 * frame["p_normal"]),
        ],
        ignore_index=True,
    ).assign(overshoot=lambda d: "more than " + (100 * d["excess"]).map("{:.0f}".format) + "% over",
             p=lambda d: d["p"].round(5))
    floors = frame.drop_duplicates(["shock", "excess"]).assign(
        floor=lambda d: (100 * d["p_shock_alone"]).round(5),
        overshoot=lambda d: "more than " + (100 * d["excess"]).map("{:.0f}".format) + "% over",
    )[["shock", "overshoot", "floor"]]
    options = [round(100 * cv) for cv in shock_cvs]
    pick = selector("ch3_shock", "Shared yearly shock (%)", options, round(100 * costs.default_shock_cv()),
                    labels=["none\u00a0\u00a0"] + [f"{o}%\u00a0\u00a0" for o in options[1:]], radio=True)
    chosen = alt.datum.shock == pick
    x = alt.X("children:Q", title="Children pooled (log scale)", scale=alt.Scale(type="log", domain=[10, 5000]),
              axis=alt.Axis(values=named, format=",.0f"))
    y = alt.Y("p:Q", title="Chance cost per child overshoots (%)", scale=alt.Scale(domain=[0, 40]))
    # Colour and the dots' shape share one domain, order and legend, so they are one legend, not two.
    overshoots = list(dict.fromkeys(long["overshoot"]))
    color = alt.Color("overshoot:N", title="Cost per child", sort=overshoots,
                      scale=alt.Scale(domain=overshoots, range=[PALETTE[0], PALETTE[1]]),
                      legend=alt.Legend(direction="vertical"))
    lines = alt.Chart(long).transform_filter(chosen).mark_line().encode(
        x=x, y=y, color=color,
        strokeDash=alt.StrokeDash("method:N", title="Method",
                                  scale=alt.Scale(domain=["exact calculation", "normal approximation"],
                                                  range=[[1, 0], [5, 4]]),
                                  legend=alt.Legend(direction="vertical", labelLimit=0)),
    )
    # The two thresholds differ by the dots' shape as well as by colour.
    shape = alt.Shape("overshoot:N", title="Cost per child", sort=overshoots,
                      scale=alt.Scale(domain=overshoots, range=["circle", "square"]),
                      legend=alt.Legend(direction="vertical"))
    points = alt.Chart(long[(long["method"] == "exact calculation") & long["children"].isin(named)]).transform_filter(
        chosen).mark_point(filled=True, size=50, opacity=1).encode(
        x=x, y=y, color=color, shape=shape,
        tooltip=[alt.Tooltip("children:Q", title="Children", format=",.0f"),
                 alt.Tooltip("overshoot:N", title="Cost per child"),
                 alt.Tooltip("p_exact:Q", title="Chance (exact)", format=".2%"),
                 alt.Tooltip("p_normal:Q", title="Chance (normal)", format=".2%"),
                 alt.Tooltip("sd_cost_per_child:Q", title="Sd of cost per child (£)", format=",.0f")],
    )
    floor = alt.Chart(floors).transform_filter(chosen).mark_rule(strokeDash=[1, 3], strokeWidth=2).encode(
        y=alt.Y("floor:Q"), color=color,
        tooltip=[alt.Tooltip("overshoot:N", title="Cost per child"),
                 alt.Tooltip("floor:Q", title="Shock alone (%)", format=".2f")],
    )
    chart = (lines + points + floor).add_params(pick).properties(width=420, height=250)
    return finish(
        chart,
        "Pooling removes the children's own variation, not a shock they share",
        subtitle=["Chance that the average cost of a fixed number of children is more than 10% or 20% above",
                  f"£{model.mean:,.0f}. Control: a yearly cost shock shared by all the children (an assumption, 2% to 10%);",
                  "dotted: the shock's own chance, the floor for a large council. Dashed: normal approximation."],
        source=[f"{_REPORT} s.6.1.5", "model (needs mix, spread and shock are assumptions); computed here"],
    )
