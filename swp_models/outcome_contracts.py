"""Paying a practice on outcomes: mixed and pure outcome payment, caps, and reserves over the term (chapter 6).

A contract here pays a practice-year ``P = F + O`` where ``O = min(beta K, cap)`` is paid on
an outcome count ``K`` (:mod:`swp_models.outcomes`; level or value added) and ``F`` is fixed.
The rate ``beta = phi V / E[K] + b`` combines a share ``phi`` of the contract's value
``V = E[C] (1 + margin)`` paid on outcomes (the 2008 proposal: from nothing in year one to
60% in year four) and a bonus ``b`` per unit (the report's mixed contract, s.6.1.6); ``F``
is set so that the expected payment at the reference effort is ``V`` whatever the terms, so
contracts differ only in who bears which risk. ``C`` is the practice's own cost: what it pays
for under the scenario's scope (:func:`swp_models.engine.own_costs`), so chapter 6 prices the
same contracts on the same children as chapter 5. The practice's surplus is ``P - C``, less any
part above a surplus cap returned to the council (s.7).

Every chapter figure takes a :class:`~swp_models.scenario.Scenario` (default the central one):
the children are the first ``scn.simulation.outcome_years`` of the book's one sample
(:func:`chapter_draws`), the margin, risk tolerance, reserves and term are the scenario's, and
results are cached on :meth:`~swp_models.scenario.Scenario.key`, so an edited data table is seen at once.

Over a term of several years the practice's reserves start at ``R0`` and move by each
year's surplus; it fails when they fall below zero, and nobody loses more than they have:
the shortfall falls on the council (:func:`swp_models.liability.term_paths`, the one model of
failure over a term). Years are independent draws: the same children staying from year to year
would make good and bad years run together, which would raise the chance of failure.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from . import assumptions, continuity, contracts, engine, liability
from .contracts import PracticeYears
from .scenario import Scenario
from .outcomes import (
    INDICATORS,
    MEASURES,
    OutcomeDraws,
    YearOutcomes,
    assumption,
    default_outcome_model,
    design_effect,
    evidence,
    measure_comparison,
    same_worker_icc,
    simulate_outcomes,
)
from .validation import (check_finite, check_in_range, check_instance, check_nonnegative, check_one_of,
                         check_probability)

__all__ = [
    "OutcomeTerms",
    "OutcomeContract",
    "build_contract",
    "funding_schedule",
    "price",
    "reserve_paths",
    "term_paths",
    "chapter_draws",
    "chapter_costs",
    "chapter_contracts",
    "schedule_scenario",
    "contract_table",
    "block_headline",
    "clustering",
    "measures",
    "INTAKE_MIXES",
    "intake_comparison",
    "mixed_grid",
    "term_grid",
    "schedule_by_year",
    "term_shortfall",
    "default_schedule_terms",
    "council_level_outcomes",
    "council_level_table",
    "clear",
    "GRID_BONUSES",
    "GRID_CAPS",
    "GRID_SHARES",
    "GRID_RESERVE_MONTHS",
    "BATCHES",
]

_STEP = 0.05
_MAX_CHILDREN = 100_000  # an expected caseload above this is a mistake, not a practice
#: Batches of consecutive years behind the standard error of a difference from the block contract.
BATCHES = 20

_CACHE = assumptions.KeyedCache(24, name="outcome_contracts")
_cached = _CACHE.get


def clear() -> None:
    """Forget every cached draw and table (they are rebuilt on the next call)."""
    _CACHE.clear()


_scenario = Scenario.given


@dataclass(frozen=True)
class OutcomeTerms:
    """The terms of an outcome contract.

    Parameters
    ----------
    share_on_outcomes : float, default 0
        ``phi`` in [0, 1]: share of the contract's value paid in proportion to the outcome count.
    bonus_per_child : float, default 0
        ``b`` >= 0: £ per unit of the count on top (a child with the outcome; with
        ``indicator="all"`` each child can count up to three times).
    indicator : str, default "all"
        One of :data:`swp_models.outcomes.INDICATORS` or ``"all"`` (their sum).
    measure : str, default "level"
        ``"level"`` or ``"value_added"``.
    bonus_cap : float, optional
        Most by which the outcome payment ``O`` may exceed its expected value in a year, £ >= 0;
        default none.
    surplus_cap : float, optional
        Surplus above which a share returns to the council, £ >= 0 (s.7); default none.
    surplus_return_share : float, default 1
        Share in [0, 1] of surplus above the cap returned (1: a hard cap).
    basis : str, default "count"
        ``"count"``: pay on the number of children counted (so pay also grows with the
        caseload); ``"share"``: pay on the share of the year's children counted, times the
        expected caseload (pay on outcomes alone).
    margin : float, default 0
        Expected margin over the practice's expected cost, share in [0, 0.5]: the scenario's
        ``margin`` (:func:`chapter_contracts` and :func:`swp_models.schedule.financial_schedule` set it from
        ``scn.margin``); 0 prices the contract at the expected cost.
    """

    share_on_outcomes: float = 0.0
    bonus_per_child: float = 0.0
    indicator: str = "all"
    measure: str = "level"
    bonus_cap: float | None = None
    surplus_cap: float | None = None
    surplus_return_share: float = 1.0
    basis: str = "count"
    margin: float = 0.0

    def __post_init__(self) -> None:
        s = object.__setattr__
        s(self, "share_on_outcomes", check_probability("share_on_outcomes", self.share_on_outcomes))
        s(self, "bonus_per_child", check_in_range("bonus_per_child", self.bonus_per_child, 0.0, 1e7))
        check_one_of("indicator", self.indicator, INDICATORS + ("all",))
        check_one_of("measure", self.measure, MEASURES)
        check_one_of("basis", self.basis, ("count", "share"))
        if self.bonus_cap is not None:
            s(self, "bonus_cap", check_nonnegative("bonus_cap", self.bonus_cap))
        if self.surplus_cap is not None:
            s(self, "surplus_cap", check_nonnegative("surplus_cap", self.surplus_cap))
        s(self, "surplus_return_share", check_probability("surplus_return_share", self.surplus_return_share))
        s(self, "margin", check_in_range("margin", self.margin, 0.0, 0.5))


@dataclass(frozen=True)
class OutcomeContract:
    """Terms made concrete on simulated children: the value ``V``, the rate ``beta``, the fixed part ``F``
    and the largest outcome payment (£)."""

    terms: OutcomeTerms
    value: float
    rate: float
    fixed: float
    expected_count: float
    cap_level: float | None
    counts: np.ndarray

    def __post_init__(self) -> None:
        check_instance("terms", self.terms, OutcomeTerms, "OutcomeTerms")
        check_nonnegative("value", self.value)
        check_nonnegative("rate", self.rate)
        check_finite("fixed", self.fixed)
        check_in_range("expected_count", self.expected_count, 0.0, float(_MAX_CHILDREN), low_open=True)
        if self.cap_level is not None:
            check_nonnegative("cap_level", self.cap_level)
        check_instance("counts", self.counts, np.ndarray, "numpy array")
        if self.counts.ndim != 1 or self.counts.size == 0:
            raise ValueError(f"counts must be a non-empty one-dimensional array; got shape {self.counts.shape}")

    def outcome_payment(self, outcomes: YearOutcomes) -> np.ndarray:
        """The part of each year's payment that depends on outcomes, £."""
        pay = self.rate * _counted(self.terms, outcomes, self.counts)
        return pay if self.cap_level is None else np.minimum(pay, self.cap_level)

    def surplus(self, outcomes: YearOutcomes, costs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The practice's surplus after any cap, and the amount returned to the council, each year (£)."""
        raw = self.fixed + self.outcome_payment(outcomes) - costs
        if self.terms.surplus_cap is None:
            return raw, np.zeros_like(raw)
        back = self.terms.surplus_return_share * np.maximum(raw - self.terms.surplus_cap, 0.0)
        return raw - back, back


def _check_reference(reference: object) -> YearOutcomes:
    return check_instance("reference", reference, YearOutcomes, "YearOutcomes (draws.at(effort))")


def _costs(costs: object, draws: OutcomeDraws) -> PracticeYears:
    """The practice's costs on the draws' years: ``costs`` (checked to be the same years) or the draws' own."""
    if costs is None:
        return draws.years
    own = check_instance("costs", costs, PracticeYears, "PracticeYears (engine.own_costs on the draws' years)")
    if own.n_years != draws.years.n_years or not np.array_equal(own.counts, draws.years.counts):
        raise ValueError(f"costs must be the same practice-years as the draws ({draws.years.n_years:,} years, the "
                         f"same children each year); got {own.n_years:,} years that differ")
    return own


def build_contract(terms: OutcomeTerms, draws: OutcomeDraws, reference: YearOutcomes | None = None,
                   costs: PracticeYears | None = None) -> OutcomeContract:
    """Set ``V``, ``beta`` and ``F`` for ``terms`` on ``draws`` (at the reference effort).

    Parameters
    ----------
    terms : OutcomeTerms
    draws : OutcomeDraws
    reference : YearOutcomes, optional
        ``draws.at(draws.reference_effort)``, when already computed.
    costs : PracticeYears, optional
        The practice's own costs in the same years (:func:`chapter_costs`): ``V`` is their
        expected total times ``1 + margin``. Default the draws' children, every cost variable.
    """
    if not isinstance(terms, OutcomeTerms):
        raise ValueError(f"terms must be OutcomeTerms; got {terms!r}")
    check_instance("draws", draws, OutcomeDraws, "OutcomeDraws")
    own = _costs(costs, draws)
    ref = draws.at(draws.reference_effort) if reference is None else _check_reference(reference)
    value = own.expected_total * (1.0 + terms.margin)
    kids = draws.years.counts
    count = _counted(terms, ref, kids)
    expected = float(count.mean())
    rate = terms.share_on_outcomes * value / expected + terms.bonus_per_child if expected > 0 else 0.0
    cap = None if terms.bonus_cap is None else rate * expected + terms.bonus_cap
    pay = rate * count if cap is None else np.minimum(rate * count, cap)
    return OutcomeContract(terms, value, rate, value - float(pay.mean()), expected, cap, kids)


def _counted(terms: OutcomeTerms, outcomes: YearOutcomes, kids: np.ndarray) -> np.ndarray:
    count = outcomes.count(terms.indicator, terms.measure)
    if terms.basis == "share":
        return count * (float(kids.mean()) / kids)
    return count


def price(contract: OutcomeContract, draws: OutcomeDraws, risk_tolerance: float,
          reference: YearOutcomes | None = None, step: float = _STEP,
          costs: PracticeYears | None = None) -> dict[str, float]:
    """One contract's figures for the practice and the council, per year, at the reference effort.

    ``costs`` are the practice's own costs in the draws' years (:func:`chapter_costs`), as in
    :func:`build_contract`; default the draws' children.

    Returns
    -------
    dict
        ``outcome_pay`` (mean £), ``sd_surplus``, ``p_loss``, ``surplus_p5`` (worst year in
        20), ``risk_premium`` (exact CARA), ``incentive`` (£ a year the practice gains from
        0.1 more effort), ``returned`` (mean £ back to the council under a surplus cap) and
        ``council_cost`` (the contract value plus the premium, £: terms set so that the
        practice just accepts, its baseline raised by whatever a cap returns).
    """
    check_instance("contract", contract, OutcomeContract, "OutcomeContract")
    check_instance("draws", draws, OutcomeDraws, "OutcomeDraws")
    contracts.risk_aversion(risk_tolerance)  # checks risk_tolerance by name
    step = check_in_range("step", step, 0.0, 0.5, low_open=True)
    e = draws.reference_effort
    ref = draws.at(e) if reference is None else _check_reference(reference)
    totals = _costs(costs, draws).totals
    surplus, back = contract.surplus(ref, totals)
    lo, hi = max(e - step, 0.0), min(e + step, 1.0)
    gain = (contract.surplus(draws.at(hi), totals)[0].mean() - contract.surplus(draws.at(lo), totals)[0].mean())
    rp = contracts.risk_premium(surplus, risk_tolerance)
    return {
        "outcome_pay": float(contract.outcome_payment(ref).mean()),
        "sd_surplus": float(surplus.std()),
        "p_loss": float(np.mean(surplus < 0)),
        "surplus_p5": float(np.quantile(surplus, 0.05)),
        "risk_premium": rp,
        "incentive": float(gain / (hi - lo) * 0.1),
        "returned": float(back.mean()),
        "council_cost": float(contract.value + rp),
    }


def funding_schedule() -> tuple[float, ...]:
    """Share of funding paid on outcomes in years one to four of the 2008 proposal.

    Years one and four are the reported figures (nothing, 60%; Community Care, 2 June 2008);
    years two and three are assumptions on a straight line between them.
    """
    return (evidence("schedule_first_year_share") / 100, assumption("schedule_year_two_share") / 100,
            assumption("schedule_year_three_share") / 100, evidence("schedule_year_four_share") / 100)


def reserve_paths(surplus: np.ndarray, reserves: float) -> dict[str, np.ndarray]:
    """Reserves year by year over a contract term, with failure when they run out.

    ``R_t = R_0 + pi_1 + ... + pi_t``; the practice has failed by year ``t`` if any
    ``R_s < 0`` for ``s <= t``. A failed practice stops; its shortfall ``-R_s`` in the year
    it fails falls on the council (limited liability).

    Parameters
    ----------
    surplus : numpy.ndarray
        Shape ``(n_paths, years)``, £ per year, finite; 1 to 10,000,000 values.
    reserves : float
        ``R_0`` >= 0, £.

    Returns
    -------
    dict
        ``p_failed`` (by each year, shape ``(years,)``), ``reserves_p5``, ``reserves_median``
        (of surviving and failed paths alike, with failed paths held at their shortfall)
        and ``council_shortfall`` (mean £ over paths, a scalar array).
    """
    paths = liability.term_paths(surplus, reserves)
    return {
        "p_failed": paths.p_failed,
        "reserves_p5": paths.reserves_p5,
        "reserves_median": paths.reserves_median,
        "council_shortfall": np.asarray(paths.council_shortfall),
    }


def term_paths(shares_by_year: tuple[float, ...] | list[float], draws: OutcomeDraws,
               costs: PracticeYears | None = None, **terms: object) -> np.ndarray:
    """Surplus paths over a term: year ``t`` of every path paid with ``share_on_outcomes = shares_by_year[t]``.

    The simulated years are read as consecutive ``(n_years // T, T)`` paths, as
    :func:`swp_models.liability.term_failure` reads them; run reserves through them with
    :func:`reserve_paths`.

    Parameters
    ----------
    shares_by_year : sequence of float
        ``phi`` for each year of the term, 1 to 10 years, each in [0, 1].
    draws : OutcomeDraws
    costs : PracticeYears, optional
        The practice's own costs in the draws' years (see :func:`build_contract`).
    **terms
        Other :class:`OutcomeTerms` fields (the same every year).
    """
    check_instance("draws", draws, OutcomeDraws, "OutcomeDraws")
    own = _costs(costs, draws)
    shares = list(shares_by_year) if isinstance(shares_by_year, (list, tuple)) else None
    if not shares or len(shares) > 10:
        raise ValueError(f"shares_by_year must hold 1 to 10 shares; got {shares_by_year!r}")
    years = len(shares)
    n_paths = draws.years.n_years // years
    if n_paths < 1:
        raise ValueError(f"draws must hold at least {years} practice-years; got {draws.years.n_years}")
    ref = draws.at(draws.reference_effort)
    out = np.empty((n_paths, years))
    for t, phi in enumerate(shares):
        contract = build_contract(OutcomeTerms(share_on_outcomes=phi, **terms), draws, ref, own)  # type: ignore[arg-type]
        surplus = contract.surplus(ref, own.totals)[0]
        out[:, t] = surplus[: n_paths * years].reshape(n_paths, years)[:, t]
    return out


# ---------------------------------------------------------------------------------------
# Chapter 6: contracts on the page, for a scenario
# ---------------------------------------------------------------------------------------


def _draws_key(scn: Scenario, clustered: bool) -> tuple:
    sim = scn.simulation
    return (sim.n_years, sim.seed, sim.outcome_years, clustered, assumptions.fingerprint(all_tables=True))


def chapter_draws(scn: Scenario | None = None, clustered: bool = True) -> OutcomeDraws:
    """The chapter's practice-years with the random numbers of their outcomes (cached).

    The children are the first ``scn.simulation.outcome_years`` of the book's one sample
    (:func:`swp_models.engine.children`): the same children as chapter 5's, with no scope applied.
    The outcomes' random numbers come from a stream derived from the scenario's seed
    (:func:`swp_models.outcomes.simulate_outcomes`).

    Parameters
    ----------
    scn : Scenario, optional
        Default :meth:`~swp_models.scenario.Scenario.central`. Only its sample (size, seed, outcome years) matters.
    clustered : bool, default True
        ``False``: every child on a caseload of its own (the comparison that measures clustering).
    """
    scn = _scenario(scn)
    if not isinstance(clustered, bool):
        raise ValueError(f"clustered must be True or False; got {clustered!r}")
    return _cached("draws", _draws_key(scn, clustered), lambda: simulate_outcomes(
        default_outcome_model(), seed=scn.simulation.seed, clustered=clustered,
        years=engine.children(scn, scn.simulation.outcome_years)))


def chapter_costs(scn: Scenario | None = None) -> PracticeYears:
    """The practice's own costs in the chapter's years under the scenario's scope
    (:func:`swp_models.engine.own_costs` of the first ``scn.simulation.outcome_years``)."""
    scn = _scenario(scn)
    return engine.own_costs(scn, scn.simulation.outcome_years)


def schedule_scenario(scn: Scenario | None = None) -> Scenario:
    """The scenario of the 2008 schedule: ``scn`` with a term as long as the schedule (four years), so named."""
    scn = _scenario(scn)
    years = len(funding_schedule())
    words = {4: "four"}.get(years, str(years))
    return scn.replace(term_years=years, label=f"2008 schedule, {words} years")


def chapter_contracts(scn: Scenario | None = None) -> dict[str, OutcomeTerms]:
    """The contracts compared in the chapter, by name (assumed terms from the data, the scenario's margin)."""
    scn = _scenario(scn)
    m = scn.margin
    b = contracts.assumption("outcome_bonus")
    schedule = funding_schedule()
    out = {"Block (nothing on outcomes)": OutcomeTerms(margin=m)}
    out[f"Mixed: £{b:,.0f} per unit, levels"] = OutcomeTerms(bonus_per_child=b, margin=m)
    out[f"Mixed: £{b:,.0f} per unit, value added"] = OutcomeTerms(bonus_per_child=b, measure="value_added", margin=m)
    for t, phi in enumerate(schedule[1:], start=2):
        out[f"2008 proposal, year {t}: {100 * phi:.0f}% on outcomes"] = OutcomeTerms(share_on_outcomes=phi, margin=m)
    out["Wholly on outcomes (per child counted)"] = OutcomeTerms(share_on_outcomes=1.0, margin=m)
    out["Wholly on outcomes (share of children)"] = OutcomeTerms(share_on_outcomes=1.0, basis="share", margin=m)
    out[f"{100 * schedule[-1]:.0f}% on outcomes, at most £{assumption('bonus_cap') / 1000:,.0f}k above expected"] = (
        OutcomeTerms(share_on_outcomes=schedule[-1], bonus_cap=assumption("bonus_cap"), margin=m))
    cap = assumption("surplus_cap")
    out[f"Mixed, surplus capped at £{cap / 1000:,.0f}k (s.7)"] = OutcomeTerms(bonus_per_child=b, surplus_cap=cap,
                                                                              margin=m)
    share = assumption("surplus_return_share")
    out[f"Mixed, {100 * share:.0f}% of surplus above £{cap / 1000:,.0f}k returned"] = OutcomeTerms(
        bonus_per_child=b, surplus_cap=cap, surplus_return_share=share, margin=m)
    return out


def _terms_of(surplus: np.ndarray, term_years: int) -> np.ndarray:
    n = surplus.size // term_years
    return surplus[: n * term_years].reshape(n, term_years)


def _batch_se(values: Callable[[slice], float], n: int) -> float:
    """Standard error of a statistic from :data:`BATCHES` batches of consecutive items (batch means)."""
    edges = np.linspace(0, n, BATCHES + 1).astype(int)
    got = np.array([values(slice(a, b)) for a, b in zip(edges[:-1], edges[1:])])
    return float(got.std(ddof=1) / np.sqrt(BATCHES))


def _table(scn: Scenario) -> pd.DataFrame:
    draws = chapter_draws(scn)
    own = chapter_costs(scn)
    ref = draws.at(draws.reference_effort)
    tol = scn.risk_tolerance
    reserves = engine.reserves(scn)
    t = scn.term_years
    rows, surpluses = [], []
    for name, terms in chapter_contracts(scn).items():
        c = build_contract(terms, draws, ref, own)
        row = {"contract": name, "rate": c.rate, **price(c, draws, tol, ref, costs=own)}
        surplus = c.surplus(ref, own.totals)[0]
        row["p_fail_year"] = float(np.mean(surplus < -reserves))
        row["p_fail_term"] = liability.term_paths(_terms_of(surplus, t), reserves).failure.p_fail_term
        rows.append(row)
        surpluses.append(surplus)
    out = pd.DataFrame(rows)
    block = surpluses[0]
    block_terms = _terms_of(block, t)
    diff_rp, se_rp, diff_fail, se_fail = [], [], [], []
    for k, surplus in enumerate(surpluses):
        diff_rp.append(out["risk_premium"].iloc[k] - out["risk_premium"].iloc[0])
        diff_fail.append(out["p_fail_term"].iloc[k] - out["p_fail_term"].iloc[0])
        if k == 0:
            se_rp.append(0.0)
            se_fail.append(0.0)
            continue
        terms_k = _terms_of(surplus, t)
        se_rp.append(_batch_se(lambda s, x=surplus: contracts.risk_premium(x[s], tol)
                               - contracts.risk_premium(block[s], tol), surplus.size))
        se_fail.append(_batch_se(lambda s, x=terms_k: liability.term_paths(x[s], reserves).failure.p_fail_term
                                 - liability.term_paths(block_terms[s], reserves).failure.p_fail_term,
                                 len(terms_k)))
    return out.assign(premium_vs_block=diff_rp, premium_vs_block_se=se_rp, p_fail_term_vs_block=diff_fail,
                      p_fail_term_vs_block_se=se_fail)


def contract_table(scn: Scenario | None = None) -> pd.DataFrame:
    """:func:`price` for every chapter contract on the chapter's years, under the scenario (cached on its key).

    Columns: ``contract``, ``rate`` (£ per unit), :func:`price`'s figures, ``p_fail_year``
    (chance that one year's loss exceeds the reserves, :func:`swp_models.engine.reserves`),
    ``p_fail_term`` (chance the reserves run out within ``scn.term_years`` years, the same terms
    every year: :func:`swp_models.liability.term_paths`), and each contract's difference from the
    block contract on the same years, ``premium_vs_block`` and ``p_fail_term_vs_block``, with
    standard errors ``premium_vs_block_se`` and ``p_fail_term_vs_block_se`` (:data:`BATCHES`
    batches of consecutive years). The block contract's practice figures are chapter 5's
    (:func:`swp_models.engine.table` on the same years) exactly.
    """
    scn = _scenario(scn)
    return _cached("table", scn.key()[1:], lambda: _table(scn)).copy()


def block_headline(scn: Scenario | None = None) -> dict[str, float]:
    """Chapter 5's block contract on the full sample (:func:`swp_models.engine.table`): the figures the chapter quotes.

    ``risk_premium``, ``p_fail_term``, ``p_fail_year``, ``p_loss``, ``sd_surplus``, ``n_years``,
    ``term_years`` and ``reserves`` (£).
    """
    scn = _scenario(scn)
    row = engine.table(scn).set_index("contract").loc["Block"]
    return {"risk_premium": float(row["risk_premium_exact"]), "p_fail_term": float(row["p_fail_term"]),
            "p_fail_year": float(row["p_fail_year"]), "p_loss": float(row["practice_p_loss"]),
            "sd_surplus": float(row["practice_sd_surplus"]), "n_years": float(scn.simulation.n_years),
            "term_years": float(scn.term_years), "reserves": engine.reserves(scn)}


def clustering(scn: Scenario | None = None) -> pd.DataFrame:
    """Variance of each year's count when children share caseloads, against each child on a caseload of its own.

    A sample of its own: exactly 100 children a year (so the caseloads are equal and the closed
    form applies), ``scn.simulation.outcome_years`` years, the scenario's seed. Columns
    ``indicator``, ``rate``, ``sd_independent``, ``sd_clustered``, ``ratio`` (variance,
    simulated) and ``closed_form`` (the design effect, where the correlation has a closed form).
    """
    scn = _scenario(scn)

    def build() -> pd.DataFrame:
        model = default_outcome_model()
        n, seed = scn.simulation.outcome_years, scn.simulation.seed
        together = simulate_outcomes(model, n, seed, caseload=100)
        alone = simulate_outcomes(model, n, seed, caseload=100, clustered=False)
        e = together.reference_effort
        a, b = together.at(e), alone.at(e)
        m = 100 / model.social_workers
        rho = same_worker_icc(model.hazard_at(e), model.individual_change_probability)
        rows = []
        for ind in INDICATORS:
            rows.append({"indicator": ind, "rate": float(a.level[ind].mean() / together.years.counts.mean()),
                         "sd_independent": float(np.std(b.level[ind])), "sd_clustered": float(np.std(a.level[ind])),
                         "ratio": float(np.var(a.level[ind]) / np.var(b.level[ind])),
                         "closed_form": design_effect(m, rho) if ind == "same_worker" else float("nan")})
        return pd.DataFrame(rows)

    return _cached("clustering", _draws_key(scn, True), build, disk=True).copy()  # 4 s: kept on disk too


def measures(scn: Scenario | None = None) -> pd.DataFrame:
    """Levels against value added (:func:`swp_models.outcomes.measure_comparison`) for the report's bonus
    per unit, on the chapter's children, at the scenario's risk tolerance."""
    scn = _scenario(scn)
    return _cached("measures", scn.key()[1:], lambda: measure_comparison(
        chapter_draws(scn), contracts.assumption("outcome_bonus"), scn.risk_tolerance,
        assumption("effort_sd_across_practices"))).copy()


#: The two intakes :func:`intake_comparison` sets side by side (labels' first words in
#: :func:`swp_models.costs.needs_mix_models`): the lightest and the heaviest of chapter 3's needs mixes.
INTAKE_MIXES: tuple[str, ...] = ("Fewer", "Older children")


def intake_comparison(scn: Scenario | None = None) -> pd.DataFrame:
    """Two practices with different intakes and the same effort, paid the report's bonus on levels and on value added.

    Each practice's children are chapter 3's children under one of :data:`INTAKE_MIXES`
    (:func:`swp_models.engine.mix_children`, the scenario's ``outcome_years`` years, the same
    seed for both, so the comparison is on paired draws), with the chapter's outcome model. Value
    added is set against the book's central needs mix for both, so it pays each practice for
    what it does rather than for whom it takes. Both make the reference effort.

    Returns
    -------
    pandas.DataFrame
        One row per intake and measure: ``intake`` (the mix's label), ``additional_needs`` (share
        of children with additional needs), ``complex`` (share with complex needs), ``measure``,
        ``mean_bonus`` (£ a year, the report's bonus a unit on all three indicators), ``reward``
        (£ a year more for 0.1 more effort) and ``gap`` (``mean_bonus`` less the lighter intake's).
    """
    from .costs import default_cost_model, needs_mix_models

    scn = _scenario(scn)

    def build() -> pd.DataFrame:
        models = needs_mix_models()
        labels = [next(k for k in models if k.split(":")[0] == mix) for mix in INTAKE_MIXES]
        model = default_outcome_model()
        ref = assumption("effort_reference")
        b = contracts.assumption("outcome_bonus")
        n = max(scn.simulation.outcome_years, 1_000)
        rows = []
        for label in labels:
            draws = simulate_outcomes(model, seed=scn.simulation.seed, years=engine.mix_children(scn, label, n),
                                      reference_shares=default_cost_model().shares)
            mid, up = draws.at(ref), draws.at(min(ref + 0.1, 1.0))
            shares = models[label].shares
            for measure in MEASURES:
                rows.append({"intake": label, "additional_needs": 1.0 - shares[0], "complex": shares[2],
                             "measure": measure, "mean_bonus": b * float(mid.count("all", measure).mean()),
                             "reward": b * float((up.count("all", measure) - mid.count("all", measure)).mean())})
        out = pd.DataFrame(rows)
        base = out[out["intake"] == labels[0]].set_index("measure")["mean_bonus"]
        out["gap"] = out["mean_bonus"] - out["measure"].map(base)
        return out

    return _cached("intake", scn.key()[1:], build).copy()


#: Bonuses per unit (£) on the mixed-contract chart.
GRID_BONUSES: tuple[float, ...] = tuple(float(b) for b in range(0, 5001, 500))
#: Bonus caps on the mixed-contract chart, £ a year above the expected outcome payment (0 for no cap).
GRID_CAPS: tuple[float, ...] = (0.0, 25_000.0, 50_000.0, 100_000.0)


def mixed_grid(scn: Scenario | None = None) -> pd.DataFrame:
    """The mixed contract over bonus per unit, level or value added, and a bonus cap (cached on the scenario).

    Columns ``bonus``, ``measure``, ``cap`` (0 = none) and :func:`price`'s figures.
    """
    scn = _scenario(scn)

    def build() -> pd.DataFrame:
        draws, own = chapter_draws(scn), chapter_costs(scn)
        ref = draws.at(draws.reference_effort)
        rows = []
        for measure in MEASURES:
            for cap in GRID_CAPS:
                for b in GRID_BONUSES:
                    terms = OutcomeTerms(bonus_per_child=b, measure=measure, bonus_cap=cap or None, margin=scn.margin)
                    c = build_contract(terms, draws, ref, own)
                    rows.append({"bonus": b, "measure": measure, "cap": cap,
                                 **price(c, draws, scn.risk_tolerance, ref, costs=own)})
        return pd.DataFrame(rows)

    return _cached("mixed", scn.key()[1:], build).copy()


#: Shares of the contract's value paid on outcomes in the term chart (constant through the term).
GRID_SHARES: tuple[float, ...] = tuple(round(0.1 * i, 1) for i in range(11))
#: Reserves of the term chart, in months of the practice's running cost (the scenario's own is added).
GRID_RESERVE_MONTHS: tuple[float, ...] = (1.5, 3.0, 6.0)


def _reserve_months(scn: Scenario) -> tuple[float, ...]:
    return tuple(sorted(set(GRID_RESERVE_MONTHS) | {float(scn.reserve_months)}))


def term_grid(scn: Scenario | None = None) -> pd.DataFrame:
    """Chance of failure by year: a constant share on outcomes over the scenario's term, or the 2008 schedule
    over its own four years (:func:`schedule_scenario`), for several reserves.

    Columns ``plan`` (``"constant"`` or ``"2008 schedule"``), ``share`` (the constant share;
    NaN for the schedule), ``reserve_months``, ``reserves`` (£), ``year``, ``p_failed``,
    ``reserves_median``.
    """
    scn = _scenario(scn)

    def build() -> pd.DataFrame:
        draws, own = chapter_draws(scn), chapter_costs(scn)
        rows = []
        plans = [("constant", s, (s,) * scn.term_years) for s in GRID_SHARES]
        plans.append(("2008 schedule", float("nan"), funding_schedule()))
        for plan, share, shares in plans:
            paths = term_paths(shares, draws, own, margin=scn.margin)
            for months in _reserve_months(scn):
                r0 = engine.reserves(scn, months)
                res = liability.term_paths(paths, r0)
                for t in range(len(shares)):
                    rows.append({"plan": plan, "share": share, "reserve_months": months, "reserves": r0, "year": t + 1,
                                 "p_failed": float(res.p_failed[t]), "reserves_median": float(res.reserves_median[t])})
        return pd.DataFrame(rows)

    return _cached("term", scn.key()[1:], build).copy()


def schedule_by_year(scn: Scenario | None = None) -> pd.DataFrame:
    """The 2008 schedule year by year, priced on :func:`schedule_scenario` (four years).

    Columns ``year``, ``share``, ``rate`` (£ per unit of the count), ``sd_surplus``,
    ``p_loss``, ``risk_premium``, ``p_failed`` (by that year, the scenario's reserves) and the
    same for a block contract held over the four years, ``p_failed_block``.
    """
    scn4 = schedule_scenario(scn)

    def build() -> pd.DataFrame:
        draws, own = chapter_draws(scn4), chapter_costs(scn4)
        ref = draws.at(draws.reference_effort)
        shares = funding_schedule()
        reserves = engine.reserves(scn4)
        failed = liability.term_paths(term_paths(shares, draws, own, margin=scn4.margin), reserves).p_failed
        block = liability.term_paths(term_paths((0.0,) * len(shares), draws, own, margin=scn4.margin),
                                     reserves).p_failed
        rows = []
        for t, phi in enumerate(shares):
            c = build_contract(OutcomeTerms(share_on_outcomes=phi, margin=scn4.margin), draws, ref, own)
            p = price(c, draws, scn4.risk_tolerance, ref, costs=own)
            rows.append({"year": t + 1, "share": phi, "rate": c.rate, "sd_surplus": p["sd_surplus"],
                         "p_loss": p["p_loss"], "risk_premium": p["risk_premium"], "p_failed": float(failed[t]),
                         "p_failed_block": float(block[t])})
        return pd.DataFrame(rows)

    return _cached("schedule", scn4.key()[1:], build).copy()


def term_shortfall(scn: Scenario | None = None, shares_by_year: tuple[float, ...] | None = None) -> float:
    """Mean £ of losses beyond the practice's reserves that fall on the council over a term (limited liability).

    Parameters
    ----------
    scn : Scenario, optional
        The reserves (:func:`swp_models.engine.reserves`), scope and margin; default the central scenario.
    shares_by_year : tuple of float, optional
        Share on outcomes each year of the term; default the 2008 schedule (:func:`funding_schedule`).
    """
    scn = _scenario(scn)
    shares = funding_schedule() if shares_by_year is None else shares_by_year
    paths = term_paths(shares, chapter_draws(scn), chapter_costs(scn), margin=scn.margin)
    return float(liability.term_paths(paths, engine.reserves(scn)).council_shortfall)


def default_schedule_terms(scn: Scenario | None = None) -> OutcomeTerms:
    """The outcome part of the Art. 9 schedule (:mod:`swp_models.schedule`): the report's mixed contract on value
    added, with the assumed bonus cap and surplus sharing, at the scenario's margin."""
    scn = _scenario(scn)
    return OutcomeTerms(bonus_per_child=contracts.assumption("outcome_bonus"), measure="value_added",
                        bonus_cap=assumption("bonus_cap"), surplus_cap=assumption("surplus_cap"),
                        surplus_return_share=assumption("surplus_return_share"), margin=scn.margin)


#: Chapter 2's scenario whose rate of changes of worker the council's own outcome rates take.
COUNCIL_SCENARIO = "Council, England 2005"


def council_level_outcomes(scn: Scenario | None = None) -> YearOutcomes:
    """The chapter's children with the council's own outcome rates: the practice "didn't consistently outperform".

    The same random numbers as :func:`chapter_draws`, with chapter 2's council rate of changes of
    worker ("Council, England 2005") and no extra effort: the conditions at which the outcome model is
    calibrated to the national rates (three or more placements, attainment). Value added keeps the
    benchmark the contract set (the expected counts at the practice's assumed level), so that a
    practice doing only as well as the council is paid for doing only that well.
    """
    scn = _scenario(scn)

    def build() -> YearOutcomes:
        draws = chapter_draws(scn)
        ref = draws.at(draws.reference_effort)
        hazard = continuity.hazard(continuity.reference_scenarios()[COUNCIL_SCENARIO])
        council = dataclasses.replace(draws, model=draws.model.replace(hazard=hazard)).at(0.0)
        va = {k: council.level[k] + (ref.value_added[k] - ref.level[k]) for k in INDICATORS}
        return YearOutcomes(level=dict(council.level), value_added=va, mean_workers=council.mean_workers)

    return _cached("council_level", _draws_key(scn, True), build)


def council_level_table(scn: Scenario | None = None) -> pd.DataFrame:
    """Every chapter contract priced at the practice's assumed outcomes and paid at the council's own rates.

    Columns ``contract``, ``outcome_pay`` (expected £ a year as priced), ``outcome_pay_council`` (mean £
    a year received at the council's rates, :func:`council_level_outcomes`), ``loss`` (what the practice
    loses a year on average, £: its mean surplus at the assumed outcomes less its mean surplus at the
    council's, after any surplus cap), ``p_loss`` (chance of a loss in a year) and
    ``p_fail_term`` (its reserves run out within ``scn.term_years`` years). Cached on the scenario's key.
    """
    scn = _scenario(scn)

    def build() -> pd.DataFrame:
        draws, own = chapter_draws(scn), chapter_costs(scn)
        ref = draws.at(draws.reference_effort)
        council = council_level_outcomes(scn)
        reserves = engine.reserves(scn)
        rows = []
        for name, terms in chapter_contracts(scn).items():
            c = build_contract(terms, draws, ref, own)
            surplus = c.surplus(council, own.totals)[0]
            priced = c.surplus(ref, own.totals)[0]
            rows.append({"contract": name, "outcome_pay": float(c.outcome_payment(ref).mean()),
                         "outcome_pay_council": float(c.outcome_payment(council).mean()),
                         "loss": float(priced.mean() - surplus.mean()), "p_loss": float(np.mean(surplus < 0)),
                         "p_fail_term": liability.term_paths(_terms_of(surplus, scn.term_years),
                                                             reserves).failure.p_fail_term})
        return pd.DataFrame(rows)

    return _cached("council_table", scn.key()[1:], build).copy()
