"""Tables, key results and charts for chapter 6, "Contracting for outcomes".

Formatting only: every number comes from :mod:`swp_models.outcomes` and
:mod:`swp_models.outcome_contracts`, priced for the book's central scenario under both scopes
(:class:`~swp_models.scenario.Scenario`) on the first practice-years of chapter 5's sample.
Parameters bound to the page's controls carry names starting ``ch6_``.
"""

from __future__ import annotations

import html
import math
from typing import Callable

import altair as alt
import numpy as np
import pandas as pd

from .. import contracts, engine
from .. import outcome_contracts as oc
from .. import outcomes as om
from .. import schedule as art9
from ..scenario import Scenario
from ..charts import PALETTE, finish, selector, series_cues, slider
from ..tables import Table
from ..tables import key_results as _key_table
from ..validation import check_one_of

__all__ = [
    "clustering_table",
    "contract_table",
    "download_link",
    "durability_table",
    "financial_schedule_table",
    "indicator_table",
    "intake_table",
    "key_results",
    "measure_table",
    "mixed_chart",
    "multitask_chart",
    "noise_chart",
    "noise_frame",
    "placement_table",
    "POISSON_EDITION",
    "PREVIOUS_EDITION",
    "prose_numbers",
    "schedule_comparison_table",
    "schedule_table",
    "term_chart",
    "underperformance_table",
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


def _gbp(x: float) -> str:
    """£ to the pound below £10,000, in thousands above."""
    sign = _MINUS if x < -0.5 else ""
    return f"{sign}£{abs(x):,.0f}" if abs(x) < 9_999.5 else f"{sign}£{abs(x) / 1000:,.0f}k"


#: The two scopes, central first.
_SCOPES: tuple[str, ...] = ("social_work", "placements")


def _scenario(scope: str) -> Scenario:
    check_one_of("scope", scope, _SCOPES)
    return Scenario.central() if scope == Scenario.central().scope else Scenario.central(scope=scope)


def _tol(scn: Scenario) -> str:
    return "unlimited" if math.isinf(scn.risk_tolerance) else f"£{scn.risk_tolerance:,.0f}"


def _reserves(scn: Scenario) -> str:
    return f"£{engine.reserves(scn):,.0f} ({scn.reserve_months:g} months of the practice's running cost)"


def _margin(scn: Scenario) -> str:
    return f" plus a {100 * scn.margin:g}% margin" if scn.margin else " (no margin)"


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
                       "control. Every rating is an assumption, rated high, partial or low with a range, in "
                       "data/outcome_indicators.csv; for two the report's words set the rating's direction (s.6.1.6): "
                       "the stability of social workers \"might be one\" outcome solely under the practice's control, "
                       "and attainment depends \"at least as much (and indeed probably far more)\" on prior attainment.")


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
    icc = slider("ch6_noise_icc", "How alike the children on one caseload fare (0 = independent)", 0, 0.5, 0.05, 0.0)
    de = f"sqrt(1 + ({m:.2f} - 1) * ch6_noise_icc)"
    y = alt.Y("indicator:N", sort=None, title=None, axis=alt.Axis(labelLimit=180))
    x = alt.X("lo:Q", title="Spread of the share from chance (percentage points)", scale=alt.Scale(domain=[0, 16]))
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


def clustering_table() -> Table:
    """Variance of each count with caseloads against independent children, and the closed-form design effect."""
    scn = Scenario.central()
    t = oc.clustering(scn)
    frame = pd.DataFrame({
        "Indicator": t["indicator"].map(_NAMES),
        "Share of children": t["rate"].map(lambda x: _pct(x)),
        "Spread, independent children": t["sd_independent"].map(lambda x: f"{x:.1f}"),
        "Spread, caseloads": t["sd_clustered"].map(lambda x: f"{x:.1f}"),
        "Variance ratio (simulated)": t["ratio"].map(lambda x: f"{x:.1f}"),
        "Design effect (by formula)": t["closed_form"].map(lambda x: "" if math.isnan(x) else f"{x:.1f}"),
    })
    m = 100 / om.assumption("social_workers")
    return Table(frame, caption="Clustering: the spread of each year's count when children share caseloads",
                 notes=f"Counts among exactly 100 children, {scn.simulation.outcome_years:,} simulated years (seed "
                       f"{scn.simulation.seed}), with {m:.1f} children a caseload and with every child on a caseload of "
                       "its own. Spread: standard deviation of the count. The closed form, 1 + (m − 1)ρ for "
                       "caseloads of m children with correlation ρ, is given where ρ has one (same worker: a "
                       "departure moves the whole caseload).")


_PLACEMENT_ROWS = {
    "three_plus": ("Three or more placements in the year", "2005/06, England", "share"),
    "six_plus": ("Six or more placements in the year", "2005-06 (Lords written answer, 20 March 2008)", "share"),
    "eleven_plus": ("Eleven or more placements in the year", "2005-06 (Lords written answer, 20 March 2008)", "share"),
    "same_placement_two_years": ("Same placement two years running",
                                 "long-stay children under 16, 31 March 2008 (Commons committee)", "share"),
    "placements_over_3_5_years": ("Placements per child over 3.5 years", "242 long-stay entrants (Ward 2009)",
                                  "count"),
}


def _share_or_count(x: float, kind: str) -> str:
    if kind == "count":
        return f"{x:.1f}"
    if x < 0.00005:
        return "below 0.01%"
    return f"{100 * x:.2f}%" if x < 0.1 else _pct(x)


def placement_table() -> Table:
    """The placement model, with and without children's own propensity to move, against published figures."""
    t = om.placement_comparison()
    uses = {"calibrated": "fitted (both)", "calibrated (mixed)": "fitted (varying)", "check": "check"}
    frame = pd.DataFrame({
        "Measure": [_PLACEMENT_ROWS[m][0] for m in t["measure"]],
        "Published": [_share_or_count(x, _PLACEMENT_ROWS[m][2]) for m, x in zip(t["measure"], t["published"])],
        "Same rate for a needs group (at random, steady rate)": [_share_or_count(x, _PLACEMENT_ROWS[m][2])
                                                  for m, x in zip(t["measure"], t["poisson"])],
        "Rate varies between children (negative binomial)": [_share_or_count(x, _PLACEMENT_ROWS[m][2])
                                                              for m, x in zip(t["measure"], t["mixed"])],
        "Use": t["use"].map(uses),
        "Published figure": [_PLACEMENT_ROWS[m][1] for m in t["measure"]],
    })
    cv = om.default_outcome_model().placement_child_cv
    return Table(frame, caption="Placement moves: the two models against published figures (council conditions, "
                                "2005; the book's needs mix)",
                 notes=f"Both models fitted to the share with three or more placements; the varying one also to the "
                       f"share with six or more, which gives each child's own rate a coefficient of variation of "
                       f"{cv:.2f}. Two years running: each child's own rate and its caseload's kept, changes of "
                       "worker drawn afresh each year; the published share is of children looked after 2.5 years or "
                       "more, and counts those placed for adoption. Over 3.5 years: the first placement counted, at "
                       "the model's yearly rate; Ward's children had just entered care, when moves are most frequent. "
                       "Sources: data/placements_in_year.csv, data/outcome_evidence.csv.")


def intake_table() -> Table:
    """Two intakes, the same effort: the report's bonus on levels and on value added."""
    scn = Scenario.central()
    t = oc.intake_comparison(scn)
    b = contracts.assumption("outcome_bonus")
    frame = pd.DataFrame({
        "Intake": [f"{_pct(a)} with additional needs, {_pct(c)} complex" for a, c in
                   zip(t["additional_needs"], t["complex"])],
        "Paid on": t["measure"].map({"level": "Level", "value_added": "Value added"}),
        "Expected bonus": t["mean_bonus"].map(_gbp),
        "Against the lighter intake": t["gap"].map(lambda x: (_MINUS if x < -0.5 else "") + f"£{abs(x):,.0f}"),
        "Reward for 0.1 more effort": t["reward"].map(lambda x: f"£{x:,.0f}"),
    })
    return Table(frame, caption=f"Two practices with different intakes and the same effort, paid £{b:,.0f} a child "
                                f"counted on all three indicators (£ a year, {scn.price_year} prices)",
                 notes="Intakes: the lightest and the heaviest of chapter 3's needs mixes, standing in for pilots as "
                       "different as SWP B (80 children aged 8-17 with high needs) and SWP C (care leavers); the "
                       "pilots' needs mixes are not published. Value added is set against the book's central mix for "
                       f"both. {scn.simulation.outcome_years:,} simulated practice-years each, the same seed "
                       f"({scn.simulation.seed}).")


def measure_table() -> Table:
    """Levels against value added: spread, uncontrolled share and risk premium of the report's bonus a unit."""
    scn = Scenario.central()
    t = oc.measures(scn)
    b = contracts.assumption("outcome_bonus")
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
                                f"luck (bonus £{b:,.0f} a unit; £ a year, {scn.price_year} prices)",
                 notes="Outside the practice's control: the variance of the bonus at a given effort, against that plus "
                       "the variance effort would explain across practices whose effort spreads evenly from 0 to 1 "
                       f"(assumption). Risk premium of the bonus alone: exact, risk tolerance {_tol(scn)} (the "
                       f"scenario's). {scn.simulation.outcome_years:,} simulated practice-years.")


# ---------------------------------------------------------------------------------------
# Contracts, caps, schedule, term
# ---------------------------------------------------------------------------------------


def _diff(x: float, se: float) -> str:
    if x == 0 and se == 0:
        return "—"
    sign = "+" if x >= 0 else _MINUS
    return f"{sign}{_gbp(abs(x))} (± {_gbp(se)})"


def _dpts(x: float, se: float) -> str:
    if x == 0 and se == 0:
        return "—"
    sign = "+" if x >= 0 else _MINUS
    return f"{sign}{100 * abs(x):.1f} (± {100 * se:.1f})"


def contract_table(scope: str = "social_work") -> Table:
    """The chapter's contracts under one scope: outcome payment, practice's risk, failure, incentive, council's cost."""
    scn = _scenario(scope)
    t = oc.contract_table(scn)
    head = oc.block_headline(scn)
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "£ per unit": t["rate"].map(lambda x: f"£{x:,.0f}"),
        "Paid on outcomes": t["outcome_pay"].map(_gbp),
        "Practice: sd of surplus": t["sd_surplus"].map(_gbp),
        "Chance of a loss": t["p_loss"].map(_pct),
        "Loss beyond reserves in a year": t["p_fail_year"].map(lambda x: _pct(x, 1)),
        f"Failed within {scn.term_years} years": t["p_fail_term"].map(lambda x: _pct(x, 1)),
        "Risk premium": t["risk_premium"].map(_gbp),
        "Premium against the block (± standard error)": [_diff(x, s) for x, s in zip(t["premium_vs_block"],
                                                                          t["premium_vs_block_se"])],
        "Failed within the term against the block, points (± standard error)": [
            _dpts(x, s) for x, s in zip(t["p_fail_term_vs_block"], t["p_fail_term_vs_block_se"])],
        "Reward for 0.1 more effort": t["incentive"].map(lambda x: f"£{x:,.0f}"),
        "Returned (s.7)": t["returned"].map(_gbp),
        "Council: total": t["council_cost"].map(lambda x: f"£{x / 1e6:,.3f}m"),
    })
    n = scn.simulation.outcome_years
    return Table(frame, caption=f"Outcome contracts compared on the same children, {scn.scope_name} "
                                f"(£ a year, {scn.price_year} prices)",
                 notes=f"Every contract pays on average the practice's expected cost under this scope{_margin(scn)}; "
                       "the fixed part is set so. Units: each child with fewer than three placements, the same worker "
                       f"all year or the attainment target counts once for each. Reserves {_reserves(scn)}; failure "
                       f"within the {scn.term_years}-year term with the same terms every year. The first "
                       f"{n:,} of chapter 5's simulated practice-years: the block contract's figures are chapter 5's on "
                       f"these years; on all {scn.simulation.n_years:,} its risk premium is {_gbp(head['risk_premium'])} "
                       f"and it fails within the term in {_pct(head['p_fail_term'])} of terms. Against the block: the "
                       f"difference on the same years, with a standard error from {oc.BATCHES} batches of consecutive "
                       "years. Council's total: value plus risk premium, terms set so that the practice just accepts.")


def _by_scope(rows: Callable[[Scenario], pd.DataFrame]) -> pd.DataFrame:
    """One page table's rows for each scope, central first, under a "Scope" column."""
    frames = []
    for scope in _SCOPES:
        scn = _scenario(scope)
        frames.append(rows(scn).assign(Scope=scn.scope_name))
    out = pd.concat(frames, ignore_index=True)
    return out[["Scope"] + [c for c in out.columns if c != "Scope"]]


def underperformance_table() -> Table:
    """Every outcome contract when the practice only matches the council's outcome rates, both scopes."""
    def rows(scn: Scenario) -> pd.DataFrame:
        t = oc.council_level_table(scn)
        priced = oc.contract_table(scn).set_index("contract")
        return pd.DataFrame({
            "Contract": t["contract"],
            "Paid on outcomes, as priced": t["outcome_pay"].map(_gbp),
            "Paid at the council's rates": t["outcome_pay_council"].map(_gbp),
            "Practice loses a year": t["loss"].map(_gbp),
            "Chance of a loss": t["p_loss"].map(_pct),
            f"Failed within {scn.term_years} years": t["p_fail_term"].map(lambda x: _pct(x, 1)),
            "Failed within the term, as priced": t["contract"].map(lambda c: _pct(priced.loc[c, "p_fail_term"], 1)),
        })

    rates = _council_rates()
    scn = Scenario.central()
    return Table(_by_scope(rows),
                 caption="If the practice does no better than the council: outcome contracts priced at the practice's "
                         f"assumed outcomes and paid at the council's own rates (£ a year, {scn.price_year} prices)",
                 notes="Council's rates: chapter 2's council rate of changes of worker (England 2005) and no extra "
                       "effort, the conditions at which the model is calibrated to the national rates. Per 100 "
                       "children a year: " + "; ".join(f"{_NAMES[k].lower()} {rates[k][0]:.0f} as priced, "
                                                       f"{rates[k][1]:.0f} at the council's rates" for k in om.INDICATORS)
                       + ". Value added keeps the contract's benchmark. The evaluation's lead: the pilots \"didn't "
                       "consistently outperform the local authority comparison sites\" (Community Care, 26 June 2013). "
                       f"Same children, terms and reserves (£{engine.reserves(scn):,.0f}) as the tables above.")


def _council_rates() -> dict[str, tuple[float, float]]:
    """Each indicator's count per 100 children a year, at the practice's assumed level and at the council's."""
    central = Scenario.central()
    draws = oc.chapter_draws(central)
    ref, council = draws.at(draws.reference_effort), oc.council_level_outcomes(central)
    per = 100 / draws.years.counts.mean()
    return {k: (per * float(ref.level[k].mean()), per * float(council.level[k].mean())) for k in om.INDICATORS}


def schedule_table() -> Table:
    """The 2008 proposal year by year, both scopes, priced on the four-year schedule scenario."""
    parts, notes = [], []
    for scope in _SCOPES:
        scn4 = oc.schedule_scenario(_scenario(scope))
        t = oc.schedule_by_year(scn4)
        parts.append(pd.DataFrame({
            "Scope": scn4.scope_name,
            "Year": t["year"].astype(int).astype(str),
            "Share on outcomes": [f"{100 * s:.0f}%" + (" (reported)" if y in (1, len(t)) else " (assumed)")
                                  for y, s in zip(t["year"], t["share"])],
            "£ per unit": t["rate"].map(lambda x: f"£{x:,.0f}"),
            "Practice: sd of surplus": t["sd_surplus"].map(_gbp),
            "Risk premium": t["risk_premium"].map(_gbp),
            "Failed by this year": t["p_failed"].map(lambda x: _pct(x, 1)),
            "Block throughout: failed by this year": t["p_failed_block"].map(lambda x: _pct(x, 1)),
        }))
        notes.append(f"{scn4.scope_name}: {_gbp(oc.term_shortfall(scn4))} (block throughout: "
                     f"{_gbp(oc.term_shortfall(scn4, (0.0,) * scn4.term_years))})")
    scn4 = oc.schedule_scenario(Scenario.central())
    return Table(pd.concat(parts, ignore_index=True),
                 caption=f"The 2008 proposal: performance-related funding from nothing in year one to "
                         f"{_pct(oc.funding_schedule()[-1])} in year four (scenario: {scn4.label}; £ a year, {scn4.price_year} prices)",
                 notes="Years one and four as reported (Community Care, 2 June 2008); years two and three on a straight "
                       "line (assumption). The schedule runs four years, a year longer than the central "
                       f"{Scenario.central().term_years}-year term. Paid per child counted on the three indicators. "
                       f"Failure: reserves of {_reserves(scn4)} exhausted; the loss beyond them falls on the council, "
                       "on average over the four years " + "; ".join(notes) + ".")


def _csv(frame: pd.DataFrame) -> alt.InlineData:
    text = frame.to_csv(index=False, lineterminator="\n", float_format="%.5g")
    numeric = {c: "number" for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])}
    return alt.InlineData(values=text, format=alt.DataFormat(type="csv", parse=numeric))


def _scope_selector(name: str) -> alt.Parameter:
    return selector(name, "Scope", [0, 1], 0, labels=[_scenario(s).scope_name for s in _SCOPES])


def mixed_chart() -> alt.VConcatChart:
    """The mixed contract: scope, bonus per unit, level or value added and a cap (controls) against risk and incentive."""
    frames = []
    for k, scope in enumerate(_SCOPES):
        g = oc.mixed_grid(_scenario(scope))
        frames.append(pd.DataFrame({
            "scope": k, "bonus": g["bonus"], "va": (g["measure"] == "value_added").astype(int), "cap": g["cap"] / 1000,
            "rp": g["risk_premium"].round(0), "inc": g["incentive"].round(0), "loss": (100 * g["p_loss"]).round(2),
        }))
    frame = pd.concat(frames, ignore_index=True)
    scope = _scope_selector("ch6_mixed_scope")
    bonus = slider("ch6_mixed_bonus", "Bonus per unit (£)", 0, 5000, 500, contracts.assumption("outcome_bonus"))
    va = selector("ch6_mixed_measure", "Paid on", [0, 1], 0, labels=["levels", "value added"])
    caps = [c / 1000 for c in oc.GRID_CAPS]
    cap = selector("ch6_mixed_cap", "Outcome pay at most this above expected", caps, 0.0,
                   labels=["no cap"] + [f"£{c:,.0f}k" for c in caps[1:]])
    pick = (alt.datum.scope == scope) & (alt.datum.va == va) & (alt.datum.cap == cap)
    base = alt.Chart(_csv(frame)).transform_filter(pick)
    x = alt.X("bonus:Q", title="Bonus per unit (£)")
    left = base.mark_line(color=PALETTE[3]).encode(x=x, y=alt.Y("rp:Q", title="Risk premium (£ a year)"))
    left_pt = base.transform_filter(alt.datum.bonus == bonus).mark_point(filled=True, size=90, color=PALETTE[3]).encode(
        x="bonus:Q", y="rp:Q", tooltip=[alt.Tooltip("rp:Q", title="Premium (£)", format=",.0f"),
                                        alt.Tooltip("loss:Q", title="Chance of a loss (%)", format=".1f")])
    right = base.mark_line(color=PALETTE[2]).encode(x=x, y=alt.Y("inc:Q", title="Reward for 0.1 more effort (£ a year)"))
    right_pt = base.transform_filter(alt.datum.bonus == bonus).mark_point(filled=True, size=90,
                                                                         color=PALETTE[2]).encode(
        x="bonus:Q", y="inc:Q", tooltip=[alt.Tooltip("inc:Q", title="Reward (£)", format=",.0f")])
    chart = alt.vconcat((left + left_pt).properties(width=270, height=150),
                        (right + right_pt).properties(width=270, height=150)).add_params(scope, bonus, va, cap)
    price_year = Scenario.central().price_year
    return finish(chart, "A bigger bonus buys incentive with risk",
                  subtitle=["The practice's risk premium (top) and its reward for effort (bottom) as the bonus grows,",
                            f"£ a year at {price_year} prices. A cap removes risk and incentive together; value added "
                            "removes some risk only."],
                  source=[_SOURCE, "Holmström and Milgrom (1987)", _ASSUMED])


def term_chart() -> alt.VConcatChart:
    """Chance of failure by year: scope (menu), share paid on outcomes (slider) and reserves (menu)."""
    central = Scenario.central()
    frames = []
    for k, scope in enumerate(_SCOPES):
        g = oc.term_grid(_scenario(scope))
        frames.append(pd.DataFrame({
            "scope": k, "plan": (g["plan"] == "2008 schedule").astype(int), "share": g["share"].fillna(-1),
            "months": g["reserve_months"], "year": g["year"], "p": (100 * g["p_failed"]).round(2),
        }))
    frame = pd.concat(frames, ignore_index=True)
    scope = _scope_selector("ch6_term_scope")
    share = slider("ch6_term_share", "Share of the contract paid on outcomes", 0, 1, 0.1, 0.0)
    months = sorted(frame["months"].unique())
    res = selector("ch6_term_reserves", "Practice's reserves at the start", months, float(central.reserve_months),
                   labels=[f"{m:g} months (£{engine.reserves(central, m) / 1000:,.0f}k)" for m in months])
    n4 = len(oc.funding_schedule())
    lines = [f"2008 schedule, {n4} years", f"Share chosen, {central.term_years}-year term"]
    data = alt.Chart(_csv(frame)).transform_filter(alt.datum.scope == scope).transform_filter(
        alt.datum.months == res).transform_filter(
        "(datum.plan == 1) || (abs(datum.share - ch6_term_share) < 1e-6)").transform_calculate(
        line=f"datum.plan == 1 ? '{lines[0]}' : '{lines[1]}'")
    chart = data.mark_line(point=True).encode(
        x=alt.X("year:O", title="Year of the contract", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("p:Q", title="Practice failed by then (%)", scale=alt.Scale(domain=[0, 70])),
        **series_cues("line:N", lines, [PALETTE[3], PALETTE[0]]),
        tooltip=[alt.Tooltip("line:N", title="Plan"), alt.Tooltip("year:O", title="Year"),
                 alt.Tooltip("p:Q", title="Failed by then (%)", format=".1f")],
    ).add_params(scope, share, res).properties(width=270, height=230)
    return finish(chart, "Reserves run out when the practice holds the placement budget",
                  subtitle=["Chance that the reserves have run out, by year; paid per child counted.",
                            "2008 schedule: " + ", ".join(f"{100 * s:.0f}%" for s in oc.funding_schedule())
                            + " on outcomes in years 1 to " + f"{n4}.",
                            f"Reserves in months of running cost (£, {central.price_year} prices)."],
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
            f"Illinois bonus (above {_pct(threshold)}), no rule": f"£{without['expected_bonus']:,.0f} ({_pct(without['p_bonus'])})",
            "Illinois bonus, with the rule": f"£{with_rule['expected_bonus']:,.0f} ({_pct(with_rule['p_bonus'])})",
        })
    return Table(pd.DataFrame(rows), caption="The durability rule: what a bonus on moves into permanent homes pays, "
                                              "with and without 12 continuous months (£ a year, "
                                              f"{Scenario.central().price_year} prices)",
                 notes=f"100 children, {100 * rate:.0f}% moved to permanent homes a year and £{bonus:,.0f} a move "
                       "(assumptions); constant re-entry hazard. Illinois bonus: £ per move above "
                       f"{_pct(threshold)} of the caseload "
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
# Art. 9, the scenario, the key results and the prose
# ---------------------------------------------------------------------------------------


def financial_schedule_table(scope: str = "social_work") -> Table:
    """The draft contract's Art. 9 filled in for one scope (default the central): the chosen schedule."""
    scn = _scenario(scope)
    t = art9.financial_schedule(scn)
    frame = t.rename(columns={"item": "Art. 9 item", "term": "Term", "basis": "Basis"})
    shocked = art9.art9_scenario(scn)
    return Table(frame, caption=f"A financial schedule for the draft contract (Art. 9, Financial Arrangements), "
                                f"{scn.scope_name} (£, {scn.price_year} prices)",
                 notes=f"The cheapest of chapter 5's designs that the practice survives: within the "
                       f"{scn.term_years}-year term its reserves run out in at most "
                       f"{_pct(om.assumption('schedule_failure_target'))} of simulated terms (assumption), with the "
                       f"shared yearly cost shock at {_pct(shocked.shock_cv)} (assumption). Outcome payment, caps and "
                       "surplus sharing are the chapter's assumptions; the scenario's scope, reserves and term.")


def schedule_comparison_table() -> Table:
    """The schedule as drafted against the chosen one, and the chosen one without each mechanism, both scopes."""
    def rows(scn: Scenario) -> pd.DataFrame:
        t = art9.schedule_comparison(scn)
        return pd.DataFrame({
            "Schedule": t["schedule"],
            "Practice's share of over- and underspend": [
                f"{_pct(s)}" + (f" beyond £{th / 1000:,.0f}k" if th > 0 else "") for s, th in
                zip(t["share"], t["threshold"])],
            "Baseline": t["basis"].map({"fixed": "fixed", "caseload": "follows the children",
                                        "needs": "follows their needs"}),
            "Failed within the term": t["p_fail_term"].map(lambda x: _pct(x, 1)),
            "Council: expected losses absorbed over the term": t["council_shortfall"].map(_gbp),
            "Practice: worst year in 20": t["surplus_p5"].map(_gbp),
            "Council: spend in a bad year (1 in 20) above its mean": (t["council_p95"] - t["council_mean"]).map(_gbp),
            "Council: chapter 5's expected cost once effort responds": t["grid_council_cost"].map(
                lambda x: f"£{x / 1e6:,.3f}m"),
        })

    scn = art9.art9_scenario(Scenario.central())
    return Table(_by_scope(rows),
                 caption=f"The Art. 9 schedule as drafted and as chosen, each scope ({scn.term_years}-year term; £ a "
                         f"year, {scn.price_year} prices)",
                 notes=f"Simulated on the chapter's {scn.simulation.outcome_years:,} practice-years, cut into terms "
                       f"of {scn.term_years} consecutive years, reserves {_reserves(scn)}, the shared yearly cost "
                       f"shock at {_pct(scn.shock_cv)} (assumption). Every row pays the chapter's outcome payment "
                       "(the report's bonus on value added, capped) and shares surplus above the s.7 cap. As drafted: "
                       "the practice bears every £ of cost against a fixed baseline. Chosen: the cheapest design on "
                       "chapter 5's grid that fails in at most "
                       f"{_pct(om.assumption('schedule_failure_target'))} of terms once its baseline follows the "
                       "price index and, with placements, the council pays any child's cost above "
                       f"£{contracts.assumption('reinsurance_threshold'):,.0f} a year. The council's expected cost "
                       "is chapter 5's grid figure for the design (risk premium, administration and the saving from "
                       "effort at the scenario's risk tolerance and effort cost), before the index and reinsurance.")


class _Html:
    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name

    def _repr_html_(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Download: {self.name}"


def download_link(scope: str = "social_work") -> object:
    """A link that downloads the financial schedule for one scope as CSV (a ``data:`` URI: works on a static page).

    Returns
    -------
    object
        Shown by Jupyter as the HTML link (it has ``_repr_html_``); its text form names the file.
    """
    scn = _scenario(scope)
    _, uri = art9.financial_schedule_csv(scn)
    name = "financial_schedule.csv" if scn.scope == Scenario.central().scope else f"financial_schedule_{scope}.csv"
    return _Html(f'<p><a class="swp-download" download="{name}" href="{html.escape(uri)}">'
                 f"Download the financial schedule, {html.escape(scn.scope_name)} (CSV)</a></p>", name)


#: The previous edition's figures for the block contract with placements (20,000 years of a sample of its own,
#: seed 2008, every cost variable, a 2% margin, £250,000 of reserves, a four-year term): a record, not a model.
PREVIOUS_EDITION: dict[str, float] = {
    "years": 20_000, "seed": 2008, "margin": 0.02, "reserves": 250_000, "term_years": 4,
    "block_rp": 278_000, "block_sd": 367_000, "block_p_loss": 0.40, "block_fail_year": 0.185,
    "block_fail_term": 0.37, "schedule_fail_term": 0.33, "mixed_rp": 265_000, "council_total": 4_648_000,
}


def _row(t: pd.DataFrame, k: int) -> pd.Series:
    return t.iloc[k]


def _names(scn: Scenario) -> dict[str, str]:
    """The chapter's contracts by role (positions in :func:`~swp_models.outcome_contracts.chapter_contracts`)."""
    names = list(oc.chapter_contracts(scn))
    return {"block": names[0], "mixed": names[1], "mixed_va": names[2], "sixty": names[5], "pure_count": names[6],
            "pure_share": names[7], "bonus_cap": names[8], "surplus_cap": names[9], "surplus_share": names[10]}


def _tables() -> dict[str, tuple[Scenario, pd.DataFrame, dict[str, float]]]:
    out = {}
    for scope in _SCOPES:
        scn = _scenario(scope)
        out[scope] = (scn, oc.contract_table(scn).set_index("contract"), oc.block_headline(scn))
    return out


def _vs(t: pd.DataFrame, name: str) -> str:
    return _diff(float(t.loc[name, "premium_vs_block"]), float(t.loc[name, "premium_vs_block_se"]))


def key_results() -> Table:
    """The chapter's key-results table (row 4, the mixed contract against the block, is the home page's headline)."""
    central = Scenario.central()
    ind = om.indicators()
    clus = oc.clustering(central).set_index("indicator")
    meas = oc.measures(central).set_index(["indicator", "measure"])
    tabs = _tables()
    n = _names(central)
    b = contracts.assumption("outcome_bonus")
    sched = {s: oc.schedule_by_year(oc.schedule_scenario(_scenario(s))) for s in _SCOPES}
    a = om.assumption
    d = om.durability_rule(100 * a("permanency_rate"), a("permanency_bonus"), om.reentry_hazard(a("reentry_within_year")))
    sim = f"simulated, {central.simulation.outcome_years:,} practice-years"
    sw, pl = tabs["social_work"], tabs["placements"]

    def by_scope(fn: Callable[[Scenario, pd.DataFrame, dict[str, float]], str]) -> str:
        return f"social work only: {fn(*sw)}; with placements: {fn(*pl)}"

    return _key_table([
        ("Indicators in the draft contract; countable for 100 children; rated mostly outside the practice's control",
         f"{len(ind)}; {int(ind['countable'].sum())}; {int((ind['control'] == 'low').sum())} low, "
         f"{int((ind['control'] == 'partial').sum())} partial", "Annex A.2, Arts. 22-27", "control ratings"),
        (f"Spread of the share with three or more placements for 100 children (rate "
         f"{_pct(_rates()['three_plus_placements_england'])})",
         f"{om.sampling_sd(_rates()['three_plus_placements_england'], 100):.1f} percentage points",
         "binomial; national rate 2005/06"),
        ("Same worker all year: spread of the count, caseloads against independent children",
         f"{clus.loc['same_worker', 'sd_clustered']:.1f} against {clus.loc['same_worker', 'sd_independent']:.1f} "
         f"children (variance × {clus.loc['same_worker', 'ratio']:.1f}; closed form "
         f"{clus.loc['same_worker', 'closed_form']:.1f})", sim, "social workers and turnover"),
        ("Attainment bonus: share of its variance outside the practice's control, levels; value added",
         f"{_pct(meas.loc[('attainment', 'level'), 'uncontrolled_share'], 1)}; "
         f"{_pct(meas.loc[('attainment', 'value_added'), 'uncontrolled_share'], 1)}", sim, "effort spread, prior weight"),
        (f"Risk premium of the report's mixed contract (£{b:,.0f} a unit) against the block contract's, by scope "
         f"(£ a year, {central.price_year} prices)",
         by_scope(lambda s, t, h: f"block {_gbp(h['risk_premium'])}, mixed {_vs(t, n['mixed'])}"),
         f"block: chapter 5, {central.simulation.n_years:,} practice-years; difference: {sim}", "risk tolerance"),
        ("Paid wholly on outcomes: risk premium against the block's, paid per child counted; paid on the share of "
         "children",
         by_scope(lambda s, t, h: f"{_vs(t, n['pure_count'])}; {_vs(t, n['pure_share'])}"), sim, "risk tolerance"),
        (f"Block contract: chance the practice's reserves ({central.reserve_months:g} months of its running cost) run "
         f"out within the {central.term_years}-year term",
         by_scope(lambda s, t, h: _pct(h["p_fail_term"])),
         f"chapter 5, {central.simulation.n_years:,} practice-years", "reserves"),
        (f"2008 proposal (nothing to {_pct(oc.funding_schedule()[-1])} on outcomes, four years): chance the practice "
         "has failed by year four",
         "; ".join(f"{_scenario(s).scope_name}: {_pct(sched[s]['p_failed'].iloc[-1])} (block contract throughout: "
                   f"{_pct(sched[s]['p_failed_block'].iloc[-1])})" for s in _SCOPES),
         sim + "; Community Care, 2 June 2008", "reserves"),
        ("Without the durability rule, paid a year for reunifications that break down within 12 months",
         f"£{d.paid_for_breakdowns:,.0f} of £{d.paid_without_rule:,.0f}", "constant re-entry hazard",
         f"re-entry share {_pct(a('reentry_within_year'))}"),
        ("Two tasks: a bonus on the paid task lowers the unpaid one whenever they compete for time; unpaid effort "
         "stops at a bonus of",
         f"{a('multitask_ethos') * (1 - a('multitask_substitution')) / a('multitask_substitution'):.2f} "
         f"(ethos {a('multitask_ethos'):g}, substitution {a('multitask_substitution'):g})",
         "Holmström and Milgrom (1991), closed form", "substitution and ethos"),
        (f"Art. 9 schedule: chance the practice fails within the {central.term_years}-year term, as drafted (fixed "
         "baseline) and as chosen (price index, reinsurance with placements, cost sharing); the council's expected "
         "losses absorbed over the term, as chosen",
         by_scope(lambda s, t, h: _art9_key(s)), sim + "; chapter 5's design grid",
         f"failure target {_pct(a('schedule_failure_target'))}, shared cost shock "
         f"{_pct(art9.art9_scenario(central).shock_cv)}, reserves"),
    ], caption="Key results: contracting for outcomes with a practice of 100 children (central scenario, both "
                f"scopes; £ at {central.price_year} prices)")


def _council_numbers(scn: Scenario, key: str, head: dict[str, float]) -> dict[str, str]:
    """What each scope's contracts lose when outcomes are only the council's (``ch6_sw_council_...``)."""
    t = oc.council_level_table(scn).set_index("contract")
    n = _names(scn)
    mixed, sixty = t.loc[n["mixed"]], t.loc[n["sixty"]]
    return {
        f"ch6_{key}_council_mixed_loss": _gbp(mixed["loss"]),
        f"ch6_{key}_council_mixed_fail": _pct(mixed["p_fail_term"], 1),
        f"ch6_{key}_council_mixed_p_loss": _pct(mixed["p_loss"]),
        f"ch6_{key}_council_sixty_loss": _gbp(sixty["loss"]),
        f"ch6_{key}_council_sixty_fail": _pct(sixty["p_fail_term"], 1),
        f"ch6_{key}_council_count_fail": _pct(t.loc[n["pure_count"], "p_fail_term"], 1),
        f"ch6_{key}_council_block_fail": _pct(t.loc[n["block"], "p_fail_term"], 1),
        f"ch6_{key}_council_vs_cost": f"{mixed['loss'] / head['sd_surplus']:.1f}",
    }


def _art9_key(scn: Scenario) -> str:
    t = art9.schedule_comparison(scn).set_index("schedule")
    return (f"{_pct(t['p_fail_term'].iloc[0], 1)} drafted, {_pct(t.loc['Chosen schedule', 'p_fail_term'], 1)} chosen; "
            f"{_gbp(t.loc['Chosen schedule', 'council_shortfall'])}")


def _art9_numbers(scn: Scenario, key: str) -> dict[str, str]:
    """The Art. 9 schedule's figures the prose quotes, for one scope (``ch6_sw_art9_...``, ``ch6_pl_art9_...``)."""
    t = art9.schedule_comparison(scn).set_index("schedule")
    chosen = t.loc["Chosen schedule"]
    out = {
        f"ch6_{key}_art9_draft_fail": _pct(t["p_fail_term"].iloc[0], 1),
        f"ch6_{key}_art9_draft_exposure": _gbp(t["council_shortfall"].iloc[0]),
        f"ch6_{key}_art9_fail": _pct(chosen["p_fail_term"], 1),
        f"ch6_{key}_art9_exposure": _gbp(chosen["council_shortfall"]),
        f"ch6_{key}_art9_share": _pct(chosen["share"]),
        f"ch6_{key}_art9_bad_year": _gbp(chosen["council_p95"] - chosen["council_mean"]),
        f"ch6_{key}_art9_noindex_fail": _pct(t.loc["Chosen, without the price index", "p_fail_term"], 1),
        f"ch6_{key}_art9_extra_cost": _gbp(chosen["grid_council_cost"] - t["grid_council_cost"].min()),
    }
    if "Chosen, without reinsurance" in t.index:
        out[f"ch6_{key}_art9_noreins_fail"] = _pct(t.loc["Chosen, without reinsurance", "p_fail_term"], 1)
        out[f"ch6_{key}_art9_reinsured"] = _gbp(chosen["reinsured"])
    cheap = "Chapter 5's cheapest design, with the index and reinsurance"
    if cheap in t.index:
        out[f"ch6_{key}_art9_cheapest_fail"] = _pct(t.loc[cheap, "p_fail_term"], 1)
        out[f"ch6_{key}_art9_cheapest_share"] = _pct(t.loc[cheap, "share"])
        out[f"ch6_{key}_art9_tried"] = f"{chosen['designs_tried']:.0f}"
    return out


#: Chapter 6's figures when placement moves were Poisson within each needs group (the previous
#: edition of this chapter, same seed and sample): a record, not a model.
POISSON_EDITION: dict[str, str] = {
    "base_rate": "0.38", "practice_stable_placement": "93%", "sw_mixed_vs": "+£134 (± £5)",
    "sw_mixed_va_vs": "+£102 (± £5)", "sw_council_mixed_loss": "£32k", "sw_council_mixed_fail": "16.9%",
    "sw_council_sixty_fail": "66.3%", "pl_count_vs": "−£26k (± £3,500)", "pl_council_sixty_loss": "£329k",
}


def _placement_numbers() -> dict[str, str]:
    t = om.placement_comparison().set_index("measure")

    def f(m: str, col: str) -> str:
        return _share_or_count(float(t.loc[m, col]), _PLACEMENT_ROWS[m][2])

    return {
        "ch6_child_cv": f"{om.default_outcome_model().placement_child_cv:.2f}",
        "ch6_base_rate": f"{om.default_outcome_model().placement_base_rate:.2f}",
        **{f"ch6_plc_{m}_{col}": f(m, col) for m in _PLACEMENT_ROWS for col in ("published", "poisson", "mixed")},
        **{f"ch6_prev_{k}": v for k, v in POISSON_EDITION.items()},
    }


def _intake_numbers(scn: Scenario) -> dict[str, str]:
    t = oc.intake_comparison(scn)
    heavy = t[t["gap"].index >= 2].set_index("measure")
    level_gap, va_gap = -float(heavy.loc["level", "gap"]), float(heavy.loc["value_added", "gap"])
    reward = float(heavy.loc["level", "reward"])
    return {
        "ch6_intake_light": f"{_pct(t['additional_needs'].iloc[0])}",
        "ch6_intake_heavy": f"{_pct(t['additional_needs'].iloc[2])}",
        "ch6_intake_heavy_complex": f"{_pct(t['complex'].iloc[2])}",
        "ch6_intake_gap_level": _gbp(level_gap),
        "ch6_intake_gap_va": (_MINUS if va_gap < -0.5 else "") + f"£{abs(va_gap):,.0f}",
        "ch6_intake_reward": _gbp(reward),
        "ch6_intake_effort": f"{0.1 * level_gap / reward:.2f}",
    }


def prose_numbers() -> dict[str, str]:
    """Every number the chapter's prose quotes, formatted, by glue name (``ch6_...``)."""
    central = Scenario.central()
    tabs = _tables()
    n = _names(central)
    meas = oc.measures(central).set_index(["indicator", "measure"])
    clus = oc.clustering(central).set_index("indicator")
    ind = om.indicators()
    rates = _rates()
    sched = {s: oc.schedule_by_year(oc.schedule_scenario(_scenario(s))) for s in _SCOPES}
    out: dict[str, str] = {
        "ch6_indicators": f"{len(ind)}",
        "ch6_countable": f"{int(ind['countable'].sum())}",
        "ch6_assumed_ratings": f"{int((ind['status'] != 'sourced').sum())}",
        "ch6_three_plus_rate": _pct(rates["three_plus_placements_england"]),
        "ch6_three_plus_sd": f"{om.sampling_sd(rates['three_plus_placements_england'], 100):.1f}",
        "ch6_attain_rate": _pct(rates["gcse_one_a_star_to_g_england"]),
        "ch6_same_worker_ratio": f"{clus.loc['same_worker', 'ratio']:.1f}",
        "ch6_attain_va_share": _pct(meas.loc[("attainment", "value_added"), "uncontrolled_share"]),
        "ch6_social_workers": f"{om.assumption('social_workers'):g}",
        "ch6_caseload_size": f"{100 / om.assumption('social_workers'):.1f}",
        "ch6_bonus": f"£{contracts.assumption('outcome_bonus'):,.0f}",
        "ch6_all_bonus_sd": _gbp(meas.loc[("all", "level"), "sd_bonus"]),
        "ch6_term": f"{central.term_years}",
        "ch6_reserve_months": f"{central.reserve_months:g}",
        "ch6_reserves": f"£{engine.reserves(central):,.0f}",
        "ch6_tol": _tol(central),
        "ch6_margin": _pct(central.margin),
        "ch6_years": f"{central.simulation.outcome_years:,}",
        "ch6_sample_years": f"{central.simulation.n_years:,}",
        "ch6_seed": f"{central.simulation.seed}",
        "ch6_price_year": central.price_year,
        "ch6_batches": f"{oc.BATCHES}",
        "ch6_sched_mid": " and ".join(_pct(s) for s in oc.funding_schedule()[1:-1]),
        "ch6_sched_last": _pct(oc.funding_schedule()[-1]),
        "ch6_reentry": _pct(om.assumption("reentry_within_year")),
        "ch6_il_threshold": _pct(om.evidence("illinois_permanency_threshold") / 100),
        "ch6_bonus_cap": f"£{om.assumption('bonus_cap'):,.0f}",
        "ch6_surplus_cap": f"£{om.assumption('surplus_cap'):,.0f}",
        **{f"ch6_council_{k}": f"{c:.0f}" for k, (_, c) in _council_rates().items()},
        **{f"ch6_practice_{k}": f"{p:.0f}" for k, (p, _) in _council_rates().items()},
        "ch6_art9_target": _pct(om.assumption("schedule_failure_target")),
        "ch6_art9_shock": _pct(art9.art9_scenario(central).shock_cv),
        "ch6_reinsurance": f"£{contracts.assumption('reinsurance_threshold'):,.0f}",
    }
    for scope, key in (("social_work", "sw"), ("placements", "pl")):
        scn, t, h = tabs[scope]
        blk, mixed = t.loc[n["block"]], t.loc[n["mixed"]]
        s4 = sched[scope]
        out.update({
            f"ch6_{key}_block_sd": _gbp(h["sd_surplus"]),
            f"ch6_{key}_block_rp": _gbp(h["risk_premium"]),
            f"ch6_{key}_block_fail_term": _pct(h["p_fail_term"]),
            f"ch6_{key}_block_fail_year": _pct(h["p_fail_year"]),
            f"ch6_{key}_block_p_loss": _pct(h["p_loss"]),
            f"ch6_{key}_block_rp_prefix": _gbp(blk["risk_premium"]),
            f"ch6_{key}_block_fail_term_prefix": _pct(blk["p_fail_term"]),
            f"ch6_{key}_block_sd_prefix": _gbp(blk["sd_surplus"]),
            f"ch6_{key}_council_total": f"£{blk['council_cost'] / 1e6:,.3f}m",
            f"ch6_{key}_value": _gbp(oc.build_contract(oc.OutcomeTerms(margin=scn.margin), oc.chapter_draws(scn),
                                                       costs=oc.chapter_costs(scn)).value),
            f"ch6_{key}_mixed_pay": _gbp(mixed["outcome_pay"]),
            f"ch6_{key}_mixed_fail_term": _pct(mixed["p_fail_term"], 1),
            f"ch6_{key}_mixed_sd": _gbp(mixed["sd_surplus"]),
            f"ch6_{key}_mixed_vs": _vs(t, n["mixed"]),
            f"ch6_{key}_mixed_va_vs": _vs(t, n["mixed_va"]),
            f"ch6_{key}_sixty_vs": _vs(t, n["sixty"]),
            f"ch6_{key}_sixty_pay": _gbp(t.loc[n["sixty"], "outcome_pay"]),
            f"ch6_{key}_count_vs": _vs(t, n["pure_count"]),
            f"ch6_{key}_share_vs": _vs(t, n["pure_share"]),
            f"ch6_{key}_count_sd": _gbp(t.loc[n["pure_count"], "sd_surplus"]),
            f"ch6_{key}_count_fail_term": _pct(t.loc[n["pure_count"], "p_fail_term"], 1),
            f"ch6_{key}_share_fail_term": _pct(t.loc[n["pure_share"], "p_fail_term"], 1),
            f"ch6_{key}_bcap_cut": _pct(1 - t.loc[n["bonus_cap"], "incentive"] / t.loc[n["sixty"], "incentive"]),
            f"ch6_{key}_scap_vs": _vs(t, n["surplus_cap"]),
            f"ch6_{key}_scap_returned": _gbp(t.loc[n["surplus_cap"], "returned"]),
            f"ch6_{key}_scap_fail_vs": _dpts(float(t.loc[n["surplus_cap"], "p_fail_term_vs_block"]),
                                             float(t.loc[n["surplus_cap"], "p_fail_term_vs_block_se"])),
            **_art9_numbers(scn, key),
            **_council_numbers(scn, key, h),
            f"ch6_{key}_sched_fail4": _pct(s4["p_failed"].iloc[-1]),
            f"ch6_{key}_sched_block_fail4": _pct(s4["p_failed_block"].iloc[-1]),
        })
    out.update(_placement_numbers())
    out.update(_intake_numbers(central))
    prev = PREVIOUS_EDITION
    out.update({
        "ch6_old_years": f"{prev['years']:,.0f}", "ch6_old_seed": f"{prev['seed']:.0f}",
        "ch6_old_margin": _pct(prev["margin"]), "ch6_old_reserves": f"£{prev['reserves']:,.0f}",
        "ch6_old_term": f"{prev['term_years']:.0f}",
        "ch6_old_block_rp": _gbp(prev["block_rp"]), "ch6_old_block_sd": _gbp(prev["block_sd"]),
        "ch6_old_block_p_loss": _pct(prev["block_p_loss"]), "ch6_old_block_fail_year": _pct(prev["block_fail_year"], 1),
        "ch6_old_block_fail_term": _pct(prev["block_fail_term"]),
        "ch6_old_sched_fail": _pct(prev["schedule_fail_term"]), "ch6_old_mixed_rp": _gbp(prev["mixed_rp"]),
        "ch6_old_council_total": f"£{prev['council_total'] / 1e6:,.3f}m",
        "ch6_pl_block_fail_year_prefix": _pct(tabs["placements"][1].loc[n["block"], "p_fail_year"], 1),
        "ch6_pl_mixed_rp_prefix": _gbp(tabs["placements"][1].loc[n["mixed"], "risk_premium"]),
    })
    return out
