"""Chapter 5's page tables, key results and precomputed grids ("Paying a practice").

Every figure comes from :mod:`swp_models.engine` (the per-contract tables) and
:mod:`swp_models.pricing` (the grids and comparisons, re-exported here under their names), and
is formatted here for the page: the tables return :class:`swp_models.tables.Table`; the grids
and ``*_figures`` functions are the unformatted frames that the charts
(:mod:`swp_models.figures.contracts`) and the prose share. Nothing here simulates or prices.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import commissioning, data, engine, liability, practice, pricing
from ..contracts import Contract, CostAndVolume, PracticeYears, ThresholdSharing, assumption
from ..costs import default_caseload, default_cost_model, total_cost_moments
from ..liability import SCOPE_LABELS, SCOPES
from ..pricing import scenario as _scn
from ..pricing import (
    DESIGN_BASES,
    DESIGN_RESERVE_MONTHS,
    DESIGN_SHARES,
    DESIGN_THRESHOLDS,
    DESIGN_TOLERANCES,
    FRONTIER_EFFORT_COSTS,
    FRONTIER_SHARES,
    FRONTIER_TOLERANCES,
    SHOCK_CONTRACTS,
    chapter_design_grid,
    chapter_optimum,
    design_grid,
    frontier_grid,
    gaming_figures,
    needs_mix_comparison,
    service_cut_figures,
    shock_comparison,
    skimming_table,
    surplus_histograms,
)
from ..scenario import Scenario, Simulation
from ..tables import Table
from ..validation import check_integer, check_one_of


def _sim() -> Simulation:
    return Scenario.central().simulation


def _table(scope: str = "placements") -> pd.DataFrame:
    return engine.table(_scn(scope))


def _years(scope: str = "placements", n_years: int | None = None, seed: int | None = None) -> PracticeYears:
    return engine.own_costs(_scn(scope, seed), n_years)


def _book(scope: str = "placements") -> dict[str, Contract]:
    return engine.book(_scn(scope))


def _reserves(scope: str = "placements", months: float | None = None) -> float:
    return engine.reserves(_scn(scope), months)


def _defaults() -> dict[str, float]:
    scn = _scn()
    return {"risk_tolerance": scn.risk_tolerance, "effort_cost": scn.effort_cost}


def _tolerance() -> str:
    """The scenario's risk tolerance 1/r as the page writes it: ``'£250,000'``."""
    return f"£{_scn().risk_tolerance:,.0f}"


def scenario_card() -> Table:
    """The chapter's scenario box: the settings its prices rest on (both scopes shown side by side)."""
    return Scenario.central().card(rows=("scope", "price base", "contract term", "reserves", "shared yearly cost shock",
                             "risk tolerance", "effort cost k", "cost of a failure", "simulated practice-years"),
                       both_scopes=True)



# The grids and comparisons of :mod:`swp_models.pricing` are importable from here under their names too.
__all__ = [
    # unformatted figures
    "threshold_discounts",
    "scope_heading",
    "scope_figures",
    "needs_mix_figures",
    "needs_mix_prose",
    # tables
    "key_results",
    "scenario_card",
    "scope_table",
    "contracts_table",
    "risk_table",
    "surplus_table",
    "failure_table",
    "shock_table",
    "incentive_table",
    "council_cost_table",
    "service_cut_table",
    "gaming_table",
    "council_side_table",
    "claims_table",
    "needs_mix_table",
]


_MINUS = "\u2212\u2060"  # a minus sign that a line never breaks after


def _k(x: float) -> str:
    """£ thousands with the sign in front: ``-496289 -> '−£496k'``."""
    if abs(x) < 50:
        return "£0"
    if abs(x) < 9_950:
        return f"{_MINUS if x < 0 else ''}£{abs(x) / 1000:.1f}k"
    sign = _MINUS if x < -500 else ""
    return f"{sign}£{abs(x) / 1000:,.0f}k"


def _m(x: float) -> str:
    return f"£{x / 1e6:,.3f}m"


def _pct1(x: float) -> str:
    return f"{100 * x:.1f}%"


def _pct(x: float) -> str:
    v = round(100 * x)
    return f"{v if v != 0 else 0:.0f}%"


_TERMS = {
    "Block": "A fixed sum each year",
    "Volume band": "A fixed sum for caseloads inside the band; each child outside it paid or deducted at the "
                   "variable cost of a child",
    "Capitation, flat rate": "The average cost of a child for each child in the practice",
    "Capitation by needs group": "The mean cost of each child's recorded needs group",
    "Full reimbursement": "Each child's actual cost (capitation at actual cost)",
    "Cost and volume": "A baseline, plus half of any overspend (less half of any underspend): the practice bears "
                       "half of either",
    "Two-way threshold": "As the threshold contract, but underspend beyond the threshold goes back to the council "
                           "(a cap on surplus, s.7)",
    "Threshold": "The practice bears overspend up to the threshold, the council the rest; the practice keeps any "
                 "underspend",
    "Reinsurance": "A fixed sum, plus every child's cost above a per-child threshold",
    "Outcome": "A fixed sum, plus a bonus for each child who keeps one social worker all year",
    "Mixed": "The cost-and-volume payment, plus the same bonus",
}


def threshold_discounts(scope: str = "placements") -> dict[str, float]:
    """How far below the expected cost each threshold contract's baseline is set so that it pays that cost on average.

    Returns ``{contract name: baseline_discount}`` (fractions of the expected cost) for the
    chapter's threshold contracts under ``scope``.
    """
    return {name: c.baseline_discount for name, c in _book(scope).items()
            if isinstance(c, ThresholdSharing)}


def contracts_table() -> Table:
    """The chapter's eleven contracts: family, how the payment is set, administration (£ a year)."""
    table = _table()
    terms = [next(v for k, v in _TERMS.items() if name.startswith(k)) for name in table["contract"]]
    frame = pd.DataFrame({
        "Contract": table["contract"], "Family (report s.6.1.6)": table["family"], "Payment": terms,
        "Administration (£ a year)": [_admin(x) for x in table["admin_cost"]],
    })
    first, second = (100 * v for v in threshold_discounts().values())
    return Table(frame, caption="The eleven contracts priced in this chapter",
                 notes="Every baseline is set so that each contract without a bonus pays the expected cost on average: "
                       "the expected cost itself, except the threshold contracts: the one-way threshold's baseline "
                       f"sits {first:.1f}% below it and the two-way one's {second:.1f}% (social work and placements), "
                       "because a practice that keeps more of a good year than it bears of a bad one would otherwise "
                       "be paid more than the cost on average. The two with a bonus pay the expected "
                       "bonus on top. Terms and administrative costs are assumptions.")


def scope_heading(scope: str, *, data_dir: str | Path | None = None) -> str:
    """The scope's name on the page with the pilots that used it, e.g. "Social work only (as in all but one pilot)".

    In the pilots "only one" practice held the placement budget (``data/pilots.csv``).
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    check_one_of("scope", scope, SCOPES)
    held = int(data.value("pilots", measure="pilots_holding_placement_budget_commcare2013", data_dir=data_dir))
    one = "one pilot" if held == 1 else f"{held} pilots"
    pilots = f"as in all but {one}" if scope == "social_work" else f"as in {one}"
    return f"{SCOPE_LABELS[scope]} ({pilots})"


def _scoped(scope: str) -> str:
    """Caption prefix naming the scope."""
    return f"{scope_heading(scope)}: "


def risk_table(scope: str = "placements") -> Table:
    """Who bears which risk: the share of each part of cost variation falling on the practice."""
    t = _table(scope)
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "Number of children": t["caseload"].map(_pct),
        "Needs groups (case mix)": t["case_mix"].map(_pct),
        "Cost within a needs group": t["within_group"].map(_pct),
        "All cost": t["overall"].map(_pct),
    })
    return Table(frame, caption=_scoped(scope) + "Who bears the risk: share of each part of the variation in cost that falls on the "
                                "practice",
                 notes="Coefficients of a regression of the practice's shortfall on the three parts of cost together "
                       "(all cost: on the total alone): 100% means every £ of a part falls on the practice, 0% that "
                       f"the council pays it all. {_sim().n_years:,} simulated years.")


def surplus_table(scope: str = "placements") -> Table:
    """The practice's surplus under each contract, and the risk premium it would charge (£ a year)."""
    t = _table(scope)
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "Spread (sd)": t["practice_sd_surplus"].map(_k),
        "Chance of a loss": t["practice_p_loss"].map(_pct),
        "Worst year in 20": t["practice_surplus_p5"].map(_k),
        "Risk premium, variance only": t["risk_premium_approx"].map(_k),
        "Risk premium, exact": t["risk_premium_exact"].map(_k),
    })
    return Table(frame, caption=_scoped(scope) + "The practice's surplus and the risk premium it would charge (£ a year)",
                 notes=f"Risk tolerance 1/r = {_tolerance()} (assumption). Worst year in 20: the 5th percentile of the "
                       f"surplus. {_sim().n_years:,} simulated years.")


def incentive_table(scope: str = "placements") -> Table:
    """The report's qualitative comparison as numbers: incentives and administration, per contract."""
    t = _table(scope).set_index("contract")
    sk = skimming_table(scope)
    gain = sk.pivot(index="contract", columns="group", values="gain_vs_average")
    one_more = sk.drop_duplicates("contract").set_index("contract")["gain_average_child"]
    names = list(t.index)
    frame = pd.DataFrame({
        "Contract": names,
        "Keeps of each £ saved": [_pct(t.loc[n, "power"]) for n in names],
        "Cost cut by effort": [f"{100 * t.loc[n, 'effort']:.1f}%" for n in names],
        "One more child": [_gbp_signed(one_more[n]) for n in names],
        "An easy child instead of an average one": [_gbp_signed(gain.loc[n, "no_additional_needs"]) for n in names],
        "A complex-needs child instead": [_gbp_signed(gain.loc[n, "complex_needs"]) for n in names],
        "Administration": [_admin(x) for x in t["admin_cost"]],
    })
    return Table(frame, caption=_scoped(scope) + "Incentives: what the practice keeps of a £ saved, and what taking or choosing a "
                                "child is worth to it (£ a year)",
                 notes="Effort at an effort cost k = 10 (assumption). Child gains: change in the practice's expected "
                       f"surplus; {_sim().grid_years:,} simulated years, paired across needs groups.")


def _gbp_signed(x: float) -> str:
    if abs(x) < 0.5:
        return "£0"
    return f"{_MINUS if x < 0 else '+'}£{abs(x):,.0f}"


def _admin(x: float) -> str:
    """An administrative cost to the nearest £100 (per-child costs vary with the simulated caseload)."""
    return f"£{round(x, -2):,.0f}"


def council_cost_table(scope: str = "placements") -> Table:
    """The council's expected total cost per contract, costs fixed and with the effort response (£ a year)."""
    t = _table(scope)
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "Costs fixed: premium": t["risk_premium_exact"].map(_k),
        "Costs fixed: total": t["council_cost_fixed"].map(_m),
        "Effort: net saving": t["efficiency_gain"].map(_k),
        "Effort: premium": t["risk_premium_effort"].map(_k),
        "Effort: total": t["council_cost_effort"].map(_m),
        "Rank": t["council_cost_effort"].rank(method="min").astype(int).astype(str),
    })
    return Table(frame, caption=_scoped(scope) + "The council's expected total cost of each contract, with costs fixed and with the "
                                "practice's effort (£ a year)",
                 notes="Total: expected cost of the children, risk premium and administration, with terms set so that "
                       "the practice just accepts. Effort e = s/k cuts every cost by the fraction e at a cost "
                       "k e² E[C]/2 to the practice, which the council pays; net saving = cost saved minus that cost. "
                       "Rank: with effort, 1 = cheapest.")


def _claims(scope: str) -> list[tuple[str, str]]:
    """The report's claims (s.6.1.6) and what the simulation says of each under ``scope``."""
    t = _table(scope).set_index("contract")
    names = list(t.index)
    block, needs, full = names[0], "Capitation by needs group", "Full reimbursement"
    cv, thr, both, outcome, mixed = (next(n for n in names if n.startswith(p)) for p in
                                     ("Cost and volume", "Threshold at", "Two-way", "Outcome", "Mixed"))
    discount = threshold_discounts(scope)
    sk = skimming_table(scope).set_index(["contract", "group"])
    one_more = sk.xs("no_additional_needs", level="group")["gain_average_child"]
    opt = chapter_optimum(scope)
    cv_share = next(c.share for c in _book(scope).values() if isinstance(c, CostAndVolume))
    return [
        ("Block: the practice “bears the entire risk of variability in its caseload and of variability in the cost "
         "per child” and would charge a risk premium",
         f"It bears {_pct(t.loc[block, 'caseload'])} of both. Its chance of a loss in a year is "
         f"{_pct(t.loc[block, 'practice_p_loss'])}, its worst year in 20 {_k(t.loc[block, 'practice_surplus_p5'])}; "
         f"the risk premium is {_k(t.loc[block, 'risk_premium_exact'])} a year."),
        ("Block: a payment that includes “an additional contingency reserve”",
         f"A reserve that holds the chance of failing in a year to 1 in 20 is {_k(t.loc[block, 'reserve_1_in_20'])}"
         + (", several times a practice's likely reserves" if t.loc[block, "reserve_1_in_20"] > 2 * _reserves(scope)
            else "") +
         f"; with {assumption('reserve_months'):g} months' running cost it fails in "
         f"{_pct(t.loc[block, 'p_fail_year'])} of years and the council absorbs {_k(t.loc[block, 'absorbed'])} a "
         "year."),
        ("Block: an incentive “to reduce caseloads” and “the service provided for each child”",
         f"Each extra child lowers the practice's surplus by £{abs(one_more[block]):,.0f} a year; it keeps "
         f"{_pct(t.loc[block, 'power'])} of any £ saved."),
        ("Risk-adjusted capitation: “the risk is borne entirely by the local authority”",
         f"Only if the payment follows each child's actual cost (full reimbursement: "
         f"{_pct(t.loc[full, 'overall'])}). Paid by needs group, the practice bears "
         f"{_pct(t.loc[needs, 'caseload'])} of caseload and {_pct(t.loc[needs, 'case_mix'])} of case-mix risk but "
         f"{_pct(t.loc[needs, 'within_group'])} of the variation within groups (premium "
         f"{_k(t.loc[needs, 'risk_premium_exact'])})."),
        ("Risk-adjusted capitation: “little incentive to cut its costs”, and “substantial administrative costs”",
         f"True of full reimbursement: it keeps {_pct(t.loc[full, 'power'])} of a £ saved. Paid by needs group it "
         f"keeps {_pct(t.loc[needs, 'power'])}. The assumed assessment cost adds "
         f"{_k(t.loc[needs, 'admin_cost'] - t.loc[block, 'admin_cost'])} a year."),
        ("Cost and volume: risks shared and “a more satisfactory balance of positive and negative incentives”",
         f"At s = {cv_share:g} the practice bears "
         f"{_pct(t.loc[cv, 'overall'])} of all cost risk for a premium of {_k(t.loc[cv, 'risk_premium_exact'])} and "
         f"keeps {_pct(t.loc[cv, 'power'])} of a £ saved. The share that minimises the council's cost is "
         f"{opt.closed_form_share:.2f} (by formula), {opt.share:.2f} (simulated)."),
        ("Threshold: extra costs below the threshold “borne by the SWP and all those above by the local "
         "authority”, with “a similar arrangement” for underspends",
         (f"Leaving the practice every underspend pays it more than the cost on average unless the baseline is set "
          f"{100 * discount[thr]:.1f}% lower; returning underspend beyond the threshold (a cap on surplus, s.7) needs "
          f"{100 * discount[both]:.1f}%. The two-way version keeps {_pct(t.loc[both, 'power'])} of the incentive.")
         if discount[thr] >= 5e-4 else
         "The year's cost never moves as far as the threshold, so both threshold contracts are block contracts: the "
         "practice keeps every underspend and bears every overspend, and the baseline needs no adjustment."),
        ("Mixed outcome-based: the fixed amount “ensure[s] that, whatever happens to outcomes, the SWP remains in "
         "business”",
         f"A fixed base leaves all cost risk with the practice: chance of a loss "
         f"{_pct(t.loc[outcome, 'practice_p_loss'])}, premium {_k(t.loc[outcome, 'risk_premium_exact'])}. On a "
         f"cost-and-volume base: {_pct(t.loc[mixed, 'practice_p_loss'])} and "
         f"{_k(t.loc[mixed, 'risk_premium_exact'])}."),
    ]


def claims_table() -> Table:
    """What the report says about each kind of contract (s.6.1.6), and what the simulation says under each scope."""
    placements, social = _claims("placements"), _claims("social_work")
    frame = pd.DataFrame({
        "The report says (s.6.1.6)": [claim for claim, _ in placements],
        scope_heading("placements"): [says for _, says in placements],
        scope_heading("social_work"): [says for _, says in social],
    })
    return Table(frame, caption="The report's comparison of contracts, put to numbers under each scope",
                 notes=f"Quotations from Le Grand (2007) s.6.1.6. Default assumptions; {_sim().n_years:,} simulated years.")


def key_results(*, data_dir: str | Path | None = None) -> Table:
    """The chapter's key-results table, every figure computed from the model and its data.

    The fourth column names the labelled assumption that drives each figure.
    """
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    from ..tables import key_results as table

    model = default_cost_model()
    load = default_caseload()
    moments = total_cost_moments(model, load)
    caseload_share = load.variance * model.mean**2 / moments.variance
    t = _table("placements").set_index("contract")
    w = _table("social_work").set_index("contract")
    names = list(t.index)
    block, thr = names[0], next(n for n in names if n.startswith("Threshold at"))
    fixed_best = t["council_cost_fixed"].idxmin()
    effort_best = t["council_cost_effort"].idxmin()
    effort_worst = t["council_cost_effort"].idxmax()
    opt = chapter_optimum()
    saving = float(_years().totals.mean()) - opt.council_cost
    sk = skimming_table().set_index(["contract", "group"])["gain_vs_average"]
    grid = chapter_design_grid()
    grid = grid[grid["tolerance"] == assumption("risk_tolerance")]
    basis_words = {"fixed": "fixed baseline", "caseload": "baseline following the number of children",
                   "needs": "baseline following needs groups"}

    def best_design(scope: str) -> str:
        g = grid[grid["scope"] == scope]
        b = g.loc[g["council_cost_effort"].idxmin()]
        thresh = "" if b["threshold"] == 0 else f", all of the first £{b['threshold']:,.0f} over or under"
        return f"{basis_words[b['basis']]}, practice's share {b['share']:.2f}{thresh}: {_m(b['council_cost_effort'])}"

    scopes = {name: _years(name) for name in SCOPES}
    sc = engine.scope(_scn())
    margin = sc.flat_rate(model, load) - sc.marginal_cost(model)
    thr_unbalanced = pricing.unbalanced_threshold_payment("placements")
    with_outcomes = service_cut_figures("placements").set_index("contract")["with_outcomes"]
    cut_best = with_outcomes.idxmin()
    upcode = pricing.upcoding_cost("placements")
    s = practice.summary()
    side = commissioning.council_side(s["running_cost"], s["out_of_scope"] * practice.PracticeDesign().caseload)
    total = side.set_index("item").loc["Total"]
    held = int(data.value("pilots", measure="pilots_holding_placement_budget_commcare2013", data_dir=data_dir))
    term = int(assumption("contract_term_years"))
    months = assumption("reserve_months")
    from ..costs import default_shock_cv, shock_exceedance

    shock = shock_comparison()
    shock_block = shock[(shock["scope"] == "placements") & (shock["contract"] == "Block")].sort_values("shock_cv")
    sim = f"simulated, {_sim().n_years:,} practice-years"
    spread = "within-group cost spread (chapter 3)"
    rtol = f"risk tolerance {_tolerance()}"
    return table(
        [
            ("Expected cost of a practice's year, 100 ± 10 children: social work and placements; social work only",
             f"{_m(scopes['placements'].expected_total)} (sd {_k(float(scopes['placements'].totals.std()))}); "
             f"{_m(scopes['social_work'].expected_total)} (sd {_k(float(scopes['social_work'].totals.std()))})",
             "chapter 3 costs, chapter 4 budget; draft contract Art. 4",
             f"{spread}; variable social-work cost £{assumption('social_work_variable_cost'):,.0f} a child"),
            ("Pilots that held the placement budget", "only one" if held == 1 else f"{held}",
             "Community Care (2013)"),
            ("Share of the variance of the children's cost due to their number", _pct(caseload_share),
             "chapter 3 cost model, exact", "caseload spread evenly over 90 to 110 children"),
            ("Margin a per-child rate that includes staff pays on each extra child", f"£{margin:,.0f} a year",
             "chapter 4 budget, fixed between 90 and 110 children"),
            ("Block contract, social work and placements: chance of a loss; worst year in 20",
             f"{_pct(t.loc[block, 'practice_p_loss'])}; {_k(t.loc[block, 'practice_surplus_p5'])}", sim, spread),
            (f"Block contract: chance the practice fails in a year; within a {term}-year term "
             "(social work and placements; social work only)",
             f"{_pct(t.loc[block, 'p_fail_year'])}; {_pct(t.loc[block, 'p_fail_term'])} "
             f"({_pct(w.loc[block, 'p_fail_year'])}; {_pct(w.loc[block, 'p_fail_term'])})", sim,
             f"reserves of {months:g} months' running cost"),
            ("Block contract, social work and placements: losses the council absorbs when the practice fails",
             f"{_k(t.loc[block, 'absorbed'])} a year", sim, f"reserves of {months:g} months' running cost"),
            ("Risk premium a practice would charge for a block contract: unlimited; limited liability",
             f"{_k(t.loc[block, 'risk_premium_exact'])}; {_k(t.loc[block, 'risk_premium_limited'])} a year",
             sim, f"{rtol}; reserves"),
            ("Threshold contract: average payment with its baseline at the expected cost; as priced here",
             f"{_m(thr_unbalanced)}; {_m(float(t.loc[thr, 'council_mean_spend']))} (baseline "
             f"{100 * _book()[thr].baseline_discount:.1f}% lower)", sim),
            ("Cheapest for the council with costs fixed", f"{fixed_best}, {_m(t.loc[fixed_best, 'council_cost_fixed'])}",
             sim, rtol),
            ("Cheapest once the practice's effort responds to its incentive; dearest",
             f"{effort_best}, {_m(t.loc[effort_best, 'council_cost_effort'])}; "
             f"{effort_worst.lower()}, {_m(t.loc[effort_worst, 'council_cost_effort'])}",
             sim, f"effort cost {assumption('effort_cost'):g}; {rtol}"),
            ("Cheapest once half of every saving is a service cut that moves children",
             f"{cut_best}, {_m(with_outcomes[cut_best])}", sim,
             "share of service cuts; cost of a placement move"),
            ("Cost-and-volume share that minimises the council's cost: by formula; simulated",
             f"{opt.closed_form_share:.2f}; {opt.share:.2f}", sim, f"{rtol} and effort cost {assumption('effort_cost'):g}"),
            ("Council's saving at that share against full reimbursement, administration aside",
             f"{_k(saving)} a year", sim, f"{rtol} and effort cost {assumption('effort_cost'):g}"),
            ("Gain from choosing a child with no additional needs over an average referral: block or flat "
             "capitation; capitation by needs group",
             f"{_gbp_signed(sk[(block, 'no_additional_needs')])} a year; "
             f"{_gbp_signed(sk[('Capitation by needs group', 'no_additional_needs')])}",
             f"simulated, {_sim().grid_years:,} practice-years"),
            ("Capitation by needs group: council's extra cost if one child in ten is recorded a group higher",
             f"{_k(upcode)} a year", "needs-group rates", "share recorded higher"),
            ("Council's own yearly cost of contracting out (commissioning, paying twice, stranded overheads, managing)",
             f"{_k(total['central'])} ({_k(total['low'])} to {_k(total['high'])})", "computed",
             "commissioning and overhead assumptions"),
            ("Cheapest design on the chapter's grid: social work and placements",
             best_design("placements"), f"cost-sharing grid, {_sim().grid_years:,} practice-years",
             f"{rtol}; effort cost {assumption('effort_cost'):g}"),
            ("Cheapest design on the chapter's grid: social work only",
             best_design("social_work"), f"cost-sharing grid, {_sim().grid_years:,} practice-years",
             f"{rtol}; effort cost {assumption('effort_cost'):g}"),
            ("Shared yearly cost shock, social work and placements: block contract's risk premium; chance of "
             "failing in a year (without; with the shock)",
             f"{_k(shock_block['risk_premium_exact'].iloc[0])}; {_k(shock_block['risk_premium_exact'].iloc[1])} "
             f"({_pct(shock_block['p_fail_year'].iloc[0])}; {_pct(shock_block['p_fail_year'].iloc[1])})",
             f"simulated, {_sim().n_years:,} practice-years, the same with and without the shock", f"shared shock {100 * default_shock_cv():.0f}%; {rtol}"),
            ("Council's pooling floor: chance its cost per child runs over 10% however many children it pools",
             _pct1(shock_exceedance(default_shock_cv(), 0.10)), "chapter 3 cost model, exact",
             f"shared shock {100 * default_shock_cv():.0f}%"),
        ],
        caption="Key results: paying a practice of 100 children (default assumptions)",
    )


# ---------------------------------------------------------------------------------------
# Tables: scope, failure, service cuts, exit and upcoding, the council's side
# ---------------------------------------------------------------------------------------


def _gbp(x: float) -> str:
    return _gbp_signed(x).replace("+", "")


def scope_figures() -> pd.DataFrame:
    """What each scope puts on the practice: one row per scope, numbers unformatted.

    Columns ``scope``, ``label``, ``expected`` (£ a year), ``fixed`` (the practice's
    budget, £ a year), ``variable_per_child`` (£ a child a year), ``sd`` (£ a year) and
    ``margin`` (what a flat per-child rate that pays the expected total gives the practice
    on each extra child, £ a year).
    """
    rows = []
    model = engine.children(_scn()).cost_model
    for name in liability.SCOPES:
        sc = engine.scope(_scn(name))
        years = _years(name)
        rate = sc.flat_rate(model, years.caseload)
        rows.append({"scope": name, "label": sc.label, "expected": years.expected_total, "fixed": sc.fixed_cost,
                     "variable_per_child": sc.marginal_cost(model), "sd": float(years.totals.std()),
                     "margin": rate - sc.marginal_cost(model)})
    return pd.DataFrame(rows)


def scope_table(*, data_dir: str | Path | None = None) -> Table:
    """The two scopes side by side: what the practice pays for and how uncertain it is."""
    data.data_folder(data_dir)  # a wrong folder is refused before any work
    f = scope_figures()
    held = int(data.value("pilots", measure="pilots_holding_placement_budget_commcare2013", data_dir=data_dir))
    frame = pd.DataFrame({
        "What the practice pays for": f["label"],
        "Expected cost (a year)": f["expected"].map(_m),
        "of which fixed (its own budget)": f["fixed"].map(_k),
        "Variable cost of one more child": f["variable_per_child"].map(lambda x: f"£{x:,.0f}"),
        "Spread of the year's cost (sd)": f["sd"].map(_k),
        "Margin a flat per-child rate pays on one more child": f["margin"].map(lambda x: f"£{x:,.0f}"),
    })
    return Table(frame, caption="Who holds the placement budget: the two scopes of a contract",
                 notes="Social work only: chapter 4's running cost plus a variable cost that follows each child's "
                       "needs (assumption). Social work and placements: chapter 4's running cost plus each child's "
                       "cost of care less the council's wider overheads inside it (an assumed "
                       f"{assumption('council_overhead_share', data_dir=data_dir):.0%}, which the council keeps "
                       "paying) and less the practice's staff cost already inside it. In the pilots, "
                       f"{'only one' if held == 1 else held} held the placement budget (Community Care, 2013). "
                       f"{_sim().n_years:,} simulated years.")


def failure_table(scope: str = "placements") -> Table:
    """Each contract's chance of ending the practice, and what the council then absorbs (£ a year)."""
    t = _table(scope)
    term = int(assumption("contract_term_years"))
    frame = pd.DataFrame({
        "Contract": t["contract"],
        "Fails in a year": t["p_fail_year"].map(_pct),
        f"Fails within a {term}-year term": t["p_fail_term"].map(_pct),
        "Council absorbs (a year)": t["absorbed"].map(_k),
        "Reserves for a 1-in-20 chance of failing": t["reserve_1_in_20"].map(_k),
        "Risk premium: unlimited; limited liability": [f"{_k(a)}; {_k(b)}" for a, b in
                                                       zip(t["risk_premium_exact"], t["risk_premium_limited"])],
        "Council's total, limited liability": t["council_cost_limited"].map(_m),
    })
    months = assumption("reserve_months")
    return Table(frame, caption=f"{scope_heading(scope)}: failure, and the losses that fall back on the "
                                "council",
                 notes=f"Reserves of {months:g} months of the practice's running cost, "
                       f"{_k(_reserves(scope))} (assumption). A year's loss beyond them ends the "
                       "practice (Art. 8: insolvency) and the council absorbs the rest; over a term, surpluses add to "
                       f"the reserves and losses draw them down. Council's total: expected cost, the premium a "
                       f"practice with limited liability charges, administration and a one-off "
                       f"{_k(assumption('failure_cost'))} per failure (assumption), costs fixed. "
                       f"{_sim().n_years:,} simulated years.")


def service_cut_table(scope: str = "placements") -> Table:
    """Efficiency against service cuts: the council's cost once the outcome cost of cuts is counted."""
    f = service_cut_figures(scope)
    frame = pd.DataFrame({
        "Contract": f["contract"],
        "Cost cut (a year)": f["cut"].map(_k),
        "of which service cuts": f["service"].map(_k),
        "Extra placement moves a year, per 100 children": f["moves_per_100"].map(lambda x: f"{x:.1f}"),
        "Outcome cost of the moves": f["outcome_cost"].map(_k),
        "Council's total with effort: cost only; counting outcomes": [
            f"{_m(a)}; {_m(b)}" for a, b in zip(f["council_cost_effort"], f["with_outcomes"])],
        "Rank counting outcomes": f["with_outcomes"].rank(method="min").astype(int).astype(str),
    })
    a = assumption
    return Table(frame, caption=f"{scope_heading(scope)}: effort that cuts the service",
                 notes=f"Assumptions: {100 * a('service_cut_share'):.0f}% of every cut is a service cut; each "
                       f"£{a('cut_per_placement_move'):,.0f} of service cut brings one more placement move, valued at "
                       f"£{a('placement_move_cost'):,.0f}. Effort cost k = {a('effort_cost'):g} (assumption). "
                       "Rank: 1 = cheapest.")


def gaming_table(scope: str = "placements") -> Table:
    """The channels the report leaves open: exit (handing a child back) and upcoding (£ a year)."""
    f = gaming_figures(scope)
    years = _years(scope, _sim().grid_years)
    costly = float(years.cost_model.quantile(0.99))
    share = assumption("upcoding_share")
    frame = pd.DataFrame({
        "Contract": f["contract"],
        "Hands back a child of average needs and cost": f["exit_average"].map(_gbp_signed),
        "Hands back one of the costliest 1 in 100": f["exit_costly"].map(_gbp_signed),
        "Records a child one group higher": [
            "£0" if a == 0 and b == 0 else f"+£{a:,.0f} or +£{b:,.0f}" for a, b in zip(f["upcode_low"], f["upcode_mid"])],
        f"Council's cost if {100 * share:.0f}% are recorded higher": f["upcoding_cost"].map(_k),
    })
    return Table(frame, caption=f"{scope_heading(scope)}: what exit and classification are worth to the "
                                "practice (£ a year)",
                 notes="Gain to the practice's expected surplus. Handing back: the child's variable cost saved less "
                       f"the payment lost; the costliest 1 in 100 children cost over £{costly:,.0f} a year. Recording "
                       "higher: from no additional needs to emotional, behavioural or offending needs, or from those "
                       f"to complex needs. Share recorded higher: assumption. {_sim().grid_years:,} simulated "
                       "years.")


def shock_table() -> Table:
    """Chapter 3's shared yearly cost shock: the practice's and the council's risk without and with it, both scopes."""
    from .. import costs

    f = shock_comparison()
    cv = float(f["shock_cv"].max())
    wide = f[f["shock"] == "none"].merge(f[f["shock"] == "shared"], on=["scope", "contract"], suffixes=("", "_s"))

    def pair(column: str, fmt) -> list[str]:  # noqa: ANN001 - a formatter
        return [f"{fmt(a)}; {fmt(b)}" for a, b in zip(wide[column], wide[column + "_s"])]

    frame = pd.DataFrame({
        "Pays for": wide["scope"].map(liability.SCOPE_LABELS),
        "Contract": wide["contract"],
        "Practice: spread of surplus (sd)": pair("practice_sd_surplus", _k),
        "Practice fails in a year": pair("p_fail_year", _pct),
        "Practice's risk premium": pair("risk_premium_exact", _k),
        "Council: spread of spend (sd)": pair("council_sd_spend", _k),
    })
    floor = costs.shock_exceedance(cv, 0.10)
    return Table(frame, caption="The shared yearly cost shock: each pair is without; with the shock (£ a year)",
                 notes=f"A shock of {100 * cv:.0f}% (coefficient of variation; assumption, 2% to 10%, chapter 3) "
                       "multiplies every child's cost in a year; the practice's own budget is fixed. Pooling does not "
                       "remove it: however many children a council pools, the shock alone takes its cost per child "
                       f"more than 10% over the expected in {100 * floor:.1f}% of years. Reserves "
                       f"{_k(_reserves())}; risk tolerance {_tolerance()} (assumptions). "
                       f"The same {_sim().n_years:,} simulated years for each scope, with and without the shock.")


def council_side_table() -> Table:
    """The council's yearly cost of contracting out, on top of the contract (low, central, high)."""
    s = practice.summary()
    n = practice.PracticeDesign().caseload
    f = commissioning.council_side(s["running_cost"], s["out_of_scope"] * n)
    frame = pd.DataFrame({
        "Item": f["item"],
        "Low": f["low"].map(_k), "Central": f["central"].map(_k), "High": f["high"].map(_k),
    })
    kept = "; ".join(commissioning.RETAINED_FUNCTIONS)
    term = assumption("contract_term_years")
    return Table(frame, caption="The council's side: what contracting out adds each year (£ a year)",
                 notes=f"One-off costs spread over a {term:g}-year term. Every figure is an assumption with a range, "
                       "and the columns take every one at its low, central or high value. Stranded overheads: a share "
                       "of a council overhead taken equal to the practice's own overheads the census leaves out. "
                       f"Kept by the council whoever holds the children, and so not counted: {kept}.")


def needs_mix_figures() -> pd.DataFrame:
    """:func:`~swp_models.pricing.needs_mix_comparison` at its defaults (unformatted; see there for the columns)."""
    return needs_mix_comparison()


def needs_mix_table() -> Table:
    """The chapter's headline figures under each of chapter 3's needs mixes (social work and placements)."""
    f = needs_mix_figures()
    frame = pd.DataFrame({
        "Needs mix (chapter 3)": f["mix"],
        "Expected cost (sd) a year": [f"{_m(a)} ({_k(b)})" for a, b in zip(f["expected_cost"], f["sd_cost"])],
        "Block: chance of a loss in a year": f["block_p_loss"].map(_pct),
        "Block: chance of failing in a year": f["block_p_fail_year"].map(_pct),
        "Block: risk premium (a year)": f["block_risk_premium"].map(_k),
        "Practice's share that minimises the council's cost": f["optimal_share"].map(lambda x: f"{x:.2f}"),
        "Cheapest once effort responds (next cheapest dearer by)": [
            f"{name}, {_m(cost)} ({_k(gap)})" for name, cost, gap in
            zip(f["cheapest_effort"], f["cheapest_effort_cost"], f["runner_up_gap"])],
    })
    months = assumption("reserve_months")
    return Table(frame, caption="Social work and placements: how the results change with the needs mix",
                 notes="Each mix as chapter 3 shows it (assumptions there); contracts rebuilt on each mix, so "
                       "capitation rates follow it. Reserves of "
                       f"{months:g} months' running cost, {_k(_reserves())}; risk premium with "
                       f"unlimited liability, risk tolerance {_tolerance()}; share: closed form, effort cost "
                       f"{assumption('effort_cost'):g} (assumptions). {_sim().grid_years:,} simulated "
                       "years per mix, the same seed for every mix.")


def needs_mix_prose() -> dict[str, str]:
    """Numbers the chapter's prose quotes from :func:`needs_mix_table`, as glue names and formatted text."""
    f = needs_mix_figures()

    def span(column: str, fmt) -> str:  # noqa: ANN001 - a formatter
        return f"{fmt(f[column].min())} to {fmt(f[column].max())}"

    return {
        "ch5_mix_expected": span("expected_cost", _m),
        "ch5_mix_premium": span("block_risk_premium", _k),
        "ch5_mix_loss": span("block_p_loss", _pct),
        "ch5_mix_fail": span("block_p_fail_year", _pct),
        "ch5_mix_share": span("optimal_share", lambda x: f"{x:.2f}"),
        "ch5_mix_cheapest": " and ".join(f"“{name}” under {n} of the {len(f)}" for name, n in
                                         f["cheapest_effort"].value_counts().items()),
    }


