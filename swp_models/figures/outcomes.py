"""Tables, key results and charts for chapter 6, "Contracting for outcomes".

Numbers come from :mod:`swp_models.outcomes` and :mod:`swp_models.outcome_contracts` (the
same simulated practice-years throughout). Parameters bound to the page's controls carry
names starting ``ch6_``.
"""

from __future__ import annotations

import html
import math
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from .. import contracts
from .. import outcome_contracts as oc
from .. import outcomes as om
from ..charts import PALETTE, finish, selector, series_cues, slider
from ..tables import Table
from ..tables import key_results as _key_table

__all__ = [
    "clustering_table",
    "contract_table",
    "download_link",
    "durability_table",
    "financial_schedule_table",
    "indicator_table",
    "key_results",
    "measure_table",
    "mixed_chart",
    "multitask_chart",
    "noise_chart",
    "noise_frame",
    "schedule_table",
    "term_chart",
]

_SOURCE = "Simulated here (chapters 2-3 models, 100 ± 10 children)"
_ASSUMED = "assumptions in data/assumptions_outcomes.csv"
_NAMES = {"stable_placement": "Fewer than three placements", "same_worker": "Same social worker all year",
          "attainment": "Attainment target reached", "all": "All three (sum)"}
_MINUS = "−"


def _k(x: float) -> str:
    return f"{_MINUS if x < -500 else ''}£{abs(x) / 1000:,.0f}k"


def _pct(x: float, digits: int = 0) -> str:
    return f"{100 * x:.{digits}f}%"


# ---------------------------------------------------------------------------------------
# The indicators
# ---------------------------------------------------------------------------------------


def indicator_table() -> Table:
    """Every indicator of Arts. 22-27, its kind, data, countability and control, from the data table."""
    t = om.indicators()
    frame = pd.DataFrame({
        "Art.": t["article"].str.replace("Art. ", "", regex=False),
        "Outcome area": t["area"],
        "Performance indicator": t["indicator"],
        "Level or change": t["kind"],
        "Data needed": t["data_needed"],
        "Count of children?": t["countable"].map({True: "yes", False: "no"}),
        "Practice's control": [f"{c} ({100 * v:.0f}%{'' if s == 'sourced' else ', assumed'})"
                               for c, v, s in zip(t["control"], t["value"], t["status"])],
    })
    n = len(t)
    return Table(frame, caption=f"The draft contract's {n} performance indicators (Annex A.2, Arts. 22-27)",
                 notes="Control: the share of the indicator's year-to-year variation taken to be under the practice's "
                       "control. Two are from the report (s.6.1.6); the rest are assumptions, rated high, partial or "
                       "low with a range, in data/outcome_indicators.csv.")


@lru_cache(maxsize=1)
def _rates() -> dict[str, float]:
    model = om.default_outcome_model()
    return {"three_plus_placements_england": om.evidence("three_plus_placements_england") / 100,
            "gcse_one_a_star_to_g_england": om.evidence("gcse_one_a_star_to_g_england") / 100,
            "same_worker_model": model.p_same(om.assumption("effort_reference"))}


def noise_frame(children: int = 100) -> pd.DataFrame:
    """Sampling spread of each countable indicator's share for ``children`` children (percentage points).

    Where a rate is known (national figures, or chapter 2's model) the spread is at that rate;
    otherwise the range from a rate of 5% (or 95%) to 50%. Columns ``indicator``, ``article``,
    ``rate`` (NaN when unknown), ``low``, ``high`` (independent children).
    """
    t = om.indicators()
    t = t[t["countable"]]
    rates = _rates()
    rows = []
    for rec in t.itertuples(index=False):
        rate = rates.get(rec.evidence) if isinstance(rec.evidence, str) else None
        label = rec.indicator if len(rec.indicator) <= 60 else rec.indicator[:57].rstrip() + "..."
        if rate is not None:
            sd = om.sampling_sd(rate, children)
            rows.append({"indicator": label, "article": rec.article, "rate": rate, "low": sd, "high": sd})
        else:
            rows.append({"indicator": label, "article": rec.article, "rate": float("nan"),
                         "low": om.sampling_sd(0.05, children), "high": om.sampling_sd(0.5, children)})
    return pd.DataFrame(rows)


def noise_chart() -> alt.VConcatChart:
    """How noisy each countable indicator is for 100 children, with a slider for clustering by caseload."""
    frame = noise_frame()
    frame = frame.assign(low=frame["low"].round(3), high=frame["high"].round(3),
                         known=frame["rate"].notna().map({True: "Rate known", False: "Rate unknown: 5% to 50%"}))
    m = 100 / om.assumption("social_workers")
    icc = slider("ch6_noise_icc", "Correlation within a caseload (ICC)", 0, 0.5, 0.05, 0.0)
    de = f"sqrt(1 + ({m:.2f} - 1) * ch6_noise_icc)"
    y = alt.Y("indicator:N", sort=None, title=None, axis=alt.Axis(labelLimit=180))
    x = alt.X("lo:Q", title="Spread of the share (sd, percentage points)", scale=alt.Scale(domain=[0, 16]))
    kinds = ["Rate known", "Rate unknown: 5% to 50%"]
    known = alt.datum.known == kinds[0]
    # One mark: a round-capped rule, a dot where the rate is known (from and to are equal) and a bar
    # from 5% to 50% where it is not. One panel for each, named above it (colour is not the only cue);
    # one layer, so the panels' own indicator scales come from one data source.
    chart = alt.Chart(frame).transform_calculate(lo=f"datum.low * {de}", hi=f"datum.high * {de}").mark_rule(
        strokeCap="round").encode(
        y=y, x=x, x2="hi:Q",
        color=alt.Color("known:N", legend=None, scale=alt.Scale(domain=kinds, range=[PALETTE[0], "#999"])),
        strokeWidth=alt.condition(known, alt.value(9), alt.value(5)),
        opacity=alt.condition(known, alt.value(1), alt.value(0.6)),
        tooltip=[alt.Tooltip("indicator:N", title="Indicator"), alt.Tooltip("article:N", title="Article"),
                 alt.Tooltip("lo:Q", title="sd from (points)", format=".1f"),
                 alt.Tooltip("hi:Q", title="sd to (points)", format=".1f")],
    ).properties(width=220, height=alt.Step(16)).facet(
        row=alt.Row("known:N", sort=kinds, title=None,
                    header=alt.Header(labelAngle=0, labelOrient="top", labelAnchor="start", labelFontWeight="bold",
                                      labelPadding=2)),
        spacing={"row": 8},
    ).resolve_scale(y="independent").add_params(icc)
    return finish(chart, "A share of 100 children is a noisy measure",
                  subtitle=["Standard deviation of each countable indicator's share in one year. Slide the",
                            f"correlation within caseloads of {m:.1f} children to see clustering widen it."],
                  source=["Le Grand (2007) Annex A.2", "CYP Now (rates for England)", "chapter 2 model", _ASSUMED])


# ---------------------------------------------------------------------------------------
# Clustering, levels and value added
# ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _clustering() -> pd.DataFrame:
    model = om.default_outcome_model()
    clustered = om.simulate_outcomes(model, oc.CHAPTER_YEARS, oc.CHAPTER_SEED, caseload=100)
    alone = om.simulate_outcomes(model, oc.CHAPTER_YEARS, oc.CHAPTER_SEED, caseload=100, clustered=False)
    e = clustered.reference_effort
    a, b = clustered.at(e), alone.at(e)
    m = 100 / model.social_workers
    rho = om.same_worker_icc(model.hazard_at(e), model.individual_change_probability)
    rows = []
    for ind in om.INDICATORS:
        ratio = float(np.var(a.level[ind]) / np.var(b.level[ind]))
        closed = om.design_effect(m, rho) if ind == "same_worker" else float("nan")
        rows.append({"indicator": ind, "rate": float(a.level[ind].mean() / clustered.years.counts.mean()),
                     "sd_independent": float(np.std(b.level[ind])), "sd_clustered": float(np.std(a.level[ind])),
                     "ratio": ratio, "closed_form": closed})
    return pd.DataFrame(rows)


def clustering_table() -> Table:
    """Variance of each count with caseloads against independent children, and the closed-form design effect."""
    t = _clustering()
    frame = pd.DataFrame({
        "Indicator": t["indicator"].map(_NAMES),
        "Share of children": t["rate"].map(lambda x: _pct(x)),
        "sd, independent children": t["sd_independent"].map(lambda x: f"{x:.1f}"),
        "sd, caseloads": t["sd_clustered"].map(lambda x: f"{x:.1f}"),
        "Variance ratio (simulated)": t["ratio"].map(lambda x: f"{x:.1f}"),
        "Design effect 1 + (m − 1)ρ": t["closed_form"].map(lambda x: "" if math.isnan(x) else f"{x:.1f}"),
    })
    m = 100 / om.assumption("social_workers")
    return Table(frame, caption="Clustering: the spread of each year's count when children share caseloads",
                 notes=f"Counts among exactly 100 children, {oc.CHAPTER_YEARS:,} simulated years, with {m:.1f} "
                       "children a caseload and with every child on a caseload of its own. The closed form is given "
                       "where the correlation has one (same worker: a departure moves the whole caseload).")


@lru_cache(maxsize=1)
def _measures() -> pd.DataFrame:
    draws = oc.chapter_draws()
    return om.measure_comparison(draws, contracts.assumption("outcome_bonus"), contracts.assumption("risk_tolerance"),
                                 om.assumption("effort_sd_across_practices"))


def measure_table() -> Table:
    """Levels against value added: spread, uncontrolled share and risk premium of a £1,000-a-unit bonus."""
    t = _measures()
    frame = pd.DataFrame({
        "Indicator": t["indicator"].map(_NAMES),
        "Paid on": t["measure"].map({"level": "Level", "value_added": "Value added"}),
        "Expected bonus": t["mean_bonus"].map(_k),
        "Spread (sd)": t["sd_bonus"].map(lambda x: f"£{x:,.0f}"),
        "Reward for 0.1 more effort": (0.1 * t["slope"]).map(lambda x: f"£{x:,.0f}"),
        "Share of variance outside the practice's control": t["uncontrolled_share"].map(lambda x: _pct(x, 1)),
        "Risk premium": t["risk_premium"].map(lambda x: f"£{x:,.0f}"),
    })
    return Table(frame, caption="Paying on levels or on value added: the same incentive, less of the variance from "
                                "luck (bonus £1,000 a unit, a year)",
                 notes="Outside the practice's control: the variance of the bonus at a given effort, against that plus "
                       "the variance effort would explain across practices whose effort spreads evenly from 0 to 1 "
                       "(assumption). Risk premium: exact, risk tolerance £250,000 (chapter 5's assumption).")


# ---------------------------------------------------------------------------------------
# Contracts, caps, schedule, term
# ---------------------------------------------------------------------------------------


def contract_table() -> Table:
    """The chapter's contracts: outcome payment, practice's risk, incentive and council's cost."""
    t = oc.contract_table()
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "£ per unit": t["rate"].map(lambda x: f"£{x:,.0f}"),
        "Paid on outcomes": t["outcome_pay"].map(_k),
        "Practice: sd of surplus": t["sd_surplus"].map(_k),
        "Chance of a loss": t["p_loss"].map(_pct),
        "Loss beyond reserves in a year": t["p_fail_year"].map(lambda x: _pct(x, 1)),
        "Risk premium": t["risk_premium"].map(_k),
        "Reward for 0.1 more effort": t["incentive"].map(lambda x: f"£{x:,.0f}"),
        "Returned (s.7)": t["returned"].map(_k),
        "Council: total": t["council_cost"].map(lambda x: f"£{x / 1e6:,.3f}m"),
    })
    return Table(frame, caption="Outcome contracts compared on the same children (£ a year)",
                 notes="Every contract pays the expected cost of the children plus a 2% margin on average (assumption); "
                       "the fixed part is set so. Units: each child with fewer than three placements, the same worker "
                       "all year or the attainment target counts once for each. Reserves £250,000 (assumption). "
                       f"Council's total: value plus risk premium, terms set so that the practice just accepts. "
                       f"{oc.CHAPTER_YEARS:,} simulated years.")


def schedule_table() -> Table:
    """The 2008 proposal year by year."""
    t = oc.schedule_by_year()
    frame = pd.DataFrame({
        "Year": t["year"].astype(int).astype(str),
        "Share on outcomes": [f"{100 * s:.0f}%" + (" (reported)" if y in (1, 4) else " (assumed)")
                              for y, s in zip(t["year"], t["share"])],
        "£ per unit": t["rate"].map(lambda x: f"£{x:,.0f}"),
        "Practice: sd of surplus": t["sd_surplus"].map(_k),
        "Risk premium": t["risk_premium"].map(_k),
        "Failed by this year": t["p_failed"].map(_pct),
    })
    return Table(frame, caption="The 2008 proposal: performance-related funding from nothing in year one to 60% in "
                                "year four",
                 notes="Years one and four as reported (Community Care, 2 June 2008); years two and three on a straight "
                       "line (assumption). Paid per child counted on the three indicators. Failure: reserves of "
                       "£250,000 (assumption) exhausted; the loss beyond them falls on the council, on average "
                       f"{_k(oc.term_shortfall())} over the four years (a block contract throughout: "
                       f"{_k(oc.term_shortfall((0.0,) * oc.TERM_YEARS))}).")


def _csv(frame: pd.DataFrame) -> alt.InlineData:
    text = frame.to_csv(index=False, lineterminator="\n", float_format="%.5g")
    numeric = {c: "number" for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    return alt.InlineData(values=text, format=alt.DataFormat(type="csv", parse=numeric))


def mixed_chart() -> alt.VConcatChart:
    """The mixed contract: bonus per unit, level or value added and a cap (sliders) against risk and incentive."""
    g = oc.mixed_grid()
    frame = pd.DataFrame({
        "bonus": g["bonus"], "va": (g["measure"] == "value_added").astype(int), "cap": g["cap"] / 1000,
        "rp": (g["risk_premium"] / 1000).round(2), "inc": g["incentive"].round(0),
        "loss": (100 * g["p_loss"]).round(2),
    })
    bonus = slider("ch6_mixed_bonus", "Bonus per unit (£)", 0, 5000, 500, contracts.assumption("outcome_bonus"))
    va = selector("ch6_mixed_measure", "Paid on", [0, 1], 0, labels=["levels", "value added"])
    caps = [c / 1000 for c in oc.GRID_CAPS]
    cap = selector("ch6_mixed_cap", "Outcome pay at most this above expected", caps, 0.0,
                   labels=["no cap"] + [f"£{c:,.0f}k" for c in caps[1:]])
    pick = (alt.datum.va == va) & (alt.datum.cap == cap)
    base = alt.Chart(_csv(frame)).transform_filter(pick)
    x = alt.X("bonus:Q", title="Bonus per unit (£)")
    left = base.mark_line(color=PALETTE[3]).encode(x=x, y=alt.Y("rp:Q", title="Risk premium (£ thousand a year)"))
    left_pt = base.transform_filter(alt.datum.bonus == bonus).mark_point(filled=True, size=90, color=PALETTE[3]).encode(
        x="bonus:Q", y="rp:Q", tooltip=[alt.Tooltip("rp:Q", title="Premium (£k)", format=",.1f"),
                                        alt.Tooltip("loss:Q", title="Chance of a loss (%)", format=".1f")])
    right = base.mark_line(color=PALETTE[2]).encode(x=x, y=alt.Y("inc:Q", title="Reward for 0.1 more effort (£ a year)"))
    right_pt = base.transform_filter(alt.datum.bonus == bonus).mark_point(filled=True, size=90,
                                                                         color=PALETTE[2]).encode(
        x="bonus:Q", y="inc:Q", tooltip=[alt.Tooltip("inc:Q", title="Reward (£)", format=",.0f")])
    chart = alt.vconcat((left + left_pt).properties(width=270, height=150),
                        (right + right_pt).properties(width=270, height=150)).add_params(bonus, va, cap)
    return finish(chart, "A bigger bonus buys incentive with risk",
                  subtitle=["The practice's risk premium (top) and its reward for effort (bottom) as the bonus grows.",
                            "A cap removes risk and incentive together; value added removes some risk only."],
                  source=[_SOURCE, "Holmström and Milgrom (1987)", _ASSUMED])


def term_chart() -> alt.VConcatChart:
    """Chance of failure by year over four years: share paid on outcomes (slider) and reserves (menu)."""
    g = oc.term_grid()
    frame = pd.DataFrame({
        "plan": (g["plan"] == "2008 schedule").astype(int), "share": g["share"].fillna(-1),
        "reserves": (g["reserves"] / 1000).astype(int), "year": g["year"], "p": (100 * g["p_failed"]).round(2),
    })
    share = slider("ch6_term_share", "Share of the contract paid on outcomes", 0, 1, 0.1, 0.0)
    r0 = [int(r / 1000) for r in oc.GRID_RESERVES]
    res = selector("ch6_term_reserves", "Practice's reserves at the start", r0, int(om.assumption("practice_reserves") / 1000),
                   labels=[f"£{r:,}k" for r in r0])
    data = alt.Chart(_csv(frame)).transform_filter(alt.datum.reserves == res).transform_filter(
        "(datum.plan == 1) || (abs(datum.share - ch6_term_share) < 1e-6)").transform_calculate(
        line="datum.plan == 1 ? '2008 schedule: 0%, 20%, 40%, 60%' : 'The share chosen, every year'")
    chart = data.mark_line(point=True).encode(
        x=alt.X("year:O", title="Year of the contract", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("p:Q", title="Practice failed by then (%)", scale=alt.Scale(domain=[0, 60])),
        **series_cues("line:N", ["2008 schedule: 0%, 20%, 40%, 60%", "The share chosen, every year"],
                      [PALETTE[3], PALETTE[0]]),
        tooltip=[alt.Tooltip("line:N", title="Plan"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("p:Q", title="Failed by then (%)", format=".1f")],
    ).add_params(share, res).properties(width=270, height=230)
    return finish(chart, "Reserves run out over a four-year term",
                  subtitle=["Chance that the practice's reserves have run out, by year. Paid per child counted;",
                            "the children's costs are the practice's to bear, as in the report's block baseline."],
                  source=[_SOURCE, "Community Care, 2 June 2008", _ASSUMED])


# ---------------------------------------------------------------------------------------
# Durability, Illinois, two tasks
# ---------------------------------------------------------------------------------------


def durability_table() -> Table:
    """The durability rule and the Illinois permanency bonus for a practice of 100 children."""
    a = om.assumption
    n = 100
    rate = a("permanency_rate")
    bonus = a("permanency_bonus")
    threshold = om.evidence("illinois_permanency_threshold") / 100
    rows = []
    for p in (0.1, a("reentry_within_year"), 0.4):
        lam = om.reentry_hazard(p)
        d = om.durability_rule(n * rate, bonus, lam)
        without = om.permanency_bonus(n, rate, threshold, bonus)
        with_rule = om.permanency_bonus(n, rate, threshold, bonus, d.lasting_share)
        rows.append({
            "Re-entry within a year": _pct(p) + (" (assumed)" if p == a("reentry_within_year") else ""),
            "Paid per move, no rule": f"£{d.paid_without_rule:,.0f}",
            "of which for breakdowns": f"£{d.paid_for_breakdowns:,.0f}",
            "Paid with the 12-month rule": f"£{d.paid_with_rule:,.0f}",
            "Illinois bonus (above 24%), no rule": f"£{without['expected_bonus']:,.0f} ({_pct(without['p_bonus'])})",
            "Illinois bonus, with the rule": f"£{with_rule['expected_bonus']:,.0f} ({_pct(with_rule['p_bonus'])})",
        })
    return Table(pd.DataFrame(rows), caption="The durability rule: what a bonus on moves into permanent homes pays, "
                                              "with and without 12 continuous months (£ a year)",
                 notes=f"100 children, {100 * rate:.0f}% moved to permanent homes a year and £{bonus:,.0f} a move "
                       "(assumptions); constant re-entry hazard. Illinois bonus: £ per move above 24% of the caseload "
                       "(ASPE), with the chance that any is paid in brackets.")


def multitask_chart() -> alt.VConcatChart:
    """Teaching to the indicator: effort on the paid and the unpaid task as the bonus rises (slider: substitution)."""
    bonuses = np.round(np.linspace(0, 1, 21), 2)
    subs = np.round(np.linspace(0, 0.9, 10), 1)
    ethos = om.assumption("multitask_ethos")
    t = om.two_task_table(bonuses, subs, ethos)
    long = t.melt(id_vars=["bonus", "substitution"], value_vars=["measured", "unmeasured", "net_value"],
                  var_name="series", value_name="value")
    long = long.assign(value=long["value"].round(4),
                       series=long["series"].map({"measured": "Effort on the paid task",
                                                  "unmeasured": "Effort on the unpaid task",
                                                  "net_value": "Value of both, net of effort cost"}))
    d = slider("ch6_multitask_d", "How far the tasks compete for time", 0, 0.9, 0.1,
               om.assumption("multitask_substitution"))
    # One legend for colour and dash: each series has its own colour and its own line style.
    legend = alt.Legend(orient="bottom", direction="vertical", symbolStrokeWidth=2)
    chart = alt.Chart(long).transform_filter(f"abs(datum.substitution - ch6_multitask_d) < 1e-6").mark_line().encode(
        x=alt.X("bonus:Q", title="Bonus on the paid task (same units as the ethos)"),
        y=alt.Y("value:Q", title="Effort or value (units of effort)"),
        color=alt.Color("series:N", title=None, scale=alt.Scale(range=[PALETTE[0], PALETTE[3], PALETTE[2]]),
                        legend=legend),
        strokeDash=alt.StrokeDash("series:N", title=None, legend=legend,
                                  scale=alt.Scale(range=[[1, 0], [7, 3], [2, 2]])),
        tooltip=[alt.Tooltip("series:N", title="Series"), alt.Tooltip("bonus:Q", title="Bonus"),
                 alt.Tooltip("value:Q", title="Value", format=".2f")],
    ).add_params(d).properties(width=270, height=230)
    return finish(chart, "Paying for one outcome draws effort from the others",
                  subtitle=[f"Two tasks valued at {ethos:g} each by the practice's ethos; the contract pays on one.",
                            "At 0 the tasks are independent and the unpaid task is untouched."],
                  source=["Holmström and Milgrom (1991)", _ASSUMED])


# ---------------------------------------------------------------------------------------
# Art. 9 and the key results
# ---------------------------------------------------------------------------------------


def financial_schedule_table() -> Table:
    """The draft contract's Art. 9 filled in from the chapter's chosen terms."""
    t = oc.financial_schedule()
    frame = t.rename(columns={"item": "Art. 9 item", "term": "Term", "basis": "Basis"})
    return Table(frame, caption="A financial schedule for the draft contract (Art. 9, Financial Arrangements)",
                 notes="From the chapter's chosen terms: the report's £1,000 bonus per unit (chapter 5's assumption) on "
                       "value added, outcome pay at most £50,000 above its expected value, half of any surplus above "
                       "£100,000 returned (assumptions).")


class _Html:
    def __init__(self, text: str) -> None:
        self.text = text

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return "Download: financial_schedule.csv"


def download_link() -> object:
    """A link that downloads the financial schedule as CSV (a ``data:`` URI: works on a static page).

    Returns
    -------
    object
        Shown by Jupyter as the HTML link (it has ``_repr_html_``); its text form names the file.
    """
    _, uri = oc.financial_schedule_csv()
    return _Html(f'<p><a class="swp-download" download="financial_schedule.csv" href="{html.escape(uri)}">'
                 "Download the financial schedule (CSV)</a></p>")


def key_results() -> Table:
    """The chapter's key-results table."""
    ind = om.indicators()
    clus = _clustering().set_index("indicator")
    meas = _measures().set_index(["indicator", "measure"])
    ct = oc.contract_table().set_index("contract")
    names = list(ct.index)
    block, mixed = names[0], names[1]
    pure_count, pure_share = names[6], names[7]
    sched = oc.schedule_by_year()
    g = oc.term_grid()
    block4 = float(g[(g["plan"] == "constant") & (g["share"] == 0) & (g["year"] == 4)
                     & (g["reserves"] == om.assumption("practice_reserves"))]["p_failed"].iloc[0])
    a = om.assumption
    d = om.durability_rule(100 * a("permanency_rate"), a("permanency_bonus"), om.reentry_hazard(a("reentry_within_year")))
    sim = f"simulated, {oc.CHAPTER_YEARS:,} practice-years"
    return _key_table([
        ("Indicators in the draft contract; countable for 100 children; rated mostly outside the practice's control",
         f"{len(ind)}; {int(ind['countable'].sum())}; {int((ind['control'] == 'low').sum())} low, "
         f"{int((ind['control'] == 'partial').sum())} partial", "Annex A.2, Arts. 22-27", "control ratings"),
        ("Spread of the share with three or more placements for 100 children (rate 12%)",
         f"{om.sampling_sd(0.12, 100):.1f} percentage points", "binomial; national rate 2005/06"),
        ("Same worker all year: spread of the count, caseloads against independent children",
         f"{clus.loc['same_worker', 'sd_clustered']:.1f} against {clus.loc['same_worker', 'sd_independent']:.1f} "
         f"children (variance × {clus.loc['same_worker', 'ratio']:.1f}; closed form "
         f"{clus.loc['same_worker', 'closed_form']:.1f})", sim, "social workers and turnover"),
        ("Attainment bonus: share of its variance outside the practice's control, levels; value added",
         f"{_pct(meas.loc[('attainment', 'level'), 'uncontrolled_share'], 1)}; "
         f"{_pct(meas.loc[('attainment', 'value_added'), 'uncontrolled_share'], 1)}", sim, "effort spread, prior weight"),
        ("Risk premium of the report's mixed contract (£1,000 a unit) against a block contract",
         f"{_k(ct.loc[mixed, 'risk_premium'])} against {_k(ct.loc[block, 'risk_premium'])} a year", sim,
         "risk tolerance"),
        ("Paid wholly on outcomes: risk premium paid per child counted; paid on the share of children",
         f"{_k(ct.loc[pure_count, 'risk_premium'])}; {_k(ct.loc[pure_share, 'risk_premium'])}", sim, "risk tolerance"),
        ("2008 proposal (nothing to 60% on outcomes): chance the practice has failed by year four",
         f"{_pct(sched['p_failed'].iloc[-1])} (block contract throughout: {_pct(block4)})",
         sim + "; Community Care, 2 June 2008", "reserves £250,000"),
        ("Without the durability rule, paid a year for reunifications that break down within 12 months",
         f"£{d.paid_for_breakdowns:,.0f} of £{d.paid_without_rule:,.0f}", "constant re-entry hazard",
         "re-entry share 25%"),
        ("Two tasks: a bonus on the paid task lowers the unpaid one whenever they compete for time; unpaid effort "
         "stops at a bonus of",
         f"{a('multitask_ethos') * (1 - a('multitask_substitution')) / a('multitask_substitution'):.2f} "
         f"(ethos {a('multitask_ethos'):g}, substitution {a('multitask_substitution'):g})",
         "Holmström and Milgrom (1991), closed form", "substitution and ethos"),
    ], caption="Key results: contracting for outcomes with a practice of 100 children (default assumptions)")
