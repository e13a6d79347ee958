"""Tables, key results and charts for chapters 8 ("Piloting and evaluation") and 9 ("What happened").

Every number comes from :mod:`swp_models.evaluation` (and, for the book's predictions, from
:mod:`swp_models.continuity`, :mod:`swp_models.outcomes`, :mod:`swp_models.practice` and the pricing
engine), which read ``data/``. Every function takes the :class:`~swp_models.scenario.Scenario` it
shows (default :meth:`~swp_models.scenario.Scenario.central`): its ICC is the clustering, its ``continuity_reading`` and
``effort_model`` pick the headline predicted effects, and its seed the simulations' streams. The
power chart's curves are the exact minimum detectable difference
(:func:`~swp_models.evaluation.minimum_detectable_difference`), computed here for every position of
its sliders, so the static page shows the same numbers as the tables.
"""

from __future__ import annotations

from pathlib import Path

import json

import altair as alt
import numpy as np
import pandas as pd

from ..assumptions import cached
from .. import assumptions, continuity, data, engine, practice
from ..scenario import Scenario
from .. import evaluation as ev
from ..charts import PALETTE, finish, series_cues, slider
from ..tables import Table, fmt_gbp, key_results
from ..validation import check_instance, check_one_of

__all__ = [
    "outcomes",
    "comparison_table",
    "readings_table",
    "effort_table",
    "key_results_piloting",
    "key_results_what_happened",
    "timeline_table",
    "what_happened_table",
    "cohort_table",
    "retrospective",
    "scorecard_counts",
    "VERDICTS",
    "retrospective_table",
    "better_pilot_table",
    "simulation_table",
    "persistence_table",
    "design_map",
    "design_map_table",
    "caseload_table",
    "subgroup_table",
    "PERSISTENCES",
    "DESIGN_ORDER",
    "timeline_chart",
    "mdd_chart",
    "mdd_chart_grid",
    "design_chart",
    "cohort_chart",
    "retrospective_chart",
    "prose_numbers_piloting",
    "prose_numbers_what_happened",
    "PREVIOUS_EDITION",
]

_TRACK_ORDER = ["report's plan", "plan", "pilots", "evaluation", "law"]
_TRACK_LABELS = {"report's plan": "Report's plan (from 2009)", "plan": "Expected dates", "pilots": "Pilots",
                 "evaluation": "Evaluation", "law": "Law"}

#: The power chart's slider positions: practices (and as many control teams), children, years, ICC. The
#: MDD depends on children and years only through child-years per practice, so the chart holds one curve
#: for each number of practices and each product of children and years.
CHART_PRACTICES = tuple(range(2, 31))
CHART_CHILDREN = (50, 100, 150, 200)
CHART_YEARS = (1, 2, 3, 4)
CHART_ICCS = tuple(round(0.01 * i, 2) for i in range(31))

#: Figures the previous edition showed, for the "What changed" notes (computed then by its code).
PREVIOUS_EDITION: dict[str, str] = {
    "chart_mdd": "14.0",          # fig 8.2 at the report's design, closed form
    "continuity_gain": "23.5",    # the one continuity gain (Poisson reading) chapters 8 and 9 used
    "sim_power": "80.1%",         # simulated power at the MDD, seed 20,080,512
    "sim_power_t": "75.3%",       # the same, t-test on practice shares
    "sim_null": "5.0%",           # no true difference
    "icc_high": "0.1",            # the higher ICC of the better-pilot table
}


def _scn(scn: object) -> Scenario:
    return Scenario.central() if scn is None else check_instance("scn", scn, Scenario, "Scenario")


def _pts(x: float) -> str:
    return "not detectable" if x != x else f"{100 * x:.1f} points"


def _num(x: float) -> str:
    """Points to one decimal, or two below one point (so a small effect does not read as zero)."""
    return f"{100 * x:.1f}" if abs(x) >= 0.01 else f"{100 * x:.2f}"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _pct0(x: float) -> str:
    """A conventional level (5%, 80%) without a trailing ".0"."""
    return f"{100 * x:g}%"


def _inputs(scn: Scenario) -> dict[str, float]:
    return {"icc": scn.icc, "alpha": ev.input_value("alpha"), "power": ev.input_value("power")}


def _reading_label(reading: str) -> str:
    if reading == "vacancy":
        v = continuity.assumption("practice_vacancy_sensitivity")
        return f"Practice with {v:g}% of posts vacant, covered from inside"
    return {"poisson": "At random, steady rate (chapter 2's headline)", "typed": "Workers keep their type"}[reading]


def _reading_short(reading: str) -> str:
    return {"poisson": "Poisson", "vacancy": "vacancies covered inside", "typed": "workers keep type"}[reading]


#: The readings as the charts label them, in plain words (the model's name is in the tooltip and the glossary).
_CHART_READING = {"poisson": "headline reading", "vacancy": "vacancies covered", "typed": "workers keep type"}

#: The clustering control and axis in plain words; the symbol (ICC) goes in the tooltip and the glossary.
_CLUSTERING = "Clustering within a practice"


def _reading_phrase(reading: str) -> str:
    """A reading as the prose names it: "the {phrase}"."""
    return {"poisson": "Poisson reading", "vacancy": "reading with vacancies covered from inside",
            "typed": "reading in which workers keep their type"}[reading]


def _count(n: int) -> str:
    """A count in words up to twelve, as the prose writes it."""
    words = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
    return words[n] if 0 <= n < len(words) else f"{n:,}"


@cached(maxsize=4)
def _outcomes(scn: Scenario) -> pd.DataFrame:
    gain = ev.predicted_effects(scn).iloc[0]
    rows = [
        ("Same social worker all year", float(gain["baseline"]), "increase",
         f"chapter 2's continuity model ({_reading_short(scn.continuity_reading)} reading), council England 2005, "
         "a year later in care"),
        ("Three or more placements in the year", ev.input_value("three_plus_placements_share") / 100.0, "decrease",
         "England 2005-06 (CYP Now, secondary report of DCSF statistics)"),
    ]
    return pd.DataFrame(rows, columns=["outcome", "baseline", "direction", "basis"])


def outcomes(scn: Scenario | None = None) -> pd.DataFrame:
    """The two yes/no outcomes the power calculations use, with their baselines (proportions) and direction."""
    return _outcomes(_scn(scn)).copy()


def _design() -> dict[str, int]:
    return {
        "practices": int(data.value(ev.PILOTS_TABLE, measure="pilots_total_report")),
        "kinds": 3,
        "controls": int(data.value(ev.PILOTS_TABLE, measure="comparison_controls_report")),
        "children": int(data.value("practice_design", parameter="caseload_children")),
        "years": int(data.value(ev.PILOTS_TABLE, measure="pilot_length_min_report")),
    }


def _report_design(scn: Scenario) -> ev.PilotDesign:
    """The report's design (its practices, children and years) with the scenario's ICC and the significance level."""
    d, a = _design(), _inputs(scn)
    return ev.PilotDesign(d["practices"], d["children"], d["years"], a["icc"], a["alpha"])


def _actual_years() -> int:
    return int(data.value(ev.HAPPENED_TABLE, measure="evaluation_period_months", pilot="all") // 12)


def _actual_design_obj(scn: Scenario) -> ev.PilotDesign:
    """The pilots as they ran: the four known cohorts, whole years of the evaluation, the scenario's ICC."""
    cohorts = ev.actual_cohorts()["children"].tolist()
    return ev.PilotDesign(len(cohorts), cohorts, _actual_years(), scn.icc, _inputs(scn)["alpha"])


@cached(maxsize=4)
def _comparisons(scn: Scenario) -> pd.DataFrame:
    d, a = _design(), _inputs(scn)
    parts = []
    for o in _outcomes(scn).itertuples():
        c = ev.comparisons(o.baseline, d["practices"], d["kinds"], d["controls"], d["children"], d["years"],
                           a["icc"], a["alpha"], a["power"], o.direction)
        parts.append(c.assign(outcome=o.outcome))
    return pd.concat(parts, ignore_index=True)


def comparison_table(scn: Scenario | None = None) -> Table:
    """Minimum detectable difference of each comparison in the report's design, for both outcomes."""
    scn = _scn(scn)
    c = _comparisons(scn)
    o = _outcomes(scn).set_index("outcome")
    wide = c.pivot_table(index=["comparison", "pilot_practices", "control_teams"], columns="outcome", values="mdd",
                         sort=False).reset_index()
    frame = pd.DataFrame({
        "Comparison": wide["comparison"],
        "Practices": wide["pilot_practices"].astype(int).astype(str),
        "Control teams": wide["control_teams"].astype(int).astype(str),
        **{f"{name} (now {_pct(o.loc[name, 'baseline'])})": wide[name].map(_pts) for name in o.index},
    })
    a, d = _inputs(scn), _design()
    return Table(frame, caption="The smallest difference each comparison could detect (percentage points)",
                 notes=(f"{_count(d['practices'])} practices of {d['children']} children for {d['years']} years; each control "
                        f"offers as many teams of {d['children']} as there are practices. ICC {a['icc']:g} (the "
                        f"scenario's), two-sided significance {a['alpha']:g}, power {a['power']:g} (assumptions). "
                        "Exact z-test solution."))


@cached(maxsize=4)
def _predicted(scn: Scenario) -> pd.DataFrame:
    p = ev.predicted_effects(scn)
    a, d = _inputs(scn), _design()
    p["mdd_report"] = [ev.minimum_detectable_difference(r.baseline, _report_design(scn), a["power"])
                       for r in p.itertuples()]
    p["mdd_actual"] = [ev.minimum_detectable_difference(r.baseline, _actual_design_obj(scn), a["power"])
                       for r in p.itertuples()]
    p["practices_needed"] = [ev.practices_needed(r.difference, r.baseline, d["children"], d["years"], a["icc"],
                                                 a["alpha"], a["power"]) for r in p.itertuples()]
    return p


@cached(maxsize=8)
def _detect(scn: Scenario, which: str) -> pd.DataFrame:
    design = _report_design(scn) if which == "report" else _actual_design_obj(scn)
    return ev.detection_over_readings(scn, design, _inputs(scn)["power"])


@cached(maxsize=4)
def _lifts(scn: Scenario) -> pd.DataFrame:
    f = ev.effort_lifts(scn)
    a, d = _inputs(scn), _design()
    f["mdd_report"] = [ev.minimum_detectable_difference(r.baseline, _report_design(scn), a["power"])
                       for r in f.itertuples()]
    f["mdd_actual"] = [ev.minimum_detectable_difference(r.baseline, _actual_design_obj(scn), a["power"])
                       for r in f.itertuples()]
    f["practices_needed"] = [ev.practices_needed(r.difference, r.baseline, d["children"], d["years"], a["icc"],
                                                 a["alpha"], a["power"]) for r in f.itertuples()]
    return f


def _need(k: int | None) -> str:
    return "more than 2,000" if k is None else f"{k:,}"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _readings_words(frame: pd.DataFrame) -> str:
    """"every reading" or "the Poisson reading only (not vacancies covered inside, workers keep type)"."""
    ok = frame[frame["detectable"]]
    if len(ok) == len(frame):
        return "detectable on every reading"
    if ok.empty:
        return "detectable on no reading"
    missed = frame[~frame["detectable"]]
    return (f"detectable on the {', '.join(_reading_short(r) for r in ok['reading'])} reading"
            f"{'' if len(ok) == 1 else 's'} only; not on "
            + " or ".join(f"{_reading_short(r.reading)} ({_num(r.difference)} points)" for r in missed.itertuples()))


def readings_table(scn: Scenario | None = None, design: str = "report") -> Table:
    """Chapter 2's continuity gain under each reading against the exact MDD of a design, at the scenario's ICC.

    Parameters
    ----------
    scn : Scenario, optional
        Default the central scenario.
    design : {"report", "actual"}
        The report's nine practices, or the pilots as they ran.
    """
    scn = _scn(scn)
    check_one_of("design", design, ("report", "actual"))
    f = _detect(scn, design)
    frame = pd.DataFrame({
        "Chapter 2's reading": [_reading_label(r) + (" (the scenario's)" if s else "")
                               for r, s in zip(f["reading"], f["scenario"])],
        "Council": f["baseline"].map(_pct),
        "Practice": f["predicted"].map(_pct),
        "Gain": f["difference"].map(_pts),
        f"Smallest detectable (correlation {scn.icc:g})": f["mdd"].map(_pts),
        "Detectable": f["detectable"].map(_yes),
        "Detectable up to a correlation of": f["icc_threshold"].map(lambda x: "none" if x != x else f"{x:.3f}"),
    })
    a, d = _inputs(scn), _design()
    who = (f"{_count(d['practices'])} practices of {d['children']} children for {d['years']} years against matched teams"
           if design == "report" else
           f"the {_count(len(ev.actual_cohorts()))} known cohorts for {_actual_years()} years against matched teams")
    return Table(frame, caption=("Chapter 2's continuity gain on each reading, and whether "
                                 + ("the report's pilots" if design == "report" else "the pilots as run")
                                 + " could detect it"),
                 notes=(f"Same social worker all year, a year later in care; council at England's 2005 rates. Design: "
                        f"{who}; exact z-test, two-sided {a['alpha']:g}, power {a['power']:g}. The MDD is taken at "
                        "each reading's own council share. Last column: the highest intra-practice correlation at "
                        "which the design still detects the gain."))


def effort_table(scn: Scenario | None = None) -> Table:
    """What the practice's effort buys on the same-worker indicator under both effort models, against the MDDs."""
    scn = _scn(scn)
    f = _lifts(scn)
    d = _design()
    frame = pd.DataFrame({
        "Model of effort": [n[0].upper() + n[1:] + (" (the scenario's)" if s else "")
                            for n, s in zip(f["model_name"], f["scenario"])],
        "Without extra effort": f["baseline"].map(_pct),
        "With the effort": f["predicted"].map(_pct),
        "Lift": [f"{_num(x)} points" for x in f["difference"]],
        f"Detectable by {_count(d['practices'])} practices": [f"{_yes(r.difference >= r.mdd_report)} (needs "
                                                     f"{_pts(r.mdd_report)})" for r in f.itertuples()],
        "Practices per arm needed": f["practices_needed"].map(_need),
    })
    a = _inputs(scn)
    return Table(frame, caption="What effort on continuity buys, on the two models of the book",
                 notes=(f"Effort {f['effort'].iloc[0]:g} on a scale of 0 to 1 in both (assumptions). Practices of "
                        f"{d['children']} children for {d['years']} years against as many control teams; ICC "
                        f"{a['icc']:g}; exact z-test, two-sided {a['alpha']:g}, power {a['power']:g}."))


def _effort_words(f: pd.DataFrame, mdd_col: str = "mdd_report") -> str:
    """The scenario's effort lift first, the other model's after it: "7.5 points: no (chapter 6's outcome model: 0.77: no)"."""
    head = f[f["scenario"]].iloc[0]
    other = f[~f["scenario"]].iloc[0]
    return (f"{_num(head['difference'])} points: {_yes(head['difference'] >= head[mdd_col])} "
            f"({other['model_name']}: {_num(other['difference'])} points: "
            f"{_yes(other['difference'] >= other[mdd_col])})")


def key_results_piloting(scn: Scenario | None = None) -> Table:
    """Chapter 8's key results (rows 3 and 7 are the home page's headlines: keep their places)."""
    scn = _scn(scn)
    d, a = _design(), _inputs(scn)
    c = _comparisons(scn)
    first = _outcomes(scn).iloc[0]
    same = c[c["outcome"] == first["outcome"]].set_index("comparison")["mdd"]
    place = c[c["outcome"] != first["outcome"]].set_index("comparison")["mdd"]
    plan = ev.plan_timeline()
    sim = _simulation(scn)
    de = ev.design_effect(d["children"] * d["years"], a["icc"])
    dc = ev.design_comparison(iccs=(a["icc"],), baseline=float(first["baseline"]), persistence=scn.value("persistence"))
    par = dc.set_index("design")["mdd"]
    det = _detect(scn, "report")
    lifts = _lifts(scn)
    head = lifts[lifts["scenario"]].iloc[0]
    pers = _persist(scn)
    return key_results([
        ("Pilots in the report's plan, each running at least two years from full allocation",
         f"{d['practices']} ({d['kinds']} kinds x {d['practices'] // d['kinds']})", "Recommendations 9-10"),
        ("The report's plan for a start in January 2009: councils chosen from / two years from full allocation end",
         f"{plan['start'].min():%b %Y} to {plan['end'].max():%b %Y}", "s.9.4, Recommendation 9; Q224",
         "build-up of the caseload"),
        (f"Design effect for {d['children']} children a practice over {d['years']} years", f"{de:.1f}",
         f"1 + (m - 1) ICC, m = {d['children'] * d['years']} child-years, ICC {a['icc']:g}",
         "intra-practice correlation"),
        (f"Smallest detectable difference, same social worker all year: all {_count(d['practices'])} practices against one "
         "control / the controls pooled", f"{100 * same.iloc[1]:.1f} / {100 * same.iloc[0]:.1f} points",
         f"baseline {_pct(first['baseline'])} (chapter 2's council model); exact z-test", "intra-practice correlation"),
        ("... one kind of provider against its own matched teams", f"{100 * same.iloc[3]:.1f} points",
         "same", "intra-practice correlation"),
        (f"Smallest detectable fall in three or more placements (baseline {_pct(_outcomes(scn).iloc[1]['baseline'])}), "
         f"{_count(d['practices'])} practices against one control",
         f"{100 * place.iloc[1]:.1f} points", "CYP Now (secondary, 2005-06)", "intra-practice correlation"),
        (f"Chapter 2's predicted continuity gain over its three readings, and whether {_count(d['practices'])} practices "
         "could detect it",
         f"{_num(det['difference'].min())} to {_num(det['difference'].max())} points: {_readings_words(det)}",
         "continuity model: council against practice, each reading; exact MDD at each reading's council share",
         "practice turnover and vacancies; intra-practice correlation"),
        (f"The effort lift on the same worker all year ({head['model_name']}, the scenario's; the other model in "
         f"brackets), and whether {_count(d['practices'])} practices could detect it", _effort_words(lifts),
         "chapters 5 and 6", "effort gain and effort"),
        (f"Practices per arm needed to detect the effort lift of {head['model_name']} ({d['children']} children, "
         f"{d['years']} years)", _need(head["practices_needed"]), "exact z-test", "intra-practice correlation"),
        (f"Simulated power at the computed minimum detectable difference (nominal {_pct0(a['power'])})",
         f"{100 * sim.iloc[0]['power']:.1f}% (simulation's standard error {100 * sim.iloc[0]['se']:.1f})",
         f"{int(sim.iloc[0]['n_sims']):,} simulated pilots, beta-binomial"),
        ("Same design, staggered start instead of parallel groups (18 teams, four periods of 50 children; "
         f"{100 * scn.value('persistence'):.0f}% of a team's effect surviving its becoming a practice)",
         f"{100 * par['stepped']:.1f} points instead of {100 * par['parallel']:.1f}",
         "generalised least squares, both by the closed-form (normal) approximation",
         "intra-practice correlation; persistence of a team's effect"),
        ("Staggered start over the persistence of a team's effect, none to all (parallel groups: "
         f"{100 * pers.loc[pers['design'] == 'parallel', 'mdd'].iloc[0]:.1f})",
         " to ".join(f"{100 * x:.1f}" for x in pers.loc[pers["design"] == "stepped", "mdd"].iloc[[0, -1]])
         + " points", "closed-form (normal) approximation", "persistence of a team's effect; intra-practice correlation"),
        ("Same worker all year, practice form alone: gain against control teams at the practice's caseload "
         f"(caseload's share of the gain {_pct0(scn.value('caseload_share'))}), and the pilot's threshold",
         f"{_num(_caseload(scn)['form_effect'].iloc[0])} points against {100 * _caseload(scn)['mdd'].iloc[0]:.1f}",
         "continuity model with the control's rate of changes moved toward the practice's; exact z-test",
         "caseload's share of the gain; intra-practice correlation"),
        (f"Smallest detectable difference within a subgroup, {_count(d['practices'])} practices against one control: "
         "ethnic minorities / disabled children", " / ".join(f"{100 * r.mdd:.1f}" for r in _subgroups(scn).iloc[:2].itertuples())
         + " points", "exact z-test; subgroup shares: 2007 written answer / assumption",
         "disabled children's share; intra-practice correlation"),
        (f"Highest ICC at which {_count(d['practices'])} practices still detect the continuity gain: "
         + " / ".join(_reading_short(r) for r in det["reading"]),
         " / ".join(f"{x:.3f}" for x in det["icc_threshold"]) + f" (assumed: {a['icc']:g})",
         "exact z-test, computed", "intra-practice correlation"),
    ], caption=f"Key results: what a pilot of {_count(d['practices'])} practices could detect")


def key_results_what_happened(scn: Scenario | None = None) -> Table:
    """Chapter 9's key results (rows 5 and 9 are the home page's headlines: keep their places)."""
    scn = _scn(scn)
    f = ev.what_happened()

    def v(measure: str, pilot: str = "all") -> float:
        return float(f[(f["measure"] == measure) & (f["pilot"] == pilot)]["value"].iloc[0])

    cohorts = ev.actual_cohorts()
    first = _outcomes(scn).iloc[0]
    act = ev.actual_design(float(first["baseline"]), icc=scn.icc)
    det = _detect(scn, "actual")
    r = retrospective(scn)
    counts = scorecard_counts(scn)
    return key_results([
        ("Councils that asked to pilot / chosen in 2008", f"{v('councils_interested'):.0f} / {v('councils_selected'):.0f}",
         "Community Care, 11 December 2008"),
        ("Pilots that started (December 2009 to May 2010)", f"{v('pilots_started'):.0f}", "Stanley et al. (2012)"),
        ("Children in the four cohorts the evaluation's summary sizes", f"{cohorts['children'].sum():,} "
         f"({cohorts['children'].min()} to {cohorts['children'].max()} a pilot)", "Stanley et al. (2012), summary"),
        ("Councils that withdrew: first wave / second wave", f"{v('pilots_withdrawn_first_wave'):.0f} / "
         f"{v('second_wave_withdrawn'):.0f}", "Community Care, 2010 and 2011"),
        ("Central funding, first wave / grant per second-wave site (cash, as announced in 2009 and 2011)",
         f"£{v('funding_first_wave'):.0f}m / {fmt_gbp(v('second_wave_grant'))}", "Community Care, 2009 and 2011"),
        ("Pilots that held the placement budget", f"{v('placement_budget_held'):.0f}", "Community Care (2013), Stanley"),
        ("Evaluation period", f"{v('evaluation_period_months'):.0f} months (Dec 2009 to Mar 2012)",
         "Stanley et al. (2012)"),
        ("Smallest detectable difference in the same worker all year with the pilots' own cohorts (four pilots, "
         "two years) / the report's nine", f"{100 * act['mdd']:.1f} / {100 * act['mdd_report_design']:.1f} points",
         f"computed; matched control teams assumed; ICC {scn.icc:g}", "intra-practice correlation"),
        ("Chapter 2's predicted continuity gain over its three readings against the pilots' own threshold",
         f"{_num(det['difference'].min())} to {_num(det['difference'].max())} points: {_readings_words(det)}",
         "continuity model; exact MDD at each reading's council share",
         "practice turnover and vacancies; intra-practice correlation"),
        ("The book's predictions, as the book judges the findings: " + " / ".join(VERDICTS),
         " / ".join(str(n) for n in counts.values()), f"retrospective table below ({len(r)} predictions)"),
        ("Highest ICC at which the pilots as run still detect the continuity gain: "
         + " / ".join(_reading_short(x) for x in det["reading"]),
         " / ".join("none" if x != x else f"{x:.3f}" for x in det["icc_threshold"]) + f" (assumed: {scn.icc:g})",
         "exact z-test, computed", "intra-practice correlation"),
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


@cached(maxsize=4)
def _retrospective(scn: Scenario) -> pd.DataFrame:
    f = ev.what_happened().set_index("measure")
    q = lambda m: f.loc[m, "quote"]  # noqa: E731
    det = _detect(scn, "actual")
    lifts = _lifts(scn)
    gain = det[det["scenario"]].iloc[0]
    s = practice.summary(practice.PracticeDesign(), practice.salary_scale(), practice.Overheads(), practice.child_cost())
    block = engine.table(Scenario.central(scope="placements")).set_index("contract").loc["Block"]
    sw_block = engine.table(Scenario.central(scope="social_work")).set_index("contract").loc["Block"]
    transfer_years = continuity.assumption("transfer_time_years")
    turnover = continuity.assumption("practice_turnover")
    eng = continuity.scenario_from_data("England")
    prices = f"£ at {scn.price_year} prices"
    held, started = int(f.loc["placement_budget_held", "value"]), int(f.loc["pilots_started", "value"])
    rows = [
        ("Chapter 2: a child in a practice keeps one worker all year far more often",
         f"{_pct(gain['baseline'])} in a council against {_pct(gain['predicted'])} in a practice "
         f"({_reading_short(gain['reading'])} reading); a gain of {_num(det['difference'].min())} to "
         f"{_num(det['difference'].max())} points over chapter 2's readings",
         f"'{q('finding_continuity')}' (Stanley, 2013)",
         "confirmed",
         f"Same direction, from the evaluation's lead; the summary read gives no rate to set beside the size. With "
         f"the pilots' own cohorts at an ICC of {scn.icc:g} the gain was {_readings_words(det)}."),
        ("Chapter 2: moving to a practice is itself a change of worker",
         f"one certain change at the transfer, {transfer_years * 12:g} months into care (an assumption); the "
         "practice's lead is counted after it",
         f"'{q('finding_children_understanding')}' (early findings); '{q('finding_disruption')}' (Stanley, 2013)",
         "in part",
         "The disruption fits a change at the transfer, but in one pilot most children kept their original social "
         "worker, so the transfer need not change the worker: where staff move with their children the book "
         "overstates the cost of the transfer."),
        ("Chapter 2: practice staff turnover well below the council's",
         f"{turnover:g}% a year against {100 * eng.turnover:.0f}% (an assumption)",
         f"'{q('finding_staff')}' ({f.loc['staff_surveyed', 'value']:,.0f} staff)",
         "not measurable",
         "Job control and burnout showed no significant difference; the turnover figures themselves were not read, "
         "so the assumption is neither confirmed nor contradicted."),
        ("Chapter 4: a practice costs about the same to run as the council's social work it replaces, plus its own "
         "overheads", f"{fmt_gbp(s['cost_per_child'])} per child a year, of which {fmt_gbp(s['out_of_scope'])} on top "
         f"({prices})",
         f"'{q('finding_cost')}' (Unison, reading the evaluation)",
         "not measurable",
         "A statement about commissioners' views, not budgets; consistent with a small difference but not a test of it."),
        ("Chapter 5: with the placement budget the contract's cost risk sits with the practice",
         f"block contract with placements: spread of the surplus {fmt_gbp(block['practice_sd_surplus'])} a year, "
         f"reserves run out within the term in {_pct(block['p_fail_term'])} of terms ({prices})",
         f"'{q('placement_budget_held')}' (Stanley, 2013); '{q('finding_placement_budgets')}' (early findings)",
         "not tested",
         f"The prediction is about practices that hold the placement budget; in all but {_count(held)} of "
         f"{_count(started)} pilots the council kept it, so the pilots could not test it."),
        ("Chapter 5: with social work only in scope (the pilots' scope) a practice runs no material risk of failing",
         f"block contract, social work only: spread of the surplus {fmt_gbp(sw_block['practice_sd_surplus'])} a year, "
         f"reserves run out within the term in {_pct(sw_block['p_fail_term'])} of terms ({prices})",
         f"'{q('finding_viability')}' (Unison, citing the evaluation)",
         "not measurable",
         "Questions about viability are not failures, and the book's cost model gives none for this scope. If the "
         "doubts were sound, their cause lies outside that model (the scale of a small provider, short grants, the "
         "host council's support). The chance of a loss in a year is about a half for any contract priced at "
         "expected cost, so it says nothing about fragility."),
        ("Chapters 5 and 6: an outcome bonus for continuity moves the indicator",
         " and ".join(f"{_num(r.difference)} points ({r.model_name})" for r in lifts.itertuples())
         + " from the assumed effort",
         f"'{q('finding_outperform')}' (Stanley, 2013)",
         "not measurable",
         "Below what even the report's nine practices could detect ("
         + ", ".join(_pts(x) for x in lifts["mdd_report"].drop_duplicates()) + " at those baselines), and far below "
         "the pilots' own threshold (" + ", ".join(_pts(x) for x in lifts["mdd_actual"].drop_duplicates()) + ")."),
    ]
    return pd.DataFrame(rows, columns=["prediction", "book_figure", "finding", "verdict", "reason"])


#: The verdicts of the retrospective, each the book's judgement of what the finding says, with its meaning.
VERDICTS: dict[str, str] = {
    "confirmed": "the finding points the same way as the prediction",
    "in part": "the finding bears the prediction out in some pilots or respects and not in others",
    "contradicted": "the finding points the other way",
    "not tested": "the pilots did not take the conditions the prediction is about",
    "not measurable": "the finding, or the pilots' size, cannot say",
}


def scorecard_counts(scn: Scenario | None = None) -> dict[str, int]:
    """How many of the book's predictions have each verdict (:data:`VERDICTS`, in order): the one count the key
    results, the prose and the home page show."""
    counts = retrospective(scn)["verdict"].value_counts()
    return {k: int(counts.get(k, 0)) for k in VERDICTS}


def retrospective(scn: Scenario | None = None) -> pd.DataFrame:
    """The book's predictions beside the findings: columns ``prediction``, ``book_figure``, ``finding``, ``verdict``, ``reason``."""
    return _retrospective(_scn(scn)).copy()


def retrospective_table(scn: Scenario | None = None) -> Table:
    """The retrospective as a page table."""
    r = retrospective(scn)
    frame = pd.DataFrame({"The book predicted": r["prediction"], "Its figure": r["book_figure"],
                          "What the pilots found": r["finding"], "Verdict": r["verdict"], "Why": r["reason"]})
    return Table(frame, caption="The book's predictions beside what the pilots found (verdicts: the book's judgement)",
                 notes="Book figures computed now by the continuity, practice-budget, contract and outcome models; "
                       "findings from data/pilots_what_happened.csv. Verdicts: "
                       + "; ".join(f"{k}: {v}" for k, v in VERDICTS.items()) + ".")


def better_pilot_table(scn: Scenario | None = None, *, data_dir: str | Path | None = None) -> Table:
    """Practices per arm needed to detect each predicted effect, by ICC and length."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    scn = _scn(scn)
    a, d = _inputs(scn), _design()
    gain = _detect(scn, "report")
    gain = gain[gain["scenario"]].iloc[0]
    effects = [(f"Continuity gain ({_reading_short(gain['reading'])} reading)", gain["difference"], gain["baseline"])]
    effects += [(f"Effort lift ({r.model_name})", r.difference, r.baseline) for r in _lifts(scn).itertuples()]
    low, _, high = assumptions.bounds("icc", data_dir=data_dir)
    rows = []
    for name, diff, base in effects:
        for icc in sorted({low, a["icc"], high}):
            for years in (d["years"], 2 * d["years"]):
                k = ev.practices_needed(diff, base, d["children"], years, icc, a["alpha"], a["power"])
                rows.append((name, f"{_num(diff)} points", f"{icc:g}", str(years), _need(k)))
    frame = pd.DataFrame(rows, columns=["Effect", "Size", "Correlation within a practice", "Years", "Practices per arm"])
    return Table(frame, caption=f"Practices of {d['children']} children needed per arm (with as many control teams)",
                 notes=(f"Exact z-test, two-sided {a['alpha']:g}, power {a['power']:g}. ICC {low:g} and {high:g} are "
                        f"the ends of the assumption's range; {a['icc']:g} is the scenario's."))


#: Persistence values the chapter's table shows (share of a team's effect that survives its becoming a practice).
PERSISTENCES = (0.0, 0.25, 0.5, 0.75, 1.0)
_DESIGN_NAMES = {"parallel": "Parallel groups", "before_after": "Before-and-after", "stepped": "Staggered start"}


def _persist(scn: Scenario) -> pd.DataFrame:
    """MDD of the three designs over :data:`PERSISTENCES` at the scenario's ICC."""
    o = _outcomes(scn).iloc[0]
    return ev.persistence_comparison(PERSISTENCES, icc=scn.icc, baseline=float(o["baseline"]))


def _best(frame: pd.DataFrame) -> str:
    return _DESIGN_NAMES[frame.loc[frame["mdd"].idxmin(), "design"]]


def persistence_table(scn: Scenario | None = None) -> Table:
    """The three designs over the persistence of a team's effect (none to all), with the best design at each ICC."""
    scn = _scn(scn)
    g = _persist(scn)
    wide = g.pivot(index="persistence", columns="design", values="mdd").loc[:, list(DESIGN_ORDER)]
    frame = pd.DataFrame({"Effect that survives": [f"{100 * x:.0f}%" for x in wide.index]})
    for d in DESIGN_ORDER:
        frame[f"{_DESIGN_NAMES[d]} (points)"] = [f"{100 * x:.1f}" for x in wide[d]]
    frame["Best design"] = [_best(g[g["persistence"] == x]) for x in wide.index]
    return Table(frame, caption=("The smallest difference each design could detect, over how much of a team's effect "
                                 "survives its becoming a practice"),
                 notes=(f"18 teams, four periods of 50 children, same social worker all year, intra-practice correlation "
                        f"{scn.icc:g}; closed-form (normal) approximation for all three designs. "
                        "The share that survives is an assumption "
                        f"({_pct0(scn.value('persistence'))} in the scenario)."))


#: The designs in the order the tables show them.
DESIGN_ORDER = ("parallel", "before_after", "stepped")


def design_map(scn: Scenario | None = None, *, data_dir: str | Path | None = None) -> pd.DataFrame:
    """The best design at each end and the middle of the ICC range and at no, half and full persistence, with the crossovers."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    scn = _scn(scn)
    o = float(_outcomes(scn).iloc[0]["baseline"])
    low, _, high = assumptions.bounds("icc", data_dir=data_dir)
    rows = []
    for icc in sorted({low, 2 * low, scn.icc, high}):
        g = ev.persistence_comparison((0.0, 0.5, 1.0), icc=icc, baseline=o)
        cross = {f"{a}_{b}": ev.persistence_crossover(a, b, icc=icc, baseline=o)
                 for a, b in (("stepped", "parallel"), ("before_after", "parallel"), ("stepped", "before_after"))}
        rows.append({"icc": icc, **{f"best_{x:g}": _best(g[g["persistence"] == x]) for x in (0.0, 0.5, 1.0)}, **cross})
    return pd.DataFrame(rows)


def _cross_words(r) -> str:
    parts = []
    for key, a, b in (("stepped_parallel", "staggered", "parallel"), ("before_after_parallel", "before-and-after",
                                                                             "parallel"),
                      ("stepped_before_after", "staggered", "before-and-after")):
        x = getattr(r, key)
        if x == x:
            parts.append(f"{a} and {b} change places at {100 * x:.0f}%")
    return "; ".join(parts) if parts else "none: the same design is best at every share"


def design_map_table(scn: Scenario | None = None) -> Table:
    """Which design is best over the intra-practice correlation and the persistence of a team's effect."""
    scn = _scn(scn)
    m = design_map(scn)
    frame = pd.DataFrame({
        "Intra-practice correlation": [f"{x:g}" + (" (scenario)" if x == scn.icc else "") for x in m["icc"]],
        "Best if none of a team's effect survives": m["best_0"],
        "Best if half survives": m["best_0.5"],
        "Best if all survives": m["best_1"],
        "Where the order changes": [_cross_words(r) for r in m.itertuples()],
    })
    return Table(frame, caption="Which design is best, over the clustering and the share of a team's effect that survives",
                 notes="18 teams, four periods of 50 children; closed-form (normal) approximation. The ends of the "
                       "correlation are the assumption's range.")


@cached(maxsize=4)
def _caseload(scn: Scenario) -> pd.DataFrame:
    return ev.equal_caseload_effects(scn, shares=(scn.value("caseload_share"), 0.0, 0.25, 0.5, 0.75, 1.0))


def caseload_table(scn: Scenario | None = None) -> Table:
    """What nine practices would detect against control teams at the practice's caseload, over the caseload's share of the gain."""
    scn = _scn(scn)
    c = _caseload(scn).iloc[1:]
    frame = pd.DataFrame({
        "Caseload's share of the advantage": [_pct0(x) + (" (scenario)" if x == scn.value("caseload_share")
                                                           else "") for x in c["share"]],
        "Control team: same worker all year": c["control"].map(_pct),
        "Form's part of the gain (points)": c["form_effect"].map(_num),
        "Detectable (points)": c["mdd"].map(lambda x: f"{100 * x:.1f}"),
        "Power": c["power"].map(lambda x: _pct0(round(x, 2))),
        "Detected?": c["detectable"].map(_yes),
    })
    return Table(frame, caption="Like with like: practices against council teams given the practice's caseload",
                 notes=(f"Chapter 2's continuity model ({_reading_short(scn.continuity_reading)} reading): the council "
                        f"keeps {_pct(c['council'].iloc[0])} of children with one worker through a year, the practice "
                        f"{_pct(c['practice'].iloc[0])}; the control team closes the stated share of the gap in the "
                        f"yearly rate of changes of worker. Nine practices of 100 for two years against as many teams, "
                        f"intra-practice correlation {scn.icc:g}, exact z-test. The share is an assumption."))


@cached(maxsize=4)
def _subgroups(scn: Scenario) -> pd.DataFrame:
    gain = _detect(scn, "report")
    gain = gain[gain["scenario"]].iloc[0]
    whole = _report_design(scn)
    pw = _inputs(scn)["power"]
    rows = []
    for name, param, value in (("Children from ethnic minorities", "minority_ethnic_share", None),
                               ("Disabled children", "disabled_share", None),
                               ("Disabled children (low end)", "disabled_share", "low"),
                               ("Disabled children (high end)", "disabled_share", "high")):
        if value is None:
            share = scn.value(param) / 100.0
        else:
            lo, _, hi = assumptions.bounds(param)
            share = (lo if value == "low" else hi) / 100.0
        sub = ev.subgroup_design(whole, share)
        rows.append({"group": name, "share": share, "children": int(sub.pilot_sizes[0]),
                     "mdd": ev.minimum_detectable_difference(float(gain["baseline"]), sub, pw),
                     "power": ev.power_of_difference(float(gain["difference"]), float(gain["baseline"]), sub),
                     "gain": float(gain["difference"])})
    return pd.DataFrame(rows)


def subgroup_table(scn: Scenario | None = None) -> Table:
    """What the report's nine practices could detect within the subgroups section 9.5 names."""
    scn = _scn(scn)
    g = _subgroups(scn)
    frame = pd.DataFrame({
        "Group": g["group"],
        "Share of children": [_pct(x) for x in g["share"]],
        "Children a practice": g["children"].astype(str),
        "Detectable (points)": g["mdd"].map(lambda x: f"{100 * x:.1f}"),
        "Power for the headline gain": g["power"].map(lambda x: _pct0(round(x, 2))),
    })
    return Table(frame, caption="Within the groups section 9.5 names: what nine practices could detect",
                 notes=("Same social worker all year; nine practices of 100 children for two years against as many "
                        f"teams, intra-practice correlation {scn.icc:g}, exact z-test. The ethnic-minority share is "
                        "England's at 31 March 2006 (a 2007 written answer in Parliament); the disabled share is an "
                        "assumption, shown at its range's ends. Power is for chapter 2's headline gain "
                        f"({_num(g['gain'].iloc[0])} points), assumed the same within each group."))


#: The simulation checks: label, whether at the MDD, the test.
_SIM_CHECKS = (("At the MDD, the design-effect z-test", True, "design_effect"),
               ("At the MDD, a t-test on practice shares", True, "cluster_t"),
               ("No true difference, the design-effect z-test", False, "design_effect"))
_N_SIMS = 20_000


@cached(maxsize=4)
def _simulation(scn: Scenario) -> pd.DataFrame:
    a = _inputs(scn)
    p0 = float(_outcomes(scn).iloc[0]["baseline"])
    mdd = ev.minimum_detectable_difference(p0, _report_design(scn), a["power"])
    rows = []
    for i, (label, at_mdd, test) in enumerate(_SIM_CHECKS):
        diff = mdd if at_mdd else 0.0
        s = ev.simulate_power(diff, p0, _report_design(scn), n_sims=_N_SIMS,
                              seed=ev.stream(scn, f"ch8_simulation_{i}"), test=test)
        nominal = a["power"] if diff else a["alpha"]
        rows.append({"check": label, "nominal": nominal, "power": s.power, "se": s.se, "n_sims": s.n_sims})
    return pd.DataFrame(rows)


def simulation_table(scn: Scenario | None = None) -> Table:
    """The closed form against simulated pilots."""
    scn = _scn(scn)
    s = _simulation(scn)
    frame = pd.DataFrame({
        "Check": s["check"], "Formula": s["nominal"].map(_pct), "Simulated": s["power"].map(_pct),
        "Simulation's standard error": s["se"].map(lambda x: f"{100 * x:.2f} points"),
        "Gap in errors": ((s["power"] - s["nominal"]) / s["se"]).map(lambda x: f"{x:+.1f}"),
    })
    d = _design()
    return Table(frame, caption=f"The formula against {_N_SIMS:,} simulated pilots of {_count(d['practices'])} practices",
                 notes=(f"Beta-binomial practices with the scenario's ICC ({scn.icc:g}); streams of the book's one "
                        f"seed ({scn.simulation.seed}). The t-test row shows what an evaluator who must estimate the "
                        f"clustering from {_count(d['practices'])} practices would get."))


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


def _csv(frame: pd.DataFrame, digits: int = 3) -> alt.InlineData:
    text = frame.to_csv(index=False, lineterminator="\n", float_format=f"%.{digits}f")
    numeric = {c: "number" for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    return alt.InlineData(values=text, format=alt.DataFormat(type="csv", parse=numeric))


def _icc_key(icc: float) -> str:
    return f"i{round(1000 * icc)}"


@cached(maxsize=4)
def _mdd_grid(scn: Scenario) -> pd.DataFrame:
    o = _outcomes(scn)
    a, d = _inputs(scn), _design()
    iccs = sorted(set(CHART_ICCS) | {scn.icc})
    practices = sorted(set(CHART_PRACTICES) | {d["practices"]})
    children = sorted(set(CHART_CHILDREN) | {d["children"]})
    years = sorted(set(CHART_YEARS) | {d["years"]})
    child_years = sorted({m * y for m in children for y in years})
    parts = []
    for i, r in enumerate(o.itertuples()):
        # PilotDesign(k, m * y, 1, icc) is PilotDesign(k, m, y, icc): the same child-years per practice
        g = ev.mdd_grid(r.baseline, iccs, practices, child_years, [1], a["alpha"], a["power"], r.direction)
        parts.append(g.drop(columns="years").rename(columns={"children": "child_years"}).assign(
            o=i, outcome=r.outcome))
    return pd.concat(parts, ignore_index=True)


def mdd_chart_grid(scn: Scenario | None = None) -> pd.DataFrame:
    """The exact MDD behind :func:`mdd_chart` at every slider position.

    Columns ``icc``, ``practices``, ``child_years`` (children per practice times years),
    ``design_effect``, ``mdd`` (as :func:`~swp_models.evaluation.mdd_grid`), ``o`` (0 for the
    same-worker outcome, 1 for three or more placements) and ``outcome``.
    """
    return _mdd_grid(_scn(scn)).copy()


def mdd_chart(scn: Scenario | None = None) -> alt.VConcatChart:
    """The exact MDD against the ICC for both outcomes, with sliders for practices, children and years.

    The curves are :func:`~swp_models.evaluation.minimum_detectable_difference` (``method="exact"``),
    computed for every position of the sliders (:func:`mdd_chart_grid`): one row per outcome,
    practices and child-years per practice, one column per ICC, in points to two decimals.
    """
    scn = _scn(scn)
    o = _outcomes(scn)
    a, d = _inputs(scn), _design()
    g = _mdd_grid(scn)
    wide = g.assign(key=g["icc"].map(_icc_key), pts=100 * g["mdd"]).pivot_table(
        index=["o", "practices", "child_years"], columns="key", values="pts", sort=False, dropna=False)
    keys = [_icc_key(i) for i in sorted(g["icc"].unique())]
    wide = wide[keys].reset_index().rename(columns={"practices": "k", "child_years": "n"})
    k = slider("ch8_practices", "Practices (and as many control teams)", min(CHART_PRACTICES), max(CHART_PRACTICES),
               1, d["practices"])
    m = slider("ch8_children", "Children per practice", min(CHART_CHILDREN), max(CHART_CHILDREN),
               CHART_CHILDREN[1] - CHART_CHILDREN[0], d["children"])
    yrs = slider("ch8_years", "Years", min(CHART_YEARS), max(CHART_YEARS), 1, d["years"])
    rho = slider("ch8_icc", _CLUSTERING, 0.0, max(CHART_ICCS), CHART_ICCS[1] - CHART_ICCS[0],
                 a["icc"])
    names = o["outcome"].tolist()
    name_expr = f"datum.o == 0 ? {json.dumps(names[0])} : {json.dumps(names[1])}"
    base = (alt.Chart(_csv(wide, 2))
            .transform_filter("datum.k == ch8_practices && datum.n == ch8_children * ch8_years")
            .transform_fold(keys, as_=["key", "mdd"])
            .transform_calculate(icc="toNumber(slice(datum.key, 1)) / 1000", outcome=name_expr)
            .transform_filter("isValid(datum.mdd) && isFinite(datum.mdd)"))
    # One colour scale and legend for every layer; the outcomes also differ by line style and by the
    # shape of the dot at the chosen ICC, so colour is never the only cue.
    legend = alt.Legend(orient="bottom", columns=1, symbolStrokeWidth=2, labelLimit=0)
    colour = alt.Color("outcome:N", title=None, sort=names, scale=alt.Scale(domain=names), legend=legend)
    dash = alt.StrokeDash("outcome:N", title=None, sort=names,
                          scale=alt.Scale(domain=names, range=[[1, 0], [6, 3]]), legend=legend)
    shape = alt.Shape("outcome:N", title=None, sort=names,
                      scale=alt.Scale(domain=names, range=["circle", "square"]), legend=legend)
    line = base.mark_line().encode(
        x=alt.X("icc:Q", title=f"{_CLUSTERING} (correlation)", scale=alt.Scale(domain=[0, max(CHART_ICCS)])),
        y=alt.Y("mdd:Q", title="Smallest detectable difference (points)", scale=alt.Scale(domain=[0, 60], clamp=True)),
        color=colour, strokeDash=dash,
        tooltip=[alt.Tooltip("outcome:N", title="Outcome"), alt.Tooltip("icc:Q", title="Intra-practice correlation (ICC)", format=".2f"),
                 alt.Tooltip("mdd:Q", title="Points", format=".1f")],
    )
    det = _detect(scn, "report")
    lifts = _lifts(scn)
    effects = pd.DataFrame({
        "y": [100 * x for x in det["difference"]] + [100 * x for x in lifts["difference"]],
        "t": [f"continuity, {_CHART_READING[r]} {_num(x)}" for r, x in zip(det["reading"], det["difference"])]
        + [f"effort, {'ch. 5' if r == 'contract' else 'ch. 6'} {_num(x)}"
           for r, x in zip(lifts["model"], lifts["difference"])],
    })
    rules = alt.Chart(effects).mark_rule(strokeDash=[4, 3], color="#333").encode(y="y:Q")
    texts = alt.Chart(effects).mark_text(align="right", baseline="bottom", dy=-2, fontSize=10, limit=0).encode(
        y="y:Q", x=alt.value("width"), text="t:N")
    icc_rule = alt.Chart(pd.DataFrame({"x": [0.0]})).transform_calculate(x="ch8_icc").mark_rule(color="#999").encode(
        x="x:Q")
    here = base.transform_filter("abs(datum.icc - ch8_icc) < 0.0001")
    dots = here.mark_point(filled=True, size=50).encode(x="icc:Q", y="mdd:Q", color=colour, shape=shape)
    labels = here.mark_text(align="left", dx=6, dy=-6, fontSize=11, fontWeight="bold").encode(
        x="icc:Q", y="mdd:Q", text=alt.Text("mdd:Q", format=".1f"), color=colour)
    chart = (icc_rule + line + rules + texts + dots + labels).properties(width=270, height=250).add_params(
        k, m, yrs, rho)
    return finish(chart, f"What {_count(d['practices'])} practices can detect",
                  subtitle=[f"Against matched controls; {_pct0(a['alpha'])} two-sided, power {_pct0(a['power'])}, exact.",
                            "Dashed: the book's predicted effects (points). A curve stops",
                            "where no change is detectable. Grey line and labels: the clustering slider."],
                  source=["Le Grand (2007) s.9", "chapters 2, 5 and 6", "CYP Now", "assumptions"])


def design_chart(scn: Scenario | None = None) -> alt.VConcatChart:
    """Parallel, controlled before-and-after and staggered designs on the same teams, with an ICC slider."""
    scn = _scn(scn)
    o = _outcomes(scn).iloc[0]
    iccs = [round(x, 2) for x in np.arange(0.0, 0.301, 0.01)]
    g = ev.design_comparison(iccs=iccs, baseline=float(o["baseline"]), persistence=scn.value("persistence"))
    names = {"parallel": "Parallel groups", "before_after": "Before-after", "stepped": "Staggered start"}
    g = g.assign(design_label=g["design"].map(names), pts=100 * g["mdd"])
    icc = slider("ch8_design_icc", "Clustering within a team", 0.0, 0.3, 0.01, scn.icc)
    bars = alt.Chart(g).transform_filter("abs(datum.icc - ch8_design_icc) < 0.001").mark_bar().encode(
        y=alt.Y("design_label:N", title=None, sort=list(names.values()), axis=alt.Axis(labelLimit=110)),
        x=alt.X("pts:Q", title="Detectable difference (points)", scale=alt.Scale(domain=[0, 32])),
        color=alt.Color("design_label:N", legend=None, sort=list(names.values())),
        tooltip=[alt.Tooltip("design_label:N", title="Design"), alt.Tooltip("pts:Q", title="Points", format=".1f"),
                 alt.Tooltip("icc:Q", title="Intra-practice correlation (ICC)", format=".2f")],
    )
    text = alt.Chart(g).transform_filter("abs(datum.icc - ch8_design_icc) < 0.001").mark_text(
        align="left", dx=4, fontSize=11).encode(y=alt.Y("design_label:N", sort=list(names.values())), x="pts:Q",
                                                 text=alt.Text("pts:Q", format=".1f"))
    chart = (bars + text).properties(width=200, height=alt.Step(34)).add_params(icc)
    return finish(chart, "Staggering protects a small pilot",
                  subtitle=["18 teams, four periods of 50 children;", "same social worker all year;",
                            f"{100 * scn.value('persistence'):.0f}% of a team's effect survives.",
                            "The slider sets the clustering within a team."],
                  source=["Hussey and Hughes (2007) model", "chapter 2", "assumptions"])


def cohort_chart() -> alt.VConcatChart:
    """The four cohorts against the planned number of children a practice (data/pilots_what_happened.csv)."""
    c = ev.actual_cohorts()
    f = ev.what_happened().set_index("measure")
    lo, hi = float(f.loc["children_per_practice_planned", "low"]), float(f.loc["children_per_practice_planned", "high"])
    c = c.assign(label=c["pilot"],
                 ages=[("ages not read" if a != a else f"ages {a:.0f}-{b:.0f}") for a, b in zip(c["age_min"], c["age_max"])])
    band = alt.Chart(pd.DataFrame({"a": [lo], "b": [hi]})).mark_rect(color="#eeeeee").encode(x="a:Q", x2="b:Q")
    band_text = alt.Chart(pd.DataFrame({"a": [(lo + hi) / 2], "t": [f"planned {lo:.0f}-{hi:.0f}"]})).mark_text(
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
                  subtitle=[f"Cohort at start-up; SWP C grew to {f.loc['cohort_size_nov2011', 'value']:.0f}",
                            "by November 2011. SWP E not read."],
                  source=["Stanley et al. (2012)", "Community Care (2009)"])


def retrospective_chart(scn: Scenario | None = None) -> alt.VConcatChart:
    """The predicted effects (chapter 2's three readings, both effort models) against what the report's design and the pilots as run could detect (ICC slider)."""
    scn = _scn(scn)
    a, d = _inputs(scn), _design()
    cohorts = ev.actual_cohorts()["children"].tolist()
    years = _actual_years()
    det, lifts = _detect(scn, "report"), _lifts(scn)
    # Plain words on the axis; the model each effect comes from (its technical name) in the tooltip.
    effects = [(f"Continuity, {_CHART_READING[r.reading]}", r.difference, r.baseline,
                f"Chapter 2's continuity model, {_reading_label(r.reading)}") for r in det.itertuples()]
    effects += [(f"Effort, {'chapter 5' if r.model == 'contract' else 'chapter 6'}", r.difference, r.baseline,
                 "Chapter 5's outcome contract" if r.model == "contract" else "Chapter 6's outcome model")
                for r in lifts.itertuples()]
    whats = ["Predicted effect", "Detectable: report's nine practices", "Detectable: the pilots as run"]
    rows = []
    for icc in sorted(set(CHART_ICCS) | {scn.icc}):
        report = ev.PilotDesign(d["practices"], d["children"], d["years"], icc, a["alpha"])
        actual = ev.PilotDesign(len(cohorts), cohorts, years, icc, a["alpha"])
        for name, diff, base, _ in effects:
            rows += [(icc, name, whats[0], 100 * diff),
                     (icc, name, whats[1], 100 * ev.minimum_detectable_difference(base, report, a["power"])),
                     (icc, name, whats[2], 100 * ev.minimum_detectable_difference(base, actual, a["power"]))]
    g = pd.DataFrame(rows, columns=["icc", "effect", "what", "pts"]).dropna()
    models = alt.LookupData(pd.DataFrame([(e[0], e[3]) for e in effects], columns=["effect", "model"]), "effect",
                            ["model"])
    rho = slider("ch9_icc", _CLUSTERING, 0.0, max(CHART_ICCS), 0.01, a["icc"])
    order = [e[0] for e in effects]
    chart = alt.Chart(g).transform_filter("abs(datum.icc - ch9_icc) < 0.001").transform_lookup(
        lookup="effect", from_=models).mark_point(filled=True, size=90).encode(
        y=alt.Y("effect:N", title=None, sort=order, axis=alt.Axis(labelLimit=150)),
        x=alt.X("pts:Q", title="Percentage points", scale=alt.Scale(domain=[0, 50], clamp=True)),
        **series_cues("what:N", whats, line=False, shape=True,
                      legend=alt.Legend(orient="bottom", columns=1, labelLimit=0)),
        tooltip=[alt.Tooltip("effect:N", title="Effect"), alt.Tooltip("model:N", title="From"),
                 alt.Tooltip("what:N", title="Value"), alt.Tooltip("pts:Q", title="Points", format=".1f"),
                 alt.Tooltip("icc:Q", title="Intra-practice correlation (ICC)", format=".2f")],
    ).properties(width=230, height=alt.Step(30)).add_params(rho)
    return finish(chart, "What the pilots could see",
                  subtitle=["Same social worker all year, points. Detectable:", f"{_pct0(a['alpha'])} two-sided, power "
                            f"{_pct0(a['power'])}, exact. The slider sets the clustering."],
                  source=["chapters 2, 5 and 6", "Stanley et al. (2012)", "assumptions"])


# ---------------------------------------------------------------------------------------
# Numbers quoted in the chapters' prose (glued into the text, so the words follow the models)
# ---------------------------------------------------------------------------------------


def _chart_value(scn: Scenario) -> float:
    """The chart's same-worker MDD (points, as stored) at the report's design and the scenario's ICC."""
    g = _mdd_grid(scn)
    d = _design()
    row = g[(g["o"] == 0) & (g["practices"] == d["practices"]) & (g["child_years"] == d["children"] * d["years"])
            & (np.isclose(g["icc"], scn.icc))]
    return round(100 * float(row["mdd"].iloc[0]), 2)


def prose_numbers_piloting(scn: Scenario | None = None, *, data_dir: str | Path | None = None) -> dict[str, str]:
    """Formatted figures that chapter 8's text quotes, keyed by the name the page glues them under."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    scn = _scn(scn)
    d, a = _design(), _inputs(scn)
    c = _comparisons(scn)
    out = _outcomes(scn)
    first = out.iloc[0]
    same = c[c["outcome"] == first["outcome"]].set_index("comparison")["mdd"]
    place = c[c["outcome"] != first["outcome"]].set_index("comparison")["mdd"]
    p = _predicted(scn)
    plan = ev.plan_timeline()
    sim = _simulation(scn)
    par = ev.design_comparison(iccs=(a["icc"],), baseline=float(first["baseline"]),
                               persistence=scn.value("persistence")).set_index("design")["mdd"]
    det = _detect(scn, "report")
    lifts = _lifts(scn).set_index("model")
    head = lifts[lifts["scenario"]].iloc[0]
    other = lifts[~lifts["scenario"]].iloc[0]
    de = ev.design_effect(d["children"] * d["years"], a["icc"])
    low, _, high = assumptions.bounds("icc", data_dir=data_dir)
    base_mdd = same.iloc[1]
    double_k = ev.minimum_detectable_difference(float(first["baseline"]), ev.PilotDesign(
        2 * d["practices"], d["children"], d["years"], a["icc"], a["alpha"]), a["power"])
    double_m = ev.minimum_detectable_difference(float(first["baseline"]), ev.PilotDesign(
        d["practices"], 2 * d["children"], d["years"], a["icc"], a["alpha"]), a["power"])
    approx = ev.minimum_detectable_difference(float(first["baseline"]), _report_design(scn), a["power"],
                                              method="approximate")
    retention = scn.value("retention_effect") * float(lifts.loc["outcome_model", "effort"])
    all_ok = bool(det["detectable"].all())
    return {
        "ch8_council_p": _pct(p["baseline"].iloc[0]),
        "ch8_practice_p": _pct(p["predicted"].iloc[0]),
        "ch8_gain": _num(p["difference"].iloc[0]),
        "ch8_gain_lo": _num(det["difference"].min()),
        "ch8_gain_hi": _num(det["difference"].max()),
        "ch8_gain_words": _readings_words(det),
        "ch8_gain_verdict": ("enough to see the continuity gain chapter 2 predicts on every one of its readings"
                             if all_ok else "enough to see the continuity gain chapter 2 predicts on some of its "
                                            "readings but not all"),
        "ch8_icc_turn_lo": f"{det['icc_threshold'].min():.3f}",
        "ch8_icc_turn_hi": f"{det['icc_threshold'].max():.3f}",
        "ch8_icc_turn_reading": _reading_phrase(det.loc[det["icc_threshold"].idxmin(), "reading"]),
        "ch8_outcome_base": _pct(head["baseline"]),
        "ch8_outcome_p": _pct(head["predicted"]),
        "ch8_outcome_gain": _num(head["difference"]),
        "ch8_lift_contract": _num(lifts.loc["contract", "difference"]),
        "ch8_lift_contract_base": _pct(lifts.loc["contract", "baseline"]),
        "ch8_lift_contract_p": _pct(lifts.loc["contract", "predicted"]),
        "ch8_lift_model": _num(lifts.loc["outcome_model", "difference"]),
        "ch8_lift_model_base": _pct(lifts.loc["outcome_model", "baseline"]),
        "ch8_lift_model_p": _pct(lifts.loc["outcome_model", "predicted"]),
        "ch8_lift_headline": str(head["model_name"]),
        "ch8_lift_other": str(other["model_name"]),
        "ch8_effort": f"{float(lifts.loc['contract', 'effort']):g}",
        "ch8_retention": f"{100 * retention:.0f}%",
        "ch8_de": f"{de:.2f}",
        "ch8_eff_n": f"{d['practices'] * d['children'] * d['years'] / de:,.0f}",
        "ch8_child_years": f"{d['practices'] * d['children'] * d['years']:,}",
        "ch8_icc": f"{a['icc']:g}",
        "ch8_icc_low": f"{low:g}",
        "ch8_icc_high": f"{high:g}",
        "ch8_alpha": _pct0(a["alpha"]),
        "ch8_power": _pct0(a["power"]),
        "ch8_place_base": _pct0(out.iloc[1]["baseline"]),
        "ch8_mdd_one": f"{100 * same.iloc[1]:.1f}",
        "ch8_mdd_pooled": f"{100 * same.iloc[0]:.1f}",
        "ch8_mdd_kind": f"{100 * same.iloc[3]:.1f}",
        "ch8_mdd_kind_pooled": f"{100 * same.iloc[2]:.1f}",
        "ch8_mdd_place": f"{100 * place.iloc[1]:.1f}",
        "ch8_mdd_chart": f"{_chart_value(scn):.1f}",
        "ch8_mdd_approx": f"{100 * approx:.1f}",
        "ch8_double_k": f"{100 * (1 - double_k / base_mdd):.0f}%",
        "ch8_double_m": f"{100 * (1 - double_m / base_mdd):.0f}%",
        "ch8_need": _need(head["practices_needed"]),
        "ch8_need_other": _need(other["practices_needed"]),
        "ch8_need_contract": _need(lifts.loc["contract", "practices_needed"]),
        "ch8_need_model": _need(lifts.loc["outcome_model", "practices_needed"]),
        "ch8_place_share": f"{100 * place.iloc[1] / out.iloc[1]['baseline']:.0f}%",
        "ch8_sim": f"{100 * sim.iloc[0]['power']:.1f}%",
        "ch8_sim_t": f"{100 * sim.iloc[1]['power']:.1f}%",
        "ch8_sim_null": f"{100 * sim.iloc[2]['power']:.1f}%",
        "ch8_n_sims": f"{_N_SIMS:,}",
        "ch8_seed": f"{scn.simulation.seed}",
        "ch8_stepped": f"{100 * par['stepped']:.1f}",
        "ch8_parallel": f"{100 * par['parallel']:.1f}",
        "ch8_before_after": f"{100 * par['before_after']:.1f}",
        "ch8_plan_first": f"{plan['start'].min():%B %Y}",
        "ch8_plan_end": f"{plan['end'].max():%B %Y}",
        "ch8_buildup": f"{ev.input_value('buildup_months'):g}",
        **_prose_better_pilot(scn),
        **{f"ch8_prev_{k}": v for k, v in PREVIOUS_EDITION.items()},
    }


def _prose_better_pilot(scn: Scenario) -> dict[str, str]:
    """Chapter 8's figures on persistence, equal caseloads, subgroups and the committee's doubt."""
    g = _persist(scn)
    mdd = {(r.persistence, r.design): 100 * r.mdd for r in g.itertuples()}
    m = design_map(scn).set_index("icc")
    here = m.loc[scn.icc]
    c = _caseload(scn)
    central = c.iloc[0]
    sub = _subgroups(scn).set_index("group")
    low_icc = m.index.min()
    crossings = [x for x in m.loc[low_icc, ["stepped_parallel", "before_after_parallel", "stepped_before_after"]]
                 if x == x]
    return {
        "ch8_persistence": _pct0(scn.value("persistence")),
        "ch8_stepped_p0": f"{mdd[(0.0, 'stepped')]:.1f}",
        "ch8_stepped_p1": f"{mdd[(1.0, 'stepped')]:.1f}",
        "ch8_before_after_p0": f"{mdd[(0.0, 'before_after')]:.1f}",
        "ch8_before_after_p1": f"{mdd[(1.0, 'before_after')]:.1f}",
        "ch8_best_here": (f"the staggered start is best at every share, from none to all" if
                          here["best_0"] == here["best_1"] == _DESIGN_NAMES["stepped"] else
                          f"the best design changes with the share: {_cross_words(here)}"),
        "ch8_icc_map_low": f"{low_icc:g}",
        "ch8_map_low_words": _cross_words(m.loc[low_icc]),
        "ch8_map_low_first": f"{100 * min(crossings):.0f}%" if crossings else "nowhere",
        "ch8_caseload_share": _pct0(scn.value("caseload_share")),
        "ch8_equal_control": _pct(central["control"]),
        "ch8_form_gain": _num(central["form_effect"]),
        "ch8_caseload_gain": _num(central["caseload_effect"]),
        "ch8_equal_mdd": f"{100 * central['mdd']:.1f}",
        "ch8_equal_power": _pct0(round(central["power"], 2)),
        "ch8_equal_verdict": "enough" if central["detectable"] else "not enough",
        "ch8_caseload_turn": _pct0(round(ev.caseload_share_threshold(scn), 2)),
        "ch8_minority_share": _pct(sub.loc["Children from ethnic minorities", "share"]),
        "ch8_minority_children": f"{sub.loc['Children from ethnic minorities', 'children']}",
        "ch8_minority_mdd": f"{100 * sub.loc['Children from ethnic minorities', 'mdd']:.1f}",
        "ch8_minority_power": _pct0(round(sub.loc["Children from ethnic minorities", "power"], 2)),
        "ch8_disabled_share": _pct(sub.loc["Disabled children", "share"]),
        "ch8_disabled_children": f"{sub.loc['Disabled children', 'children']}",
        "ch8_disabled_mdd": f"{100 * sub.loc['Disabled children', 'mdd']:.1f}",
        "ch8_disabled_mdd_lo": f"{100 * sub.loc['Disabled children (high end)', 'mdd']:.1f}",
        "ch8_disabled_mdd_hi": f"{100 * sub.loc['Disabled children (low end)', 'mdd']:.1f}",
        "ch8_disabled_power": _pct0(round(sub.loc["Disabled children", "power"], 2)),
    }


def prose_numbers_what_happened(scn: Scenario | None = None) -> dict[str, str]:
    """Formatted figures that chapter 9's text quotes, keyed by the name the page glues them under."""
    scn = _scn(scn)
    first = _outcomes(scn).iloc[0]
    act = ev.actual_design(float(first["baseline"]), icc=scn.icc)
    p = _predicted(scn)
    det = _detect(scn, "actual")
    lifts = _lifts(scn).set_index("model")
    head = lifts[lifts["scenario"]].iloc[0]
    other = lifts[~lifts["scenario"]].iloc[0]
    cohorts = ev.actual_cohorts()
    counts = scorecard_counts(scn)
    gain = det[det["scenario"]].iloc[0]
    all_ok, none_ok = bool(det["detectable"].all()), not bool(det["detectable"].any())
    f = ev.what_happened().set_index("measure")
    return {
        "ch9_children": f"{cohorts['children'].sum():,}",
        "ch9_mdd_actual": f"{100 * act['mdd']:.1f}",
        "ch9_mdd_report": f"{100 * act['mdd_report_design']:.1f}",
        "ch9_gain": _num(p["difference"].iloc[0]),
        "ch9_gain_lo": _num(det["difference"].min()),
        "ch9_gain_hi": _num(det["difference"].max()),
        "ch9_gain_words": _readings_words(det),
        "ch9_gain_shown": ("a gain of that size would have shown on every reading" if all_ok else
                           "even the largest of those gains could have been missed" if none_ok else
                           "only the largest of them clears that threshold: whether the evaluation could have seen "
                           "the gain depends on which of chapter 2's readings is right"),
        "ch9_gain_side": "above" if gain["detectable"] else "below",
        "ch9_icc": f"{scn.icc:g}",
        "ch9_icc_turn": f"{gain['icc_threshold']:.3f}",
        "ch9_icc_turn_max": f"{det['icc_threshold'].max():.3f}",
        "ch9_reading": _reading_phrase(str(gain["reading"])),
        "ch9_lift_contract": _num(lifts.loc["contract", "difference"]),
        "ch9_lift_model": _num(lifts.loc["outcome_model", "difference"]),
        "ch9_outcome_gain": _num(head["difference"]),
        "ch9_outcome_mdd": f"{100 * head['mdd_actual']:.1f}",
        "ch9_lift_headline": str(head["model_name"]),
        "ch9_lift_other": str(other["model_name"]),
        "ch9_lift_other_gain": _num(other["difference"]),
        "ch9_predictions": _count(sum(counts.values())),
        **{f"ch9_{k.replace(' ', '_')}": _count(n) for k, n in counts.items()},
        "ch9_funding": f"£{f.loc['funding_first_wave', 'value']:.0f}m",
        "ch9_grant": fmt_gbp(f.loc["second_wave_grant", "value"]),
        "ch9_prev_gain": PREVIOUS_EDITION["continuity_gain"],
        "ch9_price_year": scn.price_year,
    }
