"""Charts for chapter 5, "Paying a practice: eleven contracts in four families".

Every chart is built from the pricing engine (:mod:`swp_models.engine`) and the grids
of :mod:`swp_models.figures.contracts_tables` (the same simulated practice-years throughout)
and returned finished: title, axes with units and a
source line. Parameters bound to the page's controls carry names starting ``ch5_``.
"""

from __future__ import annotations

import json

import altair as alt
import pandas as pd

from .. import contracts, engine, liability
from ..scenario import Scenario
from . import contracts_tables as tables
from ..charts import PALETTE, finish, selector, series_cues, slider

_SOURCE = "Simulated here (chapter 3 costs, 100 ± 10 children)"
_ASSUMED = "assumptions as logged"
_BASIS_LABELS = {
    "fixed": "Fixed each year",
    "caseload": "Follows caseload",
    "needs": "Follows needs groups",
}


def _order() -> list[str]:
    return list(engine.book(tables._scn("placements")))


#: Histogram range and bin width of the risk chart under each scope, £.
_HIST_BINS = {"placements": (1_200_000.0, 40_000.0), "social_work": (150_000.0, 5_000.0)}


def _scope_menu(name: str) -> alt.Parameter:
    """A "Pays for" radio control over the two scopes, placements first (the report's contracts)."""
    return selector(name, "Pays for", ["placements", "social_work"], "placements",
                    labels=["Social work + placements", "Social work only (as most pilots)"], radio=True)


def _row_header() -> alt.Header:
    return alt.Header(labelAngle=0, labelAlign="left", labelOrient="left", labelPadding=8, labelLimit=200,
                      labelFontSize=11, title=None)


def risk_chart() -> alt.VConcatChart:
    """Who bears the risk: the practice's surplus and the council's spend, side by side, per contract and scope."""
    frames = []
    for scope, (limit, width) in _HIST_BINS.items():
        h = tables.surplus_histograms(engine.own_costs(tables._scn(scope)), engine.book(tables._scn(scope)),
                                         limit=limit, width=width)
        frames.append(h.assign(scope=scope))
    frame = pd.concat(frames, ignore_index=True).assign(
        low=lambda d: d["low"] / 1000, high=lambda d: d["high"] / 1000, share=lambda d: d["share"].round(5)
    )
    frame = frame[frame["share"] > 0]
    parties = ["Practice's surplus", "Council's overspend"]
    # One panel per contract, the two distributions back to back: the practice's above the line, the
    # council's below it (position as well as colour tells them apart), so the chart is one column wide.
    frame = frame.assign(signed=frame["share"].where(frame["party"] == parties[0], -frame["share"]))
    pays = _scope_menu("ch5_risk_scope")
    base = alt.Chart().transform_filter(alt.datum.scope == pays)
    rects = base.mark_rect().encode(
        x=alt.X("low:Q", title="£ thousand a year", axis=alt.Axis(tickCount=5)),
        x2="high:Q",
        y=alt.Y("signed:Q", title=None, axis=None),
        y2=alt.Y2(datum=0),
        color=alt.Color("party:N", legend=None, scale=alt.Scale(domain=parties, range=[PALETTE[1], PALETTE[0]])),
        tooltip=[alt.Tooltip("contract:N", title="Contract"), alt.Tooltip("party:N", title="Who"),
                 alt.Tooltip("low:Q", title="From (£k)", format=",.0f"),
                 alt.Tooltip("high:Q", title="To (£k)", format=",.0f"),
                 alt.Tooltip("share:Q", title="Share of years", format=".1%")],
    )
    # The first panel names its two halves at the left edge (the name, not the colour, says whose);
    # the other panels carry the same names unseen, so that every panel draws every layer.
    names = base.transform_aggregate(
        top="max(signed)", bottom="min(signed)", groupby=["contract", "party"],
    ).transform_calculate(
        at=f"datum.party == {json.dumps(parties[0])} ? datum.top : datum.bottom",
        edge=f"datum.party == {json.dumps(parties[0])} ? 'top' : 'bottom'",
    )
    shown = alt.condition(alt.datum.contract == _order()[0], alt.value(1), alt.value(0))
    upper = names.transform_filter(alt.datum.edge == "top").mark_text(
        align="left", baseline="top", fontSize=12, color="#222", limit=0).encode(
        x=alt.value(0), y="at:Q", text="party:N", opacity=shown)
    lower = names.transform_filter(alt.datum.edge == "bottom").mark_text(
        align="left", baseline="bottom", fontSize=12, color="#222", limit=0).encode(
        x=alt.value(0), y="at:Q", text="party:N", opacity=shown)
    chart = alt.layer(rects, upper, lower, data=frame).properties(width=300, height=44).facet(
        row=alt.Row("contract:N", sort=_order(),
                    header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top",
                                      labelPadding=2, labelFontSize=12, title=None)),
        spacing={"row": 4},
    ).resolve_scale(y="independent").add_params(pays)
    return finish(
        chart,
        "Each contract moves the same risk between practice and council",
        subtitle=[f"Distribution over {tables._sim().n_years:,} simulated years. Above each line: the practice's "
                  "surplus; below it:",
                  "the council's spend above the expected cost. Years beyond ±£1.2m (social work only: ±£150k) are counted",
                  "in the outer bars."],
        source=[_SOURCE, _ASSUMED],
    )


def _council_cost_panel(scope: str) -> alt.LayerChart:
    """One scope's panel of :func:`council_cost_chart`."""
    table = engine.table(tables._scn(scope))
    views = {"council_cost_fixed": "Costs fixed (no effort response)",
             "council_cost_effort": "With the practice's effort response"}
    long = table.melt(id_vars=["contract", "power", "risk_premium_exact", "risk_premium_effort", "effort",
                               "effort_cost", "admin_cost"],
                      value_vars=list(views), var_name="view", value_name="cost")
    long = long.assign(view=long["view"].map(views), cost=(long["cost"] / 1e6).round(4),
                       risk_premium=lambda d: ((d["view"] == views["council_cost_fixed"]) * d["risk_premium_exact"]
                                               + (d["view"] != views["council_cost_fixed"]) * d["risk_premium_effort"])
                       .round(0),
                       admin_cost=lambda d: d["admin_cost"].round(0), power=lambda d: d["power"].round(3),
                       effort=lambda d: (100 * d["effort"]).round(1))
    long = long.drop(columns=["risk_premium_exact", "risk_premium_effort", "effort_cost"])
    order = _order()
    base = alt.Chart(long).encode(y=alt.Y("contract:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)))
    rule = base.mark_rule(color="#999", strokeWidth=2).encode(x="min(cost):Q", x2="max(cost):Q")
    points = base.mark_point(filled=True, size=90, opacity=1).encode(
        x=alt.X("cost:Q", title="Council's expected total cost (£ million a year)", scale=alt.Scale(zero=False),
                axis=alt.Axis(format=".2f" if scope == "placements" else ".3f")),
        color=alt.Color("view:N", title=None, sort=list(views.values()),
                        scale=alt.Scale(range=["#9a9a9a", PALETTE[0]]), legend=alt.Legend(labelLimit=320)),
        shape=alt.Shape("view:N", title=None, sort=list(views.values()),
                        scale=alt.Scale(range=["square", "circle"]), legend=alt.Legend(labelLimit=320)),
        tooltip=[alt.Tooltip("contract:N", title="Contract"), alt.Tooltip("view:N", title="View"),
                 alt.Tooltip("cost:Q", title="Total (£m)", format=".3f"),
                 alt.Tooltip("risk_premium:Q", title="Risk premium (£)", format=",.0f"),
                 alt.Tooltip("admin_cost:Q", title="Administration (£)", format=",.0f"),
                 alt.Tooltip("power:Q", title="Power of incentive"),
                 alt.Tooltip("effort:Q", title="Cost cut by effort (%)")],
    )
    return (rule + points).properties(width=330, height=alt.Step(26),
                                      title=alt.TitleParams(tables.scope_heading(scope), fontSize=12,
                                                            anchor="start"))


def council_cost_chart() -> alt.VConcatChart:
    """The council's expected total cost by contract, costs fixed and with effort, for each scope (two panels)."""
    chart = alt.vconcat(_council_cost_panel("placements"), _council_cost_panel("social_work"),
                        spacing=18).resolve_scale(x="independent")
    return finish(
        chart,
        "Counting the practice's effort reverses the ranking",
        subtitle=["Expected cost of the children + risk premium + administration (+ the practice's effort cost,",
                  "net of the saving it brings). Terms set so that the practice just accepts."],
        source=[_SOURCE, _ASSUMED],
    )


def frontier_chart() -> alt.VConcatChart:
    """Efficiency against risk as the practice's cost share moves from 0 to 1, with the optimum marked."""
    curves, optima = (pd.concat(parts, ignore_index=True) for parts in zip(*(
        (c.assign(scope=sc), o.assign(scope=sc)) for sc in ("placements", "social_work")
        for c, o in [tables.frontier_grid(scope=sc)])))
    names = {"gain": "Efficiency gain, net of effort cost",
             "rp": "Risk premium the council pays",
             "saving": "Council's net saving"}
    wide = pd.DataFrame({
        "scope": curves["scope"],
        "tol": (curves["tolerance"] / 1000).round(0).astype(int), "k": curves["effort_cost"], "share": curves["share"],
        "gain": (curves["efficiency_gain"] / 1000).round(1), "rp": (curves["risk_premium"] / 1000).round(1),
        "saving": (curves["net_saving"] / 1000).round(1),
    })
    opt = pd.DataFrame({
        "scope": optima["scope"],
        "tol": (optima["tolerance"] / 1000).round(0).astype(int), "k": optima["effort_cost"],
        "simulated_share": optima["simulated_share"].round(3), "closed_form_share": optima["closed_form_share"].round(3),
        "saving": (optima["net_saving_at_optimum"] / 1000).round(2),
    })
    d = tables._defaults()
    tolerances = [round(t / 1000) for t in tables.FRONTIER_TOLERANCES]
    tol = selector("ch5_frontier_tolerance", "Practice's risk tolerance (£ it can bear)", tolerances,
                   round(d["risk_tolerance"] / 1000), labels=[f"£{1000 * t:,.0f}" for t in tolerances])
    ks = list(tables.FRONTIER_EFFORT_COSTS)
    k = selector("ch5_frontier_effort", "How costly effort is to the practice", ks, d["effort_cost"],
                 labels=[f"{x:g} (a block contract cuts cost {100 / x:g}%)" for x in ks])
    pays = _scope_menu("ch5_frontier_scope")
    pick = (alt.datum.tol == tol) & (alt.expr.abs(alt.datum.k - k) < 1e-9) & (alt.datum.scope == pays)
    x = alt.X("share:Q", title="Practice's share s of over- and underspend", scale=alt.Scale(domain=[0, 1]))
    lines = alt.Chart(wide).transform_filter(pick).transform_fold(list(names), as_=["key", "value"]) \
        .transform_calculate(series=json.dumps(names) + "[datum.key]").mark_line().encode(
        x=x,
        y=alt.Y("value:Q", title="£ thousand a year"),
        color=alt.Color("series:N", title=None, sort=list(names.values()),
                        scale=alt.Scale(range=[PALETTE[2], PALETTE[3], PALETTE[0]]),
                        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=320)),
        strokeDash=alt.StrokeDash("series:N", sort=list(names.values()), legend=None,
                                  scale=alt.Scale(range=[[4, 3], [4, 3], [1, 0]])),
        tooltip=[alt.Tooltip("series:N", title="Curve"), alt.Tooltip("share:Q", title="Share s"),
                 alt.Tooltip("value:Q", title="£ thousand", format=",.1f")],
    )
    base = alt.Chart(opt).transform_filter(pick)
    closed = base.mark_rule(color="#555", strokeDash=[2, 2]).encode(
        x="closed_form_share:Q",
        tooltip=[alt.Tooltip("closed_form_share:Q", title="Closed-form optimum s*", format=".2f")],
    )
    point = base.mark_point(filled=True, size=110, color=PALETTE[0], shape="diamond").encode(
        x="simulated_share:Q", y="saving:Q",
        tooltip=[alt.Tooltip("simulated_share:Q", title="Simulated optimum", format=".2f"),
                 alt.Tooltip("saving:Q", title="Net saving (£k)", format=",.1f")],
    )
    label = base.mark_text(align="center", dy=-16, fontSize=11).encode(
        x="simulated_share:Q", y="saving:Q", text="text:N",
    ).transform_calculate(
        text="'best share ' + format(datum.simulated_share, '.2f') + ' (formula ' + "
             "format(datum.closed_form_share, '.2f') + ')'"
    )
    chart = (lines + closed + point + label).add_params(pays, tol, k).properties(width=420, height=280)
    return finish(
        chart,
        "Sharing cost trades the practice's effort against its risk",
        subtitle=[f"Cost-and-volume contract, {tables._sim().grid_years:,} simulated years. Diamond: the simulated optimum;",
                  "dotted rule: the best share by the textbook formula (see the text). Choose the scope, the",
                  "practice's risk tolerance and how costly effort is below."],
        source=[_SOURCE, "Holmström and Milgrom (1987)", _ASSUMED],
    )


def incentives_chart() -> alt.VConcatChart:
    """Caseload and skimming incentives by contract and needs group."""
    table = pd.concat([tables.skimming_table(sc).assign(scope=sc) for sc in ("placements", "social_work")],
                      ignore_index=True)
    pays = _scope_menu("ch5_incentives_scope")
    order = _order()
    groups = {"no_additional_needs": "No additional needs", "ebd_or_offending": "EBD or offending",
              "complex_needs": "Complex needs"}
    table = table.assign(group=table["group"].map(groups),
                         gain_vs_average=(table["gain_vs_average"] / 1000).round(2),
                         gain_average_child=(table["gain_average_child"] / 1000).round(2))
    caseload = table.drop_duplicates(["scope", "contract"])[["scope", "contract", "gain_average_child"]]
    y = alt.Y("contract:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    left = alt.Chart(caseload).transform_filter(alt.datum.scope == pays).mark_bar(color=PALETTE[5]).encode(
        y=y,
        x=alt.X("gain_average_child:Q", title="One more child (£k a year)"),
        tooltip=[alt.Tooltip("contract:N", title="Contract"),
                 alt.Tooltip("gain_average_child:Q", title="Gain from one more child (£k)", format=",.1f")],
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#333").encode(x="x:Q")
    left = (left + zero).properties(width=130, height=250,
                                    title=alt.TitleParams("Taking on a child", fontSize=12))
    # A dot a needs group (colour and shape), so the groups are told apart without colour.
    right = alt.Chart(table).transform_filter(alt.datum.scope == pays).mark_point(
        filled=True, size=70, opacity=1).encode(
        # its own contract names: on a phone the panels stand one above the other
        y=y,
        yOffset=alt.YOffset("group:N", sort=list(groups.values())),
        x=alt.X("gain_vs_average:Q", title="This child instead of an average one (£k a year)"),
        **series_cues("group:N", list(groups.values()), [PALETTE[2], PALETTE[1], PALETTE[3]], title="Needs group",
                      line=False, shape=True, legend=alt.Legend(labelLimit=320)),
        tooltip=[alt.Tooltip("contract:N", title="Contract"), alt.Tooltip("group:N", title="Needs group"),
                 alt.Tooltip("gain_vs_average:Q", title="Gain vs an average child (£k)", format=",.2f")],
    )
    right = (right + zero).properties(width=200, height=250,
                                      title=alt.TitleParams("Picking which child", fontSize=12))
    chart = alt.hconcat(left, right, spacing=12).add_params(pays)
    return finish(
        chart,
        "Contracts that ignore need reward turning away costly children",
        subtitle=["Change in the practice's expected surplus, £ thousand a year. Negative on the left: a reason to",
                  "keep the caseload down. Right: what choosing a child of each group is worth (skimming)."],
        source=[_SOURCE, _ASSUMED],
    )


def design_frames() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The "design your contract" grid, rounded and split in three for embedding in the page.

    Returns
    -------
    terms : pandas.DataFrame
        One row per contract on the grid: ``id``, ``scope``, ``s``, ``T`` (£), ``basis``,
        and what does not depend on the practice's risk tolerance: ``power``, ``p_loss``,
        ``p5`` (worst year in 20, £k) and ``admin`` (£k).
    costs : pandas.DataFrame
        One row per contract and risk tolerance: ``id``, ``tol`` (£k), ``rp`` (risk
        premium, £k) and the council's expected total cost with costs ``fixed`` and with
        ``effort`` response (£k a year).
    reserves : pandas.DataFrame
        One row per contract and reserve: ``key`` (``100 id + months``), ``p_fail``
        (chance of failing in a year) and ``absorbed`` (council's expected absorbed loss,
        £k a year).
    """
    g = tables.chapter_design_grid()
    keys = ["scope", "basis", "threshold", "share"]
    terms = g.drop_duplicates(keys).reset_index(drop=True)
    ids = {tuple(r): i for i, r in enumerate(terms[keys].itertuples(index=False))}
    terms_out = pd.DataFrame({
        "id": range(len(terms)), "scope": terms["scope"], "s": terms["share"].round(2),
        "T": terms["threshold"].round(0), "basis": terms["basis"], "power": terms["power"].round(3),
        "p_loss": terms["p_loss"].round(3), "p5": (terms["surplus_p5"] / 1000).round(1),
        "admin": (terms["admin_cost"] / 1000).round(1),
    })
    costs = pd.DataFrame({
        "id": [ids[tuple(r)] for r in g[keys].itertuples(index=False)],
        "tol": (g["tolerance"] / 1000).round(0).astype(int), "rp": (g["risk_premium"] / 1000).round(1),
        "fixed": (g["council_cost_fixed"] / 1000).round(1), "effort": (g["council_cost_effort"] / 1000).round(1),
    })
    reserves = pd.concat([
        pd.DataFrame({"key": terms_out["id"] * 100 + int(m), "p_fail": terms[f"p_fail_{m:g}"].round(3),
                      "absorbed": (terms[f"absorbed_{m:g}"] / 1000).round(1)})
        for m in tables.DESIGN_RESERVE_MONTHS
    ], ignore_index=True)
    return terms_out, costs, reserves


def design_chart() -> alt.VConcatChart:
    """Design your contract: share, threshold, baseline basis and risk tolerance select from a precomputed grid."""
    terms, costs, reserves = design_frames()
    d = tables._defaults()
    scope = selector("ch5_design_scope", "Pays for", list(liability.SCOPES), "placements",
                     labels=["Social work", "Social work + placements"])
    months = [int(m) for m in tables.DESIGN_RESERVE_MONTHS]
    reserve = selector("ch5_design_reserves", "Reserves", months,
                       int(contracts.assumption("reserve_months")), labels=[f"{m} months' cost" if m > 1 else "1 month's cost"
                                                                            for m in months])
    share = slider("ch5_design_share", "Practice's share beyond the threshold", 0, 1, 0.05,
                   contracts.assumption("cost_share"))
    thresholds = list(tables.DESIGN_THRESHOLDS)
    threshold = selector("ch5_design_threshold", "Threshold (practice bears all costs up to it)",
                         thresholds, 0.0, labels=[f"£{t:,.0f}" for t in thresholds])
    bases = list(tables.DESIGN_BASES)
    basis = selector("ch5_design_basis", "Baseline", bases, "fixed", labels=[_BASIS_LABELS[b] for b in bases])
    tolerances = [round(t / 1000) for t in tables.DESIGN_TOLERANCES]
    tol = selector("ch5_design_tolerance", "Risk tolerance", tolerances,
                   round(d["risk_tolerance"] / 1000), labels=[f"£{1000 * t:,.0f}" for t in tolerances])
    same = (alt.expr.abs(alt.datum.T - threshold) < 0.5) & (alt.datum.basis == basis) & (alt.datum.scope == scope)
    at_share = alt.expr.abs(alt.datum.s - share) < 1e-6
    joined = alt.Chart(costs).transform_filter(alt.datum.tol == tol).transform_lookup(
        lookup="id", from_=alt.LookupData(terms, "id", list(terms.columns[1:]))
    ).transform_filter(same).transform_calculate(key=alt.datum.id * 100 + reserve).transform_lookup(
        lookup="key", from_=alt.LookupData(reserves, "key", ["p_fail", "absorbed"])
    ).transform_calculate(
        # The same running cost under both scopes: reserves are months of it (£k).
        reserve=f"{reserve.name} * {engine.reserves(tables._scn('placements'), 1.0) / 1000:.4f}"
    )
    views = {"effort": "With effort response", "fixed": "Costs fixed"}
    curve_base = joined.transform_fold(list(views), as_=["view", "cost"]) \
        .transform_calculate(view=json.dumps(views) + "[datum.view]")
    cues = series_cues("view:N", list(views.values()), [PALETTE[0], "#9a9a9a"], shape=True)
    colour = cues["color"]
    # The cost axis is fixed for each scope (over every share, threshold, baseline and tolerance the
    # grid holds), so moving a control moves the curves, not the axis.
    span = costs.merge(terms[["id", "scope"]], on="id").melt(["scope"], ["fixed", "effort"]) \
        .groupby("scope")["value"].agg(["min", "max"])
    pad = 0.03 * (span["max"] - span["min"]).clip(lower=1.0)
    lo, hi = (span["min"] - pad).round(1), (span["max"] + pad).round(1)
    domain = " : ".join(f"{scope.name} == {json.dumps(k)} ? [{lo[k]}, {hi[k]}]" for k in span.index) \
        + f" : [{lo.min()}, {hi.max()}]"
    curves = curve_base.mark_line(clip=True).encode(
        x=alt.X("s:Q", title="Practice's share beyond the threshold", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%", values=[0, 0.25, 0.5, 0.75, 1])),
        y=alt.Y("cost:Q", title="Council's expected cost (£k a year)", scale=alt.Scale(domain=alt.ExprRef(domain))),
        color=colour, strokeDash=cues["strokeDash"],
    )
    marks = curve_base.transform_filter(at_share).mark_point(filled=True, size=100, opacity=1).encode(
        x="s:Q", y="cost:Q", color=colour, shape=cues["shape"],
        tooltip=[alt.Tooltip("view:N", title="View"), alt.Tooltip("cost:Q", title="£k a year", format=",.1f")],
    )
    top = (curves + marks).properties(width=290, height=220)
    labels = {
        "power": "Practice keeps of each £ saved",
        "p_loss": "Chance of a loss in a year",
        "p5": "Worst year in 20",
        "reserve": "Reserves",
        "p_fail": "Chance of failing in a year",
        "absorbed": "Council absorbs (a year)",
        "rp": "Risk premium",
        "admin": "Administration",
        "fixed": "Council's cost, costs fixed",
        "effort": "Council's cost, with effort",
    }
    keys = list(labels)
    readout = joined.transform_filter(at_share).transform_fold(keys, as_=["key", "value"]) \
        .transform_calculate(
            label=json.dumps(labels) + "[datum.key]",
            order=f"indexof({keys!r}, datum.key)",
            text="indexof(['power', 'p_loss', 'p_fail'], datum.key) >= 0 ? format(datum.value, '.0%') : "
                 "(datum.value < 0 ? '−£' : '£') + (abs(datum.value) >= 1000 ? "
                 "format(abs(datum.value) / 1000, '.2f') + 'm' : format(abs(datum.value), ',.1f') + 'k')",
        )
    y = alt.Y("label:N", sort=alt.EncodingSortField("order"), axis=None)
    names = readout.mark_text(align="left", fontSize=12).encode(y=y, text="label:N", x=alt.value(0))
    values = readout.mark_text(align="right", fontSize=12, fontWeight="bold").encode(
        y=y, text="text:N", x=alt.value("width"))
    bottom = (names + values).properties(width=290, height=alt.Step(18))
    chart = alt.vconcat(top, bottom, spacing=14).add_params(scope, share, threshold, basis, tol, reserve)
    return finish(
        chart,
        "Design your contract",
        subtitle=["The practice keeps or bears all over- and underspend",
                  "up to a threshold T, and a share beyond it.",
                  f"{tables._sim().grid_years:,} simulated years."],
        source=[_SOURCE, _ASSUMED],
    )


__all__ = ["risk_chart", "council_cost_chart", "frontier_chart", "incentives_chart", "design_frames", "design_chart"]
