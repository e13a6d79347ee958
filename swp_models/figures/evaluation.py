"""Tables, key results and charts for chapters 8 ("Piloting and evaluation") and 9 ("What happened").

Every number comes from :mod:`swp_models.evaluation` (and, for the book's predictions, from
:mod:`swp_models.continuity`, :mod:`swp_models.practice` and :mod:`swp_models.contracts`),
which read ``data/``. The power chart's sliders evaluate the closed-form minimum detectable
difference (``method="approximate"``) as a Vega expression, so any combination of practices,
children and years works on the static page; the tables give the exact values.
"""

from __future__ import annotations

from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd
from scipy import stats

from .. import continuity, contracts, data, engine, practice
from ..scenario import Scenario
from .. import evaluation as ev
from ..charts import PALETTE, finish, series_cues, slider
from ..tables import Table, fmt_gbp, key_results

__all__ = [
    "outcomes",
    "comparison_table",
    "key_results_piloting",
    "key_results_what_happened",
    "timeline_table",
    "what_happened_table",
    "cohort_table",
    "retrospective",
    "retrospective_table",
    "better_pilot_table",
    "simulation_table",
    "timeline_chart",
    "mdd_chart",
    "design_chart",
    "cohort_chart",
    "retrospective_chart",
    "prose_numbers_piloting",
    "prose_numbers_what_happened",
]

_TRACK_ORDER = ["report's plan", "plan", "pilots", "evaluation", "law"]
_TRACK_LABELS = {"report's plan": "Report's plan (from 2009)", "plan": "Expected dates", "pilots": "Pilots",
                 "evaluation": "Evaluation", "law": "Law"}


def _pts(x: float) -> str:
    return "not detectable" if x != x else f"{100 * x:.1f} points"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _inputs() -> dict[str, float]:
    return {k: ev.input_value(k) for k in ("icc", "alpha", "power")}


@lru_cache(maxsize=1)
def _outcomes() -> pd.DataFrame:
    council = continuity.reference_scenarios()["Council, England 2005"]
    rows = [
        ("Same social worker all year", continuity.p_same_worker(council, 1.0, False), "increase",
         "chapter 2's continuity model, council England 2005, a year later in care"),
        ("Three or more placements in the year", ev.input_value("three_plus_placements_share") / 100.0, "decrease",
         "England 2005-06 (CYP Now, secondary report of DCSF statistics)"),
    ]
    return pd.DataFrame(rows, columns=["outcome", "baseline", "direction", "basis"])


def outcomes() -> pd.DataFrame:
    """The two yes/no outcomes the power calculations use, with their baselines (proportions) and direction."""
    return _outcomes().copy()


def _design() -> dict[str, int]:
    return {
        "practices": int(data.value(ev.PILOTS_TABLE, measure="pilots_total_report")),
        "kinds": 3,
        "controls": int(data.value(ev.PILOTS_TABLE, measure="comparison_controls_report")),
        "children": int(data.value("practice_design", parameter="caseload_children")),
        "years": int(data.value(ev.PILOTS_TABLE, measure="pilot_length_min_report")),
    }


def _report_design() -> ev.PilotDesign:
    """The report's design (its practices, children and years) with the chapter's ICC and significance level."""
    d, a = _design(), _inputs()
    return ev.PilotDesign(d["practices"], d["children"], d["years"], a["icc"], a["alpha"])


@lru_cache(maxsize=1)
def _comparisons() -> pd.DataFrame:
    d, a = _design(), _inputs()
    parts = []
    for o in _outcomes().itertuples():
        c = ev.comparisons(o.baseline, d["practices"], d["kinds"], d["controls"], d["children"], d["years"],
                           a["icc"], a["alpha"], a["power"], o.direction)
        parts.append(c.assign(outcome=o.outcome))
    return pd.concat(parts, ignore_index=True)


def comparison_table() -> Table:
    """Minimum detectable difference of each comparison in the report's design, for both outcomes."""
    c = _comparisons()
    o = _outcomes().set_index("outcome")
    wide = c.pivot_table(index=["comparison", "pilot_practices", "control_teams"], columns="outcome", values="mdd",
                         sort=False).reset_index()
    frame = pd.DataFrame({
        "Comparison": wide["comparison"],
        "Practices": wide["pilot_practices"].astype(int).astype(str),
        "Control teams": wide["control_teams"].astype(int).astype(str),
        **{f"{name} (now {_pct(o.loc[name, 'baseline'])})": wide[name].map(_pts) for name in o.index},
    })
    a = _inputs()
    return Table(frame, caption="The smallest difference each comparison could detect (percentage points)",
                 notes=(f"Nine practices of 100 children for two years; each control offers as many teams of 100 as "
                        f"there are practices. ICC {a['icc']:g}, two-sided significance {a['alpha']:g}, power "
                        f"{a['power']:g} (assumptions). Exact z-test solution."))


@lru_cache(maxsize=1)
def _predicted() -> pd.DataFrame:
    p = ev.predicted_effects()
    a = _inputs()
    d = _design()
    p["mdd_report"] = [ev.minimum_detectable_difference(r.baseline, _report_design(), a["power"])
                       for r in p.itertuples()]
    p["mdd_actual"] = [ev.actual_design(r.baseline)["mdd"] for r in p.itertuples()]
    p["practices_needed"] = [ev.practices_needed(r.difference, r.baseline, d["children"], d["years"], a["icc"],
                                                 a["alpha"], a["power"]) for r in p.itertuples()]
    return p


def key_results_piloting() -> Table:
    """Chapter 8's key results."""
    d, a = _design(), _inputs()
    c = _comparisons()
    first = _outcomes().iloc[0]
    same = c[c["outcome"] == first["outcome"]].set_index("comparison")["mdd"]
    place = c[c["outcome"] != first["outcome"]].set_index("comparison")["mdd"]
    p = _predicted()
    plan = ev.plan_timeline()
    sim = _simulation()
    de = ev.design_effect(d["children"] * d["years"], a["icc"])
    dc = ev.design_comparison(iccs=(a["icc"],), baseline=float(first["baseline"]))
    par = dc.set_index("design")["mdd"]
    return key_results([
        ("Pilots in the report's plan, each running at least two years from full allocation",
         f"{d['practices']} ({d['kinds']} kinds x {d['practices'] // d['kinds']})", "Recommendations 9-10"),
        ("The report's plan for a start in January 2009: councils chosen from / two years from full allocation end",
         f"{plan['start'].min():%b %Y} to {plan['end'].max():%b %Y}", "s.9.4, Recommendation 9; Q224",
         "build-up of the caseload"),
        ("Design effect for 100 children a practice over two years", f"{de:.1f}", "1 + (m - 1) ICC, m = 200 child-years",
         "intra-practice correlation"),
        ("Smallest detectable difference, same social worker all year: all nine practices against one control / "
         "the three controls pooled", f"{100 * same.iloc[1]:.1f} / {100 * same.iloc[0]:.1f} points",
         f"baseline {_pct(first['baseline'])} (chapter 2's council model)", "intra-practice correlation"),
        ("... one kind of provider (three practices) against its own matched teams", f"{100 * same.iloc[3]:.1f} points",
         "same", "intra-practice correlation"),
        ("Smallest detectable fall in three or more placements (baseline 12%), nine practices against one control",
         f"{100 * place.iloc[1]:.1f} points", "CYP Now (secondary, 2005-06)", "intra-practice correlation"),
        ("Chapter 2's predicted continuity gain, and whether nine practices could detect it",
         f"{100 * p['difference'].iloc[0]:.1f} points: {'yes' if p['difference'].iloc[0] > p['mdd_report'].iloc[0] else 'no'}",
         "continuity model: council against practice scenario", "practice turnover and hand-offs"),
        ("The outcome contract's effort effect, and whether nine practices could detect it",
         f"{100 * p['difference'].iloc[1]:.1f} points: {'yes' if p['difference'].iloc[1] > p['mdd_report'].iloc[1] else 'no'}",
         "chapter 5's outcome contract", "effort gain and effort"),
        ("Practices per arm needed to detect the outcome contract's effect (100 children, two years)",
         "more than 2,000" if p["practices_needed"].iloc[1] is None else f"{p['practices_needed'].iloc[1]:,}",
         "exact z-test", "intra-practice correlation"),
        ("Simulated power at the computed minimum detectable difference (nominal 80%)",
         f"{100 * sim.iloc[0]['power']:.1f}% (Monte Carlo error {100 * sim.iloc[0]['se']:.1f})",
         "20,000 simulated pilots, beta-binomial"),
        ("Same design, staggered start instead of parallel groups (18 teams, four periods of 50 children)",
         f"{100 * par['stepped']:.1f} points instead of {100 * par['parallel']:.1f}", "generalised least squares",
         "intra-practice correlation"),
    ], caption="Key results: what a pilot of nine practices could detect")


def key_results_what_happened() -> Table:
    """Chapter 9's key results."""
    f = ev.what_happened()

    def v(measure: str, pilot: str = "all") -> float:
        return float(f[(f["measure"] == measure) & (f["pilot"] == pilot)]["value"].iloc[0])

    cohorts = ev.actual_cohorts()
    first = _outcomes().iloc[0]
    act = ev.actual_design(float(first["baseline"]))
    p = _predicted()
    r = retrospective()
    counts = r["verdict"].value_counts()
    return key_results([
        ("Councils that asked to pilot / chosen in 2008", f"{v('councils_interested'):.0f} / {v('councils_selected'):.0f}",
         "Community Care, 11 December 2008"),
        ("Pilots that started (December 2009 to May 2010)", f"{v('pilots_started'):.0f}", "Stanley et al. (2012)"),
        ("Children in the four cohorts the evaluation's summary sizes", f"{cohorts['children'].sum():,} "
         f"({cohorts['children'].min()} to {cohorts['children'].max()} a pilot)", "Stanley et al. (2012), summary"),
        ("Councils that withdrew: first wave / second wave", f"{v('pilots_withdrawn_first_wave'):.0f} / "
         f"{v('second_wave_withdrawn'):.0f}", "Community Care, 2010 and 2011"),
        ("Central funding, first wave / grant per second-wave site",
         f"£{v('funding_first_wave'):.0f}m / {fmt_gbp(v('second_wave_grant'))}", "Community Care, 2009 and 2011"),
        ("Pilots that held the placement budget", f"{v('placement_budget_held'):.0f}", "Community Care (2013), Stanley"),
        ("Evaluation period", f"{v('evaluation_period_months'):.0f} months (Dec 2009 to Mar 2012)",
         "Stanley et al. (2012)"),
        ("Smallest detectable difference in the same worker all year with the pilots' own cohorts (four pilots, "
         "two years) / the report's nine", f"{100 * act['mdd']:.1f} / {100 * act['mdd_report_design']:.1f} points",
         "computed; matched control teams assumed", "intra-practice correlation"),
        ("Chapter 2's predicted continuity gain against that threshold",
         f"{100 * p['difference'].iloc[0]:.1f} points: {'detectable' if p['difference'].iloc[0] > act['mdd'] else 'not detectable'}",
         "continuity model", "practice turnover and hand-offs"),
        ("The book's predictions: confirmed / contradicted / not measurable",
         " / ".join(str(int(counts.get(k, 0))) for k in ("confirmed", "contradicted", "not measurable")),
         "retrospective table below"),
    ], caption="Key results: the pilots as they ran")


def timeline_table() -> Table:
    """Every dated event of the timeline with its source."""
    t = ev.timeline()
    frame = pd.DataFrame({
        "Track": t["track"].map(_TRACK_LABELS),
        "What": t["label"],
        "When": [s.strftime("%d %b %Y" if p == "day" else "%b %Y" if p == "month" else "%Y")
                 + ("" if e == s else " to " + e.strftime("%d %b %Y" if p == "day" else "%b %Y" if p == "month" else "%Y"))
                 for s, e, p in zip(t["start"], t["end"], t["precision"])],
        "Source": t["source"],
    })
    return Table(frame, caption="The timeline, event by event",
                 notes="Report's plan: phases computed from the report's durations (data/pilots.csv) for a start in "
                       "January 2009; the build-up of the caseload is an assumption. Other rows: data/pilot_timeline.csv.")


def what_happened_table() -> Table:
    """Every row of ``data/pilots_what_happened.csv`` with its figure, words and citation."""
    f = ev.what_happened()

    def fig(r) -> str:
        if r.measure.startswith("finding_"):
            return "(finding in words)"
        if r.unit == "GBP million":
            return f"£{r.value:,.0f}m"
        if r.unit == "GBP":
            return fmt_gbp(r.value)
        unit = "" if r.unit == "count" else f" {r.unit}"
        if r.low == r.low and r.high == r.high:
            return f"{r.low:,.0f}-{r.high:,.0f}{unit}"
        return ("over " if r.approx and r.low == r.low else "") + f"{r.value:,.0f}{unit}"

    frame = pd.DataFrame({
        "Pilot": f["pilot"],
        "What": f["value_means"].where(~f["measure"].str.startswith("finding_"), "finding"),
        "Figure": [fig(r) for r in f.itertuples()],
        "Source's words": f["quote"],
        "Source": [ev._short_cite(c) + ", " + loc for c, loc in zip(f["citation"], f["location"])],
    })
    return Table(frame, caption="What happened, row by row (data/pilots_what_happened.csv)",
                 notes="SWP E's cohort and SWP D's ages were not read and are left out.")


def cohort_table() -> Table:
    """The four cohorts the evaluation's summary gives."""
    c = ev.actual_cohorts()
    frame = pd.DataFrame({
        "Pilot": c["pilot"], "Run by": c["provider"], "Children at start": c["children"].map(lambda x: f"{x:,}"),
        "Ages": [("not read" if lo != lo else f"{lo:.0f}-{hi:.0f}") for lo, hi in zip(c["age_min"], c["age_max"])],
    })
    return Table(frame, caption="The pilots' cohorts", notes="Stanley et al. (2012), executive summary. SWP E not read.")


@lru_cache(maxsize=1)
def _retrospective() -> pd.DataFrame:
    f = ev.what_happened().set_index("measure")
    q = lambda m: f.loc[m, "quote"]  # noqa: E731
    p = _predicted()
    first = _outcomes().iloc[0]
    act = ev.actual_design(float(first["baseline"]))
    s = practice.summary(practice.PracticeDesign(), practice.salary_scale(), practice.Overheads(), practice.child_cost())
    priced = engine.table(Scenario.central(scope="placements"))
    table = priced.set_index("family")
    block = table.loc["block"] if "block" in table.index else priced.iloc[0]
    turnover = continuity.assumption("practice_turnover")
    eng = continuity.scenario_from_data("England")
    rows = [
        ("Chapter 2: a child in a practice keeps one worker all year far more often",
         f"{_pct(p['baseline'].iloc[0])} in a council against {_pct(p['predicted'].iloc[0])} in a practice",
         f"'{q('finding_continuity')}' (Stanley, 2013); '{q('finding_children_understanding')}' (early findings)",
         "confirmed",
         f"Same direction. The summary read gives no rate to set beside the size; with the pilots' own cohorts a gain "
         f"above {_pts(act['mdd'])} was detectable, and the predicted {_pts(p['difference'].iloc[0])} is "
         f"{'above' if p['difference'].iloc[0] > act['mdd'] else 'below'} it."),
        ("Chapter 2: practice staff turnover well below the council's",
         f"{turnover:g}% a year against {100 * eng.turnover:.0f}% (an assumption)",
         f"'{q('finding_staff')}' (2,050 staff)",
         "not measurable",
         "Job control and burnout showed no significant difference; the turnover figures themselves were not read, "
         "so the assumption is neither confirmed nor contradicted."),
        ("Chapter 4: a practice costs about the same to run as the council's social work it replaces, plus its own "
         "overheads", f"{fmt_gbp(s['cost_per_child'])} per child a year, of which {fmt_gbp(s['out_of_scope'])} on top",
         f"'{q('finding_cost')}' (Unison, reading the evaluation)",
         "not measurable",
         "A statement about commissioners' views, not budgets; consistent with a small difference but not a test of it."),
        ("Chapter 5: the contract's risk sits with the practice because it holds the placement budget",
         f"block contract: chance of a loss {_pct(block['practice_p_loss'])}, spread of the surplus "
         f"{fmt_gbp(block['practice_sd_surplus'])} a year",
         f"'{q('placement_budget_held')}' (Stanley, 2013); '{q('finding_placement_budgets')}' (early findings)",
         "contradicted",
         "The pilots did not take the scope the book prices: in all but one the council kept the placement budget, "
         "so the cost risk the book models stayed with the councils."),
        ("Chapter 5: a small practice is financially fragile",
         f"the same {_pct(block['practice_p_loss'])} chance of a loss in a year",
         f"'{q('finding_viability')}' (Unison, citing the evaluation)",
         "confirmed",
         "Only the direction can be compared: the evaluation raised the viability of small practices, but with the "
         "council keeping the placement budget in four of five pilots the risk cannot have been the placement-cost "
         "risk the book prices."),
        ("Chapter 5: an outcome bonus for continuity moves the indicator",
         f"{_pts(p['difference'].iloc[1])} from the assumed effort",
         f"'{q('finding_outperform')}' (Stanley, 2013)",
         "not measurable",
         f"Below what even the report's nine practices could detect ({_pts(p['mdd_report'].iloc[1])}), and far below the "
         f"pilots' own threshold ({_pts(p['mdd_actual'].iloc[1])})."),
    ]
    return pd.DataFrame(rows, columns=["prediction", "book_figure", "finding", "verdict", "reason"])


def retrospective() -> pd.DataFrame:
    """The book's predictions beside the findings: columns ``prediction``, ``book_figure``, ``finding``, ``verdict``, ``reason``."""
    return _retrospective().copy()


def retrospective_table() -> Table:
    """The retrospective as a page table."""
    r = retrospective()
    frame = pd.DataFrame({"The book predicted": r["prediction"], "Its figure": r["book_figure"],
                          "What the pilots found": r["finding"], "Verdict": r["verdict"], "Why": r["reason"]})
    return Table(frame, caption="The book's predictions beside what the pilots found",
                 notes="Book figures computed now by the continuity, practice-budget and contract models; findings "
                       "from data/pilots_what_happened.csv.")


def better_pilot_table() -> Table:
    """Practices per arm needed to detect each predicted effect, by ICC and length."""
    p = _predicted()
    a = _inputs()
    d = _design()
    rows = []
    for r in p.itertuples():
        for icc in (0.01, a["icc"], 0.1):
            for years in (2, 4):
                k = ev.practices_needed(r.difference, r.baseline, d["children"], years, icc, a["alpha"], a["power"])
                rows.append((r.effect, f"{100 * r.difference:.1f} points", f"{icc:g}", str(years),
                             "more than 2,000" if k is None else f"{k:,}"))
    frame = pd.DataFrame(rows, columns=["Effect", "Size", "ICC", "Years", "Practices per arm"])
    return Table(frame, caption="Practices of 100 children needed per arm (with as many control teams)",
                 notes="Exact z-test, two-sided 5%, power 80%. ICC 0.01 and 0.1 bracket the assumed 0.05.")


@lru_cache(maxsize=1)
def _simulation() -> pd.DataFrame:
    d, a = _design(), _inputs()
    first = _outcomes().iloc[0]
    p0 = float(first["baseline"])
    mdd = ev.minimum_detectable_difference(p0, _report_design(), a["power"])
    rows = []
    for label, diff, test in [("At the MDD, the design-effect z-test", mdd, "design_effect"),
                              ("At the MDD, a t-test on practice shares", mdd, "cluster_t"),
                              ("No true difference, the design-effect z-test", 0.0, "design_effect")]:
        s = ev.simulate_power(diff, p0, _report_design(), n_sims=20_000, seed=ev.CHAPTER_SEED, test=test)
        nominal = a["power"] if diff else a["alpha"]
        rows.append({"check": label, "nominal": nominal, "power": s.power, "se": s.se})
    return pd.DataFrame(rows)


def simulation_table() -> Table:
    """The closed form against 20,000 simulated pilots."""
    s = _simulation()
    frame = pd.DataFrame({
        "Check": s["check"], "Formula": s["nominal"].map(_pct), "Simulated": s["power"].map(_pct),
        "Monte Carlo error": s["se"].map(lambda x: f"{100 * x:.2f} points"),
        "Gap in errors": ((s["power"] - s["nominal"]) / s["se"]).map(lambda x: f"{x:+.1f}"),
    })
    return Table(frame, caption="The formula against 20,000 simulated pilots of nine practices",
                 notes="Beta-binomial practices with the assumed ICC; the t-test row shows what an evaluator who must "
                       "estimate the clustering from nine practices would get.")


# ---------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------


def _epoch_ms(day: str) -> int:
    """Milliseconds since 1970-01-01 UTC at the start of ``day`` (a temporal scale's domain as one number type)."""
    return int(pd.Timestamp(day, tz="UTC").value // 1_000_000)


def timeline_chart() -> alt.VConcatChart:
    """The plan and what happened, one row per event, one named panel per track (from data)."""
    t = ev.timeline()
    t = t.assign(track_label=t["track"].map(_TRACK_LABELS),
                 start_s=t["start"].dt.strftime("%Y-%m-%d"), end_s=t["end"].dt.strftime("%Y-%m-%d"),
                 order=range(len(t)))
    labels = t["label"].tolist()
    tracks = [_TRACK_LABELS[k] for k in _TRACK_ORDER]
    colour = alt.Color("track_label:N", legend=None, sort=tracks,
                       scale=alt.Scale(domain=tracks,
                                       range=[PALETTE[1], "#999999", PALETTE[0], PALETTE[2], PALETTE[3]]))
    tip = [alt.Tooltip("label:N", title="What"), alt.Tooltip("start_s:N", title="From"),
           alt.Tooltip("end_s:N", title="To"), alt.Tooltip("source:N", title="Source")]
    y = alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=160))
    # The date range as domainMin/domainMax in milliseconds, on the bars' layer only (the dots share that
    # scale): a date-string or DateTime "domain" in a layer is merged by Vega-Lite with a warning.
    x = alt.X("start_s:T", title="Year", axis=alt.Axis(format="%Y", tickCount=5),
              scale=alt.Scale(domainMin=_epoch_ms("2008-01-01"), domainMax=_epoch_ms("2017-06-30")))
    # One mark: a round-capped rule from start to end, so a date (start and end equal) is a dot and a
    # period a bar; one layer, so the panels' own event scales come from one data source.
    bars = alt.Chart(t).mark_rule(strokeWidth=9, strokeCap="round").encode(
        y=y, x=x, x2="end_s:T", color=colour, tooltip=tip)
    # One panel a track, each named above it: the track is read from its name, not the colour.
    chart = bars.properties(width=165, height=alt.Step(14)).facet(
        row=alt.Row("track_label:N", sort=tracks, title=None,
                    header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight="bold",
                                      labelPadding=2)),
        spacing={"row": 6},
    ).resolve_scale(y="independent")
    return finish(chart, "Planned for 2009-11, evaluated 2009-12",
                  subtitle=["Plans, pilots, evaluation and law, 2008-2017.", "Bars: periods; dots: dates. Hover for sources."],
                  source=["the table below, row by row", "build-up assumed"])


def mdd_chart() -> alt.VConcatChart:
    """MDD against the ICC for both outcomes, with sliders for practices, children and years (closed form)."""
    o = _outcomes()
    a = _inputs()
    d = _design()
    zsum = float(stats.norm.isf(a["alpha"] / 2) + stats.norm.ppf(a["power"]))
    iccs = np.round(np.arange(0.0, 0.3001, 0.005), 3)
    grid = pd.DataFrame([(o_.outcome, float(o_.baseline), float(i), zsum) for o_ in o.itertuples() for i in iccs],
                        columns=["outcome", "p0", "icc", "zsum"])
    k = slider("ch8_practices", "Practices (and as many control teams)", 2, 30, 1, d["practices"])
    m = slider("ch8_children", "Children per practice", 25, 200, 25, d["children"])
    yrs = slider("ch8_years", "Years", 1, 5, 1, d["years"])
    rho = slider("ch8_icc", "Intra-practice correlation", 0.0, 0.3, 0.005, a["icc"])
    expr = ("100 * datum.zsum * sqrt(datum.p0 * (1 - datum.p0) * 2 * (1 + (ch8_children * ch8_years - 1) * datum.icc)"
            " / (ch8_practices * ch8_children * ch8_years))")
    # One colour scale and legend for every layer; the outcomes also differ by line style and by the
    # shape of the dot at the chosen ICC, so colour is never the only cue.
    outcomes = o["outcome"].tolist()
    legend = alt.Legend(orient="bottom", columns=1, symbolStrokeWidth=2)
    colour = alt.Color("outcome:N", title=None, sort=outcomes, scale=alt.Scale(domain=outcomes), legend=legend)
    dash = alt.StrokeDash("outcome:N", title=None, sort=outcomes,
                          scale=alt.Scale(domain=outcomes, range=[[1, 0], [6, 3]]), legend=legend)
    shape = alt.Shape("outcome:N", title=None, sort=outcomes,
                      scale=alt.Scale(domain=outcomes, range=["circle", "square"]), legend=legend)
    line = alt.Chart(grid).transform_calculate(mdd=expr).mark_line().encode(
        x=alt.X("icc:Q", title="Intra-practice correlation (ICC)", scale=alt.Scale(domain=[0, 0.3])),
        y=alt.Y("mdd:Q", title="Smallest detectable difference (points)", scale=alt.Scale(domain=[0, 60], clamp=True)),
        color=colour, strokeDash=dash,
        tooltip=[alt.Tooltip("outcome:N", title="Outcome"), alt.Tooltip("icc:Q", title="ICC", format=".3f"),
                 alt.Tooltip("mdd:Q", title="Points", format=".1f")],
    )
    p = ev.predicted_effects()
    effects = pd.DataFrame({"y": 100 * p["difference"],
                            "t": [f"continuity gain {100 * p['difference'].iloc[0]:.1f}",
                                  f"outcome-contract effect {100 * p['difference'].iloc[1]:.1f}"]})
    rules = alt.Chart(effects).mark_rule(strokeDash=[4, 3], color="#333").encode(y="y:Q")
    texts = alt.Chart(effects).mark_text(align="right", baseline="bottom", dy=-2, fontSize=10, limit=0).encode(
        y="y:Q", x=alt.value("width"), text="t:N")
    icc_rule = alt.Chart(pd.DataFrame({"x": [0.0]})).transform_calculate(x="ch8_icc").mark_rule(color="#999").encode(
        x="x:Q")
    here = alt.Chart(grid).transform_calculate(mdd=expr).transform_filter("abs(datum.icc - ch8_icc) < 0.0001")
    dots = here.mark_point(filled=True, size=50).encode(x="icc:Q", y="mdd:Q", color=colour, shape=shape)
    labels = here.mark_text(align="left", dx=6, dy=-6, fontSize=11, fontWeight="bold").encode(
        x="icc:Q", y="mdd:Q", text=alt.Text("mdd:Q", format=".1f"), color=colour)
    chart = (icc_rule + line + rules + texts + dots + labels).properties(width=270, height=250).add_params(
        k, m, yrs, rho)
    return finish(chart, "What nine practices can detect",
                  subtitle=["Against matched controls; 5% two-sided, power 80%,", "closed form. Dashed: the book's "
                            "predicted effects.", "Grey line and labels: the ICC slider."],
                  source=["Le Grand (2007) s.9", "chapter 2", "CYP Now", "assumptions"])


def design_chart() -> alt.VConcatChart:
    """Parallel, controlled before-and-after and staggered designs on the same teams, with an ICC slider."""
    o = _outcomes().iloc[0]
    iccs = [round(x, 2) for x in np.arange(0.0, 0.301, 0.01)]
    g = ev.design_comparison(iccs=iccs, baseline=float(o["baseline"]))
    names = {"parallel": "Parallel groups", "before_after": "Before-after", "stepped": "Staggered start"}
    g = g.assign(design_label=g["design"].map(names), pts=100 * g["mdd"])
    icc = slider("ch8_design_icc", "Intra-practice correlation", 0.0, 0.3, 0.01, ev.input_value("icc"))
    bars = alt.Chart(g).transform_filter(f"abs(datum.icc - ch8_design_icc) < 0.001").mark_bar().encode(
        y=alt.Y("design_label:N", title=None, sort=list(names.values()), axis=alt.Axis(labelLimit=110)),
        x=alt.X("pts:Q", title="Detectable difference (points)", scale=alt.Scale(domain=[0, 32])),
        color=alt.Color("design_label:N", legend=None, sort=list(names.values())),
        tooltip=[alt.Tooltip("design_label:N", title="Design"), alt.Tooltip("pts:Q", title="Points", format=".1f")],
    )
    text = alt.Chart(g).transform_filter(f"abs(datum.icc - ch8_design_icc) < 0.001").mark_text(
        align="left", dx=4, fontSize=11).encode(y=alt.Y("design_label:N", sort=list(names.values())), x="pts:Q",
                                                 text=alt.Text("pts:Q", format=".1f"))
    chart = (bars + text).properties(width=200, height=alt.Step(34)).add_params(icc)
    return finish(chart, "Staggering protects a small pilot",
                  subtitle=["18 teams, four periods of 50 children;", "same social worker all year.",
                            "The slider sets the ICC."],
                  source=["Hussey and Hughes (2007) model", "chapter 2", "assumptions"])


def cohort_chart() -> alt.VConcatChart:
    """The four cohorts against the planned 100-200 children a practice."""
    c = ev.actual_cohorts()
    f = ev.what_happened().set_index("measure")
    lo, hi = float(f.loc["children_per_practice_planned", "low"]), float(f.loc["children_per_practice_planned", "high"])
    c = c.assign(label=c["pilot"],
                 ages=[("ages not read" if a != a else f"ages {a:.0f}-{b:.0f}") for a, b in zip(c["age_min"], c["age_max"])])
    band = alt.Chart(pd.DataFrame({"a": [lo], "b": [hi]})).mark_rect(color="#eeeeee").encode(x="a:Q", x2="b:Q")
    band_text = alt.Chart(pd.DataFrame({"a": [(lo + hi) / 2], "t": ["planned 100-200"]})).mark_text(
        baseline="bottom", dy=-2, fontSize=10, color="#555").encode(x="a:Q", y=alt.value(0), text="t:N")
    bars = alt.Chart(c).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort=c["label"].tolist()),
        x=alt.X("children:Q", title="Children and young people at start", scale=alt.Scale(domain=[0, 800])),
        tooltip=[alt.Tooltip("label:N", title="Pilot"), alt.Tooltip("provider:N", title="Run by"),
                 alt.Tooltip("children:Q", title="Children"), alt.Tooltip("ages:N", title="Ages")])
    text = alt.Chart(c).mark_text(align="left", dx=3, fontSize=10).encode(
        y=alt.Y("label:N", sort=c["label"].tolist()), x="children:Q", text="ages:N")
    chart = (band + band_text + bars + text).properties(width=250, height=alt.Step(30))
    return finish(chart, "Four pilots, four sizes",
                  subtitle=["Cohort at start-up; SWP C grew to 727", "by November 2011. SWP E not read."],
                  source=["Stanley et al. (2012)", "Community Care (2009)"])


def retrospective_chart() -> alt.VConcatChart:
    """The predicted effects against what the report's design and the pilots as run could detect (ICC slider)."""
    p = _predicted()
    a, d = _inputs(), _design()
    cohorts = ev.actual_cohorts()["children"].tolist()
    years = int(data.value(ev.HAPPENED_TABLE, measure="evaluation_period_months", pilot="all") // 12)
    whats = ["Predicted effect", "Detectable: report's nine practices", "Detectable: the pilots as run"]
    rows = []
    for icc in [round(x, 2) for x in np.arange(0.0, 0.301, 0.01)]:
        for r in p.itertuples():
            name = "Continuity gain" if r.Index == 0 else "Outcome effect"
            report = ev.minimum_detectable_difference(
                r.baseline, ev.PilotDesign(d["practices"], d["children"], d["years"], icc, a["alpha"]), a["power"])
            actual = ev.minimum_detectable_difference(
                r.baseline, ev.PilotDesign(len(cohorts), cohorts, years, icc, a["alpha"]), a["power"])
            rows += [(icc, name, whats[0], 100 * r.difference), (icc, name, whats[1], 100 * report),
                     (icc, name, whats[2], 100 * actual)]
    g = pd.DataFrame(rows, columns=["icc", "effect", "what", "pts"]).dropna()
    rho = slider("ch9_icc", "Intra-practice correlation", 0.0, 0.3, 0.01, a["icc"])
    chart = alt.Chart(g).transform_filter("abs(datum.icc - ch9_icc) < 0.001").mark_point(filled=True, size=90).encode(
        y=alt.Y("effect:N", title=None, axis=alt.Axis(labelLimit=110)),
        x=alt.X("pts:Q", title="Percentage points", scale=alt.Scale(domain=[0, 50], clamp=True)),
        **series_cues("what:N", whats, line=False, shape=True,
                      legend=alt.Legend(orient="bottom", columns=1)),
        tooltip=[alt.Tooltip("effect:N", title="Effect"), alt.Tooltip("what:N", title="Value"),
                 alt.Tooltip("pts:Q", title="Points", format=".1f")],
    ).properties(width=230, height=alt.Step(40)).add_params(rho)
    return finish(chart, "What the pilots could see",
                  subtitle=["Same social worker all year, points. Detectable:", "5% two-sided, power 80%. "
                            "The slider sets the ICC."],
                  source=["chapters 2 and 5", "Stanley et al. (2012)", "assumptions"])


# ---------------------------------------------------------------------------------------
# Numbers quoted in the chapters' prose (glued into the text, so the words follow the models)
# ---------------------------------------------------------------------------------------


def prose_numbers_piloting() -> dict[str, str]:
    """Formatted figures that chapter 8's text quotes, keyed by the name the page glues them under."""
    d, a = _design(), _inputs()
    c = _comparisons()
    first = _outcomes().iloc[0]
    same = c[c["outcome"] == first["outcome"]].set_index("comparison")["mdd"]
    place = c[c["outcome"] != first["outcome"]].set_index("comparison")["mdd"]
    p = _predicted()
    plan = ev.plan_timeline()
    sim = _simulation()
    par = ev.design_comparison(iccs=(a["icc"],), baseline=float(first["baseline"])).set_index("design")["mdd"]
    need = p["practices_needed"].iloc[1]
    return {
        "ch8_council_p": _pct(p["baseline"].iloc[0]),
        "ch8_practice_p": _pct(p["predicted"].iloc[0]),
        "ch8_gain": f"{100 * p['difference'].iloc[0]:.1f}",
        "ch8_outcome_base": _pct(p["baseline"].iloc[1]),
        "ch8_outcome_p": _pct(p["predicted"].iloc[1]),
        "ch8_outcome_gain": f"{100 * p['difference'].iloc[1]:.1f}",
        "ch8_de": f"{ev.design_effect(d['children'] * d['years'], a['icc']):.2f}",
        "ch8_eff_n": f"{d['practices'] * d['children'] * d['years'] / ev.design_effect(d['children'] * d['years'], a['icc']):,.0f}",
        "ch8_mdd_one": f"{100 * same.iloc[1]:.1f}",
        "ch8_mdd_pooled": f"{100 * same.iloc[0]:.1f}",
        "ch8_mdd_kind": f"{100 * same.iloc[3]:.1f}",
        "ch8_mdd_kind_pooled": f"{100 * same.iloc[2]:.1f}",
        "ch8_mdd_place": f"{100 * place.iloc[1]:.1f}",
        "ch8_need": "more than 2,000" if need is None else f"{need:,}",
        "ch8_sim": f"{100 * sim.iloc[0]['power']:.1f}%",
        "ch8_sim_t": f"{100 * sim.iloc[1]['power']:.1f}%",
        "ch8_stepped": f"{100 * par['stepped']:.1f}",
        "ch8_parallel": f"{100 * par['parallel']:.1f}",
        "ch8_before_after": f"{100 * par['before_after']:.1f}",
        "ch8_plan_first": f"{plan['start'].min():%B %Y}",
        "ch8_plan_end": f"{plan['end'].max():%B %Y}",
    }


def prose_numbers_what_happened() -> dict[str, str]:
    """Formatted figures that chapter 9's text quotes, keyed by the name the page glues them under."""
    first = _outcomes().iloc[0]
    act = ev.actual_design(float(first["baseline"]))
    p = _predicted()
    cohorts = ev.actual_cohorts()
    r = retrospective()["verdict"].value_counts()
    return {
        "ch9_children": f"{cohorts['children'].sum():,}",
        "ch9_mdd_actual": f"{100 * act['mdd']:.1f}",
        "ch9_mdd_report": f"{100 * act['mdd_report_design']:.1f}",
        "ch9_gain": f"{100 * p['difference'].iloc[0]:.1f}",
        "ch9_gain_side": "above" if p["difference"].iloc[0] > act["mdd"] else "below",
        "ch9_gain_shown": ("a gain of that size would have shown" if p["difference"].iloc[0] > act["mdd"]
                           else "even a gain of that size could have been missed"),
        "ch9_outcome_gain": f"{100 * p['difference'].iloc[1]:.1f}",
        "ch9_outcome_mdd": f"{100 * p['mdd_actual'].iloc[1]:.1f}",
        "ch9_confirmed": str(int(r.get("confirmed", 0))),
        "ch9_contradicted": str(int(r.get("contradicted", 0))),
        "ch9_not_measurable": str(int(r.get("not measurable", 0))),
    }
