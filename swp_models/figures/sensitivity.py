"""Tables and charts for "Which contract wins where, and what matters most" (chapter 5's section).

Everything is computed from :mod:`swp_models.sensitivity` at the book's settings (the
chapter model over every ranged assumption, :data:`~swp_models.sensitivity.SOBOL_BASE`
base samples, the book's one seed), once per session.
Parameters bound to the page's controls carry names starting ``ch5s_``.
"""

from __future__ import annotations

import json
import string
from dataclasses import replace
from typing import Callable

import altair as alt
import numpy as np
import pandas as pd

from ..assumptions import cached
from .. import contracts, engine
from .. import liability
from .. import sensitivity as sens
from ..charts import PALETTE, finish, selector, series_cues
from ..scenario import Scenario
from ..tables import Table
from ..tables import key_results as _key_results
from ..validation import check_integer

__all__ = [
    "sobol_run",
    "tornado_run",
    "tornado_chart",
    "sobol_chart",
    "winner_chart",
    "winner_frame",
    "cheapest_flips_table",
    "intervals_table",
    "conclusions",
    "survival_sentence",
    "break_even_sentence",
    "key_results",
]

_SOURCE = "Simulated here (chapters 3-5)"
_RANGES = "ranges as logged"
_NUMERIC = [o for o in sens.OUTPUTS if not o.startswith(("cheapest:", "cheapest_counted:", "sharing_cheapest:"))]
_MONEY = ("council_cost", "council_total", "outcome_cost_block", "upcoding_cost")
_SHORT = {
    "council_cost": "Council's cost, cheapest contract (£k a year)",
    "council_total": "Council's whole cost, all counted (£k a year)",
    "outcome_cost_block": "Outcome cost of service cuts, block (£k a year)",
    "upcoding_cost": "Upcoding, capitation by needs group (£k a year)",
    "p_loss_block": "Chance of a loss, block (%)",
    "p_fail_block": "Chance of failing, block (%)",
    "p_loss_cheapest": "Chance of a loss, cheapest contract (%)",
    "p_fail_cheapest": "Chance of failing, cheapest contract (%)",
    "optimal_share": "Optimal cost share (%)",
    "sharing_cheapest": "Cost sharing cheapest (% of settings)",
}


def _short(x: float) -> str:
    """A sum in £ as a label writes it: ``125000 -> '£125k'``, ``1e6 -> '£1m'``."""
    return f"£{x / 1e6:g}m" if x >= 1e6 else f"£{x / 1e3:g}k"


@cached(maxsize=1, disk=True)
def sobol_run() -> sens.SobolResult:
    """The book's variance-based run: every ranged assumption of chapters 3-5, grouped."""
    return sens.sobol_indices(sens.chapter_model(), sens.chapter_assumptions(), sens.OUTPUTS,
                              groups=sens.chapter_groups(), n_base=sens.SOBOL_BASE)


@cached(maxsize=1)
def tornado_run() -> pd.DataFrame:
    """The book's one-at-a-time run: each ranged assumption to its low and high end."""
    return sens.one_at_a_time(sens.chapter_model(), sens.chapter_assumptions(), sens.OUTPUTS)


def _scale(output: str) -> float:
    return 1e-3 if output.startswith(_MONEY) else 100.0


_SCOPE_SHORT = {"social_work": "social work only", "placements": "with placements"}


def _output_label(output: str) -> str:
    key, scope = output.split(":")
    return f"{_SHORT[key]}, {_SCOPE_SHORT[scope]}"


#: Short names of assumptions and groups on the charts' axes (at most 19 characters, so that they read
#: whole on a phone); the tooltips and tables give the names of the assumptions log.
_CHART_NAMES = {
    "within_group_cv": "spread within group", "additional_needs_share": "additional needs",
    "social_work_variable_cost": "variable cost/child", "new_employer_pension_rate": "new pension rate",
    "admin_contract_management": "contract management", "admin_outcome_monitoring": "outcome monitoring",
    "admin_needs_assessment": "needs assessment", "outcome_base_probability": "outcome base chance",
    "stranded_overhead_share": "stranded overheads", "cut_per_placement_move": "£ cut per move",
    "double_running_months": "months paid twice", "partner_surplus_share": "partners' share",
    "contract_term_years": "contract term", "placement_move_cost": "cost of a move",
    "reinsurance_threshold": "reinsurance level", "direct_costs_per_fte": "direct costs a post",
    "premises_it_per_fte": "premises, IT a post",
    # groups of assumptions
    "Spread of cost within a needs group": "Spread within group", "Shared yearly cost shock": "Yearly cost shock",
    "Exceptional-cost children": "Exceptional costs", "Practice's risk tolerance": "Risk tolerance",
    "Practice's effort cost": "Effort cost", "Terms of the illustrative contracts": "Contract terms",
    "Outcome bonus and continuity": "Outcome bonus", "Administrative costs": "Administration",
    "Practice budget (chapter 4)": "Practice budget", "Practice's reserves": "Reserves",
    "Contract term and cost of a failure": "Term, failure cost", "Service cuts and placement moves": "Service cuts",
    "Upcoding under capitation by needs group": "Upcoding", "Council's side of contracting out": "Council's side",
    "Pay, pensions and partners' share": "Pay and pensions",
}


def _logged_name(parameter: str) -> str:
    return parameter.replace("_", " ")


def _parameter_labels() -> dict[str, str]:
    """Each varied assumption's name on the charts."""
    return {a.parameter: _CHART_NAMES.get(a.parameter, _logged_name(a.parameter))
            for a in sens.chapter_assumptions()}


def _group_labels() -> dict[str, str]:
    """Each group's name on the charts."""
    return {g: _CHART_NAMES.get(g, g) for g in sens.chapter_groups().values()}


def _menu(name: str, outputs: list[str]) -> alt.Parameter:
    labels = [_output_label(o) for o in outputs]
    return selector(name, "Result", labels, labels[0])


def tornado_chart(top: int = 10) -> alt.VConcatChart:
    """One-at-a-time swings of each result, the ``top`` largest, with a menu of results.

    Parameters
    ----------
    top : int
        How many assumptions to show for each result, from 1 to the number varied.
    """
    top = check_integer("top", top, low=1, high=len(sens.chapter_assumptions()))
    frame = tornado_run()
    frame = frame[frame["output"].isin(_NUMERIC) & (frame["rank"] <= top)].copy()
    scale = frame["output"].map(_scale)
    labels = _parameter_labels()
    tidy = pd.DataFrame({
        "result": frame["output"].map(_output_label), "assumption": frame["parameter"].map(labels),
        "logged": frame["parameter"].map(_logged_name), "base": (frame["base"] * scale).round(2), "low": (frame["at_low"] * scale).round(2),
        "high": (frame["at_high"] * scale).round(2), "rank": frame["rank"],
    })
    long = tidy.melt(id_vars=["result", "assumption", "logged", "base", "rank"], value_vars=["low", "high"],
                     var_name="end", value_name="value")
    long["end"] = long["end"].map({"low": "Assumption at its low end", "high": "Assumption at its high end"})
    menu = _menu("ch5s_tornado", _NUMERIC)
    base = alt.Chart(long).transform_filter(alt.datum.result == menu).encode(
        y=alt.Y("assumption:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None))
    ends = ["Assumption at its low end", "Assumption at its high end"]
    # Each bar ends in a dot whose shape, as well as its colour, says which end of the range it is.
    cues = series_cues("end:N", ends, [PALETTE[0], PALETTE[1]], line=False, shape=True,
                       legend=alt.Legend(orient="bottom", direction="vertical"))
    tip = [alt.Tooltip("logged:N", title="Assumption"), alt.Tooltip("end:N", title="End"),
           alt.Tooltip("value:Q", title="Result", format=",.2f"),
           alt.Tooltip("base:Q", title="At defaults", format=",.2f")]
    x = alt.X("value:Q", title="Result (units as in the menu)", scale=alt.Scale(zero=False), axis=alt.Axis(tickCount=4))
    bars = base.mark_bar(opacity=0.6).encode(x=x, x2="base:Q", color=cues["color"], tooltip=tip)
    dots = base.mark_point(filled=True, size=50, opacity=1).encode(x=x, **cues, tooltip=tip)
    rule = base.mark_rule(color="#333").encode(x="base:Q")
    chart = (bars + rule + dots).add_params(menu).properties(width=170, height=alt.Step(18))
    return finish(chart, "One assumption at a time",
                  subtitle=f"Each bar: the result with one assumption at an end of its range (dot: which end), the "
                           f"others at their values; line: at the defaults. The {top} largest swings.",
                  source=[_SOURCE, _RANGES])


def sobol_chart() -> alt.VConcatChart:
    """Total and first-order Sobol indices of each group of assumptions, with a menu of results."""
    idx = sobol_run().indices
    idx = idx[idx["output"].isin(_NUMERIC + [o for o in sens.OUTPUTS if o.startswith("sharing_cheapest:")])]
    outs = list(dict.fromkeys(idx["output"]))
    tidy = pd.DataFrame({
        "result": idx["output"].map(_output_label), "group": idx["group"].map(_group_labels()),
        "assumptions": idx["group"], "rank": idx["rank"],
        "Total (with interactions)": idx["total"].clip(lower=0).round(3),
        "First order (alone)": idx["first"].clip(lower=0).round(3),
        "total_conf": idx["total_conf"].round(3),
    })
    long = tidy.melt(id_vars=["result", "group", "assumptions", "rank", "total_conf"], var_name="index",
                     value_name="share")
    menu = _menu("ch5s_sobol", outs)
    indices = ["Total (with interactions)", "First order (alone)"]
    # A dot an index (colour and shape), so the two indices are told apart without colour.
    chart = alt.Chart(long).transform_filter(alt.datum.result == menu).mark_point(
        filled=True, size=50, opacity=1).encode(
        y=alt.Y("group:N", sort=alt.EncodingSortField("rank", order="ascending"), title=None),
        yOffset=alt.YOffset("index:N", sort=indices),
        x=alt.X("share:Q", title="Share of the variance", scale=alt.Scale(domain=[0, 1], clamp=True),
                axis=alt.Axis(format=".0%", tickCount=4)),
        **series_cues("index:N", indices, [PALETTE[0], PALETTE[4]], line=False, shape=True,
                      legend=alt.Legend(orient="bottom", direction="vertical")),
        tooltip=[alt.Tooltip("assumptions:N", title="Assumptions"), alt.Tooltip("index:N", title="Index"),
                 alt.Tooltip("share:Q", title="Share", format=".1%"),
                 alt.Tooltip("total_conf:Q", title="± (95%, total)", format=".1%")],
    ).add_params(menu).properties(width=170, height=alt.Step(11))
    n = len(sobol_run().settings)
    return finish(chart, "What matters most",
                  subtitle=f"Share of each result's variance due to each group of assumptions, all drawn at once "
                           f"({n:,} settings). Below zero (sampling error) shown as 0.",
                  source=[_SOURCE, _RANGES, "SALib"])


@cached(maxsize=1)
def winner_frame() -> pd.DataFrame:
    """:func:`swp_models.sensitivity.winner_map` at the book's grid."""
    return sens.winner_map()


def winner_chart() -> alt.VConcatChart:
    """Map of the cheapest contract over risk tolerance and effort cost, with the optimal share printed, per scope."""
    frame = winner_frame()
    tidy = pd.DataFrame({
        "scope": frame["scope"].map(liability.SCOPE_LABELS),
        "tolerance": (frame["tolerance"] / 1000).round(0).astype(int).astype(str).radd("£").add("k"),
        "tol_order": frame["tolerance"], "k": frame["effort_cost"].map(lambda k: f"{k:g}"),
        "k_order": frame["effort_cost"], "cheapest": frame["cheapest"],
        "share": frame["closed_form_share"].round(2), "simulated": frame["simulated_share"].round(2),
        "label": frame["closed_form_share"].map(lambda s: f"{s:.2f}"),
        "cost": (frame["cheapest_cost"] / 1e6).round(3), "runner_up": frame["runner_up"],
    })
    menu = selector("ch5s_scope", "Scope", list(liability.SCOPE_LABELS.values()),
                    liability.SCOPE_LABELS["placements"])
    base = alt.Chart(tidy).transform_filter(alt.datum.scope == menu).encode(
        x=alt.X("k:N", sort=alt.EncodingSortField("k_order"), title="How costly effort is (higher: a smaller cut in cost)",
                axis=alt.Axis(labelAngle=0, grid=False)),
        y=alt.Y("tolerance:N", sort=alt.EncodingSortField("tol_order", order="descending"),
                title="Practice's risk tolerance", axis=alt.Axis(grid=False)))
    order = list(engine.book(Scenario.central()))
    # Each cell also names its contract by a letter (the legend gives the names), so the map does not
    # rely on colour alone.
    letters = dict(zip(order, string.ascii_uppercase))
    legend_names = json.dumps({letters[c]: f"{letters[c]}  {c}" for c in order})
    base = base.transform_calculate(letter=f"{json.dumps(letters)}[datum.cheapest]")
    rect = base.mark_rect().encode(
        color=alt.Color("letter:N", title="Cheapest contract", sort=list(letters.values()),
                        scale=alt.Scale(domain=list(letters.values()), range=_colours(len(order))),
                        legend=alt.Legend(orient="bottom", columns=1,
                                          labelExpr=f"{legend_names}[datum.label]")),
        tooltip=[alt.Tooltip("scope:N", title="Scope"), alt.Tooltip("tolerance:N", title="Risk tolerance"),
                 alt.Tooltip("k:N", title="How costly effort is (k)"), alt.Tooltip("cheapest:N", title="Cheapest"),
                 alt.Tooltip("cost:Q", title="Its cost (£m a year)", format=".3f"),
                 alt.Tooltip("runner_up:N", title="Next cheapest"),
                 alt.Tooltip("share:Q", title="Optimal share, closed form"),
                 alt.Tooltip("simulated:Q", title="Optimal share, simulated")],
    )
    text = base.mark_text(fontSize=12, color="#111", dy=7).encode(text="label:N")
    letter = base.mark_text(fontSize=12, fontWeight="bold", color="#111", dy=-7).encode(text="letter:N")
    chart = (rect + letter + text).add_params(menu).properties(width=220, height=alt.Step(32))
    return finish(chart, "Which contract wins where",
                  subtitle=["Letter and colour: the contract that costs the council least (effort, risk premium,",
                            "administration, losses beyond reserves). Number: the optimal cost share."],
                  source=[_SOURCE, "assumptions as logged"])


def _colours(n: int) -> list[str]:
    """``n`` distinguishable colours: the house palette, then lighter and darker greys."""
    extra = ["#BBBBBB", "#E0E0E0", "#C9A66B", "#8FD3C1", "#F4B6C2"]
    out = [c for c in PALETTE if c != "#000000"] + extra
    if n > len(out):
        raise ValueError(f"n must be at most {len(out)} contracts for the map's colours; got {n}")
    return out[:n]


def cheapest_flips_table() -> Table:
    """Each assumption whose range changes the cheapest contract (one at a time), per scope and measure."""
    frame = tornado_run()
    names = sens.chapter_model().contract_names
    rows = []
    for scope in liability.SCOPES:
        for key, measure in (("cheapest", "Contract's cost"), ("cheapest_counted", "Everything counted")):
            part = frame[frame["output"] == f"{key}:{scope}"]
            for rec in part.to_dict("records"):
                lo, hi, base = (names[int(rec[c])] for c in ("at_low", "at_high", "base"))
                if lo != base or hi != base:
                    rows.append((liability.SCOPE_LABELS[scope], measure, _logged_name(rec["parameter"]),
                                 base, lo, hi))
    frame = pd.DataFrame(rows, columns=["Scope", "Cheapest on", "Assumption", "Cheapest at defaults",
                                        "At its low end", "At its high end"])
    return Table(frame, caption="Assumptions that change the cheapest contract on their own",
                 notes="Each assumption moved to the ends of its range, the others at their values; assumptions that "
                       "leave the cheapest contract unchanged are not listed. Everything counted: the contract's cost "
                       "plus the outcome cost of the service cuts its incentive brings and the cost of upcoding.")


def _fmt(output: str) -> Callable[[float], str]:
    if output.startswith(("council_cost", "council_total")):
        return lambda x: f"£{x / 1e6:,.3f}m"
    if output.startswith(_MONEY):
        return lambda x: f"£{x / 1e3:,.0f}k"
    return lambda x: f"{100 * x:.1f}%" if not output.startswith("optimal_share") else f"{x:.2f}"


def intervals_table() -> Table:
    """Each numeric result at the defaults, with the interval carried from the assumption ranges."""
    res = sobol_run()
    ints = sens.output_intervals(res).set_index("output")
    base = tornado_run().drop_duplicates("output").set_index("output")["base"]
    rows = []
    for out in _NUMERIC:
        f = _fmt(out)
        r = ints.loc[out]
        rows.append((_output_label(out).split(" (")[0] + ", " + out.split(":")[1].replace("_", " "),
                     f(base[out]), f(r["median"]), f"{f(r['low'])} to {f(r['high'])}",
                     f"{f(r['minimum'])} to {f(r['maximum'])}"))
    frame = pd.DataFrame(rows, columns=["Result", "At the defaults", "Median of settings", "90% of settings",
                                        "Lowest to highest"])
    return Table(frame, caption="Key results with the intervals their assumptions carry",
                 notes=f"Intervals over {len(res.settings):,} settings with every assumption drawn uniformly over its "
                       f"range; each setting simulates {Scenario.central().simulation.sensitivity_years:,} practice-years from one seed, so the "
                       "intervals are ranges of the inputs, not sampling error. The defaults are not the middle of the "
                       "ranges: where a result at the defaults lies outside its 90% interval, the defaults sit near "
                       "one end of the assumptions' ranges, and the median is the figure to set beside it.")


def _all_settings() -> pd.DataFrame:
    """The outputs at every setting tried: the Sobol run's, then each one-at-a-time end."""
    oat = tornado_run().pivot(index="parameter", columns="output", values=["at_low", "at_high"])
    frames = [sobol_run().outputs] + [oat[end].reset_index(drop=True) for end in ("at_low", "at_high")]
    return pd.concat(frames, ignore_index=True)


def conclusions() -> pd.DataFrame:
    """Claims the book makes, and the share of settings (one-at-a-time and Sobol) in which each holds."""
    y = _all_settings()
    model = sens.chapter_model()
    names = model.contract_names
    block, full = names.index("Block"), names.index("Full reimbursement")
    needs = names.index("Capitation by needs group")
    sharing = np.flatnonzero(model.sharing)

    def never(index: int, key: str = "cheapest") -> pd.Series:
        return (y[f"{key}:placements"] != index) & (y[f"{key}:social_work"] != index)

    claims = [
        ("With placements in scope, a contract that shares cost is the cheapest",
         y["sharing_cheapest:placements"] == 1),
        ("With placements in scope, a contract that shares cost is the cheapest once the outcome cost of service "
         "cuts and the cost of upcoding are counted", y["cheapest_counted:placements"].isin(sharing)),
        ("A block contract is never the cheapest, whoever holds the placement budget", never(block)),
        ("Full reimbursement is never the cheapest, whoever holds the placement budget", never(full)),
        ("Counting upcoding, capitation by needs group is never the cheapest, whoever holds the placement budget",
         never(needs, "cheapest_counted")),
        ("With placements in scope, counting service cuts and upcoding leaves the cheapest contract unchanged",
         y["cheapest_counted:placements"] == y["cheapest:placements"]),
        ("With placements in scope, a block contract risks failing the practice in at least 1 year in 10",
         y["p_fail_block:placements"] >= 0.1),
        ("With social work only, the practice's chance of failing in a year stays below 1% under every contract "
         "the council would choose", y["p_fail_cheapest:social_work"] < 0.01),
        ("With social work only, the optimal cost share is above 0.9", y["optimal_share:social_work"] > 0.9),
        ("With placements in scope, the optimal cost share lies between 0.25 and 0.75",
         y["optimal_share:placements"].between(0.25, 0.75)),
    ]
    return pd.DataFrame({"claim": [c for c, _ in claims], "share_holding": [float(h.mean()) for _, h in claims],
                         "settings": len(y)})


def survival_sentence() -> str:
    """One sentence: which conclusions hold in every setting, and which do not."""
    c = conclusions()
    hold = c[c["share_holding"] == 1.0]["claim"].tolist()
    fail = c[c["share_holding"] < 1.0]
    n = int(c["settings"].iloc[0])
    first = (f"Over all {n:,} settings tried, these conclusions hold in every one: "
             + "; ".join(h[0].lower() + h[1:] for h in hold) + "." if hold else
             f"No conclusion tested holds in all {n:,} settings tried.")
    rest = "; ".join(f"{r.claim[0].lower() + r.claim[1:]} (it holds in {round(r.share_holding * n):,} of {n:,})"
                     for r in fail.itertuples())
    return first + (f" These do not survive every setting: {rest}." if rest else "")


@cached(maxsize=1)
def _break_even() -> dict[str, float | None]:
    """Break-even cut per scope; ``None`` where cost sharing is cheaper at every cut from 0.1%."""
    out: dict[str, float | None] = {}
    for s in liability.SCOPES:
        try:
            out[s] = sens.break_even_cut(s)
        except ValueError as err:
            if "cheaper" not in str(err):
                raise
            out[s] = None
    return out


def _cut(x: float | None) -> str:
    return "any cut of 0.1% or more" if x is None else f"more than {100 * x:.1f}%"


def break_even_sentence() -> str:
    """The break-even cost cut for cost sharing against full reimbursement, per scope."""
    be = _break_even()
    share = contracts.assumption("cost_share")
    return (f"Cost sharing (the cost-and-volume contract, s = {share:g}) beats full reimbursement only if a practice "
            f"bearing all cost would cut care cost by {_cut(be['placements'])} with placements in "
            f"scope, or its own costs by {_cut(be['social_work'])} with social work only "
            f"(risk tolerance £{contracts.assumption('risk_tolerance'):,.0f}; the risk premium, losses beyond the "
            "practice's reserves and failures counted, administration aside).")


def key_results() -> Table:
    """The section's key-results table."""
    res = sobol_run()
    idx = res.indices
    ints = sens.output_intervals(res).set_index("output")
    base = tornado_run().drop_duplicates("output").set_index("output")["base"]
    names = sens.chapter_model().contract_names
    wm = winner_frame()
    be = _break_even()

    def top(output: str) -> str:
        row = idx[(idx["output"] == output) & (idx["rank"] == 1)].iloc[0]
        return f"{row['group'].lower()} (total Sobol index {row['total']:.2f} ± {row['total_conf']:.2f})"

    def span(output: str) -> str:
        f = _fmt(output)
        r = ints.loc[output]
        return (f"{f(base[output])} at the defaults (median of settings {f(r['median'])}; 90% of settings "
                f"{f(r['low'])} to {f(r['high'])})")

    def wins(scope: str) -> str:
        part = wm[wm["scope"] == scope]["cheapest"].value_counts()
        return "; ".join(f"{n} in {c} of {int(part.sum())} cells" for n, c in part.items())

    pl = wm[wm["scope"] == "placements"]
    n = len(res.settings)
    table = _key_results([
        (f"Optimal cost share over risk tolerance {_short(min(sens.MAP_TOLERANCES))}-{_short(max(sens.MAP_TOLERANCES))} and "
         f"effort cost {min(sens.MAP_EFFORT_COSTS):g}-{max(sens.MAP_EFFORT_COSTS):g}, placements in scope",
         f"{pl['closed_form_share'].min():.2f} to {pl['closed_form_share'].max():.2f}",
         "closed form from the simulated mean and variance of cost", "risk tolerance; effort cost"),
        ("Cheapest contract over that grid, placements in scope", wins("placements"),
         "chapter 5 contracts priced with effort, reserves and failure", "risk tolerance; effort cost"),
        ("Cheapest contract over that grid, social work only", wins("social_work"),
         "chapter 5 contracts priced with effort, reserves and failure", "risk tolerance; effort cost"),
        ("Cut in care cost at full cost-bearing above which cost sharing beats full reimbursement",
         f"{_cut(be['placements'])} (placements in scope); {_cut(be['social_work'])} (social work only)",
         "break-even of the council's cost, administration aside", "risk tolerance; reserves"),
        ("Council's total cost with the cheapest contract, placements in scope",
         span("council_cost:placements"), f"{n:,} settings over the assumption ranges",
         top("council_cost:placements")),
        ("Council's whole cost, everything counted (outcome cost of service cuts, upcoding, commissioning, paying "
         "twice during the build-up, stranded overheads, partners' share), placements in scope",
         span("council_total:placements"), f"{n:,} settings over the assumption ranges",
         top("council_total:placements")),
        ("The same, social work only", span("council_total:social_work"),
         f"{n:,} settings over the assumption ranges", top("council_total:social_work")),
        ("Outcome cost of the service cuts a block contract brings, placements in scope",
         span("outcome_cost_block:placements"), "placement moves the cuts bring, valued (assumptions)",
         top("outcome_cost_block:placements")),
        ("Council's cost of upcoding under capitation by needs group, placements in scope",
         span("upcoding_cost:placements"), "share of children recorded one group higher (assumption)",
         top("upcoding_cost:placements")),
        ("Block contract, placements in scope: practice's chance of failing in a year",
         span("p_fail_block:placements"), f"{n:,} settings over the assumption ranges",
         top("p_fail_block:placements")),
        ("Cheapest contract at the defaults: placements in scope; social work only",
         f"{names[int(base['cheapest:placements'])]}; {names[int(base['cheapest:social_work'])]}",
         f"{Scenario.central().simulation.sensitivity_years:,} simulated practice-years", "see the map and the list of flips"),
        ("What matters most for whether cost sharing is cheapest, placements in scope",
         top("sharing_cheapest:placements"), "Sobol total index, SALib", "ranges of every assumption"),
    ], caption="Key results: which contract wins where, and what matters most")
    return replace(table, notes=f"Sobol indices from {n:,} settings: the group named has the largest total index; "
                                "± is a 95% bootstrap half-width, and an index above 1 or below 0 is the sampling "
                                f"error of a run small enough for the book's build. {table.notes}")
