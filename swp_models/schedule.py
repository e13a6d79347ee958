"""The draft contract's Art. 9, "Financial Arrangements": one schedule per scope that a practice survives (chapter 6).

Art. 9 of the draft contract (Annex A.2) lists "Payments, mechanisms for agreeing price adjustments,
division of cost savings/increases" and leaves them blank. A schedule here fills in all three:

* **payments**: a baseline ``B_i`` for year ``i``, fixed or following the number of children
  (chapter 5's bases, :class:`~swp_models.contracts.CostSharing`), plus the chapter's outcome
  payment (:func:`swp_models.outcome_contracts.default_schedule_terms`: the report's bonus per unit on
  value added, capped) paid on top of a baseline reduced by its expected value;
* **price adjustment**: with ``indexed=True`` the part of the baseline that pays for children
  (not the practice's staff budget) moves with a price index of the year's shared cost shock
  (chapter 3's ``shared_shock_cv``: placement prices, demand, court work), so the shock that hits every
  practice at once is passed back to the council;
* **division of cost savings and increases**: the practice keeps or bears every £ of the difference
  ``B_i - C_i`` up to a threshold ``T`` and a share ``s`` beyond it (chapter 5's cost sharing), after
  the council has paid for any child's cost above a per-child reinsurance threshold (with placements in
  scope); any surplus above the s.7 cap is shared back.

The figures are simulated on the chapter's children (:func:`swp_models.outcome_contracts.chapter_draws`
and :func:`swp_models.engine.own_costs`, the first ``scn.simulation.outcome_years`` of the book's one
sample, with the shared shock of :func:`art9_scenario`), cut into terms of ``scn.term_years``
consecutive years and run through the practice's reserves by :func:`swp_models.liability.term_paths`,
the book's one model of failure over a term.

:func:`chosen_terms` picks the schedule for a scope: the cheapest design of chapter 5's grid
(:func:`swp_models.pricing.chapter_design_grid`, ranked by the council's expected cost once effort
responds) whose chance of failing within the term, with the index and the reinsurance, is at most the
assumed target ``schedule_failure_target``.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import assumptions, engine, liability, pricing
from .contracts import CostSharing, PracticeYears
from .contracts import assumption as contract_assumption
from .costs import default_shock_cv
from .outcome_contracts import (
    OutcomeTerms,
    build_contract,
    chapter_costs,
    chapter_draws,
    default_schedule_terms,
)
from .outcomes import assumption, evidence
from .scenario import Scenario
from .validation import (MAX_CELLS, check_finite, check_flag, check_in_range, check_instance, check_integer,
                         check_nonnegative, check_one_of, check_probability)

__all__ = [
    "SCHEDULE_BASES",
    "ScheduleTerms",
    "ScheduleRisk",
    "art9_scenario",
    "draft_terms",
    "chosen_terms",
    "schedule_years",
    "schedule_risk",
    "schedule_comparison",
    "financial_schedule",
    "financial_schedule_csv",
    "clear",
]

#: How a schedule's baseline may follow the year (chapter 5's bases).
SCHEDULE_BASES: tuple[str, ...] = ("fixed", "caseload", "needs")

_CACHE = assumptions.KeyedCache(16)
_cached = _CACHE.get
#: The risk of schedules on any terms (a live explorer prices one at every change): kept apart, so that
#: they never push out the few costly choices of each scope's schedule held in ``_CACHE``.
_RISKS = assumptions.KeyedCache(32)


def clear() -> None:
    """Forget every cached schedule (rebuilt on the next call)."""
    _CACHE.clear()
    _RISKS.clear()


_scenario = Scenario.given


@dataclass(frozen=True)
class ScheduleTerms:
    """The terms of an Art. 9 schedule.

    Parameters
    ----------
    share : float
        ``s`` in [0, 1]: the practice's share of any over- or underspend beyond ``threshold``.
    threshold : float, default 0
        ``T``, £ a year >= 0: over- and underspend the practice keeps or bears in full.
    basis : str, default "caseload"
        One of :data:`SCHEDULE_BASES`: a baseline fixed, following the number of children or
        following their recorded needs.
    indexed : bool, default True
        Move the children's part of the baseline with the price index of the year's shared cost shock.
    reinsurance_threshold : float, optional
        £ per child per year >= 0: the council pays each child's cost above it; default none.
    outcome : OutcomeTerms, optional
        The outcome payment, bonus cap and surplus cap; default none (nothing paid on outcomes).
    """

    share: float = field(default=None)  # type: ignore[assignment]
    threshold: float = 0.0
    basis: str = "caseload"
    indexed: bool = True
    reinsurance_threshold: float | None = None
    outcome: OutcomeTerms | None = None

    def __post_init__(self) -> None:
        s = object.__setattr__
        if self.share is None:
            raise ValueError("share must be given (a number in [0, 1]); got None")
        s(self, "share", check_probability("share", self.share))
        s(self, "threshold", check_in_range("threshold", self.threshold, 0.0, 1e8))
        check_one_of("basis", self.basis, SCHEDULE_BASES)
        s(self, "indexed", check_flag("indexed", self.indexed))
        if self.reinsurance_threshold is not None:
            s(self, "reinsurance_threshold", check_nonnegative("reinsurance_threshold", self.reinsurance_threshold))
        if self.outcome is not None:
            check_instance("outcome", self.outcome, OutcomeTerms, "OutcomeTerms or None")

    def key(self) -> tuple:
        return (self.share, self.threshold, self.basis, self.indexed, self.reinsurance_threshold, self.outcome)


@dataclass(frozen=True)
class ScheduleRisk:
    """A schedule's figures over the chapter's simulated terms (£ a year unless stated, prices of the scenario).

    Attributes
    ----------
    p_fail_term : float
        Chance the practice's reserves run out within the term.
    council_shortfall : float
        Council's expected exposure: mean £ over terms of the losses beyond the practice's reserves that
        fall on it when the practice fails.
    p_loss : float
        Chance of a loss in a year.
    sd_surplus, surplus_p5 : float
        Spread of the practice's surplus and its worst year in 20.
    council_mean, council_p95 : float
        The council's expected spend a year (payments, reinsurance included) and its spend in a bad
        year (1 in 20).
    reinsured : float
        Mean £ a year the council pays above the reinsurance threshold.
    n_terms, term_years : int
        Simulated terms and their length in years.
    """

    p_fail_term: float
    council_shortfall: float
    p_loss: float
    sd_surplus: float
    surplus_p5: float
    council_mean: float
    council_p95: float
    reinsured: float
    n_terms: int
    term_years: int

    def __post_init__(self) -> None:
        s = object.__setattr__
        for name in ("p_fail_term", "p_loss"):
            s(self, name, check_probability(name, getattr(self, name)))
        for name in ("council_shortfall", "sd_surplus", "reinsured"):
            s(self, name, check_nonnegative(name, getattr(self, name)))
        for name in ("surplus_p5", "council_mean", "council_p95"):
            s(self, name, check_finite(name, getattr(self, name)))
        s(self, "n_terms", check_integer("n_terms", self.n_terms, low=1, high=MAX_CELLS))
        s(self, "term_years", check_integer("term_years", self.term_years, low=1, high=50))


def art9_scenario(scn: Scenario | None = None) -> Scenario:
    """``scn`` with the shared yearly cost shock at its assumed size when it has none: a schedule must survive
    the years that raise every practice's costs at once, which is what its price index is for."""
    scn = _scenario(scn)
    return scn if scn.shock_cv > 0 else scn.replace(shock_cv=default_shock_cv())


def draft_terms(scn: Scenario | None = None) -> ScheduleTerms:
    """The schedule as first drafted: a fixed baseline the practice bears in full, no price adjustment, no
    reinsurance, with the chapter's outcome payment (the comparison for :func:`chosen_terms`)."""
    scn = _scenario(scn)
    return ScheduleTerms(share=1.0, basis="fixed", indexed=False, outcome=default_schedule_terms(scn))


def _years(scn: Scenario) -> tuple[PracticeYears, np.ndarray]:
    n = scn.simulation.outcome_years
    return chapter_costs(scn), engine.shock_factors(scn, n)


def _level(terms: ScheduleTerms, own: PracticeYears, scn: Scenario) -> float:
    """The baseline for an average year: the practice's expected cost net of expected reinsurance, plus the margin."""
    expected = own.expected_total
    if terms.reinsurance_threshold is not None:
        expected -= own.expected_count * own.cost_model.expected_excess(terms.reinsurance_threshold)
    return expected * (1.0 + scn.margin)


def schedule_years(terms: ScheduleTerms, scn: Scenario | None = None) -> dict[str, np.ndarray]:
    """The schedule year by year on the chapter's children under ``scn`` (taken as given: no shock added).

    Returns
    -------
    dict
        Arrays of one value a practice-year, £: ``surplus`` (the practice's, after any surplus
        returned), ``council`` (everything the council pays: baseline, shared over- and underspend,
        reinsurance, outcome payment, less surplus returned), ``cost`` (the practice's own cost before
        reinsurance), ``reinsured`` and ``baseline``.
    """
    check_instance("terms", terms, ScheduleTerms, "ScheduleTerms")
    scn = _scenario(scn)
    own, factors = _years(scn)
    cost = own.totals
    counts = own.counts.astype(float)
    reinsured = (own.sum_above(terms.reinsurance_threshold) if terms.reinsurance_threshold is not None
                 else np.zeros_like(cost))
    net = cost - reinsured
    level = _level(terms, own, scn)
    rule = CostSharing(share=terms.share, threshold=terms.threshold, basis=terms.basis, baseline=level)
    baseline = rule.year_baseline(own)
    if terms.indexed:
        # The children's part of the cost moves with the shock; the staff budget does not.
        children = net - own.fixed_cost + own.staff_per_child * counts
        weight = float(children.mean() / net.mean())
        baseline = baseline * (1.0 + weight * (factors - 1.0))
    surplus = rule.practice_surplus(net, baseline)
    if terms.outcome is not None:
        draws = chapter_draws(scn)
        ref = draws.at(draws.reference_effort)
        contract = build_contract(terms.outcome, draws, ref, own)
        pay = contract.outcome_payment(ref)
        surplus = surplus + pay - float(pay.mean())
        if terms.outcome.surplus_cap is not None:
            surplus = surplus - terms.outcome.surplus_return_share * np.maximum(surplus - terms.outcome.surplus_cap, 0.0)
    return {"surplus": surplus, "council": cost + surplus, "cost": cost, "reinsured": reinsured, "baseline": baseline}


def _risk(terms: ScheduleTerms, scn: Scenario) -> ScheduleRisk:
    y = schedule_years(terms, scn)
    t = scn.term_years
    n = y["surplus"].size // t
    paths = liability.term_paths(y["surplus"][: n * t].reshape(n, t), engine.reserves(scn))
    s, c = y["surplus"], y["council"]
    return ScheduleRisk(p_fail_term=paths.failure.p_fail_term, council_shortfall=paths.council_shortfall,
                        p_loss=float(np.mean(s < 0)), sd_surplus=float(s.std()),
                        surplus_p5=float(np.quantile(s, 0.05)), council_mean=float(c.mean()),
                        council_p95=float(np.quantile(c, 0.95)), reinsured=float(y["reinsured"].mean()),
                        n_terms=int(n), term_years=int(t))


def schedule_risk(terms: ScheduleTerms, scn: Scenario | None = None) -> ScheduleRisk:
    """Chance the practice fails within the term and the council's exposure under a schedule (cached).

    Parameters
    ----------
    terms : ScheduleTerms
    scn : Scenario, optional
        Scope, margin, reserves, term and shared shock, taken as given; default the central scenario
        (the chapter passes :func:`art9_scenario`).
    """
    check_instance("terms", terms, ScheduleTerms, "ScheduleTerms")
    scn = _scenario(scn)
    return _RISKS.get("risk", (terms.key(), scn.key()[1:]), lambda: _risk(terms, scn))


def _choose(scn: Scenario) -> tuple[ScheduleTerms, pd.DataFrame]:
    grid = pricing.chapter_design_grid()
    grid = grid[(grid["scope"] == scn.scope) & (grid["tolerance"] == scn.risk_tolerance)]
    if grid.empty:
        raise ValueError(f"scn must have a risk tolerance on chapter 5's design grid "
                         f"({sorted(pricing.DESIGN_TOLERANCES)}); got {scn.risk_tolerance!r}")
    grid = grid.sort_values(["council_cost_effort", "share", "threshold"]).reset_index(drop=True)
    reins = contract_assumption("reinsurance_threshold") if scn.scope == "placements" else None
    target = assumption("schedule_failure_target")
    shocked = art9_scenario(scn)
    tried = []
    for rank, row in grid.iterrows():
        terms = ScheduleTerms(share=float(row["share"]), threshold=float(row["threshold"]), basis=str(row["basis"]),
                              indexed=True, reinsurance_threshold=reins, outcome=default_schedule_terms(scn))
        risk = schedule_risk(terms, shocked)
        tried.append({"rank": rank + 1, "share": terms.share, "threshold": terms.threshold, "basis": terms.basis,
                      "council_cost_effort": float(row["council_cost_effort"]), "p_fail_term": risk.p_fail_term})
        if risk.p_fail_term <= target:
            return terms, pd.DataFrame(tried)
    raise ValueError(f"no design on chapter 5's grid keeps the chance of failing within the term at or below "
                     f"schedule_failure_target = {target:g} under scope {scn.scope!r}")


def chosen_terms(scn: Scenario | None = None) -> ScheduleTerms:
    """The schedule for the scenario's scope: the cheapest of chapter 5's designs the practice survives.

    Chapter 5's design grid at the scenario's risk tolerance, ranked by the council's expected cost
    once effort responds; each design is given the price index and (with placements in scope) the
    reinsurance of any child's cost above ``reinsurance_threshold``, with the chapter's outcome payment,
    and the first whose chance of failing within the term (:func:`schedule_risk` under
    :func:`art9_scenario`) is at most the assumption ``schedule_failure_target`` is taken.
    """
    scn = _scenario(scn)
    return _cached("chosen", scn.key()[1:], lambda: _choose(scn))[0]


def _tried(scn: Scenario) -> pd.DataFrame:
    return _cached("chosen", scn.key()[1:], lambda: _choose(scn))[1].copy()


def schedule_comparison(scn: Scenario | None = None) -> pd.DataFrame:
    """The schedule as drafted, chapter 5's cheapest design (when the practice does not survive it), the chosen
    schedule, and the chosen one without each of its mechanisms.

    All under :func:`art9_scenario`. Columns ``schedule``, ``share``, ``threshold``, ``basis``,
    ``indexed``, ``reinsurance_threshold`` (NaN for none), the fields of :class:`ScheduleRisk`,
    ``grid_council_cost`` (chapter 5's council cost of the design once effort responds, £ a year, without
    the index and reinsurance) and ``designs_tried`` (how far down chapter 5's ranking the chosen design is; NaN for the others).
    """
    scn = _scenario(scn)

    def build() -> pd.DataFrame:
        shocked = art9_scenario(scn)
        chosen = chosen_terms(scn)
        rows = [("As drafted: fixed baseline, no price adjustment, no sharing", draft_terms(scn))]
        first = _tried(scn).iloc[0]
        cheapest = ScheduleTerms(**{**_fields(chosen), "share": float(first["share"]),
                                    "threshold": float(first["threshold"]), "basis": str(first["basis"])})
        if cheapest != chosen:
            rows.append(("Chapter 5's cheapest design, with the index and reinsurance", cheapest))
        rows += [("Chosen schedule", chosen),
                ("Chosen, without the price index", ScheduleTerms(**{**_fields(chosen), "indexed": False}))]
        if chosen.reinsurance_threshold is not None:
            rows.append(("Chosen, without reinsurance",
                         ScheduleTerms(**{**_fields(chosen), "reinsurance_threshold": None})))
        grid = pricing.chapter_design_grid()
        grid = grid[(grid["scope"] == scn.scope) & (grid["tolerance"] == scn.risk_tolerance)]
        cost = grid.set_index(["share", "threshold", "basis"])["council_cost_effort"]
        out = []
        for name, terms in rows:
            risk = schedule_risk(terms, shocked)
            out.append({"schedule": name, "share": terms.share, "threshold": terms.threshold, "basis": terms.basis,
                        "indexed": terms.indexed,
                        "reinsurance_threshold": (float("nan") if terms.reinsurance_threshold is None
                                                  else terms.reinsurance_threshold),
                        **risk.__dict__,
                        "grid_council_cost": float(cost.loc[(terms.share, terms.threshold, terms.basis)]),
                        "designs_tried": float(len(_tried(scn))) if terms is chosen else float("nan")})
        return pd.DataFrame(out)

    return _cached("comparison", scn.key()[1:], build).copy()


def _fields(terms: ScheduleTerms) -> dict:
    return {"share": terms.share, "threshold": terms.threshold, "basis": terms.basis, "indexed": terms.indexed,
            "reinsurance_threshold": terms.reinsurance_threshold, "outcome": terms.outcome}


_BASIS_WORDS = {"fixed": "the same every year", "caseload": "in proportion to the number of children in the year",
                "needs": "in proportion to the expected cost of the year's children given their recorded needs"}
_INDICATOR_WORDS = {
    "all": "each child with fewer than three placements, each with the same social worker all year, and each reaching "
           "the attainment target (up to three units a child)",
    "stable_placement": "each child with fewer than three placements in the year",
    "same_worker": "each child with the same social worker all year",
    "attainment": "each child reaching the attainment target"}


def financial_schedule(scn: Scenario | None = None, terms: ScheduleTerms | None = None) -> pd.DataFrame:
    """The draft contract's Art. 9 "Financial Arrangements" filled in, for a scenario.

    Parameters
    ----------
    scn : Scenario, optional
        The scope, term (one review a year, Art. 5), reserves and price year; default the central scenario.
    terms : ScheduleTerms, optional
        Default :func:`chosen_terms` for the scenario.

    Returns
    -------
    pandas.DataFrame
        ``item``, ``term`` (in words and £, prices of ``scn.price_year``), ``basis``. The last rows are the
        chance the practice fails within the term and the council's expected exposure, simulated
        (:func:`schedule_risk` under :func:`art9_scenario`).
    """
    scn = _scenario(scn)
    terms = chosen_terms(scn) if terms is None else check_instance("terms", terms, ScheduleTerms, "ScheduleTerms")
    shocked = art9_scenario(scn)
    risk = schedule_risk(terms, shocked)
    own = chapter_costs(scn)
    load = own.caseload
    level = _level(terms, own, scn)
    n = scn.term_years
    review = int(evidence("review_interval"))
    rows = [
        ("Scope", f"{scn.scope_name}; £ at {scn.price_year} prices", "chapter 5: who holds the placement budget"),
        ("Children", f"{load.mean} children, plus or minus {load.margin}", "Art. 4"),
        ("Baseline payment", f"£{level:,.0f} a year for {load.mean} children (£{level / load.mean:,.0f} a child), "
                             f"{_BASIS_WORDS[terms.basis]}, paid monthly"
                             + (", less the expected outcome payment" if terms.outcome is not None else ""),
         "the practice's expected cost net of reinsurance" + (f" plus a {100 * scn.margin:g}% margin" if scn.margin
                                                              else " (no margin)") + "; chapter 5's design grid"),
    ]
    o = terms.outcome
    if o is not None:
        draws = chapter_draws(scn)
        c = build_contract(o, draws, costs=own)
        expected = c.value - c.fixed
        rows += [
            ("Outcome payment", f"£{c.rate:,.0f} per unit: {_INDICATOR_WORDS[o.indicator]}; the baseline is "
                                f"reduced by its expected value, £{expected:,.0f} a year", "Art. 3 and Arts. 22 and 25"),
            ("How outcomes are counted", "value added: the count less its expected value given each child's needs "
             "group and prior attainment at referral, plus the expected count" if o.measure == "value_added" else
             "levels: the count at the year end", "s.6.1.6 footnote 2; baseline data, Art. 6"),
            ("Cap on the outcome payment", "none" if o.bonus_cap is None else
             f"at most £{o.bonus_cap:,.0f} a year above the expected outcome payment", "assumption bonus_cap"),
        ]
    rows += [
        ("Price adjustment", "the children's part of the baseline (placements and variable social-work costs, "
                             "not the staff budget) moves each year with a published index of the costs shared by "
                             "every practice and the council" if terms.indexed else "none",
         "Art. 9: mechanisms for agreeing price adjustments"),
        ("Division of cost savings and increases",
         (f"the practice keeps or bears every £ of under- or overspend against the baseline up to £{terms.threshold:,.0f} "
          f"a year and {100 * terms.share:.0f}% beyond it" if terms.threshold > 0 else
          f"the practice keeps or bears {100 * terms.share:.0f}% of any under- or overspend against the baseline"),
         "Art. 9: division of cost savings/increases; chapter 5's cost sharing"),
        ("Very costly placements", "none" if terms.reinsurance_threshold is None else
         f"the council pays any child's cost above £{terms.reinsurance_threshold:,.0f} a year "
         f"(on average £{risk.reinsured:,.0f} a year)", "assumption reinsurance_threshold; chapter 5"),
    ]
    if o is not None and o.surplus_cap is not None:
        rows.append(("Surplus cap and sharing (s.7)", f"{100 * o.surplus_return_share:.0f}% of any surplus above "
                     f"£{o.surplus_cap:,.0f} a year returned to the council", "s.7; assumption surplus_cap"))
    rows += [
        ("Reserves the practice holds", f"£{engine.reserves(scn):,.0f} ({scn.reserve_months:g} months of its running "
                                        "cost)", "assumption reserve_months"),
        ("Reunifications and permanent homes", "counted only after 12 continuous months", "Illinois rule, Annex A.3"),
        ("Review dates", ", ".join(f"month {review * (k + 1)}" for k in range(n)) + f" (term {n} years)",
         "Art. 5: annual review"),
        ("Chance the practice fails within the term", f"{100 * risk.p_fail_term:.1f}% (its reserves run out)",
         f"simulated, {risk.n_terms:,} terms of {n} years, shared cost shock {100 * shocked.shock_cv:g}% a year "
         "(assumption)"),
        ("Council's expected exposure", f"£{risk.council_shortfall:,.0f} over the term in losses beyond the practice's "
                                        f"reserves; its spend £{risk.council_mean:,.0f} a year on average, "
                                        f"£{risk.council_p95:,.0f} in a bad year (1 in 20)", "simulated, as above"),
    ]
    return pd.DataFrame(rows, columns=["item", "term", "basis"])


def financial_schedule_csv(scn: Scenario | None = None, terms: ScheduleTerms | None = None) -> tuple[str, str]:
    """:func:`financial_schedule` as CSV text and as a ``data:`` URI for a download link (no server needed)."""
    buf = io.StringIO()
    financial_schedule(scn, terms).to_csv(buf, index=False, lineterminator="\n")
    text = buf.getvalue()
    uri = "data:text/csv;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")
    return text, uri
