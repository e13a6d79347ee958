"""The figures chapter 5's prose quotes ("Paying a practice"), as the page glues them.

:func:`prose_numbers_contracts` returns every £ and % figure of the chapter's text, keyed by the
name the page glues it under (``ch5_...``), formatted as the text writes it. Each is computed, never
typed: from the pricing engine (:mod:`swp_models.engine`) and the named results
(:mod:`swp_models.results`) on the central scenario, from the chapter's page tables
(:mod:`swp_models.figures.contracts_tables`), from the council's side of a contract
(:mod:`swp_models.contracts.council`) or from the assumption tables (:mod:`swp_models.assumptions`).
The needs-mix section's figures stay with its table (:func:`~swp_models.figures.contracts_tables.needs_mix_prose`).
"""

from __future__ import annotations

from pathlib import Path

import inspect
import math

from .. import assumptions, engine, practice, pricing, results
from ..contracts import ThresholdSharing, council
from ..costs import shock_exceedance
from ..scenario import Scenario
from ..tables import fmt_gbp, fmt_num, fmt_pct, fmt_share
from . import contracts_tables as tables

__all__ = ["prose_numbers_contracts"]


def _gbp(x: float, places: int = -3) -> str:
    """£ rounded to ``places`` as :func:`round` takes them: ``_gbp(344_855) -> '£345,000'``."""
    return fmt_gbp(round(float(x), places))


def _gbp_below(x: float, step: float) -> str:
    """£ rounded down to a multiple of ``step`` (for "more than"): ``_gbp_below(130_671, 10_000) -> '£130,000'``."""
    return fmt_gbp(math.floor(float(x) / step) * step)

def _range(low_central_high, key: str, fmt) -> dict[str, str]:  # noqa: ANN001 - a triple and a formatter
    """A central value with its low and high (as :func:`swp_models.assumptions.bounds` gives them), formatted, as
    ``key``, ``key_low`` and ``key_high``."""
    low, central, high = low_central_high
    return {key: fmt(central), f"{key}_low": fmt(low), f"{key}_high": fmt(high)}


def _threshold_contract(scn: Scenario) -> ThresholdSharing:
    """The one-way threshold contract of the chapter's book (the practice keeps every underspend)."""
    return next(c for c in engine.book(scn).values() if isinstance(c, ThresholdSharing) and c.surplus_threshold is None)


def _council_side():  # noqa: ANN202 - a pandas Series
    """The council's yearly cost of contracting out, its total at the low, central and high assumptions, as the
    chapter's table has it."""
    s = practice.summary()
    side = council.council_side(s["running_cost"], s["out_of_scope"] * practice.PracticeDesign().caseload)
    return side.set_index("item").loc["Total", ["low", "central", "high"]]


def _best_design(scn: Scenario):  # noqa: ANN202 - a pandas Series
    """The cheapest contract on the design grid with placements in scope, at the scenario's risk tolerance."""
    grid = tables.chapter_design_grid()
    grid = grid[(grid["scope"] == "placements") & (grid["tolerance"] == scn.risk_tolerance)]
    return grid.loc[grid["council_cost_effort"].idxmin()]


def prose_numbers_contracts(*, data_dir: str | Path | None = None) -> dict[str, str]:
    """Formatted figures that chapter 5's text quotes, keyed by the name the page glues them under.

    All on the central scenario with placements in scope (the chapter's main tables), except the
    assumptions, which are the assumption tables' values and ranges. The 50:50 illustration of the
    risk tolerance stakes the threshold contract's threshold, the most that contract lets a practice
    lose in a year.
    """
    assumptions.data.data_folder(data_dir)  # a wrong folder is refused before any work
    scn = Scenario.central(scope="placements")

    def r(key: str) -> float:
        return results.result(key, scn).value

    expected = r("expected_cost")
    ovh = pricing.overhead_range()  # the assumption's low, central and high shares
    block = engine.table(scn).set_index("contract").loc["Block"]
    scope = tables.scope_figures().set_index("scope").loc["placements"]
    threshold = _threshold_contract(scn)
    unbalanced = pricing.unbalanced_threshold_payment("placements")
    stake = threshold.threshold
    gaming = tables.gaming_figures().set_index("contract")
    needs = gaming.loc["Capitation by needs group"]
    optimum = tables.chapter_optimum()
    side = _council_side()
    design = _best_design(scn)
    excess = inspect.signature(shock_exceedance).parameters["excess"].default  # the pooling floor's overshoot
    a = assumptions.value
    return {
        "ch5_price_year": scn.price_year,  # the price base of every £ in the chapter (cash)
        # Who holds the placement budget
        "ch5_expected": f"£{fmt_num(expected / 1e6, 1)} million",
        "ch5_sd": _gbp(scope["sd"]),
        "ch5_budget": _gbp(scope["fixed"]),
        "ch5_variable": _gbp(scope["variable_per_child"], 0),
        "ch5_margin": _gbp(scope["margin"], 0),
        **_range(assumptions.bounds("social_work_variable_cost", data_dir=data_dir), "ch5_sw_variable", lambda x: _gbp(x, 0)),
        # The council's wider overheads taken out of the placement scope's cost, and the chapter over their range
        "ch5_overhead_share": fmt_share(a("council_overhead_share")),
        "ch5_overhead_share_high": fmt_share(assumptions.bounds("council_overhead_share", data_dir=data_dir)[2]),
        "ch5_overhead_kept": _gbp(ovh.loc[1, "council_overheads"]),
        **{f"ch5_ovh_{k}_{end}": fmt(ovh.loc[i, k]) for i, end in ((0, "low"), (2, "high"))
           for k, fmt in (("expected_cost", lambda x: f"£{fmt_num(x / 1e6, 1)} million"), ("p_fail_term", fmt_share))},
        # The contracts and the threshold contract's balancing
        "ch5_threshold": _gbp(threshold.threshold, 0),
        "ch5_reinsurance": _gbp(a("reinsurance_threshold"), 0),
        "ch5_bonus": _gbp(a("outcome_bonus"), 0),
        "ch5_thr_unbalanced": f"£{fmt_num(unbalanced / 1e6, 3)}m",
        "ch5_thr_excess": _gbp(unbalanced - expected),
        "ch5_thr_discount": fmt_share(threshold.baseline_discount, 1),
        # The price of risk
        "ch5_tolerance": _gbp(scn.risk_tolerance, 0),
        "ch5_gamble_stake": _gbp(stake, 0),
        "ch5_gamble_cost": _gbp(pricing.coin_flip_premium(stake, scn.risk_tolerance), -4),
        "ch5_premium": _gbp(r("block.premium")),
        "ch5_premium_share": fmt_share(r("block.premium") / expected),
        # Failure
        "ch5_worst": _gbp(-block["practice_surplus_p5"]),
        "ch5_reserves": _gbp(r("reserves")),
        "ch5_fail_year": fmt_share(r("block.p_fail_year")),
        "ch5_fail_term": fmt_share(r("block.p_fail_term")),
        "ch5_absorbed": _gbp(r("block.absorbed")),
        "ch5_premium_limited": _gbp(r("block.premium_limited")),
        "ch5_reserve_1_in_20": _gbp(block["reserve_1_in_20"]),
        **_range(assumptions.bounds("failure_cost", data_dir=data_dir), "ch5_failure_cost", lambda x: _gbp(x, 0)),
        # The shared shock and the council's pooling floor
        **_range(assumptions.bounds("shared_shock_cv", data_dir=data_dir), "ch5_shock", fmt_share),
        "ch5_pool_excess": fmt_share(excess),
        # Effort and service cuts
        "ch5_effort_cut": fmt_share(block["effort"]),
        "ch5_effort_spend": fmt_share(block["effort_cost"] / block["expected_cost_fixed"]),
        "ch5_cut_per_move": _gbp(a("cut_per_placement_move"), 0),
        "ch5_move_cost": _gbp(a("placement_move_cost"), 0),
        "ch5_opt_saving": _gbp(float(engine.own_costs(scn).totals.mean()) - optimum.council_cost),
        "ch5_opt_closed": f"{optimum.closed_form_share:.2f}",
        "ch5_opt_simulated": f"{optimum.share:.2f}",
        # Exit and upcoding
        "ch5_exit_costly": _gbp_below(gaming.loc["Block", "exit_costly"], 10_000),
        "ch5_upcode_low": _gbp(needs["upcode_low"]),
        "ch5_upcode_mid": _gbp(needs["upcode_mid"]),
        "ch5_upcode_cost": _gbp(needs["upcoding_cost"]),
        # The council's side: in the summary to the nearest £10,000, in its section to the nearest £1,000
        **_range(side, "ch5_side", _gbp),
        **_range(side, "ch5_side_rounded", lambda x: _gbp(x, -4)),
        # Design your contract
        "ch5_design_threshold": _gbp(design["threshold"], 0),
        "ch5_design_share": fmt_num(design["share"], 2),
    }
